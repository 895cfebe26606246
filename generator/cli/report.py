"""`sangkien report`: the periodic report, and the provincial-scope candidates list."""

from __future__ import annotations

import argparse
import difflib
import sys
from datetime import date
from pathlib import Path

from generator import fsio
from generator.cli import UsageError, add_project
from generator.cli.common import protected_folders, settings_from_args
from generator.reports.api import candidates_report, period_report
from generator.reports.criteria import CriteriaError
from generator.reports.figures import year_period
from generator.reports.writers import TEXT_FORMATS, WRITER_BY_FORMAT
from generator.text.vn import fold
from generator.validate.check import check_registry

NAME = "report"
HELP = "báo cáo định kỳ, danh sách đề xuất cấp tỉnh / periodic report, provincial candidates"
DESCRIPTION = (
    "Báo cáo tổng hợp sáng kiến của một kỳ (theo cấp, cơ quan, lĩnh vực, loại giải pháp, so với "
    "kỳ trước; đề xuất cấp tỉnh; nhân rộng; lợi ích; chất lượng dữ liệu; phụ lục), hoặc danh sách "
    "sáng kiến đủ điều kiện đề xuất công nhận phạm vi cấp tỉnh (`report candidates`).\n"
    "The consolidated report of a period, or (`report candidates`) the initiatives that meet the "
    "criteria for provincial scope.\n\n"
    "Ví dụ / examples:\n"
    "  sangkien report --year 2024 --format docx -o bao-cao-2024.docx\n"
    "  sangkien report --from 2025-01-01 --to 2025-06-30 --agency ubnd-xa-binh-son --format xlsx -o bc.xlsx\n"
    "  sangkien report candidates --as-of 2025-12-31 --format json"
)

MIN_DATE, MAX_DATE = date(1900, 1, 1), date(9999, 12, 31)


class InputError(Exception):
    """Bad input value (exit status 1); the message is already bilingual."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "what",
        nargs="?",
        choices=("candidates",),
        metavar="candidates",
        help="danh sách đề xuất cấp tỉnh thay cho báo cáo kỳ / the candidates list instead",
    )
    p.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="từ ngày / from (YYYY-MM-DD hoặc dd/mm/yyyy)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        help="đến ngày / to (mặc định hôm nay / default today)",
    )
    p.add_argument("--year", type=int, metavar="YYYY", help="cả năm / a whole year")
    p.add_argument(
        "--agency",
        metavar="ID",
        help="báo cáo của một cơ quan (gồm đơn vị đã hợp nhất vào) / one agency's report",
    )
    p.add_argument(
        "--no-rollup",
        action="store_true",
        help="không gộp đơn vị tiền thân / leave out merged predecessors",
    )
    p.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        help="ngày xét (candidates) / as-of date (default today)",
    )
    p.add_argument(
        "--format",
        choices=sorted(WRITER_BY_FORMAT),
        default="md",
        help="định dạng / format (mặc định / default: md)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="tệp kết quả / output file (md, json, csv: mặc định in ra màn hình / default stdout)",
    )
    p.add_argument(
        "--force", action="store_true", help="cho phép ghi đè tệp đã có / allow overwriting FILE"
    )
    add_project(p)


def parse_date(text: str, option: str) -> date:
    """An ISO (2024-12-31) or Vietnamese (31/12/2024) date; InputError otherwise."""
    from generator.text.vn import parse_date_input

    try:
        return parse_date_input(text)
    except ValueError:
        raise InputError(
            f"{option}: ngày không hợp lệ / invalid date {text!r} "
            "(dùng / use YYYY-MM-DD, ví dụ / e.g. 2024-12-31, hoặc / or 31/12/2024)"
        ) from None


def _dmy(day: date) -> str:
    # Not strftime: it drops the zeros of year 1 ("01/01/1").
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _period(args: argparse.Namespace, today: date) -> tuple[date, date]:
    if args.year is not None:
        if args.date_from or args.date_to:
            raise UsageError(
                "--year không dùng cùng --from/--to / --year cannot be combined with --from/--to"
            )
        if not 1900 <= args.year <= 9999:
            raise InputError(f"--year: năm không hợp lệ / invalid year {args.year}")
        return year_period(args.year)
    if args.date_to and not args.date_from:
        raise UsageError("--to cần --from / --to needs --from")
    if not args.date_from:
        raise UsageError(
            "cần --year YYYY hoặc --from DATE [--to DATE] / need --year YYYY or --from DATE [--to DATE]"
        )
    start = parse_date(args.date_from, "--from")
    end = parse_date(args.date_to, "--to") if args.date_to else today
    for option, day in (("--from", start), ("--to", end)):
        # The same range as --year: initiatives have no records before 1900.
        if not MIN_DATE <= day <= MAX_DATE:
            raise InputError(
                f"{option}: ngày ngoài khoảng / date out of range {_dmy(day)} "
                f"(từ / from {_dmy(MIN_DATE)} đến / to {_dmy(MAX_DATE)})"
            )
    if end < start:
        raise InputError(
            f"kỳ báo cáo ngược / inverted period: --from {start.isoformat()} sau / is after "
            f"--to {end.isoformat()}"
        )
    return start, end


def suggest_agency(agency_id: str, known: dict[str, str]) -> str:
    """The closest agency id by id or by folded name ("" when nothing is close)."""
    ids = list(known)
    close = difflib.get_close_matches(agency_id, ids, n=1, cutoff=0.6)
    if close:
        return close[0]
    by_name = {fold(name).replace(" ", "-"): aid for aid, name in known.items()}
    close = difflib.get_close_matches(
        fold(agency_id).replace(" ", "-"), list(by_name), n=1, cutoff=0.6
    )
    return by_name[close[0]] if close else ""


def write_output(data: bytes, output: str, *, force: bool, protect: list[Path]) -> None:
    """Write `data` to `output` through the safe writer (atomic, no overwrite without
    --force, never over a link or device, never into the project's sources)."""
    try:
        fsio.write_bytes(output, data, force=force, protect=protect)
    except fsio.WriteRefused as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{output}: không ghi được / cannot write ({exc.strerror})") from None


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    candidates = args.what == "candidates"
    if candidates and (
        args.year is not None or args.date_from or args.date_to or args.agency or args.no_rollup
    ):
        raise UsageError(
            "`report candidates` chỉ nhận --as-of, --format, -o / takes only --as-of, --format, -o"
        )
    if not candidates and args.as_of:
        raise UsageError(
            "--as-of chỉ dùng với `report candidates` / --as-of is for `report candidates`"
        )
    if args.output is None and args.format not in TEXT_FORMATS:
        raise UsageError(f"--format {args.format} cần -o FILE / needs -o FILE")
    if not settings.registry_path.is_dir():
        raise UsageError(
            f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
        )
    today = settings.today_date()
    try:
        if args.output is not None:
            # Refused before the work, not after it; checked again when writing.
            try:
                fsio.check_target(
                    args.output, force=args.force, protect=protected_folders(settings)
                )
            except fsio.WriteRefused as exc:
                raise InputError(str(exc)) from None
        if candidates:
            as_of = parse_date(args.as_of, "--as-of") if args.as_of else today
        else:
            start, end = _period(args, today)
        result = check_registry(settings)
        errors = result.errors()
        if errors:
            first = errors[0]
            raise InputError(
                f"sổ đăng ký có {len(errors)} lỗi, chạy `sangkien validate` để xem / the registry "
                f"has {len(errors)} error(s), run `sangkien validate` (đầu tiên / first: "
                f"{first.file}:{first.line}: {first.message('vi')})"
            )
        registry = result.registry
        if candidates:
            bundle = candidates_report(registry, settings, as_of)
        else:
            if args.agency is not None and args.agency not in registry.agencies:
                hint = suggest_agency(
                    args.agency, {a.id: a.name for a in registry.agencies.values()}
                )
                tail = f"; có phải / did you mean `{hint}`?" if hint else ""
                raise InputError(
                    f"--agency: không có cơ quan / unknown agency {args.agency!r} trong / in "
                    f"{settings.registry_dir}/agencies/{tail}"
                )
            bundle = period_report(registry, settings, start, end, args.agency, not args.no_rollup)
        payload = WRITER_BY_FORMAT[args.format](bundle)
        if args.output is None:
            text = payload.decode("utf-8").lstrip("\ufeff")
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_output(
                payload, args.output, force=args.force, protect=protected_folders(settings)
            )
            sys.stderr.write(f"đã ghi / wrote {args.output}\n")
    except InputError as exc:
        sys.stderr.write(f"sangkien report: lỗi / error: {exc}\n")
        return 1
    except CriteriaError as exc:
        sys.stderr.write(f"sangkien report: lỗi / error: mkdocs.yml (plugins: sangkien): {exc}\n")
        return 1
    return 0
