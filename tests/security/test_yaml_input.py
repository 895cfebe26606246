"""Hostile and untidy YAML values: tags, huge and non-finite numbers, missing fields, phones.

Every test writes records into a copy of the tiny golden base registry and runs
`sangkien validate`, asserting the exact located lines a contributor sees and the exit status.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.load.yamlstrict import load_text
from generator.validate.schema import SCHEMA_DIR, SCHEMA_FILES

BASE = Path(__file__).resolve().parents[1] / "cases" / "base"
RECORD_TEXT = (BASE / "registry" / "initiatives" / "2024" / "QNG-2024-0001.yml").read_text(
    encoding="utf-8"
)
NEW = "registry/initiatives/2024/QNG-2024-0002.yml"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    proj = tmp_path / "project"
    shutil.copytree(BASE, proj)
    monkeypatch.setenv("SANGKIEN_TODAY", "2026-11-26")
    return proj


def _record(**replace: str) -> str:
    """The base record as QNG-2024-0002 (another title), with whole lines replaced."""
    text = RECORD_TEXT.replace("QNG-2024-0001", "QNG-2024-0002").replace(
        "title: Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa",
        "title: Sổ tay điện tử hướng dẫn hồ sơ đất đai cho người dân",
    )
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _write(project: Path, text: str, rel: str = NEW) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _validate(run_cli: Run, project: Path, *args: str) -> tuple[int, list[str]]:
    code, out, err = run_cli(
        "validate", "--registry", "registry", "--lang", "en", *args, cwd=project
    )
    assert "Traceback" not in err and "internal" not in (out + err).lower(), out + err
    return code, out.splitlines()


# ---- explicit tags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("!!bool 69", "!!bool"),
        ("!!int '70'", "!!int"),
        ("!!float 1", "!!float"),
        ("!!null x", "!!null"),
        ("!!timestamp 2024-01-01", "!!timestamp"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!<tag:yaml.org,2002:bool> 69", "!!bool"),
        ("!ngay 2024-01-01", "!ngay"),
    ],
)
def test_explicit_tags_other_than_str_map_seq_are_refused(
    project: Path, run_cli: Run, written: str, shown: str
) -> None:
    _write(project, _record(**{"contribution_pct: 70": f"contribution_pct: {written}"}))
    code, lines = _validate(run_cli, project)
    assert code == 1
    assert lines == [
        f"{NEW}:11:23: SK008 error: the tag `{shown}` (only `!!str` may be used; drop the tag "
        "and write the value) is not supported",
        "1 error, 0 warnings in 6 files checked.",
    ]


def test_str_map_and_seq_tags_mean_what_is_written() -> None:
    doc = load_text(
        "a: !!str 69\nb: !!map {c: 1}\nd: !!seq [1, 2]\ne: !!str true\nf: ! 70\n", "f.yml"
    )
    assert doc.diagnostics == []
    # `!` alone is the non-specific tag: text, as the YAML specification says.
    assert doc.data == {"a": "69", "b": {"c": 1}, "d": [1, 2], "e": "true", "f": "70"}


# ---- numbers ---------------------------------------------------------------------------------


def test_a_5000_digit_integer_is_located_and_other_problems_still_shown(
    project: Path, run_cli: Run
) -> None:
    _write(project, _record(**{"result: 3": "result: " + "7" * 5000}))
    # A second record with its own problem: nothing is lost to the huge number.
    _write(
        project,
        _record(**{"QNG-2024-0002": "QNG-2024-0003", "title: Sổ tay": "title: Cẩm nang"}).replace(
            "agency_name_at_time:", "agency_name_at_tim:"
        ),
        "registry/initiatives/2024/QNG-2024-0003.yml",
    )
    code, lines = _validate(run_cli, project)
    assert code == 1
    assert lines == [
        f"{NEW}:25:13: SK016 error: `777777777777…7777` is too large a number (5000 digits): "
        "the limit is 9007199254740991 (2^53 − 1)",
        "registry/initiatives/2024/QNG-2024-0003.yml:1:1: SK101 error: missing required field "
        "`agency_name_at_time` (Tên cơ quan tại thời điểm công nhận) in the record",
        "registry/initiatives/2024/QNG-2024-0003.yml:7:1: SK104 error: field `agency_name_at_tim` is not in "
        "the schema of the record (a typo?) — did you mean `agency_name_at_time`?",
        "3 errors, 0 warnings in 7 files checked.",
    ]


@pytest.mark.parametrize(
    ("line", "shown", "what"),
    [
        ("baseline: 1e999", "1e999", "is too large for a computer number (it becomes infinity)"),
        (
            "baseline: -1E+400",
            "-1E+400",
            "is too large for a computer number (it becomes infinity)",
        ),
        (
            "baseline: 1234567890123456789012345678901234567890",
            "123456789012…7890",
            "is too large a number (40 digits): the limit is 9007199254740991 (2^53 − 1)",
        ),
        (
            "baseline: 1e-10",
            "1e-10",
            "is too close to zero (below 10^-9): write 0 or use a smaller unit",
        ),
        (
            "baseline: 1e-400",
            "1e-400",
            "is too close to zero (below 10^-9): write 0 or use a smaller unit",
        ),
        (
            "baseline: 9007199254740992",
            "9007199254740992",
            "is too large a number (16 digits): the limit is 9007199254740991 (2^53 − 1)",
        ),
    ],
)
def test_non_finite_and_huge_numbers_are_one_located_error(
    project: Path, run_cli: Run, line: str, shown: str, what: str
) -> None:
    _write(project, _record(**{"baseline: 15": line}))
    for fmt in ("text", "github"):
        code, lines = _validate(run_cli, project, "--format", fmt)
        assert code == 1
        # One problem, one message: no second "wrong type" line for the value dropped.
        assert len(lines) == 2, lines
    code, lines = _validate(run_cli, project)
    col = line.index(" ") + 6
    assert lines[0] == f"{NEW}:24:{col}: SK016 error: `{shown}` {what}"


def test_a_40_digit_cost_is_refused_and_a_cost_over_the_maximum_too(
    project: Path, run_cli: Run
) -> None:
    tail = "replication:\n  readiness: pilot\n  cost_vnd: {cost}\n  lead_time_days: {days}\n"
    _write(project, _record() + tail.format(cost="9" * 40, days=30))
    code, lines = _validate(run_cli, project)
    assert (code, lines[0]) == (
        1,
        f"{NEW}:36:13: SK016 error: `999999999999…9999` is too large a number (40 digits): "
        "the limit is 9007199254740991 (2^53 − 1)",
    )
    _write(project, _record() + tail.format(cost=10**15 + 1, days=3651))
    code, lines = _validate(run_cli, project)
    assert code == 1
    assert lines == [
        f"{NEW}:36:13: SK108 error: `replication.cost_vnd` must be ≤ 1000000000000000 "
        "(got 1000000000000001)",
        f"{NEW}:37:19: SK108 error: `replication.lead_time_days` must be ≤ 3650 (got 3651)",
        "2 errors, 0 warnings in 6 files checked.",
    ]
    # The bounds themselves are accepted.
    _write(project, _record() + tail.format(cost=10**15, days=3650))
    assert _validate(run_cli, project)[0] == 0


def _numeric_properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    out = []
    if isinstance(node, dict):
        kind = node.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "number" in kinds or "integer" in kinds:
            out.append((path, node))
        for key, value in node.items():
            out += _numeric_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _numeric_properties(value, f"{path}/{i}")
    return out


def test_every_numeric_property_of_every_schema_is_bounded() -> None:
    found = []
    for name in SCHEMA_FILES.values():
        schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        for path, prop in _numeric_properties(schema):
            if "enum" in prop or "const" in prop:
                continue  # a list of allowed values is a bound
            found.append(path)
            assert "maximum" in prop or "exclusiveMaximum" in prop, f"{name}{path}"
            assert "minimum" in prop or "exclusiveMinimum" in prop, f"{name}{path}"
            assert abs(prop.get("maximum", 0)) <= 10**15, f"{name}{path}"
    assert len(found) >= 5


# ---- one problem, one message ----------------------------------------------------------------


def _without(text: str, *keys: str) -> str:
    """Drop top-level keys (and their indented or block continuation lines)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        top = re.match(r"([a-z_]+):", line)
        if top:
            skipping = top.group(1) in keys
        if not skipping:
            out.append(line)
    return "".join(out)


def test_one_missing_field_gives_exactly_one_line(project: Path, run_cli: Run) -> None:
    _write(project, _without(_record(), "agency_name_at_time"))
    for fmt in ("text", "github", "json"):
        code, lines = _validate(run_cli, project, "--format", fmt)
        assert code == 1
        assert sum("SK101" in ln for ln in lines) == 1, lines


def test_three_missing_fields_give_exactly_three_lines(project: Path, run_cli: Run) -> None:
    _write(project, _without(_record(), "title", "fields", "agency_name_at_time"))
    code, lines = _validate(run_cli, project)
    assert code == 1
    assert lines == [
        f"{NEW}:1:1: SK101 error: missing required field `title` (Tên sáng kiến) in the record",
        f"{NEW}:1:1: SK101 error: missing required field `fields` (Lĩnh vực) in the record",
        f"{NEW}:1:1: SK101 error: missing required field `agency_name_at_time` (Tên cơ quan tại thời điểm công nhận) in the record",
        "3 errors, 0 warnings in 6 files checked.",
    ]
    code, lines = _validate(run_cli, project, "--format", "github")
    assert [ln for ln in lines if ln.startswith("::")] == [
        f"::error file={NEW},line=1,col=1,title=SK101::missing required field `{name}` ({title}) "
        "in the record"
        for name, title in (
            ("title", "Tên sáng kiến"),
            ("fields", "Lĩnh vực"),
            ("agency_name_at_time", "Tên cơ quan tại thời điểm công nhận"),
        )
    ]


def test_missing_fields_in_a_nested_mapping_are_reported_at_that_mapping(
    project: Path, run_cli: Run
) -> None:
    text = _record(
        **{"  - indicator: Thời gian tra cứu một thủ tục\n    unit: phút\n": "  - unit: phút\n"}
    )
    _write(project, text)
    code, lines = _validate(run_cli, project)
    assert code == 1
    assert lines == [
        f"{NEW}:22:5: SK101 error: missing required field `indicator` (Tên chỉ số) in `metrics[0]`",
        "1 error, 0 warnings in 6 files checked.",
    ]


# ---- SK306: phone numbers ----------------------------------------------------------------------

PHONES = [
    "+84 905 123 456",
    "(+84) 905.123.456",
    "0084 905123456",
    "+84905123456",
    "+84-912-345-678",
    "+84 (0) 977 123 456",
    "+84 0905 123 456",
    "( +84 ) 388 123 456",
    "0905 123 456",
    "0912.345.678",
]
NOT_PHONES = [
    "123/QĐ-UBND",
    "Quyết định số 0912/QĐ-UBND ngày 12/3/2024",
    "kinh phí 1.500.000.000 đồng",
    "tiết kiệm 905.123.456 đồng",
    "năm 2024 và 2025",
    "QNG-2024-0001",
    "mã thủ tục 1.001234",
    "tăng +84% so với năm trước",
    "tổng đài 0255 3 822 123",
    "+84 255 3822 123",
    "84905123456 lượt truy cập",
]


@pytest.mark.parametrize("phone", PHONES)
def test_sk306_catches_mobile_numbers_in_every_written_form(
    project: Path, run_cli: Run, phone: str
) -> None:
    _write(project, _record() + f"benefits: Liên hệ anh Minh qua số {phone} để được hỗ trợ.\n")
    code, lines = _validate(run_cli, project)
    assert code == 0
    assert lines == [
        f"{NEW}:34:11: SK306 warning: seems to contain a mobile phone number; the registry is "
        "public, leave personal data out",
        "0 errors, 1 warning in 6 files checked.",
    ]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_sk306_leaves_decisions_amounts_years_and_ids_alone(
    project: Path, run_cli: Run, text: str
) -> None:
    _write(project, _record() + f"benefits: {text}.\n")
    assert _validate(run_cli, project) == (0, ["No problems in 6 files."])


# ---- SK310: the owning agency had ended its operation ---------------------------------------


def test_an_agency_that_had_ended_before_first_applied_gets_a_warning(
    project: Path, run_cli: Run
) -> None:
    # ubnd-huyen-binh-son ended its operation on 30/06/2025 (successor ubnd-xa-binh-son).
    text = _record(
        **{
            "first_applied: 2024-03-01": "first_applied: 2025-07-01",
            "decision_date: 2024-10-15": "decision_date: 2025-10-15",
            "issuer: ubnd-huyen-binh-son": "issuer: ubnd-xa-binh-son",
        }
    ).replace("QNG-2024-0002", "QNG-2025-0001")
    _write(project, text, "registry/initiatives/2025/QNG-2025-0001.yml")
    code, lines = _validate(run_cli, project)
    assert code == 0
    assert lines == [
        "registry/initiatives/2025/QNG-2025-0001.yml:6:9: SK310 warning: the owning agency "
        "`ubnd-huyen-binh-son` had ended its operation on 30/06/2025, before the initiative was "
        "first applied on 01/07/2025",
        "0 errors, 1 warning in 6 files checked.",
    ]
    # On its last day the agency still existed: no warning.
    _write(
        project,
        text.replace("first_applied: 2025-07-01", "first_applied: 2025-06-30"),
        "registry/initiatives/2025/QNG-2025-0001.yml",
    )
    assert _validate(run_cli, project) == (0, ["No problems in 6 files."])


# ---- what validate accepts, the page renders ---------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "result"),
    [
        ("1e-9", "-1e15"),
        ("-1000000000000000", "1000000000000000"),
        ("0.000000001", "0"),
        ("0", "1e15"),
    ],
)
def test_numbers_at_the_bounds_validate_and_render(
    project: Path, baseline: str, result: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import load_settings
    from generator.render.initiative import initiative_page
    from generator.validate.check import check_registry

    tail = (
        "replication:\n  readiness: pilot\n  cost_vnd: 1000000000000000\n  lead_time_days: 3650\n"
    )
    _write(
        project,
        _record(**{"baseline: 15": f"baseline: {baseline}", "result: 3": f"result: {result}"})
        + tail,
    )
    monkeypatch.chdir(project)
    settings = load_settings(project)
    checked = check_registry(settings)
    assert checked.ok(), [d.message("en") for d in checked.errors()]
    registry = checked.registry
    page = initiative_page(registry.initiatives["QNG-2024-0002"], registry, settings)
    assert "1.000.000.000.000.000" in page.markdown + "".join(page.html_blocks())
