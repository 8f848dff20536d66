"""What the shared files' blocks say and do about the env layers, in-process.

The layer module (extensions/venv_dotenv_layer.py) writes the template's blocks into
.gitignore, README.md, .env.example, .envrc, .pre-commit-config.yaml and
.vscode/settings.json; these tests check the parts that follow the env layers: what git
ignores, the settings reference kept across updates, VS Code's env file, and the mode
rule the .envrc applies in bash, checked against the rules module's own.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import venv_dotenv_layer as layer
from conftest import git

rules = layer.rules
BASH = shutil.which("bash")


def answers(**values) -> layer.Answers:
    return layer.Answers.from_mapping({"project_name": "Shop", "package_name": "shop",
                                       **values})


@pytest.mark.parametrize("env_file", [".env", "config/app.env"])
def test_git_ignores_every_layer_and_keeps_the_example(tmp_path, env_file):
    (tmp_path / ".gitignore").write_text(layer.gitignore_starter(answers(env_file=env_file)))
    git(tmp_path, "init", "-q")
    names = [name for mode in ("", "test") for name in rules.env_layers(env_file, mode)]
    ignored = git(tmp_path, "check-ignore", "--no-index", *names).split()
    assert set(ignored) == set(names)
    kept = subprocess.run(["git", "check-ignore", "-q", "--no-index", ".env.example"],
                          cwd=tmp_path, check=False)
    assert kept.returncode == 1
    # A project commits a shared mode file by un-ignoring it below the block.
    with (tmp_path / ".gitignore").open("a") as handle:
        handle.write(f"!{env_file}.test\n")
    shared = subprocess.run(["git", "check-ignore", "-q", "--no-index", f"{env_file}.test"],
                            cwd=tmp_path, check=False)
    assert shared.returncode == 1
    assert git(tmp_path, "check-ignore", "--no-index", f"{env_file}.test.local").strip()


def test_the_readme_block_documents_the_layers_and_the_reference():
    block = "\n".join(layer.readme_block(answers(env_vars="PORT:int=8000, TOKEN:secret")))
    assert "| `.env.local` | always | always ignored: this checkout's own values and secrets |" \
        in block
    assert "when `SHOP_ENV=<mode>` is set in the environment" in block
    assert "`SHOP_SECRETS_DIR`" in block and 'secrets-dir = "/run/secrets"' in block
    assert "`NAME_FILE=/path/to/file`" in block
    assert "python -m shop.settings docs --write README.md" in block
    table = rules.settings_reference([rules.EnvVar("PORT", "int", "8000"),
                                      rules.EnvVar("TOKEN", "secret")])
    assert f"{rules.REFERENCE_BEGIN}\n{table}{rules.REFERENCE_END}" in block


def test_the_env_example_starter_documents_the_layers():
    text = layer.env_example_starter(answers(env_file="config/app.env"))
    assert ("# The loader reads the env files config/app.env, config/app.env.<mode>, "
            "config/app.env.local, config/app.env.<mode>.local,") in text
    assert "SHOP_ENV in the environment names the mode" in text
    assert "creates config/app.env.local from this file" in text
    assert "git always ignores the .local ones" in text


def readme_with(table: list[str], **values) -> str:
    block = layer.readme_block(answers(**values), table)
    return layer.Doc(["# Shop", "", *block, "", "Ours."]).text()


def reference_of(text: str) -> list[str]:
    lines = text.split("\n")
    begin, end = rules.reference_span(lines)
    return lines[begin + 1:end]


def test_an_update_keeps_a_reference_the_docs_command_wrote():
    old = answers(env_vars="PORT:int=8000")
    ours = rules.settings_reference([rules.EnvVar("PORT", "int", "8000"),
                                     rules.EnvVar("RETRIES", "int", "3")]).splitlines()
    text = readme_with(ours, env_vars="PORT:int=8000")
    new = answers(env_vars="PORT:int=8000, DEBUG:bool=false")
    outcome = layer.merge("README.md", text, new, add=False, previous=old)
    assert reference_of(outcome.text) == ours
    assert outcome.text.endswith("\nOurs.\n")


def test_an_update_renders_the_reference_of_the_answers_when_it_is_theirs():
    old = answers(env_vars="PORT:int=8000")
    text = readme_with(None, env_vars="PORT:int=8000")
    new = answers(env_vars="PORT:int=8000, DEBUG:bool=false")
    outcome = layer.merge("README.md", text, new, add=False, previous=old)
    assert reference_of(outcome.text) == layer.settings_reference(new.variables())[1:-1]
    # Without the previous answers (or with broken markers) nothing is lost either.
    kept = layer.merge("README.md", text, new, add=False, previous=None)
    assert reference_of(kept.text) == reference_of(text)


def test_vscode_loads_the_private_layer_and_moves_the_old_default():
    values = layer.vscode_values(answers(env_file="config/app.env"))
    assert values["python.envFile"] == "${workspaceFolder}/config/app.env.local"
    old = answers()
    before = json.dumps({"python.envFile": "${workspaceFolder}/.env", "editor.rulers": [88]})
    outcome = layer.merge(".vscode/settings.json", before, answers(), add=False, previous=old)
    assert json.loads(outcome.text)["python.envFile"] == "${workspaceFolder}/.env.local"
    assert json.loads(outcome.text)["editor.rulers"] == [88]
    theirs = json.dumps({"python.envFile": "${workspaceFolder}/config/dev.env"})
    outcome = layer.merge(".vscode/settings.json", theirs, answers(), add=False, previous=old)
    assert outcome.text is None  # the user's own choice stays


def test_the_pre_commit_hook_sees_every_layer():
    block = "\n".join(layer.pre_commit_block(answers(env_file="config/app.env"), ""))
    files = re.compile(re.search(r"files: '(.+)'", block)[1].replace("''", "'"))
    for path in (".env", ".env.local", ".env.test", "config/app.env", "config/app.env.local",
                 "config/app.env.test.local", "sub/.env.prod"):
        assert files.search(path), path
    for path in (".envrc", "config/app.envy", "docs/env.md"):
        assert not files.search(path), path
    assert "git check-ignore -q --no-index" in block and "*.local)" in block


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_the_envrc_mode_rule_is_the_rules_modules(tmp_path):
    """The .envrc decides in bash which mode files to read: exactly the modes the loader
    accepts."""
    not_modes, mode_re = layer._mode_patterns()
    samples = ["test", "production", "ci-2", "Stage_1", "x" * 40, "x" * 41, "local", "LOCAL",
               "Example", "", "../x", "a/b", "a.b", "-x", "_x", "a b", "t\u00e9st", "*"]
    script = (f'm=$1; case $m in {not_modes}) echo no; exit ;; esac\n'
              f'if [[ $m =~ {mode_re} ]]; then echo yes; else echo no; fi\n')
    for sample in samples:
        result = subprocess.run([BASH, "-c", script, "bash", sample], capture_output=True,
                                text=True, check=True)
        accepted = not rules.mode_problem(sample, "SHOP_ENV")
        assert result.stdout.strip() == ("yes" if accepted else "no"), sample


def test_the_envrc_block_reads_the_layers_in_order():
    block = "\n".join(layer.envrc_block(answers(env_file="config/app.env", use_direnv=True)))
    assert "__venv_dotenv_mode=${SHOP_ENV:-}" in block
    assert ('__venv_dotenv_files+=("config/app.env.$__venv_dotenv_mode" config/app.env.local '
            '"config/app.env.$__venv_dotenv_mode.local")') in block
    assert not re.search(r"^\s*(source|\.)\s", block, re.MULTILINE)


def test_the_readme_block_names_the_private_layer():
    """The private file is the .local layer; .env is the shared base (when there is one)."""
    block = "\n".join(layer.readme_block(answers()))
    assert "## Two private things at the root: `.venv/` and `.env.local`" in block
    assert "It never touches your env files" in block


def block_and_after(text: str) -> tuple[str, str]:
    """The lines of the template's (first) block, and the text after it."""
    head, end, after = text.partition(layer.HASH_END + "\n")
    return head + end, after


def test_lines_written_inside_the_gitignore_block_are_kept_below_it():
    before = answers()
    text = layer.merge_gitignore("build/\n", before, add=True).text
    edited = text.replace(".env.*\n", ".env.*\nsecrets/\n!.env.shared\n")

    # The venv moved (-d venv_dir=venv): the previous answers' line goes, theirs stay.
    outcome = layer.merge_gitignore(edited, answers(venv_dir="venv"), add=False,
                                    previous=before)

    block, after = block_and_after(outcome.text)
    assert "/venv/" in block and "/.venv/" not in outcome.text
    assert "secrets/" not in block and after == "secrets/\n!.env.shared\n"
    assert outcome.notes == [
        ".gitignore: kept secrets/, !.env.shared written inside the copier-venv-dotenv "
        "block, now below it: every update rewrites the block, so write your lines "
        "outside it"]
    # Said once: the next update finds nothing inside the block but the template's.
    again = layer.merge_gitignore(outcome.text, answers(venv_dir="venv"), add=False,
                                  previous=answers(venv_dir="venv"))
    assert again.text == outcome.text and again.notes == []


def test_lines_written_inside_the_env_example_block_are_kept_below_it():
    before = answers(env_vars="LOG_LEVEL=INFO, TOKEN:secret")
    text = layer.merge_env_example("", before, add=True).text
    edited = text.replace("LOG_LEVEL=INFO\n",
                          "LOG_LEVEL=INFO\n\n# How often to retry.\nRETRIES=3\n")
    after_answers = answers(env_vars="LOG_LEVEL=INFO, TOKEN:secret, PORT:int=80")

    outcome = layer.merge_env_example(edited, after_answers, add=False, previous=before)

    block, after = block_and_after(outcome.text)
    assert "PORT=80" in block and "RETRIES" not in block
    assert after == "# How often to retry.\nRETRIES=3\n"
    assert outcome.notes == [
        ".env.example: kept 2 line(s) (setting RETRIES) written inside the "
        "copier-venv-dotenv block, now below it: every update rewrites the block, so "
        "write your lines outside it"]
    again = layer.merge_env_example(outcome.text, after_answers, add=False,
                                    previous=after_answers)
    assert again.text == outcome.text and again.notes == []


def test_a_value_edited_inside_the_env_example_block_is_kept_and_named():
    before = answers(env_vars="LOG_LEVEL=INFO, TOKEN:secret")
    text = layer.merge_env_example("", before, add=True).text
    edited = text.replace("LOG_LEVEL=INFO\n", "LOG_LEVEL=DEBUG\n")

    outcome = layer.merge_env_example(edited, before, add=False, previous=before)

    block, after = block_and_after(outcome.text)
    assert "LOG_LEVEL" not in block and after == "LOG_LEVEL=DEBUG\n"
    assert outcome.notes[0].startswith(".env.example: kept 1 line(s) (setting LOG_LEVEL)")
    # Not "already sets LOG_LEVEL outside the block": the sentence above said why; the
    # disagreement with the answer's default is what check will report.
    assert len(outcome.notes) == 2
    assert outcome.notes[1].startswith(".env.example sets LOG_LEVEL to 'DEBUG', but the "
                                       "env_vars answer declares its default as 'INFO'")


def test_without_the_previous_answers_a_block_is_rewritten_as_before():
    # Old answers git cannot give (an unreadable answers file): the template's own lines
    # of another answer cannot be told from the user's, so nothing is moved out.
    text = layer.merge_gitignore("", answers(), add=True).text
    outcome = layer.merge_gitignore(text, answers(venv_dir="venv"), add=False)
    assert "/.venv/" not in outcome.text and outcome.notes == []


def test_a_variable_set_below_the_block_since_is_no_line_written_inside():
    """A variable the project now sets below the block (the documented way): its lines
    of before in the block are the template's, which the block now leaves out."""
    before = answers(env_vars="GREETING=hello, TOKEN:secret")
    text = layer.merge_env_example("", before, add=True).text + "GREETING=hi\n"

    outcome = layer.merge_env_example(text, before, add=False, previous=before)

    block, after = block_and_after(outcome.text)
    assert "GREETING" not in block and after == "GREETING=hi\n"
    assert not any("written inside" in note for note in outcome.notes)
    assert outcome.notes[0].startswith(".env.example already sets GREETING outside")


def test_a_comment_changed_above_a_variable_of_the_block_is_the_blocks():
    """Kept below the block, a changed comment of one of the template's variables would
    document another line: the block rewrites it, and says so. A variable of the user's
    keeps the comments right above it."""
    before = answers(env_vars="LOG_LEVEL=INFO, PORT:int=8000")
    starter = layer.merge_env_example("", before, add=True).text
    edited = starter.replace("# type: int; default: 8000\n",
                             "# type: int; default: 8000 (the HTTP port)\n").replace(
        "LOG_LEVEL=INFO\n", "LOG_LEVEL=INFO\n\n# Seconds.\nTIMEOUT=30\n")

    outcome = layer.merge_env_example(edited, before, add=False, previous=before)

    block, after = block_and_after(outcome.text)
    assert "(the HTTP port)" not in outcome.text and "# type: int; default: 8000" in block
    assert after == "# Seconds.\nTIMEOUT=30\n"
    assert outcome.notes[0].startswith(".env.example: kept 2 line(s) (setting TIMEOUT)")
    assert outcome.notes[1].startswith(".env.example: replaced 1 comment line(s) you "
                                       "changed inside the copier-venv-dotenv block")
