"""Shared fixtures: an isolated copier/git setup and a committed copy of the template."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "extensions"))

# A fixed identity and no user/system git or copier configuration, so that
# the developer's own settings can neither break nor help the tests.
ISOLATED_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(scope="session", autouse=True)
def isolated_tools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    settings = tmp_path_factory.mktemp("copier-settings") / "settings.yml"
    settings.write_text("{}\n")
    patch = pytest.MonkeyPatch()
    for key, value in {**ISOLATED_ENV, "COPIER_SETTINGS_PATH": str(settings)}.items():
        patch.setenv(key, value)
    # A developer's active venv must not leak into projects built by the tests.
    patch.delenv("VIRTUAL_ENV", raising=False)
    yield
    patch.undo()


def find_python(version: str) -> str | None:
    """An interpreter of ``version`` ("3.12") that really runs, or None.

    pyenv puts shims for every version on PATH that fail unless that version is
    selected, so look in pyenv's own folders first and check that it starts.
    """
    candidates = []
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"))
    found = shutil.which(f"python{version}")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        probe = subprocess.run(
            [str(candidate), "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True, text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == str(
            tuple(int(part) for part in version.split("."))
        ):
            return str(candidate)
    return None


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    )
    return result.stdout


def tracked_files(root: Path) -> list[str]:
    """Files git would commit: tracked ones and untracked ones it does not ignore."""
    out = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return sorted({name for name in out.split("\0") if name and (root / name).is_file()})


def snapshot_template(dst: Path, tag: str | None = None) -> Path:
    """Copy the working tree of this repo into a fresh git repo at ``dst``.

    Tests render from this snapshot so that they see uncommitted work but never
    depend on the state (or the tags) of the developer's checkout.
    """
    dst.mkdir(parents=True, exist_ok=True)
    for name in tracked_files(REPO_ROOT):
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "commit", "-q", "-m", "template snapshot")
    if tag:
        git(dst, "tag", tag)
    return dst


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("template") / "copier-venv-dotenv")


def copier_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real copier command line of this environment, with no stdin."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


PEERS_VARIABLE = "COPIER_VENV_DOTENV_PEERS"
VENDORED_PEERS = REPO_ROOT / "tests" / "peers"
#: Where the peers' bundles come from, for a skip that lacks them.
PEERS_FIX = f"tests/peers of this repository, or ${PEERS_VARIABLE}"


def find_peers() -> Path | None:
    """The folder of the peers' git bundles (copier-uv, sampleproject), as bench/run.py
    finds it: $COPIER_VENV_DOTENV_PEERS if it has them, else ``tests/peers`` of this
    repository (README.md there says what they are and under which licenses); None when
    neither has them."""
    candidates = [Path(os.environ[PEERS_VARIABLE])] if os.environ.get(PEERS_VARIABLE) else []
    candidates.append(VENDORED_PEERS)
    return next((c for c in candidates if (c / "copier-uv.bundle").is_file()
                 and (c / "sampleproject.bundle").is_file()), None)


# --------------------------------------------------------------------------- lanes
# Marker `slow` (pyproject.toml): real end-to-end work, the copier command line, real
# venvs, pip, copier update on git histories, other tools. Every `venv` test is slow too.
# The fast lane, for the edit-test loop, is `pytest -n auto -m "not slow"` (README.md,
# "Running the tests").


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("venv") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Longest first: a worker that ends the run picks up short tests, not a slow one
        # while the others sit idle. Slow tests, then property tests (many examples each),
        # then the rest, each in collection order. Every worker sorts alike.
        items.sort(key=lambda item: (item.get_closest_marker("slow") is None,
                                     not hasattr(getattr(item, "obj", None), "hypothesis")))


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker per CPU this process may use, plus one when slow tests run.

    Slow tests spend part of their time waiting (on the network, on their subprocesses'
    pipes, on the sleeps of the interrupted-run tests): the extra worker fills it. The fast
    lane (`-m "not slow"`) computes all the time: one worker per CPU.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpus = cpus or 1
    return cpus if "not slow" in (config.getoption("markexpr") or "") else cpus + 1


# --------------------------------------------------------------------------- tools under CI
# .ci/run installs the test group (uv, ruff, mypy, actionlint...) and this repository holds
# the peers' bundles, so under CI a check must never skip for want of one of them: a
# broken install would otherwise pass as a green run of skipped checks.

#: True where CI runs .ci/run (CI=true).
CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
REQUIRED_UNDER_CI = "[required under CI]"


def unavailable(what: str, fix: str = "pip install --group test") -> str:
    """The reason to skip a test for want of ``what``, which this repository's test setup
    provides (``fix`` says how); under CI that skip is a failure."""
    return f"{what}: {fix} {REQUIRED_UNDER_CI}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    longrepr = report.longrepr
    if (CI and report.skipped and isinstance(longrepr, tuple)
            and REQUIRED_UNDER_CI in str(longrepr[2])):
        report.outcome = "failed"
        reason = str(longrepr[2]).removeprefix("Skipped: ")
        report.longrepr = f"{reason}: under CI every check runs, and this one could not"


# --------------------------------------------------------------------------- the engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The template's settings engine, imported as a generated project imports it."""
    from engine_pkg import import_engine

    return import_engine(tmp_path_factory.mktemp("engine"))


@pytest.fixture(scope="module")
def cli(engine: Any) -> Any:
    """The engine's command line (``python -m <package>.settings``), beside ``engine``."""
    from engine_pkg import import_cli

    return import_cli(Path(engine.__file__).parents[2])


# --------------------------------------------------------------------------- in-process renders


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree of this repo as a plain folder, without git.

    Copier renders a plain folder where it is, where it clones a git template first: a
    copy from here costs about half as much, and a refused answer a fifth. For in-process
    checks of what a copy writes or refuses; its answers file records no `_commit`, so
    anything about versions or updates renders from ``template_repo``.
    """
    dst = tmp_path_factory.mktemp("template-dir") / "copier-venv-dotenv"
    for name in tracked_files(REPO_ROOT):
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    return dst


def render(template: Path, dst: Path, **data: object) -> Path:
    """`copier copy --trust --defaults` in-process, with the given answers."""
    import copier

    copier.run_copy(str(template), str(dst), data=data, defaults=True, unsafe=True,
                    quiet=True, settings=copier.Settings())
    return dst


def refusal(template: Path, dst: Path, **data: object) -> str:
    """The message of copier's refusal of ``data`` (the last line the CLI prints)."""
    import copier

    with pytest.raises(ValueError) as refused:
        copier.run_copy(str(template), str(dst), data=data, defaults=True, unsafe=True,
                        quiet=True, settings=copier.Settings())
    return str(refused.value)


# --------------------------------------------------------------------------- built once per run


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """A folder that ``build`` fills once per test run, however many xdist workers ask.

    The first worker to ask builds it, under a lock; the others wait for it, then share
    it. Without xdist it is an ordinary session folder. For costly things that tests only
    read (a failed build is not recorded: the next worker to ask tries again).
    """
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's basetemp is a folder inside the run's: build there.
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    with open(root.with_name(f"{name}.lock"), "w") as lock:
        if os.name == "posix":
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        ready = root.with_name(f"{name}.ready")
        if not ready.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a failed build left
            root.mkdir()
            build(root)
            ready.touch()
    return root


# --------------------------------------------------------------------------- shared project


UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


class SharedProject:
    """A default project (package demo_app) in ``<root>/parent with spaces/demo app``,
    committed, and bootstrapped once by its own scripts/bootstrap.py with uv."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / "parent with spaces" / "demo app"
        self.python = self.path / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        self.stdout = (root / "bootstrap.stdout").read_text()
        self.stderr = (root / "bootstrap.stderr").read_text()


def _fingerprint(project: Path) -> dict[str, list[int]]:
    """Size and modification time of every file and link below ``project``. Bytecode
    caches and git's index (which `git status` may refresh) do not count."""
    found = {}
    for folder, dirs, files in os.walk(project):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        for name in files + [name for name in dirs if os.path.islink(os.path.join(folder, name))]:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, project)
            if relative != os.path.join(".git", "index"):
                info = os.lstat(path)
                found[relative] = [info.st_size, info.st_mtime_ns]
    return found


def _build_shared_project(template: Path, root: Path) -> None:
    import copier

    project = root / "parent with spaces" / "demo app"
    copier.run_copy(str(template), str(project), data={"project_name": "Demo App"},
                    defaults=True, unsafe=True, vcs_ref="HEAD", quiet=True,
                    settings=copier.Settings())
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "rendered")
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join([str(Path(UV).parent), env.get("PATH", "")])
    result = subprocess.run(
        [sys.executable, str(project / "scripts" / "bootstrap.py")], cwd=root, env=env,
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (root / "bootstrap.stdout").write_text(result.stdout)
    (root / "bootstrap.stderr").write_text(result.stderr)
    (root / "fingerprint.json").write_text(json.dumps(_fingerprint(project)))


@pytest.fixture(scope="session")
def bootstrapped_project(template_repo: Path,
                         tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedProject]:
    """One default project bootstrapped with uv, shared READ-ONLY by every test (and every
    xdist worker) that only reads it: write nothing in it, not even a pytest cache
    (`-p no:cacheprovider`). At the end of the session each worker checks that nothing
    in it changed, and fails naming the files that did.

    A test that changes a project makes its own (and bootstraps it if it must).
    """
    if UV is None:
        pytest.skip(unavailable("uv"))
    root = built_once(tmp_path_factory, "shared-project",
                      lambda root: _build_shared_project(template_repo, root))
    shared = SharedProject(root)
    yield shared
    expected = json.loads((root / "fingerprint.json").read_text())
    found = _fingerprint(shared.path)
    changed = sorted(name for name in expected.keys() | found.keys()
                     if expected.get(name) != found.get(name))
    assert not changed, (
        f"a test changed the shared, read-only bootstrapped project: {', '.join(changed[:20])}")


# The template's package folder, rendered as the package_dir answer (src/<pkg>, or <pkg>
# for a flat layout). Tests that read or change the template's package files use these.
TEMPLATE_PACKAGE_DIR = "{{package_dir}}"
TEMPLATE_PACKAGE = REPO_ROOT / "template" / TEMPLATE_PACKAGE_DIR
