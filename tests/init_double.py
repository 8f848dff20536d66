"""A stand-in for the settings module's `init` while rendered projects lack it.

Used by the bootstrap tests and the shared bootstrapped project (conftest.py) only while
the rendered project has no settings engine (`src/<package>/_settings/`); once it has
one, use_init_double() does nothing and every run calls the real
`python -m <package>.settings init --json`. Delete this module then.
"""

from __future__ import annotations

import re
from pathlib import Path

# A stand-in for `python -m <package>.settings init --json` as the shared contract
# describes it, used only while the rendered project's settings module has no `init`
# (before the settings engine with `_settings/` exists): see use_init_double().
INIT_DOUBLE = '''\
"""Test double of `python -m <package>.settings init --json` (the contract)."""

import json
import os
import secrets
import sys
import tomllib
from pathlib import Path

from dotenv import dotenv_values

def main() -> int:
    if sys.argv[1:] != ["init", "--json"]:
        sys.stderr.write("usage: init --json\\n")
        return 2
    root = Path(__file__).resolve().parents[2]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    base = root / pyproject["tool"]["copier-venv-dotenv"].get("env-file", ".env")
    private = base.with_name(base.name + ".local")
    layers = [path for path in (base, private) if os.path.lexists(path)]
    example = root / ".env.example"
    created = None
    if not layers and example.is_file():
        lines = example.read_text(encoding="utf-8").splitlines(keepends=True)
        text = "".join(
            f"SECRET_KEY={secrets.token_urlsafe(32)}\\n" if line.strip() == "SECRET_KEY=" else line
            for line in lines
        )
        tmp = private.with_name(private.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, private)
        created, layers = private, [private]
    wanted = set(dotenv_values(example)) if example.is_file() else set()
    have = set()
    for layer in layers:
        if layer.is_file():  # regular files only: never block on a pipe
            have |= set(dotenv_values(layer))
    missing = sorted(wanted - have)
    notes = [f"set in no env file: {', '.join(missing)}"] if missing else []
    print(json.dumps({"created": created and str(created),
                      "layers": [str(path) for path in layers], "notes": notes}))
    return 0

if __name__ == "__main__":
    sys.exit(main())
'''


def set_settings_module(project: Path, module: str) -> None:
    """Name the settings module in [tool.copier-venv-dotenv] (replacing any)."""
    pyproject = project / "pyproject.toml"
    text = re.sub(r'(?m)^settings = ".*"\n', "", pyproject.read_text())
    marker = "[tool.copier-venv-dotenv]\n"
    assert marker in text
    pyproject.write_text(text.replace(marker, f'{marker}settings = "{module}"\n'))


def use_init_double(project: Path) -> None:
    """Until the settings engine (src/<package>/_settings/) has `init`, stand in for it.

    Once the rendered project has the engine, this does nothing and every test runs the
    real `python -m <package>.settings init --json`.
    """
    if any((project / "src").glob("*/_settings")):
        return
    package = next(p for p in (project / "src").iterdir() if (p / "settings.py").is_file())
    (package / "_init_double.py").write_text(INIT_DOUBLE)
    set_settings_module(project, f"{package.name}._init_double")
