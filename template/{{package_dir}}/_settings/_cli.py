"""The settings' command line: ``python -m <package>.settings [check | init | docs]``.

Template-owned (``copier update`` replaces it). Imported only by the command line: a
load never pays for argparse, json or the git and file checks here.

- no command: the env layers read, then each variable, where its value came from (file
  and line, secret file, environment or default) and the value, masked where it must be;
- ``check``: .env.example against the declarations, then every env layer present
  against both (no env file is fine when the environment gives every required value);
  ``check --example-only``: .env.example against the declarations (no env file needed);
- ``init [--json]``: create the private layer (``<env-file>.local``) from .env.example
  when neither it nor ``<env-file>`` exists (the bootstrap script runs it); never
  touches an existing env file;
- ``docs [--write README.md]``: the Markdown reference of the declared variables, or
  that table written between the README's settings-reference markers.

Exit codes: 0 all good, 1 problems (each one on stderr, never a value), 2 bad usage.
"""

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import _rules
from ._engine import (
    NO_FILES,
    BaseSettings,
    EnvFile,
    Given,
    Problem,
    Project,
    Variable,
    build,
    current_project,
    display,
    env_layers,
    load_all,
    null_env_file,
    private_layer,
    value_files,
)
from ._files import (
    interpolate,
    key_label,
    looks_like_a_name,
    name_problems,
    parse_text,
    python_command,
    read_env_file,
    read_regular,
    read_text,
)

# Exceptions as a name, not a parenthesised tuple: ruff format removes the parentheses
# for Python 3.14 (PEP 758), which earlier Pythons cannot parse.
_SOURCE_ERRORS = (OSError, UnicodeDecodeError)
_RESERVED_HINT = (
    "Remove it, or add it to ALLOW_RESERVED in settings.py if you really mean it"
)


# ------------------------------------------------------------------------------ report


def render_report(
    settings: BaseSettings,
    files: Sequence[EnvFile],
    given: Given = NO_FILES,
    mode: str = "",
) -> str:
    """The env layers read (lowest first), the secrets folder, then each variable, where
    its value came from, and the value (masked where needed)."""
    if len(files) > 1:
        which = f"mode {mode!r}" if mode else "no mode"
        lines = [f"env files, lowest first ({which}; the environment wins over all):"]
        lines += [
            f"  {_rules.printable(str(f.path))}{'' if f.exists else ' (absent)'}"
            for f in files
        ]
    elif files:
        f = files[0]
        lines = [
            (
                f"env file: {_rules.printable(str(f.path))}"
                f"{'' if f.exists else ' (absent)'}"
            )
        ]
    else:
        lines = ["env file: none (the values come from the environment only)"]
    if given.folder is not None:
        shown = "" if os.path.isdir(given.folder) else " (absent)"
        lines.append(f"secrets folder: {_rules.printable(str(given.folder))}{shown}")
    sources = settings.sources()
    rows = [
        (v.name, _rules.printable(str(sources[v.attr])), display(settings, v))
        for v in type(settings).variables()
    ]
    if rows:
        name_width = max(len(row[0]) for row in rows)
        source_width = max(len(row[1]) for row in rows)
        lines += [f"{n:<{name_width}}  {s:<{source_width}}  {v}" for n, s, v in rows]
    return "\n".join(lines)


def reserved_in_files(
    files: Sequence[EnvFile], allowed: Sequence[str]
) -> list[Problem]:
    """A problem per reserved name that an env file sets (unless allowed)."""
    found: list[Problem] = []
    for file in files:
        for entry in file.values.values():
            reason = _rules.reserved_reason(entry.key, allowed)
            if reason is None or entry.raw is None:
                continue
            where = file.where(entry)
            message = f"{key_label(entry.key)} at {where} is reserved: {reason}. "
            found.append(
                Problem(
                    "reserved",
                    message + _RESERVED_HINT,
                    variable=entry.key,
                    origin=where,
                )
            )
    return found


# ------------------------------------------------------------------------------- check


def declared_twice(settings_cls: type[BaseSettings]) -> list[Problem]:
    """Attributes the class body of ``settings_cls`` declares twice (Python keeps the
    last one silently), read from its source file."""
    module = sys.modules.get(settings_cls.__module__)
    filename = getattr(module, "__file__", None)
    if not filename:
        return []
    try:
        source = Path(filename).read_text(encoding="utf-8")
    except _SOURCE_ERRORS:  # changed or removed since it was imported
        return []
    problems: list[Problem] = []
    for attr, lines in _rules.declared_twice(source, settings_cls.__name__):
        times = "twice" if len(lines) == 2 else f"{len(lines)} times"
        where = ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"
        message = (
            f"{filename}: {settings_cls.__name__} declares {attr} {times}, at lines "
            f"{where}, and Python keeps only the last one: delete one (copier update "
            "writes the env_vars answer's variables above the marker comment, so one "
            "you declared below it by hand can end up there twice)"
        )
        problems.append(
            Problem("declared-twice", message, variable=attr.upper(), origin=filename)
        )
    return problems


def _own_keys(example: EnvFile) -> set[str]:
    """The keys .env.example sets above the template's block: the project's own, for
    other tools (docker compose...), which the template neither declares nor checks
    (none when the block's first marker line is gone)."""
    import re

    text = read_text(example.path, False, [], None)
    begin = re.compile(_rules.BLOCK_BEGIN_PATTERN)
    lines = (text or "").splitlines()
    start = next((n for n, line in enumerate(lines, 1) if begin.match(line)), 0)
    return {entry.key for entry in example.entries if entry.line < start}


def check_example(
    settings_cls: type[BaseSettings], project: Project | None = None
) -> list[Problem]:
    """.env.example against the declarations: same names, same defaults, no secret
    value, no reserved name; and no variable declared twice. Values are compared as
    written."""
    project = current_project() if project is None else project
    problems = list(project.problems)
    example = read_env_file(project.example_path, True, problems, project)
    declared = {v.name: v for v in settings_cls.variables()}
    allowed = settings_cls.__allow_reserved__
    leaked = {}  # defaults in settings.py that look like credentials: never shown
    for name, variable in declared.items():
        why = _rules.credential_default_reason(
            name, variable.kind, variable.default_text or ""
        )
        if why:
            leaked[name] = why
            message = (
                f"{name}: its default in settings.py is not accepted, since {why}, and "
                "settings.py is committed: declare it with the type Secret and no "
                "default, give the value in "
                f"{_rules.private_layer(project.env_file)}, "
                "and rotate it if it was real"
            )
            problems.append(Problem("secret-default", message, variable=name))
    if example.exists:
        for name, variable in declared.items():
            entry = example.values.get(name)
            if entry is None:
                # Its line as the template writes it; a default taken for a credential
                # is never shown.
                line = _rules.env_example_entries([variable.spec()]).splitlines()[-1]
                add = "add it" if name in leaked else f"add the line {line}"
                message = (
                    f"{name} is declared in settings.py but missing from "
                    f"{example.path}: {add}"
                )
                problems.append(Problem("missing-key", message, variable=name))
                continue
            where = example.where(entry)
            written = entry.raw or ""
            if written and (
                variable.secret
                or _rules.secret_spans(written)
                or _rules.looks_like_a_credential(name, written)
            ):
                # Not repeated: it may be a real secret committed by mistake.
                what = "is a secret but has a value"
                if not variable.secret:
                    what = "holds a credential"
                message = (
                    f"{name} {what} in {where}: leave it empty (NAME=) and rotate that "
                    "secret if it was real"
                )
                problems.append(
                    Problem("secret-value", message, variable=name, origin=where)
                )
            elif name not in leaked and not _rules.same_default(
                variable.kind, variable.default_text, written
            ):
                expected = variable.default_text or ""
                message = (
                    f"{name} is {written!r} in {where} but its declared default is "
                    f"{expected!r}: make them equal"
                )
                problems.append(
                    Problem("default-mismatch", message, variable=name, origin=where)
                )
            reason = _rules.reserved_reason(name, allowed)
            if reason is not None:
                message = f"{name} is declared but reserved: {reason}"
                problems.append(Problem("reserved", message, variable=name))
        undeclared = set(example.values) - set(declared)
        for_others: set[str] = _own_keys(example) if undeclared else set()
        for entry in example.values.values():
            if entry.key in declared or entry.raw is None:
                continue
            where = example.where(entry)
            label = key_label(entry.key)
            if _rules.looks_like_a_credential(entry.key, entry.raw):
                message = (
                    f"{label} at {where} looks like a credential, and "
                    f"{_rules.EXAMPLE_FILE} is committed: leave it empty (NAME=) and "
                    "rotate it if it was real"
                )
                problems.append(
                    Problem("secret-value", message, variable=entry.key, origin=where)
                )
            reason = _rules.reserved_reason(entry.key, allowed)
            if reason is not None:
                message = f"{label} at {where} is reserved: {reason}; remove it"
                problems.append(
                    Problem("reserved", message, variable=entry.key, origin=where)
                )
            elif entry.key not in for_others:
                message = (
                    f"{label} is in {where} but not declared in settings.py: "
                    "declare it or remove it"
                )
                problems.append(
                    Problem("extra-key", message, variable=entry.key, origin=where)
                )
    return problems + declared_twice(settings_cls)


def _git(command: str, path: Path, root: Path | None) -> int | None:
    """The exit status of ``git <command> -- <path>`` (its options in ``command``), run
    at the project root; None without git."""
    result = _git_run(command, path, root)
    return None if result is None else result[0]


def _git_run(command: str, path: Path, root: Path | None) -> tuple[int, str] | None:
    """The exit status and the output of ``git <command> -- <path>``; None without
    git."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", *_rules.GIT_READ_ONLY, *command.split(), "--", str(path)],
            cwd=root or path.parent,
            capture_output=True,
            text=True,
            errors="surrogateescape",
            check=False,
        )
    except OSError:
        return None
    return done.returncode, done.stdout


def _git_tracked(path: Path, root: Path | None) -> bool:
    """Whether git tracks ``path``; False when git or the repository is absent."""
    return _git("ls-files --error-unmatch", path, root) == 0


def _unignored_problem(path: Path, project: Project, private: bool) -> Problem | None:
    """A problem when ``path``, not tracked, is not ignored by git either: ``git add
    -A`` would commit it (None outside a git work tree, or without git)."""
    root = project.root
    if _git("check-ignore -q", path, root) != 1:  # 0: ignored; 128: no work tree
        return None
    # The line that un-ignores it on purpose (!.env.test), if one does.
    import re

    found = _git_run("check-ignore -v -n", path, root)
    # "<source>:<line>:<pattern>\t<path>"; the source may hold ':' (C:/Users/...).
    match = re.match(r"(.*):(\d+):(.*)\t", found[1] if found else "")
    source, line, pattern = match.groups() if match else ("", "", "")
    if pattern.startswith("!"):
        where = f"{source}:{line} ({pattern})"
        if private:
            message = (
                f"{path} is un-ignored by {where}, and this layer holds this "
                "checkout's secrets: git add -A would commit it. Remove that line"
            )
        else:
            message = (
                f"{path} is un-ignored by {where} but not committed: git add -A would "
                f"commit it. Commit it (git add '{path}') if it is meant to be shared "
                "and holds no secret, or remove that line"
            )
        return Problem("unignored", message, origin=str(path))
    update = _rules.update_command(project.answers_file, "restore_blocks=true")
    message = (
        f"{path} is neither committed nor ignored by git: git add -A would commit it, "
        "with any secret it holds. Add .env and .env.* to .gitignore (the lines of "
        "its copier-venv-dotenv block; to put the block back, move the env files out "
        f"of the project, run {update}, which needs a clean work tree, and move them "
        "back)"
    )
    if not private:  # a shared layer (.env.test) may be meant for the repository
        message += ", or commit it if it is meant to be shared and holds no secret"
    return Problem("unignored", message, origin=str(path))


def _permission_problem(path: Path, private: bool) -> Problem | None:
    if os.name != "posix":
        return None
    import stat

    mode = stat.S_IMODE(os.stat(path).st_mode)
    if not mode & 0o044:
        return None
    message = f"{path} is readable by other users (mode {mode:04o}): chmod 600 '{path}'"
    if not private:  # a shared layer (.env.test) may be meant for the repository
        message += (
            f"; or, if it holds no secret and is meant to be shared, commit it (with a "
            f"line !{path.name} in .gitignore, below the block, if git ignores it)"
        )
    return Problem("permissions", message, origin=str(path))


def _tracked_problem(
    file: EnvFile, private: bool, variables: Sequence[Variable]
) -> Problem | None:
    """A problem when git tracks ``file`` and must not: a private layer (``.local``, or
    the one file asked for) never; a shared one (``.env``, ``.env.<mode>``) when it
    holds a secret or a URL password (named, never shown)."""
    path = file.path
    if private:
        message = (
            f"{path} is tracked by git: its secrets are in the history. Run git rm "
            f"--cached '{path}', make sure .gitignore lists it, and rotate every "
            "secret it held"
        )
        return Problem("tracked", message, origin=str(path))
    secrets = {v.name for v in variables if v.secret}
    held = [
        entry.key
        for entry in file.values.values()
        if entry.raw
        and (
            entry.key in secrets
            or _rules.is_credential_name(entry.key, in_query=False)
            or _rules.secret_spans(entry.raw)
            or _rules.looks_like_a_credential(entry.key, entry.raw)
        )
    ]
    if not held:
        return None
    local = _rules.private_layer(path.name)
    one = len(held) == 1
    which = "which holds a secret" if one else "which hold secrets"
    them = "it" if one else "them"
    message = (
        f"{path} is tracked by git and sets {', '.join(held)}, {which}: "
        f"move {them} to {local} (git ignores it) and rotate {them}"
    )
    return Problem("tracked", message, origin=str(path))


def _no_effect(
    files: Sequence[EnvFile], project: Project, variables: Sequence[Variable]
) -> list[Problem]:
    """Names the loader reads from the environment only, set in an env file."""
    declared = {v.name for v in variables}
    own = {
        project.mode_name: "it chooses which env files are read",
        project.override_name: "it names the env file to read",
        project.secrets_dir_name: "it names the secrets folder",
    }
    for variable in variables:
        pointer = _rules.file_variable(variable.name)
        if variable.from_file and pointer not in declared:
            own[pointer] = f"it names a file holding {variable.name}"
    found: list[Problem] = []
    for file in files:
        for entry in file.values.values():
            if entry.key not in own or entry.key in declared or entry.raw is None:
                continue
            where = file.where(entry)
            message = (
                f"{entry.key} at {where} has no effect in an env file: "
                f"{own[entry.key]}, and the loader reads it from the environment only; "
                "remove it, or set it in the environment"
            )
            found.append(
                Problem("no-effect", message, variable=entry.key, origin=where)
            )
    return found


def _same_values(
    files: Sequence[EnvFile],
    every_mode: set[Path],
    secrets: set[str],
    private: Path | None,
) -> list[Problem]:
    """A line of a higher layer that gives a variable the value a lower layer gives.

    A layer read in every mode (``every_mode``: ``.env``, ``.env.local``) is compared
    with the layers read in every mode too: the same value in ``.env.<mode>`` alone
    does not make its line redundant, as without that mode it is what sets the value.
    A secret set in the ``private`` layer too stays there: the lower line goes."""
    found: list[Problem] = []
    below: dict[str, tuple[EnvFile, str]] = {}
    below_every_mode: dict[str, str] = {}
    for file in files:
        every = file.path in every_mode
        for entry in file.values.values():
            lower = below.get(entry.key)
            if (
                entry.raw
                and lower is not None
                and lower[1] == entry.raw
                and (not every or below_every_mode.get(entry.key) == entry.raw)
            ):
                where = file.where(entry)
                fix = f"remove the line from {file.path.name}"
                if entry.key in secrets and file.path == private:
                    fix = (
                        f"remove the line from {lower[0].path.name}: a secret belongs "
                        f"in {file.path.name} only"
                    )
                message = (
                    f"{key_label(entry.key)} at {where} sets the value that "
                    f"{lower[0].where(lower[0].values[entry.key])} already gives it: "
                    f"{fix}"
                )
                found.append(
                    Problem("same-value", message, variable=entry.key, origin=where)
                )
            if entry.raw is not None:
                below[entry.key] = (file, entry.raw)
                if every:
                    below_every_mode[entry.key] = entry.raw
    return found


def _random_value_hint(project: Project) -> str:
    """How to make a value for a new secret, as init does for a new env file."""
    return (
        f"a random value from {python_command(project)} -c "
        "'import secrets; print(secrets.token_urlsafe(32))'"
    )


def _defaulted(settings_cls: type[BaseSettings]) -> set[str]:
    """The declared variables that have a default: an env file may leave them out."""
    return {v.name for v in settings_cls.variables() if not v.required}


def _other_modes(
    project: Project,
    environ: Mapping[str, str],
    env_file: str | os.PathLike[str] | None,
) -> list[str]:
    """A note naming the modes whose env files are there but not read by this check
    (``.env.staging`` without ``<PACKAGE>_ENV=staging``), and one when the mode asked
    for has no file at all (a typo: ``stagging``)."""
    if (
        project.root is None
        or env_file is not None
        or environ.get(project.override_name)
    ):
        return []
    base = project.path(project.env_file)
    current = environ.get(project.mode_name, "")
    modes: set[str] = set()
    for path in base.parent.glob(f"{base.name}.*"):
        mode = path.name[len(base.name) + 1 :].removesuffix(f".{_rules.LOCAL}")
        if mode != current and not _rules.mode_problem(mode, project.mode_name):
            modes.add(mode)
    notes: list[str] = []
    names = ", ".join(sorted(modes))
    if current and not _rules.mode_problem(current, project.mode_name):
        every = _rules.env_layers(project.env_file, None)
        own = [
            project.path(name)
            for name in _rules.env_layers(project.env_file, current)
            if name not in every
        ]
        if not any(_exists(path) for path in own):
            notes.append(
                f"{project.mode_name}={current}, but neither {own[0].name} nor "
                f"{own[1].name} exists, so no file of that mode is read (a typo? the "
                f"modes with files here: {names or 'none'})"
            )
    if modes:
        notes.append(
            f"the env files of mode {names} are read only in that mode, so not here: "
            f"check them with {project.mode_name}={min(modes)} "
            f"{python_command(project)} -m {project.settings} check"
        )
    return notes


def _cut_secrets(files: Sequence[EnvFile], secrets: set[str]) -> list[str]:
    """A secret's unquoted value that ' #' ended: python-dotenv reads the rest of the
    line as a comment, so a secret holding ' #' is silently shorter. Never the value."""
    return [
        f"{entry.key} at {file.where(entry)}: python-dotenv ends the value at ' #' "
        "(the rest of the line is a comment): if '#' belongs to the secret, quote "
        "the value"
        for file in files
        for entry in file.entries
        if entry.commented
        and (
            entry.key in secrets or _rules.is_credential_name(entry.key, in_query=False)
        )
    ]


def _shadowed(
    files: Sequence[EnvFile],
    project: Project,
    environ: Mapping[str, str],
    env_file: str | os.PathLike[str] | None,
) -> list[str]:
    """With a mode set, a line of ``<env-file>.<mode>`` that ``<env-file>.local`` (which
    wins in every mode) sets again: the mode file's line has no effect. Names and
    file:line only, never a value. (``.env.<mode>.local`` over ``.env.<mode>``, or
    ``.env.<mode>`` over ``.env``, is what layers are for: no note.)"""
    mode = environ.get(project.mode_name, "")
    if not mode or env_file is not None or environ.get(project.override_name):
        return []
    mode_path = project.path(f"{project.env_file}.{mode}")
    private = private_layer(project)
    by_path = {file.path: file for file in files}
    lower, higher = by_path.get(mode_path), by_path.get(private) if private else None
    if lower is None or higher is None:
        return []
    notes: list[str] = []
    for entry in lower.values.values():
        over = higher.values.get(entry.key)
        if entry.raw is None or over is None or over.raw in (None, entry.raw):
            continue  # a same value is a problem of its own (same-value)
        notes.append(
            f"{key_label(entry.key)} at {lower.where(entry)} is "
            f"shadowed by {higher.where(over)}, which wins in every mode: comment that "
            f"line out to use the {mode} value, or move it to "
            f"{project.env_file}.{mode}.{_rules.LOCAL}"
        )
    return notes


def _required_not_given(
    settings_cls: type[BaseSettings],
    environ: Mapping[str, str],
    project: Project,
    problems: list[Problem],
) -> list[str]:
    """The required variables that neither the environment nor a secret file gives."""
    variables = settings_cls.variables()
    given = value_files(variables, environ, project, problems)
    return [
        v.name
        for v in variables
        if v.required
        and not (environ.get(v.name) or v.name in given.above or v.name in given.below)
    ]


def check_env_file(
    settings_cls: type[BaseSettings],
    project: Project | None = None,
    *,
    env_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    notes: list[str] | None = None,
) -> list[Problem]:
    """Every env layer present against .env.example and the declarations; [] when in
    sync.

    A key of .env.example that no layer sets is fine when the environment or a secret
    file provides it (it wins anyway): ``notes`` gets a line about it. A higher layer
    repeating a lower layer's value, a name that only works in the environment, a
    private layer tracked by git or a shared one holding secrets are problems.
    """
    project = current_project() if project is None else project
    environ = os.environ if environ is None else environ
    notes = [] if notes is None else notes
    problems = list(project.problems)
    example = read_env_file(project.example_path, True, problems, project)
    layers = env_layers(project, environ, env_file, problems)
    if env_file is None and null_env_file(project, environ):
        # No env file on purpose: what a load needs comes from the environment.
        missing = _required_not_given(settings_cls, environ, project, problems)
        if missing:
            message = (
                f"{project.override_name}={os.devnull} reads no env file, and the "
                f"environment does not set {', '.join(missing)}, which a load needs"
            )
            problems.append(Problem("empty-required", message))
        else:
            notes.append(f"{project.override_name}={os.devnull}: no env file to check")
        return problems
    if not layers:
        message = (
            "no project root was found above the package, so there is no env file to "
            f"check; set {project.override_name} or pass --env-file"
        )
        problems.append(Problem("no-file", message))
        return problems
    read = [
        (layer, read_env_file(layer.path, True, problems, project))
        for layer in layers
        if _exists(layer.path) or layer.required
    ]
    if not read:
        target = private_layer(project) or layers[-1].path
        names = ", ".join(layer.path.name for layer in layers)
        if not _required_not_given(settings_cls, environ, project, problems):
            # In CI or production the environment gives the values: nothing to compare.
            notes.append(
                f"there is no env file ({names} in {target.parent}); the environment "
                "(or a secret file) gives every required variable"
            )
            return problems
        if not example.exists:
            return problems  # init needs it first: its problem says how to restore it
        message = (
            f"there is no env file ({names} in {target.parent}): create {target.name} "
            f"from {_rules.EXAMPLE_FILE} with {python_command(project)} -m "
            f"{project.settings} init (or "
            "python3 scripts/bootstrap.py)"
        )
        problems.append(Problem("no-file", message, origin=str(target)))
        return problems
    read = [(layer, file) for layer, file in read if file.exists]
    files = [file for _layer, file in read]
    if not files:
        return problems
    variables = settings_cls.variables()
    given = value_files(variables, environ, project, problems)
    misnamed = name_problems(files, variables, problems)
    interpolate(files, environ, problems, variables, given)
    present = {key for file in files for key in file.values}
    declared = {v.name: v for v in variables}
    private = private_layer(project)
    suggest = next((f.path for f in files if f.path == private), files[-1].path)
    defaulted = _defaulted(settings_cls)
    if example.exists:
        unset = set(example.values) - present - set(declared)
        # The project's own keys, unless declared: a declared one is the settings'.
        for_others: set[str] = _own_keys(example) - set(declared) if unset else set()
        for name in example.values:
            if name in present or name in for_others:
                continue
            provided = given.above.get(name) or given.below.get(name)
            if environ.get(name):
                notes.append(
                    f"{name} is not in the env files; the environment provides it"
                )
            elif provided is not None:
                notes.append(
                    f"{name} is not in the env files; {provided[1]} provides it"
                )
            elif name in defaulted:
                continue  # its default applies (init writes it commented out)
            elif len(files) == 1:
                fix = "add it"
                secret = name in declared and declared[name].secret
                if secret and private is not None and files[0].path != private:
                    fix = f"add it to {private.name}, which git ignores"  # not shared
                if secret:
                    fix += f" (a secret: {_random_value_hint(project)})"
                message = (
                    f"{name} is in {_rules.EXAMPLE_FILE} but missing from "
                    f"{files[0].path}: {fix}"
                )
                problems.append(Problem("missing-key", message, variable=name))
            else:
                message = (
                    f"{name} is in {_rules.EXAMPLE_FILE} but missing from every env "
                    f"file ({', '.join(str(f.path) for f in files)}): add it to "
                    f"{suggest.name}"
                )
                problems.append(Problem("missing-key", message, variable=name))
    allowed = settings_cls.__allow_reserved__
    reserved = reserved_in_files(files, allowed)
    problems.extend(reserved)
    no_effect = _no_effect(files, project, variables)
    problems.extend(no_effect)
    # Names set on purpose (allowed) or reported as reserved are no extra keys.
    skip = {(p.variable or "").upper() for p in reserved + no_effect}
    skip |= {a.upper() for a in allowed}
    for file in files:
        for entry in file.values.values():
            if (
                entry.raw is None
                or entry.key.upper() in skip
                or entry.key in declared
                or entry.key in misnamed
            ):
                continue
            if example.exists and entry.key not in example.values:
                where = file.where(entry)
                message = (
                    f"{key_label(entry.key)} at {where} is not in "
                    f"{_rules.EXAMPLE_FILE}: declare it in settings.py and "
                    f"{_rules.EXAMPLE_FILE}, or remove it"
                )
                problems.append(
                    Problem("extra-key", message, variable=entry.key, origin=where)
                )
    every_mode = {project.path(project.env_file), private}
    secrets = {v.name for v in variables if v.secret}
    problems.extend(
        _same_values(files, {path for path in every_mode if path}, secrets, private)
    )
    notes.extend(_shadowed(files, project, environ, env_file))
    notes.extend(_cut_secrets(files, secrets))
    notes.extend(_other_modes(project, environ, env_file))
    # The NUL lines are said already: build() skips their values, as a load does.
    said = [problem for problem in problems if problem.code == "nul"]
    typing: list[Problem] = list(said)
    build(settings_cls, environ, files, project, typing, given)
    typing = typing[len(said) :]
    for name, file in _left_empty(typing, files):
        # Required, given a value nowhere, and left empty in a layer: name the line.
        where = file.where(file.values[name])
        message = (
            f"{name} is required but empty at {where} (and not set in the "
            "environment): give it a value"
        )
        problems.append(Problem("empty-required", message, variable=name, origin=where))
    for layer, file in read:
        # The one file asked for, and the .local layers, are private.
        own = layer.required or file.path.name.endswith(f".{_rules.LOCAL}")
        if _git_tracked(file.path, project.root):
            tracked = _tracked_problem(file, own, variables)
            if tracked is not None:
                problems.append(tracked)
        else:
            for problem in (
                _unignored_problem(file.path, project, own),
                _permission_problem(file.path, own),
            ):
                if problem is not None:
                    problems.append(problem)
    # Values that do not cast (DEBUG=maybe) are out of sync too; required values left
    # empty were reported above.
    problems.extend(problem for problem in typing if problem.code != "missing")
    return problems


# -------------------------------------------------------------------------------- init

_PRIVATE_HEADER = (
    "# Private settings of this checkout: never commit this file (git ignores it).\n"
    "# It wins over {base} and {base}.<mode>; the environment wins over it.\n"
    "# Made from {example} by `python -m {module} init`; {example} documents every "
    "variable.\n"
)


def _private_text(example: str, header: str) -> str:
    """The example's text under a header fit for the private copy.

    The example's own header says it is committed and holds no secret, both false
    here: a leading comment block that a blank line ends is replaced. Comments that
    run straight into an assignment document that variable and stay. The marker lines
    of the template's block, and its comment about ``copier update``, go.
    """
    example = _rules.private_example(example)
    lines = example.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith("#"):
        count += 1
    if count and (count == len(lines) or not lines[count].strip()):
        return header + "".join(lines[count:])
    return header + "\n" + example


def _private_lines(
    text: str, variables: Sequence[Variable]
) -> tuple[str, list[str], list[str], list[str]]:
    """The example's lines for the private layer: each required secret gets a random
    value (a value .env.example gives one, ``changeme``, is a placeholder or a leak:
    never copied; a ``${NAME}`` reference stays), an optional one is commented out
    without it (``# SENTRY_DSN=``: a random value would turn on what it enables); a
    declared variable with a default is commented out (``# LOG_LEVEL=INFO``), so it
    documents the default without shadowing ``.env.<mode>``; required variables and
    names settings.py does not declare stay as written. Returns (new text, secrets
    filled, names commented out, optional secrets left empty)."""
    import io
    import secrets

    from dotenv.parser import parse_stream

    declared = {v.name: v for v in variables}
    out: list[str] = []
    filled: list[str] = []
    commented: list[str] = []
    optional: list[str] = []
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        variable = declared.get(binding.key or "")
        if binding.error or variable is None:
            out.append(original)
        elif variable.secret and "${" not in (binding.value or ""):
            body = original.lstrip()
            prefix = original[: len(original) - len(body)]
            export = "export " if body.startswith("export") else ""
            newline = "\n" if original.endswith("\n") else ""
            if variable.required:
                # token_urlsafe uses only [A-Za-z0-9_-]: plain in any env-file parser.
                value = secrets.token_urlsafe(32)
                filled.append(variable.name)
            else:
                prefix, value = f"{prefix}# ", ""
                optional.append(variable.name)
            out.append(f"{prefix}{export}{binding.key}={value}{newline}")
        elif not variable.required and not variable.secret:
            lines = original.splitlines(True)  # a blank line after it stays blank
            out.append("".join(f"# {ln}" if ln.strip() else ln for ln in lines))
            commented.append(variable.name)
        else:
            out.append(original)
    return "".join(out), filled, commented, optional


def write_private(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data``, mode 0600, atomically; False if it exists already.

    The data goes to a temporary file first, which is then linked to ``path``: a kill
    at any moment leaves either no file or the whole one, and an existing file (made
    meanwhile by another run, say) is never replaced.
    """
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, flags, 0o600)
    try:
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)  # O_CREAT's mode is masked by the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: create it in place, never replacing one
            try:
                fd = os.open(path, flags, 0o600)
            except FileExistsError:
                return False
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _exists(path: Path) -> bool:
    """Something is at ``path``, or it cannot be looked at (not searchable, a name too
    long: its reader says why). A file on the way (``config`` a file) leaves nothing
    there: init then says why it cannot create it."""
    try:
        os.lstat(path)
    except OSError as error:
        return not isinstance(error, (FileNotFoundError, NotADirectoryError))
    return True


def init(
    settings_cls: type[BaseSettings],
    project: Project | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Create the private layer (``<env-file>.local``) from .env.example when neither
    it nor ``<env-file>`` exists: a project whose private file is ``.env`` keeps it,
    and nothing new shadows it.

    Returns ``{"created": path or None, "layers": [the env files of the mode that
    ``environ`` chooses, as they exist now], "notes": [sentences naming variables, never
    a value]}`` and the problems (then nothing was created).
    """
    project = current_project() if project is None else project
    environ = {} if environ is None else environ
    problems = list(project.problems)
    result: dict[str, Any] = {"created": None, "layers": [], "notes": []}
    target = private_layer(project)
    if target is None:
        message = (
            "no project root (a folder with pyproject.toml) was found above the package"
        )
        return result, [*problems, Problem("no-file", message)]
    layers = env_layers(project, environ, None, problems)
    if problems:  # a broken pyproject table or mode: create nothing
        return result, problems
    if null_env_file(project, environ):
        result["notes"].append(
            f"{project.override_name}={os.devnull}: the load reads no env file, so "
            "none is made"
        )
        return result, problems
    example = project.example_path
    if not any(_exists(layer.path) for layer in env_layers(project, {})):
        text = read_text(example, True, problems, project)
        if text is None:
            return result, problems
        # A byte order mark (Notepad's "UTF-8 with BOM") would land below the header,
        # where it is part of the next name.
        text = text.removeprefix("\ufeff")
        # A line .env.example cannot give (no '=', an open quote) would be copied into
        # the new file: name it where it is, and create nothing.
        parse_text(text, example, problems)
        if problems:
            return result, problems
        real = Path(os.path.realpath(target))
        root = project.root
        if root is not None and not real.is_relative_to(os.path.realpath(root)):
            # A folder on the way links out of the project: the bootstrap refuses it
            # too.
            message = (
                f"{target} resolves to {real}, outside the project {root} (a "
                "link on the way): init creates env files inside the project only"
            )
            problems.append(Problem("outside", message, origin=str(target)))
            return result, problems
        header = _PRIVATE_HEADER.format(
            example=example.name, module=project.settings, base=project.env_file
        )
        # The header first: the lines commented out next are no header to replace.
        private = _private_text(text, header)
        private, filled, commented, optional = _private_lines(
            private, settings_cls.variables()
        )
        data = private.encode("utf-8")
        try:
            created = write_private(target, data)
        except OSError as error:
            message = f"cannot create {target}: {error.strerror or error}"
            problems.append(Problem("unwritable", message, origin=str(target)))
            return result, problems
        if created:
            result["created"] = str(target)
            shown = _as_named(target, project)
            if filled:
                result["notes"].append(
                    f"{shown}: random values for {', '.join(filled)}"
                )
            if commented:
                applies, them = ("its default applies", "it")
                if len(commented) > 1:
                    applies, them = ("their defaults apply", "them")
                result["notes"].append(
                    f"{shown}: commented out {', '.join(commented)} ({applies}; "
                    f"{project.env_file}.<mode> can set {them}); uncomment a line "
                    "to set a value for this checkout"
                )
            if optional:
                result["notes"].append(
                    f"{shown}: left {', '.join(optional)} empty, commented out (an "
                    "optional secret: give it a value here to turn on what it enables)"
                )
            exposed = _unignored_problem(target, project, True)
            if exposed is not None:  # its secrets would go with the next git add -A
                result["notes"].append(str(exposed))
    existing = [layer.path for layer in layers if _exists(layer.path)]
    result["layers"] = [str(path) for path in existing]
    if environ.get(project.override_name) and not existing:
        result["notes"].append(
            f"{_as_named(layers[0].path, project)}, which {project.override_name} "
            "names, does not exist: create it (the load reads that file alone, not "
            f"{_as_named(target, project)})"
        )
    files = [read_env_file(path, True, problems, project) for path in existing]
    if problems:
        return result, problems
    load_problems = _load_problems(settings_cls, files, environ, project)
    left_empty = _left_empty(load_problems, files)
    by_file: dict[Path, list[str]] = {}
    for name, file in left_empty:
        by_file.setdefault(file.path, []).append(name)
    for path, names in by_file.items():
        verb, pronoun = ("is", "it") if len(names) == 1 else ("are", "them")
        result["notes"].append(
            f"{_as_named(path, project)}: {', '.join(names)} "
            f"{verb} required and empty there: give "
            f"{pronoun} a value (or set {pronoun} in the environment)"
        )
    # Required, and in no env file at all (an env file kept from before the template).
    held = {name for name, _ in left_empty}
    unset = [
        p.variable
        for p in load_problems
        if p.code == "missing" and p.variable and p.variable not in held
    ]
    if unset:
        verb, pronoun = ("is", "it") if len(unset) == 1 else ("are", "them")
        # The highest env file the load reads: one there is, else the one it would read.
        to = existing[-1] if existing else layers[-1].path if layers else target
        note = (
            f"{', '.join(unset)} {verb} required and in no env file: add {pronoun} to "
            f"{_as_named(to, project)} (or set {pronoun} in the environment)"
        )
        secrets = [v.name for v in settings_cls.variables() if v.secret]
        named = [name for name in unset if name in secrets]
        if named:  # a secret an update added: init fills only the file it creates
            note += f"; for {', '.join(named)}, {_random_value_hint(project)}"
        result["notes"].append(note)
    # Values that do not read as their type (DEBUG=perhaps): named with their origin.
    invalid = [p for p in load_problems if p.code == "invalid" and p.variable]
    if invalid:
        where = ", ".join(f"{p.variable} ({p.origin or 'its value'})" for p in invalid)
        result["notes"].append(
            f"{where}: not a valid value for its type; {_this_python(project)} -m "
            f"{project.settings} says why"
        )
    # Whatever else would stop a load (${NAME} that nothing sets, a secret file that
    # cannot be read...): its sentence, which names lines and files, never values.
    said = ("missing", "invalid")
    result["notes"].extend(str(p) for p in load_problems if p.code not in said)
    example_file = read_env_file(example, True, [], project)
    if example_file.exists:
        have = {key for file in files for key in file.values}
        missing = sorted(
            set(example_file.values) - have - _defaulted(settings_cls) - set(unset)
        )
        misnamed: list[Problem] = []
        unknown = have - set(example_file.values)
        unknown -= name_problems(files, settings_cls.variables(), misnamed)
        result["notes"].extend(str(problem) for problem in misnamed)
        extra = sorted(key for key in unknown if looks_like_a_name(key))
        if missing:
            result["notes"].append(
                f"{example.name} has {', '.join(missing)}, which no env file sets"
            )
        if extra:
            result["notes"].append(
                f"the env files set {', '.join(extra)}, which {example.name} "
                "does not have"
            )
        if len(extra) < len(unknown):
            result["notes"].append(
                "the env files set names that look like values (a token pasted on its "
                f"own line?), which {example.name} does not have: run python -m "
                f"{project.settings} check to see where"
            )
    return result, problems


def _this_python(project: Project) -> str:
    """This interpreter (the venv's, for init), relative to the project root when it is
    in it: the bootstrap prints init's notes where no venv is active."""
    try:
        relative = os.path.relpath(sys.executable, project.root or os.sep)
    except ValueError:  # another drive on Windows
        return sys.executable
    return (
        sys.executable
        if project.root is None or relative.startswith("..")
        else relative
    )


def _as_named(path: Path, project: Project) -> str:
    """``path`` as the project names it: config/app.env.local, not app.env.local (as is
    when it is elsewhere, on Windows possibly on another drive)."""
    try:
        return os.path.relpath(path, project.root or path.parent)
    except ValueError:
        return str(path)


def _load_problems(
    settings_cls: type[BaseSettings],
    files: Sequence[EnvFile],
    environ: Mapping[str, str],
    project: Project,
) -> list[Problem]:
    """What a load from these env files would report (secret files and ``${VAR}``
    references included)."""
    problems: list[Problem] = []
    variables = settings_cls.variables()
    given = value_files(variables, environ, project, problems)
    interpolate(files, environ, problems, variables, given)
    build(settings_cls, environ, files, project, problems, given)
    return problems


def _left_empty(
    problems: Sequence[Problem], files: Sequence[EnvFile]
) -> list[tuple[str, EnvFile]]:
    """The required variables a load reported missing (``problems``) that an env layer
    holds empty (``NAME=``), each with the highest such layer."""
    found: list[tuple[str, EnvFile]] = []
    for problem in problems:
        name = problem.variable or ""
        holding = [file for file in files if name in file.values]
        if problem.code == "missing" and holding:
            found.append((name, holding[-1]))
    return found


# -------------------------------------------------------------------------------- docs


def reference(settings_cls: type[BaseSettings]) -> str:
    """The Markdown table of the declared variables (the rules' one format)."""
    return _rules.settings_reference(v.spec() for v in settings_cls.variables())


def _docs_command(project: Project) -> str:
    return f"{python_command(project)} -m {project.settings} docs --write README.md"


#: A README larger than this is not one (a link to /dev/zero would fill the memory).
MAX_README_BYTES = 16 << 20


def _read_readme(readme: Path) -> str:
    """The README's text as written (line ends kept). OSError when it is missing
    (FileNotFoundError) or is no regular UTF-8 file of at most MAX_README_BYTES."""
    data, why = read_regular(readme, MAX_README_BYTES)
    if why == "missing":
        raise FileNotFoundError(f"{readme} does not exist")
    if data is None:
        said = {
            "special": "not a regular file",
            "directory": "a directory",
            "too-large": f"larger than {MAX_README_BYTES >> 20} MiB",
        }
        raise OSError(f"{readme} is {said.get(why, why)}")  # or "unreadable: <why>"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise OSError(f"{readme} is not UTF-8 text") from None


def reference_problem(
    settings_cls: type[BaseSettings],
    readme: Path,
    project: Project | None = None,
) -> str:
    """Why ``readme``'s settings reference is out of date with the declarations ('' if
    it is up to date, or if the file or its markers are absent: the README is then
    the project's own)."""
    project = current_project() if project is None else project
    try:
        text = _read_readme(readme)
    except FileNotFoundError:
        return ""
    except OSError as error:
        return str(error)
    try:
        updated = _rules.with_reference(text, reference(settings_cls))
    except ValueError as error:
        return f"{readme}: {error}"
    if updated is None or updated == text:
        return ""
    return (
        f"the settings reference in {readme} is out of date with settings.py: run "
        f"{_docs_command(project)} at the project root"
    )


def write_reference(
    settings_cls: type[BaseSettings], readme: Path, project: Project
) -> tuple[bool, list[Problem]]:
    """Write the reference between ``readme``'s markers: (changed, problems)."""

    def refused(code: str, message: str) -> tuple[bool, list[Problem]]:
        return False, [Problem(code, message, origin=str(readme))]

    cannot = f"cannot write the settings reference into {readme}"
    try:
        raw = _read_readme(readme)
        updated = _rules.with_reference(raw, reference(settings_cls))
    except (OSError, ValueError) as error:
        return refused("unreadable", f"{cannot}: {error}")
    if updated is None:
        return refused(
            "no-file",
            f"{readme} has no settings reference: put the two lines "
            f"{_rules.REFERENCE_BEGIN} and {_rules.REFERENCE_END} where the table goes",
        )
    if updated == raw:
        return False, []
    import tempfile

    target = Path(os.path.realpath(readme))  # a README.md that is a link stays one
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        why = error.strerror or error
        return refused("unwritable", f"{cannot}: its folder is not writable ({why})")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(updated)
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return True, []


# -------------------------------------------------------------------------------- main


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''}:", file=stream)
    for problem in problems:
        print(f"  - {problem}", file=stream)


#: The exit status of a command whose reader went away (``... | head``): the shell's
#: 128 + SIGPIPE, as for a Unix tool that the signal ends.
EXIT_BROKEN_PIPE = 141
# A stream without a file descriptor (see _SOURCE_ERRORS for why a name).
_NO_DESCRIPTOR = (OSError, ValueError, AttributeError)


def main(
    settings_cls: type[BaseSettings],
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    project: Project | None = None,
) -> int:
    """``python -m <package>.settings [--env-file PATH] [check [--example-only] | init
    [--json] | docs [--write README]]``. Exit codes: 0 all good, 1 problems found (each
    one printed), 2 bad usage, 141 when the output's reader closed it early
    (``| head``): no traceback, as Unix tools do.
    """
    try:
        status = _main(settings_cls, argv, environ=environ, project=project)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except ImportError as error:
        if _rules.DOTENV_REQUIREMENT not in str(error):
            raise
        # python-dotenv missing from the venv: a problem to fix, not a crash.
        print(
            f"error: {error}; add it to the project's dependencies and run "
            "scripts/bootstrap.py",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at nothing so that the flush
        # cannot fail a second time and print "Exception ignored".
        for stream in (sys.stdout, sys.stderr):
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stream.fileno())
                os.close(devnull)
            except _NO_DESCRIPTOR:
                pass  # not a real file (a test's capture): nothing will flush it
        return EXIT_BROKEN_PIPE


def _main(
    settings_cls: type[BaseSettings],
    argv: Sequence[str] | None,
    *,
    environ: Mapping[str, str] | None,
    project: Project | None,
) -> int:
    project = current_project() if project is None else project
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(
        prog=f"python -m {project.settings}",
        description=(
            "Show the settings (secrets masked), check the env files, create the "
            "private one, or document the variables."
        ),
    )
    parser.add_argument(
        "--env-file", help="read this env file instead of the project's"
    )
    commands = parser.add_subparsers(dest="command")
    show = commands.add_parser(
        "show", help="show each value and its source (what no command does too)"
    )
    show.add_argument("--env-file", dest="check_env_file", help=argparse.SUPPRESS)
    check = commands.add_parser(
        "check", help="compare settings.py, .env.example and the env files"
    )
    check.add_argument("--env-file", dest="check_env_file", help=argparse.SUPPRESS)
    check.add_argument(
        "--example-only",
        action="store_true",
        help="only check .env.example against settings.py (no env file needed)",
    )
    create = commands.add_parser(
        "init",
        help="create the private env file (.local) from .env.example if there is none",
    )
    create.add_argument("--json", action="store_true", help="print the result as JSON")
    docs = commands.add_parser(
        "docs", help="print the Markdown reference of the declared variables"
    )
    docs.add_argument(
        "--write",
        metavar="README",
        help="write it between the settings-reference markers of this file instead",
    )
    args = parser.parse_args(argv)
    env_file = getattr(args, "check_env_file", None) or args.env_file

    if args.command == "init":
        return _run_init(settings_cls, project, environ, as_json=args.json)
    if args.command == "docs":
        if args.write is None:
            print(reference(settings_cls), end="")
            return 0
        changed, problems = write_reference(settings_cls, Path(args.write), project)
        if problems:
            _print_problems(problems, sys.stderr)
            return 1
        print(f"{args.write}: {'updated' if changed else 'already up to date'}")
        return 0
    if args.command == "check":
        notes: list[str] = []
        if args.example_only:
            problems = check_example(settings_cls, project)
            ok = f"{project.example_path} matches settings.py"
        else:
            # The declarations against .env.example, then the env files against both.
            problems = check_example(settings_cls, project)
            said = {str(problem) for problem in problems}
            problems += [
                problem
                for problem in check_env_file(
                    settings_cls,
                    project,
                    env_file=env_file,
                    environ=environ,
                    notes=notes,
                )
                if str(problem) not in said
            ]
            ok = f"settings.py, {_rules.EXAMPLE_FILE} and the env files agree"
        for note in notes:
            print(f"info: {_rules.printable(note)}")
        if problems:
            _print_problems(problems, sys.stderr)
            return 1
        print(ok)
        return 0

    loaded = load_all(settings_cls, env_file, environ=environ, project=project)
    # Reserved names in the env file do not stop this program (only declared variables
    # are read), but tools that load the whole file into the environment (editors,
    # direnv, load_dotenv) would apply them: warn here, fail in `check`.
    for warning in reserved_in_files(loaded.files, settings_cls.__allow_reserved__):
        print(f"warning: {warning}", file=sys.stderr)
    if loaded.settings is None:
        _print_problems(loaded.problems, sys.stderr)
        return 1
    mode = environ.get(project.mode_name, "") if env_file is None else ""
    print(render_report(loaded.settings, loaded.files, loaded.given, mode))
    return 0


def _run_init(
    settings_cls: type[BaseSettings],
    project: Project,
    environ: Mapping[str, str],
    *,
    as_json: bool,
) -> int:
    result, problems = init(settings_cls, project, environ)
    if as_json:
        import json

        print(json.dumps(result))
    else:
        if result["created"]:
            print(f"created {result['created']} from {_rules.EXAMPLE_FILE} (mode 0600)")
        for path in result["layers"]:
            if path != result["created"]:
                print(f"kept {path}")
        for note in result["notes"]:
            print(f"note: {_rules.printable(note)}")
    if problems:
        _print_problems(problems, sys.stderr)
        return 1
    return 0
