"""Template helpers available in every template (registered as builtins in settings)."""

from urllib.parse import quote

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import format_html
from wagtail.images.shortcuts import get_rendition_or_not_found

from marketplace import images

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """15000 -> "Rp 15.000": whole rupiah, dots between thousands, in every language."""
    if value is None or value == "":
        return ""
    return "Rp " + f"{int(value):,}".replace(",", ".")


@register.simple_tag
def whatsapp_link(number: str, message: str = "") -> str:
    """A wa.me link that opens a chat with `message` already typed."""
    link = f"https://wa.me/{number}"
    return f"{link}?text={quote(message)}" if message else link


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """`path` as a full address on this site, e.g. for links shared through WhatsApp."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters changed; for pagination and sorting."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag
def photo(image, size: str, **attrs) -> str:
    """An <img> of `image` at one of marketplace.images' named sizes ("card", "gallery", "thumb",
    "logo"), so templates use exactly the specs the selectors prefetch renditions for. Width and
    height come with it, so the page does not jump while photos load."""
    if not image:
        return ""
    spec = getattr(images, size.upper())
    return get_rendition_or_not_found(image, spec).img_tag(attrs)


@register.simple_tag(takes_context=True)
def translated_url(context, language: str) -> str:
    """The current page's address in `language` (Indonesian has no prefix, English is /en/)."""
    request = context.get("request")
    if request is None:
        return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def icon(name: str) -> str:
    """A decorative icon from the static sprite; the text next to it carries the meaning."""
    href = f"{static('icons/icons.svg')}#{name}"
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', href
    )
