"""Settings as data: each has a name, a default and help, and feeds the CLI, docs and plugin.

Values come from the `sangkien` entry of `plugins:` in mkdocs.yml (so the site and the CLI
agree), then from the environment for a few test hooks (`SANGKIEN_TODAY`).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help_vi: str
    help_en: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "registry_dir", "registry", "Thư mục dữ liệu sổ đăng ký.", "Folder of the registry data."
    ),
    Setting("schema_dir", "schema", "Thư mục JSON Schema.", "Folder of the JSON Schemas."),
    Setting("id_prefix", "QNG", "Tiền tố mã sáng kiến.", "Prefix of initiative ids."),
    Setting(
        "province",
        "Quảng Ngãi",
        "Tên tỉnh (dòng địa danh, ngày tháng trên văn bản).",
        "Province name (place-and-date line).",
    ),
    Setting(
        "site_url", "https://sangkien-qng.github.io/sangkien/", "Địa chỉ trang web.", "Site URL."
    ),
    Setting(
        "repo_url",
        "https://github.com/sangkien-qng/sangkien",
        "Địa chỉ kho mã nguồn.",
        "Repository URL.",
    ),
    Setting("repo_branch", "main", "Nhánh chính của kho.", "Main branch of the repository."),
    Setting(
        "content_license",
        "CC BY 4.0",
        "Giấy phép nội dung sổ đăng ký.",
        "Licence of the registry content.",
    ),
    Setting(
        "content_license_url",
        "https://creativecommons.org/licenses/by/4.0/deed.vi",
        "Địa chỉ giấy phép nội dung.",
        "URL of the content licence.",
    ),
    Setting(
        "summary_max",
        600,
        "Số ký tự tối đa của tóm tắt trước khi cảnh báo.",
        "Summary length that triggers a warning.",
    ),
    Setting(
        "review_years",
        2,
        "Số năm không rà soát thì cảnh báo.",
        "Years without review before a warning.",
    ),
    Setting(
        "attachment_max_bytes",
        10_000_000,
        "Dung lượng tối đa một tệp đính kèm.",
        "Largest allowed attachment.",
    ),
    Setting(
        "duplicate_threshold",
        0.85,
        "Ngưỡng giống nhau (0-1, hệ số Dice trên bộ ba ký tự của tên đã bỏ dấu) để cảnh báo trùng.",
        "Similarity (0-1, Dice coefficient of character trigrams of the folded titles) that flags a possible duplicate.",
    ),
    Setting(
        "jobs",
        0,
        "Số tiến trình kiểm tra song song (0 = số lõi CPU).",
        "Parallel validation processes (0 = CPU cores).",
    ),
    Setting(
        "documents",
        True,
        "Sinh tài liệu DOCX/PDF khi dựng trang.",
        "Generate DOCX/PDF documents when building the site.",
    ),
    Setting(
        "search_bundle_pages",
        5000,
        "Số trang tối đa trong một phần chỉ mục tìm kiếm (mỗi phần một lần chạy Pagefind, để giới hạn bộ nhớ).",
        "Most pages in one part of the search index (one Pagefind run each, which caps its memory).",
    ),
    Setting(
        "candidate_criteria",
        {},
        "Tiêu chí chọn sáng kiến đề xuất công nhận phạm vi cấp tỉnh (ghi đè từng khóa mặc định, xem generator/reports/criteria.py).",
        "Criteria for provincial-scope candidates (overrides default keys; see generator/reports/criteria.py).",
    ),
    Setting(
        "report_issuer",
        "so-khcn",
        "Mã cơ quan tổng hợp, đứng tên báo cáo toàn tỉnh.",
        "Id of the consolidating agency that issues the province-wide report.",
    ),
    Setting(
        "report_sum_units",
        ("giờ/năm", "giờ", "hồ sơ", "đồng", "đồng/năm", "triệu đồng/năm"),
        "Đơn vị tính được cộng dồn khi tổng hợp lợi ích.",
        "Indicator units whose changes are added up in the benefits summary.",
    ),
)


@dataclass(frozen=True)
class Settings:
    project_dir: str = "."
    registry_dir: str = "registry"
    schema_dir: str = "schema"
    id_prefix: str = "QNG"
    province: str = "Quảng Ngãi"
    site_url: str = "https://sangkien-qng.github.io/sangkien/"
    repo_url: str = "https://github.com/sangkien-qng/sangkien"
    repo_branch: str = "main"
    content_license: str = "CC BY 4.0"
    content_license_url: str = "https://creativecommons.org/licenses/by/4.0/deed.vi"
    summary_max: int = 600
    review_years: int = 2
    attachment_max_bytes: int = 10_000_000
    duplicate_threshold: float = 0.85
    jobs: int = 0
    documents: bool = True
    search_bundle_pages: int = 5000
    candidate_criteria: dict[str, Any] = field(default_factory=dict)
    report_issuer: str = "so-khcn"
    report_sum_units: Any = ("giờ/năm", "giờ", "hồ sơ", "đồng", "đồng/năm", "triệu đồng/năm")
    today: date | None = None

    @property
    def registry_path(self) -> Path:
        return Path(self.project_dir) / self.registry_dir

    @property
    def schema_path(self) -> Path:
        p = Path(self.project_dir) / self.schema_dir
        if p.is_dir():
            return p
        return Path(__file__).resolve().parents[1] / "schema"

    def today_date(self) -> date:
        return self.today or date.today()

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may hold `!!python/name:` and `!ENV` tags, without running them."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def plugin_options(mkdocs_yml: Path) -> dict[str, Any]:
    try:
        conf = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    for plugin in conf.get("plugins") or []:
        if isinstance(plugin, dict) and "sangkien" in plugin:
            return dict(plugin["sangkien"] or {})
    return {}


def load_settings(project_dir: str | Path = ".", **overrides: Any) -> Settings:
    """Defaults, then mkdocs.yml's `sangkien` plugin options, then explicit overrides."""
    project = Path(project_dir)
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {"project_dir": str(project)}
    for key, value in plugin_options(project / "mkdocs.yml").items():
        if key in known:
            values[key] = value
    env_today = os.environ.get("SANGKIEN_TODAY")
    if env_today:
        with contextlib.suppress(ValueError):
            values["today"] = date.fromisoformat(env_today)
    values.update({k: v for k, v in overrides.items() if v is not None and k in known})
    return Settings(**values)
