#!/usr/bin/env python3
"""Benchmarks of copier-venv-dotenv: whole processes, timed side by side with baselines.

    .venv/bin/python bench/run.py              # everything; writes bench/results/ and README.md
    .venv/bin/python bench/run.py --help       # fewer runs, one group, another output folder...

Every benchmark pits a command ("subject") against one or more named baselines. After
the warm-up runs, each round runs every command once, alternating the order (A B, B A,
A B...) so that drift of the machine (caches, frequency, other load) hits both sides
alike. A run is a whole process (or a sequence of processes, e.g. ``venv`` then ``pip``),
timed from spawn to exit. Reported: median, min and max of each command, and the ratio
subject/baseline as the median of the per-round ratios.

Setup (not timed): a committed snapshot of this repository's working tree, a project
rendered from it by copier with 20 declared variables of every type, installed in its
own venv (uv when available, else venv + pip), plus pydantic-settings there when it is
installed next to this script (``pip install --group bench``).

Environment of the timed processes: this one minus every ``PYTHON*`` variable
(``PYTHONDONTWRITEBYTECODE`` would make every import recompile) and ``VIRTUAL_ENV``,
with a ``PATH`` that holds uv only when a benchmark wants it.

Needs only the standard library plus copier (and uv, optional); matplotlib draws the
plot when it is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results"
README = REPO / "README.md"
README_START = "<!-- bench-results:start -->"
README_END = "<!-- bench-results:end -->"
PACKAGE = "benchapp"
WINDOWS = os.name == "nt"
GROUPS = ("loader", "no-env-file", "scale", "bootstrap", "generation", "validation")

# 20 variables, every type, required and optional: (declaration, value written in .env).
VARIABLES: list[tuple[str, str]] = [
    ("APP_NAME", "bench-app"),
    ("LOG_LEVEL=INFO", "DEBUG"),
    ("GREETING=", '"hello, world # not a comment"'),
    ("REGION=eu-west-1", "'eu-central-1'"),
    ("PORT:int=8000", "8080"),
    ("WORKERS:int", "4"),
    ("RETRIES:int=", "3"),
    ("TIMEOUT_S:float=2.5", "1.5"),
    ("RATIO:float", "0.75"),
    ("BACKOFF:float=", "1e-3"),
    ("DEBUG:bool=false", "true"),
    ("CACHE:bool=on", "off"),
    ("FEATURE_X:bool", "yes"),
    ("DATABASE_URL:url", "postgresql://app:pw@db.example:5432/app"),
    ("API_URL:url=https://api.example.org/v1", "https://api.example.com/v2"),
    ("DATA_DIR:path=data", "var/data"),
    ("LOG_FILE:path=", "/tmp/bench.log"),
    ("HOSTS:list=localhost", '"a.example,b.example,c.example"'),
    ("TAGS:list=", "x,y,z"),
    ("SECRET_KEY:secret", "s3cr3t-value-42"),
]
assert len(VARIABLES) == 20
# The same 20 without the path type: a pathlib.Path value costs importing pathlib, the
# floor shown by its own row, so the no-env-file target is measured on this project.
VARIABLES_NO_PATH = [(decl.replace(":path", ""), value) for decl, value in VARIABLES]
PACKAGE_NO_PATH = f"{PACKAGE}_no_path"

# The same declarations for pydantic-settings, the baseline a Python developer would
# reach for. Lists are comma-separated in env files, which pydantic-settings only reads
# with NoDecode and a validator; URLs are checked for a scheme, like the loader does.
PYDANTIC_MODULE = '''\
from pathlib import Path
from typing import Annotated

from pydantic import AnyUrl, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str
    log_level: str = "INFO"
    greeting: str = ""
    region: str = "eu-west-1"
    port: int = 8000
    workers: int
    retries: int | None = None
    timeout_s: float = 2.5
    ratio: float
    backoff: float | None = None
    debug: bool = False
    cache: bool = True
    feature_x: bool
    database_url: AnyUrl
    api_url: AnyUrl = AnyUrl("https://api.example.org/v1")
    data_dir: Path = Path("data")
    log_file: Path | None = None
    hosts: Annotated[list[str], NoDecode] = ["localhost"]
    tags: Annotated[list[str], NoDecode] = []
    secret_key: SecretStr

    @field_validator("hosts", "tags", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value
'''


# --------------------------------------------------------------------------- measuring


@dataclass
class Command:
    """What one timed run executes: one or more processes, one after the other."""

    label: str
    steps: list[list[str]]
    cwd: Path
    env: dict[str, str]
    prepare: Callable[[], None] | None = None  # before every run, not timed

    def run(self) -> float:
        if self.prepare:
            self.prepare()
        start = time.perf_counter()
        for argv in self.steps:
            result = subprocess.run(
                argv, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            if result.returncode != 0:
                raise SystemExit(
                    f"bench: {self.label!r} failed (exit {result.returncode}): "
                    f"{' '.join(argv)}\n{result.stderr.decode(errors='replace')}"
                )
        return time.perf_counter() - start


@dataclass
class Benchmark:
    group: str
    name: str
    subject: Command
    baselines: list[Command]
    targets: dict[str, float] = field(default_factory=dict)  # baseline label -> max ratio
    cold: bool = False  # slow: uses --cold-runs / --cold-warmup
    note: str = ""


@dataclass
class Stats:
    label: str
    times: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def measure(bench: Benchmark, runs: int, warmup: int) -> dict:
    commands = [bench.subject, *bench.baselines]
    for _ in range(warmup):
        for command in commands:
            command.run()
    times: dict[str, list[float]] = {c.label: [] for c in commands}
    for round_number in range(runs):
        # A B C, C B A, A B C...: each command is as often early as late in a round.
        order = commands if round_number % 2 == 0 else commands[::-1]
        for command in order:
            times[command.label].append(command.run())
    subject = times[bench.subject.label]
    pairs = []
    for baseline in bench.baselines:
        base = times[baseline.label]
        ratios = [a / b for a, b in zip(subject, base, strict=True)]
        target = bench.targets.get(baseline.label)
        ratio = statistics.median(ratios)
        pairs.append({
            "baseline": baseline.label,
            "ratio": ratio,
            "ratios": ratios,
            "target": target,
            "met": None if target is None else ratio <= target,
        })
    return {
        "group": bench.group,
        "name": bench.name,
        "subject": bench.subject.label,
        "note": bench.note,
        "runs": runs,
        "warmup": warmup,
        "times": times,
        "pairs": pairs,
    }


# --------------------------------------------------------------------------- setup


def clean_env(path_dirs: list[str]) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("PYTHON") and key != "VIRTUAL_ENV" and key != "__PYVENV_LAUNCHER__"
        and not key.startswith(f"{PACKAGE.upper()}_")
        and key not in {decl.split(":")[0].split("=")[0] for decl, _ in VARIABLES}
    }
    system = ["/usr/local/bin", "/usr/bin", "/bin"] if not WINDOWS else []
    env["PATH"] = os.pathsep.join([*path_dirs, *system])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"  # no network check inside a timing
    return env


def run_checked(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> str:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SystemExit(f"bench: setup step failed: {' '.join(map(str, argv))}\n"
                         f"{result.stdout}{result.stderr}")
    return result.stdout


def base_python() -> str:
    """The interpreter users would type (python3), not this script's venv."""
    base = getattr(sys, "_base_executable", "") or sys.executable
    return os.path.realpath(base if os.path.exists(base) else sys.executable)


def find_uv() -> str | None:
    here = Path(sys.executable).parent / ("uv.exe" if WINDOWS else "uv")
    return str(here) if here.exists() else shutil.which("uv")


def copier_command() -> list[str]:
    script = Path(sys.executable).parent / ("copier.exe" if WINDOWS else "copier")
    return [str(script)] if script.exists() else [sys.executable, "-m", "copier"]


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if WINDOWS else "bin/python")


def bench_pin(name: str) -> str | None:
    """The exact pin of ``name`` in pyproject.toml's test group (one source of truth)."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for item in data.get("dependency-groups", {}).get("test", []):
        if isinstance(item, str) and item.split("==")[0].strip().lower() == name:
            return item
    return None


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


class Workspace:
    """Everything the benchmarks run on, built once, in a temporary folder."""

    def __init__(self, root: Path, log: Callable[[str], None]) -> None:
        self.root = root
        self.log = log
        self.python = base_python()
        self.uv = find_uv()
        self.skipped: list[str] = []
        # A folder holding uv alone: PATH gets it only where a benchmark wants uv.
        self.uv_dir = root / "uv-bin"
        self.uv_dir.mkdir()
        if self.uv:
            (self.uv_dir / Path(self.uv).name).symlink_to(self.uv)
        self.env = clean_env([])
        settings = root / "copier-settings.yml"
        settings.write_text("{}\n")
        self.tool_env = {
            **self.env,
            "COPIER_SETTINGS_PATH": str(settings),
            "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
            "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        }
        self.template = self.snapshot()
        self.project = self.render(root / "project", PACKAGE, VARIABLES)
        self.install(self.project)
        # Installed into the same venv: one interpreter for every loader benchmark.
        self.project_no_path = self.render(root / "project-no-path", PACKAGE_NO_PATH,
                                           VARIABLES_NO_PATH)
        self.install(self.project_no_path, venv=self.project / ".venv")
        self.pydantic = self.add_pydantic(self.project)
        self.write_env_file(self.project / ".env")

    def snapshot(self) -> Path:
        """The working tree as a fresh git repository (copier renders committed files)."""
        dst = self.root / "template"
        listed = run_checked(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=REPO)
        for name in filter(None, listed.split("\0")):
            source = REPO / name
            if source.is_file() and not name.startswith("bench/results/"):
                (dst / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dst / name)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["commit", "-q", "-m", "snapshot"]):
            run_checked(["git", *args], cwd=dst, env=self.tool_env)
        return dst

    def minimal_template(self) -> Path:
        """The smallest template copier renders: the floor of any ``copier copy``."""
        dst = self.root / "minimal-template"
        (dst / "template").mkdir(parents=True)
        (dst / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n"
                                        "  default: demo\n")
        (dst / "template" / "README.md.jinja").write_text("# {{ name }}\n")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["commit", "-q", "-m", "minimal"]):
            run_checked(["git", *args], cwd=dst, env=self.tool_env)
        return dst

    def render(self, dst: Path, package: str, variables: list[tuple[str, str]]) -> Path:
        self.log(f"rendering {package} with {len(variables)} variables")
        answers = self.root / f"answers-{package}.yml"
        entries = "".join(f"  - {json.dumps(decl)}\n" for decl, _ in variables)
        answers.write_text(f"project_name: {package}\npackage_name: {package}\n"
                           f"env_vars:\n{entries}")
        run_checked([*copier_command(), "copy", "--trust", "--defaults", "--quiet",
                     "--data-file", str(answers), str(self.template), str(dst)],
                    env=self.tool_env)
        return dst

    def install(self, project: Path, venv: Path | None = None) -> None:
        """Install ``project`` editable into ``venv`` (its own .venv, made if missing)."""
        self.log(f"installing {project.name}")
        venv = venv or project / ".venv"
        python = str(venv_python(venv))
        if self.uv:
            if not (venv / "pyvenv.cfg").exists():
                run_checked([self.uv, "venv", "-q", "--python", self.python, str(venv)],
                            env=self.env)
            run_checked([self.uv, "pip", "install", "-q", "--python", python,
                         "-e", f"{project}[dev]"], env=self.env)
        else:
            if not (venv / "pyvenv.cfg").exists():
                run_checked([self.python, "-m", "venv", str(venv)], env=self.env)
            run_checked([python, "-m", "pip", "install", "-q", "-e", f"{project}[dev]"],
                        env=self.env)

    def add_pydantic(self, project: Path) -> bool:
        pin = bench_pin("pydantic-settings")
        if not has_module("pydantic_settings") or not pin:
            self.skipped.append("pydantic-settings baseline: pydantic-settings is not "
                                "installed here (pip install --group bench)")
            return False
        self.log(f"installing {pin} in the project's venv")
        python = str(venv_python(project / ".venv"))
        if self.uv:
            run_checked([self.uv, "pip", "install", "-q", "--python", python, pin], env=self.env)
        else:
            run_checked([python, "-m", "pip", "install", "-q", pin], env=self.env)
        (project / "bench_pydantic_settings.py").write_text(PYDANTIC_MODULE)
        return True

    @staticmethod
    def write_env_file(path: Path) -> None:
        lines = [f"{decl.split(':')[0].split('=')[0]}={value}\n" for decl, value in VARIABLES]
        path.write_text("# 20 variables of every type\n" + "".join(lines))
        path.chmod(0o600)

    def environment_values(self) -> dict[str, str]:
        """The 20 values as a process environment would hold them (no quotes)."""
        values = {}
        for decl, value in VARIABLES:
            if value[:1] in "\"'":
                value = value[1:-1]
            values[decl.split(":")[0].split("=")[0]] = value
        return values

    def bootstrap_copy(self, name: str) -> Path:
        """A rendered project without venv and env file, for bootstrap runs."""
        dst = self.root / name
        shutil.copytree(self.project, dst, ignore=shutil.ignore_patterns(
            ".venv", ".env", "bench_pydantic_settings.py", "__pycache__", "*.env"))
        return dst


# --------------------------------------------------------------------------- benchmarks


def loader_code(env_file: str | None = None, package: str = PACKAGE) -> str:
    argument = "" if env_file is None else repr(env_file)
    return f"from {package}.settings import load_settings; load_settings({argument})"


def dotenv_code(env_file: str) -> str:
    return f"from dotenv import dotenv_values; dotenv_values({env_file!r})"


def scale_file(path: Path, lines: int) -> None:
    """An env file of ``lines`` lines in every syntax python-dotenv reads."""
    shapes = [
        "KEY_{i}=plain-value-{i}",
        "# a comment line {i}",
        'KEY_{i}="double quoted, with # and \\n escape {i}"',
        "KEY_{i}='single quoted {i}'",
        "export KEY_{i}=exported-{i}",
        "KEY_{i}=${{KEY_{j}}}/interpolated",
        "KEY_{i}=value with trailing comment  # note {i}",
        "",
    ]
    out = [shapes[i % len(shapes)].format(i=i, j=max(i - 1, 0)) for i in range(lines)]
    path.write_text("\n".join(out) + "\n")


def build(ws: Workspace, groups: set[str], sizes: list[int], answer_vars: int) -> list[Benchmark]:
    project = ws.project
    py = str(venv_python(project / ".venv"))
    env = ws.env
    pass_label = "python -c pass"
    benches: list[Benchmark] = []

    def cmd(label: str, *argv: str, cwd: Path = project, env_: dict | None = None,
            prepare=None, steps: list[list[str]] | None = None) -> Command:
        return Command(label, steps or [list(argv)], cwd, env_ or env, prepare)

    if "loader" in groups:
        baselines = [cmd("dotenv_values() alone", py, "-c", dotenv_code(".env"))]
        targets = {"dotenv_values() alone": 1.15, pass_label: None}
        if ws.pydantic:
            baselines.append(cmd("pydantic-settings", py, "-c",
                                 "from bench_pydantic_settings import Settings; Settings()"))
            targets["pydantic-settings"] = 0.3
        baselines.append(cmd(pass_label, py, "-c", "pass"))
        benches.append(Benchmark(
            "loader", "loader, 20-variable .env", cmd("load_settings()", py, "-c", loader_code()),
            baselines, {k: v for k, v in targets.items() if v is not None},
            note="the project's venv python, cwd = project root",
        ))

    if "no-env-file" in groups:
        env_values = {**env, **ws.environment_values()}
        hidden = project / ".env"
        aside = project / ".env.bench-aside"
        note = f"{hidden.name} moved to {aside.name} during this benchmark"
        # The .env is moved aside for this group only (see restore in run()).
        benches.append(Benchmark(
            "no-env-file", "loader, 20 values in the environment, no path variable",
            cmd("load_settings()", py, "-c", loader_code(package=PACKAGE_NO_PATH),
                env_=env_values),
            [cmd(pass_label, py, "-c", "pass", env_=env_values)],
            {pass_label: 1.25}, note=note,
        ))
        benches.append(Benchmark(
            "no-env-file", "loader, 20 values in the environment, 2 of them paths",
            cmd("load_settings()", py, "-c", loader_code(), env_=env_values),
            [cmd(pass_label, py, "-c", "pass", env_=env_values),
             # The floor of any loader that gives pathlib.Path values (the path type).
             cmd("python -c 'import pathlib'", py, "-c", "import pathlib", env_=env_values)],
            {}, note=note,
        ))

    if "scale" in groups:
        # The 20 declared values also come from the environment, so that a 10-line file
        # loads; every line of the file is parsed either way.
        env_values = {**env, **ws.environment_values()}
        for lines in sizes:
            path = ws.root / f"scale-{lines}.env"
            scale_file(path, lines)
            benches.append(Benchmark(
                "scale", f"{lines:,} lines",
                cmd("load_settings(file)", py, "-c", loader_code(str(path)), env_=env_values),
                [cmd("dotenv_values(file)", py, "-c", dotenv_code(str(path)), env_=env_values)],
                note="ratio should stay flat",
            ))

    if "bootstrap" in groups:
        python = ws.python
        pip_env = clean_env([])  # no uv on PATH: the script falls back to venv + pip
        cold = [("pip", pip_env, None)]
        if ws.uv:
            cold.append(("uv", clean_env([str(ws.uv_dir)]), ws.uv))
        else:
            ws.skipped.append("bootstrap with uv: uv is not installed here")
        for installer, boot_env, uv in cold:
            folder = ws.bootstrap_copy(f"boot-{installer}")
            venv = folder / ".venv"

            def reset(folder: Path = folder) -> None:
                shutil.rmtree(folder / ".venv", ignore_errors=True)
                (folder / ".env").unlink(missing_ok=True)

            if uv:
                by_hand = [[uv, "venv", "-q", "--python", python, str(venv)],
                           [uv, "pip", "install", "-q", "--python", str(venv_python(venv)),
                            "-e", ".[dev]"]]
                label = "uv venv + uv pip install -e .[dev]"
            else:
                by_hand = [[python, "-m", "venv", str(venv)],
                           [str(venv_python(venv)), "-m", "pip", "install", "-q", "-e",
                            ".[dev]"]]
                label = "python -m venv + pip install -e .[dev]"
            benches.append(Benchmark(
                "bootstrap", f"cold, {installer}",
                cmd("bootstrap.py", python, "scripts/bootstrap.py", "--quiet", cwd=folder,
                    env_=boot_env, prepare=reset),
                [cmd(label, cwd=folder, env_=boot_env, prepare=reset, steps=by_hand)],
                {label: 1.1}, cold=True,
                note="venv and .env deleted before every run (not timed)",
            ))
        warm = ws.bootstrap_copy("boot-warm")
        warm_env = clean_env([str(ws.uv_dir)] if ws.uv else [])
        run_checked([python, str(warm / "scripts" / "bootstrap.py"), "--quiet"], env=warm_env)
        benches.append(Benchmark(
            "bootstrap", "warm no-op re-run",
            cmd("bootstrap.py", python, "scripts/bootstrap.py", cwd=warm, env_=warm_env),
            [cmd(pass_label, python, "-c", "pass", cwd=warm, env_=warm_env)],
            {pass_label: 3.0}, note="the base python3, as a user runs it",
        ))

    if "generation" in groups:
        copier = copier_command()
        target = ws.root / "generated" / "demo-project"

        def wipe() -> None:
            shutil.rmtree(target.parent, ignore_errors=True)

        benches.append(Benchmark(
            "generation", "copier copy of this template",
            cmd("copier copy --trust --defaults", *copier, "copy", "--trust", "--defaults",
                "--quiet", str(ws.template), str(target), cwd=ws.root, env_=ws.tool_env,
                prepare=wipe),
            [cmd("copier --version", *copier, "--version", cwd=ws.root, env_=ws.tool_env),
             # What copier costs for any template: one question, one file, no extension.
             cmd("copier copy of a 1-file template", *copier, "copy", "--trust", "--defaults",
                 "--quiet", str(ws.minimal_template()), str(target), cwd=ws.root,
                 env_=ws.tool_env, prepare=wipe)],
            {"copier --version": 1.3}, note="the templates are local git repositories",
        ))

    if "validation" in groups:
        answer = ws.root / "answer.txt"
        kinds = ["", ":int=1", ":bool=false", ":url=https://x.example", ":list=a", ":secret",
                 "=text", ":float=", ":path=data"]
        answer.write_text(", ".join(f"VAR_{i:05d}{kinds[i % len(kinds)]}"
                                    for i in range(answer_vars)))
        setup = (f"import sys; sys.path.insert(0, {str(REPO / 'extensions')!r}); "
                 f"import venv_dotenv_rules as rules; text = open({str(answer)!r}).read()")
        benches.append(Benchmark(
            "validation", f"env_vars validator, {answer_vars:,} variables",
            cmd("check_env_vars(answer)", sys.executable, "-c",
                f"{setup}; assert rules.check_env_vars(text, {PACKAGE!r}) == ''", cwd=ws.root),
            [cmd("import the rules + read the answer", sys.executable, "-c", setup,
                 cwd=ws.root)],
            note="copier's own python; no target",
        ))
    return benches


# --------------------------------------------------------------------------- reporting


def machine(ws: Workspace) -> dict[str, str]:
    def version(argv: list[str]) -> str:
        try:
            out = subprocess.run(argv, capture_output=True, text=True, env=ws.env)
        except OSError:
            return "absent"
        return (out.stdout or out.stderr).strip().splitlines()[0] if out.returncode == 0 \
            else "absent"

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    py = str(venv_python(ws.project / ".venv"))
    meta = ("import importlib.metadata as m, sys\nfor n in sys.argv[1:]:\n"
            "    try: print(n, m.version(n))\n    except Exception: print(n, 'absent')")
    versions = {}
    for name in ("python-dotenv", "pydantic-settings", "pydantic"):
        out = subprocess.run([py, "-c", meta, name], capture_output=True, text=True)
        versions[name] = out.stdout.split()[-1] if out.returncode == 0 else "absent"
    from importlib import metadata

    def here(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return {
        "CPU": f"{cpu}, {cores} logical cores ({usable} usable)",
        "OS": platform.platform(),
        "Python (project venv, bootstrap)": version([ws.python, "--version"]),
        "Python (copier)": platform.python_version(),
        "copier": here("copier"),
        "copier-template-extensions": here("copier-template-extensions"),
        "python-dotenv (project)": versions["python-dotenv"],
        "pydantic-settings (project)": versions["pydantic-settings"],
        "pydantic (project)": versions["pydantic"],
        "pip (base python)": version([ws.python, "-m", "pip", "--version"]).split(" from ")[0],
        "uv": version([ws.uv, "--version"]) if ws.uv else "absent",
        "matplotlib": here("matplotlib"),
        "git": version(["git", "--version"]),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


def markdown(results: list[dict], info: dict[str, str], skipped: list[str], when: str,
             command: str) -> str:
    lines = [
        f"Measured {when} with `{command}`.",
        "",
        "| benchmark | command | median ms (min-max) | baseline | median ms (min-max) "
        "| ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        times = result["times"]
        subject = times[result["subject"]]
        name = f"{result['group']}: {result['name']}"
        for pair in result["pairs"]:
            base = times[pair["baseline"]]
            if pair["target"] is None:
                target = "-"
            else:
                target = f"<= {pair['target']:g} {'met' if pair['met'] else '**missed**'}"
            lines.append(
                f"| {name} | {result['subject']} "
                f"| {ms(statistics.median(subject))} ({ms(min(subject))}-{ms(max(subject))}) "
                f"| {pair['baseline']} "
                f"| {ms(statistics.median(base))} ({ms(min(base))}-{ms(max(base))}) "
                f"| {pair['ratio']:.2f} | {target} |"
            )
    runs = sorted({(r["runs"], r["warmup"]) for r in results})
    lines += [
        "",
        "Runs (timed, warm-up) per benchmark: "
        + ", ".join(f"{n} after {w}" for n, w in runs)
        + ". Ratio: median of the per-round ratios (subject / baseline).",
    ]
    if skipped:
        lines += ["", "Skipped:", *(f"- {item}" for item in skipped)]
    lines += ["", "Machine:", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    return "\n".join(lines) + "\n"


def plot(results: list[dict], path: Path) -> str | None:
    """Ratios against targets, and the scale curve; None when matplotlib is absent."""
    try:
        import matplotlib
    except ImportError:
        return "plot: matplotlib is not installed here (pip install --group bench)"
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = [(f"{r['group']}: {r['name']}\nvs {p['baseline']}"[:110], p)
             for r in results for p in r["pairs"]]
    scale = [r for r in results if r["group"] == "scale"]
    figure, axes = plt.subplots(1, 2 if scale else 1, figsize=(15 if scale else 9,
                                max(4.0, 0.45 * len(pairs) + 1.5)), squeeze=False)
    left = axes[0][0]
    labels = [label for label, _ in pairs]
    ratios = [p["ratio"] for _, p in pairs]
    colors = ["tab:gray" if p["target"] is None else "tab:green" if p["met"] else "tab:red"
              for _, p in pairs]
    rows = range(len(pairs))
    left.barh(rows, ratios, color=colors)
    for row, (_, pair) in zip(rows, pairs, strict=True):
        if pair["target"] is not None:
            left.plot([pair["target"]] * 2, [row - 0.4, row + 0.4], color="black", lw=2)
        left.text(pair["ratio"], row, f" {pair['ratio']:.2f}", va="center", fontsize=8)
    left.set_yticks(list(rows), labels, fontsize=7)
    left.invert_yaxis()
    left.set_xscale("log")
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    left.set_xticks(ticks, [f"{t:g}" for t in ticks])
    left.minorticks_off()
    left.set_xlim(min(0.1, min(ratios) / 1.5), max(5.0, max(ratios) * 1.5))
    left.axvline(1.0, color="gray", lw=0.8, ls="--")
    left.set_xlabel("median of pairwise ratios subject / baseline (log); black bar = target")
    left.set_title("whole-process time against baselines")
    if scale:
        right = axes[0][1]
        sizes = [int(r["name"].split()[0].replace(",", "")) for r in scale]
        for label in (scale[0]["subject"], scale[0]["pairs"][0]["baseline"]):
            right.plot(sizes, [statistics.median(r["times"][label]) * 1000 for r in scale],
                       marker="o", label=label)
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("env file lines")
        right.set_ylabel("median ms per process")
        right.set_title("scale: loader and python-dotenv")
        right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110, bbox_inches="tight")  # long labels stay whole
    plt.close(figure)
    return None


def update_readme(table: str) -> bool:
    text = README.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    new = text[: start + len(README_START)] + "\n\n" + table + "\n" + text[end:]
    README.write_text(new, encoding="utf-8")
    return True


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs (default 11)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up runs (default 2)")
    parser.add_argument("--cold-runs", type=int, default=5,
                        help="timed runs of the cold bootstraps (default 5)")
    parser.add_argument("--cold-warmup", type=int, default=1,
                        help="warm-up runs of the cold bootstraps (default 1)")
    parser.add_argument("--sizes", default="10,100,1000,10000",
                        help="env file sizes of the scale benchmark (lines)")
    parser.add_argument("--answer-vars", type=int, default=1000,
                        help="variables in the answer given to the validator")
    parser.add_argument("--only", action="append", choices=GROUPS,
                        help="run only this group (repeatable)")
    parser.add_argument("--smoke", action="store_true",
                        help="1 run, no warm-up, tiny sizes: checks that everything still runs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for results.md, results.json, results.png")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs = args.cold_runs = 1
        args.warmup = args.cold_warmup = 0
        args.sizes, args.answer_vars = "10,100", 50
    sizes = [int(size) for size in args.sizes.split(",")]
    groups = set(args.only or GROUPS)

    def log(message: str) -> None:
        print(f"bench: {message}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="copier-venv-dotenv-bench-"))
    results: list[dict] = []
    try:
        ws = Workspace(work, log)
        benches = build(ws, groups, sizes, args.answer_vars)
        for bench in benches:
            runs, warmup = ((args.cold_runs, args.cold_warmup) if bench.cold
                            else (args.runs, args.warmup))
            log(f"{bench.group}: {bench.name} ({runs} runs after {warmup} warm-up)")
            aside = ws.project / ".env.bench-aside"
            if bench.group == "no-env-file":
                (ws.project / ".env").rename(aside)
            try:
                result = measure(bench, runs, warmup)
            finally:
                if aside.exists():
                    aside.rename(ws.project / ".env")
            for pair in result["pairs"]:
                verdict = "" if pair["target"] is None else (
                    f" (target <= {pair['target']:g}: {'met' if pair['met'] else 'MISSED'})")
                log(f"    / {pair['baseline']}: {pair['ratio']:.3f}{verdict}")
            results.append(result)
        info = machine(ws)
        skipped = list(ws.skipped)
    finally:
        if args.keep:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    args.out.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    shown = "python bench/run.py" + ("" if argv is None else " " + " ".join(argv))
    if argv is None and len(sys.argv) > 1:
        shown = "python bench/run.py " + " ".join(sys.argv[1:])
    png_problem = plot(results, args.out / "results.png")
    if png_problem:
        skipped.append(png_problem)
    table = markdown(results, info, skipped, when, shown)
    (args.out / "results.md").write_text("# Benchmark results\n\n" + table, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps({"when": when, "machine": info, "skipped": skipped, "results": results},
                   indent=1) + "\n", encoding="utf-8")
    if args.out.resolve() == DEFAULT_OUT.resolve() and groups == set(GROUPS) and not args.smoke:
        if update_readme(table):
            log("README.md updated")
    log(f"wrote {args.out / 'results.md'}")
    for item in skipped:
        log(f"skipped: {item}")
    missed = [f"{r['group']}: {r['name']} / {p['baseline']}" for r in results
              for p in r["pairs"] if p["met"] is False]
    for item in missed:
        log(f"target missed: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
