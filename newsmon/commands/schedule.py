"""``newsmon up`` / ``down`` / ``serve``: scheduled monitoring on a local Prefect server.

``up`` starts (or reuses) the server and prints its UI address; ``serve`` registers the
deployments and runs them until Ctrl-C; ``down`` stops what ``up`` started. Prefect is
imported inside the commands so the rest of the CLI starts fast.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from types import FrameType

import click

from newsmon.commands.context import Context
from newsmon.core.errors import NewsmonError


@click.command()
@click.option("--port", type=int, default=None, help="port to listen on [default 4200, or free]")
def up(port: int | None) -> None:
    """Start a local Prefect server in the background (or reuse the running one)."""
    from newsmon.runtime import server

    own = os.environ.get("PREFECT_API_URL")
    if own and server.healthy(own):
        click.echo(f"PREFECT_API_URL points at a running server ({own}): using it, "
                   "nothing started")
        return
    state, started = server.start(port=port)
    verb = "started" if started else "already running"
    click.echo(f"Prefect server {verb} (PID {state.pid}); UI: {state.ui_url}")
    click.echo(f"log: {state.log}; stop it with `newsmon down`")


@click.command()
def down() -> None:
    """Stop the Prefect server `newsmon up` started (and nothing else)."""
    from newsmon.runtime import server

    state = server.stop()
    if state is None:
        click.echo("no Prefect server started by `newsmon up` is running")
    else:
        click.echo(f"stopped the Prefect server (PID {state.pid})")


class ServeStopped(NewsmonError):
    """``serve`` could not start; the message says why."""


@click.command()
@click.option("--cycle-minutes", type=click.FloatRange(0, 24 * 60, min_open=True), default=None,
              help="override [schedule] cycle_minutes for this serve")
@click.pass_obj
def serve(ctx: Context, cycle_minutes: float | None) -> None:
    """Run the scheduled deployments (cycle + alerts, daily maintenance) until Ctrl-C.

    Needs a Prefect server: the one `newsmon up` started, or PREFECT_API_URL.
    """
    from newsmon.runtime import server

    url = os.environ.get("PREFECT_API_URL") or server.adopt_running_server()
    if not url or not server.healthy(url):
        raise ServeStopped(
            "no Prefect server is running: start one with `newsmon up` "
            "(or set PREFECT_API_URL to yours)"
        )
    config = ctx.config()
    if cycle_minutes is not None:
        schedule = config.schedule.model_copy(update={"cycle_minutes": cycle_minutes})
        config = config.model_copy(update={"schedule": schedule})
    _stop_quickly_on_second_signal()
    from flows.schedule import serve_all

    click.echo(
        f"serving newsmon on {url.removesuffix('/api')}: a cycle every "
        f"{config.schedule.cycle_minutes:g} min, maintenance daily at "
        f"{config.schedule.maintenance_hour_utc:02d}:00 UTC; Ctrl-C stops"
    )
    serve_all(ctx.settings, config)
    click.echo("serve stopped")


def _stop_quickly_on_second_signal() -> None:
    """Ctrl-C once: Prefect's runner shuts down (pauses the schedules, stops the run it
    started). Ctrl-C again, or no exit within 10 s: leave at once. A run cut off is marked
    interrupted by the next cycle and its committed batches stay (loads are idempotent)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGINT)
    state = {"count": 0}

    def handler(signum: int, frame: FrameType | None) -> None:
        state["count"] += 1
        if state["count"] > 1:
            os._exit(130)
        timer = threading.Timer(10.0, lambda: os._exit(130))
        timer.daemon = True
        timer.start()
        # The interrupt lands in whichever asyncio callback is running (Prefect's runner
        # control channel, say), and asyncio logs each such callback's traceback: forty
        # lines of noise after a Ctrl-C the runner handles anyway.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        if callable(previous) and previous is not signal.default_int_handler:
            previous(signum, frame)
        else:
            _interrupt_at_a_safe_point()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    sys.stdout.flush()


def _interrupt_at_a_safe_point() -> None:
    """Raise KeyboardInterrupt where nothing can take it for its own failure.

    Raised in whatever code the signal lands in, it can be swallowed: landing while
    Prefect's runner starts a flow run, it surfaces inside pydantic's serialiser, comes out
    as a serialisation error, and the runner reports that run crashed and goes on serving
    (until the 10 s guard exits with 130 and a traceback). Raised from a callback of the
    running event loop, it leaves the loop, where Prefect's ``serve`` shuts down on it."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop yet (registering the deployments): at once, as before
        raise KeyboardInterrupt from None
    loop.call_soon_threadsafe(_raise_interrupt)


def _raise_interrupt() -> None:
    raise KeyboardInterrupt


COMMANDS = [up, down, serve]
