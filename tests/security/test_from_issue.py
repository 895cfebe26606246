"""`sangkien from-issue` on hostile issue bodies (issue 11, item 8 and part of 13).

An issue body is untrusted: anyone can open an issue, hide text in HTML comments, type
headings and YAML syntax into fields or paste control characters. Each test writes a body as
GitHub renders our form, runs the command as a maintainer would, and checks what they see:
the exit status, the located diagnostic lines, and the record on disk, read back with the
project's strict loader and compared with what was typed, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.contrib.issue import CONSENT_TEXT, form_sections
from generator.contrib.record import initiative_schema, load_choices
from generator.load.yamlstrict import read_file

RunCli = Callable[..., tuple[int, str, str]]

# What a contributor typed, by form field id; dropdowns as GitHub renders the chosen options.
TYPED: dict[str, str] = {
    "title": "Sổ tay điện tử hướng dẫn thủ tục đất đai cho người dân",
    "year": "2025",
    "title_en": "",
    "agency": "UBND xã Bình Sơn [ubnd-xa-binh-son]",
    "agency_name_at_time": "",
    "solution_types": "Giải pháp tác nghiệp [tac-nghiep]",
    "fields": "Tư pháp - hộ tịch [tu-phap-ho-tich]",
    "authors": "Phạm Thị Hoa, Công chức Địa chính - Xây dựng",
    "first_applied": "2025-04-01",
    "summary": "Sổ tay trên điện thoại chỉ từng bước của 12 thủ tục đất đai thường gặp.",
    "problem": "Người dân phải hỏi nhiều lần mới đủ giấy tờ.",
    "solution": "1. Soạn sổ tay.\n2. Đăng lên trang của xã.",
    "novelty": "",
    "conditions": "",
    "benefits": "",
}


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    """Form field id -> the heading GitHub renders, from the same list that makes the form."""
    settings = load_settings(Path(__file__).resolve().parents[2])
    sections = form_sections(initiative_schema(settings), load_choices(settings), settings)
    return {f.id: f.label for f in sections}


@pytest.fixture
def project(tmp_path: Path, make_registry: Callable[[Path], Path]) -> Path:
    return make_registry(tmp_path)


def render_body(labels: dict[str, str], consent: str = "X", **typed: str) -> str:
    """The Markdown GitHub makes of a submitted form: `### label`, blank line, value."""
    values = {**TYPED, **typed}
    parts = [f"### {labels[fid]}\n\n{values[fid] or '_No response_'}" for fid in TYPED]
    parts.append(f"### {labels['consent']}\n\n- [{consent}] {CONSENT_TEXT}")
    return "\n\n".join(parts) + "\n"


def all_files(project: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}


def run_body(run_cli: RunCli, project: Path, body: str, *extra: str) -> tuple[int, str, str]:
    path = project.parent / "issue.md"
    path.write_bytes(body.encode("utf-8"))
    return run_cli("from-issue", str(path), *extra, cwd=project)


def written(project: Path, out: str) -> dict:
    """The record just written, read back by the strict loader `validate` uses."""
    doc = read_file(project / out.strip())
    assert doc.ok, doc.diagnostics
    return doc.data


def line_of(body: str, needle: str) -> int:
    return body[: body.index(needle)].count("\n") + 1


def diag_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if re.match(r"^.+:\d+:\d+: SK\d+ ", ln)]


def refused(run_cli: RunCli, project: Path, body: str) -> str:
    """Run on a body that must be refused: exit 1, nothing written anywhere; the stderr."""
    before = all_files(project)
    code, out, err = run_body(run_cli, project, body)
    assert code == 1, err
    assert out == ""
    assert "nothing written" in err
    assert all_files(project) == before
    return err


# ---- headings ----------------------------------------------------------------------------------
def test_heading_typed_inside_a_text_stays_in_that_text(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    # A later section's heading, an unknown heading and an indented copy of the next one, all
    # typed inside "problem": GitHub shows them inside that field, and so must the record.
    problem = (
        "Trước khi có sổ tay:\n\n"
        f"### {labels['benefits']}\n\n"
        "người dân đi lại nhiều lần.\n"
        "### Kết quả khảo sát\n"
        f"  ### {labels['solution']}\n"
        "còn tiếp"
    )
    code, out, err = run_body(run_cli, project, render_body(labels, problem=problem))
    assert code == 0, err
    data = written(project, out)
    assert data["problem"] == problem + "\n"
    assert data["solution"] == TYPED["solution"] + "\n"
    assert data["benefits"] == ""


def test_visible_repeated_section_is_an_error_at_its_line(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    summary = f"Tóm tắt thật.\n\n### {labels['title']}\n\nTên sáng kiến giả mạo thay tên thật"
    body = render_body(labels, summary=summary)
    err = refused(run_cli, project, body)
    line = body.index(f"### {labels['title']}", 10)
    expected = body[:line].count("\n") + 1
    assert (
        f"issue.md:{expected}:1: SK442 error: mục `### {labels['title']}` xuất hiện lần nữa (lần đầu ở dòng 1)"
        in err
    )


def test_section_hidden_in_a_comment_does_not_override_the_visible_one(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    # GitHub does not display comments; before the fix, these copies replaced the visible
    # title and agency.
    hidden = (
        "Tóm tắt hiển thị <!-- chú thích trong dòng --> tiếp tục.\n"
        "<!--\n"
        f"### {labels['title']}\n\nTên giả mạo trong chú thích\n\n"
        f"### {labels['agency']}\n\nSở Khoa học và Công nghệ [so-khcn]\n"
        "-->\n"
        "Đoạn cuối."
    )
    code, out, err = run_body(run_cli, project, render_body(labels, summary=hidden))
    assert code == 0, err
    data = written(project, out)
    assert data["title"] == TYPED["title"]
    assert data["agency"] == "ubnd-xa-binh-son"
    assert data["summary"] == "Tóm tắt hiển thị  tiếp tục.\nĐoạn cuối.\n"
    text = (project / out.strip()).read_text(encoding="utf-8")
    assert "giả mạo" not in text and "so-khcn" not in text and "chú thích trong" not in text


def test_unclosed_comment_hides_the_rest_and_is_an_error(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = render_body(labels, summary="Tóm tắt.\n<!-- phần sau bị GitHub ẩn hết")
    err = refused(run_cli, project, body)
    assert diag_lines(err) == [
        f"{project.parent / 'issue.md'}:{line_of(body, '<!--')}:1: SK449 error: chú thích HTML "
        "`<!--` mở ở đây không có `-->`; GitHub ẩn mọi nội dung phía sau"
    ]


def test_comment_that_swallows_a_heading_names_it(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    # The comment opens in "summary" and closes in "problem": GitHub hides the heading between.
    body = render_body(labels, summary="Tóm tắt.\n<!-- ẩn", problem="vẫn ẩn -->\nhiện")
    err = refused(run_cli, project, body)
    [line] = diag_lines(err)
    assert f"SK441 error: thiếu mục `### {labels['problem']}`" in line
    assert f"chú thích HTML mở ở dòng {line_of(body, '<!--')}" in line


def test_missing_section_and_text_before_the_form_are_named(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = "Lời chào trước biểu mẫu\n\n" + render_body(labels).replace(
        f"### {labels['novelty']}\n\n_No response_\n\n", ""
    )
    err = refused(run_cli, project, body)
    shown = project.parent / "issue.md"
    assert diag_lines(err) == [
        f"{shown}:1:1: SK443 error: có nội dung trước mục đầu tiên, không thuộc mục nào của biểu mẫu",
        f"{shown}:{line_of(body, '### ' + labels['solution'])}:1: SK441 error: thiếu mục "
        f"`### {labels['novelty']}` (cần ngay sau mục `{labels['solution']}`)",
    ]


def test_section_added_after_the_consent_box_is_refused(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = render_body(labels) + "\n### Mục lạ thêm vào cuối\n\nabc\n"
    err = refused(run_cli, project, body)
    assert diag_lines(err) == [
        f"{project.parent / 'issue.md'}:{line_of(body, '### Mục lạ')}:1: SK443 error: có nội dung "
        "sau ô đồng ý ở cuối biểu mẫu, không thuộc mục nào của biểu mẫu"
    ]


# ---- YAML syntax typed into fields ---------------------------------------------------------------
HOSTILE_LINES = [
    "---",
    "...",
    "... rồi sao",
    ": mở đầu bằng hai chấm",
    "a: b",
    "# không phải chú thích",
    "x # y",
    "&anchor giá trị",
    "*alias",
    "!!python/object/apply:os.system ['id']",
    "- giống mục danh sách",
    "[1, 2]",
    "{a: b}",
    "'nháy đơn'",
    '"nháy kép" và \\ gạch chéo',
    "| khối",
    "> gấp",
    "? khoá",
    "%YAML 1.2",
    "@ và `",
    "null",
    "yes",
    "0x1F",
    "1e999",
    "2025-01-01",
    "tab\tở giữa",
]


@pytest.mark.parametrize("typed", HOSTILE_LINES)
def test_yaml_syntax_in_single_line_fields_reads_back_exactly(
    run_cli: RunCli, project: Path, labels: dict[str, str], typed: str
) -> None:
    body = render_body(
        labels,
        title=f"{typed} — sổ tay",
        title_en=typed,
        agency_name_at_time=f"{typed} UBND",
        authors=f"Phạm Thị Hoa, {typed}",
    )
    code, out, err = run_body(run_cli, project, body)
    assert code == 0, err
    data = written(project, out)
    assert data["title"] == f"{typed} — sổ tay"
    assert data["title_en"] == typed
    assert data["agency_name_at_time"] == f"{typed} UBND"
    # An author line is "name, position"; runs of spaces and tabs in it count as one space.
    assert data["authors"] == [{"name": "Phạm Thị Hoa", "position": " ".join(typed.split())}]


def test_yaml_syntax_in_texts_reads_back_exactly(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    problem = "   thụt lề ở dòng đầu\n---\n...\n- mục\n#tiêu đề\nkey: value\n&a *a !!str\ndòng có dấu cách cuối   "
    code, out, err = run_body(run_cli, project, render_body(labels, problem=problem))
    assert code == 0, err
    assert written(project, out)["problem"] == problem + "\n"
    code, out, _ = run_cli("fmt", "--check", out.strip(), cwd=project)
    assert code == 0, out


# ---- characters -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", "U+0000"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_control_characters_are_refused_where_they_are(
    run_cli: RunCli, project: Path, labels: dict[str, str], char: str, shown: str
) -> None:
    body = render_body(labels, title_en=f"Sổ tay{char}điện tử")
    err = refused(run_cli, project, body)
    line = line_of(body, char)
    assert f"issue.md:{line}:7: SK440 error: đề xuất chứa ký tự điều khiển {shown};" in err


def test_tab_and_crlf_are_ordinary(run_cli: RunCli, project: Path, labels: dict[str, str]) -> None:
    body = render_body(labels, problem="cột 1\tcột 2\nhàng 2").replace("\n", "\r\n")
    code, out, err = run_body(run_cli, project, body)
    assert code == 0, err
    assert written(project, out)["problem"] == "cột 1\tcột 2\nhàng 2\n"


# ---- consent and duplicates -----------------------------------------------------------------------
def test_unticked_consent_box_is_refused(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = render_body(labels, consent=" ")
    err = refused(run_cli, project, body)
    assert (
        f"issue.md:{line_of(body, '- [ ]')}:1: SK446 error: ô “{CONSENT_TEXT}” chưa được đánh dấu"
        in err
    )


def test_title_of_an_existing_record_is_refused_naming_its_file(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    existing = sorted((project / "registry" / "initiatives").glob("*/*.yml"))[3]
    title = read_file(existing).data["title"]
    # Same title once diacritics, case and spacing are folded away.
    typed = "  ".join(title.upper().replace("Đ", "D").replace("Ả", "A").replace("Ã", "A").split())
    body = render_body(labels, title=typed)
    err = refused(run_cli, project, body)
    rel = existing.relative_to(project).as_posix()
    assert (
        f"issue.md:{line_of(body, typed)}:1: SK447 error: tên sáng kiến trùng với {existing.stem} ({rel})"
        in err
    )
    code, out, err = run_body(run_cli, project, body, "--allow-duplicate")
    assert code == 0, err
    assert written(project, out)["title"] == typed


def test_every_problem_is_listed_at_once(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = render_body(
        labels,
        consent=" ",
        year="năm nay",
        agency="Không có [khong-co-co-quan]",
        title_en="a\x1bb",
        summary=f"x\n\n### {labels['year']}\n\n2020",
    )
    err = refused(run_cli, project, body)
    codes = sorted(ln.split(": ")[1].split()[0] for ln in diag_lines(err))
    assert codes == ["SK440", "SK442", "SK445", "SK445", "SK446"], err
    assert "5 lỗi, 0 cảnh báo" in err


def test_schema_problem_is_located_in_the_issue_and_nothing_is_written(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = render_body(labels, title="Ngắn")  # the schema wants at least 5 characters
    err = refused(run_cli, project, body)
    [line] = diag_lines(err)
    assert line == (
        f"{project.parent / 'issue.md'}:{line_of(body, 'Ngắn')}:1: SK448 error: mục `{labels['title']}`: "
        "tệp sinh ra sẽ không hợp lệ, không ghi: `title` cần ít nhất 5 ký tự, hiện có 4"
    )


def test_bad_usage_exits_2(run_cli: RunCli, project: Path) -> None:
    code, out, err = run_cli("from-issue", "khong-co-tep-nay.md", cwd=project)
    assert (code, out) == (2, "")
    assert "khong-co-tep-nay.md" in err
    code, _, _ = run_cli("from-issue", "--khong-co-tuy-chon", cwd=project)
    assert code == 2


def test_next_heading_typed_inside_a_text_is_ambiguous_and_refused(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    # Typed in "summary", the next section's heading cannot be told from GitHub's own one.
    summary = f"Tóm tắt.\n\n### {labels['problem']}\n\nđoạn gõ thêm"
    body = render_body(labels, summary=summary)
    err = refused(run_cli, project, body)
    typed_at = line_of(body, f"### {labels['problem']}")
    real_at = body[: body.rindex(f"### {labels['problem']}")].count("\n") + 1
    assert diag_lines(err) == [
        f"{project.parent / 'issue.md'}:{real_at}:1: SK442 error: mục `### {labels['problem']}` "
        f"xuất hiện lần nữa (lần đầu ở dòng {typed_at}); không biết lấy nội dung nào"
    ]


def test_body_that_is_not_utf8_is_bad_input(run_cli: RunCli, project: Path) -> None:
    path = project.parent / "issue.md"
    head = "### Tên sáng kiến\n\n".encode()
    path.write_bytes(head + b"\xff\xfe t\xean\n")
    before = all_files(project)
    code, out, err = run_cli("from-issue", str(path), cwd=project)
    assert (code, out) == (1, "")
    assert f"not UTF-8 (byte {len(head)})" in err
    assert all_files(project) == before


def test_comment_forms_github_hides_are_removed_from_a_field(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    # `<!-->` and `<!--->` close at once; `--!>` closes too; an inline `<!--` with no closer
    # in its paragraph is shown by GitHub as text, and kept.
    problem = "a<!-->b<!--->c<!-- x --!>d\ne <!-- không đóng\n\nf -->"
    code, out, err = run_body(run_cli, project, render_body(labels, problem=problem))
    assert code == 0, err
    assert written(project, out)["problem"] == "abcd\ne <!-- không đóng\n\nf -->\n"


def test_empty_required_section_is_named(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    body = render_body(labels, solution="")
    err = refused(run_cli, project, body)
    assert diag_lines(err) == [
        f"{project.parent / 'issue.md'}:{line_of(body, '### ' + labels['solution'])}:1: "
        f"SK444 error: mục `{labels['solution']}` là bắt buộc nhưng đang trống"
    ]


@pytest.mark.parametrize(
    ("field", "typed", "problem"),
    [
        ("year", "năm nay", "cần 4 chữ số, ví dụ 2025"),
        ("first_applied", "2025-02-30", "cần một ngày có thật, dạng dd/mm/yyyy hoặc YYYY-MM-DD"),
        ("agency", "Không có [khong-co]", "lựa chọn không có trong biểu mẫu: khong-co"),
        # An input field is one line on GitHub; a second line means the body was edited.
        ("title_en", "Dòng một\nDòng hai", "chỉ được một dòng"),
    ],
)
def test_unusable_value_is_located(
    run_cli: RunCli, project: Path, labels: dict[str, str], field: str, typed: str, problem: str
) -> None:
    body = render_body(labels, **{field: typed})
    err = refused(run_cli, project, body)
    line = line_of(body, typed.splitlines()[-1])
    assert diag_lines(err) == [
        f"{project.parent / 'issue.md'}:{line}:1: SK445 error: mục `{labels[field]}`: {problem}"
    ]


def test_first_applied_typed_dd_mm_yyyy_is_written_iso(
    run_cli: RunCli, project: Path, labels: dict[str, str]
) -> None:
    """People type dates as they write them (15/3/2025); the record keeps an ISO date."""
    code, out, err = run_body(run_cli, project, render_body(labels, first_applied="15/3/2025"))
    assert code == 0, err
    assert str(written(project, out)["first_applied"]) == "2025-03-15"
