"""Property: hostile answers are refused or render a sound project.

Generated text (control characters, quotes of every kind, Jinja syntax, Unicode line
separators, invisible characters, very long strings) goes into every question. Each
validator either refuses it with a message or accepts it; every accepted set of answers
renders a project whose settings.py imports, whose .env.example reads back as exactly the
declared defaults (through python-dotenv and through the loader), whose pyproject.toml
is valid TOML, and whose Python passes ruff format and ruff's default rules.

Most examples are rendered in-process with the template's own files and the extension
(fast); two real ``copier copy`` renders of hostile answers (slow lane) check that this
in-process render is what copier writes, and run mypy --strict too.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jinja2
import pytest
import venv_dotenv_layer as layer
import venv_dotenv_rules as extension
from conftest import REPO_ROOT, TEMPLATE_PACKAGE_DIR, render, unavailable
from dotenv import dotenv_values
from engine_pkg import ENGINE_DIR
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

TEMPLATE = REPO_ROOT / "template"
RENDERED = {
    f"{TEMPLATE_PACKAGE_DIR}/settings.py.jinja": "src/{package_name}/settings.py",
    ".env.example.jinja": ".env.example",
    "pyproject.toml.jinja": "pyproject.toml",
}
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
MYPY = shutil.which("mypy", path=str(Path(sys.executable).parent)) or shutil.which("mypy")
SAMPLES = {"str": "text", "int": "7", "float": "0.5", "bool": "on", "url": "https://h.example/",
           "path": "p", "list": "x,y", "secret": "s3cret"}

# ------------------------------------------------------------------ the inputs

PIECES = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ 7*7 }}", "{% raw %}", "'", '"', "`", "\\", "\\n",
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u200b", "\ufeff",
    "\u00a0", "\t", "\n", "\r", "$", "${HOME}", "#", " #", ",", "=", ":", " ", "é", "ß", "𝔘",
    "a", "Z", "9", "_", "-", ".", "/", "..", "~", "@", "x:y@z", "://",
]
HOSTILE = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=10).map("".join),
    st.text(max_size=24),
    st.builds(lambda piece, count: piece * count, st.sampled_from(PIECES + ["ab"]),
              st.integers(30, 300)),
)
# Printable but hostile: what a validator cannot refuse for its characters alone.
PRINTABLE = st.one_of(
    st.lists(st.sampled_from([p for p in PIECES if p.isprintable()]), max_size=10).map("".join),
    st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
            max_size=24),
)
TEXT = st.one_of(PRINTABLE, PRINTABLE, HOSTILE)
# Mostly valid names and types: one hostile one refuses the whole answer.
NAMES = st.one_of(*[st.from_regex(r"[A-Z][A-Z0-9_]{0,14}", fullmatch=True)] * 12, HOSTILE)
TYPES = st.one_of(*[st.sampled_from(extension.ENV_TYPES)] * 12, HOSTILE)


def one_line(name: str, kind: str | None, default: str | None) -> str:
    text = name + (f":{kind}" if kind is not None else "")
    if default is not None:
        text += "=" + '"' + default.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


ENTRY = st.tuples(NAMES, st.none() | TYPES, st.none() | TEXT)
MAPPING = st.fixed_dictionaries(
    {"name": NAMES},
    optional={"type": TYPES, "default": st.none() | TEXT | st.integers() | st.booleans(),
              "description": TEXT},
)
ENV_VARS = st.one_of(
    *[st.lists(ENTRY, max_size=6).map(lambda items: ", ".join(one_line(*i) for i in items))] * 3,
    *[st.lists(ENTRY, max_size=6).map(lambda items: [one_line(*i) for i in items])] * 2,
    *[st.lists(MAPPING, max_size=6)] * 3,
    HOSTILE,
)
PLAIN = {"project_name": "Demo", "package_name": "demo", "python_version": "3.11",
         "venv_dir": ".venv", "env_file": ".env", "use_direnv": "no", "use_vscode": "yes",
         "use_pre_commit": "on", "ci_workflow": "true", "update_workflow": "0"}
YES_NO = ("use_direnv", "use_vscode", "use_pre_commit", "ci_workflow", "update_workflow")


@st.composite
def answers_(draw: st.DrawFn) -> dict:
    """Hostile text into one scalar question (or none) and into env_vars."""
    answers = dict(PLAIN)
    question = draw(st.sampled_from([None] * 10 + list(PLAIN)))
    if question is not None:
        answers[question] = draw(st.one_of(TEXT, HOSTILE))
    answers["env_vars"] = draw(ENV_VARS)
    return answers


ANSWERS = answers_()


def refusals(answers: dict) -> list[str]:
    """What the validators say; none of them may raise."""
    found = [
        extension.check_project_name(answers["project_name"]),
        extension.check_package_name(answers["package_name"]),
        extension.check_python_version(answers["python_version"]),
        extension.check_venv_dir(answers["venv_dir"]),
        extension.check_env_file(answers["env_file"], answers["venv_dir"]),
        extension.check_env_vars(answers["env_vars"], answers["package_name"]),
        *(extension.check_yes_no(answers.get(name), name) for name in YES_NO),
    ]
    assert all(isinstance(message, str) for message in found)
    return [message for message in found if message]


# ----------------------------------------------------------------- the checks


def render_in_process(answers: dict) -> dict[str, str]:
    # Both of copier.yml's extensions: the shared files are starters of the layer module.
    environment = jinja2.Environment(
        extensions=[extension.VenvDotenvExtension, layer.VenvDotenvLayerExtension],
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    files = {}
    for source, target in RENDERED.items():
        template = environment.from_string((TEMPLATE / source).read_text(encoding="utf-8"))
        files[target.format(**answers)] = template.render(**answers)
    return files


CHECK = """
import importlib, json, sys
from pathlib import Path
root, package = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(root / "src"))
module = importlib.import_module(package + ".settings")
cli = importlib.import_module(package + "._settings._cli")
samples = json.loads(sys.argv[3])
""" + (CHECK_BODY := """
Settings = module.Settings
required = {v.name: samples[v.kind] for v in Settings.variables() if v.required}
loaded = Settings.load(root / ".env.example", environ=required)
mismatch = []
for v in Settings.variables():
    if v.required:
        continue
    want = module.PROJECT_ROOT / v.default if isinstance(v.default, Path) else v.default
    if getattr(loaded, v.attr) != want:
        mismatch.append(v.name)
problems = [str(p) for p in cli.check_example(Settings)]
print(json.dumps({"mismatch": mismatch, "problems": problems}))
""")


def check_in_process(root: Path, package: str) -> dict | None:
    """CHECK's result, from this process: a fresh import of the project's package, removed
    again afterwards (a process costs ten times more). None when a module of that name is
    already imported here: CHECK must run in a process of its own."""
    if any(name == package or name.startswith(package + ".") for name in sys.modules):
        return None
    source = str(root / "src")
    sys.path.insert(0, source)
    importlib.invalidate_caches()
    output = io.StringIO()
    try:
        module = importlib.import_module(package + ".settings")
        cli = importlib.import_module(package + "._settings._cli")
        with contextlib.redirect_stdout(output):
            exec(CHECK_BODY, {"root": root, "module": module, "cli": cli, "samples": SAMPLES,
                              "json": json, "Path": Path})
    finally:
        sys.path.remove(source)
        for name in [name for name in sys.modules
                     if name == package or name.startswith(package + ".")]:
            del sys.modules[name]
    return json.loads(output.getvalue())


def check_project(root: Path, answers: dict, declared: list, in_process: bool = False) -> None:
    """The rendered project at ``root`` is sound for the accepted ``answers``; with
    ``in_process``, its settings module is imported here, else in a Python of its own."""
    package = answers["package_name"]
    # pyproject.toml is valid TOML and says what was answered.
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["copier-venv-dotenv"]["settings"] == f"{package}.settings"
    assert pyproject["project"]["description"] == answers["project_name"]
    # The dependency is the python-dotenv range the parity tests run on.
    assert extension.rules.DOTENV_REQUIREMENT in pyproject["project"]["dependencies"]
    # .env.example holds exactly the declared defaults, for python-dotenv...
    example = dotenv_values(root / ".env.example", interpolate=False)
    assert example == {var.name: var.default or "" for var in declared}
    # ...and for the loader, through settings.py, which imports; check --example-only is clean.
    found = check_in_process(root, package) if in_process else None
    if found is None:
        result = subprocess.run([sys.executable, "-c", CHECK, str(root), package,
                                 json.dumps(SAMPLES)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)
    assert found == {"mismatch": [], "problems": []}
    # ruff: formatted, and clean under its default rules.
    settings_py = root / "src" / package / "settings.py"
    target = "py3" + answers["python_version"].split(".")[1]
    for command in (["format", "--check"], ["check"]):
        lint = subprocess.run([RUFF, *command, "--isolated", "--no-cache", "--target-version",
                               target, str(settings_py)], capture_output=True, text=True,
                              check=False)
        assert lint.returncode == 0, lint.stdout + settings_py.read_text(encoding="utf-8")


def write_project(root: Path, files: dict[str, str], package: str) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(ENGINE_DIR, root / "src" / package / "_settings",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (root / "src" / package / "__init__.py").write_text("")


@pytest.mark.skipif(RUFF is None, reason=unavailable("ruff"))
@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(answers=ANSWERS)
def test_hostile_answers_are_refused_or_render_a_sound_project(tmp_path_factory, answers):
    if refusals(answers):
        event("refused")
        return
    event("accepted")
    declared = extension.parse_env_vars(answers["env_vars"], answers["package_name"])
    root = tmp_path_factory.mktemp("project")
    write_project(root, render_in_process(answers), answers["package_name"])
    check_project(root, answers, declared, in_process=True)


# Valid names and types, hostile (but printable) texts: answers that are mostly accepted.
DEFAULTS = {
    "str": PRINTABLE,
    "path": PRINTABLE,
    "list": PRINTABLE,
    "int": st.integers(-10**30, 10**30).map(str),
    "float": st.floats(allow_nan=False).map(repr),
    "bool": st.sampled_from(extension.BOOL_WORDS + ("YES", "Off")),
    "url": st.from_regex(r"(https?|sqlite|redis)://[a-z0-9./:_-]{0,40}", fullmatch=True),
    "secret": st.just(""),
}


@st.composite
def accepted_entry(draw: st.DrawFn) -> dict:
    kind = draw(st.sampled_from(extension.ENV_TYPES))
    entry = {"name": draw(st.from_regex(r"[A-Z][A-Z0-9_]{0,59}", fullmatch=True)), "type": kind}
    if draw(st.booleans()):
        entry["default"] = draw(DEFAULTS[kind] | st.just(""))
    if draw(st.booleans()):
        entry["description"] = draw(PRINTABLE)
    return entry


@pytest.mark.skipif(RUFF is None, reason=unavailable("ruff"))
@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(entries=st.lists(accepted_entry(), max_size=8), one_line_form=st.booleans())
def test_printable_hostile_texts_render_a_sound_project(tmp_path_factory, entries, one_line_form):
    env_vars = entries
    if one_line_form:
        env_vars = ", ".join(one_line(e["name"], e["type"], e.get("default")) for e in entries)
    answers = {**PLAIN, "env_vars": env_vars}
    if refusals(answers):
        event("refused")  # '${' in a text, a name twice, a text that looks like user:pw@host
        return
    event("accepted")
    declared = extension.parse_env_vars(env_vars, answers["package_name"])
    root = tmp_path_factory.mktemp("project")
    write_project(root, render_in_process(answers), answers["package_name"])
    check_project(root, answers, declared, in_process=True)


# Accepted, and hostile: what the generated strategy reaches only by luck.
REAL = [
    {
        "project_name": "{{ 7*7 }} {% raw %} O'Brien’s «Café» — ß 𝔘 #1",
        "package_name": "x" * 64,
        "python_version": "3.12",
        "venv_dir": ".venv",
        "env_file": "config/.env.dev",
        "env_vars": [
            {"name": "GREETING", "default": "{{ 7*7 }} {%raw%} 'single' \"double\" `back` \\ #x"},
            {"name": "TABBED", "default": "a\tb\nc", "description": "Jinja {{ x }} {% if %}"},
            {"name": "Z" * 60, "type": "list", "default": "é, ß ,, 𝔘,\"q\""},
            {"name": "SPACES", "default": "  padded  "},
            {"name": "URL_LONG", "type": "url", "default": "https://x.example/" + "ab" * 150},
            {"name": "DOLLAR", "default": "$HOME $ {x}"},
            {"name": "DATA", "type": "path", "default": "dir with space/ü"},
            {"name": "TOKEN", "type": "secret", "description": "Quotes: ' \" ` \\"},
        ],
    },
    {
        "project_name": "y" * 100,
        "package_name": "plain",
        "python_version": "3.14",
        "venv_dir": "envs/py",
        "env_file": ".env",
        "env_vars": "GREETING=hello #world, PORT:int=010, RATIO:float=1e-7, FLAG:bool=Off, "
                    'HOSTS:list="a, b", EMPTY=, OPT:url=, RAW="\\"quoted\\", and \\\\"',
    },
]


@pytest.mark.slow  # copier itself, and mypy
@pytest.mark.skipif(RUFF is None or MYPY is None, reason=unavailable("ruff and mypy"))
@pytest.mark.parametrize("answers", REAL, ids=["yaml-list", "one-line"])
def test_real_renders_of_hostile_answers(template_dir, tmp_path, answers):
    assert refusals(answers) == []
    declared = extension.parse_env_vars(answers["env_vars"], answers["package_name"])
    dst = render(template_dir, tmp_path / "real", **answers)
    # The in-process render used above writes exactly what copier writes.
    for name, text in render_in_process(answers).items():
        assert (dst / name).read_text(encoding="utf-8") == text, name
    check_project(dst, answers, declared)
    package = dst / "src" / answers["package_name"]
    result = subprocess.run([MYPY, "--strict", "--no-incremental", str(package / "settings.py")],
                            cwd=dst, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
