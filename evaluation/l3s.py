"""L3S-GN1: 621 Google News articles of 2008 with their headline and text marked by people.

Kohlschütter, Fankhauser and Nejdl (WSDM 2010) sampled 621 English articles from 408
sites out of a crawl of 254,000 linked from six Google News editions (USA, Canada, UK,
South Africa, India, Australia; World, Technology, Sports, Entertainment) in the first
half of 2008, and had assessors mark, block by block, the headline (``x-nc-sel1``), the
full text (``x-nc-sel2``) and the rest. It is licensed for research use and ``../shared``
does not hold it: the set is read from a checkout named by ``L3S_GN1`` (the folder with
``original/``, ``annotated/`` and ``url-mapping.txt``, e.g. the
``L3S-GN1-20100130203947-00001`` folder of geodrome/page-signal), and without one its
rows are left out (CI has none).

Every site is one newsmon's rules never met, and nothing was tuned on these pages:

* *headline*: scored on the pages whose assessors marked exactly one headline block (a
  page with several marked a subhead, a section name or a teaser too, and which of them
  is *the* headline is not said). The annotation tool lost some non-ASCII characters
  (``Kosovo?s`` for ``Kosovo’s``); such a headline is restored from the original page,
  where the same words stand with the real character;
* *body*: the full-text blocks, scored as the article-extraction benchmark scores bodies;
* *topics*: the headline and full text, read against ``../shared/spec/topics.md``
  (``bench/labels/topics-outside.jsonl``, ids ``l3s-gn1/UUID``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import html as lxml_html

VARIABLE = "L3S_GN1"
ID_PREFIX = "l3s-gn1/"
_HEADLINE, _FULL_TEXT = "x-nc-sel1", "x-nc-sel2"


@dataclass(frozen=True)
class L3sPage:
    uuid: str
    url: str
    html: bytes  # the page as crawled
    headlines: tuple[str, ...]  # the blocks marked as headline, in page order, distinct
    body: str  # the blocks marked as full text, one per line

    @property
    def headline(self) -> str | None:
        """The headline, when the assessors marked exactly one."""
        return self.headlines[0] if len(self.headlines) == 1 else None

    @property
    def text(self) -> str:
        """What a reader reads: the headline blocks, then the full text."""
        return "\n".join((*self.headlines, self.body))


def _blocks(doc: lxml_html.HtmlElement, label: str) -> list[str]:
    spans = doc.xpath(f'//span[contains(concat(" ", normalize-space(@class), " "), " {label} ")]')
    return [text for text in (" ".join(span.text_content().split()) for span in spans) if text]


def _decoded(raw: bytes) -> str:
    """The crawled pages declare ISO-8859-1 but most are UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def restore(headline: str, page_text: str) -> str:
    """``headline`` with each ``?`` the annotation tool put for a lost character replaced by
    the character the page has there (a real question mark stays: it matches itself)."""
    if "?" not in headline:
        return headline
    for lost in (r"[^\x00-\x7f]", r"(?:[^\x00-\x7f]|\?)"):  # a lost character first
        pattern = r"\s+".join("".join(lost if char == "?" else re.escape(char) for char in word)
                              for word in headline.split())
        match = re.search(pattern, page_text)
        if match:
            return " ".join(match[0].split())
    return headline


def read_page(root: Path, uuid: str, url: str) -> L3sPage:
    raw = (root / "original" / f"{uuid}.html").read_bytes()
    annotated = lxml_html.document_fromstring(
        (root / "annotated" / f"{uuid}.html").read_bytes().decode("utf-8", errors="replace"))
    parsed = lxml_html.document_fromstring(
        _decoded(raw).encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    page_text = " ".join(parsed.text_content().split())
    headlines = tuple(dict.fromkeys(restore(h, page_text) for h in _blocks(annotated, _HEADLINE)))
    return L3sPage(uuid, url, raw, headlines, "\n".join(_blocks(annotated, _FULL_TEXT)))


@cache
def read_pages(root: Path) -> tuple[L3sPage, ...]:
    """Every page of the checkout at ``root``, by UUID; a page missing from it fails."""
    urls = {}
    for line in (root / "url-mapping.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            key, url = line.split("\t", 1)
            urls[key.removeprefix("<urn:uuid:").removesuffix(">")] = url.strip()
    return tuple(read_page(root, uuid, urls[uuid]) for uuid in sorted(urls))
