"""Trend charts: a PNG, or a self-contained HTML page, with spikes marked.

The only module that imports matplotlib (lazily: it costs ~0.5 s, and ``newsmon
trends`` without ``--chart`` should not pay it). HTML embeds the same figure as
inline SVG, so the page needs no scripts, fonts or network to open.
"""

from __future__ import annotations

import html
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from newsmon.analysis.trends import TrendPoint
from newsmon.core.errors import InputError
from newsmon.core.output_files import check_output_folder

#: More series than this make an unreadable chart: the biggest are drawn.
MAX_SERIES = 8


@dataclass(frozen=True, slots=True)
class Mark:
    """A spike to shade on the chart."""

    name: str
    start: datetime
    end: datetime
    label: str = ""


def _num(at: datetime) -> float:
    """matplotlib's date number (its stubs take floats, not datetimes)."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(at))  # type: ignore[no-untyped-call]


def _dense(
    points: Sequence[tuple[str, datetime, float]], step: timedelta
) -> dict[str, list[tuple[datetime, float]]]:
    """Each series with the empty buckets between the first and last bucket set to 0.

    The views only have rows for buckets with articles; drawn as they are, a line would
    run straight across a quiet night instead of dropping to zero.
    """
    if not points:
        return {}
    first = min(p[1] for p in points)
    last = max(p[1] for p in points)
    buckets = [first + k * step for k in range(int((last - first) / step) + 1)]
    values: dict[str, dict[datetime, float]] = defaultdict(dict)
    for name, bucket, value in points:
        values[name][bucket] = value
    return {name: [(b, got.get(b, 0)) for b in buckets] for name, got in values.items()}


def _figure(
    points: Sequence[TrendPoint], marks: Sequence[Mark], title: str, metric: str,
    step: timedelta,
) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    series = _dense([(p.name, p.bucket, float(getattr(p, metric))) for p in points], step)
    totals = {n: sum(v for _, v in vs) for n, vs in series.items()}
    shown = sorted(totals, key=lambda n: (-totals[n], n))[:MAX_SERIES]

    fig, ax = plt.subplots(figsize=(11, 4.8), dpi=110)
    colours: dict[str, Any] = {}
    for name in shown:
        (line,) = ax.plot(
            [_num(b) for b, _ in series[name]], [v for _, v in series[name]],
            label=name, linewidth=1.2, drawstyle="steps-post",
        )
        colours[name] = line.get_color()
    first = True
    for mark in marks:
        if mark.name not in colours:
            continue
        ax.axvspan(_num(mark.start), _num(mark.end),
                   color=colours[mark.name], alpha=0.25, linewidth=0,
                   label="spike alert" if first else None)
        top = max(
            (v for b, v in series[mark.name] if mark.start <= b < mark.end),
            default=0,
        )
        ax.annotate(
            mark.label or f"spike: {mark.name}",
            xy=(_num(mark.start), top), xytext=(0, 12),
            textcoords="offset points",
            ha="center", fontsize=8, color=colours[mark.name],
            arrowprops={"arrowstyle": "-|>", "color": colours[mark.name], "lw": 0.8},
        )
        first = False
    ax.set_title(title)
    ax.set_ylabel(metric)
    ax.set_xlabel("time (UTC)")
    ax.grid(True, alpha=0.3)
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1] * 1.12, 1))  # room for the labels
    if shown:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    if len(series) > len(shown):
        ax.text(0.99, 0.98, f"{len(series) - len(shown)} smaller series not drawn",
                transform=ax.transAxes, ha="right", va="top", fontsize=8)
    fig.tight_layout()
    return fig


CHART_SUFFIXES = (".png", ".html", ".htm")


def check_chart_path(path: Path) -> str:
    """The chart's suffix, or an InputError naming the file: checked before any query."""
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise InputError(f"{path}: charts are .png or .html files")
    check_output_folder(path)
    return suffix


def write_chart(
    path: Path,
    points: Sequence[TrendPoint],
    marks: Sequence[Mark] = (),
    *,
    title: str = "newsmon trends",
    metric: str = "stories",
    step: timedelta = timedelta(days=1),
) -> Path:
    """Draw ``points`` (one line per name, buckets ``step`` apart) into ``path``.

    ``path`` ends in .png, .html or .htm.
    """
    suffix = check_chart_path(path)
    import matplotlib.pyplot as plt

    fig = _figure(points, marks, title, metric, step)
    try:
        if suffix == ".png":
            fig.savefig(path)
        else:
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg")
            path.write_text(_page(title, buffer.getvalue(), marks), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the chart: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    return path


def _page(title: str, svg: str, marks: Sequence[Mark]) -> str:
    svg = svg[svg.index("<svg"):]  # drop the XML prolog: the SVG is inline
    rows = "".join(
        f"<tr><td>{html.escape(m.name)}</td><td>{m.start:%Y-%m-%d %H:%M}</td>"
        f"<td>{m.end:%Y-%m-%d %H:%M}</td><td>{html.escape(m.label)}</td></tr>"
        for m in marks
    )
    table = (
        "<h2>Spike alerts</h2><table><tr><th>topic</th><th>from (UTC)</th><th>to</th>"
        f"<th></th></tr>{rows}</table>" if marks else ""
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "td,th{padding:2px 10px;text-align:left}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{svg}{table}</body></html>\n"
    )
