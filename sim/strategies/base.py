"""The :class:`Strategy` base class, the registry every subclass joins, and
:func:`filtered` (the registered strategies whose classifiers match)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from ..games import matrix_from_trps
from .classifiers import CLASSIFIER_KEYS, automaton_classifier
from .rules import Automaton, MajorityRule

#: Own-view matrix of the standard Prisoner's Dilemma (Axelrod 1984), used for classifiers.
STANDARD_PD = matrix_from_trps(5.0, 3.0, 1.0, 0.0)

_REGISTRY: dict[str, type["Strategy"]] = {}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


@dataclass(frozen=True)
class Strategy:
    """Base class. Subclasses set ``name`` and ``aliases`` and implement :meth:`rule`;
    defining a subclass registers it under its name and aliases. Its :attr:`classifier` is
    computed from its automaton; only a strategy without one (infinite memory) declares it
    (``declared``). A class that stands for a family built from data or parameters (any
    memory-one vector, any machine) sets ``family = True``."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    declared: ClassVar[dict[str, Any]] = {}
    family: ClassVar[bool] = False
    #: The name a scenario gives this strategy (``[strategies.NAME]``, or ``name`` in its
    #: table): shown instead of :attr:`label`'s library name; not a parameter, not compared.
    title: str = field(default="", compare=False, kw_only=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            for k in {_key(cls.name), _key(cls.__name__),
                      *map(_key, cls.__dict__.get("aliases", ()))}:
                if k in _REGISTRY and _REGISTRY[k] is not cls:
                    raise ValueError(f"strategy name {k!r} registered twice")
                _REGISTRY[k] = cls

    def rule(self, M) -> Automaton | MajorityRule:
        """The rule this strategy follows in a game whose own view is ``M``."""
        raise NotImplementedError

    def automaton(self, M=STANDARD_PD) -> Automaton | None:
        """The finite-state rule, or ``None`` if the strategy has infinite memory."""
        r = self.rule(M)
        return r if isinstance(r, Automaton) else None

    @cached_property
    def classifier(self) -> dict[str, Any]:
        """``memory_depth``, ``stochastic``, ``nice``, ``forgiving``, ``finite_state``:
        computed from the automaton in the standard Prisoner's Dilemma
        (:func:`~sim.strategies.classifiers.automaton_classifier`), declared only for
        strategies without one."""
        aut = self.automaton(STANDARD_PD)
        return automaton_classifier(aut) if aut is not None else dict(self.declared)

    @property
    def label(self) -> str:
        """Display name: the given :attr:`title`, else the library name with parameters, e.g.
        ``"Random(p=0.3)"``."""
        if self.title:
            return self.title
        params = {k: v for k, v in self.parameters().items() if v is not None}
        if not params:
            return self.name
        return f"{self.name}(" + ", ".join(f"{k}={_fmt(v)}" for k, v in params.items()) + ")"

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        """Names of the parameters :func:`strategy_from_data` accepts for this class."""
        return tuple(f.name for f in fields(cls) if f.name != "title")

    def parameters(self) -> dict:
        return {k: getattr(self, k) for k in self.parameter_names()}

    def to_dict(self) -> dict:
        """Plain data that :func:`strategy_from_data` turns back into this strategy."""
        title = getattr(self, "title", "")
        return {"strategy": self.name, **({"name": title} if title else {}),
                **{k: _plain(v) for k, v in self.parameters().items()}}


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _plain(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    return v


def registry() -> dict[str, type[Strategy]]:
    """Registered strategy classes by name (one entry per class)."""
    return {cls.name: cls for cls in dict.fromkeys(_REGISTRY.values())}


def lookup(name: str) -> type[Strategy]:
    """The strategy class registered under ``name`` (case, spaces and punctuation ignored)."""
    try:
        return _REGISTRY[_key(name)]
    except KeyError:
        raise ValueError(f"unknown strategy {name!r}; known: "
                         f"{', '.join(sorted(registry()))}") from None


def filtered(**classifier) -> list[Strategy]:
    """The registered strategies, with their default parameters, whose classifier has the
    given values (families such as any memory-one vector or any machine are left out).

    Parameters
    ----------
    **classifier
        Values of ``memory_depth``, ``stochastic``, ``nice``, ``forgiving``,
        ``finite_state``.

    Returns
    -------
    list of Strategy

    Examples
    --------
    >>> import sim
    >>> [s.name for s in sim.strategies.filtered(stochastic=False, memory_depth=1)]
    ['TFT', 'Suspicious TFT', 'WSLS', 'Alternator']
    """
    unknown = [k for k in classifier if k not in CLASSIFIER_KEYS]
    if unknown:
        raise TypeError(f"filtered() got an unknown classifier {unknown[0]!r}; allowed: "
                        f"{', '.join(CLASSIFIER_KEYS)}")
    out = []
    for cls in registry().values():
        if cls.__dict__.get("family", False):
            continue
        strategy = cls()
        if all(strategy.classifier[k] == v for k, v in classifier.items()):
            out.append(strategy)
    return out
