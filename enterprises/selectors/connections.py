"""An enterprise's own view of its network: its ties, who referred it and whom it referred,
requests waiting, suggested connections and its income by month. Each read costs a fixed
number of queries, however many ties there are."""

from collections import defaultdict
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enterprises.models import (
    CollaborationRequest,
    Enterprise,
    EnterpriseSkill,
    IncomeRecord,
    Invite,
    Tie,
)

Kind = Tie.Kind
# The order kinds are listed in on the pages: what the enterprises said first.
KIND_ORDER = [Kind.COLLABORATION, Kind.REFERRAL, Kind.SUPPLIER, Kind.CUSTOMER, Kind.MENTORING,
              Kind.CO_MEMBERSHIP, Kind.CO_ATTENDANCE]


def invite_active(*, code: str) -> Invite | None:
    """The active invite with this code, of an active enterprise (codes are lower case)."""
    code = (code or "").strip().lower()
    # NUL cannot be in a code, and PostgreSQL refuses it in a query (a 500 otherwise).
    if not code or len(code) > Invite._meta.get_field("code").max_length or "\x00" in code:
        return None
    return Invite.objects.select_related("enterprise", "enterprise__regency").filter(
        code=code, is_active=True, enterprise__is_active=True
    ).first()


def _open_ties(enterprise_ids) -> QuerySet[Tie]:
    return Tie.objects.filter(
        Q(from_enterprise_id__in=enterprise_ids) | Q(to_enterprise_id__in=enterprise_ids),
        ended_on__isnull=True,
    )


def _direction_label(tie: Tie, own_id: int) -> str:
    """How the tie reads from the enterprise's side, for directed kinds."""
    outgoing = tie.from_enterprise_id == own_id
    labels = {
        Kind.REFERRAL: (_("you referred them"), _("referred you")),
        Kind.SUPPLIER: (_("you supply them"), _("supplies you")),
        Kind.CUSTOMER: (_("you buy from them"), _("buys from you")),
        Kind.MENTORING: (_("you mentor them"), _("mentors you")),
    }
    pair = labels.get(tie.kind)
    if pair is None:
        return ""
    return pair[0] if outgoing else pair[1]


def your_network(*, enterprise: Enterprise) -> dict:
    """Everything on the "Your network" page, in five queries:
    {"ties_by_kind": [{"kind", "label", "ties": [{"other", "started_on", "direction",
                                                  "origin"}]}],
     "degree": enterprises it is tied to (one per pair, whatever the kinds),
     "tie_count": open ties to enterprises,
     "referred_by": Tie | None (its from_enterprise is the referrer),
     "referred_enterprises": [Tie], "referred_buyers": int (signed up through its link),
     "requests_in": [CollaborationRequest], "requests_out": [CollaborationRequest],
     "invite": Invite | None}"""
    ties = list(
        _open_ties([enterprise.pk]).select_related(
            "from_enterprise", "from_enterprise__regency", "to_enterprise",
            "to_enterprise__regency",
        ).order_by("started_on", "pk")
    )
    by_kind = defaultdict(list)
    others = set()
    referred_by = None
    referred_enterprises = []
    referred_buyers = 0
    for tie in ties:
        if tie.to_user_id is not None:
            if tie.kind == Kind.REFERRAL:
                referred_buyers += 1
            continue
        outgoing = tie.from_enterprise_id == enterprise.pk
        other = tie.to_enterprise if outgoing else tie.from_enterprise
        others.add(other.pk)
        if tie.kind == Kind.REFERRAL:
            if outgoing:
                referred_enterprises.append(tie)
            else:
                referred_by = tie
        by_kind[tie.kind].append({
            "other": other, "started_on": tie.started_on, "origin": tie.origin,
            "direction": _direction_label(tie, enterprise.pk), "tie": tie,
        })
    requests = list(
        CollaborationRequest.objects.filter(
            Q(from_enterprise=enterprise) | Q(to_enterprise=enterprise),
            status=CollaborationRequest.Status.PENDING,
        ).select_related("from_enterprise", "from_enterprise__regency", "to_enterprise",
                         "to_enterprise__regency", "requested_by").order_by("-created_at", "-pk")
    )
    return {
        "ties_by_kind": [
            {"kind": kind, "label": Kind(kind).label, "ties": by_kind[kind]}
            for kind in KIND_ORDER if by_kind.get(kind)
        ],
        "degree": len(others),
        "tie_count": sum(len(items) for items in by_kind.values()),
        "referred_by": referred_by,
        "referred_enterprises": referred_enterprises,
        "referred_buyers": referred_buyers,
        "requests_in": [item for item in requests if item.to_enterprise_id == enterprise.pk],
        "requests_out": [item for item in requests if item.from_enterprise_id == enterprise.pk],
        "invite": enterprise.invites.filter(is_active=True).order_by("-created_at", "-pk").first(),
    }


def network_panels(*, enterprises) -> dict[int, dict]:
    """The dashboard's network panel for each of the user's enterprises, in five queries
    whatever their number and their ties: {enterprise id: {"degree", "referrer" (Enterprise or
    None), "referred" (enterprises and buyers it brought in), "requests_in" [pending requests
    to confirm], "invite" (Invite or None), "last_month", "last_month_income" (its reported
    figure or None)}}."""
    ids = [enterprise.pk for enterprise in enterprises]
    if not ids:
        return {}
    last_month = _month_back(timezone.localdate().replace(day=1), 1)
    panels = {pk: {"degree": 0, "referrer": None, "referred": 0, "requests_in": [],
                   "invite": None, "last_month": last_month, "last_month_income": None}
              for pk in ids}
    others = defaultdict(set)
    referrer_ids = {}
    rows = _open_ties(ids).values_list("kind", "from_enterprise_id", "to_enterprise_id")
    for kind, from_id, to_id in rows:
        if from_id in panels:
            if to_id is not None:
                others[from_id].add(to_id)
            if kind == Kind.REFERRAL:
                panels[from_id]["referred"] += 1
        if to_id in panels:
            others[to_id].add(from_id)
            if kind == Kind.REFERRAL:
                referrer_ids[to_id] = from_id
    for pk, linked in others.items():
        panels[pk]["degree"] = len(linked)
    referrers = Enterprise.objects.in_bulk(set(referrer_ids.values())) if referrer_ids else {}
    for pk, referrer_id in referrer_ids.items():
        panels[pk]["referrer"] = referrers.get(referrer_id)
    for request in CollaborationRequest.objects.filter(
        to_enterprise_id__in=ids, status=CollaborationRequest.Status.PENDING
    ).select_related("from_enterprise").order_by("created_at", "pk"):
        panels[request.to_enterprise_id]["requests_in"].append(request)
    for invite in Invite.objects.filter(enterprise_id__in=ids, is_active=True).order_by(
        "created_at", "pk"
    ):
        panels[invite.enterprise_id]["invite"] = invite  # the newest wins
    for enterprise_id, amount in IncomeRecord.objects.filter(
        enterprise_id__in=ids, month=last_month, source=IncomeRecord.Source.SELF_REPORTED
    ).values_list("enterprise_id", "amount"):
        panels[enterprise_id]["last_month_income"] = amount
    return panels


def _neighbour_names(enterprise: Enterprise) -> dict[int, str]:
    rows = _open_ties([enterprise.pk]).filter(to_enterprise__isnull=False).values_list(
        "from_enterprise_id", "from_enterprise__name", "to_enterprise_id", "to_enterprise__name"
    )
    names = {}
    for from_id, from_name, to_id, to_name in rows:
        if from_id == enterprise.pk:
            names[to_id] = to_name
        else:
            names[from_id] = from_name
    return names


def _excluded_candidates(enterprise: Enterprise):
    """Not itself, not those run by the same people, not those it has a request with."""
    pending = CollaborationRequest.objects.filter(status=CollaborationRequest.Status.PENDING)
    return (
        Q(pk=enterprise.pk)
        | Q(memberships__user__in=enterprise.memberships.values("user"))
        | Q(pk__in=pending.filter(from_enterprise=enterprise).values("to_enterprise"))
        | Q(pk__in=pending.filter(to_enterprise=enterprise).values("from_enterprise"))
    )


def _friends_of_friends(*, enterprise: Enterprise, neighbours: dict[int, str],
                        limit: int) -> list[dict]:
    if not neighbours:
        return []
    ids = list(neighbours)
    known = set(ids) | {enterprise.pk}
    common = defaultdict(set)
    pairs = Tie.objects.filter(
        Q(from_enterprise_id__in=ids) | Q(to_enterprise_id__in=ids),
        to_enterprise__isnull=False, ended_on__isnull=True,
    ).values_list("from_enterprise_id", "to_enterprise_id").order_by().distinct()
    for from_id, to_id in pairs:
        for friend, candidate in ((from_id, to_id), (to_id, from_id)):
            if friend in neighbours and candidate not in known:
                common[candidate].add(friend)
    if not common:
        return []
    # Rank in Python (the candidates are at most the friends' ties), then read the best few.
    ranked = sorted(common, key=lambda pk: (-len(common[pk]), pk))
    candidates = Enterprise.objects.filter(pk__in=ranked[: limit * 4], is_active=True).exclude(
        _excluded_candidates(enterprise)
    ).select_related("regency").distinct()
    by_pk = {candidate.pk: candidate for candidate in candidates}
    result = []
    for pk in ranked[: limit * 4]:
        candidate = by_pk.get(pk)
        if candidate is None:
            continue
        friends = sorted(neighbours[friend] for friend in common[pk])
        count = len(friends)
        if count == 1:
            reason = _("Knows %(name)s, one of your connections") % {"name": friends[0]}
        else:
            names = ", ".join(friends[:3]) + (", …" if count > 3 else "")
            reason = ngettext("Knows %(count)d of your connections: %(names)s",
                              "Knows %(count)d of your connections: %(names)s",
                              count) % {"count": count, "names": names}
        result.append({"enterprise": candidate, "reason": reason, "source": "friends",
                       "common": count})
        if len(result) == limit:
            break
    return result


def _complementary_nearby(*, enterprise: Enterprise, neighbours: dict[int, str],
                          limit: int) -> list[dict]:
    own_skills = set(
        EnterpriseSkill.objects.filter(enterprise=enterprise, is_active=True)
        .values_list("skill_id", flat=True)
    )
    new_skill = Q(skills__is_active=True) & ~Q(skills__skill_id__in=own_skills)
    candidates = (
        Enterprise.objects.filter(is_active=True, province_id=enterprise.province_id)
        .exclude(_excluded_candidates(enterprise))
        .exclude(pk__in=list(neighbours))
        .annotate(
            new_skills=Count("skills", filter=new_skill, distinct=True),
            distance=Case(When(regency_id=enterprise.regency_id, then=Value(0)),
                          default=Value(1), output_field=IntegerField()),
        )
        .filter(Q(new_skills__gt=0) | ~Q(sector=enterprise.sector))
        .select_related("regency")
        .order_by("distance", "-new_skills", "name", "pk")
    )[:limit]
    candidates = list(candidates)
    offered = defaultdict(list)
    for offer in EnterpriseSkill.objects.filter(
        enterprise__in=candidates, is_active=True
    ).exclude(skill_id__in=own_skills).select_related("skill").order_by("skill__name"):
        offered[offer.enterprise_id].append(offer.skill.display_name)
    result = []
    for candidate in candidates:
        if candidate.regency_id == enterprise.regency_id:
            where = _("in your regency")
        else:
            where = _("in %(regency)s") % {"regency": candidate.regency.name}
        skills = offered.get(candidate.pk)
        if skills:
            reason = _("Offers %(skills)s, which you do not, %(where)s") % {
                "skills": ", ".join(skills[:3]), "where": where}
        else:
            reason = _("Works in %(sector)s, %(where)s") % {
                "sector": candidate.get_sector_display().lower(), "where": where}
        result.append({"enterprise": candidate, "reason": reason, "source": "nearby",
                       "common": 0})
    return result


def connection_suggestions(*, enterprise: Enterprise, limit: int = 6) -> list[dict]:
    """Enterprises worth knowing, each {"enterprise", "reason", "source" ("friends" or "nearby"),
    "common"}: enterprises tied to its own connections (most connections in common first), and
    active enterprises in its regency (then province) offering skills it lacks or working in
    another sector; never one it is already tied to. Six queries."""
    neighbours = _neighbour_names(enterprise)
    friends = _friends_of_friends(enterprise=enterprise, neighbours=neighbours, limit=limit)
    nearby = _complementary_nearby(enterprise=enterprise, neighbours=neighbours, limit=limit)
    merged, seen = [], set()
    # Alternate the two kinds, so both show when both exist.
    for index in range(limit):
        for source in (friends, nearby):
            if index < len(source) and source[index]["enterprise"].pk not in seen:
                seen.add(source[index]["enterprise"].pk)
                merged.append(source[index])
    return merged[:limit]


def _month_back(month: date, count: int) -> date:
    total = month.year * 12 + month.month - 1 - count
    return date(total // 12, total % 12 + 1, 1)


def income_history(*, enterprise: Enterprise, months: int = 12) -> dict:
    """The enterprise's income for the last `months` months (this one included), newest first,
    by source, in one query:
    {"sources": [(value, label)],
     "rows": [{"month", "by_source": {source: int | None}, "amounts": [int | None in the order
               of sources], "total", "reported" (anything recorded that month)}],
     "totals": {"by_source": {source: int}, "amounts": [int], "total": int},
     "largest": the largest monthly total}."""
    this_month = timezone.localdate().replace(day=1)
    first = _month_back(this_month, months - 1)
    sources = list(IncomeRecord.Source.choices)
    keys = [source for source, _label in sources]
    amounts = defaultdict(dict)
    for month, source, amount in IncomeRecord.objects.filter(
        enterprise=enterprise, month__gte=first, month__lte=this_month
    ).values_list("month", "source", "amount"):
        amounts[month][source] = amount
    rows = []
    for back in range(months):
        month = _month_back(this_month, back)
        by_source = {key: amounts[month].get(key) for key in keys}
        rows.append({
            "month": month, "by_source": by_source,
            "amounts": [by_source[key] for key in keys],
            "total": sum(value or 0 for value in by_source.values()),
            "reported": any(value is not None for value in by_source.values()),
        })
    by_source = {key: sum(row["by_source"][key] or 0 for row in rows) for key in keys}
    return {
        "sources": sources, "rows": rows,
        "totals": {"by_source": by_source, "amounts": [by_source[key] for key in keys],
                   "total": sum(by_source.values())},
        "largest": max((row["total"] for row in rows), default=0),
    }


def enterprise_search(*, text: str, exclude: Q | None = None, limit: int = 10) -> list[Enterprise]:
    """Active enterprises found by exact slug or by every word of the name (for choosing a
    referrer or a partner by name)."""
    text = (text or "").strip()
    if not text:
        return []
    by_name = Q()
    for term in text.split()[:8]:
        by_name &= Q(name__icontains=term)
    queryset = Enterprise.objects.filter(by_name | Q(slug=text.lower()), is_active=True)
    if exclude is not None:
        queryset = queryset.exclude(exclude)
    return list(queryset.select_related("regency").distinct().order_by("name", "pk")[:limit])
