"""What each list shows of one court day, with worked dates for 16 March 2026 (RULES.md §B.8)."""

import pytest

from courts.common.errors import ValidationFailed
from courts.publishing.enums import Audience, CourtListType, ListFormat
from courts.publishing.selectors import UNDER_18, YOUTH_COURT, CourtList, ListedDefendant, court_list_build
from courts.publishing.tests.factories import (
    CROWN_OU,
    HEARING_DAY,
    MAGISTRATES_OU,
    SEXUAL_OFFENCE_RESTRICTION,
    VICTIM,
    a_case,
    crown_day,
    defendants_of,
    list_hearing,
    magistrates_day,
    person,
    warned_for_week,
)
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db


def build(list_type: CourtListType, ou: str = MAGISTRATES_OU, date=HEARING_DAY) -> CourtList:
    return court_list_build(court_centre=CourtCentre.objects.get(ou_code=ou), date=date, list_type=list_type)


def defendants(court_list: CourtList) -> list[ListedDefendant]:
    hearings = [h for s in court_list.sittings for h in s.hearings] + list(court_list.unfixed_hearings)
    return [d for h in hearings for c in h.cases for d in c.defendants]


def names(court_list: CourtList) -> list[str]:
    return [d.name for d in defendants(court_list)]


def by_name(court_list: CourtList, name: str) -> ListedDefendant:
    return next(d for d in defendants(court_list) if d.name == name)


# --- The public list -----------------------------------------------------------------------------


def test_public_list_hides_a_defendant_17_on_the_hearing_date_and_shows_one_who_turned_18_the_day_before():
    # given Sam, born 17 March 2008, is 17 on Monday 16 March 2026; Ella, born 15 March 2008, turned 18 on Sunday
    magistrates_day()
    # when
    public = build(CourtListType.PUBLIC)
    # then
    assert "Sam Seventeen" not in names(public)
    assert "Ella Eighteen" in names(public)
    assert all("01AB1234526" != c.urn for s in public.sittings for h in s.hearings for c in h.cases)


def test_public_list_has_no_youth_court_sitting_and_no_empty_sitting():
    magistrates_day()
    public = build(CourtListType.PUBLIC)
    assert [s.court_room for s in public.sittings] == ["Courtroom 1"]
    assert "Yasmin Youth" not in names(public)


def test_public_list_leaves_out_a_case_with_a_reporting_restriction():
    magistrates_day()
    public = build(CourtListType.PUBLIC)
    urns = [c.urn for s in public.sittings for h in s.hearings for c in h.cases]
    assert "01AB1234528" not in urns
    assert "Rob Restricted" not in names(public)
    assert all(not c.is_restricted for s in public.sittings for h in s.hearings for c in h.cases)


def test_public_list_shows_an_adult_but_not_the_17_year_old_co_defendant_in_the_same_case():
    magistrates_day()
    public = build(CourtListType.PUBLIC)
    assert "Carl Cohen" in names(public)
    assert "Tom Teen" not in names(public)


def test_public_list_shows_offence_titles_never_wording_nor_details():
    # given an offence wording that names the victim
    magistrates_day()
    # when
    jane = by_name(build(CourtListType.PUBLIC), "Jane Doe")
    # then
    assert [o.title for o in jane.offences] == ["Assault by beating"]
    assert all(o.wording == "" for o in jane.offences)
    assert (jane.date_of_birth, jane.age, jane.address_lines, jane.postcode, jane.asn) == (None, None, (), "", "")


def test_public_list_in_order_with_times_and_prosecutors():
    magistrates_day()
    public = build(CourtListType.PUBLIC)
    hearings = public.sittings[0].hearings
    assert [h.start_time.strftime("%H:%M") for h in hearings] == ["10:00", "10:40", "11:20", "11:40"]
    assert [c.prosecutor for h in hearings for c in h.cases] == [
        "Crown Prosecution Service", "Crown Prosecution Service", "Transport for London", "Crown Prosecution Service"]
    assert public.sittings[0].judiciary == ("Ms A Patel", "Mr B Jones", "Mrs C Lee")


def test_defendant_with_no_date_of_birth_is_treated_as_an_adult_as_common_platform_does():
    day = magistrates_day()
    case = a_case("01AB1234560", person("Norah", "Unknown", None))
    list_hearing(day.adult, *defendants_of(case))
    assert "Norah Unknown" in names(build(CourtListType.PUBLIC))


# --- The press list ------------------------------------------------------------------------------


def test_press_list_shows_date_of_birth_age_address_and_wording_of_adults():
    magistrates_day()
    ella = by_name(build(CourtListType.PRESS), "Ella Eighteen")
    assert ella.age == 18
    assert ella.address_lines == ("1 High Street", "London")
    assert ella.postcode == "SW11 1JU"
    assert ella.offences[0].wording == f"Assaulted {VICTIM} by beating her"
    assert ella.asn == "" and ella.pnc_id == ""  # police identifiers are for the court only


def test_press_list_withholds_the_identity_of_under_18s_with_the_reason():
    magistrates_day()
    press = build(CourtListType.PRESS)
    assert "Sam Seventeen" not in names(press) and "Tom Teen" not in names(press)
    sam = next(c for s in press.sittings for h in s.hearings for c in h.cases if c.urn == "01AB1234526").defendants[0]
    assert sam.is_anonymous and sam.name == "Name withheld"
    assert (sam.first_name, sam.last_name, sam.date_of_birth, sam.address_lines) == ("", "", None, ())
    assert sam.restrictions == (UNDER_18,)
    assert [o.title for o in sam.offences] == ["Assault by beating"] and sam.offences[0].wording == ""


def test_press_list_lists_a_restricted_case_with_its_restriction_and_no_identifying_details():
    magistrates_day()
    press = build(CourtListType.PRESS)
    case = next(c for s in press.sittings for h in s.hearings for c in h.cases if c.urn == "01AB1234528")
    assert case.reporting_restrictions == (SEXUAL_OFFENCE_RESTRICTION,)
    assert case.is_restricted
    rob = case.defendants[0]
    assert rob.is_anonymous and "Rob" not in rob.name
    assert all(VICTIM not in o.wording for o in rob.offences)


def test_press_list_shows_the_youth_court_with_every_defendant_anonymous():
    magistrates_day()
    press = build(CourtListType.PRESS)
    youth = next(s for s in press.sittings if s.court_room == "Youth court")
    listed = [d for h in youth.hearings for c in h.cases for d in c.defendants]
    assert [d.name for d in listed] == ["Name withheld"]
    assert YOUTH_COURT in listed[0].restrictions


# --- The internal list ---------------------------------------------------------------------------


def test_internal_list_shows_everything_with_the_reasons_it_is_hidden_from_the_public():
    magistrates_day()
    internal = build(CourtListType.INTERNAL)
    assert [s.court_room for s in internal.sittings] == ["Courtroom 1", "Courtroom 3", "Youth court"]
    assert {"Sam Seventeen", "Tom Teen", "Rob Restricted", "Yasmin Youth", "Jane Doe"} <= set(names(internal))
    sam = by_name(internal, "Sam Seventeen")
    assert sam.restrictions == (UNDER_18,) and sam.age == 17 and sam.asn
    assert by_name(internal, "Rob Restricted").offences[0].wording == f"Sexually assaulted {VICTIM}"
    assert by_name(internal, "Jane Doe").restrictions == ()


# --- List types and jurisdictions ----------------------------------------------------------------


def test_each_list_type_has_its_audience_and_format():
    magistrates_day()
    crown_day()
    assert (build(CourtListType.PUBLIC).audience, build(CourtListType.PUBLIC).format) == (
        Audience.PUBLIC, ListFormat.MAGISTRATES_PUBLIC)
    assert build(CourtListType.PRESS).format == ListFormat.MAGISTRATES_STANDARD
    assert build(CourtListType.PUBLIC, CROWN_OU).format == ListFormat.CROWN_DAILY
    assert build(CourtListType.CROWN_FIRM, CROWN_OU).audience == Audience.PRESS
    assert build(CourtListType.CROWN_WARNED, CROWN_OU).format == ListFormat.CROWN_WARNED


def test_a_crown_court_list_for_a_magistrates_court_is_refused_with_the_lists_it_can_have():
    with pytest.raises(ValidationFailed) as error:
        build(CourtListType.CROWN_FIRM)
    assert error.value.errors[0].field == "type"
    assert "Lavender Hill Magistrates' Court is a magistrates' court" in error.value.detail
    assert "public, press, internal" in error.value.detail


def test_crown_daily_list_applies_the_same_restrictions():
    crown_day()
    daily = build(CourtListType.CROWN_DAILY, CROWN_OU)
    assert names(daily) == ["Jane Doe"]
    assert [s.court_room for s in daily.sittings] == ["Court 2"]


def test_crown_warned_list_covers_the_week_and_the_trials_waiting_for_a_day_in_it():
    # given a trial listed on Monday, and one warned for the week without a fixed date
    crown_day()
    warned_for_week()
    # when the warned list is asked for on the Wednesday
    warned = build(CourtListType.CROWN_WARNED, CROWN_OU, date=HEARING_DAY.replace(day=18))
    # then
    assert (warned.start_date, warned.end_date) == (HEARING_DAY, HEARING_DAY.replace(day=20))
    assert [d.name for h in warned.unfixed_hearings for c in h.cases for d in c.defendants] == ["Wendy Warned"]
    assert "Jane Doe" in names(warned)
    assert "Sam Seventeen" not in names(warned)  # anonymous: a press list


def test_a_day_takes_six_queries_however_many_hearings_it_has(django_assert_num_queries):
    # given a day, then three more cases of two defendants each
    day = magistrates_day()
    centre = CourtCentre.objects.get(ou_code=MAGISTRATES_OU)
    for n in range(3):
        case = a_case(f"01AB12345{70 + n}", person("Extra", f"Person{n}"), person("Other", f"Person{n}"))
        list_hearing(day.adult, *defendants_of(case))
    # then: sittings, hearing days, their defendants, offences, prosecutors, recorded reporting restrictions
    with django_assert_num_queries(6):
        court_list = court_list_build(court_centre=centre, date=HEARING_DAY, list_type=CourtListType.INTERNAL)
    assert len(names(court_list)) == 8 + 6
