"""The robustness of one scenario's verdict: shares, break-even values and Sobol indices in one
JSON-ready summary with provenance, and a plain-words account of it."""

from __future__ import annotations

import numpy as np

from ..equilibria import COOPERATIVE, REGIMES
from .breakeven import break_even
from .sampling import REPLICATES
from .sensitivity import analyse, saltelli_unit
from .verdicts import evaluate, evaluate_unit, sample_verdicts, shares

#: Default number of quasi-random draws.
DRAWS = 8192
#: Largest Saltelli base sample (its evaluations are ``base · (d + 2)``).
MAX_BASE = 1 << 12
#: The indicator outputs whose Sobol indices are computed.
OUTPUTS = {"regime": "the draw's regime is the scenario's",
           "cooperative": "the draw's regime is cooperative (harmony, coordination, "
                          "reciprocity)",
           "blocked": "the draw is blocked by relative gains"}


def _indicators(code, blocked, nominal_code) -> dict:
    return {"regime": code == nominal_code, "cooperative": code < len(COOPERATIVE),
            "blocked": blocked}


def robustness(scenario, draws: int = DRAWS, seed: int = 0) -> dict:
    """How robust the scenario's verdict is to its ``[uncertainty]`` ranges.

    Keys: ``scenario``, ``nominal`` (``regime``, ``blocked``, ``cooperative``), ``keys`` (each
    uncertain key with its label, value and distribution), ``draws``, ``seed``, ``shares``
    (:func:`sim.robust.verdicts.shares` over ``draws`` scrambled Sobol draws in
    ``REPLICATES`` independent replicates), ``break_even`` (:func:`break_even`),
    ``sensitivity`` (``base``, ``evaluations``, ``outputs``: Sobol ``S1``/``ST`` with 95 %
    confidence half-widths per key for each of ``OUTPUTS``), ``hinges`` (for ``"regime"`` and
    ``"blocked"``: the keys that alone can change it within their range, largest total index
    first) and ``provenance``.
    ``ValueError`` if the scenario has no ranges.
    """
    from ..analysis import provenance

    dists = scenario.uncertainty()
    if not dists:
        raise ValueError("the scenario has no [uncertainty] ranges")
    if draws < 2:
        raise ValueError(f"draws must be at least 2, got {draws}")
    keys = list(dists)
    d = len(keys)
    order = list(dists.values())
    nominal_code, nominal_blocked = (x[0] for x in evaluate(scenario, {}))
    replicates = REPLICATES if draws >= 8 * REPLICATES else 1
    code, blocked = sample_verdicts(scenario, order, draws, seed, replicates)  # replicates·m
    share = shares(code, blocked)

    base = int(min(MAX_BASE, 1 << int(np.ceil(np.log2(max(draws, 64))))))
    salt = saltelli_unit(d, base, seed)
    s_code, s_blocked = evaluate_unit(scenario, order, salt)
    sens = analyse(keys, _indicators(s_code, s_blocked, nominal_code), seed)

    edges = break_even(scenario, dists)
    hinges = {}
    for what in ("regime", "blocked"):
        total = dict(zip(keys, sens[what]["ST"]))
        hinges[what] = sorted((e["key"] for e in edges if any(
            e[what][s] and e[what][s]["in_range"] for s in ("below", "above"))),
            key=lambda k: -total[k])
    return {
        "scenario": {"name": scenario.name, "title": scenario.title},
        "players": list(scenario.players),
        "nominal": {"regime": REGIMES[int(nominal_code)], "blocked": bool(nominal_blocked),
                    "cooperative": REGIMES[int(nominal_code)] in COOPERATIVE},
        "keys": [{"key": k, "label": scenario.describe_key(k), "value": scenario.value(k),
                  "distribution": dists[k].to_dict()} for k in keys],
        "draws": int(code.size), "seed": seed, "shares": share, "break_even": edges,
        "sensitivity": {"base": base, "evaluations": int(len(salt)), "conf_level": 0.95,
                        "outputs": {name: {"text": OUTPUTS[name], **sens[name]}
                                    for name in OUTPUTS}},
        "hinges": hinges,
        "provenance": provenance(scenario, robust={
            "draws": int(code.size), "seed": seed, "replicates": replicates,
            "sampler": "scipy.stats.qmc.Sobol (scrambled)",
            "sensitivity": "SALib.sample.sobol + SALib.analyze.sobol"}),
    }


def _pct(entry) -> str:
    se = entry["se_qmc"] if entry["se_qmc"] is not None else entry["se_binomial"]
    return f"{100 * entry['share']:.1f} % ± {100 * se:.1f}"


def _side(entry, value) -> str:
    if entry is None:
        return "holds"
    to = entry["to"] if isinstance(entry["to"], str) else (
        "blocked" if entry["to"] else "not blocked")
    where = "inside" if entry["in_range"] else "outside"
    return f"{entry['value']:.4g} → {to} ({where} the range)"


def account(result: dict) -> str:
    """A readable account of :func:`robustness`."""
    r = result
    nominal = r["nominal"]
    sh = r["shares"]
    lines = [f"Robustness of the verdict: {r['scenario']['title']}",
             f"Scenario's verdict: {nominal['regime']}"
             + (", blocked by relative gains" if nominal["blocked"] else ""),
             f"{len(r['keys'])} keys with ranges; {r['draws']} scrambled Sobol draws "
             f"(seed {r['seed']}); shares ± randomised-QMC standard error:", ""]
    for name, entry in sorted(sh["regimes"].items(), key=lambda x: -x[1]["share"]):
        lines.append(f"  {name:<18} {_pct(entry)}")
    lines.append(f"  {'cooperative':<18} {_pct(sh['cooperative'])}")
    lines.append(f"  {'blocked':<18} {_pct(sh['blocked'])}  (blocked by relative gains)")
    lines += ["", "Break-even values (one key at a time, the others at their values):"]
    for e in r["break_even"]:
        lo, hi = e["range"]
        lines.append(f"  {e['label']}: {e['value']:.4g} in [{lo:.4g}, {hi:.4g}]")
        for what in ("regime", "blocked"):
            lines.append(f"      {what:<8} below: {_side(e[what]['below'], e['value'])}; "
                         f"above: {_side(e[what]['above'], e['value'])}")
    sens = r["sensitivity"]["outputs"]
    labels = {k["key"]: k["label"] for k in r["keys"]}
    lines += ["", f"Sobol indices (SALib, base {r['sensitivity']['base']}, "
              f"{r['sensitivity']['evaluations']} evaluations; ± 95 % CI), largest total first:"]
    for out in ("regime", "blocked"):
        s = sens[out]
        lines.append(f"  {s['text']}:")
        if s["variance"] == 0:
            lines.append("      no draw changes it: all indices 0")
            continue
        ranked = sorted(range(len(r["keys"])), key=lambda i: -s["ST"][i])[:6]
        for i in ranked:
            key = r["keys"][i]["key"]
            lines.append(f"      {labels[key]:<44} S1 {s['S1'][i]:6.3f} ± {s['S1_conf'][i]:.3f}"
                         f"   ST {s['ST'][i]:6.3f} ± {s['ST_conf'][i]:.3f}")
    lines.append("")
    for what, text in (("regime", "the regime"), ("blocked", "the blocked flag")):
        keys = r["hinges"][what]
        lines.append(f"{text.capitalize()} hinges on: " + "; ".join(labels[k] for k in keys)
                     + " (each alone can change it within its range)." if keys else
                     f"No key alone can change {text} within its range.")
    return "\n".join(lines)
