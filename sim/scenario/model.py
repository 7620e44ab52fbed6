"""The validated :class:`Scenario`: checks across keys, and the numbers it stands for."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
from pydantic import ValidationError

from ..games import OUTCOMES, Factor, Game, factor_game, matrix_from_trps
from ..preferences import effective_weight, weight_from_grieco
from . import uncertainty
from .messages import (ScenarioError, _did_you_mean, _error, _format_error, _type_name, show,
                       show_key)
from .schema import TRPS, ScenarioModel


#: The name of a player's one type when ``[types]`` gives it none.
BASELINE = "baseline"


@dataclass
class Scenario:
    """A validated scenario and the numbers it stands for.

    :meth:`inputs` gives ``(A, B, r_row, r_column, discount)``; any numeric key may be replaced
    by an array, so one call evaluates a whole grid.
    """

    model: ScenarioModel
    raw: dict
    where: str
    overrides: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.model.scenario.name or Path(self.where).stem

    @property
    def title(self) -> str:
        return self.model.scenario.title or self.name

    @property
    def players(self) -> tuple[str, str]:
        return (self.model.players.row, self.model.players.column)

    @property
    def factors(self) -> list[Factor]:
        return [Factor(f.name, f.theory,
                       {o: tuple(getattr(f, o)) for o in OUTCOMES if getattr(f, o) is not None},
                       f.scale, f.note)
                for f in self.model.factors or ()]

    # -- checks that need more than one key ---------------------------------------------------
    def check(self, where: str | None = None) -> None:
        """Raise :class:`ScenarioError` (naming ``where``) on a mistake across keys."""
        m, where = self.model, where or self.where
        if m.players.row == m.players.column:
            raise _error(where, "players.column", "same name as players.row",
                         "two different player names", m.players.column)
        if (m.payoffs is None) == (m.factors is None):
            both = m.payoffs is not None
            raise _error(where, "[payoffs] and [[factors]]", "both given" if both else
                         "neither given", "exactly one of them: [payoffs] for a given game, "
                         "[[factors]] for payoffs built from named motives")
        if m.factors is not None:
            self._check_factors(where)
        if m.payoffs is not None:
            self._payoff_form(where)
        pref = m.preferences
        if pref.relative_gain_weight is not None and pref.grieco_k is not None:
            raise _error(where, "preferences", "relative_gain_weight and grieco_k both given",
                         "one of them (r = k / (1 + k))")
        for key in ("relative_gain_weight", "grieco_k", "actors"):
            for name, value in (getattr(pref, key) or {}).items():
                if name not in self.players:
                    raise _error(where, f"preferences.{key}.{show_key(name)}",
                                 f"unknown player{_did_you_mean(name, self.players)}",
                                 ", ".join(self.players), value)
        if m.blocs is not None:
            from .blocs import check_blocs

            check_blocs(self, where)
        if m.strategies or (m.tournament and m.tournament.entrants) or \
                (m.evolution and m.evolution.entrants):
            from .strategies import check_strategies

            check_strategies(self, where)
        self._check_types(where)
        self._ranges = uncertainty.parse(self, where, self.pinned())

    # -- uncertainty ------------------------------------------------------------------------------
    def uncertainty(self) -> dict:
        """``{dotted key: Distribution}`` of the keys with a range (``[uncertainty]``), by
        canonical key (factors by index); a key whose value ``--set`` fixed has none."""
        if not hasattr(self, "_ranges"):
            self._ranges = uncertainty.parse(self, self.where, self.pinned())
        return dict(self._ranges)

    def pinned(self):
        """Whether a numeric key's value is set by an override (without its range): a
        predicate, true for the keys at or below a ``--set`` key (so ``--set
        preferences.relative_gain_weight={...}`` pins every player's weight, whatever the
        players are called)."""
        keys = [k for k, _ in self.overrides if isinstance(k, str)]
        names = [f.name for f in self.model.factors or ()]
        ranged = set()
        for k in keys:
            if k.startswith("uncertainty."):
                try:
                    ranged.add(uncertainty.canonical_key(k.removeprefix("uncertainty."), names))
                except (KeyError, ValueError):
                    pass                  # reported when the range itself is checked
        values = [k for k in keys if k != "uncertainty" and not k.startswith("uncertainty.")]
        return lambda key: key not in ranged and any(
            key == k or key.startswith(k + ".") for k in values)

    def type_names(self, player: str) -> tuple[str, ...]:
        """A player's types in file order; one type ``"baseline"`` (the scenario itself) when
        ``[types]`` gives it none."""
        table = (self.model.types or {}).get(player)
        return tuple(table) if table else (BASELINE,)

    def prior(self, player: str) -> dict[str, float]:
        """``player``'s belief over the other player's types: ``[beliefs]``, with one type
        left out taking the remainder; certainty when the other has one type."""
        other = self.players[1 - self.players.index(player)]
        names = self.type_names(other)
        given = dict((self.model.beliefs or {}).get(player, {}))
        if len(names) == 1:
            return {names[0]: 1.0}
        rest = [n for n in names if n not in given]
        if rest:
            given[rest[0]] = max(0.0, 1.0 - sum(given.values()))
        return {n: float(given[n]) for n in names}

    def _check_types(self, where: str) -> None:
        """Types, beliefs and ``[trust]``: known players and types, priors summing to 1."""
        m = self.model
        players = ", ".join(self.players)
        factor_names = [f.name for f in m.factors or ()]
        for player, table in (m.types or {}).items():
            key = f"types.{show_key(player)}"
            if player not in self.players:
                raise _error(where, key, f"unknown player{_did_you_mean(player, self.players)}",
                             players, self.raw["types"][player])
            if not table:
                raise _error(where, key, "no types", "at least one [types.<player>.<type>] table",
                             {})
            for name, spec in table.items():
                if spec.relative_gain_weight is not None and m.preferences.grieco_k is not None:
                    raise _error(where, f"{key}.{show_key(name)}.relative_gain_weight",
                                 "given with preferences.grieco_k",
                                 "types' weights with preferences.relative_gain_weight",
                                 spec.relative_gain_weight)
                for fname, f in (spec.factors or {}).items():
                    fkey = f"{key}.{show_key(name)}.factors.{show_key(fname)}"
                    if m.factors is None:
                        raise _error(where, fkey, "factor changes need [[factors]]",
                                     f"{key}.{show_key(name)}.payoffs for a scenario with "
                                     "[payoffs]")
                    if fname not in factor_names and f.theory is None:
                        raise _error(where, fkey, "unknown factor"
                                     f"{_did_you_mean(fname, factor_names)}",
                                     ", ".join(factor_names) + " (or a new factor with a theory)")
                    if all(getattr(f, o) is None for o in OUTCOMES):
                        raise _error(where, fkey, "gives no outcome",
                                     "at least one of " + ", ".join(OUTCOMES))
                    if f.scale is not None and f.scale not in m.parameters:
                        raise _error(where, f"{fkey}.scale", "no such parameter"
                                     f"{_did_you_mean(f.scale, m.parameters)}",
                                     ", ".join(m.parameters) or "a name under [parameters]",
                                     f.scale)
        for player, belief in (m.beliefs or {}).items():
            key = f"beliefs.{show_key(player)}"
            if player not in self.players:
                raise _error(where, key, f"unknown player{_did_you_mean(player, self.players)}",
                             players, belief)
            other = self.players[1 - self.players.index(player)]
            names = self.type_names(other)
            for t, v in belief.items():
                if t not in names:
                    raise _error(where, f"{key}.{show_key(t)}", f"unknown type of {other}"
                                 f"{_did_you_mean(t, names)}", ", ".join(names), v)
            total, missing = sum(belief.values()), [n for n in names if n not in belief]
            if len(missing) > 1 or (not missing and abs(total - 1) > 1e-9) or total > 1 + 1e-9:
                raise _error(where, key, f"priors sum to {total:.6g}" if not len(missing) > 1
                             else f"no prior for {', '.join(missing)}",
                             f"probabilities of {', '.join(names)} summing to 1 (one type may "
                             "be left out: it takes the rest)", belief)
        for player in self.players:
            other = self.players[1 - self.players.index(player)]
            if len(self.type_names(other)) > 1 and player not in (m.beliefs or {}):
                raise _error(where, f"beliefs.{show_key(player)}", "missing",
                             f"{player}'s prior over {other}'s types "
                             f"{', '.join(self.type_names(other))}")
        t = m.trust
        if t is None:
            return
        for player, name in (t.cooperative or {}).items():
            key = f"trust.cooperative.{show_key(player)}"
            if player not in self.players:
                raise _error(where, key, f"unknown player{_did_you_mean(player, self.players)}",
                             players, name)
            if name not in self.type_names(player):
                raise _error(where, key, f"unknown type of {player}"
                             f"{_did_you_mean(name, self.type_names(player))}",
                             ", ".join(self.type_names(player)), name)
        if t.sender is not None and t.sender not in self.players:
            raise _error(where, "trust.sender", "unknown player"
                         f"{_did_you_mean(t.sender, self.players)}", players, t.sender)
        every = [n for p in self.players for n in self.type_names(p)]
        for action, table in (t.likelihoods or {}).items():
            for name, v in table.items():
                if name not in every:
                    raise _error(where, f"trust.likelihoods.{show_key(action)}.{show_key(name)}",
                                 f"unknown type{_did_you_mean(name, every)}", ", ".join(every), v)

    def _check_factors(self, where: str) -> None:
        m = self.model
        if not m.factors:
            raise _error(where, "factors", "empty list", "at least one [[factors]] table", [])
        for i, f in enumerate(m.factors):
            if all(getattr(f, o) is None for o in OUTCOMES):
                raise _error(where, f"factors[{i}]", f"factor {show(f.name)} gives no outcome",
                             "at least one of " + ", ".join(OUTCOMES))
            if f.scale is not None and f.scale not in m.parameters:
                raise _error(where, f"factors[{i}].scale",
                             f"no such parameter{_did_you_mean(f.scale, m.parameters)}",
                             ", ".join(m.parameters) or "a name defined under [parameters]",
                             f.scale)

    def _payoff_form(self, where: str | None = None) -> str:
        """``"symmetric"``, ``"per-player"`` or ``"matrices"``; raises if not exactly one."""
        p, where = self.model.payoffs, where or self.where
        letters = [p.T, p.R, p.P, p.S]
        extra = p.model_extra or {}
        forms = []
        if any(x is not None for x in letters):
            missing = [c for c, x in zip("TRPS", letters) if x is None]
            if missing:
                raise _error(where, f"payoffs.{missing[0]}", "missing",
                             "all of T, R, P, S for symmetric payoffs")
            forms.append("symmetric")
        if p.row is not None or p.column is not None:
            if p.row is None or p.column is None:
                raise _error(where, f"payoffs.{'column' if p.column is None else 'row'}",
                             "missing", "both a row and a column matrix")
            forms.append("matrices")
        if extra:
            for name in self.players:
                if name not in extra:
                    raise _error(where, f"payoffs.{show_key(name)}", "missing",
                                 "a [payoffs.<player>] table with T, R, P, S for each of "
                                 + ", ".join(self.players))
                if not isinstance(extra[name], Mapping):
                    raise _error(where, f"payoffs.{show_key(name)}",
                                 f"wrong type ({_type_name(extra[name])})",
                                 "a table with T, R, P, S", extra[name])
                try:
                    TRPS.model_validate(extra[name])
                except ValidationError as err:
                    raise _format_error(err, where, ("payoffs", name)) from None
            forms.append("per-player")
        if len(forms) != 1:
            raise _error(where, "payoffs", f"{' and '.join(forms) or 'nothing'} given",
                         "exactly one of T, R, P, S / a [payoffs.<player>] table per player / "
                         "row and column matrices")
        return forms[0]

    # -- numbers --------------------------------------------------------------------------------
    def inputs(self, values: Mapping[str, Any] | None = None):
        """``(A, B, r_row, r_column, discount)`` with any dotted keys replaced by arrays.

        ``values`` maps keys such as ``"parameters.threat"``, ``"repeated.discount"`` or
        ``"preferences.relative_gain_weight.NATO"`` to numbers or arrays (which must broadcast
        with each other). Relative-gain weights come out effective: Grieco's ``k`` converted
        and divided by ``actors − 1`` (Snidal 1991).
        """
        get = self._getter(values)
        if self.model.factors is not None:
            A, B = factor_game(*self._factors_at(get))
        else:
            A, B = self._payoff_arrays(get)
        r_row, r_col = (self._weight(name, get) for name in self.players)
        discount = get("repeated.discount", self.model.repeated.discount)
        return A, B, r_row, r_col, discount

    def _getter(self, values):
        """``get(key, default)``: the array given for ``key`` in ``values``, else the default;
        unknown keys are a :class:`ScenarioError`."""
        values = dict(values or {})
        known = set(self.numeric_keys()) if values else set()
        unknown = [k for k in values if k not in known]
        if unknown:
            raise _error(self.where, show_key(unknown[0]), "unknown key"
                         f"{_did_you_mean(unknown[0], self.numeric_keys())}",
                         ", ".join(self.numeric_keys()))

        def get(key, default):
            return np.asarray(values[key], float) if key in values else default

        return get

    def _factors_at(self, get):
        """``(factors, parameters)`` with the values ``get`` gives substituted."""
        m = self.model
        params = {k: get(f"parameters.{k}", v) for k, v in m.parameters.items()}
        factors = [Factor(f.name, f.theory,
                          {o: tuple(get(f"factors.{i}.{o}.{side}", v[side]) for side in (0, 1))
                           for o, v in f_.values.items()}, f.scale)
                   for i, (f, f_) in enumerate(zip(m.factors, self.factors))]
        return factors, params

    def factor_games(self, values: Mapping[str, Any] | None = None):
        """``[(name, A_f, B_f)]``: each factor's material game (with ``values`` substituted),
        or one ``("payoffs", A, B)`` for a scenario given by ``[payoffs]``; the games sum to
        :meth:`inputs`'s ``A, B``. Also the parameters, for factors of bloc members."""
        get = self._getter(values)
        if self.model.factors is None:
            return [("payoffs", *self._payoff_arrays(get))], {}
        factors, params = self._factors_at(get)
        return [(f.name, *factor_game([f], params)) for f in factors], params

    def _payoff_arrays(self, get):
        p = self.model.payoffs
        form = self._payoff_form()
        if form == "symmetric":
            M = matrix_from_trps(*(get(f"payoffs.{c}", getattr(p, c)) for c in "TRPS"))
            return M, np.swapaxes(M, -1, -2)
        if form == "matrices":
            return tuple(
                np.stack([np.stack([get(f"payoffs.{name}.{i}.{j}", X[i][j]) for j in (0, 1)], -1)
                          for i in (0, 1)], -2)
                for name, X in (("row", p.row), ("column", p.column)))
        row, col = self.players
        extra = p.model_extra
        Ms = [matrix_from_trps(*(get(f"payoffs.{n}.{c}", extra[n][c]) for c in "TRPS"))
              for n in (row, col)]
        return Ms[0], np.swapaxes(Ms[1], -1, -2)

    def _weight(self, name, get):
        pref = self.model.preferences
        if pref.grieco_k is not None:
            k = get(f"preferences.grieco_k.{name}", pref.grieco_k.get(name, 0.0))
            r = weight_from_grieco(k)
        else:
            table = pref.relative_gain_weight or {}
            r = get(f"preferences.relative_gain_weight.{name}", table.get(name, 0.0))
        actors = get(f"preferences.actors.{name}", (pref.actors or {}).get(name, 2))
        return effective_weight(r, actors)

    def actors(self) -> tuple[int, int]:
        """Number of actors each player compares itself with (2 = just the other player)."""
        table = self.model.preferences.actors or {}
        return tuple(int(table.get(n, 2)) for n in self.players)

    def nominal_weights(self) -> tuple[float, float]:
        """Each player's relative-gain weight before dilution by ``actors``."""
        pref = self.model.preferences
        if pref.grieco_k is not None:
            return tuple(float(weight_from_grieco(pref.grieco_k.get(n, 0.0))) for n in self.players)
        table = pref.relative_gain_weight or {}
        return tuple(float(table.get(n, 0.0)) for n in self.players)

    def numeric_keys(self) -> list[str]:
        """Every dotted key a sweep or ``--set`` can vary as a number."""
        keys = [f"parameters.{k}" for k in self.model.parameters]
        p = self.model.payoffs
        if p is not None:
            form = self._payoff_form()
            if form == "symmetric":
                keys += [f"payoffs.{c}" for c in "TRPS"]
            elif form == "per-player":
                keys += [f"payoffs.{n}.{c}" for n in self.players for c in "TRPS"]
            else:
                keys += [f"payoffs.{n}.{i}.{j}" for n in ("row", "column") for i in (0, 1)
                         for j in (0, 1)]
        for i, f in enumerate(self.model.factors or ()):
            keys += [f"factors.{i}.{o}.{s}" for o in OUTCOMES if getattr(f, o) is not None
                     for s in (0, 1)]
        form = "grieco_k" if self.model.preferences.grieco_k is not None else "relative_gain_weight"
        keys += [f"preferences.{form}.{n}" for n in self.players]
        keys += [f"preferences.actors.{n}" for n in self.players]
        keys += ["repeated.discount"]
        if self.model.blocs is not None:
            from .blocs import bloc_keys

            keys += bloc_keys(self)
        keys += [f"beliefs.{p}.{t}" for p, table in (self.model.beliefs or {}).items()
                 for t in table]
        keys += [f"types.{p}.{t}.relative_gain_weight" for p, table in
                 (self.model.types or {}).items() for t, spec in table.items()
                 if spec.relative_gain_weight is not None]
        if self.model.trust is not None:
            keys += ["trust.signal_cost", "trust.cost_ratio"]
        return keys

    def has_key(self, key: str) -> bool:
        return key in self.numeric_keys()

    def value(self, key: str) -> float:
        """The scenario's own value of a numeric key (``repeated.noise`` included); a weight
        or actor count the file leaves out has its default (0, resp. 2)."""
        if key in ("repeated.discount", "repeated.noise"):
            return float(getattr(self.model.repeated, key.split(".")[1]))
        if key in ("trust.signal_cost", "trust.cost_ratio") and self.model.trust is not None:
            return float(getattr(self.model.trust, key.split(".")[1]))
        if not self.has_key(key):
            raise ScenarioError(f"{self.where}: unknown key '{key}'; allowed: "
                                f"{', '.join(self.numeric_keys())}, repeated.noise")
        node = self.raw
        for part in key.split("."):
            if isinstance(node, list):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:                       # left out: absolute gains, two actors
                return 2.0 if key.startswith("preferences.actors.") else 0.0
        return float(node)

    def material_game(self) -> Game:
        A, B, *_ = self.inputs()
        return Game(A, B, self.players, "material payoffs")

    def weights(self) -> tuple[float, float]:
        _, _, r_row, r_col, _ = self.inputs()
        return float(r_row), float(r_col)

    @property
    def discount(self) -> float:
        return float(self.model.repeated.discount)

    def utility_game(self) -> Game:
        from ..preferences import utility_game

        A, B, r_row, r_col, _ = self.inputs()
        U, V = utility_game(A, B, r_row, r_col)
        return Game(U, V, self.players, "utilities")

    def describe_key(self, key: str) -> str:
        """A readable label for a dotted key, for axes and tables."""
        parts = key.split(".")
        if parts[0] == "preferences":
            return f"{parts[-1]}'s {parts[1].replace('_', '-')}"
        if parts[0] == "repeated" and parts[1] == "discount":
            return "discount factor δ"
        if parts[0] == "repeated" and parts[1] == "noise":
            return "execution noise ε"
        if parts[0] == "factors":
            f = self.model.factors[int(parts[1])]
            who = self.players[int(parts[3])]
            return f"{f.name} ({parts[2]}, to {who})"
        if parts[0] == "blocs":
            from .blocs import describe_bloc_key

            return describe_bloc_key(parts)
        if parts[0] == "parameters" and len(parts) == 2:
            scaled = [f.name for f in self.model.factors if f.scale == parts[1]]
            return f"{parts[1]} (multiplies {', '.join(scaled)})" if scaled else parts[1]
        return parts[-1]

    # -- the object API: each task is one call of the library function that does the work ----
    def analyse(self):
        """The analysis of ``blocsim run``: equilibria, thresholds, regime.

        Returns
        -------
        sim.analysis.Summary
            A mapping with the keys of ``summary.json``; ``.account()`` words it,
            ``.figure()`` draws the regime map.

        Examples
        --------
        >>> import sim
        >>> sim.load("nato_csto_2007").analyse()["regime"]
        'one-sided'
        """
        from ..analysis import summarize

        return summarize(self)

    def tournament(self, players=None, *, turns=None, continuation=None, noise=None,
                   repetitions=None, seed=None, method=None, payoffs=None, self_play=None,
                   progress: bool = False, budget=None):
        """A round-robin tournament on the scenario's game (``blocsim tournament``).

        Each setting left ``None`` comes from the scenario's ``[tournament]`` section, else
        from the library default (:data:`sim.workflows.settings.DEFAULTS`).

        Parameters
        ----------
        players : list, optional
            Strategies: registered names, memory-one vectors or tables.
        turns : int, optional
            Turns per match (default 200), or
        continuation : float, optional
            Axelrod's continuation probability w in [0, 1) (geometric match length).
        noise : float, optional
            Execution noise ε in [0, 0.5] (default: the scenario's ``repeated.noise``).
        repetitions, seed : int, optional
            Monte Carlo repetitions (default 20) and seed (default 0).
        method : {"auto", "exact", "simulate"}, optional
        payoffs : {"utility", "material"}, optional
            Play on the utility game (relative gains; default) or the material payoffs.
        self_play : bool, optional
            Each strategy also meets a copy of itself (default true).
        budget : sim.budget.Budget, optional
            Memory and time the tournament may use (default: the memory this process may
            still allocate); a larger estimate raises :class:`sim.budget.BudgetError`.

        Returns
        -------
        sim.workflows.tournament.TournamentRun
            The JSON of ``blocsim tournament`` as a mapping; ``.result`` the
            :class:`~sim.tournament.TournamentResult`, ``.figures()`` its charts.

        Examples
        --------
        >>> import sim
        >>> run = sim.load("prisoners_dilemma").tournament(["TFT", "AllD", "AllC"])
        >>> run["ranking"][0]
        'AllD'
        """
        from ..workflows.tournament import tournament

        return tournament(self, players=players, turns=turns, continuation=continuation,
                          noise=noise, repetitions=repetitions, seed=seed, method=method,
                          payoffs=payoffs, self_play=self_play, progress=progress,
                          budget=budget)

    def evolve(self, players=None, *, dynamics=None, population=None, intensity=None,
               fitness=None, mutation=None, runs=None, generations=None, replace=None,
               seed=None, payoffs=None, budget=None):
        """Evolutionary dynamics among strategies in the scenario's repeated game
        (``blocsim evolve``), on their exact payoffs at the scenario's δ and noise.

        Each setting left ``None`` comes from the scenario's ``[evolution]`` section, else
        from the library default (:data:`sim.workflows.settings.DEFAULTS`).

        Parameters
        ----------
        players : list, optional
            Strategies (default AllC, AllD, TFT).
        dynamics : {"replicator", "moran", "generational"}, optional
        population : int, optional
            Population size for Moran and generational play (default 60).
        intensity : float, optional
            Selection intensity β (default 1).
        fitness : {"exponential", "linear"}, optional
            Moran fitness map exp(β·payoff) (default) or 1 − β + β·payoff.
        mutation : float, optional
            Mutation probability (simulated Moran, default 0).
        runs, generations, replace, seed : int, optional
            Independent runs (1000 Moran, 20 generational), generations (50), individuals
            replaced per generation (5), seed (0).
        payoffs : {"utility", "material"}, optional

        Returns
        -------
        sim.workflows.evolve.EvolutionRun
            The JSON of ``blocsim evolve`` as a mapping; ``.result`` the dynamics' result,
            ``.figures()`` its figures.

        Examples
        --------
        >>> import sim
        >>> run = sim.load("prisoners_dilemma").evolve(dynamics="moran", players=["TFT", "AllD"])
        >>> sorted(run["fixation_probability"])
        ['AllD', 'TFT', 'neutral']
        """
        from ..workflows.evolve import evolve

        return evolve(self, players=players, dynamics=dynamics, population=population,
                      intensity=intensity, fitness=fitness, mutation=mutation, runs=runs,
                      generations=generations, replace=replace, seed=seed, payoffs=payoffs,
                      budget=budget)

    def folk(self, discount=None, *, weights=None, payoffs=None, bounds=None):
        """The folk theorem computed (``blocsim folk``): subgame-perfect payoff sets.

        Parameters
        ----------
        discount : float or list of float, optional
            Discount factors δ in [0, 1) (default: the ``[folk]`` section's, else 0.3, 0.6
            and the scenario's δ).
        weights : list of float, optional
            Relative-gain weights of the panel figure (default 0, 0.25, 0.5, 0.75).
        payoffs : {"utility", "material"}, optional
        bounds : int or True, optional
            Also certified inner and outer sets (Judd, Yeltekin & Conklin 2003) with this
            many directions (``True``: 64).

        Returns
        -------
        sim.workflows.folk.FolkRun
            The JSON of ``blocsim folk`` as a mapping, with ``.figures()``.

        Examples
        --------
        >>> import sim
        >>> sim.load("prisoners_dilemma").folk(discount=[0.5, 0.9])["cooperation_in_set"]
        [True, True]
        """
        from ..workflows.folk import folk

        if discount is not None and not isinstance(discount, (list, tuple)):
            discount = [discount]
        return folk(self, discount=discount, weights=weights, payoffs=payoffs, bounds=bounds)

    def robust(self, draws=None, *, seed: int = 0) -> dict:
        """How robust the verdict is to the ``[uncertainty]`` ranges (``blocsim robust``):
        shares of regimes over scrambled Sobol draws, break-even values, Sobol indices.

        ``draws`` defaults to :data:`sim.robust.summary.DRAWS`; returns the JSON of
        ``blocsim robust`` (:func:`sim.robust.robustness`).
        """
        from ..robust.summary import DRAWS, robustness

        return robustness(self, DRAWS if draws is None else draws, seed)

    def trust(self):
        """Trust and mistrust (``blocsim trust``): the Bayesian equilibria of the scenario's
        ``[types]`` and ``[beliefs]`` (Harsanyi 1967–68), the trust threshold (Kydd 2005),
        costly reassurance (Cho & Kreps 1987), spirals under noise (Jervis 1976) and the
        model's account of the dated record; with one type per side it reduces to the
        complete-information game.

        Returns
        -------
        sim.workflows.trust.TrustRun
            The JSON of ``blocsim trust`` as a mapping; ``.account()`` words it,
            ``.figures()`` draws the belief timeline and the (prior, cost) and (prior, δ)
            maps, ``.to_frame()`` tabulates the record.

        Examples
        --------
        >>> import sim
        >>> run = sim.load("nato_csto_trust").trust()
        >>> run["truster"], run["trustee"]
        ('NATO', 'CSTO')
        """
        from ..workflows.trust import trust

        return trust(self)

    def formats(self, x=None, y=None):
        """Formats of cooperation (``blocsim formats``) for a scenario with ``[blocs]``: each
        actor's utility in the bloc format, the bilateral format and the status quo (stage,
        repeated at δ, and if realised), the format each prefers, the format-choice stage,
        the members' voting power (Shapley & Shubik 1954, Banzhaf 1965) and the flip points.

        Parameters
        ----------
        x, y : str, optional
            Keys on the preferred-format map's axes (default: the common threat against the
            bloc's quota, :func:`sim.blocs.maps.default_axes`).

        Returns
        -------
        sim.workflows.formats.FormatsRun
            The JSON of ``blocsim formats`` as a mapping; ``.account()`` words it,
            ``.figures()`` draws the formats compared and the map, ``.to_frame()``
            tabulates the utilities.

        Examples
        --------
        >>> import sim
        >>> run = sim.load("nato_csto_members").formats()
        >>> run["choice"]["repeated"], run["preferred"]["repeated"]["NATO"]
        ('bilateral', 'bilateral')
        """
        from ..workflows.formats import formats

        return formats(self, x, y)

    def sweep(self, axes=None, measures=None, *, out=None, seed=None, executor=None,
              workers=None, chunk_size=None, scheduler=None, force: bool = False,
              resume: bool = False, progress: bool = False):
        """Evaluate measures over a grid of scenario values (``blocsim sweep``).

        Without ``out`` the sweep runs in memory; with ``out`` it writes the same resumable
        result folder as ``blocsim sweep --out``.

        Parameters
        ----------
        axes : list of str or Axis, optional
            ``"KEY=start:stop:num"``, ``"KEY=log:start:stop:num"`` or ``"KEY=v1,v2"``
            (default: the ``[sweep]`` section's axes).
        measures : list of str, optional
            ``"NAME[:OPT=V,...]"`` (default: the section's, else regime and
            blocked_by_relative_gains).
        out : path, optional
            Result folder; ``force`` starts over, ``resume`` keeps finished chunks.
        seed, executor, workers, chunk_size, scheduler : optional
            As the options of ``blocsim sweep``.

        Returns
        -------
        sim.sweep.result.SweepResult
            With ``.to_frame()``, ``.to_xarray()`` and ``.figure(measure)``.

        Examples
        --------
        >>> import sim
        >>> res = sim.load("nato_csto_2007").sweep(["repeated.discount=0:0.9:4"])
        >>> res.to_frame()["regime"].tolist()
        ['one-sided', 'one-sided', 'one-sided', 'one-sided']
        """
        from ..workflows.sweep import sweep

        return sweep(self, axes=axes, measures=measures, out=out, seed=seed, executor=executor,
                     workers=workers, chunk_size=chunk_size, scheduler=scheduler, force=force,
                     resume=resume, progress=progress)
