"""Results as HTML tables, for Jupyter notebooks (``_repr_html_``)."""

from __future__ import annotations

from html import escape


def _cell(x) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return escape(str(x))


def table(headers, rows, caption: str = "") -> str:
    """A plain HTML table: one header row, then ``rows`` (sequences of cells)."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<tr>{head}</tr>{body}</table>"
