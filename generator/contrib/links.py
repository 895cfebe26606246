"""External link check: every http(s) address in the records, fetched with a short timeout.

Addresses come from attachments (`url`), `provenance.source` and links written in the
Markdown texts. Each distinct address is fetched once (HEAD, then GET when a server refuses
HEAD), in a few threads; a report lists the broken ones with the files that cite them.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from generator.model import Registry

_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
_TRAILING = ".,;:!?»”"
# No project URL here: the engine serves every province (their repo_url is configuration).
USER_AGENT = "sangkien-link-check/1"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: str  # HTTP status code, or the error in words
    sources: tuple[str, ...]


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def collect_links(registry: Registry) -> dict[str, list[str]]:
    """URL -> the record files citing it, in first-seen order."""
    found: dict[str, list[str]] = {}
    for init in registry.initiatives.values():
        for text in _strings(init.raw):
            for m in _URL.finditer(text):
                url = m.group(0).rstrip(_TRAILING)
                files = found.setdefault(url, [])
                if init.source not in files:
                    files.append(init.source)
    return found


def _fetch(url: str, timeout: float) -> tuple[bool, str]:
    last = ""
    for method in ("HEAD", "GET"):
        req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return True, str(resp.status)
        except urllib.error.HTTPError as exc:
            last = str(exc.code)
            # Some servers answer HEAD with 403/405/501 but serve GET fine.
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return False, last
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return False, f"{type(reason).__name__}: {reason}"
    return False, last


def check_links(
    links: dict[str, list[str]], timeout: float = 10.0, workers: int = 8
) -> list[LinkResult]:
    """Fetch each address once; results in the order of `links`."""
    urls = list(links)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls) or 1))) as pool:
        outcomes = list(pool.map(lambda u: _fetch(u, timeout), urls))
    return [
        LinkResult(u, ok, status, tuple(links[u]))
        for u, (ok, status) in zip(urls, outcomes, strict=True)
    ]


def links_report(results: list[LinkResult]) -> str:
    """Markdown for the weekly issue: the broken addresses and where they are cited."""
    broken = [r for r in results if not r.ok]
    lines = [
        "## Liên kết hỏng trong sổ đăng ký",
        "",
        f"Đã kiểm tra {len(results)} địa chỉ; **{len(broken)}** không truy cập được.",
        "",
        "| Địa chỉ | Kết quả | Tệp |",
        "|---|---|---|",
    ]
    for r in broken:
        files = ", ".join(f"`{s}`" for s in r.sources)
        lines.append(f"| <{r.url}> | {r.status} | {files} |")
    lines += [
        "",
        "Sửa địa chỉ trong các tệp trên (hoặc thay bằng bản lưu trữ), rồi chạy lại "
        "`sangkien validate --check-links`. Vấn đề này được cập nhật tự động mỗi tuần.",
        "",
    ]
    return "\n".join(lines)
