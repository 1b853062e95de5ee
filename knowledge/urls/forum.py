from django.urls import path

from knowledge.views import forum

# Fixed words come before <slug:slug>, which would otherwise take them as a category.
urlpatterns = [
    path("", forum.forum_index, name="forum_index"),
    path("new/", forum.thread_create, name="thread_create"),
    path("moderation/", forum.forum_moderation, name="forum_moderation"),
    path("thread/<int:pk>/", forum.thread_detail, name="thread_detail"),
    path("thread/<int:pk>/reply/", forum.post_reply, name="post_reply"),
    path("thread/<int:pk>/lock/", forum.thread_lock, name="thread_lock"),
    path("thread/<int:pk>/hide/", forum.thread_hide, name="thread_hide"),
    path("post/<int:pk>/edit/", forum.post_edit, name="post_edit"),
    path("post/<int:pk>/report/", forum.post_report, name="post_report"),
    path("post/<int:pk>/accept/", forum.post_accept, name="post_accept"),
    path("post/<int:pk>/hide/", forum.post_hide, name="post_hide"),
    path("post/<int:pk>/dismiss/", forum.post_reports_dismiss, name="post_reports_dismiss"),
    path("<slug:slug>/", forum.forum_category, name="forum_category"),
]
