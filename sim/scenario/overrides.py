"""``--set KEY=VALUE`` overrides: parsing them and setting a dotted key in a raw scenario."""

from __future__ import annotations

import re
import tomllib
from typing import Any, Mapping

from .messages import _did_you_mean, _error, show, show_key
from .uncertainty import drop

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
    if parts[0] == "uncertainty" and len(parts) > 1:
        _set_range(raw, parts[1:], value, where)
        return
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


def _set_range(raw: dict, parts: list[str], value, where: str) -> None:
    """``uncertainty.KEY=RANGE``: one flat entry for the dotted ``KEY``, replacing the same key
    written nested or flat in the file."""
    table = raw.setdefault("uncertainty", {})
    if not isinstance(table, dict):
        raise _error(where, "uncertainty", "not a table, so it has no ranges",
                     "a table of dotted key = range", table)
    factors = raw.get("factors")
    names = [f.get("name") if isinstance(f, Mapping) else None
             for f in (factors if isinstance(factors, list) else [])]
    drop(table, ".".join(parts), names)
    table[".".join(parts)] = value
