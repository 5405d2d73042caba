"""Local files as a source: what a cycle over them is estimated to cost."""

from __future__ import annotations

from pathlib import Path

from newsmon.pipeline.forkserver import PAGE_MS, TEXT_MS
from newsmon.sources.files import LocalFiles


def test_pages_weigh_more_than_plain_text_and_gzip_keeps_the_kind(tmp_path: Path) -> None:
    names = ["a.html", "b.HTM", "c.html.gz", "d.txt", "e.text.gz", "f.pdf"]
    source = LocalFiles([tmp_path / name for name in names])
    # what is no known kind is read like a page (and rejected by the worker that reads it)
    assert source.work_ms() == 4 * PAGE_MS + 2 * TEXT_MS
