"""Demo mentoring: experienced enterprises offer to mentor in a skill (Rina in product photos and
selling online, Pak Budi in running a cooperative, Ibu Sari in the P-IRT permit ...), others ask;
some requests are accepted (each a mentoring tie from the mentor), one declined, others waiting.
Through knowledge.services.mentoring; then times move into the past, the ties' start with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from enterprises.models import Skill, Tie
from knowledge.demo_common import Cast, at
from knowledge.models import MentoringOffer, MentoringRequest
from knowledge.services.mentoring import (
    mentoring_offer_save,
    mentoring_request_decide,
    mentoring_request_send,
)

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

# A skill the enterprises demo does not list: running a cooperative.
EXTRA_SKILLS = [("pengelolaan-koperasi", "Pengelolaan koperasi", "Running a cooperative")]


@dataclass(frozen=True)
class Offer:
    mentor: str  # enterprise slug (its owner saves the offer)
    skill: str
    description: str
    days_ago: int
    is_active: bool = True


@dataclass(frozen=True)
class Ask:
    mentor: str
    skill: str
    mentee: str  # enterprise slug (its owner asks)
    message: str
    days_ago: int
    accept: bool | None = None  # None: still waiting
    response: str = ""
    decided_days_later: int = 1


OFFERS = [
    Offer("studio-foto-produk-rina", "fotografi-produk",
          "Saya bisa mengajari memotret produk dengan ponsel dan cahaya jendela: latar, "
          "pemantul, sudut, dan menyunting secukupnya. Bisa lewat video call atau datang ke "
          "studio di Wiradesa.", 200),
    Offer("batik-tulis-rina", "pemasaran-online",
          "Mendampingi membuka toko online di Guyub, membuat katalog WhatsApp Business, dan "
          "menulis deskripsi produk yang jujur dan menjual. Untuk penjual muda maupun ibu-ibu "
          "yang baru mulai.", 190),
    Offer("kopi-sindoro-makmur", "pengelolaan-koperasi",
          "Pengalaman sepuluh tahun mengurus koperasi petani kopi: rapat anggota dan RAT, "
          "pencatatan transaksi anggota untuk SHU, jadwal alat bersama, dan pembelian pupuk "
          "bersama.", 160),
    Offer("kopi-sindoro-makmur", "pembukuan",
          "Membantu kelompok tani membuat buku kas dan rekap bulanan. Sementara berhenti "
          "menerima permintaan selama panen raya.", 150, is_active=False),
    Offer("keripik-sari", "pendampingan-pirt",
          "Mendampingi usaha makanan rumahan di Banyumas dan sekitarnya menyiapkan berkas NIB "
          "dan P-IRT, dan menata dapur sebelum pemeriksaan.", 170),
    Offer("batik-tulis-sekar-giri", "membatik",
          "Mengajari dasar batik tulis dan pewarna alam untuk kelompok ibu-ibu atau pemuda "
          "yang ingin mulai membatik.", 120),
    Offer("kopi-kintamani-catur-paramitha", "sangrai-kopi",
          "Berbagi cara menyangrai kopi dengan mesin kecil: profil sangrai, mencatat suhu dan "
          "waktu, dan cupping sederhana.", 110),
]

ASKS = [
    Ask("studio-foto-produk-rina", "fotografi-produk", "keripik-pisang-bobotsari",
        "Mbak Rina, foto keripik pisang saya selalu terlihat berminyak dan gelap. Saya ingin "
        "belajar foto yang bagus untuk toko Guyub dan katalog WhatsApp.", 80, accept=True,
        response="Dengan senang hati, Mbak Endang. Ikut pelatihan di Balai Desa Wiradesa dulu, "
                 "lalu kita lanjut lewat video call setiap dua minggu."),
    Ask("studio-foto-produk-rina", "fotografi-produk", "getuk-goreng-mbok-tini",
        "Saya mau belajar memotret getuk dan nopia supaya warnanya tidak kekuningan.", 63,
        accept=True,
        response="Boleh, Bu Tini. Kirim dulu tiga foto yang sekarang lewat WhatsApp, nanti kita "
                 "bahas satu per satu."),
    Ask("batik-tulis-rina", "pemasaran-online", "tenun-troso-ayu",
        "Mbak, saya ingin mulai jualan tenun online tapi bingung mulai dari mana: katalog, "
        "harga, dan deskripsi.", 95, accept=True, decided_days_later=2,
        response="Ayo, Mbak Ayu. Kita mulai dari katalog WhatsApp Business dan lima produk "
                 "dulu."),
    Ask("kopi-sindoro-makmur", "pengelolaan-koperasi", "kopi-lereng-sumbing",
        "Pak Budi, kelompok tani di Tembarak ingin membentuk koperasi sendiri. Mohon bimbingan "
        "soal AD/ART, simpanan anggota, dan persiapan RAT pertama.", 140, accept=True,
        response="Tentu, Mas Agus. Kita ketemu di Kledung setelah rapat pengurus, bawa calon "
                 "pengurusnya sekalian."),
    Ask("keripik-sari", "pendampingan-pirt", "tempe-mendoan-bu-darsih",
        "Bu Sari, saya mau mengurus P-IRT untuk keripik tempe. Mohon dibantu menyiapkan berkas "
        "dan dapurnya.", 76, accept=True,
        response="Siap, Bu Darsih. Minggu ini saya mampir lihat dapurnya."),
    Ask("keripik-sari", "pendampingan-pirt", "emping-melinjo-pandak",
        "Bu Sari, saya di Bantul. Bisa dibantu mengurus P-IRT untuk emping melinjo?", 33,
        accept=False,
        response="Maaf, Mbah Giyem, saya hanya bisa mendampingi di Banyumas karena perlu datang "
                 "ke dapur. Coba tanyakan jadwal penyuluhan ke Dinas Kesehatan Bantul; panduan "
                 "P-IRT di Pengetahuan juga bisa membantu."),
    Ask("kopi-kintamani-catur-paramitha", "sangrai-kopi", "kopi-gunung-puntang",
        "Bli Wayan, kami baru membeli mesin sangrai kapasitas 1 kg dan hasilnya belum rata. "
        "Ingin belajar membuat profil sangrai.", 6),
    Ask("studio-foto-produk-rina", "fotografi-produk", "keripik-singkong-playen",
        "Mbak Rina, saya ingin belajar foto produk untuk lanting dan keripik singkong.", 3),
    Ask("batik-tulis-rina", "pemasaran-online", "gerabah-kasongan-mas-joko",
        "Mbak, saya ingin menjual gerabah ke pembeli luar kota lewat Guyub. Mohon dibantu "
        "menulis deskripsi dan menjelaskan soal ongkir.", 2),
    Ask("batik-tulis-sekar-giri", "membatik", "penjahit-seragam-sewon",
        "Bu Wahyuni, kami ingin menambah produk daster dengan batik tulis sendiri. Bisa belajar "
        "di sanggar?", 8),
]


def _skills() -> dict[str, Skill]:
    for slug, name, name_en in EXTRA_SKILLS:
        Skill.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    return Skill.objects.in_bulk(field_name="slug")


def _offer(spec: Offer, *, cast: Cast, skills: dict) -> tuple[MentoringOffer, bool]:
    mentor = cast.enterprise(spec.mentor)
    offer = MentoringOffer.objects.filter(mentor=mentor, skill=skills[spec.skill]).first()
    if offer is not None:
        return offer, False
    offer = mentoring_offer_save(by=cast.runner(spec.mentor), mentor=mentor,
                                 skill=skills[spec.skill], description=spec.description,
                                 is_active=spec.is_active)
    MentoringOffer.objects.filter(pk=offer.pk).update(created_at=at(-spec.days_ago, 10))
    return offer, True


def _ask(spec: Ask, *, offer: MentoringOffer, cast: Cast) -> bool:
    mentee = cast.enterprise(spec.mentee)
    if MentoringRequest.objects.filter(offer=offer, mentee=mentee).exists():
        return False
    request = mentoring_request_send(offer=offer, mentee=mentee, by=cast.runner(spec.mentee),
                                     message=spec.message)
    sent = at(-spec.days_ago, 20, 15)
    MentoringRequest.objects.filter(pk=request.pk).update(created_at=sent)
    if spec.accept is not None:
        mentoring_request_decide(request=request, by=cast.runner(spec.mentor),
                                 accept=spec.accept, response=spec.response)
        decided = sent + timedelta(days=spec.decided_days_later, hours=-12)
        MentoringRequest.objects.filter(pk=request.pk).update(decided_at=decided)
        # The tie starts when the mentor said yes, not when the demo ran.
        Tie.objects.filter(kind=Tie.Kind.MENTORING,
                           evidence=f"mentoring:{request.pk}").update(started_on=decided.date())
    return True


def seed(*, run: DemoRun, cast: Cast) -> str:
    with transaction.atomic():
        skills = _skills()
    offers, made_offers, made_asks = {}, 0, 0
    for spec in OFFERS:
        with transaction.atomic():
            offer, created = _offer(spec, cast=cast, skills=skills)
        offers[spec.mentor, spec.skill] = offer
        made_offers += created
    for spec in ASKS:
        with transaction.atomic():
            made_asks += _ask(spec, offer=offers[spec.mentor, spec.skill], cast=cast)
    return (f"{len(OFFERS)} mentoring offers ({made_offers} new), {len(ASKS)} requests "
            f"({made_asks} new)")
