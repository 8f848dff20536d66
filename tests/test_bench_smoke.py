"""The benchmarks still run: bench/run.py --smoke runs every one once, with tiny sizes.

No time is asserted anywhere: shared CI machines are far too noisy for that. The
numbers come from a full ``python bench/run.py`` (see the README's Performance section).
The pydantic-settings baseline and the plot need the bench dependency group
(``pip install --group bench``); without it their tests are skipped, visibly.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.venv

REPO_ROOT = Path(__file__).resolve().parent.parent
RUNNER = REPO_ROOT / "bench" / "run.py"
GROUPS = {"loader", "no-env-file", "scale", "bootstrap", "generation", "validation"}


def readme_table() -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.find("<!-- bench-results:start -->")
    return text[start:text.find("<!-- bench-results:end -->")]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench-results")
    table = readme_table()
    result = subprocess.run(
        [sys.executable, str(RUNNER), "--smoke", "--out", str(out)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Only a full run into bench/results updates the README's table.
    assert readme_table() == table
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    data["out"] = out
    data["log"] = result.stdout
    return data


def test_every_benchmark_ran_once(smoke: dict) -> None:
    results = smoke["results"]
    assert {r["group"] for r in results} == GROUPS
    names = {(r["group"], r["name"]) for r in results}
    assert ("scale", "10 lines") in names and ("scale", "100 lines") in names
    bootstraps = {r["name"] for r in results if r["group"] == "bootstrap"}
    assert {"cold, pip", "cold, uv", "warm no-op re-run"} <= bootstraps
    for result in results:
        assert result["runs"] == 1 and result["warmup"] == 0
        for times in result["times"].values():
            assert len(times) == 1 and times[0] > 0
        for pair in result["pairs"]:
            assert math.isfinite(pair["ratio"]) and pair["ratio"] > 0


def test_targets_are_judged_not_asserted(smoke: dict) -> None:
    targets = {(r["group"], p["baseline"]): p for r in smoke["results"] for p in r["pairs"]
               if p["target"] is not None}
    assert targets[("loader", "dotenv_values() alone")]["target"] == 1.15
    assert targets[("no-env-file", "python -c pass")]["target"] == 1.25
    assert targets[("generation", "copier --version")]["target"] == 1.3
    for pair in targets.values():
        assert pair["met"] in (True, False)  # recorded either way; never a test failure


def test_table_and_machine(smoke: dict) -> None:
    text = (smoke["out"] / "results.md").read_text(encoding="utf-8")
    for group in GROUPS:
        assert f"| {group}: " in text
    for key in ("CPU", "OS", "Python (project venv, bootstrap)", "copier", "uv"):
        assert f"- {key}: " in text
        assert key in smoke["machine"]


def test_pydantic_settings_baseline(smoke: dict) -> None:
    if importlib.util.find_spec("pydantic_settings") is None:
        pytest.skip("pydantic-settings is not installed (pip install --group bench): "
                    "its baseline was not run")
    loader = next(r for r in smoke["results"] if r["group"] == "loader")
    assert "pydantic-settings" in {p["baseline"] for p in loader["pairs"]}


def test_plot(smoke: dict) -> None:
    if importlib.util.find_spec("matplotlib") is None:
        pytest.skip("matplotlib is not installed (pip install --group bench): no plot drawn")
    png = smoke["out"] / "results.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
