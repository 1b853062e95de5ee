"""/events/ actions; "" itself and /events/<slug>/ are Wagtail pages (mounted before Wagtail's
catch-all, so event slugs avoid "new" and "mine")."""

from django.urls import path

from knowledge.views import events

urlpatterns = [
    path("new/", events.event_create, name="event_create"),
    path("mine/", events.my_events, name="my_events"),
    path("calendar.ics", events.event_feed, name="event_feed"),
    path("<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("<int:pk>/rsvp/", events.event_rsvp, name="event_rsvp"),
    path("<int:pk>/rsvp/cancel/", events.event_rsvp_cancel, name="event_rsvp_cancel"),
    path("<int:pk>/attendance/", events.event_attendance, name="event_attendance"),
    path("<int:pk>/event.ics", events.event_ical, name="event_ical"),
]
