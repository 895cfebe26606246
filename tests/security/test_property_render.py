"""What `validate` accepts, the build builds: a property-based test.

Records are drawn from schema/initiative.schema.json itself (hypothesis-jsonschema), kept
when the project's own validator accepts them (schema, cross-file rules, in the context of the
bundled registry), and rendered with the real renderers: the record page
(render/initiative.py) and the replication guide (documents/guide.py). Any exception is a bug:
a contributor could block every deployment with such a record.

The schema is narrowed for the generator only where the rules would reject nearly every draw
(ids of agencies and fields that exist, dates inside the agencies' lifetimes, attachments
given by URL), and strings and lists are kept short so the test runs in seconds. Fixed seed,
bounded examples: the same records on every run.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, seed, settings
from hypothesis_jsonschema import from_schema

from generator.documents.guide import GUIDE_TITLE, guide_markdown
from generator.load.yamlstrict import read_file
from generator.model import Registry, initiative_from_dict
from generator.render.initiative import initiative_page
from generator.validate.content import initiative_warnings
from generator.validate.rules import AgencyInfo, Context, initiative_rules
from generator.validate.schema import check_schema

ROOT = Path(__file__).resolve().parents[2]
RECORD_ID = "QNG-2024-9001"
# Dates the rules accept for agencies that existed from 2019 to 2024 (not in the future,
# recognitions after first application: drawn in any order, the rules filter).
DATES = ["2019-03-01", "2020-06-15", "2021-01-31", "2022-02-28", "2023-07-01", "2024-12-31"]
AGENCY_KEYS = {"agency", "issuer", "investor"}
STRING_MAX = 40
LIST_MAX = 3


def _agency_ids() -> list[str]:
    """Agencies of the bundled registry that existed from 2019 to 2024 (read cheaply: the
    strategy is built at import, before any fixture)."""
    out = []
    for path in sorted((ROOT / "registry" / "agencies").glob("*.yml")):
        a = yaml.safe_load(path.read_text(encoding="utf-8"))
        start, end = a.get("valid_from"), a.get("valid_to")
        if (start is None or str(start) <= "2019-01-01") and (
            end is None or str(end) >= "2024-12-31"
        ):
            out.append(a["id"])
    return out


AGENCIES = _agency_ids()
FIELDS = sorted(
    f["id"]
    for f in yaml.safe_load(
        (ROOT / "registry" / "taxonomy" / "fields.yml").read_text(encoding="utf-8")
    )
)


def _narrow(node: Any, key: str | None = None) -> Any:
    """A copy of a schema node the generator can draw from, with the restrictions above."""
    if isinstance(node, list):
        return [_narrow(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _narrow(v, k)
        for k, v in node.items()
        if not (k.startswith("x-") or k in ("title", "description", "examples", "$id", "$schema"))
    }
    if "properties" in node:
        out["properties"] = {k: _narrow(v, k) for k, v in node["properties"].items()}
    if out.get("type") == "string":
        if key in AGENCY_KEYS:
            return {"enum": AGENCIES}
        if out.get("format") == "date":
            return {"enum": DATES}
        if "enum" not in out and "pattern" not in out and "format" not in out:
            out["maxLength"] = min(out.get("maxLength", STRING_MAX), STRING_MAX)
    if out.get("type") == "array":
        out["maxItems"] = min(out.get("maxItems", LIST_MAX), LIST_MAX)
    return out


def _generation_schema() -> dict[str, Any]:
    schema = json.loads((ROOT / "schema" / "initiative.schema.json").read_text(encoding="utf-8"))
    gen = _narrow(copy.deepcopy(schema))
    # `if`/`then` (legal_basis: other needs a note) costs hypothesis-jsonschema a schema merge
    # on every draw; the validator still applies it to what is drawn.
    gen.pop("allOf", None)
    props = gen["properties"]
    props["id"] = {"const": RECORD_ID}
    props["fields"]["items"] = {"enum": FIELDS}
    props["related"]["maxItems"] = 0
    # A local attachment must exist on disk (SK212); a URL needs nothing.
    att = props["attachments"]["items"]
    att["properties"].pop("path")
    att.pop("oneOf", None)
    att["required"] = [*att["required"], "url"]
    for name in ("adoptions",):
        props[name]["items"]["properties"]["agency"] = {"enum": AGENCIES}
    props["replication"]["properties"]["contact"]["properties"]["agency"] = {"enum": AGENCIES}
    return gen


@pytest.fixture(scope="module")
def context(loaded: tuple[Registry, Any]) -> Context:
    """What the rules know of the rest of the registry: the bundled agencies and fields."""
    registry, _settings = loaded
    return Context(
        agencies={
            a.id: AgencyInfo(a.valid_from, a.valid_to, a.successors)
            for a in registry.agencies.values()
        },
        field_ids=frozenset(registry.fields),
        initiative_ids=frozenset(registry.initiatives) | {RECORD_ID},
        project_dir=str(ROOT),
        today=date(2025, 6, 1),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prop") / "registry" / "initiatives" / "2024"
    path.mkdir(parents=True)
    return path


def _accepted(record: dict[str, Any], folder: Path, ctx: Context) -> dict[str, Any] | None:
    """The record as the project loads it, if `validate` reports no error; else None."""
    path = folder / f"{RECORD_ID}.yml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    doc = read_file(path, f"registry/initiatives/2024/{RECORD_ID}.yml")
    if doc.data is None or not doc.ok:
        return None
    diags = [*doc.diagnostics, *check_schema(doc, "initiative")]
    if isinstance(doc.data, dict):
        diags += initiative_rules(doc, ctx) + initiative_warnings(doc, ctx)
    if any(d.severity == "error" for d in diags):
        return None
    return doc.data if isinstance(doc.data, dict) else None


@seed(20251101)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(record=from_schema(_generation_schema()))
def test_accepted_records_render_to_a_page_and_a_guide(
    record: dict[str, Any], folder: Path, context: Context, loaded: tuple[Registry, Any]
) -> None:
    bundled, settings_ = loaded
    data = _accepted(record, folder, context)
    assume(data is not None)
    assert data is not None
    ini = initiative_from_dict(data, f"registry/initiatives/2024/{RECORD_ID}.yml")
    registry = Registry(
        initiatives={**bundled.initiatives, ini.id: ini},
        agencies=bundled.agencies,
        fields=bundled.fields,
        root=bundled.root,
    )
    page = initiative_page(ini, registry, settings_)
    article = page.article()
    assert article is not None and ini.id in article.html
    # The guide's Markdown for each target (DOCX and PDF add raw blocks around the same text).
    guides = [guide_markdown(ini, registry, settings_, target) for target in ("md", "docx", "pdf")]
    assert GUIDE_TITLE in guides[0]
    if "None" not in json.dumps(record, ensure_ascii=False):
        # A missing value is shown as "—" or left out, never as Python's None.
        assert "None" not in guides[0] and "None" not in article.html
