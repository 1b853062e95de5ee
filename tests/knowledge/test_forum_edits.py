"""Editing forum posts: edits link @mentions without telling anyone (an edit loop cannot send
notifications), and edits have their own limit, like new posts."""

import pytest
from django.urls import reverse

from cms.models import Notification
from knowledge.models import Thread
from knowledge.services import forum as services
from tests.factories import ForumCategoryFactory, UserFactory, seller

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def post():
    thread = services.thread_start(
        category=ForumCategoryFactory(), author=UserFactory(), kind=Thread.Kind.DISCUSSION,
        title="Halo semua", body="Halo dari Banyumas.")
    return thread.posts.get()


def edit(client, post, body):
    return client.post(reverse("post_edit", kwargs={"pk": post.pk}), {"body": body})


def test_an_edit_that_adds_mentions_tells_nobody(client, post):
    _user_a, a = seller(slug="usaha-a")
    _user_b, b = seller(slug="usaha-b")
    client.force_login(post.author)

    for body in ["Tanya @usaha-a", "Tanya @usaha-b", "Tanya @usaha-a lagi"]:
        assert edit(client, post, body).status_code == 302

    post.refresh_from_db()
    assert post.body == "Tanya @usaha-a lagi"
    assert list(post.mentions.all()) == [a]
    assert not Notification.objects.filter(kind="forum_mention").exists()


def test_the_sixth_edit_in_ten_minutes_is_refused(client, post, settings):
    settings.FORUM_EDITS_PER_10_MINUTES = 5
    client.force_login(post.author)
    for number in range(5):
        assert edit(client, post, f"Ralat nomor {number}").status_code == 302

    response = edit(client, post, "Ralat keenam")

    assert response.status_code == 200
    assert "You are posting too fast; try again in 10 minutes." in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Ralat nomor 4"


def test_moderators_edit_past_the_limit(client, settings):
    settings.FORUM_EDITS_PER_10_MINUTES = 2
    moderator = UserFactory(is_staff=True)
    thread = services.thread_start(
        category=ForumCategoryFactory(), author=moderator, kind=Thread.Kind.DISCUSSION,
        title="Pengumuman", body="Isi awal.")
    post = thread.posts.get()
    client.force_login(moderator)

    for number in range(4):
        assert edit(client, post, f"Pengumuman {number}").status_code == 302
    post.refresh_from_db()
    assert post.body == "Pengumuman 3"
