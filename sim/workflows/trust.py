"""Trust and mistrust on a scenario (``Scenario.trust``, ``blocsim trust``): Bayesian
equilibria, the trust threshold, costly reassurance, spirals and the model's account of the
record (:func:`sim.trust.summary.summarize`, sources there), with its three figures."""

from __future__ import annotations

from ..results import Record, as_figure


class TrustRun(Record):
    """Trust on a scenario: the JSON of ``blocsim trust`` (:func:`sim.trust.summary.summarize`
    with provenance), its table the record's events, and its figures from :meth:`figures`."""

    def __init__(self, data, scenario, model):
        super().__init__(data)
        self.scenario, self.model = scenario, model

    def _table(self):
        rows = [[e["date"], e["label"], e["posterior"], e["silence_best_reply"],
                 e["silence_best_reply_repeated"], e["prior_needed"]]
                for e in self["record"]["events"]]
        return (["date", "event", f"{self['truster']}'s posterior", "silence best (one-shot)",
                 "silence best (at δ)", "prior needed to answer"], rows)

    def _caption(self) -> str:
        return f"{self.scenario.title}: trust and the record"

    def figures(self) -> dict:
        """``{"belief_timeline": the record's posteriors, "trust_cost": the PBE outcome over
        (prior, gesture cost), "trust_delta": the repeated threshold and spirals over
        (prior, δ)}``, each marking the scenario's own point."""
        import numpy as np

        from ..plots.trust import plot_belief_timeline, plot_cost_map, plot_delta_map
        from ..trust import summary as ts

        sc, model = self.scenario, self.model
        p = self["threshold"]["prior"]
        cost = self["reassurance"]["cost"]
        hi = self["reassurance"]["range"][1]
        priors = np.linspace(0.005, 0.995, ts.MAP_PRIORS)
        costs = np.linspace(0, 1.5 * max(hi or 0, cost, 1e-3), ts.MAP_COSTS)
        cmap = ts.cost_map(model, priors, costs)
        deltas = np.linspace(0, 0.99, ts.MAP_DELTAS)
        dmap = ts.delta_map(model, np.linspace(0.005, 0.995, ts.MAP_SPIRAL_PRIORS), deltas,
                            self["spiral"]["noise"], self["spiral"]["horizon"])
        return {
            "belief_timeline": plot_belief_timeline(self["record"], f"Belief timeline — "
                                                    f"{sc.title}"),
            "trust_cost": plot_cost_map(cmap, f"When does a costly gesture reassure?\n"
                                        f"{sc.title}", point=(p, cost)),
            "trust_delta": plot_delta_map(dmap, f"Trust, the shadow of the future and "
                                          f"spirals\n{sc.title}", point=(p, sc.discount)),
        }

    def figure(self):
        """The belief timeline."""
        return as_figure(self.figures()["belief_timeline"])

    def account(self) -> str:
        """A readable account: equilibria, threshold, reassurance, spiral, the record."""
        return account(self, self.scenario.title)


def trust(scenario) -> TrustRun:
    """Trust and mistrust on ``scenario`` (see :meth:`sim.scenario.Scenario.trust`)."""
    from ..analysis import provenance
    from ..trust.model import TrustModel
    from ..trust.summary import summarize

    model = TrustModel(scenario)
    data = summarize(model)
    data["provenance"] = provenance(scenario)
    return TrustRun(data, scenario, model)


def _pct(x) -> str:
    return "n/a" if x is None else f"{x:.3g}"


def account(summary: dict, title: str) -> str:
    """The readable account of :func:`sim.trust.summary.summarize`."""
    t, r, sp, rec = (summary[k] for k in ("threshold", "reassurance", "spiral", "record"))
    truster, trustee = summary["truster"], summary["trustee"]
    coop = summary["cooperative"][trustee]
    lines = [f"Trust and mistrust: {title}", "",
             "Bayesian Nash equilibria (Harsanyi 1967-68), each type's action:"]
    lines += [f"  {e['text']}" for e in summary["bayes_nash"]]
    lines += ["", f"Trust threshold (Kydd 2005): {truster} answers iff its belief that the "
              f"{trustee} is a {coop} is at least {_pct(t['stage'])} in the one-shot game, "
              f"{_pct(t['repeated'])} at δ = {t['discount']:g}; its prior is {t['prior']:.3g}."]
    lo, hi = r["range"]
    lines.append("Costly reassurance (Cho & Kreps 1987): " + (
        f"a gesture reassures when it costs the {coop} between {lo:.3g} and {hi:.3g}"
        if lo is not None else "no gesture cost separates the types")
        + f"; at the scenario's cost {r['cost']:.3g}:")
    for e in r["equilibria"]:
        beliefs = ", ".join(b if isinstance(b, str) else f"μ = {_belief(b)}"
                            for b in e["beliefs"])
        lines.append(f"  {e['kind']:<16} gesture probabilities {_fmt(e['strategy'])}; "
                     f"beliefs after (gesture, none): {beliefs}; "
                     f"{'survives' if e['intuitive'] else 'fails'} the intuitive criterion")
    sim_ = sp["simulated"]
    lines.append(f"Spiral ({sp['reading']} reading; Jervis 1976): with noise ε = "
                 f"{sp['noise']:g}, two cooperative types are in mutual defection by round "
                 f"{sp['horizon']} with probability {sp['probability']:.3g} (exact; "
                 f"{sim_['probability']:.3g} in {sim_['paths']} simulated paths, seed "
                 f"{sim_['seed']}); {truster}'s belief after {sp['horizon']} rounds: median "
                 f"{sim_['belief_quantiles']['50%'][-1]:.3g}, 10-90% "
                 f"[{sim_['belief_quantiles']['10%'][-1]:.3g}, "
                 f"{sim_['belief_quantiles']['90%'][-1]:.3g}].")
    lines += ["", f"The record ({rec['events_file']}): {truster}'s posterior that the "
              f"{trustee} is a {coop}; was silence a best reply?"]
    for i, e in enumerate(rec["events"], 1):
        need = e["prior_needed"]
        lines.append(f"  {i:>2} {e['date']:<8} {e['label'][:38]:<38} {e['posterior']:.3f}  "
                     f"one-shot: {'silence' if e['silence_best_reply'] else 'answer '}, "
                     f"at δ: {'silence' if e['silence_best_reply_repeated'] else 'answer '} "
                     f"(answering needed a first prior >= {_pct(need)})")
    return "\n".join(lines)


def _belief(v) -> str:
    """A belief, or an open range of beliefs ``(lo, hi)`` (one value when both agree)."""
    if isinstance(v, list):
        return _fmt(v[0]) if v[0] == v[1] else f"in ({_fmt(v[0])}, {_fmt(v[1])})"
    return _fmt(v)


def _fmt(v) -> str:
    if isinstance(v, list):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return f"{v:.3g}"
