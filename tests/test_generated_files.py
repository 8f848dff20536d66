"""Which files a project gets for each combination of options (pytest-copie renders)."""

from __future__ import annotations

import json

import pytest

ALWAYS = {
    ".copier-answers.yml", ".env.example", ".gitignore", "README.md", "pyproject.toml",
    "scripts/bootstrap.py", "scripts/_bootstrap.py", "src/shop/__init__.py", "src/shop/_reserved_names.py",
    "src/shop/_settings_engine.py", "src/shop/_settings_values.py",
    "src/shop/_settings_declarations.py", "src/shop/_settings_envfile.py",
    "src/shop/_settings_loading.py", "src/shop/_settings_cli.py",
    "src/shop/settings.py", "tests/conftest.py",
    "tests/test_environment.py", "tests/test_settings.py",
}
OPTIONAL = {
    "use_direnv": {".envrc"},
    "use_vscode": {".vscode/settings.json"},
    "use_pre_commit": {".pre-commit-config.yaml"},
    "ci_workflow": {".github/workflows/ci.yml"},
    "update_workflow": {".github/workflows/copier-update.yml"},
}


def rendered_files(project) -> set[str]:
    return {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}


@pytest.mark.parametrize("enabled", [set(), set(OPTIONAL)] + [{name} for name in OPTIONAL],
                         ids=lambda e: "+".join(sorted(e)) or "none")
def test_each_option_adds_exactly_its_files(copie, template_repo, enabled):
    answers = {"package_name": "shop", **{name: name in enabled for name in OPTIONAL}}
    result = copie.copy(extra_answers=answers, template_dir=template_repo)
    assert result.exit_code == 0, result.exception
    expected = ALWAYS.union(*(OPTIONAL[name] for name in enabled))
    assert rendered_files(result.project_dir) == expected


def test_vscode_settings_follow_the_answers(copie, template_repo):
    result = copie.copy(
        extra_answers={"venv_dir": "envs/dev", "env_file": "config/app.env", "use_vscode": True},
        template_dir=template_repo,
    )
    assert result.exit_code == 0, result.exception
    settings = json.loads((result.project_dir / ".vscode/settings.json").read_text())
    assert "envs/dev" in settings["python.defaultInterpreterPath"]
    assert settings["python.envFile"].endswith("config/app.env")


def test_rendered_python_files_compile(copie, template_repo):
    result = copie.copy(
        extra_answers={"env_vars": 'A:int=1, B:list="x,y", C:secret, D:path=data, E:url='},
        template_dir=template_repo,
    )
    assert result.exit_code == 0, result.exception
    for path in result.project_dir.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
