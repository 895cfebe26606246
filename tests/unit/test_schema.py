"""The JSON Schemas in schema/: valid draft 2020-12, strict, and fully described."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.config import Settings
from generator.validate.schema import _PATTERN_RULES

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
SCHEMA_FILES = sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json"))


def load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def subschemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside `node` (properties, items, allOf/oneOf branches...)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties"):
                for name, sub in value.items():
                    yield from subschemas(sub, f"{path}/{key}/{name}")
            elif key in ("items", "if", "then", "else", "not", "additionalProperties", "contains"):
                yield from subschemas(value, f"{path}/{key}")
            elif key in ("allOf", "anyOf", "oneOf", "prefixItems"):
                for i, sub in enumerate(value):
                    yield from subschemas(sub, f"{path}/{key}/{i}")


def properties(node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, sub in subschemas(node):
        for name, prop in sub.get("properties", {}).items():
            # Conditional branches (`if: {properties: {legal_basis: {const: other}}}`) only
            # restate a property for a test; the property itself is described at its home.
            if "/if" not in path:
                yield f"{path}/properties/{name}", prop


def test_there_are_three_schemas() -> None:
    assert SCHEMA_FILES == ["agency.schema.json", "fields.schema.json", "initiative.schema.json"]


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_id_is_under_the_site_url(name: str) -> None:
    site = Settings().site_url
    assert load(name)["$id"] == f"{site}schema/{name}"


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_object_forbids_unknown_keys(name: str) -> None:
    loose = [
        path
        for path, sub in subschemas(load(name))
        if sub.get("type") == "object" and sub.get("additionalProperties") is not False
    ]
    assert not loose, f"{name}: objects without additionalProperties: false: {loose}"


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_property_has_title_description_and_examples(name: str) -> None:
    schema = load(name)
    missing = []
    for path, prop in properties(schema):
        for key in ("title", "description", "examples"):
            if not prop.get(key):
                missing.append(f"{path}: {key}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_examples_are_valid_for_their_property(name: str) -> None:
    """An example that the schema itself refuses would teach contributors the wrong thing."""
    bad = []
    for path, prop in properties(load(name)):
        validator = Draft202012Validator(prop, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for example in prop.get("examples", []):
            errors = [e.message for e in validator.iter_errors(example)]
            if errors:
                bad.append(f"{path}: {example!r}: {errors[0]}")
    assert not bad, "\n".join(bad)


def test_every_pattern_has_a_plain_language_rule() -> None:
    """SK105 explains the rule in words; a contributor never has to read a regular expression."""
    patterns = {
        sub["pattern"]
        for name in SCHEMA_FILES
        for _, sub in subschemas(load(name))
        if "pattern" in sub
    }
    assert patterns
    assert not patterns - set(_PATTERN_RULES), sorted(patterns - set(_PATTERN_RULES))


def test_enum_labels_cover_every_value() -> None:
    """`x-enum-labels` give the Vietnamese label for each enum value shown on the site."""
    for name in SCHEMA_FILES:
        for path, sub in subschemas(load(name)):
            labels = sub.get("x-enum-labels")
            if labels is None:
                continue
            assert set(labels) == {str(v) for v in sub["enum"]}, f"{name} {path}"
