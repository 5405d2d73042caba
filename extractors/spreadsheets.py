"""Excel workbooks of articles (``.xlsx``): media-monitoring exports, an analyst's sheets.

Media-monitoring services (Meltwater, Cision, Talkwalker) export coverage as Excel
workbooks by default, and analysts keep their own lists of articles in Excel: an article a
row under a header naming its columns (``URL``, ``Headline``, ``Date``, ``Source``,
``Author``, a text or a snippet). Such a workbook is an archive of articles as a CSV file
of the same rows is (:mod:`extractors.archive_feed`): each sheet whose header (one of its
first rows) names a link or a text column is read, in order, and a sheet without one is
named, not read. Read with openpyxl in read-only mode, the values Excel last computed
(not formulas); a date cell is its date.

A workbook is a zip file: one whose parts would unpack to more than
:data:`MAX_UNPACKED_BYTES` is refused before it is opened (a zip bomb), and a
password-protected one (an OLE file, as old ``.xls`` workbooks are) is named as such.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The most a workbook's parts may unpack to: an export of thousands of articles' texts is
#: well under it.
MAX_UNPACKED_BYTES = 500_000_000
#: The largest workbook opened to tell whether it holds articles (a larger one is named
#: ``too_large`` when read, never loaded whole to be told apart).
MAX_SNIFFED_BYTES = 100_000_000
#: Rows of a sheet looked at for its header (exports put a title or a query above it).
HEADER_ROWS = 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: Whether a row's cells are an archive's header (:func:`extractors.archive_feed.names_articles`).
HeaderTest = Callable[[Iterable[str]], bool]


def workbook_records(content: bytes, is_header: HeaderTest
                     ) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of each sheet of articles under its header (column name -> value), in
    order; and, when no sheet holds articles, each sheet named (a sheet of totals or a
    chart beside the articles is no problem). :class:`RejectedInput` when the file is no
    readable workbook."""
    book = _open(content)
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = _header(rows, is_header)
            if header is None:
                problems.append(f"sheet {sheet.title!r}: no header naming a link or text column")
                continue
            for row in rows:
                values = ((name, _value(cell)) for name, cell in zip(header, row, strict=False)
                          if name and cell is not None)
                record = {name: value for name, value in values if value != ""}
                if record:
                    records.append(record)
    finally:
        book.close()
    return records, [] if len(problems) < len(book.worksheets) else problems


def is_article_workbook(path: Path, is_header: HeaderTest) -> bool:
    """Whether ``path`` is a workbook with a sheet of articles (a header among a sheet's
    first rows)."""
    try:
        if path.stat().st_size > MAX_SNIFFED_BYTES:  # read_file names it too large
            return False
        book = _open(path.read_bytes())
    except (OSError, RejectedInput):
        return False
    try:
        return any(_header(sheet.iter_rows(values_only=True), is_header) is not None
                   for sheet in book.worksheets)
    finally:
        book.close()


def _open(content: bytes) -> Any:
    if content.startswith(_OLE_MAGIC):
        raise RejectedInput(RejectReason.UNREADABLE, "a password-protected workbook, or an "
                            "old .xls one: save it unprotected as .xlsx or .csv")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as packed:
            unpacked = sum(info.file_size for info in packed.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RejectedInput(RejectReason.UNREADABLE,
                            f"not a readable Excel workbook ({exc})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RejectedInput(RejectReason.TOO_LARGE, f"a workbook that unpacks to "
                            f"{unpacked:,} bytes, over {MAX_UNPACKED_BYTES:,}")
    # imported here: openpyxl imports numpy, which the command line must not wait for
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            OSError) as exc:
        raise RejectedInput(RejectReason.UNREADABLE, "not a readable Excel workbook "
                            f"({type(exc).__name__}: {exc})") from None


def _header(rows: Iterator[tuple[Any, ...]], is_header: HeaderTest) -> list[str] | None:
    """The column names of the first of a sheet's first rows that is a header; the rows
    before it are consumed."""
    for _, row in zip(range(HEADER_ROWS), rows, strict=False):
        names = [str(cell).strip() if cell is not None else "" for cell in row]
        if is_header(names):
            return names
    return None


def _value(cell: Any) -> Any:
    """A cell as an archive's value: text as it is, a date or time in ISO 8601 (a date cell
    at midnight is a day), a whole number as one (an id typed as 123.0)."""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat()
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str):
        return cell.strip()
    return cell


__all__ = ["MAX_UNPACKED_BYTES", "XLSX_SUFFIXES", "XLSX_TYPE", "HeaderTest",
           "is_article_workbook", "workbook_records"]
