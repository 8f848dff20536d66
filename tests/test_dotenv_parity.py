"""The engine reads env files exactly as python-dotenv does, on every version it allows.

The engine uses python-dotenv's own parser (``dotenv.parser``, ``dotenv.variables``),
which is not its public API: the generated projects depend on a tested range
(``_rules.DOTENV_REQUIREMENT``), and these tests run on its newest version (the one
installed here, pinned in pyproject.toml) and on its lowest one, installed into a
throwaway venv with uv.

The reference is ``load_dotenv()``'s view, where the environment wins: for every key,
the value python-dotenv computes with ``override=False``. Where python-dotenv is lenient
(unparsable lines skipped, duplicate keys, a name without '=', a reference to a later
line) the engine reports a problem, but the values it keeps are python-dotenv's. The
README documents the two stricter choices: an empty environment value counts as not
set, and a reference may fall back on a declared default.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import venv_dotenv_rules
from conftest import built_once, unavailable
from engine_pkg import build_package, import_files
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
    ("environ wins over the file", "PARITY_FROM_ENV=file\nA=${PARITY_FROM_ENV}\n"),
    ("interpolation order", "B=${A}\nA=1\n"),
    ("dollar without braces", "A=$HOME\nB=pa$$word\nC=${\n"),
    ("empty values", "A=\nB=''\nC=\"\"\nD= \n"),
    ("key without equal sign", "A\nB=1\nexport C\n"),
    ("key without value then interpolated", "A\nB=${A:-x}\n"),
    ("empty value then interpolated", "A=\nB=${A:-x}\n"),
    ("bom", "\ufeffA=1\nB=2\n"),
    ("crlf", "A=1\r\nB='x'\r\nC=\"m\r\nl\"\r\n"),
    ("cr only", "A=1\rB=2\r"),
    ("no trailing newline", "A=1\nB=2"),
    ("blank lines", "\n\n\nA=1\n\n\nB=2\n\n"),
    ("unicode blank lines", "A=1\n\u00a0\n\u3000\nB=2\n\u2028\n\x1c\nC=3\n"),
    ("duplicates", "A=1\nA=2\nB=${A}\nA=3\n"),
    ("broken lines skipped", "A=1\nthis is broken\nB=2\n'unterminated=1\nC=3\n"),
    ("unterminated quote", "A=\"never closed\nB=2\n"),
    ("quoted key", "'A'=1\n"),
    ("odd keys", "a.b=1\nkey-with-dash=2\n1ABC=3\n"),
    ("equals in value", "A=a=b=c\nB='x=y'\n"),
    ("trailing spaces after quote", "A='x'   \nB=\"y\"  # c\n"),
    ("escaped backslash before quote", 'A="x\\\\"\nB=\'y\\\\\'\n'),
    ("value that looks like export", "A=export B\n"),
    ("self reference", "PARITY_FROM_ENV=${PARITY_FROM_ENV}-x\nZ=${Z:-z}\n"),
    ("only comments", "# nothing\n"),
    ("empty file", ""),
]
# What the engine reports where python-dotenv is silent.
PROBLEMS = {
    "broken lines skipped": ["parse", "parse"],
    "unterminated quote": ["parse"],
    "duplicates": ["duplicate", "duplicate"],
    "key without equal sign": ["no-equals", "no-equals"],
    "key without value then interpolated": ["no-equals"],
    "interpolation order": ["forward-reference"],
    "interpolation": ["unset-reference"],  # D=${MISSING}: "" there, a typo here
}
ENVIRON = {"PARITY_FROM_ENV": "from-environ"}
# The range the generated projects require (the rules module the engine ships).
RANGE = venv_dotenv_rules.rules.DOTENV_REQUIREMENT

# Run by an interpreter with the engine and some python-dotenv version: for each case,
# the engine's values and problem codes, and python-dotenv's values.
COMPARE = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from engine_under_test._settings import _files
from dotenv.main import DotEnv
os.environ.update(json.loads(sys.argv[3]))
results = {}
for name, text in json.loads(sys.stdin.read()).items():
    path = Path(sys.argv[2]) / "case.env"
    path.write_bytes(text.encode("utf-8"))
    problems = []
    env_file = _files.read_env_file(path, True, problems)
    _files.interpolate([env_file], os.environ, problems)
    ours = {entry.key: entry.value for entry in env_file.entries}
    theirs = DotEnv(path, interpolate=True, override=False).dict()
    lines = {entry.key: entry.line for entry in env_file.entries}
    results[name] = [list(ours.items()), list(theirs.items()), [p.code for p in problems], lines]
print(json.dumps(results))
"""


def compare(python: str, tmp_path: Path, cases: dict[str, str]) -> dict[str, list]:
    site = build_package(tmp_path / "site")
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [python, "-c", COMPARE, str(site), str(work), json.dumps(ENVIRON)],
        input=json.dumps(cases), capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def lowest_allowed() -> str:
    match = re.search(r">=([0-9.]+)", RANGE)
    assert match, RANGE
    return match[1]


@pytest.fixture(scope="module")
def newest(tmp_path_factory) -> dict[str, list]:
    """The results with the python-dotenv of this environment (the newest allowed)."""
    return compare(sys.executable, tmp_path_factory.mktemp("newest"), dict(CORPUS))


@pytest.fixture(scope="module")
def lowest(tmp_path_factory) -> dict[str, list]:
    """The results with the lowest allowed python-dotenv, in a throwaway venv built once
    per test run (xdist workers share it)."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.skip(unavailable("uv"))

    def build(root: Path) -> None:
        venv = root / "venv"
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
        python = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        subprocess.run([uv, "pip", "install", "-q", "--python", python,
                        f"python-dotenv=={lowest_allowed()}"], check=True)
        results = compare(python, root / "work", dict(CORPUS))
        (root / "results.json").write_text(json.dumps(results), encoding="utf-8")

    root = built_once(tmp_path_factory, "dotenv-lowest", build)
    return json.loads((root / "results.json").read_text(encoding="utf-8"))


def test_the_range_is_the_one_tested():
    """The tools' python-dotenv (the newest tested) is inside the generated range."""
    installed = importlib.metadata.version("python-dotenv")
    upper = re.search(r"<([0-9.]+)", RANGE)
    assert upper, "the range has an upper bound: the parser is not public API"
    as_tuple = lambda text: tuple(int(part) for part in text.split("."))  # noqa: E731
    assert as_tuple(lowest_allowed()) <= as_tuple(installed) < as_tuple(upper[1])
    pins = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert f'"python-dotenv=={installed}"' in pins


@pytest.mark.parametrize("version", ["newest", pytest.param("lowest", marks=pytest.mark.venv)])
@pytest.mark.parametrize(("case", "text"), CORPUS, ids=[case for case, _ in CORPUS])
def test_values_equal_python_dotenv(request, version, case, text):
    ours, theirs, codes, _lines = request.getfixturevalue(version)[case]
    assert ours == theirs  # same keys, same order, same values
    assert codes == PROBLEMS.get(case, [])


def test_line_numbers_count_what_an_editor_counts(newest):
    """Blank lines of Unicode whitespace (no-break space, U+2028...) count as one line."""
    *_values, lines = newest["unicode blank lines"]
    assert lines == {"A": 1, "B": 4, "C": 7}
    assert newest["blank lines"][3] == {"A": 4, "B": 7}
    assert newest["multiline double"][3] == {"A": 1, "B": 4}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The engine's env-file reader."""
    return import_files(tmp_path_factory.mktemp("engine"))


# Lines made of the characters that matter to the parser.
_pieces = st.sampled_from([
    "A", "B", "C", "_", "1", "=", " ", "\t", "#", "'", '"', "\\", "$", "{", "}", ":-",
    "export ", "\n", "\r\n", "\r", "x", "\u00e9", "${A}", "${B:-d}", "\u00a0", "\u2028",
])
_texts = st.lists(_pieces, max_size=40).map("".join)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_texts)
def test_random_files_parse_like_python_dotenv(files, tmp_path, monkeypatch, text):
    from dotenv.main import DotEnv

    monkeypatch.setenv("A", "from-environ")
    path = tmp_path / "random.env"
    path.write_bytes(text.encode("utf-8"))
    problems: list = []
    env_file = files.read_env_file(path, True, problems)
    files.interpolate([env_file], os.environ, problems)
    assert {e.key: e.value for e in env_file.entries} == DotEnv(path, override=False).dict()
    for problem in problems:
        assert str(path) in str(problem)
