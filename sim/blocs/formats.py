"""Formats of cooperation: bloc to bloc, bilateral, or the status quo — each actor's utility in
each, the format each prefers, and the format a choice stage produces.

For the same underlying stakes (:mod:`sim.scenario.blocs`):

* **bloc format** — one game between the row player (NATO) and the bloc, which acts by its
  rule (:mod:`sim.blocs.game`). The row player compares itself with the bloc as a whole, as in
  the two-player game; each member *m* with the rival and, optionally, a named member of its own
  bloc: ``u_m = π_m − r_m Σ_j s_mj π_j`` (Snidal 1991).
* **bilateral format** — the row player plays a separate game with each member, with that
  member's own payoffs. It compares itself with the average of the ``n`` members, so its weight
  on one partner is ``r / n`` (Snidal's ``r/(n−1)`` for ``n + 1`` actors, report 2.4); and when
  a member cooperates bilaterally the control holder (Russia) loses that member's part of its
  control (report 2.3 (1), 3.2). The games are separable: each actor's utility is additive
  over them, so each is solved on its own.
* **status quo** — (D,D): the zero of every factor (MODEL-NOTES).

**Outcome of a format.** Its parties reach (C,C) iff it is an equilibrium outcome and every
party accepts it over the status quo (weakly prefers (C,C) to (D,D); a bloc by its rule): in
the *stage* game iff (C,C) is a Nash equilibrium; in the *repeated* game at δ iff the regime is
cooperative (harmony, coordination or reciprocity: grim trigger or WSLS sustain it). Otherwise
the status quo persists. Utilities are normalised repeated payoffs, ``(1−δ) Σ δ^t u_t``, equal
to the stage utility of the stationary outcome.

**Preferred format** of an actor: the one with the highest equilibrium utility (ties to the
status quo, then bilateral). **Format choice** (backward induction): the row player proposes
the format with its highest utility among those that happen; the bloc format happens only if
the bloc accepts it by its rule (the members who weakly prefer its outcome to the status quo
carry the rule — under consensus any member, Russia included, can refuse); in the bilateral
format each member decides for itself, in its own game.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cached_property

import numpy as np

from ..equilibria import REGIMES, TOL
from ..preferences import effective_weight
from .game import BlocGame, Side
from .power import banzhaf, shapley_shubik

FORMATS = ("status quo", "bilateral", "bloc")
MODES = ("stage", "repeated", "deal")
CC, DD = (0, 0), (1, 1)


def _member_utility(compare, r_members, pi_row, pi_members):
    """Members' Snidal utilities ``(..., n)`` from material payoffs (row ``(...)``, members
    ``(..., n)``), each comparing with the rival (column 0 of ``compare``) and its named
    members: ``u_m = π_m − r_m Σ_j s_mj π_j`` (Snidal 1991), as
    :func:`sim.preferences.comparison_utility` on the actors (rival, members...) — written
    here as one matrix product so that a constant ``compare`` is not copied over a grid."""
    n = pi_members.shape[-1]
    base = np.broadcast_shapes(np.shape(pi_row), pi_members.shape[:-1])
    pi = np.concatenate([np.broadcast_to(pi_row, base)[..., None],
                         np.broadcast_to(pi_members, base + (n,))], -1)
    return pi_members - r_members * (compare @ pi[..., None])[..., 0]


def bloc_game(nums) -> BlocGame:
    """The bloc-format game: the row player against the bloc acting by its rule."""
    U = nums.A - nums.r_row[..., None, None] * nums.P.sum(-3)
    u = _member_utility(nums.compare[..., None, None, :, :], nums.r_members[..., None, None, :],
                        nums.A, np.moveaxis(nums.P, -3, -1))           # (..., row, bloc, n)
    views = np.swapaxes(np.moveaxis(u, -1, -3), -1, -2)            # (..., n, bloc, row)
    return BlocGame(Side.player(U), Side(views, nums.shares, nums.rule))


def bilateral_games(nums) -> BlocGame:
    """The ``n`` bilateral games at once (member axis before the 2x2 axes)."""
    n = len(nums.members)
    r = effective_weight(nums.r_row_nominal, n + 1)[..., None, None, None]
    E = np.zeros((2, 2))
    E[CC] = 1.0
    lost = nums.loss[..., None, None] * E                          # (..., n, 2, 2)
    U = nums.A_bil - r * (nums.P_bil - lost)
    s_holder = (np.take(nums.compare, 1 + nums.holder, -1) if nums.holder is not None
                else np.zeros(nums.compare.shape[:-1]))
    V = nums.P_bil - nums.r_members[..., None, None] * (
        nums.compare[..., 0][..., None, None] * nums.A_bil - s_holder[..., None, None] * lost)
    return BlocGame(Side.player(U), Side.player(np.swapaxes(V, -1, -2)))


class FormatAnalysis:
    """Each format's outcome and each actor's utility, as arrays, computed per mode on first
    use (a map that asks for the repeated game alone never computes the others).

    ``actors`` = (row player, the bloc as one actor, members...). ``utility[mode]`` has shape
    ``(..., 3, len(actors))`` over ``FORMATS``; ``bloc[mode]`` says whether the bloc format
    reaches (C,C), ``bilateral[mode]`` (shape ``(..., n)``) each bilateral game;
    ``accepts_bloc[mode]``: the bloc accepts the bloc format by its rule. ``bloc_regime`` and
    ``bilateral_regime`` are the regime codes, ``power`` the members' voting power.
    """

    def __init__(self, nums):
        self.nums = nums
        self.actors = nums.players + nums.members
        self.members = nums.members
        self.game, self.bil = bloc_game(nums), bilateral_games(nums)
        self.bloc = _PerMode(self._bloc_outcome)
        self.bilateral = _PerMode(self._bilateral_outcome)
        self.utility = _PerMode(lambda mode: self._mode(mode)[0])
        self.accepts_bloc = _PerMode(lambda mode: self._mode(mode)[1])
        self._modes = {}

    @cached_property
    def bloc_regime(self) -> np.ndarray:
        return self.game.regime(self.nums.discount)

    @cached_property
    def bilateral_regime(self) -> np.ndarray:
        return self.bil.regime(np.asarray(self.nums.discount)[..., None])

    @cached_property
    def power(self) -> dict:
        """Shapley–Shubik and Banzhaf indices of the members, ``(..., n)`` each."""
        return power_indices(self.nums.rule, self.nums.shares)

    def _outcome(self, game, mode, discount):
        accepts = game.accepts_cc()
        if mode == "stage":
            return game.pure_equilibria()[0] & accepts
        if mode == "repeated":
            return game.cooperates(discount, accepts)
        return np.ones_like(accepts)

    def _bloc_outcome(self, mode):
        return self._outcome(self.game, mode, self.nums.discount)

    def _bilateral_outcome(self, mode):
        return self._outcome(self.bil, mode, np.asarray(self.nums.discount)[..., None])

    def _mode(self, mode):
        if mode not in self._modes:
            if mode not in MODES:
                raise KeyError(mode)
            nums = self.nums
            bloc = self.bloc[mode]
            u_sq = _totals_bloc(nums, np.zeros_like(bloc))
            u_bil = _totals_bilateral(nums, self.bilateral[mode])
            u_bloc = _totals_bloc(nums, bloc)
            shape = np.broadcast_shapes(u_sq.shape, u_bil.shape, u_bloc.shape)
            u = np.stack([np.broadcast_to(x, shape) for x in (u_sq, u_bil, u_bloc)], -2)
            tol = TOL * np.maximum(np.abs(u).max((-2, -1)), 1)[..., None]
            accepts = nums.rule.carries(u_bloc[..., 2:] >= u_sq[..., 2:] - tol, nums.shares)
            self._modes[mode] = (u, accepts)
        return self._modes[mode]

    def preferred(self, mode="repeated") -> np.ndarray:
        """Index into ``FORMATS`` of each actor's preferred format, shape ``(..., actors)``."""
        return _argmax_first(self.utility[mode], -2)

    def choice(self, mode="repeated") -> np.ndarray:
        """Index into ``FORMATS`` of the format the choice stage produces, shape ``(...)``."""
        u = self.utility[mode][..., 0]                          # the row player's
        u = np.where(np.stack([np.ones_like(self.accepts_bloc[mode])] * 2
                              + [self.accepts_bloc[mode]], -1), u, -np.inf)
        return _argmax_first(u, -1)


class _PerMode(Mapping):
    """A read-only mapping mode → array, each computed on first access."""

    def __init__(self, compute):
        self._compute, self._values = compute, {}

    def __getitem__(self, mode):
        if mode not in MODES:
            raise KeyError(mode)
        if mode not in self._values:
            self._values[mode] = self._compute(mode)
        return self._values[mode]

    def __iter__(self):
        return iter(MODES)

    def __len__(self):
        return len(MODES)


def power_indices(rule, shares) -> dict:
    """Shapley–Shubik and Banzhaf (normalised, absolute) indices ``(..., n)`` under ``rule``,
    computed once per distinct (shares, quota) vector of the batch (:mod:`sim.blocs.power`):
    power depends on the map's axes only where an axis is a share or the quota."""
    shares = np.asarray(shares, dtype=float)
    n = shares.shape[-1]
    quota = np.asarray(rule.quota, dtype=float) if rule.kind == "quota" else np.zeros(())
    batch = np.broadcast_shapes(shares.shape[:-1], quota.shape)
    flat = np.concatenate([np.broadcast_to(shares, batch + (n,)).reshape(-1, n),
                           np.broadcast_to(quota, batch).reshape(-1, 1)], 1)
    distinct, inverse = np.unique(flat, axis=0, return_inverse=True)
    win = replace(rule, quota=distinct[:, -1]).winning(distinct[:, :-1])
    found = {"shapley_shubik": shapley_shubik(win), "banzhaf": banzhaf(win),
             "banzhaf_absolute": banzhaf(win, normalised=False)}
    return {k: v[inverse.ravel()].reshape(batch + (n,)) for k, v in found.items()}


def _argmax_first(u, axis):
    """Index of the first entry within tolerance of the maximum along ``axis``."""
    u = np.asarray(u, dtype=float)
    top = u.max(axis, keepdims=True)
    tol = TOL * np.maximum(np.abs(np.where(np.isfinite(u), u, 0)).max(axis, keepdims=True), 1)
    return np.argmax(u >= top - tol, axis=axis)


def analyse(nums) -> FormatAnalysis:
    """Every format's outcome, every actor's utility, preferences inputs and power indices."""
    return FormatAnalysis(nums)


def _pick(X, cooperate):
    """``X[..., CC]`` where ``cooperate`` else ``X[..., DD]``."""
    return np.where(cooperate, X[..., 0, 0], X[..., 1, 1])


def _totals_bloc(nums, cooperate):
    """Utilities ``(..., 2 + n)`` at (C,C) where ``cooperate``, else at (D,D), in the bloc game."""
    pi_row = _pick(nums.A, cooperate)
    pi_m = _pick(nums.P, np.asarray(cooperate)[..., None])
    return _utilities(nums, pi_row, pi_m, nums.r_row)


def _totals_bilateral(nums, cooperate):
    """Utilities ``(..., 2 + n)`` when member *m*'s bilateral game ends at (C,C) iff
    ``cooperate[..., m]``; the control holder loses ``loss_m`` for each such member."""
    n = len(nums.members)
    pi_row = _pick(nums.A_bil, cooperate).sum(-1)
    pi_m = _pick(nums.P_bil, cooperate)
    if nums.holder is not None:
        lost = (nums.loss * cooperate).sum(-1)
        pi_m = pi_m - lost[..., None] * (np.arange(n) == nums.holder)
    return _utilities(nums, pi_row, pi_m, effective_weight(nums.r_row_nominal, n + 1))


def _utilities(nums, pi_row, pi_m, r_row):
    total = pi_m.sum(-1)
    u_row = pi_row - r_row * total
    u_bloc = total - nums.r_column * pi_row
    u_m = _member_utility(nums.compare, nums.r_members, pi_row, pi_m)
    u_row, u_bloc = np.broadcast_arrays(u_row, u_bloc, u_m[..., 0])[:2]
    return np.concatenate([u_row[..., None], u_bloc[..., None], u_m], -1)


def regime_name(code) -> str:
    return REGIMES[int(code)]
