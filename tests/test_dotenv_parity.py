"""The engine reads every parsable line exactly as python-dotenv's dotenv_values() does.

Where python-dotenv is lenient (unparsable lines skipped, duplicate keys: last wins)
the engine reports a problem, but the values it keeps are still python-dotenv's.
"""

from __future__ import annotations

import os

import pytest
from dotenv import dotenv_values
from engine_pkg import import_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# (name, file content): each a trap for a hand-written parser.
CORPUS = [
    ("plain", "A=1\nB=two words\n"),
    ("spaces around", "  A = 1  \n\tB\t=\t2\n"),
    ("export", "export A=1\nexport   B='x'\n"),
    ("inline comment", "A=1 # comment\nB=1#not a comment\nC= # only a comment\n"),
    ("hash in quotes", "A='# kept'\nB=\"also # kept\"\n"),
    ("full-line comments", "# A=1\n   # B=2\nC=3\n"),
    ("single quotes", "A='single'\nB='it\\'s'\nC='back\\\\slash'\nD='\\n stays'\n"),
    ("double quotes", 'A="double"\nB="tab\\there"\nC="new\\nline"\nD="q\\"uote"\n'),
    ("unicode", "A=caf\u00e9\nB=\"\u2603 snow\"\nC='\u00e9t\u00e9'\n"),
    ("multiline double", 'A="line1\nline2\nline3"\nB=after\n'),
    ("multiline single", "A='line1\nline2'\nB=after\n"),
    ("interpolation", "A=1\nB=${A}\nC=${A}-${B}\nD=${MISSING}\nE=${MISSING:-dflt}\n"),
    ("interpolation in quotes", "A=x\nB='${A}'\nC=\"${A}\"\n"),
    ("interpolation from environ", "A=${PARITY_FROM_ENV}\nB=${PARITY_FROM_ENV:-no}\n"),
    ("file shadows environ", "PARITY_FROM_ENV=file\nA=${PARITY_FROM_ENV}\n"),
    ("interpolation order", "B=${A}\nA=1\n"),
    ("dollar without braces", "A=$HOME\nB=pa$$word\nC=${\n"),
    ("empty values", "A=\nB=''\nC=\"\"\nD= \n"),
    ("key without equal sign", "A\nB=1\nexport C\n"),
    ("key without value then interpolated", "A\nB=${A:-x}\n"),
    ("bom", "\ufeffA=1\nB=2\n"),
    ("crlf", "A=1\r\nB='x'\r\nC=\"m\r\nl\"\r\n"),
    ("cr only", "A=1\rB=2\r"),
    ("no trailing newline", "A=1\nB=2"),
    ("blank lines", "\n\n\nA=1\n\n\nB=2\n\n"),
    ("duplicates", "A=1\nA=2\nB=${A}\nA=3\n"),
    ("broken lines skipped", "A=1\nthis is broken\nB=2\n'unterminated=1\nC=3\n"),
    ("unterminated quote", "A=\"never closed\nB=2\n"),
    ("quoted key", "'A'=1\n"),
    ("odd keys", "a.b=1\nkey-with-dash=2\n1ABC=3\n"),
    ("equals in value", "A=a=b=c\nB='x=y'\n"),
    ("trailing spaces after quote", "A='x'   \nB=\"y\"  # c\n"),
    ("escaped backslash before quote", 'A="x\\\\"\nB=\'y\\\\\'\n'),
    ("value that looks like export", "A=export B\n"),
    ("only comments", "# nothing\n"),
    ("empty file", ""),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return import_engine(tmp_path_factory.mktemp("engine"))


def engine_values(engine, path):
    problems: list = []
    env_file = engine.read_env_file(path, True, os.environ, problems)
    return {key: entry.value for key, entry in env_file.entries.items()}, problems


@pytest.fixture(autouse=True)
def parity_environ(monkeypatch):
    monkeypatch.setenv("PARITY_FROM_ENV", "from-environ")


@pytest.mark.parametrize(("case", "text"), CORPUS, ids=[case for case, _ in CORPUS])
def test_values_equal_dotenv_values(engine, tmp_path, case, text):
    path = tmp_path / "corpus.env"
    path.write_bytes(text.encode("utf-8"))
    values, _problems = engine_values(engine, path)
    assert values == dotenv_values(path)
    assert list(values) == list(dotenv_values(path))  # same keys, same order


@pytest.mark.parametrize(
    ("case", "codes"),
    [
        ("broken lines skipped", ["parse", "parse"]),
        ("unterminated quote", ["parse"]),
        ("duplicates", ["duplicate", "duplicate"]),
        ("plain", []),
        ("key without equal sign", []),
    ],
)
def test_what_dotenv_forgives_is_reported(engine, tmp_path, case, codes):
    path = tmp_path / "corpus.env"
    path.write_bytes(dict(CORPUS)[case].encode("utf-8"))
    _values, problems = engine_values(engine, path)
    assert [p.code for p in problems] == codes


def test_key_without_equal_sign_loads_as_not_set(engine, tmp_path):
    """dotenv_values() gives None; load_dotenv() sets nothing: the engine falls through."""
    path = tmp_path / "corpus.env"
    path.write_text("PORT\n")

    class S(engine.BaseSettings):
        port: int = engine.Var("int", default="5")

    loaded = engine.load(S, path, environ={}, layout=engine.Layout(tmp_path))
    assert loaded.port == 5
    assert str(loaded.sources()["port"]) == "default"


TYPED = """\
export K_EXPORT=exported
K_COMMENT=value # comment
K_SINGLE='it\\'s # kept'
K_DOUBLE="tab\\tnew\\nline \\"q\\""
K_MULTI="one
two"
K_INTERP=${K_EXPORT}-${PARITY_FROM_ENV}-${NOPE:-dflt}
K_EMPTY=
K_BARE
K_UNICODE=caf\u00e9
"""


def test_typed_load_agrees_with_dotenv_values(engine, tmp_path):
    """Through the whole loader, declared str variables get dotenv_values()'s text."""
    path = tmp_path / "typed.env"
    path.write_text(TYPED, encoding="utf-8")
    expected = dotenv_values(path)
    assert len(expected) == 9
    namespace = {key.lower(): engine.Var("str", default="") for key in expected}
    settings_cls = type("S", (engine.BaseSettings,), namespace)
    loaded = engine.load(settings_cls, path, environ=dict(os.environ), layout=engine.Layout(tmp_path))
    for key, value in expected.items():
        assert getattr(loaded, key.lower()) == (value or ""), key
    assert loaded.k_interp == "exported-from-environ-dflt"


# Lines made of the characters that matter to the parser.
_pieces = st.sampled_from([
    "A", "B", "C", "_", "1", "=", " ", "\t", "#", "'", '"', "\\", "$", "{", "}", ":-",
    "export ", "\n", "\r\n", "\r", "x", "\u00e9", "${A}", "${B:-d}",
])
_texts = st.lists(_pieces, max_size=40).map("".join)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_texts)
def test_random_files_parse_like_dotenv(engine, tmp_path, text):
    path = tmp_path / "random.env"
    path.write_bytes(text.encode("utf-8"))
    values, problems = engine_values(engine, path)
    assert values == dotenv_values(path)
    for problem in problems:
        assert str(path) in str(problem)
