"""`sangkien build`: `mkdocs build --strict` with the registry plugin, safely.

The site is built into a temporary folder next to the target and moved into place only when
the build succeeded, so a failed build never leaves a half-written site. Builds are always
clean: a `--dirty` build drops most of the search index and must never be deployed.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.cli import UsageError

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
        default="mkdocs.yml",
        help="tệp cấu hình / config file (mặc định / default: mkdocs.yml)",
    )
    p.add_argument(
        "--site-dir",
        "-d",
        metavar="DIR",
        help="thư mục kết quả / output folder (mặc định / default: site_dir của mkdocs.yml)",
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


def run(args: argparse.Namespace) -> int:
    config_file = Path(args.config_file)
    if not config_file.is_file():
        raise UsageError(f"không tìm thấy tệp cấu hình / config file not found: {config_file}")
    # MkDocs is imported here so that `sangkien validate` does not pay for it.
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = _setup_logging(args.quiet)
    old_env = os.environ.get("SANGKIEN_NO_DOCUMENTS")
    if args.no_documents:
        os.environ["SANGKIEN_NO_DOCUMENTS"] = "1"
    tmp: Path | None = None
    try:
        try:
            config = load_config(config_file=str(config_file), strict=args.strict)
        except (exceptions.ConfigurationError, exceptions.Abort) as exc:
            # MkDocs logs each bad setting itself, then aborts with a summary.
            sys.stderr.write(f"Lỗi cấu hình / configuration error: {config_file}: {exc}\n")
            return 1
        target = Path(args.site_dir or config.site_dir).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
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
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
        tmp = None
        sys.stderr.write(f"Đã dựng trang vào / site built in: {target}\n")
        return 0
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if args.no_documents:
            if old_env is None:
                os.environ.pop("SANGKIEN_NO_DOCUMENTS", None)
            else:
                os.environ["SANGKIEN_NO_DOCUMENTS"] = old_env
        logging.getLogger("mkdocs").removeHandler(handler)
