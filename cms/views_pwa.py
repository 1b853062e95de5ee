"""Installable app and offline use for slow village connections: the web app manifest, the
service worker (served from the site root so it controls every page) and the offline page."""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import etag, require_safe

# Precached on install: enough to draw any saved page and the offline page.
SHELL_STATIC = [
    "css/guyub.css",
    "js/guyub.js",
    "vendor/htmx.min.js",
    "icons/icons.svg",
    "icons/favicon.svg",
    "icons/icon-192.png",
]
# Never stored by the service worker: other people's data, money and session changes.
PRIVATE_PREFIXES = ["/api/", "/admin/", "/django-admin/", "/documents/", "/payments/", "/health/"]
# The same, below each language prefix (/en/cart/ as well as /cart/).
PRIVATE_PAGE_PREFIXES = ["/accounts/", "/cart/", "/checkout/"]

THEME_COLOR = "#27325e"  # --indigo in static/css/guyub.css
BACKGROUND_COLOR = "#fbf7f1"  # --paper


def _names_are_hashed(urls: list[str]) -> bool:
    """Hashed names (collectstatic with the manifest storage, DEBUG off) never change content."""
    pairs = zip(urls, SHELL_STATIC, strict=True)
    return all(url != settings.STATIC_URL + name for url, name in pairs)


def _shell_version(urls: list[str]) -> str:
    """Changes whenever a deploy changes a shell file: hashed names do that by themselves;
    without them (development, tests) the files' contents are hashed."""
    digest = hashlib.sha256("\n".join(urls).encode())
    if not _names_are_hashed(urls):
        for name in SHELL_STATIC:
            path = finders.find(name)
            if path:
                with open(path, "rb") as file:
                    digest.update(file.read())
    return digest.hexdigest()[:16]


def _worker_config() -> dict:
    shell = [staticfiles_storage.url(name) for name in SHELL_STATIC]
    offline = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            offline[code] = reverse("offline")
    prefixes = sorted({url.removesuffix("offline/").rstrip("/") for url in offline.values()} - {""})
    return {
        "version": _shell_version(shell),
        "shell": shell,
        "hashedStatic": _names_are_hashed(shell),
        "offline": offline,
        "defaultLanguage": settings.LANGUAGE_CODE,
        "languagePrefixes": prefixes,
        "privatePrefixes": PRIVATE_PREFIXES,
        "privatePagePrefixes": PRIVATE_PAGE_PREFIXES,
        "staticUrl": settings.STATIC_URL,
        "mediaUrl": settings.MEDIA_URL,
    }


def _worker_etag(request) -> str:
    return _worker_config()["version"]


@require_safe
@etag(_worker_etag)
def service_worker(request):
    """At /sw.js so its scope is the whole site. Browsers check it for updates on navigation;
    `no-cache` makes each check a cheap conditional request (the ETag is the shell version)."""
    config = json.dumps(_worker_config(), separators=(",", ":"))
    body = render_to_string("cms/sw.js", {"config": config}, request=request)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_safe
def manifest(request):
    def icon(name, size, purpose="any"):
        return {"src": staticfiles_storage.url(name), "sizes": f"{size}x{size}",
                "type": "image/png", "purpose": purpose}

    with translation.override(settings.LANGUAGE_CODE):
        description = gettext("A marketplace where village enterprises work together.")
    data = {
        "id": "/",
        "name": "Guyub",
        "short_name": "Guyub",
        "description": description,
        "lang": settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            icon("icons/icon-192.png", 192),
            icon("icons/icon-512.png", 512),
            icon("icons/icon-maskable-192.png", 192, "maskable"),
            icon("icons/icon-maskable-512.png", 512, "maskable"),
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@require_safe
def offline(request):
    """Shown by the service worker for a page that fails to load and was never saved."""
    return render(request, "cms/offline.html")
