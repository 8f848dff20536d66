"""scripts/bootstrap.py of rendered projects, run for real: real venvs, pip, uv and git.

Every project lives below a folder whose name has spaces, and the script is always run
from another folder than the project, so both properties are checked by every test.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path

import copier
import pytest
from conftest import PEERS_FIX, REPO_ROOT, find_peers, find_python, git, unavailable
from dotenv import dotenv_values

SCRIPTS = REPO_ROOT / "template" / "scripts"
BOOTSTRAP = SCRIPTS / "bootstrap.py"
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
needs_uv = pytest.mark.skipif(UV is None, reason=unavailable("uv"))
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes and signals")
# The peers' git bundles (see conftest.find_peers).
PEERS = find_peers()

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

# Runs a script and prints, after it, the modules it imported (one per line, on stderr).
MODULES_WRAPPER = """
import runpy, sys
sys.argv = sys.argv[1:]
code = 0
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as exc:
    code = exc.code
sys.stderr.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""

# Runs a script with an audit hook that kills the process (SIGKILL, no clean-up) at the
# N-th file-system change it makes itself (open for writing, rename, delete, mkdir).
KILL_AT_WRITE_WRAPPER = """
import os, runpy, signal, sys
target = int(os.environ["KILL_AT"])
count = 0
CHANGES = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree", "os.truncate"}
def hook(event, args):
    global count
    if event == "open":
        path, mode, flags = args
        writing = (mode is not None and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if not writing or not isinstance(path, (str, bytes, os.PathLike)):
            return
    elif event not in CHANGES:
        return
    count += 1
    if count == target:
        sys.stderr.write(f"KILLED AT {event} {args!r}\\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(hook)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


# --------------------------------------------------------------------------- helpers


def scripts_module(name: str) -> types.ModuleType:
    """bootstrap (the launcher) or _bootstrap (the rest), imported for their functions."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(name)


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


def run_bootstrap(project: Path, *args: str, env=None, python=None, wrapper=None, umask=None,
                  timeout=600):
    command = [python or sys.executable]
    if wrapper:
        command += ["-c", NO_SPAWN_WRAPPER if wrapper is True else wrapper]
    command += [str(project / "scripts" / "bootstrap.py"), *args]
    return subprocess.run(
        command,
        cwd=project.parent.parent,  # never the project itself: any cwd must work
        env=env if env is not None else make_env(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result


def venv_python(project: Path, venv: str = ".venv") -> Path:
    return project / venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def stamp(project: Path, venv: str = ".venv") -> dict:
    """The stamp's fields: one value each, a list for "layer"."""
    fields = scripts_module("bootstrap").read_stamp(str(project / venv / ".bootstrap-stamp"))
    assert fields, "no readable stamp"
    return {name: values if name == "layer" else values[0] for name, values in fields.items()}


def env_layers(project: Path) -> list[Path]:
    return [Path(layer) for layer in stamp(project).get("layer", [])]


def project_tests_pass(project: Path, venv: str = ".venv") -> None:
    result = subprocess.run(
        [str(venv_python(project, venv)), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, env=make_env(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def venv_is_complete(project: Path) -> None:
    """The venv a repair left runs the project: its package and settings module, its
    runtime dependency and its test runner import there. (The project's own suite runs
    after the first bootstraps, with uv, pip and another Python.)"""
    package = next(p.name for p in (project / "src").iterdir() if (p / "settings.py").is_file())
    result = imports(venv_python(project), f"{package}.settings", "dotenv", "pytest")
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines()[1:]:  # the dependencies are the venv's own
        assert Path(line).is_relative_to(project / ".venv"), line


def project_tests_pass_with_cache(project: Path) -> None:
    """Like a user would run them: pytest may write its cache, which git must ignore."""
    result = subprocess.run(
        [str(venv_python(project)), "-m", "pytest", "-q"],
        cwd=project, env=make_env(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def imports(python: Path, *modules: str) -> subprocess.CompletedProcess:
    """Import modules in a venv's python, isolated from this process's environment."""
    code = "import sys\n" + "".join(f"import {m}; print({m}.__file__)\n" for m in modules)
    return subprocess.run([str(python), "-I", "-c", code], capture_output=True, text=True)


def tree_snapshot(root: Path) -> dict[str, tuple]:
    """Every entry below root with its type, mode, size, mtime and content hash."""
    snap = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        snap[str(path.relative_to(root))] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return snap


def installed_label(project: Path) -> str:
    """What the progress line names for this project: its dev groups and extras."""
    import tomllib

    data = tomllib.loads((project / "pyproject.toml").read_text())
    parts = []
    if "dev" in data.get("dependency-groups", {}):
        parts.append("groups: dev")
    extras = [e for e in ("dev", "test") if e in data["project"].get("optional-dependencies", {})]
    if extras:
        parts.append(f"extras: {', '.join(extras)}")
    return "; ".join(parts)


def add_dependency(project: Path, requirement: str) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    assert "dependencies = [\n" in text
    pyproject.write_text(text.replace("dependencies = [\n", f'dependencies = [\n    "{requirement}",\n', 1))


def set_settings_module(project: Path, module: str) -> None:
    """Name the settings module in [tool.copier-venv-dotenv] (replacing any)."""
    pyproject = project / "pyproject.toml"
    text = re.sub(r'(?m)^settings = ".*"\n', "", pyproject.read_text())
    marker = "[tool.copier-venv-dotenv]\n"
    assert marker in text
    pyproject.write_text(text.replace(marker, f'{marker}settings = "{module}"\n'))


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
    """A project bootstrapped once with uv (auto mode), for tests that change it a little.

    Tests that change it restore what they change; none breaks its venv. Under xdist
    each worker that runs one of them makes its own. Tests that only read a bootstrapped
    project use conftest's shared ``bootstrapped_project``.
    """
    if UV is None:
        pytest.skip(unavailable("uv"))
    project = new_project(rendered, tmp_path_factory.mktemp("uv"))
    result = ok(run_bootstrap(project))
    return project, result


@contextlib.contextmanager
def restored(*paths: Path) -> Iterator[None]:
    """Put the bytes and modes of files back afterwards (removing those that were absent)."""
    saved = {p: (p.read_bytes(), p.stat().st_mode) if p.exists() else None for p in paths}
    try:
        yield
    finally:
        for path, state in saved.items():
            if state is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(state[0])
                path.chmod(state[1] & 0o7777)


# --------------------------------------------------------------------------- cold runs


@pytest.mark.venv
def test_uv_bootstrap_makes_a_working_project(bootstrapped_project):
    project, result = bootstrapped_project.path, bootstrapped_project
    assert re.search(r"^\[\d+\.\ds\] created \.venv with uv \(Python 3\.\d+\.\d+\)$",
                     result.stdout, re.M), result.stdout
    assert f"installed the project (uv pip install; {installed_label(project)})" in result.stdout
    if os.name != "nt":  # run from two levels up: paths relative to there, quoted
        assert "activate:  source 'parent with spaces/demo app/.venv/bin/activate'" in (
            result.stdout)
        assert "run tests: cd 'parent with spaces/demo app' && .venv/bin/python -m pytest" in (
            result.stdout)
    recorded = stamp(project)
    assert recorded["installer"] == "uv"
    assert recorded["venv_python"] == str(venv_python(project))
    assert recorded["init"] == "ok"
    assert recorded["pyproject_sha256"] == hashlib.sha256(
        (project / "pyproject.toml").read_bytes()).hexdigest()
    # The env file the settings module made is recorded, and was announced by name.
    (layer,) = env_layers(project)
    assert layer.is_file() and layer.parent == project
    assert f"created {layer.name} from .env.example" in result.stdout
    project_tests_pass(project)  # with pytest's cache (git ignores it): the pip test
    assert git(project, "--no-optional-locks", "status", "--porcelain") == ""


@pytest.mark.venv
def test_pip_bootstrap_makes_a_working_project_whatever_the_callers_python_and_pip_settings(
        project, tmp_path):
    # No uv on PATH: auto mode falls back to venv + pip. The caller's shell has a
    # PYTHONPATH holding pytest and python-dotenv (this test environment's packages) and
    # a PIP_TARGET: the venv must get its own copies all the same, nothing lands in the
    # target, and the run must not count them as installed.
    site = Path(dotenv_values.__code__.co_filename).parents[1]
    target = tmp_path / "pip target"
    env = make_env(uv=False, PYTHONPATH=str(site), PIP_TARGET=str(target), PIP_USER="1")
    result = ok(run_bootstrap(project, env=env))
    assert "created .venv with pip (Python" in result.stdout
    assert "installed the project (pip " in result.stdout
    assert stamp(project)["installer"] == "pip"
    found = imports(venv_python(project), "pytest", "dotenv")
    assert found.returncode == 0, found.stderr
    for line in found.stdout.splitlines():
        assert Path(line).is_relative_to(project / ".venv"), line
    assert not target.exists()
    assert all(layer.is_file() for layer in env_layers(project))
    project_tests_pass_with_cache(project)
    assert git(project, "status", "--porcelain") == ""


@POSIX_ONLY
def test_an_output_reader_that_leaves_early_ends_it_quietly(bootstrapped_project):
    """`python3 scripts/bootstrap.py | head -2`: exit 141 and nothing on stderr, as Unix
    tools do, not a BrokenPipeError traceback (here the reader is gone before it starts)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, str(bootstrapped_project.path / "scripts" / "bootstrap.py")],
            cwd=bootstrapped_project.path, env=make_env(), stdout=write_end,
            stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL, timeout=60)
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr
    assert result.stderr == ""


@pytest.mark.venv
@needs_uv
@POSIX_ONLY  # a shell-script shim; Windows asks the py launcher
def test_python_version_choice(project):
    # Another Python than the one running the script (which a plain run would take).
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    others = [v for v in ("3.12", "3.13", "3.11", "3.14") if v != running]
    version, found = next(((v, p) for v in others if (p := find_python(v))), (None, None))
    if found is None:
        pytest.skip(f"no working python{'/'.join(others)} here")
    # --python 3.X looks up python3.X on PATH: first a pyenv shim of a version pyenv has
    # not selected, which fails, then the real interpreter's folder, which is taken.
    shims = project.parent.parent / "shims"
    shims.mkdir()
    (shims / f"python{version}").write_text(
        f"#!/bin/sh\necho 'pyenv: python{version}: command not found' >&2\nexit 127\n")
    (shims / f"python{version}").chmod(0o755)
    env = make_env(prepend=[str(shims), str(Path(found).parent)])
    result = ok(run_bootstrap(project, "--python", version, env=env))
    assert f"(Python {version}." in result.stdout
    recorded = stamp(project)
    assert recorded["python_version"].startswith(version + ".")
    assert recorded["python_request"] == version
    project_tests_pass(project)
    # The same command again, or none at all: that Python is kept, nothing is spawned.
    for args in (("--python", version), ()):
        assert "is up to date" in ok(run_bootstrap(project, *args, env=env, wrapper=True)).stdout


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_python_asked_by_the_running_version_or_by_a_relative_path(project):
    """--python 3.X run by 3.X needs no python3.X on PATH; a path relative to the cwd is
    recorded absolute, so a later run from another folder finds the same Python."""
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    only_uv = project.parent.parent / "only-uv"
    only_uv.mkdir()
    (only_uv / "uv").symlink_to(UV)
    env = make_env()
    env["PATH"] = str(only_uv)
    result = ok(run_bootstrap(project, "--python", running, env=env))
    assert f"(Python {running}." in result.stdout
    link = project.parent.parent / "pythons" / "py"
    link.parent.mkdir()
    link.symlink_to(getattr(sys, "_base_executable", sys.executable))
    ok(run_bootstrap(project, "--python", "pythons/py", "--recreate", env=env))
    assert stamp(project)["python_request"] == str(link)


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_a_uv_too_old_for_an_option_gets_the_way_out(project):
    """A uv that predates an option the install uses (--group: uv 0.4 had none)."""
    old = project.parent.parent / "old-uv"
    old.mkdir()
    (old / "uv").write_text(
        "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = --group ] && "
        "{ echo \"error: unexpected argument '--group' found\" >&2; exit 2; }; done\n"
        f"exec {shlex.quote(UV)} \"$@\"\n")
    (old / "uv").chmod(0o755)
    result = run_bootstrap(project, env=make_env(uv=False, prepend=[str(old)]))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unexpected argument '--group'" in result.stderr
    assert "this uv may be too old" in result.stderr and "--installer pip" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("version", ["2.7", "3.6", "3.10"])
def test_old_pythons_get_a_sentence(project, version):
    python = find_python(version)
    if python is None:
        pytest.skip(f"no working python{version} here")
    result = run_bootstrap(project, python=python)
    assert result.returncode == 3
    assert result.stderr.startswith(
        f"bootstrap: error: this script needs Python 3.11 or newer, found {version}.")
    # The command it suggests works from where the user is (run from two folders up).
    assert f"e.g. python3.12 '{project / 'scripts' / 'bootstrap.py'}'\n" in result.stderr
    assert "Traceback" not in result.stderr and "SyntaxError" not in result.stderr
    assert not (project / ".venv").exists()
    # A folder whose name holds a quote: the suggested command still names the script.
    odd = project.parent / "ada's copy"
    shutil.copytree(project / "scripts", odd / "scripts")
    result = run_bootstrap(odd, python=python)
    suggested = result.stderr.rpartition("e.g. ")[2]
    assert shlex.split(suggested) == ["python3.12", str(odd / "scripts" / "bootstrap.py")]


# --------------------------------------------------------------------------- no-op


@pytest.mark.venv
def test_rerun_spawns_nothing_and_changes_nothing(bootstrapped_project):
    project = bootstrapped_project.path
    (layer,) = env_layers(project)
    env_before = layer.read_bytes()
    stamp_before = (project / ".venv" / ".bootstrap-stamp").stat()
    result = ok(run_bootstrap(project, wrapper=True))
    assert "is up to date" in result.stdout
    assert f"kept existing {layer.name}" in result.stdout
    assert layer.read_bytes() == env_before
    assert (project / ".venv" / ".bootstrap-stamp").stat().st_mtime_ns == (
        stamp_before.st_mtime_ns
    )
    # Quiet: nothing at all on stdout, still no process.
    for flag in ("--quiet", "-q"):
        quiet = ok(run_bootstrap(project, flag, wrapper=True))
        assert quiet.stdout == "" and quiet.stderr == ""


@pytest.mark.venv
def test_rerun_imports_nothing_heavy(bootstrapped_project, tmp_path):
    # The no-op's cost is the interpreter's start plus this short file: no parsing of
    # pyproject.toml, no hashing, no json, no regular expressions, not the rest of it.
    project = bootstrapped_project.path
    empty = tmp_path / "empty.py"
    empty.write_text("")
    wrapper_alone = subprocess.run([sys.executable, "-c", MODULES_WRAPPER, str(empty)],
                                   capture_output=True, text=True, check=True)
    baseline = set(wrapper_alone.stderr.split("MODULES ", 1)[1].split())
    result = ok(run_bootstrap(project, wrapper=MODULES_WRAPPER))
    assert "is up to date" in result.stdout
    modules = set(result.stderr.split("MODULES ", 1)[1].split()) - baseline
    heavy = {"_bootstrap", "tomllib", "hashlib", "json", "re", "pathlib", "subprocess",
             "argparse", "shlex", "fcntl"}
    assert modules & heavy == set(), modules


def modules_after(result: subprocess.CompletedProcess) -> set[str]:
    return set(result.stderr.split("MODULES ", 1)[1].split())


@pytest.mark.venv
@needs_uv
def test_another_venv_dir_gets_the_same_short_no_op(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'venv-dir = ".venv"', "venv-dir = 'envs/dev'  # the project's choice"))
    assert "created envs/dev with uv" in ok(run_bootstrap(project)).stdout
    result = ok(run_bootstrap(project, wrapper=MODULES_WRAPPER))
    assert "envs/dev is up to date" in result.stdout
    assert "_bootstrap" not in modules_after(result)
    project_tests_pass(project, "envs/dev")


@pytest.mark.parametrize(("text", "expected"), [
    ('[tool.copier-venv-dotenv]\nvenv-dir = "envs/dev"\n', "envs/dev"),
    ("venv-dir='a b/' # comment\n", "a b"),
    ('# venv-dir = "commented"\n', ".venv"),
    ('venv-dir = ""\n', ".venv"),
    ("[project]\n", ".venv"),
])
def test_the_venv_dir_at_a_glance(tmp_path, text, expected):
    (tmp_path / "pyproject.toml").write_text(text)
    found = scripts_module("bootstrap").venv_dir_at_a_glance(str(tmp_path))
    assert found == str(tmp_path / expected)


@pytest.mark.venv
@needs_uv
def test_touched_but_unchanged_inputs_are_checked_once_then_skipped(uv_project):
    project, _ = uv_project
    pyproject = project / "pyproject.toml"
    with restored(pyproject):
        pyproject.write_bytes(pyproject.read_bytes())  # new times, same content
        # The file changed on disk: the full check runs (no process: nothing to do)...
        result = ok(run_bootstrap(project, wrapper=MODULES_WRAPPER))
        assert "is up to date" in result.stdout
        assert "_bootstrap" in result.stderr.split("MODULES ", 1)[1].split()
        # ...and records the new state, so the next run is the short one again.
        result = ok(run_bootstrap(project, wrapper=MODULES_WRAPPER))
        assert "_bootstrap" not in result.stderr.split("MODULES ", 1)[1].split()
    ok(run_bootstrap(project))


@pytest.mark.venv
def test_a_new_version_of_the_script_checks_the_venv_once(uv_project):
    """A copier update that changes the scripts (which may install more: requirement
    files, other tools' groups) gets one sync, here without any stamp field for it,
    as a stamp of 0.3.0 has none; a requirement file present is then installed."""
    project, _ = uv_project
    script, requirements = project / "scripts" / "_bootstrap.py", project / "requirements-dev.txt"
    stamp_path = project / ".venv" / ".bootstrap-stamp"
    with restored(script, requirements, stamp_path):
        ok(run_bootstrap(project))
        requirements.write_text("iniconfig\n")
        # The stamp of a version that neither watched nor hashed requirement files.
        old = [line for line in stamp_path.read_text().splitlines(True)
               if not line.startswith(("script_sha256", "requirements_sha256", "input"))]
        stamp_path.write_text("".join(old))
        script.write_bytes(script.read_bytes() + b"# a new version\n")
        result = ok(run_bootstrap(project))
        assert "updating .venv: a requirements file" in result.stdout
        assert imports(venv_python(project), "iniconfig").returncode == 0
        assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
        # Another version, nothing else changed: one sync, then the short no-op again.
        script.write_bytes(script.read_bytes() + b"# another version\n")
        result = ok(run_bootstrap(project))
        assert "updating .venv: a new version of this script" in result.stdout
        assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
    ok(run_bootstrap(project))


@pytest.mark.venv
def test_the_python_a_0_1_0_venv_was_asked_for_is_kept_when_it_is_rebuilt(project):
    """0.1.0's script recorded --python in .bootstrap-stamp.json; the first run of this
    one rebuilds that venv, with that Python, not the one running the script."""
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    others = [v for v in ("3.12", "3.13", "3.14") if v != running]
    version, found = next(((v, p) for v in others if (p := find_python(v))), (None, None))
    if found is None:
        pytest.skip(f"no working python{'/'.join(others)} here")
    env = make_env(prepend=[str(Path(found).parent)])
    ok(run_bootstrap(project, "--python", version, env=env))
    (project / ".venv" / ".bootstrap-stamp").unlink()
    (project / ".venv" / ".bootstrap-stamp.json").write_text(
        json.dumps({"format": 1, "python_request": version, "installer": "uv"}))
    result = ok(run_bootstrap(project, env=env))
    assert "rebuilding .venv: an earlier version of this script made it" in result.stdout
    assert f"(Python {version}." in result.stdout
    assert stamp(project)["python_request"] == version


@POSIX_ONLY
def test_a_working_directory_deleted_under_it_is_no_crash(uv_project, tmp_path):
    """Run from a folder another shell deleted: paths are shown whole, not relative."""
    project, _ = uv_project
    gone = tmp_path / "gone"
    script = shlex.quote(str(project / "scripts" / "bootstrap.py"))
    command = f"mkdir {gone} && cd {gone} && rmdir {gone} && exec {sys.executable} {script}"
    result = ok(subprocess.run(["sh", "-c", command], env=make_env(), capture_output=True,
                               text=True, stdin=subprocess.DEVNULL, timeout=600))
    assert "is up to date" in result.stdout
    assert f"cd {shlex.quote(str(project))} && " in result.stdout


@POSIX_ONLY
def test_output_that_cannot_show_a_character_or_is_closed_is_no_crash(uv_project):
    """An ASCII terminal (cp1252 on Windows is as short of characters) and a closed
    stdout: the bootstrap and the settings command line escape or drop what they print."""
    project, _ = uv_project
    script = shlex.quote(str(project / "scripts" / "bootstrap.py"))
    result = ok(subprocess.run(["sh", "-c", f"exec {sys.executable} {script} >&-"],
                               env=make_env(), capture_output=True, text=True, timeout=600))
    assert result.stderr == ""
    env = make_env(PYTHONIOENCODING="ascii", LOG_LEVEL="d\u00e9bogage \u65e5\u672c")
    result = ok(subprocess.run([str(venv_python(project)), "-m", "demo_app.settings"],
                               cwd=project, env=env, capture_output=True, text=True,
                               timeout=60))
    assert "d\\xe9bogage \\u65e5\\u672c" in result.stdout


def test_a_long_install_says_it_still_runs(monkeypatch, tmp_path):
    """Its output is shown only when it fails: a slow index must not look like a hang."""
    module = scripts_module("_bootstrap")
    monkeypatch.setattr(module, "HEARTBEAT", 0.2)
    said = []
    command = [sys.executable, "-c", "import time; print('done'); time.sleep(0.7)"]
    lock_fd = os.open(tmp_path, os.O_RDONLY)  # what the tool inherits: the venv's lock
    try:
        code, output = module.run(command, tmp_path, dict(os.environ), lock_fd, said.append,
                                  "pip install")
    finally:
        os.close(lock_fd)
    assert (code, output) == (0, "done\n")
    assert len(said) >= 2 and said[0] == "pip install still runs (0 s so far)", said


def test_a_path_shown_in_a_command_never_reads_as_an_option(monkeypatch, tmp_path):
    """A project in a folder named -x: `cd -x` and `source -x/...` would take options."""
    monkeypatch.chdir(tmp_path)
    shell_path = scripts_module("bootstrap").shell_path
    assert shell_path(str(tmp_path / "-x" / ".venv" / "bin" / "activate")) == (
        "./-x/.venv/bin/activate" if os.name != "nt" else ".\\-x\\.venv\\bin\\activate")
    assert shell_path(str(tmp_path / "x")) == "x"


# Runs a script as Ctrl-C would stop it while it imports the rest of itself (_bootstrap).
CTRL_C_AT_IMPORT_WRAPPER = """
import builtins, runpy, sys
real_import = builtins.__import__
def importing(name, *args, **kwargs):
    if name == "_bootstrap":
        raise KeyboardInterrupt
    return real_import(name, *args, **kwargs)
builtins.__import__ = importing
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_ctrl_c_while_the_script_loads_is_a_sentence(project):
    result = run_bootstrap(project, wrapper=CTRL_C_AT_IMPORT_WRAPPER)
    assert result.returncode == 130
    assert result.stderr == "bootstrap: interrupted; run this script again to finish\n"


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
    add_dependency(project, "iniconfig")
    result = ok(run_bootstrap(project))
    assert "updating .venv: pyproject.toml changed" in result.stdout
    assert "created .venv" not in result.stdout
    assert (project / ".venv" / "pyvenv.cfg").stat().st_mtime_ns == cfg.st_mtime_ns
    pyproject = project / "pyproject.toml"
    assert stamp(project)["pyproject_sha256"] == hashlib.sha256(pyproject.read_bytes()).hexdigest()
    assert imports(venv_python(project), "iniconfig").returncode == 0


@pytest.mark.venv
@needs_uv
def test_missing_venv_python_is_rebuilt(project):
    ok(run_bootstrap(project))
    venv_python(project).unlink()
    result = ok(run_bootstrap(project))
    assert "rebuilding .venv: its interpreter" in result.stdout
    venv_is_complete(project)


@pytest.mark.venv
@needs_uv
def test_a_deleted_site_packages_is_rebuilt(project):
    """Every package gone, the interpreter still there: not "up to date"."""
    ok(run_bootstrap(project))
    lib = project / ".venv" / ("Lib" if os.name == "nt" else "lib")
    shutil.rmtree(lib)
    result = ok(run_bootstrap(project))
    assert "rebuilding .venv: its site-packages folder is gone" in result.stdout
    venv_is_complete(project)
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout


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
    venv_is_complete(project)


@pytest.mark.venv
@needs_uv
def test_moved_project_is_rebuilt(project):
    ok(run_bootstrap(project))
    moved = project.with_name("moved app")
    project.rename(moved)
    result = ok(run_bootstrap(moved))
    assert "the project moved" in result.stdout
    assert stamp(moved)["venv_python"] == str(venv_python(moved))
    venv_is_complete(moved)


def assert_no_partial_files(project: Path) -> None:
    """What a killed run may leave: whole files or none, never a truncated one."""
    venv = project / ".venv"
    stamp_file = venv / ".bootstrap-stamp"
    if stamp_file.exists():
        text = stamp_file.read_text()
        assert text.startswith("format 2\nkey ") and text.endswith("\n"), text
        assert "\ninit " in text and "\nenv_file " in text, text
    gitignore = venv / ".gitignore"
    if gitignore.exists():
        assert gitignore.read_text().strip() == "*"
    for layer in project.glob(".env*"):
        if layer.name != ".env.example" and "tmp" not in layer.name and layer.is_file():
            assert layer.stat().st_size > 0, f"{layer.name} is empty"


@pytest.mark.venv
@POSIX_ONLY
@pytest.mark.parametrize(("kill_when", "whom"), [
    ("venv folder made", "the whole group"),
    ("installing", "the whole group"),
    # The script alone: the pip it started goes on installing into the venv. The next
    # run must wait for it (it holds the lock), then repair, never crash.
    ("installing", "the script only"),
])
def test_killed_run_is_followed_by_a_healthy_one(project, kill_when, whom):
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
        if whom == "the script only":
            os.kill(process.pid, signal.SIGKILL)
        else:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    assert not (project / ".venv" / ".bootstrap-stamp").exists()
    assert_no_partial_files(project)
    result = ok(run_bootstrap(project))
    assert "rebuilding .venv" in result.stdout
    if whom == "the script only":  # pip was still installing: it held the lock
        assert "waiting for another run of this script" in result.stdout
    venv_is_complete(project)


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_a_kill_at_any_write_leaves_whole_files_and_a_repairable_project(project):
    # Kills the script (SIGKILL, no clean-up) at its 1st, 2nd, 3rd... change to the file
    # system, each time from what the previous kill left, until a run gets through.
    killed = []
    for target in range(1, 60):
        result = run_bootstrap(project, wrapper=KILL_AT_WRITE_WRAPPER,
                               env=make_env(KILL_AT=str(target)))
        if result.returncode != -signal.SIGKILL:
            break
        killed.append(result.stderr.splitlines()[-1])
        assert_no_partial_files(project)
    else:
        pytest.fail("every run was killed")
    ok(result)
    assert len(killed) >= 5, killed  # it did stop at several places
    assert_no_partial_files(project)
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
    venv_is_complete(project)


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_kills_at_random_moments_are_repaired_by_the_next_run(project):
    rng = random.Random(20261130)  # fixed: a failure can be replayed
    for round_ in range(6):
        process = subprocess.Popen(
            [sys.executable, str(project / "scripts" / "bootstrap.py")],
            cwd=project.parent, env=make_env(), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )
        time.sleep(rng.uniform(0.0, 1.5))
        with contextlib.suppress(ProcessLookupError):
            if round_ % 2:
                os.kill(process.pid, signal.SIGKILL)  # the tools it started go on
            else:
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert_no_partial_files(project)
    result = ok(run_bootstrap(project))
    assert "bootstrap: error" not in result.stderr
    assert all(layer.is_file() for layer in env_layers(project))
    venv_is_complete(project)


LEFTOVERS = ["empty", "uv tag only", "bootstrap marker", "lock only", "stamp without python"]


def leave(project: Path, leftover: str) -> Path:
    """What an interrupted creation of the venv leaves behind."""
    venv = project / ".venv"
    venv.mkdir()
    if leftover == "uv tag only":  # uv writes CACHEDIR.TAG first, pyvenv.cfg later
        (venv / "CACHEDIR.TAG").write_bytes(
            b"Signature: 8a477f597d28d172789f06886806bc55\n# created by uv\n")
        (venv / "bin").mkdir()
    elif leftover == "bootstrap marker":  # written before python -m venv starts
        (venv / ".bootstrap-owned").touch()
        (venv / "include").mkdir()
    elif leftover == "lock only":  # a run killed right after it made the folder
        (venv / ".bootstrap.lock").touch()
    elif leftover == "stamp without python":
        # What two runs at once used to leave: a stamp, no python, no pyvenv.cfg.
        (venv / ".bootstrap-stamp").write_text("format 2\nkey -\n")
        (venv / "lib").mkdir()
    return venv


@pytest.mark.parametrize("leftover", LEFTOVERS)
def test_leftovers_of_an_interrupted_creation_are_recognised_and_emptied(project, leftover):
    """Each leftover is the script's to rebuild: it plans a new venv and empties the
    folder down to its marker and lock (what it does before making the venv)."""
    worker = scripts_module("_bootstrap")
    venv = worker.Venv(leave(project, leftover))
    info = worker.Project(project)
    assert venv.is_ours()
    action, _ = worker.plan(info, venv, worker.read_full_stamp(venv), worker.Args(), None)
    assert action == "create"
    worker.empty_dir(info, venv)
    assert {child.name for child in venv.dir.iterdir()} <= {".bootstrap-owned", ".bootstrap.lock"}


@pytest.mark.venv
@needs_uv
@pytest.mark.parametrize("leftover", ["uv tag only", "stamp without python"])
def test_leftovers_of_an_interrupted_creation_are_rebuilt(project, leftover):
    leave(project, leftover)
    ok(run_bootstrap(project))
    venv_is_complete(project)


@pytest.mark.venv
def test_a_pip_configuration_asking_for_user_installs_does_not_stop_it(project, tmp_path):
    """`user = true` in a pip.conf: pip would refuse to install into the venv."""
    conf = tmp_path / "pip.conf"
    conf.write_text("[install]\nuser = true\n")
    result = ok(run_bootstrap(project, "--installer", "pip",
                              env=make_env(uv=False, PIP_CONFIG_FILE=str(conf))))
    assert "installed the project (pip" in result.stdout
    found = imports(venv_python(project), "pytest", "dotenv")
    assert found.returncode == 0, found.stderr


@pytest.mark.venv
@pytest.mark.parametrize("setting", ["install.target", "global.prefix", "install.root",
                                     "global.python"])
def test_a_pip_configuration_installing_elsewhere_stops_it_naming_the_setting(
        project, tmp_path, setting):
    """pip.conf's target, prefix, root or python: pip would put the packages there, not
    in the venv, and the environment cannot unset them: the run stops before pip
    installs. The file is named relative to the project, where pip runs."""
    section, option = setting.split(".")
    conf = project / "pip.conf"
    elsewhere = tmp_path / "elsewhere"
    value = elsewhere
    if option == "python":  # another venv's interpreter, which pip would install into
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(elsewhere)],
                       check=True)
        value = venv_python(elsewhere.parent, elsewhere.name)
    before = sorted(elsewhere.rglob("*")) if elsewhere.exists() else []
    conf.write_text(f"[{section}]\n{option} = {value}\n")
    result = run_bootstrap(project, "--installer", "pip",
                           env=make_env(uv=False, PIP_CONFIG_FILE="pip.conf"))
    assert result.returncode == 2, result.stderr
    assert f"pip's configuration sets {setting}: pip would install the project there, " \
           "not into .venv" in result.stderr
    assert "pip config debug" in result.stderr and "--installer uv" in result.stderr
    assert (sorted(elsewhere.rglob("*")) if elsewhere.exists() else []) == before
    assert "installed the project" not in result.stdout


@pytest.mark.venv
@needs_uv
def test_an_installer_configuration_installing_elsewhere_stops_it_after_the_install(
        project, tmp_path_factory):
    """uv.toml's [pip] target: uv puts the packages there and succeeds. The project is
    not in the venv: the run stops, and no stamp makes the next run skip the install."""
    # Not in a folder above the project, where uv would find it without UV_CONFIG_FILE.
    elsewhere = tmp_path_factory.mktemp("uv-config") / "elsewhere"
    conf = elsewhere.parent / "uv.toml"
    conf.write_text(f'[pip]\ntarget = "{elsewhere}"\n')
    result = run_bootstrap(project, env=make_env(UV_CONFIG_FILE=str(conf)))
    assert result.returncode == 1, result.stderr
    assert "uv pip install succeeded, but demo-app is not installed in .venv: a " \
           "configuration sends the installs elsewhere" in " ".join(result.stderr.split())
    assert elsewhere.is_dir()
    again = ok(run_bootstrap(project))
    assert "installed the project (uv pip install" in again.stdout
    found = imports(venv_python(project), "pytest", "dotenv")
    assert found.returncode == 0, found.stderr


@POSIX_ONLY
@pytest.mark.parametrize("name", [".bootstrap.lock", ".bootstrap-owned"])
def test_a_link_planted_as_one_of_its_files_is_refused_and_nothing_is_made_elsewhere(
        project, tmp_path, name):
    """A symbolic link in the venv folder named as the lock or the marker: opening it
    would create its target anywhere (as root, /etc/nologin)."""
    (project / ".venv").mkdir()
    target = tmp_path / "outside" / "created"
    target.parent.mkdir()
    (project / ".venv" / name).symlink_to(target)
    result = run_bootstrap(project, env=make_env(uv=False))
    assert result.returncode == 2, result.stderr
    if name == ".bootstrap.lock":
        assert (f".venv/{name} is a symbolic link; this script's files in the venv folder "
                "never are: delete it, then run this script again") in result.stderr
    else:  # a folder holding anything but its lock is not taken for one of its own
        assert ".venv exists" in result.stderr
    assert not target.exists()


@pytest.mark.venv
@POSIX_ONLY
def test_concurrent_runs_wait_for_each_other(project):
    first = subprocess.Popen(
        [sys.executable, str(project / "scripts" / "bootstrap.py"), "--installer", "pip"],
        cwd=project.parent, env=make_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in first.stdout:
            if "installing the project" in line:
                break
        assert first.poll() is None
        second = run_bootstrap(project, "--installer", "pip")
        first_rest = first.stdout.read()
    finally:
        first.wait(timeout=600)
        first.stdout.close()
    assert first.returncode == 0, first_rest
    ok(second)
    assert "waiting for another run of this script" in second.stdout
    # It waited, then found the venv the first run made complete.
    assert "is up to date" in second.stdout and "rebuilding" not in second.stdout
    venv_is_complete(project)


@POSIX_ONLY
def test_a_lock_held_too_long_fails_with_a_sentence(project, capsys):
    worker = scripts_module("_bootstrap")
    venv_dir = project / ".venv"
    venv_dir.mkdir()
    lock = venv_dir / ".bootstrap.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        project_info = worker.Project(project)
        progress = scripts_module("bootstrap").Progress(False)
        with pytest.raises(worker.Stop) as stopped:
            with worker.venv_lock(worker.Venv(venv_dir), project_info, progress, timeout=0.5):
                pytest.fail("got a lock that another process holds")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert stopped.value.code == 2
    assert "has held .venv/.bootstrap.lock for 0.5 seconds; let it finish or stop it" in (
        stopped.value.message)
    assert "waiting for another run of this script" in capsys.readouterr().out
    # Free again: the lock is taken at once.
    with worker.venv_lock(worker.Venv(venv_dir), project_info, progress, timeout=0.5):
        pass


# --------------------------------------------------------------------------- refusals


def follow_advice(project: Path, stderr: str) -> None:
    """Run the command the refusal's last line gives, from the cwd the script ran in."""
    command = stderr.strip().splitlines()[-1].strip()
    subprocess.run(["sh", "-c", command], cwd=project.parent.parent, check=True)


@POSIX_ONLY
@pytest.mark.parametrize(("name", "target"), [
    (".venv", ".venv"), (".venv", "missing"), (".env", ".env"),
    (".venv", "src"), (".venv", "README.md"), (".venv", "{outside}"),
])
def test_a_venv_or_env_path_that_is_a_symbolic_link_is_named_as_one(project, tmp_path, name,
                                                                     target):
    """A link at the venv's or the env file's path: the refusal names the link, never
    advises moving what it points to (src/, README.md), and shows no traceback."""
    outside = tmp_path / "elsewhere-venv"
    outside.mkdir()
    (outside / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (project / name).symlink_to(target.format(outside=outside))
    before = tree_snapshot(project)
    result = run_bootstrap(project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    said = result.stderr
    if target in (name, "missing"):
        assert f"{name} is a symbolic link that leads nowhere" in said
    elif target == "{outside}":
        assert "through the symbolic link .venv" in said and "remove the link" in said
    else:
        assert f".venv is a symbolic link to {target}, which is not a virtual environment" in said
        assert "Remove the link" in said and "Move or rename" not in said
    assert tree_snapshot(project) == before
    assert (outside / "pyvenv.cfg").is_file() and sorted(outside.iterdir()) == [
        outside / "pyvenv.cfg"]


@pytest.mark.venv
@POSIX_ONLY
def test_an_env_file_that_links_out_of_the_project_is_read_where_it_leads(project, tmp_path):
    """A .env kept in a secrets store: the bootstrap makes the venv, init keeps it (only
    its folder is written, and it exists), and the settings read it."""
    store = tmp_path / "store.env"
    store.write_text("SECRET_KEY=from-the-store\n")
    (project / ".env").symlink_to(store)
    result = ok(run_bootstrap(project))
    assert not (project / ".env.local").exists() and ".env" in result.stdout
    assert store.read_text() == "SECRET_KEY=from-the-store\n"
    code = ("from demo_app.settings import load_settings; "
            "print(load_settings().secret_key.get_secret_value())")
    loaded = subprocess.run([str(venv_python(project)), "-c", code], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert loaded.stdout == "from-the-store\n", loaded.stderr


@POSIX_ONLY
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_pyproject_that_is_no_regular_file_is_refused_without_reading_it(project, kind):
    pyproject = project / "pyproject.toml"
    pyproject.unlink()
    if kind == "fifo":
        os.mkfifo(pyproject)
    elif kind == "dev-zero":
        pyproject.symlink_to("/dev/zero")
    else:
        pyproject.mkdir()
    result = run_bootstrap(project, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "pyproject.toml is not a regular file" in result.stderr
    assert not (project / ".venv").exists()


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


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_env_folder_made_after_the_bootstrap_is_still_refused(uv_project):
    project, _ = uv_project
    folder = project / ".env"
    saved = project / ".env.saved-by-test"
    if folder.exists():
        folder.rename(saved)
    folder.mkdir()
    try:
        result = run_bootstrap(project)
        assert result.returncode == 2
        assert ".env is a folder, but" in result.stderr
    finally:
        folder.rmdir()
        if saved.exists():
            saved.rename(folder)


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
    assert ("holds '..'" if ".." in venv_dir else "not inside the project") in result.stderr
    assert not (project.parent / "elsewhere").exists()


@pytest.mark.parametrize("env_file", ["..", "sub/..", "config/../../x.env"])
def test_an_env_file_path_through_a_parent_folder_is_refused(project, env_file):
    """Copy time and the loader refuse '..' too; the bootstrap took `sub/..` for a file."""
    pyproject = project / "pyproject.toml"
    text, count = re.subn(r"(?m)^env-file = .*$", f"env-file = {json.dumps(env_file)}",
                          pyproject.read_text())
    assert count == 1
    pyproject.write_text(text)
    result = run_bootstrap(project)
    assert result.returncode == 2, result.stderr
    assert f"env-file = {env_file!r} holds '..'" in result.stderr
    assert not (project / ".venv").exists()


@pytest.mark.parametrize("venv_dir", ["C:/x", "a:b"])
def test_venv_dir_with_a_colon_is_refused_before_anything_is_made(project, venv_dir):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'venv-dir = ".venv"', f"venv-dir = {json.dumps(venv_dir)}"))
    before = sorted(path.name for path in project.iterdir())
    result = run_bootstrap(project)
    assert result.returncode == 2
    assert f"venv-dir = {venv_dir!r} holds ':'" in result.stderr
    assert sorted(path.name for path in project.iterdir()) == before


@pytest.mark.parametrize(("key", "value"), [("venv-dir", ".venv\nx"), ("env-file", ".env\u0000"),
                                          ("venv-dir", "a\tb")])
def test_a_location_with_a_control_character_is_refused_before_anything_is_made(
        project, key, value):
    """A line break in venv-dir made a whole venv, then failed writing the stamp on
    every run; a NUL failed with a traceback."""
    pyproject = project / "pyproject.toml"
    text, count = re.subn(rf"(?m)^{key} = .*$", lambda _: f"{key} = {json.dumps(value)}",
                          pyproject.read_text())
    assert count == 1
    pyproject.write_text(text)
    before = sorted(path.name for path in project.iterdir())
    result = run_bootstrap(project)
    assert result.returncode == 2, result.stderr
    assert f"[tool.copier-venv-dotenv] {key} holds a control character" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(path.name for path in project.iterdir()) == before


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
    assert not (project / ".venv").exists()


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
    assert not (project / ".venv").exists()


def test_short_quiet_flag_is_parsed_without_argparse():
    worker = scripts_module("_bootstrap")
    assert worker._parse_common(["-q"]).quiet is True
    assert worker._parse_common(["-q", "--recreate"]).recreate is True
    assert worker._parse_common(["--python=3.12", "--installer", "pip"]) == worker.Args(
        python="3.12", installer="pip")
    assert worker._parse_common(["--installer", "conda"]) is None
    assert worker._argparse(["-q"]).quiet is True


@pytest.mark.venv
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_install_failure_shows_the_installer_message_and_leaves_no_stamp(project, installer):
    if installer == "uv" and UV is None:
        pytest.skip(unavailable("uv"))
    pyproject = project / "pyproject.toml"
    original = pyproject.read_text()
    add_dependency(project, "no-such-package-cvd==9.9.9")
    # Offline: fails fast and never asks a real index about a made-up name.
    env = make_env(UV_OFFLINE="1", PIP_NO_INDEX="1")
    result = run_bootstrap(project, "--installer", installer, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bootstrap: error:" in result.stderr and "failed" in result.stderr
    assert "Traceback" not in result.stderr
    # The installer's own explanation is shown, not only ours.
    assert re.search(r"no-such-package-cvd|hatchling|No matching distribution|not found",
                     result.stderr, re.I), result.stderr
    assert not (project / ".venv" / ".bootstrap-stamp").exists()
    # Fixed, the next run ends healthy.
    if installer == "uv":
        pyproject.write_text(original)
        ok(run_bootstrap(project))
        venv_is_complete(project)


# --------------------------------------------------------------------------- env files


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_env_file_is_private_whatever_the_umask(uv_project, umask):
    project, _ = uv_project
    (layer,) = env_layers(project)
    with restored(layer):
        layer.unlink()  # a recorded env file vanished: the next run makes it again
        result = ok(run_bootstrap(project, umask=umask))
        assert f"created {layer.name} from .env.example" in result.stdout
        assert layer.stat().st_mode & 0o777 == 0o600


@pytest.mark.venv
@needs_uv
def test_secrets_are_random_and_never_printed(uv_project):
    project, _ = uv_project
    (layer,) = env_layers(project)
    values = []
    with restored(layer):
        for _ in range(2):
            layer.unlink()
            result = ok(run_bootstrap(project))
            env = dotenv_values(layer)
            secret = env["SECRET_KEY"]
            assert len(secret) >= 32
            assert secret not in result.stdout + result.stderr
            values.append(secret)
            # Everything else is as the example has it; a variable with a default is
            # there commented out (so .env.<mode> files can set it).
            example = dotenv_values(project / ".env.example")
            text = layer.read_text()
            for key, value in example.items():
                if key != "SECRET_KEY":
                    assert env.get(key, value) == value, key
                    assert key in env or f"\n# {key}=" in text, key
    assert values[0] != values[1]


@pytest.mark.venv
@needs_uv
def test_existing_env_file_is_never_modified(uv_project):
    project, _ = uv_project
    (layer,) = env_layers(project)
    with restored(layer):
        layer.write_text("SECRET_KEY=\nMINE=1\n")
        layer.chmod(0o644)
        before = layer.stat()
        ok(run_bootstrap(project, "--recreate"))  # a full run, init included
        after = layer.stat()
        assert layer.read_text() == "SECRET_KEY=\nMINE=1\n"
        assert (after.st_mode, after.st_mtime_ns) == (before.st_mode, before.st_mtime_ns)


@pytest.mark.venv
@needs_uv
def test_a_changed_example_or_settings_module_runs_init_again(uv_project):
    """What a copier update changes besides pyproject.toml (a new variable in settings.py
    and .env.example, an engine file): the next run says what the env files now lack,
    and an engine that no longer imports (conflict markers) is a warning."""
    project, _ = uv_project
    settings = project / "src" / "demo_app" / "settings.py"
    example = project / ".env.example"
    engine = project / "src" / "demo_app" / "_settings" / "_rules.py"
    marker = "# from the env_vars answer and keeps these.\n"
    with restored(settings, example, engine):
        settings.write_text(settings.read_text().replace(marker, marker + "    api_key: Secret\n"))
        with example.open("a") as handle:
            handle.write("API_KEY=\n")
        result = ok(run_bootstrap(project))
        assert "is up to date" in result.stdout
        assert "note: API_KEY is required and in no env file: add it to .env.local" in (
            result.stdout)
        engine.write_text(engine.read_text() + "<<<<<<< before updating\n")
        result = ok(run_bootstrap(project))
        assert "init` failed (exit 1); run it to see why" in result.stderr, result.stderr
    assert "is up to date" in ok(run_bootstrap(project)).stdout


@pytest.mark.venv
@needs_uv
def test_notes_of_the_settings_module_are_printed_never_values(uv_project):
    # What `copier update` leaves: an env file that misses a new variable, and a changed
    # pyproject.toml (the update refreshed its block), so the bootstrap re-syncs and runs
    # init again.
    project, _ = uv_project
    base = project / ".env.local"  # the private env file init made
    assert env_layers(project) == [base]
    pyproject = project / "pyproject.toml"
    with restored(base, pyproject):
        base.write_text('LOG_LEVEL=DEBUG\nDEBUG=true\nSECRET_KEY=s3cr3t-value\n'
                        'export OLD_TOKEN="old-value\nPORT=not-a-name\n"\n')
        base.chmod(0o600)
        pyproject.write_text(pyproject.read_text() + "\n# refreshed by an update\n")
        before = base.read_bytes(), base.stat().st_mtime_ns
        result = ok(run_bootstrap(project))
        assert "updating .venv: pyproject.toml changed" in result.stdout
        assert "kept existing .env.local" in result.stdout
        notes = [line for line in result.stdout.splitlines() if "note: " in line]
        # DATABASE_URL has a default: leaving it out is fine, not a note.
        assert notes and any("OLD_TOKEN" in note for note in notes), result.stdout
        assert not any("DATABASE_URL" in note for note in notes), result.stdout
        for value in ("s3cr3t-value", "old-value", "not-a-name"):
            assert value not in result.stdout + result.stderr
        assert (base.read_bytes(), base.stat().st_mtime_ns) == before
        assert stamp(project)["layer"] == [str(base)]
        # Quiet: notes are not errors.
        base.rename(project / ".env.moved")
        try:
            quiet = ok(run_bootstrap(project, "-q"))
        finally:
            (project / ".env.moved").rename(base)
        assert quiet.stdout == ""
    ok(run_bootstrap(project))


@pytest.mark.venv
def test_another_active_venv_is_named(bootstrapped_project, tmp_path):
    project = bootstrapped_project.path
    other = tmp_path / "other venv"
    for wrapper in (True, None):  # the short no-op and the full run alike
        args = () if wrapper else ("--installer", "uv")
        result = ok(run_bootstrap(project, *args, env=make_env(VIRTUAL_ENV=str(other)),
                                  wrapper=wrapper))
        assert f"another venv is active ({other})" in result.stdout
        assert str(project / ".venv") in result.stdout


@pytest.mark.venv
@needs_uv
@POSIX_ONLY
def test_an_env_file_that_is_a_pipe_never_blocks(uv_project):
    project, _ = uv_project
    (layer,) = env_layers(project)
    base = project / ".env"
    with restored(layer):
        layer.unlink()
        # E.g. a secrets manager that serves the env file through a named pipe.
        os.mkfifo(base)
        try:
            for args in ((), ("--recreate",), ()):
                ok(run_bootstrap(project, *args, timeout=120))
        finally:
            base.unlink()
    ok(run_bootstrap(project))


SETTINGS_FAILURES = {
    # settings module name, module source (None: no such module), expected sentence
    "missing": ("demo_app.no_such_settings", None,
                "the settings module demo_app.no_such_settings cannot be imported"),
    "needs a missing package": ("demo_app.failing_settings",
                                "import no_such_dependency_cvd\n",
                                "imports no_such_dependency_cvd, which is not installed"),
    "reports a problem": ("demo_app.failing_settings",
                          "import sys\nsys.stderr.write('.env.example line 3: FOO has no "
                          "value\\n')\nsys.exit(1)\n",
                          "found the problem above"),
    "crashes": ("demo_app.failing_settings",
                "raise ValueError('invalid value s3cr3t-value')\n",
                "failed (exit 1); run it to see why"),
    "prints no JSON": ("demo_app.failing_settings", "print('hello')\n",
                       "did not print the JSON this script expects"),
    "has no init": ("demo_app.failing_settings",
                    "import argparse\np = argparse.ArgumentParser()\n"
                    "p.add_argument('command', choices=['check'])\np.parse_args()\n",
                    "has no init command"),
}


@pytest.mark.venv
@needs_uv
@pytest.mark.parametrize("case", list(SETTINGS_FAILURES))
def test_each_settings_failure_is_one_sentence_without_values(uv_project, case, capsys):
    """run_init, in-process, against a real venv: the sentence for each way the settings
    module can fail. The next test runs one of them through the whole script."""
    project, _ = uv_project
    module, source, sentence = SETTINGS_FAILURES[case]
    worker = scripts_module("_bootstrap")
    module_file = project / "src" / "demo_app" / "failing_settings.py"
    if source is not None:
        module_file.write_text(source)
    try:
        info = worker.Project(project)
        info.settings = module
        outcome = worker.run_init(info, worker.Venv(project / ".venv"))
    finally:
        module_file.unlink(missing_ok=True)
    printed = capsys.readouterr().err
    assert isinstance(outcome, str) and sentence in outcome, outcome
    assert "\n" not in outcome
    assert "Traceback" not in outcome + printed and "s3cr3t-value" not in outcome + printed
    if case == "reports a problem":
        assert ".env.example line 3: FOO has no value" in printed


@pytest.mark.venv
@needs_uv
def test_a_failing_settings_module_is_one_sentence_and_the_venv_stays_ready(project):
    module, source, sentence = SETTINGS_FAILURES["crashes"]
    module_file = project / "src" / "demo_app" / "failing_settings.py"
    # Fails only while FAIL exists, then runs the real init: fixing it needs no change to
    # pyproject.toml.
    module_file.write_text(
        "import pathlib, runpy\nif not (pathlib.Path.cwd() / 'FAIL').exists():\n"
        f"    runpy.run_module({current_settings_module(project)!r}, "
        "run_name='__main__', alter_sys=True)\n"
        "    raise SystemExit(0)\n" + source)
    (project / "FAIL").touch()
    set_settings_module(project, module)
    result = run_bootstrap(project)
    assert result.returncode == 0, result.stdout + result.stderr
    warning = [line for line in result.stderr.splitlines() if line.startswith("bootstrap:")]
    assert len(warning) == 1 and warning[0].startswith("bootstrap: warning: "), result.stderr
    assert sentence in warning[0]
    rerun = "python3 'parent with spaces/demo app/scripts/bootstrap.py'"  # works from the cwd
    assert (f"The venv is ready; fix this, "
            f"then run {rerun} again (it never changes an env file that exists)") in warning[0]
    assert "Traceback" not in result.stderr and "s3cr3t-value" not in result.stderr
    assert stamp(project)["init"] == "failed"
    venv_is_complete(project)
    # Fixed: the next run, with nothing else changed, sets the env file up.
    (project / "FAIL").unlink()
    fixed = ok(run_bootstrap(project))
    assert "is up to date" in fixed.stdout and "created " in fixed.stdout
    assert stamp(project)["init"] == "ok"
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout


def current_settings_module(project: Path) -> str:
    """The module init runs in: the one pyproject.toml names, else the engine's."""
    match = re.search(r'(?m)^settings = "(.*)"', (project / "pyproject.toml").read_text())
    return match[1] if match else "demo_app.settings"


@pytest.mark.venv
@needs_uv
def test_init_that_hangs_is_stopped_with_a_sentence(uv_project, monkeypatch):
    project, _ = uv_project
    worker = scripts_module("_bootstrap")
    hangs = project / "src" / "demo_app" / "hanging_settings.py"
    hangs.write_text("import time\ntime.sleep(600)\n")
    try:
        info = worker.Project(project)
        info.settings = "demo_app.hanging_settings"
        monkeypatch.setattr(worker, "INIT_TIMEOUT", 1.0)
        started = time.monotonic()
        outcome = worker.run_init(info, worker.Venv(project / ".venv"))
        assert time.monotonic() - started < 60
        assert isinstance(outcome, str)
        assert "did not finish within 1 seconds and was stopped" in outcome
    finally:
        hangs.unlink()


@pytest.mark.venv
@needs_uv
def test_no_settings_module_is_a_note(project):
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(re.sub(r'(?m)^settings = ".*"\n', "", text))
    for folder in (project / "src" / "demo_app").glob("_settings"):
        shutil.rmtree(folder)  # a project without the settings engine
    result = ok(run_bootstrap(project))
    assert "note: no settings module" in result.stdout
    assert result.stderr == ""
    assert stamp(project)["init"] == "none"
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout


# --------------------------------------------------------------------------- dependencies


GROUPS_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "grouped"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = []

[project.optional-dependencies]
dev = ["iniconfig"]
docs-extra = ["tomli-w"]

# Shaped like copier-uv's: default groups named, one group including another.
[dependency-groups]
maintain = ["packaging"]
ci = [{include-group = "maintain"}, "pluggy"]
docs = ["tomli-w"]

[tool.uv]
default-groups = ["maintain", "ci"]

[tool.copier-venv-dotenv]
venv-dir = ".venv"
"""


def grouped_project(base: Path) -> Path:
    """A small package whose tools are in dependency groups, with this bootstrap."""
    project = base / "parent with spaces" / "grouped"
    (project / "src" / "grouped").mkdir(parents=True)
    (project / "src" / "grouped" / "__init__.py").write_text("")
    (project / "scripts").mkdir()
    for script in SCRIPTS.glob("*.py"):
        shutil.copy2(script, project / "scripts" / script.name)
    (project / "pyproject.toml").write_text(GROUPS_PYPROJECT)
    return project


def installed(project: Path) -> set[str]:
    """Distribution names installed in the project's venv."""
    code = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
    result = subprocess.run([str(venv_python(project)), "-I", "-c", code],
                            capture_output=True, text=True, check=True)
    return {re.sub(r"[-_.]+", "-", name).lower() for name in result.stdout.split()}


@pytest.mark.venv
@needs_uv
def test_default_groups_and_dev_extra_with_uv(tmp_path):
    project = grouped_project(tmp_path)
    result = ok(run_bootstrap(project))
    assert ("installed the project (uv pip install; groups: maintain, ci; extras: dev)"
            in result.stdout)
    assert {"grouped", "packaging", "pluggy", "iniconfig"} <= installed(project)
    assert "tomli-w" not in installed(project)  # neither a default group nor a dev extra
    # With a lock, uv sync: the same groups, as uv itself reads them.
    lock = subprocess.run([UV, "lock", "--quiet"], cwd=project, capture_output=True, text=True,
                          env=make_env())
    assert lock.returncode == 0, lock.stderr
    result = ok(run_bootstrap(project))
    assert "updating .venv: uv.lock changed" in result.stdout
    assert "installed the project (uv sync, uv.lock; groups: maintain, ci; extras: dev)" in (
        result.stdout)
    assert {"grouped", "packaging", "pluggy", "iniconfig"} <= installed(project)
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout


DYNAMIC_PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "legacyreqs"
version = "0.1.0"
requires-python = ">=3.11"
dynamic = ["dependencies"]

[tool.setuptools.dynamic]
dependencies = {file = ["requirements/base.txt"]}
"""


@pytest.mark.venv
@needs_uv
def test_a_changed_requirements_file_resyncs_the_venv(tmp_path):
    """Requirements that pyproject.toml only points at (setuptools' dynamic file, a
    setup.py reading requirements.txt) are inputs too: changing one re-syncs."""
    project = grouped_project(tmp_path)
    (project / "pyproject.toml").write_text(DYNAMIC_PYPROJECT)
    (project / "src" / "grouped").rename(project / "src" / "legacyreqs")
    (project / "requirements").mkdir()
    requirements = project / "requirements" / "base.txt"
    requirements.write_text("packaging\n")
    ok(run_bootstrap(project))
    assert str(requirements) in (project / ".venv" / ".bootstrap-stamp").read_text()
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
    requirements.write_text("packaging\niniconfig\n")
    result = ok(run_bootstrap(project))
    assert "updating .venv: a requirements file, setup.py or setup.cfg changed" in result.stdout
    assert "iniconfig" in installed(project)
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
    # A setup.py that appears is one too (it may read requirements.txt), and so is a
    # file of a requirements/ folder.
    (project / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    assert "a requirements file, setup.py or setup.cfg changed" in ok(
        run_bootstrap(project)).stdout
    (project / "requirements" / "dev.txt").write_text("pluggy\n")
    assert "a requirements file, setup.py or setup.cfg changed" in ok(
        run_bootstrap(project)).stdout


TOOLS_ONLY_PYPROJECT = """\
[tool.ruff]
line-length = 100

[tool.copier-venv-dotenv]
venv-dir = ".venv"
"""


def wheel_of_a_module(folder: Path, name: str) -> Path:
    """A pure-Python wheel holding the module ``name`` (no build backend, no index)."""
    import base64
    import zipfile

    files = {f"{name}.py": f"NAME = {name!r}\n",
             f"{name}-0.1.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n",
             f"{name}-0.1.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\n"
                                            "Root-Is-Purelib: true\nTag: py3-none-any\n"}
    def digest(text: str) -> str:
        raw = hashlib.sha256(text.encode()).digest()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    record = [f"{path},sha256={digest(text)},{len(text.encode())}" for path, text in files.items()]
    files[f"{name}-0.1.dist-info/RECORD"] = "\n".join([*record, f"{name}-0.1.dist-info/RECORD,,"]) + "\n"
    wheel = folder / f"{name}-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


@pytest.mark.venv
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_root_requirement_files_are_installed_a_hashed_one_on_its_own(tmp_path, installer):
    """requirements.txt and requirements-dev.txt at the root: installed with the project,
    as such projects tell people to do (pip install -r); a file pinned with --hash, which
    pip installs only alone, in a command of its own. A change to one re-syncs."""
    if installer == "uv" and UV is None:
        pytest.skip(unavailable("uv"))
    project = grouped_project(tmp_path)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (project / "requirements.txt").write_text(f"{wheel_of_a_module(wheels, 'alpha')}\n")
    hashed = wheel_of_a_module(wheels, "beta")
    digest = hashlib.sha256(hashed.read_bytes()).hexdigest()
    (project / "requirements-dev.txt").write_text(
        f"beta @ {hashed.as_uri()} \\\n    --hash=sha256:{digest}\n")

    result = ok(run_bootstrap(project, "--installer", installer, env=make_env(uv=installer == "uv")))

    tool = "uv pip install" if installer == "uv" else "pip install"
    # The venv's own pip may predate dependency groups: then this script reads them.
    assert re.search(rf"installed the project \({tool} -r requirements-dev\.txt; "
                     rf"(uv )?pip [^;]*install[^;]*, requirements\.txt; groups: maintain, ci; "
                     r"extras: dev\)", result.stdout), result.stdout
    assert {"alpha", "beta", "grouped", "packaging", "pluggy"} <= installed(project)
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
    (project / "requirements.txt").write_text(f"{wheel_of_a_module(wheels, 'gamma')}\n")
    result = ok(run_bootstrap(project, env=make_env(uv=installer == "uv")))
    assert "a requirements file, setup.py or setup.cfg changed" in result.stdout
    assert "gamma" in installed(project)
    # A file that appears later is seen at once (the quick check watched it, absent).
    (project / "dev-requirements.txt").write_text(f"{wheel_of_a_module(wheels, 'delta')}\n")
    result = ok(run_bootstrap(project, env=make_env(uv=installer == "uv")))
    assert "a requirements file, setup.py or setup.cfg changed" in result.stdout
    assert "delta" in installed(project)


@pytest.mark.venv
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_pdms_and_hatchs_development_dependencies_are_installed(tmp_path, installer):
    """[tool.pdm.dev-dependencies]: `pdm install` installs every group; so does the
    bootstrap, but PDM's own editable form, which only PDM expands. Hatch's default
    environment alike."""
    if installer == "uv" and UV is None:
        pytest.skip(unavailable("uv"))
    project = grouped_project(tmp_path)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    alpha = wheel_of_a_module(wheels, "alpha")
    (project / "pyproject.toml").write_text(GROUPS_PYPROJECT.replace(
        "[tool.uv]", f'[tool.pdm.dev-dependencies]\ntest = ["{alpha.as_uri()}"]\n'
        'lint = ["-e file:///${PROJECT_ROOT}/tools/lint"]\n\n[tool.uv]'))
    result = ok(run_bootstrap(project, "--installer", installer,
                              env=make_env(uv=installer == "uv")))
    assert "; PDM dev-dependencies: test, lint)" in result.stdout
    assert {"alpha", "grouped", "packaging"} <= installed(project)
    # Hatch's default environment, the tools of `hatch shell`; its {root:uri} fields are
    # Hatch's to expand.
    beta = wheel_of_a_module(wheels, "beta")
    (project / "pyproject.toml").write_text(GROUPS_PYPROJECT.replace(
        "[tool.uv]", f'[tool.hatch.envs.default]\ndependencies = ["{beta.as_uri()}", '
        '"tools @ {root:uri}/tools"]\n\n[tool.uv]'))
    result = ok(run_bootstrap(project, env=make_env(uv=installer == "uv")))
    assert "; Hatch's default environment)" in result.stdout
    assert "beta" in installed(project)


@pytest.mark.venv
@needs_uv
def test_a_project_with_tool_settings_only_gets_its_requirements_and_uv_lock_wins(tmp_path):
    """pyproject.toml without [project] (tools' settings only) and a requirements.txt:
    the venv gets the requirements. With uv.lock, uv sync alone decides: said."""
    project = grouped_project(tmp_path)
    (project / "pyproject.toml").write_text(TOOLS_ONLY_PYPROJECT)
    (project / "requirements.txt").write_text("packaging\n")
    result = ok(run_bootstrap(project))
    assert "packaging" in installed(project)
    assert "requirements.txt" in result.stdout

    (project / "pyproject.toml").write_text(GROUPS_PYPROJECT)
    lock = subprocess.run([UV, "lock", "--quiet"], cwd=project, capture_output=True, text=True,
                          env=make_env())
    assert lock.returncode == 0, lock.stderr
    result = ok(run_bootstrap(project))
    assert ("note: uv.lock decides what the venv holds: requirements.txt is not installed; "
            "add what the project needs to pyproject.toml and run uv lock") in result.stdout
    assert "installed the project (uv sync, uv.lock;" in result.stdout


@pytest.mark.venv
def test_default_groups_with_an_old_pip_then_a_new_one(tmp_path):
    project = grouped_project(tmp_path)
    result = ok(run_bootstrap(project, env=make_env(uv=False)))
    worker = scripts_module("_bootstrap")
    version = worker.Venv(project / ".venv").pip_version()
    if version >= worker.PIP_WITH_GROUPS:
        pytest.skip(f"this Python's venv comes with pip {version}, which reads groups itself")
    # pip before 25.1 has no --group: the script resolved the groups (include-group too).
    assert re.search(r"installed the project \(pip [\d.]+ install, groups read by this "
                     r"script; groups: maintain, ci; extras: dev\)", result.stdout), result.stdout
    assert {"grouped", "packaging", "pluggy", "iniconfig"} <= installed(project)
    assert "tomli-w" not in installed(project)
    # A pip that reads groups itself gets --group.
    upgrade = subprocess.run([str(venv_python(project)), "-m", "pip", "install", "-q",
                              "--disable-pip-version-check", "pip>=25.1"],
                             capture_output=True, text=True, env=make_env())
    assert upgrade.returncode == 0, upgrade.stderr
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pluggy"]', '"pluggy", "tomli-w"]'))
    result = ok(run_bootstrap(project, env=make_env(uv=False)))
    assert "installed the project (pip install; groups: maintain, ci; extras: dev)" in (
        result.stdout)
    assert "tomli-w" in installed(project)


@pytest.mark.venv
@needs_uv
def test_extras_only_project_like_sampleproject(tmp_path):
    if PEERS is None:
        pytest.skip(unavailable("the peer bundles", PEERS_FIX))
    bundle = PEERS / "sampleproject.bundle"
    project = tmp_path / "parent with spaces" / "sampleproject"
    subprocess.run(["git", "clone", "-q", str(bundle), str(project)], check=True)
    (project / "scripts").mkdir()
    for script in SCRIPTS.glob("*.py"):
        shutil.copy2(script, project / "scripts" / script.name)
    result = ok(run_bootstrap(project))
    # setuptools, extras dev and test, no dependency groups; no settings module.
    assert "installed the project (uv pip install; extras: dev, test)" in result.stdout
    assert "note: no settings module" in result.stdout
    assert {"sampleproject", "peppercorn", "check-manifest", "coverage"} <= installed(project)
    tests = subprocess.run([str(venv_python(project)), "-m", "unittest", "-q"], cwd=project,
                           capture_output=True, text=True)
    assert tests.returncode == 0, tests.stderr
    assert "is up to date" in ok(run_bootstrap(project, wrapper=True)).stdout
    # The venv keeps itself out of git (their .gitignore names venv/, not .venv/).
    assert git(project, "status", "--porcelain") == "?? scripts/\n"


@pytest.mark.parametrize(("groups", "default", "expected"), [
    ({"dev": ["a"], "docs": ["b"]}, None, ["a"]),
    ({"docs": ["b"]}, None, []),
    ({"Dev_Tools": ["a"], "ci": [{"include-group": "dev-tools"}, "b"]}, ["ci"], ["a", "b"]),
    ({"x": ["a", "c"], "y": [{"include-group": "x"}, "a"]}, "all", ["a", "c"]),
    ({"x": ["a; python_version < '3.12'"]}, ["x"], ["a; python_version < '3.12'"]),
])
def test_dependency_groups_are_resolved_like_pep_735(groups, default, expected):
    worker = scripts_module("_bootstrap")
    uv = {} if default is None else {"default-groups": default}
    names = worker.default_groups(groups, uv)
    assert worker.resolve_groups(groups, names) == expected


@pytest.mark.parametrize(("groups", "default", "message"), [
    ({"a": [{"include-group": "b"}], "b": [{"include-group": "a"}]}, ["a"],
     "include a group in itself: a -> b -> a"),
    ({"a": [{"include-group": "nope"}]}, ["a"], "'a' includes 'nope', which is not defined"),
    ({"a": ["x"]}, ["a", "b"], "default-groups names b, which [dependency-groups] does not"),
    ({"a": ["x"], "A": ["y"]}, ["a"], "are the same group name"),
    ({"a": [{"include-group": "a", "extra": 1}]}, ["a"], "holds {'include-group': 'a'"),
    ({"a": "x"}, ["a"], "'a' must be a list"),
    ({"a": ["x"]}, "some", "must be a list of group names or \"all\""),
])
def test_bad_dependency_groups_are_refused_with_the_rule(groups, default, message):
    worker = scripts_module("_bootstrap")
    with pytest.raises(worker.Stop) as stopped:
        worker.resolve_groups(groups, worker.default_groups(groups, {"default-groups": default}))
    assert stopped.value.code == 2
    assert message in stopped.value.message


def test_dev_and_test_extras_are_the_ones_installed():
    worker = scripts_module("_bootstrap")
    extras = {"optional-dependencies": {"Test": [], "postgres": [], "dev": []}}
    assert worker.dev_extras(extras) == ["dev", "Test"]
    assert worker.dev_extras({}) == []


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
    assert scripts_module("_bootstrap").satisfies(version, spec) is expected


@pytest.mark.parametrize(("layout", "table", "expected"), [
    (["src/app/settings.py", "src/app/_settings/"], {}, "app.settings"),
    (["app/settings.py", "app/_settings/"], {}, "app.settings"),  # flat layout
    (["src/app/settings.py"], {}, None),  # a settings.py of the project's own
    (["src/a/settings.py", "src/a/_settings/", "src/b/settings.py", "src/b/_settings/"], {},
     None),
    ([], {"settings": "pkg.conf.settings"}, "pkg.conf.settings"),
    (["src/app/settings.py", "src/app/_settings/"], {"settings": "other.settings"},
     "other.settings"),
    ([], {"settings": "not a module"}, None),
])
def test_the_settings_module_is_found(tmp_path, layout, table, expected):
    for entry in layout:
        path = tmp_path / entry
        if entry.endswith("/"):
            path.mkdir(parents=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
    module, problem = scripts_module("_bootstrap").settings_module(tmp_path, table)
    assert module == expected
    assert bool(problem) == (expected is None)
    if len(layout) == 4:
        assert "several settings modules (a.settings, b.settings)" in problem


def test_stamp_format_round_trips(tmp_path):
    launcher = scripts_module("bootstrap")
    fields = [("format", "2"), ("key", "1:2 -"), ("layer", "/a b/.env"), ("layer", "/c/.env")]
    path = tmp_path / "stamp"
    path.write_text(launcher.stamp_text(fields))
    assert launcher.read_stamp(str(path)) == {
        "format": ["2"], "key": ["1:2 -"], "layer": ["/a b/.env", "/c/.env"]}
    with pytest.raises(ValueError):
        launcher.stamp_text([("layer", "/a\nb")])
    path.write_text("format 1\n")  # an older format is not trusted
    assert launcher.read_stamp(str(path)) == {}


@pytest.mark.parametrize(("path", "expected"), [
    ("plain/path-1.2_x", "plain/path-1.2_x"),
    ("with space", "'with space'"),
    ("it's", "'it'\"'\"'s'"),
    ("$HOME", "'$HOME'"),
])
def test_shell_path_quotes_like_shlex(path, expected):
    import shlex

    if os.name == "nt":
        pytest.skip("POSIX quoting")
    assert scripts_module("bootstrap").shell_path(path) == expected == shlex.quote(path)


@pytest.mark.slow
def test_scripts_are_clean_under_ruff_and_mypy(tmp_path):
    """What a project's own tools say about the two files: nothing."""
    tools = Path(sys.executable).parent
    ruff, mypy = shutil.which("ruff", path=str(tools)), shutil.which("mypy", path=str(tools))
    if ruff is None or mypy is None:
        pytest.skip(unavailable("ruff and mypy"))
    files = [str(SCRIPTS / "bootstrap.py"), str(SCRIPTS / "_bootstrap.py")]
    for command in ([ruff, "format", "--isolated", "--check", *files],
                    [ruff, "check", "--isolated", "--no-cache", *files],
                    [mypy, "--strict", "--no-incremental", "--cache-dir", os.devnull, *files]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 0, f"{command[:2]}\n{result.stdout}{result.stderr}"


@pytest.mark.venv
@needs_uv
@pytest.mark.skipif(os.name == "nt", reason="runs the printed POSIX shell lines")
def test_the_printed_commands_work_from_where_the_user_is(uv_project):
    """Run from two levels up, the tests line changes to the project first (pytest
    collects from the current folder); run at the root, it needs no cd. Every printed
    command runs as printed, in a real shell, paths with spaces included."""
    project, result = uv_project
    cwd = project.parent.parent
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines()
                 if line.startswith(("activate: ", "run tests: ")))
    tests = lines["run tests"]
    assert tests == "cd 'parent with spaces/demo app' && .venv/bin/python -m pytest"
    collected = subprocess.run(["sh", "-c", tests + " --collect-only -q -p no:cacheprovider"],
                               cwd=cwd, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "tests/test_venv_dotenv.py::" in collected.stdout
    activated = subprocess.run(
        ["bash", "-c", lines["activate"].strip() + ' && python -c "import sys; print(sys.prefix)"'],
        cwd=cwd, capture_output=True, text=True, timeout=60)
    assert activated.returncode == 0, activated.stderr
    assert Path(activated.stdout.strip()) == project / ".venv"
    # At the root: the same line without the cd (a no-op run prints it too).
    at_root = subprocess.run([sys.executable, "scripts/bootstrap.py"], cwd=project,
                             env=make_env(), capture_output=True, text=True, timeout=300)
    assert "run tests: .venv/bin/python -m pytest\n" in at_root.stdout
    # The command to run the script again, in its messages, works from here too.
    scripts = project / "scripts"
    code = (f"import sys; sys.path.insert(0, {str(scripts)!r}); import bootstrap; "
            "print(bootstrap.rerun_command('--help'))")
    rerun = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert rerun == "python3 'parent with spaces/demo app/scripts/bootstrap.py' --help"
    shown = subprocess.run(["sh", "-c", rerun], cwd=cwd, env=make_env(), capture_output=True,
                           text=True, timeout=60)
    assert shown.returncode == 0 and "--recreate" in shown.stdout
