"""The Starlette application: routes to :mod:`newsmon.web.pages`, HTML or JSON out.

Starlette and Jinja2 come with Prefect already; FastAPI's extras (OpenAPI pages that
load their scripts from a CDN) are not wanted on a page that must work offline. Each
page has its JSON twin under ``/api`` with the same query string, so what a chart shows
can always be had as data.
"""

from __future__ import annotations

import dataclasses
import hmac
import re
from collections.abc import Callable
from datetime import date, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from newsmon.core.errors import InputError, WarehouseBusyError, WarehouseError
from newsmon.core.settings import Settings
from newsmon.web import pages
from newsmon.web.charts import bar_chart
from warehouse import Warehouse, open_warehouse

HERE = Path(__file__).parent
TOKEN_COOKIE = "newsmon_token"
#: No script runs on these pages; styles and images only from the server itself.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_MARKED = re.compile(r"\*\*(.+?)\*\*", re.S)


class _SignedInt(Convertor[int]):
    """Article and story ids are signed 64-bit hashes: half of them are negative, which
    Starlette's own ``int`` convertor does not match."""

    regex = "-?[0-9]{1,19}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", _SignedInt())


def create_app(settings: Settings, site: pages.Site, token: str | None = None) -> ASGIApp:
    """The web app over the warehouse ``settings`` name; with ``token``, every request
    must carry it (header, cookie, or ``?token=`` once, which sets the cookie)."""
    templates = Jinja2Templates(env=_environment())

    def read(build: Callable[[Warehouse], Any]) -> Any:
        warehouse = open_warehouse(settings)
        with warehouse.holding():
            return build(warehouse)

    def page(template: str, build: Callable[[Request, Warehouse], Any]) -> Callable[..., Any]:
        async def html(request: Request) -> Response:
            return await respond(request, template, build)

        return html

    async def respond(request: Request, template: str | None,
                      build: Callable[[Request, Warehouse], Any]) -> Response:
        try:
            data = await run_in_threadpool(read, lambda wh: build(request, wh))
        except InputError as exc:
            return error(request, template, 400, str(exc))
        except (WarehouseBusyError, WarehouseError) as exc:
            return error(request, template, 503, str(exc))
        if data is None:
            return error(request, template, 404, f"{request.url.path}: no such page")
        if template is None:
            return JSONResponse(jsonable(data))
        path = request.url.path
        api_link = ("/api/now" if path == "/" else "/api" + path) + (
            f"?{request.url.query}" if request.url.query else "")
        return templates.TemplateResponse(request, template, {"page": data, "api": api_link})

    def error(request: Request, template: str | None, status: int, message: str) -> Response:
        if template is None:
            return JSONResponse({"error": message}, status_code=status)
        return templates.TemplateResponse(request, "error.html",
                                          {"status": status, "message": message},
                                          status_code=status)

    def api(build: Callable[[Request, Warehouse], Any]) -> Callable[..., Any]:
        async def json_page(request: Request) -> Response:
            return await respond(request, None, build)

        return json_page

    builders: list[tuple[str, str, Callable[[Request, Warehouse], Any]]] = [
        ("/", "now.html", lambda r, wh: pages.now_page(wh, site)),
        ("/stories", "stories.html",
         lambda r, wh: pages.stories_page(wh, site, filters(r))),
        ("/stories/{story_id:id}", "story.html",
         lambda r, wh: pages.story_page(wh, site, r.path_params["story_id"])),
        ("/search", "search.html",
         lambda r, wh: pages.search_page(wh, site, r.query_params.get("q", ""), filters(r))),
        ("/articles/{article_id:id}", "article.html",
         lambda r, wh: pages.article_page(wh, site, r.path_params["article_id"])),
        ("/alerts", "alerts.html", lambda r, wh: pages.alerts_page(wh)),
        ("/sources", "sources.html", lambda r, wh: pages.sources_page(wh, site)),
    ]
    routes: list[Route | Mount] = []
    for path, template, build in builders:
        routes.append(Route(path, page(template, build)))
        routes.append(Route("/api" + ("/now" if path == "/" else path), api(build)))
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    app = Starlette(routes=routes)
    return _Guard(app, token)


def filters(request: Request) -> pages.Filters:
    q = request.query_params

    def ids(name: str) -> tuple[str, ...]:
        """Repeated (``?topic=a&topic=b``) or comma-separated (what the form sends)."""
        return tuple(v.strip() for raw in q.getlist(name) for v in raw.split(",") if v.strip())

    return pages.Filters(
        topics=ids("topic"), entities=ids("entity"),
        sources=tuple(v for v in q.getlist("source") if v), languages=ids("lang"),
        since=q.get("since", "").strip(), until=q.get("until", "").strip(),
    )


class _Guard:
    """Token check on every request, and headers that keep the pages inert."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.method not in ("GET", "HEAD"):
            await PlainTextResponse("read-only: only GET", status_code=405)(scope, receive, send)
            return
        from_query = request.query_params.get("token")
        if self.token is not None and not self._allowed(request, from_query):
            await PlainTextResponse(
                "newsmon web: a token is required (NEWSMON_WEB_TOKEN; send it as "
                "'Authorization: Bearer TOKEN' or open the page once with ?token=TOKEN)",
                status_code=401)(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer")]
                if from_query and self.token is not None:
                    cookie = SimpleCookie()
                    cookie[TOKEN_COOKIE] = from_query
                    cookie[TOKEN_COOKIE]["httponly"] = True
                    cookie[TOKEN_COOKIE]["samesite"] = "Strict"
                    cookie[TOKEN_COOKIE]["path"] = "/"
                    headers.append((b"set-cookie",
                                    cookie[TOKEN_COOKIE].OutputString().encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _allowed(self, request: Request, from_query: str | None) -> bool:
        assert self.token is not None
        auth = request.headers.get("authorization", "")
        offered = [auth[7:] if auth.lower().startswith("bearer ") else None,
                   request.cookies.get(TOKEN_COOKIE), from_query]
        return any(o is not None and hmac.compare_digest(o.encode(), self.token.encode())
                   for o in offered)


# -- rendering ------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Page records as JSON values: dataclasses as objects, times as ISO 8601 strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(when=when, marked=marked, number=number)
    env.globals.update(chart=bar_chart, link=link)
    return env


def when(at: datetime | None, precision: str | None = None) -> str:
    """A stored time as precisely as it was stated: a month, a day, or to the minute."""
    if at is None:
        return "–"
    if precision == "month":
        return f"{at:%Y-%m}"
    if precision == "day":
        return f"{at:%Y-%m-%d}"
    return f"{at:%Y-%m-%d %H:%M} UTC"


def marked(snippet: str) -> Markup:
    """A search snippet with its ``**matched**`` words in ``<mark>``, the rest escaped."""
    return Markup(_MARKED.sub(lambda m: f"<mark>{m[1]}</mark>", str(escape(snippet))))


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def link(path: str, filters: pages.Filters | None = None, **extra: Any) -> str:
    """``path`` with the filters kept and ``extra`` query parameters set."""
    items = filters.query_items() if filters is not None else []
    keys = set(extra)
    items = [(k, v) for k, v in items if k not in keys]
    items += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
    return path + ("?" + urlencode(items) if items else "")
