"""The model's rules, one compiled function per submodel of docs/ODD.md §7.

| ODD | submodel | function | brief IDs |
| --- | --- | --- | --- |
| 3 | an institution's and a unit's day | ``today.institution_day``, ``today.unit_day`` | R1, R4, R7, R13 |
| 7.1 | the ban | ``regime.ban_for_day`` | R1 |
| 7.2 | background hazards, cases | ``hazards.background_hazards``, ``actions.open_case`` | R5, R2, R13 |
| 7.3 | contract end, the decree | ``contract.contract_end``; ``decree.under_decree``, ``decree.is_banned``, ``decree.odds`` | R4, P1 |
| 7.4 | private state | ``private_state.drift`` | P3 |
| 7.5 | showing the wish | ``display.perceived_risk``, ``display.deterrence``, ``display.display_cost``, ``display.betrayal_price``, ``display.shows``, ``display.may_show``, ``display.update_display`` | R3, R2 |
| 7.6 | the move choice | ``choice.choose_move``, ``choice.start_move`` | E1-E11, R6, R7 |
| 7.7 | the commander | ``commander.handle_request``, ``pressure.climb_ladder`` | R8, R10, R12, R2, R6 |
| 7.8 | central queues | ``queues.serve``, ``queues.enqueue`` | R9, R11, R7 |
| 7.9 | stages under way | ``stages.continue_stage`` and one function per stage | E3-E5, E7, E8, E11, R13, R14 |
| 7.9 | the military-justice pipeline | ``justice.absent``, ``justice.notice_prob``, ``justice.reported``, ``justice.bring_in``, ``justice.absence_suspended`` | E8, R13 |
| 7.10 | frustration | ``actions.frustrate`` | RAND DRM |
| 7.11 | end-of-day census | ``census.count_person``, ``census.count_gone`` | O1-O10 |
| 7.12 | who joins and who moves on | ``flows.recruit``, ``flows.retire``, ``flows.commission``, ``flows.recruitment_odds`` | P1 |
| 7.13 | the value of staying | ``retention.stay_value``, ``retention.signs_again`` | E10, R4 |
| 7.14 | events both ways | ``events.reward``, ``events.mourn`` | P3, O2 |
| 7.15 | the front | ``front.change_station``, ``front.exposed``, ``front.hospitalize``, ``census.count_station`` | P1, E7, E8 |

Every rule reads its numbers from ``P`` (``engine.build.RuleParams``: scenario field names), the
institution's from ``inst`` (``engine.build.InstitutionParams``) or the unit's day ``today``
(``today.Today``), a person's state from ``people`` (``engine.state.Population``), draws with
``uniform(seed, day, person, streams.X)``, and names in a ``writes:`` docstring line the arrays it
assigns (``tests/unit/test_rule_writes.py`` holds it to that). ``engine.kernel.step_unit`` calls them
in order.
"""
