"""Resulting through the API: the draft worked out with its checks, pleas, verdicts and allocation
written into the draft, sharing, stale versions, and four-eyes amendments, through the hearings
services (court staff only)."""

import datetime as dt

import pytest
from django.test import Client

from courts.accounts.tests.factories import UserFactory
from courts.api.tests.test_cases import make_token
from courts.api.tests.test_listing import API, assert_problem, post, put, staff_client
from courts.audit.models import Event
from courts.cases.models import Offence
from courts.hearings.models import JudicialResult, OffenceDecision
from courts.hearings.tests.factories import COMMON_ASSAULT, THEFT_FROM_SHOP, listed_case
from courts.listing.tests.factories import room, sitting

pytestmark = pytest.mark.django_db


# --- Helpers shared with the contract tests ------------------------------------------------------


def results_url(hearing, defendant, suffix: str = "") -> str:
    return f"/hearings/{hearing.id}/defendants/{defendant.id}/results{suffix}"


def read(client: Client, hearing, defendant) -> dict:
    response = client.get(API + results_url(hearing, defendant))
    assert response.status_code == 200, response.content
    return response.json()


def offence_id(defendant, index: int = 0) -> str:
    return str(list(Offence.objects.filter(defendant=defendant).order_by("sequence"))[index].id)


def one_line(defendant, line: str, *, prison: str = "", answers: dict | None = None) -> dict:
    return {"offences": {offence_id(defendant): {"notepad": line, "answers": answers or {}}},
            "defendant": {"notepad": "", "answers": {}, "prison": prison}}


def save_draft(client: Client, hearing, defendant, draft: dict, version: int | None = None) -> dict:
    version = version or read(client, hearing, defendant)["version"]
    response = put(client, results_url(hearing, defendant, "/draft"), {"expectedVersion": version, "draft": draft})
    assert response.status_code == 200, response.content
    return response.json()


def share(client: Client, hearing, defendant) -> dict:
    version = read(client, hearing, defendant)["version"]
    response = post(client, results_url(hearing, defendant, "/share"), {"expectedVersion": version})
    assert response.status_code == 200, response.content
    return response.json()


def missing_answers(view: dict, short_code: str, value: str) -> dict[str, str]:
    """An answer for every prompt a result still needs, by the key the view gives."""
    return {m["answerKey"]: value for o in view["offences"] for r in o["results"] for m in r["missing"]
            if r["shortCode"] == short_code}


def next_court_day(day: dt.date, days: int = 7) -> dt.date:
    later = day + dt.timedelta(days=days)
    while later.weekday() >= 5:
        later += dt.timedelta(days=1)
    return later


def remand_line(next_day: dt.date) -> str:
    return f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'


def remand_in_custody(client: Client, hearing, defendant, next_day: dt.date) -> dict:
    """Draft a remand in custody to a next hearing, with the bench's reasons; share it."""
    view = save_draft(client, hearing, defendant, one_line(defendant, remand_line(next_day), prison="HMP Wandsworth"))
    answers = missing_answers(view, "RI", "Fail to surrender")
    view = save_draft(client, hearing, defendant,
                      one_line(defendant, remand_line(next_day), prison="HMP Wandsworth", answers=answers))
    assert view["canShare"], view["checks"]
    return share(client, hearing, defendant)


# --- Reading and saving the draft ----------------------------------------------------------------


def test_the_draft_is_worked_out_with_its_results_and_checks_each_citing_its_source():
    staff = staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    # when: first read, the draft is empty and every offence still needs dealing with
    view = read(staff, hearing, defendant)
    # then
    assert (view["version"], view["draft"], view["shareCount"], view["canShare"]) == (1, {}, 0, False)
    assert view["hearingId"] == str(hearing.id) and view["caseId"] == str(case.id)
    [not_dealt] = [c for c in view["checks"] if c["code"] == "not_dealt_with"]
    assert not_dealt["offenceId"] == offence_id(defendant) and not_dealt["blocking"] and "CrimPR" in not_dealt["source"]
    # when: a fine, costs and surcharge with a guilty plea
    view = save_draft(staff, hearing, defendant, one_line(defendant, "plea=G FO 200 FCPC 85 FVS"), version=1)
    # then
    assert view["version"] == 2 and view["canShare"] and view["hasUnsharedChanges"], view["checks"]
    [offence] = view["offences"]
    assert offence["decisions"] == {"plea": "GUILTY"}
    [fine] = offence["results"]
    assert (fine["shortCode"], fine["category"], fine["cjsCode"]) == ("FO", "FINAL", "1015")
    assert fine["prompts"][0] | {"promptId": None} == {"promptId": None, "label": "Amount of fine", "reference": "AOF",
                                                       "type": "CURR", "value": "200.00"}
    surcharge = next(r for r in view["defendantResults"] if r["shortCode"] == "FVS")
    assert surcharge["isComputed"] and surcharge["prompts"][0]["value"] == "80.00" and surcharge["level"] == "CASE"


def test_a_stale_version_is_409_and_keeps_the_other_persons_draft():
    first, second = staff_client(), staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save_draft(first, hearing, defendant, one_line(defendant, "plea=G"), version=1)
    # when: the second person saves over the version both read
    response = put(second, results_url(hearing, defendant, "/draft"),
                   {"expectedVersion": 1, "draft": one_line(defendant, "plea=NG")})
    # then
    body = assert_problem(response, 409, "stale_version")
    assert "Reload" in body["detail"]
    assert read(first, hearing, defendant)["draft"]["offences"][offence_id(defendant)]["notepad"] == "plea=G"


def test_a_malformed_draft_is_422_with_each_field_and_saves_nothing():
    staff = staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    draft = {"offences": {"not-an-offence": {"notepad": "FO 200"}, offence_id(defendant): {"notepad": 5}}}
    body = assert_problem(put(staff, results_url(hearing, defendant, "/draft"), {"expectedVersion": 1, "draft": draft}),
                          422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"offences/not-an-offence", f"offences/{offence_id(defendant)}/notepad"}
    assert read(staff, hearing, defendant)["version"] == 1
    assert_problem(put(staff, results_url(hearing, defendant, "/draft"), {"draft": {}}), 422, "validation_failed")


def test_only_court_staff_result_and_a_defendant_not_in_the_hearing_is_404(client):
    staff = staff_client()
    case, hearing = listed_case()
    other_case, _ = listed_case(urn="01AB1234526", asn_base=600000, the_sitting=hearing.hearing_days.get().sitting)
    defendant = case.defendants.get()
    token = make_token("CPS")  # the case's own prosecutor: it still may not result
    response = client.get(API + results_url(hearing, defendant), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, 403, "forbidden")
    assert_problem(staff.get(API + results_url(hearing, other_case.defendants.get())), 404, "not_found")
    assert_problem(staff.get(f"{API}/hearings/nope/defendants/{defendant.id}/results"), 404, "not_found")
    assert client.get(API + results_url(hearing, defendant)).status_code == 401


# --- Pleas, verdicts, allocation -----------------------------------------------------------------


def test_pleas_verdicts_and_allocation_are_written_into_the_draft():
    staff = staff_client()
    case, hearing = listed_case(codes=(THEFT_FROM_SHOP, COMMON_ASSAULT))
    defendant = case.defendants.get()
    theft, assault = offence_id(defendant, 0), offence_id(defendant, 1)
    # when
    view = post(staff, results_url(hearing, defendant).replace("/results", "/pleas"),
                {"expectedVersion": 1, "offenceId": theft, "plea": "NOT_GUILTY", "indicated": True}).json()
    view = post(staff, results_url(hearing, defendant).replace("/results", "/allocations"),
                {"expectedVersion": view["version"], "offenceId": theft, "allocation": "SUMMARY_TRIAL"}).json()
    view = post(staff, results_url(hearing, defendant).replace("/results", "/pleas"),
                {"expectedVersion": view["version"], "offenceId": assault, "plea": "NOT_GUILTY"}).json()
    response = post(staff, results_url(hearing, defendant).replace("/results", "/verdicts"),
                    {"expectedVersion": view["version"], "offenceId": assault, "verdict": "GUILTY"})
    # then
    assert response.status_code == 200, response.content
    view = response.json()
    assert view["version"] == 5
    decisions = {o["offenceId"]: o["decisions"] for o in view["offences"]}
    assert decisions[theft] == {"indicatedPlea": "INDICATED_NOT_GUILTY", "allocation": "SUMMARY_TRIAL"}
    assert decisions[assault] == {"plea": "NOT_GUILTY", "verdict": "GUILTY"}
    assert view["draft"]["offences"][theft]["indicated_plea"] == "INDICATED_NOT_GUILTY"
    assert Event.objects.filter(type="hearing.results_draft_saved", case_id=case.id).count() == 4


def test_a_decision_on_a_stale_version_or_another_defendants_offence_or_with_a_wrong_value_is_refused():
    staff = staff_client()
    case, hearing = listed_case(defendants=2)
    first, second = case.defendants.order_by("sequence")
    pleas = results_url(hearing, first).replace("/results", "/pleas")
    save_draft(staff, hearing, first, one_line(first, "FO 100 FVS"), version=1)
    assert_problem(post(staff, pleas, {"expectedVersion": 1, "offenceId": offence_id(first), "plea": "GUILTY"}),
                   409, "stale_version")
    body = assert_problem(post(staff, pleas, {"expectedVersion": 2, "offenceId": offence_id(second), "plea": "GUILTY"}),
                          422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["offenceId"]
    body = assert_problem(post(staff, pleas, {"expectedVersion": 2, "offenceId": offence_id(first), "plea": "MAYBE"}),
                          422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["plea"]
    assert read(staff, hearing, first)["version"] == 2
    # the draft's notepad is kept when a decision is added
    view = post(staff, pleas, {"expectedVersion": 2, "offenceId": offence_id(first), "plea": "GUILTY"}).json()
    assert view["draft"]["offences"][offence_id(first)]["notepad"] == "FO 100 FVS"
    assert view["canShare"], view["checks"]


# --- Sharing -------------------------------------------------------------------------------------


def test_sharing_makes_the_record_and_a_second_share_is_refused():
    staff = staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save_draft(staff, hearing, defendant, one_line(defendant, "plea=G FO 200 FCPC 85 FVS"), version=1)
    # when
    view = share(staff, hearing, defendant)
    # then
    assert view["shareCount"] == 1 and view["sharedAt"] and not view["hasUnsharedChanges"]
    assert {r["shortCode"]: r["prompts"][0]["value"] for r in view["shared"]} == {
        "FO": "200.00", "FCPC": "85.00", "FVS": "80.00"}
    assert {r["shortCode"] for r in view["shared"] if r["offenceId"]} == {"FO"}
    assert JudicialResult.objects.filter(hearing=hearing, is_current=True).count() == 3
    assert OffenceDecision.objects.get(offence_id=offence_id(defendant)).value == "GUILTY"
    # when: shared results change only by an amendment
    assert_problem(post(staff, results_url(hearing, defendant, "/share"), {"expectedVersion": view["version"]}),
                   409, "already_shared")


def test_sharing_with_failing_checks_is_422_with_each_problem_and_its_source():
    staff = staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save_draft(staff, hearing, defendant, one_line(defendant, "FO 200 FVS"), version=1)
    body = assert_problem(post(staff, results_url(hearing, defendant, "/share"), {"expectedVersion": 2}),
                          422, "results_not_ready")
    conviction = [e for e in body["errors"] if e["code"] == "no_conviction"]
    assert conviction and conviction[0]["field"] == f"offences/{offence_id(defendant)}"
    assert "(CrimPR 2020 r.5.4" in conviction[0]["message"]
    assert not JudicialResult.objects.exists()


def test_a_remand_in_custody_lists_the_next_hearing():
    staff = staff_client()
    case, hearing = listed_case(codes=(COMMON_ASSAULT,), bail_status="C")
    defendant = case.defendants.get()
    day = hearing.hearing_days.get().date
    next_day = next_court_day(day)
    sitting(room("Courtroom 2"), next_day, capacity_minutes=600)
    view = remand_in_custody(staff, hearing, defendant, next_day)
    assert view["remandStatus"] == "C" and len(view["nextHearingIds"]) == 1
    nxt = staff.get(f"{API}/hearings/{view['nextHearingIds'][0]}").json()
    assert nxt["hearingDays"][0]["sittingDay"].startswith(next_day.isoformat())


# --- Amendments ----------------------------------------------------------------------------------


def test_an_amendment_is_asked_for_with_a_reason_and_approved_by_a_second_person():
    clerk, senior = staff_client(), Client()
    senior.force_login(UserFactory(first_name="Sam", last_name="Senior"))
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save_draft(clerk, hearing, defendant, one_line(defendant, "plea=G FO 200 FVS"), version=1)
    share(clerk, hearing, defendant)
    view = save_draft(clerk, hearing, defendant, one_line(defendant, "plea=G FO 150 FVS"))
    amendments = results_url(hearing, defendant, "/amendments")
    assert_problem(post(clerk, amendments, {"expectedVersion": view["version"], "reason": ""}), 422,
                   "validation_failed")
    # when
    response = post(clerk, amendments, {"expectedVersion": view["version"], "reason": "Fine misheard: £150"})
    # then
    assert response.status_code == 201, response.content
    amendment = response.json()
    assert response["Location"] == f"/api/v1/result-amendments/{amendment['id']}"
    assert (amendment["status"], amendment["baseShareNumber"], amendment["shareNumber"]) == ("PENDING", 1, None)
    assert read(clerk, hearing, defendant)["pendingAmendment"]["id"] == amendment["id"]
    assert_problem(post(clerk, amendments, {"expectedVersion": view["version"] + 1, "reason": "Again"}), 409,
                   "amendment_pending")
    # the person who asked cannot approve it
    assert_problem(post(clerk, f"/result-amendments/{amendment['id']}/approve", {"note": ""}), 403, "forbidden")
    response = post(senior, f"/result-amendments/{amendment['id']}/approve", {"note": "Checked with the bench"})
    assert response.status_code == 200, response.content
    approved = response.json()
    assert (approved["status"], approved["shareNumber"], approved["decidedBy"]) == ("APPROVED", 2, "Sam Senior")
    view = read(clerk, hearing, defendant)
    assert view["shareCount"] == 2 and view["pendingAmendment"] is None
    assert {r["shortCode"]: (r["prompts"][0]["value"], r["amendmentId"]) for r in view["shared"]} == {
        "FO": ("150.00", amendment["id"]), "FVS": ("60.00", amendment["id"])}
    assert_problem(post(senior, f"/result-amendments/{amendment['id']}/reject", {"note": "No"}), 409,
                   "amendment_decided")
    assert_problem(staff_client().get(f"{API}/result-amendments/not-an-id"), 404, "not_found")


def test_an_amendment_is_rejected_with_a_note_or_withdrawn_by_its_requester():
    clerk, senior = staff_client(), staff_client()
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save_draft(clerk, hearing, defendant, one_line(defendant, "plea=G FO 200 FVS"), version=1)
    share(clerk, hearing, defendant)
    amendments = results_url(hearing, defendant, "/amendments")
    view = save_draft(clerk, hearing, defendant, one_line(defendant, "plea=G FO 300 FVS"))
    first = post(clerk, amendments, {"expectedVersion": view["version"], "reason": "Typo"}).json()
    body = assert_problem(post(senior, f"/result-amendments/{first['id']}/reject", {"note": " "}), 422,
                          "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["note"]
    rejected = post(senior, f"/result-amendments/{first['id']}/reject", {"note": "The bench said £200"}).json()
    assert (rejected["status"], rejected["decisionNote"]) == ("REJECTED", "The bench said £200")
    second = post(clerk, amendments, {"expectedVersion": read(clerk, hearing, defendant)["version"],
                                      "reason": "Typo again"}).json()
    withdrawn = post(clerk, f"/result-amendments/{second['id']}/reject", {"note": ""}).json()
    assert withdrawn["status"] == "WITHDRAWN"
    assert staff_client().get(f"{API}/result-amendments/{second['id']}").json()["status"] == "WITHDRAWN"
    assert JudicialResult.objects.get(is_current=True, short_code="FO").prompts[0]["value"] == "200.00"
