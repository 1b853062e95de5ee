"""Mentoring: an experienced enterprise offers to mentor others in a skill, others ask, and an
accepted request is recorded as a mentoring tie from the mentor to the mentee.

Rows are kept after a decision: the network analysis reads who mentored whom, and when."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.services import notification_send
from enterprises.models import Enterprise, Skill, Tie
from enterprises.selectors import enterprise_check_runs, user_can_manage_enterprise
from enterprises.services.ties import tie_record
from knowledge.models import MentoringOffer, MentoringRequest
from knowledge.selectors.mentoring import OPEN_STATUSES

MESSAGE_MAX_LENGTH = MentoringRequest._meta.get_field("message").max_length
RESPONSE_MAX_LENGTH = MentoringRequest._meta.get_field("response").max_length
DESCRIPTION_MAX_LENGTH = MentoringOffer._meta.get_field("description").max_length


def _clean_text(text, *, field: str, max_length: int, required_message: str = "") -> str:
    text = (text or "").strip()
    if not text and required_message:
        raise ValidationError({field: required_message}, code="required")
    if len(text) > max_length:
        raise ValidationError(
            {field: _("Please keep it to %(limit)d characters (it has %(length)d).")
             % {"limit": max_length, "length": len(text)}},
            code="max_length",
        )
    return text


def _duplicate_skill_error(skill: Skill) -> ValidationError:
    return ValidationError(
        {"skill": _("You already offer mentoring in %(skill)s. Edit that offer instead.")
         % {"skill": skill.display_name}},
        code="duplicate_skill",
    )


@transaction.atomic
def mentoring_offer_save(*, by, mentor: Enterprise, skill: Skill, description: str = "",
                         is_active: bool = True,
                         offer: MentoringOffer | None = None) -> MentoringOffer:
    """Create an offer of `mentor`, or change `offer` (its skill, text, or pause it)."""
    enterprise_check_runs(user=by, enterprise=mentor)
    if offer is not None and offer.mentor_id != mentor.pk:
        raise PermissionDenied(_("This offer belongs to another enterprise."))
    description = _clean_text(description, field="description",
                              max_length=DESCRIPTION_MAX_LENGTH)
    taken = MentoringOffer.objects.filter(mentor=mentor, skill=skill)
    if offer is not None:
        taken = taken.exclude(pk=offer.pk)
    if taken.exists():
        raise _duplicate_skill_error(skill)
    if offer is None:
        offer = MentoringOffer(mentor=mentor)
    else:
        offer = MentoringOffer.objects.select_for_update().get(pk=offer.pk)
    offer.skill, offer.description, offer.is_active = skill, description, bool(is_active)
    try:
        with transaction.atomic():  # a twin saved at the same moment hits the unique constraint
            offer.save()
    except IntegrityError:
        raise _duplicate_skill_error(skill) from None
    return offer


def _already_asked_error(mentee: Enterprise) -> ValidationError:
    return ValidationError(
        _("You already asked this mentor as %(name)s. Wait for the answer, or withdraw the "
          "request from your mentoring dashboard.") % {"name": mentee.name},
        code="already_asked",
    )


@transaction.atomic
def mentoring_request_send(*, offer: MentoringOffer, mentee: Enterprise, by,
                           message: str) -> MentoringRequest:
    """`mentee` (run by `by`) asks the mentor of `offer`; the mentor's people are told."""
    enterprise_check_runs(user=by, enterprise=mentee)
    offer = MentoringOffer.objects.select_for_update(of=("self",)).select_related(
        "mentor", "skill"
    ).get(pk=offer.pk)
    if mentee.pk == offer.mentor_id:
        raise ValidationError(_("An enterprise cannot mentor itself."), code="self")
    if user_can_manage_enterprise(user=by, enterprise=offer.mentor):
        # Both ends run by the same person would be a tie nobody made.
        raise ValidationError(_("You run this mentor's enterprise yourself."), code="self")
    if not offer.is_active or not offer.mentor.is_active:
        raise ValidationError(_("This mentor is not taking requests at the moment."),
                              code="paused")
    if not mentee.is_active:
        raise ValidationError(_("%(name)s is not active on Guyub.") % {"name": mentee.name},
                              code="inactive")
    message = _clean_text(message, field="message", max_length=MESSAGE_MAX_LENGTH,
                          required_message=_("Tell the mentor what you would like to learn."))
    if offer.requests.filter(mentee=mentee, status__in=OPEN_STATUSES).exists():
        raise _already_asked_error(mentee)
    try:
        with transaction.atomic():
            request = MentoringRequest.objects.create(
                offer=offer, mentee=mentee, requested_by=by, message=message,
            )
    except IntegrityError:  # the same request sent twice at once
        raise _already_asked_error(mentee) from None
    transaction.on_commit(lambda: _tell_mentor(request=request))
    return request


def _locked_request(request: MentoringRequest) -> MentoringRequest:
    return MentoringRequest.objects.select_for_update(of=("self",)).select_related(
        "offer", "offer__mentor", "offer__skill", "mentee", "requested_by"
    ).get(pk=request.pk)


def _already_decided_error(request: MentoringRequest) -> ValidationError:
    return ValidationError(
        _("This request is no longer waiting for an answer: %(status)s.")
        % {"status": request.get_status_display().lower()},
        code="decided",
    )


@transaction.atomic
def mentoring_request_decide(*, request: MentoringRequest, by, accept: bool,
                             response: str = "") -> MentoringRequest:
    """The mentor's people accept or decline a waiting request, with an optional answer.
    Accepting records the mentoring tie from the mentor to the mentee."""
    enterprise_check_runs(user=by, enterprise=request.offer.mentor)
    request = _locked_request(request)
    if request.status != MentoringRequest.Status.REQUESTED:
        raise _already_decided_error(request)
    response = _clean_text(response, field="response", max_length=RESPONSE_MAX_LENGTH)
    now = timezone.now()
    request.status = (MentoringRequest.Status.ACCEPTED if accept
                      else MentoringRequest.Status.DECLINED)
    request.response = response
    request.decided_at = now
    request.save(update_fields=["status", "response", "decided_at"])
    if accept:
        tie_record(
            kind=Tie.Kind.MENTORING, from_enterprise=request.offer.mentor,
            to_enterprise=request.mentee, started_on=timezone.localdate(now),
            origin=Tie.Origin.EXPLICIT, evidence=f"mentoring:{request.pk}",
        )
    transaction.on_commit(lambda: _tell_mentee(request=request))
    return request


@transaction.atomic
def mentoring_request_withdraw(*, request: MentoringRequest, by) -> MentoringRequest:
    """The mentee's people take back a request that is still waiting."""
    enterprise_check_runs(user=by, enterprise=request.mentee)
    request = _locked_request(request)
    if request.status != MentoringRequest.Status.REQUESTED:
        raise _already_decided_error(request)
    request.status = MentoringRequest.Status.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request


def _people(enterprise: Enterprise) -> list:
    return [member.user for member in enterprise.memberships.select_related("user")]


def _tell_mentor(*, request: MentoringRequest) -> None:
    offer = request.offer
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            users=_people(offer.mentor), kind="mentoring_request",
            title=_("%(mentee)s asks you for mentoring in %(skill)s") % {
                "mentee": request.mentee.name, "skill": offer.skill.display_name},
            body=request.message[:300],
            url=reverse("mentoring_dashboard") + "#received",
        )


def _tell_mentee(*, request: MentoringRequest) -> None:
    offer = request.offer
    accepted = request.status == MentoringRequest.Status.ACCEPTED
    users = [request.requested_by] if request.requested_by else _people(request.mentee)
    with translation.override(settings.LANGUAGE_CODE):
        if accepted:
            title = _("%(mentor)s will mentor you in %(skill)s") % {
                "mentor": offer.mentor.name, "skill": offer.skill.display_name}
        else:
            title = _("%(mentor)s cannot mentor you in %(skill)s now") % {
                "mentor": offer.mentor.name, "skill": offer.skill.display_name}
        notification_send(
            users=users, kind="mentoring_accepted" if accepted else "mentoring_declined",
            title=title, body=request.response[:300],
            url=reverse("mentoring_dashboard") + ("#relationships" if accepted else "#sent"),
        )
