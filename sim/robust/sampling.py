"""Quasi-random draws from a scenario's uncertainty ranges.

Points of the unit cube come from Sobol's (1967) sequence with Owen's (1998) scrambling
(scipy.stats.qmc: linear matrix scrambling and a digital shift; Joe & Kuo 2008 direction
numbers), seeded. Independent scramblings give *replicates*: the spread of an estimate across
them is its randomised-QMC standard error (Owen 1997; L'Ecuyer & Lemieux 2002). Each key's
values are its distribution's quantiles at one coordinate (inverse transform, Devroye 1986).
"""

from __future__ import annotations

import warnings

import numpy as np

#: Independent scramblings used for the standard error of a share.
REPLICATES = 8


def unit_sample(n: int, d: int, seed: int = 0, replicates: int = 1) -> np.ndarray:
    """``replicates`` independently scrambled Sobol samples of the unit cube ``[0, 1)^d``:
    shape ``(replicates, ceil(n / replicates), d)``, reproducible from ``seed``."""
    from scipy.stats import qmc

    if n < 1 or d < 1 or replicates < 1:
        raise ValueError(f"n, d and replicates must be >= 1, got {n}, {d}, {replicates}")
    m = -(-n // replicates)
    streams = np.random.SeedSequence(seed).spawn(replicates)
    out = np.empty((replicates, m, d))
    with warnings.catch_warnings():      # balance needs n = 2^k; any n is still valid RQMC
        warnings.filterwarnings("ignore", "The balance properties", UserWarning)
        for i, stream in enumerate(streams):
            out[i] = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(stream)).random(m)
    return out


def values_at(distributions, unit) -> dict:
    """``{key: values}``: each distribution's quantiles at its column of ``unit`` (``(..., d)``,
    columns in the order of ``distributions``)."""
    unit = np.asarray(unit, dtype=float)
    return {d.key: d.ppf(unit[..., i]) for i, d in enumerate(distributions)}
