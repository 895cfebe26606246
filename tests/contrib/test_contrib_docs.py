"""CONTRIBUTING.md and the site's contributing page: their example, pictures and commands are real."""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

import pytest

from generator.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
DONG_GOP = ROOT / "docs" / "dong-gop.md"


def _example() -> str:
    match = re.search(
        r"```yaml\n(# yaml-language-server.*?)```", CONTRIBUTING.read_text(encoding="utf-8"), re.S
    )
    assert match, "CONTRIBUTING.md has no YAML record example"
    return match.group(1)


def test_hand_written_example_validates_and_is_canonical(project: Path, run_cli) -> None:
    text = _example()
    record_id = re.search(r"^id: (\S+)$", text, re.M).group(1)
    path = project / "registry" / "initiatives" / record_id.split("-")[1] / f"{record_id}.yml"
    assert not path.exists()
    path.write_text(text, encoding="utf-8")
    rel = str(path.relative_to(project))
    code, out, _ = run_cli("validate", "--strict", rel, cwd=project)
    assert code == 0, out
    code, out, _ = run_cli("fmt", "--check", rel, cwd=project)
    assert code == 0, out


@pytest.mark.parametrize("doc", [CONTRIBUTING, DONG_GOP], ids=lambda p: p.name)
def test_screenshots_are_embedded_and_exist(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    pictures = re.findall(r"(?:\]\(|src=\")([^)\"\s]+\.png)", text)
    assert {Path(p).name for p in pictures} == {"bieu-mau.png", "ket-qua.png", "dien-thoai.png"}
    for p in pictures:
        assert (doc.parent / p).is_file(), p


def _github_anchor(heading: str) -> str:
    heading = unicodedata.normalize("NFC", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def test_contributing_table_of_contents_links_resolve_on_github() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    anchors = {_github_anchor(h) for h in re.findall(r"^#{2,3} (.+)$", text, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links
    assert [link for link in links if link not in anchors] == []


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("doc", [CONTRIBUTING, DONG_GOP], ids=lambda p: p.name)
def test_every_documented_command_and_flag_exists(doc: Path) -> None:
    commands = _subparsers()
    text = doc.read_text(encoding="utf-8").replace("\\\n", " ")
    seen = 0
    for line in text.splitlines():
        for match in re.finditer(
            r"sangkien ([a-z][a-z-]*)((?: +(?:--?[a-z][a-z-]*|[^\s`|>]+))*)", line
        ):
            name, rest = match.group(1), match.group(2)
            assert name in commands, f"{doc.name}: unknown command `sangkien {name}`"
            known = {opt for a in commands[name]._actions for opt in a.option_strings}
            for flag in re.findall(r"(?<!\S)(--?[a-z][a-z-]*)", rest):
                assert flag in known, f"{doc.name}: `sangkien {name}` has no {flag}"
            seen += 1
    assert seen >= 5
