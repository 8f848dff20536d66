"""The settings engine of this package (template-owned: ``copier update`` replaces it).

Declare variables in ``settings.py``, with the names below;
``python -m <package>.settings`` runs the command line (``_cli``, imported only then).
"""

from ._engine import (
    PROJECT_ROOT,
    BaseSettings,
    Origin,
    Problem,
    Project,
    Secret,
    SettingsError,
    Url,
    Var,
    env,
)

__all__ = [
    "PROJECT_ROOT",
    "BaseSettings",
    "Origin",
    "Problem",
    "Project",
    "Secret",
    "SettingsError",
    "Url",
    "Var",
    "env",
    "main",
]


def main(settings_cls: type[BaseSettings], argv: list[str] | None = None) -> int:
    """``python -m <package>.settings [check | init | docs]``: see ``_cli.main``."""
    import io
    import sys

    from ._cli import main as run

    for stream in (sys.stdout, sys.stderr):
        # A path or a value the terminal's encoding lacks (cp1252 on Windows) is
        # escaped, not a UnicodeEncodeError after the work is done.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    return run(settings_cls, argv)
