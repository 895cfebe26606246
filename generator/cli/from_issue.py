"""`sangkien from-issue`: turn a filled GitHub issue form into a record file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import UsageError, add_project
from generator.cli.common import settings_from_args
from generator.cli.new import report_new_file
from generator.contrib.issue import draft_from_issue, issue_form
from generator.contrib.record import (
    ContribError,
    initiative_schema,
    load_choices,
    next_free_id,
    render,
    write_exclusive,
    write_new_record,
)
from generator.report import report_text
from generator.validate.check import check_file_standalone

NAME = "from-issue"
HELP = "chuyển đề xuất trên GitHub thành tệp sáng kiến / turn a filled issue form into a record"
DESCRIPTION = (
    "Đọc nội dung issue (Markdown do biểu mẫu GitHub sinh ra), cấp mã trống kế tiếp, ghi tệp\n"
    "sáng kiến có chú thích và kiểm tra nó; không bao giờ ghi đè. BODY là tệp, hoặc - để đọc stdin.\n"
    "Read an issue body (the Markdown GitHub renders from the issue form), allocate the next free\n"
    "id, write a commented record and validate it; never overwrites. BODY is a file, or - for stdin."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("body", nargs="?", metavar="BODY.md", help="nội dung issue / the issue body")
    add_project(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="ghi vào tệp hoặc thư mục này / write to this file or folder (mặc định / default: registry/initiatives/<năm>/<mã>.yml)",
    )
    p.add_argument(
        "--print-template",
        action="store_true",
        help=f"in biểu mẫu issue sinh từ lược đồ / print the issue form generated from the schema ({'.github/ISSUE_TEMPLATE/de-xuat-sang-kien.yml'})",
    )


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if not settings.registry_path.is_dir():
        raise UsageError(
            f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
        )
    registry = load_choices(settings)
    schema = initiative_schema(settings)
    if args.print_template:
        sys.stdout.write(issue_form(schema, registry, settings))
        return 0
    if not args.body:
        raise UsageError(
            "cần tệp BODY.md hoặc --print-template / BODY.md or --print-template is required"
        )
    if args.body == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.body).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"không đọc được / cannot read {args.body}: {exc}") from exc
    try:
        draft = draft_from_issue(text, schema, registry, settings)
        if not args.output:
            _, path = write_new_record(settings, draft, schema)
            return report_new_file(settings, path)
        record_id = next_free_id(settings, draft.year)
        out = Path(args.output)
        if out.is_dir():
            out = out / f"{record_id}.yml"
        write_exclusive(out, render(draft, record_id, schema))
    except FileExistsError:
        sys.stderr.write(
            f"sangkien from-issue: lỗi / error: tệp đã có, không ghi đè / file exists, not overwritten: {args.output}\n"
        )
        return 1
    except ContribError as exc:
        sys.stderr.write(f"sangkien from-issue: {args.body}: lỗi / error: {exc}\n")
        return 1
    diags = check_file_standalone(out, "initiative", str(out), str(settings.schema_path))
    report_text(diags, sys.stderr, lang="vi", strict=False, files=1)
    sys.stdout.write(f"{out}\n")
    return 1 if any(d.severity == "error" for d in diags) else 0
