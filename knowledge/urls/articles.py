from django.urls import path

from knowledge.views import articles

# Mounted at /knowledge/ (and /en/knowledge/); "" itself is the Wagtail index page.
urlpatterns = [
    path("contribute/", articles.article_submit, name="article_submit"),
    path("contribute/<int:pk>/", articles.article_edit, name="article_edit"),
    path("contributions/", articles.contribution_list, name="contribution_list"),
    path("helpful/<int:pk>/", articles.article_helpful, name="article_helpful"),
]
