"""The public API fuzzed with schemathesis against its own OpenAPI schema (issue 7): every
operation, anonymously and as an ordinary seller, must answer without a server error, with a
status code the schema documents, the documented content type and a body matching the schema.

The schema is loaded from /api/v1/schema/ and requests go to the WSGI application in-process,
in the test database, which a fixture seeds so that lists and details return real objects.
Generation is derandomized so CI runs the same cases every time."""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from enterprises.models import Membership, Proposal, ProposalOption, SharedResource
from enterprises.services import bookings as booking_services
from marketplace.models import BulkOrder, JointOffer, OrderPart, PaymentMethod
from marketplace.services import orders as order_services
from marketplace.services import reviews as review_services
from tests.factories import (
    CategoryFactory,
    CooperativeFactory,
    ProductFactory,
    UserFactory,
    article,
    cart_with,
    cooperative_member,
    event,
    placed_order,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

# About a minute of fuzzing on SQLite (45 operations, twice), derandomized so that CI sends the
# same requests every run and a failure reproduces. Each operation is one test item, in its own
# savepoint of the seeded module transaction (see _seeded), so the function-scoped fixtures are
# meant to be shared by the examples of that operation. API_FUZZ_THOROUGH=1 adds schemathesis's
# coverage phase (every boundary and type mutation of every parameter: about 5,000 more
# requests, several minutes) and more random examples.
THOROUGH = os.environ.get("API_FUZZ_THOROUGH") == "1"
FUZZ_SETTINGS = settings(
    max_examples=100 if THOROUGH else 20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def _no_write_throttle(settings):
    """The write throttles (cms.api) answer 429 after a few dozen writes a minute; the fuzzer
    sends hundreds, and a 429 would hide what the endpoint does with the input. 429 stays
    documented on every write, and tests/cms/test_rate_limits.py tests the throttles."""
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api_write": "100000/minute",
                                   "api_write_anon": "100000/minute"},
    }


def _seed() -> dict:
    """Seeded once for the module, inside a transaction rolled back at its end; each test's
    own transaction (pytest-django's `db`) is a savepoint in it, so every operation starts from
    the same rows whatever the previous one wrote.

    A small village economy: a seller (the signed-in user of the authenticated run) who
    belongs to a cooperative, sells products, has sold and bought, and has a cart; the
    cooperative's bulk order, joint offer, proposal, resource and booking; an event, an article
    and a review."""
    now = timezone.now()
    cooperative = CooperativeFactory(name="Koperasi Kopi Sindoro")
    user, farm = cooperative_member(cooperative)
    Membership.objects.filter(enterprise=farm).update(joined_at=now - timedelta(days=60))
    manager, _ = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    coffee = ProductFactory(enterprise=farm, title="Kopi arabika Sindoro", stock=200)
    other = ProductFactory(title="Keripik singkong", stock=100)

    # A completed sale of the seller's coffee, reviewed by its buyer; and one still open.
    buyer = UserFactory()
    sold = placed_order((coffee, 2), buyer=buyer, method=PaymentMethod.CASH)
    part = sold.parts.get()
    for status in (OrderPart.Status.CONFIRMED, OrderPart.Status.SHIPPED,
                   OrderPart.Status.COMPLETED):
        part = order_services.order_part_advance(part=part, user=user, to_status=status)
    review_services.review_save(part=part, user=buyer, rating=5, text="Kopinya harum.")
    placed_order((coffee, 1))
    # The seller buys too, and has something in the cart.
    placed_order((other, 3), buyer=user)
    cart_with((other, 2), user=user)

    BulkOrder.objects.create(cooperative=cooperative, title="Pupuk NPK", unit="kg",
                             package_size=50, price_per_unit=12_000, min_packages=1,
                             deadline=now + timedelta(days=3))
    JointOffer.objects.create(
        cooperative=cooperative, title="Kopi hijau arabika", category=CategoryFactory(name="Kopi"),
        grade="Grade 1", unit="kg", target_quantity=500, price_per_unit=85_000,
        delivery_from=now.date() + timedelta(days=7),
        delivery_until=now.date() + timedelta(days=21),
    )
    proposal = Proposal.objects.create(
        cooperative=cooperative, title="Beli pengering kedua", body="Harga Rp 30 juta.",
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=2),
    )
    for position, label in enumerate(["Ya", "Tidak"]):
        ProposalOption.objects.create(proposal=proposal, label=label, position=position)
    huller = SharedResource.objects.create(cooperative=cooperative, name="Huller",
                                           kind="equipment", cost_per_hour=20_000)
    day = (now + timedelta(days=5)).replace(hour=8, minute=0, second=0, microsecond=0)
    booking_services.booking_create(user=user, resource=huller, enterprise=farm, starts_at=day,
                                    ends_at=day + timedelta(hours=2), note="")

    event(organiser_cooperative=cooperative)
    article()
    return {"user": user, "manager": manager}


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    # Requests go straight to the WSGI handler, not through Django's test client: keep the
    # handler from closing the connection (and its open transaction) after each request, as
    # the test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield _seed()
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(_seeded, db):
    return _seeded


@pytest.fixture
def seller_token(api_data):
    return Token.objects.create(user=api_data["user"]).key


# Loaded at collection, from the app itself (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/", get_wsgi_application(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": THOROUGH}}}),
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_anonymously(case, api_data):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_a_seller(case, seller_token):
    case.call_and_validate(headers={"Authorization": f"Token {seller_token}"}, checks=CHECKS)
