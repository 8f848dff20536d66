"""Layer mode of copier-venv-dotenv: the files it shares with the project and other templates.

A generated project has two kinds of files:

- OWNED files, with names no other template uses (``scripts/bootstrap.py``, the settings
  module and its engine, ``tests/test_venv_dotenv.py``, ``.github/workflows/venv-dotenv.yml``
  and ``copier-update.yml``): copier renders and updates them as usual. A copy into a
  repository that already has one of them is refused before anything is written.
- SHARED files (``pyproject.toml``, ``README.md``, ``.gitignore``, ``.env.example``,
  ``.vscode/settings.json``, ``.pre-commit-config.yaml``, ``.envrc``, the package's
  ``__init__.py``): copier writes a starter only when the file is absent (``_skip_if_exists``)
  and never touches them on update (``_exclude``). What the template needs in them is a
  marked block (or merged JSON keys, or dependency entries) that this module writes and
  refreshes, at copy time through the starters and the copy task, and after every update
  through the migration (``extensions/tasks/merge_existing_files.py``).

Everything here is one source: the Jinja extension calls the same functions to render the
starters that the merge script calls to merge blocks into existing files. The long texts
(the README, .envrc and pre-commit blocks, the .env.example starter) are Jinja templates in
``blocks/`` beside this file, rendered here with copier's own jinja2. Standard library and
jinja2 (copier's dependencies are there wherever this runs). The question checks come from
``venv_dotenv_rules.py`` next to this file, and every rule about variables (the python-dotenv
range, reserved names, ``.env.example`` entries, the settings reference, the pyproject
table) from the rules module generated projects ship
(``template/{{package_dir}}/_settings/_rules.py``), which that file loads: copy time,
the merge script and run time share it.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined, pass_context
from jinja2.ext import Extension

HERE = Path(__file__).resolve().parent
TEMPLATE_DIR = HERE.parent / "template"

PYTEST_REQUIREMENT = "pytest>=8"

# The first release whose shared files carry marked blocks; projects from an earlier one
# have the template's text unmarked (see merge_existing_files.py, "legacy").
FIRST_LAYERED_RELEASE = "0.2.0"


# --------------------------------------------------------------------------- #
# The question checks and the rules module, loaded by path
# --------------------------------------------------------------------------- #


def _load_file(name: str, path: Path) -> Any:
    """The Python file ``path``, loaded as the module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and named tuples resolve their module by name
    spec.loader.exec_module(module)
    return module


def _load_checks() -> Any:
    """``venv_dotenv_rules.py`` beside this file (the question checks and parse_env_vars);
    the module copier-template-extensions already loaded when there is one."""
    loaded = sys.modules.get("copier_template_extensions.venv_dotenv_rules")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent == HERE:
        return loaded
    return _load_file("_venv_dotenv_rules_for_layer", HERE / "venv_dotenv_rules.py")


checks = _load_checks()
#: Every rule about variables: the engine's own ``_rules.py``, as the checks loaded it.
rules = checks.rules
#: The template's name, in its marker lines and messages.
NAME: str = rules.BLOCK_NAME

# The runtime dependency of the settings loader is the rules module's range. DOTENV_RANGES
# lists every requirement a release of this template has written (0.1.0 wrote
# "python-dotenv>=1.0"): an entry still equal to one of them is the template's own and
# moves to the current range; any other spelling is the user's choice. A release that
# changes the range adds the one it replaces here.
DOTENV_REQUIREMENT: str = rules.DOTENV_REQUIREMENT
DOTENV_RANGES = ("python-dotenv>=1.0", DOTENV_REQUIREMENT)


# --------------------------------------------------------------------------- #
# Long texts: Jinja templates in blocks/ beside this file
# --------------------------------------------------------------------------- #

BLOCKS_DIR = HERE / "blocks"
_BLOCKS: Environment | None = None


def render(name: str, **values: Any) -> str:
    """``blocks/<name>`` rendered with ``values`` (no final newline). Any value the
    template names and ``values`` lacks is an error, never an empty string."""
    global _BLOCKS
    if _BLOCKS is None:
        _BLOCKS = Environment(loader=FileSystemLoader(BLOCKS_DIR), undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, autoescape=False)
    return _BLOCKS.get_template(name).render(**values)


# --------------------------------------------------------------------------- #
# Answers
# --------------------------------------------------------------------------- #

_TRUE_WORDS = ("true", "yes", "on", "y", "t", "1")


def _flag(value: Any, default: bool) -> bool:
    if value is None or isinstance(value, Undefined):
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE_WORDS


@dataclass(frozen=True)
class Answers:
    """The answers the shared files depend on."""

    project_name: str = "my-project"
    package_name: str = "app"
    # The package's folder: src/<package_name> (the default, "" here) or <package_name>.
    package_dir: str = ""
    python_version: str = "3.11"
    venv_dir: str = ".venv"
    env_file: str = ".env"
    env_vars: Any = None
    use_direnv: bool = False
    use_vscode: bool = True
    use_pre_commit: bool = True
    ci_workflow: bool = True
    update_workflow: bool = False
    # 0.1.0 recorded the files of an adopted repository it kept as they were.
    kept_files: tuple[str, ...] = field(default=())
    # Where copier keeps these answers: the commands the project is told name it.
    answers_file: str = rules.ANSWERS_FILE

    def __post_init__(self) -> None:
        if not self.package_dir:
            object.__setattr__(self, "package_dir", package_dirs(self.package_name)[0])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any],
                     answers_file: str = rules.ANSWERS_FILE) -> Answers:
        def text(key: str, default: str) -> str:
            value = data.get(key)
            return default if value is None or value == "" else str(value)

        kept = data.get("kept_files") or ()
        return cls(
            project_name=text("project_name", cls.project_name),
            package_name=text("package_name", cls.package_name),
            package_dir=text("package_dir", ""),
            python_version=text("python_version", cls.python_version),
            venv_dir=text("venv_dir", cls.venv_dir),
            env_file=text("env_file", cls.env_file),
            env_vars=data.get("env_vars"),
            use_direnv=_flag(data.get("use_direnv"), cls.use_direnv),
            use_vscode=_flag(data.get("use_vscode"), cls.use_vscode),
            use_pre_commit=_flag(data.get("use_pre_commit"), cls.use_pre_commit),
            ci_workflow=_flag(data.get("ci_workflow"), cls.ci_workflow),
            update_workflow=_flag(data.get("update_workflow"), cls.update_workflow),
            kept_files=tuple(str(name) for name in kept) if isinstance(kept, list) else (),
            answers_file=str(answers_file),
        )

    def update_command(self, *answers: str) -> str:
        """``copier update`` of this template's part of the project (rules.update_command)."""
        return rules.update_command(self.answers_file, *answers)

    @property
    def venv(self) -> str:
        return self.venv_dir.rstrip("/")

    @property
    def settings_module(self) -> str:
        return f"{self.package_name}.settings"

    @property
    def package_parent(self) -> str:
        """The folder holding the package: "src", or "" for a flat layout."""
        return self.package_dir.rpartition("/")[0]

    def variables(self) -> list[Any]:
        return checks.parse_env_vars(self.env_vars, self.package_name)

    def feature(self, name: str | None) -> bool:
        return True if name is None else bool(getattr(self, name))


# --------------------------------------------------------------------------- #
# Which files are shared, which are owned
# --------------------------------------------------------------------------- #

# Shared files that get a block or merged keys, with the answer that turns each on.
SHARED_FILES: dict[str, str | None] = {
    ".gitignore": None,
    "README.md": None,
    "pyproject.toml": None,
    ".env.example": None,
    ".vscode/settings.json": "use_vscode",
    ".pre-commit-config.yaml": "use_pre_commit",
    ".envrc": "use_direnv",
}
# Shared, starter only: never merged into. (The patterns copier.yml skips and excludes:
# the package's __init__.py and py.typed, in src/ or at the top level.)
STARTER_ONLY = re.compile(r"(src/)?[^/]+/(__init__\.py|py\.typed)\Z")
# Rendered by 0.1.0, no longer by this template: never deleted by `copier update`
# (excluded), retired by the migration only when the project left them as rendered.
RETIRED_FILES = (
    "tests/conftest.py",
    "tests/test_settings.py",
    "tests/test_environment.py",
    ".github/workflows/ci.yml",
)
WORKFLOWS = {
    "ci_workflow": ".github/workflows/venv-dotenv.yml",
    "update_workflow": ".github/workflows/copier-update.yml",
}


def enabled_shared_files(answers: Answers) -> list[str]:
    return [path for path, feature in SHARED_FILES.items() if answers.feature(feature)]


def owned_paths(package_dir: str) -> tuple[list[str], list[str]]:
    """The paths this template renders and owns: (independent of the package, inside it,
    the package being in ``package_dir``, e.g. "src/acme" or "acme").

    Read from the template folder itself, so that the list follows the template: every
    file without a condition in its path that is not shared.
    """
    general, in_package = [], []
    for source in sorted(TEMPLATE_DIR.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(TEMPLATE_DIR).as_posix()
        if "{%" in relative or "_copier_conf" in relative or "__pycache__" in relative:
            continue
        relative = relative.removesuffix(".jinja")
        target = relative.replace("{{package_dir}}", package_dir)
        if target in SHARED_FILES or STARTER_ONLY.match(target):
            continue
        if target.endswith((".pyc", ".pyo")):
            continue
        (in_package if "{{package_dir}}" in relative else general).append(target)
    return general, in_package


# --------------------------------------------------------------------------- #
# Text with lines: keeps the file's line ends and final newline
# --------------------------------------------------------------------------- #


@dataclass
class Doc:
    lines: list[str]
    newline: str = "\n"
    final_newline: bool = True

    @classmethod
    def parse(cls, text: str) -> Doc:
        newline = "\r\n" if "\r\n" in text else "\n"
        body = text.replace("\r\n", "\n")
        lines = body.split("\n")
        if body.endswith("\n"):
            lines.pop()
        return cls(lines if body else [], newline, body.endswith("\n") or not body)

    def append(self, block: list[str]) -> None:
        """Add ``block`` at the end, after one blank line."""
        self.lines = append_block(self.lines, block)
        self.final_newline = True

    def text(self) -> str:
        if not self.lines:
            return ""
        return self.newline.join(self.lines) + (self.newline if self.final_newline else "")


CONFLICT_RE = re.compile(r"^(<<<<<<<|>>>>>>>)( |\r?$)", re.MULTILINE)
# The marker lines of # comment files: the rules module's, which the engine's `init`
# knows too (a private env file made from .env.example goes without them).
HASH_BEGIN_RE = re.compile(rules.BLOCK_BEGIN_PATTERN)
HASH_END_RE = re.compile(rules.BLOCK_END_PATTERN)
HASH_END = f"# <<< {NAME} <<<"
MD_BEGIN = f"<!-- >>> {NAME} >>> -->"
MD_END = f"<!-- <<< {NAME} <<< -->"
MD_BEGIN_RE = re.compile(rf"^[ \t]*<!-- >>> {NAME} >>> -->[ \t]*$")
MD_END_RE = re.compile(rf"^[ \t]*<!-- <<< {NAME} <<< -->[ \t]*$")
REFERENCE_BEGIN: str = rules.REFERENCE_BEGIN
REFERENCE_END: str = rules.REFERENCE_END


def hash_begin(what: str) -> str:
    return f"# >>> {NAME}: {what} >>>"


class BlockError(ValueError):
    """A begin marker without its end marker (or the reverse)."""


def find_block(lines: list[str], begin: re.Pattern[str], end: re.Pattern[str]
               ) -> tuple[int, int] | None:
    """(index of the begin marker, index of the end marker) of the first block, or None."""
    start = next((i for i, line in enumerate(lines) if begin.match(line)), None)
    if start is None:
        if any(end.match(line) for line in lines):
            raise BlockError("an end marker without its begin marker")
        return None
    stop = next((i for i in range(start + 1, len(lines)) if end.match(lines[i])), None)
    if stop is None:
        raise BlockError("a begin marker without its end marker")
    return start, stop


def append_block(lines: list[str], block: list[str]) -> list[str]:
    """``lines`` with ``block`` at the end, after one blank line."""
    body = list(lines)
    while body and not body[-1].strip():
        body.pop()
    return body + ([""] if body else []) + block


@dataclass
class Outcome:
    """A merge's result: the new text (None: leave the file as it is), what to say, and
    other files of the project to write (path: text; pyproject.toml's dependencies)."""

    text: str | None
    notes: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def written_inside(body: list[str], *renderings: list[str]) -> list[str]:
    """The lines of a block's ``body`` that none of the template's ``renderings`` of the
    block holds (blank lines aside): lines someone wrote inside it, which a rewrite of the
    block would lose."""
    known = {line.rstrip() for rendering in renderings for line in rendering}
    return [line for line in body if line.strip() and line.rstrip() not in known]


def kept_sentence(path: str, what: str) -> str:
    return (f"{path}: kept {what} written inside the copier-venv-dotenv block, now below "
            "it: every update rewrites the block, so write your lines outside it")


def replace_block(text: str, block: list[str], add: bool, begin: re.Pattern[str] = HASH_BEGIN_RE,
                  end: re.Pattern[str] = HASH_END_RE) -> Outcome:
    """``text`` with its marked block replaced by ``block``; where it has none, ``block``
    appended (``add``) or the file left as it is."""
    doc = Doc.parse(text)
    span = find_block(doc.lines, begin, end)
    if span is None:
        if not add:
            return Outcome(None)
        doc.append(block)
    else:
        doc.lines[span[0]:span[1] + 1] = block
    return Outcome(doc.text())


# --------------------------------------------------------------------------- #
# .gitignore
# --------------------------------------------------------------------------- #

GITIGNORE_WHAT = "the venv and the env files stay out of git; .env.example is committed"


def _ignore_pattern(line: str) -> str | None:
    """A .gitignore line as a comparable pattern (None for blanks, comments, negations);
    a trailing '/' kept: such a pattern ignores folders only."""
    text = line.strip()
    if not text or text.startswith(("#", "!")):
        return None
    return text.removeprefix("/")


def _covered(name: str, patterns: Iterable[str]) -> bool:
    """Whether one of ``patterns`` ignores ``name``, a folder when it ends with '/': a
    user's ``.env/`` (the venv folder once named .env) ignores no .env file."""
    folder = name.endswith("/")
    name = name.removesuffix("/")
    base = name.rsplit("/", 1)[-1]
    for pattern in patterns:
        if pattern.endswith("/"):
            if not folder:
                continue
            pattern = pattern.removesuffix("/")
        if pattern == name or fnmatch.fnmatchcase(name, pattern):
            return True
        if "/" not in pattern and fnmatch.fnmatchcase(base, pattern):
            return True
    return False


def gitignore_entries(answers: Answers) -> list[str]:
    """What the block lists: every entry the project needs, those that other lines of the
    file have too included. The block keeps the env files out of git on its own: another
    template's update may narrow its `.env*` to `.env`, or drop it."""
    entries = [f"/{answers.venv}/", ".env", ".env.*"]
    env_file = answers.env_file
    if env_file != ".env" and not env_file.startswith(".env."):
        # The env file and its layers (.local, .<mode>, .<mode>.local).
        entries += [f"/{env_file}", f"/{env_file}.*"]
    # After everything that ignores it, the lines above the block included.
    return [*entries, "!.env.example"]


def gitignore_block(answers: Answers) -> list[str]:
    return [hash_begin(GITIGNORE_WHAT), *gitignore_entries(answers), HASH_END]


def gitignore_starter(answers: Answers) -> str:
    lines = [
        *gitignore_block(answers),
        "",
        "# Python caches and build outputs",
        "__pycache__/",
        "*.py[cod]",
        "*.egg-info/",
        ".eggs/",
        "build/",
        "dist/",
        ".pytest_cache/",
        ".coverage",
        ".coverage.*",
        "htmlcov/",
        ".mypy_cache/",
        ".ruff_cache/",
        "",
        "# Your own entries go below this line: copier update only rewrites the block above.",
    ]
    return Doc(lines).text()


def _reignores_example(lines: list[str]) -> bool:
    """Whether ``lines`` ignore .env.example with no later line un-ignoring it."""
    state = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("!") and stripped[1:].lstrip("/") == ".env.example":
            state = False
        elif (pattern := _ignore_pattern(line)) and _covered(".env.example", [pattern]):
            state = True
    return state


def _first_env_negation(lines: list[str], block: list[str]) -> int | None:
    """The first of ``lines`` that un-ignores a file the block ignores (``!.env.test``, a
    shared layer committed on purpose): the block goes above it, so that it still wins."""
    ours = [p for p in map(_ignore_pattern, block) if p]
    for index, line in enumerate(lines):
        name = line.strip()[1:].lstrip("/") if line.strip().startswith("!") else ""
        if name and name != rules.EXAMPLE_FILE and _covered(name, ours):
            return index
    return None


def merge_gitignore(text: str, answers: Answers, add: bool,
                    previous: Answers | None = None) -> Outcome:
    doc = Doc.parse(text)
    span = find_block(doc.lines, HASH_BEGIN_RE, HASH_END_RE)
    if span is None:
        if not add:
            return Outcome(None)
        block = gitignore_block(answers)
        at = _first_env_negation(doc.lines, block)
        if at is None:
            doc.append(block)
        else:
            doc.lines[at:at] = [*block, ""]
        return Outcome(doc.text())
    start, stop = span
    block = gitignore_block(answers)
    # Lines someone added inside the block (the previous answers' block tells the
    # template's own apart) move below it, in their order: a pattern after the
    # block's lines ignores (or un-ignores) what it did inside.
    written = [] if previous is None else written_inside(
        doc.lines[start + 1:stop], block, gitignore_block(previous))
    notes = [kept_sentence(".gitignore", ", ".join(written))] if written else []
    above, below = doc.lines[:start], doc.lines[stop + 1:]
    # A line above the block that un-ignores a file it ignores (!.env.ci, which another
    # template's update may add there) would lose to it: the block moves above that
    # line, where a copy puts it.
    at = _first_env_negation(above, block)
    if at is None:
        doc.lines = [*above, *block, *written, *below]
        below = [*written, *below]
    else:
        notes.append(f".gitignore: moved the copier-venv-dotenv block above line {at + 1} "
                     f"({above[at].strip()}), which un-ignores a file the block ignores, so "
                     "that line still wins")
        if above[-1:] == [""] and below[:1] in ([], [""]):
            above.pop()  # the blank line that set the block apart
        doc.lines = [*above[:at], *block, *written, "", *above[at:], *below]
        below = [*written, *above[at:], *below]
    if _reignores_example(below):
        notes.append(".gitignore: a line below the copier-venv-dotenv block ignores "
                     ".env.example again; move it above the block")
    return Outcome(doc.text(), notes)


# --------------------------------------------------------------------------- #
# .env.example
# --------------------------------------------------------------------------- #

ENV_KEY_RE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=")


def env_example_block(answers: Answers, outside: list[str]) -> tuple[list[str], list[str]]:
    """The block, and the names it leaves out because the rest of the file sets them."""
    present = {m[1] for line in outside if (m := ENV_KEY_RE.match(line))}
    variables = answers.variables()
    left_out = [var.name for var in variables if var.name in present]
    kept = [var for var in variables if var.name not in present]
    what = (f"declared in {answers.package_dir}/settings.py; "
            "copier update rewrites this block")
    return [hash_begin(what), *rules.env_example_entries(kept).splitlines(), HASH_END], left_out


def env_example_starter(answers: Answers) -> str:
    block, _ = env_example_block(answers, [])
    env = answers.env_file
    return render("env.example.jinja", project_name=answers.project_name, env=env,
                  layers=rules.env_layers(env, "<mode>"), private=rules.private_layer(env),
                  mode_variable=rules.mode_name(answers.package_name),
                  block="\n".join(block), own_lines=rules.EXAMPLE_OWN_LINES) + "\n"


def merge_env_example(text: str, answers: Answers, add: bool,
                      previous: Answers | None = None) -> Outcome:
    doc = Doc.parse(text)
    span = find_block(doc.lines, HASH_BEGIN_RE, HASH_END_RE)
    if span is None and not add:
        return Outcome(None)
    notes, moved = [], []
    if span is None:
        block, left_out = env_example_block(answers, doc.lines)
        doc.append(block)
    else:
        start, stop = span
        outside = doc.lines[:start] + doc.lines[stop + 1:]
        # Lines someone wrote inside the block move below it, kept: a variable set there
        # is then left out of the block, as any line of theirs is. The template's own
        # lines are told by the whole blocks of both answers (one that lines below it
        # set now still has its lines of before in the block).
        written = [] if previous is None else written_inside(
            doc.lines[start + 1:stop], env_example_block(answers, [])[0],
            env_example_block(previous, [])[0])
        written, edited = _own_example_lines(doc.lines[start + 1:stop], written)
        moved = [m[1] for line in written if (m := ENV_KEY_RE.match(line))]
        if written:
            at = _below_example_block(doc.lines, stop)
            doc.lines[at:at] = written
            outside += written
            setting = f" (setting {', '.join(moved)})" if moved else ""
            notes.append(kept_sentence(".env.example", f"{len(written)} line(s){setting}"))
        if edited:
            notes.append(f".env.example: replaced {len(edited)} comment line(s) you "
                         "changed inside the copier-venv-dotenv block: its comments "
                         "document the env_vars answer (a description changes with "
                         f"{answers.update_command('env_vars=...')})")
        block, left_out = env_example_block(answers, outside)
        # Said once: when the block is made, when a name moves out of it or is newly
        # declared; not again on every update for a name the block already left out.
        before = {m[1] for line in doc.lines[start:stop + 1] if (m := ENV_KEY_RE.match(line))}
        declared = set() if previous is None else {v.name for v in previous.variables()}
        left_out = [name for name in left_out if name in before or name not in declared]
        doc.lines[start:stop + 1] = block
    said = [name for name in left_out if name not in moved]  # the kept lines are said
    if said:
        notes.append(f".env.example already sets {', '.join(said)} outside the "
                     "copier-venv-dotenv block: left there, not repeated in the block")
    if left_out:
        notes += _example_disagreements(doc.lines, answers, left_out)
    return Outcome(doc.text(), notes)


def _own_example_lines(body: list[str], written: list[str]) -> tuple[list[str], list[str]]:
    """The lines written inside the block to keep: variable lines, each with the comment
    lines right above it; and the comment lines changed above one of the template's own
    variables, which the block rewrites (kept, they would document another line)."""
    ours = set(written)
    kept: list[str] = []
    edited: list[str] = []
    comments: list[str] = []
    for line in body:
        if line.lstrip().startswith("#"):
            if line in ours:
                comments.append(line)
            continue
        if not line.strip():
            continue
        if line in ours:
            kept += [*comments, line]
        else:
            edited += comments
        comments = []
    return kept, edited + comments


def _below_example_block(lines: list[str], stop: int) -> int:
    """Where lines kept from the block go: just below its end marker, or below the
    starter's comment that opens the project's own part, when it follows."""
    at = stop + 1
    while at < len(lines) and not lines[at].strip():
        at += 1
    own = rules.EXAMPLE_OWN_LINES.split("\n")
    if lines[at:at + len(own)] == own:
        return at + len(own)
    return stop + 1


def _example_value(line: str) -> str | None:
    """The value of a plain ``NAME=value`` line (quoted without escapes, or bare with an
    optional `` # comment``); None for anything harder, which `check` reads exactly."""
    match = ENV_KEY_RE.match(line)
    rest = line[match.end():].strip() if match else ""
    if rest[:1] in ("'", '"'):
        end = rest.find(rest[0], 1)
        inner = rest[1:end]
        return inner if end > 0 and "\\" not in inner and "$" not in inner else None
    value = rest.split(" #", 1)[0].strip()
    return None if any(char in value for char in "'\"\\$") else value


def _example_disagreements(lines: list[str], answers: Answers, names: list[str]) -> list[str]:
    """Sentences for the lines of the project's .env.example that the answer declares
    with another default, or that give a secret a value: check (and the generated tests)
    would fail on them. Values that may be credentials are never repeated."""
    found: dict[str, str | None] = {}
    for line in lines:
        match = ENV_KEY_RE.match(line)
        if match and match[1] in names:
            found[match[1]] = _example_value(line)
    notes = []
    for var in answers.variables():
        written = found.get(var.name)
        if written is None or rules.same_default(var.type, var.default, written):
            continue
        if var.type == "secret" or rules.secret_spans(written) or \
                rules.looks_like_a_credential(var.name, written):
            notes.append(f".env.example gives {var.name} a value, and it is committed: leave "
                         f"it empty ({var.name}=); check reports it until then")
            continue
        declared = ("it required, with no default (its line is left empty)"
                    if var.default is None else f"its default as {var.default!r}")
        notes.append(f".env.example sets {var.name} to {written!r}, but the env_vars answer "
                     f"declares {declared}: make them agree (edit that line, or give the "
                     f"answer again: {answers.update_command('env_vars=...')}); "
                     "check reports it until then")
    return notes


# --------------------------------------------------------------------------- #
# README.md
# --------------------------------------------------------------------------- #


def settings_reference(variables: list[Any]) -> list[str]:
    """The rules module's table of the declared variables, between its markers."""
    return [REFERENCE_BEGIN, *rules.settings_reference(variables).splitlines(), REFERENCE_END]


def readme_block(answers: Answers, reference: list[str] | None = None) -> list[str]:
    """The README block, markers included: blocks/README.md.jinja with the answers.

    ``reference``: the settings reference table to keep (its lines between the
    markers); by default the one the answers declare.
    """
    venv, pkg, env = answers.venv, answers.package_name, answers.env_file
    if reference is None:
        table = settings_reference(answers.variables())
    else:
        table = [REFERENCE_BEGIN, *reference, REFERENCE_END]
    text = render(
        "README.md.jinja",
        venv=venv,
        win_venv=venv.replace("/", "\\"),
        env=env,
        layers=rules.env_layers(env, "<mode>"),
        private=rules.private_layer(env),
        pkg=pkg,
        pkg_dir=answers.package_dir,
        override=rules.override_name(pkg),
        mode_variable=rules.mode_name(pkg),
        secrets_variable=rules.secrets_dir_name(pkg),
        secrets_dir=rules.DOCUMENTED_SECRETS_DIR,
        python_version=answers.python_version,
        update=answers.update_command(),
        settings_reference="\n".join(table),
        use_direnv=answers.use_direnv,
        use_vscode=answers.use_vscode,
        use_pre_commit=answers.use_pre_commit,
    )
    return [MD_BEGIN, *text.split("\n"), MD_END]


def readme_starter(answers: Answers) -> str:
    return Doc([f"# {answers.project_name}", "", *readme_block(answers)]).text()


def _kept_reference(lines: list[str], previous: Answers | None) -> list[str] | None:
    """The settings reference table of a README block, to keep; None to render it from
    the answers. The table the previous answers gave follows the answers; any other was
    written by ``python -m <package>.settings docs --write README.md`` from settings.py
    (with the project's own variables): it stays, and the generated tests say when it
    is out of date."""
    try:
        span = rules.reference_span(lines)
    except ValueError:
        return None
    if span is None:
        return None
    table = lines[span[0] + 1:span[1]]
    if previous is not None:
        try:
            if settings_reference(previous.variables())[1:-1] == table:
                return None
        except ValueError:  # the previous answer no longer parses: keep the table
            pass
    return table


def merge_readme(text: str, answers: Answers, add: bool,
                 previous: Answers | None = None) -> Outcome:
    doc = Doc.parse(text)
    span = find_block(doc.lines, MD_BEGIN_RE, MD_END_RE)
    kept = None if span is None else _kept_reference(doc.lines[span[0]:span[1] + 1], previous)
    return replace_block(text, readme_block(answers, kept), add, MD_BEGIN_RE, MD_END_RE)


# --------------------------------------------------------------------------- #
# .envrc
# --------------------------------------------------------------------------- #


def _case_pattern(indent: str, width: int = 88) -> str:
    """The rules module's reserved-name ``case`` pattern, wrapped at ``|`` with ``\\``."""
    lines, current = [], indent
    for alternative in rules.reserved_case_pattern().split("|"):
        if current != indent and len(current) + len(alternative) + 3 > width:
            lines.append(current + " \\")
            current = indent
        current += alternative + "|"
    return "\n".join([*lines, current[:-1]])


def _mode_patterns() -> tuple[str, str]:
    """The rules module's mode rule for bash: (words no mode may be, as a case pattern
    in any letter case; what a mode is, as an extended regular expression)."""
    def any_case(word: str) -> str:
        return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)

    words = " | ".join(any_case(word) for word in sorted(rules.NOT_MODES))
    return words, f"^[A-Za-z0-9][A-Za-z0-9_-]{{0,{rules.MAX_MODE_LENGTH - 1}}}$"


def envrc_block(answers: Answers) -> list[str]:
    """The .envrc block, markers included: blocks/envrc.jinja with the answers."""
    venv, env, pkg = answers.venv, answers.env_file, answers.package_name
    not_modes, mode_re = _mode_patterns()
    text = render("envrc.jinja", venv=venv, env=env, pkg=pkg, reserved=_case_pattern("      "),
                  mode_variable=rules.mode_name(pkg), not_modes=not_modes, mode_re=mode_re)
    begin = hash_begin(f"activate {venv} and load the env files; run `direnv allow` after "
                       "reading a change")
    return [begin, *text.split("\n"), HASH_END]


def envrc_starter(answers: Answers) -> str:
    lines = [
        f"# direnv (https://direnv.net): on cd into this folder, activate {answers.venv} and "
        "load the env files.",
        "# Allow it once after reading it, and again after every change: direnv allow",
        "",
        *envrc_block(answers),
    ]
    return Doc(lines).text()


def merge_envrc(text: str, answers: Answers, add: bool) -> Outcome:
    return replace_block(text, envrc_block(answers), add)


# --------------------------------------------------------------------------- #
# .pre-commit-config.yaml
# --------------------------------------------------------------------------- #


def pre_commit_block(answers: Answers, indent: str = "  ") -> list[str]:
    """The item of ``repos:``, markers included and indented by ``indent``:
    blocks/pre-commit-config.yaml.jinja with the answers."""
    text = render("pre-commit-config.yaml.jinja", venv=answers.venv, pkg=answers.package_name,
                  pkg_dir=answers.package_dir, pkg_parent=answers.package_parent,
                  env_pattern=answers.env_file.replace(".", "\\."))
    begin = hash_begin("local hooks: no private env file, no conflict marker, .env.example in step")
    return [indent + line for line in (begin, *text.split("\n"), HASH_END)]


def pre_commit_starter(answers: Answers) -> str:
    lines = [
        "# pre-commit (https://pre-commit.com): pre-commit install, once per clone.",
        "# Local hooks only: they need no download, so they work offline and never drift.",
        "repos:",
        *pre_commit_block(answers),
    ]
    return Doc(lines).text()


def _yaml() -> Any:
    import yaml  # copier's own dependency: there wherever this runs

    return yaml


def merge_pre_commit(text: str, answers: Answers, add: bool) -> Outcome:
    yaml = _yaml()
    name = ".pre-commit-config.yaml"
    try:
        before = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return Outcome(None, [f"{name} is not valid YAML ({_first_line(error)}): left as it is"])
    if before is None:
        before = {}
    if not isinstance(before, dict) or not isinstance(before.get("repos", []), list):
        return Outcome(None, [f"{name} has no list of repos: left as it is"])
    doc = Doc.parse(text)
    span = find_block(doc.lines, HASH_BEGIN_RE, HASH_END_RE)
    ours = yaml.safe_load("\n".join(pre_commit_block(answers, "")))[0]
    if span is not None:
        start, stop = span
        indent = HASH_BEGIN_RE.match(doc.lines[start])["indent"]  # type: ignore[index]
        doc.lines[start:stop + 1] = pre_commit_block(answers, indent)
    elif not add:
        return Outcome(None)
    else:
        header = next((i for i, line in enumerate(doc.lines)
                       if re.match(r"repos:\s*(#.*)?$", line)), None)
        if header is None:
            if "repos" in before:
                return Outcome(None, [f"{name}: cannot find a `repos:` line to add the local "
                                      "hooks under: left as it is"])
            doc.append(["repos:", *pre_commit_block(answers)])
        else:
            end, indent = len(doc.lines), None
            for i in range(header + 1, len(doc.lines)):
                line = doc.lines[i]
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if not line[:1].isspace() and not line.startswith("-"):
                    end = i
                    break
                if indent is None:
                    indent = line[: len(line) - len(line.lstrip())]
            while end > header + 1 and not doc.lines[end - 1].strip():
                end -= 1
            doc.lines[end:end] = pre_commit_block(answers, indent if indent is not None else "  ")
    new_text = doc.text()
    try:
        after = yaml.safe_load(new_text)
    except yaml.YAMLError:
        after = None

    def rest(data: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in data.items() if key != "repos"}

    def others(data: dict[str, Any]) -> list[Any]:
        return [repo for repo in data.get("repos") or [] if not _is_our_repo(repo)]

    if (not isinstance(after, dict) or rest(after) != rest(before)
            or others(after) != others(before) or ours not in (after.get("repos") or [])):
        return Outcome(None, [f"{name}: cannot add the copier-venv-dotenv local hooks "
                              "without changing the rest of the file: left as it is"])
    return Outcome(new_text if new_text != text else None)


def _is_our_repo(repo: Any) -> bool:
    ids = {"no-env-files", "no-conflict-markers", "no-conflict-separators", "env-example"}
    return (isinstance(repo, dict) and repo.get("repo") == "local"
            and {h.get("id") for h in repo.get("hooks") or [] if isinstance(h, dict)} == ids)


# --------------------------------------------------------------------------- #
# .vscode/settings.json: merged keys
# --------------------------------------------------------------------------- #


def vscode_values(answers: Answers) -> dict[str, Any]:
    return {
        "python.defaultInterpreterPath": f"${{workspaceFolder}}/{answers.venv}",
        # VS Code loads this file into the environment, which wins over every layer: the
        # private layer, the one that wins over .env and .env.<mode> anyway.
        "python.envFile": f"${{workspaceFolder}}/{rules.private_layer(answers.env_file)}",
        "python.terminal.activateEnvironment": True,
        "python.testing.pytestEnabled": True,
        "python.testing.unittestEnabled": False,
        "python.testing.pytestArgs": ["tests"],
    }


def vscode_starter(answers: Answers) -> str:
    members = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in vscode_values(answers).items()]
    return "{\n" + ",\n".join(members) + "\n}\n"


class JsoncError(ValueError):
    pass


def _jsonc_scan(text: str) -> tuple[list[tuple[str, int, int]], int, int, str]:
    """Top-level members of a JSON(C) object: [(key, value start, value end)], the
    offsets of its braces, and the indentation of its members."""
    i, n = 0, len(text)
    depth, members = 0, []
    open_at = close_at = -1
    key: str | None = None
    value_start = -1
    last_significant = -1
    indent = ""

    def skip_string(j: int) -> int:
        j += 1
        while j < n:
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == '"':
                return j + 1
            j += 1
        raise JsoncError("unterminated string")

    while i < n:
        char = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i == -1 else i
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise JsoncError("unterminated comment")
            i = end + 2
            continue
        if char.isspace():
            i += 1
            continue
        if char == '"':
            end = skip_string(i)
            if depth == 1 and key is None and value_start == -1:
                key = json.loads(text[i:end])
                line_start = text.rfind("\n", 0, i) + 1
                if not indent and text[line_start:i].strip() == "":
                    indent = text[line_start:i]
            elif depth == 1 and value_start == -1:
                value_start = i
            last_significant = end - 1
            i = end
            continue
        if char in "{[":
            if depth == 0:
                if char != "{":
                    raise JsoncError("the top level is not an object")
                open_at = i
            elif depth == 1 and value_start == -1:
                value_start = i
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                if key is not None and value_start != -1:
                    members.append((key, value_start, last_significant + 1))
                close_at = i
                break
        elif char == ":" and depth == 1:
            pass
        elif char == "," and depth == 1:
            if key is not None and value_start != -1:
                members.append((key, value_start, last_significant + 1))
            key, value_start = None, -1
        elif depth == 1 and value_start == -1 and key is not None:
            value_start = i
        last_significant = i
        i += 1
    if open_at == -1 or close_at == -1:
        raise JsoncError("no complete top-level object")
    return members, open_at, close_at, indent


def jsonc_loads(text: str) -> Any:
    """Parse JSON with comments and trailing commas (VS Code's settings format)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j == -1 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j == -1 else j + 2
        else:
            out.append(text[i])
            i += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    return json.loads(cleaned)


def merge_vscode(text: str, answers: Answers, add: bool, previous: Answers | None) -> Outcome:
    """Set the template's keys: absent ones (when adding), and ones that still hold the
    value the previous answers gave them; a value the user chose stays."""
    name = ".vscode/settings.json"
    try:
        before = jsonc_loads(text)
        members, open_at, close_at, indent = _jsonc_scan(text)
    except (ValueError, JsoncError) as error:
        return Outcome(None, [f"{name} is not valid JSON ({error}): left as it is"])
    if not isinstance(before, dict):
        return Outcome(None, [f"{name} is not a JSON object: left as it is"])
    wanted = vscode_values(answers)
    old = vscode_values(previous) if previous is not None else {}
    if previous is not None:
        # Earlier releases pointed python.envFile at the env file itself.
        legacy = {"python.envFile": f"${{workspaceFolder}}/{previous.env_file}"}
        old = {**old, **{k: v for k, v in legacy.items() if before.get(k) == v}}
    expected = dict(before)
    replace: list[tuple[int, int, str]] = []
    spans = {key: (start, end) for key, start, end in members}
    kept = []
    for key, value in wanted.items():
        if key in before:
            if before[key] == value:
                continue
            if key in old and before[key] == old[key] and key in spans:
                start, end = spans[key]
                replace.append((start, end, json.dumps(value)))
                expected[key] = value
            elif previous is None:
                kept.append(key)
    missing = {k: v for k, v in wanted.items() if k not in before} if add else {}
    expected.update(missing)
    new_text = text
    for start, end, value_text in sorted(replace, reverse=True):
        new_text = new_text[:start] + value_text + new_text[end:]
    if missing:
        members, open_at, close_at, indent = _jsonc_scan(new_text)
        indent = indent or "  "
        newline = "\r\n" if "\r\n" in text else "\n"
        added = "".join(f",{newline}{indent}{json.dumps(k)}: {json.dumps(v)}"
                        for k, v in missing.items())
        if members:
            at = members[-1][2]
            if new_text[at:close_at].lstrip().startswith(","):
                at = new_text.index(",", at) + 1
                added = added[1:]
            new_text = new_text[:at] + added + new_text[at:]
        else:
            inner = new_text[open_at + 1:close_at]
            inner = inner.strip(" \t") if inner.strip() else ""
            new_text = new_text[:open_at + 1] + added[1:] + newline + inner + new_text[close_at:]
    notes = []
    if kept:
        notes.append(f"{name}: kept your own {', '.join(kept)}")
    if new_text == text:
        return Outcome(None, notes)
    try:
        after = jsonc_loads(new_text)
    except ValueError:
        after = None
    if after != expected:
        return Outcome(None, [f"{name}: cannot merge the template's keys without changing "
                              "the rest of the file: left as it is"])
    return Outcome(new_text, notes)


# --------------------------------------------------------------------------- #
# pyproject.toml
# --------------------------------------------------------------------------- #

PYPROJECT_WHAT = "read by scripts/bootstrap.py and the settings loader"
TOOL_TABLE: str = rules.TOOL_TABLE
TOOL_KEYS = (*rules.DEFAULT_LOCATIONS, "settings")


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but non-ASCII text stays as it is
    (JSON would write a character beyond U+FFFF as a surrogate pair, which TOML refuses)
    and DEL, which JSON leaves bare, is escaped."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


DEV_GROUP_LINES = (
    "# Development tools (PEP 735): scripts/bootstrap.py installs this group.",
    "[dependency-groups]",
    "dev = [",
    f"    {_toml_string(PYTEST_REQUIREMENT)},",
    "]",
)


def pyproject_block(answers: Answers) -> list[str]:
    # The answers file, when not copier's own: the commands `check` prints name it.
    answers_file = ([f"{rules.ANSWERS_FILE_KEY} = {_toml_string(answers.answers_file)}"]
                    if answers.answers_file != rules.ANSWERS_FILE else [])
    return [
        hash_begin(PYPROJECT_WHAT),
        f"[tool.{TOOL_TABLE}]",
        f"venv-dir = {_toml_string(answers.venv_dir)}",
        f"env-file = {_toml_string(answers.env_file)}",
        f"settings = {_toml_string(answers.settings_module)}",
        *answers_file,
        HASH_END,
    ]


#: Files that build a project with setuptools without pyproject.toml's [project].
SETUP_FILES = ("setup.cfg", "setup.py")


def pyproject_starter(answers: Answers, root: Path | None = None) -> str:
    """A new pyproject.toml: a whole project's (hatchling), or, where ``root`` holds a
    setup.py or setup.cfg, tool settings only, so that they keep building the project."""
    setup = [name for name in SETUP_FILES if root is not None and (root / name).is_file()]
    if setup:
        builds = ("setup.py and setup.cfg build this project and list" if len(setup) == 2
                  else f"{setup[0]} builds this project and lists")
        return Doc([
            f"# Tool settings only: {builds} its dependencies.",
            "# A [build-system] or [project] table here would take that over.",
            "",
            *DEV_GROUP_LINES,
            "",
            *pyproject_block(answers),
        ]).text()
    dist = checks.distribution_name(answers.project_name)
    lines = [
        "[build-system]",
        'requires = ["hatchling>=1.18"]',
        'build-backend = "hatchling.build"',
        "",
        "[project]",
        f"name = {_toml_string(dist)}",
        'version = "0.1.0"',
        f"description = {_toml_string(answers.project_name)}",
        'readme = "README.md"',
        f"requires-python = {_toml_string('>=' + answers.python_version)}",
        "dependencies = [",
        f"    {_toml_string(DOTENV_REQUIREMENT)},",
        "]",
        "",
        *DEV_GROUP_LINES,
        "",
        "[tool.hatch.build.targets.wheel]",
        f"packages = [{_toml_string(answers.package_dir)}]",
        "",
        "[tool.pytest.ini_options]",
        'testpaths = ["tests"]',
        'addopts = ["--import-mode=importlib"]',
        "",
        *pyproject_block(answers),
    ]
    return Doc(lines).text()


_HEADER_RE = re.compile(r"^[ \t]*\[(?!\[)(?P<name>[^\]]+)\][ \t]*(#.*)?$|^[ \t]*\[\[[^\]]+\]\][ \t]*(#.*)?$")


def _table_name(raw: str) -> tuple[str, ...]:
    parts, current, quote = [], "", None
    for char in raw:
        if quote:
            if char == quote:
                quote = None
            else:
                current += char
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return tuple(parts)


def _tables(lines: list[str]) -> list[tuple[tuple[str, ...] | None, int, int]]:
    """(table name or None for an array of tables, header line, end line exclusive)."""
    headers = []
    in_multiline: str | None = None
    for i, line in enumerate(lines):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_multiline = quote
        match = _HEADER_RE.match(line)
        if match:
            headers.append((_table_name(match["name"]) if match["name"] else None, i))
    return [(name, start, headers[k + 1][1] if k + 1 < len(headers) else len(lines))
            for k, (name, start) in enumerate(headers)]


def _scan_array(text: str, start: int) -> tuple[int, list[tuple[int, int]], int]:
    """For the array whose ``[`` is at ``start``: the offset of its ``]``, the spans of its
    top-level string items, and the offset of its last significant character."""
    i, depth, items, last = start, 0, [], start
    while i < len(text):
        char = text[i]
        if char == "#":
            i = text.find("\n", i)
            if i == -1:
                break
            continue
        if char in "\"'":
            triple = text.startswith(char * 3, i)
            quote = char * 3 if triple else char
            j = i + len(quote)
            while j < len(text) and not text.startswith(quote, j):
                j += 2 if (char == '"' and text[j] == "\\") else 1
            end = j + len(quote)
            if depth == 1:
                items.append((i, end))
            last = end - 1
            i = end
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i, items, last
        if not char.isspace():
            last = i
        i += 1
    raise ValueError("unterminated array")


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", match[1]).lower() if match else ""


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
                         r"[ \t]*=")
    return next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)


def _offset(lines: list[str], index: int) -> int:
    return sum(len(line) + 1 for line in lines[:index])


def _insert_item(text: str, open_at: int, item: str) -> str:
    close_at, items, last = _scan_array(text, open_at)
    literal = _toml_string(item)
    if "\n" in text[open_at:close_at]:
        line_start = text.rfind("\n", 0, close_at) + 1
        if text[line_start:close_at].strip() == "":
            if items:
                first_line_start = text.rfind("\n", 0, items[0][0]) + 1
                indent = text[first_line_start:items[0][0]]
                indent = indent if not indent.strip() else "    "
            else:
                indent = "    "
            comma = "" if text[last] in ",[" else ","
            head = text[:last + 1] + comma + text[last + 1:line_start]
            return head + f"{indent}{literal},\n" + text[line_start:]
    if text[last] == "[":
        return text[:last + 1] + literal + text[last + 1:]
    if text[last] == ",":
        return text[:last + 1] + " " + literal + text[last + 1:]
    return text[:last + 1] + ", " + literal + text[last + 1:]


def _array_in_table(text: str, table: tuple[str, ...], key: str) -> int | None:
    """The offset of the ``[`` of ``key = [...]`` in ``[table]``, or None."""
    lines = text.split("\n")
    for name, start, end in _tables(lines):
        if name == table:
            index = _key_line(lines, start, end, key)
            if index is None:
                return None
            offset = _offset(lines, index)
            bracket = text.find("[", text.index("=", offset))
            between = text[text.index("=", offset) + 1:bracket]
            return bracket if bracket != -1 and not between.strip() else None
    return None


def _add_key(text: str, table: tuple[str, ...], line: str) -> str | None:
    """``text`` with ``line`` added at the end of ``[table]``; None if there is no such table."""
    lines = text.split("\n")
    for name, start, end in _tables(lines):
        if name == table:
            at = end
            while at > start + 1 and (not lines[at - 1].strip()
                                      or lines[at - 1].lstrip().startswith("#")):
                at -= 1
            lines[at:at] = [line]
            return "\n".join(lines)
    return None


# --------------------------------------------------------------------------- #
# Dependencies: python-dotenv where the project lists its own, pytest where the
# bootstrap installs it
# --------------------------------------------------------------------------- #

_BOOTSTRAP: Any = None


def bootstrap_module() -> Any:
    """The generated projects' ``scripts/_bootstrap.py`` (this template's own file), loaded
    once: its ``installs()`` says what the bootstrap installs, for the bootstrap and for
    this module alike.

    That file imports its launcher, ``scripts/bootstrap.py`` beside it, as ``bootstrap``:
    the launcher is loaded by path and holds that name only while the other file loads
    (whatever had the name before gets it back), so nothing else sees it.
    """
    global _BOOTSTRAP
    if _BOOTSTRAP is None:
        scripts = TEMPLATE_DIR / "scripts"
        saved = sys.modules.get("bootstrap")
        try:
            sys.modules["bootstrap"] = _load_file("_venv_dotenv_bootstrap_launcher",
                                                  scripts / "bootstrap.py")
            _BOOTSTRAP = _load_file("_venv_dotenv_bootstrap", scripts / "_bootstrap.py")
        finally:
            if saved is None:
                sys.modules.pop("bootstrap", None)
            else:
                sys.modules["bootstrap"] = saved
    return _BOOTSTRAP


def dev_requirements(data: Mapping[str, Any]) -> tuple[list[str], str]:
    """What the bootstrap installs with the project (the requirements of its default
    dependency groups and of its dev and test extras), and the group to add a tool to
    (the first default group, else dev). ValueError, with the bootstrap's sentence, when
    the bootstrap would refuse this pyproject.toml."""
    boot = bootstrap_module()
    try:
        groups, extras, requirements, _tools, tool_requirements = boot.installs(dict(data))
    except boot.Stop as stop:
        raise ValueError(stop.message) from None
    project = data.get("project")
    optional = project.get("optional-dependencies") if isinstance(project, dict) else None
    for extra in extras:
        items = optional.get(extra) if isinstance(optional, dict) else None
        requirements += [r for r in items or [] if isinstance(r, str)]
    return requirements + tool_requirements, (groups[0] if groups else "dev")


def _checked(old: str, new: str, change: Callable[[dict[str, Any]], None]) -> bool:
    """Whether ``new`` parses and equals ``old`` parsed with ``change`` applied."""
    try:
        expected = tomllib.loads(old)
        change(expected)
        return tomllib.loads(new) == expected
    except (tomllib.TOMLDecodeError, ValueError, KeyError, TypeError):
        return False


#: Reads a file of the project by its path relative to the root: its text, or None.
Reader = Callable[[str], str | None]
NEEDS_DOTENV = "(the settings loader needs it)"


def _no_files(path: str) -> str | None:
    return None


def ensure_dependencies(text: str, read: Reader = _no_files) -> Outcome:
    """python-dotenv where the project lists its dependencies, pytest in what the
    bootstrap installs: added where missing, keeping each file's formatting; the
    template's own old range is updated.

    ``text`` is pyproject.toml. Where it does not list the dependencies itself (setup.py
    or setup.cfg build the project; [project] declares them ``dynamic``, read from a
    requirements file), ``read`` gives those files and ``Outcome.files`` holds the ones
    changed.
    """
    outcome = _runtime_dependency(text, read)
    text = outcome.text or text
    try:
        requirements, group = dev_requirements(tomllib.loads(text))
    except ValueError as error:
        outcome.notes.append(f"pyproject.toml: {error}")
        return Outcome(text, outcome.notes, outcome.files)
    if not any(_requirement_name(r) == "pytest" for r in requirements):
        requirement, why = PYTEST_REQUIREMENT, "no default group had it"
        if "pytest" in _poetry_group_names(tomllib.loads(text)):
            # Poetry 2 merges [dependency-groups] into its own groups: a second range
            # could contradict the one it has (^7.4 and >=8 cannot both hold).
            requirement, why = "pytest", "Poetry's groups have it, with their own range"
        added = _add_to_group(text, group, requirement)
        if added is not None:
            text = added
            outcome.notes.append(
                f'pyproject.toml: added "{requirement}" to the dependency group {group} '
                f"(the bootstrap installs the template's test runner from there; {why})")
        else:
            outcome.notes.append(
                f'pyproject.toml: cannot add "{requirement}" to the dependency group '
                f"{group} safely: add pytest to your development dependencies yourself")
    return Outcome(text, outcome.notes, outcome.files)


def _poetry_group_names(data: Mapping[str, Any]) -> set[str]:
    """The names in Poetry's development dependencies: every [tool.poetry.group.<name>]
    and the older [tool.poetry.dev-dependencies]."""
    poetry = _table(_table(data, "tool"), "poetry")
    tables = [_table(poetry, "dev-dependencies")]
    tables += [_table(group, "dependencies") for group in _table(poetry, "group").values()
               if isinstance(group, dict)]
    return {_requirement_name(name) for deps in tables for name in deps}


def _add_to_group(text: str, group: str, requirement: str) -> str | None:
    """``text`` with ``requirement`` in [dependency-groups] ``group``; None if that cannot
    be done safely."""
    data = tomllib.loads(text)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict) and isinstance(groups.get(group), list):
        bracket = _array_in_table(text, ("dependency-groups",), group)
        new = _insert_item(text, bracket, requirement) if bracket is not None else text
    elif isinstance(groups, dict) and group not in groups:
        new = _add_key(text, ("dependency-groups",),
                       f"{group} = [{_toml_string(requirement)}]") or text
    elif groups is None:
        lines = Doc.parse(text).lines
        table = ["[dependency-groups]", f"{group} = [{_toml_string(requirement)}]"]
        span = find_block(lines, HASH_BEGIN_RE, HASH_END_RE)
        if span is not None and all(not line.strip() for line in lines[span[1] + 1:]):
            lines[span[0]:span[0]] = [*table, ""]
        else:
            lines = append_block(lines, table)
        new = "\n".join(lines) + "\n"
    else:
        new = text

    def add(d: dict[str, Any]) -> None:
        d.setdefault("dependency-groups", {}).setdefault(group, []).append(requirement)

    return new if new != text and _checked(text, new, add) else None


def _runtime_dependency(text: str, read: Reader) -> Outcome:
    """python-dotenv in the project's dependencies, wherever it lists them."""
    data = tomllib.loads(text)
    project = data.get("project")
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry")
    if isinstance(project, dict):
        if "dependencies" in (project.get("dynamic") or []):
            return _dynamic_dependency(text, tool, read)
        return _project_dependency(text, project)
    if isinstance(poetry, dict) and isinstance(poetry.get("dependencies"), dict):
        return _poetry_dependency(text, poetry["dependencies"])
    if any(read(name) is not None for name in SETUP_FILES):
        return _setup_dependency(text, read)
    found = _requirements_file(["requirements.txt"], read, "the bootstrap installs it")
    if found is not None:
        return Outcome(text, found.notes, found.files)
    return Outcome(text, [f'pyproject.toml has no [project] table: add "{DOTENV_REQUIREMENT}" '
                          f"to your dependencies yourself {NEEDS_DOTENV}"])


def _admits_a_tested_dotenv(requirement: str) -> bool | None:
    """Whether ``requirement`` (the project's own python-dotenv entry) allows a release
    that DOTENV_REQUIREMENT allows; None when it does not parse (copier's packaging reads
    it)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        theirs = Requirement(requirement).specifier
        ours = Requirement(DOTENV_REQUIREMENT).specifier
    except InvalidRequirement:
        return None
    releases = [f"{major}.{minor}.{patch}" for major in range(1, 3) for minor in range(20)
                for patch in range(10)]
    return any(release in theirs for release in releases if release in ours)


def _project_dependency(text: str, project: dict[str, Any]) -> Outcome:
    """In [project] dependencies: added, or moved from a range the template wrote."""
    name = "pyproject.toml"
    deps = project.get("dependencies", [])
    ours = [d for d in deps if _requirement_name(d) == "python-dotenv"]
    if not ours:
        bracket = _array_in_table(text, ("project",), "dependencies")
        if bracket is not None:
            new = _insert_item(text, bracket, DOTENV_REQUIREMENT)
        elif "dependencies" not in project:
            new = _add_key(text, ("project",),
                           f"dependencies = [{_toml_string(DOTENV_REQUIREMENT)}]") or text
        else:
            new = text

        def add_dotenv(d: dict[str, Any]) -> None:
            d["project"].setdefault("dependencies", []).append(DOTENV_REQUIREMENT)

        if new != text and _checked(text, new, add_dotenv):
            return Outcome(new, [f'{name}: added "{DOTENV_REQUIREMENT}" to [project] '
                                 f"dependencies {NEEDS_DOTENV}"])
        return Outcome(text, [f'{name}: cannot add "{DOTENV_REQUIREMENT}" to [project] '
                              "dependencies safely: add it yourself"])
    if ours[0] == DOTENV_REQUIREMENT:
        return Outcome(text)
    if ours[0] not in DOTENV_RANGES:
        if _admits_a_tested_dotenv(ours[0]) is False:
            return Outcome(text, [f"{name}: {ours[0]!r} admits no python-dotenv release the "
                                  f"settings engine is tested with ({DOTENV_REQUIREMENT}): "
                                  "widen it, or the loader may not work"])
        return Outcome(text)
    bracket = _array_in_table(text, ("project",), "dependencies")
    if bracket is not None:
        _, items, _ = _scan_array(text, bracket)
        for start, end in items:
            if tomllib.loads(f"x = {text[start:end]}")["x"] == ours[0]:
                new = text[:start] + _toml_string(DOTENV_REQUIREMENT) + text[end:]

                def bump(d: dict[str, Any]) -> None:
                    deps = d["project"]["dependencies"]
                    deps[deps.index(ours[0])] = DOTENV_REQUIREMENT

                if _checked(text, new, bump):
                    return Outcome(new, [f"{name}: {ours[0]} is now {DOTENV_REQUIREMENT}"])
                break
    return Outcome(text)


def _poetry_dependency(text: str, deps: dict[str, Any]) -> Outcome:
    """In Poetry's [tool.poetry.dependencies] (a project without [project]), in its
    syntax: ``python-dotenv = ">=1.0.0,<1.3"``."""
    if any(_requirement_name(str(key)) == "python-dotenv" for key in deps):
        return Outcome(text)
    spec = DOTENV_REQUIREMENT[len("python-dotenv"):]
    line = f"python-dotenv = {_toml_string(spec)}"
    new = _add_key(text, ("tool", "poetry", "dependencies"), line)

    def add(d: dict[str, Any]) -> None:
        d["tool"]["poetry"]["dependencies"]["python-dotenv"] = spec

    if new is not None and _checked(text, new, add):
        return Outcome(new, [f"pyproject.toml: added {line} to [tool.poetry.dependencies] "
                             f"{NEEDS_DOTENV}"])
    return Outcome(text, [f"pyproject.toml: cannot add python-dotenv to Poetry's dependencies "
                          f"safely: add {line} to [tool.poetry.dependencies] yourself"])


def _inside(path: Any) -> str | None:
    """``path`` as a relative path inside the project, or None."""
    if not isinstance(path, str) or not path.strip():
        return None
    parts = PurePosixPath(path.strip().replace("\\", "/"))
    return None if parts.is_absolute() or ".." in parts.parts else parts.as_posix()


def _requirements_file(names: list[str], read: Reader, why: str) -> Outcome | None:
    """python-dotenv in the first of the requirements files ``names`` (one line at the
    end); nothing when one of them has it; None when the first cannot be read."""
    texts = {name: read(name) for name in names}
    for body in texts.values():
        if body is not None and any(_requirement_name(line) == "python-dotenv"
                                    for line in body.splitlines()):
            return Outcome(None)
    first, body = names[0], texts[names[0]]
    if body is None:
        return None
    newline = "\r\n" if "\r\n" in body else "\n"
    new = body + ("" if not body or body.endswith("\n") else newline)
    return Outcome(None, [f'{first}: added "{DOTENV_REQUIREMENT}" {NEEDS_DOTENV}; {why}'],
                   {first: new + DOTENV_REQUIREMENT + newline})


def _dynamic_dependency(text: str, tool: dict[str, Any], read: Reader) -> Outcome:
    """[project] dynamic dependencies, read by setuptools from requirements files."""
    setuptools = tool.get("setuptools") if isinstance(tool.get("setuptools"), dict) else {}
    dynamic = setuptools.get("dynamic") if isinstance(setuptools.get("dynamic"), dict) else {}
    spec = dynamic.get("dependencies")
    files = spec.get("file") if isinstance(spec, dict) else None
    names = [_inside(name) for name in ([files] if isinstance(files, str) else files or [])]
    if names and all(names):
        found = _requirements_file([name for name in names if name],
                                   read, "pyproject.toml reads the dependencies from it")
        if found is not None:
            return Outcome(text, found.notes, found.files)
    return Outcome(text, [f'pyproject.toml declares its dependencies as dynamic: add '
                          f'"{DOTENV_REQUIREMENT}" where they are listed {NEEDS_DOTENV}'])


# setup.cfg and setup.py (setuptools without [project]) ---------------------------------

_CFG_SECTION_RE = re.compile(r"^\[(?P<name>[^\]]+)\][ \t]*$")
_CFG_REQUIRES_RE = re.compile(r"^install_requires[ \t]*[=:]", re.IGNORECASE)


def _cfg_parse(text: str) -> Any:
    import configparser

    parser = configparser.RawConfigParser(strict=False)
    parser.read_string(text)
    return parser


def _cfg_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def _cfg_requires(text: str) -> str | None:
    """setup.cfg's [options] install_requires (None: not there). ValueError: unreadable."""
    import configparser

    try:
        parser = _cfg_parse(text)
    except configparser.Error as error:
        raise ValueError(_first_line(error)) from None
    if not parser.has_option("options", "install_requires"):
        return None
    return str(parser.get("options", "install_requires"))


def _cfg_with_requirement(text: str, requirement: str) -> str | None:
    """setup.cfg with ``requirement`` in [options] install_requires (the key and the
    section made where missing), checked by parsing it again; None if that fails."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    sections = [(i, m["name"].strip()) for i, line in enumerate(lines)
                if (m := _CFG_SECTION_RE.match(line))]
    start = next((i for i, name in sections if name == "options"), None)
    if start is None:
        lines = append_block(lines[:-1] if lines[-1] == "" else lines,
                             ["[options]", "install_requires =", f"    {requirement}"]) + [""]
    else:
        end = next((i for i, _ in sections if i > start), len(lines))
        key = next((i for i in range(start + 1, end) if _CFG_REQUIRES_RE.match(lines[i])), None)
        if key is None:
            at = end
            while at > start + 1 and not lines[at - 1].strip():
                at -= 1
            lines[at:at] = ["install_requires =", f"    {requirement}"]
        else:
            last, indent = key, "    "
            for i in range(key + 1, end):
                if lines[i].strip() and not lines[i][:1].isspace():
                    break
                if lines[i].strip():
                    if last == key:
                        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
                    last = i
            lines[last + 1:last + 1] = [f"{indent}{requirement}"]
    new = newline.join(lines)
    try:
        before, after = _cfg_parse(text), _cfg_parse(new)
    except Exception:  # noqa: BLE001 - any doubt: leave the file as it is
        return None

    def content(parser: Any) -> dict[str, dict[str, str]]:
        return {section: dict(parser.items(section)) for section in parser.sections()}

    want = content(before)
    old = want.setdefault("options", {}).get("install_requires")
    got = content(after)
    wanted_lines = [*(_cfg_lines(old) if old is not None else []), requirement]
    if _cfg_lines(got.get("options", {}).pop("install_requires", "")) != wanted_lines:
        return None
    want["options"].pop("install_requires", None)
    return new if got == want else None


def _setup_call(text: str) -> Any:
    """The one ``setup(...)`` call of a setup.py; None when there is none, several, or
    the file does not parse."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and ((isinstance(node.func, ast.Name) and node.func.id == "setup")
                  or (isinstance(node.func, ast.Attribute) and node.func.attr == "setup"))]
    return calls[0] if len(calls) == 1 else None


def _setup_py_requires(text: str) -> list[str] | str:
    """setup.py's install_requires: its strings when it is a literal list, else "absent"
    (no such argument), "unread" (no single setup() call, or a file that does not parse)
    or "computed" (any other value, or ``setup(**options)``)."""
    import ast

    call = _setup_call(text)
    if call is None:
        return "unread"
    if any(keyword.arg is None for keyword in call.keywords):
        return "computed"
    value = next((k.value for k in call.keywords if k.arg == "install_requires"), None)
    if value is None:
        return "absent"
    if isinstance(value, ast.List) and all(isinstance(item, ast.Constant)
                                           and isinstance(item.value, str)
                                           for item in value.elts):
        return [item.value for item in value.elts]
    return "computed"


def _setup_py_with_requirement(text: str, requirement: str) -> str | None:
    """setup.py with ``requirement`` at the end of its literal install_requires list,
    checked by parsing it again; None if that cannot be done."""
    import ast

    before = _setup_py_requires(text)
    if not isinstance(before, list):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    text_lf = text.replace("\r\n", "\n")
    call = _setup_call(text_lf)
    value = next(k.value for k in call.keywords if k.arg == "install_requires")
    lines = text_lf.split("\n")
    column = len(lines[value.lineno - 1].encode()[:value.col_offset].decode())
    try:
        new = _insert_item(text_lf, _offset(lines, value.lineno - 1) + column, requirement)
        if _setup_py_requires(new) != [*before, requirement]:
            return None
        ast.parse(new)
    except (ValueError, SyntaxError):
        return None
    return new.replace("\n", newline)


def _setup_dependency(text: str, read: Reader) -> Outcome:
    """python-dotenv in setup.cfg's [options] install_requires or setup.py's literal
    install_requires list, whichever the project uses; a sentence where neither can be
    changed safely."""
    cfg, py = read("setup.cfg"), read("setup.py")
    try:
        cfg_value = _cfg_requires(cfg) if cfg is not None else None
    except ValueError as error:
        return Outcome(text, [f"setup.cfg cannot be read ({error}): add "
                              f'"{DOTENV_REQUIREMENT}" to install_requires yourself '
                              f"{NEEDS_DOTENV}"])
    py_value = _setup_py_requires(py) if py is not None else "absent"
    listed = [*(_cfg_lines(cfg_value) if cfg_value is not None else []),
              *(py_value if isinstance(py_value, list) else [])]
    if any(_requirement_name(item) == "python-dotenv" for item in listed):
        return Outcome(text)
    # What setup.py passes to setup() wins over setup.cfg.
    if isinstance(py_value, list):
        new = _setup_py_with_requirement(py or "", DOTENV_REQUIREMENT)
        if new is not None:
            return Outcome(text, [f'setup.py: added "{DOTENV_REQUIREMENT}" to install_requires '
                                  f"{NEEDS_DOTENV}"], {"setup.py": new})
    elif py_value == "absent" and cfg_value is not None and cfg_value.strip().startswith("file:"):
        names = [_inside(name) for name in cfg_value.strip()[len("file:"):].split(",")]
        found = (_requirements_file([name for name in names if name], read,
                                    "setup.cfg reads install_requires from it")
                 if names and all(names) else None)
        if found is not None:
            return Outcome(text, found.notes, found.files)
    elif py_value == "absent" and cfg is not None:
        new = _cfg_with_requirement(cfg, DOTENV_REQUIREMENT)
        if new is not None:
            return Outcome(text, [f'setup.cfg: added "{DOTENV_REQUIREMENT}" to [options] '
                                  f"install_requires {NEEDS_DOTENV}"], {"setup.cfg": new})
    if py_value == "computed":
        advice = f'setup.py computes install_requires: add "{DOTENV_REQUIREMENT}" to it yourself'
    elif py_value == "unread":
        advice = (f'setup.py has no one setup() call that can be read: add "{DOTENV_REQUIREMENT}" '
                  "to its install_requires yourself")
    elif py_value == "absent" and cfg is None:
        advice = (f'setup.py has no install_requires: add install_requires=["{DOTENV_REQUIREMENT}"] '
                  "to its setup() call yourself")
    else:
        where = "setup.py" if isinstance(py_value, list) else "setup.cfg"
        advice = (f'{where}: cannot add "{DOTENV_REQUIREMENT}" to install_requires safely: add '
                  "it yourself")
    return Outcome(text, [f"{advice} {NEEDS_DOTENV}"])


def _listed_packages(data: Mapping[str, Any], read: Reader) -> tuple[str, list[str]] | None:
    """The file and the packages it lists one by one for setuptools (pyproject.toml's
    [tool.setuptools] packages, setup.cfg's [options] packages, setup.py's literal
    packages=[...]); None where the packages are found (find:, find_packages(), other
    backends, which take a package's subpackages with it)."""
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    setuptools = tool.get("setuptools") if isinstance(tool.get("setuptools"), dict) else {}
    listed = setuptools.get("packages")
    if isinstance(listed, list):
        return "pyproject.toml", [str(item) for item in listed]
    cfg = read("setup.cfg")
    try:
        value = _cfg_parse(cfg).get("options", "packages", fallback=None) if cfg else None
    except Exception:  # noqa: BLE001 - a setup.cfg that does not parse says so elsewhere
        value = None
    if isinstance(value, str) and not value.strip().startswith("find"):
        return "setup.cfg", [item for line in _cfg_lines(value) for item in
                             (part.strip() for part in line.split(",")) if item]
    source = read("setup.py")
    if source is None:
        return None
    import ast

    call = _setup_call(source)
    value = next((k.value for k in call.keywords if k.arg == "packages"), None) if call else None
    if isinstance(value, ast.List) and all(isinstance(item, ast.Constant)
                                           and isinstance(item.value, str) for item in value.elts):
        return "setup.py", [item.value for item in value.elts]
    return None


def packages_note(data: Mapping[str, Any], read: Reader, package: str,
                  package_dir: str = "") -> str | None:
    """A sentence when the build is told which packages to take and the settings' package
    (or, for setuptools' list, its engine subpackage) is not among them: the editable
    install or a built wheel would lack it."""
    found = _listed_packages(data, read)
    engine = f"{package}._settings"
    if found is not None:
        if engine in found[1]:
            return None
        missing = engine if package in found[1] else f"{package} and {engine}"
        return (f"{found[0]} lists the packages setuptools installs and not {missing}: add "
                f"{'it' if package in found[1] else 'them'}, or a wheel built from the "
                "project will lack the settings engine")
    tool = _table(data, "tool")
    include = _table(_table(_table(tool, "setuptools"), "packages"), "find").get("include")
    if isinstance(include, list) and not any(
            isinstance(pattern, str) and fnmatch.fnmatchcase(package, pattern)
            for pattern in include):
        return (f"pyproject.toml: [tool.setuptools.packages.find] include matches no "
                f'{package!r}: add "{package}*", or the project installs without its settings')
    wheel = _table(_table(_table(_table(tool, "hatch"), "build"), "targets"), "wheel")
    listed = wheel.get("packages")
    if isinstance(listed, list) and not any(
            isinstance(path, str) and path.strip("/").rpartition("/")[2] == package
            for path in listed):
        where = package_dir or package
        return (f"pyproject.toml: [tool.hatch.build.targets.wheel] packages lists no "
                f'{where}: add "{where}", or a wheel built from the project will lack its '
                "settings")
    return None


def _unmarked_tool_table(lines: list[str]) -> tuple[int, int] | None:
    """The lines of an unmarked [tool.copier-venv-dotenv] table holding only the template's
    keys, with the comment lines right above it: (first, last) indices, or None."""
    for name, start, end in _tables(lines):
        if name != ("tool", TOOL_TABLE):
            continue
        body = [line for line in lines[start + 1:end]
                if line.strip() and not line.lstrip().startswith("#")]
        keys = [re.split(r"\s*=", line.strip(), maxsplit=1)[0].strip("\"' ") for line in body]
        if not all(key in TOOL_KEYS for key in keys):
            return None
        last = end - 1
        while last > start and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
            last -= 1
        first = start
        while first > 0 and lines[first - 1].lstrip().startswith("#"):
            first -= 1
        return first, last
    return None


# --------------------------------------------------------------------------- #
# requires-python: never below the Python the settings engine needs
# --------------------------------------------------------------------------- #

# A clause that sets a lower bound: ``>=3.9``, ``>3.9``, ``~=3.9``, with its spacing.
SUPPORTED_MINIMUM = checks.SUPPORTED_PYTHONS[0]
_LOWER_CLAUSE_RE = re.compile(r"^(\s*)(>=|~=|>)(\s*)3\.(\d+)((?:\.\d+)*)(\s*)$")


def raise_requires_python(text: str, minimum: str, read: Reader = _no_files) -> Outcome:
    """``text`` (pyproject.toml) with the lower bound of [project] requires-python raised
    to ``minimum`` (the python_version answer, never below the engine's 3.11) where it is
    lower: every other clause and the line's formatting stay. Where the bound cannot be
    raised by editing one clause (``==3.9.*``, ``~=3.9.1``, Poetry's ``^3.9``), the note
    says what to change, naming the value. Without either, setuptools' python_requires
    (``read`` gives setup.py and setup.cfg) gets a sentence: ``setup_python_note``."""
    data = tomllib.loads(text)
    project, _, poetry_deps = _project_tables(data)
    wanted = tuple(int(part) for part in minimum.split("."))
    why = _why_minimum(minimum)
    spec = project.get("requires-python")
    if not isinstance(spec, str):
        other = poetry_deps.get("python")
        bound = _lower_bound(other) if isinstance(other, str) else None
        if bound is not None and bound < wanted:
            return Outcome(None, [f"pyproject.toml: [tool.poetry.dependencies] python = "
                                  f"{other!r} allows Pythons older than {minimum}: {why}; "
                                  f"raise its lower bound to {minimum} yourself"])
        if other is None and not project:
            return Outcome(None, setup_python_note(read, minimum))
        return Outcome(None)
    bound = _lower_bound(spec)
    if bound is not None and bound >= wanted:
        return Outcome(None)
    clauses = spec.split(",")
    changed, stuck = False, False
    for index, clause in enumerate(clauses):
        match = _LOWER_CLAUSE_RE.match(clause)
        if match is None or (3, int(match[4])) >= wanted:
            stuck = stuck or clause.strip().startswith("==")  # ==3.9.* pins an old Python
            continue
        # ~=3.9.1 pins 3.9.*: no one-clause edit keeps its meaning.
        stuck = stuck or bool(match[2] == "~=" and match[5])
        op = "~=" if match[2] == "~=" else ">="
        clauses[index] = f"{match[1]}{op}{match[3]}{minimum}{match[6]}"
        changed = True
    if bound is None and not stuck:
        # Only upper bounds or exclusions (or nothing): the lower bound goes first.
        clauses = [f">={minimum}"] + ([", " + ",".join(clauses).lstrip()] if spec.strip() else [])
        changed = True
    new_spec = "".join(clauses) if bound is None else ",".join(clauses)
    if changed and not stuck and not _admits(new_spec, minimum):
        # An upper bound below the engine's Python (``>=3.8,<3.11``): no lower bound helps.
        return Outcome(None, [f"pyproject.toml: requires-python {spec!r} does not allow "
                              f"Python {minimum}: {why}; change it yourself"])
    new = (_replace_string_value(text, ("project",), "requires-python", spec, new_spec)
           if changed and not stuck else None)

    def change(d: dict[str, Any]) -> None:
        d["project"]["requires-python"] = new_spec

    if new is None or not _checked(text, new, change):
        return Outcome(None, [f"pyproject.toml: requires-python {spec!r} allows Pythons older "
                              f"than {minimum}: {why}; change it to require >={minimum} "
                              "yourself"])
    said = f"pyproject.toml: requires-python raised from {spec!r} to {new_spec!r}: {why}"
    stale = _stale_classifiers(project, wanted) + _stale_tool_targets(data, wanted)
    return Outcome(new, [said + stale + "; a CI matrix may still test older ones"])


def _stale_tool_targets(data: Mapping[str, Any], wanted: tuple[int, ...]) -> str:
    """The end of the sentence naming ruff's target-version and mypy's python_version
    when they name a Python older than ``wanted`` (type checks of the engine then fail)."""
    tool = _table(data, "tool")
    found = []
    ruff = _table(tool, "ruff").get("target-version")
    if isinstance(ruff, str) and re.fullmatch(r"py3\d+", ruff) and (3, int(ruff[3:])) < wanted:
        found.append(f"[tool.ruff] target-version {ruff!r}")
    mypy = _table(tool, "mypy").get("python_version")
    if isinstance(mypy, str) and re.fullmatch(r"3\.\d+", mypy) and (
            3, int(mypy[2:])) < wanted:
        found.append(f"[tool.mypy] python_version {mypy!r}")
    if not found:
        return ""
    one = len(found) == 1
    return (f"; {' and '.join(found)} {'names' if one else 'name'} an older Python: raise "
            f"{'it' if one else 'them'}")


def _stale_classifiers(project: Mapping[str, Any], wanted: tuple[int, ...]) -> str:
    """The end of the sentence naming [project] classifiers for Pythons older than
    ``wanted`` (never edited: they are the project's list)."""
    classifiers = project.get("classifiers")
    prefix = "Programming Language :: Python :: 3."
    old = [c for c in classifiers if isinstance(c, str) and c.startswith(prefix)
           and c[len(prefix):].isdigit() and (3, int(c[len(prefix):])) < wanted
           ] if isinstance(classifiers, list) else []
    if not old:
        return ""
    versions = ", ".join(c.rpartition(" :: ")[2] for c in old)
    return f"; its classifiers still name Python {versions}: remove them"


def _why_minimum(minimum: str) -> str:
    return (f"the settings engine needs Python {SUPPORTED_MINIMUM} or newer and python_version "
            f"is {minimum}")


_COMPUTED = "computed"


def _setuptools_python(read: Reader) -> tuple[str, str] | None:
    """setuptools' python_requires and the file that sets it: setup.py's argument (which
    wins; "computed" when it is no literal string), else setup.cfg's [options]; None when
    neither sets it."""
    import ast

    py = read("setup.py")
    if py is not None:
        call = _setup_call(py)
        value = (next((k.value for k in call.keywords if k.arg == "python_requires"), None)
                 if call is not None else None)
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
            return "setup.py", value.value if literal else _COMPUTED
    cfg = read("setup.cfg")
    if cfg is not None:
        try:
            spec = _cfg_parse(cfg).get("options", "python_requires", fallback=None)
        except Exception:  # noqa: BLE001 - a setup.cfg that does not parse says so elsewhere
            spec = None
        if isinstance(spec, str):
            return "setup.cfg", spec
    return None


def setup_python_note(read: Reader, minimum: str) -> list[str]:
    """A sentence when setuptools' python_requires allows a Python older than
    ``minimum``, or shuts it out: pip would install the project where the engine cannot
    run (for a project without [project] or Poetry's python). The file is left as it is;
    a bound above ``minimum`` is the project's own choice, as in pyproject.toml."""
    found = _setuptools_python(read)
    if found is None:
        return []
    where, spec = found
    why = _why_minimum(minimum)
    if spec == _COMPUTED:
        return [f"{where}: python_requires is computed: make sure it requires Python "
                f">={minimum} ({why})"]
    bound = _lower_bound(spec)
    wanted = tuple(int(part) for part in minimum.split("."))
    if bound is not None and bound >= wanted:
        return []
    if not _admits(spec, minimum):
        return [f"{where}: python_requires {spec!r} does not allow Python {minimum} (or is no "
                f"version specifier): {why}; change it yourself"]
    return [f"{where}: python_requires {spec!r} allows Pythons older than {minimum}: {why}; "
            f"change it to require >={minimum} yourself"]


def _admits(spec: str, version: str) -> bool:
    """Whether the requires-python ``spec`` allows Python ``version``."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # copier's dependency

    try:
        return SpecifierSet(spec).contains(version, prereleases=True)
    except InvalidSpecifier:
        return False


def _replace_string_value(text: str, table: tuple[str, ...], key: str, old: str,
                          new: str) -> str | None:
    """``text`` with the one-line string value ``old`` of ``key`` in ``[table]`` replaced
    by ``new`` in the same quotes; None if the line is not that simple."""
    lines = text.split("\n")
    for name, start, end in _tables(lines):
        if name != table:
            continue
        index = _key_line(lines, start, end, key)
        if index is None:
            return None
        line = lines[index]
        head, _, value = line.partition("=")
        for quote in ('"', "'"):
            literal = f"{quote}{old}{quote}"
            if value.lstrip().startswith(literal) and "\\" not in old and quote not in new:
                lines[index] = head + "=" + value.replace(literal, f"{quote}{new}{quote}", 1)
                return "\n".join(lines)
        return None
    return None


def merge_pyproject(text: str, answers: Answers, add: bool, read: Reader = _no_files) -> Outcome:
    name = "pyproject.toml"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if text.startswith("\ufeff"):  # TOML, and so pip, refuse it
            return Outcome(None, [f"{name} starts with a byte order mark (U+FEFF), which "
                                  "TOML does not allow: save it as UTF-8 without one, then "
                                  f"run {answers.update_command('restore_blocks=true')}"])
        return Outcome(None, [f"{name} is not valid TOML ({error}): left as it is"])
    newline = "\r\n" if "\r\n" in text else "\n"
    text_lf = text.replace("\r\n", "\n")
    doc = Doc.parse(text_lf)
    notes: list[str] = []
    span = find_block(doc.lines, HASH_BEGIN_RE, HASH_END_RE)
    block = pyproject_block(answers)
    if span is not None:
        doc.lines[span[0]:span[1] + 1] = block
    else:
        data = tomllib.loads(text_lf)
        has_table = TOOL_TABLE in (data.get("tool") or {})
        unmarked = _unmarked_tool_table(doc.lines) if has_table else None
        if unmarked is not None:
            doc.lines[unmarked[0]:unmarked[1] + 1] = block
        elif has_table:
            notes.append(f"{name}: [tool.{TOOL_TABLE}] has keys of yours; the template leaves it as "
                         f"it is (its keys: {', '.join(TOOL_KEYS)})")
        elif add:
            doc.append(block)
    new = doc.text()
    try:
        tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        # E.g. `tool = {...}` as an inline table: a [tool.x] header would redefine it.
        notes.append(f"{name}: cannot add [tool.{TOOL_TABLE}] safely; add it by hand:\n  "
                     + "\n  ".join(block[1:-1]))
        new = text_lf
    raised = raise_requires_python(new, answers.python_version, read)
    new = raised.text or new
    notes += raised.notes
    deps = ensure_dependencies(new, read)
    notes += deps.notes
    note = packages_note(tomllib.loads(deps.text or new), read, answers.package_name,
                         answers.package_dir)
    notes += [note] if note else []
    new = deps.text or new
    new = new.replace("\n", newline) if newline != "\n" else new
    return Outcome(new if new != text else None, notes, deps.files)


# --------------------------------------------------------------------------- #
# One entry point per shared file
# --------------------------------------------------------------------------- #

STARTERS: dict[str, Callable[[Answers], str]] = {
    ".gitignore": gitignore_starter,
    "README.md": readme_starter,
    "pyproject.toml": pyproject_starter,
    ".env.example": env_example_starter,
    ".vscode/settings.json": vscode_starter,
    ".pre-commit-config.yaml": pre_commit_starter,
    ".envrc": envrc_starter,
}


def starter(path: str, answers: Answers, root: Path | None = None) -> str:
    """The file the template writes at ``path`` where the project has none; ``root``,
    the project's folder, decides which pyproject.toml (see pyproject_starter)."""
    if path == "pyproject.toml":
        return pyproject_starter(answers, root)
    return STARTERS[path](answers)


def merge(path: str, text: str, answers: Answers, *, add: bool,
          previous: Answers | None = None, read: Reader = _no_files) -> Outcome:
    """Merge the template's block (keys, dependencies) for ``path`` into ``text``.

    ``add``: add the block where the file has none (copy into an existing file, or a
    restore); otherwise only a block that is there is refreshed. Files with conflict
    markers and files whose markers are broken are left alone, with a sentence.
    ``read`` gives other files of the project, for the dependencies of pyproject.toml
    (see ensure_dependencies).
    """
    if CONFLICT_RE.search(text):
        return Outcome(None, [f"{path} has conflict markers: resolve them, then run "
                              f"`{answers.update_command()}` again"])
    try:
        if path == ".gitignore":
            return merge_gitignore(text, answers, add, previous)
        if path == "README.md":
            return merge_readme(text, answers, add, previous)
        if path == "pyproject.toml":
            return merge_pyproject(text, answers, add, read)
        if path == ".env.example":
            return merge_env_example(text, answers, add, previous)
        if path == ".vscode/settings.json":
            return merge_vscode(text, answers, add, previous)
        if path == ".pre-commit-config.yaml":
            return merge_pre_commit(text, answers, add)
        if path == ".envrc":
            return merge_envrc(text, answers, add)
    except BlockError as error:
        return Outcome(None, [f"{path} has {error} of copier-venv-dotenv: fix the markers, "
                              f"then run `{answers.update_command()}` again"])
    raise KeyError(path)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# --------------------------------------------------------------------------- #
# Defaults from the project that is there
# --------------------------------------------------------------------------- #


def _read_pyproject(dst: Any) -> dict[str, Any]:
    try:
        return tomllib.loads((Path(str(dst)) / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _project_tables(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any],
                                                       dict[str, Any]]:
    """pyproject.toml's [project], [tool.poetry] and [tool.poetry.dependencies] ({} where
    absent or not a table)."""
    poetry = _table(_table(data, "tool"), "poetry")
    return _table(data, "project"), poetry, _table(poetry, "dependencies")


def _table(parent: Mapping[str, Any], key: str) -> dict[str, Any]:
    """``parent[key]`` when it is a table, else {}."""
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _declared(dst: Any) -> tuple[list[Any], list[Any]]:
    """The names and the Python requirements the destination declares, most standard
    first: pyproject.toml's [project], Poetry's [tool.poetry], setup.cfg's [metadata]
    name, and setuptools' python_requires (setup.py's, else setup.cfg's)."""
    project, poetry, poetry_deps = _project_tables(_read_pyproject(dst))
    names = [project.get("name"), poetry.get("name")]
    pythons = [project.get("requires-python"), poetry_deps.get("python")]
    try:
        cfg = _cfg_parse((Path(str(dst)) / "setup.cfg").read_text(encoding="utf-8"))
        names.append(cfg.get("metadata", "name", fallback=None))
    except Exception:  # noqa: BLE001 - no setup.cfg, or one that does not parse
        pass
    setuptools = _setuptools_python(file_reader(Path(str(dst))))
    pythons.append(setuptools[1] if setuptools else None)
    return names, pythons


def file_reader(root: Path) -> Reader:
    """Reads a file of the project by its relative path: its text, line ends as written,
    or None (missing, outside the project, or not UTF-8)."""
    def read_file(relative: str) -> str | None:
        path = (root / relative).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            return None
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError):
            return None

    return read_file


def existing_project_name(dst: Any) -> str:
    """The name the destination declares (see _declared), if it makes a valid answer."""
    for name in _declared(dst)[0]:
        if isinstance(name, str) and name.strip() and not checks.check_project_name(name):
            return name
    return ""


def _packages_in(folder: Path) -> list[str]:
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return []
    return [child.name for child in children
            if (child / "__init__.py").is_file() and checks.PACKAGE_NAME_RE.match(child.name)
            and child.name not in checks.PROJECT_FOLDERS]


def _choose_package(found: list[str], project_name: str) -> str:
    wanted = checks.distribution_name(project_name or "").replace("-", "_")
    if wanted in found:
        return wanted
    return found[0] if len(found) == 1 else ""


def existing_package_name(dst: Any, project_name: Any = "") -> str:
    """The import package of the destination: under src/ first, then at the top level."""
    root = Path(str(dst))
    for folder in (root / "src", root):
        name = _choose_package(_packages_in(folder), str(project_name or ""))
        if name and not checks.check_package_name(name):
            return name
    return ""


def package_dirs(package_name: Any) -> tuple[str, str]:
    """The two folders the package may be in: (src layout, flat layout)."""
    return f"src/{package_name}", str(package_name)


def existing_package_dir(dst: Any, package_name: Any) -> str:
    """The folder of ``package_name``: the destination's own when it keeps the package
    at the top level (a flat layout), else src/<package_name> (new projects too)."""
    src, flat = package_dirs(package_name)
    root = Path(str(dst))
    if (root / flat / "__init__.py").is_file() and not (root / src).exists():
        return flat
    return src


def package_dir_error(package_dir: Any, package_name: Any) -> str:
    """Why ``package_dir`` cannot be the folder of ``package_name`` ("" if it can)."""
    folder, package = str(package_dir), str(package_name)
    src, flat = package_dirs(package)
    if folder in (src, flat):
        return ""
    return (f"package_dir {folder!r} is not a folder of the package {package!r}: answer "
            f"{src} (a src layout) or {flat} (a flat layout, the package at the top level)")


def _lower_bound(specifier: str) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for clause in specifier.split(","):
        match = re.match(r"\s*(>=|~=|==|>|===|\^|~)\s*(\d+)\.(\d+)", clause)
        if match and match[2] == "3":
            version = (3, int(match[3]))
            best = version if best is None or version > best else best
    return best


def existing_python_version(dst: Any) -> str:
    """The lower bound of the Python the destination requires (requires-python, Poetry's
    ``python = "^3.9"``, setup.cfg's python_requires), moved into the supported range
    ("" if none)."""
    bounds = [_lower_bound(spec) for spec in _declared(dst)[1] if isinstance(spec, str)]
    bound = next((found for found in bounds if found is not None), None)
    if bound is None:
        return ""
    supported = [tuple(int(p) for p in v.split(".")) for v in checks.SUPPORTED_PYTHONS]
    chosen = min(max(bound, supported[0]), supported[-1])
    return f"{chosen[0]}.{chosen[1]}"


# --------------------------------------------------------------------------- #
# Pre-flight: refuse a copy that would replace a file the template does not own
# --------------------------------------------------------------------------- #

def _conf(conf: Any, key: str) -> Any:
    try:
        return conf[key]
    except (KeyError, TypeError):
        return getattr(conf, key, None)


def _answers_file_state(dst: Path, answers_file: str) -> str:
    """"ours", "theirs" (another template's answers) or "none"."""
    path = dst / answers_file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "none" if not path.exists() else "theirs"
    return "ours" if rules.holds_our_answers(text) else "theirs"


def readme_is_description(root: Path) -> bool:
    """Whether the project's README.md is its package's description on PyPI, as its
    build reads it: ``[project] readme`` (or, when dynamic, setuptools'
    ``[tool.setuptools.dynamic] readme``), Poetry's and flit's own keys, hatch's
    fancy-pypi-readme fragments, setup.cfg's ``long_description = file:``, or a setup.py
    that reads README.md into ``long_description``. The template's developer notes do not
    belong on that page."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    tool = _table(data, "tool")
    named: list[Any] = [_table(data, "project").get("readme"),
                        _table(_table(tool, "setuptools"), "dynamic").get("readme"),
                        _table(tool, "poetry").get("readme"),
                        _table(_table(tool, "flit"), "metadata").get("description-file")]
    hooks = _table(_table(_table(tool, "hatch"), "metadata"), "hooks")
    fragments = _table(hooks, "fancy-pypi-readme").get("fragments")
    named += fragments if isinstance(fragments, list) else []
    files: list[Any] = []
    for entry in named:  # "README.md", {file = "README.md"}, {file = [...]}, {path = ...}
        if isinstance(entry, dict):
            entry = entry.get("file", entry.get("path"))
        files += entry if isinstance(entry, list) else [entry]
    import configparser

    setup = configparser.ConfigParser(interpolation=None)
    try:
        setup.read(root / "setup.cfg", encoding="utf-8")
        described = setup.get("metadata", "long_description", fallback="").strip()
    except (configparser.Error, UnicodeDecodeError):
        described = ""
    if described.startswith("file:"):
        files += described[5:].split(",")
    try:
        script = (root / "setup.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        script = ""
    if "long_description" in script and "README.md" in script:
        files.append("README.md")
    return any(isinstance(name, str) and name.strip() in ("README.md", "./README.md")
               for name in files)


def link_out_of(root: Path, relative: Path | str) -> tuple[str, str] | None:
    """The first folder or file on the way from ``root`` to ``relative`` that is a
    symbolic link leading out of ``root``, as (its path in ``root``, where it leads);
    None when there is none: writing there stays inside the project."""
    inside = os.path.realpath(root)
    current = Path(root)
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            target = os.path.realpath(current)
            if target != inside and not target.startswith(inside.rstrip(os.sep) + os.sep):
                return str(current.relative_to(root)), target
        elif not current.exists():
            return None
    return None


def adoption_error(conf: Any, stage: str, value: Any = None) -> str:
    """Why copying into the destination would replace a file that is not the template's.

    ``stage``: "project" (answers file, paths outside the package), "package" (``value``
    is the package's folder), or a workflow question (``value`` is its answer). Nothing to
    check ("") when the destination already holds this template's answers (an update, a
    re-copy), or does not exist yet.
    """
    dst = Path(str(_conf(conf, "dst_path") or "."))
    answers_file = str(_conf(conf, "answers_file") or rules.ANSWERS_FILE)
    if not dst.is_dir():
        return ""
    state = _answers_file_state(dst, answers_file)
    if state == "ours":
        return ""
    if stage == "project":
        if state == "theirs":
            return (f"{answers_file} holds the answers of another template, which copier "
                    "would overwrite: give this template its own answers file with "
                    "-a .copier-answers.venv-dotenv.yml")
        paths = owned_paths("PACKAGE")[0]
    elif stage == "package":
        folder = str(value or "")
        src, flat = package_dirs(folder.rpartition("/")[2])
        package, other = flat, (src if folder == flat else flat)
        if (dst / other / "__init__.py").is_file() and not (dst / folder).exists():
            return (f"package {package!r} is in {other}/ in this repository, not in "
                    f"{folder}/, where the template would put its settings and Python would "
                    f"not import them with it: answer -d package_dir={other}")
        module = next((f"{name}.py" for name in (src, flat) if (dst / f"{name}.py").is_file()),
                      None)
        if module is not None and not (dst / folder).exists():
            return (f"{module} is this repository's module {package!r}: a package {package!r} "
                    "for the settings would shadow it (and builders such as flit refuse "
                    f"both); make it a package first (git mv {module} "
                    f"{module[:-3]}/__init__.py, then commit) and copy again")
        paths = owned_paths(folder)[1]
    elif stage in WORKFLOWS:
        if not _flag(value, False):
            return ""
        paths = [WORKFLOWS[stage]]
    else:
        raise ValueError(stage)
    written = list(paths)
    if stage == "project":  # the shared files and the answers file are written too
        written += [*SHARED_FILES, answers_file]
    for path in written:
        leads = link_out_of(dst, path)
        if leads is not None:
            link, target = leads
            return (f"{link} is a symbolic link to {target}, outside this repository: the "
                    f"copy would write {path} there; replace the link by the file or "
                    "folder itself, commit, and copy again")
    clashes = [path for path in paths if (dst / path).exists() or (dst / path).is_symlink()]
    if stage == "package":
        # A folder the template owns inside the package (its engine) must not be there.
        prefix = f"{value}/"
        folders = {prefix + p[len(prefix):].split("/")[0] for p in paths
                   if p.startswith(prefix) and "/" in p[len(prefix):]}
        clashes += sorted(f"{folder}/" for folder in folders if (dst / folder).exists()
                          and not any(c.startswith(folder + "/") for c in clashes))
    if not clashes:
        return ""
    one = len(clashes) == 1
    it, exists = ("it", "exists") if one else ("them", "exist")
    way_out = {
        "project": f"move or rename {it}, commit, and copy again",
        "package": f"choose another package name (-d package_name=...), or move or rename {it}",
    }.get(stage, f"answer no to {stage} (-d {stage}=false), or move or rename {it}")
    return (f"{', '.join(clashes)} already {exists} and copier-venv-dotenv did not make "
            f"{it}: the copy would replace {it}; {way_out}")


def preexisting_shared_files(conf: Any, use_vscode: Any = True, use_pre_commit: Any = True,
                             use_direnv: Any = False) -> str:
    """The shared files already in the destination, comma-separated ("" when none): the
    copy task merges into exactly these, and does not run at all when there are none.
    A setup.py or setup.cfg there is named too: the copy task adds python-dotenv to it."""
    dst = Path(str(_conf(conf, "dst_path") or "."))
    answers = Answers(use_vscode=_flag(use_vscode, True),
                      use_pre_commit=_flag(use_pre_commit, True),
                      use_direnv=_flag(use_direnv, False))
    if not dst.is_dir():
        return ""
    paths = [*enabled_shared_files(answers), *SETUP_FILES]
    return ",".join(path for path in paths if (dst / path).is_file())


def _git_root(path: Any) -> Path | None:
    """The root of the git work tree holding ``path`` (a ``.git`` in it or above it)."""
    folder = Path(os.path.abspath(str(path)))  # `../project` from a clone: not the clone's
    return next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)


def in_git_work_tree(path: Any) -> bool:
    return _git_root(path) is not None


def git_root_above(path: Any) -> str:
    """The root of the git work tree that holds ``path`` when it is above it (a project
    in a monorepo's folder), else "": GitHub reads workflows and pre-commit its config
    only at that root."""
    root = _git_root(path)
    return "" if root is None or root == Path(os.path.abspath(str(path))) else str(root)


def _git_output(path: Any, *args: str) -> str | None:
    """What ``git <args>`` prints in the folder ``path``; None when git fails or is
    missing."""
    import subprocess

    try:
        result = subprocess.run(["git", *rules.GIT_READ_ONLY, *args], cwd=str(path),
                                capture_output=True, text=True, check=False,
                                stdin=subprocess.DEVNULL)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def work_tree_unchanged(path: Any) -> bool:
    """Whether git sees no change in the folder ``path`` (tracked or not): after an
    update, which copier runs on a clean work tree only, the update changed nothing.
    False when git cannot tell. Contents are compared, not ``git status``'s file sizes:
    with ``eol=crlf`` or ``core.autocrlf``, a file copier rewrote with the same lines
    but LF endings is no change (``git add`` stages nothing)."""
    changed = _git_output(path, "diff", "HEAD", "--name-only", "--", ".")
    added = _git_output(path, "ls-files", "--others", "--exclude-standard", "--", ".")
    return changed is not None and added is not None and not (changed + added).strip()


def conflicted_files(path: Any) -> str:
    """The files an update left conflicts in, comma-separated ("" for none): unmerged in
    git's index (copier's inline markers), or beside a ``.rej`` file (--conflict rej)."""
    unmerged = _git_output(path, "diff", "--name-only", "--diff-filter=U", "--", ".") or ""
    rejected = _git_output(path, "ls-files", "--others", "--exclude-standard", "--",
                           "*.rej") or ""
    names = set(unmerged.splitlines()) | set(rejected.splitlines())
    return ", ".join(sorted(name for name in names if name))


def tracked_env_files(path: Any, env_file: Any) -> str:
    """The env files git tracks in the project at ``path`` (``.env``, ``.env.<mode>``...,
    not ``.env.example``), comma-separated; "" outside git. A committed env file may be a
    shared layer, but must hold no secret."""
    names = [str(env_file), f"{env_file}.*"]
    if str(env_file) != ".env":
        names += [".env", ".env.*"]
    listed = _git_output(path, "ls-files", "-z", "--", *names) or ""
    found = {name for name in listed.split("\0")
             if name and not name.endswith(rules.EXAMPLE_FILE)}
    return ", ".join(sorted(found))


def given_answer(conf: Any, question: str) -> Any:
    """The answer to ``question`` as given, before copier casts it: ``-d`` (``data``),
    then the API's ``user_defaults``, then the defaults of copier's settings file; None
    when none gives one."""
    settings = _conf(conf, "settings")
    for source in (_conf(conf, "data"), _conf(conf, "user_defaults"),
                   getattr(settings, "defaults", None)):
        if isinstance(source, Mapping) and question in source:
            return source[question]
    return None


def package_init_exists(conf: Any, package_dir: Any) -> bool:
    dst = Path(str(_conf(conf, "dst_path") or "."))
    return (dst / str(package_dir) / "__init__.py").is_file()


# --------------------------------------------------------------------------- #
# settings.py: a variable declared twice (after an update merged new declarations)
# --------------------------------------------------------------------------- #


def duplicate_declarations(source: str) -> list[tuple[str, list[int]]]:
    """Variables declared more than once in a class of ``source``: [(NAME, [lines])]
    (the rules module's ``declared_twice``, which the generated check uses too)."""
    return [(attr.upper(), lines) for attr, lines in rules.declared_twice(source)]


def settings_duplicates_sentence(dst: Any, package_dir: Any) -> str:
    path = Path(str(dst)) / str(package_dir) / "settings.py"
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    duplicates = duplicate_declarations(source)
    if not duplicates:
        return ""
    parts = [f"{name} (lines {', '.join(map(str, lines))})" for name, lines in duplicates]
    return (f"{package_dir}/settings.py declares {'; '.join(parts)} more than once: "
            "the update added a declaration you had already written below the marker; "
            "keep one of each")


def _import_order(name: str) -> tuple[int, str]:
    """isort's order (ruff's I001, order-by-type): constants, classes, then the rest."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


#: The names settings.py's declarations may use that the template's import lines name
#: only when the env_vars answer needs them (Var: 0.1.0's declarations), by module.
OPTIONAL_IMPORTS = {"._settings": ("Url", "Var", "env"), "pathlib": ("Path",)}


def _unbound_uses(tree: Any, names: Iterable[str]) -> list[str]:
    """Those of ``names`` that the module reads and binds nowhere (an import under ``if``
    or ``try`` counts: when in doubt, the file is left alone)."""
    import ast

    read: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return [name for name in names if name in read and name not in bound]


def _import_lines(module: str, names: list[str]) -> list[str]:
    """``from <module> import <names>`` as ruff's isort and formatter write it."""
    names = sorted(names, key=_import_order)
    one_line = f"from {module} import {', '.join(names)}"
    if len(one_line) <= checks.LINE_WIDTH:
        return [one_line]
    return [f"from {module} import (", *[f"    {name}," for name in names], ")"]


def restore_imports(dst: Any, package_dir: Any) -> str:
    """Add back to settings.py's import lines the names its declarations use and nothing
    imports: an update regenerates the template's lines from the answer, so a new answer
    without a URL drops ``Url`` that a declaration of yours below the marker still uses
    (and 0.1.0's ``Var`` is no longer named). Written as ruff's isort and formatter
    write them. Returns the sentence to say, "" when nothing was missing."""
    import ast

    path = Path(str(dst)) / str(package_dir) / "settings.py"
    try:
        source = path.read_bytes().decode("utf-8")
        tree = ast.parse(source)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return ""
    lines = source.split("\n")  # as ast numbers them (a CRLF line keeps its \r)
    cr = "\r" if "\r\n" in source else ""
    added: list[str] = []
    left: list[str] = []
    # Applied bottom-up below, so that the line numbers of the edits still to make hold.
    edits: list[tuple[int, int, list[str]]] = []
    for module, candidates in OPTIONAL_IMPORTS.items():
        missing = _unbound_uses(tree, candidates)
        if not missing:
            continue
        level = len(module) - len(module.lstrip("."))
        statements = [node for node in tree.body if isinstance(node, ast.ImportFrom)
                      and node.level == level and node.module == module.lstrip(".")]
        where = _import_place(tree, lines, statements, module)
        if where is None:
            left += missing
            continue
        first, last, names = where
        edits.append((first, last, _import_lines(module, names + missing)))
        added += missing
    for first, last, new in sorted(edits, reverse=True):
        lines[first - 1:last] = [line + cr for line in new]
    if edits:
        path.write_bytes("\n".join(lines).encode("utf-8"))
    said = []
    if added:
        said.append(f"{package_dir}/settings.py: its declarations use {', '.join(added)}, "
                    "which the template's import lines no longer name: added to them")
    if left:
        said.append(f"{package_dir}/settings.py: its declarations use {', '.join(left)}, "
                    "which nothing imports: import "
                    + " and ".join(f"{name} from {module}" for module, names
                                   in OPTIONAL_IMPORTS.items() for name in names
                                   if name in left))
    if "Var" in added + left:
        said.append("Var() is 0.1.0's style: `port: int = 8000` is this version's "
                    "(CHANGELOG.md, 0.2.0)")
    return "; ".join(said)


def _import_place(tree: Any, lines: list[str], statements: list[Any],
                  module: str) -> tuple[int, int, list[str]] | None:
    """(first line, last line, names) of the statement to rewrite with more names from
    ``module``: its own ``from`` statement, or, for ``pathlib``, a new line in the group
    of the template's ``from collections.abc import Mapping``; None when the place is not
    one the template wrote (a comment, an alias): the user is told instead."""
    import ast

    def plain(node: Any) -> bool:
        text = "".join(lines[node.lineno - 1:node.end_lineno])
        return "#" not in text and not any(alias.asname for alias in node.names)

    if statements:
        node = statements[0]
        if not plain(node):
            return None
        return node.lineno, node.end_lineno, [alias.name for alias in node.names]
    if module.startswith("."):
        return None
    # A new `from pathlib import Path` in the standard library's group: after its
    # straight imports and the `from` imports of modules sorted before it.
    absolute = [node for node in tree.body
                if isinstance(node, ast.ImportFrom) and node.level == 0]
    anchor = next((node for node in absolute
                   if node.module == "collections.abc" and plain(node)), None)
    if anchor is None:
        return None
    block = [anchor]
    for node in absolute[absolute.index(anchor) + 1:]:
        if node.lineno != block[-1].end_lineno + 1 or str(node.module).lower() > module:
            break
        block.append(node)
    after = block[-1].end_lineno
    # Not a statement to rewrite: an empty one inserted after line `after`.
    return after + 1, after, []


# --------------------------------------------------------------------------- #
# Jinja extension
# --------------------------------------------------------------------------- #


@pass_context
def _starter_global(context: Any, path: str) -> str:
    keys = ("project_name", "package_name", "package_dir", "python_version", "venv_dir",
            "env_file", "env_vars", "use_direnv", "use_vscode", "use_pre_commit",
            "ci_workflow", "update_workflow")
    conf = context.get("_copier_conf")
    answers = Answers.from_mapping({key: context.get(key) for key in keys},
                                   _conf(conf, "answers_file") or rules.ANSWERS_FILE)
    destination = _conf(conf, "dst_path")
    return starter(path, answers, Path(str(destination)) if destination else None)


class VenvDotenvLayerExtension(Extension):
    """Filters for copier.yml (defaults from the project, pre-flight, the copy task) and the
    ``shared_starter`` global the shared files' templates call."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters.update({
            "existing_project_name": existing_project_name,
            "existing_package_name": existing_package_name,
            "existing_package_dir": existing_package_dir,
            "package_dir_error": package_dir_error,
            "existing_python_version": existing_python_version,
            "adoption_error": adoption_error,
            "preexisting_shared_files": preexisting_shared_files,
            "package_init_exists": package_init_exists,
            "in_git_work_tree": in_git_work_tree,
            "work_tree_unchanged": work_tree_unchanged,
            "conflicted_files": conflicted_files,
            "given_answer": given_answer,
            "tracked_env_files": tracked_env_files,
            "git_root_above": git_root_above,
        })
        environment.globals["shared_starter"] = _starter_global
        environment.globals["update_command"] = rules.update_command
        # Where copier runs: a relative _src_path names a folder from there, while tasks
        # and migrations run in the project.
        environment.globals["copier_cwd"] = os.getcwd()


if __name__ == "__main__":  # pragma: no cover - a quick look at the starters
    print(starter(sys.argv[1], Answers()))
