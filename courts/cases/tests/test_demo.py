import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from courts.audit.models import Event
from courts.cases.demo import PROSECUTORS, DemoCases
from courts.cases.enums import InitiationType, IntakeChannel
from courts.cases.intake import validate_case
from courts.cases.models import Defendant, ProsecutionCase
from courts.common.errors import ErrorCollector

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_given_an_empty_database_when_demo_runs_then_each_case_has_its_created_event():
    # when
    output = run_demo("--cases", "24", "--password", PASSWORD)
    # then
    assert "and 24 demo cases" in output
    cases = ProsecutionCase.objects.all()
    assert cases.count() == 24
    assert set(cases.values_list("channel", flat=True)) == {IntakeChannel.DEMO}
    events = Event.objects.filter(type="case.created")
    assert set(events.values_list("case_id", flat=True)) == set(cases.values_list("id", flat=True))
    assert Event.objects.filter(type="user.created").count() == 4
    assert Event.objects.filter(type="api_token.created").count() == 1
    assert {c.prosecutor.name for c in cases} == {p.name for p in PROSECUTORS}


def test_given_a_password_when_demo_runs_then_each_staff_user_signs_in_with_it():
    run_demo("--cases", "1", "--password", PASSWORD)
    for username in ("adviser", "associate", "listing", "admin"):
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert user.organisation.kind == "hmcts"


def test_given_no_password_when_demo_runs_then_the_printed_passwords_and_token_work(client):
    # when
    output = run_demo("--cases", "6")
    # then: each user signs in with the password printed beside it
    printed = dict(re.findall(r"^\s+(adviser|associate|listing|admin)\s+.*?(\S+)$", output, re.MULTILINE))
    assert set(printed) == {"adviser", "associate", "listing", "admin"}
    assert len(set(printed.values())) == 4
    for username, password in printed.items():
        assert authenticate(username=username, password=password) is not None, username
    # and the printed token reads the Metropolitan Police's cases, and only those
    token = re.search(r"crt_\S+", output).group(0)
    met_case = ProsecutionCase.objects.filter(prosecutor__name="Metropolitan Police").first()
    response = client.get(f"/api/v1/cases?urn={met_case.urn}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [str(met_case.id)]
    cps_case = ProsecutionCase.objects.filter(prosecutor__name="Crown Prosecution Service").first()
    response = client.get(f"/api/v1/cases?urn={cps_case.urn}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json() == []


def test_given_cases_exist_when_demo_runs_with_if_empty_then_nothing_is_added():
    run_demo("--cases", "3", "--password", PASSWORD)
    events = Event.objects.count()
    # when
    output = run_demo("--if-empty")
    # then
    assert "no demo data added" in output
    assert ProsecutionCase.objects.count() == 3
    assert Event.objects.count() == events


def test_given_a_demo_ran_when_it_runs_again_then_it_adds_cases_with_new_urns():
    run_demo("--cases", "20", "--password", PASSWORD)
    # when
    output = run_demo("--cases", "20")
    # then
    assert ProsecutionCase.objects.count() == 40
    assert "already existed: password unchanged" in output
    assert authenticate(username="adviser", password=PASSWORD) is not None


def test_generated_cases_pass_intake_validation_with_valid_identifiers_and_real_codes():
    generator = DemoCases(seed=7)
    seen_initiations, seen_bail = set(), set()
    for prosecutor in PROSECUTORS:
        for intake in generator.cases(prosecutor, range(1, 41)):
            errors = ErrorCollector()
            validate_case(intake, errors)
            assert errors.errors == [], (intake.urn, errors.errors)
            seen_initiations.add(intake.initiation_type)
            seen_bail |= {d.bail_status for d in intake.defendants}
            assert intake.hearing_date.weekday() < 5
    assert {InitiationType.CHARGE, InitiationType.REQUISITION, InitiationType.SJP_NOTICE} <= seen_initiations
    assert {"C", "B", "U"} <= seen_bail


def test_custody_cases_are_listed_on_the_next_working_day():
    generator = DemoCases(seed=3, today=dt.date(2026, 12, 24), holidays=frozenset({dt.date(2026, 12, 25),
                                                                                     dt.date(2026, 12, 28)}))
    custody = [c for c in generator.cases(PROSECUTORS[0], range(1, 200))
               if any(d.bail_status == "C" for d in c.defendants)]
    assert custody
    assert {c.hearing_date for c in custody} == {dt.date(2026, 12, 29)}


def test_the_same_seed_gives_the_same_cases():
    first = [c.defendants[0].last_name for c in DemoCases(seed=11).cases(PROSECUTORS[1], range(1, 20))]
    second = [c.defendants[0].last_name for c in DemoCases(seed=11).cases(PROSECUTORS[1], range(1, 20))]
    assert first == second


def test_demo_defendants_include_custody_conditional_and_unconditional_bail():
    run_demo("--cases", "60", "--password", PASSWORD)
    statuses = set(Defendant.objects.values_list("bail_status", flat=True))
    assert {"C", "B", "U"} <= statuses
    assert all(d.bail_conditions for d in Defendant.objects.filter(bail_status="B"))


def test_demo_creates_a_court_calendar_so_that_cases_are_listed():
    from django.core.management import call_command

    from courts.listing.enums import HearingStatus
    from courts.listing.models import Hearing, Sitting

    call_command("demo", "--cases", "10", "--password", "demo password 123", verbosity=0)
    assert Sitting.objects.filter(court_centre__ou_code="B01LY00").exists()
    assert Hearing.objects.filter(status=HearingStatus.LISTED).exists()
