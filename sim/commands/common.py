"""What the subcommands share: the scenario and output options, the default output folder,
figures, and printing the result."""

from __future__ import annotations

import hashlib
import re

#: Longest name of a default output folder; longer ones end in a hash of the overrides.
MAX_FOLDER = 120


def add_scenario_options(p, overrides: bool = True):
    p.add_argument("scenario", nargs="?", default=None,
                   help="built-in scenario name or path to a TOML file (default: "
                        "nato_csto_2007; 'blocsim list' shows the built-ins)")
    if overrides:
        p.add_argument("--set", dest="overrides", action="append", default=[],
                       metavar="KEY=VALUE",
                       help="override a scenario value by its dotted key, e.g. "
                            "preferences.relative_gain_weight.NATO=0.3 (repeatable)")


def add_output_options(p, what: str = "results", base: str = "results"):
    p.add_argument("--out", default=None, metavar="DIR",
                   help=f"directory for {what} (default: {base}/<scenario>/, or "
                        f"{base}/<scenario>+<KEY=VALUE>.../ with --set)")
    p.add_argument("--force", action="store_true", help="overwrite existing results")
    p.add_argument("--json", action="store_true", help="print the results as JSON to stdout")


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

    return prepare(args.out or default_folder(scenario, base), files, args.force)


def load(args):
    """The scenario named on the command line, with its ``--set`` overrides."""
    from .. import scenario

    return scenario.load(args.scenario, args.overrides)


def given(args, names) -> dict:
    """The options the user gave (``None`` for those left out), by setting name."""
    return {name: getattr(args, name, None) for name in names}


def save_figures(out, figures: dict) -> list[str]:
    """Save ``{stem: figure or axes}`` as PNG and SVG into ``out``; returns the file names."""
    import matplotlib.pyplot as plt

    from ..outputs import save_figure
    from ..results import as_figure

    names = []
    for stem, drawn in figures.items():
        fig = as_figure(drawn)
        for suffix in ("png", "svg"):
            save_figure(fig, out / f"{stem}.{suffix}")
            names.append(f"{stem}.{suffix}")
        plt.close(fig)
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
