"""Dewi's purchase from two village enterprises with a bank transfer, end to end."""

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Cart, Order, Product
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    CategoryFactory,
    EnterpriseFactory,
    ProductFactory,
    ProductPhotoFactory,
    RegencyFactory,
    UserFactory,
    image_bytes,
    seller,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-rahasia-123"


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"purchase-{name}.png", full_page=True)


def _log_in(page, username: str) -> None:
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()


def _add_to_cart(page, product: Product, quantity: int) -> None:
    form = page.locator(f"form[action$='/cart/add/{product.pk}/']")
    form.locator("[name=quantity]").fill(str(quantity))
    form.locator("[type=submit]").click()
    page.wait_for_url(f"**/products/{product.slug}/")
    expect(page.locator(".message--success")).to_contain_text(product.title)


def test_dewi_buys_from_two_enterprises_and_pays_by_bank_transfer(phone, browser, live_server):
    sari_user, sari = seller(name="Keripik Sari", slug="keripik-sari",
                             regency=RegencyFactory(name="Kabupaten Banyumas"),
                             bank_name="BRI", bank_account_number="0123456789012",
                             bank_account_name="Sari Wulandari")
    kopi = EnterpriseFactory(name="Kopi Sindoro", slug="kopi-sindoro",
                             regency=RegencyFactory(name="Kabupaten Temanggung"),
                             bank_name="BNI", bank_account_number="9876543210")
    chips = ProductFactory(enterprise=sari, title="Keripik Singkong Balado", price=15000,
                           stock=20, min_order=2)
    ProductPhotoFactory(product=chips)
    coffee = ProductFactory(enterprise=kopi, title="Kopi Arabika Sindoro", price=85000,
                            stock=5, category=CategoryFactory(name="Kopi", name_en="Coffee"))
    dewi = UserFactory(username="dewi", first_name="Dewi", last_name="Lestari")

    # Anonymous: search, open the product, add more than the minimum.
    phone.goto("/")
    phone.get_by_role("searchbox").first.fill("keripik")
    phone.get_by_role("searchbox").first.press("Enter")
    phone.wait_for_url(re.compile(r"/products/\?.*q=keripik"))
    phone.locator("#results").get_by_role("link", name=chips.title).first.click()
    phone.wait_for_url(f"**/products/{chips.slug}/")
    quantity = phone.locator(f"form[action$='/cart/add/{chips.pk}/'] [name=quantity]")
    expect(quantity).to_have_value("2")
    _add_to_cart(phone, chips, 3)
    phone.goto(coffee.get_absolute_url())
    _add_to_cart(phone, coffee, 1)
    expect(phone.locator(".site-account .count-badge")).to_have_text("2")

    phone.goto("/cart/")
    cart = phone.locator("main")
    expect(cart).to_contain_text("Keripik Sari")
    expect(cart).to_contain_text("Kopi Sindoro")
    expect(cart).to_contain_text("Rp 130.000")  # 3 x 15.000 + 85.000
    _screenshot(phone, "cart")

    # Checking out asks her to log in; her cart comes with her.
    phone.locator("main a[href$='/checkout/']").click()
    phone.wait_for_url(re.compile(r"/accounts/login/\?next=/checkout/"))
    _log_in(phone, "dewi")
    phone.wait_for_url("**/checkout/")
    assert Cart.objects.get(user=dewi).lines.count() == 2
    assert not Cart.objects.filter(user__isnull=True).exists()

    expect(phone.locator("[name=recipient_name]")).to_have_value("Dewi Lestari")
    phone.locator("[name=phone]").fill("0812-3456-7890")
    phone.locator("[name=address]").fill("Jl. Kemang Raya 10, Jakarta Selatan")
    phone.locator("[name=village]").fill("Bangka")
    phone.locator(f"[name=fulfilment_{kopi.pk}][value=pickup]").check()
    phone.locator("[name=payment_method][value=bank_transfer]").check()
    _screenshot(phone, "checkout")
    phone.locator("main form.checkout [type=submit]").click()

    phone.wait_for_url(re.compile(r"/orders/GY-[A-Z0-9]+/$"))
    order = Order.objects.get(buyer=dewi)
    assert order.payment_method == "bank_transfer" and order.total == 130000
    assert Product.objects.get(pk=chips.pk).stock == 17
    assert Product.objects.get(pk=coffee.pk).stock == 4
    sari_part = order.parts.get(enterprise=sari)
    section = phone.locator(f"#part-{sari_part.pk}")
    expect(section).to_contain_text("0123456789012")
    expect(section).to_contain_text("Sari Wulandari")
    expect(section).to_contain_text("Rp 45.000")
    _screenshot(phone, "order")

    # She transfers to Sari and uploads the proof.
    section.locator("input[type=file][name=proof]").set_input_files(
        {"name": "bukti-transfer.jpg", "mimeType": "image/jpeg",
         "buffer": image_bytes(320, 480)}
    )
    section.locator("form[enctype='multipart/form-data'] [type=submit]").click()
    phone.wait_for_url(f"**/orders/{order.number}/")
    expect(phone.locator(".message--success")).to_contain_text("Keripik Sari")
    sari_part.refresh_from_db()
    assert sari_part.transfer_proof and sari_part.proof_uploaded_at
    proof_link = phone.locator(f"#part-{sari_part.pk} a[href$='/parts/{sari_part.pk}/proof/']")
    expect(proof_link).to_be_visible()

    # Sari opens the sale on her dashboard, looks at the proof and confirms the money arrived,
    # then confirms the order.
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  base_url=live_server.url, locale="id-ID")
    seller_page = context.new_page()
    sale_url = f"/dashboard/sales/{sari_part.pk}/"
    seller_page.goto(f"/accounts/login/?next={sale_url}")
    _log_in(seller_page, sari_user.username)
    seller_page.wait_for_url(f"**{sale_url}")
    proof_href = seller_page.locator(
        f"main a[href$='/orders/{order.number}/parts/{sari_part.pk}/proof/']"
    ).get_attribute("href")
    seller_page.goto(proof_href)
    assert seller_page.evaluate("document.images[0].naturalWidth") == 320
    seller_page.goto(sale_url)
    seller_page.locator(f"form[action$='{sale_url}payment/'] [type=submit]").click()
    seller_page.wait_for_url(f"**{sale_url}")
    seller_page.locator(f"form[action$='{sale_url}status/']:has([value=confirmed]) "
                        "[type=submit]").click()
    seller_page.wait_for_url(f"**{sale_url}")
    context.close()
    sari_part.refresh_from_db()
    assert sari_part.paid_at and sari_part.status == "confirmed"

    phone.reload()
    expect(phone.locator(f"#part-{sari_part.pk} [aria-current=step]")).to_contain_text(
        re.compile("Dikonfirmasi|Confirmed"))
    paid = phone.locator(f"#part-{sari_part.pk} .order-part__payment")
    expect(paid).to_contain_text(re.compile(r"\d{4}"))
    expect(paid.locator(".in-stock")).to_be_visible()
    expect(paid.locator("input[type=file]")).to_have_count(0)
    kopi_part = order.parts.get(enterprise=kopi)
    expect(phone.locator(f"#part-{kopi_part.pk} input[type=file]")).to_have_count(1)
    _screenshot(phone, "order-paid")
