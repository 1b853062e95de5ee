from .base import *  # noqa: F403
from .base import os

DEBUG = os.environ.get("DEBUG", "1") != "0"
SERVE_MEDIA = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
# Tasks run inline so `make run` needs no worker process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}
