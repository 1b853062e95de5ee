from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager
from marketplace.forms_joint_offers import JointOfferForm, PledgeForm, PledgeWithdrawForm
from marketplace.models import JointOffer
from marketplace.selectors import joint_offers as selectors
from marketplace.services import joint_offers as services
from marketplace.views.cooperative_buying import flash_errors, managed_cooperative

# The sales figure the page uses to show what each member would receive.
EXAMPLE_REVENUE = 1_000_000


def _joint_offer(pk: int) -> JointOffer:
    try:
        return selectors.joint_offer_detail(pk=pk)
    except JointOffer.DoesNotExist:
        raise Http404 from None


def _member_enterprises(request, joint_offer: JointOffer):
    return member_enterprises_for_user(user=request.user, cooperative=joint_offer.cooperative)


def _pledge_forms(request, joint_offer: JointOffer, enterprises: list, mine: dict) -> list:
    if joint_offer.status != JointOffer.Status.COLLECTING:
        return []
    forms = []
    for enterprise in enterprises:
        pledge = mine.get(enterprise.pk)
        initial = {"enterprise": enterprise.pk, "quantity": pledge.quantity if pledge else None}
        form = PledgeForm(initial=initial, auto_id=f"id_e{enterprise.pk}_%s",
                          enterprises=_member_enterprises(request, joint_offer))
        forms.append((enterprise, pledge, form))
    return forms


@require_safe
def joint_offer_detail(request, pk):
    joint_offer = _joint_offer(pk)
    enterprises = list(_member_enterprises(request, joint_offer))
    is_manager = user_is_manager(user=request.user, cooperative=joint_offer.cooperative)
    mine = selectors.pledges_of_enterprises(joint_offer=joint_offer, enterprises=enterprises)
    pledges = list(selectors.pledge_list(joint_offer=joint_offer))
    pledged = sum(pledge.quantity for pledge in pledges)
    shares = {}
    if joint_offer.status != JointOffer.Status.COLLECTING:
        shares = {enterprise.pk: amount for enterprise, amount in
                  services.joint_offer_revenue_shares(joint_offer=joint_offer,
                                                      revenue=EXAMPLE_REVENUE)}
    rows = [(pledge, shares.get(pledge.enterprise_id)) for pledge in pledges]
    sales = None
    if (enterprises or is_manager) and joint_offer.status != JointOffer.Status.COLLECTING:
        sales = selectors.joint_offer_sales(joint_offer=joint_offer)
    return render(request, "marketplace/joint_offer_detail.html", {
        "joint_offer": joint_offer,
        "pledged": pledged,
        "shown_progress": min(pledged, joint_offer.target_quantity),
        "percent": min(100, pledged * 100 // joint_offer.target_quantity),
        "is_manager": is_manager,
        "is_member": bool(enterprises),
        "pledge_forms": _pledge_forms(request, joint_offer, enterprises, mine),
        "pledge_rows": rows if (enterprises or is_manager) else None,
        "pledge_count": len(pledges),
        "shares": bool(shares),
        "example_revenue": EXAMPLE_REVENUE,
        "fee": services.joint_offer_fee(joint_offer=joint_offer, revenue=EXAMPLE_REVENUE),
        "sales": sales,
    })


@login_required
def joint_offer_create(request):
    cooperative = managed_cooperative(request)
    form = JointOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            joint_offer = services.joint_offer_create(
                cooperative=cooperative, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The joint offer is published: members can pledge."))
            return redirect(joint_offer)
    return render(request, "marketplace/joint_offer_form.html",
                  {"form": form, "cooperative": cooperative})


@login_required
@require_POST
def pledge_save(request, pk):
    joint_offer = _joint_offer(pk)
    enterprises = _member_enterprises(request, joint_offer)
    if not enterprises.exists():
        raise PermissionDenied
    form = PledgeForm(request.POST, enterprises=enterprises)
    if not form.is_valid():
        flash_errors(request, form=form)
        return redirect(joint_offer)
    try:
        services.pledge_save(joint_offer=joint_offer, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        if joint_offer.status == JointOffer.Status.ORDERABLE:
            messages.success(request, _("The target is reached: the offer is now for sale."))
        else:
            messages.success(request, _("Your pledge is saved."))
    return redirect(joint_offer)


@login_required
@require_POST
def pledge_withdraw(request, pk):
    joint_offer = _joint_offer(pk)
    form = PledgeWithdrawForm(request.POST,
                              enterprises=_member_enterprises(request, joint_offer))
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.pledge_withdraw(joint_offer=joint_offer, user=request.user,
                                 enterprise=form.cleaned_data["enterprise"])
    except ValidationError as error:
        flash_errors(request, error=error)
    else:
        messages.success(request, _("Your pledge is withdrawn."))
    return redirect(joint_offer)
