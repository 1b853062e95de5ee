"""The demo's knowledge base, events, forum and mentoring (knowledge.demo): enough of each, built
through the services (so ties exist), the same rows however often seed_demo runs, and the pages
show them."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, WorkflowState
from wagtail.signal_handlers import disable_reference_index_auto_update

from enterprises import demo as enterprise_demo
from enterprises.models import Skill, Tie
from knowledge import demo as knowledge_demo
from knowledge.demo_articles import ARTICLES
from knowledge.demo_events import EVENTS
from knowledge.models import (
    ArticlePage,
    EventPage,
    ForumCategory,
    HelpfulMark,
    MentoringOffer,
    MentoringRequest,
    Post,
    Rsvp,
    Thread,
    Topic,
)
from marketplace import demo as market_demo
from marketplace import demo_bulk_orders, demo_joint_offers, demo_orders

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def knowledge_counts() -> dict:
    models = [Page, ArticlePage, EventPage, Topic, Rsvp, ForumCategory, Thread, Post,
              MentoringOffer, MentoringRequest, HelpfulMark, Tie, Skill, WorkflowState,
              get_image_model(), get_document_model()]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["attended"] = Rsvp.objects.filter(attended=True).count()
    counts["accepted answers"] = Thread.objects.filter(accepted_post__isnull=False).count()
    counts["mentions"] = Post.mentions.through.objects.count()
    return counts


@pytest.fixture(scope="module")
def runs(django_db_setup, django_db_blocker):
    """seed_demo run twice, once for the whole module (seeding takes a while), inside a
    transaction rolled back after the module's tests. Tiny images and no Wagtail indexing as in
    tests/cms/test_seed_demo.py; no orders, bulk orders or joint offers, which the knowledge demo
    does not use (tests/cms/test_seed_demo.py runs the whole demo, this one included)."""
    backends = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
    with (django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch,
          override_settings(WAGTAILSEARCH_BACKENDS=backends),
          disable_reference_index_auto_update(), transaction.atomic()):
        patch.setattr(market_demo, "PHOTO_SIZE", (40, 30))
        patch.setattr(enterprise_demo, "LOGO_SIZE", (24, 24))
        patch.setattr(knowledge_demo, "COVER_SIZE", (32, 18))
        for module in (demo_orders, demo_bulk_orders, demo_joint_offers):
            patch.setattr(module, "seed", lambda *, run: None)
        first = seed()
        before = knowledge_counts()
        second = seed()
        yield {"first": first, "second": second, "before": before, "after": knowledge_counts()}
        transaction.set_rollback(True)


@pytest.fixture
def seeded(runs):
    return runs["first"]


def indonesian():
    return Locale.objects.get(language_code="id")


def english():
    return Locale.objects.get(language_code="en")


def test_a_second_run_adds_nothing(runs):
    assert runs["after"] == runs["before"]
    assert "Knowledge: 19 articles (19 new, 7 newly in English)" in runs["first"]
    second = runs["second"]
    assert "Knowledge: 19 articles (0 new, 0 newly in English), 0 new contributions" in second
    assert "13 events (0 new, 0 newly in English, 0 new RSVPs, attendance marked at 0)" in second
    assert "forum threads (0 new)" in second
    assert "7 mentoring offers (0 new), 10 requests (0 new)" in second


def test_the_knowledge_base_has_articles_guides_translations_and_moderation(seeded):
    live = ArticlePage.objects.filter(locale=indonesian(), live=True)
    assert live.count() >= 15
    assert live.values("topic").distinct().count() >= 6
    assert Topic.objects.exclude(name_en="").count() >= 6
    guides = live.filter(kind="guide")
    assert guides.count() >= 8
    for guide in guides:
        blocks = {child.block_type for child in guide.body}
        assert {"steps", "checklist", "callout"} <= blocks, guide.slug
        assert not blocks & {"video"}, guide.slug
    # Credited to demo enterprises and written by the Guyub team, with tags, skills, products.
    assert live.filter(enterprise__slug="studio-foto-produk-rina",
                       title__icontains="foto produk").exists()
    assert live.filter(enterprise__isnull=True).count() >= 5
    assert live.exclude(enterprise__isnull=True).count() >= 8
    assert live.filter(tagged_items__isnull=False).distinct().count() == live.count()
    assert live.filter(skills__isnull=False).distinct().count() >= 5
    assert live.filter(products__isnull=False).distinct().count() >= 5
    assert not live.filter(cover_image__isnull=True).exists()
    # Published over the past year.
    now = timezone.now()
    dates = sorted(live.values_list("first_published_at", flat=True))
    assert dates[0] < now - timezone.timedelta(days=300)
    assert dates[-1] < now - timezone.timedelta(days=20)
    # A generated CSV behind the bookkeeping guide's download block.
    bookkeeping = live.get(slug="pembukuan-sederhana-pisahkan-uang-usaha")
    download = next(child.value for child in bookkeeping.body if child.block_type == "download")
    assert download["document"].file.name.endswith(".csv")

    translations = ArticlePage.objects.filter(locale=english(), live=True,
                                              alias_of__isnull=True)
    assert translations.count() >= 5
    for page in translations:
        original = page.get_translation(indonesian())
        assert page.title != original.title
        assert page.summary != original.summary
    # Every other article is still in the English tree, as an alias.
    assert ArticlePage.objects.filter(locale=english()).count() == live.count() + 2

    waiting = ArticlePage.objects.filter(locale=indonesian(), live=False)
    assert waiting.count() == 2
    for page in waiting:
        assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
        assert not page.owner.is_staff
        assert page.enterprise.members.filter(pk=page.owner_id).exists()
    assert HelpfulMark.objects.exists()
    assert not HelpfulMark.objects.filter(user_id=F("article__owner_id")).exists()


def test_events_past_and_coming_with_attendance_and_a_waiting_list(seeded):
    events = EventPage.objects.filter(locale=indonesian(), live=True)
    now = timezone.now()
    past, coming = events.filter(ends_at__lt=now), events.filter(starts_at__gt=now)
    assert past.count() >= 4 and coming.count() >= 4
    assert past.filter(starts_at__lt=now - timezone.timedelta(days=60)).exists()
    assert not past.filter(starts_at__lt=now - timezone.timedelta(days=183)).exists()
    assert not coming.filter(starts_at__gt=now + timezone.timedelta(days=62)).exists()
    assert set(events.values_list("kind", flat=True)) == set(EventPage.Kind.values)
    assert events.filter(organiser_cooperative__isnull=False).exists()
    assert events.filter(organiser_enterprise__isnull=False).exists()
    assert EventPage.objects.filter(locale=english(), alias_of__isnull=True).count() >= 2

    # The organisers marked who came: present and absent, and the ties it made.
    for event in past:
        going = event.rsvps.filter(status="going")
        assert going.exists(), event.slug
        assert not going.filter(attended__isnull=True).exists(), event.slug
    assert Rsvp.objects.filter(attended=False).exists()
    ties = Tie.objects.filter(kind=Tie.Kind.CO_ATTENDANCE, evidence__startswith="event:")
    assert ties.count() >= 20
    training = past.get(slug="pelatihan-foto-produk-dengan-ponsel")
    assert ties.filter(started_on=timezone.localdate(training.starts_at)).exists()
    assert not Rsvp.objects.filter(event__in=coming, attended__isnull=False).exists()

    # One coming event is full, with people waiting in the order they asked.
    full = [event for event in coming.filter(capacity__isnull=False)
            if event.rsvps.filter(status="going").count() == event.capacity]
    assert len(full) == 1
    waiting = list(full[0].rsvps.filter(status="waiting").order_by("requested_at"))
    assert len(waiting) >= 2
    assert max(r.requested_at for r in full[0].rsvps.filter(status="going")) < \
        waiting[0].requested_at
    # People come for their enterprises (that is what makes ties).
    assert not Rsvp.objects.filter(enterprise__isnull=True).exists()


def test_forum_threads_with_answers_and_mentions(seeded):
    assert ForumCategory.objects.exclude(name_en="").exclude(description_en="").count() >= 4
    threads = Thread.objects.annotate(
        replies=Count("posts") - 1, people=Count("posts__author", distinct=True))
    assert threads.count() >= 12
    assert threads.filter(kind="question").count() >= 5
    assert threads.filter(kind="discussion").count() >= 4
    for thread in threads:
        assert 2 <= thread.replies <= 6, thread.title
        assert thread.people >= 2, thread.title
        assert thread.reply_count == thread.replies
        first = thread.posts.order_by("created_at", "pk").first()
        assert first.created_at == thread.created_at
        assert thread.last_activity_at == thread.posts.order_by("created_at").last().created_at
    answered = Thread.objects.filter(accepted_post__isnull=False)
    assert answered.count() >= 5
    assert not answered.exclude(kind="question").exists()
    assert not answered.filter(accepted_post__author=F("author")).exists()
    assert Post.objects.filter(enterprise__isnull=False).count() >= 40
    assert Post.mentions.through.objects.count() >= 3
    # Spread over the past months, and nothing in the future.
    now = timezone.now()
    assert Thread.objects.filter(created_at__lt=now - timezone.timedelta(days=90)).exists()
    assert not Post.objects.filter(created_at__gt=now).exists()


def test_mentoring_offers_requests_and_ties(seeded):
    assert MentoringOffer.objects.count() >= 5
    assert MentoringOffer.objects.filter(mentor__slug="studio-foto-produk-rina",
                                         skill__slug="fotografi-produk").exists()
    assert MentoringOffer.objects.filter(mentor__slug="kopi-sindoro-makmur",
                                         skill__slug="pengelolaan-koperasi").exists()
    assert MentoringOffer.objects.filter(is_active=False).exists()
    requests = MentoringRequest.objects.all()
    assert requests.count() >= 6
    statuses = dict(requests.values_list("status").annotate(n=Count("id")))
    assert statuses["accepted"] >= 3
    assert statuses["declined"] == 1
    assert statuses["requested"] >= 2
    for request in requests.filter(status="accepted"):
        tie = Tie.objects.get(kind=Tie.Kind.MENTORING, from_enterprise=request.offer.mentor,
                              to_enterprise=request.mentee)
        assert tie.started_on == timezone.localdate(request.decided_at)
        assert request.created_at < request.decided_at < timezone.now()
    assert not Tie.objects.filter(
        Q(kind=Tie.Kind.MENTORING),
        ~Q(to_enterprise__mentoring_requests__status="accepted"),
    ).exists()


def test_the_pages_show_the_demo(seeded, client):
    pages = {
        "/knowledge/": "Foto produk dengan ponsel dan cahaya jendela",
        "/knowledge/foto-produk-dengan-ponsel-dan-cahaya-jendela/": "Cari cahaya jendela",
        "/en/knowledge/foto-produk-dengan-ponsel-dan-cahaya-jendela/":
            "Product photos with a phone and window light",
        "/events/": "Kelas jualan online",
        "/events/pelatihan-foto-produk-dengan-ponsel/": "Balai Desa Wiradesa",
        "/en/events/kelas-jualan-online-katalog-whatsapp/": "Selling online",
        "/forum/": "Tempe mendoan mentah",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    thread = Thread.objects.get(title__startswith="Foto produk selalu gelap")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "styrofoam" in response.content.decode()


def test_every_demo_text_is_within_the_field_limits():
    summary = ArticlePage._meta.get_field("summary").max_length
    for spec in ARTICLES:
        assert len(spec.summary) <= summary, spec.slug
        if spec.english:
            assert len(spec.english.summary) <= summary, spec.slug
    for spec in EVENTS:
        assert len(spec.summary) <= EventPage._meta.get_field("summary").max_length, spec.slug
