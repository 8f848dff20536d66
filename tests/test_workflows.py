"""GitHub workflows: the generated ones (questions ci_workflow, update_workflow) and this
repository's own, all checked by actionlint (with shellcheck for their run: steps)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, render

TOOLS = Path(sys.executable).parent


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint", path=str(TOOLS)) or shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint is missing: pip install --group test")
    # shellcheck from the same environment checks the shell of every run: step.
    env = {**os.environ, "PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([binary, "-no-color", *map(str, files)], capture_output=True, text=True,
                          env=env)


@pytest.fixture(scope="module")
def service(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with both workflows, rendered once for the tests that only read it."""
    return render(template_dir, tmp_path_factory.mktemp("workflows") / "service",
                  ci_workflow=True, update_workflow=True, venv_dir="venvs/dev",
                  python_version="3.12")


def test_generated_workflows_pass_actionlint(service):
    project = service
    workflows = sorted((project / ".github/workflows").glob("*.yml"))
    # Names no other template uses: a project template's own ci.yml never clashes.
    assert [path.name for path in workflows] == ["copier-update.yml", "venv-dotenv.yml"]
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr

    ci = yaml.safe_load((project / ".github/workflows/venv-dotenv.yml").read_text())
    assert ci["name"] == "venv-dotenv"
    job = ci["jobs"]["test"]
    matrix = job["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    assert matrix["python"] == ["3.12", "3.14"]
    assert job["env"] == {"VENV_PYTHON": "venvs/dev/bin/python",
                          "VENV_PYTHON_WINDOWS": "venvs\\dev\\Scripts\\python.exe"}
    runs = [str(step["run"]) for step in job["steps"] if "run" in step]
    assert runs == ['python scripts/bootstrap.py --python "$PYTHON_PATH"',
                    '"$VENV_PYTHON" -m pytest', '& "$env:VENV_PYTHON_WINDOWS" -m pytest']


def rendered_values_in_run_steps(workflow: dict) -> list[str]:
    """Every run: line that holds an answer as text instead of a quoted variable."""
    found = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                if any(word in line for word in (".venv", "venvs/", ".copier-answers")):
                    found.append(line)
    return found


def test_rendered_values_reach_run_steps_only_as_quoted_variables(service):
    project = service
    for name in ("venv-dotenv.yml", "copier-update.yml"):
        workflow = yaml.safe_load((project / ".github/workflows" / name).read_text())
        assert rendered_values_in_run_steps(workflow) == [], name
    update = yaml.safe_load((project / ".github/workflows/copier-update.yml").read_text())
    assert update["env"] == {"ANSWERS_FILE": ".copier-answers.yml"}
    step = next(step for step in update["jobs"]["update"]["steps"] if step.get("id") == "update")
    assert '--answers-file "$ANSWERS_FILE"' in step["run"]


def test_update_workflow_runs_copier_update_with_pinned_tools(service):
    project = service
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


def test_update_workflow_says_which_token_and_how_ci_runs(service):
    project = service
    text = (project / ".github/workflows/copier-update.yml").read_text()
    comments = " ".join(line.strip("# ") for line in text.splitlines() if line.startswith("#"))
    # The default token cannot push workflow changes, and its pull requests start no CI.
    assert "GITHUB_TOKEN may not push" in comments
    assert "Workflows" in comments and "`workflow`" in comments and "GitHub App" in comments
    assert "starts no workflow" in comments and "close and reopen" in comments
    steps = yaml.safe_load(text)["jobs"]["update"]["steps"]
    tokens = [step["with"]["token"] for step in steps if "token" in step.get("with", {})]
    assert tokens == ["${{ secrets.COPIER_UPDATE_TOKEN || github.token }}"] * 2


def test_workflows_are_opt_in_and_opt_out(template_dir, tmp_path):
    default = render(template_dir, tmp_path / "default")
    assert sorted(p.name for p in (default / ".github/workflows").iterdir()) == ["venv-dotenv.yml"]
    none = render(template_dir, tmp_path / "none", ci_workflow=False)
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
