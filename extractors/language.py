"""Language identification (wraps py3langid, whose model ships inside the package).

py3langid is deterministic (no random sampling, unlike langdetect) and needs no
download at run time. Identification is restricted to the languages newsmon meets
in news, which makes short texts far less error-prone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

NEWS_LANGUAGES = (
    "de",
    "en",
    "fr",
    "es",
    "it",
    "nl",
    "pt",
    "pl",
    "ru",
    "uk",
    "sv",
    "da",
    "no",
    "fi",
    "cs",
    "tr",
    "ar",
    "zh",
    "ja",
    "ko",
)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(NEWS_LANGUAGES))
    return identifier


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``, or None for text too short to tell (< 20 letters)."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    lang, _score = _identifier().classify(sample)
    return str(lang)
