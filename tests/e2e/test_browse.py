import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ProductFactory,
    ProductPhotoFactory,
    RegencyFactory,
    UserFactory,
    image_bytes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _catalogue():
    banyumas = RegencyFactory(name="Kabupaten Banyumas")
    temanggung = RegencyFactory(name="Kabupaten Temanggung")
    sari = EnterpriseFactory(name="Keripik Sari", slug="keripik-sari", regency=banyumas)
    kopi = EnterpriseFactory(name="Kopi Sindoro", slug="kopi-sindoro", regency=temanggung)
    chips = ProductFactory(enterprise=sari, title="Keripik Singkong Balado", price=15000)
    ProductPhotoFactory(product=chips)
    ProductFactory(enterprise=sari, title="Keripik Pisang Manis", price=12000)
    ProductFactory(
        enterprise=kopi, title="Kopi Arabika Sindoro", price=85000,
        category=CategoryFactory(name="Kopi", name_en="Coffee"),
    )
    return chips


def test_buyer_browses_searches_filters_and_opens_a_product(phone):
    chips = _catalogue()
    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "id")

    phone.get_by_role("searchbox").first.fill("keripik")
    phone.get_by_role("searchbox").first.press("Enter")
    phone.wait_for_url(re.compile(r"/products/\?.*q=keripik"))
    results = phone.locator("#results")
    expect(results).to_contain_text("Keripik Singkong Balado")
    expect(results).to_contain_text("Keripik Pisang Manis")
    expect(results).not_to_contain_text("Kopi Arabika")

    phone.goto("/products/?q=keripik&max_price=13000")
    expect(phone.locator("#results")).not_to_contain_text("Keripik Singkong Balado")
    expect(phone.locator("#results")).to_contain_text("Keripik Pisang Manis")

    phone.goto("/products/?q=keripik")
    phone.locator("#results").get_by_role("link", name=chips.title).first.click()
    phone.wait_for_url(f"**/products/{chips.slug}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(chips.title)
    expect(phone.locator("main")).to_contain_text("Rp 15.000")
    whatsapp = phone.locator("a[href^='https://wa.me/']").first
    expect(whatsapp).to_have_attribute("href", re.compile(r"text=.*Keripik"))
    photo = phone.locator("main img").first
    expect(photo).to_have_attribute("alt", re.compile(".+"))
    assert phone.evaluate("document.querySelector('main img').naturalWidth") > 0


def test_seller_signs_up_creates_enterprise_and_lists_a_product(phone, tmp_path):
    RegencyFactory(name="Kabupaten Banyumas")
    CategoryFactory()
    photo = tmp_path / "keripik.jpg"
    photo.write_bytes(image_bytes(640, 480))

    phone.goto("/accounts/signup/")
    phone.locator("[name=first_name]").fill("Sari")
    phone.locator("[name=username]").fill("sari")
    phone.locator("[name=email]").fill("sari@example.com")
    phone.locator("[name=password1]").fill("keripik-renyah-2026")
    phone.locator("[name=password2]").fill("keripik-renyah-2026")
    phone.locator("main form [type=submit]").last.click()

    phone.wait_for_url("**/dashboard/enterprises/new/")
    phone.locator("[name=name]").fill("Keripik Sari")
    phone.locator("[name=sector]").select_option("food")
    banyumas = phone.locator("[name=regency] option", has_text="Banyumas").get_attribute("value")
    phone.locator("[name=regency]").select_option(banyumas)
    phone.locator("[name=whatsapp]").fill("0812-3456-7890")
    phone.locator("main form [type=submit]").last.click()

    phone.wait_for_url("**/products/new/")
    phone.locator("[name=title]").fill("Keripik Singkong Pedas")
    phone.locator("[name=category]").select_option(index=1)
    phone.locator("[name=price]").fill("15000")
    phone.locator("[name=stock]").fill("30")
    phone.locator("[name=photo_uploads]").set_input_files(str(photo))
    phone.locator("main form [type=submit]").last.click()

    phone.wait_for_url("**/dashboard/")
    expect(phone.locator("main")).to_contain_text("Keripik Singkong Pedas")
    phone.goto("/products/?q=pedas")
    expect(phone.locator("#results")).to_contain_text("Keripik Singkong Pedas")
    assert UserFactory._meta.model.objects.get(username="sari").enterprises.get().whatsapp == (
        "6281234567890"
    )
