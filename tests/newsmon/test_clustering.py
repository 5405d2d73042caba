"""Near-duplicate clusters on the real seeds, and on text in scripts without spaces."""

from __future__ import annotations

import re

import numpy as np
import pytest

from extractors.plaintext import parse_plain_text
from newsmon import clustering
from newsmon.clustering import NUM_PERM, ClusterIndex, lsh_bands, shingle_hashes, signature
from tests.conftest import SEEDS


def _texts() -> list[str]:
    return [
        parse_plain_text(p.read_text(encoding="utf-8")).text for p in sorted(SEEDS.glob("*.txt"))
    ]


def test_seeds_are_five_clusters_even_000_and_003_which_share_background() -> None:
    texts = _texts()
    a, b = set(shingle_hashes(texts[0]).tolist()), set(shingle_hashes(texts[3]).tolist())
    assert 0 < len(a & b) / min(len(a), len(b)) < 0.2  # they do share some sentences
    index = ClusterIndex(threshold=0.5)
    clusters = [index.assign(i, signature(t)) for i, t in enumerate(texts)]
    assert clusters == [0, 1, 2, 3, 4]


def test_light_edit_joins_its_original_cluster_and_survives_a_restart() -> None:
    texts = _texts()
    paragraphs = texts[2].split("\n\n")
    edited = "\n\n".join(["Von dpa", *paragraphs[:-1]])  # another source line, last paragraph cut
    index = ClusterIndex(threshold=0.5)
    for i, t in enumerate(texts):
        index.assign(100 + i, signature(t))
    assert index.assign(999, signature(edited)) == 102
    # a new index loaded from stored signatures gives the same answer
    reloaded = ClusterIndex(threshold=0.5)
    for i, t in enumerate(texts):
        reloaded.add(100 + i, 100 + i, signature(t))
    assert reloaded.assign(998, signature(edited)) == 102


JAPANESE = ["北朝鮮の金正恩総書記は十三日、ロシア極東の宇宙基地でプーチン大統領と会談した。",
            "両首脳は軍事協力や宇宙開発について話し合ったとみられる。", "会談は約四時間に及んだ。",
            "日本政府は武器取引の可能性を警戒している。", "米国と韓国も懸念を示した。",
            "金総書記は装甲列車でロシア入りした。", "ロシア側は歓迎式典を開いた。"]


def test_a_lightly_edited_japanese_copy_joins_its_original_cluster() -> None:
    """A Japanese sentence has no spaces: split at \\w+ it was one "word", and two changed
    characters left no shingle in common (similarity 0.0)."""
    original = "".join(JAPANESE)
    edited = original.replace("十三日", "13日").replace("警戒している", "警戒する")
    weather = "東京の天気は晴れで、気温は二十五度まで上がる見込みです。週末は雨の予報です。" * 3
    index = ClusterIndex(threshold=0.5)
    assert index.assign(1, signature(original)) == 1
    assert index.assign(2, signature(weather)) == 2
    assert index.assign(3, signature(edited)) == 1


def test_signatures_of_text_without_unspaced_scripts_are_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Stored signatures keep their scheme: only text with such characters splits anew."""
    texts = _texts()
    now = [signature(t) for t in texts]
    japanese_now = signature("".join(JAPANESE))
    for name in ("_WORD", "_PLAIN_WORD"):  # the split before, whatever the text
        monkeypatch.setattr(clustering, name, re.compile(r"\w+"))
    assert [signature(t) for t in texts] == now
    assert signature("".join(JAPANESE)) != japanese_now


def _signature_like(base: np.ndarray, same_bands: int) -> bytes:
    """A signature equal to ``base`` in its first ``same_bands`` LSH bands, apart after."""
    other = base.copy()
    _bands, rows = lsh_bands(0.5)
    other[same_bands * rows:] += np.uint32(1)
    return other.tobytes()


def test_the_most_similar_candidate_gives_the_cluster_the_lowest_id_among_equals() -> None:
    base = np.arange(NUM_PERM, dtype=np.uint32) * np.uint32(7919)
    index = ClusterIndex(threshold=0.5)
    index.add(10, 10, _signature_like(base, 14))  # 70 of 128 minima equal
    index.add(30, 30, _signature_like(base, 20))  # 100: the best, and the lowest id of two
    index.add(20, 20, _signature_like(base, 18))
    index.add(40, 40, _signature_like(base, 20))
    index.add(50, 50, _signature_like(base, 4))  # shares a band, 20 minima: below 0.5
    assert index.assign(99, base.tobytes()) == 30
    alone = ClusterIndex(threshold=0.5)
    alone.add(50, 50, _signature_like(base, 4))
    assert alone.assign(99, base.tobytes()) == 99  # a candidate under the threshold: its own


def test_a_flood_of_near_identical_pages_is_one_cluster_with_bounded_buckets(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A site's template pages (or one wire text) by the thousand: each new one is compared
    with the newest few of its buckets, not all before it (quadratic: 4,000 of them took
    8.6 s to cluster, 60,000 half an hour by the curve; bench/warehouse.py has the ratio), and they
    still make one cluster; an original pushed out of its buckets is found through them."""
    monkeypatch.setattr(clustering, "BUCKET_KEEP", 4)
    body = " ".join(f"Paragraph {k}: the council debated the harbour plan again on Monday, "
                    "and residents of the old quarter asked for more time." for k in range(6))
    index = ClusterIndex(threshold=0.5)
    clusters = {index.assign(n, signature(f"Story {n}. {body} Filed as {n}.")) for n in range(60)}
    assert clusters == {0}
    assert max(map(len, index._buckets.values())) <= 2 * 4  # the newest 4 of them compared
    assert index.assign(60, signature(f"Story 0. {body} Filed as 0, corrected.")) == 0
    assert index.assign(61, signature(" ".join(_texts()))) == 61


def test_articles_a_run_starts_with_answer_as_those_it_adds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored articles load into numpy arrays, the run's own go into dicts: a new
    article finds the same cluster either way, a bucket offering its newest articles (the
    run's before the loaded ones), and an article loaded is known by its id."""
    monkeypatch.setattr(clustering, "BUCKET_KEEP", 4)
    body = " ".join(f"Paragraph {k}: the council debated the harbour plan again on Monday, "
                    "and residents of the old quarter asked for more time." for k in range(6))
    texts = [*_texts(), *(f"Story {n}. {body} Filed as {n}." for n in range(20))]
    signatures = [signature(t) for t in texts]
    first = ClusterIndex(threshold=0.5)
    clusters = [first.assign(i, s) for i, s in enumerate(signatures)]
    assert clusters == [0, 1, 2, 3, 4] + [5] * 20  # the seeds, then one flood
    added, loaded = ClusterIndex(threshold=0.5), ClusterIndex(threshold=0.5)
    for i, (c, s) in enumerate(zip(clusters, signatures, strict=True)):
        added.add(i, c, s)
    loaded.load(list(range(len(texts))), clusters, signatures)
    assert len(loaded) == len(added) == 25
    edited = "\n\n".join(["Von dpa", *_texts()[2].split("\n\n")[:-1]])
    for index in (added, loaded):
        assert index.assign(10, signature("anything")) == 5  # known by its id: its cluster
        assert index.assign(100, signature(edited)) == 2
        assert index.assign(101, signature(f"Story 0. {body} Filed as 0, corrected.")) == 5
        assert index.assign(102, signature(f"Story 99. {body} Filed as 99.")) == 5
        assert index.assign(103, signature("A text of its own about nothing else.")) == 103
    assert len(loaded) == 29
