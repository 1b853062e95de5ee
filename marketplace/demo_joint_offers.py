"""Demo joint offers: an orderable green-coffee offer (its product is in the marketplace) and a
collecting coconut-sugar offer. Called from marketplace.demo.seed; idempotent (skips
cooperatives that already have joint offers). Uses the services, so the trading enterprise and
the product are created the way they are in production."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enterprises.models import Cooperative, Membership
from marketplace.models import Category, JointOffer, ProductPhoto
from marketplace.services import joint_offers as services

# slug -> (title, description, category slug, grade, unit, target, price, days to delivery,
#          share of the target pledged)
OFFERS = {
    "koperasi-kopi-sindoro-sumbing": (
        "Kopi hijau arabika Sindoro 500 kg",
        "Biji kopi mentah arabika petik merah dari lereng Sindoro dan Sumbing, proses full "
        "washed, kadar air di bawah 12%, dikemas karung goni 60 kg.",
        "kopi", "Grade 1, screen 16+", "kg", 500, 98_000, 14, 1.0,
    ),
    "koperasi-umkm-banyumas-maju": (
        "Gula kelapa cetak 300 kg untuk reseller Purwokerto",
        "Gula kelapa cetak dari penderes anggota, tanpa campuran, untuk toko oleh-oleh di "
        "Purwokerto yang minta pasokan tetap tiap bulan.",
        "gula-madu", "Kering, warna cokelat muda", "kg", 300, 21_000, 21, 0.6,
    ),
}


def _user_of(enterprise):
    return enterprise.memberships.order_by("pk").first().user


def _pledge_members(*, joint_offer: JointOffer, share: float, rng) -> None:
    """Active members pledge uneven parts of `share` of the target, adding up to it exactly."""
    goal = round(joint_offer.target_quantity * share)
    memberships = list(joint_offer.cooperative.memberships.filter(
        status=Membership.Status.ACTIVE
    ).select_related("enterprise").order_by("joined_at", "pk"))
    weights = [rng.randint(2, 6) for _membership in memberships]
    quantities = [goal * weight // sum(weights) for weight in weights]
    quantities[-1] += goal - sum(quantities)
    for membership, quantity in zip(memberships, quantities, strict=True):
        if quantity > 0:
            services.pledge_save(joint_offer=joint_offer, enterprise=membership.enterprise,
                                 user=_user_of(membership.enterprise), quantity=quantity)


def _borrow_a_photo(*, joint_offer: JointOffer) -> None:
    """Show the listed product with a photo from a member's product of the same category."""
    joint_offer.refresh_from_db()
    if joint_offer.product is None:
        return
    photo = ProductPhoto.objects.filter(
        product__category=joint_offer.category,
        product__enterprise__pledges__joint_offer=joint_offer,
    ).first()
    if photo is not None:
        ProductPhoto.objects.create(product=joint_offer.product, image=photo.image)


def seed(*, run) -> None:
    rng = run.rng("joint-offers")
    today = timezone.localdate()
    for slug, values in OFFERS.items():
        title, description, category, grade, unit, target, price, days, share = values
        cooperative = Cooperative.objects.filter(slug=slug).first()
        if cooperative is None or cooperative.joint_offers.exists():
            continue
        manager = cooperative.memberships.filter(
            role=Membership.Role.MANAGER, status=Membership.Status.ACTIVE
        ).select_related("enterprise").first()
        if manager is None:
            continue
        with transaction.atomic():
            joint_offer = services.joint_offer_create(
                cooperative=cooperative, user=_user_of(manager.enterprise), title=title,
                description=description, category=Category.objects.get(slug=category),
                grade=grade, unit=unit, target_quantity=target, price_per_unit=price,
                delivery_from=today + timedelta(days=days),
                delivery_until=today + timedelta(days=days + 14),
            )
            _pledge_members(joint_offer=joint_offer, share=share, rng=rng)
            _borrow_a_photo(joint_offer=joint_offer)
    run.note(f"Joint offers: {JointOffer.objects.count()}.")
