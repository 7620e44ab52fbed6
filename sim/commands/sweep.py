"""``blocsim sweep``: evaluate measures over a grid of scenario values
(:func:`sim.workflows.sweep.run`), into a resumable result folder."""

from __future__ import annotations

import argparse
import sys

from ..workflows.settings import DEFAULTS
from .common import default_folder

BASE = "results/sweeps"


class _MeasureHelp(argparse.HelpFormatter):
    """Names the registered measures in ``--help`` (read from the registry only when the
    help is printed, so building the parser stays light)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(measures)s" in text:
            from ..sweep.measures import names

            text = text.replace("%(measures)s", ", ".join(names()))
        return text


def add_parsers(subparsers) -> None:
    """Add ``sweep`` to the ``blocsim`` subparsers."""
    d = DEFAULTS["sweep"]
    p = subparsers.add_parser(
        "sweep", help="vary scenario keys along 1-3 axes and evaluate measures at every point",
        formatter_class=_MeasureHelp,
        description="Evaluate measures over a grid of scenario values; results go to a tidy "
                    "Parquet table, metadata JSON and figures. Interrupted sweeps resume.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="built-in scenario name or path to a TOML file (default: "
                        "nato_csto_2007); its [sweep] section gives defaults")
    p.add_argument("--axis", action="append", default=[], metavar="KEY=SPEC",
                   help="an axis: KEY=start:stop:num, KEY=log:start:stop:num or KEY=v1,v2,...; "
                        "link keys with + (KEY+KEY=SPEC); 1 to 3 axes (default: the [sweep] "
                        "axes)")
    p.add_argument("--measure", action="append", default=[], metavar="NAME[:OPT=V,...]",
                   help=f"a measure (repeatable; default: the [sweep] measures, or "
                        f"{' and '.join(d['measures'])}); one of: %(measures)s")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value (repeatable)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help=f"result directory (default: {BASE}/<scenario>, or "
                        f"{BASE}/<scenario>+<KEY=VALUE>... with --set)")
    p.add_argument("--force", action="store_true", help="delete an earlier sweep in DIR first")
    p.add_argument("--json", action="store_true",
                   help="print the sweep's metadata (sweep.json) to stdout")
    p.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep in DIR, keeping its finished chunks")
    p.add_argument("--executor", choices=("inprocess", "processes", "dask"), default=None,
                   help="where chunks run (default: processes if a measure is simulated, "
                        "else inprocess)")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="address of a running Dask scheduler (with --executor dask; default: "
                        "a local cluster on 127.0.0.1)")
    p.add_argument("--dashboard", action="store_true",
                   help="open Dask's dashboard (with --executor dask; default: none)")
    p.add_argument("--seed", type=_natural, default=None, metavar="S",
                   help=f"seed of the simulated measures (default: the [sweep] seed, or "
                        f"{d['seed']})")
    p.add_argument("--chunk-size", type=_positive, default=None, metavar="N",
                   help="points per chunk (default: sized from the measures' cost)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-plot", action="store_true", help="do not draw figures")


def _whole(minimum: int):
    """An argparse type: a whole number >= ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r}: allowed: a whole number >= {minimum}")
        return value
    return parse


_positive, _natural = _whole(1), _whole(0)


def command(args) -> int:
    from ..sweep.config import load
    from ..sweep.executors import SweepFailure
    from ..sweep.store import directory_lock
    from ..workflows.sweep import run
    from .plot import draw

    sc, section = load(args.scenario, args.overrides)
    given = {"axes": args.axis or None, "measures": args.measure or None, "seed": args.seed,
             "executor": args.executor, "workers": args.workers, "chunk_size": args.chunk_size}
    out = args.out or default_folder(sc, BASE)
    try:
        with directory_lock(out):       # held over the figures too: one sweep at a time
            result = run(sc, section, given, out=out, scheduler=args.scheduler,
                         force=args.force, resume=args.resume,
                         progress=False if args.quiet else None, dashboard=args.dashboard)
            files = [] if args.no_plot else draw(result, result.path / "figures", [], "png",
                                                 force=True)
    except SweepFailure as exc:
        print(f"blocsim: sweep failed: {exc}", file=sys.stderr)
        return 1
    meta, t = result.metadata, result.metadata["timing"]
    shape = " x ".join(str(n) for n in meta["sweep"]["shape"])
    reused = f", {t['chunks_reused']} of {meta['sweep']['n_chunks']} chunks reused" \
        if t["chunks_reused"] else ""
    lines = [f"Swept {meta['sweep']['size']:,} points ({shape}) in {t['seconds']:.2f} s "
             f"({t['executor']}{reused}); wrote {result.path / 'results.parquet'}, "
             f"{result.path / 'sweep.json'}"]
    if files:
        lines.append("Figures: " + ", ".join(str(f) for f in files))
    if args.json:                     # the metadata; the table itself is results.parquet
        from ..outputs import json_text

        print(json_text(meta))
    else:
        print("\n".join(lines))
    return 0


COMMANDS = {"sweep": command}
