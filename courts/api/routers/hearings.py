"""Hearings: read in Common Platform's hearing shape (and its court schedule contract), created,
listed into sittings (which also moves and relists them) and vacated, through the listing services.

Court staff read every hearing; a prosecutor's system reads the hearings of its own cases, and in a
hearing shared with another prosecutor's case, only its own case."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from courts.api.cp_hearing import court_schedule, hearing_cp, load_case_details
from courts.api.routers.listing import court_staff
from courts.api.schemas.listing import (
    HearingCreateIn,
    HearingListIn,
    HearingListQuery,
    HearingOut,
    HearingVacateIn,
)
from courts.cases import selectors as case_selectors
from courts.common.actor import Actor
from courts.common.errors import FieldError, NotFound, ValidationFailed
from courts.listing import selectors, services
from courts.listing.models import Hearing
from courts.reference.models import HearingType
from courts.reference.selectors import bail_status_descriptions

router = Router(tags=["hearings"])


def _visible_defendant_ids(actor: Actor, hearings: list[Hearing]) -> set | None:
    """The defendants of these hearings whose part the actor may see (the defence: its own, not the
    co-defendants); None when it may see them all."""
    if actor.is_court_staff and actor.national:
        return None
    defendant_ids = {hd.defendant_id for h in hearings for hd in h.hearing_defendants.all()}
    visible = case_selectors.defendant_queryset_for_actor(actor=actor).filter(pk__in=defendant_ids)
    return set(visible.values_list("pk", flat=True))


def _cases_of(hearings: list[Hearing], visible: set | None) -> set | None:
    if visible is None:
        return None
    return {hd.case_id for h in hearings for hd in h.hearing_defendants.all() if hd.defendant_id in visible}


def _shown(hearing: Hearing, visible: set | None) -> bool:
    return visible is None or any(hd.defendant_id in visible for hd in hearing.hearing_defendants.all())


def _in_court_order(hearing: Hearing, date: dt.date) -> tuple:
    """A day's hearings as the court lists read: by room, then time, then place in the list."""
    day = next((d for d in hearing.hearing_days.all() if d.date == date), None)
    if day is None:
        return ("", "", 0)
    return (day.sitting.court_room.name, day.start_time.isoformat(), day.list_order)


def _hearing_type(code_or_id: str) -> HearingType:
    value = code_or_id.strip()
    try:
        found = HearingType.objects.filter(pk=uuid.UUID(value)).first()
    except ValueError:
        # Codes are not unique (Common Platform has two PTP types): the first in sequence is meant.
        found = HearingType.objects.filter(code=value.upper()).order_by("sequence").first()
    if found is None:
        raise ValidationFailed(f"{value} is not a hearing type",
                               errors=[FieldError("hearingType", f"{value} is not a hearing type")])
    return found


@router.get("/hearings", response=list[dict], operation_id="hearings_list",
            summary="A court centre's hearings on a date, in Common Platform's hearing shape")
def hearings_list(request: HttpRequest, filters: Query[HearingListQuery]):
    centre = selectors.court_centre_get_or_404(ou_code=filters.courtCentre)
    hearings = selectors.hearing_list_for_court_day(court_centre=centre, date=filters.date)
    visible = _visible_defendant_ids(request.auth, hearings)
    hearings = sorted((h for h in hearings if _shown(h, visible)), key=lambda h: _in_court_order(h, filters.date))
    load_case_details(hearings)
    bail = bail_status_descriptions()
    return [hearing_cp(h, bail, _cases_of([h], visible), visible, actor=request.auth) for h in hearings]


@router.get("/hearings/{hearing_id}", response=dict, operation_id="hearings_get",
            summary="A hearing in Common Platform's hearing shape (ETag: its version)")
def hearings_get(request: HttpRequest, response: HttpResponse, hearing_id: str):
    hearing = selectors.hearing_get(hearing_id=hearing_id)
    visible = _visible_defendant_ids(request.auth, [hearing])
    if not _shown(hearing, visible):
        raise NotFound("No such hearing")  # a hearing's existence is itself information
    load_case_details([hearing])
    response["ETag"] = f'"{hearing.version}"'
    return hearing_cp(hearing, bail_status_descriptions(), _cases_of([hearing], visible), visible,
                      actor=request.auth)


@router.post("/hearings", response={201: HearingOut}, operation_id="hearings_create",
             summary="A hearing for some defendants, waiting on the centre's worklist to be listed")
def hearings_create(request: HttpRequest, response: HttpResponse, payload: HearingCreateIn):
    actor = court_staff(request)
    centre = selectors.court_centre_get_or_404(ou_code=payload.courtCentre)
    hearing_type = _hearing_type(payload.hearingType)
    defendants = [case_selectors.defendant_get_for_actor(actor=actor, defendant_id=d)
                  for d in dict.fromkeys(payload.defendantIds)]
    hearing = services.hearing_create(
        hearing_type=hearing_type, court_centre=centre, defendants=defendants, actor=actor,
        estimate_minutes=payload.estimateMinutes, week_commencing=payload.weekCommencing, note=payload.note,
    )
    response["Location"] = f"/api/v1/hearings/{hearing.id}"
    return Status(201, HearingOut.of(selectors.hearing_get(hearing_id=hearing.id)))


@router.post("/hearings/{hearing_id}/listing", response=HearingOut, operation_id="hearings_list_in_sitting",
             summary="List a hearing at the end of a sitting's list; also moves a listed one and relists a "
                     "vacated one. Send the sitting's version; 409 listing_conflicts lists what to acknowledge")
def hearings_list_in_sitting(request: HttpRequest, hearing_id: str, payload: HearingListIn):
    actor = court_staff(request)
    hearing = selectors.hearing_get(hearing_id=hearing_id)
    sitting = selectors.sitting_get(sitting_id=payload.sittingId)
    services.hearing_list(hearing=hearing, sitting=sitting, actor=actor, expected_sitting_version=payload.sittingVersion,
                          acknowledge_conflicts=payload.acknowledgeConflicts, duration_minutes=payload.durationMinutes,
                          expected_hearing_version=payload.hearingVersion)
    return HearingOut.of(selectors.hearing_get(hearing_id=hearing_id))


@router.post("/hearings/{hearing_id}/days", response=HearingOut, operation_id="hearings_add_day",
             summary="Add a further day to a listed hearing (a trial over several days) in another sitting")
def hearings_add_day(request: HttpRequest, hearing_id: str, payload: HearingListIn):
    actor = court_staff(request)
    hearing = selectors.hearing_get(hearing_id=hearing_id)
    sitting = selectors.sitting_get(sitting_id=payload.sittingId)
    services.hearing_day_add(hearing=hearing, sitting=sitting, actor=actor,
                             expected_sitting_version=payload.sittingVersion,
                             acknowledge_conflicts=payload.acknowledgeConflicts, duration_minutes=payload.durationMinutes)
    return HearingOut.of(selectors.hearing_get(hearing_id=hearing_id))


@router.post("/hearings/{hearing_id}/vacate", response=HearingOut, operation_id="hearings_vacate",
             summary="Take a hearing out of its list with a reason; it waits on the worklist to be relisted")
def hearings_vacate(request: HttpRequest, hearing_id: str, payload: HearingVacateIn):
    actor = court_staff(request)
    hearing = selectors.hearing_get(hearing_id=hearing_id)
    services.hearing_vacate(hearing=hearing, reason=payload.reason, actor=actor, expected_version=payload.version)
    return HearingOut.of(selectors.hearing_get(hearing_id=hearing_id))


@router.get("/case/{case_urn}/courtschedule", response=dict, operation_id="court_schedule_get",
            summary="A case's court schedule, as Common Platform's court schedule API "
                    "(api-cp-crime-schedulingandlisting-courtschedule) returns it")
def court_schedule_get(request: HttpRequest, case_urn: str):
    found = case_selectors.case_search(actor=request.auth, search=case_selectors.CaseSearch(urn=case_urn))
    if not found:
        raise NotFound(f"No case has the URN {case_urn}")
    return court_schedule(selectors.hearing_list_for_case(case_id=found[0].id), actor=request.auth)
