"""A realistic working set for trying the system: court staff, prosecutors and a few hundred cases.

Everything is created through the real services (`organisation_get_or_create`, `user_create`,
`api_token_create`, `case_intake`), so every row has its event, exactly as if people had done it.

The case generator (`DemoCases`) needs no database: it turns a seed into plausible `CaseIntake`s
(British names and addresses, valid ASNs and PNC IDs, real CJS offence codes with proper wordings,
custody and bail, hearing dates on working days in the coming weeks). The same seed gives the same
cases; the benchmark in `bench/intake.py` uses it too.
"""

import dataclasses
import datetime as dt
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from faker import Faker

from courts.accounts.enums import OrganisationKind, StaffRoleKind
from courts.accounts.models import Organisation, User
from courts.accounts.services import (
    api_token_create,
    organisation_get_or_create,
    staff_role_grant,
    user_create,
)
from courts.cases.enums import DefendantKind, Gender, InitiationType, IntakeChannel
from courts.cases.identifiers import asn_check_character, pnc_check_character
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.models import ProsecutionCase
from courts.cases.services import case_intake
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.reference import selectors as reference

DEMO_SEED = 20250101

# Court centres from the reference data (organisation_unit.csv), with the areas and postcode districts
# their defendants live in.
@dataclass(frozen=True)
class DemoCourt:
    ou_code: str
    areas: tuple[str, ...]
    postcode_districts: tuple[str, ...]


MAGISTRATES_COURTS = (
    DemoCourt("B01LY00", ("Battersea", "Clapham", "Wandsworth", "Balham", "Tooting"),
              ("SW11", "SW4", "SW18", "SW12", "SW17")),
    DemoCourt("B01IX00", ("Westminster", "Pimlico", "Marylebone", "Paddington", "Soho"),
              ("SW1V", "SW1P", "NW1", "W2", "W1D")),
    DemoCourt("B01GU00", ("Islington", "Holloway", "Finsbury Park", "Highbury", "Archway"),
              ("N1", "N7", "N4", "N5", "N19")),
    DemoCourt("B01EF00", ("Croydon", "Thornton Heath", "Norbury", "Purley", "South Norwood"),
              ("CR0", "CR7", "SW16", "CR8", "SE25")),
)
CROWN_COURT = DemoCourt("C01SW00", ("Southwark", "Bermondsey", "Peckham", "Camberwell", "Walworth"),
                        ("SE1", "SE16", "SE15", "SE5", "SE17"))
DEMO_COURTS = (*MAGISTRATES_COURTS, CROWN_COURT)


# CJS offence codes (checked against the CJS Offence Index by `demo_check_reference`), each with a
# wording in the form prosecutors write it. `{...}` fields are filled by `DemoCases._fill`.
OFFENCE_WORDINGS: dict[str, str] = {
    "TH68010": "On {date} at {area} stole {goods} to the value of £{value}, belonging to {shop}. "
               "Contrary to sections 1(1) and 7 of the Theft Act 1968.",
    "CJ88116": "On {date} at {area} assaulted {victim} by beating {them}. "
               "Contrary to section 39 of the Criminal Justice Act 1988.",
    "OF61102": "On {date} at {area} assaulted {victim}, thereby occasioning {them} actual bodily harm. "
               "Contrary to section 47 of the Offences Against the Person Act 1861.",
    "CJ88160": "On {date} at {area} assaulted {officer}, an emergency worker acting in the exercise of functions "
               "as such a worker, by beating them. Contrary to section 39 of the Criminal Justice Act 1988 and "
               "section 1 of the Assaults on Emergency Workers (Offences) Act 2018.",
    "RT88007": "On {date} at {road}, {area} drove a motor vehicle, namely a {vehicle}, registration {reg}, on a "
               "road after consuming so much alcohol that the proportion of it in your breath, namely {breath} "
               "microgrammes of alcohol in 100 millilitres of breath, exceeded the prescribed limit. Contrary to "
               "section 5(1)(a) of the Road Traffic Act 1988 and Schedule 2 to the Road Traffic Offenders Act 1988.",
    "MD71530": "On {date} at {area} had in your possession a quantity of cannabis, a controlled drug of Class B. "
               "Contrary to section 5(2) of and Schedule 4 to the Misuse of Drugs Act 1971.",
    "MD71210": "On {date} at {area} had in your possession a quantity of cocaine, a controlled drug of Class A. "
               "Contrary to section 5(2) of and Schedule 4 to the Misuse of Drugs Act 1971.",
    "TH68036": "On {date} at {area}, having entered as a trespasser a building, namely {address}, being a "
               "dwelling, stole therein {goods} to the value of £{value}. "
               "Contrary to section 9(1)(b) of the Theft Act 1968.",
    "CD71037": "On {date} at {area} without lawful excuse damaged {property} to the value of £{value}, belonging "
               "to {owner}, intending to damage such property or being reckless as to whether such property would "
               "be damaged. Contrary to sections 1(1) and 4 of the Criminal Damage Act 1971.",
    "PU86149": "On {date} at {area} used threatening or abusive words or behaviour within the hearing or sight of "
               "a person likely to be caused harassment, alarm or distress thereby. "
               "Contrary to section 5(1) and (6) of the Public Order Act 1986.",
    "CJ67002": "On {date} at {road}, {area} was guilty, while drunk, of disorderly behaviour in a public place. "
               "Contrary to section 91(1) of the Criminal Justice Act 1967.",
    "CJ88144": "On {date} at {road}, {area} without good reason or lawful authority had with you in a public place "
               "an article which had a blade or was sharply pointed, namely a {blade}. "
               "Contrary to section 139(1) and (6) of the Criminal Justice Act 1988.",
    "RT88333": "On {date} at {road}, {area} drove a motor vehicle, namely a {vehicle}, registration {reg}, on a "
               "road while disqualified from holding or obtaining a driving licence. "
               "Contrary to section 103(1)(b) of the Road Traffic Act 1988.",
    "RT88191": "On {date} at {road}, {area} used a motor vehicle, namely a {vehicle}, registration {reg}, on a "
               "road when there was not in force in relation to that use such a policy of insurance or such a "
               "security in respect of third party risks as complied with the requirements of Part VI of the "
               "Road Traffic Act 1988. Contrary to section 143(2) of the Road Traffic Act 1988 and Schedule 2 "
               "to the Road Traffic Offenders Act 1988.",
    "RT88575": "On {date} at {road}, {area} drove a motor vehicle, namely a {vehicle}, registration {reg}, on a "
               "road without due care and attention. Contrary to section 3 of the Road Traffic Act 1988 and "
               "Schedule 2 to the Road Traffic Offenders Act 1988.",
    "RR84707": "On {date} at {road}, {area} drove a motor vehicle, namely a {vehicle}, registration {reg}, on a "
               "restricted road at a speed exceeding 30 miles per hour, namely {speed} miles per hour. Contrary "
               "to sections 81(1) and 89(1) of the Road Traffic Regulation Act 1984 and Schedule 2 to the Road "
               "Traffic Offenders Act 1988.",
    "RT88567": "On {date}, being the keeper of a {vehicle}, registration {reg}, failed to give information as to "
               "the identity of the driver when required by or on behalf of the Commissioner of Police of the "
               "Metropolis. Contrary to section 172(3) of the Road Traffic Act 1988 and Schedule 2 to the Road "
               "Traffic Offenders Act 1988.",
    "TH68023": "On {date} at {area} robbed {victim} of {goods} to the value of £{value}. "
               "Contrary to section 8(1) of the Theft Act 1968.",
    "OF61016": "On {date} at {area} unlawfully and maliciously wounded {victim} with intent to do {them} grievous "
               "bodily harm. Contrary to section 18 of the Offences Against the Person Act 1861.",
    "RW89004": "On {date} travelled on a railway, namely the London Underground between {station} and "
               "{station2}, without having previously paid your fare and with intent to avoid payment thereof. "
               "Contrary to section 5(3)(a) of the Regulation of Railways Act 1889.",
    "VE94015": "On {date} at {road}, {area} kept a mechanically propelled vehicle, namely a {vehicle}, "
               "registration {reg}, on a public road when a vehicle licence was not in force for it. Contrary to "
               "section 29(1) and (3) of the Vehicle Excise and Registration Act 1994.",
}
DEMO_OFFENCE_CODES = frozenset(OFFENCE_WORDINGS)
# Charged offences that only the Crown Court can try: the case starts at the Crown centre here.
INDICTABLE_ONLY = frozenset({"TH68023", "OF61016"})
# Offences that several people commit together (co-defendants are charged jointly).
JOINT_OFFENCES = frozenset({"TH68010", "CJ88116", "OF61102", "TH68036", "CD71037", "PU86149", "TH68023", "OF61016"})


@dataclass(frozen=True)
class DemoProsecutor:
    name: str
    authority_code: str
    # PTI-URN: force or prosecutor code and the units that issue case numbers.
    urn_force: str
    urn_units: tuple[str, ...]
    # How its cases start, and which offences each kind of case charges (code, weight).
    initiations: tuple[tuple[InitiationType, int], ...]
    offences: dict[InitiationType, tuple[tuple[str, int], ...]]
    share: int  # of the demo's cases
    organisation_defendants: float = 0.0
    # Police-originated cases carry an ASN; a transport or licensing authority uses its own reference.
    police: bool = True
    reference_prefix: str = ""


CHARGE_OFFENCES = (
    ("TH68010", 18), ("CJ88116", 14), ("OF61102", 7), ("CJ88160", 5), ("RT88007", 8), ("MD71530", 8),
    ("MD71210", 4), ("TH68036", 5), ("CD71037", 8), ("PU86149", 6), ("CJ67002", 4), ("CJ88144", 5),
    ("RT88333", 4), ("TH68023", 2), ("OF61016", 1),
)
REQUISITION_OFFENCES = (("RT88007", 4), ("RT88575", 5), ("RT88191", 4), ("CJ88116", 3), ("TH68010", 3),
                        ("CD71037", 2), ("MD71530", 2))
PROSECUTORS = (
    DemoProsecutor(
        name="Crown Prosecution Service", authority_code="CPS", urn_force="01", urn_units=("YE", "KD", "HT", "ZD"),
        initiations=((InitiationType.CHARGE, 80), (InitiationType.REQUISITION, 20)),
        offences={InitiationType.CHARGE: CHARGE_OFFENCES, InitiationType.REQUISITION: REQUISITION_OFFENCES},
        share=50,
    ),
    DemoProsecutor(
        name="Metropolitan Police", authority_code="MPS", urn_force="01", urn_units=("TR", "MP", "WX", "JC"),
        initiations=((InitiationType.SJP_NOTICE, 60), (InitiationType.REQUISITION, 25), (InitiationType.CHARGE, 15)),
        offences={
            InitiationType.SJP_NOTICE: (("RR84707", 6), ("RT88191", 3), ("RT88567", 2)),
            InitiationType.REQUISITION: REQUISITION_OFFENCES,
            InitiationType.CHARGE: CHARGE_OFFENCES,
        },
        share=25,
    ),
    DemoProsecutor(
        name="Transport for London", authority_code="TFL", urn_force="93", urn_units=("TF", "LU"),
        initiations=((InitiationType.SJP_NOTICE, 85), (InitiationType.SUMMONS, 15)),
        offences={InitiationType.SJP_NOTICE: (("RW89004", 1),), InitiationType.SUMMONS: (("RW89004", 1),)},
        share=15, police=False, reference_prefix="TFL",
    ),
    DemoProsecutor(
        name="Driver and Vehicle Licensing Agency", authority_code="DVLA", urn_force="98", urn_units=("DV", "VL"),
        initiations=((InitiationType.SJP_NOTICE, 100),),
        offences={InitiationType.SJP_NOTICE: (("VE94015", 1),)},
        share=10, organisation_defendants=0.12, police=False, reference_prefix="DVLA",
    ),
)

STAFF = (
    # username, role (shown to people; roles and permissions are the accounts app's to model)
    ("adviser", "Legal adviser"),
    ("associate", "Court associate"),
    ("listing", "Listing officer"),
    ("admin", "Court administrator"),
)
# The role each demo staff user holds at every demo court centre (the administrator can grant more).
STAFF_ROLES = {
    "adviser": StaffRoleKind.LEGAL_ADVISER,
    "associate": StaffRoleKind.COURT_ASSOCIATE,
    "listing": StaffRoleKind.LISTING_OFFICER,
    "admin": StaffRoleKind.COURT_ADMINISTRATOR,
}
HMCTS_NAME = "HM Courts & Tribunals Service"
TOKEN_ORGANISATION = "Metropolitan Police"

STREET_SUFFIXES = ("Road", "Street", "Avenue", "Close", "Gardens", "Lane", "Crescent", "Way", "Grove", "Place",
                   "Terrace", "Walk", "Court", "Rise")
SHOPS = ("Tesco Stores Limited", "J Sainsbury plc", "Boots UK Limited", "Marks and Spencer plc",
         "Co-operative Group Limited", "Superdrug Stores plc", "Lidl Great Britain Limited", "Waitrose Limited",
         "WHSmith Retail Limited", "TK Maxx")
GOODS = ("food items", "meat products", "alcohol", "toiletries", "perfume", "razor blades", "clothing",
         "a mobile telephone", "cosmetics", "confectionery", "electrical goods")
ROBBERY_GOODS = ("a mobile telephone", "a wallet and bank cards", "a handbag and its contents", "a bicycle",
                 "a gold chain", "a watch")
BURGLARY_GOODS = ("jewellery", "a laptop computer", "a games console", "cash and jewellery", "a television",
                  "a handbag and its contents")
DAMAGED = ("a shop window", "a motor vehicle", "a front door", "a bus shelter", "a wing mirror",
           "a telephone kiosk", "a garden fence", "a police vehicle")
BLADES = ("kitchen knife", "lock knife", "Stanley knife", "screwdriver", "flick knife", "machete")
VEHICLES = ("Ford Fiesta", "Vauxhall Corsa", "Volkswagen Golf", "BMW 3 Series", "Toyota Prius", "Nissan Qashqai",
            "Mercedes-Benz C Class", "Audi A3", "Peugeot 208", "Ford Transit van", "Honda Civic", "Kia Sportage")
STATIONS = ("Brixton", "Stockwell", "Oxford Circus", "Victoria", "King's Cross St. Pancras", "Finsbury Park",
            "Highbury & Islington", "Clapham Common", "Tooting Broadway", "Elephant & Castle", "Euston",
            "Walthamstow Central", "Seven Sisters", "Green Park", "Vauxhall", "Canada Water", "Stratford")
CONDITIONS = (
    "Not to contact {victim} directly or indirectly.",
    "Not to enter {area}.",
    "To reside at {address} and sleep there each night.",
    "Curfew between 20:00 and 06:00 at {address}, to be electronically monitored.",
    "To report to {area} police station on Mondays and Fridays between 10:00 and 18:00.",
    "Not to enter any premises of {shop} in England and Wales.",
    "Not to drive a motor vehicle.",
    "To surrender your passport and not to apply for international travel documents.",
)
CUSTODY_REASONS = (
    "Substantial grounds for believing that the defendant would fail to surrender to custody.",
    "Substantial grounds for believing that the defendant would commit an offence while on bail.",
    "Substantial grounds for believing that the defendant would interfere with witnesses.",
    "For the defendant's own protection.",
)
COMPANY_TRADES = ("Logistics", "Couriers", "Motors", "Builders", "Removals", "Scaffolding", "Car Hire")
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


T = TypeVar("T")


def _weighted(rng: random.Random, choices: Iterable[tuple[T, int]]) -> T:
    items = list(choices)
    return rng.choices([c for c, _ in items], weights=[w for _, w in items])[0]


@dataclass
class DemoCases:
    """Plausible case intakes from a seed. Needs no database; `holidays` are the bank holidays to avoid."""

    seed: int = DEMO_SEED
    today: dt.date = field(default_factory=court_today)
    holidays: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(self.seed)
        self._sequence = self.rng.randrange(100_000, 900_000)

    # --- identifiers -------------------------------------------------------------------------------
    def urn(self, prosecutor: DemoProsecutor, number: int) -> str:
        """The `number`th PTI-URN of a prosecutor: 100,000 case numbers per unit per year."""
        unit = prosecutor.urn_units[number // 100_000 % len(prosecutor.urn_units)]
        year = (self.today.year - number // (100_000 * len(prosecutor.urn_units))) % 100
        return f"{prosecutor.urn_force}{unit}{number % 100_000:05d}{year:02d}"

    def asn(self, prosecutor: DemoProsecutor, unit: str) -> str:
        self._sequence += self.rng.randrange(1, 40)
        base = f"{self.today.year % 100:02d}{prosecutor.urn_force}{unit}01{self._sequence:011d}"
        return base + asn_check_character(base)

    def pnc_id(self, date_of_birth: dt.date) -> str:
        year = str(self.rng.randint(max(date_of_birth.year + 15, 1985), self.today.year))
        serial = f"{self.rng.randrange(10_000, 9_999_999):07d}"
        return f"{year}/{serial}{pnc_check_character(year, serial)}"

    def registration(self) -> str:
        letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
        age = self.rng.choice([*range(51, 75), *range(2, 25)])
        pick = lambda n: "".join(self.rng.choice(letters) for _ in range(n))  # noqa: E731
        return f"{pick(2)}{age:02d} {pick(3)}"

    # --- dates -------------------------------------------------------------------------------------
    def working_day(self, earliest: dt.date) -> dt.date:
        day = earliest
        while day.weekday() >= 5 or day in self.holidays:
            day += dt.timedelta(days=1)
        return day

    def _days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    # --- people ------------------------------------------------------------------------------------
    def _address(self, court: DemoCourt, area: str | None = None) -> tuple[list[str], str]:
        i = self.rng.randrange(len(court.areas))
        street = f"{self.fake.last_name()} {self.rng.choice(STREET_SUFFIXES)}"
        first = f"{self.rng.randint(1, 240)} {street}"
        if self.rng.random() < 0.25:
            first = f"Flat {self.rng.randint(1, 40)}, {first}"
        inward = f"{self.rng.randint(1, 9)}{self.rng.choice(POSTCODE_LETTERS)}{self.rng.choice(POSTCODE_LETTERS)}"
        return [first, area or court.areas[i], "London"], f"{court.postcode_districts[i]} {inward}"

    def _person_name(self, gender: Gender) -> tuple[str, str, str, str]:
        if gender == Gender.FEMALE:
            first, title = self.fake.first_name_female(), self.rng.choice(("Ms", "Miss", "Mrs", "Ms"))
            middle = self.fake.first_name_female() if self.rng.random() < 0.3 else ""
        else:
            first, title = self.fake.first_name_male(), "Mr"
            middle = self.fake.first_name_male() if self.rng.random() < 0.3 else ""
        return title, first, middle, self.fake.last_name()

    def _date_of_birth(self) -> dt.date:
        age = int(self.rng.triangular(18, 75, 26))
        return self.today - dt.timedelta(days=age * 365 + self.rng.randint(1, 364))

    # --- offences ----------------------------------------------------------------------------------
    def _fill(self, code: str, court: DemoCourt, committed: dt.date, victim_name: str) -> str:
        rng = self.rng
        female = rng.random() < 0.5
        officer = f"PC {rng.randint(100, 9999)}{rng.choice(('MP', 'CO'))} {self.fake.last_name()}"
        values = {
            "date": committed.strftime("%d/%m/%Y"),
            "area": rng.choice(court.areas),
            "road": f"{self.fake.last_name()} {rng.choice(STREET_SUFFIXES)}",
            "goods": rng.choice(BURGLARY_GOODS if code == "TH68036" else ROBBERY_GOODS if code == "TH68023"
                                else GOODS),
            "value": f"{rng.randint(800, 60_000 if code != 'TH68010' else 25_000) / 100:.2f}",
            "shop": rng.choice(SHOPS),
            "victim": victim_name,
            "them": "her" if female else "him",
            "officer": officer,
            "vehicle": rng.choice(VEHICLES),
            "reg": self.registration(),
            "breath": rng.randint(36, 110),
            "address": self._address(court)[0][0],
            "property": rng.choice(DAMAGED),
            "owner": rng.choice((*SHOPS, "Transport for London", "the Metropolitan Police", victim_name)),
            "blade": rng.choice(BLADES),
            "speed": rng.randint(35, 58),
            "station": rng.choice(STATIONS),
            "station2": rng.choice(STATIONS),
        }
        return OFFENCE_WORDINGS[code].format(**values)

    def _offences(self, codes: list[str], court: DemoCourt, initiation: InitiationType, *, custody: bool
                  ) -> list[OffenceIntake]:
        if custody:
            committed = self._days_ago(1, 2)  # arrested, charged and kept in for the next court
        elif initiation == InitiationType.CHARGE:
            committed = self._days_ago(1, 45)
        else:
            committed = self._days_ago(20, 160)
        victim = f"{self.fake.first_name()} {self.fake.last_name()}"
        offences = []
        for code in codes:
            offence = OffenceIntake(
                cjs_code=code,
                wording=self._fill(code, court, committed, victim),
                start_date=committed,
                date_code=1,
                location=f"{self.rng.choice(court.areas)}, London",
            )
            if initiation == InitiationType.CHARGE:
                offence.charge_date = min(committed + dt.timedelta(days=self.rng.randint(0, 1)), self.today)
            else:
                offence.laid_date = min(committed + dt.timedelta(days=self.rng.randint(7, 30)), self.today)
            offences.append(offence)
        return offences

    def _pick_codes(self, prosecutor: DemoProsecutor, initiation: InitiationType, count: int, *, joint: bool
                    ) -> list[str]:
        table = prosecutor.offences[initiation]
        if joint:
            table = tuple((code, weight) for code, weight in table if code in JOINT_OFFENCES) or table
        codes: list[str] = []
        for _ in range(count * 3):
            code = _weighted(self.rng, table)
            if code not in codes:
                codes.append(code)
            if len(codes) == count:
                break
        return codes

    # --- cases -------------------------------------------------------------------------------------
    def case(self, prosecutor: DemoProsecutor, urn: str, *, max_defendants: int = 3,
             max_offences: int = 3) -> CaseIntake:
        rng = self.rng
        initiation = _weighted(rng, prosecutor.initiations)
        charged = initiation == InitiationType.CHARGE
        roll = rng.random()
        count = 1 if not charged or roll < 0.82 else 2 if roll < 0.96 else 3
        count = min(count, max_defendants)
        per_defendant = 1 if not charged else min(max_offences, _weighted(rng, ((1, 60), (2, 30), (3, 10))))
        codes = self._pick_codes(prosecutor, initiation, per_defendant, joint=count > 1)
        indictable = any(c in INDICTABLE_ONLY for c in codes)
        court = CROWN_COURT if indictable else rng.choice(MAGISTRATES_COURTS)
        # About one charged case in six has someone kept in custody for the next sitting.
        in_custody = charged and rng.random() < (0.5 if indictable else 0.16)
        offences_template = self._offences(codes, court, initiation, custody=in_custody)
        unit = urn[2:4]
        defendants = []
        for i in range(count):
            # Co-defendants are charged jointly: each has the same offences.
            offences = [dataclasses.replace(o, field_names={}) for o in offences_template]
            custody = in_custody and (i == 0 or rng.random() < 0.5)
            defendants.append(self._defendant(prosecutor, initiation, court, unit, offences, custody=custody))
        if in_custody:
            hearing = self.working_day(self.today + dt.timedelta(days=1))
        elif charged:
            hearing = self.working_day(self.today + dt.timedelta(days=rng.randint(7, 28)))
        else:
            hearing = self.working_day(self.today + dt.timedelta(days=rng.randint(14, 56)))
        return CaseIntake(
            urn=urn,
            initiation_type=initiation.value,
            court_centre_ou_code=court.ou_code,
            hearing_date=hearing,
            hearing_time=dt.time(10, 0) if in_custody or rng.random() < 0.7 else dt.time(14, 0),
            prosecuting_authority_code=prosecutor.authority_code,
            informant=(f"PC {rng.randint(100, 9999)} {self.fake.last_name()}" if prosecutor.police
                       else prosecutor.name),
            defendants=defendants,
        )

    def _defendant(self, prosecutor: DemoProsecutor, initiation: InitiationType, court: DemoCourt, unit: str,
                   offences: list[OffenceIntake], *, custody: bool) -> DefendantIntake:
        rng = self.rng
        lines, postcode = self._address(court)
        reference = (f"{prosecutor.reference_prefix}/{self.today.year}/{rng.randrange(100_000, 999_999)}"
                     if prosecutor.reference_prefix else "")
        if rng.random() < prosecutor.organisation_defendants:
            return DefendantIntake(
                kind=DefendantKind.ORGANISATION, offences=offences,
                organisation_name=f"{self.fake.last_name()} {rng.choice(COMPANY_TRADES)} Limited",
                address_lines=[f"Unit {rng.randint(1, 30)}, {lines[0].split(', ')[-1]}", *lines[1:]],
                postcode=postcode, prosecutor_reference=reference,
            )
        gender = Gender.FEMALE if rng.random() < 0.22 else Gender.MALE
        title, first, middle, last = self._person_name(gender)
        born = self._date_of_birth()
        defendant = DefendantIntake(
            kind=DefendantKind.PERSON, offences=offences, title=title, first_name=first, middle_name=middle,
            last_name=last, date_of_birth=born, gender=gender, address_lines=lines, postcode=postcode,
            prosecutor_reference=reference,
        )
        if prosecutor.police:
            defendant.asn = self.asn(prosecutor, unit)
            if initiation == InitiationType.CHARGE or rng.random() < 0.2:
                defendant.pnc_id = self.pnc_id(born) if rng.random() < 0.7 else ""
        if custody:
            defendant.bail_status = "C"
            defendant.custody_reasons = rng.choice(CUSTODY_REASONS)
        elif initiation == InitiationType.CHARGE:
            if rng.random() < 0.45:
                defendant.bail_status = "B"
                defendant.bail_conditions = " ".join(
                    c.format(victim=f"{self.fake.first_name()} {self.fake.last_name()}", area=rng.choice(court.areas),
                             address=lines[0], shop=rng.choice(SHOPS))
                    for c in rng.sample(CONDITIONS, rng.randint(1, 3))
                )
            else:
                defendant.bail_status = "U"
        return defendant

    def cases(self, prosecutor: DemoProsecutor, numbers: Iterable[int], **options: int) -> Iterable[CaseIntake]:
        for number in numbers:
            yield self.case(prosecutor, self.urn(prosecutor, number), **options)


# --- the command's work ---------------------------------------------------------------------------

@dataclass
class DemoResult:
    skipped: bool = False
    cases_created: int = 0
    by_prosecutor: Counter[str] = field(default_factory=Counter)
    by_court: Counter[str] = field(default_factory=Counter)
    # (username, role, password or "" when the user already existed)
    users: list[tuple[str, str, str]] = field(default_factory=list)
    token: str = ""
    token_organisation: str = TOKEN_ORGANISATION


def demo_check_reference() -> list[str]:
    """What the demo needs from the reference data and is missing (empty when all is there)."""
    missing = [f"court centre {c.ou_code}" for c in DEMO_COURTS if not reference.court_centre_exists(ou_code=c.ou_code)]
    known = set(reference.offence_map(cjs_codes=set(DEMO_OFFENCE_CODES)))
    missing += [f"offence {code}" for code in sorted(DEMO_OFFENCE_CODES - known)]
    return missing


def demo_create(
    *, cases: int = 300, password: str | None = None, if_empty: bool = False, seed: int = DEMO_SEED,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Create organisations, staff users, an API token and `cases` cases; see the module docstring."""
    if if_empty and ProsecutionCase.objects.exists():
        return DemoResult(skipped=True)
    if missing := demo_check_reference():
        raise RuntimeError(f"Load the reference data first (`courts load-reference`): missing {', '.join(missing)}")
    actor = Actor.system("courts demo")
    result = DemoResult()
    hmcts, _ = organisation_get_or_create(name=HMCTS_NAME, kind=OrganisationKind.HMCTS, actor=actor)
    organisations = {
        p.name: organisation_get_or_create(name=p.name, kind=OrganisationKind.PROSECUTOR, actor=actor,
                                           prosecuting_authority_code=p.authority_code)[0]
        for p in PROSECUTORS
    }
    # A second run adds different cases: the seed moves on with what is already there.
    generator = DemoCases(seed=seed + ProsecutionCase.objects.count(), holidays=_holidays())
    result.users = _staff_users(generator, hmcts, password, actor)
    _, result.token = api_token_create(organisation=organisations[TOKEN_ORGANISATION], name="demo", actor=actor)

    plan = _split_by_share(cases, [(p, p.share) for p in PROSECUTORS])
    for prosecutor, count in plan:
        organisation = organisations[prosecutor.name]
        taken = {u.upper() for u in ProsecutionCase.objects.filter(prosecutor=organisation)
                 .values_list("urn", flat=True)}
        number = len(taken) + 1
        for _ in range(count):
            while (urn := generator.urn(prosecutor, number)) in taken:
                number += 1
            taken.add(urn)
            intake = generator.case(prosecutor, urn)
            case_intake(intake=intake, prosecutor=organisation, actor=actor, channel=IntakeChannel.DEMO)
            result.cases_created += 1
            result.by_prosecutor[prosecutor.name] += 1
            result.by_court[intake.court_centre_ou_code] += 1
            if progress:
                progress(result.cases_created)
    return result


def _holidays() -> frozenset[dt.date]:
    today = court_today()
    return frozenset(reference.bank_holidays_between(start=today, end=today + dt.timedelta(days=120)))


def _split_by_share(total: int, shares: list[tuple[DemoProsecutor, int]]) -> list[tuple[DemoProsecutor, int]]:
    """Split `total` cases by share, so that 300 cases give 150/75/45/30."""
    whole = sum(s for _, s in shares)
    counts = [(p, total * s // whole) for p, s in shares]
    short = total - sum(c for _, c in counts)
    return [(p, c + (1 if i < short else 0)) for i, (p, c) in enumerate(counts)]


def _staff_users(generator: DemoCases, hmcts: Organisation, password: str | None, actor: Actor
                 ) -> list[tuple[str, str, str]]:
    users = []
    for username, role in STAFF:
        if User.objects.filter(username__iexact=username).exists():
            users.append((username, role, ""))
            continue
        secret = password or secrets.token_urlsafe(12)
        first, last = generator.fake.first_name(), generator.fake.last_name()
        user_create(username=username, password=secret, actor=actor, first_name=first, last_name=last,
                    email=f"{first}.{last}@justice.gov.uk".lower().replace("'", ""), organisation=hmcts)
        users.append((username, role, secret))
    for username, staff_role in STAFF_ROLES.items():
        user = User.objects.get(username__iexact=username)
        for court in DEMO_COURTS:
            centre = reference.court_centre_get(ou_code=court.ou_code)
            if centre is not None:
                staff_role_grant(user=user, court_centre=centre, role=staff_role, actor=actor)
    return users
