"""Text bound for a spreadsheet cell (CSV exports of the site and of reports).

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` as a formula, and also
one whose formula hides behind a leading TAB or CR. Records arrive by pull request, so they
are untrusted: such text gets a leading apostrophe, which neither program shows.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Return `value` with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
