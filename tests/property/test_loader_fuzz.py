"""Fuzz the scenario loader: no input, however broken, raises anything but ScenarioError."""

from __future__ import annotations

import datetime
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from exitban import Scenario, ScenarioError, list_scenarios, load_scenario
from exitban.scenario.fields import leaf_values
from exitban.scenario.load import to_toml
from exitban.scenario.names import BIDI_CONTROLS

SETTINGS = settings(
    max_examples=int(os.environ.get("EXITBAN_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
_TMP = tempfile.TemporaryDirectory(prefix="exitban-fuzz-")  # removed when the test process exits
WORKDIR = Path(_TMP.name)

# Real field names, so mutations often reach validation rather than stopping at 'unknown field'.
_BASE = load_scenario("army-officers-2019")
FIELDS = sorted(leaf_values(_BASE))
SECTIONS = ["regime", "bureaucracy", "pressure", "behaviour", "outputs", "institutions", "provenance"]

scalars = st.one_of(
    st.booleans(),
    st.floats(min_value=0, max_value=1),  # in range for most fields: lets mutations load and round-trip
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2, -1, 36_500, 36_501, 50_000_000, 50_000_001]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1.0, 1.0000001, -0.0, -1e-9, 10.0, 10.5]),
    st.text(max_size=20),  # control characters included: titles must survive to_toml
    st.sampled_from(["on", "off", "auto", "cadet", "army-officers-2019", "", "__import__('os')"]),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def toml_value(value: Any) -> str:
    """Any TOML value, written inline (tables as inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are TOML basic-string escapes
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(data: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in data.items())


def set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for key in parents:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[leaf] = value


def _load_file(text: str | bytes, extends: str | None = None, counter: list[int] = [0]) -> Scenario | None:  # noqa: B006
    """Load ``text`` from a fresh file; a refusal must name that file (or the file it extends)."""
    counter[0] += 1
    path = WORKDIR / f"case{counter[0]}.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        message = str(exc)
        assert message and "Traceback" not in message
        assert path.name in message or (extends is not None and extends.lstrip("./") in message), message
        return None


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(blob: bytes) -> None:
    """Arbitrary bytes are refused as unreadable or malformed TOML, never a crash."""
    _load_file(blob)


@SETTINGS
@given(st.text(alphabet="[]{}=.\"'#,\n -_+:0123456789abcdefinstuvxyz\\", max_size=300))
def test_random_toml_like_text(text: str) -> None:
    """Text made of TOML's own punctuation loads or fails with ScenarioError only."""
    _load_file(text)


mutations = st.lists(
    st.tuples(st.sampled_from(FIELDS) | st.sampled_from(SECTIONS) | st.text(min_size=1, max_size=12), values),
    min_size=1,
    max_size=4,
)


@SETTINGS
@given(
    mutations=mutations,
    extends=st.none() | st.sampled_from([*list_scenarios(), "nope", "../../etc/passwd", "/dev/zero", "."]),
)
def test_mutated_scenarios(mutations: list[tuple[str, Any]], extends: str | None) -> None:
    """A valid scenario with random fields set to random values loads, or fails with ScenarioError only.

    Whatever loads must write back to TOML (to_toml) and load again to an equal scenario.
    """
    data: dict[str, Any] = {"name": "fuzz", "institutions": {"a": {"kind": "cadet", "size": 500}}}
    if extends is not None:
        data["extends"] = extends
    for dotted, value in mutations:
        set_dotted(data, dotted, value)
    loaded = _load_file(toml_document(data), extends)
    event("loaded" if loaded is not None else "refused")
    if loaded is not None:
        again = _load_file(to_toml(loaded))
        assert again is not None
        assert again.content_hash() == loaded.content_hash()
        assert again.title == loaded.title and again.description == loaded.description


def _typed(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same TOML type as ``value``, in and around a typical field's range."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(min_value=-2, max_value=60_000)
    if isinstance(value, float):
        return st.floats(min_value=-0.5, max_value=1.5) | st.floats(min_value=-25, max_value=60)
    return st.text(max_size=30)


TYPED = {k: _typed(v) for k, v in leaf_values(_BASE).items() if k not in {"extends", "name"}}


@SETTINGS
@given(st.lists(st.sampled_from(sorted(TYPED)).flatmap(lambda k: st.tuples(st.just(k), TYPED[k])), max_size=5))
def test_typed_mutations_round_trip(changes: list[tuple[str, Any]]) -> None:
    """Fields of army-officers-2019 set to values of the right type load or fail cleanly; loaded ones round-trip."""
    data: dict[str, Any] = {"extends": "army-officers-2019", "name": "fuzz"}
    for dotted, value in changes:
        set_dotted(data, dotted, value)
    loaded = _load_file(toml_document(data))
    event("loaded" if loaded is not None else "refused")
    if loaded is not None:
        again = _load_file(to_toml(loaded))
        assert again is not None
        assert again.content_hash() == loaded.content_hash() and again.title == loaded.title


# what exitban.scenario.names accepts in a title or label: no control characters, line separators or bidi overrides
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=BIDI_CONTROLS)


@SETTINGS
@given(
    title=st.text(_PRINTABLE, max_size=40),
    label=st.text(_PRINTABLE, max_size=40),
    description=st.text(st.one_of(_PRINTABLE, st.sampled_from("\n\t")), max_size=40),
)
def test_any_text_survives_to_toml(title: str, label: str, description: str) -> None:
    """Free-text fields (quotes, backslashes, new lines in a description) are written back as readable TOML."""
    sc = _BASE.with_overrides(title=title, description=description)
    officers = sc.institutions["officers"].model_copy(update={"label": label})
    sc = sc.with_overrides(institutions={**sc.institutions, "officers": officers})
    again = _load_file(to_toml(sc))
    assert again is not None
    assert again.title == title and again.institutions["officers"].label == label
    assert again.description == description
