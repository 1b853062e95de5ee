"""Reviews of completed order parts and the sellers' replies.

Product.rating_count/rating_total and Enterprise.rating_count/rating_total are kept exact here,
with F() updates in the review's own transaction, so product cards and profiles show a rating
without counting reviews."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.services import notification_send
from enterprises.models import Enterprise
from enterprises.selectors import user_can_manage_enterprise
from marketplace.models import OrderLine, OrderPart, Product, Review
from marketplace.services.orders import user_can_sell_part, user_is_buyer

# A buyer reviews within this time after the part is completed, and may edit the review for as
# long after writing it.
REVIEW_WINDOW = timedelta(days=30)
TEXT_MAX_LENGTH = Review._meta.get_field("text").max_length
REPLY_MAX_LENGTH = Review._meta.get_field("reply").max_length


def _clean_rating(rating) -> int:
    """1 to 5, given as a number or as the digits a form posts."""
    if rating is None or rating == "":
        raise ValidationError({"rating": _("Choose from 1 to 5 stars.")}, code="required")
    value = None
    if isinstance(rating, int) and not isinstance(rating, bool):
        value = rating
    elif isinstance(rating, str) and rating.strip().isdigit():
        value = int(rating.strip())
    if value is None or not 1 <= value <= 5:
        raise ValidationError({"rating": _("A rating is from 1 to 5 stars.")}, code="range")
    return value


def _clean_text(text, *, field: str, max_length: int, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: empty_message}, code="required")
    if len(text) > max_length:
        raise ValidationError(
            {field: _("Please keep it to %(limit)d characters (it has %(length)d).")
             % {"limit": max_length, "length": len(text)}},
            code="max_length",
        )
    return text


def _part_product_ids(part: OrderPart) -> list[int]:
    return list(
        OrderLine.objects.filter(part=part, product__isnull=False)
        .values_list("product_id", flat=True).distinct()
    )


def _add_to_ratings(*, part: OrderPart, count: int, total: int) -> None:
    if not count and not total:
        return
    changes = {"rating_count": F("rating_count") + count, "rating_total": F("rating_total") + total}
    product_ids = _part_product_ids(part)
    if product_ids:
        # Denormalised card fields: no catalogue_changed(), the cached counts do not change.
        Product.objects.filter(pk__in=product_ids).update(**changes)
    Enterprise.objects.filter(pk=part.enterprise_id).update(**changes)


def _check_may_review(*, part: OrderPart, user) -> None:
    if not user_is_buyer(user=user, order=part.order):
        raise PermissionDenied(_("Only the buyer of this order can review it."))
    if user_can_sell_part(user=user, part=part):
        raise PermissionDenied(_("You cannot review your own enterprise."))


def review_can_write(*, part: OrderPart, user, now=None) -> bool:
    """Whether `user` may write or edit the review of `part` now (for showing the link)."""
    now = now or timezone.now()
    if not user_is_buyer(user=user, order=part.order) or user_can_sell_part(user=user, part=part):
        return False
    if part.status != OrderPart.Status.COMPLETED or part.completed_at is None:
        return False
    try:
        review = part.review
    except Review.DoesNotExist:
        review = None
    started = review.created_at if review else part.completed_at
    return now <= started + REVIEW_WINDOW


@transaction.atomic
def review_save(*, part: OrderPart, user, rating, text: str) -> Review:
    """Write, or edit, the buyer's review of a completed part. Editing changes the ratings by the
    difference only."""
    _check_may_review(part=part, user=user)
    locked = OrderPart.objects.select_for_update().select_related("order").get(pk=part.pk)
    if locked.status != OrderPart.Status.COMPLETED or locked.completed_at is None:
        raise ValidationError(
            _("You can review this order once it is completed: after you have received it."),
            code="not_completed",
        )
    errors = {}
    try:
        rating = _clean_rating(rating)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        text = _clean_text(text, field="text", max_length=TEXT_MAX_LENGTH,
                           empty_message=_("Write a few words about what you received."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    review = Review.objects.filter(part=locked).first()
    if review is None:
        if now > locked.completed_at + REVIEW_WINDOW:
            raise ValidationError(
                _("Reviews can be written up to %(days)d days after the order is completed.")
                % {"days": REVIEW_WINDOW.days},
                code="too_late",
            )
        review = Review.objects.create(part=locked, enterprise_id=locked.enterprise_id,
                                       author=user, rating=rating, text=text)
        _add_to_ratings(part=locked, count=1, total=rating)
        transaction.on_commit(lambda: _tell_seller(review=review))
        return review
    if now > review.created_at + REVIEW_WINDOW:
        raise ValidationError(
            _("A review can be changed up to %(days)d days after it was written.")
            % {"days": REVIEW_WINDOW.days},
            code="too_late",
        )
    delta = rating - review.rating
    review.rating, review.text = rating, text
    review.save(update_fields=["rating", "text", "updated_at"])
    _add_to_ratings(part=locked, count=0, total=delta)
    return review


@transaction.atomic
def review_reply(*, review: Review, user, reply: str) -> Review:
    """The seller's one public reply to a review; writing again changes it."""
    if not user_can_manage_enterprise(user=user, enterprise=review.enterprise):
        raise PermissionDenied(_("Only the people who run this enterprise can reply."))
    reply = _clean_text(reply, field="reply", max_length=REPLY_MAX_LENGTH,
                        empty_message=_("Write your reply."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    first = not review.reply
    review.reply = reply
    if first:
        review.replied_at = timezone.now()
    review.save(update_fields=["reply", "replied_at", "updated_at"])
    if first and review.author_id:
        transaction.on_commit(lambda: _tell_buyer(review=review))
    return review


def _tell_seller(*, review: Review) -> None:
    enterprise = review.enterprise
    users = [member.user for member in enterprise.memberships.select_related("user")]
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            users=users, kind="review.new", email=False,
            title=_("New review: %(rating)d of 5 stars") % {"rating": review.rating},
            body=_("A buyer reviewed %(enterprise)s. You can reply on your profile.")
            % {"enterprise": enterprise.name},
            url=reverse("enterprise_detail", kwargs={"slug": enterprise.slug}) + "#reviews",
        )


def _tell_buyer(*, review: Review) -> None:
    enterprise = review.enterprise
    with translation.override(settings.LANGUAGE_CODE):
        notification_send(
            users=[review.author], kind="review.reply", email=False,
            title=_("%(enterprise)s replied to your review") % {"enterprise": enterprise.name},
            body=review.reply[:300],
            url=reverse("enterprise_detail", kwargs={"slug": enterprise.slug}) + "#reviews",
        )
