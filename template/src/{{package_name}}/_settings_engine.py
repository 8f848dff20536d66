"""Settings engine: reads, types and checks the variables declared in ``settings.py``.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.

Design notes (why it looks like this):

* Nothing happens at import time. python-dotenv is imported only when an env file is
  actually read, so a production process configured by its environment alone never pays
  for it. Nor for pathlib (with re, fnmatch, urllib.parse... it costs more than the rest
  of the loading): paths are handled as text with ``os.path`` and become ``pathlib.Path``
  objects only where one is handed out (a ``path`` variable, ``Layout.root``) or once an
  env file is read (python-dotenv imports pathlib anyway).
* Parsing is python-dotenv's own (``dotenv.parser.parse_stream`` and its ``${VAR}``
  interpolation), so a value read here is the value ``dotenv_values()`` gives, and every
  other dotenv-based tool reads the same file the same way. What python-dotenv silently
  forgives (unparsable lines, duplicate keys) is reported here as an error.
* Every problem is collected before raising, so one run shows everything to fix.
* Values are computed once, at load, into plain instance attributes.
* Secret values never reach a message, a ``repr`` or the report.
"""

from __future__ import annotations

import os
import sys

# typing, collections.abc and pathlib are not imported at run time: annotations are
# strings here (see the __future__ import), and those imports would add milliseconds to
# every start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path
    from typing import Any

__all__ = [
    "ENGINE_ATTRIBUTES",
    "KINDS",
    "BaseSettings",
    "Layout",
    "Origin",
    "Problem",
    "Secret",
    "SettingsError",
    "Var",
    "Variable",
    "check_env_file",
    "check_example",
    "load",
    "render_report",
    "run_cli",
]

#: The public names of ``BaseSettings`` itself. A variable whose attribute name is one of
#: these would hide an engine method, so such declarations are refused.
ENGINE_ATTRIBUTES: frozenset[str] = frozenset(
    {"as_dict", "export_to_environ", "sources", "variables"}
)

#: Variable types and the Python type each one gives.
KINDS: dict[str, str] = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "url": "str",
    "path": "Path",
    "list": "list[str]",
    "secret": "Secret",
}

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
_MASK = "**********"
# RFC 3986 scheme: a letter, then letters, digits, "+", "-" or "." (checked without re,
# which the environment-only path does not otherwise import).
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SCHEME_CHARS = _LETTERS | frozenset("0123456789+-.")


# --------------------------------------------------------------------------- values


class Secret:
    """A secret value: ``str()`` and ``repr()`` mask it; ``get_secret_value()`` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        # An empty secret shows as empty: that is not a leak, and it tells "unset" apart.
        return _MASK if self._value else ""

    def __repr__(self) -> str:
        return f"Secret({str(self)!r})"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # constant-time comparison: secrets are compared, e.g. API tokens

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        # Pickling keeps the value (multiprocessing needs it) without exposing it in repr.
        return (Secret, (self._value,))


class Origin:
    """Where a value came from: the environment, an env file line, the default, or code."""

    __slots__ = ("kind", "line", "path")

    def __init__(self, kind: str, path: Path | None = None, line: int | None = None) -> None:
        self.kind = kind
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.kind == "file":
            return f"{self.path}:{self.line}"
        return self.kind

    def __repr__(self) -> str:
        return f"Origin({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return (self.kind, self.path, self.line) == (other.kind, other.path, other.line)

    def __hash__(self) -> int:
        return hash((self.kind, self.path, self.line))


ENVIRONMENT = Origin("environment")
DEFAULT = Origin("default")
CODE = Origin("code")


class Problem:
    """One thing wrong with the settings. ``str(problem)`` is a complete sentence.

    ``code`` is stable and machine-readable: parse, duplicate, missing, invalid, no-file,
    not-a-file, unreadable, missing-key, extra-key, empty-required, reserved, permissions,
    tracked, default-mismatch, secret-value.
    """

    __slots__ = ("code", "message", "origin", "variable")

    def __init__(
        self, code: str, message: str, *, variable: str | None = None, origin: str | None = None
    ) -> None:
        self.code = code
        self.message = message
        self.variable = variable
        self.origin = origin

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, {self.message!r})"


class SettingsError(ValueError):
    """Every problem found while loading the settings, reported at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the settings:"
        return "\n".join([head, *(f"  - {problem}" for problem in self.problems)])

    def __str__(self) -> str:
        return self._text()


# --------------------------------------------------------------------- declarations


class Variable:
    """One declared environment variable (what ``Var()`` returns)."""

    __slots__ = ("attr", "default", "description", "kind", "name")

    def __init__(self, kind: str, default: str | None, description: str, name: str | None):
        if kind not in KINDS:
            raise TypeError(f"unknown variable type {kind!r}; use one of {', '.join(KINDS)}")
        if default is not None and not isinstance(default, str):
            # Defaults are written as they would be in the env file, so they are checked
            # the same way and .env.example can show them verbatim.
            raise TypeError(f"default must be a string as written in an env file, not {default!r}")
        if kind == "secret" and default:
            raise TypeError("a secret cannot have a default value: leave it required or empty")
        self.kind = kind
        self.default = default
        self.description = description
        self.name = name or ""
        self.attr = ""

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def secret(self) -> bool:
        return self.kind == "secret"

    def __repr__(self) -> str:
        return f"Variable({self.name!r}, kind={self.kind!r}, default={self.default!r})"


# Capitalised on purpose: in a class body it reads as a declaration, like a type.
def Var(
    kind: str = "str",
    *,
    default: str | None = None,
    description: str = "",
    name: str | None = None,
) -> Any:
    """Declare a variable in a ``Settings`` class body.

    ``kind``: str, int, float, bool, url, path, list or secret. ``default``: the value as
    written in an env file; ``None`` (no default) makes the variable required, ``""``
    makes it optional and empty. ``name``: the environment variable, by default the
    attribute name in upper case.

    Typed ``Any`` so that ``port: int = Var("int", default="80")`` type-checks.
    """
    return Variable(kind, default, description, name)


def _check_attr(owner: str, attr: str, variable: Variable) -> None:
    if attr in ENGINE_ATTRIBUTES:
        raise TypeError(
            f"{owner}.{attr}: this name is used by the settings engine "
            f"({', '.join(sorted(ENGINE_ATTRIBUTES))}); rename the variable"
        )
    if attr.startswith("__"):
        raise TypeError(f"{owner}.{attr}: names starting with '__' are reserved for Python")


class BaseSettings:
    """Base of a project's ``Settings`` class: one ``Var()`` per environment variable.

    Instances are immutable; each variable is a plain attribute (no work per access).
    Build them with ``load_settings()``, or directly with typed values in tests:
    ``Settings(debug=True, ...)``.
    """

    # Not annotated ClassVar: typing.get_type_hints(Settings) must resolve every class
    # annotation from this module's globals, and typing is not imported at run time.
    __variables: tuple[Variable, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found = {v.attr: v for v in cls.__variables}  # inherited declarations first
        for attr, value in list(vars(cls).items()):
            if not isinstance(value, Variable):
                continue
            _check_attr(cls.__name__, attr, value)
            if value.attr and value.attr != attr:
                # The same Var() object under two names would share one identity.
                raise TypeError(f"{cls.__name__}.{attr}: reuses the declaration of {value.attr}")
            value.attr = attr
            value.name = value.name or attr.upper()
            found[attr] = value
        names: dict[str, str] = {}
        for variable in found.values():
            key = variable.name.casefold()  # Windows: environment names ignore case
            if key in names:
                raise TypeError(
                    f"{cls.__name__}: {names[key]} and {variable.attr} read the same "
                    f"environment variable {variable.name}"
                )
            names[key] = variable.attr
        cls.__variables = tuple(found.values())

    def __init__(self, /, **values: Any) -> None:
        declared = {v.attr for v in self.__variables}
        unknown = sorted(set(values) - declared)
        missing = sorted(declared - set(values))
        if unknown or missing:
            details = []
            if unknown:
                details.append(f"unknown: {', '.join(unknown)}")
            if missing:
                details.append(f"missing: {', '.join(missing)}")
            raise TypeError(f"{type(self).__name__}(): {'; '.join(details)}")
        for variable in self.__variables:
            value = values[variable.attr]
            if variable.secret and isinstance(value, str):
                value = Secret(value)  # convenience for tests; never keep a bare secret
            object.__setattr__(self, variable.attr, value)
        object.__setattr__(self, "_BaseSettings__origins", {v.attr: CODE for v in self.__variables})
        object.__setattr__(self, "_BaseSettings__layout", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is read-only: load new settings instead of changing {name}"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        # Secret's own repr masks, and URL passwords are masked as in the report: a repr
        # ends up in logs and tracebacks.
        body = ", ".join(
            f"{v.attr}={_masked_repr(v, getattr(self, v.attr))}" for v in self.__variables
        )
        return f"{type(self).__name__}({body})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, v.attr) == getattr(other, v.attr) for v in self.__variables)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking values (lists): unhashable

    @classmethod
    def variables(cls) -> tuple[Variable, ...]:
        """The declared variables, in declaration order."""
        return cls.__variables

    def sources(self) -> dict[str, Origin]:
        """Where each value came from, by attribute: environment, ``file:line``, default, code."""
        return dict(self.__origins)

    def as_dict(self) -> dict[str, Any]:
        """The values by attribute name (secrets stay wrapped in ``Secret``)."""
        return {v.attr: getattr(self, v.attr) for v in self.__variables}

    def export_to_environ(self, environ: Any = None) -> list[str]:
        """Write the declared values into ``environ`` (``os.environ`` by default).

        For child processes and libraries that read the environment themselves. Returns
        the names written. Never overrides a variable already set (non-empty), never
        writes an empty value, never writes a reserved name (see ``ALLOW_RESERVED``).
        Secrets are written as their real value, which is the point, but never printed.
        """
        target = os.environ if environ is None else environ
        layout: Layout | None = self.__layout
        written = []
        for variable in self.__variables:
            if target.get(variable.name):
                continue
            if _reserved_reason(variable.name, layout) is not None:
                continue
            text = _to_text(getattr(self, variable.attr))
            if text:
                target[variable.name] = text
                written.append(variable.name)
        return written


def _to_text(value: Any) -> str:
    """A typed value back to environment-variable text that this engine reads back equal."""
    if value is None:
        return ""
    if isinstance(value, Secret):
        return value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ",".join(value)
    return str(value)  # str, int, Path (already absolute)


# --------------------------------------------------------------------------- layout


class Layout:
    """Where a project keeps its settings files; built once in ``settings.py``.

    ``root``: the project root. ``env_file``: the default env file, relative to the root.
    ``env_file_override``: the environment variable that names another env file.
    ``example_file``: the documented template of the env file.
    ``allow_reserved``: reserved names the project accepts in its env file on purpose.
    """

    __slots__ = ("_root", "allow_reserved", "env_file", "env_file_override", "example_file")

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        env_file: str = ".env",
        env_file_override: str = "",
        example_file: str = ".env.example",
        allow_reserved: Iterable[str] = (),
    ) -> None:
        # Text, not a Path: loading from the environment alone must not import pathlib.
        self._root = os.fspath(root)
        self.env_file = env_file
        self.env_file_override = env_file_override
        self.example_file = example_file
        self.allow_reserved = tuple(allow_reserved)

    @property
    def root(self) -> Path:
        from pathlib import Path

        return Path(self._root)

    def replace(self, **changes: Any) -> Layout:
        fields: dict[str, Any] = {
            "root": self._root,
            "env_file": self.env_file,
            "env_file_override": self.env_file_override,
            "example_file": self.example_file,
            "allow_reserved": self.allow_reserved,
        }
        fields.update(changes)
        root = fields.pop("root")
        return Layout(root, **fields)

    def _under_root(self, path: str | os.PathLike[str]) -> str:
        # os.path.join keeps an absolute path as is (and, on Windows, the root's drive for
        # a path like \data), exactly as pathlib's ``root / path`` does.
        return os.path.join(self._root, os.path.expanduser(os.fspath(path)))

    def under_root(self, path: str | os.PathLike[str]) -> Path:
        """A configured path: ``~`` expanded, relative paths taken from the project root."""
        from pathlib import Path

        return Path(self._under_root(path))

    def default_env_path(self) -> Path:
        return self.under_root(self.env_file)

    def example_path(self) -> Path:
        return self.under_root(self.example_file)

    def is_allowed(self, name: str) -> bool:
        wanted = name.casefold()
        return any(allowed.casefold() == wanted for allowed in self.allow_reserved)


def _reserved_reason(name: str, layout: Layout | None) -> str | None:
    if layout is not None and layout.is_allowed(name):
        return None
    from . import _reserved_names  # rendered by the template next to this module

    return _reserved_names.reserved_reason(name)


# --------------------------------------------------------------------- env file I/O


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


# ------------------------------------------------------------------------- casting


def _cast(variable: Variable, raw: str, layout: Layout) -> Any:
    """Raw text to the declared type; ValueError's message never contains the text."""
    kind = variable.kind
    if kind in ("str",):
        return raw
    if kind == "secret":
        return Secret(raw)
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError("expected an integer") from None
    if kind == "float":
        try:
            return float(raw)
        except ValueError:
            raise ValueError("expected a number") from None
    if kind == "bool":
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError("expected a boolean: true/false, 1/0, yes/no or on/off")
    if kind == "url":
        scheme, colon, _rest = raw.partition(":")
        if not (colon and scheme[:1] in _LETTERS and _SCHEME_CHARS.issuperset(scheme)):
            raise ValueError("expected a URL with a scheme, such as https://host/ or sqlite:///app.db")
        return raw  # kept as written: URL libraries disagree on normalisation
    if kind == "path":
        return layout.under_root(raw)
    if kind == "list":
        return [item.strip() for item in raw.split(",") if item.strip()]
    raise AssertionError(kind)  # pragma: no cover - Variable() refuses unknown kinds


def _empty(variable: Variable) -> Any:
    """The value of an optional variable that is set nowhere."""
    if variable.kind == "str":
        return ""
    if variable.kind == "secret":
        return Secret("")
    if variable.kind == "list":
        return []
    return None


# --------------------------------------------------------------------------- loading


def _lookup(
    variable: Variable, environ: Mapping[str, str], env_file: _EnvFile
) -> tuple[str | None, Origin | None]:
    """First non-empty value: environment, env file, declared default."""
    value = environ.get(variable.name)
    if value:
        return value, ENVIRONMENT
    entry = env_file.entries.get(variable.name)
    if entry is not None and entry.value:
        return entry.value, env_file.origin(variable.name)
    if variable.default:
        return variable.default, DEFAULT
    return None, None


def _missing_message(variable: Variable, env_file: _EnvFile) -> str:
    entry = env_file.entries.get(variable.name)
    path = _as_path(env_file.path)
    if entry is not None:
        where = f"it is empty at {path}:{entry.line}"
    elif env_file.exists:
        where = f"it is not in {path}"
    elif env_file.absent:
        where = f"there is no env file at {path} (copy .env.example to create it)"
    else:
        # The path exists but is a directory or unreadable: that problem is reported on
        # its own, and "there is no env file" would contradict it.
        where = f"the env file {path} could not be read (see above)"
    return (
        f"{variable.name} is required but not set: set it in the environment or in the env "
        f"file; {where}"
    )


def load(
    settings_cls: type[BaseSettings],
    env_file: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    layout: Layout,
) -> Any:
    """Load, type and check every declared variable; raise SettingsError listing all problems."""
    settings, problems, _file = _load(settings_cls, env_file, environ, layout)
    if problems:
        raise SettingsError(problems)
    return settings


def _load(
    settings_cls: type[BaseSettings],
    env_file: str | os.PathLike[str] | None,
    environ: Mapping[str, str] | None,
    layout: Layout,
) -> tuple[Any, list[Problem], _EnvFile]:
    """``load`` without raising: (settings or None, problems, the env file as read)."""
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    path, explicit = _resolve_env_path(env_file, environ, layout)
    file = read_env_file(path, explicit, environ, problems, layout._root)
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for variable in settings_cls.variables():
        raw, origin = _lookup(variable, environ, file)
        if raw is None or origin is None:
            if variable.required:
                problems.append(
                    Problem("missing", _missing_message(variable, file), variable=variable.name)
                )
                continue
            values[variable.attr], origins[variable.attr] = _empty(variable), DEFAULT
            continue
        try:
            values[variable.attr] = _cast(variable, raw, layout)
        except ValueError as error:
            # A secret's bad text must not leak, nor a URL's (it may hold a password);
            # other values are shown because they help to fix the error.
            shown = "" if variable.kind in ("secret", "url") else f", got {raw!r}"
            problems.append(
                Problem(
                    "invalid",
                    f"{variable.name} (from {origin}): {error}{shown}",
                    variable=variable.name,
                    origin=str(origin),
                )
            )
            continue
        origins[variable.attr] = origin
    if problems:
        return None, problems, file
    settings = settings_cls(**values)
    object.__setattr__(settings, "_BaseSettings__origins", origins)
    object.__setattr__(settings, "_BaseSettings__layout", layout)
    return settings, [], file


# ------------------------------------------------------------------------- checking


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
        elif written != (variable.default or ""):
            expected = variable.default or ""
            problems.append(
                Problem(
                    "default-mismatch",
                    f"{name} is {written!r} in {where} but its declared default is "
                    f"{expected!r}: make them equal",
                    variable=name,
                    origin=where,
                )
            )
        if _reserved_reason(name, layout) is not None:
            problems.append(
                Problem(
                    "reserved",
                    f"{name} is declared but reserved: {_reserved_reason(name, layout)}",
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
    for name, entry in entries.items():
        where = f"{path}:{entry.line}"
        if any(problem.variable == name for problem in reserved):
            continue
        if name not in example and not layout.is_allowed(name):
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
    # Values that do not cast (e.g. DEBUG=maybe) are out of sync too; parse problems,
    # duplicates and empty required values were reported above.
    try:
        load(settings_cls, path, environ=environ, layout=layout)
    except SettingsError as error:
        already = {"parse", "duplicate", "missing", "no-file", "not-a-file", "unreadable"}
        problems.extend(p for p in error.problems if p.code not in already)
    return problems


# --------------------------------------------------------------------------- report


def _mask_url(url: str) -> str:
    """Hide the password of ``scheme://user:password@host`` (database URLs carry them)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        # Not parsable (e.g. a bad IPv6 host): mask any user info rather than show it.
        scheme, sep, rest = url.partition("://")
        authority, slash, path = rest.partition("/")
        if not sep or "@" not in authority:
            return url
        return f"{scheme}://{_MASK}@{authority.rpartition('@')[2]}{slash}{path}"
    if not password:
        return url
    netloc = parts.netloc.replace(f":{password}@", f":{_MASK}@", 1)
    return parts._replace(netloc=netloc).geturl()


def _masked_repr(variable: Variable, value: Any) -> str:
    """``repr(value)``, a URL's password masked (Secret's own repr masks it)."""
    if variable.kind == "url" and value:
        return repr(_mask_url(value))
    return repr(value)


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
    path, _explicit = resolve_env_path(env_file, environ, layout)
    print(render_report(settings, path, path.is_file()))
    return 0
