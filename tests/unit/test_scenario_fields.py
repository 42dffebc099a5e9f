"""One field lookup, one bounds reader and one setter: every way into a scenario's fields answers alike.

``--set``, a sweep spec and a calibration prior name fields by dotted path; each must refuse a bad
path with the same line (after its own location). ``fields.bounds`` must agree with what pydantic
actually enforces, for every numeric field. And the input side stands on the ground floor: no
NumPy, nothing from the engine or anything else above it.
"""

from __future__ import annotations

import ast
import math
import typing
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import TypeAdapter, ValidationError

import exitban
from exitban.calibration.priors import build_priors
from exitban.calibration.targets import ScenarioCalibration
from exitban.errors import ScenarioError
from exitban.scenario import Institution, Scenario
from exitban.scenario.edit import apply_sets
from exitban.scenario.fields import bounds, field_at
from exitban.sweep.spec import build_tasks, load_spec

BAD_PATHS = [
    "regime.prosecution_threa",  # a misspelt field
    "regim.prosecution_threat",  # a misspelt table
    "institutions.oficers.desire_mean",  # an institution the scenario does not have
    "regime.prosecution_threat.x",  # a step below a value
    "regime",  # a table, not a value
]


@pytest.fixture(scope="module")
def army() -> Scenario:
    return exitban.load_scenario("army-officers-2019")


def _after(message: str, prefix: str) -> str:
    assert message.startswith(prefix), message
    return message.removeprefix(prefix)


def _from_set(army: Scenario, dotted: str, value: str) -> str:
    with pytest.raises(ScenarioError) as err:
        apply_sets(army, [f"{dotted}={value}"])
    return _after(str(err.value), "--set: ")


def _from_sweep(tmp_path: Path, dotted: str, value: str) -> str:
    spec = tmp_path / "spec.toml"
    spec.write_text(f'base = "army-officers-2019"\n[parameters."{dotted}"]\nvalues = [{value}]\n')
    with pytest.raises(ScenarioError) as err:
        build_tasks(*load_spec(spec))
    return str(err.value).split(": ", 2)[2]  # after "<spec path>: parameters: " or "...: design point 0 (...): "


def _from_prior(army: Scenario, dotted: str) -> str:
    with pytest.raises(ScenarioError) as err:
        build_priors(army, ScenarioCalibration(scale=0.01, parameters={dotted: {}}), "t.toml")
    return _after(str(err.value), "t.toml: calibrate.army-officers-2019: ")


@pytest.mark.parametrize("dotted", BAD_PATHS)
def test_a_bad_path_gets_the_same_line_from_set_sweep_and_prior(army, tmp_path, dotted) -> None:
    """The three ways of naming a field share one lookup: the same words after each one's location."""
    from_set = _from_set(army, dotted, "0.5")
    assert from_set == _from_sweep(tmp_path, dotted, "0.5") == _from_prior(army, dotted)
    assert dotted.split(".")[0] in from_set


def test_the_lines_say_what_is_wrong(army) -> None:
    """Each kind of bad path says which part is wrong and what is there instead."""
    lines = {dotted: _from_prior(army, dotted) for dotted in BAD_PATHS}
    assert lines["regime.prosecution_threa"].startswith(
        "unknown field 'regime.prosecution_threa' in [regime]: did you mean 'prosecution_threat'? allowed fields: "
    )
    assert "unknown field 'regim' in the scenario's top level: did you mean 'regime'?" in lines[BAD_PATHS[1]]
    assert "no institution 'oficers' in this scenario: did you mean 'officers'?" in lines[BAD_PATHS[2]]
    assert lines[BAD_PATHS[3]] == (
        "field 'regime.prosecution_threat.x' does not exist: 'regime.prosecution_threat' is a value, not a table"
    )
    assert lines["regime"] == "field 'regime' is a table, not a value: name one of its fields"


def test_a_switch_takes_only_true_or_false_from_every_way_in(army, tmp_path) -> None:
    """1 for a switch is refused alike by --set, a sweep and with_params, though pydantic's lax mode would take it."""
    line = "field 'regime.mobilization' = 1: Input should be a valid boolean (allowed: true or false)"
    assert _from_set(army, "regime.mobilization", "1") == line
    assert _from_sweep(tmp_path, "regime.mobilization", "1") == line
    with pytest.raises(ScenarioError, match=r"^with_params: field 'regime\.mobilization' = 1: Input should"):
        army.with_params({"regime.mobilization": 1})


def test_a_model_class_takes_any_institution_name_and_an_instance_only_its_own(army) -> None:
    """Without a scenario, any institution name reaches the Institution fields; with one, only its names do."""
    assert field_at(Scenario, "institutions.anyone.desire_mean") is Institution.model_fields["desire_mean"]
    assert field_at(army, "institutions.officers.desire_mean") is Institution.model_fields["desire_mean"]
    with pytest.raises(ScenarioError, match="no institution 'anyone'"):
        field_at(army, "institutions.anyone.desire_mean")


def _numeric_fields() -> list[tuple[str, Any]]:
    sections = [(n, f.annotation) for n, f in Scenario.model_fields.items() if hasattr(f.annotation, "model_fields")]
    models = [("", Scenario), *((f"{n}.", m) for n, m in sections), ("institutions.NAME.", Institution)]
    return [
        (f"{prefix}{name}", field)
        for prefix, model in models
        for name, field in model.model_fields.items()
        if field.annotation in (int, float)
    ]


@pytest.mark.parametrize(("dotted", "field"), _numeric_fields(), ids=lambda v: v if isinstance(v, str) else "")
def test_bounds_are_what_pydantic_enforces(dotted, field) -> None:
    """At each declared end pydantic accepts the end (closed) or refuses it (open), and refuses just beyond."""
    adapter = TypeAdapter(Annotated[field.annotation, field])
    span = bounds(field)
    assert span.low is not None and span.high is not None, f"{dotted} is unbounded: declare its range"
    step = (lambda x, toward: x + (1 if toward > x else -1)) if field.annotation is int else math.nextafter

    def accepted(value: float) -> bool:
        try:
            adapter.validate_python(value)
        except ValidationError:
            return False
        return True

    for end, is_open, outward in ((span.low, span.low_open, -math.inf), (span.high, span.high_open, math.inf)):
        assert accepted(end) is not is_open, (dotted, end)
        assert not accepted(step(end, outward)), (dotted, end)
        assert accepted(step(end, -outward)), (dotted, end)


def test_the_input_side_imports_no_numpy_and_nothing_above_it() -> None:
    """Modules of exitban.scenario import pydantic and the ground floor only (errors, files, reprs), never the engine."""
    package = Path(exitban.__file__).parent / "scenario"
    allowed = {"exitban.errors", "exitban.files", "exitban.reprs"}
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("numpy", "numba")), f"{path.name} imports {name}"
                if name.startswith("exitban"):
                    assert name in allowed or name.startswith("exitban.scenario"), f"{path.name} imports {name}"


def test_probability_fields_keep_their_declared_range() -> None:
    """The Probability alias carries [0, 1]: every field typed with it reports it, in `exitban show` too."""
    from exitban.scenario import schema

    tables = (schema.Regime, schema.Bureaucracy, schema.Pressure, schema.Behaviour, schema.Casualties, schema.Outputs)
    typed = [
        field
        for model in (*tables, Institution)
        for name, field in model.model_fields.items()
        if typing.get_type_hints(model, include_extras=True)[name] == schema.Probability
    ]
    # grant_share_free (issue 21); return_without_case_share, three of the help network, public_event_signal and
    # five of the central office (issue 22)
    assert len(typed) == 74
    assert {str(bounds(field)) for field in typed} == {"[0, 1]"}
