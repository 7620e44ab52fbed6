"""The bloc-to-bloc game: two sides, each a bloc of members acting by its rule.

A *side* is the members' own views of the 2x2 game (``M[own action, other side's action]``,
shape ``(..., n, 2, 2)``, utilities after relative gains), their shares and the side's
:class:`~sim.blocs.rules.Rule`. A unitary player is a side with one member. Every test of the
two-player analysis (:mod:`sim.equilibria`) is a comparison of C with D by each player; here each
side's answer is its rule applied to its members' answers (see :mod:`sim.blocs.rules`), and the
regime is classified by :func:`sim.equilibria.classify`, the rule order of
:func:`sim.equilibria.regime`. The members' repeated-game conditions are :mod:`sim.equilibria`'s
own: per named profile one interval of δ per member (grim trigger: Friedman 1971; TFT: Axelrod
& Hamilton 1981; WSLS: Nowak & Sigmund 1993); and for the regime, the exact criterion "(C,C)
played forever is a subgame-perfect outcome at δ": each member's threshold is its per-player
threshold of :func:`sim.equilibria.forever_threshold` (``spe``: the harsher of Nash reversion,
Friedman 1971, and the optimal penal code, Abreu 1988) in its two-player game with each member
of the other side, the largest over those members (it must be deterred whichever of them
punishes). The side sustains (C,C) at δ iff the members whose threshold is at most δ carry its
rule: under consensus the side's threshold is the members' largest, under a quota their
weighted quantile at ``q``, under a leader the leader's. A one-member side is the player.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from ..equilibria import (TOL, classify, condition_interval, forever_threshold,
                          profile_conditions, tolerance)
from ..games import trps
from .rules import Rule, best_reply_c, best_reply_d, complies

#: Which action each condition of a profile asks of the player (order of
#: :func:`sim.equilibria.profile_conditions`): grim — stay with C on the path, keep to D in the
#: punishment; TFT — stay with C against defecting forever and against alternating; WSLS — stay
#: with C on the path, play D after a mismatch.
PRESCRIBED = {"grim": ("C", "D"), "tft": ("C", "C"), "wsls": ("C", "D")}


@dataclass(frozen=True)
class Side:
    """A side of the game: members' own views ``(..., n, 2, 2)``, shares ``(..., n)``, rule."""

    views: np.ndarray
    shares: np.ndarray
    rule: Rule

    @classmethod
    def player(cls, view) -> "Side":
        """A unitary player with own view ``(..., 2, 2)``."""
        view = np.asarray(view, dtype=float)
        return cls(view[..., None, :, :], np.ones(view.shape[:-2] + (1,)), Rule("consensus"))

    @cached_property
    def tol(self) -> np.ndarray:
        """Each member's tie tolerance (:mod:`sim.equilibria`'s, on its own view)."""
        return tolerance(self.views)

    def letters(self):
        return trps(self.views)

    # -- stage ---------------------------------------------------------------------------------
    def best_replies(self):
        """``(C vs C, D vs C, C vs D, D vs D)``: is the action a best reply to the other's."""
        T, R, P, S = self.letters()
        tol, w = self.tol, self.shares
        return (best_reply_c(self.rule, R, T, tol, w), best_reply_d(self.rule, R, T, tol, w),
                best_reply_c(self.rule, S, P, tol, w), best_reply_d(self.rule, S, P, tol, w))

    def prefers_cc(self):
        """The side prefers (C,C) to (D,D): the members strictly preferring it carry the rule."""
        T, R, P, S = self.letters()
        return self.rule.carries(R > P + self.tol, self.shares)

    def accepts_cc(self):
        """The side accepts (C,C) over the status quo (D,D): the members weakly preferring it
        carry the rule."""
        T, R, P, S = self.letters()
        return self.rule.carries(R >= P - self.tol, self.shares)

    # -- repeated ------------------------------------------------------------------------------
    def intervals(self, profile):
        """``(lo, hi)`` of each member's conditions, shape ``(k, ..., n)``."""
        a, b = profile_conditions(profile, self.views)
        return condition_interval(a, b, self.tol)

    def complies(self, profile, discount, slack=TOL):
        """Boolean ``(...)``: the side follows ``profile`` at δ (``discount`` broadcasts).
        A member's condition holds within ``slack`` of its interval, as in
        :func:`sim.equilibria.sustained` (thresholds are found with ``slack = 0``, as in
        :func:`sim.equilibria.threshold`)."""
        lo, hi = self.intervals(profile)
        d = np.asarray(discount, dtype=float)[..., None]
        ok = [complies(self.rule, (d >= l - slack) & (d <= h + slack), p, self.shares)
              for l, h, p in zip(lo, hi, PRESCRIBED[profile])]
        return np.logical_and(*np.broadcast_arrays(*ok))


def _candidates(sides, profile):
    """Candidate thresholds: 0 and every member's lower ends, shape ``(..., c)``."""
    parts = []
    for s in sides:
        lo = np.moveaxis(s.intervals(profile)[0], 0, -2)          # (..., k, n)
        parts.append(lo.reshape(lo.shape[:-2] + (-1,)))
    shape = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
    c = np.concatenate([np.zeros(shape + (1,))]
                       + [np.broadcast_to(p, shape + p.shape[-1:]) for p in parts], -1)
    return np.where(c < 1, c, np.inf)


def side_threshold(profile, *sides):
    """Smallest δ in [0, 1) at which every side in ``sides`` follows ``profile``; ``nan`` if
    none. Exact: compliance changes only at members' interval ends, so the smallest δ is 0 or
    some member's lower end (each candidate is checked; a loop over candidates, not points)."""
    c = _candidates(sides, profile)
    ok = np.stack([np.all([s.complies(profile, x, 0.0) for s in sides], axis=0) & np.isfinite(x)
                   for x in np.moveaxis(c, -1, 0)], -1)
    best = np.where(ok, c, np.inf).min(-1)
    return np.where(np.isfinite(best), best, np.nan)


@dataclass(frozen=True)
class BlocGame:
    """The 2x2 game between a row side and a column side (either may be a unitary player)."""

    row: Side
    column: Side

    def pure_equilibria(self):
        """``(CC, CD, DC, DD)`` booleans: each side's action is a best reply to the other's."""
        rc_c, rd_c, rc_d, rd_d = self.row.best_replies()
        cc_c, cd_c, cc_d, cd_d = self.column.best_replies()
        return (rc_c & cc_c, rc_d & cd_c, rd_c & cc_d, rd_d & cd_d)

    def sustained(self, profile, discount):
        return self.row.complies(profile, discount) & self.column.complies(profile, discount)

    def threshold(self, profile):
        """``(3, ...)``: row's, column's and the joint threshold of ``profile`` (as
        :func:`sim.equilibria.threshold`)."""
        return np.stack(np.broadcast_arrays(side_threshold(profile, self.row),
                                            side_threshold(profile, self.column),
                                            side_threshold(profile, self.row, self.column)))

    def accepts_cc(self):
        return self.row.accepts_cc() & self.column.accepts_cc()

    def forever_thresholds(self, punishment="spe"):
        """Each member's threshold for (C,C) played forever, ``(row (..., n_row), column (...,
        n_column))``: its per-player :func:`sim.equilibria.forever_threshold` in the two-player
        game with each member of the other side, the largest over those members."""
        X = self.row.views[..., :, None, :, :]
        Y = np.swapaxes(self.column.views, -1, -2)[..., None, :, :, :]
        if punishment == "spe":              # the same criterion, compiled per distinct game
            from ..equilibria_kernel import forever_threshold as compiled

            lo = compiled(X, Y)
        else:
            lo = forever_threshold(X, Y, punishment)
        return lo[0].max(-1), lo[1].max(-2)

    def sustains_forever(self, discount, punishment="spe"):
        """Boolean: (C,C) played forever is sustained at δ: on each side the members whose
        threshold is at most δ (within ``TOL``, as :func:`sim.equilibria.sustained`) carry its
        rule."""
        d = np.asarray(discount, dtype=float)[..., None]
        return np.logical_and(*(s.rule.carries(d >= lo - TOL, s.shares) for s, lo in
                                zip((self.row, self.column), self.forever_thresholds(punishment))))

    def batch_shape(self, *others) -> tuple:
        """The broadcast shape of the game's points (and of ``others``)."""
        parts = [s.views.shape[:-3] for s in (self.row, self.column)]
        parts += [s.shares.shape[:-1] for s in (self.row, self.column)]
        parts += [np.shape(s.rule.quota) for s in (self.row, self.column)]
        return np.broadcast_shapes(*parts, *(np.shape(o) for o in others))

    def subset(self, mask) -> "BlocGame":
        """The game at the points where ``mask`` (a boolean array of the batch shape) holds, as
        a flat batch (so that costly conditions are evaluated only where they decide)."""
        shape = self.batch_shape(mask)
        mask = np.broadcast_to(mask, shape)

        def take(side):
            n = side.views.shape[-3]
            quota = np.asarray(side.rule.quota)
            rule = side.rule if quota.ndim == 0 else \
                replace(side.rule, quota=np.broadcast_to(quota, shape)[mask])
            return Side(np.broadcast_to(side.views, shape + (n, 2, 2))[mask],
                        np.broadcast_to(side.shares, shape + (n,))[mask], rule)

        return BlocGame(take(self.row), take(self.column))

    def cooperates(self, discount, where=True, punishment="spe"):
        """Boolean: (C,C) is an equilibrium outcome at δ — a stage equilibrium, or (C,C) played
        forever sustained (:meth:`sustains_forever`); that is, the regime is cooperative
        (:func:`sim.equilibria.is_cooperative` of :meth:`regime`). Only asked where ``where``
        holds (False elsewhere), and the repeated-game criterion only where (C,C) is not a stage
        equilibrium: the same answer as the regime's, without its cost where it cannot decide."""
        cc = self.pure_equilibria()[0]
        shape = self.batch_shape(discount, where)
        need = np.broadcast_to(where, shape) & ~np.broadcast_to(cc, shape)
        out = np.broadcast_to(cc, shape) & np.broadcast_to(where, shape)
        if need.any():
            out = np.array(out)
            d = np.broadcast_to(np.asarray(discount, dtype=float), shape)[need]
            out[need] = self.subset(need).sustains_forever(d, punishment)
        return out

    def regime(self, discount, punishment="spe"):
        """Regime code (into ``REGIMES``): :func:`sim.equilibria.classify` of the sides' stage
        answers and :meth:`sustains_forever` (as :func:`sim.equilibria.regime`)."""
        cc, cd, dc, dd = self.pure_equilibria()
        n_prefer = self.row.prefers_cc().astype(int) + self.column.prefers_cc()
        return classify(cc, cd, dc, dd, n_prefer, self.sustains_forever(discount, punishment))
