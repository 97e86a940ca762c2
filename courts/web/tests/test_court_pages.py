"""In court: the sitting page, the resulting page and its panels, warrants and the CTL worklist, through
the Django test client. Data is made with the services (a case listed in a sitting)."""

import datetime as dt

import pytest
from django.urls import reverse

from courts.accounts.tests.factories import UserFactory
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU
from courts.custody.models import Warrant
from courts.hearings.enums import AmendmentStatus
from courts.hearings.models import (
    AdvocateAppearance,
    Attendance,
    CourtLogEntry,
    DefendantResulting,
    JudicialResult,
    ResultAmendment,
)
from courts.hearings.tests.factories import listed_case
from courts.listing.models import HearingDay
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
FINE = "FO 200 FCPC 85 FVS plea=G"


def sitting_url(hearing) -> str:
    day = HearingDay.objects.get(hearing=hearing)
    return reverse("web:court-sitting", kwargs={"sitting_id": day.sitting_id})


def resulting_url(hearing) -> str:
    return reverse("web:court-resulting", kwargs={"hearing_id": hearing.id})


def results_url(hearing, defendant) -> str:
    return reverse("web:court-results", kwargs={"hearing_id": hearing.id, "defendant_id": defendant.id})


def version_of(hearing, defendant) -> int:
    return DefendantResulting.objects.filter(hearing=hearing, defendant=defendant).values_list(
        "version", flat=True).first() or 1


def panel_data(hearing, defendant, line: str = "", *, action: str = "save", version: int | None = None,
               **extra) -> dict:
    offence = defendant.offences.get()
    data = {"action": action, "expected_version": str(version or version_of(hearing, defendant)),
            f"notepad-{offence.id}": line, "defendant-notepad": "", "prison": ""}
    data.update(extra)
    return data


def post_panel(client, hearing, defendant, line: str = "", *, fetch: bool = True, **kwargs):
    return client.post(results_url(hearing, defendant), panel_data(hearing, defendant, line, **kwargs),
                       **(FETCH if fetch else {}))


@pytest.fixture
def listed():
    case, hearing = listed_case(defendants=2)
    return case, hearing, list(case.defendants.order_by("sequence"))


@pytest.fixture
def colleague_client(db):
    from django.test import Client

    colleague = Client()
    colleague.force_login(UserFactory(username="senior", first_name="Sam", last_name="Senior"))
    return colleague


# --- The sitting page ----------------------------------------------------------------------------


def test_the_sitting_page_shows_the_list_with_its_defendants(staff_client, listed):
    case, hearing, (doe, roe) = listed
    response = staff_client.get(sitting_url(hearing))
    assert response.status_code == 200
    content = response.content.decode()
    assert case.urn in content and doe.name in content and roe.name in content
    assert f'href="{resulting_url(hearing)}#defendant-{doe.id}"' in content
    assert "Court log" in content and "Nothing logged yet" in content


def test_attendance_is_recorded_per_defendant(staff_client, listed):
    _, hearing, (doe, _) = listed
    url = sitting_url(hearing)
    response = staff_client.post(url, {"action": "attendance", "hearing": hearing.id, "defendant": doe.id,
                                       "status": "VIDEO"})
    assert response.status_code == 302 and response.url.endswith(f"#hearing-{hearing.id}")
    assert Attendance.objects.get(hearing=hearing, defendant=doe).status == "VIDEO"
    assert "By video from custody" in staff_client.get(url).content.decode()

    response = staff_client.post(url, {"action": "attendance", "hearing": hearing.id, "defendant": doe.id,
                                       "status": "MAYBE"})
    assert response.status_code == 422
    assert "Choose how the defendant attended" in response.content.decode()


def test_the_court_log_takes_an_entry_and_a_correction_with_its_reason(staff_client, listed):
    _, hearing, _ = listed
    url = sitting_url(hearing)
    response = staff_client.post(url, {"action": "log_add", "log_kind": "HEARING_STARTED",
                                       "log_hearing": str(hearing.id), "log_time": "10:05", "log_note": ""})
    assert response.status_code == 302
    entry = CourtLogEntry.objects.get()
    assert entry.kind == "HEARING_STARTED" and entry.hearing_id == hearing.id

    prefix = f"correct-{entry.id}-"
    refused = staff_client.post(url, {"action": "log_correct", "entry": entry.id, prefix + "kind": "HEARING_STARTED",
                                      prefix + "time": "10:15", prefix + "note": "", prefix + "reason": ""})
    assert refused.status_code == 422
    assert "Enter the reason for the correction" in refused.content.decode()

    response = staff_client.post(url, {"action": "log_correct", "entry": entry.id,
                                       prefix + "kind": "HEARING_STARTED", prefix + "time": "10:15",
                                       prefix + "note": "Bench returned", prefix + "reason": "Wrong time typed"})
    assert response.status_code == 302
    entry.refresh_from_db()
    corrected = CourtLogEntry.objects.get(corrects=entry)
    assert not entry.is_current and corrected.is_current and corrected.correction_reason == "Wrong time typed"
    content = staff_client.get(url).content.decode()
    assert "10:15am" in content and "Was: Hearing started at 10:05am" in content
    assert "Wrong time typed" in content and "Bench returned" in content


def test_a_note_needs_its_words_and_a_time_must_be_a_time(staff_client, listed):
    _, hearing, _ = listed
    response = staff_client.post(sitting_url(hearing), {"action": "log_add", "log_kind": "NOTE", "log_hearing": "",
                                                        "log_time": "25 past", "log_note": ""})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Enter the note" in content and "Enter the time as 10:42 or 2.15pm" in content
    assert not CourtLogEntry.objects.exists()


def test_advocates_check_in_for_the_prosecution_and_for_defendants(staff_client, listed):
    _, hearing, (doe, roe) = listed
    url, prefix = sitting_url(hearing), f"advocate-{hearing.id}-"
    refused = staff_client.post(url, {"action": "advocate", "hearing": hearing.id, prefix + "role": "DEFENCE",
                                      prefix + "name": "Ms Defence"})
    assert refused.status_code == 422
    assert "Choose the defendants the advocate represents" in refused.content.decode()

    response = staff_client.post(url, {"action": "advocate", "hearing": hearing.id, prefix + "role": "DEFENCE",
                                       prefix + "name": "Ms Defence", prefix + "organisation": "Smith & Co",
                                       prefix + "defendants": [doe.id, roe.id]})
    assert response.status_code == 302
    staff_client.post(url, {"action": "advocate", "hearing": hearing.id, prefix + "role": "PROSECUTION",
                            prefix + "name": "Mr Crown"})
    assert AdvocateAppearance.objects.count() == 2
    content = staff_client.get(url).content.decode()
    assert f"Defence: Ms Defence (Smith &amp; Co), for {doe.name}, {roe.name}" in content
    assert "Prosecution: Mr Crown" in content


# --- The resulting page --------------------------------------------------------------------------


def test_the_resulting_page_has_a_panel_per_defendant(staff_client, listed):
    _, hearing, (doe, roe) = listed
    response = staff_client.get(resulting_url(hearing))
    assert response.status_code == 200
    content = response.content.decode()
    for defendant in (doe, roe):
        offence = defendant.offences.get()
        assert f'id="defendant-{defendant.id}"' in content
        assert f'action="{results_url(hearing, defendant)}"' in content
        assert f'id="notepad-{offence.id}"' in content
    assert content.count('name="csrfmiddlewaretoken"') >= 3  # sign-out and each panel's own form
    assert 'spellcheck="false"' in content and 'autocomplete="off"' in content
    assert "Keyboard" in content and "web/resulting.js" in content
    assert "<script>" not in content and " style=" not in content


def test_saving_a_draft_returns_the_panel_with_its_results_and_problems(staff_client, listed):
    _, hearing, (doe, _) = listed
    response = post_panel(staff_client, hearing, doe, "FO 200 FCPC 85 FVS fne")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content and f'id="defendant-{doe.id}"' in content
    assert "Fine" in content and "£200.00" in content and "CJS 1015" in content
    assert "Costs to Crown Prosecution Service" in content and "£85.00" in content
    assert "computed" in content and "£80.00" in content  # the surcharge: 40% of the fine
    assert "“fne” is not a result" in content and 'data-replacement="FO"' in content
    assert "Saved " in content
    assert DefendantResulting.objects.get(hearing=hearing, defendant=doe).draft["offences"][
        str(doe.offences.get().id)]["notepad"] == "FO 200 FCPC 85 FVS fne"


def test_missing_prompts_are_asked_inline_and_answered_there(staff_client, listed):
    _, hearing, (doe, _) = listed
    offence = doe.offences.get()
    content = post_panel(staff_client, hearing, doe, "co plea=G FVS").content.decode()
    end_date = f"answers-{offence.id}-CO:d6caa3c4-ec9d-41ec-8f86-2c617ef0d5d9"
    assert f'name="{end_date}"' in content and "End Date" in content
    answered = post_panel(staff_client, hearing, doe, "co plea=G FVS", **{end_date: "1/12/2040"}).content.decode()
    assert "1 December 2040" in answered
    assert f'name="{end_date}"' in answered and 'value="1/12/2040"' in answered  # kept, to correct it


def test_a_draft_refused_as_too_long_keeps_the_typing(staff_client, listed):
    _, hearing, (doe, _) = listed
    offence = doe.offences.get()
    answer = f"answers-{offence.id}-CO:d6caa3c4-ec9d-41ec-8f86-2c617ef0d5d9"
    response = post_panel(staff_client, hearing, doe, "co plea=G FVS", **{answer: "x" * 1001})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Must be 1000 characters or fewer" in content and 'value="co plea=G FVS"' in content
    # Nothing written: not even an empty draft (opening the page writes nothing).
    assert not DefendantResulting.objects.filter(hearing=hearing, defendant=doe).exists()


def test_without_javascript_saving_returns_to_the_panel(staff_client, listed):
    _, hearing, (doe, _) = listed
    response = post_panel(staff_client, hearing, doe, FINE, fetch=False)
    assert response.status_code == 302 and response.url == f"{resulting_url(hearing)}#defendant-{doe.id}"


def test_sharing_a_clean_draft_makes_it_the_record(staff_client, listed):
    _, hearing, (doe, roe) = listed
    response = post_panel(staff_client, hearing, doe, FINE, action="share")
    assert response.status_code == 200, response.content.decode()
    content = response.content.decode()
    assert "The court record" in content and "Results shared" in content and "Shared " in content
    assert "Ask for an amendment" in content and 'value="share"' not in content
    assert set(JudicialResult.objects.filter(defendant=doe, is_current=True).values_list("short_code", flat=True)) \
        == {"FO", "FCPC", "FVS"}
    assert not JudicialResult.objects.filter(defendant=roe).exists()  # the other defendant is untouched
    page = staff_client.get(resulting_url(hearing)).content.decode()
    assert "Plea: Guilty" in page


def test_sharing_with_problems_is_refused_with_the_checks_and_nothing_is_shared(staff_client, listed):
    _, hearing, (doe, _) = listed
    response = post_panel(staff_client, hearing, doe, "FO 200 plea=G fne", action="share", fetch=False)
    assert response.status_code == 422
    content = response.content.decode()
    assert "<title>Error: " in content and "There is a problem" in content and 'role="alert"' in content
    assert "cannot be shared yet" in content
    assert "“fne” is not a result" in content and "must be ordered" in content  # the surcharge check
    assert "Sentencing Act 2020 s.42" in content or "Surcharge" in content  # each check cites its source
    resulting = DefendantResulting.objects.get(hearing=hearing, defendant=doe)
    assert resulting.share_count == 0 and not JudicialResult.objects.exists()
    assert resulting.draft["offences"][str(doe.offences.get().id)]["notepad"] == "FO 200 plea=G fne"  # kept

    fetched = post_panel(staff_client, hearing, doe, "FO 200 plea=G fne", action="share")
    assert fetched.status_code == 422 and "<html" not in fetched.content.decode()


def test_a_stale_save_is_a_conflict_that_keeps_the_typing(staff_client, colleague_client, listed):
    _, hearing, (doe, roe) = listed
    assert post_panel(colleague_client, hearing, doe, "FO 100", version=1).status_code == 200
    # Someone else results the other defendant at the same time: no conflict there.
    assert post_panel(staff_client, hearing, roe, "FO 50", version=1).status_code == 200

    response = post_panel(staff_client, hearing, doe, "FO 300 my typing", version=1)
    assert response.status_code == 409
    content = response.content.decode()
    assert "changed by Sam Senior" in content and 'value="FO 300 my typing"' in content
    assert "Reload this defendant" in content and 'name="expected_version" value="1"' in content
    assert 'value="overwrite"' in content and 'name="current_version" value="2"' in content
    resulting = DefendantResulting.objects.get(hearing=hearing, defendant=doe)
    assert resulting.draft["offences"][str(doe.offences.get().id)]["notepad"] == "FO 100"

    reloaded = staff_client.get(results_url(hearing, doe), **FETCH)
    assert reloaded.status_code == 200 and 'value="FO 100"' in reloaded.content.decode()
    mine = post_panel(staff_client, hearing, doe, "FO 300", version=1, action="overwrite", current_version="2")
    assert mine.status_code == 200
    resulting.refresh_from_db()
    assert resulting.draft["offences"][str(doe.offences.get().id)]["notepad"] == "FO 300"


def test_an_amendment_needs_a_reason_and_a_second_person(staff_client, colleague_client, listed):
    _, hearing, (doe, _) = listed
    assert post_panel(staff_client, hearing, doe, FINE, action="share").status_code == 200
    reason = f"reason-{doe.id}"

    no_reason = post_panel(staff_client, hearing, doe, "FO 300 FCPC 85 FVS plea=G", action="amend")
    assert no_reason.status_code == 422 and "Enter the reason for the amendment" in no_reason.content.decode()
    asked = post_panel(staff_client, hearing, doe, "FO 300 FCPC 85 FVS plea=G", action="amend",
                       **{reason: "Fine announced as £300"})
    assert asked.status_code == 200
    assert "Amendment waiting for approval" in asked.content.decode()
    assert "A colleague must approve it" in asked.content.decode()
    amendment = ResultAmendment.objects.get()

    refused = post_panel(staff_client, hearing, doe, action="approve", amendment=str(amendment.id))
    assert refused.status_code == 403
    assert "approved by a different person" in refused.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING

    seen = colleague_client.get(resulting_url(hearing)).content.decode()
    assert "Approve and share the amendment" in seen and "Fine announced as £300" in seen
    approved = post_panel(colleague_client, hearing, doe, action="approve", amendment=str(amendment.id))
    assert approved.status_code == 200, approved.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED and amendment.decided_by == "Sam Senior"
    fine = JudicialResult.objects.get(defendant=doe, short_code="FO", is_current=True)
    assert fine.prompts[0]["value"] == "300.00" and fine.share_number == 2
    content = approved.content.decode()
    assert "(amended)" in content and "Earlier versions of the record" in content and "£200.00" in content


def test_a_remand_in_custody_issues_a_warrant_with_a_printable_page(staff_client, listed):
    _, hearing, (doe, _) = listed
    day = HearingDay.objects.get(hearing=hearing).date
    offence = doe.offences.get()
    line = f"RI NHMC {day + dt.timedelta(days=7):%d/%m/%Y} htype=PLE 20min"
    answers = {f"answers-{offence.id}-RI:49f9ee68-3dee-4ed1-8020-377818c3697f": "Failure to surrender",
               f"answers-{offence.id}-RI:7b2e6219-ddcb-4afa-8615-8de978e60af1": "Fail to surrender",
               f"answers-{offence.id}-RI:53ac8d08-49a9-4495-ab3a-0ef94ca9e560": "Previous failure"}
    response = post_panel(staff_client, hearing, doe, line, action="share", prison="HMP Brixton", **answers)
    assert response.status_code == 200, response.content.decode()
    warrant = Warrant.objects.get(defendant=doe)
    content = response.content.decode()
    assert "Warrant of remand in custody" in content and "HMP Brixton" in content
    assert reverse("web:court-warrant", kwargs={"warrant_id": warrant.id}) in content

    page = staff_client.get(reverse("web:court-warrant", kwargs={"warrant_id": warrant.id}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "HMP Brixton" in text and doe.name in text and "Remanded in custody (RI)" in text
    assert offence.title in text and "Substantial" not in text and "Failure to surrender" in text


def test_the_ctl_worklist_shows_a_defendant_remanded_in_custody(staff_client, monkeypatch):
    case, hearing = listed_case(codes=(COMMON_ASSAULT,), urn="01AB1234500", asn_base=510000)
    doe = case.defendants.get()
    day = HearingDay.objects.get(hearing=hearing).date
    offence = doe.offences.get()
    line = f"RI NHMC {day + dt.timedelta(days=7):%d/%m/%Y} htype=PLE 20min"
    answers = {f"answers-{offence.id}-RI:49f9ee68-3dee-4ed1-8020-377818c3697f": "Failure to surrender",
               f"answers-{offence.id}-RI:7b2e6219-ddcb-4afa-8615-8de978e60af1": "Fail to surrender",
               f"answers-{offence.id}-RI:53ac8d08-49a9-4495-ab3a-0ef94ca9e560": "Previous failure"}
    assert post_panel(staff_client, hearing, doe, line, action="share", prison="HMP Brixton",
                      **answers).status_code == 200
    # Six weeks later, the 56-day limit of a summary offence is within the worklist's 28 days.
    later = day + dt.timedelta(days=42)
    monkeypatch.setattr("courts.custody.selectors.court_today", lambda: later)
    monkeypatch.setattr("courts.web.views.court.court_today", lambda: later)
    response = staff_client.get(reverse("web:ctl-worklist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert doe.name in content and case.urn in content and offence.title in content
    assert reverse("web:case-detail", kwargs={"case_id": case.id}) in content

    here = staff_client.get(reverse("web:ctl-worklist"), {"court_centre": COURT_OU})
    assert here.status_code == 200 and doe.name in here.content.decode()
    other = CourtCentre.objects.exclude(ou_code=COURT_OU).order_by("ou_code").first()
    elsewhere = staff_client.get(reverse("web:ctl-worklist"), {"court_centre": other.ou_code})
    assert elsewhere.status_code == 200 and doe.name not in elsewhere.content.decode()


@pytest.mark.parametrize("page", ["sitting", "resulting", "ctl", "results"])
def test_only_court_staff_see_the_court_pages(prosecutor_client, listed, page):
    _, hearing, (doe, _) = listed
    url = {"sitting": sitting_url(hearing), "resulting": resulting_url(hearing),
           "ctl": reverse("web:ctl-worklist"), "results": results_url(hearing, doe)}[page]
    assert prosecutor_client.get(url).status_code == 403
    if page == "results":
        assert prosecutor_client.post(url, panel_data(hearing, doe, FINE, action="share")).status_code == 403
        assert not JudicialResult.objects.exists()


def test_an_unknown_hearing_or_sitting_is_not_found(staff_client):
    assert staff_client.get("/court/hearings/8b9f3a34-1c2b-4c7e-9a3f-000000000000/").status_code == 404
    assert staff_client.get("/court/sittings/8b9f3a34-1c2b-4c7e-9a3f-000000000000/").status_code == 404
