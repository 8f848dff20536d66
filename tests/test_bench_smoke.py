"""The benchmarks still run, and their verdict rule says what the README says.

bench/run.py --smoke runs every benchmark once, with tiny sizes. No time is asserted
anywhere: shared CI machines are far too noisy for that. The numbers come from a full
``python bench/run.py`` on an idle machine (see the README's Performance section). The
pydantic-settings baseline and the plot need the bench dependency group
(``pip install --group bench``); without it their tests are skipped, visibly.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import built_once

REPO_ROOT = Path(__file__).resolve().parent.parent
RUNNER = REPO_ROOT / "bench" / "run.py"
GROUPS = {"loader", "no-env-file", "layers", "secrets", "scale", "bootstrap", "generation",
          "validation"}
# Rows that wait for a loader feature: skipped, with the reason, by a loader without it.
# The loader has env layers and NAME_FILE secrets: every row runs.
NEEDS_A_FEATURE: set[str] = set()


def load_runner():
    spec = importlib.util.spec_from_file_location("bench_run", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = load_runner()


# --- the verdict rule, on made-up ratios ------------------------------------------------


def test_median_interval_uses_order_statistics_of_the_binomial():
    values = [float(v) for v in range(31, 0, -1)]  # 1..31, unsorted
    assert bench.median_interval(values) == (10.0, 22.0)
    assert bench.median_interval([float(v) for v in range(1, 12)]) == (2.0, 10.0)
    # Below 6 rounds no interval reaches 95%: no verdict can be reached.
    assert bench.median_interval([1.0, 2.0, 3.0, 4.0, 5.0]) is None


@pytest.mark.parametrize(("ratio", "interval", "others", "expected"), [
    (1.00, (0.98, 1.02), 0.01, "met"),
    (1.25, (1.20, 1.30), 0.01, "missed"),
    (1.12, (1.11, 1.13), 0.01, "inconclusive"),  # within 5% below 1.15
    (1.19, (1.18, 1.20), 0.01, "inconclusive"),  # within 5% above 1.15
    (1.00, (0.80, 1.20), 0.01, "inconclusive"),  # the interval holds the target
    (1.30, (1.10, 1.50), 0.01, "inconclusive"),
    (1.00, (0.98, 1.02), 0.30, "inconclusive"),  # others used 30% of the CPUs
    (1.00, None, 0.01, "inconclusive"),  # too few rounds
    (1.00, (0.98, 1.02), None, "met"),  # load not measurable: judged on the interval
])
def test_verdict_has_an_inconclusive_band(ratio, interval, others, expected):
    result, why = bench.verdict(ratio, interval, 1.15, others)
    assert result == expected
    assert (why != "") == (expected == "inconclusive")


def test_no_target_no_verdict():
    assert bench.verdict(3.0, (2.0, 4.0), None, 0.0) == (None, "")


@pytest.mark.venv
def test_start_up_code_of_the_base_python_is_named(tmp_path):
    """A .pth line that imports runs at every start of the interpreter: the bootstrap rows
    pay for it and uv by hand does not, so the machine section names such files."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    assert bench.startup_code(python, env) == "none"
    site = subprocess.run([python, "-c", "import site; print(site.getsitepackages()[0])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "paths-only.pth").write_text("extra-folder\n")
    (Path(site) / "runs-code.pth").write_text("import os; os.environ.get('X')\n")
    found = bench.startup_code(python, env)
    assert found.startswith("runs-code.pth (python -c pass: ")
    assert "paths-only" not in found


# --- instruction counts (--instructions) ------------------------------------------------


@pytest.mark.skipif(not shutil.which("valgrind"), reason="needs valgrind (callgrind)")
def test_instructions_are_counted_by_callgrind(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}

    def command(code: str):
        return bench.Command(code, [[sys.executable, "-c", code]], tmp_path, env)

    bare = bench.count_instructions(command("pass"), shutil.which("valgrind"))
    more = bench.count_instructions(command("import json, decimal"), shutil.which("valgrind"))
    assert 1 < bare < more  # millions: an interpreter start is tens of millions
    assert list(tmp_path.iterdir()) == []  # callgrind's output file is removed


def test_instruction_counts_get_a_table():
    result = {"group": "no-env-file", "name": "no env file", "subject": "load_settings()",
              "note": "", "runs": 1, "warmup": 0,
              "instructions": {"load_settings()": 104.04, "floor": 94.2}}
    table = bench.markdown([result | {"times": {"load_settings()": [1.0], "floor": [1.0]},
                                      "cpu_times": {"load_settings()": [None],
                                                    "floor": [None]},
                                      "load": {},
                                      "pairs": [{"baseline": "floor", "ratio": 1.0,
                                                 "interval": None, "cpu": None,
                                                 "target": None, "verdict": None,
                                                 "why": ""}]}],
                           {}, [], "now", "python bench/run.py")
    assert "| no-env-file: no env file | 104.0M | floor: 94.2M | 1.104 |" in table
    without = {**result, "times": {}, "cpu_times": {}, "load": {}, "pairs": []}
    del without["instructions"]
    assert "Instructions" not in bench.markdown([without], {}, [], "now", "run.py")


# --- one smoke run of every benchmark ---------------------------------------------------


def readme_table() -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.find("<!-- bench-results:start -->")
    return text[start:text.find("<!-- bench-results:end -->")]


def run_smoke(out: Path) -> None:
    table = readme_table()
    result = subprocess.run(
        [sys.executable, str(RUNNER), "--smoke", "--out", str(out)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Only a full run into bench/results updates the README's table.
    assert readme_table() == table
    (out / "log.txt").write_text(result.stdout, encoding="utf-8")


@pytest.fixture(scope="session")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One smoke run per test run, shared by the tests below (and by xdist workers)."""
    out = built_once(tmp_path_factory, "bench-smoke", run_smoke)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    data["out"] = out
    data["log"] = (out / "log.txt").read_text(encoding="utf-8")
    return data


def pairs_of(smoke: dict) -> dict[tuple[str, str], dict]:
    return {(r["group"], p["baseline"]): p for r in smoke["results"] for p in r["pairs"]}


@pytest.mark.venv
def test_every_benchmark_ran_once_or_says_why_not(smoke):
    ran = {r["group"] for r in smoke["results"]}
    skipped = {s["group"]: s for s in smoke["skipped"]}
    for group in GROUPS - ran:
        assert group in NEEDS_A_FEATURE, f"{group} did not run: {skipped.get(group)}"
        assert "this loader does not read" in skipped[group]["reason"]
    for item in smoke["skipped"]:
        assert item["reason"].strip(), item
    names = {(r["group"], r["name"]) for r in smoke["results"]}
    assert ("scale", "10 lines") in names and ("scale", "100 lines") in names
    bootstraps = {r["name"] for r in smoke["results"] if r["group"] == "bootstrap"}
    assert {"cold, pip", "warm no-op re-run"} <= bootstraps
    for result in smoke["results"]:
        assert result["runs"] == 1 and result["warmup"] == 0
        for label, times in result["times"].items():
            assert len(times) == 1 and times[0] > 0
            cpu = result["cpu_times"][label]
            if os.name == "posix":  # getrusage: CPU time of every run
                assert len(cpu) == 1 and cpu[0] is not None and cpu[0] >= 0
        for pair in result["pairs"]:
            assert math.isfinite(pair["ratio"]) and pair["ratio"] > 0
            if os.name == "posix":
                assert math.isfinite(pair["cpu"]["ratio"])


@pytest.mark.venv
def test_targets_are_judged_never_asserted(smoke):
    pairs = pairs_of(smoke)
    assert pairs[("loader", "dotenv_values() alone")]["target"] == 1.15
    assert pairs[("no-env-file", "python -c 'import re, typing, pathlib'")]["target"] == 1.15
    assert pairs[("no-env-file", "python -c pass")]["target"] is None
    assert pairs[("bootstrap", "python -c pass (clean venv python)")]["target"] == 3.0
    assert pairs[("generation", "copier copy of a one-file template")]["target"] == 1.3
    assert pairs[("generation", "copier --version (copier's floor)")]["target"] is None
    assert pairs[("layers", "dotenv_values() of the 3 files, merged")]["target"] == 1.15
    assert pairs[("secrets", "reading the 5 files in plain Python")]["target"] == 1.5
    # What NAME_FILE itself costs, over the imports any typed loader makes: shown, not judged.
    assert pairs[("secrets", "the same reads after import re, typing, pathlib")]["target"] is None
    for pair in pairs.values():
        if pair["target"] is None:
            assert pair["verdict"] is None
        else:  # one round has no confidence interval: never met, never missed
            assert pair["verdict"] == "inconclusive" and pair["why"]


@pytest.mark.venv
def test_rows_against_every_floor(smoke):
    pairs = pairs_of(smoke)
    for baseline in ("dotenv_values(file)", "dotenv_values(file, interpolate=False)"):
        assert ("scale", baseline) in pairs
    peer = [key for key in pairs if key[0] == "generation" and "copier-uv" in key[1]]
    if not peer:
        reasons = [s["reason"] for s in smoke["skipped"] if "copier-uv" in s["name"]]
        assert reasons and ("copier-uv.bundle" in reasons[0] or "peers" in reasons[0])
    validation = next(r for r in smoke["results"] if r["group"] == "validation")
    assert validation["in_process"] is True
    assert len(validation["pairs"]) == 1


@pytest.mark.venv
def test_table_load_and_machine(smoke):
    text = (smoke["out"] / "results.md").read_text(encoding="utf-8")
    for group in {r["group"] for r in smoke["results"]}:
        assert f"| {group}: " in text
    assert "| ratio (95% interval) | CPU ratio | target | verdict | others' CPU |" in text
    for key in ("CPU", "Load before the run", "OS", "Python (project venv, bootstrap)",
                "copier", "uv"):
        assert f"- {key}: " in text
        assert key in smoke["machine"]
    assert "bench: before the run: " in smoke["log"]
    if hasattr(os, "getloadavg"):
        assert len(smoke["load_before"]["loadavg"]) == 3
        for result in smoke["results"]:
            assert len(result["load"]["loadavg"]) == 3
    if Path("/proc/stat").exists():
        for result in smoke["results"]:
            assert 0 <= result["load"]["others"] <= 1


@pytest.mark.venv
def test_pydantic_settings_baseline(smoke):
    if importlib.util.find_spec("pydantic_settings") is None:
        pytest.skip("pydantic-settings is not installed (pip install --group bench): "
                    "its baseline was not run")
    assert ("loader", "pydantic-settings") in pairs_of(smoke)


@pytest.mark.venv
def test_plot(smoke):
    if importlib.util.find_spec("matplotlib") is None:
        pytest.skip("matplotlib is not installed (pip install --group bench): no plot drawn")
    png = smoke["out"] / "results.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
