"""Property tests: the prerequisite functions agree with a plain reference over random histories, and the rule set
follows the effective date."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nominations.eligibility import RULE_SETS, prerequisite_met, rule_set_on, streak_ending

years = st.sets(st.integers(min_value=2000, max_value=2030), max_size=20)


def reference_streak(held, year):
    """Count backwards one year at a time, the way a clerk would read a paper register."""
    count = 0
    for candidate in range(year, 1999, -1):
        if candidate not in held:
            break
        count += 1
    return count


@given(years, st.integers(min_value=2000, max_value=2030))
def test_streak_agrees_with_the_reference(held, year):
    assert streak_ending(held, year) == reference_streak(held, year)


@given(years, st.integers(min_value=2001, max_value=2030), st.integers(min_value=1, max_value=5))
def test_prerequisite_agrees_with_the_reference(held, year, needed):
    expected = any(all(y in held for y in range(end - needed + 1, end + 1)) for end in (year, year - 1))
    assert prerequisite_met(held, year, needed) == expected


@given(years, st.integers(min_value=2000, max_value=2030), st.integers(min_value=1, max_value=5))
def test_removing_an_award_never_makes_a_candidate_eligible(held, year, needed):
    if held:
        smaller = set(held)
        smaller.pop()
        assert not (prerequisite_met(smaller, year, needed) and not prerequisite_met(held, year, needed))


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_the_rule_set_is_the_one_whose_dates_hold_the_day(day):
    chosen = rule_set_on(day)
    switch = date(2025, 7, 1)
    assert chosen.code == ("nd98_2023" if day < switch else "nd152_2025")
    if chosen.effective_to:
        assert day <= chosen.effective_to or day < RULE_SETS[0].effective_from


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2034, 12, 31)))
def test_moving_a_day_across_the_switch_changes_the_set(day):
    before, after = rule_set_on(date(2025, 6, 30)), rule_set_on(date(2025, 6, 30) + timedelta(days=1))
    assert before.code != after.code
    assert rule_set_on(day) in (before, after)
