"""robots.txt: may newsmon fetch this page? (protego; the only module that imports it).

Only the pages feeds link to are checked: a feed the user configured is fetched because
the user asked for it, the way a feed reader does. The rules follow RFC 9309, as Google and
Media Cloud apply them:

* a robots.txt that answers 2xx is parsed, and its group for ``newsmon`` (else ``*``)
  decides;
* one that answers 4xx (404, 403 ...) means no rules: everything may be fetched;
* one that cannot be reached (5xx, timeout, connection error) means "disallow all" for
  now: the page is a transient reject, fetched again in a later cycle.

Rules are read once per site per cycle (the fetcher caches them).
"""

from __future__ import annotations

from protego import Protego

#: The product token robots.txt groups are matched against.
ROBOTS_AGENT = "newsmon"


class RobotsRules:
    """One site's rules for newsmon; no text means no rules (everything allowed)."""

    def __init__(self, site: str, text: str | None) -> None:
        self.site = site  # scheme://host[:port]
        self._rules = Protego.parse(text) if text is not None else None

    def allows(self, url: str) -> bool:
        return self._rules is None or bool(self._rules.can_fetch(url, ROBOTS_AGENT))

    def sitemaps(self) -> tuple[str, ...]:
        """The sitemaps the file names (``Sitemap:`` lines, any group), in its order."""
        return tuple(self._rules.sitemaps) if self._rules is not None else ()

    def crawl_delay(self) -> float | None:
        delay = self._rules.crawl_delay(ROBOTS_AGENT) if self._rules is not None else None
        return float(delay) if delay is not None else None
