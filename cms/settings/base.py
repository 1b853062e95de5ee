"""Settings shared by every environment. Values that differ per deployment come from the
environment; the defaults here are safe for development only where noted."""

import os
from pathlib import Path

import dj_database_url
from django.urls import reverse_lazy
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "enterprises",
    "marketplace",
    "knowledge",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: the request id and the access log line cover every response.
    "cms.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the CSP middleware, so the admin's looser policy is chosen before it builds the header.
    "cms.middleware.AdminContentSecurityPolicyMiddleware",
    "cms.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Near the end: its process_exception sees a view's database errors before anything else
    # turns them into a 500; every middleware above still adds its headers to the 503.
    "cms.middleware.DatabaseUnavailableMiddleware",
    # Last, so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.notifications",
                "marketplace.context_processors.cart",
            ],
            "builtins": ["cms.templatetags.guyub"],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# A PostgreSQL read replica, optional: only the heavy analytics read from it (cms.db_routers).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["cms.db_routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured, process memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "guyub",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Wagtail looks up every photo's rendition in this cache even when it was prefetched: in process
# memory that costs nothing, in Redis a round trip per photo (24 on a catalogue page). Renditions
# do not change once made; the timeout bounds how long another process may remember a deleted one.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}

# Pages anonymous visitors share (home, catalogue, products) are kept this long at most; saves of
# what they show forget them sooner (cms.page_cache). 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# Background work: the database queue in production, run inline in dev and tests.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
# The home page in the visitor's language ("/" or "/en/"); Wagtail serves it, unnamed.
LOGOUT_REDIRECT_URL = reverse_lazy("wagtail_serve", args=[""])

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves uploads itself only in development and tests (cms.views.media).
SERVE_MEDIA = False

# Private files (bank transfer proofs) are never served by URL, only through views that check
# who is asking.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage for uploads; django-storages reads the AWS_* variables
    # (AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME).
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage",
                           "OPTIONS": {"location": "private", "default_acl": "private",
                                       "querystring_auth": True}}
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False

# Content-Security-Policy: only our own files run; the few inline scripts and styles carry the
# request's nonce (`{{ csp_nonce }}`). The admin and the API docs get looser policies
# (cms.middleware), since Wagtail and Redoc use inline code.
MEDIA_ORIGINS: list[str] = []
if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
    MEDIA_ORIGINS.append(f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}")
elif os.environ.get("AWS_S3_ENDPOINT_URL"):
    # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) addresses.
    _scheme, _, _host = os.environ["AWS_S3_ENDPOINT_URL"].rstrip("/").partition("://")
    MEDIA_ORIGINS += [f"{_scheme}://{_host}", f"{_scheme}://*.{_host}"]
elif os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    MEDIA_ORIGINS.append(f"https://{os.environ['AWS_STORAGE_BUCKET_NAME']}.s3.amazonaws.com")
    if os.environ.get("AWS_S3_REGION_NAME"):
        MEDIA_ORIGINS.append(f"https://{os.environ['AWS_STORAGE_BUCKET_NAME']}.s3."
                             f"{os.environ['AWS_S3_REGION_NAME']}.amazonaws.com")
# Players of the video block, loaded only when the reader taps it.
VIDEO_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com",
                 "https://player.vimeo.com"]
# Checkout and Connect onboarding answer a form post with a redirect to Stripe, which
# form-action also governs.
STRIPE_FORM_ORIGINS = (["https://checkout.stripe.com", "https://connect.stripe.com"]
                       if os.environ.get("STRIPE_SECRET_KEY") else [])
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "media-src": [CSP.SELF, *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": VIDEO_ORIGINS,
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF, *STRIPE_FORM_ORIGINS],
    "frame-ancestors": [CSP.NONE],
}
# Wagtail's and Django's admin use inline scripts, inline styles, blob: previews and framed
# previews of their own pages. No nonce here: a nonce would make browsers ignore 'unsafe-inline'.
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https://www.gravatar.com", *MEDIA_ORIGINS],
    "frame-src": [CSP.SELF, *VIDEO_ORIGINS],
    "frame-ancestors": [CSP.SELF],
}
# Redoc (/api/v1/docs/) starts from one inline script and styles itself inline; it parses the
# schema in a blob: worker.
SECURE_CSP_API_DOCS = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
    "img-src": [CSP.SELF, "data:"],
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guyub <noreply@guyub.id>")
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    # Console email in development: password-reset links appear in the terminal.
    MAILERS = {
        "default": {
            "BACKEND": os.environ.get(
                "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            )
        }
    }

# Uploads: photos come straight from phone cameras; anything larger is refused with a message.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 8 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "heif", "gif"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"heic": "jpeg", "heif": "jpeg"}

# Payments (Stripe is optional; bank transfer and cash on delivery need no keys).
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Country of the sellers' Stripe Connect Express accounts.
STRIPE_CONNECT_COUNTRY = os.environ.get("STRIPE_CONNECT_COUNTRY", "ID")
# The platform's fee on card payments, which pass through its Stripe account. Bank transfers and
# cash go straight to the seller, so carry no fee.
PLATFORM_FEE_PERCENT = int(os.environ.get("PLATFORM_FEE_PERCENT", "5"))
# How long stock stays reserved for an unpaid order: a Stripe Checkout session (30 minutes at
# least, Stripe's minimum) and a bank transfer.
STRIPE_CHECKOUT_MINUTES = int(os.environ.get("STRIPE_CHECKOUT_MINUTES", "60"))
BANK_TRANSFER_DAYS = int(os.environ.get("BANK_TRANSFER_DAYS", "3"))

# Forum rate limits per person (moderators are exempt), counted in the database.
FORUM_POSTS_PER_10_MINUTES = int(os.environ.get("FORUM_POSTS_PER_10_MINUTES", "5"))
FORUM_THREADS_PER_HOUR = int(os.environ.get("FORUM_THREADS_PER_HOUR", "3"))
FORUM_EDITS_PER_10_MINUTES = int(os.environ.get("FORUM_EDITS_PER_10_MINUTES", "5"))
# Accounts created from one address per hour (counted in the cache, shared by the processes).
SIGNUPS_PER_HOUR = int(os.environ.get("SIGNUPS_PER_HOUR", "5"))

# Sources sampled for the approximate betweenness of the network metrics: time grows linearly
# (about 1.2 s per 64 at 1,000,000 ties), accuracy with the square root.
NETWORK_BETWEENNESS_SAMPLES = int(os.environ.get("NETWORK_BETWEENNESS_SAMPLES", "64"))

WAGTAIL_SITE_NAME = "Guyub"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Every page made in one language gets an alias in the other until an editor translates it.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cms.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "cms.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "cms.api.exception_handler",
    "PAGE_SIZE": 20,
    # Only writes count (reads are cached and cheap): per person, and per address when anonymous.
    "DEFAULT_THROTTLE_CLASSES": ["cms.api.UserWriteThrottle", "cms.api.AnonWriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_write": os.environ.get("API_WRITE_RATE", "60/minute"),
        "api_write_anon": os.environ.get("API_ANON_WRITE_RATE", "20/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guyub API",
    "DESCRIPTION": "Products, enterprises and cooperatives of Guyub's village marketplace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["cms.api.schema_public_endpoints"],
    # Several serializers have a `status`; this one is the impact report's.
    "ENUM_NAME_OVERRIDES": {"ImpactStatusEnum": [("ok", "ok"), ("refused", "refused")]},
    # The docs page's JavaScript is served from our static files, not a CDN.
    "REDOC_DIST": "SIDECAR",
}

# Logs: plain text in development, one JSON object a line with LOG_FORMAT=json (the production
# default). Every record names its request id (and user, path, method, task id): cms.logging.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "cms.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "cms.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_context"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# /health/tasks/: staff, or a monitor sending "Authorization: Bearer <HEALTH_TOKEN>"; "degraded"
# (503) when a task has waited longer than TASKS_HEALTH_MAX_QUEUE_AGE seconds.
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
TASKS_HEALTH_MAX_QUEUE_AGE = int(os.environ.get("TASKS_HEALTH_MAX_QUEUE_AGE", "600"))
