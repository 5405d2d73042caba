"""The inline SVG bar chart."""

from __future__ import annotations

import re

from newsmon.web.charts import HEIGHT, bar_chart


def heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]


def test_one_bar_per_value_scaled_to_the_tallest_with_tooltips() -> None:
    svg = str(bar_chart([0, 2, 4, 1], labels=["a", "b", "c", "d"], title="t <x>"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert heights(svg) == [0.0, (HEIGHT - 2) / 2, HEIGHT - 2, (HEIGHT - 2) / 4]
    assert "<title>c: 4</title>" in svg
    assert "t &lt;x&gt;" in svg and "<x>" not in svg  # the title is escaped


def test_marked_ranges_are_shaded_and_clipped_to_the_chart() -> None:
    svg = str(bar_chart([1] * 10, marked=[(8, 14), (-3, 2), (5, 5)], width=100))
    spikes = re.findall(r'class="spike" x="([\d.]+)" y="0" width="([\d.]+)"', svg)
    assert spikes == [("80.0", "20.0"), ("0.0", "20.0")]


def test_an_empty_or_all_zero_series_draws_only_its_axis() -> None:
    for values in ([], [0, 0, 0]):
        svg = str(bar_chart(values))
        assert all(h == 0 for h in heights(svg)) and 'class="axis"' in svg
