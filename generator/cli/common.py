"""Helpers shared by the sub-command modules."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import fsio
from generator.config import Settings, load_settings

# What marks a project folder: the MkDocs configuration, or else the registry itself.
PROJECT_MARKERS = ("mkdocs.yml", "registry")


def find_project(start: str | Path | None = None) -> Path:
    """The project folder: the nearest of `start` (default: the current folder) and its
    parents that holds mkdocs.yml or a registry/ folder, walking up as git does.

    The current folder itself is returned as "." so that messages keep their short paths;
    when nothing is found, "." too (the command then says what is missing).
    """
    here = Path(start) if start is not None else Path(".")
    absolute = here.resolve()
    for folder in (absolute, *absolute.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return here if folder == absolute else folder
    return here


def config_path(option: str | None) -> Path:
    """`--config-file`: as given, or else the mkdocs.yml of the project found from here."""
    if option:
        return Path(option)
    return find_project() / "mkdocs.yml"


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the project's mkdocs.yml (found from the current folder, walking up),
    with `--registry` taking precedence.

    `--registry DIR` may point anywhere; its parent is then the project folder (where
    `schema/` and attachments' paths are resolved).
    """
    project = find_project()
    registry = getattr(args, "registry", None)
    if registry:
        reg = Path(registry).resolve()
        base = load_settings(project)
        return base.with_(
            project_dir=str(reg.parent),
            registry_dir=reg.name,
            schema_dir=str(Path(base.schema_path).resolve()),
        )
    return load_settings(project)


def protected_folders(settings: Settings) -> list[Path]:
    """The project's sources, which no output file may land in: registry/, schema/, docs/."""
    project = Path(settings.project_dir)
    return [settings.registry_path, project / settings.schema_dir, project / "docs"]


def refuse_message(command: str, exc: fsio.WriteRefused) -> str:
    """The line a command prints when a write is refused (file, reason, what to do)."""
    return f"sangkien {command}: lỗi / error: {exc}\n"
