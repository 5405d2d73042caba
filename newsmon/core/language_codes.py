"""Language tags as newsmon stores them: the ISO 639 code alone (``en-US`` -> ``en``)."""

from __future__ import annotations


def primary_code(tag: str | None) -> str | None:
    """The primary subtag of a language tag in lower case (``"de-AT"``, ``"en_us"``,
    ``"fr, en"`` -> ``de``, ``en``, ``fr``), or None when it is not a two- or three-letter
    code (``"English"``, ``"x"``)."""
    if not tag:
        return None
    code = tag.split(",")[0].strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and code.isascii() and 2 <= len(code) <= 3 else None
