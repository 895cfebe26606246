"""The files a record page links to in its attachments folder are published with the site.

A scratch copy of the bundled project gets one record with a PNG in
`registry/attachments/<id>/`, linked from `attachments[].path` and shown as a prose image,
another attached file whose name needs quoting, and a file nobody links to. After
`sangkien build`, every link and image of the page must lead to a file of the site with
the same bytes, mode 0644; the unlinked file stays out.

The publisher itself (generator/site/attachments.py) is then given what `validate` would
refuse (symbolic links to files inside and outside the folder, a linked folder, a FIFO, a
file over the size limit, `..`, an unknown record): none of it reaches the site.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from generator.model import Attachment
from generator.site import attachments


def _png(tag: bytes) -> bytes:
    """A valid 1x1 PNG whose bytes carry `tag` (in a text chunk), to tell files apart."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"tEXt", b"Comment\x00" + tag)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


DIAGRAM = _png(b"so-do-quy-trinh")
TABLE = _png(b"bang-so-lieu")
UNLINKED = b"ghi chu noi bo, khong lien ket / internal note, not linked\n"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "img" and values.get("src"):
            self.srcs.append(values["src"] or "")


def _in_site(site: Path, page_url: str, link: str) -> Path:
    """The file of `site` a link of the page at `page_url` (site-relative, `a/b/`) leads to."""
    url = urljoin("http://site.invalid/" + page_url, link)
    path = unquote(urlsplit(url).path).lstrip("/")
    return site / path


@pytest.fixture(scope="module")
def attached_site(
    tmp_path_factory: pytest.TempPathFactory, make_registry, build_site
) -> tuple[Path, Path, str]:
    project = make_registry(tmp_path_factory.mktemp("attach"))
    path = sorted((project / "registry" / "initiatives").rglob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rid = data["id"]
    folder = project / "registry" / "attachments" / rid
    folder.mkdir(parents=True)
    (folder / "so-do.png").write_bytes(DIAGRAM)
    (folder / "bảng #1.png").write_bytes(TABLE)
    (folder / "ghi-chu.txt").write_bytes(UNLINKED)
    for f in folder.iterdir():
        f.chmod(0o600)  # the site's copy must be readable by a web server all the same
    base = f"registry/attachments/{rid}"
    data["attachments"] = [
        {"title": "Sơ đồ quy trình", "kind": "khac", "path": f"{base}/so-do.png"},
        {"title": "Bảng số liệu", "kind": "khac", "path": f"{base}/bảng #1.png"},
    ]
    data["solution"] = f"{data.get('solution') or ''}\n\n![Sơ đồ quy trình]({base}/so-do.png)\n"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = project / "site-out"
    old = os.umask(0o022)
    try:
        proc = build_site(project, site, documents=False)
    finally:
        os.umask(old)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project, site, rid


def _page(site: Path, rid: str) -> tuple[str, _Links]:
    page_url = f"sang-kien/{rid.lower()}/"
    parser = _Links()
    parser.feed((site / page_url / "index.html").read_text(encoding="utf-8"))
    return page_url, parser


def test_attached_files_and_prose_images_resolve_to_the_same_bytes(
    attached_site: tuple[Path, Path, str],
) -> None:
    project, site, rid = attached_site
    page_url, links = _page(site, rid)
    folder = project / "registry" / "attachments" / rid
    linked = {
        link: _in_site(site, page_url, link)
        for link in links.hrefs + links.srcs
        if f"attachments/{rid}/" in unquote(link)
    }
    images = [s for s in links.srcs if s in linked]
    assert len(images) == 1, links.srcs  # the prose image
    targets = {p.name: p for p in linked.values()}
    assert set(targets) == {"so-do.png", "bảng #1.png"}, linked
    for link, target in linked.items():
        assert target.is_file() and not target.is_symlink(), f"{link} -> {target} is missing"
        assert target.read_bytes() == (folder / target.name).read_bytes(), link
        assert stat.S_IMODE(target.stat().st_mode) == 0o644, link
        assert target.resolve().is_relative_to(site.resolve())


def test_a_file_no_page_links_to_is_not_published(attached_site: tuple[Path, Path, str]) -> None:
    _project, site, rid = attached_site
    published = site / "registry" / "attachments" / rid
    assert sorted(p.name for p in published.iterdir()) == ["bảng #1.png", "so-do.png"]
    assert not (published / "ghi-chu.txt").exists()


# ---- the publisher, given what validate refuses ---------------------------------------------
@pytest.fixture
def hostile(tmp_path: Path, loaded) -> tuple[object, Path, Path, str]:
    registry, _settings = loaded
    ini = next(iter(registry.initiatives.values()))
    rid = ini.id
    project = tmp_path / "project"
    folder = project / "registry" / "attachments" / rid
    folder.mkdir(parents=True)
    secret_inside = _png(b"SECRET-INSIDE-unlinked")
    secret_outside = _png(b"SECRET-OUTSIDE-the-project")
    (folder / "so-do.png").write_bytes(DIAGRAM)
    (folder / "an.png").write_bytes(secret_inside)
    (folder / "ghi-chu.txt").write_bytes(UNLINKED)
    (folder / "lon.png").write_bytes(DIAGRAM + b"\x00" * 100)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "bi-mat.png").write_bytes(secret_outside)
    os.symlink(folder / "an.png", folder / "lien-ket.png")  # inside: validate's realpath passes
    os.symlink(outside / "bi-mat.png", folder / "ra-ngoai.png")
    os.symlink(outside, folder / "thu-muc")  # a linked folder
    os.mkfifo(folder / "fifo.png")
    other = project / "registry" / "attachments" / "ZZZ-2099-0001"
    other.mkdir()
    (other / "x.png").write_bytes(secret_inside)
    base = f"registry/attachments/{rid}"
    paths = [
        "so-do.png",
        "lien-ket.png",
        "ra-ngoai.png",
        "thu-muc/bi-mat.png",
        "fifo.png",
        "lon.png",
        "../ZZZ-2099-0001/x.png",
        "./so-do.png",
    ]
    atts = tuple(Attachment(title=p, kind="khac", path=f"{base}/{p}") for p in paths)
    atts += (Attachment(title="lạ", kind="khac", path="registry/attachments/ZZZ-2099-0001/x.png"),)
    raw = dict(ini.raw)
    raw["solution"] = f"![a]({base}/lien-ket.png) ![b]({base}/so-do.png)"
    changed = dataclasses.replace(ini, attachments=atts, raw=raw)
    reg = dataclasses.replace(registry, initiatives={**registry.initiatives, rid: changed})
    site = tmp_path / "site"
    site.mkdir()
    return reg, project, site, rid


def test_the_publisher_copies_only_regular_linked_files(hostile) -> None:
    reg, project, site, rid = hostile
    limit = len(DIAGRAM) + 10
    written, skipped = attachments.publish(reg, project, site, limit)
    assert written == [f"registry/attachments/{rid}/so-do.png"]
    assert (site / written[0]).read_bytes() == DIAGRAM
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in skipped}
    for name in ("lien-ket.png", "ra-ngoai.png", "fifo.png", "bi-mat.png", "lon.png", "x.png"):
        assert name in reasons, (name, reasons)
    assert "limit" in reasons["lon.png"]
    files = [p for p in site.rglob("*") if p.is_file() or p.is_symlink()]
    assert [p.relative_to(site).as_posix() for p in files] == written
    assert not any(p.is_symlink() for p in site.rglob("*"))


def test_no_byte_of_a_linked_file_reaches_the_site(hostile) -> None:
    reg, project, site, _rid = hostile
    attachments.publish(reg, project, site, 10_000_000)
    for p in site.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert b"SECRET-" not in data, p
            assert UNLINKED not in data, p


def test_a_preview_rebuild_copies_only_what_changed(hostile) -> None:
    reg, project, site, rid = hostile
    seen: dict = {}
    limit = len(DIAGRAM) + 10
    first, _ = attachments.publish(reg, project, site, limit, previous=seen)
    assert first == [f"registry/attachments/{rid}/so-do.png"]
    again, _ = attachments.publish(reg, project, site, limit, previous=seen)
    assert again == []
    src = project / first[0]
    src.write_bytes(TABLE)
    os.utime(src, ns=(1, 1))
    third, _ = attachments.publish(reg, project, site, limit, previous=seen)
    assert third == first and (site / first[0]).read_bytes() == TABLE
    # Replaced by a link to a file nobody links to: refused, and the earlier copy goes.
    src.unlink()
    os.symlink(project / first[0].replace("so-do.png", "an.png"), src)
    fourth, skipped = attachments.publish(reg, project, site, limit, previous=seen)
    assert fourth == [] and any(s.path == first[0] for s in skipped)
    assert not (site / first[0]).exists()


def test_the_publisher_never_writes_into_the_registry(hostile) -> None:
    reg, project, _site, _rid = hostile
    written, skipped = attachments.publish(
        reg, project, project, 10_000_000, protect=(project / "registry",)
    )
    assert written == [] and skipped
    assert (project / "registry" / "attachments").is_dir()
