"""Whole-page cache for anonymous visitors on market day.

Most visitors browse without an account: the home page, the catalogue and product pages are the
same for all of them, so the rendered page is kept in the cache (Redis in production) and served
without touching the database. A visitor is served from the cache only when nothing on the page
can be theirs: no session cookie (no cart, not logged in) and no pending message. Pages that used a
CSP nonce are never stored (the nonce must be new on every response). A CSRF token on a stored
page is replaced by the visitor's own when it is served, so forms such as "add to cart" work.

Invalidation: every key holds a version that public_pages_changed() bumps; saves of the models
shown on these pages call it through signals (signals_connect). An order's stock change is the
most frequent write of a market day, so it forgets only what shows stock (stock_changed).
PAGE_CACHE_SECONDS bounds what no signal sees, such as an event moving into the past.
"""

import hashlib
import re
import time
from functools import partial, wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "pages:version"
STOCK_SCOPE = "stock"
HEADER = "X-Page-Cache"
CSRF_INPUT = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]+(?=")')
CSRF_PLACEHOLDER = b"__csrf_token__"
# Only where a form's token was: a seller's text could contain the placeholder too.
CSRF_PLACEHOLDER_INPUT = re.compile(
    rb'(?<=name="csrfmiddlewaretoken" value=")' + re.escape(CSRF_PLACEHOLDER) + rb'(?=")')
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")
# What the cached pages show. Wagtail pages count when published, unpublished or deleted.
SHOWN_MODELS = (
    "marketplace.Product", "marketplace.ProductPhoto", "marketplace.Category",
    "marketplace.Review", "enterprises.Enterprise", "enterprises.Region",
    "enterprises.Cooperative", "knowledge.Thread", "knowledge.Post", "cms.SiteSettings",
    "wagtailcore.PageViewRestriction",
)


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def version_bump(key: str) -> None:
    """Change the version kept under `key` now and again after commit, so what a request that
    read the old data between the two cached cannot outlive the transaction."""
    _incr(key)
    transaction.on_commit(lambda: _incr(key))


def public_pages_changed() -> None:
    """Forget every cached page."""
    version_bump(VERSION_KEY)


def _scope_key(scope: str) -> str:
    return f"pages:scope:{scope}"


def _bump_scopes(scopes: list[str]) -> None:
    # A fresh value rather than a counter: a key evicted and made again cannot repeat an old one.
    cache.set_many(dict.fromkeys(map(_scope_key, scopes), time.time_ns()), timeout=None)


def stock_changed(*, product_slugs: list[str]) -> None:
    """Forget only what shows how many are left: these products' pages and the product API.
    An order that sells nothing out changes no card, count or list, so the rest stays shared."""
    scopes = [STOCK_SCOPE, *(f"product:{slug}" for slug in product_slugs)]
    _bump_scopes(scopes)
    transaction.on_commit(lambda: _bump_scopes(scopes))


def _changed(sender, **kwargs) -> None:
    public_pages_changed()


def signals_connect() -> None:
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    for label in SHOWN_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=apps.get_model(label), dispatch_uid=f"pages-{label}")
    page_published.connect(_changed, dispatch_uid="pages-published")
    page_unpublished.connect(_changed, dispatch_uid="pages-unpublished")
    post_delete.connect(_changed, sender=Page, dispatch_uid="pages-deleted")


def _is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
        and "messages" not in request.COOKIES
    )


def version() -> int:
    """Changes whenever public_pages_changed() runs: part of every key of public content."""
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def _key(request, scopes: tuple[str, ...]) -> str:
    keys = [VERSION_KEY, *map(_scope_key, scopes)]
    found = cache.get_many(keys)
    if VERSION_KEY not in found:
        found[VERSION_KEY] = version()
    versions = ".".join(str(found.get(key, 0)) for key in keys)
    parts = (
        request.scheme, request.get_host(), request.get_full_path(), get_language(),
        request.headers.get("Accept", ""), request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
    )
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]
    return f"pages:{versions}:{digest}"


def _stored(request, response: HttpResponse) -> dict | None:
    """What is kept of a response, with the CSRF token taken out of its forms; None when the
    token is also somewhere the placeholder cannot reach (a script), so it must not be shared."""
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        tokens = set(CSRF_INPUT.findall(content))
        content = CSRF_INPUT.sub(CSRF_PLACEHOLDER, content)
        if not tokens or any(token in content for token in tokens):
            return None
    return {
        "content": content,
        "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
    }


def _served(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if CSRF_PLACEHOLDER_INPUT.search(content):
        content = CSRF_PLACEHOLDER_INPUT.sub(get_token(request).encode(), content)
    response = HttpResponse(content, headers=stored["headers"])
    response[HEADER] = "hit"
    return response


def _may_store(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "_csp_nonce", None)
        and not request.session.modified
    )


def serve_cached(request, render, scopes: tuple[str, ...] = ()):
    """The cached page for this request, or render() stored for the next visitor. `scopes` name
    narrower changes that also forget the page (see stock_changed)."""
    if not _is_cacheable_request(request):
        return render()
    key = _key(request, scopes)
    stored = cache.get(key)
    if stored is not None:
        return _served(request, stored)
    response = render()
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    # The session cookie decides whether a visitor may get a shared page.
    patch_vary_headers(response, ("Cookie",))
    if _may_store(request, response) and (stored := _stored(request, response)) is not None:
        cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
        response[HEADER] = "miss"
    return response


def cache_public_page(view=None, *, scopes=None):
    """Decorator for views whose page is the same for every anonymous visitor. `scopes`, given
    the view's arguments, names what else forgets the page, e.g. `product:<slug>`."""
    if view is None:
        return partial(cache_public_page, scopes=scopes)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        named = tuple(scopes(**kwargs)) if scopes else ()
        return serve_cached(request, lambda: view(request, *args, **kwargs), named)

    return wrapper
