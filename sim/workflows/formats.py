"""Formats of cooperation on a scenario with ``[blocs]`` (``Scenario.formats``, ``blocsim
formats``): each actor's utility in the bloc format, the bilateral format and the status quo,
the format each prefers, the choice stage, voting power, flip points
(:func:`sim.blocs.summary.format_summary`, sources in :mod:`sim.blocs.formats`) and the
preferred-format map over two keys (:func:`sim.blocs.maps.format_map`), with two figures."""

from __future__ import annotations

from ..results import Record, as_figure


class FormatsRun(Record):
    """The format analysis of a scenario: the JSON of ``blocsim formats``
    (:func:`sim.blocs.summary.format_summary` with the map's keys and provenance), its table
    every actor's utility per format, its figures from :meth:`figures`."""

    def __init__(self, data, scenario, grid):
        super().__init__(data)
        self.scenario, self.grid = scenario, grid

    def _table(self):
        from ..blocs.formats import FORMATS

        u = self["utility"]["repeated"]
        return (["actor"] + list(FORMATS) + ["prefers"],
                [[a] + [u[f][a] for f in FORMATS] + [self["preferred"]["repeated"][a]]
                 for a in u[FORMATS[0]]])

    def _caption(self) -> str:
        return f"{self.scenario.title}: utilities in each format (repeated game)"

    def figures(self) -> dict:
        """``{"formats": every actor's utility in each format, "format_map": the row
        player's preferred format over the map's two keys}``."""
        from ..plots.formats import plot_format_map, plot_formats

        return {"formats": plot_formats(self), "format_map": plot_format_map(self.grid)}

    def figure(self):
        """The formats compared for every actor."""
        return as_figure(self.figures()["formats"])

    def account(self) -> str:
        """A readable account: members and power, each format's outcome, utilities,
        preferences, the choice stage and the flip points."""
        from ..blocs.summary import account

        return account(self)


def map_axes(scenario, x=None, y=None) -> dict:
    """The map's keys ``{"x", "y"}`` (defaults: :func:`sim.blocs.maps.default_axes`),
    checked: a scenario with ``[blocs]``, two different keys a map may put on an axis."""
    from ..blocs.maps import check_axis, default_axes
    from ..errors import UserError

    if scenario.model.blocs is None:
        raise UserError(f"{scenario.where}: blocs: missing; allowed: a scenario with a "
                        "[blocs] section, e.g. nato_csto_members")
    dx, dy = default_axes(scenario)
    axes = {"x": x or dx, "y": y or dy}
    if axes["x"] == axes["y"]:
        raise UserError(f"{scenario.where}: --y {axes['y']}: same key as --x; allowed: two "
                        "different keys")
    for axis in ("x", "y"):
        check_axis(scenario, axes[axis], f"--{axis} {axes[axis]}")
    return axes


def formats(scenario, x=None, y=None) -> FormatsRun:
    """The format analysis of ``scenario`` (see :meth:`sim.scenario.Scenario.formats`)."""
    from ..blocs.maps import format_map
    from ..blocs.summary import format_summary

    axes = map_axes(scenario, x, y)
    data = format_summary(scenario)
    grid = format_map(scenario, axes["x"], axes["y"])
    data["map"] = axes
    data["provenance"]["formats"] = axes
    return FormatsRun(data, scenario, grid)
