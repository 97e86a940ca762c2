"""Results for the police: the SPI `ResultedCaseMessage` (Libra schema 0.6g, Flow ResultedCasesForThePolice,
`CPP-StdProsPoliceResult-v1-2.xsd`), as Common Platform sends it to the police national computer's gateway
(Bichard 7) through the CJSE. Formatting only: nothing here sends or stores anything.

Two steps, as in Common Platform:

1. `police_result_event(hearing=, defendant=)` reads one defendant's current shared results at a hearing
   from our records and returns a dict in the shape of Common Platform's `public.results.police-result-generated`
   event (the results context's "police result generated").
2. `police_result_xml(event)` renders that dict as the `ResultedCaseMessage`, element for element as Common
   Platform's staging-prosecutors-spi `ResultConverter` (CourtSession, CourtHearingSession, CourtCase,
   CourtDefendant, CourtIndividual, CourtOffence, CourtResult, CommonMethods) does. Its golden pairs
   (`public.results.police-result-generated*.json` → `mockFiles/expectedResultedCaseMessage*.xml`) are reproduced
   by the tests.

`police_result_route_data` and `police_result_submit_request` wrap the message in the CJSE `RouteData` and the
SOAP `SubmitRequestMes` as Common Platform does (`expectedSpiOutOiPayload*.xml`, `expectedSPIOutPayload.xml`);
`police_result_validate` checks any of the three against the published XSDs.

Where our records differ from what the message wants, the choice made is said where it is made; the
Bichard 7 checks that catch what is still wrong are in `courts.distribution.bichard_checks`.
"""

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import xmlschema
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from courts.cases.spi import XSD_DIR

NS_LIBRA = "http://www.dca.gov.uk/xmlschemas/libra"
NS_BS7666 = "http://www.govtalk.gov.uk/people/bs7666"
NS_OPERATIONS = "http://schemas.cjse.gov.uk/common/operations"
NS_ENTITIES = "http://schemas.cjse.gov.uk/common/businessentities"
NS_BUSINESS_TYPES = "http://schemas.cjse.gov.uk/common/businesstypes"
NS_ENDPOINT = "http://schemas.cjse.gov.uk/endpoint/types/"
NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"

RESULT_XSD = "CPP-StdProsPoliceResult-v1-2.xsd"
OPERATIONS_XSD = "cjseOperations.xsd"
MESSAGE_LAYER_XSD = "MessageLayer.xsd"

# Common Platform's system on the CJSE, and the CJSE itself (`expectedSPIOutPayload.xml`).
CP_SYSTEM_ID = "C00CommonPlatform"
CJSE_SYSTEM_ID = "Z00CJSE"
DATA_STREAM_TYPE = "SPIResults"

# The limits Common Platform cuts text to (CourtResult, CourtIndividual, CommonMethods.subStringToLimit35).
RESULT_TEXT_MAX = 2500
NEXT_HEARING_REASON_MAX = 80
NAME_MAX = 35
# A duration longer than this is sent as a start and end date instead (CourtResult.DURATION_LIMIT).
DURATION_LIMIT = 999
NOT_APPLICABLE = "A"  # bail status "not applicable"
NO_PLEA_TAKEN = 3

# Plea value → SPI plea status code: Common Platform's plea-type reference data (`pleaStatusCode`, in
# staging-prosecutors-spi mockFiles/referencedata.query.plea-types.json); NO_PLEA is ours ("no plea taken").
PLEA_STATUS_CODES = {
    "GUILTY": 1, "INDICATED_GUILTY": 1, "ADMITS_BREACH": 1, "NOT_GUILTY": 2, "UNFIT_TO_PLEAD": 3,
    "AUTREFOIS_ACQUIT": 3, "AUTREFOIS_CONVICT": 3, "GUILTY_SINGLE_JUSTICE_PROCEDURE": 6, "CONSENTS": 7,
    "NO_PLEA": NO_PLEA_TAKEN,
}
GENDER_CODES = {"NOT_KNOWN": 0, "MALE": 1, "FEMALE": 2, "NOT_SPECIFIED": 9}  # GenderType; anything else is 9
VEHICLE_CODES = {"LARGE_GOODS_VEHICLE": "L", "PASSENGER_CARRYING_VEHICLE": "L", "OTHER": "O"}

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})")


# --- Schemas ---------------------------------------------------------------------------------------------

@functools.cache
def _schema(filename: str) -> xmlschema.XMLSchema:
    path = Path(settings.REFERENCE_DIR) / XSD_DIR / filename
    if not path.exists():
        raise ImproperlyConfigured(f"The SPI schema {path} is missing: set COURTS_REFERENCE_DIR")
    return xmlschema.XMLSchema(str(path), allow="local", defuse="always")


def police_result_validate(xml: bytes) -> list[str]:
    """Schema errors of a ResultedCaseMessage, a RouteData carrying one, or a SOAP SubmitRequestMes (each
    layer against its own XSD; the message inside a wrapper is checked too). Empty when valid."""
    root = safe_fromstring(xml, forbid_dtd=True)
    tag = _local(root.tag)
    if tag == "Envelope":
        request = root.find(f"{{{NS_SOAP}}}Body/{{{NS_ENDPOINT}}}SubmitRequestMes")
        if request is None:
            return ["Envelope: no SubmitRequestMes in the SOAP body"]
        errors = _errors(MESSAGE_LAYER_XSD, request)
        inner = request.findtext(f"{{{NS_ENDPOINT}}}Message") or ""
        return errors + police_result_validate(inner.encode("utf-8")) if inner.strip() else errors
    if tag == "RouteData":
        errors = _errors(OPERATIONS_XSD, root)
        inner = root.findtext(f"{{{NS_OPERATIONS}}}DataStream/{{{NS_ENTITIES}}}DataStreamContent") or ""
        return errors + police_result_validate(inner.encode("utf-8")) if inner.strip() else errors
    if tag == "ResultedCaseMessage":
        return _errors(RESULT_XSD, root)
    return [f"{tag}: not a police results message"]


def _errors(filename: str, element: ET.Element) -> list[str]:
    return [f"{_local(_error_tag(e))}: {e.reason or e.message}" for e in _schema(filename).iter_errors(element)]


def _error_tag(error: Any) -> str:
    elem = getattr(error, "elem", None)
    return elem.tag if elem is not None and hasattr(elem, "tag") else "?"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "?"


# --- Rendering -------------------------------------------------------------------------------------------

def police_result_xml(event: Mapping[str, Any], *, offence_locations: Mapping[str, str] | None = None) -> bytes:
    """The `ResultedCaseMessage` for one defendant, from a dict shaped like Common Platform's
    police-result-generated event. `offence_locations` (offence id → location) is what Common Platform looks
    up in the prosecution case file; an offence's own `offenceLocation` is used when it is not given."""
    # The default namespace and the bs7666 prefix as Common Platform's JAXB marshaller writes them (the
    # prefix is declared though nothing uses it); children are unqualified tags under the default namespace.
    root = ET.Element("ResultedCaseMessage", {
        "Flow": "ResultedCasesForThePolice", "Interface": "LibraStandardProsecutorPolice", "SchemaVersion": "0.6g",
        "xmlns": NS_LIBRA, "xmlns:ns2": NS_BS7666,
    })
    session = _sub(root, "Session")
    court = event.get("courtCentreWithLJA") or {}
    psa_code = court.get("psaCode")
    court_hearing = _sub(session, "CourtHearing")
    hearing = _sub(court_hearing, "Hearing")
    _sub(hearing, "CourtHearingLocation", court.get("courtHearingLocation"))
    days = event.get("sessionDays") or []
    hearing_date = None
    if days:
        hearing_date, time = _date_and_time(days[0].get("sittingDay"))
        _sub(hearing, "DateOfHearing", hearing_date)
        _sub(hearing, "TimeOfHearing", time)
    _sub(court_hearing, "PSAcode", _psa(psa_code))
    case = _sub(session, "Case")
    _sub(case, "PTIURN", event.get("urn"))
    _defendant(_sub(case, "Defendant"), event.get("defendant") or {}, psa_code=psa_code, hearing_date=hearing_date,
               locations=offence_locations or {})
    return _document(root)


def _document(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode").encode("utf-8")


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _opt(parent: ET.Element, tag: str, text: Any) -> None:
    """An optional element, left out when there is nothing to say (an empty one would break its type)."""
    if text is not None and str(text).strip() != "":
        _sub(parent, tag, text)


def _psa(value: Any) -> str | None:
    return f"{int(value):04d}" if value not in (None, "") and str(value).isdigit() else None


def _date(value: Any) -> str | None:
    """An ISO date, from an ISO date (or date-time) or Common Platform's d/M/yyyy."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    if m := ISO_DATE.match(text):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if m := DAY_MONTH_YEAR.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    raise ValueError(f"{value!r} is not a date")


def _date_and_time(value: Any) -> tuple[str | None, str | None]:
    """Date and wall-clock time as written: Common Platform drops the zone and the milliseconds
    (CommonMethods.getXmlGregorianCalendar), so 2020-05-26T09:00:00.000Z is 2020-05-26 at 09:00:00."""
    m = DATE_TIME.match(str(value or ""))
    if not m:
        return _date(value), None
    return m[1], m[2]


def _cut(value: Any, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


def _defendant(element: ET.Element, defendant: Mapping[str, Any], *, psa_code: Any, hearing_date: str | None,
               locations: Mapping[str, str]) -> None:
    _sub(element, "ProsecutorReference", defendant.get("prosecutorReference"))
    individual = defendant.get("individualDefendant")
    corporate = defendant.get("corporateDefendant")
    if individual is not None:
        _individual(_sub(element, "CourtIndividualDefendant"), defendant, individual)
    if corporate is not None:
        _corporate(_sub(element, "CourtCorporateDefendant"), corporate, defendant.get("pncId"))
    for offence in defendant.get("offences") or []:
        # An offence with no results at this hearing is not reported (CourtDefendant).
        if offence.get("judicialResults"):
            _offence(_sub(element, "Offence"), offence, psa_code=psa_code, hearing_date=hearing_date,
                     locations=locations)


def _individual(element: ET.Element, defendant: Mapping[str, Any], individual: Mapping[str, Any]) -> None:
    person = individual.get("person") or {}
    person_defendant = _sub(element, "PersonDefendant")
    _person_details(_sub(person_defendant, "BasePersonDetails"), person)
    _opt(person_defendant, "PNCidentifier", defendant.get("pncId"))
    conditions = individual.get("bailConditions")
    if conditions is not None:
        # Without the trailing separator Common Platform joins conditions with. Common Platform also cuts them to
        # the field's 2,500 characters; we do not, so that conditions the police would not receive are a
        # defect caught before sending (HO100219 in bichard_checks), not a silent loss.
        _sub(person_defendant, "BailConditions", conditions[:-1] if conditions.endswith(";") else conditions)
    status = individual.get("bailStatus")
    _sub(element, "BailStatus", (status or {}).get("code") or NOT_APPLICABLE)
    _address(_sub(element, "Address"), person.get("address") or {})
    _sub(element, "PresentAtHearing", individual.get("presentAtHearing"))
    if individual.get("reasonForBailConditionsOrCustody") is not None:
        _sub(element, "ReasonForBailConditionsOrCustody", individual["reasonForBailConditionsOrCustody"])
    guardian = next((a for a in defendant.get("associatedPerson") or []
                     if str(a.get("role", "")).lower() == "parentguardian"), None)
    if guardian is not None:
        details = _sub(element, "ParentGuardianDetails")
        _person_details(_sub(details, "BasePersonDetails"), guardian.get("person") or {})
        _address(_sub(details, "Address"), (guardian.get("person") or {}).get("address") or {})


def _person_details(element: ET.Element, person: Mapping[str, Any]) -> None:
    name = _sub(element, "PersonName")
    _opt(name, "PersonTitle", person.get("title"))
    _opt(name, "PersonGivenName1", _cut(person.get("firstName"), NAME_MAX))
    _opt(name, "PersonGivenName2", _cut(person.get("middleName"), NAME_MAX))
    _sub(name, "PersonFamilyName", _cut(person.get("lastName"), NAME_MAX))
    contact = person.get("contact") or {}
    if any(contact.get(k) for k in ("work", "home", "mobile")):
        phones = _sub(element, "TelephoneDetails")
        _opt(phones, "TelephoneNumberBusiness", contact.get("work"))
        _opt(phones, "TelephoneNumberHome", contact.get("home"))
        _opt(phones, "TelephoneNumberMobile", contact.get("mobile"))
    _emails(element, contact)
    _opt(element, "Birthdate", _date(person.get("dateOfBirth")))
    _sub(element, "Gender", GENDER_CODES.get(str(person.get("gender") or ""), 9))


def _emails(element: ET.Element, contact: Mapping[str, Any]) -> None:
    primary, secondary = (contact.get("primaryEmail") or "").strip(), (contact.get("secondaryEmail") or "").strip()
    if not primary and not secondary:
        return
    emails = _sub(element, "EmailDetails")
    # A secondary address alone is sent as the first (CommonMethods.buildBaseEmailDetailsStructure).
    _sub(emails, "EmailAddress1", primary or secondary)
    if primary:
        _opt(emails, "EmailAddress2", secondary)


def _address(element: ET.Element, address: Mapping[str, Any]) -> None:
    simple = _sub(element, "SimpleAddress")
    _sub(simple, "AddressLine1", _cut(address.get("address1") or "", NAME_MAX))
    for i in (2, 3, 4):
        _opt(simple, f"AddressLine{i}", _cut((address.get(f"address{i}") or "").strip(), NAME_MAX))
    # The postcode takes the fifth line when there is one (CommonMethods.buildCourtAddressStructure).
    _opt(simple, "AddressLine5", _cut(address.get("postcode") or address.get("address5"), NAME_MAX))


def _corporate(element: ET.Element, organisation: Mapping[str, Any], pnc_id: Any) -> None:
    _sub(_sub(element, "OrganisationName"), "OrganisationName", organisation.get("name"))
    contact = organisation.get("contact") or {}
    _opt(element, "TelephoneNumberBusiness", contact.get("work"))
    _emails(element, contact)
    _opt(element, "PNCidentifier", pnc_id)
    _address(_sub(element, "Address"), organisation.get("address") or {})
    _sub(element, "PresentAtHearing", organisation.get("presentAtHearing"))
    _sub(element, "BailStatus", NOT_APPLICABLE)


def _offence(element: ET.Element, offence: Mapping[str, Any], *, psa_code: Any, hearing_date: str | None,
             locations: Mapping[str, str]) -> None:
    details = _sub(element, "BaseOffenceDetails")
    # Three digits, as Common Platform's OffenceSequenceNumberFormatter prints it.
    _sub(details, "OffenceSequenceNumber", f"{int(offence.get('offenceSequenceNumber') or 0):03d}")
    _sub(details, "OffenceCode", offence.get("offenceCode"))
    _sub(details, "OffenceWording", offence.get("wording"))
    timing = _sub(details, "OffenceTiming")
    _sub(timing, "OffenceDateCode", offence.get("offenceDateCode"))
    _sub(_sub(timing, "OffenceStart"), "OffenceDateStartDate", _date(offence.get("startDate")))
    if offence.get("endDate"):
        _sub(_sub(timing, "OffenceEnd"), "OffenceEndDate", _date(offence["endDate"]))
    _opt(details, "ChargeDate", _date(offence.get("chargeDate")))
    _opt(details, "ArrestDate", _date(offence.get("arrestDate")))
    _opt(details, "LocationOfOffence", locations.get(str(offence.get("id"))) or offence.get("offenceLocation"))
    facts = offence.get("offenceFacts") or {}
    if facts.get("alcoholReadingAmount") is not None:
        alcohol = _sub(details, "AlcoholRelatedOffence")
        _sub(alcohol, "AlcoholLevelAmount", facts["alcoholReadingAmount"])
        _sub(alcohol, "AlcoholLevelMethod", facts.get("alcoholReadingMethodCode"))
    if facts.get("vehicleCode") is not None:
        vehicle = _sub(details, "VehicleRelatedOffence")
        _opt(vehicle, "VehicleCode", VEHICLE_CODES.get(facts["vehicleCode"]))
        _opt(vehicle, "VehicleRegistrationMark", facts.get("vehicleRegistration"))
    # Common Platform sends the offence start date as the date proceedings were initiated.
    _sub(element, "InitiatedDate", _date(offence.get("startDate")))
    _sub(element, "Plea", _plea(offence))
    allocation = offence.get("allocationDecision") or {}
    if str(allocation.get("motReasonCode") or "").isdigit():
        _sub(element, "ModeOfTrial", int(allocation["motReasonCode"]))
    _sub(element, "FinalDisposalIndicator", offence.get("finalDisposal"))
    conviction = _date(offence.get("convictionDate"))
    if conviction:
        _sub(element, "ConvictionDate", conviction)
        _opt(element, "ConvictingCourt", _psa(psa_code))
    _opt(element, "Finding", offence.get("finding"))
    for result in offence.get("judicialResults") or []:
        # Results for notices and orders only are not the police's (CourtOffence).
        if result.get("publishedForNows") is True:
            continue
        for structure in _results(result, hearing_date):
            element.append(structure)


def _plea(offence: Mapping[str, Any]) -> int:
    """The plea, else an indicated guilty plea, else "no plea taken" (CourtOffence)."""
    plea = (offence.get("plea") or {}).get("pleaValue")
    indicated = (offence.get("indicatedPlea") or {}).get("indicatedPleaValue")
    value = plea or (indicated if indicated == "INDICATED_GUILTY" else None)
    if not value:
        return NO_PLEA_TAKEN
    if value not in PLEA_STATUS_CODES:
        raise ValueError(f"Plea {value} has no SPI plea status code")
    return PLEA_STATUS_CODES[value] or NO_PLEA_TAKEN


def _results(result: Mapping[str, Any], hearing_date: str | None) -> list[ET.Element]:
    element = ET.Element("Result")
    code = str(result.get("cjsCode") or "").strip()
    if code.isdigit():
        _sub(element, "ResultCode", int(code))
    _sub(element, "ResultText", _cut(result.get("resultText") or "", RESULT_TEXT_MAX))
    for qualifier in _qualifiers(result):
        _sub(element, "ResultCodeQualifier", qualifier)
    _next_hearing(element, result)
    if result.get("judicialResultPrompts") is not None:
        _outcome(element, result, hearing_date)
    structures = [element]
    # Each secondary CJS code is sent as a result of its own (CourtResult).
    for secondary in result.get("secondaryCJSCodes") or []:
        if str(secondary.get("cjsCode") or "").isdigit():
            extra = ET.Element("Result")
            _sub(extra, "ResultCode", int(secondary["cjsCode"]))
            _sub(extra, "ResultText", _cut(secondary.get("text") or "", RESULT_TEXT_MAX))
            structures.append(extra)
    return structures


def _qualifiers(result: Mapping[str, Any]) -> list[str]:
    """Up to four result qualifiers; a yes/no prompt answered no takes its qualifier away (populateMarker)."""
    qualifier = result.get("qualifier")
    if qualifier is None:
        return []
    unset = {p.get("qualifier") for p in result.get("judicialResultPrompts") or []
             if p and p.get("qualifier") and p.get("type") == "BOOLEAN"
             and str(p.get("value", "")).upper() in ("FALSE", "NO")}
    codes = [q for q in str(qualifier).split(",") if q not in unset]
    return [q for q in codes if q][:4]


def _next_hearing(element: ET.Element, result: Mapping[str, Any]) -> None:
    nxt = result.get("nextHearing") or {}
    centre = nxt.get("courtCentre")
    if not centre or not nxt.get("listedStartDateTime"):
        return
    next_hearing = _sub(element, "NextHearing")
    details = _sub(next_hearing, "NextHearingDetails")
    _sub(details, "CourtHearingLocation", centre.get("courtHearingLocation"))
    date, time = _date_and_time(nxt["listedStartDateTime"])
    _sub(details, "DateOfHearing", date)
    _sub(details, "TimeOfHearing", time)
    if nxt.get("adjournmentReason"):
        _sub(next_hearing, "NextHearingReason", nxt["adjournmentReason"][:NEXT_HEARING_REASON_MAX])
    _opt(next_hearing, "BailStatusOffence", result.get("postHearingCustodyStatus"))


def _outcome(element: ET.Element, result: Mapping[str, Any], hearing_date: str | None) -> None:
    prompts = [p for p in result.get("judicialResultPrompts") or [] if p]
    points = next((p["totalPenaltyPoints"] for p in prompts if p.get("totalPenaltyPoints") is not None), None)
    amount = next((p.get("value") for p in prompts
                   if p.get("isFinancialImposition") is True and str(p.get("value") or "").strip()), None)
    duration = result.get("durationElement")
    if points is None and amount is None and duration is None:
        return
    outcome = _sub(element, "Outcome")
    if points is not None:
        _sub(outcome, "PenaltyPoints", int(Decimal(str(points))))
    if amount is not None:
        try:
            _sub(outcome, "ResultAmountSterling", format_amount(amount))
        except ValueError:
            # Sent as written: the schema check and Bichard's HO100243 then stop the message, not the share.
            _sub(outcome, "ResultAmountSterling", str(amount).strip())
    if duration is not None:
        _duration(_sub(outcome, "Duration"), duration, hearing_date)


def format_amount(value: Any) -> str:
    """Pounds to two places, cut not rounded, and a positive amount signed, as Common Platform prints a
    BigDecimal (BigDecimalFormatter): "£85" is "+85.00"."""
    text = str(value).strip().removeprefix("£").replace(",", "")
    try:
        amount = Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    except InvalidOperation as error:
        raise ValueError(f"{value!r} is not an amount of money") from error
    return f"+{amount}" if amount > 0 else str(amount)


def _duration(element: ET.Element, duration: Mapping[str, Any], hearing_date: str | None) -> None:
    primary, secondary = duration.get("primaryDurationValue"), duration.get("secondaryDurationValue")
    if duration.get("primaryDurationUnit") and primary is not None and int(primary) <= DURATION_LIMIT:
        _sub(element, "DurationValue", int(primary))
        _sub(element, "DurationUnit", duration["primaryDurationUnit"])
    if duration.get("secondaryDurationUnit") and secondary is not None and int(secondary) <= DURATION_LIMIT:
        _sub(element, "SecondaryDurationValue", int(secondary))
        _sub(element, "SecondaryDurationUnit", duration["secondaryDurationUnit"])
    if duration.get("durationStartDate"):
        _sub(element, "DurationStartDate", _date(duration["durationStartDate"]))
    # A duration too long for the field is sent as dates from the hearing; Common Platform counts the value
    # as days whatever its unit (CourtResult.getEndDate), and so do we, to send what it sends.
    long_value = next((int(v) for v in (primary, secondary) if v is not None and int(v) > DURATION_LIMIT), None)
    if long_value is not None and hearing_date:
        start = dt.date.fromisoformat(hearing_date)
        _sub(element, "DurationStartDate", start.isoformat())
        _sub(element, "DurationEndDate", (start + dt.timedelta(days=long_value)).isoformat())
    elif duration.get("durationEndDate"):
        _sub(element, "DurationEndDate", _date(duration["durationEndDate"]))


# --- The CJSE envelope ---------------------------------------------------------------------------------

def police_result_route_data(message: bytes, *, correlation_id: str, destination_system: str,
                             source_system: str = CP_SYSTEM_ID, organisational_unit_id: str = "",
                             data_controller: str = "") -> bytes:
    """The CJSE `RouteData` carrying a ResultedCaseMessage to the police system that sent the case, as in
    Common Platform's `expectedSpiOutOiPayload*.xml`. The correlation id is also the data stream's id."""
    root = ET.Element("RouteData", {"VersionNumber": "1.0", "RequestResponse": "Request", "xmlns": NS_OPERATIONS,
                                    "xmlns:ns2": NS_ENTITIES, "xmlns:ns3": NS_BUSINESS_TYPES})
    request = _sub(root, "RequestFromSystem")
    request.set("VersionNumber", "1.0")
    _sub(request, "CorrelationID", correlation_id)
    _sub(request, "SystemID", source_system)
    _opt(request, "OrganizationalUnitID", organisational_unit_id)
    _opt(request, "DataController", data_controller)
    stream = _sub(root, "DataStream")
    stream.set("VersionNumber", "1.0")
    _sub(stream, "ns2:System", source_system)
    _sub(stream, "ns2:DataStreamType", DATA_STREAM_TYPE)
    _sub(stream, "ns2:SystemDataStreamID", correlation_id)
    _sub(stream, "ns2:ContentType", "text/xml")
    _sub(stream, "ns2:DataStreamContent", _without_declaration(message))
    routes = _sub(root, "Routes")
    routes.set("VersionNumber", "1.0")
    route = _sub(routes, "Route")
    route.set("VersionNumber", "1.0")
    _sub(route, "RouteID", "1")
    _sub(route, "RouteSourceSystem", source_system)
    _sub(route, "RouteDestinationSystem", destination_system)
    return _document(root)


def police_result_submit_request(route_data: bytes, *, request_id: str, timestamp: dt.datetime,
                                 source_id: str = CP_SYSTEM_ID, destination_id: str = CJSE_SYSTEM_ID) -> bytes:
    """The SOAP `SubmitRequestMes` to the CJSE carrying a RouteData (`expectedSPIOutPayload.xml`)."""
    if timestamp.tzinfo is None:
        raise ValueError("The timestamp must be an aware datetime")
    envelope = ET.Element("soap:Envelope", {"xmlns:soap": NS_SOAP})
    request = _sub(_sub(envelope, "soap:Body"), "SubmitRequestMes")
    request.set("xmlns", NS_ENDPOINT)
    _sub(request, "RequestID", request_id)
    _sub(request, "SourceID", source_id)
    _sub(request, "DestinationID", destination_id)
    _sub(request, "ExecMode", "ASYNCH")
    stamp = timestamp.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    _sub(request, "Timestamp", stamp)
    _sub(request, "Message", route_data.decode("utf-8"))
    return _document(envelope)


def _without_declaration(xml: bytes) -> str:
    return re.sub(r"\A<\?xml[^>]*\?>\s*", "", xml.decode("utf-8"))


# --- From our records ------------------------------------------------------------------------------------

CATEGORIES = {"F": "FINAL", "I": "INTERMEDIARY", "A": "ANCILLARY"}
MODES_OF_TRIAL = {"SUMMARY": "Summary", "EITHER_WAY": "Either Way", "INDICTABLE": "Indictable"}
# Allocation decision → SPI mode-of-trial reason (Bichard 7 standing data mode-of-trial-reason.json): 3 the
# defendant consents to (elects) summary trial, 4 the defendant elects trial by jury. A court's direction to
# the Crown Court has no SPI code Bichard knows, so none is sent (ModeOfTrial is optional).
MOT_REASONS = {"SUMMARY_TRIAL": ("3", "Defendant Elects Summary Trial"),
               "ELECTED_CROWN": ("4", "Defendant Elects Trial by Jury")}
VERDICT_FINDINGS = {"GUILTY": "G", "NOT_GUILTY": "N"}  # SPI verdict codes (Bichard 7 verdict.json)
ATTENDANCE = {"PRESENT": ("Y", "IN_PERSON"), "VIDEO": ("Y", "BY_VIDEO"), "EXCUSED": ("A", "NOT_PRESENT"),
              "ABSENT": ("N", "NOT_PRESENT")}
DURATION_UNITS = {"years": "Y", "months": "M", "weeks": "W", "days": "D", "hours": "H", "sessions": "S"}
BAIL_CONDITION_GROUPS = ("Bail conditions", "Pre-release bail conditions")
NEXT_HEARING_GROUP = "Next hearing"
ADJOURNMENT_REASON_GROUP = "Adjournment reasons"
BAIL_STATUSES = {"U", "B", "P", "C", "L", "S", "A"}
DURATION_VALUE = re.compile(r"^\s*(\d+)\s+([A-Za-z]+)\s*$")


def police_result_event(*, hearing, defendant) -> dict[str, Any]:
    """One defendant's current shared results at a hearing, in the shape of Common Platform's
    police-result-generated event. Raises ValueError when nothing has been shared for them."""
    from courts.cases.models import Defendant
    from courts.hearings.models import DefendantResulting, JudicialResult

    # As the record stands now: the caller's instance may predate the share.
    defendant = Defendant.objects.select_related("case").get(pk=defendant.pk)
    results = list(JudicialResult.objects.filter(hearing=hearing, defendant=defendant, is_current=True)
                   .select_related("definition").order_by("rank", "short_code", "id"))
    if not results:
        raise ValueError(f"No shared results for {defendant.name} at this hearing")
    case = defendant.case
    day = results[0].ordered_on
    hearing_day = _hearing_day(hearing, day)
    centre = hearing_day.sitting.court_centre if hearing_day else hearing.court_centre
    start = hearing_day.start_time if hearing_day else (centre.default_start_time or dt.time(10, 0))
    resulting = DefendantResulting.objects.filter(hearing=hearing, defendant=defendant).first()
    next_hearings = _next_hearings(resulting.next_hearing_links if resulting else [], results)
    remand_status = _bail_status(defendant)
    converted = {r.id: _judicial_result(r) for r in results}
    defendant_results = [converted[r.id] for r in results if r.offence_id is None]
    ours = list(defendant.offences.order_by("sequence"))
    offences = [_offence_details(o, [converted[r.id] for r in results if r.offence_id == o.id]) for o in ours]
    _move_defendant_results(offences, defendant_results)
    for offence, details in zip(ours, offences, strict=True):
        own = [r for r in results if r.offence_id == offence.id]
        nxt = _next_hearing_for(own, results, next_hearings)
        reason = _adjournment_reason([r for r in results if r.offence_id in (offence.id, None)])
        for result in details["judicialResults"]:
            if nxt and _is_adjournment(result):
                result["nextHearing"] = {**nxt, "adjournmentReason": reason}
    return {
        "caseId": str(case.id),
        "id": str(hearing.id),
        "urn": case.urn,
        "courtCentreWithLJA": {
            "courtCentre": {"id": str(centre.id), "name": centre.name, "code": centre.ou_code,
                            "address": _address_dict(centre.address_lines, centre.postcode)},
            "courtHearingLocation": centre.ou_code,
            "psaCode": int(centre.lja) if centre.lja.isdigit() else None,
        },
        "sessionDays": [{"sittingDay": _local_iso(day, start),
                         "listedDurationMinutes": hearing_day.duration_minutes if hearing_day else None,
                         "listingSequence": hearing_day.list_order if hearing_day else None}],
        "defendant": _case_defendant(hearing, defendant, day, results, offences, defendant_results, remand_status),
    }


def _hearing_day(hearing, day: dt.date):
    days = list(hearing.hearing_days.select_related("sitting__court_centre").order_by("date", "list_order"))
    return next((d for d in days if d.date == day), days[0] if days else None)


def _local_iso(day: dt.date, time: dt.time) -> str:
    """A court's wall-clock date and time with its London offset: the message carries the time as written."""
    from courts.common.clock import LONDON

    return dt.datetime.combine(day, time, tzinfo=LONDON).isoformat(timespec="milliseconds")


def _address_dict(lines: list[str], postcode: str) -> dict[str, str]:
    lines = [str(line).strip() for line in lines or [] if str(line).strip()]
    address = {f"address{i + 1}": line for i, line in enumerate(lines[:3])}
    if len(lines) > 3:
        # Only four lines and the postcode fit; further lines go on the fourth.
        address["address4"] = ", ".join(lines[3:])
    if postcode:
        address["postcode"] = postcode
    return address


def _bail_status(defendant) -> str:
    """The defendant's remand status after the hearing: the decision this share recorded, the latest one
    still in force, or "not applicable" once proceedings are concluded."""
    from courts.custody.selectors import remand_current

    if defendant.proceedings_concluded:
        return NOT_APPLICABLE
    remand = remand_current(defendant=defendant)
    if remand is not None:
        return remand.status
    status = (defendant.bail_status or "").upper()
    return status if status in BAIL_STATUSES else NOT_APPLICABLE


def _case_defendant(hearing, defendant, day: dt.date, results: list, offences: list[dict],
                    defendant_results: list[dict], status: str) -> dict[str, Any]:
    from courts.hearings.models import Attendance
    from courts.reference.models import BailStatus

    attendance = Attendance.objects.filter(hearing=hearing, defendant=defendant, date=day).first()
    # Not recorded as attending is "not present": the message has no "not known".
    present, attendance_type = ATTENDANCE.get(attendance.status if attendance else "", ("N", None))
    details: dict[str, Any] = {
        "defendantId": str(defendant.id),
        "prosecutorReference": defendant.asn or defendant.prosecutor_reference,
        "attendanceDays": [{"day": day.isoformat(), "attendanceType": attendance_type}] if attendance_type else [],
        "associatedPerson": [],
        "judicialResults": defendant_results,
        "offences": offences,
    }
    if defendant.pnc_id:
        # SPI carries the PNC ID without its slash: 2004/0046583U is 20040046583U.
        details["pncId"] = defendant.pnc_id.replace("/", "")
    address = _address_dict(defendant.address_lines, defendant.postcode)
    if defendant.kind == "organisation":
        details["corporateDefendant"] = {"name": defendant.organisation_name, "address": address,
                                         "presentAtHearing": present}
        return details
    bail = BailStatus.objects.filter(code=status).first()
    individual: dict[str, Any] = {
        "person": {k: v for k, v in {
            "title": defendant.title, "firstName": defendant.first_name, "middleName": defendant.middle_name,
            "lastName": defendant.last_name, "gender": defendant.gender, "address": address,
            "dateOfBirth": defendant.date_of_birth.isoformat() if defendant.date_of_birth else None,
        }.items() if v},
        "bailStatus": {"code": status, "description": bail.description if bail else ""},
        "presentAtHearing": present,
    }
    conditions = _bail_conditions(results, defendant, status)
    if conditions:
        individual["bailConditions"] = conditions
    reasons = _bail_reasons(results) or (defendant.custody_reasons if status != NOT_APPLICABLE else "")
    if reasons:
        individual["reasonForBailConditionsOrCustody"] = reasons
    details["individualDefendant"] = individual
    return details


def _bail_conditions(results: list, defendant, status: str) -> str:
    """Conditions imposed at this hearing, each as its result text, separated by semicolons (Bichard 7 splits
    them there); with none imposed, the conditions the defendant was already on while still on conditional bail."""
    imposed = [_text_of(r.label, r.prompts) for r in results
               if (r.definition.definition.get("resultDefinitionGroup") or "") in BAIL_CONDITION_GROUPS]
    if imposed:
        return ";".join(" ".join(text.split("\n")) for text in imposed)
    return defendant.bail_conditions if status in ("B", "P") else ""


def _bail_reasons(results: list) -> str:
    values: list[str] = []
    for label in ("bail exception reason", "bail exception"):
        for r in results:
            for p in r.prompts:
                if str(p.get("label", "")).lower() == label and p.get("value") and p["value"] not in values:
                    values.append(p["value"])
        if values:
            break
    return ", ".join(values)


def _offence_details(offence, results: list[dict]) -> dict[str, Any]:
    details: dict[str, Any] = {
        "id": str(offence.id),
        "offenceSequenceNumber": offence.sequence,
        "offenceCode": offence.cjs_code,
        "wording": offence.wording,
        "startDate": offence.start_date.isoformat(),
        # The CJS date code as the police gave it; else "on or in" a day, or "between" two.
        "offenceDateCode": offence.date_code or (4 if offence.end_date else 1),
        "modeOfTrial": MODES_OF_TRIAL.get(offence.mode_of_trial, offence.mode_of_trial),
        "finalDisposal": "Y" if offence.disposed_on or offence.status == "WITHDRAWN" else "N",
        "judicialResults": results,
    }
    optional = {
        "endDate": offence.end_date and offence.end_date.isoformat(),
        "chargeDate": offence.charge_date and offence.charge_date.isoformat(),
        "convictionDate": offence.conviction_date and offence.conviction_date.isoformat(),
        "finding": VERDICT_FINDINGS.get(offence.verdict),
        "offenceLocation": offence.location,
    }
    details.update({k: v for k, v in optional.items() if v})
    if offence.plea:
        details["plea"] = {"offenceId": str(offence.id), "pleaValue": offence.plea,
                           "pleaDate": offence.plea_date and offence.plea_date.isoformat()}
    if offence.indicated_plea:
        details["indicatedPlea"] = {"offenceId": str(offence.id), "indicatedPleaValue": offence.indicated_plea}
    if offence.allocation_decision in MOT_REASONS:
        code, description = MOT_REASONS[offence.allocation_decision]
        details["allocationDecision"] = {
            "offenceId": str(offence.id), "motReasonCode": code, "motReasonDescription": description,
            "allocationDecisionDate": offence.allocation_date and offence.allocation_date.isoformat()}
    return details


def _prompt_definitions(definition: Mapping[str, Any], prompt_id: str) -> list[dict[str, Any]]:
    return [p for p in definition.get("prompts") or [] if p.get("id") == prompt_id]


def _judicial_result(result) -> dict[str, Any]:
    definition = result.definition.definition or {}
    prompts = []
    qualifiers = [q for q in str(definition.get("qualifier") or "").split(",") if q]
    durations: list[tuple[int, int, str]] = []
    for p in result.prompts:
        specs = _prompt_definitions(definition, p.get("prompt_id", ""))
        spec = specs[0] if specs else {}
        value = str(p.get("value") or "")
        kind = p.get("type") or spec.get("type") or ""
        prompt: dict[str, Any] = {
            "judicialResultPromptTypeId": p.get("prompt_id"), "label": p.get("label"),
            "promptReference": p.get("reference") or spec.get("reference") or "",
            "type": kind, "value": _prompt_value(kind, value),
            "isFinancialImposition": spec.get("financial") == "Y",
        }
        if spec.get("qual") and _answered(kind, value):
            prompt["qualifier"] = spec["qual"]
            qualifiers.append(spec["qual"])
        if "penalty points" in str(p.get("label", "")).lower() and value.strip().isdigit():
            prompt["totalPenaltyPoints"] = int(value)
        prompts.append(prompt)
        m = DURATION_VALUE.match(value)
        reference = (p.get("reference") or spec.get("reference") or "").upper()
        if m and kind == "INT" and any(s.get("duration") for s in specs) and reference != "HEST":
            unit = DURATION_UNITS.get(m[2].lower())
            if unit:
                sequence = next((int(s["durationSequence"]) for s in specs if s.get("durationSequence")), 1)
                durations.append((sequence, int(m[1]), unit))
    group = definition.get("resultDefinitionGroup") or ""
    converted: dict[str, Any] = {
        "judicialResultId": str(result.id),
        "judicialResultTypeId": str(result.definition_id),
        "label": result.label,
        "cjsCode": result.cjs_code or None,
        "category": CATEGORIES.get(result.category, result.category),
        "level": result.level,
        "rank": result.rank,
        "isAdjournmentResult": definition.get("adjournment") == "Y",
        "isConvictedResult": definition.get("convicted") == "Y",
        "isFinancialResult": definition.get("financial") == "Y",
        "terminatesOffenceProceedings": bool(definition.get("terminatesOffenceProceedings")),
        "postHearingCustodyStatus": _custody_status(result, definition),
        "orderedDate": result.ordered_on.isoformat(),
        "lastSharedDateTime": result.shared_at.isoformat(),
        "resultDefinitionGroup": group or None,
        "resultText": _text_of(result.label, result.prompts),
        "judicialResultPrompts": prompts,
        # A result without a CJS code means nothing to the police national computer, and Bichard 7 cannot look
        # one up (HO100307): it is not sent on its own. Next hearings reach the police on the adjournment results
        # (NextHearing) and bail conditions on the defendant (BailConditions), as Common Platform rolls them up.
        "publishedForNows": not result.cjs_code,
    }
    if qualifiers:
        converted["qualifier"] = ",".join(dict.fromkeys(qualifiers))
    if durations:
        durations.sort()
        element: dict[str, Any] = {"primaryDurationValue": durations[0][1], "primaryDurationUnit": durations[0][2]}
        if len(durations) > 1:
            element.update(secondaryDurationValue=durations[1][1], secondaryDurationUnit=durations[1][2])
        converted["durationElement"] = element
    if definition.get("secondaryCJSCodes"):
        converted["secondaryCJSCodes"] = definition["secondaryCJSCodes"]
    return converted


def _answered(kind: str, value: str) -> bool:
    if kind == "BOOLEAN":
        return value.strip().lower() in ("true", "yes", "y")
    return bool(value.strip())


def _prompt_value(kind: str, value: str) -> str:
    """Dates as Common Platform's prompts carry them (dd/MM/yyyy)."""
    if kind == "DATE" and (m := ISO_DATE.match(value)):
        return f"{m[3]}/{m[2]}/{m[1]}"
    return value


def _text_of(label: str, prompts: Iterable[Mapping[str, Any]]) -> str:
    """The result's label, then each answered prompt as "label value", a line each (Common Platform's
    resultText: "Conditional discharge\\nPeriod of conditional discharge 6 Days")."""
    lines = [label]
    for p in prompts:
        if p.get("value") not in (None, ""):
            lines.append(f"{p.get('label')} {_prompt_value(p.get('type') or '', str(p['value']))}")
    return "\n".join(lines)


def _custody_status(result, definition: Mapping[str, Any]) -> str | None:
    answered = next((str(p.get("value", "")).upper() for p in result.prompts
                     if str(p.get("reference", "")).lower() == "remandstatus"), "")
    if answered in BAIL_STATUSES:
        return answered
    return definition.get("postHearingCustodyStatus") or None


def _is_adjournment(result: Mapping[str, Any]) -> bool:
    from courts.distribution.bichard_checks import is_adjournment_code

    return is_adjournment_code(result.get("cjsCode")) or (
        result.get("isAdjournmentResult") is True and bool(result.get("cjsCode")))


def _move_defendant_results(offences: list[dict], defendant_results: list[dict]) -> None:
    """Defendant- and case-level results go on one offence, before its own results: the first whose results
    are not all interim or withdrawn, else the first resulted (Common Platform's
    MoveDefendantJudicialResultsHelper). Results on every offence would be recorded on the PNC once each."""
    if not defendant_results or not offences:
        return

    def settled(result: dict) -> bool:
        return result["category"] != "INTERMEDIARY" and not result["terminatesOffenceProceedings"]

    resulted = [o for o in offences if o["judicialResults"]]
    target = next((o for o in resulted if any(settled(r) for r in o["judicialResults"])),
                  resulted[0] if resulted else offences[0])
    target["judicialResults"] = list(defendant_results) + target["judicialResults"]


def _next_hearings(links: list[dict], results: list) -> list[dict[str, Any]]:
    """The hearings the share listed, as Common Platform's NextHearing: court, date and time (the listed day,
    or for one not yet in a sitting the ordered date at the time the court gave or its usual start)."""
    from courts.listing.models import Hearing

    made = []
    for link in links:
        hearing = (Hearing.objects.select_related("court_centre", "hearing_type")
                   .filter(pk=link.get("hearing_id")).first())
        if hearing is None:
            continue
        day = hearing.hearing_days.order_by("date", "list_order").first()
        ordered = dt.date.fromisoformat(str(link.get("key", "")).split("|")[0])
        date = day.date if day else ordered
        time = day.start_time if day else (_time_prompt(results, ordered) or hearing.court_centre.default_start_time
                                           or dt.time(10, 0))
        centre = hearing.court_centre
        made.append({
            "hearingId": str(hearing.id),
            "orderedDate": ordered.isoformat(),
            "courtCentre": {"id": str(centre.id), "name": centre.name, "courtHearingLocation": centre.ou_code},
            "listedStartDateTime": _local_iso(date, time),
            "estimatedMinutes": hearing.estimate_minutes,
            "jurisdictionType": centre.jurisdiction,
            "type": {"id": str(hearing.hearing_type_id), "description": hearing.hearing_type.description,
                     "code": hearing.hearing_type.code},
        })
    return made


def _time_prompt(results: list, ordered: dt.date) -> dt.time | None:
    for r in results:
        if _nh_date(r) == ordered.isoformat():
            for p in r.prompts:
                if str(p.get("reference", "")).lower() in ("timeofhearing", "htime") and p.get("value"):
                    try:
                        return dt.time.fromisoformat(str(p["value"]))
                    except ValueError:
                        return None
    return None


def _nh_date(result) -> str | None:
    if (result.definition.definition.get("resultDefinitionGroup") or "") != NEXT_HEARING_GROUP:
        return None
    return next((str(p["value"])[:10] for p in result.prompts
                 if str(p.get("reference", "")).upper() == "HDATE" and p.get("value")), None)


def _next_hearing_for(own: list, results: list, next_hearings: list[dict]) -> dict[str, Any] | None:
    """The next hearing an offence was adjourned to: the one its own next-hearing result ordered, else one the
    defendant's next-hearing result ordered, else the only one."""
    for candidates in (own, [r for r in results if r.offence_id is None]):
        for r in candidates:
            date = _nh_date(r)
            match = next((n for n in next_hearings if date and n["orderedDate"] == date), None)
            if match:
                return {k: v for k, v in match.items() if k not in ("hearingId", "orderedDate")}
    if len(next_hearings) == 1:
        return {k: v for k, v in next_hearings[0].items() if k not in ("hearingId", "orderedDate")}
    return None


def _adjournment_reason(results: list) -> str:
    reasons = [r.label.split(":", 1)[-1].strip() for r in results
               if (r.definition.definition.get("resultDefinitionGroup") or "") == ADJOURNMENT_REASON_GROUP]
    return "; ".join(reasons)[:NEXT_HEARING_REASON_MAX]
