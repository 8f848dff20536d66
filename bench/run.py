#!/usr/bin/env python3
"""Benchmarks of copier-venv-dotenv: whole processes, timed side by side with baselines.

    .venv/bin/python bench/run.py              # everything; writes bench/results/ and README.md
    .venv/bin/python bench/run.py --help       # fewer rounds, one group, another output folder...
    .venv/bin/python bench/run.py --only no-env-file --instructions  # + callgrind's counts

Every benchmark pits a command ("subject") against one or more named baselines ("floors").
After warm-up rounds, each round runs every command once, alternating the order (A B C,
C B A, ...) so that drift of the machine hits every side alike. A run is a whole process
(or a sequence of processes, e.g. ``venv`` then ``pip``), timed from spawn to exit, on two
clocks: wall-clock time (``perf_counter``) and CPU time (user + system time of the child
processes, from ``getrusage(RUSAGE_CHILDREN)``, so waiting for a busy CPU does not count).
The validation benchmark runs in one process and times the validator itself
(``perf_counter`` and ``process_time``).

Verdicts: the ratio subject/baseline is the median of the per-round ratios, with its
distribution-free 95% confidence interval (order statistics of those ratios, from the
binomial distribution). A target is **met** when the median is at least 5% below it and
the interval lies at or below it, **missed** when the median is at least 5% above it and
the interval lies above it, and **inconclusive** otherwise, or when others took more than
10% of the machine's CPU time during the benchmark: other processes, and on a virtual
machine other guests (steal time), both read from /proc/stat.
README.md, "Performance", says why these numbers.

Setup (not timed): a committed snapshot of this repository's working tree, a project
rendered from it by copier with 20 declared variables of every type (5 of them secrets),
installed in its own venv (uv when available, else venv + pip), plus pydantic-settings
there when it is installed next to this script (``pip install --group bench``); a clean
interpreter (a venv of the base Python, no site-packages, no .pth file) for the warm
bootstrap; the copier-uv peer template from its git bundle when one is found
(``--peers``). Before timing, a probe checks that the loader returns the values each
benchmark feeds it; a benchmark whose feature the loader lacks is skipped, with the reason.

Environment of the timed processes: this one minus every ``PYTHON*`` variable
(``PYTHONDONTWRITEBYTECODE`` would make every import recompile) and ``VIRTUAL_ENV``,
with a ``PATH`` that holds uv only when a benchmark wants it.

Needs only the standard library plus copier (and uv, optional); matplotlib draws the
plot when it is installed.
"""

from __future__ import annotations

import argparse
import json
import math
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

try:
    import resource
except ImportError:  # Windows: wall-clock only
    resource = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "results"
README = REPO / "README.md"
README_START = "<!-- bench-results:start -->"
README_END = "<!-- bench-results:end -->"
PACKAGE = "benchapp"
WINDOWS = os.name == "nt"
GROUPS = ("loader", "no-env-file", "layers", "secrets", "scale", "bootstrap", "generation",
          "validation")
# Where the peer templates' git bundles are (README.md of that folder names them).
PEERS_ENV = "COPIER_VENV_DOTENV_PEERS"
DEFAULT_PEERS = REPO / "tests" / "peers"

# How verdicts are reached (README.md, "Performance", says why).
RUNS, WARMUP = 31, 3  # rounds of every benchmark but the slow ones
SLOW_RUNS, SLOW_WARMUP = 11, 1  # the cold pip bootstrap: about 25 s a round
CONFIDENCE = 0.95  # of the interval around each median ratio
BAND = 0.05  # a median within 5% of its target is inconclusive
BUSY = 0.10  # others using more than 10% of all CPUs make every verdict inconclusive

# 20 variables of every type, required and optional: (declaration, value in the env file).
VARIABLES: list[tuple[str, str]] = [
    ("APP_NAME", "bench-app"),
    ("LOG_LEVEL=INFO", "DEBUG"),
    ("GREETING=", '"hello, world # not a comment"'),
    ("PORT:int=8000", "8080"),
    ("WORKERS:int", "4"),
    ("TIMEOUT_S:float=2.5", "1.5"),
    ("RATIO:float", "0.75"),
    ("DEBUG:bool=false", "true"),
    ("FEATURE_X:bool", "yes"),
    ("DATABASE_URL:url", "postgresql://app@db.example:5432/app"),
    ("API_URL:url=https://api.example.org/v1", "https://api.example.com/v2"),
    ("DATA_DIR:path=data", "var/data"),
    ("LOG_FILE:path=", "/tmp/bench.log"),
    ("HOSTS:list=localhost", '"a.example,b.example,c.example"'),
    ("TAGS:list=", "x,y,z"),
    ("SECRET_KEY:secret", "s3cr3t-value-42"),
    ("DB_PASSWORD:secret", "'pw with spaces'"),
    ("API_TOKEN:secret", "tok-0123456789abcdef"),
    ("SMTP_PASSWORD:secret", "smtp-pw-42"),
    ("SIGNING_KEY:secret", "sign-key-42"),
]
assert len(VARIABLES) == 20


# What any typed loader imports (a PROJECT_ROOT that is a pathlib.Path, typing for the
# declarations, re for env files): the floor of the no-env-file row, and the secrets
# row's second floor.
IMPORTS = "re, typing, pathlib"
IMPORTS_FLOOR = f"import {IMPORTS}"


def var_name(declaration: str) -> str:
    return declaration.split(":")[0].split("=")[0]


SECRETS = [var_name(decl) for decl, _ in VARIABLES if ":secret" in decl]
assert len(SECRETS) == 5
# Env layers (the loader's documented order): .env < .env.<mode> < .env.local <
# .env.<mode>.local, the mode read from <PACKAGE>_ENV. Three of them present: the shared
# base, the mode's overrides, the private secrets.
MODE_VARIABLE, MODE = f"{PACKAGE.upper()}_ENV", "production"
MODE_OVERRIDES = {"LOG_LEVEL": "WARNING", "PORT": "9090", "WORKERS": "8", "DEBUG": "false",
                  "API_URL": "https://api.example.net/v3"}

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
    port: int = 8000
    workers: int
    timeout_s: float = 2.5
    ratio: float
    debug: bool = False
    feature_x: bool
    database_url: AnyUrl
    api_url: AnyUrl = AnyUrl("https://api.example.org/v1")
    data_dir: Path = Path("data")
    log_file: Path | None = None
    hosts: Annotated[list[str], NoDecode] = ["localhost"]
    tags: Annotated[list[str], NoDecode] = []
    secret_key: SecretStr
    db_password: SecretStr
    api_token: SecretStr
    smtp_password: SecretStr
    signing_key: SecretStr

    @field_validator("hosts", "tags", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value
'''

# Runs statements in one process, alternating their order round by round; prints JSON
# {label: [[wall, cpu], ...]}. Reads {"setup", "statements", "teardown", "runs",
# "warmup"} as JSON on stdin.
HARNESS = '''\
import json, sys, time
config = json.load(sys.stdin)
namespace = {}
exec(config["setup"], namespace)
labels = list(config["statements"])
codes = {label: compile(code, label, "exec") for label, code in config["statements"].items()}
def once(label):
    wall, cpu = time.perf_counter(), time.process_time()
    exec(codes[label], namespace)
    return [time.perf_counter() - wall, time.process_time() - cpu]
for _ in range(config["warmup"]):
    for label in labels:
        once(label)
out = {label: [] for label in labels}
for number in range(config["runs"]):
    for label in labels if number % 2 == 0 else labels[::-1]:
        out[label].append(once(label))
exec(config["teardown"], namespace)
print(json.dumps(out))
'''


# --------------------------------------------------------------------------- measuring


def children_cpu() -> float | None:
    """User + system seconds of every child process waited for so far (and theirs)."""
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Command:
    """What one timed run executes: one or more processes, one after the other."""

    label: str
    steps: list[list[str]]
    cwd: Path
    env: dict[str, str]
    prepare: Callable[[], None] | None = None  # before every run, not timed

    def run(self) -> tuple[float, float | None]:
        """(wall seconds, CPU seconds or None)."""
        if self.prepare:
            self.prepare()
        cpu = children_cpu()
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
        wall = time.perf_counter() - start
        after = children_cpu()
        return wall, None if cpu is None or after is None else after - cpu


@dataclass
class InProcess:
    """Statements timed inside one process (see HARNESS): the subject is the first."""

    python: str
    cwd: Path
    setup: str
    statements: dict[str, str]  # label -> code
    teardown: str = ""


@dataclass
class Benchmark:
    group: str
    name: str
    subject: Command | None  # None: in-process (see inprocess)
    baselines: list[Command]
    targets: dict[str, float] = field(default_factory=dict)  # baseline label -> max ratio
    slow: bool = False  # uses --slow-runs / --slow-warmup
    note: str = ""
    # Env files the project holds during this benchmark (name -> content); every other
    # .env* file of the project is removed. None: the project's files are not touched.
    env_files: dict[str, str] | None = None
    inprocess: InProcess | None = None

    @property
    def labels(self) -> list[str]:
        if self.inprocess:
            return list(self.inprocess.statements)
        assert self.subject is not None
        return [self.subject.label, *(baseline.label for baseline in self.baselines)]


class LoadMeter:
    """How much CPU time processes other than this run used, from /proc/stat (Linux)."""

    def __init__(self) -> None:
        self.cores = os.cpu_count() or 1

    @staticmethod
    def _machine() -> tuple[float, float] | None:
        """(busy, steal) CPU seconds of the whole machine since boot, or None."""
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
            ticks = os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, AttributeError):
            return None
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
        return (user + nice + system + irq + softirq) / ticks, steal / ticks

    @staticmethod
    def _ours() -> float:
        if resource is None:
            return 0.0
        total = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            usage = resource.getrusage(who)
            total += usage.ru_utime + usage.ru_stime
        return total

    def start(self) -> tuple[float, tuple[float, float] | None, float]:
        return time.perf_counter(), self._machine(), self._ours()

    def stop(self, started: tuple[float, tuple[float, float] | None, float]) -> dict:
        wall0, machine0, ours0 = started
        wall, machine, ours = time.perf_counter() - wall0, self._machine(), self._ours()
        load = {"loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
                "others": None, "steal": None, "seconds": wall}
        if machine0 and machine and wall > 0:
            capacity = wall * self.cores
            others = (machine[0] - machine0[0]) - (ours - ours0)
            load["others"] = max(0.0, others / capacity)
            load["steal"] = (machine[1] - machine0[1]) / capacity
        return load

    def sample(self, seconds: float) -> dict:
        started = self.start()
        time.sleep(seconds)
        return self.stop(started)


def busy_share(load: dict) -> float | None:
    """The share of the CPUs others took: other processes, and other guests (steal)."""
    if load.get("others") is None:
        return None
    return load["others"] + (load.get("steal") or 0.0)


def median_interval(values: list[float]) -> tuple[float, float] | None:
    """The distribution-free CONFIDENCE interval of the median of ``values``, or None.

    It is [x(k), x(n-k+1)] of the sorted values, for the largest k with
    2 * P(Binomial(n, 1/2) <= k-1) <= 1 - CONFIDENCE; None below 6 values.
    """
    n = len(values)
    k, tail = 0, 0.0
    while k < n:
        next_tail = tail + math.comb(n, k) / 2**n
        if 2 * next_tail > 1 - CONFIDENCE:
            break
        tail, k = next_tail, k + 1
    if k == 0:
        return None
    ordered = sorted(values)
    return ordered[k - 1], ordered[n - k]


def verdict(ratio: float, interval: tuple[float, float] | None, target: float | None,
            others: float | None) -> tuple[str | None, str]:
    """("met" | "missed" | "inconclusive" | None, why) for one median ratio."""
    if target is None:
        return None, ""
    if others is not None and others > BUSY:
        return "inconclusive", f"busy machine: others took {others:.0%} of the CPUs"
    if interval is None:
        return "inconclusive", "too few rounds for a confidence interval"
    low, high = interval
    if ratio <= target * (1 - BAND) and high <= target:
        return "met", ""
    if ratio >= target * (1 + BAND) and low > target:
        return "missed", ""
    if abs(ratio - target) < target * BAND:
        return "inconclusive", f"within {BAND:.0%} of the target"
    return "inconclusive", f"the 95% interval {low:.2f}-{high:.2f} holds the target"


def ratio_stats(ratios: list[float]) -> dict:
    interval = median_interval(ratios)
    return {"ratio": statistics.median(ratios), "ratios": ratios,
            "interval": None if interval is None else list(interval)}


def measure(bench: Benchmark, runs: int, warmup: int, meter: LoadMeter) -> dict:
    started = meter.start()
    if bench.inprocess:
        samples = run_inprocess(bench.inprocess, runs, warmup)
    else:
        commands = [bench.subject, *bench.baselines]
        for _ in range(warmup):
            for command in commands:
                command.run()
        samples = {c.label: [] for c in commands}
        for round_number in range(runs):
            # A B C, C B A, A B C...: each command is as often early as late in a round.
            order = commands if round_number % 2 == 0 else commands[::-1]
            for command in order:
                samples[command.label].append(command.run())
    load = meter.stop(started)
    labels = bench.labels
    times = {label: [wall for wall, _ in samples[label]] for label in labels}
    cpu = {label: [c for _, c in samples[label]] for label in labels}
    subject = labels[0]
    pairs = []
    for label in labels[1:]:
        wall = ratio_stats([a / b for a, b in zip(times[subject], times[label], strict=True)])
        cpu_pairs = [(a, b) for a, b in zip(cpu[subject], cpu[label], strict=True)
                     if a is not None and b]
        cpu_stats = ratio_stats([a / b for a, b in cpu_pairs]) if cpu_pairs else None
        target = bench.targets.get(label)
        result, why = verdict(wall["ratio"], wall["interval"] and tuple(wall["interval"]),
                              target, busy_share(load))
        pairs.append({
            "baseline": label, **wall, "cpu": cpu_stats, "target": target,
            "verdict": result, "why": why,
            # Kept for readers of older results: True/False/None as "met".
            "met": None if result in (None, "inconclusive") else result == "met",
        })
    return {
        "group": bench.group, "name": bench.name, "subject": subject, "note": bench.note,
        "runs": runs, "warmup": warmup, "in_process": bench.inprocess is not None,
        "times": times, "cpu_times": cpu, "load": load, "pairs": pairs,
    }


def run_inprocess(spec: InProcess, runs: int, warmup: int) -> dict[str, list]:
    config = {"setup": spec.setup, "statements": spec.statements, "teardown": spec.teardown,
              "runs": runs, "warmup": warmup}
    result = subprocess.run([spec.python, "-c", HARNESS], input=json.dumps(config),
                            cwd=spec.cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench: in-process benchmark failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- setup


# Rows of single `python -c` processes, whose instructions callgrind can count.
INSTRUCTION_GROUPS = ("loader", "no-env-file", "layers", "secrets", "scale")


def count_instructions(command: Command, valgrind: str) -> float:
    """Millions of instructions one run of ``command`` executes (valgrind's callgrind,
    ``PYTHONHASHSEED=0``), counted on a second run: the first writes the bytecode caches.
    Unlike time, a busy machine does not change the count."""
    (argv,) = command.steps
    env = {**command.env, "PYTHONHASHSEED": "0"}
    handle, out = tempfile.mkstemp(suffix=".callgrind")
    os.close(handle)
    try:
        for _ in range(2):
            result = subprocess.run(
                [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                cwd=command.cwd, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
            )
            if result.returncode != 0:
                raise SystemExit(f"bench: {command.label!r} failed under callgrind: "
                                 + result.stderr.decode(errors="replace")[-2000:])
        for line in Path(out).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) / 1e6
    finally:
        os.unlink(out)
    raise SystemExit(f"bench: callgrind wrote no total for {command.label!r}")


def clean_env(path_dirs: list[str]) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("PYTHON") and key != "VIRTUAL_ENV" and key != "__PYVENV_LAUNCHER__"
        and not key.startswith(f"{PACKAGE.upper()}_")
        and not any(key in (name, f"{name}_FILE") for name in map(var_name, dict(VARIABLES)))
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


def dev_group(project: Path) -> list[str]:
    """The requirements of the project's dependency group dev (where generated projects
    declare pytest): what a baseline installs by hand next to the project. Given to pip
    as requirements, since the pip a venv starts with predates `pip install --group`."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    group = data.get("dependency-groups", {}).get("dev", [])
    return [item for item in group if isinstance(item, str)]


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


def unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" else value


def env_lines(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{name}={value}\n" for name, value in pairs)


class Workspace:
    """Everything the benchmarks run on, built once, in a temporary folder."""

    def __init__(self, root: Path, log: Callable[[str], None], peers: Path | None) -> None:
        self.root = root
        self.log = log
        self.peers = peers
        self.python = base_python()
        self.uv = find_uv()
        self.skipped: list[dict[str, str]] = []
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
        self.pydantic = self.add_pydantic(self.project)
        self._clean_python: str | None = None

    def skip(self, group: str, name: str, reason: str) -> None:
        self.skipped.append({"group": group, "name": name, "reason": reason})
        self.log(f"skipped {group}: {name}: {reason}")

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
        self.commit(dst, "snapshot")
        return dst

    def commit(self, repo: Path, message: str) -> None:
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", message]):
            run_checked(["git", *args], cwd=repo, env=self.tool_env)

    def minimal_template(self) -> Path:
        """The smallest template copier renders: one question, one file, no extension."""
        dst = self.root / "minimal-template"
        (dst / "template").mkdir(parents=True)
        (dst / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n"
                                        "  default: demo\n")
        (dst / "template" / "README.md.jinja").write_text("# {{ name }}\n")
        self.commit(dst, "minimal")
        return dst

    def peer_template(self, name: str) -> Path | str:
        """A clone of the peer template ``name`` from its bundle, or why there is none."""
        if self.peers is None:
            return f"no peers folder (set {PEERS_ENV} or --peers)"
        bundle = self.peers / f"{name}.bundle"
        if not bundle.is_file():
            return f"{bundle} does not exist (set {PEERS_ENV} or --peers)"
        dst = self.root / f"peer-{name}"
        run_checked(["git", "clone", "-q", str(bundle), str(dst)], env=self.tool_env)
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

    def install(self, project: Path) -> None:
        """Install ``project`` editable into its own .venv."""
        self.log(f"installing {project.name}")
        venv = project / ".venv"
        python = str(venv_python(venv))
        if self.uv:
            run_checked([self.uv, "venv", "-q", "--python", self.python, str(venv)], env=self.env)
            run_checked([self.uv, "pip", "install", "-q", "--python", python,
                         "-e", str(project), "--group", f"{project}/pyproject.toml:dev"],
                        env=self.env)
        else:
            run_checked([self.python, "-m", "venv", str(venv)], env=self.env)
            run_checked([python, "-m", "pip", "install", "-q", "-e", str(project),
                         *dev_group(project)], env=self.env)

    def add_pydantic(self, project: Path) -> bool:
        pin = bench_pin("pydantic-settings")
        if not has_module("pydantic_settings") or not pin:
            self.skip("loader", "pydantic-settings baseline", "pydantic-settings is not "
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

    @property
    def clean_python(self) -> str:
        """A venv of the base Python without pip: no site-packages, so no .pth file runs."""
        if self._clean_python is None:
            venv = self.root / "clean-python"
            run_checked([self.python, "-m", "venv", "--without-pip", str(venv)], env=self.env)
            python = str(venv_python(venv))
            probe = ("import sys, sysconfig, pathlib; site = pathlib.Path("
                     "sysconfig.get_paths()['purelib']); print(sorted(p.name for p in "
                     "site.glob('*.pth'))); print(any('site-packages' in p and "
                     "not p.startswith(sys.prefix) for p in sys.path))")
            pth, base_site = run_checked([python, "-c", probe], env=self.env).split()
            if pth != "[]" or base_site != "False":
                raise SystemExit(f"bench: the clean interpreter {python} is not clean: "
                                 f".pth files {pth}, base site-packages on sys.path {base_site}")
            self._clean_python = python
        return self._clean_python

    # --- env files and values -------------------------------------------------------

    def values(self, names: list[str] | None = None) -> dict[str, str]:
        """The values of the 20 variables as a process environment holds them."""
        values = {var_name(decl): unquote(value) for decl, value in VARIABLES}
        return values if names is None else {name: values[name] for name in names}

    @staticmethod
    def env_file(exclude: tuple[str, ...] = ()) -> str:
        lines = [(var_name(decl), value) for decl, value in VARIABLES
                 if var_name(decl) not in exclude]
        return f"# {len(lines)} variables of every type\n" + env_lines(lines)

    def layer_files(self) -> dict[str, str]:
        """Three layers: the shared base, the mode's overrides, the private secrets."""
        secrets = [(var_name(decl), value) for decl, value in VARIABLES
                   if var_name(decl) in SECRETS]
        return {
            ".env": "# shared base\n" + self.env_file(exclude=tuple(SECRETS)),
            f".env.{MODE}": f"# {MODE} overrides\n" + env_lines(list(MODE_OVERRIDES.items())),
            ".env.local": "# private: secrets\n" + env_lines(secrets),
        }

    def secret_files(self) -> dict[str, Path]:
        """One file per secret, as Docker and Kubernetes mount them: name -> path."""
        folder = self.root / "run-secrets"
        folder.mkdir(exist_ok=True)
        paths = {}
        for name, value in self.values(SECRETS).items():
            path = folder / name.lower()
            path.write_text(value + "\n", encoding="utf-8")
            path.chmod(0o600)
            paths[name] = path
        return paths

    def arrange_env_files(self, files: dict[str, str] | None) -> None:
        """Leave exactly ``files`` as the project's env files (.env.example stays)."""
        if files is None:
            return
        for path in self.project.glob(".env*"):
            if path.is_file() and path.name != ".env.example":
                path.unlink()
        for name, content in files.items():
            path = self.project / name
            path.write_text(content, encoding="utf-8")
            path.chmod(0o600)

    def probe(self, files: dict[str, str], env: dict[str, str], code: str) -> tuple[bool, str]:
        """Run ``code`` in the project's venv with ``files``; (succeeded, stdout or error)."""
        self.arrange_env_files(files)
        result = subprocess.run([str(venv_python(self.project / ".venv")), "-c", code],
                                cwd=self.project, env=env, capture_output=True, text=True)
        if result.returncode == 0:
            return True, result.stdout.strip()
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit {result.returncode}"
        return False, last.replace(str(self.root), "<work>")[:200]

    def bootstrap_copy(self, name: str) -> Path:
        """A rendered project without venv and env files, for bootstrap runs."""
        dst = self.root / name
        shutil.copytree(self.project, dst, ignore=shutil.ignore_patterns(
            ".venv", ".env", ".env.*", "bench_pydantic_settings.py", "__pycache__"))
        shutil.copy2(self.project / ".env.example", dst / ".env.example")
        return dst


def fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """What a no-op bootstrap must leave alone: the venv's top level and the env files."""
    entries = [*(folder / ".venv").iterdir(), *folder.glob(".env*")]
    return sorted((str(p.relative_to(folder)), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in entries)


# --------------------------------------------------------------------------- benchmarks


def settings_probe(names: list[str], argument: str = "") -> str:
    """Code printing, as JSON, the loaded value of each of ``names`` (secrets revealed)."""
    return (
        "import json\n"
        f"from {PACKAGE}.settings import load_settings\n"
        f"s = load_settings({argument})\n"
        "def shown(v):\n"
        "    return v.get_secret_value() if hasattr(v, 'get_secret_value') else str(v)\n"
        f"print(json.dumps({{n: shown(getattr(s, n.lower())) for n in {names!r}}}))"
    )


def probe_agrees(ws: Workspace, files: dict[str, str], env: dict[str, str],
                 expected: dict[str, str]) -> str | None:
    """None when load_settings() gives ``expected``; else what it did instead."""
    ok, out = ws.probe(files, env, settings_probe(list(expected)))
    if not ok:
        return f"load_settings() failed: {out}"
    got = json.loads(out)
    wrong = [f"{name} came out as {got.get(name)!r}, not {value!r}"
             for name, value in expected.items() if got.get(name) != value]
    return "; ".join(wrong) or None


def loader_code(env_file: str | None = None) -> str:
    argument = "" if env_file is None else repr(env_file)
    return f"from {PACKAGE}.settings import load_settings; load_settings({argument})"


def dotenv_code(*files: str, interpolate: bool = True) -> str:
    extra = "" if interpolate else ", interpolate=False"
    merged = ", ".join(f"**dotenv_values({name!r}{extra})" for name in files)
    return f"from dotenv import dotenv_values; values = {{{merged}}}"


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
    benches: list[Benchmark] = []

    def cmd(label: str, *argv: str, cwd: Path = project, env_: dict | None = None,
            prepare=None, steps: list[list[str]] | None = None) -> Command:
        return Command(label, steps or [list(argv)], cwd, env_ or env, prepare)

    dotenv_file = {".env": ws.env_file()}
    first_values = {"PORT": "8080", "LOG_LEVEL": "DEBUG", "SECRET_KEY": "s3cr3t-value-42",
                    "DB_PASSWORD": "pw with spaces"}

    if "loader" in groups:
        problem = probe_agrees(ws, dotenv_file, env, first_values)
        if problem:
            raise SystemExit(f"bench: the loader does not load the 20-variable .env: {problem}")
        baselines = [cmd("dotenv_values() alone", py, "-c", dotenv_code(".env"))]
        targets = {"dotenv_values() alone": 1.15}
        if ws.pydantic:
            baselines.append(cmd("pydantic-settings", py, "-c",
                                 "from bench_pydantic_settings import Settings; Settings()"))
            targets["pydantic-settings"] = 0.3
        benches.append(Benchmark(
            "loader", "20-variable .env", cmd("load_settings()", py, "-c", loader_code()),
            baselines, targets, env_files=dotenv_file,
            note="the project's venv python on every side, cwd = project root",
        ))

    environment = {**env, **ws.values()}
    if "no-env-file" in groups:
        problem = probe_agrees(ws, {}, environment, first_values)
        if problem:
            raise SystemExit(f"bench: the loader does not read the environment: {problem}")
        floor = f"python -c '{IMPORTS_FLOOR}'"
        benches.append(Benchmark(
            "no-env-file", "20 values in the environment, no env file",
            cmd("load_settings()", py, "-c", loader_code(), env_=environment),
            [cmd(floor, py, "-c", IMPORTS_FLOOR, env_=environment),
             cmd("python -c pass", py, "-c", "pass", env_=environment)],
            {floor: 1.15}, env_files={},
            note="no .env* file but .env.example: python-dotenv need not be imported",
        ))

    if "layers" in groups:
        name = f"three layers: .env, .env.{MODE}, .env.local"
        files = ws.layer_files()
        layer_env = {**env, MODE_VARIABLE: MODE}
        expected = {"APP_NAME": "bench-app", "LOG_LEVEL": MODE_OVERRIDES["LOG_LEVEL"],
                    "PORT": MODE_OVERRIDES["PORT"], "SECRET_KEY": "s3cr3t-value-42"}
        problem = probe_agrees(ws, files, layer_env, expected)
        if problem:
            ws.skip("layers", name, "this loader does not read the env layers "
                    f"(.env < .env.<mode> < .env.local, mode from {MODE_VARIABLE}): {problem}")
        else:
            baseline = "dotenv_values() of the 3 files, merged"
            benches.append(Benchmark(
                "layers", name, cmd("load_settings()", py, "-c", loader_code(), env_=layer_env),
                [cmd(baseline, py, "-c", dotenv_code(*files), env_=layer_env)],
                {baseline: 1.15}, env_files=files,
                note=f"{MODE_VARIABLE}={MODE}; secrets in .env.local",
            ))

    if "secrets" in groups:
        name = f"{len(SECRETS)} secrets from NAME_FILE files, no env file"
        paths = ws.secret_files()
        secret_env = {**env, **ws.values([n for n in ws.values() if n not in SECRETS]),
                      **{f"{n}_FILE": str(path) for n, path in paths.items()}}
        problem = probe_agrees(ws, {}, secret_env, ws.values(SECRETS))
        if problem:
            ws.skip("secrets", name, f"this loader does not read NAME_FILE secrets: {problem}")
        else:
            baseline = f"reading the {len(SECRETS)} files in plain Python"
            # The same reads after the imports any typed loader makes (the no-env-file
            # row's floor): the ratio against it is what NAME_FILE itself costs.
            after_imports = f"the same reads after {IMPORTS_FLOOR}"
            read = (f"values = {{n: open(os.environ[n + '_FILE'], encoding='utf-8').read()"
                    f".removesuffix('\\n') for n in {SECRETS!r}}}")
            benches.append(Benchmark(
                "secrets", name, cmd("load_settings()", py, "-c", loader_code(), env_=secret_env),
                [cmd(baseline, py, "-c", f"import os; {read}", env_=secret_env),
                 cmd(after_imports, py, "-c", f"import os, {IMPORTS}; {read}", env_=secret_env)],
                {baseline: 1.5}, env_files={},
                note="the 15 other values in the environment",
            ))

    if "scale" in groups:
        # The 20 declared values also come from the environment, so that a 10-line file
        # loads; every line of the file is parsed either way.
        for lines in sizes:
            path = ws.root / f"scale-{lines}.env"
            scale_file(path, lines)
            benches.append(Benchmark(
                "scale", f"{lines:,} lines",
                cmd("load_settings(file)", py, "-c", loader_code(str(path)), env_=environment),
                [cmd("dotenv_values(file)", py, "-c", dotenv_code(str(path)), env_=environment),
                 cmd("dotenv_values(file, interpolate=False)", py, "-c",
                     dotenv_code(str(path), interpolate=False), env_=environment)],
                env_files={}, note="ratio should stay flat; one line in 8 interpolates",
            ))

    if "bootstrap" in groups:
        bootstrap_benches(ws, benches, cmd)

    if "generation" in groups:
        copier = copier_command()
        target = ws.root / "generated" / "demo-project"

        def wipe() -> None:
            shutil.rmtree(target.parent, ignore_errors=True)

        def copy(label: str, template: Path, *data: str) -> Command:
            return cmd(label, *copier, "copy", "--trust", "--defaults", "--quiet", *data,
                       str(template), str(target), cwd=ws.root, env_=ws.tool_env, prepare=wipe)

        one_file = "copier copy of a one-file template"
        baselines = [copy(one_file, ws.minimal_template())]
        peer = ws.peer_template("copier-uv")
        if isinstance(peer, Path):
            tag = run_checked(["git", "describe", "--tags", "--abbrev=0"], cwd=peer).strip()
            baselines.append(copy(f"copier copy of copier-uv {tag} (peer)", peer,
                                  "-d", "project_name=demo", "-d", "project_description=demo"))
        else:
            ws.skip("generation", "copier copy of copier-uv (peer)", peer)
        baselines.append(cmd("copier --version (copier's floor)", *copier, "--version",
                             cwd=ws.root, env_=ws.tool_env))
        benches.append(Benchmark(
            "generation", "copier copy of this template",
            copy("copier copy --trust --defaults", ws.template), baselines, {one_file: 1.3},
            note="every template is a local git repository that copier clones",
        ))

    if "validation" in groups:
        benches.append(validation_bench(ws, answer_vars))
    return benches


def bootstrap_benches(ws: Workspace, benches: list[Benchmark], cmd) -> None:
    python = ws.python
    pip_env = clean_env([])  # no uv on PATH: the script falls back to venv + pip
    cold = [("pip", pip_env, None)]
    if ws.uv:
        cold.append(("uv", clean_env([str(ws.uv_dir)]), ws.uv))
    else:
        ws.skip("bootstrap", "cold, uv", "uv is not installed here")
    for installer, boot_env, uv in cold:
        folder = ws.bootstrap_copy(f"boot-{installer}")
        venv = folder / ".venv"

        def reset(folder: Path = folder) -> None:
            shutil.rmtree(folder / ".venv", ignore_errors=True)
            for path in folder.glob(".env*"):
                if path.name != ".env.example":
                    path.unlink()

        if uv:
            by_hand = [[uv, "venv", "-q", "--python", python, str(venv)],
                       [uv, "pip", "install", "-q", "--python", str(venv_python(venv)),
                        "-e", ".", "--group", "dev"]]
            label = "uv venv + uv pip install -e . --group dev"
        else:
            by_hand = [[python, "-m", "venv", str(venv)],
                       [str(venv_python(venv)), "-m", "pip", "install", "-q", "-e", ".",
                        *dev_group(folder)]]
            label = "python -m venv + pip install -e . + the dev group"
        benches.append(Benchmark(
            "bootstrap", f"cold, {installer}",
            cmd("bootstrap.py", python, "scripts/bootstrap.py", "--quiet", cwd=folder,
                env_=boot_env, prepare=reset),
            [cmd(label, cwd=folder, env_=boot_env, prepare=reset, steps=by_hand)],
            {label: 1.1}, slow=installer == "pip",
            note="the base python3 as users type it; venv and env files deleted before "
                 "every run (not timed)",
        ))
    # The warm no-op against a clean interpreter start: the same venv python (no .pth,
    # no site-packages) on both sides, bytecode caches allowed on both sides.
    warm = ws.bootstrap_copy("boot-warm")
    warm_env = clean_env([str(ws.uv_dir)] if ws.uv else [])
    clean = ws.clean_python
    run_checked([clean, "scripts/bootstrap.py", "--quiet"], cwd=warm, env=warm_env)
    before = fingerprint(warm)
    run_checked([clean, "scripts/bootstrap.py", "--quiet"], cwd=warm, env=warm_env)
    if fingerprint(warm) != before:
        raise SystemExit("bench: a second bootstrap run changed the venv or the env "
                         "files: it is not a no-op, so its row would time something else")
    floor = "python -c pass (clean venv python)"
    benches.append(Benchmark(
        "bootstrap", "warm no-op re-run",
        cmd("bootstrap.py", clean, "scripts/bootstrap.py", cwd=warm, env_=warm_env),
        [cmd(floor, clean, "-c", "pass", cwd=warm, env_=warm_env)],
        {floor: 3.0}, note="a venv of the base Python without pip: no site-packages, no .pth",
    ))


def validation_bench(ws: Workspace, answer_vars: int) -> Benchmark:
    """The env_vars validator of copier.yml, rendered as copier renders it, in-process."""
    kinds = ["", ":int=1", ":bool=false", ":url=https://x.example", ":list=a", ":secret",
             "=text", ":float=", ":path=data"]
    small_vars = max(1, answer_vars // 10)
    answers = {}
    for count in (answer_vars, small_vars):
        path = ws.root / f"answer-{count}.txt"
        path.write_text(", ".join(f"VAR_{i:05d}{kinds[i % len(kinds)]}" for i in range(count)))
        answers[count] = path
    # copier's environment: its sandbox, jinja2-ansible-filters, the template's extensions
    # and envops; the answer cast as copier casts a `type: yaml` answer.
    setup = f"""\
import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment
template = {str(ws.template)!r}
config = yaml.safe_load(open(template + '/copier.yml', encoding='utf-8'))
extensions = ['jinja2_ansible_filters.AnsibleCoreFiltersExtension',
              *config.get('_jinja_extensions', [])]
environment = SandboxedEnvironment(loader=FileSystemLoader([template]), extensions=extensions,
                                   **config.get('_envops', {{}}))
validator = environment.from_string(config['env_vars']['validator'])
big = yaml.safe_load(open({str(answers[answer_vars])!r}, encoding='utf-8'))
small = yaml.safe_load(open({str(answers[small_vars])!r}, encoding='utf-8'))
def check(answer):
    message = validator.render(env_vars=answer, package_name={PACKAGE!r}).strip()
    assert not message, message[:300]
"""
    return Benchmark(
        "validation", f"env_vars validator, {answer_vars:,} variables", None, [],
        inprocess=InProcess(sys.executable, ws.root, setup, {
            f"validator({answer_vars:,} variables)": "check(big)",
            f"10 x validator({small_vars:,} variables)": "for _ in range(10): check(small)",
        }),
        note="in copier's own python, timed around the validator alone; ratio ~1: linear",
    )


# --------------------------------------------------------------------------- reporting


def machine(ws: Workspace, load_before: dict) -> dict[str, str]:
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
        "Load before the run": describe_load(load_before),
        "OS": platform.platform(),
        "Python (project venv, bootstrap)": version([ws.python, "--version"]),
        "Python (copier)": platform.python_version(),
        "copier": here("copier"),
        "copier-template-extensions": here("copier-template-extensions"),
        "python-dotenv (project)": versions["python-dotenv"],
        "pydantic-settings (project)": versions["pydantic-settings"],
        "pydantic (project)": versions["pydantic"],
        "pip (base python)": version([ws.python, "-m", "pip", "--version"]).split(" from ")[0],
        "Start-up code of the base python": startup_code(ws.python, ws.env),
        "uv": version([ws.uv, "--version"]) if ws.uv else "absent",
        "matplotlib": here("matplotlib"),
        "git": version(["git", "--version"]),
    }


# Lines of .pth files that site runs at every start of an interpreter (see site.addpackage).
STARTUP_CODE = """\
import os, site
for folder in [*site.getsitepackages(), site.getusersitepackages()]:
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".pth"))
    except OSError:
        continue
    for name in names:
        try:
            lines = open(os.path.join(folder, name), encoding="utf-8").read().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        if any(line.startswith(("import ", "import\\t")) for line in lines):
            print(name)
"""


def startup_code(python: str, env: dict[str, str]) -> str:
    """The .pth files that run code at every start of ``python`` (the bootstrap rows pay
    for them, uv by hand does not), with what they cost; "none" when there are none."""
    out = subprocess.run([python, "-c", STARTUP_CODE], capture_output=True, text=True,
                         env=env)
    names = out.stdout.split()
    if out.returncode != 0 or not names:
        return "none" if out.returncode == 0 else "unknown"

    def start(*flags: str) -> float:
        times = []
        for _ in range(11):
            begin = time.perf_counter()
            subprocess.run([python, *flags, "-c", "pass"], env=env, check=True)
            times.append(time.perf_counter() - begin)
        return statistics.median(times)

    cost = (start() - start("-S")) * 1000
    return (f"{', '.join(names)} (python -c pass: {cost:.0f} ms more than python -S -c "
            "pass, which skips site-packages and its .pth files)")


def describe_load(load: dict) -> str:
    parts = []
    if load.get("others") is not None:
        parts.append(f"other processes used {load['others']:.0%} of the CPUs")
        if load.get("steal"):
            parts.append(f"steal {load['steal']:.0%}")
    if load.get("loadavg"):
        parts.append("load average " + " ".join(f"{x:.2f}" for x in load["loadavg"]))
    return ", ".join(parts) or "not measurable here"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


def median_ms(times: list[float], cpu: list[float | None]) -> str:
    known = [c for c in cpu if c is not None]
    text = ms(statistics.median(times))
    return text + (f" (cpu {ms(statistics.median(known))})" if known else "")


def shown_ratio(stats: dict | None) -> str:
    if not stats:
        return "-"
    interval = stats["interval"]
    span = f" ({interval[0]:.2f}-{interval[1]:.2f})" if interval else ""
    return f"{stats['ratio']:.2f}{span}"


def shown_verdict(pair: dict) -> str:
    if pair["verdict"] is None:
        return "-"
    word = {"met": "met", "missed": "**missed**", "inconclusive": "inconclusive"}[pair["verdict"]]
    return word + (f": {pair['why']}" if pair["why"] else "")


def markdown(results: list[dict], info: dict[str, str], skipped: list[dict], when: str,
             command: str) -> str:
    lines = [
        f"Measured {when} with `{command}`.",
        "",
        "| benchmark | subject | median ms | baseline | median ms | ratio (95% interval) "
        "| CPU ratio | target | verdict | others' CPU |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        times, cpu = result["times"], result["cpu_times"]
        subject = result["subject"]
        name = f"{result['group']}: {result['name']}"
        others = busy_share(result["load"])
        load = "-" if others is None else f"{others:.0%}"
        for pair in result["pairs"]:
            base = pair["baseline"]
            target = "-" if pair["target"] is None else f"<= {pair['target']:g}"
            lines.append(
                f"| {name} | {subject} | {median_ms(times[subject], cpu[subject])} "
                f"| {base} | {median_ms(times[base], cpu[base])} "
                f"| {shown_ratio(pair)} | {shown_ratio(pair['cpu'])} | {target} "
                f"| {shown_verdict(pair)} | {load} |"
            )
    runs = sorted({(r["runs"], r["warmup"]) for r in results})
    lines += [
        "",
        "Rounds (timed, after warm-up) per benchmark: "
        + ", ".join(f"{n} after {w}" for n, w in runs)
        + ". Ratio: median of the per-round ratios subject / baseline, with its "
        f"distribution-free {CONFIDENCE:.0%} interval; CPU: user + system time of the "
        "processes (in-process: of the validator). A target is met when the median is "
        f"{BAND:.0%} or more below it and the interval at or below it, missed when the "
        f"median is {BAND:.0%} or more above it and the interval above it, inconclusive "
        f"otherwise or when others (processes, or other guests: steal) took more than "
        f"{BUSY:.0%} of the CPUs.",
    ]
    counted = [r for r in results if r.get("instructions")]
    if counted:
        lines += ["", "Instructions (callgrind, `PYTHONHASHSEED=0`, the second of two runs):",
                  "", "| benchmark | subject | baseline | ratio |", "|---|---|---|---|"]
        for r in counted:
            count = r["instructions"]
            for pair in r["pairs"]:
                base = pair["baseline"]
                lines.append(
                    f"| {r['group']}: {r['name']} | {count[r['subject']]:.1f}M "
                    f"| {base}: {count[base]:.1f}M "
                    f"| {count[r['subject']] / count[base]:.3f} |")
    notes: dict[tuple[str, str], list[str]] = {}
    for r in results:
        if r["note"]:
            notes.setdefault((r["group"], r["note"]), []).append(r["name"])
    notes = [f"- {group}: {', '.join(names)}: {note}" for (group, note), names in notes.items()]
    if notes:
        lines += ["", "Notes:", *notes]
    if skipped:
        lines += ["", "Skipped:",
                  *(f"- {s['group']}: {s['name']}: {s['reason']}" for s in skipped)]
    lines += ["", "Machine:", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    return "\n".join(lines) + "\n"


def plot(results: list[dict], path: Path) -> str | None:
    """Ratios against targets, and the scale curves; a reason when matplotlib is absent."""
    try:
        import matplotlib
    except ImportError:
        return "matplotlib is not installed here (pip install --group bench)"
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
    colour = {None: "tab:gray", "met": "tab:green", "missed": "tab:red",
              "inconclusive": "tab:orange"}
    rows = range(len(pairs))
    left.barh(rows, ratios, color=[colour[p["verdict"]] for _, p in pairs])
    for row, (_, pair) in zip(rows, pairs, strict=True):
        if pair["interval"]:
            low, high = pair["interval"]
            left.plot([low, high], [row, row], color="black", lw=1)
        if pair["target"] is not None:
            target = pair["target"]
            left.fill_betweenx([row - 0.45, row + 0.45], target * (1 - BAND),
                               target * (1 + BAND), color="black", alpha=0.15, lw=0)
            left.plot([target] * 2, [row - 0.45, row + 0.45], color="black", lw=2)
        left.text(pair["ratio"], row, f" {pair['ratio']:.2f}", va="bottom", fontsize=8)
    left.set_yticks(list(rows), labels, fontsize=7)
    left.invert_yaxis()
    left.set_xscale("log")
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    left.set_xticks(ticks, [f"{t:g}" for t in ticks])
    left.minorticks_off()
    highs = [p["interval"][1] if p["interval"] else p["ratio"] for _, p in pairs]
    left.set_xlim(min(0.1, min(ratios) / 1.5), max(5.0, max(highs) * 1.5))
    left.axvline(1.0, color="gray", lw=0.8, ls="--")
    left.set_xlabel("median of per-round ratios subject / baseline (log), 95% interval; "
                    "black bar = target, grey = inconclusive band")
    left.set_title("time against baselines (green met, red missed, orange inconclusive)")
    if scale:
        right = axes[0][1]
        sizes = [int(r["name"].split()[0].replace(",", "")) for r in scale]
        for label in [scale[0]["subject"], *(p["baseline"] for p in scale[0]["pairs"])]:
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
    parser.add_argument("--runs", type=int, default=RUNS,
                        help=f"timed rounds (default {RUNS})")
    parser.add_argument("--warmup", type=int, default=WARMUP,
                        help=f"warm-up rounds (default {WARMUP})")
    parser.add_argument("--slow-runs", type=int, default=SLOW_RUNS,
                        help=f"timed rounds of the cold pip bootstrap (default {SLOW_RUNS})")
    parser.add_argument("--slow-warmup", type=int, default=SLOW_WARMUP,
                        help=f"warm-up rounds of the cold pip bootstrap (default {SLOW_WARMUP})")
    parser.add_argument("--sizes", default="10,100,1000,10000",
                        help="env file sizes of the scale benchmark (lines)")
    parser.add_argument("--answer-vars", type=int, default=1000,
                        help="variables in the answer given to the validator")
    parser.add_argument("--only", action="append", choices=GROUPS,
                        help="run only this group (repeatable)")
    parser.add_argument("--peers", type=Path,
                        default=Path(os.environ.get(PEERS_ENV) or DEFAULT_PEERS),
                        help=f"folder of the peer templates' git bundles (default: "
                             f"${PEERS_ENV}, else {DEFAULT_PEERS})")
    parser.add_argument("--smoke", action="store_true",
                        help="1 round, no warm-up, tiny sizes: checks that everything still runs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for results.md, results.json, results.png")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of the rows of "
                             f"{', '.join(INSTRUCTION_GROUPS)} with valgrind's callgrind "
                             "(a busy machine does not change them)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs = args.slow_runs = 1
        args.warmup = args.slow_warmup = 0
        args.sizes, args.answer_vars = "10,100", 50
    sizes = [int(size) for size in args.sizes.split(",")]
    valgrind = shutil.which("valgrind") if args.instructions else None
    if args.instructions and valgrind is None:
        parser.error("--instructions needs valgrind (callgrind) on PATH")
    groups = set(args.only or GROUPS)

    def log(message: str) -> None:
        print(f"bench: {message}", flush=True)

    meter = LoadMeter()
    load_before = meter.sample(0.5 if args.smoke else 2.0)
    log(f"before the run: {describe_load(load_before)}")
    if (busy_share(load_before) or 0) > BUSY:
        log("the machine is busy: every verdict of this run may come out inconclusive")
    work = Path(tempfile.mkdtemp(prefix="copier-venv-dotenv-bench-"))
    results: list[dict] = []
    try:
        ws = Workspace(work, log, args.peers)
        benches = build(ws, groups, sizes, args.answer_vars)
        for bench in benches:
            runs, warmup = ((args.slow_runs, args.slow_warmup) if bench.slow
                            else (args.runs, args.warmup))
            log(f"{bench.group}: {bench.name} ({runs} rounds after {warmup} warm-up)")
            ws.arrange_env_files(bench.env_files)
            result = measure(bench, runs, warmup, meter)
            for pair in result["pairs"]:
                judged = "" if pair["verdict"] is None else (
                    f", target <= {pair['target']:g}: {pair['verdict']}"
                    + (f" ({pair['why']})" if pair["why"] else ""))
                cpu = "" if not pair["cpu"] else f", cpu {pair['cpu']['ratio']:.3f}"
                log(f"    / {pair['baseline']}: {pair['ratio']:.3f}{cpu}{judged}")
            log(f"    load: {describe_load(result['load'])}")
            if valgrind and bench.group in INSTRUCTION_GROUPS and bench.subject:
                counts = {c.label: count_instructions(c, valgrind)
                          for c in (bench.subject, *bench.baselines)}
                result["instructions"] = counts
                for label in bench.labels[1:]:
                    log(f"    instructions / {label}: {counts[bench.subject.label]:.1f}M "
                        f"/ {counts[label]:.1f}M = {counts[bench.subject.label] / counts[label]:.3f}")
            results.append(result)
        info = machine(ws, load_before)
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
        skipped.append({"group": "plot", "name": "results.png", "reason": png_problem})
    table = markdown(results, info, skipped, when, shown)
    (args.out / "results.md").write_text("# Benchmark results\n\n" + table, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps({"when": when, "machine": info, "load_before": load_before,
                    "method": {"confidence": CONFIDENCE, "band": BAND, "busy": BUSY},
                    "skipped": skipped, "results": results}, indent=1) + "\n",
        encoding="utf-8")
    if args.out.resolve() == DEFAULT_OUT.resolve() and groups == set(GROUPS) and not args.smoke:
        if update_readme(table):
            log("README.md updated")
    log(f"wrote {args.out / 'results.md'}")
    for item in skipped:
        log(f"skipped {item['group']}: {item['name']}: {item['reason']}")
    for r in results:
        for p in r["pairs"]:
            if p["verdict"] in ("missed", "inconclusive"):
                log(f"target {p['verdict']}: {r['group']}: {r['name']} / {p['baseline']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
