#!/usr/bin/env python3
"""Create or repair this project's virtual environment, then set up its env file.

    python3 scripts/bootstrap.py [--python X] [--recreate] [-q|--quiet]
                                 [--installer auto|uv|pip]

Runs from any directory: the project root is the folder above ``scripts/``. This file
only recognises a run with nothing to do: the stamp that the last complete run left in
the venv records the file metadata of everything the venv was built from, and when none
of it changed this prints where things are and returns, without starting a process or
importing anything heavy. Every other run is done by ``_bootstrap.py`` next to it
(``--help`` lists the options and exit codes).

Exit codes: 0 ready; 1 creating the venv or installing the project failed; 2 usage
error or refusal, nothing unsafe was done; 3 no suitable Python interpreter was found.
"""

# Type comments, not annotations: Python 2.7 must parse this file to say it is too old.
# pyright: reportTypeCommentUsage=false

import io
import os
import sys
import time

WINDOWS = os.name == "nt"
# Where the venv goes when [tool.copier-venv-dotenv] of pyproject.toml sets no venv-dir.
DEFAULT_VENV_DIR = ".venv"
STAMP_NAME = ".bootstrap-stamp"
STAMP_FORMAT = "2"
# Characters a POSIX shell reads literally (the set shlex.quote leaves unquoted).
SHELL_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-"
)


def shell_quote(text):  # type: (str) -> str
    """``text`` as one word of a command line (POSIX sh, or cmd on Windows)."""
    if WINDOWS:
        return '"' + text + '"' if " " in text or not text else text
    if text and all(char in SHELL_SAFE for char in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


# This file is written in syntax that Python 2.7 and every Python 3 can read (type
# comments, no f-strings), so that an old interpreter gets this sentence, not a
# SyntaxError. 0x030B0000 is 3.11.0.
if sys.hexversion < 0x030B0000:
    sys.stderr.write(
        "bootstrap: error: this script needs Python 3.11 or newer, found "
        + ".".join(str(part) for part in sys.version_info[:3])
        + "; run it with a newer one, e.g. python3.12 "
        + shell_quote(sys.argv[0] or "scripts/bootstrap.py")
        + "\n"
    )
    sys.exit(3)


class Progress:
    """Prints short progress lines with the time elapsed since the start."""

    def __init__(self, quiet):  # type: (bool) -> None
        self.quiet = quiet
        self.start = time.perf_counter()

    def __call__(self, message):  # type: (str) -> None
        if not self.quiet:
            elapsed = format(time.perf_counter() - self.start, ".1f")
            sys.stdout.write("[" + elapsed + "s] " + message + "\n")
            sys.stdout.flush()


def project_root():  # type: () -> str
    """The folder above scripts/, with symbolic links resolved."""
    return os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def venv_dir_at_a_glance(root):  # type: (str) -> str
    """The venv folder as the `venv-dir = "..."` line of pyproject.toml names it.

    Not a TOML parser, and it need not be one: a wrong answer finds no stamp, and a
    stamp is trusted only while pyproject.toml is still the file that the full run read.
    """
    path = os.path.join(root, "pyproject.toml")
    if not os.path.isfile(path):  # a FIFO would hang this: the full run names it
        return os.path.join(root, DEFAULT_VENV_DIR)
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            for line in stream:
                name, sep, value = line.partition("=")
                value = value.strip()
                if sep and name.strip() == "venv-dir" and value[:1] in ("'", '"'):
                    end = value.find(value[0], 1)
                    if end > 1:
                        return os.path.normpath(os.path.join(root, value[1:end]))
    except OSError:
        pass
    return os.path.join(root, DEFAULT_VENV_DIR)


def site_packages(venv, version):  # type: (str, str) -> str
    """The venv's site-packages folder, for the Python version the stamp records."""
    if WINDOWS:
        return os.path.join(venv, "Lib", "site-packages")
    major_minor = ".".join(version.split(".")[:2])
    return os.path.join(venv, "lib", "python" + major_minor, "site-packages")


def venv_python(venv):  # type: (str) -> str
    if WINDOWS:
        return os.path.join(venv, "Scripts", "python.exe")
    return os.path.join(venv, "bin", "python")


# --------------------------------------------------------------------------- stamp
# One "name value" per line; a name may repeat (layer). Written by _bootstrap.py.


def read_stamp(path):  # type: (str) -> dict[str, list[str]]
    """The fields of a stamp file; empty when it is missing, unreadable or too old."""
    fields = {}  # type: dict[str, list[str]]
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as stream:
            text = stream.read()
    except OSError:
        return fields
    for line in text.split("\n"):
        name, _, value = line.partition(" ")
        if name:
            fields.setdefault(name, []).append(value)
    return fields if fields.get("format") == [STAMP_FORMAT] else {}


def stamp_text(fields):  # type: (list[tuple[str, str]]) -> str
    for name, value in fields:
        if "\n" in value or "\r" in value or " " in name:
            raise ValueError("stamp field " + name + " cannot hold a line break")
    return "".join(name + " " + value + "\n" for name, value in fields)


def first(fields, name):  # type: (dict[str, list[str]], str) -> str
    return fields.get(name, [""])[0]


def file_state(path):  # type: (str) -> str
    """Identity, size and times of a file (of its target, for a link), or "-"."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    except ValueError:  # a NUL in the path
        return "-"
    parts = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return ":".join(str(part) for part in parts)


def inputs_key(root, fields):  # type: (str, dict[str, list[str]]) -> str
    """The state of every file a venv is built from, as one line: equal means unchanged.

    pyproject.toml, uv.lock, the venv's pyvenv.cfg, python (followed to the base
    interpreter it links to) and site-packages (there or not), the base interpreter the
    venv was made from, the requirement files the stamp lists (setup.py, setup.cfg,
    requirements*.txt...), and these scripts: a new version (a copier update) may
    install more, so it checks once.
    """
    venv = first(fields, "venv")
    here = os.path.dirname(os.path.abspath(__file__))
    paths = [
        os.path.join(root, "pyproject.toml"),
        os.path.join(root, "uv.lock"),
        os.path.join(venv, "pyvenv.cfg"),
        venv_python(venv),
        first(fields, "python_interpreter"),
        os.path.join(here, "bootstrap.py"),
        os.path.join(here, "_bootstrap.py"),
    ] + fields.get("input", [])
    # site-packages only has to be there: Python writes into it as it imports.
    there = os.path.isdir(site_packages(venv, first(fields, "python_version")))
    return " ".join([file_state(path) for path in paths] + ["site" if there else "-"])


def nothing_to_do(root, fields):  # type: (str, dict[str, list[str]]) -> bool
    """True when the last complete run still holds: no input changed, nothing
    vanished."""
    return (
        fields.get("key") == [inputs_key(root, fields)]
        and first(fields, "init") != "failed"
        and all(os.path.exists(layer) for layer in fields.get("layer", []))
        and not os.path.isdir(first(fields, "env_file"))
    )


# --------------------------------------------------------------------------- output


def shell_path(path):  # type: (str) -> str
    """A path to show in a command: relative to the cwd when below it, quoted if
    needed."""
    try:
        text = os.path.relpath(path)
        if text.startswith(".."):
            text = path
    except ValueError:  # another drive on Windows
        text = path
    except OSError:  # a deleted current directory
        text = path
    if text.startswith("-"):  # a folder named -x: `cd -x` would read an option
        text = os.path.join(os.curdir, text)
    return shell_quote(text)


def at_root(root, command):  # type: (str, str) -> str
    """``command``, whose paths are relative to the project root, as a line that works
    from the current directory: as it is at the root, else after a cd to the root."""
    try:
        here = os.path.samefile(os.getcwd(), root)
    except OSError:
        here = False
    if here:
        return command
    return ("cd /d " if WINDOWS else "cd ") + shell_path(root) + " && " + command


def rerun_command(*args):  # type: (str) -> str
    """The command that runs this script again, from the current directory."""
    script = os.path.join(project_root(), "scripts", "bootstrap.py")
    return " ".join(["python3", shell_path(script)] + list(args))


def report_up_to_date(root, fields, progress):
    # type: (str, dict[str, list[str]], Progress) -> None
    venv = first(fields, "venv")
    summary = first(fields, "summary")
    progress(os.path.relpath(venv, root) + " is up to date (" + summary + ")")
    layers = fields.get("layer", [])
    if layers:
        names = ", ".join(os.path.relpath(layer, root) for layer in layers)
        progress("kept existing " + names)
    if not progress.quiet:
        print_next_steps(venv, root)


def note_active_venv(venv, progress):  # type: (str, Progress) -> None
    active = os.environ.get("VIRTUAL_ENV")
    if active and os.path.realpath(active) != os.path.realpath(venv):
        progress(
            "note: another venv is active ("
            + active
            + "); this script sets up "
            + venv
            + " and leaves the active one alone (`deactivate` to leave it)"
        )


def print_next_steps(venv, root):  # type: (str, str) -> None
    """How to activate the venv (works from anywhere) and run the tests (at the root,
    where pytest finds them: with a cd first when run from elsewhere)."""
    python = venv_python(venv)
    scripts = os.path.dirname(python)
    if WINDOWS:
        activate = shell_path(os.path.join(scripts, "activate.bat"))
        powershell = shell_path(os.path.join(scripts, "Activate.ps1"))
        line = "activate:  " + activate + "   (PowerShell: " + powershell + ")"
    else:
        line = "activate:  source " + shell_path(os.path.join(scripts, "activate"))
    tests = at_root(root, shell_quote(os.path.relpath(python, root)) + " -m pytest")
    sys.stdout.write(line + "\nrun tests: " + tests + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------- main


def main(argv):  # type: (list[str]) -> int
    if argv in ([], ["-q"], ["--quiet"]):
        root = project_root()
        venv = venv_dir_at_a_glance(root)
        fields = read_stamp(os.path.join(venv, STAMP_NAME))
        if first(fields, "venv") == venv and nothing_to_do(root, fields):
            progress = Progress(quiet=bool(argv))
            note_active_venv(venv, progress)
            report_up_to_date(root, fields, progress)
            return 0
    # Work to do: the rest of the script, from the file next to this one, which
    # imports its helpers from this very module (run as __main__).
    sys.modules.setdefault("bootstrap", sys.modules[__name__])
    here = os.path.dirname(os.path.realpath(__file__))
    if here not in sys.path:
        sys.path.append(here)
    import _bootstrap

    return _bootstrap.main(argv)


def run(argv):  # type: (list[str]) -> int
    """main(), quiet when the output's reader leaves early (`| head`), as Unix tools
    are: exit 141, no traceback. The run stops there; the next one finishes it. A
    character the terminal's encoding lacks (a path, on Windows) is escaped; a closed
    stdout or stderr writes nowhere."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 (for the whole run)
        elif isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = main(argv)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:  # whenever it comes, while loading or working
        sys.stderr.write("bootstrap: interrupted; run this script again to finish\n")
        return 130
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at nothing first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
