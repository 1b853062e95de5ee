"""Forum pages: reading, posting (what was typed survives errors), permissions (403/404 and
nothing changed), moderation, escaping, and query counts that do not grow with the rows."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Post, PostReport, Thread
from knowledge.selectors import forum as selectors
from knowledge.services import forum as services
from tests.factories import (
    EnterpriseFactory,
    ForumCategoryFactory,
    UserFactory,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def category():
    return ForumCategoryFactory(name="Perizinan", name_en="Permits", slug="perizinan")


@pytest.fixture
def moderator():
    return UserFactory(is_staff=True, first_name="Arif")


def start(category, author=None, **fields):
    fields.setdefault("kind", Thread.Kind.QUESTION)
    fields.setdefault("title", "Cara mengurus P-IRT?")
    fields.setdefault("body", "Apa saja syaratnya?")
    return services.thread_start(category=category, author=author or UserFactory(), **fields)


def reply(thread, author=None, body="Siapkan KTP dan foto dapur.", **fields):
    return services.post_reply(thread=thread, author=author or UserFactory(), body=body, **fields)


def content(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Reading


def test_the_index_lists_categories_with_counts_and_the_latest_threads(client, category):
    other = ForumCategoryFactory(name="Kemasan", name_en="Packaging", slug="kemasan",
                                 sort_order=5)
    visible = start(category, title="Izin P-IRT untuk keripik")
    hidden = start(category, title="Thread tersembunyi")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)

    response = client.get(reverse("forum_index"))

    page = content(response)
    categories = response.context["categories"]
    assert [(c.slug, c.thread_count) for c in categories] == [("perizinan", 1), ("kemasan", 0)]
    assert "Permits" in page and other.get_absolute_url() in page
    assert visible.title in page and hidden.title not in page
    assert reverse("thread_create") in page


def test_search_looks_in_titles_and_visible_post_text(client, category, moderator):
    by_title = start(category, title="Harga kemasan standing pouch")
    by_reply = start(category, title="Pertanyaan lain")
    reply(by_reply, body="Standing pouch di Purwokerto murah.")
    only_hidden = start(category, title="Topik ketiga")
    services.post_hide(post=reply(only_hidden, body="standing pouch palsu"), by=moderator,
                       reason="Spam")

    response = client.get(reverse("forum_index"), {"q": "standing POUCH"})

    found = {thread.pk for thread in response.context["page"].object_list}
    assert found == {by_title.pk, by_reply.pk}
    assert "2 threads found" in content(response)


def test_a_category_lists_threads_by_activity_with_filters_and_pages(client, category):
    question = start(category, title="Pertanyaan terbuka")
    answered = start(category, title="Pertanyaan terjawab")
    services.answer_accept(post=reply(answered), by=answered.author)
    discussion = start(category, kind=Thread.Kind.DISCUSSION, title="Diskusi kemasan")
    elsewhere = start(ForumCategoryFactory(slug="lain", name="Lain"), title="Di kategori lain")
    reply(question)  # the most recent activity

    url = reverse("forum_category", kwargs={"slug": category.slug})
    listed = [t.pk for t in client.get(url).context["page"].object_list]
    questions = [t.pk for t in client.get(url, {"kind": "question"}).context["page"].object_list]
    open_questions = client.get(url, {"kind": "question", "unanswered": "1"})

    assert listed == [question.pk, discussion.pk, answered.pk]
    assert elsewhere.pk not in listed
    assert questions == [question.pk, answered.pk]
    assert [t.pk for t in open_questions.context["page"].object_list] == [question.pk]
    assert "1 question without an accepted answer" in content(open_questions)


def test_category_pages_have_twenty_threads(client, category):
    for n in range(21):
        start(category, title=f"Pertanyaan nomor {n}")
    url = reverse("forum_category", kwargs={"slug": category.slug})

    assert len(client.get(url).context["page"].object_list) == 20
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 1
    assert client.get(reverse("forum_category", kwargs={"slug": "tidak-ada"})).status_code == 404


def test_anyone_reads_a_thread_and_is_invited_to_log_in(client, category):
    thread = start(category)
    reply(thread, body="Jawaban pertama")

    response = client.get(thread.get_absolute_url())

    page = content(response)
    assert response.status_code == 200
    assert "Apa saja syaratnya?" in page and "Jawaban pertama" in page
    assert "Log in to reply" in page
    # After logging in they come back to the reply form.
    assert f'href="{reverse("login")}?next={thread.get_absolute_url()}%23reply"' in page
    assert 'name="body"' not in page


def test_a_hidden_thread_is_404_except_for_moderators(client, category, moderator):
    thread = start(category)
    services.thread_hide(thread=thread, by=moderator, hidden=True)
    url = thread.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(thread.author)
    assert client.get(url).status_code == 404
    assert client.post(reverse("post_reply", kwargs={"pk": thread.pk}),
                       {"body": "Halo"}).status_code == 404
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert "only moderators can see it" in content(response)
    assert thread.posts.count() == 1


def test_the_accepted_answer_comes_first_under_the_question(client, category):
    asker = UserFactory()
    thread = start(category, asker)
    reply(thread, body="Jawaban awal yang kurang tepat")
    answer = reply(thread, body="Jawaban yang benar: ke Dinas Kesehatan")
    services.answer_accept(post=answer, by=asker)

    page = content(client.get(thread.get_absolute_url()))

    accepted_at = page.index('id="accepted-heading"')
    assert page.index("Apa saja syaratnya?") < accepted_at
    assert accepted_at < page.index("Jawaban yang benar") < page.index("Jawaban awal")
    assert f'id="accepted-{answer.pk}"' in page and f'id="post-{answer.pk}"' in page
    assert "Answered" in page


def test_only_the_asker_sees_accept_buttons_on_replies(client, category):
    asker = UserFactory()
    thread = start(category, asker)
    answer = reply(thread)
    accept_url = reverse("post_accept", kwargs={"pk": answer.pk})
    opening_accept = reverse("post_accept", kwargs={"pk": thread.posts.first().pk})

    client.force_login(UserFactory())
    assert accept_url not in content(client.get(thread.get_absolute_url()))
    client.force_login(asker)
    page = content(client.get(thread.get_absolute_url()))
    assert accept_url in page and opening_accept not in page
    assert "Accept this answer" in page


def test_a_hidden_post_shows_a_notice_to_others_and_the_text_to_author_and_moderators(
        client, category, moderator):
    thread = start(category)
    post = reply(thread, body="Beli followers murah!")
    services.post_hide(post=post, by=moderator, reason="Iklan")

    anonymous = content(client.get(thread.get_absolute_url()))
    client.force_login(post.author)
    author = content(client.get(thread.get_absolute_url()))
    client.force_login(moderator)
    moderating = content(client.get(thread.get_absolute_url()))

    assert "This post was hidden by a moderator." in anonymous
    assert "Beli followers" not in anonymous
    assert "Beli followers" in author and "Hidden by a moderator: Iklan" in author
    assert "Beli followers" in moderating and "Show again" in moderating


def test_script_in_a_post_is_shown_as_text(client, category):
    thread = start(category, title="<script>alert('title')</script>")
    reply(thread, body='<script>alert(1)</script> <img src=x onerror=alert(2)> '
                       'http://x.com/"onmouseover=alert(3)')

    page = content(client.get(thread.get_absolute_url()))

    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert '<a href="http://x.com/" rel="nofollow ugc noopener">' in page
    assert 'onmouseover=alert(3)"' not in page


def test_mentions_link_on_the_thread_page(client, category):
    sari = EnterpriseFactory(slug="keripik-sari", name="Keripik Sari")
    thread = start(category)
    reply(thread, body="Tanya @keripik-sari atau @tidak-ada")

    page = content(client.get(thread.get_absolute_url()))

    assert f'<a class="mention" href="{sari.get_absolute_url()}" title="Keripik Sari">' in page
    assert "atau @tidak-ada" in page


# Posting


def test_starting_a_thread_needs_an_account(client, category):
    response = client.get(reverse("thread_create"))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_member_starts_a_thread_in_the_chosen_category(client, category):
    user, enterprise = seller()
    client.force_login(user)

    form_page = client.get(reverse("thread_create"), {"category": category.slug})
    assert form_page.context["form"].initial["category"] == category
    response = client.post(reverse("thread_create"), {
        "category": category.slug, "kind": "question", "title": "Berapa biaya P-IRT?",
        "body": "Mohon info **biaya** resminya.", "enterprise": enterprise.slug,
    })

    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert (thread.category, thread.kind, thread.enterprise) == (category, "question", enterprise)
    assert thread.posts.get().body == "Mohon info **biaya** resminya."


def test_posting_as_an_enterprise_one_does_not_run_is_refused(client, category):
    user, _own = seller()
    other = EnterpriseFactory(slug="bukan-milik")
    thread = start(category)
    client.force_login(user)

    new = client.post(reverse("thread_create"), {
        "category": category.slug, "kind": "discussion", "title": "Judul yang cukup",
        "body": "Isi thread", "enterprise": other.slug})
    answer = client.post(reverse("post_reply", kwargs={"pk": thread.pk}),
                         {"body": "Balasan saya", "enterprise": other.slug})

    assert new.status_code == answer.status_code == 200
    assert new.context["form"].errors["enterprise"]
    assert answer.context["reply_form"].errors["enterprise"]
    assert Thread.objects.count() == 1 and Post.objects.count() == 1


def test_a_reply_is_published_and_the_page_shows_it(client, category):
    thread = start(category)
    user = UserFactory(first_name="Rina")
    client.force_login(user)

    response = client.post(reverse("post_reply", kwargs={"pk": thread.pk}),
                           {"body": "Coba ke puskesmas dulu.", "page": "1"}, follow=True)

    post = Post.objects.get(author=user)
    assert response.redirect_chain[-1][0] == f"{thread.get_absolute_url()}#post-{post.pk}"
    assert "Coba ke puskesmas dulu." in content(response)
    assert "Your reply is published." in messages_of(response)
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def test_a_too_short_reply_keeps_the_text_and_says_why(client, category):
    thread = start(category)
    client.force_login(UserFactory())

    response = client.post(reverse("post_reply", kwargs={"pk": thread.pk}), {"body": " y "})

    page = content(response)
    assert response.status_code == 200
    assert "Write at least 2 characters." in page
    assert re.search(r'<textarea name="body"[^>]*>\s*y\s*</textarea>', page)
    assert thread.posts.count() == 1


def test_a_locked_thread_refuses_replies_through_the_page(client, category, moderator):
    thread = start(category)
    services.thread_lock(thread=thread, by=moderator, locked=True)
    client.force_login(UserFactory())

    page = content(client.get(thread.get_absolute_url()))
    response = client.post(reverse("post_reply", kwargs={"pk": thread.pk}),
                           {"body": "Tetap mau balas"}, follow=True)

    assert 'name="body"' not in page and "This thread is locked" in page
    assert "This thread is locked: no new replies." in messages_of(response)
    assert thread.posts.count() == 1 and Thread.objects.get(pk=thread.pk).reply_count == 0


def test_the_sixth_post_in_ten_minutes_is_refused_with_the_text_kept(client, category):
    user = UserFactory()
    thread = start(category, user)
    for _ in range(4):
        reply(thread, user)
    client.force_login(user)

    response = client.post(reverse("post_reply", kwargs={"pk": thread.pk}),
                           {"body": "Balasan keenam saya"})

    page = content(response)
    assert response.status_code == 200
    assert "You are posting too fast; try again in 10 minutes." in page
    assert "Balasan keenam saya</textarea>" in page
    assert thread.posts.count() == 5


def test_moderators_post_past_the_limit(client, category, moderator):
    thread = start(category, moderator)
    for _ in range(6):
        reply(thread, moderator)
    client.force_login(moderator)

    response = client.post(reverse("post_reply", kwargs={"pk": thread.pk}), {"body": "Lagi"})

    assert response.status_code == 302 and thread.posts.count() == 8


def test_the_thread_limit_keeps_the_form(client, category):
    user = UserFactory()
    for n in range(3):
        start(category, user, title=f"Pertanyaan nomor {n}")
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    client.force_login(user)

    response = client.post(reverse("thread_create"), {
        "category": category.slug, "kind": "question", "title": "Pertanyaan keempat",
        "body": "Isinya"})

    assert "You are posting too fast" in content(response)
    assert response.context["form"]["title"].value() == "Pertanyaan keempat"
    assert Thread.objects.count() == 3


def test_anonymous_posts_go_to_the_login_page(client, category):
    thread = start(category)

    response = client.post(reverse("post_reply", kwargs={"pk": thread.pk}), {"body": "Halo"})

    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert thread.posts.count() == 1


def test_editing_is_for_the_author_only(client, category):
    post = reply(start(category))
    url = reverse("post_edit", kwargs={"pk": post.pk})

    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Dirusak"}).status_code == 403
    client.force_login(post.author)
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Sudah saya perbaiki."})

    post.refresh_from_db()
    assert response.status_code == 302
    assert post.body == "Sudah saya perbaiki." and post.edited_at
    assert "edited" in content(client.get(post.thread.get_absolute_url()))


# Accepting, reporting, moderating


def test_accepting_is_for_the_asker_or_a_moderator(client, category, moderator):
    asker = UserFactory()
    thread = start(category, asker)
    answer = reply(thread)
    url = reverse("post_accept", kwargs={"pk": answer.pk})

    client.force_login(answer.author)
    assert client.post(url).status_code == 403
    assert Thread.objects.get(pk=thread.pk).accepted_post is None
    client.force_login(asker)
    opening = client.post(reverse("post_accept", kwargs={"pk": thread.posts.first().pk}),
                          follow=True)
    assert "The question itself cannot be its answer." in messages_of(opening)
    assert client.post(url).status_code == 302
    assert Thread.objects.get(pk=thread.pk).accepted_post == answer
    later = reply(thread)
    client.force_login(moderator)
    client.post(reverse("post_accept", kwargs={"pk": later.pk}))
    assert Thread.objects.get(pk=thread.pk).accepted_post == later


def test_three_reports_through_the_page_hide_the_post(client, category):
    thread = start(category)
    post = reply(thread, body="Iklan pinjol")
    url = reverse("post_report", kwargs={"pk": post.pk})

    for reporter in UserFactory.create_batch(3):
        client.force_login(reporter)
        response = client.post(url, {"reason": "spam", "note": "iklan"}, follow=True)
        assert "Thank you. The moderators will look at this post." in messages_of(response)
    again = client.post(url, {"reason": "fraud"}, follow=True)

    assert "You have already reported this post. Thank you." in messages_of(again)
    assert PostReport.objects.count() == 3
    post.refresh_from_db()
    assert post.is_hidden
    assert "This post was hidden by a moderator." in content(again)
    assert Thread.objects.get(pk=thread.pk).reply_count == 0


def test_non_moderators_get_403_and_nothing_changes(client, category):
    thread = start(category)
    post = reply(thread)
    services.post_report(post=post, reporter=UserFactory(), reason="spam")
    client.force_login(thread.author)

    responses = [
        client.get(reverse("forum_moderation")),
        client.post(reverse("post_hide", kwargs={"pk": post.pk}), {"reason": "x", "hidden": "1"}),
        client.post(reverse("post_reports_dismiss", kwargs={"pk": post.pk})),
        client.post(reverse("thread_lock", kwargs={"pk": thread.pk})),
        client.post(reverse("thread_hide", kwargs={"pk": thread.pk})),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    post.refresh_from_db()
    thread = Thread.objects.get(pk=thread.pk)
    assert not post.is_hidden and not thread.is_locked and not thread.is_hidden
    assert PostReport.objects.get().resolved_at is None
    assert "Lock thread" not in content(client.get(thread.get_absolute_url()))


def test_moderators_work_the_queue(client, category):
    group_moderator = UserFactory()
    group_moderator.groups.add(Group.objects.create(name=selectors.MODERATORS_GROUP))
    thread = start(category)
    spam, rude = reply(thread, body="Iklan pinjol"), reply(thread, body="Kata kasar")
    for reporter in UserFactory.create_batch(2):
        services.post_report(post=spam, reporter=reporter, reason="spam")
    services.post_report(post=rude, reporter=UserFactory(), reason="abuse", note="Tidak sopan")
    client.force_login(group_moderator)
    queue = reverse("forum_moderation")

    page = client.get(queue)
    assert [p.pk for p in page.context["posts"]] == [spam.pk, rude.pk]
    assert "Tidak sopan" in content(page)
    hidden = client.post(reverse("post_hide", kwargs={"pk": spam.pk}),
                         {"hidden": "1", "reason": "Spam", "next": queue})
    dismissed = client.post(reverse("post_reports_dismiss", kwargs={"pk": rude.pk}),
                            {"next": queue})

    assert hidden["Location"] == dismissed["Location"] == queue
    spam.refresh_from_db()
    rude.refresh_from_db()
    assert spam.is_hidden and spam.hidden_reason == "Spam" and not rude.is_hidden
    assert list(client.get(queue).context["posts"]) == []
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    client.post(reverse("thread_lock", kwargs={"pk": thread.pk}))
    assert Thread.objects.get(pk=thread.pk).is_locked
    client.post(reverse("thread_lock", kwargs={"pk": thread.pk}))
    assert not Thread.objects.get(pk=thread.pk).is_locked
    missing_reason = client.post(reverse("post_hide", kwargs={"pk": rude.pk}),
                                 {"hidden": "1", "reason": ""}, follow=True)
    assert "Say why the post is hidden." in messages_of(missing_reason)


def test_anonymous_moderation_goes_to_login(client):
    response = client.get(reverse("forum_moderation"))

    assert response.status_code == 302 and reverse("login") in response["Location"]


# Query counts


def _busy_thread(category, replies: int) -> Thread:
    asker = UserFactory()
    thread = start(category, asker, body="Tanya @usaha-utama")
    for n in range(replies):
        user, enterprise = seller()
        reply(thread, user, enterprise=enterprise,
              body=f"Jawaban {n} untuk @usaha-utama dan @{enterprise.slug}")
    services.answer_accept(post=thread.posts.last(), by=asker)
    return thread


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_thread_page_queries_do_not_grow_with_replies(client, category, who):
    EnterpriseFactory(slug="usaha-utama")
    small, large = _busy_thread(category, 3), _busy_thread(category, 30)
    if who != "anonymous":
        user, _enterprise = seller()
        user.is_staff = who == "moderator"
        user.save()
        client.force_login(user)

    assert count_queries(client, small.get_absolute_url()) == count_queries(
        client, large.get_absolute_url())


def test_category_and_index_queries_do_not_grow_with_threads(client, category):
    other = ForumCategoryFactory(slug="lain", name="Lain")
    for n in range(3):
        reply(start(category, title=f"Sedikit nomor {n}"))
    for n in range(25):
        user, enterprise = seller()
        reply(start(other, user, enterprise=enterprise, title=f"Banyak nomor {n}"))
    client.force_login(UserFactory())

    small = count_queries(client, category.get_absolute_url())
    large = count_queries(client, other.get_absolute_url())
    index = count_queries(client, reverse("forum_index"))
    for n in range(10):
        start(ForumCategoryFactory(slug=f"kategori-{n}", name=f"Kategori {n}"))

    assert small == large
    assert count_queries(client, reverse("forum_index")) == index
    assert count_queries(client, reverse("forum_index") + "?q=nomor") == count_queries(
        client, reverse("forum_index") + "?q=Sedikit")


def test_replies_are_thirty_a_page_under_the_opening_post(client, category):
    thread = start(category, body="Pembuka thread")
    replies = [reply(thread, body=f"Balasan nomor {n}.") for n in range(31)]

    first = client.get(thread.get_absolute_url())
    second = client.get(thread.get_absolute_url(), {"page": 2})

    assert [p.pk for p in first.context["posts"]] == [p.pk for p in replies[:30]]
    assert [p.pk for p in second.context["posts"]] == [replies[30].pk]
    assert "Pembuka thread" in content(second)
    assert selectors.post_url(post=replies[29]).endswith(f"/#post-{replies[29].pk}")
    assert selectors.post_url(post=replies[30]) == (
        f"{thread.get_absolute_url()}?page=2#post-{replies[30].pk}")
