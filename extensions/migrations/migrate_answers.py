"""Rename and reshape answers in a project's copier answers file before an update.

Copier runs this from ``_migrations`` in copier.yml, in the "before" stage: after it has
rendered the project's OLD template version with the OLD answers, and before it asks the
NEW template's questions.  The new questions then find the migrated answers, so a
renamed question keeps the project's answer instead of falling back to its default.

    python migrate_answers.py ANSWERS_FILE [--rename OLD=NEW] [--map NAME:OLD=NEW] [--drop NAME]

Operations run in the order given:

``--rename OLD=NEW``    move the answer of OLD to NEW (NEW keeps its own answer if it
                        already has one: a migration never overwrites a newer answer);
``--map NAME:OLD=NEW``  replace the value OLD of NAME with NEW: a text answer is compared
                        as text (``--map python_version:3.10=3.11``), any other as YAML
                        (``--map use_uv:true=uv`` matches the boolean ``true``);
``--drop NAME``         forget the answer of a question that no longer exists.

Every operation is idempotent: running the script twice gives the same file, and
a file that needs nothing is left byte for byte as it is.  It runs with copier's own
interpreter (``{{ _copier_python }}``), so PyYAML (a dependency of copier) is there; the
rest is the standard library.  The answers file keeps its header comments; copier rewrites
the answers themselves at the end of the update anyway.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

# Copier's own keys (_src_path, _commit): a migration must never touch them.
PRIVATE_PREFIX = "_"


def _key(name: str) -> str:
    name = name.strip()
    if not name or name.startswith(PRIVATE_PREFIX):
        raise argparse.ArgumentTypeError(f"not a question name: {name!r}")
    return name


def _rename(text: str) -> tuple[str, str, str]:
    old, sep, new = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"--rename needs OLD=NEW, got {text!r}")
    return ("rename", _key(old), _key(new))


def _map(text: str) -> tuple[str, str, str, str]:
    name, sep, rest = text.partition(":")
    old, sep2, new = rest.partition("=")
    if not (sep and sep2):
        raise argparse.ArgumentTypeError(f"--map needs NAME:OLD=NEW, got {text!r}")
    return ("map", _key(name), old, new)


def _drop(text: str) -> tuple[str, str]:
    return ("drop", _key(text))


def migrate(answers: dict, operations: list[tuple]) -> list[str]:
    """Apply ``operations`` to ``answers`` in place; return what changed, for the log."""
    changes = []
    for operation in operations:
        kind = operation[0]
        if kind == "rename":
            _, old, new = operation
            if old in answers:
                value = answers.pop(old)
                if new in answers:
                    changes.append(f"dropped {old} (already answered as {new})")
                else:
                    answers[new] = value
                    changes.append(f"renamed {old} to {new}")
        elif kind == "map":
            _, name, old_text, new_text = operation
            if name not in answers:
                continue
            current = answers[name]
            if isinstance(current, str):
                # Text stays text: YAML would read "3.10" as the number 3.1.
                old_value, new_value = old_text, new_text
            else:
                old_value, new_value = yaml.safe_load(old_text), yaml.safe_load(new_text)
            # `type(...) is`: the YAML value 1 must not match true, nor 0 false.
            if current == old_value and type(current) is type(old_value):
                answers[name] = new_value
                changes.append(f"{name}: {old_value!r} -> {new_value!r}")
        elif kind == "drop":
            _, name = operation
            if name in answers:
                del answers[name]
                changes.append(f"dropped {name}")
    return changes


def _header(text: str) -> str:
    """The comment lines at the top of the file (copier's "do not edit" note)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("answers_file", type=Path, help="the project's copier answers file")
    parser.add_argument("--rename", dest="operations", action="append", type=_rename,
                        metavar="OLD=NEW")
    parser.add_argument("--map", dest="operations", action="append", type=_map,
                        metavar="NAME:OLD=NEW")
    parser.add_argument("--drop", dest="operations", action="append", type=_drop,
                        metavar="NAME")
    args = parser.parse_args(argv)

    path: Path = args.answers_file
    if not path.is_file():
        # Nothing to migrate (copier's temporary renders have no answers file yet).
        print(f"migrate_answers: {path} not found, nothing to migrate", file=sys.stderr)
        return 0
    text = path.read_text(encoding="utf-8")
    answers = yaml.safe_load(text) or {}
    if not isinstance(answers, dict):
        print(f"migrate_answers: {path} is not a mapping of answers", file=sys.stderr)
        return 2
    changes = migrate(answers, args.operations or [])
    if not changes:
        return 0
    body = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True, default_flow_style=False)
    path.write_text(_header(text) + body, encoding="utf-8")
    for change in changes:
        print(f"migrate_answers: {path}: {change}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
