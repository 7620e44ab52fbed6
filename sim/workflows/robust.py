"""The robustness of a scenario's verdict (``Scenario.robust``, ``blocsim robust``): shares of
regimes over scrambled Sobol draws of its ``[uncertainty]`` ranges, break-even values and Sobol
indices (:func:`sim.robust.robustness`, sources there), with its two figures."""

from __future__ import annotations

from numbers import Integral

from ..errors import UserError
from ..results import Record, as_figure

#: Seed of the scrambling when none is given.
SEED = 0
#: Most draws one call may ask for (memory: about 100 bytes per draw and key in a chunk).
MAX_DRAWS = 10**8


def settings(scenario, draws=None, seed=None) -> dict:
    """The checked settings ``{"draws", "seed"}`` (given, else :data:`sim.robust.summary.DRAWS`
    and :data:`SEED`); a scenario without ranges or a setting out of range is a one-line
    :class:`~sim.errors.UserError`."""
    from ..robust.summary import DRAWS

    where = scenario.where
    if not scenario.uncertainty():
        raise UserError(f"{where}: uncertainty: no ranges given; allowed: an [uncertainty] "
                        "table of dotted key = range, e.g. \"factors.0.CC.0\" = [0.5, 1.5] "
                        "(see docs/howto-scenarios.md)")
    s = {"draws": DRAWS if draws is None else draws, "seed": SEED if seed is None else seed}
    if not (_whole(s["draws"]) and 2 <= s["draws"] <= MAX_DRAWS):
        raise UserError(f"{where}: --draws {s['draws']}: allowed: a whole number from 2 to "
                        f"{MAX_DRAWS}")
    if not (_whole(s["seed"]) and 0 <= s["seed"] < 2**63):
        raise UserError(f"{where}: --seed {s['seed']}: allowed: a whole number in [0, 2^63)")
    return {k: int(v) for k, v in s.items()}


def _whole(x) -> bool:
    return isinstance(x, Integral) and not isinstance(x, bool)


class RobustRun(Record):
    """The robustness of a scenario's verdict: the JSON of ``blocsim robust``
    (:func:`sim.robust.robustness`, with provenance) as a mapping, its table the share of
    draws per verdict, its words from :meth:`account` and its figures from :meth:`figures`.

    Attributes
    ----------
    scenario : sim.scenario.Scenario
        The scenario whose ranges were drawn.
    settings : dict
        ``draws`` and ``seed``.
    """

    def __init__(self, data, scenario, settings):
        super().__init__(data)
        self.scenario, self.settings = scenario, settings

    @property
    def nominal(self) -> dict:
        """The scenario's own verdict: ``regime``, ``blocked``, ``cooperative``."""
        return self["nominal"]

    @property
    def hinges(self) -> dict:
        """For ``"regime"`` and ``"blocked"``: the keys that alone can change that verdict
        within their range, largest total Sobol index first."""
        return self["hinges"]

    def share(self, verdict: str) -> float:
        """The share of draws with ``verdict``: a regime's name, ``"cooperative"`` or
        ``"blocked"`` (0 for a regime no draw has)."""
        sh = self["shares"]
        if verdict in ("cooperative", "blocked"):
            return sh[verdict]["share"]
        from ..equilibria import REGIMES

        if verdict not in REGIMES:
            raise ValueError(f"unknown verdict {verdict!r}; allowed: "
                             f"{', '.join([*REGIMES, 'cooperative', 'blocked'])}")
        return sh["regimes"].get(verdict, {"share": 0.0})["share"]

    def _table(self):
        sh = self["shares"]
        entries = [*sorted(sh["regimes"].items(), key=lambda x: -x[1]["share"]),
                   ("cooperative", sh["cooperative"]), ("blocked", sh["blocked"])]
        return (["verdict", "share", "standard error (randomised QMC)",
                 "standard error (binomial)"],
                [[name, e["share"], e["se_qmc"], e["se_binomial"]] for name, e in entries])

    def _caption(self) -> str:
        return f"{self.scenario.title}: verdicts of {self['draws']} draws from the ranges"

    def figures(self) -> dict:
        """``{"tornado": break-even values against each key's range, "sensitivity": Sobol
        first-order and total indices}``."""
        from ..plots.robust import sensitivity_bars, tornado

        return {"tornado": tornado(self), "sensitivity": sensitivity_bars(self)}

    def figure(self):
        """The tornado chart."""
        return as_figure(self.figures()["tornado"])

    def account(self) -> str:
        """A readable account: shares, break-even values, Sobol indices, what it hinges on."""
        from ..robust.summary import account

        return account(self)


def robust(scenario, draws=None, seed=None) -> RobustRun:
    """The robustness of ``scenario``'s verdict (see :meth:`sim.scenario.Scenario.robust`)."""
    from ..robust.summary import robustness

    s = settings(scenario, draws, seed)
    try:
        data = robustness(scenario, s["draws"], s["seed"])
    except ValueError as exc:
        raise UserError(f"{scenario.where}: robust: {str(exc).splitlines()[0]}") from None
    return RobustRun(data, scenario, s)
