"""The forum at /forum/: categories, threads, replies, accepted answers and moderation.

Reading is open to everyone; writing needs an account. Actions are POST-only and come back to
the post they concern (or to `next`, e.g. the moderation queue). A refused action (a locked
thread, a second report) is a message; a forbidden one (not a moderator, not the asker) is a
403; a hidden thread is a 404 except for moderators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enterprises.selectors import enterprise_list_for_user
from knowledge.forms.forum import HideForm, PostEditForm, ReplyForm, ReportForm, ThreadForm
from knowledge.models import ForumCategory, Post, PostReport, Thread
from knowledge.selectors import forum as selectors
from knowledge.services import forum as services


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _own_enterprises(user) -> list:
    """The enterprises a user may post as (for the "posting as" choice)."""
    return list(enterprise_list_for_user(user=user).filter(is_active=True).order_by("name"))


def _is_moderator(request) -> bool:
    return selectors.user_is_forum_moderator(user=request.user)


def _require_moderator(request) -> None:
    if not _is_moderator(request):
        raise PermissionDenied


def _visible_post(request, pk) -> Post:
    """The post, if its thread is visible to the user (hidden threads are 404 but for
    moderators)."""
    posts = Post.objects.select_related("thread", "author", "enterprise")
    if not _is_moderator(request):
        posts = posts.filter(thread__is_hidden=False)
    return get_object_or_404(posts, pk=pk)


# Reading


@require_safe
def forum_index(request):
    text = request.GET.get("q", "").strip()[:100]
    context = {
        "categories": list(selectors.category_list_with_counts(user=request.user)),
        "q": text,
        "is_moderator": _is_moderator(request),
    }
    if text:
        context["page"] = selectors.thread_page(
            queryset=selectors.thread_list_filtered(user=request.user, text=text),
            number=request.GET.get("page"))
    else:
        context["threads"] = selectors.thread_list_latest(user=request.user)
    if context["is_moderator"]:
        context["open_report_posts"] = PostReport.objects.filter(
            resolved_at__isnull=True).values("post").distinct().count()
    return render(request, "knowledge/forum/index.html", context)


@require_safe
def forum_category(request, slug):
    category = get_object_or_404(ForumCategory, slug=slug)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Thread.Kind.values else ""
    unanswered = request.GET.get("unanswered") == "1"
    threads = selectors.thread_list_filtered(user=request.user, category=category, kind=kind,
                                             unanswered=unanswered)
    return render(request, "knowledge/forum/category.html", {
        "category": category,
        "page": selectors.thread_page(queryset=threads, number=request.GET.get("page")),
        "kind": kind,
        "unanswered": unanswered,
        "is_moderator": _is_moderator(request),
    })


def _thread_context(request, thread: Thread, *, page_number=None, reply_form=None) -> dict:
    user = request.user
    is_moderator = _is_moderator(request)
    opening = selectors.opening_post(thread=thread, user=user)
    page = selectors.reply_page(thread=thread, opening=opening, user=user, number=page_number)
    posts = list(page.object_list)
    accepted = None
    if thread.kind == Thread.Kind.QUESTION and page.number == 1:
        accepted = selectors.accepted_answer(thread=thread, user=user)
    for post in [opening, accepted, *posts]:
        if post is not None:
            post.thread = thread
            post.can_edit = selectors.post_edit_allowed(post=post, user=user)
            post.show_text = not post.is_hidden or is_moderator or post.author_id == user.pk
    enterprises = []
    can_reply = user.is_authenticated and not thread.is_locked and not thread.is_hidden
    if can_reply and reply_form is None:
        enterprises = _own_enterprises(user)
        reply_form = ReplyForm(enterprises=enterprises)
    return {
        "thread": thread,
        "category": thread.category,
        "opening": opening,
        "accepted": accepted,
        "page": page,
        "posts": posts,
        "is_moderator": is_moderator,
        "can_accept": thread.kind == Thread.Kind.QUESTION and user.is_authenticated
        and (thread.author_id == user.pk or is_moderator),
        "can_reply": can_reply,
        "reply_form": reply_form if can_reply else None,
        "report_form": ReportForm() if user.is_authenticated else None,
        "report_reasons": PostReport.Reason.choices,
        "edit_minutes": int(selectors.EDIT_WINDOW.total_seconds() // 60),
    }


@require_safe
def thread_detail(request, pk):
    thread = selectors.thread_for_view(pk=pk, user=request.user)
    return render(request, "knowledge/forum/thread_detail.html",
                  _thread_context(request, thread, page_number=request.GET.get("page")))


# Writing


@login_required
def thread_create(request):
    enterprises = _own_enterprises(request.user)
    initial = {}
    if request.GET.get("category"):
        initial["category"] = ForumCategory.objects.filter(
            slug=request.GET["category"]).first()
    form = ThreadForm(request.POST or None, initial=initial, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.forum_rate_limit_check(user=request.user, action="thread")
            services.forum_rate_limit_check(user=request.user, action="post")
            thread = services.thread_start(
                category=data["category"], author=request.user,
                enterprise=data.get("enterprise"), kind=data["kind"], title=data["title"],
                body=data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your thread is published."))
            return redirect(thread)
    return render(request, "knowledge/forum/thread_form.html", {
        "form": form,
        "category": initial.get("category"),
        "has_categories": ForumCategory.objects.exists(),
    })


@login_required
@require_POST
def post_reply(request, pk):
    thread = selectors.thread_for_view(pk=pk, user=request.user)
    enterprises = _own_enterprises(request.user)
    form = ReplyForm(request.POST, enterprises=enterprises)
    if form.is_valid():
        try:
            services.forum_rate_limit_check(user=request.user, action="post")
            post = services.post_reply(thread=thread, author=request.user,
                                       enterprise=form.cleaned_data.get("enterprise"),
                                       body=form.cleaned_data["body"])
        except ValidationError as error:
            if error.code in ("locked", "hidden"):
                _flash(request, error)
                return redirect(thread)
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply is published."))
            return redirect(selectors.post_url(post=post))
    context = _thread_context(request, thread, page_number=request.POST.get("page"),
                              reply_form=form)
    return render(request, "knowledge/forum/thread_detail.html", context)


@login_required
def post_edit(request, pk):
    post = _visible_post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    if not selectors.post_edit_allowed(post=post, user=request.user):
        messages.error(request, _("This post can no longer be edited: posts can be changed for "
                                  "%(minutes)d minutes after writing, while the thread is open.")
                       % {"minutes": selectors.EDIT_WINDOW.total_seconds() // 60})
        return redirect(selectors.post_url(post=post))
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_rate_limit_check(user=request.user, action="edit")
            services.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            services.forum_edit_record(user=request.user)
            messages.success(request, _("Your changes are saved."))
            return redirect(selectors.post_url(post=post))
    return render(request, "knowledge/forum/post_edit.html", {
        "form": form, "post": post, "thread": post.thread,
        "edit_minutes": int(selectors.EDIT_WINDOW.total_seconds() // 60),
    })


@login_required
@require_POST
def post_report(request, pk):
    post = _visible_post(request, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            services.post_report(post=post, reporter=request.user, **form.cleaned_data)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at this post."))
    return redirect(_next_or(request, selectors.post_url(post=post)))


@login_required
@require_POST
def post_accept(request, pk):
    post = _visible_post(request, pk)
    try:
        services.answer_accept(post=post, by=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("This answer is marked as accepted."))
    return redirect(selectors.post_url(post=post))


# Moderation


@login_required
@require_POST
def post_hide(request, pk):
    _require_moderator(request)
    post = _visible_post(request, pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        hidden = form.cleaned_data["hidden"]
        try:
            services.post_hide(post=post, by=request.user, hidden=hidden,
                               reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("The post is hidden.") if hidden
                             else _("The post is visible again."))
    return redirect(_next_or(request, selectors.post_url(post=post)))


@login_required
@require_POST
def post_reports_dismiss(request, pk):
    _require_moderator(request)
    post = _visible_post(request, pk)
    services.post_reports_dismiss(post=post, by=request.user)
    messages.success(request, _("The reports are dismissed."))
    return redirect(_next_or(request, selectors.post_url(post=post)))


def _toggle(request, current: bool) -> bool:
    value = request.POST.get("value")
    return {"1": True, "0": False}.get(value, not current)


@login_required
@require_POST
def thread_lock(request, pk):
    _require_moderator(request)
    thread = get_object_or_404(Thread, pk=pk)
    locked = _toggle(request, thread.is_locked)
    services.thread_lock(thread=thread, by=request.user, locked=locked)
    messages.success(request, _("The thread is locked: no new replies.") if locked
                     else _("The thread is open for replies again."))
    return redirect(_next_or(request, thread.get_absolute_url()))


@login_required
@require_POST
def thread_hide(request, pk):
    _require_moderator(request)
    thread = get_object_or_404(Thread, pk=pk)
    hidden = _toggle(request, thread.is_hidden)
    services.thread_hide(thread=thread, by=request.user, hidden=hidden)
    messages.success(request, _("The thread is hidden from the forum.") if hidden
                     else _("The thread is visible again."))
    return redirect(_next_or(request, thread.get_absolute_url()))


@login_required
@require_safe
def forum_moderation(request):
    _require_moderator(request)
    page = selectors.report_page(number=request.GET.get("page"))
    return render(request, "knowledge/forum/moderation.html", {
        "page": page,
        "posts": list(page.object_list),
        "hidden_threads": selectors.threads_with_last_poster(list(selectors.thread_list_cards(
            Thread.objects.filter(is_hidden=True))[:selectors.THREADS_PER_PAGE])),
        "is_moderator": True,
    })
