"""The knowledge base's pages: /knowledge/ (search, topics, tags, kinds, pages of 20) in each
language, and an article page with every kind of block, its credit, related skills and products,
and the helpful count; with query counts that do not grow with the rows."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Locale

from knowledge.models import ArticlePage, HelpfulMark
from knowledge.services.pages import page_translate
from tests.factories import (
    ImageFactory,
    ProductFactory,
    ProductPhotoFactory,
    SkillFactory,
    TopicFactory,
    UserFactory,
    article,
    seller,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=guyub-kemasan"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def get(client, url):
    with translation.override("en"):
        return client.get(url)


@pytest.fixture
def topics():
    return {
        "permits": TopicFactory(name="Perizinan", name_en="Permits", slug="perizinan"),
        "packaging": TopicFactory(name="Kemasan", name_en="Packaging", slug="kemasan"),
    }


def articles(count: int, *, prefix="Tips", **fields) -> list[ArticlePage]:
    pages = []
    for number in range(count):
        page = article(title=f"{prefix} usaha {number}", slug=f"{prefix.lower()}-usaha-{number}",
                       cover_image=ImageFactory() if number % 2 else None, **fields)
        page.tags.set(["umkm", f"tag-{number}"])
        page.save_revision().publish()
        pages.append(page)
    return pages


def titles(response) -> list[str]:
    return [page.title for page in response.context["articles"].object_list]


# --- The index ---------------------------------------------------------------------------------


def test_the_index_lists_published_articles_newest_first(client, topics):
    older = article(title="Cara mengurus NIB", topic=topics["permits"])
    newer = article(title="Memilih standing pouch", topic=topics["packaging"])
    article(title="Draf yang belum terbit", publish=False)

    response = get(client, "/knowledge/")

    assert titles(response) == [newer.title, older.title]
    assert "Draf yang belum terbit" not in response.text
    assert f'href="{older.url}"' in response.text


def test_search_finds_words_in_the_title_summary_and_body(client, topics):
    article(title="Cara mengurus NIB", summary="Daftar lewat OSS.", topic=topics["permits"])
    article(title="Memilih kemasan", summary="Plastik atau kertas?",
            body=[("text", "<p>Standing pouch dengan zipper menjaga keripik renyah.</p>")],
            topic=topics["packaging"])

    by_body = get(client, "/en/knowledge/?q=zipper")
    by_summary = get(client, "/en/knowledge/?q=OSS")
    nothing = get(client, "/en/knowledge/?q=batik")

    assert titles(by_body) == ["Memilih kemasan"]
    assert "1 result for “zipper”" in by_body.text
    assert titles(by_summary) == ["Cara mengurus NIB"]
    assert titles(nothing) == []
    assert "Nothing matches yet" in nothing.text
    assert f'href="{reverse("forum_index")}"' in nothing.text


def test_filters_by_topic_tag_and_kind_combine_with_search(client, topics):
    nib = article(title="Cara mengurus NIB", topic=topics["permits"], kind="guide")
    nib.tags.set(["OSS"])
    nib.save_revision().publish()
    article(title="Cara mengurus P-IRT", topic=topics["permits"], kind="article")
    pouch = article(title="Cara memilih pouch", topic=topics["packaging"], kind="guide")
    pouch.tags.set(["OSS"])
    pouch.save_revision().publish()

    assert titles(get(client, "/knowledge/?topic=perizinan")) == [
        "Cara mengurus P-IRT", "Cara mengurus NIB"]
    assert titles(get(client, "/knowledge/?kind=guide")) == ["Cara memilih pouch",
                                                             "Cara mengurus NIB"]
    assert titles(get(client, "/knowledge/?tag=oss&topic=perizinan")) == ["Cara mengurus NIB"]
    assert titles(get(client, "/knowledge/?q=cara&topic=kemasan&kind=guide&tag=oss")) == [
        "Cara memilih pouch"]
    assert titles(get(client, "/knowledge/?tag=no-such-tag")) == []
    # Unknown values are ignored rather than an error.
    assert len(titles(get(client, "/knowledge/?kind=poem&topic=nope"))) == 3


def test_topics_show_as_chips_with_counts_in_the_pages_language(client, topics):
    article(title="Cara mengurus NIB", topic=topics["permits"])
    article(title="Cara mengurus P-IRT", topic=topics["permits"])
    article(title="Memilih pouch", topic=topics["packaging"])
    TopicFactory(name="Keuangan", name_en="Finance", slug="keuangan")  # empty: not shown

    response = get(client, "/en/knowledge/?topic=perizinan")

    counts = {topic.slug: topic.article_count for topic in response.context["topics"]}
    assert counts == {"perizinan": 2, "kemasan": 1}
    html = response.text
    assert re.search(r'aria-current="page">Permits <span class="chip-count">2</span>', html)
    assert "Finance" not in html
    assert "2 articles and guides · Permits" in html


def test_pages_hold_twenty_articles(client, topics):
    articles(25, topic=topics["permits"])

    first = get(client, "/en/knowledge/")
    second = get(client, "/en/knowledge/?page=2")

    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert set(titles(first)).isdisjoint(titles(second))
    assert "25 articles and guides" in first.text
    assert 'rel="next" href="?page=2"' in first.text


def test_an_empty_knowledge_base_invites_the_first_guide(client):
    response = get(client, "/en/knowledge/")

    assert "The knowledge base is just starting" in response.text
    assert f'href="{reverse("article_submit")}"' in response.text


def test_the_english_index_lists_the_english_pages(client, topics):
    nib = article(title="Cara mengurus NIB", topic=topics["permits"])
    page_translate(page=nib, language_code="en", title="Getting an NIB",
                   summary="Register through OSS.")
    article(title="Memilih pouch", topic=topics["packaging"])  # not translated: its alias

    english = get(client, "/en/knowledge/")
    indonesian = get(client, "/knowledge/")

    assert all(page.locale.language_code == "en"
               for page in english.context["articles"].object_list)
    assert titles(english) == ["Memilih pouch", "Getting an NIB"]
    assert "Getting an NIB" in english.text and "Cara mengurus NIB" not in english.text
    assert 'href="/en/knowledge/cara-mengurus-nib/"' in english.text
    # The untranslated alias is marked as Indonesian text.
    card = english.text.split('href="/en/knowledge/memilih-pouch/"')[0].rsplit("<article", 1)[1]
    assert 'lang="id"' in card
    assert titles(indonesian) == ["Memilih pouch", "Cara mengurus NIB"]
    assert "Getting an NIB" not in indonesian.text


def test_the_english_index_searches_english_text(client, topics):
    nib = article(title="Cara mengurus NIB", topic=topics["permits"])
    page_translate(page=nib, language_code="en", title="Getting a business number",
                   summary="Register through OSS.")

    assert titles(get(client, "/en/knowledge/?q=business")) == ["Getting a business number"]
    assert titles(get(client, "/knowledge/?q=business")) == []


@pytest.mark.parametrize("url", ["/knowledge/", "/en/knowledge/", "/knowledge/?q=usaha"])
def test_the_index_costs_the_same_queries_for_5_or_25_articles(client, topics, url):
    _user, enterprise = seller()
    articles(5, prefix="Awal", topic=topics["permits"], enterprise=enterprise)
    with translation.override("en"):
        few = count_queries(client, url)
    articles(20, prefix="Lanjut", topic=topics["packaging"], enterprise=enterprise)
    with translation.override("en"):
        many = count_queries(client, url)

    assert many == few


# --- An article page ---------------------------------------------------------------------------


@pytest.fixture
def guide(topics):
    """A guide that uses every kind of block, credited to an enterprise."""
    _user, enterprise = seller(name="Keripik Sari", slug="keripik-sari")
    Embed.objects.create(
        url=VIDEO, max_width=720, hash=get_embed_hash(VIDEO, 720, None), type="video",
        html='<iframe src="https://www.youtube.com/embed/x" title="Video kemasan"></iframe>',
        title="Video kemasan", provider_name="YouTube",
    )
    document = get_document_model().objects.create(
        title="Formulir P-IRT", file=ContentFile(b"%PDF-1.4 contoh", name="formulir.pdf"))
    photo = ImageFactory(title="Dapur")
    page = article(
        title="Cara mengurus P-IRT", kind="guide", topic=topics["permits"], enterprise=enterprise,
        cover_image=ImageFactory(title="Sampul"),
        body=[
            ("text", "<p>Izin untuk makanan rumahan.</p>"),
            ("callout", {"tone": "warning", "text": "<p>Nomor P-IRT berlaku 5 tahun.</p>"}),
            ("checklist", {"heading": "Dokumen", "items": ["KTP", "NIB"]}),
            ("steps", [{"title": "Daftar NIB", "text": "<p>Lewat OSS.</p>", "image": None},
                       {"title": "Ikuti penyuluhan", "text": "",
                        "image": {"image": ImageFactory(), "alt_text": "Ruang penyuluhan",
                                  "decorative": False}}]),
            ("image", {"image": photo, "alt_text": "Dapur yang bersih", "decorative": False}),
            ("video", VIDEO),
            ("download", {"document": document, "label": "Unduh formulir"}),
        ],
    )
    page.tags.set(["P-IRT", "izin"])
    page.skills.set([SkillFactory(name="Desain kemasan", name_en="Packaging design",
                                  slug="desain-kemasan")])
    products = [ProductFactory(title=f"Keripik Balado {n}") for n in range(2)]
    for product in products:
        ProductPhotoFactory(product=product)
    page.products.set(products)
    page.save_revision().publish()
    return page


def test_an_article_page_shows_its_credit_blocks_and_connections(client, guide):
    english = guide.get_translation(Locale.objects.get(language_code="en"))

    html = get(client, english.url).text

    assert "Cara mengurus P-IRT" in html and "Step-by-step guide" in html
    assert "Permits" in html and "1 min read" in html
    assert f'href="{guide.enterprise.get_absolute_url()}"' in html
    assert 'lang="id"' in html  # the untranslated alias says its text is Indonesian
    cover = re.search(r'<figure class="article__cover">\s*<img[^>]*>', html).group(0)
    assert ".format-webp" in cover or ".webp" in cover
    assert 'alt="' in cover and 'alt=""' not in cover
    assert "Nomor P-IRT berlaku 5 tahun." in html and "Warning" in html
    assert '<input type="checkbox"> <span>KTP</span>' in html
    assert "Daftar NIB" in html and "Ikuti penyuluhan" in html and 'alt="Ruang penyuluhan"' in html
    assert 'alt="Dapur yang bersih"' in html
    # The player (a megabyte of data) loads only when asked: its HTML waits in a <template>.
    video = html[html.index('<figure class="video">'):]
    assert video.index("<template>") < video.index('<iframe src="https://www.youtube.com/embed/x"')
    assert "Play the video" in video
    assert "Unduh formulir" in html and "PDF" in html
    assert 'href="/en/knowledge/?tag=p-irt"' in html
    assert f'href="{reverse("skill_list")}?skill=desain-kemasan"' in html
    assert "Packaging design" in html
    assert "Keripik Balado 0" in html and "Keripik Balado 1" in html
    assert f'href="{reverse("article_submit")}"' in html
    assert f'href="{reverse("forum_index")}"' in html
    assert "Nobody has marked it yet." in html


def test_an_article_without_an_enterprise_is_by_the_guyub_team(client, topics):
    page = article(title="Cara mengurus NIB", topic=topics["permits"])
    english = page.get_translation(Locale.objects.get(language_code="en"))

    assert "Guyub team" in get(client, english.url).text


def test_the_article_page_shows_how_many_found_it_helpful(client, guide):
    for _ in range(3):
        HelpfulMark.objects.create(article=guide, user=UserFactory())
    english = guide.get_translation(Locale.objects.get(language_code="en"))
    reader = UserFactory()
    client.force_login(reader)

    html = get(client, english.url).text

    assert "3 people found this helpful" in html
    assert f'action="{reverse("article_helpful", kwargs={"pk": english.pk})}"' in html
    assert 'aria-pressed="false"' in html


def test_an_article_page_costs_the_same_queries_with_more_connections(client, topics, guide):
    small = article(title="Cara mengurus NIB", topic=topics["permits"], body=guide.body)
    small.tags.set(["izin"])
    small.skills.set([SkillFactory(name="Pembukuan", slug="pembukuan")])
    product = ProductFactory()
    ProductPhotoFactory(product=product)
    small.products.set([product])
    small.save_revision().publish()
    with translation.override("en"):
        few = count_queries(client, small.url)

    small.tags.set(["izin", "nib", "oss", "umkm"])
    small.skills.set([SkillFactory(name=f"Keahlian {n}", slug=f"keahlian-{n}") for n in range(4)])
    more = [ProductFactory() for _ in range(5)]
    for item in more:
        ProductPhotoFactory(product=item)
    small.products.set([product, *more])
    small.save_revision().publish()
    articles(4, topic=topics["permits"])  # more on the same topic
    for _ in range(3):
        HelpfulMark.objects.create(article=small, user=UserFactory())
    with translation.override("en"):
        many = count_queries(client, small.url)

    assert many == few
