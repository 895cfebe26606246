"""The full search page `tim-kiem/`: the HTML skeleton that generator/site/assets/search.js fills.

Search runs in the browser on the Pagefind index (see generator/site/search.py). The header's
search box submits here (`tim-kiem/?q=...`), so the page also serves visitors whose header
box is collapsed on a phone. Without JavaScript the page points to the catalogue's browse
links, which work without it.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.config import Settings
from generator.model import Registry
from generator.render.pages import Page

PAGE_URI = "tim-kiem.md"
PAGE_TITLE = "Tìm kiếm"

# Pagefind filters written by generator/site/search.py, in the order the page shows them.
FILTERS: tuple[tuple[str, str], ...] = (
    ("loai-trang", "Loại trang"),
    ("cap", "Cấp công nhận"),
    ("linh-vuc", "Lĩnh vực"),
    ("nam", "Năm"),
    ("co-quan", "Cơ quan"),
)


def page_markdown() -> str:
    """Markdown of `tim-kiem.md`."""
    selects = "".join(
        f'<div class="sk-find__filter"><label for="sk-find-{key}">{label}</label>'
        f'<select id="sk-find-{key}" name="{key}" data-sk-filter="{key}">'
        '<option value="">Tất cả</option></select></div>'
        for key, label in FILTERS
    )
    skeleton = (
        '<div class="sk-find" data-sk-find data-root="../">'
        '<form class="sk-find__form" action="./" method="get" role="search" '
        'aria-label="Tìm kiếm trong sổ sáng kiến">'
        '<label for="sk-find-q">Từ khóa</label>'
        '<div class="sk-find__row">'
        '<input type="search" id="sk-find-q" name="q" autocomplete="off" spellcheck="false" '
        'placeholder="Ví dụ: dich vu cong, ma QR, TTHC">'
        '<button type="submit" class="md-button md-button--primary">Tìm</button>'
        "</div>"
        f'<div class="sk-find__filters" data-sk-filters hidden>{selects}</div>'
        "</form>"
        '<p class="sk-find__status" role="status" aria-live="polite" aria-atomic="true" '
        "data-sk-status></p>"
        '<ol class="sk-find__results" data-sk-results aria-label="Kết quả tìm kiếm"></ol>'
        '<button type="button" class="md-button sk-find__more" data-sk-more hidden>'
        "Xem thêm kết quả</button>"
        '<noscript><p class="sk-find__noscript">Tìm kiếm cần JavaScript. Bạn vẫn có thể '
        '<a href="../tra-cuu/">duyệt sáng kiến theo nhóm</a>.</p></noscript>'
        "</div>"
    )
    return (
        "---\n"
        f"title: {PAGE_TITLE}\n"
        # The page is its own navigation; the table of contents would only take width.
        "hide:\n  - toc\n"
        "description: Tìm sáng kiến và tài liệu hướng dẫn, gõ tiếng Việt có dấu hoặc không "
        "dấu, kể cả chữ viết tắt như TTHC, CCHC, CĐS.\n"
        "---\n\n"
        f"# {PAGE_TITLE}\n\n"
        "Gõ tiếng Việt có dấu hoặc không dấu (*cai cach hanh chinh* cũng tìm được "
        "*cải cách hành chính*); chữ viết tắt thông dụng như TTHC, CCHC, UBND, CĐS được hiểu "
        "theo nghĩa đầy đủ. Kết quả khớp đúng dấu được xếp trước.\n\n"
        f"{skeleton}\n"
    )


def pages(registry: Registry, settings: Settings) -> Iterable[Page]:
    """Page provider: the search page `tim-kiem/`."""
    return [Page(uri=PAGE_URI, markdown=page_markdown(), title=PAGE_TITLE)]
