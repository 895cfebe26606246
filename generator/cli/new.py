"""`sangkien new`: create a new initiative record, interactively or from flags."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from generator.cli import UsageError, add_project
from generator.cli.common import settings_from_args
from generator.config import Settings
from generator.contrib.record import (
    ContribError,
    Draft,
    agency_choices,
    check_year,
    enum_labels,
    field_choices,
    initiative_schema,
    load_choices,
    next_free_id,
    parse_author,
    prop,
    record_path,
    render,
    require_known,
    write_new_record,
)
from generator.contrib.wizard import Prompter, run_wizard
from generator.diagnostics import Diagnostic
from generator.load.yamlstrict import load_text
from generator.model import Registry
from generator.report import report_text
from generator.text.vn import parse_date_input
from generator.validate.check import check_registry
from generator.validate.schema import check_schema

NAME = "new"
HELP = "tạo sáng kiến mới (hỏi từng bước) / create a new initiative (step-by-step wizard)"
DESCRIPTION = (
    "Hỏi từng mục bằng tiếng Việt rồi ghi registry/initiatives/<năm>/<mã>.yml với mã trống kế tiếp;\n"
    "không bao giờ ghi đè tệp có sẵn; kiểm tra tệp vừa ghi. Với --no-input, lấy dữ liệu từ tham số\n"
    "và in đường dẫn tệp đã ghi.\n"
    "Ask for each part in Vietnamese, then write registry/initiatives/<year>/<id>.yml with the next\n"
    "free id; never overwrites; validates the new file. With --no-input, take the data from flags\n"
    "and print the path written."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_project(p)
    p.add_argument(
        "--no-input",
        action="store_true",
        help="không hỏi, dùng các tham số / do not ask, use the flags",
    )
    p.add_argument("--title", help="tên sáng kiến / title")
    p.add_argument("--title-en", help="tên tiếng Anh / English title")
    p.add_argument("--agency", metavar="ID", help="mã cơ quan / agency id (registry/agencies/)")
    p.add_argument(
        "--agency-name",
        metavar="TÊN",
        help="tên cơ quan trên quyết định / agency name as printed (mặc định / default: tên hiện tại)",
    )
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="ID",
        help="mã lĩnh vực, lặp lại được / field id, repeatable",
    )
    p.add_argument(
        "--type",
        action="append",
        default=[],
        metavar="LOẠI",
        help="loại giải pháp, lặp lại được / solution type, repeatable: ky-thuat|quan-ly|tac-nghiep|ung-dung-tien-bo-ky-thuat",
    )
    p.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="HỌ TÊN[, CHỨC VỤ]",
        help="tác giả, lặp lại được / author, repeatable",
    )
    p.add_argument(
        "--year",
        type=int,
        help="năm của mã / year of the id (mặc định / default: năm nay / this year)",
    )
    p.add_argument(
        "--first-applied",
        metavar="dd/mm/yyyy",
        help="ngày áp dụng lần đầu, dd/mm/yyyy hoặc YYYY-MM-DD / date of first application, dd/mm/yyyy or YYYY-MM-DD",
    )


def _draft_from_flags(
    args: argparse.Namespace, settings: Settings, registry: Registry, schema: dict[str, Any]
) -> Draft:
    missing = [
        flag
        for flag, value in (
            ("--title", args.title),
            ("--agency", args.agency),
            ("--field", args.field),
            ("--type", args.type),
            ("--author", args.author),
        )
        if not value
    ]
    if missing:
        raise UsageError(f"--no-input cần / needs {', '.join(missing)}")
    agencies = agency_choices(registry)
    fields = field_choices(registry)
    types = dict(enum_labels(prop(schema, "solution_types")))
    require_known("cơ quan", "agency", args.agency, agencies)
    for fid in args.field:
        require_known("lĩnh vực", "field", fid, fields)
    for t in args.type:
        require_known("loại giải pháp", "solution type", t, types)
    title_sub = prop(schema, "title")
    if len(args.title.strip()) < title_sub.get("minLength", 0):
        raise ContribError(f"tên quá ngắn / title too short (≥ {title_sub['minLength']})")
    year = args.year or settings.today_date().year
    check_year(settings, year)
    first_applied = args.first_applied
    if first_applied:
        # Typed dd/mm/yyyy or ISO; the file keeps ISO. Text that is no date is passed on as
        # typed: the schema check refuses it, names the field, and nothing is written.
        with contextlib.suppress(ValueError):
            first_applied = parse_date_input(first_applied).isoformat()
    return Draft(
        year=year,
        title=" ".join(args.title.split()),
        title_en=args.title_en,
        agency=args.agency,
        agency_name_at_time=args.agency_name or registry.agency_name(args.agency),
        fields=list(dict.fromkeys(args.field)),
        solution_types=list(dict.fromkeys(args.type)),
        authors=[parse_author(a) for a in args.author],
        first_applied=first_applied,
    )


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if not settings.registry_path.is_dir():
        raise UsageError(
            f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
        )
    registry = load_choices(settings)
    schema = initiative_schema(settings)
    try:
        if args.no_input:
            draft = _draft_from_flags(args, settings, registry, schema)
        else:
            draft = run_wizard(settings, registry, schema, Prompter(sys.stdin, sys.stderr))
            if draft is None:
                sys.stderr.write("Đã huỷ, không ghi tệp nào / cancelled, nothing written.\n")
                return 1
        # Checked in memory first: a record known to be invalid is never written.
        errors = check_draft(settings, draft, schema)
        if errors:
            report_text(errors, sys.stderr, lang="vi", strict=False, files=1)
            sys.stderr.write(
                "sangkien new: lỗi / error: hồ sơ không hợp lệ, không ghi tệp nào / "
                "the record is invalid; nothing written.\n"
            )
            return 1
        _, path = write_new_record(settings, draft, schema)
    except ContribError as exc:
        sys.stderr.write(f"sangkien new: lỗi / error: {exc}\n")
        return 2 if args.no_input else 1
    return report_new_file(settings, path)


def check_draft(settings: Settings, draft: Draft, schema: dict[str, Any]) -> list[Diagnostic]:
    """The errors the record made from `draft` would have on its own (parse and schema),
    checked on its text before anything is written."""
    record_id = next_free_id(settings, draft.year)
    text = render(draft, record_id, schema)
    display = record_path(settings, record_id)
    with contextlib.suppress(ValueError):
        display = display.resolve().relative_to(Path(settings.project_dir).resolve())
    doc = load_text(text, display.as_posix())
    diags = list(doc.diagnostics)
    if doc.data is not None:
        diags.extend(check_schema(doc, "initiative", str(settings.schema_path)))
    return [d for d in diags if d.effective_severity() == "error"]


def report_new_file(settings: Settings, path: Path) -> int:
    """Validate the file just written against the whole registry; print diagnostics and path.

    A record that the registry-wide rules refuse is removed again (it was created by this
    command a moment ago, never overwritten): no invalid record is left behind."""
    project = Path(settings.project_dir).resolve()
    rel = path.resolve().relative_to(project).as_posix()
    result = check_registry(settings, only={rel}, build_model=False)
    report_text(result.diagnostics, sys.stderr, lang="vi", strict=False, files=1)
    if not result.ok():
        path.unlink(missing_ok=True)
        sys.stderr.write(
            f"sangkien new: lỗi / error: hồ sơ không hợp lệ, đã xoá {path} / "
            f"the record is invalid; {path} removed.\n"
        )
        return 1
    sys.stdout.write(f"{path}\n")
    return 0
