"""The site's page tree: the /knowledge/ and /events/ sections, and aliases that keep the
English tree in step with the Indonesian one (as WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE does
for pages made in the admin)."""

from django.conf import settings
from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale, Page

SECTIONS = [
    # (model name, slug, Indonesian title, English title)
    ("KnowledgeIndexPage", "knowledge", "Pengetahuan", "Knowledge"),
    ("EventIndexPage", "events", "Acara dan pelatihan", "Events and trainings"),
]


def original_locale() -> Locale | None:
    """The language content is written in first (Indonesian), whatever language is active:
    people's actions attach to pages in it, and new pages start in it."""
    return Locale.objects.filter(
        language_code=settings.WAGTAIL_CONTENT_LANGUAGES[0][0]).first()


def locales_ensure() -> list[Locale]:
    """A Locale for every content language."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    return [Locale.objects.get_or_create(language_code=code)[0] for code in codes]


def page_translations_sync(*, page: Page) -> None:
    """An alias of `page` (and of any missing parents) in every other locale. Parents go first,
    so Wagtail never has to make them while handling a missing-parent exception."""
    lineage = [*page.get_ancestors().filter(depth__gte=2).specific(), page]
    for locale in Locale.objects.exclude(pk=page.locale_id):
        for node in lineage:
            if not node.has_translation(locale):
                node.copy_for_translation(locale, alias=True)


@transaction.atomic
def page_add(*, parent: Page, page: Page, user=None, publish: bool = True) -> Page:
    """Add `page` under `parent` (a page in the original locale), saved as a revision by `user`,
    published or left as a draft, with its aliases in the other locales."""
    if not publish:
        page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        # The calling service has decided who may publish (organisers their own events).
        revision.publish(user=user, skip_permission_checks=True)
        page.refresh_from_db()
    page_translations_sync(page=page)
    return page


def page_translate(*, page: Page, language_code: str, title: str, user=None, **fields) -> Page:
    """Turn the alias of `page` in another language into its own translation, published with
    `title` and `fields` (the demo's English versions, the sections' English titles)."""
    locale = Locale.objects.get(language_code=language_code)
    translation = page.get_translation_or_none(locale)
    if translation is None:
        page_translations_sync(page=page)
        translation = page.get_translation(locale)
    translation = translation.specific
    if translation.alias_of_id:
        ConvertAliasPageAction(translation, user=user).execute(skip_permission_checks=True)
        translation.refresh_from_db()
    translation.title = title
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision(user=user).publish(user=user)
    return translation


def home_page() -> Page | None:
    """The home page in the original locale (None before migrations made it)."""
    from cms.models import HomePage

    return HomePage.objects.filter(locale=original_locale()).order_by("depth", "pk").first()


def section_page(model_name: str) -> Page | None:
    """The section page (KnowledgeIndexPage or EventIndexPage) in the original locale."""
    from django.apps import apps

    model = apps.get_model("knowledge", model_name)
    return model.objects.filter(locale=original_locale()).order_by("pk").first()


@transaction.atomic
def site_sections_ensure() -> None:
    """Idempotent: the locales, the section pages under the home page, and the English tree.
    Does nothing before the home page exists (a flushed test database)."""
    from django.apps import apps

    home = home_page()
    if home is None:
        return
    locales_ensure()
    for model_name, slug, title, title_en in SECTIONS:
        if section_page(model_name) is None:
            model = apps.get_model("knowledge", model_name)
            page = page_add(parent=home, page=model(title=title, slug=slug))
            page_translate(page=page, language_code="en", title=title_en)
    original = original_locale()
    for locale in Locale.objects.exclude(pk=original.pk):
        translated = Page.objects.filter(locale=locale).values("translation_key")
        missing = (Page.objects.filter(locale=original, depth__gte=2)
                   .exclude(translation_key__in=translated).order_by("path").specific())
        for page in missing:  # parents first, so each alias finds its parent's
            page.copy_for_translation(locale, copy_parents=True, alias=True)
