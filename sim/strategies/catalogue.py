"""The strategy table of the documentation, generated from the registry: each strategy's
name, aliases, rule and source come from its class (name, aliases, docstring), its
classifiers are computed (:mod:`.classifiers`)."""

from __future__ import annotations

import inspect
import math
import re

from .base import registry


def _sentences(cls) -> tuple[str, str]:
    """The rule (the docstring's first sentence) and the source (after ``Source:``)."""
    text = " ".join(inspect.getdoc(cls).split()).replace("``", "`")
    rule = re.split(r"(?<=[.)])\s+(?=[A-Z`])", text, maxsplit=1)[0]
    match = re.search(r"Source: (.*?)(?:; p = |\.\s+[A-Z`]|\.$)", text)
    return rule, match.group(1) if match else ""


def _depth(cls) -> str:
    if cls.__dict__.get("family", False):
        return "computed"
    depth = cls().classifier["memory_depth"]
    return "∞" if math.isinf(depth) else str(int(depth))


def markdown_table() -> str:
    """The Markdown table of every registered strategy (docs/strategies.md shows it)."""
    lines = ["| name (aliases) | rule | memory depth | source |", "|---|---|---|---|"]
    for name, cls in registry().items():
        rule, source = _sentences(cls)
        aliases = f" ({', '.join(cls.aliases)})" if cls.aliases else ""
        lines.append(f"| `{name}`{aliases} | {rule.replace('|', '/')} | {_depth(cls)} | "
                     f"{source} |")
    return "\n".join(lines)
