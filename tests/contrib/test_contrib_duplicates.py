"""Duplicate detection (SK305) as a contributor meets it: a new record close to an existing one."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_settings
from generator.text.vn import fold
from generator.validate.check import check_registry


def _longest_title(project: Path) -> tuple[str, str, str]:
    """(id, title, agency) of the record with the longest title: word swaps barely change it."""
    reg = check_registry(load_settings(project)).registry
    init = max(reg.initiatives.values(), key=lambda i: (len(i.title), i.id))
    return init.id, init.title, init.agency


def _swap_last_words(title: str) -> str:
    words = title.split()
    return " ".join([*words[:-2], words[-1], words[-2]])


def _add(run_cli, project: Path, title: str, agency: str) -> str:
    code, out, err = run_cli(
        "new", "--no-input", "--title", title, "--agency", agency, "--field", "chuyen-doi-so",
        "--type", "quan-ly", "--author", "Lê Văn Tâm", "--year", "2025", cwd=project,
    )  # fmt: skip
    assert code == 0, err
    return out.strip()


def _sk305(run_cli, project: Path, path: str) -> list[str]:
    code, out, _ = run_cli("validate", path, cwd=project)
    assert code == 0, out
    return [line for line in out.splitlines() if "SK305" in line]


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(fold, id="no-diacritics-lower-case"),
        pytest.param(_swap_last_words, id="word-order"),
        pytest.param(lambda t: _swap_last_words(fold(t)).upper(), id="both-and-upper-case"),
    ],
)
def test_a_close_title_in_the_same_agency_names_the_other_record(
    project: Path, run_cli, variant
) -> None:
    other_id, title, agency = _longest_title(project)
    path = _add(run_cli, project, variant(title), agency)
    lines = _sk305(run_cli, project, path)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:")
    assert other_id in lines[0]
    assert "giống nhau" in lines[0]


def test_an_unrelated_title_is_not_flagged(project: Path, run_cli) -> None:
    _, _, agency = _longest_title(project)
    path = _add(run_cli, project, "Tủ sách pháp luật điện tử cho đoàn viên thanh niên", agency)
    assert _sk305(run_cli, project, path) == []


def test_the_same_title_in_an_unrelated_agency_is_not_flagged(project: Path, run_cli) -> None:
    _, title, agency = _longest_title(project)
    reg = check_registry(load_settings(project)).registry
    lineage = reg.lineage(agency) | {a.id for a in reg.current_agencies(agency)}
    elsewhere = next(
        a for a in sorted(reg.agencies) if a not in lineage and not reg.agencies[a].ceased
    )
    path = _add(run_cli, project, title, elsewhere)
    assert _sk305(run_cli, project, path) == []
