"""Everything a cycle needs, resolved once at its entry point and passed down.

Settings, the configuration file, the compiled taxonomy and the warehouse handle are
read here and nowhere else during a cycle: an edited configuration takes effect at the
next cycle, and a broken one fails before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsmon.core.config import Config, load_config
from newsmon.core.settings import Settings
from newsmon.tagging import Tagger, check_config_references, tagger_for_config
from warehouse import Warehouse, open_warehouse


@dataclass(frozen=True)
class RunContext:
    settings: Settings
    config: Config
    tagger: Tagger
    warehouse: Warehouse

    @classmethod
    def resolve(cls, settings: Settings, config: Config | None = None) -> RunContext:
        """The context for ``settings`` (their configuration file unless one is given)."""
        if config is None:
            config = load_config(settings.config)
            check_config_references(config)
        return cls(settings, config, tagger_for_config(config), open_warehouse(settings))
