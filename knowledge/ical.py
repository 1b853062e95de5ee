"""Events as iCalendar (RFC 5545), for "Add to calendar" and a subscribable feed.

Times are written in UTC, which every calendar app reads and shows in the phone's own zone.
An event keeps one UID in every language (from its default-locale page), so adding the English
and the Indonesian page does not make two entries."""

import datetime
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from knowledge.models import EventPage

PRODID = "-//Guyub//Events and trainings//ID"


def _uid(canonical_id: int) -> str:
    host = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "guyub"
    return f"event-{canonical_id}@{host}"


def _location(page: EventPage) -> str:
    place = ", ".join(part for part in (page.venue, page.regency.name if page.regency else "")
                      if part)
    return place or page.online_url


def event_vevent(page: EventPage, *, canonical_id: int, url: str,
                 stamp: datetime.datetime | None = None) -> Event:
    vevent = Event()
    vevent.add("uid", _uid(canonical_id))
    vevent.add("dtstamp", stamp or timezone.now().astimezone(datetime.UTC))
    vevent.add("dtstart", page.starts_at.astimezone(datetime.UTC))
    vevent.add("dtend", page.ends_at.astimezone(datetime.UTC))
    vevent.add("summary", page.title)
    description = [page.summary]
    if page.online_url:
        description.append(page.online_url)
    description.append(url)
    vevent.add("description", "\n\n".join(part for part in description if part))
    location = _location(page)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("categories", [str(page.get_kind_display())])
    if page.last_published_at:
        vevent.add("last-modified", page.last_published_at.astimezone(datetime.UTC))
    vevent.add("status", "CONFIRMED")
    return vevent


def calendar_to_ical(entries, *, name: str) -> bytes:
    """`entries` are (page, canonical_id, absolute url) triples."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is no text to icalendar unless told: a line break in the name (a page's
    # title) would otherwise break the file.
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(datetime.UTC)
    for page, canonical_id, url in entries:
        calendar.add_component(event_vevent(page, canonical_id=canonical_id, url=url,
                                            stamp=stamp))
    return calendar.to_ical()
