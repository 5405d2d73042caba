"""URL identity: one story linked two ways is one article, two stories are never one.

Only what cannot change the page is dropped: known tracking parameters (``utm_*``,
``fbclid``, ``gclid`` ...), the fragment, a default port, the case of scheme and host,
and the order of the query. Every other parameter stays, valueless ones too: on many
sites the query *is* the article (``story?storyid=2``, ``watch?v=...``,
``spip.php?breve123``). The canonical form is an identity only; newsmon always fetches
the link exactly as it was given.

A page's ``<link rel=canonical>`` names the article unless it names the site: a CMS
that puts its front page there on every article would make all its articles one.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote_plus, urlsplit, urlunsplit

import courlan

#: Parameters set by ad, newsletter and analytics tools, never by the page itself.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "xtor", "ocid", "cmpid",
    "ref_src", "ref_url", "s_cid", "sr_share", "spm", "vero_id", "wt_mc", "wt.mc_id",
    "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
    "dicbo", "ito", "ns_campaign", "ns_mchannel", "ns_source", "ns_linkname", "ns_fee",
})
_TRACKING_PREFIXES = re.compile(r"^(utm_|mtm_|pk_|piwik_|matomo_|hsa_|oly_)")


#: Redirectors that carry the article's address in a parameter (host, path, parameters):
#: a Google Alerts feed links every story through google.com/url, Bing News through its
#: apiclick page, a page shared on Facebook through l.php.
_REDIRECTORS = (
    (re.compile(r"(?:www\.)?google(?:\.com?)?\.[a-z]{2,3}"), "/url", ("url", "q")),
    (re.compile(r"(?:www\.)?bing\.com"), "/news/apiclick.aspx", ("url",)),
    (re.compile(r"lm?\.facebook\.com"), "/l.php", ("u",)),
)


def unwrapped(url: str) -> str:
    """The article's own address when ``url`` is a known redirector's link to it, else
    ``url``. Fetched and known by that address, a story linked from a Google Alert is one
    article with the same story from any other feed, and no request goes to Google (whose
    redirect may be a notice page, not the article)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return url
    for hosts, path, names in _REDIRECTORS:
        if hosts.fullmatch(host) and parts.path == path:
            params = parse_qs(parts.query)
            for name in names:
                target = next((v for v in params.get(name, ()) if is_web_url(v)), None)
                if target is not None:
                    return target
    return url


def host_of(url: str) -> str:
    """The URL's host, lower case; "" for none, and for an address ``urlsplit`` refuses
    ("http://[::1" from a damaged feed), which must not stop the others' ordering."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def site_of(url: str | None) -> str | None:
    """The site an address is on, as an outlet's name: its host without "www."."""
    return host_of(url).removeprefix("www.") or None if url else None


def is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMETERS or bool(_TRACKING_PREFIXES.match(lower))


def web_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched as an http(s) URL (no such scheme or no host, a space
    in the host, a broken IPv6 address, a port out of range), or None when it can."""
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return f"not an http(s) URL: {url.strip()!r}"
        if any(c.isspace() for c in parts.netloc):
            return f"a space in the host: {url.strip()!r}"
        parts.port  # noqa: B018  (raises "Port out of range 0-65535")
    except ValueError as exc:  # "Invalid IPv6 URL"
        return str(exc)
    return None


def is_web_url(url: str) -> bool:
    """Whether a page's canonical link can name the article: a fetchable http(s) URL
    ("http://[::1/x", a host with a space or port 99999999 name nothing, and the address
    the page was read from stays)."""
    # the scheme as written: "HTTP://" named no article before, and stored ids must not change
    return url.startswith(("http://", "https://")) and web_url_problem(url) is None


def canonical_url(url: str) -> str:
    """The identity of an http(s) URL; other URLs are returned unchanged."""
    if not url.lower().startswith(("http://", "https://")):
        return url
    try:
        parts = urlsplit(url.strip())
        # scheme, host, port and path as courlan normalises them (the identity stored
        # articles already have); the query is ours, courlan's strict mode drops it whole
        base = str(courlan.normalize_url(urlunsplit((*parts[:3], "", "")), strict=True))
    except (ValueError, AttributeError):
        return url
    # each parameter is kept as written (its encoding, a missing '='), only sorted
    kept = sorted(piece for piece in parts.query.split("&")
                  if piece and not is_tracking(unquote_plus(piece.split("=", 1)[0])))
    return f"{base}?{'&'.join(kept)}" if kept else base


#: Paths of a site's front page: a canonical link there names the site, not an article.
_FRONT_PAGE = re.compile(  # "/", "/index.html", a language's "/en/"
    r"/?([a-z]{2}([-_][a-z]{2})?/?)?((index|default|home|start)(\.[a-z]{2,5})?)?/?",
    re.IGNORECASE)


def is_front_page(url: str) -> bool:
    """Whether an http(s) URL is a site's front page (no path beyond ``/``, ``/index.html``
    and the like, and no query)."""
    if not is_web_url(url):
        return False
    parts = urlsplit(url.strip())
    return not parts.query and bool(_FRONT_PAGE.fullmatch(parts.path))


#: First labels of hosts that only ask for consent or a sign-in (Yahoo's consent.yahoo.com
#: and guce.yahoo.com, Google's consent.google.com, a paper's login.*, myaccount.*).
_WALL_HOSTS = frozenset({
    "consent", "guce", "login", "signin", "accounts", "account", "auth", "sso", "myaccount",
    "subscribe", "paywall",
})


def wall_redirect(asked: str, landed: str) -> str | None:
    """Why the page a request for ``asked`` ended on after redirects, ``landed``, is a
    wall (a consent dialog, a sign-in or subscription page, a bot check) and not the page
    asked for; None when it is not one.

    A site that puts a wall before its articles sends every article's address to the same
    page, saying where to return afterwards (``/zustimmung?url=...``, ``/login?next=...``),
    or to a host that does nothing else (``consent.yahoo.com``). Stored, that page would
    be one article in place of all of them (every later one its duplicate). A redirect
    that lands on the article under another address (https, a trailing slash, a tracking
    parameter, a new path) names neither."""
    if landed == asked:
        return None
    try:
        source, target = urlsplit(asked), urlsplit(landed)
        source_host, target_host = (source.hostname or "").lower(), (target.hostname or "").lower()
    except ValueError:
        return None
    label, _, rest = target_host.partition(".")
    if target_host != source_host and label in _WALL_HOSTS and "." in rest:  # not auth.gr
        return f"{target_host} only asks for consent or a sign-in"
    back = unquote_plus(unquote_plus(target.query + "#" + target.fragment))
    # the page asked for as a return address names it: its path, or its path and query
    # (a WordPress article is "/?p=123"); a front page's "/" is in any address
    named = [source.path] + ([f"{source.path}?{source.query}"] if source.query else [])
    for part in (p for p in named if len(p.strip("/")) >= 2):
        if f"{source_host}{part}" in back or (target_host == source_host and part in back):
            return "it names the address asked for as where to return afterwards"
    return None


def sent_home(asked: str, landed: str) -> bool:
    """Whether a request for a page of a site (``asked``) ended, after redirects, on that
    site's front page (``landed``): how many sites answer for an article they removed.
    Stored, the front page's headlines would be one "article" for every removed one."""
    if landed == asked or not is_front_page(landed) or is_front_page(asked):
        return False
    site = host_of(asked).removeprefix("www.")
    return bool(site) and site == host_of(landed).removeprefix("www.")
