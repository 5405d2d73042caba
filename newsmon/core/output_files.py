"""Files newsmon writes on request (exports, charts, review lists, OPML): where they may go."""

from __future__ import annotations

from pathlib import Path

from newsmon.core.errors import InputError


def check_output_folder(path: Path) -> None:
    """A file to write in a folder that does not exist is a typo: said before any work is
    done, and the folder is not created (as for ``--db``)."""
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist")


def write_output(path: Path, data: bytes, what: str) -> None:
    """Write ``data`` to ``path``, or an :class:`InputError` naming the file and ``what``
    it was to hold."""
    check_output_folder(path)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the {what}: {exc.strerror or exc}") from None
