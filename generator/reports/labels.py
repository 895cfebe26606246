"""Human labels for enum values, read from the JSON Schema (its `x-enum-labels`).

The schema is the single source of truth for enum values and their Vietnamese names, so the
reports never keep a second copy that could drift.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from generator.model import LEVEL_ORDER, READINESS_ORDER

_BUNDLED_SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "initiative.schema.json"

# Fallbacks in case a fork's schema lacks labels: the enum value itself is still readable.
_PATHS = {
    "level": ("recognitions", "level"),
    "kind": ("recognitions", "kind"),
    "outcome": ("recognitions", "outcome"),
    "stage": ("adoptions", "stage"),
    "readiness": ("replication", "readiness"),
    "solution_type": ("solution_types", None),
}


@lru_cache(maxsize=8)
def _load(schema_file: str) -> dict[str, dict[str, str]]:
    try:
        schema = json.loads(Path(schema_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    props = schema.get("properties", {})
    out: dict[str, dict[str, str]] = {}
    for name, (top, inner) in _PATHS.items():
        node = props.get(top, {})
        if node.get("type") == "array" or "items" in node:
            node = node.get("items", {})
        if inner:
            node = node.get("properties", {}).get(inner, {})
        labels = node.get("x-enum-labels")
        if isinstance(labels, dict):
            out[name] = {str(k): str(v) for k, v in labels.items()}
    return out


class Labels:
    """Look up the Vietnamese label of an enum value: `labels.level("co-so")` -> "Cấp cơ sở"."""

    def __init__(self, schema_dir: str | Path | None = None) -> None:
        path = Path(schema_dir) / "initiative.schema.json" if schema_dir else _BUNDLED_SCHEMA
        if not path.is_file():
            path = _BUNDLED_SCHEMA
        self._table = _load(str(path))

    def get(self, family: str, value: str) -> str:
        return self._table.get(family, {}).get(value, value)

    def level(self, value: str) -> str:
        return self.get("level", value)

    def outcome(self, value: str) -> str:
        return self.get("outcome", value)

    def outcome_short(self, value: str) -> str:
        """The outcome without the explanation in brackets: "Đạt (được công nhận)" -> "Đạt"."""
        return self.outcome(value).split(" (")[0]

    def stage(self, value: str) -> str:
        return self.get("stage", value)

    def readiness(self, value: str) -> str:
        return self.get("readiness", value)

    def solution_type(self, value: str) -> str:
        return self.get("solution_type", value)

    def kind(self, value: str) -> str:
        return self.get("kind", value)

    def levels(self) -> list[str]:
        """Every recognition level, lowest first."""
        known = list(self._table.get("level", {}))
        return sorted(set(known) | set(LEVEL_ORDER), key=lambda v: LEVEL_ORDER.get(v, 99))

    def solution_types(self) -> list[str]:
        return list(self._table.get("solution_type", {}))

    def readiness_values(self) -> list[str]:
        known = list(self._table.get("readiness", {}))
        return sorted(set(known) | set(READINESS_ORDER), key=lambda v: READINESS_ORDER.get(v, 99))
