"""Diagnostic reporters: they only format a CheckResult (text, JSON, GitHub annotations)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from generator.diagnostics import Diagnostic
from generator.diagnostics.codes import CODES


def _line(d: Diagnostic) -> tuple[int, int]:
    return max(d.line, 1), max(d.col, 1)


def summary_text(errors: int, warnings: int, files: int, lang: str) -> str:
    if lang == "vi":
        if not errors and not warnings:
            return f"Không có lỗi trong {files} tệp."
        return f"{errors} lỗi, {warnings} cảnh báo trong {files} tệp đã kiểm tra."
    if not errors and not warnings:
        return f"No problems in {files} {_plural(files, 'file')}."
    return (
        f"{errors} {_plural(errors, 'error')}, {warnings} {_plural(warnings, 'warning')} "
        f"in {files} {_plural(files, 'file')} checked."
    )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def report_text(
    diags: list[Diagnostic], out: TextIO, *, lang: str, strict: bool, files: int
) -> None:
    for d in diags:
        line, col = _line(d)
        out.write(
            f"{d.file}:{line}:{col}: {d.code} {d.effective_severity(strict)}: {d.message(lang)}\n"
        )
    errors = sum(1 for d in diags if d.effective_severity(strict) == "error")
    out.write(summary_text(errors, len(diags) - errors, files, lang) + "\n")


def report_json(
    diags: list[Diagnostic], out: TextIO, *, lang: str, strict: bool, files: int
) -> None:
    """`{"version": 1, "summary": {...}, "diagnostics": [...]}`, one diagnostic per line.

    One line per diagnostic keeps the output greppable and lets the C encoder do the work
    (`indent=` switches `json` to its pure-Python encoder: seconds on 10,000 diagnostics).
    """
    errors = sum(1 for d in diags if d.effective_severity(strict) == "error")
    summary = {"files": files, "errors": errors, "warnings": len(diags) - errors}
    items = [
        json.dumps(
            {
                "file": d.file,
                "line": _line(d)[0],
                "col": _line(d)[1],
                "code": d.code,
                "severity": d.effective_severity(strict),
                "title": CODES[d.code].title_vi if lang == "vi" else CODES[d.code].title_en,
                "message": d.message(lang),
            },
            ensure_ascii=False,
        )
        for d in diags
    ]
    out.write('{\n  "version": 1,\n  "summary": ' + json.dumps(summary) + ',\n  "diagnostics": [')
    if items:
        out.write("\n    " + ",\n    ".join(items) + "\n  ")
    out.write("]\n}\n")


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def report_github(
    diags: list[Diagnostic], out: TextIO, *, lang: str, strict: bool, files: int
) -> None:
    """GitHub workflow commands: each problem appears on the changed line of the pull request."""
    for d in diags:
        line, col = _line(d)
        level = "error" if d.effective_severity(strict) == "error" else "warning"
        out.write(
            f"::{level} file={_escape_prop(d.file)},line={line},col={col},title={d.code}::{_escape_data(d.message(lang))}\n"
        )
    errors = sum(1 for d in diags if d.effective_severity(strict) == "error")
    out.write(summary_text(errors, len(diags) - errors, files, lang) + "\n")


Reporter = Callable[..., None]
REPORTER_BY_NAME: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
