"""Links saved as files, as Windows, macOS and Linux desktops write them when an address
is dragged out of a browser."""

from __future__ import annotations

import plistlib

import pytest

from extractors.shortcuts import shortcut_url

ADDRESS = "https://courier.example/2023/09/budget-agreed"


@pytest.mark.parametrize("content", [
    # Windows: Edge and Chrome write CRLF lines, sometimes with a BOM and more keys
    f"\ufeff[{{000214A0-0000-0000-C000-000000000046}}]\r\nProp3=19,11\r\n[InternetShortcut]"
    f"\r\nIDList=\r\nURL={ADDRESS}\r\nIconIndex=0\r\n".encode(),
    # macOS: Safari's XML property list, Finder's binary one
    plistlib.dumps({"URL": ADDRESS}, fmt=plistlib.FMT_XML),
    plistlib.dumps({"URL": ADDRESS}, fmt=plistlib.FMT_BINARY),
    # Linux: a desktop entry of the Link type
    f"[Desktop Entry]\nEncoding=UTF-8\nName=Budget agreed\nType=Link\nURL={ADDRESS}\n"
    "Icon=text-html\n".encode(),
])
def test_every_desktops_shortcut_gives_its_address(content: bytes) -> None:
    assert shortcut_url(content) == ADDRESS


@pytest.mark.parametrize("content", [
    b"[Desktop Entry]\nType=Application\nName=Firefox\nExec=firefox %u\n",  # starts a program
    b"[InternetShortcut]\nURL=file:///C:/Users/a/Documents/notes.html\n",  # a local file
    b"[InternetShortcut]\nIconIndex=0\n",  # no address
    plistlib.dumps({"URL": 42}, fmt=plistlib.FMT_BINARY),
    b"bplist00\x00\x01 damaged",
    b"just some words\n",
    b"[broken section\nURL=https://a.example/\n",
])
def test_a_file_that_links_no_web_page_gives_none(content: bytes) -> None:
    assert shortcut_url(content) is None
