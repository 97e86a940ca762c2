"""A court day to list, made through the real intake and listing services.

The day is in the past (a Monday in March 2026), so that no first hearing that intake lists by itself
lands in its sittings, whatever today is."""

import datetime as dt
import itertools
from dataclasses import dataclass

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import organisation_get_or_create
from courts.cases.enums import DefendantKind, Gender, IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.models import Defendant, ProsecutionCase
from courts.cases.services import case_intake
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.enums import JudiciaryType, Session, SittingKind
from courts.listing.models import Hearing, Sitting
from courts.listing.services import hearing_create, hearing_list
from courts.listing.tests.factories import room, sitting
from courts.reference.models import CourtCentre, HearingType

ACTOR = Actor(label="Listing officer", is_court_staff=True, national=True)
HEARING_DAY = dt.date(2026, 3, 16)  # a Monday
CROWN_OU = "C01BL00"  # Blackfriars Crown Court
MAGISTRATES_OU = COURT_OU  # Lavender Hill Magistrates' Court

# Worked dates for 16 March 2026.
SEVENTEEN = dt.date(2008, 3, 17)  # 17 on the hearing day: 18 the day after
TURNED_18_YESTERDAY = dt.date(2008, 3, 15)  # 18 on 15 March 2026, the day before
ADULT = dt.date(1990, 5, 17)  # 35

VICTIM = "Mary Victim"
SEXUAL_OFFENCE_RESTRICTION = "Sexual Offences (Amendment) Act 1992 s.1: the complainant may not be identified"

_asns = itertools.count(610000)


def prosecutor(name: str = "Crown Prosecution Service"):
    return organisation_get_or_create(name=name, kind=OrganisationKind.PROSECUTOR, actor=ACTOR)[0]


def person(first_name: str, last_name: str, date_of_birth: dt.date | None = ADULT, *,
           wording: str = f"Assaulted {VICTIM} by beating her", code: str = COMMON_ASSAULT) -> DefendantIntake:
    today = court_today()
    return DefendantIntake(
        kind=DefendantKind.PERSON, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
        gender=Gender.FEMALE, address_lines=["1 High Street", "London"], postcode="SW11 1JU",
        asn=valid_asn(sequence=next(_asns)), pnc_id="2004/0046583U",
        offences=[OffenceIntake(cjs_code=code, wording=wording, start_date=today - dt.timedelta(days=30),
                                charge_date=today - dt.timedelta(days=29))],
    )


def organisation(name: str) -> DefendantIntake:
    today = court_today()
    return DefendantIntake(
        kind=DefendantKind.ORGANISATION, organisation_name=name, address_lines=["Unit 4", "Battersea"],
        postcode="SW11 4AA",
        offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording="Stole pallets belonging to Shop Ltd",
                                start_date=today - dt.timedelta(days=30))],
    )


def a_case(urn: str, *defendants: DefendantIntake, restrictions: tuple[str, ...] = (),
           by: str = "Crown Prosecution Service") -> ProsecutionCase:
    intake = CaseIntake(urn=urn, initiation_type="C", court_centre_ou_code=MAGISTRATES_OU,
                        hearing_date=court_today() + dt.timedelta(days=7), defendants=list(defendants),
                        reporting_restrictions=list(restrictions))
    return case_intake(intake=intake, prosecutor=prosecutor(by), actor=ACTOR, channel=IntakeChannel.API).case


def defendants_of(case: ProsecutionCase) -> list[Defendant]:
    return list(case.defendants.order_by("sequence"))


def list_hearing(in_sitting: Sitting, *defendants: Defendant, code: str = "PLE") -> Hearing:
    hearing = hearing_create(hearing_type=HearingType.objects.filter(code=code).order_by("sequence").first(),
                             court_centre=in_sitting.court_centre, defendants=list(defendants), actor=ACTOR)
    return hearing_list(hearing=hearing, sitting=in_sitting, actor=ACTOR, expected_sitting_version=None,
                        acknowledge_conflicts=True)


@dataclass
class CourtDay:
    adult: Sitting
    youth: Sitting
    empty: Sitting


def magistrates_day() -> CourtDay:
    """Lavender Hill on 16 March 2026. Cases first, then sittings, so intake lists nothing in them.

    Courtroom 1 (adult, morning): Jane Doe (35), Sam Seventeen (17 today), Ella Eighteen (18 yesterday),
    Rob Restricted (a case with a reporting restriction), Acme Haulage Ltd, and one case of Carl Cohen (35)
    with his co-defendant Tom Teen (17). Youth court (morning): Yasmin Youth (16). Courtroom 3: nothing."""
    doe = a_case("01AB1234525", person("Jane", "Doe"))
    seventeen = a_case("01AB1234526", person("Sam", "Seventeen", SEVENTEEN))
    eighteen = a_case("01AB1234527", person("Ella", "Eighteen", TURNED_18_YESTERDAY))
    restricted = a_case("01AB1234528", person("Rob", "Restricted", wording=f"Sexually assaulted {VICTIM}"),
                        restrictions=(SEXUAL_OFFENCE_RESTRICTION,))
    company = a_case("01AB1234529", organisation("Acme Haulage Ltd"), by="Transport for London")
    joint = a_case("01AB1234530", person("Carl", "Cohen"), person("Tom", "Teen", SEVENTEEN))
    youth = a_case("01AB1234531", person("Yasmin", "Youth", dt.date(2009, 6, 1)))

    adult_sitting = sitting(room("Courtroom 1"), HEARING_DAY, judiciary=["Ms A Patel", "Mr B Jones", "Mrs C Lee"],
                            capacity_minutes=360)
    youth_sitting = sitting(room("Youth court"), HEARING_DAY, kind=SittingKind.YOUTH, judiciary=["Ms D Wong"])
    empty_sitting = sitting(room("Courtroom 3"), HEARING_DAY, session=Session.AFTERNOON,
                            judiciary_type=JudiciaryType.DISTRICT_JUDGE, judiciary=["DJ Khan"])
    for case in (doe, seventeen, eighteen, restricted, company):
        list_hearing(adult_sitting, *defendants_of(case))
    list_hearing(adult_sitting, *defendants_of(joint), code="SEN")
    list_hearing(youth_sitting, *defendants_of(youth))
    return CourtDay(adult_sitting, youth_sitting, empty_sitting)


def crown_day() -> CourtDay:
    """Blackfriars Crown Court on 16 March 2026: a trial of Jane Doe before HHJ Smith in Court 2, a
    17-year-old's sentence and a restricted case; a youth sitting; an empty court."""
    doe = a_case("01AB1234540", person("Jane", "Doe", code=THEFT_FROM_SHOP, wording="Stole food from Shop Ltd"))
    seventeen = a_case("01AB1234541", person("Sam", "Seventeen", SEVENTEEN))
    restricted = a_case("01AB1234542", person("Rob", "Restricted", wording=f"Raped {VICTIM}"),
                        restrictions=(SEXUAL_OFFENCE_RESTRICTION,))
    youth = a_case("01AB1234543", person("Yasmin", "Youth", dt.date(2009, 6, 1)))
    court = sitting(room("Court 2", ou=CROWN_OU), HEARING_DAY, session=Session.ALL_DAY,
                    judiciary_type=JudiciaryType.JUDGE, judiciary=["HHJ Smith"], capacity_minutes=360)
    youth_court = sitting(room("Court 5", ou=CROWN_OU), HEARING_DAY, kind=SittingKind.YOUTH,
                          judiciary_type=JudiciaryType.JUDGE, judiciary=["HHJ Brown"])
    empty = sitting(room("Court 7", ou=CROWN_OU), HEARING_DAY, judiciary_type=JudiciaryType.RECORDER, judiciary=[])
    list_hearing(court, *defendants_of(doe), code="TRL")
    list_hearing(court, *defendants_of(seventeen), code="SEN")
    list_hearing(court, *defendants_of(restricted), code="PTR")
    list_hearing(youth_court, *defendants_of(youth), code="SEN")
    return CourtDay(court, youth_court, empty)


def warned_for_week(week_commencing: dt.date = HEARING_DAY) -> Hearing:
    """A Crown Court trial of Wendy Warned waiting for a day in the week."""
    case = a_case("01AB1234550", person("Wendy", "Warned"))
    return hearing_create(hearing_type=HearingType.objects.filter(code="TRL").first(),
                          court_centre=CourtCentre.objects.get(ou_code=CROWN_OU), defendants=defendants_of(case),
                          actor=ACTOR, week_commencing=week_commencing)
