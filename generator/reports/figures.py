"""The figures of a periodic report, computed from the Registry as plain data.

Everything a report shows is computed here, once; the writers (Markdown, DOCX, XLSX, CSV,
JSON) and the site's statistics pages only format `ReportData`, so they cannot disagree.

Definitions (also documented on the "Dữ liệu mở" page, section "Báo cáo định kỳ (JSON)"):

* an initiative is *recognized in the period* when it has at least one recognition with
  outcome `dat` whose `decision_date` falls in the period and it carries no `revoked` block;
* `by_level` counts those recognitions (an initiative recognized at basic and provincial
  level in the same period counts once in each level);
* `by_agency`, `by_field`, `by_solution_type` count the recognized initiatives by the record's
  own `agency` (so a district that ceased keeps its name), each of its `fields` and each of its
  `solution_types`;
* `adoptions_started` counts the adoptions whose `since` falls in the period (every stage, the
  JSON contract); `adoptions_applied` leaves out those only at stage `tim-hieu` ("Đang tìm
  hiểu"), counted apart in `adoptions_exploring`: the printed report shows these two;
* `new_recognized` lists the initiatives whose first `dat` recognition falls in the period,
  and `provincial_granted` counts the provincial-scope grants of the period: shown apart;
* the previous period has the same length, ending the day before the period starts (whole
  months are shifted by months, so 2024 compares with 2023).

With `agency`, the report covers the records owned by that agency and, when `rollup` is true,
by every predecessor whose records it reports (`heir`: a ceased agency's first successor).
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.config import Settings
from generator.model import LEVEL_ORDER, Adoption, Initiative, Recognition, Registry

PROVINCIAL_LEVELS = ("tinh", "toan-quoc")
MOST_REPLICATED_LIMIT = 10
REPORT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Counts:
    """The contract figures of one period."""

    period_from: date
    period_to: date
    recognized: tuple[str, ...]
    by_level: dict[str, int]
    by_agency: dict[str, int]
    by_field: dict[str, int]
    by_solution_type: dict[str, int]
    adoptions_started: int
    # Counting rules (docs/reference/cach-dem.md): "Đang tìm hiểu" is not an application, so
    # it is counted apart; the headline counts initiatives whose *first* recognition falls
    # in the period, apart from provincial-scope grants (often for older initiatives).
    adoptions_exploring: int = 0
    # `adoptions_started` keeps its contract meaning (every stage); people read this one.
    adoptions_applied: int = 0
    new_recognized: tuple[str, ...] = ()
    provincial_granted: int = 0


@dataclass(frozen=True)
class Decision:
    """One recognition decision of an in-scope initiative, with the initiative's identity."""

    initiative_id: str
    title: str
    agency: str
    agency_name_at_time: str
    level: str
    kind: str
    outcome: str
    decision_no: str | None
    decision_date: date
    revoked: bool


@dataclass(frozen=True)
class AdoptionRow:
    initiative_id: str
    title: str
    agency: str
    agency_name: str
    since: date
    stage: str
    evidence: str | None
    result: str | None


@dataclass(frozen=True)
class Replicated:
    initiative_id: str
    title: str
    agency: str
    adopters: int
    started_in_period: int


@dataclass(frozen=True)
class BenefitSum:
    """Metrics that share one unit, added up over the initiatives recognized in the period."""

    unit: str
    metrics: int
    initiatives: int
    baseline: float
    result: float

    @property
    def change(self) -> float:
        return self.result - self.baseline


@dataclass(frozen=True)
class QualityNote:
    key: str
    label: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows."""

    current: Counts
    previous: Counts
    agency: str | None
    rollup: bool
    scope_agencies: tuple[str, ...]
    provincial: tuple[Decision, ...]
    adoptions: tuple[AdoptionRow, ...]
    most_replicated: tuple[Replicated, ...]
    benefits: tuple[BenefitSum, ...]
    quality: tuple[QualityNote, ...]
    quality_as_of: date
    annex: tuple[Decision, ...]
    sum_units: tuple[str, ...] = field(default=())

    @property
    def period_from(self) -> date:
        return self.current.period_from

    @property
    def period_to(self) -> date:
        return self.current.period_to

    @property
    def provincial_outcomes(self) -> dict[str, int]:
        return dict(Counter(d.outcome for d in self.provincial))


# ---- periods ------------------------------------------------------------------------------
def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before `start`..`end` (inclusive dates).

    Whole months shift by months (2024 -> 2023, Q2 -> Q1) so that a leap year or a 31-day month
    does not push the comparison off by a day; any other span shifts by days.
    """
    if start == date.min:
        # Nothing comes before the first day there is: an empty comparison period.
        return date.min, date.min
    prev_end = start - timedelta(days=1)
    if start.day == 1 and _is_month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if start.year * 12 + start.month - 1 - months < 12:  # would fall before year 1
            return date.min, prev_end
        return _add_months(start, -months), prev_end
    length = (end - start).days
    if (prev_end - date.min).days < length:
        return date.min, prev_end
    return prev_end - timedelta(days=length), prev_end


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (negative when `later` is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day and not (
        _is_month_end(later) and later.day < calendar.monthrange(earlier.year, earlier.month)[1]
    ):
        months -= 1
    return months


# ---- scope --------------------------------------------------------------------------------
def heir(registry: Registry, agency_id: str) -> str:
    """The one successor that reports a ceased agency's records: its first listed successor.

    A district that ended its operation often lists several communes as successors; its
    records are reported once, by the first one (the one that took over the function), never
    once per successor. Followed transitively; an active agency is its own heir.
    """
    seen: set[str] = set()
    current = agency_id
    while current not in seen:
        seen.add(current)
        agency = registry.agencies.get(current)
        if agency is None or not agency.ceased or not agency.successors:
            return current
        current = agency.successors[0]
    return current


def scope_agencies(registry: Registry, agency: str | None, rollup: bool = True) -> set[str] | None:
    """The agency ids whose records a report covers; None means the whole registry.

    With `rollup`, a predecessor is included only when this agency is its heir (`heir`), so
    a ceased agency's initiatives appear in exactly one successor's report.
    """
    if agency is None:
        return None
    if not rollup:
        return {agency}
    return {a for a in registry.lineage(agency) if a == agency or heir(registry, a) == agency}


def _in_scope(registry: Registry, scope: set[str] | None) -> list[Initiative]:
    items = registry.initiatives.values()
    if scope is None:
        return list(items)
    return [i for i in items if i.agency in scope]


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


# ---- the contract figures -----------------------------------------------------------------
def count_period(initiatives: list[Initiative], start: date, end: date) -> Counts:
    """The contract figures for `start`..`end` (both inclusive) over `initiatives`."""
    recognized: list[Initiative] = []
    by_level: Counter[str] = Counter({level: 0 for level in LEVEL_ORDER})
    adoptions = 0
    exploring = 0
    new: list[str] = []
    provincial = 0
    for ini in initiatives:
        for a in ini.adoptions:
            if _within(a.since, start, end):
                adoptions += 1
                exploring += a.stage == "tim-hieu"
        if ini.revoked is not None:
            continue
        first = min(
            (r.decision_date for r in ini.recognitions if r.outcome == "dat" and r.decision_date),
            default=None,
        )
        if _within(first, start, end):
            new.append(ini.id)
        granted = [
            r
            for r in ini.recognitions
            if r.outcome == "dat" and _within(r.decision_date, start, end)
        ]
        if not granted:
            continue
        recognized.append(ini)
        by_level.update(r.level for r in granted)
        provincial += sum(1 for r in granted if r.level in PROVINCIAL_LEVELS)
    by_agency: Counter[str] = Counter(i.agency for i in recognized)
    by_field: Counter[str] = Counter(f for i in recognized for f in dict.fromkeys(i.fields))
    by_type: Counter[str] = Counter(t for i in recognized for t in dict.fromkeys(i.solution_types))
    return Counts(
        period_from=start,
        period_to=end,
        recognized=tuple(sorted(i.id for i in recognized)),
        by_level={k: by_level[k] for k in sorted(by_level, key=lambda v: LEVEL_ORDER.get(v, 99))},
        by_agency=dict(sorted(by_agency.items())),
        by_field=dict(sorted(by_field.items())),
        by_solution_type=dict(sorted(by_type.items())),
        adoptions_started=adoptions,
        adoptions_exploring=exploring,
        adoptions_applied=adoptions - exploring,
        new_recognized=tuple(sorted(new)),
        provincial_granted=provincial,
    )


# (start, end) -> (the records counted, their figures). The statistics pages count each year
# twice (as a report's own year and as the year before the next one) and a rebuild under
# `sangkien serve` counts again with mostly the same records; equal records, same figures.
_COUNTED: dict[tuple[date, date], tuple[tuple[Initiative, ...], Counts]] = {}


def _count_period_again(initiatives: list[Initiative], start: date, end: date) -> Counts:
    """`count_period`, reusing the figures last counted for the same period and records."""
    records = tuple(initiatives)
    hit = _COUNTED.get((start, end))
    if hit is not None and (hit[0] is records or hit[0] == records):
        return hit[1]
    counts = count_period(initiatives, start, end)
    _COUNTED[(start, end)] = (records, counts)
    return counts


def _decision(ini: Initiative, rec: Recognition) -> Decision:
    return Decision(
        initiative_id=ini.id,
        title=ini.title,
        agency=ini.agency,
        agency_name_at_time=ini.agency_name_at_time,
        level=rec.level,
        kind=rec.kind,
        outcome=rec.outcome,
        decision_no=rec.decision_no,
        decision_date=rec.decision_date,
        revoked=ini.revoked is not None,
    )


def _adoption_row(registry: Registry, ini: Initiative, a: Adoption) -> AdoptionRow:
    return AdoptionRow(
        initiative_id=ini.id,
        title=ini.title,
        agency=a.agency,
        agency_name=a.agency_name_at_time or registry.agency_name(a.agency),
        since=a.since,
        stage=a.stage,
        evidence=a.evidence,
        result=a.result,
    )


def _sub_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def compute(
    registry: Registry,
    period_from: date,
    period_to: date,
    agency: str | None = None,
    rollup: bool = True,
    *,
    today: date | None = None,
    review_years: int = 2,
    sum_units: tuple[str, ...] | list[str] = ("giờ/năm", "giờ", "hồ sơ", "đồng"),
) -> ReportData:
    """Compute every figure of the report for `period_from`..`period_to` (inclusive).

    `today` dates the data-quality notes (records not reviewed for `review_years`); it
    defaults to the period's end. Raises ValueError for an inverted period or an unknown agency.
    """
    if period_to < period_from:
        raise ValueError("period_to is before period_from")
    if agency is not None and agency not in registry.agencies:
        raise ValueError(f"unknown agency {agency!r}")
    scope = scope_agencies(registry, agency, rollup)
    initiatives = _in_scope(registry, scope)
    current = _count_period_again(initiatives, period_from, period_to)
    prev_from, prev_to = previous_period(period_from, period_to)
    previous = _count_period_again(initiatives, prev_from, prev_to)

    provincial: list[Decision] = []
    annex: list[Decision] = []
    adoptions: list[AdoptionRow] = []
    replicated: list[Replicated] = []
    for ini in initiatives:
        in_period = [
            r for r in ini.recognitions if _within(r.decision_date, period_from, period_to)
        ]
        for rec in sorted(in_period, key=lambda r: (r.decision_date, LEVEL_ORDER.get(r.level, 9))):
            decision = _decision(ini, rec)
            annex.append(decision)
            if rec.level in PROVINCIAL_LEVELS:
                provincial.append(decision)
        # Only exploring ("tim-hieu") is not an application: neither started nor active.
        started = [
            a
            for a in ini.adoptions
            if _within(a.since, period_from, period_to) and a.stage != "tim-hieu"
        ]
        adoptions.extend(_adoption_row(registry, ini, a) for a in started)
        # Adopters as they stood at the end of the period: started by then, not stopped.
        active = {
            a.agency
            for a in ini.adoptions
            if a.since <= period_to and a.stage not in ("ngung", "tim-hieu")
        }
        if active:
            replicated.append(Replicated(ini.id, ini.title, ini.agency, len(active), len(started)))
    annex.sort(key=lambda d: (d.initiative_id, d.decision_date))
    provincial.sort(key=lambda d: (d.decision_date, d.initiative_id))
    adoptions.sort(key=lambda a: (a.since, a.initiative_id, a.agency))
    replicated.sort(key=lambda r: (-r.adopters, -r.started_in_period, r.initiative_id))

    # Benefits: only units where adding up makes sense (hours saved, files, money).
    units = tuple(sum_units)
    sums: dict[str, list[float]] = {}
    per_unit_initiatives: dict[str, set[str]] = {}
    for ini_id in current.recognized:
        ini = registry.initiatives[ini_id]
        for m in ini.metrics:
            # Without a baseline the change is unknown: adding only the result would
            # overstate the benefit, so such a metric is left out of the sums.
            if m.unit not in units or m.baseline is None:
                continue
            acc = sums.setdefault(m.unit, [0, 0.0, 0.0])
            acc[0] += 1
            acc[1] += m.baseline
            acc[2] += m.result
            per_unit_initiatives.setdefault(m.unit, set()).add(ini_id)
    benefits = tuple(
        BenefitSum(unit, int(acc[0]), len(per_unit_initiatives[unit]), acc[1], acc[2])
        for unit, acc in sorted(sums.items(), key=lambda kv: units.index(kv[0]))
    )

    # Data-quality notes cover every in-scope record that existed by the end of the period.
    as_of = today or period_to
    stale_before = _sub_years(as_of, review_years)
    existing = sorted((i for i in initiatives if i.year <= period_to.year), key=lambda i: i.id)
    quality = (
        QualityNote(
            "without_metrics",
            "Chưa có chỉ số đo lường kết quả",
            tuple(i.id for i in existing if not i.metrics),
        ),
        QualityNote(
            "without_replication",
            "Chưa có thông tin nhân rộng (mức sẵn sàng, các bước)",
            tuple(i.id for i in existing if i.replication is None),
        ),
        QualityNote(
            "not_reviewed",
            f"Chưa được rà soát trong {review_years} năm",
            tuple(
                i.id
                for i in existing
                if i.provenance.last_reviewed is None or i.provenance.last_reviewed < stale_before
            ),
        ),
    )
    return ReportData(
        current=current,
        previous=previous,
        agency=agency,
        rollup=rollup,
        scope_agencies=tuple(sorted(scope)) if scope is not None else (),
        provincial=tuple(provincial),
        adoptions=tuple(adoptions),
        most_replicated=tuple(replicated[:MOST_REPLICATED_LIMIT]),
        benefits=benefits,
        quality=quality,
        quality_as_of=as_of,
        annex=tuple(annex),
        sum_units=units,
    )


def compute_for_settings(
    registry: Registry,
    settings: Settings,
    period_from: date,
    period_to: date,
    agency: str | None = None,
    rollup: bool = True,
) -> ReportData:
    """`compute` with the review window, today and summed units taken from Settings."""
    return compute(
        registry,
        period_from,
        period_to,
        agency,
        rollup,
        today=settings.today_date(),
        review_years=settings.review_years,
        sum_units=tuple(settings.report_sum_units or ()),
    )


# ---- the JSON contract --------------------------------------------------------------------
def _counts_json(c: Counts) -> dict[str, object]:
    return {
        "period": {"from": c.period_from.isoformat(), "to": c.period_to.isoformat()},
        "totals": {
            "recognized": len(c.recognized),
            "new_recognized": len(c.new_recognized),
            "provincial_granted": c.provincial_granted,
        },
        "by_level": dict(c.by_level),
        "by_agency": dict(c.by_agency),
        "by_field": dict(c.by_field),
        "by_solution_type": dict(c.by_solution_type),
        "adoptions_started": c.adoptions_started,
        "adoptions_applied": c.adoptions_applied,
        "adoptions_exploring": c.adoptions_exploring,
        "initiatives": list(c.recognized),
    }


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 6)


def to_json(data: ReportData) -> dict[str, object]:
    """The report as the JSON contract (top-level keys first), plus the documented extras."""
    out = _counts_json(data.current)
    out.update(
        {
            "format_version": REPORT_FORMAT_VERSION,
            "scope": {
                "agency": data.agency,
                "rollup": data.rollup,
                "agencies": list(data.scope_agencies),
            },
            "previous": _counts_json(data.previous),
            "provincial": {
                "by_outcome": dict(sorted(data.provincial_outcomes.items())),
                "decisions": [_decision_json(d) for d in data.provincial],
            },
            "adoptions": [
                {
                    "initiative": a.initiative_id,
                    "agency": a.agency,
                    "agency_name": a.agency_name,
                    "since": a.since.isoformat(),
                    "stage": a.stage,
                    "evidence": a.evidence,
                }
                for a in data.adoptions
            ],
            "most_replicated": [
                {
                    "initiative": r.initiative_id,
                    "agency": r.agency,
                    "adopters": r.adopters,
                    "started_in_period": r.started_in_period,
                }
                for r in data.most_replicated
            ],
            "benefits": [
                {
                    "unit": b.unit,
                    "metrics": b.metrics,
                    "initiatives": b.initiatives,
                    "baseline": _num(b.baseline),
                    "result": _num(b.result),
                    "change": _num(b.change),
                }
                for b in data.benefits
            ],
            "data_quality": {
                "as_of": data.quality_as_of.isoformat(),
                **{q.key: list(q.ids) for q in data.quality},
            },
            "annex": [_decision_json(d) for d in data.annex],
        }
    )
    return out


def _decision_json(d: Decision) -> dict[str, object]:
    return {
        "initiative": d.initiative_id,
        "agency": d.agency,
        "agency_name_at_time": d.agency_name_at_time,
        "level": d.level,
        "kind": d.kind,
        "outcome": d.outcome,
        "decision_no": d.decision_no,
        "decision_date": d.decision_date.isoformat(),
        "revoked": d.revoked,
    }
