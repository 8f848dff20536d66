"""Helpers for tests that copy and update projects across template versions.

Each test builds its own git repository of the template (see conftest.snapshot_template),
changes it, commits and tags versions, and runs copier's real API on real git repos.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import copier
import yaml
from conftest import REPO_ROOT, git, snapshot_template

__all__ = [
    "REPO_ROOT", "commit_all", "copy_project", "update_project", "answers_of",
    "conflict_files", "Release", "release_points", "release_tags", "snapshot_template",
    "template_at_tag",
    "rename_question", "add_migration", "git", "replace_tree",
]


def commit_all(repo: Path, message: str, tag: str | None = None) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    if tag:
        git(repo, "tag", tag)
    return git(repo, "rev-parse", "HEAD").strip()


def copy_project(
    template: Path, dst: Path, vcs_ref: str | None = None, answers_file: str | None = None, **data
) -> Path:
    """`copier copy --trust --defaults`, then commit the project (update needs it clean)."""
    copier.run_copy(
        str(template), dst, data=data, defaults=True, unsafe=True, vcs_ref=vcs_ref, quiet=True,
        answers_file=answers_file,
    )
    if not (dst / ".git").exists():
        git(dst, "init", "-q", "-b", "main")
    commit_all(dst, "copied from the template")
    return dst


def update_project(dst: Path, vcs_ref: str | None = None, **kwargs) -> None:
    """`copier update --trust --defaults --conflict inline` (kwargs: data=..., answers_file=...)."""
    kwargs.setdefault("conflict", "inline")
    copier.run_update(
        dst, defaults=True, overwrite=True, unsafe=True, vcs_ref=vcs_ref, quiet=True, **kwargs
    )


def answers_of(dst: Path, answers_file: str = ".copier-answers.yml") -> dict:
    return yaml.safe_load((dst / answers_file).read_text())


def conflict_files(dst: Path) -> list[str]:
    """Files with inline conflict markers, found as README.md tells users to find them."""
    result = subprocess.run(
        ["git", "grep", "-l", "-e", "^<<<<<<< ", "--", "."],
        cwd=dst, capture_output=True, text=True,
    )
    return sorted(result.stdout.split())


# --- release points -----------------------------------------------------------------
# The rule (README.md, "Releasing"): release X.Y.Z is the commit whose subject is exactly
# `Release X.Y.Z`, and it is tagged `vX.Y.Z`. Tags are missing from many clones (a mirror,
# a fork, a CI checkout); the history is not, so release points are read from the history
# and tagged in temporary clones. Nothing here reads this repository's tags.

RELEASE_SUBJECT = re.compile(r"Release (\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class Release:
    version: str  # "0.1.0"
    commit: str  # full hash of the commit "Release 0.1.0"

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def release_points(repo: Path = REPO_ROOT) -> list[Release]:
    """Every release in the history of ``repo``'s HEAD, oldest version first.

    Raises LookupError, saying how to fix it, when the history holds no release (a
    shallow clone) or holds one version twice: a test that needs releases must fail then,
    not skip.
    """
    shallow = git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
    found: dict[str, Release] = {}
    for line in git(repo, "log", "--format=%H %s", "HEAD").splitlines():
        commit, _, subject = line.partition(" ")
        match = RELEASE_SUBJECT.fullmatch(subject)
        if not match:
            continue
        version = ".".join(match.groups())
        if version in found:
            raise LookupError(
                f"two commits have the subject {subject!r}: {commit[:12]} and "
                f"{found[version].commit[:12]}; a release is exactly one commit"
            )
        found[version] = Release(version, commit)
    if not found:
        why = (
            "this clone is shallow: run `git fetch --unshallow`"
            if shallow
            else "no commit has a subject `Release X.Y.Z`"
        )
        raise LookupError(f"no release point in the history of {repo}: {why}")
    return sorted(found.values(), key=lambda release: tuple(map(int, release.version.split("."))))


def release_tags(repo: Path = REPO_ROOT) -> list[str]:
    """The tags (`vX.Y.Z`) of every release point of ``repo``, oldest first."""
    return [release.tag for release in release_points(repo)]


def template_at_tag(dst: Path, tag: str, repo: Path = REPO_ROOT) -> Path:
    """A clone of ``repo`` in ``dst``, every release point tagged, branch main at ``tag``.

    The clone takes no tags from ``repo``: its tags are made from the history, so it is
    the same whether ``repo`` has tags or not. Commit on top of it for a newer version.
    """
    releases = release_points(repo)
    if tag not in {release.tag for release in releases}:
        raise LookupError(f"{tag} is not a release point of {repo} (releases: "
                          f"{', '.join(release.tag for release in releases)})")
    dst.parent.mkdir(parents=True, exist_ok=True)
    git(dst.parent, "clone", "-q", "--no-tags", "--no-checkout", str(repo), str(dst))
    for release in releases:
        git(dst, "tag", release.tag, release.commit)
    git(dst, "checkout", "-q", "-B", "main", tag)
    return dst


def replace_tree(repo: Path, source: Path) -> None:
    """Make the work tree of ``repo`` a copy of ``source`` (its .git kept)."""
    for child in repo.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for child in source.iterdir():
        if child.name == ".git":
            continue
        target = repo / child.name
        shutil.copytree(child, target) if child.is_dir() else shutil.copy2(child, target)


def rename_question(template: Path, old: str, new: str) -> None:
    """Rename question ``old`` to ``new`` in copier.yml and the rendered (.jinja) files."""
    pattern = re.compile(rf"\b{re.escape(old)}\b")
    for path in [template / "copier.yml", *sorted((template / "template").rglob("*.jinja"))]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if pattern.search(text):
                path.write_text(pattern.sub(new, text), encoding="utf-8")


def add_migration(template: Path, entry: dict) -> None:
    """Append one entry to ``_migrations`` in the template's copier.yml."""
    path = template / "copier.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.setdefault("_migrations", []).append(entry)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000))


# --- bootstrapped projects ----------------------------------------------------------
# A generated project as a user runs it: `python3 scripts/bootstrap.py`, then its suite in
# the venv, with nothing of this test run's environment (venv, PYTHONPATH, uv/pip settings).

__all__ += ["clean_env", "bootstrap_project", "keeps_every_line"]

_TOOLS_BIN = Path(sys.executable).parent


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "UV_", "PIP_"))}
    env["PATH"] = os.pathsep.join([str(_TOOLS_BIN), env.get("PATH", "")])  # uv of the tools
    return env


def bootstrap_project(project: Path) -> Path:
    """Run the project's scripts/bootstrap.py (it must succeed); its venv's Python."""
    result = subprocess.run([sys.executable, "scripts/bootstrap.py"], cwd=project,
                            env=clean_env(), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / ".venv/bin/python"


def keeps_every_line(before: str, after: str) -> bool:
    """Every line of ``before`` is in ``after``, in the same order."""
    remaining = iter(after.splitlines())
    return all(line in remaining for line in before.splitlines())
