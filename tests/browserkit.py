"""What every browser test shares: Debian's Chromium, how to launch it, the axe-core audit.

Importable as `browserkit` because pytest puts `tests/` (the rootdir conftest's folder) on
`sys.path`. The benchmarks keep their own copy of the launch flags so that they run without
the test tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def run_axe(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 A/AA violations on the page as it is now.

    Running CSS transitions are awaited first: Material fades its header tabs out when the
    page scrolls (for example to an error list), and axe measuring a half-faded link reports
    a contrast failure that no reader ever sees.
    """
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is not installed (npm ci)")
    page.evaluate(
        """async () => {
            await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
        }"""
    )
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and one per offending element (the first five)."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"][:5]]
    return "\n".join(lines)
