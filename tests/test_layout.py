"""The code layout a newcomer relies on: pure package, thin hooks, one command line, tooling that holds."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from playbook.cli import COMMANDS
from playbook.project import CHECKOUT as ROOT

PACKAGE = ROOT / "src" / "playbook"
HOOKS = ROOT / "hooks"


def _imports(path: Path) -> set[str]:
    """Top-level module names a Python file imports (at any depth of the file)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _python_files() -> list[Path]:
    return sorted(p for folder in ("src", "hooks", "tests") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_package_never_imports_mkdocs(path: Path) -> None:
    assert not {"mkdocs", "material", "mkdocs_static_i18n"} & _imports(path)


def test_hooks_folder_holds_exactly_the_hooks_mkdocs_yml_lists() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"^  - (hooks/[\w]+\.py)$", config, re.MULTILINE))
    present = {p.relative_to(ROOT).as_posix() for p in HOOKS.glob("*.py")}
    assert listed == present
    assert not [p for p in HOOKS.rglob("*.py") if p.parent != HOOKS]


@pytest.mark.parametrize("path", sorted(HOOKS.glob("*.py")), ids=lambda p: p.name)
def test_each_hook_is_a_short_adapter_that_imports_no_other_hook(path: Path) -> None:
    code = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(code) <= 100, f"{path.name}: {len(code)} non-blank lines; move logic into src/playbook/"
    siblings = {p.stem for p in HOOKS.glob("*.py")}
    assert not siblings & _imports(path), f"{path.name} imports another hook module"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_code_edits_sys_path(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"sys\.path\.(insert|append|extend|remove)|sys\.path\s*=|sys\.path\[", text)


def test_pytest_config_adds_nothing_to_the_import_path() -> None:
    assert "pythonpath" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_command_line_lists_every_command_and_rejects_unknown_ones() -> None:
    ran = subprocess.run([sys.executable, "-m", "playbook", "--help"], capture_output=True, text=True, check=False)
    assert ran.returncode == 0
    assert [line.split()[0] for line in ran.stdout.splitlines() if line.startswith("  ")] == list(COMMANDS)
    wrong = subprocess.run([sys.executable, "-m", "playbook", "chek"], capture_output=True, text=True, check=False)
    assert wrong.returncode == 2 and "unknown command 'chek'" in wrong.stderr


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_help_under_its_own_name(command: str) -> None:
    console = Path(sys.executable).parent / "playbook"
    ran = subprocess.run([str(console), command, "--help"], capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith(f"usage: playbook {command}")


def test_lock_pins_every_package_with_a_hash() -> None:
    entries = re.split(r"\n(?=\S)", (ROOT / "requirements.lock").read_text(encoding="utf-8").strip())
    packages = [e for e in entries if not e.startswith("#")]
    assert len(packages) > 30
    for entry in packages:
        assert re.match(r"^[A-Za-z0-9._-]+==\S+ \\\n    --hash=sha256:[0-9a-f]{64}", entry), entry
    names = {e.split("==")[0].lower().replace("_", "-") for e in packages}
    assert {"pre-commit", "setuptools", "mkdocs"} <= names
    assert "--require-hashes -r requirements.lock" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_ci_runs_what_the_pull_request_workflow_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    steps = [step["run"] for step in workflow["jobs"]["test"]["steps"] if "run" in step]
    for step in steps:
        assert step in ci, f"{step!r} runs on pull requests but not in .ci/run"
    assert any("playbook check" in step for step in steps)
    hook = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert hook["entry"].endswith("playbook check")


def test_workflows_pin_the_container_by_digest() -> None:
    for name in ("pull-request.yml", "deploy.yml"):
        workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            assert re.fullmatch(r"python:3\.11-bookworm@sha256:[0-9a-f]{64}", job["container"]), name


def test_a_push_to_main_never_shares_a_concurrency_group_with_a_tag_deploy() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    groups = [workflow.get("concurrency", {})] + [job.get("concurrency", {}) for job in workflow["jobs"].values()]
    for group in groups:
        if group:
            # A group keyed on the ref: refs/heads/main and refs/tags/v1.2 never queue behind each other.
            assert "github.ref" in group["group"] and group.get("cancel-in-progress") is False


def test_lock_lines_pin_each_downloaded_package_and_leave_out_the_project() -> None:
    from playbook.lockfile import lock_lines

    digest = "ab" * 32
    report = {
        "install": [
            {"download_info": {"url": "file:///src", "dir_info": {}}, "metadata": {"name": "marketing-playbook"}},
            {
                "download_info": {"archive_info": {"hash": f"sha256={digest}", "hashes": {"sha256": digest}}},
                "metadata": {"name": "Zeta", "version": "1.0"},
            },
            {
                "download_info": {"archive_info": {"hash": f"sha256={'cd' * 32}"}},
                "metadata": {"name": "alpha", "version": "2"},
            },
        ]
    }
    assert lock_lines(report) == [
        f"alpha==2 \\\n    --hash=sha256:{'cd' * 32}",
        f"Zeta==1.0 \\\n    --hash=sha256:{digest}",
    ]
