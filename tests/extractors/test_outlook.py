"""E-mails Outlook saved as ``.msg``: an OLE compound file of MAPI properties, read as an
``.eml`` is (a Google Alert the stories it links to, any other mail the article it holds),
ingested end to end into a real DuckDB file. The files are written here as Outlook lays
them out (olefile reads compound files but cannot write one)."""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.email_message import alert_links, email_article
from extractors.outlook import outlook_mail
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from tests.extractors.test_email_message import TEXT
from warehouse import Warehouse

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_SECTOR, _MINI = 512, 64


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (version 3) of top-level streams under 4,096 bytes each, kept in
    its mini stream, as Outlook keeps a message's small properties."""
    names = sorted(streams)
    mini, minifat = bytearray(), []
    starts = {}
    for name in names:
        data = streams[name]
        count = max(1, -(-len(data) // _MINI))
        starts[name] = len(minifat)
        minifat.extend(range(len(minifat) + 1, len(minifat) + count))
        minifat.append(_END)
        mini += data.ljust(count * _MINI, b"\0")

    def entry(name: str, kind: int, start: int, size: int, right: int = _FREE,
              child: int = _FREE) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", _FREE, right, child) + b"\0" * 36
                + struct.pack("<IQ", start, size))

    def sectors(data: bytes) -> list[bytes]:
        data = bytes(data) or b"\0"
        padded = data.ljust(-(-len(data) // _SECTOR) * _SECTOR, b"\0")
        return [padded[i:i + _SECTOR] for i in range(0, len(padded), _SECTOR)]

    minifat_sectors = sectors(struct.pack(f"<{len(minifat)}I", *minifat)
                              + b"\xff" * (-len(minifat) * 4 % _SECTOR))
    mini_sectors = sectors(mini)
    # the directory: the root (its child the first stream), the streams chained rightwards
    directory_size = -(-(len(names) + 1) * 128 // _SECTOR) * _SECTOR
    first_dir = 1
    first_minifat = first_dir + directory_size // _SECTOR
    first_mini = first_minifat + len(minifat_sectors)
    entries = entry("Root Entry", 5, first_mini, len(mini), child=1 if names else _FREE)
    for number, name in enumerate(names, 1):
        entries += entry(name, 2, starts[name], len(streams[name]),
                         right=number + 1 if number < len(names) else _FREE)
    entries = entries.ljust(directory_size, b"\0")
    total = first_mini + len(mini_sectors)
    fat = [_FAT]
    for first, count in ((first_dir, directory_size // _SECTOR),
                         (first_minifat, len(minifat_sectors)), (first_mini, len(mini_sectors))):
        fat.extend([*range(first + 1, first + count), _END])
    assert len(fat) == total <= _SECTOR // 4
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(_SECTOR, b"\xff")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, first_dir, 0, 4096, first_minifat,
                            len(minifat_sectors), _END, 0)
              + struct.pack("<I", 0) + b"\xff" * (108 * 4))
    return header + fat_sector + entries + b"".join(minifat_sectors) + b"".join(mini_sectors)


def outlook_message(path: Path, *, subject: str, sender: tuple[str, str], body: str,
                    html: bytes | None = None, headers: str | None = None,
                    sent: datetime | None = None) -> Path:
    """A .msg as Outlook saves one: Unicode string properties, the HTML body as binary, the
    time it was sent (a FILETIME) in the fixed-size property stream."""
    def text(prop: int, value: str) -> tuple[str, bytes]:
        return f"__substg1.0_{prop:04X}001F", value.encode("utf-16-le")

    streams = dict([text(0x0037, subject), text(0x0C1A, sender[0]), text(0x0C1F, sender[1]),
                    text(0x1000, body)])
    if html is not None:
        streams["__substg1.0_10130102"] = html
    if headers is not None:
        streams.update([text(0x007D, headers)])
    properties = b"\0" * 32
    if sent is not None:
        ticks = int((sent - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
        properties += struct.pack("<IIQ", (0x0039 << 16) | 0x0040, 6, ticks)
    properties += struct.pack("<IIQ", (0x3FFD << 16) | 0x0003, 6, 65001)  # its code page
    streams["__properties_version1.0"] = properties
    path.write_bytes(compound_file(streams))
    return path


ALERT_HTML = (b'<html><body><a href="https://www.google.com/url?rct=j&amp;sa=t&amp;url='
              b'https://courier.example/kim-russia&amp;ct=ga&amp;usg=AO">Kim arrives in Russia</a>'
              b'<a href="https://www.google.com/alerts/remove?s=AB">Unsubscribe</a></body></html>')


def test_an_outlook_message_is_read_as_an_email(tmp_path: Path) -> None:
    sent = datetime(2023, 9, 13, 13, 40, tzinfo=UTC)
    path = outlook_message(tmp_path / "Statement.msg", subject="Statement on the summit",
                           sender=("Ministry of Foreign Affairs", "press@mfa.example"),
                           body=f"{TEXT}\r\n\r\n{TEXT}", sent=sent)
    mail = outlook_mail(path.read_bytes())
    assert (mail.subject, mail.sender_name, mail.sent) == (
        "Statement on the summit", "Ministry of Foreign Affairs", sent)
    found = email_article(path.read_bytes(), max_bytes=1_000_000)
    assert (found.kind, found.hints.title, found.hints.source, found.hints.published) == (
        "text", "Statement on the summit", "Ministry of Foreign Affairs",
        Dated(datetime(2023, 9, 13, 13, 40), DatePrecision.SECOND))
    assert found.content.decode().startswith(f"Statement on the summit\n\n{TEXT}")
    # the headers it arrived with state the sender's offset too
    with_headers = outlook_message(
        tmp_path / "Forwarded.msg", subject="Fwd", sender=("Jane Roe", "jane@example.org"),
        body=TEXT, html=b"<p>" + TEXT.encode() + b"</p>", sent=sent,
        headers="Date: Wed, 13 Sep 2023 15:40:00 +0200\r\nMessage-ID: <a@b>\r\n\r\n")
    forwarded = email_article(with_headers.read_bytes(), max_bytes=1_000_000)
    assert (forwarded.kind, forwarded.hints.published) == (
        "html", Dated(datetime(2023, 9, 13, 13, 40), DatePrecision.SECOND, 120))


def test_an_outlook_google_alert_is_its_stories(tmp_path: Path) -> None:
    path = outlook_message(tmp_path / "Alert.msg", subject="Google Alert - Kim Jong-un",
                           sender=("Google Alerts", "googlealerts-noreply@google.com"),
                           body="Kim arrives in Russia", html=ALERT_HTML)
    assert alert_links(path.read_bytes()) == [
        {"url": "https://courier.example/kim-russia", "title": "Kim arrives in Russia"}]
    text_only = outlook_message(  # no HTML body kept: the stories of its text part
        tmp_path / "Text alert.msg", subject="Google Alert - Kim Jong-un",
        sender=("Google Alerts", "googlealerts-noreply@google.com"),
        body="Google Alert - Kim Jong-un\r\n\r\nNEWS\r\n\r\nKim arrives in Russia\r\n"
             "Valley Courier\r\nNorth Korean leader ...\r\n<https://www.google.com/url?rct=j"
             "&sa=t&url=https://courier.example/kim-russia&ct=ga&usg=AO>\r\n\r\n"
             "Unsubscribe <https://www.google.com/alerts/remove?s=AB>\r\n")
    assert alert_links(text_only.read_bytes()) == [
        {"url": "https://courier.example/kim-russia", "title": "Kim arrives in Russia"}]


def test_a_file_that_is_no_outlook_message_is_named(tmp_path: Path) -> None:
    with pytest.raises(RejectedInput) as caught:
        outlook_mail(compound_file({"WordDocument": b"\0" * 100}))
    assert caught.value.reason is RejectReason.UNREADABLE
    assert "no Outlook message" in caught.value.detail
    with pytest.raises(RejectedInput) as broken:
        outlook_mail(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert broken.value.reason is RejectReason.UNREADABLE


def test_outlook_messages_are_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    outlook_message(folder / "Statement.msg", subject="Statement on the summit",
                    sender=("Ministry of Foreign Affairs", "press@mfa.example"),
                    body=f"{TEXT}\r\n\r\n{TEXT}", sent=datetime(2023, 9, 13, 13, 40, tzinfo=UTC))
    db = tmp_path / "w.duckdb"
    done = run_cycle(Settings(db=db), [folder], "ingest")
    assert (done.added, done.rejected) == (1, 0)
    assert Warehouse(db).query("SELECT title, source, published_at, origin FROM articles"
                               ).rows == [("Statement on the summit", "Ministry of Foreign Affairs",
                                           datetime(2023, 9, 13, 13, 40),
                                           str(folder / "Statement.msg"))]
