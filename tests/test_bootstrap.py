"""scripts/bootstrap.py of rendered projects, run for real: real venvs, pip, uv and git.

Every project lives below a folder whose name has spaces, and the script is always run
from another folder than the project, so both properties are checked by every test.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import copier
import pytest
from conftest import REPO_ROOT, find_python, git
from dotenv import dotenv_values

BOOTSTRAP = REPO_ROOT / "template" / "scripts" / "bootstrap.py"
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
needs_uv = pytest.mark.skipif(UV is None, reason="uv is not installed")
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes and signals")

# Runs a script with an audit hook that ends the process (exit 99) as soon as it tries to
# start another program: the proof that a no-op run spawns nothing.
NO_SPAWN_WRAPPER = """
import os, runpy, sys
SPAWN = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
         "os.fork", "os.forkpty", "os.startfile", "pty.spawn", "_winapi.CreateProcess"}
def hook(event, args):
    if event in SPAWN:
        sys.stderr.write(f"SPAWN ATTEMPT: {event} {args!r}\\n")
        sys.stderr.flush()
        os._exit(99)
sys.addaudithook(hook)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


# --------------------------------------------------------------------------- helpers


def bootstrap_module():
    """The script imported as a module, for its pure functions."""
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", BOOTSTRAP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def path_without_uv() -> str:
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and not shutil.which("uv", path=d))


def make_env(*, uv: bool = True, prepend: list[str] = (), **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    path = path_without_uv()
    if uv and UV:
        path = os.pathsep.join([str(Path(UV).parent), path])
    env["PATH"] = os.pathsep.join([*prepend, path])
    env.update(extra)
    return env


def run_bootstrap(project: Path, *args: str, env=None, python=None, wrapper=False, umask=None):
    command = [python or sys.executable]
    if wrapper:
        command += ["-c", NO_SPAWN_WRAPPER]
    command += [str(project / "scripts" / "bootstrap.py"), *args]
    return subprocess.run(
        command,
        cwd=project.parent.parent,  # never the project itself: any cwd must work
        env=env if env is not None else make_env(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def venv_python(project: Path) -> Path:
    return project / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def stamp(project: Path) -> dict:
    return json.loads((project / ".venv" / ".bootstrap-stamp.json").read_text())


def project_tests_pass(project: Path) -> None:
    result = subprocess.run(
        [str(venv_python(project)), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, env=make_env(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def project_tests_pass_with_cache(project: Path) -> None:
    """Like a user would run them: pytest may write its cache, which git must ignore."""
    result = subprocess.run(
        [str(venv_python(project)), "-m", "pytest", "-q"],
        cwd=project, env=make_env(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def tree_snapshot(root: Path) -> dict[str, tuple]:
    """Every entry below root with its type, mode, size, mtime and content hash."""
    snap = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        snap[str(path.relative_to(root))] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return snap


# --------------------------------------------------------------------------- projects


@pytest.fixture(scope="session")
def rendered(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project rendered from the template with its default answers."""
    dst = tmp_path_factory.mktemp("rendered") / "demo app"
    copier.run_copy(
        str(template_repo), dst, data={"project_name": "Demo App"},
        defaults=True, unsafe=True, vcs_ref="HEAD", quiet=True,
    )
    return dst


def new_project(rendered: Path, base: Path) -> Path:
    """A committed copy of the rendered project below a folder whose name has spaces."""
    project = base / "parent with spaces" / "demo app"
    shutil.copytree(rendered, project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "rendered")
    return project


@pytest.fixture
def project(rendered: Path, tmp_path: Path) -> Path:
    return new_project(rendered, tmp_path)


@pytest.fixture(scope="module")
def uv_project(rendered: Path, tmp_path_factory: pytest.TempPathFactory):
    """A project bootstrapped once with uv (auto mode), shared by the read-mostly tests.

    Tests that change it restore what they change; none breaks its venv.
    """
    if UV is None:
        pytest.skip("uv is not installed")
    project = new_project(rendered, tmp_path_factory.mktemp("uv"))
    result = ok(run_bootstrap(project))
    return project, result


# --------------------------------------------------------------------------- cold runs


@pytest.mark.venv
@needs_uv
def test_uv_bootstrap_makes_a_working_project(uv_project):
    project, result = uv_project
    assert re.search(r"^\[\d+\.\ds\] created \.venv with uv \(Python 3\.\d+\.\d+\)$",
                     result.stdout, re.M), result.stdout
    if os.name != "nt":  # run from two levels up: paths relative to there, quoted
        assert "activate:  source 'parent with spaces/demo app/.venv/bin/activate'" in (
            result.stdout)
        assert "run tests: 'parent with spaces/demo app/.venv/bin/python' -m pytest" in (
            result.stdout)
    recorded = stamp(project)
    assert recorded["installer"] == "uv"
    assert recorded["venv_python"] == str(venv_python(project))
    assert recorded["pyproject_sha256"] == hashlib.sha256(
        (project / "pyproject.toml").read_bytes()).hexdigest()
    project_tests_pass_with_cache(project)
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.venv
def test_pip_bootstrap_makes_a_working_project(project):
    # No uv on PATH: auto mode falls back to venv + pip.
    result = ok(run_bootstrap(project, env=make_env(uv=False)))
    assert "created .venv with pip (Python" in result.stdout
    assert stamp(project)["installer"] == "pip"
    assert (project / ".env").is_file()
    project_tests_pass_with_cache(project)
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.venv
@needs_uv
@pytest.mark.parametrize("version", ["3.11", "3.12"])
def test_python_version_choice(project, version):
    found = find_python(version)
    if found is None:
        pytest.skip(f"no working python{version} here")
    # The real interpreter's folder first on PATH: --python 3.X looks up python3.X there.
    env = make_env(prepend=[str(Path(found).parent)])
    result = ok(run_bootstrap(project, "--python", version, env=env))
    assert f"(Python {version}." in result.stdout
    recorded = stamp(project)
    assert recorded["python_version"].startswith(version + ".")
    assert recorded["python_request"] == version
    project_tests_pass(project)
    # The same command again, or none at all: that Python is kept, nothing is spawned.
    for args in (("--python", version), ()):
        assert "is up to date" in ok(run_bootstrap(project, *args, env=env, wrapper=True)).stdout


# --------------------------------------------------------------------------- no-op


@pytest.mark.venv
@needs_uv
def test_rerun_spawns_nothing_and_changes_nothing(uv_project):
    project, _ = uv_project
    env_before = (project / ".env").read_bytes()
    stamp_before = (project / ".venv" / ".bootstrap-stamp.json").stat()
    result = ok(run_bootstrap(project, wrapper=True))
    assert "is up to date" in result.stdout
    assert "kept existing .env" in result.stdout
    assert "note:" not in result.stdout  # .env names the same variables as the example
    assert (project / ".env").read_bytes() == env_before
    assert (project / ".venv" / ".bootstrap-stamp.json").stat().st_mtime_ns == (
        stamp_before.st_mtime_ns
    )
    # Quiet: nothing at all on stdout, still no process.
    for flag in ("--quiet", "-q"):
        quiet = ok(run_bootstrap(project, flag, wrapper=True))
        assert quiet.stdout == "" and quiet.stderr == ""


def test_the_no_spawn_wrapper_catches_a_spawn(tmp_path):
    script = tmp_path / "spawns.py"
    script.write_text("import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'pass'])\n")
    result = subprocess.run([sys.executable, "-c", NO_SPAWN_WRAPPER, str(script)],
                            capture_output=True, text=True)
    assert result.returncode == 99
    assert "SPAWN ATTEMPT: subprocess.Popen" in result.stderr


# --------------------------------------------------------------------------- changes, repairs


@pytest.mark.venv
@needs_uv
def test_changed_pyproject_resyncs_in_place(project):
    ok(run_bootstrap(project))
    cfg = (project / ".venv" / "pyvenv.cfg").stat()
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'dependencies = [\n', 'dependencies = [\n    "iniconfig",\n'))
    result = ok(run_bootstrap(project))
    assert "updating .venv: pyproject.toml changed" in result.stdout
    assert "created .venv" not in result.stdout
    assert (project / ".venv" / "pyvenv.cfg").stat().st_mtime_ns == cfg.st_mtime_ns
    assert stamp(project)["pyproject_sha256"] == hashlib.sha256(pyproject.read_bytes()).hexdigest()
    check = subprocess.run([str(venv_python(project)), "-c", "import iniconfig"])
    assert check.returncode == 0


@pytest.mark.venv
@needs_uv
def test_missing_venv_python_is_rebuilt(project):
    ok(run_bootstrap(project))
    venv_python(project).unlink()
    result = ok(run_bootstrap(project))
    assert "rebuilding .venv: its interpreter" in result.stdout
    project_tests_pass(project)


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_removed_base_python_is_rebuilt(project, tmp_path):
    # A base interpreter we can uninstall: a link to a real one in a folder of our own.
    real = find_python("3.11") or find_python(f"{sys.version_info[0]}.{sys.version_info[1]}")
    fake_bin = tmp_path / "python to remove" / "bin"
    fake_bin.mkdir(parents=True)
    fake = fake_bin / Path(real).name
    fake.symlink_to(os.path.realpath(real))
    ok(run_bootstrap(project, python=str(fake)))
    assert stamp(project)["python_interpreter"] == str(fake)
    shutil.rmtree(fake_bin.parent)  # "Python uninstalled": the venv's python dangles
    result = ok(run_bootstrap(project))
    assert "rebuilding .venv: its interpreter" in result.stdout
    assert "points to a removed Python" in result.stdout
    project_tests_pass(project)


@pytest.mark.venv
@needs_uv
def test_moved_project_is_rebuilt(project):
    ok(run_bootstrap(project))
    moved = project.with_name("moved app")
    project.rename(moved)
    result = ok(run_bootstrap(moved))
    assert "the project moved" in result.stdout
    assert stamp(moved)["venv_python"] == str(venv_python(moved))
    project_tests_pass(moved)


@pytest.mark.venv
@POSIX_ONLY
@pytest.mark.parametrize("kill_when", ["venv folder made", "installing"])
def test_killed_run_is_followed_by_a_healthy_one(project, kill_when):
    process = subprocess.Popen(
        [sys.executable, str(project / "scripts" / "bootstrap.py"), "--installer", "pip"],
        cwd=project.parent, env=make_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,  # its own process group: pip dies with it
    )
    try:
        if kill_when == "venv folder made":
            deadline = time.monotonic() + 120
            while not (project / ".venv" / "pyvenv.cfg").exists():
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.005)
        else:
            for line in process.stdout:
                if "installing the project" in line:
                    break
            time.sleep(1.0)  # pip is running now
        assert process.poll() is None, "finished before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    assert not (project / ".venv" / ".bootstrap-stamp.json").exists()
    result = ok(run_bootstrap(project))
    assert "rebuilding .venv" in result.stdout
    project_tests_pass(project)


@pytest.mark.venv
@needs_uv
@pytest.mark.parametrize("leftover", ["empty", "uv tag only", "bootstrap marker"])
def test_leftovers_of_an_interrupted_creation_are_rebuilt(project, leftover):
    venv = project / ".venv"
    venv.mkdir()
    if leftover == "uv tag only":  # uv writes CACHEDIR.TAG first, pyvenv.cfg later
        (venv / "CACHEDIR.TAG").write_bytes(
            b"Signature: 8a477f597d28d172789f06886806bc55\n# created by uv\n")
        (venv / "bin").mkdir()
    elif leftover == "bootstrap marker":  # written before python -m venv starts
        (venv / ".bootstrap-owned").touch()
        (venv / "include").mkdir()
    ok(run_bootstrap(project))
    project_tests_pass(project)


# --------------------------------------------------------------------------- refusals


def follow_advice(project: Path, stderr: str) -> None:
    """Run the command the refusal's last line gives, from the cwd the script ran in."""
    command = stderr.strip().splitlines()[-1].strip()
    subprocess.run(["sh", "-c", command], cwd=project.parent.parent, check=True)


@POSIX_ONLY
def test_env_folder_that_is_an_old_venv_is_refused_with_delete_advice(project):
    old_venv = project / ".env"
    (old_venv / "bin").mkdir(parents=True)
    (old_venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    before = tree_snapshot(project)
    result = run_bootstrap(project)
    assert result.returncode == 2
    assert ".env is an old virtual environment" in result.stderr
    # Deleted, not moved: a moved venv is broken, and `.env-old` would not be git-ignored.
    assert result.stderr.endswith(
        "delete it, then run this script again:\n  rm -rf 'parent with spaces/demo app/.env'\n")
    assert "mv " not in result.stderr
    assert tree_snapshot(project) == before  # not even a venv was started
    follow_advice(project, result.stderr)
    assert not old_venv.exists()
    assert git(project, "status", "--porcelain") == ""


@POSIX_ONLY
def test_env_folder_is_refused_with_advice_to_move_it_to_an_ignored_name(project):
    folder = project / ".env"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    (project / ".env.old").write_text("taken\n")  # the advice must not clobber it
    result = run_bootstrap(project)
    assert result.returncode == 2
    assert ".env is a folder, but" in result.stderr
    assert result.stderr.endswith(
        "Move it to a name git ignores, then run this script again:\n"
        "  mv 'parent with spaces/demo app/.env' 'parent with spaces/demo app/.env.old-2'\n")
    follow_advice(project, result.stderr)
    assert (project / ".env.old-2" / "notes.txt").read_text() == "mine\n"
    # Following the advice commits nothing by mistake: the new name is ignored.
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.parametrize("extra_args", [(), ("--recreate",)])
def test_folder_that_is_not_a_venv_is_left_untouched(project, extra_args):
    folder = project / ".venv"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "todo.txt").write_text("my work\n")
    (folder / "data.bin").write_bytes(os.urandom(64))
    before = tree_snapshot(folder)
    result = run_bootstrap(project, *extra_args)
    assert result.returncode == 2
    assert "is not a virtual environment" in result.stderr
    assert "left untouched" in result.stderr
    assert tree_snapshot(folder) == before


@pytest.mark.parametrize("venv_dir", ["../elsewhere", "/tmp/bootstrap-abs-venv", "."])
def test_venv_dir_outside_the_project_is_refused(project, venv_dir):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'venv-dir = ".venv"', f"venv-dir = {json.dumps(venv_dir)}"))
    result = run_bootstrap(project)
    assert result.returncode == 2
    assert "not inside the project" in result.stderr
    assert not (project.parent / "elsewhere").exists()


@POSIX_ONLY
def test_venv_dir_linked_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / ".venv").symlink_to(outside)
    result = run_bootstrap(project)
    assert result.returncode == 2
    assert "not inside the project" in result.stderr
    assert list(outside.iterdir()) == []


def test_no_suitable_interpreter(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'requires-python = ">=3.11"', 'requires-python = ">=3.99"'))
    result = run_bootstrap(project)
    assert result.returncode == 3
    running = ".".join(map(str, sys.version_info[:3]))
    assert f"Python {running}" in result.stderr
    assert "--python 3.99" in result.stderr and "uv python install 3.99" in result.stderr
    assert not (project / ".venv").exists()


def test_requested_python_not_found(project):
    result = run_bootstrap(project, "--python", "3.99", env=make_env(uv=False))
    assert result.returncode == 3
    assert "no python3.99 on PATH" in result.stderr


def test_forced_uv_missing_is_refused(project):
    result = run_bootstrap(project, "--installer", "uv", env=make_env(uv=False))
    assert result.returncode == 2
    assert "uv is not on PATH" in result.stderr
    assert not (project / ".venv").exists()


def test_help_documents_the_exit_codes(project):
    result = ok(run_bootstrap(project, "--help"))
    for line in ("0  the venv", "1  creating the venv", "2  usage error", "3  no suitable"):
        assert line in result.stdout
    assert "--installer {auto,uv,pip}" in result.stdout
    assert "-q, --quiet" in result.stdout


def test_short_quiet_flag_is_parsed_without_argparse():
    module = bootstrap_module()
    assert module._parse_common(["-q"]).quiet is True
    assert module._parse_common(["-q", "--recreate"]).recreate is True
    assert module._argparse(["-q"]).quiet is True


@pytest.mark.venv
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_install_failure_shows_the_installer_message_and_leaves_no_stamp(project, installer):
    if installer == "uv" and UV is None:
        pytest.skip("uv is not installed")
    pyproject = project / "pyproject.toml"
    original = pyproject.read_text()
    pyproject.write_text(original.replace(
        'dependencies = [\n', 'dependencies = [\n    "no-such-package-cvd==9.9.9",\n'))
    # Offline: fails fast and never asks a real index about a made-up name.
    env = make_env(UV_OFFLINE="1", PIP_NO_INDEX="1")
    result = run_bootstrap(project, "--installer", installer, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bootstrap: error:" in result.stderr and "failed" in result.stderr
    # The installer's own explanation is shown, not only ours.
    assert re.search(r"no-such-package-cvd|hatchling|No matching distribution|not found",
                     result.stderr, re.I), result.stderr
    assert not (project / ".venv" / ".bootstrap-stamp.json").exists()
    # Fixed, the next run ends healthy.
    if installer == "uv":
        pyproject.write_text(original)
        ok(run_bootstrap(project))
        project_tests_pass(project)


# --------------------------------------------------------------------------- env file


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_env_file_is_private_whatever_the_umask(uv_project, umask):
    project, _ = uv_project
    (project / ".env").unlink()
    result = ok(run_bootstrap(project, umask=umask))
    assert "created .env from .env.example (mode 0600; random values for SECRET_KEY)" in (
        result.stdout)
    assert (project / ".env").stat().st_mode & 0o777 == 0o600


@pytest.mark.venv
@needs_uv
def test_secrets_are_random_and_never_printed(uv_project):
    project, _ = uv_project
    values = []
    for _ in range(2):
        (project / ".env").unlink()
        result = ok(run_bootstrap(project))
        env = dotenv_values(project / ".env")
        secret = env["SECRET_KEY"]
        assert len(secret) >= 32
        assert secret not in result.stdout + result.stderr
        values.append(secret)
        # Everything else is copied from the example as it is.
        example = dotenv_values(project / ".env.example")
        assert {k: v for k, v in env.items() if k != "SECRET_KEY"} == {
            k: v for k, v in example.items() if k != "SECRET_KEY"}
    # The example's header ("is committed", "never write a real secret here") is replaced.
    text = (project / ".env").read_text()
    assert text.startswith("# Private configuration of this checkout: never commit it")
    assert "is committed" not in text and "Never write a real secret" not in text
    example_text = (project / ".env.example").read_text()
    body = example_text[example_text.index("\n\n"):]
    assert text[text.index("\n\n"):] == re.sub(
        r"(?m)^SECRET_KEY=$", f"SECRET_KEY={values[-1]}", body)
    assert values[0] != values[1]


@contextlib.contextmanager
def restored_env_file(project: Path) -> Iterator[Path]:
    """Yield the project's .env; put its bytes and mode 0600 back afterwards."""
    env = project / ".env"
    original = env.read_bytes()
    try:
        yield env
    finally:
        env.write_bytes(original)
        env.chmod(0o600)


@pytest.mark.venv
@needs_uv
def test_existing_env_file_is_never_modified(uv_project):
    project, _ = uv_project
    with restored_env_file(project) as env:
        env.write_text("SECRET_KEY=\nMINE=1\n")
        env.chmod(0o644)
        before = env.stat()
        ok(run_bootstrap(project))
        after = env.stat()
        assert env.read_text() == "SECRET_KEY=\nMINE=1\n"
        assert (after.st_mode, after.st_mtime_ns) == (before.st_mode, before.st_mtime_ns)


@pytest.mark.venv
@needs_uv
def test_env_file_names_out_of_step_with_the_example_are_noted(uv_project):
    # What `copier update` leaves: a new variable missing, a removed one still set.
    project, _ = uv_project
    with restored_env_file(project) as env:
        env.write_text('LOG_LEVEL=DEBUG\nDEBUG=true\nSECRET_KEY=s3cr3t-value\n'
                       'export OLD_TOKEN="old-value\nPORT=not-a-name\n"\n')
        before = env.read_bytes(), env.stat().st_mtime_ns
        result = ok(run_bootstrap(project, wrapper=True))  # the no-op path: still no process
        assert ("note: .env and .env.example name different variables (missing from .env: "
                "DATABASE_URL; not in .env.example: OLD_TOKEN); check with: ") in result.stdout
        assert "-m demo_app.settings check" in result.stdout
        for value in ("DEBUG=", "s3cr3t-value", "old-value", "PORT"):
            assert value not in result.stdout + result.stderr
        assert (env.read_bytes(), env.stat().st_mtime_ns) == before
        assert ok(run_bootstrap(project, "-q", wrapper=True)).stdout == ""


@pytest.mark.venv
@needs_uv
def test_another_active_venv_is_named(uv_project, tmp_path):
    project, _ = uv_project
    other = tmp_path / "other venv"
    result = ok(run_bootstrap(project, env=make_env(VIRTUAL_ENV=str(other))))
    assert f"another venv is active ({other})" in result.stdout
    assert str(project / ".venv") in result.stdout


@pytest.mark.venv
@needs_uv
def test_no_env_example_is_skipped_with_a_note(uv_project):
    project, _ = uv_project
    env, example = project / ".env", project / ".env.example"
    saved_env, saved_example = env.read_bytes(), example.read_bytes()
    env.unlink()
    example.unlink()
    try:
        result = ok(run_bootstrap(project))
        assert "no .env.example: .env not created" in result.stdout
        assert not env.exists()
    finally:
        example.write_bytes(saved_example)
        env.write_bytes(saved_env)
        env.chmod(0o600)


# --------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("version", "spec", "expected"),
    [
        ("3.11.7", ">=3.11", True),
        ("3.10.13", ">=3.11", False),
        ("3.12.1", ">=3.11,<4", True),
        ("4.0.0", ">=3.11,<4", False),
        ("3.12.1", "~=3.11", True),
        ("4.1.0", "~=3.11", False),
        ("3.12.1", "==3.12.*", True),
        ("3.13.0", "==3.12.*", False),
        ("3.12.0", "!=3.12.0", False),
        ("3.12.1", ">3.12", True),
        ("3.12.0", "<=3.12", True),
        ("3.12.1", " >= 3.11 , < 3.13 ", True),
        ("3.12.1", "", True),
        ("3.12.1", ">=3.11; python_version", None),
    ],
)
def test_requires_python_specifiers(version, spec, expected):
    assert bootstrap_module().satisfies(version, spec) is expected


def test_fill_secrets_reads_the_comment_block_above_each_name():
    example = (
        "# Header that mentions type: secret in passing.\n"
        "\n"
        "# The signing key.\n"
        "# type: secret; required\n"
        "SECRET_KEY=\n"
        "# Type: Secret ; default: \n"
        'export API_TOKEN=""\r\n'
        "# type: secret; optional, empty by default\n"
        "\n"
        "NOT_SECRET_AFTER_BLANK=\n"
        "# type: str; required\n"
        "PLAIN=\n"
        "# type: secret; default: fixed\n"
        "KEPT=fixed\n"
    )
    text, filled = bootstrap_module().fill_secrets(example)
    assert filled == ["SECRET_KEY", "API_TOKEN"]
    lines = text.splitlines(keepends=True)
    assert re.fullmatch(r"SECRET_KEY=[A-Za-z0-9_-]{43}\n", lines[4])
    assert re.fullmatch(r"export API_TOKEN=[A-Za-z0-9_-]{43}\r\n", lines[6])
    assert lines[9:] == example.splitlines(keepends=True)[9:]


def test_env_names_is_a_line_scan_that_skips_quoted_continuation_lines():
    text = (
        "# COMMENTED=1\n"
        "PLAIN=1\n"
        "  export EXPORTED = 2\n"
        'MULTI="first line\n'
        "INSIDE=not a name\n"
        'still \\" inside"\n'
        "AFTER='x'\n"
        "SINGLE='one\n"
        "ALSO_INSIDE=1\n"
        "'\n"
        "EMPTY=\n"
        "not an assignment\n"
        "LAST=\"closed\" # note\n"
    )
    assert bootstrap_module().env_names(text) == {
        "PLAIN", "EXPORTED", "MULTI", "AFTER", "SINGLE", "EMPTY", "LAST"}


@pytest.mark.parametrize(
    ("example", "expected_body"),
    [
        # A header block ended by a blank line is replaced.
        ("# Committed.\n# No secret here.\n\n# type: str\nA=1\n", "\n# type: str\nA=1\n"),
        # Comments running into an assignment document it (maybe type: secret): kept.
        ("# type: secret\nS=x\n", "\n# type: secret\nS=x\n"),
        ("A=1\n", "\nA=1\n"),
        ("# Only a header.\n", ""),
    ],
)
def test_private_header_replaces_only_the_leading_comment_block(example, expected_body):
    module = bootstrap_module()
    assert module.private_header(example) == module.PRIVATE_HEADER + expected_body


def test_private_header_keeps_crlf_line_endings():
    module = bootstrap_module()
    result = module.private_header("# Header.\r\n\r\nA=1\r\n")
    assert result == module.PRIVATE_HEADER.replace("\n", "\r\n") + "\r\nA=1\r\n"


@pytest.mark.parametrize(
    ("packages", "expected"),
    [('["src/demo_app"]', "demo_app"), ('["pkg"]', "pkg"), ("[]", "<package>"),
     ('["src/not-a-name"]', "<package>"), (None, "<package>")],
)
def test_package_name_for_the_check_command(tmp_path, packages, expected):
    text = '[project]\nname = "x"\n'
    if packages is not None:
        text += f"[tool.hatch.build.targets.wheel]\npackages = {packages}\n"
    (tmp_path / "pyproject.toml").write_text(text)
    assert bootstrap_module().Project(tmp_path.resolve()).package == expected
