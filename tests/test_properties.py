"""Property: any env_vars answer the rules accept renders an exact .env.example."""

from __future__ import annotations

import copier
import venv_dotenv_rules as rules
import yaml
from dotenv import dotenv_values
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

NAMES = st.from_regex(r"[A-Z][A-Z0-9_]{0,12}", fullmatch=True)
# Any text a user might type, including quotes, '#', '=', ',' and non-ASCII letters.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=20,
)
VALUES_BY_TYPE = {
    "str": TEXT,
    "int": st.integers(-10**6, 10**6).map(str),
    "float": st.floats(allow_nan=False, allow_infinity=False).map(repr),
    "bool": st.sampled_from(rules.BOOL_WORDS),
    "url": st.from_regex(r"(https?|sqlite|redis)://[a-z0-9./:@_-]{0,20}", fullmatch=True),
    "path": TEXT,
    "list": TEXT,
    "secret": st.just(""),
}


@st.composite
def entries(draw):
    kind = draw(st.sampled_from(rules.ENV_TYPES))
    entry = {"name": draw(NAMES), "type": kind}
    if draw(st.booleans()):
        entry["default"] = draw(VALUES_BY_TYPE[kind])
    return entry


def one_line(entry: dict) -> str:
    text = f"{entry['name']}:{entry['type']}"
    if "default" in entry:
        default = entry["default"]
        text += "=" + ('"' + default.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return text


ANSWERS = st.lists(entries(), max_size=6).flatmap(
    lambda items: st.sampled_from([items, ", ".join(map(one_line, items))])
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(answer=ANSWERS)
def test_accepted_answers_round_trip_through_env_example(template_repo, tmp_path_factory, answer):
    # Copier parses a yaml answer given as text, as it would from --data; text YAML
    # itself rejects (control characters) never reaches the rules.
    parsed_answer = answer
    if isinstance(answer, str):
        try:
            parsed_answer = yaml.safe_load(answer)
        except yaml.YAMLError:
            assume(False)
    assume(rules.check_env_vars(parsed_answer, "demo") == "")
    declared = rules.parse_env_vars(parsed_answer, "demo")
    dst = tmp_path_factory.mktemp("prop") / "demo"
    copier.run_copy(
        str(template_repo), str(dst), data={"package_name": "demo", "env_vars": answer},
        defaults=True, unsafe=True, quiet=True, vcs_ref="HEAD", settings=copier.Settings(),
    )
    read_back = dotenv_values(dst / ".env.example")
    assert list(read_back) == [var.name for var in declared]
    assert read_back == {var.name: var.default or "" for var in declared}
