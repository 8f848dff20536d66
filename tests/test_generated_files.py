"""Which files a project gets for each combination of options (pytest-copie renders)."""

from __future__ import annotations

import json

import pytest
from conftest import REPO_ROOT, TEMPLATE_PACKAGE_DIR

# The shared files every project gets (starters with the template's marked blocks), and
# the package's own files, made only with a new package.
SHARED = {".copier-answers.yml", ".env.example", ".gitignore", "README.md", "pyproject.toml",
          "src/shop/__init__.py", "src/shop/py.typed"}
OPTIONAL = {
    "use_direnv": {".envrc"},
    "use_vscode": {".vscode/settings.json"},
    "use_pre_commit": {".pre-commit-config.yaml"},
    "ci_workflow": {".github/workflows/venv-dotenv.yml"},
    "update_workflow": {".github/workflows/copier-update.yml"},
}


def owned_files() -> set[str]:
    """The template's own static files (bootstrap, settings module, engine, tests): read
    from the template folder, so that this list follows the engine's layout."""
    found = set()
    for path in (REPO_ROOT / "template").rglob("*"):
        relative = path.relative_to(REPO_ROOT / "template").as_posix()
        if not path.is_file() or "{%" in relative or "_copier_conf" in relative:
            continue
        if "__pycache__" in relative or relative.endswith((".pyc", ".pyo")):
            continue
        found.add(relative.removesuffix(".jinja").replace(TEMPLATE_PACKAGE_DIR, "src/shop"))
    return found - SHARED


def rendered_files(project) -> set[str]:
    return {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}


def test_the_owned_files_are_what_the_design_names():
    owned = owned_files()
    assert owned == {
        "scripts/bootstrap.py", "scripts/_bootstrap.py", "src/shop/settings.py",
        "src/shop/_settings/__init__.py", "src/shop/_settings/_engine.py",
        "src/shop/_settings/_cli.py", "src/shop/_settings/_files.py",
        "src/shop/_settings/_rules.py",
        "tests/test_venv_dotenv.py",
    }
    # No owned file has a name that project templates commonly write.
    assert not owned & {"README.md", "pyproject.toml", ".gitignore", ".github/workflows/ci.yml"}


@pytest.mark.parametrize("enabled", [set(), set(OPTIONAL)] + [{name} for name in OPTIONAL],
                         ids=lambda e: "+".join(sorted(e)) or "none")
def test_each_option_adds_exactly_its_files(copie, template_dir, enabled):
    answers = {"package_name": "shop", **{name: name in enabled for name in OPTIONAL}}
    result = copie.copy(extra_answers=answers, template_dir=template_dir)
    assert result.exit_code == 0, result.exception
    expected = SHARED | owned_files()
    expected = expected.union(*(OPTIONAL[name] for name in enabled))
    assert rendered_files(result.project_dir) == expected


def test_vscode_settings_follow_the_answers(copie, template_dir):
    result = copie.copy(
        extra_answers={"venv_dir": "envs/dev", "env_file": "config/app.env", "use_vscode": True},
        template_dir=template_dir,
    )
    assert result.exit_code == 0, result.exception
    settings = json.loads((result.project_dir / ".vscode/settings.json").read_text())
    assert "envs/dev" in settings["python.defaultInterpreterPath"]
    # The private layer: VS Code exports it, and it wins over the lower env files anyway.
    assert settings["python.envFile"].endswith("config/app.env.local")


def test_rendered_python_files_compile(copie, template_dir):
    result = copie.copy(
        extra_answers={"env_vars": 'A:int=1, B:list="x,y", C:secret, D:path=data, E:url='},
        template_dir=template_dir,
    )
    assert result.exit_code == 0, result.exception
    for path in result.project_dir.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
