"""A round-robin tournament on a scenario's game (``Scenario.tournament``, ``blocsim
tournament``)."""

from __future__ import annotations

from ..defaults import MAX_NOISE
from ..errors import UserError, user_error
from ..results import Record
from . import settings as _settings


def settings(scenario, given: dict) -> dict:
    """The checked settings (given > the scenario's section > library default)."""
    s = _settings.tournament(scenario, given)
    check(scenario.where, s)
    return s


def check(where: str, s: dict) -> None:
    """Raise :class:`UserError` (one line) on a setting out of range."""
    if s["turns"] is not None and s["turns"] < 1:
        raise UserError(f"{where}: --turns {s['turns']}: allowed: a whole number >= 1")
    if s["continuation"] is not None and not 0 <= s["continuation"] < 1:
        raise UserError(f"{where}: --continuation {s['continuation']}: allowed: a number in "
                        "[0, 1)")
    if not 0 <= s["noise"] <= MAX_NOISE:
        raise UserError(f"{where}: --noise {s['noise']}: allowed: a number in [0, {MAX_NOISE:g}]")
    if s["repetitions"] < 1:
        raise UserError(f"{where}: --repetitions {s['repetitions']}: allowed: a whole number "
                        ">= 1")


class TournamentRun(Record):
    """A tournament on a scenario: the JSON of ``blocsim tournament`` (the
    :class:`~sim.tournament.TournamentResult`'s dict, the payoff space and provenance), with
    the result itself as :attr:`result` and its figures from :meth:`figures`."""

    def __init__(self, data, result, scenario, settings):
        super().__init__(data)
        self.result, self.scenario, self.settings = result, scenario, settings

    def _table(self):
        return self.result._table()

    def _caption(self) -> str:
        return f"{self.scenario.title}: tournament ({self.settings['payoffs']} payoffs)"

    def figures(self) -> dict:
        """``{"payoff_heatmap": figure, "ranking": figure}``, titled with the scenario."""
        figures = self.result.figures()
        for fig in figures.values():                  # say which game was played
            ax = fig.axes[0]
            ax.set_title(f"{self.scenario.title} ({self.settings['payoffs']} payoffs)\n"
                         f"{ax.get_title()}")
        return figures

    def figure(self):
        """The ranking chart."""
        return self.figures()["ranking"]

    def account(self) -> str:
        """A readable ranking table."""
        return account(self.result, self.scenario, self.settings)


def tournament(scenario, *, progress: bool = False, **given) -> TournamentRun:
    """Play the tournament of ``scenario`` with settings ``given`` (see
    :func:`sim.scenario.Scenario.tournament`)."""
    from ..analysis import provenance
    from ..tournament import tournament as play

    s = settings(scenario, given)
    game = scenario.utility_game() if s["payoffs"] == "utility" else scenario.material_game()
    try:
        result = play(s["players"], game.A, game.B, turns=s["turns"],
                      continuation=s["continuation"], noise=s["noise"],
                      repetitions=s["repetitions"], seed=s["seed"], method=s["method"],
                      self_play=s["self_play"], progress=progress)
    except ValueError as exc:
        raise user_error(f"{scenario.where}: tournament", exc) from None
    data = {**result.to_dict(), "payoffs": s["payoffs"],
            "provenance": provenance(scenario, seed=s["seed"], tournament=s)}
    return TournamentRun(data, result, scenario, s)



def account(result, scenario, s) -> str:
    """The readable ranking of a tournament on a scenario."""
    d = result.to_dict()
    lines = [f"Tournament on {scenario.title} ({s['payoffs']} payoffs; {d['method']}; "
             + (f"{s['turns']} turns" if s["continuation"] is None else
                f"continuation w = {s['continuation']}") + f"; noise {s['noise']})", "",
             f"{'rank':>4}  {'strategy':<24} {'mean payoff':>12} {'95% CI':>20} "
             f"{'cooperation':>11} {'wins':>6}"]
    for rank, i in enumerate(result.ranking, 1):
        lo, hi = d["ci95"][i]
        ci = "exact" if d["method"] == "exact" else f"[{lo:.3f}, {hi:.3f}]"
        lines.append(f"{rank:>4}  {d['players'][i]:<24} {d['mean_payoffs'][i]:>12.4f} "
                     f"{ci:>20} {d['cooperation_rates'][i]:>11.3f} {d['wins'][i]:>6.2f}")
    return "\n".join(lines)
