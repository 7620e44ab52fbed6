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
_BALANCED = re.compile(r"^blocs\.(row\.)?members\.([^.]+)\.(share|compare\.([^.]+))$")


# -- checks ----------------------------------------------------------------------------------

def check_blocs(scenario, where: str) -> None:
    """Raise :class:`ScenarioError` on a mistake across the keys of ``[blocs]``."""
    b, (row, column) = scenario.model.blocs, scenario.players
    members = list(b.members)
    names = [f for f, *_ in scenario.factor_games()[0]]
    _check_side(where, "blocs", b, [row])
    if b.row is not None:
        _check_side(where, "blocs.row", b.row, [row, column] + members)
    for key in ("leader", "control"):
        name = getattr(b, key)
        if name is not None and name not in members:
            raise _error(where, f"blocs.{key}", f"unknown member{_did_you_mean(name, members)}",
                         ", ".join(members), name)
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
    rows = list(b.row.members) if b.row is not None else []
    for name, m in b.members.items():
        _check_member(scenario, where, "blocs.members", name, m,
                      [row] + [x for x in members if x != name], names)
    for name, m in (b.row.members if b.row is not None else {}).items():
        _check_member(scenario, where, "blocs.row.members", name, m,
                      [column] + members + [x for x in rows if x != name], names)
    for prefix, side in (("blocs.members", b), ("blocs.row.members", b.row)):
        for f in names if side is not None else ():
            fractions = sum((m.allocation or {}).get(f, m.share) for m in side.members.values())
            if abs(fractions - 1) > SUM_TOL:
                raise _error(where, f"{prefix}.*.allocation.{show_key(f)}",
                             f"fractions sum to {fractions:.6g}", "fractions of each factor (a "
                             "member's share where not given) summing to 1 over the members")
    stakes = numbers(scenario)
    for prefix, group, own, bil in (("blocs.members", members, stakes.P, stakes.P_bil),
                                    ("blocs.row.members", rows, stakes.Q, stakes.Q_bil)):
        for i, name in enumerate(group):
            if not (np.any(own[i] != 0) or np.any(bil[i] != 0)):
                raise _error(where, f"{prefix}.{show_key(name)}", "no stakes (its payoff is 0 "
                             "in every outcome of both formats)", "a member with a share, an "
                             "allocation or factors that give it a payoff")


def _check_side(where, prefix, side, taken) -> None:
    """A side's members (some, not too many, names free, shares summing to 1) and rule."""
    from ..blocs.power import MAX_MEMBERS

    members = list(side.members)
    if not members:
        raise _error(where, f"{prefix}.members", "empty bloc",
                     f"at least one [{prefix}.members.<name>] table with a share", {})
    if len(members) > MAX_MEMBERS:
        raise _error(where, f"{prefix}.members", f"{len(members)} members",
                     f"1 to {MAX_MEMBERS} members")
    for name in members:
        if name in taken:
            raise _error(where, f"{prefix}.members.{show_key(name)}", "name already used",
                         "member names other than the players' and the other bloc's members' "
                         f"({', '.join(taken)})")
    total = sum(m.share for m in side.members.values())
    if abs(total - 1) > SUM_TOL:
        raise _error(where, f"{prefix}.members", f"shares sum to {total:.6g}",
                     "shares summing to 1 (e.g. 0.5 and five times 0.1, report 2.1)")
    if side.rule == "quota" and side.quota is None:
        raise _error(where, f"{prefix}.quota", "missing",
                     "a number in (0, 1] with rule = 'quota'")
    if side.rule != "quota" and side.quota is not None:
        raise _error(where, f"{prefix}.quota", f"given with rule = {side.rule!r}",
                     "a quota only with rule = 'quota'", side.quota)
    if side.rule == "leader" and side.leader is None:
        raise _error(where, f"{prefix}.leader", "missing",
                     "a member's name with rule = 'leader'")
    if side.leader is not None and side.leader not in members:
        raise _error(where, f"{prefix}.leader",
                     f"unknown member{_did_you_mean(side.leader, members)}", ", ".join(members),
                     side.leader)


def _check_member(scenario, where, prefix, name, m, allowed, factor_names):
    key = f"{prefix}.{show_key(name)}"
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
    keys += _member_keys("blocs.members", b.members)
    if b.row is not None:
        keys += ["blocs.row.quota"] if b.row.rule == "quota" else []
        keys += _member_keys("blocs.row.members", b.row.members)
    return keys


def _member_keys(prefix, members) -> list[str]:
    keys = []
    for name, m in members.items():
        k = f"{prefix}.{name}"
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
    if parts[1] == "row":
        return describe_bloc_key(parts[1:]).replace("the bloc's", "the row bloc's")
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
    if not match:
        return
    side = raw.get("blocs")
    if match.group(1) and isinstance(side, Mapping):
        side = side.get("row")
    members = side.get("members") if isinstance(side, Mapping) else None
    if not isinstance(members, Mapping):
        return
    _, member, _, other = match.groups()
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

    The row side: ``row_members`` (names; empty for a unitary row player, which is then one
    member with the row player's numbers), ``row_rule``, ``row_shares`` ``(..., k)``, ``Q``
    ``(..., k, 2, 2)`` and ``Q_bil`` ``(..., k, n, 2, 2)`` its members' material payoffs (they
    sum to ``A`` and ``A_bil``), ``r_rows`` and ``r_rows_bil`` ``(..., k)`` their weights in the
    bloc and the bilateral games, ``row_compare`` ``(..., k, 1 + n + k)``: column 0 the rival
    bloc, then its members, then the row side's members.
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
    row_members: tuple = ()
    row_rule: object = None
    row_shares: np.ndarray = None
    Q: np.ndarray = None
    Q_bil: np.ndarray = None
    r_rows: np.ndarray = None
    r_rows_bil: np.ndarray = None
    row_compare: np.ndarray = None


#: The array fields of :class:`BlocInputs` with the number of trailing axes of their own.
ARRAY_TAILS = {"shares": 1, "A": 2, "P": 3, "A_bil": 3, "P_bil": 3, "loss": 1, "r_row": 0,
               "r_row_nominal": 0, "r_column": 0, "r_members": 1, "compare": 2, "discount": 0,
               "row_shares": 1, "Q": 3, "Q_bil": 4, "r_rows": 1, "r_rows_bil": 1,
               "row_compare": 2}


def numbers(scenario, values: Mapping | None = None) -> BlocInputs:
    """The bloc numbers, with any dotted keys in ``values`` replaced by arrays."""
    from ..blocs.rules import Rule
    from ..preferences import effective_weight

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

    shares = _shares(b.members, "blocs.members", get, bloc_values)
    games, params = scenario.factor_games(other)
    A_tot, B_tot, r_row, r_col, discount = scenario.inputs(other)
    r_row_nom, r_nom = (_nominal(scenario, other, p) for p in (0, 1))
    efficiency = {f: get(f"blocs.bilateral.{f}", b.bilateral[f]) for f, _, _ in games
                  if f in b.bilateral}
    alloc = _allocations(b.members, "blocs.members", shares, get)
    P = _stakes(b.members, "blocs.members", alloc, [(f, Bf) for f, _, Bf in games], params, get)
    P_bil = np.stack(np.broadcast_arrays(*[
        sum((efficiency[f] * alloc(i, m, f))[..., None, None] * Bf for f, _, Bf in games
            if f in efficiency) + np.zeros((2, 2)) for i, m in enumerate(names)]), -3)
    holder = names.index(b.control) if b.control is not None else None
    if holder is None:
        loss = np.zeros(shares.shape)
    else:
        Bg = next(Bf for f, _, Bf in games if f == b.control_factor)
        value = alloc(holder, b.control, b.control_factor) * Bg[..., 0, 0]
        rest = 1 - shares[..., holder, None]
        part = np.where(rest > 0, shares / np.where(rest > 0, rest, 1), 0.0)
        loss = np.asarray(value)[..., None] * part * (np.arange(n) != holder)
    r_members = _weights(b.members, "blocs.members", r_nom, get)
    compare = np.stack(np.broadcast_arrays(*[
        _compare_row(b.members[m], f"blocs.members.{m}", [scenario.players[0]] + names,
                     scenario.players[0], get, bloc_values) for m in names]), -2)
    rule = _rule(b, names, get, "blocs")
    r_bil = effective_weight(r_row_nom, n + 1)

    row = b.row
    if row is None:
        rows, row_rule = (), Rule("consensus")
        row_shares = np.ones((1,))
        A_bil = np.stack(np.broadcast_arrays(*[
            sum((efficiency[f] * shares[..., i])[..., None, None] * Af for f, Af, _ in games
                if f in efficiency) + np.zeros((2, 2)) for i in range(n)]), -3)
        Q, Q_bil = np.asarray(A_tot, float)[..., None, :, :], A_bil[..., None, :, :, :]
        r_rows = np.asarray(r_row, float)[..., None]
        r_rows_bil = np.asarray(r_bil, float)[..., None]
        row_compare = np.eye(1, 1 + n + 1)
        A = np.asarray(A_tot, float)
    else:
        rows = list(row.members)
        row_shares = _shares(row.members, "blocs.row.members", get, bloc_values)
        ralloc = _allocations(row.members, "blocs.row.members", row_shares, get)
        Q = _stakes(row.members, "blocs.row.members", ralloc, [(f, Af) for f, Af, _ in games],
                    params, get)
        Q_bil = np.stack(np.broadcast_arrays(*[np.stack(np.broadcast_arrays(*[
            sum((efficiency[f] * shares[..., i] * ralloc(k, r, f))[..., None, None] * Af
                for f, Af, _ in games if f in efficiency) + np.zeros((2, 2))
            for i in range(n)]), -3) for k, r in enumerate(rows)]), -4)
        A, A_bil = Q.sum(-3), Q_bil.sum(-4)
        own = _weights(row.members, "blocs.row.members", np.nan, get)
        r_rows = np.where(np.isnan(own), np.asarray(r_row, float)[..., None], own)
        r_rows_bil = np.where(np.isnan(own), np.asarray(r_bil, float)[..., None],
                              effective_weight(np.where(np.isnan(own), 0.0, own), n + 1))
        order = [scenario.players[1]] + names + rows
        row_compare = np.stack(np.broadcast_arrays(*[
            _compare_row(row.members[r], f"blocs.row.members.{r}", order, scenario.players[1],
                         get, bloc_values) for r in rows]), -2)
        row_rule = _rule(row, rows, get, "blocs.row")
    return BlocInputs(scenario.players, tuple(names), rule, shares, A, P, A_bil, P_bil,
                      loss, holder, np.asarray(r_row, float), r_row_nom, np.asarray(r_col, float),
                      r_members, compare, np.asarray(discount, float), tuple(rows), row_rule,
                      row_shares, Q, Q_bil, r_rows, r_rows_bil, row_compare)


def _shares(members, prefix, get, given):
    names = list(members)
    return _balanced([get(f"{prefix}.{m}.share", members[m].share) for m in names],
                     [f"{prefix}.{m}.share" in given for m in names])


def _allocations(members, prefix, shares, get):
    """``alloc(i, name, factor)``: member *i*'s fraction of a factor (by default its share)."""
    def alloc(i, m, f):
        a = (members[m].allocation or {}).get(f)
        return shares[..., i] if a is None else get(f"{prefix}.{m}.allocation.{f}", a)
    return alloc


def _stakes(members, prefix, alloc, side_games, params, get):
    """Members' material payoffs in the bloc game ``(..., n, 2, 2)``: their fractions of their
    side's value of every factor plus their own factors."""
    out = []
    for i, m in enumerate(members):
        own = sum(alloc(i, m, f)[..., None, None] * G for f, G in side_games)
        for j, f in enumerate(members[m].factors or ()):
            w = 1.0 if f.scale is None else np.asarray(params[f.scale], float)
            for o in OUTCOMES:
                if getattr(f, o) is not None:
                    x = get(f"{prefix}.{m}.factors.{j}.{o}", getattr(f, o))
                    own = own + np.asarray(w * x)[..., None, None] * _unit(o)
        out.append(own + np.zeros((2, 2)))
    return np.stack(np.broadcast_arrays(*out), -3)


def _weights(members, prefix, default, get):
    """Members' relative-gain weights ``(..., n)`` (``default`` where a member has none)."""
    return np.stack(np.broadcast_arrays(*[
        get(f"{prefix}.{m}.relative_gain_weight", spec.relative_gain_weight)
        if spec.relative_gain_weight is not None else np.asarray(default, float)
        for m, spec in members.items()]), -1)


def _rule(side, names, get, prefix):
    from ..blocs.rules import Rule

    quota = get(f"{prefix}.quota", side.quota) if side.rule == "quota" else 1.0
    return Rule(side.rule, quota, names.index(side.leader) if side.leader else 0)


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


def _compare_row(spec, prefix, order, rival, get, given):
    """A member's comparison weights over ``order`` (rival, then members): the entries its
    ``compare`` table gives (by default the rival alone), zero elsewhere and on itself."""
    table = spec.compare or {rival: 1.0}
    present = [o for o in order if o in table]
    keys = [f"{prefix}.compare.{o}" for o in present]
    row = _balanced([get(k, table[o]) for k, o in zip(keys, present)], [k in given for k in keys])
    zero = np.zeros(row.shape[:-1])
    return np.stack([row[..., present.index(o)] if o in present else zero for o in order], -1)
