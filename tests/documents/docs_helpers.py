"""Helpers shared by the document tests."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def norm(text: str) -> str:
    """NFC and single spaces: how extracted text is compared with the source."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def plain(markdown: str) -> str:
    """The visible text of a Markdown value (no markers), normalised, for round-trip checks."""
    import pypandoc

    text = pypandoc.convert_text(
        markdown or "", "plain", format="markdown", extra_args=["--wrap=none"]
    )
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", text, flags=re.M)
    return norm(text)
