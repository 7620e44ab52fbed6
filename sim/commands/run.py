"""``blocsim run``: analyse a scenario — equilibria, thresholds, regime — and draw its region
map."""

from __future__ import annotations

from .common import add_output_options, add_scenario_options, output_folder, use_agg

FILES = ["summary.json", "region_map.png", "region_map.svg"]


def add_parsers(sub):
    p = sub.add_parser("run", help="analyse a scenario: equilibria, thresholds, regime, "
                       "region map")
    add_scenario_options(p)
    add_output_options(p, budget=False)           # fixed-size work


def command(args) -> int:
    import matplotlib.pyplot as plt

    from .. import outputs
    from .common import load

    sc = load(args)
    out = output_folder(args, sc, FILES)
    summary = sc.analyse()
    summary["provenance"]["outputs"] = [str(out / f) for f in FILES]
    use_agg()
    fig = summary.figure()
    try:
        outputs.save_figure(fig, *(out / f for f in FILES[1:]))
        outputs.write_json(out / "summary.json", summary.to_dict())
    finally:
        plt.close(fig)
    if args.json:
        print(outputs.json_text(summary.to_dict()))
    else:
        print(summary.account())
        print(f"\nWrote {', '.join(str(out / f) for f in FILES)}")
    return 0


COMMANDS = {"run": command}
