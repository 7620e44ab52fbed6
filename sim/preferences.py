"""Preferences: absolute versus relative gains.

Each player values an outcome by (Snidal 1991, "Relative gains and the pattern of international
cooperation", APSR 85(3))::

    u_i = π_i − r_i · Σ_j s_ij π_j          with Σ_j s_ij = 1

``r_i`` in [0, 1] is the **relative-gain weight**: 0 is pure absolute gains (the liberal
player), 1 pure relative gains (zero-sum, the realist). Grieco's (1988) sensitivity ``k >= 0``,
``u = V − k (W − V)``, orders outcomes exactly as ``r = k / (1 + k)`` does, since
``V − k(W − V) = (1 + k) (V − r W)`` is a positive multiple.

With ``n`` actors who compare themselves with the average of the others, a bilateral deal
changes one partner's payoff only, so the effective weight on that partner is ``r / (n − 1)``
(Snidal 1991, the "number of actors" effect).
"""

from __future__ import annotations

import numpy as np


def utility_game(A, B, relative_gain_weight_row, relative_gain_weight_column):
    """The utility game ``(U, V)`` of the material game ``(A, B)`` (Snidal 1991).

    ``U = A − r_row · B`` and ``V = B − r_column · A``. Weights broadcast against the leading
    axes of ``A`` and ``B``: pass ``r[:, None]`` and ``A[None]`` for a grid.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    r_row = np.asarray(relative_gain_weight_row, dtype=float)[..., None, None]
    r_col = np.asarray(relative_gain_weight_column, dtype=float)[..., None, None]
    return A - r_row * B, B - r_col * A


def weight_from_grieco(k):
    """Relative-gain weight ``r = k / (1 + k)`` equivalent to Grieco's (1988) sensitivity ``k``."""
    k = np.asarray(k, dtype=float)
    return k / (1.0 + k)


def grieco_from_weight(r):
    """Grieco's (1988) sensitivity ``k = r / (1 − r)`` (infinite at ``r = 1``)."""
    r = np.asarray(r, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(r < 1, r / np.where(r < 1, 1 - r, 1), np.inf)


def effective_weight(relative_gain_weight, actors=2):
    """Weight on one partner for an actor comparing with the average of ``actors − 1`` others.

    ``r / (n − 1)`` (Snidal 1991): in a bilateral deal among ``n`` actors only the partner's
    payoff changes, and it enters the average with weight ``1 / (n − 1)``.
    """
    n = np.asarray(actors, dtype=float)
    if np.any(n < 2):
        raise ValueError(f"actors must be >= 2, got {actors!r}")
    return np.asarray(relative_gain_weight, dtype=float) / (n - 1)


def comparison_utility(payoffs, relative_gain_weight, comparison):
    """General Snidal utility for ``n`` actors: ``u_i = π_i − r_i Σ_j s_ij π_j``.

    ``payoffs`` has shape ``(..., n)``, ``relative_gain_weight`` shape ``(..., n)`` or scalar
    and ``comparison`` the ``(..., n, n)`` matrices ``s`` with zero diagonal and rows summing
    to 1 (leading axes broadcast, so comparison weights can be swept).
    """
    s = np.asarray(comparison, dtype=float)
    if s.ndim < 2 or s.shape[-1] != s.shape[-2]:
        raise ValueError(f"comparison must be a square matrix, got shape {s.shape}")
    if np.any(np.diagonal(s, axis1=-2, axis2=-1) != 0) or not np.allclose(s.sum(-1), 1):
        raise ValueError("comparison weights need a zero diagonal and rows summing to 1")
    pi = np.asarray(payoffs, dtype=float)
    return pi - np.asarray(relative_gain_weight, dtype=float) * np.einsum("...ij,...j->...i",
                                                                          s, pi)
