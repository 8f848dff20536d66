"""Copy-time rules of copier-venv-dotenv: question validators and rendering helpers.

The rules about variables (types, casting, bool words, URLs, reserved names, names a
variable may not take, defaults, quoting, .env.example and the settings reference) live
in ONE stdlib-only module that generated projects ship as their engine's ``_rules.py``:
this file loads that very file (``template/{{package_dir}}/_settings/_rules.py``,
or ``venv_dotenv_rules_core.py`` beside this file when another template vendors both),
so copy time and run time cannot disagree.

Every ``check_*`` function returns ``""`` when the value is valid, else a message naming
the value, the rule it breaks and a fix: copier treats any non-empty validator output as
an error, so ``copier.yml`` pipes each answer through the matching filter.

Depends on the standard library and jinja2 only.
"""

from __future__ import annotations

import importlib.util
import keyword
import os
import re
import shlex
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2.ext import Extension

_HERE = Path(__file__).resolve().parent
RULES_PATHS = (
    _HERE.parent / "template" / "{{package_dir}}" / "_settings" / "_rules.py",
    _HERE / "venv_dotenv_rules_core.py",
)


def _load_rules() -> ModuleType:
    for path in RULES_PATHS:
        if path.is_file():
            spec = importlib.util.spec_from_file_location("venv_dotenv_rules_core", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
            return module
    raise ImportError(f"copier-venv-dotenv: the rules module is missing; looked for {RULES_PATHS}")


rules = _load_rules()
EnvVar = rules.EnvVar
ENV_TYPES = rules.ENV_TYPES
BOOL_WORDS = rules.BOOL_WORDS
MAPPING_KEYS = ("name", "type", "default", "description")

# --------------------------------------------------------------------------- #
# The env_vars answer
# --------------------------------------------------------------------------- #


class EnvVarsError(ValueError):
    """The env_vars answer is invalid; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _split_one_line(text: str, problems: list[str]) -> list[str]:
    """Split ``A=1, B:int="x,y"`` on commas outside double quotes; a quote that nothing
    closes is a problem (it would take in every entry after it)."""
    entries, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            entries.append("".join(current))
            current = []
            continue
        current.append(char)
    if quoted:
        # Name the entry only: what follows its name may be a value.
        name = re.split(r"[:=]", "".join(current).strip())[0].strip()
        problems.append(
            f"{name!r}: a double quote opens and nothing closes it, so "
            "the rest of the answer would be its default; close it (NAME:list=\"a,b\"), "
            "write a quote inside one as \\\", or give env_vars as a YAML list"
        )
        return []
    entries.append("".join(current))
    return [entry.strip() for entry in entries if entry.strip()]


_ENTRY_RE = re.compile(
    r"(?P<name>[^:=]*?)\s*(?::\s*(?P<type>[^=]*?)\s*)?(?:=(?P<default>.*))?\Z",
    re.DOTALL,
)


def _unquote(value: str) -> str:
    """A one-line default may be double-quoted to hold commas: ``"a,b"``."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1], flags=re.DOTALL)
    return value


def _entry_from_text(entry: str, problems: list[str]) -> EnvVar | None:
    match = _ENTRY_RE.match(entry)
    if match is None or not match["name"]:
        shown = rules.printable(entry.partition("=")[0])
        problems.append(
            f"cannot read the entry {shown!r}: write NAME, NAME=default, NAME:type or "
            "NAME:type=default"
        )
        return None
    default = match["default"]
    if default is not None:
        default = _unquote(default.strip())
    return EnvVar(match["name"].strip(), (match["type"] or "str").strip(), default)


def _yaml_default(name: str, kind: str, value: Any, problems: list[str]) -> str | None:
    """A mapping's default as text; YAML's own typing is kept only where it cannot have
    changed the meaning (a yes/no word of a bool variable)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) and kind == "bool":
        return "true" if value else "false"
    if isinstance(value, list) and kind == "list" and all(isinstance(i, str) for i in value):
        wrong = next((rules.list_item_problem(item) for item in value
                      if rules.list_item_problem(item)), "")
        if wrong:  # joined with ',' it would read back as another list
            problems.append(f"{name}: the default holds {wrong}: env files separate a "
                            "list's items with ',' and strip them")
            return None
        return ",".join(value)
    if kind == "secret":
        problems.append(rules.default_problem(name, "secret", "x"))
        return None
    problems.append(
        f"{name}: YAML read the default as {type(value).__name__} {value!r}, and YAML "
        "changes some values (010 reads as 8, 1:20 as 80, off as false): write the "
        "default as a quoted string, e.g. default: '...'"
    )
    return None


def _entry_from_mapping(entry: Mapping[Any, Any], problems: list[str]) -> EnvVar | None:
    unknown = sorted(str(key) for key in entry if key not in MAPPING_KEYS)
    name = entry.get("name")
    if unknown:
        problems.append(
            f"entry {rules.printable(str(name or '?'))}: unknown key(s) {', '.join(unknown)}; "
            f"allowed keys are {', '.join(MAPPING_KEYS)}"
        )
        return None
    if not isinstance(name, str) or not name.strip():
        problems.append("an entry has no 'name'; every mapping needs name: SOME_NAME")
        return None
    kind = entry.get("type") or "str"
    description = entry.get("description")
    if description is None:
        description = ""
    if not isinstance(kind, str) or not isinstance(description, str):
        problems.append(f"{name}: write its type and description as text")
        return None
    before = len(problems)
    default = _yaml_default(name.strip(), kind.strip(), entry.get("default"), problems)
    if len(problems) > before:
        return None
    return EnvVar(name.strip(), kind.strip(), default, description.strip())


def _raw_entries(answer: Any, problems: list[str]) -> list[EnvVar]:
    if answer is None:
        return []
    if isinstance(answer, str):
        items: Iterable[Any] = _split_one_line(answer, problems)
    elif isinstance(answer, list):
        items = answer
    elif isinstance(answer, Mapping):
        # Name only what precedes ':' or '=', never a (possibly secret) value.
        names = ", ".join(re.split(r"[:=]", str(key))[0].strip() for key in answer)
        problems.append(
            f"the answer about {rules.printable(names)} was read as a YAML mapping; give "
            "a YAML list of entries instead"
        )
        return []
    else:
        problems.append(f"expected 'NAME[:type][=default], ...' or a YAML list, got {answer!r}")
        return []
    entries = []
    for item in items:
        if isinstance(item, str):
            parsed = _entry_from_text(item, problems)
        elif isinstance(item, Mapping):
            parsed = _entry_from_mapping(item, problems)
        else:
            problems.append(f"cannot read the entry {item!r}: expected text or a mapping")
            parsed = None
        if parsed is not None:
            entries.append(parsed)
    return entries


def credential_default_problem(name: str, kind: str, text: str) -> str:
    """Why an answer's default cannot be accepted as a credential ('' if it can): copy
    time writes defaults to ``.copier-answers.yml`` and ``.env.example``, both committed.
    The rule is ``rules.credential_default_reason()``, which ``check`` applies to the
    defaults written in settings.py. Never repeats the default."""
    why = rules.credential_default_reason(name, kind, text)
    if not why:
        return ""
    rename = "; if the value is not secret, give the variable a name that does not say it is"
    if why == rules.KNOWN_TOKEN:
        rename = ""
    return (
        f"{name}: its default is not accepted, since {why}, and a default is committed "
        f"in .copier-answers.yml and {rules.EXAMPLE_FILE}. Declare it {name}:secret with no "
        f"default and give the value in the private env file{rename}"
    )


def _entry_problems(var: EnvVar, package_name: str) -> list[str]:
    problem = rules.name_problem(var.name)
    if problem:
        return [problem]
    found = [rules.attribute_problem(var.name)]
    reason = rules.reserved_reason(var.name)
    if reason:
        found.append(
            f"{var.name!r} is reserved: {reason}; pick a project-specific name such as "
            f"'APP_{var.name.strip('_')}'"
        )
    if package_name:
        found.append(rules.loader_setting_problem(var.name, package_name))
    if var.type not in rules.TYPES:
        # The default is not shown: the type was probably meant to be 'secret'.
        found.append(
            f"{var.name}: unknown type {var.type!r}; known types are "
            f"{', '.join(ENV_TYPES)}"
        )
    elif var.default is not None:
        found.append(rules.default_problem(var.name, var.type, var.default)
                     or credential_default_problem(var.name, var.type, var.default))
    found.append(rules.text_problem(f"{var.name}: the description", var.description, "\n"))
    return [problem for problem in found if problem]


def _checked_entries(answer: Any, package_name: str) -> tuple[list[EnvVar], list[str]]:
    """The entries of an env_vars answer and every problem, in answer order."""
    problems: list[str] = []
    entries = _raw_entries(answer, problems)
    for var in entries:
        problems.extend(_entry_problems(var, package_name))
        if isinstance(answer, str) and var.default:
            # A value may span lines (the list form allows it), but in the one-line form
            # a line break or tab is a slip: two entries were meant.
            problems.append(rules.text_problem(f"{var.name}: the default", var.default))
    problems = [problem for problem in problems if problem]
    for first, again in rules.duplicates(var.name for var in entries):
        problems.append(
            f"{again!r} is declared twice (as {first!r} too; names are compared ignoring case)"
        )
    # Every secret also reads NAME_FILE: that name must be free.
    pairs = [(var.name, var.type == "secret") for var in entries]
    problems.extend(rules.file_variable_clashes(pairs, package_name))
    return entries, problems


def env_vars_problems(answer: Any, package_name: str = "") -> list[str]:
    """Every problem of an env_vars answer, in answer order."""
    return _checked_entries(answer, package_name)[1]


def parse_env_vars(answer: Any, package_name: str = "") -> list[EnvVar]:
    """The declared variables, or EnvVarsError listing every problem."""
    entries, problems = _checked_entries(answer, package_name)
    if problems:
        raise EnvVarsError(problems)
    return entries


def check_env_vars(answer: Any, package_name: str = "") -> str:
    problems = env_vars_problems(answer, package_name)
    if not problems:
        return ""
    return "\n".join(["invalid env_vars:", *(f"  - {p}" for p in problems)])


# --------------------------------------------------------------------------- #
# Project, package and Python version
# --------------------------------------------------------------------------- #

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13", "3.14")
MAX_PROJECT_NAME = 100
MAX_PACKAGE_NAME = 64

# Modules that left the standard library after 3.11 or joined it after the Python
# running copier: a package must not shadow them on any supported Python.
_STDLIB_REMOVED_SINCE_311 = frozenset({
    "asynchat", "asyncore", "distutils", "imp", "smtpd",  # 3.12
    "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3",
    "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr",
    "spwd", "sunau", "telnetlib", "uu", "xdrlib",  # 3.13
})
# (Package names start with a letter, so private modules such as _sha2 need no entry.)
_STDLIB_ADDED_AFTER_311 = frozenset({"annotationlib", "compression"})
STDLIB_MODULES = (
    frozenset(sys.stdlib_module_names) | _STDLIB_REMOVED_SINCE_311 | _STDLIB_ADDED_AFTER_311
)

# Top-level import names of everything a generated project installs in its venv
# (python-dotenv, pytest and their dependencies, pip and uv's venv seeding, the build
# backend's editable hooks), and names Python or pytest treat specially. A package with
# one of these names would be shadowed by, or shadow, that module.
# tests/test_rules.py checks this list against a real venv of a generated project.
DEPENDENCY_MODULES = frozenset({
    "dotenv",  # python-dotenv
    "pytest", "_pytest", "py",  # pytest (py.py is its shim of the old py library)
    "pluggy", "iniconfig", "packaging", "pygments", "colorama",  # pytest's dependencies
    "pip", "setuptools", "pkg_resources", "_distutils_hack", "wheel",  # venv seeding
    "_virtualenv", "uv", "hatchling", "editables",  # uv's venvs, build tools
    "copier", "jinja2", "markupsafe",
    "sitecustomize", "usercustomize", "conftest",  # imported by Python or pytest itself
})
PROJECT_FOLDERS = frozenset({"test", "tests", "src", "scripts"})
PACKAGE_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
DIST_NAME_RE = re.compile(r"([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])\Z", re.IGNORECASE)


def distribution_name(project_name: str) -> str:
    """The PEP 508 distribution name derived from a human-readable name."""
    return re.sub(r"[^a-z0-9]+", "-", project_name.strip().lower()).strip("-")


def check_project_name(value: Any) -> str:
    text = "" if value is None else str(value)
    if not text.strip():
        return "the project name is empty; give the project a name, e.g. 'My App'"
    if len(text) > MAX_PROJECT_NAME:
        return (
            f"the project name {text[:30]!r}... has {len(text)} characters; keep it to "
            f"{MAX_PROJECT_NAME} at most"
        )
    problem = rules.text_problem(f"project name {text!r}", text)
    if problem:
        return problem
    bad = sorted({c for c in text if c in '"\\`'})
    if bad:
        return (
            f"project name {text!r} contains {', '.join(map(repr, bad))}, which would "
            "break the generated pyproject.toml and docstrings; drop them"
        )
    dist = distribution_name(text)
    if not dist or not DIST_NAME_RE.match(dist):
        return (
            f"{text!r} gives no valid distribution name: it needs at least one ASCII "
            "letter or digit, e.g. 'My App' gives 'my-app'"
        )
    return ""


def check_package_name(value: Any) -> str:
    name = "" if value is None else str(value)
    if not PACKAGE_NAME_RE.match(name):
        suggestion = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
        # Only a name that passes every rule (`_pytest` would give `pytest`, refused) and
        # keeps every letter (`café` would give `caf`).
        good = (name.isascii() and PACKAGE_NAME_RE.match(suggestion)
                and not check_package_name(suggestion))
        hint = f"; use {suggestion!r}" if good else ""
        return (
            f"package name {name!r}: use lower-case ASCII letters, digits "
            f"and '_', starting with a letter ([a-z][a-z0-9_]*){hint}"
        )
    if len(name) > MAX_PACKAGE_NAME:
        return (
            f"package name {name[:30]!r}... has {len(name)} characters; keep it to "
            f"{MAX_PACKAGE_NAME} at most"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"package name {name!r} is a Python keyword; try '{name}_app'"
    if name in STDLIB_MODULES:
        return (
            f"package name {name!r} is a standard-library module; `import {name}` would "
            f"find one or the other depending on the folder it runs in; try '{name}_app'"
        )
    if name in DEPENDENCY_MODULES:
        return (
            f"package name {name!r} is the import name of a module the project installs "
            f"or Python uses; try '{name}_app'"
        )
    if name in PROJECT_FOLDERS:
        return f"package name {name!r} is a folder of the generated project; try '{name}_app'"
    return ""


def default_package_name(project_name: Any) -> str:
    """A valid package name derived from the project name (always passes)."""
    base = distribution_name(str(project_name or "")).replace("-", "_").replace(".", "_")
    base = base[:MAX_PACKAGE_NAME].rstrip("_") or "app"
    if base[0].isdigit():
        base = f"app_{base}"[:MAX_PACKAGE_NAME].rstrip("_")
    while check_package_name(base):
        base = f"{base[: MAX_PACKAGE_NAME - 4]}_app"
    return base


def default_project_name(folder_name: Any) -> str:
    """The destination folder's name, or a placeholder if it makes no valid name."""
    name = str(folder_name or "")
    return name if not check_project_name(name) else "my-project"


def check_python_version(value: Any) -> str:
    text = "" if value is None else str(value)
    old = re.fullmatch(r"3\.(\d+)", text)
    if old and int(old[1]) < 11 and text != "3.1":
        return (
            f"python_version {text!r} is not supported: Python {text} has reached its end "
            f"of life; use 3.11 or newer (one of {', '.join(SUPPORTED_PYTHONS)})"
        )
    if text not in SUPPORTED_PYTHONS:
        hint = " (quote it: YAML reads 3.10 as 3.1)" if text == "3.1" else ""
        return (
            f"python_version {text!r}{hint}: give the minimum Python as 3.N, one of "
            f"{', '.join(SUPPORTED_PYTHONS)}"
        )
    return ""


YES_NO_WORDS = ("true", "false", "yes", "no", "on", "off", "y", "n", "t", "f", "1", "0")


def check_yes_no(raw: Any, question: str) -> str:
    """Refuse a yes/no answer copier would silently read as true ("maybe").

    Copier casts any unknown word to True, so the raw answer (from --data or the user
    defaults) is checked before that cast hides it.
    """
    if raw is None or isinstance(raw, (bool, int)):
        return ""
    if str(raw).strip().lower() in YES_NO_WORDS:
        return ""
    return f"{question} must be true or false (yes/no, on/off, 1/0), not {str(raw)!r}"


# --------------------------------------------------------------------------- #
# Paths: venv_dir and env_file
# --------------------------------------------------------------------------- #

_PATH_SEGMENT_RE = re.compile(r"[A-Za-z0-9._-]+\Z")
# What the generated project itself uses at its root.
PROJECT_PATHS = frozenset({
    "src", "tests", "scripts", ".git", ".github", ".vscode", rules.ANSWERS_FILE,
    ".gitignore", ".env.example", "pyproject.toml", "README.md", "uv.lock",
    ".envrc", ".pre-commit-config.yaml", "CHANGELOG.md",
})


def _relative_path_problem(what: str, value: str) -> str:
    if not value:
        return f"{what} is empty; give a path relative to the project root"
    if any(char.isspace() for char in value):
        return (
            f"{what} {value!r} contains whitespace, which breaks the shebang lines of venv "
            "scripts on Linux; use '-' or '_'"
        )
    if not rules.inside_project(value):
        return (f"{what} {value!r} leaves the project (absolute, a drive, '~' or '..'); "
                "give a path inside it, relative to its root")
    if "\\" in value:
        return f"{what} {value!r}: write paths with '/' so they work on every OS"
    segments = value.rstrip("/").split("/")
    if any(s in ("", ".") for s in segments):
        return f"{what} {value!r}: drop the empty or '.' parts of the path"
    bad = [s for s in segments if not _PATH_SEGMENT_RE.match(s)]
    if bad:
        return (
            f"{what} {value!r}: use only letters, digits, '.', '_' and '-' "
            f"in names (not {bad[0]!r})"
        )
    if any(s.startswith("-") for s in segments):
        # Commands print it (source -rf/bin/activate): an option, not a path.
        return f"{what} {value!r}: a name may not start with '-', which commands read as an option"
    return ""


def _normal(path: str) -> str:
    return path.rstrip("/")


def check_venv_dir(value: Any) -> str:
    text = "" if value is None else str(value)
    problem = _relative_path_problem("venv_dir", text)
    if problem:
        return problem
    # Case folded: macOS and Windows take .Env for .env.
    first = _normal(text).split("/")[0].casefold()
    if first == ".env" or first.startswith(".env."):
        return (
            f"venv_dir {text!r} is an env file name: tools read .env as environment "
            "variables, not as a venv; use '.venv'"
        )
    if first in PROJECT_PATHS:
        return (
            f"venv_dir {text!r} is inside {first!r}, which the project uses for something "
            "else; use '.venv'"
        )
    return ""


def check_env_file(value: Any, venv_dir: Any = "") -> str:
    text = "" if value is None else str(value)
    problem = _relative_path_problem("env_file", text)
    if problem:
        return problem
    path, venv = _normal(text), _normal(str(venv_dir or ""))
    if text.endswith("/"):
        return f"env_file {text!r} names a folder; name a file such as '.env'"
    folded, venv_folded = path.casefold(), venv.casefold()  # one path on macOS, Windows
    if venv and (folded == venv_folded or folded.startswith(venv_folded + "/")):
        return (
            f"env_file {text!r} is the venv folder {venv!r} or inside it; keep "
            "configuration out of the venv, e.g. '.env'"
        )
    if venv and venv_folded.startswith(folded + "/"):
        return (
            f"env_file {text!r} would be a folder: the venv {venv!r} is inside it; "
            "use e.g. '.env' and '.venv'"
        )
    problem = rules.env_file_problem(path)
    if problem:
        return f"env_file {text!r} {problem}"
    first = path.split("/")[0]
    if first in PROJECT_PATHS:
        return (
            f"env_file {text!r} is inside {first!r}, which the project uses for something "
            "else; use '.env'"
        )
    return ""


# --------------------------------------------------------------------------- #
# Messages
# --------------------------------------------------------------------------- #


def shell_word(text: Any) -> str:
    """``text`` (a path) as one word of a command users paste: POSIX shell quoting; on
    Windows, where no path holds a double quote, double quotes (which cmd and PowerShell
    read as one word, though they still expand ``%VAR%`` and ``$name`` inside)."""
    if os.name == "nt":
        return f'"{text}"'
    return shlex.quote(str(text))


def absolute_path(text: Any) -> str:
    """``text`` (a path, perhaps ``.``) as an absolute path, for a message to read."""
    return os.path.abspath(str(text))


# --------------------------------------------------------------------------- #
# Rendering settings.py
# --------------------------------------------------------------------------- #

LINE_WIDTH = 88  # ruff format's default: the rendered file must need no reformatting
def py_string(text: str) -> str:
    """A Python string literal for ``text``, quoted as ruff format (and black) quote.

    Double quotes, unless the text holds more double than single quotes; escapes as
    ``repr`` writes them.
    """
    body = repr(text)
    inner = body[1:-1].replace("\\'", "'") if body[0] == "'" else body[1:-1]
    quote = "'" if text.count('"') > text.count("'") else '"'
    inner = inner.replace(quote, "\\" + quote)
    return quote + inner + quote


class _Code:
    """A Python expression that formats flat when it fits, else one item per line."""

    def __init__(self, opening: str, items: list[tuple[str, Any]], closing: str) -> None:
        self.opening = opening  # "env(", "Path(", "["
        self.items = items  # (prefix such as "default=", item: str or _Code)
        self.closing = closing

    def flat(self) -> str:
        items = ", ".join(prefix + _flat(item) for prefix, item in self.items)
        return f"{self.opening}{items}{self.closing}"

    def exploded(self, indent: int) -> str:
        # The trailing comma keeps ruff format from joining the lines again.
        pad = " " * (indent + 4)
        lines = [
            f"{pad}{prefix}{_format(item, indent + 4, len(pad) + len(prefix), 1)},"
            for prefix, item in self.items
        ]
        return "\n".join([self.opening, *lines, " " * indent + self.closing])


def _flat(item: str | _Code) -> str:
    return item if isinstance(item, str) else item.flat()


def _format(item: str | _Code, indent: int, used: int, after: int) -> str:
    """``item`` at a column ``used``, followed by ``after`` characters on its line."""
    flat = _flat(item)
    if isinstance(item, str) or used + len(flat) + after <= LINE_WIDTH:
        return flat
    return item.exploded(indent)


def _default_code(var: EnvVar) -> str | _Code:
    text = var.default or ""
    if var.default == "" and var.type in rules.NONE_WHEN_EMPTY:
        return "None"
    value = rules.parse_value(var.type, text)
    if var.type == "list":
        return _Code("[", [("", py_string(item)) for item in value], "]")
    if var.type == "path":
        return _Code("Path(", [("", py_string(value))], ")")
    if var.type == "float" and (value != value or value in (float("inf"), float("-inf"))):
        return f"float({py_string(text.strip())})"
    if isinstance(value, str):
        return py_string(value)
    return repr(value).replace("e+", "e")  # 1e+16 as ruff format writes it: 1e16


def declaration(var: EnvVar) -> str:
    """The line(s) declaring ``var`` in the ``Settings`` class body (indented by 4)."""
    annotation = rules.ANNOTATIONS[var.type]
    if var.default == "" and var.type in rules.NONE_WHEN_EMPTY:
        annotation += " | None"
    head = f"    {var.attr}: {annotation}"
    arguments: list[tuple[str, Any]] = []
    if var.default is not None:
        value = _default_code(var)
        flat = f"{head} = {_flat(value)}"
        # A list default goes through env(): a bare one would be a class attribute
        # shared by every instance (ruff's RUF012).
        if not var.description and var.type != "list":
            if len(flat) <= LINE_WIDTH:
                return flat
            if isinstance(value, _Code):
                return f"{head} = {value.exploded(4)}"
        arguments.append(("default=", value))
    elif not var.description:
        return head
    if var.description:
        arguments.append(("description=", py_string(var.description)))
    call = _Code("env(", arguments, ")")
    return f"{head} = {_format(call, 4, len(head) + 3, 0)}"


def settings_declarations(variables: Iterable[EnvVar]) -> str:
    """The declarations of ``variables``, one after the other."""
    return "\n".join(declaration(var) for var in variables)


def settings_imports(variables: Iterable[EnvVar]) -> dict[str, bool]:
    """Which optional names settings.py imports: those its declarations use."""
    variables = list(variables)
    return {
        "Path": any(var.type == "path" for var in variables),
        "Url": any(var.type == "url" for var in variables),
        # Read from the declarations themselves: a default too long for one line goes
        # through env() as well.
        "env": any(" = env(" in declaration(var) for var in variables),
    }


# --------------------------------------------------------------------------- #
# Jinja extension
# --------------------------------------------------------------------------- #


class VenvDotenvExtension(Extension):
    """Registers the rules as filters and globals for copier.yml and the templates."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters.update({
            # Validators: "" when valid, else the message.
            "env_vars_error": check_env_vars,
            "package_name_error": check_package_name,
            "project_name_error": check_project_name,
            "python_version_error": check_python_version,
            "venv_dir_error": check_venv_dir,
            "env_file_error": check_env_file,
            "yes_no_error": check_yes_no,
            # Derived answers.
            "parse_env_vars": parse_env_vars,
            "distribution_name": distribution_name,
            "default_package_name": default_package_name,
            "default_project_name": default_project_name,
            "env_file_override_name": rules.override_name,
            # Rendering: settings.py, .env.example, the README's settings reference.
            "settings_declarations": settings_declarations,
            "settings_imports": settings_imports,
            "env_example_entries": rules.env_example_entries,
            "settings_reference": rules.settings_reference,
            "env_value": rules.env_value,
            "dotenv_value": rules.env_value,
            "py_string": py_string,
            # Messages: a path to read, and one in a command to paste.
            "shell_word": shell_word,
            "absolute_path": absolute_path,
        })
        environment.globals.update({
            "supported_pythons": SUPPORTED_PYTHONS,
            "env_types": ENV_TYPES,
            "dotenv_requirement": rules.DOTENV_REQUIREMENT,
            "reserved_case_pattern": rules.reserved_case_pattern(),
            "tool_table": rules.TOOL_TABLE,
        })
