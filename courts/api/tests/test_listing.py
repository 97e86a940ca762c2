"""The court calendar through the API: rooms, non-sitting days, sittings, patterns, reordering, the
worklist and the listing rules, each through its service with its event."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from courts.accounts.tests.factories import UserFactory
from courts.api.tests.test_cases import make_token, post_case
from courts.audit.models import Event
from courts.cases.tests.factories import case_payload, valid_asn
from courts.common.clock import court_today
from courts.listing.models import CourtRoom, HearingDay, ListingRules, NonSittingDay, Sitting
from courts.reference.calendar import is_working_day

pytestmark = pytest.mark.django_db

CENTRE = "B01LY00"  # Lavender Hill Magistrates' Court
API = "/api/v1"


# --- Helpers shared by the listing, hearings and court schedule API tests ------------------------


def staff_client() -> Client:
    """A logged-in listing officer (a user without an organisation is court staff)."""
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def staff() -> Client:
    return staff_client()


def sitting_day(weeks_ahead: int = 8) -> dt.date:
    """A Monday to Thursday working day well after any first hearing that intake lists by itself."""
    day = court_today() + dt.timedelta(weeks=weeks_ahead)
    day -= dt.timedelta(days=day.weekday())
    while not is_working_day(day) or day.weekday() > 3:
        day += dt.timedelta(days=1)
    return day


def a_saturday() -> dt.date:
    day = sitting_day()
    return day + dt.timedelta(days=5 - day.weekday())


def post(client: Client, path: str, body: dict, **headers):
    return client.post(API + path, body, content_type="application/json", **headers)


def put(client: Client, path: str, body: dict, **headers):
    return client.put(API + path, body, content_type="application/json", **headers)


def add_room(staff: Client, name: str = "Courtroom 1", centre: str = CENTRE) -> dict:
    response = post(staff, f"/court-centres/{centre}/court-rooms", {"name": name})
    assert response.status_code == 201, response.json()
    return response.json()


def sitting_body(date: dt.date, **overrides) -> dict:
    body = {"date": date.isoformat(), "session": "AM", "kind": "ADULT", "judiciaryType": "BENCH",
            "judiciary": [], "capacityMinutes": 180}
    body.update(overrides)
    return body


def add_sitting(staff: Client, room_id: str, date: dt.date, **overrides) -> dict:
    response = post(staff, f"/court-rooms/{room_id}/sittings", sitting_body(date, **overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def a_case(client: Client, token: str, urn: str = "01AB1234525", names: tuple[str, ...] = ("Jane",)) -> dict:
    """A prosecutor's case through the cases API, with one defendant per first name."""
    payload = case_payload(urn=urn)
    template = payload["defendants"][0]
    payload["defendants"] = [
        {**template, "firstName": name, "asn": valid_asn(448754 + i), "pncId": "" if i else template["pncId"]}
        for i, name in enumerate(names)
    ]
    response = post_case(client, token, payload)
    assert response.status_code == 201, response.json()
    return response.json()


def defendant_ids(case: dict) -> list[str]:
    return [d["id"] for d in case["defendants"]]


def add_hearing(staff: Client, defendants: list[str], code: str = "PLE", **overrides) -> dict:
    body = {"courtCentre": CENTRE, "hearingType": code, "defendantIds": defendants, **overrides}
    response = post(staff, "/hearings", body)
    assert response.status_code == 201, response.json()
    return response.json()


def list_hearing(staff: Client, hearing_id: str, sitting_id: str, version: int, **overrides):
    return post(staff, f"/hearings/{hearing_id}/listing",
                {"sittingId": sitting_id, "sittingVersion": version, **overrides})


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    return body


# --- Court rooms ---------------------------------------------------------------------------------


def test_staff_add_a_court_room_and_see_it_in_the_centres_rooms(staff):
    # when
    response = post(staff, f"/court-centres/{CENTRE.lower()}/court-rooms", {"name": "Courtroom 3",
                                                                           "welshName": "Ystafell Llys 3"})
    # then
    assert response.status_code == 201, response.json()
    room = response.json()
    assert room | {"id": None} == {"id": None, "courtCentre": CENTRE, "name": "Courtroom 3",
                                   "welshName": "Ystafell Llys 3", "isActive": True}
    event = Event.objects.get(type="listing.court_room_created")
    assert event.payload["court_room_id"] == room["id"]
    listed = staff.get(f"{API}/court-centres/{CENTRE}/court-rooms").json()
    assert [r["name"] for r in listed] == ["Courtroom 3"]


def test_court_room_without_a_name_is_422_and_a_second_with_the_same_name_is_409(staff):
    assert_problem(post(staff, f"/court-centres/{CENTRE}/court-rooms", {"name": ""}), 422, "validation_failed")
    assert_problem(post(staff, f"/court-centres/{CENTRE}/court-rooms", {"name": "   "}), 422, "validation_failed")
    add_room(staff, "Courtroom 1")
    assert_problem(post(staff, f"/court-centres/{CENTRE}/court-rooms", {"name": "courtroom 1"}), 409,
                   "duplicate_room")
    assert CourtRoom.objects.count() == 1


def test_unknown_court_centre_room_and_sitting_are_404(staff):
    assert_problem(staff.get(f"{API}/court-centres/ZZ99Z99/court-rooms"), 404, "not_found")
    assert_problem(post(staff, f"/court-rooms/{uuid.uuid4()}/sittings", sitting_body(sitting_day())), 404,
                   "not_found")
    assert_problem(post(staff, "/court-rooms/not-a-uuid/sittings", sitting_body(sitting_day())), 404, "not_found")
    assert_problem(staff.get(f"{API}/sittings/{uuid.uuid4()}"), 404, "not_found")


WRITES = [
    ("post", "/court-centres/B01LY00/court-rooms", {"name": "Courtroom 9"}),
    ("post", "/court-centres/B01LY00/non-sitting-days", {"date": "2027-03-03", "reason": "Closed"}),
    ("post", "/court-rooms/{id}/sittings", sitting_body(dt.date(2027, 3, 3))),
    ("post", "/court-centres/B01LY00/sitting-patterns",
     {**sitting_body(dt.date(2027, 3, 3)), "courtRoomIds": ["{id}"], "startDate": "2027-03-01", "weeks": 1,
      "weekdays": [0]}),
    ("put", "/sittings/{id}/order", {"hearingIds": [], "version": 1}),
    ("put", "/court-centres/B01LY00/listing-rules",
     {"version": 1, "guiltyAnticipatedDays": 7, "notGuiltyAnticipatedDays": 21, "custodyNextSittingDay": True,
      "firstHearingType": "PLE"}),
    ("post", "/hearings", {"courtCentre": "B01LY00", "hearingType": "PLE", "defendantIds": ["{id}"]}),
    ("post", "/hearings/{id}/listing", {"sittingId": "{id}", "sittingVersion": 1}),
    ("post", "/hearings/{id}/vacate", {"reason": "Witness ill", "version": 1}),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_a_prosecutors_token_cannot_change_the_listing(client, method, path, body):
    # given
    token = make_token()
    events = Event.objects.count()
    some_id = str(uuid.uuid4())
    body = {k: ([some_id] if v == ["{id}"] else some_id if v == "{id}" else v) for k, v in body.items()}
    # when
    send = client.post if method == "post" else client.put
    response = send(API + path.replace("{id}", some_id), body, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    # then
    assert_problem(response, 403, "forbidden")
    assert Event.objects.count() == events


def test_a_prosecutors_token_cannot_read_the_diary_or_the_worklist(client):
    token = make_token()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    day = sitting_day().isoformat()
    assert_problem(client.get(f"{API}/court-centres/{CENTRE}/sittings?dateFrom={day}", **auth), 403, "forbidden")
    assert_problem(client.get(f"{API}/court-centres/{CENTRE}/unallocated-hearings", **auth), 403, "forbidden")


def test_no_credentials_is_401(client):
    response = post(client, f"/court-centres/{CENTRE}/court-rooms", {"name": "Courtroom 9"})
    assert_problem(response, 401, "unauthenticated")


# --- Non-sitting days ----------------------------------------------------------------------------


def test_non_sitting_day_is_declared_once_and_blocks_sittings_that_day(staff):
    # given
    room = add_room(staff)
    day = sitting_day()
    # when
    response = post(staff, f"/court-centres/{CENTRE}/non-sitting-days", {"date": day.isoformat(),
                                                                        "reason": "Building closed"})
    # then
    assert response.status_code == 201, response.json()
    assert response.json() == {"courtCentre": CENTRE, "date": day.isoformat(), "reason": "Building closed"}
    assert Event.objects.filter(type="listing.non_sitting_day_declared").count() == 1
    again = post(staff, f"/court-centres/{CENTRE}/non-sitting-days", {"date": day.isoformat(), "reason": "Again"})
    assert_problem(again, 409, "duplicate")
    blocked = post(staff, f"/court-rooms/{room['id']}/sittings", sitting_body(day, acknowledgeConflicts=True))
    body = assert_problem(blocked, 409, "listing_conflicts")
    assert body["errors"] == [{"field": "non_sitting_day", "code": "blocking",
                               "message": f"{day:%-d %B %Y} is a declared non-sitting day: Building closed"}]
    assert not Sitting.objects.exists()


def test_non_sitting_day_needs_a_reason_and_a_date(staff):
    body = assert_problem(post(staff, f"/court-centres/{CENTRE}/non-sitting-days", {"reason": ""}), 422,
                          "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"date", "reason"}
    assert not NonSittingDay.objects.exists()


def test_non_sitting_day_with_hearings_listed_is_409(staff, client):
    room = add_room(staff)
    day = sitting_day()
    sitting = add_sitting(staff, room["id"], day)
    hearing = add_hearing(staff, defendant_ids(a_case(client, make_token())))
    assert list_hearing(staff, hearing["id"], sitting["id"], sitting["version"]).status_code == 200
    response = post(staff, f"/court-centres/{CENTRE}/non-sitting-days", {"date": day.isoformat(), "reason": "Flood"})
    assert_problem(response, 409, "hearings_listed")
    assert not NonSittingDay.objects.exists()


# --- Sittings ------------------------------------------------------------------------------------


def test_staff_create_a_sitting_with_its_judiciary_and_capacity(staff):
    # given
    room = add_room(staff)
    day = sitting_day()
    # when
    response = post(staff, f"/court-rooms/{room['id']}/sittings",
                    sitting_body(day, session="PM", hearingTypes=["ple", "SEN"],
                                 judiciary=["Mrs A Patel", "Mr B Jones", "Ms C Evans"]))
    # then
    assert response.status_code == 201, response.json()
    sitting = response.json()
    assert sitting["version"] == 1
    assert sitting["courtCentre"] == CENTRE and sitting["courtRoom"] == "Courtroom 1"
    assert (sitting["date"], sitting["session"], sitting["startTime"]) == (day.isoformat(), "PM", "14:00:00")
    assert sitting["judiciary"] == ["Mrs A Patel", "Mr B Jones", "Ms C Evans"]
    assert sitting["hearingTypes"] == ["PLE", "SEN"]
    assert (sitting["capacityMinutes"], sitting["bookedMinutes"], sitting["remainingMinutes"]) == (180, 0, 180)
    assert sitting["hearings"] == []
    event = Event.objects.get(type="listing.sitting_created")
    assert event.payload["sitting_id"] == sitting["id"]
    assert staff.get(f"{API}/sittings/{sitting['id']}").json() == sitting


def test_sitting_with_invalid_fields_is_422_naming_each_field(staff):
    room = add_room(staff)
    day = sitting_day()
    bad_enums = post(staff, f"/court-rooms/{room['id']}/sittings",
                     sitting_body(day, session="EVENING", judiciaryType="MAGISTRATE"))
    body = assert_problem(bad_enums, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"session", "judiciaryType"}
    bad_values = post(staff, f"/court-rooms/{room['id']}/sittings",
                      sitting_body(day, capacityMinutes=0, hearingTypes=["NOPE"]))
    body = assert_problem(bad_values, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"capacityMinutes", "hearingTypes"}
    missing = post(staff, f"/court-rooms/{room['id']}/sittings", {"session": "AM"})
    body = assert_problem(missing, 422, "validation_failed")
    assert {"date", "judiciaryType", "capacityMinutes"} <= {e["field"] for e in body["errors"]}
    assert not Sitting.objects.exists()


def test_a_sitting_on_a_weekend_is_blocked_even_when_acknowledged(staff):
    room = add_room(staff)
    response = post(staff, f"/court-rooms/{room['id']}/sittings",
                    sitting_body(a_saturday(), acknowledgeConflicts=True))
    body = assert_problem(response, 409, "listing_conflicts")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("non_sitting_day", "blocking")]
    assert not Sitting.objects.exists()


def test_a_judge_in_two_rooms_is_a_warning_the_officer_acknowledges(staff):
    # given
    day = sitting_day()
    add_sitting(staff, add_room(staff, "Courtroom 1")["id"], day, judiciaryType="DISTRICT_JUDGE",
                judiciary=["DJ Khan"])
    second = add_room(staff, "Courtroom 2")
    body = sitting_body(day, judiciaryType="DISTRICT_JUDGE", judiciary=["dj khan"])
    # when
    refused = post(staff, f"/court-rooms/{second['id']}/sittings", body)
    # then
    problem = assert_problem(refused, 409, "listing_conflicts")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("judge_double_booked", "warning")]
    assert Sitting.objects.count() == 1
    # when the officer resends, acknowledging
    accepted = post(staff, f"/court-rooms/{second['id']}/sittings", {**body, "acknowledgeConflicts": True})
    # then
    assert accepted.status_code == 201, accepted.json()
    assert Event.objects.filter(type="listing.sitting_created").count() == 2


def test_the_same_room_and_session_twice_is_409(staff):
    room = add_room(staff)
    add_sitting(staff, room["id"], sitting_day(), session="DAY")
    again = post(staff, f"/court-rooms/{room['id']}/sittings", sitting_body(sitting_day(), session="PM"))
    assert_problem(again, 409, "duplicate_sitting")


def test_sitting_pattern_creates_weekday_sittings_and_reports_the_days_skipped(staff):
    # given
    rooms = [add_room(staff, "Courtroom 1"), add_room(staff, "Courtroom 2")]
    start = sitting_day()
    start -= dt.timedelta(days=start.weekday())
    pattern_days = [start + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
    closed = next(d for d in pattern_days[1:] if is_working_day(d))
    post(staff, f"/court-centres/{CENTRE}/non-sitting-days", {"date": closed.isoformat(), "reason": "Training"})
    # when
    response = post(staff, f"/court-centres/{CENTRE}/sitting-patterns", {
        **sitting_body(start), "courtRoomIds": [r["id"] for r in rooms], "startDate": start.isoformat(),
        "weeks": 2, "weekdays": [0, 2, 4]})
    # then
    assert response.status_code == 201, response.json()
    outcome = response.json()
    working = [d for d in pattern_days if is_working_day(d) and d != closed]
    assert len(outcome["created"]) == 2 * len(working) == Sitting.objects.count()
    assert {s["date"] for s in outcome["created"]} == {d.isoformat() for d in working}
    assert {(s["date"], s["courtRoom"]) for s in outcome["skipped"]} >= {
        (closed.isoformat(), "Courtroom 1"), (closed.isoformat(), "Courtroom 2")}
    assert all("Training" in s["reason"] for s in outcome["skipped"] if s["date"] == closed.isoformat())
    event = Event.objects.get(type="listing.sitting_pattern_created")
    assert event.payload["created"] == len(outcome["created"])


def test_sitting_pattern_rejects_bad_weeks_and_weekdays_and_rooms_of_another_centre(staff):
    room = add_room(staff)
    elsewhere = add_room(staff, "Courtroom 1", centre="B63AD00")
    start = sitting_day().isoformat()
    bad = post(staff, f"/court-centres/{CENTRE}/sitting-patterns", {
        **sitting_body(sitting_day()), "courtRoomIds": [room["id"]], "startDate": start, "weeks": 60,
        "weekdays": [7]})
    body = assert_problem(bad, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"weeks", "weekdays"}
    mixed = post(staff, f"/court-centres/{CENTRE}/sitting-patterns", {
        **sitting_body(sitting_day()), "courtRoomIds": [room["id"], elsewhere["id"]], "startDate": start,
        "weeks": 1, "weekdays": [0]})
    body = assert_problem(mixed, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["courtRoomIds"]
    assert not Sitting.objects.exists()


def test_sittings_list_shows_each_days_sittings_with_their_lists(staff, client):
    # given
    day = sitting_day()
    one = add_sitting(staff, add_room(staff, "Courtroom 1")["id"], day)
    add_sitting(staff, add_room(staff, "Courtroom 2")["id"], day + dt.timedelta(days=1))
    hearing = add_hearing(staff, defendant_ids(a_case(client, make_token())), estimateMinutes=45)
    list_hearing(staff, hearing["id"], one["id"], 1)
    # when
    response = staff.get(f"{API}/court-centres/{CENTRE}/sittings?dateFrom={day}&dateTo={day + dt.timedelta(days=6)}")
    # then
    assert response.status_code == 200, response.json()
    sittings = response.json()
    assert [(s["date"], s["courtRoom"]) for s in sittings] == [
        (day.isoformat(), "Courtroom 1"), ((day + dt.timedelta(days=1)).isoformat(), "Courtroom 2")]
    first = sittings[0]
    assert (first["version"], first["bookedMinutes"], first["remainingMinutes"]) == (2, 45, 135)
    assert first["hearings"] == [{
        "hearingId": hearing["id"], "hearingVersion": 2, "status": "LISTED", "hearingType": "Plea", "listOrder": 1,
        "startTime": "10:00:00", "durationMinutes": 45, "defendants": ["Jane Doe"], "caseUrns": ["01AB1234525"]}]


def test_sittings_list_needs_a_range_of_at_most_31_days_forwards(staff):
    day = sitting_day()
    url = f"{API}/court-centres/{CENTRE}/sittings"
    assert_problem(staff.get(url), 422, "validation_failed")
    assert_problem(staff.get(f"{url}?dateFrom={day}&dateTo={day - dt.timedelta(days=1)}"), 422, "validation_failed")
    assert_problem(staff.get(f"{url}?dateFrom={day}&dateTo={day + dt.timedelta(days=31)}"), 422, "validation_failed")
    assert staff.get(f"{url}?dateFrom={day}&dateTo={day + dt.timedelta(days=30)}").status_code == 200
    assert staff.get(f"{url}?dateFrom=tomorrow").status_code == 422


# --- Reordering a sitting ------------------------------------------------------------------------


def listed_pair(staff, client) -> tuple[dict, dict, dict]:
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    token = make_token()
    a = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234525")), estimateMinutes=30)
    b = add_hearing(staff, defendant_ids(a_case(client, token, "01AB1234526")), estimateMinutes=20)
    assert list_hearing(staff, a["id"], sitting["id"], 1).status_code == 200
    assert list_hearing(staff, b["id"], sitting["id"], 2).status_code == 200
    return staff.get(f"{API}/sittings/{sitting['id']}").json(), a, b


def test_reorder_puts_the_list_in_the_new_order_and_retimes_it(staff, client):
    # given
    sitting, a, b = listed_pair(staff, client)
    assert [(h["hearingId"], h["startTime"]) for h in sitting["hearings"]] == [(a["id"], "10:00:00"),
                                                                              (b["id"], "10:30:00")]
    # when
    response = put(staff, f"/sittings/{sitting['id']}/order", {"hearingIds": [b["id"], a["id"]],
                                                               "version": sitting["version"]})
    # then
    assert response.status_code == 200, response.json()
    reordered = response.json()
    assert reordered["version"] == sitting["version"] + 1
    assert [(h["hearingId"], h["listOrder"], h["startTime"]) for h in reordered["hearings"]] == [
        (b["id"], 1, "10:00:00"), (a["id"], 2, "10:20:00")]
    event = Event.objects.get(type="listing.sitting_reordered")
    assert event.payload["order"] == [b["id"], a["id"]]


def test_reorder_with_a_stale_version_is_409_and_changes_nothing(staff, client):
    sitting, a, b = listed_pair(staff, client)
    stale = put(staff, f"/sittings/{sitting['id']}/order", {"hearingIds": [b["id"], a["id"]],
                                                            "version": sitting["version"] - 1})
    assert_problem(stale, 409, "stale_version")
    assert list(HearingDay.objects.order_by("list_order").values_list("hearing_id", flat=True)) == [
        uuid.UUID(a["id"]), uuid.UUID(b["id"])]
    assert not Event.objects.filter(type="listing.sitting_reordered").exists()


def test_reorder_must_name_every_hearing_of_the_sitting_once(staff, client):
    sitting, a, b = listed_pair(staff, client)
    for ids in ([a["id"]], [a["id"], a["id"]], [a["id"], str(uuid.uuid4())]):
        response = put(staff, f"/sittings/{sitting['id']}/order", {"hearingIds": ids, "version": sitting["version"]})
        body = assert_problem(response, 422, "validation_failed")
        assert [e["field"] for e in body["errors"]] == ["hearingIds"]
    missing_version = put(staff, f"/sittings/{sitting['id']}/order", {"hearingIds": [b["id"], a["id"]]})
    body = assert_problem(missing_version, 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["version"]


# --- The worklist --------------------------------------------------------------------------------


def test_worklist_shows_waiting_and_vacated_hearings_but_not_listed_ones(staff, client):
    # given: intake left each case's first hearing waiting (no sitting on its date)
    token = make_token()
    first = a_case(client, token, "01AB1234525")
    second = a_case(client, token, "01AB1234526")
    sitting = add_sitting(staff, add_room(staff)["id"], sitting_day())
    worklist = staff.get(f"{API}/court-centres/{CENTRE}/unallocated-hearings").json()
    by_case = {h["defendants"][0]["caseId"]: h for h in worklist}
    assert set(by_case) == {first["id"], second["id"]}
    to_list, to_vacate = by_case[first["id"]], by_case[second["id"]]
    assert to_list["status"] == "UNALLOCATED" and to_list["listingNote"].startswith("First hearing")
    # when
    list_hearing(staff, to_list["id"], sitting["id"], sitting["version"])
    post(staff, f"/hearings/{to_vacate['id']}/vacate", {"reason": "Case to be discontinued",
                                                        "version": to_vacate["version"]})
    # then
    worklist = staff.get(f"{API}/court-centres/{CENTRE}/unallocated-hearings").json()
    assert [(h["id"], h["status"], h["vacatedReason"]) for h in worklist] == [
        (to_vacate["id"], "VACATED", "Case to be discontinued")]


# --- Listing rules -------------------------------------------------------------------------------


def rules_body(version: int, **overrides) -> dict:
    return {"version": version, "guiltyAnticipatedDays": 10, "notGuiltyAnticipatedDays": 35,
            "custodyNextSittingDay": True, "firstHearingType": "ple", **overrides}


def test_listing_rules_are_read_and_changed_with_their_version(staff):
    # given
    url = f"/court-centres/{CENTRE}/listing-rules"
    rules = staff.get(API + url).json()
    assert rules | {"updatedAt": None} == {
        "courtCentre": CENTRE, "version": 1, "guiltyAnticipatedDays": 14, "notGuiltyAnticipatedDays": 28,
        "custodyNextSittingDay": True, "firstHearingType": "PLE", "updatedAt": None}
    # when
    response = put(staff, url, rules_body(rules["version"]))
    # then
    assert response.status_code == 200, response.json()
    changed = response.json()
    assert (changed["guiltyAnticipatedDays"], changed["notGuiltyAnticipatedDays"], changed["firstHearingType"]) == (
        10, 35, "PLE")
    event = Event.objects.get(type="listing.rules_updated")
    assert event.payload["from"]["guilty_anticipated_days"] == 14 and event.payload["to"]["guilty_anticipated_days"] == 10
    again = put(staff, url, rules_body(changed["version"], guiltyAnticipatedDays=12))
    assert again.status_code == 200 and again.json()["version"] == changed["version"] + 1
    assert_problem(put(staff, url, rules_body(changed["version"])), 409, "stale_version")
    assert ListingRules.objects.get().guilty_anticipated_days == 12


def test_two_officers_who_read_the_default_rules_cannot_both_change_them(staff):
    url = f"/court-centres/{CENTRE}/listing-rules"
    read_by_both = staff.get(API + url).json()["version"]
    assert put(staff, url, rules_body(read_by_both)).status_code == 200
    assert_problem(put(staff, url, rules_body(read_by_both, guiltyAnticipatedDays=20)), 409, "stale_version")


def test_listing_rules_with_invalid_values_are_422_naming_each_field(staff):
    url = f"/court-centres/{CENTRE}/listing-rules"
    response = put(staff, url, rules_body(1, guiltyAnticipatedDays=0, notGuiltyAnticipatedDays=120,
                                          firstHearingType="XXX"))
    body = assert_problem(response, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"guiltyAnticipatedDays", "notGuiltyAnticipatedDays",
                                                   "firstHearingType"}
    body = assert_problem(put(staff, url, {"guiltyAnticipatedDays": "soon"}), 422, "validation_failed")
    assert {"version", "guiltyAnticipatedDays", "custodyNextSittingDay"} <= {e["field"] for e in body["errors"]}
    assert not ListingRules.objects.exists()


# --- The OpenAPI document ------------------------------------------------------------------------


def test_openapi_document_still_renders_with_the_listing_operations(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "court_rooms_list", "court_rooms_create", "non_sitting_days_declare", "sittings_list", "sittings_get",
        "sittings_create", "sitting_patterns_create", "sittings_reorder", "unallocated_hearings_list",
        "listing_rules_get", "listing_rules_update", "hearings_list", "hearings_get", "hearings_create",
        "hearings_list_in_sitting", "hearings_vacate", "court_schedule_get",
    } <= operations
    schemas = spec["components"]["schemas"]
    assert {"SittingCreateIn", "SittingOut", "HearingOut", "HearingListIn", "ListingRulesUpdateIn"} <= set(schemas)
