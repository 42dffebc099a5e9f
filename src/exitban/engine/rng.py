"""Counter-based random numbers: a draw is a pure function of (seed, day, agent, stream).

A stateful generator shared by threads would make results depend on how work is
split; hashing the coordinates of each draw instead (the idea behind Philox and
other counter-based generators) gives the same bytes with 1 thread or 16.
The mixer is SplitMix64's finaliser, which passes BigCrush on counter input.
"""

from __future__ import annotations

import numba as nb
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_DAY = np.uint64(0xD1B54A32D192ED03)
_STREAM = np.uint64(0x8CB92BA72F3D8DD7)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@nb.njit(inline="always", cache=True)
def _mix(z: np.uint64) -> np.uint64:
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@nb.njit(inline="always", cache=True)
def uniform(seed: np.uint64, day: int, agent: int, stream: int) -> float:
    """A uniform number in [0, 1) for this seed, day, agent and stream."""
    z = seed + np.uint64(agent) * _GOLDEN
    z = _mix(z ^ (np.uint64(day + 1) * _DAY))
    z = _mix(z + np.uint64(stream + 1) * _STREAM)
    return float(z >> np.uint64(11)) * _TO_UNIT


def seed_key(seed: int) -> np.uint64:
    """Turn a user seed into the 64-bit key the kernel hashes with."""
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    return np.uint64(np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0])
