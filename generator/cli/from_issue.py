"""`sangkien from-issue`: turn a filled GitHub issue form into a record file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import UsageError, add_project
from generator.cli.common import settings_from_args
from generator.cli.new import report_new_file
from generator.contrib.issue import (
    FORM_PATH,
    check_rendered,
    issue_form,
    parse_issue,
    same_title,
)
from generator.contrib.record import (
    ContribError,
    initiative_schema,
    load_choices,
    next_free_id,
    render,
    write_exclusive,
    write_new_record,
)
from generator.diagnostics import Diagnostic
from generator.report import report_text
from generator.validate.check import check_file_standalone

NAME = "from-issue"
HELP = "chuyển đề xuất trên GitHub thành tệp sáng kiến / turn a filled issue form into a record"
DESCRIPTION = (
    "Đọc nội dung issue (Markdown do biểu mẫu GitHub sinh ra), cấp mã trống kế tiếp, ghi tệp\n"
    "sáng kiến có chú thích và kiểm tra nó; không bao giờ ghi đè. BODY là tệp, hoặc - để đọc stdin.\n"
    "Chỉ nhận đúng các mục của biểu mẫu, theo thứ tự; bỏ qua chú thích HTML (GitHub không hiện);\n"
    "từ chối ký tự điều khiển, mục lặp, ô đồng ý chưa đánh dấu và tên trùng sáng kiến đã có.\n"
    "Không ghi gì khi có lỗi. Mã thoát: 0 đã ghi, 1 nội dung issue có lỗi, 2 dùng sai lệnh.\n"
    "Read an issue body (the Markdown GitHub renders from the issue form), allocate the next free\n"
    "id, write a commented record and validate it; never overwrites. BODY is a file, or - for stdin.\n"
    "Only the form's own sections are read, in order; HTML comments (hidden by GitHub) are ignored;\n"
    "control characters, repeated sections, an unticked consent box and a title already in the\n"
    "registry are refused. Nothing is written when there is an error. Exit status: 0 written,\n"
    "1 problems in the issue, 2 bad usage."
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
        "--allow-duplicate",
        action="store_true",
        help="vẫn ghi khi tên trùng một sáng kiến đã có / write even when the title matches an existing initiative",
    )
    p.add_argument(
        "--print-template",
        action="store_true",
        help=f"in biểu mẫu issue sinh từ lược đồ / print the issue form generated from the schema ({FORM_PATH})",
    )


def _read_body(name: str) -> str:
    if name == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    else:
        try:
            raw = Path(name).read_bytes()
        except OSError as exc:
            raise UsageError(f"không đọc được / cannot read {name}: {exc.strerror}") from exc
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContribError(
            f"không phải UTF-8 / not UTF-8 (byte {exc.start}): lưu lại nội dung issue dạng UTF-8 "
            "/ save the issue body as UTF-8"
        ) from exc


def _fail(diags: list[Diagnostic]) -> int:
    report_text(diags, sys.stderr, lang="vi", strict=False, files=1)
    sys.stderr.write("Không ghi tệp nào / nothing written.\n")
    return 1


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
    display = "<stdin>" if args.body == "-" else args.body
    try:
        text = _read_body(args.body)
    except ContribError as exc:
        sys.stderr.write(f"sangkien from-issue: {display}: lỗi / error: {exc}\n")
        return 1
    parsed = parse_issue(text, display, schema, registry, settings)
    diags = list(parsed.diagnostics)
    draft = parsed.draft
    if draft is not None and not args.allow_duplicate:
        hit = same_title(settings, draft.title)
        if hit:
            record_id, path = hit
            shown = path.resolve().relative_to(Path(settings.project_dir).resolve()).as_posix()
            diags.append(
                Diagnostic(
                    "SK447",
                    display,
                    parsed.lines.get("title", 1),
                    1,
                    {"other": record_id, "file": shown},
                )
            )
    if draft is None or any(d.severity == "error" for d in diags):
        return _fail(diags)
    try:
        # The exact text is rendered and checked in memory first: a record known to be
        # invalid is never written, not even for a moment.
        record_id = next_free_id(settings, draft.year)
        problems = check_rendered(
            render(draft, record_id, schema), parsed, display, str(settings.schema_path)
        )
        if problems:
            return _fail(diags + problems)
        if not args.output:
            _, path = write_new_record(settings, draft, schema)
            return report_new_file(settings, path)
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
        sys.stderr.write(f"sangkien from-issue: {display}: lỗi / error: {exc}\n")
        return 1
    out_diags = check_file_standalone(out, "initiative", str(out), str(settings.schema_path))
    report_text(out_diags, sys.stderr, lang="vi", strict=False, files=1)
    sys.stdout.write(f"{out}\n")
    return 1 if any(d.severity == "error" for d in out_diags) else 0
