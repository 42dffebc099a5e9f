"""Global sensitivity analysis of a sweep's runs: Sobol (first and total order) or Morris indices.

The pipeline is SALib's: ``spec.salib_samples()`` -> the runs -> ``analyze_runs``. Each design
point's output is the mean over its replications (with common random numbers, replicate r
has the same seed at every point, so the noise does not masquerade as sensitivity).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from exitban.errors import ScenarioError
from exitban.sweep.outputs import check_outputs
from exitban.sweep.spec import SweepSpec


def point_means(spec: SweepSpec, runs: pl.DataFrame, outputs: list[str]) -> pl.DataFrame:
    """One row per design point (in design order): the mean of each output over completed replications."""
    check_outputs(runs, outputs)
    ok = runs.filter(pl.col("status") == "ok")
    means = ok.group_by("point").agg(*(pl.col(o).cast(pl.Float64).mean() for o in outputs)).sort("point")
    expected = len(spec.design_matrix())
    if means.height != expected:
        have = set(means["point"].to_list())
        lost = [p for p in range(expected) if p not in have]
        raise ScenarioError(
            f"sensitivity needs every design point; {len(lost)} of {expected} have no completed run "
            f"(first: {lost[:5]}). Run the same command again to finish missing runs; see runs.parquet for failures."
        )
    return means


def analyze_runs(spec: SweepSpec, runs: pl.DataFrame, outputs: list[str] | None = None) -> pl.DataFrame:
    """Sobol or Morris indices with confidence intervals, one row per (output, parameter)."""
    from SALib.analyze import morris, sobol

    outs = outputs or spec.sensitivity.outputs
    if spec.design not in ("sobol", "morris"):
        raise ScenarioError(f"sensitivity needs design = 'sobol' or 'morris'; this spec has '{spec.design}'")
    means = point_means(spec, runs, outs)
    problem = spec.problem()
    conf, resamples, seed = spec.sensitivity.conf_level, spec.sensitivity.num_resamples, spec.root_seed % 2**32
    rows: list[dict[str, object]] = []
    for out in outs:
        y = means[out].to_numpy().astype(np.float64)
        if spec.design == "sobol":
            si = sobol.analyze(
                problem,
                y,
                calc_second_order=False,
                num_resamples=resamples,
                conf_level=conf,
                seed=seed,
            )
            for i, name in enumerate(problem["names"]):
                rows.append(
                    {
                        "output": out,
                        "parameter": name,
                        "method": "sobol",
                        "S1": float(si["S1"][i]),
                        "S1_low": float(si["S1"][i] - si["S1_conf"][i]),
                        "S1_high": float(si["S1"][i] + si["S1_conf"][i]),
                        "ST": float(si["ST"][i]),
                        "ST_low": float(si["ST"][i] - si["ST_conf"][i]),
                        "ST_high": float(si["ST"][i] + si["ST_conf"][i]),
                        "conf_level": conf,
                    }
                )
        else:
            x = spec.salib_samples()
            si = morris.analyze(
                problem, x, y, num_resamples=resamples, conf_level=conf, num_levels=spec.morris_levels, seed=seed
            )
            for i, name in enumerate(problem["names"]):
                half = float(si["mu_star_conf"][i])
                rows.append(
                    {
                        "output": out,
                        "parameter": name,
                        "method": "morris",
                        "mu": float(si["mu"][i]),
                        "mu_star": float(si["mu_star"][i]),
                        "mu_star_low": float(si["mu_star"][i]) - half,
                        "mu_star_high": float(si["mu_star"][i]) + half,
                        "sigma": float(si["sigma"][i]),
                        "conf_level": conf,
                    }
                )
    return pl.DataFrame(rows)
