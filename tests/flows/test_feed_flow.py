"""`newsmon ingest URL` as a user runs it: subprocess, real Prefect API, real HTTP, real DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation.feedserver import FeedSite, conditional, rss, start_site
from tests.conftest import run_cli
from warehouse import Warehouse

BODY = (
    "The city council approved the new cycling plan on Monday after a long debate. "
    "Twelve kilometres of protected lanes will be built next year, and the main square "
    "will be closed to through traffic from the spring onwards, the mayor said. "
)


@pytest.fixture
def site() -> Iterator[FeedSite]:
    yield from start_site()


@pytest.mark.prefect
def test_ingest_feed_url_runs_network_tasks_and_second_run_is_a_304(
    prefect_api: str, site: FeedSite, db_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    for i in range(3):
        page = (f"<html><body><article><h1>Plan {i}</h1><p>{BODY}</p><p>{BODY} ({i})</p>"
                "</article></body></html>")
        site.serve(f"/news/{i}", page)
    feed = rss([{"title": f"Plan {i}", "link": site.url(f"/news/{i}")} for i in range(3)])
    feed_url = site.route("/feed.xml", conditional(feed, '"rev-1"'))
    db_path.parent.mkdir()  # a --db folder must exist (newsmon never invents one)
    config = db_path.parent / "newsmon.toml"  # no politeness gap between loopback requests
    config.write_text("[network]\nmin_host_gap_s = 0\n", encoding="utf-8")
    env = {"PREFECT_API_URL": prefect_api, "NEWSMON_ALLOW_PRIVATE_NETWORKS": "1",
           "NEWSMON_CONFIG": str(config)}

    first = run_cli("--db", str(db_path), "ingest", feed_url, env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "3 inputs, 3 added" in first.stdout
    assert "feeds: 1 of 1 polled" in first.stdout

    second = run_cli("--db", str(db_path), "ingest", feed_url, env=env)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "(1 unchanged" in second.stdout and "0 inputs" in second.stdout
    assert site.requests("/feed.xml")[1]["if-none-match"] == '"rev-1"'
    assert Warehouse(db_path).query("SELECT count(*) FROM articles").rows == [(3,)]

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(limit=10, sort=FlowRunSort.START_TIME_DESC)
        ours = [r for r in runs if r.parameters.get("trigger") == "ingest"]
        assert ours and ours[1].state is not None and ours[1].state.is_completed()
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[ours[1].id]))
        )
    names = {t.name.rsplit("-", 1)[0] for t in tasks}
    assert {"poll-feeds", "fetch-pages", "load-batch"} <= names



def test_network_tasks_retry_only_transient_errors() -> None:
    from prefect.states import Completed, Failed

    from flows.cycle import _transient_only, fetch_pages, poll_feeds
    from newsmon.core.errors import FetchPermanentError, FetchTransientError
    from newsmon.core.outcomes import RejectReason

    assert poll_feeds.retries == fetch_pages.retries == 2
    assert poll_feeds.retry_condition_fn is _transient_only
    timeout = FetchTransientError(RejectReason.TIMEOUT, "http://x/: no answer")
    gone = FetchPermanentError(RejectReason.HTTP_410, "http://x/: gone")
    assert _transient_only(poll_feeds, None, Failed(data=timeout))  # type: ignore[arg-type]
    assert not _transient_only(poll_feeds, None, Failed(data=gone))  # type: ignore[arg-type]
    assert not _transient_only(poll_feeds, None, Failed(data=ValueError("bug")))  # type: ignore[arg-type]
    assert not _transient_only(poll_feeds, None, Completed(data=[]))  # type: ignore[arg-type]
