"""Text that fits its figure: long titles wrap (at most a few lines) and every other label is
cut with an ellipsis, so that a 200,000-character scenario title or strategy name yields a
figure of the usual size. :func:`fit_figure` is applied to every figure before it is saved
(:func:`sim.outputs.save_figure`)."""

from __future__ import annotations

import textwrap

ELLIPSIS = "…"
#: Lines a title may take; other texts (labels, legend entries, annotations) keep at most
#: that many of their lines, each at most ``LABEL_CHARS`` characters (a legend entry's, half
#: the figure's width but at least ``LEGEND_CHARS``).
TITLE_LINES = 3
LABEL_CHARS = 100
#: Characters a legend entry's line keeps at least (more on a wide figure).
LEGEND_CHARS = 45
#: Average width of a character in units of the font size (DejaVu Sans is about 0.55–0.6).
CHAR_WIDTH = 0.6


def shorten(text: str, width: int, lines: int = 1) -> str:
    """``text`` wrapped at ``width`` characters into at most ``lines`` lines; what does not fit
    is cut and marked with an ellipsis. Existing line breaks are kept (each counts)."""
    width = max(4, int(width))
    out = []
    for paragraph in str(text).split("\n"):
        out += textwrap.wrap(paragraph, width, break_long_words=True,
                             break_on_hyphens=False) or [""]
    if len(out) <= lines:
        return "\n".join(out)
    last = out[lines - 1][: width - 1].rstrip()
    return "\n".join(out[: lines - 1] + [last + ELLIPSIS])


def _titles(fig):
    titles = [fig._suptitle] if getattr(fig, "_suptitle", None) is not None else []
    for ax in fig.axes:
        titles += [ax.title, ax._left_title, ax._right_title]
    return titles


def fit_figure(fig) -> bool:
    """Wrap or cut every text of ``fig`` to fit its width (see the module docstring); lays
    the figure out (its layout engine) to measure, and returns whether a text changed after
    that layout (so that it must be laid out again)."""
    from matplotlib.text import Text

    width_px = fig.get_figwidth() * fig.dpi
    titles = {id(t) for t in _titles(fig)}
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    entries = {id(t) for legend in legends for t in legend.get_texts()}
    for t in fig.findobj(Text):
        text = t.get_text()
        if not text or not t.get_visible():
            continue
        chars = int(width_px / (CHAR_WIDTH * t.get_fontsize() * fig.dpi / 72))
        if id(t) in titles:
            fitted = shorten(text, chars, TITLE_LINES)
        elif id(t) in entries:          # a legend shares the width with its panel
            fitted = "\n".join(shorten(line, max(LEGEND_CHARS, chars // 2)) for line in
                                text.split("\n")[:TITLE_LINES])
        else:
            fitted = "\n".join(shorten(line, min(chars, LABEL_CHARS)) for line in
                               text.split("\n")[:TITLE_LINES])
        if fitted != text:
            t.set_text(fitted)
    return _fit_titles(fig, titles)


def _fit_titles(fig, titles) -> bool:
    """Rewrap titles and axis labels wider than the room they have once the layout is done:
    each is centred on its panel and may extend beyond it only as far as the figure's edges."""
    from matplotlib.text import Text

    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    renderer = fig.canvas.get_renderer()
    size = (fig.bbox.width, fig.bbox.height)
    targets = [(t, t.axes, 0, TITLE_LINES) for t in fig.findobj(Text) if id(t) in titles]
    changed = False
    for ax in fig.axes:
        targets += [(ax.xaxis.label, ax, 0, 2), (ax.yaxis.label, ax, 1, 2)]
    for t, ax, along, lines in targets:
        if not t.get_text() or not t.get_visible():
            continue
        room = size[along]
        if ax is not None:
            lo, hi = _room(fig, ax, along)
            centre = sum(_span(ax.get_position(), along)) / 2
            room = 2 * min(centre - lo, hi - centre) * size[along]
        ext = t.get_window_extent(renderer)
        used = ext.width if along == 0 else ext.height
        if used > 0.92 * room:          # a margin: the final layout may shift a little
            longest = max(len(line) for line in t.get_text().split("\n"))
            t.set_text(shorten(t.get_text().replace("\n", " "),
                               int(longest * room / used * 0.85), lines))
            changed = True
    return changed


def _span(pos, along: int) -> tuple[float, float]:
    return (pos.x0, pos.x1) if along == 0 else (pos.y0, pos.y1)


def _room(fig, ax, along: int) -> tuple[float, float]:
    """The stretch (figure fraction, along x for ``along = 0``) a label centred on ``ax`` may
    take: up to the figure's edges or half-way to the next panel beside it."""
    lo, hi = 0.0, 1.0
    a0, a1 = _span(ax.get_position(), along)
    b0, b1 = _span(ax.get_position(), 1 - along)
    for other in fig.axes:
        if other is ax or not other.get_visible():
            continue
        o0, o1 = _span(other.get_position(), along)
        c0, c1 = _span(other.get_position(), 1 - along)
        if c1 <= b0 or c0 >= b1:                 # not beside ax
            continue
        if o1 <= a0:
            lo = max(lo, (o1 + a0) / 2)
        elif o0 >= a1:
            hi = min(hi, (a1 + o0) / 2)
    return lo, hi
