"""Cost linear in input: `validate` refuses Markdown that would make the build slow or crash,
the renderer never hands such a field to Python-Markdown, and the build's log shows real link
problems only.

Each hostile field below took minutes to render, or ended the build with `RecursionError`,
before the limits (figures: `benchmarks/adversarial_bench.py`, `benchmarks/README.md`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.render.markdown_safe import safe_markdown
from generator.render.prose import HtmlPage

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "cases" / "base"
RECORD = "registry/initiatives/2024/QNG-2024-0002.yml"

# (name, where the field goes, hostile Markdown, the code validate gives)
HOSTILE: list[tuple[str, tuple[str | int, ...], str, str]] = [
    ("image openers", ("problem",), "Xem ảnh " + "![" * 4_000, "SK434"),
    ("footnote openers", ("solution",), "Chú thích " + "[^" * 5_000, "SK434"),
    ("three unclosed in prose", ("novelty",), "Xem [mục [một và [hai " + "chữ " * 500, "SK434"),
    ("closers hidden in code", ("benefits",), "[`]` " * 5 + "chữ " * 200, "SK434"),
    ("link targets never closed", ("benefits",), "[mục](" * 2_500, "SK431"),
    (
        "brackets in a step",
        ("replication", "steps", 0, "detail"),
        "Bước đầu. " + "[" * 3_000,
        "SK434",
    ),
    (
        "lists nested by indentation",
        ("solution",),
        "\n".join("    " * i + f"- cấp {i}" for i in range(40)),
        "SK430",
    ),
    ("lists nested on one line", ("novelty",), "- " * 3_000 + "hết", "SK430"),
    ("quotes nested", ("conditions",), ">" * 9_000 + " trích dẫn", "SK430"),
    ("numbered lists nested", ("problem",), "1. " * 2_000 + "x", "SK430"),
    (
        "admonitions nested",
        ("replication", "risks"),
        "\n".join("    " * i + "!!! note" for i in range(60)),
        "SK430",
    ),
    (
        "definitions without a blank line",
        ("benefits",),
        "Thuật ngữ\n" + ": nghĩa\n" * 1_500,
        "SK432",
    ),
    ("setext underlines", ("solution",), "tiêu đề\n---\n" * 800, "SK432"),
    ("headings without a blank line", ("problem",), "# mục\n" * 1_000, "SK432"),
    ("backtick run", ("conditions",), "Mã: " + "`" * 3_000, "SK435"),
    ("angle brackets never closed", ("problem",), "a <b " * 1_500, "SK431"),
    ("entity openers", ("solution",), "&x" * 4_000, "SK431"),
    (
        "abbreviations",
        ("replication", "core"),
        "Dùng VT.\n\n" + "\n\n".join(f"*[VT{i}]: viết tắt" for i in range(400)),
        "SK433",
    ),
]


def _record(where: tuple[str | int, ...], text: str) -> dict:
    data = yaml.safe_load((BASE / "registry/initiatives/2024/QNG-2024-0001.yml").read_text("utf-8"))
    data["id"] = "QNG-2024-0002"
    data["title"] = "Sổ tay điện tử hướng dẫn hồ sơ đất đai"
    data["replication"] = {
        "readiness": "pilot",
        "steps": [{"title": "Lập danh mục hồ sơ", "detail": "Rà soát."}],
    }
    node: dict | list = data
    for part in where[:-1]:
        node = node[part]  # type: ignore[index]
    node[where[-1]] = text  # type: ignore[index]
    return data


def _project(tmp_path: Path, data: dict) -> tuple[Path, str]:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)
    (project / RECORD).write_text(text, encoding="utf-8")
    return project, text


def _line_of(text: str, where: tuple[str | int, ...]) -> int:
    """The line of the field's key (validate points at its value, on the same line)."""
    key = next(p for p in reversed(where) if isinstance(p, str))
    lines = text.split("\n")
    return next(n for n, ln in enumerate(lines, 1) if re.match(rf"\s*(- )?{key}:", ln))


@pytest.mark.parametrize(("name", "where", "text", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_validate_refuses_with_a_located_error(
    name: str,
    where: tuple[str | int, ...],
    text: str,
    code: str,
    tmp_path: Path,
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    project, written = _project(tmp_path, _record(where, text))
    status, out, _err = run_cli("validate", "--registry", "registry", cwd=project)
    assert status == 1, out
    line = _line_of(written, where)
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")
    assert re.search(
        rf"^{re.escape(RECORD)}:{line}:\d+: {code} error: `{re.escape(field)}`", out, re.M
    ), out
    # One problem, one message: the field gets this code once.
    assert len(re.findall(rf"{code} error: `{re.escape(field)}`", out)) == 1


def test_over_long_fields_are_schema_errors(
    tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    data = _record(("problem",), "dài " * 6_000)
    data["summary"] = "tóm tắt " * 400
    data["replication"]["steps"][0]["detail"] = "chi tiết " * 700
    project, _ = _project(tmp_path, data)
    status, out, _err = run_cli("validate", "--registry", "registry", "--lang", "en", cwd=project)
    assert status == 1
    for field in ("problem", "summary", "replication.steps[0].detail"):
        assert re.search(rf": SK1\d\d error: `{re.escape(field)}`", out), (field, out)
    assert "SK43" not in out  # the length is the schema's message alone


def test_the_bundled_registry_still_validates(
    run_cli: Callable[..., tuple[int, str, str]],
) -> None:
    status, out, _err = run_cli("validate", cwd=ROOT)
    assert status == 0, out
    assert "SK43" not in out


@pytest.mark.parametrize(
    "text",
    [
        "[" * 300_000,  # over the length limit: hours for Python-Markdown
        "[^" * 9_000,  # under it, but minutes
        "- " * 6_000 + "x",  # RecursionError
        "Thuật ngữ\n" + ": <b>nghĩa</b>\n" * 1_500,  # quadratic definitions
    ],
    ids=["huge", "footnote-openers", "nested-lists", "definitions"],
)
def test_the_renderer_shows_a_costly_field_as_text(text: str) -> None:
    page = HtmlPage("sang-kien/qng-2024-0002.md")
    page.markdown(safe_markdown(text), 3)
    html = page.content
    assert html.startswith('<p class="sk-plain">')
    assert "<li>" not in html and "<dd>" not in html and "<b>" not in html
    assert "&lt;b&gt;nghĩa" in html or "<b>" not in text
    assert page.toc == []


def test_ordinary_markdown_is_still_converted() -> None:
    page = HtmlPage("sang-kien/qng-2024-0002.md")
    page.markdown(safe_markdown("- một [liên kết](https://example.org)\n    - hai\n\n> trích"), 3)
    assert "<li>một <a" in page.content and "<blockquote>" in page.content


def test_build_log_has_no_unrecognized_links_but_reports_broken_ones(
    tmp_path: Path, make_registry: Callable[[Path], Path]
) -> None:
    project = make_registry(tmp_path)
    (project / "docs" / "trang-thu.md").write_text(
        "# Trang thử\n\n[Trang không có](khong-co-trang-nay.md) · [Thư mục lạ](../khong-co/)\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--no-documents",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    log = proc.stdout + proc.stderr
    # The hand-written page's broken link is still a warning, which fails the (strict) build ...
    assert proc.returncode != 0, log
    assert re.search(r"WARNING .*'trang-thu\.md'.*khong-co-trang-nay\.md", log), log
    # ... and its unrecognized link still said; no generated page has one.
    unrecognized = [ln for ln in log.splitlines() if "unrecognized relative link" in ln]
    assert unrecognized and all("'trang-thu.md'" in ln for ln in unrecognized), unrecognized


def test_every_markdown_field_is_bounded_below_the_guard() -> None:
    from generator.validate.prose_limits import HARD_MAX_CHARS, markdown_paths
    from generator.validate.schema import load_schema

    paths = markdown_paths("initiative")
    assert ("problem",) in paths and ("replication", "steps", "*", "detail") in paths
    for path in paths:
        node = load_schema("initiative")
        for part in path:
            node = node["items"] if part == "*" else node["properties"][part]
        assert 0 < node["maxLength"] <= HARD_MAX_CHARS, path
