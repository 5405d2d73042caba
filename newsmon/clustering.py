"""Near-duplicate story clusters with MinHash/LSH (wraps datasketch).

Wire copy is republished with light edits (another headline, a sentence cut, a
different source line). Counting every copy would turn one agency text into a
"spike", so each article gets the ``cluster_id`` of the earliest article whose text
it nearly repeats. Similarity is the Jaccard index of 5-word shingles, estimated by
MinHash and looked up with LSH, so a new article is compared with its few likely
matches instead of every stored text.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
_SEED = 1
# Pinned: hash values carry no trace of the scheme that made them, and stored
# signatures must stay comparable across datasketch upgrades.
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> bytes:
    """The text's MinHash as 4-byte unsigned values (the affine32 scheme's width)."""
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    mh.update_batch(list(shingles(text)))
    return np.asarray(mh.hashvalues, dtype=np.uint32).tobytes()


def _minhash(sig: bytes) -> LeanMinHash:
    values = np.frombuffer(sig, dtype=np.uint32)
    return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)


class ClusterIndex:
    """Assigns cluster ids; holds the signatures of recent articles in an LSH index."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._members: dict[int, tuple[int, LeanMinHash]] = {}

    def __len__(self) -> int:
        return len(self._members)

    def add(self, article_id: int, cluster_id: int, sig: bytes) -> None:
        if article_id in self._members:
            return
        mh = _minhash(sig)
        self._members[article_id] = (cluster_id, mh)
        self._lsh.insert(article_id, mh)

    def assign(self, article_id: int, sig: bytes) -> int:
        """The cluster of the most similar known article above the threshold, else a new one.

        The article is added to the index so later articles in the same run can join it.
        """
        if article_id in self._members:
            return self._members[article_id][0]
        mh = _minhash(sig)
        best: tuple[float, int] | None = None
        for candidate in self._lsh.query(mh):
            cluster_id, other = self._members[candidate]
            similarity = float(mh.jaccard(other))
            if similarity >= self.threshold and (best is None or similarity > best[0]):
                best = (similarity, cluster_id)
        cluster_id = best[1] if best else article_id
        self._members[article_id] = (cluster_id, mh)
        self._lsh.insert(article_id, mh)
        return cluster_id
