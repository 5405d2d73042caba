"""URL canonicalisation (wraps courlan): one story linked two ways is one article.

Tracking parameters (``utm_*``, ``fbclid`` ...), fragments, default ports and host
case are dropped so the same page linked from two feeds gets the same id.
"""

from __future__ import annotations

import courlan


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL; other URLs are returned unchanged."""
    if not url.lower().startswith(("http://", "https://")):
        return url
    try:
        return str(courlan.normalize_url(url, strict=True))
    except (ValueError, AttributeError):
        return url
