"""`sangkien build`: exit codes, diagnostics, and no half-written site on failure."""

from __future__ import annotations

import re
from pathlib import Path

import yaml


def test_invalid_registry_stops_the_build_with_every_error(
    run_cli, make_registry, tmp_path: Path
) -> None:
    project = make_registry(tmp_path)
    files = sorted((project / "registry" / "initiatives").rglob("*.yml"))
    for path in files[:2]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["agency"] = "khong-ton-tai"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = tmp_path / "out"
    code, _out, err = run_cli("build", "--site-dir", str(site), "--no-documents", "-q", cwd=project)
    assert code == 1
    for path in files[:2]:
        rel = path.relative_to(project).as_posix()
        assert re.search(rf"{re.escape(rel)}:\d+:\d+: SK\d+ ", err), err
    assert "Traceback" not in err
    assert not site.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-build-")]


def test_build_replaces_the_old_site_only_on_success(
    run_cli, make_registry, tmp_path: Path
) -> None:
    project = make_registry(tmp_path)
    site = tmp_path / "out"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    # A folder `build` did not make is never replaced...
    code, _out, err = run_cli("build", "--site-dir", str(site), "--no-documents", "-q", cwd=project)
    assert code == 1 and ".sangkien-site" in err, err
    assert (site / "stale.html").is_file()
    # ...one marked by an earlier build is.
    (site / ".sangkien-site").write_text("", encoding="utf-8")
    code, _out, err = run_cli("build", "--site-dir", str(site), "--no-documents", "-q", cwd=project)
    assert code == 0, err
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file() and (site / "api/v1/initiatives.json").is_file()
    # --no-documents: no download buttons for guides that were not generated.
    page = next((site / "sang-kien").glob("*/index.html")).read_text(encoding="utf-8")
    assert "tai-lieu/huong-dan/" not in page


def test_missing_config_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    code, _out, err = run_cli("build", cwd=tmp_path)
    assert code == 2
    assert "mkdocs.yml" in err


def test_serve_rejects_a_bad_address(run_cli) -> None:
    root = Path(__file__).resolve().parents[2]
    code, _out, err = run_cli("serve", "-a", "localhost", cwd=root)
    assert code == 2
    assert "IP:PORT" in err


def test_build_help_is_bilingual(run_cli) -> None:
    code, out, _err = run_cli("build", "--help")
    assert code == 0
    assert "--no-documents" in out and "xem trước nhanh" in out and "quick preview" in out
