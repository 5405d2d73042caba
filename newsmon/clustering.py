"""Near-duplicate story clusters with MinHash and banded LSH, in numpy.

Wire copy is republished with light edits (another headline, a sentence cut, a
different source line). Counting every copy would turn one agency text into a
"spike", so each article gets the ``cluster_id`` of the earliest article whose text
it nearly repeats. Similarity is the Jaccard index of 5-word shingles, estimated by
MinHash and looked up with banded LSH, so a new article is compared with its few
likely matches instead of every stored text. A band's bucket keeps its newest
:data:`BUCKET_KEEP` articles: in a flood of near-identical pages (a site's thousands of
template pages, one wire text a thousand times) every bucket holds them all, and each new
one compared with every one before it made loading quadratic (4,000 such pages 8.6 s,
60,000 half an hour); the newest of them lead to the same cluster.

Everything per shingle is vectorised: each word is hashed in C (CRC-32), a shingle's
hash combines its five word hashes, and the 128 permutations are one numpy expression
(multiply-shift hashing). The scheme is versioned (:data:`SCHEME`) because stored
signatures carry no trace of how they were made; signatures of another scheme are
recomputed from their article's text when the index loads.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np

from newsmon.core.scripts import UNSPACED

NUM_PERM = 128
SHINGLE_WORDS = 5
#: Stored with every signature (``article_signatures.scheme``).
SCHEME = "crc32-ms128-v1"
#: Articles a band's bucket keeps (the newest): at most bands x this many are compared.
BUCKET_KEEP = 32
_MASK32 = np.uint64(0xFFFFFFFF)
#: Words, and each character of a script written without spaces on its own: a Japanese
#: sentence would otherwise be one "word", and one changed character would change every
#: shingle it is in (two small edits made two copies of an article 0.0 alike, not ~0.7).
#: Text without such characters splits as plain ``\w+``, so its signatures are the same
#: as before this rule (2026-12-04) and the scheme name stayed: recomputing every stored
#: row for the few with such text would cost each cycle. The price: an exact copy of such
#: an article stored before the rule is not clustered with it (near copies never were).
_WORD = re.compile(f"[{UNSPACED}]|(?:(?![{UNSPACED}])\\w)+")
_PLAIN_WORD = re.compile(r"\w+")  # the same split, twice as fast, for text without them
_ANY_UNSPACED = re.compile(f"[{UNSPACED}]")
# Fixed hash functions (multiply-shift: odd a, any b, 64-bit wrap-around, top 32 bits) and
# per-position word multipliers: part of the scheme.
_RNG = np.random.RandomState(20261202)
_A = _RNG.randint(0, np.iinfo(np.int64).max, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_A |= np.uint64(1)
_B = _RNG.randint(0, np.iinfo(np.int64).max, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_SHIFT = np.uint64(32)
_POSITION = (_RNG.randint(1, 1 << 31, size=SHINGLE_WORDS, dtype=np.uint64) << np.uint64(1)) | 1
# An LSH bucket's key: its band's minima mixed into one 64-bit number, with multipliers
# that differ by position so that equal minima in two bands are two keys. Not part of the
# scheme (the index is rebuilt from signatures each run); a collision only adds a
# candidate, which is then scored like any other.
_BAND_MIX = (np.random.RandomState(20261207).randint(
    1, np.iinfo(np.int64).max, size=NUM_PERM, dtype=np.int64).astype(np.uint64) << np.uint64(1)
    ) | np.uint64(1)


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the text's 5-word shingles (one for a shorter text)."""
    folded = text.casefold()
    split = _WORD if _ANY_UNSPACED.search(folded) else _PLAIN_WORD
    words = split.findall(folded) or [""]
    word_hash = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64,
                            count=len(words))
    n = max(len(words) - SHINGLE_WORDS + 1, 1)
    combined = np.zeros(n, dtype=np.uint64)
    for k in range(min(SHINGLE_WORDS, len(words))):
        combined = combined * _POSITION[k] + word_hash[k : k + n]
    return np.unique(combined & _MASK32)


def signature(text: str) -> bytes:
    """The text's MinHash: NUM_PERM unsigned 32-bit minima, as bytes."""
    hashes = shingle_hashes(text)
    permuted = (np.outer(_A, hashes) + _B[:, None]) >> _SHIFT
    return bytes(permuted.min(axis=1).astype(np.uint32).tobytes())


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) whose S-curve best separates pairs above ``threshold`` from those
    below, false positives and false negatives weighed equally (as datasketch, which this
    module replaced, chose them)."""
    grid = np.linspace(0.0, 1.0, 1001)
    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            caught = 1.0 - (1.0 - grid**rows) ** bands
            below, above = grid <= threshold, grid >= threshold
            error = np.trapezoid(caught[below], grid[below]) + np.trapezoid(
                1.0 - caught[above], grid[above]
            )
            if best is None or error < best[0]:
                best = (float(error), bands, rows)
    assert best is not None
    return best[1], best[2]


class ClusterIndex:
    """Assigns cluster ids; holds the signatures of recent articles in an LSH index."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.bands, self.rows = lsh_bands(threshold)
        # bucket key -> its articles, oldest first; trimmed to the newest BUCKET_KEEP
        # once twice as long (a list of one costs a tenth of a bounded deque, and every
        # article has a bucket of its own in most bands)
        self._buckets: dict[int, list[int]] = {}
        self._members: dict[int, tuple[int, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._members)

    def _insert(self, article_id: int, cluster_id: int, values: np.ndarray) -> None:
        self._members[article_id] = (cluster_id, values)
        for key in self._keys(values):
            bucket = self._buckets.get(key)
            if bucket is None:
                self._buckets[key] = [article_id]
            else:
                bucket.append(article_id)
                if len(bucket) > 2 * BUCKET_KEEP:
                    del bucket[:-BUCKET_KEEP]

    def _keys(self, values: np.ndarray) -> list[int]:
        used = self.bands * self.rows
        mixed = values[:used].astype(np.uint64) * _BAND_MIX[:used]  # wraps around, as meant
        keys: list[int] = mixed.reshape(self.bands, self.rows).sum(axis=1, dtype=np.uint64).tolist()
        return keys

    def add(self, article_id: int, cluster_id: int, sig: bytes) -> None:
        if article_id not in self._members:
            self._insert(article_id, cluster_id, np.frombuffer(sig, dtype=np.uint32))

    def assign(self, article_id: int, sig: bytes) -> int:
        """The cluster of the most similar known article above the threshold, else a new one.

        The article is added to the index so later articles in the same run can join it.
        """
        if article_id in self._members:
            return self._members[article_id][0]
        values = np.frombuffer(sig, dtype=np.uint32)
        candidates = {
            other
            for key in self._keys(values)
            for other in self._buckets.get(key, ())[-BUCKET_KEEP:]
        }
        cluster_id = article_id
        if candidates:
            ordered = sorted(candidates)
            # the estimated Jaccard index of each is its share of equal minima
            equal = np.count_nonzero(
                np.stack([self._members[c][1] for c in ordered]) == values, axis=1)
            first_best = int(np.argmax(equal))  # the lowest id among equals, as ever
            if float(equal[first_best]) / NUM_PERM >= self.threshold:
                cluster_id = self._members[ordered[first_best]][0]
        self._insert(article_id, cluster_id, values)
        return cluster_id

