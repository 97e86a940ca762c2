"""Hearings in Common Platform's shapes: the hearing of `apiHearing.json` (LAA external schemas), and
the court schedule of the published `api-cp-crime-schedulingandlisting-courtschedule` contract."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from courts.api.cp_shapes import prosecution_case_cp, reference_uuid
from courts.cases.models import Defendant, Offence, ProsecutionCase, ReportingRestriction
from courts.cases.selectors import cases_restricted_parts_withhold, restricted_parts_withhold
from courts.common.actor import Actor
from courts.common.clock import LONDON
from courts.listing.enums import HearingStatus, JudiciaryType
from courts.listing.models import Hearing, HearingDay, Sitting

# Our judiciary → Common Platform's judicialRoleType (apiCourtsDefinitions.json#/definitions/judicialRoleType).
JUDICIAL_ROLE_TYPES = {
    JudiciaryType.BENCH: "MAGISTRATE",
    JudiciaryType.DISTRICT_JUDGE: "DISTRICT_JUDGE",
    JudiciaryType.JUDGE: "CIRCUIT_JUDGE",
    JudiciaryType.RECORDER: "RECORDER",
}


def court_datetime(date: dt.date, time: dt.time) -> str:
    """A court date and time as an ISO 8601 instant with its Europe/London offset (10:00 in June is
    `…T10:00:00+01:00`), so a partner reads the local time and the exact instant alike."""
    return dt.datetime.combine(date, time, tzinfo=LONDON).isoformat()


def judicial_id(name: str) -> str:
    """A stable id for a judicial office holder known to us only by name (until judiciary reference data)."""
    return reference_uuid("judiciary", " ".join(name.upper().split()))


def _days(hearing: Hearing) -> list[HearingDay]:
    return list(hearing.hearing_days.all())


def _court_centre(hearing: Hearing, days: list[HearingDay]) -> dict[str, Any]:
    # Where it is listed, if it is: a hearing can be listed into another centre's sitting.
    if days:
        centre, room = days[0].sitting.court_centre, days[0].sitting.court_room
    else:
        centre, room = hearing.court_centre, None
    data: dict[str, Any] = {"id": str(centre.id), "code": centre.ou_code, "name": centre.name}
    if centre.welsh_name:
        data["welshName"] = centre.welsh_name
    if room is not None:
        data["roomId"] = str(room.id)
        data["roomName"] = room.name
        if room.welsh_name:
            data["welshRoomName"] = room.welsh_name
    return data


def _judiciary(days: list[HearingDay]) -> list[dict[str, Any]]:
    roles: dict[str, dict[str, Any]] = {}
    for day in days:
        sitting: Sitting = day.sitting
        role_type = JUDICIAL_ROLE_TYPES.get(sitting.judiciary_type, sitting.judiciary_type)
        for position, name in enumerate(sitting.judiciary):
            role: dict[str, Any] = {"judicialId": judicial_id(name), "judicialRoleType": {"judiciaryType": role_type}}
            if sitting.judiciary_type == JudiciaryType.BENCH:
                role["isBenchChairman"] = position == 0  # the chair is named first
            roles.setdefault(role["judicialId"], role)
    return list(roles.values())


def _hearing_days(days: list[HearingDay]) -> list[dict[str, Any]]:
    return [
        {
            "sittingDay": court_datetime(day.date, day.start_time),
            "listingSequence": day.list_order,
            "listedDurationMinutes": day.duration_minutes,
            "courtCentreId": str(day.sitting.court_centre_id),
            "courtRoomId": str(day.sitting.court_room_id),
        }
        for day in days
    ]


def load_case_details(hearings: Iterable[Hearing]) -> None:
    """Give each hearing's cases their prosecutor, the hearing's defendants and their offences (and the
    cases' reporting restrictions in force), in a fixed number of queries whatever the number of
    hearings (for lists of hearings)."""
    links = [hd for hearing in hearings for hd in hearing.hearing_defendants.all()]
    if not links:
        return
    defendant_ids = {hd.defendant_id for hd in links}
    prefetch_related_objects(
        [hd.case for hd in links],
        # The restrictions in force, for withholding restricted parts (`hearing_cp`'s actor).
        Prefetch("restrictions", queryset=ReportingRestriction.objects.filter(lifted_at__isnull=True)),
        Prefetch(
            "defendants",
            queryset=Defendant.objects.filter(pk__in=defendant_ids).order_by("sequence").prefetch_related(
                Prefetch("offences", queryset=Offence.objects.select_related("custody_time_limit").order_by("sequence"))
            ),
        ),
    )


def hearing_cp(hearing: Hearing, bail_descriptions: dict[str, str],
               visible_case_ids: set | None = None, visible_defendant_ids: set | None = None, *,
               actor: Actor | None = None) -> dict[str, Any]:
    """The hearing as `apiHearing.json` describes it. `prosecutionCases` holds only the hearing's
    defendants (with their offences), and only the cases in `visible_case_ids` and the defendants in
    `visible_defendant_ids` when they are given; for an `actor`, without the restricted parts they do
    not need (`cases_restricted_parts_withhold`).
    Call `load_case_details` first for a list of hearings."""
    days = _days(hearing)
    in_hearing = {str(hd.defendant_id) for hd in hearing.hearing_defendants.all()
                  if visible_defendant_ids is None or hd.defendant_id in visible_defendant_ids}
    cases: dict[Any, ProsecutionCase] = {}
    for hd in hearing.hearing_defendants.all():
        if visible_case_ids is None or hd.case_id in visible_case_ids:
            cases.setdefault(hd.case_id, hd.case)
    if actor is not None:
        cases_restricted_parts_withhold(actor=actor, cases=cases.values())
    prosecution_cases = []
    for case in cases.values():
        data = prosecution_case_cp(case, bail_descriptions)
        data["defendants"] = [d for d in data.get("defendants", []) if d["id"] in in_hearing]
        prosecution_cases.append(data)
    centre = days[0].sitting.court_centre if days else hearing.court_centre
    hearing_type = hearing.hearing_type
    body: dict[str, Any] = {
        "id": str(hearing.id),
        "jurisdictionType": centre.jurisdiction,
        "courtCentre": _court_centre(hearing, days),
        "type": {"id": str(hearing_type.id), "description": hearing_type.description},
    }
    if hearing_type.welsh_description:
        body["type"]["welshDescription"] = hearing_type.welsh_description
    if days:
        body["hearingDays"] = _hearing_days(days)
    if judiciary := _judiciary(days):
        body["judiciary"] = judiciary
    if prosecution_cases:
        body["prosecutionCases"] = prosecution_cases
    if hearing_type.is_trial_type:
        body["isVacatedTrial"] = hearing.status == HearingStatus.VACATED
    return body


# --- The court schedule contract (api-cp-crime-schedulingandlisting-courtschedule) ----------------


def _court_sittings(days: list[HearingDay]) -> list[dict[str, Any]]:
    sittings = []
    for day in days:
        start = dt.datetime.combine(day.date, day.start_time, tzinfo=LONDON)
        sitting: dict[str, Any] = {
            "sittingStart": start.isoformat(),
            "sittingEnd": (start + dt.timedelta(minutes=day.duration_minutes)).isoformat(),
            "courtHouse": str(day.sitting.court_centre_id),
            "courtRoom": str(day.sitting.court_room_id),
        }
        if day.sitting.judiciary:
            # The contract has room for one: the judge, or the bench's chair.
            sitting["judiciaryId"] = judicial_id(day.sitting.judiciary[0])
        sittings.append(sitting)
    return sittings


def court_schedule_hearing(hearing: Hearing) -> dict[str, Any]:
    days = _days(hearing)
    names = ", ".join(hd.defendant.name for hd in hearing.hearing_defendants.all())
    description = hearing.hearing_type.description
    data: dict[str, Any] = {
        "hearingId": str(hearing.id),
        "hearingType": description,
        "hearingDescription": f"{description} for {names}" if names else description,
        # "Will always be required but can be null": the contract types it as a string, so empty, not null.
        "listNote": hearing.listing_note,
        "courtSittings": _court_sittings(days),
    }
    if not days and hearing.week_commencing:
        data["weekCommencing"] = {
            "startDate": hearing.week_commencing.isoformat(),
            "endDate": (hearing.week_commencing + dt.timedelta(days=6)).isoformat(),
            "durationInWeeks": 1,
            "courtHouse": str(hearing.court_centre_id),
        }
    return data


def court_schedule(hearings: Iterable[Hearing], *, actor: Actor | None = None) -> dict[str, Any]:
    """A case's schedule: its listed and waiting hearings (not vacated ones), as `CourtScheduleResponse`.
    For an `actor`, the defendants named in each hearing's description lose the restricted parts they
    do not need."""
    scheduled = [h for h in hearings if h.status != HearingStatus.VACATED]
    if actor is not None:
        links = [hd for h in scheduled for hd in h.hearing_defendants.all()]
        restricted_parts_withhold(actor=actor, defendants=[hd.defendant for hd in links],
                                  prosecutor_ids={hd.case_id: hd.case.prosecutor_id for hd in links})
    return {"courtSchedule": [{"hearings": [court_schedule_hearing(h) for h in scheduled]}]}
