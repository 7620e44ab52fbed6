"""Scenarios: the TOML schema, loading, validation, ``--set`` overrides and defaults.

A scenario names the players, gives the material payoffs (``[payoffs]`` or ``[[factors]]``),
the parameters that scale factors, each player's relative-gain weight and the repeated game's
discount factor. Every user mistake becomes a :class:`ScenarioError` whose message is one line
naming the file (or the ``--set`` option), the key, the value and what is allowed::

    my.toml: repeated.discount = 1.0: out of range; allowed: a number in [0, 1)

A scenario file must be valid on its own; each ``--set KEY=VALUE`` is then applied in turn and
must leave a valid scenario, and its errors name the ``--set``. An override may only name a key
the schema knows; under ``[parameters]`` (a free-form table in a file) it must name a parameter
the scenario defines.

Any numeric leaf can be given as an array through :meth:`Scenario.inputs`, which is how sweeps
evaluate a whole grid in one call.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
import types
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import UserError
from .games import OUTCOMES, Factor, Game, factor_game, matrix_from_trps
from .preferences import effective_weight, weight_from_grieco

DEFAULT_SCENARIO = "nato_csto_2007"

#: Largest magnitude of a payoff, factor value or parameter: sums and products of such numbers
#: (factor x scale, u = π − r·π') stay far from floating-point overflow.
MAX_ABS = 1e12
#: Largest number of actors a player may compare itself with.
MAX_ACTORS = 1_000_000
#: Deepest chain of ``extends``.
MAX_EXTENDS = 32


class ScenarioError(UserError):
    """A user mistake in a scenario or an override: one line, no traceback.

    ``key`` is the dotted key the message is about (``None`` when it concerns no one key).
    """

    key: str | None = None


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

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
    grieco_k: dict[str, Sensitivity] | None = None
    actors: dict[str, Actors] | None = None


class Repeated(_Strict):
    discount: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False, strict=True)] = 0.9
    noise: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False, strict=True)] = 0.0


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
    noise: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False, strict=True)] | None = None
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


class ScenarioModel(_Strict):
    scenario: Meta = Meta()
    players: Players = Players()
    payoffs: Payoffs | None = None
    factors: list[FactorSpec] | None = None
    parameters: dict[Annotated[str, Field(pattern=_NAME, min_length=1)], Finite] = {}
    preferences: Preferences = Preferences()
    repeated: Repeated = Repeated()
    tournament: TournamentSection | None = None
    evolution: EvolutionSection | None = None
    folk: FolkSection | None = None
    #: ``[sweep]`` is validated by :mod:`sim.sweep.config` (the sweep layer sits above this one).
    sweep: dict[str, Any] | None = None


_NUMBER = f"a finite number in [-{MAX_ABS:g}, {MAX_ABS:g}]"
_MATRIX = f"a 2x2 matrix [[CC, CD], [DC, DD]] of finite numbers in [-{MAX_ABS:g}, {MAX_ABS:g}]"
_PAIR = f"a pair [to row, to column] of finite numbers in [-{MAX_ABS:g}, {MAX_ABS:g}]"
_PLAYER = "a non-empty name without '.' or control characters"

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
    "parameters.*[key]": "a parameter name without '.' or control characters",
    "preferences.relative_gain_weight": "a table of player = number in [0, 1]",
    "preferences.relative_gain_weight.*": "a number in [0, 1]",
    "preferences.grieco_k": f"a table of player = number in [0, {MAX_ABS:g}]",
    "preferences.grieco_k.*": f"a number in [0, {MAX_ABS:g}]",
    "preferences.actors": f"a table of player = whole number in [2, {MAX_ACTORS}]",
    "preferences.actors.*": f"a whole number in [2, {MAX_ACTORS}]",
    "repeated.discount": "a number in [0, 1)",
    "repeated.noise": "a number in [0, 0.5]",
}


# --------------------------------------------------------------------------------------------
# One-line messages
# --------------------------------------------------------------------------------------------

_MISSING = object()
_ANY = "a value of the type the schema gives"
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def show(value, limit: int = 60) -> str:
    """A value as TOML would write it (``true``, ``'text'``, ``nan``, ``[1, 2]``), shortened."""
    def fmt(v, depth=0):
        if depth > 3:
            return "..."
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, Mapping):
            return "{" + ", ".join(f"{show_key(k)} = {fmt(x, depth + 1)}"
                                   for k, x in list(v.items())[:8]) + \
                (", ..." if len(v) > 8 else "") + "}"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(fmt(x, depth + 1) for x in v[:8]) + \
                (", ..." if len(v) > 8 else "") + "]"
        if isinstance(v, int) and abs(v) > 10**30:
            return f"{'-' if v < 0 else ''}<a {len(str(abs(v)))}-digit integer>"
        if hasattr(v, "isoformat"):  # TOML dates and times
            return v.isoformat()
        return repr(v)

    text = fmt(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def show_key(part) -> str:
    """One part of a dotted key: bare when TOML allows it, quoted otherwise."""
    part = str(part)
    return part if _BARE_KEY.match(part) else show(part)


def dotted(loc) -> str:
    """``('payoffs', 'row', 0, 1)`` -> ``payoffs.row[0][1]``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + show_key(part)
    return out


def _error(where: str, key: str | None, problem: str, allowed: str | None = None,
           value=_MISSING) -> ScenarioError:
    """``where: key = value: problem; allowed: ...`` as a :class:`ScenarioError`."""
    subject = "" if key is None else key
    if value is not _MISSING:
        subject += f" = {show(value)}"
    text = f"{where}: " + (f"{subject}: " if subject else "") + problem
    error = ScenarioError(text + (f"; allowed: {allowed}" if allowed else ""))
    error.key = key
    return error


def _did_you_mean(word, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, ignoring case; empty if none is close."""
    by_lower = {str(c).lower(): str(c) for c in reversed(list(choices))}
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""


def _strip(annotation):
    """An annotation without ``Annotated[...]`` and ``Optional[...]``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _walk(loc) -> tuple[str, Any]:
    """Schema path (``factors[].theory``) and annotation at a pydantic error location."""
    annotation, path = ScenarioModel, ""
    for part in loc:
        annotation = _strip(annotation)
        if part == "[key]":
            return path + "[key]", str
        if _is_model(annotation):
            if part in annotation.model_fields:
                annotation = annotation.model_fields[part].annotation
                path += ("." if path else "") + str(part)
            elif annotation is Payoffs:
                annotation, path = TRPS, path + ".<player>"
            else:
                return path, None
        elif get_origin(annotation) is list:
            annotation, path = get_args(annotation)[0], path + "[]"
        elif get_origin(annotation) is dict:
            annotation, path = get_args(annotation)[1], path + ".*"
        else:
            return path, None
    return path, _strip(annotation)


def _describe(annotation) -> str:
    """What a value of this (stripped) annotation may be, in words."""
    if _is_model(annotation):
        return "a table with keys " + ", ".join(annotation.model_fields)
    origin = get_origin(annotation)
    if origin is list:
        return "a list"
    if origin is dict:
        return "a table"
    if origin is Literal:
        return " or ".join(repr(a) for a in get_args(annotation))
    return {float: _NUMBER, int: "a whole number", str: "a string",
            bool: "true or false"}.get(annotation, _ANY)


def allowed_at(loc) -> str:
    """What is allowed at a location (tuple of keys and indices) in a scenario."""
    path, annotation = _walk(loc)
    if path in ALLOWED:
        return ALLOWED[path]
    return _describe(annotation) if annotation is not None else _ANY


_TYPE_NAMES = {bool: "true/false", int: "a whole number", float: "a number", str: "a string",
               list: "an array", dict: "a table"}


def _type_name(value) -> str:
    return next((n for t, n in _TYPE_NAMES.items() if isinstance(value, t)),
                type(value).__name__)


def _problem(err: dict) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        return "out of range"
    if kind.endswith("_type"):
        return f"wrong type ({_type_name(value)})"
    if kind == "finite_number":
        return "not a finite number"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return "out of range"
    if kind in ("too_long", "too_short"):
        n = len(value) if hasattr(value, "__len__") else "?"
        return f"wrong length ({n} items)"
    if kind == "literal_error":
        return "not one of the allowed values"
    if kind == "string_pattern_mismatch":
        return "not an allowed name"
    if kind == "string_too_short":
        return "empty"
    if kind == "missing":
        return "missing"
    if kind == "int_from_float":
        return "not a whole number"
    return err["msg"].removeprefix("Value error, ").rstrip(".").lower()


def _format_error(err: ValidationError, where: str, prefix=()) -> ScenarioError:
    e = err.errors()[0]
    loc = tuple(prefix) + tuple(x for x in e["loc"] if not str(x).startswith("function-"))
    shown = [x for x in loc if x != "[key]"]
    value = _MISSING if e["type"] == "missing" else e.get("input", _MISSING)
    return _error(where, dotted(shown) or "scenario", _problem(e), allowed_at(loc), value)


# --------------------------------------------------------------------------------------------
# Key checking with did-you-mean
# --------------------------------------------------------------------------------------------

def _check_keys(raw, model: type[BaseModel], loc: tuple, where: str, players=()) -> None:
    """Raise on the first key the schema does not know, suggesting the closest known one."""
    if not isinstance(raw, Mapping):
        return
    fields = model.model_fields
    for key, value in raw.items():
        if key in fields:
            sub = _strip(fields[key].annotation)
            if _is_model(sub):
                _check_keys(value, sub, loc + (key,), where, players)
            elif get_origin(sub) is list and _is_model(_strip(get_args(sub)[0])) \
                    and isinstance(value, list):
                for i, item in enumerate(value):
                    _check_keys(item, _strip(get_args(sub)[0]), loc + (key, i), where, players)
        elif model is Payoffs and key in players:
            _check_keys(value, TRPS, loc + (key,), where, players)
        else:
            allowed = list(dict.fromkeys([*fields, *(players if model is Payoffs else ())]))
            raise _error(where, dotted(loc + (key,)), f"unknown key{_did_you_mean(key, allowed)}",
                         ", ".join(allowed), value)


def _player_names(raw) -> tuple[str, ...]:
    players = raw.get("players", {}) if isinstance(raw, Mapping) else {}
    if not isinstance(players, Mapping):
        return ("row", "column")
    return (str(players.get("row", "row")), str(players.get("column", "column")))


def _depth(value) -> int:
    """Nesting depth of tables and arrays (iterative: safe on any input)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if d > 64:
            break
        if isinstance(node, Mapping):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend((v, d + 1) for v in node)
    return deepest


# --------------------------------------------------------------------------------------------
# Finding and reading scenario files
# --------------------------------------------------------------------------------------------

def builtin_dir():
    return resources.files("sim") / "scenarios"


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in builtin_dir().iterdir() if p.name.endswith(".toml"))


def _allowed_source() -> str:
    return f"a path to a .toml file or a built-in scenario name ({', '.join(builtin_names())})"


class _NotFound(Exception):
    """A scenario name or path that refers to nothing readable: ``(shown name, problem)``."""


def _looks_like_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or "\\" in name or name.startswith(".")


def _locate(name: str, folder: Path | None = None, builtin_only: bool = False):
    """``(where, identity, source)`` of a built-in name or a path (relative to ``folder``)."""
    if not builtin_only and (_looks_like_path(name) or folder is None and _exists(name)):
        path = Path(name) if folder is None else folder / name
        try:
            if path.is_dir():
                raise _NotFound(str(path), "is a directory, not a scenario file")
            if not path.is_file():
                raise _NotFound(str(path), "scenario file not found")
            return str(path), f"file:{path.resolve()}", path
        except (OSError, ValueError) as exc:
            raise _NotFound(str(path), f"cannot open ({_reason(exc)})") from None
    stem = name.removesuffix(".toml") if builtin_only else name
    if stem in builtin_names():
        return stem, f"builtin:{stem}", builtin_dir() / f"{stem}.toml"
    hint = _did_you_mean(name, builtin_names())
    raise _NotFound(name, f"no such built-in scenario or file{hint}")


def _exists(name: str) -> bool:
    try:
        return Path(name).exists()
    except (OSError, ValueError):
        return False


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _read_text(where: str, source) -> str:
    try:
        data = source.read_bytes()
    except (OSError, ValueError) as exc:
        raise _error(where, None, f"cannot read ({_reason(exc)})", "a readable file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _error(where, f"line {line}, byte {exc.start}", "not UTF-8 text",
                     "a UTF-8 encoded TOML file", data[exc.start:exc.start + 1]) from None


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _parse_toml(where: str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        problem = f"not valid TOML ({message[:at.start()] if at else message})"
        allowed = "TOML syntax: key = value lines under [table] headers (see toml.io)"
        if not at:
            raise _error(where, None, problem, allowed) from None
        line = int(at[1])
        lines = text.split("\n")
        shown = lines[line - 1] if line <= len(lines) else ""
        raise _error(where, f"line {line}", problem, allowed, shown) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise _error(where, None, f"not valid TOML ({_reason(exc).split(';')[0]})",
                     "TOML syntax with numbers of at most a few hundred digits") from None
    except RecursionError:
        raise _error(where, None, "nested too deeply", "tables and arrays nested a few levels "
                     "deep") from None


def resolve(name_or_path: str | None) -> tuple[str, str]:
    """``(display name, TOML text)`` of a built-in scenario name or a file path."""
    where, _, source = _locate_or_fail(name_or_path or DEFAULT_SCENARIO)
    return where, _read_text(where, source)


def _locate_or_fail(name):
    if not isinstance(name, str) or not name:
        raise _error("scenario", None, "no scenario given", _allowed_source(), name)
    try:
        return _locate(name)
    except _NotFound as exc:
        shown, problem = exc.args
        raise _error(shown, None, problem, _allowed_source()) from None


def read(name_or_path: str | None) -> tuple[str, dict]:
    """``(where, raw dict)`` of a scenario, with ``[scenario] extends`` merged in.

    A scenario that extends another starts from the other's tables; its own keys replace the
    other's, table by table, and its lists (such as ``factors``) replace the other's lists
    whole. ``extends`` names a built-in scenario, or a ``.toml`` path relative to the folder of
    the file that extends it (a built-in scenario can extend only built-in ones).
    """
    where, identity, source = _locate_or_fail(name_or_path or DEFAULT_SCENARIO)
    return where, _read_chain(where, identity, source, ())


def _read_chain(where: str, identity: str, source, chain: tuple) -> dict:
    raw = _parse_toml(where, _read_text(where, source))
    meta = raw.get("scenario")
    base = meta.get("extends") if isinstance(meta, Mapping) else None
    if base is None:
        return raw
    key, allowed = "scenario.extends", ALLOWED["scenario.extends"]
    if not isinstance(base, str) or not base:
        raise _error(where, key, "not a scenario name", allowed, base)
    builtin = identity.startswith("builtin:")
    try:
        where_b, identity_b, source_b = _locate(
            base, None if builtin else Path(where).parent, builtin_only=builtin)
    except _NotFound as exc:
        raise _error(where, key, exc.args[1], allowed + (f" (relative to {Path(where).parent})"
                                                          if not builtin else ""), base) from None
    chain = chain + (identity,)
    if identity_b in chain:
        raise _error(where, key, "circular extension", "a scenario that does not extend this "
                     "one, directly or through others", base)
    if len(chain) >= MAX_EXTENDS:
        raise _error(where, key, "too long a chain of extends", f"at most {MAX_EXTENDS} levels",
                     base)
    base = _read_chain(where_b, identity_b, source_b, chain)
    if isinstance(base.get("scenario"), dict):      # a variant is named after its own file
        base["scenario"].pop("name", None)
    return _merge(base, raw)


def _merge(base: dict, top: Mapping) -> dict:
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# --------------------------------------------------------------------------------------------
# Overrides (--set KEY=VALUE)
# --------------------------------------------------------------------------------------------

_INDEX = re.compile(r"^[0-9]{1,9}$")
_SET_EXAMPLE = "KEY=VALUE with a dotted KEY, e.g. repeated.discount=0.95"


def parse_value(text: str):
    """A ``--set`` value: a TOML value (number, bool, array, quoted string) or a bare string."""
    try:
        doc = tomllib.loads(f"v = {text}")
    except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        return text
    return doc["v"] if list(doc) == ["v"] else text


def parse_overrides(items) -> list[tuple[str, Any]]:
    """``[(key, value)]`` from ``"KEY=VALUE"`` strings (see :func:`parse_value`)."""
    out = []
    for item in items or ():
        if not isinstance(item, str) or "=" not in item:
            raise _error("--set", show(item) if not isinstance(item, str) else item,
                         "expected KEY=VALUE (no '=')", _SET_EXAMPLE)
        key, text = item.split("=", 1)
        out.append((key.strip(), parse_value(text.strip())))
    return out


def _override_label(key, value) -> str:
    return f"--set {key}={show(value)}"


def apply_override(raw: dict, key: str, value, where: str | None = None) -> None:
    """Set a dotted key (``preferences.relative_gain_weight.NATO``) in a raw scenario dict.

    The key must lead through tables (or list indices, ``factors.0.CC``); under
    ``parameters`` it must name a parameter the scenario already defines. Whether the key and
    value fit the schema is checked afterwards, on the whole scenario (see :func:`from_dict`).
    """
    where = where or _override_label(key, value)
    parts = key.split(".") if isinstance(key, str) else []
    if not parts or any(not p for p in parts):
        raise _error(where, show(key), "empty part in the dotted key", _SET_EXAMPLE)
    if parts[:2] == ["scenario", "extends"]:
        raise _error(where, key, "cannot be overridden",
                     "another scenario given as the SCENARIO argument", value)
    if parts[0] == "parameters":
        defined = raw.get("parameters")
        defined = list(defined) if isinstance(defined, Mapping) else []
        new = parts[1:2] if len(parts) > 1 else list(value) if isinstance(value, Mapping) else []
        unknown = [n for n in new if n not in defined]
        if unknown:
            raise _error(where, f"parameters.{show_key(unknown[0])}",
                         f"unknown parameter{_did_you_mean(unknown[0], defined)}",
                         ", ".join(defined) if defined else
                         "none: this scenario defines no [parameters]", value)
    node = raw
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            if not _INDEX.match(part) or int(part) >= len(node):
                raise _error(where, ".".join(parts[:i + 1]), "no such list index",
                             f"0 to {len(node) - 1}" if node else "none: the list is empty")
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise _error(where, ".".join(parts[:i]), f"not a table, so it has no key "
                         f"'{show_key(part)}'", "a dotted key that ends at a value, e.g. "
                         "repeated.discount", node)


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------

def load(name_or_path: str | None = None, overrides=()) -> "Scenario":
    """Load, override and validate a scenario; raise :class:`ScenarioError` on any mistake.

    ``overrides`` is a list of ``"KEY=VALUE"`` strings (as on the command line) or
    ``(key, value)`` pairs.
    """
    overrides = list(overrides or ())
    pairs = parse_overrides(overrides) if any(isinstance(o, str) for o in overrides) \
        else overrides
    where, raw = read(name_or_path)
    return from_dict(raw, where, pairs)


def from_dict(raw: Mapping, where: str = "<scenario>", overrides=()) -> "Scenario":
    """Validate a raw scenario (as parsed from TOML), then apply ``(key, value)`` overrides.

    The scenario must be valid on its own (errors name ``where``). The overrides are then
    applied together (so ``players.row=USA`` and ``preferences.relative_gain_weight.USA=0.2``
    can go together) and must leave a valid scenario; an error names the ``--set`` whose key
    it concerns (or, failing that, every ``--set``).
    """
    if not isinstance(raw, Mapping):
        raise _error(where, None, f"the scenario is {_type_name(raw)}, not a table",
                     "a table of tables ([scenario], [players], [payoffs], ...)")
    if _depth(raw) > 16:
        raise _error(where, None, "tables or arrays nested too deeply",
                     "the tables of the scenario schema (a few levels deep)")
    raw = copy.deepcopy(dict(raw))
    scenario = _validate(raw, where, where)
    overrides = list(overrides)
    if not overrides:
        return scenario
    for pair in overrides:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise _error("--set", None, "an override is not a (key, value) pair", _SET_EXAMPLE,
                         pair)
        key, value = pair
        label = _override_label(key, value)
        if _depth(value) > 16:
            raise _error(label, show(key), "nested too deeply",
                         "a number, string, array or table")
        apply_override(raw, key, value, label)
    try:
        scenario = _validate(raw, where, "--set")
    except ScenarioError as exc:
        blamed = ScenarioError(_blame(overrides, exc.key) + str(exc).removeprefix("--set"))
        blamed.key = exc.key
        raise blamed from None
    scenario.overrides = overrides
    return scenario


def _blame(overrides, key: str | None) -> str:
    """The ``--set`` label for an error at dotted ``key``: the override(s) it concerns."""
    where = re.sub(r"\[(\d+)\]", r".\1", key or "")
    related = [(k, v) for k, v in overrides
               if where == k or where.startswith(k + ".") or k.startswith(where + ".")]
    chosen = related[-1:] or overrides
    return " ".join(_override_label(k, v) for k, v in chosen)


def _validate(raw: dict, where: str, blame: str) -> "Scenario":
    _check_keys(raw, ScenarioModel, (), blame, _player_names(raw))
    try:
        model = ScenarioModel.model_validate(raw)
    except ValidationError as err:
        raise _format_error(err, blame) from None
    scenario = Scenario(model=model, raw=raw, where=where)
    scenario.check(blame)
    return scenario


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
        values = dict(values or {})
        unknown = [k for k in values if not self.has_key(k)]
        if unknown:
            raise _error(self.where, show_key(unknown[0]), "unknown key"
                         f"{_did_you_mean(unknown[0], self.numeric_keys())}",
                         ", ".join(self.numeric_keys()))

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
        return keys

    def has_key(self, key: str) -> bool:
        return key in self.numeric_keys()

    def value(self, key: str) -> float:
        """The scenario's own value of a numeric key (``repeated.noise`` included); a weight
        or actor count the file leaves out has its default (0, resp. 2)."""
        if key in ("repeated.discount", "repeated.noise"):
            return float(getattr(self.model.repeated, key.split(".")[1]))
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
        if parts[0] == "repeated" and parts[1] == "noise":
            return "execution noise ε"
        if parts[0] == "factors":
            f = self.model.factors[int(parts[1])]
            who = self.players[int(parts[3])]
            return f"{f.name} ({parts[2]}, to {who})"
        return parts[-1]

