"""`sangkien serve`: `mkdocs serve` with the registry plugin, for editing records locally.

Rebuilds are incremental ("dirty"): only the registry files changed since the previous build
are checked again, only the pages whose Markdown changed are re-rendered (hand-written pages
too, when their macros' output changed), warnings already printed are not printed again, and
the data exports, documents and search index stay those of the first build (restart the server
or use `--full` to refresh them); every page says so in a note at its top. This is for previews only; `sangkien build` always builds
clean and complete.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys

from generator.cli import UsageError
from generator.cli.common import config_path

NAME = "serve"
HELP = "xem trước trang web, tự dựng lại khi sửa / preview the site, rebuilding on change"
DESCRIPTION = (
    "Chạy máy chủ xem trước; sửa tệp trong registry/, schema/ hoặc docs/ thì trang tự dựng lại.\n"
    "Run a preview server; editing files in registry/, schema/ or docs/ rebuilds the site."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config-file",
        "-f",
        metavar="FILE",
        help="tệp cấu hình / config file (mặc định / default: mkdocs.yml của dự án / the project's)",
    )
    p.add_argument(
        "--dev-addr",
        "-a",
        metavar="IP:PORT",
        default="127.0.0.1:8000",
        help="địa chỉ máy chủ / server address (mặc định / default: 127.0.0.1:8000)",
    )
    p.add_argument(
        "--no-documents", action="store_true", help="không sinh DOCX/PDF / skip DOCX/PDF documents"
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="dựng lại toàn bộ mỗi lần, kể cả dữ liệu xuất và chỉ mục tìm kiếm (chậm) / rebuild everything each time, exports and search index included (slow)",
    )
    p.add_argument("--strict", action="store_true", help="cảnh báo là lỗi / warnings are errors")


def port_problem(host: str, port: int) -> str:
    """Why the preview server could not listen on (host, port), or "" when it can.

    Bound and released at once, with the address reuse the server itself sets (so a port
    left in TIME_WAIT by the previous server is not taken for a busy one)."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return f"địa chỉ không hợp lệ / bad address ({exc})"
    family, kind, proto, _name, addr = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(addr)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return "cổng đang được dùng / the port is in use"
        return f"{exc.strerror}"
    return ""


def run(args: argparse.Namespace) -> int:
    config_file = config_path(args.config_file)
    if not config_file.is_file():
        raise UsageError(f"không tìm thấy tệp cấu hình / config file not found: {config_file}")
    host, sep, port = args.dev_addr.rpartition(":")
    if not sep or not port.isdigit():
        raise UsageError(f"địa chỉ phải có dạng IP:CỔNG / address must be IP:PORT: {args.dev_addr}")
    # Before any build: a busy port used to surface only after the whole first build.
    problem = port_problem(host.strip("[]"), int(port))
    if problem:
        raise UsageError(
            f"không mở được cổng / cannot listen on {args.dev_addr}: {problem} "
            "(dùng --dev-addr 127.0.0.1:CỔNG-KHÁC / use --dev-addr 127.0.0.1:OTHER-PORT)"
        )
    from mkdocs import exceptions
    from mkdocs.commands.serve import serve

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    if args.no_documents:
        os.environ["SANGKIEN_NO_DOCUMENTS"] = "1"
    try:
        serve(
            config_file=str(config_file),
            dev_addr=args.dev_addr,
            build_type=None if args.full else "dirty",
            livereload=True,
            strict=args.strict,
        )
    except exceptions.MkDocsException as exc:
        sys.stderr.write(f"Không chạy được máy chủ / cannot serve:\n{exc}\n")
        return 1
    return 0
