"""E-mails saved as files: a Google Alert is the stories it links to, any other e-mail the
article it holds, with its subject, sender and time sent as hints."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from extractors.email_message import alert_links, email_article, mailbox_records
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision

TEXT = ("North Korean leader Kim Jong-un arrived in Russia's far east on Tuesday for talks "
        "with President Vladimir Putin, his armoured train pulling into a station near the "
        "border after a day's journey.")


def google_alert(stories: list[tuple[str, str]], sender: str = "googlealerts-noreply@google.com"
                 ) -> bytes:
    """A Google Alert as Gmail saves one: a text part and an HTML part whose stories link
    through google.com/url, beside Google's own links (flag, edit, unsubscribe, feed)."""
    items = "".join(
        f'<tr><td><a href="https://www.google.com/url?rct=j&amp;sa=t&amp;url={url}&amp;ct=ga'
        f'&amp;cd=CAEYACoTNjA&amp;usg=AOvVaw0" itemprop="url"><span itemprop="name">'
        f'{title.replace("Kim", "<b>Kim</b>")}</span></a><div>Valley Courier</div>'
        f"<div>{TEXT[:80]} ...</div>"
        f'<a href="https://www.google.com/alerts/feedback?ffu={url}&amp;source=alertsmail">'
        "Flag as irrelevant</a></td></tr>" for url, title in stories)
    message = EmailMessage()
    message["From"] = f"Google Alerts <{sender}>"
    message["Subject"] = "Google Alert - Kim Jong-un"
    message["Date"] = "Wed, 13 Sep 2023 06:12:31 -0700"
    message.set_content("Google Alert - Kim Jong-un\n\nNEWS\n" + "\n".join(t for _, t in stories))
    message.add_alternative(
        f"<html><body><table>{items}</table>"
        '<a href="https://www.google.com/alerts/remove?source=alertsmail&amp;s=AB2">'
        "Unsubscribe</a> <a href='https://www.google.com/alerts?source=alertsmail'>Edit</a>"
        "</body></html>", subtype="html")
    return message.as_bytes()


def press_release(html: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = '"Ministry of Foreign Affairs" <press@mfa.example>'
    message["Subject"] = "=?utf-8?q?Statement_on_the_Vladivostok_summit_=E2=80=93_13_Sept?="
    message["Date"] = "Wed, 13 Sep 2023 15:40:00 +0200"
    message.set_content(f"{TEXT}\n\n{TEXT}\n")
    if html is not None:
        message.add_alternative(html, subtype="html")
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf",
                           filename="statement.pdf")
    return message.as_bytes()


def test_a_google_alert_is_the_stories_it_links_to() -> None:
    content = google_alert([("https://courier.example/kim-russia", "Kim arrives in Russia"),
                            ("https://harbour.example/summit?id=4", "Seoul watches summit"),
                            ("https://courier.example/kim-russia", "Kim arrives in Russia")])
    assert alert_links(content) == [  # Google's own links left out; each story once
        {"url": "https://courier.example/kim-russia", "title": "Kim arrives in Russia"},
        {"url": "https://harbour.example/summit?id=4", "title": "Seoul watches summit"}]
    assert alert_links(google_alert([])) == []  # an alert, with nothing found
    assert alert_links(press_release("<p>See <a href='https://mfa.example/a'>it</a></p>")) is None


def test_any_other_email_is_the_article_it_holds() -> None:
    found = email_article(press_release(f"<html><body><p>{TEXT}</p></body></html>"),
                          max_bytes=1_000_000)
    assert (found.kind, found.content.decode().strip()) == (
        "html", f"<html><body><p>{TEXT}</p></body></html>")
    assert (found.hints.title, found.hints.source, found.hints.published) == (
        "Statement on the Vladivostok summit – 13 Sept", "Ministry of Foreign Affairs",
        Dated(datetime(2023, 9, 13, 13, 40), DatePrecision.SECOND, 120))
    plain = email_article(press_release(), max_bytes=1_000_000)  # no HTML part: its text
    assert (plain.kind, plain.content.decode()) == (
        "text", f"Statement on the Vladivostok summit – 13 Sept\n\n{TEXT}\n\n{TEXT}\n")


def test_a_charset_python_cannot_decode_with_is_no_charset() -> None:
    """Mail clients label parts "unknown-8bit" (or, damaged, with a NUL in the label):
    the text is read as UTF-8 where it is, the HTML by what the page says, not refused."""
    labelled = press_release(f"<html><body><p>{TEXT}</p></body></html>").replace(
        b'text/html; charset="utf-8"', b'text/html; charset="utf-8\0"').replace(
        b'text/plain; charset="utf-8"', b'text/plain; charset="unknown-8bit"')
    assert labelled.count(b"\0") == 1 and b"unknown-8bit" in labelled
    found = email_article(labelled, max_bytes=1_000_000)
    assert (found.kind, found.charset) == ("html", None)
    assert mailbox_records(mailbox(labelled))[0][0]["text"].strip() == (
        f"<html><body><p>{TEXT}</p></body></html>")


def test_headers_sent_as_8_bit_bytes_read_as_utf8_else_windows_1252() -> None:
    """Mail clients send headers raw (RFC 6532's UTF-8, or older mail's Latin-1) instead
    of =?utf-8?...?= words; they were read as replacement characters."""
    body = f"Content-Type: text/plain; charset=utf-8\n\n{TEXT}\n".encode()
    for encoding in ("utf-8", "cp1252"):
        raw = ("From: Pressestelle Außenministerium <presse@example.org>\n"
               "Subject: Maßnahmen gegen Pjöngjang\n").encode(encoding)
        hints = email_article(raw + body, max_bytes=1_000_000).hints
        assert (hints.title, hints.source) == (
            "Maßnahmen gegen Pjöngjang", "Pressestelle Außenministerium"), encoding


def test_an_email_without_text_is_a_named_reject(tmp_path: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "scan"
    message.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="scan.png")
    with pytest.raises(RejectedInput) as caught:
        email_article(message.as_bytes(), max_bytes=1_000_000)
    assert caught.value.reason is RejectReason.NO_CONTENT
    with pytest.raises(RejectedInput) as large:
        email_article(press_release(), max_bytes=100)
    assert large.value.reason is RejectReason.TOO_LARGE


def mailbox(*messages: bytes) -> bytes:
    """A mailbox as mail clients and Gmail Takeout write one: each e-mail after a "From "
    envelope line, a line of its text that starts with "From " escaped as ">From "."""
    return b"".join(b"From 1780000000@xxx Wed Sep 13 15:40:00 +0000 2023\n"
                    + message.replace(b"\nFrom ", b"\n>From ").replace(b"\r\n", b"\n") + b"\n"
                    for message in messages)


def test_a_mailbox_is_its_alerts_stories_and_its_other_emails_articles() -> None:
    attachment_only = EmailMessage()
    attachment_only["Subject"] = "scan"
    attachment_only.add_attachment(b"\x89PNG", maintype="image", subtype="png",
                                   filename="scan.png")
    quoted = EmailMessage()
    quoted["Subject"] = "Fwd: Kim in Russia"
    quoted["Message-ID"] = "<quoted@mail.example>"
    quoted.set_content(f"{TEXT}\nFrom the border, reporters saw the train arrive.\n")
    records, problems = mailbox_records(mailbox(
        google_alert([("https://courier.example/kim-russia", "Kim arrives in Russia")]),
        press_release(), attachment_only.as_bytes(), quoted.as_bytes()))
    assert records[0] == {"url": "https://courier.example/kim-russia",
                          "title": "Kim arrives in Russia"}
    assert [(r["title"], r["source"], r["published"]) for r in records[1:]] == [
        ("Statement on the Vladivostok summit – 13 Sept", "Ministry of Foreign Affairs",
         "2023-09-13T15:40:00+02:00"),
        ("Fwd: Kim in Russia", "", "")]
    assert records[2]["id"] == "<quoted@mail.example>"
    assert "\nFrom the border" in records[2]["text"]  # its escaping undone
    assert problems == ["e-mail 3: an e-mail without a text or HTML part (attachments only?)"]
