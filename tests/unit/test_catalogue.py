"""The catalogue index (api/v1/catalogue.json) and the tra-cuu/ page skeleton."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.render import catalogue
from generator.render.pages import FILE_PROVIDERS, PAGE_PROVIDERS, resolve
from generator.text.vn import fold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index(loaded: tuple[Any, Any]) -> dict[str, Any]:
    return catalogue.build_index(*loaded)


def rows_by_id(index: dict[str, Any]) -> dict[str, dict[str, Any]]:
    cols = index["cols"]
    return {row[0]: dict(zip(cols, row, strict=True)) for row in index["rows"]}


def test_index_has_every_initiative_with_decoded_facets(
    loaded: tuple[Any, Any], index: dict[str, Any]
) -> None:
    registry, _ = loaded
    rows = rows_by_id(index)
    assert index["count"] == len(registry.initiatives) == len(rows)
    facets = index["facets"]
    for i in registry.initiatives.values():
        row = rows[i.id]
        assert row["title"] == i.title
        assert facets["agencies"][row["agency"]] == [i.agency, registry.agency_name(i.agency)]
        assert [facets["fields"][n][0] for n in row["fields"]] == list(i.fields)
        assert [facets["types"][n][0] for n in row["types"]] == list(i.solution_types)
        level = facets["levels"][row["level"]][0] if row["level"] >= 0 else None
        assert level == i.status_level
        readiness = facets["readiness"][row["readiness"]][0] if row["readiness"] >= 0 else None
        assert readiness == i.readiness
        assert row["year"] == i.year
        assert row["adoptions"] == i.adoption_count
        d = i.latest_decision_date
        assert row["date"] == (int(d.strftime("%Y%m%d")) if d else 0)
        assert len(row["summary"]) <= catalogue.SUMMARY_CHARS


def test_facet_labels_come_from_the_schema(index: dict[str, Any]) -> None:
    schema = json.loads((ROOT / "schema" / "initiative.schema.json").read_text(encoding="utf-8"))
    levels = schema["properties"]["recognitions"]["items"]["properties"]["level"]["x-enum-labels"]
    assert dict(index["facets"]["levels"]) == levels
    assert [v for v, _ in index["facets"]["levels"]] == ["co-so", "bo-nganh", "tinh", "toan-quoc"]
    assert [v for v, _ in index["facets"]["readiness"]] == ["idea", "pilot", "proven", "packaged"]
    assert dict(index["facets"]["types"])["tac-nghiep"] == "Giải pháp tác nghiệp"


def test_fields_and_agencies_are_in_vietnamese_order(index: dict[str, Any]) -> None:
    from generator.text.vn import collation_key

    for name in ("fields", "agencies"):
        labels = [label for _, label in index["facets"][name]]
        assert labels == sorted(labels, key=collation_key)


def test_search_words_cover_what_the_card_does_not_show(
    loaded: tuple[Any, Any], index: dict[str, Any]
) -> None:
    registry, _ = loaded
    rows = rows_by_id(index)
    for i in registry.initiatives.values():
        row = rows[i.id]
        # What the browser matches: the folded title and card summary plus the extra words.
        hay = set(catalogue.tokens(f"{row['title']} {row['summary']}")) | set(row["text"].split())
        assert set(catalogue.tokens(i.summary)) <= hay
        # Each extra word once, ASCII-folded, and none repeats what the card shows.
        extra = row["text"].split()
        assert len(extra) == len(set(extra))
        assert all(w == fold(w) for w in extra)
        assert not set(extra) & set(catalogue.tokens(f"{row['title']} {row['summary']}"))


def test_search_words_expand_abbreviations_both_ways(loaded: tuple[Any, Any]) -> None:
    registry, _ = loaded
    base = next(iter(registry.initiatives.values()))
    from dataclasses import replace

    abbreviated = replace(base, title="Số hoá TTHC tại UBND xã", summary="Giảm giấy tờ.", tags=())
    words = catalogue.search_text(abbreviated).split()
    assert {"thu", "tuc", "hanh", "chinh", "uy", "ban", "nhan", "dan"} <= set(words)
    spelled = replace(base, title="Chuyển đổi số trong cải cách hành chính", summary="", tags=())
    words = catalogue.search_text(spelled).split()
    assert {"cds", "cchc"} <= set(words)


def test_shorten_cuts_at_a_word_boundary() -> None:
    text = "Một hai ba bốn năm sáu bảy tám chín mười " * 10
    short = catalogue.shorten(text, 50)
    assert len(short) <= 50 and short.endswith("…")
    assert text.startswith(short[:-1])
    assert catalogue.shorten("Ngắn thôi.", 50) == "Ngắn thôi."


def test_write_files_writes_compact_json_atomically(
    loaded: tuple[Any, Any], tmp_path: Path
) -> None:
    written = list(catalogue.write_files(*loaded, tmp_path))
    assert written == ["api/v1/catalogue.json"]
    text = (tmp_path / "api" / "v1" / "catalogue.json").read_text(encoding="utf-8")
    data = json.loads(text)
    # Compact: no indentation or spaces after separators, Vietnamese as UTF-8, not \\u escapes.
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert data["license"] == "CC BY 4.0"
    # No temporary file is left next to it.
    assert [p.name for p in (tmp_path / "api" / "v1").iterdir()] == ["catalogue.json"]


def test_page_has_labelled_controls_and_a_no_script_fallback(loaded: tuple[Any, Any]) -> None:
    registry, settings = loaded
    [page] = list(catalogue.pages(registry, settings))
    assert page.uri == "tra-cuu.md"
    md = page.markdown
    assert md.startswith("---\ntitle: Tra cứu sáng kiến\n")
    for control in ("sk-cat-q", "sk-cat-sort"):
        assert f'<label for="{control}">' in md and f'id="{control}"' in md
    assert 'role="status" aria-live="polite"' in md
    assert 'data-index="../api/v1/catalogue.json"' in md
    # Without JavaScript, links to the static browse pages, one per field.
    for field_id in {f for i in registry.initiatives.values() for f in i.fields}:
        assert f'href="../linh-vuc/{field_id}/"' in md
    assert re.search(r'href="\.\./nam/\d{4}/"', md)
    # One line of HTML: Markdown must not turn indented lines into code blocks.
    skeleton = md.split("\n\n")[-1]
    assert skeleton.count("\n") == 1


def test_providers_are_registered() -> None:
    assert "generator.render.catalogue:pages" in PAGE_PROVIDERS
    assert "generator.render.search_page:pages" in PAGE_PROVIDERS
    assert "generator.render.catalogue:write_files" in FILE_PROVIDERS
    assert catalogue.write_files in resolve(FILE_PROVIDERS)
