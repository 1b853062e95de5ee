"""Reads for the events pages, the organisers' tools, "my events", the iCal feed and the API.

RSVPs attach to the event page in the original (Indonesian) locale (`canonical`). Lists of
events in another locale (the English aliases under /en/events/) reach their RSVPs through the
page's translation_key, in a subquery, so a page of events costs the same queries however long
it is."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Locale, Page

from enterprises.models import Cooperative, Enterprise, Membership, Region
from knowledge.models import EventPage, Rsvp
from knowledge.selectors.visibility import pages_visible
from knowledge.services.pages import original_locale

PAGE_SIZE = 20
WHEN_UPCOMING = "upcoming"
WHEN_PAST = "past"

Status = Rsvp.Status


# --- The default-locale page ---------------------------------------------------------------------


def default_locale() -> Locale:
    """The original (Indonesian) locale, where RSVPs are recorded, whatever language is active."""
    return original_locale()


def event_canonical(event: EventPage, *, locale: Locale | None = None) -> EventPage:
    """The event page in the default locale, where RSVPs are recorded (the page itself when it
    is already in it)."""
    locale = locale or default_locale()
    if event.locale_id == locale.pk:
        return event
    return EventPage.objects.select_related("locale").get(
        translation_key=event.translation_key, locale=locale
    )


def event_in_locale(event: EventPage, *, locale: Locale | None = None) -> EventPage:
    """The same event in `locale` (the active language by default), or the event itself when
    that locale has no copy of it."""
    locale = locale or Locale.get_active()
    if event.locale_id == locale.pk:
        return event
    return (EventPage.objects.select_related("locale")
            .filter(translation_key=event.translation_key, locale=locale).first() or event)


# --- Lists of events -----------------------------------------------------------------------------


def _rsvp_count(status: str, *, locale_id: int):
    rsvps = (Rsvp.objects.filter(event__translation_key=OuterRef("translation_key"),
                                 event__locale_id=locale_id, status=status)
             .order_by().values("event").annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(rsvps, output_field=IntegerField()), Value(0))


def events_with_counts(queryset: QuerySet[EventPage]) -> QuerySet[EventPage]:
    """Events with `going_count`, `waiting_count` and `canonical_id` (the default-locale page's
    id, which RSVPs point to), whatever locale the pages are in."""
    locale_id = default_locale().pk
    canonical = Page.objects.filter(translation_key=OuterRef("translation_key"),
                                    locale_id=locale_id).values("pk")[:1]
    return queryset.annotate(
        going_count=_rsvp_count(Status.GOING, locale_id=locale_id),
        waiting_count=_rsvp_count(Status.WAITING, locale_id=locale_id),
        canonical_id=Subquery(canonical, output_field=IntegerField()),
    )


def _live_when(queryset: QuerySet[EventPage], when: str) -> QuerySet[EventPage]:
    """Live events nobody restricted (see pages_visible), upcoming (not ended yet, soonest
    first) or past (newest first)."""
    now = timezone.now()
    queryset = pages_visible(queryset)
    if when == WHEN_PAST:
        return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")


def event_list(*, queryset: QuerySet[EventPage] | None = None, when: str = WHEN_UPCOMING,
               kind: str = "", regency: Region | None = None) -> QuerySet[EventPage]:
    """Live events nobody restricted, upcoming (not ended yet, soonest first) or past (newest
    first), with their organiser, regency and RSVP counts."""
    queryset = EventPage.objects.all() if queryset is None else queryset
    queryset = _live_when(queryset, when).select_related(
        "locale", "regency", "organiser_enterprise", "organiser_cooperative"
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if regency is not None:
        queryset = queryset.filter(regency=regency)
    return events_with_counts(queryset)


def event_list_upcoming(*, locale: Locale | None = None, limit: int = 3) -> list[EventPage]:
    """The next few events in `locale` (the active language by default), e.g. for the home
    page or the dashboard."""
    locale = locale or Locale.get_active()
    return list(event_list(queryset=EventPage.objects.filter(locale=locale))[:limit])


def places_left(*, capacity: int | None, going: int) -> int | None:
    """None when there is no limit."""
    if capacity is None:
        return None
    return max(capacity - going, 0)


def _user_rsvps(*, user, event_ids) -> dict[int, Rsvp]:
    if not user.is_authenticated:
        return {}
    return {rsvp.event_id: rsvp for rsvp in Rsvp.objects.filter(user=user, event_id__in=event_ids)
            .exclude(status=Status.CANCELLED)}


def event_index_context(*, page, request) -> dict:
    """/events/: upcoming events by default, the archive with ?when=past; filters ?kind= and
    ?regency=<slug>; 20 a page."""
    params = request.GET
    when = WHEN_PAST if params.get("when") == WHEN_PAST else WHEN_UPCOMING
    kind = params.get("kind", "")
    if kind not in EventPage.Kind.values:
        kind = ""
    children = EventPage.objects.child_of(page)
    regencies = Region.objects.filter(
        pk__in=_live_when(children, when).values("regency")
    ).order_by("name")
    regency = None
    if params.get("regency"):
        regency = next((r for r in regencies if r.slug == params["regency"]), None)
    events = event_list(queryset=children, when=when, kind=kind, regency=regency)
    page_obj = Paginator(events, PAGE_SIZE).get_page(params.get("page"))
    for event in page_obj.object_list:
        event.places_left = places_left(capacity=event.capacity, going=event.going_count)
    mine = _user_rsvps(user=request.user,
                       event_ids=[event.canonical_id for event in page_obj.object_list])
    for event in page_obj.object_list:
        event.my_rsvp = mine.get(event.canonical_id)
    return {
        "events": page_obj,
        "when": when,
        "kind": kind,
        "kinds": EventPage.Kind.choices,
        "regencies": regencies,
        "regency": regency,
        "is_filtered": bool(kind or regency),
    }


# --- One event -----------------------------------------------------------------------------------


@dataclass
class EventCounts:
    going: int
    waiting: int
    attended: int
    places_left: int | None

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def event_counts(*, event: EventPage) -> EventCounts:
    """Counts for the default-locale `event`."""
    totals = Rsvp.objects.filter(event=event).aggregate(
        going=Count("pk", filter=Q(status=Status.GOING)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        attended=Count("pk", filter=Q(status=Status.GOING, attended=True)),
    )
    return EventCounts(places_left=places_left(capacity=event.capacity, going=totals["going"]),
                       **totals)


def _earlier_in_queue():
    """Waiting RSVPs of the same event ahead of the outer one."""
    return Rsvp.objects.filter(
        Q(requested_at__lt=OuterRef("requested_at"))
        | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk")),
        event=OuterRef("event"), status=Status.WAITING,
    )


def with_waiting_position(queryset: QuerySet[Rsvp]) -> QuerySet[Rsvp]:
    """RSVPs with `waiting_position` (1 = next to get a place; meaningful for waiting ones)."""
    ahead = (_earlier_in_queue().order_by().values("event").annotate(n=Count("pk"))
             .values("n")[:1])
    return queryset.annotate(
        waiting_position=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1
    )


def rsvp_for_user(*, event: EventPage, user) -> Rsvp | None:
    """The user's RSVP to the default-locale `event` (cancelled ones too), with its place in
    the waiting list."""
    if not user.is_authenticated:
        return None
    return with_waiting_position(
        Rsvp.objects.filter(event=event, user=user).select_related("enterprise")
    ).first()


def rsvp_list(*, event: EventPage, status: str = Status.GOING) -> QuerySet[Rsvp]:
    """Who is going (or waiting), in the order they asked, with their enterprise."""
    return (Rsvp.objects.filter(event=event, status=status)
            .select_related("user", "enterprise").order_by("requested_at", "pk"))


def person_name(user) -> str:
    """How organisers see a person: first name (and last), else the username."""
    return user.get_full_name() or user.get_username()


def enterprises_for_rsvp(*, user) -> list[Enterprise]:
    """The active enterprises the user runs: whom they can come for."""
    if not user.is_authenticated:
        return []
    return list(Enterprise.objects.filter(memberships__user=user, is_active=True)
                .order_by("name", "pk").distinct())


def event_page_context(*, page, request) -> dict:
    locale = default_locale()
    event = event_canonical(page, locale=locale)
    user = request.user
    counts = event_counts(event=event)
    now = timezone.now()
    can_manage = event.user_can_manage(user)
    rsvp = rsvp_for_user(event=event, user=user)
    parent = page.get_parent()
    return {
        "event": event,
        "index_url": parent.get_url(request) if parent else "",
        "counts": counts,
        "has_started": event.starts_at <= now,
        "has_ended": event.ends_at < now,
        "my_rsvp": rsvp if rsvp and rsvp.status != Status.CANCELLED else None,
        "cancelled_rsvp": rsvp if rsvp and rsvp.status == Status.CANCELLED else None,
        "rsvp_enterprises": enterprises_for_rsvp(user=user),
        "can_manage": can_manage,
        "going_list": list(rsvp_list(event=event)) if can_manage else [],
        "waiting_list": list(rsvp_list(event=event, status=Status.WAITING))
        if can_manage else [],
    }


# --- The user's events --------------------------------------------------------------------------


def rsvp_list_for_user(*, user, when: str = WHEN_UPCOMING) -> QuerySet[Rsvp]:
    """The user's RSVPs (cancelled ones too) to live events, upcoming soonest first or past
    newest first, with the waiting-list position."""
    queryset = Rsvp.objects.filter(user=user, event__live=True).select_related(
        "event", "event__locale", "event__regency", "enterprise"
    )
    now = timezone.now()
    if when == WHEN_PAST:
        queryset = queryset.filter(event__ends_at__lt=now).order_by("-event__starts_at", "-pk")
    else:
        queryset = queryset.filter(event__ends_at__gte=now).order_by("event__starts_at", "pk")
    return with_waiting_position(queryset)


def events_in_locale(*, events, locale: Locale | None = None) -> dict[int, EventPage]:
    """{default-locale event id: the same event in `locale`} in one query, falling back to the
    event itself."""
    locale = locale or Locale.get_active()
    events = list(events)
    found = {page.translation_key: page for page in EventPage.objects.select_related("locale")
             .filter(locale=locale, translation_key__in=[e.translation_key for e in events])}
    return {event.pk: found.get(event.translation_key, event) for event in events}


# --- Organisers ----------------------------------------------------------------------------------


def organiser_choices(*, user) -> tuple[list[Enterprise], list[Cooperative]]:
    """What the user may organise for: the active enterprises they run and the active
    cooperatives they manage."""
    if not user.is_authenticated:
        return [], []
    enterprises = enterprises_for_rsvp(user=user)
    cooperatives = list(Cooperative.objects.filter(
        is_active=True,
        memberships__status=Membership.Status.ACTIVE,
        memberships__role=Membership.Role.MANAGER,
        memberships__enterprise__memberships__user=user,
    ).order_by("name", "pk").distinct())
    return enterprises, cooperatives


def event_list_organised(*, user) -> QuerySet[EventPage]:
    """Upcoming live default-locale events organised by the user's enterprises or the
    cooperatives they manage, soonest first (for the dashboard)."""
    enterprises, cooperatives = organiser_choices(user=user)
    return event_list(
        queryset=EventPage.objects.filter(locale=default_locale()).filter(
            Q(organiser_enterprise__in=enterprises) | Q(organiser_cooperative__in=cooperatives)
        ),
    )
