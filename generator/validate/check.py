"""Check a whole registry: load every file, run schema and rules, collect every diagnostic.

Initiative files are independent once the small agency and field files are known, so they are
loaded and checked in worker processes (the C YAML composer and jsonschema are CPU-bound);
only registry-wide rules run in the parent. Nothing stops at the first problem.

`check_registry(..., incremental=True)` is for `sangkien serve` rebuilds: it keeps what each
initiative file gave (diagnostics, typed record) in this process and checks again only the
files that changed since the previous incremental call, while the registry-wide rules
(duplicate ids, similar titles) still see every record.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.diagnostics import Diagnostic, T
from generator.load.tree import Listed, RegistryTree, Stamp, scan_registry, stamp_of
from generator.load.yamlstrict import MAX_FILE_BYTES, OPEN_FLAGS, LoadedDoc, read_file
from generator.markup import local_image_paths
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
from generator.validate.duplicates import TitleRecord, find_duplicates, update_duplicates
from generator.validate.prose import prose_diagnostics
from generator.validate.prose_limits import prose_limit_rules
from generator.validate.rules import (
    AgencyInfo,
    Context,
    _dict,
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
            diags.extend(prose_diagnostics(doc, ctx))
            diags.extend(prose_limit_rules(doc, "initiative", ctx.schema_dir))
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
        # Never through a link swapped in after the file tree was walked (see read_file).
        fd = os.open(path, OPEN_FLAGS)
        with os.fdopen(fd, "rb") as fh:
            text = fh.read(MAX_FILE_BYTES + 1).decode("utf-8-sig")
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


def registry_tree(root: Path, project: Path | None = None) -> RegistryTree:
    """The files of a registry folder that are read, and a diagnostic for each one that is not
    (links, `.yaml` names, misplaced files: see `generator.load.tree`)."""
    proj = project if project is not None else root.parent
    return scan_registry(root, proj, _rel(root, proj))


def registry_files(root: Path) -> tuple[list[Path], list[Path], Path]:
    """The initiative files, agency files and the fields file of a registry folder.

    Only files that `check_registry` reads: never a symbolic link, a `.yaml` name or a file
    outside its folder. The fields path is returned even when it is missing (callers test it).
    """
    tree = registry_tree(root)
    return (
        [Path(x.path) for x in tree.initiatives],
        tree.agencies,
        tree.fields or tree.fields_expected,
    )


# ---- the incremental mode (`sangkien serve`) ------------------------------------------------
_Stamp = Stamp
# A file modified this recently may change again within the file system's timestamp
# granularity without its stamp changing (git calls this "racily clean"): check it again.
_RACY_NS = 2_000_000_000


@dataclass
class _Cached:
    stamp: _Stamp
    outcome: _FileOutcome  # `data` cut to _SLIM_KEYS: the typed record is kept instead
    initiative: Initiative | None
    # Attachment files the rules looked at (SK212/SK213), with what they found.
    attachments: tuple[tuple[str, int | None], ...]
    racy: bool


@dataclass
class _Cache:
    ctx: Context | None = None
    schemas: tuple[tuple[str, _Stamp], ...] = ()
    files: dict[str, _Cached] = field(default_factory=dict)
    threshold: float | None = None
    titles: dict[str, TitleRecord] = field(default_factory=dict)
    pairs: list[tuple[str, str, float]] = field(default_factory=list)


# One cache per registry folder, for the life of the process (the serve process).
_CACHES: dict[tuple[str, str], _Cache] = {}
# Past this many changed titles a fresh full search is cheaper than the incremental one.
_DUPLICATES_UPDATE_MAX = 500


def _schema_stamps(schema_dir: str) -> tuple[tuple[str, _Stamp], ...]:
    try:
        return tuple(
            sorted((e.name, stamp_of(e.stat())) for e in os.scandir(schema_dir) if e.is_file())
        )
    except OSError:
        return ()


def _attachment_stamps(data: Any, project: str) -> tuple[tuple[str, int | None], ...]:
    """What the attachment and image rules found for each path of a record: its size, or
    None."""
    out = []
    for att in _list(data.get("attachments")) if isinstance(data, dict) else []:
        rel = _dict(att).get("path")
        if isinstance(rel, str):
            out.append((rel, _file_size(os.path.join(project, rel))))
    # The image files of the prose (SK403-SK405 looked at them too).
    if isinstance(data, dict):
        for rel in local_image_paths(data):
            out.append((rel, _file_size(os.path.join(project, rel))))
    return tuple(out)


def _file_size(path: str) -> int | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size if os.path.isfile(path) else None


def _reusable(hit: _Cached | None, listed: Listed, project: str) -> bool:
    return (
        hit is not None
        and not hit.racy
        and hit.stamp == listed.stamp
        and all(_file_size(os.path.join(project, rel)) == size for rel, size in hit.attachments)
    )


def check_registry(
    settings: Settings,
    only: set[str] | None = None,
    jobs: int | None = None,
    build_model: bool = True,
    incremental: bool = False,
) -> CheckResult:
    """Load and check everything under `settings.registry_path`.

    `only`: project-relative paths to report on; the whole registry is still loaded, so
    references and duplicate ids are checked against everything. `build_model=False` skips
    building typed records (the `validate` command only needs the diagnostics).
    `incremental=True` (`sangkien serve`; ignored with `only` or `build_model=False`): files
    unchanged since the previous incremental call in this process keep their diagnostics
    and typed record, and only the others are read and checked again. The result is the
    same as a full check's; any change to agencies, fields, the set of initiative ids, the
    schemas or the settings makes every file be checked again.
    """
    project = Path(settings.project_dir)
    root = settings.registry_path
    schema_dir = str(settings.schema_path)
    today = settings.today_date()
    diags: list[Diagnostic] = []
    use_cache = incremental and only is None and build_model
    # Display paths are computed once for the folder, not resolved per file (10,000 stat calls).
    scan_started = time.time_ns()
    tree = scan_registry(root, project, _rel(root, project))
    diags.extend(tree.diagnostics)
    listed = tree.initiatives
    agency_paths = tree.agencies
    fields_path = tree.fields or tree.fields_expected
    initiative_stems = frozenset(x.stem for x in listed)

    # Fields and agencies first: they are small and every initiative refers to them.
    fields: dict[str, Field] = {}
    if tree.fields is not None:
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
    elif not tree.fields_refused:
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
        initiative_ids=initiative_stems,
        project_dir=str(project),
        today=today,
        attachment_max_bytes=settings.attachment_max_bytes,
        summary_max=settings.summary_max,
        review_years=settings.review_years,
        schema_dir=schema_dir,
        keep_data=build_model,
    )

    cache: _Cache | None = None
    reused: dict[str, _Cached] = {}
    if use_cache:
        cache = _CACHES.setdefault((str(project), str(root)), _Cache())
        schemas = _schema_stamps(schema_dir)
        if cache.ctx != ctx or cache.schemas != schemas:
            cache.ctx, cache.schemas, cache.files = ctx, schemas, {}
        for x in listed:
            hit = cache.files.get(x.path)
            if hit is not None and _reusable(hit, x, str(project)):
                reused[x.path] = hit
        work = [(x.path, x.display) for x in listed if x.path not in reused]
    else:
        work = [(x.path, x.display) for x in listed]
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
    # Typed records already built, by outcome (the incremental mode's cached ones).
    typed: dict[int, Initiative | None] = {}
    if cache is not None:
        outcomes, typed = _merge_cached(cache, listed, reused, outcomes, str(project), scan_started)
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
            ini = typed.get(id(oc)) if typed else None
            initiatives[rid] = ini if ini is not None else initiative_from_dict(oc.data, oc.display)
        if (
            oc.data
            and isinstance(oc.data.get("title"), str)
            and isinstance(oc.data.get("agency"), str)
        ):
            titles.append(
                TitleRecord(rid, oc.data["title"], _lineage_head(oc.data["agency"], agency_info))
            )
            by_id_outcome[rid] = oc

    changed_titles = (
        _changed_titles(cache, titles)
        if cache is not None and cache.threshold == settings.duplicate_threshold
        else None
    )
    if (
        cache is not None
        and changed_titles is not None
        and len(changed_titles) <= _DUPLICATES_UPDATE_MAX
    ):
        # Only the records whose title or agency group changed are compared again.
        pairs = update_duplicates(cache.pairs, titles, changed_titles, settings.duplicate_threshold)
        if pool is not None:
            pool.shutdown()
    elif pool is not None:
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
    if cache is not None:
        cache.threshold = settings.duplicate_threshold
        cache.titles = {t.id: t for t in titles}
        cache.pairs = list(pairs)
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
    checked = len(listed) if cache is not None else len(work)
    return CheckResult(registry, diags, checked + len(agency_paths) + 1)


def _merge_cached(
    cache: _Cache,
    listed: list[Listed],
    reused: dict[str, _Cached],
    fresh: list[_FileOutcome],
    project: str,
    scan_started: int,
) -> tuple[list[_FileOutcome], dict[int, Initiative | None]]:
    """Every file's outcome in listing order (cached or just checked); the cache updated.

    Fresh outcomes carry whole records: their typed record is built here, once, and the
    cache keeps it with only the fields the registry-wide rules read.
    """
    by_display = {oc.display: oc for oc in fresh}
    files: dict[str, _Cached] = {}
    outcomes: list[_FileOutcome] = []
    typed: dict[int, Initiative | None] = {}
    for x in listed:
        hit = reused.get(x.path)
        if hit is None:
            oc = by_display[x.display]
            ini = (
                initiative_from_dict(oc.data, oc.display)
                if oc.valid and isinstance(oc.data, dict)
                else None
            )
            slim = _FileOutcome(
                oc.display,
                _outcome_data(oc.data, False),
                oc.diagnostics,
                oc.valid,
                oc.id_pos,
                oc.title_pos,
            )
            hit = _Cached(
                x.stamp,
                slim,
                ini,
                _attachment_stamps(oc.data, project),
                x.stamp[0] >= scan_started - _RACY_NS,
            )
        files[x.path] = hit
        outcomes.append(hit.outcome)
        typed[id(hit.outcome)] = hit.initiative
    # Files gone from the registry leave the cache with this assignment.
    cache.files = files
    return outcomes, typed


def _changed_titles(cache: _Cache, titles: list[TitleRecord]) -> set[str]:
    """Ids added, removed, or whose title or agency group changed since the cached search."""
    now = {t.id: t for t in titles}
    changed = {i for i, t in now.items() if cache.titles.get(i) != t}
    changed.update(i for i in cache.titles if i not in now)
    return changed


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
