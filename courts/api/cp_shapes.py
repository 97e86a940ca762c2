"""Our records in Common Platform's own JSON shapes (the LAA external schemas `api*.json`), so that
partner clients written for Common Platform can read them."""

import datetime as dt
import uuid
from typing import Any

from courts.cases.enums import DefendantKind, OffenceStatus
from courts.cases.models import Defendant, Offence, ProsecutionCase
from courts.custody.models import CustodyTimeLimit
from courts.custody.selectors import ctl_for_defendants

# Stable ids for reference values that have no id of their own in our tables.
REFERENCE_NAMESPACE = uuid.UUID("6f1c1d3e-3b7a-4c55-9f55-6a0c8c1f7a10")


def reference_uuid(kind: str, code: str) -> str:
    return str(uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{code}"))


def _address(lines: list[str], postcode: str) -> dict[str, str] | None:
    if not lines:
        return None
    # CP has five address fields; an SPI address (SAON, PAON, street, locality, town...) can have more.
    lines = [*lines[:4], ", ".join(lines[4:])] if len(lines) > 5 else lines
    address = {f"address{i + 1}": line for i, line in enumerate(lines)}
    if postcode:
        address["postcode"] = postcode
    return address


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


# Our allocation decisions → Common Platform's mode of trial reasons (motReasonCode, description, id,
# sequence as in Common Platform's published hearing events; the consent code follows the SPI list).
ALLOCATION_REASONS: dict[str, tuple[str, str, str, int]] = {
    "SUMMARY_TRIAL": ("3", "Defendant consents to summary trial",
                      str(uuid.uuid5(REFERENCE_NAMESPACE, "mode-of-trial-reason:3")), 30),
    "ELECTED_CROWN": ("4", "Defendant chooses trial by jury", "f8eb278a-8bce-373e-b365-b45e939da38a", 40),
    "SENT_CROWN": ("05", "Court directs trial by jury", "d47268e9-db2e-3aa3-827b-ba3afb7ff94a", 20),
}
# Our verdicts → Common Platform's verdict types (referencedata verdict-types), by jurisdiction.
VERDICT_TYPES: dict[tuple[str, str], dict[str, Any]] = {
    ("GUILTY", "MAGISTRATES"): {"id": "c4ca4238-a0b9-3382-8dcc-509a6f75849b", "sequence": 10,
                                "description": "Found guilty", "category": "Guilty", "categoryType": "GUILTY",
                                "cjsVerdictCode": "G", "verdictCode": "G"},
    ("NOT_GUILTY", "MAGISTRATES"): {"id": "c81e728d-9d4c-3f63-af06-7f89cc14862c", "sequence": 20,
                                    "description": "Found not guilty", "category": "Not Guilty",
                                    "categoryType": "NOT_GUILTY", "cjsVerdictCode": "N", "verdictCode": "N"},
    ("GUILTY", "CROWN"): {"id": "dfd71ee7-039d-3d93-ae37-98ef38aec6e4", "sequence": 10, "description": "Found guilty",
                          "category": "Guilty", "categoryType": "GUILTY_BY_JURY_CONVICTED", "cjsVerdictCode": "G",
                          "verdictCode": "G"},
    ("NOT_GUILTY", "CROWN"): {"id": "c3d85040-c090-3150-898c-0532b926282f", "sequence": 20,
                              "description": "Found not guilty", "category": "Not Guilty",
                              "categoryType": "NOT_GUILTY", "cjsVerdictCode": "N", "verdictCode": "N"},
}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def plea_cp(offence_id: str, value: str, on: dt.date) -> dict[str, Any]:
    return {"offenceId": offence_id, "pleaDate": on.isoformat(), "pleaValue": value}


def allocation_decision_cp(offence_id: str, value: str, on: dt.date | None) -> dict[str, Any] | None:
    if value not in ALLOCATION_REASONS:
        return None
    code, description, reason_id, sequence = ALLOCATION_REASONS[value]
    return _drop_empty({"offenceId": offence_id, "motReasonId": reason_id, "motReasonDescription": description,
                        "motReasonCode": code, "sequenceNumber": sequence, "allocationDecisionDate": _iso(on)})


def verdict_cp(offence_id: str, value: str, on: dt.date, *, crown: bool) -> dict[str, Any] | None:
    verdict_type = VERDICT_TYPES.get((value, "CROWN" if crown else "MAGISTRATES"))
    if verdict_type is None:
        return None
    return {"offenceId": offence_id, "verdictDate": on.isoformat(), "verdictType": dict(verdict_type)}


def custody_time_limit_cp(ctl: CustodyTimeLimit | None) -> dict[str, Any] | None:
    """`apiCustodyTimeLimit` of a running limit: its expiry (as extended) and the days spent so far."""
    if ctl is None or not ctl.running or not (ctl.extended_to or ctl.expiry):
        return None
    return {"timeLimit": (ctl.extended_to or ctl.expiry).isoformat(), "daysSpent": ctl.days_spent}


def _outcome(offence: Offence, ctl: CustodyTimeLimit | None) -> dict[str, Any]:
    """The offence's outcome so far, as shared results left it."""
    oid = str(offence.id)
    return {
        "plea": plea_cp(oid, offence.plea, offence.plea_date) if offence.plea and offence.plea_date else None,
        "allocationDecision": allocation_decision_cp(oid, offence.allocation_decision, offence.allocation_date),
        "verdict": verdict_cp(oid, offence.verdict, offence.verdict_date, crown=bool(offence.sent_to_crown_date))
        if offence.verdict and offence.verdict_date else None,
        "convictionDate": _iso(offence.conviction_date),
        "aquittalDate": _iso(offence.acquittal_date),  # sic: Common Platform's spelling
        "custodyTimeLimit": custody_time_limit_cp(ctl),
        "proceedingsConcluded": True if offence.disposed_on else None,
    }


def offence_cp(offence: Offence, ctl: CustodyTimeLimit | None = None) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": str(offence.id),
            "offenceDefinitionId": str(offence.definition_id),
            "offenceCode": offence.cjs_code,
            "offenceTitle": offence.title,
            "modeOfTrial": offence.get_mode_of_trial_display(),
            "wording": offence.wording,
            "startDate": offence.start_date.isoformat(),
            "endDate": offence.end_date.isoformat() if offence.end_date else None,
            "chargeDate": offence.charge_date.isoformat() if offence.charge_date else None,
            "laidDate": offence.laid_date.isoformat() if offence.laid_date else None,
            "orderIndex": offence.sequence,
            "count": 0,
            "offenceDateCode": offence.date_code,
            "isDiscontinued": offence.status == OffenceStatus.WITHDRAWN,
            **_outcome(offence, ctl),
        }
    ) | {"count": 0}


def defendant_cp(defendant: Defendant, bail_descriptions: dict[str, str],
                 ctls: dict[Any, CustodyTimeLimit] | None = None) -> dict[str, Any]:
    ctls = ctls or {}
    data: dict[str, Any] = {
        "id": str(defendant.id),
        "masterDefendantId": str(defendant.id),
        "prosecutionCaseId": str(defendant.case_id),
        "prosecutionAuthorityReference": defendant.prosecutor_reference or defendant.asn,
        "offences": [offence_cp(o, ctls.get(o.id)) for o in defendant.offences.all()],
        "croNumber": defendant.cro_number,
        "pncId": defendant.pnc_id,
        "proceedingsConcluded": True if defendant.proceedings_concluded else None,
    }
    address = _address(defendant.address_lines, defendant.postcode)
    if defendant.kind == DefendantKind.ORGANISATION:
        data["legalEntityDefendant"] = {"organisation": _drop_empty({"name": defendant.organisation_name,
                                                                      "address": address})}
    else:
        person = _drop_empty(
            {
                "title": defendant.title,
                "firstName": defendant.first_name,
                "middleName": defendant.middle_name,
                "lastName": defendant.last_name,
                "dateOfBirth": defendant.date_of_birth.isoformat() if defendant.date_of_birth else None,
                "gender": defendant.gender,
                "address": address,
            }
        )
        person_defendant: dict[str, Any] = {"personDetails": person, "arrestSummonsNumber": defendant.asn}
        if defendant.bail_status:
            person_defendant["bailStatus"] = {
                "id": reference_uuid("bail-status", defendant.bail_status),
                "code": defendant.bail_status,
                "description": bail_descriptions.get(defendant.bail_status, defendant.bail_status),
            }
            person_defendant["bailConditions"] = defendant.bail_conditions
            person_defendant["bailReasons"] = defendant.custody_reasons
        data["personDefendant"] = _drop_empty(person_defendant)
    return _drop_empty(data)


def custody_time_limits(case: ProsecutionCase) -> dict[Any, CustodyTimeLimit]:
    """Offence id → custody time limit for the case's offences: from the offences themselves when they
    were loaded with `select_related("custody_time_limit")` (lists of hearings), else in one query."""
    offences = [o for d in case.defendants.all() for o in d.offences.all()]
    descriptor = Offence.custody_time_limit
    if offences and all(descriptor.is_cached(o) for o in offences):
        found = (descriptor.related.get_cached_value(o) for o in offences)
        return {c.offence_id: c for c in found if c is not None}
    return ctl_for_defendants(defendant_ids=[d.id for d in case.defendants.all()]) if offences else {}


def prosecution_case_cp(case: ProsecutionCase, bail_descriptions: dict[str, str],
                        ctls: dict[Any, CustodyTimeLimit] | None = None) -> dict[str, Any]:
    """The case as `apiProsecutionCase.json` describes it, with each offence's outcome so far (plea,
    allocation, verdict, conviction) and its custody time limit while it runs. `ctls` (offence id →
    limit) saves the query when the caller has them."""
    ctls = custody_time_limits(case) if ctls is None else ctls
    prosecutor = case.prosecutor
    identifier = _drop_empty(
        {
            "prosecutionAuthorityId": str(prosecutor.public_id),
            "prosecutionAuthorityCode": case.prosecuting_authority_code,
            "prosecutionAuthorityName": prosecutor.name,
            "prosecutionAuthorityOUCode": prosecutor.ou_code,
            "caseURN": case.urn,
        }
    )
    return _drop_empty(
        {
            "id": str(case.id),
            "prosecutionCaseIdentifier": identifier,
            "originatingOrganisation": case.originating_organisation,
            "initiationCode": case.initiation_type,
            "caseStatus": case.status,
            "summonsCode": case.summons_code,
            "defendants": [defendant_cp(d, bail_descriptions, ctls) for d in case.defendants.all()],
        }
    )
