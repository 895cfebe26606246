"""`sangkien import FILE.docx [-o PATH]`: a Word application or description -> draft YAML."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from generator.cli import UsageError, add_project
from generator.cli.common import settings_from_args

NAME = "import"
HELP = (
    "nhập đơn/bản mô tả từ Word thành bản nháp YAML / import a Word application as a draft record"
)
DESCRIPTION = (
    "Đọc đơn yêu cầu công nhận hoặc bản mô tả sáng kiến (.docx), nhận các mục quen thuộc (Tên sáng kiến, "
    "Mô tả bản chất, Lợi ích thu được, bảng tác giả ...) và ghi bản nháp YAML, đánh dấu mục còn thiếu bằng # TODO.\n"
    "Read an application or description (.docx), map the usual items and write a draft YAML record whose "
    "gaps are marked with # TODO comments.\n\n"
    "Không bao giờ ghi đè tệp đã có; ngày sinh, trình độ và thông tin cần bảo mật không được nhập.\n"
    "Never overwrites a file; birth dates, qualifications and confidential information are never imported."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.docx", help="tệp Word / the Word file")
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="tệp YAML kết quả (mặc định: mã tiếp theo trong registry/initiatives/<năm>/) / output YAML (default: the next free id path)",
    )
    add_project(p)


def _err(text: str) -> int:
    sys.stderr.write(f"sangkien import: {text}\n")
    return 1


def run(args: argparse.Namespace) -> int:
    src = Path(args.file)
    if not src.is_file():
        raise UsageError(f"không tìm thấy / not found: {src}")
    from generator.documents.draft import draft_yaml, next_free_id
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
    if args.output:
        out = Path(args.output)
        stem = out.stem.upper()
        ident = (
            stem
            if stem.startswith(f"{settings.id_prefix}-") and len(stem.split("-")) == 3
            else next_free_id(settings.registry_path, settings.id_prefix, year)
        )
    else:
        ident = next_free_id(settings.registry_path, settings.id_prefix, year)
        out = settings.registry_path / "initiatives" / str(year) / f"{ident}.yml"
    if out.exists():
        return _err(f"{out} đã tồn tại, không ghi đè / {out} exists; not overwriting.")
    text = draft_yaml(result, ident, src.name, today)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        # link() fails if the target appeared meanwhile: never overwrite, even in a race.
        os.link(tmp, out)
    except FileExistsError:
        return _err(f"{out} đã tồn tại, không ghi đè / {out} exists; not overwriting.")
    finally:
        Path(tmp).unlink(missing_ok=True)

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
    w(
        "Chưa có, cần bổ sung / not found, to fill in: "
        + (", ".join([*missing, "summary", "solution_types", "agency", "metrics"]))
        + "\n"
    )
    for d in result.dropped:
        w(
            f"Bỏ qua (không đưa vào sổ đăng ký công khai) / dropped (never stored in the public registry): {d}\n"
        )
    for n in result.notes:
        w(f"Lưu ý / note: {n}\n")
    for u in result.unmapped[:10]:
        w(f"Không nhận ra / not recognised: {u}\n")
    return 0
