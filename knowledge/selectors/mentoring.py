"""Reads for mentoring: the public list of offers and what each side sees on its dashboard."""

from django.db.models import Prefetch, Q, QuerySet

from enterprises.models import Enterprise
from knowledge.models import MentoringOffer, MentoringRequest

# Requests that still hold the pair (offer, mentee): the model's partial unique constraint.
OPEN_STATUSES = (MentoringRequest.Status.REQUESTED, MentoringRequest.Status.ACCEPTED)
# The dashboard shows this many past answers and relationships; older ones stay in the database.
DASHBOARD_LIMIT = 50


def _logo_renditions(path: str) -> Prefetch:
    from wagtail.images import get_image_model

    from marketplace import images

    return Prefetch(path, queryset=get_image_model().objects.prefetch_renditions(images.LOGO))


def mentoring_offer_list_active() -> QuerySet[MentoringOffer]:
    """Offers taking requests, from active enterprises."""
    return MentoringOffer.objects.filter(is_active=True, mentor__is_active=True)


def mentoring_offer_list_cards(queryset: QuerySet[MentoringOffer] | None = None):
    """Offer cards: the skill and the mentor's card (logo rendition, regions) in fixed queries."""
    queryset = mentoring_offer_list_active() if queryset is None else queryset
    return queryset.select_related(
        "skill", "mentor", "mentor__regency", "mentor__province"
    ).prefetch_related(_logo_renditions("mentor__logo"))


def mentoring_offer_list_for_enterprise(*, enterprise: Enterprise) -> QuerySet[MentoringOffer]:
    """The enterprise's active offers, for its public page."""
    return enterprise.mentoring_offers.filter(is_active=True).select_related("skill").order_by(
        "skill__name", "pk"
    )


def mentoring_offer_list_for_mentors(*, enterprises) -> QuerySet[MentoringOffer]:
    """All offers (active and paused) of these enterprises, for their dashboard."""
    return MentoringOffer.objects.filter(mentor__in=enterprises).select_related(
        "skill", "mentor"
    ).order_by("mentor__name", "skill__name", "pk")


def _request_list() -> QuerySet[MentoringRequest]:
    return MentoringRequest.objects.select_related(
        "offer", "offer__skill", "offer__mentor", "offer__mentor__regency", "mentee",
        "mentee__regency", "requested_by",
    )


def mentoring_request_list_received(*, enterprises) -> QuerySet[MentoringRequest]:
    """Requests waiting for the answer of these enterprises (as mentors), oldest first."""
    return _request_list().filter(
        offer__mentor__in=enterprises, status=MentoringRequest.Status.REQUESTED
    ).order_by("created_at", "pk")


def mentoring_request_list_sent(*, enterprises) -> QuerySet[MentoringRequest]:
    """What these enterprises asked for and is not yet a relationship: waiting or declined
    (withdrawn ones are the asker's own decision and drop out), newest first."""
    return _request_list().filter(
        mentee__in=enterprises,
        status__in=[MentoringRequest.Status.REQUESTED, MentoringRequest.Status.DECLINED],
    ).order_by("-created_at", "-pk")


def mentoring_relationship_list(*, enterprises) -> QuerySet[MentoringRequest]:
    """Accepted requests where these enterprises mentor or are mentored, newest first."""
    return _request_list().filter(
        Q(offer__mentor__in=enterprises) | Q(mentee__in=enterprises),
        status=MentoringRequest.Status.ACCEPTED,
    ).order_by("-decided_at", "-pk")


def mentoring_request_count_waiting(*, enterprises) -> int:
    """How many requests wait for an answer from these enterprises (one query)."""
    return MentoringRequest.objects.filter(
        offer__mentor__in=enterprises, status=MentoringRequest.Status.REQUESTED
    ).count()


def mentoring_request_list_open_for(*, offer: MentoringOffer, enterprises):
    """The open requests these enterprises already made to `offer`."""
    return offer.requests.filter(mentee__in=enterprises, status__in=OPEN_STATUSES).select_related(
        "mentee"
    )


def user_enterprise_ids(*, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Enterprise.objects.filter(memberships__user=user).values_list("pk", flat=True))
