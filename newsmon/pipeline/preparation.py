"""What every extraction worker needs: its own module so that the parent process can hand
it to the workers without importing the extraction libraries itself."""

from __future__ import annotations

from dataclasses import dataclass

from newsmon.tagging import Tagger


@dataclass(frozen=True, slots=True)
class Preparation:
    """What every worker needs, sent once when it starts (not with every input)."""

    max_bytes: int
    min_words: int
    tagger: Tagger | None = None  # None: articles stay untagged until `newsmon retag`
