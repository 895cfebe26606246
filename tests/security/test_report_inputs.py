"""`sangkien report`: extreme dates are a clean result or a clear message, and the CSV never
hands a spreadsheet a formula (one rule, shared with the site's CSV export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render.api import cell_text
from generator.reports.to_csv import _value
from generator.text.spreadsheet import neutralise_formula


@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory, make_registry: Callable[[Path], Path]
) -> Path:
    root = make_registry(tmp_path_factory.mktemp("report-inputs"))
    # A record whose title starts with a TAB, then a formula: Excel would run it.
    path = root / "registry" / "initiatives" / "2024" / "QNG-2024-0001.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        'title: "\\t=HYPERLINK(\\"http://example.invalid\\";\\"x\\")"\n'
        if ln.startswith("title: ")
        else ln
        for ln in lines
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "0001-01-01"],
        ["--from", "01/01/0001"],
        ["--from", "0001-01-01", "--to", "0001-12-31"],
        ["--from", "1899-12-31", "--to", "2024-12-31"],
        ["--from", "2024-01-01", "--to", "10000-01-01"],
    ],
)
def test_dates_out_of_range_are_a_clear_error(project: Path, run_cli, args: list[str]) -> None:
    code, out, err = run_cli("report", *args, cwd=project)
    assert code == 1, out + err
    assert "lỗi nội bộ" not in err and "internal error" not in err and "Traceback" not in err
    assert "--from" in err or "--to" in err
    assert not out


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "1900-01-01", "--to", "9999-12-31", "--format", "csv"],
        ["--from", "1900-01-01", "--format", "json"],
        ["--from", "9999-12-31", "--to", "9999-12-31"],
        ["--from", "01/01/1900", "--to", "31/12/9999"],
        ["--year", "1900"],
    ],
)
def test_extreme_dates_in_range_give_a_report(project: Path, run_cli, args: list[str]) -> None:
    code, out, err = run_cli("report", *args, cwd=project)
    assert code == 0, err
    assert out.strip()
    assert "Traceback" not in err


def test_report_csv_neutralises_formula_cells(project: Path, run_cli) -> None:
    code, out, err = run_cli(
        "report", "--from", "2019-01-01", "--to", "2025-12-31", "--format", "csv", cwd=project
    )
    assert code == 0, err
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    hostile = [c for c in cells if "HYPERLINK" in c]
    assert hostile, "the record is in the report"
    assert all(c.startswith("'") for c in hostile), hostile
    # No cell of the report begins with what a spreadsheet runs.
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_one_rule_for_every_csv(text: str) -> None:
    assert neutralise_formula(text) == "'" + text
    assert cell_text(text) == "'" + text  # the site's CSV export
    assert _value(text) == "'" + text  # the report's CSV
    assert _value(-1) == "-1" and _value(2.5) == "2.5"  # numbers stay numbers
