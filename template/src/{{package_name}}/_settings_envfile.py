"""Settings engine, env files: where the env file is, reading it, parsing it strictly.

Parsing is python-dotenv's own (``dotenv.parser.parse_stream`` and its ``${VAR}``
interpolation), so a value read here is the value ``dotenv_values()`` gives, and every
other dotenv-based tool reads the same file the same way. What python-dotenv silently
forgives (unparsable lines, duplicate keys) is recorded here as a problem. python-dotenv
is imported only when a file is actually read, so a process configured by its environment
alone never pays for it.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.
"""

from __future__ import annotations

import os

from ._settings_values import Origin, Problem

# typing, collections.abc and pathlib are not imported at run time: annotations are
# strings here (see the __future__ import), and those imports would add milliseconds to
# every start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from ._settings_declarations import Layout


class _Entry:
    __slots__ = ("line", "value")

    def __init__(self, value: str | None, line: int) -> None:
        self.value = value
        self.line = line


class _EnvFile:
    """An env file as read: entries by key (last one wins, as in python-dotenv).

    ``exists``: it was read. ``absent``: nothing is at the path (as opposed to a
    directory or an unreadable file there, which is a problem of its own).
    """

    __slots__ = ("absent", "entries", "exists", "path")

    def __init__(
        self, path: str | Path, exists: bool, entries: dict[str, _Entry], absent: bool = False
    ) -> None:
        self.path = path
        self.exists = exists
        self.entries = entries
        self.absent = absent

    def origin(self, key: str) -> Origin:
        return Origin("file", self.path, self.entries[key].line)


def resolve_env_path(
    env_file: str | os.PathLike[str] | None, environ: Mapping[str, str], layout: Layout
) -> tuple[Path, bool]:
    """The env file to read and whether it was asked for explicitly (then it must exist).

    Order: the ``env_file`` argument (relative to the current directory, like any path
    given in code), else the override variable (relative to the project root), else the
    layout's default (relative to the project root; optional).
    """
    from pathlib import Path

    path, explicit = _resolve_env_path(env_file, environ, layout)
    return Path(path), explicit


def _resolve_env_path(
    env_file: str | os.PathLike[str] | None, environ: Mapping[str, str], layout: Layout
) -> tuple[str, bool]:
    """``resolve_env_path`` as text, for loading without pathlib."""
    if env_file is not None:
        # Like Path.absolute(): the current directory is prepended, nothing else resolved.
        return os.path.join(os.getcwd(), os.path.expanduser(os.fspath(env_file))), True
    override = environ.get(layout.env_file_override) if layout.env_file_override else None
    if override:
        return layout._under_root(override), True
    return layout._under_root(layout.env_file), False


def _as_path(path: str | os.PathLike[str]) -> Path:
    """A Path for messages and origins.

    pathlib is imported once a file is read or a problem is reported, never on the way
    of a clean load from the environment.
    """
    from pathlib import Path

    return Path(path)


def _venv_dir(root: str) -> str:
    """The project's venv folder, as the bootstrap script reads it from pyproject.toml."""
    import tomllib

    try:
        with open(os.path.join(root, "pyproject.toml"), "rb") as stream:
            table = tomllib.load(stream).get("tool", {}).get("copier-venv-dotenv", {})
        venv_dir = table.get("venv-dir", ".venv")
    except (OSError, ValueError, AttributeError):
        return ".venv"
    return venv_dir if isinstance(venv_dir, str) and venv_dir else ".venv"


def _directory_hint(path: Path, root: str | None) -> str:
    bootstrap = "python3 scripts/bootstrap.py"
    if not (path / "pyvenv.cfg").is_file():
        return (
            f"{path} is a directory, not an env file: move it out of the way, then rerun "
            f"{bootstrap}, which creates the env file"
        )
    # An old habit named the venv ".env"; it collides with the env file.
    venv_dir = _venv_dir(root) if root is not None else ".venv"
    return (
        f"{path} is a directory, not an env file; it looks like a virtual environment. "
        f"A venv cannot be moved, so delete it (rm -rf '{path}', on Windows "
        f'rmdir /s /q "{path}") and rerun {bootstrap}, which creates the venv in '
        f"{venv_dir} and the env file"
    )


def _read_text(
    path: str | os.PathLike[str],
    explicit: bool,
    problems: list[Problem],
    root: str | None = None,
) -> str | None:
    """The file's text, or None (absent default file, or a problem recorded).

    ``root``: the project root, to name the project's venv folder in hints.
    """
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if explicit:
            path = _as_path(path)
            problems.append(Problem("no-file", f"env file {path} does not exist", origin=str(path)))
        return None
    except OSError as error:
        path = _as_path(path)
        problems.append(Problem("unreadable", f"cannot read env file {path}: {error.strerror}"))
        return None
    if stat.S_ISDIR(mode):
        path = _as_path(path)
        problems.append(Problem("not-a-file", _directory_hint(path, root), origin=str(path)))
        return None
    try:
        # utf-8-sig drops a BOM (Windows editors); text mode turns CRLF into LF, exactly as
        # python-dotenv opens the file.
        with open(path, encoding="utf-8-sig") as stream:
            return stream.read()
    except UnicodeDecodeError as error:
        path = _as_path(path)
        problems.append(
            Problem(
                "unreadable",
                f"env file {path} is not UTF-8 text (bad byte at offset {error.start}); "
                "save it as UTF-8",
                origin=str(path),
            )
        )
    except OSError as error:
        path = _as_path(path)
        message = f"cannot read env file {path}: {error.strerror}"
        problems.append(Problem("unreadable", message, origin=str(path)))
    return None


class _Interpolation:
    """Lookup for ``${VAR}``: earlier file values first, then the environment.

    Same order as ``dotenv_values()`` (its ``override=True``), over the given ``environ``
    instead of always ``os.environ``.
    """

    __slots__ = ("environ", "values")

    def __init__(self, values: dict[str, str | None], environ: Mapping[str, str]) -> None:
        self.values = values
        self.environ = environ

    def get(self, name: str, default: str | None = None) -> str | None:
        if name in self.values:
            return self.values[name]
        return self.environ.get(name, default)


def parse_env_text(
    text: str,
    path: Path,
    environ: Mapping[str, str],
    problems: list[Problem],
    *,
    interpolate: bool = True,
) -> dict[str, _Entry]:
    """Parse with python-dotenv; record unparsable lines and duplicate keys as problems."""
    import io

    from dotenv.parser import parse_stream
    from dotenv.variables import parse_variables

    resolved: dict[str, str | None] = {}
    lookup = _Interpolation(resolved, environ)
    entries: dict[str, _Entry] = {}
    offset = 0  # where the binding starts in text: bindings cover it end to end
    for binding in parse_stream(io.StringIO(text)):
        line = _first_line(binding.original.string, binding.original.line)
        start, offset = offset, offset + len(binding.original.string)
        if binding.error:
            # The line's text is not shown: it may hold a secret.
            quote = _unclosed_quote(text, start)
            if quote is not None:
                why = (
                    f"the quote opened here ({quote}) is never closed; close it on this "
                    "line or, for a multi-line value, on a later line"
                )
            else:
                why = (
                    "cannot parse this line (python-dotenv would skip it); write it as "
                    "NAME=value, quoting values that contain spaces or '#'"
                )
            problems.append(Problem("parse", f"{path}:{line}: {why}", origin=f"{path}:{line}"))
            continue
        key = binding.key
        if key is None:
            continue  # blank lines and comments
        value = binding.value
        if value is not None and interpolate:
            value = "".join(atom.resolve(lookup) for atom in parse_variables(value))
        resolved[key] = value
        if key in entries:
            first = entries[key].line
            problems.append(
                Problem(
                    "duplicate",
                    f"{key} is set twice in {path}, lines {first} and {line} "
                    f"(python-dotenv would silently use line {line}): keep one",
                    variable=key,
                    origin=f"{path}:{line}",
                )
            )
        entries[key] = _Entry(value, line)
    return entries


# python-dotenv's grammar up to a value's opening quote, and its quoted values (which
# may span lines): an unparsable binding whose quote matches no closing one anywhere
# after it has an unclosed quote.
_QUOTE_START = r"\s*(?:export[^\S\r\n]+)?(?:'[^']+'|[^=#\s]+)[^\S\r\n]*=[^\S\r\n]*(['\"])"
_QUOTED = {"'": r"'(?:\\.|[^'\\])*'", '"': r'"(?:\\.|[^"\\])*"'}


def _unclosed_quote(text: str, start: int) -> str | None:
    """The quote character the binding at ``start`` opens and never closes, if any."""
    import re

    opening = re.compile(_QUOTE_START).match(text, start)
    if opening is None:
        return None
    quote = opening.group(1)
    if re.compile(_QUOTED[quote], re.DOTALL).match(text, opening.start(1)):
        return None  # closed: the line fails for another reason (text after the quote)
    return quote


def _first_line(original: str, line: int) -> int:
    """python-dotenv counts a binding from the blank lines before it: skip them."""
    stripped = original.lstrip(" \t\f\v\n")
    return line + original[: len(original) - len(stripped)].count("\n")


def read_env_file(
    path: str | os.PathLike[str], explicit: bool, environ: Mapping[str, str],
    problems: list[Problem], root: str | None = None,
) -> _EnvFile:
    before = len(problems)
    text = _read_text(path, explicit, problems, root)
    if text is None:
        # Absent unless a problem other than "does not exist" was recorded (a directory,
        # an unreadable file). The path stays as given (text when loading from the
        # environment alone).
        absent = all(p.code == "no-file" for p in problems[before:])
        return _EnvFile(path, False, {}, absent)
    path = _as_path(path)  # each value's Origin names it; python-dotenv imports pathlib anyway
    return _EnvFile(path, True, parse_env_text(text, path, environ, problems))


def _parse_file_strict(
    path: Path,
    problems: list[Problem],
    environ: Mapping[str, str],
    *,
    interpolate: bool,
    root: str | None = None,
) -> dict[str, _Entry] | None:
    text = _read_text(path, True, problems, root)
    if text is None:
        return None
    return parse_env_text(text, path, environ, problems, interpolate=interpolate)
