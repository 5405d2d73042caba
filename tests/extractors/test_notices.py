"""Site notices (cookie banners, consent placeholders, "enable JavaScript" bars, bot checks)
are taken out of an extracted text, and text about cookies or consent as a subject is not;
a page that is only a notice is no article, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.html import extract_page
from extractors.notices import is_notice, split_notices
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

NOTICES = [
    "We use cookies to give you the best experience on our website.",
    "Wir verwenden Cookies, die unser Angebot nutzerfreundlicher machen. Durch die Nutzung "
    "unserer Dienste stimmen Sie der Verwendung von Cookies zu.",
    "Um zu verstehen, wie unsere Webseite genutzt wird, nutzen wir Cookies und andere Techniken.",
    "Nous utilisons des cookies pour améliorer l'offre que nous vous proposons.",
    "Utilizziamo i cookie per migliorare la tua esperienza.",
    "Wij gebruiken cookies om de website goed te laten werken.",
    "Switch zum Einwilligen bzw. Ablehnen des Dienstes Matomo",
    "Please accept YouTube cookies to play this video.",
    "Um Inhalte von Datawrapper anzuzeigen, benötigen wir Ihre Zustimmung.",
    "Ihre Zustimmung können Sie im Bereich „Meine News“ jederzeit widerrufen.",
    "Wir würden hier gerne eine Newsletter Anmeldung zeigen. Leider haben Sie uns hierfür "
    "keine Zustimmung gegeben.",
    "I consent to receiving emails about offers and products.",
    "JavaScript ist deaktiviert. Für eine bessere Darstellung aktiviere bitte JavaScript.",
    "You need to enable JavaScript to run this app.",
    "We're sorry but this site doesn't work properly without JavaScript enabled.",
    "Du verwendest einen veralteten Browser.",
    "Please disable your ad blocker to continue.",
    "Checking your browser before accessing example.org.",
    "Wir setzen auf unserer Website Cookies ein, um Ihnen den besten Service zu bieten.",
    "Cookies erleichtern die Bereitstellung unserer Dienste.",
    "Mit dem Laden des Videos akzeptieren Sie die Datenschutzerklärung von YouTube.",
    "By playing this video you agree to YouTube's privacy policy.",
    "Sie haben der Nutzung von externen Inhalten nicht zugestimmt.",
    "You will be connected to www.example.se in just a moment...",
]

CONTENT = [
    # about cookies, consent, browsers or JavaScript as a subject
    "The EU's top court ruled that websites must ask before they store cookies, a decision "
    "that forces publishers to rebuild their consent banners.",
    "Die Verbraucherzentrale warnt, dass die Nachrichten Kunden auffordern, neuen "
    "Nutzungsbedingungen zuzustimmen, sonst drohe eine Sperre.",
    "Police took DNA samples without consent, the court heard on Tuesday.",
    "Republication or redissemination of the contents of this screen is expressly prohibited "
    "without the written consent of the publisher.",
    "Pipenv bundles package version control in the style of npm or yarn for JavaScript.",
    "Is it better to pay with your time, changing the privacy settings on every website you "
    "visit?",
    "Roll the dough into balls and place them onto a baking sheet (cookie sheet).",
    "Das Unternehmen lieferte mit Zustimmung des Bundestags drei Flugabwehrsysteme.",
    "Die Bundesregierung hat dem Plan nicht zugestimmt, sagte der Sprecher am Abend.",
]


@pytest.mark.parametrize("line", NOTICES)
def test_a_notice_is_one(line: str) -> None:
    assert is_notice(line)


@pytest.mark.parametrize("line", CONTENT)
def test_text_about_cookies_or_consent_is_no_notice(line: str) -> None:
    assert not is_notice(line)


def test_a_long_paragraph_is_an_articles_whatever_it_quotes() -> None:
    story = ("Regulators said on Monday that 'we use cookies' is no longer enough. " * 20).strip()
    assert not is_notice(story)


def test_a_banner_split_into_lines_goes_whole_and_the_story_stays() -> None:
    story = ["Kim Jong-un traf Wladimir Putin am Mittwoch im Kosmodrom Wostotschny.",
             # beside the banner, with words a banner has too: a story's, and it stays
             "Beide lobten ihre Partnerschaft; das Parlament muss dem Abkommen zustimmen."]
    banner = ["ARTE France et des tiers utilisent des cookies et autres traceurs.",
              "En dehors des cookies strictement nécessaires au fonctionnement du site",
              "votre consentement est nécessaire pour certains d'entre eux."]
    text, notices = split_notices("\n".join([story[0], *banner, story[1]]))
    assert text == "\n".join(story)
    assert notices == tuple(banner)


def test_a_text_without_notices_is_returned_as_it_was() -> None:
    text = "Erster Absatz.\n\nZweiter Absatz mit  zwei Leerzeichen."
    assert split_notices(text) == (text, ())


def _page(body: str, title: str = "Kim trifft Putin") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{body}</body></html>")


STORY = [
    f"Absatz {i}: Kim Jong-un und Wladimir Putin sprachen am Mittwoch über Raketen, "
    f"Satelliten und Getreide, wie die Nachrichtenagentur KCNA am Donnerstag meldete. "
    f"Beobachter in Seoul werteten das Treffen als Zeichen einer engeren Partnerschaft ({i})."
    for i in range(1, 6)
]
BANNER = ("Wir verwenden Cookies, um Inhalte zu personalisieren. Durch die Nutzung unserer "
          "Website stimmen Sie der Verwendung von Cookies zu.")


def test_the_stored_text_keeps_the_story_and_names_the_notice_it_took_out() -> None:
    html = _page("<article><h1>Kim trifft Putin</h1>"
                 + "".join(f"<p>{p}</p>" for p in STORY[:3]) + f"<p>{BANNER}</p>"
                 + "".join(f"<p>{p}</p>" for p in STORY[3:]) + "</article>")
    meta = extract_page(html, url="https://news.example.org/2023/09/13/kim-putin")
    assert meta.notices == (BANNER,)
    assert "Cookies" not in meta.text
    assert all(p in meta.text for p in STORY)


def test_a_page_that_is_only_a_notice_is_no_article_and_says_why() -> None:
    html = _page("<div id='root'><p>You need to enable JavaScript to run this app.</p></div>",
                 title="Report")
    with pytest.raises(RejectedInput) as caught:
        extract_page(html, url="https://app.example.org/article/1")
    assert caught.value.reason is RejectReason.NO_CONTENT
    assert caught.value.detail == ("only a site notice, no article: "
                                   "'You need to enable JavaScript to run this app.'")


def test_ingest_stores_no_banner_and_rejects_an_app_shell_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "story.html").write_text(
        _page("<article><h1>Kim trifft Putin</h1>" + f"<p>{BANNER}</p>"
              + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"), encoding="utf-8")
    (folder / "shell.html").write_text(
        _page("<div id='app'><noscript>We're sorry but this site doesn't work properly "
              "without JavaScript enabled. Please enable it to continue.</noscript></div>",
              title="Magazin"), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert (done.added, dict(done.reasons)) == (1, {"no_content": 1})
    [(text,)] = Warehouse(db).query("SELECT text FROM articles").rows
    assert "Cookies" not in str(text) and STORY[0] in str(text)
    [(path, reason, detail)] = Warehouse(db).query(
        "SELECT input, reason, detail FROM rejects").rows
    assert (path, reason) == (str(folder / "shell.html"), "no_content")
    assert str(detail).startswith("only a site notice, no article: \"We're sorry but")
