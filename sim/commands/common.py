"""What the subcommands share: the scenario and output options, the default output folder,
figures, and printing the result."""

from __future__ import annotations

import hashlib
import re

from ..budget import add_options as add_budget_options

#: Longest name of a default output folder; longer ones end in a hash of the overrides.
MAX_FOLDER = 120


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


#: ``--seed`` of every command: a whole number >= 0; counts such as ``--workers``: >= 1.
natural, positive = whole(0), whole(1)


def add_scenario_options(p, overrides: bool = True):
    p.add_argument("scenario", nargs="?", default=None,
                   help="built-in scenario name or path to a TOML file (default: "
                        "nato_csto_2007; 'blocsim list' shows the built-ins)")
    if overrides:
        p.add_argument("--set", dest="overrides", action="append", default=[],
                       metavar="KEY=VALUE",
                       help="override a scenario value by its dotted key, e.g. "
                            "preferences.relative_gain_weight.NATO=0.3 (repeatable)")


def add_output_options(p, what: str = "results", base: str = "results", budget: bool = True):
    p.add_argument("--out", default=None, metavar="DIR",
                   help=f"directory for {what} (default: {base}/<scenario>/, or "
                        f"{base}/<scenario>+<KEY=VALUE>.../ with --set)")
    p.add_argument("--force", action="store_true", help="overwrite existing results")
    p.add_argument("--json", action="store_true", help="print the results as JSON to stdout")
    if budget:                       # commands whose work grows with their options
        add_budget_options(p)


def default_folder(scenario, base: str = "results") -> str:
    """``base/<scenario name>``, with the overrides in the name (``+KEY=VALUE`` each) so that
    runs with different ``--set`` do not write into one folder."""
    name = scenario.name
    if scenario.overrides:
        from ..scenario.messages import show

        name += "".join(f"+{k}={show(v)}" for k, v in scenario.overrides)
        name = re.sub(r"[^A-Za-z0-9._=,+-]", "_", name)
        if len(name) > MAX_FOLDER:
            digest = hashlib.sha256(name.encode()).hexdigest()[:10]
            name = f"{name[:MAX_FOLDER - 11]}-{digest}"
    return f"{base}/{name}"


def output_folder(args, scenario, files, base: str = "results"):
    """The checked output folder: ``--out`` or :func:`default_folder`."""
    from ..outputs import prepare

    return prepare(default_folder(scenario, base) if args.out is None else args.out, files,
                   args.force)


def load(args):
    """The scenario named on the command line, with its ``--set`` overrides, checked whole
    (every section, ``[sweep]`` included) by the one validation of
    :func:`sim.sweep.config.load`."""
    from ..sweep import config

    return config.load(args.scenario, args.overrides)[0]


def given(args, names) -> dict:
    """The options the user gave (``None`` for those left out), by setting name."""
    return {name: getattr(args, name, None) for name in names}


def save_figures(out, figures: dict) -> list[str]:
    """Save ``{stem: figure or axes}`` as PNG and SVG into ``out``; returns the file names.
    Every figure is closed, also when a file cannot be written."""
    import matplotlib.pyplot as plt

    from ..outputs import save_figure
    from ..results import as_figure

    names = []
    try:
        for stem, drawn in figures.items():
            files = [f"{stem}.{suffix}" for suffix in ("png", "svg")]
            save_figure(as_figure(drawn), *(out / name for name in files))   # one layout
            names += files
    finally:
        for drawn in figures.values():
            plt.close(as_figure(drawn))
    return names


def use_agg():
    import matplotlib

    matplotlib.use("Agg")


def emit(args, result, text: str) -> None:
    """Print the JSON result (``--json``) or the readable account."""
    if args.json:
        from ..outputs import json_text

        print(json_text(dict(result)))
    else:
        print(text)


def finish(args, out, files, result, figures, account) -> int:
    """The tail every analysing command shares, in this order: record the output paths in
    the result's provenance, draw ``figures()`` (``{stem: figure}``) and save each as PNG
    and SVG, write the result as ``files[0]`` (JSON), print ``account()`` (or the JSON with
    ``--json``). Returns the exit code 0.

    ``out`` is the folder :func:`output_folder` checked for ``files``; ``result`` a mapping
    with a ``provenance`` entry."""
    from ..outputs import write_json

    result["provenance"]["outputs"] = [str(out / f) for f in files]
    use_agg()
    save_figures(out, figures())
    write_json(out / files[0], dict(result))
    emit(args, result, f"{account()}\n\nWrote {', '.join(files)} to {out}")
    return 0
