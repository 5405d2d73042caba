"""The pages fundus's tests have replaced, read from a real git history: each with the
article expected for it then, the pages still held and repeats left out."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

import pytest

from evaluation import fundus_history
from evaluation.metadata_pages import fundus_history_pages, part_of

PAGE = "<html><head><title>{title} - Paper</title></head><body><h1>{title}</h1>{body}</body></html>"
BODY = "<p>The council approved the new tram line on Monday after a long debate.</p>" * 5


def _commit(repo: Path, files: dict[str, bytes], message: str) -> None:
    data = repo / fundus_history.TEST_DATA / "de"
    data.mkdir(parents=True, exist_ok=True)
    for old in data.iterdir():
        old.unlink()
    for name, content in files.items():
        (data / name).write_bytes(content)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", message], check=True, env=env)


def _page(title: str) -> bytes:
    return gzip.compress(PAGE.format(title=title, body=BODY).encode())


def _files(pages: dict[str, tuple[str, str]]) -> dict[str, bytes]:
    """Paper's pages by name -> (title, url), with the JSON and meta.info fundus keeps."""
    files = {name: _page(title) for name, (title, _) in pages.items()}
    expected = {f"V{n}": {"title": title, "authors": ["Ann Reporter"],
                          "publishing_date": "2024-04-01 09:30:00+02:00"}
                for n, (title, _) in enumerate(pages.values(), 1)}
    files["Paper.json"] = json.dumps(expected).encode()
    files["meta.info"] = json.dumps({name: {"url": url} for name, (_, url) in
                                     pages.items()}).encode()
    return files


@pytest.fixture()
def history(tmp_path: Path) -> Path:
    repo = tmp_path / "fundus"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _commit(repo, _files({"Paper_2024_04_01.html.gz": ("Tram line approved",
                                                       "https://paper.example/tram")}), "first")
    _commit(repo, _files({  # the tram page re-saved (same URL), a bridge page added
        "Paper_2024_05_01.html.gz": ("Tram line approved at last", "https://paper.example/tram"),
        "Paper_2024_06_01.html.gz": ("Bridge reopens", "https://paper.example/bridge")}),
            "second")
    _commit(repo, _files({"Paper_2024_07_01.html.gz": ("Harbour plan",
                                                       "https://paper.example/harbour")}), "third")
    return repo / ".git"


def test_replaced_pages_carry_the_article_expected_then(history: Path) -> None:
    pages = fundus_history.replaced_pages(history)

    # the harbour page is today's; the tram article counts once though saved twice
    assert sorted(p.url for p in pages) == ["https://paper.example/bridge",
                                            "https://paper.example/tram"]
    bridge = next(p for p in pages if p.url.endswith("bridge"))
    assert (bridge.path, bridge.publisher) == ("de/Paper_2024_06_01.html.gz", "Paper")
    assert bridge.expected["title"] == "Bridge reopens"  # V2 of two: the second page by date
    assert b"Bridge reopens" in (fundus_history.page_bytes(history, bridge.blob) or b"")
    assert fundus_history.page_bytes(history, "0" * 40) is None
    assert fundus_history.page_bytes(history, "not a blob") is None


def test_they_are_metadata_pages_dealt_by_publisher(history: Path) -> None:
    pages = fundus_history_pages(history)

    assert {p.corpus for p in pages} == {"fundus-history"}
    tram = next(p for p in pages if p.url.endswith("tram"))
    assert tram.truth.authors == ("Ann Reporter",)
    assert tram.truth.date is not None and tram.truth.date.hour == 7  # 09:30+02:00 in UTC
    assert b"<h1>" in tram.html  # gunzipped
    assert len({part_of(p) for p in pages}) == 1  # one publisher, one part


def test_a_folder_that_is_no_git_history_stops_with_a_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"^FUNDUS_GIT=.*plain: not a git directory of fundus"):
        fundus_history.replaced_pages(tmp_path / "plain")
