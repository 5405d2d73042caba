"""The local Prefect server behind ``newsmon up`` / ``newsmon down``, as plain functions.

Why a real server: with none, every flow run starts a temporary one (14-19 s here) and
``serve`` cannot schedule on it at all; a local ``prefect server start`` answers in ~3 s
when warm and keeps the runs, logs and artifacts for the UI.

``up`` starts ``prefect server start`` in its own session (so it survives the terminal
and ``down`` can stop the whole process group), waits until ``/api/health`` answers and
writes a state file (PID, URL, log) in the Prefect home. ``down`` stops only a server
that file names *and* that still is a ``prefect server`` process (a PID can be reused);
a server the user runs themselves (``PREFECT_API_URL``) is used but never stopped.
Later newsmon commands (``run``, ``ingest``, ``serve``) find the server through the
same file, so their runs show up in the UI and skip the temporary server's start.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from newsmon.core.errors import NewsmonError
from newsmon.runtime.processes import pid_alive

STATE_NAME = "newsmon-server.json"
LOG_NAME = "newsmon-server.log"
DEFAULT_PORT = 4200
#: A fresh Prefect home migrates its database first: ~17 s here, more on a busy machine.
START_TIMEOUT_S = 180.0

#: The server's environment: no telemetry (there is no internet), and only defaults, so
#: the user's own PREFECT_* settings still win.
SERVER_ENV_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
}


class ServerError(NewsmonError):
    """The local Prefect server could not be started, found or stopped."""


@dataclass(frozen=True)
class ServerState:
    pid: int
    url: str  # the API URL, e.g. http://127.0.0.1:4200/api
    log: str
    started_at: float

    @property
    def ui_url(self) -> str:
        return self.url.removesuffix("/api")


def prefect_home() -> Path:
    """Where Prefect keeps its database and settings (``PREFECT_HOME``, else ~/.prefect)."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def state_path(home: Path | None = None) -> Path:
    return (home or prefect_home()) / STATE_NAME


def read_state(home: Path | None = None) -> ServerState | None:
    path = state_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServerState(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as exc:
        raise ServerError(f"{path}: unreadable server state ({exc}); delete it") from None


def _write_state(state: ServerState, home: Path) -> None:
    path = state_path(home)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
    tmp.replace(path)


def _health(api_url: str, timeout_s: float) -> httpx.Response | None:
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout_s)
    except httpx.HTTPError:
        return None


def healthy(api_url: str, timeout_s: float = 2.0) -> bool:
    """True when a Prefect API answers at ``api_url``."""
    response = _health(api_url, timeout_s)
    return response is not None and response.status_code == 200


def answers(api_url: str, timeout_s: float = 2.0) -> bool:
    """True when anything answers HTTP at ``api_url``: a server that turns away this
    client (Prefect Cloud without its key) is still there, a closed port is not."""
    return _health(api_url, timeout_s) is not None


def _is_prefect_server(pid: int) -> bool:
    """Whether ``pid`` still runs ``prefect server start`` (and not a process that reused it)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return pid_alive(pid)  # no /proc (macOS): trust the state file
    words = [w.decode(errors="replace") for w in cmdline]
    return "prefect" in " ".join(words) and "server" in words and "start" in words


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex((host, port)) != 0


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def running_server(home: Path | None = None) -> ServerState | None:
    """The server ``up`` started, if it is still alive and answering."""
    state = read_state(home)
    if state and pid_alive(state.pid) and healthy(state.url):
        return state
    return None


def start(
    *, home: Path | None = None, host: str = "127.0.0.1", port: int | None = None,
    timeout_s: float = START_TIMEOUT_S,
) -> tuple[ServerState, bool]:
    """Start a local server, or reuse the one already running; returns (state, started).

    A server that died leaves its state file behind; it is replaced. A port taken by
    something else makes us pick a free one rather than fail.
    """
    home = home or prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    existing = running_server(home)
    if existing:
        return existing, False
    if port is None:
        port = DEFAULT_PORT if _port_free(host, DEFAULT_PORT) else _free_port(host)
    elif not _port_free(host, port):
        raise ServerError(f"port {port} on {host} is already in use")
    url = f"http://{host}:{port}/api"
    log_path = home / LOG_NAME
    env = {**SERVER_ENV_DEFAULTS, **os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)  # the server itself must not point at another API
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", host,
             "--port", str(port), "--analytics-off"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,  # its own process group: survives the shell, stops whole
        )
    state = ServerState(pid=process.pid, url=url, log=str(log_path), started_at=time.time())
    _write_state(state, home)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            state_path(home).unlink(missing_ok=True)
            raise ServerError(
                f"prefect server exited with code {process.returncode}; see {log_path}"
            )
        if healthy(url, timeout_s=1.0):
            return state, True
        time.sleep(0.5)
    stop(home)
    raise ServerError(f"prefect server did not answer within {timeout_s:.0f} s; see {log_path}")


_TEMPORARY: subprocess.Popen[bytes] | None = None
_LIFELINE_PIPE: list[int] = []  # write ends kept open for the life of this process


def start_temporary(*, host: str = "127.0.0.1", timeout_s: float = START_TIMEOUT_S) -> str:
    """A server for this process's runs only, when none is configured or running; returns
    its API URL (and sets ``PREFECT_API_URL``).

    Prefect's own temporary server is a plain child: a terminal's Ctrl-C reaches it too
    (then the interrupted run cannot report its state and Prefect's client retries for
    minutes), and ``kill -9`` of newsmon leaves it running. This one runs in its own
    session under :mod:`newsmon.runtime.lifeline`, which ends it when this process ends, however.
    """
    global _TEMPORARY
    if _TEMPORARY is not None and _TEMPORARY.poll() is None:
        return os.environ["PREFECT_API_URL"]
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port(host)
    url = f"http://{host}:{port}/api"
    env = {**SERVER_ENV_DEFAULTS, **os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    log_path = home / "newsmon-temporary-server.log"
    # The lifeline reads a pipe whose write end only this process holds: when this process
    # ends, however it ends, the kernel closes it and the lifeline sees end-of-file.
    read_end, write_end = os.pipe()
    _LIFELINE_PIPE.append(write_end)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsmon.runtime.lifeline", str(os.getpid()), "--pipe",
             str(read_end), "--", sys.executable, "-m", "prefect", "server", "start",
             "--host", host, "--port", str(port), "--analytics-off"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True, pass_fds=(read_end,),
        )
    os.close(read_end)
    _TEMPORARY = process
    atexit.register(stop_temporary)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"temporary prefect server exited with code {process.returncode};"
                              f" see {log_path}")
        if healthy(url, timeout_s=1.0):
            os.environ["PREFECT_API_URL"] = url
            return url
        time.sleep(0.3)
    stop_temporary()
    raise ServerError(f"temporary prefect server did not answer within {timeout_s:.0f} s; "
                      f"see {log_path}")


def stop_temporary(timeout_s: float = 10.0) -> None:
    """End the temporary server (its lifeline ends the whole group)."""
    global _TEMPORARY
    process, _TEMPORARY = _TEMPORARY, None
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def stop(home: Path | None = None, *, timeout_s: float = 20.0) -> ServerState | None:
    """Stop the server ``up`` started (its whole process group); None if there was none."""
    home = home or prefect_home()
    state = read_state(home)
    if state is None:
        return None
    if pid_alive(state.pid) and _is_prefect_server(state.pid):
        _signal_group(state.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and pid_alive(state.pid):
            _reap(state.pid)
            time.sleep(0.2)
        if pid_alive(state.pid):
            _signal_group(state.pid, signal.SIGKILL)
            _reap(state.pid)
    state_path(home).unlink(missing_ok=True)
    return state


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)  # started with start_new_session: its group id is its pid
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, sig)


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child (``up`` and ``down`` in one
    process, as in tests), so it does not linger as a zombie that looks alive."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def adopt_running_server() -> str | None:
    """Point this process's Prefect client at the server ``up`` started, if it is running.

    Runs before Prefect is imported. A ``PREFECT_API_URL`` the user set wins; with no
    live server nothing changes and a flow run falls back to Prefect's temporary server,
    so ``newsmon run`` still works on a machine where ``up`` was never run.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    try:
        state = read_state()
    except ServerError:
        return None
    if state is None or not pid_alive(state.pid) or not healthy(state.url, timeout_s=1.0):
        return None
    os.environ["PREFECT_API_URL"] = state.url
    return state.url
