"""Demo enterprises for `manage.py seed_demo`: a village economy in Central Java, Yogyakarta, West
and East Java and Bali, run by demo users; and, with --scale, synthetic enterprises for benchmarks.

Values that vary (founding year, staff size, WhatsApp number) come from the run's seeded random
generator and are drawn for every enterprise whether or not it already exists, so a second run
draws the same values and only fills in what is missing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.core.management import CommandError
from django.db import transaction
from django.utils.text import slugify

from enterprises import demo_cooperatives, services
from enterprises.demo_network import seed_history  # noqa: F401 (seed_demo runs it)
from enterprises.models import Enterprise, EnterpriseMember, EnterpriseSkill, Region, Sector, Skill

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

# For a local demo only: printed by seed_demo so people can log in.
DEMO_PASSWORD = "guyub-demo-123"  # noqa: S105
ADMIN_PASSWORD = "guyub-admin-123"  # noqa: S105
# Tests shrink the generated images to keep seeding fast.
LOGO_SIZE = (320, 320)
BENCH_SLUG_PREFIX = "bench-usaha-"
BENCH_BATCH = 2_000

# What each enterprise makes; marketplace.demo lists the products of each line.
LINE_SECTORS = {
    "keripik": Sector.FOOD, "tempe": Sector.FOOD, "gula": Sector.FOOD, "kue": Sector.FOOD,
    "minuman": Sector.FOOD, "bumbu": Sector.FOOD, "kopi": Sector.COFFEE, "madu": Sector.HONEY,
    "batik": Sector.BATIK, "tenun": Sector.BATIK, "jahit": Sector.TAILORING,
    "anyaman": Sector.CRAFT, "rotan": Sector.CRAFT, "ukir": Sector.CRAFT,
    "gerabah": Sector.CRAFT, "kulit": Sector.CRAFT, "sayur": Sector.FARMING,
    "buah": Sector.FARMING, "pupuk": Sector.FARMING, "ikan": Sector.FISHERIES,
    "jasa-foto": Sector.SERVICES,
}
LINES = tuple(LINE_SECTORS)

SKILLS = [
    ("menjahit", "Menjahit", "Sewing"),
    ("desain-kemasan", "Desain kemasan", "Packaging design"),
    ("pembukuan", "Pembukuan", "Bookkeeping"),
    ("sangrai-kopi", "Sangrai kopi", "Coffee roasting"),
    ("fotografi-produk", "Fotografi produk", "Product photography"),
    ("membatik", "Membatik", "Batik making"),
    ("anyaman", "Menganyam bambu dan rotan", "Bamboo and rattan weaving"),
    ("ukir-kayu", "Mengukir kayu", "Wood carving"),
    ("pemasaran-online", "Pemasaran online", "Online marketing"),
    ("pendampingan-pirt", "Pendampingan izin P-IRT", "P-IRT food permit assistance"),
    ("sablon", "Sablon", "Screen printing"),
    ("pengemasan-vakum", "Pengemasan vakum", "Vacuum packing"),
    ("servis-mesin-tani", "Servis mesin pertanian", "Farm machinery repair"),
    ("antar-barang", "Antar barang", "Local delivery"),
]

# username: (first name, last name). All share DEMO_PASSWORD.
USERS = {
    "sari": ("Sari", "Wulandari"), "wati": ("Wati", "Rahayu"), "budi": ("Budi", "Santoso"),
    "rina": ("Rina", "Kusumawati"), "dewi": ("Dewi", "Lestari"), "arif": ("Arif", "Nugroho"),
    "darsih": ("Darsih", ""), "karso": ("Karso", "Wiryo"), "tini": ("Tini", "Suharti"),
    "ani": ("Ani", "Setyaningsih"), "slamet": ("Slamet", "Riyadi"), "yanto": ("Yanto", "Prasetyo"),
    "warsini": ("Warsini", ""), "heru": ("Heru", "Susanto"), "agus": ("Agus", "Widodo"),
    "parmin": ("Parmin", ""), "sumiyati": ("Sumiyati", ""), "darto": ("Darto", "Sugiarto"),
    "suwarni": ("Suwarni", ""), "endang": ("Endang", "Sulistyowati"),
    "rohmat": ("Rohmat", "Hidayat"), "tarno": ("Tarno", ""), "fauzi": ("Ahmad", "Fauzi"),
    "nur": ("Nurhayati", ""), "rahmat": ("Rahmat", "Hidayatullah"),
    "wahyuni": ("Sri", "Wahyuni"), "joko": ("Joko", "Susilo"), "sumarni": ("Sumarni", ""),
    "harjo": ("Harjo", "Sumarto"), "lestari": ("Lestari", "Handayani"), "giyem": ("Giyem", ""),
    "paijo": ("Paijo", ""), "tukiran": ("Tukiran", ""), "sumini": ("Sumini", ""),
    "puji": ("Puji", "Astuti"), "sukirah": ("Sukirah", ""), "tri": ("Tri", "Handayani"),
    "kholil": ("Muhammad", "Kholil"), "ayu": ("Ayu", "Fitriani"), "wayan": ("I Wayan", "Sudarma"),
    "made": ("Ni Made", "Sriani"), "ketut": ("I Ketut", "Arsana"), "asep": ("Asep", "Saepudin"),
    "dedi": ("Dedi", "Kurniawan"), "ujang": ("Ujang", "Suryana"), "bambang": ("Bambang", "Hartono"),
    "eko": ("Eko", "Purnomo"),
}


@dataclass(frozen=True)
class DemoEnterprise:
    name: str
    line: str
    regency: str
    district: str
    village: str
    owner: str
    description: str
    staff: tuple[str, ...] = ()
    people: int | None = None  # drawn at random when not known from the story
    # (skill slug, rate in rupiah, rate unit, what is offered)
    offers: tuple[tuple[str, int, str, str], ...] = field(default=())

    @property
    def slug(self) -> str:
        return slugify(self.name)


E = DemoEnterprise
ENTERPRISES = [
    # Kabupaten Banyumas
    E("Keripik Sari", "keripik", "kabupaten-banyumas", "Kembaran", "Karangsari", "sari",
      "Keripik singkong renyah buatan Ibu Sari bersama dua tetangga. Singkong dari kebun warga "
      "Karangsari, digoreng dengan minyak baru setiap hari, tanpa pengawet.",
      staff=("wati",), people=3,
      offers=(("pendampingan-pirt", 50_000, "job",
               "Membantu menyiapkan berkas izin P-IRT untuk usaha makanan rumahan."),
              ("pengemasan-vakum", 2_000, "piece", "Pengemasan vakum untuk keripik dan kue."))),
    E("Tempe Mendoan Bu Darsih", "tempe", "kabupaten-banyumas", "Sokaraja", "Sokaraja Kulon",
      "darsih", "Tempe mendoan khas Banyumas dari kedelai pilihan, dibungkus daun pisang. "
      "Melayani warung makan dan pesanan hajatan."),
    E("Gula Kelapa Pageraji", "gula", "kabupaten-banyumas", "Cilongok", "Pageraji", "karso",
      "Kelompok penderes nira kelapa. Gula kelapa cetak dan gula semut dimasak dengan tungku "
      "kayu, tanpa pemutih dan tanpa campuran gula pasir."),
    E("Getuk Goreng Mbok Tini", "kue", "kabupaten-banyumas", "Sokaraja", "Sokaraja Tengah",
      "tini", "Getuk goreng Sokaraja resep keluarga sejak tiga generasi. Manis legit dari gula "
      "kelapa asli."),
    E("Batik Banyumasan Sekar Arum", "batik", "kabupaten-banyumas", "Banyumas", "Sudagaran",
      "ani", "Batik tulis dan cap motif Banyumasan dengan warna sogan yang tegas. Dikerjakan "
      "oleh ibu-ibu pembatik Sudagaran.",
      offers=(("membatik", 100_000, "day", "Pelatihan membatik tulis untuk pemula."),)),
    E("Madu Hutan Lereng Slamet", "madu", "kabupaten-banyumas", "Baturraden", "Karangmangu",
      "slamet", "Madu hutan dipanen dari lebah liar di lereng Gunung Slamet dengan cara "
      "lestari, disaring tanpa dipanaskan."),
    E("Penjahit Rapi Jaya", "jahit", "kabupaten-banyumas", "Ajibarang", "Ajibarang Kulon",
      "yanto", "Penjahit seragam sekolah, kantor, dan pakaian custom. Bisa pesan satuan maupun "
      "partai untuk kelompok.",
      offers=(("menjahit", 35_000, "piece", "Jahit kemeja dan seragam, bahan dari pemesan."),
              ("sablon", 8_000, "piece", "Sablon kaos dan tas kain, minimal 24 potong."))),
    E("Sayur Organik Baturraden", "sayur", "kabupaten-banyumas", "Baturraden", "Kemutug Lor",
      "warsini", "Kelompok wanita tani menanam sayur organik tanpa pestisida kimia. Panen pagi, "
      "diantar ke Purwokerto hari itu juga.",
      offers=(("antar-barang", 10_000, "job", "Antar sayur dan barang ke Purwokerto."),)),
    E("Abon Lele Mina Sejahtera", "ikan", "kabupaten-banyumas", "Kedungbanteng", "Beji", "heru",
      "Kelompok pembudidaya lele yang mengolah hasil panen menjadi abon, nugget, dan kerupuk."),
    # Kabupaten Temanggung
    E("Kopi Sindoro Makmur", "kopi", "kabupaten-temanggung", "Kledung", "Kledung", "budi",
      "Kelompok petani kopi arabika di lereng Sindoro. Biji dipetik merah, diproses natural dan "
      "full wash, disangrai sendiri di desa.", people=60,
      offers=(("sangrai-kopi", 15_000, "kg", "Jasa sangrai kopi untuk petani dan kedai."),
              ("pembukuan", 150_000, "job", "Membantu pembukuan sederhana kelompok tani."))),
    E("Pupuk Organik Tani Makmur", "pupuk", "kabupaten-temanggung", "Kledung", "Kledung", "budi",
      "Pupuk kompos dan pupuk kandang fermentasi dari kotoran ternak anggota kelompok, untuk "
      "kebun kopi dan sayur.",
      offers=(("servis-mesin-tani", 75_000, "job", "Servis mesin pengupas kopi dan cultivator."),)),
    E("Kopi Lereng Sumbing", "kopi", "kabupaten-temanggung", "Tembarak", "Tembarak", "agus",
      "Kopi robusta dan arabika dari kebun di lereng Sumbing, ditanam di antara tembakau."),
    E("Anyaman Bambu Kandangan", "anyaman", "kabupaten-temanggung", "Kandangan", "Kandangan",
      "parmin", "Perajin bambu Kandangan membuat besek, tampah, dan perabot dari bambu yang "
      "ditanam dan dipanen warga sendiri.",
      offers=(("anyaman", 75_000, "day", "Mengajar anyaman bambu untuk kelompok."),)),
    E("Jahe Merah Ngadirejo", "minuman", "kabupaten-temanggung", "Ngadirejo", "Ngadirejo",
      "sumiyati", "Minuman jahe merah dan rempah instan dari tanaman pekarangan ibu-ibu PKK."),
    # Kabupaten Purbalingga
    E("Stroberi Serang Segar", "buah", "kabupaten-purbalingga", "Karangreja", "Serang", "darto",
      "Kebun stroberi di desa wisata Serang. Buah segar dipetik setiap pagi, juga selai dan "
      "bibit stroberi."),
    E("Gula Kelapa Karangmoncol", "gula", "kabupaten-purbalingga", "Karangmoncol",
      "Karangmoncol", "suwarni", "Gula kelapa organik dari penderes Karangmoncol, sudah "
      "diekspor lewat koperasi."),
    E("Keripik Pisang Bobotsari", "keripik", "kabupaten-purbalingga", "Bobotsari", "Bobotsari",
      "endang", "Keripik pisang dan keripik singkong aneka rasa, digoreng setiap hari dalam "
      "jumlah kecil supaya tetap renyah."),
    E("Konveksi Mekar Purbalingga", "jahit", "kabupaten-purbalingga", "Kalimanah", "Kalimanah",
      "rohmat", "Konveksi rumahan dengan delapan mesin jahit: kaos, kemeja, dan seragam "
      "komunitas.",
      offers=(("menjahit", 30_000, "piece", "Jahit partai kaos dan kemeja."),)),
    E("Madu Klanceng Kutasari", "madu", "kabupaten-purbalingga", "Kutasari", "Kutasari", "tarno",
      "Budidaya lebah klanceng (tanpa sengat) di pekarangan. Madunya asam segar dan kaya "
      "propolis."),
    # Kabupaten Pekalongan
    E("Batik Tulis Rina", "batik", "kabupaten-pekalongan", "Wiradesa", "Wiradesa", "rina",
      "Bengkel batik tulis pesisiran dengan warna cerah. Mbak Rina juga membimbing penjual muda "
      "memotret produk dan berjualan online.",
      offers=(("membatik", 150_000, "day", "Kelas membatik tulis, bahan disediakan."),
              ("pemasaran-online", 100_000, "job",
               "Mendampingi membuka toko online dan menulis deskripsi produk."))),
    E("Studio Foto Produk Rina", "jasa-foto", "kabupaten-pekalongan", "Wiradesa", "Wiradesa",
      "rina", "Jasa foto produk untuk UMKM dengan latar sederhana dan cahaya alami. Juga "
      "pelatihan memotret produk dengan ponsel.",
      offers=(("fotografi-produk", 25_000, "piece", "Foto produk dengan latar putih atau kayu."),
              ("desain-kemasan", 200_000, "job", "Desain label dan kemasan siap cetak."))),
    E("Batik Cap Wonopringgo", "batik", "kabupaten-pekalongan", "Wonopringgo", "Wonopringgo",
      "fauzi", "Batik cap dan kombinasi untuk seragam kantor, sekolah, dan acara keluarga."),
    E("Konveksi Batik Kedungwuni", "jahit", "kabupaten-pekalongan", "Kedungwuni", "Kedungwuni",
      "nur", "Menjahit kemeja, gamis, dan daster dari kain batik Pekalongan.",
      offers=(("menjahit", 40_000, "piece", "Jahit kemeja batik, bisa ukuran khusus."),)),
    E("Olahan Ikan Wonokerto", "ikan", "kabupaten-pekalongan", "Wonokerto", "Wonokerto",
      "rahmat", "Istri nelayan Wonokerto mengolah tangkapan menjadi ikan asin, terasi, dan "
      "kerupuk ikan."),
    # Kabupaten Bantul
    E("Batik Tulis Sekar Giri", "batik", "kabupaten-bantul", "Imogiri", "Wukirsari", "wahyuni",
      "Batik tulis Giriloyo dengan pewarna alam dari kulit kayu dan daun. Setiap kain dikerjakan "
      "berminggu-minggu.",
      offers=(("membatik", 125_000, "day", "Paket belajar membatik dengan pewarna alam."),)),
    E("Gerabah Kasongan Mas Joko", "gerabah", "kabupaten-bantul", "Kasihan", "Bangunjiwo",
      "joko", "Gerabah Kasongan: pot, kendi, vas, dan celengan dari tanah liat, dibakar di "
      "tungku tradisional."),
    E("Geplak Bu Sumarni", "kue", "kabupaten-bantul", "Bantul", "Palbapang", "sumarni",
      "Geplak, wajik, dan jajanan khas Bantul dari kelapa dan gula pasir, aneka warna dan rasa."),
    E("Kerajinan Kulit Manding", "kulit", "kabupaten-bantul", "Bantul", "Sabdodadi", "harjo",
      "Dompet, tas, dan ikat pinggang kulit sapi dijahit tangan oleh perajin Manding."),
    E("Penjahit Seragam Sewon", "jahit", "kabupaten-bantul", "Sewon", "Panggungharjo", "lestari",
      "Menjahit seragam sekolah, mukena, dan pakaian sehari-hari. Bisa permak dan vermak.",
      offers=(("menjahit", 25_000, "piece", "Permak dan jahit pakaian sehari-hari."),)),
    E("Emping Melinjo Pandak", "keripik", "kabupaten-bantul", "Pandak", "Caturharjo", "giyem",
      "Emping melinjo tipis ditumbuk tangan, juga rengginang dan kerupuk gendar."),
    # Kabupaten Sleman, Gunungkidul, Kulon Progo
    E("Salak Pondoh Turi Sejahtera", "buah", "kabupaten-sleman", "Turi", "Bangunkerto", "paijo",
      "Kelompok tani salak pondoh di lereng Merapi. Salak manis masir, dipetik sesuai pesanan."),
    E("Kerajinan Bambu Brajan", "anyaman", "kabupaten-sleman", "Minggir", "Sendangagung",
      "tukiran", "Perabot dan peralatan dapur dari bambu, dikerjakan perajin dusun Brajan."),
    E("Tiwul Mbok Sumini", "kue", "kabupaten-gunungkidul", "Wonosari", "Wonosari", "sumini",
      "Tiwul, gatot, dan olahan singkong khas Gunungkidul, bisa instan untuk oleh-oleh."),
    E("Keripik Singkong Playen", "keripik", "kabupaten-gunungkidul", "Playen", "Playen", "puji",
      "Keripik singkong dan lanting dari singkong lahan kering Gunungkidul."),
    E("Gula Semut Kokap", "gula", "kabupaten-kulon-progo", "Kokap", "Hargotirto", "sukirah",
      "Gula semut kelapa organik dari penderes perbukitan Menoreh, bersertifikat organik "
      "kelompok.",
      offers=(("desain-kemasan", 150_000, "job", "Berbagi desain kemasan gula semut."),)),
    E("Batik Geblek Renteng", "batik", "kabupaten-kulon-progo", "Lendah", "Lendah", "tri",
      "Batik motif Geblek Renteng khas Kulon Progo, tulis dan cap."),
    # Kabupaten Jepara
    E("Ukir Jati Tahunan", "ukir", "kabupaten-jepara", "Tahunan", "Tahunan", "kholil",
      "Ukiran kayu jati Jepara: hiasan dinding, kotak, dan perabot kecil dari sisa kayu "
      "industri mebel.",
      offers=(("ukir-kayu", 120_000, "day", "Ukir pesanan motif khusus."),)),
    E("Tenun Troso Ayu", "tenun", "kabupaten-jepara", "Pecangaan", "Troso", "ayu",
      "Tenun ikat Troso dengan alat tenun bukan mesin (ATBM), motif tradisional dan modern."),
    # Bali
    E("Kopi Kintamani Catur Paramitha", "kopi", "kabupaten-bangli", "Kintamani", "Kintamani",
      "wayan", "Kopi arabika Kintamani dari subak abian, rasa jeruk yang segar. Diproses "
      "natural dan honey.",
      offers=(("sangrai-kopi", 20_000, "kg", "Sangrai kopi sesuai profil pesanan."),)),
    E("Anyaman Tegallalang", "anyaman", "kabupaten-gianyar", "Tegallalang", "Tegallalang",
      "made", "Anyaman bambu dan ata dari perajin Tegallalang: keranjang, tas, dan kap lampu."),
    E("Garam Amed Segara", "bumbu", "kabupaten-karangasem", "Abang", "Purwakerthi", "ketut",
      "Garam laut tradisional Amed yang dijemur di palung kayu kelapa, butiran renyah dan "
      "tidak pahit."),
    # Jawa Barat
    E("Anyaman Rajapolah Mandiri", "anyaman", "kabupaten-tasikmalaya", "Rajapolah", "Rajapolah",
      "asep", "Anyaman pandan, mendong, dan bambu dari Rajapolah: tas, tikar, dan tempat "
      "serbaguna."),
    E("Rotan Tegalwangi", "rotan", "kabupaten-cirebon", "Weru", "Tegalwangi", "dedi",
      "Perajin rotan Tegalwangi membuat kursi, keranjang, dan kap lampu untuk rumah dan kafe.",
      offers=(("anyaman", 90_000, "day", "Anyam rotan untuk perbaikan kursi."),)),
    E("Kopi Gunung Puntang", "kopi", "kabupaten-bandung", "Cimaung", "Campakamulya", "ujang",
      "Kopi arabika Java Preanger dari kebun di Gunung Puntang, petik merah dan dijemur di "
      "rumah jemur."),
    # Jawa Timur
    E("Kopi Ijen Sempol", "kopi", "kabupaten-bondowoso", "Sempol", "Sempol", "bambang",
      "Arabika Java Ijen-Raung dari petani Sempol, diproses full wash di unit pengolahan "
      "kelompok."),
    E("Keripik Tempe Sanan Eko", "tempe", "kota-malang", "Blimbing", "Purwantoro", "eko",
      "Keripik tempe tipis dari sentra tempe Sanan, Malang. Tersedia original, pedas, dan "
      "rasa keju."),
]

# Village life in names: used for synthetic benchmark enterprises.
BENCH_OWNERS = (
    "Bu Sri", "Pak Harno", "Mbak Yuli", "Bu Painem", "Pak Karyo", "Mas Dimas", "Bu Ratna",
    "Pak Samsul", "Mbak Indah", "Bu Siti", "Pak Wagiman", "Kang Dadang", "Teh Euis",
    "Bu Komang", "Pak Nyoman", "Mbak Fitri", "Pak Rudi", "Bu Ning", "Mas Bayu", "Bu Yati",
)
BENCH_LABELS = {
    "keripik": "Keripik", "tempe": "Tempe", "gula": "Gula Kelapa", "kue": "Jajanan",
    "minuman": "Wedang", "bumbu": "Bumbu", "kopi": "Kopi", "madu": "Madu", "batik": "Batik",
    "tenun": "Tenun", "jahit": "Jahit", "anyaman": "Anyaman", "rotan": "Rotan", "ukir": "Ukir",
    "gerabah": "Gerabah", "kulit": "Kulit", "sayur": "Sayur", "buah": "Kebun",
    "pupuk": "Pupuk", "ikan": "Olahan Ikan", "jasa-foto": "Foto",
}
BENCH_VILLAGES = (
    "Sukamaju", "Sidomulyo", "Karanganyar", "Tegalrejo", "Sumberrejo", "Mekarsari",
    "Wonorejo", "Margomulyo", "Sukorejo", "Purwosari", "Ngadirejo", "Kalisari",
)


def enterprise_plan(*, rng) -> list[dict]:
    """The varying values of every demo enterprise, drawn in a fixed order."""
    plan = []
    for spec in ENTERPRISES:
        plan.append({
            "spec": spec,
            "year_founded": rng.randint(1988, 2023),
            "people": rng.randint(1, 12),
            "whatsapp": _whatsapp(rng),
        })
    return plan


def _whatsapp(rng) -> str:
    return f"628{rng.choice('1257')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"


def logo_file(*, name: str) -> ImageFile:
    """A round badge with the enterprise's initials."""
    from PIL import Image, ImageDraw, ImageFont

    hue = sum(map(ord, name)) % 6
    palette = [(176, 84, 48), (46, 110, 78), (58, 82, 140), (150, 60, 90), (120, 96, 40),
               (40, 110, 120)]
    width, height = LOGO_SIZE
    image = Image.new("RGB", LOGO_SIZE, (250, 246, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.06, height * 0.06, width * 0.94, height * 0.94), fill=palette[hue])
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=int(height * 0.36))
    draw.text((width / 2, height / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    buffer.seek(0)
    return ImageFile(buffer, name=f"logo-{slugify(name)}.jpg")


def _users() -> dict:
    User = get_user_model()
    users = User.objects.in_bulk(list(USERS), field_name="username")
    # One hash for every demo user: hashing is slow on purpose, and these are demo accounts.
    password = make_password(DEMO_PASSWORD) if len(users) < len(USERS) else None
    for username, (first_name, last_name) in USERS.items():
        if username not in users:
            users[username] = User.objects.create(
                username=username, first_name=first_name, last_name=last_name,
                email=f"{username}@example.com", password=password,
            )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.com", ADMIN_PASSWORD,
                                      first_name="Admin")
    return users


def _skills() -> dict[str, Skill]:
    skills = {}
    for slug, name, name_en in SKILLS:
        skills[slug], _ = Skill.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en}
        )
    return skills


def _enterprise(*, entry: dict, users: dict, regions: dict) -> Enterprise:
    spec = entry["spec"]
    existing = Enterprise.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    return services.enterprise_create(
        user=users[spec.owner],
        logo_file=logo_file(name=spec.name),
        name=spec.name,
        sector=LINE_SECTORS[spec.line],
        description=spec.description,
        regency=regions[spec.regency],
        district=f"Kecamatan {spec.district}",
        village=f"{_village_kind(spec.regency)} {spec.village}",
        whatsapp=entry["whatsapp"],
        year_founded=entry["year_founded"],
        people=spec.people or max(entry["people"], 1 + len(spec.staff)),
    )


def _village_kind(regency_slug: str) -> str:
    """Cities are divided into kelurahan, regencies into desa."""
    return "Kelurahan" if regency_slug.startswith("kota-") else "Desa"


def _team_and_offers(*, spec: DemoEnterprise, enterprise: Enterprise, users: dict,
                     skills: dict) -> None:
    for username in spec.staff:
        EnterpriseMember.objects.get_or_create(
            enterprise=enterprise, user=users[username],
            defaults={"role": EnterpriseMember.Role.STAFF},
        )
    for skill_slug, rate, unit, description in spec.offers:
        if not EnterpriseSkill.objects.filter(enterprise=enterprise,
                                              skill=skills[skill_slug]).exists():
            services.skill_offer_save(offer=EnterpriseSkill(
                enterprise=enterprise, skill=skills[skill_slug], rate=rate, rate_unit=unit,
                description=description,
            ))


def seed(*, run: DemoRun) -> None:
    plan = enterprise_plan(rng=run.rng("enterprises"))
    regions = Region.objects.in_bulk({spec.regency for spec in ENTERPRISES}, field_name="slug")
    missing = {spec.regency for spec in ENTERPRISES} - set(regions)
    if missing:
        raise CommandError(f"Regions missing ({', '.join(sorted(missing))}): run migrate first.")
    # Created in a shuffled order, so "newest" lists mix regions and trades.
    order = run.rng("enterprises-order").sample(plan, len(plan))
    with transaction.atomic():
        users = _users()
        skills = _skills()
        enterprises = []
        for entry in order:
            enterprise = _enterprise(entry=entry, users=users, regions=regions)
            _team_and_offers(spec=entry["spec"], enterprise=enterprise, users=users,
                             skills=skills)
            enterprises.append((entry["spec"], enterprise))
    run.shared["demo_enterprises"] = enterprises
    demo_cooperatives.seed(run=run)
    run.login("sari", DEMO_PASSWORD, "Keripik Sari, Kabupaten Banyumas (with wati)")
    run.login("budi", DEMO_PASSWORD, "runs two enterprises in Kabupaten Temanggung")
    run.login("rina", DEMO_PASSWORD, "batik workshop and photo studio, Kabupaten Pekalongan")
    run.login("dewi", DEMO_PASSWORD, "a buyer with no enterprise")
    run.login("(others)", DEMO_PASSWORD, "every other demo user, e.g. wati, joko, wayan")
    run.login("admin", ADMIN_PASSWORD, "staff superuser: /admin/ and /django-admin/")


def bench_enterprise_count(*, scale: int) -> int:
    """Synthetic enterprises that bring the total to 40 per unit of scale."""
    return max(0, 40 * scale - len(ENTERPRISES))


def bench_enterprise_slug(index: int) -> str:
    return f"{BENCH_SLUG_PREFIX}{index:06d}"


def bench_enterprise_line(index: int) -> str:
    return LINES[index % len(LINES)]


def _bench_enterprise(*, index: int, rng, regencies: list[Region]) -> Enterprise:
    line = bench_enterprise_line(index)
    regency = rng.choice(regencies)
    village = rng.choice(BENCH_VILLAGES)
    return Enterprise(
        name=f"{BENCH_LABELS[line]} {rng.choice(BENCH_OWNERS)} {index}",
        slug=bench_enterprise_slug(index),
        sector=LINE_SECTORS[line],
        description=f"Usaha {BENCH_LABELS[line].lower()} rumahan di Desa {village}, "
                    f"{regency.name}. Data sintetis untuk uji beban.",
        province_id=regency.parent_id,
        regency=regency,
        district=f"Kecamatan {village}",
        village=f"Desa {village}",
        whatsapp=_whatsapp(rng),
        year_founded=rng.randint(1980, 2024),
        people=rng.randint(1, 20),
    )


def seed_bench(*, run: DemoRun) -> None:
    """Synthetic enterprises in bulk; deterministic slugs make reruns add only what is missing."""
    total = bench_enterprise_count(scale=run.scale)
    rng = run.rng("enterprises-bench")
    regencies = list(Region.objects.filter(level=Region.Level.REGENCY).order_by("slug"))
    created = 0
    for start in range(0, total, BENCH_BATCH):
        batch = [_bench_enterprise(index=index, rng=rng, regencies=regencies)
                 for index in range(start, min(start + BENCH_BATCH, total))]
        taken = set(Enterprise.objects.filter(slug__in=[e.slug for e in batch])
                    .values_list("slug", flat=True))
        missing = [enterprise for enterprise in batch if enterprise.slug not in taken]
        with transaction.atomic():
            Enterprise.objects.bulk_create(missing, batch_size=BENCH_BATCH)
        created += len(missing)
        run.progress("enterprises", start + len(batch), total)
    run.note(f"Synthetic enterprises: {created} created, {total - created} already there.")
