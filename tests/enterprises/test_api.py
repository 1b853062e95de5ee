"""/api/v1/enterprises/: fields, filters, detail by slug, read-only, constant queries."""

import pytest

from enterprises.models import Enterprise, Sector
from tests.factories import (
    EnterpriseFactory,
    EnterpriseSkillFactory,
    ImageFactory,
    ProductFactory,
    ProvinceFactory,
    RegencyFactory,
    SkillFactory,
    seller,
)
from tests.helpers import api_slugs, assert_api_error, count_queries

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


@pytest.fixture
def directory():
    sleman = RegencyFactory(name="Kabupaten Sleman", parent=ProvinceFactory(name="DI Yogyakarta"))
    sewing = SkillFactory(name="Menjahit", name_en="Sewing")
    design = SkillFactory(name="Desain Kemasan", name_en="Packaging design")
    sari = EnterpriseFactory(name="Keripik Sari", slug="keripik-sari", sector=Sector.FOOD,
                             description="Keripik singkong rumahan.")
    makmur = EnterpriseFactory(name="Koperasi Kopi Makmur", slug="kopi-makmur",
                               sector=Sector.COFFEE,
                               regency=RegencyFactory(name="Kabupaten Temanggung"))
    rina = EnterpriseFactory(name="Batik Rina", slug="batik-rina", sector=Sector.BATIK,
                             regency=sleman, village="Desa Wukirsari")
    EnterpriseSkillFactory(enterprise=rina, skill=sewing)
    EnterpriseSkillFactory(enterprise=rina, skill=design)
    EnterpriseSkillFactory(enterprise=sari, skill=design, is_active=False)
    EnterpriseFactory(name="Tutup", slug="tutup", is_active=False)
    return {"sari": sari, "makmur": makmur, "rina": rina}


def test_enterprise_fields(client, directory):
    ProductFactory.create_batch(2, enterprise=directory["rina"])
    ProductFactory(enterprise=directory["rina"], is_active=False)

    response = client.get(f"{LIST}batik-rina/")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "batik-rina"
    assert body["name"] == "Batik Rina"
    assert body["sector"] == "batik"
    assert body["province"] == "di-yogyakarta"
    assert body["regency"] == "kabupaten-sleman"
    assert body["village"] == "Desa Wukirsari"
    assert body["whatsapp"] == "6281234567890"
    assert body["product_count"] == 2
    assert body["url"] == "/enterprises/batik-rina/"
    assert {offer["skill"] for offer in body["skills"]} == {"menjahit", "desain-kemasan"}
    assert {"name", "description", "rate", "rate_unit"} <= set(body["skills"][0])


def test_the_list_hides_inactive_enterprises_and_is_paginated(client, directory):
    body = client.get(LIST).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert [item["slug"] for item in body["results"]] == ["batik-rina", "keripik-sari",
                                                          "kopi-makmur"]


def test_inactive_offers_are_not_listed(client, directory):
    body = client.get(f"{LIST}keripik-sari/").json()

    assert body["skills"] == []


def test_an_inactive_or_unknown_enterprise_is_a_json_404(client, directory):
    for slug in ("tutup", "no-such-enterprise"):
        assert_api_error(client.get(f"{LIST}{slug}/"), 404)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "coffee"}, {"makmur"}),
        ({"sector": "batik"}, {"rina"}),
        ({"province": "jawa-tengah"}, {"sari", "makmur"}),
        ({"province": "di-yogyakarta"}, {"rina"}),
        ({"regency": "kabupaten-temanggung"}, {"makmur"}),
        ({"skill": "menjahit"}, {"rina"}),
        ({"skill": "desain-kemasan"}, {"rina"}),
        ({"search": "kopi"}, {"makmur"}),
        ({"search": "singkong"}, {"sari"}),
        ({"search": "wukirsari"}, {"rina"}),
        ({"q": "batik rina"}, {"rina"}),
        ({"search": "batik kopi"}, set()),
        ({"sector": "food", "province": "jawa-tengah"}, {"sari"}),
    ],
)
def test_list_filters(client, directory, params, expected):
    assert set(api_slugs(client.get(LIST, params))) == {directory[key].slug for key in expected}


def test_a_skill_offered_once_lists_its_enterprise_once(client, directory):
    assert api_slugs(client.get(LIST, {"skill": "menjahit"})) == ["batik-rina"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sector": "mining"}, "sector"),
        ({"province": "atlantis"}, "province"),
        ({"regency": "atlantis"}, "regency"),
        ({"skill": "juggling"}, "skill"),
    ],
)
def test_invalid_filters_are_a_400_with_field_errors(client, directory, params, field):
    assert_api_error(client.get(LIST, params), 400, field)


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_the_enterprise_api_is_read_only(client, method):
    user, enterprise = seller()
    client.force_login(user)
    url = LIST if method == "post" else f"{LIST}{enterprise.slug}/"

    response = getattr(client, method)(url, {"name": "Diganti"}, content_type="application/json")

    assert_api_error(response, 405)
    assert Enterprise.objects.get().name == enterprise.name


def _enterprises(count):
    skill = SkillFactory()
    for _ in range(count):
        enterprise = EnterpriseFactory(logo=ImageFactory())
        EnterpriseSkillFactory(enterprise=enterprise, skill=skill)
        ProductFactory(enterprise=enterprise)


def test_the_list_costs_the_same_queries_for_3_or_30_enterprises(client):
    _enterprises(3)
    few = count_queries(client, LIST)

    _enterprises(27)
    many = count_queries(client, LIST)

    assert few == many
