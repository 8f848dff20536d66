"""Settings engine: reads, types and checks the variables declared in ``settings.py``.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.

It is the engine's front door: ``settings.py`` imports from here, and the work is done by
modules with one job each (template-owned too):

* ``_settings_values``: ``Secret``, ``Origin``, ``Problem``, ``SettingsError``, masking;
* ``_settings_declarations``: ``Var()``, ``BaseSettings``, ``Layout``, raw text to types;
* ``_settings_envfile``: finding, reading and strictly parsing the env file;
* ``_settings_loading``: ``load()``, each variable from environment, env file or default;
* ``_settings_cli``: the report, the checks and ``python -m <package>.settings``.

Design notes (why it looks like this):

* Nothing happens at import time. python-dotenv is imported only when an env file is
  actually read, so a production process configured by its environment alone never pays
  for it. Nor for pathlib (with re, fnmatch, urllib.parse... it costs more than the rest
  of the loading): paths are handled as text with ``os.path`` and become ``pathlib.Path``
  objects only where one is handed out (a ``path`` variable, ``Layout.root``) or once an
  env file is read (python-dotenv imports pathlib anyway).
* Parsing is python-dotenv's own (``dotenv.parser.parse_stream`` and its ``${VAR}``
  interpolation), so a value read here is the value ``dotenv_values()`` gives, and every
  other dotenv-based tool reads the same file the same way. What python-dotenv silently
  forgives (unparsable lines, duplicate keys) is reported here as an error.
* Every problem is collected before raising, so one run shows everything to fix.
* Values are computed once, at load, into plain instance attributes.
* Secret values never reach a message, a ``repr`` or the report.
"""

from __future__ import annotations

from ._settings_cli import check_env_file, check_example, render_report, run_cli
from ._settings_declarations import ENGINE_ATTRIBUTES, KINDS, BaseSettings, Layout, Var, Variable

# Not in __all__ but used by the project's tests through this module: the "as" form
# marks them as re-exported on purpose.
from ._settings_envfile import parse_env_text as parse_env_text
from ._settings_envfile import read_env_file as read_env_file
from ._settings_envfile import resolve_env_path as resolve_env_path
from ._settings_loading import load
from ._settings_values import Origin, Problem, Secret, SettingsError

__all__ = [
    "ENGINE_ATTRIBUTES",
    "KINDS",
    "BaseSettings",
    "Layout",
    "Origin",
    "Problem",
    "Secret",
    "SettingsError",
    "Var",
    "Variable",
    "check_env_file",
    "check_example",
    "load",
    "render_report",
    "run_cli",
]
