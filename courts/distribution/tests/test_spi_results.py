"""The police results message: Common Platform's golden pairs, the XSD, a full round from shared results, and
the Bichard 7 checks that catch a message the gateway would refuse."""

import copy
import datetime as dt
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings

from courts.cases.identifiers import asn_check_character
from courts.cases.models import Defendant
from courts.distribution.bichard_checks import bichard_exceptions
from courts.distribution.spi_results import (
    format_amount,
    police_result_event,
    police_result_route_data,
    police_result_submit_request,
    police_result_validate,
    police_result_xml,
)
from courts.hearings.services import attendance_record
from courts.hearings.tests.factories import CLERK, COMMON_ASSAULT, court_day, listed_case
from courts.hearings.tests.test_sharing import draft_for, save, share
from courts.listing.tests.factories import room, sitting

SPI = Path(settings.REFERENCE_DIR) / "cpp-context-staging-prosecutors-spi/stagingprosecutorsspi-integration-test/src/test/resources"
NS = {"l": "http://www.dca.gov.uk/xmlschemas/libra"}
OFFENCE_WITH_LOCATION = "00467bb1-a8db-4d07-866a-b1d5c8ad001e"

# Which input goes with which output, and what the integration test puts in the input before sending it
# (stagingprosecutorsspi-integration-test SPIResultIT): a URN of its own for URN_DEFAULT_VALUE, and the
# indicated plea for INDICATED_PLEA_VALUE. The offence-location pair also has the prosecution case file's
# offence location (mockFiles/prosecutioncasefile-exact-match.json with %OFFENCE_ID% as that test sets it).
GOLDEN_PAIRS = [
    ("public.results.police-result-generated.json", "expectedResultedCaseMessage.xml", {}),
    ("public.results.police-result-generated-without-date-of-birth.json",
     "expectedResultedCaseMessageForIndividualWithoutDateOfBirth.xml", {}),
    ("public.results.police-result-generated-primary-email-contact.json",
     "expectedResultedCaseMessageWithEmailForIndividualPrimaryEmail.xml", {}),
    ("public.results.police-result-generated-primary-both-email-contact.json",
     "expectedResultedCaseMessageWithEmailForIndividualPrimarySecondaryEmail.xml", {}),
    ("public.results.police-result-generated-secondary-email-contact.json",
     "expectedResultedCaseMessageWithEmailForIndividualSecondaryEmail.xml", {}),
    ("public.results.police-result-generated-no-email-contact.json",
     "expectedResultedCaseMessageWithNoEmailForIndividual.xml", {}),
    ("public.results.police-result-generated-with_empty_bailstatus.json",
     "expectedResultedCaseMessageWithEmptyBailStatus.xml", {}),
    ("public.results.police-result-generated-with-indicated-plea.json",
     "expectedResultedCaseMessageWithIndicatedPlea.xml", {"INDICATED_PLEA_VALUE": "INDICATED_GUILTY"}),
    ("public.results.police-result-generated-with-indicated-plea.json",
     "expectedResultedCaseMessageWithIndicatedNotGuiltyPlea.xml", {"INDICATED_PLEA_VALUE": "INDICATED_NOT_GUILTY"}),
    ("public.results.police-result-generated-with-plea.json", "expectedResultedCaseMessageWithPlea.xml", {}),
    ("public.results.police-result-generated-with-secondary-cjs-codes.json",
     "expectedResultedCaseMessageWithSecondaryCjsCodes.xml", {}),
    ("public.results.police-result-generated-without-cjscode.json", "expectedResultedCaseMessageWithoutCjscode.xml", {}),
    ("results.police-result-generated-for-offence-loc.json",
     "expectedResultedCaseMessageWithMultipleOffenceAndOneOfTheOffenceHaveOffenceLocation.xml", {}),
]


def canonical(xml: bytes | str) -> str:
    """C14N after collapsing each text's runs of whitespace to one space and trimming it: Common Platform's own
    comparison (XMLUnit normalizeWhitespace), needed because its fixtures re-indent multi-line wording and
    result text. Nothing else is ignored: the bare message has no per-run ids or timestamps."""
    root = ET.fromstring(xml)
    for element in root.iter():
        element.text = re.sub(r"[ \t\r\n]+", " ", element.text).strip() if element.text else None
        element.tail = None
    return ET.canonicalize(ET.tostring(root, encoding="unicode"))


def golden_event(source: str, expected: bytes, substitutions: dict[str, str]) -> dict:
    urn = re.search(rb"<PTIURN>([^<]*)</PTIURN>", expected)[1].decode()
    text = (SPI / "external/message" / source).read_text().replace("URN_DEFAULT_VALUE", urn)
    for placeholder, value in substitutions.items():
        text = text.replace(placeholder, value)
    return json.loads(text)


def case_file_locations() -> dict[str, str]:
    case_file = json.loads((SPI / "mockFiles/prosecutioncasefile-exact-match.json").read_text()
                           .replace("%OFFENCE_ID%", OFFENCE_WITH_LOCATION))
    return {o["offenceId"]: o["offenceLocation"] for d in case_file["defendants"] for o in d["offences"]
            if o.get("offenceLocation")}


@pytest.mark.parametrize(("source", "expected_file", "substitutions"), GOLDEN_PAIRS,
                         ids=[p[1].removesuffix(".xml") for p in GOLDEN_PAIRS])
def test_every_golden_pair_reproduces_common_platforms_message(source, expected_file, substitutions):
    expected = (SPI / "mockFiles" / expected_file).read_bytes()
    locations = case_file_locations() if "offence-loc" in source else None
    xml = police_result_xml(golden_event(source, expected, substitutions), offence_locations=locations)
    assert canonical(xml) == canonical(expected)
    assert police_result_validate(xml) == []
    assert police_result_validate(expected) == []


def test_a_golden_message_is_byte_for_byte_the_same_where_its_fixture_is_not_reindented():
    expected = (SPI / "mockFiles/expectedResultedCaseMessageWithEmptyBailStatus.xml").read_bytes()
    xml = police_result_xml(golden_event("public.results.police-result-generated-with_empty_bailstatus.json",
                                         expected, {}))
    assert xml.split(b"?>", 1)[1] == expected


def test_the_message_travels_in_common_platforms_cjse_envelope():
    expected = (SPI / "mockFiles/expectedResultedCaseMessageWithEmailForIndividualPrimaryEmail.xml").read_bytes()
    message = police_result_xml(golden_event("public.results.police-result-generated-primary-email-contact.json",
                                             expected, {}))
    route_data = police_result_route_data(message, correlation_id="2d205b77-3de5-4a0a-9600-b7dcba53ae13",
                                          destination_system="00501PoliceCaseSystem")
    # As Common Platform's verifyOIMessage: the ids are per run and the content is compared on its own.
    per_run = ("CorrelationID", "SystemDataStreamID", "DataStreamContent")
    golden = (SPI / "mockFiles/expectedSpiOutOiPayloadWithEmail.xml").read_bytes()
    assert canonical(without(route_data, per_run)) == canonical(without(golden, per_run))
    content = ET.fromstring(route_data).findtext(".//{http://schemas.cjse.gov.uk/common/businessentities}"
                                                 "DataStreamContent")
    assert canonical(content) == canonical(expected)
    soap = police_result_submit_request(route_data, request_id="efaf91d1-e409-4955-ad2b-db7105bb7ed4",
                                        timestamp=dt.datetime(2019, 5, 6, 15, 51, 27, tzinfo=dt.UTC))
    # As verifyMdiMessage: RequestID, Timestamp and the Message are per run.
    per_run = ("RequestID", "Timestamp", "Message")
    golden = (SPI / "mockFiles/expectedSPIOutPayload.xml").read_bytes()
    assert canonical(without(soap, per_run)) == canonical(without(golden, per_run))
    assert police_result_validate(route_data) == []
    assert police_result_validate(soap) == []


def without(xml: bytes, names: tuple[str, ...]) -> str:
    root = ET.fromstring(xml)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag.rsplit("}", 1)[-1] in names:
                parent.remove(child)
    return ET.tostring(root, encoding="unicode")


def test_amounts_are_printed_as_common_platform_prints_them():
    assert format_amount("£85") == "+85.00"
    assert format_amount("1,200.999") == "+1200.99"
    assert format_amount("0") == "0.00"


# --- From our records ----------------------------------------------------------------------------------

def resulted(line: str, *, codes=None, bail_status="B", day=None, prison="", answers_for: str = ""):
    """A listed case's defendant, with an address and attending, resulted with `line` and shared."""
    case, hearing = listed_case(codes=codes or ("TH68010",), bail_status=bail_status, day=day)
    defendant = case.defendants.get()
    Defendant.objects.filter(pk=defendant.pk).update(title="Ms", address_lines=["1 High Street", "London"],
                                                     postcode="SW11 1JU", pnc_id="2004/0046583U")
    defendant.refresh_from_db()
    day = hearing.hearing_days.get().date
    attendance_record(hearing=hearing, defendant=defendant, date=day, status="PRESENT", actor=CLERK)
    _, work = save(hearing, defendant, draft_for(defendant, line, prison=prison))
    if answers_for:
        answers = {f"{answers_for}:{spec.id}": "Fail to surrender" for o in work.offences for r in o.results
                   for spec in r.missing if r.short_code == answers_for}
        _, work = save(hearing, defendant, draft_for(defendant, line, prison=prison, answers=answers))
    assert work.can_share, [c.message for c in work.errors]
    share(hearing, defendant)
    return hearing, defendant


def results_of(xml: bytes) -> list[ET.Element]:
    return ET.fromstring(xml).findall(".//l:Offence/l:Result", NS)


def codes(found: list[str]) -> set[str]:
    return {f.split(" ", 1)[0] for f in found}


@pytest.mark.django_db
def test_a_fine_with_costs_and_surcharge_reaches_the_police_as_bichard_takes_it():
    hearing, defendant = resulted("plea=G FO 200 FCPC 85 FVS")
    event = police_result_event(hearing=hearing, defendant=defendant)
    xml = police_result_xml(event)
    assert police_result_validate(xml) == []
    assert bichard_exceptions(xml) == []
    root = ET.fromstring(xml)
    assert root.findtext(".//l:CourtHearingLocation", namespaces=NS) == "B01LY00"
    assert root.findtext(".//l:PSAcode", namespaces=NS) == "2577"
    assert root.findtext(".//l:ProsecutorReference", namespaces=NS) == defendant.asn
    assert root.findtext(".//l:PNCidentifier", namespaces=NS) == "20040046583U"
    assert root.findtext(".//l:PresentAtHearing", namespaces=NS) == "Y"
    # Proceedings concluded: no bail status applies any more.
    assert root.findtext(".//l:CourtIndividualDefendant/l:BailStatus", namespaces=NS) == "A"
    offence = root.find(".//l:Offence", NS)
    assert offence.findtext("l:BaseOffenceDetails/l:OffenceSequenceNumber", namespaces=NS) == "001"
    assert offence.findtext("l:Plea", namespaces=NS) == "1"
    assert offence.findtext("l:ConvictionDate", namespaces=NS) == hearing.hearing_days.get().date.isoformat()
    assert offence.findtext("l:ConvictingCourt", namespaces=NS) == "2577"
    assert offence.findtext("l:FinalDisposalIndicator", namespaces=NS) == "Y"
    # Costs and surcharge (case level) travel on the offence, as Common Platform moves them.
    amounts = {r.findtext("l:ResultCode", namespaces=NS): r.findtext("l:Outcome/l:ResultAmountSterling", namespaces=NS)
               for r in results_of(xml)}
    assert amounts == {"1015": "+200.00", "3011": "+85.00", "3117": "+80.00"}


@pytest.mark.django_db
def test_a_remand_in_custody_carries_its_next_hearing_and_bail_status():
    day = court_day()
    next_day = day + dt.timedelta(days=7)
    while next_day.weekday() >= 5:
        next_day += dt.timedelta(days=1)
    sitting(room("Courtroom 2"), next_day, capacity_minutes=600)
    line = f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    hearing, defendant = resulted(line, codes=(COMMON_ASSAULT,), bail_status="C", day=day, prison="HMP Wandsworth",
                                  answers_for="RI")
    xml = police_result_xml(police_result_event(hearing=hearing, defendant=defendant))
    assert police_result_validate(xml) == []
    assert bichard_exceptions(xml) == []
    root = ET.fromstring(xml)
    assert root.findtext(".//l:CourtIndividualDefendant/l:BailStatus", namespaces=NS) == "C"
    assert root.findtext(".//l:ReasonForBailConditionsOrCustody", namespaces=NS) == "Fail to surrender"
    assert root.findtext(".//l:Offence/l:Plea", namespaces=NS) == "2"
    assert root.findtext(".//l:Offence/l:FinalDisposalIndicator", namespaces=NS) == "N"
    # The next hearing itself has no CJS code: it reaches the police on the remand, as its NextHearing.
    (remand,) = results_of(xml)
    assert remand.findtext("l:ResultCode", namespaces=NS) == "4028"
    assert remand.findtext("l:NextHearing/l:NextHearingDetails/l:CourtHearingLocation", namespaces=NS) == "B01LY00"
    assert remand.findtext("l:NextHearing/l:NextHearingDetails/l:DateOfHearing", namespaces=NS) == next_day.isoformat()
    assert remand.findtext("l:NextHearing/l:NextHearingDetails/l:TimeOfHearing", namespaces=NS) == "10:00:00"
    assert remand.findtext("l:NextHearing/l:BailStatusOffence", namespaces=NS) == "C"


@pytest.mark.django_db
def test_a_conditional_discharge_carries_its_period():
    hearing, defendant = resulted("plea=G CD 12m FVS")
    xml = police_result_xml(police_result_event(hearing=hearing, defendant=defendant))
    assert police_result_validate(xml) == []
    assert bichard_exceptions(xml) == []
    discharge = next(r for r in results_of(xml) if r.findtext("l:ResultCode", namespaces=NS) == "1018")
    assert discharge.findtext("l:Outcome/l:Duration/l:DurationValue", namespaces=NS) == "12"
    assert discharge.findtext("l:Outcome/l:Duration/l:DurationUnit", namespaces=NS) == "M"
    assert discharge.findtext("l:ResultText", namespaces=NS).startswith("Conditional discharge\n")


@pytest.mark.django_db
def test_nothing_shared_is_no_message():
    case, hearing = listed_case()
    with pytest.raises(ValueError):
        police_result_event(hearing=hearing, defendant=case.defendants.get())


# --- What Bichard 7 would refuse -------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_asn_with_the_wrong_check_character_is_HO100206():
    hearing, defendant = resulted("plea=G FO 200 FCPC 85 FVS")
    wrong = next(c for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if c != asn_check_character(defendant.asn[:-1]))
    Defendant.objects.filter(pk=defendant.pk).update(asn=defendant.asn[:-1] + wrong)
    defendant.refresh_from_db()
    found = bichard_exceptions(police_result_xml(police_result_event(hearing=hearing, defendant=defendant)))
    assert codes(found) == {"HO100206"}
    assert "check character" in found[0]


@pytest.mark.django_db
def test_a_result_code_the_cjs_does_not_have_is_HO100307():
    hearing, defendant = resulted("plea=G FO 200 FCPC 85 FVS")
    event = police_result_event(hearing=hearing, defendant=defendant)
    fine = next(r for r in event["defendant"]["offences"][0]["judicialResults"] if r["cjsCode"] == "1015")
    fine["cjsCode"] = "1999"
    assert codes(bichard_exceptions(police_result_xml(event))) == {"HO100307"}


@pytest.mark.django_db
def test_an_adjournment_with_no_next_hearing_is_HO100322_and_HO100323():
    day = court_day()
    next_day = day + dt.timedelta(days=7)
    while next_day.weekday() >= 5:
        next_day += dt.timedelta(days=1)
    line = f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    hearing, defendant = resulted(line, codes=(COMMON_ASSAULT,), bail_status="C", day=day, prison="HMP Leeds",
                                  answers_for="RI")
    event = police_result_event(hearing=hearing, defendant=defendant)
    remand = next(r for r in event["defendant"]["offences"][0]["judicialResults"] if r["cjsCode"] == "4028")
    lost = copy.deepcopy(event)
    next(r for r in lost["defendant"]["offences"][0]["judicialResults"] if r["cjsCode"] == "4028").pop("nextHearing")
    found = bichard_exceptions(police_result_xml(lost))
    assert codes(found) == {"HO100322", "HO100323"}
    # A next hearing at a court Bichard does not know is HO100300.
    remand["nextHearing"]["courtCentre"]["courtHearingLocation"] = "B99ZZ00"
    assert codes(bichard_exceptions(police_result_xml(event))) == {"HO100300"}


@pytest.mark.django_db
def test_conviction_dates_that_do_not_make_sense_are_HO100305():
    hearing, defendant = resulted("plea=G FO 200 FCPC 85 FVS")
    event = police_result_event(hearing=hearing, defendant=defendant)
    offence = event["defendant"]["offences"][0]
    later = copy.deepcopy(event)
    later["defendant"]["offences"][0]["convictionDate"] = "2999-01-01"
    assert codes(bichard_exceptions(police_result_xml(later))) == {"HO100305"}
    offence.pop("convictionDate")
    found = bichard_exceptions(police_result_xml(event))
    assert codes(found) == {"HO100305"} and "sentence 1015 with no conviction date" in found[0]


@pytest.mark.django_db
def test_bad_urns_offence_codes_sequence_numbers_and_bail_conditions_are_caught():
    hearing, defendant = resulted("plea=G FO 200 FCPC 85 FVS")
    event = police_result_event(hearing=hearing, defendant=defendant)
    event["urn"] = "09AB1234525"  # there is no force 09
    offence = event["defendant"]["offences"][0]
    offence["offenceCode"] = "ZZ99999"
    offence["offenceSequenceNumber"] = 0
    offence["offenceLocation"] = "x" * 81
    event["defendant"]["individualDefendant"]["bailConditions"] = "Curfew;" + "y" * 2501
    assert codes(bichard_exceptions(police_result_xml(event))) == {"HO100300", "HO100306", "HO100239", "HO100232",
                                                                   "HO100219"}


@pytest.mark.django_db
def test_the_golden_messages_are_common_platforms_test_data_which_bichard_would_refuse():
    expected = (SPI / "mockFiles/expectedResultedCaseMessageWithEmptyBailStatus.xml").read_bytes()
    found = codes(bichard_exceptions(expected))
    # courtHL-1 is no court, DEFAULT_VALUE no ASN, offenceC no offence and 999 no result code.
    assert {"HO100200", "HO100206", "HO100306", "HO100240"} <= found
