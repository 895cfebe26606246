"""`check_registry(incremental=True)`, used by `sangkien serve` rebuilds: after each edit it
reports exactly what a cold check reports, and reads again only the files that changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import defaultdict
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.validate import check
from generator.validate.check import CheckResult, check_registry


@pytest.fixture
def project(tmp_path: Path, make_registry) -> Path:
    project = make_registry(tmp_path)
    # Files written a moment ago are "racily clean" and always checked again; age them so
    # that the cache is used as it is under a long-running server.
    old = time.time() - 3600
    for path in (project / "registry").rglob("*"):
        os.utime(path, (old, old))
    return project


def _lines(result: CheckResult) -> list[str]:
    """What `sangkien validate` prints, one line per diagnostic (Vietnamese and English)."""
    return [
        f"{d.file}:{d.line}:{d.col}: {d.code} {d.message('vi')} | {d.message('en')}"
        for d in result.diagnostics
    ]


def _same_as_cold(project: Path) -> CheckResult:
    """Run the incremental check, then a cold one; they must agree on everything."""
    settings = load_settings(project)
    warm = check_registry(settings, incremental=True, jobs=1)
    cold = check_registry(settings, jobs=1)
    assert _lines(warm) == _lines(cold)
    assert warm.registry == cold.registry
    assert warm.files_checked == cold.files_checked
    return warm


def _set_title(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"^title: .*$",
        lambda _m: "title: " + json.dumps(title, ensure_ascii=False),
        text,
        count=1,
        flags=re.M,
    )
    path.write_text(text, encoding="utf-8")


def _record(project: Path, rid: str) -> Path:
    return project / "registry" / "initiatives" / rid.split("-")[1] / f"{rid}.yml"


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = check.read_file

    def counting(path: Path, display: str):  # type: ignore[no-untyped-def]
        seen.append(display)
        return real(path, display)

    monkeypatch.setattr(check, "read_file", counting)
    return seen


def test_edits_give_the_same_diagnostics_as_a_cold_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _same_as_cold(project)
    assert first.ok()
    registry = first.registry
    by_agency = defaultdict(list)
    for ini in registry.initiatives.values():
        by_agency[ini.agency].append(ini)
    a, b = next(v for v in by_agency.values() if len(v) >= 2)[:2]
    reads = _count_reads(monkeypatch)

    # A title made nearly equal to another record's: a new "possible duplicate" (SK305),
    # and only that file is read again.
    _set_title(_record(project, b.id), a.title + " mới")
    result = _same_as_cold(project)
    initiative_reads = [r for r in reads if "/initiatives/" in r]
    assert initiative_reads.count(f"registry/initiatives/{b.year}/{b.id}.yml") == 2
    assert len(initiative_reads) == 1 + len(registry.initiatives), "one warm read, one cold pass"
    assert any(d.code == "SK305" and b.id in d.file for d in result.diagnostics)
    assert result.registry.initiatives[b.id].title == a.title + " mới"

    # The title changed back: the warning goes.
    _set_title(_record(project, b.id), "Một tên hoàn toàn khác hẳn với mọi sáng kiến khác")
    result = _same_as_cold(project)
    assert not any(d.code == "SK305" and b.id in d.file for d in result.diagnostics)

    # A schema error stops the record from reaching the registry.
    path = _record(project, a.id)
    path.write_text(
        re.sub(r"^agency: .*$", "agency: 12", path.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    result = _same_as_cold(project)
    assert not result.ok()
    assert a.id not in result.registry.initiatives

    # A new record (a copy of another under a new id, in its own year folder).
    new_id = f"QNG-{a.year}-0999"
    new_path = _record(project, new_id)
    text = _record(project, b.id).read_text(encoding="utf-8")
    new_path.write_text(
        re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M), encoding="utf-8"
    )
    result = _same_as_cold(project)
    assert new_id in result.registry.initiatives

    # A deleted record.
    new_path.unlink()
    result = _same_as_cold(project)
    assert new_id not in result.registry.initiatives


def test_an_agency_change_reaches_every_record(project: Path) -> None:
    _same_as_cold(project)
    agencies = project / "registry" / "agencies"
    used = load_settings(project)
    registry = check_registry(used, incremental=True).registry
    agency_id = next(iter(registry.initiatives.values())).agency
    path = agencies / f"{agency_id}.yml"
    # The agency ceases before the records' decisions: their dates now fall after it.
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^valid_to: .*\n", "", text, flags=re.M)
    path.write_text(text.rstrip("\n") + "\nvalid_to: 2015-01-01\n", encoding="utf-8")
    result = _same_as_cold(project)
    assert result.registry.agencies[agency_id].valid_to is not None

    # An agency file removed: its records now refer to an unknown agency.
    shutil.move(path, project / "removed.yml")
    result = _same_as_cold(project)
    assert not result.ok()


def test_an_attachment_removed_is_reported_on_an_untouched_record(project: Path) -> None:
    first = _same_as_cold(project)
    ini = next(iter(first.registry.initiatives.values()))
    rel = f"registry/attachments/{ini.id}/ban-mo-ta.pdf"
    (project / rel).parent.mkdir(parents=True)
    (project / rel).write_bytes(b"%PDF-1.4\n")
    path = _record(project, ini.id)
    text = path.read_text(encoding="utf-8").rstrip("\n")
    text = re.sub(r"^attachments:.*\n(?:[ -].*\n)*", "", text + "\n", flags=re.M)
    path.write_text(
        text + f"attachments:\n  - title: Bản mô tả\n    kind: ban-mo-ta\n    path: {rel}\n",
        encoding="utf-8",
    )
    old = time.time() - 3600
    os.utime(path, (old, old))
    assert not any(d.code == "SK212" for d in _same_as_cold(project).diagnostics)
    # The record file stays as it was; the file it points to goes (SK212).
    (project / rel).unlink()
    result = _same_as_cold(project)
    assert any(d.code == "SK212" and ini.id in d.file for d in result.diagnostics)


def test_a_prose_image_that_appears_is_seen_on_an_untouched_record(project: Path) -> None:
    first = _same_as_cold(project)
    ini = next(iter(first.registry.initiatives.values()))
    rel = f"registry/attachments/{ini.id}/so-do.png"
    path = _record(project, ini.id)
    text = path.read_text(encoding="utf-8").rstrip("\n")
    text = re.sub(r"^problem:.*\n(?:[ ].*\n|\n)*", "", text + "\n", flags=re.M)
    path.write_text(text + f"problem: '![Sơ đồ]({rel})'\n", encoding="utf-8")
    old = time.time() - 3600
    os.utime(path, (old, old))
    assert any(d.code == "SK404" for d in _same_as_cold(project).diagnostics)
    # The record file stays as it was; the image it names is added, then made not an image.
    (project / rel).parent.mkdir(parents=True)
    (project / rel).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8))
    assert not any(d.code.startswith("SK40") for d in _same_as_cold(project).diagnostics)
    (project / rel).write_bytes(b"<svg onload=alert(1)>")
    assert any(d.code == "SK405" for d in _same_as_cold(project).diagnostics)
