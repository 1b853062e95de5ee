"""Deployment settings, read the way a server reads them: a fresh process and its environment."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Variables a developer's shell may hold that would change what a settings module reads.
DEPLOYMENT_VARIABLES = (
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "REDIS_URL", "DB_CONN_MAX_AGE", "EMAIL_HOST", "EMAIL_BACKEND", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "AWS_STORAGE_BUCKET_NAME", "TASKS_BACKEND", "TRUSTED_PROXY_COUNT",
    "DATABASE_REPLICA_URL", "PAGE_CACHE_SECONDS",
)


def server_environment(settings_module: str = "cms.settings.production", **variables) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in DEPLOYMENT_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="guyub.example",
        LOG_LEVEL="WARNING",
    )
    env.update(variables)
    return {key: value for key, value in env.items() if value is not None}


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - runs this file's own code
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def settings_values(env: dict, *names: str) -> dict:
    """The named settings as a fresh process configured by `env` sees them."""
    result = run_python(
        f"""
        import json
        from django.conf import settings
        print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}, default=str))
        """,
        env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_passes_without_warnings():
    # DATABASE_URL is passed through, so CI checks the database it deploys to.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=server_environment(), capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert "System check identified no issues" in output


@pytest.mark.parametrize("secret_key", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(secret_key):
    result = run_python(
        "from django.conf import settings; settings.DEBUG",
        server_environment(SECRET_KEY=secret_key),
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY in the environment." in result.stderr


def test_production_is_hardened():
    values = settings_values(
        server_environment(DEBUG="1"),
        "DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    )

    # DEBUG=1 in a production environment must not turn on tracebacks for visitors.
    assert values == {
        "DEBUG": False, "ALLOWED_HOSTS": ["guyub.example"], "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
    }


def test_production_never_prints_email_to_the_console():
    # Password-reset links written to the logs would let anyone who reads them take accounts.
    result = run_python(
        """
        import django
        django.setup()
        from django.core import mail
        backend = type(mail.mailers["default"])
        print(f"{backend.__module__}.{backend.__name__}")
        """,
        server_environment(),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.smtp.EmailBackend"


def test_redis_url_selects_the_redis_cache():
    env = server_environment(REDIS_URL="redis://cache.internal:6379/2")

    caches = settings_values(env, "CACHES")["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/2"


def test_without_redis_url_the_cache_is_process_memory():
    caches = settings_values(server_environment(), "CACHES")["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_shares_pages_only_through_a_shared_cache():
    # Each gunicorn process has its own memory: a save would forget pages in one process only.
    assert settings_values(server_environment(), "PAGE_CACHE_SECONDS") == {"PAGE_CACHE_SECONDS": 0}
    with_redis = server_environment(REDIS_URL="redis://cache.internal:6379/2")
    assert settings_values(with_redis, "PAGE_CACHE_SECONDS") == {"PAGE_CACHE_SECONDS": 300}
    # Production persists database connections for a minute unless told otherwise.
    databases = settings_values(server_environment(), "DATABASES")["DATABASES"]
    assert databases["default"]["CONN_MAX_AGE"] == 60


def test_postgres_database_url_is_parsed_and_enables_contrib_postgres():
    env = server_environment(
        DATABASE_URL="postgres://guyub:rahasia@db.internal:5433/guyub_live", DB_CONN_MAX_AGE="60"
    )

    values = settings_values(env, "DATABASES", "INSTALLED_APPS")
    database = values["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "guyub_live", "guyub", "rahasia"
    )
    assert (database["HOST"], int(database["PORT"])) == ("db.internal", 5433)
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "django.contrib.postgres" in values["INSTALLED_APPS"]


def test_sqlite_database_url_uses_write_ahead_logging():
    env = server_environment(DATABASE_URL="sqlite:////srv/guyub/db.sqlite3")

    values = settings_values(env, "DATABASES", "INSTALLED_APPS")
    database = values["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == "/srv/guyub/db.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert "django.contrib.postgres" not in values["INSTALLED_APPS"]


def test_production_redirects_to_https_except_the_health_check():
    # The load balancer probes /health/ over plain HTTP; everything else must move to HTTPS.
    result = run_python(
        """
        import json
        import django
        django.setup()
        from django.test import Client
        client = Client(HTTP_HOST="guyub.example")
        health = client.get("/health/")
        page = client.get("/products/?q=keripik")
        proxied = client.get("/health/", headers={"X-Forwarded-Proto": "https"})
        print(json.dumps({
            "health": health.status_code,
            "page": page.status_code,
            "page_location": page.get("Location"),
            "hsts": proxied.get("Strict-Transport-Security"),
        }))
        """,
        server_environment(DATABASE_URL="sqlite://:memory:"),
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["health"] == 200
    assert outcome["page"] == 301
    assert outcome["page_location"] == "https://guyub.example/products/?q=keripik"
    assert outcome["hsts"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    ("proxy_count", "remote_addr", "forwarded_for", "throttled_address"),
    [
        # One proxy appends the visitor's address; whatever the visitor sent is ignored.
        ("1", "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        ("1", "10.0.0.2", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # A CDN in front of the proxy: the visitor is the second-last entry.
        ("2", "10.0.0.2", "198.51.100.1, 203.0.113.7, 192.0.2.10", "203.0.113.7"),
        # A request that did not come through the proxies is keyed on its own address.
        ("1", "203.0.113.9", None, "203.0.113.9"),
        ("0", "203.0.113.9", "198.51.100.1", "203.0.113.9"),
    ],
)
def test_login_throttling_keys_on_the_visitor_behind_the_proxy(
    proxy_count, remote_addr, forwarded_for, throttled_address
):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    result = run_python(
        f"""
        import django
        django.setup()
        from axes.helpers import get_client_ip_address
        from django.test import RequestFactory
        print(get_client_ip_address(RequestFactory().post("/accounts/login/", **{headers!r})))
        """,
        server_environment(TRUSTED_PROXY_COUNT=proxy_count),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == throttled_address
