"""Bayes' rule for a belief that the other side is the cooperative type.

A belief ``μ`` and an observation with likelihoods ``ℓ_c`` (if the other is cooperative) and
``ℓ_u`` (if not) give the posterior (Bayes 1763; in odds form, posterior odds = prior odds ×
likelihood ratio ``ℓ_c / ℓ_u``)::

    μ' = μ ℓ_c / (μ ℓ_c + (1 − μ) ℓ_u)

Everything is plain arithmetic, so it broadcasts over numpy arrays and is exact on
:class:`fractions.Fraction` inputs.
"""

from __future__ import annotations

import numpy as np


def update(prior, likelihood_c, likelihood_u):
    """The posterior after one observation (see module). Where both likelihoods are zero the
    observation is impossible under either type and the belief is left unchanged."""
    num = prior * likelihood_c
    den = num + (1 - prior) * likelihood_u
    if isinstance(den, np.ndarray) or isinstance(num, np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1), prior)
    return num / den if den > 0 else prior


def path(prior, likelihoods):
    """Beliefs after each of a sequence of observations ``[(ℓ_c, ℓ_u), ...]``: a list
    starting with the prior."""
    out = [prior]
    for lc, lu in likelihoods:
        out.append(update(out[-1], lc, lu))
    return out


def prior_needed(threshold, likelihoods):
    """The least prior whose posterior after ``likelihoods`` reaches ``threshold``: in odds,
    ``prior odds = threshold odds / Π (ℓ_c/ℓ_u)`` (Bayes' rule inverted). Returns a number in
    [0, 1]; 0 when the observations alone suffice (some ``ℓ_u = 0 < ℓ_c``), 1 when they rule
    the cooperative type out (some ``ℓ_c = 0 < ℓ_u``); ``nan`` when ``threshold`` is ``nan``."""
    threshold = np.asarray(threshold, dtype=float)
    log_lr, ruled_in, ruled_out = 0.0, False, False
    for lc, lu in likelihoods:
        if lc > 0 and lu > 0:
            log_lr += np.log(float(lc)) - np.log(float(lu))
        elif lc > 0:
            ruled_in = True
        elif lu > 0:
            ruled_out = True
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        odds = threshold / (1 - threshold) * np.exp(-log_lr)
        p = np.where(threshold >= 1, 1.0, odds / (1 + odds))
    p = np.where(np.isinf(odds), 1.0, p)
    if ruled_out:
        p = np.where(np.isnan(threshold), np.nan, 1.0)
    elif ruled_in:
        p = np.where(np.isnan(threshold), np.nan, 0.0)
    return p
