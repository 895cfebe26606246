"""Candidates for recognition of provincial scope, judged against criteria that are settings.

The defaults follow practice (Khánh Hòa's written rules, Quảng Ngãi's screening): recognized at
basic level; applied for at least 3 months; adopted by at least 2 other units with written
evidence; measured benefits; a replication package at readiness `proven` or better. Another
province overrides any key in mkdocs.yml:

```yaml
plugins:
  - sangkien:
      candidate_criteria:
        min_adopting_units: 3
        min_readiness: packaged
```

Each candidate carries, for every criterion, the evidence that meets it or what is missing, so
the list can go to the advisory group as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.model import LEVEL_ORDER, READINESS_ORDER, Initiative, Registry
from generator.reports.figures import months_between
from generator.text.legal import document_reference
from generator.text.vn import format_change, format_date, format_number


@dataclass(frozen=True)
class CriterionSetting:
    name: str
    default: Any
    help_vi: str
    help_en: str


# Settings as data: feeds validation, the docs and the report's "criteria" table.
CRITERIA_SETTINGS: tuple[CriterionSetting, ...] = (
    CriterionSetting("recognized_levels", ["co-so", "bo-nganh"], "Cấp công nhận làm điều kiện (đạt, chưa bị hủy).", "Levels whose recognition qualifies (granted, not revoked)."),
    CriterionSetting("exclude_levels", ["tinh", "toan-quoc"], "Đã được công nhận ở các cấp này thì không còn là ứng viên.", "Initiatives already recognized at these levels are not candidates."),
    CriterionSetting("min_months_applied", 3, "Số tháng áp dụng tối thiểu tính đến ngày xét.", "Minimum months of application before the as-of date."),
    CriterionSetting("min_adopting_units", 2, "Số đơn vị khác áp dụng tối thiểu.", "Minimum number of other units that adopted it."),
    CriterionSetting("adoption_stages", ["thi-diem", "ap-dung"], "Giai đoạn áp dụng được tính.", "Adoption stages that count."),
    CriterionSetting("require_evidence", True, "Việc áp dụng phải có văn bản xác nhận.", "Adoptions need written evidence."),
    CriterionSetting("min_metrics", 1, "Số chỉ số đo lường lợi ích tối thiểu.", "Minimum number of measured benefit metrics."),
    CriterionSetting("min_readiness", "proven", "Mức sẵn sàng nhân rộng tối thiểu.", "Minimum replication readiness."),
    CriterionSetting("near_max_missing", 1, "Thiếu tối đa bao nhiêu tiêu chí thì vẫn liệt kê là 'gần đạt'.", "Criteria an initiative may miss and still be listed as nearly qualifying."),
)  # fmt: skip
DEFAULT_CRITERIA: dict[str, Any] = {c.name: c.default for c in CRITERIA_SETTINGS}

CRITERION_LABELS = {
    "recognized": "Đã được công nhận sáng kiến",
    "applied": "Thời gian áp dụng",
    "adopted": "Được đơn vị khác áp dụng, có văn bản xác nhận",
    "metrics": "Có số liệu đo lường lợi ích",
    "readiness": "Mức sẵn sàng nhân rộng",
}


class CriteriaError(ValueError):
    """A `candidate_criteria` setting that cannot be used; the message is bilingual."""


def _check_list(name: str, value: Any, allowed: dict[str, int]) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise CriteriaError(
            f"candidate_criteria.{name}: cần một danh sách / expected a list, got {value!r}"
        )
    bad = [v for v in value if v not in allowed]
    if bad:
        raise CriteriaError(
            f"candidate_criteria.{name}: giá trị không hợp lệ / invalid value {bad[0]!r} "
            f"(hợp lệ / valid: {', '.join(allowed)})"
        )
    return list(value)


def load_criteria(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults updated with `overrides`, checked; raises CriteriaError naming the bad key."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(DEFAULT_CRITERIA))
    if unknown:
        raise CriteriaError(
            f"candidate_criteria: khóa không biết / unknown key {unknown[0]!r} "
            f"(có / known: {', '.join(DEFAULT_CRITERIA)})"
        )
    crit = {**DEFAULT_CRITERIA, **overrides}
    stages = {"tim-hieu": 1, "thi-diem": 2, "ap-dung": 3, "ngung": 4}
    crit["recognized_levels"] = _check_list(
        "recognized_levels", crit["recognized_levels"], LEVEL_ORDER
    )
    crit["exclude_levels"] = _check_list("exclude_levels", crit["exclude_levels"], LEVEL_ORDER)
    crit["adoption_stages"] = _check_list("adoption_stages", crit["adoption_stages"], stages)
    for name in ("min_months_applied", "min_adopting_units", "min_metrics", "near_max_missing"):
        value = crit[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CriteriaError(
                f"candidate_criteria.{name}: cần số nguyên >= 0 / expected an integer >= 0, "
                f"got {value!r}"
            )
    if crit["min_readiness"] not in READINESS_ORDER:
        raise CriteriaError(
            f"candidate_criteria.min_readiness: giá trị không hợp lệ / invalid value "
            f"{crit['min_readiness']!r} (hợp lệ / valid: {', '.join(READINESS_ORDER)})"
        )
    if not isinstance(crit["require_evidence"], bool):
        raise CriteriaError(
            "candidate_criteria.require_evidence: cần true/false / expected a boolean"
        )
    return crit


@dataclass(frozen=True)
class Check:
    """One criterion for one initiative: met or not, the evidence, what is missing."""

    key: str
    met: bool
    evidence: str
    missing: str = ""

    @property
    def label(self) -> str:
        return CRITERION_LABELS[self.key]


@dataclass(frozen=True)
class Candidate:
    initiative: Initiative
    checks: tuple[Check, ...]

    @property
    def qualifies(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)


@dataclass(frozen=True)
class CandidateList:
    as_of: date
    criteria: dict[str, Any]
    candidates: tuple[Candidate, ...]
    considered: int

    @property
    def qualifying(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.qualifies)

    @property
    def nearly(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if not c.qualifies)


def _level_label(level: str) -> str:
    return {"co-so": "cấp cơ sở", "bo-nganh": "cấp bộ, ngành", "tinh": "cấp tỉnh",
            "toan-quoc": "toàn quốc"}.get(level, level)  # fmt: skip


def _readiness_label(value: str | None) -> str:
    return {"idea": "ý tưởng", "pilot": "đang thí điểm", "proven": "đã kiểm chứng",
            "packaged": "đóng gói sẵn để nhân rộng"}.get(value or "", "chưa ghi")  # fmt: skip


def own_units(registry: Registry, agency_id: str) -> set[str]:
    """The owner's own history and the units that took its work over: not "other units"."""
    return registry.lineage(agency_id) | {a.id for a in registry.current_agencies(agency_id)}


def evaluate(
    ini: Initiative,
    registry: Registry,
    crit: dict[str, Any],
    as_of: date,
    own: set[str] | None = None,
) -> Candidate:
    """Judge one initiative against every criterion as of `as_of`.

    `own` is `own_units(registry, ini.agency)`, passed in when judging many initiatives.
    """
    checks: list[Check] = []
    granted = [
        r
        for r in ini.recognitions
        if r.outcome == "dat" and r.level in crit["recognized_levels"] and r.decision_date <= as_of
    ]
    if granted and ini.revoked is None:
        first = min(granted, key=lambda r: r.decision_date)
        checks.append(
            Check(
                "recognized",
                True,
                (
                    f"{document_reference(first.decision_no)} ngày "
                    if first.decision_no
                    else "Quyết định ngày "
                )
                + f"{format_date(first.decision_date)} "
                f"({_level_label(first.level)})",
            )
        )
    else:
        checks.append(Check("recognized", False, "", "chưa có quyết định công nhận sáng kiến"))

    need_months = crit["min_months_applied"]
    if ini.first_applied is None:
        checks.append(Check("applied", False, "", "chưa ghi ngày áp dụng lần đầu"))
    else:
        months = months_between(ini.first_applied, as_of)
        text = f"Áp dụng từ {format_date(ini.first_applied)} ({max(months, 0)} tháng)"
        if months >= need_months:
            checks.append(Check("applied", True, text))
        else:
            checks.append(Check("applied", False, text, f"cần áp dụng ít nhất {need_months} tháng"))

    if own is None:
        own = own_units(registry, ini.agency)
    counted: dict[str, str] = {}
    unproven: set[str] = set()
    for a in sorted(ini.adoptions, key=lambda a: a.since):
        if a.agency in own or a.since > as_of or a.stage not in crit["adoption_stages"]:
            continue
        name = a.agency_name_at_time or registry.agency_name(a.agency)
        if crit["require_evidence"] and not (a.evidence or "").strip():
            unproven.add(name)
            continue
        counted.setdefault(a.agency, f"{name} ({a.evidence})" if a.evidence else name)
    need_units = crit["min_adopting_units"]
    evidence = "; ".join(counted.values())
    if len(counted) >= need_units:
        checks.append(Check("adopted", True, evidence))
    else:
        lack = need_units - len(counted)
        missing = f"cần thêm {lack} đơn vị áp dụng có văn bản xác nhận"
        if unproven:
            missing += f" ({len(unproven)} đơn vị đã áp dụng nhưng chưa có văn bản xác nhận)"
        checks.append(Check("adopted", False, evidence, missing))

    need_metrics = crit["min_metrics"]
    shown = []
    for m in ini.metrics[:3]:
        change = format_change(m.baseline, m.result, m.unit)
        shown.append(
            f"{m.indicator}: "
            + (f"{format_number(m.baseline)} → " if m.baseline is not None else "")
            + f"{format_number(m.result)} {m.unit}"
            + (f" ({change})" if change else "")
        )
    if len(ini.metrics) >= need_metrics:
        checks.append(Check("metrics", True, "; ".join(shown)))
    else:
        checks.append(
            Check("metrics", False, "; ".join(shown), f"cần ít nhất {need_metrics} chỉ số đo lường")
        )

    need = crit["min_readiness"]
    have = ini.readiness
    text = f"Mức sẵn sàng: {_readiness_label(have)}"
    if have and READINESS_ORDER.get(have, 0) >= READINESS_ORDER[need]:
        checks.append(Check("readiness", True, text))
    else:
        checks.append(
            Check(
                "readiness", False, text if have else "", f"cần đạt mức '{_readiness_label(need)}'"
            )
        )
    return Candidate(ini, tuple(checks))


def find_candidates(
    registry: Registry, as_of: date, criteria: dict[str, Any] | None = None
) -> CandidateList:
    """Every initiative that meets the criteria, then those that miss only a few.

    Only initiatives that pass the recognition criterion are considered; those already
    recognized at an excluded (provincial or national) level are left out. Qualifying
    candidates come first, then the nearly-qualifying ones by how little they miss.
    """
    crit = load_criteria(criteria)
    out: list[Candidate] = []
    owners: dict[str, set[str]] = {}
    considered = 0
    # A judgement reads the record, the agencies (names, own units), the criteria and the
    # date: a rebuild under `sangkien serve` judges again only the records that changed.
    context = (registry.agencies, crit, as_of)
    previous = _JUDGED["by_id"] if _JUDGED["context"] == context else {}
    judged: dict[str, tuple[Initiative, set[str], Candidate]] = {}
    for ini in registry.initiatives.values():
        if ini.revoked is not None:
            continue
        if any(
            r.outcome == "dat" and r.level in crit["exclude_levels"] and r.decision_date <= as_of
            for r in ini.recognitions
        ):
            continue
        # Cheap test first: most records of a large registry are not recognized candidates.
        if not any(
            r.outcome == "dat" and r.level in crit["recognized_levels"] and r.decision_date <= as_of
            for r in ini.recognitions
        ):
            continue
        if ini.agency not in owners:
            owners[ini.agency] = own_units(registry, ini.agency)
        own = owners[ini.agency]
        hit = previous.get(ini.id)
        if hit is not None and hit[1] == own and (hit[0] is ini or hit[0] == ini):
            cand = hit[2]
        else:
            cand = evaluate(ini, registry, crit, as_of, own)
        judged[ini.id] = (ini, own, cand)
        if not cand.checks[0].met:
            continue
        considered += 1
        if len(cand.missing) <= crit["near_max_missing"]:
            out.append(cand)
    _JUDGED["context"], _JUDGED["by_id"] = context, judged
    out.sort(key=lambda c: (len(c.missing), c.initiative.id))
    return CandidateList(as_of, crit, tuple(out), considered)


# The last `find_candidates` call: its context (agencies, criteria, date) and, by record id,
# (record, own units, judgement).
_JUDGED: dict[str, Any] = {"context": None, "by_id": {}}


def candidates_json(result: CandidateList, registry: Registry) -> dict[str, Any]:
    """The candidate list as JSON data (stable keys, documented on the open-data page)."""
    return {
        "as_of": result.as_of.isoformat(),
        "criteria": result.criteria,
        "considered": result.considered,
        "qualifying": len(result.qualifying),
        "nearly": len(result.nearly),
        "candidates": [
            {
                "initiative": c.initiative.id,
                "title": c.initiative.title,
                "agency": c.initiative.agency,
                "agency_name": registry.agency_name(c.initiative.agency),
                "qualifies": c.qualifies,
                "criteria": [
                    {"key": ch.key, "met": ch.met, "evidence": ch.evidence, "missing": ch.missing}
                    for ch in c.checks
                ],
            }
            for c in result.candidates
        ],
    }
