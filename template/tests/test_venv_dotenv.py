"""Tests of the project's settings, whatever settings.py declares.

Written and updated by the copier-venv-dotenv template: ``copier update`` replaces this
file, so add your own tests in other files. It finds the settings module through
pyproject.toml's ``[tool.copier-venv-dotenv]`` table, and never reads the real env
files: every test passes its own environment and env files. It does read README.md, to
check that its settings reference (between the settings-reference markers) is up to
date with settings.py.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

# A valid value of each type as written in an env file.
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
# A value each type refuses (str, path, list and secret take any text).
INVALID = {"int": "forty", "float": "2,5", "bool": "maybe", "url": "no-scheme.example"}


def project_root() -> Path:
    """The folder of pyproject.toml above this file."""
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    raise LookupError(f"no pyproject.toml above {__file__}")


@pytest.fixture(scope="session")
def settings_module() -> ModuleType:
    """The module ``[tool.copier-venv-dotenv] settings`` names in pyproject.toml."""
    pyproject = project_root() / "pyproject.toml"
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    name = table.get("tool", {}).get("copier-venv-dotenv", {}).get("settings")
    if not isinstance(name, str):
        pytest.fail(
            f"{pyproject} has no settings = '<package>.settings' in its "
            "[tool.copier-venv-dotenv] table"
        )
    return importlib.import_module(name)


@pytest.fixture(scope="session")
def engine(settings_module: ModuleType) -> ModuleType:
    """The settings engine (``<package>._settings``) behind the settings module."""
    return importlib.import_module(f"{settings_module.__package__}._settings._engine")


@pytest.fixture(scope="session")
def cli(settings_module: ModuleType) -> ModuleType:
    """The engine's command line, with its checks."""
    return importlib.import_module(f"{settings_module.__package__}._settings._cli")


@pytest.fixture(scope="session")
def variables(settings_module: ModuleType) -> list[Any]:
    return list(settings_module.Settings.variables())


@pytest.fixture
def samples(variables: list[Any]) -> dict[str, str]:
    """An environment giving every declared variable a valid value."""
    return {v.name: SAMPLES[v.kind] for v in variables}


@pytest.fixture
def project(engine: ModuleType, tmp_path: Path) -> Any:
    """An empty project root: its env file does not exist."""
    return engine.Project(tmp_path)


def write_env(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def expected(settings_module: ModuleType, kind: str, text: str, root: Path) -> Any:
    """What ``text`` loads as for a variable of type ``kind``."""
    if kind == "path":
        return root / text
    if kind == "secret":
        return settings_module.Secret(text)
    return {"int": 42, "float": 2.5, "bool": True, "list": ["a", "b", "c"]}.get(
        kind, text
    )


def declared(variables: list[Any], *kinds: str) -> list[Any]:
    found = [v for v in variables if v.kind in kinds or not kinds]
    if not found:
        pytest.skip(f"no variable of type {'/'.join(kinds) or 'any'} is declared")
    return found


def load(settings_module: ModuleType, project: Any, **kwargs: Any) -> Any:
    return settings_module.Settings.load(project=project, **kwargs)


# ------------------------------------------------------------------ declarations


def test_settings_come_from_this_checkout(settings_module: ModuleType) -> None:
    """A venv copied from another checkout imports stale code: say so first."""
    where = Path(settings_module.__file__ or "").resolve()
    assert where.is_relative_to(project_root()), (
        f"{settings_module.__name__} comes from {where}, not from this checkout: "
        "run python3 scripts/bootstrap.py --recreate"
    )


def test_no_variable_is_declared_twice(
    settings_module: ModuleType, cli: ModuleType
) -> None:
    problems = cli.declared_twice(settings_module.Settings)
    assert not problems, "\n".join(map(str, problems))


def test_env_example_matches_the_declarations(
    settings_module: ModuleType, cli: ModuleType
) -> None:
    """Same names and defaults, no secret value, no reserved name
    (check --example-only)."""
    problems = cli.check_example(settings_module.Settings)
    assert not problems, "\n".join(map(str, problems))


def test_env_example_loads_as_the_defaults(
    settings_module: ModuleType, variables: list[Any], samples: dict[str, str]
) -> None:
    """.env.example read as an env file gives every variable its declared default."""
    required = {v.name: samples[v.name] for v in variables if v.required}
    example = project_root() / ".env.example"
    settings = settings_module.Settings.load(example, environ=required)
    for variable in variables:
        if variable.required:
            continue
        value = getattr(settings, variable.attr)
        default = variable.default
        if isinstance(default, Path):  # as a load takes it: ~ expanded, from the root
            default = settings_module.PROJECT_ROOT / default.expanduser()
        assert value == default, variable.name


def test_attributes_are_the_lower_case_names(variables: list[Any]) -> None:
    for variable in variables:
        assert variable.attr == variable.name.lower()


def test_the_readme_settings_reference_is_up_to_date(
    settings_module: ModuleType, cli: ModuleType
) -> None:
    """The table between README.md's settings-reference markers documents settings.py
    (a README without the markers is the project's own: nothing to check)."""
    readme = project_root() / "README.md"
    problem = cli.reference_problem(settings_module.Settings, readme)
    assert not problem, problem


# -------------------------------------------------------------------- where from


def test_values_from_the_environment_are_typed(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    settings = load(settings_module, project, environ=samples)
    for variable in variables:
        text = SAMPLES[variable.kind]
        want = expected(settings_module, variable.kind, text, project.root)
        assert getattr(settings, variable.attr) == want, variable.name
        assert str(settings.sources()[variable.attr]) == "environment"


def test_values_from_the_env_file_name_their_line(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    declared(variables)
    lines = [f"{name}='{value}'" for name, value in samples.items()]
    path = write_env(project.root / ".env", "# header\n\n" + "\n".join(lines) + "\n")
    settings = load(settings_module, project, environ={})
    for index, variable in enumerate(variables):
        assert str(settings.sources()[variable.attr]) == f"{path}:{index + 3}"
        want = expected(
            settings_module, variable.kind, SAMPLES[variable.kind], project.root
        )
        assert getattr(settings, variable.attr) == want, variable.name


def test_environment_beats_env_file_beats_default(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    env_file = project.root / ".env"
    for variable in variables:
        write_env(env_file, f"{variable.name}={SAMPLES[variable.kind]}\n")
        others = {k: v for k, v in samples.items() if k != variable.name}
        loaded = load(settings_module, project, environ=samples)
        assert str(loaded.sources()[variable.attr]) == "environment"
        loaded = load(settings_module, project, environ=others)
        assert str(loaded.sources()[variable.attr]) == f"{env_file}:1"
        if not variable.required:
            write_env(env_file, "")
            loaded = load(settings_module, project, environ=others)
            assert str(loaded.sources()[variable.attr]) == "default"


def test_a_higher_layer_wins_and_the_mode_chooses_its_files(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    """.env < .env.<mode> < .env.local < .env.<mode>.local, the mode from
    <PACKAGE>_ENV."""
    declared(variables)
    text = "".join(f"{name}='{value}'\n" for name, value in samples.items())
    layers = [".env", ".env.test", ".env.local", ".env.test.local"]
    for name in layers:
        write_env(project.root / name, text)
    for highest in reversed(layers):
        settings = load(settings_module, project, environ={project.mode_name: "test"})
        for variable in variables:
            if variable.name == project.mode_name:
                continue  # declared to read the mode: the environment gives it
            origin = str(settings.sources()[variable.attr])
            assert origin.startswith(f"{project.root / highest}:"), variable.name
        (project.root / highest).unlink()
    # Without a mode (or in another one), no mode file is read: this one would fail.
    write_env(project.root / ".env.test", "not a binding\n")
    required = {v.name: samples[v.name] for v in variables if v.required}
    load(settings_module, project, environ=required)
    load(settings_module, project, environ={**required, project.mode_name: "ci"})


def test_secrets_come_from_name_file(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
    tmp_path: Path,
) -> None:
    """NAME_FILE names a file holding NAME's value (Docker and Kubernetes secrets)."""
    secrets = [v for v in declared(variables, "secret") if v.from_file]
    if not secrets:
        pytest.skip("every secret is declared with from_file=False")
    environ = {k: v for k, v in samples.items() if k not in {v.name for v in secrets}}
    for variable in secrets:
        path = write_env(tmp_path / variable.name.lower(), SAMPLES["secret"] + "\n")
        environ[f"{variable.name}_FILE"] = str(path)
    settings = load(settings_module, project, environ=environ)
    for variable in secrets:
        value = getattr(settings, variable.attr)
        assert value.get_secret_value() == SAMPLES["secret"], variable.name
        origin = str(settings.sources()[variable.attr])
        assert origin == f"{tmp_path / variable.name.lower()} ({variable.name}_FILE)"
    both = {**environ, secrets[0].name: "also set"}
    with pytest.raises(settings_module.SettingsError, match="both set"):
        load(settings_module, project, environ=both)


def test_an_empty_value_means_not_set(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    for variable in variables:
        path = write_env(
            project.root / ".env", f"{variable.name}={SAMPLES[variable.kind]}\n"
        )
        settings = load(
            settings_module, project, environ={**samples, variable.name: ""}
        )
        assert str(settings.sources()[variable.attr]) == f"{path}:1"


# ---------------------------------------------------------------------- problems


def test_every_missing_required_variable_is_named_at_once(
    settings_module: ModuleType, project: Any, variables: list[Any]
) -> None:
    required = [v for v in variables if v.required]
    if not required:
        pytest.skip("no required variable is declared")
    with pytest.raises(settings_module.SettingsError) as caught:
        load(settings_module, project, environ={})
    assert sorted(p.variable for p in caught.value.problems) == sorted(
        v.name for v in required
    )


def test_invalid_values_are_reported_together_with_their_source(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    typed = declared(variables, *INVALID)
    path = write_env(
        project.root / ".env", "".join(f"{v.name}={INVALID[v.kind]}\n" for v in typed)
    )
    environ = {k: v for k, v in samples.items() if k not in {v.name for v in typed}}
    with pytest.raises(settings_module.SettingsError) as caught:
        load(settings_module, project, environ=environ)
    problems = caught.value.problems
    assert [p.variable for p in problems] == [v.name for v in typed]
    for line, (variable, problem) in enumerate(
        zip(typed, problems, strict=True), start=1
    ):
        assert f"{variable.name} (from {path}:{line})" in str(problem)


def test_a_broken_line_is_named_but_not_shown(
    settings_module: ModuleType, project: Any, samples: dict[str, str]
) -> None:
    path = write_env(
        project.root / ".env", '# ok\nGOOD=1\nnot a binding\nX="unclosed\n'
    )
    with pytest.raises(settings_module.SettingsError) as caught:
        load(settings_module, project, environ=samples)
    message = str(caught.value)
    assert f"{path}:3" in message and f"{path}:4" in message
    assert "not a binding" not in message and "unclosed" not in message


def test_secrets_are_never_shown(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    secrets = declared(variables, "secret")
    secret = SAMPLES["secret"]
    settings = load(settings_module, project, environ=samples)
    # settings.__dict__, what vars() gives: pyright cannot type vars() of an Any.
    shown = repr(settings) + str(settings.__dict__) + str(settings.as_dict())
    assert secret not in shown
    for variable in secrets:
        assert getattr(settings, variable.attr).get_secret_value() == secret
    write_env(
        project.root / ".env", f"NOT_A_NUMBER=${{{secrets[0].name}}}\nbroken line\n"
    )
    with pytest.raises(settings_module.SettingsError) as caught:
        load(settings_module, project, environ=samples)
    assert secret not in str(caught.value)


# ------------------------------------------------------------- the env file


def test_the_env_files_are_at_the_project_root_whatever_the_cwd(
    engine: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = engine.current_project()
    if project.root is None:  # installed as a wheel (nox, tox): it reads no env file
        pytest.skip("the package is installed without its project: no env file is read")
    base, private = engine.env_layers(project, {})
    assert base.path == project_root() / project.env_file
    assert private.path == engine.private_layer(project)
    assert private.path.name == base.path.name + ".local"


def test_the_override_variable_names_another_env_file(
    settings_module: ModuleType, project: Any, tmp_path: Path, samples: dict[str, str]
) -> None:
    path = write_env(tmp_path / "other.env", "not a binding\n")
    with pytest.raises(settings_module.SettingsError, match="other.env:1"):
        load(
            settings_module,
            project,
            environ={**samples, project.override_name: str(path)},
        )


def run_python(
    *args: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """This interpreter in a clean environment (none of the developer's variables)."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT", "HOME")}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**keep, **env},
        check=False,
    )


def test_python_dotenv_is_not_imported_without_an_env_file(
    settings_module: ModuleType, tmp_path: Path, samples: dict[str, str]
) -> None:
    code = (
        "import sys\n"
        f"from {settings_module.__package__} import settings, _settings\n"
        f"settings.Settings.load(project=_settings.Project({str(tmp_path)!r}))\n"
        "assert 'dotenv' not in sys.modules, 'python-dotenv was imported'\n"
        f"assert '{settings_module.__package__}._settings._files' not in sys.modules\n"
    )
    result = run_python("-c", code, cwd=tmp_path, env=samples)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------- export and the CLI


def test_export_writes_text_and_never_overrides(
    settings_module: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    first, *rest = declared(variables)
    settings = load(settings_module, project, environ=samples)
    target = {first.name: "already set"}
    assert settings.export_to_environ(target) == [v.name for v in rest]
    assert target[first.name] == "already set"
    again = load(
        settings_module, project, environ={**target, first.name: samples[first.name]}
    )
    assert again == settings


@pytest.fixture
def env_file(tmp_path: Path) -> Iterator[Path]:
    path = write_env(tmp_path / "cli.env", "")
    path.chmod(0o600)
    yield path


def test_the_report_masks_secrets_and_names_sources(
    settings_module: ModuleType, env_file: Path, tmp_path: Path, samples: dict[str, str]
) -> None:
    module = settings_module.__name__
    result = run_python(
        "-m", module, "--env-file", str(env_file), cwd=tmp_path, env=samples
    )
    assert result.returncode == 0, result.stderr
    assert SAMPLES["secret"] not in result.stdout + result.stderr
    for name in samples:
        assert name in result.stdout


def test_check_compares_the_env_file_with_the_example(
    settings_module: ModuleType, cli: ModuleType, env_file: Path, variables: list[Any]
) -> None:
    if not variables:
        pytest.skip("no variable is declared")
    lines = [f"{v.name}={SAMPLES[v.kind]}" for v in variables]
    write_env(env_file, "\n".join(lines) + "\n")
    check = cli.check_env_file
    assert check(settings_module.Settings, env_file=env_file, environ={}) == []
    # A required variable must be set; one with a default may be left out (init writes
    # it commented out), its default applies.
    for index, variable in enumerate(variables):
        write_env(env_file, "\n".join(lines[:index] + lines[index + 1 :]) + "\n")
        problems = check(settings_module.Settings, env_file=env_file, environ={})
        codes = [p.code for p in problems]
        assert codes == (["missing-key"] if variable.required else []), variable.name
        assert all(variable.name in str(p) for p in problems)


def test_init_documents_defaults_without_shadowing_the_mode_files(
    settings_module: ModuleType,
    cli: ModuleType,
    project: Any,
    variables: list[Any],
    samples: dict[str, str],
) -> None:
    """init's private layer (.env.local) gives each required secret a random value,
    leaves each required variable for you to fill, and writes each variable with a
    default commented out (``# NAME=default``): .env.local wins in every mode, so a
    value there would hide .env.<mode>'s."""
    defaulted = [
        v
        for v in variables
        if not v.required and not v.secret and v.name != project.mode_name
    ]
    if not defaulted:
        pytest.skip("no variable with a default is declared")
    example = (project_root() / ".env.example").read_text(encoding="utf-8")
    write_env(project.root / ".env.example", example)
    result, problems = cli.init(settings_module.Settings, project, {})
    assert problems == []
    assert result["created"] == str(project.root / ".env.local")
    text = (project.root / ".env.local").read_text(encoding="utf-8")
    lines = [line.removeprefix("export ") for line in text.splitlines()]
    for variable in defaulted:
        if f"{variable.name}=" in example:  # commented out, e.g. `# export NAME=x`
            assert not any(line.startswith(f"{variable.name}=") for line in lines)
            assert any(
                line.startswith("#") and f" {variable.name}=" in line for line in lines
            ), variable.name
    write_env(
        project.root / ".env.test",
        "".join(f"{v.name}='{samples[v.name]}'\n" for v in defaulted),
    )
    required = {v.name: samples[v.name] for v in variables if v.required}
    settings = load(
        settings_module, project, environ={**required, project.mode_name: "test"}
    )
    for variable in defaulted:
        origin = str(settings.sources()[variable.attr])
        assert origin.startswith(f"{project.root / '.env.test'}:"), variable.name
