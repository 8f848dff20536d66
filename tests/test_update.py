"""`copier update` across template versions: edits, env files, answers, conflicts, migrations.

Each test builds a git repository of the template, tags versions in it, copies a project
from an older tag and updates it, with copier's real API on real git repositories.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
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

ENGINE = "template/src/{{package_name}}/_settings_engine.py"
ENV_BYTES = b"# mine, never committed\nSECRET_KEY='s3cr3t value'\r\nDEBUG=true\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def release_v020(template: Path) -> None:
    """A next release touching a template-owned file, the pyproject and the README."""
    with (template / ENGINE).open("a", encoding="utf-8") as handle:
        handle.write("\n# Engine improvement of v0.2.0.\n")
    edit(template / "template/pyproject.toml.jinja", '"pytest>=8",', '"pytest>=8",\n    "pytest-cov>=5",')
    edit(template / "template/README.md.jinja", "## Configuration\n",
         "## Configuration\n\nA paragraph new in v0.2.0.\n")
    edit(template / "template/README.md.jinja", "Then run the tests:", "Then run the test suite:")
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
        handle.write("\n## Deployment\n\nOur own notes, kept by every update.\n")
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


def test_update_lands_template_changes_and_keeps_edits_env_and_user_files(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    survivors = make_user_edits(project, "inventory")

    update_project(project)

    assert answers_of(project)["_commit"] == "v0.2.0"
    assert conflict_files(project) == []
    # Template changes landed: a template-owned file, the pyproject, the README.
    assert "Engine improvement of v0.2.0" in (project / "src/inventory/_settings_engine.py").read_text()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert "pytest-cov>=5" in pyproject["project"]["optional-dependencies"]["dev"]
    readme = (project / "README.md").read_text()
    assert "A paragraph new in v0.2.0." in readme
    # The user's edits survived the three-way merge.
    assert "Our own notes, kept by every update." in readme
    settings = (project / "src/inventory/settings.py").read_text()
    assert 'ALLOW_RESERVED: tuple[str, ...] = ("PYTHONPATH",)' in settings
    assert "retries: int = Var('int', default='3'" in settings
    assert "RETRIES=3" in (project / ".env.example").read_text()
    # The env file, the venv and files the template never rendered: byte for byte.
    for name, content in survivors.items():
        assert (project / name).read_bytes() == content, name

    # A second update to the same version changes nothing.
    commit_all(project, "update to v0.2.0")
    update_project(project)
    assert git(project, "status", "--porcelain") == ""


def test_answer_change_regenerates_declarations_and_keeps_other_edits(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.2.0")
    survivors = make_user_edits(project, "inventory")

    # copier update --trust --defaults -d env_vars=...
    # Every generated line changes, the last one (SECRET_KEY) included.
    update_project(project, data={"env_vars": "LOG_LEVEL=INFO, PORT:int=8000"})

    assert conflict_files(project) == []
    assert answers_of(project)["env_vars"] == "LOG_LEVEL=INFO, PORT:int=8000"
    example = (project / ".env.example").read_text()
    assert "PORT=8000" in example
    assert "DEBUG=" not in example and "DATABASE_URL=" not in example
    assert "SECRET_KEY=" not in example
    assert "RETRIES=3" in example  # the user's own variable
    settings = (project / "src/inventory/settings.py").read_text()
    assert "port: int = Var('int', default='8000')" in settings
    assert "debug:" not in settings and "database_url:" not in settings
    assert "secret_key:" not in settings
    assert "retries: int = Var('int', default='3'" in settings
    assert 'ALLOW_RESERVED: tuple[str, ...] = ("PYTHONPATH",)' in settings
    for name, content in survivors.items():
        assert (project / name).read_bytes() == content, name
    # The regenerated declarations still import and agree with .env.example.
    check = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, 'src'); import inventory.settings as s;"
         "print(sorted(s.Settings.__dict__.get('__annotations__', {})))"],
        cwd=project, capture_output=True, text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "port" in check.stdout and "retries" in check.stdout


def test_conflicting_edit_leaves_markers_that_git_finds(released, tmp_path):
    project = copy_project(released, tmp_path / "inventory", vcs_ref="v0.1.0")
    # The user rewrites the very line the next release rewrites too.
    edit(project / "README.md", "Then run the tests:", "Then run all our tests:")
    commit_all(project, "retitle")

    update_project(project)

    assert conflict_files(project) == ["README.md"]
    readme = (project / "README.md").read_text()
    assert "<<<<<<< before updating" in readme and ">>>>>>> after updating" in readme
    assert "Then run all our tests:" in readme and "Then run the test suite:" in readme
    assert "A paragraph new in v0.2.0." in readme  # merged cleanly elsewhere in the file
    # The two ways README.md tells users to find what is left to resolve.
    grep = subprocess.run(["git", "grep", "-n", "^<<<<<<< "], cwd=project, capture_output=True, text=True)
    assert grep.returncode == 0 and grep.stdout.startswith("README.md:")
    check = subprocess.run(["git", "diff", "--check"], cwd=project, capture_output=True, text=True)
    assert check.returncode != 0 and "README.md" in check.stdout
    # Everything else updated cleanly.
    assert "Engine improvement of v0.2.0" in (project / "src/inventory/_settings_engine.py").read_text()


# Release points come from the history (copier_helpers), not from tags: this runs on any
# clone with history, and fails (never skips) on a shallow one, saying how to fix it.
@pytest.mark.parametrize("tag", release_tags())
def test_update_from_every_release_to_the_working_tree(tag, tmp_path):
    template = template_at_tag(tmp_path / "template", tag)
    project = copy_project(template, tmp_path / "inventory", vcs_ref=tag)
    survivors = make_user_edits(project, "inventory")
    replace_tree(template, snapshot_template(tmp_path / "current"))
    commit_all(template, "the working tree, newer than every tag")

    update_project(project, vcs_ref="HEAD")

    assert conflict_files(project) == []
    assert "Our own notes, kept by every update." in (project / "README.md").read_text()
    assert "retries: int" in (project / "src/inventory/settings.py").read_text()
    for name, content in survivors.items():
        assert (project / name).read_bytes() == content, name
    engine = (tmp_path / "current" / ENGINE).read_text()
    assert (project / "src/inventory/_settings_engine.py").read_text() == engine


# --- questions added or renamed by a later release -----------------------------------

NEW_QUESTIONS = ("ci_workflow", "update_workflow", "kept_files")


def old_release_without(template: Path, questions: tuple[str, ...]) -> None:
    """Turn a snapshot into an "older release" that did not have ``questions`` yet."""
    path = template / "copier.yml"
    config = yaml.safe_load(path.read_text())
    for key in (*questions, "_skip_if_exists", "_tasks", "_migrations"):
        config.pop(key, None)
    path.write_text(yaml.safe_dump(config, sort_keys=False, width=1000))
    for workflows in (template / "template").glob("*.github*"):
        shutil.rmtree(workflows)


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
    assert "kept_files" not in answers
    assert (project / ".github/workflows/ci.yml").is_file()
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


def test_update_of_a_dirty_project_is_refused_and_changes_nothing(released, tmp_path):
    from conftest import copier_cli

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
