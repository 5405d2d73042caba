"""Pointers to the site's other stories, and its wall, in an extracted text.

trafilatura keeps a paragraph that sits inside the article's container, and news sites
put two kinds of lines there that are not the story:

* a pointer to another story: "Read more: GNU MPs' 'fact-finding' trip to Israel likely
  to deepen political tensions", "Lesen Sie auch:", "MORE : The Metro daily cartoon",
  "Related Stories" over a list of links. Left in, another story's headline is words an
  analyst's search, a topic's evidence and a near-duplicate signature find in this one;
* the wall in place of the rest: "Il vous reste 57% de cet article à lire. La suite est
  réservée aux abonnés.", "Please create an account or login to read this story". Left
  in, it is the last paragraph of every walled story of the site; taken out, it says
  what JSON-LD often does not: the text stored is a teaser, not the article.

A paragraph is a pointer when it is only a pointer's label (in twelve languages, alone,
in a table's cells or with a colon), such a label with a short headline after it, or a
sentence that only sends the reader elsewhere ("Read more news on ...", "Mehr zu ... lesen
Sie hier", "... , click here"). It is a wall when it says, in so many words, that the rest
of this article is for subscribers, or asks the reader to log in, register or subscribe to
read on. Both are at most :data:`MAX_WORDS` words and must be the whole paragraph: a
story's sentence about subscribers, a login or related findings says more than that, and
stays.

Written from the paragraphs of the tuning sites in ``bench/labels/pointer-lines.jsonl``
(``evaluation/pointers.py`` measures them on the held-out sites).
"""

from __future__ import annotations

import re

#: A pointer or a wall is a line or two; a longer paragraph is the story's.
MAX_WORDS = 40
#: The other story's headline after a pointer's label ("Read more: ...").
HEADLINE_WORDS = 30

# What a site writes over, or before, a link to another of its stories. Each is a label no
# story's sentence is made of on its own.
_LABEL = (
    # English
    r"(?:read|see|view) (?:more|next|also)|also read|more|"
    r"(?:related|more|other|top|latest) (?:stories|articles|news|headlines|links|posts|"
    r"coverage|information|content|topics|videos)|"
    r"related(?: (?:post|story|article|reading))?|related \w+ news|see also|further reading|"
    r"you (?:may|might) also (?:like|enjoy)|recommended(?: (?:for you|reading|stories|"
    r"articles|videos))?|most (?:read|popular|viewed|shared|emailed)|latest headlines|"
    # German
    r"auch interessant|(?:lesen|lies) (?:sie )?(?:auch|mehr|weiter)(?: zum thema)?|"
    r"lesen sie auch die folgenden (?:beiträge|artikel)|mehr zum thema(?: (?:auf|bei) \S+)?|"
    r"zum thema|siehe auch|weitere (?:artikel|beiträge|nachrichten|meldungen)|"
    r"das könnte sie (?:auch )?interessieren|empfehlungen der redaktion|meistgelesen|"
    # French
    r"(?:à )?lire (?:aussi|également)(?: sur \S+)?|(?:à )?voir aussi|sur le même sujet|"
    # Italian, Spanish, Portuguese
    r"leggi anche(?: su)?|articoli correlati|potrebbe interessarti|(?:lee|lea) también|"
    r"ver también|noticias relacionadas|te puede interesar|leia também|veja também|leia mais|"
    # Dutch, Polish, Scandinavian, Russian
    r"lees ook|ook interessant|czytaj (?:też|także|więcej)|zobacz (?:też|także)|"
    r"läs också|les også|læs også|читайте также"
)
_LONE = re.compile(rf"(?:{_LABEL})", re.IGNORECASE)
# The label, then the other story's headline: "Read more: ...", "À lire aussi La natalité
# ...", "Lire aussi. TÉMOIGNAGES. ...". "More" leads a headline only in capitals and with a
# colon ("MORE: Rebel Wilson offloads ..."); "More: the figures show" can open a story's
# sentence.
_LEADS = re.compile(
    rf"(?P<label>{_LABEL}|mehr dazu lesen sie hier)\s*"
    r"(?P<mark>[:：.–—|»›]\s*|\s(?=[«\"„“'‘A-ZÀ-ÞА-Я]))(?P<rest>.+)", re.IGNORECASE)
# A sentence that is only a pointer: "Read more news and reviews on ...'s pages", "Mehr zu
# unserer Arbeitsweise lesen Sie hier.", "For a look at Tuesday's results, click here."
_POINTING = re.compile(
    r"(?:read|see|find) more (?:news|stories|articles|coverage|reviews|about|on|at|from)\b.*|"
    r"click here to read the (?:full|whole|complete) (?:story|article)|"
    r"[^.!?]{0,150}\bclick here|"
    r"mehr (?:zu[mr]?|über|dazu) [^.!?]{0,80}\b(?:lesen|finden) sie (?:hier|in|auf|bei|unter)"
    r"\b[^.!?]{0,60}",
    re.IGNORECASE)

# The site says the rest of this article is behind its wall, or asks to be let in to read on.
_ACCESS = r"(?:create an account|register|sign up|subscribe|log ?in|sign in)"
_WALL = re.compile(
    rf"(?:please )?{_ACCESS}(?: or {_ACCESS})? to (?:continue reading|keep reading|continue|read|"
    r"view|access)(?: (?:this|the|the full|the rest of(?: this| the)?) (?:story|article|content|"
    r"post))?|"
    r"continue reading for free|already (?:a subscriber|a member|have an account)\?? "
    r"(?:log ?in|sign in)(?: now| here)?|"
    rf"to (?:continue|keep) reading,? (?:please )?{_ACCESS}(?: or {_ACCESS})?(?: now| today)?|"
    r"you(?:'ve| have) reached (?:your|the) (?:limit|maximum) of free (?:articles|stories)"
    r"(?: this month)?|"
    r"the rest of (?:this|the) (?:article|story) is (?:only )?(?:for|available to|reserved for) "
    r"(?:subscribers|members)|"
    r"this (?:article|story|content) is (?:only )?(?:available|reserved|exclusive) (?:to|for) "
    r"(?:subscribers|members)|"
    r"sie möchten (?:gerne )?weiterlesen|registrieren sie sich (?:jetzt )?(?:kostenlos|gratis)|"
    r"(?:dieser|der) (?:artikel|beitrag|inhalt|text) ist (?:nur )?(?:exklusiv )?für "
    r"(?:\w+-)?(?:abonnenten|abonnentinnen|mitglieder)|"
    r"(?:jetzt |diesen artikel )?weiterlesen mit \w+(?: ?plus| ?\+)|"
    r"(?:jetzt )?mit (?:einem )?abo(?:nnement)? weiterlesen|exklusiv für abonnent(?:en|innen)|"
    r"il vous reste \d+(?:[.,]\d+)? ?% de cet article à lire|la suite est réservée aux abonnés|"
    r"(?:cet )?article réservé aux abonnés|"
    r"(?:questo articolo|il resto dell'articolo) è riservato agli abbonati|"
    r"(?:articolo|contenuto) riservato agli abbonati|"
    r"(?:este|el) (?:artículo|contenido) es (?:exclusivo|solo) para (?:suscriptores|abonados)|"
    r"contenido exclusivo para (?:suscriptores|abonados)|"
    r"(?:dit artikel|dit premium artikel) is (?:alleen )?(?:beschikbaar )?voor abonnees|"
    r"(?:conteúdo|matéria) exclusiv[oa] para assinantes",
    re.IGNORECASE)

#: Labels a story's sentence may open with ("Zum Thema Migration sagte ...", "MORE than
#: 1,100 people ..."): they lead a headline only with a colon after them.
_OPENS_SENTENCES = ("more", "mehr", "zum thema", "related", "top", "latest", "most", "other",
                    "weitere", "recommended")

_TRIM = " \t-–—*•·»›>[](){}.:…?!"


def _bare(line: str) -> str:
    return " ".join(line.strip(_TRIM).split()).strip(_TRIM)


def _cells(line: str) -> list[str]:
    return [cell for cell in (_bare(part) for part in line.split("|")) if cell]


def is_pointer(line: str) -> bool:
    """Whether a paragraph only points to another of the site's stories."""
    if len(line.split()) > MAX_WORDS:
        return False
    if "|" in line:  # a table's row of labels: "| RELATED ARTICLES | | TOP STORIES |"
        cells = _cells(line)
        return bool(cells) and all(_LONE.fullmatch(cell) or _POINTING.fullmatch(cell)
                                   for cell in cells)
    bare = _bare(line)
    if _LONE.fullmatch(bare) or _POINTING.fullmatch(bare):
        return True
    led = _LEADS.fullmatch(bare)
    if led is None or len(led["rest"].split()) > HEADLINE_WORDS:
        return False
    label = led["label"].lower()
    if not led["mark"].strip():  # no colon: only a label no sentence opens with
        return not label.startswith(_OPENS_SENTENCES)
    # "MORE:" leads a headline; "More: the figures show" is a story's sentence
    return label != "more" or (led["label"].isupper() and ":" in led["mark"])


def is_wall(line: str) -> bool:
    """Whether a paragraph says the rest of the article is behind the site's wall."""
    if len(line.split()) > MAX_WORDS:
        return False
    return any(_WALL.fullmatch(part) for part in _parts(line))


def _parts(line: str) -> list[str]:
    """The paragraph (or each of its table's cells) whole, and each of its sentences (a
    wall says two: "Il vous reste 57% ... La suite ..."; one asks and answers: "Already
    have an account? Sign in"), each bare of the marks around it."""
    cells = _cells(line) if "|" in line else [_bare(line)]
    return [bare for cell in cells for bare in (cell, *(
        _bare(s) for s in re.split(r"(?<=[.!?])\s+|\s+→\s+", cell))) if bare]


def split_pointers(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """``text`` without its pointers and its wall (the other paragraphs as they were), the
    pointers taken out, and the wall's paragraphs taken out, each in order."""
    if not text:
        return text, (), ()
    lines = text.split("\n")
    pointers = {i for i, line in enumerate(lines) if line.strip() and is_pointer(line)}
    walls = {i for i, line in enumerate(lines)
             if i not in pointers and line.strip() and is_wall(line)}
    if not pointers and not walls:
        return text, (), ()
    kept = "\n".join(line for i, line in enumerate(lines)
                     if i not in pointers and i not in walls).strip()
    return (kept, tuple(lines[i].strip() for i in sorted(pointers)),
            tuple(lines[i].strip() for i in sorted(walls)))


__all__ = ["HEADLINE_WORDS", "MAX_WORDS", "is_pointer", "is_wall", "split_pointers"]
