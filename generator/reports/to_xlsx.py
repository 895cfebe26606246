"""XLSX writer: one sheet per table, real numbers and dates, frozen header row, filters.

The Department pivots these sheets, so cells keep their types (dates are Excel dates shown
dd/mm/yyyy, counts are integers) and every sheet starts with its header row at A1.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from generator.reports.bundle import ReportBundle
from generator.reports.tables import SHEET_NAMES, Table

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
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
    """A workbook with one sheet per table (write-only mode: fast and lean on big annexes)."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(sheet_name(table, used))
        # Sheet settings must be set before the first row is written in write-only mode.
        for i, col in enumerate(table.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(
                10, min(60, round(col.width * 11))
            )
        ws.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
        header = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, col.label)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
            header.append(cell)
        ws.append(header)
        formats = [_FORMATS.get(c.kind) for c in table.columns]
        for row in table.rows:
            cells: list[object] = []
            for value, fmt in zip(row, formats, strict=True):
                if isinstance(value, str) and value == "":
                    cells.append(None)
                elif isinstance(value, str) and value.startswith("="):
                    # Record text arrives by pull request: never let it become a formula.
                    cell = WriteOnlyCell(ws, value)
                    cell.data_type = "s"
                    cells.append(cell)
                elif fmt and isinstance(value, int | float | date):
                    cell = WriteOnlyCell(ws, value)
                    cell.number_format = fmt
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
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
