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
from .rules import sum_in_order

FORMATS = ("status quo", "bilateral", "bloc")
MODES = ("stage", "repeated", "deal")
CC, DD = (0, 0), (1, 1)


def _snidal(own, compare, r, refs, outcomes=False):
    """Snidal (1991) utilities ``u_i = π_i − r_i Σ_j s_ij π_j`` ``(..., k)`` from own material
    payoffs ``(..., k)``, comparison weights ``(..., k, c)`` and the compared actors' payoffs
    ``refs`` ``(..., c)`` (with ``outcomes``, ``(..., 2, 2, k)`` and ``(..., 2, 2, c)`` over the
    four outcomes, the weights per point), as :func:`sim.preferences.comparison_utility`. The
    weights are never copied over a grid; the sum runs over ``j`` in order
    (:func:`_compared`)."""
    compare = np.asarray(compare)
    if outcomes:
        compare = compare[..., None, None, :, :]
    return own - r * _compared(compare, refs)


def _compared(compare, refs):
    """``Σ_j s_ij π_j`` ``(..., k)``, term by term in ``j`` order (the order of the compiled
    kernel, :mod:`sim.blocs.formats_kernel`)."""
    total = compare[..., 0] * refs[..., None, 0]
    for j in range(1, compare.shape[-1]):
        total = total + compare[..., j] * refs[..., None, j]
    return total


def _refs(*parts):
    """The compared actors' payoffs ``(..., c)``: scalars per point and per-member arrays
    ``(..., m)`` concatenated (broadcast to one shape)."""
    parts = [np.asarray(p)[..., None] if scalar else np.asarray(p) for p, scalar in parts]
    base = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
    return np.concatenate([np.broadcast_to(p, base + p.shape[-1:]) for p in parts], -1)


def _member_utility(nums, pi_row, pi_m):
    """The bloc's members' utilities ``(..., n)``, each comparing with the rival (column 0 of
    ``compare``) and its named members."""
    return _snidal(pi_m, nums.compare, nums.r_members, _refs((pi_row, True), (pi_m, False)))


def _row_member_utility(nums, pi_m, pi_rows, r):
    """The row side's members' utilities ``(..., k)``, each comparing with the rival bloc as a
    whole, its named members and named members of its own side."""
    return _snidal(pi_rows, nums.row_compare, r,
                   _refs((sum_in_order(pi_m), True), (pi_m, False), (pi_rows, False)))


def _outcomes(X):
    """``X`` ``(..., m, 2, 2)`` with its outcomes as leading batch axes ``(..., 2, 2, m)``."""
    return np.moveaxis(X, -3, -1)


def _views(u):
    """Own views ``(..., m, own action, other's action)`` from utilities ``(..., row action,
    bloc action, m)`` of the bloc's side."""
    return np.swapaxes(np.moveaxis(u, -1, -3), -1, -2)


def bloc_game(nums) -> BlocGame:
    """The bloc-format game: the row side (a player, or a bloc by its rule) against the bloc
    acting by its rule."""
    total = sum_in_order(nums.P, -3)
    u = _snidal(_outcomes(nums.P), nums.compare, nums.r_members[..., None, None, :],
                _refs((nums.A, True), (_outcomes(nums.P), False)), True)  # (..., row, bloc, n)
    column = Side(_views(u), nums.shares, nums.rule)
    if not nums.row_members:
        return BlocGame(Side.player(nums.A - nums.r_row[..., None, None] * total), column)
    rows = _snidal(_outcomes(nums.Q), nums.row_compare, nums.r_rows[..., None, None, :],
                   _refs((total, True), (_outcomes(nums.P), False), (_outcomes(nums.Q), False)),
                   True)
    return BlocGame(Side(np.moveaxis(rows, -1, -3), nums.row_shares, nums.row_rule), column)


def bilateral_games(nums) -> BlocGame:
    """The ``n`` bilateral games at once (member axis before the 2x2 axes); a row side with
    members plays each of them as a bloc by its rule."""
    E = np.zeros((2, 2))
    E[CC] = 1.0
    lost = nums.loss[..., None, None] * E                          # (..., n, 2, 2)
    s_holder = (np.take(nums.compare, 1 + nums.holder, -1) if nums.holder is not None
                else np.zeros(nums.compare.shape[:-1]))
    V = nums.P_bil - nums.r_members[..., None, None] * (
        nums.compare[..., 0][..., None, None] * nums.A_bil - s_holder[..., None, None] * lost)
    column = Side.player(np.swapaxes(V, -1, -2))
    if not nums.row_members:
        r = nums.r_rows_bil[..., 0][..., None, None, None]
        return BlocGame(Side.player(nums.A_bil - r * (nums.P_bil - lost)), column)
    # member k in the game with member m: its part of the row's payoff, less its weight times
    # what it compares with there: the rival's (and member m's) payoff net of the holder's
    # loss where it compares with the holder, and its own side's members' payoffs
    n = len(nums.members)
    s = nums.row_compare                                           # (..., k, 1 + n + k)
    s_rival = s[..., 0][..., None] + s[..., 1:1 + n]               # (..., k, n)
    s_loss = s[..., 0] + (s[..., 1 + nums.holder] if nums.holder is not None else 0.0)
    Qb = np.moveaxis(nums.Q_bil, -4, -3)                           # (..., n, k, 2, 2)
    own = s[..., None, :, 1 + n, None, None] * Qb[..., :, :1, :, :]  # Σ_j s_kj Q_j, in order
    for j in range(1, len(nums.row_members)):
        own = own + s[..., None, :, 1 + n + j, None, None] * Qb[..., :, j:j + 1, :, :]
    r = nums.r_rows_bil[..., None, :, None, None]
    views = Qb - r * (np.swapaxes(s_rival, -1, -2)[..., None, None] * nums.P_bil[..., None, :, :]
                      - s_loss[..., None, :, None, None] * lost[..., None, :, :] + own)
    quota = np.asarray(nums.row_rule.quota)
    rule = nums.row_rule if quota.ndim == 0 else replace(nums.row_rule, quota=quota[..., None])
    return BlocGame(Side(views, nums.row_shares[..., None, :], rule), column)


class FormatAnalysis:
    """Each format's outcome and each actor's utility, as arrays, computed per mode on first
    use (a map that asks for the repeated game alone never computes the others).

    ``actors`` = (row player, the bloc as one actor, members..., the row side's members...).
    ``utility[mode]`` has shape ``(..., 3, len(actors))`` over ``FORMATS``; ``bloc[mode]`` says
    whether the bloc format reaches (C,C), ``bilateral[mode]`` (shape ``(..., n)``) each
    bilateral game; ``accepts_bloc[mode]``: the bloc accepts the bloc format by its rule.
    ``bloc_regime`` and ``bilateral_regime`` are the regime codes, ``power`` and
    ``row_power`` the members' voting power.
    """

    def __init__(self, nums):
        self.nums = nums
        self.actors = nums.players + nums.members + nums.row_members
        self.members = nums.members
        self.row_members = nums.row_members
        self.bloc = _PerMode(self._bloc_outcome)
        self.bilateral = _PerMode(self._bilateral_outcome)
        self.utility = _PerMode(self._utility)
        self.accepts_bloc = _PerMode(self._accepts)
        self._modes = {}

    @cached_property
    def game(self) -> BlocGame:
        """The bloc-format game (:func:`bloc_game`)."""
        return bloc_game(self.nums)

    @cached_property
    def bil(self) -> BlocGame:
        """The bilateral games (:func:`bilateral_games`)."""
        return bilateral_games(self.nums)

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

    @cached_property
    def row_power(self) -> dict:
        """The same for the row side's members (``(..., k)``; empty for a unitary row)."""
        return power_indices(self.nums.row_rule, self.nums.row_shares) \
            if self.row_members else {}

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

    def _totals(self, mode):
        """Per format (``FORMATS`` order), each actor group's utilities as thunks."""
        key = ("totals", mode)
        if key not in self._modes:
            if mode not in MODES:
                raise KeyError(mode)
            bloc = self.bloc[mode]
            self._modes[key] = [_totals_bloc(self.nums, np.zeros_like(bloc)),
                                _totals_bilateral(self.nums, self.bilateral[mode]),
                                _totals_bloc(self.nums, bloc)]
        return self._modes[key]

    def _part(self, mode, name, formats=(0, 1, 2)):
        """One actor group's utilities over ``formats``, at the group's own shape: ``row`` and
        ``bloc`` ``(..., f)``, ``members`` ``(..., f, n)``, ``rows`` ``(..., f, k)``."""
        key = (mode, name, formats)
        if key not in self._modes:
            xs = [self._totals(mode)[f][name]() for f in formats]
            shape = np.broadcast_shapes(*(x.shape for x in xs))
            self._modes[key] = np.stack([np.broadcast_to(x, shape) for x in xs],
                                        -1 if name in ("row", "bloc") else -2)
        return self._modes[key]

    def _accepts(self, mode):
        """The bloc accepts the bloc format: the members who weakly prefer its outcome to the
        status quo (tie tolerance at the scale of their utilities in the two) carry its rule."""
        u = self._part(mode, "members", (0, 2))
        tol = TOL * np.maximum(np.abs(u).max((-2, -1)), 1)[..., None]
        return self.nums.rule.carries(u[..., 1, :] >= u[..., 0, :] - tol, self.nums.shares)

    def _utility(self, mode):
        groups = [self._part(mode, "row")[..., None], self._part(mode, "bloc")[..., None],
                  self._part(mode, "members")]
        groups += [self._part(mode, "rows")] if self.row_members else []
        base = np.broadcast_shapes(*(g.shape[:-1] for g in groups))
        return np.concatenate([np.broadcast_to(g, base + g.shape[-1:]) for g in groups], -1)

    def preferred(self, mode="repeated", actor=None) -> np.ndarray:
        """Index into ``FORMATS`` of each actor's preferred format, shape ``(..., actors)``;
        of one actor (an index into ``actors``), shape ``(...)``, computed from its own
        utilities only."""
        if actor is None:
            return _argmax_first(self.utility[mode], -2)
        n = len(self.members)
        if actor < 2:
            return _argmax_first(self._part(mode, "row" if actor == 0 else "bloc"), -1)
        group, i = ("members", actor - 2) if actor < 2 + n else ("rows", actor - 2 - n)
        return _argmax_first(self._part(mode, group)[..., i], -1)

    def choice(self, mode="repeated") -> np.ndarray:
        """Index into ``FORMATS`` of the format the choice stage produces, shape ``(...)``.

        The row side proposes among the formats that happen (the status quo, bilateral deals
        and — where the bloc accepts it — the bloc format). A unitary row player proposes the
        one it prefers; a row bloc proposes the first format (in ``FORMATS`` order) that the
        members weakly preferring it carry by its rule against every other available one, and
        the status quo where none is carried. With one member the two agree."""
        accepts = self.accepts_bloc[mode]
        available = np.stack(np.broadcast_arrays(np.ones_like(accepts), np.ones_like(accepts),
                                                 accepts), -1)
        if not self.row_members:
            return _argmax_first(np.where(available, self._part(mode, "row"), -np.inf), -1)
        u = self._part(mode, "rows")                            # (..., 3, k)
        shape = np.broadcast_shapes(u.shape[:-1], available.shape)
        u, available = np.broadcast_to(u, shape + u.shape[-1:]), np.broadcast_to(available, shape)
        shown = np.where(available[..., None], np.abs(u), 0.0)
        tol = TOL * np.maximum(shown.max((-2, -1)), 1)[..., None]
        carried = []
        for f in range(len(FORMATS)):
            ok = available[..., f]
            for g in range(len(FORMATS)):
                if g != f:
                    weakly = u[..., f, :] >= u[..., g, :] - tol
                    ok = ok & (~available[..., g] | self.nums.row_rule.carries(
                        weakly, self.nums.row_shares))
            carried.append(ok)
        carried = np.stack(carried, -1)
        return np.where(carried.any(-1), np.argmax(carried, -1), 0)


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


class _CompiledAnalysis(FormatAnalysis):
    """:class:`FormatAnalysis` with each mode's outcomes, utilities, preferred formats and
    choice computed point by point by the compiled kernel (:mod:`sim.blocs.formats_kernel`),
    one call per mode; the same numbers, bit for bit. Regimes, games and power indices are the
    array model's."""

    def __init__(self, nums):
        super().__init__(nums)
        from .formats_kernel import evaluate

        self._compiled = _PerMode(lambda mode: evaluate(nums, mode))
        self.bloc = _PerMode(lambda mode: self._compiled[mode]["bloc"])
        self.bilateral = _PerMode(lambda mode: self._compiled[mode]["bilateral"])
        self.utility = _PerMode(lambda mode: self._compiled[mode]["utility"])
        self.accepts_bloc = _PerMode(lambda mode: self._compiled[mode]["accepts_bloc"])

    def preferred(self, mode="repeated", actor=None) -> np.ndarray:
        pref = self._compiled[mode]["preferred"].astype(np.intp)
        return pref if actor is None else pref[..., actor]

    def choice(self, mode="repeated") -> np.ndarray:
        return self._compiled[mode]["choice"].astype(np.intp)


#: How :func:`analyse` computes: point by point in compiled code, or broadcasting numpy arrays.
METHODS = {"kernel": _CompiledAnalysis, "numpy": FormatAnalysis}


def analyse(nums, method: str = "kernel") -> FormatAnalysis:
    """Every format's outcome, every actor's utility, preferences inputs and power indices.

    ``method="kernel"`` (the default) evaluates each point in compiled code
    (:mod:`sim.blocs.formats_kernel`), ``"numpy"`` broadcasts the whole batch as arrays
    (:class:`FormatAnalysis`); both return the same numbers, bit for bit."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    return METHODS[method](nums)


def _pick(X, cooperate):
    """``X[..., CC]`` where ``cooperate`` else ``X[..., DD]`` (``X``'s own entry, not spread
    over the grid, where ``cooperate`` is the same everywhere)."""
    cooperate = np.asarray(cooperate)
    if cooperate.all():
        return X[..., 0, 0]
    if not cooperate.any():
        return X[..., 1, 1]
    return np.where(cooperate, X[..., 0, 0], X[..., 1, 1])


def _totals_bloc(nums, cooperate):
    """Each actor group's utility at (C,C) where ``cooperate``, else at (D,D), in the bloc
    game (see :meth:`FormatAnalysis._mode`)."""
    cooperate = np.asarray(cooperate)
    return _utilities(nums, _pick(nums.A, cooperate), _pick(nums.P, cooperate[..., None]),
                      _pick(nums.Q, cooperate[..., None]) if nums.row_members else None,
                      nums.r_row, nums.r_rows)


def _totals_bilateral(nums, cooperate):
    """The same when member *m*'s bilateral game ends at (C,C) iff ``cooperate[..., m]``; the
    control holder loses ``loss_m`` for each such member."""
    n = len(nums.members)
    pi_row = sum_in_order(_pick(nums.A_bil, cooperate))
    pi_m = _pick(nums.P_bil, cooperate)
    if nums.holder is not None:
        lost = sum_in_order(nums.loss * cooperate)
        pi_m = pi_m - lost[..., None] * (np.arange(n) == nums.holder)
    pi_rows = sum_in_order(_pick(nums.Q_bil, np.asarray(cooperate)[..., None, :])) \
        if nums.row_members else None
    return _utilities(nums, pi_row, pi_m, pi_rows, effective_weight(nums.r_row_nominal, n + 1),
                      nums.r_rows_bil)


def _utilities(nums, pi_row, pi_m, pi_rows, r_row, r_rows):
    """Each actor group's utilities, as thunks (a group is computed only when asked for)."""
    return {"row": lambda: pi_row - r_row * sum_in_order(pi_m),
            "bloc": lambda: sum_in_order(pi_m) - nums.r_column * pi_row,
            "members": lambda: _member_utility(nums, pi_row, pi_m),
            "rows": lambda: _row_member_utility(nums, pi_m, pi_rows, r_rows)}


def regime_name(code) -> str:
    return REGIMES[int(code)]
