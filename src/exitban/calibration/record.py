"""What a calibration leaves behind: the posterior, the identifiability table, the calibrated scenario.

The calibrated scenario takes, of the posterior's particles, the one nearest the posterior's
median (in the prior's unit box): a point the targets were actually checked at, not a blend of
marginals that no run has seen. Its calibrated fields carry provenance ``calibrated: ...`` with
the targets, the date, the version and the posterior interval; the posterior samples stay
beside it (``posterior.parquet``) for posterior predictive runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from exitban._version import __version__
from exitban.calibration.folder import CalibrationFolder
from exitban.calibration.joint import RIDGE, correlation_markdown, correlation_table, pairs_plot, ridge_partners
from exitban.calibration.priors import Priors
from exitban.calibration.run import Outcome, Problem
from exitban.calibration.smc import weighted_quantile
from exitban.errors import ScenarioError
from exitban.scenario import Scenario, resolve_provenance
from exitban.scenario.load import SHIPPED, to_toml

PINNED, NARROWED = 0.5, 0.8  # posterior 90% width over prior 90% width: below these, pinned / narrowed
RECORDS = "calibrated"  # shipped records: scenarios/calibrated/<calibrated scenario's name>/
PAIRS = "pairs.png"  # the record's pairwise plot of the posterior


def identifiability(posterior: pl.DataFrame, priors: Priors) -> pl.DataFrame:
    """Per parameter: prior range, posterior median and 90% interval, and their width ratio with a verdict.

    The verdict reads the joint posterior, not the marginal alone: a field on a ridge with another
    (``joint.RIDGE``) is pinned down or narrowed only jointly with it, and the verdict names the pair."""
    w = posterior["weight"].to_numpy()
    partners = ridge_partners(posterior, priors.names)
    rows = []
    for name, lo, hi in zip(priors.names, priors.low, priors.high, strict=True):
        q05, q50, q95 = weighted_quantile(posterior[name].to_numpy(), w, np.array([0.05, 0.5, 0.95]))
        ratio = float((q95 - q05) / (0.9 * (hi - lo)))
        verdict = "pinned down" if ratio < PINNED else "narrowed" if ratio < NARROWED else "not identified"
        ridge = "; ".join(f"{other} (r = {r:+.2f})" for other, r in partners[name])
        if ridge and verdict != "not identified":
            verdict = f"{verdict} only jointly with {ridge}"
        rows.append(
            {
                "parameter": name,
                "prior_low": float(lo),
                "prior_high": float(hi),
                "posterior_median": float(q50),
                "posterior_q05": float(q05),
                "posterior_q95": float(q95),
                "width_ratio": ratio,
                "verdict": verdict,
                "ridge_with": ridge,
            }
        )
    return pl.DataFrame(rows)


def identifiability_markdown(
    table: pl.DataFrame, scenario: str, targets: list[str], posterior: pl.DataFrame | None = None
) -> str:
    names = table["parameter"].to_list()
    lines = [
        f"# Identifiability: {scenario}",
        "",
        f"Fitted to: {', '.join(targets)}. *width* is the posterior's 90% interval over the prior's 90% "
        f"interval: under {PINNED} the targets pin the parameter down, under {NARROWED} they narrow it, "
        "above that they say little about it (its value stays the prior's assumption). The verdict reads the "
        f"joint posterior: a field whose weighted correlation with another is beyond {RIDGE} in size lies on a "
        "ridge with it (the two trade against each other and fit equally well along it), and is pinned down or "
        "narrowed only jointly with it.",
        "",
        "| parameter | prior | posterior median | posterior 90% | width | verdict |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in table.iter_rows(named=True):
        lines.append(
            f"| `{r['parameter']}` | [{r['prior_low']:.3g}, {r['prior_high']:.3g}] | {r['posterior_median']:.3g} | "
            f"[{r['posterior_q05']:.3g}, {r['posterior_q95']:.3g}] | {r['width_ratio']:.2f} | {r['verdict']} |"
        )
    if posterior is not None and len(names) > 1:
        lines += [
            "",
            "## The posterior's correlations (weighted)",
            "",
            correlation_markdown(posterior, names),
            "",
            f"Pairwise plot: [{PAIRS}]({PAIRS}) (particles over the prior's box, darker for more weight).",
        ]
    return "\n".join(lines) + "\n"


def write_joint(folder: CalibrationFolder, posterior: pl.DataFrame, priors: Priors) -> None:
    """The joint diagnostics beside the marginal table: correlations.parquet and the pairwise plot."""
    folder.write_frame("correlations.parquet", correlation_table(posterior, priors.names))
    folder.write_bytes(PAIRS, pairs_plot(posterior, priors.names, priors.low, priors.high))


def representative(posterior: pl.DataFrame, priors: Priors) -> dict[str, float]:
    """The posterior particle nearest the weighted median, in the prior's unit box."""
    w = posterior["weight"].to_numpy()
    u = np.column_stack(
        [
            (posterior[n].to_numpy() - lo) / (hi - lo)
            for n, lo, hi in zip(priors.names, priors.low, priors.high, strict=True)
        ]
    )
    median = np.array([weighted_quantile(u[:, j], w, 0.5) for j in range(u.shape[1])])
    best = int(np.argmin(np.sum((u - median) ** 2, axis=1)))
    return {n: float(posterior[n][best]) for n in priors.names}


def calibrated_scenario(
    base: Scenario,
    posterior: pl.DataFrame,
    priors: Priors,
    targets: list[str],
    today: datetime.date | None = None,
    method: str = "",
) -> Scenario:
    """``base`` with the representative particle's values, named ``<base>-calibrated``, provenance recorded.

    ``method`` says how (default: ABC-SMC on the targets named).
    """
    values = representative(posterior, priors)
    table = identifiability(posterior, priors)
    day = (today or datetime.date.today()).isoformat()
    # the file sets every field, so every field's provenance is written down (not "set in ... (none given)")
    provenance = {k: source for k, (_, source) in resolve_provenance(base).items()}
    for r in table.iter_rows(named=True):
        provenance[r["parameter"]] = (
            f"calibrated: {method or 'ABC-SMC on ' + ', '.join(targets)} (exitban {__version__}, {day}); posterior 90% "
            f"[{r['posterior_q05']:.4g}, {r['posterior_q95']:.4g}] within the prior "
            f"[{r['prior_low']:.4g}, {r['prior_high']:.4g}]; {r['verdict']}"
        )
    changed = base.with_params({k: round(v, 6) for k, v in values.items()}, where="calibration")
    return changed.with_overrides(
        name=f"{base.name}-calibrated",
        title=f"{base.title} - calibrated",
        provenance=provenance,
        extends=None,
    )


def transfer(base: Scenario, source: Path, out: Path) -> Written:
    """Calibrate ``base`` by another scenario's calibration (folder ``source``): no figure of its own to fit.

    For a scenario with no published figure before the cut-off: the shared behaviour fields take
    the other calibration's posterior (same people, same regime, same year), and their
    provenance says where they came from. Its institutional assumptions stay as they were.
    """
    import json

    from exitban.checksums import Checksums
    from exitban.errors import StoreError
    from exitban.files import InputFileError, parquet_from_bytes

    way_out = "calibrate it again into a new --out"
    try:  # only bytes its checksums.json vouches for: a changed byte, a FIFO, /dev/zero or a link out is refused
        listed = Checksums.load(source, way_out)
        manifest = json.loads(listed.read("calibration.json", "the calibration's manifest", way_out))
        try:
            posterior = parquet_from_bytes(listed.read("posterior.parquet", "a posterior", way_out))
        except InputFileError as exc:
            raise StoreError(f"{source / 'posterior.parquet'}: {exc}") from None
        bounds = manifest["parameters"]
    except (StoreError, OSError, ValueError, KeyError, TypeError) as exc:
        reason = str(exc).removeprefix(f"{source}/")  # names the file: "calibration.json: is not a regular file"
        raise ScenarioError(f"--from {source}: not a finished calibration folder ({reason})") from None
    names = tuple(bounds)
    priors = Priors(names, np.array([bounds[n][0] for n in names]), np.array([bounds[n][1] for n in names]))
    method = f"transferred from the calibration of {manifest['scenario']} (ABC-SMC on {', '.join(manifest['targets'])})"
    calibrated = calibrated_scenario(base, posterior, priors, list(manifest["targets"]), method=method)
    folder = CalibrationFolder(out)  # its writers only: a transfer runs nothing, so there is nothing to resume
    out.mkdir(parents=True, exist_ok=True)
    table = identifiability(posterior, priors)
    folder.write_frame("posterior.parquet", posterior.select(*names, "weight"))
    folder.write_frame("identifiability.parquet", table)
    write_joint(folder, posterior, priors)
    title = f"{base.name} (transferred from {manifest['scenario']})"
    page = identifiability_markdown(table, title, list(manifest["targets"]), posterior)
    folder.write_text("identifiability.md", page)
    record = {"scenario": base.name, "version": __version__, "transferred_from": manifest}
    folder.write_text("calibration.json", json.dumps(record, indent=2, sort_keys=True) + "\n")
    path = folder.write_text(f"{calibrated.name}.toml", to_toml(calibrated))
    return Written(path, table)


def find_posterior(name_or_path: str | Path) -> Path | None:
    """The posterior samples of a calibrated scenario: a shipped record, or posterior.parquet beside its file."""
    text = str(name_or_path)
    shipped = Path(str(SHIPPED)) / RECORDS / text / "posterior.parquet"
    if "/" not in text and not text.endswith(".toml") and shipped.is_file():
        return shipped
    beside = Path(text).parent / "posterior.parquet"
    return beside if text.endswith(".toml") and beside.is_file() else None


NOT_PARAMETERS = ("u.", "value.", "miss.")  # dotted posterior columns that are not scenario fields


def parameter_columns(posterior: pl.DataFrame) -> list[str]:
    """The posterior's calibrated fields: its dotted columns (``behaviour.absence_bias``) other than the
    unit-box coordinates (``u.``), figures (``value.``) and misses (``miss.``)."""
    return [c for c in posterior.columns if "." in c and not c.startswith(NOT_PARAMETERS)]


def draw_parameters(posterior: pl.DataFrame, n: int, seed: int) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from the posterior by weight (deterministic in ``seed``)."""
    names = parameter_columns(posterior)
    w = posterior["weight"].to_numpy()
    rows = np.random.default_rng(np.random.SeedSequence(seed)).choice(posterior.height, size=n, p=w / w.sum())
    return [{k: float(posterior[k][int(i)]) for k in names} for i in rows]


@dataclass(frozen=True)
class Written:
    """The files a finished calibration wrote, and its identifiability table."""

    scenario_path: Path
    identifiability: pl.DataFrame


def finish(folder: CalibrationFolder, base: Scenario, problem: Problem, outcome: Outcome) -> Written:
    """Write the posterior, the identifiability table (Parquet and Markdown) and the calibrated scenario."""
    posterior = outcome.posterior
    folder.write_frame("posterior.parquet", posterior)
    table = identifiability(posterior, problem.priors)
    folder.write_frame("identifiability.parquet", table)
    write_joint(folder, posterior, problem.priors)
    targets = list(problem.targets)
    folder.write_text("identifiability.md", identifiability_markdown(table, base.name, targets, posterior))
    calibrated = calibrated_scenario(base, posterior, problem.priors, targets)
    path = folder.write_text(f"{calibrated.name}.toml", to_toml(calibrated))
    return Written(path, table)
