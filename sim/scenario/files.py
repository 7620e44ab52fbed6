"""Finding and reading scenario files: built-in names, paths, TOML parsing and ``extends``
chains."""

from __future__ import annotations

import copy
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Mapping

from .messages import _did_you_mean, _error
from .schema import ALLOWED

DEFAULT_SCENARIO = "nato_csto_2007"
#: Deepest chain of ``extends``.
MAX_EXTENDS = 32


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
        return data.decode("utf-8").removeprefix("\ufeff")     # a byte-order mark is allowed
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
