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
from pathlib import Path

import pytest

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


def test_editing_a_record_updates_its_page(tmp_path: Path, make_registry) -> None:
    project = make_registry(tmp_path)
    record = sorted((project / "registry" / "initiatives").rglob("*.yml"))[0]
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
        url = f"http://127.0.0.1:{port}/sangkien/sang-kien/{record.stem.lower()}/"
        first = _wait_for(url, None, proc, 300)
        assert 'lang="vi"' in first
        time.sleep(1.5)
        text = record.read_text(encoding="utf-8")
        record.write_text(
            re.sub(r"^title: (.*)$", r"title: \1 ĐÃ SỬA THỬ", text, count=1, flags=re.M),
            encoding="utf-8",
        )
        page = _wait_for(url, "ĐÃ SỬA THỬ", proc, 300)
        assert page.count("ĐÃ SỬA THỬ") >= 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
