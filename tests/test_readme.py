"""The README's quick-start commands do what it says, exactly as written."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, git
from dotenv import dotenv_values


def console_blocks() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text()
    return re.findall(r"```console\n(.*?)\n```", readme, re.DOTALL)


def test_ci_runs_the_readme_test_command():
    test_command = console_blocks()[1]
    assert test_command.strip() in (REPO_ROOT / ".ci" / "run").read_text()


@pytest.mark.venv
def test_readme_command_makes_a_ready_project(template_repo, tmp_path):
    """Command 1 on a fresh clone, with a home folder of its own (for ~/.copier-venv) but
    the download caches of pip and uv of the real one, warm."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(template_repo), str(clone))
    home = tmp_path / "home"
    home.mkdir()
    caches = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": caches}
    result = subprocess.run(
        ["bash", "-c", console_blocks()[0]], cwd=clone, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "my-project"
    # The settings module's init made the private env file, secret filled, for the owner only.
    env_file = project / ".env.local"
    assert "created .env.local from .env.example" in result.stdout
    assert "random values for SECRET_KEY" in result.stdout
    assert env_file.stat().st_mode & 0o777 == 0o600
    secret = dotenv_values(env_file)["SECRET_KEY"]
    assert secret and secret not in result.stdout + result.stderr
    tests = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-m", "pytest", "-q"], cwd=project,
        capture_output=True, text=True, timeout=300,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
