"""Language tags as newsmon stores them: the ISO 639-1 code alone (``en-US`` -> ``en``).

Feeds, archives and news APIs name languages in other ways too: ISO 639-2 codes
(``deu``, ``ger``: MARC records, some CMSs) and English names (GDELT writes ``German``,
``English``). Those of the languages newsmon identifies become the same two letters, so
a hint and a detected language count as one in trends and in the tagger's choice of terms.
"""

from __future__ import annotations

#: ISO 639-1 code: its ISO 639-2 codes (terminology, then bibliographic) and its English
#: and native names, for the languages :mod:`extractors.language` identifies.
_OTHER_NAMES = """
de deu ger german deutsch
en eng english
fr fra fre french français francais
es spa spanish español espanol castellano
it ita italian italiano
nl nld dut dutch nederlands flemish
pt por portuguese português portugues
pl pol polish polski
ru rus russian русский
uk ukr ukrainian українська
sv swe swedish svenska
da dan danish dansk
no nor nob nno norwegian norsk bokmål nynorsk
fi fin finnish suomi
cs ces cze czech čeština
tr tur turkish türkçe
ar ara arabic العربية
zh zho chi chinese 中文
ja jpn japanese 日本語
ko kor korean 한국어
ro ron rum romanian română
hu hun hungarian magyar
hr hrv croatian hrvatski
sk slk slo slovak slovenčina
sl slv slovenian slovene slovenščina
lt lit lithuanian lietuvių
lv lav latvian latviešu
et est estonian eesti
is isl ice icelandic íslenska
ca cat catalan català
sq sqi alb albanian shqip
id ind indonesian
ms msa may malay melayu
vi vie vietnamese tiếng_việt
tl tgl fil tagalog filipino
sw swa swahili kiswahili
xh xho xhosa
zu zul zulu
af afr afrikaans
el ell gre greek ελληνικά
bg bul bulgarian български
sr srp serbian српски srpski
mk mkd mac macedonian македонски
be bel belarusian беларуская
kk kaz kazakh қазақ
hy hye arm armenian հայերեն
he heb hebrew עברית
hi hin hindi हिन्दी
bn ben bengali bangla বাংলা
th tha thai ไทย
fa fas per persian farsi فارسی
ur urd urdu اردو
ka kat geo georgian ქართული
ta tam tamil தமிழ்
"""
_CODES: dict[str, str] = {
    name.replace("_", " "): names.split()[0]
    for names in _OTHER_NAMES.strip().splitlines()
    for name in names.split()[1:]
}


def primary_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag (``"de-AT"``, ``"en_us"``, ``"fr, en"`` ->
    ``de``, ``en``, ``fr``; ``"deu"``, ``"German"``, ``"Deutsch"`` -> ``de``), its primary
    subtag when it has no two-letter code (``"gsw-CH"`` -> ``gsw``), or None when it is
    neither (``"x"``, a language newsmon does not know by name)."""
    if not tag:
        return None
    first = tag.split(",")[0].strip().lower()
    if first in _CODES:
        return _CODES[first]
    code = first.replace("_", "-").split("-")[0]
    if code in _CODES:
        return _CODES[code]
    return code if code.isalpha() and code.isascii() and 2 <= len(code) <= 3 else None
