"""The `sangkien` command: argument parsing only, one module per sub-command.

Each sub-command module defines `NAME`, `HELP` (Vietnamese / English), `add_arguments(parser)`
and `run(args) -> int`. Exit status: 0 success, 1 bad input, 2 bad usage or unreadable path.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from generator import __version__

# Order is the order shown in --help.
COMMAND_MODULES = (
    "validate",
    "fmt",
    "build",
    "serve",
    "new",
    "import_",
    "export",
    "report",
    "from_issue",
)

DESCRIPTION = (
    "sangkien — sổ đăng ký sáng kiến dưới dạng mã nguồn: kiểm tra dữ liệu, dựng trang web, "
    "xuất tài liệu và báo cáo.\n"
    "sangkien — the registry of initiatives as code: validate the data, build the site, "
    "export documents and reports."
)
EPILOG = (
    "Trạng thái thoát / exit status: 0 = thành công / success, 1 = dữ liệu lỗi / bad input, "
    "2 = dùng sai lệnh / bad usage.\n"
    "Xem `sangkien <lệnh> --help` / see `sangkien <command> --help`."
)


class UsageError(Exception):
    """Bad usage discovered after parsing (an unreadable path, an impossible option mix)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: lỗi / error: {message}\n")
        sys.exit(2)


def _load_commands() -> list[object]:
    mods = []
    for name in COMMAND_MODULES:
        try:
            mods.append(importlib.import_module(f"generator.cli.{name}"))
        except ModuleNotFoundError as exc:
            # A command whose module is absent from this build is simply not offered.
            if exc.name != f"generator.cli.{name}":
                raise
    return mods


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sangkien",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sangkien {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<lệnh / command>", parser_class=_Parser)
    for mod in _load_commands():
        p = sub.add_parser(
            mod.NAME,  # type: ignore[attr-defined]
            help=mod.HELP,  # type: ignore[attr-defined]
            description=getattr(mod, "DESCRIPTION", mod.HELP),  # type: ignore[attr-defined]
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        mod.add_arguments(p)  # type: ignore[attr-defined]
        p.set_defaults(_run=mod.run)  # type: ignore[attr-defined]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    if argv is not None:
        # Called in-process (tests, another program): signals stay the caller's business.
        return _run(args)
    # The real `sangkien` process: Ctrl-C and SIGTERM stop it cleanly, and its temporary
    # files live in a folder of this run, removed however the run ends.
    from generator.cli import interrupt

    interrupt.install()
    with interrupt.private_tmp():
        return _run(args)


def _interrupted() -> int:
    from generator import fsio
    from generator.cli import interrupt

    interrupt.stop_descendants()
    fsio.remove_temporaries()
    sys.stderr.write("\nĐã dừng / interrupted.\n")
    return interrupt.exit_code()


def _run(args: argparse.Namespace) -> int:
    from generator.cli import interrupt

    try:
        return int(args._run(args))
    except UsageError as exc:
        sys.stderr.write(f"sangkien {args.command}: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        return 1
    except (
        Exception
    ) as exc:  # last resort: a bug of ours must still not greet a user with a traceback
        if interrupt.STATE["signal"] is not None:
            # A worker stopped by the interruption failed on the way out: not a bug.
            return _interrupted()
        if os.environ.get("SANGKIEN_DEBUG"):
            raise
        sys.stderr.write(
            f"sangkien {args.command}: lỗi nội bộ / internal error: {type(exc).__name__}: {exc}\n"
            "Đây là lỗi của chương trình, không phải của dữ liệu; hãy báo lỗi kèm lệnh đã chạy "
            "(đặt SANGKIEN_DEBUG=1 để xem chi tiết).\n"
            "This is a bug in sangkien, not in your data; please report it with the command you ran "
            "(set SANGKIEN_DEBUG=1 for details).\n"
        )
        return 1


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi",
        help="ngôn ngữ thông báo / message language (mặc định / default: vi)",
    )


def add_project(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--registry",
        metavar="DIR",
        help="thư mục sổ đăng ký / registry folder (mặc định: registry/ của dự án, tìm từ thư mục "
        "hiện tại đi lên / default: the project's registry/, found from the current folder upwards)",
    )
