"""Bookmark files as browsers and read-it-later services export them: told from other
pages by their first bytes, read as the web pages they list, what is no web page named."""

from __future__ import annotations

from extractors.bookmarks import bookmark_records, is_bookmark_file

#: Firefox's export (Chrome's, Safari's and Raindrop's are the same format): folders in
#: nested lists, the elements left unclosed, a bookmarklet and a saved search among them.
FIREFOX = b"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'self'; script-src 'none'; img-src data: *; object-src 'none'"></meta>
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>

<DL><p>
    <DT><A HREF="place:parent=menu________&queryType=1&sort=12&maxResults=10"
        ADD_DATE="1" >Recent Tags</A>
    <DT><H3 ADD_DATE="1694500000" LAST_MODIFIED="1694600000">North Korea</H3>
    <DL><p>
        <DT><A HREF="https://news.example/kim-putin" ADD_DATE="1694500000"
          LAST_MODIFIED="1694500001" TAGS="kim">Kim Jong Un arrives in Russia &amp; meets Putin</A>
        <DD>Read before the briefing
        <DT><A HREF="https://news.example/sanctions" ADD_DATE="1694600000">EU widens
 sanctions</A>
        <DT><A HREF="javascript:void(location.href='https://example.org/?u='+location.href)">Save</A>
    </DL><p>
    <DT><A HREF="https://news.example/kim-putin" ADD_DATE="1694700000">Kim in Russia (again)</A>
    <DT><A HREF="https://news.example/no-title"></A>
</DL>
"""
#: Pocket's HTML export, which has no doctype of its own.
POCKET = b"""<!DOCTYPE html>
<html>
\t<!--So long and thanks for all the fish-->
\t<head>
\t\t<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
\t\t<title>Pocket Export</title>
\t</head>
\t<body>
\t\t<h1>Unread</h1>
\t\t<ul>
\t\t\t<li><a href="https://news.example/satellite" time_added="1694500000"
\t\t\t\ttags="">North Korea launches spy satellite</a></li>
\t\t</ul>
\t</body>
</html>
"""
INSTAPAPER = (b"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
              b"<title>Instapaper: Export</title>\n</head>\n<body>\n<h1>Unread</h1>\n<ol>\n"
              b"<li><a href=\"https://news.example/arms\">Arms deal feared</a></li>\n</ol>\n"
              b"</body>\n</html>\n")


def test_bookmark_files_are_told_by_their_first_bytes() -> None:
    for export in (FIREFOX, b"\xef\xbb\xbf" + FIREFOX, FIREFOX.lower(), POCKET, INSTAPAPER):
        assert is_bookmark_file(export)
    page = (b"<!DOCTYPE html><html><head><title>How to export bookmarks</title></head><body>"
            b"<p>The file starts with &lt;!DOCTYPE NETSCAPE-Bookmark-file-1&gt;.</p></body></html>")
    for other in (page, b"<html><head><title>Pocket Export tips</title></head></html>",
                  b"<html><head></head><body><title>Pocket Export</title></body></html>",
                  b"https://news.example/a\n", b""):
        assert not is_bookmark_file(other), other


def test_a_browsers_bookmarks_are_its_web_pages_each_once() -> None:
    records, problems = bookmark_records(FIREFOX)
    assert records == [
        {"url": "https://news.example/kim-putin",
         "title": "Kim Jong Un arrives in Russia & meets Putin"},
        {"url": "https://news.example/sanctions", "title": "EU widens sanctions"},
        {"url": "https://news.example/no-title"},
    ]
    assert problems == ["'Recent Tags': no web page (place)", "'Save': no web page (javascript)"]


def test_read_it_later_exports_are_their_links() -> None:
    assert bookmark_records(POCKET) == (
        [{"url": "https://news.example/satellite", "title": "North Korea launches spy satellite"}],
        [])
    assert bookmark_records(INSTAPAPER)[0] == [
        {"url": "https://news.example/arms", "title": "Arms deal feared"}]
