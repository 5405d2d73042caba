"""E-mails saved as files (``.eml``, and Outlook's ``.msg`` through
:mod:`extractors.outlook`) and mailboxes (``.mbox``: a mail client's folder, a Gmail
Takeout export), read with the standard library's ``email`` parser.

Two kinds reach an analyst's inbox. A Google Alert (the free monitoring most analysts set
up first) lists the stories found for a search, each linked through google.com/url: it is
read as a feed of those links, each story fetched and known by its own address, as its RSS
feed's stories are. Any other e-mail (a press release, a clipping sent on, a newsletter) is
one article: its HTML part, else its text, with the subject as its headline, its sender as
its source and the time it was sent as its date when the text states none. A mailbox is
both: its alerts' stories to fetch and its other e-mails' articles, as records of an
archive (:mod:`extractors.archive_feed`).
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from typing import Literal

from lxml import etree, html

from extractors.outlook import is_outlook, outlook_mail
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision, EntryHints
from newsmon.core.urls import unwrapped

EMAIL_SUFFIXES = frozenset({".eml"})
MBOX_SUFFIXES = frozenset({".mbox"})
#: Where a mailbox's next e-mail starts: a "From " line (its envelope), and how a line of
#: text that starts so is escaped in it (">From ", one ">" more for each level).
_ENVELOPE = re.compile(rb"^From [^\r\n]*\r?\n", re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
#: Google Alerts' sender, and its story links: google.com/url?...&ct=ga (its own links, to
#: flag a story, edit the alert or unsubscribe, go elsewhere on google.com).
_ALERT_SENDER = "googlealerts-noreply@google.com"
_ALERT_LINK = re.compile(r"^https://www\.google\.[a-z.]+/url\?.*\bct=ga\b")
_LINKS = etree.XPath("//a[@href]")
#: A story's link in an alert's text part: "<https://www.google.com/url?...>".
_TEXT_LINK = re.compile(r"<(https://www\.google\.[a-z.]+/url\?[^>\s]+)>")


@dataclass(frozen=True, slots=True)
class EmailArticle:
    """The article an e-mail holds: its body as HTML or text, and what its headers say."""

    content: bytes
    kind: Literal["text", "html"]
    charset: str | None
    hints: EntryHints


@dataclass(frozen=True, slots=True)
class _Mail:
    """What an e-mail (``.eml`` or Outlook's ``.msg``) holds that newsmon reads."""

    sender: str  # the address, lower case ("" when none is stated)
    sender_name: str | None
    subject: str | None
    sent: Dated | None
    message_id: str | None
    html: bytes | None
    html_charset: str | None
    text: str | None


def alert_links(content: bytes) -> list[dict[str, str]] | None:
    """The stories a Google Alert e-mail links to (``url``, ``title``), or None when the
    e-mail is no Google Alert."""
    return _alert_stories(_mail(content))


def _alert_stories(mail: _Mail) -> list[dict[str, str]] | None:
    if mail.html is not None:
        links = [(node.get("href", ""), " ".join(node.text_content().split()))
                 for node in _LINKS(html.fromstring(mail.html or b"<html/>"))]
    else:  # the text part: each story a paragraph, its headline first, its link last
        links = [(found[1], block.strip().split("\n", 1)[0].strip())
                 for block in re.split(r"\n\s*\n", (mail.text or "").replace("\r\n", "\n"))
                 if (found := _TEXT_LINK.search(block))]
    stories = [{"url": unwrapped(href), "title": title}
               for href, title in links if _ALERT_LINK.match(href) and title]
    if mail.sender != _ALERT_SENDER and not stories:
        return None
    return list({story["url"]: story for story in stories}.values())


def is_mailbox(head: bytes) -> bool:
    """Whether a file's first bytes are a mailbox's: its first e-mail's envelope line."""
    return head.startswith(b"From ")


def mailbox_records(content: bytes) -> tuple[list[dict[str, str]], list[str]]:
    """A mailbox as an archive's records: each Google Alert's stories (a link, a title) and
    each other e-mail's article (its text, subject, sender, time sent and Message-ID); and
    the e-mails that hold no article, named."""
    records: list[dict[str, str]] = []
    problems: list[str] = []
    for number, raw in enumerate(_ENVELOPE.split(content)[1:], 1):
        try:  # no limit of its own: the mailbox was held to the file limit when read
            mail = _mail(_ESCAPED_FROM.sub(rb"\1", raw))
            stories = _alert_stories(mail)
            found = _article(mail, max_bytes=None) if stories is None else None
        except RejectedInput as exc:
            problems.append(f"e-mail {number}: {exc.detail}")
            continue
        except Exception as exc:  # one damaged e-mail must not cost the mailbox's others
            problems.append(f"e-mail {number}: {type(exc).__name__}: {exc}")
            continue
        if found is None:
            records.extend(stories or [])
            continue
        published = _iso(mail.sent) if mail.sent else ""
        records.append({
            "id": mail.message_id or f"e-mail {number}", "title": found.hints.title or "",
            "source": found.hints.source or "", "published": published,
            "text": found.content.decode(found.charset or "utf-8", errors="replace")})
    return records, problems


def email_article(content: bytes, *, max_bytes: int) -> EmailArticle:
    """The article an e-mail holds; :class:`RejectedInput` naming why there is none."""
    return _article(_mail(content), max_bytes=max_bytes)


def _article(mail: _Mail, *, max_bytes: int | None) -> EmailArticle:
    if mail.html is None and mail.text is None:
        raise RejectedInput(RejectReason.NO_CONTENT,
                            "an e-mail without a text or HTML part (attachments only?)")
    body = mail.html if mail.html is not None else (mail.text or "").encode()
    if not body.strip():
        raise RejectedInput(RejectReason.EMPTY, "an e-mail whose text is empty")
    if max_bytes is not None and len(body) > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE, f"its text has {len(body):,} bytes, over "
                                                    f"the {max_bytes:,}-byte limit")
    hints = EntryHints(title=mail.subject, published=mail.sent,
                       source=mail.sender_name or mail.sender or None)
    if mail.html is not None:
        return EmailArticle(mail.html, "html", mail.html_charset, hints)
    # a text's headline is its first line: the subject heads it
    text = f"{mail.subject}\n\n{mail.text}" if mail.subject else mail.text or ""
    return EmailArticle(text.encode("utf-8"), "text", "utf-8", hints)


def _mail(content: bytes) -> _Mail:
    """An ``.eml``'s or an Outlook ``.msg``'s mail."""
    if is_outlook(content):
        saved = outlook_mail(content)
        headers = _message(saved.headers.encode("utf-8")) if saved.headers else None
        sent = _sent(headers) if headers is not None else None
        if sent is None and saved.sent is not None:
            sent = Dated(saved.sent.replace(tzinfo=None), DatePrecision.SECOND)
        return _Mail((saved.sender_address or "").lower(), saved.sender_name, saved.subject,
                     sent, _message_id(headers) if headers is not None else None,
                     saved.html, None, saved.text)
    message = _message(content)
    name, address = parseaddr(_header(message, "From") or "")
    html_part, text_part = _part(message, "text/html"), _part(message, "text/plain")
    text_body = _payload(text_part) if text_part is not None else None
    return _Mail(
        address.lower(), name.strip() or None, _header(message, "Subject"), _sent(message),
        _message_id(message),
        _payload(html_part) if html_part is not None else None,
        _charset(html_part) if html_part is not None else None,
        text_body.decode(_charset(text_part) or "utf-8", errors="replace")
        if text_body is not None and text_part is not None else None)


def _message_id(message: Message) -> str | None:
    return str(message.get("Message-ID", "")).strip() or None


def _iso(dated: Dated) -> str:
    """A time as ISO 8601 with the offset it was stated in ("2023-09-13T15:40:00+02:00")."""
    offset = timedelta(minutes=dated.utc_offset_minutes or 0)
    return (dated.at + offset).replace(tzinfo=timezone(offset)).isoformat()


def _message(content: bytes) -> Message:
    return email.message_from_bytes(content, policy=email.policy.compat32)


def _part(message: Message, content_type: str) -> Message | None:
    """The message's first part of ``content_type`` that is not an attachment."""
    return next((part for part in message.walk()
                 if part.get_content_type() == content_type
                 and not str(part.get("Content-Disposition", "")).lower().startswith(
                     "attachment")), None)


def _charset(part: Message) -> str | None:
    """The part's charset when Python knows it: mail clients write "unknown-8bit" and
    worse, and a label Python cannot decode with is no label."""
    label = part.get_content_charset()
    try:
        return codecs.lookup(label).name if label else None
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it
        return None


def _payload(part: Message) -> bytes | None:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else None


def _header(message: Message, name: str) -> str | None:
    value = message.get(name)
    if value is None:
        return None
    decoded = "".join(_chunk_text(chunk, charset)
                      for chunk, charset in email.header.decode_header(value))
    return " ".join(decoded.split()) or None


def _chunk_text(chunk: bytes | str, charset: str | None) -> str:
    """One part of a header as its sender wrote it. A header sent with 8-bit bytes (no
    =?utf-8?...?= encoding) comes as bytes of charset "unknown-8bit" (or none): they are
    UTF-8 (RFC 6532) or, in older mail, Windows-1252 ("Subject: Maßnahmen" in Latin-1)."""
    if isinstance(chunk, str):
        return chunk
    if charset not in (None, "unknown-8bit"):
        try:
            return chunk.decode(charset)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError:
        return chunk.decode("cp1252", "replace")


def _sent(message: Message) -> Dated | None:
    """When the e-mail was sent, in UTC with the offset it stated."""
    try:
        sent = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    offset = sent.utcoffset()
    if offset is None:
        return None
    return Dated(sent.astimezone(UTC).replace(tzinfo=None), DatePrecision.SECOND,
                 int(offset.total_seconds() // 60))


__all__ = ["EMAIL_SUFFIXES", "MBOX_SUFFIXES", "EmailArticle", "alert_links", "email_article",
           "is_mailbox", "mailbox_records"]
