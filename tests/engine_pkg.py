"""Import the template's settings engine as it runs in a generated project.

The engine is a static file of the template; it imports ``_reserved_names`` from its
own package. Here it is copied into a throw-away package next to a ``_reserved_names``
module built from the extension's rules, the same source the template renders.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_SOURCE = REPO_ROOT / "template" / "src" / "{{package_name}}" / "_settings_engine.py"
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
    shutil.copy2(ENGINE_SOURCE, package / "_settings_engine.py")
    (package / "_reserved_names.py").write_text(
        _RESERVED.format(extensions=str(REPO_ROOT / "extensions"))
    )
    return root


def import_engine(root: Path) -> ModuleType:
    path = str(build_package(root))
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(f"{PACKAGE}._settings_engine")
