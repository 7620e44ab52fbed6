"""The report's claims, evaluated from the shipped scenarios with no per-claim tuning.

For each claim of FFI-rapport 2007/01671 (MODEL-NOTES.md, "The report's counterfactuals and
claims"; issue #9) this prints the claim in a few words with its section, the model quantity
that tests it, its value, and whether the claim holds in the model. The scenarios are the
shipped ones: ``nato_csto_2007`` (the two blocs as players), ``common_threat`` (its threat),
``bilateral_pfp`` (one member in PfP), ``nato_csto_members`` (the CSTO as six members by
consensus, the bloc and bilateral formats) and ``nato_csto_allies`` (NATO too as three groups
of allies by consensus). Counterfactuals change only the key the claim is
about, to the value the claim names (weights 0 for "absolute gains", the threat of
``common_threat`` for "a shared existential threat").

    python experiments/report_claims.py            # a Markdown table (as in docs/blocs.md)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim import scenario
from sim.analysis import summarize
from sim.blocs.formats import FORMATS, analyse, bilateral_games
from sim.equilibria import COOPERATIVE, is_cooperative
from sim.scenario.blocs import numbers

HOLDS, FAILS = "holds", "does not hold"


def _verdict(ok) -> str:
    return HOLDS if ok else FAILS


def _members(overrides=()):
    sc = scenario.load("nato_csto_members", list(overrides))
    nums = numbers(sc)
    return sc, nums, analyse(nums)


def claims() -> list[dict]:
    """Every claim as ``{"claim", "quantity", "value", "verdict", "note"}``."""
    out = []
    base = summarize(scenario.load("nato_csto_2007"))
    sc, nums, res = _members()
    actors = list(res.actors)
    mat = {o: base["material"]["outcomes"][o] for o in ("CC", "DD")}
    gain_nato, gain_csto = (mat["CC"][p] - mat["DD"][p] for p in (0, 1))
    bloc_total = float(nums.P.sum(-3)[0, 0] - nums.P.sum(-3)[1, 1])
    out.append({
        "claim": "(i) The CSTO gains relatively more from bloc cooperation than NATO (2.6)",
        "quantity": "material gain of (C,C) over (D,D): CSTO (sum of members) vs NATO",
        "value": f"CSTO {gain_csto:.3g} ({bloc_total:.3g} with members' own stakes) vs NATO "
                 f"{gain_nato:.3g}",
        "verdict": _verdict(gain_csto > gain_nato and bloc_total > gain_nato), "note": ""})

    u_cc, u_dd = base["utility"]["outcomes"]["CC"][0], base["utility"]["outcomes"]["DD"][0]
    out.append({
        "claim": "(ii) Under realist weights NATO declines; the CSTO invites (3.2, 4)",
        "quantity": "NATO's utility u(C,C) − u(D,D) at r = 0.5; regime of the two-bloc game",
        "value": f"{u_cc - u_dd:.3g}; {base['regime']}",
        "verdict": _verdict(u_cc < u_dd and base["regime"] == "one-sided"), "note": ""})

    nato_pref = FORMATS[res.preferred()[actors.index("NATO")]]
    u_nato = res.utility["repeated"][:, 0]
    out.append({
        "claim": "(iii) NATO prefers the bilateral format to bloc-to-bloc (3.1 (1), 3.2)",
        "quantity": "NATO's equilibrium utility per format (status quo, bilateral, bloc); "
                    "format of the choice stage",
        "value": ", ".join(f"{u:.3g}" for u in u_nato) + f"; prefers {nato_pref}, choice "
                 f"{FORMATS[res.choice()]}",
        "verdict": _verdict(nato_pref == "bilateral" and FORMATS[res.choice()] == "bilateral"),
        "note": ""})

    threat = scenario.load("common_threat").model.parameters["threat"]
    high = summarize(scenario.load("common_threat"))
    out.append({
        "claim": "(iv) A shared existential threat makes bloc cooperation an equilibrium (4)",
        "quantity": f"regime of the two-bloc game at threat = {threat:g} (common_threat)",
        "value": high["regime"],
        "verdict": _verdict(high["regime"] in COOPERATIVE), "note": ""})
    _, nums_t, res_t = _members([f"parameters.threat={threat}"])
    quota = replace(nums_t, rule=replace(nums_t.rule, kind="quota", quota=0.8))
    res_q = analyse(quota)
    vetoes = [m for m, u in zip(res_t.members, res_t.utility["deal"][2, 2:]) if u < 0]
    out.append({
        "claim": "(iv') ... with the CSTO as six members deciding by consensus (2.1, 4)",
        "quantity": f"bloc-format outcome (repeated) at threat = {threat:g}, consensus; "
                    "the same under a quota of 0.8",
        "value": f"{'(C,C)' if res_t.bloc['repeated'] else '(D,D)'} (vetoed by "
                 f"{', '.join(vetoes) or 'no one'}); {'(C,C)' if res_q.bloc['repeated'] else '(D,D)'}"
                 " under the quota",
        "verdict": _verdict(bool(res_t.bloc["repeated"])),
        "note": "the balancers' fear of Russian dominance (2.1, 2.3 (1)) grows with the threat, "
                "since the pooled gain is shared 50/10: consensus blocks what a quota allows"})

    liberal = ["preferences.relative_gain_weight.NATO=0", "preferences.relative_gain_weight.CSTO=0"]
    lib = summarize(scenario.load("nato_csto_2007", liberal))
    t = lib["thresholds"]["grim"]["both"]
    _, _, res_l = _members(liberal)
    out.append({
        "claim": "(v) With absolute gains and a patient NATO, cooperation is sustainable (2.4)",
        "quantity": "r = 0: regime at δ = 0.9 and grim-trigger threshold; bloc-format outcome "
                    "with members",
        "value": f"{lib['regime']}, δ ≥ {t:.3f}; members: "
                 f"{'(C,C)' if res_l.bloc['repeated'] else '(D,D)'}",
        "verdict": _verdict(lib["regime"] in COOPERATIVE and t < lib["discount"]
                            and bool(res_l.bloc["repeated"])), "note": ""})

    n = len(nums.members)
    diluted = bilateral_games(nums).regime(nums.discount)
    undiluted = bilateral_games(replace(nums, r_row_nominal=nums.r_row_nominal * n)).regime(
        nums.discount)
    pfp = summarize(scenario.load("bilateral_pfp"))
    pfp2 = summarize(scenario.load("bilateral_pfp", ["preferences.actors.NATO=2"]))
    changed = int((is_cooperative(diluted) != is_cooperative(undiluted)).sum()) + \
        int((pfp["regime"] in COOPERATIVE) != (pfp2["regime"] in COOPERATIVE))
    out.append({
        "claim": "(vi) The number of actors dilutes relative-gain concerns, which makes "
                 "bilateral cooperation possible (2.4)",
        "quantity": f"NATO's weight on one partner, r/n (n = {n}) vs r; bilateral games "
                    "cooperative diluted vs undiluted; bilateral_pfp regime with 7 vs 2 actors",
        "value": f"{float(nums.r_row_nominal) / n:.3g} vs {float(nums.r_row_nominal):.3g}; "
                 f"{int(is_cooperative(diluted).sum())} of {n} vs "
                 f"{int(is_cooperative(undiluted).sum())} of {n}; {pfp['regime']} vs "
                 f"{pfp2['regime']}",
        "verdict": _verdict(changed > 0),
        "note": "the concern is diluted, but it decides no deal: each bilateral deal gives NATO "
                "about as much as its partner (and Russia's lost control is NATO's relative "
                "gain), so an undiluted realist NATO accepts it too" if not changed else ""})

    value = res.utility["deal"][2, 2:] - res.utility["repeated"][1, 2:]
    russia = list(res.members).index("Russia")
    others = np.delete(value, russia)
    out.append({
        "claim": "(vii) Russia's weight in the CSTO makes the bloc format worth more to Russia "
                 "than to the other members (2.3 (1), 4)",
        "quantity": "u(bloc deal) − u(bilateral equilibrium) per member",
        "value": f"Russia {value[russia]:.3g}; others {others.min():.3g} to {others.max():.3g}",
        "verdict": _verdict(value[russia] > others.max()), "note": ""})
    out += _allies_claims(threat)
    return out


def _allies_claims(threat) -> list[dict]:
    """The claims about NATO's allies, from ``nato_csto_allies`` (NATO as the US, the Western
    allies and the new members deciding by consensus)."""
    sc = scenario.load("nato_csto_allies")
    res = analyse(numbers(sc))
    allies = list(res.row_members)
    k = [list(res.actors).index(a) for a in allies]
    pref = {m: [FORMATS[res.preferred(m)[i]] for i in k] for m in ("repeated", "deal")}
    unitary = FORMATS[_members()[2].choice()]
    out = [{
        "claim": "(viii) The allies prefer the bilateral approach to CSTO member states "
                 "(3.1 (1))",
        "quantity": "each ally's preferred format, in equilibrium and with cooperation "
                    "realised (nato_csto_allies); format choice by NATO's consensus vs "
                    "unitary NATO",
        "value": "; ".join(f"{a} {p} / {q}" for a, p, q in zip(allies, *pref.values()))
                 + f"; choice {FORMATS[res.choice()]} vs {unitary}",
        "verdict": _verdict(all(p == "bilateral" for p in pref["repeated"] + pref["deal"])
                            and FORMATS[res.choice()] == "bilateral"), "note": ""}]
    # with (C,C) realised, every utility is affine in the threat (the synergy and the
    # unilateral effort scale with it): each ally's margin of the bloc deal over the status
    # quo is m(0) + t (m(1) − m(0)), so the threat at which it accepts is a root
    at = [analyse(numbers(sc, {"parameters.threat": np.array(t)})).utility["deal"]
          for t in (0.0, 1.0)]
    k = [0] + k                                                 # unitary NATO, then allies
    margin = [u[2, k] - u[0, k] for u in at]
    slope = margin[1] - margin[0]
    accept = np.where(slope > 0, np.maximum(-margin[0] / np.where(slope > 0, slope, 1), 0.0),
                      np.where(margin[0] >= 0, 0.0, np.inf))
    high = analyse(numbers(sc, {"parameters.threat": np.array(threat)}))
    vetoes = [a for a, u in zip(allies, high.utility["deal"][2, k[1:]]
                                - high.utility["deal"][0, k[1:]]) if u < 0]
    new = 1 + allies.index("New_members")
    out.append({
        "claim": "(ix) The newest NATO members, with their different relationship with Moscow, "
                 "stand against institutionalised ties (3.1 (2), 4)",
        "quantity": "threat at which NATO as one actor and each ally prefer the bloc deal to "
                    f"the status quo; allies vetoing it at threat = {threat:g}",
        "value": "; ".join(f"{a} {'never' if np.isinf(x) else f'{x:.3g}'}"
                           for a, x in zip(["NATO (unitary)"] + allies, accept))
                 + f"; vetoed by {', '.join(vetoes) or 'no one'}",
        "verdict": _verdict(accept[new] >= accept.max() and "New_members" in vetoes),
        "note": ""})
    return out


def table(rows) -> str:
    lines = ["| claim (report section) | model quantity | value | verdict |",
             "|---|---|---|---|"]
    for r in rows:
        verdict = r["verdict"] + (f" — {r['note']}" if r["note"] else "")
        lines.append(f"| {r['claim']} | {r['quantity']} | {r['value']} | {verdict} |")
    return "\n".join(lines)


def main() -> int:
    print(table(claims()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
