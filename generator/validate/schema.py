"""The JSON Schema pass: jsonschema errors turned into located, bilingual diagnostics.

The schemas in `schema/` are the single source of truth; nothing here restates a rule that
the schema already holds. We only translate each jsonschema error into a code (SK1xx), a place
(line:col from the loader) and a message that says what was expected and what was found.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from generator.diagnostics import Diagnostic, T, fmt_value
from generator.load.yamlstrict import LoadedDoc, YamlPath
from generator.text.vn import closest

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
SCHEMA_FILES = {
    "initiative": "initiative.schema.json",
    "agency": "agency.schema.json",
    "fields": "fields.schema.json",
}

TYPE_NAMES = {
    "string": T("văn bản", "text"),
    "integer": T("số nguyên", "a whole number"),
    "number": T("số", "a number"),
    "boolean": T("true hoặc false", "true or false"),
    "array": T("danh sách (các dòng bắt đầu bằng -)", "a list (lines starting with -)"),
    "object": T("bảng khoá: giá trị", "a mapping (key: value)"),
    "null": T("để trống", "empty"),
}

_PATTERN_RULES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": T(
        "chỉ chữ thường không dấu, số và gạch ngang (ví dụ cai-cach-hanh-chinh)",
        "lowercase ASCII letters, digits and hyphens only (e.g. cai-cach-hanh-chinh)",
    ),
    "^[A-Z]{2,6}-[0-9]{4}-[0-9]{4}$": T(
        "mã dạng <TIỀN TỐ>-<NĂM>-<SỐ 4 CHỮ SỐ>, ví dụ QNG-2024-0007",
        "an id like <PREFIX>-<YEAR>-<4 DIGITS>, e.g. QNG-2024-0007",
    ),
    # A civil servant should never have to read a regular expression. (The domain's first
    # label has no dot, so the pattern cannot backtrack: linear on a hostile 1 MB string.)
    r"^[^@\s]+@[^@\s.]+\.[^@\s]+$": T(
        "địa chỉ thư dạng ten@co-quan.gov.vn, không có dấu cách",
        "an address like name@agency.gov.vn, without spaces",
    ),
    r"^https?://[^\s]+$": T(
        "địa chỉ web bắt đầu bằng http:// hoặc https://, không có dấu cách",
        "a web address starting with http:// or https://, without spaces",
    ),
    r"^registry/attachments/[A-Z]{2,6}-[0-9]{4}-[0-9]{4}/[^/].*$": T(
        "đường dẫn dạng registry/attachments/<mã sáng kiến>/<tên tệp>",
        "a path like registry/attachments/<initiative id>/<file name>",
    ),
    r"^[0-9A-Za-z.\-]+$": T(
        "mã thủ tục gồm chữ, số, dấu chấm và gạch ngang (ví dụ 1.001234)",
        "a procedure code of letters, digits, dots and hyphens (e.g. 1.001234)",
    ),
}


@cache
def load_schema(kind: str, schema_dir: str | None = None) -> dict[str, Any]:
    base = Path(schema_dir) if schema_dir else SCHEMA_DIR
    return json.loads((base / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


@cache
def validator_for(kind: str, schema_dir: str | None = None) -> Draft202012Validator:
    schema = load_schema(kind, schema_dir)
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=("date", "email")))


def _is_date(value: str) -> bool:
    """`format: date` as jsonschema checks it: YYYY-MM-DD and a real calendar day."""
    if len(value) != 10:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def fast_validator_for(kind: str, schema_dir: str | None = None) -> Callable[[Any], Any]:
    """A compiled validator used as a fast path: most files are valid, and for those a
    generated-code check is ~20x faster than jsonschema. Our schemas use only keywords that
    mean the same in draft 7, which is what fastjsonschema compiles. When it reports a
    problem, jsonschema (the reference) produces the detailed, located diagnostics.
    """
    schema = dict(load_schema(kind, schema_dir))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema, formats={"date": _is_date})


def dotted(path: YamlPath | Any) -> str:
    """`('recognitions', 0, 'level')` -> `recognitions[0].level` (how users see a place)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _where(path: YamlPath) -> T:
    if not path:
        return T("bản ghi", "the record")
    d = dotted(path)
    return T(f"`{d}`", f"`{d}`")


def _suggest(value: Any, options: list[Any]) -> str | None:
    # An enum value or a field name: short words, so a looser cutoff than for ids.
    hint = closest(value, options, cutoff=0.5)
    return hint if hint != value else None


def _title(schema: dict[str, Any], name: str) -> str:
    prop = schema.get("properties", {}).get(name, {})
    return prop.get("title", name)


def check_schema(doc: LoadedDoc, kind: str, schema_dir: str | None = None) -> list[Diagnostic]:
    """Every schema violation in `doc.data`, each located and explained."""
    try:
        fast_validator_for(kind, schema_dir)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    validator = validator_for(kind, schema_dir)
    out: list[Diagnostic] = []
    # jsonschema yields one `required` error per missing key, and each names the whole list
    # of required keys: translating each one would repeat every missing key once per missing
    # key (N² lines). One mapping's `required` is translated once, for all its missing keys.
    required_done: set[tuple[Any, ...]] = set()
    for error in validator.iter_errors(doc.data):
        if doc.refused and doc.pos(tuple(error.absolute_path)) in doc.refused:
            continue  # the loader already reported this value (SK016) and kept None instead
        if error.validator == "required":
            where = (tuple(error.absolute_path), id(error.schema))
            if where in required_done:
                continue
            required_done.add(where)
        out.extend(_translate(error, doc))
    # The same problem reached through two subschemas (`allOf`, `if`/`then`) is still one
    # problem: one line per place and message.
    seen: set[tuple[str, int, int, str]] = set()
    unique = []
    for d in out:
        key = (d.code, d.line, d.col, d.message("en"))
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def _translate(error: ValidationError, doc: LoadedDoc) -> list[Diagnostic]:
    path: YamlPath = tuple(error.absolute_path)
    field = dotted(path) or "(gốc / root)"
    line, col = doc.pos(path)
    v = error.validator
    inst = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    def diag(code: str, at: tuple[int, int] | None = None, **args: Any) -> Diagnostic:
        ln, cl = at or (line, col)
        return Diagnostic(code, doc.path, ln, cl, args)

    if v == "required":
        out = []
        for name in error.validator_value:
            if isinstance(inst, dict) and name not in inst:
                # Point at the key that holds the incomplete mapping (or line 1 for the root).
                at = doc.pos(path, key=True) if path else (1, 1)
                out.append(
                    diag("SK101", at, field=name, title=_title(schema, name), where=_where(path))
                )
        return out
    if v == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        out = []
        for key in inst if isinstance(inst, dict) else []:
            if key in allowed:
                continue
            at = doc.pos((*path, key), key=True)
            out.append(
                diag("SK104", at, key=key, where=_where(path), suggestion=_suggest(key, allowed))
            )
        return out
    if v == "type":
        expected = error.validator_value
        names = [
            TYPE_NAMES.get(t, T(t, t))
            for t in (expected if isinstance(expected, list) else [expected])
        ]
        got_type = _json_type(inst)
        suggestion = None
        if (
            expected == "boolean"
            and isinstance(inst, str)
            and inst.lower() in {"yes", "no", "on", "off", "y", "n", "có", "không"}
        ):
            suggestion = "true" if inst.lower() in {"yes", "on", "y", "có"} else "false"
        if (
            expected == "array"
            and isinstance(inst, (str, int, float))
            and not isinstance(inst, bool)
        ):
            # `fields: cai-cach-hanh-chinh` -> a one-item list is almost always what was meant.
            suggestion = f"[{inst}]"
        if expected in ("integer", "number") and isinstance(inst, str):
            cleaned = inst.replace(".", "").replace(",", "").replace(" ", "").replace("đ", "")
            if cleaned.isdigit():
                suggestion = cleaned
        got = T(
            f"{TYPE_NAMES[got_type].vi} {fmt_value(inst)}",
            f"{TYPE_NAMES[got_type].en} {fmt_value(inst)}",
        )
        return [
            diag(
                "SK102",
                field=field,
                expected=names[0] if len(names) == 1 else names,
                got=got,
                suggestion=suggestion,
            )
        ]
    if v == "enum":
        allowed = error.validator_value
        return [
            diag(
                "SK103",
                field=field,
                expected=T(
                    "một trong: " + ", ".join(map(str, allowed)),
                    "one of: " + ", ".join(map(str, allowed)),
                ),
                got=fmt_value(inst),
                suggestion=_suggest(inst, allowed),
            )
        ]
    if v == "const":
        return [
            diag(
                "SK103", field=field, expected=fmt_value(error.validator_value), got=fmt_value(inst)
            )
        ]
    if v == "pattern":
        rule = _PATTERN_RULES.get(
            error.validator_value,
            T(f"phải khớp mẫu {error.validator_value}", f"must match {error.validator_value}"),
        )
        suggestion = None
        if error.validator_value.startswith("^[a-z0-9]") and isinstance(inst, str):
            from generator.text.vn import slugify

            suggestion = slugify(inst) or None
        elif "[A-Z]{2,6}" in error.validator_value and isinstance(inst, str):
            up = inst.strip().upper().replace("_", "-").replace(" ", "-")
            suggestion = up if up != inst else None
        return [diag("SK105", field=field, rule=rule, got=fmt_value(inst), suggestion=suggestion)]
    if v == "format":
        what = {"date": T("ngày", "date"), "email": T("địa chỉ thư điện tử", "e-mail address")}
        expected = {
            "date": T("một ngày có thật, dạng YYYY-MM-DD", "a real date written YYYY-MM-DD")
        }
        fmt_name = error.validator_value
        suggestion = None
        if fmt_name == "date" and isinstance(inst, str):
            # 15/03/2024 typed into the file: files keep ISO, so say how to write it.
            from generator.text.vn import parse_date_input

            try:
                suggestion = parse_date_input(inst).isoformat()
            except ValueError:
                suggestion = None
        return [
            diag(
                "SK106",
                field=field,
                what=what.get(fmt_name, T(fmt_name, fmt_name)),
                expected=expected.get(fmt_name),
                got=fmt_value(inst),
                suggestion=suggestion,
            )
        ]
    if v in ("minLength", "maxLength", "minItems", "maxItems"):
        n = error.validator_value
        # English needs the singular for 1 ("at least 1 item"); Vietnamese does not inflect.
        unit = (
            T("ký tự", "character" if n == 1 else "characters")
            if "Length" in v
            else T("phần tử", "item" if n == 1 else "items")
        )
        bound = T("ít nhất", "at least") if v.startswith("min") else T("nhiều nhất", "at most")
        size = len(inst) if hasattr(inst, "__len__") else 0
        rule = T(
            f"cần {bound.vi} {n} {unit.vi}, hiện có {size}",
            f"needs {bound.en} {n} {unit.en}, has {size}",
        )
        return [diag("SK107", field=field, rule=rule)]
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        n = error.validator_value
        op = {
            "minimum": ("≥", "≥"),
            "maximum": ("≤", "≤"),
            "exclusiveMinimum": (">", ">"),
            "exclusiveMaximum": ("<", "<"),
        }[v]
        rule = T(f"phải {op[0]} {n}", f"must be {op[1]} {n}")
        return [diag("SK108", field=field, rule=rule, got=fmt_value(inst))]
    if v == "uniqueItems":
        return [diag("SK109", field=field)]
    if v == "oneOf" and isinstance(inst, dict) and "path" in str(error.validator_value):
        detail = T(
            "ghi đúng một trong hai: `path` (tệp trong kho) hoặc `url` (địa chỉ web)",
            "give exactly one of `path` (a file in the repository) or `url` (a web address)",
        )
        return [diag("SK110", field=field, detail=detail)]
    return [diag("SK110", field=field, detail=error.message)]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
