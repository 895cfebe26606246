"""A new initiative record: the next free id, the commented YAML text and a safe first write.

Every contribution path (the `sangkien new` wizard, `sangkien from-issue`, the web form's
build-time data) goes through here, so they allocate ids the same way and write the same
commented file. Labels, help texts and examples come from schema/initiative.schema.json and
the registry's taxonomy and agency files, never from strings kept here, so they cannot drift.
"""

from __future__ import annotations

import datetime
import functools
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator import fsio
from generator.config import Settings
from generator.fmt import _style, _yaml
from generator.load.yamlstrict import read_file
from generator.model import Agency, Field, Registry, agency_from_dict, field_from_dict
from generator.text.vn import closest as vn_closest
from generator.text.vn import fold
from generator.validate.check import registry_files
from generator.validate.schema import load_schema

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/initiative.schema.json"

# The Markdown sections a contributor writes, in schema order. Required ones first get a
# value; the others are written as empty blocks with guidance so nobody has to look them up.
TEXT_SECTIONS = ("problem", "solution", "novelty", "conditions", "benefits")

_ID_NUMBER = re.compile(r"^(?P<prefix>[A-Z]{2,6})-(?P<year>[0-9]{4})-(?P<n>[0-9]{4})$")


class ContribError(Exception):
    """Bad input from a contributor (unknown agency, impossible year ...): a clear message."""


# ---- schema access ------------------------------------------------------------------------
def initiative_schema(settings: Settings) -> dict[str, Any]:
    """The initiative JSON Schema used by validation (the single source of truth)."""
    return load_schema("initiative", str(settings.schema_path))


def prop(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    """The sub-schema at a property path; `[]` steps into array items."""
    node = schema
    for step in path:
        node = node.get("items", {}) if step == "[]" else node.get("properties", {}).get(step, {})
    return node


def enum_labels(sub: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, Vietnamese label) for an enum sub-schema, or for an array of enums."""
    target = sub.get("items", sub) if sub.get("type") == "array" else sub
    labels = target.get("x-enum-labels", {})
    return [(v, labels.get(v, v)) for v in target.get("enum", [])]


def first_example(sub: dict[str, Any]) -> Any:
    examples = sub.get("examples") or []
    return examples[0] if examples else None


# ---- ids ------------------------------------------------------------------------------------
def used_numbers(settings: Settings, year: int) -> set[int]:
    """Numbers already taken for `year`, from file names anywhere under initiatives/.

    File names rather than loaded records: a file that fails validation still owns its id.
    """
    return used_numbers_by_year(settings).get(year, set())


def used_numbers_by_year(settings: Settings) -> dict[int, set[int]]:
    """`used_numbers` for every year at once: one walk of initiatives/ (10,000 files)."""
    root = settings.registry_path / "initiatives"
    taken: dict[int, set[int]] = {}
    if not root.is_dir():
        return taken
    for p in root.glob("*/*"):
        m = _ID_NUMBER.match(p.stem)
        if m and m["prefix"] == settings.id_prefix:
            taken.setdefault(int(m["year"]), set()).add(int(m["n"]))
    return taken


def format_id(settings: Settings, year: int, number: int) -> str:
    return f"{settings.id_prefix}-{year:04d}-{number:04d}"


def next_free_id(settings: Settings, year: int) -> str:
    """The id after the highest one used in `year` (gaps are left alone: ids are never reused)."""
    taken = used_numbers(settings, year)
    number = max(taken, default=0) + 1
    if number > 9999:
        raise ContribError(
            f"hết mã cho năm {year} / no ids left for {year} ({settings.id_prefix}-{year}-9999 đã dùng / used)"
        )
    return format_id(settings, year, number)


def check_year(settings: Settings, year: int) -> None:
    today = settings.today_date()
    if not 1990 <= year <= today.year:
        raise ContribError(f"năm không hợp lệ / invalid year: {year} (1990-{today.year})")


# ---- lookups with suggestions -----------------------------------------------------------------
def closest(wanted: str, candidates: dict[str, str]) -> str | None:
    """The candidate id closest to `wanted`, comparing folded ids and folded names."""
    # Every word of the input found in a name ("Bình Sơn xã") is the best hint; otherwise a
    # close spelling of an id or a name; otherwise an id or name that contains the input.
    words = search(wanted, candidates)
    if words:
        return words[0]
    hint = vn_closest(wanted, candidates, names=candidates)
    if hint:
        return hint
    folded = fold(wanted)
    contains = [
        cid
        for cid, name in candidates.items()
        if folded and (folded in fold(cid) or folded in fold(name))
    ]
    return contains[0] if contains else None


def search(query: str, candidates: dict[str, str]) -> list[str]:
    """Ids whose folded id or name contains every folded word of `query` (diacritic-insensitive).

    When some of them contain the words as one phrase ("xa binh" in "UBND xã Bình Sơn"), only
    those are returned, so a short phrase picks one unit among many that share its words.
    """
    words = fold(query).split()
    hits = [
        cid for cid, name in candidates.items() if all(w in fold(f"{cid} {name}") for w in words)
    ]
    phrase = " ".join(words)
    exact = [
        cid for cid in hits if phrase in fold(candidates[cid]) or phrase.replace(" ", "-") in cid
    ]
    return exact or hits


def load_choices(settings: Settings) -> Registry:
    """Only the agencies and fields of the registry: what the wizard and the issue parser offer.

    Reading the initiatives too would double the cost of `sangkien new` on a large registry,
    which validates the new file against everything once it is written anyway. Files that do
    not parse are skipped here; validation reports them.
    """
    _, agency_paths, fields_path = registry_files(settings.registry_path)
    agencies: dict[str, Agency] = {}
    for path in agency_paths:
        doc = read_file(path, path.name)
        data = doc.data
        if isinstance(data, dict) and all(
            isinstance(data.get(k), str) for k in ("id", "name", "kind")
        ):
            agencies[data["id"]] = agency_from_dict(data, path.name)
    fields: dict[str, Field] = {}
    doc = read_file(fields_path, fields_path.name) if fields_path.is_file() else None
    for item in doc.data if doc is not None and isinstance(doc.data, list) else []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("name"), str)
        ):
            fields[item["id"]] = field_from_dict({"name_en": item["name"], **item})
    return Registry(
        initiatives={}, agencies=agencies, fields=fields, root=str(settings.registry_path)
    )


def agency_choices(registry: Registry) -> dict[str, str]:
    """Agency id -> display name; ceased agencies say so, so new records pick a current unit."""
    out: dict[str, str] = {}
    for aid, agency in sorted(registry.agencies.items(), key=lambda kv: fold(kv[1].name)):
        out[aid] = agency.name + (
            f" (đến {agency.valid_to.isoformat()})" if agency.valid_to else ""
        )
    return out


def field_choices(registry: Registry) -> dict[str, str]:
    return {fid: f.name for fid, f in registry.fields.items()}


def require_known(kind_vi: str, kind_en: str, value: str, candidates: dict[str, str]) -> None:
    if value in candidates:
        return
    hint = closest(value, candidates)
    tail = f" — có phải ý bạn là / did you mean `{hint}` ({candidates[hint]})?" if hint else ""
    raise ContribError(f"{kind_vi} không tồn tại / unknown {kind_en}: `{value}`{tail}")


# ---- the record -----------------------------------------------------------------------------
@dataclass
class Draft:
    """What a contributor told us; everything else in the file is guidance for later."""

    year: int
    title: str
    agency: str
    agency_name_at_time: str
    fields: list[str]
    solution_types: list[str]
    authors: list[tuple[str, str | None]]
    summary: str = ""
    title_en: str | None = None
    first_applied: str | None = None
    texts: dict[str, str] = field(default_factory=dict)


def parse_author(raw: str) -> tuple[str, str | None]:
    """`Họ tên` or `Họ tên, Chức vụ` (names never contain a comma; positions may)."""
    name, _, position = raw.partition(",")
    return " ".join(name.split()), (" ".join(position.split()) or None)


def _emit(key: str, value: Any, indent: str = "") -> list[str]:
    """`key: value` as YAML lines, written by the emitter (ruamel), never by a string template.

    Contributors type these values (a title of `---`, `: `, `&x`, `!!python/object`, a first
    line indented by spaces ...); only the emitter knows every quoting and block-scalar rule.
    Styles follow `sangkien fmt` (plain when it reads back unchanged, double quotes otherwise,
    `|` for text with line breaks), so a new record is already formatted.
    """
    doc = CommentedMap()
    doc[key] = _styled(value)
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    # Lines are only indented, never trimmed: a block scalar's trailing spaces are content.
    return [f"{indent}{line}" if line else "" for line in buf.getvalue().splitlines()]


def _styled(value: Any) -> Any:
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v) for v in value)
        if all(isinstance(v, str) and "\n" not in v for v in value):
            seq.fa.set_flow_style()  # `fields: [a, b]`, as the registry writes id lists
        return seq
    if isinstance(value, dict):
        return CommentedMap((k, _styled(v)) for k, v in value.items())
    if not isinstance(value, str):
        return value
    styled = _style(value)
    if type(styled) is str:
        # `_style` keeps text plain when our loader reads it back unchanged; ruamel may still
        # quote it (`...`, a date-like string), and then it must use double quotes, as fmt does.
        probe = CommentedMap(k=styled)
        buf = io.StringIO()
        _yaml().dump(probe, buf)
        if buf.getvalue() != f"k: {value}\n":
            return DoubleQuotedScalarString(value)
    return styled


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() if line.strip()]


def _block(key: str, value: str, indent: str = "") -> list[str]:
    """`key: |` followed by the text, or an empty string when there is nothing yet."""
    body = value.strip("\n")
    if not body.strip():
        return _emit(key, "", indent)
    # A block field ends with one line break, like every record in the registry.
    return _emit(key, body + "\n", indent)


def block_value(value: str) -> str:
    """The value `render` stores for a Markdown field typed as `value` (what a reload gives)."""
    body = value.strip("\n")
    return body + "\n" if body.strip() else ""


def _date_or_text(value: str) -> Any:
    # A real date is written plain (`2025-03-01`) like every record; anything else the
    # emitter quotes, and validation then names it.
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else value
    except ValueError:
        return value


def render(draft: Draft, record_id: str, schema: dict[str, Any]) -> str:
    """The commented YAML text of a new record, keys in schema order."""
    p = functools.partial(prop, schema)
    lines = [SCHEMA_LINE]
    lines += _comment(
        "Bản nháp sáng kiến mới. Các dòng bắt đầu bằng # là hướng dẫn; hãy điền các mục\n"
        "có chữ TODO rồi chạy `sangkien validate`. Xem CONTRIBUTING.md."
    )
    lines += _emit("id", record_id)
    lines += _emit("title", draft.title)
    if draft.title_en:
        lines += _emit("title_en", draft.title_en)
    summary_help = p("summary").get("description", "")
    if draft.summary.strip():
        lines += _comment(f"{p('summary').get('title', '')}: {summary_help}")
        lines += _block("summary", draft.summary)
    else:
        lines += _comment(f"TODO {p('summary').get('title', '')}: {summary_help}")
        lines += _emit("summary", "")
    lines += _emit("solution_types", list(draft.solution_types))
    lines += _emit("fields", list(draft.fields))
    lines += _emit("agency", draft.agency)
    lines += _emit("agency_name_at_time", draft.agency_name_at_time)
    lines += _comment(p("authors").get("description", ""))
    lines += _emit(
        "authors",
        [
            {"name": name, **({"position": position} if position else {})}
            for name, position in draft.authors
        ],
    )
    if draft.first_applied:
        lines += _emit("first_applied", _date_or_text(draft.first_applied))
    else:
        fa = p("first_applied")
        lines += _comment(f"TODO {fa.get('title', '')}: {fa.get('description', '')}")
        lines.append(f"# first_applied: {first_example(fa) or ''}")
    lines += _emit("legal_basis", "nd-13-2012")
    for key in TEXT_SECTIONS:
        sub = p(key)
        value = draft.texts.get(key, "")
        head = "" if value.strip() else "TODO "
        lines += _comment(f"{head}{sub.get('title', key)}: {sub.get('description', '')}")
        example = first_example(sub)
        if example and not value.strip():
            lines += _comment("Ví dụ: " + str(example).replace("\n", " "))
        lines += _block(key, value)
    metrics = p("metrics")
    lines += _comment(f"TODO {metrics.get('title', '')}: {metrics.get('description', '')}")
    lines += _emit("metrics", [])
    lines += _comment(
        "Khi có quyết định công nhận, thêm mục recognitions; khi có hướng dẫn nhân rộng, thêm\n"
        "mục replication (xem registry/README.md và lược đồ schema/initiative.schema.json)."
    )
    return "\n".join(lines) + "\n"


# ---- writing ------------------------------------------------------------------------------
def record_path(settings: Settings, record_id: str) -> Path:
    year = record_id.split("-")[1]
    return settings.registry_path / "initiatives" / year / f"{record_id}.yml"


def write_exclusive(target: Path, text: str) -> None:
    """Create `target` with `text`, atomically and only if it does not exist yet.

    The text goes to a temporary file first and is then hard-linked into place: the link fails
    if the name is taken (never overwrite), and an interrupted run leaves at most the temporary
    file, which `finally` removes, never a half-written record.
    """
    fsio.make_dirs(target.parent)
    try:
        fsio.write_text(target, text, fsync=True)
    except fsio.WriteRefused as exc:
        if os.path.lexists(target):
            raise FileExistsError(str(exc)) from None
        raise


def write_new_record(
    settings: Settings, draft: Draft, schema: dict[str, Any] | None = None
) -> tuple[str, Path]:
    """Allocate the next free id of the draft's year and write the record; (id, path).

    If another contributor takes the id between the scan and the write, the next one is used.
    """
    schema = schema or initiative_schema(settings)
    for _ in range(20):
        record_id = next_free_id(settings, draft.year)
        path = record_path(settings, record_id)
        try:
            write_exclusive(path, render(draft, record_id, schema))
        except FileExistsError:
            continue
        return record_id, path
    raise ContribError(f"không cấp được mã mới cho năm {draft.year} / could not allocate an id")
