"""Our records in Common Platform's own JSON shapes (the LAA external schemas `api*.json`), so that
partner clients written for Common Platform can read them."""

import uuid
from typing import Any

from courts.cases.enums import DefendantKind, OffenceStatus
from courts.cases.models import Defendant, Offence, ProsecutionCase

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


def offence_cp(offence: Offence) -> dict[str, Any]:
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
        }
    ) | {"count": 0}


def defendant_cp(defendant: Defendant, bail_descriptions: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(defendant.id),
        "masterDefendantId": str(defendant.id),
        "prosecutionCaseId": str(defendant.case_id),
        "prosecutionAuthorityReference": defendant.prosecutor_reference or defendant.asn,
        "offences": [offence_cp(o) for o in defendant.offences.all()],
        "croNumber": defendant.cro_number,
        "pncId": defendant.pnc_id,
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


def prosecution_case_cp(case: ProsecutionCase, bail_descriptions: dict[str, str]) -> dict[str, Any]:
    """The case as `apiProsecutionCase.json` describes it."""
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
            "defendants": [defendant_cp(d, bail_descriptions) for d in case.defendants.all()],
        }
    )
