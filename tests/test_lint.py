"""The users' own tools find nothing to change in what the template writes.

This repository's Python is linted with its own ruff settings. Rendered projects are
checked as their users would check them, with no configuration of ours: ``ruff format
--check``, ``ruff check`` (ruff's default rules, the target taken from the project's
``requires-python``) and ``mypy --strict``, on every Python file the template writes.
Any finding there would become a conflict at the user's next ``copier update``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import conftest
import pytest
from conftest import REPO_ROOT

BIN = Path(sys.executable).parent
RUFF = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")
MYPY = shutil.which("mypy", path=str(BIN)) or shutil.which("mypy")
pytestmark = pytest.mark.skipif(
    RUFF is None or MYPY is None, reason=conftest.unavailable("ruff and mypy")
)
BOOTSTRAP = ("scripts/bootstrap.py", "scripts/_bootstrap.py")

# The three kinds of answers the promise covers: the defaults; every type, optional and
# not, with the longest names and long texts; no variable at all.
LONG = "A" * 60
ANSWERS = {
    "defaults": {"python_version": "3.11"},
    "every-type": {
        "python_version": "3.13",
        "package_name": "p" * 64,
        "env_vars": [
            "NAME", "GREETING=hello #world", "EMPTY=", "PORT:int=8000", "WORKERS:int=",
            "RATIO:float=2.5", "LIMIT:float=", "DEBUG:bool=off", "STRICT:bool=",
            "API:url=https://api.example.org/v1", "MIRROR:url=", "DATA_DIR:path=data/files",
            "CACHE_DIR:path=", 'HOSTS:list="a.example,b.example"', "TAGS:list=",
            "TOKEN:secret", "OPTIONAL_TOKEN:secret=",
            {"name": LONG, "type": "url", "default": "https://example.org/" + "x" * 90,
             "description": "A description long enough to need more than one line. " * 3},
            {"name": "B" * 60, "type": "list", "default": ",".join(["item-" * 6] * 6)},
            {"name": "C" * 60, "type": "path", "default": "folder/" * 14},
            {"name": "D" * 60, "type": "secret", "description": "Quotes ' and \" and \\."},
            {"name": "E" * 60, "type": "float", "default": ""},
        ],
    },
    "no-variables": {"python_version": "3.14", "env_vars": ""},
}


def render(template_dir: Path, dst: Path, answers: dict) -> Path:
    data = {"project_name": "Lint Check", "use_direnv": True, "update_workflow": True, **answers}
    return conftest.render(template_dir, dst, **data)


def tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.fixture(scope="module", params=sorted(ANSWERS))
def project(request, template_dir, tmp_path_factory) -> Path:
    return render(template_dir, tmp_path_factory.mktemp(request.param) / "lint-check",
                  ANSWERS[request.param])


def python_files(project: Path) -> list[str]:
    """Every Python file the template writes, but the bootstrap scripts (tested apart: they
    are the same for every answer)."""
    files = sorted(str(p.relative_to(project)) for p in project.rglob("*.py"))
    assert files and set(BOOTSTRAP) <= set(files)
    return [name for name in files if name not in BOOTSTRAP]


def test_repository_python_is_clean():
    result = tool(RUFF, "check", "--no-cache", ".", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_code_needs_no_reformatting(project):
    result = tool(RUFF, "format", "--check", "--no-cache", *python_files(project), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_code_passes_ruffs_default_rules(project):
    result = tool(RUFF, "check", "--no-cache", *python_files(project), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_code_has_no_line_too_long(project, request):
    # A project whose ruff config selects "E" turns on E501, which the default rules leave
    # out: no line over ruff's default line-length (88), the bootstrap scripts included.
    # settings.py quotes the answers as they are; the every-type ones are longer than a
    # line (a 64-character package name, a 180-character description).
    files = [*python_files(project), *BOOTSTRAP]
    if request.node.callspec.params["project"] == "every-type":
        files = [name for name in files if not name.endswith("/settings.py")]
    result = tool(RUFF, "check", "--no-cache", "--select", "E501", *files, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy takes seconds per project
def test_rendered_code_passes_mypy_strict(project):
    result = tool(MYPY, "--strict", "--no-incremental", *python_files(project), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_default_settings_py_is_short_and_plain(template_dir, tmp_path):
    settings = render(template_dir, tmp_path / "plain", {}) / "src/lint_check/settings.py"
    text = settings.read_text()
    assert len(text.splitlines()) < 60
    for plumbing in ("LAYOUT", "TYPE_CHECKING", "__getattr__", "dirname", "Var("):
        assert plumbing not in text


def test_the_bootstrap_scripts_are_clean(project):
    # They are static, but ruff's style follows the project's Python (its py314 style
    # drops the parentheses of `except (A, B):`, which older Pythons cannot run). mypy
    # --strict checks the template's own copies of them (test_bootstrap.py,
    # test_scripts_are_clean_under_ruff_and_mypy).
    for command in (["format", "--check", "--no-cache"], ["check", "--no-cache"]):
        result = tool(RUFF, *command, *BOOTSTRAP, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy
def test_type_checkers_see_the_declarations(template_dir, tmp_path):
    """dataclass_transform: the attributes and the constructor are typed, as declared."""
    project = render(template_dir, tmp_path / "typed", {
        "env_vars": "PORT:int=8000, TOKEN:secret, API:url=https://x.org, RATIO:float="})
    (project / "src/lint_check/uses.py").write_text(
        "from .settings import Secret, Settings, load_settings\n"
        "from ._settings import env\n"
        "settings = load_settings()\n"
        "port: int = settings.port\n"
        "name: str = settings.port  # wrong: an int\n"
        "ratio: float = settings.ratio  # wrong: may be None\n"
        "ok = Settings(token=Secret('t'))\n"
        "bad = Settings(port='80', token=Secret('t'))  # wrong: a str\n"
        "missing = Settings()  # wrong: token is required\n"
        "settings.port = 1  # wrong: read-only\n"
        "class Retrying(Settings):\n"
        "    retries: int = env(default='3')  # wrong: env() is typed as its default\n"
        "    hosts: list[str] = env(default=['a'], description='Hosts.')\n"
        "    key: Secret = env(description='No default: required.')\n"
        "cached: dict[Settings, int] = {settings: 1}\n"
        "settings.export_to_environ({'A': 1})  # wrong: an environment holds str\n"
    )
    result = tool(MYPY, "--strict", "--no-incremental", "src/lint_check/uses.py", cwd=project)
    errors = sorted({int(line.split(":")[1]) for line in result.stdout.splitlines()
                     if ": error:" in line})
    assert errors == [5, 6, 8, 9, 10, 12, 16], result.stdout
