"""Site notices in an extracted text: what a page says to its reader's browser, not what it
publishes.

trafilatura keeps a paragraph when it reads as prose, and a cookie banner, a placeholder
asking consent before an embedded chart plays, a "JavaScript is disabled" bar or a bot
check reads as prose. Left in, they are words an analyst searches and a near-duplicate
signature counts (every short story of a site then shares its banner), and a page that is
only such a notice (an app shell, a DDoS interstitial) is stored as an article.

A paragraph is a notice when it says one of the things below in so many words and is a
notice's length (:data:`MAX_WORDS`): a news story about a cookie law or a JavaScript
release quotes such words inside long paragraphs, and talks about consent as a subject
("without the written consent of", "zustimmen müssten") rather than asking for it. The
phrases are written per language (German, English, French, Spanish, Italian, Dutch,
Portuguese, Polish, the Scandinavian languages); a notice in another language stays in the
text, as before. A paragraph next to a notice continues it when it is short and speaks of
cookies, consent, tracking, privacy, JavaScript or the browser too (a banner trafilatura
split into lines).
"""

from __future__ import annotations

import re

#: A paragraph longer than this is an article's, whatever it quotes.
MAX_WORDS = 120
#: A neighbour of a notice continues it up to this length, if it has a cue word.
CONTINUATION_WORDS = 40
#: Bot checks and "enable JavaScript" walls are a line or two; longer is a story about them.
SHORT_WORDS = 40

_COOKIE = r"(?:cookies?|informationskapsler|informasjonskapsler|ciasteczk\w*)"

# Each is a statement a site makes to its reader; none is a word a story uses in passing.
_NOTICE = [
    # the site uses cookies / tracking
    rf"\b(?:we|this (?:web ?)?site|our (?:web ?)?site|this page|we and our partners)"
    rf"(?: and (?:our|selected) (?:partners|third parties))? (?:use|uses|are using|store|stores|"
    rf"set|sets) {_COOKIE}",
    rf"\bour site uses {_COOKIE}",
    rf"\bwir (?:verwenden|nutzen|setzen|benutzen) (?:\w+ ){{0,4}}{_COOKIE}",
    r"\bwir und unsere partner (?:\w+ ){0,3}(?:verwenden|nutzen|speichern|setzen|verarbeiten)\b",
    rf"\b{_COOKIE} (?:helfen uns|ermöglichen uns|erleichtern (?:uns )?die bereitstellung)\b",
    rf"\b{_COOKIE} help us (?:deliver|provide|improve|give|offer)\b",
    rf"\b(?:verwenden|nutzen|setzen|benutzen) wir (?:\w+ )?{_COOKIE}",
    rf"\b(?:diese|unsere) (?:web)?(?:seite|site|website|webseite) (?:verwendet|nutzt|speichert|"
    rf"benutzt|setzt) (?:\w+ )?{_COOKIE}",
    rf"\bverwendung von {_COOKIE}",
    rf"\b(?:nous utilisons|utilisent|utilise) des {_COOKIE}",
    rf"\b(?:utilizamos|usamos|utiliza|utilizza|utilizziamo) (?:i |los |as |os )?{_COOKIE}",
    rf"\b(?:wij gebruiken|we gebruiken|gebruikt) {_COOKIE}",
    rf"\b(?:korzystamy z|używa|wykorzystuje|używamy) (?:plików )?{_COOKIE}",
    rf"\bvi (?:använder|bruger|bruker) {_COOKIE}",
    rf"\bdes {_COOKIE} sont déposés\b",
    rf"\b(?:these|ces|diese|estas|questi) {_COOKIE} (?:allow|are used|help|enable|permett\w*|"
    rf"sont|ermöglichen|werden|permiten|consentono)\b",
    rf"\b{_COOKIE} (?:strictement nécessaires|de mesures? d.audience|de partage)\b",
    rf"\bparamétrer (?:les |vos )?{_COOKIE}",
    rf"\bpolitique (?:de |des |relative aux )?{_COOKIE}",
    r"\bvotre consentement est (?:nécessaire|requis)\b",
    r"\ben cliquant sur\b.{0,60}\b(?:acceptez|refusez|accepter|refuser|consentez)\b",
    r"\bby clicking\b.{0,60}\b(?:accept|agree|consent|reject)\b",
    # accepting, refusing, configuring
    rf"\b(?:accept|allow|reject|decline|refuse|manage|akzeptieren|zulassen|ablehnen|accepter|"
    rf"refuser|aceptar|rechazar|accetta|accettare|rifiuta|accepteren|akceptuj\w*) "
    rf"(?:all |alle |tous les |todas las |tutti i |only necessary |(?:the |die )?)?{_COOKIE}",
    rf"\b{_COOKIE}[- ]?(?:settings|preferences|einstellungen|banner|hinweis|paramètres|"
    rf"préférences|configuración|impostazioni|instellingen)\b",
    rf"\bstrictly necessary {_COOKIE}",
    rf"\b(?:strictement nécessaires|technisch notwendige[n]?|unbedingt erforderliche[n]?) "
    rf"{_COOKIE}",
    r"\b(?:accept|akzeptieren|zustimmen|einwilligen|consent)\b.{0,40}\b(?:and|und) "
    r"(?:continue|weiter|fortsetzen)\b",
    r"\beinwilligen bzw\.? ablehnen\b",
    r"\b(?:switch|schalter) zum (?:einwilligen|aktivieren)\b",
    r"\b(?:privacy|datenschutz)[- ]?(?:center|centre|manager)\b",
    r"\bmanage (?:your )?(?:privacy|consent|cookie) (?:settings|preferences|choices|options)\b",
    # consent given or withdrawn
    r"\b(?:ihre|deine|your|my) (?:zustimmung|einwilligung|consent)\b.{0,80}"
    r"\b(?:widerrufen|widerruf|withdraw|revoke|zurückziehen)\b",
    r"\b(?:withdraw|revoke) (?:my|your) consent\b",
    r"\bi (?:hereby )?(?:consent|agree) to (?:receiv|the (?:processing|use|storage))",
    r"\bi (?:hereby )?(?:consent|agree)\b.{0,60}\b(?:processing|process|use|store)\b.{0,20}"
    r"\b(?:my|personal) (?:personal )?data\b",
    r"\bi consent to\b.{0,80}\b(?:email|e-mail|newsletter|contact|marketing|data)\b",
    r"\bkeine (?:zustimmung|einwilligung) (?:gegeben|erteilt)\b",
    r"\bmit (?:ihrer|deiner) (?:zustimm+ung|einwilligung) (?:wird|werden)\b.{0,60}"
    r"\b(?:geladen|angezeigt|eingebunden)\b",
    r"\bspeichern wir (?:ihre|deine) (?:zustimmung|einwilligung)\b",
    r"\bmit (?:der|dieser|ihrer|deiner) (?:registrierung|anmeldung|bestellung)\b.{0,60}"
    r"\b(?:akzeptiere|stimme|willige)\b",
    r"\bby (?:continuing|clicking|using|browsing|playing|loading|viewing|watching)\b.{0,80}"
    r"\b(?:you (?:agree|consent|accept)|agree to)\b",
    r"\bmit dem (?:laden|abspielen|anzeigen|aktivieren) (?:\w+ ){0,4}(?:akzeptieren sie|stimmen "
    r"sie|willigen sie|erklären sie sich)\b",
    r"\b(?:sie haben|du hast) (?:\w+ ){0,5}nicht zugestimmt\b",
    r"\byou have not (?:yet )?(?:given|accepted|agreed)\b.{0,40}\b(?:consent|cookies)\b",
    r"\bdurch (?:die )?(?:nutzung|weitere nutzung|klick|klicken|bestätigen)\b.{0,80}"
    r"\b(?:stimmen sie|stimmst du|erklären sie sich|erklärst du dich)\b",
    r"\ben poursuivant (?:votre )?navigation\b",
    # an embed that waits for consent
    r"\b(?:to|um) (?:view|see|watch|play|display|load|show|diese[ns]? |den |die |das )?"
    r"(?:this |the )?(?:content|video|tweet|post|map|chart|graphic|inhalte?|video|karte|grafik|"
    r"beitrag|umfrage)\b.{0,80}\b(?:accept|consent|enable|zustimm|einwillig|akzeptieren|"
    r"aktivieren)",
    r"\b(?:please )?accept .{0,40}\bcookies? to (?:play|view|watch|see|load)\b",
    r"\bexterne(?:r|n)? inhalte?\b.{0,80}\b(?:laden|anzeigen|angezeigt|zustimm|einwillig|"
    r"aktivieren|akzeptieren|freigeben)",
    r"\b(?:inhalte?|daten) (?:von |aus )?(?:drittanbietern|dritten|externen anbietern)\b.{0,80}"
    r"\b(?:übermittelt|geladen|zustimm|einwillig|anzeigen)\b",
    r"\bmüssen sie (?:die )?\w+[- ]?cookies akzeptieren\b",
    # JavaScript, the browser, ad blockers
    r"\b(?:enable|turn on|activate|allow|aktivieren sie|aktiviere|aktivieren|einschalten|activer|"
    r"activez|habilite|habilitar|abilita|abilitare|włącz\w*) (?:\w+ ){0,3}javascript\b",
    r"\bjavascript (?:is |ist |est |está |è )?(?:disabled|deactivated|turned off|not enabled|"
    r"required|deaktiviert|ausgeschaltet|désactivé|desactivado|disabilitato)\b",
    r"\b(?:without|requires?|need) javascript(?: enabled)?\b",
    r"\bwymaga włączonego\b.{0,40}\bjavascript\b",
    r"\b(?:you are using|you're using|du verwendest|sie verwenden|sie nutzen) "
    r"(?:an? |einen |ein )?"
    r"(?:outdated|old|unsupported|veraltete[n]?|nicht unterstützte[n]?) ?browser",
    r"\bbrowser version with limited support\b",
    r"\b(?:use|using|switch to) a (?:more )?(?:up to date|up-to-date|newer|modern|current|"
    r"supported) browser\b",
    r"\b(?:update|upgrade|aktualisiere|aktualisieren sie) (?:your |deinen |ihren )?browser\b",
    r"\b(?:disable|turn off|deactivate|pause|whitelist|deaktivieren sie|deaktiviere) "
    r"(?:your |ihren |deinen )?(?:ad ?blocker|werbeblocker|adblock)\b",
    r"\b(?:ad ?blocker|werbeblocker|adblock)\b.{0,60}\b(?:deaktivieren|ausschalten|disable|"
    r"turn off|erkannt|detected)\b",
]

# Bot checks and walls: said only by a page that is nothing else, so short lines only.
_WALL = [
    r"\bchecking (?:if the site connection is secure|your browser)\b",
    r"\bverify(?:ing)? (?:that )?you are (?:a )?human\b",
    r"\bare you a (?:robot|human)\b",
    r"\bplease complete the security check\b",
    r"\byou will be connected to \S+ in just a moment\b",
    r"\bpress (?:&|and) hold\b.{0,40}\bhuman\b",
    r"\benable cookies\b",
    r"\bbitte (?:warten|haben sie einen moment geduld)\b.{0,60}\b(?:wird|werden) "
    r"(?:vorbereitet|geladen|überprüft)\b",
]

# Words a banner's other lines carry (a line beside a notice with one continues it).
# Only words of the notice's own subject: "Partnerschaft", "zustimmen" or "accept" sit in
# a story's every other paragraph, and a chain of them would carry the story away.
_CUE = re.compile(
    r"cookie|consent|tracking|tracker|traceur|datenschutz|einwillig|privacy|javascript|"
    r"browser|ad ?block|werbeblock",
    re.IGNORECASE,
)

# Every phrase above needs one of these words: a paragraph with none (most of a story's)
# is passed over without running the phrases, which on every paragraph would cost about a
# twentieth of a page's extraction time.
_GATE = (
    "cookie", "informationskapsler", "informasjonskapsler", "ciasteczk", "consent", "zustimm",
    "zugestimmt", "einwillig", "willigen sie", "javascript", "browser", "block", "privacy",
    "datenschutz", "partner", "registrierung", "anmeldung", "bestellung", "stimmen sie",
    "stimmst du", "erklären sie", "erklärst du", "poursuivant", "cliquant", "clicking", "agree",
    "accept", "akzeptier", "aktivier", "enable", "externe", "dritt", "checking", "human",
    "robot", "security check", "connected to", "bitte warten", "bitte haben sie",
)

_NOTICE_RE = re.compile("|".join(f"(?:{p})" for p in _NOTICE), re.IGNORECASE)
_WALL_RE = re.compile("|".join(f"(?:{p})" for p in _WALL), re.IGNORECASE)


def _words(line: str) -> int:
    return len(line.split())


def is_notice(line: str) -> bool:
    """Whether one paragraph is a site notice on its own (no neighbours considered)."""
    words = _words(line)
    if words > MAX_WORDS:
        return False
    low = line.lower()
    if not any(word in low for word in _GATE):
        return False
    if _NOTICE_RE.search(line):
        return True
    return words <= SHORT_WORDS and bool(_WALL_RE.search(line))


def notice_lines(lines: list[str]) -> set[int]:
    """The indexes of the notices among a text's paragraphs, with the short lines around
    each that speak of cookies, consent or tracking too."""
    found = {i for i, line in enumerate(lines) if line.strip() and is_notice(line)}
    todo = sorted(found)
    while todo:
        i = todo.pop()
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and j not in found:
                line = lines[j]
                if line.strip() and _words(line) <= CONTINUATION_WORDS and _CUE.search(line):
                    found.add(j)
                    todo.append(j)
    return found


def split_notices(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without its site notices (the other paragraphs as they were), and the
    notices taken out, in order."""
    if not text:
        return text, ()
    lines = text.split("\n")
    drop = notice_lines(lines)
    if not drop:
        return text, ()
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop).strip()
    return kept, tuple(lines[i].strip() for i in sorted(drop))
