"""Settings engine, values: what loading hands out or reports.

``Secret`` (a masked value), ``Origin`` (where a value came from), ``Problem`` (one thing
wrong, as a sentence) and ``SettingsError`` (every problem at once). Masking lives here,
next to ``Secret``: a secret value or a URL password never reaches a message, a ``repr``
or the report.

This module belongs to the template and is replaced by ``copier update``: do not edit it.
Declare variables in ``settings.py`` instead.
"""

from __future__ import annotations

# typing, collections.abc and pathlib are not imported at run time: annotations are
# strings here (see the __future__ import), and those imports would add milliseconds to
# every start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any


_MASK = "**********"


class Secret:
    """A secret value: ``str()`` and ``repr()`` mask it; ``get_secret_value()`` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        # An empty secret shows as empty: that is not a leak, and it tells "unset" apart.
        return _MASK if self._value else ""

    def __repr__(self) -> str:
        return f"Secret({str(self)!r})"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # constant-time comparison: secrets are compared, e.g. API tokens

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        # Pickling keeps the value (multiprocessing needs it) without exposing it in repr.
        return (Secret, (self._value,))


class Origin:
    """Where a value came from: the environment, an env file line, the default, or code."""

    __slots__ = ("kind", "line", "path")

    def __init__(self, kind: str, path: Path | None = None, line: int | None = None) -> None:
        self.kind = kind
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.kind == "file":
            return f"{self.path}:{self.line}"
        return self.kind

    def __repr__(self) -> str:
        return f"Origin({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return (self.kind, self.path, self.line) == (other.kind, other.path, other.line)

    def __hash__(self) -> int:
        return hash((self.kind, self.path, self.line))


ENVIRONMENT = Origin("environment")
DEFAULT = Origin("default")
CODE = Origin("code")


class Problem:
    """One thing wrong with the settings. ``str(problem)`` is a complete sentence.

    ``code`` is stable and machine-readable: parse, duplicate, missing, invalid, no-file,
    not-a-file, unreadable, missing-key, extra-key, empty-required, reserved, permissions,
    tracked, default-mismatch, secret-value.
    """

    __slots__ = ("code", "message", "origin", "variable")

    def __init__(
        self, code: str, message: str, *, variable: str | None = None, origin: str | None = None
    ) -> None:
        self.code = code
        self.message = message
        self.variable = variable
        self.origin = origin

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, {self.message!r})"


class SettingsError(ValueError):
    """Every problem found while loading the settings, reported at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the settings:"
        return "\n".join([head, *(f"  - {problem}" for problem in self.problems)])

    def __str__(self) -> str:
        return self._text()


def _mask_url(url: str) -> str:
    """Hide the password of ``scheme://user:password@host`` (database URLs carry them)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        # Not parsable (e.g. a bad IPv6 host): mask any user info rather than show it.
        scheme, sep, rest = url.partition("://")
        authority, slash, path = rest.partition("/")
        if not sep or "@" not in authority:
            return url
        return f"{scheme}://{_MASK}@{authority.rpartition('@')[2]}{slash}{path}"
    if not password:
        return url
    netloc = parts.netloc.replace(f":{password}@", f":{_MASK}@", 1)
    return parts._replace(netloc=netloc).geturl()
