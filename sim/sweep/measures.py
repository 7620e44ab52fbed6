"""The measure registry: what a sweep evaluates at each point.

A measure is a named callable of one of two kinds:

* **analytic** — ``func(batch, **options)`` returns an array that broadcasts to
  ``batch.shape``; it is evaluated on whole rectangular boxes of the grid at once, each
  axis's values shaped to broadcast (so what depends on one axis only is computed once per
  value of that axis);
* **simulated** — ``func(batch, seeds, **options)`` returns a 1-D array with one value per
  point of a flat batch; ``seeds[i]`` is the point's own :class:`numpy.random.SeedSequence`,
  derived from ``(sweep seed, point index, measure name)`` only (:func:`point_seeds`), so a
  result does not depend on how the sweep is chunked or which executor runs it.

Measures register themselves with :func:`register` in the modules listed in ``PROVIDERS``,
which are imported on the first look-up (no work at import time, no hand-kept list of
measures). A new module of measures adds itself to ``PROVIDERS``; the engine is unchanged.
"""

from __future__ import annotations

import difflib
import importlib
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .axes import SweepError

#: Modules whose import registers measures.
PROVIDERS = ("sim.sweep.analytic", "sim.sweep.simulated", "sim.sweep.tournament_measures",
             "sim.sweep.evolution_measures", "sim.sweep.trust_measures",
             "sim.sweep.robust_measures", "sim.sweep.format_measures")

#: Keys a sweep may vary besides :meth:`Scenario.numeric_keys`: read by measures through
#: :class:`Batch`, not by :meth:`Scenario.inputs`.
EXTRA_KEYS = ("repeated.noise",)

KINDS = ("analytic", "simulated")


@dataclass(frozen=True)
class Option:
    """A measure option: its type, default (``None``: taken from the scenario) and meaning.

    ``type`` is ``int`` (whole number >= 1), ``float`` (finite number), ``str`` (one of
    ``choices`` if given) or ``tuple`` (a list of names: a list in a scenario file,
    ``A+B+C`` on the command line)."""

    type: type
    default: Any
    text: str
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Measure:
    """A registered measure. ``dtype`` is ``"regime"`` (codes into ``REGIMES``),
    ``"category"`` (codes into ``categories(options)``, e.g. strategy names), ``"bool"`` or
    ``"float"``; ``cost(options)`` estimates seconds per point (simulated measures);
    ``check(options, scenario)`` returns an error text for options that do not fit together
    or do not fit the scenario (``None`` when the scenario is not known yet: strategy names
    are then checked against the library only), else ``None``."""

    name: str
    kind: str
    func: Callable
    text: str
    dtype: str = "float"
    unit: str = ""
    options: Mapping[str, Option] = field(default_factory=dict)
    cost: Callable[[Mapping], float] | None = None
    categories: Callable[[Mapping], list[str]] | None = None
    check: Callable[[Mapping], str | None] | None = None
    memory: Callable[[Mapping], float] | None = None


_REGISTRY: dict[str, Measure] = {}
_loaded = False


#: The ``noise`` option shared by the repeated-play measures.
NOISE = Option(float, None, "execution noise ε in [0, 0.5] (default: the scenario's "
                            "repeated.noise or its axis)")


def check_noise(options) -> str | None:
    """An error text if the ``noise`` option leaves [0, 0.5], else ``None``."""
    eps = options.get("noise", 0.0)
    return None if 0 <= eps <= 0.5 else f"noise = {eps}: allowed: a number in [0, 0.5]"


def register(name: str, kind: str, text: str, *, dtype: str = "float", unit: str = "",
             options: Mapping[str, Option] | None = None, cost=None, categories=None,
             check=None, memory=None):
    """Decorator registering ``func`` as measure ``name`` (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"measure kind {kind!r}; allowed: {', '.join(KINDS)}")
    if kind == "simulated" and cost is None:
        raise ValueError(f"simulated measure {name!r} needs a cost estimate")
    if (dtype == "category") != (categories is not None):
        raise ValueError(f"measure {name!r}: categories are given exactly for dtype 'category'")

    def decorate(func):
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"measure {name!r} is registered twice")
        _REGISTRY[name] = Measure(name, kind, func, text, dtype, unit, dict(options or {}), cost,
                                  categories, check, memory)
        return func

    return decorate


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in PROVIDERS:
            importlib.import_module(module)
        _loaded = True


def names() -> list[str]:
    """Names of all registered measures."""
    _load()
    return list(_REGISTRY)


def get(name: str, where: str | None = None) -> Measure:
    """The measure called ``name``; :class:`SweepError` (with a suggestion, naming ``where``
    it was asked for) if there is none."""
    _load()
    if name not in _REGISTRY:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise SweepError(f"{where or '--measure ' + str(name)}: no such measure{hint}; allowed: "
                         f"{', '.join(_REGISTRY)}")
    return _REGISTRY[name]


@dataclass(frozen=True)
class MeasureCall:
    """A measure with its options fixed: what one column of the result table holds."""

    name: str
    options: tuple = ()             # sorted (option, value) pairs, hashable and picklable

    @property
    def measure(self) -> Measure:
        return get(self.name)

    def to_dict(self) -> dict:
        return {"name": self.name, "options": {k: list(v) if isinstance(v, tuple) else v
                                               for k, v in self.options}}

    @property
    def categories(self) -> list[str] | None:
        """Labels of the codes of a ``"category"`` measure (else ``None``)."""
        m = self.measure
        return None if m.categories is None else list(m.categories(dict(self.options)))


def _option_value(measure: Measure, key: str, value, where: str):
    if key not in measure.options:
        allowed = ", ".join(measure.options) or "none"
        raise SweepError(f"{where}: unknown option '{key}' of {measure.name}; allowed: {allowed}")
    opt = measure.options[key]
    if opt.type is tuple:
        items = value.split("+") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not items or \
                not all(isinstance(x, str) and x.strip() for x in items):
            raise SweepError(f"{where}: {key} = {value!r}: allowed: names joined by '+' "
                             "(a list of names in a scenario file)")
        return tuple(x.strip() for x in items)
    if opt.type is str:
        if not isinstance(value, str) or (opt.choices and value not in opt.choices):
            allowed = ", ".join(opt.choices) if opt.choices else "a name"
            raise SweepError(f"{where}: {key} = {value!r}: allowed: {allowed}")
        return value
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise SweepError(f"{where}: {key} = {value!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise SweepError(f"{where}: {key} = {value!r}: allowed: a finite number")
    if opt.type is int:
        from ..budget import LEAST, LIMITS

        least, most = LEAST.get(key, 1), LIMITS.get(key, LIMITS["repetitions"])
        if value != int(value) or not least <= value <= most:
            shown = int(value) if float(value).is_integer() else value
            raise SweepError(f"{where}: {key} = {shown!r}: allowed: a whole number from "
                             f"{least} to {most:_}")
        return int(value)
    return float(value)


def measure_call(name: str, options: Mapping | None = None, where: str | None = None,
                 scenario=None):
    """A :class:`MeasureCall` with checked options (unknown ones and wrong types rejected;
    strategy names against the library and the ``[strategies]`` of ``scenario``, if given)."""
    where = where or f"--measure {name}"
    m = get(name, where)
    opts = {k: _option_value(m, k, v, where) for k, v in (options or {}).items()}
    call = MeasureCall(name, tuple(sorted(opts.items())))
    check_call(call, scenario, where)
    return call


def check_call(call: MeasureCall, scenario=None, where: str | None = None) -> None:
    """Raise :class:`SweepError` (naming ``where``) if the measure's ``check`` finds its
    options wrong, or wrong for ``scenario``."""
    m = call.measure
    problem = m.check(dict(call.options), scenario) if m.check else None
    if problem:
        raise SweepError(f"{where or '--measure ' + call.name}: {problem}")


def parse_measure(text: str, scenario=None) -> MeasureCall:
    """A measure from ``NAME`` or ``NAME:OPTION=VALUE,OPTION=VALUE`` (as given to
    ``--measure``), e.g. ``simulated_cooperation:noise=0.05,repetitions=500``; strategy names
    may be the ``[strategies]`` of ``scenario``."""
    name, _, rest = text.strip().partition(":")
    options = {}
    for item in filter(None, (s.strip() for s in rest.split(","))):
        if "=" not in item:
            raise SweepError(f"--measure {text}: option {item!r}: expected OPTION=VALUE")
        key, value = (s.strip() for s in item.split("=", 1))
        options[key] = value
    return measure_call(name.strip(), options, f"--measure {text}", scenario)


def point_seeds(seed: int, indices, name: str) -> "PointSeeds":
    """Each point's own seed: ``SeedSequence(seed, spawn_key=(point index, crc32(name)))``.

    Depends only on the sweep seed, the point's index in the grid and the measure's name, so
    results are identical however the points are chunked and wherever they are evaluated,
    and two measures never share a random stream (O'Neill 2014, PCG; numpy's SeedSequence).
    The sequences are made when asked for (an exact measure never pays for them).
    """
    return PointSeeds(seed, indices, zlib.crc32(name.encode()))


class PointSeeds(Sequence):
    """The points' :class:`numpy.random.SeedSequence` objects, made on access."""

    def __init__(self, seed: int, indices, tag: int):
        self.seed, self.indices, self.tag = int(seed), indices, tag

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return PointSeeds(self.seed, self.indices[i], self.tag)
        return np.random.SeedSequence(self.seed, spawn_key=(int(self.indices[i]), self.tag))

    def integers(self, positions=None) -> np.ndarray:
        """One 64-bit integer per point (``generate_state(1, uint64)``), for the points at
        ``positions`` (default: all)."""
        positions = range(len(self)) if positions is None else positions
        return np.array([self[int(q)].generate_state(1, np.uint64)[0] for q in positions],
                        dtype=np.uint64)


class Batch:
    """The numbers of a block of points, computed once and shared by the measures.

    ``values`` maps scenario keys to arrays broadcasting to ``shape`` (a box of the grid, or
    a flat list of points). Keys in ``EXTRA_KEYS`` are read here; the rest go to
    :meth:`Scenario.inputs`.
    """

    def __init__(self, scenario, values: Mapping[str, np.ndarray], shape: tuple):
        values = dict(values)
        self.noise = np.asarray(values.pop("repeated.noise", scenario.model.repeated.noise),
                                dtype=float)
        self.scenario, self.values, self.shape = scenario, values, tuple(shape)

    @cached_property
    def inputs(self):
        """``(A, B, r_row, r_column, discount)`` (material game, effective weights, δ)."""
        return self.scenario.inputs(self.values)

    @cached_property
    def utility(self):
        """The utility game ``(U, V)`` (Snidal 1991)."""
        from ..preferences import utility_game

        A, B, r_row, r_col, _ = self.inputs
        return utility_game(A, B, r_row, r_col)

    @cached_property
    def regimes(self):
        """``(regime code, blocked_by_relative_gains)`` from :func:`analyse_grid`."""
        from ..equilibria import analyse_grid

        return analyse_grid(*self.inputs)

    @cached_property
    def critical(self):
        """:func:`sim.critical.critical_weight`: row, column, common, shape ``(3, ...)``."""
        from ..critical import critical_weight

        return critical_weight(*self.inputs)

    def full(self, x) -> np.ndarray:
        """``x`` broadcast to the batch's shape."""
        return np.broadcast_to(np.asarray(x), self.shape)

    def points(self, noise=None):
        """``(U, V, δ, ε)`` point by point: the utility games, shape ``shape + (2, 2)``, and the
        discount factor and execution noise, shape ``shape`` (``noise``, if given, replaces
        the scenario's or the axis's ε). ValueError if ε leaves [0, 0.5]."""
        U, V = (np.broadcast_to(X, self.shape + (2, 2)) for X in self.utility)
        eps = self.full(self.noise if noise is None else noise)
        if ((eps < 0) | (eps > 0.5)).any():
            raise ValueError(f"noise must be in [0, 0.5], got {eps.min()}..{eps.max()}")
        return U, V, self.full(self.inputs[4]), eps
