"""CSV writer: every table of the report in one long table, ready for a pivot table.

Columns: `bang` (table key), `dong` (row number in that table), then one column per distinct
column key across tables. A spreadsheet filtered on `bang` shows each table as it is printed.
Numbers are written without thousands separators and dates in ISO form so that spreadsheet
software reads them as numbers and dates. UTF-8 with a byte-order mark, for Excel.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from generator.reports.bundle import ReportBundle
from generator.reports.tables import Table
from generator.text.spreadsheet import neutralise_formula


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 6))
    if isinstance(value, int):
        return str(value)
    # Record text arrives by pull request: the rule shared with the site's CSV export.
    return str(neutralise_formula(str(value)))


def tables_csv(tables: list[Table] | tuple[Table, ...]) -> str:
    """Flatten tables into one CSV text (see module docstring)."""
    columns: list[str] = []
    for t in tables:
        for c in t.columns:
            if c.key not in columns:
                columns.append(c.key)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["bang", "dong", *columns])
    for t in tables:
        index = {c.key: i for i, c in enumerate(t.columns)}
        for n, row in enumerate(t.rows, 1):
            w.writerow([t.key, n, *(_value(row[index[k]]) if k in index else "" for k in columns)])
    return buf.getvalue()


def write_csv(bundle: ReportBundle) -> bytes:
    doc = bundle.document
    tables = list(doc.tables)
    return ("\ufeff" + tables_csv(tables)).encode("utf-8")
