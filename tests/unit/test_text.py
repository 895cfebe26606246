"""Tests for generator.text: Vietnamese folding, collation, slugs, dates, numbers, abbreviations."""

from __future__ import annotations

import random
import time
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pytest

from generator.text import (
    ABBREVIATIONS,
    abbreviation_synonyms,
    collation_key,
    expand_abbreviations,
    fold,
    format_date,
    format_date_long,
    format_number,
    format_percent_change,
    format_vnd,
    nfc,
    slugify,
    slugify_markdown_toc,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# --- nfc ---------------------------------------------------------------------------------


def test_nfc_composes_nfd_input() -> None:
    decomposed = nfd("Quảng Ngãi")
    assert decomposed != "Quảng Ngãi"
    assert nfc(decomposed) == "Quảng Ngãi"
    assert len(nfc(decomposed)) == len("Quảng Ngãi")


def test_nfc_leaves_nfc_text_alone() -> None:
    assert nfc("Sở Khoa học và Công nghệ") == "Sở Khoa học và Công nghệ"


# --- fold --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cải cách hành chính", "cai cach hanh chinh"),
        ("Dịch vụ công trực tuyến", "dich vu cong truc tuyen"),
        ("ĐỔI MỚI SÁNG TẠO", "doi moi sang tao"),
        ("Đắk Lắk", "dak lak"),
        ("đường", "duong"),
        ("Sở KH&CN tỉnh Quảng Ngãi", "so kh&cn tinh quang ngai"),
        ("  nhiều   khoảng\ttrắng\n ", "nhieu khoang trang"),
        ("hoà hòa thuỷ thủy", "hoa hoa thuy thuy"),
        ("Ưu tiên ơn nghĩa", "uu tien on nghia"),
        ("1379/QĐ-UBND", "1379/qd-ubnd"),
        ("", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_nfd_input_equals_nfc_input() -> None:
    for text in ["Cải cách hành chính", "Nguyễn Thị Lan", "Chuyển đổi số", "Ủy ban nhân dân"]:
        assert fold(nfd(text)) == fold(text)
    assert fold(nfd("Cải cách hành chính")) == "cai cach hanh chinh"


def test_fold_legacy_eth_looks_like_d_bar() -> None:
    # U+00D0 (Ð, eth) is visually identical to Đ and shows up in text from legacy fonts.
    assert fold("\u00d0ồng") == "dong"


# --- collation ---------------------------------------------------------------------------


def vsorted(words: list[str]) -> list[str]:
    return sorted(words, key=collation_key)


def test_alphabet_order() -> None:
    expected = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert vsorted(shuffled) == expected


def test_tone_order() -> None:
    # none, huyền, hỏi, ngã, sắc, nặng
    expected = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert vsorted(["mạ", "má", "mã", "mả", "mà", "ma"]) == expected


def test_base_letters_before_tones_across_the_whole_string() -> None:
    # "bà" < "ban" because base letters decide first ("ba" < "ban"), tones only break ties.
    assert vsorted(["ban", "bà"]) == ["bà", "ban"]
    assert vsorted(["cá nhân", "ca nhạc"]) == ["ca nhạc", "cá nhân"]
    # Same letters: the first word's tone decides before the second's.
    assert vsorted(["bà ba", "ba bà", "ba ba"]) == ["ba ba", "ba bà", "bà ba"]


def test_modified_letters_sort_after_their_base_word() -> None:
    words = ["đá", "dưa", "da", "dù", "dân", "ăn", "an", "ân", "ơn", "ôm", "om", "ưa", "ua"]
    assert vsorted(words) == [
        "an",
        "ăn",
        "ân",
        "da",
        "dân",
        "dù",
        "dưa",
        "đá",
        "om",
        "ôm",
        "ơn",
        "ua",
        "ưa",
    ]


def test_space_sorts_before_letters() -> None:
    assert vsorted(["anh", "an ninh", "an"]) == ["an", "an ninh", "anh"]


def test_case_insensitive_primary() -> None:
    assert vsorted(["Bình Sơn", "an ninh", "Đức Phổ", "ba tơ"]) == [
        "an ninh",
        "ba tơ",
        "Bình Sơn",
        "Đức Phổ",
    ]


def test_district_names_in_vietnamese_order() -> None:
    names = [
        "Trà Bồng",
        "Đức Phổ",
        "Ba Tơ",
        "Sơn Tịnh",
        "Lý Sơn",
        "Bình Sơn",
        "Tư Nghĩa",
        "Mộ Đức",
        "Sơn Hà",
        "Minh Long",
        "Nghĩa Hành",
        "Sơn Tây",
        "Quảng Ngãi",
        "Dung Quất",
    ]
    assert vsorted(names) == [
        "Ba Tơ",
        "Bình Sơn",
        "Dung Quất",
        "Đức Phổ",
        "Lý Sơn",
        "Minh Long",
        "Mộ Đức",
        "Nghĩa Hành",
        "Quảng Ngãi",
        "Sơn Hà",
        "Sơn Tây",
        "Sơn Tịnh",
        "Trà Bồng",
        "Tư Nghĩa",
    ]


def test_nfd_input_sorts_like_nfc() -> None:
    words = ["đá", "dưa", "da", "Ơn", "ôm", "ăn", "ân", "an"]
    assert vsorted([nfd(w) for w in words]) == [nfd(w) for w in vsorted(words)]
    assert collation_key(nfd("Quảng Ngãi"))[:2] == collation_key("Quảng Ngãi")[:2]


def test_old_and_new_tone_placement_tie() -> None:
    # "hoà" and "hòa" differ only in where the tone is written: equal on letters and tones.
    assert collation_key("hoà")[:2] == collation_key("hòa")[:2]
    assert collation_key("thuỷ")[:2] == collation_key("thủy")[:2]
    assert vsorted(["hoả", "hòa", "hoa"]) == ["hoa", "hòa", "hoả"]


def test_digits_and_punctuation_before_letters() -> None:
    assert vsorted(["Quy trình", "(Dự thảo)", "2024 tổng kết"]) == [
        "(Dự thảo)",
        "2024 tổng kết",
        "Quy trình",
    ]


def test_foreign_letters_sort_with_their_base() -> None:
    assert vsorted(["zalo", "wifi", "văn", "fanpage", "ứng dụng"]) == [
        "fanpage",
        "ứng dụng",
        "văn",
        "wifi",
        "zalo",
    ]


def test_collation_key_is_fast_enough_for_ten_thousand_titles() -> None:
    rng = random.Random(1)
    words = ["cải", "cách", "hành", "chính", "số", "hoá", "thủ", "tục", "một", "cửa", "điện"]
    words += ["tử", "đổi", "mới", "sáng", "tạo", "ứng", "dụng", "Quảng", "Ngãi", "UBND"]
    titles = [" ".join(rng.choices(words, k=12)) for _ in range(10_000)]
    start = time.perf_counter()
    ordered = sorted(titles, key=collation_key)
    assert time.perf_counter() - start < 1.0
    assert len(ordered) == 10_000


# --- slugify -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Điều kiện áp dụng", "dieu-kien-ap-dung"),
        ("Gắn mã QR tra cứu thủ tục hành chính", "gan-ma-qr-tra-cuu-thu-tuc-hanh-chinh"),
        ("UBND huyện Bình Sơn", "ubnd-huyen-binh-son"),
        ("Sở KH&CN", "so-kh-cn"),
        ("  --Lợi ích thu được!--  ", "loi-ich-thu-duoc"),
        ("1379/QĐ-UBND", "1379-qd-ubnd"),
        ("Ưu điểm", "uu-diem"),
        ("", ""),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_slugify_nfd_and_separator() -> None:
    assert slugify(nfd("Đổi mới sáng tạo")) == "doi-moi-sang-tao"
    assert slugify("Đổi mới sáng tạo", sep="_") == "doi_moi_sang_tao"
    assert slugify("Đổi mới", sep="") == "doimoi"


def test_slugify_output_is_ascii() -> None:
    slug = slugify("Chuyển đổi số – «Hỏi đáp» ™ 中文 ổn định")
    assert slug.isascii()
    assert slug == "chuyen-doi-so-hoi-dap-on-dinh"


def test_slugify_markdown_toc_signature_and_html() -> None:
    assert slugify_markdown_toc("Điều kiện áp dụng", "-") == "dieu-kien-ap-dung"
    assert slugify_markdown_toc("Các <code>bước</code> thực hiện", "_") == "cac_buoc_thuc_hien"


def test_slugify_markdown_toc_works_with_python_markdown() -> None:
    markdown = pytest.importorskip("markdown")
    html = markdown.markdown(
        "## Điều kiện áp dụng\n",
        extensions=["toc"],
        extension_configs={"toc": {"slugify": slugify_markdown_toc}},
    )
    assert 'id="dieu-kien-ap-dung"' in html


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 10, 15), "15/10/2024"),
        ("2024-10-15", "15/10/2024"),
        ("2025-02-05", "05/02/2025"),
        (datetime(2025, 7, 1, 8, 30), "01/07/2025"),
        ("2025-07-01T08:30:00", "01/07/2025"),
    ],
)
def test_format_date(value: date | str, expected: str) -> None:
    assert format_date(value) == expected


def test_format_date_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        format_date("2025-02-30")
    with pytest.raises(TypeError):
        format_date(20250205)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Day < 10 and months 1-2 are zero-padded (Decree 30/2020/NĐ-CP), other months not.
        ("2025-02-05", "Quảng Ngãi, ngày 05 tháng 02 năm 2025"),
        ("2025-01-20", "Quảng Ngãi, ngày 20 tháng 01 năm 2025"),
        ("2025-03-05", "Quảng Ngãi, ngày 05 tháng 3 năm 2025"),
        ("2024-10-15", "Quảng Ngãi, ngày 15 tháng 10 năm 2024"),
        (date(2025, 7, 1), "Quảng Ngãi, ngày 01 tháng 7 năm 2025"),
    ],
)
def test_format_date_long(value: date | str, expected: str) -> None:
    # The place comes from configuration (no province in the engine); the test names one.
    assert format_date_long(value, place="Quảng Ngãi") == expected
    assert format_date_long(value) == expected.split(", ", 1)[1]


def test_format_date_long_place() -> None:
    assert format_date_long("2024-12-31", place="Bình Sơn") == "Bình Sơn, ngày 31 tháng 12 năm 2024"
    assert format_date_long("2024-12-31", place="") == "ngày 31 tháng 12 năm 2024"


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2161755, "2.161.755"),
        (14832.55, "14.832,55"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (-2161755, "-2.161.755"),
        (-14832.55, "-14.832,55"),
        (3.0, "3"),
        (2000000.0, "2.000.000"),
        (0.5, "0,5"),
        (1e-7, "0,0000001"),
        (1e16, "10.000.000.000.000.000"),
        (Decimal("1234.50"), "1.234,50"),
    ],
)
def test_format_number(value: int | float | Decimal, expected: str) -> None:
    assert format_number(value) == expected


def test_format_number_fixed_decimals() -> None:
    assert format_number(14832.55, decimals=1) == "14.832,6"
    assert format_number(2.675, decimals=2) == "2,68"  # half up, not binary half-even
    assert format_number(1234, decimals=2) == "1.234,00"
    assert format_number(-0.004, decimals=2) == "0,00"
    assert format_number(1234.5, decimals=0) == "1.235"


def test_format_number_rejects_non_numbers() -> None:
    with pytest.raises(TypeError):
        format_number("12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(ValueError):
        format_number(float("nan"))


def test_format_vnd() -> None:
    assert format_vnd(2000000) == "2.000.000 đồng"
    assert format_vnd(0) == "0 đồng"
    assert format_vnd(1500000.6) == "1.500.001 đồng"
    assert format_vnd(-250000) == "-250.000 đồng"


@pytest.mark.parametrize(
    ("baseline", "result", "expected"),
    [
        (15, 3, "-80%"),
        (4, 5, "+25%"),
        (8, 7, "-12,5%"),
        (3, 1, "-66,7%"),
        (100, 100, "0%"),
        (10000, 10001, "0%"),
        (2.5, 5, "+100%"),
        (-10, -5, "+50%"),
        (0, 5, None),
        (None, 5, None),
        (5, None, None),
        ("15", 3, None),
        (True, 3, None),
    ],
)
def test_format_percent_change(baseline: object, result: object, expected: str | None) -> None:
    assert format_percent_change(baseline, result) == expected


# --- abbreviations -----------------------------------------------------------------------


def test_abbreviation_table_has_the_common_ones() -> None:
    for abbr in ["UBND", "HĐND", "TTHC", "CCHC", "CĐS", "KH&CN", "CSTĐ", "ĐMST", "DVC"]:
        assert abbr in ABBREVIATIONS
    assert ABBREVIATIONS["TTHC"] == "thủ tục hành chính"
    assert ABBREVIATIONS["LĐTB&XH"] == "lao động - thương binh và xã hội"


def test_expand_abbreviations_appends_folded_expansions() -> None:
    assert expand_abbreviations("Số hoá TTHC") == "so hoa tthc thu tuc hanh chinh"
    assert expand_abbreviations("số hoá tthc") == "so hoa tthc thu tuc hanh chinh"
    assert expand_abbreviations("Đẩy mạnh CĐS và ĐMST") == (
        "day manh cds va dmst chuyen doi so doi moi sang tao"
    )


def test_expand_abbreviations_diacritic_insensitive_and_nfd() -> None:
    assert expand_abbreviations(nfd("Sở KH&CN")) == "so kh&cn khoa hoc va cong nghe"
    assert expand_abbreviations("So KH&CN") == "so kh&cn khoa hoc va cong nghe"
    assert expand_abbreviations("HDND xa") == "hdnd xa hoi dong nhan dan"


def test_expand_abbreviations_document_number() -> None:
    assert expand_abbreviations("245/QĐ-UBND") == "245/qd-ubnd quyet dinh uy ban nhan dan"


def test_expand_abbreviations_whole_tokens_only() -> None:
    # "dvctt" must not also expand as "dvc" or "tt"; "ubndx" is not an abbreviation.
    assert expand_abbreviations("DVCTT") == "dvctt dich vu cong truc tuyen"
    assert expand_abbreviations("ubndx cdsa") == "ubndx cdsa"
    assert expand_abbreviations("Không viết tắt") == "khong viet tat"


def test_expand_abbreviations_once_and_not_when_already_present() -> None:
    assert expand_abbreviations("TTHC, TTHC và thủ tục hành chính") == (
        "tthc, tthc va thu tuc hanh chinh"
    )
    assert expand_abbreviations("KH&CN và KHCN") == "kh&cn va khcn khoa hoc va cong nghe"


def test_abbreviation_synonyms() -> None:
    assert abbreviation_synonyms("Cải cách thủ tục hành chính") == ["tthc"]
    assert abbreviation_synonyms("Ủy ban nhân dân xã Tịnh Phong") == ["ubnd"]
    assert abbreviation_synonyms("Sở Khoa học và Công nghệ") == ["kh&cn", "khcn"]
    assert abbreviation_synonyms("Không có gì") == []


def test_abbreviation_synonyms_tolerates_punctuation_nfd_and_old_tones() -> None:
    assert abbreviation_synonyms(nfd("Sở Lao động, Thương binh và Xã hội")) == [
        "ldtb&xh",
        "ldtbxh",
    ]
    assert abbreviation_synonyms("Uỷ ban nhân dân") == ["ubnd"]
    assert abbreviation_synonyms("CẢI CÁCH HÀNH CHÍNH") == ["cchc"]


def test_abbreviation_synonyms_include_contained_expansions() -> None:
    # "dịch vụ công trực tuyến" contains "dịch vụ công": findable by "dvctt" and "dvc".
    assert abbreviation_synonyms("Dịch vụ công trực tuyến toàn trình") == ["dvctt", "dvc"]


def test_closest_suggests_what_the_user_meant() -> None:
    from generator.text.vn import closest

    assert closest("Tỉnh", ["tinh", "huyen", "co-so"]) == "tinh"  # case and diacritics
    assert closest("ky_thuat", ["ky-thuat", "quan-ly"]) == "ky-thuat"  # _ for -
    assert closest("ubnd-xa-binh-sn", ["ubnd-xa-binh-son", "ubnd-xa-tinh-son"]) == (
        "ubnd-xa-binh-son"
    )
    assert closest("zzz", ["tinh", "huyen"]) is None  # nothing close: no hint
    assert closest(7, ["tinh"]) is None
    # A name finds its id.
    names = {"so-khcn": "Sở Khoa học và Công nghệ"}
    assert closest("so khoa hoc va cong nghe", names, names=names) == "so-khcn"
    # The cutoff decides how loose a hint may be.
    assert closest("tinhh", ["tinh"], cutoff=0.95) is None
