"""Worked dates for the custody time limit and remand rules (shared/RULES.md B.0-B.2).

Tests marked django_db use the real England and Wales bank holidays loaded by the root conftest;
the others pass a fake working-day test so the rules are exercised as pure functions.
"""

import datetime as dt

import pytest

from courts.custody.rules import (
    CtlFacts,
    CtlStage,
    CustodyPeriod,
    ctl_expiry_day,
    ctl_extension_check,
    custody_time_limit,
    easter_sunday,
    remand_custody_maximum,
)

D = dt.date


def weekdays_only(day: dt.date) -> bool:
    """A fake calendar with no bank holidays at all."""
    return day.weekday() < 5


def summary(*periods: CustodyPeriod, **kw) -> CtlFacts:
    return CtlFacts(mode_of_trial="SUMMARY", custody=periods, **kw)


def in_custody_from(start: dt.date) -> CustodyPeriod:
    return CustodyPeriod(start=start)


# --- RULES.md B.1 worked examples, against the real bank-holiday table ----------------------------------


@pytest.mark.django_db
def test_rules_md_easter_2025_remanded_mon_24_feb_expires_thu_17_apr():
    # 24 Feb + 56 = Mon 21 Apr (Easter Monday) -> Sun, Sat, Good Friday 18 Apr -> Thu 17 Apr 2025.
    result = custody_time_limit(summary(in_custody_from(D(2025, 2, 24))), today=D(2025, 2, 24))
    assert result.running
    assert result.stage == CtlStage.MAGISTRATES
    assert result.limit_days == 56
    assert result.expiry == D(2025, 4, 17)
    assert result.source == "reg. 4(4)"
    assert "reg. 2(5)" in result.explanation


@pytest.mark.django_db
def test_rules_md_christmas_2025_31_oct_expires_wed_24_dec():
    # 31 Oct + 56 = Fri 26 Dec (Boxing Day) -> Thu 25 Dec (Christmas Day) -> Wed 24 Dec 2025.
    result = custody_time_limit(summary(in_custody_from(D(2025, 10, 31))), today=D(2025, 11, 1))
    assert result.expiry == D(2025, 12, 24)


@pytest.mark.django_db
def test_rules_md_cps_example_2_jan_2017_expires_27_feb_2017():
    result = custody_time_limit(summary(in_custody_from(D(2017, 1, 2))), today=D(2017, 1, 2))
    assert result.expiry == D(2017, 2, 27)
    assert "working day" not in result.explanation  # Mon 27 Feb 2017 needs no rolling back


# --- Easter 2027 and Christmas 2026 ---------------------------------------------------------------------


@pytest.mark.django_db
def test_easter_2027_summary_raw_easter_monday_rolls_back_to_thu_25_mar():
    # Mon 1 Feb 2027 + 56 = Mon 29 Mar 2027 (Easter Monday); Sun 28, Sat 27, Good Friday 26 -> Thu 25 Mar.
    result = custody_time_limit(summary(in_custody_from(D(2027, 2, 1))), today=D(2027, 2, 1))
    assert result.expiry == D(2027, 3, 25)


@pytest.mark.django_db
def test_easter_2027_either_way_70_days_lands_on_same_weekend():
    # Mon 18 Jan 2027 + 70 = Mon 29 Mar 2027 -> Thu 25 Mar 2027.
    facts = CtlFacts(mode_of_trial="EITHER_WAY", custody=(in_custody_from(D(2027, 1, 18)),))
    result = custody_time_limit(facts, today=D(2027, 1, 18))
    assert (result.limit_days, result.source, result.expiry) == (70, "reg. 4(2)", D(2027, 3, 25))


@pytest.mark.django_db
def test_christmas_2026_substitute_boxing_day_monday_28_dec():
    # 2026: Christmas Fri 25 Dec, Boxing Day Sat 26 Dec with the substitute bank holiday Mon 28 Dec.
    from courts.reference.models import BankHoliday

    assert BankHoliday.objects.filter(date=D(2026, 12, 25)).exists()
    assert BankHoliday.objects.filter(date=D(2026, 12, 28)).exists()
    # Mon 2 Nov 2026 + 56 = Mon 28 Dec -> Sun 27, Sat 26, Fri 25 -> Thu 24 Dec 2026.
    result = custody_time_limit(summary(in_custody_from(D(2026, 11, 2))), today=D(2026, 11, 2))
    assert result.expiry == D(2026, 12, 24)
    # One day later: Tue 29 Dec 2026 is a working day and stands.
    result = custody_time_limit(summary(in_custody_from(D(2026, 11, 3))), today=D(2026, 11, 3))
    assert result.expiry == D(2026, 12, 29)


def test_christmas_day_and_good_friday_are_never_expiry_days_even_without_holiday_data():
    # reg. 2(5) names Christmas Day and Good Friday itself, so a missing year of data cannot make them count.
    assert easter_sunday(2027) == D(2027, 3, 28)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert ctl_expiry_day(D(2026, 12, 25), weekdays_only) == D(2026, 12, 24)
    assert ctl_expiry_day(D(2027, 3, 26), weekdays_only) == D(2027, 3, 25)
    # Easter Monday is a bank holiday only: a calendar without it does not roll back.
    assert ctl_expiry_day(D(2027, 3, 29), weekdays_only) == D(2027, 3, 29)


@pytest.mark.django_db
def test_expiry_in_a_year_without_bank_holiday_data_carries_a_warning():
    from courts.reference.models import BankHoliday

    last_year = BankHoliday.objects.order_by("-date").first().date.year
    start = D(last_year + 1, 3, 1)
    result = custody_time_limit(summary(in_custody_from(start)), today=start)
    assert result.explanation.startswith(f"WARNING: no bank holidays are loaded for {last_year + 1}")
    covered = custody_time_limit(summary(in_custody_from(D(last_year, 3, 1))), today=D(last_year, 3, 1))
    assert "WARNING" not in covered.explanation


def test_fake_calendar_bank_holiday_rolls_back():
    holidays = {D(2030, 5, 6)}
    result = custody_time_limit(
        summary(in_custody_from(D(2030, 3, 11))),  # + 56 = Mon 6 May 2030
        today=D(2030, 3, 11),
        is_working_day=lambda d: d.weekday() < 5 and d not in holidays,
    )
    assert result.expiry == D(2030, 5, 3)


# --- Custody, bail, custody ------------------------------------------------------------------------------


def test_custody_bail_custody_deducts_days_already_spent():
    # Remanded Mon 2 Jun 2025, bailed Thu 12 Jun (10 days: 3rd-12th), remanded again Mon 23 Jun.
    periods = (CustodyPeriod(D(2025, 6, 2), D(2025, 6, 12)), in_custody_from(D(2025, 6, 23)))
    result = custody_time_limit(summary(*periods), today=D(2025, 6, 30), is_working_day=weekdays_only)
    # 23 Jun + (56 - 10) = Fri 8 Aug 2025.
    assert result.running
    assert result.expiry == D(2025, 8, 8)
    assert result.days_spent == 10 + 7
    assert "10 day(s)" in result.explanation


def test_on_bail_the_clock_does_not_run_but_days_are_kept():
    periods = (CustodyPeriod(D(2025, 6, 2), D(2025, 6, 12)),)
    result = custody_time_limit(summary(*periods), today=D(2025, 6, 18), is_working_day=weekdays_only)
    assert not result.running
    assert result.expiry is None
    assert result.days_spent == 10
    assert result.stage == CtlStage.MAGISTRATES
    assert "46 left" in result.explanation


def test_released_today_is_not_in_custody():
    periods = (CustodyPeriod(D(2025, 6, 2), D(2025, 6, 12)),)
    result = custody_time_limit(summary(*periods), today=D(2025, 6, 12), is_working_day=weekdays_only)
    assert not result.running


def test_custody_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        CustodyPeriod(D(2025, 6, 12), D(2025, 6, 2))


# --- Either-way: 70 or 56 ---------------------------------------------------------------------------------


def either_way(**kw) -> CtlFacts:
    return CtlFacts(
        mode_of_trial="EITHER_WAY", custody=(in_custody_from(D(2025, 1, 6)),), first_appearance_on=D(2025, 1, 6), **kw
    )


def test_either_way_before_allocation_is_70_days():
    result = custody_time_limit(either_way(), today=D(2025, 1, 10), is_working_day=weekdays_only)
    assert (result.limit_days, result.expiry, result.source) == (70, D(2025, 3, 17), "reg. 4(2)")
    assert "falls to 56" in result.explanation


def test_either_way_summary_trial_decided_within_56_days_is_56():
    result = custody_time_limit(
        either_way(allocated_summary_on=D(2025, 1, 20)), today=D(2025, 1, 20), is_working_day=weekdays_only
    )
    assert (result.limit_days, result.expiry, result.source) == (56, D(2025, 3, 3), "reg. 4(3)")


def test_either_way_decided_on_the_56th_day_is_still_56():
    result = custody_time_limit(
        either_way(allocated_summary_on=D(2025, 3, 3)), today=D(2025, 3, 3), is_working_day=weekdays_only
    )
    assert result.limit_days == 56


def test_either_way_decided_after_56_days_stays_70():
    result = custody_time_limit(
        either_way(allocated_summary_on=D(2025, 3, 4)), today=D(2025, 3, 4), is_working_day=weekdays_only
    )
    assert (result.limit_days, result.expiry) == (70, D(2025, 3, 17))


def test_a_remand_dated_after_today_is_custody_not_a_stopped_clock():
    # A hearing resulted ahead of the court's "today": the remand still starts the clock.
    result = custody_time_limit(summary(in_custody_from(D(2025, 1, 6))), today=D(2025, 1, 5), is_working_day=weekdays_only)
    assert result.running
    assert (result.expiry, result.days_spent) == (D(2025, 3, 3), 0)


# --- Sent to the Crown Court ------------------------------------------------------------------------------


def test_sent_continuous_custody_182_less_magistrates_days():
    # In custody from Mon 6 Jan 2025, sent Mon 13 Jan (7 days in magistrates' custody):
    # 13 Jan + 182 - 7 = 6 Jan + 182 = Mon 7 Jul 2025.
    facts = CtlFacts(mode_of_trial="EITHER_WAY", custody=(in_custody_from(D(2025, 1, 6)),), sent_on=D(2025, 1, 13))
    result = custody_time_limit(facts, today=D(2025, 1, 13), is_working_day=weekdays_only)
    assert result.stage == CtlStage.CROWN
    assert (result.limit_days, result.expiry, result.source) == (182, D(2025, 7, 7), "reg. 5(6B)")
    assert "less 7 day(s)" in result.explanation


def test_sent_on_bail_then_remanded_by_crown_court_deducts_magistrates_days():
    # 10 days in magistrates' custody (6-16 Jan), sent on bail 3 Feb, remanded in custody 10 Mar 2025:
    # 10 Mar + 182 - 10 = Fri 29 Aug 2025.
    facts = CtlFacts(
        mode_of_trial="INDICTABLE",
        custody=(CustodyPeriod(D(2025, 1, 6), D(2025, 1, 16)), in_custody_from(D(2025, 3, 10))),
        sent_on=D(2025, 2, 3),
    )
    result = custody_time_limit(facts, today=D(2025, 3, 10), is_working_day=weekdays_only)
    assert (result.stage, result.expiry) == (CtlStage.CROWN, D(2025, 8, 29))
    assert "less 10 day(s)" in result.explanation


@pytest.mark.django_db
def test_sent_expiry_rolls_back_over_summer_bank_holiday():
    # Mon 24 Feb 2025 + 182 = Mon 25 Aug 2025 (summer bank holiday) -> Sun, Sat -> Fri 22 Aug 2025.
    facts = CtlFacts(mode_of_trial="INDICTABLE", custody=(in_custody_from(D(2025, 2, 24)),), sent_on=D(2025, 2, 24))
    result = custody_time_limit(facts, today=D(2025, 2, 24))
    assert result.expiry == D(2025, 8, 22)


def test_indictable_not_yet_sent_is_provisional_crown_182():
    facts = CtlFacts(mode_of_trial="INDICTABLE", custody=(in_custody_from(D(2025, 1, 6)),))
    result = custody_time_limit(facts, today=D(2025, 1, 6), is_working_day=weekdays_only)
    assert (result.stage, result.limit_days, result.expiry) == (CtlStage.CROWN, 182, D(2025, 7, 7))
    assert "provisional" in result.source


def test_voluntary_bill_112_days_from_preferment():
    facts = CtlFacts(
        mode_of_trial="INDICTABLE", custody=(in_custody_from(D(2025, 1, 6)),), voluntary_bill_on=D(2025, 3, 3)
    )
    result = custody_time_limit(facts, today=D(2025, 3, 3), is_working_day=weekdays_only)
    assert (result.stage, result.limit_days, result.expiry) == (CtlStage.VOLUNTARY_BILL, 112, D(2025, 6, 23))
    assert result.days_spent == 0


def test_retrial_after_quashed_conviction_restarts_at_112_days():
    facts = CtlFacts(
        mode_of_trial="INDICTABLE",
        custody=(in_custody_from(D(2024, 6, 3)),),
        sent_on=D(2024, 6, 3),
        convicted_on=D(2025, 2, 1),
        retrial_ordered_on=D(2025, 3, 3),
    )
    result = custody_time_limit(facts, today=D(2025, 3, 4), is_working_day=weekdays_only)
    assert result.running
    assert (result.stage, result.expiry) == (CtlStage.RETRIAL, D(2025, 6, 23))


def test_unknown_mode_of_trial_assumes_the_shortest_limit():
    facts = CtlFacts(mode_of_trial="UNKNOWN", custody=(in_custody_from(D(2025, 1, 6)),))
    result = custody_time_limit(facts, today=D(2025, 1, 6), is_working_day=weekdays_only)
    assert (result.limit_days, result.expiry) == (56, D(2025, 3, 3))
    assert "assumed" in result.source


# --- Stops, extension, expiry -----------------------------------------------------------------------------


def test_stopped_on_conviction():
    facts = summary(in_custody_from(D(2025, 6, 2)), convicted_on=D(2025, 6, 20))
    result = custody_time_limit(facts, today=D(2025, 6, 25), is_working_day=weekdays_only)
    assert not result.running
    assert result.expiry is None
    assert result.days_spent == 18
    assert "guilty plea" in result.explanation


def test_stopped_when_concluded():
    result = custody_time_limit(
        summary(in_custody_from(D(2025, 6, 2)), concluded=True), today=D(2025, 6, 25), is_working_day=weekdays_only
    )
    assert not result.running
    assert result.expiry is None
    assert "concluded" in result.explanation


@pytest.mark.django_db
def test_extension_replaces_the_expiry():
    facts = summary(in_custody_from(D(2025, 2, 24)), extended_to=D(2025, 5, 15))
    result = custody_time_limit(facts, today=D(2025, 4, 20))
    assert result.running
    assert result.expiry == D(2025, 5, 15)
    assert "Extended" in result.explanation


def test_stale_extension_earlier_than_statutory_expiry_is_ignored():
    facts = summary(in_custody_from(D(2025, 1, 6)), extended_to=D(2025, 2, 1))
    result = custody_time_limit(facts, today=D(2025, 1, 10), is_working_day=weekdays_only)
    assert result.expiry == D(2025, 3, 3)
    assert "ignored" in result.explanation


def test_expired_limit_says_so_first():
    result = custody_time_limit(
        summary(in_custody_from(D(2025, 1, 6))), today=D(2025, 3, 10), is_working_day=weekdays_only
    )
    assert result.running
    assert result.expiry == D(2025, 3, 3)
    assert result.explanation.startswith("EXPIRED on Mon 3 Mar 2025")


def test_extension_check_accepts_extension_before_expiry():
    ctl_extension_check(current_expiry=D(2025, 4, 17), extended_to=D(2025, 5, 15), decided_on=D(2025, 4, 14))
    # On the expiry day itself the limit has not yet expired (it runs to the end of that day).
    ctl_extension_check(current_expiry=D(2025, 4, 17), extended_to=D(2025, 5, 15), decided_on=D(2025, 4, 17))


def test_extension_after_expiry_is_rejected():
    with pytest.raises(ValueError, match="cannot be extended"):
        ctl_extension_check(current_expiry=D(2025, 4, 17), extended_to=D(2025, 5, 15), decided_on=D(2025, 4, 22))


def test_extension_must_end_after_current_expiry():
    with pytest.raises(ValueError, match="after the current expiry"):
        ctl_extension_check(current_expiry=D(2025, 4, 17), extended_to=D(2025, 4, 17), decided_on=D(2025, 4, 14))


# --- Remand maxima (MCA 1980) -----------------------------------------------------------------------------


def test_remand_before_conviction_8_clear_days():
    # Remanded Mon 1 Sep 2025: clear days 2nd-9th, so the latest next hearing is Wed 10 Sep.
    latest, source = remand_custody_maximum(
        remanded_on=D(2025, 9, 1), convicted=False, previously_remanded_in_custody=False, next_stage_date_fixed=False
    )
    assert latest == D(2025, 9, 10)
    assert "s.128(6)" in source


def test_first_remand_cannot_use_28_days_even_with_a_date_fixed():
    latest, _ = remand_custody_maximum(
        remanded_on=D(2025, 9, 1), convicted=False, previously_remanded_in_custody=False, next_stage_date_fixed=True
    )
    assert latest == D(2025, 9, 10)


def test_second_remand_with_next_stage_fixed_28_clear_days():
    latest, source = remand_custody_maximum(
        remanded_on=D(2025, 9, 1), convicted=False, previously_remanded_in_custody=True, next_stage_date_fixed=True
    )
    assert latest == D(2025, 9, 30)
    assert "s.128A" in source


def test_second_remand_ends_no_later_than_the_fixed_date():
    latest, _ = remand_custody_maximum(
        remanded_on=D(2025, 9, 1),
        convicted=False,
        previously_remanded_in_custody=True,
        next_stage_date_fixed=True,
        next_stage_on=D(2025, 9, 19),
    )
    assert latest == D(2025, 9, 19)


def test_after_conviction_three_weeks_for_reports():
    latest, source = remand_custody_maximum(
        remanded_on=D(2025, 9, 1), convicted=True, previously_remanded_in_custody=True, next_stage_date_fixed=True
    )
    assert latest == D(2025, 9, 22)
    assert "s.10(3)" in source
