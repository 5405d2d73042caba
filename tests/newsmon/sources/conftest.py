"""A loopback feed site for the sources' tests: one server per module, its routes and
request log cleared for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evaluation.feedserver import FeedSite, start_site


@pytest.fixture(scope="module")
def site_server() -> Iterator[FeedSite]:
    yield from start_site()


@pytest.fixture
def site(site_server: FeedSite) -> FeedSite:
    site_server.reset()
    return site_server
