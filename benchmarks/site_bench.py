"""Benchmark of the site build: synthetic registries, full build, one-record rebuild, baseline.

    .venv/bin/python benchmarks/site_bench.py [--counts 1000 10000] [--documents] [--keep DIR]
                                              [--serve-only] [--registry DIR] [--rebuilds N]

For each count it writes a synthetic registry (benchmarks/synth.py) into a scratch project,
then measures:

* full build: `sangkien build` (strict, search indexing included when
  generator/site/search.py exists), wall time and peak RSS (/usr/bin/time -v; the largest
  single process, validation workers included);
* total site size, number of HTML pages, the largest page;
* rebuild of one edited initiative under `sangkien serve`: start the server on a free
  loopback port, wait for the first build, change one record's title, poll the page until
  the new title appears (`--rebuilds N`: N edits in a row, a few seconds apart);
* baseline: `mkdocs build` of a plain mkdocs-material site with the same pages written out
  as hand-written Markdown files (same count, same sizes, same Markdown extensions), a
  small nav and no plugins, in the same run. Where our pages carry HTML blocks (tables,
  lists of records), the plain pages carry the Markdown a person would write for them
  (pipe tables, lists, links to `.md` files), converted by pandoc.

Documents (DOCX/PDF for every record) are off unless --documents: they are measured by
their own benchmark and would dominate the figures. `--serve-only` measures only the serve
rebuild; `--registry DIR` copies an existing registry (one `--counts` value) instead of
generating one, e.g. a 10,000-record one written earlier by synth.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import generate  # noqa: E402

PY = sys.executable


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB, CPU seconds user+system).

    CPU time is reported next to wall time because a shared machine's wall time includes
    waiting for other people's processes.
    """
    wrapped = ["/usr/bin/time", "-v", *cmd] if Path("/usr/bin/time").exists() else cmd
    start = time.perf_counter()
    proc = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    cpu = sum(
        float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr)
    )
    return wall, int(m.group(1)) // 1024 if m else -1, round(cpu, 1)


def site_stats(site: Path) -> dict[str, object]:
    total = 0
    pages = 0
    largest = (0, "")
    for p in site.rglob("*"):
        if p.is_file():
            size = p.stat().st_size
            total += size
            if p.suffix == ".html":
                pages += 1
                if size > largest[0]:
                    largest = (size, p.relative_to(site).as_posix())
    return {
        "site_mb": round(total / 1e6, 1),
        "html_pages": pages,
        "largest_page_kb": round(largest[0] / 1024, 1),
        "largest_page": largest[1],
    }


def make_project(work: Path, count: int, seed: int, registry: Path | None = None) -> Path:
    project = work / f"project-{count}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    if registry is not None:
        shutil.copytree(registry, project / "registry")
    else:
        generate(project / "registry", count, seed)
        # Dated an hour back, like a checkout's files: `sangkien serve` checks again any file
        # changed in the last seconds before a build, which would fall on the first rebuild.
        old = time.time() - 3600
        for path in (project / "registry").rglob("*"):
            os.utime(path, (old, old))
    shutil.copytree(ROOT / "schema", project / "schema")
    shutil.copytree(ROOT / "docs", project / "docs")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace(
        "custom_dir: generator/site/overrides",
        f"custom_dir: {(ROOT / 'generator/site/overrides').as_posix()}",
    )
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    if (ROOT / "node_modules").is_dir():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


# Pandoc reads this many HTML blocks per run (a run over all of them at 10,000 records
# would hold about 50 MB of HTML at once).
BLOCKS_PER_RUN = 2000
_SPLIT = "SKSPLITBLOCK"
# A hand-written heading has neither: the plain site's `toc` extension adds both.
_HEADERLINK = re.compile(r'<a class="headerlink" [^>]*>&para;</a>')
_HEADING_ID = re.compile(r'(<h[1-6]) id="[^"]*"')
_MD_LINK = re.compile(r"\]\(((?:\.\./)*[a-z0-9/-]+/)\)")


def blocks_as_markdown(
    blocks: dict[str, tuple[str, ...]], uris: dict[str, str]
) -> dict[tuple[str, int], str]:
    """Every page's HTML blocks (tables, lists of links; a record page's whole article) as
    the Markdown a person would write: headings, pipe tables, lists, and links to the `.md`
    files (which MkDocs checks and rewrites) instead of served URLs. Written by pandoc; the
    headings' permalinks are left to the plain site's `toc` extension, as in a hand-written
    page."""
    import posixpath

    import pypandoc

    from generator.render.common import md_link, url_dir

    keys = [(uri, n) for uri, page_blocks in blocks.items() for n in range(len(page_blocks))]
    html = [
        _HEADING_ID.sub(r"\1", _HEADERLINK.sub("", b))
        for page_blocks in blocks.values()
        for b in page_blocks
    ]
    out: dict[tuple[str, int], str] = {}
    for start in range(0, len(html), BLOCKS_PER_RUN):
        chunk = html[start : start + BLOCKS_PER_RUN]
        text = pypandoc.convert_text(
            f"\n<p>{_SPLIT}</p>\n".join(chunk),
            "gfm",
            format="html",
            extra_args=["--wrap=none"],
        )
        parts = text.split(f"\n{_SPLIT}\n")
        if len(parts) != len(chunk):
            raise SystemExit(f"pandoc gave {len(parts)} blocks for {len(chunk)}")
        for key, md in zip(keys[start : start + BLOCKS_PER_RUN], parts, strict=True):

            def to_md(m: re.Match[str], uri: str = key[0]) -> str:
                target = posixpath.normpath(posixpath.join(url_dir(uri), m.group(1))) + "/"
                dest = uris.get(target)
                return f"]({md_link(uri, dest)})" if dest else m.group(0)

            out[key] = _MD_LINK.sub(to_md, md.strip("\n"))
    return out


def make_plain(work: Path, project: Path, count: int) -> Path:
    """A plain Material site with the same generated pages as hand-written Markdown files.

    The pages' HTML blocks (which our build keeps away from Python-Markdown) are written
    as the Markdown a person would write instead (`blocks_as_markdown`), so the plain site
    pays for parsing its tables and links, as a hand-written site does.
    """
    from generator.config import load_settings
    from generator.render.common import url_dir
    from generator.render.pages import PAGE_PROVIDERS, fill_blocks, resolve
    from generator.validate.check import check_registry

    plain = work / f"plain-{count}"
    if plain.exists():
        shutil.rmtree(plain)
    docs = plain / "docs"
    shutil.copytree(project / "docs", docs)
    settings = load_settings(project)
    registry = check_registry(settings).registry
    pages = [page for provider in resolve(PAGE_PROVIDERS) for page in provider(registry, settings)]
    uris = {url_dir(p.uri): p.uri for p in pages}
    uris.update(
        {
            url_dir(p.relative_to(docs).as_posix()): p.relative_to(docs).as_posix()
            for p in docs.rglob("*.md")
        }
    )
    articles = {p.uri: p.html_blocks() for p in pages}
    converted = blocks_as_markdown(articles, uris)
    for page in pages:
        path = docs / page.uri
        if not path.exists():
            blocks = tuple(converted[(page.uri, n)] for n in range(len(articles[page.uri])))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(fill_blocks(page.markdown, blocks), encoding="utf-8")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    ext = text[text.index("markdown_extensions:") : text.index("extra_css:")]
    # The same small nav as ours (sections only), so the difference is the plugin's work.
    nav = text[text.index("\nnav:\n") + 1 : text.index("\nplugins:")]
    (plain / "mkdocs.yml").write_text(
        "site_name: Plain\nsite_url: https://example.org/\ntheme:\n  name: material\n  language: vi\n"
        "  font: false\nplugins: []\nvalidation:\n  nav:\n    not_found: info\n  links:\n"
        "    not_found: info\n    unrecognized_links: info\n" + nav + "\n" + ext,
        encoding="utf-8",
    )
    return plain


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def proc_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its waited-for children (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(x) for x in fields[11:15]) / ticks


def serve_rebuild(project: Path, timeout: float = 1800, rebuilds: int = 1) -> dict[str, object]:
    """Seconds from saving one edited YAML to the served page showing the change.

    With `rebuilds` > 1 the record is edited again after each rebuild (a few seconds apart,
    as someone editing would); the first figures stay the headline ones and every run is
    listed in `serve_rebuild_runs` as (wall s, CPU s).
    """
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in `finally`, after the server
    proc = subprocess.Popen(
        [PY, "-m", "generator", "serve", "--no-documents", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        record = sorted((project / "registry" / "initiatives").rglob("*.yml"))[
            len(list((project / "registry" / "initiatives").rglob("*.yml"))) // 2
        ]
        slug = record.stem.lower()
        url = f"http://127.0.0.1:{port}/sangkien/sang-kien/{slug}/"
        start = time.perf_counter()
        while (page := fetch(url)) is None:
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                log.seek(0)
                raise SystemExit("serve did not start:\n" + log.read().decode()[-3000:])
            time.sleep(0.5)
        first = time.perf_counter() - start
        original = record.read_text(encoding="utf-8")
        runs: list[tuple[float, float]] = []
        for n in range(rebuilds):
            time.sleep(3 if n else 2)  # let the watcher settle
            marker = f"ĐÃ SỬA {n} {int(time.time())}"
            text = re.sub(
                r"^title: (.*)$",
                lambda m, marker=marker: f"title: {m.group(1)} {marker}",
                original,
                count=1,
                flags=re.M,
            )
            cpu0 = proc_cpu(proc.pid)
            record.write_text(text, encoding="utf-8")
            t0 = time.perf_counter()
            while True:
                page = fetch(url) or ""
                if marker in page:
                    break
                if time.perf_counter() - t0 > timeout:
                    raise SystemExit("the edited page never changed")
                time.sleep(0.1)
            runs.append((round(time.perf_counter() - t0, 2), round(proc_cpu(proc.pid) - cpu0, 2)))
        record.write_text(original, encoding="utf-8")
        out: dict[str, object] = {
            "serve_first_build_s": round(first, 1),
            "serve_rebuild_one_record_s": runs[0][0],
            "serve_rebuild_cpu_s": runs[0][1],
        }
        if rebuilds > 1:
            out["serve_rebuild_runs"] = runs
        return out
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()


class _Out(dict):  # type: ignore[type-arg]
    """A result dict that prints each figure as soon as it is measured (long runs)."""

    def update(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        super().update(*args, **kwargs)
        print("  partial:", json.dumps(self, ensure_ascii=False), flush=True)


def bench(
    count: int,
    work: Path,
    seed: int,
    documents: bool,
    *,
    serve_only: bool = False,
    registry: Path | None = None,
    rebuilds: int = 1,
) -> dict[str, object]:
    out: dict[str, object] = _Out(initiatives=count)
    t = time.perf_counter()
    project = make_project(work, count, seed, registry)
    out["synth_s"] = round(time.perf_counter() - t, 1)
    if serve_only:
        out.update(serve_rebuild(project, rebuilds=rebuilds))
        return out
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    args = [PY, "-m", "generator", "build", "-q", "--site-dir", str(work / f"site-{count}")]
    if not documents:
        args.append("--no-documents")
    wall, rss, cpu = timed(args, project, env)
    out.update({"build_s": round(wall, 1), "build_cpu_s": cpu, "build_peak_rss_mb": rss})
    out.update(site_stats(work / f"site-{count}"))
    plain = make_plain(work, project, count)
    wall, rss, cpu = timed(
        [PY, "-m", "mkdocs", "build", "-q", "-d", str(work / f"plain-site-{count}")], plain, env
    )
    out.update(
        {
            "plain_build_s": round(wall, 1),
            "plain_cpu_s": cpu,
            "plain_peak_rss_mb": rss,
            "ratio_to_plain_wall": round(float(out["build_s"]) / wall, 2),
            "ratio_to_plain_cpu": round(float(out["build_cpu_s"]) / cpu, 2) if cpu else None,
        }
    )
    out.update(serve_rebuild(project, rebuilds=rebuilds))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--documents", action="store_true", help="also build DOCX/PDF documents")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    ap.add_argument("--serve-only", action="store_true", help="measure only the serve rebuild")
    ap.add_argument(
        "--registry", type=Path, help="copy this registry instead of generating one (one count)"
    )
    ap.add_argument("--rebuilds", type=int, default=1, help="edits in a row under serve")
    args = ap.parse_args()
    if args.registry is not None and len(args.counts) != 1:
        ap.error("--registry goes with exactly one --counts value")
    work = args.keep or Path(tempfile.mkdtemp(prefix="sangkien-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    try:
        for count in args.counts:
            result = bench(
                count,
                work,
                args.seed,
                args.documents,
                serve_only=args.serve_only,
                registry=args.registry,
                rebuilds=args.rebuilds,
            )
            print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
