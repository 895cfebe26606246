"""Kept for imports written before the layout rules moved down to `generator.layout`.

There is one set of rules, in `generator/layout.py`; this module only re-exports it.
"""

from generator.layout import (
    DECREE_30,
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    PLACE_DATE_BLANK,
    Layout,
    place_date_line,
)

__all__ = [
    "DECREE_30",
    "NATIONAL_MOTTO",
    "NATIONAL_NAME",
    "PLACE_DATE_BLANK",
    "Layout",
    "place_date_line",
]
