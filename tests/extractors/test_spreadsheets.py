"""Excel workbooks of articles: a media-monitoring export (a title above its header, date
cells, a sheet of totals beside), an analyst's sheet of texts; a workbook of anything else,
a damaged or protected one and a zip bomb named (ingested end to end, the linked pages
fetched over loopback: ``tests/newsmon/sources/test_feed_files.py``)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from extractors.archive_feed import names_articles
from extractors.files import feed_kind, read_file
from extractors.spreadsheets import MAX_UNPACKED_BYTES, workbook_records
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    book = Workbook()
    for number, (title, cells) in enumerate(sheets):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = title
        for row in cells:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(first: str, second: str) -> bytes:
    """Coverage as a monitoring service exports it: the query above the header, a time and
    a day as date cells, reach as a number, a sheet of totals after it."""
    return workbook(
        ("Coverage", [["Search: North Korea AND Russia"], [],
                      ["Date", "Headline", "URL", "Hit Sentence", "Source", "Reach"],
                      [datetime(2023, 9, 12, 8, 5), "Kim arrives", first, "Kim ...", "Reuters",
                       1_200_000.0],
                      [datetime(2023, 9, 13), "Sanctions widened", second, "", "Politico", 5]]),
        ("Totals", [["Mentions", 2]]))


def test_the_rows_under_each_sheets_header_are_records() -> None:
    records, problems = workbook_records(
        export("https://a.example/1", "https://a.example/2"), names_articles)
    assert records == [
        {"Date": "2023-09-12T08:05:00", "Headline": "Kim arrives", "URL": "https://a.example/1",
         "Hit Sentence": "Kim ...", "Source": "Reuters", "Reach": 1200000},
        {"Date": "2023-09-13", "Headline": "Sanctions widened", "URL": "https://a.example/2",
         "Source": "Politico", "Reach": 5},
    ]
    assert problems == []  # the totals beside the articles are no problem


def test_a_workbook_of_anything_else_or_none_is_named(tmp_path: Path) -> None:
    budget = tmp_path / "budget.xlsx"
    budget.write_bytes(workbook(("2024", [["Item", "Cost"], ["Rent", 1200]])))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("xl/sharedStrings.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    cases = {
        "budget.xlsx": (RejectReason.NOT_ARTICLE, "a workbook without a sheet of articles: no "
                        "header row names a link or a text column (url, link, text, content, "
                        "...)"),
        "protected.xlsx": (RejectReason.UNREADABLE, "a password-protected workbook, or an old "
                           ".xls one: save it unprotected as .xlsx or .csv"),
        "cut.xlsx": (RejectReason.UNREADABLE,
                     "not a readable Excel workbook (File is not a zip file)"),
        "bomb.xlsx": (RejectReason.TOO_LARGE, f"a workbook that unpacks to "
                      f"{MAX_UNPACKED_BYTES + 1:,} bytes, over {MAX_UNPACKED_BYTES:,}"),
    }
    (tmp_path / "protected.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (tmp_path / "cut.xlsx").write_bytes(export("https://a.example/1", "https://a.example/2")[:900])
    (tmp_path / "bomb.xlsx").write_bytes(bomb.getvalue())
    for name, (reason, detail) in cases.items():
        assert feed_kind(tmp_path / name) is None, name
        with pytest.raises(RejectedInput) as caught:
            read_file(tmp_path / name, max_bytes=10_000_000)
        assert (caught.value.reason, caught.value.detail) == (reason, detail), name
