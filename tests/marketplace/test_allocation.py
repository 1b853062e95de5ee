import random

import pytest

from marketplace.allocation import allocate


def run(commitments, *, size=50, minimum=1):
    return allocate(package_size=size, min_packages=minimum, commitments=commitments)


def test_exact_fill_gives_everyone_their_quantity():
    result = run([("a", 30, 10), ("b", 20, 5), ("c", 50, 0)])
    assert result.packages == 2
    assert not result.cancelled
    assert result.allocations == {"a": 30, "b": 20, "c": 50}


def test_tolerance_fills_the_last_package_in_commitment_order():
    # Firm 95 = one package + 45; tolerance 30 makes up the missing 5, taken from the first.
    result = run([("ani", 40, 10), ("budi", 30, 0), ("citra", 25, 20)], minimum=2)
    assert result.packages == 2
    assert result.allocations == {"ani": 45, "budi": 30, "citra": 25}


def test_tolerance_spills_over_to_later_committers():
    result = run([("a", 30, 5), ("b", 10, 20)])
    assert result.packages == 1
    assert result.allocations == {"a": 35, "b": 15}


def test_tolerance_that_falls_short_rounds_down():
    # Firm 70 = one package + 20; tolerance 29 cannot fill the other 30.
    result = run([("a", 40, 20), ("b", 30, 9)])
    assert result.packages == 1
    assert result.allocations == {"a": 40, "b": 10}


def test_tolerance_exactly_enough_counts():
    result = run([("a", 40, 0), ("b", 30, 30)])
    assert result.packages == 2
    assert result.allocations == {"a": 40, "b": 60}


def test_rounding_down_leaves_the_last_committer_short():
    result = run([("a", 40, 0), ("b", 30, 0), ("c", 20, 0)])
    assert result.packages == 1
    assert result.allocations == {"a": 40, "b": 10, "c": 0}


def test_minimum_not_reached_cancels_with_a_reason():
    result = run([("a", 40, 0), ("b", 30, 0)], minimum=2)
    assert result.cancelled
    assert result.packages == 0
    assert result.allocations == {"a": 0, "b": 0}
    assert "1 package(s)" in result.reason and "minimum is 2" in result.reason


def test_tolerance_can_reach_the_minimum():
    result = run([("a", 40, 0), ("b", 30, 30)], minimum=2)
    assert not result.cancelled
    assert result.packages == 2


def test_zero_commitments_are_cancelled():
    result = run([])
    assert result.cancelled
    assert result.allocations == {}
    assert result.packages == 0


def test_package_size_must_be_positive():
    with pytest.raises(ValueError):
        run([("a", 1, 0)], size=0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hundreds_of_members_properties(seed):
    rng = random.Random(seed)
    size = rng.choice([7, 25, 50, 100])
    commitments = [(n, rng.randint(1, 60), rng.choice([0, 0, rng.randint(1, 40)]))
                   for n in range(500)]
    result = run(commitments, size=size)
    total_quantity = sum(q for _k, q, _t in commitments)
    total_tolerance = sum(t for _k, _q, t in commitments)
    full, remainder = divmod(total_quantity, size)

    assert not result.cancelled
    assert result.packages in (full, full + 1)
    assert (result.packages == full + 1) == (remainder > 0 and
                                             remainder + total_tolerance >= size)
    assert result.total == result.packages * size
    assert set(result.allocations) == {k for k, _q, _t in commitments}
    for key, quantity, tolerance in commitments:
        assert 0 <= result.allocations[key] <= quantity + tolerance
    # Firm quantities are served in order: only a suffix can be short, and only one partially.
    short = [k for k, q, _t in commitments if result.allocations[k] < q]
    if short:
        first_short = short[0]
        assert short == list(range(first_short, 500))
        assert all(result.allocations[k] == 0 for k in short[1:])
        assert all(result.allocations[k] <= q for k, q, _t in commitments if k >= first_short)
    # Tolerance is only handed out once every firm quantity is met.
    if any(result.allocations[k] > q for k, q, _t in commitments):
        assert not short


def test_hundreds_of_members_below_minimum_all_zero():
    commitments = [(n, 1, 0) for n in range(300)]
    result = run(commitments, size=100, minimum=4)
    assert result.cancelled
    assert set(result.allocations.values()) == {0}
