"""The "is this an article?" checks."""

from __future__ import annotations

import pytest

from extractors.quality import check_article_text
from newsmon.errors import RejectedInput
from newsmon.outcomes import RejectReason
from tests.conftest import SEEDS


def _reason(text: str, min_words: int = 40) -> RejectReason:
    with pytest.raises(RejectedInput) as info:
        check_article_text(text, min_words=min_words)
    return info.value.reason


def test_every_seed_passes() -> None:
    for path in SEEDS.glob("*.txt"):
        check_article_text(path.read_text(encoding="utf-8"), min_words=40)


def test_short_text_is_too_short() -> None:
    assert _reason("Nur ein kurzer Satz.") is RejectReason.TOO_SHORT


def test_numbers_csv_and_code_are_not_articles() -> None:
    csv_numbers = "\n".join(f"{i};{i * 3};{i * 7};{i * 11}" for i in range(200))
    code = "\n".join(f"def f{i}(x):\n    return {{'k': x[{i}]}} if x else None" for i in range(60))
    word_list = " ".join(["Waffen", "Sanktionen", "Satelliten", "Gipfel"] * 30)
    assert _reason(csv_numbers) is RejectReason.NOT_ARTICLE
    assert _reason(code) is RejectReason.NOT_ARTICLE
    assert _reason(word_list) is RejectReason.NOT_ARTICLE
