"""The catalogue (tra-cuu/): facets with live counts, text box, sorting, URL state, keyboard."""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from typing import Any

import pytest

from generator.text.vn import collation_key

pytestmark = pytest.mark.browser

STATUS = ".sk-cat__status"
CARD_LINKS = ".sk-cat__results .sk-card__title a"


def open_catalogue(page: Any, site_url: str, query: str = "") -> None:
    page.goto(site_url + "tra-cuu/" + query)
    page.wait_for_selector("[data-sk-catalogue][data-sk-ready]")


def shown_count(page: Any) -> int:
    text = page.locator(STATUS).inner_text()
    if text.startswith("Không tìm thấy"):
        return 0
    match = re.search(r"Tìm thấy ([\d.]+) sáng kiến", text)
    assert match, text
    return int(match.group(1).replace(".", ""))


def facet_count(page: Any, box_id: str) -> int:
    text = page.locator(f"label[for='{box_id}'] [data-count]").inner_text()
    return int(text.strip("()").replace(".", ""))


def field_box(index: dict[str, Any], field_id: str) -> str:
    n = [f for f, _ in index["facets"]["fields"]].index(field_id)
    return f"sk-cat-linh-vuc-{n}"


def level_box(index: dict[str, Any], level: str) -> str:
    n = [v for v, _ in index["facets"]["levels"]].index(level)
    return f"sk-cat-cap-{n}"


def query_of(page: Any) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def test_catalogue_lists_every_initiative_20_per_page(
    page: Any, site_url: str, registry: Any
) -> None:
    open_catalogue(page, site_url)
    total = len(registry.initiatives)
    assert shown_count(page) == total
    assert page.locator(CARD_LINKS).count() == min(20, total)
    # A card shows title, agency, year and level badge, and links to the record page.
    card = page.locator(".sk-card").first
    assert card.locator(".sk-card__agency").inner_text()
    assert re.fullmatch(r"\d{4}", card.locator(".sk-card__year").inner_text())
    assert card.locator(".sk-badge").inner_text()
    href = card.locator("a").get_attribute("href")
    assert re.search(r"sang-kien/qng-\d{4}-\d{4}/$", href)
    # The no-JavaScript browse links are hidden once the catalogue runs.
    assert page.locator("[data-sk-fallback]").is_hidden()


def test_facet_filters_results_and_updates_counts(
    page: Any, site_url: str, registry: Any, catalogue_index: dict[str, Any]
) -> None:
    by_field = Counter(f for i in registry.initiatives.values() for f in i.fields)
    field_id, expected = by_field.most_common(1)[0]
    open_catalogue(page, site_url)
    box = field_box(catalogue_index, field_id)
    assert facet_count(page, box) == expected
    page.locator(f"#{box}").check()
    page.wait_for_function(
        "([s, n]) => document.querySelector(s).textContent.includes(n)",
        arg=[STATUS, f"Tìm thấy {expected} sáng kiến"],
    )
    assert query_of(page)["linh-vuc"] == [field_id]
    # The level counts now describe only the initiatives of that field.
    in_field = [i for i in registry.initiatives.values() if field_id in i.fields]
    levels = Counter(i.status_level for i in in_field if i.status_level)
    for level, n in levels.items():
        assert facet_count(page, level_box(catalogue_index, level)) == n
    # The field's own count still shows its size (counts ignore their own facet).
    assert facet_count(page, box) == expected
    # Adding a level narrows further.
    level, n = levels.most_common(1)[0]
    page.locator(f"#{level_box(catalogue_index, level)}").check()
    page.wait_for_function(
        "([s, n]) => document.querySelector(s).textContent.includes(n)",
        arg=[STATUS, f"Tìm thấy {n} sáng kiến"],
    )
    titles = set(page.locator(CARD_LINKS).all_inner_texts())
    expected_titles = {i.title for i in in_field if i.status_level == level}
    assert titles == expected_titles or titles < expected_titles


def test_text_box_folds_diacritics_and_abbreviations(
    page: Any, site_url: str, registry: Any
) -> None:
    open_catalogue(page, site_url)
    saying = [i for i in registry.initiatives.values() if "mã qr" in i.title.casefold()]
    assert saying
    page.locator("#sk-cat-q").fill("ma qr")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'ma qr'")
    titles = set(page.locator(CARD_LINKS).all_inner_texts())
    assert {i.title for i in saying} <= titles
    # "CĐS" finds initiatives that write "chuyển đổi số" out.
    spelled = [i for i in registry.initiatives.values() if "chuyển đổi số" in i.title.casefold()]
    assert spelled
    page.locator("#sk-cat-q").fill("CĐS")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'CĐS'")
    titles = set(page.locator(CARD_LINKS).all_inner_texts())
    assert {i.title for i in spelled} <= titles


def test_shared_url_restores_the_view_and_back_button_works(
    page: Any, site_url: str, registry: Any, catalogue_index: dict[str, Any]
) -> None:
    by_field = Counter(f for i in registry.initiatives.values() for f in i.fields)
    field_id = by_field.most_common(1)[0][0]
    expected = by_field[field_id]
    open_catalogue(page, site_url, f"?linh-vuc={field_id}&sap-xep=title")
    assert page.locator(f"#{field_box(catalogue_index, field_id)}").is_checked()
    assert page.locator("#sk-cat-sort").input_value() == "title"
    assert shown_count(page) == expected
    # Change the view, then go back: the shared view returns.
    page.locator(f"#{field_box(catalogue_index, field_id)}").uncheck()
    page.wait_for_function(
        "() => !new URL(location.href).searchParams.has('linh-vuc')",
    )
    assert shown_count(page) == len(registry.initiatives)
    page.go_back()
    page.wait_for_function("() => new URL(location.href).searchParams.has('linh-vuc')")
    page.wait_for_function(
        "([s, n]) => document.querySelector(s).textContent.includes(n)",
        arg=[STATUS, f"Tìm thấy {expected} sáng kiến"],
    )
    assert page.locator(f"#{field_box(catalogue_index, field_id)}").is_checked()


def test_sort_by_title_uses_vietnamese_order(page: Any, site_url: str, registry: Any) -> None:
    open_catalogue(page, site_url, "?sap-xep=title")
    titles: list[str] = []
    while True:
        titles += page.locator(CARD_LINKS).all_inner_texts()
        following = page.locator(".sk-cat__pager button", has_text="Sau")
        if not following.count():
            break
        before = page.locator(CARD_LINKS).first.inner_text()
        following.click()
        page.wait_for_function(
            "([s, t]) => document.querySelector(s).textContent !== t", arg=[CARD_LINKS, before]
        )
    assert len(titles) == len(registry.initiatives)
    # The registry's Vietnamese collation: a < ă < â, d < đ < e, tones after letters.
    assert titles == sorted(titles, key=collation_key)


def test_sort_by_most_adopted(page: Any, site_url: str, registry: Any) -> None:
    open_catalogue(page, site_url)
    page.locator("#sk-cat-sort").select_option("adopted")
    page.wait_for_function("() => new URL(location.href).searchParams.get('sap-xep') === 'adopted'")
    first = page.locator(CARD_LINKS).first.inner_text()
    most = max(i.adoption_count for i in registry.initiatives.values())
    assert {i.title for i in registry.initiatives.values() if i.adoption_count == most} >= {first}


def test_keyboard_tab_to_a_facet_and_space_toggles_it(
    page: Any, site_url: str, registry: Any
) -> None:
    open_catalogue(page, site_url)
    page.locator("#sk-cat-q").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input[type=checkbox][data-facet]')"):
            break
    else:
        pytest.fail("Tab never reached a facet checkbox")
    # Focus is visible on the facet.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    box_id = page.evaluate("document.activeElement.id")
    count = facet_count(page, box_id)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    page.wait_for_function("() => /[?&](linh-vuc|cap|nam|loai|san-sang)=/.test(location.search)")
    assert shown_count(page) == count
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search === ''")
    assert shown_count(page) == len(registry.initiatives)


def test_paging_moves_focus_to_results(page: Any, site_url: str, registry: Any) -> None:
    if len(registry.initiatives) <= 20:
        pytest.skip("one page of results only")
    open_catalogue(page, site_url)
    first_page = page.locator(CARD_LINKS).all_inner_texts()
    page.get_by_role("button", name="Trang 2", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('trang') === '2'")
    assert page.locator(CARD_LINKS).all_inner_texts() != first_page
    assert page.evaluate("document.activeElement.matches('[data-sk-results]')")
    assert "trang 2/" in page.locator(STATUS).inner_text()
