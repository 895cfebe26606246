"""The legal helpers: document type from a number's symbol, the one citation table, and the
one way a change of an indicator is written."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from generator.text.legal import (
    CITATION_PATTERN,
    CITATIONS,
    TOPICS,
    cite,
    document_reference,
    document_type,
    in_force,
    known_numbers,
)
from generator.text.vn import format_change

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "docs" / "training"


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("3105/QĐ-UBND", "Quyết định"),
        ("1379/QĐ-UBND", "Quyết định"),
        ("187/QĐ-SKHĐT", "Quyết định"),
        ("98/QD-UBND", "Quyết định"),  # typed without Đ
        ("2266/QĐ-TTg", "Quyết định"),
        ("118/TB-UBND", "Thông báo"),
        ("52/TB-LK", "Thông báo"),
        ("12/tb-ubnd", "Thông báo"),  # lower case
        ("45/KH-UBND", "Kế hoạch"),
        ("12/BC-UBND", "Báo cáo"),
        ("05/NQ-HĐND", "Nghị quyết"),
        ("12/CV-UBND", "Công văn"),
        ("2464/UBND-KGVX", "Công văn"),  # issuer and unit, no type: an official letter
        ("4/SKHCN", "Văn bản"),  # no unit either: say nothing we do not know
        ("7/TTr-UBND", "Tờ trình"),
        ("3/HD-SKHCN", "Hướng dẫn"),
        ("13/2012/NĐ-CP", "Nghị định"),
        ("18/2013/TT-BKHCN", "Thông tư"),
        ("06/2022/QH15", "Luật"),
        ("abc", "Văn bản"),
        ("123", "Văn bản"),
        ("/QĐ-UBND", "Văn bản"),
        ("12/", "Văn bản"),
        ("12/XYZ", "Văn bản"),
        ("", "Văn bản"),
        (None, "Văn bản"),
    ],
)
def test_document_type_comes_from_the_symbol(number, kind):
    assert document_type(number) == kind


def test_document_reference_names_the_type_once():
    assert document_reference("118/TB-UBND") == "Thông báo số 118/TB-UBND"
    assert document_reference("210/QĐ-UBND") == "Quyết định số 210/QĐ-UBND"
    assert document_reference("2464/UBND-KGVX") == "Công văn số 2464/UBND-KGVX"
    assert document_reference("xyz") == "Văn bản số xyz"
    assert document_reference(None) == "" and document_reference("  ") == ""


def test_personal_data_law_switches_on_1_january_2026():
    assert in_force("du-lieu-ca-nhan", date(2026, 1, 1)).number == "91/2025/QH15"
    assert in_force("du-lieu-ca-nhan", date(2026, 12, 2)).number == "91/2025/QH15"
    assert in_force("du-lieu-ca-nhan", date(2025, 12, 31)).number == "13/2023/NĐ-CP"
    assert in_force("du-lieu-ca-nhan", date(2024, 3, 1)).number == "13/2023/NĐ-CP"
    assert cite("du-lieu-ca-nhan", date(2026, 1, 1)) == (
        "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15"
    )
    assert cite("du-lieu-ca-nhan", date(2025, 6, 1), short=True) == "Nghị định số 13/2023/NĐ-CP"


def test_emulation_decree_152_2025_replaces_98_2023():
    assert in_force("thi-dua-khen-thuong-chi-tiet", date(2025, 1, 1)).number == "98/2023/NĐ-CP"
    assert in_force("thi-dua-khen-thuong-chi-tiet", date(2026, 1, 1)).number == "152/2025/NĐ-CP"


def test_unknown_topic_is_an_error():
    with pytest.raises(KeyError):
        in_force("khong-co", date(2026, 1, 1))


def test_the_table_has_no_gap_and_no_overlap():
    for topic in TOPICS:
        rows = sorted((i for i in CITATIONS if i.topic == topic), key=lambda i: i.effective_from)
        for before, after in pairwise(rows):
            assert before.effective_to is not None, topic
            assert before.effective_to + timedelta(days=1) == after.effective_from, topic
        assert rows[-1].effective_to is None, f"{topic}: nothing in force today"


@pytest.mark.parametrize(
    ("baseline", "result", "unit", "text"),
    [
        (48, 86.3, "%", "+38,3 điểm phần trăm"),
        (60, 14.5, "%", "-45,5 điểm phần trăm"),
        (50, 50, "%", "0 điểm phần trăm"),
        (20, 35, "% hồ sơ", "+15 điểm phần trăm"),
        (20, 35, "tỷ lệ %", "+15 điểm phần trăm"),
        (15, 3, "ngày", "-80%"),
        (4, 5, "lượt", "+25%"),
        (None, 3, "%", None),
        (0, 3, "ngày", None),
    ],
)
def test_one_way_to_write_a_change(baseline, result, unit, text):
    assert format_change(baseline, result, unit) == text


def _training_sources() -> list[Path]:
    return sorted(TRAINING.glob("*.md"))


def test_training_sources_cite_only_the_table():
    known = known_numbers()
    for path in _training_sources():
        for m in CITATION_PATTERN.finditer(path.read_text(encoding="utf-8")):
            assert m.group(1) in known, f"{path.name}: {m.group(0)} is not in CITATIONS"


def test_built_training_pages_cite_only_instruments_in_force(tmp_path):
    """Expanded as the site and the handouts expand them, on a date after 01/01/2026."""
    from generator.config import load_settings
    from generator.documents.site import handout_markdown
    from generator.validate.check import check_registry

    settings = load_settings(ROOT)
    registry = check_registry(settings).registry
    on = date(2026, 12, 2)
    settings = replace(settings, today=on)
    texts = {p.name: handout_markdown(p, registry, settings) for p in _training_sources()}
    everything = "\n".join(texts.values())
    # The table of every instrument (index page) lists past ones on purpose.
    cited = "\n".join(
        ln for ln in everything.splitlines() if not ln.endswith(("| Có |", "| Không |"))
    )
    for m in CITATION_PATTERN.finditer(cited):
        inst = next(i for i in CITATIONS if i.number == m.group(1))
        assert inst.in_force_on(on), f"{m.group(0)} is not in force on {on}"
    assert "sangkien:cite" not in everything and "Lỗi macro" not in everything
    module5 = texts["05-quy-trinh-cong-nhan.md"]
    assert "Nghị định số 152/2025/NĐ-CP" in module5 and "98/2023" not in cited
    assert "03 tháng kể từ ngày chấp nhận đơn" in module5
    assert "khoảng **ba tháng**" not in module5 and "hai phần ba" not in everything
    assert "điểm %" not in everything
    # Vietnamese prose uses curly quotes (Markdown syntax such as `??? note "..."` aside).
    for name, text in texts.items():
        if name.startswith("04"):
            continue  # another helper's module
        prose = [
            ln
            for ln in text.splitlines()
            if not ln.lstrip().startswith(("???", "!!!")) and "<" not in ln and "`" not in ln
        ]
        assert not [ln for ln in prose if re.search(r'"[^"]+"', ln)], name


def test_training_index_lists_the_whole_table():
    from generator.config import load_settings
    from generator.documents.site import handout_markdown
    from generator.validate.check import check_registry

    settings = replace(load_settings(ROOT), today=date(2026, 12, 2))
    registry = check_registry(settings).registry
    text = handout_markdown(TRAINING / "index.md", registry, settings)
    for inst in CITATIONS:
        assert inst.citation in text
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 | 01/01/2026 |" in text
