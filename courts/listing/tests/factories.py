import datetime as dt

from courts.common.actor import Actor
from courts.listing.enums import JudiciaryType, Session, SittingKind
from courts.listing.services import SittingSpec, court_room_create, sitting_create
from courts.reference.models import CourtCentre

ACTOR = Actor(label="Listing officer", is_court_staff=True, national=True)


def room(name="Courtroom 1", ou="B01LY00"):
    return court_room_create(court_centre=CourtCentre.objects.get(ou_code=ou), name=name, actor=ACTOR)


def spec(**overrides) -> SittingSpec:
    values = dict(session=Session.MORNING, kind=SittingKind.ADULT, judiciary_type=JudiciaryType.BENCH,
                  capacity_minutes=180, judiciary=[])
    values.update(overrides)
    return SittingSpec(**values)


def sitting(court_room, date: dt.date, **overrides):
    return sitting_create(court_room=court_room, date=date, spec=spec(**overrides), actor=ACTOR)
