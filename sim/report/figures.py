"""Figures of the report as inline SVG: the library's matplotlib figures, and the regime
patterns of the explorer's map (fill ordered by lightness plus a hatch, so that regimes stay
apart in greyscale, as in :mod:`sim.plots.regions`)."""

from __future__ import annotations

import io
from html import escape

from ..equilibria import REGIMES
from ..plots.regions import REGIME_COLOURS

#: One hatch per regime (SVG path in a 12×12 tile), on top of the regime's fill.
HATCHES = ("", "M0,6 H12", "M0,12 L12,0", "M0,0 L12,12", "M6,0 V12", "M0,12 L12,0 M0,0 L12,12",
           "M0,6 H12 M6,0 V12", "M3,3 h1 M9,9 h1", "M0,3 H12 M0,9 H12")


def svg(fig) -> str:
    """A matplotlib figure (or an Axes' figure) as an ``<svg>`` element; the figure is closed."""
    import matplotlib.pyplot as plt

    fig = fig if hasattr(fig, "savefig") else fig.figure
    buf = io.StringIO()
    try:
        fig.savefig(buf, format="svg", bbox_inches="tight")
    finally:
        plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def figure(fid: str, body: str, title: str, caption: str) -> str:
    """A captioned ``<figure>``: ``caption`` says what it shows and how to read it."""
    return (f'<figure id="{fid}" aria-label="{escape(title)}">{body}<figcaption>'
            f'<strong>{escape(title)}.</strong> {escape(caption)}</figcaption></figure>')


def regime_patterns() -> str:
    """SVG ``<pattern>`` definitions ``pat-<code>`` for every regime."""
    out = []
    for code, name in enumerate(REGIMES):
        hatch = (f'<path d="{HATCHES[code]}" stroke="#000" stroke-width="1.2" fill="none"/>'
                 if HATCHES[code] else "")
        out.append(f'<pattern id="pat-{code}" width="12" height="12" '
                   f'patternUnits="userSpaceOnUse"><rect width="12" height="12" '
                   f'fill="{REGIME_COLOURS[name]}"/>{hatch}</pattern>')
    return "".join(out)


def regime_legend() -> str:
    """The explorer map's legend: a swatch with each regime's pattern and its name."""
    items = "".join(f'<li><svg width="36" height="22" aria-hidden="true"><rect width="36" '
                    f'height="22" fill="url(#pat-{c})" stroke="#000"/></svg> {escape(n)}</li>'
                    for c, n in enumerate(REGIMES))
    return f'<ul class="legend" style="list-style:none;padding:0;columns:3">{items}</ul>'
