"""Unit tests of the settings engine (template/{{package_dir}}/_settings/).

No ``from __future__ import annotations`` here: the classes declared inside test
functions name local variables in their annotations.
"""

import json
import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from engine_pkg import PACKAGE, build_package, import_files

SECRET = "Sup3r-s3cret-VALUE"


@pytest.fixture(scope="module")
def Demo(engine):
    env, Secret, Url = engine.env, engine.Secret, engine.Url

    class Demo(engine.BaseSettings):
        name: str = "demo"
        token: Secret
        port: int = 8000
        ratio: float | None = None
        debug: bool = False
        database_url: Url = "sqlite:///app.db"
        data_dir: Path | None = None
        hosts: list[str] = env(default=["localhost"], description="Where it runs.")
        note: str = ""
        api_key: Secret | None = None

    return Demo


@pytest.fixture
def root(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    return project


@pytest.fixture
def project(engine, root):
    return engine.Project(root, "demo")


@pytest.fixture
def load(Demo, project):
    def load(env_file=None, environ=None, *, settings_cls=None, project_=None):
        return (settings_cls or Demo).load(
            env_file, environ={} if environ is None else environ, project=project_ or project
        )

    return load


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def problems_of(engine, call):
    with pytest.raises(engine.SettingsError) as caught:
        call()
    return caught.value


def settings_module(engine, name: str, source: str):
    """A module of the engine's package (``<package>.<name>``) with ``source``, imported
    as a project's settings.py is: pickle and the checks of its file need a real one."""
    import importlib

    (Path(engine.__file__).parents[1] / f"{name}.py").write_text(source)
    return importlib.import_module(f"{PACKAGE}.{name}")


def declare(engine, body: str, **names):
    """A BaseSettings subclass from source text (annotations evaluated as in a module)."""
    namespace = {"BaseSettings": engine.BaseSettings, "Secret": engine.Secret,
                 "Url": engine.Url, "env": engine.env, "Path": Path, "typing": typing, **names}
    exec(f"class S(BaseSettings):\n{body}", namespace)  # noqa: S102 - test declarations
    return namespace["S"]


# ------------------------------------------------------------------ declarations


def test_annotations_written_as_text_are_resolved(engine, monkeypatch):
    """``from __future__ import annotations`` in settings.py, or a quoted name inside an
    annotation: typing.get_type_hints() resolves them, in the declaring module."""
    module = type(sys)("settings_with_text_annotations")
    module.__dict__.update(BaseSettings=engine.BaseSettings, Secret=engine.Secret,
                           Url=engine.Url, typing=typing)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec("from __future__ import annotations\n"  # noqa: S102 - test declarations
         "class S(BaseSettings):\n    port: int = 1\n    hosts: list[str] = []\n"
         "    api: Url | None = None\n    key: Secret | None = None\n", module.__dict__)
    exec("class T(BaseSettings):\n"  # noqa: S102 - test declarations
         "    port: typing.Optional['int'] = None\n    tags: list['str'] = []\n", module.__dict__)

    def kinds(settings_cls):
        return {v.name: (v.kind, v.optional) for v in settings_cls.variables()}

    assert kinds(module.S) == {"PORT": ("int", False), "HOSTS": ("list", False),
                               "API": ("url", True), "KEY": ("secret", True)}
    assert kinds(module.T) == {"PORT": ("int", True), "TAGS": ("list", False)}
    loaded = module.T.load(environ={"PORT": "8", "TAGS": "a,b"},
                           project=engine.Project(None, "demo"))
    assert (loaded.port, loaded.tags) == (8, ["a", "b"])


def test_annotations_declare_every_type(Demo, engine):
    found = {v.name: (v.kind, v.optional, v.default) for v in Demo.variables()}
    assert found == {
        "NAME": ("str", False, "demo"),
        "TOKEN": ("secret", False, engine.MISSING),
        "PORT": ("int", False, 8000),
        "RATIO": ("float", True, None),
        "DEBUG": ("bool", False, False),
        "DATABASE_URL": ("url", False, "sqlite:///app.db"),
        "DATA_DIR": ("path", True, None),
        "HOSTS": ("list", False, ["localhost"]),
        "NOTE": ("str", False, ""),
        "API_KEY": ("secret", True, None),
    }
    assert Demo.variables()[7].description == "Where it runs."
    # Type checkers and typing.get_type_hints see the same annotations.
    assert typing.get_type_hints(Demo)["port"] is int


def test_the_engine_attributes_are_exactly_the_public_names(engine):
    sys.path.insert(0, str(Path(engine.__file__).parent))
    public = {name for name in dir(engine.BaseSettings) if not name.startswith("_")}
    import _rules

    sys.path.pop(0)
    assert public == _rules.ENGINE_ATTRIBUTES


@pytest.mark.parametrize("attr", ["export_to_environ", "as_dict", "sources", "variables", "load"])
def test_a_variable_hiding_an_engine_method_is_refused(engine, attr):
    with pytest.raises(TypeError, match="one of the loader's own methods"):
        declare(engine, f"    {attr}: str = ''")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    port: int | str = 1", "the type int | str is not supported"),
        ("    port: dict[str, int] = {}", "is not supported"),
        ("    hosts: list[int] = env(default=[1])", "list[int] is not supported"),
        ("    hosts: list = env(default=[])", "the type list is not supported"),
        ("    debug: bool = 'false'", "the default 'false' is a str, not a bool"),
        ("    port: int = True", "is a bool, not an int"),
        ("    port: int = None", "a default of None needs | None"),
        ("    port: int = 10**5000", "the default is too large for an env file"),
        ("    data: Path = 'data'", "(write Path(...))"),
        ("    token: Secret = Secret('hunter2')", "a secret cannot have a default"),
        ("    url: Url = 'localhost/db'", "expected a URL with a scheme"),
        ("    url: Url = 'postgresql://u:pw@h/db'", "holds a password"),
        ("    url: Url = 'user:pw@host'", "not user:password@host"),
        ("    _hidden: int = 1", "private attribute"),
        ("    a: int = env(default=1, name='A-B')", "'A-B': names are upper case letters"),
        # Copy time's rule: a name in other letter case would also clash on Windows.
        ("    port: int = 1\n    other: int = env(default=1, name='Port')",
         "'Port': names are upper case letters, digits and '_' ([A-Z_][A-Z0-9_]*); use 'PORT'"),
        ("    app_port: int = env(default=1, name='app_port')", "use 'APP_PORT'"),
        ("    model_config = {'env_prefix': 'APP_'}\n    port: int = 1",
         "model_config: pydantic-settings' configuration, which this loader does not read"),
        ("    token: Secret = Secret('x')",
         "it would be written to settings.py and .env.example"),
        ("    token: Secret = Secret('x')",
         "; in a test, give it in code: S(token=Secret(...), ...)"),
        ("    x: int = env(default=1, name='Y')\n    y: int = 2",
         "x and y are both the environment variable Y; declare it once"),
        ("    missing: 'NotImported' = 1", "cannot be evaluated"),
        ("    engine_under_test_env: str = ''", "chooses the mode of the env layers"),
        ("    tags: list[str] = env(default=['a,b'])",
         "the default holds the item 'a,b', which holds ','"),
        ("    tags: list[str] = env(default=[' c '])", "the item ' c ', with spaces around it"),
        ("    tags: list[str] = env(default=['a', ''])", "the default holds an empty item"),
        ("    d: Path | None = env(default=None, name='ENGINE_UNDER_TEST_SECRETS_DIR')",
         "'ENGINE_UNDER_TEST_SECRETS_DIR' is the loader's own setting that names the secrets"),
        ("    engine_under_test_env_file: str = ''", "points it at another env file"),
    ],
)
def test_bad_declarations_are_refused_when_the_class_is_made(engine, body, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        declare(engine, body)


def test_every_wrong_declaration_is_reported_at_once(engine):
    with pytest.raises(TypeError) as caught:
        declare(engine, "    port: int = '8000'\n    ok: str = ''\n    bad: list[int] = []\n"
                        "    maybe: Secret = Secret('x')")
    lines = str(caught.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["S.port", "S.bad", "S.maybe"], lines


@pytest.mark.parametrize("name", ["str", "int", "float", "bool", "list"])
def test_variables_named_like_types_are_refused(engine, name):
    """Issue 12, point 16: STR, INT... as attributes hide the types from the annotations."""
    with pytest.raises(TypeError, match="would hide the type"):
        declare(engine, f"    {name}: str = 'x'\n    other: int = 1")


def test_get_type_hints_works_on_every_declaration(engine, Demo):
    for cls in (Demo, declare(engine, "    a: str = 'x'\n    b: int | None = None")):
        hints = typing.get_type_hints(cls)
        assert set(hints) >= {v.attr for v in cls.variables()}


def test_class_variables_and_methods_are_not_variables(engine):
    S = declare(engine, "    cache: typing.ClassVar[int] = 3\n    port: int = 1\n"
                        "    def url(self) -> str:\n        return 'x'")
    assert [v.attr for v in S.variables()] == ["port"]


def test_declaration_order_names_and_inheritance(engine, Demo):
    assert [v.name for v in Demo.variables()][:3] == ["NAME", "TOKEN", "PORT"]

    class More(Demo):
        extra: str = engine.env(default="x", name="MORE_EXTRA")

    assert [(v.attr, v.name) for v in More.variables()][-1] == ("extra", "MORE_EXTRA")
    assert More.variables()[:-1] == Demo.variables()  # descriptions and all


def test_var_declarations_of_0_1_0_are_accepted_and_checked(engine):
    """settings.py of 0.1.0 wrote the type twice; Var stays usable without an import."""
    S = declare(engine, (
        "    port: int = Var('int', default='80')\n"
        "    ratio: float | None = Var('float', default='')\n"
        "    url: str = Var('url', default='https://x.org', description='Where.')\n"
        "    hosts: list[str] = Var('list', default='a, b')\n"
        "    token: Secret = Var('secret')\n"
        "    key: Secret = Var('secret', default='')\n"
        "    note: str = Var('str', default='')\n"
    ))
    assert [(v.kind, v.default) for v in S.variables()] == [
        ("int", 80), ("float", None), ("url", "https://x.org"), ("list", ["a", "b"]),
        ("secret", engine.MISSING), ("secret", engine.Secret("")), ("str", ""),
    ]
    assert not hasattr(S, "Var")
    # Gone before the class is created: a mixin's hook does not see it, and a variable
    # whose attribute is named Var is required, not defaulting to the function.
    seen = []

    class Mixin:
        def __init_subclass__(cls, **kwargs):
            super().__init_subclass__(**kwargs)
            seen.append("Var" in vars(cls))

    class T(engine.BaseSettings, Mixin):
        Var: str

    assert seen == [False] and T.variables()[0].required
    with pytest.raises(TypeError, match=r"Var\('int'\) does not match its annotation, which is a str"):
        declare(engine, "    port: str = Var('int')")
    with pytest.raises(TypeError, match="add \\| None"):
        declare(engine, "    port: int = Var('int', default='')")
    with pytest.raises(TypeError, match="is not a valid int"):
        declare(engine, "    port: int = Var('int', default='eighty')")


def test_the_constructor_fills_defaults_and_checks_names(engine, Demo):
    settings = Demo(token="t")
    assert (settings.port, settings.token, settings.hosts) == (8000, engine.Secret("t"), ["localhost"])
    settings.hosts.append("x")
    assert Demo(token="t").hosts == ["localhost"]  # each instance its own list
    with pytest.raises(TypeError, match="missing: token"):
        Demo()
    with pytest.raises(TypeError, match="unknown: nope"):
        Demo(token="t", nope=1)
    with pytest.raises(AttributeError, match="read-only"):
        settings.port = 1


def test_the_constructor_checks_types_and_masks_as_a_load_does(engine, Demo):
    """Values given in code are checked against the annotations (the error names the
    attribute and the type, never the value) and kept as a load keeps them."""
    password = "hunter2-pw"
    settings = Demo(token=engine.Secret("t"), ratio=2, database_url=f"postgresql://u:{password}@h/db",
                    hosts=[f"https://u:{password}@h", "b"], name=f"redis://:{password}@cache",
                    data_dir=None, api_key=f"{SECRET}")
    assert settings.ratio == 2.0 and isinstance(settings.ratio, float)
    assert settings.database_url == f"postgresql://u:{password}@h/db"
    assert settings.api_key == engine.Secret(SECRET)
    shown = f"{settings!r} {vars(settings)} {settings.as_dict()}"
    assert password not in shown and SECRET not in shown
    for given, message in (
        ({"token": b"t0ps3cret"}, "Demo(token=...): a bytes, not a str or a Secret"),
        ({"port": "80"}, "Demo(port=...): a str, not an int"),
        ({"port": True}, "Demo(port=...): a bool, not an int"),
        ({"debug": 1}, "Demo(debug=...): an int, not a bool"),
        ({"data_dir": "data"}, "Demo(data_dir=...): a str, not a path (write Path(...))"),
        ({"hosts": ["a", 1]}, "Demo(hosts=...): a list with items that are not str, not a list"),
        ({"port": None}, "Demo(port=...): None, which the annotation does not allow"),
    ):
        with pytest.raises(TypeError) as caught:
            Demo(**{"token": "t", **given})
        assert str(caught.value) == message
        assert "t0ps3cret" not in str(caught.value)


def test_the_constructor_refuses_values_a_load_refuses_and_takes_paths_as_a_load_does(
        engine, Demo):
    """A test building Settings(...) sees what production loads: a relative path from
    the project root, default or given; and what a load refuses is refused here too."""
    class Paths(engine.BaseSettings):
        data_dir: Path = Path("data")
        cache_dir: Path | None = None

    project = engine.current_project()
    loaded = Paths.load((), environ={})
    assert Paths().data_dir == loaded.data_dir == project.path("data")
    assert Paths(cache_dir=Path("cache")).cache_dir == project.path("cache")
    assert project.path("cache").is_absolute()
    assert Paths(cache_dir=Path("/abs")).cache_dir == Path("/abs")
    for given, message in (
        ({"database_url": "not a url"}, "Demo(database_url=...): expected a URL"),
        ({"database_url": ""}, "Demo(database_url=...): an empty URL is no URL"),
        ({"database_url": "http://"}, "Demo(database_url=...): expected a URL with a host"),
        ({"ratio": float("nan")}, "Demo(ratio=...): nan, which no env file gives a float"),
        ({"hosts": ["a,b"]}, "Demo(hosts=...): a list with an empty item, a ',' in an item"),
        ({"hosts": ["a", ""]}, "Demo(hosts=...): a list with an empty item, a ',' in an item"),
        ({"name": "a\0b"}, "Demo(name=...): a NUL character, which no env file can hold"),
        ({"token": "a\0b"}, "Demo(token=...): a NUL character"),
        ({"token": ""}, "Demo(token=...): empty, which a load takes for not set; it is required"),
        ({"token": engine.Secret("")}, "Demo(token=...): empty"),
    ):
        with pytest.raises(ValueError) as caught:
            Demo(**{"token": "t", **given})
        assert str(caught.value).startswith(message), str(caught.value)


def test_settings_copy_deepcopy_and_pickle_as_read_only_settings(engine, project, root):
    """multiprocessing pickles what it sends; copy and deepcopy work the same way."""
    import copy
    import pickle

    module = settings_module(engine, "picklable",
        "from ._settings import BaseSettings, Secret, env\n\n\n"
        "class Settings(BaseSettings):\n"
        "    token: Secret\n    name: str = ''\n    port: int = 8000\n"
        "    hosts: list[str] = env(default=['localhost'])\n"
    )
    write(root / ".env", f"TOKEN={SECRET}\nNAME=n-${{TOKEN}}\nHOSTS=a,b\n")
    settings = module.Settings.load(environ={}, project=project)
    for twin in (copy.copy(settings), copy.deepcopy(settings),
                 pickle.loads(pickle.dumps(settings))):
        assert twin == settings and type(twin) is type(settings)
        assert twin.sources() == settings.sources()
        assert twin.token.get_secret_value() == SECRET
        assert repr(twin) == repr(settings) and SECRET not in repr(twin)
        with pytest.raises(AttributeError, match="read-only"):
            twin.port = 1
    assert copy.deepcopy(settings).hosts is not settings.hosts
    # A SettingsError crosses processes too, problem by problem.
    write(root / ".env", "TOKEN=t\nPORT=x\n")
    with pytest.raises(engine.SettingsError) as caught:
        module.Settings.load(environ={}, project=project)
    for twin in (copy.copy(caught.value), pickle.loads(pickle.dumps(caught.value))):
        assert str(twin) == str(caught.value) and str(twin).startswith("1 problem in")
        assert [p.code for p in twin.problems] == ["invalid"]


def test_settings_hash_as_their_values_and_key_a_cache(engine, Demo):
    import functools

    one = Demo(token=engine.Secret("t"), hosts=["a", "b"])
    two = Demo(token=engine.Secret("t"), hosts=["a", "b"])
    other = Demo(token=engine.Secret("t"), hosts=["a"])
    assert one == two and hash(one) == hash(two) and one != other
    assert {one: 1, other: 2}[two] == 1
    calls = []

    @functools.cache
    def client(settings):
        calls.append(settings)
        return settings.port

    assert client(one) == client(two) == 8000 and calls == [one]


def test_replace_checks_the_changed_values_and_keeps_the_rest(engine, Demo, load, root):
    """copy.replace (Python 3.13+) calls __replace__: a checked copy, sources kept."""
    import copy

    write(root / ".env", f"TOKEN={SECRET}\nPORT=9000\n")
    settings = load()
    twin = settings.__replace__(debug=True, data_dir=Path("var"))
    assert (twin.debug, twin.port, twin.token) == (True, 9000, settings.token)
    assert twin.data_dir == root / "var"  # taken from the root, as Settings(...) does
    assert str(twin.sources()["port"]) == f"{root / '.env'}:2"
    assert str(twin.sources()["debug"]) == "code" and settings.debug is False
    with pytest.raises(TypeError, match=r"Demo\(port=...\): a str, not an int"):
        settings.__replace__(port="80")
    with pytest.raises(TypeError, match=r"copy.replace\(Demo\): no such variable: prot"):
        settings.__replace__(prot=80)
    if sys.version_info >= (3, 13):
        assert copy.replace(settings, port=1).port == 1


def test_init_notes_name_the_env_file_as_the_project_does(engine, cli, Demo, root, capsys):
    project = engine.Project(root, "demo", table={"env-file": "config/app.env"})
    write(project.example_path, "TOKEN=\nNAME=\n")
    assert cli.main(Demo, ["init", "--json"], environ={}, project=project) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes[0] == "config/app.env.local: random values for TOKEN"


def test_init_creates_nothing_through_a_folder_linked_out_of_the_project(
        engine, cli, Demo, root, tmp_path, capsys):
    """env-file = "config/app.env" and config a link to a folder elsewhere (a repository
    can hold such a link): init writes nothing there; the bootstrap refuses it too."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "config").symlink_to(elsewhere)
    project = engine.Project(root, "demo", table={"env-file": "config/app.env"})
    write(project.example_path, "TOKEN=\n")
    assert cli.main(Demo, ["init"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    assert (f"{root / 'config' / 'app.env.local'} resolves to {elsewhere / 'app.env.local'}, "
            f"outside the project {root} (a link on the way): init creates env files inside "
            "the project only") in err
    assert list(elsewhere.iterdir()) == []


def test_init_that_cannot_create_the_env_file_says_why_without_a_traceback(
        engine, cli, Demo, root, capsys):
    """A private env file whose folder cannot be made (here a file is in the way; a
    read-only project folder gives the same kind of error) is a problem, exit 1."""
    project = engine.Project(root, "demo", table={"env-file": "config/app.env"})
    write(root / "config", "a file where the folder goes\n")
    write(project.example_path, "TOKEN=\n")
    assert cli.main(Demo, ["init"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    assert f"cannot create {root / 'config' / 'app.env.local'}: " in err
    assert "Traceback" not in err


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
        ("database_url", "mailto:a@b.org", "mailto:a@b.org"),
        ("hosts", "a.org, b.org,,  ,c.org ", ["a.org", "b.org", "c.org"]),
        ("hosts", " , ", []),
    ],
)
def test_values_are_typed(load, attr, text, expected):
    value = getattr(load(environ={"TOKEN": "t", attr.upper(): text}), attr)
    assert value == expected
    assert isinstance(value, type(expected))


def test_relative_paths_are_taken_from_the_project_root(load, root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load(environ={"TOKEN": "t", "DATA_DIR": "data/x"}).data_dir == root / "data" / "x"
    absolute = tmp_path / "elsewhere"
    assert load(environ={"TOKEN": "t", "DATA_DIR": str(absolute)}).data_dir == absolute
    assert load(environ={"TOKEN": "t", "DATA_DIR": "~/d"}).data_dir == Path.home() / "d"


@pytest.mark.parametrize(
    ("attr", "text", "message"),
    [
        ("port", "80.5", "expected an integer"),
        ("ratio", "2,5", "expected a number"),
        ("debug", "maybe", "expected a boolean"),
        ("database_url", "localhost/db", "expected a URL with a scheme"),
        ("database_url", "postgresql://app:pw@db:543210/app", "port is a number from 0 to 65535"),
    ],
)
def test_bad_values_name_variable_source_and_reason(engine, load, attr, text, message):
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", attr.upper(): text}))
    (problem,) = error.problems
    assert (problem.code, problem.variable) == ("invalid", attr.upper())
    assert f"{attr.upper()} (from environment)" in str(problem)
    assert message in str(problem)


# ------------------------------------------------------------ sources and empties


def test_environment_then_file_then_default(load, root):
    env_file = write(root / ".env", "PORT=2\nNAME=from-file\n")
    settings = load(environ={"TOKEN": "t", "PORT": "1"})
    assert (settings.port, settings.name, settings.debug) == (1, "from-file", False)
    sources = {attr: str(origin) for attr, origin in settings.sources().items()}
    assert (sources["port"], sources["name"], sources["debug"]) == (
        "environment", f"{env_file}:2", "default")


def test_empty_values_mean_not_set(load, root):
    env_file = write(root / ".env", "PORT=2\nNAME=\nTOKEN=from-file\n")
    settings = load(environ={"PORT": "", "NAME": "", "TOKEN": ""})
    assert (settings.port, settings.name) == (2, "demo")
    assert str(settings.sources()["port"]) == f"{env_file}:1"
    assert settings.token.get_secret_value() == "from-file"


def test_optional_values_set_nowhere(load):
    settings = load(environ={"TOKEN": "t"})
    assert (settings.note, settings.ratio, settings.data_dir, settings.api_key) == ("", None, None, None)


def test_every_problem_is_reported_at_once(engine, load, root):
    env_file = write(root / ".env", "PORT=eighty\n\nthis line is broken\nDEBUG=perhaps\nPORT=81\n")
    error = problems_of(engine, lambda: load())
    assert sorted(p.code for p in error.problems) == ["duplicate", "invalid", "missing", "parse"]
    text = str(error)
    assert text.startswith("4 problems in the settings:")
    assert f"{env_file}:3" in text and "TOKEN is required" in text
    assert f"DEBUG (from {env_file}:4)" in text and "lines 1 and 5" in text


# ------------------------------------------------------------ project and files


def test_no_env_file_at_the_default_path_is_fine(load, root):
    assert not (root / ".env").exists()
    assert load(environ={"TOKEN": "t"}).port == 8000


def test_an_explicit_env_file_must_exist(engine, load, root):
    error = problems_of(engine, lambda: load(root / "missing.env", {"TOKEN": "t"}))
    assert error.problems[0].code == "no-file" and "missing.env does not exist" in str(error)


def test_the_override_variable_is_explicit_and_relative_to_the_root(
        engine, load, root, tmp_path, monkeypatch):
    write(root / "staging.env", "PORT=9\n")
    monkeypatch.chdir(tmp_path)
    assert load(environ={"TOKEN": "t", "DEMO_ENV_FILE": "staging.env"}).port == 9
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", "DEMO_ENV_FILE": "nope"}))
    assert error.problems[0].code == "no-file"


def test_the_default_env_file_does_not_depend_on_the_cwd(engine, load, project, root, tmp_path,
                                                         monkeypatch):
    write(root / ".env", "PORT=7\n")
    write(tmp_path / ".env", "PORT=666\n")
    monkeypatch.chdir(tmp_path)
    assert load(environ={"TOKEN": "t"}).port == 7
    assert engine.env_layers(project, {}) == [engine.Layer(root / ".env", False),
                                              engine.Layer(root / ".env.local", False)]


@pytest.mark.parametrize("layout", ["src", "flat"])
def test_the_project_root_is_the_folder_of_pyproject_toml(engine, tmp_path, layout):
    package = tmp_path / "proj" / ("src/pkg" if layout == "src" else "pkg")
    package.mkdir(parents=True)
    write(tmp_path / "proj" / "pyproject.toml",
          '[tool.copier-venv-dotenv]\nenv-file = "conf/app.env"\nvenv-dir = "envs/py"\n')
    found = engine.Project.find(package, "pkg")
    assert found.root == tmp_path / "proj"
    assert (found.env_file, found.venv_dir, found.settings) == ("conf/app.env", "envs/py", "pkg.settings")
    assert found.override_name == "PKG_ENV_FILE"


def test_an_installed_package_has_no_project_root(engine, tmp_path, Demo, monkeypatch):
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "pkg"
    site.mkdir(parents=True)
    write(tmp_path / "pyproject.toml", "")  # someone else's project around the venv
    installed = engine.Project.find(site, "pkg")
    assert installed.root is None
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".env", "PORT=5\n")  # not read: no project, no default env file
    settings = Demo.load(environ={"TOKEN": "t"}, project=installed)
    assert settings.port == 8000
    error = problems_of(engine, lambda: Demo.load(environ={}, project=installed))
    assert "no project root was found above the package" in str(error)
    assert Demo.load(environ={"TOKEN": "t", "PKG_ENV_FILE": ".env"}, project=installed).port == 5


def test_files_linked_one_by_one_find_the_project_of_their_targets(tmp_path):
    # Bazel's runfiles, GNU Stow: real folders, each file a link into the project.
    project = tmp_path / "proj"
    project.mkdir()
    write(project / "pyproject.toml", "")
    source = build_package(project / "src") / PACKAGE
    farm = tmp_path / "farm" / PACKAGE
    for path in sorted(source.rglob("*.py")):
        link = farm / path.relative_to(source)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path)
    code = (f"import sys; sys.path.insert(0, {str(farm.parent)!r}); "
            f"from {PACKAGE}._settings import _engine; print(_engine.PROJECT_ROOT)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(project)


def test_a_package_linked_into_site_packages_finds_its_project(engine, tmp_path):
    # flit install --symlink: site-packages/pkg points at the project's src/pkg.
    source = tmp_path / "proj" / "src" / "pkg"
    source.mkdir(parents=True)
    write(tmp_path / "proj" / "pyproject.toml", '[tool.copier-venv-dotenv]\nenv-file = "app.env"\n')
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (site / "pkg").symlink_to(source, target_is_directory=True)
    assert engine.find_root(site / "pkg") == tmp_path / "proj"
    assert engine.Project.find(str(site / "pkg"), "pkg").env_file == "app.env"
    # Linked from a folder above a project of its own: that project is the one.
    other = tmp_path / "other"
    (other / "src").mkdir(parents=True)
    write(other / "pyproject.toml", "")
    (other / "src" / "pkg").symlink_to(source, target_is_directory=True)
    assert engine.find_root(other / "src" / "pkg") == other


def test_a_broken_pyproject_table_is_a_problem(engine, Demo, tmp_path):
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    write(tmp_path / "pyproject.toml", '[tool.copier-venv-dotenv]\nenv-file = [1]\n[[[')
    error = problems_of(engine, lambda: Demo.load(environ={"TOKEN": "t"},
                                                  project=engine.Project.find(package, "pkg")))
    assert error.problems[0].code == "project" and "pyproject.toml" in str(error)


@pytest.mark.parametrize("outside", ["../shared/.env", "/etc/app.env", "~/.env", "C:/x.env"])
def test_an_env_file_outside_the_project_is_refused_as_the_bootstrap_does(engine, Demo,
                                                                          root, outside):
    project = engine.Project(root, "demo", {"env-file": outside})
    assert project.env_file == ".env"  # not followed
    error = problems_of(engine, lambda: Demo.load(environ={"TOKEN": "t"}, project=project))
    assert [p.code for p in error.problems] == ["project"]
    assert str(error.problems[0]) == (
        f"[tool.copier-venv-dotenv] env-file = {outside!r} in pyproject.toml leaves the "
        "project; use a path inside it, such as '.env'")


@pytest.mark.parametrize("is_venv", [True, False])
def test_an_env_path_that_is_a_directory_gets_a_hint(engine, load, root, is_venv):
    (root / ".env").mkdir()
    if is_venv:
        (root / ".env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t"}))
    (problem,) = error.problems
    assert problem.code == "not-a-file"
    assert ("a virtual environment" in str(problem)) is is_venv
    assert "python3 scripts/bootstrap.py" in str(problem)


def test_the_directory_hint_names_the_configured_venv_dir(engine, Demo, root):
    (root / ".env").mkdir()
    (root / ".env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    project = engine.Project(root, "demo", {"venv-dir": "envs/py"})
    error = problems_of(engine, lambda: Demo.load(environ={"TOKEN": "t"}, project=project))
    assert "creates the venv in envs/py" in str(error)


def test_bom_and_crlf_are_tolerated(load, root):
    write(root / ".env", "\ufeffPORT=5\r\nNAME=\"two\r\nlines\"\r\nTOKEN=t\r\n")
    settings = load()
    assert (settings.port, settings.name) == (5, "two\nlines")
    assert str(settings.sources()["token"]).endswith(".env:4")


def test_not_utf8_is_reported(engine, load, root):
    (root / ".env").write_bytes(b"# menu\nPORT=80\nNAME=caf\xe9\n")
    error = str(problems_of(engine, lambda: load(environ={"TOKEN": "t"})))
    assert "is not UTF-8 text (line 3 holds a byte that UTF-8 does not allow)" in error
    # What PowerShell 5's `>` writes: named as such.
    (root / ".env").write_bytes("PORT=80\nNAME=x\n".encode("utf-16"))
    error = str(problems_of(engine, lambda: load(environ={"TOKEN": "t"})))
    assert f"env file {root / '.env'} is UTF-16 text; save it as UTF-8" in error


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (f'A=1\nTOKEN="{SECRET}\nB=2\n', '"'),
        (f"A=1\nexport  TOKEN = '{SECRET}\nB=2\n", "'"),
        (f'A=1\nTOKEN="{SECRET}\\"\nB=2\n', '"'),  # an escaped quote closes nothing
    ],
)
def test_an_unclosed_quote_gets_its_own_message(engine, root, text, quote):
    problems = []
    files = import_files(Path(engine.__file__).parents[2])
    entries = files.parse_text(text, root / ".env", problems)
    assert [e.key for e in entries] == ["A", "B"]  # python-dotenv skips that line only
    (problem,) = problems
    assert str(problem).startswith(f"{root / '.env'}:2: the quote opened here ({quote}) is never closed")
    assert SECRET not in str(problem)


# --------------------------------------------------------------- issue 12, loader


def run_engine(tmp_path, code: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with the engine importable as ``e``."""
    site = build_package(tmp_path / "site")
    prelude = f"import sys\nfrom {PACKAGE}._settings import _engine as e\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_the_command_line_without_python_dotenv_says_so_without_a_traceback(root):
    """An adopted project whose venv lacks python-dotenv (a dependency not added): the
    loader raises ImportError naming it; the command line prints it as a problem."""
    write(root / ".env", "PORT=2\n")
    code = f"""
sys.modules["dotenv"] = None  # not installed
from {PACKAGE}._settings import _cli
class S(e.BaseSettings):
    port: int = 1
project = e.Project({str(root)!r}, "demo")
sys.exit(_cli.main(S, ["check"], environ={{}}, project=project))
"""
    result = run_engine(root.parent, code, timeout=20)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert ("error: the settings need python-dotenv>=" in result.stderr
            and "add it to the project's dependencies and run scripts/bootstrap.py"
            in result.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_env_file_is_refused_without_blocking(engine, cli, Demo, project, root, capsys):
    """Point 6: load, the report and check never wait on a FIFO."""
    os.mkfifo(root / ".env")
    code = f"""
class S(e.BaseSettings):
    port: int = 1
project = e.Project({str(root)!r}, "demo")
try:
    S.load(environ={{}}, project=project)
except e.SettingsError as error:
    print(error)
"""
    result = run_engine(root.parent, code, timeout=20)
    assert "is not a regular file" in result.stdout, result.stderr
    assert cli.main(Demo, [], environ={"TOKEN": "t"}, project=project) == 1
    assert cli.main(Demo, ["check"], environ={"TOKEN": "t"}, project=project) == 1
    assert capsys.readouterr().err.count("is not a regular file") == 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_env_file_behind_a_file_or_a_dangling_link_is_reported(engine, root):
    """Neither counts as "no env file": the first cannot be looked at, the second points
    nowhere; both are reported with the path."""
    settings_cls = declare(engine, "    port: int = 1\n")
    (root / "config").write_text("a file where a folder should be\n")
    project = engine.Project(root, "demo", {"env-file": "config/app.env"})
    with pytest.raises(engine.SettingsError, match=r"cannot read env file .*config/app\.env"):
        settings_cls.load(environ={}, project=project)
    (root / ".env").symlink_to(root / "gone.env")
    with pytest.raises(engine.SettingsError, match=r"\.env is a symbolic link to .*gone\.env, "
                                                    r"which does not exist"):
        settings_cls.load(environ={}, project=engine.Project(root, "demo"))


def test_a_device_or_a_huge_file_is_refused(engine, load, root, project):
    """Point 6: /dev/zero would be read until memory runs out."""
    error = problems_of(engine, lambda: load("/dev/zero", {"TOKEN": "t"}))
    assert "is not a regular file" in str(error)
    # The null device is "no env file", as in the environment of a container.
    write(root / ".env", "PORT=x\n")
    settings = load(environ={"TOKEN": "t", project.override_name: os.devnull})
    assert settings.port == 8000 and str(settings.sources()["port"]) == "default"
    write(root / "big.env", "A=" + "x" * (1 << 20) + "\n")
    error = problems_of(engine, lambda: load(root / "big.env", {"TOKEN": "t"}))
    assert error.problems[0].code == "too-large" and "larger than 1 MiB" in str(error)


def test_interpolation_cannot_grow_without_bound(engine, load, root):
    """Point 6: each line doubling the last would need gigabytes."""
    lines = ["A0=" + "x" * 1000] + [f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 40)]
    write(root / ".env", "\n".join(lines) + "\n")
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t"}))
    assert [p.code for p in error.problems] == ["too-large"]
    assert "larger than 4 MiB" in str(error)
    # A plain value after the line that went too far is still read: not reported empty.
    write(root / ".env.local", "TOKEN=t\n")
    error = problems_of(engine, lambda: load(environ={}))
    assert [p.code for p in error.problems] == ["too-large"]


def test_one_line_of_many_references_stops_at_the_budget_without_building_it(
        engine, load, root):
    """800 KB of ${A} to a 20 KB value would be 4 GB once joined: the budget is counted
    as the value grows, so the load stops there, memory staying near the file's size."""
    import tracemalloc

    write(root / ".env", "TOKEN=t\nA=" + "z" * 20_000 + "\nNOTE=" + "${A}" * 200_000 + "\n")
    tracemalloc.start()
    try:
        error = problems_of(engine, lambda: load(environ={}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [p.code for p in error.problems] == ["too-large"]
    assert f"{root / '.env'}:3: the ${{...}} references make" in str(error)
    assert peak < 64 << 20, peak


def test_values_built_from_a_secret_are_masked_everywhere(engine, cli, Demo, load, project,
                                                          root, capsys):
    """Point 7: ${SECRET} inside another value is masked in errors, repr, report, check."""
    write(root / ".env", f"TOKEN={SECRET}\nDEBUG=${{TOKEN}}\nPORT=${{DATABASE_URL}}\n"
                         f"DATABASE_URL=postgresql://me:{SECRET}@db/app\n")
    error = problems_of(engine, lambda: load())
    assert SECRET not in str(error)
    assert "got '**********' (it is built from a secret)" in str(error)
    assert cli.main(Demo, [], environ={}, project=project) == 1
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    write(root / ".env", f"TOKEN={SECRET}\nAPI=https://me:{SECRET}@h/\n"
                         "NAME=user-${TOKEN}-x\nNOTE=${API}\n")
    settings = load()
    assert settings.name == f"user-{SECRET}-x"  # the value itself is intact
    shown = f"{settings!r} {vars(settings)} {settings.as_dict()} {settings.__dict__}"
    assert SECRET not in shown and "name='**********'" in repr(settings)
    assert cli.main(Demo, [], environ={}, project=project) == 0
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    assert "NAME" in out and "**********" in out


def test_as_dict_masked_is_safe_to_log_as_json(load, root):
    write(root / ".env", f"TOKEN={SECRET}\nNAME=user-${{TOKEN}}\nPORT=81\n"
                         f"DATABASE_URL=postgresql://me:{SECRET}@db/app?sslmode=require\n"
                         f"HOSTS=a,${{TOKEN}}\nNOTE=https://h/?page=2&token={SECRET}\n")
    settings = load()
    assert SECRET in json.dumps(settings.as_dict(), default=str)  # the real text, as said
    logged = json.dumps(settings.as_dict(masked=True), default=str)
    assert SECRET not in logged
    values = json.loads(logged)
    assert values["name"] == "**********" and values["hosts"] == ["**********", "**********"]
    assert values["database_url"] == "postgresql://me:**********@db/app?sslmode=require"
    assert values["note"] == "https://h/?page=2&token=**********"
    assert values["token"] == "**********" and values["port"] == 81
    assert values["api_key"] is None and values["debug"] is False
    assert settings.as_dict(masked=True)["data_dir"] is None


def test_a_list_built_from_a_secret_masks_its_items_and_a_number_or_path_is_refused(
        engine, load, root):
    """A list keeps text items whose repr is masked: every item of a list built from a
    secret or holding a credential (its ',' may be in a password, cutting it in two).
    A number, a bool or a path cannot mask itself, so one built from a secret is
    refused."""
    for hosts, seen in (("${TOKEN},b.example", "['**********', '**********']"),
                        (f"https://me:{SECRET}@c.example,b.example",
                         "['**********', '**********']")):
        write(root / ".env", f"TOKEN={SECRET}\nHOSTS={hosts}\n")
        settings = load()
        assert SECRET in settings.hosts[0] and settings.hosts[1] == "b.example"
        shown = f"{settings!r} {vars(settings)} {settings.as_dict()} {settings.hosts!r}"
        assert SECRET not in shown and seen in repr(settings.as_dict()), hosts
    half = SECRET[len(SECRET) // 2:]
    for hosts in (f"postgres://u:ab,{half}@h", f"https://h/?token=ab,{half}"):
        write(root / ".env", f"TOKEN=t\nHOSTS={hosts}\n")
        settings = load()
        assert half in settings.hosts[1]  # the value is there; its repr hides it
        shown = f"{settings!r} {vars(settings)} {settings.as_dict(masked=True)}"
        assert half not in shown, hosts
    for token, line in ((SECRET, "DATA_DIR=/x/${TOKEN}"), ("4711", "PORT=${TOKEN}"),
                        ("47.11", "RATIO=${TOKEN}"), ("yes", "DEBUG=${TOKEN}")):
        write(root / ".env", f"TOKEN={token}\n{line}\n")
        error = problems_of(engine, lambda: load(environ={}))
        name = line.partition("=")[0]
        assert [p.variable for p in error.problems] == [name], line
        assert "built from a secret would show it wherever it is printed" in str(error)
        assert token not in str(error)


def test_a_quote_closed_lines_later_names_the_lines_it_swallows(engine, load, root):
    """A forgotten closing quote that a later line's quote closes would make python-dotenv
    skip every line in between: the problem names them all."""
    write(root / ".env", 'TOKEN=t\nLOG="abc\nPORT=9\nDEBUG=maybe\nNAME="x" y\nNOTE=ok\n')
    error = problems_of(engine, lambda: load())
    assert [p.code for p in error.problems] == ["parse"]
    assert (f"{root / '.env'}:2: the quote opened here closes only on line 5, where text "
            "follows it: python-dotenv would skip lines 2 to 5") in str(error)


def test_a_line_without_equal_sign_is_reported_without_its_text(engine, cli, Demo, load, root,
                                                                project, capsys):
    """Point 8: a pasted token or PEM line is a mistake; its text is never printed."""
    token = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
    write(root / ".env", f"TOKEN=t\n{token}\n{token}\nDEBUG\n")
    error = problems_of(engine, lambda: load())
    assert [p.code for p in error.problems] == ["no-equals", "no-equals", "no-equals"]
    assert f"{root / '.env'}:2: this line has a name but no '='" in str(error)
    assert token not in str(error)
    write(project.example_path, "TOKEN=\n")
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    assert cli.main(Demo, [], environ={}, project=project) == 1
    out, err = capsys.readouterr()
    assert token not in out + err and "no '='" in err


@pytest.mark.parametrize("pasted", ["aGVsbG8gd29ybGQxMjM0NTY3ODkw", "d41d8cd98f00b204e9800998ecf8427e",
                                    "scfKEnngjgtkaMzVgqRJBomN"])
def test_a_token_pasted_on_its_own_line_ending_in_equals_is_not_named(
        cli, Demo, root, project, capsys, pasted):
    """`openssl rand -base64` ends in '=': the line reads as `<token>=`, a valid name.
    check and init name its place, never the text."""
    write(root / ".env", f"TOKEN=t\n{pasted}=\n")
    write(project.example_path, "TOKEN=\n")
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    out, err = capsys.readouterr()
    assert pasted not in out + err and f"the name at {root / '.env'}:2" in err
    assert cli.main(Demo, ["init", "--json"], environ={}, project=project) == 0
    out, err = capsys.readouterr()
    assert pasted not in out + err and "names that look like values" in out
    files = import_files(Path(cli.__file__).parents[2])
    for name in ("PATH", "http_proxy", "AWS_ACCESS_KEY_ID", "PYTHONDONTWRITEBYTECODE",
                 "S3_BUCKET", "Port", "OAUTH2_TOKEN_URL", "myVar"):
        assert files.looks_like_a_name(name), name


def test_an_ordinary_default_with_key_in_it_is_no_credential(engine):
    """Outside a URL's parameters, `key=` is an ordinary word: such a default is fine."""
    class Keys(engine.BaseSettings):
        cache_key: str = "cache_key=v1"
        data_dir: Path = Path("/data/partition_key=2024")

    assert "cache_key=v1" in repr(Keys())


def test_a_declared_name_in_double_quotes_is_a_problem_not_a_silent_default(
        engine, cli, Demo, load, root, project, capsys):
    """python-dotenv keeps the quotes of "PORT"=9000 in the name: PORT would silently
    keep its default (single quotes are stripped: 'PORT' is PORT)."""
    write(root / ".env", "TOKEN=t\n\"PORT\"=9000\n'DEBUG'=true\n")
    error = problems_of(engine, lambda: load())
    assert [(p.code, p.variable) for p in error.problems] == [("quoted-name", "PORT")]
    assert str(error.problems[0]) == (
        f"{root / '.env'}:2: the name PORT is in double quotes, which python-dotenv keeps "
        "as part of the name, so PORT is not set there: remove the quotes")
    write(project.example_path, EXAMPLE)
    found = cli.check_env_file(Demo, project, environ={})
    assert [p.code for p in found if p.code != "permissions"] == ["quoted-name"]
    write(root / ".env", "\"TOKEN\"=t\n")  # required: said once, not "missing" too
    error = problems_of(engine, lambda: load(environ={}))
    assert [p.code for p in error.problems] == ["quoted-name"]
    capsys.readouterr()
    assert cli.main(Demo, ["init", "--json"], environ={}, project=project) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert f"{root / '.env'}:1: the name TOKEN is in double quotes" in notes[-1]
    assert not any("look like values" in note for note in notes)


def test_check_says_a_key_in_other_letter_case_is_the_declared_one(cli, Demo, root, project,
                                                                   capsys):
    write(root / ".env", "TOKEN=t\nport=2\n")
    write(project.example_path, "TOKEN=\nPORT=8000\n")
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    assert (f"{root / '.env'}:2: the name PORT is written port: names in env files are "
            "case-sensitive, so PORT is not set there: write PORT") in err
    assert "declare it in settings.py" not in err


def test_lines_meant_for_a_declared_variable_that_set_nothing_are_problems_at_load(
        engine, load, root):
    """What python-dotenv reads without a word and the variable then silently keeps its
    default: an invisible character in the name, other letter case, a quote left open
    that swallows the next lines (a secret among them, never shown)."""
    write(root / ".env", "TOKEN=t\n\u200bPORT=9000\n\ufeffDEBUG=true\nname=x\n")
    error = problems_of(engine, lambda: load())
    assert [(p.code, p.variable) for p in error.problems] == [
        ("hidden-character", "PORT"), ("hidden-character", "DEBUG"), ("letter-case", "NAME")]
    assert str(error.problems[0]) == (
        f"{root / '.env'}:2: the name PORT holds invisible characters (U+200B), so PORT "
        "is not set there: type the name again")
    write(root / ".env", 'NAME="demo\nDEBUG=true\nTOKEN=hunter2-secret"\nPORT=1\n')
    error = problems_of(engine, lambda: load())
    assert ("parse", "NAME") in [(p.code, p.variable) for p in error.problems]
    assert (f"{root / '.env'}:1: the quote of NAME's value closes only on line 3, so "
            "python-dotenv reads the lines up to there into it and does not set DEBUG "
            "(line 2), TOKEN (line 3): close the quote on line 1") in str(error)
    assert "hunter2" not in str(error)
    # The forms python-dotenv also reads: `export<tab>NAME=` and a quoted name.
    write(root / ".env", 'NAME="demo\nexport\tDEBUG=true\n\'TOKEN\'=hunter2-secret"\nPORT=1\n')
    error = problems_of(engine, lambda: load())
    assert "does not set DEBUG (line 2), TOKEN (line 3)" in str(error)
    assert "hunter2" not in str(error)
    # A multi-line value whose lines set nothing declared is a value (a PEM key...).
    write(root / ".env", 'TOKEN=t\nNAME="line one\nOTHER=two"\n')
    assert load().name == "line one\nOTHER=two"


def test_a_reference_that_nothing_sets_is_a_problem_not_an_empty_value(engine, load, root):
    """python-dotenv gives ${DB_HOTS} "" (a typo for DB_HOST): here it is named; the
    :- form says an empty value is meant."""
    write(root / ".env", "TOKEN=t\nNAME=db-${DB_HOTS}\nOTHER=${ALSO_UNSET:-}${ALSO_UNSET:-x}\n")
    error = problems_of(engine, lambda: load(environ={}))
    assert [(p.code, p.variable) for p in error.problems] == [("unset-reference", "NAME")]
    assert str(error.problems[0]) == (
        f"NAME at {root / '.env'}:2 uses ${{DB_HOTS}}, which nothing sets (not the "
        "environment, no line above it, no declared variable): set it, or write "
        "${DB_HOTS:-} where an empty value is meant")
    write(root / ".env", "TOKEN=t\nDB_HOST=h\nNAME=db-${DB_HSOT}\n")
    assert "uses ${DB_HSOT} (did you mean ${DB_HOST}?), which nothing sets" in str(
        problems_of(engine, lambda: load(environ={})))
    write(root / ".env", "TOKEN=t\nNAME=db-${DB_HOTS}\n")
    assert load(environ={"DB_HOTS": "h"}).name == "db-h"
    assert load(environ={"DB_HOTS": ""}).name == "db-"  # set, and empty on purpose


def test_many_unset_references_cost_linear_time_and_only_the_first_get_a_suggestion(
        engine, load, root):
    """A did-you-mean compares the name with every known one: only for the first
    MAX_SUGGESTIONS references; every one is still reported."""
    lines = "".join(f"K{i}=${{DB_HSOT}}\n" for i in range(25))
    write(root / ".env", f"TOKEN=t\nDB_HOST=h\n{lines}")
    problems = problems_of(engine, lambda: load(environ={})).problems
    assert len(problems) == 25
    hinted = ["did you mean ${DB_HOST}?" in str(p) for p in problems]
    assert hinted == [True] * 20 + [False] * 5


def test_a_reference_inside_a_secrets_value_is_not_named(engine, load, root):
    """${word} in TOKEN's value is part of the secret: the problem names the line only."""
    write(root / ".env", "TOKEN=p4ss${word}!\nNAME=${later}\nlater=x\nAPI_KEY=a${later}\n")
    error = problems_of(engine, lambda: load(environ={}))
    text = str(error)
    assert "word" not in text and "p4ss" not in text
    assert (f"TOKEN at {root / '.env'}:1 uses a ${{...}} reference (not shown: it is part of "
            "a secret's value), which nothing sets") in text
    assert f"NAME at {root / '.env'}:2 uses ${{later}}, which is set only on a later line" in text
    assert (f"API_KEY at {root / '.env'}:4 uses a ${{...}} reference (not shown") not in text


def test_a_long_run_of_spaces_is_refused_before_python_dotenv_parses_it(engine, load, root):
    """python-dotenv strips inline comments with a regular expression whose time grows
    with the square of a run of spaces: minutes for a line of a few hundred KB."""
    write(root / ".env", "TOKEN=t\nNAME=x" + " " * 200_000 + "y\n")
    error = problems_of(engine, lambda: load(environ={}))
    assert (f"{root / '.env'}:2: more than 1000 spaces or tabs in a row, which python-dotenv "
            "takes minutes to parse; remove them") in str(error)
    write(root / ".env", "TOKEN=t\nNAME=x" + " " * 1000 + "y\n")
    assert load(environ={}).name == "x" + " " * 1000 + "y"


def test_check_sends_a_missing_secret_to_the_private_layer(cli, Demo, project, root):
    """Only .env there: a secret it lacks belongs in .env.local, which git ignores."""
    write(project.example_path, EXAMPLE)
    write(root / ".env", EXAMPLE.replace("TOKEN=\n", ""))
    (problem,) = [p for p in cli.check_env_file(Demo, project, environ={})
                  if p.code == "missing-key"]
    assert str(problem) == (f"TOKEN is in .env.example but missing from {root / '.env'}: "
                            "add it to .env.local, which git ignores (a secret: a random "
                            "value from python -c 'import secrets; "
                            "print(secrets.token_urlsafe(32))')")


def test_init_notes_what_would_stop_a_load(cli, Demo, project, root, capsys):
    """The bootstrap prints init's notes: a reference that nothing sets is one of them
    (after an update made the loader stricter, say)."""
    write(project.example_path, EXAMPLE)
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t").replace(
        "NAME=demo", "NAME=${NOWHERE}"))
    assert cli.main(Demo, ["init", "--json"], environ={}, project=project) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("uses ${NOWHERE}, which nothing sets" in note for note in notes), notes


def test_a_key_that_is_no_name_is_named_by_its_place_once(cli, Demo, root, project, capsys):
    """A pasted token before '=' is not repeated: the message names its file and line."""
    write(root / ".env", "TOKEN=t\nsk-live-0123=abc\n")
    write(project.example_path, "TOKEN=\n")
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    where = f"{root / '.env'}:2"
    assert f"the name at {where} is not in .env.example" in err
    assert f"at {where} at" not in err and "sk-live" not in err


def test_url_passwords_never_show_in_vars_or_repr(load, root):
    """Point 9: passwords with '/', '#' or '?', and vars(), __dict__, as_dict()."""
    password = "p/w#x?y"
    write(root / ".env", f"TOKEN=t\nDATABASE_URL=postgresql://me:{password}@db/app\n"
                         f"NAME=redis://:{password}@cache\n")
    settings = load()
    assert settings.database_url == f"postgresql://me:{password}@db/app"
    shown = f"{settings!r} {vars(settings)} {settings.__dict__} {settings.as_dict()}"
    assert password not in shown
    assert "postgresql://me:**********@db/app" in shown


def test_a_token_in_a_plain_value_never_shows(engine, cli, load, project, root, capsys):
    """What copy time refuses as a credential (a known token, an authorization header)
    is masked wherever a plain str or list value shows; the code still gets it whole."""
    token, header = "ghp_" + "Hunt3r2abcdefghijklmnop", "Bearer HUNT6abcdefghijklmnop"
    write(root / ".env", f"TOKEN=t\nNAME={header}\nHOSTS=a.example,{token}\nPORT={token}\n")
    problems = problems_of(engine, load)
    assert "PORT" in str(problems) and token not in str(problems)  # not an int: not shown
    write(root / ".env", f"TOKEN=t\nNAME={header}\nHOSTS=a.example,{token}\n")
    settings = load()
    assert settings.name == header and settings.hosts == ["a.example", token]
    shown = f"{settings!r} {vars(settings)} {settings.as_dict()} {settings.as_dict(masked=True)}"
    assert cli.main(type(settings), [], environ={}, project=project) == 0
    shown += capsys.readouterr().out
    assert token not in shown and "HUNT6" not in shown
    assert "a.example" in shown


def test_credentials_in_a_query_never_show(engine, cli, load, project, root, capsys):
    write(root / ".env", "TOKEN=t\nDATABASE_URL=postgresql://db/app?user=me&password=hunter2\n"
                         "NOTE=https://api.example.org/v1?page=2&api_key=k3y-v4lue\n")
    settings = load()
    assert settings.database_url.endswith("password=hunter2")
    shown = f"{settings!r} {vars(settings)} {settings.as_dict()}"
    assert "hunter2" not in shown and "k3y-v4lue" not in shown
    assert "?user=me&password=**********" in shown and "page=2&api_key=**********" in shown
    assert cli.main(type(settings), [], environ={}, project=project) == 0
    report = capsys.readouterr().out
    assert "hunter2" not in report and "k3y-v4lue" not in report
    # A list holding one is masked whole: its ',' may cut the credential in two.
    write(root / ".env", "TOKEN=t\nHOSTS=https://h/?ids=1,2&token=l1stleak\n")
    settings = load()
    assert settings.hosts == ["https://h/?ids=1", "2&token=l1stleak"]
    assert "hosts='**********'" in repr(settings)
    assert "l1stleak" not in f"{vars(settings)} {settings.as_dict(masked=True)}"
    assert cli.main(type(settings), [], environ={}, project=project) == 0
    out = capsys.readouterr().out
    assert "l1stleak" not in out and "ids=1" not in out
    # A default holding one would be written to .env.example: refused.
    with pytest.raises(TypeError, match="holds a password") as caught:
        class S(engine.BaseSettings):
            url: engine.Url = "https://h/?token=abc"
    assert "abc" not in str(caught.value)


def test_user_password_at_host_is_not_a_url(engine, load):
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", "DATABASE_URL": "me:pw@db"}))
    assert "not user:password@host" in str(error) and "pw" not in str(error).replace("password", "")


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000", "\u2028", "\x85", "\x1c", " \t\u00a0"])
def test_line_numbers_after_unicode_blank_lines(engine, load, root, blank):
    """Point 10: python-dotenv skips any Unicode whitespace; so does line counting."""
    env_file = write(root / ".env", f"TOKEN=t\n{blank}\nPORT=x\n")
    error = problems_of(engine, lambda: load())
    assert f"PORT (from {env_file}:3)" in str(error)


def test_interpolation_sees_the_values_the_loader_returns(load, root):
    """Point 11: ${A} is the environment's A when the environment wins for A."""
    write(root / ".env", "NAME=file\nNOTE=${NAME}-${PORT}-${DEBUG}\n")
    settings = load(environ={"TOKEN": "t", "NAME": "env"})
    assert (settings.name, settings.note) == ("env", "env-8000-false")
    # An empty environment value counts as not set, here as everywhere.
    assert load(environ={"TOKEN": "t", "NAME": ""}).note == "file-8000-false"


def test_a_reference_to_a_later_line_is_a_problem(engine, load, root):
    env_file = write(root / ".env", "TOKEN=t\nNOTE=${NAME}\nNAME=later\n")
    error = problems_of(engine, lambda: load())
    (problem,) = error.problems
    assert problem.code == "forward-reference"
    assert f"NOTE at {env_file}:2 uses ${{NAME}}, which is set only on a later line" in str(problem)


def test_a_nul_character_is_refused(engine, cli, Demo, load, root, project):
    """Point 12: it would fail later, at export."""
    write(root / ".env", "TOKEN=t\nNAME=a\x00b-Password=n0tsh0wn\n")
    error = problems_of(engine, lambda: load())
    assert [p.code for p in error.problems] == ["nul"]  # once, at its line
    assert "holds a NUL character" in str(error) and "n0tsh0wn" not in str(error)
    # check too: named once, by its line, its value never shown.
    write(project.example_path, EXAMPLE)
    found = cli.check_env_file(Demo, project, environ={})
    assert [p.code for p in found if p.variable == "NAME"] == ["nul"]
    assert "n0tsh0wn" not in "".join(map(str, found))
    error = problems_of(engine, lambda: load(environ={"TOKEN": "t", "PORT": "1\x00"}))
    assert "NUL" in str(error)


def test_terminal_escapes_are_escaped_in_the_report(cli, Demo, project, root, capsys):
    """Point 13: a value (or key) with ESC sequences is shown escaped."""
    write(root / ".env", "TOKEN=t\nNAME=\x1b[2J\x1b]0;pwned\x07\nDATA_DIR=\x1b[31mred\n"
                         "\x1b[31mKEY=1\n")
    assert cli.main(Demo, [], environ={}, project=project) == 0
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b[2J" in out


# --------------------------------------------------------------------- speed


def test_python_dotenv_is_imported_only_for_an_env_file(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    files = f"{PACKAGE}._settings._files"  # the engine's env-file reader
    code = f"""
class S(e.BaseSettings):
    port: int = 1
project = e.Project({str(root)!r}, "demo")
assert S.load(environ={{}}, project=project).port == 1
assert "dotenv" not in sys.modules, "without an env file"
assert {files!r} not in sys.modules, "without an env file"
open({str(root / ".env")!r}, "w").write("PORT=2\\n")
assert S.load(environ={{}}, project=project).port == 2
assert "dotenv" in sys.modules and {files!r} in sys.modules
"""
    result = run_engine(tmp_path, code)
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------- export


def test_export_to_environ(load, root):
    write(root / ".env", f"TOKEN={SECRET}\nDATA_DIR=data\nDEBUG=yes\n")
    settings = load(environ={"PORT": "1"})
    target = {"NAME": "already", "RATIO": ""}
    written = settings.export_to_environ(target)
    assert "NAME" not in written and target["NAME"] == "already"
    assert (target["TOKEN"], target["DATA_DIR"], target["DEBUG"]) == (SECRET, str(root / "data"), "true")
    assert "RATIO" not in written  # no value to write
    assert written == ["TOKEN", "PORT", "DEBUG", "DATABASE_URL", "DATA_DIR", "HOSTS"]
    assert load(environ={**target, "NAME": "demo"}) == settings


def test_export_never_writes_reserved_names_unless_allowed(engine, project):
    class Paths(engine.BaseSettings):
        pythonpath: str = "src"
        app: str = "x"

    class Allowed(engine.BaseSettings, allow_reserved=("PythonPath",)):
        pythonpath: str = "src"
        app: str = "x"

    assert Paths.load(environ={}, project=project).export_to_environ({}) == ["APP"]
    assert Allowed.load(environ={}, project=project).export_to_environ({}) == ["PYTHONPATH", "APP"]


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
def synced(root):
    write(root / ".env.example", EXAMPLE)
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t")).chmod(0o600)
    return root


def codes(problems):
    return sorted(p.code for p in problems)


def test_check_in_sync(cli, Demo, project, synced):
    assert cli.check_env_file(Demo, project, environ={}) == []
    assert cli.check_example(Demo, project) == []


def test_check_reports_missing_extra_empty_and_bad_values(cli, Demo, project, synced):
    text = EXAMPLE.replace("PORT=8000\n", "PORT=x\n").replace("HOSTS=localhost\n", "")
    write(synced / ".env", text + "EXTRA=1\n")
    problems = cli.check_env_file(Demo, project, environ={})
    # HOSTS has a default: a file may leave it out (init writes it commented out).
    assert codes(problems) == ["empty-required", "extra-key", "invalid"]
    # The environment provides what the file lacks: a note, not a problem.
    notes = []
    problems = cli.check_env_file(Demo, project, environ={"TOKEN": "t", "HOSTS": "h"}, notes=notes)
    assert codes(problems) == ["extra-key", "invalid"]
    assert notes == ["HOSTS is not in the env files; the environment provides it"]


def test_check_reports_reserved_names_as_reserved(cli, Demo, engine, project, synced):
    """Point 18: an undeclared reserved name is "reserved", not an extra key."""
    write(synced / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t") + "PYTHONPATH=src\nPip_Index_Url=x\n")
    problems = cli.check_env_file(Demo, project, environ={})
    assert codes(problems) == ["reserved", "reserved"]
    assert "PYTHONPATH at" in str(problems[0]) and "ALLOW_RESERVED" in str(problems[0])

    class Allowed(Demo, allow_reserved=["PYTHONPATH"]):
        pass

    assert codes(cli.check_env_file(Allowed, project, environ={})) == ["reserved"]
    write(synced / ".env.example", EXAMPLE + "HTTP_PROXY=\n")
    assert codes(cli.check_example(Demo, project)) == ["reserved"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_check_reports_an_env_file_readable_by_others(cli, Demo, project, synced):
    (synced / ".env").chmod(0o644)
    (problem,) = cli.check_env_file(Demo, project, environ={})
    assert problem.code == "permissions" and "chmod 600" in str(problem)
    # A shared layer may be meant for the repository: the other way out is named.
    assert str(problem).endswith("; or, if it holds no secret and is meant to be shared, "
                                 "commit it (with a line !.env in .gitignore, below the "
                                 "block, if git ignores it)")


def test_check_reports_an_env_file_tracked_by_git(cli, engine, Demo, project, synced):
    """A private layer (.local) must never be tracked; a shared one (.env, .env.<mode>)
    may be, as long as it holds no secret; one neither tracked nor ignored would be
    committed by the next git add -A."""
    subprocess.run(["git", "init", "-q"], cwd=synced, check=True)
    (problem,) = cli.check_env_file(Demo, project, environ={})
    assert problem.code == "unignored"
    assert str(problem).startswith(f"{synced / '.env'} is neither committed nor ignored by "
                                   "git: git add -A would commit it, with any secret it holds")
    assert "move the env files out of the project" in str(problem)
    assert "run copier update --trust --defaults -d restore_blocks=true," in str(problem)
    assert str(problem).endswith("or commit it if it is meant to be shared and holds no secret")
    # Layered on another template's project, this template's answers have their own file,
    # which the table records and the command names (else it updates the other template).
    layered = engine.Project(synced, "demo", {"answers-file": ".copier-answers.vd.yml"})
    (problem,) = cli.check_env_file(Demo, layered, environ={})
    assert ("run copier update --trust --defaults -a .copier-answers.vd.yml -d "
            "restore_blocks=true,") in str(problem)
    write(synced / ".env.local", "TOKEN=t\n").chmod(0o600)
    private = [p for p in cli.check_env_file(Demo, project, environ={})
               if p.origin == str(synced / ".env.local")]
    assert [p.code for p in private] == ["unignored"]
    assert "meant to be shared" not in str(private[0])  # a .local layer never is
    # Un-ignored on purpose by a line below the block: that line is named, not the
    # block's lines, which are there.
    write(synced / ".gitignore", ".env\n.env.*\n!.env.example\n!.env.local\n!.env\n")
    found = {p.origin: str(p) for p in cli.check_env_file(Demo, project, environ={})}
    assert found[str(synced / ".env")] == (
        f"{synced / '.env'} is un-ignored by .gitignore:5 (!.env) but not committed: git "
        f"add -A would commit it. Commit it (git add '{synced / '.env'}') if it is meant "
        "to be shared and holds no secret, or remove that line")
    assert found[str(synced / ".env.local")].endswith(
        "is un-ignored by .gitignore:4 (!.env.local), and this layer holds this "
        "checkout's secrets: git add -A would commit it. Remove that line")
    (synced / ".env.local").unlink()
    write(synced / ".gitignore", ".env\n.env.*\n!.env.example\n")
    assert cli.check_env_file(Demo, project, environ={}) == []
    subprocess.run(["git", "add", "-f", ".env"], cwd=synced, check=True)
    (problem,) = cli.check_env_file(Demo, project, environ={})
    assert problem.code == "tracked"
    assert str(problem) == (f"{synced / '.env'} is tracked by git and sets TOKEN, which holds "
                            "a secret: move it to .env.local (git ignores it) and rotate it")
    # The secret moves to the private layer: the committed base is fine, even readable
    # by others (it is in the repository anyway).
    write(synced / ".env", EXAMPLE)
    (synced / ".env").chmod(0o644)
    write(synced / ".env.local", "TOKEN=t\n").chmod(0o600)
    assert cli.check_env_file(Demo, project, environ={}) == []
    subprocess.run(["git", "add", "-f", ".env.local"], cwd=synced, check=True)
    (problem,) = cli.check_env_file(Demo, project, environ={})
    assert problem.code == "tracked" and str(problem).startswith(f"{synced / '.env.local'} is")
    assert "git rm --cached" in str(problem) and "rotate" in str(problem)
    # The one file asked for explicitly is private too.
    (problem,) = cli.check_env_file(Demo, project, env_file=synced / ".env",
                                    environ={"TOKEN": "t"})
    assert problem.code == "tracked" and "git rm --cached" in str(problem)


def test_check_notes_a_secret_that_an_inline_comment_cut(cli, Demo, project, synced):
    """TOKEN=Tr0ub4dor #3xyz: python-dotenv reads `Tr0ub4dor` (the rest is a comment), a
    weaker secret than meant, without a word. PORT=8000 # the port is an ordinary comment."""
    write(synced / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=Tr0ub4dor #3xyz")
          + "API_KEY='quoted #kept'\n").chmod(0o600)
    notes: list[str] = []
    cli.check_env_file(Demo, project, environ={}, notes=notes)
    cut = [note for note in notes if "ends the value at ' #'" in note]
    assert cut == [f"TOKEN at {synced / '.env'}:{EXAMPLE.splitlines().index('TOKEN=') + 1}: "
                   "python-dotenv ends the value at ' #' (the rest of the line is a comment): "
                   "if '#' belongs to the secret, quote the value"]
    assert "Tr0ub4dor" not in " ".join(notes)


def test_check_finds_credentials_the_declarations_do_not_name(cli, Demo, project, synced):
    """Keys settings.py does not declare can hold credentials too: in a tracked env file
    by their name (STRIPE_API_KEY), in .env.example (committed) by their shape; never
    repeated."""
    token = "ghp_" + "x1" * 18
    subprocess.run(["git", "init", "-q"], cwd=synced, check=True)
    write(synced / ".env.local", "TOKEN=t\n")
    write(synced / ".env", EXAMPLE + "STRIPE_API_KEY=sk_live_abc\nSORT_KEY=name\n"
          "PROXY_BYPASS=localhost\n")
    subprocess.run(["git", "add", "-f", ".env"], cwd=synced, check=True)
    tracked = [p for p in cli.check_env_file(Demo, project, environ={}) if p.code == "tracked"]
    assert [str(p) for p in tracked] == [
        f"{synced / '.env'} is tracked by git and sets STRIPE_API_KEY, which holds a "
        "secret: move it to .env.local (git ignores it) and rotate it"]
    write(synced / ".env.example", f"GITHUB_TOKEN={token}\nPLACEHOLDER_TOKEN=changeme\n\n"
          + EXAMPLE.replace("NAME=demo", f"NAME=Bearer {token}"))
    found = [p for p in cli.check_example(Demo, project) if p.code == "secret-value"]
    assert [(p.variable, p.origin) for p in found] == [
        ("NAME", f"{synced / '.env.example'}:5"), ("GITHUB_TOKEN", f"{synced / '.env.example'}:1")]
    assert "looks like a credential" in str(found[1]) and "holds a credential" in str(found[0])
    assert not any(token in str(p) for p in found)


def test_check_without_an_env_file(cli, Demo, project, synced):
    (synced / ".env").unlink()
    (problem,) = cli.check_env_file(Demo, project, environ={})
    assert problem.code == "no-file" and "init" in str(problem)


def test_check_example_only(cli, Demo, project, synced):
    text = EXAMPLE.replace("PORT=8000", "PORT=80").replace("TOKEN=", f"TOKEN={SECRET}")
    text = text.replace("DEBUG=false", "DEBUG=no").replace("HOSTS=localhost", "HOSTS=localhost,")
    write(synced / ".env.example", text.replace("NOTE=\n", "") + "OTHER=1\n")
    problems = cli.check_example(Demo, project)
    assert codes(problems) == ["default-mismatch", "extra-key", "missing-key", "secret-value"]
    assert SECRET not in "\n".join(map(str, problems))


def test_check_refuses_a_settings_default_that_looks_like_a_credential_never_showing_it(
        cli, engine, project, synced):
    """The copy-time rule on answers' defaults, applied to settings.py, which is
    committed too; the example's empty line is then no default mismatch to "fix" by
    writing the credential into it."""
    token = "sk_live_51HabcdEFGhijklmnop1234567890"

    class Leaky(engine.BaseSettings):
        stripe_key: str = token
        db_password: str = "hunter2"
        db_password_file: str = "/run/secrets/db"  # a path: no credential
        greeting: str = "hello"

    write(synced / ".env.example",
          "STRIPE_KEY=\nDB_PASSWORD=\nDB_PASSWORD_FILE=/run/secrets/db\nGREETING=hello\n")
    problems = [p for p in cli.check_example(Leaky, project) if p.code != "declared-twice"]
    assert sorted((p.code, p.variable) for p in problems) == [
        ("secret-default", "DB_PASSWORD"), ("secret-default", "STRIPE_KEY")]
    shown = "\n".join(map(str, problems))
    assert token not in shown and "hunter2" not in shown
    assert "Secret" in shown and ".env.local" in shown

    # The same rule refuses the same defaults as copy-time answers.
    rules = engine._rules
    assert rules.credential_default_reason("STRIPE_KEY", "str", token)
    assert not rules.credential_default_reason("GREETING", "str", "hello")
    # Nor do the report, the docs (which `docs --write` puts in the README), a repr or
    # the variable's repr show them; a value given in the environment shows as usual.
    settings = Leaky.load((), environ={"GREETING": "hi"}, project=project)
    report = cli.render_report(settings, [])
    shown = report + cli.reference(Leaky) + repr(settings) + repr(Leaky.variables())
    assert token not in shown and "hunter2" not in shown
    assert "'hi'" in report and "/run/secrets/db" in shown


def test_an_empty_list_default_is_documented_as_empty_or_as_a_lone_comma(
        cli, engine, project, synced):
    """Both read back as []: .env.example may write either (found by hypothesis)."""
    class Tags(engine.BaseSettings):
        tags: list[str] = []

    for written in ("TAGS=,\n", "TAGS=\n"):
        write(synced / ".env.example", written)
        assert [p.code for p in cli.check_example(Tags, project)
                if p.code != "declared-twice"] == [], written
    write(synced / ".env.example", "TAGS=a,\n")
    assert "default-mismatch" in [p.code for p in cli.check_example(Tags, project)]


def test_lines_above_the_template_block_of_the_example_are_the_projects_own(
        cli, Demo, project, synced, capsys):
    """An adopted repository's .env.example documents variables for other tools (docker
    compose) above the template's block: check leaves them alone; below it, an
    undeclared name is still reported."""
    block = ("# >>> copier-venv-dotenv: declared in settings.py >>>\n" + EXAMPLE
             + "# <<< copier-venv-dotenv <<<\n")
    write(synced / ".env.example", "COMPOSE_PROJECT_NAME=shop\nPOSTGRES_PASSWORD=\n\n" + block)
    assert cli.check_example(Demo, project) == []
    assert [p.code for p in cli.check_env_file(Demo, project, environ={})] == []
    write(synced / ".env.example", "COMPOSE_PROJECT_NAME=shop\n\n" + block + "OTHER=1\n")
    assert [(p.code, p.variable) for p in cli.check_example(Demo, project)] == [
        ("extra-key", "OTHER")]
    # A declared variable above the block (left there by the adoption) is still checked,
    # even beside a project's own key that no env file sets.
    write(synced / ".env.example", "TOKEN=\nCOMPOSE_PROJECT_NAME=shop\n\n"
          + block.replace("TOKEN=\n", ""))
    write(synced / ".env", EXAMPLE.replace("TOKEN=\n", ""))
    assert [(p.code, p.variable) for p in cli.check_env_file(Demo, project, environ={})] == [
        ("missing-key", "TOKEN")]
    # Without the block's marker line, every line is the template's to check.
    write(synced / ".env.example", "COMPOSE_PROJECT_NAME=shop\n" + EXAMPLE)
    assert [p.variable for p in cli.check_example(Demo, project)] == ["COMPOSE_PROJECT_NAME"]


def test_plain_check_also_compares_the_declarations_with_the_example(
        cli, Demo, project, synced, capsys):
    """A variable declared in settings.py but missing from .env.example (and so from the
    env file init made) fails `check`, not only `check --example-only`."""
    text = EXAMPLE.replace("NOTE=\n", "").replace("PORT=8000\n", "")
    write(synced / ".env.example", text)
    write(synced / ".env", text.replace("TOKEN=", "TOKEN=t"))
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    # Said once (not again by the env-file comparison), with the line to add, as the
    # template writes it.
    (note,) = [line for line in err.splitlines() if "NOTE" in line]
    assert note.endswith(f"NOTE is declared in settings.py but missing from "
                         f"{synced / '.env.example'}: add the line NOTE=")
    assert ".env.example: add the line PORT=8000\n" in err


def test_the_null_device_as_env_file_is_no_env_file_for_check_and_init(
        cli, Demo, project, synced, capsys):
    """`<PACKAGE>_ENV_FILE=/dev/null` (a container's "none"): nothing to read, nothing
    to check (not its permissions), nothing for init to keep or create."""
    environ = {"TOKEN": "t", project.override_name: os.devnull}
    write(synced / ".env", "PORT=x\n")
    assert cli.check_env_file(Demo, project, environ=environ) == []
    assert cli.main(Demo, ["check"], environ=environ, project=project) == 0
    assert cli.main(Demo, ["init"], environ=environ, project=project) == 0
    out = capsys.readouterr().out
    assert f"info: DEMO_ENV_FILE={os.devnull}: no env file to check" in out
    assert f"kept {os.devnull}" not in out
    assert f"DEMO_ENV_FILE={os.devnull}: the load reads no env file, so none is made" in out
    assert not (synced / ".env.local").exists()
    # A required value the environment lacks fails check, as it fails the load.
    (problem,) = cli.check_env_file(Demo, project, environ={project.override_name: os.devnull})
    assert str(problem) == (f"DEMO_ENV_FILE={os.devnull} reads no env file, and the "
                            "environment does not set TOKEN, which a load needs")


def test_check_without_an_env_file_is_fine_when_the_environment_gives_the_values(
        cli, Demo, project, synced, capsys):
    """CI and production: no env file, every required value in the environment."""
    (synced / ".env").unlink()
    assert cli.main(Demo, ["check"], environ={"TOKEN": "t"}, project=project) == 0
    out = capsys.readouterr().out
    assert "info: there is no env file (.env, .env.local in" in out
    assert "the environment (or a secret file) gives every required variable" in out
    assert out.endswith("settings.py, .env.example and the env files agree\n")
    # Without TOKEN it still says how to make one.
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    assert "init" in capsys.readouterr().err


def test_a_variable_declared_twice_is_named_with_its_lines(cli, engine):
    """Point 19: an update adds above the marker a variable the user declared below it."""
    module = settings_module(engine, "twice",
        "from ._settings import BaseSettings\n\n\n"
        "class Settings(BaseSettings):\n"
        "    port: int = 8000\n"
        "    debug: bool = False\n\n"
        "    # Your own variables go below this line\n"
        "    port: int = 8080\n"
    )
    (problem,) = cli.declared_twice(module.Settings)
    assert problem.code == "declared-twice"
    assert "Settings declares port twice, at lines 5 and 9" in str(problem)
    assert module.__file__ in str(problem)


# ------------------------------------------------------------------------ CLI


def test_cli_exit_codes_and_output(cli, Demo, project, synced, capsys):
    assert cli.main(Demo, [], environ={}, project=project) == 0
    out = capsys.readouterr().out
    assert "TOKEN" in out and f"{synced / '.env'}:3" in out and "default" in out
    assert cli.main(Demo, ["check"], environ={}, project=project) == 0
    assert cli.main(Demo, ["check", "--example-only"], environ={}, project=project) == 0
    capsys.readouterr()
    write(synced / ".env", "PORT=x\n")
    assert cli.main(Demo, [], environ={}, project=project) == 1
    err = capsys.readouterr().err
    assert "2 problems" in err and "TOKEN" in err and "PORT" in err
    with pytest.raises(SystemExit) as caught:
        cli.main(Demo, ["bogus"], environ={}, project=project)
    assert caught.value.code == 2


def test_the_report_warns_about_reserved_names_but_succeeds(cli, Demo, project, synced, capsys):
    write(synced / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t") + "PYTHONPATH=src\n")
    assert cli.main(Demo, [], environ={}, project=project) == 0
    out, err = capsys.readouterr()
    (warning,) = err.splitlines()
    assert warning.startswith(f"warning: PYTHONPATH at {synced / '.env'}:")
    (problem,) = cli.check_env_file(Demo, project, environ={})
    assert warning == f"warning: {problem}"


# ------------------------------------------------------------------------ init


def test_init_never_copies_a_secrets_value_from_the_example(cli, engine, project, root,
                                                            capsys):
    """SECRET_KEY=changeme in .env.example: a placeholder (or a leak), never the private
    file's value: a random one instead; a ${NAME} reference is kept as written. An
    optional secret gets no value: a random one would turn on what it enables."""
    class S(engine.BaseSettings):
        token: engine.Secret
        api_key: engine.Secret
        password: engine.Secret | None = None

    write(project.example_path, "TOKEN=changeme\nAPI_KEY=${TOKEN}\nPASSWORD=hunter2\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["notes"][0] == ".env.local: random values for TOKEN"
    assert result["notes"][1] == (".env.local: left PASSWORD empty, commented out (an "
                                  "optional secret: give it a value here to turn on what "
                                  "it enables)")
    text = (root / ".env.local").read_text()
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and "#" not in line)
    assert len(values["TOKEN"]) >= 40 and "PASSWORD" not in values
    assert "\n# PASSWORD=\n" in text
    assert "changeme" not in text and "hunter2" not in text
    assert values["API_KEY"] == "${TOKEN}"


def test_init_creates_the_env_file_from_the_example(cli, engine, project, root, capsys):
    class S(engine.BaseSettings):
        token: engine.Secret
        api_key: engine.Secret | None = None
        port: int = 8000

    write(project.example_path, "# Committed: no secret here.\n\n# The token.\n# type: secret\n"
                                "TOKEN=\nAPI_KEY=\nexport OTHER_SECRET=\nPORT=8000\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    result = json.loads(capsys.readouterr().out)
    env_file = root / ".env.local"  # the private layer; .env is left to the project
    assert result == {"created": str(env_file), "layers": [str(env_file)],
                      "notes": [".env.local: random values for TOKEN",
                                ".env.local: commented out PORT (its default applies; "
                                ".env.<mode> can set it); uncomment a line to set a value "
                                "for this checkout",
                                ".env.local: left API_KEY empty, commented out (an optional "
                                "secret: give it a value here to turn on what it enables)"]}
    text = env_file.read_text()
    assert text.startswith("# Private settings of this checkout: never commit this file")
    assert "# It wins over .env and .env.<mode>; the environment wins over it.\n" in text
    assert "Committed: no secret" not in text and "# The token.\n# type: secret\nTOKEN=" in text
    values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and "#" not in line)
    assert len(values["TOKEN"]) >= 40 and "\n# API_KEY=\n" in text
    # PORT has a default: documented, commented out, so .env.<mode> is not shadowed.
    assert "\n# PORT=8000\n" in text and "PORT" not in values
    assert values["export OTHER_SECRET"] == ""  # not declared here: kept as written
    if os.name == "posix":
        assert env_file.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in root.iterdir()) == [".env.example", ".env.local"]  # no temp
    # Never touched again; the notes name what differs, never a value.
    write(env_file, "TOKEN=mine\nEXTRA=1\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["created"] is None and again["layers"] == [str(env_file)]
    assert again["notes"] == [".env.example has OTHER_SECRET, which no env file sets",
                              "the env files set EXTRA, which .env.example does not have"]
    assert env_file.read_text() == "TOKEN=mine\nEXTRA=1\n"


def test_init_drops_the_examples_byte_order_mark(cli, engine, project, root, capsys):
    """Notepad's "UTF-8 with BOM": the mark would land mid-file, in front of a name."""
    class S(engine.BaseSettings):
        token: engine.Secret
        port: int = 8000

    write(project.example_path, "\ufeffTOKEN=\r\nPORT=8000\r\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    capsys.readouterr()
    assert "\ufeff" not in (root / ".env.local").read_text(encoding="utf-8")
    assert S.load(environ={}, project=project).port == 8000


def test_init_warns_when_git_would_commit_the_file_it_made(cli, engine, project, root,
                                                           capsys):
    """A .gitignore line of the project un-ignores .env.local: its new random secrets
    would go with the next git add -A."""
    class S(engine.BaseSettings):
        token: engine.Secret

    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    write(root / ".gitignore", ".env\n.env.*\n!.env.example\n!.env.local\n")
    write(project.example_path, "TOKEN=\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes[-1] == (f"{root / '.env.local'} is un-ignored by .gitignore:4 (!.env.local), "
                         "and this layer holds this checkout's secrets: git add -A would "
                         "commit it. Remove that line")


@pytest.mark.skipif(os.name != "posix", reason="a shell script as the fsmonitor")
def test_checks_never_run_the_repositorys_fsmonitor_command(cli, Demo, project, synced,
                                                           tmp_path):
    """git runs core.fsmonitor for status-like commands; check only reads the tree."""
    marker = tmp_path / "fsmonitor-ran"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    subprocess.run(["git", "init", "-q"], cwd=synced, check=True)
    subprocess.run(["git", "config", "core.fsmonitor", str(hook)], cwd=synced, check=True)
    assert [p.code for p in cli.check_env_file(Demo, project, environ={})] == ["unignored"]
    assert not marker.exists()


def test_init_keeps_a_first_line_it_comments_out(cli, engine, project, root, capsys):
    """An adopted .env.example may start with a declared variable that has a default:
    commented out, it is still documentation, not the example's header to replace."""
    class S(engine.BaseSettings):
        log_level: str = "INFO"
        token: engine.Secret

    write(project.example_path, "export LOG_LEVEL=INFO\n\nTOKEN=\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    capsys.readouterr()
    text = (root / ".env.local").read_text()
    assert text.startswith("# Private settings of this checkout")
    assert "\n# export LOG_LEVEL=INFO\n\nTOKEN=" in text
    # A blank line above a line it comments out (python-dotenv counts it in that line's
    # text) stays blank, not a stray "# ".
    (root / ".env.local").unlink()
    write(project.example_path, "TOKEN=\n\n\nexport LOG_LEVEL=INFO\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    capsys.readouterr()
    assert (root / ".env.local").read_text().endswith("\n\n\n# export LOG_LEVEL=INFO\n")


def test_init_names_required_variables_that_an_existing_env_file_lacks(
        cli, engine, project, root, capsys):
    class S(engine.BaseSettings):
        token: engine.Secret
        database_url: engine.Url
        port: int = 8000

    write(project.example_path, "TOKEN=\nDATABASE_URL=\nPORT=8000\nOTHER=\n")
    write(root / ".env", "PORT=9000\n")  # the project's own, from before the template
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["created"] is None
    assert result["notes"] == [
        "TOKEN, DATABASE_URL are required and in no env file: add them to .env (or set them "
        "in the environment); for TOKEN, a random value from python -c 'import secrets; "
        "print(secrets.token_urlsafe(32))'",
        ".env.example has OTHER, which no env file sets"]
    # Set in the environment: nothing to say about it.
    assert cli.main(S, ["init", "--json"], environ={"TOKEN": "t"}, project=project) == 0
    assert json.loads(capsys.readouterr().out)["notes"][0].startswith(
        "DATABASE_URL is required and in no env file: add it to .env")
    # Another env file asked for: the one the load reads, even before it exists.
    assert cli.main(S, ["init", "--json"], environ={"DEMO_ENV_FILE": "other.env"},
                    project=project) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes[0] == ("other.env, which DEMO_ENV_FILE names, does not exist: create it "
                        "(the load reads that file alone, not .env.local)")
    assert notes[1].startswith(
        "TOKEN, DATABASE_URL are required and in no env file: add them to other.env")
    assert (root / ".env").read_text() == "PORT=9000\n"
    # The load says that file is missing, and does not send to init for .env.local.
    with pytest.raises(engine.SettingsError) as caught:
        S.load(environ={"DEMO_ENV_FILE": "other.env"}, project=project)
    assert (f"TOKEN is required but not set: set it in the environment, in an env file or "
            f"in a file that TOKEN_FILE names; {root / 'other.env'} does not exist (see "
            "above)") in str(caught.value)
    assert "settings init" not in str(caught.value)
    # A value of the wrong type is named with its line, never shown.
    write(root / ".env", "PORT=nine-thousand\nTOKEN=t\nDATABASE_URL=sqlite:///x\n")
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes[0] == (f"PORT ({root / '.env'}:1): not a valid value for its type; "
                        f"{sys.executable} -m demo.settings says why")
    assert "nine" not in "".join(notes)


def test_init_creates_nothing_from_an_example_with_a_broken_line(cli, Demo, project, root,
                                                                  capsys):
    """The line would be copied into the new private file: it is named where it is."""
    write(project.example_path, "TOKEN=\nBROKEN LINE\nPORT=8000\n")
    assert cli.main(Demo, ["init"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    assert f"{project.example_path}:2: cannot parse this line" in err
    assert not (root / ".env.local").exists()


def test_init_without_an_example_fails_with_a_sentence(cli, Demo, project, capsys):
    assert cli.main(Demo, ["init", "--json"], environ={}, project=project) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["created"] is None
    assert (f"{project.example_path} does not exist: it documents every variable, and "
            "init makes the private env file from it; restore it from git, or with copier "
            "update --trust --defaults -d restore_blocks=true") in err
    # check says the same, once, and does not send to init, which needs the example.
    assert cli.main(Demo, ["check"], environ={}, project=project) == 1
    err = capsys.readouterr().err
    assert err.count("does not exist: it documents every variable") == 1
    assert " init (or" not in err


def test_write_private_never_replaces_a_file(cli, root):
    target = write(root / ".env", "theirs\n")
    assert cli.write_private(target, b"ours\n") is False
    assert target.read_text() == "theirs\n"
    assert sorted(p.name for p in root.iterdir()) == [".env"]
