"""A court calendar for the demo: rooms and eight weeks of sittings at the demo court centres, so
that demo cases are listed as intake would list real ones."""

import datetime as dt

from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.enums import JudiciaryType, Session, SittingKind
from courts.listing.models import CourtRoom
from courts.listing.services import SittingSpec, court_room_create, sitting_pattern_create
from courts.reference.enums import Jurisdiction
from courts.reference.models import CourtCentre

WEEKS = 8


def _pattern(rooms: list[CourtRoom], start: dt.date, spec: SittingSpec, actor: Actor) -> int:
    return len(sitting_pattern_create(court_rooms=rooms, start_date=start, weeks=WEEKS, weekdays=range(5),
                                      spec=spec, actor=actor).created)


def demo_court_calendar(*, ou_codes: list[str], actor: Actor) -> int:
    """Rooms and sittings at each centre that has no rooms yet; returns the sittings created."""
    start = court_today() - dt.timedelta(days=court_today().weekday())
    created = 0
    for centre in CourtCentre.objects.filter(ou_code__in=ou_codes):
        if CourtRoom.objects.filter(court_centre=centre).exists():
            continue
        if centre.jurisdiction == Jurisdiction.CROWN:
            rooms = [court_room_create(court_centre=centre, name=f"Court {n}", actor=actor) for n in (1, 2)]
            created += _pattern(rooms, start, SittingSpec(
                session=Session.ALL_DAY, kind=SittingKind.ADULT, judiciary_type=JudiciaryType.JUDGE,
                capacity_minutes=300), actor)
            continue
        adult = [court_room_create(court_centre=centre, name=f"Courtroom {n}", actor=actor) for n in (1, 2, 3)]
        custody = court_room_create(court_centre=centre, name="Courtroom 4", actor=actor)
        youth = court_room_create(court_centre=centre, name="Youth court", actor=actor)
        for session in (Session.MORNING, Session.AFTERNOON):
            created += _pattern(adult, start, SittingSpec(
                session=session, kind=SittingKind.ADULT, judiciary_type=JudiciaryType.BENCH, capacity_minutes=180),
                actor)
        created += _pattern([custody], start, SittingSpec(
            session=Session.ALL_DAY, kind=SittingKind.CUSTODY, judiciary_type=JudiciaryType.DISTRICT_JUDGE,
            capacity_minutes=330), actor)
        created += _pattern([youth], start, SittingSpec(
            session=Session.MORNING, kind=SittingKind.YOUTH, judiciary_type=JudiciaryType.BENCH,
            capacity_minutes=150), actor)
    return created
