"""`copier update` across template versions: edits, env files, answers, conflicts, migrations.

Each test builds a git repository of the template, tags versions in it, copies a project
from an older tag and updates it, with copier's real API on real git repositories (slow:
an update renders the template twice). The migration script is also tested on its own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import TEMPLATE_PACKAGE_DIR, copier_cli
from copier_helpers import (
    REPO_ROOT,
    add_migration,
    answers_of,
    commit_all,
    conflict_files,
    copy_project,
    git,
    release_tags,
    rename_question,
    replace_tree,
    snapshot_template,
    template_at_tag,
    update_project,
)
from venv_dotenv_layer import DOTENV_REQUIREMENT

# A file the template owns (copier updates it as usual) and the text of a block it owns
# in a shared file (the migration refreshes it).
OWNED = "template/scripts/bootstrap.py"
BLOCK_SOURCE = "extensions/blocks/README.md.jinja"
ENV_BYTES = b"# mine, never committed\nSECRET_KEY='s3cr3t value'\r\nDEBUG=true\n"
README_NOTES = "\n## Deployment\n\nOur own notes, kept by every update.\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def release_v020(template: Path) -> None:
    """A next release: a change to a file the template owns, and to its README block."""
    with (template / OWNED).open("a", encoding="utf-8") as handle:
        handle.write("\n# Bootstrap improvement of v0.2.0.\n")
    edit(template / BLOCK_SOURCE, "Then run the tests:", "Then run the test suite:")
    commit_all(template, "v0.2.0", tag="v0.2.0")


def make_user_edits(project: Path, package: str) -> dict[str, bytes]:
    """Edits a user makes after copying; returns the files that must survive byte for byte."""
    settings = project / f"src/{package}/settings.py"
    edit(settings, "ALLOW_RESERVED: tuple[str, ...] = ()",
         'ALLOW_RESERVED: tuple[str, ...] = ("PYTHONPATH",)')
    # Where the README says: below the comment that marks the user's own variables.
    edit(settings, "# from the env_vars answer and keeps these.\n",
         "# from the env_vars answer and keeps these.\n"
         "    retries: int = Var('int', default='3', description='How often to retry.')\n")
    with (project / ".env.example").open("a", encoding="utf-8") as handle:
        handle.write("\n# How often to retry.\n# type: int; default: 3\nRETRIES=3\n")
    with (project / "README.md").open("a", encoding="utf-8") as handle:
        handle.write(README_NOTES)
    (project / "docs").mkdir()
    (project / "docs/runbook.md").write_text("# Runbook\n\nWritten by the team.\n")
    with (project / ".gitignore").open("a", encoding="utf-8") as handle:
        handle.write("*.local.txt\n")
    commit_all(project, "our own edits")
    # Never committed: the env file and the venv (both ignored by git).
    (project / ".env").write_bytes(ENV_BYTES)
    (project / ".venv/bin").mkdir(parents=True)
    (project / ".venv/bin/marker").write_text("venv content\n")
    (project / "notes.local.txt").write_text("an ignored file of mine\n")
    return {
        name: (project / name).read_bytes()
        for name in [".env", ".venv/bin/marker", "docs/runbook.md", "notes.local.txt"]
    }


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A template repository with releases v0.1.0 (the working tree) and v0.2.0."""
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    release_v020(template)
    return template


@pytest.mark.slow
def test_update_lands_template_changes_and_keeps_edits_env_and_user_files(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    survivors = make_user_edits(project, "inventory")
    pyproject = (project / "pyproject.toml").read_bytes()

    update_project(project)

    assert answers_of(project)["_commit"] == "v0.2.0"
    assert conflict_files(project) == []
    # Template changes landed: an owned file, and the block of the shared README.
    assert "Bootstrap improvement of v0.2.0" in (project / "scripts/bootstrap.py").read_text()
    readme = (project / "README.md").read_text()
    assert "Then run the test suite:" in readme and "Then run the tests:" not in readme
    # The user's edits survived: outside the blocks, and in settings.py (3-way merge).
    assert readme.endswith(README_NOTES)
    assert (project / ".gitignore").read_text().endswith("*.local.txt\n")
    settings = (project / "src/inventory/settings.py").read_text()
    assert 'ALLOW_RESERVED: tuple[str, ...] = ("PYTHONPATH",)' in settings
    assert "retries: int = Var('int', default='3'" in settings
    assert "RETRIES=3" in (project / ".env.example").read_text()
    # The env file, the venv, the files the template never rendered, and a shared file whose
    # block did not change: byte for byte.
    for name, content in survivors.items():
        assert (project / name).read_bytes() == content, name
    assert (project / "pyproject.toml").read_bytes() == pyproject

    # A second update to the same version changes nothing.
    commit_all(project, "update to v0.2.0")
    update_project(project)
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.slow
def test_answer_change_regenerates_declarations_and_keeps_other_edits(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    survivors = make_user_edits(project, "inventory")

    # Every generated line changes, the last one (SECRET_KEY) included; RETRIES, which the
    # user had declared below the marker, is now in the answer too.
    result = copier_cli("update", "--trust", "--defaults", "-d",
                        "env_vars=LOG_LEVEL=INFO, PORT:int=8000, RETRIES:int=3", cwd=project)
    assert result.returncode == 0, result.stderr
    # Named by its version (the tag), as copier records it, not by a commit hash.
    assert "Updated inventory to copier-venv-dotenv v0.2.0." in result.stderr
    assert "Next steps:" in result.stderr and "up to date" not in result.stderr

    assert conflict_files(project) == []
    assert answers_of(project)["env_vars"] == "LOG_LEVEL=INFO, PORT:int=8000, RETRIES:int=3"
    example = (project / ".env.example").read_text()
    assert "PORT=8000" in example
    assert "DEBUG=" not in example and "DATABASE_URL=" not in example
    assert "SECRET_KEY=" not in example
    assert example.count("RETRIES=3") == 1  # the user's line, not repeated in the block
    assert ".env.example already sets RETRIES outside the copier-venv-dotenv block" in result.stderr
    # Said once: the next update, which changes nothing there, does not repeat it.
    commit_all(project, "the new answer")
    again = copier_cli("update", "--trust", "--defaults", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "already sets RETRIES" not in again.stderr
    readme = (project / "README.md").read_text()
    assert "| `PORT` | int | `8000` |" in readme and "`DEBUG`" not in readme
    settings = (project / "src/inventory/settings.py").read_text()
    assert "    port: int = 8000\n" in settings
    assert "debug:" not in settings and "database_url:" not in settings
    assert "secret_key:" not in settings
    assert 'ALLOW_RESERVED: tuple[str, ...] = ("PYTHONPATH",)' in settings
    # The merge put the new declaration of RETRIES above the user's own: both say so.
    assert "    retries: int = 3\n" in settings
    assert settings.count("retries: int = Var('int'") == 1
    # Said once, by the migration (copier's --quiet does not silence it).
    assert result.stderr.count("src/inventory/settings.py declares RETRIES (lines") == 1
    for name, content in survivors.items():
        assert (project / name).read_bytes() == content, name


@pytest.mark.slow
def test_conflicting_edit_leaves_markers_that_git_finds(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    # The user rewrites the very line of settings.py (its docstring's first) that the next
    # release rewrites too.
    settings = project / "src/inventory/settings.py"
    edit(settings, '"""', '"""Our settings, our words. ')
    commit_all(project, "retitle")
    edit(released / "template" / TEMPLATE_PACKAGE_DIR / "settings.py.jinja", '"""',
         '"""Settings, as v0.3.0 words them. ')
    commit_all(released, "v0.3.0", tag="v0.3.0")

    result = copier_cli("update", "--trust", "--defaults", cwd=project)

    assert result.returncode == 0, result.stderr
    assert conflict_files(project) == ["src/inventory/settings.py"]
    # The update's last words name it.
    assert ("Conflicts to resolve (your lines and the template's, between markers): "
            "src/inventory/settings.py") in result.stderr
    merged = settings.read_text()
    assert "<<<<<<< before updating" in merged and ">>>>>>> after updating" in merged
    assert "Our settings, our words." in merged and "as v0.3.0 words them" in merged
    # The two ways README.md tells users to find what is left to resolve.
    grep = subprocess.run(["git", "grep", "-n", "^<<<<<<< "], cwd=project, capture_output=True, text=True)
    assert grep.returncode == 0 and grep.stdout.startswith("src/inventory/settings.py:")
    check = subprocess.run(["git", "diff", "--check"], cwd=project, capture_output=True, text=True)
    assert check.returncode != 0 and "settings.py" in check.stdout
    # Everything else updated cleanly.
    assert "Bootstrap improvement of v0.2.0" in (project / "scripts/bootstrap.py").read_text()
    assert "Then run the test suite:" in (project / "README.md").read_text()


# Release points come from the history (copier_helpers), not from tags: this runs on any
# clone with history, and fails (never skips) on a shallow one, saying how to fix it.
@pytest.mark.slow
@pytest.mark.parametrize("tag", release_tags())
def test_update_from_every_release_to_the_working_tree(tag, tmp_path, capfd):
    template = template_at_tag(tmp_path / "template", tag)
    project = copy_project(template, tmp_path / "inventory", vcs_ref=tag)
    survivors = make_user_edits(project, "inventory")
    replace_tree(template, snapshot_template(tmp_path / "current"))
    commit_all(template, "the working tree, newer than every tag")
    capfd.readouterr()

    update_project(project, vcs_ref="HEAD")

    # Each release's blocks are the template's own lines: none is taken for the user's.
    assert "written inside" not in capfd.readouterr().err
    assert conflict_files(project) == []
    assert "Our own notes, kept by every update." in (project / "README.md").read_text()
    assert "retries: int" in (project / "src/inventory/settings.py").read_text()
    for name, content in survivors.items():
        assert (project / name).read_bytes() == content, name
    owned = (tmp_path / "current" / OWNED).read_text()
    assert (project / "scripts/bootstrap.py").read_text() == owned


# --- the first release, 0.1.0, whose shared files had no blocks ----------------------


def release_0_1_0(dst: Path) -> Path:
    """A template repository holding this repository's "Release 0.1.0" commit, tagged 0.1.0.

    Found by its subject, not by a tag: a clone without tags has it too."""
    found = git(REPO_ROOT, "log", "--format=%H", "--grep", "^Release 0.1.0$").split()
    if not found:
        pytest.skip("this clone has no commit named 'Release 0.1.0' (a shallow clone?)")
    dst.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", found[-1]], cwd=REPO_ROOT,
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dst)], input=archive, check=True)
    git(dst, "init", "-q", "-b", "main")
    commit_all(dst, "Release 0.1.0", tag="0.1.0")
    return dst


@pytest.mark.slow
def test_projects_of_0_1_0_update_losing_nothing_and_gaining_blocks(tmp_path, capfd,
                                                                     monkeypatch):
    template = release_0_1_0(tmp_path / "template")
    # Copied and updated from the folder that holds the template, by a relative path, as
    # copier records it: the update's task renders 0.1.0 from the same folder.
    monkeypatch.chdir(tmp_path)
    fresh = copy_project(Path("template"), tmp_path / "inventory", vcs_ref="0.1.0",
                         use_direnv=True)
    assert answers_of(fresh)["_src_path"] == "template"
    survivors = make_user_edits(fresh, "inventory")
    with (fresh / "tests/test_settings.py").open("a") as handle:
        handle.write("\n\ndef test_ours():\n    assert True\n")
    commit_all(fresh, "a test of ours in the template's file")
    # 0.1.0 adopted a repository by keeping its files (answer kept_files).
    adopted = tmp_path / "legacy"
    adopted.mkdir()
    git(adopted, "init", "-q", "-b", "main")
    own = {".gitignore": "*.log\n.venv\n", "README.md": "# Legacy\n\nOurs.\n",
           "pyproject.toml": '[project]\nname = "legacy"\nversion = "2"\n'
                             'dependencies = ["requests"]\n'}
    for name, text in own.items():
        (adopted / name).write_text(text)
    commit_all(adopted, "theirs")
    copy_project(template, adopted, vcs_ref="0.1.0")
    assert answers_of(adopted)["kept_files"] == [".gitignore", "README.md", "pyproject.toml"]
    before = {name: (adopted / name).read_text() for name in own}
    # A 0.1.0 README whose template text the user changed: it stays theirs, unmarked.
    edited = copy_project(Path("template"), tmp_path / "edited", vcs_ref="0.1.0")
    edit(edited / "README.md", "## Getting started", "## Start here")
    commit_all(edited, "our heading")
    replace_tree(template, snapshot_template(tmp_path / "current"))
    commit_all(template, "this release")
    capfd.readouterr()

    update_project(fresh, vcs_ref="HEAD")
    update_project(adopted, vcs_ref="HEAD")
    said = capfd.readouterr().err
    update_project(edited, vcs_ref="HEAD")
    said_edited = " ".join(capfd.readouterr().err.split())
    assert "README.md: you changed the text the template wrote there" in said_edited
    # One piece of advice, not also restore_blocks, which would append a second README.
    assert "no copier-venv-dotenv block" not in said_edited
    assert "## Start here" in (edited / "README.md").read_text()

    for project in (fresh, adopted):
        assert conflict_files(project) == [], project.name
        assert "kept_files" not in answers_of(project)
    # Fresh: the unedited 0.1.0 text became this version's, marked; every user line stays.
    readme = (fresh / "README.md").read_text()
    assert readme.count("<!-- >>> copier-venv-dotenv >>> -->") == 1 and readme.endswith(README_NOTES)
    assert readme.count("## Getting started") == 1
    gitignore = (fresh / ".gitignore").read_text()
    assert gitignore.count("/.venv/") == 1 and gitignore.endswith("*.local.txt\n")
    example = (fresh / ".env.example").read_text()
    assert example.count("LOG_LEVEL=") == 1 and example.endswith("RETRIES=3\n")
    pyproject = tomllib.loads((fresh / "pyproject.toml").read_text())
    assert pyproject["tool"]["copier-venv-dotenv"]["settings"] == "inventory.settings"
    # 0.1.0's pyproject.toml, left as written, is this release's: its python-dotenv range too.
    assert pyproject["project"]["dependencies"] == [DOTENV_REQUIREMENT]
    assert "# >>> copier-venv-dotenv" in (fresh / ".envrc").read_text()
    for name, content in survivors.items():
        assert (fresh / name).read_bytes() == content, name
    # Retired files: removed when unchanged, kept with a sentence when the user changed them.
    assert not (fresh / "tests/conftest.py").exists()
    assert not (fresh / "tests/test_environment.py").exists()
    assert not (fresh / ".github/workflows/ci.yml").exists()
    assert (fresh / ".github/workflows/venv-dotenv.yml").is_file()
    assert "def test_ours" in (fresh / "tests/test_settings.py").read_text()
    assert "removed tests/conftest.py: version 0.1.0 wrote it" in said
    assert "tests/test_settings.py: you changed this file of version 0.1.0, so it stays" in said
    # Its own declaration calls 0.1.0's Var(): the update imports it again, for ruff and mypy.
    settings = (fresh / "src/inventory/settings.py").read_text()
    assert "Var('int', default='3'" in settings
    imports = [line for line in settings.splitlines() if "import" in line and "Var" in line]
    assert imports and all("from ._settings import" in line for line in imports), imports
    assert ("its declarations use Var, which the template's import lines no longer name: "
            "added to them; Var() is 0.1.0's style") in said
    # Adopted: their files keep every line and get the blocks; 0.1.0's blocks are refreshed.
    for name, text in before.items():
        after = (adopted / name).read_text()
        theirs = text.split("\n# >>> copier-venv-dotenv")[0]
        if name == "pyproject.toml":  # the dependency joins their list, in place
            theirs = theirs.replace('["requests"]', f'["requests", "{DOTENV_REQUIREMENT}"]')
        assert after.startswith(theirs), name
        assert after.count(">>> copier-venv-dotenv") == 1, name
    pyproject = tomllib.loads((adopted / "pyproject.toml").read_text())
    assert pyproject["project"]["dependencies"] == ["requests", DOTENV_REQUIREMENT]
    assert pyproject["tool"]["copier-venv-dotenv"]["settings"] == "legacy.settings"


# --- deleted, ignored, and newly turned on or off shared files -----------------------


@pytest.mark.slow
def test_deleted_ignored_and_toggled_files_across_updates(released, tmp_path, capfd):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    # The team deletes a file the template owns and shared ones, and ignores .vscode/.
    git(project, "rm", "-q", ".github/workflows/venv-dotenv.yml", ".pre-commit-config.yaml",
        ".env.example")
    git(project, "rm", "-q", "--cached", ".vscode/settings.json")
    with (project / ".gitignore").open("a") as handle:
        handle.write(".vscode/\n")
    vscode = (project / ".vscode/settings.json").read_bytes()
    commit_all(project, "not for us")

    update_project(project, data={"use_direnv": True})

    assert conflict_files(project) == []
    assert "Then run the test suite:" in (project / "README.md").read_text()
    tomllib.loads((project / "pyproject.toml").read_text())
    assert not (project / ".github/workflows/venv-dotenv.yml").exists()
    assert not (project / ".pre-commit-config.yaml").exists()  # deleted on purpose: stays so
    assert (project / ".vscode/settings.json").read_bytes() == vscode  # ignored, not lost
    assert (project / ".envrc").is_file()  # newly turned on, never tracked: created
    said = " ".join(capfd.readouterr().err.split())
    assert "created .envrc" in said
    # The file the settings need is not recreated, but the loss is named.
    assert not (project / ".env.example").exists()
    assert (".env.example was deleted, and the settings need it: `init` makes the private "
            "env file from it, `check` and the tests compare it with settings.py; `copier "
            "update --trust --defaults -d restore_blocks=true` puts it back") in said
    commit_all(project, "direnv")

    update_project(project, data={"use_direnv": False})
    assert not (project / ".envrc").exists()  # the template's, unchanged: removed
    commit_all(project, "no direnv")

    # After another template's --overwrite, or to undo a deletion: restore.
    update_project(project, data={"restore_blocks": True})
    assert "# >>> copier-venv-dotenv" in (project / ".pre-commit-config.yaml").read_text()
    assert "SECRET_KEY=" in (project / ".env.example").read_text()
    assert "restore_blocks" not in answers_of(project)


# --- questions added or renamed by a later release -----------------------------------

NEW_QUESTIONS = ("ci_workflow", "update_workflow")


def old_release_without(template: Path, questions: tuple[str, ...]) -> None:
    """Turn a snapshot into an "older release" that did not have ``questions`` yet."""
    path = template / "copier.yml"
    config = yaml.safe_load(path.read_text())
    for key in (*questions, "_skip_if_exists", "_tasks", "_migrations"):
        config.pop(key, None)
    path.write_text(yaml.safe_dump(config, sort_keys=False, width=1000))
    for workflows in (template / "template").glob("*.github*"):
        shutil.rmtree(workflows)


@pytest.mark.slow
def test_project_from_before_new_questions_updates_with_their_defaults(tmp_path):
    template = snapshot_template(tmp_path / "template")
    old_release_without(template, NEW_QUESTIONS)
    commit_all(template, "an older release", tag="v0.0.1")
    project = copy_project(template, tmp_path / "inventory")
    assert not any(key in answers_of(project) for key in NEW_QUESTIONS)
    replace_tree(template, snapshot_template(tmp_path / "current"))
    commit_all(template, "new questions", tag="v0.1.0")

    update_project(project)

    answers = answers_of(project)
    assert answers["_commit"] == "v0.1.0"
    assert answers["ci_workflow"] is True and answers["update_workflow"] is False
    assert (project / ".github/workflows/venv-dotenv.yml").is_file()
    assert not (project / ".github/workflows/copier-update.yml").exists()
    assert conflict_files(project) == []


MIGRATION = {
    "version": "0.1.0",
    "when": "{{ _stage == 'before' }}",
    "command": [
        "{{ _copier_python }}",
        "{{ _copier_conf.src_path }}/extensions/migrations/migrate_answers.py",
        "{{ _copier_conf.answers_file }}",
        "--rename=venv_folder=venv_dir",
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize("skip_answered", [False, True], ids=["update", "update-skip-answered"])
def test_renamed_question_is_migrated_from_an_old_tag(tmp_path, skip_answered):
    # v0.0.1 called the question venv_folder; v0.1.0 renames it and ships a migration.
    template = snapshot_template(tmp_path / "template")
    rename_question(template, "venv_dir", "venv_folder")
    commit_all(template, "release with venv_folder", tag="v0.0.1")
    project = copy_project(template, tmp_path / "inventory", venv_folder="venvs/app")
    assert answers_of(project)["venv_folder"] == "venvs/app"
    replace_tree(template, snapshot_template(tmp_path / "current"))
    add_migration(template, MIGRATION)
    commit_all(template, "rename venv_folder to venv_dir", tag="v0.1.0")

    # Renovate runs `copier update --skip-answered --defaults`: both must migrate.
    update_project(project, skip_answered=skip_answered)

    answers = answers_of(project)
    assert answers["venv_dir"] == "venvs/app" and "venv_folder" not in answers
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["copier-venv-dotenv"]["venv-dir"] == "venvs/app"
    assert "/venvs/app/" in (project / ".gitignore").read_text().splitlines()
    assert conflict_files(project) == []


# --- the migration script on its own ------------------------------------------------

SCRIPT = REPO_ROOT / "extensions/migrations/migrate_answers.py"


def migrate(answers_file: Path, *operations: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(answers_file), *operations],
        capture_output=True, text=True, check=True,
    )


def test_migration_script_renames_maps_drops_and_is_idempotent(tmp_path):
    # tmp_path is not a git repository, like copier's temporary renders.
    answers = tmp_path / ".copier-answers.yml"
    answers.write_text(
        "# Written by copier: do not edit by hand.\n"
        "_commit: v0.0.1\n_src_path: https://example.org/t.git\n"
        "use_uv: true\npython_version: '3.10'\nvenv_folder: .venv\nold_flag: 1\n"
    )
    operations = ["--rename=use_uv=installer", "--map=installer:true=uv",
                  "--map=python_version:3.10=3.11", "--rename=venv_folder=venv_dir",
                  "--drop=old_flag", "--map=installer:1=pip"]
    migrate(answers, *operations)
    first = answers.read_bytes()
    data = yaml.safe_load(first)
    assert data == {"_commit": "v0.0.1", "_src_path": "https://example.org/t.git",
                    "installer": "uv", "python_version": "3.11", "venv_dir": ".venv"}
    assert first.startswith(b"# Written by copier: do not edit by hand.\n")
    # Run twice: same bytes; and a file that needs nothing is not rewritten at all.
    result = migrate(answers, *operations)
    assert answers.read_bytes() == first and result.stderr == ""


def test_migration_never_overwrites_a_newer_answer(tmp_path):
    answers = tmp_path / "answers.yml"
    answers.write_text("venv_folder: old\nvenv_dir: new\n")
    migrate(answers, "--rename=venv_folder=venv_dir")
    assert yaml.safe_load(answers.read_text()) == {"venv_dir": "new"}


def test_migration_refuses_copier_private_keys(tmp_path):
    answers = tmp_path / "answers.yml"
    answers.write_text("_commit: v1\n")
    result = subprocess.run([sys.executable, str(SCRIPT), str(answers), "--drop=_commit"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "not a question name" in result.stderr
    assert answers.read_text() == "_commit: v1\n"


@pytest.mark.slow
def test_update_of_a_dirty_project_is_refused_and_changes_nothing(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nwork in progress, not committed\n")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts}

    result = copier_cli("update", "--trust", "--defaults", cwd=project)

    assert result.returncode != 0
    assert "dirty" in result.stderr.lower()
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before
    assert answers_of(project)["_commit"] == "v0.1.0"


@pytest.mark.slow  # the copier command line, a real update
def test_an_update_that_changes_nothing_says_so_without_next_steps(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")

    result = copier_cli("update", "--trust", "--defaults", cwd=project)

    assert result.returncode == 0, result.stderr
    assert git(project, "status", "--porcelain") == ""
    assert "inventory is up to date with copier-venv-dotenv v0.2.0: git sees no change" in (
        result.stderr)
    assert "Next steps" not in result.stderr and "Updated inventory" not in result.stderr

    # A preview of an update writes nothing: the clean tree says nothing of it.
    result = copier_cli("update", "--trust", "--defaults", "--pretend", "-d",
                        "env_vars=LOG_LEVEL=INFO", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "--pretend: the update above was not written to inventory." in result.stderr
    assert "up to date" not in result.stderr and "Next steps" not in result.stderr
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.slow  # the copier command line, a real update
def test_an_update_that_only_rewrites_line_endings_says_up_to_date(released, tmp_path):
    # A project checked out with CRLF endings (eol=crlf, as core.autocrlf does on
    # Windows): copier rewrites its files with LF, which git stages as no change.
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    (project / ".gitattributes").write_text("* text eol=crlf\n")
    git(project, "add", ".gitattributes")
    git(project, "commit", "-q", "-m", "CRLF in the work tree")
    git(project, "rm", "-q", "-r", "--cached", ".")
    git(project, "reset", "-q", "--hard")
    assert b"\r\n" in (project / "scripts" / "bootstrap.py").read_bytes()

    result = copier_cli("update", "--trust", "--defaults", cwd=project)

    assert result.returncode == 0, result.stderr
    assert b"\r\n" not in (project / "scripts" / "bootstrap.py").read_bytes()
    assert "inventory is up to date with copier-venv-dotenv" in result.stderr
    assert "Next steps" not in result.stderr
    git(project, "add", "-A")
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.slow  # the copier command line, a real update
@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_an_update_writes_no_block_through_a_link_out_of_the_project(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    outside = tmp_path / "shared-readme.md"
    shutil.move(project / "README.md", outside)
    (project / "README.md").symlink_to(outside)
    commit_all(project, "the README lives elsewhere")
    before = outside.read_bytes()

    result = copier_cli("update", "--trust", "--defaults", "-d", "env_vars=PORT:int=8000",
                        cwd=project)

    assert result.returncode == 0, result.stderr
    assert outside.read_bytes() == before
    said = " ".join(result.stderr.split())
    assert (f"README.md: README.md is a symbolic link to {outside}, outside the project; "
            "left as it is") in said


def drop_block(path: Path) -> None:
    """What "accept theirs" on a conflict next to the block does: its lines are gone."""
    lines = path.read_text().splitlines(keepends=True)
    begin = next(i for i, line in enumerate(lines) if ">>> copier-venv-dotenv" in line)
    end = next(i for i, line in enumerate(lines) if "<<< copier-venv-dotenv" in line)
    path.write_text("".join(lines[:begin] + lines[end + 1:]))


@pytest.mark.slow  # the copier command line, real updates
def test_an_update_names_the_blocks_a_conflict_dropped_and_restore_puts_them_back(
        released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    gitignore = (project / ".gitignore").read_text()
    drop_block(project / ".gitignore")
    drop_block(project / "README.md")
    commit_all(project, "another template's update, conflicts resolved with theirs")

    result = copier_cli("update", "--trust", "--defaults", cwd=project)

    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert (".gitignore, README.md have no copier-venv-dotenv block, so the template's part "
            "there is not kept up to date; if that is not on purpose, `copier update --trust "
            "--defaults -d restore_blocks=true` puts them back. Warning: git would not "
            "ignore .env.local, "
            "the private env file: move the env files out of the project while that update "
            "runs (it needs a clean work tree), or git add -A commits their secrets") in said
    assert git(project, "status", "--porcelain") == ""  # said, not done

    result = copier_cli("update", "--trust", "--defaults", "-d", "restore_blocks=true",
                        cwd=project)
    assert result.returncode == 0, result.stderr
    assert "no copier-venv-dotenv block" not in result.stderr
    for path in (".gitignore", "README.md"):
        assert f"restored its part of {path}; every other line stays as it was" in (
            result.stderr)
    assert "restored its part of pyproject.toml" not in result.stderr  # it was there
    restored = (project / ".gitignore").read_text()  # the block again, at the end now
    assert sorted(filter(None, restored.splitlines())) == sorted(
        filter(None, gitignore.splitlines()))
    assert git(project, "check-ignore", "-q", "--no-index", ".env.local") == ""

    # Committed while it was not ignored: the next update warns, naming the way out.
    (project / ".env.local").write_text("SECRET_KEY=s3cr3t\n")
    git(project, "add", "-f", ".env.local")
    commit_all(project, "restored, and the private env file committed by mistake")
    result = copier_cli("update", "--trust", "--defaults", cwd=project)
    assert result.returncode == 0, result.stderr
    assert ("Warning: git tracks .env.local, the private env file, which holds this "
            "checkout's secrets: git rm --cached .env.local, commit, and rotate every "
            "secret it held") in " ".join(result.stderr.split())
    assert "s3cr3t" not in result.stderr


@pytest.mark.slow  # the copier command line, real updates, a real venv
def test_moving_the_venv_or_the_env_file_names_what_is_left_behind(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0",
                           env_file="config/app.env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")],
                   check=True)
    (project / "config").mkdir(exist_ok=True)
    (project / "config/app.env").write_text("DEBUG=true\n")
    (project / "config/app.env.prod.local").write_text("SECRET_KEY=s3cr3t-value-42\n")
    assert git(project, "status", "--porcelain") == ""  # all three ignored

    result = copier_cli("update", "--trust", "--defaults", "-d", "venv_dir=.venv-app",
                        "-d", "env_file=.env", cwd=project)

    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert ("venv_dir is now .venv-app: nothing uses the venv in .venv any more; git no "
            "longer ignores it. Run python3 scripts/bootstrap.py to make .venv-app, then "
            "delete .venv") in said
    assert ("env_file is now .env: the loader no longer reads config/app.env, "
            "config/app.env.prod.local; before the bootstrap (which would create .env.local "
            "with new random secrets), move them: mv config/app.env .env && mv "
            "config/app.env.prod.local .env.prod.local.") in said
    assert ("Warning: git no longer ignores config/app.env, config/app.env.prod.local: do "
            "not commit them.") in said
    assert "s3cr3t" not in result.stderr
    # What the sentences say of git holds.
    assert "?? config/" in git(project, "status", "--porcelain")

    # To .env.app: .env.app and its layers match .env.*, but they are the new files; a
    # .env.test committed on purpose (un-ignored below the block) is no secret left out.
    shutil.rmtree(project / "config")
    shutil.rmtree(project / ".venv")
    with (project / ".gitignore").open("a", encoding="utf-8") as handle:
        handle.write("!.env.test\n")
    (project / ".env.test").write_text("DEBUG=true\n")
    commit_all(project, "moved")
    for name in (".env.local", ".env.app", ".env.app.local"):
        (project / name).write_text("SECRET_KEY=s3cr3t-value-42\n")
    # A venv that ignores itself, as uv's and Python 3.13's do: still ignored once moved.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip",
                    str(project / ".venv-app")], check=True)
    (project / ".venv-app" / ".gitignore").write_text("*\n")
    result = copier_cli("update", "--trust", "--defaults", "-d", "env_file=.env.app",
                        "-d", "venv_dir=.venv-b", cwd=project)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert ("the loader no longer reads .env.local, .env.test; move what they set into the "
            "new files, then delete them.") in said  # .env.app.local is there already
    assert "Warning: git no longer ignores" not in said
    assert "nothing uses the venv in .venv-app any more. Run" in said
    assert ".venv-app" not in git(project, "status", "--porcelain")


@pytest.mark.slow  # the copier command line, a real update
def test_an_answer_turned_on_at_update_adds_its_block_to_their_own_file(released, tmp_path):
    """`copier update -d use_direnv=true` in a project with its own .envrc: the block is
    added to it (as restore_blocks would), every line of theirs kept, and the output says
    so; a second update changes nothing."""
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    assert answers_of(project)["use_direnv"] is False
    theirs = "# ours\nexport AWS_PROFILE=dev\nuse flake\n"
    (project / ".envrc").write_text(theirs)
    commit_all(project, "our own direnv setup")

    result = copier_cli("update", "--trust", "--defaults", "-d", "use_direnv=true",
                        "--vcs-ref", "v0.2.0", cwd=project)
    assert result.returncode == 0, result.stderr
    assert answers_of(project)["use_direnv"] is True
    text = (project / ".envrc").read_text()
    assert text.startswith(theirs)
    assert text.count("# >>> copier-venv-dotenv") == 1 and "# <<< copier-venv-dotenv <<<" in text
    assert "added its marked block to your .envrc (use_direnv is now on)" in result.stderr
    commit_all(project, "direnv on")

    result = copier_cli("update", "--trust", "--defaults", "--vcs-ref", "v0.2.0", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / ".envrc").read_text() == text
    assert "added its marked block" not in result.stderr
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.slow  # the copier command line, real updates
def test_lines_written_inside_a_block_are_kept_below_it(released, tmp_path):
    """A pattern added inside the .gitignore block, a variable inside the .env.example
    block: the update rewrites the blocks and keeps those lines just below them, says so
    once, and a second update changes nothing."""
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    edit(project / ".gitignore", "!.env.example\n", "!.env.example\nsecrets/\n")
    edit(project / ".env.example", "DEBUG=false\n",
         "DEBUG=false\n\n# How often to retry.\nRETRIES=3\n")
    commit_all(project, "lines inside the blocks")

    result = copier_cli("update", "--trust", "--defaults", "-d", "venv_dir=venv",
                        "--vcs-ref", "v0.2.0", cwd=project)

    assert result.returncode == 0, result.stderr
    gitignore = (project / ".gitignore").read_text()
    assert "/venv/" in gitignore and "/.venv/" not in gitignore
    assert "# <<< copier-venv-dotenv <<<\nsecrets/\n" in gitignore
    example = (project / ".env.example").read_text()
    # Below the block, under the starter's comment that opens the project's own part.
    assert ("# <<< copier-venv-dotenv <<<\n\n# Your own variables go below this line "
            "(declare them in settings.py too): copier\n# update rewrites only the block "
            "above.\n# How often to retry.\nRETRIES=3\n") in example
    said = " ".join(result.stderr.split())
    assert ".gitignore: kept secrets/ written inside the copier-venv-dotenv block" in said
    assert ".env.example: kept 2 line(s) (setting RETRIES) written inside" in said
    commit_all(project, "venv moved")

    result = copier_cli("update", "--trust", "--defaults", "--vcs-ref", "v0.2.0", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "written inside" not in result.stderr
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.slow  # the copier command line, a real update
def test_moving_the_package_names_the_declarations_copier_did_not_carry(released, tmp_path):
    """-d package_name=... -d package_dir=...: copier renders settings.py in the new
    folder and carries no edit across; the update names the declarations left behind."""
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    edit(project / "src/inventory/settings.py", "# from the env_vars answer and keeps these.\n",
         "# from the env_vars answer and keeps these.\n    max_jobs: int = 3\n")
    commit_all(project, "a variable of ours")

    result = copier_cli("update", "--trust", "--defaults", "-d", "package_name=stock",
                        "-d", "package_dir=src/stock", "--vcs-ref", "v0.2.0", cwd=project)

    assert result.returncode == 0, result.stderr
    assert "max_jobs" not in (project / "src/stock/settings.py").read_text()
    said = " ".join(result.stderr.split())
    assert ("package_dir is now src/stock: copier does not carry your edits across the move; "
            "src/inventory/settings.py declared max_jobs, which src/stock/settings.py does "
            "not: copy those declarations below its marker comment (git show "
            "HEAD:./src/inventory/settings.py shows the old file); __init__.py and py.typed "
            "of the package stayed in src/inventory: git mv src/inventory/__init__.py "
            "src/stock/__init__.py && git mv src/inventory/py.typed src/stock/py.typed") in said
    assert not (project / "src/stock/__init__.py").exists()  # said, not done: theirs


@pytest.mark.slow  # the copier command line, a real update
def test_a_bootstrap_script_another_template_took_over_is_named(released, tmp_path):
    """Another template ships scripts/bootstrap.py and the conflict was resolved with its
    side: copier sees nothing to update; the update says the script is not this one."""
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    (project / "scripts/bootstrap.py").write_text("print('the organisation bootstrap')\n")
    commit_all(project, "their bootstrap")

    result = copier_cli("update", "--trust", "--defaults", "--vcs-ref", "v0.2.0", cwd=project)

    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert ("scripts/bootstrap.py is not this template's any more (another template's, or "
            "its side was dropped while resolving a conflict): it does not run "
            "scripts/_bootstrap.py") in said
    assert (project / "scripts/bootstrap.py").read_text() == (
        "print('the organisation bootstrap')\n")
