"""Enterprise pages and the enterprise side of the dashboard: profile, lists, forms, denials,
and query counts that do not grow with the data."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model

from enterprises.models import Enterprise, EnterpriseMember, EnterpriseSkill
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    EnterpriseSkillFactory,
    ImageFactory,
    ProductFactory,
    ProductPhotoFactory,
    ProvinceFactory,
    RegencyFactory,
    SkillFactory,
    UserFactory,
    image_bytes,
    seller,
)
from tests.helpers import count_queries, enterprise_form_data, image_upload

pytestmark = pytest.mark.django_db


def _wa_links(content: str) -> list[str]:
    start = 'href="https://wa.me/'
    links = []
    for chunk in content.split(start)[1:]:
        links.append("https://wa.me/" + chunk.split('"', 1)[0].replace("&amp;", "&"))
    return links


# Creating and editing an enterprise


def test_signing_up_an_enterprise_makes_the_user_its_owner(client):
    user = UserFactory()
    client.force_login(user)
    regency = RegencyFactory(name="Kabupaten Temanggung")
    assert client.get("/dashboard/enterprises/new/").status_code == 200

    response = client.post("/dashboard/enterprises/new/", enterprise_form_data(
        regency, logo_upload=image_upload("logo.png", "PNG"),
    ))

    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/enterprises/{enterprise.slug}/products/new/"
    assert enterprise.slug == "keripik-sari"
    assert enterprise.whatsapp == "6281234567890"
    assert enterprise.province.slug == "jawa-tengah"
    assert enterprise.logo is not None
    assert EnterpriseMember.objects.get(enterprise=enterprise).user == user


def test_a_second_keripik_sari_gets_its_own_address(client):
    regency = RegencyFactory()
    for _ in range(2):
        client.force_login(UserFactory())
        assert client.post("/dashboard/enterprises/new/",
                           enterprise_form_data(regency)).status_code == 302

    slugs = sorted(Enterprise.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 2
    assert slugs[0] == "keripik-sari"
    for slug in slugs:
        assert client.get(f"/enterprises/{slug}/").status_code == 200


def test_an_invalid_whatsapp_number_is_explained_on_the_form(client):
    client.force_login(UserFactory())

    response = client.post("/dashboard/enterprises/new/",
                           enterprise_form_data(RegencyFactory(), whatsapp="12345"))

    assert response.status_code == 200
    errors = response.context["form"].errors["whatsapp"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    "logo",
    [
        SimpleUploadedFile("logo.jpg", b"not a picture", content_type="image/jpeg"),
        SimpleUploadedFile("logo.jpg", image_bytes(fmt="PNG"), content_type="image/jpeg"),
        SimpleUploadedFile("logo.jpg", image_bytes(400, 300)[:600], content_type="image/jpeg"),
    ],
    ids=["text", "png-named-jpg", "truncated"],
)
def test_a_bad_logo_is_a_form_message_and_creates_nothing(client, logo):
    client.force_login(UserFactory())
    logo.seek(0)

    response = client.post("/dashboard/enterprises/new/",
                           enterprise_form_data(RegencyFactory(), logo_upload=logo))

    assert response.status_code == 200
    assert response.context["form"].errors["logo_upload"]
    assert not Enterprise.objects.exists()
    assert not get_image_model().objects.exists()


def test_an_owner_edits_the_enterprise(client):
    user, enterprise = seller()
    client.force_login(user)
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))
    url = f"/dashboard/enterprises/{enterprise.slug}/edit/"
    assert client.get(url).status_code == 200

    response = client.post(url, enterprise_form_data(sleman, name="Keripik Sari Jaya",
                                                 whatsapp="0857-1234-5678"))

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "Keripik Sari Jaya"
    assert enterprise.province.slug == "di-yogyakarta"
    assert enterprise.whatsapp == "6285712345678"


def test_a_user_with_two_enterprises_manages_both_from_one_dashboard(client):
    user, chips = seller(name="Keripik Sari")
    batik = EnterpriseMemberFactory(user=user, enterprise=EnterpriseFactory(name="Batik Rina"))
    ProductFactory(enterprise=chips, title="Keripik Singkong")
    ProductFactory(enterprise=batik.enterprise, title="Kain Batik Tulis")
    client.force_login(user)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert set(response.context["enterprises"]) == {chips, batik.enterprise}
    content = response.content.decode()
    assert "Keripik Singkong" in content and "Kain Batik Tulis" in content
    for enterprise in (chips, batik.enterprise):
        assert client.get(f"/dashboard/enterprises/{enterprise.slug}/edit/").status_code == 200


def test_two_people_run_one_enterprise(client):
    owner, enterprise = seller()
    staff = EnterpriseMemberFactory(enterprise=enterprise, role="staff").user

    for user in (owner, staff):
        client.force_login(user)
        response = client.post(f"/dashboard/enterprises/{enterprise.slug}/edit/",
                               enterprise_form_data(enterprise.regency, people="5"))
        assert response.status_code == 302
        assert list(client.get("/dashboard/").context["enterprises"]) == [enterprise]


def test_a_new_user_sees_how_to_start(client):
    client.force_login(UserFactory())

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert response.context["enterprises"] == []
    assert 'href="/dashboard/enterprises/new/"' in response.content.decode()


# Denials


def test_anonymous_visitors_are_sent_to_log_in(client):
    enterprise = EnterpriseSkillFactory().enterprise
    offer = enterprise.skills.get()
    for url in (
        "/dashboard/",
        "/dashboard/enterprises/new/",
        f"/dashboard/enterprises/{enterprise.slug}/edit/",
        f"/dashboard/enterprises/{enterprise.slug}/skills/new/",
        f"/dashboard/enterprises/{enterprise.slug}/skills/{offer.pk}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_posts_change_nothing(client):
    enterprise = EnterpriseFactory(name="Keripik Sari")

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/edit/",
                           enterprise_form_data(enterprise.regency, name="Diambil Alih"))

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "Keripik Sari"


def test_a_stranger_cannot_edit_an_enterprise(client, stranger):
    enterprise = EnterpriseFactory(name="Keripik Sari")
    url = f"/dashboard/enterprises/{enterprise.slug}/edit/"

    assert client.get(url).status_code == 403
    response = client.post(url, enterprise_form_data(enterprise.regency, name="Diambil Alih"))

    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.name == "Keripik Sari"
    assert not enterprise.memberships.filter(user=stranger).exists()


def test_a_stranger_cannot_add_or_edit_skill_offers(client, stranger):
    offer = EnterpriseSkillFactory(rate=25000)
    slug = offer.enterprise.slug
    other_skill = SkillFactory(name="Membatik")

    assert client.get(f"/dashboard/enterprises/{slug}/skills/new/").status_code == 403
    assert client.post(f"/dashboard/enterprises/{slug}/skills/new/", {
        "skill": other_skill.pk, "rate": "1", "rate_unit": "job", "is_active": "on",
    }).status_code == 403
    edit = f"/dashboard/enterprises/{slug}/skills/{offer.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"skill": offer.skill.pk, "rate": "1", "rate_unit": "job"}
                       ).status_code == 403

    offer.refresh_from_db()
    assert offer.rate == 25000
    assert EnterpriseSkill.objects.count() == 1


def test_an_offer_cannot_be_edited_through_another_enterprise(client):
    user, mine = seller()
    theirs = EnterpriseSkillFactory(rate=25000)
    client.force_login(user)

    url = f"/dashboard/enterprises/{mine.slug}/skills/{theirs.pk}/edit/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"skill": theirs.skill.pk, "rate": "1", "rate_unit": "job"}
                       ).status_code == 404
    theirs.refresh_from_db()
    assert theirs.rate == 25000


def test_the_403_page_explains_who_may_change_things(client, stranger):
    enterprise = EnterpriseFactory()

    response = client.get(f"/dashboard/enterprises/{enterprise.slug}/edit/")

    assert response.status_code == 403
    assert b'href="/dashboard/"' in response.content


# Skill offers


def test_an_owner_offers_and_edits_a_skill(client):
    user, enterprise = seller()
    skill = SkillFactory()
    client.force_login(user)

    created = client.post(f"/dashboard/enterprises/{enterprise.slug}/skills/new/", {
        "skill": skill.pk, "description": "Jahit tas kain.", "rate": "30000",
        "rate_unit": "day", "is_active": "on",
    })
    offer = EnterpriseSkill.objects.get()
    edited = client.post(f"/dashboard/enterprises/{enterprise.slug}/skills/{offer.pk}/edit/", {
        "skill": skill.pk, "rate": "35000", "rate_unit": "day", "is_active": "on",
    })

    assert created.status_code == 302 and edited.status_code == 302
    offer.refresh_from_db()
    assert offer.enterprise == enterprise
    assert offer.rate == 35000


def test_the_same_skill_cannot_be_offered_twice(client):
    user, enterprise = seller()
    offer = EnterpriseSkillFactory(enterprise=enterprise)
    client.force_login(user)

    response = client.post(f"/dashboard/enterprises/{enterprise.slug}/skills/new/", {
        "skill": offer.skill.pk, "rate_unit": "job", "is_active": "on",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["skill"]
    assert EnterpriseSkill.objects.count() == 1


# Public pages


def test_the_profile_shows_products_skills_and_a_prefilled_whatsapp_link(client):
    enterprise = EnterpriseFactory(name="Keripik Sari", whatsapp="6281234567890")
    ProductPhotoFactory(product=ProductFactory(enterprise=enterprise, title="Keripik Singkong",
                                               price=15000))
    ProductFactory(enterprise=enterprise, title="Produk Tersembunyi", is_active=False)
    EnterpriseSkillFactory(enterprise=enterprise, skill=SkillFactory(name="Menjahit"),
                           rate=25000)
    EnterpriseSkillFactory(enterprise=enterprise, skill=SkillFactory(name="Membatik"),
                           is_active=False)

    response = client.get(f"/enterprises/{enterprise.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Keripik Singkong" in content
    assert "Rp 15.000" in content
    assert "Produk Tersembunyi" not in content
    assert "Menjahit" in content
    assert "Rp 25.000" in content
    assert "Membatik" not in content
    links = _wa_links(content)
    assert links
    parts = urlsplit(links[0])
    assert parts.path == "/6281234567890"
    message = parse_qs(parts.query)["text"][0]
    assert "Keripik Sari" in message
    assert not response.context["can_manage"]


def test_the_profile_offers_editing_to_those_who_run_it(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.get(f"/enterprises/{enterprise.slug}/")

    assert response.context["can_manage"]
    assert f'href="/dashboard/enterprises/{enterprise.slug}/edit/"' in response.content.decode()


def test_the_profile_has_no_whatsapp_link_without_a_number(client):
    enterprise = EnterpriseFactory(whatsapp="")

    response = client.get(f"/enterprises/{enterprise.slug}/")

    assert _wa_links(response.content.decode()) == []


def test_an_inactive_or_unknown_enterprise_is_404(client):
    enterprise = EnterpriseFactory(is_active=False)

    assert client.get(f"/enterprises/{enterprise.slug}/").status_code == 404
    assert client.get("/enterprises/no-such-enterprise/").status_code == 404


def test_the_enterprise_list_filters(client):
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))
    sari = EnterpriseFactory(name="Keripik Sari", sector="food")
    rina = EnterpriseFactory(name="Batik Rina", sector="batik", regency=sleman)
    EnterpriseSkillFactory(enterprise=rina, skill=SkillFactory(name="Menjahit"))
    EnterpriseFactory(name="Tutup", is_active=False)

    def names(params):
        response = client.get("/enterprises/", params)
        assert response.status_code == 200
        return [enterprise.name for enterprise in response.context["page"].object_list]

    assert names({}) == ["Batik Rina", "Keripik Sari"]
    assert names({"sector": "food"}) == [sari.name]
    assert names({"province": "di-yogyakarta"}) == [rina.name]
    assert names({"regency": "kabupaten-banyumas"}) == [sari.name]
    assert names({"skill": "menjahit"}) == [rina.name]
    assert names({"q": "keripik"}) == [sari.name]
    assert names({"province": "atlantis"}) == ["Batik Rina", "Keripik Sari"]


def test_skills_in_the_viewers_regency_come_first(client):
    banyumas = RegencyFactory(name="Kabupaten Banyumas")
    cilacap = RegencyFactory(name="Kabupaten Cilacap")
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))
    far = EnterpriseSkillFactory(skill=SkillFactory(name="Akuntansi"),
                                 enterprise=EnterpriseFactory(regency=sleman))
    province = EnterpriseSkillFactory(skill=SkillFactory(name="Bordir"),
                                      enterprise=EnterpriseFactory(regency=cilacap))
    near = EnterpriseSkillFactory(skill=SkillFactory(name="Menjahit"),
                                  enterprise=EnterpriseFactory(regency=banyumas))

    def offers():
        response = client.get("/skills/")
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert offers() == [far, province, near]  # anonymous: by skill name

    viewer, _home = seller(regency=banyumas)
    client.force_login(viewer)
    assert offers() == [near, province, far]


def test_the_skill_list_filters(client):
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))
    sewing = EnterpriseSkillFactory(skill=SkillFactory(name="Menjahit", name_en="Sewing"))
    design = EnterpriseSkillFactory(
        skill=SkillFactory(name="Desain Kemasan", name_en="Packaging design"),
        enterprise=EnterpriseFactory(regency=sleman),
    )
    EnterpriseSkillFactory(skill=SkillFactory(name="Bordir"), is_active=False)

    def offers(params):
        response = client.get("/skills/", params)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert offers({}) == [design, sewing]
    assert offers({"skill": "menjahit"}) == [sewing]
    assert offers({"q": "sewing"}) == [sewing]
    assert offers({"province": "di-yogyakarta"}) == [design]
    assert offers({"regency": "kabupaten-sleman"}) == [design]
    assert offers({"skill": "juggling"}) == [design, sewing]


def test_skill_cards_link_to_whatsapp_with_a_message(client):
    EnterpriseSkillFactory(skill=SkillFactory(name="Menjahit"),
                           enterprise=EnterpriseFactory(name="Jahit Bu Tini"))

    links = _wa_links(client.get("/skills/").content.decode())

    assert len(links) == 1
    message = parse_qs(urlsplit(links[0]).query)["text"][0]
    assert "Menjahit" in message and "Jahit Bu Tini" in message


# Queries do not grow with the data


def _enterprises_with_products(count):
    """Enterprises with a logo, two skills and a product with a photo each."""
    sewing, design = SkillFactory(name="Menjahit"), SkillFactory(name="Desain Kemasan")
    for _ in range(count):
        enterprise = EnterpriseFactory(logo=ImageFactory())
        EnterpriseSkillFactory(enterprise=enterprise, skill=sewing)
        EnterpriseSkillFactory(enterprise=enterprise, skill=design)
        ProductPhotoFactory(product=ProductFactory(enterprise=enterprise))


@pytest.mark.parametrize("url", ["/", "/enterprises/", "/skills/", "/en/enterprises/"])
def test_list_pages_cost_the_same_queries_for_3_or_30(client, url):
    _enterprises_with_products(3)
    few = count_queries(client, url)

    _enterprises_with_products(27)
    many = count_queries(client, url)

    assert few == many


def test_the_skill_list_costs_the_same_queries_for_a_seller(client):
    user, _home = seller()
    client.force_login(user)
    _enterprises_with_products(3)
    few = count_queries(client, "/skills/")

    _enterprises_with_products(27)
    many = count_queries(client, "/skills/")

    assert few == many


def test_the_profile_costs_the_same_queries_with_3_or_30_products(client):
    enterprise = EnterpriseFactory(logo=ImageFactory())
    EnterpriseSkillFactory(enterprise=enterprise)
    url = f"/enterprises/{enterprise.slug}/"

    for _ in range(3):
        ProductPhotoFactory(product=ProductFactory(enterprise=enterprise))
    few = count_queries(client, url)

    for _ in range(27):
        ProductPhotoFactory(product=ProductFactory(enterprise=enterprise))
    many = count_queries(client, url)

    assert few == many
