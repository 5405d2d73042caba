"""Debian packages a test needs (Chromium, PostgreSQL), installed by the project's script."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system-packages"


def install(packages: tuple[str, ...]) -> None:
    """``scripts/system-packages PACKAGES`` (root; apt from Debian's packages)."""
    subprocess.run([str(SCRIPT), *packages], check=True)


def hint(packages: tuple[str, ...]) -> str:
    """How to install them, for a message saying they are missing."""
    return f"`scripts/system-packages {' '.join(packages)}` installs it (as root)"
