"""``blocsim sweep`` and ``blocsim plot``: parsers and commands.

:func:`add_parsers` registers both subcommands on the ``blocsim`` parser; ``COMMANDS`` maps
them to their functions. Importing this module is light (argparse only).
"""

from __future__ import annotations

import sys

from ..budget import add_options
from ..commands.common import natural, positive


def add_parsers(subparsers) -> None:
    """Add ``sweep`` and ``plot`` to the ``blocsim`` subparsers."""
    p = subparsers.add_parser(
        "sweep", help="vary scenario keys along 1-3 axes and evaluate measures at every point",
        description="Evaluate measures over a grid of scenario values; results go to a tidy "
                    "Parquet table, metadata JSON and figures. Interrupted sweeps resume.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="built-in scenario name or path to a TOML file (default: "
                        "nato_csto_2007); its [sweep] section gives defaults")
    p.add_argument("--axis", action="append", default=[], metavar="KEY=SPEC",
                   help="an axis: KEY=start:stop:num, KEY=log:start:stop:num or KEY=v1,v2,...; "
                        "link keys with + (KEY+KEY=SPEC); 1 to 3 axes")
    p.add_argument("--measure", action="append", default=[], metavar="NAME[:OPT=V,...]",
                   help="a measure (repeatable; default: regime and blocked_by_relative_gains); "
                        "see docs/sweeps.md for the list")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value (repeatable)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="result directory (default: results/sweeps/<scenario>)")
    p.add_argument("--force", action="store_true", help="delete an earlier sweep in DIR first")
    p.add_argument("--json", action="store_true",
                   help="print the sweep's metadata (sweep.json) to stdout")
    p.add_argument("--resume", action="store_true",
                   help="finish an interrupted sweep in DIR, keeping its finished chunks")
    p.add_argument("--executor", choices=("inprocess", "processes", "dask"), default=None,
                   help="where chunks run (default: processes if a measure is simulated, "
                        "else inprocess)")
    p.add_argument("--workers", type=positive, default=None, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="address of a running Dask scheduler (with --executor dask; default: "
                        "a local cluster on 127.0.0.1)")
    p.add_argument("--seed", type=natural, default=None, metavar="S",
                   help="seed of the simulated measures (default: the [sweep] seed, or 0)")
    p.add_argument("--chunk-size", type=positive, default=None, metavar="N",
                   help="points per chunk (default: sized from the measures' cost)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-plot", action="store_true", help="do not draw figures")
    add_options(p)
    q = subparsers.add_parser("plot", help="redraw a sweep's figures from its saved results",
                              description="Draw every figure of a finished sweep from "
                                          "RESULT_DIR/results.parquet, without recomputing.")
    q.add_argument("result_dir", metavar="RESULT_DIR")
    q.add_argument("--measure", action="append", default=[], metavar="NAME",
                   help="only this measure's figure (repeatable)")
    q.add_argument("--format", default="png", choices=("png", "svg", "pdf"))
    q.add_argument("--out", default=None, metavar="DIR",
                   help="directory for the figures (default: RESULT_DIR/figures)")
    q.add_argument("--force", action="store_true", help="overwrite existing figures")


def cmd_sweep(args) -> int:
    from .axes import parse_axis
    from .config import load, make_axes, make_measures
    from .executors import SweepFailure
    from .measures import parse_measure
    from ..budget import from_args
    from .run import DEFAULT_MEASURES, run_sweep

    sc, section = load(args.scenario, args.overrides)
    if args.axis:
        axes = [parse_axis(t) for t in args.axis]
    else:
        axes = make_axes(section, sc.where) if section else []
    if args.measure:
        measures = [parse_measure(t) for t in args.measure]
    elif section and section.measures:
        measures = make_measures(section, sc.where)
    else:
        measures = [parse_measure(n) for n in DEFAULT_MEASURES]
    seed = args.seed if args.seed is not None else (section.seed if section else 0)
    out = f"results/sweeps/{sc.name}" if args.out is None else args.out
    try:
        result = run_sweep(sc, axes, measures, out=out, seed=seed,
                           executor=args.executor or (section.executor if section else None),
                           workers=args.workers or (section.workers if section else None),
                           scheduler=args.scheduler,
                           chunk_size=args.chunk_size or (section.chunk_size if section else None),
                           force=args.force, resume=args.resume,
                           progress=False if args.quiet else None, budget=from_args(args))
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
    if not args.no_plot:
        files = _draw(result.path, result.path / "figures", [], "png", force=True)
        lines.append("Figures: " + ", ".join(str(f) for f in files))
    if args.json:                     # the metadata; the table itself is results.parquet
        from ..outputs import json_text

        print(json_text(meta))
    else:
        print("\n".join(lines))
    return 0


def _draw(result_dir, out, only, fmt, force) -> list:
    from .. import outputs
    from .store import load

    meta, columns = load(result_dir)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plots.sweep import figure_names, draw_measure

    names = figure_names(meta, only)
    files = [f"{n}.{fmt}" for n in names]
    folder = outputs.prepare(out, files, force)
    for name, file in zip(names, files):
        fig = draw_measure(meta, columns, name)
        outputs.save_figure(fig, folder / file)
        plt.close(fig)
    return [folder / f for f in files]


def cmd_plot(args) -> int:
    from pathlib import Path

    from ..errors import UserError
    from .axes import SweepError

    out = Path(args.result_dir) / "figures" if args.out is None else args.out
    if not str(out).strip():
        raise SweepError(f"--out {str(out)!r}: empty path; allowed: a directory path")
    try:
        files = _draw(args.result_dir, out, args.measure, args.format, args.force)
    except UserError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        # sweep.json and results.parquet are ours, but a user may hand us edited or
        # mismatched ones: name them rather than fail deep inside the drawing code
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SweepError(f"{args.result_dir}: sweep.json and results.parquet do not describe "
                         f"one finished sweep ({detail}); allowed: the folder of a finished "
                         "blocsim sweep") from None
    print("Figures: " + ", ".join(str(f) for f in files))
    return 0


COMMANDS = {"sweep": cmd_sweep, "plot": cmd_plot}
