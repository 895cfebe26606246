"""The reports layer's entry points: a bundle for a period or for the candidates list."""

from __future__ import annotations

from datetime import date

from generator.config import Settings
from generator.model import Registry
from generator.reports.bundle import ReportBundle
from generator.reports.criteria import candidates_json, find_candidates
from generator.reports.document import build_candidates, build_report
from generator.reports.figures import compute_for_settings, to_json
from generator.reports.labels import Labels


def period_report(
    registry: Registry,
    settings: Settings,
    period_from: date,
    period_to: date,
    agency: str | None = None,
    rollup: bool = True,
) -> ReportBundle:
    """Compute the figures of a period and build the document every writer formats."""
    data = compute_for_settings(registry, settings, period_from, period_to, agency, rollup)
    doc = build_report(data, registry, settings, Labels(settings.schema_path))
    return ReportBundle("report", doc, to_json(data))


def candidates_report(registry: Registry, settings: Settings, as_of: date) -> ReportBundle:
    """The provincial-scope candidates as of a date, with the criteria from Settings."""
    result = find_candidates(registry, as_of, settings.candidate_criteria)
    doc = build_candidates(result, registry, settings)
    return ReportBundle("candidates", doc, candidates_json(result, registry))
