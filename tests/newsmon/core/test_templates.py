"""Message templates: the defaults render their samples, the first line is the title, and
a template cannot reach outside its context."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.core.templates import (
    KINDS,
    SAMPLE,
    TemplateProblem,
    compile_template,
    load_template,
    render,
)


@pytest.mark.parametrize("kind", KINDS)
def test_the_default_templates_render_their_samples(kind: str) -> None:
    title, body = render(load_template(None, kind), SAMPLE[kind])  # type: ignore[arg-type]
    assert title.startswith("newsmon") and "\n" not in title
    assert "Kim Jong-un arrives in Russia" in body


def test_the_first_line_is_the_title_and_the_rest_the_body(tmp_path: Path) -> None:
    path = tmp_path / "t.j2"
    path.write_text("\n  {{ alert.name }} up  \nline one\n\nline two\n", encoding="utf-8")
    assert render(load_template(path, "spike"), SAMPLE["spike"]) == (
        "kim_jong_un up", "line one\n\nline two")


def test_templates_are_sandboxed() -> None:
    unsafe = "{{ alert.__class__.__mro__[1].__subclasses__() }}\nbody"
    with pytest.raises(TemplateProblem, match="does not render: .*unsafe"):
        compile_template(unsafe, "spike")


def test_a_digest_template_cannot_use_spike_fields() -> None:
    with pytest.raises(TemplateProblem, match="'alert' is undefined"):
        compile_template("{{ alert.name }}\nbody", "digest")


def test_a_template_saved_in_another_encoding_is_named(tmp_path: Path) -> None:
    path = tmp_path / "spike.j2"
    path.write_bytes("{{ alert.name }} gestiegen\nÄnderung\n".encode("latin-1"))
    with pytest.raises(TemplateProblem) as caught:
        load_template(path, "spike")
    assert str(caught.value) == (f"{path}: not UTF-8 text (byte 27: invalid continuation "
                                 "byte); save it as UTF-8")
