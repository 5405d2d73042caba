"""Alert delivery through apprise to a real local webhook receiver and a real SMTP server."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsmon.analysis import alerts, delivery, trends
from newsmon.analysis.spikes import Spike
from newsmon.core.config import AlertsConfig
from newsmon.core.errors import ConfigError
from warehouse import Warehouse

T0 = datetime(2026, 3, 2, 11)
NOW = datetime(2026, 3, 2, 11, 5)


def _no_wait(seconds: float) -> None:
    """Retries back off for real in production; tests do not need to sit through it."""


def _store_one(db_path: Path, status: str = "pending") -> trends.StoredAlert:
    warehouse = Warehouse(db_path)
    spike = Spike("climate", datetime(2026, 3, 2, 8), T0, 18, 23, 12, 3.4, 2.1, 6.9)
    top = [trends.TopArticle(7, "Floods close the Rhine to shipping", "https://herald.example/7",
                             "herald.example", datetime(2026, 3, 2, 9, 12), 3, 4.5,
                             [{"term": "flood"}])]
    (stored,) = trends.store_alerts(warehouse, [(spike, top)], detected_at=NOW, now=NOW,
                                    status=status)
    return stored


def _hook(httpserver: HTTPServer, path: str = "/hook") -> str:
    return f"json://127.0.0.1:{httpserver.port}{path}"


def test_message_says_what_spiked_by_how_much_with_the_top_stories(db_path: Path) -> None:
    message = alerts.compose(_store_one(db_path))
    assert "climate" in message.title and "18 stories in 3 h" in message.title
    assert "5.3x the usual 3.4" in message.title
    assert "Floods close the Rhine to shipping (herald.example, 3 articles)" in message.body
    assert "https://herald.example/7" in message.body


def test_json_webhook_receives_the_alert_and_it_is_marked_sent(
    httpserver: HTTPServer, db_path: Path
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    _store_one(db_path)
    cfg = AlertsConfig(urls=[_hook(httpserver)])
    summary = alerts.deliver_pending(Warehouse(db_path), cfg, NOW, sleep=_no_wait)
    assert (summary.sent, summary.failed) == (1, 0)
    (request, _response), = httpserver.log
    payload = json.loads(request.get_data())
    assert "climate" in payload["title"] and "https://herald.example/7" in payload["message"]
    (stored,) = trends.stored_alerts(Warehouse(db_path))
    assert (stored.status, stored.attempts, stored.last_error) == ("sent", 1, None)
    # delivered alerts are not sent again on the next cycle
    alerts.deliver_pending(Warehouse(db_path), cfg, NOW, sleep=_no_wait)
    assert len(httpserver.log) == 1


def test_failures_are_retried_recorded_and_never_resent_to_targets_that_got_it(
    httpserver: HTTPServer, db_path: Path
) -> None:
    outcomes = iter([500, 500, 503, 200])

    def flaky(request: Request) -> Response:
        return Response("busy", status=next(outcomes))

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    httpserver.expect_request("/steady").respond_with_data("ok")
    _store_one(db_path)
    urls = [_hook(httpserver, "/flaky"), _hook(httpserver, "/steady")]
    cfg = AlertsConfig(urls=urls, retries=1, max_attempts=3)
    warehouse = Warehouse(db_path)

    first = alerts.deliver_pending(warehouse, cfg, NOW, sleep=_no_wait)
    assert (first.sent, first.failed, first.partly, first.targets_reached) == (0, 1, 1, 1)
    assert first.describe() == ("alerts: 0 new spike alerts, 0 delivered to every target, "
                                "1 not delivered yet, 1 of them reached some targets, "
                                "1 message sent")
    (stored,) = trends.stored_alerts(warehouse)
    assert (stored.status, stored.attempts) == ("failed", 1)
    assert stored.delivered_to == [delivery.target_key(urls[1])]
    assert stored.last_error == (
        f"json://127.0.0.1:{httpserver.port}/flaky: "
        "Failed to send JSON POST notification: Internal server error., error=500."
    )

    second = alerts.deliver_pending(warehouse, cfg, NOW, sleep=_no_wait)
    assert second.sent == 1
    paths = [req.path for req, _ in httpserver.log]
    assert paths.count("/flaky") == 4  # 2 tries per attempt, the 4th succeeded
    assert paths.count("/steady") == 1  # not sent twice
    (stored,) = trends.stored_alerts(warehouse)
    assert (stored.status, stored.attempts) == ("sent", 2)


def test_an_alert_is_given_up_after_max_attempts_and_stays_listed(
    httpserver: HTTPServer, db_path: Path
) -> None:
    httpserver.expect_request("/down").respond_with_data("no", status=500)
    _store_one(db_path)
    cfg = AlertsConfig(urls=[_hook(httpserver, "/down")], retries=0, max_attempts=2)
    warehouse = Warehouse(db_path)
    alerts.deliver_pending(warehouse, cfg, NOW, sleep=_no_wait)
    last = alerts.deliver_pending(warehouse, cfg, NOW, sleep=_no_wait)
    assert last.gave_up == 1
    alerts.deliver_pending(warehouse, cfg, NOW, sleep=_no_wait)
    assert len(httpserver.log) == 2
    (stored,) = trends.stored_alerts(warehouse, statuses=["gave_up"])
    assert stored.attempts == 2 and stored.last_error


def test_secrets_come_from_the_environment_and_never_reach_logs_or_the_table(
    httpserver: HTTPServer, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-t0ken-XYZ"
    httpserver.expect_request("/hook").respond_with_data("nope", status=401)
    _store_one(db_path)
    template = f"json://alerts:${{HOOK_TOKEN}}@127.0.0.1:{httpserver.port}/hook"
    cfg = AlertsConfig(urls=[template], retries=0)
    with caplog.at_level(logging.DEBUG):
        alerts.deliver_pending(Warehouse(db_path), cfg, NOW, sleep=_no_wait,
                               environ={"HOOK_TOKEN": secret})
    (request, _), = httpserver.log
    assert request.authorization is not None and request.authorization.password == secret
    (stored,) = trends.stored_alerts(Warehouse(db_path))
    assert stored.status == "failed" and stored.last_error
    assert secret not in (stored.last_error or "") and secret not in caplog.text
    # a missing variable is named (not guessed at), and the alert stays pending-ish
    with pytest.raises(ConfigError, match="HOOK_TOKEN is not set"):
        delivery.check_urls([template], environ={})
    results = delivery.send([template], alerts.compose(stored), environ={}, sleep=_no_wait)
    assert not results[0].ok and "HOOK_TOKEN" in (results[0].error or "")


def test_unknown_url_is_a_configuration_error_not_a_crash() -> None:
    with pytest.raises(ConfigError, match="not a URL apprise understands"):
        delivery.check_urls(["nosuchscheme://example.org/x"])
    (result,) = delivery.send(["nosuchscheme://x"], delivery.Message("t", "b"), sleep=_no_wait)
    assert not result.ok and result.tries == 0


def test_no_targets_configured_means_nothing_is_sent(db_path: Path) -> None:
    _store_one(db_path, status="no_targets")
    summary = alerts.deliver_pending(Warehouse(db_path), AlertsConfig(), NOW)
    assert (summary.sent, summary.failed) == (0, 0)
    assert trends.stored_alerts(Warehouse(db_path))[0].status == "no_targets"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content.decode("utf-8", "replace"))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    """A real SMTP server on loopback (aiosmtpd), collecting what it receives."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_email_alert_reaches_a_local_smtp_server(
    smtp: tuple[int, _Inbox], db_path: Path
) -> None:
    port, inbox = smtp
    _store_one(db_path)
    url = (f"mailto://127.0.0.1:{port}?from=newsmon@example.org&to=desk@example.org"
           "&mode=insecure")
    summary = alerts.deliver_pending(Warehouse(db_path), AlertsConfig(urls=[url]), NOW,
                                     sleep=_no_wait)
    assert summary.sent == 1
    (mail,) = inbox.messages
    assert "Subject: newsmon: climate is spiking" in mail
    assert "desk@example.org" in mail and "herald.example/7" in mail
