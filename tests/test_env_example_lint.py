"""The rendered .env.example is clean by the checks of dotenv-linter.

dotenv-linter (the Rust tool) is not installable from the registries this project uses,
so its checks that apply to a generated file are written out here, one per function.
"""

from __future__ import annotations

import re

import copier
import pytest
from dotenv import dotenv_values

ANSWERS = [
    None,  # the default answer
    "PORT:int=8000, HOSTS:list=\"a.example,b.example\", TOKEN:secret, EMPTY=",
    [
        {"name": "GREETING", "default": "hello world # not a comment",
         "description": "Shown on the home page.\nTwo lines."},
        {"name": "QUOTED", "default": "say \"hi\" and it's"},
        {"name": "PATHS", "type": "list", "default": "a b, c"},
        {"name": "BACKSLASH", "default": "C:\\dir\\file"},
        {"name": "DOLLAR", "default": "costs $5"},
    ],
]
KEY_LINE = re.compile(r"^(?P<key>[^=#\s][^=]*?)(?P<space>\s*)=(?P<after>\s*)(?P<value>.*)$")
PLAIN_VALUE = re.compile(r"[A-Za-z0-9_./:@%+,=~-]*")


def violations(text: str) -> list[str]:
    found, keys = [], {}
    lines = text.split("\n")
    if not text.endswith("\n"):
        found.append("EndingBlankLine: the file does not end with a newline")
    if text.endswith("\n\n"):
        found.append("ExtraBlankLine: blank line at the end")
    for number, line in enumerate(lines[:-1], 1):
        where = f"line {number}"
        if line != line.rstrip():
            found.append(f"TrailingWhitespace: {where}")
        if not line.strip():
            if number > 1 and not lines[number - 2].strip():
                found.append(f"ExtraBlankLine: {where}")
            continue
        if line.startswith("#"):
            continue
        match = KEY_LINE.match(line)
        if match is None:
            found.append(f"KeyWithoutValue: {where}: {line!r}")
            continue
        key, value = match["key"], match["value"]
        if match["space"] or match["after"]:
            found.append(f"SpaceCharacter: {where}")
        if not re.match(r"[A-Z_]", key):
            found.append(f"LeadingCharacter: {where}")
        if key != key.upper():
            found.append(f"LowercaseKey: {where}")
        if not re.fullmatch(r"[A-Za-z0-9_]+", key):
            found.append(f"IncorrectDelimiter: {where}")
        if key in keys:
            found.append(f"DuplicatedKey: {key} at lines {keys[key]} and {number}")
        keys[key] = number
        quoted = len(value) >= 2 and value[0] == value[-1] == '"'
        if quoted and PLAIN_VALUE.fullmatch(value[1:-1]):
            found.append(f"QuoteCharacter: {where}: quotes a value that needs none")
        if not quoted and not PLAIN_VALUE.fullmatch(value):
            found.append(f"ValueWithoutQuotes: {where}: {value!r} needs quotes")
    return found


@pytest.mark.parametrize("answer", ANSWERS, ids=["default", "one-line", "yaml-list"])
def test_env_example_is_lint_clean_and_reads_back(template_repo, tmp_path, answer):
    data = {"project_name": "Lint Env"}
    if answer is not None:
        data["env_vars"] = answer
    dst = tmp_path / "lint-env"
    copier.run_copy(str(template_repo), str(dst), data=data, defaults=True, unsafe=True,
                    quiet=True, vcs_ref="HEAD", settings=copier.Settings())
    text = (dst / ".env.example").read_text()
    assert violations(text) == []
    if isinstance(answer, list):
        values = dotenv_values(dst / ".env.example")
        assert values == {item["name"]: item["default"] for item in answer}


@pytest.mark.parametrize(("text", "check"), [
    ("A=1", "EndingBlankLine"),
    ("A=1\n\n\nB=2\n", "ExtraBlankLine"),
    ("A=1 \n", "TrailingWhitespace"),
    ("A = 1\n", "SpaceCharacter"),
    ("a=1\n", "LowercaseKey"),
    ("1A=1\n", "LeadingCharacter"),
    ("A-B=1\n", "IncorrectDelimiter"),
    ("A=1\nA=2\n", "DuplicatedKey"),
    ('A="plain"\n', "QuoteCharacter"),
    ("A=two words\n", "ValueWithoutQuotes"),
    ("A\n", "KeyWithoutValue"),
])
def test_each_check_catches_its_case(text, check):
    assert any(v.startswith(check) for v in violations(text))
