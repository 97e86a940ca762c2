"""The checks the police national computer's gateway, Bichard 7, applies to a results message on receipt,
as far as our data or our mapping could fail them. A message that raises any of these is a defect caught
before it is sent, not something for the police to correct.

Each check names the Bichard exception it stands for (`exception-definitions.json` in Bichard 7 standing data)
and follows how bichard7-next-core raises it: the AHO validation schema (field formats and lengths, with the
exception code each failure raises), `ahoValidations` (ASN check character, result code lookup), and the
phase 1 generators HO100300 (organisation units), HO100305 (conviction and verdict), HO100306 (offence codes),
HO100321 (dummy ASNs) and HO100322/HO100323 (adjournments without a next hearing).

Standing data comes from our reference tables where we load it (court centres, CJS offence and result
codes) and otherwise from the Bichard 7 data files (`@moj-bichard7-developers/bichard7-next-data`, or the
reference directory's copy): organisation units, police forces, result qualifiers, remand statuses, duration
units, plea statuses and mode-of-trial reasons.

Not checked here because the message cannot show them: anything that needs the PNC record itself
(HO100301 ASN not found, HO100304/HO100310 offence matching, HO100324-HO100326 adjudication mismatches).
"""

import datetime as dt
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree as ET

from defusedxml.ElementTree import fromstring as safe_fromstring

from courts.cases.identifiers import ASN_PATTERN, normalise_asn, normalise_pnc_id

NS_LIBRA = "http://www.dca.gov.uk/xmlschemas/libra"
NS = {"l": NS_LIBRA}

# CJS result codes Bichard 7 treats as adjournments (bichard7-next-core lib/properties ADJOURNMENT_RANGES):
# each needs the next hearing's court and date.
ADJOURNMENT_RANGES = ((4001, 4009), (4011, 4017), (4020, 4021), (4023, 4025), (4027, 4035), (4046, 4048),
                      (4050, 4051), (4053, 4058), (4506, 4506), (4508, 4508), (4541, 4572), (4574, 4574),
                      (4587, 4589))
# Validation limits of the Bichard 7 AHO schema, with the exception each raises.
ORGANISATION_UNIT = re.compile(r"^[A-JZ0-9]?[A-Z0-9]{6}$")  # HO100200
PTIURN = re.compile(r"^[A-Z0-9]{4}[0-9]{3,7}$")  # HO100201
DUMMY_ASN = re.compile(r"^0800(NP|PP)00")  # HO100321: Libra's dummy ASNs
SPI_PNC_ID = re.compile(r"^([0-9]{4})([0-9]{7}[A-Z])$")
GUILTY_PLEAS = {"1", "6", "7"}  # SPI plea status: guilty, guilty (SJP), admits
MAX_OFFENCES = 100  # HO100331
TEXT_MAX = 2500

DESCRIPTIONS = {
    "HO100102": "Bad date",
    "HO100108": "Value not in Bichard 7 standing data",
    "HO100200": "Invalid organisation unit code",
    "HO100201": "Bad PTI-URN format",
    "HO100206": "Bad Arrest Summons Number",
    "HO100209": "Bad PNC Identifier format",
    "HO100217": "Bad address line",
    "HO100219": "Bad bail condition",
    "HO100220": "Bad reason for bail conditions",
    "HO100232": "Bad location of offence",
    "HO100234": "Bad offence wording",
    "HO100239": "Bad court offence sequence number",
    "HO100240": "Result code out of range",
    "HO100242": "Bad duration",
    "HO100243": "Bad amount specified in result",
    "HO100245": "Bad result text",
    "HO100300": "Organisation not recognised",
    "HO100305": "Conviction/hearing dates and/or verdict do not make sense",
    "HO100306": "Offence code not found",
    "HO100307": "Result code not found",
    "HO100309": "Result code qualifier not found",
    "HO100311": "Duplicate court offence sequence number",
    "HO100321": "Dummy ASN not allowed when offences are recordable",
    "HO100322": "Next hearing location absent for an adjournment",
    "HO100323": "Next hearing date absent for an adjournment",
    "HO100331": "Case has 100+ offences",
}


@dataclass(frozen=True)
class BichardException:
    code: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} {self.path}: {self.message}"


def is_adjournment_code(code: Any) -> bool:
    text = str(code or "").strip()
    return text.isdigit() and any(low <= int(text) <= high for low, high in ADJOURNMENT_RANGES)


def bichard_exceptions(xml: bytes) -> list[str]:
    """The Bichard 7 exceptions a ResultedCaseMessage (bare, or inside a CJSE RouteData) would raise, each
    as "HO100206 Case/Defendant/ProsecutorReference: message". Empty when Bichard would take it."""
    return [str(e) for e in bichard_exception_list(xml)]


def bichard_exception_list(xml: bytes) -> list[BichardException]:
    root = safe_fromstring(xml, forbid_dtd=True)
    if root.tag.endswith("}RouteData"):
        content = root.findtext(".//{http://schemas.cjse.gov.uk/common/businessentities}DataStreamContent") or ""
        root = safe_fromstring(content.encode("utf-8"), forbid_dtd=True)
    if root.tag != f"{{{NS_LIBRA}}}ResultedCaseMessage":
        raise ValueError("Not a police ResultedCaseMessage")
    found = _Found()
    hearing_date = _check_hearing(root, found)
    for c, case in enumerate(root.findall("l:Session/l:Case", NS), 1):
        _check_case(case, f"Case[{c}]" if len(root.findall("l:Session/l:Case", NS)) > 1 else "Case",
                    hearing_date, found)
    return found.exceptions


class _Found:
    def __init__(self) -> None:
        self.exceptions: list[BichardException] = []

    def add(self, code: str, path: str, detail: str) -> None:
        self.exceptions.append(BichardException(code, path, f"{DESCRIPTIONS.get(code, code)}: {detail}"))


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    return (element.findtext(path, "", NS) or "").strip()


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _check_hearing(root: ET.Element, found: _Found) -> dt.date | None:
    hearing = root.find("l:Session/l:CourtHearing/l:Hearing", NS)
    path = "Session/CourtHearing/Hearing"
    _check_court(_text(hearing, "l:CourtHearingLocation"), f"{path}/CourtHearingLocation", found)
    value = _text(hearing, "l:DateOfHearing")
    day = _date(value)
    if day is None:
        found.add("HO100102", f"{path}/DateOfHearing", f"the hearing date {value!r} is not a date")
    return day


# --- Organisation units --------------------------------------------------------------------------------

@functools.cache
def _standing(name: str) -> Any:
    from courts.reference.loaders import _bichard_file

    path, _ = _bichard_file(name)
    return json.loads(path.read_text())


@functools.cache
def _organisation_units() -> frozenset[tuple[str, str, str]]:
    return frozenset((u["topLevelCode"].upper(), u["secondLevelCode"].upper(), u["thirdLevelCode"].upper())
                     for u in _standing("organisation-unit.json"))


@functools.cache
def _codes(name: str, key: str = "spiCode") -> frozenset[str]:
    return frozenset(str(row.get(key) or "") for row in _standing(name)) - {""}


def _check_court(code: str, path: str, found: _Found) -> None:
    """A court's OU code: well formed (HO100200), known to Bichard 7 (HO100300, found on its top, second and
    third levels as lookupOrganisationUnitByCode does), and one of our court centres."""
    from courts.reference.models import CourtCentre

    if not ORGANISATION_UNIT.match(code):
        found.add("HO100200", path, f"{code!r} is not a 7-character organisation unit code like B01LY00")
        return
    if (code[0], code[1:3], code[3:5]) not in _organisation_units():
        found.add("HO100300", path, f"{code} is not in Bichard 7's organisation units")
    elif not CourtCentre.objects.filter(ou_code=code).exists():
        found.add("HO100300", path, f"{code} is not one of our court centres")


def _check_force(asn: str, path: str, found: _Found) -> None:
    """The ASN's force and station as a police organisation unit (HO100300, after Bichard's
    convertAsnToOrganisationUnit: characters 3-6 of the 20-character form; the 21-character form has a
    top-level code first)."""
    top, rest = (asn[2], asn[3:]) if len(asn) == 21 else ("", asn[2:])
    force, station = rest[0:2], rest[2:4]
    if (top, force, station) not in _organisation_units():
        name = _force_name(force)
        where = f"force {force} ({name})" if name else f"force {force}, which Bichard 7 does not know,"
        found.add("HO100300", path, f"the ASN's station {station} of {where} is not a police organisation unit")


def _force_name(code: str) -> str:
    return next((f["name"] for f in _standing("forces.json") if f.get("code") == code), "")


# --- The case and its defendant ------------------------------------------------------------------------

def _check_case(case: ET.Element, path: str, hearing_date: dt.date | None, found: _Found) -> None:
    urn = _text(case, "l:PTIURN")
    if not PTIURN.match(urn):
        found.add("HO100201", f"{path}/PTIURN", f"{urn!r} is not a PTI-URN like 01AB1234521")
    elif not _force_name(urn[:2]):
        found.add("HO100300", f"{path}/PTIURN", f"the URN's force code {urn[:2]} is not a police force")
    defendant = case.find("l:Defendant", NS)
    if defendant is None:
        return
    path = f"{path}/Defendant"
    offences = defendant.findall("l:Offence", NS)
    _check_asn(_text(defendant, "l:ProsecutorReference"), f"{path}/ProsecutorReference", offences, found)
    person = defendant.find("l:CourtIndividualDefendant", NS)
    party = person if person is not None else defendant.find("l:CourtCorporateDefendant", NS)
    if party is not None:
        _check_party(party, f"{path}/{_local(party.tag)}", found)
    if len(offences) > MAX_OFFENCES:
        found.add("HO100331", path, f"{len(offences)} offences: the PNC cannot be updated automatically")
    numbers = Counter(_text(o, "l:BaseOffenceDetails/l:OffenceSequenceNumber") for o in offences)
    for i, offence in enumerate(offences, 1):
        _check_offence(offence, f"{path}/Offence[{i}]", hearing_date, numbers, found)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_asn(asn: str, path: str, offences: list[ET.Element], found: _Found) -> None:
    """HO100321 for a dummy ASN on recordable offences; else HO100206 unless the full 20- or 21-character form
    with the right check character (Bichard's validateAsn, our `identifiers`); then its force and station."""
    from courts.reference.models import Offence

    if DUMMY_ASN.match(asn):
        codes = [_text(o, "l:BaseOffenceDetails/l:OffenceCode") for o in offences]
        if Offence.objects.filter(cjs_code__in=codes, recordable_on_pnc=True).exists():
            found.add("HO100321", path, f"{asn} is a dummy ASN and the offences are recordable on the PNC")
        return
    if not ASN_PATTERN.match(asn):
        found.add("HO100206", path, f"{asn!r} is not a 20-character Arrest/Summons Number")
        return
    try:
        normalise_asn(asn)
    except ValueError as error:
        found.add("HO100206", path, str(error))
        return
    _check_force(asn, path, found)


def _check_party(party: ET.Element, path: str, found: _Found) -> None:
    pnc = _text(party, "l:PersonDefendant/l:PNCidentifier") or _text(party, "l:PNCidentifier")
    if pnc:
        m = SPI_PNC_ID.match(pnc)
        try:
            if not m:
                raise ValueError
            normalise_pnc_id(f"{m[1]}/{m[2]}")
        except ValueError:
            found.add("HO100209", f"{path}/PNCidentifier",
                      f"{pnc!r} is not a PNC ID of a 4-digit year, 7 digits and its check letter")
    line = _text(party, "l:Address/l:SimpleAddress/l:AddressLine1")
    if party.find("l:Address/l:SimpleAddress", NS) is not None and not 1 <= len(line) <= 35:
        found.add("HO100217", f"{path}/Address/SimpleAddress/AddressLine1",
                  "the first address line must have 1 to 35 characters" if line else "the address has no first line")
    status = _text(party, "l:BailStatus")
    if status not in _codes("remand-status.json"):
        found.add("HO100108", f"{path}/BailStatus", f"{status!r} is not a remand status")
    conditions = party.findtext("l:PersonDefendant/l:BailConditions", None, NS)
    if conditions and len(conditions) > TEXT_MAX:
        found.add("HO100219", f"{path}/PersonDefendant/BailConditions",
                  f"the bail conditions have {len(conditions)} characters; the message carries {TEXT_MAX}")
    for n, condition in enumerate((conditions or "").split(";"), 1):
        if len(condition.strip()) > TEXT_MAX:
            found.add("HO100219", f"{path}/PersonDefendant/BailConditions",
                      f"bail condition {n} has {len(condition.strip())} characters; the PNC takes {TEXT_MAX}")
    reason = party.findtext("l:ReasonForBailConditionsOrCustody", None, NS)
    if reason is not None and len(reason) > TEXT_MAX:
        found.add("HO100220", f"{path}/ReasonForBailConditionsOrCustody", f"more than {TEXT_MAX} characters")


# --- Offences and results ------------------------------------------------------------------------------

def _check_offence(offence: ET.Element, path: str, hearing_date: dt.date | None, numbers: Counter,
                   found: _Found) -> None:
    from courts.reference.models import Offence

    details = offence.find("l:BaseOffenceDetails", NS)
    number = _text(details, "l:OffenceSequenceNumber")
    if not number.isdigit() or not 1 <= int(number) <= 999:
        found.add("HO100239", f"{path}/BaseOffenceDetails/OffenceSequenceNumber",
                  f"{number!r}: offences are numbered from 1 as the police numbered them")
    elif numbers[number] > 1:
        found.add("HO100311", f"{path}/BaseOffenceDetails/OffenceSequenceNumber",
                  f"{numbers[number]} offences have sequence number {number}")
    code = _text(details, "l:OffenceCode")
    if not Offence.objects.filter(cjs_code__in={code, code[:7]}).exists():
        found.add("HO100306", f"{path}/BaseOffenceDetails/OffenceCode", f"{code!r} is not a CJS offence code")
    wording = details.findtext("l:OffenceWording", "", NS) if details is not None else ""
    if not 1 <= len(wording.strip()) <= TEXT_MAX:
        found.add("HO100234", f"{path}/BaseOffenceDetails/OffenceWording", f"must have 1 to {TEXT_MAX} characters")
    location = details.findtext("l:LocationOfOffence", None, NS) if details is not None else None
    if location is not None and not 1 <= len(location.strip()) <= 80:
        found.add("HO100232", f"{path}/BaseOffenceDetails/LocationOfOffence",
                  f"{len(location.strip())} characters; a location has 1 to 80")
    plea = _text(offence, "l:Plea")
    if plea and plea not in _codes("plea-status.json"):
        found.add("HO100108", f"{path}/Plea", f"{plea} is not an SPI plea status")
    mode = _text(offence, "l:ModeOfTrial")
    if mode and mode not in _codes("mode-of-trial-reason.json"):
        found.add("HO100108", f"{path}/ModeOfTrial", f"{mode} is not an SPI mode-of-trial reason")
    results = offence.findall("l:Result", NS)
    _check_conviction(offence, path, hearing_date, results, found)
    for r, result in enumerate(results, 1):
        _check_result(result, f"{path}/Result[{r}]", hearing_date, found)


def _check_conviction(offence: ET.Element, path: str, hearing_date: dt.date | None, results: list[ET.Element],
                      found: _Found) -> None:
    """HO100305: "a verdict but no conviction date, a conviction date but no verdict, the conviction date is
    after the hearing date, or similar" (exception-definitions.json)."""
    value, finding, plea = _text(offence, "l:ConvictionDate"), _text(offence, "l:Finding"), _text(offence, "l:Plea")
    conviction = _date(value)
    where = f"{path}/ConvictionDate"
    if finding and finding not in _codes("verdict.json"):
        found.add("HO100108", f"{path}/Finding", f"{finding} is not an SPI verdict")
    if conviction and hearing_date and conviction > hearing_date:
        found.add("HO100305", where, f"the conviction date {conviction} is after the hearing date {hearing_date}")
    if finding == "G" and not conviction:
        found.add("HO100305", where, "a guilty verdict with no conviction date")
    if conviction and finding in ("N", "O"):
        found.add("HO100305", where, "a conviction date with a verdict of not guilty")
    elif conviction and finding != "G" and plea not in GUILTY_PLEAS:
        found.add("HO100305", where, "a conviction date with neither a guilty plea nor a guilty verdict")
    if not conviction:
        sentences = [c for c in (_text(r, "l:ResultCode") for r in results) if _is_sentence(c)]
        if sentences:
            found.add("HO100305", where, f"sentence {sentences[0]} with no conviction date")


def _is_sentence(code: str) -> bool:
    """A final disposal that needs a conviction: a result of type F outside 2000-2999 (the non-conviction
    disposals: dismissed, withdrawn, discontinued ...)."""
    from courts.reference.models import CjsResultCode

    if not code.isdigit() or 2000 <= int(code) <= 2999:
        return False
    return CjsResultCode.objects.filter(code=code, type="F").exists()


def _check_result(result: ET.Element, path: str, hearing_date: dt.date | None, found: _Found) -> None:
    from courts.reference.models import CjsResultCode

    code = _text(result, "l:ResultCode")
    if not code.isdigit() or not 1000 <= int(code) <= 9999:
        found.add("HO100240", f"{path}/ResultCode", f"{code!r} is not a CJS result code of 1000 to 9999"
                  if code else "the result has no CJS result code")
    elif not CjsResultCode.objects.filter(code=code).exists():
        found.add("HO100307", f"{path}/ResultCode", f"{code} is not in the CJS result codes")
    text = result.findtext("l:ResultText", "", NS)
    if not 1 <= len(text.strip()) <= TEXT_MAX:
        found.add("HO100245", f"{path}/ResultText", f"must have 1 to {TEXT_MAX} characters")
    for qualifier in result.findall("l:ResultCodeQualifier", NS):
        value = (qualifier.text or "").strip()
        if value not in _codes("result-qualifier-code.json", "cjsCode"):
            found.add("HO100309", f"{path}/ResultCodeQualifier", f"{value!r} is not a result qualifier code")
    next_hearing = result.find("l:NextHearing", NS)
    if next_hearing is not None:
        location = _text(next_hearing, "l:NextHearingDetails/l:CourtHearingLocation")
        where = f"{path}/NextHearing/NextHearingDetails"
        if not location:
            found.add("HO100322", f"{where}/CourtHearingLocation", "the adjournment names no court")
        else:
            _check_court(location, f"{where}/CourtHearingLocation", found)
        value = _text(next_hearing, "l:NextHearingDetails/l:DateOfHearing")
        if not value:
            found.add("HO100323", f"{where}/DateOfHearing", "the adjournment gives no date")
        elif _date(value) is None:
            found.add("HO100102", f"{where}/DateOfHearing", f"{value!r} is not a date")
        status = _text(next_hearing, "l:BailStatusOffence")
        if status and status not in _codes("remand-status.json"):
            found.add("HO100108", f"{path}/NextHearing/BailStatusOffence", f"{status!r} is not a remand status")
    elif is_adjournment_code(code):
        found.add("HO100322", f"{path}/NextHearing", f"result {code} adjourns the case but names no next court")
        found.add("HO100323", f"{path}/NextHearing", f"result {code} adjourns the case but gives no next date")
    outcome = result.find("l:Outcome", NS)
    if outcome is not None:
        _check_outcome(outcome, f"{path}/Outcome", found)


def _check_outcome(outcome: ET.Element, path: str, found: _Found) -> None:
    amount = _text(outcome, "l:ResultAmountSterling")
    if amount:
        try:
            value = Decimal(amount)
        except InvalidOperation:
            value = None
        if value is None or not Decimal("0.01") <= value <= Decimal("999999999999.99"):
            found.add("HO100243", f"{path}/ResultAmountSterling", f"{amount!r}: an amount is 0.01 to 999999999999.99")
    duration = outcome.find("l:Duration", NS)
    if duration is None:
        return
    for value_tag, unit_tag in (("DurationValue", "DurationUnit"), ("SecondaryDurationValue", "SecondaryDurationUnit")):
        value, unit = _text(duration, f"l:{value_tag}"), _text(duration, f"l:{unit_tag}")
        if value and (not value.isdigit() or not 1 <= int(value) <= 999):
            found.add("HO100242", f"{path}/Duration/{value_tag}", f"{value!r}: a duration is 1 to 999")
        if unit and unit not in _codes("duration-unit.json"):
            found.add("HO100108", f"{path}/Duration/{unit_tag}", f"{unit!r} is not a duration unit")
