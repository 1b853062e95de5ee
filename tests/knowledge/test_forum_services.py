"""Forum services: threads and replies with exact counts, notifications, mentions, accepted
answers, reports and moderation, rate limits, edits."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cms.models import Notification
from knowledge.models import Post, PostReport, Thread
from knowledge.selectors import forum as selectors
from knowledge.services import forum as services
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ForumCategoryFactory,
    UserFactory,
    seller,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def category():
    return ForumCategoryFactory()


@pytest.fixture
def moderator():
    return UserFactory(is_staff=True)


def start(category, author=None, **fields):
    fields.setdefault("kind", Thread.Kind.QUESTION)
    fields.setdefault("title", "Cara mengurus P-IRT?")
    fields.setdefault("body", "Apa saja syaratnya?")
    return services.thread_start(category=category, author=author or UserFactory(), **fields)


def reply(thread, author=None, body="Siapkan KTP dan foto dapur.", **fields):
    return services.post_reply(thread=thread, author=author or UserFactory(), body=body, **fields)


def fresh(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def backdate(*objects, minutes: int) -> None:
    """Move rows' creation time into the past (auto_now_add cannot be set on create)."""
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes))


# Threads and replies


def test_starting_a_thread_writes_the_opening_post_and_sets_activity(category):
    author = UserFactory()
    before = timezone.now()

    thread = start(category, author, title="  Cara   mengurus P-IRT?  ", body="  Halo semua  ")

    thread = fresh(thread)
    assert thread.title == "Cara mengurus P-IRT?"
    assert thread.reply_count == 0
    assert thread.last_activity_at >= before
    opening = thread.posts.get()
    assert (opening.author, opening.body) == (author, "Halo semua")
    assert selectors.opening_post_id(thread=thread) == opening.pk


def test_replies_count_and_move_the_activity(category):
    thread = start(category)
    first_activity = fresh(thread).last_activity_at

    replies = [reply(thread) for _ in range(3)]

    thread.refresh_from_db()
    assert thread.reply_count == 3
    assert thread.last_activity_at == replies[-1].created_at > first_activity
    assert thread.posts.count() == 4


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": "abc"}, {"title"}),
        ({"body": " x "}, {"body"}),
        ({"body": "x" * 10_001}, {"body"}),
        ({"kind": "poll"}, {"kind"}),
        ({"title": "", "body": ""}, {"title", "body"}),
    ],
    ids=["short-title", "short-body", "long-body", "unknown-kind", "empty"],
)
def test_a_bad_thread_is_refused_and_nothing_is_written(category, fields, errors):
    with pytest.raises(ValidationError) as error:
        start(category, **fields)

    assert set(error.value.message_dict) == errors
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_a_too_short_reply_is_refused_with_a_message(category):
    thread = start(category)

    with pytest.raises(ValidationError) as error:
        reply(thread, body="a")

    assert error.value.message_dict == {"body": ["Write at least 2 characters."]}
    assert fresh(thread).reply_count == 0


def test_nul_characters_are_dropped(category):
    thread = start(category)

    post = reply(thread, body="Ha\x00lo")

    assert Post.objects.get(pk=post.pk).body == "Halo"


def test_a_locked_thread_refuses_replies(category, moderator):
    thread = start(category)
    services.thread_lock(thread=thread, by=moderator, locked=True)

    with pytest.raises(ValidationError) as error:
        reply(thread)

    assert error.value.code == "locked"
    assert fresh(thread).reply_count == 0 and thread.posts.count() == 1
    services.thread_lock(thread=thread, by=moderator, locked=False)
    reply(thread)
    assert fresh(thread).reply_count == 1


def test_a_hidden_thread_refuses_replies(category, moderator):
    thread = start(category)
    services.thread_hide(thread=thread, by=moderator, hidden=True)

    with pytest.raises(ValidationError) as error:
        reply(thread)

    assert error.value.code == "hidden"
    assert thread.posts.count() == 1


def test_anonymous_cannot_write(category):
    thread = start(category)

    with pytest.raises(PermissionDenied):
        reply(thread, author=AnonymousUser())
    with pytest.raises(PermissionDenied):
        start(category, author=AnonymousUser())


def test_posting_as_an_enterprise_one_does_not_run_is_refused(category):
    user, own = seller()
    other = EnterpriseFactory()
    thread = start(category, user, enterprise=own)

    with pytest.raises(PermissionDenied):
        reply(thread, author=user, enterprise=other)
    with pytest.raises(PermissionDenied):
        start(category, user, enterprise=other, title="Lain lagi ya")

    assert Thread.objects.count() == 1 and Post.objects.count() == 1
    assert fresh(thread).enterprise == own
    assert reply(thread, author=user, enterprise=own).enterprise == own


# Notifications and mentions


def test_participants_are_told_of_a_reply_but_not_the_replier(category):
    asker, early, hidden_writer, replier, bystander = UserFactory.create_batch(5)
    thread = start(category, asker)
    reply(thread, early)
    spam = reply(thread, hidden_writer)
    spam.is_hidden = True
    spam.save()
    Notification.objects.all().delete()

    reply(thread, replier, body="Saya juga ikut.")

    assert kinds_for(asker) == ["forum_reply"]
    assert kinds_for(early) == ["forum_reply"]
    assert kinds_for(replier) == kinds_for(bystander) == kinds_for(hidden_writer) == []
    note = Notification.objects.get(user=asker)
    assert thread.title in note.title and note.body == "Saya juga ikut."
    assert note.url.startswith(thread.get_absolute_url()) and "#post-" in note.url


def test_replying_to_ones_own_thread_tells_the_others_only(
        category, django_capture_on_commit_callbacks):
    asker, other = UserFactory.create_batch(2)
    thread = start(category, asker)
    reply(thread, other)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        reply(thread, asker)

    assert kinds_for(asker) == [] and kinds_for(other) == ["forum_reply"]
    assert [message.to for message in mail.outbox] == [[other.email]]


def test_mentions_are_stored_and_the_enterprises_people_told(category):
    sari_user, sari = seller(slug="keripik-sari", name="Keripik Sari")
    colleague = EnterpriseMemberFactory(enterprise=sari).user
    EnterpriseFactory(slug="tutup", is_active=False)
    asker = UserFactory()
    thread = start(category, asker)
    Notification.objects.all().delete()

    post = reply(thread, body="Tanya @keripik-sari, bukan @tidak-ada atau @tutup.")

    assert list(post.mentions.all()) == [sari]
    assert kinds_for(sari_user) == kinds_for(colleague) == ["forum_mention"]
    assert kinds_for(asker) == ["forum_reply"]
    assert "Keripik Sari" in Notification.objects.get(user=sari_user).title


def test_a_mentioned_participant_is_told_once(category):
    sari_user, _sari = seller(slug="keripik-sari")
    thread = start(category, sari_user)
    Notification.objects.all().delete()

    reply(thread, body="@keripik-sari punya jawabannya.")

    assert kinds_for(sari_user) == ["forum_mention"]


def test_mentioning_ones_own_enterprise_tells_nobody(category):
    sari_user, _sari = seller(slug="keripik-sari")

    start(category, sari_user, body="Kami @keripik-sari buka pesanan.")

    assert not Notification.objects.exists()


def test_a_new_thread_tells_the_mentioned_enterprises(category):
    sari_user, sari = seller(slug="keripik-sari")

    thread = start(category, body="Halo @keripik-sari!")

    assert list(thread.posts.get().mentions.all()) == [sari]
    assert kinds_for(sari_user) == ["forum_mention"]


# Accepted answers


def test_the_asker_accepts_an_answer_and_its_author_is_told(category):
    asker, helper = UserFactory.create_batch(2)
    thread = start(category, asker)
    answer = reply(thread, helper)
    Notification.objects.all().delete()

    result = services.answer_accept(post=answer, by=asker)

    assert result.accepted_post == answer == fresh(thread).accepted_post
    assert kinds_for(helper) == ["forum_accepted"]
    later = reply(thread)
    services.answer_accept(post=later, by=asker)
    assert fresh(thread).accepted_post == later


def test_a_moderator_can_accept_an_answer(category):
    group_moderator = UserFactory()
    group_moderator.groups.add(Group.objects.create(name=selectors.MODERATORS_GROUP))
    thread = start(category)
    answer = reply(thread)

    services.answer_accept(post=answer, by=group_moderator)

    assert fresh(thread).accepted_post == answer


def test_others_cannot_accept_an_answer(category):
    thread = start(category)
    answer = reply(thread)

    for user in (UserFactory(), answer.author, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.answer_accept(post=answer, by=user)
    assert fresh(thread).accepted_post is None


def test_the_opening_post_and_discussions_have_no_accepted_answer(category):
    asker = UserFactory()
    question = start(category, asker)
    discussion = start(category, asker, kind=Thread.Kind.DISCUSSION, title="Ngobrol santai")
    discussion_reply = reply(discussion)

    with pytest.raises(ValidationError) as opening:
        services.answer_accept(post=question.posts.get(), by=asker)
    with pytest.raises(ValidationError) as not_question:
        services.answer_accept(post=discussion_reply, by=asker)

    assert opening.value.code == "opening" and not_question.value.code == "not_question"
    assert fresh(question).accepted_post is None and fresh(discussion).accepted_post is None


# Reports and moderation


def test_three_reports_hide_a_reply_until_a_moderator_decides(category, moderator):
    thread = start(category)
    post = reply(thread)
    reporters = UserFactory.create_batch(3)

    services.post_report(post=post, reporter=reporters[0], reason="spam")
    services.post_report(post=post, reporter=reporters[1], reason="abuse", note="Kasar")
    post.refresh_from_db()
    assert not post.is_hidden and fresh(thread).reply_count == 1

    services.post_report(post=post, reporter=reporters[2], reason="spam")

    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == services.REPORTED_REASON
    assert fresh(thread).reply_count == 0
    assert list(selectors.reported_post_list()) == [post]

    services.post_reports_dismiss(post=post, by=moderator)

    post.refresh_from_db()
    assert not post.is_hidden and fresh(thread).reply_count == 1
    assert not PostReport.objects.filter(resolved_at__isnull=True).exists()
    assert PostReport.objects.filter(resolved_by=moderator).count() == 3
    assert list(selectors.reported_post_list()) == []


def test_a_reader_reports_a_post_once_and_never_their_own(category):
    thread = start(category)
    post = reply(thread)
    reader = UserFactory()
    services.post_report(post=post, reporter=reader, reason="spam")

    with pytest.raises(ValidationError) as again:
        services.post_report(post=post, reporter=reader, reason="fraud")
    with pytest.raises(ValidationError) as own:
        services.post_report(post=post, reporter=post.author, reason="spam")
    with pytest.raises(ValidationError) as reason:
        services.post_report(post=post, reporter=UserFactory(), reason="boring")

    assert again.value.code == "already_reported" and own.value.code == "own"
    assert "reason" in reason.value.message_dict
    assert PostReport.objects.count() == 1


def test_only_moderators_hide_and_lock(category):
    thread = start(category)
    post = reply(thread)
    services.post_report(post=post, reporter=UserFactory(), reason="spam")

    for user in (UserFactory(), thread.author, post.author, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.post_hide(post=post, by=user, reason="Spam")
        with pytest.raises(PermissionDenied):
            services.thread_lock(thread=thread, by=user, locked=True)
        with pytest.raises(PermissionDenied):
            services.thread_hide(thread=thread, by=user, hidden=True)
        with pytest.raises(PermissionDenied):
            services.post_reports_dismiss(post=post, by=user)

    post.refresh_from_db()
    thread = fresh(thread)
    assert not post.is_hidden and not thread.is_locked and not thread.is_hidden
    assert thread.reply_count == 1
    assert PostReport.objects.filter(resolved_at__isnull=True).count() == 1


def test_hiding_keeps_the_reply_count_and_the_accepted_answer_right(category, moderator):
    asker = UserFactory()
    thread = start(category, asker)
    answer, other = reply(thread), reply(thread)
    services.answer_accept(post=answer, by=asker)
    services.post_report(post=answer, reporter=UserFactory(), reason="fraud")

    with pytest.raises(ValidationError):
        services.post_hide(post=answer, by=moderator, reason="  ")
    services.post_hide(post=answer, by=moderator, reason="Penipuan")
    services.post_hide(post=answer, by=moderator, reason="Penipuan, lagi")

    thread = fresh(thread)
    assert thread.reply_count == 1 and thread.accepted_post is None
    answer.refresh_from_db()
    assert answer.is_hidden and answer.hidden_reason == "Penipuan, lagi"
    assert not PostReport.objects.filter(resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.answer_accept(post=answer, by=asker)

    services.post_hide(post=answer, by=moderator, reason="", hidden=False)
    services.post_hide(post=answer, by=moderator, reason="", hidden=False)
    assert fresh(thread).reply_count == 2
    # The opening post is not a reply: hiding it leaves the count alone.
    services.post_hide(post=thread.posts.first(), by=moderator, reason="Tidak pantas")
    assert fresh(thread).reply_count == 2
    assert other.pk


def test_a_post_a_moderator_hid_stays_hidden_when_reports_are_dismissed(category, moderator):
    post = reply(start(category))
    services.post_hide(post=post, by=moderator, reason="Spam")
    services.post_report(post=post, reporter=UserFactory(), reason="spam")

    services.post_reports_dismiss(post=post, by=moderator)

    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Spam"


def test_moderators_are_staff_or_in_the_group(category):
    staff, member, plain = UserFactory(is_staff=True), UserFactory(), UserFactory()
    member.groups.add(Group.objects.create(name=selectors.MODERATORS_GROUP))
    thread = start(category)

    assert selectors.user_is_forum_moderator(user=staff)
    assert selectors.user_is_forum_moderator(user=member)
    assert not selectors.user_is_forum_moderator(user=plain)
    assert not selectors.user_is_forum_moderator(user=AnonymousUser())
    services.thread_lock(thread=thread, by=member, locked=True)
    assert fresh(thread).is_locked


# Rate limits


def test_the_sixth_post_in_ten_minutes_is_refused(category):
    user = UserFactory()
    thread = start(category, user)  # the opening post counts
    for _ in range(4):
        services.forum_rate_limit_check(user=user, action="post")
        reply(thread, user)

    with pytest.raises(ValidationError) as error:
        services.forum_rate_limit_check(user=user, action="post")

    assert error.value.code == "rate_limited"
    assert error.value.messages == ["You are posting too fast; try again in 10 minutes."]


def test_posts_leave_the_window_and_the_wait_is_told(category):
    user = UserFactory()
    thread = start(category, user)
    posts = [reply(thread, user) for _ in range(4)]
    backdate(thread.posts.first(), minutes=11)
    services.forum_rate_limit_check(user=user, action="post")
    backdate(*posts[:2], minutes=7)
    reply(thread, user)

    with pytest.raises(ValidationError) as error:
        services.forum_rate_limit_check(user=user, action="post")

    assert error.value.messages == ["You are posting too fast; try again in 3 minutes."]


def test_thread_limit_per_hour_and_settings(category, settings):
    user = UserFactory()
    for n in range(3):
        start(category, user, title=f"Pertanyaan nomor {n}")

    with pytest.raises(ValidationError):
        services.forum_rate_limit_check(user=user, action="thread")

    settings.FORUM_THREADS_PER_HOUR = 4
    services.forum_rate_limit_check(user=user, action="thread")
    settings.FORUM_POSTS_PER_10_MINUTES = 3
    with pytest.raises(ValidationError):
        services.forum_rate_limit_check(user=user, action="post")


def test_moderators_are_not_rate_limited(category, moderator):
    thread = start(category, moderator)
    for _ in range(10):
        reply(thread, moderator)

    services.forum_rate_limit_check(user=moderator, action="post")
    services.forum_rate_limit_check(user=moderator, action="thread")


# Editing


def test_the_author_edits_within_the_window(category):
    sari_user, sari = seller(slug="keripik-sari")
    thread = start(category)
    post = reply(thread)
    Notification.objects.all().delete()

    services.post_edit(post=post, by=post.author, body="Ralat: tanya @keripik-sari.")

    post.refresh_from_db()
    assert post.body == "Ralat: tanya @keripik-sari." and post.edited_at
    assert list(post.mentions.all()) == [sari]  # linked...
    assert not Notification.objects.exists()  # ...but an edit tells nobody
    services.post_edit(post=post, by=post.author, body="Ralat lagi tanpa sebutan.")
    services.post_edit(post=post, by=post.author, body="Ralat lagi: @keripik-sari ya.")
    assert list(post.mentions.all()) == [sari]
    assert not Notification.objects.exists()


def test_others_and_latecomers_cannot_edit(category, moderator):
    post = reply(start(category))

    for user in (UserFactory(), moderator, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.post_edit(post=post, by=user, body="Diubah orang lain")
    backdate(post, minutes=31)
    with pytest.raises(ValidationError) as error:
        services.post_edit(post=post, by=post.author, body="Terlambat")

    assert error.value.code == "too_late"
    post.refresh_from_db()
    assert post.body == "Siapkan KTP dan foto dapur." and post.edited_at is None
