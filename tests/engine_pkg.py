"""Import the template's settings engine as it runs in a generated project.

The engine is a folder of static files of the template (``_settings/``). Here it is
copied into a throw-away package, so that tests import it as a project would.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path
from types import ModuleType

from conftest import TEMPLATE_PACKAGE

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_DIR = TEMPLATE_PACKAGE / "_settings"
PACKAGE = "engine_under_test"


def build_package(root: Path, package: str = PACKAGE) -> Path:
    """Write ``package`` (with the engine as its ``_settings``) under ``root``; return the
    folder to put on ``sys.path``."""
    target = root / package
    target.mkdir(parents=True, exist_ok=True)
    (target / "__init__.py").write_text("")
    shutil.copytree(ENGINE_DIR, target / "_settings", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def import_engine(root: Path) -> ModuleType:
    """The engine's ``_engine`` module, imported from a fresh copy under ``root``."""
    path = str(build_package(root))
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(f"{PACKAGE}._settings._engine")


def import_cli(root: Path) -> ModuleType:
    import_engine(root)
    return importlib.import_module(f"{PACKAGE}._settings._cli")


def import_files(root: Path) -> ModuleType:
    """The engine's env-file reader, ``_files``, from the same copy."""
    import_engine(root)
    return importlib.import_module(f"{PACKAGE}._settings._files")
