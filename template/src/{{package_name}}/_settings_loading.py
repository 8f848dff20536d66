"""Settings engine, loading: each declared variable from the environment, the env file or its default.

Lookup order: the environment, then the env file, then the declared default; an empty
value means "not set here". Every problem is collected before raising, so one run shows
everything to fix, and values are computed once, into plain instance attributes.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.
"""

from __future__ import annotations

import os

from ._settings_declarations import _cast, _empty
from ._settings_envfile import _as_path, _resolve_env_path, read_env_file
from ._settings_values import DEFAULT, ENVIRONMENT, Problem, SettingsError

# typing, collections.abc and pathlib are not imported at run time: annotations are
# strings here (see the __future__ import), and those imports would add milliseconds to
# every start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ._settings_declarations import BaseSettings, Layout, Variable
    from ._settings_envfile import _EnvFile
    from ._settings_values import Origin


def _lookup(
    variable: Variable, environ: Mapping[str, str], env_file: _EnvFile
) -> tuple[str | None, Origin | None]:
    """First non-empty value: environment, env file, declared default."""
    value = environ.get(variable.name)
    if value:
        return value, ENVIRONMENT
    entry = env_file.entries.get(variable.name)
    if entry is not None and entry.value:
        return entry.value, env_file.origin(variable.name)
    if variable.default:
        return variable.default, DEFAULT
    return None, None


def _missing_message(variable: Variable, env_file: _EnvFile) -> str:
    entry = env_file.entries.get(variable.name)
    path = _as_path(env_file.path)
    if entry is not None:
        where = f"it is empty at {path}:{entry.line}"
    elif env_file.exists:
        where = f"it is not in {path}"
    elif env_file.absent:
        where = f"there is no env file at {path} (copy .env.example to create it)"
    else:
        # The path exists but is a directory or unreadable: that problem is reported on
        # its own, and "there is no env file" would contradict it.
        where = f"the env file {path} could not be read (see above)"
    return (
        f"{variable.name} is required but not set: set it in the environment or in the env "
        f"file; {where}"
    )


def load(
    settings_cls: type[BaseSettings],
    env_file: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    layout: Layout,
) -> Any:
    """Load, type and check every declared variable; raise SettingsError listing all problems."""
    settings, problems, _file = _load(settings_cls, env_file, environ, layout)
    if problems:
        raise SettingsError(problems)
    return settings


def _load(
    settings_cls: type[BaseSettings],
    env_file: str | os.PathLike[str] | None,
    environ: Mapping[str, str] | None,
    layout: Layout,
) -> tuple[Any, list[Problem], _EnvFile]:
    """``load`` without raising: (settings or None, problems, the env file as read)."""
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    path, explicit = _resolve_env_path(env_file, environ, layout)
    file = read_env_file(path, explicit, environ, problems, layout._root)
    return _build(settings_cls, environ, file, layout, problems), problems, file


def _build(
    settings_cls: type[BaseSettings],
    environ: Mapping[str, str],
    file: _EnvFile,
    layout: Layout,
    problems: list[Problem],
) -> Any:
    """Each variable from ``environ``, ``file`` or its default; None if ``problems`` (appended to)."""
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for variable in settings_cls.variables():
        raw, origin = _lookup(variable, environ, file)
        if raw is None or origin is None:
            if variable.required:
                problems.append(
                    Problem("missing", _missing_message(variable, file), variable=variable.name)
                )
                continue
            values[variable.attr], origins[variable.attr] = _empty(variable), DEFAULT
            continue
        try:
            values[variable.attr] = _cast(variable, raw, layout)
        except ValueError as error:
            # A secret's bad text must not leak, nor a URL's (it may hold a password);
            # other values are shown because they help to fix the error.
            shown = "" if variable.kind in ("secret", "url") else f", got {raw!r}"
            problems.append(
                Problem(
                    "invalid",
                    f"{variable.name} (from {origin}): {error}{shown}",
                    variable=variable.name,
                    origin=str(origin),
                )
            )
            continue
        origins[variable.attr] = origin
    if problems:
        return None
    settings = settings_cls(**values)
    object.__setattr__(settings, "_BaseSettings__origins", origins)
    object.__setattr__(settings, "_BaseSettings__layout", layout)
    return settings
