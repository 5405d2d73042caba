"""The news pages fundus's tests held once and have since replaced, read from its history.

fundus (flairNLP/fundus) tests each publisher's parser on a saved page and the article it
expects there; when a parser changes, a newer page often replaces the old one. Its git
history so keeps pages of 2023-2026 that no checkout of today holds, each with the article
fundus expected at the time (``<Publisher>.json``: one entry per parser version, the k-th
page by date being the k-th version's, as in
:func:`evaluation.metadata_pages.fundus_unshared_pages`) and its URL (``meta.info``).
``FUNDUS_GIT`` names a git directory of fundus with its history (a clone's ``.git`` or a
bare mirror); without it these pages are left out (CI has none). A page is named by its
blob, so any clone finds the same one.

Left out: pages the test data still holds (the same blob, or the same URL under a newer
name), and pages whose expected article or URL cannot be told (early layouts without
versions or ``meta.info``, a JSON file that does not parse).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from evaluation import gunzipped

VARIABLE = "FUNDUS_GIT"
ID_PREFIX = "fundus-history/"
TEST_DATA = "tests/resources/parser/test_data"
_PAGE = re.compile(r"(?P<publisher>[^/]+?)(?:_\d{4}_\d{2}_\d{2})?\.html\.gz")
_VERSION = re.compile(r"V\d+(?:_\d+)*")


@dataclass(frozen=True)
class ReplacedPage:
    blob: str
    path: str  # where the page sat in the test data, e.g. de/Paper_2024_04_01.html.gz
    publisher: str
    url: str
    expected: dict[str, Any]  # the article fundus expected: title, publishing_date, authors

    @property
    def id(self) -> str:
        return ID_PREFIX + self.blob


def _run(git_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True,
                          check=False)


def _git(git_dir: Path, *args: str) -> bytes:
    """git's output; a folder git cannot read stops the run with a line naming it."""
    done = _run(git_dir, *args)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SystemExit(f"{VARIABLE}={git_dir}: not a git directory of fundus with its "
                         f"history ({reason[0] if reason else 'git failed'})")
    return done.stdout


def page_bytes(git_dir: Path, blob: str) -> bytes | None:
    """A page the history keeps, gunzipped; None when it holds no such blob."""
    if not re.fullmatch(r"[0-9a-f]{40}", blob):
        return None
    done = _run(git_dir, "cat-file", "blob", blob)
    return gunzipped(done.stdout) if done.returncode == 0 else None


def _tree(git_dir: Path, commit: str) -> dict[str, str]:
    """path (under the test data) -> blob, at one commit."""
    listed = _git(git_dir, "ls-tree", "-r", commit, TEST_DATA).decode("utf-8")
    tree = {}
    for line in listed.splitlines():
        meta, path = line.split("\t", 1)
        tree[path.removeprefix(TEST_DATA + "/")] = meta.split()[2]
    return tree


@cache  # a blob never changes, and each commit's tree names the same JSON files again
def _json(git_dir: Path, blob: str | None) -> Any:
    if blob is None:
        return None
    try:
        return json.loads(_git(git_dir, "cat-file", "blob", blob))
    except ValueError:
        return None


def _expected(git_dir: Path, tree: dict[str, str], path: str) -> tuple[str, dict[str, Any]] | None:
    """(publisher, expected article) of the page at ``path`` in ``tree``, or None."""
    folder, _, name = path.rpartition("/")
    match = _PAGE.fullmatch(name)
    if not match:
        return None
    publisher = match["publisher"]
    prefix = f"{folder}/" if folder else ""
    expected = _json(git_dir, tree.get(f"{prefix}{publisher}.json"))
    if not isinstance(expected, dict) or not expected or not all(
            _VERSION.fullmatch(key) for key in expected):
        return None
    versions = sorted(expected, key=lambda key: [int(n) for n in key[1:].split("_")])
    pages = sorted(p for p in tree if p.startswith(f"{prefix}{publisher}_")
                   and p.endswith(".html.gz") and "/" not in p.removeprefix(prefix))
    if path not in pages or len(pages) != len(versions):
        return None
    article = expected[versions[pages.index(path)]]
    return (publisher, article) if isinstance(article, dict) else None


def _url(git_dir: Path, tree: dict[str, str], path: str) -> str | None:
    folder, _, name = path.rpartition("/")
    meta = _json(git_dir, tree.get(f"{folder}/meta.info" if folder else "meta.info"))
    entry = meta.get(name) if isinstance(meta, dict) else None
    url = entry.get("url") if isinstance(entry, dict) else None
    return url if isinstance(url, str) and url else None


@cache
def replaced_pages(git_dir: Path) -> tuple[ReplacedPage, ...]:
    """The pages the history keeps and the test data of its HEAD no longer holds."""
    head = _tree(git_dir, "HEAD")
    kept_blobs = set(head.values())
    kept_urls = {_url(git_dir, head, path) for path in head if path.endswith(".html.gz")}
    commits = _git(git_dir, "log", "--all", "--format=%H", "--diff-filter=AM", "--",
                   f"{TEST_DATA}/*.html.gz").decode().split()
    found: dict[str, ReplacedPage | None] = {}
    for commit in commits:
        tree = _tree(git_dir, commit)
        for path, blob in tree.items():
            if not path.endswith(".html.gz") or blob in kept_blobs or found.get(blob):
                continue
            expected, url = _expected(git_dir, tree, path), _url(git_dir, tree, path)
            if expected is None or url is None or url in kept_urls:
                found.setdefault(blob, None)
                continue
            found[blob] = ReplacedPage(blob, path, expected[0], url, expected[1])
    by_url: dict[str, ReplacedPage] = {}
    for page in sorted((p for p in found.values() if p), key=lambda p: p.blob):
        by_url.setdefault(page.url, page)  # one article saved twice counts once
    return tuple(sorted(by_url.values(), key=lambda p: p.path))
