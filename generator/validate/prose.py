"""Links and images in a record's Markdown fields (SK401-SK405), found by converting them.

Each field is converted with the very configuration the site uses (`generator.markup`), and
the links and images Python-Markdown built are checked by the same policy the site applies:
what is reported here is exactly what the site takes out, whatever syntax wrote it. Each
problem is located at the field (its line and column in the YAML file).
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load.yamlstrict import LoadedDoc
from generator.markup import ATTACHMENTS_DIR, prose_fields, prose_findings
from generator.validate.rules import Context

_CODE_BY_PROBLEM = {
    "scheme": "SK401",
    "url": "SK402",
    "outside": "SK403",
    "missing": "SK404",
    "not-image": "SK405",
}
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f`]")
_SHOWN_MAX = 80


def _shown(target: str) -> str:
    """A target as a message can print it: control characters (which a browser ignores in a
    URL, and a terminal or CI log would act on) written as escapes, long ones cut."""
    text = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", target)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def prose_diagnostics(doc: LoadedDoc, ctx: Context) -> list[Diagnostic]:
    """SK401-SK405 for every link or image of the record's prose the site would take out."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    record_id = data.get("id") if isinstance(data.get("id"), str) else None
    folder = f"{ATTACHMENTS_DIR}/{record_id or '<mã>'}"
    out: list[Diagnostic] = []
    for path, text in prose_fields(data):
        findings = prose_findings(text, record_id, ctx.project_dir)
        if not findings:
            continue
        line, col = doc.pos(path)
        name = ".".join(str(p) for p in path)
        for f in findings:
            args: dict[str, Any] = {"field": name, "target": _shown(f.target), "folder": folder}
            if f.problem == "scheme":
                args["scheme"] = _shown(f.scheme or "?")
            out.append(Diagnostic(_CODE_BY_PROBLEM[f.problem], doc.path, line, col, args))
    return out
