"""A Markdown note's front matter: YAML or TOML, plain values only, hand-written blocks
read line by line, and text that merely opens with a rule left as text."""

from __future__ import annotations

from extractors.front_matter import MAX_FRONT_MATTER_CHARS, split_front_matter


def test_yaml_front_matter_is_split_from_the_body_with_its_plain_values() -> None:
    note = split_front_matter(
        "---\nTitle: Kim in Russia\nsource: https://example.org/a\nauthor:\n  - Jane Roe\n"
        "  - John Doe\npublished: 2023-09-12\ncreated: 2024-01-05T10:22:31+01:00\n"
        "Date Saved: 2024-01-05 10:22:31\npaywalled: false\nwords: 812\n"
        "nested:\n  a: 1\n---\n# Kim in Russia\n\nText.\n")
    assert note.fields == {
        "title": "Kim in Russia", "source": "https://example.org/a",
        "author": ["Jane Roe", "John Doe"], "published": "2023-09-12",
        "created": "2024-01-05T10:22:31+01:00", "date_saved": "2024-01-05T10:22:31",
        "paywalled": "false", "words": "812"}  # a nested mapping says nothing read here
    assert note.body == "# Kim in Russia\n\nText.\n"


def test_toml_front_matter_as_hugo_writes_it() -> None:
    note = split_front_matter('+++\ntitle = "Sanctions"\ndate = 2023-09-14T09:30:00+02:00\n'
                              'authors = ["Jane Roe"]\n+++\nText.')
    assert note.fields == {"title": "Sanctions", "date": "2023-09-14T09:30:00+02:00",
                           "authors": ["Jane Roe"]}
    assert note.body == "Text."


def test_front_matter_no_parser_reads_is_read_line_by_line() -> None:
    """A colon in a value ("Kim: the visit") is no YAML; the metadata is kept all the same."""
    note = split_front_matter("---\ntitle: Kim: the visit\nauthor: 'Jane Roe'\n"
                              "date: 12.09.2023\n---\nText.")
    assert note.fields == {"title": "Kim: the visit", "author": "Jane Roe",
                           "date": "12.09.2023"}
    assert note.body == "Text."
    broken = split_front_matter('+++\ntitle = "unclosed\nauthor = Jane\n+++\nText.')
    assert broken.fields == {} and broken.body.endswith("Text.")  # no key: value lines


def test_text_that_opens_with_a_rule_is_text() -> None:
    for text in ("---\nA line of text that is no metadata.\n---\nMore text.",
                 "---\n- a list\n- of items\n---\nText.",
                 "--- \nUnclosed: yes\n\nText goes on without a closing rule.",
                 "Text first.\n---\ntitle: later\n---\n"):
        note = split_front_matter(text)
        assert (note.fields, note.body) == ({}, text), text


def test_an_empty_block_is_front_matter_without_fields() -> None:
    assert split_front_matter("---\n---\nText.") == split_front_matter("---\n\n---\nText.")
    assert split_front_matter("---\n---\nText.").body == "Text."


def test_a_block_longer_than_any_front_matter_is_text() -> None:
    long = "---\n" + "".join(f"key{i}: value\n" for i in range(MAX_FRONT_MATTER_CHARS // 10))
    text = long + "---\nText."
    assert split_front_matter(text).fields == {}


def test_aliases_that_would_build_a_huge_value_build_nothing() -> None:
    """The "billion laughs": nine levels of nine aliases; only plain values are kept, so
    nothing is expanded."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    note = split_front_matter("---\n" + "\n".join(levels) + "\ntitle: Bomb\n---\nText.")
    assert note.fields["title"] == "Bomb"
    assert note.fields["i"] == []  # lists of lists hold no plain value
    assert note.fields["a"] == ["x"] * 9
