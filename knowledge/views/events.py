"""The actions around the event pages (Wagtail serves /events/ and /events/<slug>/ itself):
organising, RSVPs, attendance, calendars and the user's own events.

`pk` may be any language's copy of an event: every action works on the default-locale page,
and people are sent back to the page in the language they are using."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from wagtail.models import Locale

from knowledge import ical
from knowledge.forms.events import EventForm, RsvpForm
from knowledge.models import EventPage, Rsvp
from knowledge.selectors import events as selectors
from knowledge.selectors.visibility import page_check_viewable
from knowledge.services import events as services

FEED_SIZE = 500


def _event(request, pk: int, *, live_only: bool = False) -> EventPage:
    """The default-locale event for any copy's `pk`. People who do not organise it must be
    able to see it: a page editors restricted (login, password, groups) is not found for them,
    as Wagtail would not show it either. Its organisers and editors still reach it."""
    queryset = EventPage.objects.select_related("locale")
    if live_only:
        queryset = queryset.live()
    page = get_object_or_404(queryset, pk=pk)
    try:
        event = selectors.event_canonical(page)
    except EventPage.DoesNotExist:
        raise Http404 from None
    if not event.user_can_manage(request.user):
        for copy in {page, event}:
            page_check_viewable(page=copy, request=request)
    return event


def _managed(request, pk: int) -> EventPage:
    event = _event(request, pk)
    if not event.user_can_manage(request.user):
        raise PermissionDenied
    return event


def _page_url(request, event: EventPage) -> str:
    """The event's page in the language being used."""
    return selectors.event_in_locale(event).get_url(request) or "/"


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Organising ----------------------------------------------------------------------------------


def _form_page(request, form, event=None):
    return render(request, "knowledge/events/event_form.html", {
        "form": form, "event": event,
        "page_url": _page_url(request, event) if event is not None else None,
    })


@login_required
def event_create(request):
    enterprises, cooperatives = selectors.organiser_choices(user=request.user)
    if not enterprises and not cooperatives:
        return render(request, "knowledge/events/no_organiser.html", status=403)
    form = EventForm(request.POST or None, enterprises=enterprises, cooperatives=cooperatives)
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        organiser = data.pop("organiser")
        try:
            event = services.event_create(user=request.user, organiser=organiser, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your event is published. Share its link with the "
                                        "people you want to invite."))
            return redirect(_page_url(request, event))
    return _form_page(request, form)


@login_required
def event_edit(request, pk):
    event = _managed(request, pk)
    try:
        services.event_check_editable(event)
    except ValidationError as error:  # taken down or locked by editors: no form to fill in
        _flash(request, error)
        return redirect("my_events")
    enterprises, cooperatives = selectors.organiser_choices(user=request.user)
    form = EventForm(request.POST or None, enterprises=enterprises, cooperatives=cooperatives,
                     event=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, user=request.user,
                                          **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_page_url(request, event))
    return _form_page(request, form, event)


# --- RSVPs ---------------------------------------------------------------------------------------


@login_required
@require_POST
def event_rsvp(request, pk):
    event = _event(request, pk, live_only=True)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of your enterprises, or only yourself."))
        return redirect(_page_url(request, event))
    try:
        rsvp = services.rsvp_join(event=event, user=request.user,
                                  enterprise=form.cleaned_data["enterprise"])
    except ValidationError as error:
        _flash(request, error)
    else:
        if rsvp.status == Rsvp.Status.GOING:
            messages.success(request, _("You are going. See you there!"))
        else:
            position = selectors.rsvp_for_user(event=event, user=request.user).waiting_position
            messages.success(request, _(
                "The event is full: you are number %(position)s on the waiting list. We will "
                "tell you when a place comes free."
            ) % {"position": position})
    return redirect(_page_url(request, event))


@login_required
@require_POST
def event_rsvp_cancel(request, pk):
    event = _event(request, pk, live_only=True)
    before = selectors.rsvp_for_user(event=event, user=request.user)
    try:
        services.rsvp_cancel(event=event, user=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        waiting = before is not None and before.status == Rsvp.Status.WAITING
        messages.success(request, _("You left the waiting list.") if waiting
                         else _("Your place is cancelled."))
    return redirect(_page_url(request, event))


# --- Attendance ----------------------------------------------------------------------------------


@login_required
def event_attendance(request, pk):
    """Organisers tick who came, from the event's start."""
    event = _managed(request, pk)
    if request.method == "POST":
        present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
        try:
            services.attendance_mark(event=event, marked_by=request.user,
                                     present_rsvp_ids=present)
        except ValidationError as error:
            _flash(request, error)
        else:
            counts = selectors.event_counts(event=event)
            messages.success(request, _("Attendance saved: %(present)s of %(going)s came.") % {
                "present": counts.attended, "going": counts.going})
        return redirect("event_attendance", pk=event.pk)
    return render(request, "knowledge/events/attendance.html", {
        "event": event,
        "page": selectors.event_in_locale(event),
        "page_url": _page_url(request, event),
        "going_list": selectors.rsvp_list(event=event),
        "counts": selectors.event_counts(event=event),
        "has_started": event.starts_at <= timezone.now(),
    })


# --- Calendars -----------------------------------------------------------------------------------


def _ical_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def event_ical(request, pk):
    """One event, for "Add to calendar"."""
    event = _event(request, pk, live_only=True)
    page = selectors.event_in_locale(event)
    if page.pk != event.pk and not event.user_can_manage(request.user):
        page_check_viewable(page=page, request=request)
    url = request.build_absolute_uri(page.get_url(request))
    body = ical.calendar_to_ical([(page, event.pk, url)], name=page.title)
    return _ical_response(body, filename=f"{event.slug}.ics")


@require_safe
def event_feed(request):
    """Upcoming events in the language being used (?kind=, ?regency=<slug>), to subscribe to."""
    queryset = EventPage.objects.filter(locale=Locale.get_active())
    if request.GET.get("regency"):
        queryset = queryset.filter(regency__slug=request.GET["regency"])
    kind = request.GET.get("kind", "")
    events = selectors.event_list(queryset=queryset,
                                  kind=kind if kind in EventPage.Kind.values else "")
    entries = [(page, page.canonical_id, request.build_absolute_uri(page.get_url(request)))
               for page in events[:FEED_SIZE]]
    return _ical_response(ical.calendar_to_ical(entries, name=_("Guyub events")))


# --- The user's events ---------------------------------------------------------------------------


@login_required
@require_safe
def my_events(request):
    """The user's RSVPs, upcoming and past, and the events they organise."""
    upcoming = list(selectors.rsvp_list_for_user(user=request.user))
    past = Paginator(selectors.rsvp_list_for_user(user=request.user, when=selectors.WHEN_PAST),
                     selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    organised = list(selectors.event_list_organised(user=request.user)[:selectors.PAGE_SIZE])
    pages = selectors.events_in_locale(
        events=[rsvp.event for rsvp in [*upcoming, *past.object_list]] + organised
    )
    for rsvp in [*upcoming, *past.object_list]:
        rsvp.page = pages[rsvp.event_id]
    for event in organised:
        event.page = pages[event.pk]
    return render(request, "knowledge/events/my_events.html", {
        "upcoming": upcoming, "past": past, "organised": organised,
    })
