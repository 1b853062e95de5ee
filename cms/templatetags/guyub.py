"""Template helpers available in every template (registered as builtins in settings)."""

from urllib.parse import quote

from django import template

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
def query_replace(context, **changes) -> str:
    """The current query string with some parameters changed; for pagination and sorting."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
