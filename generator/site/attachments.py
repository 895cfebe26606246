"""Publishing the files of records' attachments folders with the site.

A record links to files of `registry/attachments/<id>/` in two ways: `attachments[].path`
(the "Tài liệu đính kèm" list of its page) and images in its Markdown prose (allowed only
for a PNG/JPEG/GIF inside the record's own folder: `generator.markup.attachment_image`).
The page links to them at the same project-relative path inside the built site
(`site_link(page, "registry/attachments/<id>/<file>")`), so each one is copied there.

Only what is referenced is published, never a whole folder: a file a contributor left in
the folder without linking it stays out of the site. And each file must be

* under `registry/attachments/<id>/` for the id of a record of the loaded registry;
* reached without a symbolic link anywhere along its path (each folder is opened with
  O_NOFOLLOW relative to the previous one, so a link swapped in meanwhile is refused too),
  and a regular file (not a FIFO or a device, which are never opened for reading);
* at most `attachment_max_bytes` (the limit `validate` applies, SK213);
* written through `generator.fsio` (atomic, mode 0644 under umask 022, never through a
  link, never inside the project's registry/).

`validate` already refuses links and oversized files in the registry (the loader and
SK017/SK213); this module does not rely on that. A file refused here is logged and left
out (its link then 404s, as it does today), and the build goes on.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import fsio
from generator.markup import ATTACHMENTS_DIR, attachment_images
from generator.model import Initiative, Registry


@dataclass(frozen=True)
class Skipped:
    """A referenced file that is not published, and why (English, for the log)."""

    path: str
    reason: str


def _parts(rel: str, ids: frozenset[str]) -> list[str] | None:
    """The components of `rel` when it names a file inside the folder of a known record."""
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel:
        return None
    parts = rel.split("/")
    if ".." in parts or "." in parts or "" in parts:
        return None
    prefix = ATTACHMENTS_DIR.split("/")
    if len(parts) < len(prefix) + 2 or parts[: len(prefix)] != prefix:
        return None
    if parts[len(prefix)] not in ids:
        return None
    return parts


def referenced(ini: Initiative, project_dir: str) -> list[str]:
    """The project-relative files of attachments folders that `ini`'s page links to:
    `attachments[].path`, then the prose images the site keeps (those of its own folder)."""
    out: list[str] = [att.path for att in ini.attachments if att.path]
    # The same check as the page's (ProsePolicy): what the page does not show is not published.
    out += attachment_images(ini.raw, ini.id, project_dir)
    return list(dict.fromkeys(out))


def wanted(registry: Registry, project_dir: str) -> dict[str, str]:
    """Site path -> project-relative path of every file to publish. They are the same:
    pages link to `registry/attachments/<id>/<file>` from the site root (`site_link`)."""
    out: dict[str, str] = {}
    for ini in registry.initiatives.values():
        for rel in referenced(ini, project_dir):
            out.setdefault(rel, rel)
    return out


def read_regular(project_dir: str, rel: str, limit: int) -> bytes | str:
    """The bytes of the regular file `rel` under `project_dir`, or why it was refused.

    Every folder along the path is opened with O_NOFOLLOW relative to its parent, and the
    file itself with O_NOFOLLOW | O_NONBLOCK (a FIFO must not block the build), then
    checked with fstat: what is read is what was checked, whatever changes meanwhile."""
    parts = rel.split("/")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    directory = getattr(os, "O_DIRECTORY", 0)
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(project_dir, os.O_RDONLY | directory)
    except OSError as exc:
        return f"project folder unreadable ({exc.strerror})"
    try:
        for part in parts[:-1]:
            try:
                st = os.stat(part, dir_fd=fd, follow_symlinks=False)
                if not stat.S_ISDIR(st.st_mode):
                    return f"{part} is not a folder (a link or a file)"
                nxt = os.open(part, os.O_RDONLY | directory | nofollow, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    return f"{part} is not a folder (a link or a file)"
                return f"missing ({exc.strerror})"
            os.close(fd)
            fd = nxt
        name = parts[-1]
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError as exc:
            return f"missing ({exc.strerror})"
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file (a link, a folder, a device or a FIFO)"
        if st.st_size > limit:
            return f"larger than the attachment limit ({st.st_size} > {limit} bytes)"
        try:
            ffd = os.open(name, os.O_RDONLY | nofollow | nonblock, dir_fd=fd)
        except OSError as exc:
            return f"cannot be opened ({exc.strerror})"
        with os.fdopen(ffd, "rb") as fh:
            fst = os.fstat(fh.fileno())
            if not stat.S_ISREG(fst.st_mode) or (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino):
                return "changed while being read"
            data = fh.read(limit + 1)
        if len(data) > limit:
            return f"larger than the attachment limit (> {limit} bytes)"
        return data
    finally:
        os.close(fd)


def _stamp(project_dir: str, rel: str) -> tuple[int, int, int, int] | None:
    try:
        st = os.lstat(os.path.join(project_dir, rel))
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def publish(
    registry: Registry,
    project_dir: str | Path,
    site_dir: str | Path,
    limit: int,
    *,
    protect: Iterable[str | Path] = (),
    previous: dict[str, tuple[int, int, int, int]] | None = None,
) -> tuple[list[str], list[Skipped]]:
    """Copy every referenced attachment into `site_dir`, at its project-relative path.

    `previous` (site path -> what the source file was when copied; updated in place) lets a
    preview rebuild skip the files already in the site and remove those no longer
    referenced. Returns (site paths written, files refused)."""
    project = os.path.realpath(project_dir)
    site = Path(site_dir)
    site_real = os.path.realpath(site)
    want = wanted(registry, project)
    ids = frozenset(registry.initiatives)
    written: list[str] = []
    skipped: list[Skipped] = []
    seen = previous if previous is not None else {}
    for gone in sorted(set(seen) - set(want)):
        # No longer linked from any page (a preview rebuild): out of the site too.
        dest = site / gone
        try:
            if stat.S_ISREG(os.lstat(dest).st_mode):
                dest.unlink()
        except OSError:
            pass
        del seen[gone]
    for site_path, rel in sorted(want.items()):
        if _parts(rel, ids) is None:
            skipped.append(Skipped(rel, "not in the attachments folder of a known record"))
            continue
        dest = site / site_path
        stamp = _stamp(project, rel)
        if stamp is not None and seen.get(site_path) == stamp and _is_regular(dest):
            continue
        data = read_regular(project, rel, limit)
        if isinstance(data, str):
            skipped.append(Skipped(rel, data))
            if seen.pop(site_path, None) is not None and _is_regular(dest):
                dest.unlink()  # a preview rebuild: the copy of a file since refused goes
            continue
        try:
            fsio.make_dirs(dest.parent)
            # The folder made must still be inside the site (no link in the site folder).
            if not fsio.is_within(Path(os.path.realpath(dest.parent)), Path(site_real)):
                skipped.append(Skipped(rel, "its place in the site folder leads outside it"))
                continue
            fsio.write_bytes(dest, data, force=True, protect=protect)
        except OSError as exc:
            skipped.append(Skipped(rel, str(exc)))
            continue
        if stamp is not None:
            seen[site_path] = stamp
        written.append(site_path)
    return written, skipped


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
