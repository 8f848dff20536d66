"""Helpers for tests that copy and update projects across template versions.

Each test builds its own git repository of the template (see conftest.snapshot_template),
changes it, commits and tags versions, and runs copier's real API on real git repos.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import copier
import yaml
from conftest import REPO_ROOT, git, snapshot_template

__all__ = [
    "REPO_ROOT", "commit_all", "copy_project", "update_project", "answers_of",
    "conflict_files", "release_tags", "snapshot_template", "template_at_tag",
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


def release_tags() -> list[str]:
    """This repository's release tags (PEP 440 `vX.Y.Z`), oldest first."""
    out = git(REPO_ROOT, "tag", "--list", "v*", "--sort=v:refname")
    return [tag for tag in out.split() if re.fullmatch(r"v\d+\.\d+\.\d+", tag)]


def template_at_tag(dst: Path, tag: str) -> Path:
    """A fresh template repo holding this repository's ``tag``, tagged ``tag``."""
    dst.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", tag], cwd=REPO_ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dst)], input=archive, check=True)
    git(dst, "init", "-q", "-b", "main")
    commit_all(dst, f"release {tag}", tag=tag)
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
