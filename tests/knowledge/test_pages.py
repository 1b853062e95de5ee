"""The page tree: /knowledge/ and /events/ exist after migrating, and every Indonesian page has an
English counterpart (an alias until an editor translates it)."""

import pytest
from wagtail.models import Locale, Page

from cms.models import HomePage
from knowledge.models import ArticlePage, EventIndexPage, KnowledgeIndexPage
from knowledge.services.pages import page_translate, section_page, site_sections_ensure
from tests.factories import article

pytestmark = pytest.mark.django_db


def english():
    return Locale.objects.get(language_code="en")


@pytest.mark.parametrize("path", ["/knowledge/", "/events/", "/en/knowledge/", "/en/events/"])
def test_the_sections_are_served_in_both_languages(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.resolver_match.url_name == "wagtail_serve"


def test_the_sections_have_english_titles_and_the_english_home_is_an_alias():
    en_home = HomePage.objects.get(locale=english())
    knowledge_en = KnowledgeIndexPage.objects.get(locale=english())

    assert en_home.alias_of_id == HomePage.objects.get(locale=Locale.get_default()).pk
    assert knowledge_en.title == "Knowledge" and knowledge_en.alias_of_id is None
    assert EventIndexPage.objects.get(locale=english()).title == "Events and trainings"


def test_ensuring_the_sections_again_adds_nothing():
    before = Page.objects.count()

    site_sections_ensure()

    assert Page.objects.count() == before


def test_a_new_page_gets_an_english_alias_that_goes_live_when_it_is_published(client):
    draft = article(title="Cara mengurus NIB", publish=False)
    alias = ArticlePage.objects.get(locale=english(), translation_key=draft.translation_key)

    assert alias.alias_of_id == draft.pk and not alias.live
    assert client.get("/en/knowledge/cara-mengurus-nib/").status_code == 404

    draft.save_revision().publish()

    response = client.get("/en/knowledge/cara-mengurus-nib/")
    assert response.status_code == 200
    assert "Cara mengurus NIB" in response.content.decode()


def test_a_translation_replaces_the_alias_and_points_back_to_the_original(client):
    original = article(title="Cara mengurus NIB")

    translation = page_translate(page=original, language_code="en",
                                 title="Getting an NIB", summary="How to register.")

    assert translation.alias_of_id is None and translation.live
    assert translation.canonical.pk == original.pk
    assert original.canonical.pk == original.pk
    assert "Getting an NIB" in client.get("/en/knowledge/cara-mengurus-nib/").content.decode()
    assert "Cara mengurus NIB" in client.get("/knowledge/cara-mengurus-nib/").content.decode()


def test_sections_are_found_in_the_default_locale():
    assert section_page("KnowledgeIndexPage").locale == Locale.get_default()
