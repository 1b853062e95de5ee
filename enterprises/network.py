"""Network metrics (issue 6): who is tied to whom, and where each enterprise sits in the network.

The graph is undirected and simple: one edge per pair of active enterprises with at least one
open tie (ended_on empty or later than today), whatever its kinds and directions; ties to
buyers (users) are left out. The heavy figures are computed in bulk with numpy and scipy.sparse
on arrays read in a few queries, so 100,000 enterprises and 1,000,000 ties take seconds:

- components with rustworkx;
- local clustering from triangles per node ((A[rows] @ A) * A[rows], in row blocks), and the
  transitivity from the same triangles (equal to rustworkx.graph_transitivity);
- betweenness by Brandes-Pich source sampling: shortest paths from a batch of sources at once,
  level by level (sparse products while the frontier is small, a dense product when it is
  large), then the dependency accumulation backwards, linearly scaled by distance
  (Geisberger, Sanders & Schultes) so nodes next to a sampled source are not inflated;
  scaled by nodes / samples, it estimates rustworkx's unnormalised undirected betweenness
  and equals it when every node is a source;
- brokerage: the other villages (Enterprise.village within its regency; the regency when the
  village is blank) and the other cooperatives (active memberships, not its own) an
  enterprise's direct ties reach.

network_metrics_compute stores the results as a NetworkSnapshot with one NetworkPosition per
enterprise; pages read the latest finished snapshot (selectors.network)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import rustworkx as rx
import scipy.sparse as sp
from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import Case, IntegerField, Q, SmallIntegerField, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cms.db_routers import reads_from_replica
from enterprises.models import (
    Cooperative,
    Enterprise,
    Membership,
    NetworkPosition,
    NetworkSnapshot,
    Tie,
)
from enterprises.selectors.network import network_snapshot_latest  # noqa: F401  (contract)

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = tuple(Tie.Kind.values)
KIND_BIT = {kind: 1 << index for index, kind in enumerate(KINDS)}
BETWEENNESS_SAMPLES = 64
# Sources whose shortest paths are followed together (columns of one matrix).
SOURCE_BATCH = 16
# A level's product is dense once its frontier touches this share of the batch's edge work.
DENSE_SHARE = 0.02
TRIANGLE_ROWS = 8_192
SAVE_BATCH = 20_000
SUBGRAPH_LIMIT = 300


@dataclass
class NetworkGraph:
    """The graph with its node index <-> enterprise id maps. Node i carries enterprise
    enterprise_ids[i] as payload; edge i joins edges[i] (lower index first) and carries the
    frozenset of its kinds, also kept as bit masks over KINDS in edge_kinds."""

    graph: rx.PyGraph
    enterprise_ids: np.ndarray
    index_of: dict[int, int]
    edges: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    edge_kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))

    @property
    def node_count(self) -> int:
        return len(self.enterprise_ids)

    def adjacency(self) -> sp.csr_array:
        return _adjacency(self.node_count, self.edges[:, 0], self.edges[:, 1])


# --- Reading -----------------------------------------------------------------------------------


def _open(today: date) -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gt=today)


def _open_ties(*, kinds: Iterable[str] | None = None):
    return Tie.objects.filter(_open(timezone.localdate()), to_enterprise__isnull=False,
                              kind__in=list(KINDS if kinds is None else kinds))


def _kind_code():
    """The tie's kind as its index in KINDS (a smallint in SQL)."""
    return Cast(Case(*(When(kind=kind, then=Value(code)) for code, kind in enumerate(KINDS)),
                     default=Value(-1)), SmallIntegerField())


def _columns(queryset, fields: dict[str, type]) -> list[np.ndarray]:
    """Columns of integer values (never null) for every row of `queryset`, named as in
    `fields` with their numpy types. On PostgreSQL one binary COPY read straight into numpy
    (Python never touches the million values); elsewhere values_list. On the connection the
    router picks for `queryset` (the read replica inside reads_from_replica)."""
    rows = queryset.order_by().values_list(*fields)
    if connections[rows.db].vendor == "postgresql":
        return _copy_columns(rows, fields)
    values = list(rows)
    if not values:
        return [np.zeros(0, dtype=dtype) for dtype in fields.values()]
    return [np.fromiter(column, dtype=dtype, count=len(values))
            for column, dtype in zip(zip(*values, strict=True), fields.values(), strict=True)]


def _copy_columns(rows, fields: dict[str, type]) -> list[np.ndarray]:
    """One row of arrays (array_agg per column) by COPY ... (FORMAT BINARY), so neither
    psycopg nor Python touches each value: a 19-byte header, the field count, then per field
    its length and a binary array (ndim, has-nulls, element type, size, lower bound, then
    per element its length and big-endian value)."""
    reader = connections[rows.db]
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    names = [f"c{index}" for index in range(len(fields))]
    aggregates = ", ".join(f"array_agg(rows.{name})" for name in names)
    # The query is Django's own compiled SQL; its values stay separate parameters.
    statement = (f"COPY (SELECT {aggregates} FROM ({sql}) AS rows({', '.join(names)})) "  # noqa: S608
                 "TO STDOUT (FORMAT BINARY)")
    with reader.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        data = b"".join(bytes(block) for block in copy)
    at = 19 + int.from_bytes(data[15:19], "big") + 2  # header, extension, field count
    columns = []
    for dtype in fields.values():
        length = int.from_bytes(data[at:at + 4], "big", signed=True)
        at += 4
        if length < 0:  # array_agg of no rows is NULL
            columns.append(np.zeros(0, dtype=dtype))
            continue
        array = data[at:at + length]
        at += length
        width = np.dtype(dtype).itemsize
        if int.from_bytes(array[0:4], "big") != 1 or int.from_bytes(array[4:8], "big") != 0:
            raise RuntimeError("Expected a one-dimensional array without nulls.")
        elements = np.frombuffer(array, offset=20, dtype=np.dtype(
            [("length", ">i4"), ("value", np.dtype(dtype).newbyteorder(">"))]))
        if len(elements) != int.from_bytes(array[12:16], "big") or not (
                elements["length"] == width).all():
            raise RuntimeError("Unexpected element widths in the binary COPY.")
        columns.append(elements["value"].astype(dtype))
    return columns


def _tie_arrays(ties) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(from ids, to ids, kind bits) of `ties`."""
    starts, ends, codes = _columns(
        ties.annotate(code=_kind_code()),
        {"from_enterprise_id": np.int64, "to_enterprise_id": np.int64, "code": np.int16},
    )
    return starts, ends, _bits(codes)


def _bits(codes: np.ndarray) -> np.ndarray:
    return (np.left_shift(1, codes.astype(np.int64))).astype(np.uint8)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique hashes, which is many times slower on a million
    integers than sorting)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def _pairs(node_ids: np.ndarray, starts: np.ndarray, ends: np.ndarray,
           bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique node pairs (lower index first, sorted) and the OR of their kinds' bits; ties with
    an end that is not a node are left out. node_ids must be sorted."""
    n = len(node_ids)
    if n == 0 or len(starts) == 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.uint8)
    first = np.minimum(np.searchsorted(node_ids, starts), n - 1)
    second = np.minimum(np.searchsorted(node_ids, ends), n - 1)
    known = (node_ids[first] == starts) & (node_ids[second] == ends) & (first != second)
    first, second, bits = first[known], second[known], bits[known]
    low, high = np.minimum(first, second), np.maximum(first, second)
    keys, inverse = np.unique(low * n + high, return_inverse=True)
    masks = np.zeros(len(keys), dtype=np.uint8)
    np.bitwise_or.at(masks, inverse, bits)
    return np.stack([keys // n, keys % n], axis=1), masks


def _build(node_ids: np.ndarray, edges: np.ndarray, masks: np.ndarray) -> NetworkGraph:
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(node_ids.tolist())
    if len(edges):
        kind_sets = {int(mask): frozenset(kind for kind in KINDS if int(mask) & KIND_BIT[kind])
                     for mask in _distinct(masks)}
        graph.add_edges_from(list(zip(edges[:, 0].tolist(), edges[:, 1].tolist(),
                                      [kind_sets[mask] for mask in masks.tolist()],
                                      strict=True)))
    return NetworkGraph(
        graph=graph, enterprise_ids=node_ids,
        index_of=dict(zip(node_ids.tolist(), range(len(node_ids)), strict=True)),
        edges=edges, edge_kinds=masks,
    )


def network_graph(*, kinds: Iterable[str] | None = None,
                  enterprise_ids: Iterable[int] | None = None) -> NetworkGraph:
    """The network of active enterprises (all of them, or those of `enterprise_ids`) over their
    open ties of `kinds` (all kinds by default): one edge per pair whatever its kinds."""
    enterprises = Enterprise.objects.filter(is_active=True).order_by("pk")
    ties = _open_ties(kinds=kinds)
    if enterprise_ids is not None:
        wanted = sorted({int(pk) for pk in enterprise_ids})
        enterprises = enterprises.filter(pk__in=wanted)
        ties = ties.filter(from_enterprise_id__in=wanted, to_enterprise_id__in=wanted)
    node_ids = np.fromiter(enterprises.values_list("pk", flat=True), dtype=np.int64)
    edges, masks = _pairs(node_ids, *_tie_arrays(ties))
    return _build(node_ids, edges, masks)


# --- Figures -----------------------------------------------------------------------------------


def _adjacency(n: int, low: np.ndarray, high: np.ndarray, dtype=np.float64) -> sp.csr_array:
    rows = np.concatenate([low, high])
    cols = np.concatenate([high, low])
    return sp.csr_array((np.ones(len(rows), dtype=dtype), (rows, cols)), shape=(n, n))


def _degree_by_kind(n: int, edges: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """(n, len(KINDS)): per node, how many partners it has by each kind."""
    counts = np.zeros((n, len(KINDS)), dtype=np.int64)
    for column, kind in enumerate(KINDS):
        chosen = (masks & KIND_BIT[kind]) != 0
        if chosen.any():
            counts[:, column] = (np.bincount(edges[chosen, 0], minlength=n)
                                 + np.bincount(edges[chosen, 1], minlength=n))
    return counts


def _components(graph: rx.PyGraph) -> tuple[np.ndarray, list[int]]:
    """Per node, the size of its connected component; and the components' sizes."""
    sizes = np.zeros(graph.num_nodes(), dtype=np.int64)
    component_sizes = []
    for component in rx.connected_components(graph):
        members = np.fromiter(component, dtype=np.int64, count=len(component))
        sizes[members] = len(component)
        component_sizes.append(len(component))
    return sizes, component_sizes


def _triangles(adjacency: sp.csr_array) -> np.ndarray:
    """Triangles through each node: half the row sums of (A @ A) * A, a block of rows at a
    time so the product stays small."""
    n = adjacency.shape[0]
    matrix = adjacency.astype(np.int32)
    triangles = np.zeros(n, dtype=np.int64)
    for start in range(0, n, TRIANGLE_ROWS):
        rows = matrix[start:start + TRIANGLE_ROWS]
        triangles[start:start + rows.shape[0]] = (rows @ matrix).multiply(rows).sum(axis=1) // 2
    return triangles


def _clustering(degree: np.ndarray, triangles: np.ndarray) -> tuple[np.ndarray, float]:
    """Local clustering per node (0 below two partners) and the transitivity (3 x triangles /
    connected triples)."""
    pairs = degree * (degree - 1) / 2
    local = np.divide(triangles, pairs, out=np.zeros(len(degree)), where=pairs > 0)
    triples = pairs.sum()
    return local, float(triangles.sum() / triples) if triples else 0.0


def _spread(adjacency: sp.csr_array, flat: np.ndarray, values: np.ndarray, k: int,
            dense: bool) -> tuple[np.ndarray | None, np.ndarray]:
    """A @ X for an (n, k) matrix X that is zero except `values` at flat indices `flat`
    (node * k + column). Dense: (None, the whole product, flat); sparse: (flat indices,
    values) of its nonzeros."""
    n = adjacency.shape[0]
    if dense:
        matrix = np.zeros(n * k)
        matrix[flat] = values
        return None, (adjacency @ matrix.reshape(n, k)).ravel()
    product = adjacency @ sp.csr_array((values, (flat // k, flat % k)), shape=(n, k))
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(product.indptr))
    return rows * k + product.indices, product.data


def _dependencies(adjacency: sp.csr_array, sources: np.ndarray,
                  on_batch: Callable[[int], None] | None = None) -> np.ndarray:
    """Sum over `sources` s of the linearly scaled dependencies
        delta'_s(v) = sum over t of sigma_st(v) / sigma_st * d(s, v) / d(s, t)
    (Geisberger, Sanders & Schultes 2008), for a symmetric 0/1 adjacency. A pair {s, t} met
    from both ends adds d(s, v) / d(s, t) + d(t, v) / d(s, t) = 1, so the sum over every
    source is the exact undirected betweenness; and a sampled source no longer inflates the
    nodes next to it, as Brandes' plain dependencies do (a neighbour of a source carries all
    of its far pairs). Accumulated backwards like Brandes' algorithm, with h_s(v) =
    sum over successors w of sigma_sv / sigma_sw * (1 / d(s, w) + h_s(w)) and
    delta'_s(v) = d(s, v) * h_s(v)."""
    n = adjacency.shape[0]
    degree = np.diff(adjacency.indptr)
    total = np.zeros(n)
    for start in range(0, len(sources), SOURCE_BATCH):
        batch = np.asarray(sources[start:start + SOURCE_BATCH], dtype=np.int64)
        k = len(batch)
        dense_work = DENSE_SHARE * adjacency.nnz * k
        origin = batch * k + np.arange(k)
        distance = np.full(n * k, -1, dtype=np.int32)
        paths = np.zeros(n * k)  # sigma: shortest paths from the column's source
        distance[origin] = 0
        paths[origin] = 1.0
        levels = [origin]
        frontier = origin
        while True:
            dense = degree[frontier // k].sum() > dense_work
            found, counts = _spread(adjacency, frontier, paths[frontier], k, dense)
            if dense:
                found = np.flatnonzero((distance == -1) & (counts > 0))
                counts = counts[found]
            else:
                new = distance[found] == -1
                found, counts = found[new], counts[new]
            if len(found) == 0:
                break
            distance[found] = len(levels)
            paths[found] = counts
            levels.append(found)
            frontier = found
        share = np.zeros(n * k)  # h_s(v)
        for level in range(len(levels) - 1, 0, -1):
            here = levels[level]
            dense = degree[here // k].sum() > dense_work
            found, parts = _spread(adjacency, here, (1.0 / level + share[here]) / paths[here],
                                   k, dense)
            if dense:
                before = levels[level - 1]
                share[before] += paths[before] * parts[before]
            else:
                before = distance[found] == level - 1
                found = found[before]
                share[found] += paths[found] * parts[before]
        # d(s, v) * h_s(v): zero at the source (distance 0) and where it does not reach.
        total += (share * np.maximum(distance, 0)).reshape(n, k).sum(axis=1)
        if on_batch is not None:
            on_batch(start + k)
    return total


def _sources(n: int, samples: int, seed: int) -> np.ndarray:
    if samples >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=samples, replace=False))


def _betweenness(adjacency: sp.csr_array, *, samples: int, seed: int,
                 on_batch: Callable[[int, int], None] | None = None) -> np.ndarray:
    n = adjacency.shape[0]
    if n == 0:
        return np.zeros(0)
    sources = _sources(n, max(1, samples), seed)
    report = None if on_batch is None else (lambda done: on_batch(done, len(sources)))
    return _dependencies(adjacency, sources, report) * (n / len(sources))


def approximate_betweenness(graph: rx.PyGraph, *, samples: int = BETWEENNESS_SAMPLES,
                            seed: int = 0) -> np.ndarray:
    """Brandes-Pich estimate of each node's unnormalised betweenness (as
    rustworkx.graph_betweenness_centrality(graph, normalized=False)), from `samples` sources
    drawn with `seed`; exact when samples >= the node count. Values are in the order of
    graph.node_indices(); parallel edges count once."""
    indices = np.asarray(graph.node_indices(), dtype=np.int64)
    n = len(indices)
    position = np.full(int(indices.max()) + 1 if n else 0, -1, dtype=np.int64)
    position[indices] = np.arange(n)
    edges = np.asarray(graph.edge_list(), dtype=np.int64).reshape(-1, 2)
    first, second = position[edges[:, 0]], position[edges[:, 1]]
    distinct = first != second
    keys = _distinct(np.minimum(first, second)[distinct] * max(n, 1)
                     + np.maximum(first, second)[distinct])
    adjacency = _adjacency(n, keys // max(n, 1), keys % max(n, 1))
    return _betweenness(adjacency, samples=samples, seed=seed)


def _group_codes(values: list) -> np.ndarray:
    codes: dict = {}
    return np.fromiter((codes.setdefault(value, len(codes)) for value in values),
                       dtype=np.int64, count=len(values))


def _villages_reached(n: int, edges: np.ndarray, village: np.ndarray) -> np.ndarray:
    """Per node, the other villages among its partners' villages."""
    if len(edges) == 0:
        return np.zeros(n, dtype=np.int64)
    ends = np.concatenate([edges[:, 0], edges[:, 1]])
    partners = np.concatenate([edges[:, 1], edges[:, 0]])
    other = village[ends] != village[partners]
    span = int(village.max()) + 1
    keys = _distinct(ends[other] * span + village[partners[other]])
    return np.bincount(keys // span, minlength=n)


@dataclass
class _Memberships:
    """Active memberships as sorted (node, cooperative) keys, with each node's slice."""

    keys: np.ndarray  # node * span + cooperative code, sorted
    cooperatives: np.ndarray
    first: np.ndarray  # per node, where its memberships start in keys
    count: np.ndarray  # per node, how many
    span: int

    @classmethod
    def of(cls, n: int, nodes: np.ndarray, cooperatives: np.ndarray) -> _Memberships:
        span = int(cooperatives.max()) + 1 if len(cooperatives) else 1
        keys = _distinct(nodes * span + cooperatives)
        count = np.bincount(keys // span, minlength=n)
        first = np.concatenate([[0], np.cumsum(count)[:-1]]) if n else count
        return cls(keys=keys, cooperatives=keys % span, first=first, count=count, span=span)

    def expand(self, owners: np.ndarray, of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each i, owners[i] repeated once per cooperative of node of[i]: (owners,
        cooperatives)."""
        counts = self.count[of]
        total = int(counts.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        offsets = np.repeat(self.first[of] - np.cumsum(counts) + counts, counts)
        return np.repeat(owners, counts), self.cooperatives[offsets + np.arange(total)]

    def holds(self, nodes: np.ndarray, cooperatives: np.ndarray) -> np.ndarray:
        keys = nodes * self.span + cooperatives
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        return (self.keys[at] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)


def _cooperatives_reached(n: int, edges: np.ndarray, members: _Memberships) -> np.ndarray:
    """Per node, the cooperatives its partners belong to and it does not."""
    if len(edges) == 0:
        return np.zeros(n, dtype=np.int64)
    ends = np.concatenate([edges[:, 0], edges[:, 1]])
    partners = np.concatenate([edges[:, 1], edges[:, 0]])
    owners, cooperatives = members.expand(ends, partners)
    foreign = ~members.holds(owners, cooperatives)
    keys = _distinct(owners[foreign] * members.span + cooperatives[foreign])
    return np.bincount(keys // members.span, minlength=n)


def _cross_cooperative(edges: np.ndarray, members: _Memberships) -> tuple[int, int]:
    """(ties between cooperative members, those whose ends share no cooperative)."""
    if len(edges) == 0:
        return 0, 0
    both = (members.count[edges[:, 0]] > 0) & (members.count[edges[:, 1]] > 0)
    index = np.flatnonzero(both)
    owners, cooperatives = members.expand(index, edges[index, 0])
    shared = members.holds(edges[owners, 1], cooperatives)
    sharing = len(_distinct(owners[shared]))
    return int(both.sum()), int(both.sum()) - sharing


def _ties_gained_by_month(months: np.ndarray, codes: np.ndarray) -> list[dict]:
    """Ties by the month they started (ended ones too: they were gained), every month from the
    first to the last, one count per kind. months: year * 12 + month - 1."""
    if len(months) == 0:
        return []
    first = int(months.min())
    span = int(months.max()) - first + 1
    counts = np.bincount((months - first) * len(KINDS) + codes,
                         minlength=span * len(KINDS)).reshape(span, len(KINDS))
    gained = []
    for offset, row in enumerate(counts.tolist()):
        year, month = divmod(first + offset, 12)
        gained.append({"month": f"{year:04d}-{month + 1:02d}",
                       "by_kind": dict(zip(KINDS, row, strict=True)), "total": sum(row)})
    return gained


# --- The snapshot ------------------------------------------------------------------------------


class _Progress:
    """Shows each step on the snapshot row (committed at once, for the page that polls it) and
    to an optional callback (the command's output)."""

    def __init__(self, snapshot: NetworkSnapshot, callback: Callable[[str], None] | None):
        self.snapshot = snapshot
        self.callback = callback

    def __call__(self, text: str) -> None:
        text = text[:120]
        self.snapshot.progress = text
        with transaction.atomic():  # an error here must not break an outer transaction
            NetworkSnapshot.objects.filter(pk=self.snapshot.pk).update(progress=text)
        if self.callback is not None:
            self.callback(text)


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


@dataclass
class _Ties:
    """Every tie between two enterprises (open or ended), as columns."""

    starts: np.ndarray
    ends: np.ndarray
    codes: np.ndarray  # index in KINDS
    months: np.ndarray  # year * 12 + month - 1 of started_on
    open: np.ndarray  # bool


def _read():
    """Nodes (ids, village codes), all ties between enterprises and the active memberships,
    in three queries."""
    nodes = list(Enterprise.objects.filter(is_active=True).order_by("pk")
                 .values_list("pk", "regency_id", "village"))
    node_ids = np.fromiter((row[0] for row in nodes), dtype=np.int64, count=len(nodes))
    village = _group_codes([(regency, (name or "").strip().casefold())
                            for _pk, regency, name in nodes])
    ties = Tie.objects.filter(to_enterprise__isnull=False, kind__in=KINDS).annotate(
        code=_kind_code(),
        month=Cast(ExtractYear("started_on") * 12 + ExtractMonth("started_on") - 1,
                   IntegerField()),
        still=Cast(Case(When(_open(timezone.localdate()), then=Value(1)), default=Value(0)),
                   SmallIntegerField()),
    )
    starts, ends, codes, months, still = _columns(ties, {
        "from_enterprise_id": np.int64, "to_enterprise_id": np.int64, "code": np.int16,
        "month": np.int32, "still": np.int16})
    memberships = list(
        Membership.objects.filter(status=Membership.Status.ACTIVE, cooperative__is_active=True,
                                  enterprise__is_active=True)
        .order_by().values_list("enterprise_id", "cooperative_id")
    )
    return node_ids, village, _Ties(starts, ends, codes, months, still == 1), memberships


def _between_nodes(node_ids: np.ndarray, ties: _Ties) -> np.ndarray:
    """Which ties have both ends among the nodes (active enterprises)."""
    n = len(node_ids)
    if n == 0:
        return np.zeros(len(ties.starts), dtype=bool)
    first = np.minimum(np.searchsorted(node_ids, ties.starts), n - 1)
    second = np.minimum(np.searchsorted(node_ids, ties.ends), n - 1)
    return (node_ids[first] == ties.starts) & (node_ids[second] == ties.ends)


def _member_arrays(node_ids: np.ndarray, memberships: list) -> _Memberships:
    n = len(node_ids)
    if not memberships or n == 0:
        return _Memberships.of(n, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    enterprises = np.fromiter((row[0] for row in memberships), dtype=np.int64)
    nodes = np.minimum(np.searchsorted(node_ids, enterprises), n - 1)
    known = node_ids[nodes] == enterprises
    cooperatives = _group_codes([row[1] for row in memberships])
    return _Memberships.of(n, nodes[known], cooperatives[known])


@dataclass
class _Positions:
    """Every node's figures, as columns in node order."""

    enterprise_ids: np.ndarray
    degree: np.ndarray
    by_kind: np.ndarray  # (n, len(KINDS))
    component_size: np.ndarray
    clustering: np.ndarray
    betweenness: np.ndarray
    villages: np.ndarray
    cooperatives: np.ndarray


def _insert_positions_bulk(snapshot: NetworkSnapshot, figures: _Positions, part: slice) -> None:
    rows = zip(figures.enterprise_ids[part].tolist(), figures.degree[part].tolist(),
               figures.by_kind[part].tolist(), figures.component_size[part].tolist(),
               figures.clustering[part].tolist(), figures.betweenness[part].tolist(),
               figures.villages[part].tolist(), figures.cooperatives[part].tolist(),
               strict=True)
    NetworkPosition.objects.bulk_create([
        NetworkPosition(
            snapshot=snapshot, enterprise_id=pk, degree=degree,
            degree_by_kind={kind: count for kind, count in zip(KINDS, kinds, strict=True)
                            if count},
            component_size=size, clustering=clustering, betweenness=betweenness,
            villages_reached=villages, cooperatives_reached=cooperatives,
        )
        for pk, degree, kinds, size, clustering, betweenness, villages, cooperatives in rows
    ], batch_size=SAVE_BATCH)


def _insert_positions_copy(snapshot: NetworkSnapshot, figures: _Positions, part: slice) -> None:
    """PostgreSQL: the numbers go in one binary COPY built by numpy into a temporary table,
    and one INSERT ... SELECT makes the degree_by_kind JSON in the database. Formatting
    100,000 rows in Python (or bulk_create's SQL) would take seconds."""
    kinds = [f"k{index}" for index in range(len(KINDS))]
    numbers = [("enterprise_id", ">i8", "bigint"), ("degree", ">i4", "integer"),
               *((kind, ">i4", "integer") for kind in kinds),
               ("component_size", ">i4", "integer"), ("clustering", ">f8", "double precision"),
               ("betweenness", ">f8", "double precision"), ("villages", ">i4", "integer"),
               ("cooperatives", ">i4", "integer")]
    layout = [("fields", ">i2")]
    for name, dtype, _sql_type in numbers:
        layout += [(f"{name}_length", ">i4"), (name, dtype)]
    records = np.zeros(part.stop - part.start, dtype=np.dtype(layout))
    records["fields"] = len(numbers)
    values = {"enterprise_id": figures.enterprise_ids, "degree": figures.degree,
              "component_size": figures.component_size, "clustering": figures.clustering,
              "betweenness": figures.betweenness, "villages": figures.villages,
              "cooperatives": figures.cooperatives,
              **{kind: figures.by_kind[:, index] for index, kind in enumerate(kinds)}}
    for name, dtype, _sql_type in numbers:
        records[f"{name}_length"] = np.dtype(dtype).itemsize
        records[name] = values[name][part]
    data = b"PGCOPY\n\xff\r\n\x00" + bytes(8) + records.tobytes() + b"\xff\xff"
    pairs = ", ".join(f"'{kind}', NULLIF(k{index}, 0)" for index, kind in enumerate(KINDS))
    table = NetworkPosition._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE network_position_load ("
                       + ", ".join(f"{name} {sql_type}" for name, _dtype, sql_type in numbers)
                       + ") ON COMMIT DROP")
        with cursor.cursor.copy("COPY network_position_load FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(data)
        cursor.execute(
            f"INSERT INTO {table} (snapshot_id, enterprise_id, degree, degree_by_kind, "  # noqa: S608
            "component_size, clustering, betweenness, villages_reached, cooperatives_reached) "
            f"SELECT %s, enterprise_id, degree, jsonb_strip_nulls(jsonb_build_object({pairs})), "
            "component_size, clustering, betweenness, villages, cooperatives "
            "FROM network_position_load", [snapshot.pk])
        # Dropped now, not at commit: inside an outer transaction this is only a savepoint.
        cursor.execute("DROP TABLE network_position_load")


def _save_positions(snapshot: NetworkSnapshot, progress: _Progress, figures: _Positions) -> None:
    """Positions in batches, each committed on its own so the progress shows; the snapshot
    only counts once it is marked done."""
    insert = (_insert_positions_copy if connection.vendor == "postgresql"
              else _insert_positions_bulk)
    n = len(figures.enterprise_ids)
    for start in range(0, n, SAVE_BATCH):
        part = slice(start, min(start + SAVE_BATCH, n))
        with transaction.atomic():
            insert(snapshot, figures, part)
        progress(_("Saving %(done)s/%(total)s") % {"done": _count(part.stop),
                                                   "total": _count(n)})


def network_metrics_compute(*, snapshot: NetworkSnapshot, samples: int | None = None,
                            seed: int = 0,
                            on_progress: Callable[[str], None] | None = None) -> NetworkSnapshot:
    """Compute every figure into `snapshot` (positions and summary), showing progress as it
    goes; the snapshot ends done, or failed with the error and no positions. Betweenness uses
    `samples` sources (default settings.NETWORK_BETWEENNESS_SAMPLES, else 64): the time grows
    with them, the noise of each enterprise's figure shrinks."""
    if samples is None:
        samples = getattr(settings, "NETWORK_BETWEENNESS_SAMPLES", BETWEENNESS_SAMPLES)
    started = time.perf_counter()
    progress = _Progress(snapshot, on_progress)
    snapshot.status = NetworkSnapshot.Status.RUNNING
    snapshot.started_at = timezone.now()
    snapshot.error = ""
    snapshot.save(update_fields=["status", "started_at", "error"])
    phases: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(now - clock[0], 3)
        clock[0] = now

    try:
        progress(_("Reading ties"))
        # The heavy read may go to the replica (cms.db_routers), one transaction there; the
        # positions and the snapshot are written below, always to default.
        with reads_from_replica(), transaction.atomic(using=router.db_for_read(Tie)):
            node_ids, village, ties, memberships = _read()
        lap("read")
        progress(_("Building the graph"))
        known = _between_nodes(node_ids, ties)
        gained = _ties_gained_by_month(ties.months[known], ties.codes[known])
        still = ties.open & known
        edges, masks = _pairs(node_ids, ties.starts[still], ties.ends[still],
                              _bits(ties.codes[still]))
        network = _build(node_ids, edges, masks)
        n, m = len(node_ids), len(edges)
        adjacency = _adjacency(n, edges[:, 0], edges[:, 1])
        degree = np.diff(adjacency.indptr).astype(np.int64)
        by_kind = _degree_by_kind(n, edges, masks)
        lap("build")
        progress(_("Components"))
        component_size, component_sizes = _components(network.graph)
        lap("components")
        progress(_("Clustering"))
        clustering, transitivity = _clustering(degree, _triangles(adjacency))
        lap("clustering")
        total_samples = min(max(1, samples), n)
        progress(_("Betweenness %(done)s/%(total)s") % {"done": 0, "total": total_samples})
        betweenness = _betweenness(
            adjacency, samples=samples, seed=seed,
            on_batch=lambda done, total: progress(
                _("Betweenness %(done)s/%(total)s") % {"done": done, "total": total}),
        )
        lap("betweenness")
        progress(_("Brokerage"))
        members = _member_arrays(node_ids, memberships)
        villages = _villages_reached(n, edges, village)
        cooperatives = _cooperatives_reached(n, edges, members)
        cooperative_ties, cross_cooperative = _cross_cooperative(edges, members)
        cross_village = int((village[edges[:, 0]] != village[edges[:, 1]]).sum()) if m else 0
        lap("brokerage")
        _save_positions(snapshot, progress, _Positions(
            enterprise_ids=node_ids, degree=degree, by_kind=by_kind,
            component_size=component_size, clustering=clustering, betweenness=betweenness,
            villages=villages, cooperatives=cooperatives))
        lap("saving")
        summary = {
            "enterprises": n,
            "ties": m,
            "ties_by_kind": {kind: int(((masks & KIND_BIT[kind]) != 0).sum()) for kind in KINDS},
            "components": len(component_sizes),
            "largest_component": max(component_sizes, default=0),
            "isolated": int((degree == 0).sum()),
            "transitivity": transitivity,
            "mean_degree": 2 * m / n if n else 0.0,
            "ties_gained_by_month": gained,
            "cross_village_share": cross_village / m if m else 0.0,
            "cross_cooperative_share": (cross_cooperative / cooperative_ties
                                        if cooperative_ties else 0.0),
            "cross_village_ties": cross_village,
            "cooperative_ties": cooperative_ties,
            "cross_cooperative_ties": cross_cooperative,
            "betweenness_samples": total_samples,
            "phases": phases,
        }
        with transaction.atomic():
            summary["seconds"] = round(time.perf_counter() - started, 3)
            snapshot.summary = summary
            snapshot.status = NetworkSnapshot.Status.DONE
            snapshot.progress = ""
            snapshot.finished_at = timezone.now()
            snapshot.save(update_fields=["summary", "status", "progress", "finished_at"])
            older = NetworkSnapshot.objects.filter(pk__lt=snapshot.pk).exclude(
                status__in=[NetworkSnapshot.Status.QUEUED, NetworkSnapshot.Status.RUNNING])
            NetworkPosition.objects.filter(snapshot__in=older).delete()
    except Exception as error:
        logger.exception("Network metrics failed (snapshot %s)", snapshot.pk)
        with transaction.atomic():
            NetworkPosition.objects.filter(snapshot=snapshot).delete()
            snapshot.status = NetworkSnapshot.Status.FAILED
            snapshot.error = f"{type(error).__name__}: {error}"
            snapshot.progress = ""
            snapshot.finished_at = timezone.now()
            snapshot.save(update_fields=["status", "error", "progress", "finished_at"])
        if on_progress is not None:
            on_progress(snapshot.error)
    return snapshot


# --- Pictures ----------------------------------------------------------------------------------


def _unit_square(positions: dict, order: list[int]) -> list[tuple[float, float]]:
    """Layout coordinates scaled into 0..1 (same scale on both axes, centred)."""
    if not order:
        return []
    points = np.array([positions[index] for index in order], dtype=float).reshape(-1, 2)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = float((high - low).max())
    if extent == 0:
        return [(0.5, 0.5)] * len(order)
    points = (points - low) / extent + (1 - (high - low) / extent) / 2
    points = np.clip(points, 0.0, 1.0)
    return [(round(float(x), 4), round(float(y), 4)) for x, y in points]


def network_subgraph(*, cooperative: Cooperative | None = None, village: str = "",
                     limit: int = SUBGRAPH_LIMIT) -> dict:
    """The ties among a cooperative's active members or a village's enterprises (both: its
    members in that village), for a picture. Above `limit` enterprises only the most connected
    are kept (truncated). Each node's degree counts its open ties in the whole network; x and
    y come from a seeded spring layout, in 0..1."""
    village = village.strip()
    if cooperative is None and not village:
        return {"nodes": [], "edges": [], "truncated": False}
    enterprises = Enterprise.objects.filter(is_active=True)
    if cooperative is not None:
        enterprises = enterprises.filter(cooperative_memberships__cooperative=cooperative,
                                         cooperative_memberships__status=Membership.Status.ACTIVE)
    if village:
        enterprises = enterprises.filter(village__iexact=village)
    candidates = {pk: (name, slug, place) for pk, name, slug, place in
                  enterprises.order_by().distinct().values_list("pk", "name", "slug", "village")}
    if not candidates:
        return {"nodes": [], "edges": [], "truncated": False}
    ids = list(candidates)
    rows = _open_ties().filter(
        Q(from_enterprise_id__in=ids) | Q(to_enterprise_id__in=ids),
        from_enterprise__is_active=True, to_enterprise__is_active=True,
    ).order_by().values_list("from_enterprise_id", "to_enterprise_id", "kind")
    partners: dict[int, set[int]] = {pk: set() for pk in ids}
    kinds: dict[tuple[int, int], set[str]] = {}
    for start, end, kind in rows:
        if start == end:
            continue
        for one, other in ((start, end), (end, start)):
            if one in partners:
                partners[one].add(other)
        if start in candidates and end in candidates:
            kinds.setdefault((min(start, end), max(start, end)), set()).add(kind)
    ranked = sorted(ids, key=lambda pk: (-len(partners[pk]), candidates[pk][0], pk))
    kept = ranked[:max(0, limit)]
    index = {pk: position for position, pk in enumerate(kept)}
    pairs = [(pair, kind_set) for pair, kind_set in sorted(kinds.items())
             if pair[0] in index and pair[1] in index]
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(kept)
    graph.add_edges_from_no_data([(index[a], index[b]) for (a, b), _kinds in pairs])
    layout = rx.spring_layout(graph, seed=0) if kept else {}
    coordinates = _unit_square(dict(layout.items()), list(range(len(kept))))
    nodes = [
        {"id": pk, "name": candidates[pk][0], "slug": candidates[pk][1],
         "village": candidates[pk][2], "degree": len(partners[pk]), "x": x, "y": y}
        for pk, (x, y) in zip(kept, coordinates, strict=True)
    ]
    edges = [{"source": a, "target": b, "kinds": sorted(kind_set)}
             for (a, b), kind_set in pairs]
    return {"nodes": nodes, "edges": edges, "truncated": len(ids) > len(kept)}
