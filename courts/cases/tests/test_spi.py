"""Police SPI new-case messages: Common Platform's own examples import and agree with the JSON Common
Platform derived from them; its error examples, and anything else malformed, are refused with located errors."""

import datetime as dt
import json
import re
import uuid
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import organisation_get_or_create
from courts.audit.models import Event
from courts.cases.enums import DefendantKind, Gender, IntakeChannel
from courts.cases.identifiers import normalise_asn, normalise_pnc_id
from courts.cases.models import ProsecutionCase
from courts.cases.spi import spi_case_intake, spi_parse
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.common.errors import ValidationFailed

pytestmark = pytest.mark.django_db

SPI = Path(settings.REFERENCE_DIR) / "cpp-context-staging-prosecutors-spi"
MESSAGES = SPI / "stagingprosecutorsspi-integration-test/src/test/resources/external/message"
BARE_POLICE_CASE = SPI / "stagingprosecutorsspi-cjse-schema/src/test/resources/spiInCaseExamples/PoliceCase.xml"

PNC_ID = "20040046583U"  # 2004/0046583U: the XSD's PNC pattern has no slash
CRO = "123456/08X"


def hearing_date() -> str:
    return (court_today() + dt.timedelta(days=14)).isoformat()


def placeholders(urn: str = "01ZD0000001", asn: str | None = None) -> dict[str, str]:
    """The examples' template values, each with a valid one. B16GE00 and the force's 116HQ00 look real but
    are in no court list we load, so the court is replaced too."""
    asn = asn or valid_asn()
    return {
        "URN_NUMBER": urn, "NEW_URN": urn, "CORRELATION_ID": str(uuid.uuid4()),
        "ProsecutorReference0": asn, "PNCidentifier": PNC_ID, "ABCD": PNC_ID,
        "CROnumber0": CRO, "CROnumber1": CRO, "OffenceC": THEFT_FROM_SHOP,
        "CourtHeari": COURT_OU, "B16GE00": COURT_OU,
    }


# An element's start tag, bare or escaped once (RouteData) or twice (SubmitRequestMes), then its text.
OPEN, CLOSE = r"(?:<|&lt;|&amp;lt;)", r"(?:>|&gt;|&amp;gt;)"
ELEMENT = re.compile(rf"({OPEN}(?:[\w.-]+:)?([\w.-]+)(?:\s[^>]*?)?{CLOSE})([^<&]*)(?={OPEN}/)")


def fill(text: str, values: dict[str, str], corrections: dict[str, dict[str, str]] | None = None) -> bytes:
    """Replace each element whose whole text is a placeholder, at whatever depth of escaping it sits; move
    the first hearing into the future; and apply `corrections` ({element: {old: new}})."""
    corrections = corrections or {}

    def replace(m: re.Match[str]) -> str:
        start, name, value = m.groups()
        if name == "DateOfHearing":
            return start + hearing_date()
        value = corrections.get(name, {}).get(value, value)
        return start + values.get(value, value)

    return ELEMENT.sub(replace, text).encode("utf-8")


def example(name: str, values: dict[str, str], corrections: dict[str, dict[str, str]] | None = None) -> bytes:
    return fill((MESSAGES / name).read_text(encoding="utf-8"), values, corrections)


def prosecutor(name: str = "Metropolitan Police"):
    return organisation_get_or_create(name=name, kind=OrganisationKind.PROSECUTOR, actor=Actor.system())[0]


def import_message(data: bytes, name: str = "Metropolitan Police"):
    return spi_case_intake(data=data, prosecutor=prosecutor(name), actor=Actor.system("test"))


def rejection(data: bytes, name: str = "Metropolitan Police") -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failure:
        import_message(data, name)
    return {e.field: e.message for e in failure.value.errors}


# --- A small message builder for the rules and the API --------------------------------------------------

def offence_xml(code: str = THEFT_FROM_SHOP, sequence: int = 1) -> str:
    start = (court_today() - dt.timedelta(days=30)).isoformat()
    return f"""
      <Offence>
        <BaseOffenceDetails>
          <OffenceSequenceNumber>{sequence}</OffenceSequenceNumber>
          <OffenceCode>{code}</OffenceCode>
          <OffenceWording>On {start} at London stole food to the value of 30 pounds belonging to Shop Ltd</OffenceWording>
          <OffenceTiming>
            <OffenceDateCode>1</OffenceDateCode>
            <OffenceStart><OffenceDateStartDate>{start}</OffenceDateStartDate></OffenceStart>
          </OffenceTiming>
          <ChargeDate>{(court_today() - dt.timedelta(days=29)).isoformat()}</ChargeDate>
          <LocationOfOffence>Clapham Junction</LocationOfOffence>
        </BaseOffenceDetails>
      </Offence>"""


def defendant_xml(asn: str, last_name: str = "Doe", first_name: str = "Jane", offences: str = "") -> str:
    return f"""
    <Defendant>
      <ProsecutorReference>{asn}</ProsecutorReference>
      <PoliceIndividualDefendant>
        <PersonDefendant>
          <BasePersonDetails>
            <PersonName>
              <PersonTitle>Ms</PersonTitle>
              <PersonGivenName1>{first_name}</PersonGivenName1>
              <PersonGivenName2>Mary</PersonGivenName2>
              <PersonFamilyName>{last_name}</PersonFamilyName>
            </PersonName>
            <Birthdate>1990-05-17</Birthdate>
            <Gender>2</Gender>
          </BasePersonDetails>
          <PNCidentifier>{PNC_ID}</PNCidentifier>
          <BailConditions>Not to enter Clapham Junction station</BailConditions>
        </PersonDefendant>
        <Address>
          <bsa:PAON>  12 </bsa:PAON>
          <bsa:StreetDescription>High Street</bsa:StreetDescription>
          <bsa:Town>London</bsa:Town>
          <bsa:PostCode>SW11 1JU</bsa:PostCode>
        </Address>
        <CROnumber>{CRO}</CROnumber>
        <CustodyStatus>B</CustodyStatus>
        <LanguageOptions><DocumentationLanguage>E</DocumentationLanguage><HearingLanguage>E</HearingLanguage></LanguageOptions>
      </PoliceIndividualDefendant>{offences or offence_xml()}
    </Defendant>"""


def new_case_message(urn: str = "01ZD0000001", defendants: str | None = None, initiation: str = "C") -> str:
    """A bare NewCaseMessage, valid against the XSD and our rules."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<NewCaseMessage xmlns="http://www.dca.gov.uk/xmlschemas/libra" xmlns:bsa="http://www.govtalk.gov.uk/people/bs7666"
    Flow="NewCasesFromThePolice" Interface="LibraStandardProsecutorPolice" SchemaVersion="0.6g">
  <Case>
    <PTIURN>{urn}</PTIURN>
    <OriginatingOrganisation>01ZD00</OriginatingOrganisation>
    <CaseInitiation>{initiation}</CaseInitiation>
    <CaseMarker>DVVI</CaseMarker>
    <InitialHearing>
      <CourtHearingLocation>{COURT_OU}</CourtHearingLocation>
      <DateOfHearing>{hearing_date()}</DateOfHearing>
      <TimeOfHearing>10:00:00</TimeOfHearing>
    </InitialHearing>
    <OtherPartyOfficerInCase>
      <OfficerName><PersonFamilyName>Gellart</PersonFamilyName></OfficerName>
      <PoliceOfficerRank>Constable</PoliceOfficerRank>
      <PoliceWorkerReferenceNumber>1234</PoliceWorkerReferenceNumber>
      <PoliceWorkerLocationCode>01ZD00</PoliceWorkerLocationCode>
    </OtherPartyOfficerInCase>{defendants if defendants is not None else defendant_xml(valid_asn())}
  </Case>
</NewCaseMessage>
"""


def in_route_data(message: str) -> bytes:
    """`message` escaped into the CJSE RouteData envelope of one of Common Platform's examples."""
    envelope = (MESSAGES / "SingleDefendantSingeOffence.xml").read_text(encoding="utf-8")
    start = envelope.index("<cjseEntity:DataStreamContent>") + len("<cjseEntity:DataStreamContent>")
    end = envelope.index("</cjseEntity:DataStreamContent>")
    return fill(envelope[:start] + escape(message) + envelope[end:], placeholders())


# --- Reading what Common Platform derived from each example -----------------------------------------------

STAGING_GENDERS = {0: Gender.NOT_KNOWN, 1: Gender.MALE, 2: Gender.FEMALE, 9: Gender.NOT_SPECIFIED}


def words(*parts: Any) -> set[str]:
    return {w.upper() for p in parts if isinstance(p, str) for w in p.split()}


def cp_view(path: Path, values: dict[str, str], corrections: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The fields we store, read from either shape Common Platform derives from an SPI message: the
    prosecution-case-file command (`*PCF.json`) or the staging event (`policeIndividualDefendant`, ...)."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def v(value: Any, element: str = "") -> Any:
        if isinstance(value, str):
            value = corrections.get(element, {}).get(value, value)
            return values.get(value.strip("[]"), value)
        return value

    case = data["caseDetails"]
    staging = "ptiurn" in case
    view: dict[str, Any] = {
        "urn": v(case["ptiurn"] if staging else case["prosecutorCaseReference"]),
        "initiation_type": case["caseInitiationCode"] if staging else case["initiationCode"],
        "originating_organisation": case["originatingOrganisation"],
        "defendants": [],
    }
    if (cps := case.get("cpSorganisation" if staging else "cpsOrganisation")) is not None:
        view["cps_organisation"] = cps
    if "summonsCode" in case:
        view["summons_code"] = case["summonsCode"]
    informant = case.get("informant") if staging else case.get("prosecutor", {}).get("informant")
    if informant:
        view["informant"] = informant
    if staging and "caseMarker" in case:
        view["case_markers"] = [case["caseMarker"][i:i + 2] for i in range(0, len(case["caseMarker"]), 2)]
    elif not staging and "caseMarkers" in case:
        view["case_markers"] = [m["markerTypeCode"] for m in case["caseMarkers"]]
    hearing = case["initialHearing"] if staging else data["defendants"][0]["initialHearing"]
    view["court"] = v(hearing["courtHearingLocation"])
    view["hearing_time"] = hearing["timeOfHearing"][:8]
    for d in data["defendants"]:
        view["defendants"].append(_staging_defendant(d, v) if staging else _pcf_defendant(d, v))
    return view


def _offence_view(code: str, wording: str, start: str, end: str | None, charge: str | None, location: str | None,
                  date_code: int) -> dict[str, Any]:
    return {"cjs_code": code, "wording": " ".join(wording.split()), "start_date": start, "end_date": end,
            "charge_date": charge, "location": location or "", "date_code": date_code}


def _staging_defendant(d: dict[str, Any], v) -> dict[str, Any]:
    view: dict[str, Any] = {"asn": normalise_asn(v(d["prosecutorReference"]))}
    if individual := d.get("policeIndividualDefendant"):
        person = individual["personDefendant"]
        details = person["basePersonDetails"]
        name = details["personName"]
        address = individual["address"]
        view |= {
            "kind": DefendantKind.PERSON,
            "title": name.get("personTitle", ""),
            "first_name": name.get("personGivenName1", ""),
            "middle_name": " ".join(n for n in (name.get("personGivenName2"), name.get("personGivenName3")) if n),
            "last_name": name["personFamilyName"],
            "date_of_birth": details.get("birthDate"),
            "gender": STAGING_GENDERS[details["gender"]],
            "bail_status": v(individual.get("custodyStatus", ""), "CustodyStatus"),
            "bail_conditions": person.get("bailConditions", ""),
            "cro_number": v(individual.get("crOnumber", "")),
        }
        pnc = person.get("pnCidentifier")
    else:
        corporate = d["policeCorporateDefendant"]
        address = corporate["address"]
        view |= {"kind": DefendantKind.ORGANISATION, "organisation_name": corporate["organisationName"],
                 "cro_number": v(corporate.get("crOnumber", ""))}
        pnc = corporate.get("pnCidentifier")
    if pnc:
        view["pnc_id"] = normalise_pnc_id(v(pnc))
    view["postcode"] = address.get("postcode", "")
    view["address_words"] = words(*(address.get(k) for k in ("saon", "paon", "streetDescription", "locality", "town",
                                                              "postTown", "administrativeArea")))
    view["offences"] = [
        _offence_view(
            v(o["offenceCode"]), o["offenceWording"], o["offenceDateStartDate"],
            v(o.get("offenceEndDate"), "OffenceEndDate"), o.get("chargeDate"), o.get("locationOfOffence"),
            o["offenceDateCode"],
        )
        for o in (x["baseOffenceDetails"] for x in d["offence"])
    ]
    return view


def _pcf_defendant(d: dict[str, Any], v) -> dict[str, Any]:
    # The PCF's pncIdentifier is not from the message (one example holds a UUID), so it is not compared.
    view: dict[str, Any] = {"asn": normalise_asn(v(d["asn"]))}
    if "croNumber" in d:
        view["cro_number"] = v(d["croNumber"])
    if individual := d.get("individual"):
        info = individual["personalInformation"]
        self_defined = individual["selfDefinedInformation"]
        address = info.get("address", {})
        view |= {
            "kind": DefendantKind.PERSON,
            "title": info.get("title", ""),
            "first_name": info.get("firstName", ""),
            "middle_name": " ".join(n for n in (info.get("givenName2"), info.get("givenName3")) if n),
            "last_name": info["lastName"],
            "date_of_birth": self_defined.get("dateOfBirth"),
            "gender": self_defined["gender"],
            "bail_status": v(d.get("custodyStatus", ""), "CustodyStatus"),
            "bail_conditions": individual.get("bailConditions", ""),
        }
    else:
        address = d.get("address", {})
        view |= {"kind": DefendantKind.ORGANISATION, "organisation_name": d["organisationName"]}
    view["postcode"] = address.get("postcode", "")
    view["address_words"] = words(*(address.get(f"address{i}") for i in range(1, 6)))
    view["offences"] = [
        _offence_view(
            v(o["offenceCode"]), o["offenceWording"], o["offenceCommittedDate"],
            v(o.get("offenceCommittedEndDate"), "OffenceEndDate"), o.get("chargeDate"), o.get("offenceLocation"),
            o["offenceDateCode"],
        )
        for o in d["offences"]
    ]
    return view


def our_view(case: ProsecutionCase) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "urn": case.urn,
        "initiation_type": case.initiation_type,
        "originating_organisation": case.originating_organisation,
        "cps_organisation": case.cps_organisation,
        "summons_code": case.summons_code,
        "informant": case.informant,
        "case_markers": case.case_markers,
        "court": case.requested_court_centre.ou_code,
        "hearing_time": case.requested_hearing_time.isoformat() if case.requested_hearing_time else None,
        "defendants": [
            {
                "kind": d.kind, "title": d.title, "first_name": d.first_name, "middle_name": d.middle_name,
                "last_name": d.last_name, "date_of_birth": iso(d.date_of_birth), "gender": d.gender,
                "organisation_name": d.organisation_name, "asn": d.asn, "pnc_id": d.pnc_id,
                "cro_number": d.cro_number, "bail_status": d.bail_status, "bail_conditions": d.bail_conditions,
                "postcode": d.postcode, "address_words": words(*d.address_lines),
                "offences": [
                    _offence_view(o.cjs_code, o.wording, iso(o.start_date), iso(o.end_date), iso(o.charge_date),
                                  o.location, o.date_code)
                    for o in d.offences.all()
                ],
            }
            for d in case.defendants.all()
        ],
    }


def assert_agrees(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Every field Common Platform derived is the same in our record (addresses: its words are in ours)."""
    for key, expected in theirs.items():
        if key == "defendants":
            assert len(ours["defendants"]) == len(expected)
            for our_defendant, their_defendant in zip(ours["defendants"], expected, strict=True):
                assert_agrees(our_defendant, their_defendant)
        elif key == "address_words":
            assert expected <= ours[key], f"address words {expected - ours[key]} missing"
        else:
            assert ours[key] == expected, f"{key}: ours {ours[key]!r}, Common Platform {expected!r}"


# --- The corpus --------------------------------------------------------------------------------------------

# Faults in Common Platform's own examples that our rules rightly refuse, corrected before import (and the
# uncorrected messages are shown to be refused below): an offence ending a year before it starts, and bail
# conditions on a defendant in custody.
END_BEFORE_START = {"OffenceEndDate": {"2005-05-05": "2006-05-04"}}
CUSTODY_WITH_CONDITIONS = {"CustodyStatus": {"C": "B"}}

CORPUS = [
    ("IndividualDefendantAllfields.xml", ["IndividualDefendantAllFieldsPCF.json", "IndividualDefendantAllFields.json"],
     END_BEFORE_START | CUSTODY_WITH_CONDITIONS),
    ("IndividualDefendantAllfieldsWithoutDateOfBirth.xml", ["IndividualDefendantAllFieldsWithoutDateOfBirth.json"],
     END_BEFORE_START | CUSTODY_WITH_CONDITIONS),
    # The same message with a thinner envelope; Common Platform derives the same case from it.
    ("IndividualDefendantWithNullDataControllerNullOrgUnit.xml", ["IndividualDefendantAllFields.json"],
     END_BEFORE_START | CUSTODY_WITH_CONDITIONS),
    ("CorporateDefendantAllfields.xml", ["CorporateDefendantAllFields.json"], END_BEFORE_START),
    ("CorporateDefendantAllfieldsWithoutEmailAddress.xml", ["CorporateDefendantAllFieldsWithoutEmailAddress.json"],
     END_BEFORE_START),
    ("SingleDefendantSingeOffence.xml", ["SingleDefendantSingleOffencePCF.json", "SingleDefendantSingeOffence.json"],
     {}),
    ("SingleDefendantSingeOffenceSJP.xml",
     ["SingleDefendantSingleOffenceSJPPCF.json", "SingleDefendantSingeOffenceSJP.json"], {}),
    ("DefendantSingleOffenceSJP.xml", ["DefendantSingleOffenceSJP.json"], {}),
]


@pytest.mark.parametrize(("message", "derived", "corrections"), CORPUS, ids=[c[0] for c in CORPUS])
def test_common_platform_example_imports_and_agrees_with_what_common_platform_derived(message, derived, corrections):
    # given
    values = placeholders(urn="01ZD0000042", asn=valid_asn(sequence=4242))
    data = example(message, values, corrections)
    # when
    outcome = import_message(data)
    # then
    assert outcome.created
    case = ProsecutionCase.objects.get(pk=outcome.case.pk)
    assert case.channel == IntakeChannel.SPI
    assert Event.objects.filter(type="case.created", case_id=case.id).count() == 1
    for name in derived:
        assert_agrees(our_view(case), cp_view(MESSAGES / name, values, corrections))


def test_example_faults_are_refused_at_their_xml_locations():
    # given an example with only its placeholders filled in
    data = example("IndividualDefendantAllfields.xml", placeholders())
    before = Event.objects.count()
    # when
    errors = rejection(data)
    # then
    defendant = "NewCaseMessage/Case/Defendant[1]"
    assert set(errors) == {
        f"{defendant}/Offence[1]/BaseOffenceDetails/OffenceTiming/OffenceEnd/OffenceEndDate",
        f"{defendant}/PoliceIndividualDefendant/PersonDefendant/BailConditions",
    }
    assert "cannot end before it started" in errors[f"{defendant}/Offence[1]/BaseOffenceDetails/OffenceTiming/"
                                                    "OffenceEnd/OffenceEndDate"]
    # The line in the file, through the escaped RouteData layer.
    assert errors[f"{defendant}/PoliceIndividualDefendant/PersonDefendant/BailConditions"].endswith("(line 120)")
    assert ProsecutionCase.objects.count() == 0
    # Only the prosecutor's creation, and the kept rejection for its people to fix (docs/access.md "Portals").
    assert Event.objects.exclude(type="case.intake_rejected").count() == before + 1
    assert Event.objects.filter(type="case.intake_rejected").count() == 1


def test_bare_new_case_message_is_accepted():
    # given Common Platform's bare NewCaseMessage (a DC: prefix, no envelope); its prosecutor reference
    # "007007" is no ASN and its court is in no list we load
    text = BARE_POLICE_CASE.read_text(encoding="utf-8")
    text = text.replace("007007</DC:ProsecutorReference>", f"{valid_asn()}</DC:ProsecutorReference>")
    data = fill(text, placeholders() | {"B01CX01": COURT_OU})
    # when
    intake = spi_parse(data)
    outcome = import_message(data)
    # then
    assert intake.urn == "53CP2215321"
    assert intake.hearing_time == dt.time(10, 0)
    defendant = outcome.case.defendants.get()
    assert (defendant.first_name, defendant.last_name) == ("Jomi1", "Eliseh")
    assert defendant.address_lines == ["56Police House", "SHIP STREET", "Surrey", "FRODSHAM",
                                       "CHESHIRE WEST AND CHESTER"]
    assert defendant.offences.get().cjs_code == "MD71530"


def test_envelope_with_empty_mandatory_fields_is_refused_but_its_case_is_sound():
    # given Common Platform's OIValidationForMandatoryFields.xml: its RouteData has an empty CorrelationID,
    # SystemID, DataController, DestinationID and DataStreamType
    data = example("OIValidationForMandatoryFields.xml", placeholders())
    # when
    errors = rejection(data)
    # then
    assert {"RouteData/RequestFromSystem/CorrelationID", "RouteData/RequestFromSystem/SystemID",
            "RouteData/DataStream/DataStreamType"} <= set(errors)
    assert errors["RouteData/RequestFromSystem/SystemID"].endswith("(line 9)")
    assert ProsecutionCase.objects.count() == 0
    # and the NewCaseMessage inside it imports on its own
    envelope = data.decode()
    content = re.search(r"<cjseEntity:DataStreamContent>(.*)</cjseEntity:DataStreamContent>", envelope, re.S)
    assert content is not None
    assert import_message(unescape(content.group(1), {"&quot;": '"'}).strip().encode()).created


# --- Refusals ------------------------------------------------------------------------------------------------

# Common Platform's SOAP-wrapped error examples, and the one error each must be refused for.
ERROR_EXAMPLES = {
    "MDIMinimalSPIMessage.xml": ("NewCaseMessage/Case/CaseInitiation", "Initiation type must be one of"),
    "MDINoDestinationId.xml": ("Envelope/Body/SubmitRequestMes", "'DestinationID'"),
    "MDINoExecMode.xml": ("Envelope/Body/SubmitRequestMes", "'ExecMode' expected"),
    "MDINoRequestId.xml": ("Envelope/Body/SubmitRequestMes", "'RequestID'"),
    "MDINoSourceId.xml": ("Envelope/Body/SubmitRequestMes", "'SourceID' expected"),
    "MDINoOffenceCode.xml": ("NewCaseMessage/Case/Defendant[1]/Offence[1]/BaseOffenceDetails/OffenceCode",
                             "Enter the CJS offence code"),
}


@pytest.mark.parametrize("name", sorted(p.name for p in (MESSAGES / "errors").glob("*.xml")))
def test_common_platform_error_example_is_refused_with_located_errors(name):
    # given
    data = example(f"errors/{name}", placeholders())
    before = Event.objects.count()
    # when
    errors = rejection(data)
    # then
    field, words_expected = ERROR_EXAMPLES[name]
    assert words_expected in errors[field]
    assert ProsecutionCase.objects.count() == 0
    # Only the prosecutor's creation, and the kept rejection for its people to fix (docs/access.md "Portals").
    assert Event.objects.exclude(type="case.intake_rejected").count() == before + 1
    assert Event.objects.filter(type="case.intake_rejected").count() == 1


def test_police_officer_reference_that_is_no_asn_is_refused():
    # given the minimal error example: "TFL" is its ProsecutorReference, which for the police is the ASN
    data = example("errors/MDIMinimalSPIMessage.xml", placeholders())
    # when
    errors = rejection(data)
    # then
    assert "Arrest/Summons Number" in errors["NewCaseMessage/Case/Defendant[1]/ProsecutorReference"]


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        ("OIValidationMalformedXml.xml", "RouteData/DataStream/DataStreamContent", "Not well-formed XML"),
        ("OIValidationWithInvalidValues.xml",
         "NewCaseMessage/Case/Defendant[1]/PoliceIndividualDefendant/Address/PAON", "(line 90)"),
        ("CjseResponse.xml", "Envelope/Body/SubmitResponseMes", "found SubmitResponseMes"),
        ("async-response-from-cjse.xml", "RouteDataResp", "found RouteDataResp"),
    ],
)
def test_other_invalid_examples_are_refused(name, field, expected):
    # when
    errors = rejection(example(name, placeholders()))
    # then
    assert expected in errors[field]
    assert ProsecutionCase.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        (b"", "body", "empty"),
        (b"\x00\xff\x13garbage\x89PNG", "body", "Not well-formed XML"),
        (b"<?xml version='1.0' encoding='UTF-8'?><a>\xff\xfe</a>", "body", "Not well-formed XML"),
        (b"<?xml version='1.0' encoding='X-NONE'?><a/>", "body", "encoding"),
        (b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', "body", "DTD"),
        (b"<a>" * 1000 + b"</a>" * 1000, "body", "nests deeper"),
        (b"<a/>" + b" " * (5 * 1024 * 1024), "body", "larger than"),
        (new_case_message().replace("http://www.dca.gov.uk/xmlschemas/libra", "urn:wrong").encode(),
         "NewCaseMessage", "must be in the namespace http://www.dca.gov.uk/xmlschemas/libra"),
        (re.sub(r"<PTIURN>.*</PTIURN>", "", new_case_message()).encode(), "NewCaseMessage/Case", "'PTIURN' expected"),
        (new_case_message().replace("<CaseMarker>DVVI</CaseMarker>", "<CaseMarker>DVV</CaseMarker>").encode(),
         "NewCaseMessage/Case/CaseMarker", "2-character codes"),
        (new_case_message().replace("<Birthdate>1990-05-17", "<Birthdate>10000-05-17").encode(),
         "NewCaseMessage/Case/Defendant[1]/PoliceIndividualDefendant/PersonDefendant/BasePersonDetails/Birthdate",
         "not a date"),
        (new_case_message(defendants=defendant_xml(valid_asn(1)) + defendant_xml(valid_asn(1), "Roe")).encode(),
         "NewCaseMessage/Case/Defendant[2]/ProsecutorReference", "Defendant[1] has the same ProsecutorReference"),
    ],
    ids=["empty", "garbage", "not-utf8", "unknown-encoding", "dtd", "deep", "too-large", "wrong-namespace",
         "missing-urn", "odd-case-marker", "year-10000", "same-asn-twice"],
)
def test_malformed_message_is_refused_with_located_error(data, field, expected):
    # given
    before = Event.objects.count()
    # when
    errors = rejection(data)
    # then
    assert expected in errors[field], errors
    assert ProsecutionCase.objects.count() == 0
    # Only the prosecutor's creation, and the kept rejection for its people to fix (docs/access.md "Portals").
    assert Event.objects.exclude(type="case.intake_rejected").count() == before + 1
    assert Event.objects.filter(type="case.intake_rejected").count() == 1


def test_rule_errors_name_xml_fields_and_lines():
    # given an unknown offence code and an ASN with the wrong check character
    asn = valid_asn()
    wrong_check = asn[:-1] + ("A" if asn[-1] != "A" else "B")
    message = new_case_message(defendants=defendant_xml(wrong_check, offences=offence_xml(code="ZZ99999")))
    # when
    errors = rejection(message.encode())
    # then
    defendant = "NewCaseMessage/Case/Defendant[1]"
    assert set(errors) == {f"{defendant}/ProsecutorReference", f"{defendant}/Offence[1]/BaseOffenceDetails/OffenceCode"}
    assert "check character" in errors[f"{defendant}/ProsecutorReference"]
    assert "ZZ99999 is not a CJS offence code" in errors[f"{defendant}/Offence[1]/BaseOffenceDetails/OffenceCode"]
    line = next(i for i, text in enumerate(message.splitlines(), 1) if "<OffenceCode>" in text)
    assert errors[f"{defendant}/Offence[1]/BaseOffenceDetails/OffenceCode"].endswith(f"(line {line})")
    assert ProsecutionCase.objects.count() == 0


def test_message_maps_every_stored_field():
    # when
    intake = spi_parse(new_case_message(initiation="c").encode())
    # then
    assert (intake.urn, intake.initiation_type, intake.court_centre_ou_code) == ("01ZD0000001", "C", COURT_OU)
    assert intake.case_markers == ["DV", "VI"]
    assert intake.hearing_time == dt.time(10, 0)
    defendant = intake.defendants[0]
    assert (defendant.title, defendant.first_name, defendant.middle_name, defendant.last_name) == (
        "Ms", "Jane", "Mary", "Doe")
    assert (defendant.gender, defendant.date_of_birth) == (Gender.FEMALE, dt.date(1990, 5, 17))
    assert defendant.address_lines == ["12 High Street", "London"]
    assert (defendant.postcode, defendant.pnc_id, defendant.cro_number) == ("SW11 1JU", PNC_ID, CRO)
    assert (defendant.bail_status, defendant.bail_conditions) == ("B", "Not to enter Clapham Junction station")
    assert defendant.asn == defendant.prosecutor_reference
    offence = defendant.offences[0]
    assert (offence.cjs_code, offence.date_code, offence.location) == (THEFT_FROM_SHOP, 1, "Clapham Junction")
    assert offence.path == "NewCaseMessage/Case/Defendant[1]/Offence[1]"


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_any_bytes_are_either_a_case_or_a_validation_failure(data):
    try:
        spi_parse(data)
    except ValidationFailed as failure:
        assert failure.errors


VALID = new_case_message()


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(VALID) - 1), st.integers(0, 40), st.text(max_size=12))
def test_damaged_message_is_either_a_case_or_a_validation_failure(at, length, insert):
    # given a valid message with a slice replaced by arbitrary text
    data = (VALID[:at] + insert + VALID[at + length:]).encode("utf-8", "surrogatepass")
    # when / then
    try:
        spi_parse(data)
    except ValidationFailed as failure:
        assert failure.errors


# --- Adding defendants and prosecutors ---------------------------------------------------------------------

def test_second_message_for_the_same_urn_adds_only_its_new_defendants():
    # given
    first, second = valid_asn(1), valid_asn(2)
    import_message(new_case_message(defendants=defendant_xml(first)).encode())
    # when
    outcome = import_message(
        new_case_message(defendants=defendant_xml(first) + defendant_xml(second, "Roe", "Richard",
                                                                            offence_xml(COMMON_ASSAULT))).encode()
    )
    # then
    assert (outcome.created, outcome.defendants_added) == (False, 1)
    case = ProsecutionCase.objects.get()
    assert [d.asn for d in case.defendants.all()] == [first, second]
    added = Event.objects.get(type="case.defendant_added")
    assert (added.case_id, added.payload["asn"]) == (case.id, second)


def test_resent_message_changes_nothing():
    # given
    message = new_case_message().encode()
    import_message(message)
    events = Event.objects.count()
    # when
    outcome = import_message(message)
    # then
    assert (outcome.created, outcome.defendants_added) == (False, 0)
    assert Event.objects.count() == events


def test_another_prosecutor_with_the_same_urn_gets_its_own_case():
    # given
    import_message(new_case_message().encode(), "Metropolitan Police")
    # when
    outcome = import_message(new_case_message().encode(), "Kent Police")
    # then
    assert outcome.created
    assert sorted(ProsecutionCase.objects.values_list("prosecutor__name", flat=True)) == [
        "Kent Police", "Metropolitan Police"]


# --- courts intake-spi -----------------------------------------------------------------------------------

def test_command_imports_a_file(tmp_path, capsys):
    # given
    path = tmp_path / "case.xml"
    path.write_bytes(example("SingleDefendantSingeOffence.xml", placeholders()))
    # when
    call_command("intake_spi", "--organisation", "Humberside Police", str(path))
    # then
    assert f"{path}: created case 01ZD0000001 with 1 defendant(s)" in capsys.readouterr().out
    case = ProsecutionCase.objects.get()
    assert (case.prosecutor.name, case.channel) == ("Humberside Police", IntakeChannel.SPI)


def test_command_reports_each_rejected_file_and_fails(tmp_path, capsys):
    # given a good file, a bad one and a missing one
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(new_case_message().encode())
    bad.write_bytes(example("errors/MDINoOffenceCode.xml", placeholders(urn="01ZD0000002")))
    # when
    with pytest.raises(CommandError, match="2 of 3"):
        call_command("intake_spi", "--organisation", "Kent Police", str(good), str(bad), str(tmp_path / "none.xml"))
    # then
    out = capsys.readouterr().out
    assert f"{good}: created case 01ZD0000001" in out
    assert f"{bad}: rejected" in out
    # The line in the file, through the SOAP and RouteData layers of escaping.
    assert ("NewCaseMessage/Case/Defendant[1]/Offence[1]/BaseOffenceDetails/OffenceCode: Enter the CJS offence code "
            "(line 55)") in out
    assert f"{tmp_path / 'none.xml'}: rejected: cannot read the file" in out
    assert ProsecutionCase.objects.count() == 1
