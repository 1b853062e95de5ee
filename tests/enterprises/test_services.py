"""Enterprise writes (services), the enterprise form's cleaning, and who may manage what."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises import selectors, services
from enterprises.forms import EnterpriseForm, SkillOfferForm
from enterprises.models import Enterprise, EnterpriseMember, EnterpriseSkill, Sector
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    EnterpriseSkillFactory,
    ProductFactory,
    ProvinceFactory,
    RegencyFactory,
    SkillFactory,
    UserFactory,
)
from tests.helpers import enterprise_fields, enterprise_form_data, image_upload

pytestmark = pytest.mark.django_db


def test_enterprise_create_makes_the_user_its_owner_and_derives_the_province():
    user = UserFactory()
    regency = RegencyFactory(name="Kabupaten Temanggung")

    enterprise = services.enterprise_create(user=user, **enterprise_fields(regency))

    assert enterprise.pk is not None
    assert enterprise.province == regency.parent
    assert enterprise.province.slug == "jawa-tengah"
    membership = EnterpriseMember.objects.get(enterprise=enterprise)
    assert membership.user == user
    assert membership.role == EnterpriseMember.Role.OWNER
    assert selectors.user_can_manage_enterprise(user=user, enterprise=enterprise)


def test_enterprise_create_ignores_a_province_passed_by_the_caller():
    """The province always follows the regency, so the two can never disagree."""
    regency = RegencyFactory()
    elsewhere = ProvinceFactory(name="Jawa Timur")

    enterprise = services.enterprise_create(
        user=UserFactory(), province=elsewhere, **enterprise_fields(regency)
    )

    assert enterprise.province == regency.parent


def test_two_enterprises_with_the_same_name_get_different_slugs():
    regency = RegencyFactory()

    first = services.enterprise_create(user=UserFactory(), **enterprise_fields(regency))
    second = services.enterprise_create(user=UserFactory(), **enterprise_fields(regency))

    assert first.slug == "keripik-sari"
    assert second.slug != first.slug
    assert second.slug.startswith("keripik-sari-")
    assert Enterprise.objects.filter(name="Keripik Sari").count() == 2


def test_enterprise_create_rejects_an_invalid_whatsapp_number_and_writes_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.enterprise_create(
            user=user, **enterprise_fields(RegencyFactory(), whatsapp="0812")
        )

    assert "whatsapp" in error.value.message_dict
    assert not Enterprise.objects.exists()
    assert not EnterpriseMember.objects.exists()


def test_enterprise_create_stores_a_logo():
    logo = image_upload("logo.png", "PNG", size=(40, 30))

    enterprise = services.enterprise_create(
        user=UserFactory(), logo_file=logo, **enterprise_fields(RegencyFactory())
    )

    assert enterprise.logo is not None
    assert enterprise.logo.title == "Keripik Sari"
    assert enterprise.logo.width == 40


def test_enterprise_update_moves_the_province_with_the_regency_and_keeps_the_slug():
    enterprise = services.enterprise_create(
        user=UserFactory(), **enterprise_fields(RegencyFactory())
    )
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))

    services.enterprise_update(
        enterprise=enterprise, user=None, regency=sleman, name="Keripik Sari Jaya"
    )

    enterprise.refresh_from_db()
    assert enterprise.regency == sleman
    assert enterprise.province.slug == "di-yogyakarta"
    assert enterprise.name == "Keripik Sari Jaya"
    assert enterprise.slug == "keripik-sari"


def test_enterprise_update_refreshes_its_products_search_text():
    enterprise = EnterpriseFactory(name="Usaha Lama")
    product = ProductFactory(enterprise=enterprise)
    assert "usaha lama" in product.search_document

    services.enterprise_update(enterprise=enterprise, user=None, name="Keripik Sari")

    product.refresh_from_db()
    assert "keripik sari" in product.search_document
    assert "usaha lama" not in product.search_document


def test_enterprise_update_rejects_invalid_values():
    enterprise = EnterpriseFactory()

    with pytest.raises(ValidationError):
        services.enterprise_update(enterprise=enterprise, user=None, year_founded=1800)

    enterprise.refresh_from_db()
    assert enterprise.year_founded is None


def test_one_user_runs_two_enterprises():
    user = UserFactory()
    regency = RegencyFactory()

    chips = services.enterprise_create(user=user, **enterprise_fields(regency))
    batik = services.enterprise_create(
        user=user, **enterprise_fields(regency, name="Batik Rina", sector=Sector.BATIK)
    )

    assert set(selectors.enterprise_list_for_user(user=user)) == {chips, batik}
    assert selectors.user_can_manage_enterprise(user=user, enterprise=chips)
    assert selectors.user_can_manage_enterprise(user=user, enterprise=batik)


def test_two_users_run_one_enterprise_and_a_stranger_runs_none():
    owner, neighbour, stranger = UserFactory(), UserFactory(), UserFactory()
    enterprise = services.enterprise_create(user=owner, **enterprise_fields(RegencyFactory()))
    EnterpriseMemberFactory(enterprise=enterprise, user=neighbour,
                            role=EnterpriseMember.Role.STAFF)

    assert set(enterprise.members.all()) == {owner, neighbour}
    assert selectors.user_can_manage_enterprise(user=neighbour, enterprise=enterprise)
    assert list(selectors.enterprise_list_for_user(user=neighbour)) == [enterprise]
    assert not selectors.user_can_manage_enterprise(user=stranger, enterprise=enterprise)
    assert list(selectors.enterprise_list_for_user(user=stranger)) == []


def test_anonymous_visitors_manage_nothing():
    from django.contrib.auth.models import AnonymousUser

    enterprise = EnterpriseMemberFactory().enterprise
    anonymous = AnonymousUser()

    assert not selectors.user_can_manage_enterprise(user=anonymous, enterprise=enterprise)
    assert list(selectors.enterprise_list_for_user(user=anonymous)) == []


def test_a_membership_is_unique_per_user_and_enterprise():
    from django.db import IntegrityError

    membership = EnterpriseMemberFactory()

    with pytest.raises(IntegrityError):
        EnterpriseMember.objects.create(enterprise=membership.enterprise, user=membership.user)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("081234567890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("62 812-3456-7890", "6281234567890"),
        ("", ""),
    ],
)
def test_enterprise_form_normalises_whatsapp_numbers(typed, stored):
    form = EnterpriseForm(data=enterprise_form_data(RegencyFactory(), whatsapp=typed))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["whatsapp"] == stored


@pytest.mark.parametrize("typed", ["12345", "0812", "+1 415 555 0100", "wa saya"])
def test_enterprise_form_explains_an_invalid_whatsapp_number(typed):
    form = EnterpriseForm(data=enterprise_form_data(RegencyFactory(), whatsapp=typed))

    assert not form.is_valid()
    assert "62" in " ".join(form.errors["whatsapp"])


def test_enterprise_form_offers_regencies_only():
    regency = RegencyFactory()

    data = enterprise_form_data(regency)
    data["regency"] = regency.parent.pk
    form = EnterpriseForm(data=data)

    assert not form.is_valid()
    assert "regency" in form.errors


def test_enterprise_form_rejects_a_logo_that_is_not_an_image():
    logo = SimpleUploadedFile("logo.jpg", b"not an image at all", content_type="image/jpeg")

    form = EnterpriseForm(data=enterprise_form_data(RegencyFactory()), files={"logo_upload": logo})

    assert not form.is_valid()
    assert form.errors["logo_upload"]


def test_skill_offer_save_creates_and_updates_an_offer():
    enterprise = EnterpriseFactory()
    skill = SkillFactory()

    offer = services.skill_offer_save(
        offer=EnterpriseSkill(enterprise=enterprise, skill=skill, rate=30000)
    )
    offer.rate = 35000
    services.skill_offer_save(offer=offer)

    offer.refresh_from_db()
    assert offer.rate == 35000
    assert enterprise.skills.count() == 1


def test_skill_offer_save_refuses_a_second_offer_of_the_same_skill():
    existing = EnterpriseSkillFactory()

    with pytest.raises(ValidationError):
        services.skill_offer_save(
            offer=EnterpriseSkill(enterprise=existing.enterprise, skill=existing.skill)
        )

    assert EnterpriseSkill.objects.count() == 1


def test_skill_offer_form_refuses_a_skill_already_offered():
    existing = EnterpriseSkillFactory()

    form = SkillOfferForm(
        data={"skill": existing.skill.pk, "rate_unit": "job", "is_active": "on"},
        enterprise=existing.enterprise,
    )

    assert not form.is_valid()
    assert "skill" in form.errors


def test_skill_offer_form_lets_an_offer_keep_its_own_skill():
    existing = EnterpriseSkillFactory()

    form = SkillOfferForm(
        data={"skill": existing.skill.pk, "rate": 40000, "rate_unit": "day", "is_active": "on"},
        instance=existing, enterprise=existing.enterprise,
    )

    assert form.is_valid(), form.errors


def test_skill_offer_list_hides_inactive_offers_and_enterprises():
    shown = EnterpriseSkillFactory()
    EnterpriseSkillFactory(is_active=False, skill=SkillFactory(name="Membatik"))
    EnterpriseSkillFactory(
        enterprise=EnterpriseFactory(is_active=False), skill=SkillFactory(name="Menganyam")
    )

    assert list(selectors.skill_offer_list()) == [shown]


def test_enterprise_cards_count_only_active_products():
    enterprise = EnterpriseFactory()
    ProductFactory.create_batch(2, enterprise=enterprise)
    ProductFactory(enterprise=enterprise, is_active=False)
    EnterpriseFactory(is_active=False)

    cards = list(selectors.enterprise_list_cards())

    assert cards == [enterprise]
    assert cards[0].product_count == 2
