"""JSON writer: the report's contract data (see generator.reports.figures.to_json)."""

from __future__ import annotations

import json

from generator.reports.bundle import ReportBundle


def dumps(data: object) -> str:
    """Stable JSON text: UTF-8 (not \\u escapes), 2-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(bundle: ReportBundle) -> bytes:
    return dumps(bundle.data).encode("utf-8")
