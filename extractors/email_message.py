"""E-mails saved as files (``.eml``) and mailboxes (``.mbox``: a mail client's folder, a
Gmail Takeout export), read with the standard library's ``email`` parser.

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

import email
import email.header
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from typing import Literal

from lxml import etree, html

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


@dataclass(frozen=True, slots=True)
class EmailArticle:
    """The article an e-mail holds: its body as HTML or text, and what its headers say."""

    content: bytes
    kind: Literal["text", "html"]
    charset: str | None
    hints: EntryHints


def alert_links(content: bytes) -> list[dict[str, str]] | None:
    """The stories a Google Alert e-mail links to (``url``, ``title``), or None when the
    e-mail is no Google Alert."""
    message = _message(content)
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    part = _part(message, "text/html")
    if part is None:
        return None
    links = [(node.get("href", ""), " ".join(node.text_content().split()))
             for node in _LINKS(html.fromstring(_payload(part) or b"<html/>"))]
    stories = [{"url": unwrapped(href), "title": title}
               for href, title in links if _ALERT_LINK.match(href) and title]
    if sender != _ALERT_SENDER and not stories:
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
        message = _ESCAPED_FROM.sub(rb"\1", raw)
        stories = alert_links(message)
        if stories is not None:
            records.extend(stories)
            continue
        try:
            found = email_article(message, max_bytes=len(message))
        except RejectedInput as exc:
            problems.append(f"e-mail {number}: {exc.detail}")
            continue
        parsed = _message(message)
        records.append({
            "id": str(parsed.get("Message-ID", "")).strip() or f"e-mail {number}",
            "title": found.hints.title or "", "source": found.hints.source or "",
            "published": str(parsed.get("Date", "")),
            "text": found.content.decode(found.charset or "utf-8", errors="replace")})
    return records, problems


def email_article(content: bytes, *, max_bytes: int) -> EmailArticle:
    """The article an e-mail holds; :class:`RejectedInput` naming why there is none."""
    message = _message(content)
    part = _part(message, "text/html") or _part(message, "text/plain")
    if part is None:
        raise RejectedInput(RejectReason.NO_CONTENT,
                            "an e-mail without a text or HTML part (attachments only?)")
    body = _payload(part)
    if not body or not body.strip():
        raise RejectedInput(RejectReason.EMPTY, "an e-mail whose text is empty")
    if len(body) > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE, f"its text has {len(body):,} bytes, over "
                                                    f"the {max_bytes:,}-byte limit")
    name, address = parseaddr(str(message.get("From", "")))
    subject = _header(message, "Subject")
    hints = EntryHints(title=subject, published=_sent(message),
                       source=name.strip() or address or None)
    if part.get_content_type() == "text/html":
        return EmailArticle(body, "html", part.get_content_charset(), hints)
    # a text's headline is its first line: the subject heads it
    text = body.decode(part.get_content_charset() or "utf-8", errors="replace")
    if subject:
        text = f"{subject}\n\n{text}"
    return EmailArticle(text.encode("utf-8"), "text", "utf-8", hints)


def _message(content: bytes) -> Message:
    return email.message_from_bytes(content, policy=email.policy.compat32)


def _part(message: Message, content_type: str) -> Message | None:
    """The message's first part of ``content_type`` that is not an attachment."""
    return next((part for part in message.walk()
                 if part.get_content_type() == content_type
                 and not str(part.get("Content-Disposition", "")).lower().startswith(
                     "attachment")), None)


def _payload(part: Message) -> bytes | None:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else None


def _header(message: Message, name: str) -> str | None:
    value = message.get(name)
    if value is None:
        return None
    decoded = str(email.header.make_header(email.header.decode_header(str(value))))
    return " ".join(decoded.split()) or None


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
