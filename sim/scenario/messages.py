"""One-line error messages: :class:`ScenarioError`, values and keys shown as TOML writes them,
pydantic errors turned into ``where: key = value: problem; allowed: ...``, and the check for
unknown keys with did-you-mean."""

from __future__ import annotations

import difflib
import re
import types
from typing import Annotated, Any, Literal, Mapping, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import UserError
from .schema import _NUMBER, ALLOWED, MAX_ABS, TRPS, Payoffs, ScenarioModel


class ScenarioError(UserError):
    """A user mistake in a scenario or an override: one line, no traceback.

    ``key`` is the dotted key the message is about (``None`` when it concerns no one key).
    """

    key: str | None = None


_MISSING = object()
#: Parts of a pydantic error location that name a validator or a member of a union, not a key.
_UNION_TAG = re.compile(r"^(function-.*|str|int|float|bool|(list|dict|tuple)\[.*\]|"
                        r"literal\[.*\]|json-or-python\[.*\])$")
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
    return _constraints(annotation, {})


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _constraints(annotation, found: dict) -> Any:
    """``annotation`` without ``Annotated``/``Optional``, its bounds (``ge``, ``gt``, ``le``,
    ``lt``) collected into ``found``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *meta = get_args(annotation)
            for m in meta:
                _bounds(getattr(m, "metadata", [m]), found)
            annotation = base
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _bounds(items, found: dict) -> None:
    for item in items:
        for k in ("ge", "gt", "le", "lt"):
            if getattr(item, k, None) is not None:
                found[k] = getattr(item, k)


def _walk(loc) -> tuple[str, Any, dict]:
    """Schema path (``factors[].theory``), annotation and bounds at a pydantic error location."""
    annotation, path, bounds = ScenarioModel, "", {}
    for part in loc:
        annotation = _strip(annotation)
        bounds = {}
        if part == "[key]":
            return path + "[key]", str, {}
        if _is_model(annotation):
            if part in annotation.model_fields:
                field = annotation.model_fields[part]
                _bounds(field.metadata, bounds)
                annotation = field.annotation
                path += ("." if path else "") + str(part)
            elif annotation is Payoffs:
                annotation, path = TRPS, path + ".<player>"
            else:
                return path, None, {}
        elif get_origin(annotation) is list:
            annotation, path = get_args(annotation)[0], path + "[]"
        elif get_origin(annotation) is dict:
            annotation, path = get_args(annotation)[1], path + ".*"
        else:
            return path, None, {}
    return path, _constraints(annotation, bounds), bounds


def _range(bounds: dict, whole: bool) -> str:
    """`` from 1 to 1_000`` / `` in [0, 1)`` / `` >= 0`` from a field's bounds."""
    fmt = (lambda v: f"{v:_}" if isinstance(v, int) and abs(v) >= 10**4 else f"{v:g}")
    lo = bounds.get("ge", bounds.get("gt"))
    hi = bounds.get("le", bounds.get("lt"))
    if whole and hi is not None and hi >= 2 ** 63 - 1:        # a seed: no bound in practice
        bounds = {k: v for k, v in bounds.items() if k not in ("le", "lt")}
        hi = None
    if whole and "ge" in bounds and "le" in bounds:
        return f" from {fmt(lo)} to {fmt(hi)}"
    if lo is not None and hi is not None:
        return (f" in {'[' if 'ge' in bounds else '('}{fmt(lo)}, {fmt(hi)}"
                f"{']' if 'le' in bounds else ')'}")
    if lo is not None:
        return f" {'>=' if 'ge' in bounds else '>'} {fmt(lo)}"
    if hi is not None:
        return f" {'<=' if 'le' in bounds else '<'} {fmt(hi)}"
    return ""


def _describe(annotation, bounds: dict | None = None) -> str:
    """What a value of this (stripped) annotation may be, in words."""
    bounds = bounds or {}
    if _is_model(annotation):
        return "a table with keys " + ", ".join(annotation.model_fields)
    origin = get_origin(annotation)
    if origin is list:
        return "a list"
    if origin is dict:
        return "a table"
    if origin is Literal:
        return " or ".join(repr(a) for a in get_args(annotation))
    if annotation is int:
        return "a whole number" + _range(bounds, True)
    if annotation is float and bounds and (bounds.get("ge"), bounds.get("le")) != \
            (-MAX_ABS, MAX_ABS):
        return "a number" + _range(bounds, False)
    return {float: _NUMBER, str: "a string", bool: "true or false"}.get(annotation, _ANY)


def allowed_at(loc) -> str:
    """What is allowed at a location (tuple of keys and indices) in a scenario."""
    path, annotation, bounds = _walk(loc)
    if path in ALLOWED:
        return ALLOWED[path]
    return _describe(annotation, bounds) if annotation is not None else _ANY


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


def _keys(loc) -> tuple:
    return tuple(x for x in loc if not _UNION_TAG.match(str(x)))


def _union_member(errors: list) -> tuple[dict, int | None]:
    """The first error, or, where it is one member's of a union (pydantic reports one error
    per member: ``str``, ``list[...]``, ``dict[...]``), the error of the member that took the
    value's type; with the length of the union's location (``None``: no union)."""
    first = errors[0]
    loc = tuple(first["loc"])
    tag = next((i for i, x in enumerate(loc) if _UNION_TAG.match(str(x))), None)
    members = [e for e in errors if tag is not None and len(e["loc"]) > tag
               and tuple(e["loc"][:tag]) == loc[:tag] and _UNION_TAG.match(str(e["loc"][tag]))]
    if len({e["loc"][tag] for e in members}) < 2:
        return first, None
    took = [e for e in members if len(e["loc"]) > tag + 1 or not e["type"].endswith("_type")]
    return min(took, key=lambda e: len(e["loc"]), default=first), tag    # its shallowest


def _format_error(err: ValidationError, where: str, prefix=()) -> ScenarioError:
    errors = err.errors()
    e, tag = _union_member(errors)
    loc = tuple(prefix) + _keys(e["loc"])
    problem = _problem(e)
    value = _MISSING if e["type"] == "missing" else e.get("input", _MISSING)
    inner = () if tag is None else _keys(e["loc"][tag:])
    whole = next((x for x in errors if inner and _keys(x["loc"]) == _keys(e["loc"][:tag])),
                 None)
    if whole is not None:              # inside a union member: shown as the whole value
        problem += f" at {dotted(inner)}" + ("" if value is _MISSING else f" = {show(value)}")
        loc, value = loc[:len(loc) - len(inner)], whole.get("input", _MISSING)
    shown = [x for x in loc if x != "[key]"]
    return _error(where, dotted(shown) or "scenario", problem, allowed_at(loc), value)


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
            elif get_origin(sub) is dict and _is_model(_strip(get_args(sub)[1])) \
                    and isinstance(value, Mapping):
                for name, item in value.items():
                    _check_keys(item, _strip(get_args(sub)[1]), loc + (key, name), where, players)
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
