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


#: Rows of the unit cube drawn at a time by :func:`unit_blocks` (a block and the values and
#: games made from it stay in cache).
BLOCK = 1 << 14


def _rows(n: int, d: int, replicates: int) -> int:
    """Rows per replicate, ``ceil(n / replicates)``; ``ValueError`` unless all are >= 1."""
    if n < 1 or d < 1 or replicates < 1:
        raise ValueError(f"n, d and replicates must be >= 1, got {n}, {d}, {replicates}")
    return -(-n // replicates)


def unit_blocks(n: int, d: int, seed: int = 0, replicates: int = 1, block: int | None = None):
    """:func:`unit_sample`'s points in blocks of at most ``block`` rows (``BLOCK``): yields
    ``(replicate, start, points)``, ``points`` being rows ``start, start + 1, ...`` of that
    replicate (a Sobol engine continues its sequence from one call to the next, so the blocks
    are exactly the rows of one call)."""
    from scipy.stats import qmc

    m = _rows(n, d, replicates)
    block = block or BLOCK
    for i, stream in enumerate(np.random.SeedSequence(seed).spawn(replicates)):
        engine = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(stream))
        for start in range(0, m, block):
            with warnings.catch_warnings():   # balance needs n = 2^k; any n is valid RQMC
                warnings.filterwarnings("ignore", "The balance properties", UserWarning)
                points = engine.random(min(block, m - start))
            yield i, start, points


def unit_sample(n: int, d: int, seed: int = 0, replicates: int = 1) -> np.ndarray:
    """``replicates`` independently scrambled Sobol samples of the unit cube ``[0, 1)^d``:
    shape ``(replicates, ceil(n / replicates), d)``, reproducible from ``seed``."""
    out = np.empty((replicates, _rows(n, d, replicates), d))
    for i, start, points in unit_blocks(n, d, seed, replicates):
        out[i, start:start + len(points)] = points
    return out


def values_at(distributions, unit) -> dict:
    """``{key: values}``: each distribution's quantiles at its column of ``unit`` (``(..., d)``,
    columns in the order of ``distributions``)."""
    unit = np.asarray(unit, dtype=float)
    return {d.key: d.ppf(unit[..., i]) for i, d in enumerate(distributions)}
