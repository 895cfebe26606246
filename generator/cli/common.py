"""Helpers shared by the sub-command modules."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.config import Settings, load_settings


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from mkdocs.yml in the current folder, with `--registry` taking precedence.

    `--registry DIR` may point anywhere; its parent is then the project folder (where
    `schema/` and attachments' paths are resolved).
    """
    registry = getattr(args, "registry", None)
    if registry:
        reg = Path(registry).resolve()
        base = load_settings(".")
        project = reg.parent
        return base.with_(
            project_dir=str(project),
            registry_dir=reg.name,
            schema_dir=str(Path(base.schema_path).resolve()),
        )
    return load_settings(".")
