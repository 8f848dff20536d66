"""The work of scripts/bootstrap.py, imported by it whenever there is something to do.

``scripts/bootstrap.py`` recognises a run with nothing to do on its own; every other run
comes here. This reads ``requires-python``, the dependency groups and extras and the
``[tool.copier-venv-dotenv]`` table (``venv-dir``, default ".venv"; ``env-file``,
default ".env"; ``settings``, the settings module) of pyproject.toml, then, holding a
lock in the venv folder so that two runs never work on one venv at once:

1. creates the venv (with uv when it is on PATH, else ``python -m venv``) and installs
   the project editable with the dependency groups it marks as default (``[tool.uv]
   default-groups``, else ``dev``) and its ``dev`` and ``test`` extras; ``uv sync``
   instead when uv.lock exists;
2. runs ``<venv python> -m <settings module> init --json``: the project's settings
   module creates the private env file from ``.env.example`` when there is none and
   names (never shows) what needs attention; this prints those notes;
3. records what it did in ``<venv-dir>/.bootstrap-stamp``, written last: a run with
   nothing changed since then returns at once; a changed pyproject.toml, uv.lock or
   requirements file (setup.py, setup.cfg, requirements*.txt) re-syncs the venv in
   place; a broken, moved or half-made venv is rebuilt; a changed .env.example or
   settings module (a copier update) or a vanished env file runs init again, whose
   notes name what the env files lack.

It never deletes or writes into a folder that is not a virtual environment, and the
tools it runs never see the caller's PYTHONPATH, PIP_TARGET and the like.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import re
import sys
import time
import tomllib
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard, cast

from bootstrap import (
    DEFAULT_VENV_DIR,
    STAMP_FORMAT,
    STAMP_NAME,
    WINDOWS,
    Progress,
    file_state,
    first,
    inputs_key,
    note_active_venv,
    print_next_steps,
    project_root,
    read_stamp,
    rerun_command,
    shell_path,
    stamp_text,
)

EXIT_OK, EXIT_INSTALL_FAILED, EXIT_REFUSED, EXIT_NO_PYTHON = 0, 1, 2, 3

# Written into a venv folder before anything else, so that a folder left by a run killed
# before the venv tool wrote pyvenv.cfg is still recognised as this script's own.
MARKER_NAME = ".bootstrap-owned"
# Held (flock on POSIX, msvcrt.locking on Windows) for the whole run, and by the pip or
# uv it starts: a second run waits until the venv is no longer being worked on.
LOCK_FILE_NAME = ".bootstrap.lock"
LOCK_TIMEOUT = 900.0  # seconds; a cold install of a big project can take minutes
# The standard cache-directory tag; uv writes it first when it creates a venv.
CACHEDIR_SIGNATURE = b"Signature: 8a477f597d28d172789f06886806bc55"
UV_LOCK = "uv.lock"
EXAMPLE_NAME = ".env.example"
# pip reads dependency groups itself (`pip install --group`) from this version on.
PIP_WITH_GROUPS = (25, 1)
# Extras that hold development tools in projects without dependency groups.
DEV_EXTRAS = ("dev", "test")
INIT_TIMEOUT = 60.0  # seconds; the settings module's init reads and writes small files

# The caller's variables that would make a tool install somewhere else, count packages
# outside the venv as installed, or install less than the project declares. Every
# PYTHON* variable is dropped as well (PYTHONPATH, PYTHONHOME, PYTHONUSERBASE...).
# fmt: off
UNSAFE_FOR_TOOLS = frozenset({
    "__PYVENV_LAUNCHER__", "VIRTUAL_ENV", "CONDA_PREFIX",
    "PIP_TARGET", "PIP_PREFIX", "PIP_ROOT", "PIP_USER", "PIP_SRC", "PIP_PYTHON",
    "PIP_EDITABLE", "PIP_REQUIREMENT", "PIP_GROUP", "PIP_NO_DEPS",
    "PIP_NO_DEPENDENCIES", "PIP_DRY_RUN",
    "UV_PROJECT", "UV_WORKING_DIR", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON",
    "UV_SYSTEM_PYTHON", "UV_DEV", "UV_NO_DEV", "UV_NO_GROUP", "UV_NO_EDITABLE",
    "UV_NO_INSTALL_PROJECT", "UV_NO_INSTALL_WORKSPACE", "UV_NO_INSTALL_LOCAL",
})
# fmt: on

EPILOG = """\
exit codes:
  0  the venv is ready (a problem with the env file is a warning: it never stops this)
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


def warn(message: str) -> None:
    """A problem that does not stop the run: printed even with --quiet."""
    sys.stderr.write(f"bootstrap: warning: {message}\n")


# --------------------------------------------------------------------------- project


def table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    # Parsed TOML, typed Any: a table's keys are str.
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def str_list(value: object) -> TypeGuard[list[str]]:
    """Whether ``value``, parsed TOML or JSON, is a list of str."""
    if not isinstance(value, list):
        return False
    return all(isinstance(item, str) for item in cast("list[object]", value))


def normalize(name: str) -> str:
    """A distribution, group or extra name as PEP 503/685 compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


class Project:
    """What pyproject.toml says about this project, with paths checked to stay
    inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pyproject = root / "pyproject.toml"
        if "\n" in str(root) or "\r" in str(root):
            raise Stop(
                EXIT_REFUSED,
                f"the project's path {str(root)!r} holds a line break, which the "
                f"venv's scripts cannot handle; move the project to a folder "
                "without one",
            )
        if self.pyproject.exists() and not self.pyproject.is_file():
            # A FIFO would hang the read, /dev/zero fill the memory, a folder fail it.
            raise Stop(
                EXIT_REFUSED, f"{self.pyproject} is not a regular file; make it one"
            )
        try:
            raw = self.pyproject.read_bytes()
            data = tomllib.loads(raw.decode("utf-8"))
        except FileNotFoundError:
            raise Stop(EXIT_REFUSED, f"no pyproject.toml in {root}") from None
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise Stop(EXIT_REFUSED, f"cannot read {self.pyproject}: {exc}") from None
        # Hashed once from the bytes just parsed: plan() compares it, the stamp keeps
        # it.
        self.pyproject_sha256 = hashlib.sha256(raw).hexdigest()
        project = table(data, "project")
        tool = table(data, "tool")
        ours = table(tool, "copier-venv-dotenv")
        uv = table(tool, "uv")
        self.name = str(project.get("name", root.name))
        # The distribution an install of the project puts into the venv (None: a name
        # set by setup.py, unknown here).
        name = project.get("name")
        self.distribution = name if isinstance(name, str) and name else None
        self.requires_python = str(project.get("requires-python", "")).strip()
        self.venv_link = ""  # how the venv-dir links elsewhere, "" when it does not
        self.venv_dir = self._inside(ours.get("venv-dir", DEFAULT_VENV_DIR), "venv-dir")
        self.env_file = self._inside(ours.get("env-file", ".env"), "env-file")
        if self.venv_dir == self.env_file:
            raise Stop(
                EXIT_REFUSED,
                "venv-dir and env-file in pyproject.toml name the same path; "
                'use e.g. venv-dir = ".venv" and env-file = ".env"',
            )
        self.lock = root / UV_LOCK
        self.example = root / EXAMPLE_NAME
        # [tool.uv] package = false: a project that is not a package installs its
        # dependency groups only.
        self.install_self = uv.get("package", True) is not False
        (
            self.groups,
            self.extras,
            self.group_requirements,
            self.tool_groups,
            self.tool_requirements,
        ) = installs(data)
        self.settings, self.settings_problem = settings_module(root, ours)
        self.requirement_files = requirement_files(root, table(tool, "setuptools"))
        self.requirements = [
            name for name in INSTALLED_REQUIREMENTS if (root / name).is_file()
        ]
        # Hashed once, as pyproject.toml is: plan() compares it, the stamp keeps it.
        self.requirements_sha256 = requirements_sha256(root, self.requirement_files)
        # What `init` reads: a change (a copier update) makes a run init again.
        self.init_files = [self.example, *settings_sources(root, self.settings)]

    def _inside(self, value: object, key: str) -> Path:
        # A venv-dir outside the project could make --recreate delete someone else's
        # folder.
        if not isinstance(value, str) or not value.strip():
            raise Stop(
                EXIT_REFUSED,
                f"[tool.copier-venv-dotenv] {key} must be a non-empty string",
            )
        example = ".venv" if key == "venv-dir" else ".env"
        if not value.isprintable():  # a line break or a NUL cannot be in a path
            raise Stop(
                EXIT_REFUSED,
                f"[tool.copier-venv-dotenv] {key} holds a control character; use a "
                f"plain path inside the project such as {example!r}",
            )
        if ":" in value:  # a Windows drive; in a venv's path it also breaks PATH
            raise Stop(
                EXIT_REFUSED,
                f"[tool.copier-venv-dotenv] {key} = {value!r} holds ':', which names a "
                f"drive on Windows and separates PATH entries; use a path inside the "
                f"project such as {example!r}",
            )
        if ".." in Path(value).parts:  # as copy time and the loader refuse it
            raise Stop(
                EXIT_REFUSED,
                f"[tool.copier-venv-dotenv] {key} = {value!r} holds '..'; use a path "
                f"inside the project such as {example!r}",
            )
        given = self.root / value
        link = next(
            (
                p
                for p in (given, *given.parents)
                if p.is_symlink() and self.root in p.parents
            ),
            None,
        )
        if link is not None and not link.exists():  # a loop, or a missing target
            raise Stop(
                EXIT_REFUSED,
                f"{key} {value}: {self.rel(link)} is a symbolic link that leads "
                f"nowhere (to {os.readlink(link)}: a loop, or a missing target); "
                "remove it, then run this script again",
            )
        # The env file itself may link anywhere (a secrets store): only the folder it is
        # in gets written (its .local layer). The venv folder is emptied by --recreate.
        if key == "env-file":
            path = given.parent.resolve() / given.name
        else:
            path = given.resolve()
        if path == self.root or self.root not in path.parents:
            where = f"resolves to {path}"
            if link is not None:
                where = f"leads to {path} through the symbolic link {self.rel(link)}"
            raise Stop(
                EXIT_REFUSED,
                f"[tool.copier-venv-dotenv] {key} = {value!r} {where}, which is not "
                f"inside the project {self.root}, where this script writes; use a path "
                f"inside it such as {example!r}"
                + (", or remove the link" if link is not None else ""),
            )
        if key == "venv-dir" and given.is_symlink():
            self.venv_link = f"{value} is a symbolic link to {os.readlink(given)}"
        return path

    def rel(self, path: Path | str) -> str:
        return os.path.relpath(path, self.root)


#: Requirement files at the root that an install takes along (``pip install -r``), as
#: such projects tell people to do; not with uv.lock, which alone decides the venv.
INSTALLED_REQUIREMENTS = (
    "requirements.txt",
    "requirements-dev.txt",
    "dev-requirements.txt",
)
#: Files a legacy build reads its requirements from (setup.py often reads one), and the
#: ones above, watched even while absent: a new one changes what the project installs.
REQUIREMENT_FILES = ("setup.py", "setup.cfg", *INSTALLED_REQUIREMENTS)
#: A folder of requirement files: watched as a whole, so that a new file counts.
REQUIREMENTS_FOLDER = "requirements"


def requirement_files(root: Path, setuptools: dict[str, Any]) -> list[Path]:
    """The files besides pyproject.toml and uv.lock that decide what an install brings:
    setup.py, setup.cfg, ``requirements*.txt`` and ``requirements/*.txt``, and the
    files of ``[tool.setuptools.dynamic]`` (``dependencies = {file = [...]}``) inside
    the project."""
    names: set[str] = set(REQUIREMENT_FILES)
    for pattern in ("requirements*.txt", f"{REQUIREMENTS_FOLDER}/*.txt"):
        names.update(os.path.relpath(path, root) for path in root.glob(pattern))
    dynamic = table(setuptools, "dynamic")
    for key in dynamic:
        files = table(dynamic, key).get("file", [])
        for name in [files] if isinstance(files, str) else files:
            if isinstance(name, str) and root in (root / name).resolve().parents:
                names.add(os.path.relpath((root / name).resolve(), root))
    return [root / name for name in sorted(names)]


def requirements_sha256(root: Path, files: list[Path]) -> str:
    """One hash of the requirement files' names and contents; "" when there is none."""
    present = [(path, sha256(path)) for path in files]
    lines = [f"{path.relative_to(root)} {digest}" for path, digest in present if digest]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest() if lines else ""


class Installs(NamedTuple):
    groups: list[str]  # the dependency groups, as the project spells them
    extras: list[str]  # the extras
    group_requirements: list[str]  # the groups' requirements, include-group followed
    # Other tools' development dependencies, which their own install command takes:
    # PDM's groups before PEP 735 ([tool.pdm.dev-dependencies], every one), Hatch's
    # default environment ([tool.hatch.envs.default]).
    tool_groups: list[str]  # as a progress line names them
    tool_requirements: list[str]


def installs(data: dict[str, Any]) -> Installs:
    """What this script installs with the project, from pyproject.toml's data: the
    dependency groups it marks as default ([tool.uv] default-groups, else dev) and its
    dev and test extras. Stop names what is malformed.

    Pure: the copier-venv-dotenv template loads this file at copy time and calls it
    to know whether the project's tools will include pytest.
    """
    if not isinstance(data.get("dependency-groups", {}), dict):
        raise Stop(EXIT_REFUSED, "pyproject.toml: [dependency-groups] must be a table")
    groups = table(data, "dependency-groups")
    names = default_groups(groups, table(table(data, "tool"), "uv"))
    extras = dev_extras(table(data, "project"))
    tool = table(data, "tool")
    pdm = table(table(tool, "pdm"), "dev-dependencies")
    hatch = table(table(table(tool, "hatch"), "envs"), "default")
    pdm_groups = [name for name, items in pdm.items() if isinstance(items, list)]
    hatch_keys = [k for k in ("dependencies", "extra-dependencies") if k in hatch]
    lists = [pdm[name] for name in pdm_groups] + [hatch[key] for key in hatch_keys]
    labels = [f"PDM dev-dependencies: {', '.join(pdm_groups)}"] if pdm_groups else []
    labels += ["Hatch's default environment"] if hatch_keys else []
    # What only the tool itself expands: PDM's -e file:///${PROJECT_ROOT}/..., Hatch's
    # {root:uri} context fields.
    requirements = [
        item
        for items in lists
        if isinstance(items, list)
        for item in cast("list[object]", items)  # parsed TOML
        if isinstance(item, str) and not item.startswith("-e") and "{" not in item
    ]
    return Installs(names, extras, resolve_groups(groups, names), labels, requirements)


def dev_extras(project: dict[str, Any]) -> list[str]:
    """The extras among DEV_EXTRAS that the project declares, as it spells them."""
    extras = table(project, "optional-dependencies")
    declared = {normalize(name): name for name in extras}
    return [declared[name] for name in DEV_EXTRAS if name in declared]


def default_groups(groups: dict[str, Any], uv: dict[str, Any]) -> list[str]:
    """The dependency groups `uv sync` installs: [tool.uv] default-groups, else dev."""
    declared = {normalize(name): name for name in groups}
    wanted = uv.get("default-groups")
    if wanted is None:
        return [declared["dev"]] if "dev" in declared else []
    if wanted == "all":
        return list(groups)
    if not str_list(wanted):
        raise Stop(
            EXIT_REFUSED,
            "pyproject.toml: [tool.uv] default-groups must be a list of group names "
            'or "all"',
        )
    missing = [name for name in wanted if normalize(name) not in declared]
    if missing:
        raise Stop(
            EXIT_REFUSED,
            f"pyproject.toml: [tool.uv] default-groups names {', '.join(missing)}, "
            f"which [dependency-groups] does not define; add the group or remove "
            "the name",
        )
    names = [declared[normalize(name)] for name in wanted]
    return list(dict.fromkeys(names))


def resolve_groups(groups: dict[str, Any], names: list[str]) -> list[str]:
    """The requirements of dependency groups, include-group followed (PEP 735)."""
    by_key: dict[str, str] = {}
    for name in groups:
        other = by_key.setdefault(normalize(name), name)
        if other != name:
            raise Stop(
                EXIT_REFUSED,
                f"pyproject.toml: [dependency-groups] {other!r} and {name!r} are the "
                f"same group name (PEP 735 compares names normalized); merge them",
            )
    requirements: list[str] = []

    def visit(name: str, trail: tuple[str, ...]) -> None:
        key = normalize(name)
        if key not in by_key:
            raise Stop(
                EXIT_REFUSED,
                f"pyproject.toml: [dependency-groups] {trail[-1]!r} includes {name!r}, "
                f"which is not defined",
            )
        if key in trail:
            cycle = " -> ".join([*trail[trail.index(key) :], key])
            raise Stop(
                EXIT_REFUSED,
                "pyproject.toml: [dependency-groups] include a group in itself: "
                f"{cycle}",
            )
        items = groups[by_key[key]]
        if not isinstance(items, list):
            raise Stop(
                EXIT_REFUSED,
                f"pyproject.toml: [dependency-groups] {by_key[key]!r} must be a list",
            )
        for item in cast("list[object]", items):  # parsed TOML
            # {include-group = "name"}: a TOML table, whose keys are str.
            entry = cast("dict[str, object]", item) if isinstance(item, dict) else {}
            if isinstance(item, str):
                requirements.append(item)
            elif list(entry) == ["include-group"] and isinstance(
                entry["include-group"], str
            ):
                visit(entry["include-group"], (*trail, key))
            else:
                raise Stop(
                    EXIT_REFUSED,
                    f"pyproject.toml: [dependency-groups] {by_key[key]!r} holds "
                    f"{item!r}; an entry is a requirement string or {{include-group = "
                    f'"name"}}',
                )

    for name in names:
        visit(name, ())
    return list(dict.fromkeys(requirements))


def settings_sources(root: Path, module: str | None) -> list[Path]:
    """The source files of the settings module and of its engine (``_settings/``), when
    they are under src/ or at the root."""
    if not module:
        return []
    *package, name = module.split(".")
    for base in (root / "src", root):
        folder = base.joinpath(*package)
        if (folder / f"{name}.py").is_file():
            return [folder / f"{name}.py", *sorted((folder / "_settings").glob("*.py"))]
    return []


def init_inputs(project: Project) -> str:
    """The state of what `init` reads (.env.example, the settings' sources), as one
    line: a run that finds it changed runs `init` again."""
    return " ".join(file_state(str(path)) for path in project.init_files)


def settings_module(root: Path, ours: dict[str, Any]) -> tuple[str | None, str]:
    """The settings module to run `init` with, or None and why there is none.

    [tool.copier-venv-dotenv] settings when set; otherwise the one package under src/ or
    at the root whose settings.py sits next to a _settings/ folder.
    """
    value = ours.get("settings")
    if value is not None:
        if isinstance(value, str) and all(p.isidentifier() for p in value.split(".")):
            return value, ""
        return None, (
            f"[tool.copier-venv-dotenv] settings = {value!r} in pyproject.toml is not "
            f"a module name; write it as a dotted import path, e.g. "
            '"my_package.settings"'
        )
    found: list[str] = []
    for base in (root / "src", root):
        try:
            entries = sorted(os.scandir(base), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            folder = Path(entry.path)
            if (
                entry.name.isidentifier()
                and entry.is_dir()
                and (folder / "settings.py").is_file()
                and (folder / "_settings").is_dir()
            ):
                found.append(f"{entry.name}.settings")
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, (
            f"several settings modules ({', '.join(found)}): name the one to use in "
            f'pyproject.toml, [tool.copier-venv-dotenv] settings = "{found[0]}"'
        )
    return None, (
        "no settings module (a package under src/ or at the root with settings.py next "
        "to _settings/), so no env file was set up; if the project has one elsewhere, "
        'name it in pyproject.toml: [tool.copier-venv-dotenv] settings = "pkg.settings"'
    )


class Venv:
    """Paths of the project's virtual environment."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        bin_dir = directory / ("Scripts" if WINDOWS else "bin")
        self.python = bin_dir / ("python.exe" if WINDOWS else "python")
        self.cfg = directory / "pyvenv.cfg"
        self.stamp = directory / STAMP_NAME
        self.lock_file = directory / LOCK_FILE_NAME

    def is_ours(self) -> bool:
        """True for a folder this script may empty: a venv, or what a killed run
        left."""
        if (
            self.cfg.is_file()
            or (self.dir / MARKER_NAME).is_file()
            or self.stamp.is_file()
        ):
            return True
        # A tagged cache folder, by definition: nothing in it is the user's work.
        tag = self.dir / "CACHEDIR.TAG"
        if tag.is_file() and tag.read_bytes().startswith(CACHEDIR_SIGNATURE):
            return True
        return {child.name for child in self.dir.iterdir()} <= {LOCK_FILE_NAME}

    def has_content(self) -> bool:
        """Whether the folder holds more than what this script puts in an empty one."""
        ours = {MARKER_NAME, LOCK_FILE_NAME, ".gitignore"}
        return any(child.name not in ours for child in self.dir.iterdir())

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
        """Why the venv's interpreter cannot work, judged from files only
        (no process)."""
        # exists() follows the symlink: False when the base Python it points to was
        # removed.
        if not self.python.exists():
            return (
                f"its interpreter {self.python} is missing or points to a removed "
                "Python"
            )
        if not self.cfg.is_file():
            return "its pyvenv.cfg is missing"
        home = self.home()
        if home is None or not os.path.isdir(home):
            return f"the Python it was made from ({home or 'home unknown'}) is gone"
        if not any(site.is_dir() for site in self.site_packages()):
            return "its site-packages folder is gone"  # and every package in it
        return None

    def site_packages(self) -> list[Path]:
        if WINDOWS:
            return [self.dir / "Lib" / "site-packages"]
        return sorted((self.dir / "lib").glob("python*/site-packages"))

    def holds(self, distribution: str) -> bool:
        """Whether a distribution of that name is installed (its .dist-info folder)."""
        wanted = normalize(distribution)
        return any(
            normalize(info.name.partition("-")[0]) == wanted
            for site in self.site_packages()
            for info in site.glob("*.dist-info")
        )

    def pip_version(self) -> tuple[int, ...] | None:
        """The version of the pip installed in the venv, from its metadata folder's
        name."""
        for site in self.site_packages():
            for info in site.glob("pip-*.dist-info"):
                match = re.fullmatch(r"pip-(\d+(?:\.\d+)*)\.dist-info", info.name)
                if match:
                    return tuple(int(part) for part in match[1].split("."))
        return None


# ---------------------------------------------------------------------- python versions

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
                "==": cmp == 0,
                "===": cmp == 0,
                "!=": cmp != 0,
                "<": cmp < 0,
                "<=": cmp <= 0,
                ">": cmp > 0,
                ">=": cmp >= 0,
            }[op]
        if not ok:
            return False
    return True


class Interpreter(NamedTuple):
    """A base Python to build the venv from."""

    executable: str
    version: str
    request: str | None  # what --python said, None for "the one running this script"


def running_interpreter() -> Interpreter:
    exe = sys.executable
    if sys.prefix != sys.base_prefix:
        # Run from inside a venv (maybe the very one we are about to rebuild): build
        # from its base Python instead, so the new venv does not depend on the old one.
        base = getattr(sys, "_base_executable", "")
        if base and os.path.exists(base):
            exe = base
    return Interpreter(exe, ".".join(map(str, sys.version_info[:3])), None)


_PROBE = (
    "import json, os, sys; exe = sys.executable\n"
    "if sys.prefix != sys.base_prefix and "
    "os.path.exists(getattr(sys, '_base_executable', '')):\n"
    "    exe = sys._base_executable\n"
    "print(json.dumps({'executable': exe, "
    "'version': '%d.%d.%d' % sys.version_info[:3]}))"
)


def find_interpreter(request: str) -> Interpreter:
    """Resolve --python: a version ("3.12") looked up on PATH (or py -3.12), or a
    path."""
    import shutil

    if re.fullmatch(r"\d+(\.\d+)*", request):
        running = running_interpreter()
        if running.version.split(".")[: request.count(".") + 1] == request.split("."):
            return running._replace(request=request)  # asked for the one running this
        if WINDOWS and shutil.which("py"):
            command = ["py", f"-{request}"]
        else:
            # The first python3.X on PATH that runs: a pyenv shim of a version pyenv has
            # not activated fails, and another one further on may work.
            failed: Stop | None = None
            for candidate in _on_path(f"python{request}"):
                try:
                    return _probe([candidate], request)
                except Stop as stop:
                    failed = failed or stop
            found = _uv_find_python(request) if shutil.which("uv") else None
            if not found:
                raise failed or Stop(
                    EXIT_NO_PYTHON,
                    f"no python{request} on PATH. Install Python {request} (e.g. "
                    f"`uv python install {request}`, pyenv, or your OS packages) or "
                    f"pass its path: --python /path/to/python{request}",
                )
            command = [found]
    else:
        found = shutil.which(request) or (request if os.path.isfile(request) else None)
        if not found:
            raise Stop(
                EXIT_NO_PYTHON, f"--python {request}: no such interpreter or file"
            )
        command = [found]
    return _probe(command, request)


def _on_path(name: str) -> list[str]:
    """Every executable ``name`` on PATH, in PATH's order, each file once."""
    import shutil

    found: list[str] = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        path = shutil.which(name, path=folder) if folder else None
        if path and not any(os.path.samefile(path, seen) for seen in found):
            found.append(path)
    return found


def _uv_find_python(request: str) -> str | None:
    # uv knows interpreters it installed itself, which need not be on PATH.
    import shutil
    import subprocess

    uv = shutil.which("uv") or "uv"
    result = subprocess.run(
        [uv, "python", "find", "--system", "--no-project", request],
        check=False,
        capture_output=True,
        text=True,
        env=tool_env(),
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def _probe(command: list[str], request: str) -> Interpreter:
    import subprocess

    info = None
    try:
        # -I: ignore PYTHON* variables and user site-packages of the caller's
        # environment.
        result = subprocess.run(
            [*command, "-I", "-c", _PROBE],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
            env=tool_env(),
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        detail = str(exc)
    else:
        detail = (result.stderr or result.stdout).strip()
        if result.returncode == 0:
            try:
                info = json.loads(result.stdout)
            except ValueError:
                info = None
    if not isinstance(info, dict):
        raise Stop(
            EXIT_NO_PYTHON,
            f"--python {request}: `{' '.join(command)}` does not run as a Python "
            f"interpreter" + (f":\n{detail}" if detail else ""),
        )
    fields = cast("dict[str, object]", info)  # parsed JSON: its keys are str
    return Interpreter(str(fields["executable"]), str(fields["version"]), request)


def pick_interpreter(
    explicit: str | None, recorded: str | None, progress: Progress
) -> Interpreter:
    """--python if given, else the Python the venv was made with, else the running
    one."""
    if explicit:
        return find_interpreter(explicit)
    if recorded:
        # Rebuilding a venv made with --python X: keep X rather than silently switch.
        try:
            return find_interpreter(recorded)
        except Stop:
            progress(
                f"--python {recorded} of the last run is not available any more; "
                f"using the Python running this script"
            )
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
        f"Choose another interpreter: {rerun_command('--python', version)} "
        f"(looked up on PATH) or --python /path/to/python.\n"
        f"No suitable Python installed? `uv python install {version}`, pyenv, or your "
        f"OS packages.",
    )


# --------------------------------------------------------------------------- files


def sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def write_atomic(path: Path, text: str) -> None:
    """Replace path's content all at once: a killed run leaves the old file or the
    new."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", errors="surrogateescape")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_full_stamp(venv: Venv) -> dict[str, list[str]]:
    """The stamp of a complete run, or {} (none, unreadable, older or partial)."""
    fields = read_stamp(str(venv.stamp))
    needed = [name for name in ("venv", *RECORD_FIELDS) if name not in LATER_FIELDS]
    return fields if all(name in fields for name in needed) else {}


#: The stamp of this script's 0.1.0 release, which a run replaces along with the venv.
OLD_STAMP_NAME = ".bootstrap-stamp.json"


def recorded_request(venv: Venv, stamp: dict[str, list[str]]) -> str | None:
    """The ``--python`` the venv was made with: from the stamp, else from the stamp of
    0.1.0's script, so that the venv it rebuilds keeps that Python."""
    if stamp:
        return first(stamp, "python_request") or None
    try:
        old = json.loads((venv.dir / OLD_STAMP_NAME).read_text(encoding="utf-8"))
    except OSError:
        return None
    except ValueError:  # not UTF-8, or not JSON
        return None
    # Parsed JSON: an object's keys are str.
    fields = cast("dict[str, object]", old) if isinstance(old, dict) else {}
    request = fields.get("python_request")
    return request if isinstance(request, str) and request else None


def remove_stamp(venv: Venv) -> None:
    # Before any change to the venv: a run killed from here on leaves no stamp, so the
    # next run rebuilds instead of trusting a half-synced venv.
    venv.stamp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- lock


@contextmanager
def venv_lock(
    venv: Venv, project: Project, progress: Progress, timeout: float = LOCK_TIMEOUT
) -> Generator[int]:
    """Hold the venv folder's lock file; yield its descriptor for the tools to inherit.

    The lock lives in the venv folder (git ignores it, and nothing else has a say
    there). A folder that is not a venv yet gets the marker first, so that it stays
    recognisably ours whatever happens next.
    """
    venv.dir.mkdir(parents=True, exist_ok=True)
    if not venv.cfg.is_file():  # not a venv yet: mark it before anything else goes in
        os.close(open_own(venv.dir / MARKER_NAME, project))
    # Keeps the venv out of git even where the project's .gitignore does not name it.
    gitignore = venv.dir / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, "*\n")
    fd = open_own(venv.lock_file, project)
    try:
        deadline = time.monotonic() + timeout
        waited = False
        while not try_lock(fd):
            if not waited:
                progress(
                    f"waiting for another run of this script, which is working on "
                    f"{project.rel(venv.dir)} (it holds "
                    f"{project.rel(venv.lock_file)}) ..."
                )
                waited = True
            if time.monotonic() >= deadline:
                raise Stop(
                    EXIT_REFUSED,
                    f"another run of this script (or a pip or uv it started) has held "
                    f"{project.rel(venv.lock_file)} for {timeout:g} seconds; let it "
                    f"finish or stop it, then run this script again",
                )
            time.sleep(0.2)
        if waited:
            progress("the other run has finished")
        yield fd
    finally:
        unlock(fd)
        os.close(fd)


def open_own(path: Path, project: Project) -> int:
    """Open (create) one of this script's files in the venv folder, never through a
    symbolic link: one planted there would make it create a file anywhere."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError:
        if os.path.islink(path):
            raise Stop(
                EXIT_REFUSED,
                f"{project.rel(path)} is a symbolic link; this script's files in the "
                "venv folder never are: delete it, then run this script again",
            ) from None
        raise


def try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass  # not locked: the run stopped before it got the lock


# --------------------------------------------------------------------------- planning


def plan(
    project: Project,
    venv: Venv,
    stamp: dict[str, list[str]],
    args: Args,
    wanted: Interpreter | None,
) -> tuple[str, str]:
    """Decide what to do: ("ok" | "sync" | "create", reason). Reads files only."""
    if args.recreate:
        return "create", "--recreate"
    if not stamp:
        if not venv.has_content():
            return "create", "no venv yet"
        if (venv.dir / OLD_STAMP_NAME).is_file():
            return "create", "an earlier version of this script made it"
        return (
            "create",
            (
                "no stamp: a previous run did not finish (it failed or was stopped), "
                "or the venv was made by hand"
            ),
        )
    if first(stamp, "venv_python") != str(venv.python):
        return "create", "the project moved since the venv was made"
    problem = venv.broken()
    if problem:
        return "create", problem
    if first(stamp, "venv_python_target") != os.path.realpath(venv.python):
        return "create", "its base Python was replaced"
    version = first(stamp, "python_version")
    spec = project.requires_python
    if spec and satisfies(version, spec) is False:
        return "create", f"its Python {version} does not satisfy {spec!r}"
    if wanted and (
        wanted.version != version
        or os.path.realpath(wanted.executable)
        != os.path.realpath(first(stamp, "python_interpreter"))
    ):
        return "create", f"--python {wanted.request} asks for Python {wanted.version}"
    installer = first(stamp, "installer")
    if args.installer != "auto" and args.installer != installer:
        if args.installer == "pip" and installer == "uv":
            return "create", "uv made it without pip"
        return "sync", f"installer changed to {args.installer}"
    if first(stamp, "pyproject_sha256") != project.pyproject_sha256:
        return "sync", "pyproject.toml changed"
    if first(stamp, "lock_sha256") != sha256(project.lock):
        return "sync", f"{UV_LOCK} changed"
    if first(stamp, "requirements_sha256") != project.requirements_sha256:
        return "sync", "a requirements file, setup.py or setup.cfg changed"
    if first(stamp, "script_sha256") != scripts_sha256():
        return "sync", "a new version of this script (copier update) may install more"
    return "ok", "up to date"


@functools.cache  # plan() compares it, the stamp records it: the files are read once
def scripts_sha256() -> str:
    """One hash of this script and scripts/bootstrap.py: what decides what is
    installed."""
    here = Path(__file__).resolve().parent
    digests = [sha256(here / name) for name in ("bootstrap.py", "_bootstrap.py")]
    return hashlib.sha256(" ".join(digests).encode()).hexdigest()


def choose_installer(requested: str) -> tuple[str, str | None]:
    """Return (installer, path of uv or None)."""
    import shutil

    uv = shutil.which("uv")
    if requested == "uv" and not uv:
        raise Stop(
            EXIT_REFUSED,
            "--installer uv: uv is not on PATH. Install it (see "
            "https://docs.astral.sh/uv/) or use --installer pip",
        )
    if requested == "pip" or not uv:
        return "pip", None
    return "uv", uv


# --------------------------------------------------------------------------- venv work


def tool_env(**extra: str) -> dict[str, str]:
    """The caller's environment without what would mislead pip, uv or Python."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith("PYTHON")
        and name.upper() not in UNSAFE_FOR_TOOLS
    }
    # A pip.conf with `user = true` makes pip refuse to install into a venv; the
    # environment wins over configuration files.
    env["PIP_USER"] = "0"
    env.update(extra)
    return env


#: Seconds between the lines that say a long install still runs (its output is shown
#: only when it fails: a slow index or many retries would look like a hang).
HEARTBEAT = 20.0


def run(
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    lock_fd: int,
    progress: Progress | None = None,
    label: str = "",
) -> tuple[int, str]:
    """Run a tool that changes the venv; it holds the lock for as long as it runs."""
    import subprocess

    # On POSIX the tool inherits the locked descriptor: if this run is killed, a pip it
    # started keeps the venv locked until it ends, and the next run waits for it.
    pass_fds = () if WINDOWS else (lock_fd,)
    # Argument lists, never shell strings: paths with spaces stay single arguments.
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        pass_fds=pass_fds,
    ) as process:
        started = time.monotonic()
        try:
            while True:
                try:
                    output, _ = process.communicate(timeout=HEARTBEAT)
                    break
                except subprocess.TimeoutExpired:  # communicate() again loses nothing
                    if progress is not None:
                        waited = round(time.monotonic() - started)
                        progress(
                            f"{label or command[0]} still runs ({waited} s so far)"
                        )
        except BaseException:  # Ctrl-C: as subprocess.run does, the tool stops too
            process.kill()
            raise
        return process.returncode, output


def empty_dir(project: Project, venv: Venv) -> None:
    """Empty a folder is_ours() accepted; keep the folder, its marker and its lock."""
    import shutil

    # The marker keeps the folder recognisable if this run is killed halfway through.
    (venv.dir / MARKER_NAME).touch()
    for child in venv.dir.iterdir():
        if child.name in (MARKER_NAME, LOCK_FILE_NAME):
            continue
        try:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        except OSError as exc:
            raise Stop(
                EXIT_INSTALL_FAILED,
                f"could not empty {project.rel(venv.dir)} ({exc.strerror or exc}: "
                f"{exc.filename}); a program may still be using it (an editor, a pip "
                f"or uv that is still running): close it, then run this script again",
            ) from None


def create_venv(
    project: Project,
    venv: Venv,
    interpreter: Interpreter,
    installer: str,
    uv: str | None,
    lock_fd: int,
) -> None:
    empty_dir(project, venv)
    if uv is not None and installer == "uv":
        # --allow-existing: the folder holds the marker and the lock already.
        command = [uv, "venv", "--quiet", "--no-project", "--allow-existing"]
        command += ["--python", interpreter.executable]
    else:
        command = [interpreter.executable, "-I", "-m", "venv"]
    command += ["--prompt", project.name, str(venv.dir)]
    code, output = run(command, project.root, tool_env(), lock_fd)
    if code != 0 or not venv.python.exists() or not venv.cfg.is_file():
        raise Stop(
            EXIT_INSTALL_FAILED,
            f"creating {project.rel(venv.dir)} failed; {fix_hint(output)}",
            output,
        )
    gitignore = venv.dir / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, "*\n")


def fix_hint(output: str) -> str:
    """What to do about a tool that failed, from what it printed."""
    if "unexpected argument" in output:  # uv, older than an option this script uses
        return (
            "this uv may be too old for what this script asks of it: update it (uv "
            "self update, or your package manager), or add --installer pip to this "
            "script's command"
        )
    return "fix the problem above"


class Install(NamedTuple):
    command: list[str]
    env: dict[str, str]
    label: str
    # pip and `uv pip` read a target or prefix from their configuration files; uv sync
    # installs into UV_PROJECT_ENVIRONMENT, and leaves a project without a build
    # system uninstalled.
    configurable: bool = True


def install_commands(
    project: Project, venv: Venv, installer: str, uv: str | None
) -> list[Install]:
    """How to install the project editable with its groups, extras and root requirement
    files; [] when there is nothing to install. The last command installs the
    project."""
    target = f".[{','.join(project.extras)}]" if project.extras else "."
    editable = ["-e", target] if project.install_self else []
    if uv is not None and installer == "uv" and project.lock.is_file():
        # uv sync follows uv.lock exactly, with the default groups the project sets;
        # UV_PROJECT_ENVIRONMENT makes it use this venv folder.
        command = [uv, "sync", "--python", str(venv.python)]
        for extra in project.extras:
            command += ["--extra", extra]
        env = tool_env(UV_PROJECT_ENVIRONMENT=str(venv.dir))
        return [Install(command, env, f"uv sync, {UV_LOCK}", configurable=False)]
    groups = [arg for group in project.groups for arg in ("--group", group)]
    if uv is not None and installer == "uv":
        pip, base = False, [uv, "pip", "install", "--python", str(venv.python)]
    else:
        pip, base = True, [str(venv.python), "-I", "-m", "pip", "install"]
        base += ["--disable-pip-version-check", "--no-input"]
    tool = label = "pip install" if pip else "uv pip install"
    version = venv.pip_version() if pip else None
    if pip and groups and (version is None or version < PIP_WITH_GROUPS):
        # An older pip reads no dependency groups: this script resolved them (PEP 735).
        shown = ".".join(map(str, version)) if version else "unknown"
        label = f"pip {shown} install, groups read by this script"
        groups = project.group_requirements
    # A file pinned with --hash installs only on its own (pip refuses -e beside it).
    hashed = [
        name for name in project.requirements if holds_hashes(project.root / name)
    ]
    together = [name for name in project.requirements if name not in hashed]
    commands = [
        Install([*base, "-r", name], tool_env(), f"{tool} -r {name}") for name in hashed
    ]
    rest = [*editable, *(arg for name in together for arg in ("-r", name)), *groups]
    rest += project.tool_requirements
    if together:
        label += f", {', '.join(together)}"
    if rest:
        commands.append(Install([*base, *rest], tool_env(), label))
    return commands


def holds_hashes(path: Path) -> bool:
    try:
        return "--hash" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


#: pip settings that install somewhere else than the venv (``python``: into another
#: interpreter). The environment cannot unset those of a configuration file (pip ignores
#: empty values), so they stop the run.
PIP_ELSEWHERE = ("target", "prefix", "root", "python")


def pip_elsewhere(project: Project, venv: Venv) -> list[str]:
    """The settings of pip's configuration files (``pip config list``, run where pip
    install runs) that would make it install elsewhere than the venv."""
    import subprocess

    listed = subprocess.run(
        [str(venv.python), "-I", "-m", "pip", "config", "list"],
        capture_output=True,
        text=True,
        cwd=project.root,
        env=tool_env(),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    found: list[str] = []
    for line in listed.stdout.splitlines():
        key = line.partition("=")[0]
        section, _, option = key.partition(".")
        if section in ("global", "install") and option in PIP_ELSEWHERE:
            found.append(key)
    return found


def install(
    project: Project,
    venv: Venv,
    installer: str,
    uv: str | None,
    lock_fd: int,
    progress: Progress,
) -> str:
    """Install the project; return what was done, for the progress line."""
    commands = install_commands(project, venv, installer, uv)
    if not commands:
        return "nothing to install"
    if commands[0].command[0] == str(venv.python):  # pip, run by the venv's python
        elsewhere = pip_elsewhere(project, venv)
        if elsewhere:
            raise Stop(
                EXIT_REFUSED,
                f"pip's configuration sets {', '.join(elsewhere)}: pip would install "
                f"the project there, not into {project.rel(venv.dir)}; remove "
                f"{'that setting' if len(elsewhere) == 1 else 'those settings'} "
                "(pip config debug names the file) or install with uv "
                "(--installer uv)",
            )
    for what in commands:
        code, output = run(
            what.command, project.root, what.env, lock_fd, progress, what.label
        )
        if code != 0:
            raise Stop(
                EXIT_INSTALL_FAILED,
                f"{what.label} failed (exit {code}); {fix_hint(output)}, and run this "
                "script again",
                output,
            )
    last = commands[-1]  # the one that installs the project
    name = project.distribution if project.install_self else None
    if last.configurable and name and not venv.holds(name):
        raise Stop(
            EXIT_INSTALL_FAILED,
            f"{last.label} succeeded, but {name} is not installed in "
            f"{project.rel(venv.dir)}: a configuration sends the installs elsewhere "
            "(pip.conf: target, prefix, root or python; uv.toml: target or prefix "
            "under [pip]); remove that setting and run this script again",
        )
    return "; ".join(what.label for what in commands)


def contents(project: Project) -> str:
    """The groups and extras installed, for progress lines and the stamp."""
    parts: list[str] = []
    if project.groups:
        parts.append(f"groups: {', '.join(project.groups)}")
    if project.extras:
        parts.append(f"extras: {', '.join(project.extras)}")
    parts += project.tool_groups
    return "; ".join(parts) or "no groups or extras"


def uv_lock_note(project: Project, installer: str) -> str:
    """What uv.lock changes in an install, for a progress line ("" for nothing)."""
    if not project.lock.is_file():
        return ""
    if installer != "uv":
        return (
            f"{UV_LOCK} is there but uv is not on PATH: installing with pip from "
            f"pyproject.toml, so versions may differ from the lock"
        )
    if not project.requirements:
        return ""
    verb = "is" if len(project.requirements) == 1 else "are"
    return (
        f"{UV_LOCK} decides what the venv holds: {', '.join(project.requirements)} "
        f"{verb} not installed; add what the project needs to pyproject.toml and run "
        "uv lock"
    )


# --------------------------------------------------------------------------- env files


class EnvFiles(NamedTuple):
    status: str  # "ok", "failed" (run init again next time) or "none" (no module)
    layers: list[str]  # absolute paths of the env files in use


def set_up_env_files(project: Project, venv: Venv, progress: Progress) -> EnvFiles:
    """Run the settings module's `init`; print what it made and its notes."""
    if project.settings is None:
        progress(f"note: {project.settings_problem}")
        return EnvFiles("none", [])
    outcome = run_init(project, venv)
    if isinstance(outcome, str):
        warn(
            f"{outcome}. The venv is ready; fix this, then run {rerun_command()} "
            "again (it never changes an env file that exists)"
        )
        return EnvFiles("failed", [])
    created, layers, notes = outcome
    if created:
        progress(f"created {project.rel(created)} from {EXAMPLE_NAME}")
    kept = [layer for layer in layers if layer != created]
    if kept:
        progress(f"kept existing {', '.join(project.rel(layer) for layer in kept)}")
    for note in notes:
        progress(f"note: {note}")
    return EnvFiles("ok", layers)


def run_init(
    project: Project, venv: Venv
) -> tuple[str | None, list[str], list[str]] | str:
    """`init --json` of the settings module: (created, layers, notes), or what
    failed."""
    import subprocess

    module = project.settings
    shown = f"{shell_path(str(venv.python))} -m {module} init"
    command = [str(venv.python), "-s", "-m", str(module), "init", "--json"]
    try:
        result = subprocess.run(
            command,
            check=False,
            cwd=project.root,
            env=tool_env(PYTHONIOENCODING="utf-8"),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=INIT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return (
            f"`{shown}` did not finish within {INIT_TIMEOUT:g} seconds and was "
            f"stopped (is an env file a pipe, or on a network drive that hangs?)"
        )
    except OSError as exc:
        return f"`{shown}` could not start: {exc}"
    lines = result.stderr.strip().splitlines()
    # An import error names a module, never a value: safe to show.
    missing = re.search(r"No module named '?([\w.]+)'?", lines[-1] if lines else "")
    if result.returncode != 0:
        if missing and f"{module}.".startswith(f"{missing[1]}."):
            return (
                f"the settings module {module} cannot be imported by the venv's Python "
                f"(no module {missing[1]}); name the right one in pyproject.toml, "
                f'[tool.copier-venv-dotenv] settings = "pkg.settings"'
            )
        if missing:
            # The import name is not always the name on PyPI.
            wanted = "python-dotenv" if missing[1] == "dotenv" else missing[1]
            return (
                f"the settings module {module} imports {missing[1]}, which is not "
                f"installed in the venv; add {wanted} to the project's dependencies"
            )
        if result.returncode == 2 and "invalid choice" in result.stderr:
            return (
                f"{module} has no init command (it predates it): update the project "
                "with `copier update --trust --defaults` (and `-a <answers file>` when "
                "the template's answers are not in .copier-answers.yml)"
            )
        crashed = "Traceback (most recent call last)" in result.stderr
        if result.returncode == 1 and not crashed:
            # init's own message: names, files and lines, never a value.
            for line in lines:
                sys.stderr.write(printable(line) + "\n")
            return f"`{shown}` found the problem above"
        # A traceback may quote a value in its last line: not shown; the user can run
        # it.
        return f"`{shown}` failed (exit {result.returncode}); run it to see why"
    try:
        return parse_init_output(project, result.stdout)
    except TypeError:  # not the JSON object it prints
        return f"`{shown}` did not print the JSON this script expects"


def parse_init_output(
    project: Project, text: str
) -> tuple[str | None, list[str], list[str]]:
    """{"created": path or null, "layers": [paths], "notes": [sentences]} -> a tuple;
    TypeError when the text holds no such object."""
    data: object = None
    for candidate in (text, *reversed(text.strip().splitlines())):
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            break
    if not isinstance(data, dict):
        raise TypeError("no JSON object")
    fields = cast("dict[str, object]", data)  # an object's keys are str
    created, layers, notes = (
        fields.get("created"),
        fields.get("layers"),
        fields.get("notes", []),
    )
    if created is not None and not isinstance(created, str):
        raise TypeError("created")
    if not str_list(layers):
        raise TypeError("layers")
    if not str_list(notes):
        raise TypeError("notes")

    def absolute(path: str) -> str:
        return os.path.normpath(os.path.join(project.root, path))

    paths = [absolute(path) for path in layers]
    if created is not None:
        created = absolute(created)
        paths += [] if created in paths else [created]
    return created, paths, [printable(note) for note in notes]


def printable(text: str) -> str:
    """Text for a terminal: no control characters, whatever a module wrote."""
    return "".join(char if char.isprintable() else "?" for char in text)


# --------------------------------------------------------------------------- checks


def check_env_path(project: Project) -> None:
    """Refuse an env path that is a folder (an old venv named .env) before doing any
    work."""
    env = project.env_file
    if not env.is_dir():
        return
    name = project.rel(env)
    old_venv = (env / "pyvenv.cfg").is_file()
    intro = (
        f"{name} is {'an old virtual environment' if old_venv else 'a folder'}, but "
        f"this project uses {name} as its env file (settings and secrets) and keeps "
        f"its venv in {project.rel(project.venv_dir)}.\n"
    )
    if old_venv:
        # A venv holds absolute paths to itself, so a moved one is broken anyway; and a
        # name git does not ignore would let the user commit the whole venv.
        delete = "rmdir /s /q" if WINDOWS else "rm -rf"
        raise Stop(
            EXIT_REFUSED,
            intro + "A venv cannot be moved: delete it, then run this script again:\n"
            f"  {delete} {shell_path(str(env))}",
        )
    # A name matching `.env.*`, which the project's .gitignore ignores: not committed
    # by mistake.
    target = env.with_name(".env.old")
    number = 1
    while target.exists() or target.is_symlink() or target == env:
        number += 1
        target = env.with_name(f".env.old-{number}")
    move = "move" if WINDOWS else "mv"
    raise Stop(
        EXIT_REFUSED,
        intro + "Move it to a name git ignores, then run this script again:\n"
        f"  {move} {shell_path(str(env))} {shell_path(str(target))}",
    )


def refuse_unsafe_paths(project: Project, venv: Venv) -> None:
    """Stop before any work when the env path or the venv path holds someone's files."""
    check_env_path(project)
    if project.venv_link and (not venv.dir.is_dir() or not venv.is_ours()):
        raise Stop(
            EXIT_REFUSED,
            f"{project.venv_link}, which is not a virtual environment (no pyvenv.cfg); "
            "it is left untouched. Remove the link, or set another venv-dir in "
            "[tool.copier-venv-dotenv] of pyproject.toml, then run this script again",
        )
    if not venv.dir.is_dir():
        if venv.dir.exists():
            raise Stop(
                EXIT_REFUSED, f"{venv.dir} is a file, not a venv folder; move it away"
            )
    elif not venv.is_ours():
        raise Stop(
            EXIT_REFUSED,
            f"{venv.dir} exists but is not a virtual environment (no pyvenv.cfg); it "
            f"is left untouched. Move or rename it, or set another venv-dir in "
            f"[tool.copier-venv-dotenv] of pyproject.toml, then run this script again",
        )


# --------------------------------------------------------------------------- main


class Args(NamedTuple):
    python: str | None = None
    recreate: bool = False
    quiet: bool = False
    installer: str = "auto"


def parse_args(argv: list[str]) -> Args:
    return _parse_common(argv) or _argparse(argv)


def _parse_common(argv: list[str]) -> Args | None:
    """Read the usual flags without argparse; None for anything else (--help,
    errors...).

    Building the argparse parser costs about as much as a whole run that re-checks an
    up-to-date venv.
    """
    values: dict[str, Any] = {}
    items = iter(argv)
    for item in items:
        name, sep, value = item.partition("=")
        if name in ("--recreate", "--quiet", "-q") and not sep:
            values["quiet" if name == "-q" else name[2:]] = True
        elif name in ("--python", "--installer"):
            value = value if sep else next(items, "")
            if not value or value.startswith("-"):
                return None
            values[name[2:]] = value
        else:
            return None
    args = Args(**values)
    return args if args.installer in ("auto", "uv", "pip") else None


def _argparse(argv: list[str]) -> Args:
    import argparse

    parser = argparse.ArgumentParser(
        prog="bootstrap.py",
        description="Create or repair the project's virtual environment and env file.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--python",
        metavar="X",
        help="interpreter for the venv: a version (3.12) looked up on PATH, or a path "
        "(default: the one the venv was made with, else the one running this script)",
    )
    parser.add_argument(
        "--recreate", action="store_true", help="delete the venv and build it again"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument(
        "--installer",
        choices=("auto", "uv", "pip"),
        default="auto",
        help="auto (default): uv when it is on PATH, else venv + pip",
    )
    namespace = parser.parse_args(argv)  # exits 2 on usage errors, 0 after --help
    return Args(
        namespace.python, namespace.recreate, namespace.quiet, namespace.installer
    )


def update_venv(
    project: Project,
    venv: Venv,
    args: Args,
    stamp: dict[str, list[str]],
    ready: Preflight,
    lock_fd: int,
    progress: Progress,
) -> dict[str, str] | None:
    """Bring the venv in line with the project; return the new stamp, None if
    unchanged."""
    action, reason = plan(project, venv, stamp, args, ready.wanted)
    if action == "ok":
        return None
    installer, uv = ready.installer, ready.uv
    recorded = recorded_request(venv, stamp)
    if action == "sync" and installer == "pip" and first(stamp, "installer") == "uv":
        action, reason = "create", "uv made it without pip and uv is not on PATH now"
    if action == "create":
        interpreter = ready.wanted or ready.interpreter
        if interpreter is None:
            interpreter = pick_interpreter(args.python, recorded, progress)
        check_requires_python(interpreter, project)
        if venv.has_content():
            progress(f"rebuilding {project.rel(venv.dir)}: {reason}")
        remove_stamp(venv)
        create_venv(project, venv, interpreter, installer, uv, lock_fd)
        progress(
            f"created {project.rel(venv.dir)} with {installer} "
            f"(Python {interpreter.version})"
        )
    else:
        interpreter = Interpreter(
            first(stamp, "python_interpreter"), first(stamp, "python_version"), recorded
        )
        progress(f"updating {project.rel(venv.dir)}: {reason}")
        remove_stamp(venv)
    note = uv_lock_note(project, installer)
    if note:
        progress(f"note: {note}")
    progress(f"installing the project with {installer} ...")
    label = install(project, venv, installer, uv, lock_fd, progress)
    progress(f"installed the project ({label}; {contents(project)})")
    return {
        "summary": f"Python {interpreter.version}, {installer}; {contents(project)}",
        "python_version": interpreter.version,
        "python_interpreter": interpreter.executable,
        "python_request": interpreter.request or "",
        "installer": installer,
        "venv_python": str(venv.python),
        # Where the venv's python link leads: changes when the base Python is replaced.
        "venv_python_target": os.path.realpath(venv.python),
        "pyproject_sha256": project.pyproject_sha256,
        "lock_sha256": sha256(project.lock),
        "requirements_sha256": project.requirements_sha256,
        "script_sha256": scripts_sha256(),
    }


RECORD_FIELDS = (
    "summary",
    "python_version",
    "python_interpreter",
    "python_request",
    "installer",
    "venv_python",
    "venv_python_target",
    "pyproject_sha256",
    "lock_sha256",
    "requirements_sha256",
    "script_sha256",
)
# Recorded since a later version of this script: a stamp without them is complete too.
LATER_FIELDS = ("requirements_sha256", "script_sha256")


def write_stamp(
    project: Project, venv: Venv, record: dict[str, str], env: EnvFiles
) -> None:
    """Record a complete run; its key lets scripts/bootstrap.py skip the next one."""
    watched = [*project.requirement_files, project.root / REQUIREMENTS_FOLDER]
    watched += project.init_files  # a change makes the next run a full one
    inputs = [str(path) for path in watched if "\n" not in str(path)]
    fields = {
        "venv": [str(venv.dir)],
        "python_interpreter": [record["python_interpreter"]],
        "python_version": [record["python_version"]],
        "input": inputs,
    }
    key = inputs_key(str(project.root), fields)
    # Stat first, then compare: a pyproject.toml edited during the run gets a new
    # state, or content that differs from what was installed: no key, a full check.
    if sha256(project.pyproject) != project.pyproject_sha256:
        key = "-"
    lines = [("format", STAMP_FORMAT), ("key", key), ("venv", str(venv.dir))]
    lines += [(name, record[name]) for name in RECORD_FIELDS]
    lines += [("input", path) for path in inputs]
    lines += [("settings", project.settings or ""), ("init", env.status)]
    lines += [("init_inputs", init_inputs(project))]
    lines += [("env_file", str(project.env_file))]
    lines += [("layer", layer) for layer in env.layers if "\n" not in layer]
    text = stamp_text(lines)
    try:
        if venv.stamp.read_text(encoding="utf-8", errors="surrogateescape") == text:
            return  # nothing new: a run that changed nothing writes nothing
    except OSError:
        pass
    write_atomic(venv.stamp, text)


class Preflight(NamedTuple):
    """What is checked before the lock is taken (and the venv folder made)."""

    installer: str
    uv: str | None
    wanted: Interpreter | None  # --python, when it differs from the recorded one
    interpreter: Interpreter | None  # the one for a new venv, when there is none yet


def preflight(
    project: Project, venv: Venv, args: Args, progress: Progress
) -> Preflight:
    """Refuse a missing installer or an unsuitable Python before creating anything."""
    installer, uv = choose_installer(args.installer)
    recorded = recorded_request(venv, read_full_stamp(venv))
    wanted = None
    if args.python and args.python != recorded:
        wanted = find_interpreter(args.python)  # runs it: only when the request changed
    interpreter = None
    if not venv.cfg.is_file():
        interpreter = wanted or pick_interpreter(None, recorded, progress)
        check_requires_python(interpreter, project)
    return Preflight(installer, uv, wanted, interpreter)


def bootstrap(args: Args, progress: Progress) -> None:
    if args.python and os.path.dirname(args.python):
        # A path, recorded for later runs from any folder: made absolute now.
        args = args._replace(python=os.path.abspath(os.path.expanduser(args.python)))
    project = Project(Path(project_root()))
    venv = Venv(project.venv_dir)
    refuse_unsafe_paths(project, venv)
    note_active_venv(str(venv.dir), progress)
    ready = preflight(project, venv, args, progress)
    with venv_lock(venv, project, progress) as lock_fd:
        stamp = read_full_stamp(venv)  # again: another run may have just ended
        record = update_venv(project, venv, args, stamp, ready, lock_fd, progress)
        if record is None:  # the venv is up to date
            record = {name: first(stamp, name) for name in RECORD_FIELDS}
            if ready.wanted:  # the same Python under another name: remember it
                record["python_request"] = ready.wanted.request or ""
            progress(f"{project.rel(venv.dir)} is up to date ({record['summary']})")
            layers = stamp.get("layer", [])
            if (
                first(stamp, "init") == "failed"
                or first(stamp, "settings") != (project.settings or "")
                or not all(map(os.path.exists, layers))
                # A copier update changed .env.example or the settings: init's notes
                # say what the env files now lack.
                or first(stamp, "init_inputs") != init_inputs(project)
            ):
                env = set_up_env_files(project, venv, progress)
            else:
                env = EnvFiles(first(stamp, "init"), layers)
                if layers:
                    progress(f"kept existing {', '.join(map(project.rel, layers))}")
        else:
            write_stamp(project, venv, record, EnvFiles("failed", []))
            env = set_up_env_files(project, venv, progress)
        write_stamp(project, venv, record, env)
    if not progress.quiet:
        print_next_steps(str(venv.dir), str(project.root))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    progress = Progress(args.quiet)
    try:
        bootstrap(args, progress)
    except Stop as stop:
        if stop.output:
            output = stop.output
            sys.stderr.write(output if output.endswith("\n") else output + "\n")
        sys.stderr.write(f"bootstrap: error: {stop.message}\n")
        return stop.code
    except BrokenPipeError:  # Ctrl-C and a reader gone (`| head`): scripts/bootstrap.py
        raise
    except OSError as exc:
        if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
            # Rebuilding the venv cannot help: the folder is not ours to write.
            where = exc.filename or "the project's folder"
            sys.stderr.write(
                f"bootstrap: error: cannot write {where}: {exc.strerror}; make it and "
                "its folder writable for you, then run this script again\n"
            )
            return EXIT_INSTALL_FAILED
        sys.stderr.write(
            f"bootstrap: error: {exc}; run this script again, and if this comes back, "
            f"rebuild the venv: {rerun_command('--recreate')}\n"
        )
        return EXIT_INSTALL_FAILED
    return EXIT_OK
