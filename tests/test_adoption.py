"""Copying the template into an existing repository: every line the project had is kept.

The adoption end to end runs copier's command line with no terminal and no `-d`, as the
README says (slow); the refusals, the copy task and the merge functions of
extensions/venv_dotenv_layer.py are tested in-process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import copier
import pytest
import yaml
from conftest import copier_cli, unavailable
from copier_helpers import (
    REPO_ROOT,
    answers_of,
    commit_all,
    conflict_files,
    git,
    snapshot_template,
    update_project,
)

sys.path.insert(0, str(REPO_ROOT / "extensions"))
import venv_dotenv_layer as layer  # noqa: E402
from venv_dotenv_rules import check_package_name, check_project_name, check_python_version  # noqa: E402
from venv_dotenv_rules import rules as extension_rules  # noqa: E402

DOTENV = layer.DOTENV_REQUIREMENT  # the range the engine is tested with (its rules module)

SCRIPT = REPO_ROOT / "extensions/tasks/merge_existing_files.py"

USER_FILES = {
    ".gitignore": "node_modules/\n*.log\n.venv\n# our build\n/out/\n",
    "README.md": "# Widgets\n\nOur own README, written long before the template.\n",
    "pyproject.toml": """\
[project]
name = "acme-widgets"
version = "2.3.0"
requires-python = ">=3.9"
dependencies = [
    "requests>=2",  # HTTP
    # more to come
]

[tool.ruff]
line-length = 99
""",
    "src/acme_widgets/__init__.py": '"""Widgets."""\n\n\ndef main() -> None:\n    print("widgets")\n',
    ".env.example": "# Our variables\nDEBUG=1\n",
    ".pre-commit-config.yaml": "repos:\n- repo: https://github.com/pre-commit/pre-commit-hooks\n"
                               "  rev: v5.0.0\n  hooks:\n  - id: trailing-whitespace\n",
    ".vscode/settings.json": '{\n    // ours\n    "editor.rulers": [99],\n'
                             '    "python.envFile": "${workspaceFolder}/config/dev.env",\n}\n',
}


# What the adoption keeps: every line, the requires-python lower bound raised to the
# engine's minimum (3.9 -> 3.11), the rest of that line as it was.
KEPT = {**USER_FILES, "pyproject.toml": USER_FILES["pyproject.toml"].replace(
    'requires-python = ">=3.9"', 'requires-python = ">=3.11"')}


def existing_repo(path: Path) -> Path:
    """A repository whose folder name is not its package's name."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    for name, text in USER_FILES.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    commit_all(path, "the existing repository")
    return path


def keeps_every_line(before: str, after: str) -> bool:
    """Every line of ``before`` is in ``after``, in the same order."""
    remaining = iter(after.splitlines())
    return all(line in remaining for line in before.splitlines())


def block_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# >>> copier-venv-dotenv"))
    stop = next(i for i, line in enumerate(lines) if line == "# <<< copier-venv-dotenv <<<")
    return lines[start + 1:stop]


def release(template: Path, tag: str) -> None:
    """A next release that changes the text of the README block."""
    path = template / "extensions/blocks/README.md.jinja"
    text = path.read_text()
    assert "\n## Getting started\n" in text
    path.write_text(text.replace("\n## Getting started\n", "\n## Getting started (new)\n", 1))
    commit_all(template, tag, tag=tag)


@pytest.mark.slow
def test_adopting_an_existing_repository_keeps_every_line_then_updates(tmp_path):
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    repo = existing_repo(tmp_path / "widgets-repo")

    # Exactly the README's command: no -d, no terminal.
    result = copier_cli("copy", "--trust", "--defaults", str(template), ".", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "conflict" not in result.stderr and "Overwrite" not in result.stderr

    # Defaults from the project that is there, not from the folder name.
    answers = answers_of(repo)
    assert answers["project_name"] == "acme-widgets"
    assert answers["package_name"] == "acme_widgets"
    assert answers["python_version"] == "3.11"  # >=3.9, moved into the supported range
    assert "kept_files" not in answers
    for name, text in KEPT.items():
        assert keeps_every_line(text, (repo / name).read_text()), name
    assert (repo / "src/acme_widgets/__init__.py").read_text() == USER_FILES[
        "src/acme_widgets/__init__.py"]
    assert (repo / "src/acme_widgets/settings.py").is_file()
    assert not (repo / "src/acme_widgets/py.typed").exists()  # typed or not: theirs to say

    # .gitignore: the block lists all it needs, even .venv, which their lines have too.
    gitignore = (repo / ".gitignore").read_text()
    assert block_lines(gitignore) == ["/.venv/", ".env", ".env.*", "!.env.example"]
    # pyproject.toml: the dependency joined their list, formatting kept; pytest in a group.
    pyproject_text = (repo / "pyproject.toml").read_text()
    assert f'    "requests>=2",  # HTTP\n    # more to come\n    "{DOTENV}",\n]' in pyproject_text
    pyproject = tomllib.loads(pyproject_text)
    assert pyproject["project"]["dependencies"] == ["requests>=2", DOTENV]
    assert pyproject["dependency-groups"] == {"dev": ["pytest>=8"]}
    assert pyproject["tool"]["copier-venv-dotenv"] == {
        "venv-dir": ".venv", "env-file": ".env", "settings": "acme_widgets.settings"}
    # Their pre-commit repo first, the template's local hooks after it.
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == [
        "https://github.com/pre-commit/pre-commit-hooks", "local"]
    # VS Code: their own value stays, the missing keys are added, their comment kept.
    vscode_text = (repo / ".vscode/settings.json").read_text()
    vscode = layer.jsonc_loads(vscode_text)
    assert vscode["python.envFile"] == "${workspaceFolder}/config/dev.env"
    assert vscode["python.defaultInterpreterPath"] == "${workspaceFolder}/.venv"
    assert "// ours" in vscode_text
    assert "kept your own python.envFile" in result.stderr
    # .env.example: DEBUG is theirs already; the block documents the others.
    example = (repo / ".env.example").read_text()
    assert example.count("DEBUG=") == 1 and "SECRET_KEY=" in example
    assert (repo / "README.md").read_text().startswith(USER_FILES["README.md"])
    # git sees what it must.
    (repo / ".env").write_text("SECRET_KEY=x\n")
    ignored = git(repo, "check-ignore", ".env", ".env.local", ".venv/x", "out/a", "x.log")
    assert ignored.split() == [".env", ".env.local", ".venv/x", "out/a", "x.log"]
    assert subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=repo).returncode == 1
    commit_all(repo, "adopt copier-venv-dotenv")

    # A release changes the README block; an answer changes too. Only the blocks (and the
    # template's own keys) follow; every line of theirs stays.
    release(template, "v0.2.0")
    update_project(repo, data={"venv_dir": "venvs/dev"})
    assert conflict_files(repo) == []
    assert answers_of(repo)["_commit"] == "v0.2.0"
    for name, text in KEPT.items():
        assert keeps_every_line(text, (repo / name).read_text()), name
    assert "## Getting started (new)" in (repo / "README.md").read_text()
    assert block_lines((repo / ".gitignore").read_text())[0] == "/venvs/dev/"
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text())
    assert pyproject["tool"]["copier-venv-dotenv"]["venv-dir"] == "venvs/dev"
    vscode = layer.jsonc_loads((repo / ".vscode/settings.json").read_text())
    assert vscode["python.defaultInterpreterPath"] == "${workspaceFolder}/venvs/dev"
    assert vscode["python.envFile"] == "${workspaceFolder}/config/dev.env"
    assert (repo / ".env").read_text() == "SECRET_KEY=x\n"

    # Running the update again changes nothing.
    commit_all(repo, "update")
    update_project(repo)
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
@pytest.mark.parametrize(("link", "to_file"), [("README.md", True), (".gitignore", True),
                                              ("scripts", False), ("src/acme_widgets", False)])
def test_a_link_out_of_the_repository_where_the_copy_writes_is_refused(template_dir,
                                                                      tmp_path, link, to_file):
    """A planted README.md or scripts/ linking elsewhere: the copy would write there (or
    copier would stop halfway); refused before anything is written, nothing outside
    touched."""
    repo = existing_repo(tmp_path / "widgets-repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / ("file" if to_file else "folder")
    if to_file:
        target.write_text("keep me\n")
        (repo / link).unlink(missing_ok=True)
    elif (repo / link).is_dir():  # the package, moved out and linked back
        shutil.move(repo / link, target)
    else:
        target.mkdir()
    (repo / link).symlink_to(target)
    commit_all(repo, "a link")
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    with pytest.raises(ValueError) as refused:
        copier.run_copy(str(template_dir), str(repo), defaults=True, unsafe=True, quiet=True,
                        settings=copier.Settings())
    assert f"{link} is a symbolic link to {target}, outside this repository" in str(
        refused.value)
    assert git(repo, "status", "--porcelain", "--ignored") == ""
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("pyproject.toml", '[project]\nname = "w"\nreadme = "README.md"\n', True),
    ("pyproject.toml", '[project]\nname = "w"\nreadme = {file = "README.md", '
                       'content-type = "text/markdown"}\n', True),
    ("pyproject.toml", '[project]\nname = "w"\nreadme = "docs/pypi.md"\n', False),
    ("setup.cfg", "[metadata]\nname = w\nlong_description = file: README.md, CHANGES.md\n",
     True),
    ("setup.cfg", "[metadata]\nname = w\n", False),
    ("pyproject.toml", '[project]\nname = "w"\ndynamic = ["readme"]\n'
                       '[tool.setuptools.dynamic]\nreadme = {file = ["README.md"], '
                       'content-type = "text/markdown"}\n', True),
    ("pyproject.toml", '[tool.poetry]\nname = "w"\nreadme = "README.md"\n', True),
    ("pyproject.toml", '[tool.flit.metadata]\nmodule = "w"\ndescription-file = "README.md"\n',
     True),
    ("pyproject.toml", '[project]\nname = "w"\ndynamic = ["readme"]\n'
                       '[tool.hatch.metadata.hooks.fancy-pypi-readme]\n'
                       'content-type = "text/markdown"\n'
                       '[[tool.hatch.metadata.hooks.fancy-pypi-readme.fragments]]\n'
                       'path = "README.md"\n', True),
    ("setup.py", 'from pathlib import Path\nfrom setuptools import setup\n'
                 'setup(long_description=Path("README.md").read_text())\n', True),
    ("setup.py", "from setuptools import setup\nsetup(name='w')\n", False),
    ("pyproject.toml", '[project]\nname = "w"\nreadme = "README.rst"\n', False),
])
def test_a_readme_that_is_the_packages_pypi_page_is_recognised(tmp_path, name, text,
                                                                expected):
    (tmp_path / name).write_text(text)
    assert layer.readme_is_description(tmp_path) is expected


def test_a_copy_that_would_replace_a_file_of_theirs_is_refused_before_writing(template_dir,
                                                                            tmp_path):
    repo = existing_repo(tmp_path / "widgets-repo")
    (repo / "scripts").mkdir()
    (repo / "scripts/bootstrap.py").write_text("print('our own bootstrap')\n")
    (repo / "src/acme_widgets/settings.py").write_text("DEBUG = True\n")
    (repo / ".copier-answers.yml").write_text("_src_path: gh:acme/org-template\nauthor: x\n")
    commit_all(repo, "their own files")

    def attempt(**options: str) -> str:
        with pytest.raises(ValueError) as refused:
            copier.run_copy(str(template_dir), str(repo), defaults=True, unsafe=True,
                            quiet=True, settings=copier.Settings(), **options)
        assert git(repo, "status", "--porcelain", "--ignored") == ""  # nothing written
        return str(refused.value)

    # Another template's answers file: copier would overwrite it.
    message = attempt()
    assert ".copier-answers.yml holds the answers of another template" in message
    assert "-a .copier-answers.venv-dotenv.yml" in message
    # Their scripts/bootstrap.py: named, with the way out.
    message = attempt(answers_file=".copier-answers.venv-dotenv.yml")
    assert ("scripts/bootstrap.py already exists and copier-venv-dotenv did not make it: "
            "the copy would replace it; move or rename it") in message
    git(repo, "mv", "scripts/bootstrap.py", "scripts/setup_env.py")
    commit_all(repo, "make room")
    # Their settings module: another package name is a way out.
    message = attempt(answers_file=".copier-answers.venv-dotenv.yml")
    assert "src/acme_widgets/settings.py already exists" in message
    assert "-d package_name=" in message
    copier.run_copy(str(template_dir), str(repo), data={"package_name": "acme_config"},
                    answers_file=".copier-answers.venv-dotenv.yml", defaults=True, unsafe=True,
                    quiet=True, settings=copier.Settings())
    assert (repo / "src/acme_widgets/settings.py").read_text() == "DEBUG = True\n"
    assert (repo / "src/acme_config/settings.py").is_file()


def test_a_fresh_project_runs_no_copy_task(template_dir, tmp_path, capfd):
    copier.run_copy(str(template_dir), str(tmp_path / "new"), defaults=True, unsafe=True,
                    quiet=False, settings=copier.Settings())
    said = capfd.readouterr()
    assert "Copying from template" in said.err  # copier talks: it would name a task
    assert "Running task" not in said.out + said.err  # nothing was there to merge into
    for name in (".gitignore", "README.md", "pyproject.toml", ".env.example"):
        text = (tmp_path / "new" / name).read_text()
        assert "copier-venv-dotenv" in text and ">>>" in text, name


# --- the merge functions, in-process ------------------------------------------------

ANSWER_SETS = [
    layer.Answers(project_name="Shop", package_name="shop"),
    layer.Answers(project_name="Shop", package_name="shop", venv_dir="envs/dev",
                  env_file="config/app.env", use_direnv=True,
                  env_vars='PORT:int=8000, HOSTS:list="a,b", TOKEN:secret, EMPTY='),
]


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=["defaults", "custom"])
@pytest.mark.parametrize("path", list(layer.SHARED_FILES))
def test_a_starter_is_already_merged(path, answers):
    text = layer.starter(path, answers)
    for add in (True, False):
        outcome = layer.merge(path, text, answers, add=add, previous=answers)
        assert outcome.text in (None, text), path
        assert outcome.notes == []


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("path", [p for p in USER_FILES if p in layer.SHARED_FILES])
def test_merging_is_idempotent_keeps_line_ends_and_every_line(path, newline):
    answers = ANSWER_SETS[1]
    original = USER_FILES[path].replace("\n", newline)
    first = layer.merge(path, original, answers, add=True).text
    assert first is not None and keeps_every_line(KEPT[path].replace("\n", newline), first)
    if newline == "\r\n":
        assert first.count("\n") == first.count("\r\n")
    assert layer.merge(path, first, answers, add=True).text in (None, first)
    assert layer.merge(path, first, answers, add=False).text in (None, first)


def test_an_update_adds_no_block_where_there_is_none():
    for path in (".gitignore", "README.md", ".env.example", ".envrc"):
        assert layer.merge(path, "mine\n", ANSWER_SETS[0], add=False).text is None, path


@pytest.mark.parametrize(("path", "text", "words"), [
    (".gitignore", "<<<<<<< before updating\n.venv\n=======\n/venv/\n>>>>>>> after updating\n",
     "conflict markers"),
    ("pyproject.toml", "[project\nname = 1\n", "not valid TOML"),
    ("pyproject.toml", '\ufeff[project]\nname = "x"\n', "starts with a byte order mark"),
    (".vscode/settings.json", '{"a": [1, }\n', "not valid JSON"),
    (".pre-commit-config.yaml", "repos: [\n", "not valid YAML"),
    (".pre-commit-config.yaml", "repos: []\n", "cannot find a `repos:` line"),
    (".gitignore", "# >>> copier-venv-dotenv: x >>>\n.env\n", "begin marker without its end"),
])
def test_files_it_cannot_merge_safely_are_left_alone_with_a_sentence(path, text, words):
    outcome = layer.merge(path, text, ANSWER_SETS[0], add=True)
    assert outcome.text is None
    assert words in " ".join(outcome.notes)


def test_an_inline_tool_table_gets_no_block_but_stays_valid():
    # `tool` as an inline table: a [tool.copier-venv-dotenv] header would be invalid TOML.
    text = 'tool = {black = {}}\n\n[project]\nname = "x"\ndependencies = []\n'
    outcome = layer.merge("pyproject.toml", text, ANSWER_SETS[0], add=True)
    assert "add it by hand" in outcome.notes[0]
    data = tomllib.loads(outcome.text)
    assert data["tool"] == {"black": {}} and data["project"]["dependencies"] == [DOTENV]


@pytest.mark.parametrize(("dependencies", "expected"), [
    ('dependencies = ["a"]', f'dependencies = ["a", "{DOTENV}"]'),
    ("dependencies = []", f'dependencies = ["{DOTENV}"]'),
    ('dependencies = ["a",]', f'dependencies = ["a", "{DOTENV}"]'),
    ('dependencies = [\n  "a"\n]', f'dependencies = [\n  "a",\n  "{DOTENV}",\n]'),
    ('dependencies = [\n    "a",  # why\n]',
     f'dependencies = [\n    "a",  # why\n    "{DOTENV}",\n]'),
    ('version = "1"', f'version = "1"\ndependencies = ["{DOTENV}"]'),
])
def test_the_runtime_dependency_joins_their_list_in_their_style(dependencies, expected):
    text = f'[project]\nname = "x"\n{dependencies}\n\n[tool.other]\nkey = 1\n'
    outcome = layer.ensure_dependencies(text)
    assert outcome.text == text.replace(dependencies, expected) + (
        '\n[dependency-groups]\ndev = ["pytest>=8"]\n')


def test_dependencies_declared_elsewhere_are_respected():
    uv_style = ('[project]\nname = "x"\ndependencies = ["python-dotenv==1.0.1"]\n\n'
                '[dependency-groups]\nci = ["pytest>=8.2"]\ndev = [{include-group = "ci"}]\n')
    assert layer.ensure_dependencies(uv_style) == layer.Outcome(uv_style, [])
    copier_uv = ('[project]\nname = "x"\ndependencies = ["python-dotenv"]\n\n'
                 '[dependency-groups]\nci = ["pytest"]\n\n[tool.uv]\ndefault-groups = ["ci"]\n')
    assert layer.ensure_dependencies(copier_uv).text == copier_uv
    extra = '[project]\nname = "x"\ndependencies = []\n[project.optional-dependencies]\ntest = ["pytest"]\n'
    assert "dependency-groups" not in layer.ensure_dependencies(extra).text
    # [tool.uv] default-groups replaces dev: pytest goes where the bootstrap will install it.
    ci_only = ('[project]\nname = "x"\ndependencies = ["python-dotenv"]\n\n[dependency-groups]\n'
               'dev = ["pytest"]\nci = ["ruff"]\n\n[tool.uv]\ndefault-groups = ["ci"]\n')
    assert tomllib.loads(layer.ensure_dependencies(ci_only).text)["dependency-groups"] == {
        "dev": ["pytest"], "ci": ["ruff", "pytest>=8"]}
    dynamic = '[project]\nname = "x"\ndynamic = ["dependencies"]\n'
    outcome = layer.ensure_dependencies(dynamic)
    assert "dynamic" in outcome.notes[0] and "python-dotenv" not in outcome.text.split("[dep")[0]


def test_tool_settings_only_and_a_requirements_file_gets_python_dotenv_there():
    """pyproject.toml holding tools' settings only: the project lists its dependencies in
    requirements.txt, which the bootstrap installs; python-dotenv goes there."""
    text = '[tool.ruff]\nline-length = 100\n'
    files = {"requirements.txt": "django>=5\r\nrequests"}
    outcome = layer.ensure_dependencies(text, files.get)
    assert outcome.files == {
        "requirements.txt": f"django>=5\r\nrequests\r\n{DOTENV}\r\n"}
    assert outcome.notes[0].startswith(f'requirements.txt: added "{DOTENV}"')
    assert "the bootstrap installs it" in outcome.notes[0]
    # Already there: nothing; no requirements file: the advice as before.
    assert layer.ensure_dependencies(text, {"requirements.txt": "python-dotenv\n"}.get).files == {}
    assert "no [project] table" in layer.ensure_dependencies(text).notes[0]


@pytest.mark.parametrize(("theirs", "said"), [
    ("python-dotenv==0.21.1", True), ("python-dotenv>=2", True),
    ("python-dotenv>=0.19", False), ("python-dotenv~=1.1", False), ("python-dotenv", False),
])
def test_their_python_dotenv_range_is_kept_and_named_when_it_admits_no_tested_release(
        theirs, said):
    text = f'[project]\nname = "x"\ndependencies = ["{theirs}"]\n'
    outcome = layer.ensure_dependencies(text)
    assert tomllib.loads(outcome.text)["project"]["dependencies"] == [theirs]  # theirs
    notes = [note for note in outcome.notes if "admits no python-dotenv release" in note]
    assert notes == ([f"pyproject.toml: {theirs!r} admits no python-dotenv release the "
                      f"settings engine is tested with ({DOTENV}): widen it, or the loader "
                      "may not work"] if said else [])


def test_pytest_in_poetrys_groups_gets_no_second_range():
    # Poetry 2 merges [dependency-groups] dev into its own dev group: "pytest>=8" beside
    # its ^7.4 could not be locked; a plain "pytest" still lets the bootstrap install it.
    for poetry in ('[tool.poetry.group.dev.dependencies]\npytest = "^7.4"\n',
                   '[tool.poetry.dev-dependencies]\nPyTest = {version = "^7.4"}\n'):
        text = ('[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\n'
                'python = "^3.11"\npython-dotenv = "^1.0"\n\n' + poetry)
        outcome = layer.ensure_dependencies(text)
        assert tomllib.loads(outcome.text)["dependency-groups"] == {"dev": ["pytest"]}
        assert "Poetry's groups have it" in outcome.notes[-1]


def test_a_range_the_template_wrote_moves_with_it_and_theirs_stays(monkeypatch):
    monkeypatch.setattr(layer, "DOTENV_REQUIREMENT", "python-dotenv>=1.2")
    monkeypatch.setattr(layer, "DOTENV_RANGES", ("python-dotenv>=1.0", "python-dotenv>=1.2"))
    ours = '[project]\nname = "x"\ndependencies = [\n    "python-dotenv>=1.0",\n]\n'
    ours += '[dependency-groups]\ndev = ["pytest"]\n'
    assert layer.ensure_dependencies(ours).text == ours.replace(">=1.0", ">=1.2")
    theirs = ours.replace(">=1.0", ">=1.0,<2")
    assert layer.ensure_dependencies(theirs).text == theirs


def test_the_range_0_1_0_wrote_moves_to_the_rules_modules_range():
    assert DOTENV == extension_rules.DOTENV_REQUIREMENT
    ours = '[project]\nname = "x"\ndependencies = ["python-dotenv>=1.0"]\n'
    ours += '[dependency-groups]\ndev = ["pytest"]\n'
    outcome = layer.ensure_dependencies(ours)
    assert outcome.text == ours.replace("python-dotenv>=1.0", DOTENV)
    assert outcome.notes == [f"pyproject.toml: python-dotenv>=1.0 is now {DOTENV}"]


def test_the_unmarked_table_of_0_1_0_becomes_the_block():
    text = ('[project]\nname = "x"\ndependencies = ["python-dotenv>=1.0"]\n'
            '[dependency-groups]\ndev = ["pytest>=8"]\n\n'
            "# Read by scripts/bootstrap.py; change them with\n"
            "#   copier update --trust --defaults -d venv_dir=... -d env_file=...\n"
            '[tool.copier-venv-dotenv]\nvenv-dir = ".venv"\nenv-file = ".env"\n')
    new = layer.merge("pyproject.toml", text, ANSWER_SETS[0], add=False).text
    assert new.endswith("\n".join(layer.pyproject_block(ANSWER_SETS[0])) + "\n")
    assert "# Read by scripts/bootstrap.py" not in new
    # A table with a key of theirs is theirs: left as it is, with a sentence.
    mine = text + "extra = 1\n"
    outcome = layer.merge("pyproject.toml", mine, ANSWER_SETS[0], add=True)
    assert "has keys of yours" in outcome.notes[0]
    # Only 0.1.0's python-dotenv range moved; the table is left as it was.
    assert outcome.text == mine.replace('"python-dotenv>=1.0"', f'"{DOTENV}"')


def test_an_example_that_disagrees_with_the_answer_is_named_at_copy_time():
    """Lines of the project's .env.example that the block leaves out: the copy says which
    ones check will report, never repeating a secret's value."""
    answers = layer.Answers(env_vars="LOG_LEVEL=INFO, PORT:int=8000, DATABASE_URL:url, "
                                     "SECRET_KEY:secret, DEBUG:bool=false")
    text = ('export LOG_LEVEL="DEBUG"\nPORT=8000 # web\nDATABASE_URL=postgres://db/app\n'
            "SECRET_KEY=hunter2-committed\nDEBUG=no\n")
    notes = layer.merge(".env.example", text, answers, add=True).notes
    assert notes[1:] == [
        ".env.example sets LOG_LEVEL to 'DEBUG', but the env_vars answer declares its "
        "default as 'INFO': make them agree (edit that line, or give the answer again: "
        "copier update --trust --defaults -d env_vars=...); check reports it until then",
        ".env.example sets DATABASE_URL to 'postgres://db/app', but the env_vars answer "
        "declares it required, with no default (its line is left empty): make them agree "
        "(edit that line, or give the answer again: copier update --trust --defaults -d "
        "env_vars=...); check reports it until then",
        ".env.example gives SECRET_KEY a value, and it is committed: leave it empty "
        "(SECRET_KEY=); check reports it until then",
    ]  # PORT=8000 and DEBUG=no (false) agree
    assert not any("hunter2" in note for note in notes)


def ignored(folder, *names: str) -> list[str]:
    """Which of ``names`` the .gitignore of ``folder`` (a git work tree) ignores."""
    return [name for name in names if subprocess.run(
        ["git", "check-ignore", "-q", "--no-index", name], cwd=folder, check=False,
    ).returncode == 0]


def test_the_block_goes_above_a_line_that_un_ignores_an_env_file(tmp_path):
    """.env.test committed on purpose (`!.env.test`): a block added at the end would
    ignore it again; it goes above that line, so the line still wins."""
    answers = ANSWER_SETS[0]
    theirs = "*.log\n!.env.test\ndist/\n"
    new = layer.merge(".gitignore", theirs, answers, add=True).text
    assert new.index("# >>> copier-venv-dotenv") < new.index("!.env.test")
    assert keeps_every_line(theirs, new)
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(new)
    assert ignored(tmp_path, ".env.test", ".env.local", ".env", ".env.example") == [
        ".env.local", ".env"]


def test_the_block_ignores_the_env_files_whatever_the_lines_around_it(tmp_path):
    """Another template's .gitignore ignores `.env*` when the block is added, and its next
    release narrows that line to `.env` (a clean merge of theirs): the block alone
    still keeps the private layer out of git."""
    answers = ANSWER_SETS[0]
    theirs = "# the organisation's\n.env*\nvenv/\n.venv/\n"
    merged = layer.merge(".gitignore", theirs, answers, add=True).text
    assert block_lines(merged) == ["/.venv/", ".env", ".env.*", "!.env.example"]
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(merged.replace(".env*\n", ".env\n", 1))
    assert ignored(tmp_path, ".env", ".env.local", ".env.example", ".venv/") == [
        ".env", ".env.local", ".venv/"]
    outcome = layer.merge(".gitignore", layer.gitignore_starter(answers) + ".env*\n", answers,
                          add=False)
    assert "ignores .env.example again" in outcome.notes[0]


def test_a_refresh_moves_the_block_above_a_new_line_that_un_ignores_an_env_file(tmp_path):
    """The other template's update adds `!.env.ci` in its part, above the block, which
    would ignore that file again: the next update moves the block above that line."""
    answers = ANSWER_SETS[0]
    merged = layer.merge(".gitignore", "# the organisation's\n*.log\n", answers,
                         add=True).text
    theirs_now = merged.replace("*.log\n", "*.log\n!.env.ci\n")

    outcome = layer.merge(".gitignore", theirs_now, answers, add=False, previous=answers)

    assert outcome.text.index("# <<< copier-venv-dotenv <<<") < outcome.text.index("!.env.ci")

    def theirs(text: str) -> list[str]:
        """The lines outside the block, blank lines aside."""
        lines = text.splitlines()
        start = lines.index(next(line for line in lines if line.startswith("# >>> copier")))
        end = lines.index("# <<< copier-venv-dotenv <<<")
        return [line for line in lines[:start] + lines[end + 1:] if line]

    assert theirs(outcome.text) == theirs(theirs_now) == ["# the organisation's", "*.log",
                                                           "!.env.ci"]
    assert not outcome.text.endswith("\n\n")
    assert outcome.notes == [
        ".gitignore: moved the copier-venv-dotenv block above line 3 (!.env.ci), which "
        "un-ignores a file the block ignores, so that line still wins"]
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(outcome.text)
    assert ignored(tmp_path, ".env.ci", ".env.local") == [".env.local"]
    again = layer.merge(".gitignore", outcome.text, answers, add=False, previous=answers)
    assert again.text == outcome.text and again.notes == []
    # A line that the move puts below the block and that ignores .env.example again.
    reignoring = theirs_now.replace("!.env.ci\n", "!.env.ci\n*.example\n")
    notes = layer.merge(".gitignore", reignoring, answers, add=False, previous=answers).notes
    assert notes[1] == (".gitignore: a line below the copier-venv-dotenv block ignores "
                        ".env.example again; move it above the block")


@pytest.mark.parametrize("theirs", [
    ".env/", "/.env/", ".env", "/.env", "**/.env/", ".env*/", ".venv", "venv/\n.venv/",
    ".env*", "*.env", ".env.local/",
])
def test_git_ignores_the_env_files_and_the_venv_whatever_the_gitignore_had(tmp_path, theirs):
    # A folder-only line (the venv once named .env) ignores no .env file: the block adds one.
    git(tmp_path, "init", "-q")
    answers = layer.Answers()
    text = layer.merge(".gitignore", theirs + "\n", answers, add=True).text
    (tmp_path / ".gitignore").write_text(text)
    for name in (".env", ".env.local", ".env.test.local", ".venv/bin/python", ".env.example"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", ".env", ".env.local", ".env.test.local",
         ".venv/bin/python", ".env.example"],
        cwd=tmp_path, capture_output=True, text=True,
    ).stdout.split()
    assert ignored == [".env", ".env.local", ".env.test.local", ".venv/bin/python"], text


def test_vscode_keys_merge_into_jsonc_and_follow_only_their_own_old_values():
    answers, old = ANSWER_SETS[0], layer.Answers(venv_dir="old")
    text = '{\n  // editor\n  "python.defaultInterpreterPath": "${workspaceFolder}/old",\n  "x": 1,\n}\n'
    new = layer.merge(".vscode/settings.json", text, answers, add=False, previous=old).text
    assert new == text.replace("/old", "/.venv")
    mine = text.replace("/old", "/mine")
    assert layer.merge(".vscode/settings.json", mine, answers, add=False, previous=old).text is None
    empty = layer.merge(".vscode/settings.json", "{}\n", answers, add=True).text
    assert json.loads(empty) == layer.vscode_values(answers)


def test_the_pre_commit_hooks_follow_their_list_indentation():
    indented = "default_stages: [pre-commit]\nrepos:\n  - repo: local\n    hooks: []\n\nci:\n  x: 1\n"
    new = layer.merge(".pre-commit-config.yaml", indented, ANSWER_SETS[0], add=True).text
    data = yaml.safe_load(new)
    assert [r["repo"] for r in data["repos"]] == ["local", "local"]
    assert data["ci"] == {"x": 1} and new.endswith("ci:\n  x: 1\n")
    assert "\n  # >>> copier-venv-dotenv" in new
    assert yaml.safe_load(layer.merge(".pre-commit-config.yaml", "default_stages: [x]\n",
                                      ANSWER_SETS[0], add=True).text)["repos"][0]["repo"] == "local"


# --- defaults from the project that is there --------------------------------------


@pytest.mark.parametrize(("requires", "expected"), [
    (">=3.9", "3.11"), (">=3.12,<4", "3.12"), ("~=3.13.1", "3.13"), (">=3.15", "3.14"),
    ("==3.12.*", "3.12"), (">3.10", "3.11"), ("", ""),
])
def test_python_version_default_is_the_lower_bound_in_the_supported_range(tmp_path, requires,
                                                                          expected):
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\nrequires-python = "{requires}"\n')
    value = layer.existing_python_version(tmp_path)
    assert value == expected
    assert value == "" or check_python_version(value) == ""


def test_names_come_from_the_project_not_the_folder(tmp_path):
    repo = tmp_path / "widgets-repo"
    (repo / "src/acme_widgets").mkdir(parents=True)
    (repo / "src/acme_widgets/__init__.py").write_text("")
    (repo / "tests").mkdir()
    (repo / "tests/__init__.py").write_text("")
    (repo / "pyproject.toml").write_text('[project]\nname = "acme-widgets"\n')
    assert layer.existing_project_name(repo) == "acme-widgets"
    assert layer.existing_package_name(repo, "acme-widgets") == "acme_widgets"
    # A flat layout is found too; names that would fail their validator are not offered.
    flat = tmp_path / "flat"
    (flat / "tool_kit").mkdir(parents=True)
    (flat / "tool_kit/__init__.py").write_text("")
    (flat / "pyproject.toml").write_text('[project]\nname = "say \\"hi\\""\n')
    assert layer.existing_package_name(flat, "") == "tool_kit"
    assert layer.existing_project_name(flat) == ""
    for name in ("acme-widgets",):
        assert check_project_name(name) == ""
    assert check_package_name("acme_widgets") == ""
    assert layer.existing_project_name(tmp_path / "missing") == ""


def test_a_variable_declared_twice_is_named_with_its_lines():
    source = ("class Settings:\n    debug: bool = False\n    port: int = 1\n"
              "    # mine\n    DEBUG: bool = True\n")
    assert layer.duplicate_declarations(source) == [("DEBUG", [2, 5])]
    assert layer.duplicate_declarations("def f(:\n") == []


def test_moving_the_env_file_into_a_new_folder_gives_the_commands_that_move_them(tmp_path):
    """`-d env_file=config/app.env` after the bootstrap made .env.local: the commands to
    run before the next bootstrap (which would make new random secrets there)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("merge_script", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    git(tmp_path, "init", "-q")
    (tmp_path / ".env.local").write_text("SECRET_KEY=s3cr3t\n")
    before = layer.Answers.from_mapping({"env_file": ".env"})
    after = layer.Answers.from_mapping({"env_file": "config/app.env"})
    (sentence,) = script.moved_sentences(tmp_path, before, after)
    assert sentence == (
        "env_file is now config/app.env: the loader no longer reads .env.local; before the "
        "bootstrap (which would create config/app.env.local with new random secrets), move "
        "it: mkdir -p config && mv .env.local config/app.env.local. Warning: git no longer "
        "ignores .env.local: do not commit it.")


def test_the_merge_script_runs_outside_git_and_says_what_it_cannot_read(tmp_path):
    # Like copier's temporary renders: no git repository, no previous answers.
    (tmp_path / ".copier-answers.yml").write_text("venv_dir: .venv\nenv_file: .env\n")
    (tmp_path / ".gitignore").write_text("*.log\n")
    run = [sys.executable, str(SCRIPT), f"--root={tmp_path}"]
    result = subprocess.run([*run, "--update"], capture_output=True, text=True, check=True)
    assert (tmp_path / ".gitignore").read_text() == "*.log\n"  # no block: left alone
    assert result.stderr == ""
    result = subprocess.run([*run, "--copy", "--files=.gitignore"], capture_output=True,
                            text=True, check=True)
    assert "# >>> copier-venv-dotenv" in (tmp_path / ".gitignore").read_text()
    (tmp_path / ".copier-answers.yml").write_text("env_vars: 'PATH=/x'\n")
    result = subprocess.run([*run, "--update"], capture_output=True, text=True, check=True)
    assert "cannot read the answers" in result.stderr and "PATH" in result.stderr


# --- requires-python: never below the engine's minimum ------------------------------


@pytest.mark.slow  # the copier command line
def test_adoption_raises_a_requires_python_below_the_engine_and_says_so(tmp_path):
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    repo = existing_repo(tmp_path / "widgets-repo")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'requires-python = ">=3.9"', "requires-python = '>= 3.9, <4'  # supported"))
    commit_all(repo, "an upper bound and a comment")

    result = copier_cli("copy", "--trust", "--defaults", str(template), ".", cwd=repo)
    assert result.returncode == 0, result.stderr
    # The lower bound follows the engine (typing.Self, tomllib: 3.11); the upper bound,
    # the quotes, the spacing and the comment stay.
    assert "requires-python = '>= 3.11, <4'  # supported\n" in pyproject.read_text()
    assert "requires-python raised from '>= 3.9, <4' to '>= 3.11, <4'" in result.stderr
    # The python_version answer and requires-python agree.
    assert answers_of(repo)["python_version"] == "3.11"
    assert tomllib.loads(pyproject.read_text())["project"]["requires-python"].startswith(
        ">= 3.11")
    commit_all(repo, "adopt")
    update_project(repo)  # an update keeps the raised bound and says nothing more
    assert git(repo, "status", "--porcelain") == ""


def test_a_python_version_answer_above_requires_python_raises_it_too(tmp_path):
    template = snapshot_template(tmp_path / "template", "v0.1.0")
    repo = existing_repo(tmp_path / "widgets-repo")
    result = copier_cli("copy", "--trust", "--defaults", "-d", "python_version=3.12",
                        str(template), ".", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert 'requires-python = ">=3.12"\n' in (repo / "pyproject.toml").read_text()
    assert "requires-python raised from '>=3.9' to '>=3.12'" in result.stderr


@pytest.mark.parametrize(("spec", "expected"), [
    (">=3.9", ">=3.11"), (">=3.10,<4", ">=3.11,<4"), (">3.8, !=3.9.1", ">=3.11, !=3.9.1"),
    ("~=3.9", "~=3.11"), ("<4", ">=3.11, <4"), ("", ">=3.11"),
    (">=3.12", None), ("==3.13.*", None),
])
def test_requires_python_lower_bounds_are_raised_clause_by_clause(spec, expected):
    text = f'[project]\nname = "x"\nrequires-python = "{spec}"\n'
    outcome = layer.raise_requires_python(text, "3.11")
    if expected is None:
        assert outcome.text is None and outcome.notes == []
    else:
        assert outcome.text == text.replace(f'"{spec}"', f'"{expected}"')
        assert outcome.notes == [f"pyproject.toml: requires-python raised from {spec!r} to "
                                 f"{expected!r}: the settings engine needs Python 3.11 or "
                                 "newer and python_version is 3.11; a CI matrix may still "
                                 "test older ones"]


def test_classifiers_of_pythons_below_the_raised_bound_are_named_not_edited():
    text = ('[project]\nname = "x"\nrequires-python = ">=3.9"\nclassifiers = [\n'
            '  "Programming Language :: Python :: 3.9",\n'
            '  "Programming Language :: Python :: 3.10",\n'
            '  "Programming Language :: Python :: 3.11",\n'
            '  "Programming Language :: Python :: 3 :: Only",\n]\n')
    outcome = layer.raise_requires_python(text, "3.11")
    assert outcome.text == text.replace('">=3.9"', '">=3.11"')
    [note] = outcome.notes
    assert note.endswith("; its classifiers still name Python 3.9, 3.10: remove them; a CI "
                         "matrix may still test older ones")


def test_tool_targets_below_the_raised_bound_are_named_not_edited():
    text = ('[project]\nname = "x"\nrequires-python = ">=3.8"\n\n[tool.ruff]\n'
            'target-version = "py38"\n\n[tool.mypy]\npython_version = "3.8"\n')
    [note] = layer.raise_requires_python(text, "3.11").notes
    assert note.endswith("; [tool.ruff] target-version 'py38' and [tool.mypy] python_version "
                         "'3.8' name an older Python: raise them; a CI matrix may still "
                         "test older ones")
    newer = text.replace('"py38"', '"py312"').replace('"3.8"', '"3.12"', 1)
    [note] = layer.raise_requires_python(newer, "3.11").notes
    assert "target-version" not in note and "[tool.mypy]" not in note


@pytest.mark.parametrize("text", [
    '[project]\nname = "x"\nrequires-python = "==3.9.*"\n',
    '[project]\nname = "x"\nrequires-python = "~=3.9.1"\n',
    '[tool.poetry.dependencies]\npython = "^3.9"\n',
])
def test_a_requires_python_it_cannot_raise_safely_is_named_with_the_rule(text):
    outcome = layer.raise_requires_python(text, "3.11")
    assert outcome.text is None
    [note] = outcome.notes
    assert "3.9" in note and "needs Python 3.11 or newer" in note and "yourself" in note


def test_a_requires_python_whose_upper_bound_shuts_out_the_engine_is_left_and_named():
    text = '[project]\nname = "x"\nrequires-python = ">=3.8,<3.11"\n'
    outcome = layer.raise_requires_python(text, "3.11")
    assert outcome.text is None  # not ">=3.11,<3.11", which no Python satisfies
    assert outcome.notes == ["pyproject.toml: requires-python '>=3.8,<3.11' does not allow "
                             "Python 3.11: the settings engine needs Python 3.11 or newer and "
                             "python_version is 3.11; change it yourself"]


SHORT = "from ._settings import (\n    BaseSettings,\n)"
LONG = ("from ._settings import PROJECT_ROOT, BaseSettings, Secret, SettingsError, Url, env, "
        "main")


def ruff_is_content(path: Path) -> None:
    """ruff finds no import out of order (I001) and no undefined name (F821) in ``path``,
    and its formatter nothing to change."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip(unavailable("ruff"))
    for command in (["check", "--select", "I001,F821"], ["format", "--check"]):
        result = subprocess.run([ruff, *command, "--isolated", "--no-cache", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("newline", "before", "after"), [
    ("\n", SHORT, "from ._settings import BaseSettings, Var"),
    ("\r\n", SHORT, "from ._settings import BaseSettings, Var"),
    ("\n", LONG, "from ._settings import (\n    PROJECT_ROOT,\n    BaseSettings,\n    Secret,\n"
                 "    SettingsError,\n    Url,\n    Var,\n    env,\n    main,\n)"),
])
def test_a_settings_module_calling_var_gets_it_in_its_import_once(tmp_path, newline, before,
                                                                    after):
    """After an update from 0.1.0 the template's import line no longer names Var: it is
    added there, as ruff's isort and formatter write the statement."""
    (tmp_path / "pkg").mkdir()
    body = ['"""Settings."""', "", before, "", "", "class Settings(BaseSettings):",
            '    retries: int = Var("int", default="3")', ""]
    settings = tmp_path / "pkg" / "settings.py"
    settings.write_bytes(newline.join(body).encode())
    said = layer.restore_imports(tmp_path, "pkg")
    assert said.startswith("pkg/settings.py: its declarations use Var, which the template's "
                           "import lines no longer name: added to them")
    assert "0.1.0's style" in said
    body[2] = after
    assert settings.read_bytes() == newline.join(body).encode()
    assert layer.restore_imports(tmp_path, "pkg") == ""  # imported now: nothing to do
    ruff_is_content(settings)


def test_names_a_new_answer_dropped_from_the_import_lines_come_back(tmp_path):
    """An update whose answer has no URL, no path and no long default regenerates the
    import lines without Url, env and Path; declarations of the user's still use them."""
    (tmp_path / "pkg").mkdir()
    settings = tmp_path / "pkg" / "settings.py"
    head = ['"""Settings."""', "", "import os", "from collections.abc import Mapping", ""]
    tail = ["", "__all__ = [\"Settings\"]", "", "", "class Settings(BaseSettings):",
            '    homepage: Url = "https://example.org/"',
            '    cache: Path = Path("cache")',
            '    retries: int = env(default=3, description="How often.")', "",
            "", "def where() -> Mapping[str, str]:", "    return os.environ", ""]
    settings.write_text("\n".join(
        [*head, "from ._settings import BaseSettings, Secret", *tail]))
    said = layer.restore_imports(tmp_path, "pkg")
    assert said == ("pkg/settings.py: its declarations use Url, env, Path, which the "
                    "template's import lines no longer name: added to them")
    assert settings.read_text() == "\n".join(
        ['"""Settings."""', "", "import os", "from collections.abc import Mapping",
         "from pathlib import Path", "", "from ._settings import BaseSettings, Secret, Url, env",
         *tail])
    assert layer.restore_imports(tmp_path, "pkg") == ""
    ruff_is_content(settings)


def settings_file(root: Path, text: str) -> Path:
    """``root/pkg/settings.py`` holding ``text``."""
    (root / "pkg").mkdir(exist_ok=True)
    path = root / "pkg" / "settings.py"
    path.write_text(text)
    return path


@pytest.mark.parametrize("binding", [
    "from pathlib import PurePath as Path\nUrl = str",
    "try:\n    from pathlib import Path\nexcept ImportError:\n    pass\n"
    "if True:\n    from ._settings import Url",
])
def test_a_name_the_project_binds_itself_is_left_alone(tmp_path, binding):
    text = (f"{binding}\n\nfrom ._settings import BaseSettings\n\n\n"
            "class S(BaseSettings):\n    home: Url\n    cache: Path\n")
    settings = settings_file(tmp_path, text)
    assert layer.restore_imports(tmp_path, "pkg") == ""
    assert settings.read_text() == text


def test_var_calls_with_no_statement_to_add_it_to_get_a_sentence_only(tmp_path):
    text = ("from ._settings import BaseSettings  # ours\n\n\nclass S(BaseSettings):\n"
            "    retries: int = Var('int')\n    cache: Path = Path('c')\n")
    settings = settings_file(tmp_path, text)
    said = layer.restore_imports(tmp_path, "pkg")
    assert said.startswith("pkg/settings.py: its declarations use Var, Path, which nothing "
                           "imports: import Var from ._settings and Path from pathlib")
    assert settings.read_text() == text
    settings.write_text("class S:\n    retries: int = 3\n")
    assert layer.restore_imports(tmp_path, "pkg") == ""  # no Var() call


def test_the_git_init_step_is_printed_only_outside_a_git_work_tree(tmp_path):
    """The message after a copy asks for `git init` only where copier update would fail."""
    inside = tmp_path / "repo" / "sub" / "project"
    inside.mkdir(parents=True)
    assert not layer.in_git_work_tree(inside)
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    assert layer.in_git_work_tree(inside) and layer.in_git_work_tree(tmp_path / "repo")
    assert not layer.in_git_work_tree(tmp_path)
    # README's first command: `../my-project` from inside a clone is beside it.
    beside = tmp_path / "repo" / ".." / "my-project"
    assert not layer.in_git_work_tree(beside) and layer.git_root_above(beside) == ""
    assert layer.git_root_above(inside) == str(tmp_path / "repo")


def test_a_copy_names_every_file_it_wrote_that_git_ignores(template_dir, tmp_path):
    """A repository that ignores .vscode/ and .github/: the settings file and the
    workflow are written, and git would carry neither to another clone."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".gitignore").write_text(".vscode/\n.github/\n")
    (repo / "pyproject.toml").write_text('[project]\nname = "ignoring"\nversion = "1"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "theirs")

    result = copier_cli("copy", "--trust", "--defaults", str(template_dir), ".", cwd=repo)

    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert ("git ignores .github/workflows/venv-dotenv.yml, .vscode/settings.json: no other "
            "clone gets them from git") in said
    # Nor does that .gitignore ignore what the bootstrap and the tests make, which would
    # leave the work tree dirty for the next update.
    assert ("your .gitignore does not ignore __pycache__/ or *.egg-info/, which the "
            "bootstrap and the tests make: add them, or `copier update` will refuse the "
            "work tree they leave untracked") in said
