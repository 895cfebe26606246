"""Item 10 of issue 11: builds survive each other and signals.

Each test runs `sangkien build` as a real process (signals and locks are per process) on a
scratch copy of the bundled project, without documents to stay quick.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli.build import LOCK_FILE, SITE_MARKER
from generator.cli.interrupt import descendants

pytestmark = pytest.mark.slow


def _build(project: Path, site: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "-q",
            "--no-documents",
            "-d",
            str(site),
            *extra,
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group, so that a Ctrl-C can be sent as a terminal sends it.
        start_new_session=True,
    )


def _small_project(make_registry, tmp_path: Path) -> Path:
    """The bundled project with only the 2019 records (they refer to no later one)."""
    project = make_registry(tmp_path)
    for path in (project / "registry" / "initiatives").rglob("*.yml"):
        if path.parent.name != "2019":
            path.unlink()
    return project


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "-build-" in p.name)


def _alive(pids: set[int]) -> list[int]:
    """Those of `pids` still running (a zombie waiting for init to reap it is not)."""
    out = []
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        if text[text.rfind(")") + 2 :].split()[0] != "Z":
            out.append(pid)
    return out


def test_two_builds_at_once_both_end_cleanly(make_registry, tmp_path: Path) -> None:
    project = _small_project(make_registry, tmp_path)
    site = tmp_path / "site"
    first, second = _build(project, site), _build(project, site)
    results = [(p.wait(timeout=600), p.stderr.read() if p.stderr else "") for p in (first, second)]
    for code, err in results:
        assert code == 0, err
        assert "internal error" not in err and "Traceback" not in err
    # The one that came second waited for the other, and said so.
    assert any("another build is running" in err for _code, err in results)
    assert (site / "index.html").is_file() and (site / SITE_MARKER).is_file()
    assert _leftovers(tmp_path) == []


def test_a_build_waits_for_the_lock_or_says_so(make_registry, tmp_path: Path) -> None:
    project = _small_project(make_registry, tmp_path)
    site = tmp_path / "site"
    with open(project / LOCK_FILE, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = _build(project, site, "--no-wait")
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1
        assert "another build is running" in err and "--no-wait" in err
        waiting = _build(project, site)
        # Its first line (-q) says it waits; it goes on once the lock is released.
        assert waiting.stderr is not None
        first = waiting.stderr.readline()
        assert "another build is running in this project, waiting" in first
        assert waiting.poll() is None
    _out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, first + err
    assert (site / "index.html").is_file()


def _interrupt(project: Path, tmp_path: Path, how: str) -> tuple[int, str, set[int]]:
    """Start a build, wait until it has worker processes, interrupt it; (code, stderr, the
    processes it had started)."""
    proc = _build(project, tmp_path / "site")
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while not seen and time.monotonic() < deadline and proc.poll() is None:
        seen.update(descendants(proc.pid))
        time.sleep(0.01)
    assert seen, "the build started no worker process"
    time.sleep(0.3)
    seen.update(descendants(proc.pid))
    if how == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        proc.send_signal(signal.SIGTERM)  # what a CI runner or `kill` does
    _out, err = proc.communicate(timeout=60)
    return proc.returncode, err, seen


@pytest.mark.parametrize(("how", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_an_interrupted_build_leaves_nothing_behind(
    make_registry, tmp_path: Path, how: str, code: int
) -> None:
    project = make_registry(tmp_path)
    returncode, err, workers = _interrupt(project, tmp_path, how)
    assert returncode == code, err
    # One line, no traceback from the parent or from a worker.
    assert err.strip() == "Đã dừng / interrupted.", err
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "site").exists()
    time.sleep(0.2)
    assert _alive(workers) == []
