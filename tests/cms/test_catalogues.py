"""The translation catalogues: Indonesian complete and faithful, compiled files current, and the
English interface explaining the Indonesian words it uses."""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import EnterpriseSkillFactory, ProductFactory, seller

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# The words USERS.md asks the English interface to explain when it uses them.
INDONESIAN_TERMS = [
    "UMKM", "usaha mikro", "koperasi", "anggota", "pengurus", "RAT", "SHU", "gotong royong",
    "kerja bakti", "pelatihan", "desa", "kecamatan", "kabupaten", "kota", "provinsi", "NIB",
    "P-IRT", "pesanan bersama", "pembelian kolektif", "rujukan",
]


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete `#~` entries skipped), header first."""
    entries, keyword, current = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, keyword = None, None
            continue
        if line.startswith("#~"):
            continue
        current = current or Entry(msgid="")
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(current, keyword, ast.literal_eval(line))
        else:
            keyword, _, text = line.partition(" ")
            append(current, keyword, ast.literal_eval(text), start=True)
    return entries


def append(entry: Entry, keyword: str, text: str, *, start: bool = False) -> None:
    if keyword.startswith("msgstr"):
        index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
        entry.msgstr[index] = ("" if start else entry.msgstr[index]) + text
    else:
        setattr(entry, keyword, ("" if start else getattr(entry, keyword)) + text)


def header(entries: list[Entry]) -> dict[str, str]:
    assert entries[0].msgid == "", "the header comes first"
    lines = entries[0].msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def messages(entries: list[Entry]) -> list[Entry]:
    return entries[1:]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def compiled(language: str) -> dict:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def po_catalog(entries: list[Entry]) -> dict:
    """What msgfmt would put in the .mo: translated, non-fuzzy entries, keyed like gettext."""
    catalog = {}
    for entry in messages(entries):
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            catalog[msgid] = entry.msgstr[0]
        else:
            catalog.update({(msgid, index): text for index, text in entry.msgstr.items()})
    return catalog


@pytest.fixture(scope="module")
def indonesian() -> list[Entry]:
    return read_po(LOCALE / "id" / "LC_MESSAGES" / "django.po")


@pytest.fixture(scope="module")
def english() -> list[Entry]:
    return read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")


def test_the_indonesian_header_declares_the_language_and_one_plural_form(indonesian):
    meta = header(indonesian)

    assert meta["Language"] == "id"
    assert meta["Plural-Forms"] == "nplurals=1; plural=0;"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in indonesian[0].flags


def test_the_english_header_declares_two_plural_forms(english):
    meta = header(english)

    assert meta["Language"] == "en"
    assert meta["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in english[0].flags


def test_every_indonesian_message_is_translated(indonesian):
    untranslated = [
        entry.msgid for entry in messages(indonesian)
        if not entry.msgstr or not all(text.strip() for text in entry.msgstr.values())
    ]
    fuzzy = [entry.msgid for entry in messages(indonesian) if "fuzzy" in entry.flags]

    assert len(messages(indonesian)) > 300
    assert untranslated == []
    assert fuzzy == []


def test_indonesian_plurals_have_exactly_one_form(indonesian):
    plurals = [entry for entry in messages(indonesian) if entry.msgid_plural is not None]

    assert plurals, "the catalogue has plural messages"
    assert [entry.msgid for entry in plurals if list(entry.msgstr) != [0]] == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_translations_keep_every_placeholder(language):
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    broken = []
    for entry in messages(entries):
        for index, text in entry.msgstr.items():
            # msgstr[0] renders the singular in English; Indonesian's one form renders every count.
            plural = entry.msgid_plural is not None and (index > 0 or language == "id")
            source = entry.msgid_plural if plural else entry.msgid
            if text and placeholders(text) != placeholders(source):
                broken.append((entry.msgid, text))

    assert broken == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_committed_mo_matches_the_po(language):
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    expected = po_catalog(entries)
    actual = {key: text for key, text in compiled(language).items() if key != ""}

    stale = {key: (text, actual.get(key)) for key, text in expected.items()
             if actual.get(key) != text}
    assert stale == {}, "run `manage.py compilemessages` after editing the .po"
    assert set(actual) == set(expected), "the .mo has messages the .po no longer has"


def test_english_explains_the_indonesian_words_it_uses(english):
    """"kecamatan" alone means nothing to an English reader: it must sit in parentheses next to
    its meaning ("district (kecamatan)"), or be followed by one ("koperasi (cooperative)")."""
    unexplained = []
    for entry in messages(english):
        shown = entry.msgstr.get(0) or entry.msgid
        for term in INDONESIAN_TERMS:
            for match in re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", shown):
                inside = shown.rfind("(", 0, match.start()) > shown.rfind(")", 0, match.start())
                glossed = shown[match.end():].startswith(" (")
                if not (inside or glossed):
                    unexplained.append((entry.msgid, term))

    assert unexplained == []


@pytest.mark.django_db
def test_the_catalogue_page_is_indonesian_without_a_prefix_and_english_under_en(client):
    ProductFactory(title="Keripik Singkong Balado", unit="pack")

    indonesian = client.get("/products/").content.decode()
    english = client.get("/en/products/").content.decode()

    for text in ["Cari produk", "Mau cari apa?", "Filter dan urutkan", "1 produk", "/ bungkus"]:
        assert text in indonesian
    for text in ["Search products", "What are you looking for?", "Filter and sort", "1 product",
                 "/ pack"]:
        assert text in english
        assert text not in indonesian
    assert "Cari produk" not in english and "Mau cari apa?" not in english


@pytest.mark.django_db
def test_model_choices_are_translated(client):
    product = ProductFactory(unit="sack")
    path = f"/enterprises/{product.enterprise.slug}/"  # reverse() would follow the active language

    page = client.get(path).content.decode()
    english = client.get(f"/en{path}").content.decode()

    assert "Makanan olahan dan camilan" in page and "/ karung" in page
    assert "Processed food and snacks" in english and "/ sack" in english


def whatsapp_text(content: str) -> str:
    match = re.search(r'href="https://wa\.me/\d+\?text=([^"]+)"', content)
    assert match, "page has a WhatsApp link with a message"
    return unquote(match.group(1).replace("&amp;", "&"))


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_whatsapp_message_to_a_seller_is_indonesian_on_both_sites(client, prefix):
    product = ProductFactory(title="Keripik Pedas", price=15000, unit="pack")

    text = whatsapp_text(client.get(f"{prefix}/products/{product.slug}/").content.decode())

    # The seller reads Indonesian, so the link is to the Indonesian page from either site.
    assert text == (
        "Halo, saya tertarik dengan “Keripik Pedas” (Rp 15.000 per bungkus) yang saya lihat di "
        f"Guyub: http://testserver/products/{product.slug}/. Apakah masih ada?"
    )


@pytest.mark.django_db
def test_the_whatsapp_message_for_a_skill_is_indonesian(client):
    offer = EnterpriseSkillFactory(enterprise__name="Konveksi Rina")

    text = whatsapp_text(client.get("/en/skills/").content.decode())

    assert text == (
        "Halo Konveksi Rina, saya lihat Anda menawarkan jasa Menjahit di Guyub. "
        "Apakah saat ini bisa menerima pesanan?"
    )
    assert offer.skill.name == "Menjahit"


@pytest.mark.django_db
def test_account_pages_say_kata_sandi_throughout(client):
    """Django's and Wagtail's catalogues say "Sandi anda" and "Kata Kunci"; ours overrides them.
    `makemessages --no-obsolete` drops the overrides unless our source also marks those msgids."""
    signup = client.get("/accounts/signup/").content.decode()

    for text in [">Kata sandi<", ">Ulangi kata sandi<", "Kata sandi minimal 8 karakter."]:
        assert text in signup
    for text in ["Kata Kunci", "kata kunci", "Sandi anda", ">Sandi<"]:
        assert text not in signup


@pytest.mark.django_db
def test_empty_choices_invite_a_choice_in_indonesian(client):
    user, enterprise = seller()
    client.force_login(user)

    form = client.get(f"/dashboard/enterprises/{enterprise.slug}/products/new/")

    assert form.status_code == 200
    assert "- Pilih -" in form.content.decode()
    assert "Select an option" not in form.content.decode()


SOURCE_SUFFIXES = {".py", ".html", ".txt"}
NOT_SOURCE = {".venv", "tests", "locale", "media", "static", "staticfiles", "node_modules"}


def copy_sources(destination: Path) -> None:
    """The files makemessages reads (Python and templates), without the venv and the tests."""
    base = Path(settings.BASE_DIR)
    for path in base.rglob("*"):
        relative = path.relative_to(base)
        if relative.parts[0] in NOT_SOURCE or relative.parts[0].startswith("."):
            continue
        if path.is_file() and path.suffix in SOURCE_SUFFIXES:
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_no_interface_text_is_missing_from_the_indonesian_catalogue(tmp_path, monkeypatch):
    """Re-extracting today's source into a copy of the catalogue adds no untranslated message."""
    copy_sources(tmp_path)
    copy = tmp_path / "locale" / "id" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copyfile(LOCALE / "id" / "LC_MESSAGES" / "django.po", copy / "django.po")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tmp_path / "locale"])

    call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)

    entries = read_po(copy / "django.po")
    missing = [entry.msgid for entry in messages(entries)
               if "fuzzy" in entry.flags or not all(entry.msgstr.values())]
    assert missing == [], "run `make messages` and translate these in locale/id"
