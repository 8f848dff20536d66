"""Tests of the settings: whatever variables settings.py declares.

They never read the real env file: every test passes its own ``environ`` dict and an
env file written in a temporary folder, so they pass on any machine, before and after
``.env`` exists.
"""

import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest

# A valid value of each type as written in an env file, and what it loads as.
SAMPLES = {
    "str": "some text",
    "int": "42",
    "float": "2.5",
    "bool": "yes",
    "url": "https://example.org/path",
    "path": "data/file.txt",
    "list": "a, b,,c",
    "secret": "s3cr3t-Value-never-shown",
}
# Values each type refuses (None: the type accepts any text).
INVALID = {"int": "forty", "float": "2,5", "bool": "maybe", "url": "no-scheme.example.org"}


def expected_value(settings_module, kind, text):
    if kind == "path":
        return settings_module.PROJECT_ROOT / text
    if kind == "secret":
        return settings_module.Secret(text)
    return {
        "int": 42,
        "float": 2.5,
        "bool": True,
        "list": ["a", "b", "c"],
    }.get(kind, text)


@pytest.fixture
def variables(settings_module):
    return settings_module.Settings.variables()


@pytest.fixture
def samples(variables):
    """An environment giving every declared variable a valid, non-default value."""
    return {v.name: SAMPLES[v.kind] for v in variables}


@pytest.fixture
def env_file(tmp_path):
    """An empty env file: the tests never read the developer's real one."""
    path = tmp_path / "test.env"
    path.write_text("", encoding="utf-8")
    return path


def write_env(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


def only_declared(variables, *kinds):
    found = [v for v in variables if v.kind in kinds]
    if not found:
        pytest.skip(f"no variable of type {'/'.join(kinds)} is declared")
    return found


# --------------------------------------------------------------- declarations


def test_declarations_match_env_example(settings_module, variables):
    """.env.example documents exactly the declared variables, with the same defaults."""
    from dotenv import dotenv_values

    example = settings_module.PROJECT_ROOT / ".env.example"
    written = dotenv_values(example, interpolate=False)
    declared = {v.name: v.default or "" for v in variables}
    assert {name: value or "" for name, value in written.items()} == declared


def test_check_example_only_is_clean(settings_module, engine):
    assert engine.check_example(settings_module.Settings, settings_module.LAYOUT) == []


def test_annotations_match_types(settings_module, variables):
    """Editors and type checkers see the type each variable loads as."""
    types = {
        "str": str, "int": int, "float": float, "bool": bool, "url": str,
        "path": Path, "list": list[str], "secret": settings_module.Secret,
    }
    hints = typing.get_type_hints(settings_module.Settings)
    for variable in variables:
        expected = types[variable.kind]
        if variable.default == "" and variable.kind not in ("str", "secret", "list"):
            expected = expected | None
        assert hints[variable.attr] == expected, variable.name


def test_attribute_is_lower_case_name(variables):
    for variable in variables:
        assert variable.attr == variable.name.lower()


def test_declared_defaults_load(settings_module, env_file, variables):
    required = {v.name: SAMPLES[v.kind] for v in variables if v.required}
    settings = settings_module.load_settings(env_file, environ=required)
    for variable in variables:
        if variable.default:
            assert settings.sources()[variable.attr].kind == "default"


# ------------------------------------------------------------- where from


def test_values_from_environment_are_typed(settings_module, env_file, variables, samples):
    settings = settings_module.load_settings(env_file, environ=samples)
    for variable in variables:
        value = getattr(settings, variable.attr)
        assert value == expected_value(settings_module, variable.kind, SAMPLES[variable.kind])
        assert str(settings.sources()[variable.attr]) == "environment"


def test_values_from_env_file_name_their_line(settings_module, tmp_path, variables, samples):
    if not variables:
        pytest.skip("no variable declared")
    lines = [f"{name}='{value}'" for name, value in samples.items()]
    path = write_env(tmp_path / "test.env", "# header\n\n" + "\n".join(lines) + "\n")
    settings = settings_module.load_settings(path, environ={})
    for index, variable in enumerate(variables):
        assert str(settings.sources()[variable.attr]) == f"{path}:{index + 3}"
        value = getattr(settings, variable.attr)
        assert value == expected_value(settings_module, variable.kind, SAMPLES[variable.kind])


def test_environment_beats_env_file_beats_default(settings_module, tmp_path, variables, samples):
    for variable in variables:
        path = write_env(tmp_path / "test.env", f"{variable.name}={SAMPLES[variable.kind]}\n")
        others = {k: v for k, v in samples.items() if k != variable.name}
        loaded = settings_module.load_settings(path, environ=samples)
        assert str(loaded.sources()[variable.attr]) == "environment"
        loaded = settings_module.load_settings(path, environ=others)
        assert str(loaded.sources()[variable.attr]) == f"{path}:1"
        if variable.default:
            loaded = settings_module.load_settings(write_env(path, ""), environ=others)
            assert str(loaded.sources()[variable.attr]) == "default"


def test_empty_value_means_not_set(settings_module, tmp_path, variables, samples):
    for variable in variables:
        path = write_env(tmp_path / "test.env", f"{variable.name}={SAMPLES[variable.kind]}\n")
        settings = settings_module.load_settings(path, environ={**samples, variable.name: ""})
        assert str(settings.sources()[variable.attr]) == f"{path}:1"


def test_optional_empty_values(settings_module, env_file, variables):
    optional = [v for v in variables if v.default == ""]
    if not optional:
        pytest.skip("no optional variable with an empty default (NAME=) is declared")
    required = {v.name: SAMPLES[v.kind] for v in variables if v.required}
    settings = settings_module.load_settings(env_file, environ=required)
    empty = {"str": "", "list": [], "secret": settings_module.Secret("")}
    for variable in optional:
        assert getattr(settings, variable.attr) == empty.get(variable.kind)


# --------------------------------------------------------------- problems


def test_every_missing_required_variable_is_named_at_once(settings_module, env_file, variables):
    required = [v for v in variables if v.required]
    if not required:
        pytest.skip("no required variable declared")
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(env_file, environ={})
    assert sorted(p.variable for p in caught.value.problems) == sorted(v.name for v in required)
    for variable in required:
        assert variable.name in str(caught.value)


def test_invalid_values_are_reported_together_with_their_source(
    settings_module, tmp_path, variables, samples
):
    typed = only_declared(variables, *INVALID)
    text = "".join(f"{v.name}={INVALID[v.kind]}\n" for v in typed)
    path = write_env(tmp_path / "test.env", text)
    environ = {k: v for k, v in samples.items() if k not in {v.name for v in typed}}
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(path, environ=environ)
    problems = caught.value.problems
    assert [p.variable for p in problems] == [v.name for v in typed]
    for line, (variable, problem) in enumerate(zip(typed, problems, strict=True), start=1):
        assert variable.name in str(problem)
        assert f"{path}:{line}" in str(problem)


def test_unparsable_line_is_named_with_file_and_line(settings_module, tmp_path, samples):
    path = write_env(tmp_path / "test.env", "# ok\nGOOD=1\nthis is not a binding\n")
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(path, environ=samples)
    assert f"{path}:3" in str(caught.value)
    assert "this is not" not in str(caught.value)  # the line may hold a secret


def test_unclosed_quote_is_named_without_showing_the_value(settings_module, tmp_path, samples):
    path = write_env(tmp_path / "test.env", 'GOOD=1\nOTHER="s3cr3t-never-shown\n')
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(path, environ=samples)
    assert f"{path}:2: the quote opened here" in str(caught.value)
    assert "s3cr3t-never-shown" not in str(caught.value)


def test_duplicate_key_names_both_lines(settings_module, tmp_path, samples):
    path = write_env(tmp_path / "test.env", "A=1\nB=2\nA=3\n")
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(path, environ=samples)
    message = str(caught.value)
    assert "A is set twice" in message
    assert "lines 1 and 3" in message


def test_explicit_env_file_must_exist(settings_module, tmp_path, samples):
    with pytest.raises(settings_module.SettingsError, match="does not exist"):
        settings_module.load_settings(tmp_path / "absent.env", environ=samples)


def test_env_file_that_is_a_venv_gets_a_hint(settings_module, tmp_path, samples):
    venv = tmp_path / ".env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(venv, environ=samples)
    assert "virtual environment" in str(caught.value)
    assert "scripts/bootstrap.py" in str(caught.value)


def test_bom_and_crlf_are_read(settings_module, tmp_path, variables, samples):
    if not variables:
        pytest.skip("no variable declared")
    first = variables[0]
    text = "\ufeff" + f"{first.name}={SAMPLES[first.kind]}\r\nOTHER=x\r\n"
    path = write_env(tmp_path / "test.env", text)
    environ = {k: v for k, v in samples.items() if k != first.name}
    settings = settings_module.load_settings(path, environ=environ)
    assert getattr(settings, first.attr) == expected_value(
        settings_module, first.kind, SAMPLES[first.kind]
    )


# ---------------------------------------------------------------- secrets


def test_secrets_never_shown(settings_module, tmp_path, variables, samples):
    secrets = only_declared(variables, "secret")
    settings = settings_module.load_settings(write_env(tmp_path / "t.env", ""), environ=samples)
    secret_text = SAMPLES["secret"]
    assert secret_text not in repr(settings)
    for variable in secrets:
        value = getattr(settings, variable.attr)
        assert secret_text not in f"{value} {value!r}"
        assert value.get_secret_value() == secret_text
    # A failing load mentions the secret's source, never its value.
    path = write_env(tmp_path / "bad.env", "not a binding\n")
    with pytest.raises(settings_module.SettingsError) as caught:
        settings_module.load_settings(path, environ=samples)
    assert secret_text not in str(caught.value)


# ------------------------------------------------------- env file location


def test_default_env_file_is_at_project_root_whatever_the_cwd(
    settings_module, engine, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    path, explicit = engine.resolve_env_path(None, {}, settings_module.LAYOUT)
    assert path == settings_module.PROJECT_ROOT / settings_module.ENV_FILE
    assert not explicit


def test_override_variable_names_another_env_file(settings_module, tmp_path, samples):
    path = write_env(tmp_path / "other.env", "not a binding\n")
    environ = {**samples, settings_module.ENV_FILE_OVERRIDE: str(path)}
    with pytest.raises(settings_module.SettingsError, match="other.env:1"):
        settings_module.load_settings(environ=environ)


def test_project_root_holds_pyproject(settings_module):
    assert (settings_module.PROJECT_ROOT / "pyproject.toml").is_file()


def child_env(settings_module, extra=None):
    """A minimal environment for a child Python that imports this very package."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT", "HOME")}
    env["PYTHONPATH"] = str(Path(settings_module.__file__).parents[1])
    return {**env, **(extra or {})}


def run_python(settings_module, cwd, *args, extra_env=None):
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True, text=True, cwd=cwd, check=False,
        env=child_env(settings_module, extra_env),
    )


def test_nothing_is_read_and_dotenv_not_imported_without_env_file(
    settings_module, tmp_path, samples
):
    package = settings_module.__package__
    code = (
        "import sys\n"
        f"from {package} import settings as s\n"
        "assert 'dotenv' not in sys.modules, 'imported at import time'\n"
        f"layout = s.LAYOUT.replace(root={str(tmp_path)!r})\n"
        f"loaded = s.load(s.Settings, environ={samples!r}, layout=layout)\n"
        "assert 'dotenv' not in sys.modules, 'imported without an env file'\n"
    )
    result = run_python(settings_module, tmp_path, "-c", code)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ export


def test_export_writes_strings_and_never_overrides(settings_module, env_file, variables, samples):
    if not variables:
        pytest.skip("no variable declared")
    settings = settings_module.load_settings(env_file, environ=samples)
    first, *rest = variables
    target = {first.name: "already set"}
    written = settings.export_to_environ(target)
    assert first.name not in written
    assert target[first.name] == "already set"
    assert written == [v.name for v in rest]
    assert all(isinstance(value, str) for value in target.values())
    # What was written loads back to the same values.
    again = settings_module.load_settings(env_file, environ={**target, first.name: samples[first.name]})
    assert again == settings


def test_repr_masks_url_passwords(settings_module, env_file, variables, samples):
    urls = only_declared(variables, "url")
    password = "p4ssw0rd-never-shown"
    environ = {**samples, **{v.name: f"postgresql://app:{password}@db/app" for v in urls}}
    settings = settings_module.load_settings(env_file, environ=environ)
    assert password not in repr(settings) + str(settings)
    assert "postgresql://app:**********@db/app" in repr(settings)


# --------------------------------------------------------------------- CLI


def test_report_masks_secrets_and_names_sources(settings_module, tmp_path, samples):
    env_file = write_env(tmp_path / "cli.env", "")
    module = f"{settings_module.__package__}.settings"
    result = run_python(
        settings_module, tmp_path, "-m", module, "--env-file", str(env_file), extra_env=samples
    )
    assert result.returncode == 0, result.stderr
    assert SAMPLES["secret"] not in result.stdout + result.stderr
    for name in samples:
        assert name in result.stdout


def test_report_fails_listing_every_problem(settings_module, tmp_path, variables):
    if not any(v.required for v in variables):
        pytest.skip("no required variable declared")
    env_file = write_env(tmp_path / "cli.env", "")
    module = f"{settings_module.__package__}.settings"
    result = run_python(settings_module, tmp_path, "-m", module, "--env-file", str(env_file))
    assert result.returncode == 1
    for variable in variables:
        if variable.required:
            assert variable.name in result.stderr


def test_check_compares_env_file_with_example(settings_module, engine, tmp_path, variables):
    if not variables:
        pytest.skip("no variable declared")
    lines = [f"{v.name}={SAMPLES[v.kind]}" for v in variables]
    path = write_env(tmp_path / "check.env", "\n".join(lines) + "\n")
    path.chmod(0o600)
    check = engine.check_env_file
    assert check(settings_module.Settings, settings_module.LAYOUT, env_file=path, environ={}) == []
    write_env(path, "\n".join(lines[1:]) + "\n")
    problems = check(settings_module.Settings, settings_module.LAYOUT, env_file=path, environ={})
    assert [p.code for p in problems] == ["missing-key"]
    assert variables[0].name in str(problems[0])
