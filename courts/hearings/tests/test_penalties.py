"""Worked figures for the standard scale and the victim surcharge (shared/RULES.md B.6-B.7). Money in pence."""

import datetime as dt
import json
from pathlib import Path

import pytest

from courts.hearings.penalties import (
    LIFE_SHORT_CODES,
    SurchargeItem,
    SurchargeSentence,
    SurchargeUnknown,
    fine_maximum_check,
    standard_scale_maximum,
    surcharge_sentence_for,
    victim_surcharge,
)

D = dt.date
S = SurchargeSentence
AFTER_2022 = D(2024, 5, 1)


def adult(*items: SurchargeItem) -> int:
    return victim_surcharge(items, age_at_offence=30, is_organisation=False).amount_pence


# --- Standard scale ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "pence"), [(1, 20_000), (2, 50_000), (3, 100_000), (4, 250_000), (5, None)]
)
def test_standard_scale_on_or_after_12_march_2015(level, pence):
    assert standard_scale_maximum(level, D(2015, 3, 12)) == pence


def test_level_5_is_5000_pounds_the_day_before_12_march_2015():
    assert standard_scale_maximum(5, D(2015, 3, 11)) == 500_000
    assert standard_scale_maximum(4, D(2015, 3, 11)) == 250_000


@pytest.mark.parametrize(("level", "pence"), [(1, 5_000), (2, 10_000), (3, 40_000), (4, 100_000), (5, 200_000)])
def test_standard_scale_before_1_october_1992(level, pence):
    assert standard_scale_maximum(level, D(1992, 9, 30)) == pence


def test_standard_scale_from_1_october_1992():
    assert standard_scale_maximum(5, D(1992, 10, 1)) == 500_000


def test_standard_scale_rejects_unknown_level_and_untabulated_date():
    with pytest.raises(ValueError):
        standard_scale_maximum(6, D(2020, 1, 1))
    with pytest.raises(ValueError):
        standard_scale_maximum(3, D(1980, 1, 1))


def test_fine_maximum_check():
    assert fine_maximum_check(amount_pence=100_000, level=3, offence_date=D(2024, 1, 1)) is None
    message = fine_maximum_check(amount_pence=100_100, level=3, offence_date=D(2024, 1, 1))
    assert message is not None
    assert "£1,001" in message and "£1,000" in message and "level 3" in message and "s.122" in message
    assert fine_maximum_check(amount_pence=10_000_000, level=5, offence_date=D(2024, 1, 1)) is None  # unlimited
    assert "£5,000" in fine_maximum_check(amount_pence=600_000, level=5, offence_date=D(2014, 1, 1))
    assert fine_maximum_check(amount_pence=10_000_000, level=None, offence_date=D(2024, 1, 1)) is None
    assert "Cannot check" in fine_maximum_check(amount_pence=100, level=1, offence_date=D(1980, 1, 1))


# --- Victim surcharge, offences on or after 16 June 2022 --------------------------------------------------


def test_fine_200_pounds_gives_80():
    assert adult(SurchargeItem(S.FINE, AFTER_2022, fine_pence=20_000)) == 8_000


def test_fine_40_pounds_gives_minimum_26():
    assert adult(SurchargeItem(S.FINE, AFTER_2022, fine_pence=4_000)) == 2_600


def test_fine_6000_pounds_gives_maximum_2000():
    assert adult(SurchargeItem(S.FINE, AFTER_2022, fine_pence=600_000)) == 200_000


def test_fine_rounded_to_nearest_pound():
    assert adult(SurchargeItem(S.FINE, AFTER_2022, fine_pence=12_345)) == 4_900  # 40% of £123.45 = £49.38
    assert adult(SurchargeItem(S.FINE, AFTER_2022, fine_pence=12_375)) == 5_000  # £49.50 rounds up


def test_fines_for_several_offences_are_added_before_the_percentage():
    items = [SurchargeItem(S.FINE, AFTER_2022, fine_pence=10_000), SurchargeItem(S.FINE, AFTER_2022, fine_pence=15_000)]
    assert adult(*items) == 10_000  # 40% of £250


def test_conditional_discharge_and_community_order():
    assert adult(SurchargeItem(S.CONDITIONAL_DISCHARGE, AFTER_2022)) == 2_600
    assert adult(SurchargeItem(S.COMMUNITY, AFTER_2022)) == 11_400


def test_custody_bands():
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4)) == 15_400
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_days=26 * 7)) == 15_400  # 26 weeks = 6 months
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=6)) == 15_400
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=7)) == 18_700
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=24)) == 18_700
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_days=104 * 7)) == 18_700
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=30)) == 22_800
    assert adult(SurchargeItem(S.CUSTODY, AFTER_2022, life=True)) == 22_800


def test_suspended_sentence_bands():
    assert adult(SurchargeItem(S.SUSPENDED, AFTER_2022, custody_months=6)) == 15_400
    assert adult(SurchargeItem(S.SUSPENDED, AFTER_2022, custody_months=12)) == 18_700


def test_consecutive_terms_are_aggregated_concurrent_are_not():
    four = SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4)
    assert adult(four, four) == 15_400  # concurrent: 4 months
    assert adult(four, SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4, consecutive=True)) == 18_700  # 8 months


def test_custody_without_a_term_is_unknown():
    with pytest.raises(SurchargeUnknown, match="length"):
        adult(SurchargeItem(S.CUSTODY, AFTER_2022))


def test_one_surcharge_the_highest_of_the_disposals():
    items = [
        SurchargeItem(S.FINE, AFTER_2022, fine_pence=20_000),  # £80
        SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4),  # £154
        SurchargeItem(S.CONDITIONAL_DISCHARGE, AFTER_2022),  # £26
    ]
    result = victim_surcharge(items, age_at_offence=30, is_organisation=False)
    assert result.amount_pence == 15_400
    assert "highest" in result.explanation
    assert "SI 2022/584" in result.source


def test_large_fine_can_exceed_custody_amount():
    items = [SurchargeItem(S.FINE, AFTER_2022, fine_pence=1_000_000), SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4)]
    assert adult(*items) == 200_000


def test_absolute_discharge_carries_no_surcharge():
    result = victim_surcharge([SurchargeItem(S.ABSOLUTE_DISCHARGE, AFTER_2022)], age_at_offence=30, is_organisation=False)
    assert result.amount_pence == 0
    assert "absolute discharge" in result.explanation


def test_youth_table():
    def youth(*items):
        return victim_surcharge(items, age_at_offence=16, is_organisation=False).amount_pence

    assert youth(SurchargeItem(S.CONDITIONAL_DISCHARGE, AFTER_2022)) == 2_000
    assert youth(SurchargeItem(S.FINE, AFTER_2022, fine_pence=100_000)) == 2_600  # flat, not 40%
    assert youth(SurchargeItem(S.YOUTH_REHABILITATION, AFTER_2022)) == 2_600
    assert youth(SurchargeItem(S.REFERRAL, AFTER_2022)) == 2_600
    assert youth(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4)) == 4_100


def test_youth_orders_are_not_in_the_adult_table():
    with pytest.raises(SurchargeUnknown, match="under 18"):
        adult(SurchargeItem(S.REFERRAL, AFTER_2022))


def test_organisation_table():
    def org(*items):
        return victim_surcharge(items, age_at_offence=None, is_organisation=True).amount_pence

    assert org(SurchargeItem(S.CONDITIONAL_DISCHARGE, AFTER_2022)) == 2_600
    assert org(SurchargeItem(S.FINE, AFTER_2022, fine_pence=5_000_000)) == 200_000
    assert org(SurchargeItem(S.FINE, AFTER_2022, fine_pence=4_000)) == 2_600
    with pytest.raises(SurchargeUnknown):
        org(SurchargeItem(S.CUSTODY, AFTER_2022, custody_months=4))


def test_age_unknown_is_refused():
    with pytest.raises(SurchargeUnknown, match="age"):
        victim_surcharge([SurchargeItem(S.FINE, AFTER_2022, fine_pence=20_000)], age_at_offence=None, is_organisation=False)


def test_no_items_no_surcharge():
    assert victim_surcharge([], age_at_offence=30, is_organisation=False).amount_pence == 0


# --- Earlier tables and the earliest-offence rule ---------------------------------------------------------


def test_offence_in_2021_uses_the_2020_table_where_verified():
    # SI 2020/310: fine 10%, min £34, max £190; community order £95; CD £22.
    assert adult(SurchargeItem(S.FINE, D(2021, 3, 1), fine_pence=20_000)) == 3_400
    assert adult(SurchargeItem(S.FINE, D(2021, 3, 1), fine_pence=100_000)) == 10_000
    assert adult(SurchargeItem(S.COMMUNITY, D(2021, 3, 1))) == 9_500
    assert adult(SurchargeItem(S.CONDITIONAL_DISCHARGE, D(2021, 3, 1))) == 2_200


def test_offence_in_2021_unverified_figure_is_refused_not_guessed():
    with pytest.raises(SurchargeUnknown, match="SI 2020/310"):
        adult(SurchargeItem(S.CUSTODY, D(2021, 3, 1), custody_months=4))


def test_offence_in_april_2020_is_refused_commencement_day_unverified():
    with pytest.raises(SurchargeUnknown, match="April 2020"):
        adult(SurchargeItem(S.COMMUNITY, D(2020, 4, 10)))


def test_offence_in_2019_uses_the_2019_table():
    assert adult(SurchargeItem(S.COMMUNITY, D(2019, 7, 1))) == 9_000
    assert adult(SurchargeItem(S.CUSTODY, D(2019, 7, 1), custody_months=30)) == 18_100


def test_offence_before_any_held_table_is_refused():
    with pytest.raises(SurchargeUnknown, match="not held"):
        adult(SurchargeItem(S.FINE, D(2018, 1, 1), fine_pence=20_000))


def test_offences_spanning_a_change_use_the_table_of_the_earliest_offence():
    items = [SurchargeItem(S.COMMUNITY, D(2019, 7, 1)), SurchargeItem(S.FINE, AFTER_2022, fine_pence=20_000)]
    result = victim_surcharge(items, age_at_offence=30, is_organisation=False)
    # 2019 table: community order £90; fine 10% of £200 = £20, minimum £32.
    assert result.amount_pence == 9_000
    assert "SI 2019/985" in result.source


# --- Result definitions -----------------------------------------------------------------------------------

RESULT_DEFINITIONS = Path(
    "/work/shared/reference/cpp-context-hearing/hearing-integration-test/src/test/resources/stub-data/"
    "result-definitions.json"
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("FO", S.FINE),
        ("CD", S.CONDITIONAL_DISCHARGE),
        ("AD", S.ABSOLUTE_DISCHARGE),
        ("co", S.COMMUNITY),
        ("YRO", S.YOUTH_REHABILITATION),
        ("YOP", S.REFERRAL),
        ("SUSPS", S.SUSPENDED),
        ("SUSPSD", S.SUSPENDED),
        ("imp", S.CUSTODY),
        ("yoi", S.CUSTODY),
        ("DTO", S.CUSTODY),
        ("MLI", S.CUSTODY),
        ("SSI", None),  # activation of a suspended sentence
        ("IMPDP", None),  # imprisonment in default
        ("YOPE", None),  # referral order extended
        ("FCOMP", None),  # compensation
        ("FVS", None),  # the surcharge itself
        ("NSP", None),
        ("RI", None),
    ],
)
def test_surcharge_sentence_for_short_codes(code, expected):
    assert surcharge_sentence_for(code, {}) == expected


def test_unknown_short_code_falls_back_to_cjs_code_of_a_final_conviction_result():
    definition = {"level": "O", "category": "F", "convicted": "Y", "cjsCode": "1002"}
    assert surcharge_sentence_for("NEWIMP", definition) == S.CUSTODY
    assert surcharge_sentence_for("NEWIMP", {**definition, "category": "A"}) is None
    assert surcharge_sentence_for("NEWIMP", {**definition, "convicted": "N"}) is None


@pytest.mark.skipif(not RESULT_DEFINITIONS.exists(), reason="reference directory not present")
def test_every_mapped_code_is_a_final_offence_result_in_the_reference_data():
    definitions = {d["shortCode"].upper(): d for d in json.loads(RESULT_DEFINITIONS.read_text())["resultDefinitions"]}
    for code in ("FO", "CD", "AD", "CO", "YRO", "YOP", "SUSPS", "IMP", "YOI", "DTO", *LIFE_SHORT_CODES):
        definition = definitions[code]
        assert definition["level"] == "O" and definition["category"] == "F", code
        assert surcharge_sentence_for(definition["shortCode"], definition) is not None, code
    sentences = {
        code: surcharge_sentence_for(d["shortCode"], d) for code, d in definitions.items()
    }
    # Nothing that is not a conviction result is mapped to a surcharge disposal.
    for code, sentence in sentences.items():
        if sentence is not None:
            assert str(definitions[code].get("convicted")).upper() == "Y", code
