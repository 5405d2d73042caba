"""Prefect settings newsmon needs, applied before Prefect is first imported.

Measured on a 2-core machine: a cold flow run with no Prefect server starts a
temporary one, and on a fresh Prefect home its database migrations take ~17 s, so
the default 20 s start timeout failed 3 runs out of 4. There is no internet, so
telemetry is off. Every value is only a default: the user's environment wins.
"""

from __future__ import annotations

import os

PREFECT_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    # newsmon's own loggers reach the Prefect UI with each run's logs.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "newsmon,extractors,warehouse",
    # ...and the same loggers used outside a flow run (plain pipeline calls, retag) stay
    # local instead of warning that they cannot reach the API.
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


def apply_prefect_defaults() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    # Runs go to the server `newsmon up` started when it is running (visible in the UI,
    # no temporary server to start); otherwise Prefect starts its temporary one.
    from newsmon.runtime.server import adopt_running_server

    adopt_running_server()
