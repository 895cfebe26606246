"""Pages rendered again after an edit (what `sangkien serve` does at each rebuild) reuse the
text of unchanged records, and must be exactly the pages a fresh process renders."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from generator.config import load_settings
from generator.model import Registry
from generator.render.pages import PAGE_PROVIDERS, resolve
from generator.validate.check import check_registry

ROOT = Path(__file__).resolve().parents[2]

_FRESH = """
import json, pickle, sys
from generator.config import load_settings
from generator.render.pages import PAGE_PROVIDERS, resolve
registry = pickle.loads(open(sys.argv[1], "rb").read())
settings = load_settings(sys.argv[2])
pages = {p.uri: p.full_markdown for f in resolve(PAGE_PROVIDERS) for p in f(registry, settings)}
sys.stdout.write(json.dumps(pages))
"""


def _render(registry: Registry) -> dict[str, str]:
    settings = load_settings(ROOT)
    return {p.uri: p.full_markdown for f in resolve(PAGE_PROVIDERS) for p in f(registry, settings)}


def _fresh(registry: Registry, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "registry.pickle"
    path.write_bytes(pickle.dumps(registry))
    out = subprocess.run(
        [sys.executable, "-c", _FRESH, str(path), str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return dict(json.loads(out.stdout))


def test_pages_after_edits_are_the_pages_of_a_fresh_render(tmp_path: Path) -> None:
    registry = check_registry(load_settings(ROOT)).registry
    _render(registry)  # the previous build

    # One title changed (shown on its page, its listings and the pages that list it as
    # related), one record gone, one agency renamed (shown on every card of its records).
    inis = dict(registry.initiatives)
    edited = next(i for i in inis.values() if any(i.id in o.related for o in inis.values()))
    inis[edited.id] = replace(edited, title=edited.title + " (đã sửa)")
    gone = next(i for i in inis if i != edited.id)
    del inis[gone]
    agencies = dict(registry.agencies)
    renamed = next(a for a in agencies.values() if any(i.agency == a.id for i in inis.values()))
    agencies[renamed.id] = replace(renamed, name=renamed.name + " (tên mới)")
    after = replace(registry, initiatives=inis, agencies=agencies)

    warm = _render(after)
    assert warm == _fresh(after, tmp_path)
    page = warm[f"sang-kien/{edited.slug}.md"]
    assert edited.title + " (đã sửa)" in page
    assert edited.title + " (đã sửa)" in warm[f"co-quan/{edited.agency}/index.md"]
    assert f"sang-kien/{gone.lower()}.md" not in warm
