"""The filters search, stories, export, review and the web share, on a real warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.analysis.selection import (
    NO_SOURCE,
    Selection,
    language_code,
    selected_ids,
    stored_sources,
)
from newsmon.core.errors import InputError
from newsmon.core.settings import Settings
from tests.conftest import SEEDS
from warehouse import Warehouse


def test_a_language_is_its_two_letter_code_in_any_case() -> None:
    assert [language_code(c, "--lang") for c in ("de", "DE", " En ")] == ["de", "de", "en"]
    for name in ("German", "deu", "d", "", "d3", "ру"):
        with pytest.raises(InputError, match=r"^--lang .*: not a two-letter ISO 639-1 code"):
            language_code(name, "--lang")


def test_sources_in_any_case_and_articles_without_one(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    warehouse = Warehouse(db)
    named = {int(r[0]) for r in warehouse.query(
        "SELECT article_id FROM articles WHERE source = 'Euronews'").rows}
    unnamed = {int(r[0]) for r in warehouse.query(
        "SELECT article_id FROM articles WHERE coalesce(source, '') = ''").rows}
    assert len(named) == 1 and len(unnamed) == 4
    for given in (["Euronews"], ["EURONEWS"], ["euronews", "Nobody"]):
        assert set(selected_ids(warehouse, Selection(sources=given)) or ()) == named
        assert stored_sources(warehouse, given) == ["Euronews"]
    assert set(selected_ids(warehouse, Selection(sources=[NO_SOURCE])) or ()) == unnamed
    assert set(selected_ids(warehouse, Selection(sources=[NO_SOURCE, "euronews"])) or ()) \
        == named | unnamed
    assert stored_sources(warehouse, [NO_SOURCE]) == [""]  # the search index's empty name
    assert selected_ids(warehouse, Selection(sources=["Euronew"])) == []
