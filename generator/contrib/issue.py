"""The GitHub issue form for proposing an initiative, and the parser of a filled one.

The form (.github/ISSUE_TEMPLATE/de-xuat-sang-kien.yml) is *generated* from the JSON Schema
and the registry's agency and field files by `issue_form()`; a test checks that the committed
file is up to date, so the form's labels, help texts and choices cannot drift from what
validation accepts. Choices carry their id in brackets ("UBND xã Bình Sơn [ubnd-xa-binh-son]")
so that parsing the rendered issue never depends on a label's wording.

GitHub renders a submitted form as Markdown: one `### <label>` heading per field, a blank line,
then the value, or `_No response_` when left empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.config import Settings
from generator.contrib.record import (
    TEXT_SECTIONS,
    ContribError,
    Draft,
    agency_choices,
    check_year,
    enum_labels,
    field_choices,
    first_example,
    parse_author,
    prop,
)
from generator.model import Registry

NO_RESPONSE = "_No response_"
FORM_PATH = ".github/ISSUE_TEMPLATE/de-xuat-sang-kien.yml"
_BRACKET_ID = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")


@dataclass(frozen=True)
class FormField:
    """One question of the form: its id (a schema property, or `year`), type and label."""

    id: str
    type: str  # input | textarea | dropdown
    label: str
    description: str
    required: bool
    placeholder: str | None = None
    options: tuple[str, ...] = ()
    multiple: bool = False


def _sub_field(
    schema: dict[str, Any], key: str, type_: str, required: bool, **extra: Any
) -> FormField:
    sub = prop(schema, key)
    example = first_example(sub)
    if isinstance(example, list):
        example = None
    return FormField(
        id=key,
        type=type_,
        label=sub.get("title", key),
        description=sub.get("description", ""),
        required=required,
        placeholder=str(example) if example is not None else None,
        **extra,
    )


def form_fields(schema: dict[str, Any], registry: Registry, settings: Settings) -> list[FormField]:
    """The questions, in the order a contributor answers them (schema order where possible)."""
    required = set(schema.get("required", []))
    agencies = agency_choices(registry)
    fields = field_choices(registry)
    authors = prop(schema, "authors")
    out = [
        _sub_field(schema, "title", "input", True),
        FormField(
            "year",
            "input",
            "Năm",
            "Năm công nhận đầu tiên, hoặc năm nộp hồ sơ nếu chưa được công nhận (4 chữ số). "
            f"Mã sáng kiến {settings.id_prefix}-<năm>-<số> sẽ được cấp tự động.",
            True,
        ),
        _sub_field(schema, "title_en", "input", False),
        _sub_field(
            schema,
            "agency",
            "dropdown",
            True,
            options=tuple(f"{name} [{aid}]" for aid, name in agencies.items()),
        ),
        _sub_field(schema, "agency_name_at_time", "input", False),
        _sub_field(
            schema,
            "solution_types",
            "dropdown",
            True,
            options=tuple(
                f"{label} [{value}]" for value, label in enum_labels(prop(schema, "solution_types"))
            ),
            multiple=True,
        ),
        _sub_field(
            schema,
            "fields",
            "dropdown",
            True,
            options=tuple(f"{name} [{fid}]" for fid, name in fields.items()),
            multiple=True,
        ),
        FormField(
            "authors",
            "textarea",
            authors.get("title", "authors"),
            authors.get("description", "") + " Mỗi dòng một người: Họ và tên, Chức vụ.",
            True,
            placeholder="Nguyễn Thị Lan, Công chức Văn phòng - Thống kê",
        ),
        _sub_field(schema, "first_applied", "input", False),
        _sub_field(schema, "summary", "textarea", "summary" in required),
    ]
    out += [_sub_field(schema, key, "textarea", key in required) for key in TEXT_SECTIONS]
    return out


CONSENT_LABEL = "Công khai thông tin"
CONSENT_TEXT = "Tôi hiểu sổ đăng ký là công khai; tôi không ghi ngày sinh, số điện thoại hay thư điện tử cá nhân."


def issue_form(schema: dict[str, Any], registry: Registry, settings: Settings) -> str:
    """The YAML text of the GitHub issue form."""
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Cảm ơn anh/chị đề xuất đưa sáng kiến vào sổ đăng ký. Điền các mục dưới đây; "
                    "người quản trị sẽ chuyển nội dung thành tệp dữ liệu bằng lệnh "
                    "`sangkien from-issue` và mở yêu cầu hợp nhất (pull request). "
                    "Có thể dùng biểu mẫu trên trang web (mục **Đề xuất sáng kiến**) để kiểm tra ngay khi nhập.\n\n"
                    "*Thank you for proposing an initiative. Fill in the fields below (in Vietnamese); "
                    "a maintainer turns the issue into a record file with `sangkien from-issue`.*"
                )
            },
        }
    ]
    for f in form_fields(schema, registry, settings):
        attributes: dict[str, Any] = {"label": f.label, "description": f.description}
        if f.type == "dropdown":
            attributes["multiple"] = f.multiple
            attributes["options"] = list(f.options)
        elif f.placeholder:
            attributes["placeholder"] = f.placeholder
        body.append(
            {
                "type": f.type,
                "id": f.id.replace("_", "-"),
                "attributes": attributes,
                "validations": {"required": f.required},
            }
        )
    body.append(
        {
            "type": "checkboxes",
            "id": "consent",
            "attributes": {
                "label": CONSENT_LABEL,
                "options": [{"label": CONSENT_TEXT, "required": True}],
            },
        }
    )
    form = {
        "name": "Đề xuất sáng kiến",
        "description": "Đề xuất đưa một sáng kiến vào sổ đăng ký / propose an initiative for the registry",
        "title": "[Sáng kiến] ",
        "labels": ["de-xuat-sang-kien"],
        "body": body,
    }
    header = (
        "# Tệp này được sinh từ schema/initiative.schema.json và registry/ bằng lệnh\n"
        "#   sangkien from-issue --print-template > " + FORM_PATH + "\n"
        "# Không sửa tay / generated, do not edit by hand.\n"
    )
    return header + yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=4096)


def split_sections(body: str) -> dict[str, str]:
    """`### Label` sections of a rendered issue form: label -> raw value ("" for no response)."""
    sections: dict[str, str] = {}
    label: str | None = None
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        m = re.match(r"^###\s+(.+?)\s*$", line)
        if m:
            if label is not None:
                sections[label] = "\n".join(lines).strip()
            label, lines = m.group(1), []
        elif label is not None:
            lines.append(line)
    if label is not None:
        sections[label] = "\n".join(lines).strip()
    return {k: ("" if v == NO_RESPONSE else v) for k, v in sections.items()}


def _ids(value: str, allowed: tuple[str, ...], label: str) -> list[str]:
    valid = {m for opt in allowed for m in _BRACKET_ID.findall(opt)}
    found = _BRACKET_ID.findall(value)
    bad = [x for x in found if x not in valid]
    if bad or (value and not found):
        raise ContribError(f"mục “{label}”: lựa chọn không hợp lệ / invalid choice: {value!r}")
    return list(dict.fromkeys(found))


def draft_from_issue(
    body: str, schema: dict[str, Any], registry: Registry, settings: Settings
) -> Draft:
    """The Draft described by a filled issue form; every problem is reported at once."""
    fields = form_fields(schema, registry, settings)
    sections = split_sections(body)
    values: dict[str, str] = {}
    problems: list[str] = []
    for f in fields:
        if f.label not in sections:
            if f.required:
                problems.append(f"thiếu mục / missing section “### {f.label}”")
            continue
        values[f.id] = sections[f.label]
        if f.required and not values[f.id]:
            problems.append(f"mục “{f.label}” đang trống / is empty")
    by_id = {f.id: f for f in fields}
    picked: dict[str, list[str]] = {}
    for key in ("agency", "solution_types", "fields"):
        try:
            picked[key] = _ids(values.get(key, ""), by_id[key].options, by_id[key].label)
        except ContribError as exc:
            problems.append(str(exc))
    year_text = values.get("year", "")
    year = 0
    if year_text:
        if re.fullmatch(r"[0-9]{4}", year_text):
            year = int(year_text)
            try:
                check_year(settings, year)
            except ContribError as exc:
                problems.append(str(exc))
        else:
            problems.append(f"mục “Năm”: cần 4 chữ số / a 4-digit year: {year_text!r}")
    first_applied = values.get("first_applied") or None
    if first_applied and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", first_applied):
        problems.append(
            f"mục “{by_id['first_applied'].label}”: ngày dạng YYYY-MM-DD / a YYYY-MM-DD date: {first_applied!r}"
        )
    authors = [
        parse_author(line.lstrip("-*• ").strip())
        for line in values.get("authors", "").splitlines()
        if line.strip()
    ]
    if len(picked.get("agency", [])) > 1:
        problems.append("chỉ chọn một cơ quan / choose one agency")
    if problems:
        raise ContribError(
            "nội dung đề xuất chưa dùng được / the issue cannot be used:\n  - "
            + "\n  - ".join(problems)
        )
    agency = picked["agency"][0]
    return Draft(
        year=year,
        title=" ".join(values["title"].split()),
        title_en=values.get("title_en") or None,
        agency=agency,
        agency_name_at_time=values.get("agency_name_at_time") or registry.agency_name(agency),
        fields=picked["fields"],
        solution_types=picked["solution_types"],
        authors=authors,
        summary=values.get("summary", ""),
        first_applied=first_applied,
        texts={key: values.get(key, "") for key in TEXT_SECTIONS},
    )
