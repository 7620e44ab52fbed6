"""Scenarios: the TOML schema, loading, validation, ``--set`` overrides and defaults.

A scenario names the players, gives the material payoffs (``[payoffs]`` or ``[[factors]]``),
the parameters that scale factors, each player's relative-gain weight and the repeated game's
discount factor. Every user mistake becomes a :class:`ScenarioError` whose message is one line
naming the file, the key, the value and what is allowed.

Any numeric leaf can be given as an array through :meth:`Scenario.inputs`, which is how sweeps
evaluate a whole grid in one call.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import UserError
from .games import ACTIONS, OUTCOMES, Factor, Game, factor_game, matrix_from_trps
from .preferences import effective_weight, weight_from_grieco

DEFAULT_SCENARIO = "nato_csto_2007"


class ScenarioError(UserError):
    """A user mistake in a scenario or an override: one line, no traceback."""


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

Finite = Annotated[float, Field(allow_inf_nan=False, strict=True)]
Weight = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Meta(_Strict):
    name: str = Field(default="", description="short identifier")
    extends: str | None = None
    title: str = ""
    description: str = ""
    source: str = ""


class Players(_Strict):
    row: str = "row"
    column: str = "column"

    @model_validator(mode="after")
    def _distinct(self):
        if self.row == self.column:
            raise ValueError(f"row and column must differ, both are {self.row!r}")
        return self


class TRPS(_Strict):
    T: Finite
    R: Finite
    P: Finite
    S: Finite


Matrix = Annotated[list[Annotated[list[Finite], Field(min_length=2, max_length=2)]],
                   Field(min_length=2, max_length=2)]


class Payoffs(BaseModel):
    """``T, R, P, S`` (symmetric), one ``T, R, P, S`` table per player, or two matrices."""

    model_config = ConfigDict(extra="allow", strict=True)
    T: Finite | None = None
    R: Finite | None = None
    P: Finite | None = None
    S: Finite | None = None
    row: Matrix | None = None
    column: Matrix | None = None


Pair = Annotated[list[Finite], Field(min_length=2, max_length=2)]


class FactorSpec(_Strict):
    name: str
    theory: Literal["liberal", "realist"]
    CC: Pair | None = None
    CD: Pair | None = None
    DC: Pair | None = None
    DD: Pair | None = None
    scale: str | None = None
    note: str = ""


class Preferences(_Strict):
    relative_gain_weight: dict[str, Weight] | None = None
    grieco_k: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]] | None = None
    actors: dict[str, Annotated[int, Field(ge=2, strict=True)]] | None = None

    @model_validator(mode="after")
    def _one_form(self):
        if self.relative_gain_weight is not None and self.grieco_k is not None:
            raise ValueError("give relative_gain_weight or grieco_k, not both")
        return self


class Repeated(_Strict):
    discount: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False, strict=True)] = 0.9
    noise: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False, strict=True)] = 0.0


class ScenarioModel(_Strict):
    scenario: Meta = Meta()
    players: Players = Players()
    payoffs: Payoffs | None = None
    factors: list[FactorSpec] | None = None
    parameters: dict[str, Finite] = {}
    preferences: Preferences = Preferences()
    repeated: Repeated = Repeated()


ALLOWED_TEXT = {
    "discount": "a number in [0, 1)",
    "noise": "a number in [0, 0.5]",
    "relative_gain_weight": "a number in [0, 1]",
    "grieco_k": "a number >= 0",
    "actors": "a whole number >= 2",
    "theory": "'liberal' or 'realist'",
}


# --------------------------------------------------------------------------------------------
# Key checking with did-you-mean
# --------------------------------------------------------------------------------------------

def _model_of(annotation):
    """The BaseModel class inside an annotation (through Optional, list, dict), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, None
    origin = get_origin(annotation)
    args = [a for a in get_args(annotation) if a is not type(None)]
    if origin in (list,) and args:
        model, _ = _model_of(args[0])
        return model, "list"
    if origin is dict and len(args) == 2:
        return None, "dict"
    if origin is Union or str(origin) == "types.UnionType" or origin is not None:
        for a in args:
            model, kind = _model_of(a)
            if model is not None:
                return model, kind
    return None, None


def _check_keys(raw: Mapping, model: type[BaseModel], path: str, where: str, players=()):
    if not isinstance(raw, Mapping):
        return
    fields = model.model_fields
    for key, value in raw.items():
        if key not in fields:
            if model is Payoffs and key in players:
                continue
            allowed = list(fields) + (list(players) if model is Payoffs else [])
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ScenarioError(f"{where}: unknown key '{path}{key}'{hint}; allowed: "
                                f"{', '.join(allowed)}")
        sub, kind = _model_of(fields[key].annotation)
        if sub is None:
            continue
        if kind == "list" and isinstance(value, list):
            for i, item in enumerate(value):
                _check_keys(item, sub, f"{path}{key}[{i}].", where, players)
        elif isinstance(value, Mapping):
            _check_keys(value, sub, f"{path}{key}.", where, players)


def _format_error(err: ValidationError, where: str, raw: Mapping) -> str:
    e = err.errors()[0]
    loc = [str(x) for x in e["loc"] if not str(x).startswith("function-after")]
    key = ".".join(loc).replace(".[", "[")
    msg = e["msg"].removeprefix("Value error, ")
    last = next((x for x in reversed(loc) if not x.isdigit()), "")
    allowed = ALLOWED_TEXT.get(last) or ALLOWED_TEXT.get(loc[1] if len(loc) > 1 else "", "")
    if e["type"] == "missing":
        return f"{where}: missing key '{key}' ({msg.lower()})"
    value = e.get("input")
    shown = "" if isinstance(value, Mapping) else f" = {value!r}"
    hint = f"; allowed: {allowed}" if allowed and e["type"] not in ("value_error",) else ""
    return f"{where}: {key or 'scenario'}{shown}: {msg}{hint}"


# --------------------------------------------------------------------------------------------
# Loading and overrides
# --------------------------------------------------------------------------------------------

def builtin_dir():
    return resources.files("sim") / "scenarios"


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in builtin_dir().iterdir() if p.name.endswith(".toml"))


def resolve(name_or_path: str | None) -> tuple[str, str]:
    """``(display name, TOML text)`` of a built-in scenario name or a file path."""
    name_or_path = name_or_path or DEFAULT_SCENARIO
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists() or "/" in name_or_path:
        if not path.is_file():
            raise ScenarioError(f"{name_or_path}: no such scenario file")
        try:
            return str(path), path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"{name_or_path}: cannot read: {exc}") from None
    if name_or_path in builtin_names():
        return name_or_path, (builtin_dir() / f"{name_or_path}.toml").read_text(encoding="utf-8")
    close = difflib.get_close_matches(name_or_path, builtin_names(), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise ScenarioError(f"{name_or_path}: no such built-in scenario or file{hint}; built-in: "
                        f"{', '.join(builtin_names())}")


def read(name_or_path: str | None, _seen=()) -> tuple[str, dict]:
    """``(where, raw dict)`` of a scenario, with ``[scenario] extends`` merged in.

    A scenario that extends another (a built-in name, or a path relative to its own folder)
    starts from the other's tables; its own keys replace the other's, table by table, and its
    lists (such as ``factors``) replace the other's lists whole.
    """
    where, text = resolve(name_or_path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{where}: not valid TOML: {exc}") from None
    meta = raw.get("scenario", {})
    base = meta.get("extends") if isinstance(meta, Mapping) else None
    if base is None:
        return where, raw
    if not isinstance(base, str):
        raise ScenarioError(f"{where}: scenario.extends = {base!r}: allowed: a scenario name "
                            "or path")
    if base in _seen or base == name_or_path:
        raise ScenarioError(f"{where}: scenario.extends = {base!r}: circular extension")
    local = Path(where).parent / base
    _, parent = read(str(local) if local.suffix == ".toml" and local.is_file() else base,
                     _seen + (base,))
    return where, _merge(parent, raw)


def _merge(base: dict, top: Mapping) -> dict:
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def parse_value(text: str):
    """A ``--set`` value: a TOML value (number, bool, array, quoted string) or a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_override(raw: dict, key: str, value) -> None:
    """Set a dotted key (``preferences.relative_gain_weight.NATO``) in a raw scenario dict."""
    parts = key.split(".")
    if not key or any(not p for p in parts):
        raise ScenarioError(f"--set {key}: empty key part; use dotted keys like repeated.discount")
    node = raw
    for i, part in enumerate(parts[:-1]):
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError(f"--set {key}: '{part}' is not an index of "
                                    f"'{'.'.join(parts[:i])}' (0..{len(node) - 1})")
            node = node[int(part)]
            continue
        if not isinstance(node, dict):
            raise ScenarioError(f"--set {key}: '{'.'.join(parts[:i])}' is not a table")
        node = node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        if not last.isdigit() or int(last) >= len(node):
            raise ScenarioError(f"--set {key}: '{last}' is not an index (0..{len(node) - 1})")
        node[int(last)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ScenarioError(f"--set {key}: '{'.'.join(parts[:-1])}' is not a table")


def parse_overrides(items) -> list[tuple[str, Any]]:
    out = []
    for item in items or ():
        if "=" not in item:
            raise ScenarioError(f"--set {item}: expected KEY=VALUE, e.g. repeated.discount=0.95")
        key, text = item.split("=", 1)
        out.append((key.strip(), parse_value(text.strip())))
    return out


def load(name_or_path: str | None = None, overrides=()) -> "Scenario":
    """Load, override and validate a scenario; raise :class:`ScenarioError` on any mistake.

    ``overrides`` is a list of ``"KEY=VALUE"`` strings (as on the command line) or
    ``(key, value)`` pairs.
    """
    where, raw = read(name_or_path)
    pairs = parse_overrides(overrides) if overrides and isinstance(next(iter(overrides)), str) \
        else list(overrides)
    return from_dict(raw, where, pairs)


def from_dict(raw: Mapping, where: str = "<scenario>", overrides=()) -> "Scenario":
    raw = copy.deepcopy(dict(raw))
    for key, value in overrides:
        apply_override(raw, key, value)
        where_set = f"--set {key}={value!r}"
        _check_keys(raw, ScenarioModel, "", where_set, _player_names(raw))
    _check_keys(raw, ScenarioModel, "", where, _player_names(raw))
    try:
        model = ScenarioModel.model_validate(raw)
    except ValidationError as err:
        raise ScenarioError(_format_error(err, where, raw)) from None
    scenario = Scenario(model=model, raw=raw, where=where, overrides=list(overrides))
    scenario.check()
    return scenario


def _player_names(raw) -> tuple[str, ...]:
    players = raw.get("players", {}) if isinstance(raw, Mapping) else {}
    if not isinstance(players, Mapping):
        return ("row", "column")
    return (str(players.get("row", "row")), str(players.get("column", "column")))


# --------------------------------------------------------------------------------------------
# The validated scenario
# --------------------------------------------------------------------------------------------

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
    def check(self) -> None:
        m, where = self.model, self.where
        if (m.payoffs is None) == (m.factors is None):
            both = "both" if m.payoffs is not None else "neither"
            raise ScenarioError(f"{where}: [payoffs] and [[factors]]: {both} given; allowed: "
                                "exactly one of them")
        if m.factors is not None:
            if not m.factors:
                raise ScenarioError(f"{where}: factors = []: allowed: at least one factor")
            for i, f in enumerate(m.factors):
                if f.scale is not None and f.scale not in m.parameters:
                    close = difflib.get_close_matches(f.scale, list(m.parameters), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    raise ScenarioError(
                        f"{where}: factors[{i}].scale = {f.scale!r}: no such parameter{hint}; "
                        f"allowed: {', '.join(m.parameters) or 'define it under [parameters]'}")
        if m.payoffs is not None:
            self._payoff_form()
        for key in ("relative_gain_weight", "grieco_k", "actors"):
            table = getattr(m.preferences, key)
            for name in table or {}:
                if name not in self.players:
                    close = difflib.get_close_matches(name, self.players, n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    raise ScenarioError(f"{where}: preferences.{key}.{name}: unknown player"
                                        f"{hint}; allowed: {', '.join(self.players)}")

    def _payoff_form(self) -> str:
        p, where = self.model.payoffs, self.where
        letters = [p.T, p.R, p.P, p.S]
        extra = p.model_extra or {}
        forms = []
        if any(x is not None for x in letters):
            if any(x is None for x in letters):
                missing = [c for c, x in zip("TRPS", letters) if x is None]
                raise ScenarioError(f"{where}: payoffs.{missing[0]}: missing; symmetric payoffs "
                                    "need all of T, R, P, S")
            forms.append("symmetric")
        if p.row is not None or p.column is not None:
            if p.row is None or p.column is None:
                raise ScenarioError(f"{where}: payoffs: matrices need both 'row' and 'column'")
            forms.append("matrices")
        if extra:
            missing = [n for n in self.players if n not in extra]
            if missing:
                raise ScenarioError(f"{where}: payoffs.{missing[0]}: missing; per-player payoffs "
                                    f"need a table for each of {', '.join(self.players)}")
            for name in self.players:
                if not isinstance(extra[name], Mapping):
                    raise ScenarioError(f"{where}: payoffs.{name} = {extra[name]!r}: allowed: a "
                                        "table with T, R, P, S")
                try:
                    TRPS.model_validate(extra[name])
                except ValidationError as err:
                    raise ScenarioError(_format_error(err, where, {}).replace(
                        f"{where}: ", f"{where}: payoffs.{name}.", 1)) from None
            forms.append("per-player")
        if len(forms) != 1:
            raise ScenarioError(f"{where}: payoffs: {' and '.join(forms) or 'nothing'} given; "
                                "allowed: exactly one of T,R,P,S / [payoffs.<player>] / row,column")
        return forms[0]

    # -- numbers --------------------------------------------------------------------------------
    def inputs(self, values: Mapping[str, Any] | None = None):
        """``(A, B, r_row, r_column, discount)`` with any dotted keys replaced by arrays.

        ``values`` maps keys such as ``"parameters.threat"``, ``"repeated.discount"`` or
        ``"preferences.relative_gain_weight.NATO"`` to numbers or arrays (which must broadcast
        with each other). Relative-gain weights come out effective: Grieco's ``k`` converted
        and divided by ``actors − 1`` (Snidal 1991).
        """
        values = dict(values or {})
        unknown = [k for k in values if not self.has_key(k)]
        if unknown:
            raise ScenarioError(f"{self.where}: unknown key '{unknown[0]}'; allowed: "
                                f"{', '.join(self.numeric_keys())}")

        def get(key, default):
            return np.asarray(values[key], float) if key in values else default

        m = self.model
        if m.factors is not None:
            params = {k: get(f"parameters.{k}", v) for k, v in m.parameters.items()}
            factors = [Factor(f.name, f.theory,
                              {o: tuple(get(f"factors.{i}.{o}.{side}", v[side]) for side in (0, 1))
                               for o, v in f_.values.items()}, f.scale)
                       for i, (f, f_) in enumerate(zip(m.factors, self.factors))]
            A, B = factor_game(factors, params)
        else:
            A, B = self._payoff_arrays(get)
        r_row, r_col = (self._weight(name, get) for name in self.players)
        discount = get("repeated.discount", m.repeated.discount)
        return A, B, r_row, r_col, discount

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
            r = weight_from_grieco(get(f"preferences.grieco_k.{name}", pref.grieco_k.get(name, 0.0)))
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
        return keys

    def has_key(self, key: str) -> bool:
        return key in self.numeric_keys()

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
        from .preferences import utility_game

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
        if parts[0] == "factors":
            f = self.model.factors[int(parts[1])]
            who = self.players[int(parts[3])]
            return f"{f.name} ({parts[2]}, to {who})"
        return parts[-1]

