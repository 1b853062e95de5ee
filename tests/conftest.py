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
