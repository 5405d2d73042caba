"""What the tests and the benchmarks both use to judge newsmon: the labelled documents and
their committed split, the extraction and tagging scorers, and a loopback feed server.

Not installed with newsmon (it reads ../shared and bench/labels); the tests import it for
their quality floors, ``bench/`` for its full reports, and neither imports the other.
"""

import gzip
import os
from pathlib import Path

#: The repository, ``../shared`` beside it with its corpora, and the labels committed here.
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
LABELS = ROOT / "bench" / "labels"

#: The user's cache folder: the tests and the benchmarks keep what they rebuild slowly
#: there, under a name of their own and keyed by the installed versions.
USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def gunzipped(raw: bytes) -> bytes:
    """A saved page's bytes, unpacked when the corpus keeps it gzipped (some do, some not)."""
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def checkout_file(root: Path, name: str, variable: str) -> Path:
    """The file ``name`` in the checkout folder ``root`` that ``variable`` named; a folder
    without it stops the run with a line naming both."""
    path = root / name
    if not path.is_file():
        raise SystemExit(f"{variable}={root}: no {name} in it")
    return path
