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
60,000 about half an hour by the curve); the newest of them lead to the same cluster.

Everything per shingle is vectorised: each word is hashed in C (CRC-32), a shingle's
hash combines its five word hashes, and the 128 permutations are one numpy expression
(multiply-shift hashing). The scheme is versioned (:data:`SCHEME`) because stored
signatures carry no trace of how they were made; signatures of another scheme are
recomputed from their article's text when the index loads.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
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


class _Stored:
    """The articles a run starts with, in numpy arrays: their signatures one matrix, and
    every band's bucket key of every article in one sorted array (keys of different bands
    differ, so one search finds all of an article's buckets). An article costs about 850
    bytes here, where a dict of lists per bucket cost 3,800, and the index of a large
    window loads in one vectorised pass instead of a Python loop per article."""

    def __init__(self, ids: np.ndarray, clusters: np.ndarray, values: np.ndarray,
                 bands: int, rows: int) -> None:
        self.ids, self.clusters, self.values = ids, clusters, values
        self.by_id = np.argsort(ids, kind="stable")
        keys = np.empty((len(ids), bands), dtype=np.uint64)
        for start in range(0, len(ids), _KEY_CHUNK):  # the products of a chunk at a time
            keys[start:start + _KEY_CHUNK] = band_keys(values[start:start + _KEY_CHUNK],
                                                       bands, rows)
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")  # equal keys stay in load order: oldest first
        self.keys = flat[order]
        self.key_rows = (order // bands).astype(np.int32)  # the article (row) of each key

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, article_id: int) -> int | None:
        at = int(np.searchsorted(self.ids, article_id, sorter=self.by_id))
        if at < len(self.ids) and self.ids[self.by_id[at]] == article_id:
            return int(self.by_id[at])
        return None

    def newest(self, keys: np.ndarray, wanted: Sequence[int]) -> np.ndarray:
        """The rows of the newest ``wanted[i]`` articles in the bucket of each ``keys[i]``."""
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        found = [self.key_rows[max(a, b - w):b] for a, b, w in zip(lo.tolist(), hi.tolist(), wanted,
                                                              strict=True) if b > a and w > 0]
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int32)


def band_keys(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Each band's bucket key of each signature (a row of ``values``): its minima mixed
    into one 64-bit number, by multipliers that differ by position."""
    used = bands * rows
    mixed = values[..., :used].astype(np.uint64) * _BAND_MIX[:used]  # wraps around, as meant
    keys: np.ndarray = mixed.reshape(*values.shape[:-1], bands, rows).sum(axis=-1,
                                                                          dtype=np.uint64)
    return keys


_KEY_CHUNK = 8192


class ClusterIndex:
    """Assigns cluster ids; holds the signatures of recent articles in an LSH index: those
    a run starts with in numpy arrays (:meth:`load`), those it adds in dicts."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.bands, self.rows = lsh_bands(threshold)
        self._stored = _Stored(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64),
                               np.empty((0, NUM_PERM), dtype=np.uint32), self.bands, self.rows)
        # bucket key -> the articles added since, oldest first; trimmed to the newest
        # BUCKET_KEEP once twice as long
        self._buckets: dict[int, list[int]] = {}
        self._members: dict[int, tuple[int, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self._stored) + len(self._members)

    def load(self, ids: Sequence[int], clusters: Sequence[int],
             signatures: Sequence[bytes]) -> None:
        """Start from these articles (oldest first), replacing any loaded before."""
        values = np.frombuffer(b"".join(signatures), dtype=np.uint32).reshape(-1, NUM_PERM)
        self._stored = _Stored(np.asarray(ids, dtype=np.int64),
                               np.asarray(clusters, dtype=np.int64), values,
                               self.bands, self.rows)

    def _insert(self, article_id: int, cluster_id: int, values: np.ndarray) -> None:
        self._members[article_id] = (cluster_id, values)
        for key in band_keys(values, self.bands, self.rows).tolist():
            bucket = self._buckets.get(key)
            if bucket is None:
                self._buckets[key] = [article_id]
            else:
                bucket.append(article_id)
                if len(bucket) > 2 * BUCKET_KEEP:
                    del bucket[:-BUCKET_KEEP]

    def _cluster_of(self, article_id: int) -> int | None:
        member = self._members.get(article_id)
        if member is not None:
            return member[0]
        row = self._stored.row_of(article_id)
        return None if row is None else int(self._stored.clusters[row])

    def similarity(self, article_id: int, sig: bytes) -> float | None:
        """The estimated Jaccard index of a known article's text and ``sig``'s; None when
        the article is not in the index (older than its window)."""
        member = self._members.get(article_id)
        if member is not None:
            known = member[1]
        else:
            row = self._stored.row_of(article_id)
            if row is None:
                return None
            known = self._stored.values[row]
        equal = np.count_nonzero(known == np.frombuffer(sig, dtype=np.uint32))
        return float(equal) / NUM_PERM

    def add(self, article_id: int, cluster_id: int, sig: bytes) -> None:
        if self._cluster_of(article_id) is None:
            self._insert(article_id, cluster_id, np.frombuffer(sig, dtype=np.uint32))

    def assign(self, article_id: int, sig: bytes) -> int:
        """The cluster of the most similar known article above the threshold, else a new one.

        Each bucket offers its newest :data:`BUCKET_KEEP` articles, those added since the
        load before those loaded. The article is added to the index so later articles in
        the same run can join it.
        """
        known = self._cluster_of(article_id)
        if known is not None:
            return known
        values = np.frombuffer(sig, dtype=np.uint32)
        keys = band_keys(values, self.bands, self.rows)
        added: set[int] = set()
        wanted = []
        for key in keys.tolist():
            newest = self._buckets.get(key, [])[-BUCKET_KEEP:]
            added.update(newest)
            wanted.append(BUCKET_KEEP - len(newest))
        rows = self._stored.newest(keys, wanted)
        # every candidate's id, cluster and signature: the loaded ones, then the added
        run_ids = sorted(added)
        ids = self._stored.ids[rows].tolist() + run_ids
        clusters = self._stored.clusters[rows].tolist() + [self._members[a][0] for a in run_ids]
        cluster_id = article_id
        if ids:
            others = np.concatenate([self._stored.values[rows],
                                     np.array([self._members[a][1] for a in run_ids],
                                              dtype=np.uint32).reshape(-1, NUM_PERM)])
            # the estimated Jaccard index of each is its share of equal minima
            equal = np.count_nonzero(others == values, axis=1)
            best = int(np.lexsort((np.array(ids), -equal))[0])  # the most equal, lowest id
            if float(equal[best]) / NUM_PERM >= self.threshold:
                cluster_id = clusters[best]
        self._insert(article_id, cluster_id, values)
        return cluster_id
