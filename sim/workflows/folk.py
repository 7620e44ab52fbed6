"""The folk theorem computed for a scenario (``Scenario.folk``, ``blocsim folk``):
subgame-perfect payoff sets at several discount factors, the critical δ for (C,C), and
optionally certified inner and outer bounds."""

from __future__ import annotations

from ..errors import UserError, user_error
from ..results import Record, as_figure
from . import settings as _settings


def settings(scenario, given: dict) -> dict:
    """The checked settings (given > the scenario's section > library default)."""
    s = _settings.folk(scenario, given)
    check(scenario.where, s)
    return s


def check(where: str, s: dict) -> None:
    """Raise :class:`UserError` (one line) on a setting out of range."""
    from ..budget import LIMITS

    for name, key in (("discount", "discounts"), ("weights", "weights")):
        if len(s[name]) > LIMITS[key]:
            raise UserError(f"{where}: --{name}: {len(s[name])} values; allowed: 1 to "
                            f"{LIMITS[key]} values")
    bad = [d for d in s["discount"] if not 0 <= d < 1]
    if bad:
        raise UserError(f"{where}: --discount {bad[0]}: allowed: numbers in [0, 1)")
    bad = [r for r in s["weights"] if not 0 <= r <= 1]
    if bad:
        raise UserError(f"{where}: --weights {bad[0]}: allowed: numbers in [0, 1]")
    if s["bounds"] is not None and not 3 <= s["bounds"] <= 4096:
        raise UserError(f"{where}: --bounds {s['bounds']}: allowed: a whole number of "
                        "directions from 3 to 4096")


class FolkRun(Record):
    """The folk theorem on a scenario: the JSON of ``blocsim folk``
    (:func:`sim.spe.folk_summary` with players, payoff space and provenance), and its two
    figures from :meth:`figures`."""

    def __init__(self, data, scenario, settings):
        super().__init__(data)
        self.scenario, self.settings = scenario, settings

    def _table(self):
        rows = [[d, inside, *(best or (None, None)), *(worst or (None, None))]
                for d, inside, best, worst in zip(self["discounts"], self["cooperation_in_set"],
                                                  self["best"], self["worst"])]
        row, col = self["players"]
        return (["discount", "(C,C) in SPE set", f"best {row}", f"best {col}", f"worst {row}",
                 f"worst {col}"], rows)

    def _caption(self) -> str:
        return f"{self.scenario.title}: subgame-perfect payoffs ({self['payoffs']} game)"

    def game(self):
        sc = self.scenario
        return sc.utility_game() if self["payoffs"] == "utility" else sc.material_game()

    def figures(self) -> dict:
        """``{"folk": SPE sets at each δ, "folk_weights": one panel per relative-gain
        weight}``."""
        from ..plots.folk import plot_folk, plot_folk_panels

        sc, s, game, material = self.scenario, self.settings, self.game(), \
            self.scenario.material_game()
        return {"folk": plot_folk(game.A, game.B, s["discount"], players=sc.players,
                                  title=f"{sc.title}: subgame-perfect payoffs "
                                        f"({s['payoffs']} game)"),
                "folk_weights": plot_folk_panels([(r, material.A, material.B)
                                                  for r in s["weights"]], s["discount"],
                                                 players=sc.players,
                                                 title=f"{sc.title}: how relative gains "
                                                       "shrink what patience can sustain")}

    def figure(self):
        """The SPE payoff sets at each discount factor."""
        return as_figure(self.figures()["folk"])

    def account(self) -> str:
        """A readable account: minmax, (C,C) in or out of each SPE set, critical δ."""
        return account(self, self.scenario, self.settings)


def folk(scenario, **given) -> FolkRun:
    """The folk-theorem picture of ``scenario`` with settings ``given`` (see
    :func:`sim.scenario.Scenario.folk`)."""
    from ..analysis import provenance
    from ..spe import folk_summary

    s = settings(scenario, given)
    game = scenario.utility_game() if s["payoffs"] == "utility" else scenario.material_game()
    try:
        summary = dict(folk_summary(game.A, game.B, s["discount"]))
    except ValueError as exc:
        raise user_error(f"{scenario.where}: folk", exc) from None
    if s["bounds"] is not None:
        from ..spe_bounds import spe_bounds

        summary["bounds"] = [spe_bounds(game.A, game.B, d, directions=s["bounds"]).to_dict()
                             if d > 0 else None for d in s["discount"]]
    data = {"players": list(scenario.players), "payoffs": s["payoffs"], **summary,
            "provenance": provenance(scenario, folk=s)}
    return FolkRun(data, scenario, s)


def account(summary, scenario, s) -> str:
    """The readable account of a folk-theorem run."""
    names = scenario.players
    lines = [f"Folk theorem for {scenario.title} ({s['payoffs']} payoffs)", "",
             f"Pure minmax (what each can guarantee itself): {names[0]} "
             f"{summary['minmax'][0]:.4g}, {names[1]} {summary['minmax'][1]:.4g}",
             f"(C,C) pays {summary['profile_payoff'][0]:.4g}, {summary['profile_payoff'][1]:.4g}"]
    for d, inside, best, worst in zip(summary["discounts"], summary["cooperation_in_set"],
                                      summary["best"], summary["worst"]):
        if best is None:
            lines.append(f"  δ = {d:.3g}: no pure-strategy subgame-perfect equilibrium")
            continue
        lines.append(f"  δ = {d:.3g}: (C,C) {'is' if inside else 'is not'} an SPE payoff; "
                     f"SPE payoffs {names[0]} [{worst[0]:.3g}, {best[0]:.3g}], "
                     f"{names[1]} [{worst[1]:.3g}, {best[1]:.3g}]")
    for b in summary.get("bounds") or ():
        if b is not None:
            gap = "unbounded" if b["hausdorff"] is None else f"{b['hausdorff']:.2e}"
            lines.append(f"  δ = {b['discount']:.3g}: certified bounds (Judd, Yeltekin & Conklin "
                         f"2003, {b['directions']} directions): inner and outer sets within "
                         f"Hausdorff distance {gap}")
    crit = summary["critical_discount"]
    lines.append("")
    lines.append("Critical discount factor for (C,C) played forever: " + (
        "never (no δ < 1 makes (C,C) subgame perfect)" if crit is None else
        "0 — (C,C) is a stage equilibrium" if crit == 0 else f"δ ≥ {crit:.4f}"))
    return "\n".join(lines)
