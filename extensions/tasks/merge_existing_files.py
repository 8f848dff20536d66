"""Merge copier-venv-dotenv's marked blocks into the shared files of a project.

The shared files (``pyproject.toml``, ``README.md``, ``.gitignore``, ``.env.example``,
``.vscode/settings.json``, ``.pre-commit-config.yaml``, ``.envrc``) belong to the project:
copier renders a starter only where one is missing, and ``copier update`` never renders,
merges or deletes them (``_skip_if_exists`` and ``_exclude`` in copier.yml). What the
template needs in them lives in marked blocks, merged JSON keys and dependency entries,
all produced by ``extensions/venv_dotenv_layer.py``. This script writes them:

``--copy --files a,b``
    right after ``copier copy`` (a task, run only when some shared files were there
    before the copy): adds the blocks to exactly those files.
``--update [--mode restore]``
    after every ``copier update`` (a migration): refreshes the blocks that are there,
    with the new answers; creates a shared file that is missing only if git never tracked
    it (a feature newly turned on); ``--mode restore`` also adds missing blocks and
    recreates missing files (after another template's ``--overwrite``). Projects from a
    release before blocks existed get theirs where the template's old text was unedited,
    and the files that release rendered and this one retires are removed when unchanged.

It never removes a line outside its blocks, keeps each file's line ends, gives the same
result when run twice, and leaves a file with conflict markers, broken markers or
unparsable TOML/JSON/YAML alone, with a sentence. It runs with copier's own interpreter
(``{{ _copier_python }}``): the standard library, PyYAML and copier itself.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

NAME = "copier-venv-dotenv"


def _load_layer() -> Any:
    path = Path(__file__).resolve().parent.parent / "venv_dotenv_layer.py"
    spec = importlib.util.spec_from_file_location("_venv_dotenv_layer_for_merge", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


layer = _load_layer()


def say(message: str) -> None:
    print(f"{NAME}: {message}", file=sys.stderr)


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def write(path: Path, text: str, root: Path) -> bool:
    """Write ``text`` to ``path``, unless the path leads out of the project ``root``
    through a symbolic link (a file or a folder on the way): then say so, write nothing,
    and return False."""
    leads = layer.link_out_of(root, path.relative_to(root))
    if leads is not None:
        link, target = leads
        say(f"{path.relative_to(root)}: {link} is a symbolic link to {target}, outside "
            "the project; left as it is (replace the link by the file itself, then run "
            "the update again)")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return True


def load_answers(text: str) -> dict[str, Any]:
    import yaml  # copier's own dependency

    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError("not a mapping of answers")
    return data


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *layer.rules.GIT_READ_ONLY, *args], cwd=root,
                          capture_output=True, text=True, check=False)


def previous_answers(root: Path, answers_file: str) -> dict[str, Any] | None:
    """The answers before this update: copier updates only a clean work tree, so HEAD
    still holds them."""
    result = git(root, "show", f"HEAD:./{answers_file}")
    if result.returncode != 0:
        return None
    try:
        return load_answers(result.stdout)
    except Exception:  # noqa: BLE001 - any unreadable old answers: no previous values
        return None


def never_tracked(root: Path, path: str) -> bool:
    return _tracked_in_history(root, path) is False


def _tracked_in_history(root: Path, path: str) -> bool | None:
    """Whether a commit of the history holds ``path``; None outside a git repository."""
    result = git(root, "rev-list", "-n", "1", "HEAD", "--", path)
    return bool(result.stdout.strip()) if result.returncode == 0 else None


def merge_one(root: Path, path: str, answers: Any, *, add: bool,
              previous: Any = None) -> bool:
    target = root / path
    try:
        text = read(target)
    except UnicodeDecodeError:
        say(f"{path} is not UTF-8 text: left as it is")
        return False
    outcome = layer.merge(path, text, answers, add=add, previous=previous, read=layer.file_reader(root))
    for note in outcome.notes:
        say(note)
    for other, other_text in outcome.files.items():  # its dependencies, listed elsewhere
        write(root / other, other_text, root)
    if outcome.text is None or outcome.text == text:
        return False
    return write(target, outcome.text, root)


# --------------------------------------------------------------------------- copy


def run_copy(root: Path, answers: Any, files: list[str]) -> None:
    if any(name in layer.SETUP_FILES for name in files) and "pyproject.toml" not in files:
        # The pyproject.toml copier just wrote for a setuptools project: the runtime
        # dependency goes to setup.cfg or setup.py (see ensure_dependencies).
        files = [*files, "pyproject.toml"]
    if "README.md" in files and layer.readme_is_description(root):
        files = [path for path in files if path != "README.md"]
        say("README.md is the package's description on PyPI (pyproject.toml's readme, or "
            "setup.cfg's long_description), so the template's notes (the bootstrap, the "
            f"settings reference) stay out of it; `{answers.update_command('restore_blocks=true')}` "
            "adds them at its end if you want them there")
    merged = [path for path in files
              if path in layer.SHARED_FILES and (root / path).is_file()
              and merge_one(root, path, answers, add=True)]
    if merged:
        say(f"added its marked blocks to your {', '.join(merged)}; every other line "
            "stays as it was")
    # What the bootstrap and the tests make, which a project's .gitignore may not ignore
    # yet: untracked, they make the work tree dirty, and copier update refuses it.
    parent = answers.package_parent or "."
    made = {"__pycache__/": f"{answers.package_dir}/__pycache__/settings.cpython.pyc",
            "*.egg-info/": f"{parent}/{answers.package_name}.egg-info/PKG-INFO"}
    if _tracked_in_history(root, ".") is not None:  # a git repository
        ignored = _ignored_of(root, list(made.values()), no_index=True)
        lacking = [pattern for pattern, path in made.items() if path not in ignored]
        if lacking:
            say(f"your .gitignore does not ignore {' or '.join(lacking)}, which the "
                "bootstrap and the tests make: add "
                f"{'it' if len(lacking) == 1 else 'them'}, or `copier update` will refuse "
                "the work tree they leave untracked")
    # A file the template wrote that git ignores (copier-uv's .gitignore has `.vscode/`):
    # no other clone gets it from git.
    unseen = _ignored_of(root, written_paths(root, answers))
    if unseen:
        it = "it" if len(unseen) == 1 else "them"
        say(f"git ignores {', '.join(unseen)}: no other clone gets {it} from git (their "
            f"next `copier update` writes {it} there)")


def written_paths(root: Path, answers: Any) -> list[str]:
    """The files a copy wrote in the project: the template's own and the shared ones of
    the questions answered yes, those that are there."""
    general, in_package = layer.owned_paths(answers.package_dir)
    workflows = [path for question, path in layer.WORKFLOWS.items()
                 if answers.feature(question)]
    paths = [*general, *in_package, *workflows, *layer.enabled_shared_files(answers),
             answers.answers_file]
    return [path for path in paths if (root / path).is_file()]


def _ignored_of(root: Path, paths: list[str], no_index: bool = False) -> list[str]:
    """Those of ``paths`` that git ignores ([] outside a work tree); ``no_index``: by
    the patterns alone, for paths that need not exist."""
    if not paths:
        return []
    found = git(root, "check-ignore", *(["--no-index"] if no_index else []), "--", *paths)
    return found.stdout.splitlines() if found.returncode == 0 else []


# --------------------------------------------------------------------------- update


def _version_before(version: str, first: str) -> bool:
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        return True
    try:
        return Version(version) < Version(first)
    except InvalidVersion:
        return True


def template_source(src_path: str, copier_cwd: str) -> str:
    """``_src_path`` as copier reads it: a relative local path names a folder relative to
    where copier runs (``copier_cwd``), not to the project, where this script runs."""
    if copier_cwd and not Path(src_path).is_absolute() and "://" not in src_path:
        candidate = Path(copier_cwd) / src_path
        if candidate.exists():
            return str(candidate)
    return src_path


def render_previous(data: dict[str, Any], destination: Path, copier_cwd: str = "") -> None:
    """Render the project's previous template version with its previous answers."""
    import copier

    answers = {key: value for key, value in data.items() if not key.startswith("_")}
    source = template_source(str(data["_src_path"]), copier_cwd)
    copier.run_copy(source, destination, data=answers,
                    vcs_ref=str(data["_commit"]), defaults=True, unsafe=True, quiet=True,
                    overwrite=True, skip_tasks=True, settings=copier.Settings())


def _prune_empty(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


RETIRED_ADVICE = {
    "tests/conftest.py": "the template's tests no longer need it (they are in "
                         "tests/test_venv_dotenv.py, fixtures included) and what it imports "
                         "is gone: keep your own fixtures and delete the rest",
    "tests/test_settings.py": "the template's tests are now tests/test_venv_dotenv.py: move "
                              "your own tests to a file of yours and delete this one",
    "tests/test_environment.py": "the template's tests are now tests/test_venv_dotenv.py: "
                                 "move your own tests to a file of yours and delete this one",
    ".github/workflows/ci.yml": "the template's workflow is now "
                                ".github/workflows/venv-dotenv.yml (question ci_workflow): "
                                "move your changes there, or keep yours and answer "
                                "ci_workflow=false",
}
LEGACY_ADVICE = (
    "you changed the text the template wrote there, so it stays as it is and no longer "
    "follows the template; to receive the template's part again, replace that text with "
    "the two marker lines {begin!r} and {end!r} and run `{update}` again"
)


def looks_legacy(root: Path, old: Any) -> bool:
    """Whether the project still has what a release without blocks left: a file it
    rendered and this one retires, or a shared file without the template's block."""
    if any((root / path).is_file() for path in layer.RETIRED_FILES):
        return True
    for path, feature in layer.SHARED_FILES.items():
        target = root / path
        if path.endswith(".json") or not old.feature(feature) or not target.is_file():
            continue
        try:
            text = read(target)
        except (OSError, UnicodeDecodeError):
            continue
        if layer.MD_BEGIN not in text and f"# >>> {NAME}" not in text:
            return True
    return False


def upgrade_legacy(root: Path, old_data: dict[str, Any], answers: Any, version: str,
                   copier_cwd: str = "") -> tuple[set[str], set[str]]:
    """A project from a release without blocks: its shared files hold the template's text
    unmarked, and some files that release rendered are retired. Returns the shared files
    to add blocks to (files that release only merged into, or kept as the user's), and
    those whose text the user changed, which stay without a block (LEGACY_ADVICE)."""
    add: set[str] = set()
    advised: set[str] = set()
    old = layer.Answers.from_mapping(old_data)
    with tempfile.TemporaryDirectory(prefix="venv-dotenv-previous.") as tmp:
        rendered = Path(tmp) / "previous"
        try:
            render_previous(old_data, rendered, copier_cwd)
        except Exception as error:  # noqa: BLE001 - whatever fails, keep every file
            say(f"could not render version {version} again to compare ({error}); the files "
                "it wrote stay as they are")
            return add, advised
        for path, feature in layer.SHARED_FILES.items():
            if not old.feature(feature) or not answers.feature(feature):
                continue
            mine, theirs = root / path, rendered / path
            if path in old.kept_files:
                add.add(path)  # adopted in that release: the file was the user's
                continue
            if not (mine.is_file() and theirs.is_file()):
                continue
            current, previous = read(mine), read(theirs).replace("\r\n", "\n")
            if layer.MD_BEGIN in previous or f"# >>> {NAME}" in previous:
                continue  # that release marked its part already
            newline = "\r\n" if "\r\n" in current else "\n"
            current_lf = current.replace("\r\n", "\n")
            if previous and previous in current_lf:
                new = current_lf.replace(previous, layer.starter(path, answers), 1)
                if new != current_lf and write(mine, new.replace("\n", newline), root):
                    say(f"{path}: the text version {version} wrote, which you had not changed, "
                        "is now this version's (the template's part marked); lines you added "
                        "stay")
            elif path in (".gitignore", "pyproject.toml", ".vscode/settings.json"):
                add.add(path)  # the merge skips what the file already has
            else:
                begin, end = ((layer.MD_BEGIN, layer.MD_END) if path == "README.md"
                              else (layer.hash_begin("..."), layer.HASH_END))
                say(f"{path}: " + LEGACY_ADVICE.format(begin=begin, end=end,
                                                       update=answers.update_command()))
                advised.add(path)
        for path in layer.RETIRED_FILES:
            mine, theirs = root / path, rendered / path
            if not (mine.is_file() and theirs.is_file()):
                continue
            if mine.read_bytes() == theirs.read_bytes():
                mine.unlink()
                _prune_empty(root, mine.parent)
                say(f"removed {path}: version {version} wrote it and this one no longer does")
            else:
                say(f"{path}: you changed this file of version {version}, so it stays; "
                    + RETIRED_ADVICE[path])
    return add, advised


def _ignored(root: Path, path: Path) -> bool:
    return bool(_ignored_of(root, [str(path.relative_to(root))]))


def _untracked_and_unignored(root: Path, paths: list[Path]) -> list[str]:
    """Those of ``paths`` that a ``git add -A`` would add: untracked and not ignored (a
    file behind a symbolic link is neither: git cannot add it)."""
    names = [str(path.relative_to(root)) for path in paths]
    status = git(root, "status", "--porcelain", "--untracked-files=all", "-z", "--", *names)
    listed = {entry[3:] for entry in status.stdout.split("\0") if entry.startswith("?? ")}
    return [name for name in names if name in listed]


def has_block(text: str) -> bool:
    return f">>> {NAME}" in text  # "# >>> copier-venv-dotenv: ..." or "<!-- >>> ... -->"


def _kept_out(root: Path) -> bool:
    """Whether README.md is the package's PyPI page and never held the template's block
    (the copy kept it out): then its absence is no loss to report."""
    if not layer.readme_is_description(root):
        return False
    found = git(root, "log", "-S", layer.MD_BEGIN, "--format=%h", "-1", "--", "README.md")
    return found.returncode == 0 and not found.stdout.strip()


def missing_blocks_sentence(root: Path, answers: Any, advised: set[str]) -> str:
    """The shared files without a block (deleted on purpose, lost to another template's
    --overwrite or while resolving a conflict) and how to put it back; a warning when git
    no longer ignores the private env file. Not those of ``advised``: a 0.1.0 text the
    user changed, for which LEGACY_ADVICE says what to do."""
    missing = []
    for path, feature in layer.SHARED_FILES.items():
        target = root / path
        if path.endswith(".json") or not answers.feature(feature) or not target.is_file():
            continue  # .vscode/settings.json holds keys, not a block
        if path in advised or (path == "README.md" and _kept_out(root)):
            continue  # said what to do already, or kept out on purpose (PyPI's page)
        try:
            if not has_block(read(target)):
                missing.append(path)
        except (OSError, UnicodeDecodeError):
            continue
    if not missing:
        return ""
    one = len(missing) == 1
    sentence = (f"{', '.join(missing)} {'has' if one else 'have'} no {NAME} block, so the "
                "template's part there is not kept up to date; if that is not on purpose, "
                f"`{answers.update_command('restore_blocks=true')}` puts "
                f"{'it' if one else 'them'} back")
    private = f"{answers.env_file}.local"
    if ".gitignore" in missing and not _ignored(root, root / private):
        sentence += (f". Warning: git would not ignore {private}, the private env file: "
                     "move the env files out of the project while that update runs (it "
                     "needs a clean work tree), or git add -A commits their secrets")
    return sentence


def _declared(source: str) -> list[str]:
    """The attributes that the classes of a settings.py declare (``name: type``)."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    return [statement.target.id for node in tree.body if isinstance(node, ast.ClassDef)
            for statement in node.body if isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)]


def package_moved_sentence(root: Path, previous: Any, answers: Any) -> str:
    """After ``-d package_dir=...``: copier renders the template's files in the new
    folder and carries no edit across the move. Named: the declarations of the old
    settings.py (in git's last commit) that the new one lacks, and the package's own
    files (``__init__.py``, ``py.typed``: the project's) left in the old folder."""
    if previous.package_dir == answers.package_dir:
        return ""
    old = f"{previous.package_dir}/settings.py"
    parts = []
    # ./: from the project's folder, which may be a subfolder of the repository.
    shown = git(root, "show", f"HEAD:./{old}")
    try:
        new = read(root / answers.package_dir / "settings.py")
    except (OSError, UnicodeDecodeError):
        new = None  # no settings.py there (yet): nothing to compare
    lost = [attr for attr in _declared(shown.stdout) if attr not in _declared(new or "")]
    if shown.returncode == 0 and new is not None and lost:
        parts.append(f"{old} declared {', '.join(lost)}, which "
                      f"{answers.package_dir}/settings.py does not: copy those "
                      f"declarations below its marker comment (git show HEAD:./{old} "
                      "shows the old file)")
    left = [name for name in ("__init__.py", "py.typed")
            if (root / previous.package_dir / name).is_file()
            and not (root / answers.package_dir / name).exists()]
    if left:
        moves = " && ".join(
            f"git mv {shlex.quote(f'{previous.package_dir}/{name}')} "
            f"{shlex.quote(f'{answers.package_dir}/{name}')}" for name in left)
        parts.append(f"{' and '.join(left)} of the package stayed in "
                     f"{previous.package_dir}: {moves}")
    if not parts:
        return ""
    return (f"package_dir is now {answers.package_dir}: copier does not carry your edits "
            f"across the move; {'; '.join(parts)}")


def tracked_private_sentence(root: Path, answers: Any) -> str:
    """The private env file committed (a .gitignore that stopped ignoring it, a git add
    -f): its secrets are in the history."""
    private = f"{answers.env_file}.local"
    if git(root, "ls-files", "--error-unmatch", "--", private).returncode != 0:
        return ""
    return (f"Warning: git tracks {private}, the private env file, which holds this "
            f"checkout's secrets: git rm --cached {shlex.quote(private)}, commit, and "
            "rotate every secret it held (they are in git's history)")


def foreign_bootstrap_sentence(root: Path) -> str:
    """scripts/bootstrap.py replaced by another template's (a conflict resolved with
    their side): copier sees no change to make, and nothing runs scripts/_bootstrap.py."""
    path = root / "scripts/bootstrap.py"
    try:
        ours = "import _bootstrap" in read(path)
    except (OSError, UnicodeDecodeError):
        return ""  # deleted, or not text: nothing to compare
    if ours:
        return ""
    return ("scripts/bootstrap.py is not this template's any more (another template's, or "
            "its side was dropped while resolving a conflict): it does not run "
            "scripts/_bootstrap.py, which builds the venv and makes the private env file. "
            "Put this template's back (git log -p -- scripts/bootstrap.py shows the commit "
            "that replaced it) and keep the other script under another name")


def moved_sentences(root: Path, previous: Any, answers: Any) -> list[str]:
    """What an answer that moved the venv or the env file leaves behind: the old venv,
    and the old env files, which hold values and secrets the loader no longer reads,
    and which the .gitignore block may no longer cover."""
    sentences = []
    old_venv = root / previous.venv
    if previous.venv != answers.venv and (old_venv / "pyvenv.cfg").is_file():
        # Ignored by the .gitignore block or by the venv's own (uv and Python 3.13+ write
        # one holding "*"): what a `git add -A` would take.
        status = git(root, "status", "--porcelain", "--untracked-files=normal", "--",
                     previous.venv).stdout
        unignored = "; git no longer ignores it" if status.strip() else ""
        sentences.append(
            f"venv_dir is now {answers.venv}: nothing uses the venv in {previous.venv} "
            f"any more{unignored}. Run python3 scripts/bootstrap.py to make "
            f"{answers.venv}, then delete {previous.venv}")
    if previous.env_file == answers.env_file:
        return sentences
    old, new = root / previous.env_file, root / answers.env_file
    # The old file and its layers (.local, .<mode>, .<mode>.local), not those of the new
    # name (.env.app is a layer of .env and the new env file) nor .env.example.
    candidates = [old, *old.parent.glob(f"{glob.escape(old.name)}.*")]
    left = sorted(
        path for path in candidates
        if path.is_file() and path.name != ".env.example"
        and not (path.parent == new.parent
                 and (path.name == new.name or path.name.startswith(f"{new.name}."))))
    if not left:
        return sentences
    targets = [new.parent / f"{new.name}{path.name[len(old.name):]}" for path in left]
    commands = [f"mkdir -p {shlex.quote(str(new.parent.relative_to(root)))}"
                ] if not new.parent.is_dir() else []
    commands += [f"mv {shlex.quote(str(path.relative_to(root)))} "
                 f"{shlex.quote(str(target.relative_to(root)))}"
                 for path, target in zip(left, targets, strict=True)]
    if any(target.exists() for target in targets):
        commands = []  # the new files are there already: merging is for people
    them = "them" if len(left) > 1 else "it"
    exposed = _untracked_and_unignored(root, left)
    warning = (f" Warning: git no longer ignores {', '.join(exposed)}: do not commit "
               f"{'them' if len(exposed) > 1 else 'it'}." if exposed else "")
    how = (f"before the bootstrap (which would create {answers.env_file}.local with new "
           f"random secrets), move {them}: {' && '.join(commands)}" if commands else
           f"move what {'they set' if len(left) > 1 else 'it sets'} into the new files, "
           f"then delete {them}")
    sentences.append(
        f"env_file is now {answers.env_file}: the loader no longer reads "
        f"{', '.join(str(path.relative_to(root)) for path in left)}; {how}.{warning}")
    return sentences


def run_update(root: Path, answers_file: str, answers: Any, mode: str, from_version: str,
               copier_cwd: str = "") -> None:
    old_data = previous_answers(root, answers_file)
    previous = layer.Answers.from_mapping(old_data) if old_data else None
    restore = mode == "restore"
    add: set[str] = set()
    advised: set[str] = set()
    if (old_data and "_src_path" in old_data and "_commit" in old_data
            and _version_before(from_version or "0", layer.FIRST_LAYERED_RELEASE)
            and looks_legacy(root, layer.Answers.from_mapping(old_data))):
        add, advised = upgrade_legacy(root, old_data, answers,
                                      from_version or str(old_data["_commit"]), copier_cwd)
    for path, feature in layer.SHARED_FILES.items():
        target = root / path
        if not answers.feature(feature):
            if previous is not None and previous.feature(feature) and target.is_file():
                if read(target) == layer.starter(path, previous):
                    target.unlink()
                    _prune_empty(root, target.parent)
                    say(f"removed {path}: {feature} is now off and the file was the "
                        "template's, unchanged")
                else:
                    say(f"{path}: {feature} is now off; the file has your changes, so it "
                        "stays: remove the template's part yourself if you like")
            continue
        # An answer that turns the feature on now (-d use_direnv=true) adds the block to
        # a file of theirs, as a restore would for that file.
        turned_on = previous is not None and not previous.feature(feature)
        if target.is_file():
            had_block = has_block(read(target))
            merged = merge_one(root, path, answers, add=restore or turned_on or path in add,
                               previous=previous)
            if merged and turned_on and not had_block:
                say(f"added its marked block to your {path} ({feature} is now on); every "
                    "other line stays as it was")
            elif merged and restore and not had_block:
                say(f"restored its part of {path}; every other line stays as it was")
        elif not target.exists() and (restore or never_tracked(root, path)):
            if write(target, layer.starter(path, answers, root), root):
                say(f"created {path}")
        elif (path == layer.rules.EXAMPLE_FILE and not target.exists()
              and _tracked_in_history(root, path)):
            say(f"{path} was deleted, and the settings need it: `init` makes the private "
                "env file from it, `check` and the tests compare it with settings.py; "
                f"`{answers.update_command('restore_blocks=true')}` puts it back")
    # Only in the project itself, which git holds with its previous answers: not in the
    # temporary renders copier makes to compute an update.
    moved = [] if previous is None else [*moved_sentences(root, previous, answers),
                                         package_moved_sentence(root, previous, answers),
                                         missing_blocks_sentence(root, answers, advised),
                                         tracked_private_sentence(root, answers)]
    for sentence in (foreign_bootstrap_sentence(root),
                     layer.restore_imports(root, answers.package_dir),
                     layer.settings_duplicates_sentence(root, answers.package_dir), *moved):
        if sentence:
            say(sentence)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    step = parser.add_mutually_exclusive_group(required=True)
    step.add_argument("--copy", action="store_true", help="right after copier copy")
    step.add_argument("--update", action="store_true", help="after copier update")
    parser.add_argument("--answers-file", default=layer.rules.ANSWERS_FILE)
    parser.add_argument("--files", default="", help="--copy: the shared files that were there")
    parser.add_argument("--mode", choices=("refresh", "restore"), default="refresh")
    parser.add_argument("--from-version", default="", help="--update: the previous version")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project root")
    parser.add_argument("--copier-cwd", default="",
                        help="--update: the folder copier runs in (a relative _src_path "
                             "names a folder from there)")
    args = parser.parse_args(argv)
    root: Path = args.root
    answers_path = root / args.answers_file
    try:
        data = load_answers(read(answers_path))
        answers = layer.Answers.from_mapping(data, args.answers_file)
        answers.variables()
    except Exception as error:  # noqa: BLE001 - one sentence, never a traceback
        say(f"cannot read the answers in {args.answers_file} ({error}): the shared files "
            "were not merged")
        return 0
    if args.copy:
        run_copy(root, answers, [p for p in args.files.split(",") if p])
    else:
        run_update(root, args.answers_file, answers, args.mode, args.from_version,
                   args.copier_cwd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
