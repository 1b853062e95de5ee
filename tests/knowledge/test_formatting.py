"""knowledge.formatting.format_post: what people type is escaped first, then given a few tags of
ours; nothing typed can add a tag, an attribute, or a link that is not http(s)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils.safestring import SafeString

from knowledge.formatting import MAX_MENTIONS, format_post, mention_slugs
from tests.factories import EnterpriseFactory

ALLOWED_TAGS = {"p", "br", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"href", "rel", "class", "title"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_safe(html: str) -> _Collector:
    """Only our tags and attributes; links only to http(s) or to a page of this site."""
    parsed = parse(html)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRIBUTES, (attrs, html)
        if tag == "a":
            href = attrs["href"]
            assert urlsplit(href).scheme in ("http", "https", ""), html
            assert href.startswith(("http://", "https://", "/")), html
            assert not href.startswith("//"), html
            if not href.startswith("/"):
                assert attrs["rel"] == "nofollow ugc noopener"
    # The parser decodes entities in text, so look for raw markup in the HTML itself.
    lowered = html.lower()
    for needle in ("<script", "<img", "<iframe", "<svg", "<style", "<!--", "<!["):
        assert needle not in lowered, (needle, html)
    return parsed


INJECTIONS = {
    "script-tag": "<script>alert(1)</script>",
    "script-uppercase": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg/onload=alert(1)>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "style-tag": "<style>body{display:none}</style>",
    "javascript-url": "javascript:alert(1)",
    "javascript-url-mixed-case": "JaVaScRiPt:alert(document.cookie)",
    "javascript-url-entity": "javascript&#58;alert(1)",
    "data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript-url": "vbscript:msgbox(1)",
    "quote-breaks-url": 'http://x.com/"onmouseover="alert(1)',
    "single-quote-breaks-url": "http://x.com/'onmouseover='alert(1)",
    "angle-breaks-url": "http://x.com/<script>alert(1)</script>",
    "url-with-quote-style": 'https://x.com/" style="position:fixed;top:0',
    "markdown-link-javascript": "[click me](javascript:alert(1))",
    "markdown-link-data": "[click](data:text/html,<script>alert(1)</script>)",
    "markdown-link-title-attr": '[x](http://ok.example "title" onclick="alert(1)")',
    "markdown-image": "![x](http://x.example/x.png onerror=alert(1))",
    "html-anchor": '<a href="javascript:alert(1)">click</a>',
    "html-anchor-http": '<a href="http://evil.example" onclick="alert(1)">click</a>',
    "bold-around-script": "**<script>alert(1)</script>**",
    "italic-around-img": "_<img src=x onerror=alert(1)>_",
    "mention-with-quote": '@"onmouseover=alert(1)',
    "mention-of-script": "@<script>alert(1)</script>",
    "entity-smuggling": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "double-encoded": "&amp;lt;script&amp;gt;",
    "nul-and-controls": "<scr\x00ipt>alert(1)</script>\x02 0\x03",
    "forged-placeholder": "\x020\x03 http://x.example \x021\x03",
    "protocol-relative": "//evil.example/x.js",
    "http-javascript-host": "http://javascript:alert(1)@x.example",
    "newline-in-url": "http://x.example/\n<script>alert(1)</script>",
    "bidi-override": "http://x.example/\u202egpj.exe",
    "template-syntax": "{{ request.user.password }} {% csrf_token %}",
    "closing-tags": "</p></div></main><script>alert(1)</script>",
    "comment-and-cdata": "<!-- --><![CDATA[<script>alert(1)</script>]]>",
}


@pytest.mark.parametrize("text", INJECTIONS.values(), ids=INJECTIONS.keys())
def test_injection_attempts_come_out_as_text(text):
    html = format_post(text, mentions=[])

    assert isinstance(html, SafeString)
    parsed = assert_safe(html)
    # What was typed is still readable, as text (the NUL and control characters are removed).
    cleaned = text.replace("\x00", "").replace("\x02", "").replace("\x03", "")
    visible = "".join(parsed.text).replace("\u202e", "")
    for word in ("script", "alert", "onerror", "javascript", "onmouseover"):
        assert cleaned.lower().count(word) == visible.lower().count(word), (word, html)


def test_a_quote_ends_the_link_and_stays_text():
    html = format_post('http://x.com/"onmouseover=alert(1)', mentions=[])

    assert html == ('<p><a href="http://x.com/" rel="nofollow ugc noopener">http://x.com/</a>'
                    "&quot;onmouseover=alert(1)</p>")


def test_script_is_escaped_not_removed():
    assert format_post("<script>window.__xss=1</script>", mentions=[]) == (
        "<p>&lt;script&gt;window.__xss=1&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Halo", "<p>Halo</p>"),
        ("satu\ndua", "<p>satu<br>dua</p>"),
        ("satu\r\n\r\ndua\n\n\n\ntiga", "<p>satu</p><p>dua</p><p>tiga</p>"),
        ("**tebal** dan _miring_", "<p><strong>tebal</strong> dan <em>miring</em></p>"),
        ("nama_file_ini tetap", "<p>nama_file_ini tetap</p>"),
        ("2 * 3 ** 4", "<p>2 * 3 ** 4</p>"),
        ("**belum ditutup", "<p>**belum ditutup</p>"),
        ("Lihat https://oss.go.id/a?b=1&c=2.",
         '<p>Lihat <a href="https://oss.go.id/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
         "https://oss.go.id/a?b=1&amp;c=2</a>.</p>"),
        ("(http://x.example/wiki_(a))",
         '<p>(<a href="http://x.example/wiki_(a)" rel="nofollow ugc noopener">'
         "http://x.example/wiki_(a)</a>)</p>"),
        ("**http://x.example**",
         '<p><strong><a href="http://x.example" rel="nofollow ugc noopener">http://x.example'
         "</a></strong></p>"),
        ("http://x.example/a_b_c_",
         '<p><a href="http://x.example/a_b_c" rel="nofollow ugc noopener">http://x.example/a_b_c'
         "</a>_</p>"),
        ("http:// and https://", "<p>http:// and https://</p>"),
        ("ftp://x.example", "<p>ftp://x.example</p>"),
        ("", ""),
        ("   \n\n  ", ""),
    ],
    ids=["plain", "line-break", "paragraphs", "bold-italic", "snake-case", "stars",
         "unclosed-bold", "url-with-query", "url-in-parentheses", "bold-url", "url-underscore",
         "empty-url", "other-scheme", "empty", "blank"],
)
def test_formatting(text, expected):
    assert format_post(text, mentions=[]) == expected


@pytest.mark.django_db
def test_mentions_link_existing_active_enterprises_in_one_query(django_assert_num_queries):
    sari = EnterpriseFactory(name="Keripik <Sari>", slug="keripik-sari")
    EnterpriseFactory(slug="tutup", is_active=False)

    with django_assert_num_queries(1):
        html = format_post("Tanya @keripik-sari, @Keripik-Sari, @tutup dan @tidak-ada. "
                           "Email sari@keripik-sari.id, http://x.example/@keripik-sari")

    assert html.count(f'href="{sari.get_absolute_url()}"') == 2
    assert 'title="Keripik &lt;Sari&gt;"' in html
    assert ">@Keripik-Sari</a>" in html
    assert "@tutup dan @tidak-ada" in html  # unknown or inactive: plain text
    assert "sari@keripik-sari.id" in html
    assert_safe(html)


@pytest.mark.django_db
def test_given_mentions_need_no_query(django_assert_num_queries):
    sari = EnterpriseFactory(slug="keripik-sari")

    with django_assert_num_queries(0):
        html = format_post("Halo @keripik-sari dan @lain", mentions=[sari])
        plain = format_post("Halo @keripik-sari", mentions=[])

    assert f'<a class="mention" href="{sari.get_absolute_url()}"' in html
    assert "@lain" in html and "<a" not in plain


def test_mention_slugs_are_found_as_displayed():
    text = ("@Satu @dua-2, (@tiga_3) @satu sari@empat.id http://x.example/@lima @enam- "
            "**@tujuh** _@delapan_")

    assert mention_slugs(text) == ["satu", "dua-2", "tiga_3", "enam", "tujuh", "delapan"]


def test_mentions_are_capped():
    text = " ".join(f"@usaha-{n}" for n in range(MAX_MENTIONS + 5))

    assert mention_slugs(text) == [f"usaha-{n}" for n in range(MAX_MENTIONS)]


def test_a_very_long_word_is_kept_whole_for_css_to_wrap():
    word = "a" * 5000

    assert format_post(word, mentions=[]) == f"<p>{word}</p>"
