"""A Prefect progress artifact that follows a cycle's batches (and forwards to a callback).

Long runs (a backfill of thousands of files) show how far they are on the run's page in
the UI; the terminal progress bar of ``newsmon ingest`` gets the same (done, total)
calls. One API call per batch (~200 inputs), so it costs nothing measurable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from prefect.artifacts import create_progress_artifact, update_progress_artifact

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def progress_reporter(then: Progress | None = None, *, what: str = "inputs") -> Progress:
    """A ``(done, total)`` callback that keeps the run's progress artifact up to date."""
    artifact: list[UUID] = []

    def report(done: int, total: int) -> None:
        percent = 100.0 * done / total if total else 100.0
        description = f"{done} of {total} {what}"
        try:
            if not artifact:
                created = create_progress_artifact(
                    percent, key="newsmon-progress", description=description
                )
                if isinstance(created, UUID):  # typed "or a coroutine": it is sync here
                    artifact.append(created)
            else:
                update_progress_artifact(artifact[0], percent, description=description)
        except Exception as exc:  # the UI being behind must never stop a cycle
            log.debug("progress artifact not updated: %s", exc)
        if then is not None:
            then(done, total)

    return report
