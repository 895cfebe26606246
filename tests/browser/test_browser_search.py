"""Vietnamese full-text search (Pagefind) as a visitor uses it: the search page and the header box."""

from __future__ import annotations

import re
import shutil
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from browserkit import serve_directory

from generator.site.search import (
    main_content,
    pages_to_index,
    plain_text,
    record_search_content,
)
from generator.text.vn import fold

pytestmark = pytest.mark.browser

STATUS = ".sk-find__status"
HITS = ".sk-find__results .sk-hit__title a"


def search_page(page: Any, site_url: str, query: str) -> list[tuple[str, str]]:
    """Open tim-kiem/?q=query, wait for the results, return (title, url path) of the first page."""
    page.goto(site_url + "tim-kiem/?q=" + urllib.parse.quote(query))
    return read_results(page)


def read_results(page: Any) -> list[tuple[str, str]]:
    # The page marks its results final once every spelling variant is merged in.
    page.wait_for_selector("[data-sk-find][data-sk-done]", state="attached")
    status = page.locator(STATUS).inner_text()
    if status.startswith("Không tìm thấy"):
        return []
    page.wait_for_selector(HITS)
    links = page.locator(HITS)
    return [
        (links.nth(i).inner_text(), urllib.parse.urlparse(links.nth(i).get_attribute("href")).path)
        for i in range(links.count())
    ]


def titles_with(registry: Any, phrase: str) -> dict[str, str]:
    """Record page path -> title, for records whose title says `phrase` (case-insensitive)."""
    return {
        f"/sang-kien/{i.slug}/": i.title
        for i in registry.initiatives.values()
        if phrase.casefold() in i.title.casefold()
    }


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("cai cach hanh chinh", "cải cách hành chính"),
        ("dich vu cong", "dịch vụ công"),
        ("ma qr", "mã qr"),
        ("chuyen doi so", "chuyển đổi số"),
    ],
)
def test_query_without_diacritics_finds_records_that_have_them(
    page: Any, site_url: str, registry: Any, query: str, phrase: str
) -> None:
    expected = titles_with(registry, phrase)
    assert expected, f"the bundled registry has no title with {phrase!r}"
    results = search_page(page, site_url, query)
    paths = [path for _, path in results]
    # Records that say the phrase in their title rank first.
    top = paths[: len(expected)]
    assert set(top) == set(expected), (query, results)
    assert phrase.casefold() in results[0][0].casefold()
    # The excerpt highlights the words as the record writes them.
    first_excerpt = page.locator(".sk-find__results .sk-hit__excerpt").first.inner_html()
    assert "<mark>" in first_excerpt


@pytest.mark.parametrize(
    ("abbreviation", "phrase"),
    [("tthc", "thủ tục hành chính"), ("CĐS", "chuyển đổi số"), ("cds", "chuyển đổi số")],
)
def test_abbreviation_finds_records_that_spell_it_out(
    page: Any, site_url: str, registry: Any, abbreviation: str, phrase: str
) -> None:
    expected = titles_with(registry, phrase)
    assert expected, f"the bundled registry has no title with {phrase!r}"
    assert search_page(page, site_url, abbreviation)
    assert set(expected) <= set(_all_result_paths(page))


def test_spelled_out_phrase_finds_records_that_only_abbreviate(
    page: Any, site_url: str, registry: Any, site_dir: Path
) -> None:
    # A record whose indexed text writes "TTHC" but never "thủ tục hành chính" is found by
    # the latter.
    abbreviating = []
    for i in registry.initiatives.values():
        text = indexed_text(site_dir, f"sang-kien/{i.slug}/index.html")
        if re.search(r"\bTTHC\b", text) and "thủ tục hành chính" not in text.casefold():
            abbreviating.append(f"/sang-kien/{i.slug}/")
    if not abbreviating:
        pytest.skip("no record page in the bundled registry uses TTHC without spelling it out")
    page.goto(site_url + "tim-kiem/?q=" + urllib.parse.quote("thu tuc hanh chinh"))
    read_results(page)
    paths = _all_result_paths(page)
    assert set(abbreviating) <= set(paths)


def indexed_text(site: Path, rel: str) -> str:
    """The visible text of the page at `rel` that the search index holds (for a record page,
    its header and description; see generator/site/search.py)."""
    content = main_content((site / rel).read_text(encoding="utf-8")) or ""
    if rel.startswith("sang-kien/"):
        content = record_search_content(content)
    return plain_text(content)


def _all_result_paths(page: Any) -> list[str]:
    """Press "Xem thêm kết quả" until every result is listed; return their paths."""
    more = page.locator("[data-sk-more]")
    while more.is_visible():
        before = page.locator(HITS).count()
        more.click()
        page.wait_for_function(
            "([s, n]) => document.querySelectorAll(s).length > n", arg=[HITS, before]
        )
    links = page.locator(HITS)
    return [
        urllib.parse.urlparse(links.nth(i).get_attribute("href")).path for i in range(links.count())
    ]


def _exact_and_folded_word(site: Path) -> tuple[str, set[str], set[str]]:
    """A word with diacritics, the indexed pages that have it exactly, and those that have
    only other words with the same folded form (e.g. "mã" vs "mà", "ma")."""
    exact: dict[str, set[str]] = {}
    by_fold: dict[str, set[str]] = {}
    for rel in pages_to_index(site):
        path = "/" + rel.removesuffix("index.html")
        text = indexed_text(site, rel).casefold()
        for word in set(re.findall(r"\w+", text)):
            if word != fold(word) and len(word) > 1:
                exact.setdefault(word, set()).add(path)
                by_fold.setdefault(fold(word), set()).add(path)
    best: tuple[int, str] | None = None
    for word, pages in exact.items():
        others = by_fold[fold(word)] - pages
        if 1 <= len(pages) <= 3 and len(others) >= 3:
            score = (len(others), word)
            best = max(best, score) if best else score
    if best is None:
        pytest.skip("no word in the bundled pages has both exact and folded-only matches")
    word = best[1]
    return word, exact[word], by_fold[fold(word)] - exact[word]


def test_exact_diacritics_rank_above_folded_matches(
    page: Any, site_url: str, site_dir: Path
) -> None:
    word, exact_pages, folded_pages = _exact_and_folded_word(site_dir)
    results = search_page(page, site_url, word)
    paths = [path for _, path in results]
    # Every page with the word as typed comes before any page with only a look-alike.
    assert set(paths[: len(exact_pages)]) == exact_pages, (word, paths)
    # The folded query still finds the look-alikes.
    folded_results = {p for _, p in search_page(page, site_url, fold(word))}
    assert folded_pages & folded_results


def test_nfd_query_gives_the_same_results_as_nfc(page: Any, site_url: str) -> None:
    nfc = "cải cách hành chính"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    expected = search_page(page, site_url, nfc)
    page.goto(site_url + "tim-kiem/")
    page.locator("#sk-find-q").fill(nfd)
    page.locator("#sk-find-q").press("Enter")
    page.wait_for_function(
        "s => document.querySelector(s).textContent.includes('kết quả cho')", arg=STATUS
    )
    got = read_results(page)
    assert got[:5] == expected[:5]
    # The query is shown (and kept in the URL) in the composed form.
    assert nfc in page.locator(STATUS).inner_text()
    assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["q"] == [nfc]


def test_filter_on_search_page_narrows_results(page: Any, site_url: str) -> None:
    results_all = search_page(page, site_url, "sáng kiến")
    select = page.locator("#sk-find-cap")
    # The filter lists load after the first results.
    select.locator("option").nth(1).wait_for(state="attached")
    label = next(o for o in select.locator("option").all_inner_texts() if o != "Tất cả")
    value = label.rsplit(" (", 1)[0]
    select.select_option(value)
    page.wait_for_function("() => new URL(location.href).searchParams.has('cap')")
    filtered = read_results(page)
    assert filtered and len(filtered) <= len(results_all)
    badges = page.locator(".sk-find__results .sk-badge").all_inner_texts()
    assert badges and set(badges) == {value}


def test_header_box_shows_results_while_typing(page: Any, site_url: str) -> None:
    page.goto(site_url)
    box = page.locator("#sk-search-q")
    box.fill("dich vu cong")
    panel = page.locator("#sk-search-panel")
    panel.wait_for(state="visible")
    first = panel.locator(".sk-hit__title a").first
    assert "dịch vụ công" in first.inner_text().casefold()
    # Arrow down moves into the results; Enter in the box opens the full page.
    box.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#sk-search-panel') !== null")
    box.focus()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=dich\+vu\+cong"))
    assert read_results(page)


def test_search_downloads_only_from_the_site(page: Any, site_url: str) -> None:
    # The page fixture fails the test on any request to another host; also check that the
    # index is fetched in chunks rather than whole.
    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url))
    search_page(page, site_url, "ma qr")
    assert any("/pagefind/index/" in u for u in fetched)
    assert any("/pagefind/fragment/" in u for u in fetched)


@pytest.fixture(scope="module")
def parted_site(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site again, its search index split into parts of 15 pages (as a registry of
    several thousand records is split, see `search_bundle_pages`)."""
    from generator.config import load_settings
    from generator.site.search import index_site

    copy = tmp_path_factory.mktemp("parted") / "site"
    shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns("*.pdf", "*.docx", "*.xlsx"))
    settings = load_settings(Path(__file__).resolve().parents[2]).with_(search_bundle_pages=15)
    assert index_site(copy, settings)["parts"] > 2
    return copy


@pytest.mark.parametrize("query", ["ma qr", "mã QR", "dich vu cong", "tthc"])
def test_an_index_in_parts_finds_what_one_index_finds(
    browser: Any, page: Any, site_url: str, parted_site: Path, query: str
) -> None:
    whole = sorted(_all_paths_for(page, site_url, query))
    assert whole, query
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        other.set_default_timeout(15_000)
        errors: list[str] = []
        other.on("pageerror", lambda exc: errors.append(str(exc)))
        with serve_directory(parted_site) as url:
            parted = _all_paths_for(other, url, query)
        assert not errors, errors
    finally:
        context.close()
    # Every page the whole index finds. A part may add a few weak matches: Pagefind drops a
    # query word its index has never seen, and a part sees fewer words than the whole.
    assert set(whole) <= set(parted), set(whole) - set(parted)
    assert len(parted) <= len(whole) + 3, set(parted) - set(whole)
    # With diacritics, the exact matches still come first.
    if query == "mã QR":
        exact = {p for p in whole if p.startswith("/sang-kien/")}
        assert parted[0] in exact


def _all_paths_for(page: Any, url: str, query: str) -> list[str]:
    page.goto(url + "tim-kiem/?q=" + urllib.parse.quote(query))
    read_results(page)
    return _all_result_paths(page)


def test_search_page_fetches_the_filter_lists_only_when_needed(page: Any, site_url: str) -> None:
    # Opened without a query, the page must not spend a slow link on the filter lists before
    # the visitor types: they come with the first results.
    requested: list[str] = []
    page.on("request", lambda req: requested.append(urllib.parse.urlparse(req.url).path))
    page.goto(site_url + "tim-kiem/", wait_until="networkidle")
    assert not [u for u in requested if u.endswith(".pf_filter")], requested
    assert not page.locator("[data-sk-filters]").is_visible()
    page.locator("#sk-find-q").fill("ma qr")
    page.locator("#sk-find-cap").locator("option").nth(1).wait_for(state="attached")
    assert page.locator("[data-sk-filters]").is_visible()
    assert [u for u in requested if u.endswith(".pf_filter")]
