"""Release points come from the history, so every clone with history has them.

The rule (README.md, "Releasing"): the commit whose subject is exactly `Release X.Y.Z` is
release X.Y.Z, tagged `vX.Y.Z` where tags exist. These tests build small git repositories
and clones of this one; none of them reads or needs this repository's tags.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from copier_helpers import (
    REPO_ROOT,
    Release,
    commit_all,
    git,
    release_points,
    release_tags,
    template_at_tag,
)


def history(repo: Path, *subjects: str) -> dict[str, str]:
    """A repository with one commit per subject; returns subject -> commit."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commits = {}
    for number, subject in enumerate(subjects):
        (repo / "file.txt").write_text(f"{number}\n")
        commits[subject] = commit_all(repo, subject)
    return commits


def test_only_exact_release_subjects_count_ordered_by_version(tmp_path):
    repo = tmp_path / "repo"
    commits = history(
        repo, "start", "Release 0.2.0", "Release 0.10.0", "release 0.11.0", "Release 0.12",
        "Release 0.13.0 and more", "Prepare Release 0.14.0", "Release 0.1.0", "work after it",
    )

    assert release_points(repo) == [
        Release("0.1.0", commits["Release 0.1.0"]),
        Release("0.2.0", commits["Release 0.2.0"]),
        Release("0.10.0", commits["Release 0.10.0"]),
    ]
    assert release_tags(repo) == ["v0.1.0", "v0.2.0", "v0.10.0"]


def test_a_version_released_twice_is_an_error_naming_both_commits(tmp_path):
    repo = tmp_path / "repo"
    commits = history(repo, "Release 0.1.0", "fix", "Release 0.1.0")

    with pytest.raises(LookupError, match="two commits have the subject 'Release 0.1.0'") as error:
        release_points(repo)
    for commit in commits.values():
        if commit != commits["fix"]:
            assert commit[:12] in str(error.value)


def test_a_shallow_clone_fails_saying_how_to_fix_it(tmp_path):
    repo = tmp_path / "repo"
    history(repo, "start", "Release 0.1.0", "work after it")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))

    with pytest.raises(LookupError, match=r"shallow: run `git fetch --unshallow`"):
        release_points(shallow)
    git(shallow, "fetch", "-q", "--unshallow")
    assert [release.version for release in release_points(shallow)] == ["0.1.0"]


def test_no_release_at_all_is_an_error_not_an_empty_list(tmp_path):
    repo = tmp_path / "repo"
    history(repo, "start")
    with pytest.raises(LookupError, match="no commit has a subject `Release X.Y.Z`"):
        release_points(repo)


def test_this_repository_has_its_release_points_in_a_clone_without_tags(tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-tags", str(REPO_ROOT), str(clone))
    assert git(clone, "tag", "--list") == ""

    releases = release_points(clone)

    assert releases == release_points(REPO_ROOT)
    assert "0.1.0" in {release.version for release in releases}
    for release in releases:
        subject = git(clone, "log", "-1", "--format=%s", release.commit).strip()
        assert subject == f"Release {release.version}"


def test_tags_present_here_point_at_their_release_commits():
    """Where tags exist they must agree with the rule; with none, nothing to disagree."""
    commits = {release.tag: release.commit for release in release_points(REPO_ROOT)}
    for tag in git(REPO_ROOT, "tag", "--list", "v[0-9]*").split():
        peeled = git(REPO_ROOT, "rev-parse", f"{tag}^{{commit}}").strip()
        assert commits.get(tag) == peeled, (
            f"tag {tag} points at {peeled[:12]}, not at a commit 'Release {tag[1:]}'"
        )


def test_template_at_tag_is_a_clone_with_every_release_tagged(tmp_path):
    repo = tmp_path / "repo"
    commits = history(repo, "start", "Release 0.1.0", "middle", "Release 0.2.0", "after")
    git(repo, "tag", "unrelated")  # tags of the source are not copied

    clone = template_at_tag(tmp_path / "template", "v0.1.0", repo=repo)

    assert sorted(git(clone, "tag", "--list").split()) == ["v0.1.0", "v0.2.0"]
    assert git(clone, "rev-parse", "HEAD").strip() == commits["Release 0.1.0"]
    assert git(clone, "branch", "--show-current").strip() == "main"
    assert git(clone, "status", "--porcelain") == ""
    # What copier reads to name the version of a commit made on top of it.
    commit_all(clone, "the working tree")
    describe = subprocess.run(["git", "describe", "--tags"], cwd=clone, capture_output=True,
                              text=True, check=True).stdout
    assert describe.startswith("v0.1.0-1-g")
    with pytest.raises(LookupError, match="v0.3.0 is not a release point"):
        template_at_tag(tmp_path / "other", "v0.3.0", repo=repo)
