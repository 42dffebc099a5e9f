"""R9 as source B tells it: the ministry's order comes after the commander's signature, one more wall."""

from __future__ import annotations

import numpy as np
import pytest

from exitban import simulate
from exitban.engine.codes import EXIT_APPROVED
from tests.helpers import paired, scenario


def lieutenants_released(result) -> float:
    """Juniors released through the approved channel (a signature, and under R9 the ministry's order)."""
    pop = result.population
    return float(np.sum((pop.junior == 1) & (pop.status == EXIT_APPROVED)))


@pytest.mark.mechanism("R9", "R8")
def test_decentralized_approvals_release_more_lieutenants() -> None:
    """B:52,76: with the ministry's order required after the signature, fewer lieutenants are released than when
    the commander's signature is enough (the shipped counterfactual), seed by seed."""
    # few lieutenants are signed off in a year under the ban: a tenth of the army shows it seed by seed
    central = scenario("army-officers-2019", scale=0.1, days=365)
    local = scenario("army-officers-2019-approvals-decentralized", scale=0.1, days=365)
    pairs = paired(central, local, lieutenants_released, range(5))
    for walled, signed in pairs:
        assert signed >= walled, pairs
    assert sum(s for _, s in pairs) > 2 * sum(w for w, _ in pairs) + 5, pairs


@pytest.mark.mechanism("R9")
def test_only_signed_requests_reach_the_ministry() -> None:
    """No signature, no ministry: with the commander never signing, no lieutenant waits at the ministry."""
    never = scenario("army-officers-2019", days=240, **{"bureaucracy.sign_prob_banned": 0.0})
    for seed in range(3):
        result = simulate(never, seed=seed)
        assert float(result.timeseries["backlog_ministry"].sum()) == 0.0
        assert lieutenants_released(result) == 0.0
