"""ImportResult -> draft YAML record, fields in data-model.md order, gaps as `# TODO:` lines.

A gap is written as a commented-out key, so the draft parses but `sangkien validate` lists
every missing required field until someone fills it in.
"""

from __future__ import annotations

import json
from datetime import date

from generator.documents.importer import ImportResult

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/initiative.schema.json"


def _q(text: str) -> str:
    """A YAML scalar: JSON strings are valid YAML double-quoted strings."""
    return json.dumps(text, ensure_ascii=False)


def _block(key: str, text: str, indent: str = "") -> str:
    lines = text.rstrip().split("\n")
    # `|2` when the first line starts with a space, so YAML keeps the indentation.
    marker = "|2" if lines and lines[0].startswith(" ") else "|"
    body = "\n".join(f"{indent}  {line}" if line.strip() else "" for line in lines)
    return f"{indent}{key}: {marker}\n{body}"


def draft_yaml(result: ImportResult, ident: str, source_name: str, today: date) -> str:
    """The draft record as YAML text."""
    v = result.values
    out = [
        SCHEMA_LINE,
        f"# Bản nháp nhập từ {source_name} ngày {today.isoformat()} - rà soát mọi mục # TODO trước khi gửi.",
        f"id: {ident}",
    ]

    def todo(key: str, hint: str) -> None:
        out.append(f"# TODO: {key}: {hint}")

    if v.get("title"):
        out.append(f"title: {_q(v['title'])}")
    else:
        todo("title", "tên sáng kiến / title")
    todo("summary", "tóm tắt <= 600 ký tự / summary, <= 600 characters")
    todo("solution_types", "[ky-thuat | quan-ly | tac-nghiep | ung-dung-tien-bo-ky-thuat]")
    if result.fields:
        out.append("fields: [" + ", ".join(result.fields) + "]")
        if v.get("_fields_text"):
            out.append(
                f"# (trong văn bản / in the document: {' '.join(v['_fields_text'].split())})"
            )
    else:
        todo(
            "fields",
            "mã lĩnh vực trong registry/taxonomy/fields.yml / field ids"
            + (
                f" - văn bản ghi: {' '.join(v['_fields_text'].split())}"
                if v.get("_fields_text")
                else ""
            ),
        )
    if result.agency:
        out.append(f"agency: {result.agency}")
        out.append(f"agency_name_at_time: {_q(result.agency_name_at_time or result.agency)}")
        if result.agency_text:
            out.append(f"# (trong văn bản / in the document: {result.agency_text})")
    else:
        hint = f' - văn bản ghi: "{result.agency_text}"' if result.agency_text else ""
        todo("agency", "mã cơ quan công nhận / owning agency id (registry/agencies/)" + hint)
        todo("agency_name_at_time", "tên cơ quan như trên quyết định / agency name as printed")
    if result.authors:
        out.append("authors:")
        for a in result.authors:
            out.append(f"  - name: {_q(a['name'])}")
            if a.get("position"):
                out.append(f"    position: {_q(a['position'])}")
            if a.get("contribution_pct") is not None:
                out.append(f"    contribution_pct: {a['contribution_pct']}")
    else:
        todo(
            "authors", "[{name, position, contribution_pct}] - không ghi ngày sinh / no birth dates"
        )
    if result.investor:
        out.append(f"investor: {result.investor}")
    elif result.investor_text and result.investor_text.strip(" .").lower() not in (
        "không có",
        "khong co",
        "không",
    ):
        todo("investor", f'mã cơ quan của "{" ".join(result.investor_text.split())}" / agency id')
    if result.first_applied:
        out.append(f"first_applied: {result.first_applied}")
        out.append(f"first_applied_kind: {result.first_applied_kind or 'ap-dung'}")
    else:
        todo("first_applied", "YYYY-MM-DD")
    out.append("legal_basis: nd-13-2012")
    for key, hint in (
        ("problem", "tình trạng trước khi có sáng kiến / the situation before"),
        ("solution", "mô tả bản chất / the essence of the solution"),
        ("novelty", "tính mới / what is new"),
        ("conditions", "điều kiện áp dụng / conditions"),
        ("benefits", "lợi ích thu được / benefits"),
    ):
        if v.get(key):
            out.append(_block(key, v[key]))
        else:
            todo(key, hint)
    if result.adopters_benefits:
        out.append(
            "# Lợi ích theo ý kiến đơn vị đã áp dụng (chuyển vào adoptions[].result nếu phù hợp):"
        )
        out += [f"#   {line}" for line in result.adopters_benefits.splitlines()]
    todo("metrics", "[{indicator, unit, baseline, result, period, method}]")
    out.append("recognitions: []")
    out.append("provenance:")
    out.append("  sample: false")
    out.append(f"  source: {_q('Nhập từ tệp Word ' + source_name)}")
    return "\n".join(out) + "\n"
