"""Entry points for one document: a guide or a form of one record, in one format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.config import Settings
from generator.diagnostics import Diagnostic
from generator.documents.convert import convert
from generator.documents.forms import FORM_KINDS, form_markdown
from generator.documents.guide import GUIDE_TITLE, guide_markdown
from generator.model import Initiative, Registry

# One name -> builder table drives both the CLI choices and dispatch.
DOCUMENT_KINDS = ("guide", "form")


def export_guide(
    ini: Initiative,
    registry: Registry,
    settings: Settings,
    fmt: str,
    out: str | Path,
    on_warning: Callable[[Diagnostic], None] | None = None,
) -> Path:
    """Write the replication guide of `ini` as `fmt` (docx|pdf|md|html) to `out`.

    What the document filter drops from the record's prose goes to `on_warning`.
    """
    md = guide_markdown(ini, registry, settings, target=fmt)
    return convert(
        md,
        fmt,
        out,
        title=f"{GUIDE_TITLE}: {ini.title}",
        project_dir=settings.project_dir,
        max_image_bytes=settings.attachment_max_bytes,
        on_warning=on_warning,
        source=ini.source,
    )


def export_form(
    kind: str,
    ini: Initiative | None,
    registry: Registry | None,
    settings: Settings,
    fmt: str,
    out: str | Path,
    on_warning: Callable[[Diagnostic], None] | None = None,
) -> Path:
    """Write form `kind` (don|mo-ta), prefilled from `ini` or blank when it is None."""
    md = form_markdown(kind, ini, registry, settings, target=fmt)
    title = FORM_KINDS[kind][0] + (f": {ini.title}" if ini else "")
    return convert(
        md,
        fmt,
        out,
        title=title,
        project_dir=settings.project_dir,
        max_image_bytes=settings.attachment_max_bytes,
        on_warning=on_warning,
        source=ini.source if ini else None,
    )
