"""Which worker reads what: feeds spread over the workers of one shared lake.

With several `newsmon serve` workers writing one PostgreSQL lake, each is started with
``NEWSMON_SHARD=K/N`` (worker K of N, counted from 0; validated with the settings and
read as ``Settings.worker``). A feed belongs to the worker its URL hashes to, so in
every cycle each feed is polled by exactly one worker, and the same one from cycle to
cycle (its polling state and conditional GETs stay meaningful): configured feeds and
those the OPML lists in the folders name alike. The folders' other files are read by
worker 0 alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shard:
    index: int = 0
    count: int = 1

    @classmethod
    def parse(cls, text: str | None) -> Shard:
        """``"K/N"`` (None: the only worker); ValueError for anything else."""
        if text is None:
            return cls()
        k, slash, n = text.partition("/")
        if not (slash and k.strip().isdigit() and n.strip().isdigit()):
            raise ValueError(f"{text!r} is not K/N (e.g. 0/2)")
        shard = cls(int(k), int(n))
        if not 0 <= shard.index < shard.count:
            raise ValueError(f"{text!r}: K must be 0 to N-1")
        return shard

    @property
    def reads_folders(self) -> bool:
        return self.index == 0

    def owns(self, key: str) -> bool:
        """Whether this worker handles ``key`` (a feed URL): a stable hash, not Python's."""
        if self.count == 1:
            return True
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
