"""The publisher's word on whether an article is free to read, stored with it
(migration 0019) on both targets."""

from __future__ import annotations

from pathlib import Path

from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse
from warehouse.schema import migrations

STORY = ("The foreign ministers met in the capital on Tuesday to discuss the grain corridor, "
         "the talks lasting well into the evening. Officials said a further round was planned "
         "for next month, and that both delegations had agreed on a joint statement. ")


def _page(title: str, free: str | None) -> str:
    marked = ("" if free is None else "<script type='application/ld+json'>{\"@type\": "
              f"\"NewsArticle\", \"headline\": \"{title}\", \"isAccessibleForFree\": "
              f"{free}}}</script>")
    return (f"<html><head><title>{title}</title>{marked}</head><body><article><h1>{title}</h1>"
            f"<p>{title}: {STORY}</p><p>{STORY}</p></article></body></html>")


def test_migration_0019_is_numbered_without_gaps() -> None:
    assert (19, "paywalled") in {(m.version, m.name) for m in migrations()}


def test_an_article_stores_whether_its_publisher_marks_it_free(
    tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, free in (("paid", "false"), ("free", '"True"'), ("unsaid", None)):
        (folder / f"{name}.html").write_text(_page(name.title(), free), encoding="utf-8")
    done = run_cycle(Settings(db=db_path), [folder], "ingest")
    assert done.added == 3
    stored = Warehouse(db_path).query("SELECT title, paywalled FROM articles ORDER BY title")
    assert stored.rows == [("Free", False), ("Paid", True), ("Unsaid", None)]
