from .base import *  # noqa: F403

DEBUG = False
SERVE_MEDIA = True
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the browser tests' live server answers requests in several threads,
    # and threads must not share one in-memory connection.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"guyub-test-{os.getpid()}.sqlite3")  # noqa: F405
    }

# "replica" is the test database under a second connection (never created, never migrated);
# pytest sets it up only for tests that ask for it (tests/cms/test_read_replica.py). No router:
# the rest of the suite reads from default, as a deployment without DATABASE_REPLICA_URL does.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "OPTIONS": {
        key: value
        for key, value in DATABASES["default"].get("OPTIONS", {}).items()  # noqa: F405
        if key != "transaction_mode"  # a reader: SQLite's BEGIN IMMEDIATE would take the lock
    },
    "TEST": {"MIRROR": "default"},
}
DATABASE_ROUTERS = []
