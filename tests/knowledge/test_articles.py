"""Contributions to the knowledge base: an entrepreneur's article goes through Wagtail's moderation
workflow (never published by the public site), moderators publish it or ask for changes, the owner
hears about both and may edit only their own work, and nothing they type runs as HTML. Readers
mark articles helpful once each."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupApprovalTask, Locale, Revision, Workflow, WorkflowState

from cms.models import Notification
from knowledge.models import ArticlePage, HelpfulMark
from knowledge.selectors import articles as selectors
from knowledge.services import articles as services
from knowledge.services.pages import page_translate, section_page
from tests.factories import (
    EnterpriseMemberFactory,
    SkillFactory,
    TopicFactory,
    UserFactory,
    article,
    seller,
)
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db

BODY = (
    "Kami menjual keripik singkong sejak 2015. Awalnya kami memakai plastik biasa, lalu pindah ke "
    "standing pouch dengan zipper supaya keripik tetap renyah sampai ke pembeli di kota.\n\n"
    "Pemasok kami di Purwokerto menjual kemasan per seratus lembar dengan harga grosir."
)
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


@pytest.fixture(autouse=True)
def _in_english():
    """Service messages in English, the source language; view URLs reversed under /en/."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _receivers():
    # KnowledgeConfig.ready connects them in the running site (and knowledge.wagtail_hooks
    # whenever the admin loads); connect explicitly so these tests do not depend on import order.
    services.signals_connect()


@pytest.fixture
def sari():
    """Ibu Sari and her enterprise: (user, enterprise)."""
    return seller(name="Keripik Sari", slug="keripik-sari")


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def get(client, url, **kwargs):
    """A request that leaves the test's language as it was (the locale middleware switches it)."""
    with translation.override("en"):
        return client.get(url, **kwargs)


def post(client, url, data=None, **kwargs):
    with translation.override("en"):
        return client.post(url, data or {}, **kwargs)


def submit(user, enterprise, **fields) -> ArticlePage:
    values = {
        "topic": TopicFactory(name="Kemasan", name_en="Packaging"), "kind": "article",
        "title": "Memilih kemasan standing pouch", "summary": "Pengalaman pindah ke pouch.",
        "body_text": BODY,
    }
    return services.article_submit(user=user, enterprise=enterprise, **(values | fields))


def update(page, user, enterprise, **fields) -> ArticlePage:
    values = {
        "topic": page.topic, "kind": page.kind, "title": page.title, "summary": page.summary,
        "body_text": BODY,
    }
    return services.article_update(page=page, user=user, enterprise=enterprise,
                                   **(values | fields))


def moderate(page, moderator, action: str, comment: str = "") -> None:
    """A moderator acts on the page's current task, as the admin's workflow buttons do."""
    task_state = page.current_workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, moderator, action, comment=comment)


def fresh(page) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


def english_of(page) -> ArticlePage:
    return ArticlePage.objects.get(translation_key=page.translation_key,
                                   locale=Locale.objects.get(language_code="en"))


def form_data(enterprise, **overrides) -> dict:
    data = {
        "enterprise": enterprise.pk, "kind": "article",
        "topic": TopicFactory(name="Kemasan", name_en="Packaging").pk,
        "title": "Memilih kemasan standing pouch", "summary": "Pengalaman pindah ke pouch.",
        "body_text": BODY, "steps_text": "", "tags": "kemasan, pouch",
    }
    return data | overrides


# --- Submitting --------------------------------------------------------------------------------


def test_the_knowledge_base_is_under_the_moderators_workflow():
    workflow = section_page("KnowledgeIndexPage").get_workflow()

    assert workflow is not None and workflow.active
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def test_a_submission_is_a_draft_waiting_for_the_moderators(client, sari):
    user, enterprise = sari
    skill = SkillFactory()

    page = submit(user, enterprise, kind="guide", steps_text="Ukur keripik\n\nPesan pouch\n",
                  tags="Kemasan, pouch, kemasan", skills=[skill])

    page = fresh(page)
    assert not page.live and page.first_published_at is None
    assert page.get_parent().specific == section_page("KnowledgeIndexPage")
    assert page.locale == Locale.get_default()
    assert page.owner == user and page.enterprise == enterprise
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and state.requested_by == user
    assert state.workflow.name == "Moderators approval"
    assert [child.block_type for child in page.body] == ["text", "steps"]
    assert [step["title"] for step in page.body[1].value] == ["Ukur keripik", "Pesan pouch"]
    assert sorted(tag.name for tag in page.tags.all()) == ["Kemasan", "pouch"]
    assert list(page.skills.all()) == [skill]
    # Nobody can read it yet, in either language.
    alias = english_of(page)
    assert alias.alias_of_id == page.pk and not alias.live
    assert get(client, page.url).status_code == 404
    assert get(client, alias.url).status_code == 404
    assert selectors.contribution_status(page).code == "in_moderation"


def test_paragraphs_and_line_breaks_become_escaped_html():
    blocks = services.body_from_text(body_text=f"Satu\r\nbaris {SCRIPT}\n\n\n  Dua  ",
                                     steps_text="")

    assert blocks == [("text", "<p>Satu<br>baris &lt;script&gt;alert(1)&lt;/script&gt;</p>"
                               "<p>Dua</p>")]


def test_without_a_moderation_workflow_a_submission_fails_loudly(sari):
    user, enterprise = sari
    Workflow.objects.update(active=False)
    before = ArticlePage.objects.count()

    with pytest.raises(ImproperlyConfigured):
        submit(user, enterprise)

    assert ArticlePage.objects.count() == before
    assert not ArticlePage.objects.filter(live=True, owner=user).exists()


def test_articles_are_credited_only_to_an_enterprise_the_writer_runs(sari):
    user, _own = sari
    _other_user, other_enterprise = seller()
    before = ArticlePage.objects.count()

    with pytest.raises(PermissionDenied):
        submit(user, other_enterprise)

    assert ArticlePage.objects.count() == before


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": "Pouc"}, "title", "at least 5 characters"),
    ({"title": "x" * 121}, "title", "120 characters"),
    ({"summary": "  "}, "summary", "one or two sentences"),
    ({"body_text": "Terlalu pendek."}, "body_text", "at least 30 words"),
    ({"kind": "guide", "steps_text": ""}, "steps_text", "needs its steps"),
    ({"tags": "a, b, c, d, e, f, g, h, i"}, "tags", "At most 8 tags"),
])
def test_the_services_refuse_what_the_form_refuses(sari, fields, field, message):
    user, enterprise = sari
    before = ArticlePage.objects.count()

    with pytest.raises(ValidationError) as error:
        submit(user, enterprise, **fields)

    assert message in " ".join(error.value.message_dict[field])
    assert ArticlePage.objects.count() == before


# --- Moderation --------------------------------------------------------------------------------


def test_approval_publishes_it_in_both_languages_and_tells_the_owner(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)

    moderate(page, moderator, "approve")

    page = fresh(page)
    assert page.live and page.first_published_at is not None
    assert page.current_workflow_state is None
    assert english_of(page).live
    response = get(client, page.url)
    assert response.status_code == 200 and "Memilih kemasan standing pouch" in response.text
    assert get(client, english_of(page).url).status_code == 200
    notice = Notification.objects.get(user=user)
    assert notice.kind == "article_published" and notice.url == page.url
    assert "Memilih kemasan standing pouch" in notice.title
    assert not Notification.objects.filter(user=moderator).exists()
    assert selectors.contribution_status(page).code == "published"


def test_a_moderator_approves_through_the_wagtail_admin(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)
    task_state = page.current_workflow_state.current_task_state
    client.force_login(moderator)

    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {}, HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 200, response.content
    assert fresh(page).live
    assert Notification.objects.filter(user=user, kind="article_published").count() == 1


def test_changes_requested_tell_the_owner_who_edits_and_resubmits(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)

    moderate(page, moderator, "reject", comment="Tolong tambahkan foto kemasannya.")

    page = fresh(page)
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not page.live
    notice = Notification.objects.get(user=user)
    assert notice.kind == "article_changes_requested"
    assert "Tolong tambahkan foto kemasannya." in notice.body
    with translation.override("id"):  # notifications link to the site's default language
        assert notice.url == reverse("article_edit", kwargs={"pk": page.pk})
    status = selectors.contribution_status(page)
    assert status.code == "changes_requested"
    assert status.comment == "Tolong tambahkan foto kemasannya."

    client.force_login(user)
    response = post(client, reverse("article_edit", kwargs={"pk": page.pk}), form_data(
        enterprise, title="Memilih kemasan standing pouch yang kuat"))

    assert response.status_code == 302 and response["Location"] == reverse("contribution_list")
    page = fresh(page)
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and not page.live
    assert page.draft_title == "Memilih kemasan standing pouch yang kuat"
    moderate(page, moderator, "approve")
    assert fresh(page).live and fresh(page).title == "Memilih kemasan standing pouch yang kuat"


def test_a_published_article_stays_as_it_was_until_a_change_is_approved(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)
    moderate(page, moderator, "approve")

    update(fresh(page), user, enterprise, title="Judul yang belum disetujui",
           body_text=BODY + " Tambahan yang belum disetujui.")

    page = fresh(page)
    assert page.live and page.title == "Memilih kemasan standing pouch"
    assert page.draft_title == "Judul yang belum disetujui"
    assert selectors.contribution_status(page).code == "in_moderation"
    html = get(client, page.url).text
    assert "Judul yang belum disetujui" not in html and "belum disetujui" not in html

    moderate(page, moderator, "approve")

    html = get(client, fresh(page).url).text
    assert "Judul yang belum disetujui" in html and "Tambahan yang belum disetujui." in html
    titles = list(Notification.objects.filter(user=user).order_by("pk")
                  .values_list("title", flat=True))
    # Messages are written in the site's language, Indonesian.
    assert titles == ["Artikel Anda sudah terbit: Memilih kemasan standing pouch",
                      "Perubahan Anda sudah terbit: Judul yang belum disetujui"]


def test_blocks_editors_added_are_kept_when_the_owner_edits_the_text(sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)
    draft = fresh(page).get_latest_revision_as_object()
    draft.body.append(("callout", {"tone": "tip", "text": "<p>Simpan di tempat kering.</p>"}))
    draft.save_revision(user=moderator)
    moderate(page, moderator, "reject", comment="Perbaiki judul.")

    update(fresh(page), user, enterprise, title="Judul yang lebih jelas")

    body = fresh(page).get_latest_revision_as_object().body
    assert [child.block_type for child in body] == ["text", "callout"]
    assert "Simpan di tempat kering." in str(body[1].value["text"])


# --- Who may do what ---------------------------------------------------------------------------


def test_while_in_moderation_the_owner_cannot_change_it(client, sari):
    user, enterprise = sari
    page = submit(user, enterprise)
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()

    with pytest.raises(ValidationError) as error:
        update(fresh(page), user, enterprise, title="Sudah diubah lagi")
    assert error.value.code == "in_moderation"

    client.force_login(user)
    url = reverse("article_edit", kwargs={"pk": page.pk})
    response = get(client, url)
    assert response.status_code == 200
    assert "This article is with the moderators" in response.text
    assert "<textarea" not in response.text
    response = post(client, url, form_data(enterprise, title="Sudah diubah lagi"))
    assert response.status_code == 200
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    assert fresh(page).draft_title == "Memilih kemasan standing pouch"


def test_nobody_else_can_edit_a_contribution(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)
    moderate(page, moderator, "reject", comment="Perbaiki.")
    # Even someone who runs the same enterprise: the article is its writer's.
    partner = EnterpriseMemberFactory(enterprise=enterprise).user
    stranger, stranger_enterprise = seller()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()

    with pytest.raises(PermissionDenied):
        update(fresh(page), partner, enterprise, title="Diambil alih")
    with pytest.raises(PermissionDenied):
        update(fresh(page), stranger, stranger_enterprise, title="Diambil alih")

    url = reverse("article_edit", kwargs={"pk": page.pk})
    for intruder in (partner, stranger):
        client.force_login(intruder)
        assert get(client, url).status_code == 404
        assert post(client, url, form_data(enterprise, title="Diambil alih")).status_code == 404
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    assert fresh(page).draft_title == "Memilih kemasan standing pouch"


def test_a_contributor_cannot_publish_or_reach_the_wagtail_admin(client, sari):
    user, enterprise = sari
    page = submit(user, enterprise)
    client.force_login(user)

    permissions = fresh(page).permissions_for_user(user)
    assert not permissions.can_publish() and not permissions.can_edit()
    admin = get(client, "/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = post(client, edit_url, {"title": "Terbit sendiri", "action-publish": "1"})
    assert response.status_code in (302, 403)
    assert not fresh(page).live


def test_the_public_form_never_publishes(client, sari):
    user, enterprise = sari
    client.force_login(user)

    response = post(client, reverse("article_submit"), form_data(
        enterprise, live="on", **{"action-publish": "1"}))

    assert response.status_code == 302
    page = ArticlePage.objects.get(owner=user, locale=Locale.get_default())
    assert not page.live and page.current_workflow_state.status == "in_progress"


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name, kwargs in (("article_submit", {}), ("contribution_list", {}),
                         ("article_edit", {"pk": 1})):
        response = get(client, reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The public form ---------------------------------------------------------------------------


def test_writing_through_the_form_sends_it_to_the_moderators(client, sari):
    user, enterprise = sari
    skill = SkillFactory()
    client.force_login(user)
    assert get(client, reverse("article_submit")).status_code == 200

    response = post(client, reverse("article_submit"), form_data(
        enterprise, kind="guide", steps_text="Ukur\nPesan", skills=[skill.pk],
        cover_photo=image_upload()), follow=True)

    assert response.redirect_chain[-1][0] == reverse("contribution_list")
    assert "Your article is with the moderators" in response.text
    page = ArticlePage.objects.get(owner=user, locale=Locale.get_default())
    assert page.cover_image is not None and page.cover_image.uploaded_by_user == user
    assert list(page.skills.all()) == [skill]
    assert "Memilih kemasan standing pouch" in response.text
    assert "Waiting for the moderators" in response.text


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": "abc"}, "title", "at least 5 characters"),
    ({"summary": ""}, "summary", "This field is required"),
    ({"summary": "x" * 251}, "summary", "at most 250 characters"),
    ({"body_text": "Hanya beberapa kata saja."}, "body_text", "at least 30 words"),
    ({"kind": "guide"}, "steps_text", "needs its steps"),
    ({"tags": "a, b, c, d, e, f, g, h, i"}, "tags", "At most 8 tags"),
    ({"topic": ""}, "topic", "This field is required"),
])
def test_the_form_explains_what_is_missing_and_saves_nothing(client, sari, overrides, field,
                                                             message):
    user, enterprise = sari
    client.force_login(user)

    response = post(client, reverse("article_submit"), form_data(enterprise, **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ArticlePage.objects.filter(owner=user).exists()


def test_a_cover_photo_that_is_not_an_image_is_refused(client, sari):
    user, enterprise = sari
    client.force_login(user)
    fake = SimpleUploadedFile("foto.jpg", b"not really a photo", content_type="image/jpeg")

    response = post(client, reverse("article_submit"), form_data(enterprise, cover_photo=fake))

    assert response.status_code == 200
    assert response.context["form"].errors["cover_photo"]
    assert not ArticlePage.objects.filter(owner=user).exists()


def test_someone_without_an_enterprise_is_asked_to_create_one_first(client):
    user = UserFactory()
    client.force_login(user)

    response = get(client, reverse("article_submit"))

    assert response.status_code == 200
    assert "First, put your enterprise on Guyub" in response.text
    assert f'href="{reverse("enterprise_create")}"' in response.text
    post(client, reverse("article_submit"), form_data(seller()[1]))
    assert not ArticlePage.objects.filter(owner=user).exists()


def test_the_form_offers_only_the_writers_own_enterprises(client, sari):
    user, enterprise = sari
    second = EnterpriseMemberFactory(user=user).enterprise
    _other, foreign = seller()
    client.force_login(user)

    form = get(client, reverse("article_submit")).context["form"]
    assert set(form.fields["enterprise"].queryset) == {enterprise, second}

    response = post(client, reverse("article_submit"), form_data(foreign))
    assert "enterprise" in response.context["form"].errors
    assert not ArticlePage.objects.filter(owner=user).exists()


def test_the_edit_form_starts_from_the_latest_version(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise, kind="guide", steps_text="Ukur\nPesan", tags="pouch")
    moderate(page, moderator, "reject", comment="Perbaiki.")
    client.force_login(user)

    form = get(client, reverse("article_edit", kwargs={"pk": page.pk})).context["form"]

    assert form.initial["title"] == "Memilih kemasan standing pouch"
    assert form.initial["steps_text"] == "Ukur\nPesan"
    assert form.initial["tags"] == "pouch"
    assert form.initial["body_text"].split() == BODY.split()


# --- Script injection --------------------------------------------------------------------------


def test_what_contributors_type_never_runs_as_html(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise, title=f"{IMG} Kemasan", summary=f"{IMG} ringkasan",
                  body_text=f"{SCRIPT} {BODY}", steps_text=f"{SCRIPT} langkah",
                  kind="guide", tags=f"{SCRIPT}, halal")
    client.force_login(user)
    pages = {"contributions": get(client, reverse("contribution_list")).text,
             "edit form": ""}
    moderate(page, moderator, "approve")
    page = fresh(page)
    client.logout()
    pages |= {
        "article": get(client, page.url).text,
        "english alias": get(client, english_of(page).url).text,
        "index": get(client, "/knowledge/").text,
        "search": get(client, "/knowledge/?q=kemasan").text,
    }
    client.force_login(user)
    pages["contributions (published)"] = get(client, reverse("contribution_list")).text

    for name, html in pages.items():
        assert "<script>alert" not in html, name
        assert "<img src=x" not in html, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["article"]
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; Kemasan" in pages["article"]
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; Kemasan" in pages["contributions"]


# --- Helpful marks -----------------------------------------------------------------------------


@pytest.fixture
def published(sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise)
    moderate(page, moderator, "approve")
    return fresh(page)


def test_a_reader_marks_an_article_helpful_once_and_can_take_it_back(client, published):
    reader, other = UserFactory(), UserFactory()
    client.force_login(reader)
    url = reverse("article_helpful", kwargs={"pk": published.pk})

    assert post(client, url).status_code == 302
    assert post(client, url, HTTP_HX_REQUEST="true").status_code == 200  # toggled off
    response = post(client, url, HTTP_HX_REQUEST="true")  # and on again
    services.helpful_toggle(article=published, user=other)

    assert HelpfulMark.objects.filter(article=published).count() == 2
    assert "1 person found this helpful" in response.text
    assert 'aria-pressed="true"' in response.text
    assert "<html" not in response.text  # just the button, for htmx
    page = get(client, english_of(published).url).text
    assert "2 people found this helpful" in page


def test_marks_on_the_english_version_count_for_the_indonesian_page(client, published):
    english = page_translate(page=published, language_code="en", title="Choosing pouches")
    reader = UserFactory()
    client.force_login(reader)

    post(client, reverse("article_helpful", kwargs={"pk": english.pk}))

    assert list(HelpfulMark.objects.values_list("article_id", "user_id")) == [
        (published.pk, reader.pk)]
    assert services.helpful_toggle(article=published, user=reader) is False
    assert not HelpfulMark.objects.exists()


def test_anonymous_readers_are_sent_to_log_in_to_mark_helpful(client, published):
    url = reverse("article_helpful", kwargs={"pk": published.pk})

    response = post(client, url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    htmx = post(client, url, HTTP_HX_REQUEST="true")
    assert "/accounts/login/" in htmx["HX-Redirect"]
    assert get(client, url).status_code == 405
    assert not HelpfulMark.objects.exists()


def test_writers_cannot_mark_their_own_article_and_drafts_cannot_be_marked(client, sari,
                                                                           published):
    user, enterprise = sari
    with pytest.raises(ValidationError):
        services.helpful_toggle(article=published, user=user)
    draft = article(title="Belum terbit", publish=False)
    client.force_login(UserFactory())

    assert post(client, reverse("article_helpful", kwargs={"pk": draft.pk})).status_code == 404
    assert not HelpfulMark.objects.exists()


# --- The contributor's list --------------------------------------------------------------------


def test_the_contribution_list_shows_each_of_the_writers_articles_with_its_status(
        client, sari, moderator):
    user, enterprise = sari
    waiting = submit(user, enterprise, title="Artikel yang menunggu")
    changes = submit(user, enterprise, title="Artikel yang perlu diperbaiki")
    moderate(changes, moderator, "reject", comment="Tambahkan foto.")
    live = submit(user, enterprise, title="Artikel yang sudah terbit")
    moderate(live, moderator, "approve")
    article(title="Draf tanpa kiriman", owner=user, publish=False)
    other_user, other_enterprise = seller()
    submit(other_user, other_enterprise, title="Artikel orang lain")
    client.force_login(user)

    response = get(client, reverse("contribution_list"))

    statuses = {page.draft_title: page.contribution.code
                for page in response.context["page"].object_list}
    assert statuses == {
        "Artikel yang menunggu": "in_moderation",
        "Artikel yang perlu diperbaiki": "changes_requested",
        "Artikel yang sudah terbit": "published",
        "Draf tanpa kiriman": "draft",
    }
    html = response.text
    assert "Tambahkan foto." in html and "Artikel orang lain" not in html
    assert reverse("article_edit", kwargs={"pk": changes.pk}) in html
    assert reverse("article_edit", kwargs={"pk": waiting.pk}) not in html
    assert fresh(live).url in html


def test_the_contribution_list_costs_the_same_queries_for_2_or_8_articles(client, sari,
                                                                           moderator):
    from tests.helpers import count_queries

    user, enterprise = sari
    client.force_login(user)

    def add(count):
        for number in range(count):
            page = submit(user, enterprise, title=f"Artikel nomor {number} {count}")
            if number % 2:
                moderate(page, moderator, "reject", comment="Perbaiki.")

    add(2)
    with translation.override("en"):
        few = count_queries(client, reverse("contribution_list"))
    add(6)
    with translation.override("en"):
        many = count_queries(client, reverse("contribution_list"))

    assert many == few


# --- The Wagtail admin -------------------------------------------------------------------------


def test_moderators_review_a_contribution_in_the_admin(client, sari, moderator):
    user, enterprise = sari
    page = submit(user, enterprise, kind="guide", steps_text="Ukur\nPesan")
    client.force_login(moderator)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    preview = client.get(reverse("wagtailadmin_pages:workflow_preview",
                                 args=[page.pk, page.current_workflow_state.current_task_state
                                       .task_id]))

    assert edit.status_code == 200
    assert preview.status_code == 200
    assert "Memilih kemasan standing pouch" in preview.text and "Pesan" in preview.text


@pytest.mark.parametrize(("url_name", "name"), [
    ("wagtailsnippets_knowledge_topic:list", "Perizinan"),
    ("wagtailsnippets_knowledge_forumcategory:list", "Tanya jawab usaha"),
])
def test_editors_manage_topics_and_forum_categories_as_snippets(client, url_name, name):
    from tests.factories import ForumCategoryFactory

    TopicFactory(name="Perizinan")
    ForumCategoryFactory(name="Tanya jawab usaha")
    client.force_login(UserFactory(is_superuser=True))

    response = client.get(reverse(url_name))

    assert response.status_code == 200 and name in response.text
    client.force_login(UserFactory())
    assert client.get(reverse(url_name)).status_code in (302, 403)
