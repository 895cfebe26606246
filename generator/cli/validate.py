"""`sangkien validate`: schema and cross-file checks, every problem at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import UsageError, add_lang, add_project, validate_extras
from generator.cli.common import settings_from_args
from generator.report import REPORTER_BY_NAME
from generator.validate.check import check_registry, registry_files

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
        # Only files the check reads can be reported on; anything else would "pass" unchecked.
        inits, agencies, fields = registry_files(settings.registry_path)
        known = {f.resolve() for f in (*inits, *agencies, fields)}
        for raw in args.paths:
            p = Path(raw)
            if not p.exists():
                raise UsageError(f"không tìm thấy / not found: {raw}")
            if p.is_file() and p.resolve() not in known:
                raise UsageError(
                    f"không phải tệp của sổ đăng ký / not a registry file: {raw} "
                    f"({settings.registry_path}/initiatives/<năm>/<mã>.yml, agencies/<mã>.yml, taxonomy/fields.yml)"
                )
            files = [p] if p.is_file() else [x for x in p.rglob("*") if x.resolve() in known]
            for f in files:
                try:
                    only.add(f.resolve().relative_to(project).as_posix())
                except ValueError:
                    only.add(f.as_posix())
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
