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

from dataclasses import dataclass

import numpy as np

from ..equilibria import REGIMES, TOL, is_cooperative
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


@dataclass
class FormatAnalysis:
    """Each format's outcome and each actor's utility, as arrays.

    ``actors`` = (row player, the bloc as one actor, members...). ``utility[mode]`` has shape
    ``(..., 3, len(actors))`` over ``FORMATS``; ``cooperates[mode]`` says whether each format
    reaches (C,C): shape ``(..., 2)`` for (bilateral, bloc), the bilateral entry meaning *every*
    bilateral game (``bilateral[mode]``, shape ``(..., n)``, per member).
    """

    actors: tuple
    members: tuple
    utility: dict
    bloc: dict
    bilateral: dict
    bloc_regime: np.ndarray
    bilateral_regime: np.ndarray
    accepts_bloc: dict
    power: dict

    def preferred(self, mode="repeated") -> np.ndarray:
        """Index into ``FORMATS`` of each actor's preferred format, shape ``(..., actors)``."""
        return _argmax_first(self.utility[mode], -2)

    def choice(self, mode="repeated") -> np.ndarray:
        """Index into ``FORMATS`` of the format the choice stage produces, shape ``(...)``."""
        u = self.utility[mode][..., 0]                          # the row player's
        u = np.where(np.stack([np.ones_like(self.accepts_bloc[mode])] * 2
                              + [self.accepts_bloc[mode]], -1), u, -np.inf)
        return _argmax_first(u, -1)


def _argmax_first(u, axis):
    """Index of the first entry within tolerance of the maximum along ``axis``."""
    u = np.asarray(u, dtype=float)
    top = u.max(axis, keepdims=True)
    tol = TOL * np.maximum(np.abs(np.where(np.isfinite(u), u, 0)).max(axis, keepdims=True), 1)
    return np.argmax(u >= top - tol, axis=axis)


def analyse(nums) -> FormatAnalysis:
    """Every format's outcome, every actor's utility, preferences inputs and power indices."""
    n = len(nums.members)
    game, bil = bloc_game(nums), bilateral_games(nums)
    d = nums.discount
    bloc_regime = game.regime(d)
    bil_regime = bil.regime(np.asarray(d)[..., None])
    stage_cc = game.pure_equilibria()[0] & game.accepts_cc()
    bil_stage = bil.pure_equilibria()[0] & bil.accepts_cc()
    bloc_coop = {"stage": stage_cc, "repeated": is_cooperative(bloc_regime) & game.accepts_cc(),
                 "deal": np.ones_like(stage_cc)}
    bil_coop = {"stage": bil_stage, "repeated": is_cooperative(bil_regime) & bil.accepts_cc(),
                "deal": np.ones_like(bil_stage)}
    utility, accepts = {}, {}
    for mode in MODES:
        u_sq = _totals_bloc(nums, np.zeros_like(bloc_coop[mode]))
        u_bil = _totals_bilateral(nums, bil_coop[mode])
        u_bloc = _totals_bloc(nums, bloc_coop[mode])
        shape = np.broadcast_shapes(u_sq.shape, u_bil.shape, u_bloc.shape)
        utility[mode] = np.stack([np.broadcast_to(x, shape) for x in (u_sq, u_bil, u_bloc)], -2)
        tol = TOL * np.maximum(np.abs(utility[mode]).max((-2, -1)), 1)[..., None]
        accepts[mode] = nums.rule.carries(u_bloc[..., 2:] >= u_sq[..., 2:] - tol, nums.shares)
    win = nums.rule.winning(nums.shares)
    power = {"shapley_shubik": shapley_shubik(win), "banzhaf": banzhaf(win),
             "banzhaf_absolute": banzhaf(win, normalised=False)}
    return FormatAnalysis(nums.players + nums.members, nums.members, utility,
                          bloc_coop, bil_coop, bloc_regime, bil_regime, accepts, power)


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
