"""Plain HTTP servers on many loopback addresses that note when each request arrived.

Benchmarks of politeness need the time a request reached the server, not the time a
framework got round to handling it: the arrival is noted by the connection's own thread
right after the request line is read, before anything else runs. Each address
(127.0.0.1, 127.0.0.2 ...) is a host of its own to a client, as distinct sites are.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: (host header, path, request headers lower-cased) -> (status, headers, body)
App = Callable[[str, str, Mapping[str, str]], tuple[int, dict[str, str], bytes]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    server: _Server

    def parse_request(self) -> bool:
        self.server.note(time.monotonic())  # the request line has just been read
        return super().parse_request()

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra, body = self.server.app(headers.get("host", ""), self.path, headers)
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # a line per request otherwise


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, app: App, arrivals: list[float], lock: threading.Lock
                 ) -> None:
        super().__init__((host, 0), _Handler)
        self.app = app
        self._arrivals = arrivals
        self._lock = lock

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (a run ending) is normal here; the rest is
        printed as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def note(self, at: float) -> None:
        with self._lock:
            self._arrivals.append(at)


class Hosts:
    """One server per address ``127.0.<block>.1 ..``; ``arrivals[host]``: monotonic times."""

    def __init__(self, count: int, app: App, block: int = 0) -> None:
        if not 1 <= count <= 254:
            raise ValueError(f"1 to 254 hosts per block, not {count}")
        self.arrivals: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()
        self._servers: list[_Server] = []
        self.addresses: list[str] = []
        for k in range(count):
            host = f"127.0.{block}.{k + 1}"
            server = _Server(host, app, self.arrivals[host], self._lock)
            threading.Thread(target=server.serve_forever, daemon=True,
                             name=f"host-{host}").start()
            self._servers.append(server)
            self.addresses.append(f"{host}:{server.server_address[1]}")

    def close(self) -> None:
        # each shutdown waits out its server's poll interval: all of them at once
        stopping = [threading.Thread(target=s.shutdown) for s in self._servers]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        for server in self._servers:
            server.server_close()

    def requests(self) -> int:
        with self._lock:
            return sum(len(v) for v in self.arrivals.values())
