from django.db import transaction

from cms.services import image_create, slug_unique
from enterprises.models import Enterprise, EnterpriseMember, EnterpriseSkill

ENTERPRISE_FIELDS = (
    "name", "sector", "description", "regency", "district", "village", "whatsapp",
    "year_founded", "people", "bank_name", "bank_account_number", "bank_account_name",
)


def _apply_logo(*, enterprise: Enterprise, logo_file, user) -> None:
    if logo_file:
        enterprise.logo = image_create(file=logo_file, title=enterprise.name, uploaded_by=user)


@transaction.atomic
def enterprise_create(*, user, logo_file=None, **fields) -> Enterprise:
    """Create an enterprise run by `user` (its owner)."""
    enterprise = Enterprise(**{key: fields[key] for key in ENTERPRISE_FIELDS if key in fields})
    enterprise.province = enterprise.regency.parent
    enterprise.slug = slug_unique(model=Enterprise, text=enterprise.name)
    _apply_logo(enterprise=enterprise, logo_file=logo_file, user=user)
    enterprise.full_clean()
    enterprise.save()
    EnterpriseMember.objects.create(
        enterprise=enterprise, user=user, role=EnterpriseMember.Role.OWNER
    )
    from enterprises.services.referrals import referral_record_enterprise

    referral_record_enterprise(enterprise=enterprise, user=user)  # brought in by an invite
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, user, logo_file=None, **fields) -> Enterprise:
    for key in ENTERPRISE_FIELDS:
        if key in fields:
            setattr(enterprise, key, fields[key])
    enterprise.province = enterprise.regency.parent
    _apply_logo(enterprise=enterprise, logo_file=logo_file, user=user)
    enterprise.full_clean()
    enterprise.save()
    _refresh_product_search(enterprise=enterprise)
    return enterprise


def _refresh_product_search(*, enterprise: Enterprise) -> None:
    """Products carry their seller's name into their search text."""
    from marketplace.services import product_search_document_refresh

    for product in enterprise.products.select_related("category", "enterprise"):
        product_search_document_refresh(product=product)


@transaction.atomic
def skill_offer_save(*, offer: EnterpriseSkill) -> EnterpriseSkill:
    """Create or update an offered skill; one offer per skill per enterprise."""
    offer.full_clean()
    offer.save()
    return offer
