"""Warnings for fields that real sources often lack (SK320-SK322).

Published recognition decisions list a title, authors and a unit; news reports give one
figure and no baseline. The schema accepts such records (since 1.1); these warnings say what
the site and the replication guide will leave blank, so the gap is visible, not invented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.diagnostics import T
from generator.model import to_date

# Top-level fields optional in the schema that the record page and the guide show.
SHOULD_HAVE: dict[str, T] = {
    "summary": T("tóm tắt", "summary"),
    "solution_types": T("loại giải pháp", "solution type"),
    "authors": T("tác giả", "authors"),
    "problem": T("thực trạng trước khi có sáng kiến", "the situation before"),
    "solution": T("nội dung giải pháp", "the solution"),
}


def missing_warnings(d: dict[str, Any], add: Callable[..., None]) -> None:
    """Call `add(code, where, **args)` for each optional-but-needed field the record lacks.

    Only absence counts: an empty value is a draft's placeholder (`sangkien new` writes
    `problem: ""` under a TODO), and an empty summary is SK301's business.
    """
    for name, what in SHOULD_HAVE.items():
        # A key present with None is a value the loader refused (SK016): reported already.
        if name not in d:
            add("SK321", (), field=name, what=what)
    metrics = d.get("metrics")
    for i, m in enumerate(metrics if isinstance(metrics, list) else ()):
        if isinstance(m, dict) and "baseline" not in m:
            add("SK320", ("metrics", i), indicator=m.get("indicator", "?"))
    recs = d.get("recognitions")
    for i, r in enumerate(recs if isinstance(recs, list) else ()):
        if isinstance(r, dict) and not r.get("decision_no"):
            day = to_date(r.get("decision_date"))
            add(
                "SK322",
                ("recognitions", i),
                level=r.get("level", "?"),
                date=day.strftime("%d/%m/%Y") if day else "?",
            )
