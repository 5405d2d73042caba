"""Pages that say they are not there: a "page not found" served as if it were the page.

Many sites answer a removed or mistyped address with their error page and status 200 (a
"soft 404"): to the fetcher it is a page like any other, and trafilatura reads its
apology and its list of "most read" links as a short article. A monitor that polls a
feed meets one whenever an article is taken down or a feed links a story before it is
live; stored, it is an article about nothing, counted in the site's coverage, and every
removed link of the site becomes its copy.

A page says it is not there when one of its headlines (``<title>``, ``og:title``, the
``h1`` ...) is, apart from the site's name, an error's title ("Seite nicht gefunden",
"404 - Page not found", "Oops! That page can't be found"), or when its text opens by
telling the reader that the page they asked for is gone ("The page you are looking for
may have been moved", "Die von Ihnen aufgerufene Seite existiert nicht"), or that its
article was taken down (a public broadcaster's depublished story: "Dieser Beitrag ist
nicht mehr verfügbar"; "This story has been removed"). Either counts
only on a short text (:data:`MAX_WORDS`): a story about a site's outage quotes such words
inside an article's worth of its own. Phrases are written for the languages newsmon's
other rules know and for the scripts a news site's error page is written in (Japanese,
Chinese, Korean, Russian, Arabic ...); a page that says it in another language is stored,
as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.quality import word_count

#: A text longer than this is an article, whatever its title or first lines say.
MAX_WORDS = 300
#: How much of the text's opening is read for the statement (its first paragraphs).
OPENING_CHARS = 600

# What an error page's title says, the whole title apart from "Error", "404", "Oops".
_GONE = [
    # English
    r"(?:page|content|article|story|file|document|url) (?:was )?not found",
    r"not found",
    r"(?:this |that |the )?page (?:cannot|can't|can ?not|could not|couldn't) be found",
    r"(?:this |that |the )?page (?:does not|doesn't|no longer) exists?",
    r"(?:this |that |the )?page (?:is )?(?:missing|unavailable|not available|no longer available)",
    r"(?:this |that |the )?(?:article|story|content|video|page) (?:is|has been) (?:no longer "
    r"available|removed|unpublished|taken down)",
    r"(?:we|i) (?:can't|cannot|couldn't|could not) find (?:that|this|the|your) page",
    r"page gone",
    # German
    r"(?:seite|artikel|inhalt|beitrag|dokument|datei) (?:wurde )?(?:leider )?nicht gefunden",
    r"nicht gefunden",
    r"(?:diese |die )?seite (?:existiert|gibt es) (?:leider )?nicht(?: mehr)?",
    r"diese seite gibt es (?:leider )?nicht(?: mehr)?",
    r"(?:die )?seite (?:ist )?nicht (?:mehr )?verfügbar",
    r"(?:die )?seite konnte nicht gefunden werden",
    r"(?:dieser |der )?(?:artikel|beitrag|inhalt|text) (?:ist|wurde) (?:leider )?(?:nicht mehr "
    r"verfügbar|depubliziert|entfernt|gelöscht)",
    r"(?:artikel|beitrag|inhalt) nicht (?:mehr )?verfügbar",
    r"fehlerseite",
    # French, Spanish, Italian, Portuguese, Dutch
    r"page (?:non )?(?:introuvable|trouvée|disponible)",
    r"page inexistante",
    r"cette page n'existe (?:pas|plus)",
    r"(?:contenu|article) introuvable",
    r"página no (?:encontrada|existe|disponible)",
    r"no se (?:ha )?encontr(?:ó|ado) la página",
    r"pagina non (?:trovata|esiste|disponibile)",
    r"página (?:não encontrada|não existe|inexistente)",
    r"pagina (?:niet gevonden|bestaat niet)",
    r"deze pagina bestaat niet(?: meer)?",
    # Polish, Czech, Scandinavian, Finnish, Turkish, Greek
    r"(?:nie znaleziono strony|strona nie (?:istnieje|została znaleziona)|nie znaleziono)",
    r"stránka (?:nenalezena|nebyla nalezena|neexistuje)",
    r"sidan (?:kunde inte hittas|hittades inte|finns inte)",
    r"siden (?:blev ikke fundet|findes ikke|kunne ikke findes|finnes ikke|ble ikke funnet)",
    r"sivua ei (?:löytynyt|löydy)",
    r"(?:aradığınız )?sayfa bulunamadı",
    r"η σελίδα δεν (?:βρέθηκε|υπάρχει)",
    # Cyrillic, Arabic, Hebrew, Devanagari
    r"страница не (?:найдена|существует)",
    r"сторінк[аую] не знайдено",
    r"(?:الصفحة غير موجودة|لم يتم العثور على الصفحة)",
    r"הדף לא נמצא",
    r"(?:पृष्ठ|पेज) नहीं मिला",
    # Japanese, Chinese, Korean
    r"(?:お探しの)?ページ(?:が|は)(?:見つかりません(?:でした)?|存在しません)",
    r"(?:您(?:所|要)?访问的)?页面(?:不存在|未找到|找不到)",
    r"找不到(?:该|此|您要的)?(?:页面|網頁|网页|頁面)",
    r"頁面不存在",
    r"(?:요청하신 )?페이지를 찾을 수 없습니다",
]
_ERROR = (r"(?:(?:http |)(?:error|fehler|erreur|errore|fout|erro|błąd|chyba|fejl|feil|fel"
          r"|hata|ошибка|错误|エラー)[\s:]*)")
_INTERJECTION = r"(?:(?:oops|ups|hoppla|uups|oh no|sorry|leider|désolé|lo sentimos|whoops)\W*)"
_TITLE_RE = re.compile(
    rf"^\W*{_INTERJECTION}?{_ERROR}?(?:404\W*)?{_INTERJECTION}?(?:(?:{'|'.join(_GONE)})\W*)?$",
    re.IGNORECASE,
)
_GONE_RE = re.compile("|".join(_GONE), re.IGNORECASE)
#: What sets a site's name apart from a title ("Page not found | Site", "... - Site"); not a
#: colon, which a headline's kicker takes ("Vermisste Wanderin: nicht gefunden").
_SEPARATORS = re.compile(r"\s+[|\-–—·»]+\s+|\s*\|\s*|[｜]")

# What an error page tells its reader in its first lines: the page they asked for is gone.
_STATEMENT = [
    r"\bthe (?:page|url|link|article|content) you (?:are |were |'re |have )?(?:looking for|"
    r"requested|tried to (?:reach|access|open|visit|view)|wanted|followed|asked for)\b",
    r"\bthe requested (?:page|url|article) (?:was|is|could|cannot|can't|does|has|may)\b",
    r"\b(?:this|that) page (?:(?:may|might) (?:have been|no longer)|has been (?:moved|removed|"
    r"deleted)|(?:no longer|does not|doesn't) exist|could not be found|cannot be found|can't be "
    r"found|is no longer available)",
    r"\bwe (?:can't|cannot|couldn't|could not) find (?:the page|that page|this page|the "
    r"article|what you(?:'re| are| were) looking for)",
    r"\bdie (?:von ihnen |von dir )?(?:aufgerufene|gesuchte|angeforderte|angefragte|"
    r"gewünschte|gewählte|eingegebene) (?:seite|url|adresse|webseite|internetseite)\b",
    r"\b(?:der|den) (?:von ihnen )?(?:gesuchten?|angeforderten?|aufgerufenen?) "
    r"(?:artikel|beitrag|inhalt)\b",
    r"\b(?:diese|die) seite (?:existiert|gibt es) (?:leider )?nicht",
    r"\bseite (?:wurde|konnte) (?:leider )?nicht gefunden",
    r"\b(?:dieser|der) (?:artikel|beitrag|inhalt) (?:ist|wurde) (?:leider )?(?:nicht mehr "
    r"(?:verfügbar|abrufbar|online)|depubliziert)",
    r"\bthis (?:article|story|content|page) (?:is no longer available|has been removed|has "
    r"been unpublished|has been taken down)",
    r"\bla page (?:que vous (?:cherchez|recherchez|demandez|avez demandée)|demandée)\b",
    r"\bla página (?:que (?:buscas|busca|estás buscando|está buscando|has solicitado|"
    r"solicitaste|ha solicitado)|solicitada)\b",
    r"\bla pagina (?:che (?:stai cercando|cercavi|hai richiesto)|richiesta)\b",
    r"\bde (?:pagina die (?:u|je) (?:zoekt|zocht|probeert)|opgevraagde pagina)\b",
    r"\ba página (?:que (?:você )?(?:procura|está procurando|procurava|solicitou)|solicitada)\b",
    r"\b(?:strona,? której szukasz|żądana strona)\b",
    r"\b(?:sidan du (?:söker|letar efter)|siden du (?:leder efter|søker|ser etter|leter etter))\b",
    r"(?:запрашиваемая страница|страница, которую вы ищете|сторінка, яку ви шукаєте)",
    r"aradığınız sayfa",
    r"お探しのページ",
    r"您(?:所|要)?(?:访问|請求|请求|訪問)的(?:页面|頁面|网页|網頁)",
    r"요청하신 페이지",
]
_STATEMENT_RE = re.compile("|".join(f"(?:{p})" for p in _STATEMENT), re.IGNORECASE)


def _error_title(headline: str) -> bool:
    """Whether a headline is, apart from the site's name beside it, an error page's."""
    parts = [part for part in _SEPARATORS.split(" ".join(headline.split())) if part.strip()]
    return any(_TITLE_RE.match(part) and ("404" in part or _GONE_RE.search(part))
               for part in parts)


def says_not_found(headlines: Iterable[str | None], text: str) -> str | None:
    """What a short page says to show it is no page but a "not found" (its title or its
    opening statement), or None when it says no such thing."""
    if word_count(text) > MAX_WORDS:
        return None
    for headline in headlines:
        if headline and len(headline) <= 300 and _error_title(headline):
            return " ".join(headline.split())
    found = _STATEMENT_RE.search(text[:OPENING_CHARS])
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    return " ".join(text[start:end if end >= 0 else None].split())
