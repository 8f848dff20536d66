"""Merge what the project needs into a .gitignore and pyproject.toml that were already there.

Copier never overwrites an existing ``.gitignore``, ``README.md`` or ``pyproject.toml``
when a project is copied into an existing repository without ``--overwrite``
(``_skip_if_exists`` in copier.yml).  Run right after that copy (``--adopt``), this
script records the files copier kept in the answers file (answer ``kept_files``), so that
later updates keep skipping them, while in every other project ``copier update`` still
merges template changes into them.  A file counts as kept when git tracks it: copier never
adds files to git, so a tracked file was there before the copy.

Then, and after every update, it adds what the kept files lack, in a marked block it owns:

- ``.gitignore``: the venv folder, ``.env``, ``.env.*`` (and a custom env file) ignored,
  ``.env.example`` not.  Entries the file already has (``/.venv/``, ``.venv`` and ``.venv/``
  count alike) are not repeated.
- ``pyproject.toml``: the ``[tool.copier-venv-dotenv]`` table read by scripts/bootstrap.py,
  when the file has none.  A missing ``python-dotenv`` dependency is reported, not added:
  editing someone's dependency list is theirs to do.

Rules that keep it safe on any project, any number of runs:

- no line outside the marked block is ever changed or removed;
- the block is written only with ``--adopt`` (right after ``copier copy``); an update
  only refreshes a block that is there (new answers: new venv folder, new env file) or
  removes it once the rest of the file has everything;
- a file with conflict markers from an update, or a pyproject.toml that is not valid
  TOML, is left alone with a message;
- the result is a function of the file outside the block and the answers: running the
  script twice changes nothing the second time.

Standard library only (and git, which copier needs anyway); it works in copier's
temporary renders, which are not git repos.

    python merge_existing_files.py --venv-dir .venv --env-file .env
        [--adopt --answers-file .copier-answers.yml --kept|--overwritten] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

NAME = "copier-venv-dotenv"
GITIGNORE_BEGIN = f"# >>> {NAME}: keep the venv and the env files out of git >>>"
GITIGNORE_END = f"# <<< {NAME} <<<"
PYPROJECT_BEGIN = f"# >>> {NAME}: read by scripts/bootstrap.py >>>"
PYPROJECT_END = f"# <<< {NAME} <<<"
CONFLICT = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)


def log(message: str) -> None:
    print(f"{NAME}: {message}", file=sys.stderr)


def read(path: Path) -> tuple[str, str]:
    """The file's text with "\\n" line ends, and the line end it uses on disk."""
    with path.open(encoding="utf-8", newline="") as handle:
        raw = handle.read()
    newline = "\r\n" if "\r\n" in raw else "\n"
    return raw.replace("\r\n", "\n"), newline


def write(path: Path, text: str, newline: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text.replace("\n", newline))


def split_block(text: str, begin: str, end: str) -> tuple[list[str], list[str] | None, int]:
    """(lines outside the block, the block's lines or None, index where the block was)."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    try:
        start = lines.index(begin)
        stop = lines.index(end, start)
    except ValueError:
        return lines, None, len(lines)
    return lines[:start] + lines[stop + 1 :], lines[start : stop + 1], start


def join_block(outside: list[str], block: list[str] | None, at: int) -> str:
    lines = list(outside)
    if block is not None:
        before, after = outside[:at], outside[at:]
        # A blank line between the user's last line and a block appended at the end; it
        # is outside the markers afterwards, so refreshing the block never adds another.
        gap = [""] if before and before[-1].strip() and not after else []
        lines = before + gap + block + after
    return "\n".join(lines) + "\n" if lines else ""


# --- .gitignore -------------------------------------------------------------------


def gitignore_entries(venv_dir: str, env_file: str) -> list[str]:
    """The same entries as the template's .gitignore, in the order that makes them work."""
    entries = [f"/{venv_dir}/", ".env", ".env.*"]
    if env_file != ".env" and not env_file.startswith(".env."):
        entries.append(f"/{env_file}")
    # Last: a negation only works after the pattern it cancels.
    entries.append("!.env.example")
    return entries


def _pattern(line: str) -> str:
    return line.strip().removeprefix("/").removesuffix("/")


def gitignore_has_everything(lines: list[str], entries: list[str]) -> bool:
    patterns = [_pattern(line) for line in lines]
    if any(_pattern(entry) not in patterns for entry in entries):
        return False
    last = {p: i for i, p in enumerate(patterns)}
    return last["!.env.example"] > last[".env.*"]


def merge_gitignore(path: Path, venv_dir: str, env_file: str, adopt: bool) -> bool:
    if not path.is_file():
        return False
    text, newline = read(path)
    if CONFLICT.search(text):
        log(f"{path.name} has conflict markers: resolve them, then run `copier update` again")
        return False
    outside, block, at = split_block(text, GITIGNORE_BEGIN, GITIGNORE_END)
    entries = gitignore_entries(venv_dir, env_file)
    if gitignore_has_everything(outside, entries):
        if block is None:
            return False
        new_block = None
    elif block is not None or adopt:
        new_block = [GITIGNORE_BEGIN, *entries, GITIGNORE_END]
    else:
        # A generated project whose owner removed entries on purpose: their choice.
        return False
    new_text = join_block(outside, new_block, at)
    if new_text == text:
        return False
    write(path, new_text, newline)
    log(f"{path.name}: {'wrote the' if new_block else 'removed the now redundant'} "
        f"{NAME} block")
    return True


# --- pyproject.toml ---------------------------------------------------------------


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pyproject_block(venv_dir: str, env_file: str) -> list[str]:
    return [
        PYPROJECT_BEGIN,
        f"[tool.{NAME}]",
        f"venv-dir = {_toml_string(venv_dir)}",
        f"env-file = {_toml_string(env_file)}",
        PYPROJECT_END,
    ]


def _has_dependency(data: dict, name: str) -> bool:
    for requirement in data.get("project", {}).get("dependencies", []):
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        if match and re.sub(r"[-_.]+", "-", match.group(1)).lower() == name:
            return True
    return False


def merge_pyproject(path: Path, venv_dir: str, env_file: str, adopt: bool) -> bool:
    if not path.is_file():
        return False
    text, newline = read(path)
    outside, block, at = split_block(text, PYPROJECT_BEGIN, PYPROJECT_END)
    try:
        data = tomllib.loads("\n".join(outside))
    except tomllib.TOMLDecodeError as error:
        log(f"{path.name} is not valid TOML ({error}): left as it is")
        return False
    if adopt and not _has_dependency(data, "python-dotenv"):
        log(f'{path.name}: add "python-dotenv>=1.0" to [project] dependencies '
            f"(src/<package>/settings.py needs it)")
    if NAME in data.get("tool", {}):
        if block is None:
            return False
        new_block = None
    elif block is not None or adopt:
        new_block = pyproject_block(venv_dir, env_file)
    else:
        return False
    new_text = join_block(outside, new_block, at)
    if new_text == text:
        return False
    try:
        tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        # E.g. `tool = {...}` as an inline table: a [tool.x] header would redefine it.
        log(f"{path.name}: cannot add [tool.{NAME}] safely; add it by hand:\n  "
            + "\n  ".join(pyproject_block(venv_dir, env_file)[1:-1]))
        return False
    write(path, new_text, newline)
    log(f"{path.name}: {'wrote the' if new_block else 'removed the now redundant'} "
        f"[tool.{NAME}] block")
    return True


# --- the answers file --------------------------------------------------------------

ADOPTABLE = (".gitignore", "README.md", "pyproject.toml")


def tracked_by_git(root: Path, name: str) -> bool:
    try:
        result = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", name],
            cwd=root, capture_output=True, text=True,
        )
    except OSError:
        return False
    return result.returncode == 0


def record_kept_files(root: Path, answers_file: Path) -> list[str]:
    """Add ``kept_files`` to the answers file copier has just written; return the list."""
    kept = [name for name in ADOPTABLE if (root / name).is_file() and tracked_by_git(root, name)]
    path = root / answers_file
    if not kept or not path.is_file():
        return kept
    text, newline = read(path)
    if re.search(r"^kept_files:", text, re.MULTILINE):
        return kept  # given on the command line (-d kept_files=...): the user's choice
    if text and not text.endswith("\n"):
        text += "\n"
    # JSON strings are YAML strings: no YAML library needed to write them safely.
    text += "kept_files:\n" + "".join(f"- {json.dumps(name)}\n" for name in kept)
    write(path, text, newline)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv-dir", required=True)
    parser.add_argument("--env-file", required=True)
    parser.add_argument("--adopt", action="store_true",
                        help="right after `copier copy`: add missing entries in a new block")
    parser.add_argument("--answers-file", type=Path, default=Path(".copier-answers.yml"))
    overwrite = parser.add_mutually_exclusive_group()
    overwrite.add_argument("--kept", dest="overwritten", action="store_false",
                           help="copier kept existing files (copy without --overwrite)")
    overwrite.add_argument("--overwritten", dest="overwritten", action="store_true",
                           help="copier overwrote existing files (copy --overwrite)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project root")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.adopt and not args.overwritten:
        kept = record_kept_files(root, args.answers_file)
        if kept:
            log(f"kept your {', '.join(kept)} as they are (answer kept_files: `copier "
                f"update` leaves them alone too)")
        if "README.md" in kept:
            log("README.md: the template's README was not written; it explains "
                "scripts/bootstrap.py and src/<package>/settings.py")
    merge_gitignore(root / ".gitignore", args.venv_dir, args.env_file, args.adopt)
    merge_pyproject(root / "pyproject.toml", args.venv_dir, args.env_file, args.adopt)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
