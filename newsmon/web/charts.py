"""Inline SVG bar charts: drawn on the server, no script, no font, no network.

matplotlib (what ``newsmon trends --chart`` uses) takes ~0.5 s to import and tens of
milliseconds a figure; a page with ten charts must answer in well under 300 ms, and a
row of ``<rect>`` elements says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH = 336
HEIGHT = 64


def bar_chart(
    values: Sequence[float],
    *,
    labels: Sequence[str] | None = None,
    marked: Sequence[tuple[int, int]] = (),
    title: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Markup:
    """Bars of ``values`` left to right, ``marked`` index ranges [i, j) shaded behind them.

    Each bar has a tooltip (``labels[i]: value``); the tallest bar fills the height, and
    an all-zero series draws a flat baseline, so an empty chart still reads as "nothing".
    """
    n = max(len(values), 1)
    top = max(values, default=0) or 1
    step = width / n
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, j in marked:
        i, j = max(i, 0), min(j, len(values))
        if i < j:
            parts.append(f'<rect class="spike" x="{i * step:.1f}" y="0" '
                         f'width="{(j - i) * step:.1f}" height="{height}"/>')
    for k, v in enumerate(values):
        h = (height - 2) * v / top
        tip = f"{labels[k]}: {v:g}" if labels else f"{v:g}"
        parts.append(f'<rect class="bar" x="{k * step:.1f}" y="{height - 1 - h:.1f}" '
                     f'width="{max(step - 0.5, 0.5):.1f}" height="{h:.1f}">'
                     f"<title>{escape(tip)}</title></rect>")
    parts.append(f'<line class="axis" x1="0" y1="{height - 0.5}" x2="{width}" '
                 f'y2="{height - 0.5}"/></svg>')
    return Markup("".join(parts))
