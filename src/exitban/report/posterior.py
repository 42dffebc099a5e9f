"""Posterior predictive runs: a calibration's posterior, checked (``calibration.posterior``), and scenarios
drawn from it.

A posterior (``posterior.parquet``, written by a calibration) holds one row per particle: the
calibrated parameters as dotted columns (``behaviour.absence_bias``) and a ``weight``. The
report's bands over N runs then vary the parameters as well as the seed: run k (k >= 1) takes
seed ``seed + k`` and the k-th of N parameter sets drawn by weight.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from exitban.calibration.posterior import check_parameters, read_posterior
from exitban.errors import ScenarioError
from exitban.scenario import Scenario


def drawn_scenarios(
    scenario: Scenario, path: str | Path, n: int, seed: int, fixed: Collection[str] = ()
) -> list[Scenario]:
    """``n`` copies of ``scenario``, each with one parameter set drawn from the posterior at ``path``.

    The draws are ``record.draw_parameters(posterior, n, seed)``, deterministic in ``seed``. A column
    that names no field of the scenario, a value outside a field's range, or a parameter among
    ``fixed`` (fields set with ``--set``, which a draw would silently undo) is refused, naming the file.
    """
    from exitban.calibration.record import draw_parameters

    posterior = read_posterior(path)
    check_parameters(posterior, scenario, path)
    draws = draw_parameters(posterior, n, seed)
    clash = sorted(set(fixed).intersection(draws[0])) if draws else []
    if clash:
        raise ScenarioError(
            f"{path}: draws {', '.join(clash)}, which --set also fixes; drop the --set or the posterior"
        )
    return [scenario.with_params(d, where=str(path)) for d in draws]
