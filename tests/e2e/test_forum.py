"""Rina answers Ibu Sari's question in the forum on her phone: she logs in from the thread,
mentions an enterprise, and the script she pastes stays text."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import Notification
from knowledge.models import Post, Thread
from knowledge.services import forum as services
from tests.e2e.conftest import ARTIFACTS
from tests.factories import ForumCategoryFactory, UserFactory, seller

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-rahasia-123"
REPLY = (
    "Coba tanya @koperasi-kopi, mereka sudah punya izin P-IRT.\n\n"
    "<script>window.__xss=1</script> <img src=x onerror=\"window.__xss=2\">"
)


def test_a_member_replies_with_a_mention_and_no_script_runs(phone):
    sari_user, _sari = seller(name="Keripik Sari", slug="keripik-sari")
    budi_user, kopi = seller(name="Koperasi Kopi Temanggung", slug="koperasi-kopi")
    rina = UserFactory(username="rina", first_name="Rina")
    thread = services.thread_start(
        category=ForumCategoryFactory(), author=sari_user, kind=Thread.Kind.QUESTION,
        title="Bagaimana cara mengurus P-IRT?", body="Apa saja syaratnya di Banyumas?",
    )
    Notification.objects.all().delete()

    # Reading needs no account; replying sends her to log in and back to the form.
    phone.goto(thread.get_absolute_url())
    expect(phone.locator("h1")).to_have_text(thread.title)
    phone.locator("#reply a[href^='/accounts/login/?next=']").click()
    phone.locator("[name=username]").fill("rina")
    phone.locator("[name=password]").fill(PASSWORD)
    phone.locator("main form [type=submit]").click()
    phone.wait_for_url(re.compile(rf"/forum/thread/{thread.pk}/#reply$"))

    phone.get_by_label(re.compile("Balasan Anda|Your reply")).fill(REPLY)
    phone.locator("form.forum-reply [type=submit]").click()

    phone.wait_for_url(re.compile(rf"/forum/thread/{thread.pk}/#post-\d+$"))
    post = Post.objects.get(author=rina)
    article = phone.locator(f"#post-{post.pk}")
    expect(article).to_be_visible()
    expect(article).to_contain_text("<script>window.__xss=1</script>")
    expect(article).to_contain_text('<img src=x onerror="window.__xss=2">')
    mention = article.locator("a.mention")
    expect(mention).to_have_text("@koperasi-kopi")
    expect(mention).to_have_attribute("href", kopi.get_absolute_url())
    expect(article.locator("script, img")).to_have_count(0)
    assert phone.evaluate("window.__xss") is None
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=ARTIFACTS / "forum-reply.png", full_page=True)

    thread.refresh_from_db()
    assert thread.reply_count == 1 and list(post.mentions.all()) == [kopi]
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        (sari_user.username, "forum_reply"), (budi_user.username, "forum_mention"),
    }

    mention.click()
    phone.wait_for_url(f"**{kopi.get_absolute_url()}")
    assert phone.evaluate("window.__xss") is None
