"""Cross-file rules (SK2xx): what JSON Schema cannot say because it needs other files.

Per-file rules run where the file is loaded (possibly in a worker process) against a small,
picklable `Context` of the other files' ids; registry-wide rules (duplicate ids, agency
history) run once over everything. Rules read the data defensively: a file that also failed
the schema still gets every other problem reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, T
from generator.load.yamlstrict import LoadedDoc
from generator.model import to_date
from generator.text.vn import closest


@dataclass(frozen=True)
class AgencyInfo:
    valid_from: date | None
    valid_to: date | None
    successors: tuple[str, ...]


@dataclass
class Context:
    """What a per-file check needs to know about the rest of the registry."""

    agencies: dict[str, AgencyInfo] = field(default_factory=dict)
    field_ids: frozenset[str] = frozenset()
    initiative_ids: frozenset[str] = frozenset()
    project_dir: str = "."
    today: date = field(default_factory=date.today)
    attachment_max_bytes: int = 10_000_000
    summary_max: int = 600
    review_years: int = 2
    schema_dir: str | None = None
    # False when the caller wants diagnostics only: workers then send back just the fields
    # the registry-wide rules read, not whole records (less pickling, far less memory).
    keep_data: bool = True


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def initiative_rules(doc: LoadedDoc, ctx: Context) -> list[Diagnostic]:
    d = _dict(doc.data)
    out: list[Diagnostic] = []

    def add(code: str, where: tuple[Any, ...], /, **args: Any) -> None:
        # `where` is positional-only: messages may take an argument named `path` (SK212).
        line, col = doc.pos(where)
        out.append(Diagnostic(code, doc.path, line, col, args))

    # Id equals file name; the year folder equals the year in the id.
    stem = Path(doc.path).stem
    rid = d.get("id")
    if isinstance(rid, str):
        if rid != stem:
            add("SK201", ("id",), id=rid, stem=stem)
        parts = rid.split("-")
        folder = Path(doc.path).parent.name
        if len(parts) == 3 and parts[1].isdigit() and folder != parts[1]:
            add("SK202", ("id",), folder=folder, year=parts[1])

    def agency_ref(path: tuple[Any, ...], ref: Any) -> AgencyInfo | None:
        if not isinstance(ref, str):
            return None
        info = ctx.agencies.get(ref)
        if info is None:
            add("SK204", path, ref=ref, suggestion=closest(ref, ctx.agencies))
        return info

    agency_ref(("agency",), d.get("agency"))
    if "investor" in d:
        agency_ref(("investor",), d.get("investor"))
    for i, f in enumerate(_list(d.get("fields"))):
        if isinstance(f, str) and f not in ctx.field_ids:
            add("SK205", ("fields", i), ref=f, suggestion=closest(f, ctx.field_ids))
    for i, r in enumerate(_list(d.get("related"))):
        if isinstance(r, str) and r not in ctx.initiative_ids:
            # Never suggest the record itself, or an id the list already holds.
            listed = {x for x in _list(d.get("related")) if isinstance(x, str)}
            others = ctx.initiative_ids - listed - {stem, rid if isinstance(rid, str) else stem}
            # Initiative ids all look alike: only a one-character slip is worth a suggestion.
            add("SK206", ("related", i), ref=r, suggestion=closest(r, others, cutoff=0.9))

    authors = [a for a in _list(d.get("authors")) if isinstance(a, dict)]
    pcts = [a.get("contribution_pct") for a in authors]
    if authors and all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in pcts):
        total = sum(pcts)  # type: ignore[arg-type]
        if abs(total - 100) > 0.01:
            shown = int(total) if float(total).is_integer() else round(total, 2)
            add("SK207", ("authors",), total=shown)

    # Dates: real (schema `format: date`) and not in the future.
    def date_at(path: tuple[Any, ...], value: Any, name: str) -> date | None:
        day = to_date(value)
        if day and day > ctx.today:
            add(
                "SK208",
                path,
                field=name,
                date=day.strftime("%d/%m/%Y"),
                today=ctx.today.strftime("%d/%m/%Y"),
            )
        return day

    first = date_at(("first_applied",), d.get("first_applied"), "first_applied")
    previous: date | None = None
    granted_lower = False
    for i, r in enumerate(_list(d.get("recognitions"))):
        if not isinstance(r, dict):
            continue
        day = date_at(
            ("recognitions", i, "decision_date"),
            r.get("decision_date"),
            f"recognitions[{i}].decision_date",
        )
        if day is None:
            continue
        if first and first > day:
            add(
                "SK209",
                ("first_applied",),
                first=first.strftime("%d/%m/%Y"),
                decision=r.get("decision_no", "?"),
                date=day.strftime("%d/%m/%Y"),
            )
        if previous and day < previous:
            add(
                "SK217",
                ("recognitions", i, "decision_date"),
                date=day.strftime("%d/%m/%Y"),
                previous=previous.strftime("%d/%m/%Y"),
            )
        previous = day
        level = r.get("level")
        outcome = r.get("outcome", "dat")
        if level in ("tinh", "toan-quoc") and outcome == "dat" and not granted_lower:
            add("SK210", ("recognitions", i, "level"), level=level)
        if level in ("co-so", "bo-nganh") and outcome == "dat":
            granted_lower = True
        issuer = r.get("issuer")
        info = agency_ref(("recognitions", i, "issuer"), issuer)
        if info and info.valid_to and day > info.valid_to:
            add(
                "SK218",
                ("recognitions", i, "issuer"),
                ref=issuer,
                valid_to=info.valid_to.strftime("%d/%m/%Y"),
                date=day.strftime("%d/%m/%Y"),
            )

    revoked = d.get("revoked")
    if isinstance(revoked, dict):
        rday = date_at(
            ("revoked", "decision_date"), revoked.get("decision_date"), "revoked.decision_date"
        )
        grants = [
            to_date(r.get("decision_date"))
            for r in _list(d.get("recognitions"))
            if isinstance(r, dict) and r.get("outcome", "dat") == "dat"
        ]
        grants = [g for g in grants if g]
        if not grants:
            add(
                "SK219",
                ("revoked",),
                detail=T(
                    "revoked nhưng chưa có lần công nhận nào đạt",
                    "revoked but there is no granted recognition",
                ),
            )
        elif rday and rday < min(grants):
            add(
                "SK219",
                ("revoked", "decision_date"),
                detail=T(
                    "ngày huỷ trước ngày công nhận đầu tiên", "revoked before the first recognition"
                ),
            )

    for i, a in enumerate(_list(d.get("adoptions"))):
        if not isinstance(a, dict):
            continue
        since = date_at(("adoptions", i, "since"), a.get("since"), f"adoptions[{i}].since")
        info = agency_ref(("adoptions", i, "agency"), a.get("agency"))
        if info and info.valid_to and since and since > info.valid_to:
            add(
                "SK211",
                ("adoptions", i, "agency"),
                ref=a.get("agency"),
                valid_to=info.valid_to.strftime("%d/%m/%Y"),
                since=since.strftime("%d/%m/%Y"),
                successors=", ".join(info.successors) or "?",
            )

    rep = _dict(d.get("replication"))
    contact = _dict(rep.get("contact"))
    if "agency" in contact:
        agency_ref(("replication", "contact", "agency"), contact.get("agency"))

    prov = _dict(d.get("provenance"))
    date_at(("provenance", "last_reviewed"), prov.get("last_reviewed"), "provenance.last_reviewed")

    root = Path(ctx.project_dir)
    for i, att in enumerate(_list(d.get("attachments"))):
        rel = _dict(att).get("path")
        if not isinstance(rel, str):
            continue
        if _leaves_attachments(root, rel):
            # Never stat, read or export it: `..` or a link could reach any file of the host.
            add("SK017", ("attachments", i, "path"), path=rel)
            continue
        target = root / rel
        try:
            size = target.stat().st_size if target.is_file() else None
        except OSError:
            size = None
        if size is None:
            add("SK212", ("attachments", i, "path"), path=rel)
        elif size > ctx.attachment_max_bytes:
            add(
                "SK213",
                ("attachments", i, "path"),
                path=rel,
                size=_mb(size),
                limit=_mb(ctx.attachment_max_bytes),
            )
    return out


def _leaves_attachments(root: Path, rel: str) -> bool:
    """Whether `rel` (`registry/attachments/<id>/<file>`) leads out of the attachments folder:
    a `..` part, a backslash, an absolute path, or a symbolic link anywhere along it."""
    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or ".." in parts or len(parts) < 3:
        return True
    base = os.path.realpath(root / parts[0] / parts[1])
    target = root / rel
    real = os.path.realpath(target)
    if not real.startswith(base + os.sep):
        return True
    # realpath hides a link that points back inside; a link is refused wherever it points.
    probe = root / parts[0] / parts[1]
    for part in parts[2:]:
        probe = probe / part
        if probe.is_symlink():
            return True
    return False


def _mb(n: int) -> T:
    """A file size the way people read it: 2.4 KB, 12.5 MB (decimal comma in Vietnamese)."""
    if n >= 1_000_000:
        num, unit = n / 1_000_000, "MB"
    elif n >= 1_000:
        num, unit = n / 1_000, "KB"
    else:
        return T(f"{n} byte", f"{n} bytes")
    text = f"{num:.1f}".removesuffix(".0")
    return T(f"{text.replace('.', ',')} {unit}", f"{text} {unit}")


def agency_rules(docs: list[LoadedDoc], today: date) -> list[Diagnostic]:
    """Id = file name, references exist, successors and predecessors point at each other."""
    out: list[Diagnostic] = []
    by_id = {
        doc.data["id"]: doc
        for doc in docs
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str)
    }

    def add(doc: LoadedDoc, code: str, where: tuple[Any, ...], /, **args: Any) -> None:
        line, col = doc.pos(where)
        out.append(Diagnostic(code, doc.path, line, col, args))

    for aid, doc in by_id.items():
        d = doc.data
        stem = Path(doc.path).stem
        if aid != stem:
            add(doc, "SK215", ("id",), id=aid, stem=stem)
        parent = d.get("parent")
        if isinstance(parent, str) and parent not in by_id:
            add(doc, "SK204", ("parent",), ref=parent, suggestion=closest(parent, by_id))
        vf, vt = to_date(d.get("valid_from")), to_date(d.get("valid_to"))
        if vf and vt and vt < vf:
            add(
                doc,
                "SK220",
                ("valid_to",),
                valid_to=vt.strftime("%d/%m/%Y"),
                valid_from=vf.strftime("%d/%m/%Y"),
            )
        for name, day in (("valid_from", vf), ("valid_to", vt)):
            if day and day > today:
                add(
                    doc,
                    "SK208",
                    (name,),
                    field=name,
                    date=day.strftime("%d/%m/%Y"),
                    today=today.strftime("%d/%m/%Y"),
                )
        for rel, back in (("successors", "predecessors"), ("predecessors", "successors")):
            for i, other in enumerate(_list(d.get(rel))):
                if not isinstance(other, str):
                    continue
                target = by_id.get(other)
                if target is None:
                    add(doc, "SK204", (rel, i), ref=other, suggestion=closest(other, by_id))
                elif aid not in _list(target.data.get(back)):
                    add(doc, "SK214", (rel, i), a=aid, b=other, rel=rel, back=back)
    return out


def fields_rules(doc: LoadedDoc) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, f in enumerate(_list(doc.data)):
        fid = _dict(f).get("id")
        if not isinstance(fid, str):
            continue
        line, col = doc.pos((i, "id"))
        if fid in seen:
            out.append(
                Diagnostic("SK216", doc.path, line, col, {"id": fid, "first_line": seen[fid]})
            )
        else:
            seen[fid] = line
    return out
