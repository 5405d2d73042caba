"""Whether a command starts the workers' forkserver before its own start-up."""

from __future__ import annotations

from pathlib import Path

from newsmon.pipeline.forkserver import PAGE_MS, POOL_MIN_MS, TEXT_MS, will_use_workers


def _files(folder: Path, n: int, prefix: str = "a", suffix: str = ".html") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{prefix}{i}{suffix}").write_text("x", encoding="utf-8")
    return folder


def test_a_folder_is_worth_workers_from_the_pools_minimum_work_on(tmp_path: Path) -> None:
    pages = POOL_MIN_MS // PAGE_MS
    short = _files(tmp_path / "short", pages - 1)
    assert not will_use_workers([short], 2)
    assert will_use_workers([short, _files(tmp_path / "one", 1, suffix=".htm.gz")], 2)
    nested = _files(tmp_path / "nested" / "deeper", pages)
    assert will_use_workers([nested.parent], 2)
    inbox = tmp_path / "inbox"  # folders linked into it count as discover reads them
    inbox.mkdir()
    (inbox / "desk").symlink_to(nested)
    assert will_use_workers([inbox], 2)
    loop = tmp_path / "loop"  # a loop of folders without files ends
    loop.mkdir()
    (loop / "again").symlink_to(loop)
    assert not will_use_workers([loop], 2)


def test_plain_text_files_weigh_less_than_pages(tmp_path: Path) -> None:
    texts = POOL_MIN_MS // TEXT_MS
    assert texts > POOL_MIN_MS // PAGE_MS
    assert not will_use_workers([_files(tmp_path / "few", texts - 1, suffix=".txt")], 2)
    assert will_use_workers([_files(tmp_path / "many", texts, suffix=".txt")], 2)


def test_hidden_files_single_workers_and_missing_paths_do_not_count(tmp_path: Path) -> None:
    folder = _files(tmp_path / "f", POOL_MIN_MS // PAGE_MS - 1)
    _files(folder, 5, prefix=".hidden")
    _files(folder / ".git", 150)
    assert not will_use_workers([folder, tmp_path / "missing.html"], 2)
    assert not will_use_workers([_files(tmp_path / "many", POOL_MIN_MS // PAGE_MS)], 1)
