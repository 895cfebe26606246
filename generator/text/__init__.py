"""Vietnamese text helpers: NFC, search folding, collation, slugs, dates, numbers, abbreviations.

Imports nothing from the rest of `generator`, so any layer (and other provinces' tools) can use
it. See `generator.text.vn` for the details of each convention.
"""

from generator.text.vn import (
    ABBREVIATIONS,
    abbreviation_synonyms,
    collation_key,
    expand_abbreviations,
    fold,
    format_change,
    format_date,
    format_date_long,
    format_number,
    format_percent_change,
    format_vnd,
    nfc,
    slugify,
    slugify_markdown_toc,
)

__all__ = [
    "ABBREVIATIONS",
    "abbreviation_synonyms",
    "collation_key",
    "expand_abbreviations",
    "fold",
    "format_change",
    "format_date",
    "format_date_long",
    "format_number",
    "format_percent_change",
    "format_vnd",
    "nfc",
    "slugify",
    "slugify_markdown_toc",
]
