"""Subgame-perfect equilibrium payoff sets of two-player repeated games (the folk theorem).

The stage game is any finite two-player game, ``A[i, j]`` and ``B[i, j]`` the row and column
player's payoffs when row plays ``i`` and column ``j`` (action 0 = C). It is repeated with
perfect monitoring, a common discount factor δ (``discount``) in [0, 1), payoffs normalised by
``(1 - δ)`` and a public randomisation device each period. The set computed is that of
payoffs of **pure-strategy** subgame-perfect equilibria (SPE), as in quantecon's
``RepeatedGame.equilibrium_payoffs``.

Method: Abreu & Sannikov (2014). Abreu, Pearce & Stacchetti (1990, "APS") show that the SPE
payoff set ``V`` is the largest fixed point of the set operator

    B(W) = co { (1 - δ) g(a) + δ w :  a an action profile, w in W,
                (1 - δ) g_i(a) + δ w_i >= (1 - δ) max_b g_i(b, a_-i) + δ u_i }

with the threat point ``u_i = min_{w in W} w_i``. Abreu & Sannikov (2014) show
that each action profile ``a`` contributes at most four extreme points: ``g(a)`` itself when
it is enforceable by ``g(a)``, else the points whose continuation lies where the boundary of
``W`` crosses one of the two incentive lines ``w_i = u_i + (1 - δ)/δ * gain_i(a)``.
Their operator, iterated from a set containing ``V`` with a threat point below ``V``'s,
decreases monotonically to ``V``: every iterate is an **outer approximation**.

We start from the feasible, individually rational set ``F ∩ {v >= m}`` with the pure-action
minmax ``m`` as threat point (Fudenberg & Maskin 1986: no SPE payoff lies below ``m``),
rather than quantecon's ``F`` and the minimum payoffs; both satisfy Abreu & Sannikov's
conditions and the limit is the same, the former is reached in fewer iterations. Payoffs are
normalised per player to [0, 1] first (APS's operator commutes with positive affine maps of
each player's payoffs), so all tolerances are relative to each player's payoff range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim._jit import kernel, plain, started
from sim.polygons import clip_kernel, distance_kernel, hausdorff_kernel, hull_kernel
from sim.deprecation import renamed_keywords, warn_renamed
from sim.results import Record, Result

#: geometric tolerance (normalised payoff units) of the on-line and inside tests
_EPS = 1e-10
#: hull tolerance: vertices closer than this merge, turns smaller than this are straight
_HULL_EPS = 1e-12


# --------------------------------------------------------------------------------------------
# Stage-game primitives (broadcast over leading axes)
# --------------------------------------------------------------------------------------------

def _check_game(A, B) -> tuple[np.ndarray, np.ndarray]:
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim < 2 or A.shape != B.shape:
        raise ValueError(f"payoff matrices A and B must have the same shape (..., m, n); "
                         f"got {A.shape} and {B.shape}")
    if not (np.isfinite(A).all() and np.isfinite(B).all()):
        raise ValueError("payoff matrices A and B must be finite numbers")
    return A, B


def _check_discount(discount) -> float:
    d = float(discount)
    if not 0.0 <= d < 1.0:
        raise ValueError(f"discount factor must be in [0, 1); got {discount!r}")
    return d


def pure_minmax(A, B) -> np.ndarray:
    """Pure-action minmax payoffs ``(m_row, m_col)``, shape ``(..., 2)``.

    ``m_row = min_j max_i A[i, j]``, ``m_col = min_i max_j B[i, j]``: the lowest payoff the
    other player can hold each player to with a pure action when the player best-responds
    (Fudenberg & Maskin 1986). No pure-strategy SPE payoff lies below it. Broadcasts over
    leading axes of ``A`` and ``B``.
    """
    A, B = _check_game(A, B)
    return np.stack([A.max(-2).min(-1), B.max(-1).min(-1)], -1)


def deviation_gains(A, B) -> np.ndarray:
    """One-shot gains from the best deviation, shape ``(..., m, n, 2)``.

    ``gains[..., i, j, 0] = max_k A[k, j] - A[i, j]`` and ``gains[..., i, j, 1] =
    max_k B[i, k] - B[i, j]``; zero exactly at each player's best replies, so a profile is a
    pure Nash equilibrium iff both gains are zero (Nash 1951).
    """
    A, B = _check_game(A, B)
    return np.stack([A.max(-2, keepdims=True) - A, B.max(-1, keepdims=True) - B], -1)


def pure_nash_profiles(A, B) -> list[tuple[int, int]]:
    """Pure Nash equilibria ``(i, j)`` of one stage game, in row-major order."""
    gains = deviation_gains(A, B)
    return [tuple(int(x) for x in ij) for ij in np.argwhere((gains == 0).all(-1))]


def payoff_profiles(A, B) -> np.ndarray:
    """Payoff pairs ``g(a) = (A[a], B[a])`` of all action profiles, row-major, shape
    ``(m * n, 2)``."""
    A, B = _check_game(A, B)
    return np.stack([A.ravel(), B.ravel()], -1)


def feasible_set(A, B) -> np.ndarray:
    """Vertices (counter-clockwise) of the feasible set ``F = co{g(a)}``: the payoffs reachable
    with public randomisation over action profiles (Fudenberg & Maskin 1986)."""
    g = payoff_profiles(A, B)
    with plain():                                  # one hull of m * n points
        return hull_kernel(g, g.shape[0], _HULL_EPS)


def individually_rational_set(A, B) -> np.ndarray:
    """Vertices of ``F ∩ {v >= m}``, the feasible payoffs at or above the pure minmax ``m``:
    the limit of the pure-strategy SPE set as δ -> 1 (Fudenberg & Maskin 1986, under
    full dimensionality). Empty ``(0, 2)`` when no feasible payoff reaches ``m``."""
    A, B = _check_game(A, B)
    return _rational_part(feasible_set(A, B), pure_minmax(A, B), _EPS)


def normalised_game(A, B):
    """One stage game with each player's payoffs mapped affinely onto [0, 1].

    Returns ``(g, gains, m, lo, scale)``: payoff profiles ``(m * n, 2)``, deviation gains
    ``(m * n, 2)`` and pure minmax ``(2,)`` in normalised units, and the map back
    ``v = v_normalised * scale + lo``. APS's operator commutes with positive affine maps of
    each player's payoffs (Abreu, Pearce & Stacchetti 1990), so sets computed in normalised
    units map back exactly; a player with constant payoffs gets ``scale = 1``.
    """
    g = payoff_profiles(A, B)
    lo = g.min(0)
    scale = g.max(0) - lo
    scale[scale == 0] = 1.0
    gains = deviation_gains(A, B).reshape(-1, 2) / scale
    return (g - lo) / scale, gains, (pure_minmax(A, B) - lo) / scale, lo, scale


def _rational_part(poly, m, eps):
    with plain():                                  # two clips of one polygon
        for axis in range(2):
            if poly.shape[0] == 0:
                break
            cut = clip_kernel(poly, axis, float(m[axis]), eps)
            poly = hull_kernel(np.ascontiguousarray(cut), cut.shape[0], _HULL_EPS)
    return poly


# --------------------------------------------------------------------------------------------
# The Abreu–Sannikov iteration (numba)
# --------------------------------------------------------------------------------------------

@kernel()
def _as_operator(W, u, g, gains, delta, eps):
    """One application of Abreu & Sannikov's (2014) operator ``R(W, u)``: candidate extreme
    points of ``B(W)`` (see the module docstring), before taking their hull."""
    n_prof = g.shape[0]
    # each clip of a k-gon yields at most 2k + 2 points (more than k + 1 only if degenerate)
    pts = np.empty((n_prof * (4 * W.shape[0] + 6), 2))
    n = 0
    ratio = (1.0 - delta) / delta
    for a in range(n_prof):
        ic0 = u[0] + ratio * gains[a, 0]
        ic1 = u[1] + ratio * gains[a, 1]
        g0 = g[a, 0]
        g1 = g[a, 1]
        if (g0 >= ic0 - eps and g1 >= ic1 - eps
                and distance_kernel(g0, g1, W) <= eps):
            pts[n, 0] = g0  # stationary: play a forever
            pts[n, 1] = g1
            n += 1
            continue
        C = clip_kernel(W, 0, ic0, eps)
        if C.shape[0] == 0:
            continue
        C = clip_kernel(C, 1, ic1, eps)
        for k in range(C.shape[0]):
            if abs(C[k, 0] - ic0) <= eps or abs(C[k, 1] - ic1) <= eps:
                pts[n, 0] = (1.0 - delta) * g0 + delta * C[k, 0]
                pts[n, 1] = (1.0 - delta) * g1 + delta * C[k, 1]
                n += 1
    return pts, n


@kernel()
def _abreu_sannikov(g, gains, delta, W0, u0, tol, max_iter, eps):
    """Iterate ``W <- hull R(W, u)``, ``u <- max(u, min W)`` until both move less than
    ``tol`` (Hausdorff distance, threat-point change). Returns the last set, its threat point,
    the number of iterations and the last step."""
    W = W0
    u = u0.copy()
    step = np.inf
    it = 0
    while it < max_iter and W.shape[0] > 0:
        pts, n = _as_operator(W, u, g, gains, delta, eps)
        W_new = hull_kernel(pts, n, _HULL_EPS)
        it += 1
        u_step = 0.0
        if W_new.shape[0] > 0:
            for i in range(2):
                low = W_new[:, i].min()
                if low > u[i]:
                    u_step = max(u_step, low - u[i])
                    u[i] = low
        step = max(hausdorff_kernel(W_new, W), u_step)
        W = W_new
        if step <= tol:
            break
    return W, u, it, step


#: Work (Abreu–Sannikov iterations, and one per call, times action profiles) a process runs
#: as plain Python before it starts numba (see :mod:`sim._jit`): an iteration on a 2×2 game
#: takes about 0.3 ms so and starting numba about 0.9 s, so this budget (400 steps of a 2×2
#: game, about 0.15 s) covers ``blocsim folk`` on a 2×2 scenario at the default discount
#: factors whole; anything longer continues compiled from where it stopped, with the same
#: result.
PLAIN_WORK = 1600
_plain_left = PLAIN_WORK


def _iterate(g, gains, delta, W, u, tol, max_iter):
    """:func:`_abreu_sannikov` from ``(W, u)``: as plain Python while the process's budget
    :data:`PLAIN_WORK` lasts and numba has not started, then compiled from the iterate
    reached. Both run the same source with the same arithmetic (tested equal), and the
    iteration depends only on its iterate, so the result is the same either way."""
    global _plain_left
    it = 0
    steps = _plain_left // g.shape[0]
    if not started() and steps > 0:
        with plain():
            W, u, it, step = _abreu_sannikov(g, gains, delta, W, u, tol, min(max_iter, steps),
                                             _EPS)
        _plain_left -= (it + 1) * g.shape[0]          # a call's hulls count as a step
        if step <= tol or W.shape[0] == 0 or it >= max_iter:
            return W, u, it, step
    W, u, more, step = _abreu_sannikov.compiled_call(g, gains, delta, W, u, tol, max_iter - it,
                                                     _EPS)
    return W, u, it + more, step


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PayoffSet(Result):
    """The pure-strategy SPE payoff set at one discount factor.

    ``vertices``: counter-clockwise ``(k, 2)`` array (``k = 0`` when no pure SPE exists,
    1 for a point, 2 for a segment). ``iterations``: Abreu–Sannikov steps taken.
    ``error``: size of the last step, the Hausdorff distance between the last two iterates
    or the threat point's move if larger, in payoff units (largest player's scale); 0 up to
    rounding at a fixed point. Every iterate contains the true set (an outer approximation
    that shrinks onto it), so the returned set errs only on the generous side.
    ``converged``: the step fell to ``tol`` before ``max_iter`` (or the set became empty,
    which is exact).
    """

    discount: float
    vertices: np.ndarray
    iterations: int
    error: float
    converged: bool

    @property
    def delta(self) -> float:
        """Deprecated name of :attr:`discount`."""
        warn_renamed("PayoffSet.delta", "PayoffSet.discount")
        return self.discount

    @property
    def empty(self) -> bool:
        return self.vertices.shape[0] == 0

    @property
    def best(self) -> np.ndarray:
        """Each player's best SPE payoff ``max_{v in V} v_i`` (``nan`` if empty)."""
        return self.vertices.max(0) if not self.empty else np.full(2, np.nan)

    @property
    def worst(self) -> np.ndarray:
        """Each player's worst SPE payoff ``min_{v in V} v_i`` (``nan`` if empty); the
        harshest credible punishment (Abreu 1988)."""
        return self.vertices.min(0) if not self.empty else np.full(2, np.nan)

    def _table(self):
        rows = [[k, float(x), float(y)] for k, (x, y) in enumerate(self.vertices)]
        return ["vertex", "row payoff", "column payoff"], rows

    def _caption(self) -> str:
        return (f"SPE payoff set at δ = {self.discount:g} ({self.iterations} iterations, "
                f"error {self.error:.1e})")

    def distance(self, point) -> float:
        """Euclidean distance from ``point`` to the set (0 inside, ``inf`` if empty)."""
        x, y = np.asarray(point, dtype=float)
        with plain():                              # one point, one polygon
            return float(distance_kernel(x, y, self.vertices))

    def contains(self, point, tol: float = 1e-9) -> bool:
        """Whether ``point`` is within ``tol`` of the set."""
        return self.distance(point) <= tol


@renamed_keywords(delta="discount")
def spe_payoff_set(A, B, discount, *, tol: float = 1e-15, max_iter: int = 100_000) -> PayoffSet:
    """Pure-strategy SPE payoff set of the repeated game ``(A, B)`` at discount factor ``discount``.

    Abreu & Sannikov's (2014) algorithm, started from the feasible individually rational set
    with the pure minmax as threat point (see the module docstring). ``A``, ``B``: ``(m, n)``
    payoffs; ``discount`` in [0, 1); ``tol``: stop when an iteration moves the set and the threat
    point by at most ``tol`` times each player's payoff range; ``max_iter``: cap on iterations
    (the iteration converges geometrically, slower as δ -> 1). At ``discount = 0`` the set
    is the hull of the pure Nash payoffs. The set is convex because of public randomisation.
    """
    A, B = _check_game(A, B)
    if A.ndim != 2:
        raise ValueError(f"spe_payoff_set takes one stage game (m, n); got shape {A.shape}")
    d = _check_discount(discount)
    gn, gains_n, m, lo, scale = normalised_game(A, B)
    # at discount 0 the set is the hull of the pure Nash payoffs, else iterated from F
    points = gn if d else np.ascontiguousarray(gn[(gains_n == 0).all(-1)])
    with plain():                                  # a hull of at most m * n points
        hull = hull_kernel(points, points.shape[0], _HULL_EPS)
    if d == 0.0:
        W, it, step = hull, 0, 0.0
    else:
        W, _, it, step = _iterate(gn, gains_n, d, _rational_part(hull, m, _EPS), m, float(tol),
                                  int(max_iter))
    vertices = W * scale + lo
    error = 0.0 if W.shape[0] == 0 else float(step * scale.max())
    # an empty iterate is exact: it contains the SPE set
    return PayoffSet(d, vertices, int(it), error, bool(step <= tol or W.shape[0] == 0))


@renamed_keywords(deltas="discounts")
def spe_payoff_sets(A, B, discounts, **options) -> list[PayoffSet]:
    """:func:`spe_payoff_set` at each discount factor in ``discounts`` (same options)."""
    return [spe_payoff_set(A, B, d, **options) for d in np.atleast_1d(discounts)]


@renamed_keywords(delta="discount")
def self_generation_defect(A, B, discount, vertices) -> float:
    """How far the convex polygon ``vertices`` is from being self-generating (APS 1990).

    For each vertex ``v`` it finds the profile ``a`` whose continuation
    ``w = (v - (1 - δ) g(a)) / δ`` is closest to being admissible, measuring both the
    distance from ``w`` to the polygon and the shortfall of the incentive constraints
    ``w_i >= u_i + (1 - δ)/δ * gain_i(a)`` with threat point ``u = min`` of the
    polygon; it returns the worst vertex's value. It is 0 exactly when every vertex, hence
    (public randomisation) the whole polygon, is generated by the polygon itself, which
    proves the polygon is a set of SPE payoffs (APS 1990, self-generation). ``discount`` in (0, 1).
    """
    A, B = _check_game(A, B)
    d = _check_discount(discount)
    if d == 0.0:
        raise ValueError("self_generation_defect needs discount > 0")
    V = np.ascontiguousarray(np.asarray(vertices, dtype=float).reshape(-1, 2))
    if V.shape[0] == 0:
        return 0.0
    g = payoff_profiles(A, B)
    gains = deviation_gains(A, B).reshape(-1, 2)
    w = (V[:, None, :] - (1 - d) * g[None]) / d
    shortfall = np.maximum(V.min(0) + (1 - d) / d * gains - w, 0.0).max(-1)
    outside = np.array([[distance_kernel(x, y, V) for x, y in row] for row in w])
    return float(np.maximum(shortfall, outside).min(1).max())


@renamed_keywords(delta="discount")
def profile_in_set(A, B, discount, profile=(0, 0), tol: float = 1e-9) -> bool:
    """Whether the payoff of the action profile ``profile`` (default (C, C)) of the stage game
    is a pure-strategy SPE payoff at ``discount``, within ``tol`` (times the payoff range)."""
    A, B = _check_game(A, B)
    return _holds_profile(spe_payoff_set(A, B, discount), A, B, profile, tol)


def _holds_profile(s: PayoffSet, A, B, profile, tol: float = 1e-9) -> bool:
    point = (A[tuple(profile)], B[tuple(profile)])
    scale = max(float(np.ptp(A)), float(np.ptp(B)), 1e-300)
    return s.distance(point) <= tol * scale


@renamed_keywords(delta="discount")
def forever_holds(A, B, discount, profile=(0, 0), tol: float = 1e-9) -> np.ndarray:
    """Per player, whether ``profile`` played forever passes its incentive constraint at
    ``discount``: shape ``(2,)`` bool.

    This is Abreu, Pearce & Stacchetti's (1990) enforceability condition for the current
    action profile ``a = profile`` with continuation value ``g(a)`` (the path repeats):
    ``g_i(a) >= (1 - δ) max_b g_i(b, a_-i) + δ w_i``, where ``w_i`` is player i's
    worst pure-strategy SPE payoff at ``discount`` (the optimal penal code, Abreu 1988), or
    ``g_i(a)`` itself if lower (a deviation can be ignored when it does not pay). When the
    condition holds for both players, ``profile`` forever is an SPE outcome: the set
    ``co(V ∪ {g(a)})`` is self-generating. ``tol`` is relative to each player's payoff range.
    """
    A, B = _check_game(A, B)
    d = _check_discount(discount)
    a = tuple(profile)
    g = np.array([A[a], B[a]])
    gain = deviation_gains(A, B)[a]
    scale = np.array([np.ptp(A), np.ptp(B)])
    need = gain > tol * scale
    if not need.any():
        return np.ones(2, bool)
    s = spe_payoff_set(A, B, d)
    if s.empty:
        return ~need
    w = np.minimum(s.worst, g)
    return g >= (1 - d) * (g + gain) + d * w - tol * scale


@renamed_keywords(delta_max="discount_max")
def forever_thresholds(A, B, profile=(0, 0), *, discount_max: float = 0.999,
                       xtol: float = 1e-10) -> np.ndarray:
    """Per player, the smallest discount factor at which ``profile`` played forever passes
    that player's incentive constraint (see :func:`forever_holds`): shape ``(2,)``, ``nan``
    if it fails even at ``discount_max``.

    Each player's constraint is monotone in δ: the pure SPE set with public randomisation
    grows with δ (Abreu, Pearce & Stacchetti 1990, Theorem 6), so ``w_i`` falls, and the
    right-hand side ``(1 - δ) dev_i + δ w_i`` falls with it whenever a deviation pays
    (``dev_i > g_i``). Bisection therefore finds it to ``xtol``, starting from the bound
    ``(dev_i - g_i) / (dev_i - m_i)`` given by the pure minmax ``m_i <= w_i``.
    """
    A, B = _check_game(A, B)
    a = tuple(profile)
    g = np.array([A[a], B[a]])
    dev = g + deviation_gains(A, B)[a]
    m = pure_minmax(A, B)
    out = np.zeros(2)
    for i in range(2):
        if forever_holds(A, B, 0.0, profile)[i]:
            continue
        if not forever_holds(A, B, discount_max, profile)[i]:
            out[i] = np.nan
            continue
        lo = min(max((dev[i] - g[i]) / (dev[i] - m[i]), 0.0), discount_max) if dev[i] > m[i] \
            else 0.0
        hi = float(discount_max)
        if forever_holds(A, B, lo, profile)[i]:
            out[i] = lo
            continue
        while hi - lo > xtol:
            mid = 0.5 * (lo + hi)
            if forever_holds(A, B, mid, profile)[i]:
                hi = mid
            else:
                lo = mid
        out[i] = hi
    return out


@renamed_keywords(delta_max="discount_max")
def critical_discount(A, B, profile=(0, 0), *, discount_max: float = 0.999,
                      xtol: float = 1e-10) -> float:
    """Smallest discount factor at which ``profile`` (default (C, C)) **played forever** is
    a pure-strategy SPE outcome; ``nan`` if it is not one even at ``discount_max``.

    The larger of the two players' thresholds of :func:`forever_thresholds` (Abreu 1988:
    the path is an SPE path iff no player gains by deviating once and then receiving its
    worst SPE payoff). It is 0 when the profile is a stage Nash equilibrium. In the
    Prisoner's Dilemma it is the grim-trigger threshold ``(T - R) / (T - P)`` (Friedman
    1971), because mutual defection is both the stage equilibrium and the minmax. It can
    exceed :func:`payoff_critical_discount`: public randomisation between asymmetric
    equilibria may reach the payoff ``g(profile)`` without the profile ever being played.
    """
    t = forever_thresholds(A, B, profile, discount_max=discount_max, xtol=xtol)
    return float("nan") if np.isnan(t).any() else float(t.max())


@renamed_keywords(delta_max="discount_max")
def payoff_critical_discount(A, B, profile=(0, 0), *, discount_max: float = 0.999,
                             xtol: float = 1e-10) -> float:
    """Smallest discount factor at which the **payoff** of ``profile`` (default (C, C)) is a
    pure-strategy SPE payoff; ``nan`` if it is not one even at ``discount_max``.

    The SPE set grows with δ (Abreu, Pearce & Stacchetti 1990): with public
    randomisation it is convex, and a convex self-generating set stays self-generating when
    δ rises. Membership is therefore monotone and bisection finds the threshold to
    ``xtol``. The payoff may be reached by randomising between other equilibria, so this
    can be below :func:`critical_discount`, which asks for the profile to be played.
    """
    A, B = _check_game(A, B)
    if tuple(profile) in pure_nash_profiles(A, B):
        return 0.0
    if not profile_in_set(A, B, discount_max, profile):
        return float("nan")
    lo, hi = 0.0, float(discount_max)
    while hi - lo > xtol:
        mid = 0.5 * (lo + hi)
        if profile_in_set(A, B, mid, profile):
            hi = mid
        else:
            lo = mid
    return hi


class FolkSummary(Record):
    """The folk-theorem picture of one stage game (:func:`folk_summary`): reads as its
    JSON-ready dict."""

    def _table(self):
        rows = [[d, inside, *(best or (None, None)), *(worst or (None, None))]
                for d, inside, best, worst in zip(self["discounts"], self["cooperation_in_set"],
                                                  self["best"], self["worst"])]
        return (["discount", "profile in SPE set", "best row", "best column", "worst row",
                 "worst column"], rows)

    def _caption(self) -> str:
        return "Subgame-perfect payoffs by discount factor"


@renamed_keywords(deltas="discounts")
def folk_summary(A, B, discounts, profile=(0, 0)) -> FolkSummary:
    """The folk-theorem picture of one stage game, as a :class:`FolkSummary` (a dict).

    Keys:
      ``feasible``: vertices ``[[x, y], ...]`` of the feasible set (counter-clockwise);
      ``minmax``: ``[m_row, m_col]``, pure-action minmax;
      ``individually_rational``: vertices of the feasible set above the minmax;
      ``profile``: ``[i, j]`` the profile tested (default (C, C) = ``[0, 0]``);
      ``profile_payoff``: ``[A[i, j], B[i, j]]``;
      ``discounts``: the discount factors, in the order given;
      ``sets``: per discount factor, the SPE set's vertices (``[]`` when no pure SPE exists);
      ``cooperation_in_set``: per discount factor, whether ``profile_payoff`` is in the SPE set;
      ``best``, ``worst``: per discount factor, ``[row, col]`` best and worst SPE payoffs
      (``null`` if the set is empty);
      ``iterations``, ``error``, ``converged``: per discount factor, Abreu–Sannikov diagnostics;
      ``critical_discount``: smallest δ at which ``profile`` played forever is an SPE
      outcome (``null`` if none below 0.999);
      ``payoff_critical_discount``: smallest δ at which ``profile_payoff`` is an SPE
      payoff (``null`` if none below 0.999); it can be lower, through public randomisation.
    All numbers are plain floats, ints or bools.
    """
    A, B = _check_game(A, B)
    discounts = [float(d) for d in np.atleast_1d(discounts)]
    sets = spe_payoff_sets(A, B, discounts)
    crit = critical_discount(A, B, profile)
    crit_payoff = payoff_critical_discount(A, B, profile)

    def opt(x):
        return None if np.isnan(x).any() else np.asarray(x, dtype=float).tolist()

    return FolkSummary({
        "feasible": feasible_set(A, B).tolist(),
        "minmax": pure_minmax(A, B).tolist(),
        "individually_rational": individually_rational_set(A, B).tolist(),
        "profile": [int(x) for x in profile],
        "profile_payoff": [float(A[tuple(profile)]), float(B[tuple(profile)])],
        "discounts": discounts,
        "sets": [s.vertices.tolist() for s in sets],
        "cooperation_in_set": [_holds_profile(s, A, B, profile) for s in sets],
        "best": [opt(s.best) for s in sets],
        "worst": [opt(s.worst) for s in sets],
        "iterations": [s.iterations for s in sets],
        "error": [s.error for s in sets],
        "converged": [s.converged for s in sets],
        "critical_discount": None if np.isnan(crit) else float(crit),
        "payoff_critical_discount": None if np.isnan(crit_payoff) else float(crit_payoff),
    })
