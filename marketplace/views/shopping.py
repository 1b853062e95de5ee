"""The buyer's side: the cart, checkout, and their orders with payment proof, cancelling and
confirming receipt. Anonymous visitors keep a cart through their session; it joins their own
cart when they log in (marketplace.signals)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from PIL import Image as PILImage

from enterprises.selectors import enterprise_list_for_user
from marketplace.forms_checkout import CancelForm, CheckoutForm, QuantityForm, TransferProofForm
from marketplace.models import Cart, CartLine, Order, OrderPart, PaymentMethod
from marketplace.payments import available_methods, payment_start
from marketplace.selectors import orders as selectors
from marketplace.selectors import product_list_visible
from marketplace.services import cart as cart_services
from marketplace.services import orders as order_services
from marketplace.views.cooperative_buying import flash_errors


def request_cart(request, *, create: bool = False) -> Cart | None:
    """The visitor's cart: the user's own, or the anonymous one named in the session."""
    user = request.user
    if user.is_authenticated:
        cart = cart_services.cart_get(user=user)
    else:
        cart = cart_services.cart_get(cart_id=request.session.get(cart_services.CART_SESSION_KEY))
    if cart is None and create:
        cart = cart_services.cart_create(user=user)
        if not user.is_authenticated:
            request.session[cart_services.CART_SESSION_KEY] = cart.pk
    return cart


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _add_service_error(form, error: ValidationError) -> None:
    """A service's errors on the form: on their field when the form has it, above it otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Cart ----------------------------------------------------------------------------------------


@require_safe
@never_cache
def cart_detail(request):
    cart = selectors.cart_by_seller(cart=request_cart(request))
    return render(request, "marketplace/cart.html", {"cart": cart})


@require_POST
def cart_add(request, product_id):
    product = get_object_or_404(product_list_visible().select_related("enterprise"),
                                pk=product_id)
    back = _next_or(request, product.get_absolute_url())
    form = QuantityForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect(back)
    try:
        cart_services.cart_add(cart=request_cart(request, create=True), product=product,
                               quantity=form.cleaned_data["quantity"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("“%(title)s” is in your cart.") % {"title": product.title})
    return redirect(back)


@require_POST
def cart_line(request, pk):
    """Change a line's quantity, or remove it (the remove button, or a quantity of 0)."""
    cart = request_cart(request)
    line = get_object_or_404(
        cart.lines.select_related("product") if cart else CartLine.objects.none(), pk=pk
    )
    if "remove" in request.POST:
        cart_services.cart_line_remove(cart=cart, line_id=line.pk)
        messages.success(request, _("“%(title)s” is out of your cart.")
                         % {"title": line.product.title})
        return redirect("cart")
    form = QuantityForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect("cart")
    try:
        kept = cart_services.cart_line_set(cart=cart, product=line.product,
                                           quantity=form.cleaned_data["quantity"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        if kept is None:
            messages.success(request, _("“%(title)s” is out of your cart.")
                             % {"title": line.product.title})
        else:
            messages.success(request, _("Cart updated."))
    return redirect("cart")


# --- Checkout ------------------------------------------------------------------------------------


def _checkout_initial(user) -> dict:
    """The recipient as last time, or the user's own name."""
    last = Order.objects.filter(buyer=user).order_by("-created_at", "-pk").first()
    if last is not None:
        return {"recipient_name": last.recipient_name, "phone": last.phone,
                "address": last.address, "village": last.village}
    return {"recipient_name": user.get_full_name() or user.get_username()}


@login_required
@never_cache
def checkout(request):
    cart = request_cart(request)
    view = selectors.cart_by_seller(cart=cart)
    if not view.groups:
        messages.info(request, _("Your cart is empty."))
        return redirect("cart")
    initial = _checkout_initial(request.user) | {"payment_method": available_methods()[0].value}
    form = CheckoutForm(request.POST or None, initial=initial, sellers=view.sellers,
                        enterprises=enterprise_list_for_user(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            order = order_services.order_place(
                buyer=request.user, cart=cart, delivery=form.delivery(), parts=form.parts(),
                payment_method=form.cleaned_data["payment_method"],
                buyer_enterprise=form.cleaned_data.get("buyer_enterprise"),
            )
        except ValidationError as error:
            _add_service_error(form, error)
        except PermissionDenied as denied:
            form.add_error("buyer_enterprise" if "buyer_enterprise" in form.fields else None,
                           str(denied))
        else:
            return _start_payment(request, order)
        view = selectors.cart_by_seller(cart=cart)  # stock may have changed meanwhile
    seller_forms = [(group, fulfilment, note) for group, (_seller, fulfilment, note)
                    in zip(view.groups, form.seller_fields(), strict=False)]
    return render(request, "marketplace/checkout.html", {
        "cart": view, "form": form, "seller_forms": seller_forms,
        "no_bank_transfer": [seller for seller in view.sellers
                             if not seller.accepts_bank_transfer],
    })


def _start_payment(request, order: Order):
    try:
        url = payment_start(order=order,
                            order_url=request.build_absolute_uri(order.get_absolute_url()))
    except ValidationError as error:
        flash_errors(request, error=error)
        return redirect(order)
    if url:
        return redirect(url)
    if order.payment_method == PaymentMethod.STRIPE:
        messages.info(request, _("The time to pay this order by card has run out."))
    else:
        messages.success(request, _("Thank you! Your order %(number)s is placed.")
                         % {"number": order.number})
    return redirect(order)


# --- The buyer's orders --------------------------------------------------------------------------


@login_required
@require_safe
def order_list(request):
    page = selectors.order_page_for_buyer(user=request.user, number=request.GET.get("page"))
    return render(request, "marketplace/order_list.html", {"page": page})


def _buyer_order(request, number: str) -> Order:
    try:
        return selectors.order_detail_for_buyer(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404 from None


@login_required
@require_safe
def order_detail(request, number):
    order = _buyer_order(request, number)
    parts = [
        {
            "part": part,
            "timeline": selectors.part_timeline(part=part),
            "can_upload_proof": (order.payment_method == PaymentMethod.BANK_TRANSFER
                                 and part.is_open and not part.paid_at),
            "can_cancel": part.status == OrderPart.Status.PLACED and not part.paid_at,
            "can_confirm_receipt": part.status in (OrderPart.Status.SHIPPED,
                                                   OrderPart.Status.READY),
        }
        for part in order.parts.all()
    ]
    return render(request, "marketplace/order_detail.html", {
        "order": order, "parts": parts,
        "proof_form": TransferProofForm(auto_id="id_proof_%s"),
        "cancel_form": CancelForm(auto_id="id_cancel_%s"),
        "just_paid": request.GET.get("paid") == "1",
    })


@login_required
@require_POST
def order_pay(request, number):
    """Start (or return to) the card payment of an order still waiting for it."""
    order = _buyer_order(request, number)
    if order.payment_method != PaymentMethod.STRIPE or order.payment_status != "pending":
        messages.info(request, _("This order needs no card payment now."))
        return redirect(order)
    return _start_payment(request, order)


@login_required
@require_safe
def order_receipt(request, number):
    return render(request, "marketplace/order_receipt.html",
                  {"order": _buyer_order(request, number)})


def _buyer_part(request, number: str, pk: int) -> OrderPart:
    try:
        return selectors.order_part_for_buyer(user=request.user, number=number, pk=pk)
    except OrderPart.DoesNotExist:
        raise Http404 from None


@login_required
def transfer_proof(request, number, pk):
    """POST: the buyer uploads the transfer proof. GET: the proof, to the buyer and the
    seller's people only; everyone else gets a 404, as if there were none."""
    if request.method == "POST":
        return _transfer_proof_upload(request, number, pk)
    if request.method not in ("GET", "HEAD"):
        raise Http404
    try:
        part = selectors.order_part_for_proof(number=number, pk=pk)
    except OrderPart.DoesNotExist:
        raise Http404 from None
    allowed = (order_services.user_is_buyer(user=request.user, order=part.order)
               or order_services.user_can_sell_part(user=request.user, part=part))
    if not allowed or not part.transfer_proof:
        raise Http404
    try:
        file = part.transfer_proof.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=_image_type(file))
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


def _image_type(file) -> str:
    """The proof's real type (it is stored as .jpg whatever the buyer uploaded)."""
    try:
        with PILImage.open(file) as image:
            kind = PILImage.MIME.get(image.format or "", "")
    except (OSError, ValueError):
        kind = ""
    file.seek(0)
    return kind or mimetypes.guess_type(file.name)[0] or "application/octet-stream"


def _transfer_proof_upload(request, number, pk):
    part = _buyer_part(request, number, pk)
    form = TransferProofForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect(part.order)
    try:
        order_services.transfer_proof_upload(part=part, user=request.user,
                                             file=form.cleaned_data["proof"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Thank you: %(seller)s will check the transfer and confirm "
                                    "it.") % {"seller": part.enterprise.name})
    return redirect(part.order)


@login_required
@require_POST
def order_part_cancel(request, number, pk):
    part = _buyer_part(request, number, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect(part.order)
    try:
        order_services.order_part_cancel(part=part, user=request.user,
                                         reason=form.cleaned_data["reason"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Your order from %(seller)s is cancelled.")
                         % {"seller": part.enterprise.name})
    return redirect(part.order)


@login_required
@require_POST
def order_part_received(request, number, pk):
    part = _buyer_part(request, number, pk)
    try:
        order_services.order_part_advance(part=part, user=request.user,
                                          to_status=OrderPart.Status.COMPLETED)
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Thank you for confirming. How was it? You can now review "
                                    "%(seller)s.") % {"seller": part.enterprise.name})
    return redirect(part.order)
