"""Certified inner and outer bounds on the pure-strategy SPE payoff set (Judd, Yeltekin &
Conklin 2003).

Same object as :mod:`sim.spe`: payoffs of pure-strategy subgame-perfect equilibria of the
two-player game ``(A, B)`` repeated with perfect monitoring, discount factor δ and public
randomisation. Abreu, Pearce & Stacchetti (1990, "APS") show that this set ``V`` is the
largest fixed point of the monotone set operator

    B(W) = co { (1 - δ) g(a) + δ w :  a an action profile, w in W ∩ IC_a(W) },
    IC_a(W) = { w : w_i >= u_i(W) + (1 - δ)/δ * gain_i(a), i = 1, 2 },

with the worst continuation ``u_i(W) = min_{w in W} w_i`` as punishment. Judd, Yeltekin &
Conklin (2003, "JYC") compute ``B`` through its **support function**: for a direction
``h``, ``max_{v in B(W)} h.v = max_a max { h.((1 - δ) g(a) + δ w) : w in W ∩ IC_a }``
(one small linear programme per direction and profile; the maximum over the hull is that
over the union because a linear function peaks at a generator). With ``D`` fixed unit
directions ``h_l`` (evenly spaced angles ``2 pi l / D`` in normalised payoff units, see
:func:`sim.spe.normalised_game`) they iterate two approximations:

* **outer**: ``O_{k+1} = O_k ∩ { v : h_l.v <= max_{B(O_k)} h_l.v, all l }``, from the
  ``D``-direction outer polytope of the feasible individually rational set (which contains
  ``V``, Fudenberg & Maskin 1986). ``V ⊆ O_k`` at every step, because ``B`` is monotone and
  ``V = B(V)``; the intersection with ``O_k`` makes the sequence decrease.
* **inner**: ``I_{k+1} = co { z_l }``, ``z_l`` a maximiser of ``h_l.v`` over ``B(I_k)``
  (JYC's inner approximation). At a fixed point ``I = co{z_l} ⊆ B(I)``: ``I`` generates
  itself and APS's self-generation theorem gives ``I ⊆ V``. The iteration stops at a fixed
  point up to ``tol``; ``inner_defect`` (:func:`sim.spe.self_generation_defect`) measures
  how far the returned polygon is from generating itself, 0 up to rounding when certified.

Hence ``inner ⊆ V ⊆ outer`` and, for any set between them, the Hausdorff distance to either
bound is at most ``hausdorff(outer, inner)``: a certified error bound, unlike the last step
size reported by the Abreu–Sannikov iteration.

In two dimensions each JYC linear programme is solved exactly by geometry:
``W ∩ IC_a`` is the polygon ``W`` clipped by two axis-parallel half-planes
(:func:`sim.polygons.clip_kernel`), and a linear function's maximum over a polygon is its
maximum over the vertices, which is the programme's optimum. The tests check the values
against ``scipy.optimize.linprog`` (HiGHS) on the half-space form JYC write down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim._jit import kernel
from sim.deprecation import renamed_keywords, warn_renamed
from sim.results import Result
from sim.polygons import clip_kernel, cut_kernel, hausdorff_kernel, hull_kernel
from sim.spe import (_EPS, _HULL_EPS, _check_discount, _check_game, _rational_part,
                     deviation_gains, normalised_game, payoff_profiles, pure_nash_profiles,
                     self_generation_defect)


def unit_directions(count: int) -> np.ndarray:
    """``count`` unit vectors at angles ``2 pi l / count``, shape ``(count, 2)``. With
    ``count`` a multiple of 4 they include both axes, so the bounds can follow the
    individually rational constraints ``v_i >= m_i`` exactly."""
    count = int(count)
    if count < 3:
        raise ValueError(f"at least 3 directions are needed to bound a set; got {count}")
    theta = 2.0 * np.pi * np.arange(count) / count
    H = np.stack([np.cos(theta), np.sin(theta)], -1)
    H[np.abs(H) < 1e-15] = 0.0  # exact axes: cut_kernel then puts vertices on the line
    return H


# --------------------------------------------------------------------------------------------
# The JYC operator (numba)
# --------------------------------------------------------------------------------------------

@kernel()
def _support(W, g, gains, delta, H, eps):
    """Support function of ``B(W)`` in each direction ``H[l]`` and a maximiser, by JYC's
    per-profile programmes solved on the vertices of ``W ∩ IC_a`` (see the module
    docstring). ``-inf`` (and an undefined point) when ``B(W)`` is empty."""
    D = H.shape[0]
    value = np.full(D, -np.inf)
    point = np.zeros((D, 2))
    if W.shape[0] == 0:
        return value, point
    u0 = W[:, 0].min()
    u1 = W[:, 1].min()
    ratio = (1.0 - delta) / delta
    for a in range(g.shape[0]):
        C = clip_kernel(W, 0, u0 + ratio * gains[a, 0], eps)
        if C.shape[0] == 0:
            continue
        C = clip_kernel(C, 1, u1 + ratio * gains[a, 1], eps)
        for k in range(C.shape[0]):
            x = (1.0 - delta) * g[a, 0] + delta * C[k, 0]
            y = (1.0 - delta) * g[a, 1] + delta * C[k, 1]
            for l in range(D):
                v = H[l, 0] * x + H[l, 1] * y
                if v > value[l]:
                    value[l] = v
                    point[l, 0] = x
                    point[l, 1] = y
    return value, point


@kernel()
def _cut_all(P, H, level, eps):
    """``P ∩ {v : H[l].v <= level[l], all l}`` as a clean polygon (empty if any level is
    ``-inf``); vertices within ``eps`` outside a line are kept, so rounding never empties a
    bound around a single point."""
    for l in range(H.shape[0]):
        if P.shape[0] == 0 or level[l] == -np.inf:
            return np.empty((0, 2))
        P = cut_kernel(P, H[l, 0], H[l, 1], level[l], eps)
    return hull_kernel(P, P.shape[0], _HULL_EPS)


@kernel()
def _jyc(g, gains, delta, H, O, inner, tol, max_iter, eps):
    """Iterate the outer and inner JYC maps together until both move by at most ``tol``:
    the outer levels (max change of a support value), the inner polygon (Hausdorff)."""
    if O.shape[0] == 0:
        return O, O, 0, 0.0
    level = np.full(H.shape[0], np.inf)
    for l in range(H.shape[0]):
        level[l] = (H[l, 0] * O[:, 0] + H[l, 1] * O[:, 1]).max()
    it = 0
    step = np.inf
    while it < max_iter:
        new, _ = _support(O, g, gains, delta, H, eps)
        new = np.minimum(new, level)
        outer_step = 0.0
        if O.shape[0] > 0:
            for l in range(H.shape[0]):
                outer_step = max(outer_step, level[l] - new[l])
            O = _cut_all(O, H, new, eps)
        level = new
        value, z = _support(inner, g, gains, delta, H, eps)
        n_z = H.shape[0] if value[0] > -np.inf else 0
        inner_new = hull_kernel(z, n_z, _HULL_EPS)
        step = max(outer_step, hausdorff_kernel(inner_new, inner))
        inner = inner_new
        it += 1
        if O.shape[0] == 0:  # V is empty, hence so is every set inside it
            return O, O, it, 0.0
        if step <= tol:
            break
    return O, inner, it, step


def _monotone_inner(g, gains, discount, H, W, tol, max_iter, eps):
    """A certified inner set by an increasing iteration, for when JYC's inner map cycles.

    Start from a self-generating ``W`` (the hull of pure stage-Nash payoffs) and add the
    APS operator's support points: ``W' = co(W ∪ z(W))``. If ``W ⊆ B(W)`` then
    ``W' ⊆ B(W) ⊆ B(W')`` (``B(W)`` is convex with public randomisation, and ``B`` is
    monotone), so every iterate is self-generating and lies in the SPE set (Abreu, Pearce &
    Stacchetti 1990, self-generation); the sequence increases, so it converges.
    Returns ``(W, iterations, last step)``.
    """
    step, it = 0.0, 0
    while W.shape[0] > 0 and it < max_iter:
        value, z = _support(W, g, gains, discount, H, eps)
        points = np.concatenate([W, z[value > -np.inf]])
        new = hull_kernel(points, points.shape[0], _HULL_EPS)
        step = hausdorff_kernel(new, W)
        W, it = new, it + 1
        if step <= tol:
            break
    return W, it, step


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bounds(Result):
    """Inner and outer polygons around the pure-strategy SPE payoff set ``V`` at ``discount``.

    ``outer``, ``inner``: counter-clockwise vertex arrays ``(k, 2)`` in payoff units (0 rows:
    empty, 1: a point, 2: a segment), ``inner ⊆ V ⊆ outer``. ``hausdorff``: distance between
    them, a bound on the distance from either to ``V`` (``0`` when both are empty, ``inf``
    when only the inner one is: then ``V`` may or may not be empty). ``inner_defect``: APS
    self-generation defect of ``inner`` (0 up to rounding: ``inner`` is certified to
    consist of SPE payoffs). ``directions``: number ``D`` of hyperplane directions.
    ``iterations``: JYC steps taken; ``converged``: the last step moved both bounds by at
    most ``tol`` (or the outer bound became empty, which proves ``V`` empty).
    """

    discount: float
    directions: int
    outer: np.ndarray
    inner: np.ndarray
    hausdorff: float
    inner_defect: float
    iterations: int
    converged: bool

    @property
    def delta(self) -> float:
        """Deprecated name of :attr:`discount`."""
        warn_renamed("Bounds.delta", "Bounds.discount")
        return self.discount

    def to_dict(self) -> dict:
        """JSON-serialisable summary. Keys: ``discount``, ``directions``, ``outer``, ``inner``
        (vertex lists ``[[x, y], ...]``), ``hausdorff`` (float, ``null`` if infinite),
        ``inner_defect`` (float), ``iterations`` (int), ``converged`` (bool)."""
        return {
            "discount": self.discount,
            "directions": self.directions,
            "outer": self.outer.tolist(),
            "inner": self.inner.tolist(),
            "hausdorff": None if np.isinf(self.hausdorff) else self.hausdorff,
            "inner_defect": self.inner_defect,
            "iterations": self.iterations,
            "converged": self.converged,
        }

    def _table(self):
        n = max(len(self.outer), len(self.inner))
        cell = lambda P, k: (float(P[k, 0]), float(P[k, 1])) if k < len(P) else (None, None)
        return (["vertex", "outer row", "outer column", "inner row", "inner column"],
                [[k, *cell(self.outer, k), *cell(self.inner, k)] for k in range(n)])

    def _caption(self) -> str:
        return (f"Certified SPE bounds at δ = {self.discount:g} ({self.directions} directions, "
                f"Hausdorff gap {self.hausdorff:.2e})")


@renamed_keywords(delta="discount")
def aps_support(A, B, discount, vertices, directions) -> tuple[np.ndarray, np.ndarray]:
    """Support function of the APS operator's image ``B(W)`` of the convex polygon
    ``vertices`` in each row of ``directions`` (``(D, 2)``, any lengths), and a maximising
    point per direction: ``(values (D,), points (D, 2))``; ``-inf`` values when ``B(W)`` is
    empty. This is JYC's (2003) per-direction linear programme, maximised over profiles;
    the threat point is ``min_{w in W} w_i``. Computed in payoff units; ``discount`` in (0, 1).
    """
    A, B = _check_game(A, B)
    d = _check_discount(discount)
    if d == 0.0:
        raise ValueError("aps_support needs discount > 0")
    W = np.ascontiguousarray(np.asarray(vertices, dtype=float).reshape(-1, 2))
    H = np.ascontiguousarray(np.asarray(directions, dtype=float).reshape(-1, 2))
    return _support(W, payoff_profiles(A, B), deviation_gains(A, B).reshape(-1, 2), d, H,
                    _EPS)


@renamed_keywords(delta="discount")
def spe_bounds(A, B, discount, *, directions: int = 64, tol: float = 1e-10,
               max_iter: int = 10_000) -> Bounds:
    """Certified inner and outer polygons around the pure-strategy SPE payoff set of the
    repeated game ``(A, B)`` at discount factor ``discount`` in (0, 1) (Judd, Yeltekin &
    Conklin 2003; see the module docstring).

    ``directions``: number ``D >= 3`` of hyperplane directions (evenly spaced in normalised
    payoff units); the gap shrinks as ``D`` grows. ``tol``: stop when an iteration moves the
    outer levels and the inner polygon by at most ``tol * (1 - δ)`` (normalised units,
    i.e. relative to each player's payoff range): APS-type iterations converge geometrically
    at rate about δ, so the distance left to the limit is then about ``tol``.
    ``max_iter``: cap on iterations (slower as δ -> 1). The inner iteration starts from
    the outer one's starting polygon. JYC's inner map is not monotone and can cycle when the
    directions are few; the inner bound is then rebuilt upwards from the stage-Nash payoffs
    (:func:`_monotone_inner`): still certified, possibly loose, as ``hausdorff`` shows.
    """
    A, B = _check_game(A, B)
    if A.ndim != 2:
        raise ValueError(f"spe_bounds takes one stage game (m, n); got shape {A.shape}")
    d = _check_discount(discount)
    if d == 0.0:
        raise ValueError("spe_bounds needs discount > 0 (at δ = 0 the set is the hull of "
                         "the pure Nash payoffs: use sim.spe.spe_payoff_set)")
    H = unit_directions(directions)
    g, gains, m, lo, scale = normalised_game(A, B)
    rational = _rational_part(hull_kernel(g, g.shape[0], _HULL_EPS), m, _EPS)
    box = np.array([[-1.0, -1.0], [2.0, -1.0], [2.0, 2.0], [-1.0, 2.0]])
    start = np.empty((0, 2))
    if rational.shape[0] > 0:
        level = (rational @ H.T).max(0)
        start = _cut_all(box, H, level, _EPS)
    stop = float(tol) * (1.0 - d)
    O, inner, it, step = _jyc(g, gains, d, H, start, start, stop, int(max_iter), _EPS)
    if step > stop and O.shape[0] > 0:
        # JYC's inner map is not monotone and can cycle when directions are few; the outer
        # bound has converged all the same (it only shrinks). Build the inner bound upwards.
        nash = np.array([g[i * A.shape[1] + j] for i, j in pure_nash_profiles(A, B)])
        W0 = hull_kernel(nash, nash.shape[0], _HULL_EPS) if len(nash) else np.empty((0, 2))
        inner, more, step = _monotone_inner(g, gains, d, H, W0, stop, int(max_iter), _EPS)
        it += more
    outer = O * scale + lo
    inner = inner * scale + lo
    return Bounds(
        discount=d,
        directions=H.shape[0],
        outer=outer,
        inner=inner,
        hausdorff=float(hausdorff_kernel(outer, inner)),
        inner_defect=self_generation_defect(A, B, d, inner),
        iterations=int(it),
        converged=bool(step <= stop or O.shape[0] == 0),
    )
