"""Every rule about environment variables, in one place (template-owned: do not edit).

Used twice: by the settings engine at run time, and by the copier-venv-dotenv template
at copy time (its Jinja extension loads this very file), so that both always agree on
type names and casting, bool words, the URL rule, masking, reserved names, the names a
variable may not take, duplicates, defaults, the project's default locations, the
order of the env layers, values read from files (``NAME_FILE``, a secrets folder),
quoting values for env files and the settings reference table.

Standard library only, and cheap to import: the loader imports it on every start, so
nothing here compiles a regular expression or builds a class at import time (each
costs more than a whole load from the environment); the few patterns that copy time
needs are compiled on first use.
"""

import keyword
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

# --------------------------------------------------------------------------- locations

#: The table of pyproject.toml that the bootstrap script and the loader read.
TOOL_TABLE = "copier-venv-dotenv"
#: Its keys and their defaults (``settings`` defaults to ``<package>.settings``).
DEFAULT_LOCATIONS: Mapping[str, str] = {"venv-dir": ".venv", "env-file": ".env"}
#: Its optional key naming a folder of secret files (default: none), e.g.
#: ``secrets-dir = "/run/secrets"``; ``<PACKAGE>_SECRETS_DIR`` in the environment wins.
SECRETS_DIR_KEY = "secrets-dir"
#: Where Docker and Kubernetes mount secrets: the documented example of a secrets
#: folder.
DOCUMENTED_SECRETS_DIR = "/run/secrets"
#: The committed, documented template of the env file, at the project root.
EXAMPLE_FILE = ".env.example"
#: The python-dotenv versions the engine is tested with (lowest and newest both run
#: the parity tests); the generated pyproject.toml depends on exactly this range.
DOTENV_REQUIREMENT = "python-dotenv>=1.0.0,<1.3"
#: Env files are a few settings: a larger one is a mistake (or /dev/zero).
MAX_ENV_FILE_BYTES = 1 << 20
#: A secret file (``NAME_FILE``, the secrets folder) holds one value.
MAX_VALUE_FILE_BYTES = 1 << 16
#: ``${VAR}`` references may repeat text; the values of one load stay below this.
MAX_INTERPOLATED_CHARS = 4 << 20
#: Copier's answers file; layered on another template's project, this template has its
#: own (``-a .copier-answers.venv-dotenv.yml``), which every update must name: the
#: table's ``answers-file`` records it then.
ANSWERS_FILE = ".copier-answers.yml"
ANSWERS_FILE_KEY = "answers-file"
#: Answers this template always records: together they tell its answers file from
#: another template's.
OWN_ANSWERS = ("env_vars:", "venv_dir:", "env_file:")


def holds_our_answers(text: str) -> bool:
    """Whether an answers file's ``text`` holds this template's answers."""
    lines = text.splitlines()
    return all(any(line.startswith(key) for line in lines) for key in OWN_ANSWERS)


def update_command(answers_file: object = ANSWERS_FILE, *answers: str) -> str:
    """The ``copier update`` of this template's part of a project: with ``-a`` when its
    answers file is not copier's own, and ``-d`` for each of ``answers``
    (NAME=VALUE)."""
    command = "copier update --trust --defaults"
    name = str(answers_file)
    if name != ANSWERS_FILE:
        if name.startswith("-"):
            name = f"./{name}"  # a path, not an option
        if not all(char.isalnum() or char in "._-/" for char in name):
            name = "'" + name.replace("'", "'\\''") + "'"  # as a POSIX shell reads it
        command += f" -a {name}"
    return command + "".join(f" -d {answer}" for answer in answers)


def _plain_entry(line: str) -> tuple[str, str] | None:
    """``(key, value)`` of a ``key = "value"  # comment`` line, None for anything
    else."""
    key, equals, rest = line.partition("=")
    key, rest = key.strip(), rest.strip()
    if not equals or not is_name(key.replace("-", "_")) or not rest.startswith('"'):
        return None
    end = rest.find('"', 1)
    value, after = rest[1:end], rest[end + 1 :].strip()
    if (
        end < 0
        or "\\" in value
        or not value.isprintable()
        or after[:1] not in ("", "#")
    ):
        return None
    return key, value


def tool_table(pyproject_text: str) -> dict[str, Any]:
    """The ``[tool.copier-venv-dotenv]`` table of a pyproject.toml, ``{}`` if absent.

    The template writes it as plain ``key = "value"`` lines, read here directly:
    importing tomllib would cost more than a whole load from the environment.
    Anything else (other quoting, arrays, dotted keys...) is read with tomllib, whose
    ``TOMLDecodeError`` (a ``ValueError``) reports a file that is not valid TOML.
    """
    lines = pyproject_text.split("\n")
    mentions = [
        number
        for number, line in enumerate(lines)
        if TOOL_TABLE in line and not line.lstrip().startswith("#")
    ]
    if not mentions:
        return {}
    if len(mentions) == 1 and lines[mentions[0]].strip() == f"[tool.{TOOL_TABLE}]":
        table: dict[str, Any] = {}
        for line in lines[mentions[0] + 1 :]:
            stripped = line.strip()
            if stripped.startswith("["):
                return table
            if not stripped or stripped.startswith("#"):
                continue
            entry = _plain_entry(stripped)
            if entry is None or entry[0] in table:
                break  # not a plain line: tomllib reads (or refuses) the file
            table[entry[0]] = entry[1]
        else:
            return table
    import tomllib

    found = tomllib.loads(pyproject_text).get("tool", {}).get(TOOL_TABLE, {})
    # Parsed TOML, typed Any: a table's keys are str.
    return cast("dict[str, Any]", found) if isinstance(found, dict) else {}


def locations(
    table: Mapping[str, Any], package: str
) -> tuple[dict[str, str], list[str]]:
    """The table's locations with the defaults filled in, and what is wrong with it.

    ``secrets-dir`` is optional: "" when the table does not name a folder;
    ``answers-file``, this template's answers file, is copier's own unless named.
    """
    found = {**DEFAULT_LOCATIONS, "settings": f"{package}.settings"}
    problems: list[str] = []
    for key, default in found.items():
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problems.append(
                f"[tool.{TOOL_TABLE}] {key} in pyproject.toml must be a non-empty "
                f"string, such as {default!r}"
            )
        elif not value.isprintable():  # a line break or a NUL cannot be in a path
            problems.append(
                f"[tool.{TOOL_TABLE}] {key} in pyproject.toml holds a control "
                f"character; use a plain path, such as {default!r}"
            )
        elif key in DEFAULT_LOCATIONS and not inside_project(value):
            # The bootstrap refuses it too: the project's files stay in the project.
            problems.append(
                f"[tool.{TOOL_TABLE}] {key} = {value!r} in pyproject.toml "
                f"leaves the project; use a path inside it, such as {default!r}"
            )
        else:
            found[key] = value
    problem = env_file_problem(found["env-file"])
    if problem:
        problems.append(
            f"[tool.{TOOL_TABLE}] env-file = {found['env-file']!r} in pyproject.toml "
            f"{problem}"
        )
        found["env-file"] = DEFAULT_LOCATIONS["env-file"]
    secrets_dir = table.get(SECRETS_DIR_KEY, "")
    if isinstance(secrets_dir, str):
        found[SECRETS_DIR_KEY] = secrets_dir.strip()
    else:
        found[SECRETS_DIR_KEY] = ""
        problems.append(
            f"[tool.{TOOL_TABLE}] {SECRETS_DIR_KEY} in pyproject.toml must be a "
            f"string, such as {DOCUMENTED_SECRETS_DIR!r}"
        )
    answers_file = table.get(ANSWERS_FILE_KEY)
    found[ANSWERS_FILE_KEY] = (
        answers_file.strip()
        if isinstance(answers_file, str)
        and answers_file.strip()
        and answers_file.isprintable()
        else ANSWERS_FILE
    )
    return found, problems


def inside_project(path: str) -> bool:
    """Whether the relative ``path`` stays in the project: not absolute, no drive, no
    '~', no '..' (the bootstrap also follows links to check)."""
    parts = path.replace("\\", "/").split("/")
    return not (path.startswith(("/", "\\", "~")) or ":" in parts[0] or ".." in parts)


def override_name(package: str) -> str:
    """The environment variable that points the loader at another env file."""
    return f"{package.upper()}_ENV_FILE"


def mode_name(package: str) -> str:
    """The environment variable that chooses the mode (``test``...) of the env
    layers."""
    return f"{package.upper()}_ENV"


def secrets_dir_name(package: str) -> str:
    """The environment variable naming the secrets folder (over pyproject.toml's)."""
    return f"{package.upper()}_SECRETS_DIR"


def loader_setting_problem(name: str, package: str) -> str:
    """Why ``name`` cannot be a variable of ``package`` ('' if it can): it is one of the
    loader's own settings, which it reads from the environment alone."""
    if not name.upper().startswith(f"{package.upper()}_"):
        return ""  # every one of them starts with the package's name
    own = {
        override_name(package): "points it at another env file",
        mode_name(package): "chooses the mode of the env layers (.env.<mode>)",
        secrets_dir_name(package): "names the secrets folder",
    }
    for setting, what in own.items():
        if name.casefold() == setting.casefold():
            return (
                f"{name!r} is the loader's own setting that {what}; choose another name"
            )
    return ""


# ------------------------------------------------------------------------- env layers

#: The suffix of the private layers, which git always ignores.
LOCAL = "local"
#: Words a mode cannot be: their layer files are something else.
NOT_MODES = frozenset({LOCAL, "example"})
MAX_MODE_LENGTH = 40


def env_layers(env_file: str, mode: str | None) -> list[str]:
    """The env files of a project, lowest priority first (a later one wins).

    ``env_file`` (``.env``), ``<env_file>.<mode>``, ``<env_file>.local``,
    ``<env_file>.<mode>.local``; without a mode, the two without one. The real
    environment wins over all of them.
    """
    if not mode:
        return [env_file, f"{env_file}.{LOCAL}"]
    return [
        env_file,
        f"{env_file}.{mode}",
        f"{env_file}.{LOCAL}",
        f"{env_file}.{mode}.{LOCAL}",
    ]


def env_file_problem(env_file: str) -> str:
    """Why ``env_file`` cannot name the env layers' base file ('' if it can): the
    layers' own suffixes would read the example, or make ``.env.local.local``."""
    if env_file.endswith(".example"):
        return "is the committed example, not the private file; use '.env'"
    if env_file.endswith(f".{LOCAL}"):
        return (
            f"ends in .{LOCAL}, the suffix of the private layer that sits next to the "
            f"env file (.env.{LOCAL} next to .env); name the base file, such as '.env'"
        )
    return ""


def private_layer(env_file: str) -> str:
    """The layer that holds a checkout's own values and secrets:
    ``<env_file>.local``."""
    return f"{env_file}.{LOCAL}"


def mode_problem(mode: str, variable: str) -> str:
    """Why ``mode`` (the value of ``variable``) cannot name env layers
    ('' if it can)."""
    shown = repr(mode[:MAX_MODE_LENGTH])
    if len(mode) > MAX_MODE_LENGTH:
        return (
            f"{variable}={shown}... is longer than {MAX_MODE_LENGTH} characters: "
            "a mode is a short word such as test or production"
        )
    if mode.lower() in NOT_MODES:
        return (
            f"{variable}={shown} cannot be a mode: .env.{mode.lower()} is another "
            "file; use a word such as test or production"
        )
    plain = mode.replace("_", "a").replace("-", "a")
    if not (mode.isascii() and plain.isalnum() and mode[0].isalnum()):
        return (
            f"{variable}={shown} is not a mode: use letters, digits, '_' and '-', "
            "starting with a letter or digit, such as test or production"
        )
    return ""


# --------------------------------------------------------------------- value files


def file_variable(name: str) -> str:
    """The environment variable naming a file that holds ``name``'s value."""
    return f"{name}_FILE"


def value_file_text(data: bytes) -> str:
    """A secret file's value: its UTF-8 text without a byte order mark and its final
    newline (one LF or CRLF, as editors and ``echo`` add). UnicodeDecodeError if it is
    not UTF-8."""
    text = data.decode("utf-8").removeprefix("\ufeff")  # a BOM some editors write
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def file_variable_clashes(
    declared: Iterable[tuple[str, bool]], package: str = ""
) -> list[str]:
    """Why the ``NAME_FILE`` of a variable read from files cannot be used ('' each).

    ``declared``: (name, read from files) of every variable. ``NAME_FILE`` must be
    neither another variable nor one of the loader's own environment variables.
    """
    pairs = list(declared)
    names = {name.casefold(): name for name, _from_file in pairs}
    own: set[str] = {override_name(package).casefold()} if package else set()
    problems: list[str] = []
    for name, from_file in pairs:
        if not from_file:
            continue
        pointer = file_variable(name)
        if pointer.casefold() in names:
            problems.append(
                f"{name}: {pointer} names the file holding {name}'s value, and "
                f"{names[pointer.casefold()]} is declared too; rename one of them"
            )
        elif pointer.casefold() in own:
            problems.append(
                f"{name}: {pointer} is the loader's own setting that points it at "
                "another env file; choose another name"
            )
    return problems


# ------------------------------------------------------------------------------ types

#: Variable types, each with what its values are.
TYPES: Mapping[str, str] = {
    "str": "text",
    "int": "an integer",
    "float": "a number",
    "bool": "true/false, 1/0, yes/no or on/off",
    "url": "a URL with a scheme, such as https://host/ or sqlite:///app.db",
    "path": "a file or folder; a relative one is taken from the project root",
    "list": "comma-separated items",
    "secret": "text that is never shown",
}
ENV_TYPES = tuple(TYPES)
#: Types whose optional variable (``NAME=`` in an answer) is None when set nowhere;
#: an optional str is "" and an optional list [].
NONE_WHEN_EMPTY = frozenset({"int", "float", "bool", "url", "path", "secret"})
#: Types whose values are text (a list's items too): the ones that can hide a credential
#: they hold, in repr, and the ones a credential can be written into.
TEXT_TYPES = ("str", "url", "list")
#: How settings.py annotates a variable of each type (each may add ``| None``).
ANNOTATIONS: Mapping[str, str] = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "url": "Url",
    "path": "Path",
    "list": "list[str]",
    "secret": "Secret",
}
TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
BOOL_WORDS = TRUE_WORDS + FALSE_WORDS
MASK = "**********"


def url_problem(text: str) -> str:
    """Why ``text`` is not a URL ('' if it is); the message never repeats the text."""
    scheme, colon, rest = text.partition(":")
    if not colon or not _is_scheme(scheme) or not rest:  # sqlite:// is a URL
        return f"expected {TYPES['url']}"
    if len(scheme) == 1:
        return "expected a URL, not a Windows path (a one-letter scheme is a drive)"
    inner, colon, after = rest.partition(":")
    if colon and after.startswith("//") and _is_scheme(inner):
        scheme, rest = inner, after  # jdbc:postgresql://host/db
    if "@" in rest and not rest.startswith("//") and scheme.lower() != "mailto":
        return (
            "expected a URL, not user:password@host: write scheme://user:password@host"
        )
    host = _authority(rest).rpartition("@")[2]  # a password may hold anything
    if any(char.isspace() for char in host):
        return "expected a URL without blanks in its host"
    if host.count("[") != host.count("]"):
        return "expected a URL whose [IPv6 address] is closed with ']'"
    if not host and rest.startswith("//") and scheme.lower() in HOST_SCHEMES:
        return f"expected a URL with a host after {scheme}://"
    port = _port(host)
    if port.isdigit() and (not port.isascii() or len(port) > 5 or int(port) > MAX_PORT):
        return f"expected a URL whose port is a number from 0 to {MAX_PORT}"
    return ""


def _is_scheme(word: str) -> bool:
    """RFC 3986: a letter, then letters, digits, '+', '-' or '.'."""
    return is_name(word.replace("+", "_").replace("-", "_").replace(".", "_")) and (
        word[0].isalpha()
    )


#: The largest TCP or UDP port.
MAX_PORT = 65535


#: Schemes whose URLs always name a host (``sqlite://`` and ``file:///`` need none).
HOST_SCHEMES = ("http", "https", "ws", "wss", "ftp", "ftps")


def _authority(rest: str) -> str:
    """The ``user:password@host:port`` of ``//user:password@host:port/path`` ('' for
    none): it ends at the first '/', '?' or '#' (RFC 3986)."""
    if not rest.startswith("//"):
        return ""
    authority = rest[2:]
    for end in "/?#":
        authority = authority.partition(end)[0]
    return authority


def _port(host: str) -> str:
    """The port of ``host:port`` (what follows the authority's last '@') as written (''
    for none); a list of hosts (``host1:5432,host2:5432``) has no single port."""
    if "," in host:
        return ""
    if host.startswith("["):  # [::1]:5432
        return host.partition("]")[2].removeprefix(":")
    return host.rpartition(":")[2] if ":" in host else ""


def parse_value(kind: str, text: str) -> Any:
    """Env-file text to the value of a ``kind`` variable.

    ``path`` stays text here (the engine takes it from the project root) and
    ``secret`` stays a str (the engine wraps it). Raises ValueError with a reason that
    never contains the text, which may be a secret.
    """
    if kind in ("str", "path", "secret"):
        return text
    if kind in ("int", "float"):
        # Python also reads 8_000, other scripts' digits and nan: no other tool does.
        try:
            if not text.isascii() or "_" in text or "nan" in text.lower():
                raise ValueError
            number = int(text) if kind == "int" else float(text)
        except ValueError:
            raise ValueError(f"expected {TYPES[kind]}") from None
        if (
            kind == "float"
            and abs(number) == float("inf")
            and "inf" not in text.lower()
        ):
            raise ValueError(f"expected {TYPES[kind]} that a float can hold")  # 1e999
        return number
    if kind == "bool":
        word = text.strip().lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(f"expected a boolean: {TYPES['bool']}")
    if kind == "url":
        problem = url_problem(text)
        if problem:
            raise ValueError(problem)
        return text
    if kind == "list":
        stripped = text.strip()
        if stripped[:1] + stripped[-1:] == "[]" and ('"' in text or "'" in text):
            # ["a","b"] as pydantic-settings reads it: here it would be the items
            # '["a"' and '"b"]'. ([::1] stays a one-item list.)
            raise ValueError("expected items separated by ',' (a,b), not a JSON list")
        return [item.strip() for item in text.split(",") if item.strip()]
    raise ValueError(f"unknown type {kind!r}; use one of {', '.join(ENV_TYPES)}")


def same_default(kind: str, default: str | None, written: str) -> bool:
    """Whether ``written`` (a value in .env.example) is the ``kind`` variable's
    ``default`` (its env-file text; None: required, so the line is left empty)."""
    expected = default or ""
    if written == expected:
        return True
    if not written or not expected:
        # An optional list's empty default reads the same from '' and from ','.
        return (
            kind == "list"
            and default is not None
            and not parse_value("list", written or expected)
        )
    try:
        ours = parse_value(kind, expected)
        theirs = parse_value(kind, written)
    except ValueError:
        return False
    if kind == "path":  # a/b and ./a/b/ are one path
        from pathlib import PurePath

        return PurePath(ours) == PurePath(theirs)
    return bool(ours == theirs)


def list_item_problem(item: str) -> str:
    """Why ``item`` cannot be an item of a list default ('' if it can): env-file text
    splits a list at ',' and strips each item, so it would read back as another list."""
    if not item.strip():
        return "an empty item"
    if "," in item:
        return f"the item {item!r}, which holds ','"
    if item != item.strip():
        return f"the item {item!r}, with spaces around it"
    return ""


def value_text(value: Any) -> str:
    """A value back to env-file text that ``parse_value`` reads as the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        items = cast("list[object]", value)  # value is typed Any
        return ",".join(str(item) for item in items)
    getter = getattr(value, "get_secret_value", None)
    if callable(getter):
        return str(getter())
    if hasattr(value, "as_posix"):
        return str(value.as_posix())
    return str(value)


def password_span(text: str) -> tuple[int, int] | None:
    """Where the password of ``scheme://user:password@host...`` is, None if none.

    It runs from the first ':' of the user info to the LAST '@', so that passwords
    holding '/', '#', '?' or '@' are covered too (a URL whose path holds ':' and '@'
    is masked more than needed, never less). User info without ':' of
    ``TOKEN_USERINFO`` characters or more is a token (``https://<token>@github.com``).
    """
    start = text.find("//")
    if start < 0 and text[:7].lower() == "mailto:":
        return None  # mailto:user@host names a mailbox, not a password
    url = start >= 0
    start = start + 2 if url else 0
    at = text.rfind("@", start)
    if at < 0:
        return None
    colon = text.find(":", start, at)
    if colon < 0:
        userinfo = text[start:at]
        encoded = userinfo.lower().find("%3a")  # user%3Apassword: a colon, encoded
        if url and encoded >= 0 and "/" not in userinfo:
            return start + encoded + 3, at
        if url and len(userinfo) >= TOKEN_USERINFO and "/" not in userinfo:
            return start, at
        return None
    if colon + 1 == at:
        return None
    return colon + 1, at


#: A user name this long, with no password, is taken for a token.
TOKEN_USERINFO = 20

# A parameter (``name=value`` between '?', '&', ';', '#' or blanks, so also the first
# one of a connection string, ``Password=...;Server=...``, or of libpq's ``host=h
# password=...``, and ``PWD = ...``) holds a credential when its name, percent-decoded,
# in lower case without '-' and '_', contains one of the first words (``access_token``,
# ``clientSecret``, ``X-Amz-Signature``) or ends with one of the second (``apiKey``,
# ``pwd``), or when its value, percent-decoded, holds such a parameter
# (``odbc_connect=...%3BPWD%3D...``). More masked than needed, never less.
CREDENTIAL_WORDS = (
    "apikey",
    "authorization",
    "credential",
    "passphrase",
    "passwd",
    "password",
    "secret",
    "signature",
    "token",
)
CREDENTIAL_ENDINGS = ("auth", "jwt", "key", "pass", "pw", "pwd", "sig")
#: Outside a URL's parameters (the first one of a connection string, libpq's ``host=h
#: password=...``, a variable's name) only a name ending with one of these says it
#: holds a credential: ``DB_PASSWORD``, ``access_token``, not ``sort_key`` or
#: ``max_tokens``, which are ordinary words there.
CREDENTIAL_NAME_ENDINGS = (
    "apikey",
    "credential",
    "credentials",
    "encryptionkey",
    "passphrase",
    "passwd",
    "password",
    "privatekey",
    "pwd",
    "secret",
    "secretkey",
    "secretkeybase",
    "signingkey",
    "token",
)
#: A name whose last word is one of these holds a credential too: ``SMTP_PASS``,
#: ``DB_PW``, not ``BYPASS`` or ``COMPASS``.
CREDENTIAL_LAST_WORDS = ("pass", "pw")
# Separators of parameters, and of the parameters inside a decoded value, mapped to '?'
# for str.split (no regular expression to compile in a load from the environment).
_PARAMETER_SEPARATORS = str.maketrans(dict.fromkeys("&;# \t\n\r\f\v", "?"))
_VALUE_SEPARATORS = str.maketrans(dict.fromkeys("&;#, \t\n\r\f\v", "?"))


def is_credential_name(name: str, *, in_query: bool = True) -> bool:
    """Whether a name says it holds a credential: a URL parameter's (``in_query``)
    when it holds a word of ``CREDENTIAL_WORDS`` or ends with one of
    ``CREDENTIAL_ENDINGS``, any other when it ends with one of
    ``CREDENTIAL_NAME_ENDINGS`` or its last word is one of ``CREDENTIAL_LAST_WORDS``."""
    if "%" in name:
        from urllib.parse import unquote  # here: only an encoded name needs it

        name = unquote(name)
    last_word = name.lower().replace("-", "_").rpartition("_")[2]
    name = name.lower().replace("-", "").replace("_", "")
    if not in_query:
        return (
            name.endswith(CREDENTIAL_NAME_ENDINGS) or last_word in CREDENTIAL_LAST_WORDS
        )
    return name.endswith(CREDENTIAL_ENDINGS) or any(w in name for w in CREDENTIAL_WORDS)


#: How tokens of well-known services begin (AWS, GitHub, GitLab, Slack, Stripe, OpenAI
#: and Anthropic, PyPI, npm, Hugging Face, Google, SendGrid); a token is longer than
#: ``TOKEN_MINIMUM`` characters, so that ``sk-SK`` stays a language code.
TOKEN_PREFIXES = (
    "AKIA",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxa-",
    "xoxb-",
    "xoxp-",
    "xoxs-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "sk-",
    "pypi-",
    "npm_",
    "hf_",
    "AIza",
    "SG.",
)
TOKEN_MINIMUM = 16
#: How an authorization header begins: one followed by a single long word is one.
HEADER_PREFIXES = ("Basic ", "Bearer ")


def credential_value(text: str) -> bool:
    """Whether ``text`` is a known service's token (random, so with digits: not a
    placeholder such as ``sk-your-key-here``), or an authorization header with its
    credential."""
    if text.startswith(TOKEN_PREFIXES) and len(text) > TOKEN_MINIMUM:
        return any(char.isdigit() for char in text)
    rest = text.partition(" ")[2]
    return text.startswith(HEADER_PREFIXES) and len(rest) >= 12 and " " not in rest


def token_shaped(text: str) -> bool:
    """20 or more characters, letters and digits among them, no blank: not a path, not
    a URL, not a sentence."""
    return (
        len(text) >= 20
        and not any(char.isspace() for char in text)
        and not text.startswith(("/", "."))
        and "://" not in text
        and any(char.isdigit() for char in text)
        and any(char.isalpha() for char in text)
    )


def looks_like_a_credential(name: str, text: str) -> bool:
    """Whether the value ``text`` of ``name`` gives itself away as a credential: a known
    token or header, or a token-shaped value of a name that says it holds one."""
    return credential_value(text) or (is_credential_name(name) and token_shaped(text))


KNOWN_TOKEN = "it begins as a token or an authorization header does"


def credential_default_reason(name: str, kind: str, text: str) -> str:
    """Why the default ``text`` of the ``kind`` variable ``name`` looks like a
    credential, as a clause ('' if it does not). A default is committed (settings.py,
    the answers, .env.example), so a credential there is a leak.

    Any default that begins as a known token or an authorization header does
    (``KNOWN_TOKEN``); so does the default of a name ending with a word of
    ``CREDENTIAL_NAME_ENDINGS`` (``DB_PASSWORD``), unless it is a path or a URL without
    credentials; and a default shaped like a token (``token_shaped()``) of a name
    ``is_credential_name()`` takes for a credential's (``GITHUB_TOKEN``).
    """
    if kind not in TEXT_TYPES or not text:
        return ""
    items = [item.strip() for item in text.split(",")] if kind == "list" else [text]
    if any(credential_value(item) for item in items):
        return KNOWN_TOKEN
    if is_credential_name(name, in_query=False):
        if text.startswith(("/", "./", "../", "~")) or (
            "://" in text and not secret_spans(text)
        ):
            return ""
        return "its name says it holds a credential"
    if is_credential_name(name) and any(token_shaped(item) for item in items):
        return (
            "its name says it holds a credential and the default is shaped like a token"
        )
    return ""


def _is_reference(value: str) -> bool:
    """``${NAME}``: a reference to another variable (in .env.example), not a value."""
    return value.startswith("${") and value.endswith("}") and "}" not in value[2:-1]


def _holds_credential(value: str) -> bool:
    from urllib.parse import unquote  # here: only a value with parameters needs it

    parts = unquote(value).translate(_VALUE_SEPARATORS).split("?")
    return any(is_credential_name(p.partition("=")[0]) for p in parts if "=" in p)


def secret_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds credentials, as ``(start, end)`` spans (empty: none): the
    password of ``scheme://user:password@host`` (``password_span()``), and the value of
    each parameter that holds one (``?password=...``, ``&api_key=...``,
    ``;Password=...``, ``#access_token=...``, ``Password=...;Server=...``,
    ``host=h password=...``), up to the next parameter."""
    if "@" not in text and "=" not in text:
        return []  # no user info, no parameter: most values, checked at every load
    spans: list[tuple[int, int]] = []
    userinfo = password_span(text)
    if userinfo is not None and not _is_reference(text[userinfo[0] : userinfo[1]]):
        spans.append(userinfo)
    # The parts between separators, with where each starts; empty ones dropped.
    parts: list[tuple[int, str]] = []
    start = 0
    for part in text.translate(_PARAMETER_SEPARATORS).split("?"):
        if part:
            parts.append((start, part))
        start += len(part) + 1
    # After a credential, a part without '=' is more of its value: password=ab;cd.
    masking, taken = False, -1
    for index, (start, part) in enumerate(parts):
        name, equals, value = part.partition("=")
        if not equals:
            if masking and index != taken:  # with the separator before it: spans join
                spans.append((start - 1, start + len(part)))
            continue
        begin, end = start + len(name) + 1, start + len(part)
        named_at = start
        if not name and index:  # `PWD =value`, `PWD = value`
            named_at, name = parts[index - 1]
        if not value and index + 1 < len(parts) and "=" not in parts[index + 1][1]:
            taken = index + 1  # `PWD= value`, `PWD = value`: the value is the next part
            begin, value = parts[taken]
            end = begin + len(value)
        # A URL's parameter, or one after ';' in a connection string.
        in_query = named_at > 0 and text[named_at - 1] in "?&;#"
        masking = (
            bool(value)
            and not _is_reference(value)
            and (
                is_credential_name(name, in_query=in_query) or _holds_credential(value)
            )
        )
        if masking:
            spans.append((begin, end))
    return spans


def shown_text(text: str) -> str:
    """``text``, a value that is not a secret, as reports and messages show it: a known
    service's token or an authorization header (``credential_value()``) masked whole,
    URL credentials masked (``mask_url()``)."""
    return MASK if credential_value(text) else mask_url(text)


def mask_url(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """``text`` with every credential ``secret_spans()`` finds (or ``spans``, found
    already) replaced by the mask (touching or overlapping spans by one)."""
    parts: list[str] = []
    done = 0
    for start, end in sorted(secret_spans(text) if spans is None else spans):
        if start <= done and parts:
            done = max(done, end)  # continues the span masked last
            continue
        parts += [text[done:start], MASK]
        done = end
    return "".join(parts) + text[done:]


def printable(text: str) -> str:
    """``text`` safe for a terminal: control and invisible characters as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


# ------------------------------------------------------------------------------ names

MAX_NAME_LENGTH = 60

#: The public names of the engine's ``BaseSettings``: a variable would hide them.
ENGINE_ATTRIBUTES = frozenset(
    {"as_dict", "export_to_environ", "load", "sources", "variables"}
)
#: Built-in types the declarations use as annotations: a class attribute of that name
#: would hide the type from every later annotation (and from typing.get_type_hints).
TYPE_ATTRIBUTES = frozenset({"str", "int", "float", "bool", "list"})


def is_name(text: str) -> bool:
    """ASCII letters, digits and '_', not starting with a digit: portable everywhere."""
    return text.isascii() and text.replace("_", "a").isalnum() and not text[0].isdigit()


def is_conventional_name(text: str) -> bool:
    """A portable name in upper case, as environment variables are by convention."""
    return is_name(text) and text == text.upper()


def suggest_env_name(name: str) -> str:
    """The conventional spelling of ``name``: upper case, '_' for '-', '.' and
    spaces."""
    return re.sub(r"[-. ]+", "_", name.strip()).upper()


def name_problem(name: str) -> str:
    """Why ``name`` is not a conventional, portable variable name ('' if it is)."""
    # Whatever the annotation says, a name given in code may be of any type.
    if not isinstance(name, str) or not name:  # pyright: ignore[reportUnnecessaryIsInstance]
        return "a variable needs a name"
    if len(name) > MAX_NAME_LENGTH:
        return (
            f"{name[:20]!r}...: a name has at most {MAX_NAME_LENGTH} characters "
            f"(this one has {len(name)})"
        )
    if is_conventional_name(name):
        return ""
    if not name.isascii() or not name.isprintable():
        return f"{name!r}: use ASCII letters, digits and '_' only"
    if name[0].isdigit():
        return f"{name!r}: a name must not start with a digit; start it with a letter"
    suggestion = suggest_env_name(name)
    rule = "names are upper case letters, digits and '_' ([A-Z_][A-Z0-9_]*)"
    if is_conventional_name(suggestion):
        return f"{name!r}: {rule}; use {suggestion!r}"
    return f"{name!r}: {rule}"


def attribute_problem(name: str, attr: str | None = None) -> str:
    """Why the variable ``name`` cannot be the attribute ``attr`` ('' if it can).

    ``attr`` defaults to ``name.lower()``, the attribute the loader gives a name.
    """
    attr = name.lower() if attr is None else attr
    if keyword.iskeyword(attr):
        return (
            f"{name!r}: the loader exposes it as settings.{attr}, which is a Python "
            "keyword; choose another name"
        )
    if attr.startswith("_"):
        return (
            f"{name!r}: the loader would expose it as the private attribute "
            f"settings.{attr}; start the name with a letter"
        )
    if attr in ENGINE_ATTRIBUTES:
        return (
            f"{name!r}: settings.{attr} is one of the loader's own methods "
            f"({', '.join(sorted(ENGINE_ATTRIBUTES))}); choose another name"
        )
    if attr in TYPE_ATTRIBUTES:
        return (
            f"{name!r}: an attribute settings.{attr} would hide the type {attr} from "
            "the other declarations; choose another name"
        )
    return ""


def duplicates(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (first, again) of names that are equal ignoring case.

    Windows compares environment names ignoring case: Foo and FOO are one variable.
    """
    seen: dict[str, str] = {}
    found: list[tuple[str, str]] = []
    for name in names:
        key = name.casefold()
        if key in seen:
            found.append((seen[key], name))
        else:
            seen[key] = name
    return found


#: What ast.parse raises for source that is no Python (ValueError: a NUL on 3.11).
_PARSE_ERRORS = (SyntaxError, ValueError)


def declared_twice(
    source: str, class_name: str | None = None
) -> list[tuple[str, list[int]]]:
    """Attributes that a class body of ``source`` declares more than once.

    Python keeps the last declaration silently; ``copier update`` writes the answer's
    variables above the marker comment of settings.py, so one declared below it by hand
    can end up there twice. Compared ignoring case, as the environment names they stand
    for are. Returns ``[(attribute as first written, [line numbers])]`` for the class
    ``class_name`` (every class when None); ``[]`` for source that does not parse.
    """
    import ast

    try:
        tree = ast.parse(source)
    except _PARSE_ERRORS:
        return []
    found: list[tuple[str, list[int]]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or class_name not in (None, node.name):
            continue
        seen: dict[str, tuple[str, list[int]]] = {}
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(
                statement.target, ast.Name
            ):
                attr = statement.target.id
                seen.setdefault(attr.casefold(), (attr, []))[1].append(statement.lineno)
        found += [entry for entry in seen.values() if len(entry[1]) > 1]
    return found


# ---------------------------------------------------------------------- reserved names

# Names that change the interpreter, the package tools or the process when an env file
# sets them: editors, direnv and `dotenv run` export the file before Python starts, and
# every child process inherits what the loader exports.
_CHILDREN = "and every child process (pip, uv, git, subprocess) inherits it"
_PROXY = f"it routes network traffic through a proxy, {_CHILDREN}"
_CAS = "it replaces the certificate authorities that "
_INJECTS = "it injects options or code into every "
_INTERPRETER = (
    "it configures the Python interpreter itself (import path, encoding, start-up "
    "code); a .env that sets it breaks the venv's isolation"
)
_PIP = (
    "it configures pip; an index URL here can pull packages from the wrong server "
    "(dependency confusion)"
)
_LOADER = "the dynamic loader reads it: it can inject code into every program it starts"
_GIT = (
    "git reads it: it can rewrite git's configuration or run commands (GIT_SSH_COMMAND)"
)
RESERVED_PREFIXES: tuple[tuple[str, str], ...] = (
    ("PYTHON", _INTERPRETER),
    ("PIP_", _PIP),
    ("UV_", "it configures uv: which Python, which venv, which index"),
    ("PIPENV_", "it configures pipenv, which reads .env files on its own"),
    ("POETRY_", "it configures Poetry: which venv and which repositories"),
    ("PYENV_", "it chooses the Python that pyenv's shims run"),
    ("CONDA_", "it tells conda and other tools which environment is active"),
    ("LD_", _LOADER),
    ("DYLD_", "the macOS " + _LOADER),
    ("GIT_", _GIT),
    ("NPM_CONFIG_", "it configures npm: registries and scripts"),
    ("BASH_FUNC_", "bash imports it as a shell function into every script"),
)
RESERVED_EXACT: Mapping[str, str] = {
    "VIRTUAL_ENV": (
        "it names the active virtual environment; pip, uv and editors would act on "
        "the wrong venv"
    ),
    "__PYVENV_LAUNCHER__": "the macOS launcher uses it to choose the interpreter",
    "PATH": f"it decides which python, pip and git run, {_CHILDREN}",
    "HOME": f"it moves every tool's configuration and caches, {_CHILDREN}",
    "SHELL": f"it chooses the shell that tools start, {_CHILDREN}",
    "BASH_ENV": "bash runs the file it names before every script",
    "ENV": "sh runs the file it names when it starts",
    "IFS": "it changes how shells split words in every script",
    "PROMPT_COMMAND": "bash runs it before every prompt",
    "BROWSER": "tools run the program it names to open links",
    "EDITOR": "git and other tools run the program it names",
    "VISUAL": "git and other tools run the program it names",
    "PAGER": "git and other tools run the program it names",
    "TMPDIR": f"it moves every temporary file, {_CHILDREN}",
    "TEMP": f"it moves every temporary file on Windows, {_CHILDREN}",
    "TMP": f"it moves every temporary file on Windows, {_CHILDREN}",
    "NODE_OPTIONS": _INJECTS + "Node.js process",
    "NODE_PATH": "it changes where Node.js finds modules",
    "NODE_EXTRA_CA_CERTS": _CAS + "Node.js trusts",
    "JAVA_TOOL_OPTIONS": _INJECTS + "Java process",
    "JDK_JAVA_OPTIONS": _INJECTS + "Java process",
    "_JAVA_OPTIONS": _INJECTS + "Java process",
    "PERL5OPT": _INJECTS + "Perl process",
    "PERL5LIB": "it changes where Perl finds modules",
    "PERLLIB": "it changes where Perl finds modules",
    "RUBYOPT": _INJECTS + "Ruby process",
    "RUBYLIB": "it changes where Ruby finds libraries",
    "GCONV_PATH": "the C library loads character-set modules from the folder it names",
    "LOCPATH": "the C library loads locale data from the folder it names",
    "NLSPATH": "the C library loads message catalogs from where it says",
    "HOSTALIASES": "it changes how host names resolve",
    "LOCALDOMAIN": "it changes how host names resolve",
    "RES_OPTIONS": "it changes how host names resolve",
    "SSLKEYLOGFILE": "TLS libraries write every session key to the file it names",
    "OPENSSL_CONF": "OpenSSL reads the file it names, which can load code into every "
    "TLS client, Python's ssl module included",
    "OPENSSL_ENGINES": "OpenSSL loads code from the folder it names",
    "OPENSSL_MODULES": "OpenSSL loads code from the folder it names",
    "GLIBC_TUNABLES": "it tunes the C library of every program it starts",
    "XDG_CONFIG_HOME": (
        f"it moves the configuration of git and other tools, {_CHILDREN}"
    ),
    "ZDOTDIR": "zsh runs the start-up files of the folder it names",
    "SHELLOPTS": "bash turns on the options it lists in every script",
    "BASHOPTS": "bash turns on the options it lists in every script",
    "PS4": "bash runs the commands it holds on every traced line",
    "LESSOPEN": "less, git's pager, runs the command it names on every file it shows",
    "LESSCLOSE": "less, git's pager, runs the command it names on every file it shows",
    "SSH_ASKPASS": "ssh runs the program it names to ask for a password",
    "SUDO_ASKPASS": "sudo runs the program it names to ask for a password",
    "HTTP_PROXY": _PROXY,
    "HTTPS_PROXY": _PROXY,
    "FTP_PROXY": _PROXY,
    "ALL_PROXY": _PROXY,
    "NO_PROXY": f"it changes which hosts bypass the proxy, {_CHILDREN}",
    "SSL_CERT_FILE": _CAS + "Python, pip and OpenSSL trust",
    "SSL_CERT_DIR": _CAS + "Python, pip and OpenSSL trust",
    "REQUESTS_CA_BUNDLE": _CAS + "requests and pip trust",
    "CURL_CA_BUNDLE": _CAS + "curl trusts",
}


def reserved_reason(name: str, allowed: Iterable[str] = ()) -> str | None:
    """Why ``name`` must not be set from an env file, or None if it may be.

    Compared ignoring case (``Path`` is ``PATH`` on Windows; ``http_proxy`` is read
    like ``HTTP_PROXY``). ``allowed``: names the project sets there on purpose.
    """
    upper = name.upper()
    if any(upper == other.upper() for other in allowed):
        return None
    if upper in RESERVED_EXACT:
        return RESERVED_EXACT[upper]
    for prefix, reason in RESERVED_PREFIXES:
        if upper.startswith(prefix):
            return reason
    return None


def reserved_case_pattern() -> str:
    """The reserved names as one POSIX shell ``case`` pattern, matching any letter case.

    For shell code that must skip them, e.g. a direnv .envrc::

        case "$name" in <pattern>) continue ;; esac
    """

    def any_case(text: str) -> str:
        return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in text)

    exact = [any_case(name) for name in RESERVED_EXACT]
    prefixes = [any_case(prefix) + "*" for prefix, _reason in RESERVED_PREFIXES]
    return "|".join(prefixes + exact)


# ----------------------------------------------------------------------------- values


#: Options for the git commands that only read a work tree (status, ls-files,
#: check-ignore): a repository's core.fsmonitor command is not run by them.
GIT_READ_ONLY = ("-c", "core.fsmonitor=false")

#: Where copy time writes a default, and where settings.py's is written.
ANSWERS_AND_EXAMPLE = ".copier-answers.yml and .env.example"
SETTINGS_AND_EXAMPLE = "settings.py and .env.example"


def text_problem(what: str, text: str, allowed: str = "") -> str:
    """Why ``text`` cannot be written into a generated file ('' if it can).

    Control and invisible characters (NUL, ESC, DEL, bidi controls, zero-width or
    no-break spaces, line separators...) are refused, except those in ``allowed``.
    """
    if text.isprintable():
        return ""
    bad = sorted(
        {char for char in text if not char.isprintable() and char not in allowed}
    )
    if not bad:
        return ""
    shown = ", ".join(f"U+{ord(char):04X}" for char in bad)
    return (
        f"{what} contains control or invisible characters ({shown}), which cannot "
        "be written safely into the project's files; remove them"
    )


def default_problem(
    name: str, kind: str, text: str, committed: str = ANSWERS_AND_EXAMPLE
) -> str:
    """Why ``text`` cannot be the default of the ``kind`` variable ``name``
    ('' if it can).

    ``committed``: the committed files a default is written to (the answer's, or
    settings.py's). Never repeats a secret; shows a URL with its password masked.
    """
    if kind == "secret":
        if text:
            return (
                f"{name}: a secret cannot have a default, it would be written to "
                f"{committed}; declare it without '=' (the bootstrap script puts a "
                "random value in the env file)"
            )
        return ""
    if not text:
        return ""
    spans = secret_spans(text)
    shown = mask_url(text, spans)
    problem = text_problem(f"{name}: the default {shown!r}", text, "\t\n")
    if problem:
        return problem
    if "${" in text:
        return (
            f"{name}: the default {shown!r} contains '${{', which python-dotenv "
            "expands; set such values in the env file instead"
        )
    try:
        parse_value(kind, text)
    except ValueError as error:
        return f"{name}: the default {shown!r} is not a valid {kind}: {error}"
    if spans:
        return (
            f"{name}: the default {shown!r} holds a password, which would be written "
            f"to {committed}; set it in the env file instead"
        )
    return ""


# -------------------------------------------------------------------------- env files


class EnvVar:
    """One declared variable as the template and the docs describe it.

    ``default`` is env-file text: None means required, "" optional and empty.
    """

    __slots__ = ("default", "description", "name", "type")

    def __init__(
        self,
        name: str,
        type: str = "str",
        default: str | None = None,
        description: str = "",
    ) -> None:
        self.name = name
        self.type = type
        self.default = default
        self.description = description

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EnvVar):
            return NotImplemented
        mine = (self.name, self.type, self.default, self.description)
        return mine == (other.name, other.type, other.default, other.description)

    def __hash__(self) -> int:
        return hash((self.name, self.type, self.default, self.description))

    def __repr__(self) -> str:
        return (
            f"EnvVar({self.name!r}, {self.type!r}, {self.default!r}, "
            f"{self.description!r})"
        )

    @property
    def attr(self) -> str:
        return self.name.lower()

    @property
    def required(self) -> bool:
        return self.default is None


_PLAIN_VALUE = r"[A-Za-z0-9_./:@%+,=~-]*"  # dotenv-linter's ValueWithoutQuotes
_DOUBLE_QUOTE_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


def env_value(value: str | None) -> str:
    """``value`` as written in an env file so that python-dotenv reads it back as is.

    Plain values stay bare (dotenv-linter's ValueWithoutQuotes); anything else is
    double-quoted with the escapes python-dotenv decodes. A value holding '${' cannot
    be written (python-dotenv expands it): ValueError.
    """
    if not value:
        return ""
    if "${" in value:
        raise ValueError(
            "a value holding '${' cannot be written: python-dotenv expands it"
        )
    if re.fullmatch(_PLAIN_VALUE, value):
        return value
    return '"' + "".join(_DOUBLE_QUOTE_ESCAPES.get(c, c) for c in value) + '"'


def env_example_entries(variables: Iterable[EnvVar]) -> str:
    """The entries of .env.example for ``variables``: one commented block each.

    Each block is the description (as comments), a ``# type: ...`` line and
    ``NAME=default``; blocks are separated by a blank line. Secrets stay empty.
    """
    blocks: list[str] = []
    for var in variables:
        lines = [f"# {line}".rstrip() for line in var.description.splitlines()]
        if var.required:
            state = "required"
        elif var.default == "":
            state = "optional, empty by default"
        else:
            state = f"default: {env_value(var.default)}"
        lines.append(f"# type: {var.type}; {state}")
        lines.append(f"{var.name}={env_value(var.default)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


#: The template's part of a shared file with ``#`` comments (``.env.example`` among
#: them) sits between ``# >>> copier-venv-dotenv: <what it is> >>>`` and
#: ``# <<< copier-venv-dotenv <<<``; these patterns (compiled where used) match the
#: two lines, the first one's group ``indent`` being the block's indentation.
BLOCK_NAME = TOOL_TABLE
BLOCK_BEGIN_PATTERN = rf"^(?P<indent>[ \t]*)# >>> {BLOCK_NAME}\b.*>>>[ \t]*$"
BLOCK_END_PATTERN = rf"^[ \t]*# <<< {BLOCK_NAME} <<<[ \t]*$"
#: The comment under the template's block in the ``.env.example`` it starts.
EXAMPLE_OWN_LINES = (
    "# Your own variables go below this line (declare them in settings.py too): "
    "copier\n"
    "# update rewrites only the block above."
)


def private_example(text: str) -> str:
    """``.env.example``'s text for a private env file made from it: without the marker
    lines of the template's block and the comment under it, which speak of ``copier
    update`` (no update ever touches a private file). A blank line that a removed
    line leaves next to another one goes too; every other line stays as it is."""
    begin, end = re.compile(BLOCK_BEGIN_PATTERN), re.compile(BLOCK_END_PATTERN)
    own = EXAMPLE_OWN_LINES.split("\n")
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    gap = False  # a line was removed since the last line kept that is not blank
    index = 0
    while index < len(lines):
        bare = [line.rstrip("\r\n") for line in lines[index : index + len(own)]]
        if bare == own:
            index, gap = index + len(own), True
            continue
        line = lines[index]
        index += 1
        if begin.match(line.rstrip("\r\n")) or end.match(line.rstrip("\r\n")):
            gap = True
        elif line.strip():
            kept.append(line)
            gap = False
        elif not (gap and (not kept or not kept[-1].strip())):
            kept.append(line)
    while gap and kept and not kept[-1].strip():
        kept.pop()
    return "".join(kept)


def _markdown_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    # A table cell is one line: line breaks and tabs shown as their escapes.
    return f"{fence}{pad}{printable(text).replace('|', chr(92) + '|')}{pad}{fence}"


def _markdown_text(text: str) -> str:
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(old, new)
    return "<br>".join(line.strip() for line in text.splitlines())


#: The lines around the settings reference in the project's README.
REFERENCE_BEGIN = "<!-- settings-reference:begin -->"
REFERENCE_END = "<!-- settings-reference:end -->"


def reference_span(lines: list[str]) -> tuple[int, int] | None:
    """The indexes of the README lines holding the reference's begin and end markers;
    None when there are none. ValueError when only one is there, or twice."""
    begins = [i for i, line in enumerate(lines) if line.strip() == REFERENCE_BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == REFERENCE_END]
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValueError(
            f"the README needs exactly one {REFERENCE_BEGIN} line followed by one "
            f"{REFERENCE_END} line"
        )
    return begins[0], ends[0]


def with_reference(text: str, table: str) -> str | None:
    """``text`` (a README) with ``table`` between the reference markers; None when it
    has no markers. Its line ends (LF or CRLF) are kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    span = reference_span(lines)
    if span is None:
        return None
    begin, end = span
    lines[begin + 1 : end] = table.rstrip("\n").split("\n")
    return newline.join(lines)


def canonical_text(kind: str, text: str) -> str:
    """A default as the engine writes it back from its typed value (``2.50`` is
    ``2.5``, ``yes`` is ``true``, ``./data`` is ``data``): copy time and run time
    document the same text. Text that does not parse is returned as it is."""
    if not text or kind in ("str", "url", "secret"):
        return text
    try:
        value = parse_value(kind, text)
    except ValueError:
        return text
    if kind == "path":
        from pathlib import PurePath

        return PurePath(value).as_posix()
    return value_text(value)


def settings_reference(variables: Iterable[EnvVar]) -> str:
    """The Markdown table documenting ``variables``: name, type, default, whether it is
    required, description. Secrets show as the type ``secret``, never with a value.

    The generated README holds it between ``<!-- settings-reference:begin -->`` and
    ``<!-- settings-reference:end -->``; ``python -m <package>.settings docs`` prints
    it.
    """
    rows = [
        "| variable | type | default | required | description |",
        "|---|---|---|---|---|",
    ]
    for var in variables:
        if var.required:
            default = ""
        elif var.default == "" or var.type == "secret":
            default = "empty"
        else:
            default = _markdown_code(canonical_text(var.type, var.default or ""))
        required = "yes" if var.required else "no"
        description = _markdown_text(var.description)
        rows.append(
            f"| `{var.name}` | {var.type} | {default} | {required} | {description} |"
        )
    if len(rows) == 2:
        rows.append("| (none declared) | | | | |")
    return "\n".join(rows) + "\n"
