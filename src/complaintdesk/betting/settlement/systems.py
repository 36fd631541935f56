"""Systems: which combinations of legs a bet covers, and what they return together.

A system bets every combination of ``k`` of its ``n`` legs for each size ``k`` it
covers. The return of all the combinations of one size is the elementary symmetric
polynomial ``e_k`` of the legs' factors (the sum, over every k-subset, of the product of
its factors), which a dynamic programme computes in O(n·k) multiplications instead of
one product per combination: a Goliath's 247 lines cost 36 steps, not 247 × 7.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import comb

_ONE = Fraction(1)

# Named full-cover systems: legs required, and the sizes covered. The names "with
# singles" (Patent, Lucky 15/31/63) add the k = 1 lines to their plain counterparts.
NAMED_SYSTEMS: dict[str, tuple[int, tuple[int, ...]]] = {
    "trixie": (3, (2, 3)),
    "patent": (3, (1, 2, 3)),
    "yankee": (4, (2, 3, 4)),
    "lucky15": (4, (1, 2, 3, 4)),
    "canadian": (5, (2, 3, 4, 5)),
    "lucky31": (5, (1, 2, 3, 4, 5)),
    "heinz": (6, (2, 3, 4, 5, 6)),
    "lucky63": (6, (1, 2, 3, 4, 5, 6)),
    "super_heinz": (7, (2, 3, 4, 5, 6, 7)),
    "goliath": (8, (2, 3, 4, 5, 6, 7, 8)),
}


def combinations_by_size(legs: int, sizes: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """``(k, C(n, k))`` for each size: how many lines of each size the system holds."""
    return tuple((k, comb(legs, k)) for k in sizes)


def symmetric_sums(factors: Sequence[Fraction], sizes: Sequence[int]) -> tuple[Fraction, ...]:
    """``e_k(factors)`` for each ``k`` in ``sizes``: the return per unit of each size's lines.

    Exact: the table is built on integer numerators over one common denominator (the
    product of the factors' denominators), so no ``Fraction`` is normalised until the end.
    """
    top = max(sizes)
    # e[j] holds e_j of the factors seen so far, scaled by the product of their denominators.
    e = [1] + [0] * top
    scale = 1
    for factor in factors:
        num, den = factor.numerator, factor.denominator
        for j in range(top, 0, -1):
            e[j] = e[j] * den + e[j - 1] * num
        if den != 1:
            e[0] *= den
            scale *= den
    return tuple(Fraction(e[k], scale) for k in sizes)


def product(factors: Sequence[Fraction], stake: Fraction = _ONE) -> Fraction:
    """``stake × ∏ factors``, an accumulator's return, normalised once rather than per leg."""
    num, den = stake.numerator, stake.denominator
    for factor in factors:
        num *= factor.numerator
        den *= factor.denominator
    return Fraction(num, den)
