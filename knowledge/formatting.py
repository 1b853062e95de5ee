"""Forum posts are stored as the text people typed and formatted only on display.

format_post() escapes everything first, so the text holds no `<`, `>`, `"` or `'` any more, and
then adds a few tags of its own: paragraphs, line breaks, **bold**, _italic_, links for bare
http(s) addresses and for @mentions of enterprises (@<enterprise-slug>). Every attribute value it
writes is either escaped text or a URL we reversed, so nothing typed can open a tag or leave an
attribute; there are no markdown links, so `javascript:` and `data:` never become links."""

import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# More @names than this in one post are left as text (and nobody is notified of them).
MAX_MENTIONS = 10

# Bidirectional overrides and isolates can make a link read differently from where it goes.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

# In escaped text: an address runs to whitespace or to an escaped quote or angle bracket.
_URL = re.compile(r"(?<![\w/])https?://(?:(?!&quot;|&#x27;|&lt;|&gt;)[^\s])+", re.IGNORECASE)
_URL_START = re.compile(r"https?://[a-z0-9]", re.IGNORECASE)
_MENTION = re.compile(r"(?<![A-Za-z0-9@.])@([A-Za-z0-9](?:[A-Za-z0-9_-]{0,138}[A-Za-z0-9])?)")
_BOLD = re.compile(r"\*\*(?=\S)([^\n]+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![A-Za-z0-9_])_(?=\S)([^_\n<>]+?)(?<=\S)_(?![A-Za-z0-9_])")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")
# Placeholders for links while bold and italic are applied: control characters never survive
# _clean(), so typed text cannot forge one.
_TOKEN = re.compile("\x02(\\d+)\x03")

LINK_REL = "nofollow ugc noopener"


def _clean(text: str) -> str:
    """Unix newlines; no control characters (but tabs and newlines) and no bidi overrides."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_BIDI_CONTROLS)
    return "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc"
    )


def _trim_url(url: str) -> str:
    """Leave out punctuation that ends the sentence rather than the address."""
    while url:
        if url.lower().endswith("&amp;"):
            url = url[:-5]
            continue
        last = url[-1]
        if last in ".,;:!?*_" or (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        ):
            url = url[:-1]
            continue
        break
    return url


def _link_urls(escaped: str, tokens: list[str]) -> str:
    def replace(match: re.Match) -> str:
        found = match.group(0)
        url = _trim_url(found)
        if not _URL_START.match(url):
            return found
        # `url` is escaped text without quotes or angle brackets: safe inside the attribute.
        tokens.append(f'<a href="{url}" rel="{LINK_REL}">{url}</a>')
        return f"\x02{len(tokens) - 1}\x03{found[len(url):]}"

    return _URL.sub(replace, escaped)


def _candidates(escaped_without_urls: str) -> list[str]:
    slugs: list[str] = []
    for match in _MENTION.finditer(escaped_without_urls):
        slug = match.group(1).lower()
        if slug not in slugs:
            slugs.append(slug)
    return slugs[:MAX_MENTIONS]


def mention_slugs(text: str) -> list[str]:
    """The enterprise slugs a text mentions (lower case, first MAX_MENTIONS, in order), found
    exactly as format_post() finds them: not inside addresses, not in e-mail addresses."""
    return _candidates(_URL.sub(" ", escape(_clean(text))))


def _format_paragraph(escaped: str, mentions: dict) -> str:
    tokens: list[str] = []
    text = _link_urls(escaped, tokens)

    def mention(match: re.Match) -> str:
        enterprise = mentions.get(match.group(1).lower())
        if enterprise is None:
            return match.group(0)
        tokens.append(format_html(
            '<a class="mention" href="{}" title="{}">@{}</a>',
            enterprise.get_absolute_url(), enterprise.name, match.group(1),
        ))
        return f"\x02{len(tokens) - 1}\x03"

    text = _MENTION.sub(mention, text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    text = _TOKEN.sub(lambda match: tokens[int(match.group(1))], text)
    return "<br>".join(line.rstrip() for line in text.split("\n"))


def format_post(text: str, mentions: Iterable | None = None) -> SafeString:
    """The post as safe HTML. `mentions` are the enterprises that @names may link to (a post's
    prefetched `mentions`); without them the text's @names are looked up in one query."""
    escaped = escape(_clean(text).strip())
    if mentions is None:
        slugs = mention_slugs(text)
        if slugs:
            from enterprises.models import Enterprise

            mentions = Enterprise.objects.filter(slug__in=slugs, is_active=True).only(
                "slug", "name")
        else:
            mentions = ()
    by_slug = {enterprise.slug.lower(): enterprise for enterprise in mentions}
    paragraphs = [part.strip() for part in _PARAGRAPHS.split(escaped)]
    html = "".join(
        f"<p>{_format_paragraph(part, by_slug)}</p>" for part in paragraphs if part
    )
    # Built from escaped text and our own tags only (see the module's docstring).
    return mark_safe(html)  # noqa: S308


def one_line(text: str) -> str:
    """Text on one line, spaces collapsed: titles go into email subjects and calendar files,
    where a line break breaks sending or starts a new entry."""
    return " ".join((text or "").split())
