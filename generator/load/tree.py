"""Which files of a registry folder are read, and a located diagnostic for every one that is not.

The registry comes from pull requests, so its file tree is untrusted too. A symbolic link could
point at `/etc/shadow`, and whatever a file holds may end up quoted in a diagnostic (and so in a
public CI log). So the tree is walked without following any link (`os.scandir` entries with
`follow_symlinks=False`), and a link is reported by name only: its target is never opened,
resolved or printed. The loader opens files with `O_NOFOLLOW` as well, for a link swapped in
after this walk.

Only these files are read:

    registry/initiatives/<year>/<id>.yml    one initiative record each
    registry/agencies/<id>.yml              one agency each
    registry/taxonomy/fields.yml            the list of fields

A file that looks meant for the registry but would be skipped — `.yaml` or `.YML`, a `.yml`
folder, a `.yml` file in another folder, a link — gets a diagnostic at line 1, column 1 of its
path, so that nothing a contributor wrote disappears without a word. Names starting with `.`
(editor lock and swap files, `.gitkeep`) are not registry content and are passed over.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, T

# (st_mtime_ns, st_size, st_ino): what tells an edited file from an untouched one.
Stamp = tuple[int, int, int]

_ID_NAME = re.compile(r"([A-Z]{2,6})-([0-9]{4})-([0-9]{4})\Z")


@dataclass
class Listed:
    """One initiative file to read: its path, how it is shown, its name without `.yml`."""

    path: str
    display: str
    stem: str
    stamp: Stamp


@dataclass
class RegistryTree:
    """The files `check_registry` reads, and what the walk found wrong with the rest."""

    initiatives: list[Listed] = field(default_factory=list)
    agencies: list[Path] = field(default_factory=list)
    fields: Path | None = None  # None: absent, or present but refused (a link, a folder)
    fields_expected: Path = Path("registry/taxonomy/fields.yml")
    fields_refused: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _yaml_like(name: str) -> bool:
    low = name.lower()
    return low.endswith((".yml", ".yaml"))


def _fixed_name(name: str) -> str:
    """`X.yaml`, `X.YML`, `X.Yaml` -> `X.yml`."""
    stem, _dot, _ext = name.rpartition(".")
    return f"{stem}.yml"


def _display(path: str, root: str, shown_root: str) -> str:
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return shown_root if rel == "." else f"{shown_root}/{rel}"


def _is_within(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
    except ValueError:
        return False
    return True


def scan_registry(root: Path, project: Path, shown_root: str) -> RegistryTree:
    """Walk `root` (shown as `shown_root`) without following links; see the module docstring."""
    tree = RegistryTree(fields_expected=root / "taxonomy" / "fields.yml")
    diags = tree.diagnostics

    def report(code: str, path: str, **args: object) -> None:
        diags.append(Diagnostic(code, _display(path, str(root), shown_root), 1, 1, dict(args)))

    # The registry folder itself: a link, or a path that leads out of the project, is refused
    # whole (every file under it would be someone else's).
    if root.is_symlink() or not _is_within(root.resolve(), project.resolve()):
        what = (
            T(
                f"thư mục sổ đăng ký `{shown_root}` là một liên kết tượng trưng",
                f"the registry folder `{shown_root}` is a symbolic link",
            )
            if root.is_symlink()
            else T(
                f"thư mục sổ đăng ký `{shown_root}` nằm ngoài thư mục dự án",
                f"the registry folder `{shown_root}` is outside the project folder",
            )
        )
        diags.append(Diagnostic("SK012", shown_root, 1, 1, {"what": what}))
        tree.fields_refused = True
        return tree

    init_dir = os.path.join(str(root), "initiatives")
    agency_dir = os.path.join(str(root), "agencies")
    taxonomy_dir = os.path.join(str(root), "taxonomy")
    initiatives: list[tuple[tuple[str, str], Listed]] = []

    # An explicit stack instead of os.walk: os.walk would list a link to a folder as a folder.
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                dangling = not os.path.exists(entry.path)
                what = (
                    T(
                        f"`{name}` là một liên kết tượng trưng (symlink) trỏ tới chỗ không tồn tại",
                        f"`{name}` is a symbolic link (symlink) to something that does not exist",
                    )
                    if dangling
                    else T(
                        f"`{name}` là một liên kết tượng trưng (symlink)",
                        f"`{name}` is a symbolic link (symlink)",
                    )
                )
                report("SK012", entry.path, what=what)
                if folder == taxonomy_dir and name == "fields.yml":
                    tree.fields_refused = True
                continue
            if stat.S_ISDIR(st.st_mode):
                if _yaml_like(name):
                    report("SK013", entry.path, name=name, what=T("một thư mục", "a folder"))
                    if folder == taxonomy_dir and name == "fields.yml":
                        tree.fields_refused = True
                    continue
                stack.append(entry.path)
                continue
            if not _yaml_like(name):
                continue
            if not stat.S_ISREG(st.st_mode):
                # A FIFO would block the reader forever; a device is never registry content.
                what = T(
                    "một tệp đặc biệt (FIFO, socket, thiết bị)",
                    "a special file (FIFO, socket, device)",
                )
                report("SK013", entry.path, name=name, what=what)
                continue
            if not name.endswith(".yml"):
                report("SK014", entry.path, name=name, fixed=_fixed_name(name))
                continue
            parent = os.path.dirname(entry.path)
            grand = os.path.dirname(parent)
            if grand == init_dir:
                year = os.path.basename(parent)
                key = (year, name)
                initiatives.append(
                    (
                        key,
                        Listed(
                            entry.path,
                            f"{shown_root}/initiatives/{year}/{name}",
                            name[:-4],
                            stamp_of(st),
                        ),
                    )
                )
            elif parent == agency_dir:
                tree.agencies.append(Path(entry.path))
            elif parent == taxonomy_dir and name == "fields.yml":
                tree.fields = Path(entry.path)
            elif _is_within(Path(entry.path), Path(root) / "attachments"):
                continue  # an attachment is a document, whatever its name
            else:
                report("SK015", entry.path, where=_where_instead(name, shown_root))
    initiatives.sort(key=lambda x: x[0])
    tree.initiatives = [listed for _key, listed in initiatives]
    tree.agencies.sort()
    return tree


def _where_instead(name: str, shown_root: str) -> T:
    """Where a misplaced `.yml` file belongs, as precisely as its name allows."""
    m = _ID_NAME.match(name[:-4])
    if m:
        target = f"{shown_root}/initiatives/{m.group(2)}/{name}"
        return T(f"chuyển tới `{target}`", f"move it to `{target}`")
    if name == "fields.yml":
        target = f"{shown_root}/taxonomy/fields.yml"
        return T(f"chuyển tới `{target}`", f"move it to `{target}`")
    return T(
        f"bản ghi sáng kiến để trong `{shown_root}/initiatives/<năm>/`, cơ quan trong `{shown_root}/agencies/`",
        f"initiative records go in `{shown_root}/initiatives/<year>/`, agencies in `{shown_root}/agencies/`",
    )
