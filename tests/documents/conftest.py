"""Fixtures for the document tests: the bundled registry loaded once, readers' helpers."""

from __future__ import annotations

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
            bool(i.novelty)
            + bool(i.conditions)
            + bool(i.benefits)
            + bool(i.metrics)
            + bool(rep and rep.steps)
            + bool(i.adoptions),
            i.id,
        )

    return max(registry.initiatives.values(), key=score)
