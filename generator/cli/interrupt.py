"""Ctrl-C and SIGTERM stop a command cleanly: one line, no traceback, nothing left behind.

`install()` is called by the real `sangkien` process only (not by tests that call `main`
in-process). On the first SIGINT or SIGTERM it stops every process this one started (the
forked export and search workers, and what they run: Pagefind, pandoc), then raises
KeyboardInterrupt in the main thread, so that the `finally` blocks remove the temporary
folders; `generator.cli.main` prints "Đã dừng / interrupted." and exits 130 (143 for SIGTERM).

Forked workers ignore SIGINT (the terminal sends Ctrl-C to the whole process group; the
parent stops them itself, and a worker's KeyboardInterrupt only printed a traceback) and
die at once on SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from types import FrameType

# The signal that interrupted this process, if any (read by `generator.cli.main`).
STATE: dict[str, int | None] = {"signal": None}
_INSTALLED: dict[str, bool] = {"at_fork": False}


def descendants(pid: int | None = None) -> list[int]:
    """Every living process below `pid` (default: this one), children first, from /proc."""
    root = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: fields follow the last ')'.
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) < 2 or fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    out: list[int] = []
    queue = [root]
    while queue:
        for child in children.get(queue.pop(0), []):
            out.append(child)
            queue.append(child)
    return out


def stop_descendants() -> None:
    """Stop every process below this one for good.

    They are frozen first (SIGSTOP), round after round until a round finds no new one, so
    that none can start another while we look (a worker's thread starting pandoc, say):
    one started and orphaned meanwhile would escape. Then SIGKILL: what they leave in the
    temporary folders goes with those folders (`private_tmp`, the build's own folder).
    """
    stopped: set[int] = set()
    while True:
        fresh = [pid for pid in descendants() if pid not in stopped]
        if not fresh:
            break
        for pid in fresh:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
            stopped.add(pid)
    for pid in stopped:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    # Reap those that were our own children, so that none lingers as a zombie.
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            if not any(p in stopped for p in descendants()):
                break
            time.sleep(0.02)


def _in_forked_child() -> None:
    # A forked worker: the parent stops it (SIGTERM, default action); Ctrl-C is not its own.
    STATE["signal"] = None
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    if STATE["signal"] is not None:
        return  # already stopping: a second Ctrl-C must not break the clean-up
    STATE["signal"] = signum
    stop_descendants()
    raise KeyboardInterrupt


def install() -> None:
    """Handle SIGINT and SIGTERM as described in the module docstring (main thread only)."""
    STATE["signal"] = None
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    if not _INSTALLED["at_fork"]:
        os.register_at_fork(after_in_child=_in_forked_child)
        _INSTALLED["at_fork"] = True


def exit_code() -> int:
    """130 after Ctrl-C (or an interruption with no signal), 143 after SIGTERM."""
    return 128 + (STATE["signal"] or signal.SIGINT)


@contextlib.contextmanager
def private_tmp() -> Iterator[None]:
    """Point TMPDIR (and Python's tempfile) at a folder of this run, removed at the end
    however the run ends: what a killed worker or tool left in it goes too."""
    try:
        folder = tempfile.mkdtemp(prefix="sangkien-run-")
    except OSError:
        yield
        return
    old_env, old_tempdir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder
    try:
        yield
    finally:
        tempfile.tempdir = old_tempdir
        if old_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_env
        shutil.rmtree(folder, ignore_errors=True)
