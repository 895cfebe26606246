"""`sangkien fmt`: rewrite registry files in canonical form, keeping every comment."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from generator.cli import UsageError, add_lang, add_project
from generator.cli.common import settings_from_args
from generator.fmt import format_file
from generator.report import report_text
from generator.validate.check import registry_files
from generator.validate.schema import load_schema

NAME = "fmt"
HELP = "chuẩn hoá cách viết tệp YAML / format registry files canonically"
DESCRIPTION = (
    "Chuẩn hoá tệp: Unicode NFC, thứ tự khoá theo lược đồ, dấu nháy nhất quán; giữ nguyên chú thích và nội dung.\n"
    "Rewrite files canonically: NFC text, schema key order, consistent quotes; comments and content are kept."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="tệp hoặc thư mục / files or folders (mặc định / default: cả sổ / whole registry)",
    )
    add_project(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="chỉ báo tệp cần chuẩn hoá, không ghi / only report, do not write",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="in phần thay đổi, không ghi / print the changes, do not write",
    )
    add_lang(p)


def _kind(path: Path) -> str:
    parts = path.resolve().parts
    if "agencies" in parts:
        return "agency"
    if path.name == "fields.yml" and "taxonomy" in parts:
        return "fields"
    return "initiative"


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    project = Path(settings.project_dir).resolve()
    if args.paths:
        files: list[Path] = []
        for raw in args.paths:
            p = Path(raw)
            if not p.exists():
                raise UsageError(f"không tìm thấy / not found: {raw}")
            files.extend(
                [p]
                if p.is_file()
                else sorted(x for x in p.rglob("*") if x.suffix in (".yml", ".yaml"))
            )
    else:
        if not settings.registry_path.is_dir():
            raise UsageError(
                f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
            )
        inits, agencies, fields = registry_files(settings.registry_path)
        files = [*inits, *agencies, *([fields] if fields.is_file() else [])]
    schema_dir = str(settings.schema_path)
    # --diff shows what would change, like --check it writes nothing.
    dry = args.check or args.diff
    changed: list[str] = []
    diags = []
    for f in files:
        try:
            display = f.resolve().relative_to(project).as_posix()
        except ValueError:
            display = f.as_posix()
        old = f.read_text(encoding="utf-8-sig", errors="replace") if args.diff else ""
        res = format_file(f, display, load_schema(_kind(f), schema_dir), write=not dry)
        diags.extend(res.diagnostics)
        if res.changed:
            changed.append(display)
            if args.diff and res.new_text is not None:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        old.splitlines(True), res.new_text.splitlines(True), display, display
                    )
                )
    vi = args.lang == "vi"
    for c in changed:
        if dry:
            print(
                f"{c}: {'cần chuẩn hoá (chạy sangkien fmt)' if vi else 'would be reformatted (run sangkien fmt)'}"
            )
        else:
            print(f"{c}: {'đã chuẩn hoá' if vi else 'reformatted'}")
    if diags:
        report_text(diags, sys.stdout, lang=args.lang, strict=False, files=len(files))
    if vi:
        print(
            f"{len(changed)} tệp {'cần chuẩn hoá' if dry else 'đã chuẩn hoá'}, {len(files) - len(changed)} tệp đã đúng chuẩn."
        )
    else:
        print(
            f"{len(changed)} files {'would be reformatted' if dry else 'reformatted'}, {len(files) - len(changed)} already canonical."
        )
    if any(d.severity == "error" for d in diags):
        return 1
    return 1 if (args.check and changed) else 0
