"""The project is installed editable from this checkout's src/ folder.

A venv copied from another checkout (or one that predates a move of the project) imports
stale code: this test says so first. Rebuild it with `python3 scripts/bootstrap.py`.
"""

import importlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_package_is_imported_from_this_checkout():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    for package_dir in packages:
        module = importlib.import_module(Path(package_dir).name)
        assert Path(module.__file__).resolve().is_relative_to(ROOT / package_dir), (
            f"{module.__name__} comes from {module.__file__}, not from this checkout: "
            f"run python3 scripts/bootstrap.py --recreate"
        )

