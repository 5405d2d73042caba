"""Tracked entities: where each is mentioned, and a floor under their precision on the
judged samples of ``bench/labels/entity-tags.jsonl`` (``python -m bench.tagging``)."""

from __future__ import annotations

from pathlib import Path

from evaluation.entities import precision, read_judged
from newsmon.tagging import load_tagger

#: measured when the floor was set: first sample 0.957 (tuned on), second 0.980
#: (0.97 as drawn and judged, before the three Washington exclusions it showed)
FLOORS = {"first": 0.93, "second": 0.95}


def test_mentions_point_at_the_words_and_skip_names_that_mean_something_else() -> None:
    text = ("Putin empfing Kim Jong-un in Wladiwostok. Die Washington Post berichtete, "
            "Washington sehe das Treffen mit Sorge.")
    mentions = load_tagger().entity_mentions(text, "de")
    found = [(entity, text[start:end]) for entity, start, end in mentions]
    assert ("vladimir_putin", "Putin") in found
    assert ("kim_jong_un", "Kim Jong-un") in found
    assert ("vladivostok", "Wladiwostok") in found
    # the newspaper is excluded, the capital two words later is not
    assert [span for entity, span in found if entity == "washington"] == ["Washington"]
    assert text.index("Washington sehe") in [s for e, s, _ in mentions if e == "washington"]


def test_entity_precision_on_the_judged_samples(shared: Path) -> None:
    judged = read_judged()
    tagger = load_tagger()
    for sample, floor in FLOORS.items():
        members = [j for j in judged if j.sample == sample]
        assert len(members) == 100
        found = precision(tagger, members, shared)
        assert found.kept >= 90, f"{sample}: only {found.kept} judged tags still produced"
        assert found.value >= floor, f"{sample}: precision {found.value:.3f}"
