"""The GitHub workflows, pre-commit hooks and editor settings, and the PR pipeline run locally."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads the `on:` key as True; GitHub reads it as "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[str, Any]):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def test_the_four_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "links.yml", "pr-comment.yml", "pr.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_the_github_workflow_schema(path: Path) -> None:
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        proc = subprocess.run(
            [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing() -> None:
    # Every severity, with the auditor persona (the strictest); the one accepted finding is
    # the workflow_run trigger of the two-workflow pattern, ignored on its own line.
    proc = subprocess.run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--persona",
            "auditor",
            "--format",
            "json",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(proc.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:3000]
    ignores = [
        (path.name, line.strip())
        for path in WORKFLOWS
        for line in path.read_text(encoding="utf-8").splitlines()
        if "zizmor: ignore" in line
    ]
    assert ignores == [("pr-comment.yml", "workflow_run: # zizmor: ignore[dangerous-triggers]")]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_hardening(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    wf = _load(path)
    assert wf["permissions"] == {}, (
        "top-level permissions must be empty; jobs ask for what they need"
    )
    for job_name, job in wf["jobs"].items():
        assert "permissions" in job, f"{job_name}: no job permissions"
        assert "timeout-minutes" in job
    for job_name, step in _steps(wf):
        if "uses" in step:
            ref = step["uses"]
            assert ref.startswith("actions/"), f"{job_name}: only official actions ({ref})"
            assert SHA_PIN.match(ref), f"{job_name}: {ref} is not pinned by a full commit SHA"
            line = next(ln for ln in text.splitlines() if ref in ln)
            assert re.search(r"# v\d+\.\d+\.\d+$", line), f"missing version comment: {line}"
            if ref.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
        else:
            # No logic of their own: each run step calls sangkien, the setup script or gh.
            run = step["run"]
            assert "${{" not in run, "expressions go through env, never into the script"
            first = run.strip().split()[0]
            allowed = (
                ".venv/bin/sangkien",
                "sangkien",
                "scripts/setup.sh",
                ".venv/bin/python",
                "python",
                "cat",
                "gh",
                "number=",
                "printf",
            )
            assert first.startswith(allowed), run


def test_deploy_uses_the_pages_actions_with_a_queue() -> None:
    wf = _load(ROOT / ".github" / "workflows" / "deploy.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [step["uses"].split("@")[0] for _, step in _steps(wf) if "uses" in step]
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= set(uses)
    assert wf["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_links_workflow_is_weekly_and_updates_one_issue() -> None:
    wf = _load(ROOT / ".github" / "workflows" / "links.yml")
    assert len(wf["on"]["schedule"]) == 1
    _minute, _hour, dom, month, dow = wf["on"]["schedule"][0]["cron"].split()
    assert dom == month == "*" and dow.isdigit()
    runs = [step["run"] for _, step in _steps(wf) if "run" in step]
    assert any("sangkien validate --check-links --links-report links-report.md" in r for r in runs)
    issue_step = runs[-1]
    assert (
        "gh issue edit" in issue_step
        and "gh issue create" in issue_step
        and "gh issue list" in issue_step
    )


def test_pr_workflow_runs_the_pull_request_with_a_read_only_token() -> None:
    wf = _load(ROOT / ".github" / "workflows" / "pr.yml")
    assert list(wf["on"]) == ["pull_request"]
    for name, job in wf["jobs"].items():
        assert "write" not in job["permissions"].values(), name
    assert wf["jobs"]["check"]["permissions"] == {"contents": "read"}
    text = (ROOT / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8")
    assert "gh pr comment" not in text
    uploads = [s["with"] for _, s in _steps(wf) if s.get("uses", "").startswith("actions/upload-")]
    summary = next(u for u in uploads if u["name"] == "pr-summary")
    assert summary["path"].split() == ["pr-summary.md", "pr-number"]


def test_comment_workflow_never_runs_the_pull_requests_code() -> None:
    pr = _load(ROOT / ".github" / "workflows" / "pr.yml")
    wf = _load(ROOT / ".github" / "workflows" / "pr-comment.yml")
    assert wf["on"] == {"workflow_run": {"workflows": [pr["name"]], "types": ["completed"]}}
    [job] = wf["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    uses = [s["uses"].split("@")[0] for _, s in _steps(wf) if "uses" in s]
    # No checkout, no set-up: nothing of the pull request is ever on this runner but the artifact.
    assert uses == ["actions/download-artifact"]
    download = job["steps"][0]["with"]
    assert download["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["path"].startswith("${{ runner.temp }}")
    [script] = [s["run"] for _, s in _steps(wf) if "run" in s]
    assert not re.search(r"sangkien|python|setup|npm|pip|make|\bsource\b|\beval\b", script)
    assert "--body-file" in script


FAKE_GH = """#!/bin/sh
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "pr view" ]; then echo "$FAKE_HEAD"; fi
if [ "$1 $2" = "pr comment" ]; then shift 2; while [ $# -gt 0 ]; do
  if [ "$1" = "--body-file" ]; then cp "$2" "$GH_BODY"; fi; shift; done; fi
"""


def _run_comment_script(tmp_path: Path, artifact: Path, head: str) -> tuple[int, str, str]:
    """Run pr-comment.yml's script as the runner would, with a fake `gh` that logs its
    arguments, answers `pr view` with `head` and keeps the comment body; (exit, log, out)."""
    wf = _load(ROOT / ".github" / "workflows" / "pr-comment.yml")
    script = next(s["run"] for _, s in _steps(wf) if "run" in s)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bindir / "gh").chmod(0o755)
    log = tmp_path / "gh.log"
    proc = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env={
            "PATH": f"{bindir}:{os.environ['PATH']}",
            "GH_LOG": str(log),
            "GH_BODY": str(tmp_path / "body.md"),
            "FAKE_HEAD": head,
            "HEAD_SHA": "a" * 40,
            "RUN_URL": "https://github.com/o/r/actions/runs/1",
            "SUMMARY_DIR": str(artifact),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return proc.returncode, text, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("number", "head", "posted", "code"),
    [
        ("42\n", "a" * 40, True, 0),
        ("42; touch pwned\n", "a" * 40, False, 1),
        ("$(touch pwned)\n", "a" * 40, False, 1),
        ("-1\n", "a" * 40, False, 1),
        ("042\n", "a" * 40, False, 1),
        ("\n", "a" * 40, False, 1),
        ("42\n", "b" * 40, False, 0),  # the PR's head is another commit: not ours to comment on
    ],
)
def test_comment_script_treats_the_artifact_as_untrusted(
    tmp_path: Path, number: str, head: str, posted: bool, code: int
) -> None:
    artifact = tmp_path / "pr-summary"
    artifact.mkdir()
    (artifact / "pr-number").write_text(number, encoding="utf-8")
    summary = "## Tóm tắt\n\n`$(touch pwned)` ${{ github.token }} \"'; touch pwned\n"
    (artifact / "pr-summary.md").write_text(summary, encoding="utf-8")
    exit_code, log, output = _run_comment_script(tmp_path, artifact, head)
    assert exit_code == code, output
    assert not (tmp_path / "pwned").exists()
    if posted:
        assert (
            f"pr comment 42 --edit-last --create-if-none --body-file {artifact}/pr-summary.md"
            in log
        )
        assert (tmp_path / "body.md").read_text(encoding="utf-8") == summary
    else:
        assert "pr comment" not in log


def test_comment_script_refuses_links_in_the_artifact(tmp_path: Path) -> None:
    artifact = tmp_path / "pr-summary"
    artifact.mkdir()
    (artifact / "pr-number").write_text("42\n", encoding="utf-8")
    secret = tmp_path / "secret"
    secret.write_text("token", encoding="utf-8")
    (artifact / "pr-summary.md").symlink_to(secret)
    exit_code, log, output = _run_comment_script(tmp_path, artifact, "a" * 40)
    assert exit_code == 1
    assert "not a regular file" in output
    assert log == ""


# ---- the PR pipeline, run locally ------------------------------------------------------------
def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    proc = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout


def _expand(value: str) -> str:
    known = {"github.base_ref": "main", "github.event.pull_request.number": "7"}
    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: known[m.group(1)], value)


@pytest.mark.slow
def test_pr_workflow_commands_run_locally_on_a_changed_record(
    project: Path, run_cli, tmp_path: Path
) -> None:
    # A scratch repository: the bundled project committed, then one record changed and one added.
    (project / ".venv").symlink_to(ROOT / ".venv")
    (project / ".gitignore").write_text(".venv\nsite/\n", encoding="utf-8")
    mkdocs = project / "mkdocs.yml"
    # DOCX/PDF generation is tested elsewhere and takes most of a build's time.
    mkdocs.write_text(
        mkdocs.read_text(encoding="utf-8").replace("documents: true", "documents: false"),
        encoding="utf-8",
    )
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    changed = sorted((project / "registry" / "initiatives").glob("*/*.yml"))[0]
    old_title = next(
        ln for ln in changed.read_text(encoding="utf-8").splitlines() if ln.startswith("title: ")
    )
    new_title = "title: Tiêu đề đã được sửa trong yêu cầu hợp nhất thử"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace(old_title, new_title), encoding="utf-8"
    )
    code, out, err = run_cli(
        "new", "--no-input", "--title", "Sáng kiến mới trong yêu cầu hợp nhất", "--agency", "so-khcn",
        "--field", "chuyen-doi-so", "--type", "quan-ly", "--author", "Lê Văn Tâm", "--year", "2025", cwd=project,
    )  # fmt: skip
    assert code == 0, err
    added = out.strip()
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "change one record, add one")
    # What actions/checkout with fetch-depth 0 provides: the base branch as origin/<base>.
    _git(project, "update-ref", "refs/remotes/origin/main", "HEAD~1")

    wf = _load(ROOT / ".github" / "workflows" / "pr.yml")
    step_summary = tmp_path / "step-summary.md"
    ran = []
    for step in wf["jobs"]["check"]["steps"]:
        run = step.get("run")
        # Setting up and the test suite itself are not re-run inside the tests.
        if run is None or run.startswith("scripts/setup.sh") or "pytest" in run:
            continue
        env = {
            **os.environ,
            "GITHUB_STEP_SUMMARY": str(step_summary),
            **{k: _expand(str(v)) for k, v in (step.get("env") or {}).items()},
        }
        proc = subprocess.run(
            ["bash", "-e", "-c", run],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        ran.append((run, proc))
        assert proc.returncode == 0, f"{run}\n{proc.stdout}\n{proc.stderr}"

    commands = [
        r.split()[1] if r.startswith(".venv/bin/sangkien") else r.split()[0] for r, _ in ran
    ]
    assert commands == ["validate", "fmt", "build", "cat", "printf"]
    assert (project / "pr-number").read_text(encoding="utf-8") == "7\n"
    validate_out = ran[0][1].stdout
    # Problems are GitHub annotations on the changed file.
    assert f"::warning file={added},line=" in validate_out
    summary = (project / "pr-summary.md").read_text(encoding="utf-8")
    assert "## Tóm tắt thay đổi sổ đăng ký sáng kiến" in summary
    assert "**1** sáng kiến mới, **1** được sửa, **0** bị xoá" in summary
    changed_id = changed.stem
    assert (
        f"| Sửa | [{changed_id}](https://sangkien-qng.github.io/sangkien/sang-kien/{changed_id.lower()}/) | Tiêu đề đã được sửa trong yêu cầu hợp nhất thử |"
        in summary
    )
    added_id = Path(added).stem
    assert (
        f"| Mới | `{added_id}` | Sáng kiến mới trong yêu cầu hợp nhất | ⚠️ 1 cảnh báo |" in summary
        and "Sáng kiến mới trong yêu cầu hợp nhất" in summary
    )
    assert f"`{added}:7` SK301" in summary
    assert step_summary.read_text(encoding="utf-8") == summary
    page = (project / "site" / "sang-kien" / added_id.lower() / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Sáng kiến mới trong yêu cầu hợp nhất" in page
    assert (project / "site" / "de-xuat" / "index.html").is_file()


def test_changed_since_needs_a_git_ref(project: Path, run_cli) -> None:
    code, _, err = run_cli(
        "validate", "--changed-since", "khong-co-nhanh-nay", "--summary-md", "x.md", cwd=project
    )
    assert code == 2
    assert "khong-co-nhanh-nay" in err
    assert not (project / "x.md").exists()


# ---- pre-commit and the editor ------------------------------------------------------------
def test_pre_commit_hooks_call_sangkien() -> None:
    hooks = {
        h["id"]: h
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert set(hooks) == {"sangkien-validate", "sangkien-fmt"}
    assert hooks["sangkien-validate"]["entry"] == "sangkien validate"
    assert hooks["sangkien-fmt"]["entry"] == "sangkien fmt"
    assert all(h["language"] == "python" for h in hooks.values())
    assert re.search(hooks["sangkien-fmt"]["files"], "registry/initiatives/2024/QNG-2024-0001.yml")
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    entries = {h["id"]: h["entry"] for h in config["repos"][0]["hooks"]}
    assert entries["sangkien-validate"].endswith("sangkien validate")
    assert entries["sangkien-fmt"].endswith("sangkien fmt")


def test_vscode_maps_every_schema_to_its_files() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert {Path(k).name for k in mapping} == {
        p.name for p in (ROOT / "schema").glob("*.schema.json")
    }
    for schema in mapping:
        assert (ROOT / schema).is_file()
    files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "registry").rglob("*.yml")]
    for f in files:
        matched = [s for s, globs in mapping.items() if any(fnmatch.fnmatch(f, g) for g in globs)]
        assert len(matched) == 1, f"{f}: {matched}"
