"""Machine-readable exports written after the build: JSON API, CSV, XLSX, Atom, schemas.

All come from the same loaded registry and each carries the content licence:
JSON in a `license` object, CSV in a `license` column (a comment line would break CSV
readers), XLSX in a "Giấy phép" sheet and the workbook properties, Atom in `<rights>`.
Every file is written to a temporary name then renamed, so a failed build never leaves a
half-written export.

The compact catalogue index (`api/v1/catalogue.json`) belongs to the catalogue page and is
written by its own provider.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator import __version__, fsio
from generator.config import Settings
from generator.model import Initiative, Registry
from generator.render.browse import newest_first
from generator.render.common import label
from generator.text.legal import document_reference
from generator.text.spreadsheet import neutralise_formula

API = "api/v1"
FEED_SIZE = 50

# Columns of the CSV and XLSX exports, in order: (header, value).
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("id", lambda i, r, s: i.id),
    ("title", lambda i, r, s: i.title),
    ("title_en", lambda i, r, s: i.title_en or ""),
    ("year", lambda i, r, s: i.year),
    ("agency", lambda i, r, s: i.agency),
    ("agency_name_at_time", lambda i, r, s: i.agency_name_at_time),
    ("agency_now", lambda i, r, s: "; ".join(a.name for a in r.current_agencies(i.agency))),
    ("status_level", lambda i, r, s: i.status_level or ""),
    (
        "status_level_label",
        lambda i, r, s: (
            label(s, "level", i.status_level) if i.status_level else "Chưa được công nhận"
        ),
    ),
    (
        "first_decision_no",
        lambda i, r, s: (i.first_recognition.decision_no or "") if i.first_recognition else "",
    ),
    (
        "first_decision_date",
        lambda i, r, s: (
            i.first_recognition.decision_date.isoformat() if i.first_recognition else ""
        ),
    ),
    ("solution_types", lambda i, r, s: "; ".join(i.solution_types)),
    ("fields", lambda i, r, s: "; ".join(i.fields)),
    ("field_names", lambda i, r, s: "; ".join(r.field_name(f) for f in i.fields)),
    ("readiness", lambda i, r, s: i.readiness or ""),
    ("adoption_count", lambda i, r, s: i.adoption_count),
    ("authors", lambda i, r, s: "; ".join(a.name for a in i.authors)),
    ("summary", lambda i, r, s: i.summary),
    ("url", lambda i, r, s: page_url(s, i)),
    ("license", lambda i, r, s: s.content_license),
)


# One rule for every CSV the project writes (the site export here, reports in to_csv).
cell_text = neutralise_formula


def page_url(settings: Settings, ini: Initiative) -> str:
    return f"{settings.site_url.rstrip('/')}/sang-kien/{ini.slug}/"


def license_info(settings: Settings) -> dict[str, str]:
    return {"name": settings.content_license, "url": settings.content_license_url}


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    fsio.make_dirs(path.parent)
    fsio.write_bytes(path, data, force=True)


def _json_bytes(obj: Any, indent: int | None = None) -> bytes:
    seps = (",", ":") if indent is None else (",", ": ")
    return json.dumps(obj, ensure_ascii=False, indent=indent, separators=seps, default=str).encode(
        "utf-8"
    )


def compact(ini: Initiative, registry: Registry, settings: Settings) -> dict[str, Any]:
    """The short form of a record used in the list endpoint."""
    first = ini.first_recognition
    return {
        "id": ini.id,
        "title": ini.title,
        "year": ini.year,
        "agency": ini.agency,
        "agency_name_at_time": ini.agency_name_at_time,
        "agency_now": [a.id for a in registry.current_agencies(ini.agency)],
        "status_level": ini.status_level,
        "first_decision_date": first.decision_date.isoformat() if first else None,
        "solution_types": list(ini.solution_types),
        "fields": list(ini.fields),
        "readiness": ini.readiness,
        "adoption_count": ini.adoption_count,
        "summary": ini.summary,
        "url": page_url(settings, ini),
    }


def full(ini: Initiative, registry: Registry, settings: Settings) -> dict[str, Any]:
    """A record as stored (YAML names), plus the computed values under `computed`."""
    return {
        "license": license_info(settings),
        "data": ini.raw,
        "computed": {
            "status_level": ini.status_level,
            "is_recognized": ini.is_recognized,
            "adoption_count": ini.adoption_count,
            "agency_now": [a.id for a in registry.current_agencies(ini.agency)],
            "url": page_url(settings, ini),
            "source": ini.source,
        },
    }


def _envelope(settings: Settings, key: str, items: list[Any]) -> dict[str, Any]:
    return {
        "license": license_info(settings),
        "generator": f"sangkien {__version__}",
        "count": len(items),
        key: items,
    }


def csv_bytes(registry: Registry, settings: Settings) -> bytes:
    """All initiatives as CSV, UTF-8 with BOM so that Excel reads Vietnamese correctly."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c for c, _ in COLUMNS])
    for ini in registry.initiatives.values():
        writer.writerow([cell_text(fn(ini, registry, settings)) for _, fn in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(registry: Registry, settings: Settings) -> bytes:
    """All initiatives in an Excel workbook, with a licence sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    wb.properties.title = "Sổ sáng kiến"
    wb.properties.rights = f"{settings.content_license} ({settings.content_license_url})"  # type: ignore[attr-defined]
    wb.properties.creator = f"sangkien {__version__}"
    ws = wb.create_sheet("Sáng kiến")
    ws.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header = []
    for name, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for ini in registry.initiatives.values():
        row = []
        for _, fn in COLUMNS:
            cell = WriteOnlyCell(ws, value=fn(ini, registry, settings))
            if isinstance(cell.value, str):
                # openpyxl stores any text that starts with "=" as a formula; force text.
                cell.data_type = "s"
            row.append(cell)
        ws.append(row)
    lic = wb.create_sheet("Giấy phép")
    lic.append(["Giấy phép nội dung / Content licence", settings.content_license])
    lic.append(["Địa chỉ / URL", settings.content_license_url])
    lic.append(["Nguồn / Source", settings.site_url])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rfc3339(d: date) -> str:
    return datetime.combine(d, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def feed_entries(registry: Registry) -> Iterator[tuple[Initiative, Any]]:
    """(initiative, recognition) pairs of granted recognitions, newest decision first."""
    pairs = [(i, r) for i in registry.initiatives.values() if i.revoked is None for r in i.granted]
    pairs.sort(key=lambda p: (p[1].decision_date, p[0].id), reverse=True)
    return iter(pairs[:FEED_SIZE])


def atom_bytes(registry: Registry, settings: Settings) -> bytes:
    """An Atom feed of the latest recognitions."""
    base = settings.site_url.rstrip("/") + "/"
    entries = list(feed_entries(registry))
    updated = max((r.decision_date for _, r in entries), default=date(2000, 1, 1))
    e = xml_escape
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
        f"  <title>Sổ sáng kiến tỉnh {e(settings.province)}: sáng kiến mới được công nhận</title>",
        f'  <link rel="alternate" type="text/html" href="{e(base)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{e(base)}feed.xml"/>',
        f"  <id>{e(base)}feed.xml</id>",
        f"  <updated>{_rfc3339(updated)}</updated>",
        f"  <rights>{e(settings.content_license)} — {e(settings.content_license_url)}</rights>",
        f'  <generator version="{e(__version__)}">sangkien</generator>',
    ]
    for ini, rec in entries:
        url = page_url(settings, ini)
        lvl = label(settings, "level", rec.level)
        out += [
            "  <entry>",
            f"    <title>{e(ini.title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{e(url)}"/>',
            f"    <id>{e(url)}#{e(rec.level)}-{rec.decision_date.isoformat()}</id>",
            f"    <updated>{_rfc3339(rec.decision_date)}</updated>",
            f"    <author><name>{e(ini.agency_name_at_time)}</name></author>",
            f"    <summary>{e(lvl)}"
            + (f" — {e(document_reference(rec.decision_no))}" if rec.decision_no else "")
            + f". {e(ini.summary)}</summary>",
            *[
                f'    <category term="{e(f)}" label="{e(registry.field_name(f))}"/>'
                for f in ini.fields
            ],
            "  </entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def write_files(registry: Registry, settings: Settings, out_dir: Path) -> list[str]:
    """Write every export under the built site; return their site paths."""
    out_dir = Path(out_dir)
    written: list[str] = []

    def put(rel: str, data: bytes) -> None:
        _atomic_write(out_dir / rel, data)
        written.append(rel)

    inis = newest_first(registry.initiatives.values())
    put(
        f"{API}/initiatives.json",
        _json_bytes(
            _envelope(settings, "initiatives", [compact(i, registry, settings) for i in inis])
        ),
    )
    # One small file per record: written directly (a temporary file and a rename each would
    # double the cost at 10,000 records); `sangkien build` stages the whole site anyway and
    # moves it into place only after a successful build.
    one_dir = out_dir / API / "initiatives"
    one_dir.mkdir(parents=True, exist_ok=True)
    for ini in registry.initiatives.values():
        (one_dir / f"{ini.id}.json").write_bytes(_json_bytes(full(ini, registry, settings)))
        written.append(f"{API}/initiatives/{ini.id}.json")
    per_agency = Counter(i.agency for i in inis)
    agencies = [
        {
            **a.raw,
            "current": [c.id for c in registry.current_agencies(a.id)],
            "initiative_count": per_agency.get(a.id, 0),
        }
        for a in registry.agencies.values()
    ]
    put(f"{API}/agencies.json", _json_bytes(_envelope(settings, "agencies", agencies)))
    put(
        f"{API}/fields.json",
        _json_bytes(
            _envelope(
                settings,
                "fields",
                [
                    {"id": f.id, "name": f.name, "name_en": f.name_en}
                    for f in registry.fields.values()
                ],
            )
        ),
    )
    put("initiatives.csv", csv_bytes(registry, settings))
    put("initiatives.xlsx", xlsx_bytes(registry, settings))
    put("feed.xml", atom_bytes(registry, settings))
    for schema in sorted(Path(settings.schema_path).glob("*.schema.json")):
        dest = out_dir / "schema" / schema.name
        fsio.make_dirs(dest.parent)
        fsio.copy_file(schema, dest, force=True)
        written.append(f"schema/{schema.name}")
    return written
