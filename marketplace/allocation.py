"""How a bulk order rounds to whole packages and shares them out. Pure integers, no Django.

The rule, with a worked example: sacks of 50 kg, minimum 2 sacks, and three members committing
in this order:

    Ani   quantity 40, tolerance 10
    Budi  quantity 30, tolerance 0
    Citra quantity 25, tolerance 20

Firm quantities total 95 kg: one full sack (50) and a remainder of 45. The remainder plus all
tolerance (45 + 30 = 75) fills a sack, so 2 sacks (100 kg) are ordered. Firm quantities are
given first in commitment order (Ani 40, Budi 30, Citra 25 = 95), then tolerance in the same
order until the sacks are full: Ani takes 5 of her 10, leaving nothing for Citra. Result: Ani 45,
Budi 30, Citra 25. Had the minimum been 3 sacks, the order would be cancelled and everyone
allocated 0.
"""

from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Allocation:
    packages: int
    allocations: dict[Hashable, int]
    cancelled: bool
    reason: str = ""

    @property
    def total(self) -> int:
        return sum(self.allocations.values())


def package_count(*, package_size: int, total_quantity: int, total_tolerance: int) -> int:
    """Whole packages the firm quantities fill, plus one if tolerance can fill the remainder."""
    packages, remainder = divmod(total_quantity, package_size)
    if remainder and remainder + total_tolerance >= package_size:
        packages += 1
    return packages


def allocate(*, package_size: int, min_packages: int,
             commitments: list[tuple[Hashable, int, int]]) -> Allocation:
    """Round `commitments` ((key, quantity, tolerance), in commitment order) to packages and
    allocate them: firm quantities first, then tolerance, both in commitment order, until
    packages × package_size is filled. Nobody gets more than quantity + tolerance; when rounding
    down, the last committers get less than their firm quantity."""
    if package_size < 1:
        raise ValueError("package_size must be at least 1")
    total_quantity = sum(quantity for _key, quantity, _tolerance in commitments)
    total_tolerance = sum(tolerance for _key, _quantity, tolerance in commitments)
    packages = package_count(package_size=package_size, total_quantity=total_quantity,
                             total_tolerance=total_tolerance)
    if packages < min_packages:
        reason = (f"Commitments fill {packages} package(s) of {package_size}; "
                  f"the minimum is {min_packages}.")
        return Allocation(packages=0, allocations={key: 0 for key, _q, _t in commitments},
                          cancelled=True, reason=reason)

    left = packages * package_size
    allocations = {}
    for key, quantity, _tolerance in commitments:
        allocations[key] = min(quantity, left)
        left -= allocations[key]
    for key, _quantity, tolerance in commitments:
        extra = min(tolerance, left)
        allocations[key] += extra
        left -= extra
    return Allocation(packages=packages, allocations=allocations, cancelled=False)
