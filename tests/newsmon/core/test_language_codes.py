"""Language tags reduced to the code newsmon stores."""

from __future__ import annotations

import pytest

from newsmon.core.language_codes import primary_code


@pytest.mark.parametrize(("tag", "code"), [
    ("de-AT", "de"), ("en_us", "en"), ("FR", "fr"), ("fr, en", "fr"), (" gsw-CH ", "gsw"),
    ("x", None), ("", None), (None, None), ("zh-Hant-TW", "zh"), ("ru\u0301", None),
    # ISO 639-2 codes and names, as MARC records and GDELT give them
    ("deu", "de"), ("ger", "de"), ("GER-de", "de"), ("English", "en"), ("German", "de"),
    ("Deutsch", "de"), ("Français", "fr"), ("tiếng việt", "vi"), ("Klingon", None),
])
def test_the_primary_subtag_or_none(tag: str | None, code: str | None) -> None:
    assert primary_code(tag) == code
