"""The data exports written in a forked process during `sangkien build` (plugin._ExportJob)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator.config import Settings
from generator.model import Registry
from generator.site.plugin import _ExportJob

REGISTRY = Registry({}, {}, {}, "")


def write_two(registry: Registry, settings: Settings, out: Path) -> list[str]:
    (out / "api").mkdir(parents=True, exist_ok=True)
    (out / "api" / "a.json").write_text('{"a": 1}', encoding="utf-8")
    (out / "b.csv").write_text("x\n", encoding="utf-8")
    return ["api/a.json", "b.csv"]


def broken(registry: Registry, settings: Settings, out: Path) -> list[str]:
    raise ValueError("ô trống ở dòng 3")


def dies(registry: Registry, settings: Settings, out: Path) -> list[str]:
    os._exit(9)


def test_exports_are_written_by_the_child(tmp_path: Path) -> None:
    job = _ExportJob([write_two], REGISTRY, Settings(), tmp_path)
    assert job.wait() >= 0
    assert (tmp_path / "api" / "a.json").read_text(encoding="utf-8") == '{"a": 1}'
    assert (tmp_path / "b.csv").is_file()
    assert not job.process.is_alive()


def test_a_failing_provider_fails_the_build_with_its_name(tmp_path: Path) -> None:
    job = _ExportJob([write_two, broken], REGISTRY, Settings(), tmp_path)
    with pytest.raises(PluginError) as err:
        job.wait()
    message = str(err.value)
    assert "test_export_job:broken" in message
    assert "ValueError: ô trống ở dòng 3" in message
    assert "Traceback" not in message


def test_a_child_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    job = _ExportJob([dies], REGISTRY, Settings(), tmp_path)
    with pytest.raises(PluginError, match="export process died"):
        job.wait()


def test_cancel_stops_the_child(tmp_path: Path) -> None:
    def slow(registry: Registry, settings: Settings, out: Path) -> list[str]:
        import time

        time.sleep(60)
        return []

    job = _ExportJob([slow], REGISTRY, Settings(), tmp_path)
    job.cancel()
    assert not job.process.is_alive()


def test_a_page_that_fails_to_render_names_its_page_and_file() -> None:
    """Record pages render while MkDocs renders them; a failure still names the record."""
    from generator.render.pages import Page
    from generator.site.plugin import _guard, _page_name

    def article():
        raise KeyError("agency")

    page = Page("sang-kien/qng-2024-0001.md", "", "registry/x.yml", body=article)
    with pytest.raises(PluginError) as err:
        _guard(page.article, name=_page_name(page))
    message = str(err.value)
    assert message.startswith("trang / page sang-kien/qng-2024-0001.md (registry/x.yml) lỗi")
    assert "KeyError: 'agency'" in message and "Traceback" not in message
