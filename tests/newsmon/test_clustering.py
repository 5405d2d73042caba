"""Near-duplicate clusters on the real seeds."""

from __future__ import annotations

from extractors.plaintext import parse_plain_text
from newsmon.clustering import ClusterIndex, shingle_hashes, signature
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
