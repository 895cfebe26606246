"""The "Đề xuất sáng kiến" page (`de-xuat/`): a web form generated from the JSON Schema.

The page is static. At build time we derive a *form schema* from schema/initiative.schema.json
(the same file validation uses): the properties a proposer can know, Vietnamese labels from
`title`, help from `description`, placeholders from `examples`, choice labels from
`x-enum-labels`, and the registry's agencies and fields as choices. It is inlined into the page
together with the next free id of each year. In the browser, @json-editor/json-editor (a
maintained npm library, self-hosted through generator/site/vendor.json) renders and checks the
form against that schema; js-yaml turns the answer into the YAML record, which the visitor
downloads, copies or opens in GitHub's "create new file" page.

Registry text (agency names, field labels, schema titles) and what the visitor types are text,
never HTML: webform.js switches json-editor's HTML "cleaner" off (see textOnly() there), and
the built page carries a Content-Security-Policy (`with_csp`) under which markup that still
reached the page could not run script: only the site's own files and the theme's inline
scripts, by hash, may run.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import re
from collections.abc import Iterable
from typing import Any

from generator.config import Settings
from generator.contrib.record import (
    SCHEMA_LINE,
    agency_choices,
    field_choices,
    first_example,
    initiative_schema,
    used_numbers_by_year,
)
from generator.model import Registry
from generator.render.pages import Page
from generator.validate.missing import SHOULD_HAVE

PAGE_URI = "de-xuat.md"

# What a proposer fills in on the web. The rest (replication guide, adoptions, attachments ...)
# is added later by editing the YAML, where the editor's schema support guides the maintainer.
FORM_PROPERTIES = (
    "title",
    "title_en",
    "summary",
    "solution_types",
    "fields",
    "tags",
    "agency",
    "agency_name_at_time",
    "authors",
    "first_applied",
    "first_applied_kind",
    "legal_basis",
    "legal_basis_note",
    "problem",
    "solution",
    "novelty",
    "conditions",
    "benefits",
    "metrics",
    "recognitions",
)
# Free text written in Markdown (or long plain text): a multi-line box.
TEXTAREAS = {"summary", "problem", "solution", "novelty", "conditions", "benefits", "note"}
# How many past years the year chooser offers.
YEARS_BACK = 15


def _adapt(
    node: dict[str, Any],
    key: str | None,
    agencies: dict[str, str],
    fields: dict[str, str],
    required: bool,
) -> dict[str, Any]:
    """One sub-schema in json-editor's dialect (draft-4 keywords plus `options`)."""
    out = {
        k: v
        for k, v in node.items()
        if k not in ("examples", "x-enum-labels", "$schema", "$id", "allOf", "x-schema-version")
    }
    options: dict[str, Any] = {}
    labels = node.get("x-enum-labels")
    if labels and "enum" in node:
        options["enum_titles"] = [labels.get(v, v) for v in node["enum"]]
    if key in ("agency", "issuer"):
        out["enum"] = list(agencies)
        options["enum_titles"] = list(agencies.values())
    if "enum" in out and node.get("type") == "string" and not required:
        options["has_placeholder_option"] = True
        options["placeholder_option_text"] = "— chọn —"
    if "enum" in out and key in ("agency", "issuer"):
        options["has_placeholder_option"] = True
        options["placeholder_option_text"] = "— chọn cơ quan —"
    example = first_example(node)
    if (
        node.get("type") == "string"
        and isinstance(example, str)
        and "enum" not in out
        and node.get("format") != "date"
    ):
        options["inputAttributes"] = {"placeholder": example.replace("\n", " ")}
    if key in TEXTAREAS:
        out["format"] = "textarea"
    if node.get("type") == "array":
        items = node.get("items", {})
        if key == "fields":
            items = {**items, "enum": list(fields)}
            items.pop("pattern", None)
            out["items"] = _adapt(items, None, agencies, fields, True)
            out["items"]["options"] = {"enum_titles": list(fields.values())}
            out["format"] = "checkbox"
            out["uniqueItems"] = True
        elif "enum" in items:
            out["items"] = _adapt(items, None, agencies, fields, True)
            out["format"] = "checkbox"
        else:
            out["items"] = _adapt(items, None, agencies, fields, True)
            options["disable_array_reorder"] = True
            options["disable_array_delete_all_rows"] = True
            options["disable_array_delete_last_row"] = True
    if node.get("type") == "object" and "properties" in node:
        req = set(node.get("required", []))
        out["properties"] = {
            k: _adapt(v, k, agencies, fields, k in req) for k, v in node["properties"].items()
        }
        options["disable_collapse"] = True
    if options:
        out["options"] = {**out.get("options", {}), **options}
    return out


def form_schema(schema: dict[str, Any], registry: Registry) -> dict[str, Any]:
    """The schema the web form renders: a subset of the initiative schema, with choices filled."""
    agencies = agency_choices(registry)
    fields = field_choices(registry)
    base = copy.deepcopy(schema)
    props = {k: base["properties"][k] for k in FORM_PROPERTIES if k in base["properties"]}
    # The form is filled by the initiative's own authors, who know what real sources often
    # lack (SK321): it still asks for those fields, although the schema accepts a record
    # without them.
    asked = [*base.get("required", []), *SHOULD_HAVE]
    required = [k for k in dict.fromkeys(asked) if k in props]
    root = {
        "type": "object",
        "title": base.get("title", "Sáng kiến"),
        "additionalProperties": False,
        "required": required,
        "properties": {k: _adapt(v, k, agencies, fields, k in required) for k, v in props.items()},
        "options": {"disable_collapse": True},
    }
    root["properties"]["legal_basis"]["default"] = "nd-13-2012"
    return root


def form_data(registry: Registry, settings: Settings) -> dict[str, Any]:
    """Everything the page script needs, computed at build time."""
    schema = initiative_schema(settings)
    today = settings.today_date()
    years = list(range(today.year, today.year - YEARS_BACK - 1, -1))
    taken = used_numbers_by_year(settings)
    next_ids = {
        str(y): f"{settings.id_prefix}-{y:04d}-{max(taken.get(y, ()), default=0) + 1:04d}"
        for y in years
    }
    return {
        "schema": form_schema(schema, registry),
        # Key order of the full schema, to write the YAML in the order `sangkien fmt` uses.
        "order": _key_order(schema),
        "schemaLine": SCHEMA_LINE,
        "prefix": settings.id_prefix,
        "years": years,
        "nextIds": next_ids,
        "repoUrl": settings.repo_url.rstrip("/"),
        "branch": settings.repo_branch,
        "registryDir": settings.registry_dir.strip("/"),
        "agencyNames": {aid: a.name for aid, a in registry.agencies.items()},
    }


def _key_order(schema: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """Property order per object path ("" root, "authors[]" its items, ...)."""
    out: dict[str, list[str]] = {}
    if "properties" in schema:
        out[prefix] = list(schema["properties"])
        for k, v in schema["properties"].items():
            out.update(_key_order(v, f"{prefix}.{k}" if prefix else k))
    if isinstance(schema.get("items"), dict):
        out.update(_key_order(schema["items"], f"{prefix}[]"))
    return out


def _json_for_html(data: Any) -> str:
    # Inside <script>, "</" would end the element; \u003c keeps the JSON identical.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def page_markdown(registry: Registry, settings: Settings) -> str:
    """The Markdown (mostly raw HTML) of the page."""
    data = form_data(registry, settings)
    repo = data["repoUrl"]
    issue_url = f"{repo}/issues/new?template=de-xuat-sang-kien.yml"
    return f"""# Đề xuất sáng kiến

Biểu mẫu này giúp anh/chị đưa một sáng kiến vào sổ đăng ký mà không cần biết lập trình.
Các mục, lời giải thích và danh sách lựa chọn lấy trực tiếp từ lược đồ dữ liệu của sổ đăng ký,
nên nội dung được kiểm tra ngay trên trình duyệt bằng đúng các quy tắc mà hệ thống dùng.

1. Chọn năm và điền các mục có dấu (*) — các mục khác có thể bổ sung sau.
2. Bấm **Kiểm tra và tạo tệp**. Nếu còn thiếu sót, danh sách lỗi hiện ra để sửa.
3. Tải tệp về, sao chép, hoặc bấm **Mở trên GitHub** để tạo đề xuất (pull request) ngay.

!!! warning "Thông tin công khai"
    Sổ đăng ký là công khai. Chỉ ghi họ tên và chức vụ của tác giả như trên quyết định;
    không ghi ngày sinh, số điện thoại hay thư điện tử cá nhân.

Không dùng được biểu mẫu? Hãy [gửi đề xuất qua GitHub Issues]({issue_url}) hoặc xem
[hướng dẫn đóng góp](dong-gop.md).

<link rel="stylesheet" href="../assets/sangkien/webform/webform.css">
<div id="sk-webform" class="sk-webform" lang="vi">
<noscript><p>Biểu mẫu cần JavaScript. Hãy dùng <a href="{issue_url}">biểu mẫu trên GitHub</a>.</p></noscript>
<div class="sk-webform__year"><label for="sk-year">Năm công nhận (hoặc năm nộp hồ sơ)</label> <select id="sk-year"></select> <span class="sk-webform__id">Mã dự kiến: <code id="sk-id"></code></span></div>
<div id="sk-editor"></div>
<div class="sk-webform__actions"><button type="button" id="sk-check" class="md-button md-button--primary">Kiểm tra và tạo tệp</button></div>
<div id="sk-errors" class="sk-webform__errors" role="alert" aria-live="polite" hidden></div>
<div id="sk-result" class="sk-webform__result" hidden>
<p id="sk-status" class="sk-webform__ok" role="status"></p>
<p class="sk-webform__path">Tệp: <code id="sk-path"></code></p>
<textarea id="sk-yaml" readonly rows="16" spellcheck="false" aria-label="Nội dung tệp YAML"></textarea>
<div class="sk-webform__actions"><button type="button" id="sk-download" class="md-button">Tải tệp về</button> <button type="button" id="sk-copy" class="md-button">Sao chép</button> <a id="sk-github" class="md-button" target="_blank" rel="noopener">Mở trên GitHub</a></div>
</div>
</div>
<script type="application/json" id="sk-webform-data">{_json_for_html(data)}</script>
<script src="../assets/vendor/json-editor/jsoneditor.js"></script>
<script src="../assets/vendor/js-yaml/js-yaml.min.js"></script>
<script src="../assets/sangkien/webform/webform.js"></script>
"""


def pages(registry: Registry, settings: Settings) -> Iterable[Page]:
    """Page provider (listed in generator.render.pages.PAGE_PROVIDERS)."""
    yield Page(
        uri=PAGE_URI,
        markdown=page_markdown(registry, settings),
        source=None,
        title="Đề xuất sáng kiến",
    )


# ---- Content-Security-Policy ------------------------------------------------------------------
# An executable inline <script> (no src, and a JavaScript type or none): Material's page setup.
# JSON data blocks (`type="application/json"`) are not run, so CSP does not apply to them.
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)


def _runs(attrs: str) -> bool:
    if re.search(r"\ssrc\s*=", attrs, re.I):
        return False
    m = re.search(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", attrs, re.I)
    kind = (m.group(1) or m.group(2) or m.group(3) or "") if m else ""
    return html.unescape(kind).strip().lower() in _JS_TYPES


def csp_policy(page_html: str) -> str:
    """The policy for the built form page: its own files, plus its inline scripts by hash.

    * script-src: no 'unsafe-inline', so an `onerror=` / `onload=` attribute or a
      `javascript:` URL never runs, whatever reaches the DOM; 'wasm-unsafe-eval' lets the
      header's Pagefind search compile its WebAssembly (not JavaScript eval).
    * style-src 'unsafe-inline': json-editor and Material set `style` attributes and add
      <style> elements at run time; CSS cannot run script.
    * connect/img/font: the site itself (and data: images, which Material's icons use).
    """
    hashes = sorted(
        {
            "'sha256-"
            + base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode()
            + "'"
            for m in _INLINE_SCRIPT.finditer(page_html)
            if _runs(m.group("attrs"))
        }
    )
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes, "'wasm-unsafe-eval'"]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_csp(page_html: str) -> str:
    """`page_html` with a Content-Security-Policy <meta> first in <head> (before any script).

    A <meta> policy applies only to what follows it, so it goes right after <meta charset>
    (which must stay within the first 1024 bytes). Unchanged if the page has no <head>.
    """
    if 'http-equiv="Content-Security-Policy"' in page_html:
        return page_html
    # The policy holds ' but never ", so only & < > " need escaping in the attribute.
    content = html.escape(csp_policy(page_html), quote=False).replace('"', "&quot;")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    anchor = _CHARSET.search(page_html) or _HEAD.search(page_html)
    if anchor is None:
        return page_html
    return page_html[: anchor.end()] + "\n    " + tag + page_html[anchor.end() :]
