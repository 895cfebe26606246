"""`sangkien import FILE.docx [-o PATH]`: a Word application or description -> draft YAML."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli import UsageError, add_project
from generator.cli.common import settings_from_args

if TYPE_CHECKING:
    from generator.config import Settings
    from generator.model import Registry

NAME = "import"
HELP = (
    "nhập đơn/bản mô tả từ Word thành bản nháp YAML / import a Word application as a draft record"
)
DESCRIPTION = (
    "Đọc đơn yêu cầu công nhận hoặc bản mô tả sáng kiến (.docx), nhận các mục quen thuộc (Tên sáng kiến, "
    "Mô tả bản chất, Lợi ích thu được, bảng tác giả ...) và ghi bản nháp YAML, đánh dấu mục còn thiếu bằng # TODO.\n"
    "Read an application or description (.docx), map the usual items and write a draft YAML record whose "
    "gaps are marked with # TODO comments.\n\n"
    "Chỉ ghi vào sổ đăng ký với một mã mới, không bao giờ ghi đè; ngày sinh, trình độ và thông tin cần bảo mật "
    "không được nhập; tệp giải nén quá 50 MB bị từ chối.\n"
    "Writes only inside the registry, with a new id, never over a file; birth dates, qualifications and "
    "confidential information are never imported; files unpacking to more than 50 MB are refused."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.docx", help="tệp Word / the Word file")
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="tệp YAML kết quả, trong registry/initiatives/<năm>/ với một mã chưa dùng (mặc định: mã tiếp theo) / output YAML inside registry/initiatives/<year>/ with an unused id (default: the next free id)",
    )
    add_project(p)


def _err(text: str) -> int:
    sys.stderr.write(f"sangkien import: {text}\n")
    return 1


def _output_problem(
    out: Path, initiatives: Path, settings: Settings, registry: Registry | None
) -> str | None:
    """Why `-o` cannot be written (None when it can): inside the registry, a new id only."""
    where = f"{initiatives}/<năm/year>/{settings.id_prefix}-<năm/year>-NNNN.yml"
    m = re.fullmatch(rf"({re.escape(settings.id_prefix)})-(\d{{4}})-(\d{{4}})\.yml", out.name)
    try:
        # Directly in a year folder of initiatives/ (a symlinked folder resolves elsewhere).
        inside = out.parent.resolve().parent == initiatives.resolve()
    except OSError:
        inside = False
    if not m or not inside or out.parent.name != m.group(2) or out.is_symlink():
        return (
            f"chỉ ghi bản nháp vào sổ đăng ký, dưới tên một mã mới: {where} / "
            f"drafts are written only inside the registry, as a new id: {where} (got {out})"
        )
    ident = out.stem
    from generator.contrib.record import used_numbers

    if (
        out.exists()
        or int(m.group(3)) in used_numbers(settings, int(m.group(2)))
        or (registry is not None and ident in registry.initiatives)
    ):
        return f"{out} đã tồn tại, không ghi đè / {out} exists; not overwriting."
    return None


def run(args: argparse.Namespace) -> int:
    src = Path(args.file)
    if not src.is_file():
        raise UsageError(f"không tìm thấy / not found: {src}")
    from generator.contrib.record import ContribError, next_free_id, record_path, write_exclusive
    from generator.documents.draft import draft_yaml
    from generator.documents.importer import DocxImportError, parse_docx

    settings = settings_from_args(args)
    registry = None
    if settings.registry_path.is_dir():
        from generator.validate.check import check_registry

        registry = check_registry(settings).registry
    try:
        result = parse_docx(src, registry)
    except DocxImportError as exc:
        return _err(str(exc))

    today = settings.today_date()
    year = int(result.first_applied[:4]) if result.first_applied else today.year
    initiatives = settings.registry_path / "initiatives"
    if args.output:
        out = Path(args.output)
        problem = _output_problem(out, initiatives, settings, registry)
        if problem:
            return _err(problem)
        ident = out.stem
        try:
            write_exclusive(out, draft_yaml(result, ident, src.name, today))
        except FileExistsError:
            return _err(f"{out} đã tồn tại, không ghi đè / {out} exists; not overwriting.")
    else:
        # A new id every time: if another draft takes it first, the next one is used.
        for _ in range(20):
            try:
                ident = next_free_id(settings, year)
            except ContribError as exc:
                return _err(str(exc))
            out = record_path(settings, ident)
            try:
                write_exclusive(out, draft_yaml(result, ident, src.name, today))
                break
            except FileExistsError:
                continue
        else:
            return _err(f"không cấp được mã mới / could not allocate a new id for {year}")

    w = sys.stdout.write
    w(f"Đã ghi bản nháp / draft written: {out}\n")
    if result.legacy:
        w(
            f"Đã chuyển phông cũ {result.legacy} sang Unicode / converted legacy {result.legacy} text to Unicode\n"
        )
    w(
        "Đã nhận / mapped: "
        + (
            ", ".join(
                result.mapped
                + (["fields"] if result.fields else [])
                + (["investor"] if result.investor else [])
                + (["first_applied"] if result.first_applied else [])
                + (["agency", "agency_name_at_time"] if result.agency else [])
            )
            or "(không có / none)"
        )
        + "\n"
    )
    missing = [
        k
        for k in ("title", "problem", "solution", "novelty", "conditions", "benefits")
        if k not in result.values
    ]
    if not result.authors:
        missing.append("authors")
    if not result.fields:
        missing.append("fields")
    if not result.first_applied:
        missing.append("first_applied")
    if not result.agency:
        missing.append("agency")
    w(
        "Chưa có, cần bổ sung / not found, to fill in: "
        + (", ".join([*missing, "summary", "solution_types", "metrics"]))
        + "\n"
    )
    if result.dropped:
        w("Không đưa vào bản nháp / left out of the draft:\n")
        for d in result.dropped:
            w(f"  - {d}\n")
    for n in result.notes:
        w(f"Lưu ý / note: {n}\n")
    for u in result.unmapped[:10]:
        w(f"Không nhận ra / not recognised: {u}\n")
    return 0
