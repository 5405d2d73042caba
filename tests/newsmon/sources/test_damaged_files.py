"""A folder of damaged files of every kind newsmon reads, ingested by the real command
line into a real DuckDB file: the run ends normally, the good article beside them is
stored, and each damaged file is a reject naming it and what is wrong, or a problem of
the archive that holds it. Each file here once stopped the whole run (or, for the
mailbox, cost its every e-mail), found by feeding `newsmon ingest` damaged copies of real
inputs."""

from __future__ import annotations

import json
import random
import struct
import zipfile
from email.message import EmailMessage
from pathlib import Path

from extractors.outlook import OLE_MAGIC
from tests.conftest import run_cli
from warehouse import Warehouse

TEXT = ("Die Delegation aus Pjöngjang traf am Dienstag in Wladiwostok ein, wo Gespräche über "
        "Handel, Getreide und eine neue Bahnverbindung geplant sind. Beobachter erwarten, "
        "dass beide Seiten vor allem über Lieferungen sprechen, die der Westen sanktioniert. ")
RUSSIAN = ("Лидер КНДР Ким Чен Ын прибыл на космодром Восточный, где провёл переговоры с "
           "президентом России. Стороны обсудили сотрудничество в области спутников, "
           "поставки зерна и новое железнодорожное сообщение между странами. ")


def _mail(subject: str, body: bytes, charset: str) -> bytes:
    """An e-mail whose text is sent as 8-bit bytes in ``charset`` (as many clients do)."""
    return (f"From: Pressestelle <presse@example.org>\nSubject: {subject}\n"
            "Date: Wed, 13 Sep 2023 15:40:00 +0200\nMIME-Version: 1.0\n"
            f'Content-Type: text/plain; charset="{charset}"\n'
            "Content-Transfer-Encoding: 8bit\n\n").encode() + body + b"\n"


def _damaged_outlook_message() -> bytes:
    """A compound file's header stating a sector size of 2 to the power 65,535."""
    header = bytearray(512)
    header[:8] = OLE_MAGIC
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 0xFFFF)
    return bytes(header) + bytes(1024)


def _warc_response_without_address() -> bytes:
    """A response record without its WARC-Target-URI (warcio: an AttributeError)."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>a page</p>"
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")


def _undecodable_export() -> bytes:
    """A LexisNexis text export whose bytes no encoding decodes (spliced binary: bytes no
    Windows code page has, and UTF-8 broken)."""
    head = "\n".join(f"                               {n} of 2 DOCUMENTS\n\n"
                     f"                              Die Zeit\n\n{TEXT * 3}\n" for n in (1, 2))
    return head.encode() + bytes([0x81, 0x98, 0x8D, 0x90, 0xC3, 0x28, 0xFF, 0xFE] * 500)


def test_damaged_files_of_every_kind_are_named_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.html").write_text(
        "<html><head><title>Delegation</title></head><body><article><h1>Delegation</h1>"
        + "".join(f"<p>{TEXT} ({day}. September)</p>" for day in (11, 12, 13))
        + "</article></body></html>", encoding="utf-8")
    (folder / "deep.json").write_bytes(b"[" * 100_000)
    (folder / "damaged.msg").write_bytes(_damaged_outlook_message())
    (folder / "export.txt").write_bytes(_undecodable_export())
    (folder / "crawl.warc").write_bytes(_warc_response_without_address())
    (folder / "links.jsonl").write_text("\n".join(json.dumps(r) for r in (
        {"url": "http://[::1/x", "title": "a link with a broken host"},
        {"url": "articles/relative.html", "title": "a path, no address"},
        {"title": "Delegation (archive)", "text": TEXT * 2},
        {"title": "Half \ud800 a pair", "text": TEXT + "\udfff" + TEXT})), encoding="utf-8")
    (folder / "passwords.url").write_text("[InternetShortcut]\nURL=file:///etc/passwd\n")
    (folder / "clipping.pdf").write_bytes(
        b"%PDF-1.4\n" + random.Random(1).randbytes(500))  # pypdf: "EOF marker not found"
    (folder / "box.mbox").write_bytes(b"".join(
        b"From presse@example.org Wed Sep 13 15:40:00 2023\n" + mail + b"\n" for mail in (
            _mail("Kosmodrom", RUSSIAN.encode("cp1251") * 2, "windows-1251"),
            _mail("Lieferungen", (TEXT * 2).encode("latin-1"), "unknown-8bit"))))
    with zipfile.ZipFile(folder / "mails.zip", "w") as zipped:
        zipped.writestr("broken.msg", OLE_MAGIC + bytes(100))
        message = EmailMessage()
        message["Subject"] = "Leer"
        zipped.writestr("empty.eml", message.as_bytes())

    done = run_cli("--db", str(tmp_path / "w.duckdb"), "ingest", str(folder),
                   env={"NEWSMON_PREFECT": "never"})

    assert done.returncode == 0, done.stderr
    assert all(line.startswith("newsmon: ") for line in done.stderr.splitlines()), done.stderr
    warehouse = Warehouse(tmp_path / "w.duckdb")
    titles = {row[0] for row in warehouse.query("SELECT title FROM articles").rows}
    assert titles == {"Delegation", "Delegation (archive)", "Kosmodrom", "Lieferungen",
                      "Half \ufffd a pair"}  # JSON's lone surrogate: no UTF-8 text holds one
    rejects = {(Path(str(i)).name if str(i).startswith("/") else str(i), r, str(d))
               for i, r, d in warehouse.query("SELECT input, reason, detail FROM rejects").rows}
    reasons = {name: (reason, detail) for name, reason, detail in rejects}
    assert reasons["deep.json"][0] == "unsupported_type"
    assert reasons["damaged.msg"][0] == "unreadable"
    assert reasons["damaged.msg"][1].startswith("not a readable Outlook message")
    assert reasons["export.txt"][0] == "bad_encoding"
    assert reasons["crawl.warc"][0] == "unreadable"
    assert reasons["http://[::1/x"][0] == "blocked_url"
    assert reasons["passwords.url"] == (
        "blocked_url", "a link to file:///etc/passwd, not to a web page (http or https)")
    assert reasons["clipping.pdf"][0] == "unreadable"
    assert {(reason, detail.split(":")[0]) for name, reason, detail in rejects
            if name == "mails.zip"} == {("unreadable", "broken.msg"), ("empty", "empty.eml")}
    (problem,) = warehouse.query(
        "SELECT last_error FROM feeds WHERE url LIKE '%links.jsonl'").rows[0]
    assert "a record with neither an http(s) link nor a text (url='articles/relative.html'" in (
        str(problem))
