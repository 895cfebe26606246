"""Is the cost of a record linear in its size, whatever its Markdown holds?

    .venv/bin/python benchmarks/adversarial_bench.py [--sizes 2500 5000 10000 20000]
                                                     [--repeat 3] [--unguarded]

For each kind of hostile Markdown field, at each size (1x, 2x, 4x, 8x; 20,000 characters is
the schema's limit for a prose field), it writes a record with that field into a scratch copy
of `tests/cases/base` and prints:

* `validate`: seconds for `check_registry` on that small registry (schema, rules, content
  warnings and the Markdown limits SK430-SK433), and the codes it gives;
* `render`: seconds to render the record's page (`initiative_article`: every Markdown field
  through Python-Markdown, or through the plain-text guard when the field is over a limit),
  and microseconds per character of the field, which stays flat when the cost is linear.

Part 1 ("accepted") gives each kind at the densest that `validate` still accepts: 10 unclosed `[`
in one block, lists nested 8 deep, 50 definition lines per block, 100 abbreviations... Part 2
("refused") gives the raw hostile input: `validate` refuses it (the codes are printed) and the
renderer's guard shows it as text. `--unguarded` also times Python-Markdown itself on the
refused inputs at the two smallest sizes (what a build did before the limits; slow), and
`--pandoc` the CPU seconds of pandoc making a DOCX of the field (the documents step of the
build; refused inputs at the smallest size only, 30 s at most).
Times are CPU seconds of this process (`time.process_time`: everything runs in it, and CPU
time is the steadier figure on a shared machine), the median of `--repeat` runs. Figures: benchmarks/README.md, "Adversarial input".
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from generator.config import load_settings  # noqa: E402
from generator.model import initiative_from_dict  # noqa: E402
from generator.render.initiative import initiative_article  # noqa: E402
from generator.render.markdown_safe import safe_markdown  # noqa: E402
from generator.render.prose import HtmlPage  # noqa: E402
from generator.validate.check import check_registry  # noqa: E402

BASE = ROOT / "tests" / "cases" / "base"
RECORD = "registry/initiatives/2024/QNG-2024-0002.yml"
PROSE = "Người dân phải hỏi nhiều lần mới biết cần chuẩn bị giấy tờ gì. "


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _blocks(block: str, n: int) -> str:
    """`block` repeated, a blank line between, up to about `n` characters."""
    count = max(1, n // (len(block) + 2))
    return "\n\n".join([block] * count)


def _nested_list(depth: int) -> str:
    return "\n".join("    " * i + f"- cấp {i + 1}" for i in range(depth))


# Part 1: each kind at the densest validate accepts.
ACCEPTED: dict[str, Callable[[int], str]] = {
    "plain prose": lambda n: _fill(PROSE, n),
    "links, all closed": lambda n: _fill("Xem [hướng dẫn](https://dichvucong.gov.vn/p/123) ", n),
    "nested [[x]]": lambda n: _fill("[[mục] con] ", n),
    "2 unclosed [, one block": lambda n: "[[" + _fill(PROSE, n - 2),
    "2 [^ per block": lambda n: _blocks("[^[^" + _fill(PROSE, 300), n),
    "10 [x]( per block": lambda n: _blocks("[mục](" * 10 + _fill(PROSE, 300), n),
    "lists 8 deep": lambda n: _blocks(_nested_list(8), n),
    "quotes 8 deep": lambda n: _fill("> > > > > > > > trích\n", n),
    "50 definitions per block": lambda n: _blocks("Thuật ngữ\n" + ": nghĩa\n" * 49 + ": nghĩa", n),
    "50 headings per block": lambda n: _blocks("\n".join(["# mục"] * 50), n),
    "headings, blank lines": lambda n: _fill("# mục\n\n", n),
    "100 abbreviations": lambda n: (
        "\n\n".join(f"*[VT{i}]: viết tắt {i}" for i in range(100))
        + "\n\n"
        + _fill("VT1 VT2 VT50 chữ ", n - 2_500)
    ),
    "emphasis markers": lambda n: _fill("*a _b **c __d ", n),
    "* run": lambda n: "*" * n,
    "16-backtick runs": lambda n: _fill("`" * 16 + "mã ", n),
    "a < b, KH&CN (400-char blocks)": lambda n: _blocks(
        _fill("thời gian < 5 ngày, Sở KH&CN và KH&ĐT; ", 400), n
    ),
    "table 1,000 columns": lambda n: _blocks(
        "|".join(["a"] * 1000) + "\n" + "|".join(["-"] * 1000) + "\n" + "|".join(["b"] * 1000),
        n,
    ),
}

# Part 2: the raw hostile input.
REFUSED: dict[str, Callable[[int], str]] = {
    "[ run": lambda n: "[" * n,
    "[^ run": lambda n: "[^" * (n // 2),
    "[x]( run": lambda n: "[mục](" * (n // 6),
    "- - - nested lists": lambda n: "- " * (n // 2) + "x",
    "indented lists": lambda n: _nested_list(max(9, int((n / 2) ** 0.5))),
    ": definitions": lambda n: "Thuật ngữ\n" + ": nghĩa\n" * (n // 8),
    "# headings": lambda n: "# mục\n" * (n // 6),
    "` run": lambda n: "`" * n,
    "< run": lambda n: "<" * n,
    "&a run": lambda n: "&a" * (n // 2),
    "abbreviations": lambda n: "\n\n".join(f"*[V{i}]: x" for i in range(n // 12)),
}


def _record(field_text: str) -> dict:
    data = yaml.safe_load((BASE / "registry/initiatives/2024/QNG-2024-0001.yml").read_text("utf-8"))
    data["id"] = "QNG-2024-0002"
    data["title"] = "Sổ tay điện tử hướng dẫn hồ sơ đất đai"
    data["solution"] = field_text
    return data


def _median(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), result


def measure(project: Path, text: str, repeat: int) -> tuple[float, list[str], float]:
    """(validate seconds, the codes it gives for the record, render seconds)."""
    data = _record(text)
    (project / RECORD).write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8"
    )
    settings = load_settings(project, registry="registry")
    t_validate, result = _median(lambda: check_registry(settings, jobs=1), repeat)
    codes = sorted({d.code for d in result.diagnostics if d.file == RECORD})  # type: ignore[attr-defined]
    registry = result.registry  # type: ignore[attr-defined]
    # The page as an unvalidated build would render it: the record as written, no checks.
    ini = initiative_from_dict(data, RECORD)
    t_render, _ = _median(lambda: initiative_article(ini, registry, settings), repeat)
    return t_validate, codes, t_render


def pandoc_seconds(text: str, timeout: float = 60) -> str:
    """CPU seconds of pandoc making a DOCX of the field, as the documents step reads it."""
    import pypandoc

    from generator.documents.convert import READER

    before = os.times()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [pypandoc.get_pandoc_path(), "--sandbox", "-f", READER, "-t", "docx",
                 "-o", str(Path(tmp) / "x.docx")],
                input=safe_markdown(text), text=True, timeout=timeout, check=True,
                capture_output=True,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return f"> {timeout:.0f} s (wall)"
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return f"{cpu:.2f}"


def unguarded(text: str) -> str:
    """Python-Markdown on the field, past the guard (seconds, or the exception)."""
    import generator.render.prose as prose

    saved = prose.too_costly
    prose.too_costly = lambda _text: False
    try:
        t0 = time.process_time()
        HtmlPage("sang-kien/x.md").markdown(safe_markdown(text), 3)
        return f"{time.process_time() - t0:.2f} s"
    except RecursionError:
        return "RecursionError"
    finally:
        prose.too_costly = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_500, 5_000, 10_000, 20_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--unguarded", action="store_true")
    parser.add_argument("--only", default="", help="only the kinds whose name holds this")
    parser.add_argument(
        "--pandoc", action="store_true", help="also time pandoc's DOCX (the documents step)"
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(BASE, project)
        for title, kinds in (("accepted", ACCEPTED), ("refused", REFUSED)):
            print(f"\n## {title}\n")
            header = "| kind | chars | validate s | codes | render s | render µs/char |"
            if title == "refused" and args.unguarded:
                header += " Python-Markdown unguarded |"
            if args.pandoc:
                header += " pandoc DOCX s |"
            print(header)
            print("|" + "---|" * header.count(" |"))
            for name, make in kinds.items():
                if args.only not in name:
                    continue
                for i, size in enumerate(args.sizes):
                    text = make(size)
                    t_val, codes, t_render = measure(project, text, args.repeat)
                    row = (
                        f"| {name} | {len(text):,} | {t_val:.3f} | {', '.join(codes) or '—'} | "
                        f"{t_render:.3f} | {t_render / len(text) * 1e6:.1f} |"
                    )
                    if title == "refused" and args.unguarded:
                        row += f" {unguarded(text) if i < 2 else ''} |"
                    if args.pandoc:
                        # Refused inputs: only the smallest size (minutes beyond).
                        small = title == "accepted" or i == 0
                        row += f" {pandoc_seconds(text, 30) if small else ''} |"
                    print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
