"""The one renderer of query results, as a terminal shows its table."""

from __future__ import annotations

from newsmon.commands.render import display_width, render


def test_a_table_aligns_wide_scripts_and_combining_marks_as_a_terminal_shows_them() -> None:
    """北朝鮮 takes six columns in a terminal, not three; a combining accent none: the next
    column starts at the same place on every line, and a cut cell fits its width."""
    rows = [("北朝鮮の金正恩総書記", "x"), ("abc", "y"), ("e\u0301te\u0301", "z"),
            ("朝" * 40, "w"), ("한국어 뉴스", "v")]
    lines = render(["title", "n"], rows, "table", max_width=20).splitlines()
    starts = {display_width(line[: line.rindex(mark)])
              for line, mark in zip(lines[2:-1], "xyzwv", strict=True)}
    assert starts == {display_width(lines[0][: lines[0].rindex("n")])}
    cut = lines[5].removesuffix("w").rstrip()
    assert cut == "朝" * 9 + "…" and display_width(cut) == 19  # within the 20 columns
    assert display_width("北朝鮮 abc") == 10 and display_width("e\u0301") == 1
