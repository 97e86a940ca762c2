"""What every intake channel (JSON API, police SPI XML, court-staff form) hands to `case_intake`:
plain data, validated in one place so that every channel enforces the same rules.

Each object carries `path` (where it came from in the request) and `field_names` (how that channel
names each field), so that an error points at the caller's own field: `defendants/0/asn` for the JSON
API, `Case/Defendant[1]/ProsecutorReference` for an SPI message.
"""

import datetime as dt
from dataclasses import dataclass, field

from courts.cases import identifiers
from courts.cases.enums import AnticipatedPlea, DefendantKind, Gender, InitiationType
from courts.common.clock import court_today
from courts.common.errors import ErrorCollector
from courts.reference import selectors as reference

MAX_DEFENDANTS = 200
MAX_OFFENCES = 200


@dataclass
class OffenceIntake:
    cjs_code: str
    wording: str
    start_date: dt.date | None
    end_date: dt.date | None = None
    charge_date: dt.date | None = None
    laid_date: dt.date | None = None
    date_code: int | None = None
    location: str = ""
    path: str = ""
    field_names: dict[str, str] = field(default_factory=dict)


@dataclass
class DefendantIntake:
    kind: DefendantKind
    offences: list[OffenceIntake]
    title: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    gender: Gender = Gender.NOT_KNOWN
    organisation_name: str = ""
    address_lines: list[str] = field(default_factory=list)
    postcode: str = ""
    asn: str = ""
    pnc_id: str = ""
    cro_number: str = ""
    prosecutor_reference: str = ""
    bail_status: str = ""
    bail_conditions: str = ""
    custody_reasons: str = ""
    path: str = ""
    field_names: dict[str, str] = field(default_factory=dict)


@dataclass
class CaseIntake:
    urn: str
    initiation_type: InitiationType | str
    court_centre_ou_code: str
    hearing_date: dt.date | None
    defendants: list[DefendantIntake]
    hearing_time: dt.time | None = None
    prosecuting_authority_code: str = ""
    originating_organisation: str = ""
    cps_organisation: str = ""
    informant: str = ""
    summons_code: str = ""
    case_markers: list[str] = field(default_factory=list)
    anticipated_plea: str = "UNKNOWN"
    reporting_restrictions: list[str] = field(default_factory=list)
    path: str = ""
    field_names: dict[str, str] = field(default_factory=dict)


# The longest value each field may hold (the database columns); every channel is held to them.
MAX_LENGTHS = {
    CaseIntake: {"prosecuting_authority_code": 40, "originating_organisation": 20, "cps_organisation": 20,
                 "informant": 100, "summons_code": 2},
    DefendantIntake: {"title": 35, "first_name": 100, "middle_name": 200, "last_name": 100,
                      "organisation_name": 200, "postcode": 10, "prosecutor_reference": 30,
                      "bail_conditions": 2500, "custody_reasons": 2500},
    OffenceIntake: {"wording": 4000, "location": 300},
}


def _check_lengths(obj: OffenceIntake | DefendantIntake | CaseIntake, errors: ErrorCollector) -> None:
    for name, limit in MAX_LENGTHS[type(obj)].items():
        value = getattr(obj, name) or ""
        if len(value.strip()) > limit:
            errors.add(_at(obj, name), f"Must be {limit} characters or fewer", "too_long")


def _at(obj: OffenceIntake | DefendantIntake | CaseIntake, name: str) -> str:
    label = obj.field_names.get(name, name)
    return f"{obj.path}/{label}" if obj.path else label


def validate_case(intake: CaseIntake, errors: ErrorCollector, *, new_case: bool = True) -> None:
    """Check and normalise `intake` in place, adding every problem to `errors`."""
    _check_lengths(intake, errors)
    if new_case:
        try:
            intake.urn = identifiers.normalise_urn(intake.urn or "")
        except ValueError as e:
            errors.add(_at(intake, "urn"), str(e))
        if intake.initiation_type not in InitiationType.values:
            errors.add(_at(intake, "initiation_type"),
                       "Initiation type must be one of "
                   + ", ".join(f"{t.value} ({t.name})" for t in InitiationType))
        if not reference.court_centre_exists(ou_code=intake.court_centre_ou_code or ""):
            errors.add(_at(intake, "court_centre_ou_code"),
                       f"No court centre has the OU code {intake.court_centre_ou_code!r}")
        if intake.anticipated_plea not in AnticipatedPlea.values:
            errors.add(_at(intake, "anticipated_plea"),
                       f"Anticipated plea must be one of {', '.join(AnticipatedPlea.values)}")
        intake.reporting_restrictions = [r.strip()[:200] for r in intake.reporting_restrictions if r.strip()]
        if intake.hearing_date and intake.hearing_date < court_today():
            errors.add(_at(intake, "hearing_date"), "The first hearing date must be today or in the future")
    if not intake.defendants:
        errors.add(_at(intake, "defendants"), "A case needs at least one defendant")
    if len(intake.defendants) > MAX_DEFENDANTS:
        errors.add(_at(intake, "defendants"), f"A case can have at most {MAX_DEFENDANTS} defendants")
        return
    known = _known_offence_codes(intake.defendants)
    for defendant in intake.defendants:
        validate_defendant(defendant, errors, known_codes=known)


def _known_offence_codes(defendants: list[DefendantIntake]) -> set[str]:
    # One query for the whole request, not one per offence.
    codes = {(o.cjs_code or "").strip().upper() for d in defendants for o in d.offences}
    return set(reference.offence_map(cjs_codes=codes))


def validate_defendant(
    d: DefendantIntake, errors: ErrorCollector, *, known_codes: set[str] | None = None, with_offences: bool = True
) -> None:
    if known_codes is None and with_offences:
        known_codes = _known_offence_codes([d])
    today = court_today()
    _check_lengths(d, errors)
    if d.gender not in Gender.values:
        errors.add(_at(d, "gender"), f"Gender must be one of {', '.join(Gender.values)}")
    if len(d.address_lines) > 7 or any(len(line or "") > 100 for line in d.address_lines):
        errors.add(_at(d, "address_lines"), "An address has at most 7 lines of 100 characters")
    if d.kind == DefendantKind.PERSON:
        if not d.last_name.strip():
            errors.add(_at(d, "last_name"), "Enter the defendant's last name")
        if d.date_of_birth and d.date_of_birth > today:
            errors.add(_at(d, "date_of_birth"), "Date of birth must be in the past")
        elif d.date_of_birth and d.date_of_birth.year < today.year - 120:
            errors.add(_at(d, "date_of_birth"), "Date of birth is more than 120 years ago")
    elif d.kind == DefendantKind.ORGANISATION:
        if not d.organisation_name.strip():
            errors.add(_at(d, "organisation_name"), "Enter the organisation's name")
    else:
        errors.add(_at(d, "kind"), "A defendant is a PERSON or an ORGANISATION")
    for name, normalise in (
        ("asn", identifiers.normalise_asn),
        ("pnc_id", identifiers.normalise_pnc_id),
        ("cro_number", identifiers.normalise_cro_number),
    ):
        value = getattr(d, name)
        if value:
            try:
                setattr(d, name, normalise(value))
            except ValueError as e:
                errors.add(_at(d, name), str(e))
    if d.bail_status and not reference.bail_status_exists(code=d.bail_status):
        errors.add(_at(d, "bail_status"), f"Unknown bail status {d.bail_status!r}; use a CJS remand status code")
    if d.bail_conditions and d.bail_status not in ("B", "P", "L"):
        errors.add(_at(d, "bail_conditions"), "Bail conditions need a conditional bail status (B, P or L)")
    if not with_offences:
        return
    if not d.offences:
        errors.add(_at(d, "offences"), "A defendant needs at least one offence")
    if len(d.offences) > MAX_OFFENCES:
        errors.add(_at(d, "offences"), f"A defendant can have at most {MAX_OFFENCES} offences")
        return
    for offence in d.offences:
        validate_offence(offence, errors, known_codes=known_codes)


def validate_offence(o: OffenceIntake, errors: ErrorCollector, *, known_codes: set[str] | None = None) -> None:
    today = court_today()
    _check_lengths(o, errors)
    o.cjs_code = (o.cjs_code or "").strip().upper()
    if not o.cjs_code:
        errors.add(_at(o, "cjs_code"), "Enter the CJS offence code")
    elif not (o.cjs_code in known_codes if known_codes is not None else reference.offence_exists(cjs_code=o.cjs_code)):
        errors.add(_at(o, "cjs_code"), f"{o.cjs_code} is not a CJS offence code")
    if not (o.wording or "").strip():
        errors.add(_at(o, "wording"), "Enter the offence wording")
    if o.start_date is None:
        errors.add(_at(o, "start_date"), "Enter the date the offence started")
    elif o.start_date > today:
        errors.add(_at(o, "start_date"), "The offence cannot start in the future")
    if o.end_date and o.start_date and o.end_date < o.start_date:
        errors.add(_at(o, "end_date"), "The offence cannot end before it started")
    if o.end_date and o.end_date > today:
        errors.add(_at(o, "end_date"), "The offence cannot end in the future")
    committed = o.end_date or o.start_date
    for name in ("charge_date", "laid_date"):
        value = getattr(o, name)
        if value and value > today:
            errors.add(_at(o, name), "This date cannot be in the future")
        elif value and committed and value < committed:
            errors.add(_at(o, name), "The offence cannot be after the charge" if name == "charge_date"
                       else "The information cannot be laid before the offence")
