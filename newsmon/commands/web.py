"""``newsmon web``: serve the read-only web page over the warehouse."""

from __future__ import annotations

import ipaddress
import socket
import sys

import click

from newsmon.commands.context import Context
from newsmon.core.errors import ConfigError


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on; anything but loopback needs NEWSMON_WEB_TOKEN")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(0, 65535),
              help="0 picks a free port (printed)")
@click.pass_obj
def web(ctx: Context, host: str, port: int) -> None:
    """Browse the warehouse in a web browser: what is spiking, stories, search, articles
    with their evidence, alerts and feed health.

    Read-only: it never writes (but brings a warehouse an older newsmon wrote up to date,
    once), and holds the warehouse only while a page is read, so cycles go on beside it.
    Every page's data is also served as JSON under /api/ (/api/now, /api/stories,
    /api/search?q=..., ...).

    Example: newsmon web --port 8050, then open http://127.0.0.1:8050/
    """
    import uvicorn

    from newsmon.search.sync import index_path
    from newsmon.web.app import create_app
    from newsmon.web.pages import build_site
    from warehouse import open_warehouse

    secret = ctx.settings.web_token
    token = secret.get_secret_value() if secret is not None else None
    if token is not None and not token.strip():
        raise ConfigError("NEWSMON_WEB_TOKEN is empty: set a token, or unset it")
    if token is None and not is_loopback(host):
        raise ConfigError(f"--host {host}: listening beyond this machine needs a token; set "
                          "NEWSMON_WEB_TOKEN (every request must then carry it)")
    warehouse = open_warehouse(ctx.settings)
    if not warehouse.exists():
        click.echo(f"warning: {warehouse.shown} does not exist yet; pages will say so until "
                   "`newsmon run` or `newsmon ingest` creates it", err=True)
    app = create_app(ctx.settings, build_site(ctx.config(), index_path(ctx.settings)), token)
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"newsmon web: http://{shown}:{bound}/ (Ctrl-C stops)")
    sys.stdout.flush()  # a script reading the address must not wait for a full buffer
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that ``--port 0`` can print the port it got
    and a taken port is one line, not a server traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"--host {host} --port {port}: cannot listen there "
                          f"({exc.strerror or exc})") from None
    sock.listen(128)
    return sock


COMMANDS = [web]
