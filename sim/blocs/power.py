"""Voting power of a bloc's members: Shapley–Shubik and Banzhaf indices, exact and vectorised.

A decision rule is a *simple game*: a coalition of members either carries the bloc's decision
(wins) or not. The rules of :mod:`sim.blocs.rules` are weighted games ``[q; w_1, ..., w_n]``
(a coalition wins iff its share is at least the quota ``q``), unanimity (every member, whatever
its share) and a dictator (the leader). Every index here is computed exactly by enumerating the
``2^n`` coalitions as one array operation (``n <= MAX_MEMBERS``), broadcasting over leading axes
of shares and quotas, so a map over quotas and shares is one call.

* **Shapley–Shubik** (Shapley & Shubik 1954): member *i*'s share of the ``n!`` orderings in which
  it is pivotal, ``φ_i = Σ_{S ∌ i} |S|! (n − |S| − 1)! / n! · [S ∪ i wins, S loses]``; the indices
  sum to 1.
* **Banzhaf** (Banzhaf 1965; Penrose 1946): the number ``η_i`` of coalitions ``S ∌ i`` for which
  *i* is a swing. The *absolute* (Penrose–Banzhaf) index is ``η_i / 2^(n−1)``, the probability
  that *i* is decisive when the others vote independently at random; the *normalised* index is
  ``η_i / Σ_j η_j`` (Felsenthal & Machover 1998, ch. 3).

Both are monotone in weight within one game (a member with a larger share has at least the power
of one with a smaller share), but not under redistribution: a member's power can fall when its
own share rises (the paradox of redistribution, Fischer & Schotter 1978).
"""

from __future__ import annotations

from functools import lru_cache
from math import factorial

import numpy as np

#: Largest bloc for exact enumeration (2^n coalitions per point).
MAX_MEMBERS = 16
#: Coalition shares within this of the quota count as reaching it (shares are rounded numbers).
QUOTA_TOL = 1e-12


@lru_cache(maxsize=None)
def coalitions(n: int) -> np.ndarray:
    """Boolean ``(2^n, n)``: row ``c`` is coalition ``c`` (bit ``i`` set: member *i* is in)."""
    if not 1 <= n <= MAX_MEMBERS:
        raise ValueError(f"a bloc needs 1 to {MAX_MEMBERS} members for exact power indices, "
                         f"got {n}")
    c = np.arange(2 ** n)
    return ((c[:, None] >> np.arange(n)) & 1).astype(bool)


def weighted_winning(shares, quota) -> np.ndarray:
    """Boolean ``(..., 2^n)``: coalition wins in ``[q; w]`` iff its share is at least ``q``."""
    w = np.asarray(shares, dtype=float)
    q = np.asarray(quota, dtype=float)[..., None]
    total = w @ coalitions(w.shape[-1]).T.astype(float)
    return total >= q - QUOTA_TOL


def _swings(winning: np.ndarray, n: int) -> np.ndarray:
    """Boolean ``(..., 2^n, n)``: member *i* is a swing for coalition ``c ∌ i``."""
    M = coalitions(n)
    with_i = np.arange(2 ** n)[:, None] | (1 << np.arange(n))[None, :]    # c ∪ {i}
    return (~M) & winning[..., with_i] & ~winning[..., :, None]


@lru_cache(maxsize=None)
def _shapley_weights(n: int) -> np.ndarray:
    """``|S|! (n − |S| − 1)! / n!`` per coalition ``S`` (for ``S ∌ i``), shape ``(2^n,)``."""
    size = coalitions(n).sum(1)
    w = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) if s < n else 0.0
                  for s in range(n + 1)])
    return w[size]


def shapley_shubik(winning) -> np.ndarray:
    """Shapley–Shubik (1954) index ``(..., n)`` of a simple game given by its winning coalitions
    ``(..., 2^n)`` (boolean, coalition ``c`` has member *i* iff bit *i* of ``c`` is set)."""
    winning = np.asarray(winning, dtype=bool)
    n = int(np.log2(winning.shape[-1]))
    return np.einsum("...ci,c->...i", _swings(winning, n), _shapley_weights(n))


def banzhaf(winning, normalised: bool = True) -> np.ndarray:
    """Banzhaf index ``(..., n)``: normalised ``η_i / Σ η_j`` (0 where no one is ever a swing)
    or absolute ``η_i / 2^(n−1)`` (Banzhaf 1965; Felsenthal & Machover 1998)."""
    winning = np.asarray(winning, dtype=bool)
    n = int(np.log2(winning.shape[-1]))
    eta = _swings(winning, n).sum(-2).astype(float)
    if not normalised:
        return eta / 2 ** (n - 1)
    total = eta.sum(-1, keepdims=True)
    return np.divide(eta, total, out=np.zeros_like(eta), where=total > 0)
