import datetime as dt

import pytest
from django.urls import reverse

from courts.audit.models import Event
from courts.cases.models import Defendant, Offence, ProsecutionCase
from courts.cases.services import offence_wording_correct
from courts.cases.tests.factories import COMMON_ASSAULT, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.web.forms import defendant_values
from courts.web.tests.conftest import make_case

pytestmark = pytest.mark.django_db

STALE = "was changed by someone else since you opened it"


def someone_else_changes(case: ProsecutionCase) -> None:
    """Another clerk amends the case after our page was rendered."""
    offence = Offence.objects.filter(defendant__case=case).first()
    offence_wording_correct(offence=offence, actor=Actor(label="Other clerk", is_court_staff=True, national=True),
                            expected_version=ProsecutionCase.objects.get(pk=case.pk).version,
                            wording="Someone else's correction")


def edit_url(case, defendant) -> str:
    return reverse("web:defendant-edit", kwargs={"case_id": case.id, "defendant_id": defendant.id})


def add_url(case, defendant) -> str:
    return reverse("web:offence-add", kwargs={"case_id": case.id, "defendant_id": defendant.id})


def withdraw_url(case, offence) -> str:
    return reverse("web:offence-withdraw", kwargs={"case_id": case.id, "offence_id": offence.id})


def wording_url(case, offence) -> str:
    return reverse("web:offence-wording", kwargs={"case_id": case.id, "offence_id": offence.id})


# A defendant's details


def test_the_defendant_form_is_filled_with_the_stored_details_and_the_case_version(staff_client, case):
    defendant = case.defendants.get()
    html = staff_client.get(edit_url(case, defendant)).content.decode()
    assert 'name="last_name" type="text" value="Doe"' in html
    assert 'name="date_of_birth-day" type="text" inputmode="numeric" value="17"' in html
    assert f'name="asn" type="text" value="{defendant.asn}"' in html
    assert 'value="FEMALE" checked' in html
    assert '<option value="B" selected>' in html
    assert f'name="expected_version" value="{case.version}"' in html


def test_changing_a_defendants_details_saves_them_and_records_the_event(staff_client, case):
    # given
    defendant = case.defendants.get()
    form = {**defendant_values(defendant), "expected_version": str(case.version),
            "last_name": "Doe-Smith", "address_line_1": "2 Low Road", "cro_number": "123456/08X"}
    # when
    response = staff_client.post(edit_url(case, defendant), form)
    # then
    assert response.status_code == 302
    assert response["Location"].endswith(f"#defendant-{defendant.id}")
    defendant.refresh_from_db()
    assert defendant.last_name == "Doe-Smith"
    assert defendant.address_lines == ["2 Low Road", "London"]
    assert defendant.cro_number == "123456/08X"
    event = Event.objects.get(type="case.defendant_updated")
    assert event.actor_label == "Alex Adviser"
    assert set(event.payload["changes"]) == {"last_name", "address_lines", "cro_number"}
    assert "Jane Doe-Smith&#x27;s details amended" in staff_client.get(response["Location"]).content.decode()


def test_a_wrong_identifier_is_shown_on_its_field_and_nothing_changes(staff_client, case):
    defendant = case.defendants.get()
    form = {**defendant_values(defendant), "expected_version": str(case.version), "pnc_id": "2004/0046583A"}
    response = staff_client.post(edit_url(case, defendant), form)
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Change details of Jane Doe - Courts</title>" in html
    assert "<a href=\"#pnc_id\">The PNC ID&#x27;s check letter is wrong: A should be U</a>" in html
    assert 'value="2004/0046583A"' in html
    assert Defendant.objects.get().pnc_id == "2004/0046583U"
    assert not Event.objects.filter(type="case.defendant_updated").exists()


def test_saving_without_a_change_says_so(staff_client, case):
    defendant = case.defendants.get()
    form = {**defendant_values(defendant), "expected_version": str(case.version)}
    html = staff_client.post(edit_url(case, defendant), form).content.decode()
    assert "<li>Nothing was changed</li>" in html


def test_a_stale_defendant_form_is_a_conflict_that_keeps_the_input(staff_client, case):
    # given: the page was rendered, then someone else changed the case
    defendant = case.defendants.get()
    rendered_version = case.version
    someone_else_changes(case)
    form = {**defendant_values(defendant), "expected_version": str(rendered_version), "last_name": "Doe-Smith"}
    # when
    response = staff_client.post(edit_url(case, defendant), form)
    # then
    html = response.content.decode()
    assert response.status_code == 409
    assert STALE in html
    assert 'class="govuk-error-summary"' in html
    assert 'value="Doe-Smith"' in html
    assert f'name="expected_version" value="{rendered_version + 1}"' in html
    assert Defendant.objects.get().last_name == "Doe"
    assert not Event.objects.filter(type="case.defendant_updated").exists()


def test_a_defendant_is_reached_only_through_its_own_case(staff_client, prosecutor, case):
    other = make_case(prosecutor=prosecutor, urn="01AB1234526", asn_sequence=600000)
    response = staff_client.get(edit_url(other, case.defendants.get()))
    assert response.status_code == 404


def test_only_court_staff_amend(prosecutor_client, case):
    defendant = case.defendants.get()
    offence = defendant.offences.get()
    for url in (edit_url(case, defendant), add_url(case, defendant), withdraw_url(case, offence),
                wording_url(case, offence)):
        assert prosecutor_client.get(url).status_code == 403, url


# Adding an offence


def offence_form(case, **overrides) -> dict[str, str]:
    start = court_today() - dt.timedelta(days=3)
    form = {
        "expected_version": str(case.version),
        "cjs_code": COMMON_ASSAULT,
        "wording": "Assaulted a security guard",
        "start_date-day": str(start.day), "start_date-month": str(start.month), "start_date-year": str(start.year),
    }
    form.update(overrides)
    return form


def test_adding_an_offence_saves_it_as_the_next_and_records_the_event(staff_client, case):
    defendant = case.defendants.get()
    response = staff_client.post(add_url(case, defendant), offence_form(case))
    assert response.status_code == 302
    added = defendant.offences.get(sequence=2)
    assert response["Location"].endswith(f"#offence-{added.id}")
    assert added.cjs_code == COMMON_ASSAULT
    assert added.mode_of_trial == "SUMMARY"
    assert Event.objects.filter(type="case.offence_added", case_id=case.id).count() == 1


def test_an_offence_with_errors_is_not_added(staff_client, case):
    defendant = case.defendants.get()
    form = offence_form(case, cjs_code="ZZ99999", wording="", **{"start_date-month": "13"})
    response = staff_client.post(add_url(case, defendant), form)
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#cjs_code">ZZ99999 is not a CJS offence code</a>' in html
    assert '<a href="#wording">Enter the offence wording</a>' in html
    assert '<a href="#start_date-day">The date the offence started must be a real date</a>' in html
    assert 'value="ZZ99999"' in html
    assert defendant.offences.count() == 1


def test_a_stale_add_offence_form_is_a_conflict(staff_client, case):
    defendant = case.defendants.get()
    form = offence_form(case)
    someone_else_changes(case)
    response = staff_client.post(add_url(case, defendant), form)
    assert response.status_code == 409
    assert STALE in response.content.decode()
    assert 'value="Assaulted a security guard"' not in response.content.decode()  # a textarea keeps it as text
    assert "Assaulted a security guard</textarea>" in response.content.decode()
    assert defendant.offences.count() == 1


# Withdrawing an offence


def test_withdrawing_an_offence_records_the_reason_and_shows_it(staff_client, case):
    offence = case.defendants.get().offences.get()
    response = staff_client.post(withdraw_url(case, offence),
                                 {"expected_version": str(case.version), "reason": "No evidence offered"})
    assert response.status_code == 302
    offence.refresh_from_db()
    assert offence.status == "WITHDRAWN"
    assert offence.withdrawn_reason == "No evidence offered"
    assert Event.objects.filter(type="case.offence_withdrawn").count() == 1
    assert "Reason: No evidence offered" in staff_client.get(response["Location"]).content.decode()


def test_withdrawing_needs_a_reason(staff_client, case):
    offence = case.defendants.get().offences.get()
    response = staff_client.post(withdraw_url(case, offence), {"expected_version": str(case.version), "reason": " "})
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#reason">Give the reason the offence is withdrawn</a>' in html
    assert 'aria-describedby="reason-hint reason-error"' in html
    offence.refresh_from_db()
    assert offence.status == "ACTIVE"


def test_a_reason_longer_than_the_record_holds_is_refused_not_cut(staff_client, case):
    offence = case.defendants.get().offences.get()
    response = staff_client.post(withdraw_url(case, offence),
                                 {"expected_version": str(case.version), "reason": "x" * 301})
    assert response.status_code == 422
    assert "The reason must be 300 characters or fewer" in response.content.decode()


def test_a_stale_withdrawal_is_a_conflict_that_keeps_the_reason(staff_client, case):
    offence = case.defendants.get().offences.get()
    rendered_version = case.version
    someone_else_changes(case)
    response = staff_client.post(withdraw_url(case, offence),
                                 {"expected_version": str(rendered_version), "reason": "No evidence offered"})
    html = response.content.decode()
    assert response.status_code == 409
    assert STALE in html
    assert "No evidence offered</textarea>" in html
    assert "Check the case as it is now" in html
    offence.refresh_from_db()
    assert offence.status == "ACTIVE"


def test_an_offence_already_withdrawn_has_no_form(staff_client, case):
    offence = case.defendants.get().offences.get()
    staff_client.post(withdraw_url(case, offence), {"expected_version": str(case.version), "reason": "No evidence"})
    html = staff_client.get(withdraw_url(case, offence)).content.decode()
    assert "Offence 1 is withdrawn" in html
    assert "<textarea" not in html


# Correcting an offence's wording


def test_correcting_the_wording_saves_it_and_records_before_and_after(staff_client, case):
    offence = case.defendants.get().offences.get()
    before = offence.wording
    html = staff_client.get(wording_url(case, offence)).content.decode()
    assert f"{before}</textarea>" in html
    response = staff_client.post(wording_url(case, offence),
                                 {"expected_version": str(case.version), "wording": "Stole food worth £31"})
    assert response.status_code == 302
    offence.refresh_from_db()
    assert offence.wording == "Stole food worth £31"
    event = Event.objects.get(type="case.offence_wording_corrected")
    assert (event.payload["from"], event.payload["to"]) == (before, "Stole food worth £31")


def test_unchanged_wording_is_shown_on_the_wording_field(staff_client, case):
    offence = case.defendants.get().offences.get()
    response = staff_client.post(wording_url(case, offence),
                                 {"expected_version": str(case.version), "wording": offence.wording})
    assert response.status_code == 422
    assert '<a href="#wording">The wording is unchanged</a>' in response.content.decode()


def test_a_stale_wording_correction_is_a_conflict(staff_client, case):
    offence = case.defendants.get().offences.get()
    rendered_version = case.version
    someone_else_changes(case)
    response = staff_client.post(wording_url(case, offence),
                                 {"expected_version": str(rendered_version), "wording": "My correction"})
    assert response.status_code == 409
    assert STALE in response.content.decode()
    assert "My correction</textarea>" in response.content.decode()
    offence.refresh_from_db()
    assert offence.wording == "Someone else's correction"


def test_a_form_without_a_version_never_writes(staff_client, case):
    offence = case.defendants.get().offences.get()
    response = staff_client.post(wording_url(case, offence), {"wording": "No version"})
    assert response.status_code == 409
    offence.refresh_from_db()
    assert offence.wording != "No version"


def test_asn_typed_in_short_form_is_stored_in_full(staff_client, case):
    # given: 25/01ZD/01/12345 and its check character, as people write it
    full = valid_asn(sequence=12345)
    short = f"{full[:2]}/{full[2:6]}/{full[6:8]}/{int(full[8:19])}{full[19]}"
    defendant = case.defendants.get()
    form = {**defendant_values(defendant), "expected_version": str(case.version), "asn": short}
    # when
    response = staff_client.post(edit_url(case, defendant), form)
    # then
    assert response.status_code == 302
    defendant.refresh_from_db()
    assert defendant.asn == full
