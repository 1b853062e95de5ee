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
