"""The scenario schema: pydantic models of a scenario file, their limits, and what each key
allows (in words, for error messages)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from ..defaults import MAX_NOISE
from ..games import OUTCOMES

#: Largest magnitude of a payoff, factor value or parameter: sums and products of such numbers
#: (factor x scale, u = π − r·π') stay far from floating-point overflow.
MAX_ABS = 1e12
#: Largest number of actors a player may compare itself with.
MAX_ACTORS = 1_000_000


_NAME = r"^[^.\x00-\x1f\x7f]+$"
Name = Annotated[str, Field(min_length=1, pattern=_NAME, strict=True)]
Finite = Annotated[float, Field(ge=-MAX_ABS, le=MAX_ABS, allow_inf_nan=False, strict=True)]
Weight = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)]
Sensitivity = Annotated[float, Field(ge=0, le=MAX_ABS, allow_inf_nan=False, strict=True)]
Actors = Annotated[int, Field(ge=2, le=MAX_ACTORS, strict=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Meta(_Strict):
    name: Annotated[str, Field(pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]*)?$")] = ""
    extends: str | None = None
    title: str = ""
    description: str = ""
    source: str = ""


class Players(_Strict):
    row: Name = "row"
    column: Name = "column"


class TRPS(_Strict):
    T: Finite
    R: Finite
    P: Finite
    S: Finite


Pair = Annotated[list[Finite], Field(min_length=2, max_length=2)]
Matrix = Annotated[list[Pair], Field(min_length=2, max_length=2)]


class Payoffs(BaseModel):
    """``T, R, P, S`` (symmetric), one ``T, R, P, S`` table per player, or two matrices."""

    model_config = ConfigDict(extra="allow", strict=True)
    T: Finite | None = None
    R: Finite | None = None
    P: Finite | None = None
    S: Finite | None = None
    row: Matrix | None = None
    column: Matrix | None = None


class _FactorValues(_Strict):
    """A factor's values per outcome, its scale and note (shared by [[factors]] and types)."""

    CC: Pair | None = None
    CD: Pair | None = None
    DC: Pair | None = None
    DD: Pair | None = None
    scale: str | None = None
    note: str = ""


class FactorSpec(_FactorValues):
    name: str
    theory: Literal["liberal", "realist"]


class Preferences(_Strict):
    relative_gain_weight: dict[str, Weight] | None = None
    grieco_k: dict[str, Sensitivity] | None = None
    actors: dict[str, Actors] | None = None


class Repeated(_Strict):
    discount: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False, strict=True)] = 0.9
    noise: Annotated[float, Field(ge=0, le=MAX_NOISE, allow_inf_nan=False, strict=True)] = 0.0


#: A strategy as plain data: a registered name, a memory-one vector or a table (checked by
#: :func:`sim.strategies.strategy_from_data` when the strategy is built).
StrategyData = Union[str, Annotated[list[Weight], Field(min_length=5, max_length=5)],
                     dict[str, Any]]
Probability = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False, strict=True)]
Count = Annotated[int, Field(ge=1, le=10**9, strict=True)]
Seed = Annotated[int, Field(ge=0, le=2**63 - 1, strict=True)]
PayoffSpace = Literal["utility", "material"]


class _Entrants(_Strict):
    """Entrants: ``players`` (names, vectors, inline tables) and ``[[...strategies]]`` (one
    table each, for machines too long for one line); the entrants are both, in that order."""

    players: Annotated[list[StrategyData], Field(min_length=1)] | None = None
    strategies: Annotated[list[dict[str, Any]], Field(min_length=1)] | None = None

    @property
    def entrants(self) -> list | None:
        if self.players is None and self.strategies is None:
            return None
        return list(self.players or []) + list(self.strategies or [])


class TournamentSection(_Entrants):
    """``[tournament]``: defaults of ``blocsim tournament`` (command-line options win)."""

    turns: Count | None = None
    continuation: Probability | None = None
    noise: Annotated[float, Field(ge=0, le=MAX_NOISE, allow_inf_nan=False, strict=True)] | None = None
    repetitions: Count | None = None
    seed: Seed | None = None
    method: Literal["auto", "exact", "simulate"] | None = None
    payoffs: PayoffSpace | None = None
    self_play: bool = True


class EvolutionSection(_Entrants):
    """``[evolution]``: defaults of ``blocsim evolve`` (command-line options win)."""

    dynamics: Literal["replicator", "moran", "generational"] | None = None
    population: Annotated[int, Field(ge=2, le=10**6, strict=True)] | None = None
    intensity: Annotated[float, Field(ge=0, le=1e3, allow_inf_nan=False, strict=True)] | None = None
    fitness: Literal["linear", "exponential"] | None = None
    mutation: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)] | None = None
    runs: Count | None = None
    generations: Count | None = None
    replace: Count | None = None
    seed: Seed | None = None
    payoffs: PayoffSpace | None = None


class FolkSection(_Strict):
    """``[folk]``: defaults of ``blocsim folk`` (command-line options win)."""

    discount: Annotated[list[Probability], Field(min_length=1)] | None = None
    weights: Annotated[list[Weight], Field(min_length=1)] | None = None
    payoffs: PayoffSpace | None = None


Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)]
Quota = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False, strict=True)]


class MemberFactor(_Strict):
    """A payoff to one member alone in the bloc game (outcomes (row action, bloc action))."""

    name: str
    theory: Literal["liberal", "realist"]
    CC: Finite | None = None
    CD: Finite | None = None
    DC: Finite | None = None
    DD: Finite | None = None
    scale: str | None = None
    note: str = ""


class Member(_Strict):
    """``[blocs.members.<name>]``: a member's share, weight, comparisons and stakes."""

    share: Share
    relative_gain_weight: Weight | None = None
    compare: dict[Annotated[str, Field(pattern=_NAME, min_length=1)], Weight] | None = None
    allocation: dict[str, Weight] | None = None
    factors: list[MemberFactor] | None = None


class RowBloc(_Strict):
    """``[blocs.row]``: the row player as a bloc of members too (see :mod:`sim.blocs`)."""

    rule: Literal["consensus", "quota", "leader"] = "consensus"
    quota: Quota | None = None
    leader: Name | None = None
    members: dict[Annotated[str, Field(pattern=_NAME, min_length=1)], Member] = {}


class Blocs(_Strict):
    """``[blocs]``: the column player as a bloc of members (see :mod:`sim.blocs`); with
    ``[blocs.row]``, the row player as well."""

    rule: Literal["consensus", "quota", "leader"] = "consensus"
    quota: Quota | None = None
    leader: Name | None = None
    row: RowBloc | None = None
    control: Name | None = None
    control_factor: str | None = None
    bilateral: dict[str, Weight] = {}
    members: dict[Annotated[str, Field(pattern=_NAME, min_length=1)], Member] = {}
class TypeFactor(_FactorValues):
    """A type's change to one factor: new values for its outcomes (an existing factor), or a
    new factor of this type only (then ``theory`` is required)."""

    theory: Literal["liberal", "realist"] | None = None


class TypePayoffs(_Strict):
    row: Matrix
    column: Matrix


class TypeSpec(_Strict):
    """``[types.<player>.<type>]``: one possible type of a player — its relative-gain weight,
    changes to factors, or full material payoffs; what it leaves out is the scenario's."""

    relative_gain_weight: Weight | None = None
    factors: dict[Annotated[str, Field(pattern=_NAME, min_length=1)], TypeFactor] | None = None
    payoffs: TypePayoffs | None = None
    note: str = ""


Positive = Annotated[float, Field(gt=0, le=MAX_ABS, allow_inf_nan=False, strict=True)]
Cost = Annotated[float, Field(ge=0, le=MAX_ABS, allow_inf_nan=False, strict=True)]


class TrustSection(_Strict):
    """``[trust]``: which type is the cooperative one, the reassurance stage, learning, and
    the record's likelihoods (defaults of ``blocsim trust``)."""

    cooperative: dict[str, Name] | None = None
    sender: Name | None = None
    signal_cost: Cost = 0.5
    cost_ratio: Positive = 1.0
    horizon: Annotated[int, Field(ge=1, le=10_000, strict=True)] = 20
    reading: Literal["naive", "bayesian"] = "naive"
    paths: Annotated[int, Field(ge=1, le=10**6, strict=True)] = 2000
    seed: Seed = 0
    events: str = "nato_csto_events"
    likelihoods: dict[Annotated[str, Field(pattern=_NAME, min_length=1)],
                      dict[str, Weight]] | None = None


#: Where a sweep's chunks run (see :mod:`sim.sweep.executors`).
EXECUTORS = ("inprocess", "processes", "dask")
PositiveInt = Annotated[int, Field(ge=1, strict=True)]


class AxisSection(_Strict):
    """One ``[sweep]`` axis: the key(s) it sets and their values."""

    key: Union[str, Annotated[list[str], Field(min_length=1)]]
    values: Union[str, Annotated[list[Annotated[float, Field(allow_inf_nan=False)]],
                                 Field(min_length=1)]]


class SweepSection(_Strict):
    """``[sweep]``: defaults of ``blocsim sweep`` (see :mod:`sim.sweep.config`; the axes and
    measures are checked against the sweep layer by :func:`sim.sweep.config.load`)."""

    axes: Annotated[list[AxisSection], Field(max_length=3)] = []
    measures: list[str] = []
    options: dict[str, dict[str, Union[Annotated[float, Field(allow_inf_nan=False)], str,
                                       list[str]]]] = {}
    seed: Annotated[int, Field(ge=0, le=2**63 - 1, strict=True)] = 0
    executor: Literal[EXECUTORS] | None = None
    workers: PositiveInt | None = None
    chunk_size: PositiveInt | None = None


class ScenarioModel(_Strict):
    scenario: Meta = Meta()
    players: Players = Players()
    payoffs: Payoffs | None = None
    factors: list[FactorSpec] | None = None
    parameters: dict[Annotated[str, Field(pattern=_NAME, min_length=1)], Finite] = {}
    preferences: Preferences = Preferences()
    repeated: Repeated = Repeated()
    #: ``[strategies.NAME]``: strategies defined as data (:mod:`sim.scenario.strategies`).
    strategies: dict[Annotated[str, Field(min_length=1, max_length=100)],
                     Union[Annotated[list[Weight], Field(min_length=5, max_length=5)],
                           dict[str, Any]]] | None = None
    tournament: TournamentSection | None = None
    evolution: EvolutionSection | None = None
    folk: FolkSection | None = None
    blocs: Blocs | None = None
    types: dict[str, dict[Annotated[str, Field(pattern=_NAME, min_length=1)], TypeSpec]] | None \
        = None
    beliefs: dict[str, dict[str, Weight]] | None = None
    trust: TrustSection | None = None
    #: ``[uncertainty]``: dotted key = distribution, checked by :mod:`sim.scenario.uncertainty`.
    uncertainty: dict[str, Any] | None = None
    sweep: SweepSection | None = None


_NUMBER = f"a finite number in [-{MAX_ABS:g}, {MAX_ABS:g}]"
_MATRIX = f"a 2x2 matrix [[CC, CD], [DC, DD]] of finite numbers in [-{MAX_ABS:g}, {MAX_ABS:g}]"
_PAIR = f"a pair [to row, to column] of finite numbers in [-{MAX_ABS:g}, {MAX_ABS:g}]"
_PLAYER = "a non-empty name without '.' or control characters"
#: What a strategy given as data may be (:mod:`sim.scenario.strategies`), and an entrant.
STRATEGY_ALLOWED = ("a memory-one vector [p0, pCC, pCD, pDC, pDD] of probabilities in [0, 1], "
                    "or a table with one of memory_one, fsm, mealy or strategy (a library "
                    "strategy with its parameters)")
ENTRANT_ALLOWED = "a library strategy's name, a name under [strategies], or " + STRATEGY_ALLOWED

#: What is allowed at each schema path (``[]`` a list item, ``*`` a table key of free name,
#: ``<player>`` a per-player payoff table); other paths are described from their type.
ALLOWED = {
    "scenario.name": "a name of letters, digits, '_', '-', '.' (starting with a letter or digit)",
    "scenario.extends": "a built-in scenario name or a path to a .toml file",
    "players.row": _PLAYER,
    "players.column": _PLAYER,
    "payoffs.row": _MATRIX, "payoffs.row[]": _MATRIX,
    "payoffs.column": _MATRIX, "payoffs.column[]": _MATRIX,
    "payoffs.<player>": "a table with T, R, P, S",
    "factors": "a list of [[factors]] tables",
    "factors[].theory": "'liberal' or 'realist'",
    **{f"factors[].{o}": _PAIR for o in OUTCOMES},
    "factors[].scale": "the name of a parameter under [parameters]",
    "parameters": "a table of name = number",
    "parameters.*": _NUMBER,
    "strategies.*": STRATEGY_ALLOWED,
    "tournament.players[]": ENTRANT_ALLOWED,
    "evolution.players[]": ENTRANT_ALLOWED,
    "tournament.players": "a non-empty list, each " + ENTRANT_ALLOWED,
    "evolution.players": "a non-empty list, each " + ENTRANT_ALLOWED,
    "parameters.*[key]": "a parameter name without '.' or control characters",
    "preferences.relative_gain_weight": "a table of player = number in [0, 1]",
    "preferences.relative_gain_weight.*": "a number in [0, 1]",
    "preferences.grieco_k": f"a table of player = number in [0, {MAX_ABS:g}]",
    "preferences.grieco_k.*": f"a number in [0, {MAX_ABS:g}]",
    "preferences.actors": f"a table of player = whole number in [2, {MAX_ACTORS}]",
    "preferences.actors.*": f"a whole number in [2, {MAX_ACTORS}]",
    "repeated.discount": "a number in [0, 1)",
    "types": "a table [types.<player>.<type>] per possible type of a player",
    "types.*": "a table of type name = {relative_gain_weight, factors, payoffs}",
    "types.*.*.relative_gain_weight": "a number in [0, 1]",
    "types.*.*.factors": "a table of factor name = {CC, CD, DC, DD (pairs), theory, scale}",
    "types.*.*.factors.*.theory": "'liberal' or 'realist'",
    **{f"types.*.*.factors.*.{o}": _PAIR for o in OUTCOMES},
    "types.*.*.payoffs.row": _MATRIX, "types.*.*.payoffs.column": _MATRIX,
    "beliefs": "a table of player = {other player's type = probability}",
    "beliefs.*": "a table of the other player's type = probability in [0, 1]",
    "beliefs.*.*": "a probability in [0, 1]",
    "trust.cooperative": "a table of player = the name of its cooperative type",
    "trust.signal_cost": f"a number in [0, {MAX_ABS:g}]",
    "trust.cost_ratio": f"a number in (0, {MAX_ABS:g}]",
    "trust.horizon": "a whole number of rounds in [1, 10000]",
    "trust.reading": "'naive' (Jervis 1976) or 'bayesian' (Kydd 2005)",
    "trust.paths": "a whole number of simulated belief paths in [1, 1000000]",
    "trust.seed": "a whole number in [0, 2**63 - 1]",
    "trust.likelihoods": "a table of action = {type = probability in [0, 1]}",
    "trust.likelihoods.*": "a table of type = probability in [0, 1]",
    "trust.likelihoods.*.*": "a probability in [0, 1]",
    "repeated.noise": f"a number in [0, {MAX_NOISE:g}]",
    "sweep.axes": "a list of 1 to 3 axis tables { key = \"KEY\", values = \"start:stop:num\" }",
    "sweep.axes[].key": "a dotted scenario key, or a list of keys set together",
    "sweep.axes[].values": "start:stop:num, log:start:stop:num or a list of finite numbers",
    "sweep.axes[].values[]": "a finite number",
    "sweep.measures": "a list of measure names (see docs/sweeps.md)",
    "sweep.measures[]": "a measure name (see docs/sweeps.md)",
    "sweep.options": "a table per measure: [sweep.options.NAME] with option = value",
    "sweep.options.*": "a table of option = value (a number, a name or a list of names)",
    "sweep.options.*.*": "a finite number, a name or a list of names",
    "uncertainty": "a table of dotted key = range, e.g. \"factors.synergy.CC.0\" = [1.5, 4.5]",
    "blocs.rule": "'consensus', 'quota' or 'leader'",
    "blocs.quota": "a number in (0, 1]",
    "blocs.bilateral.*": "a number in [0, 1] (the share of the factor's value a bilateral "
                         "deal realises)",
    "blocs.members": "a table of [blocs.members.<name>] tables",
    "blocs.members.*.share": "a number in [0, 1] (the member's share; shares sum to 1)",
    "blocs.members.*.relative_gain_weight": "a number in [0, 1]",
    "blocs.members.*.compare.*": "a number in [0, 1] (comparison weights sum to 1)",
    "blocs.members.*.allocation.*": "a number in [0, 1] (the member's fraction of the factor)",
    "blocs.members.*.factors[].theory": "'liberal' or 'realist'",
    **{f"blocs.members.*.factors[].{o}": _NUMBER for o in OUTCOMES},
    "blocs.row.rule": "'consensus', 'quota' or 'leader'",
    "blocs.row.quota": "a number in (0, 1]",
    "blocs.row.members": "a table of [blocs.row.members.<name>] tables",
    "blocs.row.members.*.share": "a number in [0, 1] (the member's share; shares sum to 1)",
    "blocs.row.members.*.relative_gain_weight": "a number in [0, 1]",
    "blocs.row.members.*.compare.*": "a number in [0, 1] (comparison weights sum to 1)",
    "blocs.row.members.*.allocation.*": "a number in [0, 1] (the member's fraction of the "
                                        "factor)",
    "blocs.row.members.*.factors[].theory": "'liberal' or 'realist'",
    **{f"blocs.row.members.*.factors[].{o}": _NUMBER for o in OUTCOMES},
}
