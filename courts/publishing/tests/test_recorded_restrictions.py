"""Reporting restrictions the court recorded (`ReportingRestriction`) on the lists (docs/adr/0003, 0004):
one on a case or an offence covers the case's defendants, one on a defendant covers that defendant;
lifting it puts the defendant back."""

import pytest

from courts.cases.services import reporting_restriction_impose, reporting_restriction_lift
from courts.cases.tests.factories import COURT_OU
from courts.publishing.enums import CourtListType
from courts.publishing.formats import court_list_document
from courts.publishing.selectors import court_list_build
from courts.publishing.tests.factories import (
    ACTOR,
    HEARING_DAY,
    VICTIM,
    a_case,
    defendants_of,
    list_hearing,
    magistrates_day,
    person,
)
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db

SOA = "Anonymity of a sexual offence complainant (Sexual Offences (Amendment) Act 1992 s.1)"
S11 = "Order withholding a name or matter (Contempt of Court Act 1981 s.11)"


def build(list_type):
    return court_list_build(court_centre=CourtCentre.objects.get(ou_code=COURT_OU), date=HEARING_DAY,
                            list_type=list_type)


def listed(court_list):
    return [d for s in court_list.sittings for h in s.hearings for c in h.cases for d in c.defendants]


@pytest.fixture
def day():
    day = magistrates_day()
    case = a_case("01AB1234590", person("Rory", "Restricted"), person("Otto", "Coaccused"))
    list_hearing(day.adult, *defendants_of(case))
    return case


def test_a_complainant_restriction_on_an_offence_keeps_the_case_off_the_public_list_and_anonymous_for_the_press(day):
    rory, otto = defendants_of(day)
    reporting_restriction_impose(case=day, actor=ACTOR, expected_version=None, basis="soaa_1992_s1",
                                 offence=rory.offences.get())
    public = build(CourtListType.PUBLIC)
    assert not {"Rory Restricted", "Otto Coaccused"} & {d.name for d in listed(public)}
    press = build(CourtListType.PRESS)
    mine = [c for s in press.sittings for h in s.hearings for c in h.cases if c.urn == "01AB1234590"][0]
    assert SOA in mine.reporting_restrictions
    assert all(d.is_anonymous and not any(o.wording for o in d.offences) for d in mine.defendants)
    body = str(court_list_document(press))
    assert "Restricted" not in body and "Coaccused" not in body
    internal = build(CourtListType.INTERNAL)
    assert "Rory Restricted" in {d.name for d in listed(internal)}
    assert any(VICTIM in o.wording for d in listed(internal) if d.name == "Rory Restricted" for o in d.offences)


def test_an_order_on_one_defendant_covers_that_defendant_and_lifting_it_lists_them_again(day):
    rory, _ = defendants_of(day)
    row = reporting_restriction_impose(case=day, actor=ACTOR, expected_version=None, basis="cca_1981_s11",
                                       defendant=rory)
    press_names = {d.name for d in listed(build(CourtListType.PRESS))}
    assert "Rory Restricted" not in press_names and "Otto Coaccused" in press_names
    assert S11 in next(d for d in listed(build(CourtListType.PRESS)) if d.is_anonymous and S11 in d.restrictions
                       ).restrictions
    assert "Rory Restricted" not in {d.name for d in listed(build(CourtListType.PUBLIC))}
    reporting_restriction_lift(restriction=row, actor=ACTOR, expected_version=None, reason="Order discharged")
    assert "Rory Restricted" in {d.name for d in listed(build(CourtListType.PUBLIC))}
