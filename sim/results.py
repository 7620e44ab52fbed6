"""The one result interface: every result of blocsim is data first.

:class:`Result` is the mixin every result class uses. A result defines :meth:`~Result.to_dict`
(plain, JSON-ready data) and, where it has a natural table, ``_table()`` (headers and rows);
the mixin derives the rest from those two:

* :meth:`~Result.to_json` writes the dict as strict JSON, atomically, never over an existing
  file unless ``force`` (:mod:`sim.outputs`);
* :meth:`~Result.to_frame` gives the table as a :class:`pandas.DataFrame`;
* ``_repr_html_`` shows the table in a Jupyter notebook.

Results with a figure also have a ``figure()`` method returning a matplotlib figure.

:class:`Record` is a result whose data *is* a dict (a summary, a regime map): it reads like
the dict (``summary["regime"]``), so code that used the plain dict keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def _scalar(x) -> bool:
    return x is None or isinstance(x, (bool, int, float, str))


def flat_items(data, prefix: str = ""):
    """``(dotted key, value)`` for every scalar or short list of scalars in nested dicts."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flat_items(value, name + ".")
        elif _scalar(value):
            yield name, value
        elif isinstance(value, (list, tuple)) and len(value) <= 8 and all(map(_scalar, value)):
            yield name, ", ".join(map(str, value))


def as_figure(drawn):
    """The matplotlib figure of what a plotting function returned (a figure or an axes)."""
    return drawn if hasattr(drawn, "savefig") else drawn.figure


class Result:
    """Mixin: ``to_json``, ``to_frame`` and ``_repr_html_`` from ``to_dict`` and ``_table``."""

    def to_dict(self) -> dict:
        """The result as plain data: a dataclass's fields, arrays as lists (results with a
        documented JSON form define their own)."""
        import dataclasses

        from .outputs import plain

        return {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def _table(self) -> tuple[list[str], list[list]]:
        """Headers and rows of the result's table; by default one row per scalar field."""
        return ["key", "value"], [list(kv) for kv in flat_items(self.to_dict())]

    def _caption(self) -> str:
        return type(self).__name__

    def to_json(self, path, force: bool = False) -> Path:
        """Write :meth:`to_dict` to ``path`` as strict JSON (nan as ``null``), atomically.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write; its folder is created if missing.
        force : bool, optional
            Overwrite an existing file (default: refuse, with a one-line
            :class:`~sim.errors.UserError`).

        Returns
        -------
        pathlib.Path
            The path written.
        """
        from .outputs import prepare, write_json

        path = Path(path)
        prepare(path.parent, [path.name], force)
        write_json(path, self.to_dict())
        return path

    def to_frame(self):
        """The result's table as a :class:`pandas.DataFrame`."""
        import pandas as pd

        headers, rows = self._table()
        return pd.DataFrame(rows, columns=headers)

    def _repr_html_(self) -> str:
        from ._html import table

        headers, rows = self._table()
        return table(headers, rows, self._caption())


class Record(Result, dict):
    """A result whose data is one dict: it *is* that dict (``json.dumps`` writes it, code
    that used the plain dict keeps working), with the result interface on top.

    Examples
    --------
    >>> r = Record({"regime": "reciprocity", "discount": 0.9})
    >>> r["regime"], r.to_dict() == {"regime": "reciprocity", "discount": 0.9}
    ('reciprocity', True)
    >>> r.to_frame()
            key        value
    0    regime  reciprocity
    1  discount          0.9
    """

    def to_dict(self) -> dict:
        """The result as a plain dict (the JSON files' content)."""
        return dict(self)
