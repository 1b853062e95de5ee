"""The demo's network history for `manage.py seed_demo` (issue 6, item 8): three years of monthly
income and tie formation for the demo economy, with a KNOWN, SYNTHETIC effect of ties on income,
so that the network report on demo data has something true to find.

Run by seed_demo after every app's `seed` (enterprises.demo exposes `seed_history`), so the demo
enterprises, cooperatives, mentoring ties (knowledge) and marketplace sales already exist.

What it makes, for every active demo enterprise (benchmark enterprises excluded):
- HISTORY_MONTHS months of self-reported offline income ending last month: the enterprise's own
  level, plus a month-of-year season (Lebaran, school holidays, year end) and a trend common to
  all, plus noise, rounded the way people report (to Rp 10.000);
- explicit ties formed over those months (referral, collaboration, supplier) between demo
  enterprises: most enterprises get their first tie in one of several cohort months spread over
  the window, some never get one; later ties grow the network of those already connected;
- THE BUILT-IN EFFECT: from the month of an enterprise's first tie of the report's default kinds
  (enterprises.impact.DEFAULT_TIE_KINDS, read from the database after the ties are made, since
  the mentoring and marketplace demos make some too) its self-reported income is DEMO_EFFECT
  higher every month. Nothing else depends on ties, so the report should find about DEMO_EFFECT.
  Who gets a tie when is drawn at random within blocks of enterprises with similar marketplace
  sales (a stratified rollout), so the sales Guyub records, which the report also counts, are
  spread evenly over cohorts and the never-connected;
- co-membership ties from the demo cooperatives' memberships (what the cooperative services
  record when members join); supplier ties from demo orders get the day the order completed;
- a program officer login (arif), invite links, "we work together" requests (confirmed ones
  behind each collaboration tie, one waiting for Ibu Sari, one declined) and two buyers brought
  in by invite.

Idempotent: rows are keyed (ties by kind and ends, income by enterprise, month and source,
requests by pair and status, invites by enterprise), and the plan depends only on the seed and on
rows this module did not make, so a second run adds nothing."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Min, Q, Sum
from django.utils import timezone

from enterprises.apps import PROGRAM_OFFICERS_GROUP
from enterprises.models import (
    CollaborationRequest,
    Enterprise,
    EnterpriseMember,
    IncomeRecord,
    Invite,
    Membership,
    NetworkSnapshot,
    Tie,
)

if TYPE_CHECKING:
    from cms.management.commands.seed_demo import DemoRun

# The synthetic effect: rupiah a month added to self-reported income from the month of an
# enterprise's first tie. The README says this effect is made up for the demo.
DEMO_EFFECT = 750_000
HISTORY_MONTHS = 36           # fills the report's default window (enterprises.impact)
# Income: level (median, spread of its logarithm, bounds), common trend and season, noise.
LEVEL_MEDIAN = 5_000_000
LEVEL_LOG_SD = 0.45
LEVEL_BOUNDS = (1_500_000, 20_000_000)
TREND_PER_MONTH = 20_000
SEASON = {1: -200_000, 2: -150_000, 3: 200_000, 4: 300_000, 5: 50_000, 6: 100_000, 7: 0,
          8: 100_000, 9: -150_000, 10: -100_000, 11: 0, 12: 250_000}
NOISE_SHARE = 0.05            # standard deviation of monthly noise, as a share of the level
ROUND_TO = 10_000
# Tie formation: the first months of each cohort (months from the start of the window), the
# share never connected (one in this many of each block), and later ties per connected one.
COHORT_OFFSETS = (9, 12, 15, 18, 21, 24, 27, 30)
BLOCK_SIZE = 4                # enterprises per block of similar marketplace sales; one stays out
LATER_TIES_MEAN = 1.2
ENDED_SHARE = 0.1             # later ties that ended a few months on
FIRST_KINDS = (Tie.Kind.COLLABORATION, Tie.Kind.SUPPLIER, Tie.Kind.REFERRAL)
LATER_KINDS = (Tie.Kind.COLLABORATION, Tie.Kind.SUPPLIER, Tie.Kind.SUPPLIER,
               Tie.Kind.REFERRAL)
EVIDENCE = "demo:history"     # marks the ties made here (the plan ignores them on a rerun)
# Demo enterprises whose people log in: always connected, so their pages show a network.
ALWAYS_CONNECTED = ("keripik-sari", "kopi-sindoro-makmur", "batik-tulis-rina")

OFFICER = "arif"
INVITES = (("keripik-sari", "sari"), ("batik-tulis-rina", "rina"),
           ("kopi-sindoro-makmur", "budi"), ("gula-kelapa-pageraji", "karso"))
INVITE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # as enterprises.services.referrals
# Buyers brought in by an enterprise's invite link: enterprise slug, username.
BUYER_REFERRALS = (("keripik-sari", "dewi"), ("kopi-sindoro-makmur", "hendra"))
# "We work together" requests that stay open or were declined: from, to, note, status.
REQUESTS = (
    ("getuk-goreng-mbok-tini", "keripik-sari",
     "Keripik Ibu Sari kami titipkan di kios getuk kami di Sokaraja, bagi hasil per bungkus.",
     CollaborationRequest.Status.PENDING),
    ("keripik-sari", "gula-kelapa-pageraji",
     "Membeli gula kelapa bersama untuk keripik rasa manis, ongkos kirim dibagi dua.",
     CollaborationRequest.Status.PENDING),
    ("emping-melinjo-pandak", "keripik-singkong-playen",
     "Pameran oleh-oleh bersama di Wonosari.", CollaborationRequest.Status.DECLINED),
)


def _month_add(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def history_months(*, today: date | None = None) -> list[date]:
    """The HISTORY_MONTHS months ending last month (day 1 each)."""
    last = _month_add((today or timezone.localdate()).replace(day=1), -1)
    return [_month_add(last, offset - HISTORY_MONTHS + 1) for offset in range(HISTORY_MONTHS)]


def _default_kinds() -> tuple[str, ...]:
    from enterprises.impact import DEFAULT_TIE_KINDS

    return tuple(DEFAULT_TIE_KINDS)


def _enterprises() -> list[Enterprise]:
    from enterprises.demo import BENCH_SLUG_PREFIX

    return list(Enterprise.objects.filter(is_active=True)
                .exclude(slug__startswith=BENCH_SLUG_PREFIX).order_by("slug"))


# --- Logins, invites -----------------------------------------------------------------------------


def _officer(run: DemoRun) -> None:
    """Arif, from the regency's cooperative office, reads the network report."""
    from enterprises.demo import DEMO_PASSWORD

    user = get_user_model().objects.filter(username=OFFICER).first()
    if user is None:
        return
    # Made here too: on a fresh database the post_migrate handler may have run before the
    # permission existed.
    group, _created = Group.objects.get_or_create(name=PROGRAM_OFFICERS_GROUP)
    permission = Permission.objects.filter(content_type__app_label="enterprises",
                                           codename="view_network_report").first()
    if permission is not None:
        group.permissions.add(permission)
    user.groups.add(group)
    run.login(OFFICER, DEMO_PASSWORD, "program officer: the network report at /network/ and "
                                      "the income import")


def _invites(run: DemoRun, by_slug: dict[str, Enterprise]) -> int:
    rng = run.rng("network-invites")
    users = get_user_model().objects.in_bulk([username for _slug, username in INVITES],
                                             field_name="username")
    made = 0
    for slug, username in INVITES:
        code = "".join(rng.choice(INVITE_ALPHABET) for _position in range(10))
        enterprise = by_slug.get(slug)
        if enterprise is None or enterprise.invites.filter(is_active=True).exists():
            continue
        if Invite.objects.filter(code=code).exists():
            continue
        Invite.objects.create(code=code, enterprise=enterprise, created_by=users.get(username))
        made += 1
    return made


# --- Ties ----------------------------------------------------------------------------------------


def _date_in(month: date, rng) -> date:
    return month + timedelta(days=rng.randrange(0, 28))


def _supplier_ties_dated_by_orders() -> int:
    """A supplier tie from a demo order starts when that order completed, not on the day the
    demo ran (the marketplace demo moves its orders into the past after completing them)."""
    from marketplace.models import OrderPart

    moved = 0
    for tie in Tie.objects.filter(kind=Tie.Kind.SUPPLIER, evidence__startswith="order:"):
        completed = (OrderPart.objects.filter(order__number=tie.evidence.removeprefix("order:"),
                                              enterprise_id=tie.from_enterprise_id,
                                              completed_at__isnull=False)
                     .aggregate(first=Min("completed_at"))["first"])
        if completed is not None and timezone.localdate(completed) < tie.started_on:
            tie.started_on = timezone.localdate(completed)
            tie.save(update_fields=["started_on"])
            moved += 1
    return moved


def _co_membership_ties() -> int:
    """Members of a demo cooperative are tied from the day the later of the two joined, as
    enterprises.services.cooperatives records it for members who join through Guyub."""
    memberships = defaultdict(list)
    for membership in Membership.objects.filter(status=Membership.Status.ACTIVE,
                                                joined_at__isnull=False):
        memberships[membership.cooperative_id].append(membership)
    ties = []
    for cooperative_id, members in memberships.items():
        for index, first in enumerate(members):
            for second in members[index + 1:]:
                low, high = sorted((first.enterprise_id, second.enterprise_id))
                joined = max(first.joined_at, second.joined_at)
                ties.append(Tie(kind=Tie.Kind.CO_MEMBERSHIP, origin=Tie.Origin.AUTOMATIC,
                                from_enterprise_id=low, to_enterprise_id=high,
                                started_on=timezone.localdate(joined),
                                evidence=f"cooperative:{cooperative_id}"))
    before = Tie.objects.filter(kind=Tie.Kind.CO_MEMBERSHIP).count()
    Tie.objects.bulk_create(ties, ignore_conflicts=True)
    return Tie.objects.filter(kind=Tie.Kind.CO_MEMBERSHIP).count() - before


def _first_ties(*, kinds: tuple[str, ...], exclude_evidence: str | None = None
                ) -> dict[int, date]:
    """The start of each enterprise's first tie of `kinds` between two enterprises, at either
    end (as enterprises.impact reads the event)."""
    ties = Tie.objects.filter(kind__in=kinds, to_enterprise__isnull=False)
    if exclude_evidence:
        ties = ties.exclude(evidence=exclude_evidence)
    first: dict[int, date] = {}
    for a, b, started in ties.values_list("from_enterprise_id", "to_enterprise_id",
                                          "started_on"):
        for end in (a, b):
            if end not in first or started < first[end]:
                first[end] = started
    return first


def _marketplace_totals(ids: list[int]) -> dict[int, int]:
    return dict(IncomeRecord.objects.filter(enterprise_id__in=ids,
                                            source=IncomeRecord.Source.MARKETPLACE)
                .values("enterprise_id").annotate(total=Sum("amount"))
                .values_list("enterprise_id", "total"))


def plan_cohorts(*, run: DemoRun, enterprises: list[Enterprise],
                 foreign_first: dict[int, date]) -> dict[int, int | None]:
    """Each enterprise's planned first-tie month (an index into the history's months, one of
    COHORT_OFFSETS), None for the ones that stay unconnected. Blocks of BLOCK_SIZE enterprises
    with similar marketplace sales each leave one out (when one of them may be: not one already
    tied by other demo data, nor a demo login's own) and spread the rest over the cohorts in
    turn."""
    rng = run.rng("network-history-plan")
    totals = _marketplace_totals([enterprise.pk for enterprise in enterprises])
    ranked = sorted(enterprises, key=lambda e: (totals.get(e.pk, 0), e.slug))
    cohorts = list(COHORT_OFFSETS)
    rng.shuffle(cohorts)
    plan: dict[int, int | None] = {}
    turn = 0
    for start in range(0, len(ranked), BLOCK_SIZE):
        block = ranked[start:start + BLOCK_SIZE]
        rng.shuffle(block)
        may_stay_out = [e for e in block if e.pk not in foreign_first
                        and e.slug not in ALWAYS_CONNECTED]
        out = may_stay_out[0] if len(block) == BLOCK_SIZE and may_stay_out else None
        for enterprise in block:
            if enterprise is out:
                plan[enterprise.pk] = None
                continue
            plan[enterprise.pk] = cohorts[turn % len(cohorts)]
            turn += 1
            if turn % len(cohorts) == 0:
                rng.shuffle(cohorts)
    return plan


class _TiePlan:
    """Ties to make, kept valid: one per kind and pair, one referrer per enterprise."""

    def __init__(self, *, existing_referred: set[int], forbidden: set[frozenset[int]]):
        self.ties: list[Tie] = []
        self.keys: set[tuple] = set()
        self.pairs: set[frozenset[int]] = set(forbidden)
        self.referred = set(existing_referred)

    def add(self, *, kind: str, giver: int, receiver: int, started_on: date,
            ended_on: date | None = None) -> bool:
        pair = frozenset((giver, receiver))
        if giver == receiver or pair in self.pairs:
            return False
        if kind == Tie.Kind.REFERRAL:
            if receiver in self.referred:
                kind = Tie.Kind.COLLABORATION
            else:
                self.referred.add(receiver)
        if kind not in Tie.DIRECTED_KINDS:
            giver, receiver = sorted((giver, receiver))
        self.pairs.add(pair)
        self.ties.append(Tie(kind=kind, origin=Tie.Origin.EXPLICIT, from_enterprise_id=giver,
                             to_enterprise_id=receiver, started_on=started_on, ended_on=ended_on,
                             evidence=EVIDENCE))
        return True


def plan_ties(*, run: DemoRun, enterprises: list[Enterprise], months: list[date],
              cohorts: dict[int, int | None], existing_referred: set[int],
              forbidden: set[frozenset[int]]) -> list[Tie]:
    """First ties within each cohort month (pairs of the cohort, so both ends start together),
    then later ties among enterprises already connected."""
    rng = run.rng("network-history-ties")
    plan = _TiePlan(existing_referred=existing_referred, forbidden=forbidden)
    by_cohort = defaultdict(list)
    for enterprise in enterprises:
        if cohorts.get(enterprise.pk) is not None:
            by_cohort[cohorts[enterprise.pk]].append(enterprise.pk)
    for offset, members in sorted(by_cohort.items()):
        members = sorted(members)
        rng.shuffle(members)
        month = months[offset]
        # A chain: each member tied to the next, so everyone has a first tie that month.
        partners = list(zip(members, members[1:], strict=False)) or []
        if len(members) == 1:
            # Alone in its cohort: tied to an enterprise connected earlier.
            earlier = [pk for pk, first in cohorts.items() if first is not None and first < offset]
            if earlier:
                partners = [(members[0], rng.choice(sorted(earlier)))]
        for giver, receiver in partners:
            plan.add(kind=rng.choice(FIRST_KINDS), giver=giver, receiver=receiver,
                     started_on=_date_in(month, rng))
    connected = sorted(pk for pk, first in cohorts.items() if first is not None)
    regency = {enterprise.pk: enterprise.regency_id for enterprise in enterprises}
    for pk in connected:
        later = min(_poisson(rng, LATER_TIES_MEAN), 4)
        for _tie in range(later):
            offset = rng.randrange(cohorts[pk], len(months))
            eligible = [other for other in connected
                        if other != pk and cohorts[other] <= offset]
            if not eligible:
                continue
            # Neighbours more often: three times the weight for the same regency.
            weights = [3 if regency[other] == regency[pk] else 1 for other in eligible]
            other = rng.choices(eligible, weights=weights)[0]
            started = _date_in(months[offset], rng)
            ended = None
            if rng.random() < ENDED_SHARE and offset + 3 < len(months):
                ended = _date_in(months[rng.randrange(offset + 3, len(months))], rng)
            giver, receiver = (pk, other) if rng.random() < 0.5 else (other, pk)
            plan.add(kind=rng.choice(LATER_KINDS), giver=giver, receiver=receiver,
                     started_on=started, ended_on=ended)
    return plan.ties


def _poisson(rng, mean: float) -> int:
    """Knuth's method: few draws for a small mean."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


# --- Income --------------------------------------------------------------------------------------


def income_plan(*, run: DemoRun, enterprise: Enterprise, months: list[date],
                first_tie: date | None) -> list[tuple[date, int]]:
    """The enterprise's self-reported income per month: its level, the common season and trend,
    noise, and DEMO_EFFECT from the month of its first tie. One generator per enterprise, so its
    figures do not depend on which other enterprises exist."""
    rng = run.rng(f"network-history-income:{enterprise.slug}")
    low, high = LEVEL_BOUNDS
    level = min(max(LEVEL_MEDIAN * math.exp(rng.gauss(0, LEVEL_LOG_SD)), low), high)
    treated_from = first_tie.replace(day=1) if first_tie else None
    figures = []
    for index, month in enumerate(months):
        amount = (level + SEASON[month.month] + TREND_PER_MONTH * index
                  + rng.gauss(0, NOISE_SHARE * level))
        if treated_from is not None and month >= treated_from:
            amount += DEMO_EFFECT
        figures.append((month, max(0, round(amount / ROUND_TO) * ROUND_TO)))
    return figures


# --- Collaboration requests and buyers' referrals ----------------------------------------------


def _owners(ids) -> dict[int, object]:
    owners = {}
    for member in (EnterpriseMember.objects.filter(enterprise_id__in=ids)
                   .select_related("user").order_by("enterprise_id", "pk")):
        owners.setdefault(member.enterprise_id, member.user)
    return owners


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _collaboration_requests(*, by_slug: dict[str, Enterprise]) -> int:
    """A confirmed request behind every collaboration tie made here (one side asked, the other
    said yes on the tie's first day), and the open and declined ones in REQUESTS."""
    ties = list(Tie.objects.filter(kind=Tie.Kind.COLLABORATION, evidence=EVIDENCE))
    ids = {pk for tie in ties for pk in (tie.from_enterprise_id, tie.to_enterprise_id)}
    ids |= {by_slug[slug].pk for spec in REQUESTS for slug in spec[:2] if slug in by_slug}
    owners = _owners(ids)
    existing = {(a, b, status) for a, b, status in CollaborationRequest.objects.values_list(
        "from_enterprise_id", "to_enterprise_id", "status")}
    made = 0
    for tie in ties:
        a, b = tie.from_enterprise_id, tie.to_enterprise_id
        if (a, b, "confirmed") in existing or (b, a, "confirmed") in existing:
            continue
        request = CollaborationRequest.objects.create(
            from_enterprise_id=a, to_enterprise_id=b, requested_by=owners.get(a),
            status=CollaborationRequest.Status.CONFIRMED, answered_by=owners.get(b),
            answered_at=_aware(tie.started_on, 19))
        CollaborationRequest.objects.filter(pk=request.pk).update(
            created_at=_aware(tie.started_on - timedelta(days=2), 10))
        made += 1
    for from_slug, to_slug, note, status in REQUESTS:
        first, second = by_slug.get(from_slug), by_slug.get(to_slug)
        if first is None or second is None or (first.pk, second.pk, status) in existing:
            continue
        answered = status != CollaborationRequest.Status.PENDING
        request = CollaborationRequest.objects.create(
            from_enterprise=first, to_enterprise=second, requested_by=owners.get(first.pk),
            note=note, status=status, answered_by=owners.get(second.pk) if answered else None,
            answered_at=timezone.now() - timedelta(days=3) if answered else None)
        CollaborationRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(days=4 if answered else 1))
        made += 1
    return made


def _buyer_referrals(*, by_slug: dict[str, Enterprise], months: list[date], run: DemoRun) -> int:
    rng = run.rng("network-history-buyers")
    users = get_user_model().objects.in_bulk([name for _slug, name in BUYER_REFERRALS],
                                             field_name="username")
    made = 0
    for slug, username in BUYER_REFERRALS:
        day = _date_in(months[rng.randrange(len(months) // 2, len(months))], rng)
        enterprise, user = by_slug.get(slug), users.get(username)
        if enterprise is None or user is None or Tie.objects.filter(
                kind=Tie.Kind.REFERRAL, to_user=user).exists():
            continue
        Tie.objects.create(kind=Tie.Kind.REFERRAL, origin=Tie.Origin.EXPLICIT,
                           from_enterprise=enterprise, to_user=user, started_on=day,
                           evidence=EVIDENCE)
        made += 1
    return made


# --- The run ------------------------------------------------------------------------------------


def seed_history(*, run: DemoRun) -> dict:
    """Make the history (see the module docstring). Returns the figures it reports."""
    months = history_months()
    with transaction.atomic():
        _officer(run)
        enterprises = _enterprises()
        if not enterprises:
            return {}
        by_slug = {enterprise.slug: enterprise for enterprise in enterprises}
        invites = _invites(run, by_slug)
        redated = _supplier_ties_dated_by_orders()
        co_members = _co_membership_ties()

        kinds = _default_kinds()
        foreign_first = _first_ties(kinds=kinds, exclude_evidence=EVIDENCE)
        cohorts = plan_cohorts(run=run, enterprises=enterprises, foreign_first=foreign_first)
        foreign = Tie.objects.filter(to_enterprise__isnull=False).exclude(evidence=EVIDENCE)
        existing_referred = set(foreign.filter(kind=Tie.Kind.REFERRAL)
                                .values_list("to_enterprise_id", flat=True))
        forbidden = {frozenset((by_slug[a].pk, by_slug[b].pk))
                     for a, b, _note, _status in REQUESTS if a in by_slug and b in by_slug}
        ties = plan_ties(run=run, enterprises=enterprises, months=months, cohorts=cohorts,
                         existing_referred=existing_referred, forbidden=forbidden)
        before = Tie.objects.count()
        Tie.objects.bulk_create(ties, ignore_conflicts=True)
        buyers = _buyer_referrals(by_slug=by_slug, months=months, run=run)
        new_ties = Tie.objects.count() - before - buyers

        # The effect follows the ties as they are now, whoever made them.
        first = _first_ties(kinds=kinds)
        records = []
        for enterprise in enterprises:
            records += [IncomeRecord(enterprise=enterprise, month=month, amount=amount,
                                     source=IncomeRecord.Source.SELF_REPORTED)
                        for month, amount in income_plan(run=run, enterprise=enterprise,
                                                         months=months,
                                                         first_tie=first.get(enterprise.pk))]
        before = IncomeRecord.objects.count()
        IncomeRecord.objects.bulk_create(records, ignore_conflicts=True, batch_size=1000)
        new_income = IncomeRecord.objects.count() - before
        requests = _collaboration_requests(by_slug=by_slug)

    figures = _figures(enterprises=enterprises, months=months, first=first, kinds=kinds)
    _network_snapshot()
    run.note(
        f"Network history: {new_income} income records ({HISTORY_MONTHS} months, "
        f"{months[0]:%Y-%m} to {months[-1]:%Y-%m}), {new_ties} ties, {co_members} "
        f"co-membership ties, {buyers} buyer referrals, {requests} collaboration requests, "
        f"{invites} invite links, {redated} order ties dated; "
        f"{figures['treated']} enterprises first tied in the window in "
        f"{figures['cohorts']} months, {figures['never']} never; built-in effect "
        f"{_rupiah(DEMO_EFFECT)} a month (synthetic).")
    return figures


def _network_snapshot() -> None:
    """The network figures of /network/, computed once so the demo shows them at once."""
    from enterprises.network import network_metrics_compute

    if not NetworkSnapshot.objects.filter(status=NetworkSnapshot.Status.DONE).exists():
        network_metrics_compute(snapshot=NetworkSnapshot.objects.create())


def _rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def _figures(*, enterprises, months, first: dict[int, date], kinds) -> dict:
    start, end = months[0], months[-1]
    ids = [enterprise.pk for enterprise in enterprises]
    in_window = {pk: day for pk, day in first.items()
                 if pk in set(ids) and start < day.replace(day=1) <= end}
    ties = Counter(Tie.objects.filter(Q(from_enterprise_id__in=ids) | Q(to_enterprise_id__in=ids))
                   .values_list("kind", flat=True))
    return {
        "enterprises": len(ids),
        "treated": len(in_window),
        "cohorts": len({day.replace(day=1) for day in in_window.values()}),
        "never": sum(1 for pk in ids if pk not in first or first[pk].replace(day=1) > end),
        "ties_by_kind": dict(sorted(ties.items())),
        "effect": DEMO_EFFECT,
        "kinds": list(kinds),
    }
