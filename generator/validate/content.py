"""Content warnings (SK3xx): the record is valid, but a reader or the council would stumble.

These never block a merge unless `--strict` is given.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from generator.diagnostics import Diagnostic, T
from generator.load.yamlstrict import LoadedDoc
from generator.model import to_date
from generator.validate.missing import missing_warnings
from generator.validate.rules import Context, _list

MARKDOWN_FIELDS = ("problem", "solution", "novelty", "conditions", "benefits")

# Vietnamese mobile numbers (03x, 05x, 07x, 08x, 09x + 8 digits), with optional separators.
_MOBILE = re.compile(r"(?<![\d.])(?:\+84|0)[35789](?:[\s.\-]?\d){8}(?!\d)")
# The same numbers written for abroad: `+84 905 123 456`, `(+84) 905.123.456`, `0084 905123456`,
# `+84 (0) 905 123 456`, `+84 0905 123 456`. The country code must be marked (`+`, `00` or
# brackets): a bare `84...` is too often an amount or a code.
_MOBILE_INTL = re.compile(
    r"(?:\+\s?84|\(\s?\+?\s?84\s?\)|(?<![\d.])0084)[\s.\-]?(?:\(0\)[\s.\-]?|0)?"
    r"[35789](?:[\s.\-]?\d){8}(?!\d)"
)
# The local part is only looked at one character back: `[\w.+-]+@...` backtracked over
# every start position of a long word (quadratic: 40,000 letters took 7 s).
_PERSONAL_MAIL = re.compile(
    r"(?<=[\w.+-])@(?:gmail|yahoo|hotmail|outlook|icloud|ymail|live)\.[a-z.]", re.I
)
_BIRTH = re.compile(r"\b(?:ngày sinh|sinh ngày|năm sinh|date of birth)\b", re.I)
# Raw HTML, which every output shows as text. Links with a forbidden scheme are errors of
# their own (SK401, generator/validate/prose.py), found by converting the Markdown.
_HTML = re.compile(
    r"<\s*(script|iframe|img|object|embed|style|svg|a|div|span|form|input|link|meta)\b|\bon[a-z]+\s*=",
    re.I,
)

_MAIL_GATE = re.compile(r"@(?:gmail|yahoo|hotmail|outlook|icloud|ymail|live)\.", re.I)
_ON_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.I)
# `_MOBILE` split in two: a hint that starts with the literal "0" (found by a fast scan) and
# the rest of the pattern, tried only where the hint matched.
_MOBILE_HINT = re.compile(r"0[35789]")
_MOBILE_AT = re.compile(r"0[35789](?:[\s.\-]?\d){8}(?!\d)")
_BIRTH_WORDS = ("ngày sinh", "sinh ngày", "năm sinh", "date of birth")


def _worth_scanning(raw: str) -> bool:
    """Whether any string of the file may hold personal data or HTML.

    Literal tests first (each a fast C search); a regular expression runs only when its
    literal hint is present. The schema comment on line 1 holds an `=`, so it is skipped.
    """
    if raw.startswith("# yaml-language-server:"):
        raw = raw.partition("\n")[2]
    low = raw.lower()
    if "<" in raw or any(w in low for w in _BIRTH_WORDS):
        return True
    if "=" in raw and _ON_HANDLER.search(raw):
        return True
    if "@" in raw and _MAIL_GATE.search(raw):
        return True
    return _has_mobile(raw)


def _has_mobile(text: str) -> bool:
    """`_MOBILE.search(text)`, several times faster on text full of other numbers."""
    i = text.find("84")
    while i >= 0:
        # The country code is marked within a few characters before "84" (`+`, `( +`, `00`):
        # the pattern is tried only from there, not at every position of every text.
        for j in range(max(0, i - 4), i):
            if text[j] in "+(0" and _MOBILE_INTL.match(text, j):
                return True
        i = text.find("84", i + 2)
    for m in _MOBILE_HINT.finditer(text):
        i = m.start()
        # The same look-behind as `_MOBILE`: 1.070 or 20912... are not phone numbers.
        if (i == 0 or text[i - 1] not in "0123456789.") and _MOBILE_AT.match(text, i):
            return True
    return False


def _texts(value: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, (*path, k))]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, (*path, i))]
    return []


def initiative_warnings(doc: LoadedDoc, ctx: Context) -> list[Diagnostic]:
    d = doc.data if isinstance(doc.data, dict) else {}
    out: list[Diagnostic] = []

    def add(code: str, where: tuple[Any, ...], /, **args: Any) -> None:
        # `where` is positional-only: messages may take an argument named `path` (SK212).
        line, col = doc.pos(where)
        out.append(Diagnostic(code, doc.path, line, col, args))

    summary = d.get("summary")
    if isinstance(summary, str):
        n = len(summary.strip())
        if n == 0:
            add("SK301", ("summary",), what=T("đang để trống", "is empty"))
        elif n > ctx.summary_max:
            add(
                "SK301",
                ("summary",),
                what=T(
                    f"dài {n} ký tự, quá {ctx.summary_max}",
                    f"is {n} characters, over {ctx.summary_max}",
                ),
            )

    missing_warnings(d, add)

    recs = [r for r in _list(d.get("recognitions")) if isinstance(r, dict)]
    granted = [r for r in recs if r.get("outcome", "dat") == "dat"]
    recognized = bool(granted) and not d.get("revoked")
    if recognized and not d.get("metrics"):
        add("SK302", ("recognitions",) if "recognitions" in d else ())
    high = [r for r in granted if r.get("level") in ("tinh", "toan-quoc")]
    if high and not d.get("replication"):
        add("SK303", ("recognitions",), level=high[-1].get("level"))

    # An agency that had ended its operation cannot start applying an initiative: most often
    # the record names the old district or commune instead of its successor, or the date is off.
    owner = d.get("agency")
    info = ctx.agencies.get(owner) if isinstance(owner, str) else None
    since = to_date(d.get("first_applied"))
    if info is not None and info.valid_to and since and since > info.valid_to:
        add(
            "SK310",
            ("agency",),
            ref=owner,
            valid_to=info.valid_to.strftime("%d/%m/%Y"),
            since=since.strftime("%d/%m/%Y"),
            successors=", ".join(info.successors) or "?",
        )

    reviewed = to_date(
        (d.get("provenance") or {}).get("last_reviewed")
        if isinstance(d.get("provenance"), dict)
        else None
    )
    path: tuple[Any, ...] = ("provenance", "last_reviewed")
    if reviewed is None:
        dates = [to_date(r.get("decision_date")) for r in recs]
        dates = [x for x in dates if x]
        reviewed = max(dates) if dates else None
        path = ("recognitions",)
    if reviewed and _years_between(reviewed, ctx.today) >= ctx.review_years:
        add("SK304", path, date=reviewed.strftime("%d/%m/%Y"), years=ctx.review_years)

    # One look at the whole file first: most records contain none of the characters the
    # privacy and HTML checks need, and then walking every string is wasted work.
    raw = doc.text or ""
    if raw and not _worth_scanning(raw):
        return out
    for tpath, text in _texts(d, ()):
        if tpath and tpath[0] == "provenance":
            continue
        # Cheap substring gates before each regular expression: almost no text has any of
        # these, and running the full patterns over every string cost more than parsing.
        low = text.lower()
        if "@" in text and _PERSONAL_MAIL.search(text):
            add("SK306", tpath, what=T("địa chỉ thư điện tử cá nhân", "a personal e-mail address"))
        elif _has_mobile(text) and not (
            len(tpath) >= 2
            and tpath[-2] == "contact"
            and tpath[-1] == "phone"
            and text.startswith("02")
        ):
            add("SK306", tpath, what=T("số điện thoại di động", "a mobile phone number"))
        elif ("sinh" in low or "birth" in low) and _BIRTH.search(text):
            add("SK306", tpath, what=T("ngày sinh", "a date of birth"))
        if (
            ("<" in text or "=" in text)
            and isinstance(tpath[-1], str)
            and (
                tpath[-1] in MARKDOWN_FIELDS
                or tpath[-1] in ("core", "adaptable", "risks", "detail", "summary", "title")
            )
        ):
            m = _HTML.search(text)
            if m:
                add("SK307", tpath, field=".".join(str(p) for p in tpath), tag=m.group(0).strip())
    return out


def _years_between(a: date, b: date) -> float:
    return (b - a).days / 365.25
