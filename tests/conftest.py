"""Shared fixtures: an isolated copier/git setup and a committed copy of the template."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "extensions"))

# A fixed identity and no user/system git or copier configuration, so that
# the developer's own settings can neither break nor help the tests.
ISOLATED_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(scope="session", autouse=True)
def isolated_tools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    settings = tmp_path_factory.mktemp("copier-settings") / "settings.yml"
    settings.write_text("{}\n")
    patch = pytest.MonkeyPatch()
    for key, value in {**ISOLATED_ENV, "COPIER_SETTINGS_PATH": str(settings)}.items():
        patch.setenv(key, value)
    # A developer's active venv must not leak into projects built by the tests.
    patch.delenv("VIRTUAL_ENV", raising=False)
    yield
    patch.undo()


def find_python(version: str) -> str | None:
    """An interpreter of ``version`` ("3.12") that really runs, or None.

    pyenv puts shims for every version on PATH that fail unless that version is
    selected, so look in pyenv's own folders first and check that it starts.
    """
    candidates = []
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"))
    found = shutil.which(f"python{version}")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        probe = subprocess.run(
            [str(candidate), "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True, text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == str(
            tuple(int(part) for part in version.split("."))
        ):
            return str(candidate)
    return None


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    )
    return result.stdout


def tracked_files(root: Path) -> list[str]:
    """Files git would commit: tracked ones and untracked ones it does not ignore."""
    out = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return sorted({name for name in out.split("\0") if name and (root / name).is_file()})


def snapshot_template(dst: Path, tag: str | None = None) -> Path:
    """Copy the working tree of this repo into a fresh git repo at ``dst``.

    Tests render from this snapshot so that they see uncommitted work but never
    depend on the state (or the tags) of the developer's checkout.
    """
    dst.mkdir(parents=True, exist_ok=True)
    for name in tracked_files(REPO_ROOT):
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "commit", "-q", "-m", "template snapshot")
    if tag:
        git(dst, "tag", tag)
    return dst


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("template") / "copier-venv-dotenv")


def copier_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real copier command line of this environment, with no stdin."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


PEERS_VARIABLE = "COPIER_VENV_DOTENV_PEERS"


def find_peers() -> Path | None:
    """The folder of the peers' git bundles (copier-uv, sampleproject): $COPIER_VENV_DOTENV_PEERS,
    else ../shared/peers next to this repository or, for a git worktree, next to its main
    checkout; None when none has them."""
    candidates = []
    if os.environ.get(PEERS_VARIABLE):
        candidates.append(Path(os.environ[PEERS_VARIABLE]))
    candidates.append(REPO_ROOT.parent / "shared" / "peers")
    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    if common.returncode == 0:  # a worktree: next to the main checkout
        candidates.append(Path(common.stdout.strip()).parent.parent / "shared" / "peers")
    return next((c for c in candidates if (c / "copier-uv.bundle").is_file()
                 and (c / "sampleproject.bundle").is_file()), None)


# The template's package folder, rendered as the package_dir answer (src/<pkg>, or <pkg>
# for a flat layout). Tests that read or change the template's package files use these.
TEMPLATE_PACKAGE_DIR = "{{package_dir}}"
TEMPLATE_PACKAGE = REPO_ROOT / "template" / TEMPLATE_PACKAGE_DIR
