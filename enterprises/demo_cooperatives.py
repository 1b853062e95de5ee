"""Demo cooperatives: members with a history, shared equipment with bookings, and proposals open
and decided. Called from enterprises.demo.seed; idempotent (skips cooperatives that exist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from enterprises.models import (
    Booking,
    Cooperative,
    Enterprise,
    Membership,
    Proposal,
    ProposalOption,
    Region,
    SharedResource,
    Vote,
)
from enterprises.services import decisions

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class DemoCooperative:
    slug: str
    name: str
    regency: str
    year_founded: int
    description: str
    statutes: str
    manager: str
    members: tuple[str, ...]
    resources: tuple[tuple[str, str, int, int, str], ...]  # name, kind, per use, per hour, rules


COOPERATIVES = [
    DemoCooperative(
        slug="koperasi-kopi-sindoro-sumbing",
        name="Koperasi Kopi Sindoro Sumbing",
        regency="kabupaten-temanggung",
        year_founded=2014,
        description="Koperasi petani kopi di lereng Sindoro dan Sumbing. Kami berbagi mesin "
                    "huller dan mobil bak, membeli pupuk bersama, dan mengumpulkan kopi hijau "
                    "anggota untuk roaster di Semarang.",
        statutes="1. Satu usaha anggota, satu suara.\n2. Iuran wajib Rp 10.000 per bulan.\n"
                 "3. SHU dibagi menurut transaksi anggota, diputuskan di RAT.",
        manager="kopi-sindoro-makmur",
        members=("kopi-lereng-sumbing", "pupuk-organik-tani-makmur", "jahe-merah-ngadirejo",
                 "anyaman-bambu-kandangan"),
        resources=(
            ("Mesin huller kopi", "equipment", 0, 25_000,
             "Bersihkan corong setelah dipakai. Maksimal 4 jam per pemesanan."),
            ("Mobil bak Kijang", "vehicle", 50_000, 15_000,
             "Bensin diisi kembali oleh pemakai. SIM A wajib."),
            ("Gudang penyimpanan", "space", 10_000, 0, "Beri label nama pada karung."),
        ),
    ),
    DemoCooperative(
        slug="koperasi-umkm-banyumas-maju",
        name="Koperasi UMKM Banyumas Maju",
        regency="kabupaten-banyumas",
        year_founded=2019,
        description="Usaha makanan rumahan Banyumas: keripik, mendoan, getuk, gula kelapa. "
                    "Beli kemasan bersama supaya lebih murah dan belajar urus P-IRT bersama.",
        statutes="1. Anggota adalah UMKM di Kabupaten Banyumas.\n2. Keputusan lewat suara "
                 "terbanyak dengan kuorum separuh anggota.",
        manager="keripik-sari",
        members=("tempe-mendoan-bu-darsih", "getuk-goreng-mbok-tini", "gula-kelapa-pageraji",
                 "abon-lele-mina-sejahtera", "madu-hutan-lereng-slamet"),
        resources=(
            ("Mesin vacuum frying", "equipment", 20_000, 30_000,
             "Minyak disediakan sendiri. Pesan paling lambat sehari sebelumnya."),
            ("Sealer kemasan continuous", "equipment", 5_000, 0, "Matikan setelah dipakai."),
        ),
    ),
    DemoCooperative(
        slug="koperasi-batik-pesisir-pekalongan",
        name="Koperasi Batik Pesisir Pekalongan",
        regency="kabupaten-pekalongan",
        year_founded=2011,
        description="Pembatik dan konveksi Pekalongan yang menjual bersama ke reseller kota.",
        statutes="1. Satu anggota satu suara.\n2. Biaya koperasi 5% dari penjualan bersama.",
        manager="batik-tulis-rina",
        members=("batik-cap-wonopringgo", "konveksi-batik-kedungwuni", "olahan-ikan-wonokerto"),
        resources=(("Ruang pelatihan dan foto produk", "space", 0, 10_000,
                    "Kembalikan kursi dan lampu seperti semula."),),
    ),
]


def _at(days: int, hour: int) -> datetime:
    """A Jakarta wall-clock hour `days` from today."""
    today = timezone.localdate(timezone=JAKARTA)
    return datetime(today.year, today.month, today.day, hour, tzinfo=JAKARTA) + timedelta(
        days=days
    )


def _memberships(*, cooperative: Cooperative, spec: DemoCooperative, enterprises: dict,
                 rng) -> None:
    Membership.objects.create(
        cooperative=cooperative, enterprise=enterprises[spec.manager],
        role=Membership.Role.MANAGER, status=Membership.Status.ACTIVE,
        joined_at=_at(-rng.randint(400, 900), 9),
    )
    for slug in spec.members:
        Membership.objects.create(
            cooperative=cooperative, enterprise=enterprises[slug], status=Membership.Status.ACTIVE,
            joined_at=_at(-rng.randint(60, 700), 9),
        )


def _resources_and_bookings(*, cooperative: Cooperative, spec: DemoCooperative) -> None:
    members = [m.enterprise for m in cooperative.memberships.select_related("enterprise")]
    for index, (name, kind, per_use, per_hour, rules) in enumerate(spec.resources):
        resource = SharedResource.objects.create(
            cooperative=cooperative, name=name, kind=kind, cost_per_use=per_use,
            cost_per_hour=per_hour, usage_rules=rules,
        )
        # A past week and the coming days, each member in turn, never overlapping.
        for day, start, hours in ((-6, 7, 3), (-3, 13, 2), (1, 8, 3), (2, 9, 2), (4, 14, 3)):
            enterprise = members[(day + index) % len(members)]
            starts_at = _at(day, start)
            Booking.objects.create(
                resource=resource, enterprise=enterprise, starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                cost=per_use + per_hour * hours,
            )


def _proposals(*, cooperative: Cooperative, spec: DemoCooperative, rng) -> None:
    members = list(cooperative.memberships.select_related("enterprise"))
    decided = Proposal.objects.create(
        cooperative=cooperative, raised_by=members[0].enterprise,
        title="Iuran perawatan alat naik menjadi Rp 15.000 per bulan",
        body="Biaya servis dan suku cadang naik. Usul iuran perawatan naik Rp 5.000.",
        opens_at=_at(-20, 8), closes_at=_at(-13, 20), quorum_percent=50,
        pass_threshold_percent=50,
    )
    options = [ProposalOption.objects.create(proposal=decided, label=label, position=position,
                                             is_abstain=label == "Abstain")
               for position, label in enumerate(["Ya", "Tidak", "Abstain"])]
    for membership in members:
        Vote.objects.create(proposal=decided, enterprise=membership.enterprise,
                            option=rng.choices(options, weights=[6, 2, 1])[0])
    decisions.proposal_close(proposal=decided)

    decisions.proposal_create(
        cooperative=cooperative, enterprise=members[0].enterprise,
        user=members[0].enterprise.memberships.first().user,
        title="Beli mesin pengering kedua" if "kopi" in spec.slug else "Ikut pameran UMKM Jakarta",
        body="Usul dibeli dari kas koperasi dan sisa SHU tahun lalu. Silakan beri suara.",
        options=None, opens_at=timezone.now() - timedelta(hours=1),
        closes_at=_at(6, 20), quorum_percent=50, pass_threshold_percent=50,
    )


def seed(*, run) -> None:
    rng = run.rng("cooperatives")
    enterprises = Enterprise.objects.in_bulk(
        {slug for spec in COOPERATIVES for slug in (spec.manager, *spec.members)},
        field_name="slug",
    )
    regions = Region.objects.in_bulk({spec.regency for spec in COOPERATIVES}, field_name="slug")
    existing = set(Cooperative.objects.values_list("slug", flat=True))
    for spec in COOPERATIVES:
        if spec.slug in existing:
            continue
        with transaction.atomic():
            regency = regions[spec.regency]
            cooperative = Cooperative.objects.create(
                slug=spec.slug, name=spec.name, regency=regency, province=regency.parent,
                year_founded=spec.year_founded, description=spec.description,
                statutes=spec.statutes,
            )
            _memberships(cooperative=cooperative, spec=spec, enterprises=enterprises, rng=rng)
            _resources_and_bookings(cooperative=cooperative, spec=spec)
            _proposals(cooperative=cooperative, spec=spec, rng=rng)
    run.note(f"Cooperatives: {Cooperative.objects.count()}.")
