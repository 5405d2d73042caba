"""The one typed settings object.

Settings are the knobs of the program (where the warehouse is, limits, batch sizes),
read from ``NEWSMON_*`` environment variables and from command-line options. What a
user *monitors* (sources, feeds, topics, alerts) is configuration, in ``newsmon.toml``
(see :mod:`newsmon.core.config`). Unknown ``NEWSMON_*`` variables are rejected rather than
ignored: a typo in ``NEWSMON_DB_PATH`` would otherwise silently write somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsmon.core.errors import ConfigError
from newsmon.core.shard import Shard

ENV_PREFIX = "NEWSMON_"


class Settings(BaseSettings):
    """Runtime settings; each field can be set as ``NEWSMON_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    db: Path | str = Field(
        Path("warehouse/newsmon.duckdb"),
        description="warehouse: a DuckDB file, a SQLite-catalogued DuckLake (*.ducklake) or a "
        "PostgreSQL-catalogued DuckLake (postgresql://user:pass@host:port/dbname)",
    )
    shard: str | None = Field(
        None, description="K/N: this worker's share of the feeds when N workers write one "
        "PostgreSQL lake (worker K of N, from 0); folders are read by worker 0",
    )
    lake_data: str | None = Field(
        None, description="where a PostgreSQL lake's data files live: a folder every worker "
        "shares, or an s3:// URL",
    )
    config: Path | None = Field(None, description="configuration file (default ./newsmon.toml)")
    search_index: Path | None = Field(
        None, description="full-text index directory (default: <db>.search beside the warehouse)"
    )
    seeds_dir: Path = Field(Path("seeds"), description="sources read when nothing is configured")
    keep_pages: Path | None = Field(
        None, description="folder where each run keeps the pages it fetched, as a web archive "
        "(pages-<time>-<pid>.warc.gz) that `newsmon ingest` replays offline",
    )
    batch_size: int = Field(200, ge=1, description="articles per extract/load batch")
    max_file_bytes: int = Field(10_000_000, ge=1, description="larger inputs are rejected unread")
    min_words: int = Field(40, ge=1, description="shorter texts are rejected as too_short")
    near_duplicate_threshold: float = Field(
        0.5, gt=0, lt=1, description="estimated Jaccard similarity that makes a near-duplicate"
    )
    dedup_window_days: int = Field(
        60, ge=1, description="near-duplicates are looked for among articles this recent"
    )
    story_threshold: float = Field(
        0.35, gt=0, lt=1, description="similarity of an article to a story that makes it join"
    )
    story_window_hours: float = Field(
        72, gt=0, le=24 * 30,
        description="a story takes articles this close to its first and last one",
    )
    lock_timeout_s: float = Field(
        60.0, ge=0, description="how long to wait for another process to release the warehouse"
    )
    allow_private_networks: bool = Field(
        False, description="allow links to loopback/private addresses (tests, intranets)"
    )
    workers: int = Field(0, ge=0, description="extraction processes; 0 = one per core. "
                         "A cycle of less than ~100 pages' work (~500 plain-text "
                         "files) extracts in-process whatever this says")
    prefect: Literal["auto", "always", "never"] = Field(
        "auto",
        description="run/ingest through Prefect: auto = when a server runs (PREFECT_API_URL "
        "or `newsmon up`), always = start a temporary one if none runs, never = plain",
    )
    s3_key_id: str | None = Field(None, description="object store key id (lake data on s3://)")
    s3_secret: SecretStr | None = Field(None, description="object store secret key")
    s3_region: str = Field("us-east-1", description="object store region")
    s3_endpoint: str | None = Field(
        None, description="http(s)://host:port of an S3-compatible store other than AWS")
    web_token: SecretStr | None = Field(
        None, description="token `newsmon web` requires on every request (needed to bind "
        "anywhere but loopback)"
    )
    debug: bool = False

    @field_validator("db", mode="before")
    @classmethod
    def _db_path_or_url(cls, value: object) -> object:
        """A postgresql:// URL stays text (a path would fold its ``//``); the rest are paths.
        An empty one (``--db "$DB"`` unset) is no warehouse: Path("") would be the working
        directory."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("empty: name a DuckDB file, a .ducklake or a postgresql:// URL")
        if isinstance(value, str) and not value.startswith(("postgresql://", "postgres://")):
            return Path(value)
        return value

    @field_validator("config", "search_index", "seeds_dir", mode="before")
    @classmethod
    def _path_not_empty(cls, value: object) -> object:
        """An empty variable (``NEWSMON_CONFIG=``) names no file: Path("") is the working
        directory."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("empty: name a path, or leave the variable unset")
        return value

    @field_validator("shard")
    @classmethod
    def _shard_is_k_of_n(cls, value: str | None) -> str | None:
        Shard.parse(value)  # ValueError, reported as a setting error naming NEWSMON_SHARD
        return value

    @property
    def worker(self) -> Shard:
        """This worker's share of the feeds (``shard``; the only worker when unset)."""
        return Shard.parse(self.shard)

    @property
    def db_url(self) -> str | None:
        """The catalog URL of a PostgreSQL lake, or None for a local warehouse."""
        return self.db if isinstance(self.db, str) else None


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment plus explicit overrides (CLI options win).

    ``None`` overrides are dropped so an absent CLI option falls back to the environment.
    """
    unknown = sorted(
        name
        for name in os.environ
        if name.startswith(ENV_PREFIX)
        and name[len(ENV_PREFIX) :].lower() not in Settings.model_fields
    )
    if unknown:
        known = ", ".join(ENV_PREFIX + f.upper() for f in Settings.model_fields)
        raise ConfigError(f"unknown environment variable {unknown[0]} (known: {known})")
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")  # pydantic's, not ours
        raise ConfigError(f"setting {ENV_PREFIX}{key.upper()}: {message}") from None
