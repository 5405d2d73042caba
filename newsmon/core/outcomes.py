"""Named outcomes: every input that does not become a new article says why.

The reasons are stored verbatim in ``rejects.reason`` and counted per run in
``runs.reasons``, so they are part of the warehouse contract: add new ones freely,
never rename one without a migration.
"""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    # local files
    EMPTY = "empty"  # zero bytes, or only whitespace
    BINARY = "binary"  # NUL bytes or a known binary signature
    BAD_ENCODING = "bad_encoding"  # text files: neither UTF-8 nor any encoding guessed
    TOO_LARGE = "too_large"  # over the configured size limit; never read whole
    UNSUPPORTED_TYPE = "unsupported_type"  # a file type newsmon does not read
    UNREADABLE = "unreadable"  # permission denied, vanished, broken gzip, symlink loop ...
    SPECIAL_FILE = "special_file"  # a FIFO, socket or device: never opened (it could block)
    # extraction
    TOO_SHORT = "too_short"  # fewer words than an article has
    NOT_ARTICLE = "not_article"  # text, but not prose (tables, code, lists, logs)
    NO_CONTENT = "no_content"  # the extractor found no main text
    EXTRACTION_ERROR = "extraction_error"  # the extractor failed on this input (a bug to report)
    # loading
    DUPLICATE = "duplicate"  # already in the warehouse (or twice in one run)
    LOAD_ERROR = "load_error"  # grouping it into its cluster or story failed (a bug to report)
    # network (feeds and pages)
    NOT_HTML = "not_html"
    NOT_A_FEED = "not_a_feed"
    FEED_ERROR = "feed_error"
    HTTP_304 = "http_304"
    HTTP_404 = "http_404"
    HTTP_410 = "http_410"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    HTTP_429 = "http_429"
    TIMEOUT = "timeout"
    CONNECTION = "connection_error"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BLOCKED_URL = "blocked_url"  # private/loopback address or non-http(s) scheme
    ROBOTS_DISALLOWED = "robots_disallowed"  # the site's robots.txt disallows newsmon this page
    BACKED_OFF = "backed_off"  # a failing feed skipped until its back-off ends
    HOST_DOWN = "host_down"  # its site left addresses unanswered in a row: not requested this run
    WALLED = "walled"  # a consent, sign-in or subscription page or a bot check, not the page
