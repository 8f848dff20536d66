"""Repository layouts: the package at the top level (a flat layout) as well as under src/.

The package's folder is the stored answer ``package_dir`` (src/<pkg> or <pkg>, its default
read from the destination), so that copy, update, the bootstrap, the loader, the generated
tests, the pre-commit hook and the README block all follow it. Real copier, git, venvs and
the projects' own test suites, as README.md tells users to run them.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import TEMPLATE_PACKAGE_DIR, copier_cli
from copier_helpers import (
    answers_of,
    clean_env,
    commit_all,
    conflict_files,
    git,
    keeps_every_line,
    snapshot_template,
    update_project,
)
from copier_helpers import bootstrap_project as bootstrap

BIN = Path(sys.executable).parent

FLAT_FILES = {
    "pyproject.toml": """\
[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "acme-tools"
version = "1.0.0"
requires-python = ">=3.11"
""",
    "acme_tools/__init__.py": '"""Acme tools."""\n\n\ndef double(x: int) -> int:\n    return 2 * x\n',
    "tests/test_double.py": "from acme_tools import double\n\n\ndef test_double():\n"
                            "    assert double(2) == 4\n",
    "README.md": "# Acme tools\n\nOurs.\n",
}


def repository(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "the existing repository")
    return path


def copy(template: Path, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """README.md's adoption command: no -d, no terminal."""
    return copier_cli("copy", "--trust", "--defaults", *args, str(template), ".", cwd=repo)


def suite(python: Path, project: Path, theirs: str) -> None:
    """The project's whole suite passes in its venv: its own tests (``theirs``, a test
    file) and the template's ran."""
    result = subprocess.run([str(python), "-m", "pytest", "-p", "no:cacheprovider", "-v"],
                            cwd=project, env=clean_env(), capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for name in (theirs, "tests/test_venv_dotenv.py"):
        assert f"{name}::" in result.stdout and " PASSED" in result.stdout, name


def update_keeps_everything(template: Path, repo: Path, files: dict[str, str]) -> None:
    """A next release: the update brings it with no conflict and every line of ``files``
    kept; a second update changes nothing."""
    next_release(template, "v1.1.0")
    update_project(repo)
    assert conflict_files(repo) == []
    assert answers_of(repo)["_commit"] == "v1.1.0"
    for name, text in files.items():
        assert keeps_every_line(text, (repo / name).read_text()), name
    package = answers_of(repo)["package_dir"]
    assert (repo / package / "_settings/__init__.py").read_text().endswith("\n# v1.1.0\n")
    commit_all(repo, "update")
    update_project(repo)
    assert git(repo, "status", "--porcelain") == ""


def next_release(template: Path, tag: str) -> None:
    """A release that changes an owned file inside the package and the README block."""
    engine_init = template / "template" / TEMPLATE_PACKAGE_DIR / "_settings/__init__.py"
    engine_init.write_text(engine_init.read_text() + f"\n# {tag}\n")
    block = template / "extensions/blocks/README.md.jinja"
    text = block.read_text()
    assert "\n## Configuration\n" in text
    block.write_text(text.replace("\n## Configuration\n", f"\n## Configuration ({tag})\n", 1))
    commit_all(template, tag, tag=tag)


@pytest.mark.venv
def test_a_flat_layout_is_adopted_with_defaults_bootstrapped_and_updated(tmp_path):
    template = snapshot_template(tmp_path / "template", "v1.0.0")
    repo = repository(tmp_path / "acme", FLAT_FILES)

    result = copy(template, repo)
    assert result.returncode == 0, result.stderr
    assert answers_of(repo)["package_name"] == "acme_tools"
    assert answers_of(repo)["package_dir"] == "acme_tools"  # read from the repository
    assert not (repo / "src").exists()
    assert (repo / "acme_tools/settings.py").is_file()
    assert (repo / "acme_tools/_settings/_engine.py").is_file()
    for name, text in FLAT_FILES.items():
        assert keeps_every_line(text, (repo / name).read_text()), name
    assert (repo / "acme_tools/__init__.py").read_text() == FLAT_FILES["acme_tools/__init__.py"]
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text())
    assert pyproject["tool"]["copier-venv-dotenv"]["settings"] == "acme_tools.settings"
    assert [dep.split(">")[0] for dep in pyproject["project"]["dependencies"]] == [
        "python-dotenv"]
    # The pre-commit hook imports the package from the root; the README names its folder.
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][-1]["hooks"]
    env_example = next(hook for hook in hooks if hook["id"] == "env-example")
    assert "cd src" not in env_example["entry"]
    assert env_example["files"].startswith(r"^(\.env\.example|acme_tools/(settings")
    readme = (repo / "README.md").read_text()
    assert "`acme_tools/settings.py` declares every environment variable" in readme
    assert "src/acme_tools" not in readme
    commit_all(repo, "adopt copier-venv-dotenv")

    # Bootstrapped: the loader finds the root above the package; both suites pass.
    python = bootstrap(repo)
    assert (repo / ".env.local").is_file()
    suite(python, repo, "tests/test_double.py")
    check = subprocess.run([str(python), "-m", "acme_tools.settings", "check"], cwd=repo,
                           env=clean_env(), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    hook = subprocess.run([str(BIN / "pre-commit"), "run", "env-example", "--all-files"],
                          cwd=repo, env={**clean_env(), "PRE_COMMIT_HOME": str(tmp_path / "pc")},
                          capture_output=True, text=True)
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert "Passed" in hook.stdout

    # An update renders into the stored folder: nothing lost, nothing under src/.
    settings_before = (repo / "acme_tools/settings.py").read_text()
    update_keeps_everything(template, repo, FLAT_FILES)
    assert answers_of(repo)["package_dir"] == "acme_tools"
    assert not (repo / "src").exists()
    assert (repo / "acme_tools/settings.py").read_text() == settings_before
    assert "## Configuration (v1.1.0)" in (repo / "README.md").read_text()
    suite(python, repo, "tests/test_double.py")


def test_a_fresh_project_keeps_the_src_layout(template_repo, tmp_path):
    result = copier_cli("copy", "--trust", "--defaults", str(template_repo), "shop",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "shop"
    assert answers_of(project)["package_dir"] == "src/shop"
    assert (project / "src/shop/settings.py").is_file()
    assert (project / "src/shop/_settings/_engine.py").is_file()
    assert not (project / "shop").exists()
    hooks = (project / ".pre-commit-config.yaml").read_text()
    assert "cd src && exec" in hooks


def test_a_package_folder_that_does_not_hold_the_package_is_refused(template_repo, tmp_path):
    repo = repository(tmp_path / "acme", FLAT_FILES)
    for answer, words in [
        ("src/acme_tools", "package 'acme_tools' is in acme_tools/ in this repository, not in "
                           "src/acme_tools/"),
        ("lib/acme_tools", "package_dir 'lib/acme_tools' is not a folder of the package "
                           "'acme_tools': answer src/acme_tools (a src layout) or acme_tools"),
    ]:
        result = copy(template_repo, repo, "-d", f"package_dir={answer}")
        assert result.returncode != 0
        assert words in result.stderr
        assert git(repo, "status", "--porcelain", "--ignored") == ""  # nothing written


def test_a_single_module_project_is_refused_with_the_way_out(template_repo, tmp_path):
    """flit's single-module layout (foo.py): a package foo for the settings would shadow
    the module; making the module a package first is the way out, and then it works."""
    repo = repository(tmp_path / "foo", {
        "pyproject.toml": '[build-system]\nrequires = ["flit_core>=3.4"]\n'
                          'build-backend = "flit_core.buildapi"\n\n[project]\nname = "foo"\n'
                          'dynamic = ["version", "description"]\n',
        "foo.py": '"""Foo."""\n\n__version__ = "1.0"\n',
    })
    result = copy(template_repo, repo)
    assert result.returncode != 0
    assert ("foo.py is this repository's module 'foo': a package 'foo' for the settings "
            "would shadow it (and builders such as flit refuse both); make it a package "
            "first (git mv foo.py foo/__init__.py, then commit) and copy again"
            ) in " ".join(result.stderr.split())
    assert git(repo, "status", "--porcelain", "--ignored") == ""  # nothing written
    (repo / "foo").mkdir()
    git(repo, "mv", "foo.py", "foo/__init__.py")
    commit_all(repo, "foo is a package")
    result = copy(template_repo, repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "foo" / "settings.py").is_file() and (repo / "foo/__init__.py").is_file()


def test_adopting_a_repository_that_commits_an_env_file_warns_without_a_value(
        template_repo, tmp_path):
    """A .env committed by mistake: its values are in the history. The copy says so (not
    what they are) and names the command that finds the secrets."""
    repo = repository(tmp_path / "kit", {
        "pyproject.toml": '[project]\nname = "kit"\nversion = "1"\ndependencies = []\n',
        "kit/__init__.py": "",
        ".env": "DATABASE_URL=postgresql://app:hunter2@db/app\n",
        ".env.example": "DATABASE_URL=\n",
    })
    result = copy(template_repo, repo)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert ("Warning: git tracks .env. A committed env file must hold no secret (the history "
            "keeps every value it ever had): after the bootstrap, run .venv/bin/python -m "
            "kit.settings check, which names any secret there") in said
    assert "hunter2" not in result.stderr
    clean = repository(tmp_path / "clean", {
        "pyproject.toml": '[project]\nname = "clean"\nversion = "1"\ndependencies = []\n',
        "clean/__init__.py": ""})
    result = copy(template_repo, clean)
    assert result.returncode == 0, result.stderr
    assert "git tracks" not in result.stderr


# --------------------------------------------------------------------------- a real project

# idna 3.10 (BSD-3-Clause): a flat layout (idna/ at the top level), flit_core, its tests
# in the sdist, no [project] dependencies key at all.
IDNA = ("idna", "3.10", "12f65c9b470abda6dc35cf8e63cc574b1c52b11df2c86030af0ac09b01b13ea9")


def fetch_sdist(name: str, version: str, sha256: str, dst: Path) -> Path:
    """The project's sdist from the package index, checked, unpacked; a skip with the
    reason when the index cannot be reached."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "--disable-pip-version-check", "-q", f"{name}=={version}", "-d", str(dst)],
        capture_output=True, text=True, timeout=300)
    archives = sorted(dst.glob(f"{name}-{version}.tar.gz"))
    if result.returncode != 0 or not archives:
        pytest.skip(f"pip download {name}=={version} failed (is the index reachable?): "
                    + (result.stderr.strip().splitlines() or ["no output"])[-1])
    digest = hashlib.sha256(archives[0].read_bytes()).hexdigest()
    assert digest == sha256, f"{archives[0].name}: sha256 {digest}, expected {sha256}"
    with tarfile.open(archives[0]) as archive:
        archive.extractall(dst, filter="data")
    return dst / f"{name}-{version}"


@pytest.mark.venv
def test_a_real_flat_layout_project_from_the_index_is_adopted_with_defaults(tmp_path):
    name, version, sha256 = IDNA
    repo = fetch_sdist(name, version, sha256, tmp_path / "download")
    (repo / "PKG-INFO").unlink()  # what the sdist adds to the project's own files
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, f"{name} {version}")
    theirs = {path: (repo / path).read_text() for path in git(repo, "ls-files").split()
              if path.endswith((".py", ".toml", ".rst", ".md"))}
    template = snapshot_template(tmp_path / "template", "v1.0.0")

    result = copy(template, repo)
    assert result.returncode == 0, result.stderr
    answers = answers_of(repo)
    assert (answers["project_name"], answers["package_name"], answers["package_dir"]) == (
        "idna", "idna", "idna")
    assert (repo / "idna/settings.py").is_file() and not (repo / "src").exists()
    if "pyproject.toml" in theirs:  # its lower bound raised to the engine's minimum
        theirs["pyproject.toml"] = re.sub(r'(requires-python = ")>=3\.\d+"', r'\g<1>>=3.11"',
                                          theirs["pyproject.toml"])
    for path, text in theirs.items():
        assert keeps_every_line(text, (repo / path).read_text()), path
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text())
    assert any(dep.startswith("python-dotenv") for dep in pyproject["project"]["dependencies"])
    commit_all(repo, "adopt copier-venv-dotenv")

    python = bootstrap(repo)
    suite(python, repo, "tests/test_idna.py")
    update_keeps_everything(template, repo, theirs)


# --------------------------------------------------------------------------- other shapes
# Repositories that do not list their dependencies in [project]: python-dotenv goes where
# they do list them, pytest where the bootstrap installs it, and their build stays theirs.

TESTS_OF_THEIRS = "from {pkg} import double\n\n\ndef test_double():\n    assert double(2) == 4\n"
PACKAGE_OF_THEIRS = '"""Kit."""\n\n\ndef double(x: int) -> int:\n    return 2 * x\n'

SHAPES = {
    # setup.py alone, its dependencies a literal list (a marker that installs nothing here).
    "setup.py": ("old_kit", {
        "setup.py": """\
from setuptools import find_packages, setup

setup(
    name="old-kit",
    version="1.0.0",
    packages=find_packages(include=["old_kit", "old_kit.*"]),
    install_requires=[
        'typing-extensions>=4; python_version < "3.8"',
    ],
)
""",
    }),
    # setup.cfg's declarative metadata, with the usual one-line setup.py.
    "setup.cfg": ("cfg_kit", {
        "setup.cfg": """\
[metadata]
name = cfg-kit
version = 1.0.0

[options]
packages = find:
python_requires = >=3.11

[options.packages.find]
include = cfg_kit*

[flake8]
max-line-length = 99
""",
        "setup.py": "from setuptools import setup\n\nsetup()\n",
    }),
    # Poetry 1: [tool.poetry], no [project].
    "poetry": ("poem_kit", {
        "pyproject.toml": """\
[tool.poetry]
name = "poem-kit"
version = "1.0.0"
description = "Poems."
authors = ["Ada Lovelace <ada@example.org>"]
packages = [{ include = "poem_kit" }]

[tool.poetry.dependencies]
python = "^3.11"

[tool.poetry.group.dev.dependencies]

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
""",
    }),
    # [project] with its dependencies read by setuptools from a requirements file.
    "dynamic": ("dyn_kit", {
        "pyproject.toml": """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "dyn-kit"
version = "1.0.0"
requires-python = ">=3.11"
dynamic = ["dependencies"]

[tool.setuptools.dynamic]
dependencies = { file = ["requirements.txt"] }

[tool.setuptools.packages.find]
include = ["dyn_kit*"]
""",
        "requirements.txt": "# What the package needs at run time.\n",
    }),
    # Tools' settings only in pyproject.toml; the dependencies in requirements.txt, which
    # the bootstrap installs (an application, never built as a package).
    "requirements.txt": ("req_kit", {
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        "requirements.txt": "packaging\n",
    }),
}


def shape_repository(path: Path, shape: str) -> tuple[str, dict[str, str]]:
    package, files = SHAPES[shape]
    files = {**files, f"{package}/__init__.py": PACKAGE_OF_THEIRS,
             "tests/test_kit.py": TESTS_OF_THEIRS.format(pkg=package)}
    repository(path, files)
    return package, files


def dotenv_requirements(text: str) -> list[str]:
    return [line.strip().strip('",') for line in text.splitlines()
            if "python-dotenv" in line and not line.lstrip().startswith("#")]


@pytest.mark.venv
@pytest.mark.parametrize("shape", list(SHAPES))
def test_other_repository_shapes_are_adopted_bootstrapped_and_tested(tmp_path, shape):
    template = snapshot_template(tmp_path / "template", "v1.0.0")
    repo = tmp_path / "kit"
    package, files = shape_repository(repo, shape)

    result = copy(template, repo)
    assert result.returncode == 0, result.stderr
    answers = answers_of(repo)
    assert (answers["package_name"], answers["package_dir"]) == (package, package)
    for name, text in files.items():
        assert keeps_every_line(text, (repo / name).read_text()), name
    pyproject_text = (repo / "pyproject.toml").read_text()
    pyproject = tomllib.loads(pyproject_text)
    assert pyproject["tool"]["copier-venv-dotenv"]["settings"] == f"{package}.settings"
    assert pyproject["dependency-groups"]["dev"] == ["pytest>=8"]
    dotenv = layer_requirement()
    if shape == "setup.py":
        # Tool tables only: setup.py keeps building the project.
        assert "build-system" not in pyproject and "project" not in pyproject
        assert (f'        \'typing-extensions>=4; python_version < "3.8"\',\n        "{dotenv}",\n'
                in (repo / "setup.py").read_text())
    elif shape == "setup.cfg":
        assert "build-system" not in pyproject and "project" not in pyproject
        assert answers["project_name"] == "cfg-kit"
        assert (f"python_requires = >=3.11\ninstall_requires =\n    {dotenv}\n\n"
                in (repo / "setup.cfg").read_text())
    elif shape == "poetry":
        assert answers["project_name"] == "poem-kit"
        assert "project" not in pyproject
        assert pyproject["tool"]["poetry"]["dependencies"] == {
            "python": "^3.11", "python-dotenv": dotenv.removeprefix("python-dotenv")}
        assert 'python = "^3.11"\npython-dotenv = ' in pyproject_text
    elif shape == "requirements.txt":
        assert "build-system" not in pyproject and "project" not in pyproject
        assert (repo / "requirements.txt").read_text() == f"packaging\n{dotenv}\n"
    else:
        assert pyproject["project"]["dynamic"] == ["dependencies"]
        assert "dependencies" not in pyproject["project"]
        assert dotenv_requirements((repo / "requirements.txt").read_text()) == [dotenv]
    assert "yourself" not in result.stderr, result.stderr  # nothing left to do by hand
    commit_all(repo, "adopt copier-venv-dotenv")

    python = bootstrap(repo)
    suite(python, repo, "tests/test_kit.py")
    if shape == "requirements.txt":  # no package metadata: requirements.txt made the venv
        found = subprocess.run([str(python), "-c", "import dotenv, packaging"],
                               capture_output=True, text=True, env=clean_env())
        assert found.returncode == 0, found.stderr
        update_keeps_everything(template, repo, files)
        return
    # The installed project itself requires python-dotenv.
    requires = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m, sys; "
         "print('\\n'.join(m.requires(sys.argv[1]) or []))", package.replace("_", "-")],
        capture_output=True, text=True, env=clean_env())
    assert requires.returncode == 0, requires.stderr
    assert any(line.startswith("python-dotenv") for line in requires.stdout.splitlines())

    update_keeps_everything(template, repo, files)


def layer_requirement() -> str:
    import venv_dotenv_layer

    return venv_dotenv_layer.DOTENV_REQUIREMENT


# --------------------------------------------------------------------------- in-process

TOOLS_ONLY = "[tool.ruff]\nline-length = 99\n"


def merged(pyproject: str, **files: str) -> tuple[str, list[str], dict[str, str]]:
    import venv_dotenv_layer as layer

    answers = layer.Answers(package_name="kit", package_dir="kit")
    outcome = layer.merge("pyproject.toml", pyproject, answers, add=True,
                          read={name.replace("_", "."): text for name, text in files.items()}.get)
    return outcome.text or pyproject, outcome.notes, outcome.files


@pytest.mark.parametrize(("setup_py", "words"), [
    ('from setuptools import setup\nsetup(name="kit", install_requires=open("r.txt").read().split())\n',
     "setup.py computes install_requires: add"),
    ('from setuptools import setup\nsetup(name="kit")\n',
     "setup.py has no install_requires: add install_requires=["),
    ("from setuptools import setup\nsetup(**CONFIG)\n", "setup.py computes install_requires"),
    # No setup() call (a build step elsewhere), or two of them: no sentence on "computes".
    ("import setuptools\nbuild = setuptools.setup\n",
     "setup.py has no one setup() call that can be read: add \"python-dotenv"),
    ("from setuptools import setup\nif A:\n    setup(name='a')\nelse:\n    setup(name='b')\n",
     "setup.py has no one setup() call that can be read: add \"python-dotenv"),
])
def test_a_setup_py_it_cannot_change_safely_is_left_with_a_sentence(setup_py, words):
    _, notes, files = merged(TOOLS_ONLY, setup_py=setup_py)
    assert files == {}
    assert any(words in note and "python-dotenv>=" in note for note in notes), notes


@pytest.mark.parametrize(("files", "words"), [
    ({"setup_cfg": "[options]\npython_requires = >=3.8\n"},
     "setup.cfg: python_requires '>=3.8' allows Pythons older than 3.11"),
    ({"setup_py": 'from setuptools import setup\nsetup(name="kit", python_requires=">=3.7")\n',
      "setup_cfg": "[options]\npython_requires = >=3.12\n"},  # setup.py's argument wins
     "setup.py: python_requires '>=3.7' allows Pythons older than 3.11"),
    ({"setup_cfg": "[options]\npython_requires = >=3.6, <3.10\n"},
     "setup.cfg: python_requires '>=3.6, <3.10' does not allow Python 3.11"),
    ({"setup_py": "from setuptools import setup\nsetup(name='kit', python_requires=PYTHONS)\n"},
     "setup.py: python_requires is computed: make sure it requires Python >=3.11"),
])
def test_setuptools_python_requires_below_the_engine_gets_a_sentence(files, words):
    _, notes, written = merged(TOOLS_ONLY, **files)
    assert any(words in note and "the settings engine needs Python 3.11" in note
               for note in notes), notes
    # The sentence asks; python_requires stays as written (python-dotenv may be added).
    for name, text in written.items():
        original = files[name.replace(".", "_")]
        (line,) = [line for line in original.splitlines() if "python_requires" in line]
        assert line in text.splitlines() or line.split("setup(")[-1] in text


@pytest.mark.parametrize("files", [
    {"setup_cfg": "[options]\npython_requires = >=3.11\n"},
    {"setup_py": 'from setuptools import setup\nsetup(name="kit", python_requires="~=3.11")\n'},
    {"setup_cfg": "[metadata]\nname = kit\n"},
    # Above the answer: the project's own minimum, as in pyproject.toml.
    {"setup_py": 'from setuptools import setup\nsetup(name="kit", python_requires=">=3.12")\n'},
    {"setup_py": "from setuptools import setup\nsetup(name='kit', python_requires=None)\n"},
])
def test_setuptools_python_requires_that_admits_the_engine_is_left_silently(files):
    _, notes, _ = merged(TOOLS_ONLY, **files)
    assert not [note for note in notes if "python_requires" in note], notes


def test_setup_cfg_reads_its_requirements_from_a_file_that_gets_the_dependency():
    _, notes, files = merged(TOOLS_ONLY, setup_cfg="[options]\ninstall_requires = file: req.in\n",
                             req_in="attrs  # ours\n")
    assert list(files) == ["req.in"]
    assert files["req.in"].startswith("attrs  # ours\n") and "python-dotenv>=" in files["req.in"]
    # Already there: nothing to do.
    assert merged(TOOLS_ONLY, setup_cfg="[options]\ninstall_requires = file: req.in\n",
                  req_in="python-dotenv==1.1.0\n")[2] == {}


def test_dynamic_dependencies_not_read_from_a_file_get_a_sentence():
    pyproject = '[project]\nname = "kit"\nversion = "1"\ndynamic = ["dependencies"]\n'
    text, notes, files = merged(pyproject)
    assert files == {} and "dependencies" not in tomllib.loads(text)["project"]
    assert any("declares its dependencies as dynamic: add" in note for note in notes), notes


def test_poetry_dependency_already_there_is_left_alone():
    pyproject = ('[tool.poetry]\nname = "kit"\n\n[tool.poetry.dependencies]\n'
                 'python = "^3.11"\npython-dotenv = "^1.0"\n')
    text, notes, _ = merged(pyproject)
    assert tomllib.loads(text)["tool"]["poetry"]["dependencies"]["python-dotenv"] == "^1.0"
    assert not any("python-dotenv" in note for note in notes), notes


@pytest.mark.parametrize(("files", "expected"), [
    ({"pyproject.toml": '[tool.poetry]\nname = "poem-kit"\n\n[tool.poetry.dependencies]\n'
                        'python = "^3.12"\n'}, ("poem-kit", "3.12")),
    ({"setup.cfg": "[metadata]\nname = cfg-kit\n\n[options]\npython_requires = >=3.13\n"},
     ("cfg-kit", "3.13")),
    # setup.py's argument wins over setup.cfg, as it does for setuptools.
    ({"setup.cfg": "[metadata]\nname = cfg-kit\n\n[options]\npython_requires = >=3.13\n",
      "setup.py": 'from setuptools import setup\nsetup(python_requires=">=3.12")\n'},
     ("cfg-kit", "3.12")),
])
def test_names_and_python_come_from_poetry_and_setup_cfg(tmp_path, files, expected):
    import venv_dotenv_layer as layer

    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert (layer.existing_project_name(tmp_path), layer.existing_python_version(tmp_path)) == expected


def test_the_pyproject_starter_of_a_setuptools_project_does_not_take_its_build(tmp_path):
    import venv_dotenv_layer as layer

    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup()\n")
    answers = layer.Answers(package_name="kit", package_dir="kit")
    data = tomllib.loads(layer.starter("pyproject.toml", answers, tmp_path))
    assert set(data) == {"dependency-groups", "tool"}
    assert data["tool"]["copier-venv-dotenv"]["settings"] == "kit.settings"
    # Without setup.py or setup.cfg: a whole project, its package in package_dir.
    data = tomllib.loads(layer.starter("pyproject.toml", answers, tmp_path / "elsewhere"))
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["kit"]


@pytest.mark.parametrize(("pyproject", "files", "where"), [
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.setuptools]\npackages = ["kit"]\n', {}, "pyproject.toml"),
    (TOOLS_ONLY, {"setup_cfg": "[options]\npackages =\n    kit\ninstall_requires =\n    attrs\n"},
     "setup.cfg"),
    (TOOLS_ONLY, {"setup_py": "from setuptools import setup\n\n"
                              "setup(packages=['kit'], install_requires=[])\n"}, "setup.py"),
    # Found packages, or the engine listed already: nothing to say.
    (TOOLS_ONLY, {"setup_cfg": "[options]\npackages = find:\n"}, None),
    (TOOLS_ONLY, {"setup_py": "from setuptools import find_packages, setup\n\n"
                              "setup(packages=find_packages(), install_requires=[])\n"}, None),
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.setuptools]\npackages = ["kit", "kit._settings"]\n', {}, None),
])
def test_packages_listed_one_by_one_without_the_engine_get_a_sentence(pyproject, files, where):
    _, notes, _ = merged(pyproject, **files)
    said = [note for note in notes if "kit._settings" in note]
    if where is None:
        assert said == []
    else:
        assert said == [f"{where} lists the packages setuptools installs and not kit._settings: "
                        "add it, or a wheel built from the project will lack the settings engine"]


@pytest.mark.parametrize(("pyproject", "said"), [
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.setuptools]\npackages = ["acme"]\n',
     "pyproject.toml lists the packages setuptools installs and not kit and kit._settings: "
     "add them, or a wheel built from the project will lack the settings engine"),
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.setuptools.packages.find]\ninclude = ["acme.*"]\n',
     "pyproject.toml: [tool.setuptools.packages.find] include matches no 'kit': add "
     '"kit*", or the project installs without its settings'),
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.hatch.build.targets.wheel]\npackages = ["src/acme"]\n',
     "pyproject.toml: [tool.hatch.build.targets.wheel] packages lists no kit: add "
     '"kit", or a wheel built from the project will lack its settings'),
    # Matched, or listed: nothing to say.
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.setuptools.packages.find]\ninclude = ["kit*", "acme.*"]\n', None),
    ('[project]\nname = "kit"\nversion = "1"\ndependencies = []\n\n'
     '[tool.hatch.build.targets.wheel]\npackages = ["src/acme", "kit"]\n', None),
])
def test_a_build_told_its_packages_without_the_settings_package_gets_a_sentence(pyproject,
                                                                                   said):
    """The template makes a new package (an org's package holds a settings.py of its own,
    a namespace package): a build that lists its packages must take it too."""
    _, notes, _ = merged(pyproject)
    found = [note for note in notes if "'kit'" in note or " kit" in note]
    assert found == ([] if said is None else [said])
