"""What the knowledge demo modules share: the demo people and the enterprises they act for, and
Jakarta wall-clock times relative to today."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises import demo as enterprise_demo
from enterprises.models import Cooperative, Enterprise, Membership

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(days: float, hour: int = 9, minute: int = 0, *, weekday: int | None = None) -> datetime:
    """A Jakarta wall-clock time `days` from today (negative: in the past). With `weekday`
    (0 Monday ... 6 Sunday) the day moves to that weekday, away from today, so a past day stays
    past and a coming day stays to come."""
    today = timezone.localdate(timezone=JAKARTA)
    day = today + timedelta(days=int(days))
    if weekday is not None:
        if days < 0:
            day -= timedelta(days=(day.weekday() - weekday) % 7)
        else:
            day += timedelta(days=(weekday - day.weekday()) % 7)
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)
    return moment + timedelta(days=days - int(days))


def _default_enterprises() -> dict[str, str]:
    """Each demo user's own enterprise (the first they run in enterprises.demo), by username."""
    mapping: dict[str, str] = {}
    for spec in enterprise_demo.ENTERPRISES:
        mapping.setdefault(spec.owner, spec.slug)
        for username in spec.staff:
            mapping.setdefault(username, spec.slug)
    return mapping


DEFAULT_ENTERPRISE = _default_enterprises()
RUNNER = {spec.slug: spec.owner for spec in enterprise_demo.ENTERPRISES}


class Cast:
    """The demo's users and enterprises, loaded once per seeding run."""

    def __init__(self):
        self.users = get_user_model().objects.in_bulk(field_name="username")
        self.enterprises = Enterprise.objects.filter(
            slug__in=list(RUNNER)
        ).in_bulk(field_name="slug")

    def user(self, username: str):
        return self.users[username]

    def has(self, *who: str) -> bool:
        """Whether every person named ("username" or "username@...") exists; some come from
        other apps' demos (Hendra the roaster from marketplace.demo_orders)."""
        return all(name.partition("@")[0] in self.users for name in who)

    def enterprise(self, slug: str | None) -> Enterprise | None:
        return self.enterprises.get(slug) if slug else None

    def acting(self, who: str):
        """(user, enterprise) from "username" (acting for their own enterprise, if any),
        "username@enterprise-slug", or "username@" (acting for no enterprise)."""
        username, _at, slug = who.partition("@")
        if not _at:
            slug = DEFAULT_ENTERPRISE.get(username, "")
        return self.users[username], self.enterprise(slug)

    def runner(self, enterprise_slug: str):
        """The owner of a demo enterprise."""
        return self.users[RUNNER[enterprise_slug]]

    def manager(self, cooperative: Cooperative):
        """The owner of the cooperative's managing enterprise."""
        membership = cooperative.memberships.filter(role=Membership.Role.MANAGER).select_related(
            "enterprise").order_by("pk").first()
        return self.runner(membership.enterprise.slug)
