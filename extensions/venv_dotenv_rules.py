"""Name rules of copier-venv-dotenv, as plain functions and a Jinja extension.

Every ``check_*`` function returns ``""`` when the value is valid and otherwise a
message that names the value, the rule it breaks and a fix.  Copier treats any
non-empty validator output as an error, so ``copier.yml`` only has to pipe each
answer through the matching filter.

The file depends on the standard library and jinja2 only, so another template can
load it with copier-template-extensions, and tests can import it directly.
"""

from __future__ import annotations

import inspect
import keyword
import re
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from jinja2.ext import Extension

# --------------------------------------------------------------------------- #
# Environment variables
# --------------------------------------------------------------------------- #

ENV_TYPES = ("str", "int", "float", "bool", "url", "path", "list", "secret")
BOOL_WORDS = ("true", "false", "1", "0", "yes", "no", "on", "off")
ENV_NAME_RE = re.compile(r"[A-Z_][A-Z0-9_]*\Z")
URL_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
MAPPING_KEYS = ("name", "type", "default", "description")

# Names that change the interpreter, the package tools or the process when a
# project's env file sets them: editors and `dotenv run` export the file before
# Python starts, and every child process inherits what the loader exports.
_SUBPROCESS = "and every child process (pip, uv, git, subprocess) inherits it"
RESERVED_PREFIXES: tuple[tuple[str, str], ...] = (
    ("PYTHON", "it configures the Python interpreter itself (import path, "
     "encoding, start-up code); a .env that sets it breaks the venv's isolation"),
    ("PIP_", "it configures pip; an index URL here can pull packages from the "
     "wrong server (dependency confusion)"),
    ("UV_", "it configures uv: which Python, which venv, which index"),
    ("PIPENV_", "it configures pipenv, which reads .env files on its own"),
    ("POETRY_", "it configures Poetry: which venv and which repositories"),
    ("CONDA_", "it tells conda and other tools which environment is active"),
    ("LD_", "the dynamic loader reads it: it can inject code into every "
     "program started from this process"),
    ("DYLD_", "the macOS dynamic loader reads it: it can inject code into every "
     "program started from this process"),
    ("GIT_", "git reads it: it can rewrite git's configuration or run commands "
     "(GIT_SSH_COMMAND, GIT_CONFIG_*)"),
)
RESERVED_EXACT: dict[str, str] = {
    "VIRTUAL_ENV": "it names the active virtual environment; pip, uv and editors "
    "would act on the wrong venv",
    "__PYVENV_LAUNCHER__": "the macOS launcher uses it to choose the interpreter",
    "PATH": f"it decides which python, pip and git run, {_SUBPROCESS}",
    "HOME": f"it moves every tool's configuration and caches, {_SUBPROCESS}",
    "SHELL": f"it chooses the shell that tools start, {_SUBPROCESS}",
    "BASH_ENV": "bash runs the file it names before every script",
    "ENV": "sh runs the file it names when it starts",
    "IFS": "it changes how shells split words in every script",
    "PROMPT_COMMAND": "bash runs it before every prompt",
    "TMPDIR": f"it moves every temporary file, {_SUBPROCESS}",
    "TEMP": f"it moves every temporary file on Windows, {_SUBPROCESS}",
    "TMP": f"it moves every temporary file on Windows, {_SUBPROCESS}",
    "NODE_OPTIONS": "it injects options and code into every Node.js process",
    "NODE_PATH": "it changes where Node.js finds modules",
    "HTTP_PROXY": f"it routes web traffic through a proxy, {_SUBPROCESS}",
    "HTTPS_PROXY": f"it routes web traffic through a proxy, {_SUBPROCESS}",
    "ALL_PROXY": f"it routes network traffic through a proxy, {_SUBPROCESS}",
    "NO_PROXY": f"it changes which hosts bypass the proxy, {_SUBPROCESS}",
    "SSL_CERT_FILE": "it replaces the trusted certificate authorities",
    "SSL_CERT_DIR": "it replaces the trusted certificate authorities",
    "REQUESTS_CA_BUNDLE": "it replaces the certificate authorities that "
    "requests and pip trust",
    "CURL_CA_BUNDLE": "it replaces the certificate authorities that curl trusts",
}

# Attribute names the loader's Settings class uses for itself; a variable whose
# lower-cased name is one of these would shadow a method.  The generated
# project's engine is tested against this list.
LOADER_ATTRIBUTES = frozenset(
    {"as_dict", "export_to_environ", "load", "sources", "variables", "report"}
)


def reserved_reason(name: str) -> str | None:
    """Why ``name`` must not be set from an env file, or None if it may be.

    Windows treats environment names case-insensitively, so ``Path`` is ``PATH``.
    """
    upper = name.upper()
    if upper in RESERVED_EXACT:
        return RESERVED_EXACT[upper]
    for prefix, reason in RESERVED_PREFIXES:
        if upper.startswith(prefix):
            return reason
    return None


def env_file_override_name(package_name: str) -> str:
    """The environment variable that points the loader at another env file."""
    return f"{package_name.upper()}_ENV_FILE"


@dataclass(frozen=True)
class EnvVar:
    """One declared variable. ``default`` None means required."""

    name: str
    type: str = "str"
    default: str | None = None
    description: str = ""

    @property
    def attr(self) -> str:
        return self.name.lower()

    @property
    def required(self) -> bool:
        return self.default is None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "attr": self.attr, "required": self.required}


class EnvVarsError(ValueError):
    """The env_vars answer is invalid; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _split_one_line(text: str) -> list[str]:
    """Split ``A=1, B:int="x,y"`` on commas outside double quotes."""
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
    entries.append("".join(current))
    return [entry.strip() for entry in entries if entry.strip()]


_ENTRY_RE = re.compile(
    r"(?P<name>[^:=]*?)\s*(?::\s*(?P<type>[^=]*?)\s*)?(?:=(?P<default>.*))?\Z",
    re.DOTALL,
)


def _unquote(value: str) -> str:
    """A one-line default may be double-quoted to hold commas: ``"a,b"``."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _entry_from_text(entry: str, problems: list[str]) -> EnvVar | None:
    match = _ENTRY_RE.match(entry)
    if match is None or not match["name"]:
        problems.append(
            f"cannot read the entry {entry!r}: write NAME, NAME=default, "
            "NAME:type or NAME:type=default"
        )
        return None
    default = match["default"]
    if default is not None:
        default = _unquote(default.strip())
    return EnvVar(match["name"].strip(), (match["type"] or "str").strip(), default)


def _default_text(value: Any) -> str | None:
    """YAML gives typed scalars; the loader and .env files deal in text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def _entry_from_mapping(entry: Mapping[Any, Any], problems: list[str]) -> EnvVar | None:
    unknown = sorted(str(key) for key in entry if key not in MAPPING_KEYS)
    if unknown:
        problems.append(
            f"entry {entry.get('name', '?')!s}: unknown key(s) {', '.join(unknown)}; "
            f"allowed keys are {', '.join(MAPPING_KEYS)}"
        )
        return None
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("an entry has no 'name'; every mapping needs name: SOME_NAME")
        return None
    description = entry.get("description") or ""
    return EnvVar(
        name.strip(),
        str(entry.get("type") or "str").strip(),
        _default_text(entry.get("default")),
        str(description).strip(),
    )


def _raw_entries(answer: Any, problems: list[str]) -> list[EnvVar]:
    if answer is None:
        return []
    if isinstance(answer, str):
        items: Iterable[Any] = _split_one_line(answer)
    elif isinstance(answer, list):
        items = answer
    elif isinstance(answer, Mapping):
        # Name only what precedes ':' or '=', never a (possibly secret) value.
        names = ", ".join(re.split(r"[:=]", str(key))[0].strip() for key in answer)
        problems.append(
            f"the answer about {names} was read as a YAML mapping because of a ': '; "
            "quote the default that holds ': ' or use the YAML list form"
        )
        return []
    else:
        problems.append(
            f"expected 'NAME[:type][=default], ...' or a YAML list, got {answer!r}"
        )
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


def suggest_env_name(name: str) -> str:
    """The conventional spelling of ``name``: upper case, ``_`` for ``-``/``.``/space."""
    return re.sub(r"[-. ]+", "_", name.strip()).upper()


def name_problem(name: str) -> str:
    """Why ``name`` is not a conventional, portable variable name ('' if it is)."""
    if ENV_NAME_RE.match(name):
        return ""
    if not name.isascii():
        return f"{name!r}: use ASCII letters, digits and '_' only"
    if name[:1].isdigit():
        return f"{name!r}: a name must not start with a digit; start it with a letter"
    suggestion = suggest_env_name(name)
    if ENV_NAME_RE.match(suggestion):
        return (f"{name!r}: names are upper case letters, digits and '_' "
                f"([A-Z_][A-Z0-9_]*); use {suggestion!r}")
    return f"{name!r}: names are upper case letters, digits and '_' ([A-Z_][A-Z0-9_]*)"


def attribute_problem(name: str) -> str:
    """Why the loader could not expose ``name`` as ``settings.<name.lower()>``."""
    attr = name.lower()
    if keyword.iskeyword(attr):
        return (f"{name!r}: the loader exposes it as settings.{attr}, which is a "
                "Python keyword; choose another name")
    if attr.startswith("_"):
        return (f"{name!r}: the loader would expose it as the private attribute "
                f"settings.{attr}; start the name with a letter")
    if attr in LOADER_ATTRIBUTES:
        return (f"{name!r}: settings.{attr} is one of the loader's own methods; "
                "choose another name")
    return ""


def cast_problem(var: EnvVar) -> str:
    """Why ``var.default`` does not cast to ``var.type`` ('' if it does)."""
    default = var.default
    if var.type == "secret":
        if default:
            # Never quote the value: it would be a secret in an error message.
            return (f"{var.name}: a secret cannot have a default, it would be written "
                    "to .copier-answers.yml and .env.example; declare it without "
                    "'=' (the bootstrap script puts a random value in .env)")
        return ""
    if not default:
        return ""
    if "${" in default:
        return (f"{var.name}: the default {default!r} contains '${{', which "
                "python-dotenv expands; set such values in .env instead")
    if any(ord(char) < 32 and char not in "\t\n" for char in default):
        return f"{var.name}: the default {default!r} contains control characters"
    if var.type == "int":
        try:
            int(default)
        except ValueError:
            return f"{var.name}: the default {default!r} is not an int"
    elif var.type == "float":
        try:
            float(default)
        except ValueError:
            return f"{var.name}: the default {default!r} is not a float"
    elif var.type == "bool" and default.strip().lower() not in BOOL_WORDS:
        return (f"{var.name}: the default {default!r} is not a bool; use one of "
                f"{', '.join(BOOL_WORDS)}")
    elif var.type == "url" and not URL_SCHEME_RE.match(default):
        return (f"{var.name}: the default {default!r} is not a URL: it needs a "
                "scheme, as in https://example.org or sqlite:///app.db")
    return ""


def _entry_problems(var: EnvVar, package_name: str) -> list[str]:
    problem = name_problem(var.name)
    if problem:
        return [problem]
    found = [attribute_problem(var.name)]
    reason = reserved_reason(var.name)
    if reason:
        found.append(f"{var.name!r} is reserved: {reason}; pick a project-specific "
                     f"name such as 'APP_{var.name.strip('_')}'")
    if package_name and var.name == env_file_override_name(package_name):
        found.append(f"{var.name!r} is the loader's own setting that points it at "
                     "another env file; choose another name")
    if var.type not in ENV_TYPES:
        # The default is not quoted: the type was probably meant to be 'secret'.
        found.append(f"{var.name}: unknown type {var.type!r}; known types are "
                     f"{', '.join(ENV_TYPES)}")
    else:
        found.append(cast_problem(var))
    return [problem for problem in found if problem]


def _checked_entries(answer: Any, package_name: str) -> tuple[list[EnvVar], list[str]]:
    """The entries of an env_vars answer and every problem, in answer order."""
    problems: list[str] = []
    entries = _raw_entries(answer, problems)
    seen: dict[str, str] = {}
    for var in entries:
        problems.extend(_entry_problems(var, package_name))
        # Windows environment names are case-insensitive: Foo and FOO collide.
        key = var.name.casefold()
        if key in seen:
            problems.append(f"{var.name!r} is declared twice (as {seen[key]!r} "
                            "too; names are compared ignoring case)")
        else:
            seen[key] = var.name
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
# Writing values to an env file
# --------------------------------------------------------------------------- #

_PLAIN_VALUE_RE = re.compile(r"[A-Za-z0-9_./:@%+,=~-]*\Z")
_DOUBLE_QUOTE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def dotenv_value(value: str | None) -> str:
    """``value`` written so that python-dotenv reads it back unchanged.

    Plain values stay bare (dotenv-linter's ValueWithoutQuotes); anything else
    is double-quoted with the escapes python-dotenv decodes.
    """
    if not value:
        return ""
    if _PLAIN_VALUE_RE.match(value):
        return value
    return '"' + "".join(_DOUBLE_QUOTE_ESCAPES.get(c, c) for c in value) + '"'


# --------------------------------------------------------------------------- #
# Project, package and Python version
# --------------------------------------------------------------------------- #

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13", "3.14")

# Modules that left the standard library after 3.11 or joined it after the
# Python running copier: a package must not shadow them on any supported Python.
_STDLIB_REMOVED_SINCE_311 = frozenset({
    "asynchat", "asyncore", "distutils", "imp", "smtpd",  # 3.12
    "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3",
    "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr",
    "spwd", "sunau", "telnetlib", "uu", "xdrlib",  # 3.13
})
# (Package names start with a letter, so private modules such as _sha2 need no entry.)
_STDLIB_ADDED_AFTER_311 = frozenset({"annotationlib", "compression"})
STDLIB_MODULES = frozenset(sys.stdlib_module_names) | _STDLIB_REMOVED_SINCE_311 \
    | _STDLIB_ADDED_AFTER_311

# Import names a generated project depends on, and names whose import Python or
# pytest treat specially.
DEPENDENCY_MODULES = frozenset({
    "dotenv", "pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments",
    "hatchling", "pip", "setuptools", "pkg_resources", "wheel", "uv", "copier",
    "jinja2", "markupsafe", "sitecustomize", "usercustomize", "conftest",
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
    bad = sorted({c for c in text if c in '"\\`' or ord(c) < 32})
    if bad:
        return (f"project name {text!r} contains {', '.join(map(repr, bad))}, which "
                "would break the generated pyproject.toml and docstrings; drop them")
    dist = distribution_name(text)
    if not dist or not DIST_NAME_RE.match(dist):
        return (f"{text!r} gives no valid distribution name: it needs at least one "
                "ASCII letter or digit, e.g. 'My App' gives 'my-app'")
    return ""


def check_package_name(value: Any) -> str:
    name = "" if value is None else str(value)
    if not PACKAGE_NAME_RE.match(name):
        suggestion = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
        hint = f"; use {suggestion!r}" if PACKAGE_NAME_RE.match(suggestion) else ""
        return (f"package name {name!r}: use lower-case ASCII letters, digits and "
                f"'_', starting with a letter ([a-z][a-z0-9_]*){hint}")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"package name {name!r} is a Python keyword; try '{name}_app'"
    if name in STDLIB_MODULES:
        return (f"package name {name!r} is a standard-library module; importing it "
                f"would pick one of the two at random; try '{name}_app'")
    if name in DEPENDENCY_MODULES:
        return (f"package name {name!r} is the import name of a tool the project "
                f"uses; try '{name}_app'")
    if name in PROJECT_FOLDERS:
        return (f"package name {name!r} is a folder of the generated project; "
                f"try '{name}_app'")
    return ""


def default_package_name(project_name: Any) -> str:
    """A valid package name derived from the project name (always passes)."""
    base = distribution_name(str(project_name or "")).replace("-", "_").replace(".", "_")
    if not base:
        base = "app"
    if base[0].isdigit():
        base = f"app_{base}"
    while check_package_name(base):
        base = f"{base}_app"
    return base


def default_project_name(folder_name: Any) -> str:
    """The destination folder's name, or a placeholder if it makes no valid name."""
    name = str(folder_name or "")
    return name if not check_project_name(name) else "my-project"


def check_python_version(value: Any) -> str:
    text = "" if value is None else str(value)
    old = re.fullmatch(r"3\.(\d+)", text)
    if old and int(old[1]) < 11 and text != "3.1":
        return (f"python_version {text!r} is not supported: Python {text} has reached its end "
                f"of life; use 3.11 or newer (one of {', '.join(SUPPORTED_PYTHONS)})")
    if text not in SUPPORTED_PYTHONS:
        hint = " (quote it: YAML reads 3.10 as 3.1)" if text == "3.1" else ""
        return (f"python_version {text!r}{hint}: give the minimum Python as 3.N, one "
                f"of {', '.join(SUPPORTED_PYTHONS)}")
    return ""


YES_NO_WORDS = ("true", "false", "yes", "no", "on", "off", "y", "n", "t", "f", "1", "0")


def check_yes_no(raw: Any, question: str) -> str:
    """Refuse a yes/no answer copier would silently read as true ("maybe").

    Copier casts any unknown word to True, so the raw answer (from --data or the
    user defaults) is checked before that cast hides it.
    """
    if raw is None or isinstance(raw, (bool, int)):
        return ""
    if str(raw).strip().lower() in YES_NO_WORDS:
        return ""
    return (f"{question} must be true or false (yes/no, on/off, 1/0), "
            f"not {str(raw)!r}")


# --------------------------------------------------------------------------- #
# Paths: venv_dir and env_file
# --------------------------------------------------------------------------- #

_PATH_SEGMENT_RE = re.compile(r"[A-Za-z0-9._-]+\Z")
# What the generated project itself uses at its root.
PROJECT_PATHS = frozenset({
    "src", "tests", "scripts", ".git", ".github", ".vscode", ".copier-answers.yml",
    ".gitignore", ".env.example", "pyproject.toml", "README.md", "uv.lock",
    ".envrc", ".pre-commit-config.yaml", "CHANGELOG.md",
})


def _relative_path_problem(what: str, value: str) -> str:
    if not value:
        return f"{what} is empty; give a path relative to the project root"
    if any(char.isspace() for char in value):
        return (f"{what} {value!r} contains whitespace, which breaks the shebang "
                "lines of venv scripts on Linux; use '-' or '_'")
    if value.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", value):
        return (f"{what} {value!r} is absolute; give a path inside the project, "
                "relative to its root")
    if "\\" in value:
        return f"{what} {value!r}: write paths with '/' so they work on every OS"
    segments = value.rstrip("/").split("/")
    if ".." in segments:
        return f"{what} {value!r} leaves the project ('..'); keep it inside"
    if any(s in ("", ".") for s in segments):
        return f"{what} {value!r}: drop the empty or '.' parts of the path"
    bad = [s for s in segments if not _PATH_SEGMENT_RE.match(s)]
    if bad:
        return (f"{what} {value!r}: use only letters, digits, '.', '_' and '-' "
                f"in names (not {bad[0]!r})")
    return ""


def _normal(path: str) -> str:
    return path.rstrip("/")


def check_venv_dir(value: Any) -> str:
    text = "" if value is None else str(value)
    problem = _relative_path_problem("venv_dir", text)
    if problem:
        return problem
    path = _normal(text)
    first = path.split("/")[0]
    if first == ".env" or first.startswith(".env."):
        return (f"venv_dir {text!r} is an env file name: tools read .env as "
                "environment variables, not as a venv; use '.venv'")
    if first in PROJECT_PATHS:
        return (f"venv_dir {text!r} is inside {first!r}, which the project uses "
                "for something else; use '.venv'")
    return ""


def check_env_file(value: Any, venv_dir: Any = "") -> str:
    text = "" if value is None else str(value)
    problem = _relative_path_problem("env_file", text)
    if problem:
        return problem
    path, venv = _normal(text), _normal(str(venv_dir or ""))
    if text.endswith("/"):
        return f"env_file {text!r} names a folder; name a file such as '.env'"
    if venv and (path == venv or path.startswith(venv + "/")):
        return (f"env_file {text!r} is the venv folder {venv!r} or inside it; "
                "keep configuration out of the venv, e.g. '.env'")
    if path.endswith(".example"):
        return (f"env_file {text!r} is the committed example, not the private "
                "file; use '.env'")
    first = path.split("/")[0]
    if first in PROJECT_PATHS:
        return (f"env_file {text!r} is inside {first!r}, which the "
                "project uses for something else; use '.env'")
    return ""


# --------------------------------------------------------------------------- #
# Jinja extension
# --------------------------------------------------------------------------- #


def _env_vars_for_template(answer: Any, package_name: str = "") -> list[dict[str, Any]]:
    return [var.as_dict() for var in parse_env_vars(answer, package_name)]


def py_literal_wrapped(text: str, indent: int = 4, width: int = 100) -> str:
    """``repr(text)``, or a parenthesised run of literals whose lines fit ``width``.

    Python joins adjacent literals, so the chunks may split anywhere, even a long URL.
    """
    if indent + len(repr(text)) <= width - 2:
        return repr(text)
    chunks = textwrap.wrap(
        text, width - indent - 8, expand_tabs=False, replace_whitespace=False,
        drop_whitespace=False, break_on_hyphens=False,
    )
    pad = " " * (indent + 4)
    return "(\n" + "".join(f"{pad}{chunk!r}\n" for chunk in chunks) + " " * indent + ")"


def _reserved_names_data() -> dict[str, Any]:
    # The lookup function is rendered from its own source, not retyped.
    return {
        "exact": dict(RESERVED_EXACT),
        "prefixes": tuple(RESERVED_PREFIXES),
        "reason_source": inspect.getsource(reserved_reason).rstrip(),
    }


class VenvDotenvExtension(Extension):
    """Registers the rules as filters and globals for copier.yml and templates."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters.update({
            "env_vars_error": check_env_vars,
            "package_name_error": check_package_name,
            "project_name_error": check_project_name,
            "python_version_error": check_python_version,
            "venv_dir_error": check_venv_dir,
            "env_file_error": check_env_file,
            "yes_no_error": check_yes_no,
            "parse_env_vars": _env_vars_for_template,
            "distribution_name": distribution_name,
            "default_package_name": default_package_name,
            "default_project_name": default_project_name,
            "env_file_override_name": env_file_override_name,
            "dotenv_value": dotenv_value,
            "py_literal": repr,
            "py_literal_wrapped": py_literal_wrapped,
        })
        environment.globals.update({
            "reserved_names": _reserved_names_data,
            "supported_pythons": SUPPORTED_PYTHONS,
            "env_types": ENV_TYPES,
        })
