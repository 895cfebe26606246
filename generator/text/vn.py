"""Vietnamese text helpers: normalisation, search folding, collation, slugs, dates, numbers.

Pure Python on top of the standard library so that the core (load, validate, render) and other
provinces' tools can use it without MkDocs, pandoc or any other heavy dependency.

Conventions implemented here are those of the domain brief (section 5): text stored as NFC;
search folds diacritics and maps đ to d; Vietnamese alphabetical order (a < ă < â, d < đ);
dates dd/mm/yyyy; "." thousands and "," decimals; money in whole đồng; ASCII slugs.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from numbers import Real
from typing import Any

__all__ = [
    "ABBREVIATIONS",
    "abbreviation_synonyms",
    "collation_key",
    "expand_abbreviations",
    "fold",
    "format_date",
    "format_date_long",
    "format_number",
    "format_percent_change",
    "format_vnd",
    "nfc",
    "parse_date_input",
    "slugify",
    "slugify_markdown_toc",
]


class _LazyTable(dict):
    """A `str.translate` table that computes each character's entry on first use.

    `str.translate` looks characters up with `__getitem__`, so `__missing__` runs once per
    distinct character and the answer is cached: later calls stay in C. This avoids building
    tables for all of Unicode up front while keeping the hot path fast.
    """

    def __init__(self, compute: Any) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, code: int) -> str | None:
        value = self._compute(chr(code))
        self[code] = value
        return value


# ---------------------------------------------------------------------------
# Normalisation and folding
# ---------------------------------------------------------------------------


def nfc(s: str) -> str:
    """Return `s` in Unicode NFC, the form in which the registry stores text.

    Windows tools often produce NFD (base letter + combining marks); comparing, hashing or
    slicing such text against NFC text gives wrong answers, so every input goes through here.
    """
    return unicodedata.normalize("NFC", s)


# Letters that do not decompose under NFD but must still fold to plain "d". U+00D0/U+00F0
# (Icelandic eth) look identical to Đ/đ and turn up in text typed with legacy fonts.
_FOLD_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}


def _fold_char(ch: str) -> str | None:
    if unicodedata.combining(ch):
        return None
    return _FOLD_SPECIAL.get(ch, ch)


_FOLD_TABLE = _LazyTable(_fold_char)


def fold(s: str) -> str:
    """Fold text for diacritic-insensitive search.

    Lower-cases, decomposes (NFD), drops combining marks, maps đ/Đ to d and collapses runs of
    whitespace to one space. Works on NFC and NFD input alike.

    >>> fold("Cải cách  hành chính")
    'cai cach hanh chinh'
    >>> fold("ĐỔI MỚI sáng tạo")
    'doi moi sang tao'
    """
    # Lower-case before decomposing: some upper-case letters (e.g. "İ") lower-case to a base
    # letter plus a combining mark, which the strip step must then still see.
    decomposed = unicodedata.normalize("NFD", s.lower())
    return " ".join(decomposed.translate(_FOLD_TABLE).split())


# ---------------------------------------------------------------------------
# Collation
# ---------------------------------------------------------------------------

# The Vietnamese alphabet in order; f, j, w, z are not Vietnamese letters but appear in
# loanwords and names, so they take their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Letters map into the Private Use Area so that they sort after digits, spaces and
# punctuation, which keep their own (lower) code points: "an ninh" < "anh", "2024" < "a".
_LETTER_BASE = 0xE000
_LETTER_RANK = {letter: chr(_LETTER_BASE + i) for i, letter in enumerate(_ALPHABET)}

# The five tone marks, ordered as Vietnamese dictionaries order tones:
# none < huyền (grave) < hỏi (hook) < ngã (tilde) < sắc (acute) < nặng (dot below).
_TONE_DIGIT = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a different letter rather than a tone: breve (ă), circumflex (â ê ô),
# horn (ơ ư).
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")
# Word separator in the tone string; lower than every tone digit so that, word by word,
# "no tone" sorts before any tone.
_TONE_SEP = "\x00"


def _split_letter(ch: str) -> tuple[str, str]:
    """Return (Vietnamese base letter, tone digit or "") for one character."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    letter_marks = "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
    tone = "".join(_TONE_DIGIT.get(m, "") for m in decomposed[1:])
    letter = unicodedata.normalize("NFC", base + letter_marks)
    return letter, tone


def _primary_char(ch: str) -> str:
    if unicodedata.combining(ch):
        # A stray mark that NFC could not attach to its letter: tones and vowel marks are
        # secondary information, so it takes no primary weight.
        return ""
    letter, _ = _split_letter(ch)
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter]
    # Foreign accented letters (ü, ç, ñ ...) sort with their base letter.
    base = letter[:1]
    if base in _LETTER_RANK:
        return _LETTER_RANK[base]
    return ch.casefold()


def _secondary_char(ch: str) -> str:
    if unicodedata.combining(ch):
        return _TONE_DIGIT.get(ch, "")
    if not ch.isalnum():
        return _TONE_SEP
    return _split_letter(ch)[1]


_PRIMARY_TABLE = _LazyTable(_primary_char)
_SECONDARY_TABLE = _LazyTable(_secondary_char)


def _match_key(s: str) -> str:
    return fold(s).replace("_", "-").replace(" ", "-")


def closest(
    wanted: Any,
    options: Iterable[Any],
    cutoff: float = 0.75,
    names: Mapping[str, str] | None = None,
) -> str | None:
    """The option nearest to `wanted`, for a "did you mean ...?" hint (None: nothing close).

    Compared folded, with "_", "-" and spaces alike, so "Tỉnh" finds `tinh` and "ky_thuat"
    finds `ky-thuat`; an option equal to `wanted` once folded wins, else the closest spelling
    above `cutoff` (difflib's ratio: 0.75 is a typo, not an unrelated word sharing a few
    letters). `names` (option -> its name) lets a name find its option too.
    """
    if not isinstance(wanted, str):
        return None
    by_key: dict[str, str] = {}
    for option in options:
        by_key.setdefault(_match_key(str(option)), str(option))
    for option, name in (names or {}).items():
        by_key.setdefault(_match_key(name), option)
    key = _match_key(wanted)
    if key in by_key:
        return by_key[key]
    match = difflib.get_close_matches(key, list(by_key), n=1, cutoff=cutoff)
    return by_key[match[0]] if match else None


def collation_key(s: str) -> tuple[str, str, str]:
    """Return a sort key that puts strings in Vietnamese alphabetical order.

    Compares, in turn:

    1. base letters over the whole string, case-insensitively, in the order
       a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (digits, spaces and
       punctuation before letters);
    2. tones, word by word: none, huyền, hỏi, ngã, sắc, nặng. Because tones are taken per
       word, old and new tone placement ("hoà"/"hòa", "thuỷ"/"thủy") compare equal here;
    3. the NFC string itself, so that the order is total and deterministic.

    Each step is one `str.translate` over a cached table, fast enough for sorting tens of
    thousands of titles.

    >>> sorted(["đá", "da", "dá", "dà"], key=collation_key)
    ['da', 'dà', 'dá', 'đá']
    """
    text = " ".join(unicodedata.normalize("NFC", s).split())
    return text.translate(_PRIMARY_TABLE), text.translate(_SECONDARY_TABLE), text


# ---------------------------------------------------------------------------
# Slugs
# ---------------------------------------------------------------------------

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_HTML_TAG = re.compile(r"<[^>]*>")


def slugify(s: str, sep: str = "-") -> str:
    """Return an ASCII slug: folded, with runs of other characters replaced by `sep`.

    >>> slugify("Điều kiện áp dụng")
    'dieu-kien-ap-dung'
    >>> slugify("Sở KH&CN - Tỉnh Mẫu", "_")
    'so_kh_cn_tinh_mau'
    """
    slug = _NON_SLUG.sub(sep, fold(s))
    return slug.strip(sep) if sep else slug


def slugify_markdown_toc(value: str, separator: str) -> str:
    """Slug function with the signature of Python-Markdown's ``toc`` ``slugify`` option.

    Use in mkdocs.yml as ``toc: {slugify: !!python/name:generator.text.slugify_markdown_toc}``
    so that heading anchors are ASCII ("#dieu-kien-ap-dung") rather than percent-encoded
    Vietnamese. Inline HTML that reaches the heading text is dropped first, as pymdownx.slugs
    does.
    """
    return slugify(_HTML_TAG.sub("", value), separator)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def _as_date(d: date | str) -> date:
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, str):
        text = d.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            # Accept full ISO timestamps ("2024-10-15T08:00:00") as well as plain dates.
            return datetime.fromisoformat(text).date()
    raise TypeError(f"expected a date or an ISO 8601 string, got {type(d).__name__}")


# A date as a person types it: 15/03/2024, 5/3/2024, 15-03-2024 or 15.03.2024 (day first,
# as Vietnamese readers write it), or ISO 2024-03-15. Only typed input goes through here:
# files keep ISO dates.
_TYPED_DMY = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})", re.ASCII)
_TYPED_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)


def parse_date_input(text: str) -> date:
    """A date typed by a person: dd/mm/yyyy (d/m/yyyy, "-" or "." too) or ISO yyyy-mm-dd.

    Raises ValueError (with a bilingual message) when the text is not a real date in one of
    these forms. The one parser behind every place a person types a date: CLI flags, the
    wizard's prompts, the issue form, Word import.

    >>> parse_date_input("15/03/2024")
    datetime.date(2024, 3, 15)
    >>> parse_date_input("2024-03-15")
    datetime.date(2024, 3, 15)
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    try:
        m = _TYPED_DMY.fullmatch(raw)
        if m:
            return date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        m = _TYPED_ISO.fullmatch(raw)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ValueError(
        f"ngày không hợp lệ {text!r}: dùng dd/mm/yyyy (15/03/2024) hoặc yyyy-mm-dd / "
        f"invalid date {text!r}: use dd/mm/yyyy (15/03/2024) or yyyy-mm-dd"
    )


def format_date(d: date | str) -> str:
    """Format a date as Vietnamese readers expect it: dd/mm/yyyy.

    >>> format_date("2024-10-15")
    '15/10/2024'
    >>> format_date(date(2025, 2, 5))
    '05/02/2025'
    """
    value = _as_date(d)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_date_long(d: date | str, place: str | None = None) -> str:
    """Format a date the way administrative documents write it, e.g. in the header line.

    Decree 30/2020/NĐ-CP (Appendix I) says a day below 10 and the months 1 and 2 get a
    leading zero; other months do not. (Months 1 and 2 are padded so that they cannot be
    altered into 10, 11 or 12 by hand.) So 05/02/2025 reads "ngày 05 tháng 02 năm 2025" but
    05/03/2025 reads "ngày 05 tháng 3 năm 2025". With an empty `place` only the date part is
    returned.

    >>> format_date_long("2025-02-05")
    'ngày 05 tháng 02 năm 2025'
    >>> format_date_long("2024-10-15", place="<địa danh>")
    '<địa danh>, ngày 15 tháng 10 năm 2024'
    """
    value = _as_date(d)
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    text = f"ngày {day} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text


# ---------------------------------------------------------------------------
# Numbers and money
# ---------------------------------------------------------------------------


def _to_decimal(x: Any) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, Real | Decimal):
        raise TypeError(f"expected a number, got {type(x).__name__}")
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, int):
        value = Decimal(x)
    else:
        # repr() gives the shortest decimal that round-trips, so 14832.55 stays 14832.55
        # rather than becoming 14832.549999999999272404...
        value = Decimal(repr(float(x)))
    if not value.is_finite():
        raise ValueError(f"cannot format {x!r} as a number")
    return value


def _group(digits: str) -> str:
    # Python groups with ","; Vietnamese uses "." for thousands.
    return f"{int(digits):,}".replace(",", ".")


def _format_decimal(value: Decimal, decimals: int | None) -> str:
    if decimals is not None:
        # Round half up, as people do by hand (2,675 -> 2,68), not half-even as float
        # formatting does.
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif value == value.to_integral_value():
        value = value.to_integral_value()
    text = format(value, "f")
    negative = text.startswith("-")
    int_part, _, frac_part = text.lstrip("-").partition(".")
    body = _group(int_part) + ("," + frac_part if frac_part else "")
    # "-0" and "-0,0" are noise after rounding; show them without a sign.
    if negative and value != 0:
        body = "-" + body
    return body


def format_number(x: int | float | Decimal, decimals: int | None = None) -> str:
    """Format a number with Vietnamese separators: "." for thousands, "," for decimals.

    Integers stay integers; floats are shown with as many decimals as they need (a whole
    float drops its ",0"), unless `decimals` fixes the count (rounded half up).

    >>> format_number(2161755)
    '2.161.755'
    >>> format_number(14832.55)
    '14.832,55'
    >>> format_number(3.0)
    '3'
    >>> format_number(-1234.5, decimals=2)
    '-1.234,50'

    Raises TypeError for non-numbers (including booleans) and ValueError for NaN/infinity.
    """
    if decimals is not None and decimals < 0:
        raise ValueError("decimals must be >= 0")
    return _format_decimal(_to_decimal(x), decimals)


def format_number_or_dash(x: int | float | Decimal | None) -> str:
    """`format_number`, or "—" for a value the source does not give (a metric's baseline)."""
    return "—" if x is None else format_number(x)


def format_vnd(n: int | float | Decimal) -> str:
    """Format an amount of money in whole đồng: 2000000 -> "2.000.000 đồng".

    Fractions of a đồng do not exist in practice, so amounts are rounded half up.
    """
    return f"{format_number(n, decimals=0)} đồng"


def _is_number(x: Any) -> bool:
    return isinstance(x, Real | Decimal) and not isinstance(x, bool)


def format_percent_change(baseline: Any, result: Any) -> str | None:
    """Describe the change from `baseline` to `result` as a signed percentage.

    Returns e.g. "-80%" (15 -> 3), "+25%" (4 -> 5), "-12,5%", "0%"; at most one decimal,
    comma as decimal mark, ASCII sign so that the text survives copy and paste into
    spreadsheets. Returns None when the change is undefined: a missing or non-numeric value,
    or a zero baseline. The change is relative to the size of the baseline, so with a
    negative baseline the sign still tells whether the value went up or down.
    """
    if not (_is_number(baseline) and _is_number(result)):
        return None
    base = _to_decimal(baseline)
    if base == 0:
        return None
    # A tiny baseline makes a change of hundreds of digits: give the context room for them
    # (quantize fails past its precision) instead of failing the whole page.
    with localcontext() as ctx:
        ctx.prec = 28
        change = (_to_decimal(result) - base) / abs(base) * 100
        ctx.prec = max(28, change.adjusted() + 3)
        change = change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if change == 0:
        return "0%"
    sign = "+" if change > 0 else "-"
    return f"{sign}{_format_decimal(abs(change), None)}%"


def is_percentage_unit(unit: str | None) -> bool:
    """A rate measured in percent ("%", "% hồ sơ", "tỷ lệ %", "phần trăm"): changes are in points."""
    if not unit:
        return False
    u = nfc(unit).strip().lower()
    return u.startswith("%") or u.endswith("%") or u in {"phần trăm", "tỷ lệ phần trăm", "percent"}


def format_change(baseline: Any, result: Any, unit: str | None = None) -> str | None:
    """The change of an indicator from `baseline` to `result`, as every page and document shows it.

    A rate (unit "%") changes by percentage points: 48 -> 86.3 is "+38,3 điểm phần trăm", never
    "+79,8%" (a relative change of a rate misleads) nor "điểm %". Any other unit changes by a
    relative percentage (`format_percent_change`): 15 -> 3 days is "-80%". Signs are ASCII
    "+"/"-" everywhere. None when the change is undefined (no baseline, non-numeric values, a
    zero baseline for a relative change).
    """
    if not (_is_number(baseline) and _is_number(result)):
        return None
    if not is_percentage_unit(unit):
        return format_percent_change(baseline, result)
    with localcontext() as ctx:
        ctx.prec = 28
        diff = _to_decimal(result) - _to_decimal(baseline)
        ctx.prec = max(28, diff.adjusted() + 3)
        diff = diff.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if diff == 0:
        return "0 điểm phần trăm"
    sign = "+" if diff > 0 else "-"
    return f"{sign}{_format_decimal(abs(diff), None)} điểm phần trăm"


# ---------------------------------------------------------------------------
# Abbreviations (for the search index)
# ---------------------------------------------------------------------------

ABBREVIATIONS: dict[str, str] = {
    # Government bodies and documents
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "QĐ": "quyết định",
    "NĐ": "nghị định",
    "NQ": "nghị quyết",
    "TT": "thông tư",
    "CT": "chỉ thị",
    "VBQPPL": "văn bản quy phạm pháp luật",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CBCC": "cán bộ, công chức",
    # Administrative reform and digital government
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "BPMC": "Bộ phận Một cửa",
    "TTPVHCC": "Trung tâm Phục vụ hành chính công",
    "HCC": "hành chính công",
    "CĐS": "chuyển đổi số",
    "DVC": "dịch vụ công",
    "DVCTT": "dịch vụ công trực tuyến",
    "CNTT": "công nghệ thông tin",
    "TTĐT": "thông tin điện tử",
    "CSDL": "cơ sở dữ liệu",
    "CCCD": "căn cước công dân",
    # Science, innovation, emulation
    "KH&CN": "khoa học và công nghệ",
    "KHCN": "khoa học và công nghệ",
    "ĐMST": "đổi mới sáng tạo",
    "CSTĐ": "chiến sĩ thi đua",
    "TĐKT": "thi đua, khen thưởng",
    # Sectors (department names)
    "BHXH": "bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
    "GD&ĐT": "giáo dục và đào tạo",
    "GDĐT": "giáo dục và đào tạo",
    "TN&MT": "tài nguyên và môi trường",
    "TNMT": "tài nguyên và môi trường",
    "NN&PTNT": "nông nghiệp và phát triển nông thôn",
    "NN&MT": "nông nghiệp và môi trường",
    "LĐTB&XH": "lao động - thương binh và xã hội",
    "LĐTBXH": "lao động - thương binh và xã hội",
    "VHTT&DL": "văn hóa, thể thao và du lịch",
    "VHTTDL": "văn hóa, thể thao và du lịch",
    "KH&ĐT": "kế hoạch và đầu tư",
    "TT&TT": "thông tin và truyền thông",
    "GTVT": "giao thông vận tải",
    "KT-XH": "kinh tế - xã hội",
    "KTXH": "kinh tế - xã hội",
    "NTM": "nông thôn mới",
    "ATTP": "an toàn thực phẩm",
    "PCCC": "phòng cháy, chữa cháy",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "TTYT": "Trung tâm Y tế",
    "KCB": "khám bệnh, chữa bệnh",
    "HTX": "hợp tác xã",
}

# An abbreviation is a whole token: not preceded or followed by a letter, digit or "&" (which
# joins "KH&CN"). "-" and "/" are not token characters, so "245/QĐ-UBND" yields both "QĐ" and
# "UBND"; hyphenated abbreviations such as "KT-XH" are listed whole and match as such.
_ABBR_EDGE_BEFORE = r"(?<![a-z0-9&])"
_ABBR_EDGE_AFTER = r"(?![a-z0-9&])"


def _tokens(folded: str) -> str:
    # Expansions are matched on words only, so "Lao động - Thương binh và Xã hội" and
    # "lao động, thương binh và xã hội" are the same phrase.
    return " ".join(_NON_SLUG.sub(" ", folded).split())


def _alternation(options: list[str]) -> str:
    # Longest first, so that "dvctt" wins over "dvc" at the same position.
    return "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))


# folded abbreviation -> folded expansion words
_ABBR_TO_EXPANSION: dict[str, str] = {fold(k): _tokens(fold(v)) for k, v in ABBREVIATIONS.items()}


def _invert(table: dict[str, str]) -> dict[str, list[str]]:
    """Map each folded expansion to its folded abbreviations, in table order."""
    inverted: dict[str, list[str]] = {}
    for abbr, expansion in table.items():
        inverted.setdefault(expansion, []).append(abbr)
    return inverted


_EXPANSION_TO_ABBRS = _invert(_ABBR_TO_EXPANSION)
_ABBR_RE = re.compile(
    _ABBR_EDGE_BEFORE + "(" + _alternation(list(_ABBR_TO_EXPANSION)) + ")" + _ABBR_EDGE_AFTER
)
_EXPANSION_RE = re.compile(r"(?<!\S)(" + _alternation(list(_EXPANSION_TO_ABBRS)) + r")(?!\S)")

# A long expansion can contain a shorter one ("dich vu cong truc tuyen" contains
# "dich vu cong"); a single regex pass finds only the longer match, so list what each
# expansion implies.
_IMPLIED: dict[str, list[str]] = {
    outer: [
        inner
        for inner in _EXPANSION_TO_ABBRS
        if inner != outer and re.search(r"(?<!\S)" + re.escape(inner) + r"(?!\S)", outer)
    ]
    for outer in _EXPANSION_TO_ABBRS
}


def expand_abbreviations(text: str) -> str:
    """Return `text` folded, followed by the folded expansion of each abbreviation in it.

    Matching is diacritic- and case-insensitive and on whole tokens, so "TTHC", "tthc" and
    "QĐ-UBND" are found but the "tt" inside "tthc" is not. Each expansion is added once and
    only when the text does not already contain it. Feed the result to a search index so
    that a query for "thu tuc hanh chinh" finds a record that only says "TTHC".

    >>> expand_abbreviations("Số hoá TTHC")
    'so hoa tthc thu tuc hanh chinh'
    """
    folded = fold(text)
    present = f" {_tokens(folded)} "
    extra: list[str] = []
    for abbr in _ABBR_RE.findall(folded):
        expansion = _ABBR_TO_EXPANSION[abbr]
        if expansion not in extra and f" {expansion} " not in present:
            extra.append(expansion)
    return " ".join([folded, *extra]) if extra else folded


def abbreviation_synonyms(text: str) -> list[str]:
    """Return the folded abbreviations whose expansions occur in `text`.

    The reverse of `expand_abbreviations`: a record that says "thủ tục hành chính" yields
    ["tthc"], so that it is found by a query for "TTHC". Order follows the first occurrence
    in the text; no duplicates.

    >>> abbreviation_synonyms("Cải cách thủ tục hành chính tại UBND xã")
    ['tthc']
    """
    found: list[str] = []
    for expansion in _EXPANSION_RE.findall(_tokens(fold(text))):
        for phrase in (expansion, *_IMPLIED[expansion]):
            for abbr in _EXPANSION_TO_ABBRS[phrase]:
                if abbr not in found:
                    found.append(abbr)
    return found
