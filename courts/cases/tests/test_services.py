import datetime as dt

import pytest

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import organisation_get_or_create
from courts.audit.models import Event
from courts.cases.enums import IntakeChannel, OffenceStatus
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.models import ProsecutionCase
from courts.cases.services import (
    case_intake,
    defendant_update,
    offence_add,
    offence_withdraw,
    offence_wording_correct,
)
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.common.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db

ACTOR = Actor(label="Test adviser", is_court_staff=True, national=True)


def prosecutor(name="CPS"):
    return organisation_get_or_create(name=name, kind=OrganisationKind.PROSECUTOR, actor=ACTOR)[0]


def intake(urn="01AB1234525", **defendant) -> CaseIntake:
    today = court_today()
    fields = {"first_name": "John", "last_name": "Smith", "date_of_birth": dt.date(1985, 2, 3), "asn": valid_asn()}
    fields.update(defendant)
    return CaseIntake(
        urn=urn,
        initiation_type="C",
        court_centre_ou_code=COURT_OU,
        hearing_date=today + dt.timedelta(days=3),
        defendants=[
            DefendantIntake(
                kind="person",
                offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording="Stole bread",
                                        start_date=today - dt.timedelta(days=10),
                                        charge_date=today - dt.timedelta(days=9))],
                **fields,
            )
        ],
    )


def create(case_intake_=None, org=None, **kwargs):
    return case_intake(intake=case_intake_ or intake(), prosecutor=org or prosecutor(), actor=ACTOR,
                       channel=IntakeChannel.API, **kwargs)


def test_case_is_created_with_mode_of_trial_from_reference_data():
    outcome = create()
    offence = outcome.case.defendants.get().offences.get()
    assert outcome.created
    assert offence.mode_of_trial == "EITHER_WAY"
    assert offence.title.startswith("Theft")


def test_same_idempotency_key_returns_the_same_case_once():
    first = create(idempotency_key="k1", digest="d1")
    again = create(idempotency_key="k1", digest="d1")
    assert again.case.id == first.case.id
    assert again.replayed and not again.created
    assert ProsecutionCase.objects.count() == 1
    assert Event.objects.filter(type="case.created").count() == 1


def test_idempotency_key_reused_for_another_request_is_a_conflict():
    create(idempotency_key="k1", digest="d1")
    with pytest.raises(Conflict, match="different request"):
        create(intake("01AB1234526"), idempotency_key="k1", digest="d2")


def test_duplicate_urn_for_same_prosecutor_is_a_conflict_but_another_prosecutor_may_use_it():
    create()
    with pytest.raises(Conflict, match="already has a case with URN 01AB1234525"):
        create(intake("01ab1234525"))
    other = create(org=prosecutor("Metropolitan Police"))
    assert other.created


def test_offence_after_charge_and_future_birth_are_rejected_with_fields():
    today = court_today()
    bad = intake(date_of_birth=today + dt.timedelta(days=1))
    bad.defendants[0].offences[0].charge_date = today - dt.timedelta(days=20)
    with pytest.raises(ValidationFailed) as error:
        create(bad)
    fields = {e.field for e in error.value.errors}
    assert fields == {"date_of_birth", "charge_date"}
    assert ProsecutionCase.objects.count() == 0


def test_unknown_court_centre_and_past_first_hearing_are_rejected():
    bad = intake()
    bad.court_centre_ou_code = "B99XX99"
    bad.hearing_date = court_today() - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as error:
        create(bad)
    assert {e.field for e in error.value.errors} == {"court_centre_ou_code", "hearing_date"}


def test_bail_conditions_need_conditional_bail():
    with pytest.raises(ValidationFailed) as error:
        create(intake(bail_status="U", bail_conditions="Curfew 7pm to 7am"))
    assert [e.field for e in error.value.errors] == ["bail_conditions"]


def test_add_to_existing_adds_only_new_defendants():
    first = create()
    second = intake(first_name="Mary", last_name="Jones", asn=valid_asn(448755))
    second.defendants.insert(0, intake().defendants[0])
    outcome = create(second, add_to_existing=True)
    assert outcome.case.id == first.case.id
    assert outcome.defendants_added == 1
    assert list(outcome.case.defendants.values_list("last_name", flat=True)) == ["Smith", "Jones"]
    assert Event.objects.filter(type="case.defendant_added", case_id=first.case.id).count() == 1


def test_defendant_update_records_what_changed_and_rejects_stale_versions():
    case = create().case
    defendant = case.defendants.get()
    read_version = case.version
    details = intake(last_name="Smythe").defendants[0]
    defendant_update(defendant=defendant, actor=ACTOR, expected_version=read_version, details=details)
    event = Event.objects.get(type="case.defendant_updated")
    assert event.payload["changes"]["last_name"] == {"from": "Smith", "to": "Smythe"}
    with pytest.raises(Conflict, match="changed by someone else"):
        defendant_update(defendant=defendant, actor=ACTOR, expected_version=read_version,
                         details=intake(last_name="Smithson").defendants[0])
    defendant.refresh_from_db()
    assert defendant.last_name == "Smythe"


def test_offence_add_withdraw_and_correct_wording_each_record_an_event():
    case = create().case
    defendant = case.defendants.get()
    added = offence_add(defendant=defendant, actor=ACTOR, expected_version=1,
                        offence=OffenceIntake(cjs_code=COMMON_ASSAULT, wording="Assaulted A by beating",
                                              start_date=court_today() - dt.timedelta(days=10)))
    assert added.sequence == 2 and added.mode_of_trial == "SUMMARY"
    offence_withdraw(offence=added, actor=ACTOR, expected_version=2, reason="Prosecution discontinued")
    offence_wording_correct(offence=defendant.offences.get(sequence=1), actor=ACTOR, expected_version=3,
                            wording="Stole bread and milk")
    added.refresh_from_db()
    assert added.status == OffenceStatus.WITHDRAWN
    types = list(Event.objects.filter(case_id=case.id, type__startswith="case.").values_list("type", flat=True))
    assert types == ["case.created", "case.offence_added", "case.offence_withdrawn", "case.offence_wording_corrected"]


def test_withdrawing_needs_a_reason_and_changes_nothing_without_one():
    case = create().case
    offence = case.defendants.get().offences.get()
    with pytest.raises(ValidationFailed):
        offence_withdraw(offence=offence, actor=ACTOR, expected_version=1, reason="  ")
    offence.refresh_from_db()
    case.refresh_from_db()
    assert offence.status == OffenceStatus.ACTIVE and case.version == 1
