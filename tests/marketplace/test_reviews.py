"""Reviews of completed order parts: who may write and reply, exact rating averages, the pages
that show them (escaped, first names only) and their query counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cms.models import Notification
from enterprises.models import Enterprise
from marketplace.models import OrderPart, Product, Review
from marketplace.selectors import reviews as selectors
from marketplace.services import orders
from marketplace.services import reviews as services
from tests.factories import (
    EnterpriseMemberFactory,
    ProductFactory,
    ProductPhotoFactory,
    UserFactory,
    placed_order,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


def complete(part: OrderPart, *, by) -> OrderPart:
    """Move a cash part to completed through the order services."""
    for status in ("confirmed", "shipped", "completed"):
        orders.order_part_advance(part=part, user=by, to_status=status)
    return OrderPart.objects.select_related("order", "enterprise").get(pk=part.pk)


@pytest.fixture
def shop():
    """(seller user, enterprise, two products)."""
    user, enterprise = seller()
    products = [ProductFactory(enterprise=enterprise, stock=100) for _ in range(2)]
    return user, enterprise, products


def bought(shop, *, buyer=None, completed=True) -> OrderPart:
    seller_user, _enterprise, products = shop
    order = placed_order((products[0], 1), (products[1], 2), buyer=buyer or UserFactory(),
                         method="cash")
    part = order.parts.select_related("order", "enterprise").get()
    return complete(part, by=seller_user) if completed else part


def ratings(obj) -> tuple[int, int]:
    obj.refresh_from_db(fields=["rating_count", "rating_total"])
    return obj.rating_count, obj.rating_total


# Writing a review


def test_the_buyer_reviews_a_completed_part_and_every_product_in_it_is_rated(shop):
    _seller, enterprise, products = shop
    part = bought(shop)

    review = services.review_save(part=part, user=part.order.buyer, rating=4,
                                  text="  Renyah dan rapi.  ")

    assert (review.rating, review.text, review.enterprise) == (4, "Renyah dan rapi.", enterprise)
    assert review.author == part.order.buyer
    assert ratings(products[0]) == ratings(products[1]) == ratings(enterprise) == (1, 4)
    assert ProductFactory().rating_count == 0


def test_averages_stay_exact_over_several_reviews_and_edits(shop):
    _seller, enterprise, products = shop
    first, second, third = (bought(shop) for _ in range(3))
    other_product = ProductFactory(enterprise=enterprise, stock=5)
    single = complete(placed_order((other_product, 1), method="cash").parts.get(),
                      by=shop[0])

    services.review_save(part=first, user=first.order.buyer, rating=5, text="Mantap.")
    services.review_save(part=second, user=second.order.buyer, rating=4, text="Bagus.")
    services.review_save(part=third, user=third.order.buyer, rating=2, text="Remuk.")
    services.review_save(part=single, user=single.order.buyer, rating=1, text="Telat.")
    # Editing applies the difference only, never a second count.
    services.review_save(part=third, user=third.order.buyer, rating=3, text="Remuk sedikit.")
    services.review_save(part=third, user=third.order.buyer, rating=3, text="Sama saja.")

    assert ratings(products[0]) == (3, 12)
    assert Product.objects.get(pk=products[0].pk).rating == 4.0
    assert ratings(other_product) == (1, 1)
    assert ratings(enterprise) == (4, 13)
    assert Enterprise.objects.get(pk=enterprise.pk).rating == 3.25
    assert Review.objects.count() == 4
    assert Review.objects.get(part=third).text == "Sama saja."


def test_a_rating_counts_once_for_a_product_on_two_lines_of_a_part(shop):
    # Two lines of the same product cannot occur through a cart, but the count is per product.
    _seller, enterprise, products = shop
    part = bought(shop)
    part.lines.update(product=products[0])

    services.review_save(part=part, user=part.order.buyer, rating=5, text="Ok.")

    assert ratings(products[0]) == (1, 5)
    assert ratings(products[1]) == (0, 0)
    assert ratings(enterprise) == (1, 5)


def test_another_user_the_seller_and_anonymous_cannot_review(shop):
    seller_user, enterprise, products = shop
    part = bought(shop)
    colleague = EnterpriseMemberFactory(enterprise=enterprise).user
    from django.contrib.auth.models import AnonymousUser

    for user in (UserFactory(), seller_user, colleague, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.review_save(part=part, user=user, rating=5, text="Bagus sekali.")
    assert not Review.objects.exists()
    assert ratings(enterprise) == ratings(products[0]) == (0, 0)


def test_a_seller_buying_from_their_own_enterprise_cannot_review_it(shop):
    seller_user, enterprise, _products = shop
    part = bought(shop, buyer=seller_user)

    with pytest.raises(PermissionDenied):
        services.review_save(part=part, user=seller_user, rating=5, text="Produk saya hebat.")
    assert not Review.objects.exists()
    assert not services.review_can_write(part=part, user=seller_user)


@pytest.mark.parametrize("status", ["placed", "confirmed", "shipped"])
def test_only_a_completed_part_can_be_reviewed(shop, status):
    seller_user, enterprise, _products = shop
    part = bought(shop, completed=False)
    for step in ("confirmed", "shipped")[: ["placed", "confirmed", "shipped"].index(status)]:
        orders.order_part_advance(part=part, user=seller_user, to_status=step)

    with pytest.raises(ValidationError) as error:
        services.review_save(part=part, user=part.order.buyer, rating=5, text="Belum sampai.")

    assert error.value.code == "not_completed"
    assert not Review.objects.exists()
    assert ratings(enterprise) == (0, 0)


def test_a_cancelled_part_cannot_be_reviewed(shop):
    part = bought(shop, completed=False)
    orders.order_part_cancel(part=part, user=part.order.buyer, reason="Salah pesan.")

    with pytest.raises(ValidationError):
        services.review_save(part=part, user=part.order.buyer, rating=1, text="Batal.")
    assert not Review.objects.exists()


@pytest.mark.parametrize(("rating", "text", "fields"), [
    (0, "Bagus.", {"rating"}),
    (6, "Bagus.", {"rating"}),
    ("lima", "Bagus.", {"rating"}),
    (None, "Bagus.", {"rating"}),
    (True, "Bagus.", {"rating"}),
    (4, "   ", {"text"}),
    (4, "x" * 2001, {"text"}),
    (9, "", {"rating", "text"}),
])
def test_bad_ratings_and_texts_are_refused_with_a_message_and_nothing_written(
        shop, rating, text, fields):
    _seller, enterprise, _products = shop
    part = bought(shop)

    with pytest.raises(ValidationError) as error:
        services.review_save(part=part, user=part.order.buyer, rating=rating, text=text)

    assert set(error.value.message_dict) == fields
    assert all(messages for messages in error.value.message_dict.values())
    assert not Review.objects.exists()
    assert ratings(enterprise) == (0, 0)


def test_a_bad_edit_leaves_the_review_and_ratings_as_they_were(shop):
    _seller, enterprise, _products = shop
    part = bought(shop)
    services.review_save(part=part, user=part.order.buyer, rating=5, text="Bagus.")

    with pytest.raises(ValidationError):
        services.review_save(part=part, user=part.order.buyer, rating=1, text="")

    assert Review.objects.get().rating == 5
    assert ratings(enterprise) == (1, 5)


def test_a_rating_sent_as_form_digits_is_accepted(shop):
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating="3", text="Cukup.")
    assert review.rating == 3


def test_reviews_are_written_within_30_days_of_completion_and_edited_within_30_days(shop):
    part = bought(shop)
    OrderPart.objects.filter(pk=part.pk).update(
        completed_at=timezone.now() - timedelta(days=31))
    part.refresh_from_db()

    assert not services.review_can_write(part=part, user=part.order.buyer)
    with pytest.raises(ValidationError) as error:
        services.review_save(part=part, user=part.order.buyer, rating=5, text="Telat.")
    assert error.value.code == "too_late"

    OrderPart.objects.filter(pk=part.pk).update(
        completed_at=timezone.now() - timedelta(days=29))
    part.refresh_from_db()
    services.review_save(part=part, user=part.order.buyer, rating=5, text="Tepat waktu.")
    Review.objects.filter(part=part).update(created_at=timezone.now() - timedelta(days=31))
    part = OrderPart.objects.select_related("order").get(pk=part.pk)

    assert not services.review_can_write(part=part, user=part.order.buyer)
    with pytest.raises(ValidationError) as error:
        services.review_save(part=part, user=part.order.buyer, rating=1, text="Berubah.")
    assert error.value.code == "too_late"
    assert Review.objects.get().rating == 5


def test_the_seller_hears_of_a_new_review(shop, django_capture_on_commit_callbacks):
    seller_user, _enterprise, _products = shop
    part = bought(shop)

    with django_capture_on_commit_callbacks(execute=True):
        services.review_save(part=part, user=part.order.buyer, rating=5, text="Bagus.")

    notification = Notification.objects.get(user=seller_user, kind="review.new")
    assert "5" in notification.title


# Replies


def test_a_person_of_the_seller_replies_once_and_may_change_it(
        shop, django_capture_on_commit_callbacks):
    seller_user, enterprise, _products = shop
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating=3, text="Lumayan.")
    colleague = EnterpriseMemberFactory(enterprise=enterprise).user

    with django_capture_on_commit_callbacks(execute=True):
        services.review_reply(review=review, user=seller_user, reply=" Terima kasih! ")
    first_at = Review.objects.get().replied_at
    services.review_reply(review=review, user=colleague, reply="Kami perbaiki kemasannya.")

    review.refresh_from_db()
    assert review.reply == "Kami perbaiki kemasannya."
    assert review.replied_at == first_at is not None
    assert Notification.objects.filter(user=part.order.buyer, kind="review.reply").count() == 1


def test_the_buyer_and_strangers_cannot_reply(shop):
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating=3, text="Lumayan.")
    _other_seller, _other = seller()

    for user in (part.order.buyer, UserFactory(), _other_seller):
        with pytest.raises(PermissionDenied):
            services.review_reply(review=review, user=user, reply="Saya balas.")
    assert Review.objects.get().reply == ""


@pytest.mark.parametrize("reply", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_reply_is_refused(shop, reply):
    seller_user, _enterprise, _products = shop
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating=3, text="Lumayan.")

    with pytest.raises(ValidationError) as error:
        services.review_reply(review=review, user=seller_user, reply=reply)

    assert error.value.message_dict["reply"]
    assert Review.objects.get().reply == ""


# Selectors


def test_reviews_of_a_product_come_from_parts_that_sold_it(shop):
    _seller, enterprise, products = shop
    part = bought(shop)
    services.review_save(part=part, user=part.order.buyer, rating=5, text="Bagus.")
    elsewhere = ProductFactory(enterprise=enterprise, stock=5)
    other = complete(placed_order((elsewhere, 1), method="cash").parts.get(), by=shop[0])
    services.review_save(part=other, user=other.order.buyer, rating=2, text="Kurang.")

    assert [r.rating for r in selectors.review_list_for_product(product=products[1])] == [5]
    assert [r.rating for r in selectors.review_list_for_product(product=elsewhere)] == [2]
    assert [r.rating for r in selectors.review_list_for_enterprise(enterprise=enterprise)] == [
        2, 5]


# Pages: writing a review


def review_url(part: OrderPart) -> str:
    return reverse("review_create", kwargs={"number": part.order.number, "pk": part.pk})


def test_the_buyer_gets_the_review_form(client, shop):
    part = bought(shop)
    client.force_login(part.order.buyer)

    response = client.get(review_url(part))

    assert response.status_code == 200
    assert response.context["form"] is not None and response.context["can_write"]
    assert b'name="rating"' in response.content and b'name="text"' in response.content


def test_anyone_but_the_buyer_gets_404_and_anonymous_must_log_in(client, shop):
    seller_user, _enterprise, _products = shop
    part = bought(shop)
    url = review_url(part)

    assert client.get(url).status_code == 302
    for user in (UserFactory(), seller_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"rating": 5, "text": "Bagus."}).status_code == 404
    client.force_login(part.order.buyer)
    wrong_number = reverse("review_create", kwargs={"number": "GY-NOPE", "pk": part.pk})
    assert client.get(wrong_number).status_code == 404
    assert not Review.objects.exists()


def test_a_part_not_yet_completed_explains_itself(client, shop):
    part = bought(shop, completed=False)
    client.force_login(part.order.buyer)

    page = client.get(review_url(part))
    posted = client.post(review_url(part), {"rating": 5, "text": "Belum datang."})

    assert page.status_code == 200
    assert b"once it is completed" in page.content
    assert b'name="text"' not in page.content
    assert posted.status_code == 200
    assert b"once it is completed" in posted.content
    assert not Review.objects.exists()


def test_posting_a_review_publishes_it_and_returns_to_the_order(client, shop):
    _seller, enterprise, products = shop
    part = bought(shop)
    client.force_login(part.order.buyer)

    response = client.post(review_url(part), {"rating": "4", "text": "Enak, pengiriman cepat."})

    assert response.status_code == 302
    assert response["Location"] == part.order.get_absolute_url()
    assert Review.objects.get().rating == 4
    assert ratings(enterprise) == (1, 4)
    # Coming back edits the same review.
    page = client.get(review_url(part))
    assert page.context["form"].initial == {"rating": 4, "text": "Enak, pengiriman cepat."}
    client.post(review_url(part), {"rating": "2", "text": "Ternyata basi."})
    assert ratings(enterprise) == (1, 2)
    assert ratings(products[0]) == (1, 2)


def test_a_seller_who_bought_from_themselves_is_told_they_cannot_review(client, shop):
    seller_user = shop[0]
    part = bought(shop, buyer=seller_user)
    client.force_login(seller_user)

    page = client.get(review_url(part))
    posted = client.post(review_url(part), {"rating": "5", "text": "Terbaik!"})

    assert b"cannot review your own enterprise" in page.content
    assert b'name="text"' not in page.content
    assert posted.status_code == 200
    assert b"cannot review your own enterprise" in posted.content
    assert not Review.objects.exists()


@pytest.mark.parametrize(("data", "field"), [
    ({"rating": "7", "text": "Bagus."}, "rating"),
    ({"text": "Bagus."}, "rating"),
    ({"rating": "5", "text": ""}, "text"),
    ({"rating": "5", "text": "x" * 2001}, "text"),
])
def test_a_bad_review_form_shows_the_field_error(client, shop, data, field):
    part = bought(shop)
    client.force_login(part.order.buyer)

    response = client.post(review_url(part), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Review.objects.exists()


# Pages: replying


def test_the_seller_replies_from_the_profile(client, shop):
    seller_user, enterprise, _products = shop
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating=4, text="Bagus.")
    client.force_login(seller_user)
    url = reverse("review_reply", kwargs={"pk": review.pk})

    profile = client.get(enterprise.get_absolute_url())
    assert url.encode() in profile.content
    response = client.post(url, {"reply": "Terima kasih, Bu.",
                                 "next": enterprise.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == enterprise.get_absolute_url()
    assert Review.objects.get().reply == "Terima kasih, Bu."
    assert client.get(url).status_code == 405


def test_reply_goes_nowhere_else_and_refuses_an_empty_reply(client, shop):
    seller_user, enterprise, _products = shop
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating=4, text="Bagus.")
    client.force_login(seller_user)
    url = reverse("review_reply", kwargs={"pk": review.pk})

    offsite = client.post(url, {"reply": "Makasih.", "next": "https://evil.example/"})
    empty = client.post(url, {"reply": "  "}, follow=True)

    assert offsite["Location"] == enterprise.get_absolute_url() + "#reviews"
    assert b"Write your reply." in empty.content
    assert Review.objects.get().reply == "Makasih."


def test_only_the_sellers_people_may_reply(client, shop):
    part = bought(shop)
    review = services.review_save(part=part, user=part.order.buyer, rating=4, text="Bagus.")
    url = reverse("review_reply", kwargs={"pk": review.pk})

    assert client.post(url, {"reply": "Hai"}).status_code == 302  # to the login page
    for user in (part.order.buyer, seller()[0]):
        client.force_login(user)
        assert client.post(url, {"reply": "Hai"}).status_code == 404
        assert url.encode() not in client.get(shop[1].get_absolute_url()).content
    assert Review.objects.get().reply == ""


# Pages: showing reviews


def test_the_product_page_and_card_show_the_rating_in_words(client, shop):
    _seller, enterprise, products = shop
    for rating in (5, 4):
        part = bought(shop)
        services.review_save(part=part, user=part.order.buyer, rating=rating, text="Ok.")

    page = client.get(products[0].get_absolute_url()).content.decode()
    catalogue = client.get(reverse("product_list")).content.decode()
    profile = client.get(enterprise.get_absolute_url()).content.decode()

    for html in (page, catalogue, profile):
        assert "4.5 of 5 (2 reviews)" in html
        assert 'class="rating__stars" aria-hidden="true">★★★★★</span>' in html
    assert "No reviews yet" in client.get(ProductFactory().get_absolute_url()).content.decode()


def test_indonesian_pages_write_the_average_with_a_comma(client, shop, settings):
    from django.urls import clear_url_caches
    from django.utils import translation

    part = bought(shop)
    services.review_save(part=part, user=part.order.buyer, rating=4, text="Ok.")
    other = bought(shop)
    services.review_save(part=other, user=other.order.buyer, rating=5, text="Ok.")
    settings.LANGUAGE_CODE = "id"
    clear_url_caches()
    with translation.override("id"):
        html = client.get(shop[2][0].get_absolute_url()).content.decode()

    assert "4,5" in html


def test_reviews_are_escaped_and_show_the_first_name_only(client, shop):
    seller_user, enterprise, products = shop
    buyer = UserFactory(first_name="Dewi", last_name="Lestari", username="dewi_jakarta")
    part = bought(shop, buyer=buyer)
    review = services.review_save(part=part, user=buyer, rating=5,
                                  text='<script>alert("x")</script><b>tebal</b>')
    services.review_reply(review=review, user=seller_user, reply="<img src=x onerror=alert(1)>")

    for url in (products[0].get_absolute_url(), enterprise.get_absolute_url(),
                reverse("product_reviews", kwargs={"slug": products[0].slug}),
                reverse("enterprise_reviews", kwargs={"slug": enterprise.slug})):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;tebal&lt;/b&gt;" in html
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "Dewi" in html
        assert "Lestari" not in html and "dewi_jakarta" not in html


def test_a_buyer_without_a_first_name_is_a_buyer(client, shop):
    part = bought(shop, buyer=UserFactory(first_name=""))
    services.review_save(part=part, user=part.order.buyer, rating=5, text="Ok.")

    html = client.get(shop[1].get_absolute_url()).content.decode()

    assert "A buyer" in html and part.order.buyer.username not in html


def test_review_list_pages_paginate_and_404_for_hidden_subjects(client, shop):
    _seller, enterprise, products = shop
    for _ in range(12):
        part = bought(shop)
        services.review_save(part=part, user=part.order.buyer, rating=5, text="Ok.")
    url = reverse("enterprise_reviews", kwargs={"slug": enterprise.slug})

    first = client.get(url)
    second = client.get(url + "?page=2")
    product_page = client.get(products[0].get_absolute_url())

    assert len(first.context["page"].object_list) == 10
    assert len(second.context["page"].object_list) == 2
    assert len(product_page.context["reviews"]) == 5
    assert b"See all 12 reviews" in product_page.content
    products[1].is_active = False
    products[1].save()
    assert client.get(reverse("product_reviews", kwargs={"slug": products[1].slug})
                      ).status_code == 404
    assert client.get(reverse("product_reviews", kwargs={"slug": "nope"})).status_code == 404


# Queries


def _reviewed(shop, count: int) -> None:
    for _ in range(count):
        part = bought(shop)
        services.review_save(part=part, user=part.order.buyer, rating=4, text="Ok.")
        services.review_reply(review=part.review, user=shop[0], reply="Makasih.")


def test_the_product_page_costs_the_same_queries_with_3_or_20_reviews(client, shop):
    _seller, _enterprise, products = shop
    ProductPhotoFactory(product=products[0])
    url = products[0].get_absolute_url()
    _reviewed(shop, 3)
    few = count_queries(client, url)

    _reviewed(shop, 17)
    many = count_queries(client, url)

    assert few == many


def test_the_profile_costs_the_same_queries_with_3_or_20_reviews(client, shop):
    seller_user, enterprise, _products = shop
    url = enterprise.get_absolute_url()
    _reviewed(shop, 3)
    few = count_queries(client, url)
    client.force_login(seller_user)
    few_as_seller = count_queries(client, url)
    client.logout()

    _reviewed(shop, 17)
    many = count_queries(client, url)
    client.force_login(seller_user)
    many_as_seller = count_queries(client, url)

    assert (few, few_as_seller) == (many, many_as_seller)


def test_review_lists_cost_the_same_queries_for_3_or_20_reviews(client, shop):
    _seller, enterprise, products = shop
    urls = [reverse("enterprise_reviews", kwargs={"slug": enterprise.slug}),
            reverse("product_reviews", kwargs={"slug": products[0].slug})]
    _reviewed(shop, 3)
    few = [count_queries(client, url) for url in urls]

    _reviewed(shop, 17)
    many = [count_queries(client, url) for url in urls]

    assert few == many


def test_ratings_on_cards_cost_no_query(client, shop):
    _seller, _enterprise, products = shop
    for product in products:
        ProductPhotoFactory(product=product)
    url = reverse("product_list")
    before = count_queries(client, url)

    _reviewed(shop, 2)

    assert count_queries(client, url) == before
    assert b"4.0 of 5 (2 reviews)" in client.get(url).content
