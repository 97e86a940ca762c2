"""The court calendar through the API: court rooms, non-sitting days, sittings and sitting patterns,
reordering a sitting's list, the unallocated worklist and each centre's listing rules. The same
services as the listing pages; court staff only for writes and for the diary (it names defendants
of every prosecutor's cases)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Status

from courts.api.schemas.listing import (
    CourtRoomCreateIn,
    CourtRoomOut,
    HearingOut,
    ListingRulesOut,
    ListingRulesUpdateIn,
    NonSittingDayDeclareIn,
    NonSittingDayOut,
    SittingCreateIn,
    SittingListQuery,
    SittingOut,
    SittingPatternCreateIn,
    SittingPatternOut,
    SittingReorderIn,
    SittingSkippedOut,
)
from courts.common.actor import Actor
from courts.common.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from courts.listing import selectors, services
from courts.listing.models import Sitting

router = Router(tags=["listing"])

# The longest span one sittings list covers (a month of diary).
MAX_DIARY_DAYS = 31


def court_staff(request: HttpRequest) -> Actor:
    """The caller, if court staff (a listing officer or court administrator); 403 otherwise."""
    actor: Actor = request.auth
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can do this")
    return actor


def _own_centre(actor: Actor, ou_code: str):
    """A court centre where the actor works (any, for national staff), else not found."""
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    if not actor.works_at(centre.pk):
        raise NotFound(f"No court centre of yours has the OU code {ou_code!r}")
    return centre


def sitting_out(sitting: Sitting) -> SittingOut:
    """The sitting with its list, as the diary shows it."""
    for entry in selectors.court_diary(court_centre=sitting.court_centre, date=sitting.date):
        if entry.sitting.id == sitting.id:
            return SittingOut.of_diary(entry, ou_code=sitting.court_centre.ou_code)
    return SittingOut.of(sitting, ou_code=sitting.court_centre.ou_code)


# --- Court rooms and non-sitting days ------------------------------------------------------------


@router.get("/court-centres/{ou_code}/court-rooms", response=list[CourtRoomOut], operation_id="court_rooms_list",
            summary="A court centre's court rooms")
def court_rooms_list(request: HttpRequest, ou_code: str):
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    return [CourtRoomOut.of(room) for room in selectors.court_room_list(court_centre=centre).select_related("court_centre")]


@router.post("/court-centres/{ou_code}/court-rooms", response={201: CourtRoomOut}, operation_id="court_rooms_create",
             summary="Add a court room to a court centre")
def court_rooms_create(request: HttpRequest, ou_code: str, payload: CourtRoomCreateIn):
    actor = court_staff(request)
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    room = services.court_room_create(court_centre=centre, name=payload.name, welsh_name=payload.welshName,
                                      actor=actor)
    return Status(201, CourtRoomOut.of(room))


@router.post("/court-centres/{ou_code}/non-sitting-days", response={201: NonSittingDayOut},
             operation_id="non_sitting_days_declare",
             summary="Declare a day the court centre does not sit (besides weekends and bank holidays)")
def non_sitting_days_declare(request: HttpRequest, ou_code: str, payload: NonSittingDayDeclareIn):
    actor = court_staff(request)
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    day = services.non_sitting_day_declare(court_centre=centre, date=payload.date, reason=payload.reason, actor=actor)
    return Status(201, NonSittingDayOut.of(day))


# --- Sittings ------------------------------------------------------------------------------------


@router.get("/court-centres/{ou_code}/sittings", response=list[SittingOut], operation_id="sittings_list",
            summary="A court centre's sittings from dateFrom to dateTo, each with its list in order")
def sittings_list(request: HttpRequest, ou_code: str, filters: Query[SittingListQuery]):
    centre = _own_centre(court_staff(request), ou_code)
    last = filters.dateTo or filters.dateFrom
    if last < filters.dateFrom:
        raise ValidationFailed("dateTo is before dateFrom", errors=[FieldError("dateTo", "Must be on or after dateFrom")])
    if (last - filters.dateFrom).days >= MAX_DIARY_DAYS:
        raise ValidationFailed(f"Ask for at most {MAX_DIARY_DAYS} days at a time",
                               errors=[FieldError("dateTo", f"At most {MAX_DIARY_DAYS - 1} days after dateFrom")])
    days = [filters.dateFrom + dt.timedelta(days=n) for n in range((last - filters.dateFrom).days + 1)]
    return [SittingOut.of_diary(entry, ou_code=centre.ou_code)
            for day in days for entry in selectors.court_diary(court_centre=centre, date=day)]


@router.get("/sittings/{sitting_id}", response=SittingOut, operation_id="sittings_get",
            summary="A sitting with its list in order and its version")
def sittings_get(request: HttpRequest, sitting_id: str):
    return sitting_out(selectors.sitting_get_for_actor(actor=court_staff(request), sitting_id=sitting_id))


@router.post("/court-rooms/{court_room_id}/sittings", response={201: SittingOut}, operation_id="sittings_create",
             summary="Create one sitting; 409 listing_conflicts lists what to acknowledge")
def sittings_create(request: HttpRequest, court_room_id: str, payload: SittingCreateIn):
    actor = court_staff(request)
    room = selectors.court_room_get(court_room_id=court_room_id)
    sitting = services.sitting_create(court_room=room, date=payload.date, spec=payload.to_spec(), actor=actor,
                                      acknowledge_conflicts=payload.acknowledgeConflicts)
    return Status(201, SittingOut.of(sitting, ou_code=room.court_centre.ou_code))


@router.post("/court-centres/{ou_code}/sitting-patterns", response={201: SittingPatternOut},
             operation_id="sitting_patterns_create",
             summary="Sittings for rooms on chosen weekdays for some weeks, skipping days the court does not sit")
def sitting_patterns_create(request: HttpRequest, ou_code: str, payload: SittingPatternCreateIn):
    actor = court_staff(request)
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    rooms = [selectors.court_room_get(court_room_id=room_id) for room_id in dict.fromkeys(payload.courtRoomIds)]
    elsewhere = [str(r.id) for r in rooms if r.court_centre_id != centre.id]
    if elsewhere:
        raise ValidationFailed(f"Those rooms are not at {centre.name}",
                               errors=[FieldError("courtRoomIds", f"{room_id} is not a room at {centre.name}")
                                       for room_id in elsewhere])
    outcome = services.sitting_pattern_create(court_rooms=rooms, start_date=payload.startDate, weeks=payload.weeks,
                                              weekdays=payload.weekdays, spec=payload.to_spec(), actor=actor)
    return Status(201, SittingPatternOut(
        created=[SittingOut.of(s, ou_code=centre.ou_code) for s in outcome.created],
        skipped=[SittingSkippedOut(date=day, courtRoom=room, reason=why) for day, room, why in outcome.skipped],
    ))


@router.put("/sittings/{sitting_id}/order", response=SittingOut, operation_id="sittings_reorder",
            summary="Put a sitting's hearings in a new order (send the sitting's version)")
def sittings_reorder(request: HttpRequest, sitting_id: str, payload: SittingReorderIn):
    actor = court_staff(request)
    sitting = selectors.sitting_get(sitting_id=sitting_id)
    services.sitting_reorder(sitting=sitting, hearing_ids=payload.hearingIds, actor=actor,
                             expected_version=payload.version)
    return sitting_out(selectors.sitting_get(sitting_id=sitting_id))


# --- The worklist and the rules ------------------------------------------------------------------


@router.get("/court-centres/{ou_code}/unallocated-hearings", response=list[HearingOut],
            operation_id="unallocated_hearings_list",
            summary="The worklist: hearings waiting to be listed, and vacated ones to relist, soonest week first")
def unallocated_hearings_list(request: HttpRequest, ou_code: str):
    centre = _own_centre(court_staff(request), ou_code)
    return [HearingOut.of(h) for h in selectors.unallocated_worklist(court_centre=centre)]


@router.get("/court-centres/{ou_code}/listing-rules", response=ListingRulesOut, operation_id="listing_rules_get",
            summary="How intake lists first hearings at the court centre")
def listing_rules_get(request: HttpRequest, ou_code: str):
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    return ListingRulesOut.of(selectors.listing_rules_get(court_centre=centre))


@router.put("/court-centres/{ou_code}/listing-rules", response=ListingRulesOut, operation_id="listing_rules_update",
            summary="Change the centre's listing rules (send the version you read)")
def listing_rules_update(request: HttpRequest, ou_code: str, payload: ListingRulesUpdateIn):
    actor = court_staff(request)
    centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    rules = services.listing_rules_update(
        court_centre=centre, actor=actor, expected_version=payload.version,
        guilty_anticipated_days=payload.guiltyAnticipatedDays,
        not_guilty_anticipated_days=payload.notGuiltyAnticipatedDays,
        custody_next_sitting_day=payload.custodyNextSittingDay,
        first_hearing_type_code=payload.firstHearingType.strip().upper(),
    )
    return ListingRulesOut.of(rules)
