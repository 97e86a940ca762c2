"""Cases listed in a sitting, ready to be resulted, made through the services as in real use."""

import datetime as dt

from courts.cases.enums import IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.services import case_intake
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.cases.tests.test_services import prosecutor
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.models import Hearing
from courts.listing.services import hearing_list
from courts.listing.tests.factories import room, sitting
from courts.reference.calendar import on_or_after_working_day

CLERK = Actor(label="Alex Adviser (legal adviser)", user_id=9001, is_court_staff=True, national=True)
SECOND_CLERK = Actor(label="Sam Senior (legal adviser)", user_id=9002, is_court_staff=True, national=True)
NAMES = ["Doe", "Roe", "Poe", "Moe", "Low", "Shaw"]


def court_day(days_ahead: int = 1) -> dt.date:
    return on_or_after_working_day(court_today() + dt.timedelta(days=days_ahead))


def listed_case(*, defendants: int = 1, codes: tuple[str, ...] = (THEFT_FROM_SHOP,), bail_status: str = "B",
                day: dt.date | None = None, urn: str = "01AB1234525", the_sitting=None, date_of_birth=None,
                offence_date: dt.date | None = None, asn_base: int = 500000):
    """A case whose defendants share one hearing listed in a sitting on `day` (a working day)."""
    day = day or court_day()
    the_sitting = the_sitting or sitting(room(), day, capacity_minutes=600)
    # An offence cannot be dated in the future, whatever day the hearing is.
    offence_date = offence_date or min(day, court_today()) - dt.timedelta(days=30)
    new = CaseIntake(
        urn=urn, initiation_type="C", court_centre_ou_code=COURT_OU, hearing_date=None,
        defendants=[
            DefendantIntake(
                kind="person", first_name="Jo", last_name=NAMES[d % len(NAMES)],
                date_of_birth=date_of_birth or dt.date(1985, 2, 3), asn=valid_asn(sequence=asn_base + d),
                bail_status=bail_status,
                offences=[OffenceIntake(cjs_code=code, wording=f"Offence {i + 1}", start_date=offence_date,
                                        charge_date=offence_date + dt.timedelta(days=1))
                          for i, code in enumerate(codes)],
            )
            for d in range(defendants)
        ],
    )
    case = case_intake(intake=new, prosecutor=prosecutor(), actor=CLERK, channel=IntakeChannel.API).case
    hearing = Hearing.objects.filter(hearing_defendants__case=case).distinct().get()
    hearing = hearing_list(hearing=hearing, sitting=the_sitting, actor=CLERK, expected_sitting_version=None,
                           acknowledge_conflicts=True)
    return case, hearing


__all__ = ["CLERK", "COMMON_ASSAULT", "SECOND_CLERK", "THEFT_FROM_SHOP", "court_day", "listed_case"]
