"""Demo knowledge base, events, forum and mentoring for `manage.py seed_demo`.

Runs after enterprises.demo and marketplace.demo, so the demo people, enterprises, cooperatives,
skills and products exist. Pages go through knowledge.services.pages (published, with their
English aliases, some translated), people's actions through the knowledge services (RSVPs,
attendance, forum posts, mentoring), so ties are recorded the way the site records them; then
timestamps move into the past with update(). Idempotent: whatever exists (an article's slug, an
event's slug, a thread's title and author, a mentoring request) is left as it is."""

from __future__ import annotations

import contextlib
import io
import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from cms.services import image_create
from enterprises.models import Skill
from knowledge import demo_events, demo_forum, demo_mentoring
from knowledge.demo_articles import ARTICLES, CONTRIBUTIONS, TOPICS, DemoArticle
from knowledge.demo_common import Cast, at
from knowledge.models import ArticlePage, HelpfulMark, Topic
from knowledge.services.articles import article_submit
from knowledge.services.pages import page_add, page_translate, section_page, site_sections_ensure
from marketplace.demo import photo_bytes
from marketplace.models import Product

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

# key: (title, file name, content). Generated, so the demo needs no files of its own.
DOCUMENTS = {
    "buku-kas-harian": (
        "Contoh buku kas harian",
        "contoh-buku-kas-harian.csv",
        "Tanggal,Keterangan,Uang masuk (Rp),Uang keluar (Rp),Saldo (Rp)\n"
        "01/03,Saldo awal bulan,,,450000\n"
        "01/03,Beli singkong 20 kg di Pasar Sokaraja,,60000,390000\n"
        "01/03,Beli minyak goreng 3 liter,,54000,336000\n"
        "02/03,Jual 20 bungkus ke warung Bu Tum,300000,,636000\n"
        "03/03,Beli gas elpiji 3 kg,,22000,614000\n"
        "04/03,Transfer pesanan dari Jakarta (Dewi),450000,,1064000\n"
        "04/03,Ongkos kirim ke Jakarta,,58000,1006000\n"
        "06/03,Gaji pemilik mingguan,,200000,806000\n",
    ),
}
# Readers who mark articles helpful (never the article's owner).
READERS = ("sari", "wati", "budi", "rina", "dewi", "darsih", "tini", "karso", "ani", "endang",
           "agus", "puji", "giyem", "joko", "ayu", "fauzi", "nur", "heru", "hendra", "eko",
           "wayan", "sumarni", "lestari", "warsini")
TRANSLATED_DAYS_LATER = 4
# Generated covers (tests shrink them); each topic has the colours and shape of a marketplace
# category's placeholder photos.
COVER_SIZE = (960, 540)
COVER_STYLE = {"produksi": "pertanian", "kemasan": "makanan-minuman", "perizinan": "fashion",
               "keuangan": "fashion", "pemasaran-digital": "jasa", "koperasi": "pertanian",
               "pengiriman": "kerajinan"}


def _topics() -> dict[str, Topic]:
    topics = {}
    for order, (slug, name, name_en, description) in enumerate(TOPICS):
        topics[slug], _ = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "description": description,
                                 "sort_order": order},
        )
    return topics


def _documents() -> dict:
    Document = get_document_model()
    documents = {}
    for key, (title, filename, content) in DOCUMENTS.items():
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title)
            document.file.save(filename, ContentFile(content.encode()), save=False)
            document.save()
        documents[key] = document
    return documents


def _body(blocks: list, documents: dict) -> list:
    """The blocks with document keys replaced by the documents."""
    resolved = []
    for name, value in blocks:
        if name == "download":
            value = {**value, "document": documents[value["document"]]}
        resolved.append((name, value))
    return resolved


def _products(spec: DemoArticle) -> list[Product]:
    products = []
    for enterprise_slug, words in spec.products:
        products += Product.objects.filter(enterprise__slug=enterprise_slug,
                                           title__icontains=words, is_active=True,
                                           joint_offer__isnull=True).order_by("pk")[:2]
    return products[:3]


def _cover(spec: DemoArticle, *, variant: int):
    """A generated cover in the topic's colours, with the article's initials."""
    title = f"Sampul: {spec.title}"
    image = get_image_model().objects.filter(title=title).first()
    if image is None:
        data = photo_bytes(title=spec.title, top_slug=COVER_STYLE[spec.topic], variant=variant,
                           size=COVER_SIZE)
        image = image_create(file=ImageFile(io.BytesIO(data), name=f"sampul-{spec.slug}.jpg"),
                             title=title)
    return image


def _article(spec: DemoArticle, *, index, topics: dict, cast: Cast, editor,
             documents: dict) -> tuple[ArticlePage, bool]:
    """The article (made if missing) and whether it was made now."""
    page = ArticlePage.objects.filter(locale_id=index.locale_id, slug=spec.slug).first()
    if page is not None:
        return page, False
    enterprise = cast.enterprise(spec.enterprise)
    owner = cast.runner(spec.enterprise) if enterprise else editor
    products = _products(spec)
    page = ArticlePage(
        title=spec.title, slug=spec.slug, kind=spec.kind, topic=topics[spec.topic],
        summary=spec.summary, body=_body(spec.body, documents), enterprise=enterprise,
        owner=owner, cover_image=_cover(spec, variant=ARTICLES.index(spec)),
    )
    page.tags.set(list(spec.tags))
    page.skills.set(list(Skill.objects.filter(slug__in=spec.skills)))
    page.products.set(products)
    page = page_add(parent=index, page=page, user=editor)
    published = at(-spec.days_ago, 8) + timedelta(minutes=(spec.days_ago * 37) % 600)
    Page.objects.filter(pk=page.pk).update(first_published_at=published,
                                           last_published_at=published,
                                           latest_revision_created_at=published)
    return page, True


def _translation(spec: DemoArticle, page: ArticlePage, *, editor, documents: dict) -> bool:
    """The English translation of `page` in place of its alias; whether it was made now."""
    if spec.english is None:
        return False
    english = page.get_translation_or_none(Locale.objects.get(language_code="en"))
    if english is not None and not english.alias_of_id:
        return False
    translation = page_translate(page=page, language_code="en", title=spec.english.title,
                                 user=editor, summary=spec.english.summary,
                                 body=_body(spec.english.body, documents))
    published = at(-spec.days_ago + TRANSLATED_DAYS_LATER, 10)
    Page.objects.filter(pk=translation.pk).update(first_published_at=published,
                                                  last_published_at=published,
                                                  latest_revision_created_at=published)
    return True


def _helpful_marks(*, run: DemoRun, pages: list[ArticlePage], cast: Cast) -> None:
    marks = []
    for page in pages:
        rng = run.rng(f"helpful:{page.slug}")
        readers = [cast.user(name) for name in READERS if name in cast.users]
        readers = [user for user in readers if user.pk != page.owner_id]
        for user in rng.sample(readers, rng.randint(0, min(9, len(readers)))):
            marks.append(HelpfulMark(article=page, user=user))
    HelpfulMark.objects.bulk_create(marks, ignore_conflicts=True)


@contextlib.contextmanager
def _moderators_not_emailed():
    """Wagtail emails the moderators about every page submitted to them; demo contributions tell
    nobody, like every other demo action (seed_demo mutes Guyub's own notifications)."""
    from wagtail.admin.signal_handlers import (
        task_submission_email_notifier,
        workflow_submission_email_notifier,
    )
    from wagtail.models import TaskState, WorkflowState
    from wagtail.signals import task_submitted, workflow_submitted

    receivers = [
        (task_submitted, task_submission_email_notifier, TaskState,
         "group_approval_task_submitted_email_notification"),
        (workflow_submitted, workflow_submission_email_notifier, WorkflowState,
         "workflow_state_submitted_email_notification"),
    ]
    disconnected = [(signal, receiver, sender, uid) for signal, receiver, sender, uid in receivers
                    if signal.disconnect(sender=sender, dispatch_uid=uid)]
    try:
        yield
    finally:
        for signal, receiver, sender, uid in disconnected:
            signal.connect(receiver, sender=sender, dispatch_uid=uid)


def _contributions(*, cast: Cast, topics: dict, index) -> int:
    """Contributed articles left with the moderators, through the public form's service."""
    made = 0
    for spec in CONTRIBUTIONS:
        user, enterprise = cast.acting(f"{spec.author}@{spec.enterprise}")
        if ArticlePage.objects.filter(locale_id=index.locale_id, owner=user,
                                      title=spec.title).exists():
            continue
        with transaction.atomic(), _moderators_not_emailed():
            article_submit(
                user=user, enterprise=enterprise, topic=topics[spec.topic], kind=spec.kind,
                title=spec.title, summary=spec.summary, body_text=spec.body_text,
                steps_text=spec.steps_text, tags=spec.tags,
                skills=list(Skill.objects.filter(slug__in=spec.skills)),
            )
        made += 1
    return made


def seed_articles(*, run: DemoRun, cast: Cast) -> str:
    if section_page("KnowledgeIndexPage") is None:
        site_sections_ensure()
    index = section_page("KnowledgeIndexPage")
    if index is None:  # no home page: nothing to hang the knowledge base on
        return "Knowledge base: no home page, skipped."
    editor = cast.users.get("admin")
    with transaction.atomic():
        topics = _topics()
        documents = _documents()
    made = translated = 0
    pages = []
    for spec in ARTICLES:
        with transaction.atomic():
            page, created = _article(spec, index=index, topics=topics, cast=cast, editor=editor,
                                     documents=documents)
            translated += _translation(spec, page, editor=editor, documents=documents)
        made += created
        pages.append(page)
    _helpful_marks(run=run, pages=pages, cast=cast)
    contributed = _contributions(cast=cast, topics=topics, index=index)
    return (f"{len(ARTICLES)} articles ({made} new, {translated} newly in English), "
            f"{contributed} new contributions with the moderators")


def seed(*, run: DemoRun) -> None:
    started = time.monotonic()
    cast = Cast()
    parts = [
        seed_articles(run=run, cast=cast),
        demo_events.seed(run=run, cast=cast),
        demo_forum.seed(run=run, cast=cast),
        demo_mentoring.seed(run=run, cast=cast),
    ]
    run.note(f"Knowledge: {'; '.join(parts)} ({time.monotonic() - started:.1f} s).")
