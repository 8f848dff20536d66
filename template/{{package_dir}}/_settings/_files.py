"""Files as read: env files (their text, python-dotenv's parse of it, ``${VAR}``
references), the files that hold secrets' values, and what a missing value's message
says about them.

Template-owned: ``copier update`` replaces this file. A load imports it only when there
is something to read (something at an env layer's path, an env file asked for, a
``NAME_FILE`` or a secrets folder) or a problem to explain, like python-dotenv itself:
a successful load from the environment alone never pays for it. The command line
imports it always.
"""

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import _rules
from ._engine import (
    NO_FILES,
    Entry,
    EnvFile,
    Given,
    Origin,
    Problem,
    Project,
    Variable,
    absent,
    private_layer,
)


def read_regular(path: Path, limit: int) -> tuple[bytes | None, str]:
    """The bytes of a regular file of at most ``limit`` bytes, and why not if not:
    ``missing``, ``directory``, ``special`` (a FIFO, a device, a socket), ``too-large``,
    or ``unreadable: <reason>``; ``""`` when it was read.

    Opened without blocking and checked before reading: a FIFO or a device
    (/dev/zero) would block or never end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None, "missing"
    except OSError as error:
        if os.path.isdir(path):  # Windows cannot open a directory
            return None, "directory"
        return None, f"unreadable: {error.strerror}"
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            return None, "directory"
        if not stat.S_ISREG(mode):
            return None, "special"
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        return None, f"unreadable: {error.strerror}"
    finally:
        os.close(fd)
    if size > limit:
        return None, "too-large"
    return b"".join(chunks), ""


def key_label(key: str) -> str:
    """A key to name in a message, which then says where it is; a key that is no
    variable name, or looks like a value (a token pasted on its own line:
    ``openssl rand -base64`` ends in '=', so the line reads as ``<token>=``), is not
    repeated."""
    return key if looks_like_a_name(key) else "the name"


def looks_like_a_name(key: str) -> bool:
    """A variable name, not random text: two of mixed letter case, digits and 16 or
    more characters without '_' (base64, hex) make a value."""
    if not _rules.is_name(key) or len(key) > _rules.MAX_NAME_LENGTH:
        return False
    digits = any(char.isdigit() for char in key)
    mixed = key != key.upper() and key != key.lower()
    long_word = len(key) >= 16 and "_" not in key
    return digits + mixed + long_word < 2


def _directory_hint(path: Path, project: Project | None) -> str:
    bootstrap = "python3 scripts/bootstrap.py"
    if not (path / "pyvenv.cfg").is_file():
        return (
            f"{path} is a directory, not an env file: move it out of the way, then "
            f"rerun {bootstrap}, which creates the env file"
        )
    # An old habit named the venv ".env"; it collides with the env file.
    venv_dir = (
        project.venv_dir
        if project is not None
        else _rules.DEFAULT_LOCATIONS["venv-dir"]
    )
    return (
        f"{path} is a directory, not an env file; it looks like a virtual environment. "
        f"A venv cannot be moved, so delete it (rm -rf '{path}', on Windows "
        f'rmdir /s /q "{path}") and rerun {bootstrap}, which creates the venv in '
        f"{venv_dir} and the env file"
    )


def read_text(
    path: Path, required: bool, problems: list[Problem], project: Project | None = None
) -> str | None:
    """The text of an env file as python-dotenv reads it, or None (absent, or a
    problem).

    Only a regular file is read, and at most 1 MiB. Line ends are normalised as in
    Python's text mode.
    """
    data, why = read_regular(path, _rules.MAX_ENV_FILE_BYTES)
    if data is None:
        if why == "missing" and os.path.islink(path):
            message = (
                f"env file {path} is a symbolic link to {os.readlink(path)}, which "
                "does not exist: restore the file it points to, or remove the link"
            )
            problems.append(Problem("unreadable", message, origin=str(path)))
        elif why == "missing":
            if required:
                message = f"env file {path} does not exist"
                if project is not None and path == project.example_path:
                    update = _rules.update_command(
                        project.answers_file, "restore_blocks=true"
                    )
                    message = (
                        f"{path} does not exist: it documents every variable, and "
                        "init makes the private env file from it; restore it from git, "
                        f"or with {update}"
                    )
                problems.append(Problem("no-file", message, origin=str(path)))
        elif why == "directory":
            problems.append(Problem("not-a-file", _directory_hint(path, project)))
        elif why == "special":
            message = (
                f"{path} is not a regular file (a FIFO, a device or a socket): an env "
                "file must be a plain file"
            )
            problems.append(Problem("not-a-file", message, origin=str(path)))
        elif why == "too-large":
            limit = _rules.MAX_ENV_FILE_BYTES >> 20
            message = (
                f"{path} is larger than {limit} MiB: an env file holds a few settings"
            )
            problems.append(Problem("too-large", message, origin=str(path)))
        else:
            message = f"cannot read env file {path}: {why.partition(': ')[2]}"
            problems.append(Problem("unreadable", message, origin=str(path)))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        message = (
            f"env file {path} is not UTF-8 text (line {line} holds a byte that UTF-8 "
            "does not allow); save it as UTF-8"
        )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # PowerShell 5's `>` writes it
            message = f"env file {path} is UTF-16 text; save it as UTF-8"
        problems.append(Problem("unreadable", message, origin=str(path)))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _dotenv_parser() -> Any:
    """python-dotenv's parser module, imported only when an env file is read."""
    try:
        from dotenv import parser
    except ImportError as error:
        raise ImportError(
            f"the settings need {_rules.DOTENV_REQUIREMENT} to read an env file: "
            f"{error}"
        ) from None
    return parser


# python-dotenv's grammar up to a value's opening quote, and its quoted values (which
# may span lines): a failing binding whose quote is closed nowhere after it.
_QUOTE_START = (
    r"\s*(?:export[^\S\r\n]+)?(?:'[^']+'|[^=#\s]+)[^\S\r\n]*=[^\S\r\n]*(['\"])"
)
_QUOTED = {"'": r"'(?:\\.|[^'\\])*'", '"': r'"(?:\\.|[^"\\])*"'}


def _unclosed_quote(text: str, start: int) -> str | None:
    """The quote that the binding at ``start`` opens and never closes, if any."""
    import re

    opening = re.compile(_QUOTE_START).match(text, start)
    if opening is None:
        return None
    quote = opening.group(1)
    if re.compile(_QUOTED[quote], re.DOTALL).match(text, opening.start(1)):
        return None  # closed: the line fails for another reason (text after the quote)
    return quote


#: Spaces in a row that python-dotenv's parser can take (it strips an inline comment
#: with a regular expression whose time grows with the square of the run).
MAX_BLANK_RUN = 1000


def parse_text(text: str, path: Path, problems: list[Problem]) -> list[Entry]:
    """The entries of env-file text, parsed by python-dotenv; what it would forgive is
    recorded in ``problems`` (lines are named, never shown: they may hold a secret)."""
    import io
    import re

    # Each run matched once, whole (a search for a long run would retry inside each).
    runs = re.finditer(r"[^\S\n]+", text)
    run = next((run for run in runs if run.end() - run.start() > MAX_BLANK_RUN), None)
    if run is not None:
        line = text.count("\n", 0, run.start()) + 1
        where = f"{path}:{line}"
        message = (
            f"{where}: more than {MAX_BLANK_RUN} spaces or tabs in a row, which "
            "python-dotenv takes minutes to parse; remove them"
        )
        problems.append(Problem("parse", message, origin=where))
        return []
    parser = _dotenv_parser()
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    offset = 0  # where each binding starts: bindings cover the text end to end
    for binding in parser.parse_stream(io.StringIO(text)):
        original = binding.original.string
        start, offset = offset, offset + len(original)
        # python-dotenv counts a binding from the blank lines before it, and skips any
        # Unicode whitespace there (a no-break space, U+2028...): skip them alike.
        blank = original[: len(original) - len(original.lstrip())]
        line = binding.original.line + blank.count("\n")
        where = f"{path}:{line}"
        if binding.error:
            quote = _unclosed_quote(text, start)
            if quote is not None:
                why = (
                    f"the quote opened here ({quote}) is never closed; close it on "
                    "this line or, for a multi-line value, on a later line"
                )
            elif "\n" in original.strip():  # only a quoted value spans lines
                last = line + original.strip().count("\n")
                why = (
                    f"the quote opened here closes only on line {last}, where text "
                    f"follows it: python-dotenv would skip lines {line} to {last}, "
                    "every entry between them included; close the quote on this line"
                )
            else:
                why = (
                    "cannot parse this line (python-dotenv would skip it); write it as "
                    "NAME=value, quoting values that contain spaces or '#'"
                )
            problems.append(Problem("parse", f"{where}: {why}", origin=where))
            continue
        if binding.key is None:
            continue  # blank lines and comments
        entry = Entry(binding.key, binding.value, line)
        written = original.partition("=")[2].strip()
        entry.commented = (
            binding.value is not None
            and not written.startswith(("'", '"'))
            and "#" in written
            and written != binding.value
        )
        entries.append(entry)
        if entry.raw is None:
            problems.append(
                Problem(
                    "no-equals",
                    f"{where}: this line has a name but no '=' (python-dotenv reads "
                    "it as not set); write NAME=value, NAME= for an empty value, or "
                    "remove it",
                    origin=where,
                )
            )
        elif "\0" in entry.raw:
            problems.append(
                Problem(
                    "nul",
                    f"{key_label(entry.key)} at {where} holds a NUL character, which "
                    "no environment variable can hold: remove it",
                    variable=entry.key,
                    origin=where,
                )
            )
        if entry.key in first_line and entry.raw is not None:
            problems.append(
                Problem(
                    "duplicate",
                    f"{key_label(entry.key)} is set twice in {path}, lines "
                    f"{first_line[entry.key]} and {line} (python-dotenv would silently "
                    f"use line {line}): keep one",
                    variable=entry.key,
                    origin=where,
                )
            )
        first_line.setdefault(entry.key, line)
    return entries


def read_env_file(
    path: Path, required: bool, problems: list[Problem], project: Project | None = None
) -> EnvFile:
    """An env file read and parsed (not interpolated); absent or unreadable: no
    entries."""
    before = len(problems)
    text = read_text(path, required, problems, project)
    if text is None:
        # Absent unless a problem other than "does not exist" was recorded.
        return EnvFile(path, None, all(p.code == "no-file" for p in problems[before:]))
    return EnvFile(path, parse_text(text, path, problems))


def name_problems(
    files: Sequence[EnvFile], variables: Sequence[Variable], problems: list[Problem]
) -> set[str]:
    """Lines meant for a declared variable that do not set it, each a problem: its name
    in double quotes (``"PORT"=9000``: python-dotenv keeps the quotes), with invisible
    characters (a zero-width space, a byte order mark mid-file) or in other letter case
    (``port=9000``: names are case-sensitive); and a quoted value that runs over lines
    setting declared variables (a quote left open). Returns the keys of such lines."""
    declared = {v.name for v in variables}
    folded = {name.casefold(): name for name in declared}
    found: set[str] = set()
    for file in files:
        for entry in file.entries:
            key = entry.key
            if entry.raw and "\n" in entry.raw:
                _runaway_quote(entry, entry.raw, file.where(entry), declared, problems)
            if key in declared:
                continue
            visible = key
            if not key.isprintable():
                visible = "".join(char for char in key if char.isprintable())
            if len(key) > 2 and key[0] == key[-1] == '"' and key[1:-1] in declared:
                name, code, fix = key[1:-1], "quoted-name", "remove the quotes"
                why = (
                    "is in double quotes, which python-dotenv keeps as part of the name"
                )
            elif visible != key and visible in declared:
                name, code, fix = visible, "hidden-character", "type the name again"
                hidden = sorted(
                    {f"U+{ord(char):04X}" for char in key if not char.isprintable()}
                )
                why = f"holds invisible characters ({', '.join(hidden)})"
            elif key.casefold() in folded and looks_like_a_name(key):
                name, code = folded[key.casefold()], "letter-case"
                why = f"is written {key}: names in env files are case-sensitive"
                fix = f"write {name}"
            else:
                continue
            where = file.where(entry)
            message = (
                f"{where}: the name {name} {why}, so {name} is not set there: {fix}"
            )
            problems.append(Problem(code, message, variable=name, origin=where))
            found.add(key)
    return found


def _runaway_quote(
    entry: Entry, value: str, where: str, declared: set[str], problems: list[Problem]
) -> None:
    """A multi-line ``value`` whose later lines set declared variables: a quote left
    open, which python-dotenv closes only where the next quote is."""
    lines = value.split("\n")
    swallowed: list[str] = []
    for number, line in enumerate(lines[1:], entry.line + 1):
        name, equals, _ = line.strip().partition("=")
        words = name.split(None, 1)  # `export<tab>PORT` as python-dotenv reads it
        if len(words) == 2 and words[0] == "export":
            name = words[1]
        name = name.strip().strip("'\"")  # a quoted name: python-dotenv takes it too
        if equals and name in declared:
            swallowed.append(f"{name} (line {number})")
    if swallowed:
        last = entry.line + len(lines) - 1
        message = (
            f"{where}: the quote of {key_label(entry.key)}'s value closes only on line "
            f"{last}, so python-dotenv reads the lines up to there into it and does "
            f"not set {', '.join(swallowed)}: close the quote on line {entry.line}"
        )
        problems.append(Problem("parse", message, variable=entry.key, origin=where))


def interpolate(
    files: Sequence[EnvFile],
    environ: Mapping[str, str],
    problems: list[Problem],
    variables: Sequence[Variable] = (),
    given: Given = NO_FILES,
) -> None:
    """Resolve ``${VAR}`` and ``${VAR:-default}`` in every entry, in line order: the
    layers are read as one file, lower layers first.

    ``${VAR}`` is what the loader returns for VAR as far as the files have got: the
    environment first (non-empty), then VAR's ``NAME_FILE``, then the latest earlier
    line (of this file or a lower layer), then, when no line sets it, the secrets
    folder and VAR's declared default; else ``:-default`` or "". A name set only on a
    later line (or only in a higher layer) is a problem (python-dotenv would give "").
    Values built from a secret or a URL password are marked, to be masked wherever
    they are shown.
    """
    from dotenv.variables import Literal, parse_variables
    from dotenv.variables import Variable as Reference

    secrets = {v.name for v in variables if v.secret}
    declared = {v.name for v in variables}  # a required one unset is "missing" already
    defaults = {v.name: v.default_text or "" for v in variables if not v.required}
    entries = [(file, entry) for file in files for entry in file.entries]
    first: dict[str, int] = {}
    for index, (_file, entry) in enumerate(entries):
        first.setdefault(entry.key, index)
    resolved: dict[str, Entry] = {}
    budget = _rules.MAX_INTERPOLATED_CHARS
    known = [*first, *declared]  # the names a misspelt reference may have meant
    suggestions = MAX_SUGGESTIONS  # each one compares a name with all of them
    for index, (file, entry) in enumerate(entries):
        if entry.raw is None or "${" not in entry.raw:
            resolved[entry.key] = entry
            budget -= len(entry.raw or "")
            continue
        parts: list[str] = []
        tainted, size = False, 0
        for atom in parse_variables(entry.raw):
            if size > budget:
                break  # counted as it grows: the joined value is never built
            if isinstance(atom, Literal):
                parts.append(atom.value)
                size += len(atom.value)
                continue
            assert isinstance(atom, Reference)
            name, fallback = atom.name, atom.default
            if environ.get(name):
                text = environ[name]
                tainted |= name in secrets or bool(_rules.secret_spans(text))
            elif name in given.above:
                text = given.above[name][0]
                tainted = True  # a file's content is never shown, as a secret's is not
            elif name in resolved:
                earlier = resolved[name]
                text = earlier.value or ""
                tainted |= earlier.tainted or name in secrets
                tainted |= bool(_rules.secret_spans(text))
            elif first.get(name, -1) > index:
                where = file.where(entry)
                later = entries[first[name]][0]
                if later is file:
                    why = (
                        "which is set only on a later line (python-dotenv gives it the "
                        "empty value there): move that line up"
                    )
                else:
                    why = (
                        f"which only {later.path}, a higher layer read after this one, "
                        f"sets: set {name} in {file.path.name} or a lower layer, or "
                        f"move this line to {later.path.name}"
                    )
                shown = _reference(name, entry.key in secrets)
                problems.append(
                    Problem(
                        "forward-reference",
                        f"{key_label(entry.key)} at {where} uses {shown}, {why}",
                        variable=entry.key,
                        origin=where,
                    )
                )
                text = fallback or ""
            elif name in given.below:
                text = given.below[name][0]
                tainted = True
            elif name in defaults:
                text = defaults[name]
            else:
                if fallback is None and name not in environ and name not in declared:
                    where = file.where(entry)
                    secret = entry.key in secrets
                    near = known if suggestions > 0 and not secret else []
                    suggestions -= 1
                    problems.append(
                        _unset_reference(where, entry.key, name, near, secret)
                    )
                text = fallback or ""
            parts.append(text)
            size += len(text)
        budget -= size
        if budget < 0:
            where = file.where(entry)
            limit = _rules.MAX_INTERPOLATED_CHARS >> 20
            problems.append(
                Problem(
                    "too-large",
                    f"{where}: the ${{...}} references make the values larger than "
                    f"{limit} MiB in all; a value probably repeats itself",
                    origin=where,
                )
            )
            # What is still to expand is left empty; plain values stay as written, so
            # that they are not reported empty too.
            for _file, rest in entries[index:]:
                if rest.raw is not None and "${" in rest.raw:
                    rest.value = ""
            return
        entry.value = "".join(parts)
        entry.tainted = tainted
        resolved[entry.key] = entry


#: Unset ${NAME} references that get a "did you mean": the first ones of a load.
MAX_SUGGESTIONS = 20


def _reference(name: str, secret: bool) -> str:
    """``${name}`` as a message shows it: not in a secret's value, which holds it, nor
    when it does not look like a name."""
    if secret:
        return "a ${...} reference (not shown: it is part of a secret's value)"
    return f"${{{name}}}" if looks_like_a_name(name) else "a ${...} reference"


def _unset_reference(
    where: str, key: str, name: str, known: list[str], secret: bool = False
) -> Problem:
    """``${name}`` that nothing sets: python-dotenv gives it "" (a typo, as often as
    not: the name nearest to it among ``known``, the env files' and the declared
    ones, is suggested)."""
    import difflib

    named = looks_like_a_name(name) and not secret
    shown = _reference(name, secret)
    empty = f"${{{name}:-}}" if named else "${NAME:-}"
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.8) if named else []
    hint = (
        f" (did you mean ${{{near[0]}}}?)"
        if near and looks_like_a_name(near[0])
        else ""
    )
    message = (
        f"{key_label(key)} at {where} uses {shown}{hint}, which nothing sets (not the "
        "environment, no line above it, no declared variable): set it, or write "
        f"{empty} where an empty value is meant"
    )
    return Problem("unset-reference", message, variable=key, origin=where)


# ------------------------------------------------------------------------- value files


def _value_file_problem(why: str, name: str, path: Path, via: str) -> Problem:
    """A secret file that cannot be read: names the variable and the path, never the
    content."""
    if why == "missing":
        code, what = "no-file", "does not exist"
    elif why == "directory":
        code, what = "not-a-file", "is a directory, not a file"
    elif why == "special":
        code, what = (
            "not-a-file",
            "is not a regular file (a FIFO, a device or a socket)",
        )
    elif why == "too-large":
        limit = _rules.MAX_VALUE_FILE_BYTES >> 10
        code, what = "too-large", f"is larger than {limit} KiB: it holds one value"
    elif why == "utf-8":
        code, what = "unreadable", "is not UTF-8 text"
    else:
        code, what = "unreadable", f"cannot be read: {why.partition(': ')[2]}"
    message = f"{name}: {path} ({via}) {what}"
    return Problem(code, message, variable=name, origin=str(path))


def _read_value_file(
    name: str, path: Path, via: str, problems: list[Problem]
) -> tuple[str, Origin] | None:
    data, why = read_regular(path, _rules.MAX_VALUE_FILE_BYTES)
    if data is not None:
        try:
            text = _rules.value_file_text(data)
        except UnicodeDecodeError:
            why = "utf-8"
        else:
            return text, Origin("value-file", path, via=via)
    problems.append(_value_file_problem(why, name, path, via))
    return None


def _maybe_a_value(path_text: str) -> bool:
    """Text set as a ``NAME_FILE`` that may be a value rather than a path: no folder in
    it, and no '.' or 40 characters or more (a token, a JWT)."""
    if "/" in path_text or "\\" in path_text:
        return False
    return "." not in path_text or len(path_text) >= 40


def read_value_files(
    variables: Sequence[Variable],
    environ: Mapping[str, str],
    project: Project,
    problems: list[Problem],
    folder: Path | None,
) -> Given:
    """``_engine.value_files()`` when there is something to read: ``NAME_FILE`` set in
    the environment, or a secrets ``folder``. Every file that cannot be used is a
    problem naming the variable and the path; NAME and NAME_FILE both set is one."""
    given = Given()
    if folder is not None:
        given.folder = folder
        where = _rules.printable(str(folder))
        try:
            is_folder = stat.S_ISDIR(folder.stat().st_mode)
        except FileNotFoundError:
            folder = None  # not mounted here (a developer's machine): nothing from it
        except OSError as error:  # not searchable, a loop of links, a file on the way
            message = f"cannot look at the secrets folder {where}: {error.strerror}"
            problems.append(Problem("unreadable", message, origin=str(folder)))
            folder = None
        else:
            if not is_folder:
                message = f"the secrets folder {where} is not a folder"
                problems.append(Problem("not-a-file", message, origin=str(folder)))
                folder = None
    declared = {v.name for v in variables}
    for variable in variables:
        name = variable.name
        pointer = _rules.file_variable(name)
        path_text = environ.get(pointer)
        if path_text and pointer not in declared:
            if not variable.from_file:
                message = (
                    f"{pointer} is set, but {name} is not read from files: set {name} "
                    "itself, or declare it with env(from_file=True)"
                )
                problems.append(Problem("not-from-file", message, variable=name))
            elif environ.get(name):
                message = (
                    f"{name} and {pointer} are both set in the environment: unset one "
                    f"({pointer} names a file holding {name}'s value)"
                )
                problems.append(Problem("both-set", message, variable=name))
            elif _maybe_a_value(path_text) and not os.path.lexists(
                project.path(path_text)
            ):
                message = (
                    f"{name}: {pointer} names no file there is (its text is not shown: "
                    f"it may be {name}'s value set there by mistake); give the path of "
                    "the file that holds the value"
                )
                problems.append(Problem("no-file", message, variable=name))
            else:
                found = _read_value_file(
                    name, project.path(path_text), pointer, problems
                )
                if found is not None and found[0]:
                    given.above[name] = found
        if folder is not None and variable.from_file:
            for candidate in (name, name.lower()):
                path = folder / candidate
                if not absent(path):  # what cannot be looked at: the reader says why
                    found = _read_value_file(name, path, "secrets folder", problems)
                    if found is not None and found[0]:
                        given.below[name] = found
                    break
    return given


# ----------------------------------------------------------------------------- reports


def python_command(project: Project) -> str:
    """The interpreter for a suggested command: the project venv's python by its path
    from the current directory, which works where no venv is active, else ``python``."""
    import shlex
    import sys

    executable = Path(sys.executable)
    if project.root is None or not executable.is_relative_to(
        project.path(project.venv_dir)
    ):
        return "python"
    try:
        relative = os.path.relpath(executable)
    except ValueError:  # on another drive (Windows)
        relative = ".."
    return shlex.quote(str(executable) if relative.startswith("..") else relative)


def missing_message(
    variable: Variable,
    files: Sequence[EnvFile],
    project: Project,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Why a required variable has no value, and where to set it."""
    name = variable.name
    named = _rules.file_variable(name)  # NAME_FILE
    where = "in the environment or in an env file"
    if variable.from_file:
        where = f"in the environment, in an env file or in a file that {named} names"
        if environ and environ.get(named):
            # Read without a problem, so empty: it counts as not set.
            return f"{name} is required but the file that {named} names is empty"
    head = f"{name} is required but not set: set it {where}"
    for file in reversed(files):
        if name in file.values:
            return f"{head}; it is empty at {file.where(file.values[name])}"
    for file in reversed(files) if variable.from_file else ():
        if named in file.values:
            return (
                f"{head}; {named} at {file.where(file.values[named])} has no effect: "
                f"{named} is read from the environment only"
            )
    existing = [str(file.path) for file in files if file.exists]
    if existing:
        return f"{head}; it is not in {', '.join(existing)}"
    if not files and project.root is not None:  # load_settings((), ...): none asked for
        places = "in the environment"
        if variable.from_file:
            places += f" or in a file that {named} names"
        return f"{name} is required but not set: set it {places} (no env file is read)"
    if not files:
        return (
            f"{name} is required but not set: set it in the environment (no "
            f"project root was found above the package, so no env file is read unless "
            f"{project.override_name} names one)"
        )
    if all(file.absent for file in files):
        private = private_layer(project)
        if private not in [file.path for file in files]:
            # The one env file asked for (--env-file, <PACKAGE>_ENV_FILE) is not there.
            return f"{head}; {files[-1].path} does not exist (see above)"
        return (
            f"{head}; there is no env file ({', '.join(f.path.name for f in files)} "
            f"in {files[-1].path.parent}): run {python_command(project)} -m "
            f"{project.settings} init to "
            f"create {private.name} from {_rules.EXAMPLE_FILE}"
        )
    # The path exists but is a directory or unreadable: that is reported on its own.
    return f"{head}; the env file {files[-1].path} could not be read (see above)"
