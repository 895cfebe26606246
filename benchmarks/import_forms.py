"""Application forms written in different ways, with the values each holds (import accuracy).

Each form is built with python-docx the way people actually fill the Circular 18 form:
inline labels, Word bullets, a two-column table, numbered headings with two authors, text
retyped from a scan (no diacritics in the labels, odd spacing), a "Bản mô tả" with Roman
numerals. `FORMS` maps a name to (builder, expected values); `score` compares what the
importer found with the expected values, field by field.

Used by benchmarks/import_bench.py (prints the figures) and
tests/documents/test_import_accuracy.py (asserts at least 80% on each form).
All names, units and figures are sample data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx

TITLE = "Gắn mã QR tra cứu thủ tục hành chính tại Bộ phận Một cửa"
PROBLEM = "Người dân phải hỏi cán bộ để biết giấy tờ cần mang, mất trung bình 15 phút mỗi thủ tục."
SOLUTION = "In mã QR cho từng thủ tục và dán tại quầy; cập nhật khi thủ tục thay đổi."
NOVELTY = "Lần đầu tiên xã dùng mã QR để hướng dẫn thủ tục hành chính."
CONDITIONS = "Máy in, mạng Internet và một công chức cập nhật danh mục."
BENEFITS = "Thời gian tra cứu giảm từ 15 phút xuống 3 phút mỗi thủ tục."
ADOPTERS = "Các đơn vị áp dụng thử đánh giá tốt."


def _authors(d: Any, rows: list[tuple[str, str, str, str]], birth: bool = True) -> None:
    head = ["STT", "Họ và tên"] + (["Ngày tháng năm sinh"] if birth else [])
    head += ["Nơi công tác", "Chức danh", "Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến"]
    t = d.add_table(rows=1 + len(rows), cols=len(head))
    for i, h in enumerate(head):
        t.rows[0].cells[i].text = h
    for r, (name, work, position, pct) in enumerate(rows, 1):
        cells = [str(r), name] + (["01/01/1985"] if birth else []) + [work, position, pct]
        for i, v in enumerate(cells):
            t.rows[r].cells[i].text = v


def inline_labels(path: Path) -> None:
    """The circular's form typed as "- Label: value" lines (the reviewer's failing case)."""
    d = docx.Document()
    d.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    d.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    d.add_paragraph("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN")
    d.add_paragraph("Kính gửi: Ủy ban nhân dân huyện Bình Sơn")
    d.add_paragraph("Tôi (chúng tôi) ghi tên dưới đây:")
    _authors(d, [("Nguyễn Thị Lan", "UBND huyện Bình Sơn", "Chuyên viên", "100")])
    d.add_paragraph(f"Là tác giả đề nghị xét công nhận sáng kiến: “{TITLE}”")
    d.add_paragraph("- Chủ đầu tư tạo ra sáng kiến: UBND huyện Bình Sơn")
    d.add_paragraph("- Lĩnh vực áp dụng sáng kiến: Cải cách hành chính")
    d.add_paragraph("- Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử: 15/03/2024")
    d.add_paragraph(f"- Mô tả bản chất của sáng kiến: {SOLUTION}")
    d.add_paragraph("- Những thông tin cần được bảo mật (nếu có): Không")
    d.add_paragraph(f"- Những điều kiện cần thiết để áp dụng sáng kiến: {CONDITIONS}")
    d.add_paragraph(
        "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo "
        f"ý kiến của tác giả: {BENEFITS}"
    )
    d.add_paragraph(
        "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo "
        f"ý kiến của tổ chức, cá nhân đã tham gia áp dụng sáng kiến lần đầu, kể cả áp dụng thử: {ADOPTERS}"
    )
    d.save(path)


def bullets(path: Path) -> None:
    """Every item a Word bullet, bold label then the value; the steps as nested bullets."""
    d = docx.Document()
    d.add_paragraph("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN")
    d.add_paragraph("Kính gửi: Hội đồng sáng kiến UBND xã Bình Sơn")
    _authors(d, [("Trần Văn Minh", "UBND xã Bình Sơn", "Công chức Văn phòng - Thống kê", "100")])

    def item(label: str, value: str) -> None:
        p = d.add_paragraph(style="List Bullet")
        p.add_run(label + ":").bold = True
        p.add_run(" " + value)

    item("Tên sáng kiến", f'"{TITLE}"')
    item("Lĩnh vực áp dụng", "Cải cách hành chính; Chuyển đổi số")
    item("Ngày áp dụng lần đầu", "02/09/2025")
    item("Tình trạng giải pháp đã biết", PROBLEM)
    item("Nội dung giải pháp", SOLUTION)
    item("Tính mới", NOVELTY)
    item("Điều kiện áp dụng", CONDITIONS)
    item("Lợi ích thu được", BENEFITS)
    d.save(path)


def table(path: Path) -> None:
    """The whole form in a two-column table, one item per row."""
    d = docx.Document()
    d.add_paragraph("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN")
    rows = [
        ("Cơ quan, đơn vị", "Sở Tư pháp"),
        ("Tên sáng kiến", f"«{TITLE}»"),
        ("Lĩnh vực áp dụng", "Tư pháp - hộ tịch"),
        ("Ngày áp dụng lần đầu", "1/7/2023"),
        ("Thực trạng", PROBLEM),
        ("Mô tả bản chất của sáng kiến", SOLUTION),
        ("Tính mới", NOVELTY),
        ("Điều kiện áp dụng", CONDITIONS),
        ("Hiệu quả, lợi ích thu được", BENEFITS),
    ]
    t = d.add_table(rows=len(rows), cols=2)
    for r, (label, value) in enumerate(rows):
        t.rows[r].cells[0].text = label
        t.rows[r].cells[1].text = value
    d.add_paragraph("Tác giả:")
    _authors(d, [("Lê Thị Hoa", "Sở Tư pháp", "Chuyên viên", "100")], birth=False)
    d.save(path)


def numbered_table(path: Path) -> None:
    """A table with a number column (STT | Mục | Nội dung), one item written in one cell."""
    d = docx.Document()
    d.add_paragraph("Kính gửi: UBND xã Bình Sơn")
    _authors(d, [("Đặng Thị Mai", "UBND xã Bình Sơn", "Công chức Tư pháp - Hộ tịch", "100")])
    rows = [
        ("STT", "Mục", "Nội dung"),
        ("1", "Tên sáng kiến", f"“{TITLE}”"),
        ("2", "Lĩnh vực áp dụng: Tư pháp - hộ tịch", ""),
        ("3", "Ngày áp dụng lần đầu", "20/8/2025"),
        ("4", "Tình trạng trước khi có sáng kiến", PROBLEM),
        ("5", "Nội dung giải pháp", SOLUTION),
        ("6", "Điều kiện cần thiết để áp dụng", CONDITIONS),
        ("7", "Lợi ích thu được", BENEFITS),
    ]
    t = d.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            t.rows[r].cells[c].text = value
    d.save(path)


def two_authors_numbered(path: Path) -> None:
    """Numbered headings on their own lines, values below, "a)" sub-items, two authors."""
    d = docx.Document()
    d.add_heading("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", 0)
    d.add_paragraph("Kính gửi: Sở KH&CN tỉnh Quảng Ngãi")
    d.add_paragraph("Chúng tôi gồm:")
    _authors(
        d,
        [
            ("Phạm Thị Thu", "Sở Khoa học và Công nghệ", "Phó Trưởng phòng", "60"),
            ("Võ Minh Đức", "Sở Khoa học và Công nghệ", "Chuyên viên", "40"),
        ],
    )
    d.add_heading("1. Tên sáng kiến", 1)
    d.add_paragraph(TITLE)
    d.add_heading("2. Chủ đầu tư tạo ra sáng kiến", 1)
    d.add_paragraph("Sở Khoa học và Công nghệ")
    d.add_heading("3. Lĩnh vực áp dụng", 1)
    d.add_paragraph("Khoa học - công nghệ")
    d.add_heading("4. Ngày sáng kiến được áp dụng lần đầu", 1)
    d.add_paragraph("Ngày 05 tháng 02 năm 2025")
    d.add_heading("5. Mô tả bản chất của sáng kiến", 1)
    d.add_paragraph(f"a) Tình trạng giải pháp đã biết: {PROBLEM}")
    d.add_paragraph(f"b) Nội dung giải pháp: {SOLUTION}")
    d.add_paragraph(f"c) Tính mới: {NOVELTY}")
    d.add_heading("6. Những điều kiện cần thiết để áp dụng sáng kiến", 1)
    d.add_paragraph(CONDITIONS)
    d.add_heading("7. Đánh giá lợi ích thu được theo ý kiến của tác giả", 1)
    d.add_paragraph(BENEFITS)
    d.save(path)


def _strip(text: str) -> str:
    """Text without diacritics (đ -> d), as retyped from a scan on a keyboard without Unikey."""
    out = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in out if not unicodedata.combining(ch))


def retyped(path: Path) -> None:
    """Retyped from a scan: labels without diacritics, in capitals, runs of spaces and tabs."""
    d = docx.Document()
    d.add_paragraph("DON  YEU CAU   CONG NHAN SANG KIEN")
    d.add_paragraph("Kinh  gui :   UBND   huyen  Binh Son")
    _authors(d, [("Nguyễn Thị Lan", "UBND huyện Bình Sơn", "Chuyên viên", "100")])
    d.add_paragraph(f"1 .   TEN  SANG KIEN :\t{TITLE}")
    d.add_paragraph("2.  Linh  vuc  ap dung :  cai cach hanh chinh")
    d.add_paragraph("3.Ngay ap dung lan dau : 5/3/2024")
    d.add_paragraph("4.  TINH TRANG GIAI PHAP DA BIET :")
    d.add_paragraph(PROBLEM)
    d.add_paragraph("5.  NOI  DUNG  GIAI PHAP :")
    d.add_paragraph(SOLUTION)
    d.add_paragraph(f"6. Tinh  moi :  {NOVELTY}")
    d.add_paragraph(f"7.  Dieu kien  ap dung :   {CONDITIONS}")
    d.add_paragraph(f"8.  Loi  ich thu  duoc :  {BENEFITS}")
    d.save(path)


def description(path: Path) -> None:
    """A "Bản mô tả sáng kiến" with Roman numerals and an explicit "Đơn vị:" line."""
    d = docx.Document()
    d.add_paragraph("BẢN MÔ TẢ SÁNG KIẾN")
    d.add_paragraph("Đơn vị: UBND xã Bình Sơn")
    d.add_paragraph(f"Tên sáng kiến: {TITLE}")
    d.add_paragraph("Tác giả:")
    _authors(
        d,
        [
            ("Trần Văn Minh", "UBND xã Bình Sơn", "Công chức", "50"),
            ("Nguyễn Văn An", "UBND xã Bình Sơn", "Công chức", "50"),
        ],
        birth=False,
    )
    d.add_paragraph("Lĩnh vực: Chuyển đổi số")
    d.add_paragraph("Thời gian áp dụng lần đầu: 10/10/2025")
    d.add_heading("I. THỰC TRẠNG", 1)
    d.add_paragraph(PROBLEM)
    d.add_heading("II. NỘI DUNG GIẢI PHÁP", 1)
    d.add_paragraph(SOLUTION)
    d.add_heading("III. TÍNH MỚI", 1)
    d.add_paragraph(NOVELTY)
    d.add_heading("IV. KHẢ NĂNG ÁP DỤNG", 1)
    d.add_paragraph(CONDITIONS)
    d.add_heading("V. HIỆU QUẢ THU ĐƯỢC", 1)
    d.add_paragraph(BENEFITS)
    d.save(path)


_COMMON = {"title": TITLE, "solution": SOLUTION, "conditions": CONDITIONS, "benefits": BENEFITS}
FORMS: dict[str, tuple[Callable[[Path], None], dict[str, Any]]] = {
    "inline-labels": (
        inline_labels,
        {
            **_COMMON,
            "agency": "ubnd-huyen-binh-son",
            "investor": "ubnd-huyen-binh-son",
            "fields": ["cai-cach-hanh-chinh"],
            "first_applied": "2024-03-15",
            "authors": [("Nguyễn Thị Lan", 100)],
            "adopters_benefits": ADOPTERS,
        },
    ),
    "bullets": (
        bullets,
        {
            **_COMMON,
            "agency": "ubnd-xa-binh-son",
            "fields": ["cai-cach-hanh-chinh", "chuyen-doi-so"],
            "first_applied": "2025-09-02",
            "authors": [("Trần Văn Minh", 100)],
            "problem": PROBLEM,
            "novelty": NOVELTY,
        },
    ),
    "table": (
        table,
        {
            **_COMMON,
            "agency": "so-tu-phap",
            "fields": ["tu-phap-ho-tich"],
            "first_applied": "2023-07-01",
            "authors": [("Lê Thị Hoa", 100)],
            "problem": PROBLEM,
            "novelty": NOVELTY,
        },
    ),
    "numbered-table": (
        numbered_table,
        {
            **_COMMON,
            "agency": "ubnd-xa-binh-son",
            "fields": ["tu-phap-ho-tich"],
            "first_applied": "2025-08-20",
            "authors": [("Đặng Thị Mai", 100)],
            "problem": PROBLEM,
        },
    ),
    "two-authors-numbered": (
        two_authors_numbered,
        {
            **_COMMON,
            "agency": "so-khcn",
            "investor": "so-khcn",
            "fields": ["khoa-hoc-cong-nghe"],
            "first_applied": "2025-02-05",
            "authors": [("Phạm Thị Thu", 60), ("Võ Minh Đức", 40)],
            "problem": PROBLEM,
            "novelty": NOVELTY,
        },
    ),
    "retyped-from-scan": (
        retyped,
        {
            **_COMMON,
            "agency": "ubnd-huyen-binh-son",
            "fields": ["cai-cach-hanh-chinh"],
            "first_applied": "2024-03-05",
            "authors": [("Nguyễn Thị Lan", 100)],
            "problem": PROBLEM,
            "novelty": NOVELTY,
        },
    ),
    "description": (
        description,
        {
            **_COMMON,
            "agency": "ubnd-xa-binh-son",
            "fields": ["chuyen-doi-so"],
            "first_applied": "2025-10-10",
            "authors": [("Trần Văn Minh", 50), ("Nguyễn Văn An", 50)],
            "problem": PROBLEM,
            "novelty": NOVELTY,
        },
    ),
}


def _words(text: str) -> str:
    """Visible words only: Markdown markers, escapes and punctuation spacing removed."""
    text = unicodedata.normalize("NFC", text or "").replace("\\", "")
    text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", text, flags=re.M)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def _text_ok(found: str | None, expected: str) -> bool:
    # The expected text is there and little else: a value that swallowed the next item
    # (the benefits inside `conditions`) is wrong.
    got, want = _words(found or ""), _words(expected)
    return want in got and len(got) <= 1.3 * len(want) + 10


def score(result: Any, expected: dict[str, Any]) -> dict[str, bool]:
    """Field -> True when the importer put the form's value in the right record field."""
    v = result.values
    out: dict[str, bool] = {}
    for key, want in expected.items():
        if key == "title":
            out[key] = _words(v.get("title", "")) == want
        elif key in ("problem", "solution", "novelty", "conditions", "benefits"):
            out[key] = _text_ok(v.get(key), want)
        elif key == "adopters_benefits":
            out[key] = _text_ok(result.adopters_benefits, want)
        elif key == "agency":
            out[key] = getattr(result, "agency", None) == want
        elif key == "investor":
            out[key] = result.investor == want
        elif key == "fields":
            out[key] = sorted(result.fields) == sorted(want)
        elif key == "first_applied":
            out[key] = result.first_applied == want
        elif key == "authors":
            got = [(a["name"], a.get("contribution_pct")) for a in result.authors]
            out[key] = got == want
    return out
