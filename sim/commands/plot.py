"""``blocsim plot``: redraw a finished sweep's figures from its saved results."""

from __future__ import annotations


def add_parsers(subparsers) -> None:
    q = subparsers.add_parser("plot", help="redraw a sweep's figures from its saved results",
                              description="Draw every figure of a finished sweep from "
                                          "RESULT_DIR/results.parquet, without recomputing.")
    q.add_argument("result_dir", metavar="RESULT_DIR")
    q.add_argument("--measure", action="append", default=[], metavar="NAME",
                   help="only this measure's figure (repeatable; default: every measure)")
    q.add_argument("--format", default="png", choices=("png", "svg", "pdf"),
                   help="file format (default png)")
    q.add_argument("--out", default=None, metavar="DIR",
                   help="directory for the figures (default: RESULT_DIR/figures)")
    q.add_argument("--force", action="store_true", help="overwrite existing figures")


def draw(result, out, only, fmt, force) -> list:
    """Save the figures of a :class:`~sim.sweep.result.SweepResult` into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .. import outputs

    names = result.figure_names(only)
    files = [f"{n}.{fmt}" for n in names]
    folder = outputs.prepare(out, files, force)
    for name, file in zip(names, files):
        fig = result.figure(name)
        outputs.save_figure(fig, folder / file)
        plt.close(fig)
    return [folder / f for f in files]


def command(args) -> int:
    from pathlib import Path

    from ..errors import SweepError
    from ..sweep.result import SweepResult

    out = args.out or Path(args.result_dir) / "figures"
    try:
        files = draw(SweepResult.open(args.result_dir), out, args.measure, args.format,
                     args.force)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        # sweep.json and results.parquet are ours, but a user may hand us edited or
        # mismatched ones: name them rather than fail deep inside the drawing code
        raise SweepError(f"{args.result_dir}: sweep.json and results.parquet do not describe "
                         f"one finished sweep ({type(exc).__name__}: {exc})") from None
    print("Figures: " + ", ".join(str(f) for f in files))
    return 0


COMMANDS = {"plot": command}
