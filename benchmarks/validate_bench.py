"""How fast is `sangkien validate` on a large registry, next to check-jsonschema?

    .venv/bin/python benchmarks/validate_bench.py                  # 10,000 initiatives
    .venv/bin/python benchmarks/validate_bench.py --count 2000 --skip-check-jsonschema
    .venv/bin/python benchmarks/validate_bench.py --dir /tmp/reg10k  # reuse a generated registry

Generates a deterministic synthetic registry with benchmarks/synth.py (unless `--dir` already
holds one of the right size), then times, each as a separate process:

1. `sangkien validate --registry DIR/registry --format json` - JSON Schema, every cross-file
   rule and the content warnings, on all files;
2. `check-jsonschema --schemafile schema/initiative.schema.json <every initiative file>` - the
   JSON Schema alone, for comparison.

For each it prints the wall time and the peak memory of the whole process tree (the validator
runs worker processes; their resident sizes are sampled from /proc and summed). Targets
(issue 2): 10,000 initiatives in < 5 s on 2 cores, >= 10x faster than check-jsonschema, peak
memory < 500 MB. The figures depend on the machine *and on its load*: the script prints the
load average next to them, so a busy machine is visible in the record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_SECONDS = 5.0
TARGET_SPEEDUP = 10.0
TARGET_MB = 500.0
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    status: int
    stdout: str


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(_children(p))
    return total


def measure(name: str, argv: list[str], cwd: Path) -> Run:
    """Run `argv`, sampling the process tree's memory every 10 ms until it exits."""
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the whole tree (workers are waited for by their parent, so they count too):
    # unlike wall time it barely moves when other jobs share the machine.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"{name} failed ({proc.returncode}):\n{stderr[-2000:]}\n")
    return Run(name, seconds, cpu, peak / 1e6, proc.returncode, stdout)


def ensure_registry(base: Path, count: int, seed: int) -> Path:
    """DIR/registry with `count` synthetic initiatives, generated unless already there."""
    registry = base / "registry"
    existing = list(registry.glob("initiatives/*/*.yml"))
    if len(existing) == count:
        print(f"dùng lại / reusing {registry} ({count} initiatives)")
        return registry
    from synth import generate

    start = time.perf_counter()
    generate(registry, count, seed, overwrite=True)
    print(
        f"đã sinh / generated {count} initiatives in {time.perf_counter() - start:.1f} s -> {registry}"
    )
    return registry


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPU ({cpu}); load average {load}; Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) the registry, time both validators, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="initiatives (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="synth seed (default 1)")
    parser.add_argument(
        "--dir", type=Path, help="work folder to keep/reuse (default: a temporary one)"
    )
    parser.add_argument(
        "--jobs", type=int, help="worker processes for sangkien validate (default: all cores)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of sangkien validate; the best is kept"
    )
    parser.add_argument(
        "--skip-check-jsonschema", action="store_true", help="do not run check-jsonschema"
    )
    args = parser.parse_args(argv)

    tmp = None
    if args.dir is None:
        tmp = tempfile.mkdtemp(prefix="sangkien-bench-")
        args.dir = Path(tmp)
    try:
        registry = ensure_registry(args.dir, args.count, args.seed)
        files = sorted(registry.glob("initiatives/*/*.yml"))
        size = sum(f.stat().st_size for f in files)
        print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {machine()}")
        print(
            f"{len(files)} initiative files, {size / 1e6:.1f} MB, {size / len(files) / 1e3:.1f} KB each on average"
        )

        cmd = [
            sys.executable,
            "-m",
            "generator",
            "validate",
            "--registry",
            str(registry),
            "--format",
            "json",
        ]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        runs = [measure("sangkien validate", cmd, ROOT) for _ in range(args.repeat)]
        ours = min(runs, key=lambda r: r.seconds)
        summary = json.loads(ours.stdout)["summary"] if ours.stdout.strip().startswith("{") else {}
        print(
            f"sangkien validate:  {ours.seconds:6.2f} s wall  {ours.cpu_seconds:6.2f} s CPU  "
            f"peak {ours.peak_mb:4.0f} MB  exit {ours.status}  "
            f"({summary.get('files', '?')} files, {summary.get('errors', '?')} errors, "
            f"{summary.get('warnings', '?')} warnings)"
            + (
                f"  [runs: {', '.join(f'{r.seconds:.2f}' for r in runs)} s]"
                if len(runs) > 1
                else ""
            )
        )
        ok = ours.seconds < TARGET_SECONDS and ours.peak_mb < TARGET_MB and ours.status in (0, 1)

        if not args.skip_check_jsonschema:
            exe = shutil.which(
                "check-jsonschema", path=str(Path(sys.executable).parent)
            ) or shutil.which("check-jsonschema")
            if exe is None:
                print("check-jsonschema: not installed (pip install -e '.[test]')")
            else:
                rel = [f.relative_to(registry).as_posix() for f in files]
                theirs = measure(
                    "check-jsonschema",
                    [exe, "--schemafile", str(ROOT / "schema" / "initiative.schema.json"), *rel],
                    registry,
                )
                speedup = theirs.seconds / ours.seconds
                print(
                    f"check-jsonschema:   {theirs.seconds:6.2f} s wall  {theirs.cpu_seconds:6.2f} s CPU  "
                    f"peak {theirs.peak_mb:4.0f} MB  exit {theirs.status}"
                )
                cpu_ratio = theirs.cpu_seconds / max(ours.cpu_seconds, 1e-9)
                print(
                    f"speed-up: {speedup:.1f}x wall, {cpu_ratio:.1f}x CPU "
                    f"(target >= {TARGET_SPEEDUP:.0f}x)"
                )
                ok = ok and speedup >= TARGET_SPEEDUP
        verdict = "ĐẠT / MET" if ok else "CHƯA ĐẠT / NOT MET"
        print(
            f"targets (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB, >= {TARGET_SPEEDUP:.0f}x): {verdict}"
        )
        return 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
