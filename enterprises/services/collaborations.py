""""We work together": one enterprise says so, the other confirms, and only then is it a
collaboration tie (one per pair, however many times it is stated). Requests are kept after
the answer: the network analysis and the enterprises can see who asked whom, and when."""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.services import notification_send
from enterprises.models import CollaborationRequest, Enterprise, Tie
from enterprises.selectors import enterprise_check_runs, user_can_manage_enterprise
from enterprises.services.ties import tie_record

NOTE_MAX_LENGTH = CollaborationRequest._meta.get_field("note").max_length
Status = CollaborationRequest.Status

# Each request notifies (and emails) all the asked enterprise's people: limits against spam.
# settings.COLLABORATION_REQUESTS_PER_DAY overrides the first.
REQUESTS_PER_DAY = 10  # new requests an enterprise, or a person, may send in 24 hours
SAME_PAIR_WINDOW = timedelta(days=30)
ASK_AGAIN_AFTER_DECLINE = SAME_PAIR_WINDOW  # the same enterprise, after it said no
SAME_PAIR_REQUESTS = 3  # requests to one enterprise in SAME_PAIR_WINDOW (withdrawn ones count)


def _tie_exists(first: Enterprise, second: Enterprise) -> bool:
    return Tie.objects.filter(
        Q(from_enterprise=first, to_enterprise=second)
        | Q(from_enterprise=second, to_enterprise=first),
        kind=Tie.Kind.COLLABORATION, ended_on__isnull=True,
    ).exists()


def _already_asked_error(to_enterprise: Enterprise) -> ValidationError:
    return ValidationError(
        _("You already asked %(name)s. Wait for their answer, or withdraw the request.")
        % {"name": to_enterprise.name}, code="already_asked")


@transaction.atomic
def collaboration_request(*, from_enterprise: Enterprise, to_enterprise: Enterprise, user,
                          note: str = "") -> CollaborationRequest:
    """`from_enterprise` says it works with `to_enterprise`, whose people are asked to confirm.
    When `to_enterprise` has already said the same, its request is confirmed instead (and
    returned): both sides have now said it."""
    enterprise_check_runs(user=user, enterprise=from_enterprise)
    if from_enterprise.pk == to_enterprise.pk:
        raise ValidationError(_("An enterprise cannot collaborate with itself."), code="self")
    if user_can_manage_enterprise(user=user, enterprise=to_enterprise):
        raise ValidationError(
            _("You run %(name)s yourself. A collaboration is confirmed by the other "
              "enterprise's people.") % {"name": to_enterprise.name}, code="self")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Please keep it to %(limit)d characters (it has %(length)d).")
             % {"limit": NOTE_MAX_LENGTH, "length": len(note)}}, code="max_length")
    # Both rows, in one order, so two requests between the same pair wait for each other.
    locked = list(Enterprise.objects.select_for_update().filter(
        pk__in=[from_enterprise.pk, to_enterprise.pk]).order_by("pk"))
    inactive = next((row for row in locked if not row.is_active), None)
    if inactive is not None or len(locked) < 2:
        raise ValidationError(_("%(name)s is not active on Guyub.")
                              % {"name": (inactive or to_enterprise).name}, code="inactive")
    if _tie_exists(from_enterprise, to_enterprise):
        raise ValidationError(
            _("You and %(name)s are already recorded as working together.")
            % {"name": to_enterprise.name}, code="exists")
    pending = CollaborationRequest.objects.filter(status=Status.PENDING)
    if pending.filter(from_enterprise=from_enterprise, to_enterprise=to_enterprise).exists():
        raise _already_asked_error(to_enterprise)
    theirs = pending.filter(from_enterprise=to_enterprise, to_enterprise=from_enterprise).first()
    if theirs is not None:
        return collaboration_confirm(request=theirs, user=user)
    _limits_check(from_enterprise=from_enterprise, to_enterprise=to_enterprise, user=user)
    try:
        with transaction.atomic():
            request = CollaborationRequest.objects.create(
                from_enterprise=from_enterprise, to_enterprise=to_enterprise,
                requested_by=user, note=note,
            )
    except IntegrityError:  # the same request sent twice at once
        raise _already_asked_error(to_enterprise) from None
    transaction.on_commit(lambda: _tell_asked(request=request))
    return request


def _days_left(until, now) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 86400))


def _limits_check(*, from_enterprise: Enterprise, to_enterprise: Enterprise, user) -> None:
    """Refuse asking an enterprise again within ASK_AGAIN_AFTER_DECLINE of its "no", more than
    SAME_PAIR_REQUESTS times in SAME_PAIR_WINDOW (asking and taking back), and more than
    REQUESTS_PER_DAY new requests a day from one enterprise or person."""
    now = timezone.now()
    asked = CollaborationRequest.objects.filter(from_enterprise=from_enterprise,
                                                to_enterprise=to_enterprise)
    declined = asked.filter(status=Status.DECLINED,
                            answered_at__gt=now - ASK_AGAIN_AFTER_DECLINE).order_by(
        "-answered_at").values_list("answered_at", flat=True).first()
    if declined is not None:
        days = _days_left(declined + ASK_AGAIN_AFTER_DECLINE, now)
        raise ValidationError(ngettext(
            "%(name)s answered that you do not work together. You can ask again in %(days)d "
            "day; they can ask you at any time.",
            "%(name)s answered that you do not work together. You can ask again in %(days)d "
            "days; they can ask you at any time.", days) % {"name": to_enterprise.name,
                                                            "days": days},
            code="declined_recently")
    times = list(asked.filter(created_at__gt=now - SAME_PAIR_WINDOW).order_by("created_at")
                 .values_list("created_at", flat=True))
    if len(times) >= SAME_PAIR_REQUESTS:
        days = _days_left(times[len(times) - SAME_PAIR_REQUESTS] + SAME_PAIR_WINDOW, now)
        raise ValidationError(ngettext(
            "You have asked %(name)s %(count)d times lately. You can ask again in %(days)d day.",
            "You have asked %(name)s %(count)d times lately. You can ask again in %(days)d "
            "days.", days) % {"name": to_enterprise.name, "count": len(times), "days": days},
            code="asked_often")
    limit = getattr(settings, "COLLABORATION_REQUESTS_PER_DAY", REQUESTS_PER_DAY)
    sent = CollaborationRequest.objects.filter(
        Q(from_enterprise=from_enterprise) | Q(requested_by=user),
        created_at__gt=now - timedelta(days=1),
    ).count()
    if sent >= limit:
        raise ValidationError(
            ngettext("You have sent %(count)d request today, the most there can be in a day. "
                     "Please ask again tomorrow.",
                     "You have sent %(count)d requests today, the most there can be in a day. "
                     "Please ask again tomorrow.", sent) % {"count": sent},
            code="rate_limited")


def _locked(request: CollaborationRequest) -> CollaborationRequest:
    return CollaborationRequest.objects.select_for_update(of=("self",)).select_related(
        "from_enterprise", "to_enterprise", "requested_by"
    ).get(pk=request.pk)


def _answered_error(request: CollaborationRequest) -> ValidationError:
    return ValidationError(
        _("This request is no longer waiting for an answer: %(status)s.")
        % {"status": request.get_status_display().lower()}, code="answered")


def _answer(request: CollaborationRequest, *, status: str, user) -> None:
    request.status = status
    request.answered_by = user
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])


@transaction.atomic
def collaboration_confirm(*, request: CollaborationRequest, user) -> CollaborationRequest:
    """The asked enterprise's people confirm: the collaboration tie is recorded from today."""
    enterprise_check_runs(user=user, enterprise=request.to_enterprise)
    request = _locked(request)
    if request.status != Status.PENDING:
        raise _answered_error(request)
    _answer(request, status=Status.CONFIRMED, user=user)
    tie_record(
        kind=Tie.Kind.COLLABORATION, from_enterprise=request.from_enterprise,
        to_enterprise=request.to_enterprise, started_on=timezone.localdate(),
        origin=Tie.Origin.EXPLICIT, evidence=f"collaboration:{request.pk}",
    )
    # A request the other way (both asked at once) is answered by the same tie.
    CollaborationRequest.objects.filter(
        from_enterprise=request.to_enterprise, to_enterprise=request.from_enterprise,
        status=Status.PENDING,
    ).update(status=Status.CONFIRMED, answered_by=user, answered_at=request.answered_at)
    transaction.on_commit(lambda: _tell_asker(request=request))
    return request


@transaction.atomic
def collaboration_decline(*, request: CollaborationRequest, user) -> CollaborationRequest:
    """The asked enterprise's people say they do not work together."""
    enterprise_check_runs(user=user, enterprise=request.to_enterprise)
    request = _locked(request)
    if request.status != Status.PENDING:
        raise _answered_error(request)
    _answer(request, status=Status.DECLINED, user=user)
    transaction.on_commit(lambda: _tell_asker(request=request))
    return request


@transaction.atomic
def collaboration_withdraw(*, request: CollaborationRequest, user) -> CollaborationRequest:
    """The asking enterprise's people take back a request still waiting."""
    enterprise_check_runs(user=user, enterprise=request.from_enterprise)
    request = _locked(request)
    if request.status != Status.PENDING:
        raise _answered_error(request)
    _answer(request, status=Status.WITHDRAWN, user=user)
    return request


def _people(enterprise: Enterprise) -> list:
    """The enterprise's people who can still log in (no mail to closed accounts)."""
    return [member.user for member in
            enterprise.memberships.filter(user__is_active=True).select_related("user")]


def _network_url(enterprise: Enterprise, anchor: str) -> str:
    return reverse("your_network", kwargs={"slug": enterprise.slug}) + anchor


def _tell_asked(*, request: CollaborationRequest) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            users=_people(request.to_enterprise), kind="collaboration_request",
            title=_("%(name)s says you work together. Please confirm.")
            % {"name": request.from_enterprise.name},
            body=request.note, url=_network_url(request.to_enterprise, "#requests"),
        )


def _tell_asker(*, request: CollaborationRequest) -> None:
    confirmed = request.status == Status.CONFIRMED
    asker = request.requested_by
    users = ([asker] if asker is not None and asker.is_active
             else _people(request.from_enterprise))
    with translation.override(settings.LANGUAGE_CODE):
        if confirmed:
            title = _("%(name)s confirmed that you work together") % {
                "name": request.to_enterprise.name}
        else:
            title = _("%(name)s did not confirm working together") % {
                "name": request.to_enterprise.name}
        notification_send(
            users=users, kind="collaboration_confirmed" if confirmed else "collaboration_declined",
            title=title, url=_network_url(request.from_enterprise, "#ties" if confirmed
                                          else "#requests"),
        )
