"""Diagnostics: one problem, at one place, with a stable code.

A diagnostic stores its message *arguments*, not rendered text, so the same result can be
reported in Vietnamese or English and as text, JSON or GitHub annotations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics.codes import CODES, Severity


@dataclass(frozen=True, slots=True)
class T:
    """A message fragment in both languages (a type name, a label, a hint)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


def _localise(value: Any, lang: str) -> str:
    if isinstance(value, T):
        return value.get(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_localise(v, lang) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one file.

    `line` and `col` are 1-based; 0 means "the whole file" (for example an unreadable file).
    `args` fill the message template of the code; the optional keys `expected`, `got` and
    `suggestion` add the "(expected ..., got ...)" and "did you mean ...?" tails.
    """

    code: str
    file: str
    line: int = 0
    col: int = 0
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def effective_severity(self, strict: bool = False) -> Severity:
        """Severity after `--strict`, which turns warnings into errors."""
        if strict and self.severity == "warning":
            return "error"
        return self.severity

    def message(self, lang: str = "vi") -> str:
        code = CODES[self.code]
        template = code.message_vi if lang == "vi" else code.message_en
        # None means "no such part" (no suggestion found): never print the word None.
        args = {k: _localise(v, lang) for k, v in self.args.items() if v is not None}
        try:
            text = template.format(**args)
        except (KeyError, IndexError):
            # A template and its arguments out of step is our bug; never hide the problem.
            text = template
        tails = []
        if "expected" in args or "got" in args:
            exp_word, got_word = ("cần", "nhận được") if lang == "vi" else ("expected", "got")
            parts = []
            if "expected" in args:
                parts.append(f"{exp_word} {args['expected']}")
            if "got" in args:
                parts.append(f"{got_word} {args['got']}")
            # "; " because an expected list of values is itself comma-separated.
            tails.append("(" + "; ".join(parts) + ")")
        if args.get("suggestion"):
            hint = "có phải ý bạn là" if lang == "vi" else "did you mean"
            tails.append(f"— {hint} `{args['suggestion']}`?")
        return " ".join([text, *tails])

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)


def fmt_value(value: Any, limit: int = 60) -> str:
    """Show a value found in a file the way the user wrote it, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, str):
        text = "'" + value.replace("\n", "\\n") + "'"
    elif isinstance(value, dict):
        text = "{" + ", ".join(str(k) for k in value) + "}"
    elif isinstance(value, list):
        text = (
            "["
            + ", ".join(fmt_value(v, 20) for v in value[:3])
            + (", …]" if len(value) > 3 else "]")
        )
    else:
        text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
