"""The shape of the house: layers point down (import-linter contracts), no import cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

from tests.conftest import ROOT

PACKAGES = ("newsmon", "extractors", "flows", "warehouse")


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "0 broken" in done.stdout


def test_no_module_imports_itself_back() -> None:
    """No cycles at all, function-local and TYPE_CHECKING imports included: for every
    import a -> b there is no chain b -> ... -> a."""
    graph = grimp.build_graph(*PACKAGES)
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported == importer or imported.startswith(f"{importer}."):
                continue  # a package's __init__ importing its own modules is no cycle
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None and not any(importer.startswith(f"{m}.") for m in back):
                cycles.append(" -> ".join((importer, *back)))
    assert cycles == []


def test_tests_and_benchmarks_share_evaluation_not_each_other() -> None:
    """What both need (labelled data, scorers, the loopback feed server) is in
    evaluation/; tests never import bench/, bench/ never imports tests/."""
    crossing = []
    for folder, other in (("tests", "bench"), ("bench", "tests"), ("evaluation", "bench"),
                          ("evaluation", "tests")):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line in path.read_text(encoding="utf-8").splitlines():
                words = line.split()
                if words[:1] in (["from"], ["import"]) and len(words) > 1 and (
                        words[1] == other or words[1].startswith(f"{other}.")):
                    crossing.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert crossing == []
