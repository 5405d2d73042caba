"""A real PostgreSQL for tests: Debian's server, a temporary data folder, a loopback port.

The server runs as the ``postgres`` system user when the tests run as root (PostgreSQL
refuses to run as root), listens on 127.0.0.1 only, and is stopped and removed on exit.
``scripts/system-packages postgresql`` installs it where it is missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from evaluation import system_packages

PACKAGES = ("postgresql",)


def _bin_dir() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name), reverse=True)
    return versions[0].parent if versions else None


def missing() -> str | None:
    """Why no PostgreSQL can run here, or None."""
    if _bin_dir() is None:
        return f"PostgreSQL is missing: {system_packages.hint(PACKAGES)}"
    return None


def install() -> None:
    """Install the server with the project's script (root; apt from Debian's packages)."""
    if missing() is not None:
        system_packages.install(PACKAGES)


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str

    def url(self, dbname: str) -> str:
        """``postgresql://user:password@host:port/dbname``, as NEWSMON_DB takes it."""
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        env = {**os.environ, "PGPASSWORD": self.password}
        done = subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", self.host,
             "-p", str(self.port), "-U", self.user, "-d", dbname, "-c", sql],
            env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(user: str = "newsmon", password: str = "newsmon-test") -> Iterator[Server]:
    """Start a PostgreSQL cluster for the duration of the block."""
    install()
    bin_dir = _bin_dir()
    assert bin_dir is not None, missing()
    root = Path(tempfile.mkdtemp(prefix="newsmon-postgres-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        owner = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    secret = root / "pwfile"
    secret.write_text(password, encoding="utf-8")
    if as_root:
        os.chown(secret, pwd.getpwnam("postgres").pw_uid, -1)
    port = _free_port()
    subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", user,
                    f"--pwfile={secret}", "-A", "scram-sha-256", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)
    log = root / "server.log"
    subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log),
                    "-w", "-t", "60", "-o",
                    f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off "
                    "-c max_connections=200 -c synchronous_commit=off",
                    "start"], check=True, capture_output=True)
    server = Server("127.0.0.1", port, user, password)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server.psql("SELECT 1")
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "-w", "stop"], check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
