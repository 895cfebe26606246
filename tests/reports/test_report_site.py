"""The statistics pages ("Thống kê"), their charts, the yearly JSON and the agency block."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.reports.figures import months_between, previous_period

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("start", "end", "prev"),
    [
        ((2024, 1, 1), (2024, 12, 31), ((2023, 1, 1), (2023, 12, 31))),
        ((2024, 3, 1), (2024, 5, 31), ((2023, 12, 1), (2024, 2, 29))),
        ((2025, 7, 1), (2025, 7, 31), ((2025, 6, 1), (2025, 6, 30))),
        ((2025, 1, 10), (2025, 1, 19), ((2024, 12, 31), (2025, 1, 9))),
    ],
)
def test_previous_period_has_equal_length(start, end, prev) -> None:
    assert previous_period(date(*start), date(*end)) == (date(*prev[0]), date(*prev[1]))


def test_months_between() -> None:
    assert months_between(date(2024, 1, 15), date(2024, 4, 14)) == 2
    assert months_between(date(2024, 1, 15), date(2024, 4, 15)) == 3
    assert months_between(date(2024, 1, 31), date(2024, 4, 30)) == 3


def _pages(fixture_registry):
    from generator.reports.site import pages

    registry, settings = fixture_registry
    return {p.uri: p for p in pages(registry, settings)}


def test_statistics_pages_exist(fixture_registry) -> None:
    pages = _pages(fixture_registry)
    assert sorted(pages) == [
        "thong-ke/2023.md",
        "thong-ke/2024.md",
        "thong-ke/2025.md",
        "thong-ke/2026.md",
        "thong-ke/index.md",
        "thong-ke/ung-vien-cap-tinh.md",
    ]
    index = pages["thong-ke/index.md"].markdown
    assert "| [2025](2025.md) | 2 | 2 | 0 | 1 | 0 | 5 |" in index
    assert "| [2024](2024.md) | 3 | 2 | 0 | 1 | 0 | 2 |" in index
    year = pages["thong-ke/2025.md"].markdown
    assert year.startswith("# Thống kê sáng kiến năm 2025")
    # Initiatives and agencies link to their pages.
    assert "| [QNG-2025-0001](../sang-kien/qng-2025-0001.md) |" in year
    assert (
        "[UBND huyện A (đã kết thúc hoạt động; nay là UBND xã B)](../co-quan/ubnd-huyen-a/index.md)"
        in year
    )
    cand = pages["thong-ke/ung-vien-cap-tinh.md"].markdown
    assert "| [QNG-2024-0002](../sang-kien/qng-2024-0002.md) | Một cửa liên thông" in cand


def test_charts_are_accessible_svg(fixture_registry) -> None:
    year = _pages(fixture_registry)["thong-ke/2025.md"].markdown
    figures = re.findall(r"<figure class=\"sk-chart\".*?</figure>", year)
    assert len(figures) == 3
    for fig in figures:
        root = ElementTree.fromstring(fig)
        svg = root.find(f"{SVG_NS}svg")
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG_NS}title"), svg.find(f"{SVG_NS}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text and desc.text
        assert "http" not in fig.replace("http://www.w3.org/2000/svg", "")  # no chart service
    level_chart = ElementTree.fromstring(figures[0]).find(f"{SVG_NS}svg")
    assert level_chart.find(f"{SVG_NS}desc").text == (
        "Cấp cơ sở: 2 (năm 2024: 2); Cấp bộ, ngành: 0 (năm 2024: 0); "
        "Cấp tỉnh: 1 (năm 2024: 1); Toàn quốc: 0 (năm 2024: 0)."
    )
    # The data table alternative follows each chart.
    after = year.split(figures[0], 1)[1].lstrip()
    assert after.startswith("| Cấp công nhận | Kỳ báo cáo | Kỳ trước |")


def test_yearly_json_files(fixture_registry, tmp_path: Path) -> None:
    from generator.reports.site import write_files

    registry, settings = fixture_registry
    written = list(write_files(registry, settings, tmp_path))
    assert "api/v1/reports/2025.json" in written
    assert "api/v1/reports/ung-vien-cap-tinh.json" in written
    data = json.loads((tmp_path / "api/v1/reports/2025.json").read_text(encoding="utf-8"))
    assert data["totals"] == {"recognized": 2, "new_recognized": 2, "provincial_granted": 1}
    assert data["initiatives"] == ["QNG-2025-0001", "QNG-2025-0002"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_agency_figures_macro(fixture_registry) -> None:
    from generator.render.macros import expand_macros

    registry, settings = fixture_registry
    md = expand_macros(
        "<!-- sangkien:agency-figures agency=ubnd-xa-b -->",
        "co-quan/ubnd-xa-b.md",
        registry,
        settings,
    )
    assert md.startswith("### Số liệu sáng kiến")
    assert (
        "Gồm cả sáng kiến của các đơn vị đã hợp nhất vào: [UBND huyện A](../co-quan/ubnd-huyen-a/index.md)."
        in md
    )
    assert "| [2025](../thong-ke/2025.md) | 2 | 2 | 0 | 1 | 0 | 4 |" in md
    assert 'role="img"' in md


def test_built_site_agrees_with_the_cli(built_site: Path, run_cli) -> None:
    """The bundled site's statistics page and yearly JSON show the CLI's figures."""
    page = built_site / "thong-ke" / "2024" / "index.html"
    if not page.exists():
        pytest.skip("the site build does not include the statistics pages")
    code, out, err = run_cli(
        "report",
        "--year",
        "2024",
        "--format",
        "json",
        "--registry",
        str(Path(__file__).resolve().parents[2] / "registry"),
    )
    assert code == 0, err
    cli = json.loads(out)
    site_json = json.loads((built_site / "api/v1/reports/2024.json").read_text(encoding="utf-8"))
    for key in (
        "period",
        "totals",
        "by_level",
        "by_agency",
        "by_field",
        "by_solution_type",
        "adoptions_started",
        "initiatives",
    ):
        assert site_json[key] == cli[key], key
    html = page.read_text(encoding="utf-8")
    cells = re.search(
        r"<td>Sáng kiến có quyết định công nhận trong kỳ \(mọi cấp\)</td>\s*<td[^>]*>(\d+)</td>",
        html,
    )
    assert cells and int(cells.group(1)) == cli["totals"]["recognized"]
