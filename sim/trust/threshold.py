"""The trust threshold: the least belief that the other side is the cooperative type at which
a cooperative equilibrium exists (Kydd 2005, *Trust and Mistrust in International Relations*,
ch. 2–3), in closed form and vectorised over priors and parameters.

Setting: the *truster* (row, one type) and the *trustee* (column) with two types, the
cooperative type ``c`` and the other type ``u``; the truster believes the trustee is ``c``
with probability ``p``. Utilities may depend on the trustee's type: ``A[..., t, i, j]`` is the
truster's and ``B[..., t, i, j]`` the trustee's utility when the trustee is of type ``t``.

A *cooperative equilibrium* is a Bayesian Nash equilibrium in which the truster plays C and
the cooperative type plays C. Derivation: against the truster's C the cooperative type must
reply C, ``B_c[C,C] >= B_c[C,D]``; the other type replies ``a_u``, its best reply to C (among
tied replies the one best for the truster). The truster's C is a best reply iff its expected
gain is non-negative::

    p · g_c + (1 − p) · g_u >= 0,   g_t = A_t[C, a_t] − A_t[D, a_t]

so the threshold is ``p* = 0`` when ``g_u >= 0`` (no trust needed), ``p* = −g_u / (g_c − g_u)``
when ``g_c >= 0 > g_u``, and none (``nan``) otherwise. In the assurance game with a
security seeker (``a_c = C``) and an expansionist (``a_u = D``) and payoffs independent of
type this is Kydd's (2005, ch. 3) ::

    p* = (P − S) / ((R − T) + (P − S))

from the truster's own ``T, R, P, S``. Ties count as best replies within
:func:`sim.equilibria.tolerance` (``TOL`` times each player's own payoff range, no absolute
floor), so the threshold is invariant under positive affine maps of either side's utilities.

**Shadow of the future.** In the infinitely repeated game with discount factor δ, each type
chooses between grim trigger and always-defect; their normalised payoffs against each other
form the 2x2 *meta-game* (Axelrod 1984, ch. 3; Friedman 1971)::

    (grim, grim) = R,  (grim, AllD) = (1−δ)S + δP,  (AllD, grim) = (1−δ)T + δP,  (AllD, AllD) = P

and the repeated trust threshold is the stage threshold of the meta-game.
"""

from __future__ import annotations

import numpy as np

from ..equilibria import TOL, tolerance


def truster_tolerance(A):
    """The tie tolerance of the truster's comparisons, shape ``(...)``: the larger of
    :func:`sim.equilibria.tolerance` (``TOL`` times the payoff range, no floor) over its
    utility games against the trustee's types, so that thresholds are invariant under any
    positive affine map of the truster's utilities (von Neumann & Morgenstern 1944)."""
    return tolerance(np.asarray(A, dtype=float)).max(axis=-1)


def replies_to_cooperation(B):
    """Each trustee type's reply to the truster's C: ``(c_ok, prefers_C, prefers_D)``, where
    ``prefers_C``/``prefers_D`` say whether C/D is a best reply (both when tied, within
    :func:`sim.equilibria.tolerance` of the type's own utilities)."""
    B = np.asarray(B, dtype=float)
    tol = tolerance(B)
    diff = B[..., 0, 0] - B[..., 0, 1]          # trustee's C minus D against C
    return diff >= -tol, diff <= tol


def engagement_gains(A, B):
    """``(g, h, coop_ok)``: per trustee type (last axis: type c, type u), the truster's gain
    ``g_t = A_t[C, a_t] − A_t[D, a_t]`` from engaging (C) over not, and the trustee type's
    gain ``h_t = B_t[C, a_t] − B_t[D, a_t]`` from being engaged, where ``a_t`` is the type's
    best reply to engagement (C for the cooperative type whenever C is a best reply; for the
    other, among tied replies the one better for the truster); and whether
    the cooperative type replies C. ``A``, ``B``: shape ``(..., 2, 2, 2)`` (trustee type,
    truster action, trustee action)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    A, B = np.broadcast_arrays(A, B)
    c_best, d_best = replies_to_cooperation(B)
    g = A[..., 0, :] - A[..., 1, :]              # (..., type, trustee action)
    h = B[..., 0, :] - B[..., 1, :]
    reply = np.where(c_best & d_best, np.where(g[..., 0] >= g[..., 1], 0, 1),
                     np.where(c_best, 0, 1))     # (..., type)
    reply[..., 0] = np.where(c_best[..., 0], 0, reply[..., 0])   # the cooperative type: C
    pick = (lambda X: np.take_along_axis(X, reply[..., None], -1)[..., 0])
    return pick(g), pick(h), c_best[..., 0]


def gains(A, B):
    """``(g_c, g_u, coop_ok)`` of :func:`engagement_gains`: the truster's gains against the
    cooperative type (0) and the other (1)."""
    g, _, ok = engagement_gains(A, B)
    return g[..., 0], g[..., 1], ok


def threshold_from_gains(g_c, g_u, coop_ok=True, tol=0.0):
    """``p*`` from the truster's gains (see module): 0, ``−g_u/(g_c−g_u)`` or ``nan``."""
    g_c, g_u = np.asarray(g_c, float), np.asarray(g_u, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        interior = -g_u / (g_c - g_u)
    p = np.where(g_u >= -tol, 0.0, np.where(g_c >= -tol, np.clip(interior, 0.0, 1.0), np.nan))
    return np.where(coop_ok, p, np.nan)


def trust_threshold(A, B):
    """Least belief in the cooperative type at which a cooperative equilibrium exists.

    ``A``, ``B``: truster's and trustee's utilities per trustee type, shape ``(..., 2, 2, 2)``
    (type 0 the cooperative type). Returns ``p*`` of shape ``(...)``; ``nan``: no belief
    suffices. (Kydd 2005, ch. 2–3; derivation in the module docstring.)
    """
    g_c, g_u, ok = gains(A, B)
    return threshold_from_gains(g_c, g_u, ok, truster_tolerance(np.broadcast_arrays(A, B)[0]))


def trust_interval(A, B):
    """``(lo, hi)``: the beliefs at which a cooperative equilibrium exists form the interval
    ``[lo, hi]`` (``lo`` is :func:`trust_threshold`; ``hi < 1`` only when the truster gains
    less from engaging the cooperative type than the other, ``g_c < 0 <= g_u``)."""
    g_c, g_u, ok = gains(A, B)
    tol = truster_tolerance(np.broadcast_arrays(A, B)[0])
    lo = threshold_from_gains(g_c, g_u, ok, tol)
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = np.clip(g_u / (g_u - g_c), 0.0, 1.0)
    hi = np.where(g_c >= -tol, 1.0, np.where(g_u >= -tol, upper, np.nan))
    return lo, np.where(ok, hi, np.nan)


def cooperative_equilibrium(A, B, prior):
    """Boolean: a cooperative equilibrium exists at belief ``prior`` (broadcasts)."""
    lo, hi = trust_interval(A, B)
    prior = np.asarray(prior, dtype=float)
    return (prior >= lo - TOL) & (prior <= hi + TOL)


def meta_game(A, B, discount):
    """The grim-versus-always-defect meta-game of the repeated game at δ (Axelrod 1984,
    ch. 3): utilities of the same shape ``(..., 2, 2)`` as ``A``, ``B`` (broadcast with δ),
    action 0 = grim trigger, 1 = always defect, normalised by ``(1 − δ)``."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    d = np.asarray(discount, dtype=float)[..., None, None]

    def one(M, own_axis):
        # M[own, other] after putting the player's own action first
        V = M if own_axis == 0 else np.swapaxes(M, -1, -2)
        R, S, T, P = V[..., 0, 0], V[..., 0, 1], V[..., 1, 0], V[..., 1, 1]
        dd = d[..., 0, 0]
        W = np.stack([np.stack([R + 0 * dd, (1 - dd) * S + dd * P], -1),
                      np.stack([(1 - dd) * T + dd * P, P + 0 * dd], -1)], -2)
        return W if own_axis == 0 else np.swapaxes(W, -1, -2)

    return one(A, 0), one(B, 1)


def repeated_trust_threshold(A, B, discount):
    """The trust threshold of the repeated game at δ: :func:`trust_threshold` of
    :func:`meta_game` (grim trigger against always-defect, per trustee type)."""
    MA, MB = meta_game(A, B, np.asarray(discount, float)[..., None])
    return trust_threshold(MA, MB)
