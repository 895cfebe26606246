"""Time producing every replication guide (DOCX + PDF) for 1,000 records, cold and warm.

    .venv/bin/python benchmarks/guides_bench.py [--count 1000] [--work DIR] [--touch 10]

Generates a synthetic registry with benchmarks/synth.py (once; reused from --work), then runs
the site's document step for the guides only (`generator.documents.site.build_documents`):

* cold  - empty document cache: every guide goes through pandoc (DOCX) and pandoc + typst (PDF);
* warm  - nothing changed: every guide is taken from the content-hash cache;
* edit  - `--touch` records edited: only their guides are converted again.

Prints wall-clock seconds, CPU seconds (this process and its pandoc children), documents per
second and the peak memory of the process. CPU seconds are the better figure on a shared
machine, where wall-clock time depends on the load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth import generate

from generator.config import load_settings
from generator.documents.site import build_documents, cache_dir, jobs
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _run(label: str, registry, settings, out: Path) -> dict[str, float]:
    todo = [j for j in jobs(registry, settings) if j.site_path.startswith("tai-lieu/huong-dan/")]
    wall, cpu = time.perf_counter(), _cpu()
    _written, stats = build_documents(registry, settings, out, todo)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    row = {"docs": len(todo), "wall": wall, "cpu": cpu, **stats}
    print(
        f"{label:<6} {len(todo):>6} docs  {wall:8.1f} s wall  {cpu:8.1f} s cpu  "
        f"{stats['converted']:>6} converted  {stats['cached']:>6} cached  "
        f"{len(todo) / wall:7.1f} docs/s"
    )
    return row


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=None, help="folder kept between runs")
    ap.add_argument("--touch", type=int, default=10, help="records to edit for the 'edit' run")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sangkien-guides-"))
    project = work / f"synth-{args.count}"
    reg = project / "registry"
    if not (reg / "initiatives").is_dir() or not any((reg / "initiatives").iterdir()):
        t = time.perf_counter()
        generate(reg, args.count, 1)
        print(f"generated {args.count} records in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    settings = load_settings(ROOT).with_(
        project_dir=str(project), registry_dir="registry", today=date(2026, 11, 26)
    )
    registry = check_registry(settings).registry
    print(
        f"{len(registry.initiatives)} records, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    shutil.rmtree(cache_dir(settings), ignore_errors=True)
    out = project / "site"
    shutil.rmtree(out, ignore_errors=True)
    _run("cold", registry, settings, out)
    _run("warm", registry, settings, out)
    # Edit a few records in memory (a changed title is a changed guide) and rebuild.
    from dataclasses import replace

    for ident in sorted(registry.initiatives)[: args.touch]:
        ini = registry.initiatives[ident]
        registry.initiatives[ident] = replace(ini, title=ini.title + " (sửa)")
    _run("edit", registry, settings, out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB (this process; pandoc runs as child processes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
