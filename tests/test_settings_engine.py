"""Unit tests of the settings engine (template/src/{{package_name}}/_settings_*.py)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engine_pkg import PACKAGE, build_package, import_engine
from venv_dotenv_rules import LOADER_ATTRIBUTES

SECRET = "Sup3r-s3cret-VALUE"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return import_engine(tmp_path_factory.mktemp("engine"))


@pytest.fixture(scope="module")
def Demo(engine):
    Var = engine.Var

    class Demo(engine.BaseSettings):
        name: str = Var("str", default="demo")
        token: engine.Secret = Var("secret")
        port: int = Var("int", default="8000")
        ratio: float | None = Var("float", default="")
        debug: bool = Var("bool", default="false")
        database_url: str = Var("url", default="sqlite:///app.db")
        data_dir: Path | None = Var("path", default="")
        hosts: list[str] = Var("list", default="localhost")
        note: str = Var("str", default="")
        api_key: engine.Secret = Var("secret", default="")

    return Demo


@pytest.fixture
def root(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    return project


@pytest.fixture
def layout(engine, root):
    return engine.Layout(root, env_file=".env", env_file_override="DEMO_ENV_FILE")


@pytest.fixture
def load(engine, Demo, layout):
    def load(env_file=None, environ=None, *, settings_cls=None, **changes):
        return engine.load(
            settings_cls or Demo,
            env_file,
            environ={} if environ is None else environ,
            layout=layout.replace(**changes) if changes else layout,
        )

    return load


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def problems_of(engine, call):
    with pytest.raises(engine.SettingsError) as caught:
        call()
    return caught.value


# ------------------------------------------------------------------ declarations


def test_engine_attributes_list_every_public_name(engine):
    public = {name for name in dir(engine.BaseSettings) if not name.startswith("_")}
    assert public <= engine.ENGINE_ATTRIBUTES
    assert engine.ENGINE_ATTRIBUTES <= public


def test_extension_refuses_every_engine_attribute(engine):
    assert engine.ENGINE_ATTRIBUTES <= LOADER_ATTRIBUTES


@pytest.mark.parametrize("attr", ["export_to_environ", "as_dict", "sources", "variables"])
def test_variable_hiding_an_engine_method_is_refused(engine, attr):
    with pytest.raises(TypeError, match="used by the settings engine"):
        type("Bad", (engine.BaseSettings,), {attr: engine.Var("str", default="")})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "number"}, "unknown variable type"),
        ({"kind": "secret", "default": "hunter2"}, "cannot have a default"),
        ({"kind": "int", "default": 3}, "must be a string"),
    ],
)
def test_bad_declarations_are_refused(engine, kwargs, message):
    with pytest.raises(TypeError, match=message):
        engine.Var(**kwargs)


def test_two_attributes_for_one_name_are_refused(engine):
    with pytest.raises(TypeError, match="same environment variable"):
        type("Bad", (engine.BaseSettings,), {
            "port": engine.Var("int", default="1"),
            "other": engine.Var("int", default="1", name="PORT"),
        })


def test_declaration_order_names_and_inheritance(engine, Demo):
    assert [v.name for v in Demo.variables()][:3] == ["NAME", "TOKEN", "PORT"]

    class More(Demo):
        extra: str = engine.Var("str", default="x")

    assert [v.attr for v in More.variables()][-1] == "extra"
    assert len(More.variables()) == len(Demo.variables()) + 1


# ------------------------------------------------------------------------ types


@pytest.mark.parametrize(
    ("attr", "text", "expected"),
    [
        ("name", "  spaced  ", "  spaced  "),
        ("port", "8080", 8080),
        ("port", " 12 ", 12),
        ("ratio", "0.25", 0.25),
        ("ratio", "1e3", 1000.0),
        *[("debug", word, True) for word in ("true", "TRUE", "1", "yes", "Yes", "on", "ON")],
        *[("debug", word, False) for word in ("false", "False", "0", "no", "NO", "off", "Off")],
        ("database_url", "postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
        ("database_url", "sqlite:///app.db", "sqlite:///app.db"),
        ("database_url", "mailto:a@b.org", "mailto:a@b.org"),
        ("hosts", "a.org, b.org,,  ,c.org ", ["a.org", "b.org", "c.org"]),
        ("hosts", " , ", []),
    ],
)
def test_values_are_typed(load, attr, text, expected):
    settings = load(environ={"TOKEN": "t", attr.upper(): text})
    value = getattr(settings, attr)
    assert value == expected
    assert type(value) is type(expected)


def test_relative_paths_are_taken_from_the_project_root(load, root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load(environ={"TOKEN": "t", "DATA_DIR": "data/x"}).data_dir == root / "data" / "x"
    absolute = tmp_path / "elsewhere"
    assert load(environ={"TOKEN": "t", "DATA_DIR": str(absolute)}).data_dir == absolute
    home = load(environ={"TOKEN": "t", "DATA_DIR": "~/d"}).data_dir
    assert home == Path.home() / "d"


@pytest.mark.parametrize(
    ("attr", "text", "message"),
    [
        ("port", "80.5", "expected an integer"),
        ("ratio", "2,5", "expected a number"),
        ("debug", "maybe", "expected a boolean"),
        ("debug", "y", "expected a boolean"),
        ("database_url", "localhost/db", "expected a URL with a scheme"),
        ("database_url", "://x", "expected a URL with a scheme"),
    ],
)
def test_bad_values_name_variable_source_and_reason(engine, load, attr, text, message):
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", attr.upper(): text}))
    (problem,) = error.problems
    assert problem.code == "invalid"
    assert problem.variable == attr.upper()
    assert f"{attr.upper()} (from environment)" in str(problem)
    assert message in str(problem)


def test_bad_url_value_is_not_echoed(engine, load):
    # A URL often carries a password: a wrong one must not end up in a log.
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", "DATABASE_URL": "//u:pw@h"}))
    assert "pw" not in str(error)


# ------------------------------------------------------------ sources and empties


def test_environment_then_file_then_default(load, root):
    env_file = write(root / ".env", "PORT=2\nNAME=from-file\n")
    settings = load(environ={"TOKEN": "t", "PORT": "1"})
    assert (settings.port, settings.name, settings.debug) == (1, "from-file", False)
    sources = settings.sources()
    assert str(sources["port"]) == "environment"
    assert str(sources["name"]) == f"{env_file}:2"
    assert str(sources["debug"]) == "default"


def test_empty_values_mean_not_set(load, root):
    env_file = write(root / ".env", "PORT=2\nNAME=\nTOKEN=from-file\n")
    settings = load(environ={"PORT": "", "NAME": "", "TOKEN": ""})
    assert settings.port == 2
    assert str(settings.sources()["port"]) == f"{env_file}:1"
    assert settings.name == "demo"
    assert str(settings.sources()["name"]) == "default"
    assert settings.token.get_secret_value() == "from-file"


def test_optional_empty_values_per_type(engine, load):
    settings = load(environ={"TOKEN": "t"})
    assert settings.note == ""
    assert settings.ratio is None
    assert settings.data_dir is None
    assert settings.api_key == engine.Secret("")
    assert settings.api_key.get_secret_value() == ""
    assert not settings.api_key

    class Lists(engine.BaseSettings):
        tags: list[str] = engine.Var("list", default="")

    assert load(settings_cls=Lists).tags == []


def test_key_without_equal_sign_counts_as_not_set(engine, load, root):
    env_file = write(root / ".env", "TOKEN\nPORT\n")
    error = problems_of(engine, lambda: load())
    (problem,) = error.problems
    assert problem.code == "missing"
    assert f"it is empty at {env_file}:1" in str(problem)
    assert load(environ={"TOKEN": "t"}).port == 8000


def test_every_problem_is_reported_at_once(engine, load, root):
    env_file = write(root / ".env", "PORT=eighty\n\nthis line is broken\nDEBUG=perhaps\nPORT=81\n")
    error = problems_of(engine, lambda: load())
    codes = sorted(p.code for p in error.problems)
    assert codes == ["duplicate", "invalid", "missing", "parse"]
    text = str(error)
    assert text.startswith("4 problems in the settings:")
    assert f"{env_file}:3" in text  # the broken line
    assert "TOKEN is required" in text
    assert f"DEBUG (from {env_file}:4)" in text
    assert "PORT is set twice" in text and "lines 1 and 5" in text


# ----------------------------------------------------------------- the env file


def test_no_env_file_at_default_path_is_fine(load, root):
    assert not (root / ".env").exists()
    assert load(environ={"TOKEN": "t"}).port == 8000


def test_explicit_env_file_must_exist(engine, load, root):
    error = problems_of(engine, lambda: load(root / "missing.env", {"TOKEN": "t"}))
    assert error.problems[0].code == "no-file"
    assert "missing.env does not exist" in str(error)


def test_override_variable_is_explicit_and_relative_to_root(engine, load, root, tmp_path,
                                                               monkeypatch):
    write(root / "staging.env", "PORT=9\n")
    monkeypatch.chdir(tmp_path)
    settings = load(environ={"TOKEN": "t", "DEMO_ENV_FILE": "staging.env"})
    assert settings.port == 9
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", "DEMO_ENV_FILE": "nope"}))
    assert error.problems[0].code == "no-file"


def test_default_env_file_does_not_depend_on_cwd(engine, layout, load, root, tmp_path,
                                                    monkeypatch):
    write(root / ".env", "PORT=7\n")
    (tmp_path / ".env").write_text("PORT=666\n")
    monkeypatch.chdir(tmp_path)
    assert load(environ={"TOKEN": "t"}).port == 7
    assert engine.resolve_env_path(None, {}, layout) == (root / ".env", False)


@pytest.mark.parametrize("is_venv", [True, False])
def test_env_path_that_is_a_directory_gets_a_hint(engine, load, root, is_venv):
    (root / ".env").mkdir()
    if is_venv:
        (root / ".env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t"}))
    (problem,) = error.problems
    assert problem.code == "not-a-file"
    assert ("a virtual environment" in str(problem)) is is_venv
    assert "python3 scripts/bootstrap.py" in str(problem)
    if is_venv:
        # A venv cannot be moved: the advice is to delete it and let the bootstrap
        # recreate it where the project keeps its venv.
        assert "rm -rf" in str(problem) and "rmdir /s /q" in str(problem)
        assert "creates the venv in .venv" in str(problem)


def test_directory_hint_names_the_configured_venv_dir(engine, load, root):
    (root / ".env").mkdir()
    (root / ".env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    write(root / "pyproject.toml", '[tool.copier-venv-dotenv]\nvenv-dir = "envs/py"\n')
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t"}))
    assert "creates the venv in envs/py" in str(error)


def test_directory_env_path_does_not_say_there_is_no_env_file(engine, load, root):
    (root / ".env").mkdir()
    error = problems_of(engine, lambda: load())
    assert [p.code for p in error.problems] == ["not-a-file", "missing"]
    assert "there is no env file" not in str(error)
    assert "could not be read" in str(error.problems[1])
    # Nothing at the path: the hint to create the file stays.
    (root / ".env").rmdir()
    error = problems_of(engine, lambda: load())
    assert "there is no env file at" in str(error) and ".env.example" in str(error)


def test_bom_and_crlf_are_tolerated(load, root):
    write(root / ".env", "\ufeffPORT=5\r\nNAME=\"two\r\nlines\"\r\nTOKEN=t\r\n")
    settings = load()
    assert (settings.port, settings.name) == (5, "two\nlines")
    assert str(settings.sources()["token"]).endswith(".env:4")


def test_not_utf8_is_reported(engine, load, root):
    (root / ".env").write_bytes(b"NAME=caf\xe9\n")
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t"}))
    assert "not UTF-8" in str(error)


def test_line_numbers_skip_blank_lines_and_comments(engine, root):
    problems = []
    entries = engine.parse_env_text("\n\n# c\n\nA=1\n\n\n  oops here\nB='x\ny'\nC=3\n",
                                    root / ".env", {}, problems)
    assert {k: e.line for k, e in entries.items()} == {"A": 5, "B": 9, "C": 11}
    assert [p.origin for p in problems] == [f"{root / '.env'}:8"]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (f'A=1\nTOKEN="{SECRET}\nB=2\n', '"'),
        (f"A=1\nexport  TOKEN = '{SECRET}\nB=2\n", "'"),
        (f'A=1\nTOKEN="{SECRET}\\"\nB=2\n', '"'),  # an escaped quote closes nothing
    ],
)
def test_unclosed_quote_gets_its_own_message(engine, root, text, quote):
    problems = []
    entries = engine.parse_env_text(text, root / ".env", {}, problems)
    assert set(entries) == {"A", "B"}  # python-dotenv skips that line only
    (problem,) = problems
    message = str(problem)
    assert message.startswith(f"{root / '.env'}:2: the quote opened here ({quote}) is never closed")
    assert "on a later line" in message
    assert SECRET not in message


@pytest.mark.parametrize(
    "text",
    [
        'A=1\nTOKEN="closed" trailing\nB=2\n',  # closed, but text follows the quote
        "A=1\nTOKEN=x\n  oops here\n",
        'A=1\nTOKEN="closed"x\n',
    ],
)
def test_other_unparsable_lines_keep_the_generic_message(engine, root, text):
    problems = []
    engine.parse_env_text(text, root / ".env", {}, problems)
    assert problems and all("cannot parse this line" in str(p) for p in problems)
    assert not any("never closed" in str(p) for p in problems)


def test_quote_closed_on_a_later_line_is_a_multi_line_value(engine, root):
    problems = []
    entries = engine.parse_env_text('A="one\ntwo"\nB=2\n', root / ".env", {}, problems)
    assert problems == [] and entries["A"].value == "one\ntwo"


def test_interpolation_reads_the_given_environ(load, root):
    write(root / ".env", "NAME=${WHO}-${MISSING:-fallback}\n")
    assert load(environ={"TOKEN": "t", "WHO": "me"}).name == "me-fallback"


# --------------------------------------------------------------------- secrets


def test_secret_is_masked_everywhere(engine, load, root, capsys):
    write(root / ".env", f"TOKEN={SECRET}\nAPI_KEY='{SECRET}'\nPORT=nope\n")
    error = problems_of(engine, lambda: load())
    assert SECRET not in str(error) + repr(error.problems)
    write(root / ".env", f"TOKEN={SECRET}\nAPI_KEY='{SECRET}'\n")
    settings = load()
    shown = f"{settings!r} {settings.token} {settings.token!r} {settings.as_dict()}"
    assert SECRET not in shown
    assert "**********" in shown
    assert settings.token.get_secret_value() == SECRET
    report = engine.render_report(settings, root / ".env", True)
    assert SECRET not in report and "**********" in report


def test_secret_equality_and_pickling(engine):
    import pickle

    secret = engine.Secret(SECRET)
    assert secret == engine.Secret(SECRET) and secret != engine.Secret("other")
    assert pickle.loads(pickle.dumps(secret)).get_secret_value() == SECRET


def test_report_masks_url_passwords(engine, load):
    settings = load(environ={"TOKEN": "t", "DATABASE_URL": f"postgresql://me:{SECRET}@h/db"})
    report = engine.render_report(settings, Path(".env"), False)
    assert SECRET not in report
    assert "postgresql://me:**********@h/db" in report
    assert settings.database_url == f"postgresql://me:{SECRET}@h/db"


def test_repr_masks_url_passwords_like_the_report(engine, Demo, load):
    settings = load(environ={"TOKEN": SECRET, "DATABASE_URL": f"postgresql://me:{SECRET}@h/db"})
    for shown in (repr(settings), str(settings)):
        assert SECRET not in shown
        assert "database_url='postgresql://me:**********@h/db'" in shown
        assert "token=Secret('**********')" in shown
    # Built directly (tests do it) too.
    values = {**settings.as_dict(), "database_url": f"mysql://root:{SECRET}@db/x"}
    assert "mysql://root:**********@db/x" in repr(Demo(**values))
    # A URL without password shows as is.
    assert "sqlite:///app.db" in repr(load(environ={"TOKEN": "t"}))


def test_unparsable_url_still_hides_its_user_info(engine):
    values = importlib.import_module(f"{PACKAGE}._settings_values")
    masked = values._mask_url(f"postgresql://me:{SECRET}@[::1/db")
    assert SECRET not in masked and masked == "postgresql://**********@[::1/db"


# ---------------------------------------------------------------- performance


def test_values_are_plain_instance_attributes(engine, load):
    settings = load(environ={"TOKEN": "t"})
    assert vars(settings)["port"] == 8000
    # Variable is no descriptor: reading settings.port does no work.
    assert not hasattr(engine.Variable, "__get__")
    with pytest.raises(AttributeError, match="read-only"):
        settings.port = 1


def test_nothing_at_import_and_no_dotenv_without_env_file(tmp_path):
    path = build_package(tmp_path / "site")
    code = f"""
import sys
from {PACKAGE} import _settings_engine as engine
assert "dotenv" not in sys.modules, "at import"
class S(engine.BaseSettings):
    port: int = engine.Var("int", default="1")
layout = engine.Layout({str(tmp_path / "project")!r})
assert engine.load(S, environ={{}}, layout=layout).port == 1
assert "dotenv" not in sys.modules, "without env file"
(tmp_path := __import__("pathlib").Path({str(tmp_path)!r})).joinpath("x.env").write_text("PORT=2")
assert engine.load(S, tmp_path / "x.env", environ={{}}, layout=layout).port == 2
assert "dotenv" in sys.modules
"""
    env = {**os.environ, "PYTHONPATH": str(path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_environment_alone_imports_no_pathlib_nor_re(tmp_path):
    """pathlib (with re, fnmatch, urllib.parse...) costs more than a load from the
    environment: it comes only with a path variable, an env file or a Path asked for."""
    path = build_package(tmp_path / "site")
    heavy = ("pathlib", "re", "fnmatch", "urllib.parse", "typing", "collections", "dotenv")
    code = f"""
import sys
before = set(sys.modules)
def new():
    return sorted(m for m in {heavy!r} if m in sys.modules and m not in before)
from {PACKAGE} import _settings_engine as engine
class S(engine.BaseSettings):
    port: int = engine.Var("int", default="1")
    url: str = engine.Var("url", default="https://example.org")
    hosts: list = engine.Var("list", default="a,b")
    token: engine.Secret = engine.Var("secret")
    debug: bool = engine.Var("bool", default="no")
layout = engine.Layout({str(tmp_path / "project")!r}, env_file_override="X_ENV_FILE")
assert engine.load(S, environ={{"TOKEN": "t"}}, layout=layout).port == 1
assert new() == [], new()
class P(S):
    data: object = engine.Var("path", default="data")
assert engine.load(P, environ={{"TOKEN": "t"}}, layout=layout).data.name == "data"
assert "pathlib" in new(), new()
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(path)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_layout_hands_out_paths(engine, root, tmp_path, monkeypatch):
    layout = engine.Layout(str(root), env_file="conf/.env", env_file_override="DEMO_ENV_FILE")
    assert layout.root == root and isinstance(layout.root, Path)
    assert layout.default_env_path() == root / "conf" / ".env"
    assert layout.example_path() == root / ".env.example"
    assert layout.under_root(tmp_path / "abs") == tmp_path / "abs"
    moved = layout.replace(root=tmp_path, example_file="x.example")
    assert (moved.root, moved.env_file, moved.example_file) == (tmp_path, "conf/.env", "x.example")
    assert moved.env_file_override == "DEMO_ENV_FILE"
    monkeypatch.chdir(tmp_path)
    assert engine.resolve_env_path("./a//b.env", {}, layout) == (tmp_path / "a" / "b.env", True)
    assert engine.resolve_env_path(None, {"DEMO_ENV_FILE": "s.env"}, layout) == (root / "s.env",
                                                                               True)


def test_missing_env_file_messages_show_clean_paths(engine, load, root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    error = problems_of(engine, lambda: load("./sub//x.env", {"TOKEN": "t"}))
    assert f"env file {tmp_path / 'sub' / 'x.env'} does not exist" in str(error)
    error = problems_of(engine, lambda: load(environ={}))
    assert f"there is no env file at {root / '.env'} (" in str(error)


@pytest.mark.parametrize(
    "text",
    ["https://h", "a:", "A1+.-z:x", "sqlite:///app.db", "", ":", "1http://h", "ht tp://h",
     "http//h", "é://h", "h\u00e9://x", "+a:b", "a_b://c", "//u:pw@h", "ab"],
)
def test_url_scheme_check_is_rfc_3986(engine, load, text):
    import re

    valid = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) is not None
    declarations = importlib.import_module(f"{PACKAGE}._settings_declarations")
    try:
        declarations._cast(engine.Variable("url", None, "", "U"), text, None)
    except ValueError:
        assert not valid
    else:
        assert valid


# --------------------------------------------------------------------- export


def test_export_to_environ(engine, load, root):
    write(root / ".env", f"TOKEN={SECRET}\nDATA_DIR=data\nDEBUG=yes\n")
    settings = load(environ={"PORT": "1"})
    target = {"NAME": "already", "RATIO": ""}
    written = settings.export_to_environ(target)
    assert "NAME" not in written and target["NAME"] == "already"
    assert target["TOKEN"] == SECRET
    assert target["DATA_DIR"] == str(root / "data")
    assert target["DEBUG"] == "true"
    assert target["PORT"] == "1"
    assert "RATIO" not in written and target["RATIO"] == ""  # no value to write
    assert written == ["TOKEN", "PORT", "DEBUG", "DATABASE_URL", "DATA_DIR", "HOSTS"]
    again = load(environ={**target, "NAME": "demo"})
    assert again == settings


def test_export_defaults_to_os_environ(engine, Demo, layout, monkeypatch):
    for variable in Demo.variables():
        monkeypatch.delenv(variable.name, raising=False)
    monkeypatch.setenv("NAME", "mine")
    settings = engine.load(Demo, environ={"TOKEN": "t", "PORT": "4", "NAME": "x"}, layout=layout)
    written = settings.export_to_environ()
    try:
        assert os.environ["PORT"] == "4" and os.environ["NAME"] == "mine"
        assert "PORT" in written and "NAME" not in written
    finally:
        for name in written:
            del os.environ[name]


def test_export_never_writes_reserved_names_unless_allowed(engine, layout):
    class Paths(engine.BaseSettings):
        pythonpath: str = engine.Var("str", default="src")
        app: str = engine.Var("str", default="x")

    settings = engine.load(Paths, environ={}, layout=layout)
    target: dict[str, str] = {}
    assert settings.export_to_environ(target) == ["APP"]
    allowed = engine.load(Paths, environ={}, layout=layout.replace(allow_reserved=("PythonPath",)))
    assert allowed.export_to_environ({}) == ["PYTHONPATH", "APP"]


# ---------------------------------------------------------------------- check


EXAMPLE = """\
# documented
NAME=demo
TOKEN=
PORT=8000
RATIO=
DEBUG=false
DATABASE_URL=sqlite:///app.db
DATA_DIR=
HOSTS=localhost
NOTE=
API_KEY=
"""


@pytest.fixture
def project(root):
    write(root / ".env.example", EXAMPLE)
    env = write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t"))
    env.chmod(0o600)
    return root


def codes(problems):
    return sorted(p.code for p in problems)


def test_check_in_sync(engine, Demo, layout, project):
    assert engine.check_env_file(Demo, layout, environ={}) == []
    assert engine.check_example(Demo, layout) == []


def test_check_reports_missing_extra_empty_and_bad_values(engine, Demo, layout, project):
    text = EXAMPLE.replace("PORT=8000\n", "PORT=x\n").replace("HOSTS=localhost\n", "")
    write(project / ".env", text + "EXTRA=1\n")
    problems = engine.check_env_file(Demo, layout, environ={})
    assert codes(problems) == ["empty-required", "extra-key", "invalid", "missing-key"]
    text = "\n".join(map(str, problems))
    assert "HOSTS is in .env.example but missing" in text
    assert "EXTRA at" in text and "TOKEN is required but empty" in text
    # A required value set in the environment is not "empty".
    problems = engine.check_env_file(Demo, layout, environ={"TOKEN": "t"})
    assert "empty-required" not in codes(problems)


def test_check_accepts_keys_the_environment_provides(engine, Demo, layout, project, capsys):
    write(project / ".env", EXAMPLE.replace("HOSTS=localhost\n", ""))
    assert codes(engine.check_env_file(Demo, layout, environ={})) == ["empty-required",
                                                                      "missing-key"]
    # The environment wins over the env file: neither is a problem then.
    assert engine.check_env_file(Demo, layout, environ={"HOSTS": "h", "TOKEN": "t"}) == []
    # An empty environment value does not count.
    assert "missing-key" in codes(engine.check_env_file(Demo, layout, environ={"HOSTS": ""}))
    capsys.readouterr()
    assert engine.run_cli(Demo, layout, ["check"], environ={"HOSTS": "h", "TOKEN": "t"}) == 0
    out = capsys.readouterr().out
    assert "info: HOSTS is not in" in out and "the environment provides it" in out


def test_check_reports_reserved_names_with_reason(engine, Demo, layout, project):
    write(project / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t") + "PYTHONPATH=src\nPip_Index_Url=x\n")
    problems = engine.check_env_file(Demo, layout, environ={})
    assert codes(problems) == ["reserved", "reserved"]
    assert "PYTHONPATH at" in str(problems[0]) and "interpreter" in str(problems[0])
    assert "ALLOW_RESERVED" in str(problems[0])
    allowed = layout.replace(allow_reserved=("PYTHONPATH",))
    assert codes(engine.check_env_file(Demo, allowed, environ={})) == ["reserved"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_check_reports_env_file_readable_by_others(engine, Demo, layout, project):
    (project / ".env").chmod(0o644)
    (problem,) = engine.check_env_file(Demo, layout, environ={})
    assert problem.code == "permissions" and "chmod 600" in str(problem)


def test_check_reports_env_file_tracked_by_git(engine, Demo, layout, project):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    assert engine.check_env_file(Demo, layout, environ={}) == []
    subprocess.run(["git", "add", "-f", ".env"], cwd=project, check=True)
    (problem,) = engine.check_env_file(Demo, layout, environ={})
    assert problem.code == "tracked" and "git rm --cached" in str(problem)


def test_check_without_git_on_path(engine, Demo, layout, project, monkeypatch):
    monkeypatch.setenv("PATH", str(project / "no-bin-here"))
    assert engine.check_env_file(Demo, layout, environ={}) == []


def test_check_without_env_file(engine, Demo, layout, project):
    (project / ".env").unlink()
    (problem,) = engine.check_env_file(Demo, layout, environ={})
    assert problem.code == "no-file" and "bootstrap" in str(problem)


def test_check_example_only(engine, Demo, layout, project):
    text = EXAMPLE.replace("PORT=8000", "PORT=80").replace("TOKEN=", f"TOKEN={SECRET}")
    write(project / ".env.example", text.replace("NOTE=\n", "") + "OTHER=1\n")
    problems = engine.check_example(Demo, layout)
    assert codes(problems) == ["default-mismatch", "extra-key", "missing-key", "secret-value"]
    assert SECRET not in "\n".join(map(str, problems))


# ------------------------------------------------------------------------ CLI


def test_cli_exit_codes_and_output(engine, Demo, layout, project, capsys):
    assert engine.run_cli(Demo, layout, [], environ={}) == 0
    out = capsys.readouterr().out
    assert "TOKEN" in out and f"{project / '.env'}:3" in out and "default" in out
    assert engine.run_cli(Demo, layout, ["check"], environ={}) == 0
    assert engine.run_cli(Demo, layout, ["check", "--example-only"], environ={}) == 0
    capsys.readouterr()
    write(project / ".env", "PORT=x\n")
    assert engine.run_cli(Demo, layout, [], environ={}) == 1
    err = capsys.readouterr().err
    assert "2 problems" in err and "TOKEN" in err and "PORT" in err
    assert engine.run_cli(Demo, layout, ["check"], environ={}) == 1
    capsys.readouterr()
    write(project / ".env", "TOKEN=t\nKEY='unclosed\n")
    assert engine.run_cli(Demo, layout, [], environ={}) == 1
    err = capsys.readouterr().err
    assert ".env:2: the quote opened here (') is never closed" in err and "unclosed" not in err
    with pytest.raises(SystemExit) as caught:
        engine.run_cli(Demo, layout, ["bogus"], environ={})
    assert caught.value.code == 2


def test_report_warns_about_reserved_names_but_succeeds(engine, Demo, layout, project, capsys):
    write(project / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t") + "PYTHONPATH=src\n")
    capsys.readouterr()
    # The library itself stays silent.
    engine.load(Demo, environ={}, layout=layout)
    assert capsys.readouterr() == ("", "")
    assert engine.run_cli(Demo, layout, [], environ={}) == 0
    out, err = capsys.readouterr()
    (warning,) = err.splitlines()
    assert warning.startswith(f"warning: PYTHONPATH at {project / '.env'}:")
    assert "interpreter" in warning and "ALLOW_RESERVED" in warning
    assert "TOKEN" in out
    # One message for both commands.
    (problem,) = engine.check_env_file(Demo, layout, environ={})
    assert warning == f"warning: {problem}"
    allowed = layout.replace(allow_reserved=("PYTHONPATH",))
    assert engine.run_cli(Demo, allowed, [], environ={}) == 0
    assert capsys.readouterr().err == ""
    # Also shown when loading fails.
    write(project / ".env", "PYTHONPATH=src\nPORT=x\n")
    assert engine.run_cli(Demo, layout, [], environ={}) == 1
    err = capsys.readouterr().err
    assert "warning: PYTHONPATH at" in err and "2 problems" in err
