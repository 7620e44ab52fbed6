"""A sweep's results as one object, whether computed now (in memory or into a folder) or
opened from a finished sweep folder: :class:`SweepResult`.

Its data is the metadata (``sweep.json``) and one column per axis and per measure, in grid C
order (the last axis varies fastest). :meth:`SweepResult.to_frame` gives the tidy table,
:meth:`SweepResult.to_xarray` the labelled N-d grid (one dimension per axis).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..results import Result


class SweepResult(Result):
    """A finished sweep: :attr:`metadata` (the ``sweep.json`` dict), :attr:`columns`
    (``{column: 1-D array}``, regimes and categories as integer codes) and :attr:`path` (the
    result folder, ``None`` for a sweep run in memory).

    ``SweepResult.open(folder)`` opens a finished sweep folder as the same object.
    """

    def __init__(self, metadata: dict, columns: dict | None = None, path=None):
        self.metadata = metadata
        self.path = None if path is None else Path(path)
        self._columns = columns

    @classmethod
    def open(cls, path) -> "SweepResult":
        """The finished sweep in folder ``path`` (:class:`~sim.errors.SweepError` if none, or
        if its files are damaged); columns are read when first needed."""
        from .store import load

        meta, _ = load(path, columns=[])             # verified; no column read yet
        return cls(meta, None, path)

    @property
    def columns(self) -> dict:
        if self._columns is None:
            self.metadata, self._columns = self._read()
        return self._columns

    def _read(self):
        from .store import load

        return load(self.path)

    def _subset(self, names) -> dict:
        """Only the columns ``names``: from memory, else read from the folder alone."""
        if self._columns is not None or self.path is None:
            return {n: self.columns[n] for n in names}
        from .store import read_columns

        return read_columns(self.path, self.metadata, names)

    def load(self) -> tuple[dict, dict]:
        """``(metadata, {column: numpy array})`` (see :func:`sim.sweep.store.load`)."""
        return self.metadata, self.columns

    # -- the result interface -----------------------------------------------------------
    @property
    def axes(self) -> list[dict]:
        return self.metadata["sweep"]["axes"]

    @property
    def measures(self) -> list[dict]:
        return self.metadata["sweep"]["measures"]

    def _labels(self, measure: dict):
        """The category labels of a categorical measure (regimes included), else ``None``."""
        if measure["dtype"] == "regime":
            return list(self.metadata["sweep"]["regimes"])
        return measure.get("categories")

    def to_dict(self) -> dict:
        """The metadata (``sweep.json``): specification, axes, measures, timing, provenance."""
        return self.metadata

    def to_frame(self):
        """The tidy table: one row per point, one column per axis and per measure; regimes and
        other categorical measures as :class:`pandas.Categorical` columns.

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        data = {a["name"]: self.columns[a["name"]] for a in self.axes}
        for m in self.measures:
            labels, values = self._labels(m), self.columns[m["name"]]
            data[m["name"]] = (values if labels is None else
                               pd.Categorical.from_codes(values.astype(int), labels))
        return pd.DataFrame(data)

    def to_xarray(self):
        """The sweep as an :class:`xarray.Dataset`: one dimension per axis (named as the
        axis, coordinates its values), one variable per measure; a categorical measure (the
        regime, the tournament winner) holds its labels, with ``attrs["categories"]``.
        Provenance (scenario, seed, versions, time) is in the Dataset's ``attrs``, a
        measure's text, unit and options in its own.

        Returns
        -------
        xarray.Dataset

        Examples
        --------
        >>> import sim
        >>> ds = sim.load("prisoners_dilemma").sweep(["repeated.discount=0.1,0.9"]).to_xarray()
        >>> ds["regime"].values.tolist()
        ['short-horizon', 'reciprocity']
        """
        import xarray as xr

        sweep = self.metadata["sweep"]
        shape = tuple(sweep["shape"])
        dims = [a["name"] for a in self.axes]
        coords = {a["name"]: (a["name"], np.asarray(a["values"], float),
                              {"keys": a["keys"], "label": a["label"], "spec": a["spec"],
                               "kind": a["kind"]}) for a in self.axes}
        variables, columns = {}, self._subset([m["name"] for m in self.measures])
        for m in self.measures:
            values, labels = np.asarray(columns[m["name"]]).reshape(shape), self._labels(m)
            attrs = {"text": m["text"], "unit": m["unit"], "kind": m["kind"],
                     "options": json.dumps(m["options"])}
            if labels is not None:
                values = np.asarray(labels, dtype=str)[values]
                attrs["categories"] = list(labels)
            variables[m["name"]] = (dims, values, attrs)
        prov = self.metadata.get("provenance", {})
        attrs = {"scenario": prov.get("scenario", ""), "blocsim": prov.get("blocsim", ""),
                 "spec_hash": sweep["spec_hash"],
                 "seed": -1 if sweep["seed"] is None else sweep["seed"],
                 "provenance": json.dumps(prov, ensure_ascii=False)}
        return xr.Dataset(variables, coords=coords, attrs=attrs)

    def _table(self):
        rows = [[a["name"], "axis", f"{len(a['values'])} values ({a['spec']})"]
                for a in self.axes]
        rows += [[m["name"], m["kind"], m["text"]] for m in self.measures]
        return ["column", "kind", "what"], rows

    def _caption(self) -> str:
        sweep = self.metadata["sweep"]
        shape = " x ".join(str(n) for n in sweep["shape"])
        return f"Sweep of {self.metadata['provenance']['scenario']}: {shape} points"

    def figure_names(self, only=()) -> list[str]:
        """The measures that have a figure (those in ``only``, if given)."""
        from ..plots.sweep import figure_names

        return figure_names(self.metadata, only)

    def figure(self, measure: str | None = None):
        """The figure of one measure (default: the first with a figure)."""
        from ..plots.sweep import draw_measure

        name = measure or self.figure_names()[0]
        measured = {m["name"] for m in self.measures}
        needed = [name] + [n for n in ("blocked_by_relative_gains",) if n in measured and
                           n != name]
        return draw_measure(self.metadata, self._subset(needed), name)

    def __repr__(self) -> str:
        where = f", path={str(self.path)!r}" if self.path is not None else ""
        return f"SweepResult({self._caption()}{where})"
