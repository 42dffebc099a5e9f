"""The criminal law by article (R13, R2, R5): who answers to which article, sentences, and deterrence without a ban."""

from __future__ import annotations

import statistics

import polars as pl
import pytest

import exitban
from exitban.engine.codes import ARTICLES
from tests.helpers import paired, scenario, total

ILLEGAL_EXITS = ("exits_absence", "exits_dismissed")  # deserting, and sabotage until fired


def illegal_exits(result: exitban.Result) -> float:
    return sum(total(result, c) for c in ILLEGAL_EXITS)


@pytest.mark.mechanism("E8", "R1", "R2")
def test_lifting_the_ban_lowers_illegal_exits() -> None:
    """The law deters with or without a ban; lifting the ban opens the legal exit, so fewer desert or
    sabotage to be fired (10 replications, paired seeds)."""
    base = scenario("army-officers-2019", scale=0.01, days=365)
    lifted = scenario("army-officers-2019-ban-lifted", scale=0.01, days=365)
    pairs = paired(base, lifted, illegal_exits)
    banned, free = zip(*pairs, strict=True)
    assert statistics.mean(free) < 0.95 * statistics.mean(banned), pairs
    assert sum(f < b for b, f in pairs) >= 8, pairs


@pytest.mark.mechanism("E8", "R2")
def test_the_law_deters_absence_without_a_ban() -> None:
    """Without a ban, a higher prosecution threat still means fewer men away past the absence limit.

    The count is of desertion episodes (men who left their units), not of cases: cases wait for the
    investigators' queue (rules.justice), whose capacity, not the number who went absent, can set them."""
    # where resignation is legal few go absent: a strong pull to absence gives the law something to deter
    kw = {"behaviour.absence_bias": 3.0}
    lenient = scenario("army-officers-2019-ban-lifted", **kw, **{"regime.prosecution_threat": 0.0})
    harsh = scenario("army-officers-2019-ban-lifted", **kw, **{"regime.prosecution_threat": 1.0})
    for many, few in paired(lenient, harsh, lambda r: total(r, "desertion_episodes")):
        assert few < many


@pytest.mark.mechanism("R13")
def test_the_wartime_scale_opens_more_absence_cases() -> None:
    """From September 2022 two days of absence are an offence: more absence cases than under the 10-day rule."""
    peace = scenario("fsb-mobilization-2023", **{"regime.wartime_law": False})
    war = scenario("fsb-mobilization-2023", **{"regime.wartime_law": True})
    for few, many in paired(peace, war, lambda r: total(r, "cases_absence")):
        assert many > few


@pytest.mark.mechanism("R13", "P1")
def test_civil_officials_never_face_the_military_articles() -> None:
    """Absence and desertion are servicemen's offences: officials have none, the special services do."""
    sc = scenario("officials-2023", scale=0.02, days=200, **{"behaviour.absence_bias": 2.0})
    ts = exitban.simulate(sc, seed=0).timeseries
    by_inst = ts.group_by("institution").agg(pl.col("cases_absence", "cases_desertion", "cases_disobedience").sum())
    rows = {r["institution"]: r for r in by_inst.iter_rows(named=True)}
    assert rows["senior_officials"]["cases_absence"] == 0 and rows["senior_officials"]["cases_desertion"] == 0
    assert rows["senior_officials"]["cases_disobedience"] == 0
    assert rows["special_services"]["cases_absence"] > 0


@pytest.mark.mechanism("R5", "R13")
def test_suspended_sentences_keep_the_convicted_in_service() -> None:
    """With every sentence suspended no one leaves by conviction; with none suspended, convictions release.
    Absence sentences are graded (rules.justice): all suspended when the courts suspend any sentence up to
    30 years, none when they suspend none."""
    never = scenario(
        "fsb-mobilization-2023",
        days=300,
        **{"pressure.suspended_share": 0.0, "pressure.suspension_max_years": 0.0},
    )
    always = scenario(
        "fsb-mobilization-2023", days=300, **{"pressure.suspended_share": 1.0, "pressure.suspension_max_years": 30.0}
    )

    def exits_and_suspended(r: exitban.Result) -> tuple[float, float]:
        return total(r, "exits_conviction"), total(r, "sentences_suspended")

    for (out0, kept0), (out1, kept1) in paired(never, always, exits_and_suspended):
        assert kept0 == 0 and out0 > 0
        assert out1 == 0 and kept1 > 0


@pytest.mark.mechanism("E7")
def test_a_caught_moonlighter_faces_discipline_not_a_case() -> None:
    """With every other route to a case shut, moonlighters are caught and no case ever opens."""
    sc = scenario(
        "fsb-mobilization-2023",
        **{
            "behaviour.moonlight_bias": 2.0,
            "pressure.moonlight_detect_prob": 0.05,
            "regime.prosecution_threat": 0.0,
            "bureaucracy.offence_per_year": 0.0,
            "bureaucracy.corruption_dismissal_per_year": 0.0,  # under the decree it opens a case
            "behaviour.absence_bias": -20.0,
        },
    )
    for seed in range(3):
        result = exitban.simulate(sc, seed=seed)
        assert total(result, "moonlight_caught") > 0
        assert total(result, "cases_opened") == 0


@pytest.mark.mechanism("O6")
def test_cases_by_article_add_up_to_all_cases() -> None:
    """Every case opened is counted under exactly one article, day by day and institution by institution."""
    ts = exitban.simulate(scenario("officials-2023", scale=0.02), seed=3).timeseries
    by_article = sum(ts[f"cases_{a}"] for a in ARTICLES)
    assert (by_article == ts["cases_opened"]).all()
    assert ts["cases_opened"].sum() > 0
