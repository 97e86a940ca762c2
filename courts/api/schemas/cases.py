"""The JSON a prosecutor's system sends to create a case. Field names follow Common Platform's
camelCase; enumerations are spelled out so that a request reads on its own."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from courts.cases.enums import DefendantKind, Gender, InitiationType
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake

Str100 = Field(default="", max_length=100)

CASE_FIELDS = {"initiation_type": "initiationType", "court_centre_ou_code": "firstHearing/courtCentre",
               "hearing_date": "firstHearing/date"}
DEFENDANT_FIELDS = {"last_name": "lastName", "first_name": "firstName", "date_of_birth": "dateOfBirth",
                    "organisation_name": "organisationName", "pnc_id": "pncId", "cro_number": "croNumber",
                    "bail_status": "bailStatus", "bail_conditions": "bailConditions", "kind": "type"}
OFFENCE_FIELDS = {"cjs_code": "offenceCode", "start_date": "startDate", "end_date": "endDate",
                  "charge_date": "chargeDate", "laid_date": "laidDate"}


class AddressIn(Schema):
    lines: list[str] = Field(default_factory=list, max_length=5, description="Up to five address lines")
    postcode: str = Field(default="", max_length=10)


class OffenceIn(Schema):
    offenceCode: str = Field(max_length=12, description="CJS offence code, e.g. TH68001")
    wording: str = Field(max_length=4000)
    startDate: dt.date
    endDate: dt.date | None = None
    chargeDate: dt.date | None = None
    laidDate: dt.date | None = None
    location: str = Field(default="", max_length=300)

    def to_intake(self, path: str) -> OffenceIntake:
        return OffenceIntake(
            cjs_code=self.offenceCode,
            wording=self.wording,
            start_date=self.startDate,
            end_date=self.endDate,
            charge_date=self.chargeDate,
            laid_date=self.laidDate,
            location=self.location,
            path=path,
            field_names=OFFENCE_FIELDS,
        )


class DefendantIn(Schema):
    type: Literal["PERSON", "ORGANISATION"] = "PERSON"
    title: str = Field(default="", max_length=35)
    firstName: str = Str100
    middleName: str = Field(default="", max_length=200)
    lastName: str = Str100
    dateOfBirth: dt.date | None = None
    gender: Literal["MALE", "FEMALE", "NOT_KNOWN", "NOT_SPECIFIED"] = "NOT_KNOWN"
    organisationName: str = Field(default="", max_length=200)
    address: AddressIn | None = None
    asn: str = Field(default="", max_length=25, description="Arrest/Summons Number with its check character")
    pncId: str = Field(default="", max_length=14)
    croNumber: str = Field(default="", max_length=12)
    prosecutorReference: str = Field(default="", max_length=30)
    bailStatus: str = Field(default="", max_length=2, description="CJS remand status at charge: U, B, C, P, A, L, S")
    bailConditions: str = Field(default="", max_length=2500)
    custodyReasons: str = Field(default="", max_length=2500)
    offences: list[OffenceIn] = Field(min_length=1, max_length=200)

    def to_intake(self, path: str) -> DefendantIntake:
        address = self.address or AddressIn()
        return DefendantIntake(
            kind=DefendantKind.PERSON if self.type == "PERSON" else DefendantKind.ORGANISATION,
            title=self.title,
            first_name=self.firstName,
            middle_name=self.middleName,
            last_name=self.lastName,
            date_of_birth=self.dateOfBirth,
            gender=Gender(self.gender),
            organisation_name=self.organisationName,
            address_lines=address.lines,
            postcode=address.postcode,
            asn=self.asn,
            pnc_id=self.pncId,
            cro_number=self.croNumber,
            prosecutor_reference=self.prosecutorReference,
            bail_status=self.bailStatus.strip().upper(),
            bail_conditions=self.bailConditions,
            custody_reasons=self.custodyReasons,
            offences=[o.to_intake(f"{path}/offences/{j}") for j, o in enumerate(self.offences)],
            path=path,
            field_names=DEFENDANT_FIELDS,
        )


class FirstHearingIn(Schema):
    courtCentre: str = Field(max_length=8, description="The court centre's OU code, e.g. B01LY00")
    date: dt.date
    time: dt.time | None = None


class CaseCreateIn(Schema):
    urn: str = Field(max_length=20, description="PTI-URN, e.g. 01AB1234521")
    initiationType: Literal[tuple(t.name for t in InitiationType)]  # type: ignore[valid-type]
    prosecutingAuthority: str = Field(default="", max_length=40,
                                      description="Defaults to the token's organisation's authority code")
    originatingOrganisation: str = Field(default="", max_length=20)
    cpsOrganisation: str = Field(default="", max_length=20)
    informant: str = Field(default="", max_length=100)
    caseMarkers: list[str] = Field(default_factory=list, max_length=20)
    anticipatedPlea: Literal["GUILTY", "NOT_GUILTY", "UNKNOWN"] = Field(
        default="UNKNOWN", description="Decides how soon a bail case is first listed (about 14 or 28 days)")
    reportingRestrictions: list[str] = Field(default_factory=list, max_length=10,
                                             description="Statutory reporting restrictions; keeps the case off public lists")
    firstHearing: FirstHearingIn
    defendants: list[DefendantIn] = Field(min_length=1, max_length=200)

    def to_intake(self) -> CaseIntake:
        return CaseIntake(
            urn=self.urn,
            initiation_type=InitiationType[self.initiationType].value,
            court_centre_ou_code=self.firstHearing.courtCentre,
            hearing_date=self.firstHearing.date,
            hearing_time=self.firstHearing.time,
            prosecuting_authority_code=self.prosecutingAuthority,
            originating_organisation=self.originatingOrganisation,
            cps_organisation=self.cpsOrganisation,
            informant=self.informant,
            case_markers=self.caseMarkers,
            anticipated_plea=self.anticipatedPlea,
            reporting_restrictions=self.reportingRestrictions,
            defendants=[d.to_intake(f"defendants/{i}") for i, d in enumerate(self.defendants)],
            field_names=CASE_FIELDS,
        )
