"""GitHub workflows: the generated ones (questions ci_workflow, update_workflow) and this
repository's own, all checked by actionlint (with shellcheck for their run: steps)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import copier
import pytest
import yaml
from conftest import REPO_ROOT

TOOLS = Path(sys.executable).parent


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint", path=str(TOOLS)) or shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint is missing: pip install --group test")
    # shellcheck from the same environment checks the shell of every run: step.
    env = {**os.environ, "PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([binary, "-no-color", *map(str, files)], capture_output=True, text=True,
                          env=env)


def render(template: Path, dst: Path, **data) -> Path:
    copier.run_copy(str(template), dst, data=data, defaults=True, unsafe=True, quiet=True)
    return dst


def test_generated_workflows_pass_actionlint(template_repo, tmp_path):
    project = render(template_repo, tmp_path / "service", ci_workflow=True, update_workflow=True,
                     venv_dir="venvs/dev", python_version="3.12")
    workflows = sorted((project / ".github/workflows").glob("*.yml"))
    assert [path.name for path in workflows] == ["ci.yml", "copier-update.yml"]
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr

    ci = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    matrix = ci["jobs"]["test"]["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    assert matrix["python"] == ["3.12", "3.14"]
    steps = "\n".join(str(step.get("run", "")) for step in ci["jobs"]["test"]["steps"])
    assert "python scripts/bootstrap.py" in steps
    assert "venvs/dev/bin/python -m pytest" in steps
    assert "venvs\\dev\\Scripts\\python.exe -m pytest" in steps


def test_update_workflow_runs_copier_update_with_pinned_tools(template_repo, tmp_path):
    project = render(template_repo, tmp_path / "service", update_workflow=True)
    text = (project / ".github/workflows/copier-update.yml").read_text()
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert "copier update --trust --defaults" in text
    assert "peter-evans/create-pull-request@" in text
    # The same versions this repository is tested with.
    pins = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["dependency-groups"]["test"]
    for name in ("copier", "copier-template-extensions"):
        pin = next(p for p in pins if isinstance(p, str) and p.startswith(f"{name}=="))
        assert f'"{pin}"' in text


def test_workflows_are_opt_in_and_opt_out(template_repo, tmp_path):
    default = render(template_repo, tmp_path / "default")
    assert sorted(p.name for p in (default / ".github/workflows").iterdir()) == ["ci.yml"]
    none = render(template_repo, tmp_path / "none", ci_workflow=False)
    assert not (none / ".github").exists()


def test_this_repository_workflow_passes_actionlint():
    workflow = REPO_ROOT / ".github/workflows/ci.yml"
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load(workflow.read_text())
    steps = data["jobs"]["test"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the update tests read release tags
    assert any(step.get("run") == "bash .ci/run" for step in steps)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    # The check is real: a typo in an expression fails it.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                      "    steps:\n      - run: echo ${{ github.evnt_name }}\n")
    assert actionlint(broken).returncode != 0
