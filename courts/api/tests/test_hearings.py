"""Hearings through the API: created for defendants, listed, moved, vacated and relisted through the
listing services, and read in Common Platform's hearing shape (apiHearing.json)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courts.api.cp_hearing import judicial_id
from courts.api.tests.test_cases import make_token
from courts.api.tests.test_listing import (
    API,
    CENTRE,
    a_case,
    add_hearing,
    add_room,
    add_sitting,
    assert_problem,
    defendant_ids,
    list_hearing,
    post,
    sitting_day,
    staff_client,
)
from courts.audit.models import Event
from courts.listing.models import Hearing, HearingDay
from courts.reference.models import CourtCentre
from tests.cp_schemas import schema_errors

pytestmark = pytest.mark.django_db

HEARING_SCHEMA = "global/apiHearing.json"


@pytest.fixture
def staff():
    return staff_client()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- Creating, listing, moving, vacating ---------------------------------------------------------


def test_staff_create_a_hearing_for_defendants_and_it_waits_on_the_worklist(staff, client):
    # given
    case = a_case(client, make_token(), names=("Jane", "John"))
    monday = sitting_day() - dt.timedelta(days=sitting_day().weekday())
    # when
    response = post(staff, "/hearings", {"courtCentre": CENTRE, "hearingType": "SEN", "defendantIds":
                                         defendant_ids(case)[:1], "weekCommencing": (monday + dt.timedelta(days=2))
                                         .isoformat(), "note": "Pre-sentence report ordered"})
    # then
    assert response.status_code == 201, response.json()
    hearing = response.json()
    assert response["Location"] == f"/api/v1/hearings/{hearing['id']}"
    assert (hearing["status"], hearing["version"], hearing["hearingType"]["code"]) == ("UNALLOCATED", 1, "SEN")
    assert (hearing["estimateMinutes"], hearing["weekCommencing"], hearing["isDateToBeFixed"]) == (
        30, monday.isoformat(), False)
    assert [d["name"] for d in hearing["defendants"]] == ["Jane Doe"]
    assert hearing["hearingDays"] == []
    event = Event.objects.get(type="listing.hearing_created", payload__hearing_id=hearing["id"])
    assert str(event.case_id) == case["id"]
    worklist = staff.get(f"{API}/court-centres/{CENTRE}/unallocated-hearings").json()
    assert hearing["id"] in [h["id"] for h in worklist]


def test_hearing_with_invalid_fields_is_422_and_unknown_defendant_is_404(staff, client):
    case = a_case(client, make_token())
    before = Hearing.objects.count()
    body = assert_problem(post(staff, "/hearings", {"courtCentre": CENTRE, "hearingType": "PLE", "defendantIds": [],
                                                    "estimateMinutes": 0}), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"defendantIds", "estimateMinutes"}
    body = assert_problem(post(staff, "/hearings", {"courtCentre": CENTRE, "hearingType": "NOPE",
                                                    "defendantIds": defendant_ids(case)}), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["hearingType"]
    assert_problem(post(staff, "/hearings", {"courtCentre": CENTRE, "hearingType": "PLE",
                                             "defendantIds": ["not-a-uuid"]}), 422, "validation_failed")
    assert_problem(post(staff, "/hearings", {"courtCentre": CENTRE, "hearingType": "PLE",
                                             "defendantIds": [str(uuid.uuid4())]}), 404, "not_found")
    assert_problem(post(staff, "/hearings", {"courtCentre": "ZZ99Z99", "hearingType": "PLE",
                                             "defendantIds": defendant_ids(case)}), 404, "not_found")
    assert Hearing.objects.count() == before


def test_a_defendant_named_twice_is_in_the_hearing_once(staff, client):
    defendant = defendant_ids(a_case(client, make_token()))[0]
    hearing = add_hearing(staff, [defendant, defendant])
    assert [d["defendantId"] for d in hearing["defendants"]] == [defendant]


def test_listing_a_hearing_puts_it_at_the_end_of_the_sittings_list_with_its_event(staff, client):
    # given
    case = a_case(client, make_token())
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    hearing = add_hearing(staff, defendant_ids(case), estimateMinutes=25)
    # when
    response = list_hearing(staff, hearing["id"], sitting["id"], sitting["version"])
    # then
    assert response.status_code == 200, response.json()
    listed = response.json()
    assert (listed["status"], listed["version"]) == ("LISTED", 2)
    assert listed["hearingDays"] == [{
        "sittingId": sitting["id"], "courtCentre": CENTRE, "courtRoomId": sitting["courtRoomId"],
        "courtRoom": "Courtroom 1", "date": sitting["date"], "startTime": "10:00:00", "listOrder": 1,
        "durationMinutes": 25}]
    event = Event.objects.get(type="listing.hearing_listed", payload__hearing_id=hearing["id"])
    assert str(event.case_id) == case["id"] and event.payload["sitting_id"] == sitting["id"]
    assert staff.get(f"{API}/sittings/{sitting['id']}").json()["version"] == sitting["version"] + 1


def test_listing_with_a_stale_sitting_version_is_409_and_changes_nothing(staff, client):
    # given: someone else listed a hearing in the sitting after we read it
    token = make_token()
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    theirs = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234525")))
    ours = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234526")))
    assert list_hearing(staff, theirs["id"], sitting["id"], sitting["version"]).status_code == 200
    # when
    response = list_hearing(staff, ours["id"], sitting["id"], sitting["version"])
    # then
    assert_problem(response, 409, "stale_version")
    assert Hearing.objects.get(pk=ours["id"]).status == "UNALLOCATED"
    assert not Event.objects.filter(type="listing.hearing_listed", payload__hearing_id=ours["id"]).exists()


def test_listing_over_capacity_is_a_warning_accepted_with_acknowledge_conflicts(staff, client):
    # given
    token = make_token()
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day(), capacityMinutes=30)
    first = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234525")), estimateMinutes=20)
    second = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234526")), estimateMinutes=20)
    list_hearing(staff, first["id"], sitting["id"], 1)
    # when
    refused = list_hearing(staff, second["id"], sitting["id"], 2)
    # then
    body = assert_problem(refused, 409, "listing_conflicts")
    assert body["errors"] == [{"field": "over_capacity", "code": "warning",
                               "message": "Courtroom 1 has 10 minutes left; this hearing needs 20"}]
    assert HearingDay.objects.count() == 1
    accepted = list_hearing(staff, second["id"], sitting["id"], 2, acknowledgeConflicts=True)
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["hearingDays"][0]["startTime"] == "10:20:00"
    event = Event.objects.get(type="listing.hearing_listed", payload__hearing_id=second["id"])
    assert event.payload["acknowledged_conflicts"] is True


def test_listing_into_a_sitting_that_does_not_take_the_hearing_type_lists_the_conflict(staff, client):
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day(), hearingTypes=["TRL"])
    hearing = add_hearing(staff, defendant_ids(a_case(client, make_token())), code="PLE")
    body = assert_problem(list_hearing(staff, hearing["id"], sitting["id"], 1), 409, "listing_conflicts")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("hearing_type_not_taken", "warning")]


def test_listing_with_bad_input_is_422_and_unknown_ids_404(staff, client):
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    hearing = add_hearing(staff, defendant_ids(a_case(client, make_token())))
    body = assert_problem(post(staff, f"/hearings/{hearing['id']}/listing", {"sittingId": sitting["id"]}), 422,
                          "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["sittingVersion"]
    body = assert_problem(list_hearing(staff, hearing["id"], sitting["id"], 1, durationMinutes=-5), 422,
                          "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["durationMinutes"]
    assert_problem(list_hearing(staff, hearing["id"], str(uuid.uuid4()), 1), 404, "not_found")
    assert_problem(list_hearing(staff, str(uuid.uuid4()), sitting["id"], 1), 404, "not_found")
    assert_problem(list_hearing(staff, "nope", sitting["id"], 1), 404, "not_found")


def test_moving_a_listed_hearing_records_a_move_and_closes_the_gap_it_leaves(staff, client):
    # given
    token = make_token()
    day = sitting_day()
    one = add_sitting(staff, add_room(staff, "Courtroom 1")["id"], day)
    two = add_sitting(staff, add_room(staff, "Courtroom 2")["id"], day)
    a = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234525")), estimateMinutes=30)
    b = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234526")), estimateMinutes=20)
    list_hearing(staff, a["id"], one["id"], 1)
    list_hearing(staff, b["id"], one["id"], 2)
    # when
    moved = list_hearing(staff, a["id"], two["id"], 1)
    # then
    assert moved.status_code == 200, moved.json()
    assert moved.json()["hearingDays"][0]["courtRoom"] == "Courtroom 2"
    assert Event.objects.filter(type="listing.hearing_moved", payload__hearing_id=a["id"]).count() == 1
    left = staff.get(f"{API}/sittings/{one['id']}").json()
    assert [(h["hearingId"], h["startTime"]) for h in left["hearings"]] == [(b["id"], "10:00:00")]


def test_vacating_takes_the_hearing_out_of_its_list_and_it_can_be_relisted(staff, client):
    # given
    case = a_case(client, make_token())
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    hearing = add_hearing(staff, defendant_ids(case))
    listed = list_hearing(staff, hearing["id"], sitting["id"], 1).json()
    # when
    response = post(staff, f"/hearings/{hearing['id']}/vacate", {"reason": "Prosecution witness unavailable",
                                                                 "version": listed["version"]})
    # then
    assert response.status_code == 200, response.json()
    vacated = response.json()
    assert (vacated["status"], vacated["vacatedReason"], vacated["hearingDays"]) == (
        "VACATED", "Prosecution witness unavailable", [])
    event = Event.objects.get(type="listing.hearing_vacated", payload__hearing_id=hearing["id"])
    assert str(event.case_id) == case["id"] and event.payload["reason"] == "Prosecution witness unavailable"
    # and relisting it
    sitting_now = staff.get(f"{API}/sittings/{sitting['id']}").json()
    assert sitting_now["hearings"] == []
    relisted = list_hearing(staff, hearing["id"], sitting["id"], sitting_now["version"])
    assert relisted.status_code == 200 and relisted.json()["status"] == "LISTED"
    assert relisted.json()["vacatedReason"] == ""


def test_vacating_with_a_stale_version_or_no_reason_changes_nothing(staff, client):
    hearing = add_hearing(staff, defendant_ids(a_case(client, make_token())))
    url = f"/hearings/{hearing['id']}/vacate"
    assert_problem(post(staff, url, {"reason": "Defendant ill", "version": hearing["version"] + 1}), 409,
                   "stale_version")
    body = assert_problem(post(staff, url, {"reason": "", "version": hearing["version"]}), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["reason"]
    body = assert_problem(post(staff, url, {"reason": "   ", "version": hearing["version"]}), 422,
                          "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["reason"]
    assert Hearing.objects.get(pk=hearing["id"]).status == "UNALLOCATED"
    assert not Event.objects.filter(type="listing.hearing_vacated").exists()
    vacated = post(staff, url, {"reason": "Defendant ill", "version": hearing["version"]})
    assert vacated.status_code == 200
    assert_problem(post(staff, url, {"reason": "Again", "version": vacated.json()["version"]}), 409, "not_listed")


def test_listing_changes_appear_on_the_case_timeline(staff, client):
    case = a_case(client, make_token())
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    hearing = add_hearing(staff, defendant_ids(case))
    listed = list_hearing(staff, hearing["id"], sitting["id"], 1).json()
    post(staff, f"/hearings/{hearing['id']}/vacate", {"reason": "Court closed", "version": listed["version"]})
    timeline = list(Event.objects.filter(case_id=case["id"]).order_by("id").values_list("type", flat=True))
    assert timeline[-3:] == ["listing.hearing_created", "listing.hearing_listed", "listing.hearing_vacated"]


# --- Reading hearings in Common Platform's shape -------------------------------------------------


def listed_day(staff, client, token: str) -> tuple[dict, dict, dict]:
    """A two-defendant case; a hearing for one of them listed before a bench; a second hearing waiting."""
    case = a_case(client, token, names=("Jane", "John"))
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day(), judiciary=["Mrs A Patel", "Mr B Jones"])
    hearing = add_hearing(staff, defendant_ids(case)[:1], estimateMinutes=40)
    assert list_hearing(staff, hearing["id"], sitting["id"], 1).status_code == 200
    return case, sitting, hearing


def test_a_days_hearings_read_in_common_platforms_hearing_shape(staff, client):
    # given
    case, sitting, hearing = listed_day(staff, client, make_token())
    centre = CourtCentre.objects.get(ou_code=CENTRE)
    # when
    response = staff.get(f"{API}/hearings?courtCentre={CENTRE}&date={sitting['date']}")
    # then
    assert response.status_code == 200, response.json()
    [body] = response.json()
    assert schema_errors(HEARING_SCHEMA, body) == []
    assert body["id"] == hearing["id"] and body["jurisdictionType"] == "MAGISTRATES"
    assert body["courtCentre"] == {"id": str(centre.id), "code": CENTRE, "name": centre.name,
                                   "welshName": centre.welsh_name, "roomId": sitting["courtRoomId"],
                                   "roomName": "Courtroom 1"}
    assert body["type"]["description"] == "Plea"
    [day] = body["hearingDays"]
    assert day["listingSequence"] == 1 and day["listedDurationMinutes"] == 40
    assert day["courtCentreId"] == str(centre.id) and day["courtRoomId"] == sitting["courtRoomId"]
    starts = dt.datetime.fromisoformat(day["sittingDay"])
    assert starts.date().isoformat() == sitting["date"] and starts.time() == dt.time(10, 0)
    assert starts.utcoffset() in (dt.timedelta(0), dt.timedelta(hours=1))  # Europe/London, GMT or BST
    assert body["judiciary"] == [
        {"judicialId": judicial_id("Mrs A Patel"), "judicialRoleType": {"judiciaryType": "MAGISTRATE"},
         "isBenchChairman": True},
        {"judicialId": judicial_id("Mr B Jones"), "judicialRoleType": {"judiciaryType": "MAGISTRATE"},
         "isBenchChairman": False},
    ]
    [prosecution_case] = body["prosecutionCases"]
    assert prosecution_case["prosecutionCaseIdentifier"]["caseURN"] == "01AB1234525"
    [defendant] = prosecution_case["defendants"]
    assert defendant["id"] == case["defendants"][0]["id"]
    assert defendant["offences"][0]["offenceCode"] == "TH68010"


def test_one_hearing_read_by_id_validates_listed_or_waiting_with_its_version_as_etag(staff, client):
    _, _, listed = listed_day(staff, client, make_token())
    waiting = add_hearing(staff, [listed["defendants"][0]["defendantId"]], code="SEN")
    for hearing, version in ((listed, 2), (waiting, 1)):
        response = staff.get(f"{API}/hearings/{hearing['id']}")
        assert response.status_code == 200, response.json()
        assert schema_errors(HEARING_SCHEMA, response.json()) == []
        assert response["ETag"] == f'"{version}"'
    body = staff.get(f"{API}/hearings/{waiting['id']}").json()
    assert "hearingDays" not in body and "roomId" not in body["courtCentre"] and "judiciary" not in body


def test_a_judge_sitting_alone_is_a_district_judge_in_common_platforms_terms(staff, client):
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day(), judiciaryType="DISTRICT_JUDGE",
                          judiciary=["District Judge Khan"])
    hearing = add_hearing(staff, defendant_ids(a_case(client, make_token())))
    list_hearing(staff, hearing["id"], sitting["id"], 1)
    body = staff.get(f"{API}/hearings/{hearing['id']}").json()
    assert schema_errors(HEARING_SCHEMA, body) == []
    assert body["judiciary"] == [{"judicialId": judicial_id("district judge  KHAN"),
                                  "judicialRoleType": {"judiciaryType": "DISTRICT_JUDGE"}}]


def test_a_prosecutor_reads_the_hearings_of_its_own_cases_only(staff, client):
    # given: one hearing for a Met case and a TfL case together, one for a TfL case alone
    met, tfl = make_token("Metropolitan Police"), make_token("Transport for London")
    met_case = a_case(client, met, "01AB1234525")
    tfl_case = a_case(client, tfl, "01AB1234526")
    other_tfl_case = a_case(client, tfl, "01AB1234527")
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    joint = add_hearing(staff, defendant_ids(met_case) + defendant_ids(tfl_case))
    tfl_only = add_hearing(staff, defendant_ids(other_tfl_case))
    list_hearing(staff, joint["id"], sitting["id"], 1)
    list_hearing(staff, tfl_only["id"], sitting["id"], 2)
    day_url = f"{API}/hearings?courtCentre={CENTRE}&date={sitting['date']}"
    # when
    met_day = client.get(day_url, **bearer(met)).json()
    # then
    assert [h["id"] for h in met_day] == [joint["id"]]
    assert [c["id"] for c in met_day[0]["prosecutionCases"]] == [met_case["id"]]
    assert schema_errors(HEARING_SCHEMA, met_day[0]) == []
    assert_problem(client.get(f"{API}/hearings/{tfl_only['id']}", **bearer(met)), 404, "not_found")
    assert client.get(f"{API}/hearings/{tfl_only['id']}", **bearer(tfl)).status_code == 200
    assert {h["id"] for h in client.get(day_url, **bearer(tfl)).json()} == {joint["id"], tfl_only["id"]}
    assert len(staff.get(day_url).json()[0]["prosecutionCases"]) == 2


def test_hearings_list_needs_a_centre_and_a_date_and_unknown_ids_are_404(staff):
    body = assert_problem(staff.get(f"{API}/hearings"), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"courtCentre", "date"}
    assert_problem(staff.get(f"{API}/hearings?courtCentre={CENTRE}&date=31-12-2026"), 422, "validation_failed")
    assert_problem(staff.get(f"{API}/hearings?courtCentre=ZZ99Z99&date=2026-12-14"), 404, "not_found")
    assert staff.get(f"{API}/hearings?courtCentre={CENTRE}&date=2026-12-14").json() == []
    assert_problem(staff.get(f"{API}/hearings/{uuid.uuid4()}"), 404, "not_found")
    assert_problem(staff.get(f"{API}/hearings/12345"), 404, "not_found")


def test_a_days_hearings_take_the_same_number_of_queries_however_many_there_are(staff, client):
    token = make_token()
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    url = f"{API}/hearings?courtCentre={CENTRE}&date={sitting['date']}"

    def queries_for_day() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, **bearer(token)).status_code == 200
        return len(captured.captured_queries)

    version = 1
    for n, urn in enumerate(("01AB1234525", "01AB1234526", "01AB1234527")):
        hearing = add_hearing(staff, defendant_ids(a_case(client, token, urn, names=("Jane", "John"))))
        assert list_hearing(staff, hearing["id"], sitting["id"], version).status_code == 200
        version += 1
        if n == 0:
            one = queries_for_day()
    assert queries_for_day() == one


def test_a_trial_gets_a_second_day_and_a_stale_hearing_version_refuses_a_move(staff, client):
    from courts.api.tests.test_listing import (
        a_case,
        add_hearing,
        add_room,
        add_sitting,
        defendant_ids,
        list_hearing,
        post,
        sitting_day,
    )

    token = make_token()
    case = a_case(client, token)
    room = add_room(staff)
    first_day = sitting_day()
    one = add_sitting(staff, room["id"], first_day)
    two = add_sitting(staff, room["id"], first_day + dt.timedelta(days=1))
    hearing = add_hearing(staff, defendant_ids(case))
    listed = list_hearing(staff, hearing["id"], one["id"], one["version"]).json()
    response = post(staff, f"/hearings/{hearing['id']}/days", {"sittingId": two["id"], "sittingVersion": two["version"]})
    assert response.status_code == 200, response.json()
    assert len(response.json()["hearingDays"]) == 2
    stale = list_hearing(staff, hearing["id"], two["id"], two["version"] + 1, hearingVersion=listed["version"])
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
