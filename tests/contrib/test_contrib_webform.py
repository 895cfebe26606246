"""The "Đề xuất sáng kiến" web form: its page, and filling it in headless Chromium.

The browser tests also take the screenshots shown in CONTRIBUTING.md and docs/dong-gop.md
(docs/assets/contrib/). They replace the committed pictures only when one is missing or
SANGKIEN_UPDATE_SCREENSHOTS=1 is set (after a change to the form), so that a test run does
not leave the working tree changed by a few re-encoded pixels.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS, describe, run_axe, serve_directory

from generator.config import load_settings
from generator.contrib.record import next_free_id
from generator.contrib.site import FORM_PROPERTIES, form_data, page_markdown, pages
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "assets" / "contrib"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/initiative.schema.json"


# ---- the page, without a browser -------------------------------------------------------------
def test_page_provider_inlines_schema_choices_and_next_ids() -> None:
    settings = load_settings(ROOT)
    registry = check_registry(settings).registry
    (page,) = list(pages(registry, settings))
    assert page.uri == "de-xuat.md"
    assert page.markdown.startswith("# Đề xuất sáng kiến\n")
    raw = re.search(
        r'<script type="application/json" id="sk-webform-data">(.*?)</script>', page.markdown
    ).group(1)
    assert "</" not in raw
    data = json.loads(raw)
    schema = data["schema"]
    assert list(schema["properties"]) == [k for k in FORM_PROPERTIES]
    assert schema["properties"]["title"]["title"] == "Tên sáng kiến"
    assert schema["properties"]["agency"]["enum"] == list(data["agencyNames"]) or set(
        schema["properties"]["agency"]["enum"]
    ) == set(registry.agencies)
    assert set(schema["properties"]["fields"]["items"]["enum"]) == set(registry.fields)
    labels = schema["properties"]["solution_types"]["items"]["options"]["enum_titles"]
    assert "Giải pháp tác nghiệp" in labels
    for year in (2019, 2020, 2025):
        assert data["nextIds"][str(year)] == next_free_id(settings, year)
    assert data["schemaLine"] == SCHEMA_LINE
    # Self-hosted scripts, relative to de-xuat/.
    assert '<script src="../assets/vendor/json-editor/jsoneditor.js">' in page.markdown
    assert '<script src="../assets/vendor/js-yaml/js-yaml.min.js">' in page.markdown


def test_vendored_browser_files_are_listed_and_present() -> None:
    vendor = json.loads((ROOT / "generator" / "site" / "vendor.json").read_text(encoding="utf-8"))
    assert vendor["@json-editor/json-editor/dist/jsoneditor.js"] == "json-editor/jsoneditor.js"
    assert vendor["js-yaml/dist/js-yaml.min.js"] == "js-yaml/js-yaml.min.js"
    for src in vendor:
        assert (ROOT / "node_modules" / src).is_file(), src


def test_form_data_follows_settings(tmp_path: Path) -> None:
    settings = load_settings(ROOT).with_(
        repo_url="https://github.com/tinh-khac/sangkien/", repo_branch="chinh", id_prefix="QNG"
    )
    data = form_data(check_registry(settings).registry, settings)
    assert data["repoUrl"] == "https://github.com/tinh-khac/sangkien"
    assert data["branch"] == "chinh"
    assert "dong-gop.md" in page_markdown(check_registry(settings).registry, settings)


# ---- in the browser ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serve_directory(built_site) as url:
        yield url.rstrip("/")


@pytest.fixture
def in_browser() -> Callable[[Callable[[Any], Any]], Any]:
    """Run `fn(browser)` with headless Chromium in a thread of its own; return its result.

    Playwright's sync API refuses to start in a thread where another Playwright instance (for
    example the session-wide one of tests/browser/) already runs its event loop, and pytest
    may run both in the same worker. A dedicated thread has no loop, so the two never meet.
    """
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")

    def run(fn: Callable[[Any], Any]) -> Any:
        outcome: dict[str, Any] = {}

        def work() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                    try:
                        outcome["value"] = fn(browser)
                    finally:
                        browser.close()
            except BaseException as exc:  # re-raised in the test's own thread
                outcome["error"] = exc

        thread = threading.Thread(target=work, name="playwright")
        thread.start()
        thread.join(timeout=600)
        if thread.is_alive():
            pytest.fail("the browser did not finish within 10 minutes")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return run


def _open(browser, site_url: str, width: int, height: int = 900, *, bypass_csp: bool = False):
    # The page's Content-Security-Policy forbids inline scripts, which is how axe-core is
    # added to the page: the audit alone sets it aside (the other tests run under it).
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="vi-VN",
        accept_downloads=True,
        bypass_csp=bypass_csp,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.route(
        re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort()
    )  # never leave the machine
    page.goto(f"{site_url}/de-xuat/")
    page.wait_for_selector(".sk-webform--ready", timeout=20000)
    return context, page, errors


def _fill(page, year: str) -> None:
    page.select_option("#sk-year", year)
    page.fill('[name="root[title]"]', "Tổ tư vấn pháp luật lưu động tại các thôn vùng cao")
    page.fill(
        '[name="root[summary]"]',
        "Mỗi tháng một lần, tổ tư vấn đến nhà văn hoá thôn giải đáp pháp luật và hướng dẫn thủ tục.",
    )
    page.get_by_label("Giải pháp tác nghiệp").check()
    page.get_by_label("Tư pháp - hộ tịch").check()
    page.select_option('[name="root[agency]"]', "ubnd-xa-binh-son")
    page.fill('[name="root[authors][0][name]"]', "Trần Thị Mai")
    page.fill('[name="root[authors][0][position]"]', "Công chức Tư pháp - Hộ tịch")
    page.fill('[name="root[first_applied]"]', "2025-03-01")
    page.select_option('[name="root[first_applied_kind]"]', "ap-dung-thu")
    page.fill(
        '[name="root[problem]"]', "Người dân ở các thôn xa phải đi gần 20 km để hỏi về thủ tục."
    )
    page.fill(
        '[name="root[solution]"]', "1. Lập lịch theo tháng.\n2. Tổ tư vấn đến nhà văn hoá thôn."
    )
    page.get_by_role("button", name="Thêm Chỉ số").click()
    page.fill('[name="root[metrics][0][indicator]"]', "Quãng đường đi hỏi thủ tục")
    page.fill('[name="root[metrics][0][unit]"]', "km")
    page.fill('[name="root[metrics][0][baseline]"]', "20")
    page.fill('[name="root[metrics][0][result]"]', "0")


def _shot_path(name: str) -> Path:
    """Where to save the screenshot `name`: the docs' picture, or a scratch file."""
    target = SHOTS / name
    if os.environ.get("SANGKIEN_UPDATE_SCREENSHOTS") == "1" or not target.exists():
        return target
    scratch = Path(tempfile.gettempdir()) / "sangkien-screenshots"
    scratch.mkdir(exist_ok=True)
    return scratch / name


def _shot(page, selector: str, path: Path) -> None:
    """A screenshot of one element, without the site's sticky header over it."""
    page.add_style_tag(content=".md-header, .md-tabs { visibility: hidden !important; }")
    page.wait_for_timeout(400)  # let button transitions finish
    page.locator(selector).screenshot(path=str(path), animations="disabled")


def _shot_top(page, selector: str, path: Path, height: int) -> None:
    """A screenshot of the top of an element (the whole form would be a very long picture)."""
    page.add_style_tag(content=".md-header, .md-tabs { visibility: hidden !important; }")
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={
            "x": box["x"],
            "y": box["y"] + page.evaluate("window.scrollY"),
            "width": box["width"],
            "height": min(box["height"], height),
        },
    )


@pytest.mark.browser
def test_empty_form_lists_what_is_missing_in_vietnamese(in_browser, site_url: str) -> None:
    def body(browser: Any) -> Any:
        context, page, errors = _open(browser, site_url, 1280)
        try:
            page.click("#sk-check")
            box = page.locator("#sk-errors")
            box.wait_for(state="visible")
            text = box.inner_text()
            for label in (
                "Tên sáng kiến",
                "Tóm tắt",
                "Loại giải pháp",
                "Lĩnh vực",
                "Cơ quan chủ quản",
                "Thực trạng và hạn chế",
                "Nội dung giải pháp",
            ):
                assert f"{label}: Chưa điền" in text
            assert page.locator("#sk-result").is_hidden()
            # The error links lead to the field.
            page.get_by_role("link", name="Tên sáng kiến").click()
            assert page.evaluate("document.activeElement.name") == "root[title]"
            page.fill('[name="root[title]"]', "Ngắn")
            page.click("#sk-check")
            assert "Tên sáng kiến: Cần ít nhất 5 ký tự" in page.locator("#sk-errors").inner_text()
            assert errors == []
        finally:
            context.close()

    in_browser(body)


@pytest.mark.browser
def test_filled_form_gives_a_yaml_record_that_validates(
    in_browser, site_url: str, project: Path, run_cli
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def body(browser: Any) -> tuple[str, str, str, str]:
        context, page, errors = _open(browser, site_url, 1280, 1000)
        try:
            _shot_top(page, "#sk-webform", _shot_path("bieu-mau.png"), 1100)
            _fill(page, "2025")
            page.click("#sk-check")
            page.locator("#sk-result").wait_for(state="visible")
            assert page.locator("#sk-errors").is_hidden()
            record_id = page.locator("#sk-id").inner_text()
            assert record_id == next_free_id(load_settings(ROOT), 2025)
            path = page.locator("#sk-path").inner_text()
            assert path == f"registry/initiatives/2025/{record_id}.yml"
            text = page.input_value("#sk-yaml")
            _shot(page, "#sk-result", _shot_path("ket-qua.png"))
            with page.expect_download() as download:
                page.click("#sk-download")
            assert download.value.suggested_filename == f"{record_id}.yml"
            assert Path(download.value.path()).read_text(encoding="utf-8") == text
            href = page.get_attribute("#sk-github", "href")
            assert errors == []
        finally:
            context.close()
        return record_id, path, text, href

    record_id, path, text, href = in_browser(body)

    lines = text.splitlines()
    assert lines[0] == SCHEMA_LINE
    assert lines[1] == f"id: {record_id}"
    assert "first_applied: 2025-03-01" in lines  # a plain date, not a quoted string
    assert "agency_name_at_time: UBND xã Bình Sơn" in lines  # filled in from the agency
    assert "    baseline: 20" in lines and "    result: 0" in lines
    keys = [ln.split(":")[0] for ln in lines if re.match(r"^[a-z_]+:", ln)]
    schema_order = list(
        json.loads((ROOT / "schema" / "initiative.schema.json").read_text(encoding="utf-8"))[
            "properties"
        ]
    )
    assert keys == sorted(keys, key=schema_order.index)
    # GitHub's "create new file" page gets the path and the content.
    url = urllib.parse.urlsplit(href)
    assert (
        f"{url.scheme}://{url.netloc}{url.path}"
        == "https://github.com/sangkien-qng/sangkien/new/main"
    )
    query = urllib.parse.parse_qs(url.query)
    assert query["filename"] == [path]
    assert query["value"] == [text]

    # The downloaded file, saved where the page says, passes `sangkien validate` as it is.
    target = project / path
    if target.exists():  # the scratch registry may have gained records since the site was built
        target = target.with_name(f"{next_free_id(load_settings(project), 2025)}.yml")
        text = text.replace(f"id: {record_id}", f"id: {target.stem}")
    target.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("validate", "--strict", str(target.relative_to(project)), cwd=project)
    assert code == 0, out
    # ... and is already in the canonical form the pull-request check (`fmt --check`) wants.
    code, out, _ = run_cli("fmt", "--check", str(target.relative_to(project)), cwd=project)
    assert code == 0, out


@pytest.mark.browser
def test_form_fits_a_360px_phone(in_browser, site_url: str) -> None:
    def body(browser: Any) -> Any:
        context, page, errors = _open(browser, site_url, 360, 780)
        try:
            _fill(page, "2024")
            page.click("#sk-check")
            page.locator("#sk-result").wait_for(state="visible")
            assert page.locator("#sk-id").inner_text().startswith("QNG-2024-")
            # Nothing wider than the screen: no sideways scrolling on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            for selector in (
                '[name="root[title]"]',
                '[name="root[agency]"]',
                "#sk-check",
                "#sk-github",
                "#sk-yaml",
            ):
                box = page.locator(selector).bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (
                    selector
                )
            assert (
                page.locator("#sk-download").bounding_box()["height"] >= 40
            )  # thumb-sized buttons
            _shot(page, "#sk-result", _shot_path("dien-thoai.png"))
            assert errors == []
        finally:
            context.close()

    in_browser(body)


@pytest.mark.browser
def test_form_passes_axe_in_each_state(in_browser, site_url: str) -> None:
    def check(page: Any, state: str) -> None:
        violations = run_axe(page)
        assert not violations, f"{state}:\n{describe(violations)}"

    def body(browser: Any) -> Any:
        context, page, _ = _open(browser, site_url, 1280, bypass_csp=True)
        try:
            check(page, "blank form")
            page.click("#sk-check")  # the error list, the inline messages, a focused button
            page.locator("#sk-errors").wait_for(state="visible")
            check(page, "with errors")
            _fill(page, "2025")
            page.click("#sk-check")
            page.locator("#sk-result").wait_for(state="visible")
            check(page, "with the result")
        finally:
            context.close()

    in_browser(body)
