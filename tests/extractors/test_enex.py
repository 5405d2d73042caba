"""Evernote exports: each note a record, a web clipping known by its page's address, what
cannot be read named, nothing an entity names fetched or expanded; ingested end to end
into a real DuckDB file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from extractors.enex import enex_records, is_enex
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from tests.extractors.test_markdown import LEAD, REUTERS, SECOND
from warehouse import Warehouse

PROLOGUE = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE en-note SYSTEM '
            '"http://xml.evernote.com/pub/enml2.dtd">\n')
CLIPPING = f"""  <note>
    <title>North Korea's Kim arrives in Russia for talks with Putin | Reuters</title>
    <created>20230912T081502Z</created>
    <updated>20230912T081502Z</updated>
    <note-attributes>
      <author>Jane Analyst</author>
      <source>web.clip7</source>
      <source-url>{REUTERS}</source-url>
    </note-attributes>
    <content><![CDATA[{PROLOGUE}<en-note><div><div>By Hyonhee Shin and Guy Faulconbridge</div>
<p>{LEAD}</p><p>{SECOND}</p><en-media hash="4914ced8925f9adcc1c58ab87813c81f" type="image/png"/>
</div></en-note>]]></content>
    <resource><data encoding="base64">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4
2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==</data><mime>image/png</mime></resource>
  </note>
"""
NOTE = f"""  <note>
    <title>Briefing notes</title>
    <created>20230913T090000Z</created>
    <note-attributes><author>Jane Analyst</author></note-attributes>
    <content><![CDATA[{PROLOGUE}<en-note><div>{LEAD}</div><div>{SECOND}</div>
<en-crypt cipher="AES" length="128">RU5DMI1mnQ7fKjBk9f0a57gSc9Nfbuw3</en-crypt>
</en-note>]]></content>
  </note>
"""
SHORT = """  <note>
    <title>Shopping list</title>
    <content><![CDATA[<en-note><div>milk</div></en-note>]]></content>
  </note>
"""
EMPTY = """  <note>
    <title>Empty</title>
    <content><![CDATA[<en-note></en-note>]]></content>
  </note>
"""


def enex(*notes: str, doctype: str = "") -> bytes:
    """An export as Evernote writes one."""
    doctype = doctype or ('<!DOCTYPE en-export SYSTEM '
                          '"http://xml.evernote.com/pub/evernote-export4.dtd">')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<en-export '
            'export-date="20240105T102231Z" application="Evernote" version="10.68.2">\n'
            + "".join(notes) + "</en-export>\n").encode()


def test_an_export_is_told_by_its_root() -> None:
    assert is_enex(enex(NOTE)) and is_enex(b"\xef\xbb\xbf<en-export>")
    assert not is_enex(b"<?xml version='1.0'?><rss><channel/></rss>")
    assert not is_enex(b"<html><body>en-export</body></html>")


def test_each_note_is_a_record_and_a_clipping_is_its_page() -> None:
    records, problems = enex_records(enex(CLIPPING, NOTE, EMPTY))
    clipping, note, empty = records
    assert {k: v for k, v in clipping.items() if k != "text"} == {
        "title": "North Korea's Kim arrives in Russia for talks with Putin",  # site dropped
        "url": REUTERS, "source": "reuters.com", "seen_at": "20230912T081502Z"}
    assert "<div>By Hyonhee Shin and Guy Faulconbridge</div>" in clipping["text"]
    assert "en-media" not in clipping["text"] and "iVBOR" not in clipping["text"]
    assert note["author"] == "Jane Analyst"  # her own note: she wrote it
    assert "en-crypt" not in note["text"] and "RU5DM" not in note["text"]
    assert empty == {"title": "Empty"}
    assert problems == []


def test_an_export_cut_short_keeps_the_notes_before_the_cut() -> None:
    records, problems = enex_records(enex(CLIPPING, NOTE)[:-400])
    assert [r["title"] for r in records] == [
        "North Korea's Kim arrives in Russia for talks with Putin"]
    assert len(problems) == 1 and problems[0].startswith("after note 1: not well-formed XML")


def test_entities_are_neither_fetched_nor_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    doctype = (f'<!DOCTYPE en-export [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
               '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
               '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    note = NOTE.replace("<title>Briefing notes</title>", "<title>&xxe; &c;</title>")
    records, _ = enex_records(enex(note, doctype=doctype))
    assert "top secret" not in str(records) and "aaaaaaaaaa" not in str(records)


def test_an_export_is_ingested_as_its_notes(tmp_path: Path) -> None:
    """The clipping and the note are stored, the note without text named, a note too short
    for an article rejected under its title; the export read again unchanged adds
    nothing."""
    folder = tmp_path / "Evernote"
    folder.mkdir()
    (folder / "Clippings.enex").write_bytes(enex(CLIPPING, NOTE, EMPTY, SHORT))
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert done.added == 2
    warehouse = Warehouse(db)
    assert sorted(warehouse.query(
        "SELECT url, title, author, source, seen_at FROM articles").rows, key=str) == sorted([
        (REUTERS, "North Korea's Kim arrives in Russia for talks with Putin",
         "Hyonhee Shin; Guy Faulconbridge", "reuters.com", datetime(2023, 9, 12, 8, 15, 2)),
        (warehouse.query("SELECT url FROM articles WHERE title = 'Briefing notes'").rows[0][0],
         "Briefing notes", "Jane Analyst", None, datetime(2023, 9, 13, 9, 0)),
    ], key=str)
    assert warehouse.query("SELECT last_error FROM feeds").rows == [
        ("1 record could not be read (a record with neither an http(s) link nor a text "
         "(title='Empty'))",)]
    [(key, reason, detail)] = warehouse.query("SELECT input, reason, detail FROM rejects").rows
    assert str(key).startswith(f"feed-entry:{(folder / 'Clippings.enex').as_uri()}#")
    assert (reason, detail) == ("too_short", "'Shopping list': 1 word, fewer than 40")
    assert run_cycle(Settings(db=db), [folder], "ingest").added == 0
