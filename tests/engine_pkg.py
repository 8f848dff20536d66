"""Import the template's settings engine as it runs in a generated project.

The engine is a set of static files of the template (``_settings_*.py``); they import
each other and ``_reserved_names`` from their own package. Here they are copied into a
throw-away package next to a ``_reserved_names`` module built from the extension's
rules, the same source the template renders.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_DIR = REPO_ROOT / "template" / "src" / "{{package_name}}"
# The facade settings.py imports, and the modules doing the work behind it.
ENGINE_MODULES = (
    "_settings_engine", "_settings_values", "_settings_declarations", "_settings_envfile",
    "_settings_loading", "_settings_cli",
)
PACKAGE = "engine_under_test"

_RESERVED = '''\
import sys
sys.path.insert(0, {extensions!r})
from venv_dotenv_rules import RESERVED_EXACT, RESERVED_PREFIXES, reserved_reason
'''


def build_package(root: Path) -> Path:
    """Write the package under ``root``; return the folder to put on ``sys.path``."""
    package = root / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    for module in ENGINE_MODULES:
        shutil.copy2(ENGINE_DIR / f"{module}.py", package / f"{module}.py")
    (package / "_reserved_names.py").write_text(
        _RESERVED.format(extensions=str(REPO_ROOT / "extensions"))
    )
    return root


def import_engine(root: Path) -> ModuleType:
    path = str(build_package(root))
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(f"{PACKAGE}._settings_engine")
