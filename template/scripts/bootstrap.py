#!/usr/bin/env python3
"""Create or repair this project's virtual environment and its private env file.

    python3 scripts/bootstrap.py [--python X] [--recreate] [-q|--quiet] [--installer auto|uv|pip]

Runs from any directory: the project root is the folder above ``scripts/``. It reads
``requires-python`` and the ``[tool.copier-venv-dotenv]`` table (``venv-dir``, default
".venv"; ``env-file``, default ".env") from the project's pyproject.toml, then:

1. creates the venv (with uv when it is on PATH, else ``python -m venv``) and installs the
   project editable with its ``dev`` extra (``uv sync`` instead when uv.lock exists);
2. creates the env file from ``.env.example`` when there is none (mode 0600, a random value
   for every empty variable documented as ``type: secret``, a header saying the file is
   private); an existing env file is never modified, but when the names it sets differ from
   those of ``.env.example`` (after a ``copier update``, say) a note names them;
3. records what it did in ``<venv-dir>/.bootstrap-stamp.json``, written last: a run with
   nothing changed since then starts no process at all and returns at once; a changed
   pyproject.toml or uv.lock re-syncs the venv in place; a broken, moved or half-made venv
   is rebuilt.

It never deletes or writes into a folder that is not a virtual environment.

Exit codes:
    0  the venv and the env file are ready
    1  creating the venv or installing the project failed (the tool's output is shown)
    2  usage error or refusal; nothing unsafe was done and the message says how to fix it
    3  no suitable Python interpreter was found
"""

from __future__ import annotations

import sys

# Checked before anything else so that an old interpreter gets a sentence, not a traceback.
if sys.version_info < (3, 11):
    sys.stderr.write(
        "bootstrap: error: this script needs Python 3.11 or newer, found %d.%d; run it with a "
        "newer one, e.g. python3.12 scripts/bootstrap.py\n" % sys.version_info[:2]
    )
    sys.exit(3)

import hashlib
import json
import os
import re
import time
import tomllib
from pathlib import Path

EXIT_OK, EXIT_INSTALL_FAILED, EXIT_REFUSED, EXIT_NO_PYTHON = 0, 1, 2, 3

WINDOWS = os.name == "nt"
STAMP_NAME = ".bootstrap-stamp.json"
STAMP_FORMAT = 1
# Written into a venv folder before this script fills it, so that a run killed before the
# venv tool wrote pyvenv.cfg still leaves a folder the next run recognises as its own.
MARKER_NAME = ".bootstrap-owned"
# The standard cache-directory tag; uv writes it first when it creates a venv.
CACHEDIR_SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"
LOCK_NAME = "uv.lock"
EXAMPLE_NAME = ".env.example"

EPILOG = """\
exit codes:
  0  the venv and the env file are ready
  1  creating the venv or installing the project failed (the tool's output is shown)
  2  usage error or refusal; nothing unsafe was done and the message says how to fix it
  3  no suitable Python interpreter was found
"""


class Stop(Exception):
    """Ends the run: a message for stderr, an exit code and maybe a tool's output."""

    def __init__(self, code: int, message: str, output: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.output = output


class Progress:
    """Prints short progress lines with the time elapsed since the start."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.start:.1f}s] {message}", flush=True)


# --------------------------------------------------------------------------- project


class Project:
    """What pyproject.toml says about this project, with paths checked to stay inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pyproject = root / "pyproject.toml"
        try:
            raw = self.pyproject.read_bytes()
            data = tomllib.loads(raw.decode("utf-8"))
        except FileNotFoundError:
            raise Stop(EXIT_REFUSED, f"no pyproject.toml in {root}") from None
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise Stop(EXIT_REFUSED, f"cannot read {self.pyproject}: {exc}") from None
        # Hashed once from the bytes just parsed: plan() compares it, new_stamp() records it.
        self.pyproject_sha256 = hashlib.sha256(raw).hexdigest()
        project = data.get("project", {})
        table = data.get("tool", {}).get("copier-venv-dotenv", {})
        self.name = str(project.get("name", root.name))
        self.requires_python = str(project.get("requires-python", "")).strip()
        self.has_dev_extra = "dev" in project.get("optional-dependencies", {})
        self.package = _package_name(data)
        self.venv_dir = self._inside(table.get("venv-dir", ".venv"), "venv-dir")
        self.env_file = self._inside(table.get("env-file", ".env"), "env-file")
        if self.venv_dir == self.env_file:
            raise Stop(
                EXIT_REFUSED,
                "venv-dir and env-file in pyproject.toml name the same path; "
                'use e.g. venv-dir = ".venv" and env-file = ".env"',
            )
        self.lock = root / LOCK_NAME
        self.example = root / EXAMPLE_NAME

    def _inside(self, value: object, key: str) -> Path:
        # A venv-dir outside the project could make --recreate delete someone else's folder.
        if not isinstance(value, str) or not value.strip():
            raise Stop(EXIT_REFUSED, f"[tool.copier-venv-dotenv] {key} must be a non-empty string")
        path = (self.root / value).resolve()
        if path == self.root or self.root not in path.parents:
            raise Stop(
                EXIT_REFUSED,
                f"[tool.copier-venv-dotenv] {key} = {value!r} resolves to {path}, which is not "
                f"inside the project {self.root}; use a path inside it such as "
                f"{'.venv' if key == 'venv-dir' else '.env'!r}",
            )
        return path

    def rel(self, path: Path) -> str:
        return os.path.relpath(path, self.root)


def _package_name(data: dict) -> str:
    """The import name from [tool.hatch.build.targets.wheel] packages, else "<package>"."""
    targets = data.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {})
    packages = targets.get("wheel", {}).get("packages") if isinstance(targets, dict) else None
    if isinstance(packages, list) and packages and isinstance(packages[0], str):
        name = packages[0].replace("\\", "/").rstrip("/").rpartition("/")[2]
        if name.isidentifier():
            return name
    return "<package>"


class Venv:
    """Paths of the project's virtual environment."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        bin_dir = directory / ("Scripts" if WINDOWS else "bin")
        self.python = bin_dir / ("python.exe" if WINDOWS else "python")
        self.cfg = directory / "pyvenv.cfg"
        self.stamp = directory / STAMP_NAME

    def is_ours(self) -> bool:
        """True for a folder this script may empty: a venv, or what a killed run left."""
        if self.cfg.is_file() or (self.dir / MARKER_NAME).is_file():
            return True
        tag = self.dir / "CACHEDIR.TAG"
        if tag.is_file() and tag.read_bytes().startswith(CACHEDIR_SIGNATURE):
            return True  # by definition a cache folder: nothing in it is the user's work
        return not any(self.dir.iterdir())

    def home(self) -> str | None:
        """The base interpreter's folder recorded in pyvenv.cfg."""
        try:
            text = self.cfg.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip().lower() == "home":
                return value.strip()
        return None

    def broken(self) -> str | None:
        """Why the venv's interpreter cannot work, judged from files only (no process)."""
        # exists() follows the symlink: False when the base Python it points to was removed.
        if not self.python.exists():
            return f"its interpreter {self.python} is missing or points to a removed Python"
        home = self.home()
        if home is None or not os.path.isdir(home):
            return f"the Python it was made from ({home or 'home unknown'}) is gone"
        return None


# --------------------------------------------------------------------------- python versions

_CLAUSE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>)\s*(\d+(?:\.\d+)*)(\.\*)?\s*")


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _compare(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    width = max(len(a), len(b))
    a, b = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
    return (a > b) - (a < b)


def satisfies(version: str, spec: str) -> bool | None:
    """Whether a version like "3.12.1" meets a simple specifier like ">=3.11,<4".

    None when the specifier uses syntax this small parser does not know (the caller then
    lets the installer decide rather than refusing a valid project).
    """
    have = _release(version)
    for clause in filter(None, (part.strip() for part in spec.split(","))):
        match = _CLAUSE.fullmatch(clause)
        if not match:
            return None
        op, text, wildcard = match.groups()
        want = _release(text)
        if wildcard:  # "==3.12.*" / "!=3.12.*": compare the leading parts only
            if op not in ("==", "!="):
                return None
            same = have[: len(want)] == want
            ok = same if op == "==" else not same
        elif op == "~=":  # "~=3.11" means ">=3.11, ==3.*"
            ok = _compare(have, want) >= 0 and have[: len(want) - 1] == want[:-1]
        else:
            cmp = _compare(have, want)
            ok = {
                "==": cmp == 0, "===": cmp == 0, "!=": cmp != 0,
                "<": cmp < 0, "<=": cmp <= 0, ">": cmp > 0, ">=": cmp >= 0,
            }[op]
        if not ok:
            return False
    return True


class Interpreter:
    """A base Python to build the venv from."""

    def __init__(self, executable: str, version: str, request: str | None) -> None:
        self.executable = executable
        self.version = version
        self.request = request  # what --python said, None for "the one running this script"


def running_interpreter() -> Interpreter:
    exe = sys.executable
    if sys.prefix != sys.base_prefix:
        # Run from inside a venv (maybe the very one we are about to rebuild): build from
        # its base Python instead, so the new venv does not depend on the old one.
        base = getattr(sys, "_base_executable", "")
        if base and os.path.exists(base):
            exe = base
    return Interpreter(exe, "%d.%d.%d" % sys.version_info[:3], None)


_PROBE = (
    "import json, os, sys; exe = sys.executable\n"
    "if sys.prefix != sys.base_prefix and os.path.exists(getattr(sys, '_base_executable', '')):\n"
    "    exe = sys._base_executable\n"
    "print(json.dumps({'executable': exe, 'version': '%d.%d.%d' % sys.version_info[:3]}))"
)


def find_interpreter(request: str) -> Interpreter:
    """Resolve --python: a version ("3.12") looked up on PATH (or py -3.12), or a path."""
    import shutil

    if re.fullmatch(r"\d+(\.\d+)*", request):
        if WINDOWS and shutil.which("py"):
            command = ["py", f"-{request}"]
        else:
            found = shutil.which(f"python{request}")
            if not found and shutil.which("uv"):
                found = _uv_find_python(request)
            if not found:
                raise Stop(
                    EXIT_NO_PYTHON,
                    f"no python{request} on PATH. Install Python {request} (e.g. "
                    f"`uv python install {request}`, pyenv, or your OS packages) or pass its "
                    f"path: --python /path/to/python{request}",
                )
            command = [found]
    else:
        found = shutil.which(request) or (request if os.path.isfile(request) else None)
        if not found:
            raise Stop(EXIT_NO_PYTHON, f"--python {request}: no such interpreter or file")
        command = [found]
    return _probe(command, request)


def _uv_find_python(request: str) -> str | None:
    # uv knows interpreters it installed itself, which need not be on PATH.
    import shutil
    import subprocess

    result = subprocess.run(
        [shutil.which("uv") or "uv", "python", "find", "--system", "--no-project", request],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def _probe(command: list[str], request: str) -> Interpreter:
    import subprocess

    try:
        # -I: ignore PYTHON* variables and user site-packages of the caller's environment.
        result = subprocess.run(
            [*command, "-I", "-c", _PROBE], capture_output=True, text=True, timeout=120
        )
        info = json.loads(result.stdout) if result.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        result, info = None, None
        detail = str(exc)
    else:
        detail = (result.stderr or result.stdout).strip()
    if not info:
        raise Stop(
            EXIT_NO_PYTHON,
            f"--python {request}: `{' '.join(command)}` does not run as a Python interpreter"
            + (f":\n{detail}" if detail else ""),
        )
    return Interpreter(info["executable"], info["version"], request)


def pick_interpreter(explicit: str | None, recorded: str | None, progress) -> Interpreter:
    """--python if given, else the Python the venv was made with, else the running one."""
    if explicit:
        return find_interpreter(explicit)
    if recorded:
        # Rebuilding a venv made with --python X: keep X rather than silently switch.
        try:
            return find_interpreter(recorded)
        except Stop:
            progress(f"--python {recorded} of the last run is not available any more; "
                     f"using the Python running this script")
    return running_interpreter()


def check_requires_python(interpreter: Interpreter, project: Project) -> None:
    spec = project.requires_python
    if not spec or satisfies(interpreter.version, spec) is not False:
        return
    lowest = re.search(r">=\s*(\d+\.\d+)", spec)
    version = lowest[1] if lowest else "3.X"
    raise Stop(
        EXIT_NO_PYTHON,
        f"Python {interpreter.version} ({interpreter.executable}) does not satisfy "
        f"requires-python = {spec!r} of this project.\n"
        f"Choose another interpreter: python3 scripts/bootstrap.py --python {version} "
        f"(looked up on PATH) or --python /path/to/python.\n"
        f"No suitable Python installed? `uv python install {version}`, pyenv, or your OS "
        f"packages.",
    )


# --------------------------------------------------------------------------- stamp


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def read_stamp(venv: Venv) -> dict | None:
    try:
        stamp = json.loads(venv.stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) and stamp.get("format") == STAMP_FORMAT else None


def new_stamp(project: Project, venv: Venv, interpreter: Interpreter, installer: str) -> dict:
    lock_sha = sha256(project.lock)
    return {
        "format": STAMP_FORMAT,
        "pyproject_sha256": project.pyproject_sha256,
        "lock_file": LOCK_NAME if lock_sha else None,
        "lock_sha256": lock_sha,
        "python_version": interpreter.version,
        "python_interpreter": interpreter.executable,
        "python_request": interpreter.request,
        "installer": installer,
        "venv_python": str(venv.python),
        # Where the venv's python link leads: changes when the base Python is replaced.
        "venv_python_target": os.path.realpath(venv.python),
    }


def write_stamp(venv: Venv, stamp: dict) -> None:
    # Temp file + os.replace: a run killed while writing never leaves a truncated stamp.
    tmp = venv.stamp.with_name(STAMP_NAME + ".tmp")
    tmp.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, venv.stamp)


def remove_stamp(venv: Venv) -> None:
    # Before any change to the venv: a run killed from here on leaves no stamp, so the
    # next run rebuilds instead of trusting a half-synced venv.
    venv.stamp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- planning


def plan(project: Project, venv: Venv, stamp: dict | None, args, wanted: Interpreter | None):
    """Decide what to do: ("ok" | "sync" | "create", reason). Reads files only."""
    if not venv.dir.exists():
        return "create", "no venv yet"
    if args.recreate:
        return "create", "--recreate"
    if stamp is None:
        return "create", "no stamp: a previous run was interrupted or the venv was made by hand"
    if stamp.get("venv_python") != str(venv.python):
        return "create", "the project moved since the venv was made"
    problem = venv.broken()
    if problem:
        return "create", problem
    if stamp.get("venv_python_target") != os.path.realpath(venv.python):
        return "create", "its base Python was replaced"
    spec = project.requires_python
    if spec and satisfies(str(stamp.get("python_version")), spec) is False:
        return "create", f"its Python {stamp.get('python_version')} does not satisfy {spec!r}"
    if wanted and (
        wanted.version != stamp.get("python_version")
        or os.path.realpath(wanted.executable)
        != os.path.realpath(str(stamp.get("python_interpreter")))
    ):
        return "create", f"--python {wanted.request} asks for Python {wanted.version}"
    if args.installer != "auto" and args.installer != stamp.get("installer"):
        if args.installer == "pip" and stamp.get("installer") == "uv":
            return "create", "uv made it without pip"
        return "sync", f"installer changed to {args.installer}"
    if stamp.get("pyproject_sha256") != project.pyproject_sha256:
        return "sync", "pyproject.toml changed"
    if stamp.get("lock_sha256") != sha256(project.lock):
        return "sync", f"{LOCK_NAME} changed"
    return "ok", "up to date"


def choose_installer(requested: str) -> tuple[str, str | None]:
    """Return (installer, path of uv or None)."""
    import shutil

    uv = shutil.which("uv")
    if requested == "uv" and not uv:
        raise Stop(
            EXIT_REFUSED,
            "--installer uv: uv is not on PATH. Install it (see https://docs.astral.sh/uv/) "
            "or use --installer pip",
        )
    if requested == "pip" or not uv:
        return "pip", None
    return "uv", uv


# --------------------------------------------------------------------------- venv work


def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[int, str]:
    import subprocess

    # Argument lists, never shell strings: paths with spaces stay single arguments.
    result = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, errors="replace",
    )
    return result.returncode, result.stdout


def empty_dir(venv: Venv) -> None:
    """Empty a folder is_ours() accepted; keep the folder itself (it may be a mount point)."""
    import shutil

    # The marker keeps the folder recognisable if this run is killed halfway through.
    marker = venv.dir / MARKER_NAME
    marker.touch()
    for child in venv.dir.iterdir():
        if child == marker:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    marker.unlink()


def create_venv(project: Project, venv: Venv, interpreter: Interpreter, installer: str, uv):
    if venv.dir.exists():
        empty_dir(venv)
    if installer == "uv":
        # uv only creates into a missing or empty folder; it tags it with CACHEDIR.TAG first.
        command = [uv, "venv", "--quiet", "--no-project", "--python", interpreter.executable,
                   "--prompt", project.name, str(venv.dir)]
    else:
        venv.dir.mkdir(parents=True, exist_ok=True)
        (venv.dir / MARKER_NAME).touch()
        command = [interpreter.executable, "-m", "venv", "--prompt", project.name, str(venv.dir)]
    code, output = run(command, project.root)
    if code != 0 or not venv.python.exists():
        raise Stop(EXIT_INSTALL_FAILED, f"creating {project.rel(venv.dir)} failed", output)
    # Keep the venv out of git even where the project's .gitignore does not name it.
    gitignore = venv.dir / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")


def install(project: Project, venv: Venv, installer: str, uv) -> str:
    """Install the project editable with its dev extra; return a label for the progress line."""
    extras = ["dev"] if project.has_dev_extra else []
    target = ".[dev]" if extras else "."
    env = None
    if installer == "uv" and project.lock.is_file():
        # uv sync follows uv.lock exactly; UV_PROJECT_ENVIRONMENT makes it use our venv dir.
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env["UV_PROJECT_ENVIRONMENT"] = str(venv.dir)
        command = [uv, "sync", "--python", str(venv.python)]
        for extra in extras:
            command += ["--extra", extra]
        label = f"uv sync ({LOCK_NAME})"
    elif installer == "uv":
        command = [uv, "pip", "install", "--python", str(venv.python), "-e", target]
        label = "uv pip install"
    else:
        command = [str(venv.python), "-m", "pip", "install", "--disable-pip-version-check",
                   "-e", target]
        label = "pip install"
    code, output = run(command, project.root, env)
    if code != 0:
        raise Stop(
            EXIT_INSTALL_FAILED,
            f"{label} -e {target} failed (exit {code}); fix the problem above and run "
            f"this script again",
            output,
        )
    return label


# --------------------------------------------------------------------------- env file

_ASSIGNMENT = re.compile(r"(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)")
_SECRET_TYPE = re.compile(r"\btype\s*:\s*secret\b", re.IGNORECASE)


def _is_empty_value(raw: str) -> bool:
    # python-dotenv reads `NAME=`, `NAME=""`, `NAME=''` and `NAME= # note` as empty.
    value = raw.strip()
    return value in ("", '""', "''") or re.match(r"\s+#", raw) is not None


def fill_secrets(text: str) -> tuple[str, list[str]]:
    """Give every empty secret a random value; return (new text, names filled).

    A variable is a secret when a comment line directly above its assignment (in the same
    comment block, no blank line between) says `type: secret`.
    """
    import secrets

    out, filled, block = [], [], []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("#"):
            block.append(stripped)
            out.append(line)
            continue
        match = _ASSIGNMENT.fullmatch(line.rstrip("\r\n"))
        if match and _is_empty_value(match[3]) and any(_SECRET_TYPE.search(c) for c in block):
            prefix, name = match[1], match[2]
            newline = line[len(line.rstrip("\r\n")):]
            # token_urlsafe uses only [A-Za-z0-9_-]: safe unquoted in any env-file parser.
            line = f"{prefix}{name}={secrets.token_urlsafe(32)}{newline}"
            filled.append(name)
        out.append(line)
        block = []
    return "".join(out), filled


def write_private(path: Path, data: bytes) -> None:
    """Create path with mode 0600 whatever the umask; fail if it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if not WINDOWS:
            os.fchmod(fd, 0o600)  # O_CREAT's mode is masked by the umask; make it exact
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


PRIVATE_HEADER = (
    "# Private configuration of this checkout: never commit it (git ignores it).\n"
    "# Made from .env.example by scripts/bootstrap.py; .env.example documents every variable.\n"
)


def private_header(text: str) -> str:
    """Swap the example's leading comment block for one that fits the private copy.

    The example's header says it is committed and holds no secret: both false for the env
    file. The leading block counts only when a blank line ends it; comments that run straight
    into an assignment document that variable (maybe `type: secret`) and are kept.
    """
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    header = PRIVATE_HEADER.replace("\n", newline)
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith("#"):
        count += 1
    if count and (count == len(lines) or not lines[count].strip()):
        return header + "".join(lines[count:])
    return header + newline + text


def env_names(text: str) -> set[str]:
    """Names assigned in env-file text; a hint from a line scan, not a full dotenv parser.

    Counts `NAME=` and `export NAME=` lines, skips comments and the continuation lines of a
    quoted value that spans several lines (so a line inside such a value is never a name).
    """
    names, quote = set(), ""
    for line in text.splitlines():
        if quote:  # inside a multi-line value: look for its closing quote only
            rest = _after_quote(line, quote)
            quote = "" if rest is not None else quote
            continue
        match = _ASSIGNMENT.fullmatch(line)
        if not match:
            continue
        names.add(match[2])
        value = match[3].lstrip()
        if value[:1] in ("'", '"') and _after_quote(value[1:], value[0]) is None:
            quote = value[0]
    return names


def _after_quote(text: str, quote: str) -> str | None:
    """What follows the first unescaped closing quote in text, None when it has none."""
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == quote:
            return text[index + 1:]
    return None


def check_env_path(project: Project) -> None:
    """Refuse an env path that is a folder (an old venv named .env) before doing any work."""
    env = project.env_file
    if not env.is_dir():
        return
    name = project.rel(env)
    old_venv = (env / "pyvenv.cfg").is_file()
    intro = (f"{name} is {'an old virtual environment' if old_venv else 'a folder'}, but this "
             f"project uses {name} as its env file (settings and secrets) and keeps its venv "
             f"in {project.rel(project.venv_dir)}.\n")
    if old_venv:
        # A venv holds absolute paths to itself, so a moved one is broken anyway; and a
        # name git does not ignore would let the user commit the whole venv.
        delete = "rmdir /s /q" if WINDOWS else "rm -rf"
        raise Stop(
            EXIT_REFUSED,
            intro
            + "A venv cannot be moved: delete it, then run this script again:\n"
            f"  {delete} {shell_path(env)}",
        )
    # A name matching `.env.*`, which the project's .gitignore ignores: not committed by mistake.
    target = env.with_name(".env.old")
    number = 1
    while target.exists() or target.is_symlink() or target == env:
        number += 1
        target = env.with_name(f".env.old-{number}")
    move = "move" if WINDOWS else "mv"
    raise Stop(
        EXIT_REFUSED,
        intro
        + "Move it to a name git ignores, then run this script again:\n"
        f"  {move} {shell_path(env)} {shell_path(target)}",
    )


def note_env_drift(project: Project, venv: Venv, progress: Progress) -> None:
    """Name (never show values of) variables the env file and .env.example disagree on.

    Reads two small files and starts no process, so even a no-op run can afford it.
    """
    if progress.quiet:
        return
    try:
        have = env_names(project.env_file.read_text(encoding="utf-8", errors="replace"))
        want = env_names(project.example.read_text(encoding="utf-8", errors="replace"))
    except OSError:  # no example, or an env file we may not read: nothing to compare
        return
    missing, extra = sorted(want - have), sorted(have - want)
    if not missing and not extra:
        return
    name = project.rel(project.env_file)
    parts = [f"missing from {name}: {', '.join(missing)}"] if missing else []
    parts += [f"not in {EXAMPLE_NAME}: {', '.join(extra)}"] if extra else []
    progress(f"note: {name} and {EXAMPLE_NAME} name different variables ({'; '.join(parts)}); "
             f"check with: {shell_path(venv.python)} -m {project.package}.settings check")


def ensure_env_file(project: Project, venv: Venv, progress: Progress) -> None:
    env, name = project.env_file, project.rel(project.env_file)
    if env.exists() or env.is_symlink():
        progress(f"kept existing {name}")
        note_env_drift(project, venv, progress)
        return
    if not project.example.is_file():
        progress(f"no {EXAMPLE_NAME}: {name} not created")
        return
    text, filled = fill_secrets(project.example.read_text(encoding="utf-8"))
    try:
        write_private(env, private_header(text).encode("utf-8"))
    except FileExistsError:  # created by someone else meanwhile: theirs wins
        progress(f"kept existing {name}")
        return
    # Names only: a secret value never reaches the terminal or a CI log.
    secrets_note = f"; random values for {', '.join(filled)}" if filled else ""
    progress(f"created {name} from {EXAMPLE_NAME} (mode 0600{secrets_note})")


# --------------------------------------------------------------------------- main


def shell_path(path: Path) -> str:
    """A path to show in a command: relative to the cwd when below it, quoted if needed."""
    try:
        text = os.path.relpath(path)
        if text.startswith(".."):
            text = str(path)
    except ValueError:  # another drive on Windows
        text = str(path)
    if WINDOWS:
        return f'"{text}"' if " " in text else text
    import shlex

    return shlex.quote(text)


def print_next_steps(venv: Venv) -> None:
    python = shell_path(venv.python)
    if WINDOWS:
        scripts = venv.python.parent
        print(f"activate:  {shell_path(scripts / 'activate.bat')}   "
              f"(PowerShell: {shell_path(scripts / 'Activate.ps1')})")
    else:
        print(f"activate:  source {shell_path(venv.python.parent / 'activate')}")
    print(f"run tests: {python} -m pytest")


def note_active_venv(venv: Venv, progress: Progress) -> None:
    active = os.environ.get("VIRTUAL_ENV")
    if active and os.path.realpath(active) != os.path.realpath(venv.dir):
        progress(f"note: another venv is active ({active}); this script sets up "
                 f"{venv.dir} and leaves the active one alone (`deactivate` to leave it)")


def parse_args(argv: list[str] | None):
    argv = sys.argv[1:] if argv is None else argv
    return _parse_common(argv) or _argparse(argv)


def _parse_common(argv: list[str]):
    """Read the usual flags without argparse; None for anything else (--help, errors...).

    A no-op run should cost little more than starting Python, and building the argparse
    parser costs about as much as all the rest of a no-op run.
    """
    args = Args(python=None, recreate=False, quiet=False, installer="auto")
    items = iter(argv)
    for item in items:
        name, sep, value = item.partition("=")
        if name in ("--recreate", "--quiet", "-q") and not sep:
            setattr(args, "quiet" if name == "-q" else name[2:], True)
        elif name in ("--python", "--installer"):
            value = value if sep else next(items, "")
            if not value or value.startswith("-"):
                return None
            setattr(args, name[2:], value)
        else:
            return None
    return args if args.installer in ("auto", "uv", "pip") else None


class Args:  # what argparse.Namespace is, without importing argparse
    def __init__(self, **values) -> None:
        self.__dict__.update(values)


def _argparse(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser(
        prog="bootstrap.py",
        description="Create or repair the project's virtual environment and its env file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--python", metavar="X",
                        help="interpreter for the venv: a version (3.12) looked up on PATH, "
                             "or a path (default: the one running this script)")
    parser.add_argument("--recreate", action="store_true",
                        help="delete the venv and build it again")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print errors only")
    parser.add_argument("--installer", choices=("auto", "uv", "pip"), default="auto",
                        help="auto (default): uv when it is on PATH, else venv + pip")
    return parser.parse_args(argv)  # exits 2 on usage errors, 0 after --help


def refuse_unsafe_paths(project: Project, venv: Venv) -> None:
    """Stop before any work when the env path or the venv path holds someone else's files."""
    check_env_path(project)
    if not venv.dir.is_dir():
        if venv.dir.exists():
            raise Stop(EXIT_REFUSED, f"{venv.dir} is a file, not a venv folder; move it away")
    elif not venv.is_ours():
        raise Stop(
            EXIT_REFUSED,
            f"{venv.dir} exists but is not a virtual environment (no pyvenv.cfg); it is left "
            f"untouched. Move or rename it, or set another venv-dir in "
            f"[tool.copier-venv-dotenv] of pyproject.toml, then run this script again",
        )


def update_venv(project: Project, venv: Venv, args, progress: Progress) -> None:
    """Bring the venv in line with the project: nothing, a re-sync, or a rebuild."""
    stamp = read_stamp(venv)
    previous = (stamp or {}).get("installer")
    recorded = (stamp or {}).get("python_request")
    wanted = None
    if args.python and args.python != recorded:
        wanted = find_interpreter(args.python)  # runs it: only when the request changed
    action, reason = plan(project, venv, stamp, args, wanted)

    if action == "ok":
        if wanted:  # same Python under another name: remember it, next time is a no-op
            write_stamp(venv, {**stamp, "python_request": wanted.request})
        progress(f"{project.rel(venv.dir)} is up to date (Python {stamp['python_version']}, "
                 f"{stamp['installer']})")
        return

    installer, uv = choose_installer(args.installer)
    if action == "sync" and installer == "pip" and previous == "uv":
        action, reason = "create", "uv made it without pip and uv is not on PATH now"
    if action == "create":
        interpreter = wanted or pick_interpreter(args.python, recorded, progress)
        check_requires_python(interpreter, project)
        if venv.dir.exists():
            progress(f"rebuilding {project.rel(venv.dir)}: {reason}")
        remove_stamp(venv)
        create_venv(project, venv, interpreter, installer, uv)
        progress(f"created {project.rel(venv.dir)} with {installer} "
                 f"(Python {interpreter.version})")
    else:
        interpreter = Interpreter(stamp["python_interpreter"], stamp["python_version"], recorded)
        progress(f"updating {project.rel(venv.dir)}: {reason}")
        remove_stamp(venv)
    progress(f"installing the project with {installer} ...")
    label = install(project, venv, installer, uv)
    progress(f"installed the project ({label})")
    # Last, atomically: its presence means "this venv is complete for these inputs".
    write_stamp(venv, new_stamp(project, venv, interpreter, installer))


def bootstrap(args, progress: Progress) -> None:
    project = Project(Path(__file__).resolve().parent.parent)
    venv = Venv(project.venv_dir)
    refuse_unsafe_paths(project, venv)
    note_active_venv(venv, progress)
    update_venv(project, venv, args, progress)
    ensure_env_file(project, venv, progress)
    if not progress.quiet:
        print_next_steps(venv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    progress = Progress(args.quiet)
    try:
        bootstrap(args, progress)
    except Stop as stop:
        if stop.output:
            sys.stderr.write(stop.output if stop.output.endswith("\n") else stop.output + "\n")
        sys.stderr.write(f"bootstrap: error: {stop.message}\n")
        return stop.code
    except KeyboardInterrupt:
        sys.stderr.write("bootstrap: interrupted; run this script again to finish\n")
        return 130
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
