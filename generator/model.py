"""Typed records of the registry, built from validated plain data.

Raw fields keep their YAML names (see schema/ and data-model.md). Computed values are named
apart so nobody mistakes them for stored data:

* `Initiative.status_level`       highest level with outcome `dat`, or None (revoked -> None)
* `Initiative.is_recognized`      at least one `dat` recognition and not revoked
* `Initiative.first_recognition`  the earliest `dat` recognition
* `Initiative.year`               the year in the id
* `Initiative.slug`               lower-case id, used in URLs (`sang-kien/<slug>/`)
* `Initiative.adoption_count`     adoptions not at stage `ngung`
* `Registry.current_agencies(id)` where an agency's work lives today (follows successors)

Each record keeps `raw`, the plain data as loaded (NFC text, ISO date strings), for the
JSON API and exports, and `source`, its file path relative to the project root.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any, Union

LEVEL_ORDER = {"co-so": 1, "bo-nganh": 2, "tinh": 3, "toan-quoc": 4}
READINESS_ORDER = {"idea": 1, "pilot": 2, "proven": 3, "packaged": 4}


def to_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    position: str | None = None
    contribution_pct: float | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    indicator: str
    unit: str
    result: float
    # Optional: published sources often give only the result ("405 thủ tục được gắn mã QR").
    baseline: float | None = None
    period: str | None = None
    method: str | None = None

    @property
    def change_pct(self) -> float | None:
        """Relative change from baseline to result, in percent (None without a baseline or
        when it is 0)."""
        if not self.baseline:
            return None
        return (self.result - self.baseline) / abs(self.baseline) * 100


@dataclass(frozen=True, slots=True)
class Recognition:
    level: str
    decision_date: date
    issuer: str
    # Optional: a news report names the level and the issuer, not always the number.
    decision_no: str | None = None
    kind: str = "cong-nhan"
    outcome: str = "dat"
    score: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Revocation:
    decision_no: str
    decision_date: date
    reason: str


@dataclass(frozen=True, slots=True)
class Step:
    title: str
    detail: str | None = None
    duration_days: int | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    role: str
    agency: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Replication:
    readiness: str
    core: str | None = None
    adaptable: str | None = None
    prerequisites: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    cost_vnd: int | None = None
    lead_time_days: int | None = None
    risks: str | None = None
    contact: Contact | None = None


@dataclass(frozen=True, slots=True)
class Adoption:
    agency: str
    since: date
    stage: str
    agency_name_at_time: str | None = None
    result: str | None = None
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    title: str
    kind: str
    path: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Procedure:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Provenance:
    sample: bool = False
    source: str | None = None
    last_reviewed: date | None = None


@dataclass(frozen=True, slots=True)
class Initiative:
    id: str
    title: str
    fields: tuple[str, ...]
    agency: str
    agency_name_at_time: str
    source: str
    raw: dict[str, Any] = field(compare=False, repr=False)
    # Optional since schema 1.1: a recognition decision lists title, authors and unit but no
    # description; a news report often names no author and no solution type (SK321).
    summary: str = ""
    solution_types: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    problem: str | None = None
    solution: str | None = None
    title_en: str | None = None
    tags: tuple[str, ...] = ()
    investor: str | None = None
    first_applied: date | None = None
    first_applied_kind: str | None = None
    legal_basis: str | None = None
    legal_basis_note: str | None = None
    novelty: str | None = None
    conditions: str | None = None
    benefits: str | None = None
    metrics: tuple[Metric, ...] = ()
    recognitions: tuple[Recognition, ...] = ()
    revoked: Revocation | None = None
    replication: Replication | None = None
    adoptions: tuple[Adoption, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    related: tuple[str, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    provenance: Provenance = Provenance()
    schema_version: int | None = None

    # ---- computed -------------------------------------------------------------------------
    @property
    def year(self) -> int:
        return int(self.id.split("-")[1])

    @property
    def slug(self) -> str:
        return self.id.lower()

    @property
    def granted(self) -> tuple[Recognition, ...]:
        """Recognitions with outcome `dat`, oldest first."""
        return tuple(r for r in self.recognitions if r.outcome == "dat")

    @property
    def is_recognized(self) -> bool:
        return self.revoked is None and bool(self.granted)

    @property
    def status_level(self) -> str | None:
        if not self.is_recognized:
            return None
        return max(self.granted, key=lambda r: LEVEL_ORDER.get(r.level, 0)).level

    @property
    def first_recognition(self) -> Recognition | None:
        granted = self.granted
        return min(granted, key=lambda r: r.decision_date) if granted else None

    @property
    def latest_decision_date(self) -> date | None:
        dates = [r.decision_date for r in self.recognitions]
        return max(dates) if dates else None

    @property
    def adoption_count(self) -> int:
        return sum(1 for a in self.adoptions if a.stage != "ngung")

    @property
    def readiness(self) -> str | None:
        return self.replication.readiness if self.replication else None


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    kind: str
    source: str
    raw: dict[str, Any] = field(compare=False, repr=False)
    name_en: str | None = None
    parent: str | None = None
    unit_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successors: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()
    schema_version: int | None = None

    @property
    def ceased(self) -> bool:
        return self.valid_to is not None

    def active_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    name: str
    name_en: str
    description: str | None = None


@dataclass
class Registry:
    """Everything loaded: initiatives by id (sorted), agencies by id, fields by id."""

    initiatives: dict[str, Initiative]
    agencies: dict[str, Agency]
    fields: dict[str, Field]
    root: str = "registry"

    def current_agencies(self, agency_id: str) -> list[Agency]:
        """Where an agency's work lives today: itself, or its successors (transitively)."""
        out: list[Agency] = []
        seen: set[str] = set()
        todo = [agency_id]
        while todo:
            aid = todo.pop(0)
            if aid in seen:
                continue
            seen.add(aid)
            agency = self.agencies.get(aid)
            if agency is None:
                continue
            if agency.ceased and agency.successors:
                todo.extend(agency.successors)
            else:
                out.append(agency)
        return out

    def lineage(self, agency_id: str) -> set[str]:
        """The agency and every predecessor it absorbed (transitively): its own history."""
        seen: set[str] = set()
        todo = [agency_id]
        while todo:
            aid = todo.pop()
            if aid in seen:
                continue
            seen.add(aid)
            agency = self.agencies.get(aid)
            if agency:
                todo.extend(agency.predecessors)
        return seen

    def agency_name(self, agency_id: str) -> str:
        agency = self.agencies.get(agency_id)
        return agency.name if agency else agency_id

    def field_name(self, field_id: str) -> str:
        f = self.fields.get(field_id)
        return f.name if f else field_id


# ---- construction from plain data ---------------------------------------------------------
# One generic builder driven by the dataclasses' own type hints: a field the data lacks takes
# its default, so an optional schema property that is missing can never raise. The schema ⇔
# model test (tests/security/test_real_records.py) checks that every optional schema property
# has a default here and every required one has none.


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if value is None else _convert(args[0], value)
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_convert(item, v) for v in value or ())
    if tp is date:
        return to_date(value)
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        return from_mapping(tp, value) if isinstance(value, dict) else None
    return value


def from_mapping(cls: type[Any], data: dict[str, Any], **extra: Any) -> Any:
    """Build dataclass `cls` from validated plain data; `extra` sets fields not in the data."""
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in extra:
            kwargs[f.name] = extra[f.name]
            continue
        value = data.get(f.name)
        if value is None:
            # Missing (or null): the default applies; a required field without a value is a
            # schema error that validation reported, so keep the dataclass's own complaint.
            if f.default is MISSING and f.default_factory is MISSING:
                kwargs[f.name] = None
            continue
        kwargs[f.name] = _convert(hints[f.name], value)
    return cls(**kwargs)


def initiative_from_dict(d: dict[str, Any], source: str) -> Initiative:
    """Build a typed Initiative from data that passed the schema."""
    return from_mapping(Initiative, d, source=source, raw=d)  # type: ignore[no-any-return]


def agency_from_dict(d: dict[str, Any], source: str) -> Agency:
    return from_mapping(Agency, d, source=source, raw=d)  # type: ignore[no-any-return]


def field_from_dict(d: dict[str, Any]) -> Field:
    return from_mapping(Field, d)  # type: ignore[no-any-return]
