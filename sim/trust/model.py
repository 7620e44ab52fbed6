"""A scenario's types and beliefs as the objects of :mod:`sim.trust`.

Each type profile (row's type, column's type) is the scenario with both types' changes
applied — a type's relative-gain weight replaces its player's, its factor values replace the
named factors' (or add a factor), its full payoffs replace the material game (a column type's
after a row type's) — and is validated like any scenario. Any numeric key of the scenario may
be given as an array (as in :meth:`Scenario.inputs`), so a sweep evaluates a whole grid of
Bayesian games at once; ``beliefs.<player>.<type>``, ``types.<player>.<type>.
relative_gain_weight`` and ``trust.signal_cost`` / ``trust.cost_ratio`` are read here.

Roles. The **trustee** is ``[trust] sender`` (default: the column player), the **truster**
the other; trust is the truster's belief that the trustee is its cooperative type
(``[trust] cooperative``, default: its first type). The trust threshold, reassurance and the
record need exactly two trustee types; the truster's own type is its cooperative type.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping

import numpy as np

from ..preferences import utility_game
from ..scenario import from_dict
from ..scenario.messages import ScenarioError
from .bayesian import BayesianGame


@dataclass
class TrustModel:
    """The Bayesian reading of a scenario (see module)."""

    scenario: Any

    @property
    def players(self) -> tuple[str, str]:
        return self.scenario.players

    @cached_property
    def types(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(self.scenario.type_names(p) for p in self.players)

    @property
    def section(self):
        from ..scenario.schema import TrustSection

        return self.scenario.model.trust or TrustSection()

    @property
    def trustee(self) -> str:
        return self.section.sender or self.players[1]

    @property
    def truster(self) -> str:
        return self.players[1 - self.players.index(self.trustee)]

    def cooperative_type(self, player: str) -> str:
        return (self.section.cooperative or {}).get(player, self.scenario.type_names(player)[0])

    def trustee_types(self, trustee: str | None = None) -> tuple[str, str]:
        """``(cooperative type, other type)`` of the trustee; ScenarioError unless two."""
        trustee = trustee or self.trustee
        names = self.scenario.type_names(trustee)
        if len(names) != 2:
            raise ScenarioError(
                f"{self.scenario.where}: types.{trustee}: {len(names)} type(s) "
                f"({', '.join(names)}); allowed: exactly two types of {trustee} for trust "
                "thresholds, reassurance, learning and the record")
        coop = self.cooperative_type(trustee)
        return coop, next(n for n in names if n != coop)

    # -- type profiles --------------------------------------------------------------------------
    @cached_property
    def _profiles(self) -> dict:
        """``{(row type, column type): Scenario}`` with both types' changes applied."""
        sc = self.scenario
        out = {}
        for tr in self.types[0]:
            for tc in self.types[1]:
                raw = copy.deepcopy(sc.raw)
                for key in ("types", "beliefs", "trust", "sweep"):
                    raw.pop(key, None)
                raw.setdefault("scenario", {}).pop("extends", None)
                for player, name in zip(self.players, (tr, tc)):
                    spec = (sc.model.types or {}).get(player, {}).get(name)
                    if spec is not None:
                        _apply(raw, player, spec)
                where = f"{sc.where} (types {self.players[0]} = {tr}, {self.players[1]} = {tc})"
                out[tr, tc] = from_dict(raw, where)
        return out

    def utilities(self, values: Mapping[str, Any] | None = None):
        """``(U, V)``: utility games per type profile, shape ``(..., n_row, n_col, 2, 2)``."""
        values = dict(values or {})
        rows = []
        for tr in self.types[0]:
            cols = []
            for tc in self.types[1]:
                prof = self._profiles[tr, tc]
                v = {k: x for k, x in values.items() if prof.has_key(k)}
                for player, name in zip(self.players, (tr, tc)):
                    key = f"types.{player}.{name}.relative_gain_weight"
                    if key in values:
                        v[f"preferences.relative_gain_weight.{player}"] = values[key]
                A, B, r_row, r_col, _ = prof.inputs(v)
                cols.append(utility_game(A, B, r_row, r_col))
            rows.append(cols)
        U = np.stack([np.stack([np.broadcast_arrays(*c)[0] for c in r], -3) for r in rows], -4)
        V = np.stack([np.stack([np.broadcast_arrays(*c)[1] for c in r], -3) for r in rows], -4)
        return U, V

    def prior(self, player: str, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """``player``'s belief over the other's types, shape ``(..., n_types)``; a swept
        ``beliefs.<player>.<type>`` of a two-type player sets that type and the rest."""
        values = dict(values or {})
        other = self.players[1 - self.players.index(player)]
        names = self.scenario.type_names(other)
        base = self.scenario.prior(player)
        swept = [n for n in names if f"beliefs.{player}.{n}" in values]
        if swept and len(names) == 2:
            p = np.asarray(values[f"beliefs.{player}.{swept[0]}"], dtype=float)
            parts = {swept[0]: p, next(n for n in names if n != swept[0]): 1 - p}
            return np.stack(np.broadcast_arrays(*(parts[n] for n in names)), -1)
        return np.array([base[n] for n in names])

    def bayesian_game(self, values=None) -> BayesianGame:
        """The Bayesian game at one point (scalar values)."""
        U, V = self.utilities(values)
        return BayesianGame(U, V, self.prior(self.players[0], values),
                            self.prior(self.players[1], values), self.types, self.players)

    # -- the truster's view ---------------------------------------------------------------------
    def trust_arrays(self, values=None, truster: str | None = None):
        """``(A, B, p)``: the truster's and the trustee's utilities per trustee type
        (cooperative first), shape ``(..., 2, 2, 2)`` with the truster as row, and the
        truster's belief in the cooperative type. ``truster`` defaults to the model's; the
        truster's own type is its cooperative type."""
        truster = truster or self.truster
        trustee = self.players[1 - self.players.index(truster)]
        coop, other = self.trustee_types(trustee)
        U, V = self.utilities(values)
        own = self.cooperative_type(truster)
        if truster == self.players[0]:
            i = self.types[0].index(own)
            pick = [self.types[1].index(t) for t in (coop, other)]
            A, B = U[..., i, pick, :, :], V[..., i, pick, :, :]
        else:
            i = self.types[1].index(own)
            pick = [self.types[0].index(t) for t in (coop, other)]
            A = np.swapaxes(V[..., pick, i, :, :], -1, -2)
            B = np.swapaxes(U[..., pick, i, :, :], -1, -2)
        names = self.scenario.type_names(trustee)
        p = self.prior(truster, values)[..., names.index(coop)]
        return A, B, p

    def costs(self, values=None):
        """``(cost to the cooperative type, cost to the other)`` of the gesture."""
        values = dict(values or {})
        c = np.asarray(values.get("trust.signal_cost", self.section.signal_cost), dtype=float)
        k = np.asarray(values.get("trust.cost_ratio", self.section.cost_ratio), dtype=float)
        return c, c * k


def _apply(raw: dict, player: str, spec) -> None:
    """A type's changes, applied to a raw scenario in place."""
    if spec.relative_gain_weight is not None:
        raw.setdefault("preferences", {}).setdefault("relative_gain_weight", {})[player] = \
            spec.relative_gain_weight
    for name, f in (spec.factors or {}).items():
        values = {o: list(getattr(f, o)) for o in ("CC", "CD", "DC", "DD")
                  if getattr(f, o) is not None}
        existing = next((x for x in raw.get("factors", []) if x.get("name") == name), None)
        if existing is None:
            raw["factors"].append({"name": name, "theory": f.theory, **values,
                                   **({"scale": f.scale} if f.scale else {}),
                                   "note": f.note})
        else:
            existing.update(values)
            if f.scale is not None:
                existing["scale"] = f.scale
    if spec.payoffs is not None:
        raw.pop("factors", None)
        raw["payoffs"] = {"row": spec.payoffs.row, "column": spec.payoffs.column}
