"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), in the unit cube.

The algorithm of Toni et al. (2009) with the weights of Beaumont et al. (2009): generation 0
samples the uniform prior; generation t perturbs particles of generation t-1 (drawn by weight)
with a Gaussian kernel of twice their weighted covariance, keeps proposals whose distance to
the targets is at most epsilon_t, and weighs each kept particle by prior / (mixture of kernels).
epsilon_t is a quantile of generation t-1's distances (Del Moral et al. 2012), so it falls as
the population closes in. Everything here is a pure function of its arguments and a NumPy
generator: the orchestration (``run``) decides seeds, so results never depend on the executor.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import multivariate_normal

KERNEL_SCALE = 2.0  # Beaumont et al. (2009): twice the population's covariance
JITTER = 1e-9  # keeps the kernel's covariance positive definite when a parameter has collapsed
MAX_REDRAWS = 1000  # proposals outside the prior's box are redrawn (the prior density is zero there)


def sample_prior(rng: np.random.Generator, n: int, dims: int) -> np.ndarray:
    """``n`` points uniform in the unit cube."""
    return rng.random((n, dims))


def kernel_covariance(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Twice the weighted covariance of a population (with a little jitter)."""
    cov = np.atleast_2d(np.cov(u, rowvar=False, aweights=w))
    return KERNEL_SCALE * cov + JITTER * np.eye(u.shape[1])


def propose(rng: np.random.Generator, n: int, u: np.ndarray, w: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """``n`` proposals: a particle drawn by weight, moved by the kernel, redrawn until inside the cube."""
    chol = np.linalg.cholesky(cov)

    def draw(k: int) -> np.ndarray:
        return u[rng.choice(len(u), size=k, p=w)] + rng.standard_normal((k, u.shape[1])) @ chol.T

    out = draw(n)
    for _ in range(MAX_REDRAWS):
        outside = np.any((out < 0) | (out > 1), axis=1)
        if not outside.any():
            break
        out[outside] = draw(int(outside.sum()))
    return np.clip(out, 0.0, 1.0)  # after MAX_REDRAWS rounds (a kernel far wider than the cube): the edge


def importance_weights(new: np.ndarray, u: np.ndarray, w: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Normalized weights of accepted proposals: uniform prior over the kernel mixture that proposed them."""
    density = np.zeros(len(new))
    kernel = multivariate_normal(mean=np.zeros(u.shape[1]), cov=cov)
    for j in range(len(u)):
        density += w[j] * kernel.pdf(new - u[j]).reshape(len(new))
    weights = 1.0 / density
    return weights / weights.sum()


def next_epsilon(distances: np.ndarray, quantile: float) -> float:
    """The next tolerance: a quantile of the last population's distances."""
    return float(np.quantile(distances, quantile))


def effective_sample_size(w: np.ndarray) -> float:
    return float(1.0 / np.sum(w**2))


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantiles of ``x`` under weights ``w`` (midpoint rule on the sorted cumulative weight)."""
    order = np.argsort(x)
    xs, ws = x[order], w[order]
    cum = np.cumsum(ws) - 0.5 * ws
    cum /= ws.sum()
    return np.interp(q, cum, xs)
