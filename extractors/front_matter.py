"""The front matter a Markdown note opens with: what the tool that saved it knew of it.

Web clippers and note tools write it as YAML between ``---`` lines (Obsidian's Web
Clipper, MarkDownload, Joplin, Jekyll, Hugo) or as TOML between ``+++`` lines (Hugo).
Only its plain values are kept (text, numbers, dates, lists of them): a nested mapping
says nothing newsmon reads, and an alias-laden one is a way to make a reader build a huge
object. A block that is not valid YAML is read line by line as ``key: value``, as hand-
written front matter often is (``title: Kim: the visit`` is no YAML mapping, and the
note's metadata should not be lost over a colon).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

#: The longest front matter read (characters): a note's metadata is a few lines; a block
#: this long without its closing line is text that happens to open with a rule.
MAX_FRONT_MATTER_CHARS = 65_536
_YAML_BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
_LINE = re.compile(r"^([A-Za-z_][\w -]{0,40}?)\s*:\s*(.*?)\s*$")
#: The most items of a list value kept (the writers of a story are a few).
MAX_LIST_ITEMS = 50

Value = str | list[str]


@dataclass(frozen=True, slots=True)
class Note:
    """A note's metadata (keys lower case, ``-`` and spaces as ``_``) and its body."""

    fields: dict[str, Value]
    body: str


def split_front_matter(text: str) -> Note:
    """The note's front matter and the Markdown after it; a note without one is all body."""
    head = text[: MAX_FRONT_MATTER_CHARS + 8]
    for block, parse in ((_YAML_BLOCK, _yaml), (_TOML_BLOCK, _toml)):
        match = block.match(head)
        if match:
            found = parse(match[1] or "")
            if found is not None:
                return Note(found, text[match.end():])
    return Note({}, text)


def _yaml(block: str) -> dict[str, Value] | None:
    try:
        doc = yaml.safe_load(block)
    except yaml.YAMLError:
        return _lines(block)
    if doc is None:
        return {}
    return _plain(doc) if isinstance(doc, dict) else None


def _toml(block: str) -> dict[str, Value] | None:
    try:
        return _plain(tomllib.loads(block))
    except tomllib.TOMLDecodeError:
        return _lines(block)


def _lines(block: str) -> dict[str, Value] | None:
    """``key: value`` lines of a block no YAML parser reads (quotes around a value taken
    off); None when fewer than half of its lines are such, as then it is no front matter."""
    lines = [line for line in block.splitlines() if line.strip()]
    found: dict[str, Value] = {}
    for line in lines:
        match = _LINE.match(line)
        if match and match[2]:
            found.setdefault(_key(match[1]), match[2].strip("'\""))
    return found if lines and 2 * len(found) >= len(lines) else None


def _plain(doc: dict[Any, Any]) -> dict[str, Value]:
    found: dict[str, Value] = {}
    for key, value in doc.items():
        if not isinstance(key, str):
            continue
        if isinstance(value, list):
            items = [_scalar(v) for v in value[:MAX_LIST_ITEMS]]
            found[_key(key)] = [i for i in items if i]
        elif (text := _scalar(value)) is not None:
            found[_key(key)] = text
    return found


def _scalar(value: Any) -> str | None:
    """A plain value as text (a date as ISO 8601, as YAML and TOML read one unquoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    return None


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


__all__ = ["MAX_FRONT_MATTER_CHARS", "Note", "Value", "split_front_matter"]
