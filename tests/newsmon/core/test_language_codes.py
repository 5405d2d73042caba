"""Language tags reduced to the code newsmon stores."""

from __future__ import annotations

import pytest

from newsmon.core.language_codes import primary_code


@pytest.mark.parametrize(("tag", "code"), [
    ("de-AT", "de"), ("en_us", "en"), ("FR", "fr"), ("fr, en", "fr"), (" gsw-CH ", "gsw"),
    ("English", None), ("x", None), ("", None), (None, None), ("zh-Hant-TW", "zh"),
    ("ru\u0301", None),
])
def test_the_primary_subtag_or_none(tag: str | None, code: str | None) -> None:
    assert primary_code(tag) == code
