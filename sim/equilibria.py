"""Stage equilibria, dominance, Pareto optimality, repeated-game thresholds and regimes.

Everything here takes payoff arrays of shape ``(..., 2, 2)`` (see :mod:`sim.games`) and
broadcasts, so a regime map over a million parameter points is one call. Comparisons allow a
tolerance of ``TOL`` times the largest payoff magnitude, so that ties survive rescaling.

Repeated-game conditions are written per player on its own view (``T, R, P, S``) as linear
inequalities ``a + b·δ >= 0``: the set of discount factors that satisfy them is an interval,
and a threshold is its lower end. The three named profiles:

* **grim trigger** with Nash reversion to (D,D) is subgame perfect iff, for each player,
  ``R >= (1−δ)T + δP`` and ``P >= S``: δ >= (T−R)/(T−P) when (D,D) is a stage equilibrium
  (Friedman 1971).
* **TFT against TFT** is a Nash equilibrium iff ``R >= (1−δ)T + δP`` (defect forever) and
  ``R >= (T + δS)/(1 + δ)`` (alternate): δ >= max((T−R)/(T−P), (T−R)/(R−S)) (Axelrod 1984;
  Axelrod & Hamilton 1981).
* **WSLS (Pavlov)** is subgame perfect iff ``R(1+δ) >= T + δP`` (deviation from (C,C) or (D,D))
  and ``P − S + δ(R − P) >= 0`` (deviation after a mismatch): δ >= (T−R)/(R−P), which needs
  2R > T + P (Nowak & Sigmund 1993; Fudenberg & Tirole 1991 for the one-shot deviation check).
"""

from __future__ import annotations

import numpy as np

from .games import TIE_TOL, own_views, trps

TOL = TIE_TOL

#: Regime names, in the order of their integer codes.
REGIMES = ("harmony", "coordination", "reciprocity", "short-horizon", "one-sided", "deadlock",
           "anti-coordination", "unilateral", "cycling")

#: Regimes in which (C,C) is an equilibrium outcome (of the stage or the repeated game):
#: the first codes of ``REGIMES``.
COOPERATIVE = REGIMES[:3]

#: What each regime means, in words a student understands.
REGIME_TEXT = {
    "harmony": "(C,C) is the only stage equilibrium: cooperation needs no shadow of the future.",
    "coordination": "(C,C) and (D,D) are both stage equilibria: cooperation is stable once "
                    "each side trusts the other to cooperate (an assurance problem).",
    "reciprocity": "(C,C) is no stage equilibrium, but reciprocal strategies (grim trigger or "
                   "WSLS) sustain it at this discount factor: the shadow of the future works.",
    "short-horizon": "Both sides prefer (C,C) to (D,D), but the discount factor is below the "
                     "threshold: the future is too short to deter defection.",
    "one-sided": "Exactly one side prefers (C,C) to (D,D): one invites, the other declines.",
    "deadlock": "Neither side prefers (C,C) to (D,D): there is nothing to cooperate on.",
    "anti-coordination": "Neither (C,C) nor (D,D) is a stage equilibrium; the stage equilibria "
                         "are (C,D) and (D,C): each wants the other to give way (Chicken-like), "
                         "and this discount factor does not sustain (C,C).",
    "unilateral": "Neither (C,C) nor (D,D) is a stage equilibrium; in the only pure "
                  "equilibrium one side cooperates alone.",
    "cycling": "No pure stage equilibrium: best replies cycle and only a mixed equilibrium "
               "exists; this discount factor does not sustain (C,C).",
}

NO_DOMINANT, C_STRICT, D_STRICT, C_WEAK, D_WEAK = range(5)
DOMINANCE_NAMES = (None, "C", "D", "C (weakly)", "D (weakly)")


def _align(A, B, *params):
    """Give ``A, B`` as many leading axes as the broadcast of theirs with the parameters'.

    Per-player arrays carry extra leading axes (player, condition); aligning the game axes
    first lets parameters broadcast against them as users expect (numpy's trailing rule).
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    n = len(np.broadcast_shapes(A.shape[:-2], B.shape[:-2], *(np.shape(x) for x in params)))
    return (A.reshape((1,) * (n - A.ndim + 2) + A.shape),
            B.reshape((1,) * (n - B.ndim + 2) + B.shape))


def _tolerance(views):
    """Per-player tolerance, shape ``(2, ...)``: ``TOL`` times the player's largest payoff
    magnitude (at least 1), so that a player's ties survive rescaling of its payoffs."""
    return TOL * np.maximum(np.abs(views).max(axis=(-2, -1)), 1.0)


# --------------------------------------------------------------------------------------------
# Stage game
# --------------------------------------------------------------------------------------------

def dominance(A, B):
    """Dominant action per player, as codes of shape ``(2, ...)`` (see ``DOMINANCE_NAMES``)."""
    v = own_views(A, B)
    tol = _tolerance(v)
    T, R, P, S = trps(v)
    c_weak = (R >= T - tol) & (S >= P - tol)
    d_weak = (T >= R - tol) & (P >= S - tol)
    c_strict = (R > T + tol) & (S > P + tol)
    d_strict = (T > R + tol) & (P > S + tol)
    return np.select([c_strict, d_strict, c_weak & ~d_weak, d_weak & ~c_weak],
                     [C_STRICT, D_STRICT, C_WEAK, D_WEAK], NO_DOMINANT)


def pure_equilibria(A, B):
    """Boolean ``(..., 2, 2)``: outcome ``(i, j)`` is a pure Nash equilibrium (weak replies)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    tol = _tolerance(own_views(A, B))[..., None, None]
    row_best = A >= A[..., ::-1, :] - tol[0]
    col_best = B >= B[..., :, ::-1] - tol[1]
    return row_best & col_best


def mixed_equilibrium(A, B):
    """The completely mixed equilibrium: ``(x, y, exists)`` with ``x, y`` the probabilities of C.

    ``y`` makes the row player indifferent, ``x`` the column player (Nash 1951); it exists iff
    both indifference equations have a unique solution strictly inside (0, 1), as in nashpy's
    support enumeration.
    """
    v = own_views(A, B)
    T, R, P, S = trps(v)
    den = (R - T) - (S - P)             # own C-advantage against C minus against D
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (P - S) / den               # probability the *other* plays C that makes me indifferent
    ok = (den != 0) & (q > 0) & (q < 1)
    exists = ok[0] & ok[1]
    return q[1], q[0], exists           # row's x makes column indifferent, and vice versa


def nash_equilibria(A, B):
    """All equilibria of one 2x2 game, in nashpy's support-enumeration order.

    Returns a list of ``(sigma_row, sigma_column)`` probability vectors over ``(C, D)``: the
    pure equilibria (CC, CD, DC, DD) then the completely mixed one. In a degenerate game the
    equilibria may form a continuum; the list then holds its pure end points, as nashpy's does,
    and :func:`is_degenerate` says so.
    """
    pure = pure_equilibria(A, B)
    x, y, exists = mixed_equilibrium(A, B)
    out = [(np.eye(2)[i], np.eye(2)[j]) for i, j in zip(*np.nonzero(pure))]
    if exists:
        out.append((np.array([float(x), 1 - float(x)]), np.array([float(y), 1 - float(y)])))
    return out


def is_degenerate(A, B):
    """A 2x2 game is degenerate iff some player is indifferent against a pure action."""
    v = own_views(A, B)
    tol = _tolerance(v)
    T, R, P, S = trps(v)
    return ((np.abs(R - T) <= tol) | (np.abs(S - P) <= tol)).any(axis=0)


def pareto_optimal(A, B):
    """Boolean ``(..., 2, 2)``: no other pure outcome is at least as good for both and better
    for one (Pareto 1906)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    a = A.reshape(A.shape[:-2] + (4,))
    b = B.reshape(B.shape[:-2] + (4,))
    ge = (a[..., :, None] >= a[..., None, :]) & (b[..., :, None] >= b[..., None, :])
    gt = (a[..., :, None] > a[..., None, :]) | (b[..., :, None] > b[..., None, :])
    dominated = (ge & gt).any(axis=-2)       # some other outcome k dominates outcome o
    return ~dominated.reshape(A.shape)


# --------------------------------------------------------------------------------------------
# Repeated game: linear conditions a + b·δ >= 0 per player
# --------------------------------------------------------------------------------------------

def _conditions(profile, views):
    """Stack of ``(a, b)`` for a profile's conditions, each of shape ``(k, 2, ...)``."""
    T, R, P, S = trps(views)
    zero = np.zeros_like(T)
    if profile == "grim":
        a, b = [R - T, P - S], [T - P, zero]
    elif profile == "tft":
        a, b = [R - T, R - T], [T - P, R - S]
    elif profile == "wsls":
        a, b = [R - T, P - S], [R - P, R - P]
    else:
        raise ValueError(f"unknown profile {profile!r}; allowed: grim, tft, wsls")
    return np.stack(a), np.stack(b)


PROFILES = ("grim", "tft", "wsls")


def _interval(a, b, tol):
    """``[lo, hi]`` of ``{x >= 0 : a + b·x >= 0}`` (broadcasts); empty when ``lo > hi``."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root = -a / b                              # only used where |b| > tol
    up, down = b > tol, b < -tol                   # |b| within tolerance counts as 0
    holds = a >= -tol
    lo = np.where(up, np.maximum(root, 0.0), np.where(holds | down, 0.0, np.inf))
    hi = np.where(down, root, np.where(up | holds, np.inf, -np.inf))
    return lo, hi


def threshold_interval(A, B, profile):
    """Discount factors at which ``profile`` sustains (C,C): ``(lo, hi)`` per player and jointly.

    Returns arrays of shape ``(3, ...)`` (row, column, both). The set is ``[lo, hi] ∩ [0, 1)``.
    """
    v = own_views(A, B)
    tol = _tolerance(v)
    a, b = _conditions(profile, v)
    lo, hi = _interval(a, b, tol)
    lo, hi = lo.max(axis=0), hi.min(axis=0)          # all conditions of a player
    return (np.concatenate([lo, lo.max(axis=0, keepdims=True)]),
            np.concatenate([hi, hi.min(axis=0, keepdims=True)]))


def threshold(A, B, profile):
    """Smallest δ in [0, 1) at which ``profile`` sustains (C,C): shape ``(3, ...)``.

    Index 0 is the row player's own condition, 1 the column player's, 2 both (the profile's
    threshold). ``0`` means cooperation needs no future; ``nan`` means no δ < 1 suffices.
    """
    lo, hi = threshold_interval(A, B, profile)
    return np.where((lo <= hi) & (lo < 1), lo, np.nan)


def sustained(A, B, discount, profile):
    """Boolean: ``profile`` sustains (C,C) at this discount factor for both players.

    Evaluated as membership of the profile's interval of discount factors, so that what
    depends only on the game is computed once however many discount factors are asked.
    """
    A, B = _align(A, B, discount)
    lo, hi = threshold_interval(A, B, profile)
    d = np.asarray(discount, dtype=float)
    return (d >= lo[2] - TOL) & (d <= hi[2] + TOL)


# --------------------------------------------------------------------------------------------
# Regimes
# --------------------------------------------------------------------------------------------

def regime(A, B, discount):
    """Regime code (index into ``REGIMES``) of each utility game at its discount factor.

    Rules, applied in order (ties resolved towards equilibrium, as weak best replies):
    coordination (CC and DD stage equilibria) · harmony (CC is, DD is not) · reciprocity (grim
    trigger or WSLS sustains CC at δ) · with DD a stage equilibrium: short-horizon (both prefer
    CC to DD), one-sided (exactly one does), deadlock (neither) · otherwise anti-coordination
    (CD and DC are the pure equilibria), unilateral (one of them is), cycling (none).
    Only reciprocity depends on δ, so the rest is computed once per game.
    """
    A, B = _align(A, B, discount)
    pure = pure_equilibria(A, B)
    cc, cd, dc, dd = pure[..., 0, 0], pure[..., 0, 1], pure[..., 1, 0], pure[..., 1, 1]
    v = own_views(A, B)
    T, R, P, S = trps(v)
    n_prefer = (R > P + _tolerance(v)).sum(axis=0)
    rules = [("coordination", cc & dd), ("harmony", cc),
             ("short-horizon", dd & (n_prefer == 2)), ("one-sided", dd & (n_prefer == 1)),
             ("deadlock", dd), ("anti-coordination", cd & dc), ("unilateral", cd | dc)]
    base = np.select([rule for _, rule in rules], [REGIMES.index(name) for name, _ in rules],
                     REGIMES.index("cycling")).astype(np.int8)
    recip = (sustained(A, B, discount, "grim") | sustained(A, B, discount, "wsls")) & ~cc
    return np.where(recip, np.int8(REGIMES.index("reciprocity")), base)


def is_cooperative(code):
    """Boolean: the regime code is one where (C,C) is an equilibrium outcome (the first
    three codes, by construction of ``REGIMES``)."""
    return np.asarray(code) < len(COOPERATIVE)


def regime_names(code):
    """Regime names for an array of codes."""
    return np.asarray(REGIMES, dtype=object)[np.asarray(code)]


def analyse_grid(A, B, relative_gain_weight_row, relative_gain_weight_column, discount):
    """Regime and ``blocked_by_relative_gains`` over broadcast parameter arrays.

    ``A, B`` are material games ``(..., 2, 2)``; weights and discount broadcast against their
    leading axes. Shape the inputs to broadcast (e.g. ``r[:, None]``, ``δ[None, :]``): what
    depends only on ``r`` is then computed once per ``r``. A point is *blocked by relative
    gains* when its regime is not cooperative but the same game at ``r = 0`` (same δ) is.
    """
    from .preferences import utility_game

    U, V = utility_game(A, B, relative_gain_weight_row, relative_gain_weight_column)
    code = regime(U, V, discount)
    blocked = ~is_cooperative(code) & is_cooperative(regime(A, B, discount))
    return code, blocked


def critical_weight(A, B, relative_gain_weight_row, relative_gain_weight_column, discount):
    """Largest relative-gain weight up to which (C,C) stays an equilibrium outcome, at δ.

    Returns shape ``(3, ...)``: the row player's weight (column's held at its value), the
    column player's (row's held), and a common weight for both. The value is the upper end of
    the set of weights in [0, 1] containing 0 on which the regime is cooperative (harmony,
    coordination or reciprocity); ``1`` if it never fails; ``nan`` if (C,C) is no equilibrium
    outcome even at ``r = 0``. Exact: each condition is linear in the weight, since
    ``u_i = π_i − r_i π_j`` (Snidal 1991).
    """
    A, B = _align(A, B, relative_gain_weight_row, relative_gain_weight_column, discount)
    d = np.asarray(discount, dtype=float)
    mat = own_views(A, B)                    # own payoffs
    oth = own_views(B, A)                    # the other's payoffs, seen from the same outcome
    weights = [np.asarray(relative_gain_weight_row, float),
               np.asarray(relative_gain_weight_column, float)]
    tol = _tolerance(mat)

    def linear(kind):
        """``(alpha, beta)`` per player: condition holds iff ``alpha + beta·r >= 0``."""
        if kind == "cc":
            Tm, Rm, _, _ = trps(mat)
            To, Ro, _, _ = trps(oth)
            return (Rm - Tm)[None], -(Ro - To)[None]
        am, bm = _conditions(kind, mat)
        ao, bo = _conditions(kind, oth)
        return am + bm * d, -(ao + bo * d)

    results = []
    for who in (0, 1, "both"):
        los, his = [], []
        for kind in ("cc", "grim", "wsls"):
            alpha, beta = linear(kind)
            lo, hi = [], []
            for p in (0, 1):
                if who == "both" or who == p:
                    l, h = _interval(alpha[:, p], beta[:, p], tol[p])
                else:                        # the other player's condition at its own weight
                    ok = (alpha[:, p] + beta[:, p] * weights[p] >= -tol[p])
                    l, h = np.where(ok, 0.0, np.inf), np.where(ok, np.inf, -np.inf)
                lo.append(l.max(axis=0))
                hi.append(h.min(axis=0))
            los.append(np.maximum(*lo))
            his.append(np.minimum(np.minimum(*hi), 1.0))
        los, his = np.broadcast_arrays(*los, *his)[:3], np.broadcast_arrays(*los, *his)[3:]
        valid = [lo <= hi for lo, hi in zip(los, his)]
        reach = np.where(np.any([v & (lo <= 0) for v, lo in zip(valid, los)], axis=0), 0.0, np.nan)
        for _ in range(3):                   # union of three intervals: extend from 0
            for v, lo, hi in zip(valid, los, his):
                reach = np.where(v & (lo <= reach) & (hi > reach), hi, reach)
        results.append(reach)
    return np.stack(np.broadcast_arrays(*results))
