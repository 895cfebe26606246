"""Decree 30/2020/NĐ-CP page layout, as data shared by the DOCX and the PDF writers.

Appendix I of the decree: A4 portrait; margins top and bottom 20-25 mm, left 30-35 mm,
right 15-20 mm; Times New Roman (or a metric-compatible font with full Vietnamese coverage),
body 13-14 pt; paragraphs justified with a first-line indent of about 1-1.27 cm, at least
6 pt apart, line spacing from single to 1.5 lines; page numbers centred in the top margin,
none on the first page. Changing a value here changes both the reference DOCX and the typst
preamble (and the template hash, so every cached document is rebuilt).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Layout:
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 20.0
    margin_bottom_mm: float = 20.0
    margin_left_mm: float = 30.0
    margin_right_mm: float = 15.0
    body_pt: float = 14.0
    heading_pt: float = 14.0
    small_pt: float = 13.0
    first_line_indent_cm: float = 1.27
    space_after_pt: float = 6.0
    line_spacing: float = 1.15
    header_distance_mm: float = 10.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


DECREE_30 = Layout()

NATIONAL_NAME = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
