"""What the rest of Guyub shows of the knowledge base, events, forum and mentoring: the home
page, enterprise and cooperative pages, and the dashboard's community panel.

Each function returns short, evaluated lists (3 items), so a template can test and loop over them
without another query, and a page costs the same queries however much content exists. Pages are
read in the active locale (aliases of untranslated Indonesian pages included), published and not
in a private section (nor aliases of pages in one); hidden threads never show."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale

from enterprises.models import Cooperative, Enterprise, EnterpriseSkill, Membership
from knowledge.models import ArticlePage, EventPage, MentoringOffer, Post, Thread
from knowledge.selectors.mentoring import (
    mentoring_offer_list_for_enterprise,
    mentoring_request_count_waiting,
)
from knowledge.selectors.visibility import pages_visible

SECTION_SIZE = 3


def _articles(*, locale: Locale) -> QuerySet[ArticlePage]:
    return (
        pages_visible(ArticlePage.objects.filter(locale=locale))
        .select_related("topic", "enterprise").order_by("-first_published_at", "-pk")
    )


def _events(*, locale: Locale) -> QuerySet[EventPage]:
    return pages_visible(EventPage.objects.filter(locale=locale))


def _events_upcoming(*, locale: Locale) -> QuerySet[EventPage]:
    """Events not over yet, soonest first (one running now included)."""
    return (
        _events(locale=locale).filter(ends_at__gte=timezone.now())
        .select_related("regency").order_by("starts_at", "pk")
    )


def _threads() -> QuerySet[Thread]:
    return (
        Thread.objects.filter(is_hidden=False)
        .select_related("category", "enterprise", "author").order_by("-last_activity_at", "-pk")
    )


def home_connections(*, locale: Locale) -> dict:
    """The newest articles and guides, the next events and the liveliest discussions."""
    return {
        "articles": list(_articles(locale=locale)[:SECTION_SIZE]),
        "events": list(_events_upcoming(locale=locale)[:SECTION_SIZE]),
        "threads": list(_threads()[:SECTION_SIZE]),
    }


def enterprise_connections(*, enterprise: Enterprise, locale: Locale) -> dict:
    """Articles it wrote (or, when none, articles about its skills), upcoming events it organises
    or in its regency, discussions it started or was mentioned in, and its mentoring offers."""
    articles = list(_articles(locale=locale).filter(
        enterprise=enterprise)[:SECTION_SIZE])
    articles_credited = bool(articles)
    if not articles:
        # Skills it offers or mentors in; matched on any locale's copy of a page, so an alias
        # or a translation shows whichever copy carries the skills.
        offered = EnterpriseSkill.objects.filter(enterprise=enterprise, is_active=True)
        mentored = MentoringOffer.objects.filter(mentor=enterprise, is_active=True)
        about_skills = ArticlePage.objects.filter(
            Q(skills__in=offered.values("skill_id")) | Q(skills__in=mentored.values("skill_id"))
        ).values("translation_key")
        articles = list(_articles(locale=locale).filter(
            translation_key__in=about_skills)[:SECTION_SIZE])
    events = _events_upcoming(locale=locale).filter(
        Q(organiser_enterprise=enterprise) | Q(regency_id=enterprise.regency_id)
    )
    mentioned_in = Post.objects.filter(mentions=enterprise, is_hidden=False).values("thread_id")
    threads = _threads().filter(Q(enterprise=enterprise) | Q(pk__in=mentioned_in))
    return {
        "articles": articles,
        "articles_credited": articles_credited,
        "events": list(events[:SECTION_SIZE]),
        "threads": list(threads[:SECTION_SIZE]),
        "mentoring_offers": list(mentoring_offer_list_for_enterprise(enterprise=enterprise)),
    }


def cooperative_connections(*, cooperative: Cooperative, locale: Locale) -> dict:
    """Upcoming events it organises (and how many it held), articles by its member enterprises
    and active discussions started by them."""
    members = Membership.objects.filter(
        cooperative=cooperative, status=Membership.Status.ACTIVE
    ).values("enterprise_id")
    organised = _events(locale=locale).filter(organiser_cooperative=cooperative)
    return {
        "events": list(_events_upcoming(locale=locale).filter(
            organiser_cooperative=cooperative)[:SECTION_SIZE]),
        "past_event_count": organised.filter(ends_at__lt=timezone.now()).count(),
        "articles": list(_articles(locale=locale).filter(
            enterprise__in=members)[:SECTION_SIZE]),
        "threads": list(_threads().filter(enterprise__in=members)[:SECTION_SIZE]),
    }


def dashboard_community(*, enterprises) -> dict:
    """The counts the dashboard's community panel shows: only cheap ones (one query)."""
    return {
        "mentoring_waiting": mentoring_request_count_waiting(enterprises=enterprises)
        if enterprises else 0,
    }
