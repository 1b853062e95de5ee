"""Events and trainings under /api/v1/events/ (read-only)."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.generics import get_object_or_404

from enterprises.models import Cooperative, Enterprise, Region
from knowledge.models import EventPage
from knowledge.selectors import events as selectors
from knowledge.selectors.visibility import pages_visible

# Page ids are 32-bit integers: a larger "id" is no event (and no query).
MAX_ID = 2**31 - 1

# The language events are written in first (Indonesian), whatever language is active.
ORIGINAL_LANGUAGE = settings.WAGTAIL_CONTENT_LANGUAGES[0][0]


class OrganiserSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["enterprise", "cooperative"])
    slug = serializers.SlugField()
    name = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    regency = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    organiser = serializers.SerializerMethodField()
    going_count = serializers.IntegerField(read_only=True)
    waiting_count = serializers.IntegerField(read_only=True)
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = EventPage
        fields = ["id", "title", "url", "kind", "summary", "starts_at", "ends_at", "venue",
                  "regency", "online_url", "organiser", "capacity", "going_count",
                  "waiting_count", "places_left"]

    def get_url(self, event) -> str:
        request = self.context.get("request")
        url = event.get_url(request) or ""
        return request.build_absolute_uri(url) if request and url else url

    @extend_schema_field(OrganiserSerializer(allow_null=True))
    def get_organiser(self, event) -> dict | None:
        if event.organiser_cooperative_id:
            kind, organiser = "cooperative", event.organiser_cooperative
        elif event.organiser_enterprise_id:
            kind, organiser = "enterprise", event.organiser_enterprise
        else:
            return None
        return {"type": kind, "slug": organiser.slug, "name": organiser.name}

    def get_places_left(self, event) -> int | None:
        """Empty when there is no limit."""
        return selectors.places_left(capacity=event.capacity, going=event.going_count)


class EventFilter(django_filters.FilterSet):
    locale = django_filters.ChoiceFilter(
        choices=settings.WAGTAIL_CONTENT_LANGUAGES, method="filter_nothing",
        label=_("Language of the pages (default: id, the language events are written in)"),
    )
    when = django_filters.ChoiceFilter(
        choices=[(selectors.WHEN_UPCOMING, _("Upcoming (soonest first)")),
                 (selectors.WHEN_PAST, _("Past (newest first)"))],
        method="filter_nothing", label=_("Upcoming (default) or past"),
    )
    kind = django_filters.ChoiceFilter(choices=EventPage.Kind.choices, label=_("Kind"))
    regency = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.REGENCY), to_field_name="slug",
        label=_("Regency or city"),
    )
    organiser_enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), to_field_name="slug", label=_("Organising enterprise"),
    )
    organiser_cooperative = django_filters.ModelChoiceFilter(
        queryset=Cooperative.objects.all(), to_field_name="slug",
        label=_("Organising cooperative"),
    )

    class Meta:
        model = EventPage
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which also knows their defaults

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        queryset = queryset.filter(locale__language_code=data.get("locale") or ORIGINAL_LANGUAGE)
        return selectors.event_list(queryset=queryset,
                                    when=data.get("when") or selectors.WHEN_UPCOMING)


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Published events and trainings in one language (?locale=, `id` by default): upcoming
    ones soonest first, or ?when=past newest first. RSVP counts are those of the event in every
    language. A single event is found by the id of any language's page."""

    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return EventPage.objects.all()

    def get_object(self):
        """Any live event nobody restricted, past or upcoming, in any language (the list's
        filters do not apply). An id that is no number, or too large for the database, is
        not found either (a JSON 404, like any other unknown event)."""
        pk = self.kwargs["pk"]
        if not (pk.isascii() and pk.isdigit()) or int(pk) > MAX_ID:
            raise exceptions.NotFound
        return get_object_or_404(selectors.events_with_counts(
            pages_visible(EventPage.objects.all()).select_related(
                "locale", "regency", "organiser_enterprise", "organiser_cooperative"
            )
        ), pk=int(pk))
