"""Articles saved as RTF: a clipping under its stated title, a Nexis Uni export one article
for each "End of Document", a LexisNexis Academic export saved as RTF (its centring lost),
an APA export one article for each publication line; ingested end to end into a real
DuckDB file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.rtf import rtf_articles
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from tests.extractors.test_news_exports import COVER, FIRST, ONE, SECOND, TWO
from warehouse import Warehouse


def rtf(path: Path, paragraphs: list[str], title: str | None = None) -> Path:
    """An RTF file as word processors write one: a font table, the paragraphs with their
    non-ASCII characters escaped (as code page bytes and as Unicode), a stated title."""
    def escaped(text: str) -> str:
        out = []
        for char in text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}"):
            if ord(char) < 128:
                out.append(char)
            elif char in "äöüé":
                out.append(f"\\'{char.encode('cp1252')[0]:02x}")
            else:
                out.append(f"\\u{ord(char)}?")
        return "".join(out)

    info = f"{{\\info{{\\title {escaped(title)}}}{{\\author Erika}}}}" if title else ""
    body = "".join(f"\\pard\\plain\\f0\\fs22 {escaped(p)}\\par\n" for p in paragraphs)
    path.write_text("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}"
                    f"{{\\colortbl;\\red0\\green0\\blue0;}}{info}\n{body}}}", encoding="ascii")
    return path


def test_a_clipping_is_its_paragraphs_under_its_title(tmp_path: Path) -> None:
    path = rtf(tmp_path / "Clipping.rtf", [ONE, "Zwei Tage später „Gespräche“ in Moskau. " + TWO],
               title="Kim in Wladiwostok")
    [article] = rtf_articles(path, 1_000_000)
    assert isinstance(article, ArchivedPage)
    assert article.content.decode().split("\n\n") == [
        "Kim in Wladiwostok", ONE, "Zwei Tage später „Gespräche“ in Moskau. " + TWO]
    assert (article.url, article.name, article.hints) == (path.resolve().as_uri(), None, None)


def test_a_nexis_uni_rtf_export_is_one_article_each(tmp_path: Path) -> None:
    path = rtf(tmp_path / "Files (2).rtf", [*COVER, *FIRST, *SECOND])
    first, second = rtf_articles(path, 1_000_000)
    assert isinstance(first, ArchivedPage) and isinstance(second, ArchivedPage)
    assert first.content.decode().split("\n\n") == [FIRST[0], ONE, TWO]
    assert first.hints is not None and (first.hints.source, first.hints.author) == (
        "Valley Courier", "Jane Roe; John Doe")
    assert second.name == "article 2"


def test_a_lexisnexis_academic_export_saved_as_rtf_is_one_article_each(tmp_path: Path) -> None:
    path = rtf(tmp_path / "LexisNexis.rtf", [
        "1 of 2 DOCUMENTS", "", "Valley Courier", "September 12, 2023 Tuesday", "",
        "Kim arrives in Russia", "", "BYLINE: JANE ROE", "", "LENGTH: 612 words", "", ONE, "",
        TWO, "", "LOAD-DATE: September 13, 2023", "", "2 of 2 DOCUMENTS", "", "Harbour News",
        "September 13, 2023 Wednesday", "", "Seoul watches", "", "LENGTH: 301 words", "",
        TWO, "", ONE])
    first, second = rtf_articles(path, 1_000_000)
    assert isinstance(first, ArchivedPage) and isinstance(second, ArchivedPage)
    assert first.content.decode().split("\n\n") == ["Kim arrives in Russia", ONE, TWO]
    assert first.hints is not None and (first.hints.source, first.hints.author) == (
        "Valley Courier", "Jane Roe")
    assert second.hints is not None and (second.hints.title, second.hints.source) == (
        "Seoul watches", "Harbour News")


def test_a_file_that_is_no_rtf_is_one_named_problem(tmp_path: Path) -> None:
    fake = tmp_path / "notes.rtf"
    fake.write_text("just text")
    assert list(rtf_articles(fake, 1_000_000)) == [ArchiveProblem(
        0, None, RejectReason.UNREADABLE, "not an RTF file (it does not start with {\\rtf)",
        stops=True)]
    empty = rtf(tmp_path / "empty.rtf", [])
    assert list(rtf_articles(empty, 1_000_000)) == [ArchiveProblem(
        0, None, RejectReason.EMPTY, "an RTF file without text", stops=True)]


def test_rtf_files_are_ingested_as_articles_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "clippings"
    folder.mkdir()
    rtf(folder / "Clipping.rtf", [ONE, "Zwei Tage später in Moskau. " + TWO],
        title="Kim in Wladiwostok")
    rtf(folder / "Export.rtf", [*COVER, *FIRST, *SECOND])
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert done.added == 3
    assert done.archives is not None and done.archives.describe().startswith(
        "RTF files: 2 of 2 read (0 unchanged); 3 articles")
    assert sorted(Warehouse(db).query("SELECT title, origin, published_at FROM articles").rows
                  ) == [
        (FIRST[0], f"{(folder / 'Export.rtf').resolve()}/article 1", datetime(2023, 9, 13, 1, 20)),
        ("Kim in Wladiwostok", str((folder / "Clipping.rtf").resolve()), None),
        (SECOND[0], f"{(folder / 'Export.rtf').resolve()}/article 2",
         datetime(2023, 9, 13))]
    assert run_cycle(Settings(db=db), [folder], "ingest").inputs == 0  # unchanged: not read


def test_an_apa_export_is_one_article_each(tmp_path: Path) -> None:
    """The Austria Presse Agentur's media database writes RTF exports whose articles each
    open with the publication and day ("vom ..."; "gefunden am ... Uhr" for online ones),
    parted by a rule; an edition and a rubric may stand above the headline."""
    path = rtf(tmp_path / "APA.rtf", [
        '"Kurier.at" gefunden am 13.09.2023 10:36 Uhr', "", "Kim trifft Putin in Russland",
        "", ONE, "", TWO, "", "", "_" * 60,
        '"Kronen Zeitung" vom 14.09.2023 Seite: 28', "Ressort: Ausland", "", "Abend, Abend",
        "", "KOLUMNE", "", "Waffen gegen Getreide", "", "Von Jane Roe", "", TWO, "", ONE, "",
        "Gespeicherter Anhang: karte.pdf"])
    online, printed = rtf_articles(path, 1_000_000)
    assert isinstance(online, ArchivedPage) and isinstance(printed, ArchivedPage)
    assert online.content.decode().split("\n\n") == ["Kim trifft Putin in Russland", ONE, TWO]
    assert online.hints is not None and (online.hints.source, online.hints.published) == (
        "Kurier.at", Dated(datetime(2023, 9, 13, 8, 36), DatePrecision.SECOND, 120))
    assert printed.content.decode().split("\n\n") == ["Waffen gegen Getreide", TWO, ONE]
    assert printed.hints is not None and (printed.hints.source, printed.hints.author,
                                          printed.hints.published) == (
        "Kronen Zeitung", "Jane Roe", Dated(datetime(2023, 9, 14), DatePrecision.DAY))
