"""The ``[sweep]`` section of a scenario file.

Example::

    [sweep]
    axes = [
      { key = "preferences.relative_gain_weight.NATO", values = "0:1:101" },
      { key = ["preferences.relative_gain_weight.NATO",
               "preferences.relative_gain_weight.CSTO"], values = [0.0, 0.5, 1.0] },
    ]
    measures = ["regime", "blocked_by_relative_gains", "simulated_cooperation"]
    seed = 7
    executor = "processes"          # inprocess | processes | dask
    workers = 2
    [sweep.options.simulated_cooperation]
    noise = 0.05
    [sweep.options.tournament_winner]
    players = ["TFT", "Grim", "WSLS", "AllD"]

Command-line options replace the section's values (``--axis`` replaces all its axes).
:class:`SweepSection` is the pydantic model a scenario schema can include as
``sweep: SweepSection | None = None``; until then :func:`load` reads the section itself and
validates the rest of the scenario without it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import SweepError
from .axes import make_axis
from .executors import EXECUTORS
from .measures import measure_call

PositiveInt = Annotated[int, Field(ge=1, strict=True)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AxisSection(_Strict):
    key: str | list[str] = Field(description="a dotted scenario key, or keys set together")
    values: str | list[Number] = Field(description="start:stop:num, log:start:stop:num or a "
                                                   "list of numbers")


class SweepSection(_Strict):
    axes: list[AxisSection] = Field(default=[], max_length=3)
    measures: list[str] = []
    options: dict[str, dict[str, Number | str | list[str]]] = {}
    seed: Annotated[int, Field(ge=0, strict=True)] = 0
    executor: Literal[EXECUTORS] | None = None
    workers: PositiveInt | None = None
    chunk_size: PositiveInt | None = None

    def make_axes(self, where: str):
        return [make_axis([a.key] if isinstance(a.key, str) else a.key, a.values,
                          f"{where}: sweep.axes[{i}]") for i, a in enumerate(self.axes)]

    def make_measures(self, where: str):
        for name in self.options:
            if name not in self.measures:
                raise SweepError(f"{where}: sweep.options.{name}: not among sweep.measures")
        return [measure_call(n, self.options.get(n), f"{where}: sweep.measures {n}")
                for n in self.measures]


def _error(err: ValidationError, where: str) -> SweepError:
    e = err.errors()[0]
    key = "sweep" + "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in e["loc"]
                            if not str(x).startswith(("function-", "literal")))
    value = e.get("input")
    shown = "" if isinstance(value, dict) else f" = {value!r}"
    return SweepError(f"{where}: {key}{shown}: {e['msg']}")


def validate_section(table, where: str) -> SweepSection:
    """The ``[sweep]`` table of scenario file ``where``, validated."""
    try:
        return SweepSection.model_validate(table)
    except ValidationError as err:
        raise _error(err, where) from None


def load(name_or_path: str | None, overrides=()):
    """``(scenario, SweepSection or None)``: the scenario validated without its ``[sweep]``
    section, and the section validated on its own."""
    from .. import scenario as scenario_mod

    where, raw = scenario_mod.read(name_or_path)
    section = raw.pop("sweep", None)
    sc = scenario_mod.from_dict(raw, where, scenario_mod.parse_overrides(overrides))
    return sc, None if section is None else validate_section(section, where)
