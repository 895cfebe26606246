"""How long do the contributor paths take on a large registry?

    .venv/bin/python benchmarks/contrib_bench.py                 # 10,000 initiatives
    .venv/bin/python benchmarks/contrib_bench.py --count 2000 --dir /tmp/reg2k

Generates a deterministic synthetic registry with benchmarks/synth.py (unless `--dir` already
holds one), then times:

1. `sangkien new --no-input ...` as a child process, end to end: reading the agency and field
   lists, allocating the next free id, writing the commented file and validating it against
   the whole registry (what a contributor waits for);
2. `sangkien from-issue BODY.md` the same way, from a rendered issue form;
3. in-process: the next free id of the busiest year, the issue form and the web form page
   (schema-derived form, choices, next ids), each the median of 5 runs.

The new files are removed afterwards, so the registry can be reused. Figures depend on the
machine and its load; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from synth import generate  # noqa: E402

from generator.config import load_settings  # noqa: E402
from generator.contrib.issue import issue_form  # noqa: E402
from generator.contrib.record import initiative_schema, load_choices, next_free_id  # noqa: E402
from generator.contrib.site import page_markdown  # noqa: E402
from generator.validate.check import check_registry  # noqa: E402

ISSUE = """### Tên sáng kiến

Tổ tư vấn pháp luật lưu động tại thôn

### Năm

2025

### Cơ quan chủ quản

{agency} [{agency_id}]

### Loại giải pháp

Giải pháp tác nghiệp [tac-nghiep]

### Lĩnh vực

{field} [{field_id}]

### Tác giả

Trần Thị Mai, Công chức

### Tóm tắt

Tổ tư vấn đến từng thôn.

### Thực trạng và hạn chế

Người dân ở xa.

### Nội dung giải pháp

Đến từng thôn.
"""


def _median(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _child(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"sangkien {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed, proc.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, help="project folder to (re)use; registry/ goes inside")
    args = ap.parse_args()
    project = args.dir or Path(tempfile.mkdtemp(prefix="sangkien-contrib-bench-"))
    registry = project / "registry"
    if not (registry / "initiatives").is_dir():
        generate(registry, args.count)
    settings = load_settings(project, schema_dir=str(ROOT / "schema"))
    n = sum(1 for _ in (registry / "initiatives").glob("*/*.yml"))
    choices = load_choices(settings)
    agency_id = sorted(a for a, ag in choices.agencies.items() if not ag.ceased)[0]
    field_id = sorted(choices.fields)[0]
    env_args = ["--registry", str(registry)]

    new_s, new_path = _child(
        [
            "new",
            *env_args,
            "--no-input",
            "--title",
            "Sáng kiến đo thời gian",
            "--agency",
            agency_id,
            "--field",
            field_id,
            "--type",
            "quan-ly",
            "--author",
            "Lê Văn Tâm",
            "--year",
            "2025",
        ],
        project,
    )
    body = project / "issue.md"
    body.write_text(
        ISSUE.format(
            agency=choices.agencies[agency_id].name,
            agency_id=agency_id,
            field=choices.fields[field_id].name,
            field_id=field_id,
        ),
        encoding="utf-8",
    )
    try:
        issue_s, issue_path = _child(["from-issue", *env_args, str(body)], project)
    finally:
        Path(new_path).unlink(missing_ok=True)
        body.unlink(missing_ok=True)
    Path(issue_path).unlink(missing_ok=True)

    years = {}
    for p in (registry / "initiatives").iterdir():
        years[p.name] = sum(1 for _ in p.glob("*.yml"))
    busiest = int(max(years, key=years.get))
    schema = initiative_schema(settings)
    full = check_registry(settings).registry
    id_s = _median(lambda: next_free_id(settings, busiest))
    choices_s = _median(lambda: load_choices(settings))
    issue_form_s = _median(lambda: issue_form(schema, choices, settings))
    page_s = _median(lambda: page_markdown(full, settings))

    print(f"registry: {n} initiatives, {len(choices.agencies)} agencies ({project})")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; CPUs: {os.cpu_count()}")
    print(f"sangkien new --no-input (child process, validates)   {new_s:7.2f} s")
    print(f"sangkien from-issue (child process, validates)       {issue_s:7.2f} s")
    print(
        f"next free id, busiest year ({busiest}: {years[str(busiest)]} files)  {id_s * 1000:7.1f} ms"
    )
    print(f"agency and field choices                             {choices_s * 1000:7.1f} ms")
    print(f"issue form YAML                                      {issue_form_s * 1000:7.1f} ms")
    print(f"web form page (de-xuat.md)                           {page_s * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
