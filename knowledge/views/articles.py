"""The actions around the knowledge base's Wagtail pages: contributing an article or a guide,
the contributor's own list, and marking an article helpful."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from enterprises.selectors import enterprise_list_for_user
from knowledge.forms.articles import ArticleForm
from knowledge.models import ArticlePage
from knowledge.selectors import articles as selectors
from knowledge.services import articles as services

FORM_TEMPLATE = "knowledge/articles/article_form.html"


def _enterprises(request):
    return enterprise_list_for_user(user=request.user).filter(is_active=True).order_by("name")


def _form_errors_from(form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You cannot do that."))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def article_submit(request):
    enterprises = _enterprises(request)
    if not enterprises.exists():
        return render(request, FORM_TEMPLATE, {"needs_enterprise": True})
    form = ArticleForm(request.POST or None, request.FILES or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_submit(user=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _(
                "Thank you! Your article is with the moderators. We will tell you when it is "
                "published or if they ask for changes."))
            return redirect("contribution_list")
    return render(request, FORM_TEMPLATE, {"form": form})


@login_required
def article_edit(request, pk):
    # Someone else's article is "not found", the same as one that does not exist.
    page = get_object_or_404(ArticlePage, pk=pk, owner=request.user,
                             locale=Locale.get_default())
    draft = page.get_latest_revision_as_object()
    status = selectors.contribution_status(page)
    context = {"article": draft, "status": status, "live_url": page.url if page.live else ""}
    if status.code == "in_moderation":
        return render(request, FORM_TEMPLATE, {**context, "in_moderation": True})
    enterprises = _enterprises(request)
    if not enterprises.exists():
        return render(request, FORM_TEMPLATE, {**context, "needs_enterprise": True})
    form = ArticleForm(request.POST or None, request.FILES or None, enterprises=enterprises,
                       initial=ArticleForm.initial_for(draft))
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(page=page, user=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            _form_errors_from(form, error)
        else:
            if page.live:
                messages.success(request, _(
                    "Your changes are with the moderators. The published version stays as it "
                    "was until they approve them."))
            else:
                messages.success(request, _(
                    "Your article is with the moderators again. We will tell you when they "
                    "answer."))
            return redirect("contribution_list")
    return render(request, FORM_TEMPLATE, {**context, "form": form})


@login_required
def contribution_list(request):
    pages = Paginator(selectors.contribution_list_for_user(user=request.user),
                      selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for page in pages.object_list:
        page.contribution = selectors.contribution_status(page)
    return render(request, "knowledge/articles/contribution_list.html", {
        "page": pages,
        "has_enterprise": enterprise_list_for_user(user=request.user).exists(),
    })


@require_POST
def article_helpful(request, pk):
    article = get_object_or_404(selectors.article_list_published(), pk=pk)
    article_url = article.get_url(request=request) or "/"
    if not request.user.is_authenticated:
        response = redirect_to_login(article_url)
        if request.htmx:
            # htmx would swap the login page into the button; send the whole page there instead.
            redirect_response = HttpResponse(status=204)
            redirect_response["HX-Redirect"] = response["Location"]
            return redirect_response
        return response
    error = ""
    try:
        marked = services.helpful_toggle(article=article, user=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if not request.htmx:
            messages.error(request, error)
    else:
        if not request.htmx:
            messages.success(request, _("Thank you: marked as helpful.") if marked
                             else _("Your helpful mark is taken back."))
    if request.htmx:
        return render(request, "knowledge/articles/_helpful.html", {
            **selectors.article_helpful_context(page=article, user=request.user),
            "page": article, "helpful_error": error,
        })
    return redirect(f"{article_url}#helpful")
