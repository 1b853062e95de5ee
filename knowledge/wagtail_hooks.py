"""Editors manage the knowledge base's topics and the forum's categories from the Wagtail admin.
Articles and guides are pages (under /knowledge/), moderated through Wagtail's workflow."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from knowledge.models import ForumCategory, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "folder-open-inverse"
    menu_label = _("Knowledge topics")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en", "description"]
    ordering = ["sort_order", "name"]


class ForumCategoryViewSet(SnippetViewSet):
    model = ForumCategory
    icon = "comment"
    menu_label = _("Forum categories")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


class KnowledgeGroup(SnippetViewSetGroup):
    menu_label = _("Knowledge and forum")
    menu_icon = "doc-full"
    menu_order = 220
    items = (TopicViewSet, ForumCategoryViewSet)


register_snippet(KnowledgeGroup)
