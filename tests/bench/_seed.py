"""Bulk (COPY) seeding helpers shared by the benchmarks: synthetic ties between enterprises.

Enterprises are addressed by index into an array of ids; consecutive indexes are treated as
neighbours (VILLAGE_SIZE to a village, VILLAGES_PER_REGENCY villages to a regency), so order the
ids geographically before passing them in."""

import datetime

VILLAGE_SIZE = 50
VILLAGES_PER_REGENCY = 20
MONTHS = 36
# Undirected kinds are stored lower id first; referral allows one referrer per enterprise.
KIND_WEIGHTS = {"collaboration": 0.25, "co_attendance": 0.25, "co_membership": 0.15,
                "supplier": 0.12, "customer": 0.10, "referral": 0.08, "mentoring": 0.05}
DIRECTED = {"referral", "supplier", "customer", "mentoring"}


def _copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)


def _scalar(sql: str, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _execute(sql: str, params=()) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def tie_pairs(rng, *, enterprises: int, wanted: int, exclude=None):
    """`wanted` unique unordered pairs of enterprise indexes, mostly local: 70% within the
    village, 20% within the regency, 10% anywhere. `exclude`: pair codes (low * enterprises +
    high) already taken, never drawn."""
    import numpy as np

    block = VILLAGE_SIZE * VILLAGES_PER_REGENCY
    taken = np.zeros(0, dtype=np.int64) if exclude is None else np.unique(exclude)
    pairs = np.zeros(0, dtype=np.int64)
    while len(pairs) < wanted:
        draw = int((wanted - len(pairs)) * 1.4) + 1_000
        local, near = int(draw * 0.7), int(draw * 0.2)
        one = rng.integers(0, enterprises, draw)
        other = rng.integers(0, enterprises, draw)  # the 10% anywhere keep this
        other[:local] = np.minimum(one[:local] // VILLAGE_SIZE * VILLAGE_SIZE
                                   + rng.integers(0, VILLAGE_SIZE, local), enterprises - 1)
        span = slice(local, local + near)
        other[span] = np.minimum(one[span] // block * block + rng.integers(0, block, near),
                                 enterprises - 1)
        keep = one != other
        low, high = np.minimum(one, other)[keep], np.maximum(one, other)[keep]
        pairs = np.unique(np.concatenate([pairs, low * enterprises + high]))
        if len(taken):
            pairs = np.setdiff1d(pairs, taken, assume_unique=True)
    pairs = rng.permutation(pairs)[:wanted]
    return pairs // enterprises, pairs % enterprises


def seed_ties(rng, ids, now, *, open_ties: int, ended: int = 0, exclude=None,
              referred=None) -> None:
    """COPY `open_ties` open and `ended` ended ties of every kind between the enterprises
    `ids`, avoiding the pair codes in `exclude` (see tie_pairs) and giving no second referrer
    to the enterprise indexes in `referred`."""
    import numpy as np

    low, high = tie_pairs(rng, enterprises=len(ids), wanted=open_ties + ended, exclude=exclude)
    # "Lower id first" is about ids, not indexes (the same when ids ascend with the index).
    swap = ids[low] > ids[high]
    low, high = np.where(swap, high, low), np.where(swap, low, high)
    count = len(low)
    names = list(KIND_WEIGHTS)
    kinds = rng.choice(len(names), size=count, p=list(KIND_WEIGHTS.values()))
    directed = np.isin(kinds, [names.index(kind) for kind in DIRECTED])
    flip = directed & (rng.random(count) < 0.5)
    start = np.where(flip, high, low)
    end = np.where(flip, low, high)
    # One referrer per enterprise: later referrals to the same enterprise become collaborations.
    referral = kinds == names.index("referral")
    _ends, first = np.unique(end[referral], return_index=True)
    again = np.flatnonzero(referral)
    again = np.setdiff1d(again, again[first])
    if referred is not None and len(referred):
        again = np.union1d(again, np.flatnonzero(referral & np.isin(end, referred)))
    kinds[again] = names.index("collaboration")
    start[again], end[again] = low[again], high[again]
    today = datetime.date.today()
    first_day = today - datetime.timedelta(days=MONTHS * 30)
    started = rng.integers(0, MONTHS * 30 - 2, count)
    stopped = np.full(count, -1)
    last = np.arange(count) >= open_ties
    stopped[last] = started[last] + (rng.random(int(last.sum()))
                                     * (MONTHS * 30 - 1 - started[last])).astype(int)
    days = [first_day + datetime.timedelta(days=int(day)) for day in range(MONTHS * 30)]

    def rows():
        for kind, a, b, day, stop in zip(kinds.tolist(), ids[start].tolist(),
                                         ids[end].tolist(), started.tolist(), stopped.tolist(),
                                         strict=True):
            yield (names[kind], "automatic", a, b, "", days[day],
                   days[stop] if stop >= 0 else None, now)

    _copy("enterprises_tie", ["kind", "origin", "from_enterprise_id", "to_enterprise_id",
                              "evidence", "started_on", "ended_on", "created_at"], rows())
