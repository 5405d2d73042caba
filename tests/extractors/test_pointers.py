"""A pointer to the site's other stories ("Read more: ...", "Lesen Sie auch:", "Related
Stories") and the site's wall ("La suite est réservée aux abonnés") are taken out of an
extracted text, and a walled page is stored as paywalled; a story's sentences about
subscribers, logins or related matters, and a lead in capitals, stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.html import extract_page
from extractors.pointers import is_pointer, is_wall, split_pointers
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

POINTERS = [
    "Read more: GNU MPs’ ‘fact-finding’ trip to Israel likely to deepen political tensions",
    "READ MORE: China plague outbreak confirmed: Two diagnosed with disease in Beijing",
    "ALSO READ: Brace for very bad weather in Joburg and other parts of SA this weekend",
    "MORE : WIN Two tickets to see Girls Aloud at Brighton Pride",
    "Related: Alaska Airlines delays full Oneworld membership to early 2021",
    "[Related: Salesforce Dreamforce Keynote: AI, Integration, Alicia Keys And Protestors]",
    "Lire aussi : Guerre Israël-Hamas : ce que l’on sait des premières évacuations",
    "À lire aussi La natalité russe menacée d’effondrement",
    "Lire aussi. TÉMOIGNAGES. « C’est le chaos » : à Gaza, les hôpitaux au bord de l’effondrement",
    "(Leggi anche su: I Cavalieri dello Zodiaco: ecco gli attori che interpreteranno Pegasus)",
    "Auch interessant: Flächenüberwachung mit Satelliten: Diese Strafen drohen bei Verstößen",
    "Mehr dazu lesen Sie hier: Coronavirus und Kinderbetreuung: Wer zahlt?",
    "Mehr zur Lage im Nahen Osten lesen Sie in unserem Liveblog:",
    "Read more news and reviews on Scottish Field’s food and drink pages.",
    "For a look at local election results from Tuesday’s municipal elections, click here.",
    "Auch interessant",
    "Lesen Sie auch:",
    "Lesen Sie mehr zum Thema",
    "You may also like...",
    "See also",
    "Czytaj więcej",
    "LIRE AUSSI SUR REGARDS.FR",
    "|  | Related Stories | ",
    "| RELATED ARTICLES |  | TOP STORIES |  |  | ",
    "| Click  here  to read the full story |  |  | ",
]

WALLS = [
    "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
    "| Please create an account or login to read this story | ",
    "Log in or create an account to continue",
    "Continue reading for free",
    "Sie möchten gerne weiterlesen?",
    "Dieser Artikel ist exklusiv für Abonnenten.",
    # wordings of other sites' walls, written from the languages, not from the labels
    "To continue reading, subscribe now.",
    "You have reached your limit of free articles this month.",
    "Already have an account? Sign in",
    "Jetzt mit Abo weiterlesen",
    "Diesen Artikel weiterlesen mit SZ Plus",
    "Article réservé aux abonnés",
    "Contenuto riservato agli abbonati",
    "Contenido exclusivo para suscriptores",
]

STAYS = [
    # a lead in capitals, as newspapers set a story's first word
    "MORE than 1100 people have been killed by a powerful cyclone that has pounded Bangladesh",
    "More: the figures show a rise in every region.",
    "Zum Thema Migration sagte der Minister am Dienstag nichts.",
    "Weder Prüß noch andere, die zum Thema forschen, bestreiten, dass es schwere Impfschäden "
    "gibt.",
    "Click here to read the unsealed search warrant on the suspect's apartment in Pullman.",
    "If you’d like to continue reading about pathlib, check out my follow-up article.",
    "Disney’s tech teams patched the software as the company continued to sign up additional "
    "subscribers throughout the week.",
    "Subscribers can log in to the archive from Monday, the company said.",
    "The paper said readers had reached the limit of free articles far sooner than before.",
    "Readers who want to continue reading must subscribe, the publisher told investors.",
    "The journalist had also faced a probe surrounding a second sex-related allegation.",
    "Ansprechpartnerin zum Thema:",
    "More from NBC’s TODAY:",
    "Exklusiv",
]


@pytest.mark.parametrize("line", POINTERS)
def test_a_pointer_to_another_story_is_one(line: str) -> None:
    assert is_pointer(line) and not is_wall(line)


@pytest.mark.parametrize("line", WALLS)
def test_the_sites_wall_is_one(line: str) -> None:
    assert is_wall(line) and not is_pointer(line)


@pytest.mark.parametrize("line", STAYS)
def test_a_storys_sentence_is_neither(line: str) -> None:
    assert not is_pointer(line) and not is_wall(line)


def test_a_long_paragraph_is_the_storys_whatever_it_opens_with() -> None:
    long = "Read more: " + " ".join(["word"] * 40)
    assert not is_pointer(long)
    assert not is_wall("Please create an account or login to read this story " + "x " * 40)


def test_split_keeps_the_other_paragraphs_as_they_were() -> None:
    text = ("First paragraph.\nRead more: Another story\nSecond paragraph.\n"
            "Continue reading for free")
    assert split_pointers(text) == ("First paragraph.\nSecond paragraph.",
                                    ("Read more: Another story",), ("Continue reading for free",))
    assert split_pointers("No pointer here.") == ("No pointer here.", (), ())


STORY = ("The foreign ministers met in the capital on Tuesday to discuss the grain corridor, "
         "the talks lasting well into the evening. Officials said a further round was planned "
         "for next month, and that both delegations had agreed on a joint statement. ")


def _page(*extra: str, free: str | None = None) -> str:
    marked = ("" if free is None else "<script type='application/ld+json'>{\"@type\": "
              "\"NewsArticle\", \"headline\": \"Grain talks\", \"isAccessibleForFree\": "
              f"{free}}}</script>")
    paragraphs = "".join(f"<p>{line}</p>" for line in extra)
    return (f"<html><head><title>Grain talks</title>{marked}</head><body><article>"
            f"<h1>Grain talks</h1><p>{STORY}</p><p>Read more: Ministers agree on a new "
            f"ferry route</p><p>{STORY}</p>{paragraphs}</article></body></html>")


def test_a_page_keeps_its_story_without_its_pointers_and_its_wall() -> None:
    page = extract_page(_page("Il vous reste 57% de cet article à lire. La suite est réservée "
                              "aux abonnés."), url="https://news.example.org/2023/09/grain")
    assert "Read more" not in page.text and "abonnés" not in page.text
    assert page.text.count("joint statement.") == 2
    assert page.pointers == ("Read more: Ministers agree on a new ferry route",)
    assert page.wall == ("Il vous reste 57% de cet article à lire. La suite est réservée aux "
                         "abonnés.",)
    assert page.paywalled is True  # the text is a teaser, though the markup says nothing


def test_the_markup_says_free_and_a_page_without_a_wall_says_nothing() -> None:
    url = "https://news.example.org/2023/09/grain"
    assert extract_page(_page("Continue reading for free", free="true"), url=url).paywalled is False
    assert extract_page(_page(), url=url).paywalled is None


def test_a_page_that_is_only_the_wall_or_pointers_is_no_article_and_says_why() -> None:
    html = ("<html><body><div><p>Please create an account or login to read this story</p>"
            "</div></body></html>")
    with pytest.raises(RejectedInput) as caught:
        extract_page(html, url="https://news.example.org/2023/09/walled")
    assert caught.value.reason is RejectReason.NO_CONTENT
    assert caught.value.detail == ("only the site's wall, no article: 'Please create an "
                                   "account or login to read this story'")
    listed = ("<html><body><div><p>Related Stories</p><p>Read more: Ministers agree on a new "
              "ferry route</p></div></body></html>")
    with pytest.raises(RejectedInput) as caught:
        extract_page(listed, url="https://news.example.org/2023/09/listed")
    assert (caught.value.reason, caught.value.detail) == (
        RejectReason.NO_CONTENT,
        "only links to the site's other stories, no article: 'Related Stories'")


def test_a_walled_page_is_stored_paywalled_without_its_wall(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "walled.html").write_text(
        _page("Sie möchten gerne weiterlesen?"), encoding="utf-8")
    done = run_cycle(Settings(db=db_path), [folder], "ingest")
    assert done.added == 1
    stored = Warehouse(db_path).query("SELECT paywalled, text FROM articles")
    [(paywalled, text)] = stored.rows
    assert paywalled is True
    assert "weiterlesen" not in text and "Read more" not in text and "joint statement" in text
