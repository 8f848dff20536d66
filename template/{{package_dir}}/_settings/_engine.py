"""The settings engine: declarations, env files and loading.

Template-owned: ``copier update`` replaces this file; declare variables in settings.py.

A load, in order:

1. ``current_project()`` finds the project root (the nearest folder above this package
   that holds a pyproject.toml) and reads its ``[tool.copier-venv-dotenv]`` table, once;
2. ``env_layers()`` lists the env files to read, lowest priority first: ``.env``,
   ``.env.<mode>``, ``.env.local``, ``.env.<mode>.local`` (the mode from
   ``<PACKAGE>_ENV``), or the one file asked for explicitly;
3. ``read_layers()``: each existing one is read (a regular file, at most 1 MiB) and
   parsed by python-dotenv's own parser, both in ``_files``, imported only then; what
   python-dotenv forgives silently (unparsable lines, duplicate keys, a name without
   '=') is a problem here;
4. ``value_files()`` reads the files that hold values of secrets (and of variables
   declared ``from_file=True``): ``NAME_FILE`` from the environment, and the secrets
   folder (``<PACKAGE>_SECRETS_DIR`` or pyproject.toml's ``secrets-dir``);
5. ``${VAR}`` references are resolved (``_files.interpolate()``) in line order, lower
   layers first, environment first;
6. each declared variable takes the first non-empty value of: the environment,
   ``NAME_FILE``, the env layers (a higher one wins), the secrets folder, its default;
   and is cast to its type.

Every problem is collected before ``SettingsError`` is raised: one run shows them all.
Secret values, values built from them and URL passwords never reach a message, a
``repr`` or the report.
"""

import os
import sys
import types
import typing  # for typing.cast: this module has a cast() of its own
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from pathlib import Path, PurePath
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Final,
    ForwardRef,
    Self,
    TypeVar,
    Union,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
    overload,
)

from . import _rules

# The package that holds this engine (``<package>._settings._engine``) and its folder
# (os.path, not pathlib: this runs in every process that imports the settings).
PACKAGE: Final = __name__.rpartition("._settings")[0].rpartition(".")[2]
PACKAGE_DIR: Final = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Env files named in code: one, or several (the last wins); ``()`` for none.
EnvFiles = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: The default of a required variable.
MISSING: Final = _Missing()


# ------------------------------------------------------------------------------ values


class Secret:
    """A secret value: ``str()`` and ``repr()`` mask it; ``get_secret_value()``
    gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        # An empty secret shows as empty: no leak, and it tells "unset" apart.
        return _rules.MASK if self._value else ""

    def __repr__(self) -> str:
        return f"Secret({str(self)!r})"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # constant time: secrets such as API tokens get compared

        # surrogatepass: a value holding lone surrogates (read from bytes that are not
        # UTF-8) compares too, without an error whose repr would hold it.
        mine = self._value.encode("utf-8", "surrogatepass")
        return hmac.compare_digest(mine, other._value.encode("utf-8", "surrogatepass"))

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling keeps the value (multiprocessing needs it) without showing it.
        return (Secret, (self._value,))


class _UrlMark:
    def __repr__(self) -> str:
        return "URL"


URL: Final = _UrlMark()
#: The annotation of a URL variable: a str for type checkers, checked for a scheme here.
Url = Annotated[str, URL]


class UrlText(str):
    """A str whose ``repr`` masks URL credentials (values of ``Url`` variables, and any
    text holding ``user:password@`` or ``?password=``), so that ``vars()`` and
    ``as_dict()`` hide them."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(_rules.mask_url(str(self)))


class MaskedText(str):
    """A str built from a secret (``${SECRET_KEY}`` in the env file): ``repr``
    masks it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(_rules.MASK)


class Origin:
    """Where a value came from: the environment, an env file's line (``file``), a
    secret file (``value-file``, with ``via``: ``NAME_FILE`` or the secrets folder),
    the default, or code."""

    __slots__ = ("kind", "line", "path", "via")

    def __init__(
        self,
        kind: str,
        path: Path | None = None,
        line: int | None = None,
        via: str = "",
    ) -> None:
        self.kind = kind
        self.path = path
        self.line = line
        self.via = via

    def __str__(self) -> str:
        if self.kind == "file":
            return f"{self.path}:{self.line}"
        if self.kind == "value-file":
            return f"{self.path} ({self.via})"
        return self.kind

    def __repr__(self) -> str:
        return f"Origin({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        mine = (self.kind, self.path, self.line, self.via)
        return mine == (other.kind, other.path, other.line, other.via)

    def __hash__(self) -> int:
        return hash((self.kind, self.path, self.line, self.via))


ENVIRONMENT: Final = Origin("environment")
DEFAULT: Final = Origin("default")
CODE: Final = Origin("code")


class Problem:
    """One thing wrong with the settings; ``str(problem)`` is a complete sentence.

    ``code`` is stable and machine-readable: parse, no-equals, nul, duplicate,
    forward-reference, too-large, missing, invalid, no-file, not-a-file, unreadable,
    project, mode, both-set, not-from-file, missing-key, extra-key, empty-required,
    reserved, permissions, tracked, same-value, no-effect, default-mismatch,
    secret-value, secret-default, declared-twice, unwritable, quoted-name,
    hidden-character, letter-case, unset-reference, unignored, outside.
    """

    __slots__ = ("code", "message", "origin", "variable")

    def __init__(
        self,
        code: str,
        message: str,
        *,
        variable: str | None = None,
        origin: str | None = None,
    ) -> None:
        self.code = code
        self.message = _rules.printable(message)  # a terminal never gets raw escapes
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
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the settings:"]
        super().__init__(
            "\n".join(lines + [f"  - {problem}" for problem in self.problems])
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle and copy (multiprocessing) rebuild it from its problems, not its text.
        return (type(self), (self.problems,))


# ------------------------------------------------------------------------ declarations


class Field:
    """What ``env()`` and ``Var()`` put in a class body: a default and how to
    document it."""

    __slots__ = ("default", "description", "from_file", "kind", "name")

    def __init__(
        self,
        default: Any,
        description: str,
        name: str | None,
        kind: str | None = None,
        from_file: bool | None = None,
    ) -> None:
        self.default = default
        self.description = description
        self.name = name
        self.kind = kind  # set by Var(): the 0.1.0 declarations
        self.from_file = from_file


_T = TypeVar("_T")


@overload
def env(  # noqa: UP047, RUF100 - no type parameters: this runs on Python 3.11
    *,
    default: _T,
    description: str = "",
    name: str | None = None,
    from_file: bool | None = None,
) -> _T: ...
@overload
def env(
    *,
    description: str = "",
    name: str | None = None,
    from_file: bool | None = None,
) -> Any: ...
def env(
    *,
    default: Any = MISSING,
    description: str = "",
    name: str | None = None,
    from_file: bool | None = None,
) -> Any:
    """Declare a variable with a description, or another environment name::

        retries: int = env(default=3, description="How often to retry a request.")
        token: Secret = env(description="API token.")  # no default: required
        hosts: list[str] = env(default=["localhost"])  # a list default, copied per load
        ca_bundle: str = env(default="", from_file=True)  # CA_BUNDLE_FILE works too

    ``name``: the environment variable, by default the attribute in upper case.
    ``from_file``: whether ``NAME_FILE`` (a path in the environment) and the secrets
    folder may hold the value; True for every ``Secret`` unless set to False. Typed as
    its default (type checkers compare it with the annotation), else ``Any``, as
    pydantic's ``Field()`` is; the class checks the default when it is created.
    """
    return Field(default, description, name, from_file=from_file)


def Var(
    kind: str = "str",
    *,
    default: str | None = None,
    description: str = "",
    name: str | None = None,
) -> Any:
    """0.1.0's declaration, still accepted: ``port: int = Var("int", default="80")``.

    The type is written twice there; it is checked against the annotation. ``default``
    is written as in an env file: None (required) or text, ``""`` for optional and
    empty. Prefer ``port: int = 80`` or ``env(default=80, ...)``.
    """
    return Field(default, description, name, kind)


class Variable:
    """One declared variable: attribute, environment name, type, default, description,
    and whether files (``NAME_FILE``, the secrets folder) may hold its value."""

    __slots__ = (
        "attr",
        "default",
        "description",
        "from_file",
        "kind",
        "name",
        "optional",
    )

    def __init__(
        self,
        attr: str,
        name: str,
        kind: str,
        optional: bool,
        default: Any,
        description: str,
        from_file: bool | None = None,
    ) -> None:
        self.attr = attr
        self.name = name
        self.kind = kind
        self.optional = optional  # the annotation allows None
        self.default = default  # a typed value, or MISSING when required
        self.description = description
        self.from_file = kind == "secret" if from_file is None else from_file

    @property
    def required(self) -> bool:
        return self.default is MISSING

    @property
    def secret(self) -> bool:
        return self.kind == "secret"

    @property
    def default_text(self) -> str | None:
        """The default as env-file text (as .env.example shows it); None if required."""
        return None if self.required else _rules.value_text(self.default)

    @property
    def credential_default(self) -> bool:
        """Whether the default looks like a credential, which `check` refuses: it is
        never shown (masked in the report, the docs and a repr)."""
        text = self.default_text
        return bool(
            text and _rules.credential_default_reason(self.name, self.kind, text)
        )

    def spec(self) -> _rules.EnvVar:
        """This variable as the rules describe one (for .env.example and the docs)."""
        text = _rules.MASK if self.credential_default else self.default_text
        return _rules.EnvVar(self.name, self.kind, text, self.description)

    def __repr__(self) -> str:
        default = _rules.MASK if self.credential_default else self.default
        return f"Variable({self.name!r}, kind={self.kind!r}, default={default!r})"


_PLAIN_TYPES: Mapping[Any, str] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    Path: "path",
    Secret: "secret",
}
# What evaluating an annotation may raise (a name imported only for type checkers...).
# Exception tuples are names: ruff format unparenthesizes them for Python 3.14
# (PEP 758).
_ANNOTATION_ERRORS = (NameError, TypeError, AttributeError, SyntaxError)
_SUPPORTED = ", ".join(_rules.ANNOTATIONS.values()) + ", each optionally with | None"
# What an optional 0.1.0 Var(kind, default="") holds when it is set nowhere.
_VAR_EMPTY: Mapping[str, Any] = {"str": "", "list": [], "secret": Secret("")}


def _kind_of(hint: Any) -> tuple[str, bool] | None:
    """(type name, optional) of an annotation, None when it is not supported."""
    if isinstance(hint, type):  # a class (str, Path...): no | None, no [...]
        kind = _PLAIN_TYPES.get(hint)
        return (kind, False) if kind else None
    optional = False
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        args = get_args(hint)
        kept = [arg for arg in args if arg is not type(None)]
        if len(kept) != 1 or len(args) != 2:
            return None
        optional, hint = True, kept[0]
        origin = get_origin(hint)
    if origin is Annotated:
        base, *metadata = get_args(hint)
        if base is str and any(item is URL for item in metadata):
            return "url", optional
        hint = base
        origin = get_origin(hint)
    if origin is list and get_args(hint) == (str,):
        return "list", optional
    kind = _PLAIN_TYPES.get(hint) if isinstance(hint, type) else None
    return (kind, optional) if kind else None


def _type_name(hint: Any) -> str:
    return (
        hint.__name__ if isinstance(hint, type) else repr(hint).replace("typing.", "")
    )


def _own_annotation_names(cls: type) -> list[str]:
    """The names a class body annotates (not its bases'); [] if they cannot be read."""
    try:
        # Since Python 3.10 a class's __annotations__ are its own, never its bases'.
        return list(getattr(cls, "__annotations__", {}))
    except _ANNOTATION_ERRORS:
        return []  # typing.get_type_hints() reports it


def _annotations(cls: type) -> dict[str, Any]:
    """The annotations of ``cls`` and its bases, as objects: as the class bodies made
    them, or through ``typing.get_type_hints()`` when one names a type as text (``from
    __future__ import annotations``, ``list["str"]``), which compiles each, a cost a
    load should not pay for nothing."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        hints.update(getattr(klass, "__annotations__", {}))
    if any(_has_text(hint) for hint in hints.values()):
        return get_type_hints(cls, include_extras=True)
    return hints


def _has_text(hint: Any) -> bool:
    """Whether an annotation names a type as text: ``"int"``, ``Optional["int"]``..."""
    if isinstance(hint, type):  # str, int, Path...: the common case, nothing inside
        return False
    if isinstance(hint, (str, ForwardRef)):
        return True
    return any(_has_text(arg) for arg in get_args(hint))


def _from_var(where: str, kind: str, optional: bool, field: Field, name: str) -> Any:
    """The typed default of a 0.1.0 ``Var()`` declared under an annotation of
    ``kind``."""
    written = field.kind or "str"
    if written not in _rules.TYPES:
        raise TypeError(
            f"{where}: unknown type {written!r}; use one of "
            f"{', '.join(_rules.ENV_TYPES)}"
        )
    if written != kind:
        raise TypeError(
            f"{where}: Var({written!r}) does not match its annotation, which is a "
            f"{kind}: write the type once, e.g. `port: int = 8000` or "
            "`port: int = env(default=8000)`"
        )
    text = field.default
    if text is None:
        return MISSING
    if not isinstance(text, str):
        raise TypeError(
            f"{where}: Var()'s default is written as in an env file, as text"
        )
    if text == "":
        if written in _VAR_EMPTY:
            return _fresh(_VAR_EMPTY[written])
        if not optional:
            raise TypeError(
                f"{where}: default='' leaves it None when unset: add | None to its "
                "annotation"
            )
        return None
    problem = _rules.default_problem(name, written, text, _rules.SETTINGS_AND_EXAMPLE)
    if problem:
        raise TypeError(f"{where}: {problem}")
    value = _rules.parse_value(written, text)
    return Path(value) if written == "path" else value


# The Python types a default of each type name may have (an int is a fine float).
_DEFAULT_TYPES: Mapping[str, tuple[type, ...]] = {
    "str": (str,),
    "url": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "path": (PurePath,),
    "list": (list,),
}


_PATH_HINT: Final = " (write Path(...))"


def _a(word: str) -> str:
    """``word`` after its indefinite article: a str, an int, a URL."""
    if word == "url":
        return "a URL"
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _is_a(kind: str, value: Any) -> bool:
    """Whether ``value`` is a Python value of a ``kind`` variable (a bool is no int)."""
    if isinstance(value, bool) and kind != "bool":
        return False
    if isinstance(value, list):
        items = typing.cast("list[object]", value)  # given in code: any items
        return kind == "list" and all(isinstance(item, str) for item in items)
    return isinstance(value, _DEFAULT_TYPES[kind])


def _checked_default(
    where: str, kind: str, optional: bool, default: Any, name: str
) -> Any:
    """``default`` if it suits a ``kind`` variable, else TypeError saying why."""
    if default is MISSING:
        return MISSING
    if default is None:
        if optional:
            return None
        raise TypeError(f"{where}: a default of None needs | None in the annotation")
    if kind == "secret":
        if isinstance(default, Secret) and not default:
            return default
        problem = _rules.default_problem(
            name, "secret", "x", _rules.SETTINGS_AND_EXAMPLE
        )
        owner, _, attr = where.partition(".")
        raise TypeError(
            f"{where}: {problem}; in a test, give it in code: "
            f"{owner}({attr}=Secret(...), ...)"
        )
    if not _is_a(kind, default):
        if kind == "list" and isinstance(default, list):
            raise TypeError(f"{where}: a list default holds str items only")
        raise TypeError(
            f"{where}: the default {default!r} is {_a(type(default).__name__)}, "
            f"not {_a(kind)}{_PATH_HINT if kind == 'path' else ''}"
        )
    for item in default if kind == "list" else ():
        problem = _rules.list_item_problem(item)
        if problem:
            raise TypeError(
                f"{where}: the default holds {problem}: env files separate items with "
                "',' and strip them, so it would read back as another list"
            )
    if kind == "url" and not default:
        raise TypeError(
            f"{where}: an empty URL is no URL: declare it `Url | None = None`"
        )
    try:
        text = _rules.value_text(default)
    except ValueError:  # an int longer than Python writes (sys.get_int_max_str_digits)
        raise TypeError(f"{where}: the default is too large for an env file") from None
    problem = _rules.default_problem(name, kind, text, _rules.SETTINGS_AND_EXAMPLE)
    if problem:
        raise TypeError(f"{where}: {problem}")
    if kind == "path":
        return Path(default)
    return float(default) if kind == "float" else default


def _declare(cls: type) -> tuple[Variable, ...]:
    """The variables a ``BaseSettings`` subclass declares, bases' first; TypeError
    if wrong."""
    owner = cls.__name__
    if "model_config" in vars(cls):
        raise TypeError(
            f"{owner}.model_config: pydantic-settings' configuration, which this "
            "loader does not read (it has no env_prefix or case_sensitive: each "
            "variable is its attribute in upper case, or env(name=...)); remove it"
        )
    own = _own_annotation_names(cls)
    for attr in own:
        # `str: str = "x"` would hide the type str from the later annotations.
        if attr in _rules.TYPE_ATTRIBUTES:
            raise TypeError(
                f"{owner}.{attr}: {_rules.attribute_problem(attr.upper(), attr)}"
            )
    try:
        hints = _annotations(cls)
    except _ANNOTATION_ERRORS as error:
        raise TypeError(
            f"{owner}: its annotations cannot be evaluated ({error}); import every "
            "type the declarations use at run time"
        ) from None
    inherited: dict[str, Variable] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited.update({v.attr: v for v in vars(base).get("__variables__", ())})
    variables: list[Variable] = []
    wrong: list[str] = []  # every wrong declaration at once, not one per run
    for attr, hint in hints.items():
        if get_origin(hint) is ClassVar or hint is ClassVar:
            continue
        if attr not in own:
            if attr in inherited:
                variables.append(inherited[attr])
            continue  # BaseSettings' own annotations, or a mixin's
        try:
            variables.append(_declare_one(cls, attr, hint))
        except TypeError as error:
            wrong.append(str(error))
    if wrong:
        raise TypeError("\n".join(wrong))
    for name, _again in _rules.duplicates(v.name for v in variables):
        same = [v.attr for v in variables if v.name == name]  # names are upper case
        raise TypeError(
            f"{owner}: {' and '.join(same)} are both the environment variable {name}; "
            "declare it once"
        )
    pairs = [(v.name, v.from_file) for v in variables]
    for problem in _rules.file_variable_clashes(pairs, PACKAGE):
        raise TypeError(f"{owner}: {problem}")
    return tuple(variables)


def _declare_one(cls: type, attr: str, hint: Any) -> Variable:
    where = f"{cls.__name__}.{attr}"
    problem = _rules.attribute_problem(attr.upper(), attr)
    if problem:
        raise TypeError(f"{where}: {problem}")
    found = _kind_of(hint)
    if found is None:
        raise TypeError(
            f"{where}: the type {_type_name(hint)} is not supported; declare one of "
            f"{_SUPPORTED}"
        )
    kind, optional = found
    value = vars(cls).get(attr, MISSING)
    description, name, from_file = "", attr.upper(), None
    if isinstance(value, Field):
        field = value
        description, name = field.description, field.name or name
        from_file = field.from_file
        # The annotation says bool | None; user code may still pass anything.
        if from_file is not None and not isinstance(from_file, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"{where}: from_file is True or False")
        if field.kind is None:
            value = field.default
        else:
            if field.kind == "url" and kind == "str":
                kind = "url"  # 0.1.0 annotated URLs as plain str
            value = _from_var(where, kind, optional, field, name)
    problem = _rules.name_problem(name)  # the rule of copy time's names
    if problem:
        raise TypeError(f"{where}: {problem}")
    problem = _rules.loader_setting_problem(name, PACKAGE)
    if problem:
        raise TypeError(f"{where}: {problem}")
    default = _checked_default(where, kind, optional, value, name)
    if default is MISSING:
        if attr in vars(cls):
            delattr(cls, attr)
    else:
        setattr(cls, attr, default)
    return Variable(attr, name, kind, optional, default, description, from_file)


# ----------------------------------------------------------------------------- project


class Project:
    """Where a project keeps its files: its root and ``[tool.copier-venv-dotenv]``.

    ``root`` is None for an installed package without its project (a wheel in
    production): then no env file is read by default, only the environment (and the
    file that ``<PACKAGE>_ENV_FILE`` names), and relative paths start at the current
    directory. ``secrets_dir``: the table's ``secrets-dir``, "" for none.
    """

    __slots__ = (
        "answers_file",
        "env_file",
        "package",
        "problems",
        "root",
        "secrets_dir",
        "settings",
        "venv_dir",
    )

    def __init__(
        self,
        root: str | os.PathLike[str] | None,
        package: str = PACKAGE,
        table: Mapping[str, Any] | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        found, messages = _rules.locations(table or {}, package)
        self.root = Path(root) if root is not None else None
        self.package = package
        self.env_file = found["env-file"]
        self.venv_dir = found["venv-dir"]
        self.settings = found["settings"]
        self.secrets_dir = found[_rules.SECRETS_DIR_KEY]
        self.answers_file = found[_rules.ANSWERS_FILE_KEY]
        self.problems = [*problems, *(Problem("project", m) for m in messages)]

    @classmethod
    def find(
        cls, package_dir: str | os.PathLike[str] = PACKAGE_DIR, package: str = PACKAGE
    ) -> Self:
        """The project whose source holds ``package_dir``, from its pyproject.toml."""
        root = _ROOT if package_dir == PACKAGE_DIR else find_root(package_dir)
        if root is None:
            return cls(None, package)
        pyproject = root / "pyproject.toml"
        try:
            table = _rules.tool_table(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, ValueError) as error:
            message = (
                f"cannot read [tool.{_rules.TOOL_TABLE}] from {pyproject}: {error}"
            )
            return cls(root, package, problems=[Problem("project", message)])
        return cls(root, package, table)

    @property
    def override_name(self) -> str:
        """The environment variable naming another env file, e.g. MY_APP_ENV_FILE."""
        return _rules.override_name(self.package)

    @property
    def mode_name(self) -> str:
        """The environment variable choosing the layers' mode, e.g. MY_APP_ENV."""
        return _rules.mode_name(self.package)

    @property
    def secrets_dir_name(self) -> str:
        """The environment variable naming the secrets folder, e.g.
        MY_APP_SECRETS_DIR."""
        return _rules.secrets_dir_name(self.package)

    def path(self, path: str | os.PathLike[str]) -> Path:
        """A configured path: '~' expanded, a relative one taken from the project
        root."""
        expanded = Path(os.path.expanduser(os.fspath(path)))
        return (
            expanded if expanded.is_absolute() else (self.root or Path.cwd()) / expanded
        )

    @property
    def example_path(self) -> Path:
        return self.path(_rules.EXAMPLE_FILE)


def find_root(package_dir: str | os.PathLike[str]) -> Path | None:
    """The nearest folder above ``package_dir`` holding a pyproject.toml (src/ or flat
    layout); None for an installed package (the search stops at site-packages). A
    package folder linked into site-packages (``flit install --symlink``) is searched
    from where the link points."""
    folder = os.path.abspath(package_dir)
    root = _pyproject_folder_above(folder)
    if root is None and os.path.realpath(folder) != folder:
        root = _pyproject_folder_above(os.path.realpath(folder))
    return None if root is None else Path(root)


def _pyproject_folder_above(folder: str) -> str | None:
    while True:
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
        if os.path.basename(folder) in ("site-packages", "dist-packages"):
            return None
        if os.path.isfile(os.path.join(folder, "pyproject.toml")):
            return folder


_current: Project | None = None


def current_project() -> Project:
    """This package's project, found once per process."""
    global _current
    if _current is None:
        _current = Project.find()
    return _current


# This package's project root, searched once per process (None: an installed package).
# Files linked one by one into another tree (Bazel's runfiles, GNU Stow) are searched
# from where this one points.
_ROOT: Final = find_root(PACKAGE_DIR) or (
    find_root(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    if os.path.islink(__file__)
    else None
)

#: The project root as a pathlib.Path: the folder of pyproject.toml above the package,
#: or the current directory for an installed package without its project.
PROJECT_ROOT: Path = _ROOT or Path.cwd()


class _Meta:
    """What a load knows about each value (kept out of ``vars(settings)``)."""

    __slots__ = ("origins", "project", "sensitive")

    def __init__(
        self,
        origins: dict[str, Origin],
        sensitive: frozenset[str],
        project: Project | None,
    ) -> None:
        self.origins = origins
        self.sensitive = sensitive  # attributes built from a secret or read from a file
        self.project = project


class _SettingsType(type):
    """The metaclass of ``BaseSettings``: its class bodies see ``Var`` unimported.

    0.1.0's settings.py imported ``Var``; its declarations stay valid after an update
    that rewrote the import line (CHANGELOG.md, 0.2.0).
    """

    @classmethod
    def __prepare__(
        mcs, name: str, bases: tuple[type, ...], /, **kwargs: Any
    ) -> dict[str, object]:
        return {"Var": Var}

    def __new__(
        mcs,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        /,
        **kwargs: Any,
    ) -> type:
        if namespace.get("Var") is Var:
            del namespace["Var"]  # for the class body only, not a class attribute
        return super().__new__(mcs, name, bases, namespace, **kwargs)


@dataclass_transform(
    kw_only_default=True, frozen_default=True, field_specifiers=(env, Var)
)
class BaseSettings(metaclass=_SettingsType):
    """Base of a project's ``Settings``: one annotated attribute per environment
    variable.

    ``log_level: str = "INFO"`` declares LOG_LEVEL, a str defaulting to "INFO";
    ``secret_key: Secret`` a required secret; ``ratio: float | None = None`` an optional
    number; ``env(default=..., description=...)`` adds a description. Types: str, int,
    float, bool, Url, Path, list[str], Secret. Instances are read-only, each value a
    plain attribute; build them with ``load_settings()``, or in tests directly:
    ``Settings(debug=True, ...)``. ``allow_reserved=("PYTHONPATH",)`` as a class keyword
    lets the env file set those reserved names.
    """

    __slots__ = ("_meta",)
    if TYPE_CHECKING:
        # For type checkers only: at run time they would be evaluated when the class is
        # created and listed in its __annotations__, beside the declared variables.
        _meta: _Meta
        __variables__: ClassVar[tuple[Variable, ...]]
        __allow_reserved__: ClassVar[tuple[str, ...]]
    __variables__ = ()
    __allow_reserved__ = ()

    def __init_subclass__(
        cls, *, allow_reserved: Iterable[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if allow_reserved is not None:
            if isinstance(allow_reserved, str):
                raise TypeError(f"{cls.__name__}: allow_reserved is a list of names")
            cls.__allow_reserved__ = tuple(allow_reserved)
        try:
            cls.__variables__ = _declare(cls)
        except TypeError as error:
            # Run as python -m <package>.settings: the lines, without a traceback.
            if cls.__module__ == "__main__" and _package_run_as_main():
                raise SystemExit(f"error: {error}") from None
            raise

    def __init__(self, **values: Any) -> None:
        variables = type(self).__variables__
        unknown = sorted(set(values) - {v.attr for v in variables})
        missing = [v.attr for v in variables if v.required and v.attr not in values]
        if unknown or missing:
            details = [f"unknown: {', '.join(unknown)}"] if unknown else []
            details += [f"missing: {', '.join(missing)}"] if missing else []
            raise TypeError(f"{type(self).__name__}(): {'; '.join(details)}")
        origins: dict[str, Origin] = {}
        project = current_project()  # paths are taken from its root, as a load does
        for variable in variables:
            if variable.attr in values:
                where = f"{type(self).__name__}({variable.attr}=...)"
                value = _code_value(where, variable, values[variable.attr], project)
                origins[variable.attr] = CODE
            else:
                value = _default_value(variable, project)
                origins[variable.attr] = DEFAULT
            object.__setattr__(self, variable.attr, value)
        object.__setattr__(self, "_meta", _Meta(origins, frozenset(), None))

    @classmethod
    def load(
        cls,
        env_file: EnvFiles | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        project: Project | None = None,
    ) -> Self:
        """Read, type and check every variable; raise SettingsError listing every
        problem.

        ``env_file``: read this file (or these, the last wins) instead of the project's;
        each must exist; ``()`` reads none.
        ``environ``: the environment to read (default ``os.environ``), e.g. a dict in
        tests. ``project``: where the files are (default: this package's project).
        """
        loaded = load_all(cls, env_file, environ=environ, project=project)
        if not isinstance(loaded.settings, cls):
            raise SettingsError(loaded.problems)
        return loaded.settings

    def __reduce__(self) -> tuple[Any, ...]:
        # copy, deepcopy and pickle (multiprocessing) make another read-only instance.
        values = {v.attr: getattr(self, v.attr) for v in type(self).__variables__}
        return (_restore, (type(self), values, self._meta))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is read-only: load new settings instead of "
            f"changing {name}"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        # A repr ends up in logs and tracebacks: secrets, values built from them and URL
        # passwords are masked.
        shown = ", ".join(
            f"{v.attr}={display(self, v, repr_=True)}" for v in type(self).__variables__
        )
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            getattr(self, v.attr) == getattr(other, v.attr)
            for v in type(self).__variables__
        )

    def __hash__(self) -> int:
        # Read-only, so hashable (a key of functools.cache): a list as a tuple.
        return hash(
            tuple(_hashable(getattr(self, v.attr)) for v in type(self).__variables__)
        )

    def __replace__(self, /, **changes: Any) -> Self:
        """``copy.replace(settings, port=8001)`` (Python 3.13+): a copy with these
        values changed, each checked as ``Settings(...)`` checks it; the others and
        their sources kept."""
        cls = type(self)
        variables = {v.attr: v for v in cls.__variables__}
        unknown = sorted(set(changes) - set(variables))
        if unknown:
            raise TypeError(
                f"copy.replace({cls.__name__}): no such variable: {', '.join(unknown)}"
            )
        meta = self._meta
        project = meta.project or current_project()
        values = {attr: getattr(self, attr) for attr in variables}
        origins = dict(meta.origins)
        for attr, value in changes.items():
            where = f"{cls.__name__}({attr}=...)"
            values[attr] = _code_value(where, variables[attr], value, project)
            origins[attr] = CODE
        sensitive = meta.sensitive - changes.keys()
        return _restore(cls, values, _Meta(origins, sensitive, meta.project))

    @classmethod
    def variables(cls) -> tuple[Variable, ...]:
        """The declared variables, in declaration order."""
        return cls.__variables__

    def sources(self) -> dict[str, Origin]:
        """Where each value came from, by attribute: environment, ``file:line``,
        default, code."""
        return dict(self._meta.origins)

    def as_dict(self, *, masked: bool = False) -> dict[str, Any]:
        """The values by attribute: secrets stay ``Secret``; URL credentials and text
        built from a secret (a str, a URL, a list's items) print masked, but are the
        real text.

        ``masked=True``: that text replaced by its masked form, for a log line or
        ``json.dumps(settings.as_dict(masked=True), default=str)``.
        """
        variables = type(self).__variables__
        if not masked:
            return {v.attr: getattr(self, v.attr) for v in variables}
        sensitive = self._meta.sensitive
        return {
            v.attr: _masked_value(getattr(self, v.attr), v.attr in sensitive)
            for v in variables
        }

    def export_to_environ(
        self, environ: MutableMapping[str, str] | None = None
    ) -> list[str]:
        """Write the values into ``environ`` (``os.environ`` by default); return the
        names.

        For child processes and libraries that read the environment themselves. Never
        overrides a variable already set (non-empty), never writes an empty value or a
        reserved name (unless ``allow_reserved`` lists it). Secrets are written as their
        real value: that is the point; they are never printed.
        """
        target = os.environ if environ is None else environ
        allowed = type(self).__allow_reserved__
        written: list[str] = []
        for variable in type(self).__variables__:
            if target.get(variable.name):
                continue
            if _rules.reserved_reason(variable.name, allowed) is not None:
                continue
            value = getattr(self, variable.attr)
            # A path as the OS writes it; any other value as an env file would.
            text = (
                str(value) if isinstance(value, PurePath) else _rules.value_text(value)
            )
            if text:
                target[variable.name] = text
                written.append(variable.name)
        return written


def _masked_value(value: Any, from_secret: bool) -> Any:
    """``value`` masked: all of it when built from a secret or read from a file (a
    number or a path read from a secret file too), else its URL credentials."""
    if isinstance(value, list):
        items = typing.cast("list[str]", value)  # a list variable's
        return [_masked_value(item, from_secret) for item in items]
    if isinstance(value, str):
        return _rules.MASK if from_secret else _rules.shown_text(value)
    if from_secret and value is not None and not isinstance(value, Secret):
        return _rules.MASK
    return value  # a Secret masks itself; other numbers, bools and paths hold no secret


_SettingsT = TypeVar("_SettingsT", bound=BaseSettings)


def _restore(  # noqa: UP047, RUF100 - no type parameters: this runs on Python 3.11
    cls: type[_SettingsT], values: dict[str, Any], meta: _Meta
) -> _SettingsT:
    """A read-only ``cls`` holding ``values``, made without ``__init__``'s checks: a
    load's result, a copy, or one unpickled (``__reduce__`` names this function)."""
    settings = object.__new__(cls)
    for attr, value in values.items():
        object.__setattr__(settings, attr, value)
    object.__setattr__(settings, "_meta", meta)
    return settings


def _package_run_as_main() -> bool:
    """Whether ``python -m <package>.<module>`` runs: its wrong declarations end the
    command with their lines, not a traceback (a script or a notebook gets
    TypeError)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", "").startswith(f"{PACKAGE}.")


def _code_value(where: str, variable: Variable, value: Any, project: Project) -> Any:
    """A value given in code (``Settings(port=80)``, in tests) checked against its
    declaration and the rules a load applies, and kept as a load keeps it: a secret as
    ``Secret`` (a str is wrapped), text holding a URL password masked, a relative path
    taken from the project root. The TypeError or ValueError never shows the value."""
    kind = variable.kind
    if value is None:
        if variable.optional:
            return None
        raise TypeError(f"{where}: None, which the annotation does not allow")
    if kind == "secret":
        if not isinstance(value, (Secret, str)):
            raise TypeError(
                f"{where}: {_a(type(value).__name__)}, not a str or a Secret"
            )
        text = value.get_secret_value() if isinstance(value, Secret) else value
        _check_code_text(where, variable, [text])
        return value if isinstance(value, Secret) else Secret(value)
    if not _is_a(kind, value):
        shown = _a(type(value).__name__)
        if isinstance(value, list):
            shown = "a list with items that are not str"
        hint = _PATH_HINT if kind == "path" else ""
        raise TypeError(f"{where}: {shown}, not {_a(kind)}{hint}")
    if kind == "float":
        import math  # here: only a float given in code needs it

        if math.isnan(value):
            raise ValueError(f"{where}: nan, which no env file gives a float")
        return float(value)
    if isinstance(value, list):
        items = typing.cast("list[str]", value)  # of str: checked above
        _check_code_text(where, variable, items)
        if any(_rules.list_item_problem(item) for item in items):
            raise ValueError(
                f"{where}: a list with an empty item, a ',' in an item or spaces "
                "around one, which env-file text cannot give"
            )
        return [_masked(item, False) for item in items]
    if isinstance(value, str):  # a str or a URL variable's
        _check_code_text(where, variable, [value])
        if kind == "url":
            problem = _rules.url_problem(value) if value else "an empty URL is no URL"
            if problem:
                raise ValueError(f"{where}: {problem}")
        return _masked(value, False, kind == "url")
    if kind == "path":
        return project.path(value)
    return value


def _check_code_text(where: str, variable: Variable, texts: list[str]) -> None:
    """ValueError for text given in code that no env file can give: a NUL character, or
    nothing for a required variable (a load takes an empty value for "not set")."""
    if any("\0" in text for text in texts):
        raise ValueError(f"{where}: a NUL character, which no env file can hold")
    if texts == [""] and variable.kind != "list" and variable.required:
        raise ValueError(
            f"{where}: empty, which a load takes for not set; it is required"
        )


def display(settings: BaseSettings, variable: Variable, *, repr_: bool = False) -> str:
    """The value of ``variable`` as shown to people: masked where it must be."""
    value = getattr(settings, variable.attr)
    # BaseSettings' own helper, outside the class so that _cli can use it too.
    masked = variable.attr in settings._meta.sensitive  # pyright: ignore[reportPrivateUsage]
    if masked or (variable.credential_default and value == variable.default):
        return repr(_rules.MASK) if repr_ else _rules.MASK
    if isinstance(value, Secret):
        return repr(value) if repr_ else (str(value) or "(empty)")
    if isinstance(value, PurePath) and not repr_:
        return _rules.printable(str(value))
    if isinstance(value, str):
        return repr(_rules.shown_text(value))
    if isinstance(value, list):  # item by item: a mask never swallows the brackets
        items = typing.cast("list[str]", value)  # a list variable's
        return "[" + ", ".join(repr(_rules.shown_text(item)) for item in items) + "]"
    return _rules.mask_url(repr(value))


def _fresh(value: Any) -> Any:
    if isinstance(value, list):
        return list(typing.cast("list[str]", value))  # a list variable's default
    return value


def _hashable(value: Any) -> Any:
    """``value``, a list (a list variable's) as a tuple."""
    if isinstance(value, list):
        return tuple(typing.cast("list[str]", value))
    return value


# --------------------------------------------------------------------------- env files


class Layer:
    """An env file to read; ``required``: asked for explicitly, so it must exist."""

    __slots__ = ("path", "required")

    def __init__(self, path: Path, required: bool) -> None:
        self.path = path
        self.required = required

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Layer):
            return NotImplemented
        return (self.path, self.required) == (other.path, other.required)

    def __hash__(self) -> int:
        return hash((self.path, self.required))

    def __repr__(self) -> str:
        return f"Layer({self.path!r}, required={self.required})"


def layer_mode(
    project: Project, environ: Mapping[str, str], problems: list[Problem]
) -> str:
    """The layers' mode: ``<PACKAGE>_ENV`` from the environment ("" for none). A value
    that cannot name a file is a problem, and then no mode file is read."""
    value = environ.get(project.mode_name, "")
    if not value:
        return ""
    problem = _rules.mode_problem(value, project.mode_name)
    if problem:
        problems.append(Problem("mode", problem, variable=project.mode_name))
        return ""
    return value


def env_layers(
    project: Project,
    environ: Mapping[str, str],
    env_file: EnvFiles | None = None,
    problems: list[Problem] | None = None,
) -> list[Layer]:
    """The env files to read, lowest priority first (a later file wins).

    ``env_file`` (relative to the current directory, like any path given in code;
    several in order; ``()`` for none), else the file ``<PACKAGE>_ENV_FILE`` names
    (relative to the project root): those files, which must exist. Else the project's
    layers, each of which may be absent:
    ``<env-file>``, ``<env-file>.<mode>``, ``<env-file>.local``,
    ``<env-file>.<mode>.local``, the mode coming from ``<PACKAGE>_ENV``
    (``layer_mode()``; ``problems`` gets a mode that cannot name a file). The null
    device (``<PACKAGE>_ENV_FILE=/dev/null``, as containers say "none") is no file.
    """
    if env_file is not None:
        named = [env_file] if isinstance(env_file, (str, os.PathLike)) else env_file
        # Whatever the annotation says, user code may pass items of any type.
        if isinstance(named, bytes) or not all(
            isinstance(name, (str, os.PathLike))  # pyright: ignore[reportUnnecessaryIsInstance]
            for name in named
        ):
            raise TypeError(
                "env_file: a path (a str or os.PathLike), or a sequence of them"
            )
        texts = [os.fspath(name) for name in named]
        if any(not text or "\0" in text for text in texts):  # "" would be the cwd
            raise ValueError(
                "env_file: a path names no file when empty or holding a NUL"
            )
        return [
            Layer(Path(os.path.expanduser(text)).absolute(), True)
            for text in texts
            if text != os.devnull
        ]
    if null_env_file(project, environ):
        return []
    override = environ.get(project.override_name)
    if override:
        return [Layer(project.path(override), True)]
    if project.root is None:
        return []
    chosen = layer_mode(project, environ, [] if problems is None else problems)
    return [
        Layer(project.path(name), False)
        for name in _rules.env_layers(project.env_file, chosen)
    ]


def null_env_file(project: Project, environ: Mapping[str, str]) -> bool:
    """Whether ``<PACKAGE>_ENV_FILE`` names the null device: no env file at all."""
    return environ.get(project.override_name) == os.devnull


def private_layer(project: Project) -> Path | None:
    """The env file that holds this checkout's own values and secrets, made by init:
    ``<env-file>.local``, which git always ignores."""
    if project.root is None:
        return None
    return project.path(_rules.private_layer(project.env_file))


class Entry:
    """One ``NAME=value`` line: the value as written, then as resolved."""

    __slots__ = ("commented", "key", "line", "raw", "tainted", "value")

    def __init__(self, key: str, raw: str | None, line: int) -> None:
        self.key = key
        self.raw = raw  # None: a name without '='
        self.line = line
        self.value = raw  # after ${VAR} interpolation
        self.tainted = False  # built from a secret or a URL password
        self.commented = False  # an unquoted value that ' #' ended (the rest a comment)


class EnvFile:
    """An env file as read. ``entries``: every line in order; ``values``: by key, the
    last one wins (as in python-dotenv). ``absent``: nothing at the path."""

    __slots__ = ("absent", "entries", "exists", "path", "values")

    def __init__(
        self, path: Path, entries: list[Entry] | None, absent: bool = False
    ) -> None:
        self.path = path
        self.exists = entries is not None
        self.absent = absent
        self.entries = entries or []
        self.values = {entry.key: entry for entry in self.entries}

    def where(self, entry: Entry) -> str:
        return f"{self.path}:{entry.line}"


# ------------------------------------------------------------------------- value files


class Given:
    """Values read from files before the env layers: ``above`` the layers (each
    ``NAME_FILE`` of the environment) and ``below`` them (the secrets folder); by
    variable name, each as (text, origin). Empty files count as not set."""

    __slots__ = ("above", "below", "folder")

    def __init__(self) -> None:
        self.above: dict[str, tuple[str, Origin]] = {}
        self.below: dict[str, tuple[str, Origin]] = {}
        self.folder: Path | None = None  # the secrets folder, when one is configured


NO_FILES: Final = Given()


def secrets_folder(project: Project, environ: Mapping[str, str]) -> Path | None:
    """The secrets folder: ``<PACKAGE>_SECRETS_DIR``, else pyproject.toml's
    ``secrets-dir`` (relative to the project root); None when neither names one."""
    configured = environ.get(project.secrets_dir_name) or project.secrets_dir
    return project.path(configured) if configured else None


def value_files(
    variables: Sequence[Variable],
    environ: Mapping[str, str],
    project: Project,
    problems: list[Problem],
) -> Given:
    """The values that files hold for ``variables`` (secrets, and those declared
    ``from_file=True``): the file ``NAME_FILE`` names in the environment, and the file
    named after the variable in the secrets folder (``_files.read_value_files()``, a
    module imported only when there is one of those to read)."""
    folder = secrets_folder(project, environ)
    if folder is None and not any(
        environ.get(_rules.file_variable(v.name)) for v in variables
    ):
        return NO_FILES  # the common case: nothing to read, nothing to stat
    from ._files import read_value_files

    return read_value_files(variables, environ, project, problems, folder)


def absent(path: Path) -> bool:
    """Nothing at ``path``; False for anything else, even a path that cannot be looked
    at (a folder on the way that is a file or not searchable), which the reader
    reports."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def read_layers(
    layers: Sequence[Layer], problems: list[Problem], project: Project | None = None
) -> list[EnvFile]:
    """Each layer as read (parsed, not interpolated). The env-file reader, ``_files``,
    is imported only when a layer is there, or required: a load from the environment
    alone does without it and without python-dotenv."""
    if all(not layer.required and absent(layer.path) for layer in layers):
        return [EnvFile(layer.path, None, absent=True) for layer in layers]
    from ._files import read_env_file

    return [read_env_file(lay.path, lay.required, problems, project) for lay in layers]


# ----------------------------------------------------------------------------- loading


class Loaded:
    """A load's result: the settings (None when there are problems), every problem, the
    env files as read and the project."""

    __slots__ = ("files", "given", "problems", "project", "settings")

    def __init__(
        self,
        settings: BaseSettings | None,
        problems: list[Problem],
        files: list[EnvFile],
        project: Project,
        given: Given = NO_FILES,
    ) -> None:
        self.settings = settings
        self.problems = problems
        self.files = files
        self.project = project
        self.given = given


def _lookup(
    variable: Variable,
    environ: Mapping[str, str],
    files: Sequence[EnvFile],
    given: Given = NO_FILES,
) -> tuple[str, Origin, bool] | None:
    """The first non-empty text of: the environment, ``NAME_FILE``, the env layers (the
    highest wins), the secrets folder. With its origin and whether it is built from a
    secret."""
    name = variable.name
    value = environ.get(name)
    if value:
        return value, ENVIRONMENT, False
    # A file's content is never shown: text from one masks itself, as a secret's does.
    from_file = variable.kind in _rules.TEXT_TYPES
    if name in given.above:
        return given.above[name][0], given.above[name][1], from_file
    for file in reversed(files):
        entry = file.values.get(name)
        if entry is not None and entry.value:
            return entry.value, Origin("file", file.path, entry.line), entry.tainted
    if name in given.below:
        return given.below[name][0], given.below[name][1], from_file
    return None


def _masked(text: str, tainted: bool, url: bool = False) -> str:
    """``text`` as a str whose repr hides it when it is built from a secret
    (``tainted``) or is a known service's token (``_rules.credential_value()``), and
    hides its credentials when it is a URL or holds ``user:password@`` or a query
    parameter such as ``?password=`` (``_rules.secret_spans()``)."""
    if tainted or _rules.credential_value(text):  # a token pasted into a plain str
        return MaskedText(text)
    if url or _rules.secret_spans(text):
        return UrlText(text)
    return text


def cast(variable: Variable, text: str, project: Project, tainted: bool = False) -> Any:
    """Env-file text to the variable's value; ValueError's reason never holds the text.

    Text built from a secret (``tainted``) stays text whose repr is masked: a str, a
    URL, each item of a list. A number, a bool or a path cannot mask itself, so one
    built from a secret is refused rather than shown wherever it is printed.
    """
    value = _rules.parse_value(variable.kind, text)
    if "\0" in text:
        raise ValueError("a NUL character cannot be in an environment variable")
    if variable.kind == "secret":
        return Secret(value)
    if tainted and variable.kind not in _rules.TEXT_TYPES:
        raise ValueError(
            f"{_a(variable.kind)} built from a secret would show it wherever it is "
            "printed; declare it Secret or str, or build it from values that are not "
            "secret"
        )
    if variable.kind == "path":
        return project.path(value)
    if variable.kind == "list":
        return [_masked(item, tainted) for item in value]
    if variable.kind in ("str", "url"):
        return _masked(value, tainted, variable.kind == "url")
    return value


def _default_value(variable: Variable, project: Project) -> Any:
    value = _fresh(variable.default)
    if isinstance(value, PurePath):
        return project.path(value)
    if variable.kind == "url" and isinstance(value, str):
        return UrlText(value)
    return value


def build(
    settings_cls: type[BaseSettings],
    environ: Mapping[str, str],
    files: Sequence[EnvFile],
    project: Project,
    problems: list[Problem],
    given: Given = NO_FILES,
) -> BaseSettings | None:
    """Each variable from the environment, its files, the env layers or its default;
    None when ``problems`` (which gets every new one) is not empty."""
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    sensitive: set[str] = set()
    reported = {p.variable for p in problems if p.code in _FILE_PROBLEMS}
    nul = {p.variable for p in problems if p.code == "nul"}  # its line is named already
    for variable in settings_cls.variables():
        found = _lookup(variable, environ, files, given)
        if found is not None and variable.name in nul and found[1].kind == "file":
            continue
        if found is None:
            if variable.name in reported:
                continue  # its file could not be read: said already
            if variable.required:
                from ._files import missing_message

                message = missing_message(variable, files, project, environ)
                problems.append(Problem("missing", message, variable=variable.name))
            else:
                values[variable.attr] = _default_value(variable, project)
                origins[variable.attr] = DEFAULT
            continue
        text, origin, tainted = found
        if variable.kind == "list" and not tainted and _rules.secret_spans(text):
            # A credential may run across items (a ',' in a password): hide them all.
            tainted = True
        try:
            values[variable.attr] = cast(variable, text, project, tainted)
        except ValueError as error:
            if variable.kind in ("secret", "url") or origin.kind == "value-file":
                # A URL may hold a password, in a form the mask misses; a file's
                # content is never shown.
                shown = ""
            elif tainted:
                shown = ", got '**********' (it is built from a secret)"
            else:
                shown = f", got {_rules.shown_text(text)!r}"
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
        if tainted or origin.kind == "value-file":  # a file's content is never shown
            sensitive.add(variable.attr)
    if problems:
        return None
    return _restore(settings_cls, values, _Meta(origins, frozenset(sensitive), project))


# Problems with a variable's own files (NAME_FILE, the secrets folder) or its line (its
# name quoted, with an invisible character or in other letter case): not "missing" too.
_FILE_PROBLEMS = frozenset(
    {
        "no-file",
        "not-a-file",
        "too-large",
        "unreadable",
        "both-set",
        "not-from-file",
        "quoted-name",
        "hidden-character",
        "letter-case",
    }
)


def load_all(
    settings_cls: type[BaseSettings],
    env_file: EnvFiles | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    project: Project | None = None,
) -> Loaded:
    """``load`` without raising: the settings or None, every problem, the files read."""
    environ = os.environ if environ is None else environ
    project = current_project() if project is None else project
    problems = list(project.problems)
    files = read_layers(
        env_layers(project, environ, env_file, problems), problems, project
    )
    variables = settings_cls.variables()
    given = value_files(variables, environ, project, problems)
    if any(file.entries for file in files):
        from ._files import interpolate, name_problems

        name_problems(files, variables, problems)
        interpolate(files, environ, problems, variables, given)
    settings = build(settings_cls, environ, files, project, problems, given)
    return Loaded(settings, problems, files, project, given)
