"""Which pages people may see. Wagtail's `public()` looks at a page's own place in the tree, but
an English alias is served with its Indonesian original's view restrictions: lists must apply
those too, or a restricted page shows through its alias."""

from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import Page


def pages_visible(queryset: QuerySet) -> QuerySet:
    """Live pages nobody restricted, neither themselves nor (for aliases) their original. (By id,
    so the result can still be searched: `alias_of` is not a search filter field.)"""
    hidden_aliases = Page.objects.filter(alias_of__in=Page.objects.not_public()).values("id")
    return queryset.live().public().exclude(id__in=hidden_aliases)


def page_check_viewable(*, page: Page, request) -> None:
    """Http404 unless `page` is live and the request passes its view restrictions (password,
    login, groups), as Wagtail's own serving would require."""
    if not page.live:
        raise Http404
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
