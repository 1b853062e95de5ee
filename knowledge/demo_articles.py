"""The demo knowledge base: topics, and articles and guides written by the Guyub team or credited
to demo enterprises, some also in English, and two contributions waiting for the moderators.

Texts follow Indonesian practice as of writing; where a rule can change, they send the reader to
the office that decides (OSS, Dinas Kesehatan, BPJPH, Dinas Koperasi)."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.demo_blocks import checklist, download, note, steps, text, tip, warning

# (slug, name, English name, description)
TOPICS = [
    ("produksi", "Produksi", "Production",
     "Bahan, alat, dan cara membuat produk yang mutunya terjaga."),
    ("kemasan", "Kemasan", "Packaging",
     "Memilih kemasan, label, dan cara mengemas supaya produk awet dan menarik."),
    ("perizinan", "Perizinan (NIB, P-IRT, halal)", "Permits (NIB, P-IRT, halal)",
     "Mengurus NIB, izin P-IRT, dan sertifikat halal langkah demi langkah."),
    ("keuangan", "Keuangan & pembukuan", "Money & bookkeeping",
     "Menghitung biaya, menentukan harga, dan mencatat uang usaha."),
    ("pemasaran-digital", "Pemasaran digital", "Digital marketing",
     "Foto produk, katalog WhatsApp, deskripsi, dan jualan online."),
    ("koperasi", "Koperasi", "Cooperatives",
     "Rapat anggota, SHU, pesanan bersama, dan alat bersama."),
    ("pengiriman", "Pengiriman", "Shipping",
     "Mengepak, memilih ekspedisi, dan menghitung ongkos kirim."),
]


@dataclass(frozen=True)
class English:
    title: str
    summary: str
    body: list


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    kind: str  # "article" or "guide"
    topic: str  # Topic slug
    summary: str
    body: list
    days_ago: int  # first published
    enterprise: str | None = None  # slug of the credited enterprise; None: the Guyub team
    tags: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    # (enterprise slug, words in the title) of related demo products; products are drawn at
    # random per seed, so whatever matches is linked.
    products: tuple[tuple[str, str], ...] = ()
    english: English | None = None


@dataclass(frozen=True)
class Contribution:
    """A contributed article in plain text, as the public form sends it, left with the
    moderators."""

    title: str
    kind: str
    topic: str
    summary: str
    body_text: str
    enterprise: str
    author: str
    steps_text: str = ""
    tags: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


CHECK_AT_OSS = note(
    "<p>Aturan dan tampilan OSS bisa berubah. Jika langkah di layar berbeda dari panduan ini, "
    "ikuti petunjuk di OSS atau tanyakan ke DPMPTSP atau Dinas Koperasi dan UKM kabupaten "
    "Anda.</p>"
)

NIB = DemoArticle(
    slug="cara-mendapatkan-nib-lewat-oss",
    title="Cara mendapatkan NIB lewat OSS",
    kind="guide",
    topic="perizinan",
    summary="Nomor Induk Berusaha (NIB) adalah identitas resmi usaha Anda. Untuk usaha mikro, "
            "mendaftarnya gratis dan bisa dilakukan dari ponsel.",
    days_ago=340,
    tags=("nib", "oss", "perizinan", "usaha mikro"),
    skills=("pendampingan-pirt",),
    body=[
        text("<p>NIB (Nomor Induk Berusaha) adalah nomor identitas usaha yang diterbitkan lewat "
             "sistem OSS (<i>Online Single Submission</i>) di "
             "<a href=\"https://oss.go.id\">oss.go.id</a>. Untuk usaha mikro dan kecil dengan "
             "kegiatan berisiko rendah, NIB sekaligus berlaku sebagai izin usaha. NIB juga "
             "menjadi syarat untuk mengurus P-IRT, sertifikat halal, dan banyak program bantuan "
             "atau pinjaman usaha.</p>"
             "<p>Mendaftar NIB <b>tidak dipungut biaya</b>. Kalau ada yang meminta bayaran untuk "
             "\"mengurus NIB\", itu ongkos jasa orang tersebut, bukan biaya dari negara.</p>"),
        checklist("Siapkan dulu",
                  "KTP elektronik (NIK) pemilik usaha",
                  "Alamat email yang aktif dan bisa Anda buka di HP",
                  "Nomor HP yang aktif untuk kode verifikasi",
                  "NPWP jika sudah punya (NIK kini juga dipakai sebagai NPWP)",
                  "Alamat lengkap tempat usaha",
                  "Perkiraan modal usaha (di luar tanah dan bangunan) dan jumlah pekerja"),
        steps(
            ("Buat akun di oss.go.id",
             "<p>Buka oss.go.id dan pilih <b>Daftar</b>. Pilih jenis pelaku usaha <b>UMK</b> "
             "(usaha mikro dan kecil) dan bentuk <b>orang perseorangan</b>. Isi NIK, nama sesuai "
             "KTP, email, dan nomor HP.</p>"),
            ("Aktifkan akun",
             "<p>Buka email Anda dan klik tautan aktivasi. Masuk (login) dengan kata sandi yang "
             "dikirim, lalu segera ganti kata sandinya.</p>"),
            ("Lengkapi data pelaku usaha",
             "<p>Isi data diri yang diminta. Nama dan NIK harus sama persis dengan KTP; beda satu "
             "huruf saja sering membuat verifikasi gagal.</p>"),
            ("Isi data usaha dan pilih KBLI",
             "<p>Pilih <b>Perizinan Berusaha</b> lalu <b>Permohonan Baru</b>. Isi alamat usaha, "
             "modal, dan jumlah tenaga kerja. Lalu pilih kode KBLI (Klasifikasi Baku Lapangan "
             "Usaha Indonesia): ketik kata kunci seperti \"keripik\", \"batik\", atau \"kopi\", "
             "dan baca uraiannya sebelum memilih.</p>"
             "<ul><li>Satu usaha boleh punya lebih dari satu KBLI, misalnya produksi dan "
             "perdagangan eceran.</li></ul>"),
            ("Periksa tingkat risiko",
             "<p>OSS menampilkan tingkat risiko tiap kegiatan. Untuk risiko rendah, NIB sudah "
             "cukup. Untuk risiko menengah rendah, seperti beberapa industri pangan, Anda juga "
             "diminta membuat <b>pernyataan mandiri</b> untuk Sertifikat Standar.</p>"),
            ("Setujui pernyataan dan terbitkan NIB",
             "<p>Baca pernyataan mandiri (kesanggupan menjaga kesehatan, keselamatan, dan "
             "lingkungan), centang, lalu pilih <b>Terbitkan NIB</b>. Berkas NIB bisa langsung "
             "diunduh sebagai PDF.</p>"),
            ("Simpan dan cetak",
             "<p>Simpan berkas NIB di HP dan cetak satu lembar. Catat email dan kata sandi akun "
             "OSS di tempat aman: akun yang sama dipakai untuk mengurus P-IRT dan mengubah data "
             "usaha nanti.</p>"),
        ),
        tip("<p>Kesulitan mendaftar? Datang ke Mal Pelayanan Publik atau kantor DPMPTSP di "
            "kabupaten Anda dengan membawa KTP dan HP. Petugas biasanya membantu langsung, "
            "gratis.</p>"),
        CHECK_AT_OSS,
    ],
    english=English(
        title="How to get an NIB through OSS",
        summary="The NIB (business identification number) is your enterprise's official "
                "identity. For micro-enterprises it is free and can be done from a phone.",
        body=[
            text("<p>The NIB (<i>Nomor Induk Berusaha</i>) is the business identification "
                 "number issued through the OSS system (<i>Online Single Submission</i>) at "
                 "<a href=\"https://oss.go.id\">oss.go.id</a>. For micro and small enterprises "
                 "with low-risk activities, the NIB is also the business licence. It is needed "
                 "for the P-IRT food permit, halal certification and many support programmes "
                 "and business loans.</p>"
                 "<p>Registering an NIB is <b>free</b>. Anyone who charges you for \"arranging "
                 "the NIB\" is charging for their own service, not a government fee.</p>"),
            checklist("Have these ready",
                      "The owner's electronic ID card (KTP, with the NIK number)",
                      "An email address you can open on your phone",
                      "A working phone number for verification codes",
                      "A tax number (NPWP) if you have one (the NIK now also serves as NPWP)",
                      "The full address of the business",
                      "Your business capital (excluding land and buildings) and number of "
                      "workers"),
            steps(
                ("Create an account at oss.go.id",
                 "<p>Open oss.go.id and choose <b>Daftar</b> (register). Choose <b>UMK</b> "
                 "(micro and small enterprise) and <b>orang perseorangan</b> (individual). Enter "
                 "your NIK, your name as on the ID card, email and phone number.</p>"),
                ("Activate the account",
                 "<p>Open the activation link in your email. Log in with the password you "
                 "received and change it straight away.</p>"),
                ("Complete your personal data",
                 "<p>Name and NIK must match the ID card exactly; a single wrong letter often "
                 "makes verification fail.</p>"),
                ("Enter the business data and choose a KBLI code",
                 "<p>Choose <b>Perizinan Berusaha</b> and then <b>Permohonan Baru</b> (new "
                 "application). Enter the address, capital and number of workers. Then choose "
                 "the KBLI code (Indonesia's standard classification of business activities): "
                 "type a keyword such as \"keripik\", \"batik\" or \"kopi\" and read the "
                 "description before choosing.</p>"
                 "<ul><li>One business may have several KBLI codes, e.g. production and "
                 "retail.</li></ul>"),
                ("Check the risk level",
                 "<p>OSS shows the risk level of each activity. For low risk, the NIB is "
                 "enough. For medium-low risk, such as some food industries, you also make a "
                 "<b>self-declaration</b> for the standard certificate.</p>"),
                ("Accept the declaration and issue the NIB",
                 "<p>Read the self-declaration (on health, safety and the environment), tick "
                 "it and choose <b>Terbitkan NIB</b> (issue NIB). You can download it as a PDF "
                 "at once.</p>"),
                ("Save and print it",
                 "<p>Keep the NIB file on your phone and print one copy. Write down the OSS "
                 "email and password somewhere safe: the same account is used for the P-IRT "
                 "permit and for later changes.</p>"),
            ),
            tip("<p>Stuck? Go to the public service mall (Mal Pelayanan Publik) or the "
                "regency's licensing office (DPMPTSP) with your ID card and phone. Staff "
                "usually help on the spot, free of charge.</p>"),
            note("<p>OSS rules and screens can change. If what you see differs from this guide, "
                 "follow the instructions in OSS or ask the DPMPTSP or the regency's Dinas "
                 "Koperasi dan UKM.</p>"),
        ],
    ),
)

PIRT = DemoArticle(
    slug="mengurus-spp-irt-untuk-makanan-rumahan",
    title="Mengurus SPP-IRT (P-IRT) untuk makanan rumahan",
    kind="guide",
    topic="perizinan",
    summary="Pengalaman Keripik Sari mengurus izin P-IRT: dari NIB, penyuluhan keamanan pangan, "
            "pemeriksaan dapur, sampai nomor P-IRT tercetak di label.",
    days_ago=300,
    enterprise="keripik-sari",
    tags=("p-irt", "perizinan", "makanan rumahan", "keripik"),
    skills=("pendampingan-pirt",),
    products=(("keripik-sari", "Keripik"),),
    body=[
        text("<p>SPP-IRT (Sertifikat Produksi Pangan Industri Rumah Tangga), yang sehari-hari "
             "disebut P-IRT, adalah izin edar untuk makanan olahan buatan rumah tangga. Dengan "
             "nomor P-IRT di label, produk kita lebih dipercaya toko oleh-oleh, reseller, dan "
             "pembeli di kota.</p>"
             "<p>Kami di Keripik Sari mengurusnya bersama beberapa anggota Koperasi UMKM "
             "Banyumas Maju. Berikut langkah yang kami lalui.</p>"),
        warning("<p><b>Tidak semua makanan bisa P-IRT.</b> Pangan yang harus disimpan dingin "
                "atau beku (misalnya nugget beku), susu dan olahannya, makanan kaleng, dan "
                "makanan bayi umumnya harus lewat izin edar BPOM (MD). Tanyakan jenis produk "
                "Anda ke Dinas Kesehatan sebelum mendaftar.</p>"),
        checklist("Berkas yang kami siapkan",
                  "NIB dari OSS (lihat panduan NIB)",
                  "KTP pemilik usaha",
                  "Foto dapur dan ruang produksi",
                  "Daftar bahan (komposisi) setiap produk",
                  "Rancangan label kemasan"),
        steps(
            ("Pastikan sudah punya NIB",
             "<p>P-IRT diajukan lewat akun OSS yang sama dengan NIB. Pilih KBLI industri pangan "
             "yang sesuai dengan produk Anda.</p>"),
            ("Ajukan SPP-IRT di OSS",
             "<p>Lanjutkan permohonan izin untuk produk pangan Anda dan isi data produk: jenis "
             "pangan, bahan, jenis kemasan, dan cara penyimpanan. Biasanya satu jenis pangan "
             "mendapat satu nomor P-IRT.</p>"),
            ("Ikut Penyuluhan Keamanan Pangan (PKP)",
             "<p>Dinas Kesehatan kabupaten mengadakan penyuluhan tentang kebersihan, bahan "
             "tambahan pangan, dan label. Setelah ikut, Anda mendapat <b>sertifikat PKP</b>. "
             "Jadwalnya tidak setiap bulan, jadi tanyakan sejak awal.</p>"),
            ("Siapkan dapur untuk pemeriksaan",
             "<p>Petugas datang memeriksa tempat produksi. Yang kami perbaiki sebelumnya:</p>"
             "<ul><li>Tempat cuci tangan dengan sabun di dekat meja kerja.</li>"
             "<li>Bahan disimpan di rak, tidak di lantai.</li>"
             "<li>Ayam dan kucing tidak masuk ruang produksi.</li>"
             "<li>Pekerja memakai celemek, penutup kepala, dan sarung tangan saat "
             "mengemas.</li></ul>"),
            ("Terima SPP-IRT dan cantumkan nomornya",
             "<p>Setelah pemeriksaan lulus, SPP-IRT terbit dengan nomor P-IRT. Cantumkan nomor "
             "itu di label setiap kemasan. Catat masa berlakunya dan perpanjang sebelum "
             "habis.</p>"),
        ),
        checklist("Isi label setelah dapat P-IRT",
                  "Nama produk", "Daftar bahan", "Berat bersih",
                  "Nama dan alamat produsen", "Nomor P-IRT",
                  "Tanggal kedaluwarsa", "Kode produksi"),
        tip("<p>Urus bersama-sama. Penyuluhan biasanya untuk kelompok, jadi ajak tetangga yang "
            "juga berjualan makanan. Di Guyub, Keripik Sari juga membantu menyiapkan berkas "
            "P-IRT.</p>"),
        note("<p>Masa berlaku, biaya (jika ada), dan jadwal penyuluhan berbeda di tiap kabupaten "
             "dan bisa berubah. Pastikan ke Dinas Kesehatan atau lewat OSS.</p>"),
    ],
    english=English(
        title="Getting the SPP-IRT (P-IRT) permit for home-made food",
        summary="How Keripik Sari got its P-IRT food permit: from the NIB and the food-safety "
                "course to the kitchen inspection and the P-IRT number on the label.",
        body=[
            text("<p>The SPP-IRT (home-industry food production certificate), usually called "
                 "P-IRT, is the permit to sell processed food made at home. With a P-IRT number "
                 "on the label, souvenir shops, resellers and city buyers trust a product "
                 "more.</p>"
                 "<p>We at Keripik Sari applied together with other members of Koperasi UMKM "
                 "Banyumas Maju. These are the steps we went through.</p>"),
            warning("<p><b>Not every food can get a P-IRT.</b> Food that must be kept chilled "
                    "or frozen (such as frozen nuggets), milk products, canned food and baby "
                    "food usually need a BPOM (MD) registration instead. Ask the regency's "
                    "health office (Dinas Kesehatan) about your product before applying.</p>"),
            checklist("Documents we prepared",
                      "The NIB from OSS (see the NIB guide)",
                      "The owner's ID card (KTP)",
                      "Photos of the kitchen and production room",
                      "The ingredients of each product",
                      "A draft of the package label"),
            steps(
                ("Make sure you have an NIB",
                 "<p>The P-IRT is requested in the same OSS account as the NIB. Choose the "
                 "food-industry KBLI code that fits your product.</p>"),
                ("Apply for the SPP-IRT in OSS",
                 "<p>Continue to the permit for your food product and enter its data: kind of "
                 "food, ingredients, packaging and storage. Usually each kind of food gets its "
                 "own P-IRT number.</p>"),
                ("Attend the food-safety course (PKP)",
                 "<p>The regency's health office runs a course on hygiene, food additives and "
                 "labels. Afterwards you receive a <b>PKP certificate</b>. Courses are not held "
                 "every month, so ask early.</p>"),
                ("Prepare the kitchen for inspection",
                 "<p>An officer visits the production place. What we improved beforehand:</p>"
                 "<ul><li>A hand-washing place with soap near the work table.</li>"
                 "<li>Ingredients on shelves, not on the floor.</li>"
                 "<li>No chickens or cats in the production room.</li>"
                 "<li>Workers wear aprons, hair covers and gloves when packing.</li></ul>"),
                ("Receive the SPP-IRT and print the number",
                 "<p>Once the inspection is passed, the SPP-IRT is issued with a P-IRT number. "
                 "Print the number on every package. Note how long it is valid and renew it in "
                 "time.</p>"),
            ),
            checklist("On the label once you have the P-IRT",
                      "Product name", "Ingredients", "Net weight",
                      "Producer's name and address", "P-IRT number",
                      "Best-before date", "Production code"),
            tip("<p>Apply together. The course is usually given to groups, so bring neighbours "
                "who also sell food. On Guyub, Keripik Sari also helps prepare P-IRT "
                "documents.</p>"),
            note("<p>Validity, fees (if any) and course dates differ between regencies and can "
                 "change. Check with the Dinas Kesehatan or in OSS.</p>"),
        ],
    ),
)

HALAL = DemoArticle(
    slug="sertifikasi-halal-jalur-self-declare",
    title="Sertifikasi halal gratis jalur self-declare",
    kind="guide",
    topic="perizinan",
    summary="Usaha mikro dengan produk sederhana bisa mengajukan sertifikat halal lewat "
            "pernyataan pelaku usaha (self-declare), didampingi Pendamping Proses Produk Halal.",
    days_ago=262,
    tags=("halal", "sertifikasi", "self-declare", "perizinan"),
    body=[
        text("<p>Sertifikat halal diterbitkan oleh <b>BPJPH</b> (Badan Penyelenggara Jaminan "
             "Produk Halal) lewat aplikasi SIHALAL di "
             "<a href=\"https://ptsp.halal.go.id\">ptsp.halal.go.id</a>. Untuk usaha mikro dan "
             "kecil ada jalur <b>self-declare</b> (pernyataan pelaku usaha). Prosesnya lebih "
             "sederhana dan, selama kuota program sertifikasi halal gratis tersedia, tanpa "
             "biaya.</p>"
             "<p>Kewajiban bersertifikat halal untuk makanan dan minuman berlaku bertahap. Batas "
             "waktu untuk usaha mikro dan kecil sudah pernah diatur ulang, jadi cek informasi "
             "terbaru di situs BPJPH.</p>"),
        checklist("Apakah produk Anda cocok untuk self-declare?",
                  "Usaha mikro atau kecil dan sudah punya NIB",
                  "Produknya tidak berisiko tinggi (misalnya bukan olahan daging sembelihan "
                  "yang belum jelas kehalalannya)",
                  "Semua bahan sudah jelas halal atau sudah bersertifikat halal",
                  "Proses produksinya sederhana",
                  "Tempat produksi terpisah dari bahan atau produk yang tidak halal"),
        steps(
            ("Siapkan NIB dan daftar bahan",
             "<p>Tulis semua bahan sampai yang kecil-kecil: minyak, bumbu, penyedap, tepung, "
             "dan kemasan yang bersentuhan dengan makanan. Foto label bahan yang sudah berlogo "
             "halal.</p>"),
            ("Buat akun SIHALAL",
             "<p>Daftar di ptsp.halal.go.id memakai email dan data usaha sesuai NIB.</p>"),
            ("Ajukan jalur self-declare dan pilih pendamping",
             "<p>Anda akan didampingi <b>Pendamping Proses Produk Halal (PPH)</b> dari lembaga "
             "pendamping. Pendamping bisa dipilih di aplikasi, atau ditanyakan ke penyuluh "
             "agama di KUA kecamatan.</p>"),
            ("Isi data produk dan alur produksi",
             "<p>Bersama pendamping, isi nama produk, bahan, dan alur produksi. Pendamping "
             "memeriksa bahwa bahan dan cara membuatnya sesuai yang ditulis.</p>"),
            ("Tunggu penetapan dan sertifikat",
             "<p>Setelah diverifikasi, permohonan diperiksa untuk penetapan kehalalan, lalu "
             "BPJPH menerbitkan sertifikat. Unduh sertifikat dari akun SIHALAL.</p>"),
            ("Pasang label Halal Indonesia",
             "<p>Cantumkan logo Halal Indonesia yang resmi di kemasan. Jika mengganti atau "
             "menambah bahan, laporkan dulu: sertifikat berlaku untuk bahan yang "
             "didaftarkan.</p>"),
        ),
        warning("<p>Jangan memasang logo halal sebelum sertifikat terbit. Mencantumkan logo "
                "halal tanpa sertifikat bisa dikenai sanksi.</p>"),
        note("<p>Kuota sertifikasi halal gratis dibuka per periode dan syaratnya bisa berubah. "
             "Pantau pengumuman BPJPH, atau tanyakan ke kantor Kementerian Agama dan Dinas "
             "Koperasi dan UKM setempat.</p>"),
    ],
)

KERIPIK_PACKING = DemoArticle(
    slug="mengemas-keripik-agar-tidak-hancur",
    title="Mengemas keripik agar tidak hancur saat dikirim",
    kind="guide",
    topic="kemasan",
    summary="Keripik yang sampai dalam keadaan remuk membuat pembeli kecewa. Begini kami "
            "mengemas dan mengepak keripik untuk pengiriman jauh.",
    days_ago=205,
    enterprise="keripik-sari",
    tags=("keripik", "kemasan", "pengiriman", "standing pouch"),
    products=(("keripik-sari", "Keripik Singkong"), ("keripik-sari", "Rengginang")),
    body=[
        text("<p>Pesanan pertama kami ke Jakarta sampai dengan separuh keripik remuk. Sejak itu "
             "kami mengubah cara mengemas. Kuncinya tiga: keripik benar-benar dingin dan kering "
             "sebelum dikemas, kemasan yang kuat dan rapat, dan kardus yang terisi penuh "
             "sehingga bungkus tidak bergerak.</p>"),
        steps(
            ("Dinginkan dan tiriskan dulu",
             "<p>Tiriskan keripik (lebih baik dengan spinner peniris minyak), lalu "
             "angin-anginkan sampai dingin. Keripik yang dikemas masih hangat berembun di dalam "
             "plastik dan cepat melempem.</p>"),
            ("Pilih kemasan yang kuat",
             "<p>Pakai standing pouch berlapis metalizing atau aluminium foil dengan zipper. "
             "Lapisan ini menahan udara dan cahaya, jadi keripik tidak cepat tengik.</p>"),
            ("Sisakan udara sebagai bantalan",
             "<p>Jangan memadatkan isi dan jangan membuang semua udara. Udara di dalam kemasan "
             "menjadi bantalan saat kardus terguncang.</p>"),
            ("Segel rapat",
             "<p>Tutup dengan sealer, lalu tekan pelan kemasannya: kalau udara keluar, segel "
             "ulang. Segel yang bocor membuat keripik lembek dalam beberapa hari.</p>"),
            ("Susun berdiri di kardus",
             "<p>Susun bungkus berdiri berjajar di kardus yang ukurannya pas. Isi sela-sela "
             "dengan kertas koran remas atau bubble wrap sampai bungkus tidak bisa bergeser.</p>"),
            ("Beri tanda dan lapisan tambahan",
             "<p>Tulis \"Makanan, jangan dibanting\" dan tanda panah ke atas di semua sisi. Untuk "
             "pengiriman jauh, minta ekspedisi menambah kardus luar atau bubble wrap.</p>"),
        ),
        warning("<p><b>Jangan mengemas keripik matang dengan mesin vakum.</b> Tekanan vakum "
                "meremukkan keripik. Vakum cocok untuk kerupuk mentah, emping mentah, atau "
                "rengginang yang belum digoreng.</p>"),
        checklist("Sebelum kardus ditutup",
                  "Semua bungkus sudah disegel dan tidak bocor",
                  "Tanggal kedaluwarsa dan kode produksi tercetak",
                  "Sela-sela kardus terisi penuh",
                  "Nota atau daftar isi ada di dalam",
                  "Semua sambungan kardus dilakban rapat"),
        tip("<p>Goyang kardus sebelum dikirim. Kalau terdengar bungkus bergeser, tambah isian. "
            "Rekam video saat mengepak: berguna jika perlu klaim ke ekspedisi.</p>"),
    ],
    english=English(
        title="Packing chips so they arrive whole",
        summary="Chips that arrive crushed disappoint buyers. This is how we pack cassava chips "
                "for long-distance shipping.",
        body=[
            text("<p>Our first order to Jakarta arrived with half the chips crushed. Since then "
                 "we pack differently. There are three keys: chips fully cooled and dry before "
                 "packing, a strong and well-sealed pouch, and a box filled so that nothing "
                 "moves.</p>"),
            steps(
                ("Cool and drain first",
                 "<p>Drain the chips (an oil spinner works best) and let them cool in the air. "
                 "Chips packed while warm steam up inside the plastic and go soft.</p>"),
                ("Choose a strong pouch",
                 "<p>Use a metallised or aluminium-foil standing pouch with a zip. The lining "
                 "keeps out air and light, so the chips do not go rancid quickly.</p>"),
                ("Leave some air as a cushion",
                 "<p>Do not press the chips down or squeeze out all the air. The air inside "
                 "cushions the chips when the box is shaken.</p>"),
                ("Seal it tight",
                 "<p>Close with a sealer, then press the pouch gently: if air escapes, seal it "
                 "again. A leaking seal makes chips soft within days.</p>"),
                ("Stand the pouches in the box",
                 "<p>Stand the pouches side by side in a box that fits. Fill the gaps with "
                 "crumpled newspaper or bubble wrap until nothing can slide.</p>"),
                ("Mark the box and add a layer",
                 "<p>Write \"Food, do not throw\" and arrows pointing up on every side. For "
                 "long distances, ask the courier for an extra outer box or bubble wrap.</p>"),
            ),
            warning("<p><b>Never vacuum-pack fried chips.</b> The vacuum crushes them. Vacuum "
                    "packing suits raw crackers, raw emping or unfried rengginang.</p>"),
            checklist("Before closing the box",
                      "Every pouch is sealed and does not leak",
                      "Best-before date and production code are printed",
                      "The gaps in the box are filled",
                      "The invoice or packing list is inside",
                      "Every seam of the box is taped"),
            tip("<p>Shake the box before sending. If you hear pouches moving, add filling. Film "
                "yourself packing: useful if you need to claim from the courier.</p>"),
        ],
    ),
)

POUCH_LABEL = DemoArticle(
    slug="memilih-standing-pouch-dan-label-wajib",
    title="Memilih kemasan standing pouch dan isi label yang wajib",
    kind="article",
    topic="kemasan",
    summary="Jenis-jenis standing pouch, kapan memakai jendela bening, dan keterangan apa saja "
            "yang harus tercantum di label makanan.",
    days_ago=232,
    enterprise="studio-foto-produk-rina",
    tags=("kemasan", "label", "standing pouch"),
    skills=("desain-kemasan",),
    products=(("studio-foto-produk-rina", "Label"),),
    body=[
        text("<h2>Jenis standing pouch</h2>"
             "<p>Standing pouch adalah kemasan plastik yang bisa berdiri sendiri di rak. Untuk "
             "makanan kering seperti keripik, gula semut, kopi bubuk, dan jahe instan, ada "
             "beberapa pilihan:</p>"
             "<ul><li><b>Plastik bening</b>: murah dan isinya terlihat, tetapi cahaya dan udara "
             "mudah masuk. Cocok untuk produk yang cepat habis.</li>"
             "<li><b>Metalizing</b>: bagian dalam mengilap keperakan, menahan cahaya dan udara "
             "lebih baik. Pilihan umum untuk keripik.</li>"
             "<li><b>Aluminium foil</b>: paling rapat, cocok untuk kopi bubuk dan produk yang "
             "mudah tengik atau menyerap lembap.</li>"
             "<li><b>Kraft (kertas cokelat) berlapis</b>: terlihat alami dan disukai toko "
             "oleh-oleh; pastikan ada lapisan plastik atau foil di dalamnya.</li></ul>"
             "<p>Jendela bening membantu pembeli melihat isi, tetapi bagian itu lebih mudah "
             "ditembus cahaya. Untuk produk berminyak, jendela kecil lebih aman.</p>"
             "<h2>Zipper, ukuran, dan katup</h2>"
             "<p>Pilih ukuran yang pas dengan isi. Zipper memudahkan pembeli menutup kembali "
             "kemasan sehingga produk tetap renyah. Untuk kopi sangrai, pertimbangkan katup satu "
             "arah (<i>one-way valve</i>) supaya gas dari biji bisa keluar.</p>"
             "<h2>Yang wajib ada di label makanan</h2>"
             "<p>Label pangan olahan paling tidak memuat keterangan berikut:</p>"),
        checklist("Isi label wajib",
                  "Nama produk",
                  "Daftar bahan (komposisi), dari yang terbanyak",
                  "Berat bersih atau isi bersih",
                  "Nama dan alamat produsen",
                  "Nomor izin edar (P-IRT atau BPOM MD)",
                  "Tanggal dan kode produksi",
                  "Tanggal kedaluwarsa (\"Baik digunakan sebelum ...\")",
                  "Logo halal, hanya jika sudah bersertifikat"),
        text("<p>Tambahkan juga yang membantu pembeli: nomor WhatsApp, tautan toko Guyub, cara "
             "penyimpanan (\"Simpan di tempat kering, tutup kembali setelah dibuka\"), dan saran "
             "penyajian.</p>"),
        tip("<p>Cetak label sebagai stiker dan tempel pada pouch polos. Lebih murah untuk jumlah "
            "kecil dan mudah diganti jika komposisi atau izin berubah. Pouch yang dicetak "
            "langsung baru hemat jika memesan ribuan lembar: pesan bersama lewat koperasi.</p>"),
        note("<p>Ketentuan label bisa diperbarui. Untuk kepastian, tanyakan ke Dinas Kesehatan "
             "(P-IRT) atau Balai POM setempat.</p>"),
    ],
)

HPP = DemoArticle(
    slug="menghitung-hpp-sederhana",
    title="Menghitung harga pokok produksi (HPP) sederhana",
    kind="guide",
    topic="keuangan",
    summary="Berapa sebenarnya biaya satu bungkus produk Anda? Hitung bahan, kemasan, bahan "
            "bakar, dan tenaga sendiri, lalu tentukan harga jual.",
    days_ago=318,
    tags=("hpp", "harga", "keuangan", "keripik"),
    skills=("pembukuan",),
    body=[
        text("<p>Banyak usaha rumahan menentukan harga dengan melihat harga tetangga. Akibatnya "
             "ada yang ramai pembeli, tetapi uangnya tidak bertambah. Harga pokok produksi "
             "(HPP) adalah biaya untuk membuat satu satuan produk. Harga jual harus di atas "
             "HPP.</p>"),
        steps(
            ("Pilih satu kali produksi",
             "<p>Hitung untuk satu kali masak atau satu adonan, misalnya 20 kg singkong.</p>"),
            ("Catat semua bahan",
             "<p>Bahan utama, bumbu, dan minyak. Pakai harga beli terakhir, bukan harga "
             "dulu.</p>"),
            ("Tambahkan kemasan dan label",
             "<p>Harga per bungkus dikali jumlah bungkus yang dihasilkan.</p>"),
            ("Tambahkan bahan bakar dan biaya lain",
             "<p>Gas, listrik, air, dan ongkos ke pasar untuk belanja bahan.</p>"),
            ("Hitung tenaga kerja, termasuk Anda sendiri",
             "<p>Upah pekerja dan juga upah untuk diri Anda. Kalau tenaga sendiri tidak "
             "dihitung, usaha terlihat untung padahal Anda bekerja tanpa bayaran.</p>"),
            ("Bagi dengan hasil produksi",
             "<p>Jumlahkan semua biaya lalu bagi dengan jumlah bungkus yang siap jual, tanpa "
             "yang gosong atau remuk.</p>"),
        ),
        text("<h2>Contoh: keripik singkong 250 g</h2>"
             "<p>Satu kali produksi 20 kg singkong menghasilkan sekitar 6 kg keripik, atau 24 "
             "bungkus 250 g.</p>"
             "<ul><li>Singkong 20 kg × Rp 3.000 = Rp 60.000</li>"
             "<li>Minyak goreng 3 liter × Rp 18.000 = Rp 54.000</li>"
             "<li>Bumbu dan garam = Rp 15.000</li>"
             "<li>Gas elpiji 3 kg, satu tabung = Rp 22.000</li>"
             "<li>Standing pouch 24 × Rp 1.500 = Rp 36.000</li>"
             "<li>Stiker label 24 × Rp 300 = Rp 7.200</li>"
             "<li>Tenaga: dua orang setengah hari = Rp 80.000</li></ul>"
             "<p><b>Total biaya: Rp 274.200.</b> HPP per bungkus: Rp 274.200 ÷ 24 = "
             "<b>Rp 11.425</b>, dibulatkan Rp 11.500.</p>"
             "<p>Jika dijual Rp 15.000, laba kotornya sekitar Rp 3.500 per bungkus. Jika dijual "
             "Rp 12.000 seperti di pasar dekat rumah, labanya hanya Rp 500: tidak cukup untuk "
             "mengganti wajan yang rusak.</p>"
             "<p>Pouch di contoh ini dibeli eceran. Lewat pesanan bersama koperasi, harga per "
             "lembar bisa jauh lebih murah, dan HPP ikut turun.</p>"),
        checklist("Biaya yang sering terlupa",
                  "Upah diri sendiri",
                  "Gas dan listrik",
                  "Ongkos belanja bahan",
                  "Produk rusak atau gagal",
                  "Sampel gratis untuk calon pembeli",
                  "Penggantian alat: wajan, sealer, timbangan"),
        tip("<p>Hitung ulang HPP setiap harga bahan naik, terutama minyak goreng dan gas. Simpan "
            "hitungannya di buku atau catatan HP.</p>"),
    ],
    english=English(
        title="Working out your production cost (HPP), simply",
        summary="What does one pack of your product really cost? Count ingredients, "
                "packaging, fuel and your own work, then set the selling price.",
        body=[
            text("<p>Many home businesses set prices by looking at the neighbours' prices. Some "
                 "then have plenty of buyers but no more money. The cost of goods (HPP, "
                 "<i>harga pokok produksi</i>) is what it costs to make one unit. The selling "
                 "price must be above it.</p>"),
            steps(
                ("Take one production run",
                 "<p>Count one batch, for example 20 kg of cassava.</p>"),
                ("Write down every ingredient",
                 "<p>Main ingredients, spices and oil, at the latest price you paid.</p>"),
                ("Add packaging and labels",
                 "<p>The price per pack times the number of packs.</p>"),
                ("Add fuel and other costs",
                 "<p>Gas, electricity, water and the trip to the market to buy supplies.</p>"),
                ("Count the work, your own included",
                 "<p>Wages for helpers and a wage for yourself. Without your own work the "
                 "business looks profitable while you work for nothing.</p>"),
                ("Divide by what you made",
                 "<p>Add up all costs and divide by the packs ready to sell, not counting burnt "
                 "or broken ones.</p>"),
            ),
            text("<h2>Example: cassava chips, 250 g</h2>"
                 "<p>One batch of 20 kg of cassava gives about 6 kg of chips, or 24 packs of "
                 "250 g.</p>"
                 "<ul><li>Cassava 20 kg × Rp 3.000 = Rp 60.000</li>"
                 "<li>Cooking oil 3 litres × Rp 18.000 = Rp 54.000</li>"
                 "<li>Spices and salt = Rp 15.000</li>"
                 "<li>LPG, one 3 kg cylinder = Rp 22.000</li>"
                 "<li>Standing pouches 24 × Rp 1.500 = Rp 36.000</li>"
                 "<li>Label stickers 24 × Rp 300 = Rp 7.200</li>"
                 "<li>Work: two people for half a day = Rp 80.000</li></ul>"
                 "<p><b>Total: Rp 274.200.</b> Cost per pack: Rp 274.200 ÷ 24 = "
                 "<b>Rp 11.425</b>, rounded to Rp 11.500.</p>"
                 "<p>Sold at Rp 15.000, the gross profit is about Rp 3.500 per pack. Sold at "
                 "Rp 12.000, as at the nearby market, it is only Rp 500: not enough to replace "
                 "a broken wok.</p>"
                 "<p>The pouches in this example were bought retail. Through a cooperative's "
                 "bulk order they can cost far less each, and the production cost falls with "
                 "them.</p>"),
            checklist("Costs people forget",
                      "A wage for yourself",
                      "Gas and electricity",
                      "Trips to buy supplies",
                      "Spoilt or failed batches",
                      "Free samples for buyers",
                      "Replacing tools: wok, sealer, scales"),
            tip("<p>Work the cost out again whenever ingredients go up, especially cooking oil "
                "and gas. Keep the sums in a notebook or on your phone.</p>"),
        ],
    ),
)

WHOLESALE = DemoArticle(
    slug="menentukan-harga-grosir-untuk-pembeli-kota",
    title="Menentukan harga grosir untuk pembeli kota",
    kind="article",
    topic="keuangan",
    summary="Toko oleh-oleh dan reseller di kota membeli banyak tetapi meminta harga lebih "
            "murah. Cara membuat daftar harga bertingkat yang tetap menguntungkan.",
    days_ago=152,
    enterprise="gula-kelapa-pageraji",
    tags=("harga", "grosir", "reseller"),
    products=(("gula-kelapa-pageraji", "Gula Semut"),),
    body=[
        text("<p>Sejak kelompok kami memasok gula semut ke toko oleh-oleh di Purwokerto, kami "
             "belajar satu hal: harga grosir tidak boleh asal diskon. Reseller perlu untung, "
             "tetapi kita juga.</p>"
             "<h2>1. Mulai dari HPP</h2>"
             "<p>Hitung dulu harga pokok per kemasan (lihat panduan HPP). Harga grosir terendah "
             "harus tetap di atas HPP ditambah laba minimum yang Anda tentukan, misalnya "
             "15%.</p>"
             "<h2>2. Pahami kebutuhan reseller</h2>"
             "<p>Toko di kota biasanya mengambil untung 25–40% dari harga belinya, karena mereka "
             "membayar sewa, pegawai, dan menanggung barang yang tidak laku. Jika harga eceran "
             "yang wajar di kota Rp 35.000, toko akan mencari harga beli sekitar "
             "Rp 25.000–28.000.</p>"
             "<h2>3. Buat harga bertingkat</h2>"
             "<p>Contoh untuk gula semut 500 g:</p>"
             "<ul><li>Eceran (1–9 bungkus): Rp 32.000</li>"
             "<li>Reseller (10–49 bungkus): Rp 28.000</li>"
             "<li>Grosir (50 bungkus ke atas): Rp 26.000</li></ul>"
             "<p>Potongan harga dibayar oleh jumlah: membuat 50 bungkus sekaligus menghemat "
             "waktu, gas, dan ongkos kirim per bungkus.</p>"
             "<h2>4. Tentukan ongkir dan cara bayar</h2>"
             "<p>Tulis dengan jelas: harga belum termasuk ongkos kirim; pembayaran lunas sebelum "
             "dikirim, atau tempo 14 hari untuk pelanggan tetap. Hati-hati dengan titip jual "
             "(konsinyasi): uang baru masuk setelah barang laku, dan barang yang kembali bisa "
             "sudah rusak.</p>"
             "<h2>5. Tulis daftar harga dan patuhi</h2>"
             "<p>Kirim daftar harga dalam satu gambar atau PDF. Jangan memberi harga grosir "
             "untuk pembelian eceran karena sungkan: pelanggan lain akan tahu.</p>"),
        tip("<p>Jika pembeli meminta harga di bawah batas Anda, tawarkan hal lain: jumlah "
            "minimum lebih besar, kemasan curah tanpa label, atau pembayaran di muka.</p>"),
        note("<p>Angka di atas hanya contoh. Sesuaikan dengan HPP dan harga pasar produk Anda "
             "sendiri.</p>"),
    ],
)

BOOKKEEPING = DemoArticle(
    slug="pembukuan-sederhana-pisahkan-uang-usaha",
    title="Pembukuan sederhana: memisahkan uang usaha dan rumah tangga",
    kind="guide",
    topic="keuangan",
    summary="Langkah pertama pembukuan bukan aplikasi yang rumit, melainkan tempat uang yang "
            "terpisah dan satu buku kas yang diisi setiap hari.",
    days_ago=276,
    tags=("pembukuan", "keuangan", "buku kas"),
    skills=("pembukuan",),
    body=[
        text("<p>Uang usaha yang bercampur dengan uang dapur membuat kita tidak tahu apakah "
             "usaha untung atau rugi. Kalau uang belanja bahan terpakai untuk keperluan rumah, "
             "produksi berikutnya terhambat. Pembukuan sederhana dimulai dari kebiasaan "
             "kecil.</p>"),
        steps(
            ("Pisahkan tempat uangnya",
             "<p>Sediakan dompet, kotak, atau rekening khusus usaha. Semua uang penjualan masuk "
             "ke sini, semua belanja usaha keluar dari sini.</p>"),
            ("Gaji diri sendiri",
             "<p>Tentukan jumlah tetap yang Anda ambil untuk rumah tangga, misalnya setiap "
             "Sabtu, dan catat sebagai \"gaji pemilik\". Jangan mengambil uang usaha di luar "
             "itu tanpa dicatat.</p>"),
            ("Catat setiap hari di buku kas",
             "<p>Satu baris untuk setiap uang masuk atau keluar: tanggal, keterangan, masuk, "
             "keluar, dan saldo. Lima menit sebelum tidur sudah cukup.</p>"),
            ("Simpan semua nota",
             "<p>Masukkan nota belanja ke satu amplop per bulan. Untuk belanja tanpa nota, tulis "
             "sendiri di kertas kecil.</p>"),
            ("Hitung setiap akhir bulan",
             "<p>Jumlahkan penjualan dan biaya, lalu hitung sisanya. Cocokkan saldo di buku "
             "dengan uang di dompet atau rekening. Kalau berbeda, cari sebabnya selagi masih "
             "ingat.</p>"),
        ),
        download("buku-kas-harian",
                 "Contoh buku kas harian (CSV, bisa dibuka di Excel atau Google Sheets)"),
        checklist("Kolom buku kas harian",
                  "Tanggal",
                  "Keterangan (misalnya: jual 20 bungkus ke warung Bu Tum)",
                  "Uang masuk", "Uang keluar", "Saldo"),
        tip("<p>Pinjaman dari keluarga atau tambahan modal dari tabungan juga dicatat sebagai "
            "uang masuk dengan keterangan jelas, supaya tidak terhitung sebagai penjualan.</p>"),
        note("<p>Catatan bulanan yang rapi memudahkan Anda mengajukan pinjaman usaha. Untuk "
             "aturan pajak UMKM yang berlaku, tanyakan ke kantor pajak (KPP) terdekat.</p>"),
    ],
)

PHOTO = DemoArticle(
    slug="foto-produk-dengan-ponsel-dan-cahaya-jendela",
    title="Foto produk dengan ponsel dan cahaya jendela",
    kind="guide",
    topic="pemasaran-digital",
    summary="Tidak perlu kamera mahal atau lampu studio. Dengan jendela, selembar styrofoam, dan "
            "ponsel biasa, foto produk Anda bisa rapi dan menarik.",
    days_ago=182,
    enterprise="studio-foto-produk-rina",
    tags=("foto produk", "ponsel", "pemasaran"),
    skills=("fotografi-produk",),
    products=(("studio-foto-produk-rina", "Foto"),),
    body=[
        text("<p>Di Studio Foto Produk Rina, sebagian besar foto untuk UMKM kami buat dengan "
             "cahaya jendela. Caranya bisa dipelajari siapa saja. Foto yang terang dan jelas "
             "membuat pembeli di kota berani memesan tanpa melihat barangnya langsung.</p>"),
        checklist("Alat yang dibutuhkan",
                  "Ponsel dengan lensa kamera yang sudah dilap bersih",
                  "Jendela yang tidak terkena matahari langsung",
                  "Karton putih atau papan kayu sebagai alas",
                  "Styrofoam atau karton putih sebagai pemantul cahaya",
                  "Meja kecil atau kursi"),
        steps(
            ("Cari cahaya jendela yang lembut",
             "<p>Letakkan meja di samping jendela. Waktu terbaik biasanya pagi atau sore. Jika "
             "matahari masuk langsung, tutup jendela dengan kain tipis putih supaya bayangan "
             "lebih halus.</p>"),
            ("Matikan lampu ruangan dan flash",
             "<p>Lampu kuning di ruangan mengubah warna produk. Flash membuat pantulan keras "
             "dan bayangan tajam. Cukup cahaya dari jendela.</p>"),
            ("Siapkan latar sederhana",
             "<p>Lengkungkan karton putih dari meja ke dinding, atau pakai papan kayu untuk "
             "kesan alami. Singkirkan barang lain dari latar.</p>"),
            ("Pasang pemantul",
             "<p>Berdirikan styrofoam putih di sisi yang berlawanan dengan jendela untuk "
             "menerangi sisi produk yang gelap.</p>"),
            ("Atur sudut pengambilan",
             "<p>Kemasan berdiri seperti standing pouch: foto dari depan, sedikit dari atas. "
             "Kain batik dan barang datar: foto tegak lurus dari atas. Ambil juga foto detail "
             "dari dekat: tekstur keripik, goresan canting, serat anyaman.</p>"),
            ("Fokus dan atur terang",
             "<p>Ketuk layar pada produk untuk fokus, lalu geser ikon matahari untuk menambah "
             "atau mengurangi terang. Jangan pakai zoom digital; lebih baik mendekat.</p>"),
            ("Sunting secukupnya",
             "<p>Potong menjadi persegi untuk katalog dan tambah sedikit kecerahan jika perlu. "
             "Jangan mengubah warna sampai berbeda dari aslinya: pembeli akan kecewa saat barang "
             "datang.</p>"),
        ),
        tip("<p>Buat satu gaya untuk semua produk: latar yang sama, sudut yang sama. Katalog "
            "yang seragam terlihat lebih profesional.</p>"),
        warning("<p>Jangan memakai foto dari internet atau foto milik penjual lain. Selain "
                "melanggar hak cipta, pembeli merasa tertipu jika barangnya berbeda.</p>"),
        checklist("Foto yang perlu ada untuk setiap produk",
                  "Foto utama dengan latar bersih",
                  "Foto detail atau tekstur",
                  "Foto ukuran, dibandingkan dengan tangan atau benda sehari-hari",
                  "Foto kemasan dan label",
                  "Foto saat dipakai atau disajikan"),
    ],
    english=English(
        title="Product photos with a phone and window light",
        summary="No expensive camera or studio lights needed. With a window, a sheet of "
                "polystyrene and an ordinary phone, your product photos can look neat and "
                "inviting.",
        body=[
            text("<p>At Studio Foto Produk Rina we make most photos for small enterprises with "
                 "window light. Anyone can learn it. Bright, clear photos give city buyers the "
                 "confidence to order without seeing the goods.</p>"),
            checklist("What you need",
                      "A phone with a clean camera lens",
                      "A window without direct sunlight",
                      "White card or a wooden board as a base",
                      "White polystyrene or card to reflect light",
                      "A small table or a chair"),
            steps(
                ("Find soft window light",
                 "<p>Put the table beside a window. Mornings and late afternoons are usually "
                 "best. If the sun shines straight in, hang a thin white cloth over the window "
                 "for softer shadows.</p>"),
                ("Turn off room lights and the flash",
                 "<p>Yellow room lights change the product's colours. The flash makes hard "
                 "reflections and sharp shadows. Window light is enough.</p>"),
                ("Set up a simple background",
                 "<p>Curve white card from the table up to the wall, or use a wooden board for "
                 "a natural look. Clear everything else out of the picture.</p>"),
                ("Add a reflector",
                 "<p>Stand the white polystyrene opposite the window to light the dark side of "
                 "the product.</p>"),
                ("Choose the angle",
                 "<p>Standing packs: from the front, slightly above. Batik cloth and flat "
                 "things: straight down from above. Also take close-ups: the texture of chips, "
                 "the lines of the canting, the weave of a basket.</p>"),
                ("Focus and set the brightness",
                 "<p>Tap the product on the screen to focus, then slide the sun icon to "
                 "brighten or darken. Do not use digital zoom; move closer instead.</p>"),
                ("Edit lightly",
                 "<p>Crop to a square for catalogues and add a little brightness if needed. "
                 "Never change colours away from the real thing: buyers will be disappointed "
                 "when it arrives.</p>"),
            ),
            tip("<p>Use one style for all products: the same background, the same angle. A "
                "consistent catalogue looks professional.</p>"),
            warning("<p>Never use photos from the internet or other sellers' photos. Besides "
                    "breaking copyright, buyers feel cheated when the product differs.</p>"),
            checklist("Photos every product needs",
                      "A main photo on a clean background",
                      "A detail or texture photo",
                      "A size photo, next to a hand or an everyday object",
                      "The package and label",
                      "The product in use or served"),
        ],
    ),
)

WHATSAPP = DemoArticle(
    slug="katalog-whatsapp-business",
    title="Membuat katalog di WhatsApp Business",
    kind="guide",
    topic="pemasaran-digital",
    summary="Pembeli tidak perlu lagi bertanya \"ada apa saja dan berapa harganya\". Katalog "
            "WhatsApp Business menampilkan foto, harga, dan keterangan produk di satu tempat.",
    days_ago=138,
    enterprise="batik-tulis-rina",
    tags=("whatsapp", "katalog", "jualan online"),
    skills=("pemasaran-online",),
    products=(("batik-tulis-rina", "Batik"),),
    body=[
        text("<p>Hampir semua pembeli kami menghubungi lewat WhatsApp. Dengan aplikasi "
             "<b>WhatsApp Business</b> (gratis, terpisah dari WhatsApp biasa), kita bisa membuat "
             "profil usaha, katalog produk, dan balasan cepat.</p>"),
        note("<p>Nomor WhatsApp biasa bisa dipindah ke WhatsApp Business tanpa kehilangan "
             "riwayat chat, tetapi cadangkan (backup) chat dulu. Nama menu bisa sedikit berbeda "
             "di tiap versi aplikasi.</p>"),
        steps(
            ("Pasang WhatsApp Business dan isi profil",
             "<p>Unduh dari Play Store, daftarkan nomor usaha, lalu isi profil bisnis: nama "
             "usaha, kategori, deskripsi singkat, alamat, jam buka, dan tautan toko Guyub "
             "Anda.</p>"),
            ("Buka menu Katalog",
             "<p>Masuk ke <b>Alat bisnis</b>, pilih <b>Katalog</b>, lalu <b>Tambah item "
             "baru</b>.</p>"),
            ("Tambahkan produk satu per satu",
             "<p>Unggah foto, tulis nama produk, harga, deskripsi singkat, dan kode produk jika "
             "ada. Pakai foto dan deskripsi yang sama dengan toko Guyub supaya konsisten.</p>"),
            ("Kelompokkan dengan koleksi",
             "<p>Buat koleksi, misalnya \"Kain tulis\", \"Kain cap\", \"Kemeja\", supaya pembeli "
             "mudah mencari.</p>"),
            ("Atur pesan salam dan balasan cepat",
             "<p>Pesan salam menyapa pembeli baru secara otomatis. Balasan cepat, misalnya "
             "<b>/ongkir</b> atau <b>/rekening</b>, menghemat waktu mengetik jawaban yang "
             "sama.</p>"),
            ("Bagikan tautan katalog",
             "<p>Salin tautan katalog dan bagikan di Status, grup, dan media sosial. Perbarui "
             "Status setiap ada barang baru atau stok habis.</p>"),
            ("Beri label pada chat",
             "<p>Pakai label seperti \"Pesanan baru\", \"Menunggu transfer\", \"Sudah dikirim\" "
             "supaya tidak ada pesanan yang terlewat.</p>"),
        ),
        tip("<p>Tandai barang yang habis sebagai tidak tersedia, jangan dihapus. Pembeli tetap "
            "bisa bertanya kapan ada lagi.</p>"),
        checklist("Setiap item katalog sebaiknya punya",
                  "Foto yang terang dan jelas",
                  "Nama produk yang spesifik: jenis, ukuran, warna",
                  "Harga",
                  "Ukuran atau berat",
                  "Bahan dan cara perawatan",
                  "Lama pembuatan jika dibuat sesuai pesanan"),
    ],
    english=English(
        title="Making a catalogue in WhatsApp Business",
        summary="Buyers no longer need to ask \"what do you have and how much\". A WhatsApp "
                "Business catalogue shows photos, prices and details in one place.",
        body=[
            text("<p>Nearly all our buyers contact us on WhatsApp. With the <b>WhatsApp "
                 "Business</b> app (free, separate from ordinary WhatsApp) we can set up a "
                 "business profile, a product catalogue and quick replies.</p>"),
            note("<p>An ordinary WhatsApp number can move to WhatsApp Business without losing "
                 "its chats, but back them up first. Menu names may differ slightly between "
                 "versions of the app.</p>"),
            steps(
                ("Install WhatsApp Business and fill in the profile",
                 "<p>Download it from the Play Store, register the business number and fill in "
                 "the profile: name, category, a short description, address, opening hours and "
                 "the link to your Guyub shop.</p>"),
                ("Open the catalogue",
                 "<p>Go to <b>Business tools</b>, choose <b>Catalogue</b> and then <b>Add new "
                 "item</b>.</p>"),
                ("Add products one by one",
                 "<p>Upload photos and enter the name, price, a short description and a code "
                 "if you have one. Use the same photos and text as your Guyub shop.</p>"),
                ("Group them in collections",
                 "<p>Make collections such as \"Hand-drawn cloth\", \"Stamped cloth\", "
                 "\"Shirts\", so buyers find things easily.</p>"),
                ("Set a greeting and quick replies",
                 "<p>A greeting message welcomes new buyers automatically. Quick replies such "
                 "as <b>/ongkir</b> (shipping) or <b>/rekening</b> (bank account) save typing "
                 "the same answers.</p>"),
                ("Share the catalogue link",
                 "<p>Copy the link and share it in your Status, groups and social media. Update "
                 "your Status whenever something is new or sold out.</p>"),
                ("Label your chats",
                 "<p>Use labels such as \"New order\", \"Waiting for transfer\", \"Shipped\" so "
                 "no order is forgotten.</p>"),
            ),
            tip("<p>Mark sold-out items as unavailable instead of deleting them. Buyers can "
                "still ask when they are back.</p>"),
            checklist("Every catalogue item should have",
                      "A bright, clear photo",
                      "A specific name: kind, size, colour",
                      "The price",
                      "Size or weight",
                      "Material and care",
                      "Making time, if made to order"),
        ],
    ),
)

FRAGILE = DemoArticle(
    slug="mengirim-barang-mudah-pecah",
    title="Mengirim barang mudah pecah: gerabah, kaca, dan botol",
    kind="guide",
    topic="pengiriman",
    summary="Cara kami di Kasongan mengepak kendi, vas, dan celengan gerabah supaya sampai "
            "utuh, dan yang perlu disiapkan jika tetap pecah di jalan.",
    days_ago=118,
    enterprise="gerabah-kasongan-mas-joko",
    tags=("pengiriman", "gerabah", "packing", "pecah belah"),
    products=(("gerabah-kasongan-mas-joko", "Kendi"), ("gerabah-kasongan-mas-joko", "Vas")),
    body=[
        text("<p>Gerabah kuat jika diletakkan diam, tetapi rapuh terhadap benturan. Kebanyakan "
             "kerusakan terjadi karena barang bergerak di dalam kardus, atau kardus tertindih "
             "paket lain di truk. Prinsipnya: setiap barang dibungkus sendiri, tidak "
             "bersentuhan, dan tidak bisa bergerak.</p>"),
        steps(
            ("Isi rongga di dalam barang",
             "<p>Masukkan kertas koran remas ke dalam kendi, vas, atau celengan. Rongga yang "
             "terisi membuat dinding lebih tahan tekanan.</p>"),
            ("Bungkus setiap barang",
             "<p>Lilit dengan bubble wrap dua sampai tiga lapis. Bagian yang menonjol seperti "
             "pegangan dan bibir vas diberi lapisan tambahan.</p>"),
            ("Pakai kardus di dalam kardus",
             "<p>Masukkan barang ke kardus pertama yang pas, lalu masukkan kardus itu ke kardus "
             "kedua dengan jarak sekitar 5 cm di setiap sisi. Isi jarak itu dengan serutan "
             "kayu, kertas remas, atau potongan styrofoam.</p>"),
            ("Tes guncang",
             "<p>Tutup kardus dan goyangkan. Tidak boleh ada bunyi atau gerakan di dalamnya.</p>"),
            ("Tandai, dan minta packing kayu untuk barang besar",
             "<p>Tempel stiker \"Pecah belah\" dan tanda panah ke atas. Untuk barang besar atau "
             "mahal, minta packing kayu di agen ekspedisi.</p>"),
            ("Pakai asuransi dan simpan bukti",
             "<p>Pilih asuransi pengiriman sesuai nilai barang. Rekam video saat mengepak dan "
             "foto paket sebelum diserahkan. Minta pembeli merekam video saat membuka "
             "paket.</p>"),
        ),
        checklist("Bahan packing yang kami siapkan",
                  "Bubble wrap",
                  "Kardus bekas yang masih kaku, dua ukuran",
                  "Kertas koran",
                  "Serutan kayu atau potongan styrofoam",
                  "Lakban lebar",
                  "Stiker \"Pecah belah / Fragile\""),
        warning("<p>Ekspedisi biasanya hanya mengganti kerusakan jika barang diasuransikan dan "
                "dikemas sesuai syarat mereka. Baca syarat klaim setiap ekspedisi sebelum "
                "mengirim.</p>"),
        tip("<p>Sampaikan sejak awal bahwa ongkos packing kayu dan asuransi ditanggung pembeli. "
            "Kebanyakan pembeli setuju jika dijelaskan bahwa itu demi keamanan barangnya.</p>"),
    ],
)

GREEN_COFFEE = DemoArticle(
    slug="menyimpan-biji-kopi-hijau",
    title="Menyimpan biji kopi hijau agar mutunya terjaga",
    kind="guide",
    topic="produksi",
    summary="Kopi hijau yang dijemur dengan baik bisa rusak di gudang. Pengalaman Koperasi Kopi "
            "Sindoro Sumbing menyimpan kopi anggota sampai dikirim ke roaster.",
    days_ago=212,
    enterprise="kopi-sindoro-makmur",
    tags=("kopi", "green bean", "gudang", "koperasi"),
    skills=("sangrai-kopi",),
    products=(("kopi-sindoro-makmur", "Biji Kopi Mentah"),),
    body=[
        text("<p>Roaster di Semarang yang membeli kopi koperasi kami memeriksa tiga hal: kadar "
             "air, bau, dan biji cacat. Dua di antaranya ditentukan oleh cara menyimpan. Kopi "
             "hijau mudah menyerap lembap dan bau dari sekitarnya, termasuk bau tembakau, "
             "pupuk, dan bensin.</p>"),
        steps(
            ("Keringkan sampai kadar air tepat",
             "<p>Jemur sampai kadar air sekitar 11–12%. Ukur dengan alat pengukur kadar air "
             "(moisture meter) milik koperasi, jangan hanya digigit. Kopi yang terlalu basah "
             "berjamur; yang terlalu kering rapuh dan kehilangan rasa.</p>"),
            ("Dinginkan sebelum dikarungkan",
             "<p>Biji yang baru diangkat dari lantai jemur masih hangat. Biarkan dingin di tempat "
             "teduh supaya tidak berembun di dalam karung.</p>"),
            ("Pakai karung bersih dengan kantong dalam",
             "<p>Karung goni baru atau bersih, dengan kantong plastik kedap udara di dalamnya. "
             "Jangan memakai karung bekas pupuk atau beras yang berbau.</p>"),
            ("Letakkan di atas palet",
             "<p>Susun karung di atas palet kayu, jangan langsung di lantai, dan beri jarak dari "
             "dinding. Lantai dan dinding menyalurkan lembap.</p>"),
            ("Jauhkan dari bau",
             "<p>Gudang kopi tidak boleh sekaligus menjadi tempat tembakau rajangan, pupuk, "
             "pestisida, bensin, atau minyak tanah.</p>"),
            ("Beri label setiap karung",
             "<p>Tulis nama anggota, tanggal panen, proses (natural, full wash, honey), berat, "
             "dan kadar air saat masuk. Label ini juga dasar pencatatan transaksi anggota untuk "
             "SHU.</p>"),
            ("Periksa rutin, keluarkan yang lama dulu",
             "<p>Setiap dua minggu, periksa bau apek, serangga, dan kadar air beberapa karung. "
             "Kirim kopi yang masuk lebih dulu.</p>"),
        ),
        checklist("Syarat gudang kopi",
                  "Kering, atap tidak bocor",
                  "Ada ventilasi, tetapi terlindung dari hujan",
                  "Tidak terkena matahari langsung",
                  "Palet kayu untuk alas",
                  "Bebas dari bahan berbau",
                  "Dikunci, dengan buku catatan keluar-masuk"),
        tip("<p>Di Guyub, gudang koperasi bisa dipesan seperti alat bersama, jadi semua anggota "
            "tahu kapan ruangan dipakai dan biayanya tercatat.</p>"),
        note("<p>Pembeli dan standar mutu bisa meminta kadar air yang berbeda. Tanyakan syarat "
             "pembeli Anda sebelum panen.</p>"),
    ],
    english=English(
        title="Storing green coffee so it keeps its quality",
        summary="Well-dried green coffee can still spoil in the store. How the Sindoro Sumbing "
                "coffee cooperative keeps members' coffee until it goes to the roaster.",
        body=[
            text("<p>The roaster in Semarang who buys our cooperative's coffee checks three "
                 "things: moisture, smell and defects. Two of them depend on storage. Green "
                 "coffee easily takes up damp and smells around it, including tobacco, "
                 "fertiliser and petrol.</p>"),
            steps(
                ("Dry to the right moisture",
                 "<p>Dry to about 11–12% moisture. Measure with the cooperative's moisture "
                 "meter rather than by biting a bean. Too wet goes mouldy; too dry turns "
                 "brittle and loses flavour.</p>"),
                ("Cool before bagging",
                 "<p>Beans fresh from the drying floor are still warm. Let them cool in the "
                 "shade so they do not sweat in the sack.</p>"),
                ("Use clean sacks with an inner bag",
                 "<p>New or clean jute sacks with an airtight plastic liner. Never use old "
                 "fertiliser or rice sacks that smell.</p>"),
                ("Stack on pallets",
                 "<p>Stack the sacks on wooden pallets, never on the floor, and away from the "
                 "walls. Floors and walls carry damp.</p>"),
                ("Keep smells away",
                 "<p>A coffee store must not also hold shredded tobacco, fertiliser, "
                 "pesticides, petrol or kerosene.</p>"),
                ("Label every sack",
                 "<p>Write the member's name, harvest date, process (natural, fully washed, "
                 "honey), weight and moisture on arrival. The label is also the record of the "
                 "member's trade for the surplus share (SHU).</p>"),
                ("Check regularly, first in, first out",
                 "<p>Every two weeks, check a few sacks for a musty smell, insects and "
                 "moisture. Ship the oldest coffee first.</p>"),
            ),
            checklist("A good coffee store is",
                      "Dry, with a sound roof",
                      "Ventilated but sheltered from rain",
                      "Out of direct sunlight",
                      "Fitted with wooden pallets",
                      "Free of anything that smells",
                      "Locked, with an in-and-out logbook"),
            tip("<p>On Guyub the cooperative's store can be booked like shared equipment, so "
                "every member sees when it is used and its cost is recorded.</p>"),
            note("<p>Buyers and quality standards may ask for a different moisture level. Ask "
                 "your buyer before the harvest.</p>"),
        ],
    ),
)

RAT_SHU = DemoArticle(
    slug="rapat-anggota-tahunan-dan-pembagian-shu",
    title="Rapat Anggota Tahunan (RAT) dan pembagian SHU",
    kind="article",
    topic="koperasi",
    summary="RAT adalah pemegang kekuasaan tertinggi koperasi. Apa yang dibahas, siapa yang "
            "memutuskan, dan bagaimana Sisa Hasil Usaha (SHU) dibagi kepada anggota.",
    days_ago=98,
    tags=("koperasi", "rat", "shu"),
    body=[
        text("<p>Dalam koperasi, keputusan terbesar diambil oleh anggota dalam <b>Rapat "
             "Anggota</b>. Setiap tahun koperasi mengadakan <b>Rapat Anggota Tahunan (RAT)</b> "
             "setelah tahun buku berakhir. Di sini pengurus mempertanggungjawabkan pekerjaannya "
             "dan anggota memutuskan pembagian SHU.</p>"
             "<h2>Yang dibahas di RAT</h2>"
             "<ul><li>Laporan pertanggungjawaban pengurus dan laporan keuangan tahun lalu.</li>"
             "<li>Laporan pengawas.</li>"
             "<li>Penetapan dan pembagian Sisa Hasil Usaha (SHU).</li>"
             "<li>Rencana kerja dan rencana anggaran tahun berikutnya.</li>"
             "<li>Pemilihan pengurus atau pengawas jika masa jabatannya habis.</li></ul>"
             "<h2>Bagaimana SHU dibagi</h2>"
             "<p>SHU adalah selisih pendapatan dan biaya koperasi dalam satu tahun buku. SHU "
             "tidak dibagi rata. Anggaran dasar dan anggaran rumah tangga (AD/ART) menentukan "
             "bagian untuk cadangan, untuk anggota, dan untuk dana lain seperti pendidikan. "
             "Bagian anggota biasanya dibagi menurut dua hal:</p>"
             "<ul><li><b>Jasa usaha</b>: sebanding dengan transaksi anggota dengan koperasi, "
             "misalnya kopi yang disetor atau pupuk yang dibeli.</li>"
             "<li><b>Jasa modal</b>: sebanding dengan simpanan anggota (simpanan pokok dan "
             "wajib).</li></ul>"
             "<h2>Contoh hitungan jasa usaha</h2>"
             "<p>Bagian SHU untuk jasa usaha tahun ini Rp 12.000.000. Total transaksi semua "
             "anggota Rp 600.000.000. Pak Agus menyetor kopi senilai Rp 15.000.000.</p>"
             "<p>Bagian Pak Agus = Rp 12.000.000 × (15.000.000 ÷ 600.000.000) = "
             "<b>Rp 300.000</b>.</p>"
             "<p>Karena itu, pencatatan transaksi setiap anggota sepanjang tahun sangat penting. "
             "Tanpa catatan yang dipercaya, pembagian SHU mudah menimbulkan curiga.</p>"),
        tip("<p>Bagikan laporan keuangan kepada anggota beberapa hari sebelum RAT, supaya "
            "anggota sempat membaca dan menyiapkan pertanyaan. RAT yang terbuka membangun "
            "kepercayaan.</p>"),
        checklist("Persiapan RAT",
                  "Laporan keuangan tahun buku sudah ditutup",
                  "Laporan pengawas",
                  "Undangan dan bahan rapat dibagikan jauh hari",
                  "Daftar hadir untuk menghitung kuorum",
                  "Notulis dan berita acara",
                  "Rancangan rencana kerja tahun depan"),
        note("<p>Kuorum, waktu penyelenggaraan, dan kewajiban melaporkan hasil RAT diatur dalam "
             "anggaran dasar koperasi dan peraturan yang bisa berubah. Tanyakan ke Dinas "
             "Koperasi dan UKM kabupaten Anda.</p>"),
    ],
)

BULK_ORDERS = DemoArticle(
    slug="pesanan-bersama-lewat-koperasi-di-guyub",
    title="Pembelian bersama lewat koperasi (pesanan bersama) di Guyub",
    kind="guide",
    topic="koperasi",
    summary="Beli pupuk, kemasan, atau minyak goreng dalam karung dan dus utuh dengan harga "
            "grosir. Begini pesanan bersama bekerja, dari komitmen anggota sampai pembagian.",
    days_ago=61,
    tags=("pesanan bersama", "koperasi", "guyub"),
    body=[
        text("<p>Satu usaha kecil jarang bisa membeli satu karung pupuk 50 kg atau seribu lembar "
             "standing pouch sekaligus. Bersama anggota koperasi lain, bisa. Di Guyub, pengurus "
             "membuka <b>pesanan bersama</b>, anggota menyatakan berapa yang mereka butuhkan, "
             "dan Guyub menghitung pembagiannya dengan adil.</p>"),
        steps(
            ("Pengurus membuka pesanan bersama",
             "<p>Pengurus menulis barang, pemasok, ukuran kemasan (misalnya karung 50 kg), harga "
             "per satuan, jumlah kemasan minimum, dan batas waktu komitmen.</p>"),
            ("Anggota mengisi komitmen dan toleransi",
             "<p><b>Komitmen</b> adalah jumlah yang pasti Anda ambil. <b>Toleransi</b> adalah "
             "tambahan yang masih mau Anda terima supaya karung terakhir bisa penuh. Komitmen "
             "40 kg dengan toleransi 10 kg berarti Anda bersedia menerima sampai 50 kg.</p>"),
            ("Di batas waktu, Guyub membulatkan ke kemasan utuh",
             "<p>Jumlah komitmen semua anggota dibulatkan ke karung utuh. Sisa yang belum "
             "memenuhi satu karung dicukupkan dari toleransi anggota jika bisa. Jika tidak "
             "cukup, karung terakhir tidak dipesan.</p>"),
            ("Setiap anggota melihat bagiannya",
             "<p>Anggota melihat jumlah yang didapat dan yang harus dibayar. Komitmen dipenuhi "
             "lebih dulu sesuai urutan masuk, baru kemudian toleransi.</p>"),
            ("Pengurus memesan ke pemasok",
             "<p>Pengurus mengirim pesanan ke pemasok dan membagikan barang saat datang. "
             "Pembayaran anggota tercatat di Guyub sehingga semua bisa memeriksanya.</p>"),
        ),
        text("<h2>Contoh</h2>"
             "<p>Karung 50 kg, minimum 2 karung. Bu Ani komitmen 40 kg (toleransi 10 kg), Pak "
             "Budi 30 kg (toleransi 0), Bu Citra 25 kg (toleransi 20 kg). Total komitmen 95 kg: "
             "satu karung penuh dan sisa 45 kg. Sisa 45 kg ditambah toleransi 30 kg cukup untuk "
             "satu karung lagi, jadi dipesan 2 karung (100 kg). Pembagiannya: Bu Ani 45 kg, Pak "
             "Budi 30 kg, Bu Citra 25 kg.</p>"),
        tip("<p>Isi toleransi walaupun kecil. Toleransi anggota sering menentukan apakah karung "
            "terakhir bisa dipesan dengan harga grosir.</p>"),
        warning("<p>Jika sampai batas waktu jumlahnya tidak mencapai minimum kemasan, pesanan "
                "bersama dibatalkan dan tidak ada yang perlu membayar.</p>"),
        checklist("Sebelum berkomitmen",
                  "Cek stok yang masih ada di rumah",
                  "Hitung kebutuhan sampai pesanan berikutnya",
                  "Siapkan uang untuk membayar bagian Anda",
                  "Pastikan bisa mengambil barang di tempat yang ditentukan"),
    ],
)

SHARED_EQUIPMENT = DemoArticle(
    slug="mengelola-alat-bersama-huller-dan-pengering",
    title="Mengelola alat bersama: jadwal huller dan pengering",
    kind="guide",
    topic="koperasi",
    summary="Alat bersama sering jadi sumber pertengkaran: siapa memakai kapan, siapa yang "
            "merusak, siapa membayar servis. Aturan sederhana yang kami pakai di koperasi.",
    days_ago=79,
    enterprise="kopi-sindoro-makmur",
    tags=("alat bersama", "huller", "koperasi", "jadwal"),
    skills=("servis-mesin-tani",),
    body=[
        text("<p>Koperasi kami punya satu mesin huller (pengupas kulit tanduk kopi), satu mobil "
             "bak, dan gudang. Saat panen raya, semua anggota ingin memakai huller di minggu "
             "yang sama. Dulu jadwalnya dicatat di buku di rumah pengurus dan sering bentrok. "
             "Sekarang kami memesan alat bersama di Guyub, dengan aturan yang disepakati di "
             "rapat anggota.</p>"),
        steps(
            ("Sepakati aturan di rapat anggota",
             "<p>Tulis aturan pemakaian: lama maksimal per pemesanan, siapa boleh "
             "mengoperasikan, kewajiban membersihkan, dan sanksi jika merusak karena lalai. "
             "Aturan yang diputuskan bersama lebih dipatuhi.</p>"),
            ("Tentukan biaya pemakaian",
             "<p>Biaya per pemakaian dan per jam menjadi dana perawatan: oli, suku cadang, "
             "servis. Huller kami Rp 25.000 per jam. Biaya tercatat otomatis untuk setiap "
             "anggota.</p>"),
            ("Pesan lewat Guyub",
             "<p>Anggota memilih alat dan jamnya di Guyub. Jam yang sudah dipesan tidak bisa "
             "dipesan orang lain, jadi tidak ada lagi rebutan di hari H.</p>"),
            ("Bergilir saat panen raya",
             "<p>Di puncak panen, batasi setiap pemesanan paling lama 4 jam supaya semua "
             "kebagian. Jadwal pagi untuk anggota yang rumahnya jauh.</p>"),
            ("Catat kondisi alat setiap selesai",
             "<p>Pemakai mencatat jam selesai dan keluhan, misalnya \"saringan mulai sobek\". "
             "Pengurus membaca catatan itu setiap minggu.</p>"),
            ("Rawat rutin, jangan menunggu rusak",
             "<p>Jadwalkan servis sebelum panen raya. Satu hari tanpa huller di puncak panen "
             "jauh lebih mahal daripada servis rutin.</p>"),
        ),
        checklist("Setelah memakai huller",
                  "Corong dan saringan bersih dari kulit tanduk",
                  "Mesin dimatikan dan kabel dilepas",
                  "Jam selesai dan keluhan dicatat",
                  "Lantai disapu",
                  "Kunci dikembalikan ke pengurus"),
        tip("<p>Umumkan laporan dana perawatan di RAT: berapa yang terkumpul dari biaya pemakaian "
            "dan berapa yang dipakai untuk servis. Anggota lebih rela membayar jika tahu uangnya "
            "ke mana.</p>"),
    ],
)

BATIK = DemoArticle(
    slug="dasar-batik-tulis-untuk-pemula",
    title="Dasar batik tulis untuk pemula",
    kind="guide",
    topic="produksi",
    summary="Alat, bahan, dan tahapan membatik tulis, dari menggambar pola sampai nglorod, untuk "
            "yang baru pertama kali memegang canting.",
    days_ago=248,
    enterprise="batik-tulis-sekar-giri",
    tags=("batik", "batik tulis", "canting", "pemula"),
    skills=("membatik",),
    products=(("batik-tulis-sekar-giri", "Kain Batik"), ("batik-tulis-sekar-giri", "Selendang")),
    body=[
        text("<p>Di Giriloyo, anak-anak perempuan dulu belajar membatik dengan melihat ibunya. "
             "Sekarang banyak yang belajar di kelas. Batik tulis butuh kesabaran, tetapi dasarnya "
             "bisa dipelajari dalam beberapa hari. Yang membedakan batik tulis dari batik cap "
             "dan kain bermotif batik adalah malam (lilin) yang digoreskan tangan dengan "
             "canting.</p>"),
        checklist("Alat dan bahan",
                  "Kain mori katun (primisima untuk hasil halus, prima untuk latihan)",
                  "Canting dengan beberapa ukuran cucuk",
                  "Malam batik",
                  "Wajan kecil dan kompor kecil",
                  "Gawangan untuk membentangkan kain",
                  "Pensil 2B untuk pola",
                  "Pewarna: naptol, remasol, atau pewarna alam",
                  "Kain lap untuk alas di pangkuan"),
        steps(
            ("Siapkan kain",
             "<p>Cuci kain mori untuk menghilangkan kanji pabrik, keringkan, lalu setrika. Kain "
             "yang masih berkanji membuat warna tidak meresap rata.</p>"),
            ("Gambar pola",
             "<p>Gambar motif dengan pensil tipis-tipis. Pemula sebaiknya memilih motif "
             "sederhana dengan garis besar dan sedikit isen.</p>"),
            ("Panaskan malam dengan api kecil",
             "<p>Malam yang terlalu panas berasap dan meleber; yang kurang panas tidak tembus ke "
             "balik kain. Malam yang pas meninggalkan garis yang terlihat bening di balik "
             "kain.</p>"),
            ("Nglowong: menggores garis luar",
             "<p>Ambil malam dengan canting, tiup cucuknya perlahan, lalu goreskan mengikuti "
             "pola. Ulangi di balik kain (nerusi) supaya malam menutup kedua sisi.</p>"),
            ("Ngiseni: mengisi detail",
             "<p>Isi motif dengan isen-isen: titik (cecek), garis, atau sisik. Di sinilah ciri "
             "tiap pembatik terlihat.</p>"),
            ("Nembok: menutup bagian yang tetap putih",
             "<p>Tutup bidang yang tidak ingin terkena warna dengan malam tembok, memakai canting "
             "bercucuk besar atau kuas.</p>"),
            ("Mewarnai",
             "<p>Celup kain ke larutan warna sesuai petunjuk pewarna. Untuk beberapa warna, "
             "ulangi menutup dan mencelup dari warna muda ke warna tua.</p>"),
            ("Nglorod: melepas malam",
             "<p>Rebus kain dalam air mendidih sampai malam lepas, bilas, lalu jemur di tempat "
             "teduh.</p>"),
        ),
        warning("<p>Malam panas bisa melukai kulit, dan pewarna kimia harus dipakai dengan "
                "sarung tangan. Bekerja di tempat berventilasi, jauhkan anak-anak dari kompor, "
                "dan jangan buang sisa pewarna ke sungai: tanyakan pengolahan limbah yang aman "
                "di kelompok Anda.</p>"),
        tip("<p>Latihan pertama cukup di kain kecil 50 × 50 cm. Buat garis lurus dan lengkung "
            "berulang-ulang sampai malam tidak lagi menetes di tempat yang salah.</p>"),
    ],
)

FRYING_OIL = DemoArticle(
    slug="menjaga-kualitas-minyak-goreng-untuk-keripik",
    title="Menjaga kualitas minyak goreng untuk keripik",
    kind="article",
    topic="produksi",
    summary="Minyak yang rusak membuat keripik cepat tengik, gelap, dan berbau. Tanda minyak "
            "harus diganti dan kebiasaan yang membuatnya lebih awet.",
    days_ago=161,
    enterprise="keripik-pisang-bobotsari",
    tags=("minyak goreng", "keripik", "mutu"),
    products=(("keripik-pisang-bobotsari", "Keripik"),),
    body=[
        text("<p>Di usaha keripik, minyak goreng adalah biaya terbesar kedua setelah bahan baku. "
             "Godaannya adalah memakai minyak selama mungkin. Tetapi minyak yang sudah rusak "
             "membuat keripik gelap, cepat tengik, dan berbau tidak enak. Pembeli yang sekali "
             "kecewa jarang kembali.</p>"
             "<h2>Tanda minyak sudah waktunya diganti</h2>"
             "<ul><li>Warnanya cokelat gelap dan keruh.</li>"
             "<li>Berbusa banyak saat dipanaskan.</li>"
             "<li>Cepat berasap walaupun api belum besar.</li>"
             "<li>Kental dan lengket, berbau apek atau tengik.</li>"
             "<li>Keripik menjadi gelap padahal lama menggoreng sama.</li></ul>"
             "<h2>Kebiasaan yang membuat minyak lebih awet</h2>"
             "<ul><li><b>Jaga suhu.</b> Keripik umumnya cukup digoreng di sekitar 160–180 °C. "
             "Jangan sampai minyak berasap. Tanpa termometer, coba satu irisan: langsung naik "
             "dan berbuih halus, tidak langsung gosong.</li>"
             "<li><b>Saring setiap selesai menggoreng.</b> Remah yang gosong mempercepat "
             "kerusakan minyak.</li>"
             "<li><b>Keringkan bahan.</b> Irisan singkong atau pisang yang basah membuat minyak "
             "cepat rusak. Tiriskan dan angin-anginkan dulu.</li>"
             "<li><b>Bumbui setelah digoreng,</b> jangan menabur garam atau bumbu ke dalam "
             "minyak.</li>"
             "<li><b>Simpan tertutup</b> di tempat gelap dan sejuk, jauh dari kompor.</li>"
             "<li><b>Jangan mencampur minyak lama dengan minyak baru</b> untuk produk yang "
             "dijual: minyak lama mempercepat rusaknya minyak baru.</li></ul>"),
        tip("<p>Pakai wajan besi atau stainless yang bersih. Hindari wajan tembaga atau kuningan "
            "karena logam itu mempercepat minyak tengik.</p>"),
        note("<p>Jangan buang minyak jelantah ke selokan. Kumpulkan dalam jeriken; di banyak desa "
             "ada pengepul atau bank sampah yang menerimanya.</p>"),
        text("<p>Kami di Keripik Pisang Bobotsari memilih mengganti minyak lebih sering dan "
             "memasukkan biayanya ke HPP. Hasilnya, keripik kami tahan lebih lama di rak toko, "
             "dan toko berani memesan lebih banyak.</p>"),
    ],
)

DESCRIPTIONS = DemoArticle(
    slug="menulis-deskripsi-produk-yang-menjual",
    title="Menulis deskripsi produk yang menjual",
    kind="article",
    topic="pemasaran-digital",
    summary="Pembeli online tidak bisa memegang barang. Deskripsi yang baik menjawab pertanyaan "
            "mereka sebelum ditanyakan: bahan, ukuran, cara membuat, dan cerita di baliknya.",
    days_ago=89,
    enterprise="batik-tulis-rina",
    tags=("deskripsi produk", "jualan online", "pemasaran"),
    skills=("pemasaran-online",),
    products=(("batik-tulis-rina", "Kain Batik Tulis"),),
    body=[
        text("<p>Saat mendampingi penjual muda, saya sering melihat deskripsi seperti \"Batik "
             "bagus, murah, silakan order\". Deskripsi seperti itu tidak memberi alasan untuk "
             "membeli. Pembeli di kota ingin tahu apa yang mereka dapat dan mengapa harganya "
             "sepadan.</p>"
             "<h2>Susunan yang kami pakai</h2>"
             "<ol><li><b>Judul yang jelas.</b> Jenis, ciri, dan ukuran. Contoh: \"Kain Batik "
             "Tulis Pesisiran Motif Buketan, Katun Primisima 2 m\".</li>"
             "<li><b>Kalimat pembuka.</b> Satu atau dua kalimat tentang apa yang istimewa.</li>"
             "<li><b>Fakta.</b> Bahan, ukuran, berat, warna, isi per kemasan, daya tahan.</li>"
             "<li><b>Cara membuat dan siapa pembuatnya.</b> Berapa lama dikerjakan, oleh siapa, "
             "di desa mana.</li>"
             "<li><b>Cara memakai atau merawat.</b> \"Cuci dengan tangan memakai lerak atau "
             "sabun lembut, jemur di tempat teduh.\"</li>"
             "<li><b>Pengiriman.</b> Dikirim dari mana, berapa hari pembuatan untuk pesanan "
             "khusus.</li></ol>"
             "<h2>Contoh sebelum dan sesudah</h2>"
             "<p><b>Sebelum:</b> \"Keripik singkong enak renyah, harga murah.\"</p>"
             "<p><b>Sesudah:</b> \"Keripik singkong original 250 g, digoreng setiap pagi dengan "
             "minyak baru di Desa Karangsari, Banyumas. Singkong dari kebun tetangga, diiris "
             "tipis, gurih asin tanpa pengawet. Setelah dibuka, tutup kembali dengan zipper "
             "supaya tetap renyah.\"</p>"),
        tip("<p>Tulis seperti Anda menjelaskan kepada pembeli yang berdiri di depan lapak: kata "
            "sederhana, kalimat pendek, dan jujur.</p>"),
        checklist("Periksa sebelum menyimpan",
                  "Judul menyebut jenis, ciri, dan ukuran",
                  "Ada bahan dan ukuran atau berat",
                  "Ada cara merawat atau menyimpan",
                  "Tidak ada klaim yang tidak bisa dibuktikan",
                  "Tidak ada salah ketik pada harga"),
        warning("<p>Jangan menulis klaim kesehatan seperti \"menyembuhkan diabetes\" untuk madu, "
                "jamu, atau minuman rempah. Selain menyesatkan, klaim seperti itu melanggar "
                "aturan iklan pangan.</p>"),
    ],
)

SHIPPING_COST = DemoArticle(
    slug="menghitung-ongkos-kirim-dan-berat-volume",
    title="Menghitung ongkos kirim: berat asli dan berat volume",
    kind="article",
    topic="pengiriman",
    summary="Mengapa paket keripik yang ringan bisa mahal ongkirnya? Cara ekspedisi menghitung "
            "berat volume, dan tips memilih ukuran kardus.",
    days_ago=37,
    tags=("ongkir", "ekspedisi", "pengiriman"),
    skills=("antar-barang",),
    body=[
        text("<p>Ekspedisi menghitung ongkos kirim dari yang lebih besar antara <b>berat "
             "asli</b> (ditimbang) dan <b>berat volume</b> (dihitung dari ukuran paket). Untuk "
             "barang ringan tetapi besar, seperti keripik, anyaman bambu, dan kap lampu, berat "
             "volume hampir selalu lebih besar.</p>"
             "<h2>Rumus berat volume</h2>"
             "<p>Berat volume (kg) = panjang × lebar × tinggi (cm) ÷ angka pembagi. Banyak "
             "ekspedisi memakai pembagi 6.000 untuk paket reguler, tetapi ada yang memakai angka "
             "lain, terutama untuk kargo. Tanyakan ke agen ekspedisi Anda.</p>"
             "<p><b>Contoh:</b> kardus 40 × 30 × 30 cm berisi 20 bungkus keripik, berat asli "
             "5 kg. Berat volume = 40 × 30 × 30 ÷ 6.000 = 6 kg. Yang dibayar: 6 kg.</p>"
             "<h2>Cara menghemat</h2>"
             "<ul><li>Pilih kardus yang pas dengan isi. Kardus yang 5 cm lebih tinggi bisa "
             "menambah 1 kg ongkir.</li>"
             "<li>Gabungkan pesanan beberapa pembeli di kota yang sama jika memungkinkan.</li>"
             "<li>Untuk kiriman besar antarkota, bandingkan dengan layanan kargo yang biasanya "
             "lebih murah per kg tetapi lebih lama.</li>"
             "<li>Anggota koperasi bisa memakai mobil bak bersama untuk mengantar banyak paket "
             "sekaligus ke agen ekspedisi di kota.</li></ul>"),
        tip("<p>Buat tabel ongkir ke kota-kota langganan Anda dan perbarui setiap beberapa "
            "bulan. Pembeli senang jika Anda bisa langsung menjawab \"ongkir ke Jakarta "
            "sekian\".</p>"),
        checklist("Sebelum menyerahkan paket",
                  "Timbang dan ukur paket",
                  "Bandingkan dua atau tiga ekspedisi",
                  "Pakai asuransi untuk barang mahal atau mudah pecah",
                  "Simpan resi dan kirim nomornya ke pembeli",
                  "Foto paket sebelum diserahkan"),
    ],
)

ARTICLES = [NIB, PIRT, HALAL, KERIPIK_PACKING, POUCH_LABEL, HPP, WHOLESALE, BOOKKEEPING, PHOTO,
            WHATSAPP, FRAGILE, GREEN_COFFEE, RAT_SHU, BULK_ORDERS, SHARED_EQUIPMENT, BATIK,
            FRYING_OIL, DESCRIPTIONS, SHIPPING_COST]

CONTRIBUTIONS = [
    Contribution(
        title="Menyimpan gula semut agar tidak menggumpal",
        kind="guide",
        topic="produksi",
        summary="Gula semut mudah menyerap lembap dan menggumpal. Cara mengayak, mengeringkan, "
                "dan mengemas yang kami pakai di Kokap.",
        body_text=(
            "Gula semut kami dijual sampai ke Jakarta, dan keluhan yang paling sering adalah "
            "gula menggumpal setelah beberapa minggu. Penyebabnya hampir selalu kadar air yang "
            "masih tinggi atau kemasan yang tidak rapat.\n\n"
            "Di kelompok kami, gula semut diayak dua kali lalu dijemur atau dioven dengan api "
            "kecil sampai benar-benar kering dan tidak lengket di tangan. Setelah dingin, "
            "langsung dikemas dalam pouch aluminium foil dengan zipper.\n\n"
            "Untuk stok di rumah, simpan dalam toples kaca tertutup rapat dan jangan disendok "
            "dengan sendok basah."
        ),
        steps_text=(
            "Ayak gula semut dengan ayakan halus, lalu ayak sekali lagi\n"
            "Keringkan dengan dijemur atau dioven api kecil sampai tidak lengket\n"
            "Dinginkan di tempat tertutup kain bersih\n"
            "Kemas dalam pouch foil dan segel rapat\n"
            "Tulis tanggal produksi di setiap kemasan"
        ),
        enterprise="gula-semut-kokap",
        author="sukirah",
        tags=("gula semut", "penyimpanan", "kemasan"),
    ),
    Contribution(
        title="Memulai budidaya lebah klanceng di pekarangan",
        kind="article",
        topic="produksi",
        summary="Lebah klanceng tidak menyengat dan cocok dipelihara di pekarangan. Pengalaman "
                "kami memulai dari lima stup.",
        body_text=(
            "Kami mulai memelihara lebah klanceng (lebah tanpa sengat) dari lima stup kayu "
            "yang dibeli dari peternak di kecamatan sebelah. Lebah ini tidak menyengat, jadi "
            "aman dipelihara di dekat rumah dan anak-anak.\n\n"
            "Yang paling penting adalah pakan: tanaman berbunga sepanjang tahun di sekitar "
            "stup, seperti air mata pengantin, kaliandra, dan bunga-bunga pekarangan. Letakkan "
            "stup di tempat teduh, tidak terkena hujan langsung, dan jauh dari semprotan "
            "pestisida.\n\n"
            "Madu klanceng dipanen dengan memotong kantong madu dan menyaringnya, lalu disimpan "
            "di kulkas karena kadar airnya lebih tinggi daripada madu lebah biasa."
        ),
        enterprise="madu-klanceng-kutasari",
        author="tarno",
        tags=("madu", "klanceng", "lebah"),
    ),
]
