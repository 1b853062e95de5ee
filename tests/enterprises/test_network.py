"""Network metrics (enterprises.network): small graphs with hand-computed answers, the sampled
betweenness against rustworkx's exact one, brokerage, ties gained by month, the snapshot's
life (request, task, command, failure) and the subgraph for pictures."""

import datetime
import io

import numpy as np
import pytest
import rustworkx as rx
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises import network
from enterprises.models import Membership, NetworkPosition, NetworkSnapshot, Tie
from enterprises.network import (
    approximate_betweenness,
    network_graph,
    network_metrics_compute,
    network_subgraph,
)
from enterprises.selectors.network import (
    network_position_for,
    network_snapshot_latest,
    network_snapshot_pending,
)
from enterprises.services.network import STALE_AFTER, network_snapshot_request
from enterprises.tasks import network_metrics_task
from tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    MembershipFactory,
    RegencyFactory,
    TieFactory,
    UserFactory,
    program_officer,
    seller,
)

pytestmark = pytest.mark.django_db

DIRECTED = Tie.DIRECTED_KINDS


def tie(a, b, kind=Tie.Kind.COLLABORATION, **fields):
    """A tie as tie_record stores it: undirected kinds lower id first."""
    if kind not in DIRECTED and a.pk > b.pk:
        a, b = b, a
    return TieFactory(kind=kind, from_enterprise=a, to_enterprise=b, **fields)


def enterprises(count, **fields):
    return [EnterpriseFactory(**fields) for _ in range(count)]


def compute(**options) -> NetworkSnapshot:
    snapshot = network_metrics_compute(snapshot=NetworkSnapshot.objects.create(), **options)
    assert snapshot.status == NetworkSnapshot.Status.DONE, snapshot.error
    return snapshot


def positions(snapshot, nodes) -> list[NetworkPosition]:
    by_enterprise = {p.enterprise_id: p for p in snapshot.positions.all()}
    return [by_enterprise[node.pk] for node in nodes]


def exact_betweenness(graph) -> np.ndarray:
    exact = rx.graph_betweenness_centrality(graph, normalized=False)
    return np.array([exact[index] for index in graph.node_indices()])


# --- Small graphs with hand-computed answers ----------------------------------------------------


def test_a_path_of_five():
    path = enterprises(5)
    for a, b in zip(path, path[1:], strict=False):
        tie(a, b)

    snapshot = compute()
    rows = positions(snapshot, path)

    assert [p.degree for p in rows] == [1, 2, 2, 2, 1]
    assert [p.betweenness for p in rows] == pytest.approx([0, 3, 4, 3, 0])
    assert [p.clustering for p in rows] == [0, 0, 0, 0, 0]
    assert {p.component_size for p in rows} == {5}
    summary = snapshot.summary
    assert set(summary) >= {
        "enterprises", "ties", "ties_by_kind", "components", "largest_component", "isolated",
        "transitivity", "mean_degree", "ties_gained_by_month", "cross_village_share",
        "cross_cooperative_share", "seconds"}
    assert (summary["enterprises"], summary["ties"], summary["components"]) == (5, 4, 1)
    assert (summary["largest_component"], summary["isolated"]) == (5, 0)
    assert summary["transitivity"] == 0
    assert summary["mean_degree"] == pytest.approx(8 / 5)


def test_a_star():
    centre, *leaves = enterprises(5)
    for leaf in leaves:
        tie(leaf, centre, kind=Tie.Kind.MENTORING)  # directed, towards the centre

    rows = positions(compute(), [centre, *leaves])

    assert [p.degree for p in rows] == [4, 1, 1, 1, 1]
    assert rows[0].degree_by_kind == {"mentoring": 4}
    assert rows[1].degree_by_kind == {"mentoring": 1}
    assert [p.betweenness for p in rows] == pytest.approx([6, 0, 0, 0, 0])  # C(4, 2) pairs
    assert [p.clustering for p in rows] == [0] * 5


def test_two_triangles_joined_by_a_bridge_and_an_isolated_enterprise():
    a, b, c, d, e, f, alone = enterprises(7)
    for one, other in [(a, b), (b, c), (a, c), (c, d), (d, e), (e, f), (d, f)]:
        tie(one, other)

    snapshot = compute()
    rows = positions(snapshot, [a, b, c, d, e, f, alone])

    assert [p.degree for p in rows] == [2, 2, 3, 3, 2, 2, 0]
    assert [p.clustering for p in rows] == pytest.approx([1, 1, 1 / 3, 1 / 3, 1, 1, 0])
    # Every path from {a, b} to {e, f} and d crosses c; from {a, b, c} to {e, f}, d.
    assert [p.betweenness for p in rows] == pytest.approx([0, 0, 6, 6, 0, 0, 0])
    assert [p.component_size for p in rows] == [6] * 6 + [1]
    summary = snapshot.summary
    assert (summary["components"], summary["largest_component"], summary["isolated"]) == \
        (2, 6, 1)
    # 3 x 2 triangles / (1 + 1 + 3 + 3 + 1 + 1) connected triples
    assert summary["transitivity"] == pytest.approx(0.6)
    built = network_graph()
    assert summary["transitivity"] == pytest.approx(rx.graph_transitivity(built.graph))


def test_mixed_kinds_on_one_pair_count_once():
    a, b = enterprises(2)
    tie(a, b, kind=Tie.Kind.COLLABORATION)
    tie(a, b, kind=Tie.Kind.CO_MEMBERSHIP)
    tie(a, b, kind=Tie.Kind.SUPPLIER)
    tie(b, a, kind=Tie.Kind.SUPPLIER)  # the other direction: still the same pair

    snapshot = compute()
    first, second = positions(snapshot, [a, b])

    assert (first.degree, second.degree) == (1, 1)
    assert first.degree_by_kind == second.degree_by_kind == {
        "collaboration": 1, "co_membership": 1, "supplier": 1}
    assert snapshot.summary["ties"] == 1
    assert snapshot.summary["ties_by_kind"] == {
        "referral": 0, "supplier": 1, "customer": 0, "collaboration": 1, "mentoring": 0,
        "co_membership": 1, "co_attendance": 0}
    built = network_graph()
    assert built.graph.num_edges() == 1
    assert built.graph.edges()[0] == frozenset({"collaboration", "co_membership", "supplier"})


def test_ended_ties_ties_to_buyers_and_inactive_enterprises_are_left_out():
    a, b, c = enterprises(3)
    gone = EnterpriseFactory(is_active=False)
    today = timezone.localdate()
    tie(a, b, ended_on=today - datetime.timedelta(days=1),
        started_on=today - datetime.timedelta(days=30))
    tie(a, c, ended_on=today + datetime.timedelta(days=10))  # ends later: still open
    TieFactory(kind=Tie.Kind.REFERRAL, from_enterprise=a, to_enterprise=None,
               to_user=UserFactory())
    tie(b, gone)

    snapshot = compute()

    assert [p.degree for p in positions(snapshot, [a, b, c])] == [1, 0, 1]
    assert snapshot.summary["enterprises"] == 3
    assert not snapshot.positions.filter(enterprise=gone).exists()
    assert snapshot.summary["ties"] == 1


def test_network_graph_maps_nodes_and_filters_kinds_and_enterprises():
    a, b, c = enterprises(3)
    tie(a, b, kind=Tie.Kind.REFERRAL)
    tie(b, c, kind=Tie.Kind.COLLABORATION)

    built = network_graph()
    assert built.graph.num_nodes() == 3
    assert [built.graph[built.index_of[e.pk]] for e in (a, b, c)] == [a.pk, b.pk, c.pk]
    assert list(built.enterprise_ids) == sorted([a.pk, b.pk, c.pk])

    referrals = network_graph(kinds=["referral"])
    assert referrals.graph.num_edges() == 1
    assert referrals.graph.has_edge(referrals.index_of[a.pk], referrals.index_of[b.pk])

    part = network_graph(enterprise_ids=[b.pk, c.pk])
    assert part.graph.num_nodes() == 2
    assert part.graph.num_edges() == 1


# --- Betweenness --------------------------------------------------------------------------------


@pytest.mark.parametrize("dense_share", [0.0, 0.02, float("inf")])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_betweenness_is_exact_when_every_node_is_a_source(monkeypatch, dense_share, seed):
    # 0: every level through the dense product; inf: every level sparse.
    monkeypatch.setattr(network, "DENSE_SHARE", dense_share)
    monkeypatch.setattr(network, "SOURCE_BATCH", 7)
    graph = rx.undirected_gnm_random_graph(60, 90, seed=seed)  # several components

    estimate = approximate_betweenness(graph, samples=60)

    assert estimate == pytest.approx(exact_betweenness(graph), abs=1e-9)


def test_betweenness_handles_removed_nodes_parallel_edges_and_empty_graphs():
    graph = rx.generators.path_graph(6)
    graph.remove_node(0)  # indices 1..5: a path of five
    assert approximate_betweenness(graph, samples=10) == pytest.approx([0, 3, 4, 3, 0])
    multi = rx.PyGraph()
    multi.add_nodes_from(range(3))
    multi.add_edges_from_no_data([(0, 1), (0, 1), (1, 2), (2, 2)])
    assert approximate_betweenness(multi, samples=3) == pytest.approx([0, 1, 0])
    assert len(approximate_betweenness(rx.PyGraph())) == 0


def test_sampled_betweenness_is_close_to_the_exact_one():
    graph = rx.undirected_gnm_random_graph(400, 1600, seed=3)
    exact = exact_betweenness(graph)

    estimates = [approximate_betweenness(graph, samples=100, seed=seed) for seed in range(8)]

    for estimate in estimates:
        assert np.corrcoef(estimate, exact)[0, 1] > 0.85
        assert estimate.sum() == pytest.approx(exact.sum(), rel=0.1)
    mean = np.mean(estimates, axis=0)  # unbiased: the average closes in on the exact values
    assert np.abs(mean - exact).sum() / exact.sum() < 0.12
    assert list(approximate_betweenness(graph, samples=100, seed=5)) == list(estimates[5])


def test_the_snapshot_samples_betweenness_on_larger_networks():
    nodes = enterprises(12)
    for a, b in zip(nodes, nodes[1:], strict=False):
        tie(a, b)

    snapshot = compute(samples=4, seed=1)

    assert snapshot.summary["betweenness_samples"] == 4
    values = [p.betweenness for p in positions(snapshot, nodes)]
    assert values[0] == values[-1] == 0
    assert all(value >= 0 for value in values) and sum(values) > 0


# --- Brokerage ----------------------------------------------------------------------------------


def test_brokerage_counts_other_villages_and_cooperatives():
    banyumas = RegencyFactory(name="Kabupaten Banyumas")
    cilacap = RegencyFactory(name="Kabupaten Cilacap")
    a = EnterpriseFactory(regency=banyumas, village="Desa Karangsari")
    b = EnterpriseFactory(regency=banyumas, village="Desa Pliken")
    c = EnterpriseFactory(regency=banyumas, village=" desa karangsari ")  # same village as a
    d = EnterpriseFactory(regency=banyumas, village="")  # the regency stands in
    e = EnterpriseFactory(regency=cilacap, village="")
    f = EnterpriseFactory(regency=cilacap, village="Desa Karangsari")  # same name, elsewhere
    for other in (b, c, d, e, f):
        tie(a, other)
    one, two, three = CooperativeFactory(), CooperativeFactory(), CooperativeFactory()
    for cooperative, member in [(one, a), (one, b), (two, c), (three, c), (three, d)]:
        MembershipFactory(cooperative=cooperative, enterprise=member)
    MembershipFactory(cooperative=two, enterprise=e, status=Membership.Status.LEFT,
                      left_at=timezone.now())

    snapshot = compute()
    pa, pb, pc, pd, pe, pf = positions(snapshot, [a, b, c, d, e, f])

    assert pa.villages_reached == 4  # Pliken, Banyumas, Cilacap, Karangsari in Cilacap
    assert [p.villages_reached for p in (pb, pc, pd, pe, pf)] == [1, 0, 1, 1, 1]
    assert pa.cooperatives_reached == 2  # two and three; one is its own
    assert [p.cooperatives_reached for p in (pb, pc, pd, pe, pf)] == [0, 1, 1, 1, 1]
    summary = snapshot.summary
    assert summary["cross_village_share"] == pytest.approx(4 / 5)
    # Between members: a-b share one; a-c and a-d share none (e left, f never joined).
    assert (summary["cooperative_ties"], summary["cross_cooperative_ties"]) == (3, 2)
    assert summary["cross_cooperative_share"] == pytest.approx(2 / 3)


# --- Ties gained by month -----------------------------------------------------------------------


def test_ties_gained_by_month_counts_every_tie_by_its_start():
    a, b, c = enterprises(3)
    tie(a, b, started_on=datetime.date(2025, 1, 15))
    tie(c, a, kind=Tie.Kind.REFERRAL, started_on=datetime.date(2025, 1, 31))
    tie(b, c, started_on=datetime.date(2025, 3, 1), ended_on=datetime.date(2025, 4, 1))
    TieFactory(kind=Tie.Kind.REFERRAL, from_enterprise=b, to_enterprise=None,
               to_user=UserFactory(), started_on=datetime.date(2025, 2, 2))

    gained = compute().summary["ties_gained_by_month"]

    assert [(month["month"], month["total"]) for month in gained] == [
        ("2025-01", 2), ("2025-02", 0), ("2025-03", 1)]
    assert gained[0]["by_kind"]["collaboration"] == gained[0]["by_kind"]["referral"] == 1
    assert set(gained[1]["by_kind"]) == set(Tie.Kind.values)


# --- The snapshot -------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_progress_is_shown_on_the_snapshot_as_it_goes(monkeypatch):
    monkeypatch.setattr(network, "SAVE_BATCH", 2)
    nodes = enterprises(5)
    tie(nodes[0], nodes[1])
    seen = []

    def watch(text):
        seen.append((text, NetworkSnapshot.objects.get().progress))

    network_metrics_compute(snapshot=NetworkSnapshot.objects.create(), on_progress=watch,
                            samples=2)

    texts = [text for text, _stored in seen]
    assert all(text == stored for text, stored in seen)  # written before it is told
    assert texts[0] == "Reading ties"
    assert "Components" in texts and "Clustering" in texts
    assert "Betweenness 2/2" in texts
    assert texts[-3:] == ["Saving 2/5", "Saving 4/5", "Saving 5/5"]
    assert NetworkSnapshot.objects.get().progress == ""


def test_a_failure_marks_the_snapshot_failed_and_leaves_the_last_good_one(monkeypatch):
    a, b = enterprises(2)
    tie(a, b)
    good = compute()

    def broken(*args, **kwargs):
        raise RuntimeError("the clustering broke")

    monkeypatch.setattr(network, "_triangles", broken)
    failed = network_metrics_compute(snapshot=NetworkSnapshot.objects.create())

    failed.refresh_from_db()
    assert failed.status == NetworkSnapshot.Status.FAILED
    assert "the clustering broke" in failed.error
    assert failed.finished_at is not None and failed.summary == {}
    assert not failed.positions.exists()
    assert network_snapshot_latest() == good
    assert good.positions.count() == 2


@pytest.mark.usefixtures("english")
def test_a_failure_while_saving_leaves_no_positions(monkeypatch):
    monkeypatch.setattr(network, "SAVE_BATCH", 2)
    nodes = enterprises(5)
    tie(nodes[0], nodes[1])
    calls = []
    original = network._Progress.__call__

    def fail_on_second_batch(self, text):
        original(self, text)
        if text.startswith("Saving"):
            calls.append(text)
            if len(calls) == 2:
                raise RuntimeError("disk full")

    monkeypatch.setattr(network._Progress, "__call__", fail_on_second_batch)
    snapshot = network_metrics_compute(snapshot=NetworkSnapshot.objects.create())

    assert snapshot.status == NetworkSnapshot.Status.FAILED
    assert not NetworkPosition.objects.exists()


def test_older_positions_are_deleted_when_a_new_snapshot_is_done():
    a, b = enterprises(2)
    tie(a, b)
    first = compute()
    second = compute()

    assert not first.positions.exists()
    assert second.positions.count() == 2
    first.refresh_from_db()
    assert first.status == NetworkSnapshot.Status.DONE  # its summary stays as history
    assert network_snapshot_latest() == second
    assert network_position_for(enterprise=a).snapshot == second


def test_network_position_for_before_any_snapshot():
    assert network_position_for(enterprise=EnterpriseFactory()) is None
    assert network_snapshot_latest() is None


def test_an_empty_network():
    snapshot = compute()

    assert snapshot.summary["enterprises"] == snapshot.summary["ties"] == 0
    assert snapshot.summary["components"] == snapshot.summary["largest_component"] == 0
    assert snapshot.summary["ties_gained_by_month"] == []


def _queries_for_compute() -> int:
    with CaptureQueriesContext(connection) as captured:
        compute(samples=4)
    return len(captured)


def test_compute_queries_do_not_grow_with_enterprises_and_ties():
    few = enterprises(3)
    tie(few[0], few[1])
    MembershipFactory(enterprise=few[0])
    small = _queries_for_compute()

    many = enterprises(60)
    for index, enterprise in enumerate(many):
        tie(enterprise, many[(index + 1) % len(many)])
        tie(enterprise, many[(index + 7) % len(many)], kind=Tie.Kind.REFERRAL
            if index < 20 else Tie.Kind.SUPPLIER)
        MembershipFactory(enterprise=enterprise)

    assert _queries_for_compute() == small


# --- Requests, the task and the command ---------------------------------------------------------


def test_a_program_officer_requests_a_snapshot_and_the_task_computes_it():
    a, b = enterprises(2)
    tie(a, b)
    officer = program_officer()

    snapshot = network_snapshot_request(user=officer)

    assert snapshot.requested_by == officer
    assert snapshot.status == NetworkSnapshot.Status.DONE  # the immediate backend ran it
    assert snapshot.started_at <= snapshot.finished_at
    assert snapshot.positions.count() == 2
    assert network_snapshot_pending() is None


def test_staff_may_request_too():
    snapshot = network_snapshot_request(user=UserFactory(is_staff=True))
    assert snapshot.status == NetworkSnapshot.Status.DONE


@pytest.mark.parametrize("who", ["seller", "plain", "anonymous"])
def test_others_may_not_request_a_snapshot(who):
    from django.contrib.auth.models import AnonymousUser

    user = {"seller": lambda: seller()[0], "plain": UserFactory,
            "anonymous": AnonymousUser}[who]()

    with pytest.raises(PermissionDenied):
        network_snapshot_request(user=user)
    assert not NetworkSnapshot.objects.exists()


@pytest.mark.parametrize("status", [NetworkSnapshot.Status.QUEUED,
                                    NetworkSnapshot.Status.RUNNING])
def test_a_request_while_one_is_pending_returns_that_one(status):
    pending = NetworkSnapshot.objects.create(status=status, started_at=timezone.now())

    again = network_snapshot_request(user=program_officer())

    assert again == pending
    assert NetworkSnapshot.objects.count() == 1
    pending.refresh_from_db()
    assert pending.status == status  # not computed a second time
    assert network_snapshot_pending() == pending


def test_a_stale_pending_snapshot_is_given_up():
    stale = NetworkSnapshot.objects.create(status=NetworkSnapshot.Status.RUNNING)
    long_ago = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    NetworkSnapshot.objects.filter(pk=stale.pk).update(created_at=long_ago, started_at=long_ago)

    fresh = network_snapshot_request(user=program_officer())

    assert fresh != stale
    assert fresh.status == NetworkSnapshot.Status.DONE
    stale.refresh_from_db()
    assert stale.status == NetworkSnapshot.Status.FAILED and stale.error


def test_the_task_computes_a_queued_snapshot_once():
    a, b = enterprises(2)
    tie(a, b)
    snapshot = NetworkSnapshot.objects.create()

    result = network_metrics_task.enqueue(snapshot.pk)

    assert result.return_value == "done"
    snapshot.refresh_from_db()
    assert snapshot.status == NetworkSnapshot.Status.DONE
    assert network_metrics_task.enqueue(snapshot.pk).return_value == "skipped"


@pytest.mark.usefixtures("english")
def test_the_command_computes_now_and_prints_progress():
    a, b = enterprises(2)
    tie(a, b)
    out = io.StringIO()

    call_command("network_metrics", "--samples", "8", stdout=out)

    text = out.getvalue()
    assert "Reading ties" in text and "Betweenness" in text and "Saving 2/2" in text
    assert "done in" in text and "transitivity" in text
    snapshot = network_snapshot_latest()
    assert snapshot.summary["enterprises"] == 2


def test_the_command_fails_with_the_error(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no memory")

    monkeypatch.setattr(network, "_triangles", broken)

    with pytest.raises(CommandError, match="no memory"):
        call_command("network_metrics", stdout=io.StringIO())
    assert NetworkSnapshot.objects.get().status == NetworkSnapshot.Status.FAILED


def test_the_samples_default_comes_from_the_settings(settings):
    nodes = enterprises(6)
    for a, b in zip(nodes, nodes[1:], strict=False):
        tie(a, b)
    settings.NETWORK_BETWEENNESS_SAMPLES = 3

    assert compute().summary["betweenness_samples"] == 3
    del settings.NETWORK_BETWEENNESS_SAMPLES
    assert compute().summary["betweenness_samples"] == 6  # 64, capped at the enterprises


def test_the_command_refuses_bad_samples():
    with pytest.raises(CommandError):
        call_command("network_metrics", "--samples", "0", stdout=io.StringIO())


# --- The subgraph for pictures ------------------------------------------------------------------


def _assert_in_unit_square(picture):
    for node in picture["nodes"]:
        assert 0 <= node["x"] <= 1 and 0 <= node["y"] <= 1


def test_subgraph_of_a_cooperative():
    cooperative = CooperativeFactory()
    members = enterprises(4)
    for member in members:
        MembershipFactory(cooperative=cooperative, enterprise=member)
    outsider = EnterpriseFactory()
    former = EnterpriseFactory()
    MembershipFactory(cooperative=cooperative, enterprise=former,
                      status=Membership.Status.LEFT, left_at=timezone.now())
    tie(members[0], members[1], kind=Tie.Kind.COLLABORATION)
    tie(members[0], members[1], kind=Tie.Kind.CO_MEMBERSHIP)
    tie(members[1], members[2])
    tie(members[0], outsider)
    tie(members[0], former)

    picture = network_subgraph(cooperative=cooperative)

    assert not picture["truncated"]
    nodes = {node["id"]: node for node in picture["nodes"]}
    assert set(nodes) == {member.pk for member in members}
    assert nodes[members[0].pk]["degree"] == 3  # its ties outside the picture count too
    assert nodes[members[3].pk]["degree"] == 0
    assert nodes[members[0].pk]["slug"] == members[0].slug
    assert sorted((e["source"], e["target"], tuple(e["kinds"])) for e in picture["edges"]) == [
        (members[0].pk, members[1].pk, ("co_membership", "collaboration")),
        (members[1].pk, members[2].pk, ("collaboration",)),
    ]
    _assert_in_unit_square(picture)
    assert len({(node["x"], node["y"]) for node in picture["nodes"]}) == 4
    assert network_subgraph(cooperative=cooperative) == picture  # seeded layout


def test_subgraph_of_a_village_keeps_the_most_connected_up_to_the_limit():
    village = enterprises(5, village="Desa Karangsari")
    elsewhere = EnterpriseFactory(village="Desa Pliken")
    hub = village[2]
    for other in village:
        if other != hub:
            tie(hub, other)
    tie(village[0], village[1])
    tie(village[4], elsewhere)

    picture = network_subgraph(village="desa karangsari ", limit=3)

    assert picture["truncated"]
    ids = [node["id"] for node in picture["nodes"]]
    assert ids[0] == hub.pk and len(ids) == 3
    assert set(ids) == {hub.pk, village[0].pk, village[1].pk}
    assert len(picture["edges"]) == 3  # the triangle hub-0-1
    _assert_in_unit_square(picture)
    assert network_subgraph(village="Desa Nowhere") == {"nodes": [], "edges": [],
                                                        "truncated": False}
    assert network_subgraph() == {"nodes": [], "edges": [], "truncated": False}


def test_subgraph_of_a_single_enterprise_sits_in_the_middle():
    EnterpriseFactory(village="Desa Sepi")

    picture = network_subgraph(village="Desa Sepi")

    assert [(node["x"], node["y"]) for node in picture["nodes"]] == [(0.5, 0.5)]
