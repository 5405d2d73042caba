"""User configuration: what to monitor (``newsmon.toml``, or YAML), validated.

Settings (:mod:`newsmon.core.settings`) say *how* newsmon runs; this file says *what* it
watches. Every error names the file and the key, e.g.
``newsmon.toml: sources.paths: Input should be a valid list``. Relative paths are
taken relative to the configuration file, so a config works from any directory.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from newsmon.core.errors import ConfigError, InputError
from newsmon.core.templates import KINDS, TemplateProblem, load_template
from newsmon.core.urls import web_url_problem
from newsmon.core.wording import not_utf8

DEFAULT_CONFIG_NAME = "newsmon.toml"
_APPRISE_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def with_secrets(url: str) -> str:
    """``url`` with each ``${ENV_VAR}`` it holds replaced by the variable's value, read
    now: a feed that needs a key (a news API's ``api-key=${GUARDIAN_KEY}``) is known and
    stored by its address as written, and only the request carries the key. A variable
    that is not set is an :class:`InputError` naming it."""
    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name not in os.environ:
            raise InputError(f"{url}: ${{{name}}} is not set in the environment")
        return os.environ[name]

    return _ENV_REFERENCE.sub(value, url)


def without_secrets(text: str, url: str) -> str:
    """``text`` (an error about ``url``'s request) with the value of each variable
    ``url`` names written back as its ``${ENV_VAR}``: what is recorded or shown of a
    failed request never holds the key it carried."""
    for name in set(_ENV_REFERENCE.findall(url)):
        secret = os.environ.get(name)
        if secret:
            text = text.replace(secret, "${" + name + "}")
    return text


def redact_url(url: str) -> str:
    """A notification URL fit to show: scheme, user and host kept; a password, the path
    and the query (where services put tokens) hidden."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)(?:([^/:@]*)(?::[^@/]*)?@)?([^/?#]*)(.*)$",
                     url.strip())
    if not match:
        return "***"
    scheme, user, host, rest = match.groups()
    shown = f"{scheme}{user + ':***@' if user is not None else ''}{host}"
    return shown + ("/***" if rest.strip("/") else "")


class _Strict(BaseModel):
    # inf and nan pass "> 0" checks and then break date arithmetic on every run
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SourcesConfig(_Strict):
    """Local files and folders read on every cycle."""

    paths: list[Path] = Field(default_factory=list)


class TaggingConfig(_Strict):
    """``[tagging]``: your own topic and entity files (TOML or YAML); unset = shipped defaults.

    See docs/topics.md for their format. A change of either file changes the taxonomy
    version; ``newsmon retag`` brings stored articles up to date.
    """

    topics: Path | None = Field(None, description="topic taxonomy file")
    entities: Path | None = Field(None, description="tracked entities file")
    scorer: Path | None = Field(None, description="topic scorer weights (newsmon topics fit)")
    use_scorer: bool = Field(True, description="false: each topic's threshold decides alone")
    words: Path | None = Field(None, description="topic word model weights (newsmon topics fit)")
    use_words: bool = Field(True, description="false: no word model adds or holds back topics")
    multilingual: bool = Field(
        False, description="shipped topics with terms in French, Spanish, Italian, Polish, "
                           "Russian, Japanese, Korean and Chinese too (not with `topics`)")

    @model_validator(mode="after")
    def _one_topics_source(self) -> TaggingConfig:
        if self.multilingual and self.topics is not None:
            raise ValueError("multilingual chooses the shipped topics, topics a file of your "
                             "own: set one of them")
        return self


class ScheduleConfig(_Strict):
    """``[schedule]``: what ``newsmon serve`` runs and how often (README "Scheduled monitoring")."""

    cycle_minutes: float = Field(default=15, gt=0, le=24 * 60)  # monitoring cycle interval
    maintenance_hour_utc: int = Field(default=3, ge=0, le=23)  # daily checkpoint/compaction
    feed_items_keep_days: int = Field(default=90, ge=1, le=3650)  # handled items kept this long
    # a run that cannot get the warehouse slot within this many seconds fails (and is retried
    # by the next schedule), so a stuck run never piles up a queue of waiting ones
    slot_timeout_s: float = Field(default=600, gt=0, le=24 * 3600)


class FeedConfig(_Strict):
    """One ``[[feeds]]`` entry: an RSS/Atom feed polled on every cycle (see README "Feeds")."""

    url: str = Field(description="http(s) URL of the feed")
    name: str | None = Field(default=None, description="shown in logs; defaults to the URL")
    language: str | None = Field(
        default=None, pattern=r"^[a-z]{2,3}$", description="ISO 639 code if detection fails"
    )
    poll_minutes: float = Field(
        default=0, ge=0, le=7 * 24 * 60,
        description="minutes between polls (at most a week), replacing the adaptive "
        "interval; 0 = adaptive ([polling])",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        problem = web_url_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class NetworkConfig(_Strict):
    """``[network]``: how feeds and pages are fetched (limits keep newsmon polite)."""

    allow_private_networks: bool = Field(
        default=False,
        description="fetch links to private addresses (or NEWSMON_ALLOW_PRIVATE_NETWORKS=1)",
    )
    timeout_s: float = Field(default=20.0, gt=0, le=300)
    max_response_bytes: int = Field(default=10_000_000, ge=1024)
    max_redirects: int = Field(default=5, ge=0, le=30)
    max_connections: int = Field(default=16, ge=1, le=128)
    max_per_host: int = Field(default=4, ge=1, le=32)
    # least seconds from a host's answer to its next request (pages, feeds, robots.txt)
    min_host_gap_s: float = Field(default=2.0, ge=0, le=120)
    # a host that answers 429 or 503 gets no request for this long (or its Retry-After)
    slow_down_s: float = Field(default=30.0, ge=0, le=3600)
    # addresses of one site left unanswered in a row (timeout, refused) before the rest of
    # its pages wait for the next cycle; 0 = try every page whatever the site did
    host_down_after: int = Field(default=3, ge=0, le=1000)
    # default: names newsmon and its version; a header value, so printable ASCII only
    user_agent: str | None = Field(default=None, min_length=1, max_length=300,
                                   pattern=r"^[\x20-\x7e]+$")
    # where a site's operator can reach whoever runs this newsmon: added to the User-Agent
    contact: str | None = Field(default=None, max_length=200,
                                pattern=r"^(https?://|mailto:)[\x21-\x7e]+$")


class PollingConfig(_Strict):
    """``[polling]``: bounds of each feed's adaptive interval, when a failing feed is
    parked (tried once per ``max_minutes`` until it answers, or ``newsmon feeds --retry``),
    and how many new linked pages one poll of a feed fetches (the newest; the rest on the
    next polls): a news sitemap or a new feed's archive lists hundreds at once, and at a
    few seconds a page one site's backlog would hold the whole cycle up. Entries that
    carry their full text cost no request and are all taken."""

    min_minutes: float = Field(default=10, ge=1, le=24 * 60)
    max_minutes: float = Field(default=24 * 60, ge=1, le=7 * 24 * 60)
    park_after_failures: int = Field(default=10, ge=1, le=1000)
    max_new_items: int = Field(default=200, ge=1, le=100_000)

    @model_validator(mode="after")
    def _ordered(self) -> PollingConfig:
        if self.max_minutes < self.min_minutes:
            raise ValueError(f"max_minutes ({self.max_minutes:g}) is below min_minutes "
                             f"({self.min_minutes:g})")
        return self


class AlertThresholds(_Strict):
    """When a topic's window counts as a spike (see :mod:`newsmon.analysis.spikes` for the why)."""

    threshold: float = Field(default=5.0, gt=0, le=1000)  # robust z of the window over baseline
    min_count: int = Field(default=5, ge=1, le=1_000_000)  # stories (clusters) in the window
    min_sources: int = Field(default=3, ge=1, le=10_000)  # distinct sources in the window
    min_ratio: float = Field(default=2.0, ge=1, le=1000)  # window count >= ratio * baseline
    min_spread: float = Field(default=1.0, gt=0, le=1_000_000)  # floor on the baseline spread


class TopicAlerts(_Strict):
    """Per-topic overrides in ``[alerts.topics.NAME]``; unset keys keep the section's value."""

    enabled: bool = True
    threshold: float | None = Field(default=None, gt=0, le=1000)
    min_count: int | None = Field(default=None, ge=1, le=1_000_000)
    min_sources: int | None = Field(default=None, ge=1, le=10_000)
    min_ratio: float | None = Field(default=None, ge=1, le=1000)
    min_spread: float | None = Field(default=None, gt=0, le=1_000_000)


def split_watch_key(key: str) -> tuple[str, str]:
    """(kind, name) of a watched item's key: ``entity:NAME`` and ``search:NAME``, else a
    topic (the key ``alerts.topic`` stores)."""
    kind, sep, name = key.partition(":")
    return (kind, name) if sep and name and kind in ("entity", "search") else ("topic", key)


class SavedSearch(TopicAlerts):
    """``[alerts.searches.NAME]``: a query in ``newsmon search`` syntax, watched like a topic
    (its stories per window against its own baseline), with optional threshold overrides."""

    query: str = Field(min_length=1, max_length=2000)


class AlertTemplates(_Strict):
    """``[alerts.templates]``: Jinja2 files that replace the default messages (paths
    relative to the configuration file); checked when the configuration loads."""

    spike: Path | None = None
    digest: Path | None = None


class AlertsConfig(AlertThresholds):
    """``[alerts]``: spike detection and delivery. URLs are apprise URLs; write secrets as
    ``${ENV_VAR}`` so they come from the environment and never sit in the file."""

    enabled: bool = True
    window_hours: int = Field(default=3, ge=1, le=48)  # length of the window compared
    baseline_days: int = Field(default=28, ge=7, le=365)  # trailing days in the baseline
    min_history_days: int = Field(default=7, ge=1, le=365)  # baseline days before alerting
    cooldown_hours: int = Field(default=24, ge=0, le=24 * 365)  # quiet time after an alert
    lookback_hours: int = Field(default=6, ge=1, le=24 * 30)  # windows ending this recently
    top_articles: int = Field(default=5, ge=1, le=50)  # stories quoted as evidence
    urls: list[str] = Field(default_factory=list)  # apprise URLs alerts are sent to
    max_attempts: int = Field(default=5, ge=1, le=100)  # delivery attempts before giving up
    retries: int = Field(default=2, ge=0, le=10)  # immediate retries within one attempt
    topics: dict[str, TopicAlerts] = Field(default_factory=dict)
    # tracked entities and saved searches are watched when named here (topics always are)
    entities: dict[str, TopicAlerts] = Field(default_factory=dict)
    searches: dict[str, SavedSearch] = Field(default_factory=dict)
    digest_hours: int = Field(default=0, ge=0, le=24 * 7)  # 0: one message per spike
    digest_stories: int = Field(default=3, ge=1, le=50)  # top stories per watched item
    templates: AlertTemplates = Field(default_factory=AlertTemplates)

    @field_validator("urls")
    @classmethod
    def _apprise_urls(cls, urls: list[str]) -> list[str]:
        """A scheme and ``://``: what apprise needs to pick a service."""
        for i, url in enumerate(urls):
            if not _APPRISE_URL.match(url.strip()):
                raise ValueError(f"[{i}]: not a notification URL (like slack://..., "
                                 "mailto://..., json://host/path)")
        return urls

    @field_serializer("urls", when_used="json")
    def _hide_secrets(self, urls: list[str]) -> list[str]:
        """JSON (what Prefect stores as a run's parameters and its UI shows) gets each URL
        with its password and path hidden: they hold tokens (slack://T/B/secret)."""
        return [redact_url(u) for u in urls]

    def _override(self, key: str) -> TopicAlerts | None:
        """The section for a watched item: ``entity:NAME``, ``search:NAME`` or a topic."""
        kind, name = split_watch_key(key)
        if kind == "entity":
            return self.entities.get(name)
        if kind == "search":
            return self.searches.get(name)
        return self.topics.get(name)

    def thresholds_for(self, key: str) -> AlertThresholds:
        """The section's thresholds with the item's own overrides applied
        (``[alerts.topics.T]``, ``[alerts.entities.E]``, ``[alerts.searches.S]``)."""
        base = AlertThresholds.model_validate(
            {k: getattr(self, k) for k in AlertThresholds.model_fields}
        )
        override = self._override(key)
        if override is None:
            return base
        changes = {
            k: v for k, v in override.model_dump(include=set(AlertThresholds.model_fields)).items()
            if v is not None
        }
        return base.model_copy(update=changes)

    def topic_enabled(self, key: str) -> bool:
        override = self._override(key)
        return self.enabled and (override is None or override.enabled)


class Config(_Strict):
    """The whole configuration file. Sections are added by later stages (feeds, topics ...)."""

    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    feeds: list[FeedConfig] = Field(default_factory=list)
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    polling: PollingConfig = Field(default_factory=PollingConfig)
    tagging: TaggingConfig = Field(default_factory=TaggingConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    path: Path | None = Field(None, exclude=True, description="the file this was read from")

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def resolve(self, path: Path) -> Path:
        """``~`` is the user's home; other relative paths are relative to this file."""
        path = path.expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def source_paths(self) -> list[Path]:
        """``[sources] paths``, resolved; one that does not exist (now: a folder can vanish
        between cycles) is an error naming the file and the key."""
        resolved = [self.resolve(p) for p in self.sources.paths]
        for i, path in enumerate(resolved):
            if not path.exists():
                raise ConfigError(f"{self.path or DEFAULT_CONFIG_NAME}: sources.paths[{i}]: "
                                  f"{path} does not exist")
        return resolved

    def cycle_folders(self, seeds_dir: Path, hint: str = "") -> list[Path]:
        """The files and folders a cycle reads: ``[sources] paths``, or ``seeds_dir`` when
        neither paths nor feeds are configured (``hint`` follows its error when it is gone)."""
        sources = self.source_paths()
        if sources or self.feeds:
            return sources
        if not seeds_dir.exists():
            raise InputError(f"source {seeds_dir} does not exist{hint}")
        return [seeds_dir]


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:  # TOML is UTF-8 by definition; so is our YAML
        raise ConfigError(not_utf8(path, exc)) from None
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            data = yaml.safe_load(raw) or {}
        else:
            data = tomllib.loads(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, RecursionError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a table of sections")
    return data


def _config_key(loc: Sequence[int | str]) -> str:
    """A key as the file reads: ``feeds[0].url``, the first ``[[feeds]]`` table's url."""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else part
    return key


def error_message(root: type[BaseModel], err: ErrorDetails) -> str:
    """One validation error of a user's file as its message says it; an unknown key
    lists the keys its table takes (a typo's fix is usually among them)."""
    if err["type"] == "extra_forbidden":
        known = _known_keys(root, err["loc"][:-1])
        return "unknown key" + (f" (known here: {', '.join(known)})" if known else "")
    return str(err["msg"]).removeprefix("Value error, ")


def _known_keys(root: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys the table at ``loc`` of ``root`` takes; empty where the way there is not
    a model's."""
    kind: Any = root
    for part in loc:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            field = kind.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            kind = field.annotation
        else:  # an item of a list or a table of tables (or an optional table): its type
            args = [arg for arg in get_args(kind) if arg is not type(None)]
            if not args:
                return []
            kind = args[-1]
    if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
        return []
    return [name for name, field in kind.model_fields.items() if not field.exclude]


def load_config(path: Path | None) -> Config:
    """Load and validate ``path``; with ``None``, ``./newsmon.toml`` if present, else defaults."""
    if path is None:
        default = Path(DEFAULT_CONFIG_NAME)
        if not default.exists():
            return Config()
        path = default
    elif not path.exists():
        raise ConfigError(f"{path}: configuration file not found")
    data = _read(path)
    try:
        config = Config(**data, path=path.resolve())
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _config_key(err["loc"]) or "(top level)"
        msg = error_message(Config, err)
        if msg.startswith("["):  # a list item named by the validator: urls[0]: ...
            key, msg = key + msg[: msg.index("]") + 1], msg[msg.index("]") + 3 :]
        raise ConfigError(f"{path}: {key}: {msg}") from None
    # a key a feed or an alert target needs: found now, not at its poll or the first spike
    named = [*((f"feeds[{i}].url", f.url) for i, f in enumerate(config.feeds)),
             *((f"alerts.urls[{i}]", url) for i, url in enumerate(config.alerts.urls))]
    for key, url in named:
        for name in _ENV_REFERENCE.findall(url):
            if name not in os.environ:
                raise ConfigError(f"{path}: {key}: ${{{name}}} is not set in the environment")
    templates: dict[str, Path] = {}
    for kind in KINDS:  # a template that cannot render is found now, not at the first spike
        template = getattr(config.alerts.templates, kind)
        if template is not None:
            templates[kind] = config.resolve(template)
            try:
                load_template(templates[kind], kind)
            except TemplateProblem as exc:
                raise ConfigError(f"{path}: alerts.templates.{kind}: {exc}") from None
    if templates:  # kept as absolute paths: alerts are composed from any working directory
        resolved = config.alerts.templates.model_copy(update=templates)
        config = config.model_copy(
            update={"alerts": config.alerts.model_copy(update={"templates": resolved})})
    for key in ("topics", "entities", "scorer", "words"):
        named = getattr(config.tagging, key)
        if named is not None and not config.resolve(named).is_file():
            raise ConfigError(f"{path}: tagging.{key}: no such file: {config.resolve(named)}")
    return config
