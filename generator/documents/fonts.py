"""The serif font every document embeds: Tinos, metric-compatible with Times New Roman.

Decree 30/2020/NĐ-CP asks for Times New Roman; it is not installed on Linux build machines
and may not be redistributed, so PDFs embed Tinos (Apache-2.0 / OFL via Fontsource), whose
glyph widths match Times New Roman and which covers every Vietnamese letter. DOCX files
name "Times New Roman" (present on office PCs) and Word falls back on its own.

The font files are never committed: they come from the npm package `@fontsource/tinos`
(installed by `npm ci` in scripts/setup.sh) as WOFF files split by Unicode subset. At first
use they are converted with fontTools into one TTF per style (latin + latin-ext + vietnamese
merged) under `.cache/sangkien/fonts/`, which typst reads. Debian's `fonts-croscore` is a
fallback when node_modules is absent.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from generator import fsio

FAMILY = "Tinos"
DOCX_FAMILY = "Times New Roman"
STYLES = ("400-normal", "700-normal", "400-italic", "700-italic")
# Subsets merged into one font: basic Latin first so that its glyphs win on overlap.
SUBSETS = ("latin", "latin-ext", "vietnamese")
_CROSCORE = {
    "400-normal": "Tinos-Regular.ttf",
    "700-normal": "Tinos-Bold.ttf",
    "400-italic": "Tinos-Italic.ttf",
    "700-italic": "Tinos-BoldItalic.ttf",
}
_CROSCORE_DIRS = (Path("/usr/share/fonts/truetype/croscore"),)


class FontError(RuntimeError):
    """No usable copy of the document font could be found or built."""


def _fontsource_dirs(project_dir: Path) -> list[Path]:
    here = Path(__file__).resolve()
    candidates = [project_dir, *project_dir.resolve().parents, *here.parents]
    seen: list[Path] = []
    for base in candidates:
        d = base / "node_modules" / "@fontsource" / "tinos" / "files"
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


def _build_from_fontsource(src: Path, out: Path) -> None:
    # Imported here: fontTools is only needed the first time the cache is filled.
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sangkien-fonts-") as tmp:
        for style in STYLES:
            parts = []
            for subset in SUBSETS:
                woff = src / f"tinos-{subset}-{style}.woff"
                if not woff.is_file():
                    raise FontError(f"thiếu tệp phông / missing font file: {woff}")
                font = TTFont(woff)
                font.flavor = None
                part = Path(tmp) / f"{subset}-{style}.ttf"
                font.save(part)
                parts.append(str(part))
            merged = Merger().merge(parts)
            target = out / f"Tinos-{style}.ttf"
            with fsio.atomic_path(target, force=True) as tmp_name:
                merged.save(str(tmp_name))


def font_dir(project_dir: str | Path = ".") -> Path:
    """A folder holding Tinos TTFs in four styles, built on first use; raises FontError."""
    project = Path(project_dir)
    for src in _fontsource_dirs(project):
        # Key the cache on the source package so an upgraded npm package rebuilds the fonts.
        pkg = src.parent / "package.json"
        tag = hashlib.sha256(pkg.read_bytes() if pkg.is_file() else b"").hexdigest()[:12]
        out = project / ".cache" / "sangkien" / "fonts" / f"tinos-{tag}"
        if all((out / f"Tinos-{s}.ttf").is_file() for s in STYLES):
            return out
        try:
            _build_from_fontsource(src, out)
        except ImportError as exc:  # pragma: no cover - fontTools is a declared dependency
            raise FontError(f"cần fontTools / fontTools is required: {exc}") from exc
        return out
    for d in _CROSCORE_DIRS:
        if all((d / name).is_file() for name in _CROSCORE.values()):
            return d
    raise FontError(
        "Không tìm thấy phông Tinos: chạy `npm ci` (gói @fontsource/tinos) hoặc cài fonts-croscore.\n"
        "Tinos font not found: run `npm ci` (package @fontsource/tinos) or install fonts-croscore."
    )
