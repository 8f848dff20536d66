"""The README's quick-start commands do what it says, exactly as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


@pytest.mark.slow  # a pytest run of its own
def test_under_ci_a_check_cannot_skip_for_want_of_a_tool(tmp_path):
    """CI installs every tool the tests use: there, a skip for want of one is a failure
    (conftest.unavailable), while other skips (a platform, a permission) stay skips."""
    (tmp_path / "conftest.py").write_text(
        "import importlib.util\n"
        "spec = importlib.util.spec_from_file_location(\n"
        f"    'repo_conftest', {str(REPO_ROOT / 'tests' / 'conftest.py')!r})\n"
        "repo = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(repo)\n"
        "pytest_runtest_makereport = repo.pytest_runtest_makereport\n"
        "unavailable = repo.unavailable\n"
    )
    (tmp_path / "test_tools.py").write_text(
        "import pytest\n"
        "from conftest import unavailable\n"
        "@pytest.mark.skipif(True, reason=unavailable('frobnicate'))\n"
        "def test_marked(): pass\n"
        "def test_inside(): pytest.skip(unavailable('frobnicate'))\n"
        "def test_platform(): pytest.skip('POSIX only')\n"
    )

    def run(ci: str) -> str:
        env = {key: value for key, value in os.environ.items() if key != "CI"}
        command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                   "-p", "no:xdist", "-p", "no:randomly", "-o", "addopts=", "test_tools.py"]
        result = subprocess.run(command, cwd=tmp_path, env={**env, "CI": ci},
                                capture_output=True, text=True, timeout=120)
        return result.stdout + result.stderr

    assert "3 skipped" in run("")
    strict = run("true")
    assert "1 failed, 1 skipped, 1 error" in strict
    assert strict.count("frobnicate: pip install --group test [required under CI]: under CI "
                        "every check runs") == 2


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
