"""`sangkien fmt`: rewrite registry files in canonical form, keeping every comment."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path

from generator.cli import UsageError, add_lang, add_project
from generator.cli.common import settings_from_args
from generator.diagnostics import Diagnostic, T
from generator.fmt import format_file
from generator.load.tree import RegistryTree
from generator.report import report_text
from generator.validate.check import registry_tree
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


def _shown(path: Path, project: Path) -> str:
    """`path` relative to the project, without resolving a link in its last part."""
    absolute = Path(os.path.abspath(path))
    try:
        return (absolute.parent.resolve() / absolute.name).relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    project = Path(settings.project_dir).resolve()
    links: list[Path] = []
    tree: RegistryTree | None = None
    if args.paths:
        files: list[Path] = []
        for raw in args.paths:
            p = Path(raw)
            if not p.exists() and not p.is_symlink():
                raise UsageError(f"không tìm thấy / not found: {raw}")
            found = (
                [p]
                if p.is_file() or p.is_symlink()
                else sorted(
                    x
                    for x in p.rglob("*")
                    if x.suffix in (".yml", ".yaml") and (x.is_symlink() or x.is_file())
                )
            )
            # A link is never read nor rewritten (its target may be any file): reported only.
            links.extend(x for x in found if x.is_symlink())
            files.extend(x for x in found if not x.is_symlink())
    else:
        if not settings.registry_path.is_dir():
            raise UsageError(
                f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
            )
        tree = registry_tree(settings.registry_path, project)
        files = [
            *(Path(x.path) for x in tree.initiatives),
            *tree.agencies,
            *([tree.fields] if tree.fields else []),
        ]
    schema_dir = str(settings.schema_path)
    # --diff shows what would change, like --check it writes nothing.
    dry = args.check or args.diff
    changed: list[str] = []
    diags = [
        Diagnostic(
            "SK012",
            _shown(x, project),
            1,
            1,
            {
                "what": T(
                    f"`{x.name}` là một liên kết tượng trưng (symlink)",
                    f"`{x.name}` is a symbolic link (symlink)",
                )
            },
        )
        for x in links
    ]
    if tree is not None:
        # Links, `.yaml` names and misplaced files: what the file tree walk refused to read.
        diags.extend(tree.diagnostics)
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
