"""``newsmon trends``, ``backtest`` and ``alerts`` as a user runs them, on a generated history."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsmon.analysis import alerts, synthetic
from newsmon.core.config import AlertsConfig
from tests.conftest import read_cli, run_cli
from warehouse import Warehouse

END = datetime(2026, 3, 2)


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synthetic.History]:
    path = tmp_path_factory.mktemp("cli") / "history.duckdb"
    history = synthetic.generate(END)
    history.write(Warehouse(path))
    spike = history.spikes[1]
    alerts.detect_and_store(Warehouse(path), AlertsConfig(), spike.start + timedelta(minutes=70))
    return path, history


def _json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_backtest_json_lists_the_alerts_that_would_have_fired(
    history_db: tuple[Path, synthetic.History],
) -> None:
    path, history = history_db
    done = read_cli("--db", str(path), "backtest", "--since", "2026-01-26", "--until",
                   "2026-03-02", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = _json_lines(done.stdout)
    assert [r["topic"] for r in rows] == [s.topic for s in history.spikes]
    for row, spike in zip(rows, history.spikes, strict=True):
        assert {"topic", "window_start", "window_end", "count", "baseline"} <= row.keys()
        assert row["window_end"] == (spike.start + timedelta(hours=1)).isoformat()
    table = read_cli("--db", str(path), "backtest", "--since", "2026-02-25", "--until",
                    "2026-03-02")
    assert "2 alerts would have fired" in table.stdout


def test_alerts_lists_stored_alerts_with_evidence(
    history_db: tuple[Path, synthetic.History],
) -> None:
    path, history = history_db
    done = read_cli("--db", str(path), "alerts", "--format", "json")
    assert done.returncode == 0, done.stderr
    (row,) = _json_lines(done.stdout)
    assert row["topic"] == history.spikes[1].topic and row["status"] == "no_targets"
    assert float(row["count"]) > float(row["baseline"])  # type: ignore[arg-type]
    assert row["top_articles"] and row["top_articles"][0]["url"].startswith("https://")  # type: ignore[index]
    table = read_cli("--db", str(path), "alerts")
    assert history.spikes[1].topic in table.stdout and "(1 row)" in table.stdout


def test_trends_backtest_and_alerts_write_csv_for_a_spreadsheet(
    history_db: tuple[Path, synthetic.History],
) -> None:
    path, history = history_db
    for args, first in [
        (["trends", "--topic", "climate", "--by", "day", "--since", "2026-02-20"], "climate"),
        (["backtest", "--since", "2026-01-26", "--until", "2026-03-02"], history.spikes[0].topic),
        (["alerts"], history.spikes[1].topic),
    ]:
        done = read_cli("--db", str(path), *args, "--format", "csv")
        assert done.returncode == 0, done.stderr
        table = list(csv.DictReader(io.StringIO(done.stdout)))
        assert table and table[0]["topic"] == first, args
        assert "would have fired" not in done.stdout  # the table's summary line stays out


def test_trends_prints_series_and_draws_png_and_html_charts(
    history_db: tuple[Path, synthetic.History], tmp_path: Path
) -> None:
    path, _ = history_db
    done = read_cli("--db", str(path), "trends", "--topic", "climate", "--by", "hour",
                   "--since", "2026-02-24", "--until", "2026-02-25", "--format", "json",
                   "--chart", str(tmp_path / "climate.png"))
    assert done.returncode == 0, done.stderr
    rows = _json_lines(done.stdout)
    assert {r["topic"] for r in rows} == {"climate"} and max(r["stories"] for r in rows) >= 15  # type: ignore[type-var]
    png = (tmp_path / "climate.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    done = read_cli("--db", str(path), "trends", "--by", "day", "--mark", "backtest",
                   "--chart", str(tmp_path / "all.html"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "all.html").read_text()
    assert "<svg" in page and "Spike alerts" in page and "politics" in page


def test_trends_carry_the_share_of_all_stories_and_chart_it(
    history_db: tuple[Path, synthetic.History], tmp_path: Path
) -> None:
    """share = the topic's stories / stories of any topic in the bucket, as the views say."""
    path, _ = history_db
    done = read_cli("--db", str(path), "trends", "--by", "day", "--since", "2026-02-20",
                   "--until", "2026-03-01", "--format", "json", "--share",
                   "--chart", str(tmp_path / "share.png"))
    assert done.returncode == 0, done.stderr
    rows = _json_lines(done.stdout)
    assert rows and (tmp_path / "share.png").read_bytes().startswith(b"\x89PNG")
    result = Warehouse(path).query(
        "SELECT date_trunc('day', event_at)::VARCHAR, count(DISTINCT cluster_id) "
        "FROM article_times "
        "WHERE event_at >= '2026-02-20' AND event_at < '2026-03-01' GROUP BY ALL"
    )
    everything = {datetime.fromisoformat(b): n for b, n in result.rows}
    views = {
        (t, b): (stories, all_stories, share)
        for t, b, stories, all_stories, share in Warehouse(path).query(
            "SELECT topic, bucket, stories, all_stories, share FROM topic_daily"
        ).rows
    }
    for row in rows:
        bucket = datetime.fromisoformat(str(row["bucket"]))
        assert row["all_stories"] == everything[bucket] >= row["stories"]  # type: ignore[operator]
        assert row["share"] == pytest.approx(row["stories"] / everything[bucket], abs=1e-4)  # type: ignore[operator]
        stories, all_stories, share = views[(row["topic"], bucket)]
        assert (stories, all_stories) == (row["stories"], row["all_stories"])
        assert share == pytest.approx(row["share"], abs=1e-4)
    assert 0 < min(r["share"] for r in rows) <= max(r["share"] for r in rows) < 1  # type: ignore[type-var]


def test_bad_options_are_one_clear_line(history_db: tuple[Path, synthetic.History]) -> None:
    path, _ = history_db
    done = read_cli("--db", str(path), "backtest", "--since", "last tuesday")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "newsmon: error: --since 'last tuesday': expected a date (2026-03-01), a UTC time "
        "(2026-03-01T09:00) or a span before now (36h, 7d, 2w)"
    ]
    done = read_cli("--db", str(path), "trends", "--chart", "trend.svg")
    assert done.returncode != 0 and "charts are .png or .html" in done.stderr
    for command in ("trends", "stories", "search"):  # swapped, a listing would be empty
        args = ["Putin"] if command == "search" else []
        done = read_cli("--db", str(path), command, *args, "--since", "2026-03-10",
                        "--until", "2026-03-01")
        assert done.returncode != 0 and done.stderr.strip().splitlines() == [
            "newsmon: error: --since 2026-03-10 00:00 is not before --until 2026-03-01 00:00 "
            "(UTC): no time lies between them"], command
    # stories' own window (the last day) before an --until is no mistake: nothing to list
    done = read_cli("--db", str(path), "stories", "--until", "2026-03-01")
    assert done.returncode == 0 and "error" not in done.stderr and "(0 rows)" in done.stdout


def test_unknown_names_and_chart_types_are_one_line_errors_before_any_output(
    history_db: tuple[Path, synthetic.History], tmp_path: Path
) -> None:
    path, _ = history_db
    for args, expected in [
        (("trends", "--topic", "sanction"), "newsmon: error: --topic sanction: no such topic"),
        (("trends", "--entity", "nobody"), "newsmon: error: --entity nobody: no such entity"),
        (("backtest", "--since", "7d", "--topic", "sanction"), "--topic sanction: no such"),
        (("alerts", "--topic", "sanction"), "--topic sanction: no such topic"),
        (("trends", "--chart", str(tmp_path / "x.svg")), "x.svg: charts are .png or .html"),
        (("trends", "--chart", str(tmp_path / "typo" / "x.png")),
         f"typo/x.png: the folder {tmp_path / 'typo'} does not exist"),
    ]:
        done = read_cli("--db", str(path), *args, cwd=tmp_path)
        assert done.returncode == 1, (args, done.stdout)
        assert done.stdout == "", args  # no table printed before the error
        assert len(done.stderr.strip().splitlines()) == 1 and expected in done.stderr, args
    assert not (tmp_path / "typo").exists()  # a typo is said, not created
    good = read_cli("--db", str(path), "trends", "--topic", "sanctions", cwd=tmp_path)
    assert good.returncode == 0, good.stderr


def test_an_alert_override_for_an_unknown_topic_is_refused(tmp_path: Path) -> None:
    (tmp_path / "newsmon.toml").write_text("[alerts.topics.sanction]\nthreshold = 3\n")
    done = read_cli("topics", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"newsmon: error: {tmp_path / 'newsmon.toml'}: alerts.topics.sanction: no such topic "
        "(known: arms_trade, diplomacy, humanitarian_aid, military_cooperation, "
        "missiles_space, nuclear, sanctions, war_ukraine)"]
    serve = run_cli("serve", "--cycle-minutes", "0", cwd=tmp_path)
    assert serve.returncode == 2 and "Traceback" not in serve.stderr
    assert "Invalid value for '--cycle-minutes'" in serve.stderr


def test_json_output_is_strict_json_and_charts_say_utc(
    history_db: tuple[Path, synthetic.History], tmp_path: Path
) -> None:
    from newsmon.analysis import trends as trend_queries
    from newsmon.analysis.charts import _figure

    path, _ = history_db
    done = read_cli("--db", str(path), "sql", "--format", "json",
                   "SELECT 'nan'::DOUBLE AS d, '{\"duplicate\": 2}'::JSON AS reasons", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (row,) = [json.loads(line, parse_constant=lambda c: pytest.fail(f"bare {c}"))
              for line in done.stdout.splitlines()]
    assert row == {"d": None, "reasons": {"duplicate": 2}}
    points = trend_queries.trend(Warehouse(path), by="day", kind="topic", names=("sanctions",),
                                 since=END - timedelta(days=5), until=END)
    figure = _figure(points, [], "t", "stories", timedelta(days=1))
    assert figure.axes[0].get_xlabel() == "time (UTC)"


def test_an_archive_counts_spans_back_from_its_newest_article_and_says_so(
    history_db: tuple[Path, synthetic.History], tmp_path: Path
) -> None:
    path, _ = history_db
    newest = read_cli("--db", str(path), "sql", "SELECT strftime(max(event_at), "
                      "'%Y-%m-%d %H:%M') AS t FROM article_times", "--format", "json")
    last = json.loads(newest.stdout)["t"]
    # the history ends in March 2026, over a week before the wall clock: "1d" is its last day
    done = read_cli("--db", str(path), "trends", "--by", "hour", "--since", "1d", "--format",
                    "json")
    assert done.returncode == 0
    hours = {row["bucket"] for row in _json_lines(done.stdout)}
    assert max(hours).replace("T", " ").startswith(last[:13]) and len(hours) > 12
    assert min(hours) >= (datetime.fromisoformat(last) - timedelta(days=1)).isoformat()[:13]
    assert done.stderr.startswith(f"newsmon: the newest article is from {last} UTC, over a "
                                  "week ago: 1d is counted back from ")
    # a replay of the archive's last week finds what the same dates find
    hour = (datetime.fromisoformat(last) + timedelta(hours=1)).replace(minute=0)
    week = read_cli("--db", str(path), "backtest", "--since", "7d", "--format", "json")
    dated = read_cli("--db", str(path), "backtest", "--since",
                     f"{hour - timedelta(days=7):%Y-%m-%dT%H:%M}", "--format", "json")
    assert week.returncode == 0 and _json_lines(week.stdout)
    assert _json_lines(week.stdout) == _json_lines(dated.stdout)
    assert "7d is counted back from" in week.stderr
    # a span that starts after the newest article says when that was
    later = read_cli("--db", str(path), "trends", "--since", "2099-01-01")
    assert later.returncode == 0 and later.stdout.strip().endswith("(0 rows)")
    assert later.stderr == (f"newsmon: nothing from 2099-01-01 00:00 UTC on: the newest article "
                            f"happened at {last} UTC (--since takes an earlier start)\n")
    # a span the history covers, where the filter matches nothing, is not explained away
    within = read_cli("--db", str(path), "trends", "--since", "2020-01-01", "--until",
                      "2020-01-02")
    assert within.returncode == 0 and within.stdout.strip().endswith("(0 rows)")
    assert within.stderr == ""
    # a span with articles, none of them carrying what is asked for, says when one last did
    untagged = read_cli("--db", str(path), "trends", "--topic", "astronomy", "--by", "hour",
                        "--since", "2026-03-01")
    assert untagged.returncode == 0 and untagged.stdout.strip().endswith("(0 rows)")
    last_astronomy = read_cli(
        "--db", str(path), "sql", "SELECT strftime(max(a.event_at), '%Y-%m-%d %H:%M') AS t "
        "FROM article_topics t JOIN article_times a USING (article_id) "
        "WHERE t.topic = 'astronomy'", "--format", "json")
    when = json.loads(last_astronomy.stdout)["t"]
    assert when < "2026-03-01"
    assert untagged.stderr == (
        "newsmon: no article from 2026-03-01 00:00 UTC on carries astronomy: the newest that "
        f"does happened at {when} UTC (--since takes an earlier start)\n")
    no_entities = read_cli("--db", str(path), "trends", "--entity", "moscow")
    assert no_entities.returncode == 0, no_entities.stderr
    assert no_entities.stderr == "newsmon: no stored article carries moscow\n"
    empty = tmp_path / "empty.duckdb"
    with Warehouse(empty).writer():
        pass
    done = read_cli("--db", str(empty), "trends")
    assert done.returncode == 0 and "the warehouse holds no articles yet" in done.stderr
