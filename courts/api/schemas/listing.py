"""The listing API's JSON: court rooms, sittings, hearings waiting or listed, and the listing rules.

Every write that edits something the caller read carries the `version` it read; a stale one is
refused with 409 `stale_version`. Conflicts are refused with 409 `listing_conflicts` listing each one
(`blocking` or `warning`); send again with `acknowledgeConflicts: true` to accept the warnings."""

import datetime as dt
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field

from courts.listing.enums import JudiciaryType, Session, SittingKind
from courts.listing.models import CourtRoom, Hearing, HearingDay, ListingRules, NonSittingDay, Sitting
from courts.listing.selectors import DiarySitting
from courts.listing.services import SittingSpec

SessionCode = Literal["AM", "PM", "DAY"]
SittingKindCode = Literal["ADULT", "CUSTODY", "YOUTH"]
JudiciaryTypeCode = Literal["BENCH", "DISTRICT_JUDGE", "JUDGE", "RECORDER"]
Version = Field(ge=1, description="The version you read; a stale one is refused with 409 stale_version")


# --- Court rooms and non-sitting days ------------------------------------------------------------


class CourtRoomCreateIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    welshName: str = Field(default="", max_length=60)


class CourtRoomOut(Schema):
    id: uuid.UUID
    courtCentre: str = Field(description="The court centre's OU code")
    name: str
    welshName: str
    isActive: bool

    @classmethod
    def of(cls, room: CourtRoom) -> "CourtRoomOut":
        return cls(id=room.id, courtCentre=room.court_centre.ou_code, name=room.name, welshName=room.welsh_name,
                   isActive=room.is_active)


class NonSittingDayDeclareIn(Schema):
    date: dt.date
    reason: str = Field(min_length=1, max_length=200, description="e.g. Building closed for repairs")


class NonSittingDayOut(Schema):
    courtCentre: str
    date: dt.date
    reason: str

    @classmethod
    def of(cls, day: NonSittingDay) -> "NonSittingDayOut":
        return cls(courtCentre=day.court_centre.ou_code, date=day.date, reason=day.reason)


# --- Sittings ------------------------------------------------------------------------------------


class SittingSpecIn(Schema):
    session: SessionCode = Field(description="AM morning, PM afternoon, DAY all day")
    kind: SittingKindCode = "ADULT"
    judiciaryType: JudiciaryTypeCode
    judiciary: list[str] = Field(default_factory=list, max_length=7,
                                 description="Names as they appear on lists; for a bench, the chair first")
    hearingTypes: list[str] = Field(default_factory=list, max_length=50,
                                    description="Hearing type codes the sitting takes; empty for any")
    capacityMinutes: int = Field(description="Minutes of hearings the sitting can take (1 to 720)")
    startTime: dt.time | None = Field(default=None, description="Defaults to the centre's start, or 14:00 for PM")

    def to_spec(self) -> SittingSpec:
        return SittingSpec(
            session=Session(self.session), kind=SittingKind(self.kind), judiciary_type=JudiciaryType(self.judiciaryType),
            capacity_minutes=self.capacityMinutes, judiciary=[n[:100] for n in self.judiciary],
            hearing_type_codes=[c.strip().upper() for c in self.hearingTypes], start_time=self.startTime,
        )


class SittingCreateIn(SittingSpecIn):
    date: dt.date
    acknowledgeConflicts: bool = Field(default=False, description="Accept the warnings a 409 listed")


class SittingPatternCreateIn(SittingSpecIn):
    courtRoomIds: list[uuid.UUID] = Field(min_length=1, max_length=50)
    startDate: dt.date
    weeks: int = Field(description="1 to 52")
    weekdays: list[int] = Field(min_length=1, max_length=7, description="0 = Monday to 6 = Sunday")


class SittingHearingOut(Schema):
    """A hearing in a sitting's list, in list order."""

    hearingId: uuid.UUID
    hearingVersion: int
    status: str
    hearingType: str
    listOrder: int
    startTime: dt.time
    durationMinutes: int
    defendants: list[str]
    caseUrns: list[str]

    @classmethod
    def of(cls, day: HearingDay) -> "SittingHearingOut":
        links = list(day.hearing.hearing_defendants.all())
        return cls(
            hearingId=day.hearing_id, hearingVersion=day.hearing.version, status=day.hearing.status,
            hearingType=day.hearing.hearing_type.description, listOrder=day.list_order, startTime=day.start_time,
            durationMinutes=day.duration_minutes, defendants=[hd.defendant.name for hd in links],
            caseUrns=sorted({hd.case.urn for hd in links}),
        )


class SittingOut(Schema):
    id: uuid.UUID
    version: int
    courtCentre: str
    courtRoomId: uuid.UUID
    courtRoom: str
    date: dt.date
    session: str
    startTime: dt.time
    kind: str
    judiciaryType: str
    judiciary: list[str]
    hearingTypes: list[str]
    capacityMinutes: int
    bookedMinutes: int
    remainingMinutes: int
    hearings: list[SittingHearingOut]

    @classmethod
    def of(cls, sitting: Sitting, *, ou_code: str, days: list[HearingDay] | None = None,
           booked: int = 0) -> "SittingOut":
        return cls(
            id=sitting.id, version=sitting.version, courtCentre=ou_code,
            courtRoomId=sitting.court_room_id, courtRoom=sitting.court_room.name, date=sitting.date,
            session=sitting.session, startTime=sitting.start_time, kind=sitting.kind,
            judiciaryType=sitting.judiciary_type, judiciary=sitting.judiciary, hearingTypes=sitting.hearing_type_codes,
            capacityMinutes=sitting.capacity_minutes, bookedMinutes=booked,
            remainingMinutes=sitting.capacity_minutes - booked,
            hearings=[SittingHearingOut.of(d) for d in days or []],
        )

    @classmethod
    def of_diary(cls, entry: DiarySitting, *, ou_code: str) -> "SittingOut":
        return cls.of(entry.sitting, ou_code=ou_code, days=entry.days, booked=entry.booked_minutes)


class SittingSkippedOut(Schema):
    date: dt.date
    courtRoom: str
    reason: str


class SittingPatternOut(Schema):
    created: list[SittingOut]
    skipped: list[SittingSkippedOut]


class SittingListQuery(Schema):
    dateFrom: dt.date
    dateTo: dt.date | None = Field(default=None, description="Defaults to dateFrom; at most 31 days after it")


class SittingReorderIn(Schema):
    hearingIds: list[uuid.UUID] = Field(max_length=200, description="Every hearing of the sitting, in the new order")
    version: int = Version


# --- Hearings ------------------------------------------------------------------------------------


class HearingCreateIn(Schema):
    courtCentre: str = Field(min_length=1, max_length=8, description="OU code of the centre that will hear it")
    hearingType: str = Field(min_length=1, max_length=40, description="Hearing type code (e.g. PLE) or id")
    defendantIds: list[uuid.UUID] = Field(min_length=1, max_length=50)
    estimateMinutes: int | None = Field(default=None, ge=1, le=720, description="Defaults to the type's usual time")
    weekCommencing: dt.date | None = Field(default=None, description="The week it should be heard; none: date to be fixed")
    note: str = Field(default="", max_length=300)


class HearingListIn(Schema):
    sittingId: uuid.UUID
    sittingVersion: int = Version
    hearingVersion: int | None = Field(default=None, ge=1,
                                       description="The hearing's version you read; refuses a move of a hearing "
                                                   "someone else has just listed")
    durationMinutes: int | None = Field(default=None, ge=1, le=720, description="Defaults to the hearing's estimate")
    acknowledgeConflicts: bool = Field(default=False, description="Accept the warnings a 409 listed")


class HearingVacateIn(Schema):
    reason: str = Field(min_length=1, max_length=200)
    version: int = Version


class HearingTypeOut(Schema):
    id: uuid.UUID
    code: str
    description: str


class HearingDefendantOut(Schema):
    defendantId: uuid.UUID
    caseId: uuid.UUID
    caseUrn: str
    name: str


class HearingDayOut(Schema):
    sittingId: uuid.UUID
    courtCentre: str
    courtRoomId: uuid.UUID
    courtRoom: str
    date: dt.date
    startTime: dt.time
    listOrder: int
    durationMinutes: int


class HearingOut(Schema):
    """A hearing as the listing officer sees it (`GET /hearings/{id}` gives Common Platform's shape)."""

    id: uuid.UUID
    version: int
    status: str
    hearingType: HearingTypeOut
    courtCentre: str
    estimateMinutes: int
    weekCommencing: dt.date | None
    isDateToBeFixed: bool
    listingNote: str
    vacatedReason: str
    defendants: list[HearingDefendantOut]
    hearingDays: list[HearingDayOut]

    @classmethod
    def of(cls, hearing: Hearing) -> "HearingOut":
        t = hearing.hearing_type
        return cls(
            id=hearing.id, version=hearing.version, status=hearing.status,
            hearingType=HearingTypeOut(id=t.id, code=t.code, description=t.description),
            courtCentre=hearing.court_centre.ou_code, estimateMinutes=hearing.estimate_minutes,
            weekCommencing=hearing.week_commencing, isDateToBeFixed=hearing.is_date_to_be_fixed,
            listingNote=hearing.listing_note, vacatedReason=hearing.vacated_reason,
            defendants=[HearingDefendantOut(defendantId=hd.defendant_id, caseId=hd.case_id, caseUrn=hd.case.urn,
                                            name=hd.defendant.name) for hd in hearing.hearing_defendants.all()],
            hearingDays=[HearingDayOut(sittingId=d.sitting_id, courtCentre=d.sitting.court_centre.ou_code,
                                       courtRoomId=d.sitting.court_room_id, courtRoom=d.sitting.court_room.name,
                                       date=d.date, startTime=d.start_time, listOrder=d.list_order,
                                       durationMinutes=d.duration_minutes) for d in hearing.hearing_days.all()],
        )


# --- Listing rules -------------------------------------------------------------------------------


class ListingRulesOut(Schema):
    courtCentre: str
    version: int
    guiltyAnticipatedDays: int
    notGuiltyAnticipatedDays: int
    custodyNextSittingDay: bool
    firstHearingType: str
    updatedAt: dt.datetime

    @classmethod
    def of(cls, rules: ListingRules) -> "ListingRulesOut":
        return cls(
            courtCentre=rules.court_centre.ou_code, version=rules.version,
            guiltyAnticipatedDays=rules.guilty_anticipated_days,
            notGuiltyAnticipatedDays=rules.not_guilty_anticipated_days,
            custodyNextSittingDay=rules.custody_next_sitting_day, firstHearingType=rules.first_hearing_type_code,
            updatedAt=rules.updated_at,
        )


class ListingRulesUpdateIn(Schema):
    version: int = Version
    guiltyAnticipatedDays: int = Field(description="Days after charge for a bail case with a guilty plea anticipated")
    notGuiltyAnticipatedDays: int = Field(description="Days after charge when a not-guilty plea is anticipated")
    custodyNextSittingDay: bool
    firstHearingType: str = Field(min_length=1, max_length=8, description="Hearing type code for first hearings")


class HearingListQuery(Schema):
    courtCentre: str = Field(min_length=1, max_length=8, description="The court centre's OU code")
    date: dt.date
