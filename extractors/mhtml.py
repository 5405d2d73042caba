"""Pages a browser saved as one file (MHTML: ``.mhtml``, ``.mht``), read with the standard
library's ``email`` parser.

"Save page as: single file" in Chrome, Edge and Opera, and Word's "web page, single file",
write the page and everything it shows as one MIME message: the HTML part (usually
quoted-printable), then images and styles. Analysts keep articles this way; each is read as
the HTML page it holds. The page's address (``Snapshot-Content-Location``, or the HTML
part's ``Content-Location``) is the page's own when it is a web address, so the article
is known by it as a fetched page is, and the file stays its ``origin``.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import Message

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})


@dataclass(frozen=True, slots=True)
class SavedPage:
    """The HTML part of a page saved as MHTML."""

    html: bytes
    charset: str | None  # the part's declared charset, if any
    location: str | None  # the address the page was saved from, if the file says


def saved_page(content: bytes, *, max_bytes: int) -> SavedPage:
    """The page an MHTML file holds; :class:`RejectedInput` naming why there is none (not
    a MIME message, no HTML part, a page over ``max_bytes``)."""
    message = email.message_from_bytes(content, policy=email.policy.compat32)
    if not message.is_multipart() and message.get_content_type() != "text/html":
        raise RejectedInput(RejectReason.NO_CONTENT, "an MHTML file without an HTML part "
                            f"(it is {message.get_content_type()})")
    part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    if part is None:
        raise RejectedInput(RejectReason.NO_CONTENT, "an MHTML file without an HTML part")
    html = part.get_payload(decode=True)
    if not isinstance(html, bytes) or not html.strip():
        raise RejectedInput(RejectReason.EMPTY, "an MHTML file whose HTML part is empty")
    if len(html) > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE, f"its page has {len(html):,} bytes, over "
                                                    f"the {max_bytes:,}-byte limit")
    return SavedPage(html, part.get_content_charset(), _location(message, part))


def _location(message: Message, part: Message) -> str | None:
    for value in (message.get("Snapshot-Content-Location"), part.get("Content-Location")):
        if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
            return value.strip()
    return None


__all__ = ["MHTML_SUFFIXES", "SavedPage", "saved_page"]
