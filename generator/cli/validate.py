"""`sangkien validate`: schema and cross-file checks, every problem at once."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.cli import UsageError, add_lang, add_project, validate_extras
from generator.cli.common import settings_from_args
from generator.report import REPORTER_BY_NAME
from generator.validate.check import check_registry, registry_tree

NAME = "validate"
HELP = "kiểm tra dữ liệu sổ đăng ký / validate the registry data"
DESCRIPTION = (
    "Kiểm tra mọi tệp theo JSON Schema và các quy tắc liên tệp; liệt kê mọi lỗi kèm vị trí.\n"
    "Check every file against the JSON Schema and the cross-file rules; list every problem with its place."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="chỉ báo cáo các tệp này / report on these files only",
    )
    add_project(p)
    p.add_argument(
        "--format",
        choices=sorted(REPORTER_BY_NAME),
        default="text",
        help="định dạng kết quả / output format (text|json|github)",
    )
    add_lang(p)
    p.add_argument(
        "--strict", action="store_true", help="coi cảnh báo là lỗi / treat warnings as errors"
    )
    p.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="số tiến trình / worker processes"
    )
    validate_extras.add_arguments(p)


def _lexical(path: Path) -> Path:
    """`path` made absolute with its folders resolved, but not its last part (a link stays
    the link)."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


def run(args: argparse.Namespace) -> int:
    validate_extras.check_usage(args)
    settings = settings_from_args(args)
    if not settings.registry_path.is_dir():
        raise UsageError(
            f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
        )
    only: set[str] | None = None
    if args.paths:
        only = set()
        project = Path(settings.project_dir).resolve()
        # Only files the check reads, or that it reports on without reading (a link, a `.yaml`
        # name, a misplaced file), can be named; anything else would "pass" unchecked. Paths
        # are compared without resolving their last part: a link is named, not followed.
        tree = registry_tree(settings.registry_path, project)
        known = {project / d.file: d.file for d in tree.diagnostics}
        for f in (
            *(Path(x.path) for x in tree.initiatives),
            *tree.agencies,
            *([tree.fields] if tree.fields else []),
        ):
            known[_lexical(f)] = _lexical(f).relative_to(project).as_posix()
        for raw in args.paths:
            p = _lexical(Path(raw))
            if not os.path.lexists(p):
                raise UsageError(f"không tìm thấy / not found: {raw}")
            if p in known:
                only.add(known[p])
            elif p.is_dir() and not p.is_symlink():
                only.update(shown for f, shown in known.items() if p in f.parents)
            else:
                raise UsageError(
                    f"không phải tệp của sổ đăng ký / not a registry file: {raw} "
                    f"({settings.registry_path}/initiatives/<năm>/<mã>.yml, agencies/<mã>.yml, taxonomy/fields.yml)"
                )
    result = check_registry(
        settings, only=only, jobs=args.jobs, build_model=validate_extras.needs_model(args)
    )
    REPORTER_BY_NAME[args.format](
        result.diagnostics,
        sys.stdout,
        lang=args.lang,
        strict=args.strict,
        files=len(only) if only is not None else result.files_checked,
    )
    validate_extras.run(args, settings, result)
    return 0 if result.ok(args.strict) else 1
