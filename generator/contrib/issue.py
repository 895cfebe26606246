"""The GitHub issue form for proposing an initiative, and the parser of a filled one.

The form (.github/ISSUE_TEMPLATE/de-xuat-sang-kien.yml) is *generated* from the JSON Schema
and the registry's agency and field files by `issue_form()`; a test checks that the committed
file is up to date, so the form's labels, help texts and choices cannot drift from what
validation accepts. Choices carry their id in brackets ("UBND xã Bình Sơn [ubnd-xa-binh-son]")
so that parsing the rendered issue never depends on a label's wording.

GitHub renders a submitted form as Markdown: one `### <label>` heading per field, a blank line,
then the value, or `_No response_` when left empty; the consent box comes last as `- [X] ...`.
The body is untrusted (anyone can open or edit an issue), so the parser reads exactly that
shape: control characters are refused, HTML comments are removed as GitHub hides them, only
the next expected heading opens a section (a `### ` line typed in a text stays in it), a
repeated heading is an error, and the record is written by the YAML emitter, read back and
validated in memory before anything touches the disk.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.config import Settings
from generator.contrib.record import (
    TEXT_SECTIONS,
    ContribError,
    Draft,
    agency_choices,
    block_value,
    check_year,
    enum_labels,
    field_choices,
    first_example,
    parse_author,
    prop,
)
from generator.diagnostics import Diagnostic, T
from generator.load.yamlstrict import load_text
from generator.model import Registry
from generator.text.vn import fold, parse_date_input
from generator.validate.missing import SHOULD_HAVE
from generator.validate.schema import check_schema

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
    # Filled by the initiative's own authors: the form still asks for what the schema lets a
    # transcribed record lack (SK321), as the web form does.
    required = set(schema.get("required", [])) | set(SHOULD_HAVE)
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
CONSENT = FormField("consent", "checkboxes", CONSENT_LABEL, "", True, options=(CONSENT_TEXT,))


def form_sections(
    schema: dict[str, Any], registry: Registry, settings: Settings
) -> list[FormField]:
    """Every element GitHub renders as a `### <label>` section, in order: the form's questions,
    then the consent box. The form and its parser both come from this one list."""
    return [*form_fields(schema, registry, settings), CONSENT]


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
    for f in form_sections(schema, registry, settings):
        if f.type == "checkboxes":
            body.append(
                {
                    "type": f.type,
                    "id": f.id,
                    "attributes": {
                        "label": f.label,
                        "options": [{"label": o, "required": f.required} for o in f.options],
                    },
                }
            )
            continue
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


# ---- reading a filled form -------------------------------------------------------------------
# An issue body is untrusted: anyone can open an issue, and edit its body afterwards. The
# parser therefore reads only the exact shape GitHub renders from *our* form, and refuses
# anything it cannot place, rather than guessing.

# C0 controls except TAB, LF and CR; DEL and the C1 controls; the bidirectional embeddings,
# overrides and isolates that make text display in another order than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HEADING = re.compile(r"^###[ \t]+(.*?)[ \t]*$")
_CHECKBOX = re.compile(r"^[-*][ \t]+\[([ xX])\][ \t]+(.*?)[ \t]*$")
# What may precede `<!--` on a line for CommonMark to start an HTML block there: indentation
# and container markers (quotes, list items). Deliberately generous: treating more text as
# hidden can only drop content or make a section go missing (an error), never let hidden
# text take the place of what GitHub shows.
_BLOCK_PREFIX = re.compile(r"[ \t>*+\-0-9.)]*")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n|\n[ ]{0,3}#{1,6}(?:[ \t]|\n|$)")


class _Lines:
    """Offset -> (line, column), 1-based, in O(log n): bodies can be long and every check
    must stay linear in their size."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def loc(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i + 1, pos - self.starts[i] + 1


def normalise_body(text: str) -> str:
    """LF line ends (API bodies use CRLF) and NFC, the form the registry stores text in."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def control_characters(text: str, display: str) -> list[Diagnostic]:
    """One SK440 per line that holds a refused character, at its first such character."""
    out: list[Diagnostic] = []
    last_line = 0
    lines = _Lines(text)
    for m in _CONTROL.finditer(text):
        line, col = lines.loc(m.start())
        if line == last_line:
            continue
        last_line = line
        ch = m.group()
        name = unicodedata.name(ch, "")
        out.append(
            Diagnostic(
                "SK440",
                display,
                line,
                col,
                {"char": f"U+{ord(ch):04X}" + (f" {name}" if name else "")},
            )
        )
    return out


class _Closers:
    """Where comments can close (`-->`, or `--!>` as HTML also accepts), found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = [m.start() for m in re.finditer("--!?>", text)]

    def end(self, start: int) -> int:
        """Index just after the comment opened at `start`, or -1 (HTML's rules: `<!-->` and
        `<!--->` close at once, otherwise the first closer after the opening)."""
        after = start + 4
        if self.text.startswith(">", after):
            return after + 1
        if self.text.startswith("->", after):
            return after + 2
        i = bisect.bisect_left(self.at, after)
        if i == len(self.at):
            return -1
        first = self.at[i]
        return first + (3 if self.text.startswith("-->", first) else 4)


@dataclass
class Stripped:
    """A body as GitHub shows it: its lines (with their line in the body) and what was hidden."""

    lines: list[tuple[str, int]]
    diagnostics: list[Diagnostic]
    # Section headings found inside comments: label -> line where the comment opens.
    hidden_headings: dict[str, int]


def strip_comments(text: str, display: str) -> Stripped:
    """The lines GitHub shows once HTML comments are removed, each with its line in `text`.

    A comment that starts a line (an HTML block) hides everything up to its `-->`, or to the
    end of the body when there is none (SK449). A comment inside a line hides up to a `-->`
    in the same paragraph; without one, GitHub shows `<!--` as text, and so do we. A line
    that held only a comment is dropped.
    """
    hidden = bytearray(len(text))
    diagnostics: list[Diagnostic] = []
    hidden_headings: dict[str, int] = {}
    # Everything below is computed once per body and looked up by bisection, so that the
    # cost stays linear however many `<!--` a hostile body holds.
    closers = _Closers(text)
    where = _Lines(text)
    breaks = [m.start() for m in _PARAGRAPH_END.finditer(text)]
    prefix_end: dict[int, int] = {}
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        line = where.loc(start)[0]
        if line not in prefix_end:
            line_start = where.starts[line - 1]
            prefix_end[line] = _BLOCK_PREFIX.match(text, line_start).end()
        block = start <= prefix_end[line]
        end = closers.end(start)
        if block and end < 0:
            diagnostics.append(Diagnostic("SK449", display, *where.loc(start)))
            end = len(text)
        elif not block:
            i = bisect.bisect_left(breaks, start)
            if end < 0 or (i < len(breaks) and breaks[i] < end):
                pos = start + 4
                continue
        hidden[start:end] = b"\x01" * (end - start)
        for row in text[start:end].split("\n")[1:]:
            if m := _HEADING.match(row):
                hidden_headings.setdefault(m.group(1), line)
        pos = end
    lines: list[tuple[str, int]] = []
    kept: list[str] = []
    touched = False
    line_no = start_line = 1
    for i, ch in enumerate(text):
        if hidden[i]:
            touched = True
            if ch == "\n":
                line_no += 1
            continue
        if ch == "\n":
            row = "".join(kept)
            if row.strip() or not touched:
                lines.append((row, start_line))
            kept, touched = [], False
            line_no += 1
            start_line = line_no
        else:
            kept.append(ch)
    row = "".join(kept)
    if row.strip() or not touched:
        lines.append((row, start_line))
    return Stripped(lines, diagnostics, hidden_headings)


@dataclass
class Section:
    """One `### <label>` section found in the body: its heading line and its text lines."""

    field: FormField
    line: int
    rows: list[tuple[str, int]]

    def value(self) -> str:
        """The text under the heading without the blank lines around it; "" for no response."""
        rows = [r for r, _ in self.rows]
        while rows and not rows[0].strip():
            rows.pop(0)
        while rows and not rows[-1].strip():
            rows.pop()
        text = "\n".join(rows)
        return "" if text.strip() == NO_RESPONSE else text

    def value_line(self, offset: int = 0) -> int:
        """The body line of the value's line number `offset` (the heading when empty)."""
        filled = [n for r, n in self.rows if r.strip()]
        if not filled:
            return self.line
        first = next(i for i, (r, _) in enumerate(self.rows) if r.strip())
        index = min(first + offset, len(self.rows) - 1)
        return self.rows[index][1]


def split_form(
    body: Stripped, expected: list[FormField], display: str
) -> tuple[dict[str, Section], list[Diagnostic]]:
    """Cut the body into the expected sections, strictly in order.

    Only a heading that names the *next* expected section starts one, so a `### ` line typed
    inside a text stays in that text. A heading naming a section already seen is ambiguous
    (which copy did the author mean?) and is an error; nothing is guessed.
    """
    index = {f.label: i for i, f in enumerate(expected)}
    sections: dict[str, Section] = {}
    diagnostics: list[Diagnostic] = []
    current: Section | None = None
    preamble_reported = False
    out_of_order: dict[str, int] = {}
    for row, line in body.lines:
        m = _HEADING.match(row)
        if m:
            label = m.group(1)
            nxt = len(sections)
            if nxt < len(expected) and label == expected[nxt].label:
                current = Section(expected[nxt], line, [])
                sections[expected[nxt].id] = current
                continue
            if label in index and index[label] < nxt:
                first = sections[expected[index[label]].id].line
                diagnostics.append(
                    Diagnostic("SK442", display, line, 1, {"label": label, "first_line": first})
                )
                continue
            if label in index:
                out_of_order.setdefault(label, line)
        if current is None:
            if row.strip() and not preamble_reported:
                where = T("trước mục đầu tiên", "before the first section")
                diagnostics.append(Diagnostic("SK443", display, line, 1, {"where": where}))
                preamble_reported = True
            continue
        current.rows.append((row, line))
    if len(sections) < len(expected):
        # The first missing section stops the reading; later ones are reported only when they
        # are really absent, not merely found after the gap.
        last = list(sections.values())[-1] if sections else None
        at = last.line if last else 1
        after = last.field.label if last else T("đầu nội dung", "the start of the body")
        for i, f in enumerate(expected[len(sections) :]):
            seen = out_of_order.get(f.label)
            comment = body.hidden_headings.get(f.label)
            if i and (seen or comment):
                after = f.label
                continue
            hint: str | T = ""
            if comment:
                hint = T(
                    f"; tiêu đề này nằm trong chú thích HTML mở ở dòng {comment}, GitHub không hiện",
                    f"; this heading is inside the HTML comment opened at line {comment}, which GitHub hides",
                )
            elif seen:
                hint = T(
                    f"; dòng {seen} có tiêu đề này nhưng sai thứ tự",
                    f"; line {seen} has this heading out of order",
                )
            diagnostics.append(
                Diagnostic(
                    "SK441", display, at, 1, {"label": f.label, "after": after, "hint": hint}
                )
            )
            after = f.label
    return sections, diagnostics


def _ids(value: str, allowed: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(ids chosen, ids not offered) in a dropdown's rendered value."""
    valid = {m for opt in allowed for m in _BRACKET_ID.findall(opt)}
    found = list(dict.fromkeys(_BRACKET_ID.findall(value)))
    return [x for x in found if x in valid], [x for x in found if x not in valid]


@dataclass
class ParsedIssue:
    """What a filled form says: a Draft when every section is usable, and the problems found.

    `lines` gives, for each form field id, the body line of its value, so that later checks
    (duplicate title, the schema on the rendered record) point into the issue too.
    """

    draft: Draft | None
    diagnostics: list[Diagnostic]
    lines: dict[str, int]
    labels: dict[str, str]


def parse_issue(
    body: str, display: str, schema: dict[str, Any], registry: Registry, settings: Settings
) -> ParsedIssue:
    """Read a filled issue form; every problem is reported at once, each at its body line."""
    expected = form_sections(schema, registry, settings)
    labels = {f.id: f.label for f in expected}
    text = normalise_body(body)
    diagnostics = control_characters(text, display)
    stripped = strip_comments(text, display)
    diagnostics += stripped.diagnostics
    sections, split_diags = split_form(stripped, expected, display)
    if stripped.diagnostics:
        # An unclosed comment hides the rest of the body; SK449 says so once, where it opens.
        split_diags = [d for d in split_diags if d.code != "SK441"]
    diagnostics += split_diags
    at = {fid: sec.value_line() for fid, sec in sections.items()}

    def bad(fid: str, problem: T, offset: int = 0) -> None:
        sec = sections[fid]
        diagnostics.append(
            Diagnostic(
                "SK445",
                display,
                sec.value_line(offset),
                1,
                {"label": sec.field.label, "problem": problem},
            )
        )

    values: dict[str, str] = {}
    for fid, sec in sections.items():
        f = sec.field
        if f.type == "checkboxes":
            continue
        value = sec.value()
        if f.type in ("input", "dropdown"):
            if "\n" in value:
                bad(fid, T("chỉ được một dòng", "a single line is expected"), 1)
                continue
            value = value.strip()
        values[fid] = value
        if f.required and not value.strip():
            diagnostics.append(Diagnostic("SK444", display, sec.line, 1, {"label": f.label}))
    if "consent" in sections:
        diagnostics += _consent(sections["consent"], display)

    picked: dict[str, list[str]] = {}
    for fid in ("agency", "solution_types", "fields"):
        if fid not in values:
            continue
        sec = sections[fid]
        ok, unknown = _ids(values[fid], sec.field.options)
        picked[fid] = ok
        if unknown or (values[fid] and not ok):
            shown = ", ".join(unknown) if unknown else values[fid]
            bad(
                fid,
                T(
                    f"lựa chọn không có trong biểu mẫu: {shown}",
                    f"not one of the form's choices: {shown}",
                ),
            )
    if len(picked.get("agency", [])) > 1:
        bad("agency", T("chỉ chọn một cơ quan", "choose one agency"))
    year = 0
    if values.get("year"):
        if re.fullmatch(r"[0-9]{4}", values["year"]):
            year = int(values["year"])
            try:
                check_year(settings, year)
            except ContribError as exc:
                bad("year", T(str(exc), str(exc)))
        else:
            bad("year", T("cần 4 chữ số, ví dụ 2025", "a 4-digit year is expected, e.g. 2025"))
    first_applied = values.get("first_applied") or None
    if first_applied:
        # Typed dd/mm/yyyy or ISO in the form; the file keeps ISO.
        try:
            first_applied = parse_date_input(first_applied).isoformat()
        except ValueError:
            bad(
                "first_applied",
                T(
                    "cần một ngày có thật, dạng dd/mm/yyyy hoặc YYYY-MM-DD",
                    "a real date written dd/mm/yyyy or YYYY-MM-DD is expected",
                ),
            )
    authors = [
        parse_author(row.lstrip("-*• ").strip())
        for row in values.get("authors", "").splitlines()
        if row.strip()
    ]
    if any(d.severity == "error" for d in diagnostics):
        return ParsedIssue(None, diagnostics, at, labels)
    agency = picked["agency"][0]
    draft = Draft(
        year=year,
        title=values["title"],
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
    return ParsedIssue(draft, diagnostics, at, labels)


def _consent(sec: Section, display: str) -> list[Diagnostic]:
    """The consent box must be there and ticked; nothing may follow it (the form ends there)."""
    out: list[Diagnostic] = []
    ticked: bool | None = None
    for row, line in sec.rows:
        if not row.strip():
            continue
        m = _CHECKBOX.match(row)
        if m and ticked is None and m.group(2) == CONSENT_TEXT:
            ticked = m.group(1) in "xX"
            if not ticked:
                out.append(Diagnostic("SK446", display, line, 1, {"label": CONSENT_TEXT}))
            continue
        where = T("sau ô đồng ý ở cuối biểu mẫu", "after the consent box that ends the form")
        out.append(Diagnostic("SK443", display, line, 1, {"where": where}))
        break
    if ticked is None:
        out.append(Diagnostic("SK446", display, sec.line, 1, {"label": CONSENT_TEXT}))
    return out


# ---- checks on the result ----------------------------------------------------------------------
_TITLE_LINE = re.compile(r"^title:[^\n]*$", re.M)


def same_title(settings: Settings, title: str) -> tuple[str, Path] | None:
    """(id, file) of an existing record whose title folds (diacritics, case, spaces) to the
    same text as `title`, or None. Only each file's `title:` line is parsed, so this stays
    quick on a registry of thousands of records."""
    wanted = fold(title)
    hits: list[tuple[str, Path]] = []
    # Unsorted glob rather than registry_files(): sorting 10,000 paths costs more than reading
    # them; the first match in path order is returned so the answer stays the same.
    for path in (settings.registry_path / "initiatives").glob("*/*.yml"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # validation reports unreadable files; they cannot be compared anyway
        m = _TITLE_LINE.search(text)
        if not m:
            continue
        raw = m.group(0)[len("title:") :]
        if "\\" not in raw and wanted not in fold(raw.replace("''", "'")):
            continue  # cannot be equal: skip the YAML parse (most files, on a big registry)
        doc = load_text(m.group(0) + "\n", path.name)
        found = doc.data.get("title") if isinstance(doc.data, dict) else None
        if not isinstance(found, str):  # a block scalar title: read the whole file
            whole = load_text(text, path.name).data
            found = whole.get("title") if isinstance(whole, dict) else None
        if isinstance(found, str) and fold(found) == wanted:
            hits.append((path.stem, path))
    return min(hits, key=lambda hit: hit[1]) if hits else None


# Top-level keys of a rendered record -> the form field that supplies them.
_KEY_FIELD = {"id": "year"}


def check_rendered(
    text: str, parsed: ParsedIssue, display: str, schema_dir: str
) -> list[Diagnostic]:
    """Load the YAML about to be written, as `validate` will: it must give back exactly what
    was typed, and pass the schema. Problems are located at the issue section they come from."""
    draft = parsed.draft
    assert draft is not None
    doc = load_text(text, "record")
    expected: dict[str, Any] = {
        "title": draft.title,
        "agency": draft.agency,
        "agency_name_at_time": draft.agency_name_at_time,
        "fields": draft.fields,
        "solution_types": draft.solution_types,
        "authors": [{"name": n, **({"position": p} if p else {})} for n, p in draft.authors],
        "summary": block_value(draft.summary),
        **{key: block_value(draft.texts.get(key, "")) for key in TEXT_SECTIONS},
    }
    if draft.title_en:
        expected["title_en"] = draft.title_en
    if draft.first_applied:
        expected["first_applied"] = draft.first_applied
    data = doc.data if isinstance(doc.data, dict) else {}
    out: list[Diagnostic] = []

    def at(key: str, problem: T) -> Diagnostic:
        fid = _KEY_FIELD.get(key, key)
        line = parsed.lines.get(fid, 1)
        return Diagnostic(
            "SK448", display, line, 1, {"label": parsed.labels.get(fid, key), "problem": problem}
        )

    if not doc.ok:
        problem = "; ".join(d.message("en") for d in doc.diagnostics)
        return [at("title", T(problem, problem))]
    for key, value in expected.items():
        if data.get(key) != value:
            out.append(
                at(
                    key,
                    T(
                        "không đọc lại được đúng như đã nhập (hãy báo lỗi)",
                        "does not read back as typed (please report this)",
                    ),
                )
            )
    keys = [
        (i + 1, m.group(1))
        for i, row in enumerate(text.splitlines())
        if (m := re.match(r"^([a-z_]+):", row))
    ]
    for d in check_schema(doc, "initiative", schema_dir):
        key = next((k for n, k in reversed(keys) if n <= d.line), "title")
        out.append(at(key, T(d.message("vi"), d.message("en"))))
    return out
