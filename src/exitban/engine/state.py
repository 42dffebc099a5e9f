"""Every array a run reads and writes, with its shape and dtype: the engine's inputs and its state.

``engine.build.build(scenario, seed)`` makes both from a scenario; nothing else in the engine
knows the schema. ``EngineInputs`` is read-only for the whole run; ``EngineState`` is changed in
place day by day (its tuples never are, only their arrays). N is the number of positions (held
and vacant), U the number of units, I the number of institutions.

Positions are sorted by institution, then unit: a unit's members are contiguous, so the kernel
reads peers from cache. ``unit_start[u]:unit_start[u + 1]`` are unit ``u``'s positions; an
institution with ``positions_per_member`` above 1 starts with the extra positions of each unit
vacant. A position outlives its holder: when one leaves, a newcomer may take it (``rules.flows``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# The traits a person is drawn with (P3) and keeps when posted or replaced: float32, in [0, 1]
# except threshold (Granovetter, any real). ``Population`` and ``Recruits`` hold one array each;
# ``rules.flows.copy_traits`` copies them between the two.
TRAITS = ("desire", "loyalty", "risk_aversion", "competence", "health", "family", "means", "reach", "threshold")

Q_MINISTRY, Q_APPEALS, Q_TRAVEL = 0, 1, 2  # the central queues, in the order rules.queues serves them
Q_INVESTIGATORS = 3  # the military investigators: reported absences wait here to be brought in (rules.justice)
Q_CENTRAL = 4  # officials (issue 22, item 3): the central office that decides a senior resignation (A:19)
N_QUEUES = 5
HEAD, TAIL = 0, 1  # columns of ``Offices.q_ends``: next to serve, next free slot


# One institution's day (``rules.today.institution_day``), set every morning before the units step: one
# small record per institution, so the parallel kernel receives one array rather than every per-institution
# field (passing large tuples to each unit's call cost a fifth of the day at 1M agents).
INSTITUTION_DAY = np.dtype(
    [
        *((name, np.bool_) for name in ("decree", "banned", "can_resign", "military", "reservist", "graduates")),
        ("travel_controlled", np.bool_),
        ("passports_surrendered", np.bool_),
        *((name, np.int64) for name in ("closed", "insist_article", "neglect_article")),
        *(
            (name, np.float64)
            for name in (
                "contract_days",
                "demob_start",
                "age_cutoff",
                "pay_premium",
                "pension_years",
                "drift_daily",
                "p_trip",
                "p_casualty",
                # the regime-wide daily hazards (R5, 7.14), the same in every institution
                "p_corruption",
                "p_offence",
                "p_reward",
            )
        ),
        # the front (rules.front): all zero where the institution models none
        ("front", np.bool_),
        ("stations", np.bool_),
        *(
            (name, np.float64)
            for name in (
                "p_rotate",
                "p_deploy",
                "p_leave",
                "leave_days",
                "hospital_days",
                "wounded_return",
                "front_drift_daily",
                "front_absence_bias",
                "front_sabotage_catch",
            )
        ),
        # officials (issue 22, item 3): a resignation here is the central office's decision (A:19)
        ("central", np.bool_),
    ]
)


class Population(NamedTuple):
    """Per-position state (length N) and the unit layout (length U, U+1, I or I+1).

    The compiled rules take it whole as ``people`` and read ``people.desire[i]``.

    inst (N,) int16: institution index, in the scenario's order.
    unit (N,) int32: unit index; units never span institutions.
    junior (N,) uint8: 1 for junior ranks (lieutenants) whose release the ministry orders under R9.
    seniority (N,) float32: years served on day 0 (negative for one who joined later): on day d one has
        served ``seniority + d / DAYS_PER_YEAR`` years.
    age (N,) float32: age in years on day 0, kept the same way.
    contract_end (N,) int32: day the current contract runs out (may be negative: already past).
    desire ... threshold (N,) float32: the ``TRAITS``; fear (N,) float32 in [0, 1], 0 on joining.
    status (N,) uint8: 0 serving, else the exit channel (codes.EXIT_*), codes.GRADUATING or codes.VACANT.
    stage (N,) uint8: the move under way (codes.QUIET ...).
    flags (N,) uint8: bit set of codes.F_*.
    pressure (N,) uint8: highest rung of the pressure ladder reached (R12, ``rules.pressure``).
    n_requests (N,) uint8: resignation requests filed (saturates at 255).
    case_article (N,) uint8: the article of the open case (codes.ART_*); read only while F_CASE is set.
    stage_day, request_day, case_day, exit_day (N,) int32: day the stage / first request /
        open case / exit began; -1 when none.
    station (N,) uint8: where one serves (codes.STATION_*: rear, front, leave, hospital; ``rules.front``).
    station_day (N,) int32: day the station began (0 for those drawn on day 0).
    confined_day (N,) int32: day the confinement began (A4); read only while F_CONFINED is set.
    days_away (N,) int32: days away of the last absence episode (rules.justice): as of the report while
        reported, as of being brought in once a case is open; it grades the case (art. 337). 0 when none.
    help (N,) uint8: bit set of codes.H_* (knows of help for leaving, helped in the attempt under way; rules.help).
    unit_start (U+1,) int64; unit_inst (U,) int16; unit_size0 (U,) int32: starting members.
    inst_size0 (I,) int64: starting members of each institution; inst_start (I+1,) int64: its first position.
    """

    inst: np.ndarray
    unit: np.ndarray
    junior: np.ndarray
    seniority: np.ndarray
    age: np.ndarray
    contract_end: np.ndarray
    desire: np.ndarray
    loyalty: np.ndarray
    fear: np.ndarray
    risk_aversion: np.ndarray
    competence: np.ndarray
    health: np.ndarray
    family: np.ndarray
    means: np.ndarray
    reach: np.ndarray
    threshold: np.ndarray
    status: np.ndarray
    stage: np.ndarray
    flags: np.ndarray
    pressure: np.ndarray
    n_requests: np.ndarray
    case_article: np.ndarray
    stage_day: np.ndarray
    request_day: np.ndarray
    case_day: np.ndarray
    exit_day: np.ndarray
    station: np.ndarray
    station_day: np.ndarray
    confined_day: np.ndarray
    days_away: np.ndarray
    help: np.ndarray
    unit_start: np.ndarray
    unit_inst: np.ndarray
    unit_size0: np.ndarray
    inst_size0: np.ndarray
    inst_start: np.ndarray

    @property
    def n(self) -> int:
        return int(self.inst.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.unit_inst.shape[0])

    def nbytes_per_agent(self) -> float:
        """Bytes of state per person, unit layout included."""
        total = sum(arr.nbytes for arr in self)
        return total / max(1, self.n)


# The dtype of each per-position array (``build.initial_population`` draws them so, ``limits`` counts them)
POSITION_DTYPES: dict[str, type] = {
    "inst": np.int16,
    "unit": np.int32,
    "junior": np.uint8,
    "seniority": np.float32,
    "age": np.float32,
    "contract_end": np.int32,
    **dict.fromkeys(TRAITS, np.float32),
    "fear": np.float32,
    **dict.fromkeys(("status", "stage", "flags", "pressure", "n_requests", "case_article"), np.uint8),
    **dict.fromkeys(("stage_day", "request_day", "case_day", "exit_day", "confined_day"), np.int32),
    "station": np.uint8,
    "station_day": np.int32,
    "days_away": np.int32,
    "help": np.uint8,
}
UNIT_DTYPES: dict[str, type] = {"unit_start": np.int64, "unit_inst": np.int16, "unit_size0": np.int32}


class Recruits(NamedTuple):
    """Each institution's pool of newcomers, drawn at the start like its starting members (P1, P3).

    For ``start[k]:start[k + 1]`` (POOL_SIZE each): the ``TRAITS`` (float32), junior (uint8), flags
    (uint8), age (float32: age on joining) and contract_end (int32: a reservist's release day counted
    from mobilization's end), as in ``Population``. start (I+1,) int64; reservist (I,) uint8.
    """

    desire: np.ndarray
    loyalty: np.ndarray
    risk_aversion: np.ndarray
    competence: np.ndarray
    health: np.ndarray
    family: np.ndarray
    means: np.ndarray
    reach: np.ndarray
    threshold: np.ndarray
    junior: np.ndarray
    flags: np.ndarray
    age: np.ndarray
    contract_end: np.ndarray
    start: np.ndarray
    reservist: np.ndarray


POOL_DRAWN = tuple(name for name in Recruits._fields if name not in ("start", "reservist"))  # one per newcomer


class Signals(NamedTuple):
    """What the engine carries from one day to the next besides the people, per unit (U) or institution (I).

    Counts are today's, shares are yesterday's as read today (``signals.update_shares``).

    acted, headcount, cases_open (U,) float64: the census's counts (acted includes
        those who left after showing the wish).
    entered (U, N_QUEUES) int64: today's entrants to each central queue, for the enqueue pass.
    utility (U, N_MOVES) float64: scratch for the move choice, one row per unit (no allocation in the kernel).
    unit_share, unit_case_share (U,) float64: acted / starting size; open cases / headcount.
    inst_share (I,) float64: acted / the institution's starting size (peers, and the regime's trigger, R1).
    awaiting (U,) float64: graduates waiting for a post, counted in the unit they left.
    acted_gone (U,) float64: people who acted and left, whose position has since gone to someone else
        (kept for good: they still count toward the acted share).
    recruit_odds (I,) float64: today's chance that a vacant position is filled (``rules.flows``).
    casualties (U,) float64: today's wartime losses in the unit; unit_casualty_share (U,) float64: yesterday's
        over the unit's starting size (``rules.events.mourn``).
    legal_sought (U,) float64: people who sought legal help today; legal_odds (1,) float64: today's chance that
        one who seeks it is taken on, from yesterday's demand and the lawyers' capacity (E4).
    help_known (U,) float64: serving people who know of help for leaving today; unit_help_share (U,) float64:
        yesterday's over the unit's starting size (Bass's imitation through peers; rules.help).
    help_sought (U,) float64: people who asked the helpers today; help_odds (1,) float64: today's chance that
        one who asks is taken on, from yesterday's requests and the helpers' capacity.
    viral_yesterday (1,) float64: yesterday's viral posts (``viral``), all units, at full size (over the scale):
        the viral channel of the diffusion.
    hidden (U,) float64: today's serving members who want out and have not shown it (7.5).
    viral (U,) float64: today's viral posts in the unit (E3).
    unit_peer (U,) float64, inst_peer (I,) float64: Granovetter's r as the rule for showing the wish reads it:
        acted / (acted + hidden), the share of those who want out (or wanted out, and left) who have said so.
    public_posts (I,) float64: the stock of viral posts in each institution, fading at 1/public_memory_days a day.
    public_share (I,) float64: what the viral posts add to the peer share (``viral_peer_weight`` shown wishes a
        post, over the institution's starting size).
    """

    acted: np.ndarray
    headcount: np.ndarray
    cases_open: np.ndarray
    entered: np.ndarray
    utility: np.ndarray
    unit_share: np.ndarray
    unit_case_share: np.ndarray
    inst_share: np.ndarray
    awaiting: np.ndarray
    acted_gone: np.ndarray
    recruit_odds: np.ndarray
    casualties: np.ndarray
    unit_casualty_share: np.ndarray
    legal_sought: np.ndarray
    legal_odds: np.ndarray
    help_known: np.ndarray
    unit_help_share: np.ndarray
    help_sought: np.ndarray
    help_odds: np.ndarray
    viral_yesterday: np.ndarray
    # Kuran and Granovetter in every regime (7.5)
    hidden: np.ndarray
    viral: np.ndarray
    unit_peer: np.ndarray
    inst_peer: np.ndarray
    public_posts: np.ndarray
    public_share: np.ndarray


class Offices(NamedTuple):
    """The regime's ban in force and the central offices' books.

    active (I,) int8: the ban holds in each institution today (``rules.regime.ban_for_day``).
    credit (N_QUEUES,) float64: each queue's unused fraction of a case, carried to the next day.
    q_who, q_day (N_QUEUES, N + 1) int32: ring buffers of the queued people and the day each entered.
    q_ends (N_QUEUES, 2) int64: each ring buffer's HEAD and TAIL counters.
    cursor (I,) int64: where the search for a vacant post for graduates resumes in each institution.
    watch_from (I,) int64: the first day from which an 'auto' ban's flow trigger counts the wishes shown
        (the day the institution came under the 'auto' policy and the ban's cover, ``rules.regime``).
    """

    active: np.ndarray
    credit: np.ndarray
    q_who: np.ndarray
    q_day: np.ndarray
    q_ends: np.ndarray
    cursor: np.ndarray
    watch_from: np.ndarray


class EngineInputs(NamedTuple):
    """What a run reads and never changes, except on a phase's date (``build.phase_inputs``: same types).

    key: np.uint64, the seed as the kernel hashes it (``rng.seed_key``).
    rules: ``build.RuleParams``, every regime-wide number by its scenario field name, as float64
        (capacities per day already scaled with the population: ``build.scaled``).
    inst: ``build.InstitutionParams``, one (I,) float64 array per institution field the rules read.
    recruits: ``Recruits``, each institution's pool of newcomers.
    ban_policy (I,) int8: codes.BAN_* for each institution.
    trigger: float, the acted share at which an 'auto' ban is imposed.
    queue_rates (N_QUEUES,) float64: each central office's cases a day, in Q_* order, scaled.
    inst_size0 (I,) float64: each institution's starting members (the shares' denominators).
    """

    key: np.uint64
    rules: tuple
    inst: tuple
    recruits: Recruits
    ban_policy: np.ndarray
    trigger: float
    queue_rates: np.ndarray
    inst_size0: np.ndarray


class EngineState(NamedTuple):
    """What a run changes in place: people, signals, offices, and the units' tallies of the day.

    people: ``Population``; signals: ``Signals``; offices: ``Offices``.
    institution_days (I,) INSTITUTION_DAY: what holds for each institution today (``rules.today``).
    unit_tally (U, N_TALLIES) float64: each unit's tallies of the day (``columns.TALLIES``), summed into
        the institution's row of the day's series after every unit has stepped.
    """

    people: Population
    signals: Signals
    offices: Offices
    institution_days: np.ndarray
    unit_tally: np.ndarray
