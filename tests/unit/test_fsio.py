"""generator.fsio: the one writer every command and build step uses."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator import fsio


def test_writes_atomically_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "a.txt"
    fsio.write_text(out, "một\n")
    assert out.read_text(encoding="utf-8") == "một\n"
    with pytest.raises(fsio.WriteRefused, match="use --force to overwrite"):
        fsio.write_text(out, "hai\n")
    assert out.read_text(encoding="utf-8") == "một\n"
    fsio.write_text(out, "hai\n", force=True)
    assert out.read_text(encoding="utf-8") == "hai\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary left


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "b.bin"
    with pytest.raises(RuntimeError), fsio.atomic_path(out) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("the tool failed")
    assert list(tmp_path.iterdir()) == []


def test_never_through_a_link_even_with_force(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(victim)
    with pytest.raises(fsio.WriteRefused, match="symbolic link"):
        fsio.write_bytes(link, b"x", force=True)
    with pytest.raises(fsio.WriteRefused, match="symbolic link"):
        fsio.copy_file(victim, link, force=True)
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep"


def test_protected_folders_are_refused_through_links_too(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    alias = tmp_path / "alias"
    alias.symlink_to(registry)
    for path in (registry / "x.yml", alias / "x.yml", registry / "sub" / ".." / "x.yml"):
        with pytest.raises(fsio.WriteRefused, match="registry/"):
            fsio.check_target(path, force=True, protect=[registry])
    fsio.check_target(tmp_path / "registry.yml", protect=[registry])  # a sibling is fine


def test_modes_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    fsio._UMASK.clear()
    try:
        path = fsio.write_bytes(tmp_path / "f", b"x")
        folder = fsio.temp_dir("t-", tmp_path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
        fsio.remove_temp(folder)
        assert not folder.exists()
    finally:
        os.umask(old)
        fsio._UMASK.clear()
