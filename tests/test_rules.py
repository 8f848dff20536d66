"""Unit tests of the name rules, called as the plain functions copier.yml uses."""

from __future__ import annotations

import keyword
import subprocess

import pytest
import venv_dotenv_rules as rules
from conftest import find_python

DEFAULT_ENV_VARS = (
    "LOG_LEVEL=INFO, DEBUG:bool=false, DATABASE_URL:url=sqlite:///app.db, SECRET_KEY:secret"
)


# --------------------------------------------------------------------- env_vars


@pytest.mark.parametrize(
    "answer",
    [
        DEFAULT_ENV_VARS,
        "",
        None,
        [],
        "A",
        "A=1,B=2",
        "PORT:int=8000, TIMEOUT_S:float=2.5, HOSTS:list=localhost",
        'HOSTS:list="a.example,b.example"',
        "FLAG:bool=ON, OTHER:bool=0, THIRD:bool=No",
        "OPTIONAL_PORT:int=",
        "DATA_DIR:path=data/files",
        "TOKEN:secret, OPTIONAL_TOKEN:secret=",
        "GREETING=hello world",
        "PRICE=$5",
        [
            "PORT:int=8000",
            {"name": "API_URL", "type": "url", "default": "https://api.example.org"},
            {"name": "RETRIES", "type": "int", "default": 3, "description": "Retries."},
            {"name": "VERBOSE", "type": "bool", "default": False},
            {"name": "REQUIRED_ONE"},
        ],
    ],
)
def test_env_vars_accepted(answer):
    assert rules.check_env_vars(answer, "my_app") == ""


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("log_level=INFO", "use 'LOG_LEVEL'"),
        ("my-var=1", "use 'MY_VAR'"),
        ("my.var=1", "use 'MY_VAR'"),
        ("my var=1", "use 'MY_VAR'"),
        ("1ABC=1", "must not start with a digit"),
        ("ÉTAT=1", "ASCII"),
        ("FOO=1, foo=2", "declared twice"),
        ("FOO=1, FOO=2", "declared twice"),
        ("PYTHONPATH=src", "configures the Python interpreter"),
        ("VIRTUAL_ENV=x", "wrong venv"),
        ("PATH=/bin", "which python, pip and git run"),
        ("PIP_INDEX_URL:url=https://x.example", "dependency confusion"),
        ("UV_PYTHON=3.12", "configures uv"),
        ("LD_PRELOAD=x.so", "inject code"),
        ("DYLD_INSERT_LIBRARIES=x", "inject code"),
        ("GIT_SSH_COMMAND=x", "git reads it"),
        ("CONDA_PREFIX=x", "environment is active"),
        ("HOME=/tmp", "configuration and caches"),
        ("BASH_ENV=x", "bash runs"),
        ("HTTPS_PROXY:url=http://p.example", "proxy"),
        ("CLASS=1", "Python keyword"),
        ("IMPORT=1", "Python keyword"),
        ("AS_DICT=1", "loader's own methods"),
        ("EXPORT_TO_ENVIRON=1", "loader's own methods"),
        ("MY_APP_ENV_FILE=x", "points it at another env file"),
        ("_X=1", "private attribute"),
        ("PORT:integer=80", "unknown type 'integer'; known types are str, int"),
        ("PORT:int=80x", "'80x' is not an int"),
        ("RATIO:float=fast", "'fast' is not a float"),
        ("DEBUG:bool=maybe", "'maybe' is not a bool"),
        ("API:url=example.org", "needs a scheme"),
        ("TOKEN:secret=hunter2", "a secret cannot have a default"),
        ("GREETING=${USER}", "python-dotenv expands"),
        ("=5", "cannot read the entry '=5'"),
        (":int=5", "cannot read the entry ':int=5'"),
        ({"GREETING": "hi"}, "YAML mapping"),
        (42, "expected 'NAME[:type][=default], ...'"),
        ([{"name": "A", "kind": "int"}], "unknown key(s) kind"),
        ([{"type": "int"}], "has no 'name'"),
        ([["A"]], "cannot read the entry"),
        (["BAD\x00=1"], "upper case letters"),
        ([{"name": "A", "default": "a\x00b"}], "control characters"),
    ],
)
def test_env_vars_refused(answer, expected):
    message = rules.check_env_vars(answer, "my_app")
    assert expected in message
    assert message.startswith("invalid env_vars:")


def test_every_problem_is_reported_at_once():
    problems = rules.env_vars_problems("bad-name=1, PORT:int=x, PATH=/bin, OK=1")
    assert len(problems) == 3
    assert "'BAD_NAME'" in problems[0]
    assert "PORT" in problems[1]
    assert "PATH" in problems[2]


def test_secret_values_never_appear_in_messages():
    for answer in ["TOKEN:secret=hunter2", "TOKEN:secrett=hunter2", "TOKEN:Secret=hunter2"]:
        message = rules.check_env_vars(answer)
        assert message
        assert "hunter2" not in message


def test_parse_one_line_form():
    parsed = rules.parse_env_vars(
        'A, B=, C:int=3, D:list="x,y", E:secret, F = spaced value '
    )
    assert [(v.name, v.type, v.default) for v in parsed] == [
        ("A", "str", None),
        ("B", "str", ""),
        ("C", "int", "3"),
        ("D", "list", "x,y"),
        ("E", "secret", None),
        ("F", "str", "spaced value"),
    ]
    assert parsed[0].required and not parsed[1].required
    assert parsed[2].attr == "c"


def test_parse_yaml_list_form_normalises_scalars():
    parsed = rules.parse_env_vars([
        {"name": "N", "type": "int", "default": 3},
        {"name": "B", "type": "bool", "default": True},
        {"name": "L", "type": "list", "default": ["a", "b"]},
        {"name": "R", "description": "Required.", "default": None},
        {"name": "E", "default": ""},
    ])
    assert [(v.name, v.default) for v in parsed] == [
        ("N", "3"), ("B", "true"), ("L", "a,b"), ("R", None), ("E", "")
    ]
    assert parsed[3].description == "Required."


def test_parse_raises_with_every_problem():
    with pytest.raises(rules.EnvVarsError) as info:
        rules.parse_env_vars("a=1, B:nope")
    assert len(info.value.problems) == 2


@pytest.mark.parametrize("name", ["PATH", "Path", "path", "PYTHONPATH", "PythonHome",
                                  "pip_index_url", "Git_Dir", "__PYVENV_LAUNCHER__"])
def test_reserved_names_are_case_insensitive(name):
    assert rules.reserved_reason(name)


@pytest.mark.parametrize("name", ["APP_PATH", "MY_HOME", "DATABASE_URL", "PY", "GITHUB_TOKEN"])
def test_ordinary_names_are_not_reserved(name):
    assert rules.reserved_reason(name) is None


def test_loader_attributes_are_not_keywords():
    assert not any(keyword.iskeyword(name) for name in rules.LOADER_ATTRIBUTES)


# -------------------------------------------------------------- dotenv values


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("", ""),
        (None, ""),
        ("INFO", "INFO"),
        ("sqlite:///app.db", "sqlite:///app.db"),
        ("a,b", "a,b"),
        ("hello world", '"hello world"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("x #y", '"x #y"'),
        ("back\\slash", '"back\\\\slash"'),
        ("two\nlines", '"two\\nlines"'),
        ("it's", '"it\'s"'),
    ],
)
def test_dotenv_value_quotes_only_when_needed(value, written):
    assert rules.dotenv_value(value) == written


# ------------------------------------------------------------ package_name


@pytest.mark.parametrize("name", ["my_app", "app2", "settings_demo", "jsonish"])
def test_package_name_accepted(name):
    assert rules.check_package_name(name) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("My-App", "use 'my_app'"),
        ("2fast", "starting with a letter"),
        ("_private", "starting with a letter"),
        ("", "lower-case ASCII"),
        ("café", "lower-case ASCII"),
        ("class", "Python keyword"),
        ("match", "Python keyword"),
        ("json", "standard-library module"),
        ("asyncio", "standard-library module"),
        ("distutils", "standard-library module"),   # removed in 3.12
        ("telnetlib", "standard-library module"),   # removed in 3.13
        ("annotationlib", "standard-library module"),  # added in 3.14
        ("dotenv", "tool the project uses"),
        ("pytest", "tool the project uses"),
        ("sitecustomize", "tool the project uses"),
        ("tests", "folder of the generated project"),
        ("src", "folder of the generated project"),
        ("scripts", "folder of the generated project"),
    ],
)
def test_package_name_refused(name, expected):
    message = rules.check_package_name(name)
    assert expected in message
    assert repr(name) in message


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_stdlib_list_covers_every_supported_python(version):
    exe = find_python(version)
    if exe is None:
        pytest.skip(f"Python {version} is not installed")
    out = subprocess.run(
        [exe, "-c", "import sys; print('\\n'.join(sorted(sys.stdlib_module_names)))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    public = {name for name in out if not name.startswith("_")}
    assert public <= rules.STDLIB_MODULES


@pytest.mark.parametrize(
    ("project", "package"),
    [
        ("My App", "my_app"),
        ("json", "json_app"),
        ("2048 Game", "app_2048_game"),
        ("class", "class_app"),
        ("Tests", "tests_app"),
        ("プロジェクト", "app"),
        ("dotenv", "dotenv_app"),
        ("a.b-c", "a_b_c"),
    ],
)
def test_derived_package_name_is_always_valid(project, package):
    assert rules.default_package_name(project) == package
    assert rules.check_package_name(package) == ""


# ------------------------------------------------------------ project_name


@pytest.mark.parametrize("name", ["my-app", "My App", "app2", "Ünïcode Tools", "x"])
def test_project_name_accepted(name):
    assert rules.check_project_name(name) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("!!!", "no valid distribution name"),
        ("プロジェクト", "no valid distribution name"),
        ('say "hi"', "would break the generated pyproject.toml"),
        ("back\\slash", "would break the generated pyproject.toml"),
    ],
)
def test_project_name_refused(name, expected):
    assert expected in rules.check_project_name(name)


@pytest.mark.parametrize(
    ("project", "dist"),
    [("My App", "my-app"), ("my_app", "my-app"), ("A.B", "a-b"), ("  x  ", "x")],
)
def test_distribution_name(project, dist):
    assert rules.distribution_name(project) == dist


@pytest.mark.parametrize(
    ("folder", "name"), [("my-app", "my-app"), ("", "my-project"), ("プロ", "my-project")]
)
def test_default_project_name_is_always_valid(folder, name):
    assert rules.default_project_name(folder) == name
    assert rules.check_project_name(name) == ""


# --------------------------------------------------------- python_version


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13", "3.14"])
def test_python_version_accepted(version):
    assert rules.check_python_version(version) == ""


@pytest.mark.parametrize(
    ("version", "expected"),
    [("3.10", "Python 3.10 has reached its end of life; use 3.11 or newer"),
     ("3.9", "end of life"), ("3.1", "YAML reads 3.10 as 3.1"), ("3", "3.N"),
     ("2.7", "3.N"), ("3.15", "one of"), ("", "3.N")],
)
def test_python_version_refused(version, expected):
    message = rules.check_python_version(version)
    assert expected in message


# ---------------------------------------------------------------- venv_dir


@pytest.mark.parametrize("path", [".venv", "venv", "env", ".venvs/py311", "tools/venv", ".venv/"])
def test_venv_dir_accepted(path):
    assert rules.check_venv_dir(path) == ""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".env", "env file name"),
        (".env.local", "env file name"),
        (".env/venv", "env file name"),
        ("my venv", "whitespace"),
        ("venv\t", "whitespace"),
        ("/opt/venv", "absolute"),
        ("C:/venv", "absolute"),
        ("~/venv", "absolute"),
        ("..", "leaves the project"),
        ("../shared-venv", "leaves the project"),
        ("a/../b", "leaves the project"),
        ("venv\\x", "'/'"),
        ("", "empty"),
        (".", "'.' parts"),
        ("a//b", "empty or '.' parts"),
        ("src", "project uses"),
        ("tests/.venv", "project uses"),
        (".git", "project uses"),
        ("ven$v", "only letters"),
    ],
)
def test_venv_dir_refused(path, expected):
    message = rules.check_venv_dir(path)
    assert expected in message
    assert repr(path) in message or not path


# ---------------------------------------------------------------- env_file


@pytest.mark.parametrize("path", [".env", ".env.local", "config/app.env", "settings.env"])
def test_env_file_accepted(path):
    assert rules.check_env_file(path, ".venv") == ""


@pytest.mark.parametrize(
    ("path", "venv", "expected"),
    [
        (".venv", ".venv", "venv folder"),
        (".venv/.env", ".venv", "venv folder"),
        ("venv/x.env", "venv/", "venv folder"),
        (".env.example", ".venv", "committed example"),
        ("config/app.env.example", ".venv", "committed example"),
        ("pyproject.toml", ".venv", "project uses"),
        (".envrc", ".venv", "project uses"),
        ("src/.env", ".venv", "project uses"),
        ("/etc/app.env", ".venv", "absolute"),
        ("../.env", ".venv", "leaves the project"),
        ("my env", ".venv", "whitespace"),
        ("config/", ".venv", "names a folder"),
        ("", ".venv", "empty"),
    ],
)
def test_env_file_refused(path, venv, expected):
    assert expected in rules.check_env_file(path, venv)


# ---------------------------------------------------------------- yes/no


@pytest.mark.parametrize("raw", [None, True, False, 0, 1, "yes", "No", " on ", "OFF", "1", "t"])
def test_yes_no_accepted(raw):
    assert rules.check_yes_no(raw, "use_direnv") == ""


@pytest.mark.parametrize("raw", ["maybe", "sure", "", "2"])
def test_yes_no_refused(raw):
    message = rules.check_yes_no(raw, "use_direnv")
    assert "use_direnv must be true or false" in message
    assert repr(raw) in message


@pytest.mark.parametrize("text", ["short", "a b " * 60, "x" * 150, "tab\there " * 30, ""])
def test_wrapped_literal_reads_back_unchanged_and_fits(text):
    written = rules.py_literal_wrapped(text, indent=4, width=100)
    assert eval(written) == text  # noqa: S307 - the literal we just wrote
    if "\t" not in text:  # escapes make a literal longer than its text
        assert all(len(line) <= 100 for line in written.splitlines())
