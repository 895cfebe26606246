"""The Vietnamese pull-request summary: new, changed and removed initiatives and their problems.

`sangkien validate --changed-since REF --summary-md FILE` writes it; the PR workflow only posts
the file as a comment. Changes are read from git (committed since REF, plus uncommitted and
untracked files), so the same command gives the same summary on a contributor's machine.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator import fsio
from generator.config import Settings
from generator.diagnostics import Diagnostic
from generator.validate.check import CheckResult

MARKER = "<!-- sangkien-pr-summary -->"


class GitError(Exception):
    """git is missing, or the reference does not exist."""


@dataclass(frozen=True)
class Change:
    status: str  # "moi" (added) | "sua" (modified) | "xoa" (deleted)
    path: str  # project-relative


def _git(project: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=project, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("không tìm thấy lệnh git / git is not installed") from exc
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def changed_initiatives(settings: Settings, ref: str) -> list[Change]:
    """Initiative files added, modified or deleted since `ref` (working tree included)."""
    project = Path(settings.project_dir).resolve()
    top = Path(_git(project, "rev-parse", "--show-toplevel").strip()).resolve()
    _git(project, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    folder = (settings.registry_path / "initiatives").resolve()
    try:
        spec = folder.relative_to(top).as_posix()
    except ValueError as exc:
        raise GitError(f"{folder} không nằm trong kho git / is outside the git repository") from exc
    changes: dict[str, str] = {}
    out = _git(top, "diff", "--name-status", "--no-renames", "-z", ref, "--", spec)
    parts = [p for p in out.split("\0") if p]
    for status, path in zip(parts[::2], parts[1::2], strict=False):
        changes[path] = {"A": "moi", "D": "xoa"}.get(status[:1], "sua")
    for path in _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", spec).split(
        "\0"
    ):
        if path:
            changes[path] = "moi"
    result = []
    for path, status in sorted(changes.items()):
        if not path.endswith((".yml", ".yaml")):
            continue
        # The folders resolved, not the file: a link is shown (and reported) as itself.
        full = top / path
        rel = full.parent.resolve() / full.name
        try:
            shown = rel.relative_to(project).as_posix()
        except ValueError:
            shown = path
        result.append(Change(status, shown))
    return result


STATUS_LABEL = {"moi": "Mới", "sua": "Sửa", "xoa": "Xoá"}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def summary_markdown(
    settings: Settings, result: CheckResult, changes: list[Change], ref: str
) -> str:
    """The comment text: a table of the changed records, then every problem in them."""
    by_source = {i.source: i for i in result.registry.initiatives.values()}
    diags: dict[str, list[Diagnostic]] = {}
    for d in result.diagnostics:
        diags.setdefault(d.file, []).append(d)
    errors = sum(1 for c in changes for d in diags.get(c.path, []) if d.severity == "error")
    warnings = sum(1 for c in changes for d in diags.get(c.path, []) if d.severity == "warning")
    site = settings.site_url.rstrip("/")
    lines = [MARKER, "## Tóm tắt thay đổi sổ đăng ký sáng kiến", ""]
    if not changes:
        lines.append(f"Yêu cầu này không thay đổi tệp sáng kiến nào (so với `{ref}`).")
    else:
        counts = {s: sum(1 for c in changes if c.status == s) for s in STATUS_LABEL}
        lines.append(
            f"So với `{ref}`: **{counts['moi']}** sáng kiến mới, **{counts['sua']}** được sửa, "
            f"**{counts['xoa']}** bị xoá; **{errors}** lỗi, **{warnings}** cảnh báo."
        )
        lines += ["", "| | Mã | Tên sáng kiến | Kiểm tra |", "|---|---|---|---|"]
        for c in changes:
            init = by_source.get(c.path)
            rid = Path(c.path).stem
            title = (
                _cell(init.title)
                if init
                else ("—" if c.status == "xoa" else "*(chưa đọc được: có lỗi)*")
            )
            found = diags.get(c.path, [])
            n_err = sum(1 for d in found if d.severity == "error")
            n_warn = len(found) - n_err
            check = (
                "—"
                if c.status == "xoa"
                else (
                    "✅ đạt"
                    if not found
                    else f"❌ {n_err} lỗi, {n_warn} cảnh báo"
                    if n_err
                    else f"⚠️ {n_warn} cảnh báo"
                )
            )
            # Only records already published have a page to link to.
            link = (
                f"[{rid}]({site}/sang-kien/{rid.lower()}/)"
                if init and c.status == "sua"
                else f"`{rid}`"
            )
            lines.append(f"| {STATUS_LABEL[c.status]} | {link} | {title} | {check} |")
        problems = [(c, d) for c in changes for d in diags.get(c.path, [])]
        if problems:
            lines += ["", "### Lỗi và cảnh báo", ""]
            for c, d in problems:
                icon = "❌" if d.severity == "error" else "⚠️"
                lines.append(
                    f"- {icon} `{c.path}:{max(d.line, 1)}` {d.code}: {_cell(d.message('vi'))}"
                )
    others = sum(
        1
        for d in result.diagnostics
        if d.severity == "error" and d.file not in {c.path for c in changes}
    )
    if others:
        lines += ["", f"Ngoài ra sổ đăng ký còn {others} lỗi ở tệp khác (xem nhật ký kiểm tra)."]
    lines += [
        "",
        "<sub>Tạo bởi `sangkien validate --changed-since` · xem trang dựng thử trong mục Artifacts của lần chạy.</sub>",
        "",
    ]
    return "\n".join(lines)


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see half a file
    (generator.fsio: never over a link or a device)."""
    fsio.make_dirs(path.parent)
    fsio.write_text(path, text, force=True)
