"""Every list type, rendered as its Court and Tribunal Hearings document, validates against the
published schema (hmcts/pip-data-management src/main/resources/schemas, JSON Schema 2020-12)."""

import json
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator

from courts.publishing.enums import CourtListType, ListFormat
from courts.publishing.formats import court_list_document, text
from courts.publishing.selectors import court_list_build
from courts.publishing.tests.factories import (
    CROWN_OU,
    HEARING_DAY,
    MAGISTRATES_OU,
    VICTIM,
    crown_day,
    magistrates_day,
    warned_for_week,
)
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db

SCHEMAS = "pip-data-management/src/main/resources/schemas"


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((Path(settings.REFERENCE_DIR) / SCHEMAS / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)]


def document(list_type: CourtListType, ou: str) -> tuple[ListFormat, dict]:
    court_list = court_list_build(court_centre=CourtCentre.objects.get(ou_code=ou), date=HEARING_DAY,
                                  list_type=list_type)
    return court_list.format, court_list_document(court_list)


EVERY_LIST = [
    (CourtListType.PUBLIC, MAGISTRATES_OU, "magistrates_public_list.json"),
    (CourtListType.PRESS, MAGISTRATES_OU, "magistrates_standard_list.json"),
    (CourtListType.INTERNAL, MAGISTRATES_OU, "magistrates_standard_list.json"),
    (CourtListType.PUBLIC, CROWN_OU, "crown_daily_pdda_list.json"),
    (CourtListType.PRESS, CROWN_OU, "crown_daily_pdda_list.json"),
    (CourtListType.INTERNAL, CROWN_OU, "crown_daily_pdda_list.json"),
    (CourtListType.CROWN_DAILY, CROWN_OU, "crown_daily_pdda_list.json"),
    (CourtListType.CROWN_FIRM, CROWN_OU, "crown_firm_pdda_list.json"),
    (CourtListType.CROWN_WARNED, CROWN_OU, "crown_warned_pdda_list.json"),
]


@pytest.mark.parametrize(("list_type", "ou", "schema"), EVERY_LIST, ids=[f"{t.value}-{o}" for t, o, _ in EVERY_LIST])
def test_every_list_type_validates_against_its_schema(list_type, ou, schema):
    # given a full day at both courts, and a trial warned for the week
    magistrates_day()
    crown_day()
    warned_for_week()
    # when
    list_format, doc = document(list_type, ou)
    # then
    assert list_format.value == schema
    assert errors(schema, doc) == []


def test_an_empty_day_validates_too():
    for list_type, ou, schema in EVERY_LIST:
        assert errors(schema, document(list_type, ou)[1]) == [], (list_type, ou)


def test_the_public_list_also_validates_against_the_standard_lists_stricter_party_definition():
    # magistrates_public_list.json puts its party properties under "items" of an object, so they check
    # nothing; the standard list defines the same party properly.
    magistrates_day()
    assert errors("magistrates_standard_list.json", document(CourtListType.PUBLIC, MAGISTRATES_OU)[1]) == []


def test_the_validator_does_refuse_what_the_schemas_refuse():
    magistrates_day()
    _, doc = document(CourtListType.PRESS, MAGISTRATES_OU)
    doc["courtLists"][0]["courtHouse"]["courtRoom"][0]["courtRoomName"] = "<b>Courtroom 1</b>"
    doc["document"]["publicationDate"] = "16 March 2026"
    assert len(errors("magistrates_standard_list.json", doc)) == 2


def test_text_that_looks_like_html_is_made_acceptable():
    assert text("Value <less than £50>") == "Value (less than £50)"
    assert text("a < b > c") == "a ( b ) c"
    assert text("x < y") == "x < y"
    assert errors("magistrates_public_list.json", {
        "document": {"publicationDate": "2026-03-16T09:00:00Z"},
        "venue": {"venueAddress": {"line": [text("<script>alert(1)</script>")], "postCode": "SW11 1JU"}},
        "courtLists": [],
    }) == []


def test_public_document_names_adults_with_offence_titles_and_nothing_the_law_hides():
    magistrates_day()
    _, doc = document(CourtListType.PUBLIC, MAGISTRATES_OU)
    flat = json.dumps(doc)
    assert "Doe" in flat and "Eighteen" in flat and "Assault by beating" in flat
    for hidden in ("Seventeen", "Teen", "Rob", "Yasmin", "Youth court", "01AB1234528", "01AB1234531", VICTIM, "1990-05-17", "High Street",
                   "offenceWording", "dateOfBirth"):
        assert hidden not in flat, hidden
    sittings = doc["courtLists"][0]["courtHouse"]["courtRoom"][0]["session"][0]["sittings"]
    assert sittings[0]["sittingStart"] == "2026-03-16T10:00:00Z"
    party = sittings[0]["hearing"][0]["case"][0]["party"]
    assert party == [
        {"partyRole": "PROSECUTING_AUTHORITY", "organisationDetails": {"organisationName": "Crown Prosecution Service"}},
        {"partyRole": "DEFENDANT", "individualDetails": {"individualForenames": "Jane", "individualSurname": "Doe"},
         "offence": [{"offenceTitle": "Assault by beating"}]},
    ]


def test_press_document_withholds_a_17_year_olds_name_and_flags_the_restriction():
    magistrates_day()
    _, doc = document(CourtListType.PRESS, MAGISTRATES_OU)
    flat = json.dumps(doc)
    for hidden in ("Sam", "Seventeen", "Tom", "Rob", "Yasmin", "2008-03-17", f"Sexually assaulted {VICTIM}"):
        assert hidden not in flat, hidden
    assert "Eighteen" in flat and "1990-05-17" in flat and "offenceWording" in flat
    cases = [c for room in doc["courtLists"][0]["courtHouse"]["courtRoom"] for s in room["session"]
             for sitting in s["sittings"] for h in sitting["hearing"] for c in h["case"]]
    sam = next(c for c in cases if c["caseUrn"] == "01AB1234526")
    assert sam["reportingRestriction"] is True
    assert sam["reportingRestrictionDetails"] == ["Under 18 on the hearing date (CYPA 1933 s.49; YJCEA 1999 s.45)"]
    assert sam["party"][1] == {"partyRole": "DEFENDANT", "offence": [
        {"offenceCode": "CJ88116", "offenceTitle": "Assault by beating", "reportingRestriction": True,
         "reportingRestrictionDetails": ["Under 18 on the hearing date (CYPA 1933 s.49; YJCEA 1999 s.45)"]}]}


def test_crown_press_list_masks_the_names_the_law_protects():
    crown_day()
    _, doc = document(CourtListType.PRESS, CROWN_OU)
    hearings = doc["DailyList"]["CourtLists"][0]["Sittings"][0]["Hearings"]
    masked = [d["PersonalDetails"] for h in hearings for d in h["Defendants"] if d["PersonalDetails"]["IsMasked"] == "yes"]
    assert masked == [{"Name": {}, "MaskedName": "Name withheld", "IsMasked": "yes"}] * 2
    assert "Seventeen" not in json.dumps(doc) and VICTIM not in json.dumps(doc)
