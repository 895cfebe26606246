"""Decree 30/2020/NĐ-CP layout rules, in one place for every printable document.

The forms and guides (`documents/`) and the periodic report (`reports/`) all take the page
geometry, the national name and motto, and the place-and-date line from here, so that two
documents can never disagree (the report once printed "CỘNG HÒA" and the forms "CỘNG HOÀ").
It lives in the core, below both packages, because neither may import the other.

Appendix I of the decree: A4 portrait; margins top and bottom 20-25 mm, left 30-35 mm,
right 15-20 mm; Times New Roman (or a metric-compatible font with full Vietnamese coverage),
body 13-14 pt; paragraphs justified with a first-line indent of about 1-1.27 cm, at least
6 pt apart, line spacing from single to 1.5 lines; page numbers centred in the top margin,
none on the first page. Changing a value here changes both the reference DOCX and the typst
preamble (and the template hash, so every cached document is rebuilt).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from generator.text.vn import format_date_long


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

# Decree 30/2020/NĐ-CP, Appendix I, section II.2: the national name is written "CỘNG HÒA"
# (new-style tone mark), never "CỘNG HOÀ". Every document takes it from here.
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

# The place-and-date line as the Circular 18/2013 annex prints it, left for the signer to
# write by hand: dots long enough for a place name, a day, a month and a year.
PLACE_DATE_BLANK = "…………, ngày …… tháng …… năm ………"


def place_date_line(place: str | None, signed_on: date | None, today: date) -> str:
    """The place-and-date line above a signature.

    Filled ("<province>, ngày 05 tháng 02 năm 2025", the place from configuration) only when the document is produced on
    the day it is signed (`signed_on == today`); otherwise the dotted blank
    `PLACE_DATE_BLANK`, because a document printed today from an old record must not carry
    today's date as if it had been filed today.
    """
    if signed_on is None or signed_on != today:
        return PLACE_DATE_BLANK
    return format_date_long(signed_on, place=place or "")
