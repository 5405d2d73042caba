"""Alerts on tracked entities and saved searches, digests, and editable message templates,
over a real warehouse, a real search index and a real local webhook receiver."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsmon.analysis import alerts, trends
from newsmon.core.config import AlertsConfig, load_config
from newsmon.core.errors import ConfigError
from newsmon.core.identity import article_id, content_hash
from newsmon.core.records import Article, DatePrecision, EntityTag, Tags
from newsmon.search.sync import sync_index
from newsmon.tagging.persist import write_tags
from warehouse import Warehouse

NOW = datetime(2026, 3, 12, 12, 5)
BURST_END = datetime(2026, 3, 12, 12)


def _article(n: int, at: datetime, text: str, source: str) -> Article:
    digest = content_hash(text)
    ident = article_id(f"https://{source}/{n}", digest)
    return Article(article_id=ident, url=f"https://{source}/{n}", text=text,
                   content_hash=digest, minhash=b"", title=text[:60], source=source,
                   published_at=at, published_precision=DatePrecision.SECOND, language="de",
                   cluster_id=ident, story_id=ident)


@pytest.fixture
def history(tmp_path: Path) -> tuple[Warehouse, Path]:
    """Ten quiet days (one unrelated article an hour, one about Kim a day), then eight
    reports about Kim's armoured train from four outlets in the last three hours."""
    warehouse = Warehouse(tmp_path / "w.duckdb")
    articles: list[Article] = []
    start = BURST_END - timedelta(days=10)
    n = 0
    for hour in range(10 * 24 - 3):
        at = start + timedelta(hours=hour)
        n += 1
        articles.append(_article(n, at, f"Bericht {n} über das Wetter in Wien und Graz, "
                                        f"Lage Nummer {n}.", f"site{n % 5}.example"))
        if hour % 24 == 10:
            n += 1
            articles.append(_article(n, at, f"Kim Jong Un besucht eine Fabrik, Tag {n}.",
                                     "daily.example"))
    for k in range(8):
        n += 1
        at = BURST_END - timedelta(minutes=170 - 20 * k)
        articles.append(_article(n, at, f"Der Panzerzug von Kim Jong Un erreicht Station {k} "
                                        f"in Russland, meldet Quelle {k}.",
                                 f"outlet{k % 4}.example"))
    tagged = [(a.article_id, Tags("t1", (), (EntityTag("kim_jong_un", 1, "person"),)))
              for a in articles if "Kim" in a.text]
    with warehouse.writer() as tx:
        tx.insert_articles(articles, "test", NOW)
        write_tags(tx, tagged, NOW, {"t1": None})
    index = tmp_path / "w.duckdb.search"
    sync_index(warehouse, index)
    return warehouse, index


def _cfg(**extra: object) -> AlertsConfig:
    return AlertsConfig.model_validate({"baseline_days": 7, "min_history_days": 7,
                                        "cooldown_hours": 6, **extra})


def test_a_watched_entity_and_a_saved_search_spike_with_their_evidence(
    history: tuple[Warehouse, Path],
) -> None:
    warehouse, index = history
    cfg = _cfg(entities={"kim_jong_un": {}}, searches={"train": {"query": "Panzerzug"}})
    new = alerts.detect_and_store(warehouse, cfg, NOW, NOW, search_path=index)
    keys = {a.topic for a in new}
    assert keys == {"entity:kim_jong_un", "search:train"}
    for alert in new:  # the first window the burst crossed the thresholds in
        assert alert.count >= 5 and alert.sources >= 3 and alert.baseline < 1
        assert len(alert.top_articles) == cfg.top_articles
        assert all("Panzerzug" in str(top["title"]) for top in alert.top_articles)
    # detection again over the same data stores nothing new
    assert alerts.detect_and_store(warehouse, cfg, NOW, NOW, search_path=index) == []


def test_unwatched_items_and_per_item_thresholds(history: tuple[Warehouse, Path]) -> None:
    warehouse, index = history
    # nothing named: topics only (there are none here), so no alert
    assert alerts.detect_and_store(warehouse, _cfg(), NOW, NOW, search_path=index) == []
    strict = _cfg(entities={"kim_jong_un": {"min_count": 9}},
                  searches={"train": {"query": "Panzerzug", "enabled": False}})
    assert alerts.detect_and_store(warehouse, strict, NOW, NOW, search_path=index) == []


def test_a_bad_saved_query_is_skipped_and_named(
    history: tuple[Warehouse, Path], caplog: pytest.LogCaptureFixture,
) -> None:
    warehouse, index = history
    cfg = _cfg(entities={"kim_jong_un": {}}, searches={"broken": {"query": '(unclosed'}})
    new = alerts.detect_and_store(warehouse, cfg, NOW, NOW, search_path=index)
    assert [a.topic for a in new] == ["entity:kim_jong_un"]
    assert "alerts.searches.broken" in caplog.text


def test_a_digest_sends_one_message_per_period(
    history: tuple[Warehouse, Path], httpserver: HTTPServer,
) -> None:
    warehouse, index = history
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    cfg = _cfg(entities={"kim_jong_un": {}}, searches={"train": {"query": "Panzerzug"}},
               digest_hours=6, urls=[f"json://127.0.0.1:{httpserver.port}/hook"])
    summary = alerts.detect_and_deliver(warehouse, cfg, NOW, search_path=index)
    assert len(summary.new) == 2 and summary.sent == 2
    (request, _), = httpserver.log  # one message for both spikes
    payload = json.loads(request.get_data())
    assert "2 new spikes" in payload["title"]
    assert "entity kim_jong_un" in payload["message"]
    assert "search train" in payload["message"]
    assert "Panzerzug" in payload["message"]  # top stories of the watched items
    assert {a.status for a in trends.stored_alerts(warehouse)} == {"sent"}
    # within the period nothing more is sent; after it, the next digest (no new spikes)
    alerts.detect_and_deliver(warehouse, cfg, NOW + timedelta(hours=1), search_path=index)
    assert len(httpserver.log) == 1
    alerts.detect_and_deliver(warehouse, cfg, NOW + timedelta(hours=6), search_path=index)
    assert len(httpserver.log) == 2
    assert "0 new spikes" in json.loads(httpserver.log[1][0].get_data())["title"]
    rows = warehouse.query("SELECT status, spikes FROM alert_digests ORDER BY period_start")
    assert rows.rows == [("sent", 2), ("sent", 0)]


def test_a_failed_digest_is_retried_next_cycle(
    history: tuple[Warehouse, Path], httpserver: HTTPServer,
) -> None:
    warehouse, index = history
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    cfg = _cfg(entities={"kim_jong_un": {}}, digest_hours=6, retries=0,
               urls=[f"json://127.0.0.1:{httpserver.port}/hook"])
    first = alerts.detect_and_deliver(warehouse, cfg, NOW, search_path=index)
    assert first.failed == 1 and first.sent == 0
    assert {a.status for a in trends.stored_alerts(warehouse)} == {"pending"}
    second = alerts.detect_and_deliver(warehouse, cfg, NOW + timedelta(minutes=30),
                                       search_path=index)
    assert second.sent == 1
    rows = warehouse.query("SELECT status, attempts FROM alert_digests").rows
    assert rows == [("sent", 2)]


def test_a_user_template_shapes_the_message(
    history: tuple[Warehouse, Path], httpserver: HTTPServer, tmp_path: Path,
) -> None:
    warehouse, index = history
    (tmp_path / "spike.j2").write_text(
        "SPIKE {{ alert.name }} x{{ alert.count }}\n"
        "{% for t in alert.top_articles %}* {{ t.url }}\n{% endfor %}", encoding="utf-8")
    config = tmp_path / "newsmon.toml"
    config.write_text(
        f'[alerts]\nurls = ["json://127.0.0.1:{httpserver.port}/hook"]\nbaseline_days = 7\n'
        '[alerts.entities.kim_jong_un]\n[alerts.templates]\nspike = "spike.j2"\n',
        encoding="utf-8")
    httpserver.expect_request("/hook").respond_with_data("ok")
    cfg = load_config(config).alerts
    alerts.detect_and_deliver(warehouse, cfg, NOW, search_path=index)
    payload = json.loads(httpserver.log[0][0].get_data())
    assert payload["title"].startswith("SPIKE kim_jong_un x")
    assert payload["message"].count("* https://outlet") == 5


@pytest.mark.parametrize(("template", "problem"), [
    ("{{ alert.nmae }}\nbody", "does not render: 'dict object' has no attribute 'nmae'"),
    ("{% for x in alert.top_articles %}\nno end", "line 2: Unexpected end of template"),
    ("   \n", "renders to an empty message"),
])
def test_a_broken_template_is_an_error_naming_file_and_key(
    tmp_path: Path, template: str, problem: str,
) -> None:
    (tmp_path / "mine.j2").write_text(template, encoding="utf-8")
    config = tmp_path / "newsmon.toml"
    config.write_text('[alerts.templates]\nspike = "mine.j2"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f"{config}: alerts.templates.spike: ")
    assert problem in str(caught.value)


def test_watch_sections_are_validated(tmp_path: Path) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text('[alerts.searches.empty]\nquery = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.searches\.empty\.query"):
        load_config(config)
    config.write_text('[alerts.entities.kim]\nthreshold = -1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.entities\.kim\.threshold"):
        load_config(config)
    config.write_text('[alerts]\ndigest_hours = 1000\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.digest_hours"):
        load_config(config)
    config.write_text('[alerts.templates]\nspike = "missing.j2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.templates\.spike: cannot read"):
        load_config(config)


def test_fetch_errors_never_alert(history: tuple[Warehouse, Path]) -> None:
    """A burst of failing feeds and pages is recorded as rejects, never counted as news."""
    from newsmon.core.outcomes import RejectReason
    from newsmon.core.records import Reject

    warehouse, index = history
    failures = [Reject(f"https://kim-news.example/{k}", RejectReason.HTTP_5XX,
                       f"https://kim-news.example/{k}: HTTP 503 (Kim Jong Un Panzerzug)")
                for k in range(200)]
    with warehouse.writer() as tx:
        tx.insert_rejects(failures, "test", NOW)
    quiet = _cfg(searches={"errors": {"query": "503"}})
    assert alerts.detect_and_store(warehouse, quiet, NOW, NOW, search_path=index) == []
