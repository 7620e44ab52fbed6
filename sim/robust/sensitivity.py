"""Variance-based sensitivity of the verdict: Sobol first-order and total indices by SALib.

For an output ``Y = f(X_1, ..., X_d)`` of independent inputs, the first-order index
``S1_i = V(E[Y | X_i]) / V(Y)`` is the share of the variance that ``X_i`` explains alone, the
total index ``ST_i = E[V(Y | X_−i)] / V(Y)`` the share it takes part in, interactions
included (Sobol 1993, 2001; Homma & Saltelli 1996); ``ST_i >= S1_i``, and ``ST_i = 0`` exactly
when ``Y`` does not depend on ``X_i``. The outputs here are indicators (a regime holds, the flag
is set), so the indices say which author's judgement call the verdict's *variance* hinges on.

Estimation is SALib's (Herman & Usher 2017; Iwanaga, Usher & Herman 2022): Saltelli's (2002,
2010) cross-sampling of scrambled Sobol points (``SALib.sample.sobol``), Saltelli et al.
(2010)'s first-order and Jansen's (1999) total estimators with bootstrap confidence intervals
(``SALib.analyze.sobol``). Inputs are sampled on the unit cube and mapped through each key's
quantile function, so any of the distributions of :mod:`sim.scenario.uncertainty` is allowed.
"""

from __future__ import annotations

import warnings

import numpy as np


def saltelli_unit(d: int, base: int, seed: int = 0) -> np.ndarray:
    """SALib's Saltelli sample of ``[0, 1]^d``: ``base · (d + 2)`` rows (``base`` a power of 2)."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0, 1]] * d}
    return sobol_sample.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)


def analyse(names, outputs: dict, seed: int = 0, conf_level: float = 0.95) -> dict:
    """Sobol indices of each output (a 1-D array over a :func:`saltelli_unit` sample):
    ``{output: {"S1", "S1_conf", "ST", "ST_conf", "variance"}}`` with one value per name;
    an output that does not vary has all indices 0 (nothing to apportion)."""
    from SALib.analyze import sobol as sobol_analyze

    problem = {"num_vars": len(names), "names": list(names),
               "bounds": [[0, 1]] * len(names)}
    out = {}
    for name, Y in outputs.items():
        Y = np.asarray(Y, dtype=float)
        var = float(Y.var())
        if var == 0:
            zero = [0.0] * len(names)
            out[name] = {"S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero,
                         "variance": 0.0}
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.filterwarnings("ignore", "Constant values encountered", UserWarning)
            res = sobol_analyze.analyze(problem, Y, calc_second_order=False,
                                        conf_level=conf_level, seed=seed)
        out[name] = {k: [float(x) for x in res[k]] for k in ("S1", "S1_conf", "ST", "ST_conf")}
        out[name]["variance"] = var
    return out


def sobol_indices(names, func, base: int = 1024, seed: int = 0, conf_level: float = 0.95):
    """Sobol indices of ``func`` (unit sample ``(n, d)`` → ``{output: array (n,)}``) over
    independent uniform inputs on ``[0, 1]`` named ``names``: see :func:`analyse`."""
    unit = saltelli_unit(len(names), base, seed)
    return analyse(names, func(unit), seed, conf_level)
