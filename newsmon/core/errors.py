"""The one error hierarchy of newsmon.

Every failure newsmon raises on purpose is a :class:`NewsmonError`. The first split is
the only one callers usually need: *transient* errors may succeed if tried again later
(network hiccups, a warehouse another process is holding), *permanent* ones will not
(bad configuration, an input that is not an article). Retries are only ever applied to
transient errors.

::

    NewsmonError
    ├── PermanentError              retrying cannot help
    │   ├── ConfigError             settings or a configuration file is invalid (names file and key)
    │   ├── InputError              a path or URL the user gave cannot be used (e.g. missing)
    │   ├── RejectedInput           one input is not ingestible; carries a named RejectReason
    │   ├── FetchPermanentError     an HTTP fetch failed for good (404, 410, not HTML, refused URL)
    │   └── WarehouseError          schema, migration or SQL problem in the warehouse
    │       └── QueryError          a user query is invalid or tries to write
    └── TransientError              may succeed later; retried with back-off
        ├── FetchTransientError     timeout, connection error, 5xx, 429 (may carry Retry-After)
        └── WarehouseBusyError      another process holds the DuckDB file lock (names the PID)
"""

from __future__ import annotations

from newsmon.core.outcomes import RejectReason


class NewsmonError(Exception):
    """Base of every error newsmon raises on purpose."""


class PermanentError(NewsmonError):
    """Trying again will fail the same way; record it and move on."""


class TransientError(NewsmonError):
    """Trying again later may succeed; callers retry these with back-off."""


class ConfigError(PermanentError):
    """Invalid settings or configuration file; the message names the file and the key."""


class InputError(PermanentError):
    """A path or URL given by the user cannot be used at all (for example it does not exist)."""


class RejectedInput(PermanentError):
    """One input cannot become an article. Carries the reason that is counted and stored."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class FetchPermanentError(PermanentError):
    """An HTTP fetch failed for good; ``reason`` is the named outcome (``http_404`` ...)."""

    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class FetchTransientError(TransientError):
    """An HTTP fetch failed in a way that may pass (timeout, 5xx, 429)."""

    def __init__(self, reason: RejectReason, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after


class WarehouseError(PermanentError):
    """The warehouse cannot do what was asked (bad schema, failed migration, bad SQL)."""


class QueryError(WarehouseError):
    """A user's SQL failed: a syntax error, an unknown table, or an attempt to write."""


class WarehouseBusyError(TransientError):
    """Another process holds the DuckDB file; ``holder`` is what DuckDB says about it."""

    def __init__(self, path: str, holder: str) -> None:
        super().__init__(f"warehouse {path} is locked by another process ({holder})")
        self.path = path
        self.holder = holder
