"""Sweep axes and the grid they span.

An axis sets one or more scenario keys (the dotted keys of ``--set``) to each of its values.
Specifications:

* ``start:stop:num`` — ``num`` evenly spaced values from ``start`` to ``stop`` (both included);
* ``log:start:stop:num`` — ``num`` values evenly spaced on a log scale (``start, stop > 0``);
* ``[0.1, 0.2, 0.5]`` or ``0.1,0.2,0.5`` or ``0.5`` — an explicit list.

``KEY+KEY=SPEC`` links keys: both take the same value at every point (e.g. both players'
relative-gain weights). Points are ordered as numpy's C order of the grid (the last axis varies
fastest); a chunk is a contiguous range of those points, evaluated as at most a few
rectangular *boxes* so that analytic measures broadcast over each box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import SweepError

MAX_AXES = 3


@dataclass(frozen=True, eq=False)
class Axis:
    """One sweep axis: the keys it sets, its values and the specification they came from."""

    keys: tuple[str, ...]
    values: np.ndarray
    spec: str
    kind: str                       # "linear", "log" or "list"

    @property
    def name(self) -> str:
        """Column name of the axis in the result table (linked keys joined by ``+``)."""
        return "+".join(self.keys)

    def __len__(self) -> int:
        return len(self.values)

    def to_dict(self) -> dict:
        return {"name": self.name, "keys": list(self.keys), "spec": self.spec, "kind": self.kind,
                "values": [float(v) for v in self.values]}


def _number(text: str, where: str, what: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise SweepError(f"{where}: {what} {text.strip()!r} is not a number") from None
    if not math.isfinite(x):
        raise SweepError(f"{where}: {what} {text.strip()!r}: allowed: a finite number")
    return x


def _count(text: str, where: str) -> int:
    x = _number(text, where, "num")
    if x != int(x):
        raise SweepError(f"{where}: num {text.strip()!r}: allowed: a whole number of points >= 1")
    if x < 1:
        raise SweepError(f"{where}: empty range (num = {int(x)}); allowed: num >= 1")
    return int(x)


def parse_values(spec: str, where: str = "--axis") -> tuple[np.ndarray, str]:
    """``(values, kind)`` of an axis specification; :class:`SweepError` when malformed.

    >>> parse_values("0:1:5")[0].tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> parse_values("log:0.01:1:3")[0].round(6).tolist()
    [0.01, 0.1, 1.0]
    >>> parse_values("[0.1, 0.3]")
    (array([0.1, 0.3]), 'list')
    """
    text = str(spec).strip()
    if text.startswith("log:"):
        parts = text[4:].split(":")
        if len(parts) != 3:
            raise SweepError(f"{where}: {text!r}: allowed: log:start:stop:num, e.g. log:1e-3:1:50")
        lo, hi = (_number(p, where, w) for p, w in zip(parts[:2], ("start", "stop")))
        num = _count(parts[2], where)
        if lo <= 0 or hi <= 0:
            raise SweepError(f"{where}: {text!r}: a log range needs start > 0 and stop > 0")
        values, kind = np.geomspace(lo, hi, num), "log"
    elif ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise SweepError(f"{where}: {text!r}: allowed: start:stop:num, log:start:stop:num "
                             "or a list such as 0.1,0.2")
        lo, hi = (_number(p, where, w) for p, w in zip(parts[:2], ("start", "stop")))
        values, kind = np.linspace(lo, hi, _count(parts[2], where)), "linear"
    else:
        inner = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        if not inner.strip():
            raise SweepError(f"{where}: empty list; allowed: one or more numbers, e.g. 0.1,0.2")
        values, kind = np.array([_number(s, where, "value") for s in inner.split(",")]), "list"
    unique, counts = np.unique(values, return_counts=True)
    if (counts > 1).any():
        dup = unique[np.argmax(counts > 1)]
        raise SweepError(f"{where}: value {dup:g} repeats; allowed: distinct values")
    return values.astype(float), kind


def parse_axis(text: str) -> Axis:
    """An axis from ``KEY=SPEC`` or ``KEY+KEY=SPEC`` (as given to ``--axis``)."""
    if "=" not in text:
        raise SweepError(f"--axis {text}: expected KEY=SPEC, e.g. repeated.discount=0:0.99:100")
    key_text, spec = (s.strip() for s in text.split("=", 1))
    return make_axis(key_text.split("+"), spec)


def make_axis(keys, spec, where: str | None = None) -> Axis:
    """An axis setting ``keys`` to the values of ``spec`` (a specification string or a list)."""
    keys = tuple(k.strip() for k in keys)
    name = "+".join(keys)
    spec_text = spec if isinstance(spec, str) else "[" + ", ".join(str(v) for v in spec) + "]"
    where = where or f"--axis {name}={spec_text}"
    if not all(keys):
        raise SweepError(f"{where}: empty key; allowed: dotted scenario keys such as "
                         "repeated.discount")
    if len(set(keys)) != len(keys):
        raise SweepError(f"{where}: a key is linked to itself")
    values, kind = parse_values(spec_text, where)
    return Axis(keys, values, spec_text, kind)


class Grid:
    """The points of one to three axes, in C order (the last axis varies fastest)."""

    def __init__(self, axes):
        self.axes = tuple(axes)
        self.shape = tuple(len(a) for a in self.axes)
        self.size = math.prod(self.shape)

    def boxes(self, start: int, stop: int, shape=None):
        """Rectangular boxes (tuples of slices, one per axis) covering points ``[start, stop)``
        in order: at most ``2·ndim − 1`` of them."""
        shape = self.shape if shape is None else shape
        if start >= stop:
            return []
        if len(shape) == 1:
            return [(slice(start, stop),)]
        inner = math.prod(shape[1:])
        (i0, r0), (i1, r1) = divmod(start, inner), divmod(stop, inner)
        if i0 == i1:
            return [(slice(i0, i0 + 1),) + b for b in self.boxes(r0, r1, shape[1:])]
        out = []
        if r0:
            out += [(slice(i0, i0 + 1),) + b for b in self.boxes(r0, inner, shape[1:])]
            i0 += 1
        if i1 > i0:
            out.append((slice(i0, i1),) + tuple(slice(0, n) for n in shape[1:]))
        if r1:
            out += [(slice(i1, i1 + 1),) + b for b in self.boxes(0, r1, shape[1:])]
        return out

    def box_values(self, box) -> tuple[dict, tuple]:
        """``({key: array}, shape)`` of a box, each axis's values shaped to broadcast."""
        n = len(self.axes)
        values, shape = {}, []
        for k, (axis, s) in enumerate(zip(self.axes, box)):
            v = axis.values[s]
            shape.append(len(v))
            for key in axis.keys:
                values[key] = v.reshape((1,) * k + (-1,) + (1,) * (n - k - 1))
        return values, tuple(shape)

    def flat_values(self, start: int, stop: int) -> dict:
        """``{key: 1-D array}`` of the points ``[start, stop)``."""
        idx = np.unravel_index(np.arange(start, stop), self.shape)
        return {key: axis.values[i] for axis, i in zip(self.axes, idx) for key in axis.keys}

    def columns(self, start: int, stop: int) -> dict:
        """``{axis name: 1-D array}`` of the points ``[start, stop)`` (the table's axis columns)."""
        idx = np.unravel_index(np.arange(start, stop), self.shape)
        return {axis.name: axis.values[i] for axis, i in zip(self.axes, idx)}
