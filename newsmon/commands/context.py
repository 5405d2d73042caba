"""What every command gets: the settings of this invocation and how to read the rest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsmon.core.config import Config, load_config
from newsmon.core.errors import ConfigError, InputError
from newsmon.core.settings import Settings


@dataclass
class Context:
    settings: Settings
    debug: bool

    def config(self) -> Config:
        """The configuration, with what it names checked: its taxonomy files load,
        ``[alerts.topics.NAME]`` names a topic of that taxonomy, and every alert URL is one
        a notification service takes (found now, not when the first spike is to be sent)."""
        from newsmon.tagging import check_config_references

        config = load_config(self.settings.config)
        check_config_references(config)
        if config.alerts.urls:
            from newsmon.analysis.delivery import check_urls

            try:
                check_urls(config.alerts.urls)
            except ConfigError as exc:
                raise ConfigError(f"{config.path}: {exc}") from None
        return config


def check_warehouse_folder(db: Path) -> None:
    """A --db in a folder that does not exist is a typo, not a request to create it; only
    the default warehouse folder is created."""
    default = Settings.model_fields["db"].default
    if not db.parent.exists() and db != default:
        raise InputError(f"{db}: the folder {db.parent} does not exist (create it first, "
                         "or check --db / NEWSMON_DB)")
