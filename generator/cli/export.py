"""`sangkien export`: a replication guide or an official form of one record, as a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import fsio
from generator.cli import UsageError, add_project
from generator.cli.common import protected_folders, refuse_message, settings_from_args
from generator.diagnostics import Diagnostic

NAME = "export"
HELP = "xuất hướng dẫn nhân rộng, biểu mẫu / export replication guides and forms"
DESCRIPTION = (
    "Xuất tài liệu của một sáng kiến theo thể thức Nghị định 30/2020/NĐ-CP.\n"
    "Export one initiative's documents in the Decree 30/2020 layout.\n\n"
    "  sangkien export guide QNG-2024-0007 --format pdf -o huong-dan.pdf\n"
    "  sangkien export form QNG-2024-0007 --kind don --format docx -o don.docx\n"
    "  sangkien export form --blank --kind mo-ta --format pdf -o mau-mo-ta.pdf\n\n"
    "Không ghi đè tệp đã có (dùng --force) / never overwrites a file (use --force)."
)
GUIDE_FORMATS = ("docx", "pdf", "md", "html")
FORM_FORMATS = ("docx", "pdf", "md", "html")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "what",
        choices=("guide", "form"),
        help="guide = hướng dẫn nhân rộng / replication guide; form = biểu mẫu / official form",
    )
    p.add_argument(
        "id", nargs="?", metavar="ID", help="mã sáng kiến / initiative id, e.g. QNG-2024-0007"
    )
    p.add_argument(
        "--format",
        dest="fmt",
        choices=GUIDE_FORMATS,
        default="docx",
        help="định dạng / format (mặc định / default: docx)",
    )
    p.add_argument(
        "--kind",
        choices=("don", "mo-ta"),
        help="loại biểu mẫu / form kind: don = đơn yêu cầu công nhận, mo-ta = bản mô tả sáng kiến",
    )
    p.add_argument("--blank", action="store_true", help="biểu mẫu trống / blank form")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="tệp kết quả / output file"
    )
    p.add_argument("--force", action="store_true", help="cho phép ghi đè / allow overwriting FILE")
    add_project(p)


def _fail(message_vi: str, message_en: str) -> int:
    sys.stderr.write(f"sangkien export: lỗi: {message_vi}\nsangkien export: error: {message_en}\n")
    return 1


def run(args: argparse.Namespace) -> int:
    if args.what == "guide" and (args.kind or args.blank):
        raise UsageError("--kind/--blank chỉ dùng với `form` / only apply to `form`")
    if args.what == "form" and not args.kind:
        raise UsageError("cần --kind don|mo-ta / --kind don|mo-ta is required")
    if args.blank and args.id:
        raise UsageError("--blank không đi kèm mã sáng kiến / --blank takes no ID")
    if not args.blank and not args.id:
        raise UsageError("cần mã sáng kiến (hoặc --blank) / an ID is required (or --blank)")
    out = Path(args.output)
    settings = settings_from_args(args)
    try:
        # An output path that cannot be written is bad input (exit 1), as for `report`.
        # The document writers check again as they rename the finished file into place.
        fsio.check_target(out, force=args.force, protect=protected_folders(settings))
    except fsio.WriteRefused as exc:
        sys.stderr.write(refuse_message(NAME, exc))
        return 1

    # Imported here so that `sangkien --help` stays fast and needs no pandoc.
    from generator.documents.convert import ConversionError
    from generator.documents.export import export_form, export_guide
    from generator.documents.fonts import FontError

    registry = None
    ini = None
    if not args.blank:
        if not settings.registry_path.is_dir():
            raise UsageError(
                f"không có thư mục sổ đăng ký / no registry folder: {settings.registry_path}"
            )
        from generator.validate.check import check_registry

        registry = check_registry(settings).registry
        ident = args.id.strip().upper()
        ini = registry.initiatives.get(ident) if registry else None
        if ini is None:
            return _fail(
                f"không có sáng kiến mã {args.id} trong {settings.registry_path} (hoặc hồ sơ không đọc được)",
                f"no initiative {args.id} in {settings.registry_path} (or its record could not be read)",
            )

    def warn(d: Diagnostic) -> None:
        # One located line per thing the document filter left out (never a silent change).
        line, col = max(d.line, 1), max(d.col, 1)
        for lang, word in (("vi", "cảnh báo"), ("en", "warning")):
            sys.stderr.write(f"{d.file}:{line}:{col}: {d.code} {word}: {d.message(lang)}\n")

    try:
        if args.what == "guide":
            assert ini is not None and registry is not None
            export_guide(ini, registry, settings, args.fmt, out, on_warning=warn)
        else:
            export_form(args.kind, ini, registry, settings, args.fmt, out, on_warning=warn)
    except fsio.WriteRefused as exc:
        sys.stderr.write(refuse_message(NAME, exc))
        return 1
    except (ConversionError, FontError) as exc:
        return _fail(str(exc), "could not write the document (see above)")
    sys.stdout.write(f"Đã ghi / written: {out}\n")
    return 0
