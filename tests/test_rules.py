"""The rules: the engine's ``_rules.py`` and the copy-time checks of the extension.

``extensions/venv_dotenv_rules.py`` loads the very ``_rules.py`` that generated projects
ship, so every rule about variables is written once; these tests call both as plain
functions, as copier.yml's validators and the engine do.
"""

from __future__ import annotations

import json
import keyword
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import venv_dotenv_rules as extension
from conftest import find_python, unavailable
from dotenv import dotenv_values
from engine_pkg import ENGINE_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

rules = extension.rules
DEFAULT_ENV_VARS = (
    "LOG_LEVEL=INFO, DEBUG:bool=false, DATABASE_URL:url=sqlite:///app.db, SECRET_KEY:secret"
)


def test_the_extension_uses_the_engine_rules_file():
    assert Path(rules.__file__) == ENGINE_DIR / "_rules.py"
    # Nothing about variables is written again in the extension.
    for name in ("RESERVED_EXACT", "RESERVED_PREFIXES", "BOOL_WORDS", "TYPES", "MASK"):
        assert name not in vars(extension) or getattr(extension, name) is getattr(rules, name)


def test_the_rules_need_only_the_standard_library():
    code = (
        "import sys; before = set(sys.modules); sys.path.insert(0, sys.argv[1]); import _rules\n"
        "allowed = set(sys.stdlib_module_names) | {'_rules'}\n"
        "print([m for m in set(sys.modules) - before if m.split('.')[0] not in allowed])\n"
    )
    result = subprocess.run([sys.executable, "-I", "-B", "-c", code, str(ENGINE_DIR)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


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
        "GREETING=hello: world",
        "PRICE=$5",
        "LOAD_FACTOR=1",  # LOAD is the loader's method; LOAD_FACTOR is fine
        "MAILTO:url=mailto:team@example.org",
        "X" * 60,
        [
            "PORT:int=8000",
            {"name": "API_URL", "type": "url", "default": "https://api.example.org"},
            {"name": "RETRIES", "type": "int", "default": "3", "description": "Retries."},
            {"name": "VERBOSE", "type": "bool", "default": False},
            {"name": "HOSTS", "type": "list", "default": ["a", "b"]},
            {"name": "REQUIRED_ONE"},
            {"name": "NOTES", "description": "Two lines.\nOf text."},
        ],
    ],
)
def test_env_vars_accepted(answer):
    assert extension.check_env_vars(answer, "my_app") == ""


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
        ("OPENSSL_CONF=x", "can load code into every TLS client"),
        ("XDG_CONFIG_HOME=x", "configuration of git"),
        ("GLIBC_TUNABLES=x", "the C library"),
        ("LESSOPEN=x", "git's pager"),
        ("CLASS=1", "Python keyword"),
        ("IMPORT=1", "Python keyword"),
        ("AS_DICT=1", "loader's own methods"),
        ("EXPORT_TO_ENVIRON=1", "loader's own methods"),
        ("LOAD=1", "loader's own methods"),
        ("MY_APP_ENV_FILE=x", "points it at another env file"),
        ("MY_APP_ENV=production", "chooses the mode of the env layers"),
        ("MY_APP_SECRETS_DIR:path=/run/secrets", "names the secrets folder"),
        ("LOG:secret, LOG_FILE:path=", "LOG_FILE names the file holding LOG's value"),
        ("MY_APP_ENV:secret", "MY_APP_ENV_FILE is the loader's own setting"),
        ("My_App_Env_File=x", "upper case"),
        ("_X=1", "private attribute"),
        ("PORT:integer=80", "unknown type 'integer'; known types are str, int"),
        ("PORT:int=80x", "'80x' is not a valid int"),
        ("RATIO:float=fast", "'fast' is not a valid float"),
        ("DEBUG:bool=maybe", "'maybe' is not a valid bool"),
        ("API:url=example.org", "a URL with a scheme"),
        ("API:url=https:", "a URL with a scheme"),
        ("TOKEN:secret=hunter2", "a secret cannot have a default"),
        ("GREETING=${USER}", "python-dotenv expands"),
        ("=5", "cannot read the entry ''"),
        (":int=5", "cannot read the entry ':int'"),
        ({"GREETING": "hi"}, "YAML mapping"),
        (42, "expected 'NAME[:type][=default], ...'"),
        ([{"name": "A", "kind": "int"}], "unknown key(s) kind"),
        ([{"type": "int"}], "has no 'name'"),
        ([["A"]], "cannot read the entry"),
        (["BAD\x00=1"], "ASCII letters"),
        ([{"name": "A", "default": "a\x00b"}], "U+0000"),
        ("X" * 61, "at most 60 characters"),
    ],
)
def test_env_vars_refused(answer, expected):
    message = extension.check_env_vars(answer, "my_app")
    assert expected in message
    assert message.startswith("invalid env_vars:")


def test_every_problem_is_reported_at_once():
    problems = extension.env_vars_problems("bad-name=1, PORT:int=x, PATH=/bin, OK=1")
    assert len(problems) == 3
    assert "'BAD_NAME'" in problems[0]
    assert "PORT" in problems[1]
    assert "PATH" in problems[2]


def test_secret_values_never_appear_in_messages():
    for answer in ["TOKEN:secret=hunter2", "TOKEN:secrett=hunter2", "TOKEN:Secret=hunter2",
                   [{"name": "TOKEN", "type": "secret", "default": 12345678}]]:
        message = extension.check_env_vars(answer)
        assert message
        assert "hunter2" not in message and "12345678" not in message


def test_parse_one_line_form():
    parsed = extension.parse_env_vars('A, B=, C:int=3, D:list="x,y", E:secret, F = spaced value ')
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


@pytest.mark.parametrize("answer", ['HOSTS:list="alpha,beta, PORT:int=1', 'HOSTS="alpha\\"'])
def test_a_quote_nothing_closes_is_refused_not_left_to_swallow_the_rest(answer):
    """Before, the open quote took in every later entry: PORT was never declared."""
    message = extension.check_env_vars(answer)
    assert message.startswith("invalid env_vars:\n  - 'HOSTS': a double quote opens and "
                              "nothing closes it, so the rest of the answer would be its "
                              "default; close it")
    assert "alpha" not in message and "PORT" not in message  # the entry's name, not its text
    # Closed, or a quote written inside one as \", it reads as meant.
    parsed = extension.parse_env_vars('HOSTS:list="a,b", NOTE="5\\" screen", PORT:int=1')
    assert [(v.name, v.default) for v in parsed] == [
        ("HOSTS", "a,b"), ("NOTE", '5" screen'), ("PORT", "1")]


@pytest.mark.parametrize("answer", [
    "DB_PASSWORD=hunter2", "DB_PASSWORD=postgres", "CLIENT_SECRET=abc",
    "STRIPE_API_KEY=abcdefghij0123456789", "GITHUB_TOKEN=ghp_x1", "AUTH_HEADER=Bearer abcdefghijkl012",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    'HOSTS:list="a,Basic dXNlcjpwYXNzd29yZA=="', "SMTP_PASS=hunter2", "ADMIN_PASS=hunter2hunter2",
    "STRIPE=sk_live_abcdefgh1jklmnopqrstuvwx", "SECRET_KEY=changeme", "SECRET_KEY_BASE=hunter2",
    "ENCRYPTION_KEY=0123456789abcdef", "OPENAI=sk-proj-abcdefghijklmnop0123",
    "DB_PW=hunter2",
])
def test_a_default_that_looks_like_a_credential_is_refused_unrepeated(answer):
    """Secrets never land in the answers file or .env.example: a default the name or
    the shape gives away as a credential is refused, the value never repeated."""
    message = extension.check_env_vars(answer)
    name, _, default = answer.partition("=")
    assert "its default is not accepted, since" in message, answer
    assert f"Declare it {name.partition(':')[0]}:secret with no default" in message
    assert default.strip('"') not in message


@pytest.mark.parametrize("answer", [
    "SECRETS_DIR=/run/secrets", "TOKEN_URL=https://auth.example/token", "TOKEN_TTL:int=3600",
    "CACHE_KEY=v1", "SORT_KEY=name", "PASSWORD_POLICY=strict", "DB_PASSWORD=",
    "LANGUAGE=sk-SK", "CACHE_VERSION=d41d8cd98f00b204e9800998ecf8427e",
    "CLIENT_SECRET=https://vault.example/v1/app", "MESSAGE=Basic setup complete",
    "DATA_DIR:path=/data/partition_key=2024", "HINT=use key=value pairs",
    "TOOL=sk-learn", "PREFIX=hf_home", "SIGNING_KEY_ID=main", "COMPASS=north",
    "BYPASS=true", "PROXY_BYPASS=localhost", "PASSPORT_OFFICE=Paris",
    "OPENAI=sk-your-key-goes-here", "HINT=ghp_xxxxxxxxxxxxxxxxxxxx",  # placeholders
])
def test_a_default_of_a_credential_like_name_that_is_no_credential_is_kept(answer):
    assert extension.check_env_vars(answer) == ""


def test_parse_raises_with_every_problem():
    with pytest.raises(extension.EnvVarsError) as info:
        extension.parse_env_vars("a=1, B:nope")
    assert len(info.value.problems) == 2


# Issue 12, point 14: the one-line answer is kept as written.
def test_one_line_answer_keeps_what_follows_a_hash():
    parsed = extension.parse_env_vars("GREETING=hello #world, PORT:int=8000")
    assert [(v.name, v.default) for v in parsed] == [("GREETING", "hello #world"), ("PORT", "8000")]


@pytest.mark.parametrize(
    ("default", "kind"),
    [(8, "int"), (80, "str"), (False, "str"), (1.5, "float"), (3, "bool"), ([1, 2], "list")],
)
def test_yaml_typed_defaults_are_refused_rather_than_changed(default, kind):
    """YAML reads 010 as 8, 1:20 as 80 and off as false: such defaults must be quoted."""
    message = extension.check_env_vars([{"name": "A", "type": kind, "default": default}])
    assert "write the default as a quoted string" in message


@pytest.mark.parametrize("items", [["a.example", "b,c.example"], ["a", ""], [" a "]])
def test_a_yaml_list_default_with_an_item_a_file_cannot_give_is_refused(items):
    """["a", "b,c"] joined with ',' would read back as three items: refused, not split."""
    message = extension.check_env_vars([{"name": "HOSTS", "type": "list", "default": items}])
    assert "- HOSTS: the default holds " in message, message
    (var,) = extension.parse_env_vars([{"name": "HOSTS", "type": "list",
                                        "default": ["a.example", "b.example"]}])
    assert var.default == "a.example,b.example"


@pytest.mark.parametrize(("default", "text"), [(True, "true"), (False, "false")])
def test_a_yaml_boolean_keeps_its_meaning_for_a_bool(default, text):
    (var,) = extension.parse_env_vars([{"name": "A", "type": "bool", "default": default}])
    assert var.default == text


# Issue 12, point 9: a URL default holding a password would be written to the answers.
@pytest.mark.parametrize("url", ["postgresql://app:pw@db/app", "redis://:p/w#x?y@cache:6379/0"])
def test_a_url_default_with_a_password_is_refused_without_showing_it(url):
    message = extension.check_env_vars([{"name": "DB", "type": "url", "default": url}])
    assert "holds a password" in message
    assert "pw" not in message.replace("password", "")


def test_an_encoded_colon_in_the_user_info_starts_a_password():
    assert rules.mask_url("postgres://u%3Apw@h/db") == "postgres://u%3A**********@h/db"
    assert rules.mask_url("https://host/path%3Ax@y") == "https://host/path%3Ax@y"


def test_a_pw_query_parameter_is_a_password():
    message = extension.check_env_vars("API_URL:url=https://h/?pw=hunter2")
    assert "holds a password" in message and "hunter2" not in message
    assert rules.mask_url("https://h/?user=u&pw=hunter2") == "https://h/?user=u&pw=**********"


def test_user_password_at_host_is_no_url():
    message = extension.check_env_vars("DB:url=user:pw@host")
    assert "not user:password@host" in message


@pytest.mark.parametrize(
    "url",
    ["http://host:65536/", "http://[::1]:70000", "https://host:99999?x=1",
     "postgresql://host:123456/app", "http://h:70000/?email=a@b.c", "http://h:70000/a@b",
     "jdbc:postgresql://host:70000/db", "http://h:\u00b2/", "http://h:" + "9" * 5000],
)
def test_a_port_above_65535_is_no_url(url):
    assert rules.url_problem(url) == "expected a URL whose port is a number from 0 to 65535"
    assert "a number from 0 to 65535" in extension.check_env_vars(f"API_URL:url={url}")


@pytest.mark.parametrize(
    ("url", "rule"),
    [("http://", "with a host after http://"), ("https:///path", "with a host"),
     ("https://ex ample.org", "without blanks"), ("http://host\t:80/", "without blanks"),
     ("http://[::1", "closed with ']'"), ("http://[::1/x", "closed with ']'"),
     ("c:\\path\\to\\file", "not a Windows path"), ("C:/Users/me", "not a Windows path")],
)
def test_a_web_url_without_a_host_a_blank_in_it_or_a_drive_letter_is_no_url(url, rule):
    assert rule in rules.url_problem(url)
    message = extension.check_env_vars(f"API_URL:url={url}")
    assert rule in message


@pytest.mark.parametrize(
    "url",
    ["http://host:65535/", "http://[::1]:80/", "http://host:0", "http://host:/x",
     "postgresql://h1:5432,h2:5433/db", "https://u:p@ss:w0rd@host:8443/a@b",
     "sqlite:///var/app.db", "http://host/path:99999", "https://host/search?q=ops@team:100000",
     "https://host/u/@bob:1234567", "https://logs/view#from=me@x:1700000000",
     "jdbc:mysql://user:pw@host:3306/db", "http://[::1%25eth0]:8080/", "sqlite://",
     "file:///etc/app.conf", "sqlite:////var/my app/data.db", "redis://:pw@/0",
     "https://host/a path?q=a b", "postgresql://user:pa ss@db/x"],
)
def test_ports_in_range_and_urls_without_one_pass(url):
    assert rules.url_problem(url) == ""


# Issue 12, point 16: names that hide the built-in types in the class body.
@pytest.mark.parametrize("name", ["STR", "INT", "FLOAT", "BOOL", "LIST"])
def test_type_names_are_refused(name):
    assert "hide the type" in extension.check_env_vars(f"{name}=1")


# Issue 12, point 17: what cannot be written safely into the project's files.
@pytest.mark.parametrize(
    "description",
    ["bell\a", "nul\x00", "escape\x1b[31m", "right-to-left\u202eoverride", "zero\u200bwidth",
     "line\u2028separator"],
)
def test_invisible_or_control_characters_in_descriptions_are_refused(description):
    message = extension.check_env_vars([{"name": "A", "description": description}])
    assert "control or invisible characters" in message


@pytest.mark.parametrize("answer", ["A=1\nB=2", "A=x\ty"])
def test_a_line_break_or_tab_in_an_answer_default_is_refused(answer):
    """Two entries meant, most likely; it would also split the README's table."""
    message = extension.check_env_vars(answer)
    assert "A: the default contains control or invisible characters" in message


# ---------------------------------------------------------------- reserved names


@pytest.mark.parametrize("name", [
    "PATH", "Path", "path", "PYTHONPATH", "PythonHome", "pip_index_url", "Git_Dir",
    "__PYVENV_LAUNCHER__",
    # Issue 12, point 18.
    "PYENV_VERSION", "JAVA_TOOL_OPTIONS", "GCONV_PATH", "SSLKEYLOGFILE", "NODE_EXTRA_CA_CERTS",
    "PERL5OPT", "RUBYOPT", "BROWSER", "http_proxy", "https_proxy", "HTTP_PROXY", "ftp_proxy",
    "no_proxy", "all_proxy",
])
def test_reserved_names_are_case_insensitive(name):
    assert rules.reserved_reason(name)
    assert "reserved" in extension.check_env_vars(f"{name.upper()}=1")


@pytest.mark.parametrize("name", ["APP_PATH", "MY_HOME", "DATABASE_URL", "PY", "GITHUB_TOKEN"])
def test_ordinary_names_are_not_reserved(name):
    assert rules.reserved_reason(name) is None


def test_allowed_names_are_not_reserved():
    assert rules.reserved_reason("PYTHONPATH", ["PythonPath"]) is None


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_shell_pattern_matches_exactly_the_reserved_names():
    """What a shell file (the direnv .envrc) uses to skip reserved names."""
    names = ["PATH", "path", "Pythonpath", "PYTHONSTARTUP", "pip_index_url", "http_proxy",
             "BASH_FUNC_x%%", "APP_PATH", "MY_HOME", "DATABASE_URL", "PY", "GITHUB_TOKEN",
             "Node_Options", "NODE", "TMPDIR", "TMPDIR2"]
    script = (
        'for name in "$@"; do case "$name" in ' + rules.reserved_case_pattern()
        + ') echo "$name reserved" ;; *) echo "$name free" ;; esac; done'
    )
    result = subprocess.run(["bash", "-c", script, "bash", *names], capture_output=True,
                            text=True, check=True)
    decided = dict(line.rsplit(" ", 1) for line in result.stdout.splitlines())
    assert decided == {
        name: "reserved" if rules.reserved_reason(name) else "free" for name in names
    }


def test_loader_attributes_are_not_keywords_and_are_the_engine_methods():
    assert not any(keyword.iskeyword(name) for name in rules.ENGINE_ATTRIBUTES)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("int", " 12 ", 12),
        ("float", "1e3", 1000.0),
        ("bool", "Yes", True),
        ("bool", "off", False),
        ("list", "a, b,,  ,c ", ["a", "b", "c"]),
        ("list", "[::1]", ["[::1]"]),  # an IPv6 address, not JSON
        ("url", "mailto:a@b.org", "mailto:a@b.org"),
        ("url", "sqlite:///app.db", "sqlite:///app.db"),
        ("str", "  spaced  ", "  spaced  "),
    ],
)
def test_parse_value(kind, text, value):
    assert rules.parse_value(kind, text) == value
    assert rules.parse_value(kind, rules.value_text(value)) == value


@pytest.mark.parametrize(
    ("kind", "text"),
    [("int", "80.5"), ("float", "2,5"), ("bool", "yeah"), ("url", "localhost/db"),
     ("url", "://x"), ("url", "user:s3cret@host"), ("url", "1http://h"),
     # Python's int() and float() read these; no other tool that reads the env does.
     ("int", "8_000"), ("int", "\u0663"), ("float", "1_0.5"), ("float", "nan"),
     ("float", "\uff11.5"), ("float", "1e999"),
     # JSON, as pydantic-settings reads a list: here its items would keep the brackets.
     ("list", '["a.example","b.example"]'), ("list", " ['x1', 'y2'] ")],
)
def test_parse_value_refuses_without_repeating_the_text(kind, text):
    with pytest.raises(ValueError) as caught:
        rules.parse_value(kind, text)
    assert text not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://me:pw@h/db", "postgresql://me:**********@h/db"),
        ("postgresql://me:p/w#x?y@h:5432/db", "postgresql://me:**********@h:5432/db"),
        ("redis://:p@ss@cache/0", "redis://:**********@cache/0"),
        ("https://user@host/path", "https://user@host/path"),
        ("sqlite:///app.db", "sqlite:///app.db"),
        ("user:pw@host", "user:**********@host"),
        ("postgresql://me:pw@[::1/db", "postgresql://me:**********@[::1/db"),
        # Credentials in the query: libpq, redis, presigned S3 links, API keys.
        ("postgresql://h/db?user=me&password=pw&sslmode=require",
         "postgresql://h/db?user=me&password=**********&sslmode=require"),
        ("rediss://h:6380/0?ssl_cert_reqs=none;Password=p%40ss#frag",
         "rediss://h:6380/0?ssl_cert_reqs=none;Password=**********"),  # the rest hidden too
        ("https://b.s3.amazonaws.com/k?X-Amz-Credential=AK&X-Amz-Signature=abc",
         "https://b.s3.amazonaws.com/k?X-Amz-Credential=**********&X-Amz-Signature=**********"),
        ("https://api.example.org/v1?api_key=k1&page=2&access_token=t",
         "https://api.example.org/v1?api_key=**********&page=2&access_token=**********"),
        ("https://me:pw@h/?token=t", "https://me:**********@h/?token=**********"),
        ("https://h/?q=a@b:c&token=t", "https://h/?q=a@b:c&token=**********"),
        ("https://h/search?q=password&key=", "https://h/search?q=password&key="),
        ("https://h/?page=2&sort=asc", "https://h/?page=2&sort=asc"),
        ("https://h/p?a=1?api_key=k", "https://h/p?a=1?api_key=**********"),  # a second '?'
        ("2&token=t", "2&token=**********"),  # a list item cut from a URL at its ','
        ("https://h/cb#access_token=t&state=s", "https://h/cb#access_token=**********&state=s"),
        ("jdbc:sqlserver://h;user=sa;password=pw", "jdbc:sqlserver://h;user=sa;password=**********"),
        ("https://h/?password=ab;cd&x=1", "https://h/?password=**********&x=1"),
        ("https://h/?accessToken=t&apiKey=k&X_SECRET=s",
         "https://h/?accessToken=**********&apiKey=**********&X_SECRET=**********"),
        ("mssql+pyodbc:///?odbc_connect=DRIVER%3Dx%3BPWD%3Dpw",
         "mssql+pyodbc:///?odbc_connect=**********"),
        ("postgresql://h/db?options=-c%20password%3Dpw", "postgresql://h/db?options=**********"),
        ("https://h/?token=${API_TOKEN}", "https://h/?token=${API_TOKEN}"),  # a reference
        ("https://u:p@h/?token=t", "https://u:**********@h/?token=**********"),
        # Connection strings and libpq's blank-separated form; spaces around '='.
        ("Password=pw;Server=db;User Id=app", "Password=**********;Server=db;User Id=app"),
        ("host=h user=u password=pw", "host=h user=u password=**********"),
        ("Server=x;PWD = pw", "Server=x;PWD = **********"),
        ("https://h/?pass%77ord=pw", "https://h/?pass%77ord=**********"),
        ("https://ghp_0123456789abcdefghij@github.com/o/r.git",
         "https://**********@github.com/o/r.git"),
        # Outside a URL's parameters 'key' and 'tokens' are ordinary words.
        ("cache_key=v1", "cache_key=v1"),
        ("/data/partition_key=2024", "/data/partition_key=2024"),
        ("use key=value pairs", "use key=value pairs"),
        ("s3://bucket/key=value/file", "s3://bucket/key=value/file"),
        ("--max_tokens=100 -Dkey=x", "--max_tokens=100 -Dkey=x"),
    ],
)
def test_url_passwords_are_masked(url, masked):
    """Issue 12, point 9: passwords holding '/', '#', '?' or '@' are masked too."""
    assert rules.mask_url(url) == masked


def test_printable_escapes_terminal_controls():
    assert rules.printable("red\x1b[31m\u202e") == "red\\x1b[31m\\u202e"
    assert rules.printable("café ok") == "café ok"


# ---------------------------------------------------------- env-file writing


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
def test_env_value_quotes_only_when_needed(value, written):
    assert rules.env_value(value) == written


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r")))
def test_env_value_reads_back_unchanged(tmp_path_factory, text):
    if "${" in text:
        with pytest.raises(ValueError):
            rules.env_value(text)
        return
    path = tmp_path_factory.mktemp("value") / "v.env"
    path.write_text(f"V={rules.env_value(text)}\n", encoding="utf-8")
    assert (dotenv_values(path)["V"] or "") == text


def test_env_example_entries():
    variables = [
        rules.EnvVar("PORT", "int", "8000", "The port.\n\nSecond paragraph."),
        rules.EnvVar("TOKEN", "secret"),
        rules.EnvVar("NOTE", "str", ""),
        rules.EnvVar("GREETING", "str", "hi there"),
    ]
    assert rules.env_example_entries(variables) == (
        "# The port.\n#\n# Second paragraph.\n# type: int; default: 8000\nPORT=8000\n\n"
        "# type: secret; required\nTOKEN=\n\n"
        "# type: str; optional, empty by default\nNOTE=\n\n"
        '# type: str; default: "hi there"\nGREETING="hi there"\n'
    )
    assert rules.env_example_entries([]) == ""


def test_settings_reference_table():
    table = rules.settings_reference([
        rules.EnvVar("PORT", "int", "8000", "The <port> | more\nnext"),
        rules.EnvVar("TOKEN", "secret"),
        rules.EnvVar("API_KEY", "secret", ""),
        rules.EnvVar("CMD", "str", "a|b `c`"),
        rules.EnvVar("NOTE", "str", ""),
        rules.EnvVar("MULTI", "str", "one\ntwo\tthree"),  # declared in settings.py
    ])
    assert table.splitlines() == [
        "| variable | type | default | required | description |",
        "|---|---|---|---|---|",
        "| `PORT` | int | `8000` | no | The &lt;port&gt; \\| more<br>next |",
        "| `TOKEN` | secret |  | yes |  |",
        "| `API_KEY` | secret | empty | no |  |",
        "| `CMD` | str | `` a\\|b `c` `` | no |  |",
        "| `NOTE` | str | empty | no |  |",
        "| `MULTI` | str | `one\\ntwo\\tthree` | no |  |",
    ]
    assert rules.settings_reference([]).splitlines()[2] == "| (none declared) | | | | |"


@pytest.mark.parametrize(("kind", "written", "documented"), [
    ("bool", "yes", "true"), ("bool", "OFF", "false"), ("int", "007", "7"),
    ("float", "2.50", "2.5"), ("float", "1e16", "1e+16"), ("path", "./data/", "data"),
    ("list", "a, b,,c", "a,b,c"), ("str", " kept ", " kept "), ("url", "https://x/", "https://x/"),
    ("int", "not a number", "not a number"),
])
def test_the_reference_documents_defaults_as_the_engine_writes_them(kind, written, documented):
    """Copy time (the answer's text) and run time (the typed default) give one table."""
    assert rules.canonical_text(kind, written) == documented


def test_the_reference_goes_between_its_markers():
    table = rules.settings_reference([rules.EnvVar("PORT", "int", "1")])
    text = ("# Demo\r\n\r\n<!-- settings-reference:begin -->\r\nold\r\n"
            "<!-- settings-reference:end -->\r\nend\r\n")
    updated = rules.with_reference(text, table)
    assert updated == ("# Demo\r\n\r\n<!-- settings-reference:begin -->\r\n"
                       + table.replace("\n", "\r\n")
                       + "<!-- settings-reference:end -->\r\nend\r\n")
    assert rules.with_reference(updated, table) == updated
    assert rules.with_reference("# Theirs\n", table) is None
    for broken in ("<!-- settings-reference:begin -->\n",
                   "<!-- settings-reference:end -->\n<!-- settings-reference:begin -->\n"):
        with pytest.raises(ValueError, match="exactly one"):
            rules.with_reference(broken, table)


@pytest.mark.parametrize(("mode", "layers"), [
    (None, [".env", ".env.local"]),
    ("", [".env", ".env.local"]),
    ("test", [".env", ".env.test", ".env.local", ".env.test.local"]),
])
def test_env_layers_lowest_first(mode, layers):
    assert rules.env_layers(".env", mode) == layers
    assert rules.env_layers("config/app.env", "ci")[1:] == [
        "config/app.env.ci", "config/app.env.local", "config/app.env.ci.local"]
    assert rules.private_layer(".env") == ".env.local"


@pytest.mark.parametrize(("mode", "problem"), [
    ("test", ""), ("production", ""), ("ci-2", ""), ("Stage_1", ""),
    ("local", "cannot be a mode"), ("Example", "cannot be a mode"),
    ("", "is not a mode"), ("../etc", "is not a mode"), ("a.b", "is not a mode"),
    ("-x", "is not a mode"), ("t\u00e9st", "is not a mode"), ("a b", "is not a mode"),
    ("x" * 41, "longer than 40"),
])
def test_mode_names(mode, problem):
    found = rules.mode_problem(mode, "SHOP_ENV")
    assert (problem in found) if problem else found == ""
    if problem:
        assert found.startswith("SHOP_ENV=")


def test_control_characters_are_escaped_once_in_messages():
    assert rules.mode_problem("a\nb", "SHOP_ENV").startswith("SHOP_ENV='a\\nb' is not")
    assert "'caf\\u200b'" in extension.check_package_name("caf\u200b")


@pytest.mark.parametrize(("data", "text"), [
    (b"s3cret\n", "s3cret"), (b"s3cret\r\n", "s3cret"), (b"s3cret", "s3cret"),
    (b"two\n\n", "two\n"), (b"\n", ""), (b"", ""), (b" padded \n", " padded "),
])
def test_a_secret_file_loses_its_final_newline_only(data, text):
    assert rules.value_file_text(data) == text


def test_value_file_text_refuses_other_encodings():
    with pytest.raises(UnicodeDecodeError):
        rules.value_file_text(b"\xff\xfe")


def test_file_variable_clashes():
    assert rules.file_variable("TOKEN") == "TOKEN_FILE"
    assert rules.file_variable_clashes([("TOKEN", True), ("PORT", False)], "shop") == []
    (problem,) = rules.file_variable_clashes([("LOG", True), ("log_file", False)], "shop")
    assert problem.startswith("LOG: LOG_FILE names the file holding LOG's value, and log_file")
    # Not read from files: no NAME_FILE, no clash.
    assert rules.file_variable_clashes([("LOG", False), ("LOG_FILE", False)], "shop") == []
    (problem,) = rules.file_variable_clashes([("SHOP_ENV", True)], "shop")
    assert "SHOP_ENV_FILE is the loader's own setting" in problem
    assert rules.mode_name("shop") == "SHOP_ENV"
    assert rules.secrets_dir_name("shop") == "SHOP_SECRETS_DIR"


# ------------------------------------------------------------- locations


@pytest.mark.parametrize(
    "text",
    [
        "",
        '[project]\nname = "x"\n',
        '[tool.copier-venv-dotenv]\nvenv-dir = ".venv"\nenv-file = "config/app.env"\n',
        '# >>> copier-venv-dotenv: read by ... >>>\n[tool.copier-venv-dotenv]\n'
        'venv-dir = "v"  # inline\n\n# c\nsettings = "a.settings"\n# <<< copier-venv-dotenv <<<\n'
        '[tool.other]\nx = 1\n',
        "[tool.copier-venv-dotenv]\nenv-file = 'single.env'\n",
        '[tool.copier-venv-dotenv]\nallow = ["A", "B"]\n',
        '[tool]\ncopier-venv-dotenv = { env-file = "inline.env" }\n',
        '[tool.copier-venv-dotenv]\nenv-file = "esc\\u0041.env"\n',
        '[tool.copier-venv-dotenv]\r\nenv-file = "crlf.env"\r\n',
    ],
)
def test_tool_table_reads_like_tomllib(text):
    expected = tomllib.loads(text).get("tool", {}).get("copier-venv-dotenv", {})
    assert rules.tool_table(text) == expected


_TOML_VALUES = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    entries=st.dictionaries(st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True), _TOML_VALUES,
                            max_size=4),
    spacing=st.sampled_from(["=", " = ", "\t=  "]),
    comment=st.sampled_from(["", "  # note", "#x"]),
    before=st.sampled_from(["", '[project]\nname = "x"\n', "# c\n\n"]),
    after=st.sampled_from(["", "[tool.other]\na = 1\n", "\n# end\n"]),
)
def test_tool_table_reads_any_table_like_tomllib(entries, spacing, comment, before, after):
    """The direct reading of plain lines and tomllib agree, or tomllib is used."""
    lines = [f"{key}{spacing}{json.dumps(value, ensure_ascii=False)}{comment}"
             for key, value in entries.items()]
    text = before + "[tool.copier-venv-dotenv]\n" + "\n".join(lines) + "\n" + after
    try:
        expected = tomllib.loads(text)["tool"]["copier-venv-dotenv"]
    except tomllib.TOMLDecodeError:
        with pytest.raises(ValueError):
            rules.tool_table(text)
        return
    assert rules.tool_table(text) == expected


def test_tool_table_reports_invalid_toml():
    with pytest.raises(ValueError):
        rules.tool_table('[tool.copier-venv-dotenv]\nenv-file = "a"\nenv-file = "b"\n')


def test_the_plain_table_is_read_without_tomllib():
    text = '[project]\nname = "x"\n\n[tool.copier-venv-dotenv]\nenv-file = ".env"\n'
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import _rules\n"
        f"assert _rules.tool_table({text!r}) == {{'env-file': '.env'}}\n"
        "print('tomllib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-I", "-B", "-c", code, str(ENGINE_DIR)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_locations_fill_defaults_and_name_bad_values():
    found, problems = rules.locations({"env-file": "a.env"}, "shop")
    assert found == {"venv-dir": ".venv", "env-file": "a.env", "settings": "shop.settings",
                     "secrets-dir": "", "answers-file": ".copier-answers.yml"}
    assert problems == []
    for name, taken in ((".copier-answers.vd.yml", ".copier-answers.vd.yml"),
                         ("", ".copier-answers.yml"), ("a\nb", ".copier-answers.yml")):
        assert rules.locations({"answers-file": name}, "shop")[0]["answers-file"] == taken
    _found, problems = rules.locations({"venv-dir": 3}, "shop")
    assert "venv-dir in pyproject.toml must be a non-empty string" in problems[0]
    for key, value in (("env-file", ".env\x00"), ("venv-dir", ".venv\nx")):
        found, problems = rules.locations({key: value}, "shop")
        assert problems == [f"[tool.copier-venv-dotenv] {key} in pyproject.toml holds a "
                            "control character; use a plain path, such as "
                            f"{rules.DEFAULT_LOCATIONS[key]!r}"]
        assert found[key] == rules.DEFAULT_LOCATIONS[key]
    found, problems = rules.locations({"secrets-dir": " /run/secrets "}, "shop")
    assert found["secrets-dir"] == "/run/secrets" and problems == []
    found, problems = rules.locations({"secrets-dir": ["/run/secrets"]}, "shop")
    assert found["secrets-dir"] == ""
    assert problems == ["[tool.copier-venv-dotenv] secrets-dir in pyproject.toml must be a "
                        "string, such as '/run/secrets'"]
    # The layers' own suffixes: the private layer and the example are not the base file.
    for name, why in (("config/.env.local", "ends in .local"), (".env.example", "committed")):
        found, problems = rules.locations({"env-file": name}, "shop")
        assert found["env-file"] == ".env"
        assert problems[0].startswith(f"[tool.copier-venv-dotenv] env-file = {name!r} ")
        assert why in problems[0]


# ------------------------------------------------------------ package_name


@pytest.mark.parametrize("name", ["my_app", "app2", "settings_demo", "jsonish", "a" * 64])
def test_package_name_accepted(name):
    assert extension.check_package_name(name) == ""


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
        ("distutils", "standard-library module"),  # removed in 3.12
        ("telnetlib", "standard-library module"),  # removed in 3.13
        ("annotationlib", "standard-library module"),  # added in 3.14
        ("dotenv", "module the project installs"),
        ("pytest", "module the project installs"),
        ("sitecustomize", "module the project installs"),
        # Issue 12, point 15: top-level names of the dependencies, not only their names.
        ("py", "module the project installs"),
        ("pluggy", "module the project installs"),
        ("iniconfig", "module the project installs"),
        ("pygments", "module the project installs"),
        ("tests", "folder of the generated project"),
        ("src", "folder of the generated project"),
        ("scripts", "folder of the generated project"),
        ("a" * 65, "64 at most"),
    ],
)
def test_package_name_refused(name, expected):
    message = extension.check_package_name(name)
    assert expected in message


@pytest.mark.parametrize("name", ["_pytest", "café", "_json"])
def test_no_name_is_suggested_that_would_be_refused_or_lose_letters(name):
    assert "; use '" not in extension.check_package_name(name)


@pytest.mark.venv
def test_every_top_level_module_a_project_installs_is_refused(template_repo, tmp_path):
    """The venv of a real generated project: none of its modules can be the package."""
    import copier

    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.skip(unavailable("uv"))
    dst = tmp_path / "names"
    copier.run_copy(str(template_repo), str(dst), data={"package_name": "names_demo"},
                    defaults=True, unsafe=True, quiet=True, vcs_ref="HEAD",
                    settings=copier.Settings())
    python = dst / ".venv" / "bin" / "python"
    subprocess.run([uv, "venv", "-q", "--seed", "--python", sys.executable, str(dst / ".venv")],
                   check=True)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(python), "-e", f"{dst}[dev]"],
                   check=True)
    code = (
        "import importlib.metadata as m, json\n"
        "names = set()\n"
        "for d in m.distributions():\n"
        "    for f in d.files or []:\n"
        "        top = f.parts[0]\n"
        "        if top.endswith('.py') or len(f.parts) > 1 and f.parts[-1] == '__init__.py':\n"
        "            names.add(top.removesuffix('.py'))\n"
        "print(json.dumps(sorted(names)))\n"
    )
    found = json.loads(subprocess.run([str(python), "-c", code], capture_output=True,
                                      text=True, check=True).stdout)
    names = {name for name in found if name.isidentifier() and name != "names_demo"}
    assert names, "no module found: the scan is broken"
    unrefused = sorted(name for name in names if not extension.check_package_name(name)
                       and not name.startswith("_"))
    assert unrefused == []


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
    assert public <= extension.STDLIB_MODULES


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
        ("py", "py_app"),
        ("a.b-c", "a_b_c"),
        ("x" * 300, "x" * 64),
    ],
)
def test_derived_package_name_is_always_valid(project, package):
    assert extension.default_package_name(project) == package
    assert extension.check_package_name(package) == ""


# ------------------------------------------------------------ project_name


@pytest.mark.parametrize("name", ["my-app", "My App", "app2", "Ünïcode Tools", "x", "y" * 100])
def test_project_name_accepted(name):
    assert extension.check_project_name(name) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("!!!", "no valid distribution name"),
        ("プロジェクト", "no valid distribution name"),
        ('say "hi"', "would break the generated pyproject.toml"),
        ("back\\slash", "would break the generated pyproject.toml"),
        # Issue 12, point 17.
        ("del\x7fete", "U+007F"),
        ("nul\x00", "U+0000"),
        ("bidi\u202eeman", "U+202E"),
        ("zero\u200bwidth", "U+200B"),
        ("x" * 300, "keep it to 100 at most"),
    ],
)
def test_project_name_refused(name, expected):
    assert expected in extension.check_project_name(name)


@pytest.mark.parametrize(
    ("project", "dist"),
    [("My App", "my-app"), ("my_app", "my-app"), ("A.B", "a-b"), ("  x  ", "x")],
)
def test_distribution_name(project, dist):
    assert extension.distribution_name(project) == dist


@pytest.mark.parametrize(
    ("folder", "name"), [("my-app", "my-app"), ("", "my-project"), ("プロ", "my-project")]
)
def test_default_project_name_is_always_valid(folder, name):
    assert extension.default_project_name(folder) == name
    assert extension.check_project_name(name) == ""


# --------------------------------------------------------- python_version


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13", "3.14"])
def test_python_version_accepted(version):
    assert extension.check_python_version(version) == ""


@pytest.mark.parametrize(
    ("version", "expected"),
    [("3.10", "Python 3.10 has reached its end of life; use 3.11 or newer"),
     ("3.9", "end of life"), ("3.1", "YAML reads 3.10 as 3.1"), ("3", "3.N"),
     ("2.7", "3.N"), ("3.15", "one of"), ("", "3.N")],
)
def test_python_version_refused(version, expected):
    assert expected in extension.check_python_version(version)


# ---------------------------------------------------------------- venv_dir


@pytest.mark.parametrize("path", [".venv", "venv", "env", ".venvs/py311", "tools/venv", ".venv/"])
def test_venv_dir_accepted(path):
    assert extension.check_venv_dir(path) == ""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".env", "env file name"),
        (".env.local", "env file name"),
        (".env/venv", "env file name"),
        ("my venv", "whitespace"),
        ("venv\t", "whitespace"),
        ("/opt/venv", "leaves the project"),
        ("C:/venv", "leaves the project"),
        ("~/venv", "leaves the project"),
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
        (".Env", "is an env file name"),
    ],
)
def test_venv_dir_refused(path, expected):
    message = extension.check_venv_dir(path)
    assert expected in message
    assert repr(path) in message or not path


# ---------------------------------------------------------------- env_file


@pytest.mark.parametrize("path", [".env", ".env.dev", "config/app.env", "settings.env"])
def test_env_file_accepted(path):
    assert extension.check_env_file(path, ".venv") == ""


@pytest.mark.parametrize(
    ("path", "venv", "expected"),
    [
        (".venv", ".venv", "venv folder"),
        (".venv/.env", ".venv", "venv folder"),
        ("venv/x.env", "venv/", "venv folder"),
        (".env.example", ".venv", "committed example"),
        ("config/app.env.example", ".venv", "committed example"),
        (".env.local", ".venv", "ends in .local, the suffix of the private layer"),
        ("config/app.local", ".venv", "name the base file, such as '.env'"),
        ("pyproject.toml", ".venv", "project uses"),
        (".envrc", ".venv", "project uses"),
        ("src/.env", ".venv", "project uses"),
        ("/etc/app.env", ".venv", "leaves the project"),
        ("../.env", ".venv", "leaves the project"),
        ("my env", ".venv", "whitespace"),
        ("config/", ".venv", "names a folder"),
        ("", ".venv", "empty"),
        (".venv2", ".venv2/x", "the venv '.venv2/x' is inside it"),
        (".Venv/x.env", ".venv", "venv folder"),  # one path on macOS and Windows
    ],
)
def test_env_file_refused(path, venv, expected):
    assert expected in extension.check_env_file(path, venv)


# ---------------------------------------------------------------- yes/no


@pytest.mark.parametrize("raw", [None, True, False, 0, 1, "yes", "No", " on ", "OFF", "1", "t"])
def test_yes_no_accepted(raw):
    assert extension.check_yes_no(raw, "use_direnv") == ""


@pytest.mark.parametrize("raw", ["maybe", "sure", "", "2"])
def test_yes_no_refused(raw):
    message = extension.check_yes_no(raw, "use_direnv")
    assert "use_direnv must be true or false" in message
    assert repr(raw) in message


# ------------------------------------------------------- settings.py source


@pytest.mark.parametrize(
    ("var", "source"),
    [
        (rules.EnvVar("LOG_LEVEL", "str", "INFO"), '    log_level: str = "INFO"'),
        (rules.EnvVar("TOKEN", "secret"), "    token: Secret"),
        (rules.EnvVar("TOKEN", "secret", ""), "    token: Secret | None = None"),
        (rules.EnvVar("RATIO", "float", ""), "    ratio: float | None = None"),
        (rules.EnvVar("RATIO", "float", "2.50"), "    ratio: float = 2.5"),
        (rules.EnvVar("DEBUG", "bool", "off"), "    debug: bool = False"),
        (rules.EnvVar("DATA", "path", "data/x"), '    data: Path = Path("data/x")'),
        (rules.EnvVar("API", "url", "https://x.org"), '    api: Url = "https://x.org"'),
        (rules.EnvVar("HOSTS", "list", "a, b"), '    hosts: list[str] = env(default=["a", "b"])'),
        (rules.EnvVar("TAGS", "list", ""), "    tags: list[str] = env(default=[])"),
        (rules.EnvVar("SAY", "str", "it's \"x\""), "    say: str = 'it\\'s \"x\"'"),
        (rules.EnvVar("Q", "str", 'a "b"'), "    q: str = 'a \"b\"'"),
        (rules.EnvVar("N", "int", "", "Workers."),
         '    n: int | None = env(default=None, description="Workers.")'),
        (rules.EnvVar("K", "secret", None, "The key."), '    k: Secret = env(description="The key.")'),
        (rules.EnvVar("INF", "float", "inf"), '    inf: float = float("inf")'),
    ],
)
def test_declarations(var, source):
    assert extension.declaration(var) == source


def test_long_declarations_put_one_argument_per_line():
    var = rules.EnvVar("A" * 60, "url", "https://example.org/" + "x" * 90, "Long. " * 20)
    lines = extension.declaration(var).splitlines()
    assert lines[0] == f"    {'a' * 60}: Url = env("
    assert lines[1].startswith('        default="https://example.org/xxx')
    assert lines[2].startswith('        description="Long. Long.')
    assert lines[3] == "    )"


def test_the_update_command_names_an_answers_file_that_is_not_copiers_own():
    assert rules.update_command() == "copier update --trust --defaults"
    assert rules.update_command(".copier-answers.venv-dotenv.yml", "restore_blocks=true") == (
        "copier update --trust --defaults -a .copier-answers.venv-dotenv.yml "
        "-d restore_blocks=true")
    assert rules.update_command("our answers's.yml").endswith("-a 'our answers'\\''s.yml'")
    ours = "_commit: v1\nenv_file: .env\nenv_vars: PORT:int=80\nvenv_dir: .venv\n"
    assert rules.holds_our_answers(ours)
    assert rules.update_command("-odd.yml") == "copier update --trust --defaults -a ./-odd.yml"
    # Another template's answers may have one of those questions, not all three.
    assert not rules.holds_our_answers("_commit: v1\nenv_file: .env\nline_length: 99\n")
