"""``newsmon web``: a local, read-only web page over the warehouse.

:mod:`newsmon.web.pages` gathers each page's data with plain functions (tested without a
server); :mod:`newsmon.web.app` only routes requests to them and renders the result as
HTML (Jinja2) or JSON under ``/api/...``. Nothing here writes: every page reads through
one read-only connection per request, closed before the answer is sent, so a cycle that
wants the warehouse waits milliseconds, never a page view.
"""
