"""Browser fixtures: the built site over HTTP on a free port, and headless Debian Chromium.

The browser is Debian's `/usr/bin/chromium` (scripts/setup.sh installs it); Playwright is
only the driver and is never asked to download a browser. Without that binary every browser
test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS, serve_directory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    """The site under test: `built_site`, or an already built one named by SANGKIEN_SITE_DIR
    (to iterate on the browser tests without rebuilding)."""
    prebuilt = os.environ.get("SANGKIEN_SITE_DIR")
    if prebuilt:
        return Path(prebuilt)
    return request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 at a free port; stop the server afterwards."""
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (scripts/setup.sh installs it with apt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, site_url: str) -> Iterator[Any]:
    """A fresh page (own context: no shared history or storage) that fails on JS errors and
    on any request to a host other than the test server."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda req: (
            None if req.url.startswith((site_url, "data:", "blob:")) else foreign.append(req.url)
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture(scope="session")
def catalogue_index(site_dir: Path) -> dict[str, Any]:
    """The catalogue index the site serves (api/v1/catalogue.json)."""
    return json.loads((site_dir / "api" / "v1" / "catalogue.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def registry() -> Any:
    """The bundled registry the site was built from."""
    from generator.config import load_settings
    from generator.validate.check import check_registry

    return check_registry(load_settings(ROOT)).registry
