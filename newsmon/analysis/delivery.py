"""Alert delivery: the only module that imports apprise.

Why it looks like this:

* **One URL per target, one result per target.** ``[alerts] urls`` are apprise URLs
  (Slack, Teams, mailto, Telegram, json:// webhooks ...). Each is sent on its own so
  a failing Slack does not make a working mailbox receive the alert twice on retry:
  the caller records which targets accepted it and later attempts skip them.
* **Secrets come from the environment and are never logged.** Write a URL as
  ``slack://${SLACK_TOKEN_A}/${SLACK_TOKEN_B}/${SLACK_TOKEN_C}``; the variables are
  filled in only here, at send time. Targets are named in logs and in the
  ``alerts.last_error`` column by a key (a hash of the URL as written) and by apprise's
  privacy form of the URL, and every expanded secret value is scrubbed from error
  text. apprise's own log lines are captured, not printed, for the same reason.
* **Failures are results, not exceptions.** A transient failure is retried a few
  times with back-off inside one attempt; whatever is left is returned so the caller
  stores it and tries again on a later cycle. Nothing here can stop ingestion.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import apprise

from newsmon.core.errors import ConfigError

log = logging.getLogger(__name__)

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_REDACTED = "***"


@dataclass(frozen=True, slots=True)
class Message:
    """What a target receives."""

    title: str
    body: str


@dataclass(frozen=True, slots=True)
class TargetResult:
    """How sending to one target went."""

    key: str  # stable, secret-free name of the target (stored in alerts.delivered_to)
    label: str  # apprise's privacy form of the URL, for people
    ok: bool
    tries: int
    error: str | None = None


def target_key(url_template: str) -> str:
    """A stable name for a configured URL that reveals nothing of it."""
    return hashlib.sha256(url_template.encode()).hexdigest()[:12]


def expand(url_template: str, environ: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """Fill ``${VAR}`` from the environment; returns the URL and the secret values used.

    A missing variable is a configuration error naming the variable, never its value.
    """
    env = os.environ if environ is None else environ
    secrets: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        if name not in env or env[name] == "":
            raise ConfigError(
                f"alerts.urls: environment variable {name} is not set "
                f"(target {target_key(url_template)})"
            )
        secrets.append(env[name])
        return env[name]

    return _VARIABLE.sub(fill, url_template), secrets


def scrub(text: str, secrets: Sequence[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, _REDACTED)
    return text


def check_urls(urls: Sequence[str], environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`ConfigError` for a URL apprise cannot use or a missing variable."""
    for i, template in enumerate(urls):
        url, secrets = expand(template, environ)
        if _instantiate(url, secrets) is None:
            scheme = url.split("://", 1)[0] if "://" in url else "none"
            raise ConfigError(
                f"alerts.urls[{i}]: not a URL apprise understands (scheme {scheme}; target "
                f"{target_key(template)})")


@contextmanager
def _captured(level: int) -> Iterator[io.StringIO]:
    """apprise's log lines, kept from every handler but ours (they may name a target)."""
    apprise_log = logging.getLogger("apprise")
    propagate = apprise_log.propagate
    apprise_log.propagate = False
    try:
        with apprise.LogCapture(level=level) as captured:  # type: ignore[no-untyped-call]
            yield captured
    finally:
        apprise_log.propagate = propagate


def _instantiate(url: str, secrets: Sequence[str]) -> apprise.Apprise | None:
    notifier = apprise.Apprise()
    with _captured(logging.DEBUG) as captured:
        added = notifier.add(url)
    if not added:
        log.debug("apprise refused a URL: %s", scrub(captured.getvalue().strip(), secrets))
        return None
    return notifier


def _label(notifier: apprise.Apprise, secrets: Sequence[str]) -> str:
    try:
        plugin = next(iter(notifier))
        private = str(plugin.url(privacy=True))  # type: ignore[no-untyped-call]
        return scrub(private.split("?", 1)[0], secrets)  # options add noise, not meaning
    except (StopIteration, Exception):  # a plugin without a privacy URL: name only the scheme
        return _REDACTED


def send(
    urls: Sequence[str],
    message: Message,
    *,
    skip: Collection[str] = (),
    retries: int = 2,
    backoff_s: float = 1.0,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[TargetResult]:
    """Send ``message`` to every target not in ``skip`` (keys); one result per target sent.

    Each target gets ``1 + retries`` tries with doubling back-off. Never raises for a
    delivery problem, including a target whose ``${VAR}`` is missing.
    """
    results: list[TargetResult] = []
    for template in urls:
        key = target_key(template)
        if key in skip:
            continue
        try:
            url, secrets = expand(template, environ)
        except ConfigError as exc:
            results.append(TargetResult(key, key, ok=False, tries=0, error=str(exc)))
            continue
        notifier = _instantiate(url, secrets)
        if notifier is None:
            results.append(
                TargetResult(key, key, ok=False, tries=0,
                             error=f"target {key} is not a URL apprise understands")
            )
            continue
        label = _label(notifier, secrets)
        results.append(_send_one(notifier, key, label, secrets, message, retries, backoff_s, sleep))
    return results


def _send_one(
    notifier: apprise.Apprise,
    key: str,
    label: str,
    secrets: Sequence[str],
    message: Message,
    retries: int,
    backoff_s: float,
    sleep: Callable[[float], None],
) -> TargetResult:
    error = "apprise reported a failure without a reason"
    delay = backoff_s
    for attempt in range(1, retries + 2):
        with _captured(logging.WARNING) as captured:
            try:
                ok = bool(
                    notifier.notify(
                        body=message.body, title=message.title,
                        body_format=apprise.NotifyFormat.TEXT,
                    )
                )
            except Exception as exc:  # a plugin bug must not escape into the cycle
                ok = False
                captured.write(f"{type(exc).__name__}: {exc}\n")
        if ok:
            return TargetResult(key, label, ok=True, tries=attempt)
        lines = [ln for ln in captured.getvalue().splitlines() if ln.strip()]
        if lines:
            error = scrub(lines[-1].split(" - ", 2)[-1], secrets)
        log.warning("alert delivery to %s failed (try %d/%d): %s", label, attempt,
                    retries + 1, error)
        if attempt <= retries:
            sleep(delay)
            delay *= 2
    return TargetResult(key, label, ok=False, tries=retries + 1, error=f"{label}: {error}")
