"""`copier copy` of the template: defaults, trust, and every rule.

Every rule is checked in-process, through copier's API on a plain folder of the template
(fast); the copier command line runs once per behaviour users see only there (slow): the
defaults without a prompt, the trust gate, one refused answer per question, a secret kept
out of the output, --data-file, the interactive prompt.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import copier
import pytest
import yaml
from conftest import copier_cli, git, refusal, render
from dotenv import dotenv_values

DEFAULT_NAMES = ["LOG_LEVEL", "DEBUG", "DATABASE_URL", "SECRET_KEY"]


def copy_ok(template: Path, dst: Path, *data: str) -> subprocess.CompletedProcess[str]:
    args = [arg for item in data for arg in ("-d", item)]
    result = copier_cli("copy", "--trust", "--defaults", *args, str(template), str(dst))
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_defaults_make_a_project_without_prompting(template_repo, tmp_path):
    dst = tmp_path / "ada's $HOME" / "Weather Station"
    result = copy_ok(template_repo, dst)
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "Weather Station"
    assert answers["package_name"] == "weather_station"
    assert answers["python_version"] == "3.11"
    assert answers["_src_path"] == str(template_repo)
    pyproject = tomllib.loads((dst / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "weather-station"
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert any(dep.startswith("python-dotenv") for dep in pyproject["project"]["dependencies"])
    assert pyproject["tool"]["copier-venv-dotenv"] == {
        "venv-dir": ".venv", "env-file": ".env", "settings": "weather_station.settings"}
    assert (dst / "src/weather_station/__init__.py").is_file()
    assert list(dotenv_values(dst / ".env.example")) == DEFAULT_NAMES
    # The next step is printed, its cd pasteable whatever the folder's name holds, and
    # no file is left that only copier needs.
    assert "scripts/bootstrap.py" in result.stderr + result.stdout
    (cd_line,) = [line for line in result.stderr.splitlines() if line.strip().startswith("cd ")]
    assert shlex.split(cd_line) == ["cd", str(dst)]
    assert not list(dst.rglob("*.jinja"))
    assert not list(dst.rglob("__pycache__"))
    assert "    python3 scripts/bootstrap.py\n" in result.stderr


@pytest.mark.slow
def test_the_next_step_asks_for_the_python_the_project_needs(template_repo, tmp_path):
    """python3 may be older than the answer: the printed command names the version. A
    copy into "." names the folder itself."""
    folder = tmp_path / "newer"
    folder.mkdir()
    result = copier_cli("copy", "--trust", "--defaults", "-d", "python_version=3.13",
                        str(template_repo), ".", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "    python3 scripts/bootstrap.py --python 3.13\n" in result.stderr
    assert f"Project newer is ready in {folder}.\n" in result.stderr
    # Not in a git repository: copier update will need one.
    assert ("    git init -q                    # copier update needs a git repository\n"
            "    git add -A\n"
            '    git commit -qm "Start from copier-venv-dotenv"\n') in result.stderr
    (cd_line,) = [line for line in result.stderr.splitlines() if line.strip().startswith("cd ")]
    assert shlex.split(cd_line) == ["cd", str(folder)]


@pytest.mark.slow
def test_a_copy_into_a_folder_of_a_git_repository_says_where_workflows_run(template_repo,
                                                                         tmp_path):
    """GitHub and pre-commit read their files at the repository's root only."""
    subprocess.run(["git", "init", "-q", str(tmp_path / "mono")], check=True)
    folder = tmp_path / "mono" / "services" / "api"
    result = copier_cli("copy", "--trust", "--defaults", "-d", "use_pre_commit=true",
                        str(template_repo), str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert (f"Note: this project is a folder of the git repository at {tmp_path / 'mono'}. "
            f"GitHub runs only the workflows of {tmp_path / 'mono'}/.github/workflows") in said
    assert f"pre-commit reads only {tmp_path / 'mono'}/.pre-commit-config.yaml" in said
    assert "git init -q" not in result.stderr  # a repository is there already
    assert '    git commit -qm "Add copier-venv-dotenv"\n' in result.stderr
    # Only what was made is named.
    hooks_only = copier_cli("copy", "--trust", "--defaults", "-d", "use_pre_commit=true",
                            "-d", "ci_workflow=false", str(template_repo),
                            str(tmp_path / "mono" / "hooks"), cwd=tmp_path)
    said = " ".join(hooks_only.stderr.split())
    assert "pre-commit reads only" in said and "GitHub" not in said
    at_root = copier_cli("copy", "--trust", "--defaults", "-d", "use_pre_commit=true",
                         str(template_repo), str(tmp_path / "mono"), cwd=tmp_path)
    assert at_root.returncode == 0, at_root.stderr
    assert "Note: this project is a folder" not in at_root.stderr


def test_copy_into_the_current_folder(template_dir, tmp_path, monkeypatch):
    dst = tmp_path / "inventory-service"
    dst.mkdir()
    monkeypatch.chdir(dst)
    render(template_dir, Path("."))
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "inventory-service"
    assert answers["package_name"] == "inventory_service"


def test_folder_names_that_make_no_valid_name_fall_back(template_dir, tmp_path):
    dst = render(template_dir, tmp_path / "json")
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "json_app"


@pytest.mark.slow
def test_without_trust_copier_refuses_the_extension(template_repo, tmp_path):
    dst = tmp_path / "untrusted"
    result = copier_cli("copy", "--defaults", str(template_repo), str(dst))
    assert result.returncode == 4
    assert "Template uses potentially unsafe feature" in result.stderr
    assert "jinja_extensions" in result.stderr
    assert "--trust" in result.stderr
    assert not dst.exists()


def test_trusted_prefix_in_settings_lets_the_copy_run(template_dir, tmp_path, monkeypatch):
    # The command line without --trust: tests/test_organisation.py.
    settings = tmp_path / "settings.yml"
    settings.write_text(yaml.safe_dump({"trust": [str(template_dir.parent) + "/"]}))
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings))
    dst = tmp_path / "trusted"
    copier.run_copy(str(template_dir), dst, defaults=True, quiet=True)  # not unsafe=True
    assert (dst / ".env.example").is_file()


BAD_ANSWERS = [
    ("project_name", "!!!", "no valid distribution name"),
    ("project_name", 'say "hi"', "would break the generated pyproject.toml"),
    ("package_name", "My-App", "lower-case ASCII letters"),
    ("package_name", "json", "standard-library module"),
    ("package_name", "dotenv", "module the project installs"),
    ("package_name", "py", "module the project installs"),
    ("package_name", "class", "Python keyword"),
    ("package_name", "tests", "folder of the generated project"),
    ("python_version", "3.10", "one of 3.11"),
    ("python_version", "2.7", "give the minimum Python as 3.N"),
    ("venv_dir", ".env", "env file name"),
    ("venv_dir", "my venv", "whitespace"),
    ("venv_dir", "../venv", "leaves the project"),
    ("venv_dir", "/opt/venv", "absolute"),
    ("venv_dir", "src", "project uses"),
    ("venv_dir", "-rf", "may not start with '-'"),
    ("env_file", "config/-e", "may not start with '-'"),
    ("env_file", ".venv", "venv folder"),
    ("env_file", ".env.example", "committed example"),
    ("env_file", "../.env", "leaves the project"),
    ("env_vars", "log_level=INFO", "use 'LOG_LEVEL'"),
    ("env_vars", "A=1, a=2", "declared twice"),
    ("env_vars", "PYTHONPATH=src", "configures the Python interpreter"),
    ("env_vars", "PORT:integer=80", "unknown type 'integer'"),
    ("env_vars", "PORT:int=eighty", "'eighty' is not a valid int"),
    ("env_vars", "STR=text", "would hide the type str"),
    ("env_vars", "IMPORT=1", "Python keyword"),
    ("env_vars", "1ST=x", "must not start with a digit"),
]


# Through the command line: the first bad answer of each question.
CLI_BAD_ANSWERS = [case for number, case in enumerate(BAD_ANSWERS)
                   if case[0] not in {earlier[0] for earlier in BAD_ANSWERS[:number]}]


def destination_with_a_file(tmp_path: Path) -> Path:
    dst = tmp_path / "project"
    dst.mkdir()
    (dst / "notes.txt").write_text("user's own file\n")
    return dst


def assert_refused(output: str, dst: Path, question: str, value: str, rule: str) -> None:
    assert f"Validation error for question '{question}'" in output
    shown = value.split("=")[0].split(":")[0] if question == "env_vars" else value
    assert shown in output
    assert rule in output
    # Nothing was written, and the user's file is untouched.
    assert sorted(p.name for p in dst.iterdir()) == ["notes.txt"]
    assert (dst / "notes.txt").read_text() == "user's own file\n"


@pytest.mark.parametrize(("question", "value", "rule"), BAD_ANSWERS)
def test_bad_answers_fail_naming_value_and_rule(template_dir, tmp_path, question, value, rule):
    dst = destination_with_a_file(tmp_path)
    assert_refused(refusal(template_dir, dst, **{question: value}), dst, question, value, rule)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "value", "rule"), CLI_BAD_ANSWERS)
def test_bad_answers_fail_on_the_command_line(template_repo, tmp_path, question, value, rule):
    dst = destination_with_a_file(tmp_path)
    result = copier_cli(
        "copy", "--trust", "--defaults", "-d", f"{question}={value}", str(template_repo), str(dst)
    )
    assert result.returncode != 0
    assert_refused(result.stdout + result.stderr, dst, question, value, rule)


@pytest.mark.slow
def test_secret_defaults_are_refused_without_showing_them(template_repo, tmp_path):
    dst = tmp_path / "project"
    result = copier_cli(
        "copy", "--trust", "--defaults", "-d", "env_vars=API_TOKEN:secret=hunter2-value",
        str(template_repo), str(dst),
    )
    assert result.returncode != 0
    assert "a secret cannot have a default" in result.stderr
    assert "hunter2-value" not in result.stdout + result.stderr
    assert not (dst / ".copier-answers.yml").exists()


GOOD_ANSWERS = [
    {"project_name": "Billing API", "package_name": "billing", "python_version": "3.12"},
    {"venv_dir": "venv", "env_file": "config/app.env"},
    {"venv_dir": ".venvs/dev", "env_file": ".env.dev"},
    {"python_version": "3.14"},
    {"env_vars": "PORT:int=8000, HOSTS:list=\"a.example,b.example\", TOKEN:secret"},
    {"env_vars": ""},
]


@pytest.mark.parametrize("data", GOOD_ANSWERS, ids=lambda d: ",".join(d))
def test_good_answers_render(template_dir, tmp_path, data):
    dst = render(template_dir, tmp_path / "project", **data)
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    for key, value in data.items():
        assert answers[key] == value
    pyproject = tomllib.loads((dst / "pyproject.toml").read_text())
    tool = pyproject["tool"]["copier-venv-dotenv"]
    assert tool == {"venv-dir": answers["venv_dir"], "env-file": answers["env_file"],
                    "settings": f"{answers['package_name']}.settings"}
    assert (dst / "src" / answers["package_name"] / "__init__.py").is_file()


@pytest.mark.slow
def test_yaml_list_form_from_a_data_file(template_repo, tmp_path):
    data_file = tmp_path / "answers.yml"
    data_file.write_text(
        "env_vars:\n"
        "  - PORT:int=8000\n"
        "  - name: API_URL\n"
        "    type: url\n"
        "    default: https://api.example.org/v1\n"
        "    description: |-\n"
        "      Base URL of the API.\n"
        "      Include the version.\n"
        "  - name: GREETING\n"
        "    default: 'hello: world #1'\n"
        "  - name: API_TOKEN\n"
        "    type: secret\n"
    )
    dst = tmp_path / "project"
    result = copier_cli(
        "copy", "--trust", "--defaults", "--data-file", str(data_file),
        str(template_repo), str(dst),
    )
    assert result.returncode == 0, result.stderr
    example = (dst / ".env.example").read_text()
    assert "# Base URL of the API.\n# Include the version.\n# type: url;" in example
    assert dotenv_values(dst / ".env.example") == {
        "PORT": "8000",
        "API_URL": "https://api.example.org/v1",
        "GREETING": "hello: world #1",
        "API_TOKEN": "",
    }
    assert "# type: secret; required\nAPI_TOKEN=\n" in example


def test_answers_file_and_example_hold_no_secret(template_dir, tmp_path):
    dst = render(template_dir, tmp_path / "project",
                 env_vars="SECRET_KEY:secret, API_TOKEN:secret=, USER_NAME=admin")
    values = dotenv_values(dst / ".env.example")
    assert values["SECRET_KEY"] == "" and values["API_TOKEN"] == ""
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["env_vars"] == "SECRET_KEY:secret, API_TOKEN:secret=, USER_NAME=admin"


def test_gitignore_keeps_venv_and_env_files_out_but_example_in(template_dir, tmp_path):
    dst = render(template_dir, tmp_path / "project", env_file="config/app.env")
    git(dst, "init", "-q")
    for name in [".venv/bin/python", ".env", ".env.local", ".env.production",
                 "config/app.env", "src/x/__pycache__/m.pyc", "dist/x.whl"]:
        path = dst / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    git(dst, "add", "-A")
    staged = git(dst, "diff", "--cached", "--name-only").split()
    assert ".env.example" in staged
    assert ".gitignore" in staged
    leaked = [name for name in staged if ".venv" in name or "app.env" in name
              or name.startswith(".env") and name != ".env.example"
              or "__pycache__" in name or name.startswith("dist/")]
    assert leaked == []


# The questions after package_name, answered up front: the conversation below need not
# wait at each of their prompts.
LATER_ANSWERS = [arg for answer in ("python_version=3.11", "venv_dir=.venv", "env_file=.env",
                                    "env_vars=LOG_LEVEL=INFO", "use_direnv=false",
                                    "use_vscode=true", "use_pre_commit=true",
                                    "ci_workflow=true", "update_workflow=false")
                 for arg in ("-d", answer)]


@pytest.mark.slow
def test_interactive_invalid_answer_is_asked_again(template_repo, tmp_path):
    """Drive the real prompt through a pseudo-terminal."""
    pty = pytest.importorskip("pty")
    dst = tmp_path / "interactive"
    pid, fd = pty.fork()
    if pid == 0:  # child: the real copier CLI, talking to a wide pseudo-terminal
        import fcntl
        import struct
        import termios

        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 400, 0, 0))
        os.execv(sys.executable, [sys.executable, "-m", "copier", "copy", "--trust",
                                  *LATER_ANSWERS, str(template_repo), str(dst)])
    # Only the questions under test are scripted; any later one without an answer above
    # keeps its default.
    transcript, status = _converse(pid, fd, [
        ("Human-readable project name", "\r"),  # keep the default
        ("Import name of the Python package", "\x15json\r"),  # ctrl-U, then a bad name
        ("standard-library module", "\x15json_tools\r"),
    ])
    assert status == 0, transcript[-2000:]
    assert "package name 'json' is a standard-library module" in transcript
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "json_tools"


def _converse(pid: int, fd: int, script: list[tuple[str, str]],
              timeout: float = 120.0) -> tuple[str, int]:
    """Wait for each expected text and type its reply, then press Enter at every
    further prompt until copier exits. Returns the transcript and the exit code."""
    import re
    import select
    import signal
    import time

    ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
    seen, deadline = "", time.monotonic() + timeout

    def read(wait: float) -> bool:
        nonlocal seen
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 65536).decode(errors="replace")
        except OSError:  # the child closed the terminal
            return False
        if "\x1b[6n" in chunk:  # prompt_toolkit asks where the cursor is: answer it
            os.write(fd, b"\x1b[1;1R")
        seen += chunk
        return bool(chunk)

    for expected, reply in script:
        while expected not in ansi.sub("", seen):
            if time.monotonic() > deadline or not read(0.5):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError(f"no {expected!r} on the terminal:\n{seen[-2000:]}")
        seen = ansi.sub("", seen)
        time.sleep(0.2)
        os.write(fd, reply.encode())
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return ansi.sub("", seen), os.waitstatus_to_exitcode(status)
        before = len(seen)
        read(0.3)
        if len(seen) != before:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.6:  # a prompt is waiting: keep its default
            os.write(fd, b"\r")
            quiet_since = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"copier did not finish:\n{ansi.sub('', seen)[-2000:]}")
