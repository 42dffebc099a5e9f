"""Sweep specs: validation errors name the file and field; designs and seeds are fixed before dispatch."""

from __future__ import annotations

from pathlib import Path

import pytest

from exitban.errors import ScenarioError
from exitban.sweep.spec import SweepSpec, build_tasks, derive_seed, load_spec

BASE = """
name = "t"
base = "army-officers-2019"
days = 10
scale = 0.002
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(BASE + body)
    return path


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    """A misspelt key in the spec is an error naming the file and the key, not silently ignored."""
    path = _write(tmp_path, 'replicatons = 3\n[parameters."regime.prosecution_threat"]\nvalues = [0.1]\n')
    with pytest.raises(ScenarioError, match=r"spec\.toml: unknown field 'replicatons'.*did you mean 'replications'"):
        load_spec(path)


def test_unknown_parameter_path_names_spec_and_field(tmp_path: Path) -> None:
    """A parameter path that is not a scenario field is refused with the closest field and the fields that exist."""
    path = _write(tmp_path, '[parameters."regime.prosecution_thret"]\nvalues = [0.1]\n')
    spec, p = load_spec(path)
    with pytest.raises(
        ScenarioError,
        match=r"spec\.toml: parameters: unknown field 'regime\.prosecution_thret' in \[regime\]: "
        r"did you mean 'prosecution_threat'\? allowed fields: resignation_ban, ",
    ):
        build_tasks(spec, p)


def test_out_of_range_value_names_parameter_and_allowed_range(tmp_path: Path) -> None:
    """A value outside a field's bounds fails before any run, naming spec, parameter, value and bound."""
    path = _write(tmp_path, '[parameters."regime.prosecution_threat"]\nrange = [0.5, 1.5]\n')
    spec, p = load_spec(path)
    with pytest.raises(
        ScenarioError,
        match=r"spec\.toml: design point 2.*'regime\.prosecution_threat' = 1\.5.*allowed: a number from 0 to 1",
    ):
        build_tasks(spec, p)


def test_sobol_needs_a_power_of_two(tmp_path: Path) -> None:
    """Sobol sampling with a sample size that is not a power of two is refused with the rule."""
    path = _write(
        tmp_path, 'design = "sobol"\nsamples = 10\n[parameters."regime.prosecution_threat"]\nrange = [0, 1]\n'
    )
    with pytest.raises(ScenarioError, match="power of 2"):
        load_spec(path)


def test_values_lists_only_on_grids(tmp_path: Path) -> None:
    """Samplers need ranges: a values list under a Latin hypercube design is refused."""
    path = _write(tmp_path, 'design = "latin"\nsamples = 4\n[parameters."regime.prosecution_threat"]\nvalues = [0.1]\n')
    with pytest.raises(ScenarioError, match="needs a 'range' for every parameter"):
        load_spec(path)


def test_grid_is_the_product_with_replications(tmp_path: Path) -> None:
    """A 3x2 grid with 2 replications gives 12 runs, with integer fields rounded to integers."""
    path = _write(
        tmp_path,
        'replications = 2\n[parameters."regime.prosecution_threat"]\nvalues = [0.1, 0.2, 0.3]\n'
        '[parameters."bureaucracy.ministry_capacity_per_day"]\nrange = [5, 40]\nlevels = 2\n',
    )
    tasks = build_tasks(*load_spec(path))
    assert len(tasks) == 12
    assert {t.params["bureaucracy.ministry_capacity_per_day"] for t in tasks} == {5, 40}
    assert all(isinstance(t.scenario["bureaucracy"]["ministry_capacity_per_day"], int) for t in tasks)
    assert {t.scenario["regime"]["prosecution_threat"] for t in tasks} == {0.1, 0.2, 0.3}


def test_nested_institution_parameter_is_applied(tmp_path: Path) -> None:
    """A path into an institution table changes that institution only."""
    path = _write(tmp_path, '[parameters."institutions.officers.desire_mean"]\nvalues = [0.9]\n')
    (task,) = build_tasks(*load_spec(path))
    assert task.scenario["institutions"]["officers"]["desire_mean"] == 0.9
    assert task.scenario["institutions"]["cadets"]["desire_mean"] != 0.9


def test_seeds_depend_only_on_root_seed_and_replicate() -> None:
    """Seeds are a function of (root seed, replicate) under common random numbers, distinct across replicates."""
    spec = SweepSpec.model_validate(
        {"base": "army-officers-2019", "days": 5, "scale": 0.002, "replications": 3, "root_seed": 11,
         "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.2]}}}
    )  # fmt: skip
    tasks = build_tasks(spec)
    by_rep = {(t.point, t.replicate): t.seed for t in tasks}
    assert by_rep[(0, 1)] == by_rep[(1, 1)] == derive_seed(11, 1)
    assert len({by_rep[(0, r)] for r in range(3)}) == 3
    assert [t.seed for t in build_tasks(spec)] == [t.seed for t in tasks]


def test_independent_seeds_differ_across_points() -> None:
    """With common_random_numbers = false every run gets its own seed."""
    spec = SweepSpec.model_validate(
        {"base": "army-officers-2019", "days": 5, "scale": 0.002, "replications": 2, "root_seed": 11,
         "common_random_numbers": False, "parameters": {"regime.prosecution_threat": {"values": [0.1, 0.2]}}}
    )  # fmt: skip
    assert len({t.seed for t in build_tasks(spec)}) == 4


def test_sampled_designs_are_reproducible() -> None:
    """The same root seed gives the same Latin hypercube; another root seed gives another one."""
    spec = {"base": "army-officers-2019", "design": "latin", "samples": 8,
            "parameters": {"regime.prosecution_threat": {"range": [0, 1]}, "pressure.pressure_rate": {"range": [0, 0.1]}}}  # fmt: skip
    a = SweepSpec.model_validate({**spec, "root_seed": 1}).design_matrix()
    b = SweepSpec.model_validate({**spec, "root_seed": 1}).design_matrix()
    c = SweepSpec.model_validate({**spec, "root_seed": 2}).design_matrix()
    assert a == b != c
    assert len(a) == 8 and all(0 <= x <= 1 and 0 <= y <= 0.1 for x, y in a)


def test_listed_fraction_for_an_integer_field_is_an_error(tmp_path: Path) -> None:
    """Only values drawn from a range are rounded; a listed 7.5 for an integer field is refused."""
    path = _write(tmp_path, '[parameters."bureaucracy.ministry_capacity_per_day"]\nvalues = [7.5]\n')
    with pytest.raises(ScenarioError, match=r"(?s)ministry_capacity_per_day = 7\.5.*valid integer"):
        build_tasks(*load_spec(path))


def test_changing_the_base_scenario_changes_the_store_identity(tmp_path: Path) -> None:
    """A spec whose base file changed gets a different manifest hash, so its store is not reused."""
    from exitban.sweep.spec import manifest

    base = tmp_path / "base.toml"
    base.write_text('extends = "army-officers-2019"\nname = "b"\n[regime]\nunity_pressure = 0.1\n')
    path = _write(tmp_path, '[parameters."regime.prosecution_threat"]\nvalues = [0.1]\n')
    path.write_text(path.read_text().replace('base = "army-officers-2019"', 'base = "base.toml"'))
    spec, _ = load_spec(path)
    first = manifest(spec, build_tasks(spec, path))["spec_hash"]
    base.write_text(base.read_text().replace("0.1", "0.2"))
    assert manifest(spec, build_tasks(spec, path))["spec_hash"] != first
