"""The oldest copier that copier.yml admits really renders the template."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, built_once, unavailable

pytestmark = pytest.mark.venv

UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def min_copier_version() -> str:
    return yaml.safe_load((REPO_ROOT / "copier.yml").read_text())["_min_copier_version"]


def install_oldest_copier(venv: Path) -> None:
    subprocess.run([UV, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [UV, "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
         f"copier=={min_copier_version()}", "copier-template-extensions==0.3.4"],
        check=True,
    )


@pytest.fixture(scope="session")
def oldest_copier(tmp_path_factory) -> Path:
    if UV is None:
        pytest.skip(unavailable("uv, which builds a second copier environment quickly,"))
    return built_once(tmp_path_factory, "old-copier", install_oldest_copier) / "bin" / "copier"


def test_oldest_supported_copier_makes_the_default_project(oldest_copier, template_repo, tmp_path):
    dst = tmp_path / "old-copier-project"
    result = subprocess.run(
        [str(oldest_copier), "copy", "--trust", "--defaults", str(template_repo), str(dst)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (dst / ".env.example").is_file()
    assert (dst / "src" / "old_copier_project" / "settings.py").is_file()


def test_oldest_supported_copier_runs_the_validators(oldest_copier, template_repo, tmp_path):
    result = subprocess.run(
        [str(oldest_copier), "copy", "--trust", "--defaults", "-d", "venv_dir=.env",
         str(template_repo), str(tmp_path / "p")],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )
    assert result.returncode != 0
    assert "venv_dir '.env' is an env file name" in result.stderr
