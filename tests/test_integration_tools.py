"""direnv, VS Code and pre-commit in rendered projects, each checked with the real tool.

- direnv: Debian's `direnv` (`.ci/run` installs it), with its own HOME and XDG folders,
  so `direnv allow` never touches the developer's allow list;
- pre-commit: the pinned one from PyPI, through a real `git commit` in a real repository,
  with its own PRE_COMMIT_HOME; the hooks are local, so nothing is downloaded;
- VS Code: the settings file is JSON whose paths follow the answers;
- `copier update` from a version without these questions brings in their defaults;
- a project with everything on and one with everything off pass their own tests after a
  real `python3 scripts/bootstrap.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import conftest
import copier
import pytest
import yaml
from conftest import copier_cli, git, refusal, snapshot_template

DIRENV = shutil.which("direnv")
needs_direnv = pytest.mark.skipif(
    DIRENV is None,
    reason="direnv is not installed (.ci/run installs it with apt-get when it runs as root)",
)
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN))
QUESTIONS = ("use_direnv", "use_vscode", "use_pre_commit")
ALL_ON = dict.fromkeys(QUESTIONS, True)
ALL_OFF = dict.fromkeys(QUESTIONS, False)
CUSTOM_LAYOUT = {"venv_dir": "envs/dev", "env_file": "config/app.env"}
FEATURE_FILES = (".envrc", ".vscode/settings.json", ".pre-commit-config.yaml")


def render(template: Path, dst: Path, **data) -> Path:
    return conftest.render(template, dst, **{"project_name": "Tools Demo", **data})


def clean_env(**extra: str) -> dict[str, str]:
    """The test run's environment without anything a shell hook or a venv may have set."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DIRENV_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    return {**env, **extra}


def bootstrap(project: Path) -> None:
    # uv from this test environment makes the bootstrap take seconds, not a minute.
    env = clean_env(PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    result = subprocess.run([sys.executable, str(project / "scripts" / "bootstrap.py"),
                             "--quiet"], cwd=project.parent, env=env, capture_output=True,
                            text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def venv_python(project: Path, venv_dir: str = ".venv") -> Path:
    return project / venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


# --------------------------------------------------------------------------- questions


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_bool_question_refuses_a_word_that_is_not_yes_or_no(template_dir, tmp_path,
                                                               question):
    # copier itself reads any unknown word as true: "maybe" would silently mean yes.
    dst = tmp_path / "maybe"
    message = refusal(template_dir, dst, **{question: "maybe"})
    assert f"{question} must be true or false" in message
    assert "'maybe'" in message
    assert not dst.exists()


@pytest.mark.slow
def test_a_bool_question_refuses_a_word_on_the_command_line(template_repo, tmp_path):
    dst = tmp_path / "maybe"
    result = copier_cli("copy", "--trust", "--defaults", "-d", "use_direnv=maybe",
                        str(template_repo), str(dst))
    assert result.returncode != 0
    assert "use_direnv must be true or false" in result.stderr
    assert "'maybe'" in result.stderr
    assert not dst.exists()


@pytest.mark.slow
def test_a_bool_default_of_copiers_settings_file_is_checked_too(template_repo, tmp_path):
    """An organisation's settings file (defaults for every copy): a misspelt word there
    would be read as true; refused as on the command line."""
    settings = tmp_path / "settings.yml"
    settings.write_text("defaults:\n  update_workflow: flase\n")
    dst = tmp_path / "typo"
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--trust", "--defaults",
         str(template_repo), str(dst)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
        env={**os.environ, "COPIER_SETTINGS_PATH": str(settings)})
    assert result.returncode != 0
    assert "update_workflow must be true or false (yes/no, on/off, 1/0), not 'flase'" in (
        result.stderr)
    assert not dst.exists()
    settings.write_text("defaults:\n  update_workflow: 'yes'\n  use_direnv: off\n")
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--trust", "--defaults",
         str(template_repo), str(dst)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
        env={**os.environ, "COPIER_SETTINGS_PATH": str(settings)})
    assert result.returncode == 0, result.stderr
    assert (dst / ".github/workflows/copier-update.yml").is_file()
    assert not (dst / ".envrc").exists()


def test_yes_no_words_are_accepted(template_dir, tmp_path):
    # As the command line's -d gives them: text.
    dst = tmp_path / "words"
    render(template_dir, dst, use_direnv="yes", use_vscode="off", use_pre_commit="0")
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert (answers["use_direnv"], answers["use_vscode"], answers["use_pre_commit"]) == (
        True, False, False)
    assert (dst / ".envrc").is_file()
    assert not (dst / ".vscode").exists()
    assert not (dst / ".pre-commit-config.yaml").exists()


def test_defaults_turn_on_vscode_and_pre_commit_only(template_dir, tmp_path):
    dst = render(template_dir, tmp_path / "defaults")
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert {q: answers[q] for q in QUESTIONS} == {
        "use_direnv": False, "use_vscode": True, "use_pre_commit": True}
    assert not (dst / ".envrc").exists()
    assert (dst / ".vscode/settings.json").is_file()
    assert (dst / ".pre-commit-config.yaml").is_file()
    readme = (dst / "README.md").read_text()
    assert "## Daily use" in readme and "### VS Code" in readme
    assert "### direnv" not in readme


@pytest.mark.parametrize("layout", [{}, CUSTOM_LAYOUT], ids=["default-layout", "custom-layout"])
def test_files_follow_the_answers(template_dir, tmp_path, layout):
    venv_dir = layout.get("venv_dir", ".venv")
    env_file = layout.get("env_file", ".env")
    dst = render(template_dir, tmp_path / "p", **ALL_ON, **layout)

    settings = json.loads((dst / ".vscode/settings.json").read_text())
    # A folder: the Python extension finds bin/python or Scripts\python.exe in it.
    assert settings["python.defaultInterpreterPath"] == f"${{workspaceFolder}}/{venv_dir}"
    assert settings["python.envFile"] == f"${{workspaceFolder}}/{env_file}.local"
    assert settings["python.testing.pytestEnabled"] is True
    assert settings["python.testing.pytestArgs"] == ["tests"]

    envrc = (dst / ".envrc").read_text()
    assert f"__venv_dotenv_files=({env_file})\n" in envrc
    assert '    dotenv "$__venv_dotenv_file"\n' in envrc
    assert f"  PATH_add {venv_dir}/bin\n" in envrc
    # The env file is data for direnv's parser, never shell code.
    assert not re.search(r"^\s*(source|\.)\s", envrc, re.MULTILINE)

    config = yaml.safe_load((dst / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert set(hooks) == {"no-env-files", "no-conflict-markers", "no-conflict-separators",
                          "env-example"}
    assert f"{venv_dir}/bin/python" in hooks["env-example"]["entry"]
    assert f"{venv_dir}/Scripts/python.exe" in hooks["env-example"]["entry"]
    refused = re.compile(hooks["no-env-files"]["files"])
    allowed = re.compile(hooks["no-env-files"]["exclude"])
    for path in (".env", ".env.local", "sub/.env.prod", env_file, f"{env_file}.local",
                 f"{env_file}.test"):
        assert refused.search(path) and not allowed.search(path), path
    for path in (".env.example", "sub/.env.example"):
        assert allowed.search(path), path
    for path in (".envrc", "docs/env.md", "src/x/.environment.py"):
        assert not refused.search(path), path

    readme = (dst / "README.md").read_text()
    for heading in ("## Daily use", "### direnv", "### VS Code", "### pre-commit"):
        assert heading in readme
    assert "ALLOW_RESERVED" in readme and "settings check" in readme

    # Every new file is committed: none is ignored.
    git(dst, "init", "-q")
    for name in FEATURE_FILES:
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=dst, check=False)
        assert ignored.returncode == 1, f"{name} is ignored"


def test_everything_off_renders_nothing_extra(template_dir, tmp_path):
    dst = render(template_dir, tmp_path / "off", **ALL_OFF)
    for name in (*FEATURE_FILES, ".vscode"):
        assert not (dst / name).exists(), name
    assert "## Daily use" not in (dst / "README.md").read_text()


# --------------------------------------------------------------------------- direnv


def direnv(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Real direnv with a private HOME and XDG folders (its allow list lives there)."""
    env = clean_env(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                    XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
                    **extra)
    env.pop("LOG_LEVEL", None)
    return subprocess.run([DIRENV, *args], cwd=home, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.mark.slow
@needs_direnv
@pytest.mark.parametrize("layout", [{}, CUSTOM_LAYOUT], ids=["default-layout", "custom-layout"])
def test_direnv_activates_the_venv_and_loads_the_env_file(template_dir, tmp_path, layout):
    venv_dir = layout.get("venv_dir", ".venv")
    env_file = layout.get("env_file", ".env")
    project = render(template_dir, tmp_path / "proj", use_direnv=True, **layout)
    home = tmp_path / "home"
    home.mkdir()
    env_path = project / env_file
    env_path.parent.mkdir(parents=True, exist_ok=True)
    # A value that shell code would mangle ($HOME, quotes, #): direnv's parser keeps it.
    # Names that change Python or the process are not exported from the file (any case).
    env_path.write_text("LOG_LEVEL=DEBUG\nGREETING='hello $HOME \"x\" # not a comment'\n"
                        "PYTHONPATH=/planted\nLD_PRELOAD=/planted.so\nhttp_proxy=http://x\n")
    probe = ("import os, sys; print(sys.prefix); print(os.environ.get('VIRTUAL_ENV')); "
             "print(os.environ.get('LOG_LEVEL')); print(os.environ.get('GREETING')); "
             "print(os.environ.get('PYTHONPATH')); print(os.environ.get('LD_PRELOAD')); "
             "print(os.environ.get('http_proxy'))")

    # Not allowed yet: direnv refuses to load it.
    blocked = direnv(home, "exec", str(project), "python", "-c", probe)
    assert ".envrc is blocked" in blocked.stderr

    allow = direnv(home, "allow", str(project))
    assert allow.returncode == 0, allow.stderr

    # No venv yet: the variables still load and the message says what to run.
    missing = direnv(home, "exec", str(project), "sh", "-c", "echo $LOG_LEVEL")
    assert missing.stdout.strip() == "DEBUG"
    assert f"no virtual environment in {venv_dir}/" in missing.stderr
    assert "python3 scripts/bootstrap.py" in missing.stderr

    # A bare venv is enough: this is about direnv, not installs.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / venv_dir)],
                   check=True)
    result = direnv(home, "exec", str(project), "python", "-c", probe)
    assert result.returncode == 0, result.stderr
    prefix, virtual_env, log_level, greeting, *reserved = result.stdout.splitlines()
    assert reserved == ["None", "None", "None"]
    assert (f"the env files ({env_file}) set LD_PRELOAD PYTHONPATH http_proxy: not exported"
            in result.stderr)
    venv = (project / venv_dir).resolve()
    assert Path(prefix).resolve() == venv  # `python` is the venv's: first on PATH
    assert Path(virtual_env).resolve() == venv
    assert log_level == "DEBUG"
    assert greeting == 'hello $HOME "x" # not a comment'
    assert "no virtual environment" not in result.stderr

    # The env layers, in the loader's order: a later one wins; the mode's files only when
    # TOOLS_DEMO_ENV names the mode (any other file is never read).
    (project / f"{env_file}.local").write_text("LOG_LEVEL=LOCAL\n")
    (project / f"{env_file}.test").write_text("LOG_LEVEL=TEST\nMODE_ONLY=test\n")
    (project / f"{env_file}.test.local").write_text("MODE_ONLY=test-local\n")
    (project / f"{env_file}.prod").write_text("MODE_ONLY=prod\nPYTHONPATH=/planted\n")
    probe = "import os; print(os.environ.get('LOG_LEVEL'), os.environ.get('MODE_ONLY'))"
    plain = direnv(home, "exec", str(project), "python", "-c", probe)
    assert plain.stdout.split() == ["LOCAL", "None"], plain.stderr
    moded = direnv(home, "exec", str(project), "python", "-c", probe, TOOLS_DEMO_ENV="test")
    assert moded.stdout.split() == ["LOCAL", "test-local"], moded.stderr
    for bad in ("local", "../prod", "Example"):
        refused = direnv(home, "exec", str(project), "python", "-c", probe, TOOLS_DEMO_ENV=bad)
        assert refused.stdout.split() == ["LOCAL", "None"], (bad, refused.stderr)


# --------------------------------------------------------------------------- pre-commit


def commit(project: Path, pre_commit_home: Path, message: str) -> subprocess.CompletedProcess:
    """A real `git commit`; ``.output`` is what the hooks printed (git sends it to stderr)."""
    env = clean_env(PRE_COMMIT_HOME=str(pre_commit_home))
    result = subprocess.run(["git", "commit", "-q", "-m", message], cwd=project, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    result.output = result.stdout + result.stderr
    return result


def install_hooks(project: Path, pre_commit_home: Path) -> None:
    assert PRE_COMMIT, "pre-commit is not installed in the test environment"
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")
    subprocess.run([PRE_COMMIT, "install"], cwd=project, check=True, capture_output=True,
                   env=clean_env(PRE_COMMIT_HOME=str(pre_commit_home)))


@pytest.mark.slow
def test_pre_commit_guards_refuse_env_files_and_conflict_markers(template_dir, tmp_path):
    # No venv here: the guards run inside pre-commit itself and need none.
    project = render(template_dir, tmp_path / "guards", **CUSTOM_LAYOUT)
    home = tmp_path / "pre-commit-home"
    install_hooks(project, home)
    git(project, "add", "-A")
    # The .env.example check needs the venv, which is missing here: it says so.
    first = commit(project, home, "first")
    assert first.returncode != 0
    assert "no virtual environment in envs/dev/: run python3 scripts/bootstrap.py" in first.output
    skip = clean_env(PRE_COMMIT_HOME=str(home), SKIP="env-example")
    subprocess.run(["git", "commit", "-q", "-m", "first"], cwd=project, env=skip, check=True,
                   capture_output=True)

    # A .local env file never; another one only where .gitignore un-ignores it.
    with (project / ".gitignore").open("a") as handle:
        handle.write("!.env.test\n!.env.test.local\n")
    git(project, "add", ".gitignore")
    for name in (".env", ".env.local", ".env.test.local", "config/app.env",
                 "config/app.env.local", "config/app.env.ci", "sub/.env.prod"):
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SECRET_KEY=hunter2\n")
        git(project, "add", "-f", name)
        result = commit(project, home, f"add {name}")
        assert result.returncode != 0, name
        assert (f"{name}: env files hold secrets and are never committed: unstage it with "
                f"git rm --cached {name}") in result.output
        git(project, "rm", "-q", "--cached", name)
        path.unlink()
    (project / ".env.test").write_text("LOG_LEVEL=DEBUG\n")
    git(project, "add", ".env.test")
    result = commit(project, home, "a shared env file for the test mode")
    assert result.returncode == 0, result.output

    conflicted = {
        "src/notes.py": "x = 1\n<<<<<<< before updating\ny = 2\n=======\ny = 3\n"
                        ">>>>>>> after updating\n",
        "data.txt": "kept\n=======\n",            # a lone separator, the rest resolved
        "windows.cfg": "a\r\n>>>>>>> theirs\r\n",
    }
    for name, text in conflicted.items():
        (project / name).write_bytes(text.encode())
        git(project, "add", name)
        result = commit(project, home, f"add {name}")
        assert result.returncode != 0, name
        assert f"{name}:" in result.output
        git(project, "rm", "-q", "--cached", name)
        (project / name).unlink()

    # A heading underline in Markdown is not a conflict; a clean commit passes.
    (project / "NOTES.md").write_text("Changes\n=======\n\nNone yet.\n")
    git(project, "add", "NOTES.md")
    result = commit(project, home, "notes")
    assert result.returncode == 0, result.output


# --------------------------------------------------------------------------- real projects


@pytest.fixture(scope="module")
def all_on(template_dir, tmp_path_factory):
    project = render(template_dir, tmp_path_factory.mktemp("all-on") / "proj",
                     **ALL_ON, **CUSTOM_LAYOUT)
    bootstrap(project)
    return project


@pytest.mark.venv
def test_all_on_project_passes_its_own_tests(all_on):
    result = subprocess.run([str(venv_python(all_on, "envs/dev")), "-m", "pytest", "-q"],
                            cwd=all_on, env=clean_env(), capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.venv
@pytest.mark.skipif(shutil.which("mypy", path=str(Path(sys.executable).parent)) is None,
                    reason=conftest.unavailable("mypy"))
def test_type_checkers_see_the_installed_packages_settings_types(all_on, tmp_path):
    """py.typed: code outside src/ (tests, another package) imports the installed
    package, whose annotations a type checker uses only with the PEP 561 marker."""
    assert (all_on / "src/tools_demo/py.typed").is_file()
    user = tmp_path / "user_code.py"
    user.write_text("from tools_demo.settings import load_settings\n\n"
                    "name: int = load_settings().log_level  # wrong: a str\n")
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [mypy, "--strict", "--no-incremental", "--python-executable",
         str(venv_python(all_on, "envs/dev")), str(user)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "user_code.py:3:" in errors[0], result.stdout
    assert '"str", variable has type "int"' in errors[0], result.stdout


@pytest.mark.venv
def test_all_off_project_passes_its_own_tests(template_dir, tmp_path):
    project = render(template_dir, tmp_path / "proj", **ALL_OFF)
    bootstrap(project)
    result = subprocess.run([str(venv_python(project)), "-m", "pytest", "-q"], cwd=project,
                            env=clean_env(), capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.venv
def test_pre_commit_checks_env_example_with_the_venv(all_on, tmp_path):
    home = tmp_path / "pre-commit-home"
    install_hooks(all_on, home)
    git(all_on, "add", "-A")
    # The bootstrapped env file is ignored, so the first commit is clean and passes,
    # .env.example check included (it runs with envs/dev's Python).
    result = commit(all_on, home, "first")
    assert result.returncode == 0, result.output
    assert "config/app.env" not in git(all_on, "ls-files")

    example = all_on / ".env.example"
    original = example.read_text()
    try:
        example.write_text(original.replace("SECRET_KEY=", "SECRET_KEY=real-looking-value"))
        git(all_on, "add", ".env.example")
        result = commit(all_on, home, "leak")
        assert result.returncode != 0
        assert "SECRET_KEY is a secret but has a value" in result.output
        assert "real-looking-value" not in result.output
    finally:
        example.write_text(original)
        git(all_on, "add", ".env.example")


# --------------------------------------------------------------------------- update


def strip_feature(template: Path) -> None:
    """Make ``template`` the version before these questions existed (its README block,
    made by the layer module, reads their defaults)."""
    for name in ("{% if use_direnv %}.envrc{% endif %}.jinja",
                 "{% if use_pre_commit %}.pre-commit-config.yaml{% endif %}.jinja"):
        (template / "template" / name).unlink()
    shutil.rmtree(template / "template" / "{% if use_vscode %}.vscode{% endif %}")
    copier_yml = template / "copier.yml"
    text = copier_yml.read_text()
    # Only this feature's block: other blocks of copier.yml may follow it.
    start = text.index("\n# --- Everyday integration")
    end = text.find("\n# --- ", start + 1)
    copier_yml.write_text(text[:start] + (text[end:] if end != -1 else "\n"))


@pytest.mark.slow
def test_update_from_a_version_without_the_questions(tmp_path):
    template = snapshot_template(tmp_path / "template")
    full = git(template, "rev-parse", "HEAD").strip()
    strip_feature(template)
    git(template, "commit", "-q", "-am", "before the integration questions")
    git(template, "tag", "v0.1.0")
    git(template, "checkout", "-q", full, "--", ".")
    git(template, "commit", "-q", "-m", "direnv, VS Code, pre-commit")
    git(template, "tag", "v0.2.0")

    project = tmp_path / "project"
    copier.run_copy(str(template), str(project), data={"project_name": "Old One"},
                    defaults=True, unsafe=True, vcs_ref="v0.1.0", quiet=True,
                    settings=copier.Settings())
    assert not any((project / name).exists() for name in FEATURE_FILES)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "from v0.1.0")

    copier.run_update(str(project), defaults=True, overwrite=True, unsafe=True,
                      vcs_ref="v0.2.0", quiet=True, settings=copier.Settings())
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
    assert {q: answers[q] for q in QUESTIONS} == {
        "use_direnv": False, "use_vscode": True, "use_pre_commit": True}
    assert (project / ".vscode/settings.json").is_file()
    assert (project / ".pre-commit-config.yaml").is_file()
    assert not (project / ".envrc").exists()
    readme = (project / "README.md").read_text()
    assert "## Daily use" in readme
    assert not re.search(r"^(<<<<<<<|>>>>>>>) ", readme, re.MULTILINE)
    # The new shared files come from the migration, never tracked before: with their blocks.
    assert "# >>> copier-venv-dotenv" in (project / ".pre-commit-config.yaml").read_text()
