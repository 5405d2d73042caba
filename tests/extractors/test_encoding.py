"""Text files and pages in legacy encodings are read as written, not rejected or garbled."""

from __future__ import annotations

import random

import pytest

from extractors.encoding import DecodedText, decode_page, decode_text
from extractors.html import extract_page
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

TEXTS = {  # written for this test: (text, the encoding an archive might hold it in)
    "de-latin1": ("Größere Sanktionen gegen Nordkorea. " * 30, "latin-1"),
    "de-cp1252": ("Der nordkoreanische Machthaber ist zu Gesprächen mit Präsident Putin gereist. "
                  "Beobachter äußerten große Sorge über mögliche Waffenlieferungen.", "cp1252"),
    "ru-koi8": ("Президент России встретился с лидером КНДР на космодроме Восточный. Стороны "
                "обсудили военное сотрудничество.", "koi8_r"),
    "ru-cp1251": ("Президент России встретился с лидером КНДР на космодроме Восточный. Стороны "
                  "обсудили военное сотрудничество.", "cp1251"),
    "el": ("Ο πρόεδρος της Ρωσίας συναντήθηκε με τον ηγέτη της Βόρειας Κορέας στο "
           "κοσμοδρόμιο Βοστότσνι.", "iso8859_7"),
    "pl": ("Przywódca Korei Północnej spotkał się z prezydentem Rosji na kosmodromie. "
           "Rozmawiano o współpracy wojskowej i dostawach broni.", "cp1250"),
    "ja": ("北朝鮮の金正恩総書記は十三日、ロシア極東の宇宙基地でプーチン大統領と会談した。"
           "両首脳は軍事協力や宇宙開発について話し合ったとみられる。", "shift_jis"),
    "zh": ("朝鲜最高领导人金正恩十三日在俄罗斯远东的航天发射场与普京总统会谈。双方讨论了军事"
           "合作和航天问题。", "gb18030"),
    # decodes as cleanly in Windows-1252 by charset-normalizer's measure, losing ş ğ ı
    "tr": ("Kuzey Kore lideri Kim Jong-un, Rusya Devlet Başkanı Putin ile uzay üssünde "
           "görüştü. İki lider askeri işbirliğini ve silah anlaşmasını ele aldı.", "cp1254"),
}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_legacy_encodings_decode_to_the_text_written(name: str) -> None:
    text, encoding = TEXTS[name]
    decoded = decode_text(text.encode(encoding))
    assert decoded.text == text and decoded.encoding != "utf-8"


def test_utf8_stays_utf8() -> None:
    assert decode_text("Größere Sanktionen.".encode()).encoding == "utf-8"


def test_bytes_no_encoding_reads_as_text_are_a_named_reject() -> None:
    rng = random.Random(1)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(RejectedInput) as info:
        decode_text(noise)
    assert info.value.reason is RejectReason.BAD_ENCODING
    assert "not valid UTF-8 (byte 0" in str(info.value) and "no other encoding fits" in str(
        info.value)


def _page(body: str, meta: str = "") -> str:
    return (f"<html><head>{meta}<title>Kim trifft Putin</title></head><body><article>"
            f"<h1>Kim trifft Putin</h1><p>{body}</p></article></body></html>")


def test_a_page_in_a_legacy_encoding_reads_as_written_with_or_without_its_charset() -> None:
    body = "Größere Sanktionen gegen Nordkorea. " * 30
    # no declaration: guessed (trafilatura's own guess read this as HP Roman-8)
    assert decode_page(_page(body).encode("latin-1")).text == _page(body)
    assert body.strip() in extract_page(_page(body).encode("latin-1")).text
    russian = "Президент России встретился с лидером КНДР. " * 20
    declared = _page(russian, '<meta http-equiv="Content-Type" content="text/html; '
                              'charset=windows-1251">')
    assert decode_page(declared.encode("cp1251")) == DecodedText(declared, "windows-1251")


def test_a_page_labelled_latin1_is_read_as_browsers_read_it() -> None:
    # a UTF-8 page labelled Latin-1 is UTF-8; a Latin-1 label means Windows-1252 (the euro)
    utf8 = _page("Größere Sanktionen: 5 € pro Kopf. " * 20, '<meta charset="iso-8859-1">')
    assert decode_page(utf8.encode()).encoding == "utf-8"
    assert decode_page(utf8.encode("cp1252")) == DecodedText(utf8, "cp1252")


def test_a_page_nothing_decodes_is_read_with_replacement_characters() -> None:
    rng = random.Random(1)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    decoded = decode_page(noise)  # no reject here: the article checks judge what is left
    assert decoded.encoding == "utf-8" and "\ufffd" in decoded.text


def test_utf8_with_a_stray_byte_stays_utf8_and_marks_only_that_byte() -> None:
    text = "Größere Sanktionen gegen Nordkorea. Die Außenminister trafen sich in Brüssel. " * 20
    data = text.encode()
    broken = data[:300] + b"\x96" + data[300:]  # one Windows-1252 dash pasted in
    decoded = decode_text(broken)
    assert decoded.encoding == "utf-8" and decoded.text.count("\ufffd") == 1
    assert decoded.text.replace("\ufffd", "") == text
    page = _page(text).encode()
    broken_page = page[:400] + b"\x96" + page[400:]
    assert decode_page(broken_page).text.replace("\ufffd", "") == _page(text)
    declared = _page(text, '<meta charset="utf-8">').encode()
    assert decode_page(declared[:500] + b"\xff" + declared[500:]).encoding == "utf-8"
