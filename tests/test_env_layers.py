"""Unit tests of the engine's env layers, secret files and settings reference.

Layers: ``.env`` < ``.env.<mode>`` < ``.env.local`` < ``.env.<mode>.local`` (the mode
from ``<PACKAGE>_ENV``), the environment above them all. Secret files: ``NAME_FILE``
in the environment (above the layers) and the secrets folder (below them). The
reference: ``python -m <package>.settings docs``. The engine runs from a throw-away
copy (engine_pkg), as in test_settings_engine.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engine_pkg import PACKAGE, build_package

SECRET = "Sup3r-s3cret-FILE-value"


@pytest.fixture(scope="module")
def S(engine):
    env = engine.env

    class S(engine.BaseSettings):
        name: str = "demo"
        port: int = 8000
        host: str = "localhost"
        url: str = ""
        token: engine.Secret
        api_key: engine.Secret | None = None
        ca_bundle: str = env(default="", from_file=True, description="A PEM bundle.")
        plain: str = ""

    return S


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


@pytest.fixture
def project(engine, root):
    return engine.Project(root, "demo")


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    path.chmod(mode)
    return path


def load(S, project, environ=None, env_file=None):
    return S.load(env_file, environ={} if environ is None else environ, project=project)


def problems_of(engine, call):
    with pytest.raises(engine.SettingsError) as caught:
        call()
    return caught.value.problems


def sources(settings):
    return {attr: str(origin) for attr, origin in settings.sources().items()}


# ------------------------------------------------------------------------ layers


def test_layers_lowest_first_and_the_environment_above_all(engine, S, project, root):
    write(root / ".env", "NAME=base\nPORT=1\nHOST=base\nURL=base\nTOKEN=t\n")
    write(root / ".env.test", "PORT=2\nHOST=test\nURL=test\n")
    write(root / ".env.local", "HOST=local\nURL=local\n")
    write(root / ".env.test.local", "URL=test-local\n")
    settings = load(S, project, {"DEMO_ENV": "test"})
    assert (settings.name, settings.port, settings.host, settings.url) == (
        "base", 2, "local", "test-local")
    assert sources(settings) == {
        "name": f"{root / '.env'}:1",
        "port": f"{root / '.env.test'}:1",
        "host": f"{root / '.env.local'}:1",
        "url": f"{root / '.env.test.local'}:1",
        "token": f"{root / '.env'}:5",
        "api_key": "default", "ca_bundle": "default", "plain": "default",
    }
    # The environment wins over every layer; an empty value counts as not set.
    settings = load(S, project, {"DEMO_ENV": "test", "URL": "env", "HOST": ""})
    assert (settings.url, settings.host) == ("env", "local")
    assert sources(settings)["url"] == "environment"


def test_without_a_mode_no_mode_file_is_read(engine, S, project, root):
    write(root / ".env", "TOKEN=t\nPORT=1\n")
    write(root / ".env.test", "PORT=2\n")
    write(root / ".env.production", "PORT=3\n")
    write(root / ".env.test.local", "PORT=4\n")
    assert load(S, project).port == 1
    assert load(S, project, {"DEMO_ENV": "production"}).port == 3
    assert engine.env_layers(project, {}) == [engine.Layer(root / ".env", False),
                                              engine.Layer(root / ".env.local", False)]


def test_a_file_listed_in_no_layer_is_never_read(engine, S, project, root):
    """Broken files outside the layers of this mode would fail the load if read."""
    write(root / ".env", "TOKEN=t\n")
    for name in (".env.example", ".env.production", ".env.production.local", ".env.test.lcl",
                 ".envrc", "other.env", ".env.local.bak"):
        write(root / name, "not a binding\n")
    settings = load(S, project, {"DEMO_ENV": "test"})
    assert settings.token.get_secret_value() == "t"


def test_any_layer_may_be_absent(S, project, root):
    write(root / ".env.test.local", "TOKEN=only-here\n")
    settings = load(S, project, {"DEMO_ENV": "test"})
    assert settings.token.get_secret_value() == "only-here"
    assert sources(settings)["token"] == f"{root / '.env.test.local'}:1"


@pytest.mark.parametrize("mode", ["local", "example", "../x", "a/b", "x" * 41])
def test_a_mode_that_cannot_name_a_file_is_a_problem(engine, S, project, root, mode):
    write(root / ".env", "TOKEN=t\n")
    (problem,) = problems_of(engine, lambda: load(S, project, {"DEMO_ENV": mode}))
    assert problem.code == "mode" and problem.variable == "DEMO_ENV"
    assert str(problem).startswith("DEMO_ENV=")


def test_an_explicit_env_file_replaces_the_layers(engine, S, project, root, tmp_path):
    write(root / ".env", "TOKEN=base\nPORT=1\n")
    write(root / ".env.local", "PORT=2\n")
    write(root / ".env.test", "PORT=3\n")
    other = write(tmp_path / "other.env", "TOKEN=other\n")
    for settings in (load(S, project, {"DEMO_ENV": "test"}, env_file=other),
                     load(S, project, {"DEMO_ENV": "test", "DEMO_ENV_FILE": str(other)})):
        assert settings.port == 8000 and settings.token.get_secret_value() == "other"
        assert sources(settings)["port"] == "default"


def test_env_files_named_in_code_replace_the_layers_and_none_reads_no_file(
    engine, S, project, root, tmp_path
):
    write(root / ".env", "TOKEN=base\nPORT=1\n")
    write(root / ".env.local", "PORT=2\n")
    first = write(tmp_path / "first.env", "TOKEN=first\nPORT=3\nHOST=first\n")
    second = write(tmp_path / "second.env", "PORT=4\n")
    settings = load(S, project, {}, env_file=[first, str(second)])
    assert (settings.port, settings.host, settings.token.get_secret_value()) == (
        4, "first", "first")
    assert sources(settings)["port"] == f"{second}:1"

    # () in a test: the checkout's own env files (a developer's .env.local) are not read,
    # nor the file <PACKAGE>_ENV_FILE names.
    settings = load(S, project, {"TOKEN": "t", "DEMO_ENV_FILE": str(first)}, env_file=())
    assert settings.port == 8000 and sources(settings)["port"] == "default"
    (missing,) = problems_of(engine, lambda: load(S, project, {}, env_file=()))
    assert str(missing) == ("TOKEN is required but not set: set it in the environment or "
                            "in a file that TOKEN_FILE names (no env file is read)")

    # What no file is named by: refused as the caller's mistake, never read as the cwd.
    for wrong, error in ((b"/x.env", TypeError), ("", ValueError), ("a\0b", ValueError),
                         ([first, 3], TypeError)):
        with pytest.raises(error, match="env_file: a path"):
            load(S, project, {}, env_file=wrong)
    problems = problems_of(engine, lambda: load(S, project, {}, env_file=(first, root / "nope")))
    assert [p.code for p in problems] == ["no-file"] and "nope" in str(problems[0])


def test_every_problem_of_every_layer_at_once(engine, S, project, root):
    write(root / ".env", "TOKEN=t\nbroken one\n")
    write(root / ".env.local", "PORT=x\nPORT=y\n")
    problems = problems_of(engine, lambda: load(S, project))
    assert [p.code for p in problems] == ["parse", "duplicate", "invalid"]
    assert f"{root / '.env'}:2" in str(problems[0])
    assert f"{root / '.env.local'}:2" in str(problems[2])


def test_a_directory_at_a_layer_path_is_a_problem(engine, S, project, root):
    write(root / ".env", "TOKEN=t\n")
    (root / ".env.local").mkdir()
    (problem,) = problems_of(engine, lambda: load(S, project))
    assert problem.code == "not-a-file" and ".env.local is a directory" in str(problem)


# ----------------------------------------------------------------- interpolation


def test_interpolation_reads_lower_layers_first(engine, S, project, root):
    write(root / ".env", "HOST=db.example\nNAME=${HOST}-base\n")
    write(root / ".env.local", "HOST=local.example\nURL=https://${HOST}/${NAME}\nTOKEN=t\n")
    settings = load(S, project)
    # Line order across the layers: NAME was resolved when .env was read.
    assert settings.name == "db.example-base"
    assert settings.url == "https://local.example/db.example-base"
    # The environment still comes first.
    assert load(S, project, {"HOST": "env.example"}).url == "https://env.example/env.example-base"


def test_a_reference_to_a_higher_layer_is_a_problem_naming_both(engine, S, project, root):
    write(root / ".env", "URL=https://${HOST}/\n")
    write(root / ".env.local", "HOST=late.example\nTOKEN=t\n")
    (problem,) = problems_of(engine, lambda: load(S, project))
    assert problem.code == "forward-reference"
    assert str(problem) == (
        f"URL at {root / '.env'}:1 uses ${{HOST}}, which only {root / '.env.local'}, a "
        "higher layer read after this one, sets: set HOST in .env or a lower layer, or "
        "move this line to .env.local")


def test_interpolation_sees_secret_files_where_the_loader_does(engine, S, project, root):
    """NAME_FILE comes before the lines, the secrets folder after them."""
    secret = write(root / "run" / "token", SECRET + "\n")
    write(root / "folder" / "API_KEY", "folder-key\n")
    write(root / ".env", "URL=x://u:${TOKEN}@h/${API_KEY}\nPLAIN=${API_KEY}\n")
    settings = load(S, project, {"TOKEN_FILE": str(secret),
                                 "DEMO_SECRETS_DIR": str(root / "folder")})
    assert settings.url == f"x://u:{SECRET}@h/folder-key"
    assert SECRET not in repr(settings) and "folder-key" not in repr(settings)


# ------------------------------------------------------------------- NAME_FILE


def test_name_file_gives_the_content_without_its_final_newline(engine, S, project, root):
    path = write(root / "secrets" / "token.txt", SECRET + "\n")
    cert = write(root / "ca.pem", "-----BEGIN-----\nabc\n-----END-----\n\n")
    settings = load(S, project, {"TOKEN_FILE": str(path), "CA_BUNDLE_FILE": "ca.pem"})
    assert settings.token.get_secret_value() == SECRET
    assert settings.ca_bundle == "-----BEGIN-----\nabc\n-----END-----\n"  # relative: root
    assert sources(settings)["token"] == f"{path} (TOKEN_FILE)"
    assert sources(settings)["ca_bundle"] == f"{cert} (CA_BUNDLE_FILE)"
    assert SECRET not in repr(settings)
    # Text read from a file is never shown, as a secret is not: repr and as_dict mask it,
    # and so do values built from it with ${...}; a number built from it is refused.
    shown = f"{settings!r} {vars(settings)} {settings.as_dict(masked=True)}"
    assert "BEGIN" not in shown and "ca_bundle='**********'" in repr(settings)
    write(root / ".env", "PLAIN=pem:${CA_BUNDLE}\nPORT=${CA_BUNDLE}\n")
    with pytest.raises(engine.SettingsError) as caught:
        load(S, project, {"TOKEN_FILE": str(path), "CA_BUNDLE_FILE": "ca.pem"})
    assert [p.variable for p in caught.value.problems] == ["PORT"]
    assert "BEGIN" not in str(caught.value)
    write(root / ".env", "PLAIN=pem:${CA_BUNDLE}\n")
    settings = load(S, project, {"TOKEN_FILE": str(path), "CA_BUNDLE_FILE": "ca.pem"})
    assert settings.plain.startswith("pem:-----BEGIN") and "BEGIN" not in repr(settings)


def test_a_number_or_a_path_read_from_a_file_is_masked_too(engine, project, root):
    """from_file=True on a non-text variable: its value comes from a secret file, so the
    report, repr and as_dict(masked=True) mask it, as they mask text read from one."""
    class F(engine.BaseSettings):
        port: int = engine.env(default=1, from_file=True)
        data_dir: Path = engine.env(default=Path("d"), from_file=True)

    write(root / "port", "4321\n")
    write(root / "dir", "/srv/SEKRIT_PATH\n")
    settings = load(F, project, {"PORT_FILE": str(root / "port"),
                                 "DATA_DIR_FILE": str(root / "dir")})
    assert settings.port == 4321 and settings.data_dir == Path("/srv/SEKRIT_PATH")
    shown = f"{settings!r} {settings.as_dict(masked=True)}"
    assert "4321" not in shown and "SEKRIT" not in shown
    assert settings.as_dict(masked=True) == {"port": "**********", "data_dir": "**********"}
    defaults = load(F, project, {})
    assert defaults.as_dict(masked=True) == {"port": 1, "data_dir": root / "d"}


def test_a_name_files_byte_order_mark_is_no_part_of_the_value(engine, S, project, root):
    path = write(root / "token.txt", "\ufeff" + SECRET + "\r\n")
    settings = load(S, project, {"TOKEN_FILE": str(path), "CA_BUNDLE_FILE": str(path)})
    assert settings.token.get_secret_value() == SECRET


def test_secrets_that_are_no_utf_8_compare_without_an_error_showing_them(engine):
    """A value read from bytes that are not UTF-8 holds lone surrogates."""
    odd = engine.Secret("SEKRIT\udcffVALUE")
    assert odd == engine.Secret("SEKRIT\udcffVALUE")
    assert odd != engine.Secret("x") and engine.Secret("\ud800") != odd


def test_name_file_wins_over_the_layers_and_loses_to_nothing_else(engine, S, project, root):
    path = write(root / "token", "from-file\n")
    write(root / ".env", "TOKEN=from-layer\n")
    write(root / "folder" / "TOKEN", "from-folder\n")
    environ = {"TOKEN_FILE": str(path), "DEMO_SECRETS_DIR": str(root / "folder")}
    assert load(S, project, environ).token.get_secret_value() == "from-file"
    # Empty file: not set, so the next source applies.
    write(root / "token", "\n")
    assert load(S, project, environ).token.get_secret_value() == "from-layer"


def test_name_and_name_file_both_set_is_a_problem(engine, S, project, root):
    path = write(root / "token", SECRET)
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN": "x",
                                                               "TOKEN_FILE": str(path)}))
    assert problem.code == "both-set" and problem.variable == "TOKEN"
    assert str(problem).startswith("TOKEN and TOKEN_FILE are both set in the environment")
    # An empty NAME counts as not set.
    settings = load(S, project, {"TOKEN": "", "TOKEN_FILE": str(path)})
    assert settings.token.get_secret_value() == SECRET


def test_a_secret_set_as_its_name_file_by_mistake_is_not_repeated(engine, S, project, root):
    """TOKEN_FILE=<the token itself>: no '/' and no '.', and no such file: not shown."""
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN_FILE": "s3cr3tT0ken42"}))
    assert problem.code == "no-file" and "s3cr3tT0ken42" not in str(problem)
    assert str(problem).startswith("TOKEN: TOKEN_FILE names no file there is (its text is "
                                   "not shown: it may be TOKEN's value")
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN_FILE": jwt}))
    assert jwt not in str(problem) and "its text is not shown" in str(problem)
    write(root / "tokenfile", SECRET)  # a file of that name at the root is read
    settings = load(S, project, {"TOKEN_FILE": "tokenfile"})
    assert settings.token.get_secret_value() == SECRET


@pytest.mark.parametrize("case", ["missing", "directory", "fifo", "too-large", "not-utf-8",
                                  "unreadable"])
def test_a_bad_name_file_names_the_variable_and_the_path_never_the_content(
        engine, S, project, root, case):
    path = root / "token"
    if case == "directory":
        path.mkdir()
    elif case == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("FIFOs are POSIX")
        os.mkfifo(path)
    elif case == "too-large":
        write(path, SECRET + "x" * (1 << 16))
    elif case == "not-utf-8":
        path.write_bytes(SECRET.encode() + b"\xff\n")
    elif case == "unreadable":
        if os.name != "posix" or os.geteuid() == 0:
            pytest.skip("needs POSIX permissions and a user that they apply to")
        write(path, SECRET, mode=0o000)
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN_FILE": str(path)}))
    message = str(problem)
    assert problem.variable == "TOKEN" and message.startswith(f"TOKEN: {path} (TOKEN_FILE) ")
    assert SECRET not in message
    expected = {"missing": ("no-file", "does not exist"),
                "directory": ("not-a-file", "is a directory"),
                "fifo": ("not-a-file", "is not a regular file"),
                "too-large": ("too-large", "larger than 64 KiB"),
                "not-utf-8": ("unreadable", "not UTF-8"),
                "unreadable": ("unreadable", "cannot be read")}[case]
    assert problem.code == expected[0] and expected[1] in message


def test_name_file_of_a_variable_not_read_from_files_is_a_problem(engine, S, project, root):
    path = write(root / "port", "80\n")
    write(root / ".env", "TOKEN=t\n")
    (problem,) = problems_of(engine, lambda: load(S, project, {"PORT_FILE": str(path)}))
    assert problem.code == "not-from-file"
    assert "PORT is not read from files" in str(problem) and "from_file=True" in str(problem)


def test_from_file_is_opt_in_and_opt_out(engine):
    env, Secret = engine.env, engine.Secret

    class T(engine.BaseSettings):
        token: Secret
        kept: Secret = env(default=Secret(""), from_file=False)
        cert: str = env(default="", from_file=True)
        port: int = 1

    flags = {v.name: v.from_file for v in T.variables()}
    assert flags == {"TOKEN": True, "KEPT": False, "CERT": True, "PORT": False}
    with pytest.raises(TypeError, match="from_file is True or False"):
        class U(engine.BaseSettings):
            cert: str = env(default="", from_file="yes")


def test_a_name_file_clashing_with_a_variable_is_refused(engine):
    with pytest.raises(TypeError, match="LOG_FILE names the file holding LOG's value"):
        class T(engine.BaseSettings):
            log: engine.Secret
            log_file: str = ""

    class Fine(engine.BaseSettings):  # LOG is not read from files: LOG_FILE is free
        log: str = ""
        log_file: str = ""


def test_python_dotenv_is_not_imported_for_secret_files(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "token").write_text("t\n")
    code = f"""
class S(e.BaseSettings):
    token: e.Secret
project = e.Project({str(root)!r}, "demo")
s = S.load(environ={{"TOKEN_FILE": {str(root / "token")!r}}}, project=project)
assert s.token.get_secret_value() == "t"
assert "dotenv" not in sys.modules
"""
    result = run_engine(tmp_path, code)
    assert result.returncode == 0, result.stderr


# -------------------------------------------------------------- secrets folder


def test_the_secrets_folder_is_below_the_layers(engine, S, project, root):
    folder = root / "run-secrets"
    write(folder / "TOKEN", "folder-token\n")
    write(folder / "api_key", "folder-key\n")  # lower case works too
    write(folder / "PLAIN", "never\n")  # not read from files
    write(folder / "CA_BUNDLE", "")  # empty: not set
    environ = {"DEMO_SECRETS_DIR": str(folder)}
    settings = load(S, project, environ)
    assert settings.token.get_secret_value() == "folder-token"
    assert settings.api_key.get_secret_value() == "folder-key"
    assert (settings.plain, settings.ca_bundle) == ("", "")
    assert sources(settings)["token"] == f"{folder / 'TOKEN'} (secrets folder)"
    assert sources(settings)["api_key"] == f"{folder / 'api_key'} (secrets folder)"
    write(root / ".env.local", "TOKEN=layer\n")
    assert load(S, project, environ).token.get_secret_value() == "layer"


def test_the_secrets_folder_comes_from_pyproject_or_the_environment(engine, S, root):
    write(root / "config" / "secrets" / "TOKEN", "from-table\n")
    write(root / "elsewhere" / "TOKEN", "from-environment\n")
    project = engine.Project(root, "demo", {"secrets-dir": "config/secrets"})
    assert load(S, project).token.get_secret_value() == "from-table"
    settings = load(S, project, {"DEMO_SECRETS_DIR": str(root / "elsewhere")})
    assert settings.token.get_secret_value() == "from-environment"


def test_an_absent_secrets_folder_is_fine_and_a_file_there_is_not(engine, S, root):
    project = engine.Project(root, "demo", {"secrets-dir": "/nonexistent/run/secrets"})
    assert load(S, project, {"TOKEN": "t"}).token.get_secret_value() == "t"
    write(root / "not-a-folder", "x")
    project = engine.Project(root, "demo", {"secrets-dir": "not-a-folder"})
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN": "t"}))
    assert problem.code == "not-a-file" and "is not a folder" in str(problem)


@pytest.mark.parametrize("case", ["loop", "file on the way", "name too long"])
def test_a_secrets_folder_that_cannot_be_looked_at_is_a_problem_not_a_crash(
        engine, S, project, root, case):
    """A folder that cannot be searched (mode 0700 for another user; the same error
    class as these, which root meets too): named, not a traceback, not "absent"."""
    if case == "loop":
        folder = root / "loop"
        folder.symlink_to(folder)
    elif case == "file on the way":
        write(root / "file", "x")
        folder = root / "file" / "secrets"
    else:
        folder = root / ("a" * 300)
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN": "t",
                                                                "DEMO_SECRETS_DIR": str(folder)}))
    assert problem.code == "unreadable"
    assert str(problem).startswith(f"cannot look at the secrets folder {folder}: ")


@pytest.mark.parametrize("command", [[], ["check"], ["init"]])
def test_an_env_file_that_cannot_be_looked_at_is_a_problem_for_every_command(
        engine, cli, S, project, root, capsys, command):
    write(project.example_path, "TOKEN=\n")
    environ = {"DEMO_ENV_FILE": str(root / ("a" * 300) / ".env"), "TOKEN": "t"}
    assert cli.main(S, command, environ=environ, project=project) == 1
    err = capsys.readouterr().err
    assert "File name too long" in err and "Traceback" not in err


def test_a_bad_file_in_the_secrets_folder_is_named(engine, S, project, root):
    folder = root / "folder"
    (folder / "TOKEN").mkdir(parents=True)
    (problem,) = problems_of(engine, lambda: load(S, project, {"DEMO_SECRETS_DIR": str(folder)}))
    assert str(problem) == f"TOKEN: {folder / 'TOKEN'} (secrets folder) is a directory, not a file"


def test_a_required_secret_set_nowhere_names_every_place(engine, S, project, root):
    write(root / ".env", "PORT=1\n")
    (problem,) = problems_of(engine, lambda: load(S, project))
    assert str(problem).startswith(
        "TOKEN is required but not set: set it in the environment, in an env file or in "
        "a file that TOKEN_FILE names; it is not in")
    # TOKEN_FILE written in an env file: why the secret is still missing.
    write(root / ".env.local", f"TOKEN_FILE={root / 'token.txt'}\n")
    write(root / "token.txt", SECRET)
    problems = problems_of(engine, lambda: load(S, project))
    assert [str(p) for p in problems if p.variable == "TOKEN" or "TOKEN is" in str(p)][
        -1].endswith(f"TOKEN_FILE at {root / '.env.local'}:1 has no effect: TOKEN_FILE is "
                     "read from the environment only")
    assert SECRET not in " ".join(map(str, problems))


def test_an_empty_name_file_is_said_to_be_empty(engine, S, project, root):
    empty = write(root / "token.txt", "")
    (problem,) = problems_of(engine, lambda: load(S, project, {"TOKEN_FILE": str(empty)}))
    assert str(problem) == "TOKEN is required but the file that TOKEN_FILE names is empty"


def test_no_layer_at_all_says_how_to_create_the_private_one(engine, S, project, root):
    (problem,) = problems_of(engine, lambda: load(S, project))
    assert str(problem) == (
        "TOKEN is required but not set: set it in the environment, in an env file or in "
        f"a file that TOKEN_FILE names; there is no env file (.env, .env.local in {root}): "
        "run python -m demo.settings init to create .env.local from .env.example")


# ------------------------------------------------------------------- the report


def test_the_report_shows_every_layer_and_every_source(engine, cli, S, project, root, capsys):
    secret = write(root / "token", SECRET + "\n")
    write(root / ".env", "NAME=base\n")
    write(root / ".env.ci", "PORT=9\n")
    write(root / "folder" / "API_KEY", "folder-key")
    environ = {"DEMO_ENV": "ci", "TOKEN_FILE": str(secret), "HOST": "h",
               "DEMO_SECRETS_DIR": str(root / "folder")}
    assert cli.main(S, [], environ=environ, project=project) == 0
    out = capsys.readouterr().out
    assert SECRET not in out and "folder-key" not in out
    lines = out.splitlines()
    assert lines[:6] == [
        "env files, lowest first (mode 'ci'; the environment wins over all):",
        f"  {root / '.env'}",
        f"  {root / '.env.ci'}",
        f"  {root / '.env.local'} (absent)",
        f"  {root / '.env.ci.local'} (absent)",
        f"secrets folder: {root / 'folder'}",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[6:]}
    assert rows["NAME"][0] == f"{root / '.env'}:1"
    assert rows["PORT"][0] == f"{root / '.env.ci'}:1"
    assert rows["HOST"][0] == "environment"
    assert rows["TOKEN"][:2] == [str(secret), "(TOKEN_FILE)"]
    assert rows["API_KEY"][:3] == [str(root / "folder" / "API_KEY"), "(secrets", "folder)"]
    assert rows["URL"][0] == "default"
    # `show` names the same report, as the other commands are named.
    assert cli.main(S, ["show"], environ=environ, project=project) == 0
    assert capsys.readouterr().out == out


# ------------------------------------------------------------------------ check

EXAMPLE = "NAME=demo\nPORT=8000\nHOST=localhost\nURL=\nTOKEN=\nAPI_KEY=\nCA_BUNDLE=\nPLAIN=\n"


@pytest.fixture
def example(root):
    return write(root / ".env.example", EXAMPLE, 0o644)


def codes(problems):
    return sorted(p.code for p in problems)


def test_check_compares_every_layer_present_with_the_example(cli, S, project, root, example):
    # PLAIN has a default: no layer needs it. TOKEN is required: some layer must set it.
    write(root / ".env", EXAMPLE.replace("TOKEN=", "").replace("PLAIN=\n", ""))
    write(root / ".env.local", "# TOKEN=\nEXTRA_LOCAL=1\n")
    write(root / ".env.test", "HOST=test\nEXTRA_MODE=1\n")
    problems = cli.check_env_file(S, project, environ={"DEMO_ENV": "test"})
    assert codes(problems) == ["extra-key", "extra-key", "missing-key"]
    extra = sorted(str(p) for p in problems if p.code == "extra-key")
    assert f"{root / '.env.local'}:2" in extra[0] and f"{root / '.env.test'}:2" in extra[1]
    (missing,) = [p for p in problems if p.code == "missing-key"]
    assert str(missing) == (
        f"TOKEN is in .env.example but missing from every env file ({root / '.env'}, "
        f"{root / '.env.test'}, {root / '.env.local'}): add it to .env.local")
    # Without the mode, .env.test is not compared.
    problems = cli.check_env_file(S, project, environ={})
    assert codes(problems) == ["extra-key", "missing-key"]


def test_check_flags_a_higher_layer_repeating_a_lower_value(cli, S, project, root, example):
    write(root / ".env", EXAMPLE.replace("TOKEN=", f"TOKEN={SECRET}"))
    write(root / ".env.test", "PORT=8000\nHOST=other\n")
    write(root / ".env.local", f"PORT='8000'\nHOST=localhost\nTOKEN={SECRET}\nURL=\n")
    problems = cli.check_env_file(S, project, environ={"DEMO_ENV": "test"})
    assert codes(problems) == ["same-value"] * 3
    messages = [str(p) for p in problems]
    assert messages[0] == (f"PORT at {root / '.env.test'}:1 sets the value that "
                           f"{root / '.env'}:2 already gives it: remove the line from .env.test")
    # Compared with the layer it overrides: HOST=localhost overrides .env.test's "other".
    assert [p.variable for p in problems] == ["PORT", "PORT", "TOKEN"]
    assert f"{root / '.env.local'}:1" in messages[1] and f"{root / '.env.test'}:1" in messages[1]
    assert all(SECRET not in m for m in messages)
    # A secret stays in the private layer: the shared one's line is the one to remove.
    assert messages[2].endswith("already gives it: remove the line from .env: a secret "
                                "belongs in .env.local only")


def test_a_value_only_one_mode_repeats_is_not_called_redundant(cli, S, project, root,
                                                               example):
    """.env.local sets PORT=9000 and so does .env.production: removing the .env.local line
    would change PORT in every other mode, so check does not ask for it."""
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t"))
    write(root / ".env.production", "PORT=9000\n")
    write(root / ".env.local", "PORT=9000\n")
    assert cli.check_env_file(S, project, environ={"DEMO_ENV": "production"}) == []


def test_check_flags_names_that_only_work_in_the_environment(cli, S, project, root, example):
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t")
          + "DEMO_ENV=test\nDEMO_SECRETS_DIR=/run/secrets\nTOKEN_FILE=/x\n")
    problems = cli.check_env_file(S, project, environ={})
    assert codes(problems) == ["no-effect"] * 3
    assert [p.variable for p in problems] == ["DEMO_ENV", "DEMO_SECRETS_DIR", "TOKEN_FILE"]
    assert "reads it from the environment only" in str(problems[0])


def test_check_accepts_what_a_secret_file_provides(cli, S, project, root, example):
    write(root / ".env", EXAMPLE.replace("TOKEN=\n", ""))
    secret = write(root / "token", SECRET)
    notes = []
    assert cli.check_env_file(S, project, environ={"TOKEN_FILE": str(secret)}, notes=notes) == []
    assert notes == [f"TOKEN is not in the env files; {secret} (TOKEN_FILE) provides it"]


def test_check_names_the_empty_required_line_of_the_highest_layer(cli, S, project, root,
                                                                  example):
    write(root / ".env", EXAMPLE)
    write(root / ".env.local", "TOKEN=\n")
    (problem,) = cli.check_env_file(S, project, environ={})
    assert problem.code == "empty-required" and f"{root / '.env.local'}:1" in str(problem)


def test_check_without_any_layer_says_how_to_make_one(cli, S, project, root, example):
    (problem,) = cli.check_env_file(S, project, environ={"DEMO_ENV": "test"})
    assert problem.code == "no-file"
    assert str(problem) == (
        f"there is no env file (.env, .env.test, .env.local, .env.test.local in {root}): "
        "create .env.local from .env.example with python -m demo.settings init (or "
        "python3 scripts/bootstrap.py)")


def test_check_names_the_modes_whose_files_it_does_not_read(cli, S, project, root, example,
                                                             capsys):
    """Without a mode, .env.staging is not read: check says so, and how to check it."""
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t"))
    write(root / ".env.staging", "PORT=maybe\n")
    write(root / ".env.test.local", "PORT=1\n")
    assert cli.main(S, ["check"], environ={}, project=project) == 0
    out = capsys.readouterr().out
    assert ("the env files of mode staging, test are read only in that mode, so not "
            "here: check them with DEMO_ENV=staging python -m demo.settings check") in out
    assert cli.main(S, ["check"], environ={"DEMO_ENV": "staging"}, project=project) == 1
    assert "mode staging" not in capsys.readouterr().out
    # A mode with no file at all: a typo, most likely.
    assert cli.main(S, ["check"], environ={"DEMO_ENV": "stagging"}, project=project) == 0
    assert ("DEMO_ENV=stagging, but neither .env.stagging nor .env.stagging.local exists, "
            "so no file of that mode is read (a typo? the modes with files here: staging, "
            "test)") in capsys.readouterr().out
    # A mode that cannot name a file is a problem, never a traceback.
    assert cli.main(S, ["check"], environ={"DEMO_ENV": "a/b"}, project=project) == 1
    assert "DEMO_ENV=" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_check_wants_every_untracked_layer_private(cli, S, project, root, example):
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=t"))
    write(root / ".env.local", "NAME=mine\n", 0o644)
    (problem,) = cli.check_env_file(S, project, environ={})
    assert problem.code == "permissions" and str(root / ".env.local") in str(problem)
    assert "meant to be shared" not in str(problem)  # a .local layer never is


# ------------------------------------------------------------------------- init


def test_init_creates_the_local_layer_only_when_neither_it_nor_the_base_exists(
        cli, S, project, root, example, capsys):
    def init(environ=None):
        assert cli.main(S, ["init", "--json"], environ=environ or {}, project=project) == 0
        return json.loads(capsys.readouterr().out)

    write(root / ".env.test", "PORT=2\n", 0o644)  # a mode file, committed: not the base
    result = init()
    assert result["created"] == str(root / ".env.local")
    assert result["layers"] == [str(root / ".env.local")]  # the layers of no mode
    assert not (root / ".env").exists()
    before = (root / ".env.local").read_bytes()
    again = init({"DEMO_ENV": "test"})
    assert again["created"] is None
    assert again["layers"] == [str(root / ".env.test"), str(root / ".env.local")]
    assert (root / ".env.local").read_bytes() == before


def test_init_leaves_a_project_whose_private_file_is_dot_env_alone(cli, S, project, root,
                                                                   example, capsys):
    """Projects made before the layers keep .env: nothing new shadows its values."""
    write(root / ".env", EXAMPLE.replace("TOKEN=", "TOKEN=mine"))
    assert cli.main(S, ["init", "--json"], environ={}, project=project) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"created": None, "layers": [str(root / ".env")], "notes": []}
    assert sorted(p.name for p in root.iterdir()) == [".env", ".env.example"]
    assert load(S, project).token.get_secret_value() == "mine"


def test_init_refuses_a_bad_mode(cli, S, project, root, example, capsys):
    assert cli.main(S, ["init", "--json"], environ={"DEMO_ENV": "a/b"}, project=project) == 1
    assert "DEMO_ENV='a/b' is not a mode" in capsys.readouterr().err
    assert sorted(p.name for p in root.iterdir()) == [".env.example"]  # nothing created


# ------------------------------------------------------------------------- docs


def test_docs_prints_the_rules_table_of_the_declarations(engine, cli, S, project, capsys):
    assert cli.main(S, ["docs"], environ={}, project=project) == 0
    out = capsys.readouterr().out
    rules = sys.modules[f"{PACKAGE}._settings._rules"]
    assert out == rules.settings_reference(v.spec() for v in S.variables())
    assert out.splitlines()[2:6] == [
        "| `NAME` | str | `demo` | no |  |",
        "| `PORT` | int | `8000` | no |  |",
        "| `HOST` | str | `localhost` | no |  |",
        "| `URL` | str | empty | no |  |",
    ]
    assert "| `TOKEN` | secret |  | yes |  |" in out
    assert "| `CA_BUNDLE` | str | empty | no | A PEM bundle. |" in out


README = """# Demo

Some text of the project's own.

<!-- settings-reference:begin -->
| stale |
<!-- settings-reference:end -->

More text.
"""


def test_docs_write_updates_the_readme_between_its_markers(cli, S, project, root, capsys):
    readme = write(root / "README.md", README, 0o644)
    problem = cli.reference_problem(S, readme, project)
    assert problem == (f"the settings reference in {readme} is out of date with settings.py: "
                       "run python -m demo.settings docs --write README.md at the project root")
    assert cli.main(S, ["docs", "--write", str(readme)], environ={}, project=project) == 0
    assert capsys.readouterr().out == f"{readme}: updated\n"
    text = readme.read_text()
    assert text.startswith("# Demo\n\nSome text of the project's own.\n\n"
                           "<!-- settings-reference:begin -->\n| variable |")
    assert text.endswith("|\n<!-- settings-reference:end -->\n\nMore text.\n")
    assert cli.reference(S) in text
    assert readme.stat().st_mode & 0o777 == 0o644
    assert cli.reference_problem(S, readme, project) == ""
    assert cli.main(S, ["docs", "--write", str(readme)], environ={}, project=project) == 0
    assert capsys.readouterr().out == f"{readme}: already up to date\n"
    assert sorted(p.name for p in root.iterdir()) == ["README.md"]  # no temporary file


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_docs_write_keeps_a_readme_that_is_a_link(cli, S, project, root, capsys):
    """README.md linking to docs/index.md: the table goes there, the link stays."""
    real = write(root / "docs" / "index.md", README, 0o644)
    (root / "README.md").symlink_to("docs/index.md")
    assert cli.main(S, ["docs", "--write", str(root / "README.md")], environ={},
                    project=project) == 0
    capsys.readouterr()
    assert (root / "README.md").is_symlink()
    assert cli.reference(S) in real.read_text()


def test_a_readme_without_markers_is_the_projects_own(cli, S, project, root, capsys):
    readme = write(root / "README.md", "# Theirs\n", 0o644)
    assert cli.reference_problem(S, readme, project) == ""
    assert cli.reference_problem(S, root / "absent.md", project) == ""
    assert cli.main(S, ["docs", "--write", str(readme)], environ={}, project=project) == 1
    assert "has no settings reference: put the two lines" in capsys.readouterr().err
    assert readme.read_text() == "# Theirs\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "zero", "crlf"])
def test_a_readme_that_is_no_plain_file_is_refused_without_reading_it(
        cli, S, project, root, capsys, kind):
    """README.md linked to /dev/zero filled the memory, a FIFO blocked: `docs --write`
    and the generated test's check refuse them; CRLF line ends are kept."""
    readme = root / "README.md"
    if kind == "fifo":
        os.mkfifo(readme)
    elif kind == "zero":
        readme.symlink_to("/dev/zero")
    else:
        write(readme, README.replace("\n", "\r\n"))
        assert cli.main(S, ["docs", "--write", str(readme)], environ={}, project=project) == 0
        assert readme.read_bytes().count(b"\r\n") == readme.read_bytes().count(b"\n")
        return
    assert cli.reference_problem(S, readme, project) == f"{readme} is not a regular file"
    assert cli.reference_problem(S, root, project) == f"{root} is a directory"
    assert cli.main(S, ["docs", "--write", str(readme)], environ={}, project=project) == 1
    assert (f"cannot write the settings reference into {readme}: {readme} is not a regular "
            "file") in capsys.readouterr().err


# ------------------------------------------------------------------- helpers


def run_engine(tmp_path, code: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with the engine importable as ``e``."""
    site = build_package(tmp_path / "site")
    prelude = f"import sys\nfrom {PACKAGE}._settings import _engine as e\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
