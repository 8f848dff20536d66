"""Settings engine, command line: ``python -m <package>.settings [check]``.

The report (each variable, its source and its value, secrets masked) and the checks of
the env file and ``.env.example`` against the declarations, with the git and permission
checks only ``check`` needs. The library itself never prints; only this command does.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.
"""

from __future__ import annotations

import os
import sys

from ._settings_declarations import _masked_repr, _reserved_reason
from ._settings_envfile import _as_path, _EnvFile, _parse_file_strict, resolve_env_path
from ._settings_loading import _build, _load
from ._settings_values import Problem, Secret

# typing, collections.abc and pathlib are not imported at run time: annotations are
# strings here (see the __future__ import), and those imports would add milliseconds to
# every start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path
    from typing import Any

    from ._settings_declarations import BaseSettings, Layout, Variable
    from ._settings_envfile import _Entry


def check_example(settings_cls: type[BaseSettings], layout: Layout) -> list[Problem]:
    """``.env.example`` against the declarations: same names, same defaults, no secret value.

    Needs no real env file, so it suits a pre-commit hook. Values are compared as
    written (no interpolation).
    """
    problems: list[Problem] = []
    path = layout.example_path()
    entries = _parse_file_strict(path, problems, {}, interpolate=False)
    if entries is None:
        return problems
    declared = {v.name: v for v in settings_cls.variables()}
    for name, variable in declared.items():
        if name not in entries:
            problems.append(
                Problem(
                    "missing-key",
                    f"{name} is declared in settings.py but missing from {path}: add it",
                    variable=name,
                )
            )
            continue
        entry = entries[name]
        written = entry.value or ""
        expected = variable.default or ""
        where = f"{path}:{entry.line}"
        if variable.secret and written:
            # Do not echo it: it may be a real secret committed by mistake.
            problems.append(
                Problem(
                    "secret-value",
                    f"{name} is a secret but has a value in {where}: leave it empty "
                    "(NAME=) and rotate that secret if it was real",
                    variable=name,
                    origin=where,
                )
            )
        elif written != expected:
            problems.append(
                Problem(
                    "default-mismatch",
                    f"{name} is {written!r} in {where} but its declared default is "
                    f"{expected!r}: make them equal",
                    variable=name,
                    origin=where,
                )
            )
        reason = _reserved_reason(name, layout)
        if reason is not None:
            problems.append(
                Problem(
                    "reserved",
                    f"{name} is declared but reserved: {reason}",
                    variable=name,
                )
            )
    for name, entry in entries.items():
        if name not in declared:
            problems.append(
                Problem(
                    "extra-key",
                    f"{name} is in {path}:{entry.line} but not declared in settings.py: "
                    "declare it or remove it",
                    variable=name,
                    origin=f"{path}:{entry.line}",
                )
            )
    return problems


def _reserved_in_file(entries: Mapping[str, _Entry], path: Path, layout: Layout) -> list[Problem]:
    """A problem per reserved name set in the env file (unless ALLOW_RESERVED lists it)."""
    found = []
    for name, entry in entries.items():
        reason = _reserved_reason(name, layout)
        if reason is None:
            continue
        where = f"{path}:{entry.line}"
        found.append(
            Problem(
                "reserved",
                f"{name} at {where} is reserved: {reason}. Remove it, or add it to "
                "ALLOW_RESERVED in settings.py if you really mean it",
                variable=name,
                origin=where,
            )
        )
    return found


def _git_tracked(path: Path, root: Path) -> bool:
    """Whether git tracks ``path``; False when git or the repository is absent."""
    import subprocess

    try:
        result = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", str(path)],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0


def _permission_problem(path: Path) -> Problem | None:
    if os.name != "posix":
        return None
    import stat

    mode = stat.S_IMODE(os.stat(path).st_mode)
    if not mode & 0o044:
        return None
    return Problem(
        "permissions",
        f"{path} is readable by other users (mode {mode:04o}): chmod 600 '{path}'",
        origin=str(path),
    )


def check_env_file(
    settings_cls: type[BaseSettings],
    layout: Layout,
    *,
    env_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[Problem]:
    """The env file against ``.env.example`` (and the declarations); [] when in sync.

    A key missing from the env file is no problem when the environment provides it
    (non-empty): the environment wins over the env file anyway.
    """
    return _check_env_file(settings_cls, layout, env_file, environ, [])


def _check_env_file(
    settings_cls: type[BaseSettings],
    layout: Layout,
    env_file: str | os.PathLike[str] | None,
    environ: Mapping[str, str] | None,
    notes: list[str],
) -> list[Problem]:
    """``check_env_file``, appending to ``notes`` what is fine but worth a line."""
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    path, _explicit = resolve_env_path(env_file, environ, layout)
    example_path = layout.example_path()
    example = _parse_file_strict(example_path, problems, {}, interpolate=False)
    if not path.exists():
        problems.append(
            Problem(
                "no-file",
                f"there is no env file at {path}: create it from {example_path.name} "
                f"(cp '{example_path}' '{path}', then chmod 600 it) or run "
                "python scripts/bootstrap.py",
                origin=str(path),
            )
        )
        return problems
    entries = _parse_file_strict(path, problems, environ, interpolate=True, root=layout._root)
    if entries is None or example is None:
        return problems
    declared = {v.name: v for v in settings_cls.variables()}
    for name in example:
        if name in entries:
            continue
        if environ.get(name):
            notes.append(f"{name} is not in {path}; the environment provides it")
        else:
            problems.append(
                Problem(
                    "missing-key",
                    f"{name} is in {example_path.name} but missing from {path}: add it",
                    variable=name,
                )
            )
    reserved = _reserved_in_file(entries, path, layout)
    problems.extend(reserved)
    reserved_names = {problem.variable for problem in reserved}
    for name, entry in entries.items():
        if name in reserved_names:
            continue
        if name not in example and not layout.is_allowed(name):
            where = f"{path}:{entry.line}"
            problems.append(
                Problem(
                    "extra-key",
                    f"{name} at {where} is not in {example_path.name}: declare it in "
                    "settings.py and .env.example, or remove it",
                    variable=name,
                    origin=where,
                )
            )
    for name, variable in declared.items():
        entry = entries.get(name)
        if variable.required and entry is not None and not entry.value and not environ.get(name):
            problems.append(
                Problem(
                    "empty-required",
                    f"{name} is required but empty at {path}:{entry.line} (and not set "
                    "in the environment): give it a value",
                    variable=name,
                    origin=f"{path}:{entry.line}",
                )
            )
    permission = _permission_problem(path)
    if permission is not None:
        problems.append(permission)
    if _git_tracked(path, layout.root):
        problems.append(
            Problem(
                "tracked",
                f"{path} is tracked by git: its secrets are in the history. Run "
                f"git rm --cached '{path}', make sure .gitignore lists it, and rotate "
                "every secret it held",
                origin=str(path),
            )
        )
    # Values that do not cast (e.g. DEBUG=maybe) are out of sync too; they are typed from
    # the entries read above (named as load(path) names them: absolute) rather than by
    # reading the file again. Empty required values were reported above.
    file = _EnvFile(_as_path(os.path.join(os.getcwd(), path)), True, entries)
    typing_problems: list[Problem] = []
    _build(settings_cls, environ, file, layout, typing_problems)
    problems.extend(p for p in typing_problems if p.code != "missing")
    return problems


def _show(variable: Variable, value: Any) -> str:
    from pathlib import Path

    if isinstance(value, Secret):
        return str(value) or "(empty)"
    if isinstance(value, Path):
        return str(value)
    return _masked_repr(variable, value)


def render_report(settings: BaseSettings, env_path: Path, env_exists: bool) -> str:
    """Each variable, where its value came from, and the value (secrets masked)."""
    state = "" if env_exists else " (absent)"
    lines = [f"env file: {env_path}{state}"]
    sources = settings.sources()
    rows = [
        (v.name, str(sources[v.attr]), _show(v, getattr(settings, v.attr)))
        for v in type(settings).variables()
    ]
    if rows:
        name_width = max(len(r[0]) for r in rows)
        source_width = max(len(r[1]) for r in rows)
        lines += [f"{n:<{name_width}}  {s:<{source_width}}  {v}" for n, s, v in rows]
    return "\n".join(lines)


def _print_problems(problems: Sequence[Problem], stream: Any) -> None:
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''}:", file=stream)
    for problem in problems:
        print(f"  - {problem}", file=stream)


def run_cli(
    settings_cls: type[BaseSettings],
    layout: Layout,
    argv: Sequence[str] | None = None,
    *,
    prog: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """``python -m <package>.settings [check [--example-only]] [--env-file PATH]``.

    Exit codes: 0 all good, 1 problems found (each one printed), 2 bad command line.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog=prog, description="Show the settings (secrets masked) or check the env file."
    )
    parser.add_argument("--env-file", help="read this env file instead of the default")
    commands = parser.add_subparsers(dest="command")
    check = commands.add_parser("check", help="compare the env file with .env.example")
    check.add_argument("--env-file", dest="check_env_file", help=argparse.SUPPRESS)
    check.add_argument(
        "--example-only",
        action="store_true",
        help="only check .env.example against settings.py (no env file needed)",
    )
    args = parser.parse_args(argv)
    environ = os.environ if environ is None else environ
    env_file = getattr(args, "check_env_file", None) or args.env_file

    if args.command == "check":
        notes: list[str] = []
        if args.example_only:
            problems = check_example(settings_cls, layout)
            ok = f"{layout.example_path()} matches settings.py"
        else:
            problems = _check_env_file(settings_cls, layout, env_file, environ, notes)
            ok = "env file in sync with .env.example"
        for note in notes:
            print(f"info: {note}")
        if problems:
            _print_problems(problems, sys.stderr)
            return 1
        print(ok)
        return 0

    settings, problems, file = _load(settings_cls, env_file, environ, layout)
    # Reserved names in the env file do not stop this program (only declared variables
    # are read), but other tools that load the file into the environment (editors,
    # python-dotenv's load_dotenv) would apply them: warn, and leave failing to `check`.
    # The library itself never prints; only this command does.
    if file.exists:
        for warning in _reserved_in_file(file.entries, _as_path(file.path), layout):
            print(f"warning: {warning}", file=sys.stderr)
    if problems:
        _print_problems(problems, sys.stderr)
        return 1
    path = _as_path(file.path)  # as _load resolved it
    print(render_report(settings, path, path.is_file()))
    return 0
