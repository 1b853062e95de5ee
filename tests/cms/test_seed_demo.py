import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from wagtail.images import get_image_model
from wagtail.signal_handlers import disable_reference_index_auto_update

from enterprises import demo as enterprise_demo
from enterprises.models import Enterprise, EnterpriseMember, EnterpriseSkill, Region, Skill
from marketplace import demo as market_demo
from marketplace.models import Category, Product, ProductPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_seeding(monkeypatch, settings):
    """Tiny images, and no Wagtail admin search or usage indexing: these tests check the data,
    and those indexes cost most of a seed's time."""
    monkeypatch.setattr(market_demo, "PHOTO_SIZE", (40, 30))
    monkeypatch.setattr(enterprise_demo, "LOGO_SIZE", (24, 24))
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}
    }
    with disable_reference_index_auto_update():
        yield


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [get_user_model(), Region, Enterprise, EnterpriseMember, Skill, EnterpriseSkill,
              Category, Product, ProductPhoto, get_image_model()]
    return {model.__name__: model.objects.count() for model in models}


def members_own():
    """Enterprises from the plan, without cooperatives' trading enterprises."""
    return Enterprise.objects.filter(seller_for__isnull=True)


def planned_products():
    """Products from the plan, without products listed for cooperatives' joint offers."""
    return Product.objects.filter(joint_offer__isnull=True)


def snapshot() -> dict:
    """The seeded values that the random generator decides."""
    return {
        "enterprises": list(members_own().order_by("slug").values_list(
            "slug", "whatsapp", "year_founded", "people", "regency__slug")),
        "products": list(planned_products().order_by("slug").values_list(
            "slug", "enterprise__slug", "category__slug", "price", "unit", "stock", "min_order",
            "is_active")),
        "photos": list(planned_products().order_by("slug").annotate(n=Count("photos"))
                       .values_list("slug", "n")),
    }


def test_regions_cover_every_province_and_the_demo_regencies():
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    assert provinces.count() == 38
    regencies = {province.slug: province.children.count() for province in provinces}
    assert regencies["jawa-tengah"] == 35
    assert regencies["di-yogyakarta"] == 5
    assert regencies["bali"] == 9
    assert Region.objects.get(slug="kabupaten-banyumas").parent.slug == "jawa-tengah"
    assert not Region.objects.filter(level=Region.Level.REGENCY, parent__isnull=True).exists()


def test_scale_one_builds_a_village_economy():
    output = seed()

    assert Enterprise.objects.count() >= 40
    assert Product.objects.count() >= 150
    assert Enterprise.objects.values("regency").distinct().count() >= 2
    assert set(Enterprise.objects.values_list("sector", flat=True)) >= {
        "coffee", "food", "batik", "craft", "honey", "tailoring", "farming"}
    assert not Product.objects.filter(photos__isnull=True).exists()
    assert all(isinstance(price, int) and price > 0
               for price in Product.objects.values_list("price", flat=True))
    assert Product.objects.filter(stock=0).exists()
    assert Product.objects.filter(is_active=False).exists()
    assert all(doc.startswith(title.lower()) for title, doc in
               Product.objects.values_list("title", "search_document"))
    assert Category.objects.filter(parent__isnull=True, name="Makanan & Minuman",
                                   name_en="Food & Drink").exists()
    assert not Category.objects.filter(parent__parent__isnull=False).exists()
    assert EnterpriseSkill.objects.filter(rate__gt=0).count() >= 10
    assert all(number.startswith("62") for number in
               Enterprise.objects.values_list("whatsapp", flat=True))
    # The people in USERS.md: Sari shares her enterprise, Budi runs two.
    assert set(Enterprise.objects.get(slug="keripik-sari").members
               .values_list("username", flat=True)) == {"sari", "wati"}
    assert members_own().filter(members__username="budi").count() == 2
    assert Enterprise.objects.get(slug="keripik-sari").people == 3
    assert get_user_model().objects.get(username="sari").check_password(
        enterprise_demo.DEMO_PASSWORD)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(enterprise_demo.ADMIN_PASSWORD)
    assert enterprise_demo.ADMIN_PASSWORD in output and "local demo only" in output


def test_second_run_changes_nothing():
    seed()
    before, values = counts(), snapshot()

    seed()

    assert counts() == before
    assert snapshot() == values


def test_seeded_values_follow_the_seed():
    seed("--seed", "7")

    products = market_demo.product_plan(rng=random.Random("7:marketplace"))
    assert snapshot()["products"] == sorted(
        (entry["slug"], entry["enterprise_slug"], entry["category"], entry["price"],
         entry["unit"], entry["stock"], entry["min_order"], entry["is_active"])
        for entry in products
    )
    assert snapshot()["photos"] == sorted((entry["slug"], entry["photos"]) for entry in products)
    enterprises = enterprise_demo.enterprise_plan(rng=random.Random("7:enterprises"))
    assert sorted(members_own().values_list("slug", "whatsapp", "year_founded")) == sorted(
        (entry["spec"].slug, entry["whatsapp"], entry["year_founded"]) for entry in enterprises
    )


def test_the_same_seed_draws_the_same_values_and_another_seed_others():
    def plan(seed_value):
        return market_demo.product_plan(rng=random.Random(f"{seed_value}:marketplace"))

    assert plan(1) == plan(1)
    assert plan(1) != plan(2)


def test_scale_two_reaches_the_benchmark_totals_once():
    output = seed("--scale", "2")

    assert members_own().count() == 80
    assert planned_products().count() == 800
    assert not Product.objects.filter(photos__isnull=True).exists()
    bench = Product.objects.filter(slug__startswith="bench-produk-").select_related(
        "category", "enterprise").first()
    assert bench.search_document == market_demo.services.product_search_document(bench)
    assert bench.enterprise.slug.startswith("bench-usaha-")
    assert "products: " in output
    before = counts()

    seed("--scale", "2")

    assert counts() == before


@pytest.mark.parametrize("value", ["0", "-3", "banyak"])
def test_bad_scale_is_refused(value):
    with pytest.raises(CommandError, match="--scale"):
        seed("--scale", value)
    assert not Enterprise.objects.exists()


def test_bad_scale_exits_non_zero_from_the_command_line():
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(manage), "seed_demo", "--scale", "0",
         "--settings=cms.settings.test"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "must be 1 or more" in result.stderr
