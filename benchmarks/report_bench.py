"""Time `sangkien report` on synthetic registries of 10,000 and 50,000 initiatives.

    .venv/bin/python benchmarks/report_bench.py [--counts 10000 50000] [--year 2024] [--work DIR]

For each size: generate the registry with benchmarks/synth.py (once; reused from --work on the
next run), then time separately loading and validating it (`check_registry`, as the CLI does),
computing the figures of one year, building the document, and writing every format (md, docx,
xlsx, csv, json). Prints one table of seconds plus the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth import generate

from generator.config import load_settings
from generator.reports.bundle import ReportBundle
from generator.reports.criteria import find_candidates
from generator.reports.document import build_report
from generator.reports.figures import compute_for_settings, to_json
from generator.reports.labels import Labels
from generator.reports.writers import WRITER_BY_FORMAT
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[1]


def _registry(work: Path, count: int) -> Path:
    project = work / f"synth-{count}"
    reg = project / "registry"
    if not (reg / "initiatives").is_dir() or not any((reg / "initiatives").iterdir()):
        start = time.perf_counter()
        generate(reg, count, 1)
        print(
            f"  generated {count} records in {time.perf_counter() - start:.1f} s", file=sys.stderr
        )
    return project


def bench(project: Path, year: int) -> dict[str, float]:
    """Seconds for each step of one report on the registry in `project`."""
    settings = load_settings(ROOT).with_(
        project_dir=str(project), registry_dir="registry", today=date(2026, 11, 26)
    )
    out: dict[str, float] = {}
    t = time.perf_counter()
    result = check_registry(settings)
    out["load+validate"] = time.perf_counter() - t
    registry = result.registry
    out["records"] = len(registry.initiatives)
    t = time.perf_counter()
    data = compute_for_settings(registry, settings, date(year, 1, 1), date(year, 12, 31))
    out["compute"] = time.perf_counter() - t
    t = time.perf_counter()
    doc = build_report(data, registry, settings, Labels(settings.schema_path))
    bundle = ReportBundle("report", doc, to_json(data))
    out["document"] = time.perf_counter() - t
    out["annex rows"] = len(doc.annex.rows) if doc.annex else 0
    for fmt, writer in WRITER_BY_FORMAT.items():
        t = time.perf_counter()
        payload = writer(bundle)
        out[f"write {fmt}"] = time.perf_counter() - t
        out[f"{fmt} KB"] = len(payload) / 1024
    t = time.perf_counter()
    find_candidates(registry, settings.today_date(), settings.candidate_criteria)
    out["candidates"] = time.perf_counter() - t
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sangkien-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    for count in args.counts:
        results[count] = bench(_registry(args.work, count), args.year)
    keys = list(next(iter(results.values())))
    print(f"{'step (s unless noted)':<22}" + "".join(f"{c:>12,}" for c in results))
    for key in keys:
        cells = []
        for count in results:
            v = results[count][key]
            cells.append(
                f"{v:>12,.0f}" if key in ("records", "annex rows") or "KB" in key else f"{v:>12.2f}"
            )
        print(f"{key:<22}" + "".join(cells))
    total = {
        c: sum(v for k, v in r.items() if k.startswith(("load", "compute", "document", "write")))
        for c, r in results.items()
    }
    print(f"{'total':<22}" + "".join(f"{total[c]:>12.2f}" for c in results))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:,.0f} MB (validation workers not included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
