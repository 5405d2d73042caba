"""Site furniture in an extracted text: the copyright line, the row of the site's policy
links, the call to subscribe to its newsletter, printed below or between an article's
paragraphs.

trafilatura keeps a footer's line when the template puts it inside the article's
container or lays the page out in a table (as many pages of the 2000s do): "© 2008 owned
by or licensed to ... Please read our Terms and Conditions", "Privacy Policy | Advertise
| Contact Us | Site Map", "Subscribe to our daily newsletter here". Left in, they are words
an analyst's search finds in every article of a site, and a short story's near-duplicate
signature shares them with the site's other short stories.

A paragraph is furniture when it is short and says one of three things in so many words:

* the site's rights (``©`` or "Copyright" with "all rights reserved", in seven
  languages, or the wire's "may not be published, broadcast, rewritten or
  redistributed"): a story about a copyright dispute says neither so;
* a row of at least three of the site's own links (privacy policy, terms of use,
  contact us, advertise, site map, RSS feeds, Impressum, Datenschutz ...) set apart by
  bars or bullets, with little else;
* a call to subscribe to a newsletter, a feed or an inbox briefing ("Subscribe to the
  Morning Review newsletter", "Newsletter abonnieren"): a story about subscribers speaks
  of them, it does not address its reader so.

A privacy policy's own paragraphs ("Please read our privacy policy carefully") and a
photo's credit ("© AFP / WANG ZHAO") are none of these, and stay.
"""

from __future__ import annotations

import re

#: A rights line or a promotion longer than this is an article's paragraph.
MAX_WORDS = 80
#: A call to subscribe is a line or two.
PROMO_WORDS = 40
#: Words a furniture paragraph may hold in sentences of other words ("Proudly Australian
#: Owned"): more, and it is a story's paragraph that ends with a footer's words.
STORY_WORDS = 12
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s+(?:\\?\||·|•)\s+")

_RIGHTS = re.compile(
    r"(?:all|any) rights reserved|alle rechte vorbehalten|tous droits réservés|"
    r"todos los derechos reservados|tutti i diritti riservati|alle rechten voorbehouden|"
    r"wszelkie prawa zastrzeżone",
    re.IGNORECASE)
#: The mark, or "Copyright" with the year it claims ("Copyright Thomson Financial News Limited
#: 2007"); a story's "the copyright of the photographs" is neither
_MARK = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b[^.]{0,60}?(?:19|20)\d\d", re.IGNORECASE)
#: A dated mark beside the site's terms: "© 2008 owned by or licensed to ... Please read our
#: Terms and Conditions" (a photo's "© AFP" names no terms)
_DATED_MARK = re.compile(r"(?:©|\bcopyright\b)\s*(?:©\s*)?(?:19|20)\d\d", re.IGNORECASE)
_TERMS = re.compile(r"\b(?:terms (?:of|and)|privacy|licensed to|trade ?mark|nutzungsbedingungen|"
                    r"datenschutz)\b", re.IGNORECASE)
_NO_COPIES = re.compile(
    r"may not be (?:re)?published, broadcast, rewritten|"
    r"(?:republication|redissemination|redistribution|reproduction|reuse|copying)\b.{0,80}?"
    r"\b(?:(?:is |are )?(?:expressly |strictly )?prohibited|untersagt|interdite?s?)\b",
    re.IGNORECASE)

_SITE_LINKS = re.compile(
    r"^(?:privacy(?: policy| statement| notice)?|(?:your )?privacy rights|cookie policy|"
    r"terms(?: of (?:use|service|sale))?|terms (?:and|&) conditions|user agreement|"
    r"contact(?: us)?|about(?: us)?|advertise(?: with us)?|advertising(?: info)?|"
    r"site ?map|rss(?: feeds?)?|help|feedback|careers(?: @ \w+)?|jobs|archives?|"
    r"subscribe|subscriptions?|newsletters?|disclaimer|copyright|imprint|legal(?: notice)?|"
    r"corrections|accessibility|ethics policy|faq|impressum|datenschutz(?:erklärung)?|"
    r"kontakt|mediadaten|agb|nutzungsbedingungen|barrierefreiheit|mentions légales|"
    r"aviso legal|política de privacidad)$",
    re.IGNORECASE)
_LONE_LINK = re.compile(r"^(?:subscribe(?: now)?|subscription deals|newsletter sign-?up|"
                        r"sign up for (?:our|the) newsletters?|impressum)$", re.IGNORECASE)
_LINK_SEPARATORS = re.compile(r"\s*(?:\\?\||·|•|\u2022|\s\bI\b\s|\]\s*\[|\s{3,})\s*")

_WITHIN = r"(?:[^.!?]|\.(?=\w)){0,60}"  # within one sentence ("NJ.com's newsletters")
# The site addresses its reader: "Subscribe to ...", "Click here to subscribe to ...", "by
# subscribing to our newsletter"; a story says "readers subscribe to the newsletter".
_PROMO = re.compile(
    r"(?:^|[.!?:–-]\s*|\b(?:to|and|now|here|please|today)\s+)"
    rf"(?:subscribe|sign up|register)\b{_WITHIN}"
    r"\b(?:newsletters?|inbox|rss|feed|e-?mail (?:alerts|briefing|updates))\b|"
    rf"\b(?:subscrib\w*|sign(?:ing)? up)\b{_WITHIN}\bour\b[^.!?]{{0,30}}\bnewsletters?\b|"
    r"\bnewsletter\w* (?:jetzt |kostenlos )?abonnieren\b|"
    r"\babonnieren sie\b[^.!?]{0,60}\bnewsletter|"
    r"\b(?:abonnez-vous|inscrivez-vous)\b[^.!?]{0,60}\b(?:newsletter|lettre)\b|"
    r"\b(?:suscríbete|suscribirse|iscriviti)\b[^.!?]{0,60}\bnewsletter\b|"
    r"\bnewsletter[- ]?(?:subscription|sign-?up|anmeldung)\b|"
    r"\b(?:delivered|straight|right) (?:to|in|into) your inbox\b|"
    r"\bunsubscribe at any time\b|\bjederzeit (?:wieder )?(?:abbestellt|abbestellen|kündbar)\b|"
    r"\bvous désabonner à tout moment\b",
    re.IGNORECASE)
_GATE = ("©", "(c)", "copyright", "rights", "rechte", "droits", "derechos", "diritti",
         "rechten", "prawa", "prohibited", "untersagt", "interdit", "published", "|", "·",
         "•", "privacy", "datenschutz", "impressum", "subscri", "sign up", "signing up",
         "register", "newsletter", "abonn", "inscri", "suscr", "iscriv", "inbox")


def _link_row(line: str) -> bool:
    """Three or more of the site's own links, set apart, and little else."""
    items = [item.strip(" |[]-–") for item in _LINK_SEPARATORS.split(line)]
    items = [item for item in items if item]
    if len(items) < 3:
        return False
    own = sum(bool(_SITE_LINKS.match(" ".join(item.split()))) for item in items)
    return own >= 3 and own * 3 >= len(items)


def _lone_link(line: str) -> bool:
    """A table's cell that is one of the site's links and nothing else ("| Subscribe! |"),
    or a line that can only be a link ("Newsletter Signup"): outside a table, a one-word
    paragraph such as "Datenschutz" or "Copyright" may be a story's subheading."""
    bare = " ".join(line.replace("|", " ").split()).rstrip("!")
    if not bare:
        return False
    return bool((_SITE_LINKS if "|" in line else _LONE_LINK).match(bare))


def _story_words(line: str) -> int:
    """Words of the paragraph's sentences that carry none of the furniture's words: a
    wire item of one paragraph ends its story with "Sign up here to receive our
    newsletter!", and its story stays."""
    return sum(len(sentence.split()) for sentence in _SENTENCE.split(line)
               if not any(cue in sentence.lower() for cue in _GATE))


def is_furniture(line: str) -> bool:
    """Whether one paragraph is the site's furniture (see the module's docstring)."""
    words = len(line.split())
    if not words or words > MAX_WORDS:
        return False
    low = line.lower()
    if not any(cue in low for cue in _GATE):
        return False
    if _link_row(line) or _lone_link(line):
        return True
    said = ((_MARK.search(line) and _RIGHTS.search(line)) or _NO_COPIES.search(line)
            or (_DATED_MARK.search(line) and _TERMS.search(line))
            or (words <= PROMO_WORDS and _PROMO.search(line)))
    return bool(said) and _story_words(line) <= STORY_WORDS


def split_furniture(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without the site's furniture (the other paragraphs as they were), and the
    paragraphs taken out, in order."""
    if not text:
        return text, ()
    lines = text.split("\n")
    drop = {i for i, line in enumerate(lines) if line.strip() and is_furniture(line)}
    if not drop:
        return text, ()
    kept = "\n".join(line for i, line in enumerate(lines) if i not in drop).strip()
    return kept, tuple(lines[i].strip() for i in sorted(drop))
