"""Every URL that can change something is checked for authorization, so a new endpoint cannot
be forgotten: the URL conf is walked (includes, i18n patterns and the API router), and every
named pattern must have an entry in REGISTRY below, or the first test fails.

- Anonymous visitors sending writes (POST, and the API's PUT/PATCH/DELETE) change nothing: they
  get a redirect to the login page, 401, 403, 404 or 405, never a 5xx.
- For objects that have owners, an entry builds one owned by someone else, and a signed-in
  stranger (who runs an enterprise of their own) is refused (403/404) and changes nothing.

"Changes nothing" is checked on the rows of every table of Guyub's apps, users and Wagtail
pages."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import (
    CollaborationRequestFactory,
    CooperativeFactory,
    EnterpriseFactory,
    EnterpriseSkillFactory,
    IncomeRecordFactory,
    InviteFactory,
    MembershipFactory,
    MentoringOfferFactory,
    PostFactory,
    ProductFactory,
    ThreadFactory,
    UserFactory,
    article,
    cooperative_member,
    event,
    placed_order,
    seller,
)

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
DENIED = (403, 404)


@dataclass(frozen=True)
class Reads:
    """The view changes nothing (its methods are safe, or writes answer 405)."""

    why: str


@dataclass(frozen=True)
class Excluded:
    """Not exercised here, for the reason given (its own tests cover it)."""

    why: str


@dataclass(frozen=True)
class Open:
    """Writes that anyone may make, on purpose; only "no 5xx" is checked for visitors."""

    why: str


@dataclass(frozen=True)
class SignedIn:
    """Any signed-in person may write here (for themselves or their own enterprise, chosen in
    the request and checked by the service); anonymous visitors are refused."""

    why: str


@dataclass(frozen=True)
class Owned:
    """Writes to an object owned by someone else: `build()` makes it and returns the URL's
    kwargs; anonymous visitors and a signed-in stranger are refused (`stranger` statuses)."""

    build: Callable[[], dict]
    stranger: tuple[int, ...] = DENIED
    why: str = ""
    methods: tuple[str, ...] = field(default=())
    # What the stranger sends, given their own enterprise: a request that would pass the form,
    # so the refusal comes from authorization and not from validation.
    data: Callable[[object], dict] | None = None


# --- objects owned by someone else ------------------------------------------------------------


def _enterprise():
    return {"slug": seller()[1].slug}


def _product():
    return {"slug": ProductFactory().slug}


def _api_product():
    return {"pk": ProductFactory().pk}


def _skill_offer():
    offer = EnterpriseSkillFactory()
    return {"slug": offer.enterprise.slug, "pk": offer.pk}


def _managed_cooperative():
    from enterprises.models import Membership

    cooperative = CooperativeFactory()
    cooperative_member(cooperative, role=Membership.Role.MANAGER)
    cooperative_member(cooperative)
    return cooperative


def _cooperative():
    return {"slug": _managed_cooperative().slug}


def _membership():
    cooperative = _managed_cooperative()
    membership = MembershipFactory(cooperative=cooperative)
    return {"slug": cooperative.slug, "pk": membership.pk}


def _pending_membership():
    from enterprises.models import Membership

    cooperative = _managed_cooperative()
    membership = MembershipFactory(cooperative=cooperative, status=Membership.Status.APPLIED)
    return {"slug": cooperative.slug, "pk": membership.pk}


def _resource_object():
    from enterprises.models import SharedResource

    return SharedResource.objects.create(
        cooperative=_managed_cooperative(), name="Mesin huller",
        kind=SharedResource.Kind.EQUIPMENT, cost_per_use=10_000, cost_per_hour=25_000,
    )


def _resource():
    resource = _resource_object()
    return {"slug": resource.cooperative.slug, "pk": resource.pk}


def _booking_object():
    from enterprises.services import bookings

    resource = _resource_object()
    user, enterprise = cooperative_member(resource.cooperative)
    starts = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return bookings.booking_create(resource=resource, enterprise=enterprise, user=user,
                                   starts_at=starts, ends_at=starts + timedelta(hours=2))


def _booking():
    booking = _booking_object()
    return {"slug": booking.resource.cooperative.slug, "pk": booking.resource.pk,
            "booking_pk": booking.pk}


def _api_booking():
    return {"pk": _booking_object().pk}


def _proposal_object():
    from enterprises.services import decisions

    cooperative = CooperativeFactory()
    user, enterprise = cooperative_member(cooperative)
    cooperative_member(cooperative)
    now = timezone.now()
    return decisions.proposal_create(
        cooperative=cooperative, enterprise=enterprise, user=user, title="Beli mesin sangrai",
        body="Patungan.", options=None, opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=3), quorum_percent=50, pass_threshold_percent=50,
    )


def _proposal():
    proposal = _proposal_object()
    return {"slug": proposal.cooperative.slug, "pk": proposal.pk}


def _api_proposal():
    return {"pk": _proposal_object().pk}


def _bulk_order():
    from marketplace.models import BulkOrder, Commitment

    cooperative = _managed_cooperative()
    order = BulkOrder.objects.create(
        cooperative=cooperative, title="Pupuk organik", supplier_name="Toko Tani", unit="kg",
        package_size=50, price_per_unit=3000, min_packages=1,
        deadline=timezone.now() + timedelta(days=3),
    )
    member = cooperative.memberships.exclude(role="manager").first().enterprise
    Commitment.objects.create(bulk_order=order, enterprise=member, quantity=20)
    return {"pk": order.pk}


def _joint_offer():
    from marketplace.models import JointOffer, Pledge
    from tests.factories import CategoryFactory

    cooperative = _managed_cooperative()
    today = timezone.localdate()
    offer = JointOffer.objects.create(
        cooperative=cooperative, title="Kopi hijau", category=CategoryFactory(name="Kopi"),
        grade="Grade 1", unit="kg", target_quantity=500, price_per_unit=85_000,
        delivery_from=today + timedelta(days=7), delivery_until=today + timedelta(days=21),
    )
    member = cooperative.memberships.exclude(role="manager").first().enterprise
    Pledge.objects.create(joint_offer=offer, enterprise=member, quantity=50)
    return {"pk": offer.pk}


def _order():
    return placed_order()


def _order_number():
    return {"number": _order().number}


def _order_part():
    order = _order()
    return {"number": order.number, "pk": order.parts.get().pk}


def _sale():
    return {"pk": _order().parts.get().pk}


def _review():
    from marketplace.models import Review

    part = _order().parts.get()
    review = Review.objects.create(part=part, enterprise=part.enterprise, author=part.order.buyer,
                                   rating=4, text="Renyah.")
    return {"pk": review.pk}


def _cart_line_object():
    from marketplace.models import Cart, CartLine

    cart = Cart.objects.create(user=UserFactory())
    return CartLine.objects.create(cart=cart, product=ProductFactory(), quantity=1)


def _cart_line():
    return {"pk": _cart_line_object().pk}


def _api_cart_line():
    return {"line_id": _cart_line_object().pk}


def _vote_as_own(enterprise, *, api=False):
    from enterprises.models import ProposalOption

    option = ProposalOption.objects.order_by("pk")[0].pk
    return {"enterprise": enterprise.slug if api else enterprise.pk, "option": option}


def _as_own(**fields):
    """Form data naming the stranger's own enterprise (the API names it by slug)."""
    return lambda enterprise: {"enterprise": enterprise.pk, **fields}


def _api_as_own(**fields):
    return lambda enterprise: {"enterprise": enterprise.slug, **fields}


def _event():
    user, enterprise = seller()
    return {"pk": event(organiser_enterprise=enterprise).pk}


def _article():
    return {"pk": article(publish=False, owner=UserFactory()).pk}


def _thread():
    return {"pk": ThreadFactory().pk}


def _post():
    return {"pk": PostFactory().pk}


def _mentoring_offer():
    return {"pk": MentoringOfferFactory().pk}


def _mentoring_request():
    from knowledge.models import MentoringRequest

    mentee = EnterpriseFactory()
    request = MentoringRequest.objects.create(offer=MentoringOfferFactory(), mentee=mentee,
                                              message="Ajari saya.")
    return {"pk": request.pk}


def _collaboration():
    return {"pk": CollaborationRequestFactory().pk}


def _invite_enterprise():
    return {"slug": InviteFactory().enterprise.slug}


def _income_enterprise():
    return {"slug": IncomeRecordFactory().enterprise.slug}


def _notification():
    from cms.models import Notification

    return {"pk": Notification.objects.create(user=UserFactory(), kind="test", title="Hai").pk}


AUTH = "Django's auth views: login is throttled by django-axes, tested in test_accounts.py"
SAFE = "safe methods only (require_safe or a read-only viewset)"

REGISTRY: dict[str, Reads | Excluded | Open | SignedIn | Owned] = {
    # API (router and extra paths)
    "api-root": Reads(SAFE),
    "api_schema": Reads(SAFE),
    "api_docs": Reads(SAFE),
    "api_not_found": Excluded("any other /api/v1/ address: a JSON 404 to every method, "
                              "changing nothing (tests/cms/test_api_edge_cases.py)"),
    "api_token": Excluded("exchanges a password for a token; axes counts failures "
                          "(test_accounts.py, test_rate_limits.py)"),
    "api-product-list": SignedIn("sellers create products for their own enterprise; "
                                 "another's enterprise answers 403 (marketplace API tests)"),
    "api-product-detail": Owned(_api_product),
    "api-enterprise-list": Reads(SAFE),
    "api-enterprise-detail": Reads(SAFE),
    "api-cooperative-list": Reads(SAFE),
    "api-cooperative-detail": Reads(SAFE),
    "api-bulk-order-list": Reads(SAFE),
    "api-bulk-order-detail": Reads(SAFE),
    "api-bulk-order-close": Owned(_bulk_order),
    "api-bulk-order-commit": Owned(_bulk_order, data=_api_as_own(quantity=10, tolerance=0)),
    "api-bulk-order-withdraw": Owned(_bulk_order, data=_api_as_own()),
    "api-joint-offer-list": Reads(SAFE),
    "api-joint-offer-detail": Reads(SAFE),
    "api-joint-offer-pledge": Owned(_joint_offer, data=_api_as_own(quantity=10)),
    "api-joint-offer-withdraw": Owned(_joint_offer, data=_api_as_own()),
    "api-proposal-list": Reads(SAFE),
    "api-proposal-detail": Reads(SAFE),
    "api-proposal-vote": Owned(_api_proposal,
                               data=lambda enterprise: _vote_as_own(enterprise, api=True)),
    "api-booking-list": SignedIn("members book for their own member enterprise"),
    "api-booking-detail": Reads(SAFE),
    "api-booking-cancel": Owned(_api_booking),
    "api-cart-list": SignedIn("the signed-in person's own cart"),
    "api-cart-remove-line": Owned(_api_cart_line),
    "api-order-list": SignedIn("places the signed-in person's own cart"),
    "api-order-detail": Reads(SAFE),
    "api-order-part-list": Reads(SAFE),
    "api-order-part-detail": Reads(SAFE),
    "api-order-part-confirm-payment": Owned(_sale),
    "api-order-part-advance": Owned(_sale),
    "api-order-part-cancel": Owned(_sale),
    "api-order-part-refund": Owned(_sale),
    "api-review-list": Reads(SAFE),
    "api-review-detail": Reads(SAFE),
    "api-event-list": Reads(SAFE),
    "api-event-detail": Reads(SAFE),
    "api-article-list": Reads(SAFE),
    "api-article-detail": Reads(SAFE),
    "api-network-impact-list": Reads(SAFE),
    # Site
    "health": Reads(SAFE),
    "media": Reads(SAFE),
    "offline": Reads(SAFE),
    "service_worker": Reads(SAFE),
    "web_manifest": Reads(SAFE),
    "task_health": Reads(SAFE),
    "stripe_webhook": Excluded("Stripe webhook: every request must carry a valid Stripe "
                               "signature (tests/marketplace/test_webhooks*.py)"),
    "home": Reads("the home page: Wagtail's serve through the anonymous page cache"),
    "wagtail_serve": Reads("Wagtail pages; the site has no form pages"),
    "wagtailcore_authenticate_with_password": Excluded("Wagtail's page-password form"),
    "wagtailcore_login": Excluded(AUTH),
    "signup": Excluded("creates the visitor's own account; limited per address "
                       "(test_rate_limits.py)"),
    "login": Excluded(AUTH),
    "logout": Excluded(AUTH),
    "password_change": Excluded(AUTH),
    "password_change_done": Excluded(AUTH),
    "password_reset": Excluded(AUTH),
    "password_reset_done": Excluded(AUTH),
    "password_reset_confirm": Excluded(AUTH),
    "password_reset_complete": Excluded(AUTH),
    "notification_list": Reads(SAFE),
    "notification_read_all": SignedIn("marks the signed-in person's own notifications"),
    "notification_read": Owned(_notification),
    # Catalogue and enterprises
    "product_list": Reads(SAFE),
    "product_detail": Reads(SAFE),
    "product_reviews": Reads(SAFE),
    "enterprise_list": Reads(SAFE),
    "enterprise_detail": Reads(SAFE),
    "enterprise_reviews": Reads(SAFE),
    "skill_list": Reads(SAFE),
    "dashboard": Reads(SAFE),
    "enterprise_create": SignedIn("creates an enterprise run by the signed-in person"),
    "enterprise_edit": Owned(_enterprise),
    "skill_offer_create": Owned(_enterprise),
    "skill_offer_edit": Owned(_skill_offer),
    "product_create": Owned(_enterprise),
    "product_edit": Owned(_product),
    "product_toggle_active": Owned(_product),
    # Cooperatives, resources, decisions
    "cooperative_list": Reads(SAFE),
    "cooperative_detail": Reads(SAFE),
    "cooperative_create": SignedIn("the creator's own enterprise becomes its first manager"),
    "cooperative_edit": Owned(_cooperative),
    "membership_manage": Reads(SAFE),
    "membership_apply": SignedIn("any enterprise may apply; it stays pending until a "
                                 "manager accepts"),
    "membership_invite": Owned(_cooperative),
    "membership_accept": Owned(_pending_membership),
    "membership_decline": Owned(_pending_membership),
    "membership_leave": Owned(_membership),
    "membership_role": Owned(_membership, data=lambda _own: {"role": "manager"}),
    "resource_list": Reads(SAFE),
    "resource_costs": Reads(SAFE),
    "resource_create": Owned(_cooperative),
    "resource_detail": Owned(_resource, why="POST books a slot: members only"),
    "resource_edit": Owned(_resource),
    "booking_cancel": Owned(_booking),
    "proposal_list": Reads(SAFE),
    "proposal_create": Owned(_cooperative),
    "proposal_detail": Reads(SAFE),
    "proposal_vote": Owned(_proposal, data=_vote_as_own),
    # Cooperative buying and selling
    "bulk_order_create": SignedIn("managers only; the cooperative is chosen in the form"),
    "bulk_order_detail": Reads(SAFE),
    "bulk_order_commit": Owned(_bulk_order, data=_as_own(quantity=10, tolerance=0)),
    "bulk_order_withdraw": Owned(_bulk_order, data=_as_own()),
    "bulk_order_close": Owned(_bulk_order),
    "bulk_order_mark_sent": Owned(_bulk_order),
    "bulk_order_pay": Owned(_bulk_order),
    "joint_offer_create": SignedIn("managers only; the cooperative is chosen in the form"),
    "joint_offer_detail": Reads(SAFE),
    "joint_offer_pledge": Owned(_joint_offer, data=_as_own(quantity=10)),
    "joint_offer_withdraw": Owned(_joint_offer, data=_as_own()),
    # Shopping, orders, sales, reviews
    "cart": Reads(SAFE),
    "cart_add": Open("visitors keep a cart in their session before logging in"),
    "cart_line": Owned(_cart_line),
    "checkout": SignedIn("places the signed-in person's own cart"),
    "order_list": Reads(SAFE),
    "order_detail": Reads(SAFE),
    "order_pay": Owned(_order_number),
    "order_receipt": Reads(SAFE),
    "transfer_proof": Owned(_order_part),
    "order_part_cancel_by_buyer": Owned(_order_part),
    "order_part_received": Owned(_order_part),
    "review_create": Owned(_order_part),
    "review_reply": Owned(_review),
    "sales_list": Reads(SAFE),
    "sale_detail": Reads(SAFE),
    "sale_payment_confirm": Owned(_sale),
    "sale_advance": Owned(_sale),
    "sale_cancel": Owned(_sale),
    "sale_refund": Owned(_sale),
    "enterprise_ledger": Reads(SAFE),
    "enterprise_ledger_csv": Reads(SAFE),
    "payouts": SignedIn("staff only (tests/marketplace/test_payouts*.py)"),
    "stripe_connect_start": Owned(_enterprise),
    "stripe_connect_return": Reads(SAFE),
    # Knowledge, events, forum, mentoring
    "article_submit": SignedIn("submits a draft for moderation by the signed-in person"),
    "article_edit": Owned(_article),
    "contribution_list": Reads(SAFE),
    "article_helpful": Open("anyone may mark an article helpful, once per session"),
    "event_create": SignedIn("organiser chosen in the form among the person's own"),
    "my_events": Reads(SAFE),
    "event_feed": Reads(SAFE),
    "event_ical": Reads(SAFE),
    "event_edit": Owned(_event),
    "event_attendance": Owned(_event),
    "event_rsvp": SignedIn("the signed-in person's own RSVP"),
    "event_rsvp_cancel": SignedIn("the signed-in person's own RSVP"),
    "forum_index": Reads(SAFE),
    "forum_category": Reads(SAFE),
    "forum_moderation": Reads(SAFE),
    "thread_detail": Reads(SAFE),
    "thread_create": SignedIn("a new thread by the signed-in person (rate limited)"),
    "post_reply": SignedIn("a reply by the signed-in person (rate limited)"),
    "post_report": SignedIn("any signed-in person may report a post"),
    "thread_lock": Owned(_thread),
    "thread_hide": Owned(_thread),
    "post_edit": Owned(_post),
    "post_accept": Owned(_post),
    "post_hide": Owned(_post),
    "post_reports_dismiss": Owned(_post),
    "mentoring_list": Reads(SAFE),
    "mentoring_request": SignedIn("a request from the person's own enterprise"),
    "mentoring_dashboard": Reads(SAFE),
    "mentoring_offer_create": SignedIn("an offer from the person's own enterprise"),
    "mentoring_offer_edit": Owned(_mentoring_offer),
    "mentoring_offer_toggle": Owned(_mentoring_offer),
    "mentoring_request_decide": Owned(_mentoring_request),
    "mentoring_request_withdraw": Owned(_mentoring_request),
    # Network
    "your_network_index": Reads(SAFE),
    "your_network": Reads(SAFE),
    "collaboration_confirm": Owned(_collaboration),
    "collaboration_decline": Owned(_collaboration),
    "collaboration_withdraw": Owned(_collaboration),
    "collaboration_request": Owned(_enterprise),
    "invite_renew": Owned(_invite_enterprise),
    "referred_by_set": Owned(_enterprise),
    "income_history": Reads(SAFE),
    "income_report": Owned(_income_enterprise),
    "income_import": SignedIn("program officers only (enterprises tests)"),
    "income_import_template": Reads(SAFE),
    "network_report": Reads(SAFE),
    "network_metrics_refresh": SignedIn("program officers only: queues a snapshot"),
    "network_metrics_status": Reads(SAFE),
    "network_panel_csv": Reads(SAFE),
    "network_map": Reads(SAFE),
    "network_enterprise": Reads(SAFE),
    "join": Open("an invite link: remembers the code in the visitor's session"),
}

# Whole sub-trees with their own authentication, not walked.
EXCLUDED_PREFIXES = {
    "django-admin/": "Django admin: staff only, Django's own permission checks",
    "admin/": "Wagtail admin: Wagtail's own permission checks",
    "documents/": "Wagtail documents: served with Wagtail's collection privacy",
}


def url_patterns():
    """(name, route) of every pattern outside the excluded sub-trees, once per name."""
    found = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if any(route.startswith(excluded) for excluded in EXCLUDED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                walk(pattern, route, inner)
            else:
                name = f"{namespace}{pattern.name}" if pattern.name else route
                found.setdefault(name, (route, pattern.callback))

    walk(get_resolver(), "", "")
    return found


def write_methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a DRF viewset route
        return tuple(method for method in WRITE_METHODS if method in actions)
    return ("post",)


DUMMY = {"pk": 999_999, "booking_pk": 999_999, "product_id": 999_999, "line_id": 999_999,
         "slug": "no-such-thing",
         "number": "GY-NOSUCH", "code": "nosuchcode", "path": "no/such.jpg"}


def url_for(name: str, kwargs: dict) -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse(name, kwargs={key: value for key, value in kwargs.items() if key != "pk"})


def dummy_url(name: str, route: str) -> str:
    import re

    if name == "wagtail_serve":  # its one group is unnamed
        return "/no-such-page/"
    wanted = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)) or set()
    keys = {group for pair in wanted for group in pair if group and group != "format"}
    return reverse(name, kwargs={key: DUMMY[key] for key in keys})


def fingerprint():
    """Every row of Guyub's tables, users and Wagtail pages and revisions."""
    labels = {"cms", "enterprises", "marketplace", "knowledge", "auth"}
    # Site settings are made on the first request that reads them: not a change by the caller.
    models = [model for model in apps.get_models()
              if model._meta.app_label in labels and not model._meta.proxy
              and model._meta.label != "cms.SiteSettings"]
    from wagtail.models import Page, Revision

    models += [Page, Revision]
    return {model._meta.label: list(model.objects.order_by("pk").values_list())
            for model in models}


def changes(before, after) -> list[str]:
    """The tables whose rows differ, for the failure message."""
    return [label for label in before if before[label] != after[label]]


def send(client, method: str, url: str, api: bool, data=None):
    if api:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return getattr(client, method)(url, data or {})


def is_denied_anonymous(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- tests -------------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_registry():
    names = set(url_patterns())
    missing = sorted(names - set(REGISTRY))
    assert not missing, (
        "New URL patterns need an entry in REGISTRY (tests/cms/test_url_authorization.py) "
        f"saying who may change what: {missing}"
    )
    stale = sorted(set(REGISTRY) - names)
    assert not stale, f"REGISTRY names patterns that no longer exist: {stale}"


def test_a_new_write_endpoint_without_an_entry_is_caught(monkeypatch):
    """The guard itself: a pattern the registry does not know fails the first test."""
    from django.urls import path

    import cms.urls

    monkeypatch.setattr(cms.urls, "urlpatterns",
                        [*cms.urls.urlpatterns, path("sneaky/", lambda r: None, name="sneaky")])
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        with pytest.raises(AssertionError, match="sneaky"):
            test_every_url_pattern_is_in_the_registry()
    finally:
        monkeypatch.undo()
        clear_url_caches()


CHECKED = sorted(name for name, entry in REGISTRY.items() if not isinstance(entry, Excluded))
OWNED = sorted(name for name, entry in REGISTRY.items() if isinstance(entry, Owned))


@pytest.mark.parametrize("name", CHECKED)
def test_anonymous_writes_change_nothing(client, name):
    entry = REGISTRY[name]
    route, callback = url_patterns()[name]
    url = url_for(name, entry.build()) if isinstance(entry, Owned) else dummy_url(name, route)
    api = route.startswith("api/")
    for method in write_methods(callback):
        before = fingerprint()
        response = send(client, method, url, api)
        assert response.status_code < 500, (method, url, response.status_code)
        if isinstance(entry, Open):
            continue
        assert is_denied_anonymous(response), (method, url, response.status_code)
        after = fingerprint()
        assert after == before, f"anonymous {method.upper()} {url} changed {changes(before, after)}"


@pytest.mark.parametrize("name", OWNED)
def test_strangers_cannot_change_what_others_own(client, stranger, name):
    entry = REGISTRY[name]
    route, callback = url_patterns()[name]
    url = url_for(name, entry.build())
    api = route.startswith("api/")
    data = entry.data(stranger.enterprise_memberships.get().enterprise) if entry.data else None
    for method in entry.methods or write_methods(callback):
        before = fingerprint()
        response = send(client, method, url, api, data)
        assert response.status_code in entry.stranger, (method, url, response.status_code,
                                                        response.content[:300])
        after = fingerprint()
        assert after == before, (
            f"a stranger's {method.upper()} {url} changed {changes(before, after)}"
        )
