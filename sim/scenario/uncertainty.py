"""Uncertainty ranges: the ``[uncertainty]`` table of a scenario, checked, as distributions.

A scenario author's numbers are readings of a text; ``[uncertainty]`` says how sure each one
is. Its keys are the dotted numeric keys of the scenario (as for ``--set`` and sweeps; a factor
may be named instead of numbered: ``factors.synergy.CC.0``), written quoted or as nested
tables; its values are distributions::

    [uncertainty]
    "factors.synergy.CC.0" = [1.5, 4.5]                           # uniform on [1.5, 4.5]
    "factors.synergy.CC.1" = { triangular = [1.5, 3.0, 4.5] }     # lo, mode, hi
    "preferences.relative_gain_weight.NATO" = { uniform = [0.3, 0.8] }
    "repeated.discount" = { normal = [0.9, 0.03], within = [0.8, 0.98] }   # truncated normal
    "parameters.threat" = { loguniform = [0.5, 2.0] }            # 0 < lo

Every range must contain the scenario's own value and stay inside what the key allows
(weights in [0, 1], δ in [0, 1)). A ``--set`` of a key's value pins the key: its range no
longer applies (``--set`` its ``uncertainty.KEY`` too to keep one). Values are drawn by the
inverse of each distribution function applied to uniform (quasi-random) numbers (Devroye
1986, *Non-Uniform Random Variate Generation*, II.2), so one unit sample serves every form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .messages import _did_you_mean, _error, _type_name
from .schema import MAX_ABS

#: The distribution forms, with the numbers each takes.
FORMS = {"uniform": "[lo, hi]", "triangular": "[lo, mode, hi]", "normal": "[mean, sd]",
         "loguniform": "[lo, hi] with 0 < lo"}
ALLOWED = ("a range [lo, hi] (uniform) or a table { uniform = [lo, hi] }, { triangular = "
           "[lo, mode, hi] }, { normal = [mean, sd], within = [lo, hi] } (truncated) or "
           "{ loguniform = [lo, hi] } (0 < lo), with lo < hi")


@dataclass(frozen=True)
class Distribution:
    """A numeric key's uncertainty: ``form`` (one of ``FORMS``) and its numbers.

    ``numbers`` are ``(lo, hi)`` (uniform, loguniform), ``(lo, mode, hi)`` (triangular) or
    ``(mean, sd, lo, hi)`` (normal, truncated to ``[lo, hi]``).
    """

    key: str
    form: str
    numbers: tuple

    @property
    def bounds(self) -> tuple[float, float]:
        """``(lo, hi)``: the support."""
        n = self.numbers
        return (n[0], n[-1]) if self.form != "normal" else (n[2], n[3])

    def ppf(self, u):
        """Quantiles at ``u`` in [0, 1] (broadcasts): the inverse distribution function.

        Clipped to ``[lo, hi]``: in floating point ``lo + u (hi - lo)`` can round past a bound
        whose magnitude is far below the range's (e.g. ``hi = -1.5e-195`` with ``lo = -1e12``).
        """
        u = np.asarray(u, dtype=float)
        lo, hi = self.bounds
        return np.clip(self._quantiles(u, lo, hi), lo, hi)

    def _quantiles(self, u, lo, hi):
        if self.form == "uniform":
            return lo + u * (hi - lo)
        if self.form == "loguniform":
            return np.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
        if self.form == "triangular":
            mode = self.numbers[1]
            c = (mode - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
            right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
            return np.where(u < c, left, right)
        from scipy.stats import truncnorm

        mean, sd = self.numbers[:2]
        return truncnorm.ppf(u, (lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd)

    def to_dict(self) -> dict:
        names = {"uniform": ("lo", "hi"), "loguniform": ("lo", "hi"),
                 "triangular": ("lo", "mode", "hi"), "normal": ("mean", "sd", "lo", "hi")}
        return {"form": self.form, **dict(zip(names[self.form], self.numbers))}


def _leaves(table: Mapping, is_key=lambda key: False, prefix: str = ""):
    """``(dotted key, value)`` of every distribution in a possibly nested table: a value that
    is not a table, a table naming a form, or whatever sits at a complete key (``is_key``)."""
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and not is_key(dotted) \
                and not (set(value) & (set(FORMS) | {"within"})):
            yield from _leaves(value, is_key, dotted + ".")
        else:
            yield dotted, value


def drop(table: dict, key: str, factor_names) -> None:
    """Remove every spelling of ``key`` (flat, nested, by factor name or index) from a raw
    ``[uncertainty]`` table, so that an override replaces it."""
    def same(spelled):
        try:
            return canonical_key(spelled, factor_names) == canonical_key(key, factor_names)
        except (KeyError, ValueError):
            return False

    def remove(node, prefix=""):
        for part in list(node):
            if same(f"{prefix}{part}"):
                del node[part]
            elif isinstance(node[part], dict) and node[part]:
                remove(node[part], f"{prefix}{part}.")
                if not node[part]:                  # nothing left under it
                    del node[part]

    remove(table)


def drop_pinned(scenario) -> None:
    """Remove from ``scenario.raw`` the ranges of the keys its overrides pin (which
    :func:`parse` leaves out), so that ``raw`` is the scenario as overridden:
    ``from_dict(scenario.raw)`` gives the same scenario, ranges included."""
    table = scenario.raw.get("uncertainty")
    if not isinstance(table, dict) or not table:
        return
    names = [f.name for f in scenario.model.factors or ()]
    pinned = scenario.pinned()

    def canonical_pinned(spelled):
        try:
            return pinned(canonical_key(spelled, names))
        except (KeyError, ValueError):
            return False

    for spelled, _ in list(_leaves(table, canonical_pinned)):
        if pinned(spelled) or canonical_pinned(spelled):
            drop(table, spelled, names)
    if not table:
        del scenario.raw["uncertainty"]


def _numbers(where, label, value, count, what):
    ok = isinstance(value, (list, tuple)) and len(value) == count and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
    if ok:
        try:
            ok = all(math.isfinite(x) and abs(x) <= MAX_ABS for x in value)
        except OverflowError:             # an integer too large for a float
            ok = False
    if not ok:
        raise _error(where, label, f"not {count} finite numbers" if isinstance(value, (
            list, tuple)) else f"wrong type ({_type_name(value)})",
            f"{what} of finite numbers in [-{MAX_ABS:g}, {MAX_ABS:g}]", value)
    return tuple(float(x) for x in value)


def _distribution(where, label, key, value) -> Distribution:
    """A :class:`Distribution` from one ``[uncertainty]`` value (checked on its own)."""
    if isinstance(value, (list, tuple)):
        form, numbers = "uniform", _numbers(where, label, value, 2, "[lo, hi]")
    elif isinstance(value, Mapping):
        forms = [f for f in value if f in FORMS]
        extra = [k for k in value if k not in FORMS and k != "within"]
        if extra or len(forms) != 1:
            bad = extra[0] if extra else None
            raise _error(where, f"{label}.{bad}" if bad else label,
                         f"unknown form{_did_you_mean(bad, FORMS)}" if bad else
                         "no form given" if not forms else "more than one form given",
                         ALLOWED, value[bad] if bad else value)
        form = forms[0]
        sizes = {"uniform": 2, "loguniform": 2, "triangular": 3, "normal": 2}
        numbers = _numbers(where, f"{label}.{form}", value[form], sizes[form], FORMS[form])
        if form == "normal":
            if "within" not in value:
                raise _error(where, label, "a normal distribution needs its truncation",
                             "{ normal = [mean, sd], within = [lo, hi] }", value)
            if numbers[1] <= 0:
                raise _error(where, f"{label}.normal", "sd is not positive",
                             "[mean, sd] with sd > 0", value["normal"])
            numbers += _numbers(where, f"{label}.within", value["within"], 2, "[lo, hi]")
        elif "within" in value:
            raise _error(where, f"{label}.within", f"not used by a {form} distribution",
                         "within only with normal = [mean, sd]", value["within"])
    else:
        raise _error(where, label, f"wrong type ({_type_name(value)})", ALLOWED, value)
    dist = Distribution(key, form, numbers)
    lo, hi = dist.bounds
    if not lo < hi:
        raise _error(where, label, "lo > hi" if lo > hi else "empty range (lo = hi)",
                     "lo < hi (to fix a value, leave the key out of [uncertainty])", value)
    if form == "triangular" and not lo <= numbers[1] <= hi:
        raise _error(where, label, "mode outside [lo, hi]", "lo <= mode <= hi", value)
    if form == "loguniform" and lo <= 0:
        raise _error(where, label, "lo is not positive", "[lo, hi] with 0 < lo < hi", value)
    return dist


def domain(key: str, grieco: bool) -> tuple[float, float, str]:
    """``(lo, hi, text)`` of what ``key`` may take; ``hi`` excluded for the discount factor."""
    if key == "repeated.discount":
        return 0.0, 1.0, "[0, 1)"
    if key.startswith("preferences.relative_gain_weight."):
        return 0.0, 1.0, "[0, 1]"
    if grieco and key.startswith("preferences.grieco_k."):
        return 0.0, MAX_ABS, f"[0, {MAX_ABS:g}]"
    return -MAX_ABS, MAX_ABS, f"[-{MAX_ABS:g}, {MAX_ABS:g}]"


def canonical_key(key: str, factor_names) -> str:
    """``factors.<name>.…`` with the factor's index; other keys as they are. ``KeyError`` if
    the name is unknown, ``ValueError`` if two factors share it."""
    parts = key.split(".")
    if parts[0] == "factors" and len(parts) > 1 and not parts[1].isdigit():
        hits = [i for i, n in enumerate(factor_names) if n == parts[1]]
        if not hits:
            raise KeyError(parts[1])
        if len(hits) > 1:
            raise ValueError(parts[1])
        parts[1] = str(hits[0])
    return ".".join(parts)


def parse(scenario, where: str, pinned=lambda key: False) -> dict[str, Distribution]:
    """The scenario's ``[uncertainty]`` as ``{canonical key: Distribution}``, fully checked.

    Keys for which ``pinned(key)`` is true (values set by ``--set`` without their range) are
    left out unchecked: the override fixes them (and may have renamed what they name).
    """
    table = scenario.model.uncertainty
    if not table:
        return {}
    names = [f.name for f in scenario.model.factors or ()]
    allowed = [k for k in scenario.numeric_keys() if not k.startswith("preferences.actors.")]
    grieco = scenario.model.preferences.grieco_k is not None
    out, spelled = {}, {}
    def is_key(spelled):
        try:
            return canonical_key(spelled, names) in allowed
        except (KeyError, ValueError):
            return False

    for raw_key, value in _leaves(table, is_key):
        label = f"uncertainty.{raw_key}"
        if pinned(str(raw_key)):
            continue
        try:
            key = canonical_key(raw_key, names)
        except KeyError as exc:
            raise _error(where, label, f"no factor named '{exc.args[0]}'"
                         f"{_did_you_mean(exc.args[0], names)}",
                         ", ".join(names) or "a factor of [[factors]]", value) from None
        except ValueError as exc:
            raise _error(where, label, f"two factors are named '{exc.args[0]}'",
                         "the factor's index, e.g. factors.0.CC.0", value) from None
        if pinned(key):
            continue
        if key not in allowed:
            raise _error(where, label, f"unknown key{_did_you_mean(key, allowed)}",
                         "a numeric key of this scenario: " + ", ".join(allowed), value)
        if key in spelled:
            raise _error(where, label, f"given twice (also as uncertainty.{spelled[key]})",
                         "one range per key", value)
        spelled[key] = raw_key
        dist = _distribution(where, label, key, value)
        lo, hi = dist.bounds
        d_lo, d_hi, text = domain(key, grieco)
        if lo < d_lo or hi > d_hi or (key == "repeated.discount" and hi >= d_hi):
            raise _error(where, label, f"range [{lo:g}, {hi:g}] leaves {text}",
                         f"a range inside {text}, what {key} may take", value)
        own = scenario.value(key)
        if not lo <= own <= hi:
            raise _error(where, label, f"the scenario's value {own:g} is outside the range "
                         f"[{lo:g}, {hi:g}]", f"a range containing {own:g}", value)
        out[key] = dist
    return out
