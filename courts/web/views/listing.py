"""The listing officer's pages: court rooms, sittings and patterns, non-sitting days, the court diary,
the unallocated worklist, listing and moving hearings, reordering and vacating, and the rules that
list first hearings.

Court staff only. Every write posts the version of what it changes (the sitting's; the hearing's to
vacate; the rules'). A stale write is refused with the service's message in the error summary and
nothing changes; the page is rendered again from the current state. Conflicts (a defendant in two
places, a sitting over capacity, a youth in an adult court...) are shown before anything is saved:
warnings can be accepted with "List anyway", blocking ones cannot. Every action is a plain form, so
the pages work by keyboard and without JavaScript; outcomes are announced after a redirect."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import register_converter, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.common.clock import court_today
from courts.common.errors import Conflict, NotFound, ValidationFailed
from courts.listing import selectors, services
from courts.listing.conflicts import is_youth_on, non_sitting_day_reason
from courts.listing.enums import HearingStatus, JudiciaryType, Session, SittingKind
from courts.listing.models import CourtRoom, Hearing, HearingDay, Sitting
from courts.listing.selectors import DiarySitting
from courts.listing.services import ListingConflicts, SittingSpec
from courts.reference import selectors as reference
from courts.reference.calendar import next_working_day, previous_working_day
from courts.reference.models import CourtCentre, HearingType
from courts.web import forms
from courts.web.templatetags.govuk import govuk_date, govuk_time
from courts.web.views.common import actor_of, posted_version, staff_actor_of


class CourtDateConverter:
    """A court date in a URL: `2026-12-14`. Not a real date: no match, so 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


register_converter(CourtDateConverter, "court_date")

ACKNOWLEDGED = "yes"
WEEKDAYS = [(str(n), name) for n, name in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])]
MAX_JUDICIARY = 7
JUDICIARY_NAME_LENGTH = 100
ROOM_NAME_LENGTH = 60
PATTERN_OUTCOME = "listing_pattern_outcome"

# Why a hearing is vacated. Common Platform keeps these in a reference list ("cracked, ineffective and
# vacated trial types"), which we do not load yet: this short list follows its "vacated" reasons, and
# "Other" takes free text. The reason is stored as words on the hearing, not as a code.
OTHER_REASON = "Other"
VACATE_REASONS = [
    "Prosecution discontinued the case",
    "Prosecution not ready",
    "Prosecution witness not able to attend",
    "Defence not ready",
    "Defendant ill or unable to attend",
    "Lack of court time",
    "Defendant changed plea to guilty",
    "Accommodation or equipment failure, or adverse weather",
    "Listed in error",
    OTHER_REASON,
]
VACATE_DETAILS_LENGTH = 140

SPEC_FIELDS = ["session", "kind", "judiciary_type", "judiciary", "hearing_types", "capacity_minutes"]
# The services name fields as the API does.
SPEC_RENAMES = {"judiciaryType": "judiciary_type", "capacityMinutes": "capacity_minutes",
                "hearingTypes": "hearing_types", "courtRooms": "court_rooms"}
RULES_FIELDS = ["custody_next_sitting_day", "guilty_anticipated_days", "not_guilty_anticipated_days",
                "first_hearing_type"]
RULES_RENAMES = {"guiltyAnticipatedDays": "guilty_anticipated_days",
                 "notGuiltyAnticipatedDays": "not_guilty_anticipated_days",
                 "firstHearingType": "first_hearing_type"}


# --- Looking things up ---------------------------------------------------------------------------


def _centre(request: HttpRequest, ou_code: str) -> CourtCentre:
    """A court centre where the signed-in person works (any, for national staff), or 404."""
    try:
        centre = selectors.court_centre_get_or_404(ou_code=ou_code)
    except NotFound as error:
        raise Http404(error.detail) from error
    if not actor_of(request).works_at(centre.pk):
        raise Http404(f"You do not work at {centre.name}")
    return centre


def _sitting(centre: CourtCentre, sitting_id: object) -> Sitting:
    try:
        sitting = selectors.sitting_get(sitting_id=sitting_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    if sitting.court_centre_id != centre.id:
        raise Http404("No such sitting at this court centre")
    return sitting


def _hearing(centre: CourtCentre, hearing_id: object) -> Hearing:
    try:
        hearing = selectors.hearing_get(hearing_id=hearing_id)
    except NotFound as error:
        raise Http404(error.detail) from error
    if hearing.court_centre_id != centre.id:
        raise Http404("No such hearing at this court centre")
    return hearing


def _diary_url(centre: CourtCentre, day: dt.date, anchor: str = "") -> str:
    url = reverse("web:listing-diary", kwargs={"ou_code": centre.ou_code, "day": day})
    return f"{url}#{anchor}" if anchor else url


def _hearing_types() -> list[HearingType]:
    """One per code (Common Platform has two PTPs), in the reference list's order."""
    seen: dict[str, HearingType] = {}
    for hearing_type in HearingType.objects.order_by("sequence", "code"):
        seen.setdefault(hearing_type.code, hearing_type)
    return list(seen.values())


# --- What the pages show of a hearing and a sitting ----------------------------------------------


@dataclass
class CaseLine:
    case_id: object
    urn: str
    defendants: list[str] = field(default_factory=list)
    youths: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HearingView:
    hearing: Hearing
    cases: list[CaseLine]

    @property
    def label(self) -> str:
        """"01AB1234525 Jane Doe": for messages and for what a button acts on."""
        return "; ".join(f"{line.urn} {', '.join(line.defendants)}" for line in self.cases)


def hearing_view(hearing: Hearing, *, on: dt.date | None = None) -> HearingView:
    cases: dict[object, CaseLine] = {}
    links = sorted(hearing.hearing_defendants.all(), key=lambda hd: (hd.case.urn, hd.defendant.sequence))
    for link in links:
        line = cases.setdefault(link.case_id, CaseLine(link.case_id, link.case.urn))
        line.defendants.append(link.defendant.name)
        if on and is_youth_on(link.defendant, on):
            line.youths.append(link.defendant.name)
    return HearingView(hearing, list(cases.values()))


def judiciary_text(sitting: Sitting) -> str:
    names = list(sitting.judiciary)
    if sitting.judiciary_type == JudiciaryType.BENCH and names:
        names[0] = f"{names[0]} (chair)"
    return ", ".join(names) or "Names to be confirmed"


@dataclass(frozen=True)
class DiaryRow:
    day: HearingDay
    hearing: HearingView
    position: int
    can_move_up: bool
    can_move_down: bool


@dataclass(frozen=True)
class DiaryEntry:
    sitting: Sitting
    rows: list[DiaryRow]
    booked_minutes: int
    remaining_minutes: int
    judiciary: str

    @property
    def over_capacity_by(self) -> int:
        return max(-self.remaining_minutes, 0)


def _order_after_move(sitting: Sitting, moved: str, direction: str) -> list[str]:
    """The sitting's order with `moved` swapped with its neighbour. Worked out on the server from the
    list as it is now: the posted sitting version says whether that is the list the officer saw."""
    ids = [str(h) for h in selectors.sitting_hearing_order(sitting=sitting)]
    if moved in ids:
        i = ids.index(moved)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    return ids


def diary_entry(entry: DiarySitting) -> DiaryEntry:
    last = len(entry.days) - 1
    rows = [
        DiaryRow(
            day=day,
            hearing=hearing_view(day.hearing, on=entry.sitting.date),
            position=i + 1,
            can_move_up=i > 0,
            can_move_down=i < last,
        )
        for i, day in enumerate(entry.days)
    ]
    return DiaryEntry(entry.sitting, rows, entry.booked_minutes, entry.remaining_minutes,
                      judiciary_text(entry.sitting))


def sitting_label(sitting: Sitting) -> str:
    return f"{sitting.court_room.name}, {govuk_date(sitting.date)}, {sitting.get_session_display().lower()}"


def _room_grid(rooms: list[CourtRoom], entries: list[DiaryEntry]) -> list[dict]:
    """Rooms × sessions: each room's sittings of the day, by session, for the overview table."""
    by_room: dict[object, dict] = {}
    for room in rooms:
        by_room[room.id] = {"room": room, "sessions": {}}
    for entry in entries:
        row = by_room.setdefault(entry.sitting.court_room_id, {"room": entry.sitting.court_room, "sessions": {}})
        row["sessions"][entry.sitting.session] = entry
    return [
        {"room": row["room"], "cells": [row["sessions"].get(session) for session in Session.values],
         "is_sitting": bool(row["sessions"])}
        for row in sorted(by_room.values(), key=lambda r: r["room"].name)
    ]


# --- Choosing a court centre and a day -----------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def listing_home(request: HttpRequest) -> HttpResponse:
    """Choose a court centre: its diary for today."""
    actor = staff_actor_of(request)
    form = forms.FormState(request.GET.dict(), order=["court_centre"])
    mine = [c for c in reference.court_centre_list() if actor.works_at(c.pk)]
    if "court_centre" in request.GET:
        centre = reference.court_centre_get(ou_code=form.text("court_centre"))
        if centre is not None and actor.works_at(centre.pk):
            return redirect(_diary_url(centre, court_today()))
        form.add("court_centre", "Select the court centre")
    return render(request, "web/listing/home.html", {
        "form": form,
        "court_centres": [(c.ou_code, f"{c.name} ({c.ou_code})") for c in mine],
    }, status=422 if form.has_errors else 200)


@never_cache
@login_required
@require_http_methods(["GET"])
def listing_centre(request: HttpRequest, ou_code: str) -> HttpResponse:
    """The diary for a chosen date (today when none is given)."""
    staff_actor_of(request)
    centre = _centre(request, ou_code)
    form = forms.FormState(request.GET.dict(), order=["diary_date"])
    day = form.date("diary_date", label="The date")
    if not form.has_errors:
        return redirect(_diary_url(centre, day or court_today()))
    return render(request, "web/listing/choose_date.html", {"form": form, "centre": centre}, status=422)


# --- The court diary -----------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def diary(request: HttpRequest, ou_code: str, day: dt.date) -> HttpResponse:
    staff_actor_of(request)
    return _diary_page(request, _centre(request, ou_code), day)


def _diary_page(request: HttpRequest, centre: CourtCentre, day: dt.date, *,
                form: forms.FormState | None = None, status: int = 200) -> HttpResponse:
    entries = [diary_entry(entry) for entry in selectors.court_diary(court_centre=centre, date=day)]
    rooms = list(selectors.court_room_list(court_centre=centre))
    return render(request, "web/listing/diary.html", {
        "form": form or forms.FormState(order=["diary_date"]),
        "centre": centre,
        "day": day,
        "entries": entries,
        "grid": _room_grid(rooms, entries),
        "sessions": Session.choices,
        "non_sitting": non_sitting_day_reason(centre.id, day),
        "previous_day": previous_working_day(day),
        "next_day": next_working_day(day),
        "hearing_count": sum(len(entry.rows) for entry in entries),
    }, status=status)


@never_cache
@login_required
@require_http_methods(["POST"])
def sitting_reorder(request: HttpRequest, ou_code: str, sitting_id) -> HttpResponse:
    """One "Move up" or "Move down" button: the hearing, the direction and the sitting's version."""
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    sitting = _sitting(centre, sitting_id)
    moved = request.POST.get("moved", "")
    direction = "down" if request.POST.get("direction") == "down" else "up"
    form = forms.FormState(order=[])
    try:
        services.sitting_reorder(sitting=sitting, hearing_ids=_order_after_move(sitting, moved, direction),
                                 actor=actor, expected_version=posted_version(request))
    except ValidationFailed as error:
        form.add_general(error.detail)
        return _diary_page(request, centre, sitting.date, form=form, status=422)
    except Conflict as error:
        form.add_general(error.detail)
        return _diary_page(request, centre, sitting.date, form=form, status=409)
    day = None
    try:
        hearing = selectors.hearing_get(hearing_id=moved)
        day = next((d for d in hearing.hearing_days.all() if d.sitting_id == sitting.id), None)
    except NotFound:
        hearing = None
    if hearing is not None and day is not None:
        messages.success(request, f"{hearing_view(hearing).label} moved {direction}: now at "
                                  f"{govuk_time(day.start_time)} in {sitting.court_room.name}")
        return redirect(_diary_url(centre, sitting.date, f"hearing-{hearing.id}"))
    messages.success(request, f"List reordered: {sitting_label(sitting)}")
    return redirect(_diary_url(centre, sitting.date, f"sitting-{sitting.id}"))


# --- The worklist, listing and moving, vacating ---------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def worklist(request: HttpRequest, ou_code: str) -> HttpResponse:
    staff_actor_of(request)
    centre = _centre(request, ou_code)
    hearings = [hearing_view(h) for h in selectors.unallocated_worklist(court_centre=centre)]
    return render(request, "web/listing/worklist.html", {"centre": centre, "hearings": hearings,
                                                          "today": court_today()})


def _default_list_date(hearing: Hearing) -> dt.date:
    days = list(hearing.hearing_days.all())
    if days:
        return days[0].date
    today = court_today()
    if hearing.week_commencing and hearing.week_commencing > today:
        return hearing.week_commencing
    return today


def _list_date_query(day: dt.date) -> str:
    return urlencode({"list_date-day": day.day, "list_date-month": day.month, "list_date-year": day.year})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def hearing_list_page(request: HttpRequest, ou_code: str, hearing_id) -> HttpResponse:
    """List a hearing from the worklist, or move a listed one: choose a date, then a sitting."""
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    hearing = _hearing(centre, hearing_id)
    data = request.POST.dict() if request.method == "POST" else request.GET.dict()
    form = forms.FormState(data, order=["list_date"])
    day = form.date("list_date", label="The date") or _default_list_date(hearing)
    status = 422 if form.has_errors else 200
    chosen, conflicts, can_acknowledge = None, [], False
    if request.method == "POST" and not form.has_errors:
        chosen = _sitting(centre, request.POST.get("sitting"))
        day = chosen.date
        was_listed = hearing.status == HearingStatus.LISTED
        try:
            services.hearing_list(hearing=hearing, sitting=chosen, actor=actor,
                                  expected_sitting_version=posted_version(request),
                                  acknowledge_conflicts=request.POST.get("acknowledge_conflicts") == ACKNOWLEDGED)
        except ListingConflicts as error:
            conflicts = error.conflicts
            can_acknowledge = not any(c.is_blocking for c in conflicts)
            for conflict in conflicts:
                form.add_general(conflict.message)
            status = 409
        except Conflict as error:
            form.add_general(error.detail)
            chosen, status = None, 409
        else:
            listed = selectors.hearing_get(hearing_id=hearing.id)
            start = next((d.start_time for d in listed.hearing_days.all() if d.sitting_id == chosen.id), None)
            verb = "moved to" if was_listed else "listed in"
            messages.success(request, f"{hearing_view(listed).label} {verb} {sitting_label(chosen)}, "
                                      f"at {govuk_time(start)}")
            return redirect(_diary_url(centre, chosen.date, f"hearing-{hearing.id}"))
    hearing = _hearing(centre, hearing.id)  # as it is now
    current = {d.sitting_id for d in hearing.hearing_days.all()}
    entries = [diary_entry(e) for e in selectors.court_diary(court_centre=centre, date=day)]
    return render(request, "web/listing/hearing_list.html", {
        "form": form,
        "centre": centre,
        "hearing": hearing_view(hearing, on=day),
        "is_listed": hearing.status == HearingStatus.LISTED,
        "listed_days": list(hearing.hearing_days.all()),
        "day": day,
        "entries": [(entry, entry.sitting.id in current) for entry in entries],
        "non_sitting": non_sitting_day_reason(centre.id, day),
        "previous_day": previous_working_day(day),
        "next_day": next_working_day(day),
        "previous_query": _list_date_query(previous_working_day(day)),
        "next_query": _list_date_query(next_working_day(day)),
        "chosen": chosen,
        "chosen_version": request.POST.get("expected_version", ""),
        "conflicts": conflicts,
        "can_acknowledge": can_acknowledge,
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def hearing_vacate_page(request: HttpRequest, ou_code: str, hearing_id) -> HttpResponse:
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    hearing = _hearing(centre, hearing_id)
    days = list(hearing.hearing_days.all())
    order = ["reason", "reason_details"]
    status = 200
    if request.method == "GET":
        form = forms.FormState({"expected_version": str(hearing.version)}, order=order)
    else:
        form = forms.FormState(request.POST.dict(), order=order)
        reason = form.text("reason")
        details = form.bounded_text("reason_details", label="The details", max_length=VACATE_DETAILS_LENGTH)
        if reason not in VACATE_REASONS:
            form.add("reason", "Choose why the hearing is vacated")
        elif reason == OTHER_REASON and not details:
            form.add("reason_details", "Give the reason the hearing is vacated")
        status = 422 if form.has_errors else status
        if not form.has_errors:
            text = details if reason == OTHER_REASON else (f"{reason}: {details}" if details else reason)
            try:
                services.hearing_vacate(hearing=hearing, reason=text, actor=actor,
                                        expected_version=posted_version(request))
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="reason")
                status = 422
            except Conflict as error:
                form.add_general(error.detail)
                hearing = _hearing(centre, hearing.id)
                days = list(hearing.hearing_days.all())
                form.data["expected_version"] = str(hearing.version)
                status = 409
            else:
                label = hearing_view(hearing).label
                messages.success(request, f"{label} vacated ({text}). The hearing is on the worklist to relist.")
                if days:
                    return redirect(_diary_url(centre, days[0].date, f"sitting-{days[0].sitting_id}"))
                return redirect("web:listing-worklist", ou_code=centre.ou_code)
    return render(request, "web/listing/hearing_vacate.html", {
        "form": form,
        "centre": centre,
        "hearing": hearing_view(hearing),
        "days": days,
        "is_listed": hearing.status == HearingStatus.LISTED,
        "reasons": [(r, r) for r in VACATE_REASONS],
        "back_url": _diary_url(centre, days[0].date, f"hearing-{hearing.id}") if days
        else reverse("web:listing-worklist", kwargs={"ou_code": centre.ou_code}),
    }, status=status)


# --- Court rooms, sittings, patterns, non-sitting days -------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def court_rooms(request: HttpRequest, ou_code: str) -> HttpResponse:
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    order = ["name", "welsh_name"]
    form = forms.FormState(request.POST.dict() if request.method == "POST" else {}, order=order)
    if request.method == "POST":
        name = form.bounded_text("name", label="The name", max_length=ROOM_NAME_LENGTH)
        welsh_name = form.bounded_text("welsh_name", label="The Welsh name", max_length=ROOM_NAME_LENGTH)
        if not name:
            form.add("name", "Enter the court room's name")
        if not form.has_errors:
            try:
                room = services.court_room_create(court_centre=centre, name=name, welsh_name=welsh_name, actor=actor)
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="name")
            except Conflict as error:
                form.add("name", error.detail)
            else:
                messages.success(request, f"{room.name} added to {centre.name}")
                return redirect("web:listing-rooms", ou_code=centre.ou_code)
    return render(request, "web/listing/rooms.html", {
        "form": form,
        "centre": centre,
        "rooms": list(selectors.court_room_list(court_centre=centre)),
    }, status=422 if form.has_errors else 200)


def _checked(request: HttpRequest, name: str) -> list[str]:
    return [value for value in request.POST.getlist(name) if value]


def sitting_spec(form: forms.FormState, hearing_types: list[str]) -> SittingSpec | None:
    """The sitting's fields from the form; None when the form itself found a problem."""
    if form.text("session") not in Session.values:
        form.add("session", "Choose morning, afternoon or all day")
    if form.text("kind") not in SittingKind.values:
        form.add("kind", "Choose an adult court, a custody court or a youth court")
    if form.text("judiciary_type") not in JudiciaryType.values:
        form.add("judiciary_type", "Choose who sits: a bench, a district judge, a judge or a recorder")
    names = [line.strip() for line in form.value("judiciary").splitlines() if line.strip()]
    if len(names) > MAX_JUDICIARY:
        form.add("judiciary", f"Enter at most {MAX_JUDICIARY} names, one on each line")
    elif any(len(name) > JUDICIARY_NAME_LENGTH for name in names):
        form.add("judiciary", f"Each name must be {JUDICIARY_NAME_LENGTH} characters or fewer")
    capacity = form.text("capacity_minutes")
    if not capacity:
        form.add("capacity_minutes", "Enter the capacity in minutes")
    elif not capacity.isdigit():
        form.add("capacity_minutes", "Capacity must be a whole number of minutes, like 180")
    if form.has_errors:
        return None
    return SittingSpec(session=Session(form.text("session")), kind=SittingKind(form.text("kind")),
                       judiciary_type=JudiciaryType(form.text("judiciary_type")), capacity_minutes=int(capacity),
                       judiciary=names, hearing_type_codes=hearing_types)


def _sitting_form_context(form: forms.FormState, hearing_types: list[str]) -> dict:
    return {
        "form": form,
        "sessions": Session.choices,
        "kinds": SittingKind.choices,
        "judiciary_types": JudiciaryType.choices,
        "hearing_types": [(t.code, f"{t.description} ({t.code})") for t in _hearing_types()],
        "hearing_types_checked": hearing_types,
    }


def _conflict_status(form: forms.FormState, conflicts: list, stale: bool) -> int:
    if conflicts or stale:
        return 409
    return 422 if form.has_errors else 200


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sitting_create_page(request: HttpRequest, ou_code: str) -> HttpResponse:
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    rooms = list(selectors.court_room_list(court_centre=centre))
    order = ["court_room", "sitting_date", *SPEC_FIELDS]
    conflicts, can_acknowledge, clash = [], False, False
    if request.method == "GET":
        values = {"kind": SittingKind.ADULT, "session": Session.MORNING, "capacity_minutes": "180"}
        if (room := request.GET.get("court_room")) and any(str(r.id) == room for r in rooms):
            values["court_room"] = room
        try:
            values.update(forms.date_values("sitting_date", dt.date.fromisoformat(request.GET.get("date", ""))))
        except ValueError:
            pass
        form, hearing_types = forms.FormState(values, order=order), []
    else:
        form, hearing_types = forms.FormState(request.POST.dict(), order=order), _checked(request, "hearing_types")
        room = next((r for r in rooms if str(r.id) == form.text("court_room")), None)
        if room is None:
            form.add("court_room", "Choose the court room")
        day = form.date("sitting_date", label="The date of the sitting")
        if day is None:
            form.add("sitting_date", "Enter the date of the sitting")
        spec = sitting_spec(form, hearing_types)
        if not form.has_errors:
            try:
                sitting = services.sitting_create(
                    court_room=room, date=day, spec=spec, actor=actor,
                    acknowledge_conflicts=request.POST.get("acknowledge_conflicts") == ACKNOWLEDGED)
            except ListingConflicts as error:
                conflicts = error.conflicts
                can_acknowledge = not any(c.is_blocking for c in conflicts)
                for conflict in conflicts:
                    form.add_general(conflict.message)
            except ValidationFailed as error:
                form.add_service_errors(error, renames=SPEC_RENAMES)
            except Conflict as error:
                form.add_general(error.detail)
                clash = True
            else:
                messages.success(request, f"Sitting created: {sitting_label(sitting)}")
                return redirect(_diary_url(centre, sitting.date, f"sitting-{sitting.id}"))
    return render(request, "web/listing/sitting_create.html", {
        **_sitting_form_context(form, hearing_types),
        "centre": centre,
        "rooms": [(str(r.id), r.name) for r in rooms],
        "conflicts": conflicts,
        "can_acknowledge": can_acknowledge,
    }, status=_conflict_status(form, conflicts, clash))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sitting_pattern_page(request: HttpRequest, ou_code: str) -> HttpResponse:
    """Sittings in bulk: rooms × weekdays × weeks, skipping the days the court does not sit."""
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    rooms = list(selectors.court_room_list(court_centre=centre))
    order = ["court_rooms", "start_date", "weeks", "weekdays", *SPEC_FIELDS]
    if request.method == "GET":
        form = forms.FormState({"kind": SittingKind.ADULT, "session": Session.MORNING, "capacity_minutes": "180",
                                "weeks": "8"}, order=order)
        checked = {"court_rooms": [], "weekdays": ["0", "1", "2", "3", "4"], "hearing_types": []}
        outcome = request.session.pop(PATTERN_OUTCOME, None)
    else:
        outcome = None
        form = forms.FormState(request.POST.dict(), order=order)
        checked = {name: _checked(request, name) for name in ("court_rooms", "weekdays", "hearing_types")}
        chosen = [r for r in rooms if str(r.id) in checked["court_rooms"]]
        if not chosen or len(chosen) != len(set(checked["court_rooms"])):
            form.add("court_rooms", "Choose at least one court room")
        start = form.date("start_date", label="The start date")
        if start is None:
            form.add("start_date", "Enter the date the pattern starts")
        weeks = form.text("weeks")
        if not weeks.isdigit():
            form.add("weeks", "Enter the number of weeks, from 1 to 52")
        weekdays = [int(d) for d in checked["weekdays"] if d.isdigit()]
        if not weekdays or len(weekdays) != len(checked["weekdays"]):
            form.add("weekdays", "Choose the days of the week the rooms sit")
        spec = sitting_spec(form, checked["hearing_types"])
        if not form.has_errors:
            try:
                result = services.sitting_pattern_create(court_rooms=chosen, start_date=start, weeks=int(weeks),
                                                         weekdays=weekdays, spec=spec, actor=actor)
            except ValidationFailed as error:
                form.add_service_errors(error, renames=SPEC_RENAMES)
            else:
                request.session[PATTERN_OUTCOME] = _pattern_outcome(result, start, int(weeks))
                messages.success(request, f"{len(result.created)} sittings created, {len(result.skipped)} skipped")
                return redirect("web:listing-sitting-pattern", ou_code=centre.ou_code)
    return render(request, "web/listing/sitting_pattern.html", {
        **_sitting_form_context(form, checked["hearing_types"]),
        "centre": centre,
        "rooms": [(str(r.id), r.name) for r in rooms],
        "rooms_checked": checked["court_rooms"],
        "weekdays": WEEKDAYS,
        "weekdays_checked": checked["weekdays"],
        "outcome": outcome,
    }, status=422 if form.has_errors else 200)


def _pattern_outcome(result: services.PatternOutcome, start: dt.date, weeks: int) -> dict:
    """What the pattern did, kept in the session for the page after the redirect (plain JSON)."""
    rooms: dict[str, dict] = {}
    for sitting in result.created:
        room = rooms.setdefault(sitting.court_room.name, {"room": sitting.court_room.name, "count": 0,
                                                          "first": sitting.date, "last": sitting.date})
        room["count"] += 1
        room["first"], room["last"] = min(room["first"], sitting.date), max(room["last"], sitting.date)
    return {
        "start": govuk_date(start),
        "start_iso": start.isoformat(),
        "weeks": weeks,
        "created": len(result.created),
        "rooms": [{**r, "first": govuk_date(r["first"]), "last": govuk_date(r["last"])}
                  for r in sorted(rooms.values(), key=lambda r: r["room"])],
        "skipped": [{"date": f"{day:%A} {govuk_date(day)}", "room": room, "reason": why}
                    for day, room, why in result.skipped],
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def non_sitting_day_page(request: HttpRequest, ou_code: str) -> HttpResponse:
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    order = ["non_sitting_date", "reason"]
    form = forms.FormState(request.POST.dict() if request.method == "POST" else {}, order=order)
    if request.method == "POST":
        day = form.date("non_sitting_date", label="The date")
        if day is None:
            form.add("non_sitting_date", "Enter the date the court does not sit")
        reason = form.bounded_text("reason", label="The reason", max_length=200)
        if not reason:
            form.add("reason", "Give the reason the court does not sit")
        if not form.has_errors:
            try:
                services.non_sitting_day_declare(court_centre=centre, date=day, reason=reason, actor=actor)
            except ValidationFailed as error:
                form.add_service_errors(error, fallback="reason")
            except Conflict as error:
                form.add("non_sitting_date", error.detail)
            else:
                messages.success(request, f"{centre.name} does not sit on {day:%A} {govuk_date(day)}: {reason}")
                return redirect(_diary_url(centre, day))
    return render(request, "web/listing/non_sitting_day.html", {"form": form, "centre": centre},
                  status=422 if form.has_errors else 200)


# --- The rules that list first hearings ----------------------------------------------------------


def _rules_values(rules) -> dict[str, str]:
    return {
        "custody_next_sitting_day": "yes" if rules.custody_next_sitting_day else "no",
        "guilty_anticipated_days": str(rules.guilty_anticipated_days),
        "not_guilty_anticipated_days": str(rules.not_guilty_anticipated_days),
        "first_hearing_type": rules.first_hearing_type_code,
        "expected_version": str(rules.version),
    }


def _days(form: forms.FormState, name: str, label: str) -> int | None:
    value = form.text(name)
    if not value.isdigit():
        form.add(name, f"Enter the number of days {label}, from 1 to 90")
        return None
    return int(value)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def listing_rules_page(request: HttpRequest, ou_code: str) -> HttpResponse:
    actor = staff_actor_of(request)
    centre = _centre(request, ou_code)
    rules = selectors.listing_rules_get(court_centre=centre)
    stale = False
    if request.method == "GET":
        form = forms.FormState(_rules_values(rules), order=RULES_FIELDS)
    else:
        form = forms.FormState(request.POST.dict(), order=RULES_FIELDS)
        custody = form.text("custody_next_sitting_day")
        if custody not in ("yes", "no"):
            form.add("custody_next_sitting_day", "Choose whether custody cases go to the next sitting day")
        guilty = _days(form, "guilty_anticipated_days", "after charge for a guilty plea")
        not_guilty = _days(form, "not_guilty_anticipated_days", "after charge for a not guilty plea")
        if not form.text("first_hearing_type"):
            form.add("first_hearing_type", "Choose the hearing type of first hearings")
        if not form.has_errors:
            try:
                rules = services.listing_rules_update(
                    court_centre=centre, actor=actor, expected_version=posted_version(request),
                    guilty_anticipated_days=guilty, not_guilty_anticipated_days=not_guilty,
                    custody_next_sitting_day=custody == "yes", first_hearing_type_code=form.text("first_hearing_type"))
            except ValidationFailed as error:
                form.add_service_errors(error, renames=RULES_RENAMES)
            except Conflict as error:
                form.add_general(error.detail)
                rules = selectors.listing_rules_get(court_centre=centre)
                form.data["expected_version"] = str(rules.version)
                stale = True
            else:
                messages.success(request, f"Listing rules changed for {centre.name}")
                return redirect("web:listing-rules", ou_code=centre.ou_code)
    types = _hearing_types()
    by_code = {t.code: t for t in types}
    return render(request, "web/listing/rules.html", {
        "form": form,
        "centre": centre,
        "rules": rules,
        "first_hearing_type": by_code.get(rules.first_hearing_type_code),
        # What intake uses when the rules name a code the reference data does not have.
        "fallback_hearing_type": types[0] if types else None,
        "hearing_types": [(t.code, f"{t.description} ({t.code})") for t in types],
        "search_days": services.SEARCH_DAYS,
        "yes_no": [("yes", "Yes"), ("no", "No")],
    }, status=_conflict_status(form, [], stale))
