"""Stage equilibria, dominance, Pareto optimality, repeated-game thresholds and regimes.

Everything here takes payoff arrays of shape ``(..., 2, 2)`` (see :mod:`sim.games`) and
broadcasts, so a regime map over a million parameter points is one call. Comparisons allow a
tolerance of ``TOL`` times each player's own payoff range (no absolute floor), so that ties
survive any positive affine rescaling of a player's payoffs.

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
    "harmony": "(C,C) is the only pure stage equilibrium: cooperation needs no shadow of the "
               "future.",
    "coordination": "(C,C) and (D,D) are both stage equilibria: cooperation is stable once "
                    "each side trusts the other to cooperate (an assurance problem).",
    "reciprocity": "(C,C) is no stage equilibrium, but at this discount factor (C,C) played "
                   "forever is a subgame-perfect outcome: each side is deterred from "
                   "defecting by a credible punishment (reverting to the stage equilibrium "
                   "worst for it, or its harshest credible punishment): the shadow of the "
                   "future works.",
    "short-horizon": "Both sides prefer (C,C) to (D,D), but the discount factor is below the "
                     "threshold: the future is too short to deter defection.",
    "one-sided": "Exactly one side prefers (C,C) to (D,D): one invites, the other declines.",
    "deadlock": "Neither side prefers (C,C) to (D,D): there is nothing to cooperate on.",
    "anti-coordination": "Neither (C,C) nor (D,D) is a stage equilibrium; the stage equilibria "
                         "are (C,D) and (D,C): each wants the other to give way (Chicken-like), "
                         "and at this discount factor no credible punishment deters a "
                         "deviation from (C,C).",
    "unilateral": "Neither (C,C) nor (D,D) is a stage equilibrium; in the only pure "
                  "equilibrium one side cooperates alone, and at this discount factor no "
                  "credible punishment deters a deviation from (C,C).",
    "cycling": "No pure stage equilibrium: best replies cycle and only a mixed equilibrium "
               "exists; at this discount factor no credible punishment deters a deviation "
               "from (C,C).",
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


def payoff_range(views):
    """Each player's payoff range ``max − min`` of its four payoffs, shape ``(2, ...)``."""
    T, R, P, S = trps(views)             # elementwise: much faster than a reduction over 2x2
    return (np.maximum(np.maximum(T, R), np.maximum(P, S))
            - np.minimum(np.minimum(T, R), np.minimum(P, S)))


def tolerance(views):
    """Per-player tolerance, shape ``(2, ...)``: ``TOL`` times the player's payoff range.

    Relative to the range and with no absolute floor, so that ties, types, equilibria,
    thresholds and regimes are invariant under any positive affine map of a player's payoffs
    (von Neumann & Morgenstern 1944: utilities are defined up to such maps). A player whose
    payoffs are all equal has tolerance 0 and every comparison of its payoffs is a tie.
    """
    return TOL * payoff_range(views)


# --------------------------------------------------------------------------------------------
# Stage game
# --------------------------------------------------------------------------------------------

def dominance(A, B):
    """Dominant action per player, as codes of shape ``(2, ...)`` (see ``DOMINANCE_NAMES``)."""
    v = own_views(A, B)
    tol = tolerance(v)
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
    tol = tolerance(own_views(A, B))[..., None, None]
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
    tol = tolerance(v)
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

def pure_minmax_payoffs(A, B):
    """Each player's pure-action minmax ``m_i = min_{a_j} max_{a_i} g_i(a_i, a_j)``, shape
    ``(2, ...)``: the lowest payoff the other can hold it to with a pure action when it
    best-responds (Fudenberg & Maskin 1986). No pure-strategy SPE payoff lies below it."""
    T, R, P, S = trps(own_views(A, B))
    return np.minimum(np.maximum(R, T), np.maximum(S, P))


def worst_stage_nash(A, B, pure=False):
    """Each player's lowest payoff over the stage game's Nash equilibria, shape ``(2, ...)``.

    ``pure=False``: over all equilibria, mixed ones included (Nash 1951); ``pure=True``: over
    the pure ones only (``inf`` where there is none). Closed form: in a 2x2 game the
    equilibrium set is a finite union of rectangles (points, segments) whose corners have
    coordinates in ``{0, 1, x*}`` x ``{0, 1, y*}``, where ``y*`` is the column's probability of C
    that makes row indifferent and ``x*`` the row's that makes column indifferent; a
    player's payoff is bilinear, so its minimum over the set is at one of these nine
    candidate profiles that is an equilibrium (weak best replies, with the tie tolerance).
    """
    A, B = _align(A, B)
    v = own_views(A, B)
    tol = tolerance(v)
    T, R, P, S = trps(v)
    slope = (R - T) - (S - P)                # C-advantage against C minus against D
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (P - S) / slope                  # other's P(C) that makes this player indifferent
    q = np.where((np.abs(slope) > tol) & (q >= 0) & (q <= 1), q, 1.0)
    one, zero = np.ones_like(T[0]), np.zeros_like(T[0])
    if pure:
        xs = ys = np.stack([one, zero])
    else:
        xs, ys = np.stack([one, zero, q[1]]), np.stack([one, zero, q[0]])
    x, y = xs[:, None], ys[None, :]          # candidate (row P(C), column P(C)) pairs

    def best(p, own, other):                 # ``own`` is a weak best reply to ``other``
        diff = other * (R[p] - T[p]) + (1 - other) * (S[p] - P[p])
        return ((own <= 0) | (diff >= -tol[p])) & ((own >= 1) | (diff <= tol[p]))

    def payoff(p, own, other):
        return (own * other * R[p] + own * (1 - other) * S[p]
                + (1 - own) * other * T[p] + (1 - own) * (1 - other) * P[p])

    eq = best(0, x, y) & best(1, y, x)
    worst = [np.where(eq, payoff(0, x, y), np.inf), np.where(eq, payoff(1, y, x), np.inf)]
    return np.stack([np.minimum.reduce(w.reshape((-1,) + w.shape[2:])) for w in worst])


# --------------------------------------------------------------------------------------------
# Repeated game: linear conditions a + b·δ >= 0 per player
# --------------------------------------------------------------------------------------------

def profile_conditions(profile, views):
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


def condition_interval(a, b, tol):
    """``[lo, hi]`` of ``{x >= 0 : a + b·x >= 0}`` (broadcasts); empty when ``lo > hi``.

    A condition that ties at x = 0 (``|a| <= tol``) or at x = 1 (``|a + b| <= tol``) has its
    root there exactly, so that a threshold of 1 ("no δ < 1 suffices") does not turn into
    0.9999999999999999 under a positive affine map of the payoffs.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root = -a / b                              # only used where |b| > tol
    root = np.where(np.abs(a) <= tol, 0.0, np.where(np.abs(a + b) <= tol, 1.0, root))
    up, down = b > tol, b < -tol                   # |b| within tolerance counts as 0
    holds = a >= -tol
    lo = np.where(up, np.maximum(root, 0.0), np.where(holds | down, 0.0, np.inf))
    hi = np.where(down, root, np.where(up | holds, np.inf, -np.inf))
    return lo, hi


#: Punishments for (C,C) played forever (``threshold(..., "nash" | "penal" | "spe")``).
PUNISHMENTS = ("nash", "penal", "spe")


def nash_reversion_threshold(A, B):
    """Per player, the smallest δ at which (C,C) forever with reversion to the stage Nash
    equilibrium worst for the deviator is subgame perfect: shape ``(2, ...)``, ``inf`` where
    none.

    Friedman (1971): on the path both play C; once a player deviates, both play forever the
    stage equilibrium (pure or mixed, :func:`worst_stage_nash`) that is worst for it. Playing
    a stage equilibrium forever is subgame perfect whatever the history, so the profile is
    subgame perfect iff ``R_i >= (1−δ)T_i + δ w_i`` for each player, ``w_i`` its worst stage
    equilibrium payoff: δ >= (T_i−R_i)/(T_i−w_i). A player for whom ``T_i <= R_i`` needs no
    punishment (its deviations can be ignored): threshold 0. A mixed punishment needs only
    the pure path to be observed.
    """
    A, B = _align(A, B)
    v = own_views(A, B)
    return _forever_threshold(v, worst_stage_nash(A, B))


def _forever_threshold(views, punish):
    """Smallest δ in [0, ∞) with ``R >= (1−δ)T + δ·min(w, R)`` per player (``inf``: none)."""
    T, R, _, _ = trps(views)
    w = np.minimum(punish, R)
    lo, hi = condition_interval(R - T, T - w, tolerance(views))
    return np.where(lo <= hi, lo, np.inf)


def penal_code_threshold(A, B):
    """Per player, the smallest δ at which (C,C) played forever survives that player's
    deviations under the optimal penal code: shape ``(2, ...)``, ``inf`` where no δ < 1.

    Abreu (1988): a path is a (pure-strategy) SPE path iff no player gains by deviating once
    and then receiving its worst SPE payoff ``w_i(δ)``. For (C,C) forever: ``R_i >= (1−δ)T_i
    + δ min(w_i(δ), R_i)``. The worst payoff is bounded by the pure minmax ``m_i <= w_i(δ)``
    (Fudenberg & Maskin 1986) and, where a pure stage equilibrium pays player i exactly
    ``m_i``, reverting to it attains the bound for every δ: then the threshold is closed
    form, ``(T_i−R_i)/(T_i−m_i)`` (this covers the Prisoner's Dilemma, Chicken, Stag Hunt,
    Deadlock and every game whose minmax profile is a stage equilibrium). Where ``R_i <= m_i``
    no δ < 1 suffices. Otherwise ``w_i(δ)`` comes from the pure SPE payoff set with public
    randomisation (Abreu & Sannikov 2014, :func:`sim.spe.forever_thresholds`), computed once
    per distinct game.
    """
    A, B = _align(A, B)
    lo, hard = penal_code_bound(A, B)
    if hard.any():
        lo = _numeric_penal_threshold(A, B, hard, lo)
    return lo


def penal_code_bound(A, B):
    """The closed-form part of :func:`penal_code_threshold`: ``(lo, hard)``, each ``(2, ...)``.

    ``lo`` is the threshold with the pure minmax ``m_i`` as punishment, ``(T_i−R_i)/(T_i−m_i)``
    (Abreu 1988; Fudenberg & Maskin 1986 for ``m_i <= w_i(δ)``): exact where ``hard`` is
    false, a lower bound of the optimal penal code's threshold where ``hard`` is true (no pure
    stage equilibrium pays ``m_i``, ``T_i > R_i > m_i``: the SPE sets are needed there).
    """
    A, B = _align(A, B)
    v = own_views(A, B)
    tol = tolerance(v)
    T, R, _, _ = trps(v)
    m = pure_minmax_payoffs(A, B)
    pure = pure_equilibria(A, B)
    hit = np.stack([pure & (np.abs(A - m[0][..., None, None]) <= tol[0][..., None, None]),
                    pure & (np.abs(B - m[1][..., None, None]) <= tol[1][..., None, None])])
    at_minmax = hit[..., 0, 0] | hit[..., 0, 1] | hit[..., 1, 0] | hit[..., 1, 1]
    return _forever_threshold(v, m), (T - R > tol) & (R > m + tol) & ~at_minmax


def _numeric_penal_threshold(A, B, hard, lo):
    """Fill ``lo[p][k]`` where ``hard[p][k]`` from the pure SPE sets, once per distinct game."""
    from .spe import forever_thresholds

    A, B = np.broadcast_arrays(A, B)
    lo = np.array(np.broadcast_to(lo, hard.shape))
    games = np.concatenate([A.reshape(-1, 4), B.reshape(-1, 4)], axis=1)
    rows = np.flatnonzero(hard.reshape(2, -1).any(axis=0))
    unique, inverse = np.unique(games[rows], axis=0, return_inverse=True)
    found = np.array([forever_thresholds(g[:4].reshape(2, 2), g[4:].reshape(2, 2))
                      for g in unique])
    flat, flat_hard = lo.reshape(2, -1), hard.reshape(2, -1)
    for p in (0, 1):
        values = np.nan_to_num(found[inverse.ravel(), p], nan=np.inf)
        flat[p, rows] = np.where(flat_hard[p, rows], values, flat[p, rows])
    return flat.reshape(hard.shape)


def forever_threshold(A, B, punishment="spe"):
    """Per player, the lower end ``lo`` of the discount factors at which (C,C) played forever
    survives that player's deviations under ``punishment``: shape ``(2, ...)``; the set is
    ``[lo, 1)`` (monotone in δ), ``inf`` where none. ``nash``: Friedman (1971),
    :func:`nash_reversion_threshold`; ``penal``: Abreu (1988), :func:`penal_code_threshold`;
    ``spe``: per deviator the lower of the two (the exact criterion of :func:`regime`). The
    per-player fact that :mod:`sim.blocs` aggregates by a bloc's rule."""
    if punishment == "nash":
        return nash_reversion_threshold(A, B)
    if punishment == "penal":
        return penal_code_threshold(A, B)
    if punishment == "spe":
        return np.minimum(nash_reversion_threshold(A, B), penal_code_threshold(A, B))
    raise ValueError(f"unknown punishment {punishment!r}; allowed: {', '.join(PUNISHMENTS)}")


def threshold_interval(A, B, profile):
    """Discount factors at which ``profile`` sustains (C,C): ``(lo, hi)`` per player and jointly.

    Returns arrays of shape ``(3, ...)`` (row, column, both). The set is ``[lo, hi] ∩ [0, 1)``.
    ``profile`` is a named strategy profile (``grim``, ``tft``, ``wsls``) or a punishment for
    (C,C) played forever (``nash``, ``penal``, ``spe``; see :func:`threshold`).
    """
    if profile in PUNISHMENTS:
        A, B = _align(A, B)
        lo = forever_threshold(A, B, profile)
        lo = np.concatenate([lo, lo.max(axis=0, keepdims=True)])
        return lo, np.full_like(lo, np.inf)
    v = own_views(A, B)
    tol = tolerance(v)
    a, b = profile_conditions(profile, v)
    lo, hi = condition_interval(a, b, tol)
    lo, hi = lo.max(axis=0), hi.min(axis=0)          # all conditions of a player
    return (np.concatenate([lo, lo.max(axis=0, keepdims=True)]),
            np.concatenate([hi, hi.min(axis=0, keepdims=True)]))


def threshold(A, B, profile):
    """Smallest δ in [0, 1) at which ``profile`` sustains (C,C): shape ``(3, ...)``.

    Index 0 is the row player's own condition, 1 the column player's, 2 both (the profile's
    threshold). ``0`` means cooperation needs no future; ``nan`` means no δ < 1 suffices.

    Named profiles (see the module docstring): ``grim`` (reversion to (D,D), subgame perfect
    only where (D,D) is a stage equilibrium), ``tft`` (Nash equilibrium), ``wsls`` (subgame
    perfect). Punishments for (C,C) played forever, each giving a subgame-perfect
    equilibrium: ``nash`` reverts to the stage equilibrium (pure or mixed) worst for the
    deviator (Friedman 1971; :func:`nash_reversion_threshold`); ``penal`` uses the optimal
    penal code among pure-strategy SPE with public randomisation (Abreu 1988;
    :func:`penal_code_threshold`); ``spe`` uses, per deviator, the more effective of the two.
    ``spe`` is the exact criterion of the regimes: it is exact for pure-strategy SPE, and a
    mixed-strategy penal code (no SPE payoff is below the mixed minmax) could lower it only
    where a player's mixed minmax is below both its worst stage-equilibrium payoff and its
    worst pure-strategy SPE payoff.
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

def regime(A, B, discount, *, punishment="spe"):
    """Regime code (index into ``REGIMES``) of each utility game at its discount factor.

    Rules, applied in order (ties resolved towards equilibrium, as weak best replies):
    coordination (CC and DD stage equilibria) · harmony (CC is, DD is not) · reciprocity
    ((C,C) played forever is a subgame-perfect outcome at δ, by ``punishment``: see
    :func:`threshold`; the default ``spe`` is the exact criterion) · with DD a stage
    equilibrium: short-horizon (both prefer CC to DD), one-sided (exactly one does), deadlock
    (neither) · otherwise anti-coordination (CD and DC are the pure equilibria), unilateral
    (one of them is), cycling (none). Only reciprocity depends on δ, so the rest is computed
    once per game. Grim trigger and WSLS, when subgame perfect, play (C,C) forever, so they
    count as reciprocity under ``spe`` and ``penal``.
    """
    A, B = _align(A, B, discount)
    pure = pure_equilibria(A, B)
    v = own_views(A, B)
    T, R, P, S = trps(v)
    n_prefer = (R > P + tolerance(v)).sum(axis=0)
    return classify(pure[..., 0, 0], pure[..., 0, 1], pure[..., 1, 0], pure[..., 1, 1],
                    n_prefer, sustained(A, B, discount, punishment))


def classify(cc, cd, dc, dd, n_prefer, recip):
    """Regime code from the per-game facts, by :func:`regime`'s rules in order: which pure
    outcomes are stage equilibria (``cc, cd, dc, dd``), how many sides strictly prefer (C,C)
    to (D,D) (``n_prefer``), and whether (C,C) forever is sustained at δ (``recip``). Shared
    by :func:`regime` and :meth:`sim.blocs.game.BlocGame.regime` (one rule order). The stage
    facts are classified on their own shape; only the last step broadcasts against
    ``recip`` (whose δ axes they often lack)."""
    cc, cd, dc, dd, n_prefer = np.broadcast_arrays(cc, cd, dc, dd, n_prefer)
    rules = [("coordination", cc & dd), ("harmony", cc),
             ("short-horizon", dd & (n_prefer == 2)), ("one-sided", dd & (n_prefer == 1)),
             ("deadlock", dd), ("anti-coordination", cd & dc), ("unilateral", cd | dc)]
    base = np.select([rule for _, rule in rules], [REGIMES.index(name) for name, _ in rules],
                     REGIMES.index("cycling")).astype(np.int8)
    return np.where(recip & ~cc, np.int8(REGIMES.index("reciprocity")), base)  # broadcasts


def is_cooperative(code):
    """Boolean: the regime code is one where (C,C) is an equilibrium outcome (the first
    three codes, by construction of ``REGIMES``)."""
    return np.asarray(code) < len(COOPERATIVE)


def regime_names(code):
    """Regime names for an array of codes."""
    return np.asarray(REGIMES, dtype=object)[np.asarray(code)]


def analyse_grid(A, B, relative_gain_weight_row, relative_gain_weight_column, discount, *,
                 punishment="spe"):
    """Regime and ``blocked_by_relative_gains`` over broadcast parameter arrays.

    ``A, B`` are material games ``(..., 2, 2)``; weights and discount broadcast against their
    leading axes. Shape the inputs to broadcast (e.g. ``r[:, None]``, ``δ[None, :]``): what
    depends only on ``r`` is then computed once per ``r``. A point is *blocked by relative
    gains* when its regime is not cooperative but the same game at ``r = 0`` (same δ) is.
    Both use the criterion ``punishment`` of :func:`regime`.
    """
    from .preferences import utility_game

    U, V = utility_game(A, B, relative_gain_weight_row, relative_gain_weight_column)
    code = regime(U, V, discount, punishment=punishment)
    blocked = ~is_cooperative(code) & is_cooperative(regime(A, B, discount,
                                                             punishment=punishment))
    return code, blocked
