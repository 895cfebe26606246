"""Real records fit: incomplete records in the style of public sources validate, build and export.

The records in `fixtures/real/initiatives/` are written the way recognition decisions and news
reports give them: one figure and no baseline, no author, a decision without a number, no
description. They are added to a copy of the bundled registry, then the commands a user runs
are checked for what they show. The schema ⇔ model test keeps generator/model.py in step with
schema/*.json, so that relaxing a field can never crash the build again.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import typing
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator import model

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(__file__).parent / "fixtures" / "real" / "initiatives"
REAL_IDS = sorted(p.stem for p in REAL.rglob("*.yml"))


# ---- schema ⇔ model -----------------------------------------------------------------------
# Model fields that are not stored data: the file a record came from and the data as loaded.
NOT_IN_SCHEMA = {"source", "raw"}


def _dataclass_of(hint: Any) -> type | None:
    """The dataclass a field holds: itself, inside `X | None`, or inside `tuple[X, ...]`."""
    if dataclasses.is_dataclass(hint):
        return hint  # type: ignore[return-value]
    for arg in typing.get_args(hint):
        found = _dataclass_of(arg)
        if found is not None:
            return found
    return None


def _is_optional(f: dataclasses.Field[Any]) -> bool:
    """Optional in the model: the field has a default (None, () or "")."""
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _walk(schema: dict[str, Any], cls: type, where: str) -> list[str]:
    """Every difference between one schema object and one dataclass, as readable lines."""
    problems = []
    hints = typing.get_type_hints(cls)
    by_name = {f.name: f for f in dataclasses.fields(cls)}
    required = set(schema.get("required", ()))
    props: dict[str, Any] = schema.get("properties", {})
    for name, sub in props.items():
        f = by_name.get(name)
        if f is None:
            problems.append(f"{where}.{name}: in the schema, not in {cls.__name__}")
            continue
        optional = _is_optional(f)
        if name in required and optional:
            problems.append(f"{where}.{name}: required in the schema, has a default in the model")
        if name not in required and not optional:
            problems.append(f"{where}.{name}: optional in the schema, no default in the model")
        if (
            name not in required
            and f.default is None
            and type(None) not in typing.get_args(hints[name])
        ):
            problems.append(f"{where}.{name}: default None but the type is not Optional")
        inner = _dataclass_of(hints[name])
        if inner is not None:
            node = sub.get("items", sub)
            problems += _walk(node, inner, f"{where}.{name}")
    for name in by_name:
        if name not in props and name not in NOT_IN_SCHEMA:
            problems.append(f"{where}.{name}: in {cls.__name__}, not in the schema")
    return problems


def _schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_model_matches_the_schema() -> None:
    problems = _walk(_schema("initiative"), model.Initiative, "initiative")
    problems += _walk(_schema("agency"), model.Agency, "agency")
    problems += _walk(_schema("fields")["items"], model.Field, "fields[]")
    assert not problems, "\n".join(problems)


def test_every_optional_property_may_be_missing() -> None:
    """The smallest record the schema accepts builds, and every optional value is empty."""
    smallest = {
        "id": "QNG-2024-0001",
        "title": "Tên",
        "fields": ["chuyen-doi-so"],
        "agency": "so-khcn",
        "agency_name_at_time": "Sở KH&CN",
        "metrics": [{"indicator": "Số hồ sơ", "unit": "hồ sơ", "result": 5}],
        "recognitions": [{"level": "co-so", "decision_date": "2024-01-02", "issuer": "so-khcn"}],
        "replication": {
            "readiness": "idea",
            "steps": [{"title": "Bước"}],
            "contact": {"role": "VP"},
        },
    }
    ini = model.initiative_from_dict(smallest, "x.yml")
    assert ini.metrics[0].baseline is None and ini.metrics[0].change_pct is None
    assert ini.recognitions[0].decision_no is None
    assert ini.authors == () and ini.solution_types == () and ini.summary == ""
    assert ini.problem is None and ini.solution is None
    assert model.agency_from_dict({"id": "a", "name": "A", "kind": "khac"}, "a.yml").parent is None


# ---- the commands, on the bundled registry plus the real records -------------------------
@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory, make_registry: Callable[[Path], Path]
) -> Path:
    root = make_registry(tmp_path_factory.mktemp("real"))
    shutil.copytree(REAL, root / "registry" / "initiatives", dirs_exist_ok=True)
    return root


class _Tables(HTMLParser):
    """The text of every table cell of a page, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _rows(page: Path) -> list[list[str]]:
    parser = _Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.rows


def test_validate_accepts_the_real_records_with_warnings(project: Path, run_cli) -> None:
    code, out, err = run_cli("validate", cwd=project)
    text = out + err
    assert code == 0, text
    assert "Traceback" not in text
    # One SK320 per metric without a baseline, at that metric, with the fix in the message.
    lines = [ln for ln in text.splitlines() if " SK320 " in ln]
    assert any(
        ln.startswith("registry/initiatives/2023/QNG-2023-0901.yml:16:5: SK320 warning:")
        and "Số thủ tục hành chính được gắn mã QR" in ln
        for ln in lines
    ), lines
    assert len([ln for ln in lines if "/QNG-2021-0901.yml:" in ln]) == 1
    assert any("QNG-2023-0901.yml" in ln and "SK322" in ln for ln in text.splitlines())
    assert any(
        "QNG-2022-0901.yml" in ln and "SK321" in ln and "`problem`" in ln
        for ln in text.splitlines()
    )


def test_site_builds_and_shows_a_dash_for_the_missing_baseline(
    project: Path, tmp_path: Path, build_site
) -> None:
    """One build (the slow part) for every check of the site."""
    site = tmp_path / "site"
    proc = build_site(project, site, documents=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr

    rows = _rows(site / "sang-kien" / "qng-2023-0901" / "index.html")
    head = next(r for r in rows if r[:5] == ["Chỉ tiêu", "Đơn vị", "Trước", "Sau", "Thay đổi"])
    metric = next(r for r in rows if r and r[0] == "Số thủ tục hành chính được gắn mã QR")
    assert dict(zip(head, metric, strict=True)) == {
        "Chỉ tiêu": "Số thủ tục hành chính được gắn mã QR",
        "Đơn vị": "thủ tục",
        "Trước": "—",
        "Sau": "405",
        "Thay đổi": "—",
        "Thời kỳ": "—",
        "Cách đo": "—",
    }
    facts = {r[0]: r[1] for r in rows if len(r) == 2}
    assert facts["Tác giả"] == "—" and facts["Loại giải pháp"] == "—"
    decision = next(r for r in rows if r and r[0] == "20/12/2023")
    assert decision[4] == "—"  # "Số quyết định": not known, not invented

    # A metric with a baseline keeps its change next to one without.
    rows = _rows(site / "sang-kien" / "qng-2021-0901" / "index.html")
    assert ["Số sổ hộ tịch đã số hoá", "quyển", "—", "318", "—", "—", "—"] in rows
    assert ["Thời gian tìm một trích lục", "phút", "45", "3", "-93,3%", "—", "—"] in rows

    # Every record has its page and is in the open data.
    data = json.loads((site / "api" / "v1" / "initiatives.json").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    table = (site / "initiatives.csv").read_text(encoding="utf-8-sig")
    ids = {row["id"] for row in csv.DictReader(io.StringIO(table))}
    for rid in REAL_IDS:
        assert (site / "sang-kien" / rid.lower() / "index.html").is_file()
        assert rid in text and rid in ids
    # No page prints a Python None where a value is missing.
    for rid in REAL_IDS:
        page = (site / "sang-kien" / rid.lower() / "index.html").read_text(encoding="utf-8")
        assert ">None<" not in page and " None " not in page


@pytest.mark.parametrize("rid", ["QNG-2023-0901", "QNG-2022-0901", "QNG-2025-0901"])
def test_guide_exports_from_an_incomplete_record(
    project: Path, run_cli, tmp_path: Path, rid: str
) -> None:
    docx = tmp_path / f"{rid}.docx"
    code, out, err = run_cli("export", "guide", rid, "-o", str(docx), cwd=project)
    assert code == 0, out + err
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "HƯỚNG DẪN NHÂN RỘNG" in body
    md = tmp_path / f"{rid}.md"
    code, out, err = run_cli("export", "guide", rid, "--format", "md", "-o", str(md), cwd=project)
    assert code == 0, out + err
    if rid == "QNG-2023-0901":
        text = md.read_text(encoding="utf-8")
        assert "| Số thủ tục hành chính được gắn mã QR | thủ tục | — | 405 | — |" in text
        assert "None" not in text


@pytest.mark.parametrize("fmt", ["md", "docx", "xlsx", "csv", "json"])
def test_report_builds_in_every_format(project: Path, run_cli, tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"bao-cao.{fmt}"
    code, out, err = run_cli(
        "report", "--from", "2019-01-01", "--to", "2025-12-31", "--format", fmt, "-o", str(out_file),
        cwd=project,
    )  # fmt: skip
    assert code == 0, out + err
    assert out_file.stat().st_size > 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8-sig"))))
        annex = [r for r in rows if r["bang"] == "phu-luc" and r["id"] == "QNG-2023-0901"]
        assert annex and annex[0]["decision_no"] == "—"
    if fmt == "json":
        data = json.loads(out_file.read_text(encoding="utf-8"))
        assert "None" not in json.dumps(data, ensure_ascii=False)


def test_candidates_report_with_incomplete_records(project: Path, run_cli) -> None:
    code, out, err = run_cli("report", "candidates", "--as-of", "2025-12-31", cwd=project)
    assert code == 0, out + err
    assert "None" not in out


@pytest.mark.parametrize("kind", ["don", "mo-ta"])
def test_forms_export_from_a_record_without_baseline(
    project: Path, run_cli, tmp_path: Path, kind: str
) -> None:
    md = tmp_path / f"{kind}.md"
    code, out, err = run_cli(
        "export", "form", "QNG-2023-0901", "--kind", kind, "--format", "md", "-o", str(md),
        cwd=project,
    )  # fmt: skip
    assert code == 0, out + err
    text = md.read_text(encoding="utf-8")
    assert "None" not in text
    if kind == "mo-ta":
        assert "| Số thủ tục hành chính được gắn mã QR | thủ tục | — | 405 |" in text
    docx = tmp_path / f"{kind}.docx"
    code, out, err = run_cli(
        "export", "form", "QNG-2023-0901", "--kind", kind, "-o", str(docx), cwd=project
    )
    assert code == 0, out + err
    assert zipfile.is_zipfile(docx)
