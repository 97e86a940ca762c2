"""Police cases sent over the CJSE in the SPI format: a Libra `NewCaseMessage` (Flow
NewCasesFromThePolice, schema 0.6g), bare or wrapped in the CJSE `RouteData` envelope, itself perhaps inside
a `SubmitRequestMes` SOAP request. Each wrapper carries the next document as XML-escaped text.

`spi_parse` checks every layer against the published XSDs and maps the message to a `CaseIntake`; the
shared rules (URN, ASN check character, offence codes, court centre, dates) then run in `case_intake`. Every
error names its place in the message (`NewCaseMessage/Case/Defendant[1]/Offence[2]/...`) and its line in
the body as sent.
"""

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import xmlschema
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from xmlschema.validators import XsdAttribute

from courts.accounts.models import Organisation
from courts.cases.enums import DefendantKind, Gender, IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.services import IntakeOutcome, case_intake, intake_rejection_record
from courts.common.actor import Actor
from courts.common.errors import (
    ApplicationError,
    ErrorCollector,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)

# The largest message the API accepts (DATA_UPLOAD_MAX_MEMORY_SIZE); a 200-defendant case is far smaller.
MAX_MESSAGE_BYTES = 5 * 1024 * 1024
# The schema nests about 12 deep; a deeper document is hostile and would exhaust the validator's recursion.
MAX_DEPTH = 40
MAX_ERRORS = 50

XSD_DIR = "cpp-context-staging-prosecutors-spi/stagingprosecutorsspi-cjse-schema/src/main/resources/xsd"

NS_LIBRA = "http://www.dca.gov.uk/xmlschemas/libra"
NS_BS7666 = "http://www.govtalk.gov.uk/people/bs7666"
NS_OPERATIONS = "http://schemas.cjse.gov.uk/common/operations"
NS_ENTITIES = "http://schemas.cjse.gov.uk/common/businessentities"
NS_ENDPOINT = "http://schemas.cjse.gov.uk/endpoint/types/"
NS_SOAP = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")
NS = {"l": NS_LIBRA, "b": NS_BS7666}

# Outermost first: each layer may only hold a later one.
LAYERS = ("Envelope", "SubmitRequestMes", "RouteData", "NewCaseMessage")
LAYER_NAMESPACES = {"SubmitRequestMes": (NS_ENDPOINT,), "RouteData": (NS_OPERATIONS,), "NewCaseMessage": (NS_LIBRA,),
                    "Envelope": NS_SOAP}
# Elements the schema lets repeat: their paths always carry a position, as the rule errors' paths do.
REPEATING = {"Defendant", "Offence", "OtherPartyVictim", "Alias", "DestinationID", "Route"}

GENDERS = {"0": Gender.NOT_KNOWN, "1": Gender.MALE, "2": Gender.FEMALE, "9": Gender.NOT_SPECIFIED}
ORGANISATION_NAME_MAX = 200  # Defendant.organisation_name; the XSD allows 255

DATE = re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")
TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
XML_DECLARATION = re.compile(r"\A<\?xml[^>]*\?>")
HOUSE_NUMBER = re.compile(r"^\d+[A-Z]?(-\d+[A-Z]?)?$")


# --- Parsing --------------------------------------------------------------------------------------------

class _Element(ET.Element):
    """An element that remembers the line it starts on (ElementTree keeps none)."""

    sourceline: int | None = None


class _TooDeep(Exception):
    pass


class _LineNumberingBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__(element_factory=_Element)
        self.parser: Any = None
        self.depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep
        element = super().start(tag, attrs)
        element.sourceline = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag: str) -> ET.Element:  # type: ignore[override]
        self.depth -= 1
        return super().end(tag)


@dataclass
class _Document:
    """One parsed layer. `first_line` is the line of the whole body on which this document's line 1 falls."""

    root: ET.Element
    first_line: int
    _parents: dict[ET.Element, ET.Element] | None = field(default=None, repr=False)

    def line(self, element: ET.Element | None) -> int | None:
        own = getattr(element, "sourceline", None)
        return self.first_line + own - 1 if own else None

    def path(self, element: ET.Element) -> str:
        if self._parents is None:
            self._parents = {child: parent for parent in self.root.iter() for child in parent}
        steps = []
        current: ET.Element | None = element
        while current is not None:
            step = _local(current.tag)
            parent = self._parents.get(current)
            if parent is not None:
                same = [c for c in parent if c.tag == current.tag]
                if step in REPEATING or len(same) > 1:
                    step += f"[{next(i for i, c in enumerate(same, 1) if c is current)}]"
            steps.append(step)
            current = parent
        return "/".join(reversed(steps))

    def paths(self) -> Iterator[tuple[str, ET.Element]]:
        """Every element with its path, in one pass (`path` scans siblings, so is for a few elements)."""

        def walk(element: ET.Element, path: str) -> Iterator[tuple[str, ET.Element]]:
            yield path, element
            counts = Counter(child.tag for child in element)
            seen: Counter[str] = Counter()
            for child in element:
                seen[child.tag] += 1
                step = _local(child.tag)
                if step in REPEATING or counts[child.tag] > 1:
                    step += f"[{seen[child.tag]}]"
                yield from walk(child, f"{path}/{step}")

        return walk(self.root, _local(self.root.tag))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "?"


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _parse(data: bytes, *, where: str, first_line: int, errors: ErrorCollector) -> _Document | None:
    builder = _LineNumberingBuilder()
    # defusedxml: no DTDs at all, so no entity expansion and no external fetches.
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as error:
        line, column = error.position
        reason = re.sub(r": line \d+, column \d+$", "", str(error))
        errors.add(where, f"Not well-formed XML: {reason} (line {first_line + line - 1}, column {column + 1})",
                   "malformed_xml")
        return None
    except (LookupError, UnicodeError) as error:
        errors.add(where, f"The message's character encoding cannot be read: {error}", "bad_encoding")
        return None
    except DefusedXmlException:
        errors.add(where, "SPI messages may not contain a DTD or entity declarations", "forbidden_xml")
        return None
    except _TooDeep:
        errors.add(where, f"The XML nests deeper than {MAX_DEPTH} elements; no SPI message does", "too_deep")
        return None
    return _Document(root, first_line)


def _embedded(doc: _Document, holder: ET.Element, errors: ErrorCollector) -> _Document | None:
    """The document a wrapper carries as escaped text in `holder`."""
    where = doc.path(holder)
    text = holder.text or ""
    body = text.lstrip()
    if not body:
        errors.add(where, f"{_local(holder.tag)} is empty: it should hold the escaped message", "empty")
        return None
    first_line = (doc.line(holder) or 1) + text[: len(text) - len(body)].count("\n")
    # The text is already decoded, so its declared encoding no longer applies; keep its line breaks.
    body = XML_DECLARATION.sub(lambda m: "\n" * m.group(0).count("\n"), body, count=1)
    return _parse(body.encode("utf-8"), where=where, first_line=first_line, errors=errors)


def _with_line(message: str, doc: _Document, element: ET.Element | None) -> str:
    line = doc.line(element)
    return f"{message} (line {line})" if line else message


# --- Schema validation -----------------------------------------------------------------------------------

@functools.cache
def _schema(filename: str) -> xmlschema.XMLSchema:
    """Compiled once per process: building the CJSE and Libra schemas takes the best part of a second."""
    path = Path(settings.REFERENCE_DIR) / XSD_DIR / filename
    if not path.exists():
        raise ImproperlyConfigured(f"The SPI schema {path} is missing: set COURTS_REFERENCE_DIR")
    # The instance is never asked for schema locations (xsi:schemaLocation is ignored), and the schema's
    # own imports are local files.
    return xmlschema.XMLSchema(str(path), allow="local", defuse="always")


def _schema_for(layer: str) -> xmlschema.XMLSchema:
    # cjseOperations.xsd imports the Libra new-case schema, so one schema serves RouteData and NewCaseMessage.
    return _schema("MessageLayer.xsd" if layer == "SubmitRequestMes" else "cjseOperations.xsd")


def _clean(reason: str) -> str:
    reason = re.sub(r"\{(?:https?|urn|file):[^}]*\}", "", reason)
    return re.sub(r"'\w+:(\w+)'", r"'\1'", reason).strip()


def _validate(doc: _Document, element: ET.Element, layer: str, errors: ErrorCollector) -> None:
    found = 0
    for error in _schema_for(layer).iter_errors(element):
        if found == MAX_ERRORS:
            errors.add(doc.path(element), "More errors were found: fix these and send the message again",
                       "too_many_errors")
            break
        found += 1
        at = error.elem if hasattr(error.elem, "tag") else element
        # The line of the out-of-place child where there is one. `is None`: a childless element is falsy.
        child = getattr(error, "invalid_child", None)
        subject = child if child is not None and hasattr(child, "tag") else at
        where = doc.path(at)
        if isinstance(error.validator, XsdAttribute) and error.validator.name:
            where += f"/@{_local(error.validator.name)}"
        errors.add(where, _with_line(_clean(error.reason or error.message), doc, subject), "schema_invalid")


# --- Unwrapping ------------------------------------------------------------------------------------------

def _new_case_message(data: bytes) -> _Document:
    """The NewCaseMessage document, every layer down to it checked against its schema."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("spi_parse takes the message's bytes")
    if len(data) > MAX_MESSAGE_BYTES:
        raise ValidationFailed("The SPI message is too large", errors=[
            FieldError("body", f"The message is larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB", "too_large")])
    if not data.strip():
        raise ValidationFailed("The SPI message is empty", errors=[
            FieldError("body", "The body is empty: send a police NewCaseMessage", "empty")])
    errors = ErrorCollector()
    doc = _parse(bytes(data), where="body", first_line=1, errors=errors)
    element = doc.root if doc else None
    reached = -1
    while doc is not None and element is not None:
        layer = _local(element.tag)
        namespace = _namespace(element.tag)
        if layer not in LAYERS or LAYERS.index(layer) <= reached or namespace not in LAYER_NAMESPACES[layer]:
            errors.add(doc.path(element), _unexpected(element, reached), "wrong_root")
            break
        reached = LAYERS.index(layer)
        if layer == "Envelope":
            body = next((c for c in element if _local(c.tag) == "Body" and _namespace(c.tag) == namespace), None)
            element = next(iter(body), None) if body is not None else None
            if element is None:
                errors.add(doc.path(body if body is not None else doc.root),
                           "The SOAP body holds no SubmitRequestMes", "missing")
            continue
        _validate(doc, element, layer, errors)
        if layer == "NewCaseMessage":
            errors.raise_if_any("The SPI message does not match the police new-case schema: fix the fields listed")
            return doc
        holder = (element.find(f"{{{NS_ENDPOINT}}}Message") if layer == "SubmitRequestMes"
                  else element.find(f"{{{NS_OPERATIONS}}}DataStream/{{{NS_ENTITIES}}}DataStreamContent"))
        if holder is None:
            break  # the schema error names the missing element
        doc = _embedded(doc, holder, errors)
        element = doc.root if doc else None
    if not errors:
        errors.add("body", "No NewCaseMessage was found", "missing")
    raise ValidationFailed("The SPI message could not be read: fix the fields listed", errors=errors.errors)


def _unexpected(element: ET.Element, reached: int) -> str:
    name, namespace = _local(element.tag), _namespace(element.tag) or "no namespace"
    if name == "NewCaseMessage":
        return f"NewCaseMessage must be in the namespace {NS_LIBRA}, not {namespace}"
    allowed = " or ".join(LAYERS[reached + 1:] if reached >= 0 else ("NewCaseMessage", "RouteData",
                                                                      "SubmitRequestMes"))
    return f"Expected {allowed} here, found {name} ({namespace}); only police new-case messages are accepted"


# --- Mapping ---------------------------------------------------------------------------------------------

def _text(element: ET.Element | None, path: str = "") -> str:
    if element is None:
        return ""
    found = element.find(path, NS) if path else element
    return (found.text or "").strip() if found is not None else ""


def _date(doc: _Document, element: ET.Element | None, errors: ErrorCollector) -> dt.date | None:
    value = _text(element)
    if not value or element is None:
        return None
    # The calendar date as written; a zone on a date changes nothing a court needs.
    m = DATE.match(value)
    try:
        if m is None:
            raise ValueError
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        errors.add(doc.path(element), _with_line(f"{value} is not a date between the years 1 and 9999", doc, element),
                   "invalid_date")
        return None


def _time(doc: _Document, element: ET.Element | None, errors: ErrorCollector) -> dt.time | None:
    value = _text(element)
    if not value or element is None:
        return None
    m = TIME.match(value)
    try:
        if m is None:
            raise ValueError
        # Hearing times are court-local wall-clock times; police systems send "-00:00" whatever the season,
        # so the offset is ignored, as Common Platform ignores it. No list runs to fractions of a second.
        return dt.time(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        errors.add(doc.path(element), _with_line(f"{value} is not a time of day", doc, element), "invalid_time")
        return None


def _addressable_object(raw: str) -> str:
    """A BS7666 SAON or PAON: start number and suffix (5 characters), then optionally end number and suffix
    (5) and a name: '  12A' is 12A, '  12   14 Rose Court' is 12-14 Rose Court."""
    if len(raw) < 5:
        return raw.strip()
    start = raw[0:4].strip() + raw[4].strip()
    end = (raw[5:9].strip() + raw[9:10].strip()) if len(raw) >= 10 else ""
    number = f"{start}-{end}" if start and end else start or end
    return " ".join(p for p in (number, raw[10:].strip()) if p)


def _address(address: ET.Element | None) -> tuple[list[str], str]:
    if address is None:
        return [], ""
    part = lambda name: (address.findtext(f"b:{name}", "", NS) or "")  # noqa: E731
    saon, paon = _addressable_object(part("SAON")), _addressable_object(part("PAON"))
    street = " ".join(part("StreetDescription").split())
    if paon and HOUSE_NUMBER.match(paon) and street:
        # "89 Palace Walk", as it goes on an envelope.
        paon, street = "", f"{paon} {street}"
    lines: list[str] = []
    for line in (saon, paon, street, part("Locality"), part("Town"), part("PostTown"), part("AdministrativeArea")):
        line = " ".join(line.split())
        if line and line.upper() not in (seen.upper() for seen in lines):
            lines.append(line)
    return lines, part("PostCode").strip()


def _case_markers(doc: _Document, case: ET.Element, errors: ErrorCollector) -> list[str]:
    marker = case.find("l:CaseMarker", NS)
    value = _text(marker)
    if marker is None or not value:
        return []
    # Several 2-character marker codes run together ("DVVI" is DV and VI), as Common Platform reads them.
    if len(value) % 2:
        errors.add(doc.path(marker), _with_line("Case markers are 2-character codes written one after another, "
                                                "like DVVI", doc, marker), "invalid_case_marker")
        return []
    return [value[i:i + 2] for i in range(0, len(value), 2)]


def _offence(doc: _Document, offence: ET.Element, path: str, errors: ErrorCollector) -> OffenceIntake:
    details = offence.find("l:BaseOffenceDetails", NS)
    timing = details.find("l:OffenceTiming", NS) if details is not None else None
    date_code = _text(timing, "l:OffenceDateCode")

    def at(relative: str) -> ET.Element | None:
        return details.find(relative, NS) if details is not None else None

    return OffenceIntake(
        cjs_code=_text(details, "l:OffenceCode"),
        wording=_text(details, "l:OffenceWording"),
        start_date=_date(doc, at("l:OffenceTiming/l:OffenceStart/l:OffenceDateStartDate"), errors),
        end_date=_date(doc, at("l:OffenceTiming/l:OffenceEnd/l:OffenceEndDate"), errors),
        charge_date=_date(doc, at("l:ChargeDate"), errors),
        date_code=int(date_code) if date_code.isdigit() else None,
        location=_text(details, "l:LocationOfOffence"),
        path=path,
        field_names={
            "cjs_code": "BaseOffenceDetails/OffenceCode",
            "wording": "BaseOffenceDetails/OffenceWording",
            "start_date": "BaseOffenceDetails/OffenceTiming/OffenceStart/OffenceDateStartDate",
            "end_date": "BaseOffenceDetails/OffenceTiming/OffenceEnd/OffenceEndDate",
            "charge_date": "BaseOffenceDetails/ChargeDate",
            "location": "BaseOffenceDetails/LocationOfOffence",
        },
    )


def _defendant(doc: _Document, defendant: ET.Element, path: str, errors: ErrorCollector) -> DefendantIntake:
    reference = _text(defendant, "l:ProsecutorReference")
    offences = [
        _offence(doc, offence, f"{path}/Offence[{i}]", errors)
        for i, offence in enumerate(defendant.findall("l:Offence", NS), 1)
    ]
    # For the police the prosecutor reference is the Arrest/Summons Number: results go back to the PNC by it.
    common: dict[str, Any] = {"offences": offences, "asn": reference, "prosecutor_reference": reference,
                              "path": path}
    individual = defendant.find("l:PoliceIndividualDefendant", NS)
    if individual is not None:
        person = individual.find("l:PersonDefendant", NS)
        details = person.find("l:BasePersonDetails", NS) if person is not None else None
        name = details.find("l:PersonName", NS) if details is not None else None
        lines, postcode = _address(individual.find("l:Address", NS))
        base = "PoliceIndividualDefendant/PersonDefendant"
        birthdate = details.find("l:Birthdate", NS) if details is not None else None
        middle = " ".join(p for p in (_text(name, "l:PersonGivenName2"), _text(name, "l:PersonGivenName3")) if p)
        return DefendantIntake(
            kind=DefendantKind.PERSON,
            title=_text(name, "l:PersonTitle"),
            first_name=_text(name, "l:PersonGivenName1"),
            middle_name=middle,
            last_name=_text(name, "l:PersonFamilyName"),
            date_of_birth=_date(doc, birthdate, errors),
            gender=GENDERS.get(_text(details, "l:Gender"), Gender.NOT_KNOWN),
            address_lines=lines,
            postcode=postcode,
            pnc_id=_text(person, "l:PNCidentifier"),
            cro_number=_text(individual, "l:CROnumber"),
            bail_status=_text(individual, "l:CustodyStatus").upper(),
            bail_conditions=_text(person, "l:BailConditions"),
            field_names={
                "kind": "PoliceIndividualDefendant",
                "asn": "ProsecutorReference",
                "last_name": f"{base}/BasePersonDetails/PersonName/PersonFamilyName",
                "date_of_birth": f"{base}/BasePersonDetails/Birthdate",
                "pnc_id": f"{base}/PNCidentifier",
                "cro_number": "PoliceIndividualDefendant/CROnumber",
                "bail_status": "PoliceIndividualDefendant/CustodyStatus",
                "bail_conditions": f"{base}/BailConditions",
                "offences": "Offence",
            },
            **common,
        )
    corporate = defendant.find("l:PoliceCorporateDefendant", NS)
    lines, postcode = _address(corporate.find("l:Address", NS) if corporate is not None else None)
    name_element = corporate.find("l:OrganisationName/l:OrganisationName", NS) if corporate is not None else None
    organisation_name = _text(name_element)
    if name_element is not None and len(organisation_name) > ORGANISATION_NAME_MAX:
        message = f"The court record holds organisation names of up to {ORGANISATION_NAME_MAX} characters"
        errors.add(doc.path(name_element), _with_line(message, doc, name_element), "too_long")
    return DefendantIntake(
        kind=DefendantKind.ORGANISATION,
        organisation_name=organisation_name,
        address_lines=lines,
        postcode=postcode,
        pnc_id=_text(corporate, "l:PNCidentifier"),
        cro_number=_text(corporate, "l:CROnumber"),
        field_names={
            "kind": "PoliceCorporateDefendant",
            "asn": "ProsecutorReference",
            "organisation_name": "PoliceCorporateDefendant/OrganisationName/OrganisationName",
            "pnc_id": "PoliceCorporateDefendant/PNCidentifier",
            "cro_number": "PoliceCorporateDefendant/CROnumber",
            "offences": "Offence",
        },
        **common,
    )


def _case(doc: _Document, errors: ErrorCollector) -> CaseIntake:
    case = doc.root.find("l:Case", NS)
    assert case is not None  # the schema requires it
    path = "NewCaseMessage/Case"
    # Either CaseInitiation alone, or InitiationCode with SummonsCode for summons cases.
    initiation_element = "CaseInitiation" if case.find("l:CaseInitiation", NS) is not None else "InitiationCode"
    hearing = case.find("l:InitialHearing", NS)
    elements = case.findall("l:Defendant", NS)
    defendants = [_defendant(doc, element, f"{path}/Defendant[{i}]", errors) for i, element in enumerate(elements, 1)]
    # Common Platform sets aside a message that names one defendant twice; so do we, saying where.
    seen: dict[str, int] = {}
    for i, (element, defendant) in enumerate(zip(elements, defendants, strict=True), 1):
        reference = defendant.prosecutor_reference.upper()
        if reference in seen:
            message = f"Defendant[{seen[reference]}] has the same ProsecutorReference: each defendant needs its own"
            errors.add(f"{defendant.path}/ProsecutorReference",
                       _with_line(message, doc, element.find("l:ProsecutorReference", NS)), "duplicate_defendant")
        seen.setdefault(reference, i)
    return CaseIntake(
        urn=_text(case, "l:PTIURN"),
        initiation_type=_text(case, f"l:{initiation_element}").upper(),
        summons_code=_text(case, "l:SummonsCode").upper(),
        informant=_text(case, "l:Informant"),
        originating_organisation=_text(case, "l:OriginatingOrganisation"),
        cps_organisation=_text(case, "l:CPSorganisation"),
        case_markers=_case_markers(doc, case, errors),
        court_centre_ou_code=_text(hearing, "l:CourtHearingLocation").upper(),
        hearing_date=_date(doc, hearing.find("l:DateOfHearing", NS) if hearing is not None else None, errors),
        hearing_time=_time(doc, hearing.find("l:TimeOfHearing", NS) if hearing is not None else None, errors),
        defendants=defendants,
        path=path,
        field_names={
            "urn": "PTIURN",
            "initiation_type": initiation_element,
            "court_centre_ou_code": "InitialHearing/CourtHearingLocation",
            "hearing_date": "InitialHearing/DateOfHearing",
            "defendants": "Defendant",
        },
    )


def _read(data: bytes) -> tuple[CaseIntake, _Document]:
    doc = _new_case_message(data)
    errors = ErrorCollector()
    intake = _case(doc, errors)
    errors.raise_if_any(f"Case {intake.urn or '(no URN)'} was not created: fix the fields listed")
    return intake, doc


def spi_parse(data: bytes) -> CaseIntake:
    """Read a police SPI new-case message. Raises ValidationFailed naming each schema or mapping error."""
    return _read(data)[0]


def spi_case_intake(*, data: bytes, prosecutor: Organisation, actor: Actor) -> IntakeOutcome:
    """Import one SPI message for `prosecutor`. A URN it already has gains the message's new defendants,
    which is how the police add a co-defendant and how a resent message does no harm. A refused message
    is kept (its URN and errors) for the force's people to fix (`intake_rejection_record`)."""
    urn = ""
    try:
        doc = _new_case_message(data)
        errors = ErrorCollector()
        intake = _case(doc, errors)
        urn = intake.urn
        errors.raise_if_any(f"Case {intake.urn or '(no URN)'} was not created: fix the fields listed")
        try:
            return case_intake(intake=intake, prosecutor=prosecutor, actor=actor, channel=IntakeChannel.SPI,
                               add_to_existing=True, keep_rejection=False)
        except ValidationFailed as failure:
            # The shared rules name XML paths; add the line each one is on, as the schema errors have.
            lines = {path: doc.line(element) for path, element in doc.paths()}
            failure.errors = [
                FieldError(e.field, f"{e.message} (line {lines[e.field]})", e.code) if lines.get(e.field) else e
                for e in failure.errors
            ]
            raise
    except ApplicationError as error:
        if not isinstance(error, PermissionDenied):
            intake_rejection_record(prosecutor=prosecutor, actor=actor, channel=IntakeChannel.SPI, urn=urn,
                                    error=error)
        raise
