"""How much of a Word application form lands in the right record field?

    .venv/bin/python benchmarks/import_bench.py [--keep DIR]

Builds the sample forms of benchmarks/import_forms.py (inline labels, bullets, a table,
numbered headings with two authors, text retyped from a scan, a "Bản mô tả") with
python-docx, imports each with the bundled registry (`parse_docx`, what `sangkien import`
runs) and prints, per form, the share of the form's fields mapped to the right place and the
fields that were not. Target: at least 80% on each form (tests/documents/test_import_accuracy.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_forms import FORMS, score  # noqa: E402

from generator.config import load_settings  # noqa: E402
from generator.documents.importer import parse_docx  # noqa: E402
from generator.validate.check import check_registry  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", metavar="DIR", help="write the sample .docx files here")
    args = ap.parse_args()
    registry = check_registry(load_settings(ROOT)).registry
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.keep or tmp)
        where.mkdir(parents=True, exist_ok=True)
        print(f"{'form':<24} {'right':>7} {'share':>7}  wrong or missing")
        worst = 1.0
        for name, (build, expected) in FORMS.items():
            path = where / f"{name}.docx"
            build(path)
            marks = score(parse_docx(path, registry), expected)
            share = sum(marks.values()) / len(marks)
            worst = min(worst, share)
            wrong = ", ".join(k for k, ok in marks.items() if not ok) or "-"
            print(f"{name:<24} {sum(marks.values()):>3}/{len(marks):<3} {share:>6.0%}  {wrong}")
    print(f"lowest share: {worst:.0%} (target >= 80%)")
    return 0 if worst >= 0.8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
