"""Demo events: trainings, gotong royong work days, market days, cooperative meetings and cultural
evenings of the past six months (with RSVPs and attendance marked by the organisers, which records
co-attendance ties) and of the coming two months (with RSVPs through the service, one event full
with a waiting list). Some are also in English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from enterprises.models import Cooperative, Region
from knowledge.demo_articles import English
from knowledge.demo_blocks import checklist, note, text, tip
from knowledge.demo_common import Cast, at
from knowledge.models import EventPage, Rsvp
from knowledge.services.events import attendance_mark, rsvp_join
from knowledge.services.pages import page_add, page_translate, section_page

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

SUNDAY = 6


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str
    summary: str
    days: int  # from today; negative: in the past
    hour: int
    hours: float
    organiser: str  # "enterprise:<slug>" or "cooperative:<slug>"
    body: list
    venue: str = ""
    regency: str = ""
    online_url: str = ""
    capacity: int | None = None
    weekday: int | None = None
    # Who RSVPs, in order ("username" or "username@enterprise-slug"); past: who did not come.
    going: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    english: English | None = None


E = DemoEvent
EVENTS = [
    # --- The past six months --------------------------------------------------------------------
    E(slug="pelatihan-foto-produk-dengan-ponsel",
      title="Pelatihan foto produk dengan ponsel",
      kind="training", days=-74, hour=9, hours=3, capacity=15,
      organiser="enterprise:studio-foto-produk-rina",
      venue="Balai Desa Wiradesa", regency="kabupaten-pekalongan",
      summary="Belajar memotret produk dengan ponsel dan cahaya jendela bersama Mbak Rina. Bawa "
              "ponsel dan dua atau tiga produk Anda.",
      body=[
          text("<p>Dalam tiga jam kita praktik langsung: mencari cahaya jendela, membuat latar "
               "dari karton, memakai styrofoam sebagai pemantul, dan menyunting foto secukupnya "
               "di ponsel. Setiap peserta pulang dengan foto produknya sendiri yang siap diunggah "
               "ke Guyub dan katalog WhatsApp.</p>"),
          checklist("Yang perlu dibawa",
                    "Ponsel dengan baterai penuh",
                    "Dua atau tiga produk yang ingin difoto",
                    "Karton atau kain putih jika punya",
                    "Buku catatan"),
          note("<p>Pelatihan gratis. Makan siang disediakan Koperasi Batik Pesisir "
               "Pekalongan.</p>"),
      ],
      going=("fauzi", "nur", "rahmat", "ani", "endang", "tini", "ayu", "sari", "kholil", "tri",
             "darsih"),
      absent=("tini", "kholil"),
      english=English(
          title="Product photography training with a phone",
          summary="Learn to photograph your products with a phone and window light with Mbak "
                  "Rina. Bring your phone and two or three of your products.",
          body=[
              text("<p>Three hours of practice: finding window light, making a background from "
                   "card, using polystyrene as a reflector and editing lightly on the phone. "
                   "Everyone goes home with photos of their own products, ready for Guyub and "
                   "their WhatsApp catalogue.</p>"),
              checklist("What to bring",
                        "A phone with a full battery",
                        "Two or three products to photograph",
                        "White card or cloth if you have some",
                        "A notebook"),
              note("<p>The training is free. Lunch is provided by Koperasi Batik Pesisir "
                   "Pekalongan.</p>"),
          ],
      )),
    E(slug="rat-koperasi-kopi-sindoro-sumbing",
      title="Rapat Anggota Tahunan Koperasi Kopi Sindoro Sumbing",
      kind="cooperative_meeting", days=-118, hour=8, hours=4.5,
      organiser="cooperative:koperasi-kopi-sindoro-sumbing",
      venue="Balai Desa Kledung", regency="kabupaten-temanggung",
      summary="RAT tahun buku lalu: laporan pengurus dan pengawas, pembagian SHU, dan rencana "
              "membeli mesin pengering kedua.",
      body=[
          text("<h2>Acara</h2><ol><li>Pembukaan dan pengesahan kuorum</li>"
               "<li>Laporan pertanggungjawaban pengurus</li>"
               "<li>Laporan keuangan dan laporan pengawas</li>"
               "<li>Penetapan dan pembagian SHU</li>"
               "<li>Rencana kerja tahun depan, termasuk usul mesin pengering kedua</li>"
               "<li>Pemilihan pengawas</li></ol>"
               "<p>Laporan keuangan sudah dibagikan lewat grup seminggu sebelum rapat. Silakan "
               "dibaca dan siapkan pertanyaan.</p>"),
          checklist("Yang perlu dibawa",
                    "Kartu anggota", "Buku simpanan", "Usulan tertulis untuk rencana kerja"),
          note("<p>Anggota yang berhalangan dapat diwakili sesuai AD/ART dengan surat "
               "kuasa.</p>"),
      ],
      going=("budi", "agus", "sumiyati", "parmin")),
    E(slug="kerja-bakti-lantai-jemur-kopi",
      title="Kerja bakti membersihkan lantai jemur kopi",
      kind="gotong_royong", days=-40, hour=7, hours=4, weekday=SUNDAY,
      organiser="cooperative:koperasi-kopi-sindoro-sumbing",
      venue="Lantai jemur koperasi, Desa Kledung", regency="kabupaten-temanggung",
      summary="Sebelum panen raya, lantai jemur dibersihkan dari lumut dan tanah, terpal "
              "diperbaiki, dan garis petak dicat ulang.",
      body=[
          text("<p>Lantai jemur yang bersih membuat kopi kering merata dan tidak berbau tanah. "
               "Kita bagi tiga kelompok: menyikat lantai, menambal terpal, dan mengecat garis "
               "petak supaya kopi setiap anggota tidak tercampur.</p>"),
          checklist("Yang perlu dibawa",
                    "Sapu lidi dan sikat", "Cangkul atau sekop kecil", "Ember",
                    "Topi dan air minum"),
          tip("<p>Konsumsi dari kas koperasi; wedang jahe dari Jahe Merah Ngadirejo.</p>"),
      ],
      going=("budi", "agus", "parmin", "sumiyati"), absent=("sumiyati",)),
    E(slug="pasar-umkm-banyumas-maju-car-free-day",
      title="Pasar UMKM Banyumas Maju saat Car Free Day",
      kind="market_day", days=-26, hour=6, hours=4, weekday=SUNDAY,
      organiser="cooperative:koperasi-umkm-banyumas-maju",
      venue="Jl. Jenderal Soedirman, Purwokerto (depan alun-alun)",
      regency="kabupaten-banyumas",
      summary="Stan bersama anggota Koperasi UMKM Banyumas Maju: keripik, mendoan, getuk, gula "
              "kelapa, madu, dan sayur organik.",
      body=[
          text("<p>Koperasi menyewa tiga tenda berdampingan. Setiap anggota menjaga stan "
               "bergiliran satu jam, dan produk anggota yang tidak bisa datang tetap dijual di "
               "stan bersama. Bawa kode QRIS atau nomor rekening untuk pembayaran non-tunai.</p>"),
          checklist("Yang perlu dibawa",
                    "Produk dengan label lengkap", "Uang kembalian",
                    "Daftar harga yang ditulis besar", "Kantong belanja kertas atau kain"),
      ],
      going=("sari", "darsih", "tini", "karso", "heru", "slamet", "warsini", "yanto", "endang"),
      absent=("yanto",)),
    E(slug="penyuluhan-p-irt-dan-sertifikat-halal",
      title="Penyuluhan P-IRT dan sertifikat halal untuk usaha makanan",
      kind="training", days=-55, hour=9, hours=3, capacity=25,
      organiser="enterprise:keripik-sari",
      venue="Balai Desa Karangsari", regency="kabupaten-banyumas",
      summary="Berbagi pengalaman mengurus NIB, P-IRT, dan sertifikat halal self-declare, dan "
              "memeriksa kesiapan berkas bersama.",
      body=[
          text("<p>Bu Sari berbagi pengalaman Keripik Sari mengurus P-IRT, dan seorang "
               "pendamping proses produk halal menjelaskan jalur self-declare. Setelah itu kita "
               "periksa berkas masing-masing peserta bersama-sama.</p>"),
          checklist("Yang perlu dibawa",
                    "KTP", "NIB jika sudah punya", "Foto dapur atau tempat produksi",
                    "Daftar bahan setiap produk", "Contoh kemasan dan label"),
          note("<p>Aturan perizinan bisa berubah. Yang disampaikan di sini adalah pengalaman "
               "peserta; keputusan tetap di Dinas Kesehatan, OSS, dan BPJPH.</p>"),
      ],
      going=("darsih", "tini", "heru", "endang", "karso", "slamet", "suwarni", "darto"),
      absent=("suwarni",)),
    E(slug="pentas-ebeg-dan-bazar-umkm-sokaraja",
      title="Pentas ebeg dan bazar UMKM Sokaraja",
      kind="cultural", days=-88, hour=19, hours=3,
      organiser="enterprise:batik-banyumasan-sekar-arum",
      venue="Lapangan Desa Sokaraja Kulon", regency="kabupaten-banyumas",
      summary="Malam kesenian ebeg (kuda lumping khas Banyumas) dengan bazar makanan dan batik "
              "dari usaha warga.",
      body=[
          text("<p>Grup ebeg dari tiga desa tampil bergantian, diiringi gamelan calung. Di "
               "pinggir lapangan ada bazar: mendoan, getuk goreng, keripik, dan batik "
               "Banyumasan. Stan bazar gratis untuk usaha warga; daftar ke Bu Ani.</p>"),
          tip("<p>Penonton diharap tetap di belakang tali pembatas saat penari ebeg "
              "mendem.</p>"),
      ],
      going=("darsih", "tini", "sari", "wati", "karso", "yanto")),
    # --- The coming two months ------------------------------------------------------------------
    E(slug="kelas-jualan-online-katalog-whatsapp",
      title="Kelas jualan online: deskripsi produk dan katalog WhatsApp",
      kind="training", days=9, hour=13, hours=3, capacity=10,
      organiser="enterprise:batik-tulis-rina",
      venue="Ruang pelatihan Koperasi Batik Pesisir, Wiradesa",
      regency="kabupaten-pekalongan",
      summary="Menulis deskripsi produk yang menjual dan membuat katalog WhatsApp Business, "
              "praktik langsung dengan produk Anda. Tempat terbatas sepuluh orang.",
      body=[
          text("<p>Kelas kecil supaya setiap peserta didampingi. Kita tulis ulang deskripsi "
               "tiga produk Anda, lalu memasukkannya ke katalog WhatsApp Business dan toko "
               "Guyub.</p>"),
          checklist("Yang perlu dibawa",
                    "Ponsel dengan WhatsApp Business terpasang",
                    "Foto tiga produk",
                    "Harga, ukuran, dan bahan setiap produk"),
          note("<p>Jika tempat penuh, daftar di daftar tunggu: tempat yang kosong diberikan "
               "berurutan.</p>"),
      ],
      going=("fauzi", "nur", "rahmat", "ani", "ayu", "kholil", "endang", "tini", "darsih",
             "eko", "puji", "joko", "sumarni"),
      english=English(
          title="Selling online: product descriptions and a WhatsApp catalogue",
          summary="Write product descriptions that sell and build a WhatsApp Business "
                  "catalogue, hands-on with your own products. Ten places only.",
          body=[
              text("<p>A small class so everyone gets help. We rewrite the descriptions of "
                   "three of your products, then put them in your WhatsApp Business catalogue "
                   "and your Guyub shop.</p>"),
              checklist("What to bring",
                        "A phone with WhatsApp Business installed",
                        "Photos of three products",
                        "Price, size and material of each product"),
              note("<p>When the class is full, join the waiting list: free places go to it in "
                   "order.</p>"),
          ],
      )),
    E(slug="pelatihan-membatik-tulis-untuk-pemula",
      title="Pelatihan membatik tulis untuk pemula",
      kind="training", days=19, hour=9, hours=6, capacity=12,
      organiser="enterprise:batik-tulis-sekar-giri",
      venue="Sanggar Batik Sekar Giri, Giriloyo, Wukirsari", regency="kabupaten-bantul",
      summary="Sehari belajar membatik tulis dengan pewarna alam: dari menggambar pola, "
              "nglowong, sampai nglorod. Bahan disediakan.",
      body=[
          text("<p>Peserta membuat satu kain kecil 50 × 50 cm dengan motif sederhana. Pagi "
               "belajar memegang canting dan nglowong, siang mewarnai dengan pewarna alam dari "
               "kulit kayu, sore nglorod.</p>"),
          checklist("Yang perlu dibawa",
                    "Pakaian yang boleh kotor", "Celemek jika punya", "Bekal air minum"),
          tip("<p>Malam dan pewarna panas: anak di bawah 12 tahun hanya boleh ikut "
              "didampingi.</p>"),
      ],
      going=("sumarni", "lestari", "harjo", "giyem", "sumini", "puji", "tri", "joko"),
      english=English(
          title="Hand-drawn batik for beginners",
          summary="A day of hand-drawn batik with natural dyes: from drawing the pattern and "
                  "tracing it in wax to boiling the wax off. Materials provided.",
          body=[
              text("<p>Everyone makes a small 50 × 50 cm cloth with a simple pattern. In the "
                   "morning we learn to hold the canting and trace outlines in wax, at midday "
                   "we dye with natural bark dyes, and in the afternoon we boil the wax "
                   "off.</p>"),
              checklist("What to bring",
                        "Clothes that may get stained", "An apron if you have one",
                        "Drinking water"),
              tip("<p>Hot wax and dyes: children under 12 only with an adult.</p>"),
          ],
      )),
    E(slug="rapat-anggota-kemasan-bersama",
      title="Rapat anggota: pesanan bersama kemasan dan persiapan RAT",
      kind="cooperative_meeting", days=13, hour=19, hours=2,
      organiser="cooperative:koperasi-umkm-banyumas-maju",
      venue="Rumah produksi Keripik Sari, Desa Karangsari", regency="kabupaten-banyumas",
      summary="Membahas pesanan bersama standing pouch dan minyak goreng berikutnya, serta "
              "jadwal dan panitia RAT.",
      body=[
          text("<ol><li>Evaluasi pesanan bersama standing pouch terakhir</li>"
               "<li>Rencana pesanan bersama minyak goreng</li>"
               "<li>Jadwal pemakaian mesin vacuum frying</li>"
               "<li>Pembentukan panitia RAT</li></ol>"),
      ],
      going=("darsih", "tini", "karso", "heru", "slamet")),
    E(slug="kerja-bakti-atap-rumah-jemur",
      title="Kerja bakti memperbaiki atap rumah jemur",
      kind="gotong_royong", days=6, hour=7, hours=5, weekday=SUNDAY,
      organiser="cooperative:koperasi-kopi-sindoro-sumbing",
      venue="Rumah jemur koperasi, Desa Kledung", regency="kabupaten-temanggung",
      summary="Mengganti plastik UV atap rumah jemur yang sobek sebelum musim hujan.",
      body=[
          text("<p>Plastik UV sudah dibeli dari kas koperasi. Kita butuh sekitar sepuluh orang: "
               "empat di atas, sisanya memegang tangga dan menyiapkan klem.</p>"),
          checklist("Yang perlu dibawa", "Tangga", "Obeng dan tang", "Sarung tangan"),
      ],
      going=("agus", "parmin", "sumiyati")),
    E(slug="pasar-tani-minggu-pagi-baturraden",
      title="Pasar tani Minggu pagi Baturraden",
      kind="market_day", days=4, hour=6, hours=4, weekday=SUNDAY,
      organiser="enterprise:sayur-organik-baturraden",
      venue="Halaman Balai Desa Kemutug Lor", regency="kabupaten-banyumas",
      summary="Sayur organik panen pagi, madu, gula kelapa, dan jajanan desa langsung dari "
              "petani dan pembuatnya.",
      body=[
          text("<p>Pasar tani kecil setiap bulan. Pengunjung diminta membawa tas belanja "
               "sendiri. Penjual dari desa sekitar boleh ikut; hubungi Bu Warsini.</p>"),
      ],
      going=("sari", "darsih", "slamet", "karso", "heru")),
    E(slug="kirab-budaya-dan-pameran-batik-pesisir",
      title="Kirab budaya dan pameran batik pesisir",
      kind="cultural", days=33, hour=15, hours=6,
      organiser="cooperative:koperasi-batik-pesisir-pekalongan",
      venue="Lapangan Kecamatan Wiradesa", regency="kabupaten-pekalongan",
      summary="Kirab budaya membawa kain batik panjang karya pembatik Wiradesa, lalu pameran dan "
              "penjualan batik dari anggota koperasi.",
      body=[
          text("<p>Kirab dimulai dari balai desa pukul tiga sore. Malamnya pameran batik tulis, "
               "cap, dan kombinasi, dengan demonstrasi membatik untuk pengunjung.</p>"),
      ],
      going=("fauzi", "nur", "rahmat", "ani", "ayu")),
    E(slug="kelas-online-pembukuan-sederhana",
      title="Kelas online: pembukuan sederhana untuk kelompok tani dan UMKM",
      kind="training", days=24, hour=19, hours=1.5, capacity=30,
      organiser="enterprise:kopi-sindoro-makmur",
      online_url="https://meet.jit.si/guyub-kelas-pembukuan-sederhana",
      summary="Lewat panggilan video: buku kas harian, memisahkan uang usaha dan rumah tangga, "
              "dan rekap bulanan yang dipercaya anggota.",
      body=[
          text("<p>Pak Budi berbagi cara Kopi Sindoro Makmur mencatat uang kelompok. Tautan "
               "panggilan video aktif setengah jam sebelum mulai. Cukup dengan ponsel dan "
               "kuota sekitar 300 MB.</p>"),
          checklist("Siapkan", "Buku tulis atau contoh buku kas dari Pengetahuan",
                    "Nota belanja seminggu terakhir"),
      ],
      going=("agus", "sari", "ujang", "bambang", "wayan", "tarno", "suwarni")),
]


def _organiser(spec: DemoEvent, *, cast: Cast, cooperatives: dict) -> tuple[dict, object]:
    """The organiser fields, and the person who acts for the organiser."""
    kind, _colon, slug = spec.organiser.partition(":")
    if kind == "cooperative":
        cooperative = cooperatives[slug]
        return {"organiser_cooperative": cooperative}, cast.manager(cooperative)
    return {"organiser_enterprise": cast.enterprise(slug)}, cast.runner(slug)


def _event(spec: DemoEvent, *, index, cast: Cast, cooperatives: dict, regions: dict):
    organiser, person = _organiser(spec, cast=cast, cooperatives=cooperatives)
    page = EventPage.objects.filter(locale_id=index.locale_id, slug=spec.slug).first()
    if page is not None:
        return page, person, False
    starts = at(spec.days, spec.hour, weekday=spec.weekday)
    page = EventPage(
        title=spec.title, slug=spec.slug, kind=spec.kind, summary=spec.summary,
        starts_at=starts, ends_at=starts + timedelta(hours=spec.hours), venue=spec.venue,
        regency=regions.get(spec.regency), online_url=spec.online_url,
        capacity=spec.capacity, body=spec.body, owner=person, **organiser,
    )
    page = page_add(parent=index, page=page, user=person)  # as event_create does
    # Announced three weeks ahead (or two weeks ago, for those still to come).
    published = min(starts - timedelta(days=21), timezone.now() - timedelta(days=14))
    Page.objects.filter(translation_key=page.translation_key).update(
        first_published_at=published, last_published_at=published,
        latest_revision_created_at=published)
    return page, person, True


def _translation(spec: DemoEvent, page: EventPage, *, editor) -> bool:
    if spec.english is None:
        return False
    english = page.get_translation_or_none(Locale.objects.get(language_code="en"))
    if english is not None and not english.alias_of_id:
        return False
    page_translate(page=page, language_code="en", title=spec.english.title, user=editor,
                   summary=spec.english.summary, body=spec.english.body)
    return True


def _past_rsvps(spec: DemoEvent, page: EventPage, *, cast: Cast) -> int:
    """RSVPs made before the event (the service refuses them now it is over)."""
    made = 0
    for position, who in enumerate(spec.going):
        user, enterprise = cast.acting(who)
        _rsvp, created = Rsvp.objects.get_or_create(
            event=page, user=user,
            defaults={"enterprise": enterprise, "status": Rsvp.Status.GOING,
                      "requested_at": page.starts_at - timedelta(days=12 - position % 10,
                                                                 hours=position)},
        )
        made += created
    return made


def _attendance(spec: DemoEvent, page: EventPage, *, cast: Cast, person) -> bool:
    """The organiser marks who came (once)."""
    rsvps = Rsvp.objects.filter(event=page, status=Rsvp.Status.GOING)
    if not rsvps.exists() or rsvps.filter(attended__isnull=False).exists():
        return False
    absent = {cast.user(who.partition("@")[0]).pk for who in spec.absent}
    present = set(rsvps.exclude(user_id__in=absent).values_list("pk", flat=True))
    attendance_mark(event=page, marked_by=person, present_rsvp_ids=present)
    return True


def _coming_rsvps(spec: DemoEvent, page: EventPage, *, cast: Cast) -> int:
    """RSVPs through the service, in order, so a full event fills its waiting list; then spread
    over the past days in the same order."""
    made = 0
    taken = set(Rsvp.objects.filter(event=page).values_list("user_id", flat=True))
    now = timezone.now()
    for position, who in enumerate(spec.going):
        user, enterprise = cast.acting(who)
        if user.pk in taken:
            continue
        rsvp = rsvp_join(event=page, user=user, enterprise=enterprise)
        requested = now - timedelta(days=len(spec.going) - position, hours=position)
        Rsvp.objects.filter(pk=rsvp.pk).update(requested_at=requested)
        made += 1
    return made


def seed(*, run: DemoRun, cast: Cast) -> str:
    index = section_page("EventIndexPage")
    if index is None:
        return "events: no events page, skipped"
    cooperatives = Cooperative.objects.in_bulk(field_name="slug")
    regions = Region.objects.in_bulk({spec.regency for spec in EVENTS if spec.regency},
                                     field_name="slug")
    editor = cast.users.get("admin")  # translates; organisers publish their own events
    made = rsvps = marked = translated = 0
    for spec in EVENTS:
        with transaction.atomic():
            page, person, created = _event(spec, index=index, cast=cast,
                                           cooperatives=cooperatives, regions=regions)
            translated += _translation(spec, page, editor=editor)
            if page.ends_at <= timezone.now():
                rsvps += _past_rsvps(spec, page, cast=cast)
                marked += _attendance(spec, page, cast=cast, person=person)
            else:
                rsvps += _coming_rsvps(spec, page, cast=cast)
        made += created
    return (f"{len(EVENTS)} events ({made} new, {translated} newly in English, {rsvps} new "
            f"RSVPs, attendance marked at {marked})")
