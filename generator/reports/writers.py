"""One name -> writer table for report formats; drives the CLI's --format choices."""

from __future__ import annotations

from collections.abc import Callable

from generator.reports.bundle import ReportBundle
from generator.reports.to_csv import write_csv
from generator.reports.to_docx import write_docx
from generator.reports.to_json import write_json
from generator.reports.to_md import write_md
from generator.reports.to_xlsx import write_xlsx

Writer = Callable[[ReportBundle], bytes]

WRITER_BY_FORMAT: dict[str, Writer] = {
    "md": write_md,
    "docx": write_docx,
    "xlsx": write_xlsx,
    "csv": write_csv,
    "json": write_json,
}
# Formats that are text and may go to standard output when no -o is given.
TEXT_FORMATS = frozenset({"md", "csv", "json"})
