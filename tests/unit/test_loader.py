"""The strict YAML loader: what silently corrupts data is refused or flagged, at the right place.

Every test asserts the diagnostic code *and* its line:column, because a contributor fixing a
file in a web editor only has the place to go on.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.load.yamlstrict import MAX_DEPTH, load_bytes, load_text, read_file


def found(doc) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in doc.diagnostics]


def test_plain_record_keeps_positions_of_keys_and_values() -> None:
    doc = load_text(
        "id: QNG-2024-0007\nauthors:\n  - name: Lan\n    contribution_pct: 70\n", "f.yml"
    )
    assert doc.ok and not doc.diagnostics
    assert doc.data == {"id": "QNG-2024-0007", "authors": [{"name": "Lan", "contribution_pct": 70}]}
    assert doc.positions[("id",)] == (1, 5)
    assert doc.key_positions[("authors",)] == (2, 1)
    assert doc.positions[("authors", 0, "contribution_pct")] == (4, 23)
    assert doc.key_positions[("authors", 0, "name")] == (3, 5)
    # Unknown paths fall back to the closest known parent.
    assert doc.pos(("authors", 0, "missing")) == (3, 5)


def test_duplicate_key_is_an_error_and_keeps_the_first_value() -> None:
    doc = load_text("title: Một\nsummary: x\ntitle: Hai\n", "f.yml")
    assert found(doc) == [("SK004", 3, 1)]
    assert "line 1" in doc.diagnostics[0].message("en")
    assert doc.data["title"] == "Một"
    assert not doc.ok


def test_duplicate_key_in_nested_mapping() -> None:
    doc = load_text("replication:\n  readiness: pilot\n  readiness: proven\n", "f.yml")
    assert found(doc) == [("SK004", 3, 3)]


@pytest.mark.parametrize("word", ["yes", "No", "on", "OFF", "y", "N"])
def test_yaml11_booleans_stay_text_with_a_warning(word: str) -> None:
    doc = load_text(f"sample: {word}\n", "f.yml")
    assert doc.data == {"sample": word}
    assert found(doc) == [("SK010", 1, 9)]
    assert doc.diagnostics[0].severity == "warning"
    assert "true/false" in doc.diagnostics[0].message("en")
    assert doc.ok  # a warning does not make the file unusable


def test_real_booleans_and_nulls_are_read() -> None:
    doc = load_text("a: true\nb: False\nc: null\nd: ~\ne:\n", "f.yml")
    assert doc.data == {"a": True, "b": False, "c": None, "d": None, "e": None}
    assert not doc.diagnostics


def test_sexagesimal_is_not_a_number() -> None:
    doc = load_text("period: 1:30\n", "f.yml")
    assert doc.data == {"period": "1:30"}
    assert found(doc) == [("SK010", 1, 9)]
    assert "a number" in doc.diagnostics[0].message("en")


@pytest.mark.parametrize("value", ["010", "007", "0o17", "0x1F", "1_000"])
def test_yaml11_numbers_stay_text(value: str) -> None:
    doc = load_text(f"code: {value}\n", "f.yml")
    assert doc.data == {"code": value}
    assert found(doc) == [("SK010", 1, 7)]


def test_numbers_follow_yaml_12() -> None:
    doc = load_text("a: 10\nb: -3\nc: 2.5\nd: 1e3\ne: 0\n", "f.yml")
    assert doc.data == {"a": 10, "b": -3, "c": 2.5, "d": 1000.0, "e": 0}
    assert not doc.diagnostics


def test_phone_number_with_leading_zero_is_plain_text_without_warning() -> None:
    doc = load_text("phone: 0255 3822 123\n", "f.yml")
    assert doc.data == {"phone": "0255 3822 123"}
    assert not doc.diagnostics


def test_quoted_values_are_always_text() -> None:
    doc = load_text('a: "yes"\nb: \'010\'\nc: "1:30"\nd: !!str 12\n', "f.yml")
    assert doc.data == {"a": "yes", "b": "010", "c": "1:30", "d": "12"}
    assert not doc.diagnostics


def test_dates_stay_iso_text() -> None:
    doc = load_text("first_applied: 2024-03-01\n", "f.yml")
    assert doc.data == {"first_applied": "2024-03-01"}


def test_anchor_is_refused() -> None:
    doc = load_text("agency: &a ubnd-xa-binh-son\nissuer: x\n", "f.yml")
    assert found(doc) == [("SK005", 1, 9)]
    assert "anchor" in doc.diagnostics[0].message("en")
    assert not doc.ok


def test_alias_is_refused_where_it_is_written() -> None:
    doc = load_text("agency: &a ubnd-xa-binh-son\nissuer: *a\n", "f.yml")
    assert found(doc) == [("SK005", 1, 9), ("SK005", 2, 9)]
    assert "alias" in doc.diagnostics[1].message("en")
    assert doc.data is None


def test_merge_key_is_refused() -> None:
    doc = load_text("metrics:\n  - <<: {unit: phút}\n    indicator: x\n", "f.yml")
    assert found(doc) == [("SK005", 2, 5)]
    assert "merge key" in doc.diagnostics[0].message("en")


def test_billion_laughs_is_refused_instantly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    doc = load_text(text, "f.yml")
    elapsed = time.perf_counter() - start
    # Expanded, this document is 9**10 strings: anything but a refusal would never finish.
    assert elapsed < 2.0
    assert doc.data is None and not doc.ok
    assert ("SK005", 2, 8) in found(doc)  # the first `*a`


def test_utf8_bom_is_accepted() -> None:
    doc = load_bytes("\ufefftitle: Việt\n".encode(), "f.yml")
    assert doc.data == {"title": "Việt"}
    assert not doc.diagnostics


def _cp1258(text: str) -> bytes:
    """What Windows-1258 editors write: base letters plus a separate tone mark."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            out += unicodedata.normalize("NFC", d[:-1]).encode("cp1258") + d[-1].encode("cp1258")
    return bytes(out)


def test_cp1258_file_is_refused_and_named() -> None:
    doc = load_bytes(_cp1258("id: X\ntitle: Sở Tư pháp\n"), "f.yml")
    assert found(doc) == [("SK002", 2, 9)]
    assert "Windows-1258" in doc.diagnostics[0].message("vi")
    assert doc.data is None


def test_utf16_file_is_refused_and_named() -> None:
    doc = load_bytes("title: Việt\n".encode("utf-16"), "f.yml")
    assert found(doc) == [("SK002", 1, 1)]
    assert "UTF-16" in doc.diagnostics[0].message("en")


def test_utf16_without_bom_is_refused_and_named() -> None:
    doc = load_bytes("title: x\n".encode("utf-16-le"), "f.yml")
    assert found(doc) == [("SK002", 1, 2)]
    assert "UTF-16" in doc.diagnostics[0].message("en")


def test_latin1_file_is_refused_and_named() -> None:
    doc = load_bytes("note: café crème\n".encode("latin-1"), "f.yml")
    assert found(doc) == [("SK002", 1, 10)]
    assert "Latin-1" in doc.diagnostics[0].message("en")


def test_nfd_text_is_warned_and_normalised() -> None:
    doc = load_text("title: Vie\u0323\u0302t Nam\n", "f.yml")
    assert found(doc) == [("SK009", 1, 10)]
    assert doc.data == {"title": "Việt Nam"}
    assert doc.ok


def test_tab_indentation_is_a_syntax_error_that_says_tab() -> None:
    doc = load_text("authors:\n\t- name: Lan\n", "f.yml")
    assert found(doc) == [("SK003", 2, 1)]
    assert "tab" in doc.diagnostics[0].message("vi")


def test_control_character_is_a_syntax_error_at_its_place() -> None:
    doc = load_text("title: Sáng\x07 kiến\n", "f.yml")
    assert found(doc) == [("SK003", 1, 12)]


def test_unclosed_quote_points_at_the_opening_quote() -> None:
    doc = load_text('id: X\ntitle: "Sáng kiến\nsummary: x\n', "f.yml")
    assert found(doc) == [("SK003", 2, 8)]
    assert "dấu nháy" in doc.diagnostics[0].message("vi")
    assert "end of stream" in doc.diagnostics[0].message("en")


@pytest.mark.parametrize(
    ("text", "where", "vi"),
    [
        ("title: Sáng kiến: mới\n", (1, 17), "đặt cả giá trị trong dấu nháy kép"),
        ("fields: [a, b\nagency: x\n", (2, 7), "ngoặc vuông đóng"),
        ("authors:\n  - name: A\n   position: B\n", (3, 4), "thụt lề không đều"),
        ("a:\n  b: 1\n   c: 2\nd: 3\n", (3, 5), "thụt lề"),
    ],
)
def test_syntax_errors_are_explained_in_vietnamese(
    text: str, where: tuple[int, int], vi: str
) -> None:
    doc = load_text(text, "f.yml")
    assert found(doc) == [("SK003", *where)]
    assert vi in doc.diagnostics[0].message("vi")


def test_very_deep_nesting_is_refused() -> None:
    depth = MAX_DEPTH + 10
    doc = load_text("tags: " + "[" * depth + "]" * depth + "\n", "f.yml")
    assert found(doc) == [("SK011", 1, 7 + MAX_DEPTH)]
    assert doc.data is None


def test_extremely_deep_nesting_never_raises() -> None:
    doc = load_text("a: " + "[" * 20000 + "]" * 20000 + "\n", "f.yml")
    assert doc.data is None
    assert doc.diagnostics and doc.diagnostics[0].code in {"SK011", "SK003"}
    assert doc.diagnostics[0].line == 1


def test_two_documents_are_refused() -> None:
    doc = load_text("id: A\n---\nid: B\n", "f.yml")
    assert found(doc) == [("SK006", 2, 1)]


@pytest.mark.parametrize("text", ["", "\n\n", "# chỉ có chú thích\n", "---\n"])
def test_empty_file(text: str) -> None:
    doc = load_text(text, "f.yml")
    assert found(doc) == [("SK007", 1, 1)]


def test_custom_tag_is_refused() -> None:
    doc = load_text("first_applied: !ngay 2024-03-01\n", "f.yml")
    assert found(doc) == [("SK008", 1, 16)]
    assert "!ngay" in doc.diagnostics[0].message("en")


def test_python_tag_is_refused_not_executed() -> None:
    doc = load_text("x: !!python/object/apply:os.system ['echo hi']\n", "f.yml")
    assert found(doc) == [("SK008", 1, 4)]


def test_complex_key_is_refused() -> None:
    doc = load_text("id: A\n? [a, b]\n: c\n", "f.yml")
    assert found(doc) == [("SK008", 2, 3)]
    assert "complex key" in doc.diagnostics[0].message("en")


def test_number_key_is_kept_as_text() -> None:
    doc = load_text("2024: x\n", "f.yml")
    assert doc.data == {"2024": "x"}


def test_every_problem_is_reported_not_only_the_first() -> None:
    doc = load_text("a: yes\nb: 1:30\na: 2\nc: off\n", "f.yml")
    assert found(doc) == [("SK010", 1, 4), ("SK010", 2, 4), ("SK004", 3, 1), ("SK010", 4, 4)]


def test_read_file_reports_a_missing_file(tmp_path: Path) -> None:
    doc = read_file(tmp_path / "nope.yml", "registry/nope.yml")
    assert found(doc) == [("SK001", 0, 0)]
    assert doc.diagnostics[0].file == "registry/nope.yml"


def test_read_file_refuses_an_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.yml"
    big.write_text("a: " + "x" * 1_100_000 + "\n", encoding="utf-8")
    doc = read_file(big, "big.yml")
    assert found(doc) == [("SK011", 1, 1)]
    assert "byte" in doc.diagnostics[0].message("vi")
