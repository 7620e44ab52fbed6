"""Decision rules: how a bloc turns its members' preferences into the bloc's choice.

The bloc chooses between C (engage the rival bloc) and D (decline) — D is the default, the
status quo. A rule says which coalitions of members *carry* C:

* ``consensus`` — every member (the CSTO's own rule: "decisions can only be made by consensus",
  report 2.1; foreign deployments "would have to be approved by all CSTO members", 2.3 (4));
  each member has a veto whatever its share.
* ``quota`` — the members for C carry at least the share ``q`` in (0, 1] (a weighted majority
  game ``[q; w]``, von Neumann & Morgenstern 1944; Felsenthal & Machover 1998).
* ``leader`` — one member decides (a dictator game; Bordyuzha's "Russia's voice is more
  significant", report 2.1, taken to the limit).

**From member preferences to the bloc's choice.** Each question the bloc faces is a comparison of
C with D, and each member *m* has a score ``x_m`` (its utility from C minus from D, Snidal-
weighted; see :mod:`sim.blocs.formats`). With ``tol_m`` the member's tie tolerance:

* C is a *best reply* of the bloc iff the members with ``x_m >= −tol_m`` (who weakly prefer C)
  form a winning coalition;
* D is a *best reply* iff the members with ``x_m > tol_m`` (who strictly prefer C) do not.

For one member these are exactly a player's weak best replies, so a one-member bloc is a player.

**Repeated game.** A strategy profile asks the bloc for C at some histories and for D at others,
and each member's incentive condition at each is linear in δ, ``a_m + b_m δ >= 0``, and holds on
an interval of discount factors (:mod:`sim.equilibria`). The bloc complies at δ

* with a prescribed **C** iff the members whose condition holds form a winning coalition;
* with a prescribed **D** iff the members whose condition fails (who would rather play C) do not.

So under consensus the bloc sustains (C,C) on the path only at a δ where *every* member's
condition holds — its threshold is the largest of the members' — and under a quota at a δ where
the members whose conditions hold carry the quota — its threshold is the smallest δ at which the
share of members with threshold ``<= δ`` reaches ``q`` (a weighted quantile). A punishment by
(D,D) is credible for the bloc unless the members who would break it carry the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .power import QUOTA_TOL, coalitions, weighted_winning

RULES = ("consensus", "quota", "leader")


@dataclass(frozen=True)
class Rule:
    """A decision rule: ``kind`` in ``RULES``; ``quota`` (a number or array in (0, 1]) for
    ``quota``; ``leader`` (the member's index) for ``leader``."""

    kind: str = "consensus"
    quota: object = 1.0
    leader: int = 0

    def __post_init__(self):
        if self.kind not in RULES:
            raise ValueError(f"unknown rule {self.kind!r}; allowed: {', '.join(RULES)}")

    def carries(self, holds, shares) -> np.ndarray:
        """Boolean ``(...)``: the members with ``holds`` (``(..., n)``) carry the decision."""
        holds = np.asarray(holds, dtype=bool)
        if self.kind == "consensus":
            return holds.all(-1)
        if self.kind == "leader":
            return holds[..., self.leader]
        share = sum_in_order(np.where(holds, np.asarray(shares, dtype=float), 0.0))
        return share >= np.asarray(self.quota, dtype=float) - QUOTA_TOL

    def winning(self, shares) -> np.ndarray:
        """Boolean ``(..., 2^n)``: which coalitions win (for :mod:`sim.blocs.power`)."""
        shares = np.asarray(shares, dtype=float)
        n = shares.shape[-1]
        if self.kind == "quota":
            return weighted_winning(shares, self.quota)
        M = coalitions(n)
        win = M.all(1) if self.kind == "consensus" else M[:, self.leader]
        return np.broadcast_to(win, shares.shape[:-1] + win.shape)


def sum_in_order(x, axis=-1) -> np.ndarray:
    """``Σ`` of ``x`` along ``axis``, term by term in index order: the rounding the compiled
    format kernel (:mod:`sim.blocs.formats_kernel`) reproduces, whatever the layout (numpy's own
    ``sum`` adds eight or more terms pairwise, in an order that depends on the memory layout)."""
    x = np.moveaxis(np.asarray(x, dtype=float), axis, 0)
    total = x[0]
    for term in x[1:]:
        total = total + term
    return total


def best_reply_c(rule: Rule, c_value, d_value, tol, shares) -> np.ndarray:
    """C is a best reply of the bloc: the members weakly preferring C
    (``c_value >= d_value − tol``) carry the rule."""
    return rule.carries(np.asarray(c_value) >= np.asarray(d_value) - tol, shares)


def best_reply_d(rule: Rule, c_value, d_value, tol, shares) -> np.ndarray:
    """D is a best reply of the bloc: the members strictly preferring C (those for whom D is
    not weakly best, ``d_value >= c_value − tol`` fails) do not carry the rule."""
    return ~rule.carries(~(np.asarray(d_value) >= np.asarray(c_value) - tol), shares)


def complies(rule: Rule, holds, prescribed: str, shares) -> np.ndarray:
    """The bloc follows a prescribed action given which members' conditions ``hold``."""
    if prescribed == "C":
        return rule.carries(holds, shares)
    return ~rule.carries(~np.asarray(holds, dtype=bool), shares)
