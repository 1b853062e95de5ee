"""The installable app: web app manifest, service worker and offline page (cms/views_pwa.py)."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from PIL import Image

from cms.views_pwa import SHELL_STATIC

pytestmark = pytest.mark.django_db


def _worker_config(response) -> dict:
    body = response.content.decode()
    match = re.search(r"^const CONFIG = (\{.*\});$", body, re.MULTILINE)
    assert match, "sw.js declares its CONFIG on one line"
    return json.loads(match.group(1))


def test_manifest_is_valid_json_with_the_fields_browsers_need(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Guyub"
    assert manifest["short_name"]
    assert manifest["lang"] == "id"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    css = Path(finders.find("css/guyub.css")).read_text()
    assert f"--indigo: {manifest['theme_color']};" in css
    assert f"--paper: {manifest['background_color']};" in css


def test_manifest_icons_exist_at_their_declared_sizes(client):
    manifest = client.get("/manifest.webmanifest").json()

    purposes = set()
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix(settings.STATIC_URL)
        path = finders.find(name)
        assert path, f"{icon['src']} is not a static file"
        width, height = (int(side) for side in icon["sizes"].split("x"))
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (width, height)
        purposes.add((icon["purpose"], width))
    # Android needs 192 and 512; maskable versions fill its round and squircle masks.
    assert {("any", 192), ("any", 512), ("maskable", 192), ("maskable", 512)} <= purposes


def test_every_page_links_the_manifest(client):
    html = client.get(reverse("product_list")).content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#27325e">' in html


def test_service_worker_is_javascript_served_from_the_root(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    # A worker's scope is the folder it is served from: the root covers every page, so no
    # Service-Worker-Allowed header is needed.
    assert reverse("service_worker") == "/sw.js"
    assert "Service-Worker-Allowed" not in response
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "max-age=0" in cache_control


def test_service_worker_update_checks_are_conditional(client):
    first = client.get("/sw.js")

    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_service_worker_precaches_the_shell_and_both_offline_pages(client):
    config = _worker_config(client.get("/sw.js"))

    assert config["shell"] == [staticfiles_storage.url(name) for name in SHELL_STATIC]
    for name in SHELL_STATIC:
        assert finders.find(name), name
    assert config["offline"] == {"id": "/offline/", "en": "/en/offline/"}
    # Test settings do not hash names: the worker then asks the network first for static files.
    assert config["hashedStatic"] is False
    assert config["languagePrefixes"] == ["/en"]


@pytest.mark.parametrize("url", [
    "/cart/", "/en/cart/", "/checkout/", "/accounts/login/", "/en/accounts/logout/",
    "/api/v1/products/", "/admin/", "/django-admin/", "/payments/stripe/webhook/",
])
def test_service_worker_never_stores_private_pages(client, url):
    """The worker's rule (cms/templates/cms/sw.js isPrivate) applied to today's URLs, so a
    moved cart or checkout cannot slip into the page cache."""
    config = _worker_config(client.get("/sw.js"))
    path = url
    for prefix in config["languagePrefixes"]:
        if path.startswith(prefix + "/"):
            path = path.removeprefix(prefix)

    assert any(url.startswith(p) for p in config["privatePrefixes"]) or any(
        path.startswith(p) for p in config["privatePagePrefixes"]
    )


def test_private_prefixes_match_the_url_conf():
    assert reverse("cart").startswith("/cart/")
    assert reverse("checkout").startswith("/checkout/")
    assert reverse("login").startswith("/accounts/")
    assert reverse("logout").startswith("/accounts/")
    assert reverse("api_schema").startswith("/api/")


def test_service_worker_precaches_hashed_names_so_a_deploy_updates_it(client, settings, tmp_path):
    """With the production storage, sw.js lists the hashed files collectstatic wrote; a changed
    file changes its name and the worker's version, so browsers fetch the new shell."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    source = FileSystemStorage(location=tmp_path / "source")
    for name in SHELL_STATIC:
        target = Path(source.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(finders.find(name), target)

    def collect():
        paths = {name: (source, name) for name in SHELL_STATIC}
        for _name, _hashed, error in staticfiles_storage.post_process(paths):
            assert not isinstance(error, Exception), error

    collect()
    config = _worker_config(client.get("/sw.js"))

    for url in config["shell"]:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        assert (tmp_path / url.removeprefix(settings.STATIC_URL)).is_file(), url
    assert config["hashedStatic"] is True

    with open(source.path("css/guyub.css"), "a") as css:
        css.write("\n/* a deploy */\n")
    collect()
    after = _worker_config(client.get("/sw.js"))

    assert after["version"] != config["version"]
    assert after["shell"][0] != config["shell"][0]
    assert after["shell"][1:] == config["shell"][1:]


def test_offline_page_in_indonesian_and_english(client):
    indonesian = client.get("/offline/")
    english = client.get("/en/offline/")

    assert indonesian.status_code == english.status_code == 200
    assert '<html lang="id">' in indonesian.content.decode()
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert "You are offline. Pages you opened before are still here; orders and messages will " \
           "need a connection." in html
    assert 'href="/en/products/"' in html
