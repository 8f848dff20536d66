"""Layer mode with real templates and repositories nobody here wrote.

- copier-uv (a widely used organisation-style template: uv, pdm-backend, dependency groups,
  `.vscode/` ignored, its own `.envrc`, `ci.yml` and `tests/conftest.py`), tags 1.12.1 and
  1.13.0;
- pypa/sampleproject 4.0.0 (setuptools, src layout, package `sample`, nox).

Each scenario runs the commands README.md gives, with real copier, git, uv venvs and the
projects' own test suites. They are the slowest tests of the suite: one bootstrapped project
per scenario serves all of its assertions.

The git bundles are looked up in the folder named by $COPIER_VENV_DOTENV_PEERS, then in
``tests/peers`` (README.md there), which every clone has: the tests skip, saying so, only
if those bundles were removed.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import PEERS_FIX, copier_cli, find_peers, git, snapshot_template, unavailable
from copier_helpers import bootstrap_project as bootstrap
from copier_helpers import clean_env, commit_all, keeps_every_line
from venv_dotenv_layer import DOTENV_REQUIREMENT as DOTENV

OURS = ".copier-answers.venv-dotenv.yml"
# What copier-uv asks that has no default (its copier.yml), the same for every scenario.
COPIER_UV_ANSWERS = ("-d", "project_description=A project made by two templates",
                     "-d", "author_fullname=Ada Lovelace", "-d", "author_email=ada@example.org",
                     "-d", "author_username=ada")


PEERS = find_peers()
pytestmark = [
    pytest.mark.venv,
    pytest.mark.skipif(PEERS is None, reason=unavailable(
        "the peer bundles (copier-uv, sampleproject)", PEERS_FIX)),
]


# --------------------------------------------------------------------------- helpers


def clone(bundle: str, dst: Path) -> Path:
    assert PEERS is not None
    git(dst.parent, "clone", "-q", str(PEERS / f"{bundle}.bundle"), str(dst))
    return dst


def our_template(dst: Path) -> Path:
    """This template, committed (its working tree)."""
    return snapshot_template(dst)


def our_next_commit(template: Path) -> None:
    """A newer commit of this template: its README block and an owned file change."""
    block = template / "extensions/blocks/README.md.jinja"
    text = block.read_text()
    assert "Then run the tests:" in text
    block.write_text(text.replace("Then run the tests:", "Then run the suite:"))
    with (template / "template/scripts/bootstrap.py").open("a") as handle:
        handle.write("\n# A newer commit.\n")
    commit_all(template, "a newer commit")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A copier command that must succeed without a prompt and, unless it is asked to
    overwrite, without a conflict."""
    result = copier_cli(*args, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    if "--overwrite" not in args:
        lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in result.stderr.splitlines()]
        assert not [line for line in lines if line.startswith(("conflict ", "Overwrite "))], result.stderr
    return result


def copier_uv(source: Path, dst: Path, ref: str, name: str, *extra: str) -> None:
    """README.md's copier-uv command: into a new folder, or into the project (".")."""
    target, cwd = (".", dst) if dst.exists() else (dst.name, dst.parent)
    run("copy", "--trust", "--defaults", *extra, "-r", ref, "-d", f"project_name={name}",
        *COPIER_UV_ANSWERS, str(source), target, cwd=cwd)


def suite(python: Path, project: Path, *args: str) -> str:
    result = subprocess.run([str(python), "-m", "pytest", "-p", "no:cacheprovider", *args],
                            cwd=project, env=clean_env(), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "test_venv_dotenv.py" in result.stdout  # the template's tests ran too
    return result.stdout


def tracked(project: Path) -> dict[str, bytes]:
    names = git(project, "ls-files", "-z").split("\0")
    return {name: (project / name).read_bytes() for name in names if name}


def conflict_markers(project: Path) -> str:
    return subprocess.run(["git", "grep", "-n", "-e", "^<<<<<<< ", "-e", "^>>>>>>> "],
                          cwd=project, capture_output=True, text=True).stdout


# --------------------------------------------------------------------------- scenarios


def test_layered_on_copier_uv_then_both_updated_in_either_order(tmp_path):
    uv_template = clone("copier-uv", tmp_path / "copier-uv")
    ours = our_template(tmp_path / "copier-venv-dotenv")
    project = tmp_path / "widgets"
    # 1. The organisation's template, then this one beside it, with defaults only.
    copier_uv(uv_template, project, "1.12.1", "acme-widgets")
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "copier-uv 1.12.1")
    theirs = {name: content.decode() for name, content in tracked(project).items()}
    copied = run("copy", "--trust", "--defaults", "-a", OURS, str(ours), ".", cwd=project)

    answers = yaml.safe_load((project / OURS).read_text())
    assert (answers["project_name"], answers["package_name"], answers["python_version"]) == (
        "acme-widgets", "acme_widgets", "3.11")  # from their pyproject.toml and src/
    # Their README.md is the package's page on PyPI: no developer notes of ours in it.
    assert "README.md is the package's description on PyPI" in copied.stderr
    assert (project / "README.md").read_text() == theirs["README.md"]
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "1.12.1"
    for name, text in theirs.items():
        now = (project / name).read_text()
        if name == "pyproject.toml":  # python-dotenv joins their empty dependency list
            text = text.replace("dependencies = []", f'dependencies = ["{DOTENV}"]')
            # Raised to the engine's minimum, the rest of the line kept.
            text = text.replace('requires-python = ">=3.10"', 'requires-python = ">=3.11"')
        assert keeps_every_line(text, now), name
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["dependencies"] == [DOTENV]
    assert "dev" not in pyproject["dependency-groups"]  # their default group "ci" has pytest
    assert pyproject["tool"]["copier-venv-dotenv"]["settings"] == "acme_widgets.settings"
    # copier-uv ignores .vscode/: the settings file is there, git ignores it, the copy
    # says so.
    assert (project / ".vscode/settings.json").is_file()
    assert git(project, "check-ignore", ".vscode/settings.json").strip()
    assert ("git ignores .vscode/settings.json: no other clone gets it from git"
            ) in " ".join(copied.stderr.split())
    assert "does not ignore" not in copied.stderr  # __pycache__/ and *.egg-info/ are
    commit_all(project, "copier-venv-dotenv beside copier-uv")

    # 2. The bootstrap installs what the project declares; both suites pass, under
    # copier-uv's own pytest configuration (warnings are errors there).
    python = bootstrap(project)
    suite(python, project, "-c", "config/pytest.ini")

    # 3. Both templates release; update them in either order: same result, no conflict.
    our_next_commit(ours)
    other = tmp_path / "widgets-other-order"
    git(tmp_path, "clone", "-q", str(project), str(other))
    for checkout, order in ((project, ("theirs", "ours")), (other, ("ours", "theirs"))):
        for which in order:
            if which == "theirs":
                run("update", "--trust", "--defaults", "-r", "1.13.0", cwd=checkout)
            else:
                run("update", "--trust", "--defaults", "-a", OURS, cwd=checkout)
            commit_all(checkout, f"update {which}")
        assert conflict_markers(checkout) == "", checkout.name
    assert tracked(project) == tracked(other)
    assert ".zed" in (project / ".gitignore").read_text()  # copier-uv 1.13.0
    assert '"zizmor>=1.0"' in (project / "pyproject.toml").read_text()
    assert "Then run the suite:" not in (project / "README.md").read_text()  # theirs only
    assert (project / "scripts/bootstrap.py").read_text().endswith("# A newer commit.\n")
    assert (project / ".vscode/settings.json").is_file()  # ignored, never lost
    for name in theirs:
        assert (project / name).exists(), name

    # 4. Still green.
    python = bootstrap(project)
    suite(python, project, "-c", "config/pytest.ini")


def test_this_template_first_then_copier_uv(tmp_path):
    uv_template = clone("copier-uv", tmp_path / "copier-uv")
    ours = our_template(tmp_path / "copier-venv-dotenv")
    project = tmp_path / "acme-widgets"
    run("copy", "--trust", "--defaults", "-a", OURS, str(ours), project.name, cwd=tmp_path)
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "copier-venv-dotenv")
    mine = tracked(project)
    # copier-uv has no skip list: in a project that has files, only --overwrite runs without
    # a terminal. It replaces the shared files; the template's own files are not its names.
    copier_uv(uv_template, project, "1.13.0", "acme-widgets", "--overwrite")
    commit_all(project, "copier-uv 1.13.0")
    assert "copier-venv-dotenv" not in (project / "pyproject.toml").read_text()
    # This template's next update puts its blocks back where they are missing.
    result = run("update", "--trust", "--defaults", "-a", OURS, "-d", "restore_blocks=true",
                 cwd=project)
    assert f'added "{DOTENV}" to [project] dependencies' in result.stderr
    commit_all(project, "copier-venv-dotenv blocks back")

    assert conflict_markers(project) == ""
    for name in (".gitignore", "README.md", "pyproject.toml"):
        assert ">>> copier-venv-dotenv" in (project / name).read_text(), name
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["dependencies"] == [DOTENV]
    assert pyproject["build-system"]["build-backend"] == "pdm.backend"  # theirs
    for name, content in mine.items():
        if name not in (".gitignore", "README.md", "pyproject.toml", "src/acme_widgets/__init__.py"):
            assert (project / name).read_bytes() == content, name
    answers = yaml.safe_load((project / OURS).read_text())
    assert "restore_blocks" not in answers
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "1.13.0"

    python = bootstrap(project)
    suite(python, project, "-c", "config/pytest.ini")


def test_adopting_sampleproject_then_updating_after_a_deleted_template_file(tmp_path):
    ours = our_template(tmp_path / "copier-venv-dotenv")
    repo = clone("sampleproject", tmp_path / "sampleproject")
    theirs = {name: content.decode() for name, content in tracked(repo).items()
              if not name.endswith((".dat", ".png"))}
    # Exactly the README's adoption command: no -d, no terminal.
    run("copy", "--trust", "--defaults", str(ours), ".", cwd=repo)
    answers = yaml.safe_load((repo / ".copier-answers.yml").read_text())
    assert (answers["project_name"], answers["package_name"], answers["python_version"]) == (
        "sampleproject", "sample", "3.11")
    for name, text in theirs.items():
        now = (repo / name).read_text()
        if name == "pyproject.toml":
            text = text.replace('dependencies = ["peppercorn"]',
                                f'dependencies = ["peppercorn", "{DOTENV}"]')
            text = text.replace('requires-python = ">=3.9"', 'requires-python = ">=3.11"')
        assert keeps_every_line(text, now), name
    assert (repo / "src/sample/__init__.py").read_text() == theirs["src/sample/__init__.py"]
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text())
    assert pyproject["dependency-groups"] == {"dev": ["pytest>=8"]}  # no group or extra had it
    commit_all(repo, "adopt copier-venv-dotenv")

    python = bootstrap(repo)
    output = suite(python, repo, "-v")
    assert "tests/test_simple.py::TestSimple::test_add_one PASSED" in output
    assert (repo / "README.md").read_text() == theirs["README.md"]  # PyPI's page: theirs

    # A file the template made is deleted on purpose; the next update leaves it deleted and
    # conflicts nowhere.
    git(repo, "rm", "-q", ".github/workflows/venv-dotenv.yml")
    commit_all(repo, "we have our own CI")
    our_next_commit(ours)
    updated = run("update", "--trust", "--defaults", cwd=repo)
    assert conflict_markers(repo) == ""
    assert not (repo / ".github/workflows/venv-dotenv.yml").exists()
    assert (repo / "README.md").read_text() == theirs["README.md"]
    assert "README.md has no copier-venv-dotenv block" not in updated.stderr  # on purpose
    tomllib.loads((repo / "pyproject.toml").read_text())
    # Still green after the update.
    suite(bootstrap(repo), repo)


def readme_ruff_exclude() -> str:
    """The lines README.md tells an organisation to add to its ruff configuration."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = text.split("<!-- org-ruff-exclude:begin -->\n```toml\n", 1)[1]
    return block.split("```\n<!-- org-ruff-exclude:end -->", 1)[0]


def test_copier_uv_s_lint_rules_leave_the_template_s_files_alone_as_the_readme_says(tmp_path):
    """copier-uv's stricter config/ruff.toml, with README.md's lines added: nothing to
    report or reformat in this template's files (without them: hundreds of findings)."""
    import shutil
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip(unavailable("ruff"))
    uv_template = clone("copier-uv", tmp_path / "copier-uv")
    ours = our_template(tmp_path / "copier-venv-dotenv")
    project = tmp_path / "widgets"
    copier_uv(uv_template, project, "1.13.0", "acme-widgets")
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "copier-uv 1.13.0")
    run("copy", "--trust", "--defaults", "-a", OURS, str(ours), ".", cwd=project)
    owned = ["scripts/bootstrap.py", "scripts/_bootstrap.py", "src/acme_widgets/_settings",
             "tests/test_venv_dotenv.py", "src/acme_widgets/settings.py"]

    def ruff_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([ruff, *args, "--no-cache", "--config", "config/ruff.toml",
                               *owned], cwd=project, capture_output=True, text=True)

    assert ruff_run("check").returncode == 1  # their rules, our files: findings
    config = project / "config/ruff.toml"
    text = config.read_text()
    assert "[lint.per-file-ignores]\n" in text
    text = text.replace("[lint.per-file-ignores]\n",
                        '[lint.per-file-ignores]\n"src/*/settings.py" = ["TID252"]\n', 1)
    first_table = text.index("\n[") + 1
    config.write_text(text[:first_table] + readme_ruff_exclude() + "\n" + text[first_table:])
    checked = ruff_run("check")
    # Only a rule that asks every file of theirs for a copyright notice is left, in the
    # one file the project owns.
    findings = [line for line in checked.stdout.splitlines() if ".py:" in line]
    assert all("settings.py" in line and "CPY001" in line for line in findings), checked.stdout
    formatted = ruff_run("format", "--check")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
