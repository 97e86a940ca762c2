import datetime as dt

import pytest
from django.urls import reverse

from courts.audit.models import Event
from courts.cases.models import ProsecutionCase
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.clock import court_today

pytestmark = pytest.mark.django_db

CREATE = reverse("web:case-create")


def date_fields(name: str, value: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


def offence_fields(index: int, cjs_code: str = THEFT_FROM_SHOP, wording: str = "Stole food worth £30") -> dict:
    today = court_today()
    return {
        f"offence-{index}-cjs_code": cjs_code,
        f"offence-{index}-wording": wording,
        **date_fields(f"offence-{index}-start_date", today - dt.timedelta(days=30)),
        **date_fields(f"offence-{index}-charge_date", today - dt.timedelta(days=29)),
    }


def case_form(prosecutor, /, **overrides) -> dict[str, str]:
    form = {
        "action": "create",
        "offence_count": "1",
        "prosecutor": str(prosecutor.public_id),
        "urn": "01AB1234525",
        "initiation_type": "C",
        "court_centre": COURT_OU,
        **date_fields("hearing_date", court_today() + dt.timedelta(days=7)),
        "title": "Ms",
        "first_name": "Jane",
        "last_name": "Doe",
        **date_fields("date_of_birth", dt.date(1990, 5, 17)),
        "gender": "FEMALE",
        "address_line_1": "1 High Street",
        "address_line_2": "London",
        "postcode": "sw11 1ju",
        "asn": valid_asn(),
        "pnc_id": "2004/0046583U",
        "cro_number": "",
        "bail_status": "B",
        "bail_conditions": "Not to enter Clapham Junction station",
        **offence_fields(0),
    }
    form.update(overrides)
    return form


def test_the_form_offers_prosecutors_court_centres_and_bail_statuses(staff_client, prosecutor):
    html = staff_client.get(CREATE).content.decode()
    assert f'<option value="{prosecutor.public_id}">Crown Prosecution Service</option>' in html
    assert f"<option value=\"{COURT_OU}\">Lavender Hill Magistrates&#x27; Court ({COURT_OU})</option>" in html
    assert '<option value="B">Conditional bail (B)</option>' in html
    assert 'id="offence-0-cjs_code"' in html
    assert 'id="offence-1-cjs_code"' not in html


def test_creating_a_case_saves_it_records_the_event_and_opens_it(staff_client, prosecutor):
    # when
    response = staff_client.post(CREATE, case_form(prosecutor))
    # then
    case = ProsecutionCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case-detail", kwargs={"case_id": case.id})
    assert case.prosecutor == prosecutor
    assert case.channel == "staff"
    assert case.requested_court_centre.ou_code == COURT_OU
    defendant = case.defendants.get()
    assert (defendant.title, defendant.first_name, defendant.last_name) == ("Ms", "Jane", "Doe")
    assert defendant.address_lines == ["1 High Street", "London"]
    assert defendant.postcode == "SW11 1JU"
    assert defendant.date_of_birth == dt.date(1990, 5, 17)
    assert defendant.offences.get().cjs_code == THEFT_FROM_SHOP
    event = Event.objects.get(type="case.created")
    assert event.case_id == case.id
    assert event.actor_label == "Alex Adviser"
    page = staff_client.get(response["Location"]).content.decode()
    assert "Case 01AB1234525 created" in page
    assert "govuk-notification-banner--success" in page


def test_a_case_with_two_offences_keeps_both_in_order(staff_client, prosecutor):
    form = case_form(prosecutor, offence_count="2", **offence_fields(1, COMMON_ASSAULT, "Assaulted a guard"))
    staff_client.post(CREATE, form)
    offences = list(ProsecutionCase.objects.get().defendants.get().offences.order_by("sequence"))
    assert [o.cjs_code for o in offences] == [THEFT_FROM_SHOP, COMMON_ASSAULT]
    assert offences[1].wording == "Assaulted a guard"


def test_adding_an_offence_row_keeps_what_was_typed_and_saves_nothing(staff_client, prosecutor):
    # when
    response = staff_client.post(CREATE, case_form(prosecutor, action="add_offence", urn="01AB1234599"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert ProsecutionCase.objects.count() == 0
    assert 'name="offence_count" value="2"' in html
    assert 'id="offence-1-cjs_code"' in html
    assert 'value="01AB1234599"' in html
    assert f'value="{THEFT_FROM_SHOP}"' in html
    assert "govuk-error-summary" not in html


def test_removing_an_offence_row_moves_the_later_rows_up(staff_client, prosecutor):
    form = case_form(prosecutor, action="remove_offence-0", offence_count="2",
                     **offence_fields(1, COMMON_ASSAULT, "Assaulted a guard"))
    html = staff_client.post(CREATE, form).content.decode()
    assert 'name="offence_count" value="1"' in html
    assert f'id="offence-0-cjs_code" name="offence-0-cjs_code" type="text" value="{COMMON_ASSAULT}"' in html
    assert 'id="offence-1-cjs_code"' not in html
    assert ProsecutionCase.objects.count() == 0


def test_a_blank_extra_offence_row_is_ignored(staff_client, prosecutor):
    form = case_form(prosecutor, offence_count="2")
    response = staff_client.post(CREATE, form)
    assert response.status_code == 302
    assert ProsecutionCase.objects.get().defendants.get().offences.count() == 1


def test_rule_errors_are_listed_and_linked_to_their_fields_and_nothing_is_saved(staff_client, prosecutor):
    # given
    form = case_form(prosecutor, urn="XX", last_name="", asn="1101ZD0100000448754A",
                     court_centre="", initiation_type="", **{"offence-0-cjs_code": "ZZ99999"})
    # when
    response = staff_client.post(CREATE, form)
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert html.count("<title>Error: Create a case - Courts</title>") == 1
    for anchor in ("#urn", "#initiation_type", "#court_centre", "#last_name", "#asn", "#offence-0-cjs_code"):
        assert f'<a href="{anchor}">' in html, anchor
    assert "Enter the defendant&#x27;s last name" in html
    assert "ZZ99999 is not a CJS offence code" in html
    # each field carries its message and points to it
    assert '<p id="urn-error" class="govuk-error-message">' in html
    assert 'aria-describedby="urn-hint urn-error"' in html
    assert 'aria-describedby="last_name-error"' in html
    # what was typed is kept
    assert 'value="XX"' in html
    assert 'value="Jane"' in html
    assert ProsecutionCase.objects.count() == 0
    assert not Event.objects.filter(type="case.created").exists()


def test_unanswered_choices_ask_to_be_answered(staff_client, prosecutor):
    html = staff_client.post(CREATE, case_form(prosecutor, initiation_type="", court_centre="")).content.decode()
    assert '<a href="#initiation_type">Select how proceedings started</a>' in html
    assert '<a href="#court_centre">Select the court centre</a>' in html
    assert ProsecutionCase.objects.count() == 0


def test_the_summary_lists_errors_in_the_order_of_the_page(staff_client, prosecutor):
    form = case_form(prosecutor, urn="XX", prosecutor="", **{"offence-0-wording": ""})
    html = staff_client.post(CREATE, form).content.decode()
    summary = html[html.index("govuk-error-summary__list"):html.index("</ul>", html.index("govuk-error-summary__list"))]
    assert summary.index("#prosecutor") < summary.index("#urn") < summary.index("#offence-0-wording")


def test_a_date_that_is_not_real_is_shown_beside_the_other_errors(staff_client, prosecutor):
    # given: a date the form cannot read, and a rule the service checks
    form = case_form(prosecutor, urn="XX", **{"date_of_birth-day": "31", "date_of_birth-month": "2",
                                              "offence-0-start_date-year": ""})
    # when
    response = staff_client.post(CREATE, form)
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#date_of_birth-day">Date of birth must be a real date</a>' in html
    assert '<a href="#offence-0-start_date-year">The date the offence started must include a year</a>' in html
    assert '<a href="#urn">' in html
    # only the missing part of the start date is marked; every part of an unreal date is
    assert 'govuk-input--width-4 govuk-input--error" id="offence-0-start_date-year"' in html
    assert 'govuk-input--width-2" id="offence-0-start_date-day"' in html
    assert 'govuk-input--width-2 govuk-input--error" id="date_of_birth-day"' in html
    assert ProsecutionCase.objects.count() == 0


def test_a_first_hearing_in_the_past_is_refused(staff_client, prosecutor):
    form = case_form(prosecutor, **date_fields("hearing_date", court_today() - dt.timedelta(days=1)))
    html = staff_client.post(CREATE, form).content.decode()
    assert '<a href="#hearing_date-day">The first hearing date must be today or in the future</a>' in html
    assert ProsecutionCase.objects.count() == 0


def test_a_field_longer_than_the_record_holds_is_refused(staff_client, prosecutor):
    html = staff_client.post(CREATE, case_form(prosecutor, title="X" * 36)).content.decode()
    assert '<a href="#title">Title must be 35 characters or fewer</a>' in html
    assert ProsecutionCase.objects.count() == 0


def test_a_defendant_needs_an_offence(staff_client, prosecutor):
    form = case_form(prosecutor, **{key: "" for key in offence_fields(0)})
    html = staff_client.post(CREATE, form).content.decode()
    assert '<a href="#offence-0-cjs_code">A defendant needs at least one offence</a>' in html
    assert ProsecutionCase.objects.count() == 0


def test_a_urn_the_prosecutor_already_has_is_a_conflict_shown_on_the_urn(staff_client, prosecutor):
    staff_client.post(CREATE, case_form(prosecutor))
    response = staff_client.post(CREATE, case_form(prosecutor, first_name="John"))
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#urn">Crown Prosecution Service already has a case with URN 01AB1234525</a>' in html
    assert ProsecutionCase.objects.count() == 1


def test_only_court_staff_create_cases_here(prosecutor_client, prosecutor):
    assert prosecutor_client.get(CREATE).status_code == 403
    response = prosecutor_client.post(CREATE, case_form(prosecutor))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
    assert ProsecutionCase.objects.count() == 0


def test_anticipated_plea_and_reporting_restrictions_are_saved(staff_client, prosecutor):
    form = case_form(prosecutor, anticipated_plea="NOT_GUILTY",
                     reporting_restrictions="Sexual Offences (Amendment) Act 1992 s.1\n\n")
    assert staff_client.post(CREATE, form).status_code == 302
    case = ProsecutionCase.objects.get()
    assert case.anticipated_plea == "NOT_GUILTY"
    assert case.reporting_restrictions == ["Sexual Offences (Amendment) Act 1992 s.1"]


def test_an_unknown_anticipated_plea_is_an_error_on_its_field(staff_client, prosecutor):
    response = staff_client.post(CREATE, case_form(prosecutor, anticipated_plea="MAYBE"))
    assert response.status_code == 422
    assert 'href="#anticipated_plea"' in response.content.decode()
    assert not ProsecutionCase.objects.exists()
