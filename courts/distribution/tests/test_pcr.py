"""Prisons: the prison court register entry and the warrant, as the published PCR contract shapes it
(`api-cp-crime-results-pcr`, validated against its `PcrHearingResult`), to the prison the result names,
and the warrant as a PDF."""

import copy
import datetime as dt
import json
import uuid
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from jsonschema import Draft7Validator, FormatChecker

from courts.custody.models import Warrant
from courts.distribution.enums import MessageFormat, PartnerKind
from courts.distribution.models import Delivery
from courts.distribution.pcr import pcr_entry, prison_email, warrant_pdf
from courts.distribution.services import PartnerSpec, partner_create
from courts.hearings.tests.factories import CLERK, COMMON_ASSAULT, court_day, listed_case
from courts.hearings.tests.test_sharing import draft_for, save, share
from courts.listing.tests.factories import room, sitting

pytestmark = pytest.mark.django_db

PCR_SPEC = "api-cp-crime-results-pcr/src/main/resources/openapi/openapi-spec.yml"
SECRET = "a-long-shared-secret-0123456789"


# --- The contract's schema as JSON Schema --------------------------------------------------------


def _json_schema(node: object) -> object:
    """OpenAPI 3.0 to JSON Schema: `nullable: true` admits null; every object the contract describes
    has only the properties it names (ours must add none)."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "example", "examples")}
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if out.get("type") in ("object", ["object", "null"]) and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


FORMATS = FormatChecker()


@FORMATS.checks("uuid", raises=ValueError)
def _uuid(value: object) -> bool:
    return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(dt.date.fromisoformat(value))


@cache
def _pcr_validator() -> Draft7Validator:
    spec = yaml.safe_load((Path(settings.REFERENCE_DIR) / PCR_SPEC).read_text())
    components = _json_schema(copy.deepcopy(spec["components"]))
    return Draft7Validator({"$ref": "#/components/schemas/PcrHearingResult", "components": components},
                           format_checker=FORMATS)


def pcr_errors(entry: dict) -> list[str]:
    """The entry against PcrHearingResult, strictly; our one extension, `warrant`, is checked apart."""
    contract = {k: v for k, v in entry.items() if k != "warrant"}
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _pcr_validator().iter_errors(contract)]


# --- Custody results, shared ---------------------------------------------------------------------


def imprison(prison: str = "HMP Brixton", **case):
    """A guilty plea and six months' imprisonment to `prison`, shared: a warrant of commitment."""
    case_, hearing = listed_case(codes=(COMMON_ASSAULT,), bail_status="C", **case)
    defendant = case_.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G imp 6m FVS", prison=prison))
    answers = {f"{r.short_code.upper()}:{spec.id}": "0" for o in work.offences for r in o.results for spec in r.missing}
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G imp 6m FVS", prison=prison, answers=answers))
    assert work.can_share, [c.message for c in work.errors]
    share(hearing, defendant)
    return case_, hearing, defendant


def remand(prison: str = "HMP Wandsworth"):
    """A remand in custody to a next hearing a week on, shared: a warrant of remand."""
    day = court_day()
    next_day = day + dt.timedelta(days=7)
    while next_day.weekday() >= 5:
        next_day += dt.timedelta(days=1)
    case, hearing = listed_case(codes=(COMMON_ASSAULT,), bail_status="C", day=day)
    sitting(room("Courtroom 2"), next_day, capacity_minutes=600)
    defendant = case.defendants.get()
    line = f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    _, work = save(hearing, defendant, draft_for(defendant, line, prison=prison))
    answers = {f"RI:{spec.id}": "Fail to surrender" for o in work.offences for r in o.results for spec in r.missing
               if r.short_code == "RI"}
    _, work = save(hearing, defendant, draft_for(defendant, line, prison=prison, answers=answers))
    assert work.can_share, [c.message for c in work.errors]
    share(hearing, defendant)
    return case, hearing, defendant


def prison_partner(name: str, prisons: list[str], url: str = "https://prison.example/pcr", email: str = ""):
    return partner_create(spec=PartnerSpec(name=name, kind=PartnerKind.PRISON, format=MessageFormat.PRISON_COURT_REGISTER,
                                           url=url, key_id="k1", secret=SECRET, prison_names=prisons,
                                           contact_email=email), actor=CLERK)


# --- The register entry --------------------------------------------------------------------------


def test_a_custodial_sentence_is_a_register_entry_the_pcr_contract_accepts():
    prison_partner("HMP Brixton OMU", ["HMP Brixton"], email="omu.brixton@justice.example")
    case, hearing, defendant = imprison()
    warrant = Warrant.objects.get(defendant=defendant)
    # when
    entry = pcr_entry(warrant)
    # then
    assert pcr_errors(entry) == []
    assert pcr_errors({**entry, "offences": [{"code": 1}], "invented": True})  # the check does check
    assert entry["custodyLocation"] == {"name": "HMP Brixton", "custodyType": "Prison"}
    assert entry["prosecutionCase"]["caseURN"] == case.urn
    assert entry["defendant"]["id"] == str(defendant.id) and entry["defendant"]["dateOfBirth"] == "1985-02-03"
    assert entry["hearing"]["id"] == str(hearing.id) and entry["hearing"]["courtDetails"]["court"]["courtHouseCode"]
    [offence] = entry["offences"]
    assert offence["code"] == defendant.offences.get().cjs_code and offence["pleaValue"] == "GUILTY"
    assert offence["convictionDate"] == entry["hearing"]["hearingDate"]
    texts = {t["label"]: t["value"] for r in offence["results"] for t in r["resultTexts"]}
    assert texts["Imprisonment Period"] == "6 Months"
    assert texts["Prison organisation name"] == "HMP Brixton"
    assert texts["Prison email address 1"] == "omu.brixton@justice.example"
    # The surcharge is on the case: the case's results.
    case_texts = {t["label"]: t["value"] for r in entry["prosecutionCase"]["results"] for t in r["resultTexts"]}
    assert case_texts["Amount of surcharge"].startswith("£")
    assert entry["warrant"]["kind"] == "COMMITMENT" and entry["warrant"]["documentId"] == str(warrant.id)
    assert entry["warrant"]["eventType"] == "WEE_CustodialSentence"
    assert entry["warrant"]["prisonEmailAddress"] == "omu.brixton@justice.example"


def test_a_remand_in_custody_names_the_next_hearing_and_validates():
    _, hearing, defendant = remand()
    warrant = Warrant.objects.get(defendant=defendant)
    # when
    entry = pcr_entry(warrant)
    # then
    assert pcr_errors(entry) == []
    assert entry["warrant"]["kind"] == "REMAND" and entry["warrant"]["eventType"] == "WEE_Remand"
    assert entry["defendant"]["postHearingCustodyStatus"] == "C"
    nxt = entry["hearing"]["nextHearing"]
    assert nxt["hearingId"] and nxt["hearingId"] != str(hearing.id)
    assert dt.datetime.fromisoformat(nxt["dateTime"]).date() > dt.date.fromisoformat(entry["hearing"]["hearingDate"])
    assert entry["offences"][0]["pleaValue"] == "NOT_GUILTY"


# --- To the prison named -------------------------------------------------------------------------


def test_the_register_goes_to_the_prison_the_result_names_and_to_catch_all_prisons():
    brixton = prison_partner("Brixton", ["hmp brixton"])  # any letter case
    wandsworth = prison_partner("Wandsworth", ["HMP Wandsworth"])
    every = prison_partner("Every prison", [])
    # when
    imprison("HMP Brixton")
    # then
    owed = {d.partner_id: d for d in Delivery.objects.all()}
    assert set(owed) == {brixton.id, every.id}
    assert wandsworth.id not in owed
    delivery = owed[brixton.id]
    assert delivery.urgent and delivery.content_type == "application/json"
    assert pcr_errors(json.loads(delivery.body)) == []


def test_no_custody_no_register():
    prison_partner("Every prison", [])
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save(hearing, defendant, draft_for(defendant, "plea=G FO 200 FCPC 85 FVS"))
    share(hearing, defendant)
    assert not Delivery.objects.exists()


def test_the_prisons_mailbox_comes_from_the_prison_partner_that_receives_for_it():
    prison_partner("Brixton", ["HMP Brixton"], email="omu.brixton@justice.example")
    assert prison_email("hmp brixton ") == "omu.brixton@justice.example"
    assert prison_email("HMP Leeds") == ""


# --- The warrant as a PDF ------------------------------------------------------------------------


def test_the_warrant_is_a_pdf():
    _, _, defendant = imprison()
    warrant = Warrant.objects.get(defendant=defendant)
    pdf = warrant_pdf(warrant)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 1500
