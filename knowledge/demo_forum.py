"""Demo forum: categories with English names, and threads over the past months, questions (most
with an accepted answer) and discussions, answered by demo people writing for their enterprises,
some @mentioning enterprises. Posts go through knowledge.services.forum; then their times move
into the past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from knowledge.demo_common import Cast, at
from knowledge.models import ForumCategory, Post, Thread
from knowledge.services.forum import answer_accept, post_reply, thread_start

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

# (slug, name, English name, description, English description)
CATEGORIES = [
    ("tanya-jawab-usaha", "Tanya jawab usaha", "Business questions",
     "Pertanyaan sehari-hari soal produksi, harga, dan mengelola usaha.",
     "Everyday questions about production, prices and running a small business."),
    ("perizinan", "Perizinan dan sertifikasi", "Permits and certification",
     "NIB, P-IRT, sertifikat halal, dan izin lain: berbagi pengalaman mengurusnya.",
     "NIB, P-IRT, halal certification and other permits: how people got them."),
    ("pemasaran", "Pemasaran dan penjualan", "Marketing and selling",
     "Foto produk, jualan online, mencari pembeli, dan harga untuk reseller.",
     "Product photos, selling online, finding buyers and prices for resellers."),
    ("koperasi", "Koperasi dan kelompok", "Cooperatives and groups",
     "Rapat anggota, SHU, pesanan bersama, dan alat bersama.",
     "Member meetings, surplus sharing (SHU), bulk orders and shared equipment."),
    ("kabar-desa", "Kabar desa", "Village news",
     "Acara, kerja bakti, jalan rusak, dan kabar lain dari desa-desa anggota.",
     "Events, communal work days, road closures and other news from members' villages."),
]


@dataclass(frozen=True)
class Reply:
    who: str  # "username" (for their own enterprise), "username@enterprise-slug" or "user@"
    hours: float  # after the opening post
    body: str


@dataclass(frozen=True)
class DemoThread:
    category: str
    kind: str
    title: str
    who: str
    days_ago: int
    hour: int
    body: str
    replies: tuple[Reply, ...]
    accepted: int | None = None  # index of the accepted reply


R = Reply
T = DemoThread
THREADS = [
    T("perizinan", "question", "Tempe mendoan mentah bisa dapat P-IRT atau tidak?", "darsih",
      84, 6,
      "Assalamualaikum. Saya jual tempe mendoan mentah ke warung-warung di Sokaraja. Sekarang "
      "ada toko oleh-oleh di Purwokerto yang mau ambil, tapi minta ada izinnya.\n\n"
      "Tempe mentah begini bisa diurus P-IRT tidak ya? Atau harus ke BPOM?",
      (R("sari", 3,
         "Waalaikumsalam Bu Darsih. Waktu saya ikut penyuluhan, petugas Dinkes bilang P-IRT itu "
         "untuk pangan olahan yang awet disimpan di suhu ruang. Tempe mentah cuma tahan satu "
         "dua hari, jadi kemungkinan besar tidak masuk. Tapi keripik tempe atau tepung bumbu "
         "mendoan bisa.\n\nPaling aman tanya langsung ke Dinkes Banyumas sambil bawa contoh "
         "produknya."),
       R("eko", 20,
         "Betul kata Bu Sari. Keripik tempe kami di Malang pakai P-IRT, tempe segar yang kami "
         "jual ke pasar tidak. Toko oleh-oleh biasanya memang lebih suka keripik tempe karena "
         "awet."),
       R("darsih", 50,
         "Matur nuwun Bu Sari, Mas Eko. Saya coba bikin keripik tempe dulu untuk toko itu, "
         "sambil tanya ke Dinkes minggu depan.")),
      accepted=0),
    T("perizinan", "question", "KBLI untuk emping melinjo pilih yang mana di OSS?", "giyem",
      70, 19,
      "Saya sedang daftar NIB lewat OSS dibantu cucu. Waktu memilih KBLI bingung, banyak "
      "sekali pilihannya. Emping melinjo masuk yang mana ya?",
      (R("puji", 5,
         "Mbah, saya dulu ketik \"keripik\" di kolom pencarian KBLI, nanti muncul industri "
         "kerupuk, keripik, peyek dan sejenisnya. Emping sepertinya masuk situ. Baca uraiannya "
         "dulu sebelum memilih."),
       R("sari", 22,
         "Setuju dengan Mbak Puji. Kalau juga jualan langsung ke pembeli, bisa tambah KBLI "
         "perdagangan eceran. Panduan lengkapnya ada di Pengetahuan: **Cara mendapatkan NIB "
         "lewat OSS**. Kalau masih bingung, DPMPTSP Bantul biasanya mau membantu langsung."),
       R("giyem", 49, "NIB-nya sudah jadi. Terima kasih semuanya.")),
      accepted=1),
    T("perizinan", "question", "Sertifikat halal self-declare berapa lama jadinya?", "endang",
      47, 20,
      "Keripik pisang saya mau didaftarkan halal gratis lewat self-declare. Yang sudah pernah, "
      "dari daftar sampai sertifikat keluar berapa lama ya? Pendampingnya datang ke rumah atau "
      "kita yang ke sana?",
      (R("tini", 4,
         "Punya saya getuk goreng, kemarin sekitar lima minggu dari daftar sampai sertifikat "
         "bisa diunduh. Pendamping PPH datang ke rumah, lihat dapur, foto bahan-bahan, lalu "
         "bantu isi data di aplikasi.\n\nSiapkan foto label bahan yang sudah ada logo halalnya, "
         "terutama minyak dan tepung."),
       R("sari", 9,
         "Kuota gratisnya dibuka per periode, Mbak, jadi pantau pengumuman BPJPH. Kalau kuotanya "
         "sedang tutup, data bisa disiapkan dulu."),
       R("endang", 26, "Jelas sekali, makasih Bu Tini. Saya siapkan foto bahan dulu.")),
      accepted=0),
    T("pemasaran", "question", "Foto produk selalu gelap padahal HP baru", "tini", 66, 21,
      "Foto nopia dan wajik saya kok selalu gelap dan kekuningan, padahal HP baru beli. Saya "
      "foto malam hari di dapur pakai lampu. Ada saran?",
      (R("rina@studio-foto-produk-rina", 2,
         "Bu Tini, lampu dapur yang kuning itu penyebab utamanya. Coba foto siang hari di dekat "
         "jendela, lampu dan flash dimatikan. Di seberang jendela taruh styrofoam putih supaya "
         "sisi yang gelap jadi terang.\n\nPanduannya ada di Pengetahuan: **Foto produk dengan "
         "ponsel dan cahaya jendela**."),
       R("endang", 6,
         "Saya ikut pelatihan foto @studio-foto-produk-rina minggu lalu, pakai styrofoam bekas "
         "kemasan TV sebagai pemantul. Hasilnya jauh beda, Bu!"),
       R("tini", 20,
         "Sudah saya coba tadi siang, hasilnya terang dan warnanya asli. Matur nuwun Mbak Rina, "
         "Mbak Endang.")),
      accepted=0),
    T("pemasaran", "discussion", "Berbagi: tiga bulan jualan tenun lewat katalog WhatsApp",
      "ayu", 40, 10,
      "Sejak didampingi Mbak Rina, saya pindah ke WhatsApp Business dan membuat katalog. Yang "
      "terasa: pembeli tidak lagi tanya harga satu per satu, langsung pilih dari katalog.\n\n"
      "Yang belum berhasil: Status jarang dilihat orang. Teman-teman punya pengalaman apa?",
      (R("rina", 3,
         "Senang dengarnya, Mbak Ayu. Untuk Status, coba unggah proses menenun, bukan hanya foto "
         "kain jadi. Orang suka melihat prosesnya, dan itu bukti tenunnya asli ATBM."),
       R("kholil", 26,
         "Di Tahunan juga begitu. Video pendek mengukir lima belas detik lebih banyak dibalas "
         "daripada foto barang jadi."),
       R("fauzi", 50,
         "Tambahan dari saya: pasang tautan toko Guyub di profil WhatsApp. Beberapa pembeli dari "
         "Jakarta lebih percaya kalau ada ulasan pembeli lain di sana."),
       R("ayu", 55, "Siap, minggu ini saya coba video proses. Terima kasih semua."))),
    T("tanya-jawab-usaha", "question", "Cara menentukan harga untuk reseller di Jogja?", "puji",
      58, 13,
      "Ada toko oleh-oleh di Malioboro yang mau ambil keripik singkong saya 100 bungkus per "
      "bulan, tapi minta harga reseller. Harga eceran saya Rp 15.000. Harus kasih berapa ya "
      "supaya saya tetap untung?",
      (R("sari", 4,
         "Mbak Puji, hitung HPP per bungkus dulu, termasuk kemasan, gas, dan upah sendiri. "
         "Misalnya HPP Rp 11.500, jangan kasih di bawah kira-kira Rp 13.000.\n\nToko biasanya "
         "butuh untung 25–30%. Kalau harga jual mereka Rp 17.000–18.000, harga Rp 13.000–13.500 "
         "masih masuk untuk keduanya. Ongkir dan cara bayar juga ditulis jelas."),
       R("dewi@", 7,
         "Dari sisi pemilik toko: saya lebih senang harga yang jelas bertingkat (50 bungkus "
         "sekian, 100 bungkus sekian) dan tanggal kedaluwarsa minimal dua bulan saat barang "
         "sampai. Untuk pesanan pertama saya transfer di muka."),
       R("karso", 26,
         "Kami di Pageraji pernah kasih harga terlalu murah karena sungkan, akhirnya rugi di "
         "ongkir. Sekarang daftar harga kami kirim dalam satu gambar, tidak ditawar lagi."),
       R("puji", 50,
         "Sudah saya hitung, HPP saya Rp 11.200. Saya tawarkan Rp 13.000 untuk 100 bungkus, "
         "ongkir ditanggung toko, dan tokonya setuju. Terima kasih!")),
      accepted=0),
    T("tanya-jawab-usaha", "question", "Minyak cepat hitam waktu menggoreng kerupuk ikan",
      "heru", 31, 16,
      "Minyak goreng saya cepat hitam dan berbusa, baru dua kali pakai sudah gelap. Kerupuk "
      "ikan jadi kecokelatan. Apa karena apinya terlalu besar?",
      (R("endang", 3,
         "Bisa karena api, Pak, tapi cek juga remah kerupuk yang gosong dan tidak disaring, dan "
         "bahan yang masih basah. Saya selalu menyaring minyak setiap selesai menggoreng. "
         "Bacaan lengkapnya di artikel **Menjaga kualitas minyak goreng untuk keripik**."),
       R("sari", 5,
         "Setuju dengan @keripik-pisang-bobotsari. Tambahan, Pak Heru: jangan tabur bumbu atau "
         "garam ke minyak, dan jangan campur minyak lama dengan yang baru. Wajan juga "
         "berpengaruh, hindari yang kuningan."),
       R("heru", 72,
         "Ternyata remahnya tidak pernah saya saring. Sekarang pakai saringan kawat, minyak lebih "
         "awet. Terima kasih Mbak Endang, Bu Sari.")),
      accepted=0),
    T("koperasi", "discussion", "Usul: jadwal huller saat panen raya dibagi per dusun", "budi",
      52, 20,
      "Bapak-ibu anggota, panen raya sebentar lagi. Tahun lalu huller antre sampai malam.\n\n"
      "Usul saya: minggu pertama dusun atas pagi dan dusun bawah siang, minggu berikutnya "
      "ditukar. Setiap pemesanan paling lama 4 jam. Pemesanan tetap lewat Guyub supaya tidak "
      "ada yang dobel. Bagaimana pendapat panjenengan?",
      (R("agus", 2,
         "Setuju, Pak Budi. Tambah satu: yang memakai wajib membersihkan corong dan saringan. "
         "Kemarin saya dapat giliran setelah orang lain, masih penuh kulit tanduk."),
       R("parmin", 5,
         "Setuju, tapi mohon mobil bak juga dijadwalkan di hari yang sama dengan huller, supaya "
         "kopi bisa langsung diangkut."),
       R("sumiyati", 22,
         "Setuju. Usul ini dibawa ke pemungutan suara di Guyub saja, Pak, supaya semua anggota "
         "bisa memberi suara."),
       R("budi", 27,
         "Baik, aturan kebersihan dan jadwal mobil bak saya masukkan. Usulan resminya saya buat "
         "di halaman koperasi minggu ini."))),
    T("koperasi", "question", "SHU untuk anggota yang masuk pertengahan tahun", "karso", 100,
      20,
      "Di Koperasi UMKM Banyumas Maju ada anggota baru yang masuk setengah tahun lalu. Nanti di "
      "RAT, apakah dia dapat SHU penuh, atau bagaimana hitungnya?",
      (R("budi", 6,
         "Pak Karso, di koperasi kami SHU bagian jasa usaha dihitung dari transaksi anggota "
         "dengan koperasi selama tahun buku. Anggota yang masuk pertengahan tahun transaksinya "
         "lebih sedikit, jadi bagiannya juga sebanding. Jasa modal dihitung dari simpanannya.\n\n"
         "Tapi aturan pastinya ada di AD/ART koperasi masing-masing, dan diputuskan di RAT."),
       R("sari", 24,
         "Terima kasih, Pak Budi. Pak Karso, nanti saya siapkan rekap transaksi per anggota dari "
         "catatan pesanan bersama di Guyub, supaya hitungannya bisa dicek semua anggota sebelum "
         "RAT."),
       R("karso", 28, "Jelas, Pak Budi, Bu Sari. Matur nuwun.")),
      accepted=0),
    T("koperasi", "discussion", "Pesanan bersama standing pouch bulan depan, siapa ikut?", "sari",
      16, 19,
      "Ibu-bapak anggota, stok standing pouch saya tinggal sedikit. Saya mau membuka pesanan "
      "bersama standing pouch zipper 500 gram lagi, satu dus isi 1.000 lembar. Harga dari "
      "pemasok di Purwokerto Rp 450 per lembar kalau minimal 3 dus.\n\nYang mau ikut, isi "
      "komitmen di Guyub setelah saya buka, jangan lupa toleransinya.",
      (R("darsih", 2, "Saya ikut, Bu, sekitar 300 lembar, toleransi 100."),
       R("tini", 4, "Ikut 500 lembar. Kalau bisa sekalian yang ukuran 250 gram ya, Bu."),
       R("heru", 20,
         "@keripik-sari saya ikut 200 lembar untuk abon. Apakah pemasoknya bisa sablon logo "
         "juga?"),
       R("sari", 22,
         "Pak Heru, sablon bisa tapi minimal 5.000 lembar per desain, jadi sementara pakai "
         "stiker label dulu. Ukuran 250 gram saya tanyakan ke pemasok."))),
    T("kabar-desa", "discussion", "Pentas ebeg dan bazar UMKM Sokaraja semalam ramai sekali",
      "ani", 87, 7,
      "Terima kasih untuk semua yang datang semalam! Stan bazar hampir semua habis: getuk "
      "goreng Mbok Tini habis jam delapan, mendoan Bu Darsih juga. Foto-fotonya saya unggah di "
      "grup. Semoga bisa jadi acara rutin tiap tahun.",
      (R("darsih", 3, "Alhamdulillah, mendoan habis 600 biji. Tahun depan saya bawa dua wajan."),
       R("yanto", 5,
         "Kostum penari ebeg yang kami jahit dipakai semalam, senang sekali melihatnya. Terima "
         "kasih Bu Ani sudah mengajak."),
       R("sari", 26,
         "Keripik Sari juga laku banyak. Usul: tahun depan ada stan bersama koperasi, supaya "
         "produk anggota yang tidak bisa menjaga stan tetap ikut terjual."))),
    T("kabar-desa", "discussion", "Jalan ke Kemutug Lor tertutup longsor, kiriman sayur telat",
      "warsini", 12, 6,
      "Mohon maaf untuk pelanggan sayur di Purwokerto: jalan dari Kemutug Lor tertutup longsor "
      "sejak kemarin sore, jadi kiriman hari ini dan besok telat.\n\nWarga sedang kerja bakti "
      "membersihkan material. Yang bisa membantu, bawa cangkul, kumpul di pos ronda jam 7 "
      "pagi.",
      (R("slamet", 2,
         "Saya dan dua orang dari Karangmangu ke sana besok pagi, Bu. Bawa gergaji juga untuk "
         "pohon yang tumbang."),
       R("sari", 5,
         "Semoga cepat beres, Bu Warsini. Kalau perlu, sayur bisa dititipkan dulu di rumah "
         "produksi kami sebelum diantar ke kota."),
       R("warsini", 30,
         "Alhamdulillah jalan sudah bisa dilewati motor dan mobil bak. Terima kasih semua yang "
         "datang kerja bakti. Kiriman kembali normal besok."))),
    T("pemasaran", "discussion", "Mencari arabika natural 100 kg per bulan dari Temanggung",
      "hendra@", 24, 9,
      "Salam kenal, saya Hendra, punya usaha sangrai kopi kecil di Semarang. Saya mencari "
      "arabika proses natural sekitar 100 kg kopi hijau per bulan, kadar air di bawah 12%, "
      "sortasi tangan.\n\nAda petani atau kelompok di Temanggung yang bisa? Saya bisa datang "
      "melihat kebun dan gudangnya.",
      (R("budi", 3,
         "Salam kenal, Pak Hendra. Kelompok kami @kopi-sindoro-makmur punya arabika natural dari "
         "lereng Sindoro. Silakan datang Sabtu pagi ke gudang koperasi di Kledung, kita cupping "
         "bersama. Untuk jumlah tetap tiap bulan bisa lewat penawaran bersama koperasi di "
         "Guyub."),
       R("agus", 5,
         "Dari @kopi-lereng-sumbing juga ada, Pak, tapi kami lebih banyak full wash. Natural "
         "kami sekitar 40 kg per bulan saat panen."),
       R("wayan", 26,
         "Kalau ingin membandingkan, Kintamani juga ada natural dan honey. Ongkir ke Semarang "
         "memang lebih mahal, tapi bisa kirim contoh 1 kg dulu."),
       R("hendra@", 49,
         "Terima kasih Pak Budi, Mas Agus, Bli Wayan. Sabtu ini saya ke Kledung. Bli Wayan, "
         "saya minta contoh 1 kg natural ya."))),
    T("tanya-jawab-usaha", "question", "Ekspedisi yang mau menerima gerabah dengan asuransi?",
      "joko", 130, 15,
      "Pesanan vas gerabah ke Bandung dua kali pecah di jalan. Ekspedisi bilang tidak bisa "
      "klaim karena tidak pakai packing kayu. Teman-teman yang mengirim barang mudah pecah "
      "pakai ekspedisi apa dan bagaimana packing-nya?",
      (R("harjo", 4,
         "Mas Joko, kebanyakan ekspedisi memang mensyaratkan packing kayu dan asuransi untuk "
         "barang pecah belah kalau mau klaim. Saya biasanya minta packing kayu di agen, "
         "ongkosnya saya masukkan ke ongkir pembeli. Dan rekam video waktu mengepak."),
       R("tukiran", 9,
         "Untuk barang yang lebih besar, kargo truk lebih aman karena tidak ditumpuk seperti "
         "paket kecil. Tapi lama, bisa seminggu."),
       R("rina", 25,
         "Tambahan, Mas Joko: tulis di deskripsi produk bahwa pengiriman wajib packing kayu dan "
         "asuransi, supaya pembeli tahu sejak awal dan tidak kaget dengan ongkirnya."),
       R("joko", 75,
         "Terima kasih semua. Sudah kirim lagi pakai kardus dobel dan packing kayu, sampai utuh. "
         "Nanti pengalamannya saya tulis di Pengetahuan.")),
      accepted=0),
]


def _categories() -> dict[str, ForumCategory]:
    categories = {}
    for order, (slug, name, name_en, description, description_en) in enumerate(CATEGORIES):
        categories[slug], _ = ForumCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "description": description,
                                 "description_en": description_en, "sort_order": order},
        )
    return categories


def _thread(spec: DemoThread, *, categories: dict, cast: Cast) -> bool:
    """The thread with its replies and accepted answer, if it is not there yet."""
    if not cast.has(spec.who, *(reply.who for reply in spec.replies)):
        return False
    author, enterprise = cast.acting(spec.who)
    if Thread.objects.filter(author=author, title=spec.title).exists():
        return False
    thread = thread_start(category=categories[spec.category], author=author,
                          enterprise=enterprise, kind=spec.kind, title=spec.title,
                          body=spec.body)
    opened = at(-spec.days_ago, spec.hour, 10 + spec.days_ago % 40)
    Post.objects.filter(thread=thread).update(created_at=opened)
    replies = []
    for reply in spec.replies:
        user, as_enterprise = cast.acting(reply.who)
        post = post_reply(thread=thread, author=user, enterprise=as_enterprise, body=reply.body)
        Post.objects.filter(pk=post.pk).update(created_at=opened + timedelta(hours=reply.hours))
        replies.append(post)
    if spec.accepted is not None:
        answer_accept(post=replies[spec.accepted], by=author)
    last = opened + timedelta(hours=max((reply.hours for reply in spec.replies), default=0))
    Thread.objects.filter(pk=thread.pk).update(created_at=opened, last_activity_at=last)
    return True


def seed(*, run: DemoRun, cast: Cast) -> str:
    with transaction.atomic():
        categories = _categories()
    made = 0
    for spec in THREADS:
        with transaction.atomic():
            made += _thread(spec, categories=categories, cast=cast)
    return f"{len(THREADS)} forum threads ({made} new) in {len(categories)} categories"
