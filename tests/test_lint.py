"""Lint this repository's Python and the Python of rendered projects with ruff."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import copier
import pytest
from conftest import REPO_ROOT

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
pytestmark = pytest.mark.skipif(RUFF is None, reason="ruff is not installed (pip install --group test)")


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUFF, "check", "--no-cache", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_repository_python_is_clean():
    result = ruff(".", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("env_vars", [
    None,
    'PORT:int=8000, HOSTS:list="a,b", TOKEN:secret, DATA_DIR:path=data, RATIO:float=, API:url=',
    [{"name": "LONG_DESCRIBED", "type": "url", "default": "https://example.org/" + "x" * 90,
      "description": "A description that is long enough to need more than one line. " * 3}],
])
def test_rendered_projects_are_clean(template_repo, tmp_path, env_vars):
    data = {"project_name": "Lint Check", "use_direnv": True, "update_workflow": True}
    if env_vars is not None:
        data["env_vars"] = env_vars
    dst = tmp_path / "lint-check"
    copier.run_copy(str(template_repo), str(dst), data=data, defaults=True, unsafe=True,
                    quiet=True, vcs_ref="HEAD", settings=copier.Settings())
    # The project's own rules: the repository's, minus import sorting (rendered imports
    # follow the order of the declarations).
    result = ruff("--isolated", "--line-length", "110", "--target-version", "py311",
                  "--select", "E,F,W,B,UP", "--per-file-ignores", "scripts/bootstrap.py:UP031",
                  "--per-file-ignores", "scripts/bootstrap.py:UP036",
                  ".", cwd=dst)
    assert result.returncode == 0, result.stdout + result.stderr
