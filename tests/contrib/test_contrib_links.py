"""`sangkien validate --check-links`: external addresses checked against a local server only."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest


class _Handler(http.server.BaseHTTPRequestHandler):
    """/ok answers 200, /head-refused refuses HEAD but serves GET, anything else is 404."""

    def _answer(self, with_body: bool) -> None:
        if self.path.startswith("/ok") or (
            self.path.startswith("/head-refused") and self.command == "GET"
        ):
            status = 200
        elif self.path.startswith("/head-refused"):
            status = 405
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cite(project: Path, run_cli, urls: dict[str, str]) -> str:
    """A new record citing `urls` as an attachment, the source and a Markdown link."""
    code, out, err = run_cli(
        "new", "--no-input", "--title", "Sáng kiến có liên kết ngoài", "--agency", "so-khcn",
        "--field", "chuyen-doi-so", "--type", "quan-ly", "--author", "Lê Văn Tâm", "--year", "2025",
        cwd=project,
    )  # fmt: skip
    assert code == 0, err
    path = project / out.strip()
    text = path.read_text(encoding="utf-8").replace(
        'problem: ""', f"problem: |\n  Xem [báo cáo]({urls['markdown']}) và {urls['bare']}."
    )
    text += (
        f"attachments:\n  - title: Bản mô tả\n    kind: ban-mo-ta\n    url: {urls['attachment']}\n"
    )
    text += f"provenance:\n  source: {urls['source']}\n"
    path.write_text(text, encoding="utf-8")
    return out.strip()


def test_broken_links_are_reported_with_their_files(project: Path, run_cli, server: str) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/gone"
    record = _cite(
        project,
        run_cli,
        {
            "markdown": f"{server}/ok/report",
            "bare": f"{server}/missing",
            "attachment": f"{server}/head-refused/file.pdf",
            "source": dead,
        },
    )
    code, out, _ = run_cli("validate", record, cwd=project)
    assert code == 0, out  # the record itself is valid
    report = project / "links.md"
    code, out, err = run_cli(
        "validate",
        "--check-links",
        "--links-timeout",
        "5",
        "--links-report",
        str(report),
        record,
        cwd=project,
    )
    assert code == 0, out + err  # broken links are reported, they do not fail validation
    assert f"{record}: liên kết hỏng / broken link: {server}/missing (404)" in out
    assert dead in out
    assert f"{server}/ok/report" not in out.replace(f"{server}/ok/report)", "")
    text = report.read_text(encoding="utf-8")
    assert "## Liên kết hỏng trong sổ đăng ký" in text
    assert f"| <{server}/missing> | 404 | `{record}` |" in text
    assert f"<{dead}>" in text
    assert "/ok/report" not in text and "/head-refused/" not in text  # GET fallback worked
    assert "**2** không truy cập được" in text


def test_no_broken_link_removes_an_old_report(project: Path, run_cli, server: str) -> None:
    record = _cite(
        project,
        run_cli,
        {k: f"{server}/ok/{k}" for k in ("markdown", "bare", "attachment", "source")},
    )
    report = project / "links.md"
    report.write_text("stale\n", encoding="utf-8")
    code, out, _ = run_cli(
        "validate", "--check-links", "--links-report", str(report), record, cwd=project
    )
    assert code == 0
    assert "0 hỏng" in out
    assert not report.exists()


def test_report_without_check_is_a_usage_error(project: Path, run_cli) -> None:
    code, _, err = run_cli("validate", "--links-report", "x.md", cwd=project)
    assert code == 2
    assert "--check-links" in err
    code, _, err = run_cli("validate", "--summary-md", "x.md", cwd=project)
    assert code == 2
    assert "--changed-since" in err
