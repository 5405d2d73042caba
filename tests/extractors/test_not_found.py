"""A site's "page not found" served as a page (a soft 404) is no article and says so; news
whose headline or opening merely mentions such words is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.html import extract_page
from extractors.not_found import MAX_WORDS, says_not_found
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from warehouse import Warehouse

STORY = ("The foreign ministers met in the capital on Tuesday to discuss the grain corridor, "
         "the talks lasting well into the evening. Officials said a further round was planned "
         "for next month, and that both delegations had agreed on a joint statement. ")

ERROR_TITLES = [
    "Seite nicht gefunden | Beispiel Zeitung",
    "Page not found - The Example Times",
    "404",
    "Error 404",
    "404: Page not found",
    "404 Not Found",
    "Oops! That page can't be found.",
    "Sorry, we couldn't find that page",
    "Fehler 404 - Seite nicht gefunden - DER SPIEGEL",
    "Diese Seite gibt es leider nicht",
    "Page introuvable - Le Monde",
    "Página no encontrada | EL PAÍS",
    "Pagina non trovata - la Repubblica",
    "Pagina niet gevonden | NOS",
    "Nie znaleziono strony",
    "Sidan kunde inte hittas - SVT",
    "Страница не найдена",
    "Sayfa bulunamadı",
    "ページが見つかりません｜日本経済新聞",
    "页面不存在",
    "페이지를 찾을 수 없습니다",
    "الصفحة غير موجودة",
    # an article taken down (a public broadcaster's depublished story, a legal removal)
    "Artikel nicht verfügbar | tagesschau.de",
    "Dieser Beitrag ist nicht mehr verfügbar",
    "This article is no longer available - The Example Times",
]
NEWS_TITLES = [
    "Vermisste Wanderin: nicht gefunden",  # a kicker's colon is no site separator
    "Flight 404 lands safely after engine warning",
    "Error in vote count delays result",
    "Sorry",
    "Kim Jong Un arrives in Vladivostok",
    "Not found guilty: jury clears former minister",
    "Ministry's website shows 'page not found' after cyber attack",
    "Video of the summit removed from state television's archive",
]
STATEMENTS = [
    "The page you were looking for may have been moved, deleted, or never existed.",
    "Die von Ihnen aufgerufene Seite existiert nicht mehr oder wurde verschoben.",
    "Der gesuchte Artikel ist leider nicht mehr verfügbar.",
    "La page que vous cherchez n'existe plus ou a été déplacée.",
    "La página que buscas no existe o ha sido eliminada.",
    "La pagina che stai cercando non esiste.",
    "De pagina die u zoekt bestaat niet (meer).",
    "Запрашиваемая страница не существует или была удалена.",
    "お探しのページは移動または削除された可能性があります。",
    "您访问的页面不存在或已被删除。",
    "Dieser Beitrag ist leider nicht mehr verfügbar.",
    "Der Artikel wurde depubliziert.",
    "This story has been removed from our site at the request of the subject.",
]


@pytest.mark.parametrize("title", ERROR_TITLES)
def test_an_error_pages_title_says_it_is_not_found(title: str) -> None:
    assert says_not_found([title], "Try the search or our front page.") == title


@pytest.mark.parametrize("title", NEWS_TITLES)
def test_a_news_headline_is_no_error_title(title: str) -> None:
    assert says_not_found([title], STORY) is None


@pytest.mark.parametrize("statement", STATEMENTS)
def test_an_opening_that_tells_the_reader_the_page_is_gone(statement: str) -> None:
    text = f"Hoppla!\n{statement}\nZur Startseite"
    assert says_not_found(["Beispiel Zeitung"], text) == statement


def test_the_words_inside_an_articles_worth_of_text_are_a_story() -> None:
    """A story about a site's outage quotes an error page's words; its length tells it
    from the error page."""
    quoting = ("Visitors to the ministry's site on Monday read: the page you were looking for "
               "could not be found. " + STORY * 12)
    assert len(quoting.split()) > MAX_WORDS
    assert says_not_found(["Page not found"], quoting) is None
    assert says_not_found([None], quoting) is None
    # a statement far down a short text is not its opening
    assert says_not_found([None], STORY * 3 + "The page you requested was moved.") is None


def _page(title: str, h1: str, body: str, lang: str = "en") -> str:
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}"
            "</title></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<main><article><h1>{h1}</h1>{body}</article></main><footer>Imprint</footer>"
            "</body></html>")


SOFT_404 = _page(
    "Page not found - The Example Times", "Sorry, we couldn't find that page",
    "<p>The page you were looking for may have been moved, deleted, or possibly never existed. "
    "Please check the web address for spelling mistakes, or use the search box above to find "
    "what you are looking for on our website today.</p><p>You might be interested in the "
    "latest stories from our newsroom, covering world news, politics, business, technology, "
    "science, health and sport from our correspondents around the globe.</p><h3>Most read"
    "</h3><ul><li><a href='/x'>Kim Jong Un arrives in Russia for talks with Putin on an arms "
    "deal</a></li><li><a href='/y'>Sanctions against North Korea tightened by the UN Security "
    "Council</a></li></ul>")
SOFT_404_DE = _page(
    "Beispiel Zeitung", "Hoppla!",
    "<p>Die von Ihnen aufgerufene Seite existiert nicht mehr oder wurde verschoben. "
    "Möglicherweise haben Sie sich bei der Eingabe der Adresse vertippt, oder der Artikel ist "
    "nicht mehr verfügbar, weil seine Lizenz abgelaufen ist.</p><p>Nutzen Sie unsere Suche oder "
    "kehren Sie zur Startseite zurück, um aktuelle Nachrichten aus Politik, Wirtschaft, Kultur "
    "und Sport zu lesen. Unsere Redaktion berichtet rund um die Uhr.</p>", lang="de")


def test_a_soft_404_page_is_no_article_and_says_why() -> None:
    for html, said in ((SOFT_404, "Sorry, we couldn't find that page"),
                       # its headline ("Hoppla!") says nothing: its opening does, cut short
                       (SOFT_404_DE, "Die von Ihnen aufgerufene Seite existiert nicht mehr oder "
                                     "wurde verschoben. Möglicherweise haben Sie")):
        with pytest.raises(RejectedInput) as caught:
            extract_page(html, url="https://news.example.org/2023/09/gone")
        assert caught.value.reason is RejectReason.HTTP_404
        assert caught.value.detail == f"a site's 'page not found' page, no article: {said!r}"


def test_a_short_story_on_an_error_pages_template_is_an_article() -> None:
    html = _page("Grain talks continue - The Example Times", "Grain talks continue",
                 f"<p>{STORY}</p><p>{STORY}</p>")
    assert extract_page(html, url="https://news.example.org/2023/09/grain").title == (
        "Grain talks continue")


def test_ingest_names_a_saved_error_page_and_stores_the_article_beside_it(
    tmp_path: Path
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "gone.html").write_text(SOFT_404, encoding="utf-8")
    (folder / "story.html").write_text(
        _page("Grain talks continue", "Grain talks continue", f"<p>{STORY * 2}</p>"),
        encoding="utf-8")
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert (done.added, dict(done.reasons)) == (1, {"http_404": 1})
    [(path, detail)] = Warehouse(db).query("SELECT input, detail FROM rejects").rows
    assert str(path).endswith("gone.html")
    assert "'page not found' page" in str(detail)
