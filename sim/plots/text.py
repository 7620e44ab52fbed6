"""Text that fits its figure: long titles wrap (at most a few lines) and every other label is
cut with an ellipsis, so that a 200,000-character scenario title or strategy name yields a
figure of the usual size. :func:`fit_figure` is applied to every figure before it is saved
(:func:`sim.outputs.save_figure`)."""

from __future__ import annotations

import textwrap

ELLIPSIS = "…"
#: Lines a title may take; other texts (labels, legend entries, annotations) take one line
#: per line they had, each at most ``LABEL_CHARS`` characters.
TITLE_LINES = 3
LABEL_CHARS = 60
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


def fit_figure(fig) -> None:
    """Wrap or cut every text of ``fig`` to fit its width (see the module docstring)."""
    from matplotlib.text import Text

    width_px = fig.get_figwidth() * fig.dpi
    titles = {id(t) for t in _titles(fig)}
    for t in fig.findobj(Text):
        text = t.get_text()
        if not text or not t.get_visible():
            continue
        chars = int(width_px / (CHAR_WIDTH * t.get_fontsize() * fig.dpi / 72))
        if id(t) in titles:
            fitted = shorten(text, chars, TITLE_LINES)
        else:
            fitted = "\n".join(shorten(line, min(chars, LABEL_CHARS)) for line in
                               text.split("\n")[:TITLE_LINES])
        if fitted != text:
            t.set_text(fitted)
