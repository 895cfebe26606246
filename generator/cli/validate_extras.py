"""The contributor-workflow flags of `sangkien validate` (kept apart from the core command).

`--changed-since REF --summary-md FILE` writes the Vietnamese pull-request summary;
`--check-links [--links-report FILE]` fetches every external address cited by the records.
Neither changes the exit status of validation: they add reports for CI to post.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator import fsio
from generator.cli import UsageError
from generator.cli.common import protected_folders
from generator.config import Settings

if TYPE_CHECKING:
    from generator.validate.check import CheckResult


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cho người đóng góp và CI / for contributors and CI")
    g.add_argument(
        "--changed-since",
        metavar="REF",
        help="so sánh với nhánh/commit git này / compare with this git ref (e.g. origin/main)",
    )
    g.add_argument(
        "--summary-md",
        metavar="FILE",
        help="ghi tóm tắt thay đổi (Markdown, tiếng Việt) / write the change summary (needs --changed-since)",
    )
    g.add_argument(
        "--check-links",
        action="store_true",
        help="kiểm tra liên kết ngoài / check external links (network)",
    )
    g.add_argument(
        "--links-report",
        metavar="FILE",
        help="ghi danh sách liên kết hỏng; không có liên kết hỏng thì xoá tệp / write broken links; removed when none",
    )
    g.add_argument(
        "--links-timeout",
        type=float,
        default=10.0,
        metavar="GIÂY",
        help="thời gian chờ mỗi liên kết / timeout per link in seconds (mặc định / default: 10)",
    )


def check_usage(args: argparse.Namespace) -> None:
    """Reject impossible combinations before any work is done."""
    if args.summary_md and not args.changed_since:
        raise UsageError("--summary-md cần --changed-since REF / needs --changed-since REF")
    if args.links_report and not args.check_links:
        raise UsageError("--links-report cần --check-links / needs --check-links")


def needs_model(args: argparse.Namespace) -> bool:
    """Whether the typed records are needed (titles for the summary, texts for the links)."""
    return bool(args.changed_since or args.check_links)


def run(args: argparse.Namespace, settings: Settings, result: CheckResult) -> None:
    # Imported here: plain `sangkien validate` runs on every commit and pull request and
    # should not pay for the link checker's and the summary's imports.
    from generator.contrib.links import check_links, collect_links, links_report
    from generator.contrib.summary import (
        STATUS_LABEL,
        GitError,
        changed_initiatives,
        summary_markdown,
        write_text_atomic,
    )

    """Write the reports asked for; progress goes to stderr so stdout stays the validation report."""
    # These reports are rewritten at every CI run (so no --force), but never over a link
    # or a device, and never into the project's sources. Checked before the work.
    for option, output in (
        ("--summary-md", args.summary_md),
        ("--links-report", args.links_report),
    ):
        if output:
            try:
                fsio.check_target(output, force=True, protect=protected_folders(settings))
            except fsio.WriteRefused as exc:
                raise UsageError(f"{option}: {exc}") from None
    if args.changed_since:
        try:
            changes = changed_initiatives(settings, args.changed_since)
        except GitError as exc:
            raise UsageError(f"--changed-since {args.changed_since}: {exc}") from exc
        text = summary_markdown(settings, result, changes, args.changed_since)
        if args.summary_md:
            write_text_atomic(Path(args.summary_md), text)
        for c in changes:
            sys.stderr.write(f"{STATUS_LABEL[c.status]}: {c.path}\n")
    if args.check_links:
        links = collect_links(result.registry)
        if args.paths:
            # Validating some files only: check only the addresses those files cite.
            wanted = {Path(p).resolve() for p in args.paths}
            project = Path(settings.project_dir)

            def chosen(source: str) -> bool:
                path = (project / source).resolve()
                return any(path == w or w in path.parents for w in wanted)

            links = {url: [s for s in files if chosen(s)] for url, files in links.items()}
            links = {url: files for url, files in links.items() if files}
        results = check_links(links, timeout=args.links_timeout)
        broken = [r for r in results if not r.ok]
        for r in broken:
            sys.stdout.write(f"{r.sources[0]}: liên kết hỏng / broken link: {r.url} ({r.status})\n")
        sys.stdout.write(
            f"{len(results)} liên kết, {len(broken)} hỏng / {len(results)} links, {len(broken)} broken.\n"
        )
        if args.links_report:
            report = Path(args.links_report)
            if broken:
                write_text_atomic(report, links_report(results))
            elif report.is_file() and not report.is_symlink():
                report.unlink()
