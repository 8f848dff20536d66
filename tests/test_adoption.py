"""Copying the template into an existing repository: every line the user had is kept."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import copier
import pytest
from copier_helpers import (
    REPO_ROOT,
    answers_of,
    commit_all,
    conflict_files,
    git,
    snapshot_template,
    update_project,
)

SCRIPT = REPO_ROOT / "extensions/tasks/merge_existing_files.py"

USER_GITIGNORE = "node_modules/\n*.log\n.venv\n# our build\n/out/\n"
USER_README = "# Legacy service\n\nOur own README, written long before the template.\n"
USER_PYPROJECT = """\
[project]
name = "legacy-service"
version = "2.3.0"
dependencies = ["requests>=2"]

[tool.ruff]
line-length = 99
"""


def lines(text: str) -> list[str]:
    return text.splitlines()


def legacy_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    (path / ".gitignore").write_text(USER_GITIGNORE)
    (path / "README.md").write_text(USER_README)
    (path / "pyproject.toml").write_text(USER_PYPROJECT)
    (path / "service.py").write_text("print('legacy')\n")
    commit_all(path, "the existing repository")
    return path


def release_v020(template: Path) -> None:
    """A release that changes the three files an adopted repository keeps."""
    for name, old, new in [
        ("template/pyproject.toml.jinja", '"pytest>=8",', '"pytest>=8",\n    "pytest-cov>=5",'),
        ("template/README.md.jinja", "## Configuration\n", "## Configuration\n\nNew in v0.2.0.\n"),
        ("template/.gitignore.jinja", ".ruff_cache/\n", ".ruff_cache/\n.tox/\n"),
    ]:
        path = template / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
    commit_all(template, "v0.2.0", tag="v0.2.0")


def test_adopting_an_existing_repo_keeps_every_line_then_updates(tmp_path):
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    repo = legacy_repo(tmp_path / "legacy")

    # `copier copy --trust --defaults SRC .` inside the repository: no --overwrite.
    copier.run_copy(str(template), repo, data={"project_name": "legacy service"},
                    defaults=True, unsafe=True, quiet=True)

    gitignore = (repo / ".gitignore").read_text()
    assert gitignore.startswith(USER_GITIGNORE)  # every user line, in place
    added = lines(gitignore)[len(lines(USER_GITIGNORE)):]
    assert added == ["", "# >>> copier-venv-dotenv: keep the venv and the env files out of git >>>",
                     "/.venv/", ".env", ".env.*", "!.env.example", "# <<< copier-venv-dotenv <<<"]
    assert (repo / "README.md").read_text() == USER_README
    pyproject_text = (repo / "pyproject.toml").read_text()
    assert pyproject_text.startswith(USER_PYPROJECT)
    pyproject = tomllib.loads(pyproject_text)
    assert pyproject["project"]["dependencies"] == ["requests>=2"]  # reported, not edited
    assert pyproject["tool"]["copier-venv-dotenv"] == {"venv-dir": ".venv", "env-file": ".env"}
    assert answers_of(repo)["kept_files"] == [".gitignore", "README.md", "pyproject.toml"]
    # The rest of the project is there, and git sees what it must.
    assert (repo / "src/legacy_service/settings.py").is_file()
    assert (repo / "scripts/bootstrap.py").is_file()
    (repo / ".env").write_text("SECRET_KEY=x\n")
    (repo / ".venv").mkdir()
    ignored = git(repo, "check-ignore", ".env", ".env.local", ".venv/x", "out/a", "x.log")
    assert ignored.split() == [".env", ".env.local", ".venv/x", "out/a", "x.log"]
    assert subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=repo).returncode == 1
    commit_all(repo, "adopt copier-venv-dotenv")
    adopted = {name: (repo / name).read_bytes() for name in [".gitignore", "README.md", "pyproject.toml"]}

    # A release changes those very files; an answer changes too. The kept files are
    # left alone, except for the marked blocks, which follow the new answer.
    release_v020(template)
    update_project(repo, data={"venv_dir": "venvs/dev"})

    assert conflict_files(repo) == []
    assert answers_of(repo)["kept_files"] == [".gitignore", "README.md", "pyproject.toml"]
    assert (repo / "README.md").read_bytes() == adopted["README.md"]
    gitignore = (repo / ".gitignore").read_text()
    assert gitignore.startswith(USER_GITIGNORE) and ".tox/" not in gitignore
    assert "/venvs/dev/" in lines(gitignore) and "/.venv/" not in lines(gitignore)
    pyproject_text = (repo / "pyproject.toml").read_text()
    assert pyproject_text.startswith(USER_PYPROJECT) and "pytest-cov" not in pyproject_text
    assert tomllib.loads(pyproject_text)["tool"]["copier-venv-dotenv"]["venv-dir"] == "venvs/dev"
    assert (repo / ".env").read_text() == "SECRET_KEY=x\n"

    # Running the update again changes nothing.
    commit_all(repo, "update")
    update_project(repo)
    assert git(repo, "status", "--porcelain") == ""


def test_a_generated_project_records_no_kept_file(tmp_path):
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    project = tmp_path / "fresh"
    copier.run_copy(str(template), project, defaults=True, unsafe=True, quiet=True)
    assert "kept_files" not in answers_of(project)
    # The template's own .gitignore has every entry: no block is added.
    assert ">>> copier-venv-dotenv" not in (project / ".gitignore").read_text()
    assert ">>> copier-venv-dotenv" not in (project / "pyproject.toml").read_text()


def test_overwrite_replaces_the_files_and_records_nothing(tmp_path):
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    repo = legacy_repo(tmp_path / "legacy")
    copier.run_copy(str(template), repo, defaults=True, unsafe=True, quiet=True, overwrite=True)
    assert "kept_files" not in answers_of(repo)
    assert "copier-venv-dotenv" in (repo / "README.md").read_text()
    # git still has every line the user had: `git diff` shows what --overwrite replaced.
    assert git(repo, "show", "HEAD:README.md") == USER_README


# --- the merge script on its own ------------------------------------------------


def merge(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--venv-dir=.venv", "--env-file=.env", f"--root={root}",
         *args],
        capture_output=True, text=True, check=True,
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_merge_script_is_idempotent_and_keeps_line_endings(tmp_path, newline):
    # tmp_path is not a git repository, like copier's temporary renders.
    (tmp_path / ".gitignore").write_bytes(USER_GITIGNORE.replace("\n", newline).encode())
    (tmp_path / "pyproject.toml").write_bytes(USER_PYPROJECT.replace("\n", newline).encode())
    merge(tmp_path, "--adopt")
    first = {name: (tmp_path / name).read_bytes() for name in [".gitignore", "pyproject.toml"]}
    for content in first.values():
        assert content.count(b"\n") == content.count(newline.encode())  # one line-end style
    assert first[".gitignore"].startswith(USER_GITIGNORE.replace("\n", newline).encode())
    merge(tmp_path, "--adopt")
    merge(tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in first} == first


def test_merge_script_adds_only_with_adopt_and_drops_a_redundant_block(tmp_path):
    gitignore = tmp_path / ".gitignore"
    gitignore.write_text("*.log\n")
    merge(tmp_path)  # an update never adds a block to a file without one
    assert gitignore.read_text() == "*.log\n"
    merge(tmp_path, "--adopt")
    assert "# >>> copier-venv-dotenv" in gitignore.read_text()
    # The user later adds the entries themselves: the block goes, their lines stay.
    text = gitignore.read_text()
    gitignore.write_text(text.replace("*.log\n", "*.log\n.venv/\n.env\n.env.*\n!.env.example\n"))
    merge(tmp_path)
    assert gitignore.read_text() == "*.log\n.venv/\n.env\n.env.*\n!.env.example\n\n"


def test_merge_script_leaves_conflicts_and_unsafe_toml_alone(tmp_path):
    conflicted = "<<<<<<< before updating\n.venv\n=======\n/venv/\n>>>>>>> after updating\n"
    (tmp_path / ".gitignore").write_text(conflicted)
    # `tool` as an inline table: a [tool.copier-venv-dotenv] header would be invalid TOML.
    inline_tool = 'tool = {black = {}}\n\n[project]\nname = "x"\n'
    (tmp_path / "pyproject.toml").write_text(inline_tool)
    result = merge(tmp_path, "--adopt")
    assert (tmp_path / ".gitignore").read_text() == conflicted
    assert "conflict markers" in result.stderr
    assert (tmp_path / "pyproject.toml").read_text() == inline_tool
    assert "add it by hand" in result.stderr
