"""Writes to the court calendar: rooms, sittings, hearings and the rules that list first hearings."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum

from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.cases.enums import AnticipatedPlea, InitiationType
from courts.cases.models import Defendant, ProsecutionCase
from courts.common.actor import Actor
from courts.common.clock import court_today, now
from courts.common.errors import ApplicationError, Conflict, FieldError, PermissionDenied, ValidationFailed
from courts.listing.conflicts import (
    ListingConflict,
    hearing_conflicts,
    is_youth_on,
    non_sitting_day_reason,
    sitting_conflicts,
)
from courts.listing.enums import HearingStatus, JudiciaryType, Session, SittingKind
from courts.listing.models import (
    CourtRoom,
    Hearing,
    HearingDay,
    HearingDefendant,
    ListingRules,
    NonSittingDay,
    Sitting,
)
from courts.reference.calendar import is_working_day, on_or_after_working_day
from courts.reference.models import CourtCentre, HearingType

# Bail statuses that keep a defendant in custody (or local-authority or secure accommodation) until court.
CUSTODY_STATUSES = {"C", "P", "L", "S"}
# How far ahead intake looks for a sitting before leaving a first hearing on the worklist.
SEARCH_DAYS = 21


class ListingConflicts(ApplicationError):
    status = 409
    code = "listing_conflicts"
    title = "The listing has conflicts"

    def __init__(self, conflicts: list[ListingConflict]):
        blocking = any(c.is_blocking for c in conflicts)
        super().__init__(
            "This cannot be listed: " + "; ".join(c.message for c in conflicts if c.is_blocking)
            if blocking
            else "Check these conflicts, then confirm to list anyway",
            errors=[FieldError(c.kind, c.message, "blocking" if c.is_blocking else "warning") for c in conflicts],
        )
        self.conflicts = conflicts


def _require_court_staff(actor: Actor, *court_centre_ids) -> None:
    """Court staff change the calendar of their own court centres (national staff: any)."""
    if not actor.is_court_staff:
        raise PermissionDenied("Only court staff can change the court calendar")
    if not all(actor.works_at(centre_id) for centre_id in court_centre_ids):
        raise PermissionDenied("Only the court staff of this court centre can change its calendar")


def _raise_conflicts(conflicts: list[ListingConflict], acknowledged: bool) -> None:
    if any(c.is_blocking for c in conflicts) or (conflicts and not acknowledged):
        raise ListingConflicts(conflicts)


def _case_ids(hearing: Hearing) -> list:
    return sorted({hd.case_id for hd in hearing.hearing_defendants.all()}, key=str)


def _record_for_cases(hearing: Hearing, *, type: EventType, actor: Actor, summary: str, payload: dict) -> None:
    # The case timeline shows listing changes: one event per case in the hearing.
    for case_id in _case_ids(hearing) or [None]:
        event_record(type=type, actor=actor, case_id=case_id, summary=summary,
                     payload={"hearing_id": hearing.id, **payload})


def _bump_sitting(sitting: Sitting, expected_version: int | None) -> None:
    rows = Sitting.objects.filter(pk=sitting.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        raise Conflict(
            f"The list for {sitting.court_room.name} on {sitting.date:%-d %B} was changed by someone else since you "
            f"opened it. Reload the diary and make your change again.",
            code="stale_version",
        )
    sitting.refresh_from_db(fields=["version"])


def _bump_hearing(hearing: Hearing, expected_version: int | None) -> None:
    rows = Hearing.objects.filter(pk=hearing.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        raise Conflict("This hearing was changed by someone else since you opened it. Reload and try again.",
                       code="stale_version")
    hearing.refresh_from_db(fields=["version"])


def _retime(sitting: Sitting) -> None:
    """Start times follow the list order from the sitting's start, each hearing after the one before."""
    start = dt.datetime.combine(sitting.date, sitting.start_time)
    for day in HearingDay.objects.filter(sitting=sitting).order_by("list_order", "id"):
        if day.start_time != start.time():
            HearingDay.objects.filter(pk=day.pk).update(start_time=start.time())
        start += dt.timedelta(minutes=day.duration_minutes)


@transaction.atomic
def court_room_create(*, court_centre: CourtCentre, name: str, actor: Actor, welsh_name: str = "") -> CourtRoom:
    _require_court_staff(actor, court_centre.pk)
    name = name.strip()
    if not name:
        raise ValidationFailed("Enter the court room's name", errors=[FieldError("name", "Enter a name")])
    if CourtRoom.objects.filter(court_centre=court_centre, name__iexact=name).exists():
        raise Conflict(f"{court_centre.name} already has a room called {name}", code="duplicate_room")
    try:
        with transaction.atomic():
            room = CourtRoom.objects.create(court_centre=court_centre, name=name, welsh_name=welsh_name.strip(),
                                            created_at=now())
    except IntegrityError as error:  # a concurrent request made it first
        raise Conflict(f"{court_centre.name} already has a room called {name}", code="duplicate_room") from error
    event_record(type=EventType.COURT_ROOM_CREATED, actor=actor, summary=f"{room} created",
                 payload={"court_room_id": room.id, "court_centre": court_centre.ou_code, "name": name})
    return room


@transaction.atomic
def non_sitting_day_declare(*, court_centre: CourtCentre, date: dt.date, reason: str, actor: Actor) -> NonSittingDay:
    _require_court_staff(actor, court_centre.pk)
    if not reason.strip():
        raise ValidationFailed("Give the reason", errors=[FieldError("reason", "Give the reason the court does not sit")])
    day, created = NonSittingDay.objects.get_or_create(court_centre=court_centre, date=date,
                                                       defaults={"reason": reason.strip()[:200]})
    if not created:
        raise Conflict(f"{date:%-d %B %Y} is already a non-sitting day at {court_centre.name}", code="duplicate")
    if HearingDay.objects.filter(sitting__court_centre=court_centre, date=date).exists():
        raise Conflict(f"Hearings are listed at {court_centre.name} on {date:%-d %B %Y}: move them first",
                       code="hearings_listed")
    event_record(type=EventType.NON_SITTING_DAY_DECLARED, actor=actor,
                 summary=f"{court_centre.name} does not sit on {date:%-d %B %Y}: {day.reason}",
                 payload={"court_centre": court_centre.ou_code, "date": date, "reason": day.reason})
    return day


@dataclass
class SittingSpec:
    session: Session
    kind: SittingKind
    judiciary_type: JudiciaryType
    capacity_minutes: int
    judiciary: list[str] = field(default_factory=list)
    hearing_type_codes: list[str] = field(default_factory=list)
    start_time: dt.time | None = None


def _validate_spec(spec: SittingSpec) -> None:
    errors = []
    if spec.session not in Session.values:
        errors.append(FieldError("session", "Choose morning, afternoon or all day"))
    if spec.kind not in SittingKind.values:
        errors.append(FieldError("kind", "Choose an adult, custody or youth court"))
    if spec.judiciary_type not in JudiciaryType.values:
        errors.append(FieldError("judiciaryType", "Choose the judiciary"))
    if not (0 < spec.capacity_minutes <= 12 * 60):
        errors.append(FieldError("capacityMinutes", "Capacity must be between 1 and 720 minutes"))
    known = set(HearingType.objects.values_list("code", flat=True))
    for code in spec.hearing_type_codes:
        if code not in known:
            errors.append(FieldError("hearingTypes", f"{code} is not a hearing type"))
    if errors:
        raise ValidationFailed("The sitting has invalid fields", errors=errors)


def _start_time(spec: SittingSpec, court_centre: CourtCentre) -> dt.time:
    if spec.start_time:
        return spec.start_time
    if spec.session == Session.AFTERNOON:
        return dt.time(14, 0)
    return court_centre.default_start_time or dt.time(10, 0)


def _new_sitting(room: CourtRoom, date: dt.date, spec: SittingSpec) -> Sitting:
    return Sitting(
        court_room=room, court_centre_id=room.court_centre_id, date=date, session=spec.session,
        start_time=_start_time(spec, room.court_centre), kind=spec.kind, judiciary_type=spec.judiciary_type,
        judiciary=[n.strip() for n in spec.judiciary if n.strip()], hearing_type_codes=spec.hearing_type_codes,
        capacity_minutes=spec.capacity_minutes, created_at=now(),
    )


def _sitting_clashes(room: CourtRoom, date: dt.date, session: str) -> bool:
    sessions = [Session.MORNING, Session.AFTERNOON, Session.ALL_DAY] if session == Session.ALL_DAY \
        else [session, Session.ALL_DAY]
    return Sitting.objects.filter(court_room=room, date=date, session__in=sessions).exists()


@transaction.atomic
def sitting_create(*, court_room: CourtRoom, date: dt.date, spec: SittingSpec, actor: Actor,
                   acknowledge_conflicts: bool = False) -> Sitting:
    _require_court_staff(actor, court_room.court_centre_id)
    _validate_spec(spec)
    if _sitting_clashes(court_room, date, spec.session):
        raise Conflict(f"{court_room.name} already sits on {date:%-d %B %Y} at that time", code="duplicate_sitting")
    sitting = _new_sitting(court_room, date, spec)
    _raise_conflicts(sitting_conflicts(sitting), acknowledge_conflicts)
    try:
        with transaction.atomic():
            sitting.save()
    except IntegrityError as error:
        raise Conflict(f"{court_room.name} already sits on {date:%-d %B %Y} at that time",
                       code="duplicate_sitting") from error
    event_record(type=EventType.SITTING_CREATED, actor=actor,
                 summary=f"Sitting: {court_room}, {date:%-d %B %Y} {sitting.get_session_display().lower()}",
                 payload={"sitting_id": sitting.id, "court_room_id": court_room.id, "date": date,
                          "session": spec.session, "kind": spec.kind, "judiciary": sitting.judiciary})
    return sitting


@dataclass(frozen=True)
class PatternOutcome:
    created: list[Sitting]
    skipped: list[tuple[dt.date, str, str]]  # date, room, why


@transaction.atomic
def sitting_pattern_create(*, court_rooms: list[CourtRoom], start_date: dt.date, weeks: int,
                           weekdays: Iterable[int], spec: SittingSpec, actor: Actor) -> PatternOutcome:
    """Sittings for each room on each chosen weekday (0 = Monday) for `weeks` weeks, skipping weekends,
    bank holidays, declared non-sitting days and rooms that already sit then."""
    _require_court_staff(actor, *{room.court_centre_id for room in court_rooms})
    _validate_spec(spec)
    weekdays = sorted(set(weekdays))
    errors = []
    if not court_rooms:
        errors.append(FieldError("courtRooms", "Choose at least one court room"))
    if len({r.court_centre_id for r in court_rooms}) > 1:
        errors.append(FieldError("courtRooms", "A pattern is for the rooms of one court centre"))
    if not (1 <= weeks <= 52):
        errors.append(FieldError("weeks", "A pattern runs for 1 to 52 weeks"))
    if not weekdays or any(d not in range(7) for d in weekdays):
        errors.append(FieldError("weekdays", "Choose the days of the week (0 = Monday to 6 = Sunday)"))
    if errors:
        raise ValidationFailed("The sitting pattern has invalid fields", errors=errors)
    created, skipped = [], []
    for offset in range(weeks * 7):
        date = start_date + dt.timedelta(days=offset)
        if date.weekday() not in weekdays:
            continue
        for room in court_rooms:
            if reason := non_sitting_day_reason(room.court_centre_id, date):
                skipped.append((date, room.name, reason))
            elif _sitting_clashes(room, date, spec.session):
                skipped.append((date, room.name, "the room already sits then"))
            else:
                created.append(_new_sitting(room, date, spec))
    try:
        with transaction.atomic():
            Sitting.objects.bulk_create(created)
    except IntegrityError as error:  # a concurrent pattern or sitting took one of the slots
        raise Conflict("Some of these sittings were created by someone else meanwhile. Try again.",
                       code="duplicate_sitting") from error
    centre = court_rooms[0].court_centre
    event_record(type=EventType.SITTING_PATTERN_CREATED, actor=actor,
                 summary=f"{len(created)} sittings created at {centre.name} from {start_date:%-d %B %Y} "
                         f"for {weeks} weeks ({len(skipped)} skipped)",
                 payload={"court_centre": centre.ou_code, "rooms": [r.name for r in court_rooms],
                          "start_date": start_date, "weeks": weeks, "weekdays": weekdays, "session": spec.session,
                          "created": len(created), "skipped": [[d, r, why] for d, r, why in skipped]})
    return PatternOutcome(created, skipped)


@transaction.atomic
def hearing_create(*, hearing_type: HearingType, court_centre: CourtCentre, defendants: list[Defendant],
                   actor: Actor, estimate_minutes: int | None = None, week_commencing: dt.date | None = None,
                   is_date_to_be_fixed: bool = False, note: str = "") -> Hearing:
    """A hearing waiting to be listed: on the listing officer's worklist until it is."""
    _require_court_staff(actor)
    defendants = list({d.pk: d for d in defendants}.values())
    if not defendants:
        raise ValidationFailed("A hearing needs at least one defendant",
                               errors=[FieldError("defendants", "Choose the defendants to be heard")])
    estimate = estimate_minutes or hearing_type.default_duration_minutes or 20
    if week_commencing:
        week_commencing -= dt.timedelta(days=week_commencing.weekday())
    hearing = Hearing.objects.create(
        hearing_type=hearing_type, court_centre=court_centre, status=HearingStatus.UNALLOCATED,
        estimate_minutes=estimate, week_commencing=week_commencing,
        is_date_to_be_fixed=is_date_to_be_fixed or week_commencing is None, listing_note=note[:300],
        created_at=now(),
    )
    HearingDefendant.objects.bulk_create(
        [HearingDefendant(hearing=hearing, case_id=d.case_id, defendant=d) for d in defendants]
    )
    when = f"week commencing {week_commencing:%-d %B %Y}" if week_commencing else "date to be fixed"
    _record_for_cases(hearing, type=EventType.HEARING_CREATED, actor=actor,
                      summary=f"{hearing_type.description} at {court_centre.name} waiting to be listed ({when})",
                      payload={"hearing_type": hearing_type.code, "court_centre": court_centre.ou_code,
                               "week_commencing": week_commencing, "note": note})
    return hearing


def _next_list_order(sitting: Sitting) -> int:
    return (HearingDay.objects.filter(sitting=sitting).aggregate(m=Max("list_order"))["m"] or 0) + 1


@transaction.atomic
def hearing_list(*, hearing: Hearing, sitting: Sitting, actor: Actor, expected_sitting_version: int | None,
                 acknowledge_conflicts: bool = False, duration_minutes: int | None = None,
                 expected_hearing_version: int | None = None) -> Hearing:
    """List (or move, or relist) a hearing at the end of a sitting's list.

    `expected_hearing_version`, when given, refuses a move of a hearing someone else has just listed."""
    _require_court_staff(actor, sitting.court_centre_id)
    if hearing.status == HearingStatus.HEARD:
        raise Conflict("This hearing has been heard and cannot be moved", code="already_heard")
    duration = duration_minutes or hearing.estimate_minutes
    # A stale view is refused before its conflicts are shown: they were worked out on an old list.
    if expected_hearing_version is not None and hearing.version != expected_hearing_version:
        raise Conflict("This hearing was changed by someone else since you opened it. Reload and try again.",
                       code="stale_version")
    _bump_sitting(sitting, expected_sitting_version)
    _raise_conflicts(hearing_conflicts(hearing=hearing, sitting=sitting, duration_minutes=duration),
                     acknowledge_conflicts)
    previous = list(hearing.hearing_days.select_related("sitting__court_room"))
    for day in previous:
        if day.sitting_id != sitting.id:
            _bump_sitting(day.sitting, None)
    hearing.hearing_days.all().delete()
    for day in previous:
        _retime(day.sitting)
    HearingDay.objects.create(hearing=hearing, sitting=sitting, date=sitting.date, start_time=sitting.start_time,
                              list_order=_next_list_order(sitting), duration_minutes=duration)
    _retime(sitting)
    was = hearing.status
    hearing.status = HearingStatus.LISTED
    hearing.vacated_reason = ""
    hearing.court_centre_id = sitting.court_centre_id  # a hearing moved to another centre belongs there
    hearing.save(update_fields=["status", "vacated_reason", "court_centre"])
    _bump_hearing(hearing, expected_hearing_version)
    moved = was == HearingStatus.LISTED
    where = f"{sitting.court_room}, {sitting.date:%-d %B %Y}"
    _record_for_cases(
        hearing, type=EventType.HEARING_MOVED if moved else EventType.HEARING_LISTED, actor=actor,
        summary=f"{hearing.hearing_type.description} {'moved to' if moved else 'listed at'} {where}",
        payload={"sitting_id": sitting.id, "date": sitting.date, "court_room": sitting.court_room.name,
                 "from_sittings": [d.sitting_id for d in previous], "acknowledged_conflicts": acknowledge_conflicts},
    )
    return hearing


@transaction.atomic
def hearing_day_add(*, hearing: Hearing, sitting: Sitting, actor: Actor, expected_sitting_version: int | None,
                    acknowledge_conflicts: bool = False, duration_minutes: int | None = None) -> Hearing:
    """Add a further day to a listed hearing (a trial over several days), at the end of that sitting's list."""
    _require_court_staff(actor, sitting.court_centre_id)
    if hearing.status != HearingStatus.LISTED:
        raise Conflict("List the hearing before adding days to it", code="not_listed")
    if hearing.hearing_days.filter(date=sitting.date).exists():
        raise Conflict(f"The hearing already sits on {sitting.date:%-d %B %Y}", code="duplicate_day")
    duration = duration_minutes or hearing.estimate_minutes
    _bump_sitting(sitting, expected_sitting_version)
    _raise_conflicts(hearing_conflicts(hearing=hearing, sitting=sitting, duration_minutes=duration),
                     acknowledge_conflicts)
    HearingDay.objects.create(hearing=hearing, sitting=sitting, date=sitting.date, start_time=sitting.start_time,
                              list_order=_next_list_order(sitting), duration_minutes=duration)
    _retime(sitting)
    _bump_hearing(hearing, None)
    _record_for_cases(hearing, type=EventType.HEARING_DAY_ADDED, actor=actor,
                      summary=f"{hearing.hearing_type.description}: a further day at {sitting.court_room}, "
                              f"{sitting.date:%-d %B %Y}",
                      payload={"sitting_id": sitting.id, "date": sitting.date, "acknowledged_conflicts": acknowledge_conflicts})
    return hearing


@transaction.atomic
def sitting_reorder(*, sitting: Sitting, hearing_ids: list, actor: Actor, expected_version: int) -> Sitting:
    _require_court_staff(actor, sitting.court_centre_id)
    # The version first: an order read before someone else changed the list is stale, whatever it names.
    _bump_sitting(sitting, expected_version)
    days = {str(d.hearing_id): d for d in HearingDay.objects.filter(sitting=sitting)}
    wanted = [str(h) for h in hearing_ids]
    if sorted(wanted) != sorted(days):
        raise ValidationFailed("The new order must list every hearing of the sitting exactly once",
                               errors=[FieldError("hearingIds", "List every hearing in the sitting once")])
    for position, hearing_id in enumerate(wanted, start=1):
        HearingDay.objects.filter(pk=days[hearing_id].pk).update(list_order=position)
    _retime(sitting)
    event_record(type=EventType.SITTING_REORDERED, actor=actor,
                 summary=f"List reordered: {sitting.court_room}, {sitting.date:%-d %B %Y}",
                 payload={"sitting_id": sitting.id, "order": wanted})
    return sitting


@transaction.atomic
def hearing_vacate(*, hearing: Hearing, reason: str, actor: Actor, expected_version: int | None) -> Hearing:
    """Take a hearing out of the list. It waits unallocated, for relisting, with the reason kept."""
    _require_court_staff(actor, hearing.court_centre_id)
    if not reason.strip():
        raise ValidationFailed("Give the reason", errors=[FieldError("reason", "Choose why the hearing is vacated")])
    if hearing.status not in (HearingStatus.LISTED, HearingStatus.UNALLOCATED):
        raise Conflict(f"A {hearing.get_status_display().lower()} hearing cannot be vacated", code="not_listed")
    _bump_hearing(hearing, expected_version)
    days = list(hearing.hearing_days.select_related("sitting"))
    for day in days:
        _bump_sitting(day.sitting, None)
    hearing.hearing_days.all().delete()
    for day in days:
        _retime(day.sitting)
    hearing.status = HearingStatus.VACATED
    hearing.vacated_reason = reason.strip()[:200]
    hearing.save(update_fields=["status", "vacated_reason"])
    _record_for_cases(hearing, type=EventType.HEARING_VACATED, actor=actor,
                      summary=f"{hearing.hearing_type.description} vacated: {hearing.vacated_reason}",
                      payload={"reason": hearing.vacated_reason, "sittings": [d.sitting_id for d in days]})
    return hearing


def listing_rules_for(court_centre: CourtCentre) -> ListingRules:
    rules = ListingRules.objects.filter(court_centre=court_centre).first()
    return rules or ListingRules(court_centre=court_centre, updated_at=now())


@transaction.atomic
def listing_rules_update(*, court_centre: CourtCentre, actor: Actor, expected_version: int,
                         guilty_anticipated_days: int, not_guilty_anticipated_days: int,
                         custody_next_sitting_day: bool, first_hearing_type_code: str) -> ListingRules:
    _require_court_staff(actor, court_centre.pk)
    errors = []
    for name, value in (("guiltyAnticipatedDays", guilty_anticipated_days),
                        ("notGuiltyAnticipatedDays", not_guilty_anticipated_days)):
        if not (1 <= value <= 90):
            errors.append(FieldError(name, "Enter a number of days from 1 to 90"))
    if not HearingType.objects.filter(code=first_hearing_type_code).exists():
        errors.append(FieldError("firstHearingType", f"{first_hearing_type_code} is not a hearing type"))
    if errors:
        raise ValidationFailed("The listing rules have invalid fields", errors=errors)
    rules = listing_rules_for(court_centre)
    stale = Conflict("These rules were changed by someone else since you opened them. Reload and try again.",
                     code="stale_version")
    if rules.version != expected_version:
        raise stale
    before = {"guilty_anticipated_days": rules.guilty_anticipated_days,
              "not_guilty_anticipated_days": rules.not_guilty_anticipated_days,
              "custody_next_sitting_day": rules.custody_next_sitting_day,
              "first_hearing_type_code": rules.first_hearing_type_code}
    after = {"guilty_anticipated_days": guilty_anticipated_days,
             "not_guilty_anticipated_days": not_guilty_anticipated_days,
             "custody_next_sitting_day": custody_next_sitting_day,
             "first_hearing_type_code": first_hearing_type_code}
    if rules.pk:
        # Conditional update: of two officers who read the same version, only the first saves.
        if ListingRules.objects.filter(pk=rules.pk, version=expected_version).update(
                **after, version=F("version") + 1, updated_at=now()) != 1:
            raise stale
    else:
        # The defaults read as version 1; the first save makes version 2 and the unique centre
        # refuses a second "first" save.
        try:
            with transaction.atomic():
                ListingRules.objects.create(court_centre=court_centre, **after, version=expected_version + 1,
                                            updated_at=now())
        except IntegrityError as error:
            raise stale from error
    rules = ListingRules.objects.get(court_centre=court_centre)
    event_record(type=EventType.LISTING_RULES_UPDATED, actor=actor,
                 summary=f"Listing rules changed at {court_centre.name}",
                 payload={"court_centre": court_centre.ou_code, "from": before,
                          "to": after})
    return rules


# --- First hearings at intake -------------------------------------------------------------------


@dataclass(frozen=True)
class FirstHearingPlan:
    """Where the rules say a new case's first hearing goes, and why (shown on the worklist)."""

    target_date: dt.date
    kinds: tuple[str, ...]
    reason: str


def first_hearing_plan(*, case: ProsecutionCase, defendants: list[Defendant], anticipated_plea: str,
                       rules: ListingRules, today: dt.date) -> FirstHearingPlan | None:
    if case.initiation_type == InitiationType.SJP_NOTICE:
        return None  # decided on the papers by a single justice: no hearing
    charged = max((o.charge_date for d in defendants for o in d.offences.all() if o.charge_date), default=today)
    charged = max(charged, today)
    is_youth = any(is_youth_on(d, today) for d in defendants)
    if rules.custody_next_sitting_day and any(d.bail_status in CUSTODY_STATUSES for d in defendants):
        kinds = (SittingKind.YOUTH,) if is_youth else (SittingKind.CUSTODY,)
        return FirstHearingPlan(on_or_after_working_day(charged + dt.timedelta(days=1)), kinds,
                                "in custody: the next sitting day's custody court")
    kinds = (SittingKind.YOUTH,) if is_youth else (SittingKind.ADULT,)
    if case.requested_hearing_date and case.requested_hearing_date >= today:
        # Police bail to a date: the defendant has been told to attend then.
        return FirstHearingPlan(case.requested_hearing_date, kinds, "bailed to attend on this date")
    if anticipated_plea == AnticipatedPlea.NOT_GUILTY:
        days, why = rules.not_guilty_anticipated_days, "not guilty anticipated"
    else:
        days, why = rules.guilty_anticipated_days, "guilty anticipated"
    target = on_or_after_working_day(charged + dt.timedelta(days=days))
    return FirstHearingPlan(target, kinds, f"on bail, {why}: about {days} days after charge")


def _sitting_with_room(*, court_centre: CourtCentre, plan: FirstHearingPlan, hearing_type: HearingType,
                       minutes: int, exact_date: bool) -> Sitting | None:
    last = plan.target_date if exact_date else plan.target_date + dt.timedelta(days=SEARCH_DAYS)
    candidates = (
        Sitting.objects.filter(court_centre=court_centre, date__gte=plan.target_date, date__lte=last,
                               kind__in=plan.kinds)
        .annotate(booked=Sum("hearing_days__duration_minutes"))
        .select_related("court_room")
        .order_by("date", "start_time", "court_room__name")
    )
    for sitting in candidates:
        if (sitting.booked or 0) + minutes > sitting.capacity_minutes:
            continue
        if sitting.hearing_type_codes and hearing_type.code not in sitting.hearing_type_codes:
            continue
        if not is_working_day(sitting.date) or non_sitting_day_reason(court_centre.id, sitting.date):
            continue
        return sitting
    return None


def first_hearing_list_for_case(*, case: ProsecutionCase, defendants: list[Defendant], anticipated_plea: str,
                                actor: Actor) -> Hearing | None:
    """Apply the court centre's listing rules to a new case. Runs inside the intake transaction: the
    case is never created without its first hearing, listed or waiting on the worklist."""
    centre = case.requested_court_centre
    rules = listing_rules_for(centre)
    plan = first_hearing_plan(case=case, defendants=defendants, anticipated_plea=anticipated_plea, rules=rules,
                              today=court_today())
    if plan is None:
        return None
    hearing_type = (HearingType.objects.filter(code=rules.first_hearing_type_code).order_by("sequence").first()
                    or HearingType.objects.order_by("sequence").first())
    hearing = hearing_create(hearing_type=hearing_type, court_centre=centre, defendants=defendants, actor=actor,
                             week_commencing=plan.target_date, note=f"First hearing: {plan.reason}")
    exact = plan.reason.startswith("bailed to attend")
    sitting = _sitting_with_room(court_centre=centre, plan=plan, hearing_type=hearing_type,
                                 minutes=hearing.estimate_minutes, exact_date=exact)
    if sitting is None:
        return hearing  # stays on the worklist, with its week and reason
    try:
        with transaction.atomic():
            return hearing_list(hearing=hearing, sitting=sitting, actor=actor, expected_sitting_version=None)
    except ListingConflicts:
        # A conflict the search could not see (a defendant listed elsewhere): leave it for an officer.
        return hearing


@transaction.atomic
def next_hearing_list(*, defendants: list[Defendant], court_centre: CourtCentre, hearing_type: HearingType,
                      date: dt.date, actor: Actor, estimate_minutes: int | None = None, in_custody: bool = False,
                      note: str = "") -> Hearing:
    """The next hearing a court ordered in its results: listed on that date where a sitting has room,
    else waiting on the worklist for that week with the court's direction as its note."""
    hearing = hearing_create(hearing_type=hearing_type, court_centre=court_centre, defendants=defendants,
                             actor=actor, estimate_minutes=estimate_minutes, week_commencing=date, note=note)
    is_youth = any(is_youth_on(d, date) for d in defendants)
    kinds = (SittingKind.YOUTH,) if is_youth else (
        (SittingKind.CUSTODY, SittingKind.ADULT) if in_custody else (SittingKind.ADULT, SittingKind.CUSTODY))
    sitting = None
    for kind in kinds:  # in the order of preference: a bailed defendant goes to the adult court first
        plan = FirstHearingPlan(date, (kind,), "ordered by the court")
        sitting = _sitting_with_room(court_centre=court_centre, plan=plan, hearing_type=hearing_type,
                                     minutes=hearing.estimate_minutes, exact_date=True)
        if sitting is not None:
            break
    if sitting is None:
        return hearing
    try:
        with transaction.atomic():
            return hearing_list(hearing=hearing, sitting=sitting, actor=actor, expected_sitting_version=None)
    except ListingConflicts:
        return hearing


@transaction.atomic
def hearing_mark_heard(*, hearing: Hearing, actor: Actor) -> Hearing:
    """Results were shared: the hearing took place (it can no longer be moved or vacated)."""
    _require_court_staff(actor, hearing.court_centre_id)
    if hearing.status == HearingStatus.HEARD:
        return hearing
    Hearing.objects.filter(pk=hearing.pk).update(status=HearingStatus.HEARD, version=F("version") + 1)
    hearing.refresh_from_db(fields=["status", "version"])
    _record_for_cases(hearing, type=EventType.HEARING_HEARD, actor=actor,
                      summary=f"{hearing.hearing_type.description} heard", payload={})
    return hearing
