"""Fixes from the knowledge base's review: restricted articles and events never show through their
English aliases (lists, search, counts, connections, API), the API's detail answers 404 for ids
it cannot hold, titles stay on one line, article slugs leave the contribution paths alone, and a
deactivated enterprise cannot be credited."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from cms.models import Notification
from enterprises.selectors import enterprise_list_for_user
from knowledge.forms.articles import ArticleForm
from knowledge.models import ArticlePage
from knowledge.selectors import articles as selectors
from knowledge.services import articles as services
from tests.factories import (
    CooperativeFactory,
    EnterpriseMemberFactory,
    MembershipFactory,
    TopicFactory,
    UserFactory,
    article,
    event,
    seller,
)
from tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db

BODY = " ".join(["Kami menjual keripik singkong dan belajar banyak tentang kemasan."] * 4)
SECRET = "Artikel rahasia koperasi"


@pytest.fixture(autouse=True)
def _receivers():
    services.signals_connect()


def english_of(page):
    return page.get_translation(Locale.objects.get(language_code="en"))


def restrict(page) -> None:
    PageViewRestriction.objects.create(page=page, restriction_type="login")


def shows(client, url: str, text: str = SECRET) -> bool:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return text in response.content.decode()


# --- 1. Restricted pages and their aliases ------------------------------------------------------


@pytest.fixture
def restricted():
    """A restricted article credited to Keripik Sari, next to a public one: (restricted,
    public, enterprise)."""
    _user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    topic = TopicFactory(name="Rahasia", name_en="Secrets", slug="rahasia")
    public = article(title="Artikel terbuka", summary="Untuk semua.", enterprise=enterprise,
                     topic=TopicFactory(name="Kemasan", name_en="Packaging", slug="kemasan"))
    secret = article(title=SECRET, summary="Hanya untuk anggota.", enterprise=enterprise,
                     topic=topic)
    secret.tags.set(["rahasiatag"])
    secret.save_revision().publish()
    restrict(secret)
    return secret, public, enterprise


def test_a_restricted_article_is_in_no_list_in_either_language(client, restricted):
    secret, public, enterprise = restricted
    for url in ["/knowledge/", "/en/knowledge/", "/knowledge/?q=rahasia",
                "/en/knowledge/?q=rahasia", "/", "/en/", f"/enterprises/{enterprise.slug}/",
                f"/en/enterprises/{enterprise.slug}/"]:
        assert not shows(client, url), url
    assert shows(client, "/en/knowledge/", "Artikel terbuka")
    assert shows(client, f"/en/enterprises/{enterprise.slug}/", "Artikel terbuka")


def test_topic_counts_and_tags_leave_restricted_articles_out(restricted):
    for locale in Locale.objects.all():
        topics = {topic.slug: topic.article_count
                  for topic in selectors.topic_list_counts(locale=locale)}
        assert topics == {"kemasan": 1}, locale
        assert "rahasiatag" not in {tag["tag__slug"]
                                    for tag in selectors.tag_list_popular(locale=locale)}
        assert list(selectors.article_list_for_locale(locale=locale, q="rahasia")) == []


def test_the_api_leaves_restricted_articles_and_their_aliases_out(client, restricted):
    secret, public, _enterprise = restricted
    alias = english_of(secret)
    assert alias.alias_of_id == secret.pk

    for query in ["", "?locale=en", "?locale=en&search=rahasia"]:
        titles = [item["title"] for item in client.get(f"/api/v1/articles/{query}").json()[
            "results"]]
        assert SECRET not in titles and (query.endswith("rahasia") or titles), query
    assert_api_error(client.get(f"/api/v1/articles/{alias.pk}/"), 404)
    assert_api_error(client.get(f"/api/v1/articles/{secret.pk}/"), 404)
    assert client.get(f"/api/v1/articles/{english_of(public).pk}/").status_code == 200


def test_a_cooperative_page_leaves_restricted_articles_out(client, restricted):
    secret, _public, enterprise = restricted
    cooperative = CooperativeFactory(name="Koperasi Maju", slug="koperasi-maju")
    MembershipFactory(cooperative=cooperative, enterprise=enterprise, status="active")
    for url in [f"/cooperatives/{cooperative.slug}/", f"/en/cooperatives/{cooperative.slug}/"]:
        assert shows(client, url, "Artikel terbuka"), url
        assert not shows(client, url), url


def test_a_restricted_event_is_not_among_the_upcoming_ones(client):
    event(title="Pelatihan terbuka")
    restrict(event(title="Pelatihan tertutup"))

    for url in ["/", "/en/"]:
        assert shows(client, url, "Pelatihan terbuka"), url
        assert not shows(client, url, "Pelatihan tertutup"), url


# --- 2. API ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "9223372036854775808"])
def test_the_api_detail_of_an_impossible_id_is_404(client, pk):
    client.raise_request_exception = False
    assert_api_error(client.get(f"/api/v1/articles/{pk}/"), 404)


def moderate(page, action: str) -> None:
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    task_state = page.current_workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, moderator, action, comment="")


# --- 3-5. Contributions -------------------------------------------------------------------------


def form_data(enterprise, **overrides) -> dict:
    return {
        "enterprise": enterprise.pk, "kind": "article", "topic": TopicFactory().pk,
        "title": "Memilih kemasan", "summary": "Pengalaman kami.", "body_text": BODY,
        "steps_text": "", "tags": "",
    } | overrides


def test_titles_and_summaries_are_kept_on_one_line(client):
    user, enterprise = seller()
    client.force_login(user)

    response = client.post(reverse("article_submit"), form_data(
        enterprise, title="Memilih\r\nkemasan  pouch", summary="Satu\nbaris\r\n saja"))

    assert response.status_code == 302
    page = ArticlePage.objects.get(owner=user, locale=Locale.get_default())
    assert page.title == "Memilih kemasan pouch" and page.summary == "Satu baris saja"
    direct = services.article_submit(user=user, enterprise=enterprise, topic=TopicFactory(),
                                     kind="article", title="A\r\nB  C D", summary="x\ny",
                                     body_text=BODY)
    assert (direct.title, direct.summary) == ("A B C D", "x y")
    moderate(direct, "reject")  # changes requested: the owner may edit again
    updated = services.article_update(page=direct, user=user, enterprise=enterprise,
                                      topic=direct.topic, kind="article", title="E\nF G H",
                                      summary="p\r\nq", body_text=BODY)
    assert (updated.title, updated.summary) == ("E F G H", "p q")


def test_a_title_with_a_line_break_makes_a_one_line_email_subject():
    user, enterprise = seller()
    page = services.article_submit(user=user, enterprise=enterprise, topic=TopicFactory(),
                                   kind="article", title="Rahasia\r\nkemasan",
                                   summary="Ringkas.", body_text=BODY)
    moderate(page, "approve")

    notification = Notification.objects.get(user=user, kind="article_published")
    assert "\n" not in notification.title and "\r" not in notification.title
    assert "Rahasia kemasan" in notification.title


@pytest.mark.parametrize("title", ["Contributions", "Contribute", "Helpful"])
def test_an_article_slug_never_takes_a_contribution_path(client, title):
    user, enterprise = seller()
    client.force_login(user)

    page = services.article_submit(user=user, enterprise=enterprise, topic=TopicFactory(),
                                   kind="article", title=title, summary="Ringkas.",
                                   body_text=BODY)

    assert page.slug not in {"contribute", "contributions", "helpful"}
    assert page.slug.startswith(title.lower())
    response = client.get(reverse("contribution_list"))
    assert response.status_code == 200
    assert response.resolver_match.url_name == "contribution_list"


def test_a_deactivated_enterprise_cannot_be_credited(client):
    user, enterprise = seller(name="Usaha Lama")
    enterprise.is_active = False
    enterprise.save(update_fields=["is_active"])
    active = EnterpriseMemberFactory(user=user, enterprise__name="Usaha Baru").enterprise

    with pytest.raises(PermissionDenied):
        services.article_submit(user=user, enterprise=enterprise, topic=TopicFactory(),
                                kind="article", title="Memilih kemasan", summary="Ringkas.",
                                body_text=BODY)
    assert not ArticlePage.objects.filter(owner=user).exists()

    form = ArticleForm(form_data(enterprise), enterprises=_enterprises(user))
    assert list(form.fields["enterprise"].queryset) == [active]
    assert not form.is_valid() and "enterprise" in form.errors

    client.force_login(user)
    response = client.post(reverse("article_submit"), form_data(enterprise))
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(owner=user).exists()


def _enterprises(user):
    return enterprise_list_for_user(user=user).order_by("name")
