"""A record's Markdown may link to pages of the site; a link to no page fails the build.

Record pages are written as HTML (generator/render/prose.py), so MkDocs does not see their
links; the plugin checks the pages they link to as MkDocs checks a hand-written page's.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def test_a_link_to_a_missing_page_fails_the_build_naming_the_record(
    tmp_path: Path, make_registry, build_site
) -> None:
    project = make_registry(tmp_path / "links")
    path = sorted((project / "registry" / "initiatives").rglob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["problem"] = (
        f"Xem [cơ quan](../co-quan/{data['agency']}/index.md) và [quy trình](../quy-trinh-cu.md)."
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = build_site(project, tmp_path / "site", documents=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    source = path.relative_to(project).as_posix()
    assert (
        f"{source}: liên kết tới trang không có / link to a missing page: '../quy-trinh-cu.md'"
        in out
    )
    assert "co-quan/" not in out.split("link to a missing page", 1)[1].split("\n", 1)[0]
    assert "Traceback" not in out
