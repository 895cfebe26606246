"""`sangkien serve`: the preview server rebuilds when a registry YAML file changes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.render.browse import newest_first
from generator.validate.check import check_registry

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str | None, proc: subprocess.Popen[bytes], timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc.poll() is None, "the server stopped"
        page = _get(url)
        if page is not None and (text is None or text in page):
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show {text!r} within {timeout} s")


@contextmanager
def _serving(project: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`sangkien serve` on a free port; yields the site's base URL and the process."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--no-documents", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        yield f"http://127.0.0.1:{port}/sangkien/", proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _append_to_title(record: Path, words: str) -> None:
    text = record.read_text(encoding="utf-8")
    record.write_text(
        re.sub(
            r"^title: (.*)$", lambda m: f"title: {m.group(1)} {words}", text, count=1, flags=re.M
        ),
        encoding="utf-8",
    )


def test_editing_a_record_updates_its_page(tmp_path: Path, make_registry) -> None:
    project = make_registry(tmp_path)
    record = sorted((project / "registry" / "initiatives").rglob("*.yml"))[0]
    with _serving(project) as (base, proc):
        url = f"{base}sang-kien/{record.stem.lower()}/"
        first = _wait_for(url, None, proc, 300)
        assert 'lang="vi"' in first
        time.sleep(1.5)
        _append_to_title(record, "ĐÃ SỬA THỬ")
        page = _wait_for(url, "ĐÃ SỬA THỬ", proc, 300)
        assert page.count("ĐÃ SỬA THỬ") >= 1


def test_a_new_title_reaches_the_listings_and_the_home_page(tmp_path: Path, make_registry) -> None:
    """Rebuilds are incremental; every page that shows the title must still change: the
    record's own page, its agency's browse page and the home page's "latest" list (a
    hand-written page whose macro output changed while its file did not)."""
    project = make_registry(tmp_path)
    registry = check_registry(load_settings(project)).registry
    newest = newest_first(i for i in registry.initiatives.values() if i.is_recognized)[0]
    other = next(i for i in registry.initiatives.values() if i.agency != newest.agency)
    with _serving(project) as (base, proc):
        home = _wait_for(base, None, proc, 300)
        assert newest.title in home
        time.sleep(1.5)
        _append_to_title(project / newest.source, "TÊN MỚI XEM TRƯỚC")
        _wait_for(f"{base}sang-kien/{newest.slug}/", "TÊN MỚI XEM TRƯỚC", proc, 300)
        assert "TÊN MỚI XEM TRƯỚC" in (_get(base) or "")
        assert "TÊN MỚI XEM TRƯỚC" in (_get(f"{base}co-quan/{newest.agency}/") or "")
        assert "TÊN MỚI XEM TRƯỚC" not in (_get(f"{base}co-quan/{other.agency}/") or "")

        # A second edit, of another record: the first one's new title stays everywhere.
        time.sleep(1.5)
        _append_to_title(project / other.source, "LẦN HAI")
        _wait_for(f"{base}sang-kien/{other.slug}/", "LẦN HAI", proc, 300)
        assert "TÊN MỚI XEM TRƯỚC" in (_get(base) or "")
        assert "LẦN HAI" in (_get(f"{base}co-quan/{other.agency}/") or "")
