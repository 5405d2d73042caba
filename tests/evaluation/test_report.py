"""A partial benchmark run replaces its own sections of the report and nothing else."""

from __future__ import annotations

from evaluation.report import ANCHORS_HEADING, merge_sections

REPORT = f"""# Benchmarks

- date: 2026-11-22 08:08 UTC

## extraction (100 s)

| benchmark | metric |
| extraction / a | F1 0.96 |

## tagging (24 s)

| tagging / micro | P 0.69 |

{ANCHORS_HEADING}

| published |
"""


def test_a_rerun_section_replaces_its_old_figures_only() -> None:
    new = "## tagging (12 s, run alone 2026-12-04 09:35 UTC)\n\n| tagging / micro | P 0.74 |\n"
    merged = merge_sections(REPORT, [("tagging", new)])
    assert "P 0.74" in merged and "P 0.69" not in merged
    assert "| extraction / a | F1 0.96 |" in merged and "- date: 2026-11-22" in merged
    assert merged.index("P 0.74") < merged.index(ANCHORS_HEADING)  # the anchors stay, after
    assert merged.count("## tagging (") == 1


def test_a_section_the_report_lacks_goes_before_the_anchors() -> None:
    merged = merge_sections(REPORT, [("spikes", "## spikes (3 s)\n\n| spikes / pass |")])
    assert merged.index("## tagging (") < merged.index("## spikes (") < merged.index(
        ANCHORS_HEADING)
    assert merge_sections("", [("spikes", "## spikes (3 s)")]) == "## spikes (3 s)\n\n"


def test_a_name_that_prefixes_another_is_not_confused_with_it() -> None:
    report = "## stories (5 s)\n\nold stories\n\n## story (1 s)\n\nold story\n\n"
    merged = merge_sections(report, [("story", "## story (2 s)\n\nnew story")])
    assert "old stories" in merged and "new story" in merged and "old story\n" not in merged
