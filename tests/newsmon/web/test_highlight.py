"""Evidence spans cut an article into plain and highlighted runs."""

from __future__ import annotations

from newsmon.web.highlight import Run, evidence_spans, runs


def test_overlapping_spans_of_two_topics_become_runs_with_both_topics() -> None:
    text = "Kim traf Putin zum Waffengeschäft in Wladiwostok."
    evidence = {
        "arms_trade": [{"term": "waffengeschäft*", "start": 19, "end": 33, "field": "text"}],
        "diplomacy": [{"term": "traf putin", "start": 4, "end": 14, "field": "text"},
                      {"term": "putin zum", "start": 9, "end": 18, "field": "text"}],
    }
    got = runs(text, evidence_spans(evidence, "text", len(text)))
    assert "".join(r.text for r in got) == text
    marked = [(r.text, r.topics) for r in got if r.topics]
    assert marked == [("traf ", ("diplomacy",)), ("Putin", ("diplomacy",)),
                      (" zum", ("diplomacy",)), ("Waffengeschäft", ("arms_trade",))]
    putin = next(r for r in got if r.text == "Putin")
    assert putin.terms == ("putin zum", "traf putin")


def test_spans_of_another_field_or_outside_the_text_are_dropped() -> None:
    text = "Sanktionen gegen Nordkorea"
    evidence = {"sanctions": [
        {"term": "sanktion*", "start": 0, "end": 10, "field": "title"},
        {"term": "sanktion*", "start": 0, "end": 10, "field": "text"},
        {"term": "stale", "start": 20, "end": 90, "field": "text"},
        {"term": "broken", "start": "0", "end": 4, "field": "text"},
        {"term": "empty", "start": 5, "end": 5, "field": "text"},
    ]}
    spans = evidence_spans(evidence, "text", len(text))
    assert [(s.start, s.end, s.term) for s in spans] == [(0, 10, "sanktion*")]
    assert runs(text, spans) == [Run("Sanktionen", ("sanctions",), ("sanktion*",)),
                                 Run(" gegen Nordkorea")]


def test_text_without_evidence_is_one_plain_run() -> None:
    assert runs("plain text", []) == [Run("plain text")]
    assert runs("", []) == []


def test_an_entity_inside_a_topic_term_is_a_run_of_both() -> None:
    text = "Kim traf Putin in Wladiwostok."
    topics = {"diplomacy": [{"term": "traf putin", "start": 4, "end": 14, "field": "text"}]}
    entities = {"vladimir_putin": [{"term": "putin", "start": 9, "end": 14, "field": "text"}],
                "vladivostok": [{"term": "wladiwostok", "start": 18, "end": 29,
                                 "field": "text"}],
                "kim_jong_un": [{"term": "kim", "start": 0, "end": 3, "field": "title"},
                                "not a mention"]}
    got = runs(text, [*evidence_spans(topics, "text", len(text)),
                      *evidence_spans(entities, "text", len(text), entity=True)])
    assert "".join(r.text for r in got) == text
    assert [(r.text, r.topics, r.entities, r.aliases) for r in got if not r.plain] == [
        ("traf ", ("diplomacy",), (), ()),
        ("Putin", ("diplomacy",), ("vladimir_putin",), ("putin",)),
        ("Wladiwostok", (), ("vladivostok",), ("wladiwostok",))]
    assert got[0] == Run("Kim ")  # the title's mention stays in the title
