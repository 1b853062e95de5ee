"""Accounts: sign-up, log-in and out, password change and reset, and login throttling (axes).

Logins go through the login view, not client.login(): django-axes only counts attempts that
carry the request."""

import re
from html import escape

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-rahasia-123"  # what UserFactory sets
NEW_PASSWORD = "kopi-temanggung-2-ton"
RESET_LINK = re.compile(r"https?://testserver(/\S*reset/[^/\s]+/[^/\s]+/)")


def indonesian(message: str) -> str:
    """A message as an unprefixed (Indonesian) page shows it, HTML-escaped."""
    with translation.override("id"):
        return escape(gettext(message))


def logged_in_user_id(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def log_in(client, username: str, password: str, ip: str = "127.0.0.1", **data):
    return client.post(
        "/accounts/login/", {"username": username, "password": password, **data}, REMOTE_ADDR=ip
    )


def signup_data(**overrides) -> dict:
    data = {
        "first_name": "Sari",
        "username": "keripiksari",
        "email": "Sari@Example.com",
        "password1": "singkong-renyah-2024",
        "password2": "singkong-renyah-2024",
    }
    data.update(overrides)
    return data


# Sign-up


def test_signup_form_asks_for_name_username_email_and_password(client):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    content = response.content.decode()
    for field in ("first_name", "username", "email", "password1", "password2"):
        assert f'name="{field}"' in content


def test_signup_creates_the_user_logs_them_in_and_sends_them_to_create_an_enterprise(client):
    response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/enterprises/new/"
    user = get_user_model().objects.get(username="keripiksari")
    assert user.email == "sari@example.com"
    assert user.first_name == "Sari"
    assert user.check_password("singkong-renyah-2024")
    assert logged_in_user_id(client) == user.pk
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_signup_in_english_sends_the_user_on_in_english(client):
    response = client.post("/en/accounts/signup/", signup_data())

    assert response["Location"] == "/en/dashboard/enterprises/new/"


def test_signup_refuses_an_email_already_registered_in_any_case(client):
    UserFactory(username="sari", email="sari@example.com")

    response = client.post("/accounts/signup/", signup_data(email="SARI@example.com"))

    assert response.status_code == 200
    assert indonesian("An account with this email already exists.") in response.content.decode()
    assert not get_user_model().objects.filter(username="keripiksari").exists()
    assert logged_in_user_id(client) is None


def test_signup_refuses_a_taken_username(client):
    UserFactory(username="keripiksari")

    response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 200
    assert indonesian("A user with that username already exists.") in response.content.decode()
    assert get_user_model().objects.filter(username="keripiksari").count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "This password is too common."),
        ("83920174", "This password is entirely numeric."),
        ("keripiksari", "The password is too similar to the %(verbose_name)s."),
    ],
)
def test_signup_refuses_a_weak_password_with_the_reason(client, password, message):
    response = client.post(
        "/accounts/signup/", signup_data(password1=password, password2=password)
    )

    assert response.status_code == 200
    expected = indonesian(message).split("%(")[0]
    assert expected in response.content.decode()
    assert not get_user_model().objects.filter(username="keripiksari").exists()


def test_signup_refuses_mismatched_passwords(client):
    response = client.post("/accounts/signup/", signup_data(password2="singkong-renyah-2025"))

    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_signup_sends_a_logged_in_user_to_the_dashboard(client):
    client.force_login(UserFactory())

    response = client.get("/accounts/signup/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


# Log in and out


def test_login_page_renders(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_login_with_the_right_password_goes_to_the_dashboard(client):
    user = UserFactory()

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert logged_in_user_id(client) == user.pk


def test_login_follows_a_safe_next_url_but_not_another_site(client):
    user = UserFactory()

    assert log_in(client, user.username, PASSWORD, next="/products/")["Location"] == "/products/"
    client.post("/accounts/logout/")
    response = log_in(client, user.username, PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/dashboard/"


def test_login_with_a_wrong_password_is_refused(client):
    user = UserFactory()

    response = log_in(client, user.username, "salah-sandi")

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert logged_in_user_id(client) is None


def test_login_page_sends_a_logged_in_user_on(client):
    client.force_login(UserFactory())

    response = client.get("/accounts/login/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_logout_by_post_ends_the_session_and_returns_home(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None


def test_logout_from_english_returns_to_the_english_home(client):
    client.force_login(UserFactory())

    response = client.post("/en/accounts/logout/")

    assert response["Location"] == "/en/"
    assert logged_in_user_id(client) is None


def test_logout_by_get_is_refused(client):
    # A link (or an <img> on another site) must not be able to log anyone out.
    user = UserFactory()
    client.force_login(user)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert logged_in_user_id(client) == user.pk


# Password change


def test_password_change_needs_a_login(client):
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_password_change_keeps_the_user_logged_in_and_takes_effect(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/password_change/").status_code == 200

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    assert logged_in_user_id(client) == user.pk
    assert client.get("/accounts/password_change/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_refuses_a_wrong_old_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": "bukan-sandi", "new_password1": NEW_PASSWORD,
         "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# Password reset by email


def request_reset_link(client, email: str) -> str:
    response = client.post("/accounts/password_reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    match = RESET_LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_by_email_sets_a_new_password(client):
    user = UserFactory(email="sari@example.com")

    link = request_reset_link(client, "sari@example.com")

    assert mail.outbox[0].to == ["sari@example.com"]
    form_page = client.get(link)
    assert form_page.status_code == 302  # Django moves the token out of the URL first
    set_password_url = form_page["Location"]
    assert client.get(set_password_url).context["validlink"] is True
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    assert client.get("/accounts/reset/done/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert log_in(client, user.username, NEW_PASSWORD)["Location"] == "/dashboard/"


def test_password_reset_asked_in_english_links_to_the_english_page(client):
    UserFactory(email="dewi@example.com")

    client.post("/en/accounts/password_reset/", {"email": "dewi@example.com"})

    assert RESET_LINK.search(mail.outbox[0].body).group(1).startswith("/en/accounts/reset/")


def test_password_reset_link_works_only_once(client):
    UserFactory(email="sari@example.com")
    link = request_reset_link(client, "sari@example.com")
    set_password_url = client.get(link)["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    reused = client.get(link, follow=True)

    assert reused.status_code == 200
    assert reused.context["validlink"] is False


def test_password_reset_still_rejects_a_weak_new_password(client):
    user = UserFactory(email="sari@example.com")
    set_password_url = client.get(request_reset_link(client, "sari@example.com"))["Location"]

    response = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


# Login throttling (django-axes)


def fail_logins(client, username: str, times: int, ip: str = "127.0.0.1") -> list[int]:
    return [log_in(client, username, "tebak-sandi", ip).status_code for _ in range(times)]


def test_login_is_locked_after_the_failure_limit_even_with_the_right_password(client):
    user = UserFactory()
    limit = settings.AXES_FAILURE_LIMIT

    # Each failure before the limit shows the form again; the one reaching it locks.
    assert fail_logins(client, user.username, limit) == [200] * (limit - 1) + [429]
    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert logged_in_user_id(client) is None


def test_lockout_leaves_other_usernames_and_other_addresses_alone(client):
    target, neighbour = UserFactory(), UserFactory()
    fail_logins(client, target.username, settings.AXES_FAILURE_LIMIT)

    assert log_in(client, neighbour.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    # Locking is per username *and* address: the owner can still log in from her phone.
    assert log_in(client, target.username, PASSWORD, ip="203.0.113.7").status_code == 302


def test_a_successful_login_resets_the_failure_count(client):
    user = UserFactory()
    almost = settings.AXES_FAILURE_LIMIT - 1

    assert fail_logins(client, user.username, almost) == [200] * almost
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    assert fail_logins(client, user.username, almost) == [200] * almost
    assert log_in(client, user.username, PASSWORD).status_code == 302
