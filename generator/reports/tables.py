"""The report as titled tables of typed cells: the one shape every writer formats.

Markdown, DOCX and XLSX show these tables as they are and CSV flattens them, so every format
shows the same numbers. Cells keep their Python types (int, float, date, str) so that the XLSX
gets real numbers and dates; writers format them for people with generator.text.vn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.model import Registry
from generator.reports.criteria import CRITERIA_SETTINGS, CandidateList
from generator.reports.figures import Counts, Decision, ReportData, heir
from generator.reports.labels import Labels
from generator.text.vn import collation_key, format_date

Cell = str | int | float | date | None

# Spreadsheet tab names (at most 31 characters) by table key.
SHEET_NAMES = {
    "tong-hop": "Tổng hợp",
    "theo-cap": "Theo cấp",
    "theo-co-quan": "Theo cơ quan",
    "theo-linh-vuc": "Theo lĩnh vực",
    "theo-loai": "Theo loại giải pháp",
    "de-xuat-cap-tinh": "Đề xuất cấp tỉnh",
    "ap-dung-moi": "Áp dụng mới",
    "nhan-rong-nhieu-nhat": "Nhân rộng nhiều nhất",
    "loi-ich": "Lợi ích",
    "chat-luong": "Chất lượng dữ liệu",
    "chat-luong-chi-tiet": "Chất lượng - chi tiết",
    "phu-luc": "Phụ lục",
    "tieu-chi": "Tiêu chí",
    "ung-vien": "Ứng viên",
    "ung-vien-tieu-chi": "Minh chứng",
}


@dataclass(frozen=True)
class Column:
    """`kind` is text, int, float or date; `width` is a share of the printable width."""

    key: str
    label: str
    kind: str = "text"
    width: float = 1.0
    # Machine keys (agency ids, indicator keys) go to XLSX/CSV; printed forms show names.
    machine: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    # Long record-by-record tables go to XLSX, CSV and JSON only; the printed report shows a
    # summary of them.
    detail: bool = False

    def column(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


def period_text(start: date, end: date) -> str:
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return f"năm {start.year}"
    return f"từ ngày {format_date(start)} đến ngày {format_date(end)}"


def _diff(a: int, b: int) -> int:
    return a - b


def agency_label(registry: Registry, agency_id: str) -> str:
    """The agency's name; for one that ceased, where its work lives now."""
    agency = registry.agencies.get(agency_id)
    if agency is None:
        return agency_id
    if agency.ceased and agency.successors:
        # One successor reports the ceased agency's records (figures.heir), so one is named.
        now = registry.agency_name(heir(registry, agency_id))
        return f"{agency.name} (đã kết thúc hoạt động; nay là {now})"
    return agency.name


def _breakdown(
    key: str,
    title: str,
    head: str,
    cur: dict[str, int],
    prev: dict[str, int],
    name: Any,
    keep_order: Sequence[str] | None = None,
) -> Table:
    keys = list(keep_order) if keep_order is not None else list(dict.fromkeys([*cur, *prev]))
    if keep_order is None:
        keys.sort(key=lambda k: (-cur.get(k, 0), -prev.get(k, 0), collation_key(name(k))))
    rows = tuple(
        (k, name(k), cur.get(k, 0), prev.get(k, 0), _diff(cur.get(k, 0), prev.get(k, 0)))
        for k in keys
    )
    return Table(
        key,
        title,
        (
            Column("id", "Mã", "text", 1.6, machine=True),
            Column("name", head, "text", 4.2),
            Column("current", "Kỳ báo cáo", "int", 1.1),
            Column("previous", "Kỳ trước", "int", 1.1),
            Column("change", "Tăng (+)/giảm (-)", "int", 1.2),
        ),
        rows,
    )


def report_tables(data: ReportData, registry: Registry, labels: Labels) -> list[Table]:
    """Every table of the periodic report, in the order the printed report shows them."""
    cur: Counts = data.current
    prev: Counts = data.previous
    prov_granted = sum(1 for d in data.provincial if d.outcome == "dat")
    # Counting rules: docs/reference/cach-dem.md. New initiatives and provincial-scope grants
    # are two rows, never added together.
    summary_rows: list[tuple[Cell, ...]] = [
        (
            "new_recognized",
            "Sáng kiến mới được công nhận trong kỳ",
            len(cur.new_recognized),
            len(prev.new_recognized),
        ),
        (
            "provincial_granted",
            "Lượt công nhận phạm vi ảnh hưởng cấp tỉnh trở lên trong kỳ",
            cur.provincial_granted,
            prev.provincial_granted,
        ),
        (
            "recognized",
            "Sáng kiến có quyết định công nhận trong kỳ (mọi cấp)",
            len(cur.recognized),
            len(prev.recognized),
        ),
    ]
    for level in labels.levels():
        summary_rows.append(
            (
                f"level:{level}",
                f"Lượt công nhận {labels.level(level).lower()}",
                cur.by_level.get(level, 0),
                prev.by_level.get(level, 0),
            )
        )
    summary_rows.append(
        (
            "adoptions_applied",
            "Lượt áp dụng, thí điểm mới",
            cur.adoptions_applied,
            prev.adoptions_applied,
        )
    )
    summary_rows.append(
        (
            "adoptions_exploring",
            "Lượt đơn vị đang tìm hiểu (chưa áp dụng)",
            cur.adoptions_exploring,
            prev.adoptions_exploring,
        )
    )
    summary = Table(
        "tong-hop",
        "Tổng hợp kết quả",
        (
            Column("id", "Mã chỉ tiêu", "text", 1.8, machine=True),
            Column("name", "Chỉ tiêu", "text", 4.0),
            Column("current", "Kỳ báo cáo", "int", 1.1),
            Column("previous", "Kỳ trước", "int", 1.1),
            Column("change", "Tăng (+)/giảm (-)", "int", 1.2),
        ),
        tuple((*r, _diff(int(r[2]), int(r[3]))) for r in summary_rows),  # type: ignore[arg-type]
        note=(
            f"Kỳ báo cáo: {period_text(data.period_from, data.period_to)}; kỳ trước: "
            f"{period_text(prev.period_from, prev.period_to)}."
        ),
    )
    tables = [
        summary,
        _breakdown(
            "theo-cap", "Theo cấp công nhận", "Cấp công nhận", cur.by_level, prev.by_level,
            labels.level, keep_order=labels.levels(),
        ),
        _breakdown(
            "theo-co-quan", "Theo cơ quan, đơn vị", "Cơ quan, đơn vị", cur.by_agency,
            prev.by_agency, lambda k: agency_label(registry, k),
        ),
        _breakdown(
            "theo-linh-vuc", "Theo lĩnh vực", "Lĩnh vực", cur.by_field, prev.by_field,
            registry.field_name,
        ),
        _breakdown(
            "theo-loai", "Theo loại giải pháp", "Loại giải pháp", cur.by_solution_type,
            prev.by_solution_type, labels.solution_type,
        ),
    ]  # fmt: skip
    tables.append(
        Table(
            "de-xuat-cap-tinh",
            "Đề xuất công nhận phạm vi ảnh hưởng cấp tỉnh và kết quả",
            (
                Column("id", "Mã sáng kiến", "text", 1.5),
                Column("title", "Tên sáng kiến", "text", 3.6),
                Column("agency", "Cơ quan, đơn vị", "text", 2.0),
                Column("level", "Cấp", "text", 0.9),
                Column("outcome", "Kết quả", "text", 1.2),
                Column("decision_no", "Số quyết định", "text", 1.4),
                Column("decision_date", "Ngày", "date", 1.1),
            ),
            _decision_rows(labels, data.provincial),
            note=f"{len(data.provincial)} lượt xét, {prov_granted} lượt đạt.",
        )
    )
    tables.append(
        Table(
            "ap-dung-moi",
            "Áp dụng, nhân rộng bắt đầu trong kỳ",
            (
                Column("id", "Mã sáng kiến", "text", 1.5),
                Column("title", "Tên sáng kiến", "text", 3.4),
                Column("agency", "Đơn vị áp dụng", "text", 2.2),
                Column("since", "Từ ngày", "date", 1.1),
                Column("stage", "Giai đoạn", "text", 1.1),
                Column("evidence", "Văn bản xác nhận", "text", 2.0),
            ),
            tuple(
                (
                    a.initiative_id,
                    a.title,
                    a.agency_name,
                    a.since,
                    labels.stage(a.stage),
                    a.evidence or "",
                )
                for a in data.adoptions
            ),
        )
    )
    tables.append(
        Table(
            "nhan-rong-nhieu-nhat",
            "Mô hình được nhân rộng nhiều nhất",
            (
                Column("id", "Mã sáng kiến", "text", 1.5),
                Column("title", "Tên sáng kiến", "text", 4.0),
                Column("agency", "Cơ quan chủ trì", "text", 2.4),
                Column("adopters", "Đơn vị đang áp dụng", "int", 1.2),
                Column("started", "Bắt đầu trong kỳ", "int", 1.1),
            ),
            tuple(
                (
                    r.initiative_id,
                    r.title,
                    agency_label(registry, r.agency),
                    r.adopters,
                    r.started_in_period,
                )
                for r in data.most_replicated
            ),
            note="Số đơn vị đang áp dụng tính đến cuối kỳ (không kể đơn vị đã ngừng).",
        )
    )
    tables.append(
        Table(
            "loi-ich",
            "Lợi ích đo được (cộng dồn theo cùng đơn vị tính)",
            (
                Column("unit", "Đơn vị tính", "text", 1.6),
                Column("metrics", "Số chỉ số", "int", 1.0),
                Column("initiatives", "Số sáng kiến", "int", 1.0),
                Column("baseline", "Tổng trước khi áp dụng", "float", 1.6),
                Column("result", "Tổng sau khi áp dụng", "float", 1.6),
                Column("change", "Thay đổi", "float", 1.4),
            ),
            tuple(
                (b.unit, b.metrics, b.initiatives, b.baseline, b.result, b.change)
                for b in data.benefits
            ),
            note=(
                "Chỉ cộng các chỉ số của sáng kiến được công nhận trong kỳ có đơn vị tính: "
                + ", ".join(f"“{u}”" for u in data.sum_units)
                + "; số âm là mức giảm (thời gian, chi phí, hồ sơ tồn)."
            ),
        )
    )
    tables.append(
        Table(
            "chat-luong",
            "Chất lượng dữ liệu",
            (
                Column("id", "Mã", "text", 1.6, machine=True),
                Column("issue", "Vấn đề", "text", 3.6),
                Column("count", "Số hồ sơ", "int", 1.0),
                Column("examples", "Hồ sơ cần bổ sung", "text", 3.6),
            ),
            tuple((q.key, q.label, len(q.ids), _id_list(q.ids)) for q in data.quality),
            note=f"Tính đến ngày {format_date(data.quality_as_of)}, trên các hồ sơ thuộc phạm vi báo cáo.",
        )
    )
    tables.append(
        Table(
            "chat-luong-chi-tiet",
            "Chất lượng dữ liệu - chi tiết",
            (
                Column("issue", "Mã vấn đề", "text", 1.6, machine=True),
                Column("issue_label", "Vấn đề", "text", 3.0),
                Column("id", "Mã sáng kiến", "text", 1.5),
                Column("title", "Tên sáng kiến", "text", 4.0),
                Column("agency", "Cơ quan", "text", 2.0),
            ),
            tuple(
                (
                    q.key,
                    q.label,
                    i,
                    registry.initiatives[i].title,
                    registry.agency_name(registry.initiatives[i].agency),
                )
                for q in data.quality
                for i in q.ids
            ),
            detail=True,
        )
    )
    tables.append(
        Table(
            "phu-luc",
            "Phụ lục: Danh mục sáng kiến có quyết định trong kỳ",
            (
                Column("id", "Mã sáng kiến", "text", 1.45),
                Column("title", "Tên sáng kiến", "text", 3.3),
                Column("agency", "Cơ quan (tại thời điểm quyết định)", "text", 2.0),
                Column("level", "Cấp", "text", 1.0),
                Column("outcome", "Kết quả", "text", 1.0),
                Column("decision_no", "Số quyết định", "text", 1.7),
                Column("decision_date", "Ngày", "date", 1.05),
            ),
            _decision_rows(labels, data.annex),
        )
    )
    return tables


def _decision_rows(labels: Labels, decisions: Iterable[Decision]) -> tuple[tuple[Cell, ...], ...]:
    """One row per decision, in the column order shared by the provincial table and the annex."""
    return tuple(
        (
            d.initiative_id,
            d.title,
            d.agency_name_at_time,
            labels.level(d.level),
            outcome_text(labels, d.outcome, d.revoked),
            d.decision_no or "—",
            d.decision_date,
        )
        for d in decisions
    )


def outcome_text(labels: Labels, outcome: str, revoked: bool) -> str:
    """Short outcome for tables: "Đạt", "Không đạt", ...; a revoked grant says so."""
    text = labels.outcome_short(outcome)
    return f"{text} (sau đó bị hủy)" if revoked and outcome == "dat" else text


def _id_list(ids: Sequence[str], limit: int = 12) -> str:
    if len(ids) <= limit:
        return ", ".join(ids)
    return ", ".join(ids[:limit]) + f" và {len(ids) - limit} hồ sơ khác"


def candidate_tables(result: CandidateList, registry: Registry) -> list[Table]:
    """The candidates list: one summary row each, then every criterion with its evidence."""
    summary = Table(
        "ung-vien",
        "Sáng kiến đủ điều kiện, gần đủ điều kiện đề xuất công nhận cấp tỉnh",
        (
            Column("id", "Mã sáng kiến", "text", 1.5),
            Column("title", "Tên sáng kiến", "text", 3.6),
            Column("agency", "Cơ quan, đơn vị", "text", 2.2),
            Column("status", "Đánh giá", "text", 1.3),
            Column("missing", "Còn thiếu", "text", 2.6),
        ),
        tuple(
            (
                c.initiative.id,
                c.initiative.title,
                agency_label(registry, c.initiative.agency),
                "Đủ điều kiện" if c.qualifies else "Gần đủ",
                "; ".join(f"{m.label}: {m.missing}" for m in c.missing),
            )
            for c in result.candidates
        ),
        note=(
            f"Tính đến ngày {format_date(result.as_of)}: {len(result.qualifying)} sáng kiến đủ "
            f"điều kiện, {len(result.nearly)} gần đủ (thiếu tối đa "
            f"{result.criteria['near_max_missing']} tiêu chí), trong {result.considered} sáng "
            "kiến đã được công nhận và chưa được công nhận cấp tỉnh."
        ),
    )
    detail = Table(
        "ung-vien-tieu-chi",
        "Minh chứng theo từng tiêu chí",
        (
            Column("id", "Mã sáng kiến", "text", 1.5),
            Column("criterion", "Tiêu chí", "text", 2.2),
            Column("met", "Đạt", "text", 0.8),
            Column("evidence", "Minh chứng", "text", 4.0),
            Column("missing", "Còn thiếu", "text", 2.4),
        ),
        tuple(
            (c.initiative.id, ch.label, "Đạt" if ch.met else "Chưa đạt", ch.evidence, ch.missing)
            for c in result.candidates
            for ch in c.checks
        ),
    )
    return [summary, detail]


def criteria_table(criteria: dict[str, Any]) -> Table:
    """The criteria in force, as data, so the reader knows what was applied."""
    rows = []
    for s in CRITERIA_SETTINGS:
        value = criteria[s.name]
        shown = (
            ", ".join(value)
            if isinstance(value, list | tuple)
            else (("có" if value else "không") if isinstance(value, bool) else str(value))
        )
        rows.append((s.name, s.help_vi, shown))
    return Table(
        "tieu-chi",
        "Tiêu chí áp dụng",
        (
            Column("key", "Khóa", "text", 1.8),
            Column("label", "Tiêu chí", "text", 4.5),
            Column("value", "Giá trị", "text", 1.8),
        ),
        tuple(rows),
    )
