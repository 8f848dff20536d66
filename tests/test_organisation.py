"""Organisations: another template beside this one, org-wide defaults, reuse of the rules."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import copier
import pytest
import yaml
from conftest import TEMPLATE_PACKAGE, copier_cli, refusal, render
from copier_helpers import (
    REPO_ROOT,
    answers_of,
    commit_all,
    conflict_files,
    copy_project,
    git,
    snapshot_template,
    update_project,
)

OURS = ".copier-answers.venv-dotenv.yml"
THEIRS = ".copier-answers.lint.yml"
OWNED = "template/scripts/bootstrap.py"
RUFF_V1 = (
    '# Organisation lint settings\nline-length = {{ line_length }}\n\n[format]\nquote-style = "double"\n'
)
RUFF_V11 = RUFF_V1.replace("}}\n", '}}\ntarget-version = "py311"\n')
TEAM_LINE = "docstring-code-format = true\n"


def lint_template(path: Path) -> Path:
    """A small organisation template of its own: a ruff.toml, its own answers file."""
    (path / "template").mkdir(parents=True)
    (path / "copier.yml").write_text(
        "_subdirectory: template\n"
        f"_answers_file: {THEIRS}\n"
        "line_length:\n  type: int\n  help: Maximum line length\n  default: 99\n"
    )
    (path / "template/ruff.toml.jinja").write_text(RUFF_V1)
    (path / "template/{{ _copier_conf.answers_file }}.jinja").write_text(
        "# Changes here will be overwritten by Copier\n{{ _copier_answers | to_nice_yaml }}"
    )
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "lint template", tag="v1.0.0")
    return path


@pytest.mark.slow
def test_two_templates_in_one_repo_each_update_without_undoing_the_other(tmp_path):
    ours = snapshot_template(tmp_path / "venv-dotenv", "v0.1.0")
    theirs = lint_template(tmp_path / "lint")
    project = copy_project(ours, tmp_path / "service", answers_file=OURS)
    copy_project(theirs, project)  # into the same repository, beside ours
    assert answers_of(project, OURS)["_commit"] == "v0.1.0"
    assert answers_of(project, THEIRS)["_commit"] == "v1.0.0"
    assert not (project / ".copier-answers.yml").exists()
    # The commands the project is told name this template's answers file: run as
    # written, they update this template's part, not the other one's.
    update = f"copier update --trust --defaults -a {OURS}"
    assert f"#   {update} -d NAME=VALUE\n" in (project / OURS).read_text()
    table = tomllib.loads((project / "pyproject.toml").read_text())["tool"]
    assert table["copier-venv-dotenv"]["answers-file"] == OURS  # for `check`'s commands
    assert f"`{update}` brings in its improvements" in (project / "README.md").read_text()

    # Both templates release; each project file is also edited by the team.
    with (ours / OWNED).open("a") as handle:
        handle.write("\n# Bootstrap improvement of v0.2.0.\n")
    commit_all(ours, "v0.2.0", tag="v0.2.0")
    (theirs / "template/ruff.toml.jinja").write_text(RUFF_V11)
    commit_all(theirs, "v1.1.0", tag="v1.1.0")
    with (project / "ruff.toml").open("a") as handle:
        handle.write(TEAM_LINE)
    commit_all(project, "team edits")

    update_project(project, answers_file=OURS)
    assert answers_of(project, OURS)["_commit"] == "v0.2.0"
    assert "Bootstrap improvement" in (project / "scripts/bootstrap.py").read_text()
    assert answers_of(project, THEIRS)["_commit"] == "v1.0.0"  # untouched
    assert (project / "ruff.toml").read_text() == RUFF_V1.replace("{{ line_length }}", "99") + TEAM_LINE
    commit_all(project, "update venv-dotenv")

    update_project(project, answers_file=THEIRS, data={"line_length": 88})
    assert answers_of(project, THEIRS)["_commit"] == "v1.1.0"
    assert (project / "ruff.toml").read_text() == RUFF_V11.replace("{{ line_length }}", "88") + TEAM_LINE
    assert answers_of(project, OURS)["_commit"] == "v0.2.0"  # untouched
    assert "Bootstrap improvement" in (project / "scripts/bootstrap.py").read_text()
    assert conflict_files(project) == []
    changed = git(project, "status", "--porcelain").split("\n")
    assert sorted(line[3:] for line in changed if line) == [THEIRS, "ruff.toml"]


@pytest.mark.slow
def test_org_defaults_and_trust_from_the_settings_file(template_repo, tmp_path, monkeypatch):
    settings = tmp_path / "settings.yml"
    settings.write_text(yaml.safe_dump({
        "defaults": {"python_version": "3.12", "ci_workflow": False, "update_workflow": True,
                     "env_vars": "LOG_LEVEL=INFO, SENTRY_DSN:url="},
        "trust": [str(template_repo.parent) + "/"],
    }))
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings))
    dst = tmp_path / "billing"
    # No --trust: the settings file trusts the organisation's prefix.
    result = copier_cli("copy", "--defaults", str(template_repo), str(dst))
    assert result.returncode == 0, result.stderr
    answers = answers_of(dst)
    assert answers["python_version"] == "3.12"
    assert answers["ci_workflow"] is False and answers["update_workflow"] is True
    assert answers["env_vars"] == "LOG_LEVEL=INFO, SENTRY_DSN:url="
    assert not (dst / ".github/workflows/venv-dotenv.yml").exists()
    assert (dst / ".github/workflows/copier-update.yml").is_file()
    assert 'requires-python = ">=3.12"' in (dst / "pyproject.toml").read_text()
    # A -d answer still wins over the organisation's default (in-process: the same data).
    other = tmp_path / "payments"
    copier.run_copy(str(template_repo), str(other), data={"python_version": "3.13"},
                    defaults=True, quiet=True)  # settings and trust from the file
    assert answers_of(other)["python_version"] == "3.13"


def test_another_template_reuses_the_name_rules(tmp_path):
    # What README.md tells other templates to do: vendor the extension file and the rules
    # module it loads, and list the extension.
    template = tmp_path / "service-template"
    (template / "extensions").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "extensions/venv_dotenv_rules.py", template / "extensions")
    shutil.copy2(TEMPLATE_PACKAGE / "_settings/_rules.py",
                 template / "extensions/venv_dotenv_rules_core.py")
    (template / "template").mkdir()
    (template / "copier.yml").write_text("""\
_subdirectory: template
_jinja_extensions:
  - copier_template_extensions.TemplateExtensionLoader
  - extensions/venv_dotenv_rules.py:VenvDotenvExtension
module:
  type: str
  default: billing
  validator: "{{ module | package_name_error }}"
service_env:
  type: str
  default: "PORT:int=8080, API_TOKEN:secret"
  validator: "{{ service_env | env_vars_error(module) }}"
""")
    (template / "template/env-names.txt.jinja").write_text(
        "{% for v in service_env | parse_env_vars(module) %}{{ v.name }}:{{ v.type }}\n{% endfor %}")
    git(template, "init", "-q", "-b", "main")
    commit_all(template, "service template", tag="v1.0.0")

    # In-process: copier loads the vendored file from this template's folder each time.
    good = render(template, tmp_path / "good")
    assert (good / "env-names.txt").read_text() == "PORT:int\nAPI_TOKEN:secret\n"

    for question, value, words in [
        ("service_env", "PYTHONPATH=src", "PYTHONPATH"),
        ("module", "json", "json"),
    ]:
        bad = tmp_path / f"bad-{question}"
        message = refusal(template, bad, **{question: value})
        assert f"Validation error for question '{question}'" in message
        assert words in message
        assert not (bad / "env-names.txt").exists()
