"""The teaching report: one self-contained HTML file (``blocsim report``).

It holds the scenario and its sources, the games, equilibria, thresholds and regime, the
region map, a tournament, an evolution run and the folk-theorem figure (inline SVG), a lesson
in eight steps and a live explorer whose sliders look up a grid the library computed
(:mod:`sim.report.explorer`). Nothing is loaded from the network; the file opens from disk.
"""

from __future__ import annotations

from .explorer import explorer_grid
from .page import build_report

__all__ = ["build_report", "explorer_grid", "write_report"]


def write_report(scenario, path, force: bool = False):
    """Write the report of ``scenario`` to ``path`` (refuses to overwrite without ``force``);
    returns the path."""
    from pathlib import Path

    from ..errors import UserError

    path = Path(path)
    where = f"--out {path}"
    if path.is_dir():
        raise UserError(f"{where}: is a directory; allowed: an HTML file name")
    if path.exists() and not force:
        raise UserError(f"{where}: exists; allowed: a new file, or --force to overwrite it")
    html = build_report(scenario)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{where}: cannot write ({exc.strerror or exc}); allowed: a writable "
                        "file path") from None
    return path
