"""Rendered text kept between builds with equal inputs (`sangkien serve` rebuilds).

Each serve rebuild loads a new Registry in which nearly every record equals the previous
build's (the incremental check even hands back the very same objects). Renderers keep the
text they made for a record, keyed by the record itself and by a *context generation* that
changes whenever what every page reads besides its records changes: the agencies, the
fields and the settings. A full build renders once, so for it this is only a few equality
tests. Nothing here knows about MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.config import Settings
from generator.model import Registry


@dataclass
class _Context:
    registry: Registry | None = None
    settings: Settings | None = None
    agencies: dict[str, Any] | None = None
    fields: dict[str, Any] | None = None
    generation: int = 0


_LAST = _Context()


def generation(registry: Registry, settings: Settings) -> int:
    """A number that stays the same while agencies, fields and settings stay equal.

    Text rendered from a record under one generation can be reused for an equal record
    under the same generation.
    """
    last = _LAST
    if last.registry is registry and last.settings is settings:
        return last.generation
    if not (
        last.settings == settings
        and last.agencies == registry.agencies
        and last.fields == registry.fields
    ):
        last.generation += 1
    last.registry, last.settings = registry, settings
    last.agencies, last.fields = registry.agencies, registry.fields
    return last.generation


def same(a: Any, b: Any) -> bool:
    """Equal inputs, testing identity first (unchanged records are the same objects)."""
    return a is b or a == b
