"""Pages that ship the article as data: escaped markup in a script, or a JSON-LD body."""

from __future__ import annotations

import json

import pytest

from extractors.embedded import MIN_BODY_CHARS, article_body, script_markup
from extractors.html import extract_page
from newsmon.core.errors import RejectedInput

PARAGRAPHS = [
    "The council approved the harbour plan on Tuesday after a debate of four hours.",
    "Opponents said the cost of the new quay walls had doubled since the first estimate.",
    "The mayor promised that work would start in spring and end before the next election.",
]


def flight(paragraphs: list[str]) -> str:
    """A Next.js flight-data script: the article's markup as an escaped string literal."""
    markup = "".join(f"<p class='body'>{p}</p>" for p in paragraphs)
    escaped = json.dumps(f"4:T{len(markup)},{markup}").replace("<", "\\u003c").replace(
        ">", "\\u003e")
    return f"self.__next_f.push([1,{escaped}])"


def page(head: str = "", scripts: tuple[str, ...] = ()) -> str:
    tags = "".join(f"<script>{s}</script>" for s in scripts)
    return (f"<html><head><title>Harbour plan approved</title>{head}</head>"
            f"<body><div id='root'></div>{tags}</body></html>")


def test_escaped_paragraph_markup_in_scripts_is_read_once_in_page_order() -> None:
    script = flight(PARAGRAPHS)
    markup = script_markup(["var x = 1;", script, script])  # shipped twice, kept once
    assert markup is not None and markup.count("<p") == 3
    assert markup.index("council") < markup.index("Opponents") < markup.index("mayor")


def test_a_caption_or_a_teaser_is_not_an_article() -> None:
    assert script_markup([flight(PARAGRAPHS[:2])]) is None
    assert script_markup(['var s = "\\x3cp\\x3e not JSON";', "plain()"]) is None


def test_a_page_rendered_in_the_browser_still_gives_its_article() -> None:
    found = extract_page(page(scripts=(flight(PARAGRAPHS * 2),)),
                         url="https://news.example/2026/03/04/harbour")
    assert "quay walls had doubled" in found.text
    assert "__next_f" not in found.text and "<p" not in found.text
    assert found.title == "Harbour plan approved"


def apollo_state(*stories: list[str]) -> str:
    """An Apollo state holding each story as a JSON element tree (htmlparser2's shape),
    with a link and an embed inside the first paragraph."""
    def paragraph(text: str) -> dict[str, object]:
        head, _, tail = text.partition(" ")
        return {"type": "p", "children": [
            {"type": "a", "attribs": {"href": "/x"}, "children": [{"type": "text", "data": head}]},
            {"type": "text", "data": " " + tail},
            {"type": "widget", "children": [{"type": "script", "children": [
                {"type": "text", "data": "track(1)"}]}]}]}
    state = {f"Article:{i}": {"body": {"type": "json", "json": [
        {"type": "img", "attribs": {"src": "/a.jpg"}}, *map(paragraph, story)]}}
        for i, story in enumerate(stories)}
    return "window.__APOLLO_STATE__=" + json.dumps(state) + ";"


RELATED = [
    "Rail fares rise again in the spring as the operator cites energy costs and wages.",
    "Commuters' groups called the rise unfair after two years of late and cancelled trains.",
    "The operator said the money would pay for new carriages on the coastal line.",
]


def test_of_the_stories_a_state_holds_as_element_trees_the_headlines_is_read() -> None:
    markup = script_markup([apollo_state(RELATED, PARAGRAPHS)], "Council approves harbour plan")
    assert markup is not None and markup.count("<p>") == 3
    assert "quay walls" in markup and "fares rise" not in markup
    assert '<a>The</a> council approved' in markup and "widget" not in markup
    assert "track(1)" not in markup
    first = script_markup([apollo_state(RELATED, PARAGRAPHS)])  # no headline: the first
    assert first is not None and "fares rise" in first and "quay walls" not in first
    found = extract_page(page(scripts=(apollo_state(RELATED, PARAGRAPHS * 2),)))
    assert "quay walls had doubled" in found.text and "fares rise" not in found.text
    both = script_markup([flight(PARAGRAPHS), apollo_state(PARAGRAPHS)], "Harbour plan")
    assert both is not None and both.count("quay walls") == 1  # one copy of the story


def test_a_jsonld_article_body_is_the_last_resort() -> None:
    body = " ".join(PARAGRAPHS * 2)
    head = ("<script type='application/ld+json'>"
            + json.dumps({"@type": "NewsArticle", "articleBody": body}) + "</script>")
    assert extract_page(page(head)).text == body
    assert article_body([{"articleBody": "A teaser."}]) is None
    assert len(body) >= MIN_BODY_CHARS


def test_a_page_with_no_article_anywhere_is_still_rejected() -> None:
    with pytest.raises(RejectedInput, match="no_content"):
        extract_page(page(scripts=("window.config = {a: 1};",)))
