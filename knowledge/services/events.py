"""Events and trainings: RSVPs with a first-come waiting list, organisers' own events, and the
attendance that records co-attendance ties for the network analysis.

Every write works on the event's page in the default locale and locks its row first
(select_for_update), so places are counted one request at a time: a capacity of 3 gives exactly
3 places however many people press "RSVP" at once."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from cms.services import notification_send
from enterprises.models import Cooperative, Enterprise, Tie
from enterprises.selectors import user_can_manage_enterprise
from enterprises.selectors.cooperatives import user_is_manager
from enterprises.services.ties import ties_record_between
from knowledge.formatting import one_line
from knowledge.models import EventPage, Rsvp
from knowledge.selectors.events import event_canonical, places_left
from knowledge.services.pages import page_add, section_page

Status = Rsvp.Status

# Fields an organiser edits. The logistics are the same in every language: they are copied to
# translated pages (aliases follow the original by themselves).
LOGISTICS = ("kind", "starts_at", "ends_at", "venue", "regency", "online_url", "capacity",
             "organiser_enterprise", "organiser_cooperative", "image")
TEXTS = ("title", "summary", "body")
ORGANISER_FIELDS = ("organiser_enterprise", "organiser_cooperative")
# Texts kept on one line, spaces collapsed.
ONE_LINE = ("title", "summary", "venue")
# /events/new/ and /events/mine/ are views, not pages.
RESERVED_SLUGS = frozenset({"new", "mine"})


def _locked(event: EventPage) -> EventPage:
    return EventPage.objects.select_for_update().get(pk=event_canonical(event).pk)


def _start_day(event: EventPage) -> datetime.date:
    return timezone.localtime(event.starts_at, ZoneInfo(settings.TIME_ZONE)).date()


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def _going_count(event: EventPage) -> int:
    return Rsvp.objects.filter(event=event, status=Status.GOING).count()


# --- RSVPs ---------------------------------------------------------------------------------------


def _promote(event: EventPage) -> list[Rsvp]:
    """Give free places to the waiting list, first come first served, and tell them. The
    caller holds the event's lock."""
    left = places_left(capacity=event.capacity, going=_going_count(event))
    if left == 0:
        return []
    waiting = (Rsvp.objects.filter(event=event, status=Status.WAITING).select_related("user")
               .order_by("requested_at", "pk"))
    promoted = list(waiting if left is None else waiting[:left])
    if not promoted:
        return []
    Rsvp.objects.filter(pk__in=[rsvp.pk for rsvp in promoted]).update(
        status=Status.GOING, updated_at=timezone.now()
    )
    for rsvp in promoted:
        rsvp.status = Status.GOING
    with translation.override(settings.LANGUAGE_CODE):
        start = timezone.localtime(event.starts_at, ZoneInfo(settings.TIME_ZONE))
        notification_send(
            users=[rsvp.user for rsvp in promoted], kind="event_place",
            title=_("You have a place at %(event)s") % {"event": event.title},
            body=_("A place came free and it is yours: %(when)s. If you cannot come, cancel "
                   "so the next person can.") % {"when": date_format(start, "l, j F Y, H.i")},
            url=event.url or "",
        )
    return promoted


@transaction.atomic
def rsvp_join(*, event: EventPage, user, enterprise: Enterprise | None = None) -> Rsvp:
    """A place if one is left (no capacity: no limit), else the back of the waiting list.
    Joining again while going or waiting changes nothing; joining after cancelling starts again
    at the back."""
    event = _locked(event)
    if enterprise is not None and not user_can_manage_enterprise(user=user, enterprise=enterprise):
        raise PermissionDenied(_("You can only come on behalf of an enterprise you run."))
    if not event.live:
        raise ValidationError(_("This event is not published."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event has ended: RSVPs are closed."))
    rsvp = Rsvp.objects.filter(event=event, user=user).first()
    if rsvp is not None and rsvp.status != Status.CANCELLED:
        return rsvp
    _promote(event)  # places freed outside these services (e.g. capacity raised in the admin)
    left = places_left(capacity=event.capacity, going=_going_count(event))
    status = Status.WAITING if left == 0 else Status.GOING
    if rsvp is None:
        return Rsvp.objects.create(event=event, user=user, enterprise=enterprise, status=status,
                                   requested_at=timezone.now())
    rsvp.status = status
    rsvp.enterprise = enterprise
    rsvp.attended = None
    rsvp.requested_at = timezone.now()
    rsvp.save()
    return rsvp


@transaction.atomic
def rsvp_cancel(*, event: EventPage, user) -> Rsvp:
    """Give up a place (or leave the waiting list). A freed place goes to the first person
    waiting, who is told."""
    event = _locked(event)
    rsvp = Rsvp.objects.select_for_update().filter(event=event, user=user).first()
    if rsvp is None:
        raise ValidationError(_("You have not RSVPed to this event."))
    if rsvp.status == Status.CANCELLED:
        return rsvp
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event has ended."))
    was_going = rsvp.status == Status.GOING
    rsvp.status = Status.CANCELLED
    rsvp.attended = None
    rsvp.save(update_fields=["status", "attended", "updated_at"])
    if was_going:
        _promote(event)
    return rsvp


# --- Organisers' events --------------------------------------------------------------------------


def _check_organiser(*, user, organiser) -> dict:
    """The organiser fields for an Enterprise the user runs or a Cooperative they manage."""
    if isinstance(organiser, Enterprise) and organiser.is_active \
            and user_can_manage_enterprise(user=user, enterprise=organiser):
        return {"organiser_enterprise": organiser, "organiser_cooperative": None}
    if isinstance(organiser, Cooperative) and organiser.is_active \
            and user_is_manager(user=user, cooperative=organiser):
        return {"organiser_enterprise": None, "organiser_cooperative": organiser}
    raise PermissionDenied(
        _("Events are organised by an enterprise you run or a cooperative you manage.")
    )


def _check_fields(values: dict, *, start_changed: bool) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the event a name.")
    if values.get("kind") not in EventPage.Kind.values:
        errors["kind"] = _("Choose what kind of event it is.")
    if not (values.get("summary") or "").strip():
        errors["summary"] = _("Say in a sentence or two what happens there.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Enter when the event starts.")
    elif start_changed and starts < timezone.now():
        errors["starts_at"] = _("The start is in the past. Choose a time to come.")
    if ends is None:
        errors["ends_at"] = _("Enter when the event ends.")
    elif starts is not None and ends <= starts:
        errors["ends_at"] = _("The event must end after it starts.")
    if not (values.get("venue") or "").strip() and not values.get("online_url"):
        errors["venue"] = _("Give a place, or an online link for an online event.")
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Give at least 1 place, or leave it empty for no limit.")
    if errors:
        raise ValidationError(errors)


def _free_slug(title: str, parent) -> str:
    base = slugify(title)[:60].strip("-") or "acara"
    slug = base
    while slug in RESERVED_SLUGS or not EventPage._slug_is_available(slug, parent):
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _fields(fields: dict) -> dict:
    # The organiser is given as `organiser` and checked, never set directly.
    unknown = set(fields) - (set(LOGISTICS) - set(ORGANISER_FIELDS)) - set(TEXTS)
    if unknown:
        raise TypeError(f"Unknown event fields: {', '.join(sorted(unknown))}")
    values = dict(fields)
    for name in ONE_LINE:  # no line breaks: they end up in calendars and mail subjects
        if name in values:
            values[name] = one_line(values[name])
    return values


@transaction.atomic
def event_create(*, user, organiser: Enterprise | Cooperative, **fields) -> EventPage:
    """A new event, published at once under /events/ (organisers are trusted with their own
    events), with its English alias."""
    values = _fields(fields) | _check_organiser(user=user, organiser=organiser)
    values.setdefault("venue", "")
    values.setdefault("online_url", "")
    _check_fields(values, start_changed=True)
    parent = section_page("EventIndexPage")
    page = EventPage(owner=user, slug=_free_slug(values["title"], parent), **values)
    return page_add(parent=parent, page=page, user=user)


def event_check_editable(event: EventPage) -> None:
    """ValidationError unless organisers may change the event: editors who took it down or
    locked it have the last word, and an organiser's edit must not publish it again."""
    if not event.live:
        raise ValidationError(
            _("Editors have taken this event down; ask them to publish it again.")
        )
    if event.locked:
        raise ValidationError(
            _("Editors have locked this event; ask them to unlock it before you change it.")
        )


def _sync_translations(*, event: EventPage, user, hidden: set[int]) -> None:
    """Copy the logistics to translated pages. Only those that are live are published again:
    a translation editors took down stays down, with the change in its draft. Publishing the
    original put its aliases live; the ones in `hidden` (down before) go down again."""
    if hidden:
        Page.objects.filter(pk__in=hidden, alias_of__isnull=False).update(live=False)
    for page in event.get_translations().filter(alias_of__isnull=True).specific():
        for name in LOGISTICS:
            setattr(page, name, getattr(event, name))
        revision = page.save_revision(user=user)
        if page.live and not page.locked:
            revision.publish(user=user, skip_permission_checks=True)


@transaction.atomic
def event_update(*, event: EventPage, user, **fields) -> EventPage:
    """Change an event (its organisers only). The capacity cannot go below the people already
    going; when it grows, the waiting list moves up in order and is told."""
    event = _locked(event)
    if not event.user_can_manage(user):
        raise PermissionDenied(_("Only the organisers can change this event."))
    event_check_editable(event)
    organiser = fields.pop("organiser", None)
    values = _fields(fields)
    for name in ("starts_at", "ends_at"):  # forms send whole minutes: unchanged is unchanged
        if values.get(name) is not None and _minute(values[name]) == _minute(getattr(event, name)):
            del values[name]
    if organiser is not None and organiser != event.organiser:
        values |= _check_organiser(user=user, organiser=organiser)
    current = {name: getattr(event, name) for name in (*LOGISTICS, *TEXTS)}
    merged = current | values
    _check_fields(merged, start_changed=merged["starts_at"] != event.starts_at)
    going = _going_count(event)
    capacity = merged["capacity"]
    if capacity is not None and capacity < going:
        raise ValidationError({"capacity": ngettext(
            "%(count)s person is already going: keep at least %(count)s place.",
            "%(count)s people are already going: keep at least %(count)s places.",
            going,
        ) % {"count": going}})
    grew = event.capacity is not None and (capacity is None or capacity > event.capacity)
    for name, value in values.items():
        setattr(event, name, value)
    hidden = set(event.get_translations().filter(live=False).values_list("pk", flat=True))
    event.save_revision(user=user, log_action=True).publish(user=user,
                                                            skip_permission_checks=True)
    event = EventPage.objects.get(pk=event.pk)
    _sync_translations(event=event, user=user, hidden=hidden)
    if grew:
        _promote(event)
    return event


# --- Attendance ----------------------------------------------------------------------------------


@transaction.atomic
def attendance_mark(*, event: EventPage, marked_by, present_rsvp_ids: set[int]) -> None:
    """The organisers mark who came, from the event's start: the going RSVPs listed are present,
    the other going ones absent. Every two enterprises present now share a co-attendance tie
    (started on the event's day). Unmarking someone later keeps the ties already recorded: the
    tie stands for a meeting that was confirmed once."""
    event = _locked(event)
    if not event.user_can_manage(marked_by):
        raise PermissionDenied(_("Only the organisers can mark attendance."))
    if timezone.now() < event.starts_at:
        raise ValidationError(_("Attendance can be marked once the event has started."))
    going = Rsvp.objects.filter(event=event, status=Status.GOING)
    present = {int(pk) for pk in present_rsvp_ids}
    going.filter(pk__in=present).update(attended=True, updated_at=timezone.now())
    going.exclude(pk__in=present).update(attended=False, updated_at=timezone.now())
    enterprises = list(Enterprise.objects.filter(
        pk__in=going.filter(attended=True, enterprise__isnull=False).values("enterprise")
    ).only("pk"))
    ties_record_between(kind=Tie.Kind.CO_ATTENDANCE, enterprises=enterprises,
                        started_on=_start_day(event), evidence=f"event:{event.pk}")
