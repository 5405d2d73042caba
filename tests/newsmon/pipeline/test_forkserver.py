"""Whether a command starts the workers' forkserver before its own start-up."""

from __future__ import annotations

from pathlib import Path

from newsmon.pipeline.forkserver import POOL_MIN_INPUTS, will_use_workers


def _files(folder: Path, n: int, prefix: str = "a") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{prefix}{i}.txt").write_text("x", encoding="utf-8")
    return folder


def test_a_folder_is_worth_workers_from_the_pools_minimum_on(tmp_path: Path) -> None:
    short = _files(tmp_path / "short", POOL_MIN_INPUTS - 1)
    assert not will_use_workers([short], 2)
    assert will_use_workers([short, _files(tmp_path / "one", 1)], 2)
    nested = _files(tmp_path / "nested" / "deeper", POOL_MIN_INPUTS)
    assert will_use_workers([nested.parent], 2)


def test_hidden_files_single_workers_and_missing_paths_do_not_count(tmp_path: Path) -> None:
    folder = _files(tmp_path / "f", POOL_MIN_INPUTS - 1)
    _files(folder, 5, prefix=".hidden")
    _files(folder / ".git", 50)
    assert not will_use_workers([folder, tmp_path / "missing.txt"], 2)
    assert not will_use_workers([_files(tmp_path / "many", POOL_MIN_INPUTS)], 1)
