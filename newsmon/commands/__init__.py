"""Commands of the later stages (feeds, tagging, trends, scheduling), one module each.

Each module defines click commands that take the :class:`newsmon.cli.Context` with
``@click.pass_obj``; :func:`register` adds them to the ``newsmon`` group. Keeping them
here keeps ``newsmon/cli.py`` small and lets each stage own its commands.
"""

from __future__ import annotations

import click

# Modules listed here are imported when the CLI starts; keep their imports light
# (import Prefect, trafilatura etc. inside the command functions).
COMMAND_MODULES: tuple[str, ...] = (
    "cycles", "sql", "schedule", "trends", "tagging", "feed_health", "export", "search",
    "stories", "web", "migrate",
)


def register(group: click.Group) -> None:
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"newsmon.commands.{name}")
        for command in getattr(module, "COMMANDS", ()):
            group.add_command(command)
