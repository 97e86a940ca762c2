"""A court list as the Court and Tribunal Hearings service (CaTH, hmcts/pip-data-management) takes
it: `magistrates_public_list.json` and `magistrates_standard_list.json` for a magistrates' court, and
the PDDA/XHIBIT `DailyList` / `FirmList` / `WarnedList` documents for the Crown Court.

These only render: what a list may show was decided in `publishing.selectors`."""

import datetime as dt
import re
import uuid
from typing import Any

from courts.cases.enums import Gender
from courts.common.clock import LONDON
from courts.listing.enums import SittingKind
from courts.publishing.enums import Audience, ListFormat
from courts.publishing.selectors import CourtList, ListedCase, ListedDefendant, ListedHearing, ListedSitting

# CaTH's string fields refuse anything that looks like an HTML tag: `^(?!(.|\r|\n)*<[^>]+>)`.
_TAG = re.compile(r"<([^>]+)>")
# Identifies our documents' UniqueIDs (a name-based UUID of centre, list, dates and publication time).
_DOCUMENT_NAMESPACE = uuid.UUID("5b0f4f0e-8f53-4a4e-9a53-6f1a3c0c2b11")

SEXES = {Gender.MALE: "male", Gender.FEMALE: "female"}
PROSECUTING_AUTHORITY = "PROSECUTING_AUTHORITY"
DEFENDANT = "DEFENDANT"


def text(value: str | None) -> str:
    """A string CaTH accepts: a `<...>` pair becomes `(...)`."""
    return _TAG.sub(r"(\1)", value or "")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _start(day: dt.date, time: dt.time) -> str:
    """A London wall-clock time on a court date, as CaTH's UTC `…Z` instant."""
    return _utc(dt.datetime.combine(day, time, tzinfo=LONDON))


def court_list_document(court_list: CourtList) -> dict[str, Any]:
    """The list as the JSON document of its format."""
    return RENDERERS[court_list.format](court_list)


# --- Magistrates' courts: CaTH public and standard lists -----------------------------------------


def _magistrates(court_list: CourtList) -> dict[str, Any]:
    venue = court_list.venue
    is_public = court_list.format == ListFormat.MAGISTRATES_PUBLIC
    rooms: dict[str, list[dict[str, Any]]] = {}
    for sitting in court_list.sittings:
        rooms.setdefault(sitting.court_room, []).append(_session(court_list, sitting))
    court_house: dict[str, Any] = {
        "courtRoom": [{"courtRoomName": text(name), "session": sessions} for name, sessions in rooms.items()],
    }
    if not is_public:
        court_house = {"courtHouseName": text(venue.name), **court_house}
    return {
        "document": {"publicationDate": _utc(court_list.published_at)},
        "venue": {"venueAddress": {"line": [text(line) for line in venue.address_lines],
                                   "postCode": text(venue.postcode)}},
        "courtLists": [{"courtHouse": court_house}] if court_list.sittings else [],
    }


def _session(court_list: CourtList, sitting: ListedSitting) -> dict[str, Any]:
    # A CaTH sitting is a start time within the session; our hearings at the same time share one.
    by_time: dict[dt.time | None, list[ListedHearing]] = {}
    for hearing in sitting.hearings:
        by_time.setdefault(hearing.start_time, []).append(hearing)
    session: dict[str, Any] = {}
    if sitting.judiciary:
        session["judiciary"] = [{"johKnownAs": text(name), "isPresiding": i == 0}
                                for i, name in enumerate(sitting.judiciary)]
    session["sittings"] = [
        {"sittingStart": _start(sitting.date, time or sitting.start_time),
         "hearing": [_magistrates_hearing(court_list, sitting, h) for h in hearings]}
        for time, hearings in by_time.items()
    ]
    return session


def _magistrates_hearing(court_list: CourtList, sitting: ListedSitting, hearing: ListedHearing) -> dict[str, Any]:
    out: dict[str, Any] = {"hearingType": text(hearing.hearing_type)}
    if court_list.format == ListFormat.MAGISTRATES_STANDARD:
        out["panel"] = "YOUTH" if sitting.kind == SittingKind.YOUTH else "ADULT"
    out["case"] = [_magistrates_case(court_list, c) for c in hearing.cases]
    return out


def _magistrates_case(court_list: CourtList, case: ListedCase) -> dict[str, Any]:
    out: dict[str, Any] = {"caseUrn": text(case.urn), "reportingRestriction": case.is_restricted}
    is_standard = court_list.format == ListFormat.MAGISTRATES_STANDARD
    if is_standard and case.is_restricted:
        out["reportingRestrictionDetails"] = [text(r) for r in case.restrictions]
    parties: list[dict[str, Any]] = [
        {"partyRole": PROSECUTING_AUTHORITY, "organisationDetails": {"organisationName": text(case.prosecutor)}},
    ]
    parties += [_party(d, is_standard=is_standard) for d in case.defendants]
    out["party"] = parties
    return out


def _address(defendant: ListedDefendant) -> dict[str, Any]:
    address: dict[str, Any] = {"line": [text(line) for line in defendant.address_lines]}
    if defendant.postcode:
        address["postCode"] = text(defendant.postcode)
    return address


def _party(defendant: ListedDefendant, *, is_standard: bool) -> dict[str, Any]:
    party: dict[str, Any] = {"partyRole": DEFENDANT}
    if defendant.is_anonymous:
        pass  # no name: the offences and the case's reporting restriction only
    elif defendant.is_person:
        details: dict[str, Any] = {}
        if is_standard:
            if defendant.first_name:
                details["individualForenames"] = text(defendant.first_name)
            if defendant.middle_name:
                details["individualMiddleName"] = text(defendant.middle_name)
        elif defendant.forenames:
            details["individualForenames"] = text(defendant.forenames)
        details["individualSurname"] = text(defendant.last_name)
        if defendant.date_of_birth:
            details["dateOfBirth"] = defendant.date_of_birth.isoformat()
            details["age"] = defendant.age
        if defendant.address_lines or defendant.postcode:
            details["address"] = _address(defendant)
        if defendant.gender in SEXES:
            details["gender"] = SEXES[defendant.gender]
        if defendant.asn:
            details["asn"] = text(defendant.asn)
        if defendant.pnc_id:
            details["pncId"] = text(defendant.pnc_id)
        party["individualDetails"] = details
    else:
        organisation: dict[str, Any] = {"organisationName": text(defendant.organisation_name)}
        if is_standard and (defendant.address_lines or defendant.postcode):
            organisation["organisationAddress"] = _address(defendant)
        party["organisationDetails"] = organisation
    offences = []
    for offence in defendant.offences:
        entry: dict[str, Any] = {"offenceTitle": text(offence.title)}
        if is_standard:
            entry = {"offenceCode": text(offence.cjs_code), **entry}
            if offence.wording:
                entry["offenceWording"] = text(offence.wording)
            entry["reportingRestriction"] = bool(defendant.restrictions)
            if defendant.restrictions:
                entry["reportingRestrictionDetails"] = [text(r) for r in defendant.restrictions]
        offences.append(entry)
    party["offence"] = offences
    return party


# --- The Crown Court: PDDA/XHIBIT daily, firm and warned lists -----------------------------------

DOCUMENT_TYPES = {ListFormat.CROWN_DAILY: "DL", ListFormat.CROWN_FIRM: "FL", ListFormat.CROWN_WARNED: "WL"}
ROOTS = {ListFormat.CROWN_DAILY: "DailyList", ListFormat.CROWN_FIRM: "FirmList", ListFormat.CROWN_WARNED: "WarnedList"}
HEARING_TYPE_CODE = re.compile(r"^[A-Z]{3}$")
# The PDDA prosecuting authorities; a prosecutor not named there is "Other Prosecutor".
PROSECUTING_AUTHORITIES = {"crown prosecution service": "Crown Prosecution Service",
                           "cps": "Crown Prosecution Service"}


def _court_house_code(court_list: CourtList) -> int:
    """XHIBIT's CREST court code. Our court centres (from organisation_unit.csv) do not carry it, so
    0: CaTH knows the court from the publication's x-court-id, not from this field."""
    return 0


def _court_house(court_list: CourtList) -> dict[str, Any]:
    venue = court_list.venue
    house: dict[str, Any] = {"CourtHouseType": "Crown Court", "CourtHouseCode": _court_house_code(court_list),
                             "CourtHouseName": venue.name}
    if venue.address_lines or venue.postcode:
        house["CourtHouseAddress"] = {"Line": list(venue.address_lines[:5]), "PostCode": venue.postcode}
    return house


def _citizen_name(full: str) -> dict[str, Any]:
    """A judge as lists name them ("HHJ Smith", "Recorder Jones"): the last word is the surname."""
    words = full.split()
    return {"CitizenNameSurname": (words[-1] if words else full)[:35] or "Unknown",
            "CitizenNameRequestedName": full[:70]}


def _judiciary(sitting: ListedSitting) -> dict[str, Any]:
    names = list(sitting.judiciary)
    # The schema requires a judge; a sitting whose judge is not yet assigned says so.
    judiciary: dict[str, Any] = {"Judge": _citizen_name(names[0]) if names else
                                 {"CitizenNameSurname": "To be confirmed"}}
    if len(names) > 1:
        judiciary["Justice"] = [_citizen_name(n) for n in names[1:5]]
    return judiciary


def _court_room_number(sitting: ListedSitting, position: int) -> int:
    digits = re.findall(r"\d+", sitting.court_room)
    return int(digits[-1]) if digits else position


def _personal_details(defendant: ListedDefendant) -> dict[str, Any]:
    if defendant.is_anonymous:
        return {"Name": {}, "MaskedName": "Name withheld", "IsMasked": "yes"}
    if defendant.is_person:
        name: dict[str, Any] = {"CitizenNameForename": [n for n in (defendant.first_name, defendant.middle_name) if n]}
        if defendant.last_name:
            name["CitizenNameSurname"] = defendant.last_name[:35]
    else:
        name = {"CitizenNameRequestedName": defendant.organisation_name[:70]}
    details: dict[str, Any] = {"Name": name, "IsMasked": "no"}
    if defendant.date_of_birth:
        details["DateOfBirth"] = {"BirthDate": defendant.date_of_birth.isoformat()}
        details["Age"] = defendant.age
    if defendant.gender:
        details["Sex"] = SEXES.get(defendant.gender, "unknown")
    if defendant.address_lines or defendant.postcode:
        details["Address"] = {"Line": list(defendant.address_lines[:5]), "PostCode": defendant.postcode}
    return details


def _crown_defendant(case: ListedCase, defendant: ListedDefendant) -> dict[str, Any]:
    return {
        "PersonalDetails": _personal_details(defendant),
        "URN": case.urn,
        "Charges": [{"OffenceStatement": o.title, "IndictmentCountNumber": o.sequence, "CJSoffenceCode": o.cjs_code}
                    for o in defendant.offences],
    }


def _prosecution(case: ListedCase) -> dict[str, Any]:
    return {
        "ProsecutingOrganisation": {"OrganisationName": case.prosecutor},
        "ProsecutingAuthority": PROSECUTING_AUTHORITIES.get(case.prosecutor.strip().lower(), "Other Prosecutor"),
    }


def _hearing_details(hearing: ListedHearing, *, dated: bool) -> dict[str, Any]:
    details: dict[str, Any] = {"HearingDescription": hearing.hearing_type}
    if HEARING_TYPE_CODE.match(hearing.hearing_type_code):
        details["HearingType"] = hearing.hearing_type_code
    if dated and hearing.date:
        details["HearingDate"] = hearing.date.isoformat()
    return details


def _crown_sitting(court_list: CourtList, sitting: ListedSitting, position: int, *, dated: bool) -> dict[str, Any]:
    hearings = []
    for hearing in sitting.hearings:
        # A PDDA hearing is one case: a hearing of several cases is one entry per case, in list order.
        for case in hearing.cases:
            entry: dict[str, Any] = {
                "HearingSequenceNumber": hearing.list_order,
                "HearingDetails": _hearing_details(hearing, dated=dated),
                "CaseNumber": case.urn,
                "CaseNumberCaTH": case.urn,
                "Prosecution": _prosecution(case),
                "Defendants": [_crown_defendant(case, d) for d in case.defendants],
            }
            if hearing.start_time:
                entry["TimeMarkingNote"] = hearing.start_time.strftime("%H:%M")
            if case.is_restricted and court_list.audience != Audience.PUBLIC:
                entry["ListNote"] = "Reporting restriction: " + "; ".join(case.restrictions)
            hearings.append(entry)
    out: dict[str, Any] = {
        "CourtRoomNumber": _court_room_number(sitting, position),
        "SittingAt": sitting.start_time.strftime("%H:%M:%S"),
        "SittingNote": f"{sitting.court_room}, {sitting.session_label.lower()}",
        "Judiciary": _judiciary(sitting),
        "Hearings": hearings,
    }
    return out


def _header(court_list: CourtList) -> dict[str, Any]:
    key = f"{court_list.venue.ou_code}/{court_list.list_type}/{court_list.start_date}/{_utc(court_list.published_at)}"
    return {
        "DocumentID": {"UniqueID": str(uuid.uuid5(_DOCUMENT_NAMESPACE, key)),
                       "DocumentType": DOCUMENT_TYPES[court_list.format]},
        "ListHeader": {"StartDate": court_list.start_date.isoformat(), "EndDate": court_list.end_date.isoformat(),
                       "Version": "1", "PublishedTime": _utc(court_list.published_at)},
        "CrownCourt": _court_house(court_list),
    }


def _crown_daily(court_list: CourtList) -> dict[str, Any]:
    sittings = [_crown_sitting(court_list, s, i, dated=False) for i, s in enumerate(court_list.sittings, start=1)]
    return {"DailyList": {**_header(court_list),
                          "CourtLists": [{"CourtHouse": _court_house(court_list), "Sittings": sittings}]}}


def _crown_firm(court_list: CourtList) -> dict[str, Any]:
    by_date: dict[dt.date, list[dict[str, Any]]] = {}
    for i, sitting in enumerate(court_list.sittings, start=1):
        by_date.setdefault(sitting.date, []).append(_crown_sitting(court_list, sitting, i, dated=True))
    lists = [{"SittingDate": day.isoformat(), "CourtHouse": _court_house(court_list), "Sittings": sittings}
             for day, sittings in sorted(by_date.items())]
    return {"FirmList": {**_header(court_list), "CourtLists": lists}}


def _warned_case(case: ListedCase, hearing: ListedHearing) -> dict[str, Any]:
    entry: dict[str, Any] = {"HearingDescription": hearing.hearing_type}
    if hearing.date:
        entry["HearingDate"] = hearing.date.isoformat()
    if HEARING_TYPE_CODE.match(hearing.hearing_type_code):
        entry["HearingType"] = hearing.hearing_type_code
    if case.is_restricted:
        entry["ListNote"] = "Reporting restriction: " + "; ".join(case.restrictions)
    return {
        "CaseNumber": case.urn,
        "CaseNumberCaTH": case.urn,
        "Hearing": [entry],
        "Defendants": [_crown_defendant(case, d) for d in case.defendants],
        "Prosecution": _prosecution(case),
    }


def _warned_groups(hearings: list[ListedHearing], *, fixed: bool) -> list[dict[str, Any]]:
    """Hearings grouped by type, and (with a fixed date) by date within each type."""
    groups: dict[tuple[str, str], dict[dt.date | None, list[dict[str, Any]]]] = {}
    for hearing in hearings:
        fixtures = groups.setdefault((hearing.hearing_type_code, hearing.hearing_type), {})
        fixtures.setdefault(hearing.date if fixed else None, []).extend(_warned_case(c, hearing) for c in hearing.cases)
    out = []
    for (code, _description), fixtures in groups.items():
        group: dict[str, Any] = {}
        if HEARING_TYPE_CODE.match(code):
            group["HearingType"] = code
        group["Fixture"] = [({"FixedDate": day.isoformat()} if day else {}) | {"Cases": cases}
                            for day, cases in fixtures.items()]
        out.append(group)
    return out


def _crown_warned(court_list: CourtList) -> dict[str, Any]:
    fixed = [h for s in court_list.sittings for h in s.hearings]
    court: dict[str, Any] = {"CourtHouse": _court_house(court_list)}
    if fixed:
        court["WithFixedDate"] = _warned_groups(fixed, fixed=True)
    if court_list.unfixed_hearings:
        court["WithoutFixedDate"] = _warned_groups(list(court_list.unfixed_hearings), fixed=False)
    return {"WarnedList": {**_header(court_list), "CourtLists": [court]}}


RENDERERS = {
    ListFormat.MAGISTRATES_PUBLIC: _magistrates,
    ListFormat.MAGISTRATES_STANDARD: _magistrates,
    ListFormat.CROWN_DAILY: _crown_daily,
    ListFormat.CROWN_FIRM: _crown_firm,
    ListFormat.CROWN_WARNED: _crown_warned,
}
