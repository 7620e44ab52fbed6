"""The case as data: the report's dated events, and the model's account of them.

An events file (TOML, ``[[events]]``; the built-in ``nato_csto_events`` ships the report's ten
events of 1993–2007) gives, for each event, its date as the report writes it, a ``year`` for
plotting, a ``label``, the report's ``section``, the ``actor`` (a player), the ``action``
coded as a key of the scenario's ``[trust.likelihoods]``, an optional ``response`` (the other
player's answer, coded the same way) and a short ``quote``.

The account (:func:`account`): each side's posterior that the other is its cooperative type
after each event, by Bayes' rule with the scenario's likelihoods ``P(action | type)``
(:mod:`sim.trust.beliefs`); at each date whether the truster's silence was a best reply (its
posterior below the trust threshold of the stage game, and of the repeated game at the
scenario's δ); and the least prior at the start of the record that would have made answering
rational at that date (Bayes' rule inverted).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import UserError
from . import beliefs
from .threshold import repeated_trust_threshold, trust_threshold

_FIELDS = {"date": str, "year": float, "label": str, "section": str, "actor": str,
           "action": str, "quote": str, "response": str}
_REQUIRED = ("date", "year", "label", "section", "actor", "action", "quote")
_ALLOWED = {"date": "the date as the report gives it, e.g. '2005-06'",
            "year": "a number of years in [1900, 2100], e.g. 2005.5",
            "label": "a short non-empty text", "section": "the report's section, e.g. '2.2'",
            "quote": "a short non-empty quote from the report"}


@dataclass(frozen=True)
class Event:
    date: str
    year: float
    label: str
    section: str
    actor: str
    action: str
    quote: str
    response: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def events_source(name: str) -> tuple[str, str]:
    """``(where, text)`` of a built-in events name or a path; UserError if unreadable."""
    if name.endswith(".toml") or "/" in name:
        try:
            return name, Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise UserError(f"{name}: cannot read the events file "
                            f"({getattr(exc, 'strerror', None) or exc}); allowed: a readable "
                            "UTF-8 TOML file or a built-in events name") from None
    folder = resources.files("sim") / "data"
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    if name not in names:
        raise UserError(f"trust.events = {name!r}: no such built-in events file; allowed: "
                        f"{', '.join(names)} or a path to a .toml file")
    return name, (folder / f"{name}.toml").read_text(encoding="utf-8")


def load_events(name: str, players, actions) -> list[Event]:
    """The events of a file, checked: one-line UserError naming file, key, value, allowed."""
    where, text = events_source(name)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}: not valid TOML ({str(exc).splitlines()[0]}); allowed: a "
                        "TOML file of [[events]] tables") from None
    items = raw.get("events") if isinstance(raw, dict) else None
    extra = [k for k in raw if k != "events"]
    if extra:
        raise UserError(f"{where}: {extra[0]}: unknown key; allowed: events")
    if not isinstance(items, list) or not items:
        raise UserError(f"{where}: events: missing or empty; allowed: one [[events]] table per "
                        "event")
    out, actions = [], list(actions)
    for i, item in enumerate(items):
        key = f"events[{i}]"
        if not isinstance(item, dict):
            raise UserError(f"{where}: {key}: not a table; allowed: an [[events]] table")
        for k in item:
            if k not in _FIELDS:
                raise UserError(f"{where}: {key}.{k}: unknown key; allowed: "
                                f"{', '.join(_FIELDS)}")
        for k in _REQUIRED:
            if k not in item:
                raise UserError(f"{where}: {key}.{k}: missing; allowed: {_ALLOWED.get(k, k)}")
        for k, v in item.items():
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) if _FIELDS[k] is float \
                else isinstance(v, str) and v.strip() != ""
            if k == "year" and ok:
                ok = math.isfinite(v) and 1900 <= v <= 2100
            if not ok:
                allowed = _ALLOWED.get(k) or (f"one of {', '.join(players)}" if k == "actor"
                                              else "an action of [trust.likelihoods]")
                raise UserError(f"{where}: {key}.{k} = {_show(v)}: wrong type or out of range; "
                                f"allowed: {allowed}")
        if item["actor"] not in players:
            raise UserError(f"{where}: {key}.actor = {item['actor']!r}: unknown player; "
                            f"allowed: {', '.join(players)}")
        for k in ("action", "response"):
            if k in item and item[k] not in actions:
                raise UserError(f"{where}: {key}.{k} = {item[k]!r}: no likelihood for this "
                                f"action in [trust.likelihoods]; allowed: {', '.join(actions)}")
        out.append(Event(**{k: (float(v) if k == "year" else v) for k, v in item.items()}))
    return out


def _show(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _likelihood(sc, action: str, type_name: str) -> float:
    table = (sc.model.trust.likelihoods or {}).get(action, {})
    if type_name not in table:
        raise UserError(f"{sc.where}: trust.likelihoods.{action}.{type_name}: missing; "
                        f"allowed: a probability in [0, 1] that type {type_name} does "
                        f"{action}")
    return float(table[type_name])


def account(model, values=None) -> dict:
    """The model's account of the record (see module): a dict ready for JSON."""
    sc = model.scenario
    truster, trustee = model.truster, model.trustee
    coop_e, other_e = model.trustee_types()
    coop_r = model.cooperative_type(truster)
    names_r = sc.type_names(truster)
    other_r = next((n for n in names_r if n != coop_r), None)
    events = load_events(model.section.events, sc.players,
                         list(model.section.likelihoods or {}))
    A, B, p0 = model.trust_arrays(values)
    p_star = float(trust_threshold(A, B))
    delta = sc.discount
    p_star_rep = float(repeated_trust_threshold(A, B, delta))
    mu = float(p0)                       # truster's belief in the trustee's cooperative type
    nu = float(sc.prior(trustee).get(coop_r, 1.0))   # trustee's belief in the truster's
    seen, rows = [], []
    for e in events:
        acts = [(e.actor, e.action)] + ([(truster if e.actor == trustee else trustee,
                                          e.response)] if e.response else [])
        for actor, action in acts:
            if actor == trustee:
                lk = (_likelihood(sc, action, coop_e), _likelihood(sc, action, other_e))
                mu = float(beliefs.update(mu, *lk))
                seen.append(lk)
            elif other_r is not None:
                nu = float(beliefs.update(nu, _likelihood(sc, action, coop_r),
                                          _likelihood(sc, action, other_r)))
        rows.append({**e.to_dict(), "posterior": mu, "trustee_posterior": nu,
                     "silence_best_reply": bool(np.isnan(p_star) or mu <= p_star),
                     "silence_best_reply_repeated": bool(np.isnan(p_star_rep)
                                                         or mu <= p_star_rep),
                     "prior_needed": _num(beliefs.prior_needed(p_star, seen)),
                     "prior_needed_repeated": _num(beliefs.prior_needed(p_star_rep, seen))})
    return {"truster": truster, "trustee": trustee, "cooperative": coop_e, "other": other_e,
            "truster_type": coop_r, "prior": float(p0), "threshold": _num(p_star),
            "threshold_repeated": _num(p_star_rep), "discount": delta,
            "events_file": model.section.events, "events": rows}


def _num(x):
    x = float(x)
    return None if math.isnan(x) else x
