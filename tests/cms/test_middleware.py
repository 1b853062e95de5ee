"""A NUL character in a query string is refused with 400 before any view or database sees it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/products/?q=kerip%00ik",
    "/knowledge/?q=a%00b",
    "/forum/?q=a%00",
    "/events/calendar.ics?regency=a%00b",
    "/api/v1/products/?search=%00",
])
def test_a_nul_character_in_the_query_is_a_bad_request(client, path):
    response = client.get(path)

    assert response.status_code == 400


def test_ordinary_queries_pass(client):
    assert client.get("/products/?q=keripik").status_code == 200
