"""The knowledge base, events, forum and mentoring as the home page, enterprise and cooperative
pages and the dashboard show them: what shows (published, upcoming, not hidden, in the page's
language), what never does, and query counts that do not grow with the content."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnterpriseSkill, Membership
from knowledge.models import ArticlePage
from knowledge.services import mentoring as mentoring_services
from knowledge.services.pages import page_translate
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    EnterpriseSkillFactory,
    MembershipFactory,
    MentoringOfferFactory,
    PostFactory,
    RegencyFactory,
    SkillFactory,
    ThreadFactory,
    article,
    cooperative_member,
    event,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

def days(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


def articles(count: int, prefix: str = "Panduan", **fields) -> list[ArticlePage]:
    return [article(title=f"{prefix} {number}", **fields)
            for number in range(count)]


def events(count: int, prefix: str = "Pelatihan", **fields):
    return [event(title=f"{prefix} {number}", starts_at=days(number + 1), **fields)
            for number in range(count)]


def thread(**fields):
    # ThreadFactory's opening post reads `enterprise`, which the factory does not default.
    fields.setdefault("enterprise", None)
    return ThreadFactory(**fields)


def threads(count: int, prefix: str = "Diskusi", **fields):
    return [thread(title=f"{prefix} {number}", last_activity_at=days(-number / 24), **fields)
            for number in range(count)]


def content(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Home


def test_the_home_page_shows_the_newest_articles_the_next_events_and_active_threads(client):
    for number, title in enumerate(["Lama", "Baru 1", "Baru 2", "Baru 3"]):
        page = article(title=f"Artikel {title}")
        ArticlePage.objects.filter(translation_key=page.translation_key).update(
            first_published_at=days(number - 10))
    article(title="Artikel Draf", publish=False)
    event(title="Acara Lalu", starts_at=days(-3))
    event(title="Acara Jauh", starts_at=days(30))
    for number in range(3):
        event(title=f"Acara Dekat {number}", starts_at=days(number + 1))
    running = event(title="Acara Berjalan", starts_at=days(-0.1))  # started, not over yet
    thread(title="Utas Lama", last_activity_at=days(-5))
    threads(3, prefix="Utas Baru")
    thread(title="Utas Tersembunyi", is_hidden=True, last_activity_at=days(0))

    community = client.get("/").context["community"]

    assert [a.title for a in community["articles"]] == [
        "Artikel Baru 3", "Artikel Baru 2", "Artikel Baru 1"]
    assert [e.title for e in community["events"]] == [
        running.title, "Acara Dekat 0", "Acara Dekat 1"]
    assert [t.title for t in community["threads"]] == [
        "Utas Baru 0", "Utas Baru 1", "Utas Baru 2"]
    page = content(client, "/")
    assert 'href="/knowledge/artikel-baru-3/"' in page
    assert 'href="/events/acara-dekat-0/"' in page
    for hidden in ("Artikel Draf", "Artikel Lama", "Acara Lalu", "Utas Tersembunyi"):
        assert hidden not in page


def test_the_home_page_links_to_all_of_each_section(client):
    page = content(client, "/")

    assert f'href="{reverse("wagtail_serve", args=["knowledge/"])}"' in page
    assert f'href="{reverse("wagtail_serve", args=["events/"])}"' in page
    assert f'href="{reverse("forum_index")}"' in page


def test_an_empty_home_page_invites_contributions(client):
    page = content(client, "/")

    assert f'href="{reverse("article_submit")}"' in page
    assert f'href="{reverse("event_create")}"' in page
    assert f'href="{reverse("thread_create")}"' in page


def test_the_english_home_page_shows_the_english_pages(client):
    original = article(title="Cara mengurus NIB")
    page_translate(page=original, language_code="en", title="Getting an NIB",
                   summary="How to register.")
    article(title="Foto produk")  # untranslated: its English alias
    event(title="Pelatihan kemasan")

    english = content(client, "/en/")
    indonesian = content(client, "/")

    assert "Getting an NIB" in english and "Cara mengurus NIB" not in english
    assert 'href="/en/knowledge/cara-mengurus-nib/"' in english
    assert 'href="/en/knowledge/foto-produk/" lang="id"' in english
    assert 'href="/en/events/pelatihan-kemasan/"' in english
    assert "Cara mengurus NIB" in indonesian and "Getting an NIB" not in indonesian
    assert 'href="/knowledge/foto-produk/"' in indonesian and "/en/knowledge/" not in indonesian


@pytest.mark.parametrize("url", ["/", "/en/"])
def test_the_home_page_costs_the_same_queries_for_3_or_15_of_each(client, url):
    # From 1 to 3 catches a query per item shown; from 3 to 15, one per item existing.
    counts = []
    for added, prefix in ((1, "Satu"), (2, "Awal"), (12, "Lagi")):
        articles(added, prefix=prefix)
        events(added, prefix=prefix)
        threads(added, prefix=prefix)
        counts.append(count_queries(client, url))

    cache.clear()  # the page is rendered again, not served from the page cache
    assert len(client.get(url).context["community"]["threads"]) == 3
    assert counts[0] == counts[1] == counts[2]


# The enterprise page


def test_the_enterprise_page_shows_what_it_wrote_organises_and_discusses(client):
    regency = RegencyFactory(name="Kabupaten Banyumas")
    elsewhere = RegencyFactory(name="Kabupaten Temanggung")
    enterprise = EnterpriseFactory(name="Batik Rina", regency=regency)
    article(title="Memotret batik", enterprise=enterprise)
    article(title="Tulisan orang lain", enterprise=EnterpriseFactory())
    article(title="Draf Rina", enterprise=enterprise, publish=False)
    event(title="Pelatihan oleh Rina", organiser_enterprise=enterprise, regency=elsewhere)
    event(title="Pasar desa Banyumas", regency=regency)
    event(title="Acara di Temanggung", regency=elsewhere)
    event(title="Acara lalu Banyumas", regency=regency, starts_at=days(-5))
    thread(title="Utas Rina", enterprise=enterprise)
    mentioned = thread(title="Utas yang menyebut Rina")
    PostFactory(thread=mentioned).mentions.add(enterprise)
    hidden_mention = PostFactory(thread=thread(title="Sebutan tersembunyi"),
                                 is_hidden=True)
    hidden_mention.mentions.add(enterprise)
    thread(title="Utas Rina tersembunyi", enterprise=enterprise, is_hidden=True)
    thread(title="Utas lain")

    page = content(client, f"/enterprises/{enterprise.slug}/")
    community = client.get(f"/enterprises/{enterprise.slug}/").context["community"]

    assert [a.title for a in community["articles"]] == ["Memotret batik"]
    assert community["articles_credited"] is True
    assert {e.title for e in community["events"]} == {"Pelatihan oleh Rina",
                                                      "Pasar desa Banyumas"}
    assert {t.title for t in community["threads"]} == {"Utas Rina", "Utas yang menyebut Rina"}
    for hidden in ("Tulisan orang lain", "Draf Rina", "Acara di Temanggung", "Acara lalu",
                   "Sebutan tersembunyi", "Utas Rina tersembunyi", "Utas lain"):
        assert hidden not in page
    assert 'href="/events/?regency=kabupaten-banyumas"' in page


def test_without_its_own_articles_an_enterprise_shows_articles_about_its_skills(client):
    photo, sewing = SkillFactory(name="Fotografi"), SkillFactory(name="Menjahit")
    enterprise = EnterpriseFactory()
    EnterpriseSkillFactory(enterprise=enterprise, skill=sewing)
    MentoringOfferFactory(mentor=enterprise, skill=photo)
    EnterpriseSkillFactory(enterprise=enterprise, skill=SkillFactory(name="Ukir"),
                           is_active=False)
    article(title="Menjahit tas", skills=[sewing])
    article(title="Foto dengan ponsel", skills=[photo, sewing])
    article(title="Mengukir kayu", skills=[SkillFactory(name="Ukir")])
    article(title="Draf jahit", skills=[sewing], publish=False)

    community = client.get(f"/enterprises/{enterprise.slug}/").context["community"]
    english = client.get(f"/en/enterprises/{enterprise.slug}/").context["community"]

    assert community["articles_credited"] is False
    assert [a.title for a in community["articles"]] == ["Foto dengan ponsel", "Menjahit tas"]
    assert [a.url_path for a in english["articles"]] == [
        "/home-en/knowledge/foto-dengan-ponsel/", "/home-en/knowledge/menjahit-tas/"]
    assert all(a.locale.language_code == "en" for a in english["articles"])


def test_the_enterprise_page_shows_its_mentoring_offers_with_a_way_to_ask(client):
    user, enterprise = seller(name="Batik Rina")
    offer = MentoringOfferFactory(mentor=enterprise, skill=SkillFactory(name="Fotografi"))
    MentoringOfferFactory(mentor=enterprise, skill=SkillFactory(name="Pembukuan"),
                          is_active=False)

    page = content(client, f"/enterprises/{enterprise.slug}/")
    assert f'href="/mentoring/{offer.pk}/request/"' in page
    assert "Pembukuan" not in page

    client.force_login(user)
    page = content(client, f"/enterprises/{enterprise.slug}/")
    assert f'href="/dashboard/mentoring/offers/{offer.pk}/edit/"' in page
    assert f'href="/mentoring/{offer.pk}/request/"' not in page


def test_the_enterprise_page_costs_the_same_queries_for_3_or_15_of_each(client):
    owner, enterprise = seller()
    skill = SkillFactory(name="Fotografi")
    EnterpriseSkillFactory(enterprise=enterprise, skill=skill)
    url = f"/enterprises/{enterprise.slug}/"

    def add(count, prefix):
        articles(count, prefix=f"{prefix} tulisan", enterprise=enterprise)
        articles(count, prefix=f"{prefix} keahlian", skills=[skill])
        events(count, prefix=f"{prefix} acara", organiser_enterprise=enterprise)
        events(count, prefix=f"{prefix} sekitar", regency=enterprise.regency)
        threads(count, prefix=f"{prefix} utas", enterprise=enterprise)
        for thread in threads(count, prefix=f"{prefix} sebutan"):
            PostFactory(thread=thread).mentions.add(enterprise)
        for number in range(count):
            MentoringOfferFactory(mentor=enterprise,
                                  skill=SkillFactory(name=f"{prefix} keahlian {number}"))

    add(1, "Satu")
    one = count_queries(client, url)
    add(2, "Awal")
    few = count_queries(client, url)
    client.force_login(owner)
    few_as_owner = count_queries(client, url)
    client.logout()

    add(12, "Lagi")
    assert count_queries(client, url) == few == one
    client.force_login(owner)
    assert count_queries(client, url) == few_as_owner


def test_the_enterprise_page_falls_back_to_skills_in_the_same_queries(client):
    skill = SkillFactory(name="Fotografi")
    enterprise = EnterpriseFactory()
    EnterpriseSkillFactory(enterprise=enterprise, skill=skill)
    url = f"/enterprises/{enterprise.slug}/"
    articles(1, prefix="Satu", skills=[skill])
    one = count_queries(client, url)
    articles(2, prefix="Keahlian", skills=[skill])
    few = count_queries(client, url)

    articles(12, prefix="Lagi", skills=[skill])
    assert count_queries(client, url) == few == one


# The cooperative page


def test_the_cooperative_page_shows_its_events_and_its_members_articles_and_threads(client):
    cooperative = CooperativeFactory(name="Koperasi Kopi")
    _user, member = cooperative_member(cooperative)
    former = MembershipFactory(cooperative=cooperative, status=Membership.Status.LEFT).enterprise
    applicant = MembershipFactory(cooperative=cooperative,
                                  status=Membership.Status.APPLIED).enterprise
    event(title="RAT 2026", organiser_cooperative=cooperative)
    event(title="RAT lalu", organiser_cooperative=cooperative, starts_at=days(-300))
    event(title="Panen bersama lalu", organiser_cooperative=cooperative, starts_at=days(-30))
    event(title="Acara koperasi lain", organiser_cooperative=CooperativeFactory())
    article(title="Sangrai kopi", enterprise=member)
    article(title="Tulisan mantan", enterprise=former)
    article(title="Tulisan pelamar", enterprise=applicant)
    article(title="Draf anggota", enterprise=member, publish=False)
    thread(title="Utas anggota", enterprise=member)
    thread(title="Utas anggota tersembunyi", enterprise=member, is_hidden=True)
    thread(title="Utas pelamar", enterprise=applicant)

    url = f"/cooperatives/{cooperative.slug}/"
    community = client.get(url).context["community"]
    page = content(client, url)

    assert [e.title for e in community["events"]] == ["RAT 2026"]
    assert community["past_event_count"] == 2
    assert [a.title for a in community["articles"]] == ["Sangrai kopi"]
    assert [t.title for t in community["threads"]] == ["Utas anggota"]
    for hidden in ("RAT lalu", "Acara koperasi lain", "Tulisan mantan", "Tulisan pelamar",
                   "Draf anggota", "Utas anggota tersembunyi", "Utas pelamar"):
        assert hidden not in page


def test_the_cooperative_page_costs_the_same_queries_for_3_or_15_of_each(client):
    cooperative = CooperativeFactory()
    manager, _member = cooperative_member(cooperative, role=Membership.Role.MANAGER)
    url = f"/cooperatives/{cooperative.slug}/"

    def add(count, prefix):
        _user, member = cooperative_member(cooperative)
        articles(count, prefix=f"{prefix} tulisan", enterprise=member)
        events(count, prefix=f"{prefix} acara", organiser_cooperative=cooperative)
        for number in range(count):
            event(title=f"{prefix} lalu {number}", organiser_cooperative=cooperative,
                  starts_at=days(-number - 2))
        threads(count, prefix=f"{prefix} utas", enterprise=member)

    add(1, "Satu")
    one = count_queries(client, url)
    add(2, "Awal")
    few = count_queries(client, url)
    client.force_login(manager)
    few_as_manager = count_queries(client, url)
    client.logout()

    add(12, "Lagi")
    assert count_queries(client, url) == few == one
    client.force_login(manager)
    assert count_queries(client, url) == few_as_manager


# The dashboard


def test_the_dashboard_links_to_the_community_and_counts_waiting_requests(client):
    mentor_user, mentor = seller()
    offer = MentoringOfferFactory(mentor=mentor)
    for _ in range(2):
        user, mentee = seller()
        mentoring_services.mentoring_request_send(offer=offer, mentee=mentee, by=user,
                                                  message="Tolong ajari saya.")
    client.force_login(mentor_user)

    response = client.get("/dashboard/")
    page = response.content.decode()

    assert response.context["community"] == {"mentoring_waiting": 2}
    for name in ("mentoring_dashboard", "my_events", "event_create", "article_submit",
                 "contribution_list", "forum_index"):
        assert f'href="{reverse(name)}"' in page, name


def test_the_dashboard_shows_the_community_to_someone_without_an_enterprise(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = content(client, "/dashboard/")

    assert f'href="{reverse("forum_index")}"' in page
    assert f'href="{reverse("my_events")}"' in page


def test_the_dashboard_costs_the_same_queries_for_few_or_many_requests(client):
    mentor_user, mentor = seller()
    offer = MentoringOfferFactory(mentor=mentor)
    client.force_login(mentor_user)

    def ask(count):
        for _ in range(count):
            user, mentee = seller()
            mentoring_services.mentoring_request_send(offer=offer, mentee=mentee, by=user,
                                                      message="Tolong.")

    ask(1)
    few = count_queries(client, "/dashboard/")
    ask(14)
    assert count_queries(client, "/dashboard/") == few


def test_skill_fallback_ignores_inactive_skills():
    from wagtail.models import Locale

    from knowledge.selectors.connections import enterprise_connections

    skill = SkillFactory(name="Ukir")
    enterprise = EnterpriseFactory()
    EnterpriseSkill.objects.create(enterprise=enterprise, skill=skill, is_active=False)
    article(title="Mengukir", skills=[skill])

    result = enterprise_connections(enterprise=enterprise, locale=Locale.get_default())

    assert result["articles"] == []
