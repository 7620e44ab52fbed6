"""The ``[blocs]`` section: the column player as a bloc of members — checks across its keys,
the keys a sweep or ``--set`` may vary, and the numbers it stands for (arrays, for sweeps).

A member's payoff in the bloc game is its fraction of every factor's value to the bloc
(``allocation``, by default its ``share``: the report's 2.1, costs split like the Joint Staff)
plus its own ``factors``. Its payoff in its bilateral game with the row player is, for each
factor named under ``bilateral``, that factor's value times its efficiency in a bilateral deal:
the member gets its fraction of the bloc's side, the row player its ``share`` of its own side.
``control`` names the member whose control the bilateral format erodes: when another member
cooperates bilaterally, the holder loses that member's part (``share / (1 − holder's share)``)
of its own value of ``control_factor`` at (C,C) (report 2.3 (1), 3.2).

Shares, and each member's comparison weights, sum to 1. Setting one of them (``--set``, or a
sweep axis) rescales the others in proportion, so that they still do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..games import OUTCOMES, _unit
from .messages import _did_you_mean, _error, show_key

SUM_TOL = 1e-9
_BALANCED = re.compile(r"^blocs\.members\.([^.]+)\.(share|compare\.([^.]+))$")


# -- checks ----------------------------------------------------------------------------------

def check_blocs(scenario, where: str) -> None:
    """Raise :class:`ScenarioError` on a mistake across the keys of ``[blocs]``."""
    from ..blocs.power import MAX_MEMBERS

    b, row = scenario.model.blocs, scenario.players[0]
    members = list(b.members)
    if not members:
        raise _error(where, "blocs.members", "empty bloc",
                     "at least one [blocs.members.<name>] table with a share", {})
    if len(members) > MAX_MEMBERS:
        raise _error(where, "blocs.members", f"{len(members)} members",
                     f"1 to {MAX_MEMBERS} members")
    if row in members:
        raise _error(where, f"blocs.members.{show_key(row)}", "same name as players.row",
                     "member names other than the row player's")
    total = sum(m.share for m in b.members.values())
    if abs(total - 1) > SUM_TOL:
        raise _error(where, "blocs.members", f"shares sum to {total:.6g}",
                     "shares summing to 1 (e.g. 0.5 and five times 0.1, report 2.1)")
    if b.rule == "quota" and b.quota is None:
        raise _error(where, "blocs.quota", "missing", "a number in (0, 1] with rule = 'quota'")
    if b.rule != "quota" and b.quota is not None:
        raise _error(where, "blocs.quota", f"given with rule = {b.rule!r}",
                     "a quota only with rule = 'quota'", b.quota)
    if b.rule == "leader" and b.leader is None:
        raise _error(where, "blocs.leader", "missing", "a member's name with rule = 'leader'")
    for key in ("leader", "control"):
        name = getattr(b, key)
        if name is not None and name not in members:
            raise _error(where, f"blocs.{key}", f"unknown member{_did_you_mean(name, members)}",
                         ", ".join(members), name)
    names = [f for f, *_ in scenario.factor_games()[0]]
    if (b.control is None) != (b.control_factor is None):
        raise _error(where, "blocs.control_factor" if b.control_factor is None else
                     "blocs.control", "missing", "both control (a member) and control_factor "
                     "(a factor) or neither")
    if b.control_factor is not None and b.control_factor not in names:
        raise _error(where, "blocs.control_factor",
                     f"unknown factor{_did_you_mean(b.control_factor, names)}", ", ".join(names),
                     b.control_factor)
    for f in b.bilateral:
        if f not in names:
            raise _error(where, f"blocs.bilateral.{show_key(f)}",
                         f"unknown factor{_did_you_mean(f, names)}", ", ".join(names),
                         b.bilateral[f])
    for name, m in b.members.items():
        _check_member(scenario, where, name, m, members, names)
    for f in names:
        fractions = sum((m.allocation or {}).get(f, m.share) for m in b.members.values())
        if abs(fractions - 1) > SUM_TOL:
            raise _error(where, f"blocs.members.*.allocation.{show_key(f)}",
                         f"fractions sum to {fractions:.6g}", "fractions of each factor (a "
                         "member's share where not given) summing to 1 over the members")
    stakes = numbers(scenario)
    for i, name in enumerate(members):
        if not (np.any(stakes.P[i] != 0) or np.any(stakes.P_bil[i] != 0)):
            raise _error(where, f"blocs.members.{show_key(name)}", "no stakes (its payoff is 0 "
                         "in every outcome of both formats)", "a member with a share, an "
                         "allocation or factors that give it a payoff")


def _check_member(scenario, where, name, m, members, factor_names):
    key = f"blocs.members.{show_key(name)}"
    allowed = [scenario.players[0]] + [x for x in members if x != name]
    for other, w in (m.compare or {}).items():
        if other not in allowed:
            raise _error(where, f"{key}.compare.{show_key(other)}",
                         f"unknown member{_did_you_mean(other, allowed)}",
                         ", ".join(allowed) + " (the rival or another member)", w)
    if m.compare is not None and abs(sum(m.compare.values()) - 1) > SUM_TOL:
        raise _error(where, f"{key}.compare", f"weights sum to {sum(m.compare.values()):.6g}",
                     "comparison weights summing to 1 (Snidal 1991)", m.compare)
    for f, v in (m.allocation or {}).items():
        if f not in factor_names:
            raise _error(where, f"{key}.allocation.{show_key(f)}",
                         f"unknown factor{_did_you_mean(f, factor_names)}",
                         ", ".join(factor_names), v)
    params = scenario.model.parameters
    for i, f in enumerate(m.factors or ()):
        if all(getattr(f, o) is None for o in OUTCOMES):
            raise _error(where, f"{key}.factors[{i}]", "gives no outcome",
                         "at least one of " + ", ".join(OUTCOMES))
        if f.scale is not None and f.scale not in params:
            raise _error(where, f"{key}.factors[{i}].scale",
                         f"no such parameter{_did_you_mean(f.scale, params)}",
                         ", ".join(params) or "a name defined under [parameters]", f.scale)


# -- keys ------------------------------------------------------------------------------------

def bloc_keys(scenario) -> list[str]:
    """The numeric keys of ``[blocs]`` that a sweep or ``--set`` may vary."""
    b = scenario.model.blocs
    keys = ["blocs.quota"] if b.rule == "quota" else []
    keys += [f"blocs.bilateral.{f}" for f in b.bilateral]
    for name, m in b.members.items():
        k = f"blocs.members.{name}"
        keys.append(f"{k}.share")
        if m.relative_gain_weight is not None:
            keys.append(f"{k}.relative_gain_weight")
        keys += [f"{k}.compare.{o}" for o in m.compare or ()]
        keys += [f"{k}.allocation.{f}" for f in m.allocation or ()]
        keys += [f"{k}.factors.{i}.{o}" for i, f in enumerate(m.factors or ())
                 for o in OUTCOMES if getattr(f, o) is not None]
    return keys


def describe_bloc_key(parts) -> str:
    """A readable label for a ``blocs.`` key (split at its dots)."""
    if parts[1] == "quota":
        return "the bloc's quota q"
    if parts[1] == "bilateral":
        return f"efficiency of {parts[2]} in bilateral deals"
    member, what = parts[2], parts[3]
    return {"share": f"{member}'s share", "relative_gain_weight":
            f"{member}'s relative-gain weight"}.get(what, f"{member}'s {'.'.join(parts[3:])}")


def rebalance(raw: dict, key: str) -> None:
    """After ``--set`` of a share or comparison weight, rescale the others in its table in
    proportion so that the table still sums to 1 (equal parts if they were all 0)."""
    match = _BALANCED.match(key) if isinstance(key, str) else None
    members = (raw.get("blocs") or {}).get("members") if isinstance(raw.get("blocs"), Mapping) \
        else None
    if not match or not isinstance(members, Mapping):
        return
    member, _, other = match.groups()
    if other is None:
        table = {n: m.get("share") for n, m in members.items() if isinstance(m, Mapping)}
        setter, own = (lambda n, v: members[n].__setitem__("share", v)), member
    else:
        entry = members.get(member)
        table = entry.get("compare") if isinstance(entry, Mapping) else None
        if not isinstance(table, dict):
            return
        table = dict(table)
        setter, own = (lambda n, v: members[member]["compare"].__setitem__(n, v)), other
    value = table.get(own)
    rest = {n: v for n, v in table.items() if n != own}
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1 \
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in rest.values()):
        return                                   # left to the schema's own message
    scaled = _rescaled(float(value), np.array(list(rest.values()), dtype=float))
    for n, v in zip(rest, scaled):
        setter(n, float(v))


def _rescaled(value, rest):
    """The other entries of a table summing to 1, rescaled to sum to ``1 − value``
    (broadcasts: ``value`` shape ``(...)``, ``rest`` shape ``(..., k)``)."""
    value = np.asarray(value, dtype=float)[..., None]
    total = rest.sum(-1, keepdims=True)
    k = max(rest.shape[-1], 1)
    return np.where(total > 0, rest * (1 - value) / np.where(total > 0, total, 1),
                    (1 - value) / k)


# -- numbers ---------------------------------------------------------------------------------

@dataclass
class BlocInputs:
    """The numbers of a scenario with ``[blocs]`` (arrays broadcasting over sweep axes).

    ``A`` (row's material payoffs in the bloc game) and ``P`` (members', ``(..., n, 2, 2)``),
    outcomes (row action, bloc action); ``A_bil, P_bil`` the bilateral games with each member
    (row action, member action); ``loss`` ``(..., n)`` what the control holder loses when each
    member cooperates bilaterally; weights: ``r_row`` and ``r_column`` effective (as in the
    two-player game), ``r_members``; ``compare`` ``(..., n, 1 + n)``: column 0 the rival.
    """

    players: tuple
    members: tuple
    rule: object
    shares: np.ndarray
    A: np.ndarray
    P: np.ndarray
    A_bil: np.ndarray
    P_bil: np.ndarray
    loss: np.ndarray
    holder: int | None
    r_row: np.ndarray
    r_row_nominal: np.ndarray
    r_column: np.ndarray
    r_members: np.ndarray
    compare: np.ndarray
    discount: np.ndarray


def numbers(scenario, values: Mapping | None = None) -> BlocInputs:
    """The bloc numbers, with any dotted keys in ``values`` replaced by arrays."""
    from ..blocs.rules import Rule

    values = dict(values or {})
    b = scenario.model.blocs
    names = list(b.members)
    n = len(names)
    bloc_values = {k: v for k, v in values.items() if k.startswith("blocs.")}
    other = {k: v for k, v in values.items() if not k.startswith("blocs.")}
    unknown = [k for k in bloc_values if not scenario.has_key(k)]
    if unknown:
        raise _error(scenario.where, show_key(unknown[0]), "unknown key", ", ".join(
            bloc_keys(scenario)))

    def get(key, default):
        return np.asarray(bloc_values[key], float) if key in bloc_values else \
            np.asarray(default, float)

    shares = _balanced([get(f"blocs.members.{m}.share", b.members[m].share) for m in names],
                       [f"blocs.members.{m}.share" in bloc_values for m in names])
    games, params = scenario.factor_games(other)
    A_tot, B_tot, r_row, r_col, discount = scenario.inputs(other)
    r_row_nom, r_nom = (_nominal(scenario, other, p) for p in (0, 1))

    def alloc(i, m, f):
        a = (b.members[m].allocation or {}).get(f)
        return shares[..., i] if a is None else get(f"blocs.members.{m}.allocation.{f}", a)

    P, P_bil, A_bil = [], [], []
    for i, m in enumerate(names):
        own = sum(alloc(i, m, f)[..., None, None] * Bf for f, _, Bf in games)
        for j, f in enumerate(b.members[m].factors or ()):
            w = 1.0 if f.scale is None else np.asarray(params[f.scale], float)
            for o in OUTCOMES:
                if getattr(f, o) is not None:
                    x = get(f"blocs.members.{m}.factors.{j}.{o}", getattr(f, o))
                    own = own + np.asarray(w * x)[..., None, None] * _unit(o)
        P.append(own)
        bil = [(get(f"blocs.bilateral.{f}", b.bilateral[f]), Af, Bf, f) for f, Af, Bf in games
               if f in b.bilateral]
        A_bil.append(sum((e * shares[..., i])[..., None, None] * Af for e, Af, _, _ in bil)
                     + np.zeros((2, 2)))
        P_bil.append(sum((e * alloc(i, m, f))[..., None, None] * Bf for e, _, Bf, f in bil)
                     + np.zeros((2, 2)))
    holder = names.index(b.control) if b.control is not None else None
    if holder is None:
        loss = np.zeros(shares.shape)
    else:
        Bg = next(Bf for f, _, Bf in games if f == b.control_factor)
        value = alloc(holder, b.control, b.control_factor) * Bg[..., 0, 0]
        rest = 1 - shares[..., holder, None]
        part = np.where(rest > 0, shares / np.where(rest > 0, rest, 1), 0.0)
        loss = np.asarray(value)[..., None] * part * (np.arange(n) != holder)
    r_members = np.stack(np.broadcast_arrays(*[
        get(f"blocs.members.{m}.relative_gain_weight", b.members[m].relative_gain_weight)
        if b.members[m].relative_gain_weight is not None else r_nom for m in names]), -1)
    compare = np.stack(np.broadcast_arrays(*[_compare_row(scenario, m, names, get, bloc_values)
                                             for m in names]), -2)
    quota = get("blocs.quota", b.quota) if b.rule == "quota" else 1.0
    rule = Rule(b.rule, quota, names.index(b.leader) if b.leader else 0)
    P, P_bil, A_bil = (np.stack(np.broadcast_arrays(*X), -3) for X in (P, P_bil, A_bil))
    return BlocInputs(scenario.players, tuple(names), rule, shares, A_tot, P, A_bil, P_bil,
                      loss, holder, np.asarray(r_row, float), r_row_nom, np.asarray(r_col, float),
                      r_members, compare, np.asarray(discount, float))


def _nominal(scenario, values, p: int) -> np.ndarray:
    """Player ``p``'s relative-gain weight before dilution by ``actors`` (as swept)."""
    from ..preferences import weight_from_grieco

    grieco = scenario.model.preferences.grieco_k is not None
    key = f"preferences.{'grieco_k' if grieco else 'relative_gain_weight'}." \
          f"{scenario.players[p]}"
    if key not in values:
        return np.asarray(scenario.nominal_weights()[p], float)
    x = np.asarray(values[key], float)
    return weight_from_grieco(x) if grieco else x


def _balanced(entries, given):
    """Stack ``(..., k)`` of a table summing to 1 after the given entries are set (each one
    given rescales the others in proportion, in order, as :func:`rebalance` does)."""
    x = np.stack(np.broadcast_arrays(*entries), -1)
    for i, g in enumerate(given):
        if g:
            rest = np.delete(x, i, -1)
            x = np.insert(_rescaled(x[..., i], rest), i, x[..., i], -1)
    return x


def _compare_row(scenario, member, names, get, given):
    """A member's comparison weights over (rival, members...): the entries its ``compare``
    table gives (by default the rival alone), zero elsewhere and on itself."""
    table = scenario.model.blocs.members[member].compare or {scenario.players[0]: 1.0}
    order = [scenario.players[0]] + names
    present = [o for o in order if o in table]
    keys = [f"blocs.members.{member}.compare.{o}" for o in present]
    row = _balanced([get(k, table[o]) for k, o in zip(keys, present)], [k in given for k in keys])
    zero = np.zeros(row.shape[:-1])
    return np.stack([row[..., present.index(o)] if o in present else zero for o in order], -1)
