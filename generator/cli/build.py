"""`sangkien build`: `mkdocs build --strict` with the registry plugin, safely.

The site is built into a temporary folder next to the target and moved into place only when
the build succeeded, so a failed build never leaves a half-written site. Builds are always
clean: a `--dirty` build drops most of the search index and must never be deployed.

Never destroy what `build` did not make: the site folder may not be the project, the home
folder, a folder holding either or a source folder (registry, docs, schema), nor lie inside a
source folder; an existing folder is replaced only when empty or marked (`.sangkien-site`) by
an earlier build. One build at a time per checkout (a lock file; a second build waits, or
stops with `--no-wait`). Interrupted (Ctrl-C, SIGTERM), it removes its temporary folders and
stops its workers (generator/cli/interrupt.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from generator import fsio
from generator.cli import UsageError
from generator.cli.common import config_path, protected_folders
from generator.config import load_settings

NAME = "build"
HELP = "dựng trang web tĩnh / build the static site"
DESCRIPTION = (
    "Dựng toàn bộ trang web (trang sáng kiến, trang duyệt, dữ liệu mở, tài liệu, chỉ mục tìm kiếm)\n"
    "bằng MkDocs ở chế độ nghiêm ngặt: mọi cảnh báo là lỗi. Dữ liệu sai thì dừng, liệt kê mọi lỗi.\n"
    "Build the whole site (initiative and browse pages, open data, documents, search index) with\n"
    "MkDocs in strict mode; invalid data stops the build with every problem listed."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config-file",
        "-f",
        metavar="FILE",
        help="tệp cấu hình / config file (mặc định: mkdocs.yml của dự án, tìm từ thư mục hiện tại "
        "đi lên / default: the project's mkdocs.yml, found from the current folder upwards)",
    )
    p.add_argument(
        "--site-dir",
        "-d",
        metavar="DIR",
        help="thư mục kết quả / output folder (mặc định / default: site_dir của mkdocs.yml); "
        "chỉ thay thư mục trống hoặc do lần dựng trước tạo / only an empty folder or one made by "
        "an earlier build is replaced",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="nếu đang có bản dựng khác thì dừng ngay thay vì chờ / if another build is running, "
        "stop at once instead of waiting",
    )
    p.add_argument(
        "--no-documents",
        action="store_true",
        help="không sinh DOCX/PDF (xem trước nhanh) / skip DOCX/PDF documents (quick preview)",
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="xoá kết quả cũ trước khi dựng (luôn bật; không có chế độ --dirty) / remove the old output first (always on; there is no --dirty)",
    )
    strict = p.add_mutually_exclusive_group()
    strict.add_argument(
        "--strict",
        dest="strict",
        action="store_true",
        default=True,
        help="cảnh báo là lỗi (mặc định) / warnings are errors (default)",
    )
    strict.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="cho phép cảnh báo / allow warnings",
    )
    p.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="chỉ in cảnh báo và lỗi / only warnings and errors",
    )


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"


def _setup_logging(quiet: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    return handler


# Written at the root of every site `build` makes: only a folder holding it is replaced.
SITE_MARKER = ".sangkien-site"
MARKER_TEXT = (
    "Thư mục này do `sangkien build` tạo; lần dựng sau sẽ thay nó.\n"
    "This folder was made by `sangkien build`; the next build replaces it.\n"
)
# One build at a time per checkout: a second one waits for this lock (fcntl.flock).
LOCK_FILE = ".sangkien-build.lock"


class SiteDirRefused(Exception):
    """The site folder may not be (re)placed; the message is bilingual."""


def check_site_dir(target: Path, project: Path, sources: list[Path]) -> None:
    """Refuse a site folder that would destroy what `build` did not make.

    `target` and the paths given are resolved. Refused: the project itself, the home
    folder, a folder that holds the project, the home folder or a source folder (registry,
    docs, schema), a folder inside a source folder, a symbolic link, a file, and a folder
    that is neither empty nor marked by an earlier build.
    """
    home = Path(os.path.expanduser("~")).resolve()
    # (folder, how it is named, whether a site inside it is refused too)
    named = [
        (project, ("thư mục dự án", "the project folder"), False),
        (home, ("thư mục nhà", "the home folder"), False),
    ]
    named += [(src, (f"{src.name}/", f"{src.name}/"), True) for src in sources]
    for folder, (label, label_en), not_inside in named:
        if folder == target or (not_inside and folder in target.parents):
            where, where_en = ("là", "is") if folder == target else ("nằm trong", "is inside")
            raise SiteDirRefused(
                f"thư mục trang {target} {where} {label}; chọn thư mục khác (ví dụ ./site) / "
                f"the site folder {target} {where_en} {label_en}; choose another (e.g. ./site)"
            )
        if target in folder.parents:
            raise SiteDirRefused(
                f"thư mục trang {target} chứa {label} ({folder}); chọn thư mục khác / "
                f"the site folder {target} contains {label_en} ({folder}); choose another"
            )
    if target.is_symlink():
        raise SiteDirRefused(
            f"{target} là liên kết tượng trưng, không thay / is a symbolic link; not replacing it"
        )
    if target.exists() and not target.is_dir():
        raise SiteDirRefused(f"{target} không phải thư mục / is not a folder")
    if target.is_dir() and not (target / SITE_MARKER).is_file() and any(target.iterdir()):
        raise SiteDirRefused(
            f"{target} đã có nội dung không do `sangkien build` tạo (không có tệp {SITE_MARKER}); "
            "không xoá. Hãy tự xoá nó hoặc chọn thư mục khác / "
            f"{target} holds files that `sangkien build` did not make (no {SITE_MARKER} file); "
            "not deleting it. Remove it yourself or choose another folder"
        )


def _lock(project: Path, wait: bool) -> int | None:
    """Take the build lock of `project`; its file descriptor (closed = released), or None
    when another build holds it and `wait` is False. No lock when the file cannot be made
    (a read-only checkout): the build goes on as before."""
    import fcntl

    path = project / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError:
        return -1
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        if not wait:
            os.close(fd)
            return None
    sys.stderr.write(
        f"Đang có bản dựng khác trong {project}, chờ nó xong... / "
        "another build is running in this project, waiting...\n"
    )
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _put_in_place(tmp: Path, target: Path) -> None:
    """Move the built site `tmp` to `target`, replacing the earlier build's folder (checked
    by check_site_dir) only once the new one is complete."""
    old: Path | None = None
    if target.exists():
        old = fsio.temp_dir(prefix=f".{target.name}-build-old-", parent=target.parent)
        os.replace(target, old / target.name)
    os.replace(tmp, target)
    fsio.forget_temp(tmp)
    if old is not None:
        fsio.remove_temp(old)


def run(args: argparse.Namespace) -> int:
    config_file = config_path(args.config_file)
    if not config_file.is_file():
        raise UsageError(f"không tìm thấy tệp cấu hình / config file not found: {config_file}")
    project = config_file.resolve().parent
    # MkDocs is imported here so that `sangkien validate` does not pay for it.
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = _setup_logging(args.quiet)
    old_env = os.environ.get("SANGKIEN_NO_DOCUMENTS")
    if args.no_documents:
        os.environ["SANGKIEN_NO_DOCUMENTS"] = "1"
    tmp: Path | None = None
    lock: int | None = None
    try:
        overrides = (
            {"site_dir": os.path.abspath(Path(args.site_dir).expanduser())} if args.site_dir else {}
        )
        try:
            # The site folder goes through MkDocs' own checks too (not inside docs/...).
            config = load_config(config_file=str(config_file), strict=args.strict, **overrides)
        except (exceptions.ConfigurationError, exceptions.Abort) as exc:
            # MkDocs logs each bad setting itself, then aborts with a summary.
            sys.stderr.write(f"Lỗi cấu hình / configuration error: {config_file}: {exc}\n")
            return 1
        if Path(config.site_dir).is_symlink():
            sys.stderr.write(
                f"sangkien build: lỗi / error: {config.site_dir} là liên kết tượng trưng, "
                "không thay / is a symbolic link; not replacing it\n"
            )
            return 1
        target = Path(config.site_dir).resolve()
        settings = load_settings(project)
        sources = [
            p.resolve() for p in (*protected_folders(settings), Path(config.docs_dir)) if p.exists()
        ]
        try:
            check_site_dir(target, project, sources)
        except SiteDirRefused as exc:
            sys.stderr.write(f"sangkien build: lỗi / error: {exc}\n")
            return 1
        lock = _lock(project, wait=not args.no_wait)
        if lock is None:
            sys.stderr.write(
                f"sangkien build: lỗi / error: đang có bản dựng khác trong {project} "
                "(bỏ --no-wait để chờ) / another build is running in this project "
                "(drop --no-wait to wait)\n"
            )
            return 1
        # Checked again: the other build may have made the folder meanwhile.
        try:
            check_site_dir(target, project, sources)
        except SiteDirRefused as exc:
            sys.stderr.write(f"sangkien build: lỗi / error: {exc}\n")
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = fsio.temp_dir(prefix=f".{target.name}-build-", parent=target.parent)
        config.site_dir = str(tmp)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config, dirty=False)
        except exceptions.Abort as exc:
            sys.stderr.write(f"Dựng trang thất bại / build failed: {exc}\n")
            return 1
        except exceptions.MkDocsException as exc:
            sys.stderr.write(f"Dựng trang thất bại / build failed:\n{exc}\n")
            return 1
        finally:
            config.plugins.on_shutdown()
        fsio.write_text(tmp / SITE_MARKER, MARKER_TEXT)
        _put_in_place(tmp, target)
        tmp = None
        sys.stderr.write(f"Đã dựng trang vào / site built in: {target}\n")
        return 0
    finally:
        if tmp is not None:
            fsio.remove_temp(tmp)
        if lock is not None and lock >= 0:
            os.close(lock)
        if args.no_documents:
            if old_env is None:
                os.environ.pop("SANGKIEN_NO_DOCUMENTS", None)
            else:
                os.environ["SANGKIEN_NO_DOCUMENTS"] = old_env
        logging.getLogger("mkdocs").removeHandler(handler)
