"""What a writer receives: the report's document (blocks and tables) and its JSON data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.reports.document import ReportDocument


@dataclass(frozen=True)
class ReportBundle:
    """`kind` is "report" (periodic report) or "candidates" (provincial-scope candidates)."""

    kind: str
    document: ReportDocument
    data: dict[str, Any]
