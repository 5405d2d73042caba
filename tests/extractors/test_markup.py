"""What a page says about itself, and the site it is on."""

from __future__ import annotations

import pytest

from extractors.markup import archived_url


@pytest.mark.parametrize(("url", "original"), [
    ("https://web.archive.org/web/20140226054445/http://www.time4talks.com/2013/08/07/kinos/",
     "http://www.time4talks.com/2013/08/07/kinos/"),
    ("https://web.archive.org/web/20200808063632id_/https://www.przepisy.pl/przepis/pierogi",
     "https://www.przepisy.pl/przepis/pierogi"),
    ("http://web.archive.org/web/2016/example.org/page", "http://example.org/page"),
    ("https://web.archive.org/about/", "https://web.archive.org/about/"),
    ("https://example.org/web/20140226054445/http://other.org/",
     "https://example.org/web/20140226054445/http://other.org/"),
])
def test_an_archived_copy_names_the_address_it_was_taken_from(url: str, original: str) -> None:
    assert archived_url(url) == original
