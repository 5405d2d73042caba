"""The Python twins of trafilatura's costliest XPath expressions answer as the expressions do."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import html as lxml_html

from extractors import html
from extractors.xpath_twins import TWINS, match

EDGE_CASES = b"""<html><body>
<div style="color:red" id="hidden-box">style first, then id</div>
<div id="hidden-box" style="color:red">id first, then style</div>
<span class="reply-to" id="x">class first</span><span id="x" class="reply-to">id first</span>
<section role="Navigation">nav</section><p data-lp-replacement-content="">lp</p>
<div class="cookie-banner" id="main">cookie in class, id first</div>
<div id="main" class="cookie-banner">cookie in id's place</div>
<ol class="comments-list"><li>kept list</li></ol><ol class="comment-list"><li>c</li></ol>
<ul id="commentary"><li>commentary is no comment</li></ul><div id="Comments">c</div>
<aside class="infinite-scroll"><h1>headline inside</h1></aside>
<aside class="mvp-post-add-box"><h1>ad box</h1></aside><div class="infinite-scroll">x</div>
<p aria-hidden="true">h</p><p style="display: none">n</p><b class="date">d</b>
<a class="date">d</a><span data-component="FigureX">f</span><div class="title">t</div>
<span><rel>me</rel>rel as an element</span><span><rel>you</rel></span><author>A. Author</author>
<div><div class="post">first match of its parent</div><div class="entry">second: left out</div>
<section class="article-content">a third</section></div><main itemprop="articleBody">m</main>
<p id="page-bottom" class="x">bottom</p><p class="link more">link</p>
<span style="border:1px">b</span>
<aside class="elementor-share-buttons">s</aside>
<h4 class="posted-by">p</h4><em itemprop="author">i</em><i data-component="Byline">b</i>
</body></html>"""


def _pages(shared: Path) -> list[bytes]:
    corpora = shared / "corpora"
    paths = [*sorted((corpora / "extraction-benchmark/html").glob("*.html.gz"))[::4],
             *sorted((corpora / "trafilatura-eval").glob("*/*.html.gz"))[::15],
             *sorted((corpora / "fundus").rglob("*.html*"))[::4]]
    return [EDGE_CASES, *(gzip.decompress(p.read_bytes()) if p.suffix == ".gz"
                          else p.read_bytes() for p in paths)]


def test_every_twin_stands_in_for_the_trafilatura_expression_it_was_written_for() -> None:
    assert tuple(f"{t.where[0]}[{t.where[1]}]" for t in TWINS) == html.TWINNED


def test_each_twin_finds_the_elements_its_expression_finds_in_the_same_order(
    shared: Path,
) -> None:
    from trafilatura import xpaths

    trees = [html.load_html(raw) for raw in _pages(shared)]
    assert len(trees) > 150 and all(tree is not None for tree in trees)
    for name in html.TWINNED:
        list_name, index = name[:-3], int(name[-2])
        either = getattr(xpaths, list_name)[index]
        found = 0
        for tree in trees:  # the twins only read the tree
            expected = either.xpath(tree)
            assert either.twin(tree) == expected, name
            found += len(expected)
        assert found > 0, name  # the pages exercise it


def test_twins_answer_inside_newsmons_extraction_only() -> None:
    from trafilatura import xpaths

    either = xpaths.OVERALL_DISCARD_XPATH[1]
    tree = lxml_html.fromstring(EDGE_CASES)
    calls: list[object] = []
    twin = either.twin
    try:
        either.twin = lambda t: calls.append(t) or twin(t)
        outside = either(tree)
        assert calls == []  # any other caller gets trafilatura's own expression
        with html._as_newsmon():
            inside = either(tree)
        assert calls == [tree] and inside == outside
    finally:
        either.twin = twin


@pytest.mark.parametrize("changed", [
    ".//*[self::div or self::span][re:test(@id, 'x') or re:test(@class, 'y')]",  # a tag more
    ".//*[self::div][re:test(@id, 'x') and re:test(@class, 'y')]",  # and, not or
    ".//*[self::div][re:test(@id, 'x') or re:test(@class, 'y', 'i')]",  # a flag
])
def test_a_changed_expression_gets_no_twin(changed: str) -> None:
    template = ".//*[self::div][re:test(@id, '{}') or re:test(@class, '{}')]"
    assert match(template, "  .//*[ self::div ][\n re:test(@id, 'x') or re:test(@class, 'y')]"
                 ) == ["x", "y"]  # whitespace aside, the same expression
    assert match(template, changed) is None
