"""Counter-based random streams for numba kernels: one key per run, one counter per draw.

A draw is ``uniform(key, counter)`` (in :mod:`sim.evolution.kernels`): the ``counter``-th output of the SplitMix64 generator
started at ``key`` (Steele, Lea & Flood, 2014, OOPSLA "Fast splittable pseudorandom number
generators"), so a run's random numbers depend only on its key and the draw's index — not on
how many runs there are, their order, or the thread that computes them. Keys come from
``numpy.random.SeedSequence(seed)``, whose state words are prefix-stable: run ``r`` gets the
same key for every number of runs.
"""

from __future__ import annotations

import numpy as np


def run_keys(seed: int, runs: int) -> np.ndarray:
    """``runs`` 64-bit keys derived from ``seed`` (run ``r``'s key does not depend on ``runs``)."""
    return np.random.SeedSequence(seed).generate_state(runs, dtype=np.uint64)
