"""XLSX writer: one sheet per table, real numbers and dates, frozen header row, filters.

The Department pivots these sheets, so cells keep their types (dates are Excel dates shown
dd/mm/yyyy, counts are integers) and every sheet starts with its header row at A1.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from generator.reports.bundle import ReportBundle
from generator.reports.tables import SHEET_NAMES, Table

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_FORMATS = {"int": "#,##0", "float": "#,##0.##", "date": "DD/MM/YYYY"}
# Sheet names: at most 31 characters, none of []:*?/\ .
_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(table: Table, used: set[str]) -> str:
    base = SHEET_NAMES.get(table.key) or table.title.split(":")[0].translate(_BAD).strip()[:31]
    base = base or table.key[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def tables_workbook(tables: list[Table] | tuple[Table, ...], title: str = "") -> Workbook:
    """A workbook with one sheet per table."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(sheet_name(table, used))
        ws.append([c.label for c in table.columns])
        for cell in ws[1]:
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in table.rows:
            ws.append([v if not (isinstance(v, str) and v == "") else None for v in row])
        for i, col in enumerate(table.columns, 1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(10, min(60, round(col.width * 11)))
            fmt = _FORMATS.get(col.kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    if isinstance(cell.value, int | float | date):
                        cell.number_format = fmt
        ws.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
    if title:
        wb.properties.title = title
    wb.properties.creator = "sangkien"
    return wb


def write_xlsx(bundle: ReportBundle) -> bytes:
    doc = bundle.document
    wb = tables_workbook(doc.tables, title=f"{doc.title} {doc.subtitle}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
