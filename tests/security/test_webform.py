"""The web form treats registry text and typed text as text (issue 11, item 2).

The site is built from a registry copy whose agency name and taxonomy label hold markup (both
pass the schema: names are free text). One Chromium page at phone size then selects that
agency, types markup into text fields and goes through every path that handles the text
(json-editor's value "cleaning", the agency-name copy, error messages, the YAML preview, copy
and download). Nothing may run, and the YAML must hold exactly what was typed.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
import urllib.parse
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from browserkit import CHROMIUM, CHROMIUM_ARGS, serve_directory

from generator.contrib.site import csp_policy, with_csp

ROOT = Path(__file__).resolve().parents[2]
WEBFORM_JS = ROOT / "generator" / "site" / "assets" / "webform" / "webform.js"

AGENCY = "ubnd-xa-binh-son"
AGENCY_NAME = '<img src=x onerror="window.__pwned=1">Sở X'
FIELD = "tu-phap-ho-tich"
FIELD_NAME = "<svg onload=window.__pwned=3><img src=y onerror=window.__pwned=4>Tư pháp"
# What the visitor types. NFC text; `&lt;` is not an entity to decode, `<b>` not a tag to drop.
IMG = "<img src=x onerror=window.__pwned=2>"
BOLD = "<b>đậm</b>"
ENTITY = "&lt;tag&gt;"
TITLE = f"Sáng kiến {IMG} mới"


class _Head(HTMLParser):
    """The <meta> and <script> start tags in document order, each with whether it is in <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.tags: list[tuple[str, dict[str, str | None], bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        elif tag in ("meta", "script"):
            self.tags.append((tag, dict(attrs), self.in_head))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def _tags(page: str) -> list[tuple[str, dict[str, str | None], bool]]:
    parser = _Head()
    parser.feed(page)
    return parser.tags


def _csp(page: str) -> tuple[int, str]:
    """Where the page's CSP <meta> is among its meta/script tags, and its policy."""
    found = [
        (i, attrs["content"] or "")
        for i, (tag, attrs, in_head) in enumerate(_tags(page))
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy" and in_head
    ]
    assert len(found) == 1, found
    return found[0]


# ---- without a browser -----------------------------------------------------------------------
def test_webform_script_has_no_html_sinks() -> None:
    """Our own script builds the page with textContent and elements, never from HTML strings."""
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", WEBFORM_JS.read_text(encoding="utf-8"), flags=re.S)
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "createContextualFragment",
        "DOMParser",
        "eval(",
        "new Function",
        ".html(",
    ):
        assert sink not in code, sink


def test_csp_hashes_inline_scripts_and_skips_data_blocks() -> None:
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><script>var a=1</script></head>'
        '<body><script type="application/json" id="d">{"x":"<\\/"}</script>'
        '<script src="x.js"></script><script type="text/javascript">b()</script></body></html>'
    )
    policy = csp_policy(page)
    # sha256 of "var a=1" and "b()" (computed beforehand with hashlib; base64).
    assert "'sha256-WazVQOu5lmXfSreSrMJd1CsaQ4c00fUQpJfBYCuMSIw='" in policy
    assert "'sha256-cf242PFc/kb7xD0Qzhsmd9vvRkc+cWFmbi+k+YvtdKc='" in policy
    assert policy.count("'sha256-") == 2
    assert "'unsafe-inline'" not in policy.split("; ")[1]  # script-src
    out = with_csp(page)
    index, content = _csp(out)
    assert index == 1  # right after <meta charset>, before the first script
    assert _tags(out)[0][1].get("charset") == "utf-8"
    assert content == policy
    assert with_csp(out) == out  # idempotent


# ---- the hostile registry, built ---------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, make_registry, build_site) -> Path:
    tmp = tmp_path_factory.mktemp("webform-xss")
    project = make_registry(tmp)
    agency = project / "registry" / "agencies" / f"{AGENCY}.yml"
    text = agency.read_text(encoding="utf-8")
    # A JSON string is a YAML double-quoted scalar.
    text = re.sub(r"(?m)^name: .*$", lambda _: "name: " + json.dumps(AGENCY_NAME), text)
    agency.write_text(text, encoding="utf-8")
    fields = project / "registry" / "taxonomy" / "fields.yml"
    text = fields.read_text(encoding="utf-8")
    text = text.replace("name: Tư pháp - hộ tịch\n", f"name: {json.dumps(FIELD_NAME)}\n")
    fields.write_text(text, encoding="utf-8")
    loaded = yaml.safe_load(agency.read_text(encoding="utf-8"))
    assert loaded["name"] == AGENCY_NAME
    assert any(f["name"] == FIELD_NAME for f in yaml.safe_load(fields.read_text(encoding="utf-8")))
    site = tmp / "site"
    proc = build_site(project, site, documents=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


def test_form_page_has_a_csp_before_any_script(hostile_site: Path) -> None:
    page = (hostile_site / "de-xuat" / "index.html").read_text(encoding="utf-8")
    index, content = _csp(page)
    assert all(tag != "script" for tag, _, _ in _tags(page)[:index])
    policy = {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in content.split("; ") if " " in d}
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"].replace("'wasm-unsafe-eval'", "")
    assert policy["object-src"] == "'none'"
    # The hostile names reach the page only inside the JSON data block, escaped.
    assert "<img src=x" not in page and "<svg onload" not in page


# ---- in the browser ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve_directory(hostile_site) as url:
        yield url.rstrip("/")


def _in_browser(fn: Any) -> Any:
    """Run `fn(browser)` in a thread of its own (see tests/contrib/test_contrib_webform.py)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")
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


# Recorded from the first script on: every CSP violation (an inline handler the policy
# stopped would show here) and every element that ever carried an on* attribute.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + (e.sample || e.blockedURI)));
window.__handlers = [];
new MutationObserver((records) => {
  for (const r of records) {
    const nodes = r.type === "attributes" ? [r.target] : [...r.addedNodes];
    for (const n of nodes) {
      if (n.nodeType !== 1) continue;
      for (const el of [n, ...n.querySelectorAll("*")]) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) window.__handlers.push(el.tagName + " " + a.name);
        }
      }
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


@pytest.mark.browser
def test_hostile_names_and_typed_markup_stay_text(hostile_url: str, tmp_path: Path) -> None:
    def body(browser: Any) -> dict[str, Any]:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=hostile_url)
        page = context.new_page()
        dialogs: list[str] = []
        errors: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(WATCH)
        page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
        try:
            page.goto(f"{hostile_url}/de-xuat/")
            page.wait_for_selector(".sk-webform--ready", timeout=20000)
            seen: dict[str, Any] = {}
            # Registry text shows as written, as text.
            agency = page.locator('[name="root[agency]"]')
            seen["agency_option"] = agency.locator(f'option[value="{AGENCY}"]').text_content()
            seen["field_label"] = page.get_by_label(FIELD_NAME, exact=True).count()
            page.select_option("#sk-year", "2025")

            # Errors first: json-editor validates, cleans and redraws with markup in the title.
            page.fill('[name="root[title]"]', IMG)
            page.click("#sk-check")
            page.locator("#sk-errors").wait_for(state="visible")
            seen["errors"] = page.locator("#sk-errors").inner_text()

            page.fill('[name="root[title]"]', TITLE)
            page.fill('[name="root[summary]"]', f"Tóm tắt {BOLD} và {ENTITY}.")
            page.get_by_label("Giải pháp tác nghiệp").check()
            page.get_by_label(FIELD_NAME, exact=True).check()
            agency.select_option(AGENCY)  # copies the agency's name into the next field
            page.fill('[name="root[authors][0][name]"]', BOLD)
            page.fill('[name="root[authors][0][position]"]', ENTITY)
            page.fill('[name="root[first_applied]"]', "2025-03-01")
            page.select_option('[name="root[first_applied_kind]"]', "ap-dung-thu")
            page.fill('[name="root[problem]"]', f"{IMG}\n{BOLD}\n{ENTITY}")
            page.fill('[name="root[solution]"]', ENTITY)
            seen["name_at_time"] = page.input_value('[name="root[agency_name_at_time]"]')
            # Fields json-editor filled itself (setValue -> its cleaner) keep their text too.
            page.locator('[name="root[title]"]').blur()
            seen["title_field"] = page.input_value('[name="root[title]"]')

            page.click("#sk-check")
            page.locator("#sk-result").wait_for(state="visible")
            seen["yaml"] = page.input_value("#sk-yaml")
            with page.expect_download() as download:
                page.click("#sk-download")
            seen["download"] = Path(download.value.path()).read_bytes()
            page.click("#sk-copy")
            # A locator, not wait_for_function: polling a string predicate needs eval, which
            # the page's policy forbids when the copy is not done at the first check.
            page.locator("#sk-status", has_text="Đã sao chép").wait_for()
            seen["clipboard"] = page.evaluate("navigator.clipboard.readText()")
            seen["github"] = page.get_attribute("#sk-github", "href")
            # The policy leaves the theme working: the header's search (Pagefind, WebAssembly).
            # (A phone gets a button to the search page instead: widen the same page.)
            page.set_viewport_size({"width": 1280, "height": 900})
            page.fill("#sk-search-q", "pháp luật")
            page.locator("[data-sk-list] a").first.wait_for(timeout=20000)
            page.wait_for_timeout(300)  # give any error event of a stray <img> time to fire
            seen["pwned"] = page.evaluate("typeof window.__pwned")
            seen["violations"] = page.evaluate("window.__violations")
            seen["handlers"] = page.evaluate("window.__handlers")
            seen["markup_in_form"] = page.evaluate(
                "document.querySelectorAll('#sk-webform img, #sk-webform svg').length"
            )
            seen["dialogs"] = dialogs
            seen["errors_js"] = errors
            return seen
        finally:
            context.close()

    seen = _in_browser(body)

    assert seen["pwned"] == "undefined"
    assert seen["dialogs"] == []
    assert seen["handlers"] == []
    assert seen["markup_in_form"] == 0
    assert seen["violations"] == []  # nothing tried to run, and the theme's scripts are allowed
    assert seen["errors_js"] == []

    assert seen["agency_option"] == AGENCY_NAME
    assert seen["field_label"] == 1
    assert seen["name_at_time"] == AGENCY_NAME
    assert seen["title_field"] == TITLE
    assert "Tóm tắt: Chưa điền" in seen["errors"]  # the markup title itself was accepted
    assert "Tên sáng kiến" not in seen["errors"]

    text = seen["yaml"]
    assert seen["download"] == text.encode("utf-8")
    assert seen["clipboard"] == text
    for typed in (IMG, BOLD, ENTITY, TITLE):
        assert typed in text, typed
    assert unicodedata.is_normalized("NFC", text)
    # GitHub's "create new file" page gets the same bytes.
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(seen["github"]).query)["value"] == [text]
    record = yaml.safe_load(text)
    assert record["title"] == TITLE
    assert record["summary"] == f"Tóm tắt {BOLD} và {ENTITY}."
    assert record["authors"] == [{"name": BOLD, "position": ENTITY}]
    assert record["problem"] == f"{IMG}\n{BOLD}\n{ENTITY}"
    assert record["solution"] == ENTITY
    assert record["agency"] == AGENCY
    assert record["agency_name_at_time"] == AGENCY_NAME
    assert record["fields"] == [FIELD]
