"""``exitban validate`` over several calibrated scenarios, and the page docs/validation.md."""

from __future__ import annotations

from rich.console import Console

from exitban.calibration.posterior import check_parameters, read_posterior
from exitban.calibration.record import find_posterior
from exitban.calibration.targets import TargetsFile, ValidationRun
from exitban.calibration.validate import COLUMNS, HELD_OUT, INDEPENDENT, ROLE, VERDICT, Check, checks, rows
from exitban.errors import ScenarioError
from exitban.sweep.executors import Executor

SUFFIX = "-calibrated"
DEFAULT_SCALE = 0.01


def shipped_calibrated() -> list[str]:
    from exitban.scenario.load import list_scenarios

    return [n for n in list_scenarios() if n.endswith(SUFFIX)]


def shipped_validated(targets: TargetsFile) -> list[str]:
    """What ``exitban validate`` runs by default: every shipped calibrated scenario, then every shipped scenario
    the targets file has figures for and no calibrated version of (run at its own values, uncalibrated: the
    long run before its refit)."""
    from exitban.scenario.load import list_scenarios

    calibrated = shipped_calibrated()
    covered = {n.removesuffix(SUFFIX) for n in calibrated}
    with_figures = {t.scenario for t in targets.targets.values()}
    return calibrated + [n for n in list_scenarios() if n in with_figures and n not in covered]


def validate_all(
    names: list[str] | None,
    targets: TargetsFile,
    runs: int | None,
    scale: float | None,
    seed: int,
    executor: Executor,
    say: Console,
) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Each scenario's table rows (``validate.COLUMNS``), held-out first."""

    from exitban.scenario.load import load_scenario

    chosen = names or shipped_validated(targets)
    if not chosen:
        raise ScenarioError("no calibrated scenario to validate: give one, or calibrate first (exitban calibrate)")
    out = []
    for name in chosen:
        sc = load_scenario(name)
        base = sc.name.removesuffix(SUFFIX)
        path = find_posterior(name)
        posterior = read_posterior(path) if path is not None else None
        if posterior is not None:
            check_parameters(posterior, sc, path)
        plan = targets.validate_runs.get(base) or ValidationRun(scale=DEFAULT_SCALE)  # the file's default runs
        n, at = runs or plan.runs, scale or plan.scale
        say.print(
            f"validate {sc.name}: {n} runs at scale {at}"
            + (", parameters drawn from its posterior" if posterior is not None else ", no posterior: its own values"),
            highlight=False,
        )
        found: list[Check] = checks(sc, base, targets, posterior, n, at, seed, executor)
        if not found:
            raise ScenarioError(f"{name}: the targets file has no figure for scenario '{base}'")
        out.append((sc.name, rows(found)))
    return out


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "es" if word.endswith("s") else "s")


def _tally(verdicts: list[str]) -> str:
    """``2 hits, 1 miss, 0 not measured``."""
    return f"{_n(verdicts.count('hit'), 'hit')}, {_n(verdicts.count('miss'), 'miss')}, " + (
        f"{verdicts.count('not measured')} not measured"
    )


def score(results: list[tuple[str, list[tuple[str, ...]]]], bold: bool = False) -> str:
    """The held-out figures' tally: hits counted among the independent ones only, the others apart."""
    held = [r for _, found in results for r in found if r[ROLE] == HELD_OUT]
    counted = [r[VERDICT] for r in held if r[INDEPENDENT] == "yes"]
    others = [r[VERDICT] for r in held if r[INDEPENDENT] != "yes"]
    mark = "**" if bold else ""
    return (
        f"Held out: {_n(len(held), 'figure')}, {len(counted)} of them independent. {mark}The score, over the "
        f"independent ones: {_tally(counted)}.{mark} Not independent, so not counted: {_tally(others)}."
    )


def render_page(results: list[tuple[str, list[tuple[str, ...]]]], targets: TargetsFile, seed: int) -> str:
    """docs/validation.md: how it was made, the table, and what the misses say."""
    lines = [
        "# Validation: the scenarios against held-out figures",
        "",
        "Regenerate with `exitban validate --doc docs/validation.md` (every shipped calibrated scenario, and "
        f"every scenario with figures but no calibration yet; root seed {seed}). Each calibrated scenario runs "
        "with parameter sets drawn from its calibration's posterior, one seed each, at the scale and number "
        "of runs its targets file gives, so its spread is what the calibration leaves open and chance together; "
        "a scenario with figures and no calibration runs at its own values over as many seeds, so its spread "
        "is chance alone. A wide interval makes a hit easy: the interval score beside each verdict counts the "
        "width against it.",
        "",
        "The rule is strict: a figure published as a point is a *hit* when the point lies inside the model's "
        "5-95% interval; a figure published as a range is a hit when the model's median lies inside the range. "
        "*Not measured*: some run cannot give the figure at that scale. *ratio* is the model's median over the "
        "middle of the range (the geometric middle for counts). *interval score* is the 90% interval score "
        "(Gneiting & Raftery 2007): the interval's width plus 20 times its distance from the point (or the "
        "range's middle), over the point (or the range's width); lower is better, and a figure far outside "
        "the interval scores far above 1.",
        "",
        f"Calibration used only figures dated up to {targets.fit_until} (role `fit`); the figures below marked "
        "*held out* were kept out of it, and decide hit or miss. A held-out figure is *independent* evidence "
        "only when no input was chosen to produce it (the targets file's `independent`, with its reason "
        "below); only independent figures are counted. The fitted figures are listed last as a posterior "
        "predictive check: they were used to calibrate, so a hit there is not evidence of validity.",
        "",
        "| scenario | " + " | ".join(COLUMNS) + " |",
        "| --- | " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for name, found in results:
        for r in found:
            cells = [("**miss**" if c == "miss" else c) if i == VERDICT else c for i, c in enumerate(r)]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        score(results, bold=True) + " Each figure's note below says what it rests on, why it is independent "
        "or not, and, where the model misses, why.",
        "",
        "## The figures and why they may miss",
        "",
    ]
    seen = {name.removesuffix(SUFFIX) for name, _ in results}
    for t in targets.targets.values():
        if t.scenario in seen:
            kind = "independent" if t.independent else "not independent"
            note = f"{t.note}. " if t.note else ""
            lines.append(f"- **{t.figure}** ({t.source}): {note}*{kind}*: {t.independent_why}.")
    return "\n".join(lines) + "\n"
