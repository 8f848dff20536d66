"""The settings loader of rendered projects, run for real in each project's own venv.

Each project is rendered once per module with copier's API and installed into a real
venv (uv when available, else venv + pip); its own test suite runs there, then the
acceptance scenarios run as subprocesses of that venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import copier
import pytest
from conftest import REPO_ROOT, find_python
from copier_helpers import (
    commit_all,
    copy_project,
    git,
    replace_tree,
    snapshot_template,
    update_project,
)
from dotenv import dotenv_values

pytestmark = pytest.mark.venv

UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
SECRET = "Very-s3cret-VALUE-42"
MAIN_VARS = (
    "DATABASE_URL:url, SECRET_KEY:secret, DEBUG:bool=false, PORT:int=8000, "
    "HOSTS:list=localhost, TIMEOUT_S:float=2.5"
)
# Other shapes the generated tests must cope with.
OTHER_VARS = {
    "default-answer": None,
    "optional-only": "LOG_LEVEL=INFO, DATA_DIR:path=, RETRIES:int=, TAGS:list=, TOKEN:secret=",
    "yaml-list": [
        {"name": "API_URL", "type": "url", "default": "https://api.example.org/v1",
         "description": "Where the API lives.\nSecond line."},
        {"name": "WORKERS", "type": "int", "default": "4"},
        {"name": "RATIO", "type": "float"},
        {"name": "NAME", "default": "has spaces, commas # and hash"},
        {"name": "CACHE_DIR", "type": "path", "default": "~/.cache/loader-demo"},
    ],
}


def venv_python(project: Path) -> Path:
    return project / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def render_and_install(template: Path, dst: Path, env_vars) -> Path:
    data = {"project_name": "Loader Demo"}
    if env_vars is not None:
        data["env_vars"] = env_vars
    copier.run_copy(str(template), str(dst), data=data, defaults=True, unsafe=True,
                    vcs_ref="HEAD", quiet=True, settings=copier.Settings())
    return install(dst)


def install(dst: Path, python: str = sys.executable, *, editable: bool = True) -> Path:
    """The project installed (editable, or built as a wheel as nox and tox do), with its
    dependency group dev, into its own .venv."""
    venv = dst / ".venv"
    project = ["-e", str(dst)] if editable else [str(dst)]
    # The project with its dependency group dev (PEP 735), where pytest is declared.
    if UV:
        subprocess.run([UV, "venv", "-q", "--python", python, str(venv)], check=True)
        subprocess.run([UV, "pip", "install", "-q", "--python", str(venv_python(dst)),
                        *project, "--group", f"{dst}/pyproject.toml:dev"], check=True)
    else:
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv_python(dst)), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "-U", "pip>=25.1"], check=True)  # --group
        subprocess.run([*pip, *project, "--group", f"{dst}/pyproject.toml:dev"], check=True)
    return dst


def child_env(**extra: str) -> dict[str, str]:
    """No variable of the developer's shell may reach the project under test."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "SYSTEMROOT")}
    return {**keep, **extra}


def run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv_python(project)), *args], cwd=project, env=child_env(**env),
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def project(template_repo, tmp_path_factory):
    return render_and_install(template_repo, tmp_path_factory.mktemp("loader") / "demo",
                              MAIN_VARS)


@pytest.fixture
def env_file(project):
    """The project's .env, removed after each test (with every other layer) so that
    tests stay independent."""
    path = project / ".env"
    yield path
    for layer in project.glob(".env*"):
        if layer.name != ".env.example":
            layer.unlink()


def write_env(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


GOOD_ENV = f"""\
DATABASE_URL=postgresql://app@db.example.org:5432/app
SECRET_KEY={SECRET}
DEBUG=yes
PORT=8080
HOSTS=a.example.org, b.example.org
TIMEOUT_S=0.5
"""

SHOW = (
    "from loader_demo.settings import load_settings\n"
    "s = load_settings()\n"
    "print(repr((s.database_url, s.debug, s.port, s.hosts, s.timeout_s)))\n"
    "print(repr(s))\n"
    "print(s.secret_key.get_secret_value() == {secret!r})\n"
)


def test_generated_test_suite_passes(project):
    result = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "warning" not in result.stdout


def test_generated_test_suite_passes_with_a_real_env_file(project, env_file):
    # The project's tests never read .env: a broken one must not fail them.
    write_env(env_file, "this line is broken\nPORT=1\nPORT=2\n")
    result = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", sorted(OTHER_VARS))
def test_generated_test_suite_passes_for_other_declarations(request, template_repo, tmp_path,
                                                            case):
    if OTHER_VARS[case] is None:
        # The default answer: conftest's shared project, bootstrapped by its own script
        # (read only: no pytest cache, and the commands below write nothing).
        other, package = request.getfixturevalue("bootstrapped_project").path, "demo_app"
    else:
        other = render_and_install(template_repo, tmp_path / case, OTHER_VARS[case])
        package = "loader_demo"
    result = run(other, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error")
    assert result.returncode == 0, result.stdout + result.stderr
    assert run(other, "-m", f"{package}.settings", "check", "--example-only").returncode == 0


def test_generated_test_suite_passes_against_the_installed_wheel(template_repo, tmp_path):
    """nox and tox test the built package, installed without its project: it reads no
    env file, and the generated tests that need the project's files say so."""
    dst = tmp_path / "wheel"
    copier.run_copy(str(template_repo), str(dst), data={"project_name": "Loader Demo"},
                    defaults=True, unsafe=True, vcs_ref="HEAD", quiet=True,
                    settings=copier.Settings())
    install(dst, editable=False)
    where = run(dst, "-c", "import loader_demo; print(loader_demo.__file__)").stdout
    assert "site-packages" in where, where
    result = run(dst, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", "-rs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installed without its project" in result.stdout


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_generated_test_suite_passes_on_newer_pythons(template_repo, tmp_path, version):
    """The engine's typing (dataclass_transform, annotations) on each supported Python."""
    python = find_python(version)
    if python is None:
        pytest.skip(f"Python {version} is not installed")
    dst = tmp_path / "newer"
    copier.run_copy(str(template_repo), str(dst), data={"project_name": "Loader Demo",
                    "python_version": "3.11", "env_vars": MAIN_VARS + ", DATA:path=, TOKEN:secret="},
                    defaults=True, unsafe=True, vcs_ref="HEAD", quiet=True,
                    settings=copier.Settings())
    install(dst, python)
    result = run(dst, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error")
    assert result.returncode == 0, result.stdout + result.stderr


def test_typed_values_load_from_env_file(project, env_file):
    write_env(env_file, GOOD_ENV)
    result = run(project, "-c", SHOW.format(secret=SECRET))
    assert result.returncode == 0, result.stderr
    first, representation, secret_ok = result.stdout.splitlines()
    assert first == repr(("postgresql://app@db.example.org:5432/app", True, 8080,
                          ["a.example.org", "b.example.org"], 0.5))
    assert SECRET not in representation and "**********" in representation
    assert secret_ok == "True"


def test_environment_wins_over_env_file(project, env_file):
    write_env(env_file, GOOD_ENV)
    result = run(project, "-c", SHOW.format(secret=SECRET), PORT="9", DEBUG="")
    assert result.returncode == 0, result.stderr
    assert "True, 9," in result.stdout.splitlines()[0]  # DEBUG="" falls back to the file


def test_both_missing_required_variables_named_in_one_error(project, env_file):
    assert not env_file.exists()
    result = run(project, "-c", "from loader_demo.settings import load_settings\nload_settings()")
    assert result.returncode == 1
    assert "SettingsError: 2 problems in the settings" in result.stderr
    assert "DATABASE_URL is required" in result.stderr
    assert "SECRET_KEY is required" in result.stderr
    report = run(project, "-m", "loader_demo.settings")
    assert report.returncode == 1
    assert "DATABASE_URL" in report.stderr and "SECRET_KEY" in report.stderr


def test_broken_line_reported_with_file_and_line(project, env_file):
    write_env(env_file, GOOD_ENV + "\n# a comment\nNOT A BINDING\n")
    result = run(project, "-m", "loader_demo.settings")
    assert result.returncode == 1
    assert f"{env_file}:9: cannot parse this line" in result.stderr


def test_secret_never_in_report_or_errors(project, env_file):
    write_env(env_file, GOOD_ENV)
    report = run(project, "-m", "loader_demo.settings")
    assert report.returncode == 0, report.stderr
    assert SECRET not in report.stdout + report.stderr
    assert "SECRET_KEY" in report.stdout and "**********" in report.stdout
    assert f"{env_file}:2" in report.stdout  # the source of each value
    write_env(env_file, GOOD_ENV.replace("PORT=8080", "PORT=http") + "SECRET_KEY=again\n")
    failed = run(project, "-m", "loader_demo.settings")
    assert failed.returncode == 1
    assert SECRET not in failed.stdout + failed.stderr
    assert "SECRET_KEY is set twice" in failed.stderr


def test_check_fails_naming_a_key_missing_from_env(project, env_file):
    write_env(env_file, GOOD_ENV)
    ok = run(project, "-m", "loader_demo.settings", "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # HOSTS has a default: an env file may leave it out.
    write_env(env_file, GOOD_ENV.replace("HOSTS=a.example.org, b.example.org\n", ""))
    ok = run(project, "-m", "loader_demo.settings", "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # DATABASE_URL is required: some env file (or the environment) must set it.
    write_env(env_file, GOOD_ENV.replace("DATABASE_URL=postgresql://app@db.example.org:5432/app\n",
                                         ""))
    result = run(project, "-m", "loader_demo.settings", "check")
    assert result.returncode == 1
    assert "DATABASE_URL is in .env.example but missing from" in result.stderr


def test_check_example_only_needs_no_env_file(project, env_file):
    assert not env_file.exists()
    result = run(project, "-m", "loader_demo.settings", "check", "--example-only")
    assert result.returncode == 0, result.stderr


def test_a_wrong_declaration_run_as_the_command_line_is_a_message(project, env_file):
    """python -m <package>.settings with a wrong declaration: every wrong line, no
    traceback; imported by the application, the TypeError as usual."""
    settings = project / "src/loader_demo/settings.py"
    original = settings.read_text()
    marker = "# from the env_vars answer and keeps these.\n"
    settings.write_text(original.replace(
        marker, marker + '    retries: int = "3"\n    ratio: list[int] = []\n'))
    try:
        result = run(project, "-m", "loader_demo.settings", "check")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("error: Settings.retries: the default '3' is a str")
        assert "Settings.ratio: the type list[int] is not supported" in result.stderr
        imported = run(project, "-c", "import loader_demo.settings")
        assert "TypeError: Settings.retries" in imported.stderr
    finally:
        settings.write_text(original)
    # A script of the user's (or a notebook) declaring its own class: a TypeError it can
    # catch, not the command line's exit.
    script = (
        "from loader_demo._settings import BaseSettings\n"
        "try:\n"
        "    class Local(BaseSettings):\n"
        "        retries: int = '3'\n"
        "except TypeError as error:\n"
        "    print('caught', error)\n"
    )
    result = run(project, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("caught Local.retries: the default '3' is a str")


def test_no_env_file_means_no_dotenv_import(project, env_file):
    assert not env_file.exists()
    code = (
        "import sys\n"
        "from loader_demo.settings import load_settings\n"
        "s = load_settings()\n"
        "print(s.port, 'dotenv' in sys.modules)\n"
    )
    result = run(project, "-c", code, DATABASE_URL="sqlite:///x.db", SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["8000", "False"]


def test_project_root_is_a_path_to_the_project(project, env_file):
    code = ("from loader_demo import settings\n"
            "print(type(settings.PROJECT_ROOT).__name__, settings.PROJECT_ROOT)")
    result = run(project, "-c", code)
    assert result.returncode == 0, result.stderr
    kind, _, path = result.stdout.strip().partition(" ")
    assert kind in ("PosixPath", "WindowsPath")
    assert Path(path) == project.resolve()


def test_default_env_file_found_from_any_directory(project, env_file, tmp_path):
    write_env(env_file, GOOD_ENV)
    result = subprocess.run(
        [str(venv_python(project)), "-c", SHOW.format(secret=SECRET)],
        cwd=tmp_path, env=child_env(), capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "8080" in result.stdout


def test_repr_masks_the_password_of_a_url(project, env_file):
    write_env(env_file, GOOD_ENV.replace("app@db", "app:hunter2@db"))
    result = run(project, "-c", SHOW.format(secret=SECRET))
    assert result.returncode == 0, result.stderr
    values, settings_repr, _ = result.stdout.splitlines()
    # Even inside another repr (vars(), a tuple...) the password is masked...
    assert "hunter2" not in values
    # ...while the value itself is intact.
    code = "from loader_demo.settings import load_settings\nprint(load_settings().database_url)"
    assert "app:hunter2@" in run(project, "-c", code).stdout
    assert "hunter2" not in settings_repr
    assert "database_url='postgresql://app:**********@db.example.org:5432/app'" in settings_repr


def test_report_warns_about_reserved_names_in_env_file(project, env_file):
    write_env(env_file, GOOD_ENV + "PYTHONPATH=src\n")
    report = run(project, "-m", "loader_demo.settings")
    # A warning, not a failure: only declared variables are read; `check` fails on it.
    assert report.returncode == 0, report.stderr
    assert f"warning: PYTHONPATH at {env_file}:7 is reserved" in report.stderr
    assert "ALLOW_RESERVED" in report.stderr
    assert run(project, "-m", "loader_demo.settings", "check").returncode == 1


def test_check_accepts_a_key_the_environment_provides(project, env_file):
    write_env(env_file, GOOD_ENV.replace(f"SECRET_KEY={SECRET}\n", ""))
    result = run(project, "-m", "loader_demo.settings", "check", SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "info: SECRET_KEY is not in" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    write_env(env_file, GOOD_ENV.replace(f"SECRET_KEY={SECRET}", "SECRET_KEY="))
    result = run(project, "-m", "loader_demo.settings", "check", SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stdout + result.stderr


def test_old_venv_named_like_the_env_file(project, env_file):
    env_file.mkdir()
    try:
        (env_file / "pyvenv.cfg").write_text("home = /usr/bin\n")
        result = run(project, "-m", "loader_demo.settings")
    finally:
        shutil.rmtree(env_file)
    assert result.returncode == 1
    assert "looks like a virtual environment" in result.stderr
    assert "python3 scripts/bootstrap.py, which creates the venv in .venv" in result.stderr
    assert "there is no env file" not in result.stderr  # it is there, as a directory


def test_init_creates_the_env_file_once_and_never_shows_a_value(project, env_file, tmp_path):
    """The bootstrap script's interface: python -m <package>.settings init --json makes
    the private layer, .env.local, when no env file exists."""
    assert not env_file.exists()
    private = project / ".env.local"
    first = run(project, "-m", "loader_demo.settings", "init", "--json")
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert result["created"] == str(private) and result["layers"] == [str(private)]
    assert result["notes"][0] == ".env.local: random values for SECRET_KEY"
    assert result["notes"][1].startswith(".env.local: commented out DEBUG, PORT")
    assert result["notes"][2] == (".env.local: DATABASE_URL is required and empty there: "
                                  "give it a value (or set it in the environment)")
    assert private.stat().st_mode & 0o777 == 0o600
    assert not env_file.exists()
    secret = dotenv_values(private)["SECRET_KEY"]
    assert secret and secret not in first.stdout + first.stderr
    # The project's env files now load: the one required URL comes from the environment.
    assert run(project, "-m", "loader_demo.settings", DATABASE_URL="sqlite:///x").returncode == 0
    again = run(project, "-m", "loader_demo.settings", "init", "--json")
    assert json.loads(again.stdout)["created"] is None
    assert dotenv_values(private)["SECRET_KEY"] == secret
    # git ignores it: the generated .gitignore ignores every .local layer.
    repo = tmp_path / "ignores"
    repo.mkdir()
    shutil.copy(project / ".gitignore", repo / ".gitignore")
    git(repo, "init", "-q")
    for name in (".env.local", ".env.test.local", ".env"):
        assert git(repo, "check-ignore", "--no-index", name).strip() == name


def test_a_fifo_at_the_env_path_fails_fast(project, env_file):
    """Issue 12, point 6, in a real project: no command waits on a FIFO."""
    os.mkfifo(env_file)
    for args in ([], ["check"], ["init", "--json"]):
        result = run(project, "-m", "loader_demo.settings", *args, DATABASE_URL="sqlite:///x")
        assert result.returncode == 1, (args, result.stdout)
        assert "is not a regular file" in result.stderr


def test_a_variable_declared_twice_after_an_update_is_named(template_repo, tmp_path):
    """Issue 12, point 19: the answer now declares a variable the user added below the
    marker; the generated tests and check say which and where."""
    dst = copy_project(template_repo, tmp_path / "twice", project_name="Twice",
                       env_vars="LOG_LEVEL=INFO")
    settings = dst / "src/twice/settings.py"
    text = settings.read_text()
    marker = "# from the env_vars answer and keeps these.\n"
    settings.write_text(text.replace(marker, marker + "    port: int = 8000\n"))
    with (dst / ".env.example").open("a") as handle:
        handle.write("PORT=8000\n")
    commit_all(dst, "our own PORT")
    update_project(dst, data={"env_vars": "LOG_LEVEL=INFO, PORT:int=8000"})
    assert settings.read_text().count("port: int = 8000") == 2
    env = {**os.environ, "PYTHONPATH": str(dst / "src")}
    check = subprocess.run([sys.executable, "-m", "twice.settings", "check", "--example-only"],
                           cwd=dst, env=env, capture_output=True, text=True, check=False)
    assert check.returncode == 1
    assert "Settings declares port twice, at lines" in check.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_venv_dotenv.py",
         "-k", "declared_twice"], cwd=dst, env=env, capture_output=True, text=True, check=False)
    assert tests.returncode == 1 and "declares port twice" in tests.stdout
    assert git(dst, "status", "--porcelain")  # the update's changes are left to review


def test_names_a_new_answer_drops_from_the_imports_come_back_for_own_variables(
        template_repo, tmp_path, capfd):
    """The answer had a URL and a path, so settings.py imported Url and Path, which the
    user's own declarations below the marker use too; a new answer without them
    regenerates the import lines without them: the update adds them back and says so."""
    dst = copy_project(template_repo, tmp_path / "urls", project_name="Urls",
                       env_vars="LOG_LEVEL=INFO, API_URL:url=https://api.example.org/, "
                                "DATA_DIR:path=data")
    settings = dst / "src/urls/settings.py"
    marker = "# from the env_vars answer and keeps these.\n"
    settings.write_text(settings.read_text().replace(marker, marker + (
        '    homepage: Url = "https://example.org/"\n    cache_dir: Path = Path("cache")\n')))
    with (dst / ".env.example").open("a") as handle:
        handle.write("HOMEPAGE=https://example.org/\nCACHE_DIR=cache\n")
    commit_all(dst, "our own URL and path")
    capfd.readouterr()
    update_project(dst, data={"env_vars": "LOG_LEVEL=INFO"})
    said = capfd.readouterr()
    assert ("src/urls/settings.py: its declarations use Url, Path, which the template's "
            "import lines no longer name: added to them") in said.out + said.err
    text = settings.read_text()
    assert "from pathlib import Path\n" in text
    assert "from ._settings import PROJECT_ROOT, BaseSettings, Secret, SettingsError, Url, main\n" in text
    assert "api_url" not in text and "homepage: Url" in text
    env = {**os.environ, "PYTHONPATH": str(dst / "src")}
    report = subprocess.run([sys.executable, "-m", "urls.settings"], cwd=dst, env=env,
                            capture_output=True, text=True, check=False)
    assert report.returncode == 0, report.stderr
    assert "HOMEPAGE" in report.stdout and "CACHE_DIR" in report.stdout
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed next to this Python")
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run([ruff, *command, "--isolated", "--no-cache", str(settings)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def release_commit(version: str) -> str | None:
    """The commit of a release, found by its message (no tag needed)."""
    result = subprocess.run(["git", "log", "--format=%H", f"--grep=^Release {version}$"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    found = result.stdout.split()
    return found[0] if result.returncode == 0 and found else None


def test_a_0_1_0_project_keeps_working_after_an_update(template_repo, tmp_path):
    """Its Var(...) declarations and its ALLOW_RESERVED survive, and its tests pass."""
    commit = release_commit("0.1.0")
    if commit is None:
        pytest.skip("this clone has no 0.1.0 release commit (shallow clone?)")
    old = tmp_path / "template"
    old.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO_ROOT,
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    git(old, "init", "-q", "-b", "main")
    commit_all(old, "release 0.1.0", tag="v0.1.0")
    dst = copy_project(old, tmp_path / "loader-demo", vcs_ref="v0.1.0", project_name="Loader Demo")
    settings = dst / "src/loader_demo/settings.py"
    text = settings.read_text().replace("ALLOW_RESERVED: tuple[str, ...] = ()",
                                        'ALLOW_RESERVED: tuple[str, ...] = ("PYTHONPATH",)')
    marker = "# from the env_vars answer and keeps these.\n"
    settings.write_text(text.replace(marker, marker + "    retries: int = Var('int', default='3')\n"))
    with (dst / ".env.example").open("a") as handle:
        handle.write("\n# type: int; default: 3\nRETRIES=3\n")
    commit_all(dst, "our own edits")
    replace_tree(old, snapshot_template(tmp_path / "current"))
    commit_all(old, "this working tree")

    update_project(dst, vcs_ref="HEAD")

    text = settings.read_text()
    assert "<<<<<<<" not in text and "retries: int = Var('int', default='3')" in text
    assert not (dst / "src/loader_demo/_settings_engine.py").exists()
    install(dst)
    # The README's new settings reference lists the answer's variables; RETRIES, declared
    # by hand, is not in it: the tests say so, with the command that rewrites it.
    tests = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error")
    result = run(dst, *tests)
    assert result.returncode == 1
    assert "1 failed" in result.stdout and "docs --write README.md" in result.stdout
    assert run(dst, "-m", "loader_demo.settings", "docs", "--write", "README.md").returncode == 0
    assert "| `RETRIES` | int | `3` | no |  |" in (dst / "README.md").read_text()
    result = run(dst, *tests)
    assert result.returncode == 0, result.stdout + result.stderr
    # Its private file stays .env, the lowest layer: nothing new shadows it.
    (dst / ".env").write_text("SECRET_KEY=s\nDATABASE_URL=sqlite:///x\nPYTHONPATH=src\n")
    (dst / ".env").chmod(0o600)
    init = run(dst, "-m", "loader_demo.settings", "init", "--json")
    assert json.loads(init.stdout)["created"] is None and not (dst / ".env.local").exists()
    report = run(dst, "-m", "loader_demo.settings")
    assert report.returncode == 0 and "RETRIES" in report.stdout
    assert f"SECRET_KEY    {dst / '.env'}:1" in report.stdout
    assert "warning" not in report.stderr  # PYTHONPATH is allowed, as the user said


# ------------------------------------------------- layers, secret files, reference


def test_layers_by_mode_in_a_real_project(project, env_file):
    """.env < .env.<mode> < .env.local < .env.<mode>.local; the report names each source."""
    write_env(env_file, GOOD_ENV)
    write_env(project / ".env.staging", "PORT=9090\nDEBUG=no\n")
    write_env(project / ".env.local", "DEBUG=yes\nTIMEOUT_S=1.5\n")
    write_env(project / ".env.production", "this line is broken\n")  # another mode
    report = run(project, "-m", "loader_demo.settings", LOADER_DEMO_ENV="staging")
    assert report.returncode == 0, report.stderr
    rows = {line.split()[0]: line.split()[1] for line in report.stdout.splitlines()
            if line.split() and line.split()[0].isupper()}
    assert rows["PORT"] == f"{project / '.env.staging'}:1"
    assert rows["DEBUG"] == f"{project / '.env.local'}:1"
    assert rows["TIMEOUT_S"] == f"{project / '.env.local'}:2"
    assert rows["HOSTS"] == f"{env_file}:5"
    assert f"  {project / '.env.staging.local'} (absent)" in report.stdout
    assert SECRET not in report.stdout
    # Without the mode, .env.staging is not read.
    result = run(project, "-c", SHOW.format(secret=SECRET))
    assert result.returncode == 0, result.stderr
    assert "True, 8080," in result.stdout.splitlines()[0]


def test_check_across_layers_in_a_real_project(project, env_file):
    write_env(env_file, GOOD_ENV)
    write_env(project / ".env.local", "PORT=8080\n")
    result = run(project, "-m", "loader_demo.settings", "check")
    assert result.returncode == 1
    assert (f"PORT at {project / '.env.local'}:1 sets the value that {env_file}:4 already "
            "gives it: remove the line from .env.local") in result.stderr
    write_env(project / ".env.local", "PORT=8081\n")
    result = run(project, "-m", "loader_demo.settings", "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_from_files_in_a_real_project(project, env_file, tmp_path):
    """Docker and Kubernetes: SECRET_KEY_FILE, or a secrets folder, and no env file."""
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(SECRET + "\n")
    code = ("import sys\nfrom loader_demo.settings import load_settings\ns = load_settings()\n"
            f"print(s.secret_key.get_secret_value() == {SECRET!r}, 'dotenv' in sys.modules)\n")
    env = {"DATABASE_URL": "sqlite:///x"}
    result = run(project, "-c", code, SECRET_KEY_FILE=str(secret_file), **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
    folder = tmp_path / "run-secrets"
    folder.mkdir()
    (folder / "SECRET_KEY").write_text(SECRET)
    result = run(project, "-c", code, LOADER_DEMO_SECRETS_DIR=str(folder), **env)
    assert result.stdout.split() == ["True", "False"], result.stderr
    report = run(project, "-m", "loader_demo.settings", LOADER_DEMO_SECRETS_DIR=str(folder), **env)
    assert f"SECRET_KEY    {folder / 'SECRET_KEY'} (secrets folder)" in report.stdout
    assert SECRET not in report.stdout + report.stderr
    # A FIFO or a missing file fails fast, naming the variable and the path only.
    os.mkfifo(tmp_path / "fifo")
    for path in (tmp_path / "fifo", tmp_path / "absent"):
        failed = run(project, "-m", "loader_demo.settings", SECRET_KEY_FILE=str(path), **env)
        assert failed.returncode == 1
        assert f"SECRET_KEY: {path} (SECRET_KEY_FILE)" in failed.stderr
    both = run(project, "-m", "loader_demo.settings", SECRET_KEY="x",
               SECRET_KEY_FILE=str(secret_file), **env)
    assert both.returncode == 1 and "both set in the environment" in both.stderr


def test_the_readme_reference_is_checked_and_rewritten(project, env_file):
    """The generated README's table is the docs command's; adding a variable makes the
    generated tests fail with the command that rewrites it."""
    readme = project / "README.md"
    settings = project / "src/loader_demo/settings.py"
    example = project / ".env.example"
    before = {path: path.read_bytes() for path in (readme, settings, example)}
    docs = run(project, "-m", "loader_demo.settings", "docs")
    assert docs.returncode == 0, docs.stderr
    assert docs.stdout in readme.read_text()
    assert "| `SECRET_KEY` | secret |  | yes |  |" in docs.stdout
    tests = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_venv_dotenv.py",
             "-k", "readme")
    try:
        marker = "# from the env_vars answer and keeps these.\n"
        settings.write_text(settings.read_text().replace(marker, marker + "    retries: int = 3\n"))
        with example.open("a") as handle:
            handle.write("RETRIES=3\n")
        failed = run(project, *tests)
        assert failed.returncode == 1
        # The venv's python by its path: the command works where no venv is active.
        assert ("is out of date with settings.py: run .venv/bin/python -m loader_demo.settings "
                "docs --write README.md at the project root") in failed.stdout
        write = run(project, "-m", "loader_demo.settings", "docs", "--write", "README.md")
        assert write.returncode == 0 and write.stdout == "README.md: updated\n"
        assert "| `RETRIES` | int | `3` | no |  |" in readme.read_text()
        assert run(project, *tests).returncode == 0
    finally:
        for path, data in before.items():
            path.write_bytes(data)


def test_the_generated_init_test_takes_export_lines_of_the_example(project, env_file):
    """An adopted .env.example may start with `export PORT=8000`: init comments it out
    as `# export PORT=8000` (not taken for the example's header), which the generated
    test accepts."""
    example = project / ".env.example"
    before = example.read_bytes()
    try:
        assert "\nPORT=8000\n" in before.decode()
        example.write_text("export PORT=8000\n\n" + before.decode().replace("\nPORT=8000\n", "\n"))
        tests = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/test_venv_dotenv.py", "-k", "init_documents_defaults")
        assert tests.returncode == 0, tests.stdout
        assert "1 passed" in tests.stdout
    finally:
        example.write_bytes(before)


def test_mode_files_work_out_of_the_box_after_init(project, env_file):
    """init's private layer documents the variables with a default without setting them
    (commented out), so .env.<mode> takes effect; check notes a mode file's line that
    .env.local shadows, naming both lines and no value."""
    private = project / ".env.local"
    created = run(project, "-m", "loader_demo.settings", "init", "--json")
    assert created.returncode == 0, created.stderr
    notes = json.loads(created.stdout)["notes"]
    assert any("commented out DEBUG, PORT, HOSTS, TIMEOUT_S" in note for note in notes)
    text = private.read_text()
    assert "\n# PORT=8000\n" in text and "\nSECRET_KEY=" in text  # the secret has a value
    assert "\nDATABASE_URL=" in text  # required, no default: left for the user to fill
    assert private.stat().st_mode & 0o777 == 0o600
    private.write_text(text.replace("\nDATABASE_URL=\n", "\nDATABASE_URL=sqlite:///a.db\n"))
    write_env(project / ".env.production", "PORT=9000\nDEBUG=false\n")

    shown = "from loader_demo.settings import load_settings\nprint(load_settings().port)\n"
    result = run(project, "-c", shown, LOADER_DEMO_ENV="production")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "9000"  # the mode file wins over the default
    check = run(project, "-m", "loader_demo.settings", "check", LOADER_DEMO_ENV="production")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "shadowed" not in check.stdout

    # A line of .env.local set on purpose wins in every mode: check says so, with both
    # file:line, never a value.
    lines = private.read_text().splitlines()
    at = lines.index("# PORT=8000")
    lines[at] = "PORT=8001"
    private.write_text("\n".join(lines) + "\n")
    result = run(project, "-c", shown, LOADER_DEMO_ENV="production")
    assert result.stdout.strip() == "8001"
    check = run(project, "-m", "loader_demo.settings", "check", LOADER_DEMO_ENV="production")
    assert check.returncode == 0, check.stdout + check.stderr
    assert (f"info: PORT at {project / '.env.production'}:1 is shadowed by {private}:{at + 1}, "
            "which wins in every mode") in check.stdout
    assert "9000" not in check.stdout + check.stderr and "8001" not in check.stdout + check.stderr
    # Without a mode there is no mode file to shadow: no note.
    check = run(project, "-m", "loader_demo.settings", "check")
    assert "shadowed" not in check.stdout


def test_a_closed_pipe_ends_the_commands_quietly(project, env_file):
    """``python -m <package>.settings | head``: the reader is gone, the command stops
    with the shell's status for SIGPIPE and no traceback, like a Unix tool."""
    write_env(env_file, GOOD_ENV)
    for args in ([], ["check"], ["docs"], ["check", "--example-only"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader has gone before the first write: EPIPE, always
        try:
            result = subprocess.run(
                [str(venv_python(project)), "-m", "loader_demo.settings", *args],
                cwd=project, env=child_env(), stdout=write_end, stderr=subprocess.PIPE,
                text=True, timeout=300, check=False)
        finally:
            os.close(write_end)
        assert result.returncode == 141, (args, result.stderr)
        assert result.stderr == "", args
    # A shell pipeline as the user types it: the first line, nothing on stderr.
    shell = subprocess.run(
        ["sh", "-c", f"'{venv_python(project)}' -m loader_demo.settings docs | head -n 1"],
        cwd=project, env=child_env(), capture_output=True, text=True, timeout=300)
    assert shell.stdout.startswith("|") and shell.stderr == ""
