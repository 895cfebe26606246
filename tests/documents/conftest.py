"""Fixtures for the document tests: the bundled registry loaded once, readers' helpers."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def settings():
    from generator.config import load_settings

    return load_settings(ROOT)


@pytest.fixture(scope="session")
def registry(settings):
    from generator.validate.check import check_registry

    return check_registry(settings).registry


@pytest.fixture(scope="session")
def rich_record(registry):
    """A recognized record with the most parts filled (novelty, conditions, metrics, steps ...)."""

    def score(i):
        rep = i.replication
        return (
            bool(i.novelty) + bool(i.conditions) + bool(i.benefits) + bool(i.metrics)
            + bool(rep and rep.steps) + bool(i.adoptions),
            i.id,
        )

    return max(registry.initiatives.values(), key=score)


def norm(text: str) -> str:
    """NFC and single spaces: how extracted text is compared with the source."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def plain(markdown: str) -> str:
    """The visible text of a Markdown value (no markers), normalised, for round-trip checks."""
    import pypandoc

    text = pypandoc.convert_text(markdown or "", "plain", format="markdown", extra_args=["--wrap=none"])
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", text, flags=re.M)
    return norm(text)
