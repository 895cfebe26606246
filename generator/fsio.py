"""Writing files safely: the one helper every command and every build step writes through.

What it guarantees, wherever it is used:

* atomic: the bytes go to a temporary file in the target's own folder, renamed into place
  (`os.replace`) only when complete, so a reader or a crash never sees half a file;
* no overwrite by accident: an existing file is replaced only with `force=True`;
* never through or over something that is not a regular file (a symbolic link, a device
  such as /dev/full, a FIFO, a folder), not even with `force`;
* outputs stay out of the project's sources: a `protect` list of folders (registry/,
  schema/, docs/) that an output may not land in;
* the usual permissions: files 0666 and folders 0777 less the user's umask (0644 and 0755
  under the common umask 022), not mkstemp's 0600 / mkdtemp's 0700, so a web server
  running as another user can read the site;
* temporary folders are registered, so that an interrupted command removes them.

Standard library only: the core, documents, reports, contrib, site and cli all import it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path


class WriteRefused(OSError):
    """A write that would destroy something or land in the wrong place; the text is bilingual."""

    def __init__(self, path: str | Path, message_vi: str, message_en: str, hint: str = "") -> None:
        super().__init__(f"{path}: {message_vi} / {message_en}")
        self.path = str(path)
        self.message_vi = message_vi
        self.message_en = message_en
        self.hint = hint

    def __str__(self) -> str:
        tail = f"; {self.hint}" if self.hint else ""
        return f"{self.path}: {self.message_vi} / {self.message_en}{tail}"


def _exists(path: Path) -> WriteRefused:
    return WriteRefused(
        path,
        "đã tồn tại, không ghi đè",
        "exists; not overwriting",
        "dùng --force để ghi đè / use --force to overwrite",
    )


_UMASK: dict[int, int] = {}
_UMASK_LOCK = threading.Lock()


def umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    pid = os.getpid()
    cached = _UMASK.get(pid)
    if cached is not None:
        return cached
    with _UMASK_LOCK:
        value: int | None = None
        with (
            contextlib.suppress(OSError, ValueError),
            open("/proc/self/status", encoding="ascii") as fh,
        ):
            for line in fh:
                if line.startswith("Umask:"):
                    value = int(line.split()[1], 8)
                    break
        if value is None:
            # Elsewhere the only way is to set it and put it back, under the lock.
            value = os.umask(0o022)
            os.umask(value)
        _UMASK[pid] = value
        return value


def file_mode() -> int:
    """Mode of a new file: 0666 less the umask (0644 under umask 022)."""
    return 0o666 & ~umask()


def dir_mode() -> int:
    """Mode of a new folder: 0777 less the umask (0755 under umask 022)."""
    return 0o777 & ~umask()


def is_within(path: Path, folder: Path) -> bool:
    """`path` is `folder` or inside it (both taken as given; resolve them first)."""
    return path == folder or folder in path.parents


def _resolved_target(path: Path) -> Path:
    """The target with its folder's links resolved (the target itself is never a link here)."""
    return path.parent.resolve() / path.name


def check_target(
    path: str | Path, *, force: bool = False, protect: Iterable[str | Path] = ()
) -> Path:
    """Raise WriteRefused unless `path` may be written; return it as a Path.

    Refused: a symbolic link, a folder, a device or FIFO (even with `force`), an existing
    file without `force`, a path in a missing folder, a path inside a `protect` folder.
    """
    p = Path(path)
    try:
        st: os.stat_result | None = os.lstat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WriteRefused(p, "không đọc được", f"cannot be checked ({exc.strerror})") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise WriteRefused(
                p,
                "là liên kết tượng trưng, không ghi qua nó",
                "is a symbolic link; not writing through it",
            )
        if stat.S_ISDIR(st.st_mode):
            raise WriteRefused(p, "là một thư mục", "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise WriteRefused(
                p,
                "không phải tệp thường (thiết bị, FIFO...), không thay thế",
                "is not a regular file (a device, a FIFO...); not replacing it",
            )
        if not force:
            raise _exists(p)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise WriteRefused(p, "không có thư mục", f"no such folder ({parent})")
    target = _resolved_target(p)
    for folder in protect:
        root = Path(folder).resolve()
        if is_within(target, root):
            raise WriteRefused(
                p,
                f"nằm trong thư mục {root.name}/ của dự án; kết quả không được ghi vào đó",
                f"is inside the project's {root.name}/ folder; outputs are not written there",
            )
    return p


def temp_beside(path: str | Path, suffix: str = ".part") -> Path:
    """A new empty temporary file in `path`'s folder, for `commit` to rename into place
    (for code that cannot hold a `with atomic_path(...)` block)."""
    return _temp_file(Path(path), suffix)


def commit(tmp: str | Path, path: str | Path, *, force: bool = False) -> None:
    """Give the finished temporary file `tmp` the usual mode and rename it to `path`
    (never over a link, a device, a FIFO or a folder; over a file only with `force`)."""
    _commit(Path(tmp), Path(path), force=force)


def _temp_file(p: Path, suffix: str) -> Path:
    parent = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=suffix)
    except OSError as exc:
        raise WriteRefused(p, "không ghi được", f"cannot be written ({exc.strerror})") from None
    os.close(fd)
    return Path(tmp)


def _commit(tmp: Path, p: Path, *, force: bool) -> None:
    os.chmod(tmp, file_mode())
    # Checked again just before the rename: the path may have changed meanwhile.
    check_target(p, force=force)
    if not force:
        # A hard link fails if the name was taken since the check: never an overwrite.
        try:
            os.link(tmp, p)
        except FileExistsError:
            raise _exists(p) from None
        except OSError:
            pass  # a file system without hard links: the rename below
        else:
            tmp.unlink(missing_ok=True)
            return
    os.replace(tmp, p)


@contextlib.contextmanager
def atomic_path(
    path: str | Path,
    *,
    force: bool = False,
    protect: Iterable[str | Path] = (),
    suffix: str = ".part",
) -> Iterator[Path]:
    """A temporary path beside `path`, for a tool that writes a file itself (pandoc, typst):
    moved into place when the block ends without an exception, removed in every case."""
    p = check_target(path, force=force, protect=protect)
    tmp = _temp_file(p, suffix)
    try:
        yield tmp
        _commit(tmp, p, force=force)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(
    path: str | Path,
    data: bytes,
    *,
    force: bool = False,
    protect: Iterable[str | Path] = (),
    fsync: bool = False,
) -> Path:
    """Write `data` to `path` atomically, under the rules of the module docstring."""
    with (
        atomic_path(path, force=force, protect=protect, suffix=".tmp") as tmp,
        open(tmp, "wb") as fh,
    ):
        fh.write(data)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())
    return Path(path)


def write_text(
    path: str | Path,
    text: str,
    *,
    force: bool = False,
    protect: Iterable[str | Path] = (),
    encoding: str = "utf-8",
    fsync: bool = False,
) -> Path:
    """Write `text` (newlines as given) to `path` atomically; see `write_bytes`."""
    return write_bytes(path, text.encode(encoding), force=force, protect=protect, fsync=fsync)


def copy_file(
    src: str | Path, dst: str | Path, *, force: bool = False, protect: Iterable[str | Path] = ()
) -> Path:
    """Copy the content of `src` to `dst` atomically (never exposing a partial copy)."""
    with atomic_path(dst, force=force, protect=protect) as tmp:
        shutil.copyfile(src, tmp)
    return Path(dst)


def make_dirs(path: str | Path) -> Path:
    """`mkdir -p` with the usual folder mode (the umask applies, as for any mkdir)."""
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    return p


# Temporary folders of this process, removed if the command is interrupted.
_TEMPORARIES: dict[int, set[Path]] = {}
_TEMP_LOCK = threading.Lock()


def temp_dir(prefix: str, parent: str | Path | None = None) -> Path:
    """A new temporary folder (mode 0755 under umask 022, so that a site built in it is
    readable once moved into place), registered for removal on interruption."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(path, dir_mode())
    with _TEMP_LOCK:
        _TEMPORARIES.setdefault(os.getpid(), set()).add(path)
    return path


def forget_temp(path: str | Path) -> None:
    """`path` is no longer temporary (it was moved into place, or removed)."""
    with _TEMP_LOCK:
        _TEMPORARIES.get(os.getpid(), set()).discard(Path(path))


def remove_temp(path: str | Path) -> None:
    """Remove a temporary folder made by `temp_dir` (whatever it holds)."""
    shutil.rmtree(path, ignore_errors=True)
    forget_temp(path)


def remove_temporaries() -> None:
    """Remove every temporary folder this process made and still holds (never those of the
    process it was forked from)."""
    with _TEMP_LOCK:
        paths = list(_TEMPORARIES.pop(os.getpid(), set()))
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
