"""The one renderer of query results: aligned table, CSV, or JSON lines."""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from newsmon.core.control_chars import shown


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def render(columns: list[str], rows: list[tuple[Any, ...]], fmt: str, max_width: int = 60,
           types: Sequence[str] = (), *, header: bool = True, more: bool = False) -> str:
    """Render a query result as an aligned table, CSV, or JSON lines.

    JSON lines are valid JSON: NaN and infinities are null, and a JSON column (``types``,
    e.g. ``runs.reasons``) is nested as the object it holds, not as a string. CSV without
    ``header`` continues one rendered before (a result rendered a batch at a time); a
    table with ``more`` says in its last line that the result had more rows.
    """
    if fmt == "json":
        nested = {i for i, t in enumerate(types) if t.upper() == "JSON"}
        return "".join(
            json.dumps({c: _json_value(v, i in nested) for i, (c, v) in
                        enumerate(zip(columns, row, strict=True))},
                       ensure_ascii=False, default=str, allow_nan=False) + "\n"
            for row in rows
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if header:
            writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return buffer.getvalue()
    return _table(columns, rows, max_width, more)


def _json_value(value: Any, nested: bool) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if nested and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return _plain(value)


def _char_width(char: str) -> int:
    """Columns a terminal gives ``char``: two for a wide East Asian one (漢, ア, 한), none
    for a combining mark, else one."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (``len`` counts 北朝鮮 as three, it takes six)."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def _cell(value: Any, max_width: int) -> str:
    text = "NULL" if value is None else str(_plain(value))
    text = shown(" ".join(text.split()))
    if display_width(text) <= max_width:
        return text
    kept, used = [], 0
    for char in text:
        used += _char_width(char)
        if used > max_width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _table(columns: list[str], rows: list[tuple[Any, ...]], max_width: int,
           more: bool = False) -> str:
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells])
              for i, c in enumerate(columns)]
    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - display_width(v))
                         for v, w in zip(values, widths, strict=True)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    if more:
        out.append(f"(the first {len(rows):,} rows; the result has more)")
    else:
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
