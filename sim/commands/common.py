"""Shared pieces of the subcommands: loading, output preparation, figures, JSON."""

from __future__ import annotations


from ..budget import add_options as add_budget_options
from ..errors import UserError


def whole(minimum: int):
    """An argparse type: a whole number from ``minimum`` to 2⁶³ − 1 (a seed, a count)."""
    def parse(text: str) -> int:
        import argparse

        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; allowed: a "
                                             f"whole number >= {minimum}") from None
        if not minimum <= value < 2 ** 63:
            raise argparse.ArgumentTypeError(f"{text!r}: allowed: a whole number >= {minimum}")
        return value
    return parse


#: ``--seed`` of every command: a whole number >= 0.
natural = whole(0)
positive = whole(1)


def add_scenario_options(p):
    p.add_argument("scenario", nargs="?", default=None,
                   help="built-in scenario name or path to a TOML file (default: nato_csto_2007)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value by its dotted key (repeatable)")


def add_output_options(p, what="results"):
    p.add_argument("--out", default=None, metavar="DIR",
                   help=f"directory for {what} (default: results/<scenario>/)")
    p.add_argument("--force", action="store_true", help="overwrite existing results")
    p.add_argument("--json", action="store_true", help="print the results as JSON to stdout")
    add_budget_options(p)


def prepare(args, settings, check, files):
    """Load the scenario with its overrides, resolve and check the command's settings, and
    prepare the output folder: ``(scenario, settings, out path)``."""
    from .. import outputs
    from ..sweep import config

    sc, _ = config.load(args.scenario, args.overrides)
    s = settings(sc, args)
    check(sc.where, s)
    out = f"results/{sc.name}" if args.out is None else args.out
    return sc, s, outputs.prepare(out, files, args.force)


def save_figures(out, figures: dict) -> list[str]:
    """Save ``{stem: figure or axes}`` as PNG and SVG into ``out``; returns the file names."""
    import matplotlib.pyplot as plt

    from ..outputs import save_figure

    names = []
    for stem, fig in figures.items():
        fig = fig if hasattr(fig, "savefig") else fig.figure       # an Axes: its figure
        for suffix in ("png", "svg"):
            save_figure(fig, out / f"{stem}.{suffix}")
            names.append(f"{stem}.{suffix}")
        plt.close(fig)
    return names


def use_agg():
    import matplotlib

    matplotlib.use("Agg")


def emit(args, result: dict, text: str) -> None:
    """Print the JSON result (``--json``) or the readable account."""
    if args.json:
        from ..outputs import json_text

        print(json_text(result))
    else:
        print(text)


def user_error(where: str, exc: Exception) -> UserError:
    """A library ValueError about user-given data, as a one-line UserError."""
    return UserError(f"{where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
