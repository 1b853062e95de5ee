import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (throttles, cached fragments)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stranger(client):
    """Logged in as a user who runs an enterprise, just not the one under test."""
    from tests.factories import seller

    user, _own = seller()
    client.force_login(user)
    return user


@pytest.fixture
def english(settings):
    """Serve unprefixed pages and service messages in English, the source language, for tests
    that read interface text (the Indonesian catalogue is tested on its own)."""
    from django.urls import clear_url_caches
    from django.utils import translation

    # URL resolvers cache each language's prefix; drop them when the default language changes.
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    with translation.override("en"):
        yield
    clear_url_caches()


@pytest.fixture
def migrated_rows(transactional_db):
    """Transactional tests (browser tests, races between connections) commit for real, and the
    flush after each one also removes the rows the data migrations made (Wagtail's root
    collection and pages, the locales, the home page, regions) and the sections made after
    migrating. Make them again, with the functions that made them."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    from knowledge.services.pages import site_sections_ensure

    if Collection.objects.exists():
        return
    Collection.add_root(name="Root")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:  # before any page needs its locale
        Locale.objects.get_or_create(language_code=code)
    Page.add_root(instance=Page(title="Root", slug="root"))
    import_module("cms.migrations.0004_create_homepage").create_homepage(apps, None)
    # The migration replaced Wagtail's welcome page, so the root's child count was right there.
    Page.objects.filter(depth=1).update(numchild=1)
    import_module("enterprises.migrations.0002_regions").load_regions(apps, None)
    site_sections_ensure()
