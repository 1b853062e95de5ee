"""Production: every secret comes from the environment and the app refuses to start without one."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, os

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")

# Each gunicorn worker keeps its connection a minute: a new PostgreSQL connection per request
# costs more than most pages.
for _database in DATABASES.values():  # noqa: F405
    _database["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))

# Without Redis each process has its own cache, and a save would forget shared pages in one
# process only: the page cache needs the shared one.
if not os.environ.get("REDIS_URL"):
    PAGE_CACHE_SECONDS = 0

# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health/(tasks/)?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# How many proxies append to X-Forwarded-For in front of the app (0: none, clients connect
# directly).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))


def client_ip_address(request) -> str | None:
    """The visitor's address as the outermost trusted proxy saw it.

    Behind a proxy REMOTE_ADDR is the proxy itself, so login throttling keyed on it would let one
    attacker lock a username out for everyone. Entries left of the proxies' own are written by the
    client and could be forged, so they are never used."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if TRUSTED_PROXY_COUNT and len(hops) >= TRUSTED_PROXY_COUNT:
        return hops[-TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = client_ip_address

# Log collectors read one JSON object a line; LOG_FORMAT=plain brings back text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405

# The console backend would write password-reset links into the logs; send by SMTP (to a local
# relay unless EMAIL_HOST is set).
if not os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25},
        }
    }
