"""Alert and digest messages from Jinja2 templates that users may replace.

A template renders the whole message: its first line is the title (the subject of an
email, the bold line of a chat message), the rest the body. Templates run in Jinja2's
sandbox with ``StrictUndefined``, so a misspelt variable is an error, and they are
checked when the configuration loads by rendering them on :data:`SAMPLE` contexts (the
same shapes a real alert or digest passes; the README documents every field). The
defaults live in ``newsmon/defaults/templates/``.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from newsmon.core.wording import not_utf8

Kind = Literal["spike", "digest"]
KINDS: tuple[Kind, ...] = ("spike", "digest")

_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                            keep_trailing_newline=False, trim_blocks=True,
                            lstrip_blocks=True)

_STORY: dict[str, Any] = {
    "article_id": 1, "title": "Kim Jong-un arrives in Russia", "url": "https://example.org/a",
    "source": "Example News", "published_at": datetime(2026, 3, 1, 9), "copies": 3,
    "score": 4.2, "evidence": [],
}
_ALERT: dict[str, Any] = {
    "key": "entity:kim_jong_un", "kind": "entity", "name": "kim_jong_un",
    "window_start": datetime(2026, 3, 1, 6), "window_end": datetime(2026, 3, 1, 9),
    "hours": 3, "count": 9, "articles": 14, "sources": 6, "baseline": 1.5, "spread": 1.2,
    "score": 6.3, "ratio": 6.0, "top_articles": [_STORY],
}
#: What each kind of template is rendered with (checked at load on these).
SAMPLE: dict[Kind, dict[str, Any]] = {
    "spike": {"alert": _ALERT},
    "digest": {
        "period_start": datetime(2026, 3, 1, 6), "period_end": datetime(2026, 3, 1, 12),
        "spikes": [_ALERT],
        "watched": [{"key": "sanctions", "kind": "topic", "name": "sanctions",
                     "stories": [{"story_id": 1, "headline": "Kim Jong-un arrives in Russia",
                                  "articles": 4, "sources": 3, "languages": ["de", "en"],
                                  "first_seen": datetime(2026, 3, 1, 7),
                                  "last_seen": datetime(2026, 3, 1, 11),
                                  "outlets": ["Example News"]}]}],
    },
}


class TemplateProblem(ValueError):
    """A template that does not parse or does not render on its sample context."""


def default_source(kind: Kind) -> str:
    return (resources.files("newsmon") / "defaults" / "templates" / f"{kind}.j2").read_text(
        encoding="utf-8")


def compile_template(source: str, kind: Kind) -> jinja2.Template:
    """Parse ``source`` and render it once on the sample context of ``kind``."""
    try:
        template = _ENV.from_string(source)
        render(template, SAMPLE[kind])
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"line {exc.lineno}: {exc.message}") from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise TemplateProblem(f"does not render: {exc}") from None
    return template


def load_template(path: Path | None, kind: Kind) -> jinja2.Template:
    """The template at ``path`` (checked), or the default one."""
    if path is None:
        return compile_template(default_source(kind), kind)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise TemplateProblem(not_utf8(path, exc)) from None
    return compile_template(source, kind)


def render(template: jinja2.Template, context: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of one message."""
    text = template.render(**context).strip()
    if not text:
        raise TemplateProblem("renders to an empty message")
    title, _, body = text.partition("\n")
    return title.strip(), body.strip("\n")
