"""User configuration: what to monitor (``newsmon.toml``, or YAML), validated.

Settings (:mod:`newsmon.settings`) say *how* newsmon runs; this file says *what* it
watches. Every error names the file and the key, e.g.
``newsmon.toml: sources.paths: Input should be a valid list``. Relative paths are
taken relative to the configuration file, so a config works from any directory.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from newsmon.errors import ConfigError

DEFAULT_CONFIG_NAME = "newsmon.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class ScheduleConfig(_Strict):
    """``[schedule]``: what ``newsmon serve`` runs and how often (README "Scheduled monitoring")."""

    cycle_minutes: float = Field(default=15, gt=0, le=24 * 60)  # monitoring cycle interval
    maintenance_hour_utc: int = Field(default=3, ge=0, le=23)  # daily checkpoint/compaction
    feed_items_keep_days: int = Field(default=90, ge=1)  # handled feed items kept this long
    # a run that cannot get the warehouse slot within this many seconds fails (and is retried
    # by the next schedule), so a stuck run never piles up a queue of waiting ones
    slot_timeout_s: float = Field(default=600, gt=0)


class Config(_Strict):
    """The whole configuration file. Sections are added by later stages (feeds, topics ...)."""

    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    tagging: TaggingConfig = Field(default_factory=TaggingConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    path: Path | None = Field(None, exclude=True, description="the file this was read from")

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else self.base_dir / path


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            data = yaml.safe_load(raw) or {}
        else:
            data = tomllib.loads(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a table of sections")
    return data


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
        return Config(**data, path=path.resolve())
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(f"{path}: {key}: {err['msg']}") from None
