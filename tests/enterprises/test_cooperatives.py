"""Cooperatives and membership: services (every transition, history, the one-open-membership
rule, the last manager), permission denials, and the pages (list filters, profile, management)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from enterprises.models import Cooperative, Membership, Proposal, SharedResource
from enterprises.services import cooperatives as services
from marketplace.models import BulkOrder
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ImageFactory,
    MembershipFactory,
    ProvinceFactory,
    RegencyFactory,
    UserFactory,
    cooperative_member,
    seller,
)
from tests.helpers import ON_POSTGRESQL, count_queries, image_upload

pytestmark = pytest.mark.django_db

Status = Membership.Status
Role = Membership.Role


def _fields(regency, **overrides) -> dict:
    fields = {
        "name": "Koperasi Kopi Lereng Slamet", "description": "Petani kopi arabika.",
        "regency": regency, "year_founded": 2019, "statutes": "Satu anggota, satu suara.",
        "joint_offer_fee_percent": 5,
    }
    return {**fields, **overrides}


def _form_data(regency, **overrides) -> dict:
    """The same cooperative as the form posts it: the regency by id."""
    return {**_fields(regency), "regency": regency.pk, **overrides}


def _managed_cooperative():
    """A cooperative with one manager; returns (cooperative, manager user, manager enterprise)."""
    cooperative = CooperativeFactory()
    user, enterprise = cooperative_member(cooperative, role=Role.MANAGER)
    return cooperative, user, enterprise


# Services: founding and editing


def test_founding_makes_the_enterprise_an_active_manager():
    user, enterprise = seller()
    regency = RegencyFactory(name="Kabupaten Purbalingga")

    cooperative = services.cooperative_create(user=user, enterprise=enterprise, **_fields(regency))

    assert cooperative.slug == "koperasi-kopi-lereng-slamet"
    assert cooperative.province == regency.parent
    membership = Membership.objects.get(cooperative=cooperative)
    assert (membership.enterprise, membership.role, membership.status) == (
        enterprise, Role.MANAGER, Status.ACTIVE
    )
    assert membership.joined_at is not None


def test_founding_slugs_are_unique_and_avoid_reserved_paths():
    user, enterprise = seller()
    regency = RegencyFactory()
    first = services.cooperative_create(user=user, enterprise=enterprise, **_fields(regency))
    second = services.cooperative_create(user=user, enterprise=enterprise, **_fields(regency))
    reserved = services.cooperative_create(
        user=user, enterprise=enterprise, **_fields(regency, name="New")
    )
    assert second.slug != first.slug and second.slug.startswith(first.slug)
    assert reserved.slug != "new"


def test_only_people_running_the_enterprise_may_found_with_it():
    user, _own = seller()
    _other_user, other_enterprise = seller()
    with pytest.raises(PermissionDenied):
        services.cooperative_create(user=user, enterprise=other_enterprise,
                                    **_fields(RegencyFactory()))
    assert not Cooperative.objects.exists()


def test_only_managers_update_a_cooperative():
    cooperative, manager, _enterprise = _managed_cooperative()
    member, _member_enterprise = cooperative_member(cooperative)
    regency = RegencyFactory(name="Kota Semarang")

    with pytest.raises(PermissionDenied):
        services.cooperative_update(cooperative=cooperative, user=member, name="Diambil alih")
    services.cooperative_update(cooperative=cooperative, user=manager, name="Baru",
                                regency=regency)

    cooperative.refresh_from_db()
    assert cooperative.name == "Baru"
    assert cooperative.regency == regency


# Services: applying, inviting, answering


def test_application_accepted_by_a_manager_becomes_active():
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller()

    membership = services.membership_apply(cooperative=cooperative, enterprise=enterprise,
                                           user=user)
    assert (membership.status, membership.joined_at, membership.requested_by) == (
        Status.APPLIED, None, user
    )
    before = timezone.now()
    services.membership_accept(membership=membership, user=manager)

    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    assert membership.role == Role.MEMBER
    assert membership.joined_at >= before


def test_application_declined_by_a_manager_never_joins():
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller()
    membership = services.membership_apply(cooperative=cooperative, enterprise=enterprise,
                                           user=user)

    services.membership_decline(membership=membership, user=manager)

    membership.refresh_from_db()
    assert (membership.status, membership.joined_at) == (Status.DECLINED, None)
    # Declined is closed: the enterprise may apply again, as a new row.
    again = services.membership_apply(cooperative=cooperative, enterprise=enterprise, user=user)
    assert again.pk != membership.pk


def test_applicant_cannot_accept_its_own_application():
    cooperative, _manager, _ = _managed_cooperative()
    user, enterprise = seller()
    membership = services.membership_apply(cooperative=cooperative, enterprise=enterprise,
                                           user=user)
    with pytest.raises(PermissionDenied):
        services.membership_accept(membership=membership, user=user)
    membership.refresh_from_db()
    assert membership.status == Status.APPLIED


def test_invitation_is_answered_by_the_invited_enterprise_not_the_manager():
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller()
    invitation = services.membership_invite(cooperative=cooperative, enterprise=enterprise,
                                            user=manager)
    assert invitation.status == Status.INVITED

    with pytest.raises(PermissionDenied):
        services.membership_accept(membership=invitation, user=manager)
    services.membership_accept(membership=invitation, user=user)

    invitation.refresh_from_db()
    assert invitation.status == Status.ACTIVE and invitation.joined_at is not None


def test_invited_enterprise_can_decline():
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller()
    invitation = services.membership_invite(cooperative=cooperative, enterprise=enterprise,
                                            user=manager)
    services.membership_decline(membership=invitation, user=user)
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED


def test_an_answered_request_cannot_be_answered_again():
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller()
    membership = services.membership_apply(cooperative=cooperative, enterprise=enterprise,
                                           user=user)
    services.membership_accept(membership=membership, user=manager)
    with pytest.raises(ValidationError, match="already been answered"):
        services.membership_decline(membership=membership, user=manager)
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_only_managers_invite():
    cooperative, _manager, _ = _managed_cooperative()
    member, _ = cooperative_member(cooperative)
    _user, outsider = seller()
    with pytest.raises(PermissionDenied):
        services.membership_invite(cooperative=cooperative, enterprise=outsider, user=member)
    assert not cooperative.memberships.filter(enterprise=outsider).exists()


def test_cannot_apply_for_an_enterprise_one_does_not_run():
    cooperative, _manager, _ = _managed_cooperative()
    user, _own = seller()
    _other, other_enterprise = seller()
    with pytest.raises(PermissionDenied):
        services.membership_apply(cooperative=cooperative, enterprise=other_enterprise, user=user)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.ACTIVE, "already a member"),
        (Status.APPLIED, "already applied"),
        (Status.INVITED, "already invited"),
    ],
)
def test_an_open_membership_refuses_a_second_one(status, message):
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller()
    joined_at = timezone.now() if status == Status.ACTIVE else None
    MembershipFactory(cooperative=cooperative, enterprise=enterprise, status=status,
                      joined_at=joined_at)

    with pytest.raises(ValidationError, match=message):
        services.membership_apply(cooperative=cooperative, enterprise=enterprise, user=user)
    with pytest.raises(ValidationError, match=message):
        services.membership_invite(cooperative=cooperative, enterprise=enterprise, user=manager)
    assert cooperative.memberships.filter(enterprise=enterprise).count() == 1


def test_the_database_allows_one_open_membership_per_pair():
    cooperative = CooperativeFactory()
    enterprise = EnterpriseFactory()
    MembershipFactory(cooperative=cooperative, enterprise=enterprise, status=Status.APPLIED,
                      joined_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cooperative=cooperative, enterprise=enterprise,
                          status=Status.INVITED, joined_at=None)


# Services: leaving, history and roles


def test_leaving_keeps_the_row_and_rejoining_adds_a_new_one():
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = cooperative_member(cooperative)
    first = cooperative.memberships.get(enterprise=enterprise)

    services.membership_leave(membership=first, user=user)
    first.refresh_from_db()
    assert first.status == Status.LEFT
    assert first.left_at is not None and first.joined_at <= first.left_at

    again = services.membership_apply(cooperative=cooperative, enterprise=enterprise, user=user)
    services.membership_accept(membership=again, user=manager)
    history = list(cooperative.memberships.filter(enterprise=enterprise).order_by("pk")
                   .values_list("status", flat=True))
    assert history == [Status.LEFT, Status.ACTIVE]


def test_only_the_enterprise_itself_can_leave():
    cooperative, manager, _ = _managed_cooperative()
    _user, enterprise = cooperative_member(cooperative)
    membership = cooperative.memberships.get(enterprise=enterprise)
    with pytest.raises(PermissionDenied):
        services.membership_leave(membership=membership, user=manager)
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_the_last_manager_cannot_leave_while_members_remain():
    cooperative, manager, manager_enterprise = _managed_cooperative()
    member, _ = cooperative_member(cooperative)
    membership = cooperative.memberships.get(enterprise=manager_enterprise)

    with pytest.raises(ValidationError, match="last manager"):
        services.membership_leave(membership=membership, user=manager)
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE

    # With a second manager the first may go.
    other = cooperative.memberships.exclude(pk=membership.pk).get()
    services.membership_set_role(membership=other, role=Role.MANAGER, user=manager)
    services.membership_leave(membership=membership, user=manager)
    membership.refresh_from_db()
    assert membership.status == Status.LEFT


def test_the_sole_member_may_leave_an_otherwise_empty_cooperative():
    cooperative, manager, manager_enterprise = _managed_cooperative()
    membership = cooperative.memberships.get(enterprise=manager_enterprise)
    services.membership_leave(membership=membership, user=manager)
    membership.refresh_from_db()
    assert membership.status == Status.LEFT


def test_cannot_leave_twice():
    cooperative, _manager, _ = _managed_cooperative()
    user, enterprise = cooperative_member(cooperative)
    membership = cooperative.memberships.get(enterprise=enterprise)
    services.membership_leave(membership=membership, user=user)
    with pytest.raises(ValidationError, match="not an active member"):
        services.membership_leave(membership=membership, user=user)


def test_managers_promote_and_demote_but_keep_one_manager():
    cooperative, manager, manager_enterprise = _managed_cooperative()
    member, member_enterprise = cooperative_member(cooperative)
    own = cooperative.memberships.get(enterprise=manager_enterprise)
    other = cooperative.memberships.get(enterprise=member_enterprise)

    with pytest.raises(ValidationError, match="at least one manager"):
        services.membership_set_role(membership=own, role=Role.MEMBER, user=manager)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=other, role=Role.MANAGER, user=member)

    services.membership_set_role(membership=other, role=Role.MANAGER, user=manager)
    services.membership_set_role(membership=own, role=Role.MEMBER, user=member)

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.role, other.role) == (Role.MEMBER, Role.MANAGER)


def test_roles_change_only_for_active_members():
    cooperative, manager, _ = _managed_cooperative()
    _user, enterprise = seller()
    invitation = services.membership_invite(cooperative=cooperative, enterprise=enterprise,
                                            user=manager)
    with pytest.raises(ValidationError):
        services.membership_set_role(membership=invitation, role=Role.MANAGER, user=manager)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs parallel transactions (PostgreSQL)")
def test_two_managers_stepping_down_at_once_leave_one_manager():
    cooperative = CooperativeFactory()
    first_user, first = cooperative_member(cooperative, role=Role.MANAGER)
    second_user, second = cooperative_member(cooperative, role=Role.MANAGER)
    cooperative_member(cooperative)
    rows = {first_user: cooperative.memberships.get(enterprise=first),
            second_user: cooperative.memberships.get(enterprise=second)}
    barrier = threading.Barrier(2)
    outcomes = []

    def step_down(user):
        barrier.wait()
        try:
            services.membership_set_role(membership=rows[user], role=Role.MEMBER, user=user)
            outcomes.append("done")
        except (ValidationError, PermissionDenied):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(user,)) for user in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["done", "refused"]
    assert cooperative.memberships.filter(role=Role.MANAGER, status=Status.ACTIVE).count() == 1


# Pages: permission denials


def test_non_manager_cannot_edit_accept_invite_or_change_roles(client):
    cooperative, _manager, _ = _managed_cooperative()
    member, member_enterprise = cooperative_member(cooperative)
    applicant, applicant_enterprise = seller()
    application = services.membership_apply(cooperative=cooperative,
                                            enterprise=applicant_enterprise, user=applicant)
    _other, outsider = seller()
    client.force_login(member)
    base = f"/cooperatives/{cooperative.slug}"
    own = cooperative.memberships.get(enterprise=member_enterprise)

    assert client.get(f"{base}/edit/").status_code == 403
    assert client.post(f"{base}/edit/", {"name": "x"}).status_code == 403
    assert client.post(f"{base}/members/{application.pk}/accept/").status_code == 403
    assert client.post(f"{base}/members/{application.pk}/decline/").status_code == 403
    assert client.post(f"{base}/members/invite/",
                       {"enterprise": outsider.slug}).status_code == 403
    assert client.post(f"{base}/members/{own.pk}/role/",
                       {"role": Role.MANAGER}).status_code == 403

    application.refresh_from_db()
    own.refresh_from_db()
    assert application.status == Status.APPLIED
    assert own.role == Role.MEMBER
    assert not cooperative.memberships.filter(enterprise=outsider).exists()


def test_cannot_apply_for_someone_elses_enterprise_through_the_page(client):
    cooperative, _manager, _ = _managed_cooperative()
    user, _own = seller()
    _other, other_enterprise = seller()
    client.force_login(user)
    response = client.post(f"/cooperatives/{cooperative.slug}/members/apply/",
                           {"enterprise": other_enterprise.slug})
    assert response.status_code == 403
    assert not cooperative.memberships.filter(enterprise=other_enterprise).exists()


def test_outsiders_cannot_see_the_management_page(client, stranger):
    cooperative, _manager, _ = _managed_cooperative()
    assert client.get(f"/cooperatives/{cooperative.slug}/members/").status_code == 403


def test_actions_need_login_and_post(client):
    cooperative, manager, _ = _managed_cooperative()
    base = f"/cooperatives/{cooperative.slug}"
    response = client.post(f"{base}/members/apply/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/cooperatives/new/").status_code == 302
    client.force_login(manager)
    assert client.get(f"{base}/members/apply/").status_code == 405
    assert client.get(f"{base}/members/invite/").status_code == 405


# Pages: the membership flow


def test_apply_on_the_profile_then_manager_accepts_on_the_members_page(client):
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller(name="Kopi Bu Sri")
    detail = f"/cooperatives/{cooperative.slug}/"
    client.force_login(user)

    page = client.get(detail).content.decode()
    assert "Apply to join as Kopi Bu Sri" in page
    response = client.post(f"{detail}members/apply/",
                           {"enterprise": enterprise.slug, "next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert 'data-own-membership="applied"' in page
    assert "Apply to join as" not in page

    # Applying twice is a message, not an error page.
    response = client.post(f"{detail}members/apply/", {"enterprise": enterprise.slug},
                           follow=True)
    assert "already applied" in response.content.decode()

    client.force_login(manager)
    manage = client.get(f"{detail}members/").content.decode()
    assert f'data-request="{enterprise.slug}"' in manage
    membership = cooperative.memberships.get(enterprise=enterprise)
    response = client.post(f"{detail}members/{membership.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"] == f"{detail}members/"
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE


def test_manager_finds_and_invites_then_the_invited_enterprise_accepts(client):
    cooperative, manager, _ = _managed_cooperative()
    user, enterprise = seller(name="Gula Aren Sumbang")
    member_user, member = cooperative_member(cooperative)
    client.force_login(manager)
    manage = f"/cooperatives/{cooperative.slug}/members/"

    found = client.get(manage, {"q": "aren"}).content.decode()
    assert f'data-candidate="{enterprise.slug}"' in found
    assert f'data-candidate="{member.slug}"' not in found
    assert f'data-candidate="{enterprise.slug}"' in client.get(
        manage, {"q": enterprise.slug}).content.decode()
    client.post(f"{manage}invite/", {"enterprise": enterprise.slug})
    invitation = cooperative.memberships.get(enterprise=enterprise)
    assert invitation.status == Status.INVITED

    client.force_login(user)
    detail = f"/cooperatives/{cooperative.slug}/"
    assert 'data-own-membership="invited"' in client.get(detail).content.decode()
    client.post(f"{manage}{invitation.pk}/accept/", {"next": detail})
    invitation.refresh_from_db()
    assert invitation.status == Status.ACTIVE


def test_last_manager_leaving_on_the_page_gets_a_clear_message(client):
    cooperative, manager, manager_enterprise = _managed_cooperative()
    cooperative_member(cooperative)
    own = cooperative.memberships.get(enterprise=manager_enterprise)
    client.force_login(manager)

    response = client.post(f"/cooperatives/{cooperative.slug}/members/{own.pk}/leave/",
                           follow=True)
    assert "last manager" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Status.ACTIVE


def test_member_sees_members_and_can_leave(client):
    cooperative, _manager, _ = _managed_cooperative()
    user, enterprise = cooperative_member(cooperative)
    client.force_login(user)
    manage = f"/cooperatives/{cooperative.slug}/members/"

    page = client.get(manage).content.decode()
    assert f'data-member="{enterprise.slug}"' in page
    assert "Change role" not in page and 'id="invite"' not in page
    own = cooperative.memberships.get(enterprise=enterprise)
    response = client.post(f"{manage}{own.pk}/leave/")
    assert response["Location"] == f"/cooperatives/{cooperative.slug}/"
    own.refresh_from_db()
    assert own.status == Status.LEFT


def test_manager_changes_a_role_on_the_page(client):
    cooperative, manager, _ = _managed_cooperative()
    _user, enterprise = cooperative_member(cooperative)
    other = cooperative.memberships.get(enterprise=enterprise)
    client.force_login(manager)
    client.post(f"/cooperatives/{cooperative.slug}/members/{other.pk}/role/",
                {"role": Role.MANAGER})
    other.refresh_from_db()
    assert other.role == Role.MANAGER


# Pages: founding and editing


def test_founding_a_cooperative_through_the_form(client):
    user, enterprise = seller()
    regency = RegencyFactory(name="Kabupaten Banjarnegara")
    client.force_login(user)
    assert client.get("/cooperatives/new/").status_code == 200

    response = client.post("/cooperatives/new/", {
        **_form_data(regency), "enterprise": enterprise.slug,
        "logo_upload": image_upload("logo.png", "PNG"),
    })

    cooperative = Cooperative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cooperatives/{cooperative.slug}/members/"
    assert cooperative.logo is not None
    assert cooperative.memberships.get().enterprise == enterprise


def test_founding_form_offers_only_the_users_enterprises(client):
    user, _own = seller()
    _other, other_enterprise = seller()
    regency = RegencyFactory()
    client.force_login(user)
    response = client.post("/cooperatives/new/", {
        **_form_data(regency), "enterprise": other_enterprise.slug,
    })
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
    assert not Cooperative.objects.exists()


def test_user_without_an_enterprise_is_sent_to_create_one(client):
    client.force_login(UserFactory())
    page = client.get("/cooperatives/new/").content.decode()
    assert "/dashboard/enterprises/new/" in page


def test_manager_edits_the_cooperative(client):
    cooperative, manager, _ = _managed_cooperative()
    client.force_login(manager)
    slug = cooperative.slug
    url = f"/cooperatives/{slug}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(
        cooperative.regency, name="Koperasi Berganti Nama", statutes="Rapat anggota tiap bulan.",
    ))
    assert response.status_code == 302
    assert response["Location"] == f"/cooperatives/{slug}/"
    cooperative.refresh_from_db()
    assert cooperative.statutes == "Rapat anggota tiap bulan."
    assert (cooperative.name, cooperative.slug) == ("Koperasi Berganti Nama", slug)


# Pages: list and profile


def test_list_filters_by_text_province_and_regency(client):
    central = RegencyFactory(name="Kabupaten Wonosobo")
    east = RegencyFactory(name="Kabupaten Malang", parent=ProvinceFactory(name="Jawa Timur"))
    coffee = CooperativeFactory(name="Koperasi Kopi Sindoro", regency=central)
    honey = CooperativeFactory(name="Koperasi Madu Arjuno", regency=east,
                               description="Madu hutan")
    CooperativeFactory(name="Koperasi Tutup", regency=central, is_active=False)

    def names(**params):
        response = client.get("/cooperatives/", params)
        assert response.status_code == 200
        return [c.name for c in response.context["page"].object_list]

    assert names() == [coffee.name, honey.name]
    assert names(q="madu") == [honey.name]
    assert names(q="wonosobo") == [coffee.name]
    assert names(province="jawa-timur") == [honey.name]
    assert names(regency="kabupaten-wonosobo") == [coffee.name]


def test_list_cards_show_active_member_count(client):
    cooperative = CooperativeFactory()
    cooperative_member(cooperative)
    cooperative_member(cooperative)
    MembershipFactory(cooperative=cooperative, status=Status.LEFT,
                      left_at=timezone.now())
    MembershipFactory(cooperative=cooperative, status=Status.APPLIED, joined_at=None)
    page = client.get("/cooperatives/").content.decode()
    assert "2 members" in page


def test_list_paginates(client):
    for _ in range(25):
        CooperativeFactory()
    response = client.get("/cooperatives/", {"page": 2})
    assert len(response.context["page"].object_list) == 1


def test_list_htmx_returns_only_the_results(client):
    CooperativeFactory(name="Koperasi Bambu")
    response = client.get("/cooperatives/", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "Koperasi Bambu" in content


def _list_queries(client, count: int) -> int:
    for _ in range(count):
        cooperative = CooperativeFactory(logo=ImageFactory())
        cooperative_member(cooperative)
    return count_queries(client, "/cooperatives/")


def test_list_queries_do_not_grow_with_cooperatives(client):
    few = _list_queries(client, 3)
    many = _list_queries(client, 12)  # 15 in all
    assert few == many


def test_profile_shows_details_members_and_sections(client):
    cooperative = CooperativeFactory(
        name="Koperasi Kopi Dieng", year_founded=2012, logo=ImageFactory(),
        statutes="Simpanan pokok Rp 50.000.",
    )
    _user, member = cooperative_member(cooperative)
    _left_user, left = seller(name="Sudah Keluar")
    MembershipFactory(cooperative=cooperative, enterprise=left, status=Status.LEFT,
                      left_at=timezone.now())
    SharedResource.objects.create(cooperative=cooperative, name="Mesin huller",
                                  kind=SharedResource.Kind.EQUIPMENT, cost_per_use=20000)

    response = client.get(f"/cooperatives/{cooperative.slug}/")

    content = response.content.decode()
    assert response.status_code == 200
    for text in ("Koperasi Kopi Dieng", "2012", "Simpanan pokok", member.name,
                 cooperative.regency.name, "Mesin huller", "Rp 20.000",
                 "Log in to apply", "No bulk orders yet.", "No proposals yet."):
        assert text in content
    assert "Sudah Keluar" not in content
    assert "Edit cooperative" not in content


def test_profile_shows_manager_links_only_to_managers(client):
    cooperative, manager, _ = _managed_cooperative()
    client.force_login(manager)
    content = client.get(f"/cooperatives/{cooperative.slug}/").content.decode()
    assert f"/cooperatives/{cooperative.slug}/edit/" in content
    assert f"/cooperatives/{cooperative.slug}/members/" in content
    assert "Apply to join" not in content


def test_profile_offers_apply_only_for_enterprises_not_yet_in(client):
    cooperative, _manager, _ = _managed_cooperative()
    user, inside = cooperative_member(cooperative)
    outside = EnterpriseFactory(name="Tempe Mbak Ani")
    EnterpriseMemberFactory(user=user, enterprise=outside)
    client.force_login(user)
    content = client.get(f"/cooperatives/{cooperative.slug}/").content.decode()
    assert "Apply to join as Tempe Mbak Ani" in content
    assert f"Apply to join as {inside.name}" not in content


def test_inactive_or_unknown_cooperative_is_404(client):
    hidden = CooperativeFactory(is_active=False)
    assert client.get(f"/cooperatives/{hidden.slug}/").status_code == 404
    assert client.get("/cooperatives/no-such-thing/").status_code == 404


def _fill_sections(cooperative, *, suffix: str = "") -> None:
    now = timezone.now()
    BulkOrder.objects.create(
        cooperative=cooperative, title=f"Pupuk organik{suffix}", package_size=50,
        price_per_unit=3000, min_packages=2, deadline=now + datetime.timedelta(days=3),
    )
    BulkOrder.objects.create(
        cooperative=cooperative, title=f"Karung goni{suffix}", package_size=100,
        price_per_unit=1500, deadline=now - datetime.timedelta(days=3),
        status=BulkOrder.Status.CLOSED, packages_ordered=1, closed_at=now,
    )
    Proposal.objects.create(
        cooperative=cooperative, title=f"Beli huller baru{suffix}", body="Setuju?",
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=6),
    )
    SharedResource.objects.create(cooperative=cooperative, name=f"Pikap{suffix}",
                                  kind=SharedResource.Kind.VEHICLE, cost_per_hour=25000)


def test_profile_lists_bulk_orders_and_proposals_with_links(client):
    cooperative, manager, _ = _managed_cooperative()
    _fill_sections(cooperative)
    client.force_login(manager)

    content = client.get(f"/cooperatives/{cooperative.slug}/").content.decode()

    open_order, closed_order = BulkOrder.objects.order_by("-deadline")
    proposal = Proposal.objects.get()
    resource = SharedResource.objects.get()
    assert content.index("Pupuk organik") < content.index("Karung goni")  # open ones first
    assert "Rp 3.000" in content and "Rp 25.000" in content
    for path in (f"/bulk-orders/{open_order.pk}/", f"/bulk-orders/{closed_order.pk}/",
                 f"/cooperatives/{cooperative.slug}/proposals/{proposal.pk}/",
                 f"/cooperatives/{cooperative.slug}/resources/{resource.pk}/",
                 f"/cooperatives/{cooperative.slug}/resources/new/",
                 f"/cooperatives/{cooperative.slug}/proposals/new/",
                 f"/bulk-orders/new/?cooperative={cooperative.slug}"):
        assert f'href="{path}"' in content, path


def test_profile_queries_do_not_grow_with_members_or_sections(client):
    cooperative, manager, _ = _managed_cooperative()
    client.force_login(manager)
    url = f"/cooperatives/{cooperative.slug}/"

    def add_member_with_logo():
        _user, enterprise = cooperative_member(cooperative)
        enterprise.logo = ImageFactory()
        enterprise.save()

    add_member_with_logo()
    _fill_sections(cooperative)
    few = count_queries(client, url)
    for number in range(4):
        add_member_with_logo()
        _fill_sections(cooperative, suffix=f" {number}")
    assert count_queries(client, url) == few


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs parallel transactions (PostgreSQL)")
def test_applying_twice_at_once_keeps_one_open_membership():
    cooperative = CooperativeFactory()
    user, enterprise = seller()
    barrier = threading.Barrier(2)
    outcomes = []

    def apply():
        barrier.wait()
        try:
            services.membership_apply(cooperative=cooperative, enterprise=enterprise, user=user)
            outcomes.append("applied")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("applied") == 1
    assert any("already applied" in outcome for outcome in outcomes)
    assert cooperative.memberships.filter(enterprise=enterprise).count() == 1


@pytest.fixture(autouse=True)
def _in_english(english):
    """These tests read the interface's English source text."""
