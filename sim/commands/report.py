"""``blocsim report``: the teaching report — one self-contained HTML file with the analysis,
a lesson in eight steps and a live explorer (:mod:`sim.report`)."""

from __future__ import annotations

from .common import add_scenario_options, use_agg


def add_parsers(sub):
    p = sub.add_parser("report", help="write one self-contained HTML report with a lesson and a "
                       "live explorer (opens from disk, no network)")
    add_scenario_options(p)
    p.add_argument("--out", default=None, metavar="FILE",
                   help="HTML file to write (default: results/<scenario>.html, or "
                        "results/<scenario>+<KEY=VALUE>....html with --set)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")


def command(args) -> int:
    from ..report import write_report
    from .common import default_folder, load

    sc = load(args)
    use_agg()
    path = write_report(sc, args.out or f"{default_folder(sc)}.html", force=args.force)
    print(f"Wrote {path}")
    return 0


COMMANDS = {"report": command}
