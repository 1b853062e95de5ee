"""{% load forum %}: forum posts as safe HTML, and the words for why a post is hidden."""

from django import template
from django.utils.translation import gettext as _

from knowledge.formatting import format_post as _format_post
from knowledge.services.forum import REPORTED_REASON

register = template.Library()


@register.filter(is_safe=True)
def format_post(body, mentions=None):
    """`{{ post.body|format_post:post.mentions.all }}`: escaped, with paragraphs, bold, italic
    and links; @names link to the enterprises given (prefetched: no query)."""
    return _format_post(body, mentions=() if mentions is None else mentions)


@register.filter
def hidden_reason(reason: str) -> str:
    if reason == REPORTED_REASON:
        return _("Hidden automatically after several reports, until a moderator looks at it.")
    return _("Hidden by a moderator: %(reason)s") % {"reason": reason}
