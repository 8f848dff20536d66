"""Settings engine, declarations: ``Var()``, ``BaseSettings``, ``Layout`` and typing raw text.

What ``settings.py`` writes (one ``Var()`` per variable in a ``BaseSettings`` subclass,
one ``Layout`` for where the files are) and how a raw value becomes the declared type.
Paths stay text here (``os.path``) and become ``pathlib.Path`` objects only where one is
handed out: loading from the environment alone must not import pathlib.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.
"""

from __future__ import annotations

import os

from ._settings_values import CODE, Secret, _mask_url

# typing, collections.abc and pathlib are not imported at run time: annotations are
# strings here (see the __future__ import), and those imports would add milliseconds to
# every start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any

    from ._settings_values import Origin


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
# RFC 3986 scheme: a letter, then letters, digits, "+", "-" or "." (checked without re,
# which the environment-only path does not otherwise import).
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SCHEME_CHARS = _LETTERS | frozenset("0123456789+-.")


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


def _check_attr(owner: str, attr: str) -> None:
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
            _check_attr(cls.__name__, attr)
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


def _masked_repr(variable: Variable, value: Any) -> str:
    """``repr(value)``, a URL's password masked (Secret's own repr masks it)."""
    if variable.kind == "url" and value:
        return repr(_mask_url(value))
    return repr(value)


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


# ------------------------------------------------------------------------- casting


def _cast(variable: Variable, raw: str, layout: Layout) -> Any:
    """Raw text to the declared type; ValueError's message never contains the text."""
    kind = variable.kind
    if kind == "str":
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
