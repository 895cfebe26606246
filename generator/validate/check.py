"""Check a whole registry: load every file, run schema and rules, collect every diagnostic.

Initiative files are independent once the small agency and field files are known, so they are
loaded and checked in worker processes (the C YAML composer and jsonschema are CPU-bound);
only registry-wide rules run in the parent. Nothing stops at the first problem.
"""

from __future__ import annotations

import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.diagnostics import Diagnostic, T
from generator.load.yamlstrict import LoadedDoc, read_file
from generator.model import (
    Agency,
    Field,
    Initiative,
    Registry,
    agency_from_dict,
    field_from_dict,
    initiative_from_dict,
    to_date,
)
from generator.validate.content import initiative_warnings
from generator.validate.duplicates import TitleRecord, find_duplicates
from generator.validate.rules import (
    AgencyInfo,
    Context,
    _list,
    agency_rules,
    fields_rules,
    initiative_rules,
)
from generator.validate.schema import check_schema, fast_validator_for

# Below this many files the cost of starting workers outweighs the gain.
PARALLEL_MIN_FILES = 300


@dataclass
class CheckResult:
    """Every diagnostic found, plus the registry built from the files that were valid."""

    registry: Registry
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0

    def errors(self, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.effective_severity(strict) == "error"]

    def warnings(self, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.effective_severity(strict) == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors(strict)


@dataclass
class _FileOutcome:
    display: str
    data: dict[str, Any] | None
    diagnostics: list[Diagnostic]
    valid: bool
    id_pos: tuple[int, int]
    title_pos: tuple[int, int]


_CTX: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _CTX
    _CTX = ctx


def _check_initiative_file(args: tuple[str, str]) -> _FileOutcome:
    path, display = args
    ctx = _CTX
    assert ctx is not None
    doc = read_file(Path(path), display)
    diags = list(doc.diagnostics)
    valid = False
    if doc.data is not None:
        schema_diags = check_schema(doc, "initiative", ctx.schema_dir)
        diags.extend(schema_diags)
        valid = doc.ok and not schema_diags
        if isinstance(doc.data, dict):
            diags.extend(initiative_rules(doc, ctx))
            diags.extend(initiative_warnings(doc, ctx))
    return _FileOutcome(
        display,
        _outcome_data(doc.data, ctx.keep_data),
        diags,
        valid,
        doc.pos(("id",)),
        doc.pos(("title",)),
    )


_TOP_LINE = re.compile(r"^(id|title|agency):[ \t]*(.*?)[ \t]*$", re.M)


def _quick_outcome(path: str, display: str) -> _FileOutcome:
    """Id, title and agency of a record from its top-level lines, without a full check.

    Falls back to parsing when a value is not a simple one-line scalar.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return _FileOutcome(display, None, [], False, (1, 1), (1, 1))
    found: dict[str, Any] = {}
    lines: dict[str, tuple[int, int]] = {}
    for m in _TOP_LINE.finditer(text):
        key, raw = m.group(1), m.group(2)
        if key in found or not raw or raw[0] in "|>&*!{[#" or " #" in raw:
            found = {}
            break
        if raw[0] in "\"'":
            if len(raw) < 2 or raw[-1] != raw[0] or "\\" in raw or raw[0] in raw[1:-1]:
                found = {}
                break
            raw = raw[1:-1]
        found[key] = unicodedata.normalize("NFC", raw)
        line = text.count("\n", 0, m.start()) + 1
        lines[key] = (line, len(key) + 3)
    if len(found) == 3:
        return _FileOutcome(display, found, [], False, lines["id"], lines["title"])
    doc = read_file(Path(path), display)
    return _FileOutcome(
        display, _outcome_data(doc.data, False), [], False, doc.pos(("id",)), doc.pos(("title",))
    )


# What the registry-wide rules read from a record (duplicate ids, similar titles).
_SLIM_KEYS = ("id", "title", "agency")


def _outcome_data(data: Any, keep: bool) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    return data if keep else {k: data[k] for k in _SLIM_KEYS if k in data}


def _rel(path: Path, project: Path) -> str:
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def registry_files(root: Path) -> tuple[list[Path], list[Path], Path]:
    """The initiative files, agency files and the fields file of a registry folder."""
    initiatives = sorted(
        p
        for p in (root / "initiatives").glob("*/*")
        if p.suffix in (".yml", ".yaml") and p.is_file()
    )
    agencies = sorted(
        p for p in (root / "agencies").glob("*") if p.suffix in (".yml", ".yaml") and p.is_file()
    )
    return initiatives, agencies, root / "taxonomy" / "fields.yml"


def check_registry(
    settings: Settings,
    only: set[str] | None = None,
    jobs: int | None = None,
    build_model: bool = True,
) -> CheckResult:
    """Load and check everything under `settings.registry_path`.

    `only`: project-relative paths to report on; the whole registry is still loaded, so
    references and duplicate ids are checked against everything. `build_model=False` skips
    building typed records (the `validate` command only needs the diagnostics).
    """
    project = Path(settings.project_dir)
    root = settings.registry_path
    schema_dir = str(settings.schema_path)
    today = settings.today_date()
    diags: list[Diagnostic] = []
    initiative_paths, agency_paths, fields_path = registry_files(root)

    # Fields and agencies first: they are small and every initiative refers to them.
    fields: dict[str, Field] = {}
    if fields_path.is_file():
        fdoc = read_file(fields_path, _rel(fields_path, project))
        diags.extend(fdoc.diagnostics)
        if fdoc.data is not None:
            schema_diags = check_schema(fdoc, "fields", schema_dir)
            diags.extend(schema_diags)
            diags.extend(fields_rules(fdoc))
            for item in fdoc.data if isinstance(fdoc.data, list) else []:
                if (
                    isinstance(item, dict)
                    and isinstance(item.get("id"), str)
                    and isinstance(item.get("name"), str)
                ):
                    fields.setdefault(
                        item["id"], field_from_dict({"name_en": item["name"], **item})
                    )
    else:
        diags.append(
            Diagnostic(
                "SK001",
                _rel(fields_path, project),
                0,
                0,
                {"reason": T("không có tệp", "the file is missing")},
            )
        )

    agency_docs: list[LoadedDoc] = []
    agencies: dict[str, Agency] = {}
    for p in agency_paths:
        adoc = read_file(p, _rel(p, project))
        diags.extend(adoc.diagnostics)
        if adoc.data is None:
            continue
        schema_diags = check_schema(adoc, "agency", schema_dir)
        diags.extend(schema_diags)
        agency_docs.append(adoc)
        if adoc.ok and not schema_diags:
            agencies[adoc.data["id"]] = agency_from_dict(adoc.data, adoc.path)
    diags.extend(agency_rules(agency_docs, today))

    agency_info = {
        d.data["id"]: AgencyInfo(
            to_date(d.data.get("valid_from")),
            to_date(d.data.get("valid_to")),
            tuple(x for x in _list(d.data.get("successors")) if isinstance(x, str)),
        )
        for d in agency_docs
        if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)
    }
    ctx = Context(
        agencies=agency_info,
        field_ids=frozenset(fields),
        initiative_ids=frozenset(p.stem for p in initiative_paths),
        project_dir=str(project),
        today=today,
        attachment_max_bytes=settings.attachment_max_bytes,
        summary_max=settings.summary_max,
        review_years=settings.review_years,
        schema_dir=schema_dir,
        keep_data=build_model,
    )

    # Display paths are computed once for the folder, not resolved per file (10,000 stat calls).
    init_dir = root / "initiatives"
    shown_dir = _rel(init_dir, project)
    work = [(str(p), f"{shown_dir}/{p.relative_to(init_dir).as_posix()}") for p in initiative_paths]
    n_jobs = jobs if jobs is not None else (settings.jobs or os.cpu_count() or 1)
    indexed: list[_FileOutcome] = []
    if only is not None and not build_model:
        # Reporting on a few files (a pull request, `sangkien new`): the others are only
        # needed for their id, title and agency (duplicate ids, similar titles), which a
        # line scan gives without parsing or checking them.
        wanted_paths = {Path(p).as_posix() for p in only}
        rest = [w for w in work if w[1] not in wanted_paths]
        work = [w for w in work if w[1] in wanted_paths]
        indexed = [_quick_outcome(path, display) for path, display in rest]
    pool: ProcessPoolExecutor | None = None
    if n_jobs > 1 and len(work) >= PARALLEL_MIN_FILES:
        chunk = max(16, len(work) // (n_jobs * 8))
        # Compiled once here: forked workers inherit the compiled validator instead of each
        # compiling it again.
        fast_validator_for("initiative", schema_dir)
        pool = ProcessPoolExecutor(max_workers=n_jobs, initializer=_init_worker, initargs=(ctx,))
        try:
            outcomes = list(pool.map(_check_initiative_file, work, chunksize=chunk))
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    else:
        _init_worker(ctx)
        outcomes = [_check_initiative_file(w) for w in work]

    outcomes = sorted([*outcomes, *indexed], key=lambda oc: oc.display) if indexed else outcomes
    initiatives: dict[str, Initiative] = {}
    first_seen: dict[str, _FileOutcome] = {}
    titles: list[TitleRecord] = []
    by_id_outcome: dict[str, _FileOutcome] = {}
    for oc in outcomes:
        diags.extend(oc.diagnostics)
        rid = oc.data.get("id") if oc.data else None
        if not isinstance(rid, str):
            continue
        if rid in first_seen:
            line, col = oc.id_pos
            diags.append(
                Diagnostic(
                    "SK203", oc.display, line, col, {"id": rid, "other": first_seen[rid].display}
                )
            )
            continue
        first_seen[rid] = oc
        if build_model and oc.valid and oc.data is not None:
            initiatives[rid] = initiative_from_dict(oc.data, oc.display)
        if (
            oc.data
            and isinstance(oc.data.get("title"), str)
            and isinstance(oc.data.get("agency"), str)
        ):
            titles.append(
                TitleRecord(rid, oc.data["title"], _lineage_head(oc.data["agency"], agency_info))
            )
            by_id_outcome[rid] = oc

    if pool is not None:
        # Agency groups are independent: the duplicate search runs in the same workers
        # instead of as a serial tail in the parent.
        try:
            buckets = _balanced_groups(titles, n_jobs)
            pairs = [
                p
                for part in pool.map(
                    find_duplicates, buckets, [settings.duplicate_threshold] * len(buckets)
                )
                for p in part
            ]
        finally:
            pool.shutdown()
    else:
        pairs = find_duplicates(titles, settings.duplicate_threshold)
    for newer, older, ratio in sorted(pairs):
        oc = by_id_outcome[newer]
        line, col = oc.title_pos
        diags.append(
            Diagnostic(
                "SK305",
                oc.display,
                line,
                col,
                {
                    "other": f"{older} ({by_id_outcome[older].display})",
                    "similarity": round(ratio * 100),
                },
            )
        )

    if only is not None:
        wanted = {Path(p).as_posix() for p in only}
        diags = [d for d in diags if d.file in wanted]
    diags.sort(key=Diagnostic.sort_key)
    registry = Registry(
        initiatives=dict(sorted(initiatives.items())),
        agencies=dict(sorted(agencies.items())),
        fields=fields,
        root=str(root),
    )
    return CheckResult(registry, diags, len(work) + len(agency_paths) + 1)


def _balanced_groups(titles: list[TitleRecord], n: int) -> list[list[TitleRecord]]:
    """Split records into `n` batches of whole agency groups with about equal work."""
    groups: dict[str, list[TitleRecord]] = {}
    for t in titles:
        groups.setdefault(t.group, []).append(t)
    buckets: list[list[TitleRecord]] = [[] for _ in range(n)]
    cost = [0] * n
    for members in sorted(groups.values(), key=len, reverse=True):
        i = cost.index(min(cost))
        buckets[i].extend(members)
        cost[i] += len(members) ** 2
    return [b for b in buckets if b]


def _lineage_head(agency_id: str, agencies: dict[str, AgencyInfo]) -> str:
    """Group an agency with the successor that absorbed it, so merged units compare together."""
    seen = set()
    current = agency_id
    while (
        current in agencies
        and agencies[current].valid_to
        and len(agencies[current].successors) == 1
        and current not in seen
    ):
        seen.add(current)
        current = agencies[current].successors[0]
    return current


def check_file_standalone(
    path: Path, kind: str, display: str, schema_dir: str | None = None
) -> list[Diagnostic]:
    """Schema-check one file on its own (used by `fmt` and tools that have no registry)."""
    doc = read_file(path, display)
    if doc.data is None:
        return doc.diagnostics
    return doc.diagnostics + check_schema(doc, kind, schema_dir)
