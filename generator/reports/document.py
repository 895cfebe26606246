"""The report's text: headings, sentences written from the figures, and the tables.

One list of blocks feeds the Markdown and DOCX writers (and the site's statistics pages), so
the prose and the numbers are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.config import Settings
from generator.model import Registry
from generator.reports.criteria import CandidateList
from generator.reports.figures import ReportData, heir
from generator.reports.labels import Labels
from generator.reports.tables import (
    Cell,
    Table,
    candidate_tables,
    criteria_table,
    period_text,
    report_tables,
)
from generator.text.vn import format_date, format_number


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class TableBlock:
    table: Table


Block = Heading | Para | TableBlock


@dataclass(frozen=True)
class ReportDocument:
    """A report ready to format: what it is about, who issues it, its blocks and its tables."""

    title: str
    subtitle: str
    scope_name: str
    issuer: str
    issuer_parent: str
    addressee: str
    blocks: tuple[Block, ...]
    annex: Table | None
    tables: tuple[Table, ...]
    date: date
    province: str


def format_cell(value: Cell, kind: str) -> str:
    """A cell as Vietnamese readers expect it (dd/mm/yyyy, 2.161.755, 14.832,55)."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        if kind == "int":
            return format_number(int(value))
        return format_number(round(float(value), 2))
    return str(value)


def _change_words(cur: int, prev: int) -> str:
    if cur > prev:
        return f"tăng {format_number(cur - prev)} so với kỳ trước ({format_number(prev)})"
    if cur < prev:
        return f"giảm {format_number(prev - cur)} so với kỳ trước ({format_number(prev)})"
    return f"bằng kỳ trước ({format_number(prev)})"


def _scope(data: ReportData, registry: Registry, settings: Settings) -> tuple[str, str]:
    """The scope's name and a sentence on merged units, if any."""
    if data.agency is None:
        return f"toàn tỉnh {settings.province}", ""
    agency = registry.agencies[data.agency]
    merged = [a for a in data.scope_agencies if a != data.agency]
    note = ""
    if merged:
        names = ", ".join(registry.agency_name(a) for a in sorted(merged, key=registry.agency_name))
        note = (
            f"Số liệu gồm cả hồ sơ của đơn vị đã kết thúc hoạt động mà {agency.name} tiếp nhận "
            f"chức năng, nhiệm vụ: {names}; mỗi sáng kiến chỉ được tính một lần, trong báo cáo "
            "của một đơn vị kế thừa."
        )
    elif not data.rollup and agency.predecessors:
        note = f"Số liệu chỉ gồm sáng kiến của chính {agency.name}, không gồm các đơn vị tiền thân."
    if agency.valid_to is not None:
        successor = registry.agencies.get(heir(registry, agency.id))
        tail = (
            f"; hồ sơ của đơn vị do {successor.name} báo cáo"
            if successor is not None and successor.id != agency.id
            else ""
        )
        note = (note + " " if note else "") + (
            f"{agency.name} kết thúc hoạt động từ ngày {format_date(agency.valid_to)}{tail}."
        )
    return agency.name, note


def build_report(
    data: ReportData, registry: Registry, settings: Settings, labels: Labels | None = None
) -> ReportDocument:
    """Turn computed figures into the report's blocks (headings, sentences, tables)."""
    labels = labels or Labels(settings.schema_path)
    tables = report_tables(data, registry, labels)
    by_key = {t.key: t for t in tables}
    cur, prev = data.current, data.previous
    scope_name, scope_note = _scope(data, registry, settings)
    period = period_text(data.period_from, data.period_to)
    blocks: list[Block] = []

    intro = (
        f"Báo cáo tổng hợp kết quả công nhận, áp dụng và nhân rộng sáng kiến {period} của "
        f"{scope_name}, lập từ sổ đăng ký sáng kiến (dữ liệu đến ngày "
        f"{format_date(settings.today_date())})."
    )
    blocks.append(Para(intro + (" " + scope_note if scope_note else "")))

    blocks.append(Heading(1, "I. KẾT QUẢ CÔNG NHẬN SÁNG KIẾN"))
    levels = [
        f"{format_number(v)} lượt {labels.level(k).lower()}" for k, v in cur.by_level.items() if v
    ]
    # The headline counts initiatives recognised for the first time; provincial-scope grants
    # (often for initiatives counted in an earlier period) are stated apart, never added.
    new = len(cur.new_recognized)
    sentence = (
        f"Trong kỳ có {format_number(new)} sáng kiến mới được công nhận, "
        f"{_change_words(new, len(prev.new_recognized))}; "
        f"{format_number(cur.provincial_granted)} lượt công nhận phạm vi ảnh hưởng, hiệu quả "
        "áp dụng cấp tỉnh trở lên được cấp trong kỳ (tính riêng)"
    )
    sentence += f". Các quyết định công nhận trong kỳ gồm {', '.join(levels)}." if levels else "."
    if cur.by_field:
        top_field = max(cur.by_field.items(), key=lambda kv: (kv[1], kv[0]))
        sentence += (
            f" Lĩnh vực có nhiều sáng kiến nhất là {registry.field_name(top_field[0]).lower()} "
            f"({format_number(top_field[1])} sáng kiến)."
        )
    blocks.append(Para(sentence))
    blocks.append(Heading(2, "1. Tổng hợp"))
    blocks.append(TableBlock(by_key["tong-hop"]))
    blocks.append(Heading(2, "2. Theo cấp công nhận"))
    blocks.append(TableBlock(by_key["theo-cap"]))
    blocks.append(Heading(2, "3. Theo cơ quan, đơn vị"))
    blocks.append(
        Para(
            "Mỗi sáng kiến được tính một lần, cho cơ quan ghi trên hồ sơ; cơ quan đã kết thúc "
            "hoạt động giữ tên của mình, kèm tên đơn vị kế thừa báo cáo thay."
        )
    )
    blocks.append(TableBlock(by_key["theo-co-quan"]))
    blocks.append(Heading(2, "4. Theo lĩnh vực"))
    blocks.append(Para("Một sáng kiến thuộc nhiều lĩnh vực được tính ở từng lĩnh vực."))
    blocks.append(TableBlock(by_key["theo-linh-vuc"]))
    blocks.append(Heading(2, "5. Theo loại giải pháp"))
    blocks.append(TableBlock(by_key["theo-loai"]))

    # Decisions already made, not proposals: letter 2464 asks for both, apart.
    blocks.append(Heading(1, "II. KẾT QUẢ XÉT CÔNG NHẬN PHẠM VI ẢNH HƯỞNG CẤP TỈNH"))
    prov = data.provincial
    if prov:
        outcomes = ", ".join(
            f"{format_number(v)} {labels.outcome_short(k).lower()}"
            for k, v in sorted(data.provincial_outcomes.items())
        )
        blocks.append(
            Para(f"Trong kỳ có {format_number(len(prov))} lượt xét ở cấp tỉnh trở lên: {outcomes}.")
        )
        blocks.append(TableBlock(by_key["de-xuat-cap-tinh"]))
    else:
        blocks.append(Para("Trong kỳ không có quyết định xét công nhận ở cấp tỉnh trở lên."))

    blocks.append(Heading(1, "III. ÁP DỤNG, NHÂN RỘNG"))
    blocks.append(
        Para(
            f"Trong kỳ có {format_number(cur.adoptions_applied)} lượt đơn vị bắt đầu áp dụng, "
            "thí điểm sáng kiến của nơi khác, "
            f"{_change_words(cur.adoptions_applied, prev.adoptions_applied)}; ngoài ra "
            f"{format_number(cur.adoptions_exploring)} lượt đơn vị đang tìm hiểu (chưa áp dụng, "
            "không tính vào số trên)."
        )
    )
    if data.adoptions:
        blocks.append(Heading(2, "1. Áp dụng mới trong kỳ"))
        blocks.append(TableBlock(by_key["ap-dung-moi"]))
    if data.most_replicated:
        blocks.append(Heading(2, "2. Mô hình được nhân rộng nhiều nhất"))
        blocks.append(TableBlock(by_key["nhan-rong-nhieu-nhat"]))

    blocks.append(Heading(1, "IV. HIỆU QUẢ ĐO ĐƯỢC"))
    if data.benefits:
        blocks.append(
            Para(
                "Các chỉ số có cùng đơn vị tính của những sáng kiến được công nhận trong kỳ được "
                "cộng dồn như sau (số âm là mức giảm so với trước khi áp dụng)."
            )
        )
        blocks.append(TableBlock(by_key["loi-ich"]))
    else:
        blocks.append(
            Para(
                "Các sáng kiến được công nhận trong kỳ không có chỉ số cùng đơn vị tính để cộng "
                "dồn (" + ", ".join(data.sum_units) + "); hiệu quả từng sáng kiến xem tại phụ lục "
                "và trang của từng sáng kiến."
            )
        )

    blocks.append(Heading(1, "V. CHẤT LƯỢNG DỮ LIỆU"))
    blocks.append(TableBlock(by_key["chat-luong"]))

    blocks.append(Heading(1, "VI. ĐỀ XUẤT, KIẾN NGHỊ"))
    asks = []
    for q in data.quality:
        if q.ids:
            asks.append(
                f"Đề nghị cơ quan chủ trì cập nhật {format_number(len(q.ids))} hồ sơ "
                f"{q.label[0].lower() + q.label[1:]}."
            )
    if data.most_replicated:
        best = data.most_replicated[0]
        asks.append(
            f"Tiếp tục nhân rộng mô hình “{best.title}” ({best.initiative_id}), hiện có "
            f"{format_number(best.adopters)} đơn vị đang áp dụng."
        )
    if not asks:
        asks.append(
            "Dữ liệu trong kỳ đầy đủ; đề nghị các đơn vị tiếp tục cập nhật kết quả áp dụng."
        )
    for i, ask in enumerate(asks, 1):
        blocks.append(Para(f"{i}. {ask}"))

    issuer, issuer_parent, addressee = _issuer(data, registry, settings)
    return ReportDocument(
        title="BÁO CÁO",
        subtitle=f"Kết quả công nhận, áp dụng và nhân rộng sáng kiến {period}",
        scope_name=scope_name,
        issuer=issuer,
        issuer_parent=issuer_parent,
        addressee=addressee,
        blocks=tuple(blocks),
        annex=by_key["phu-luc"],
        tables=tuple(tables),
        date=settings.today_date(),
        province=settings.province,
    )


def _issuer(data: ReportData, registry: Registry, settings: Settings) -> tuple[str, str, str]:
    """Who signs (the agency, or the consolidating department), its parent, and the addressee."""
    province_committee = f"UBND tỉnh {settings.province}"
    if data.agency is not None:
        agency = registry.agencies[data.agency]
        parent = registry.agency_name(agency.parent) if agency.parent else ""
        consolidator = registry.agencies.get(settings.report_issuer)
        to = consolidator.name if consolidator else province_committee
        return agency.name, parent, to
    consolidator = registry.agencies.get(settings.report_issuer)
    if consolidator is None:
        return province_committee, "", f"Chủ tịch {province_committee}"
    parent = (
        registry.agency_name(consolidator.parent) if consolidator.parent else province_committee
    )
    return consolidator.name, parent, province_committee


def build_candidates(
    result: CandidateList, registry: Registry, settings: Settings
) -> ReportDocument:
    """The candidates list as a document: the criteria in force, the list, the evidence."""
    summary, detail = candidate_tables(result, registry)
    crit = criteria_table(result.criteria)
    blocks: list[Block] = [
        Para(
            "Danh sách sáng kiến đáp ứng tiêu chí đề xuất công nhận phạm vi ảnh hưởng, hiệu quả "
            f"áp dụng cấp tỉnh, tính đến ngày {format_date(result.as_of)}. Với sáng kiến gần đủ "
            "điều kiện, cột “Còn thiếu” nêu việc cần bổ sung."
        ),
        Heading(1, "I. TIÊU CHÍ"),
        TableBlock(crit),
        Heading(1, "II. DANH SÁCH"),
        TableBlock(summary),
        Heading(1, "III. MINH CHỨNG THEO TỪNG TIÊU CHÍ"),
        TableBlock(detail),
    ]
    consolidator = registry.agencies.get(settings.report_issuer)
    issuer = consolidator.name if consolidator else f"UBND tỉnh {settings.province}"
    parent = (
        registry.agency_name(consolidator.parent)
        if consolidator and consolidator.parent
        else f"UBND tỉnh {settings.province}"
    )
    return ReportDocument(
        title="DANH SÁCH",
        subtitle="Sáng kiến đề xuất công nhận phạm vi ảnh hưởng, hiệu quả áp dụng cấp tỉnh",
        scope_name=f"toàn tỉnh {settings.province}",
        issuer=issuer,
        issuer_parent=parent,
        addressee=f"Hội đồng sáng kiến tỉnh {settings.province}",
        blocks=tuple(blocks),
        annex=None,
        tables=(crit, summary, detail),
        date=result.as_of,
        province=settings.province,
    )
