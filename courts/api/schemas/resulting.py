"""The resulting API's JSON: a defendant's draft results worked out, its checks, the shared record,
and amendments.

Every write carries the `expectedVersion` it read; a stale one is refused with 409 `stale_version`
(two people editing the same defendant never overwrite each other silently)."""

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from courts.hearings.enums import DecisionKind
from courts.hearings.models import DefendantResulting, JudicialResult, ResultAmendment
from courts.hearings.notepad import PromptSpec
from courts.hearings.resulting import Check, DefendantWork, ResultLine

Version = Field(ge=1, description="The version you read; a stale one is refused with 409 stale_version")
PleaCode = Literal["GUILTY", "NOT_GUILTY", "NO_PLEA", "INDICATED_GUILTY", "INDICATED_NOT_GUILTY", "NO_INDICATION"]
VerdictCode = Literal["GUILTY", "NOT_GUILTY"]
AllocationCode = Literal["SUMMARY_TRIAL", "SENT_CROWN", "ELECTED_CROWN"]
CATEGORY_NAMES = {"F": "FINAL", "I": "INTERMEDIARY", "A": "ANCILLARY"}
LEVEL_NAMES = {"O": "OFFENCE", "D": "DEFENDANT", "C": "CASE"}
DECISION_NAMES = {DecisionKind.PLEA: "plea", DecisionKind.INDICATED_PLEA: "indicatedPlea",
                  DecisionKind.ALLOCATION: "allocation", DecisionKind.VERDICT: "verdict"}


# --- Requests ------------------------------------------------------------------------------------


class DraftIn(Schema):
    expectedVersion: int = Version
    draft: dict[str, Any] = Field(description='{"offences": {"<offence id>": {"notepad": "plea=G FO 200 FVS", '
                                              '"answers": {"<SHORTCODE>:<prompt id>": "value"}, "plea": …, '
                                              '"indicated_plea": …, "allocation": …, "verdict": …}}, '
                                              '"defendant": {"notepad": "", "answers": {}, "prison": ""}}')


class ShareIn(Schema):
    expectedVersion: int = Version


class PleaIn(Schema):
    expectedVersion: int = Version
    offenceId: uuid.UUID
    plea: PleaCode
    indicated: bool = Field(default=False, description="An indicated plea (before allocation): GUILTY is "
                                                       "recorded as INDICATED_GUILTY, NO_PLEA as NO_INDICATION")


class VerdictIn(Schema):
    expectedVersion: int = Version
    offenceId: uuid.UUID
    verdict: VerdictCode


class AllocationIn(Schema):
    expectedVersion: int = Version
    offenceId: uuid.UUID
    allocation: AllocationCode


class AmendmentRequestIn(Schema):
    expectedVersion: int = Version
    reason: str = Field(min_length=1, max_length=500, description="Why the shared results must change")


class AmendmentDecisionIn(Schema):
    note: str = Field(default="", max_length=500, description="Required to reject (not to withdraw your own)")


# --- Responses -----------------------------------------------------------------------------------


class CheckOut(Schema):
    code: str
    message: str
    source: str = Field(description="The rule or reference the check applies, e.g. 'Sentencing Act 2020 s.42'")
    offenceId: str | None
    blocking: bool = Field(description="True: sharing waits until it is put right; false: a warning")

    @classmethod
    def of(cls, check: Check) -> "CheckOut":
        return cls(code=check.code, message=check.message, source=check.source, offenceId=check.offence_id,
                   blocking=check.blocking)


class PromptOut(Schema):
    promptId: str
    label: str
    reference: str
    type: str
    value: str


class MissingPromptOut(Schema):
    promptId: str
    label: str
    reference: str
    type: str
    answerKey: str = Field(description="The key of its answer in the draft's `answers`")

    @classmethod
    def of(cls, spec: PromptSpec, short_code: str) -> "MissingPromptOut":
        return cls(promptId=spec.id, label=spec.label.replace("\xa0", " "), reference=spec.reference, type=spec.type,
                   answerKey=f"{short_code.upper()}:{spec.id}")


def _prompts(prompts: list[dict[str, str]]) -> list[PromptOut]:
    return [PromptOut(promptId=p["prompt_id"], label=p["label"].replace("\xa0", " "), reference=p["reference"] or "",
                      type=p["type"], value=p["value"]) for p in prompts]


class ResultLineOut(Schema):
    definitionId: str
    shortCode: str
    label: str
    level: str
    category: str
    cjsCode: str
    offenceId: str | None
    prompts: list[PromptOut]
    missing: list[MissingPromptOut]
    isComputed: bool

    @classmethod
    def of(cls, line: ResultLine) -> "ResultLineOut":
        return cls(definitionId=str(line.definition_id), shortCode=line.short_code, label=line.label,
                   level=LEVEL_NAMES.get(line.level, line.level), category=CATEGORY_NAMES.get(line.category, line.category),
                   cjsCode=line.cjs_code, offenceId=line.offence_id, prompts=_prompts(line.prompts),
                   missing=[MissingPromptOut.of(s, line.short_code) for s in line.missing], isComputed=line.is_computed)


class OffenceWorkOut(Schema):
    offenceId: str
    sequence: int
    offenceCode: str
    title: str
    notepad: str
    decisions: dict[str, str] = Field(description="plea, indicatedPlea, allocation, verdict: those given")
    results: list[ResultLineOut]


class NextHearingPlanOut(Schema):
    date: dt.date
    courtCentre: str = Field(description="OU code")
    hearingType: str
    offenceIds: list[str]


class SharedResultOut(Schema):
    id: uuid.UUID
    offenceId: uuid.UUID | None
    level: str
    category: str
    shortCode: str
    label: str
    cjsCode: str
    prompts: list[PromptOut]
    isComputed: bool
    orderedOn: dt.date
    shareNumber: int
    sharedAt: dt.datetime
    amendmentId: uuid.UUID | None

    @classmethod
    def of(cls, row: JudicialResult) -> "SharedResultOut":
        return cls(id=row.id, offenceId=row.offence_id, level=LEVEL_NAMES.get(row.level, row.level),
                   category=CATEGORY_NAMES.get(row.category, row.category), shortCode=row.short_code, label=row.label,
                   cjsCode=row.cjs_code, prompts=_prompts(row.prompts), isComputed=row.is_computed,
                   orderedOn=row.ordered_on, shareNumber=row.share_number, sharedAt=row.shared_at,
                   amendmentId=row.amendment_id)


class AmendmentOut(Schema):
    id: uuid.UUID
    hearingId: uuid.UUID
    defendantId: uuid.UUID
    status: str = Field(description="PENDING, APPROVED, REJECTED or WITHDRAWN")
    reason: str
    proposed: dict[str, Any] = Field(description="The draft that is shared if the amendment is approved")
    baseShareNumber: int
    requestedBy: str
    requestedAt: dt.datetime
    decidedBy: str
    decidedAt: dt.datetime | None
    decisionNote: str
    shareNumber: int | None = Field(description="The share the approval made")

    @classmethod
    def of(cls, amendment: ResultAmendment) -> "AmendmentOut":
        resulting = amendment.resulting
        return cls(id=amendment.id, hearingId=resulting.hearing_id, defendantId=resulting.defendant_id,
                   status=amendment.status, reason=amendment.reason, proposed=amendment.proposed,
                   baseShareNumber=amendment.base_share_number, requestedBy=amendment.requested_by,
                   requestedAt=amendment.requested_at, decidedBy=amendment.decided_by, decidedAt=amendment.decided_at,
                   decisionNote=amendment.decision_note,
                   shareNumber=amendment.base_share_number + 1 if amendment.status == "APPROVED" else None)


class ResultingOut(Schema):
    hearingId: uuid.UUID
    defendantId: uuid.UUID
    caseId: uuid.UUID
    version: int = Field(description="Send it back as expectedVersion")
    hearingDate: dt.date = Field(description="The day results are ordered on")
    draft: dict[str, Any]
    hasUnsharedChanges: bool
    draftSavedAt: dt.datetime | None
    draftSavedBy: str
    canShare: bool
    checks: list[CheckOut]
    offences: list[OffenceWorkOut]
    defendantNotepad: str
    defendantResults: list[ResultLineOut] = Field(description="Defendant- and case-level results")
    prison: str
    remandStatus: str | None = Field(description="The CJS bail status the results leave (U, B, C, …)")
    nextHearings: list[NextHearingPlanOut] = Field(description="The next hearings a share would create")
    shareCount: int
    sharedAt: dt.datetime | None
    sharedBy: str
    shared: list[SharedResultOut] = Field(description="The current shared record")
    nextHearingIds: list[uuid.UUID] = Field(description="The hearings the shared results created")
    pendingAmendment: AmendmentOut | None

    @classmethod
    def of(cls, resulting: DefendantResulting, work: DefendantWork, shared: list[JudicialResult],
           pending: ResultAmendment | None) -> "ResultingOut":
        offences = [
            OffenceWorkOut(offenceId=str(o.offence.id), sequence=o.offence.sequence, offenceCode=o.offence.cjs_code,
                           title=o.offence.title, notepad=o.notepad,
                           decisions={DECISION_NAMES[DecisionKind(k)]: v for k, v in o.decisions.items()},
                           results=[ResultLineOut.of(r) for r in o.results])
            for o in work.offences
        ]
        plans = [NextHearingPlanOut(date=p.date, courtCentre=p.court_centre.ou_code, hearingType=p.hearing_type.code,
                                    offenceIds=p.offence_ids) for p in work.next_hearings]
        return cls(
            hearingId=resulting.hearing_id, defendantId=resulting.defendant_id, caseId=resulting.case_id,
            version=resulting.version, hearingDate=work.hearing_date, draft=resulting.draft,
            hasUnsharedChanges=resulting.has_unshared_changes, draftSavedAt=resulting.draft_saved_at,
            draftSavedBy=resulting.draft_saved_by, canShare=work.can_share,
            checks=[CheckOut.of(c) for c in work.checks], offences=offences, defendantNotepad=work.defendant_notepad,
            defendantResults=[ResultLineOut.of(r) for r in work.defendant_results], prison=work.prison,
            remandStatus=work.remand_status, nextHearings=plans, shareCount=resulting.share_count,
            sharedAt=resulting.shared_at, sharedBy=resulting.shared_by, shared=[SharedResultOut.of(r) for r in shared],
            nextHearingIds=[link["hearing_id"] for link in resulting.next_hearing_links],
            pendingAmendment=AmendmentOut.of(pending) if pending else None,
        )


# --- The published hearing results contract (api-cp-crime-hearing-results) -----------------------


class PcrOut(Schema):
    id: uuid.UUID
    reference: str = Field(description="The case URN")


class PeriodLengthOut(Schema):
    years: int | None = None
    months: int | None = None
    weeks: int | None = None
    days: int | None = None


class SentenceOut(Schema):
    id: str = Field(description="<offence id>_sentence")
    type: str = Field(description="Custodial, Suspended, Community, Financial, Discharge or Other")
    custodyStatus: str | None = None
    financialAmount: float | None = None
    periodLengths: list[PeriodLengthOut] = []
    pcr: PcrOut | None = None


class ResultOut(Schema):
    id: str = Field(description="<offence id>_result")
    type: str = Field(description="Convicted, Acquitted, Withdrawn, Sent to Crown Court, Adjourned, Concluded "
                                  "or Other")
    date: dt.date
    sentence: SentenceOut | None = None


class OffenceResultOut(Schema):
    id: uuid.UUID
    code: str
    result: ResultOut


class CourtApplicationResultOut(Schema):
    id: uuid.UUID
    reference: str
    result: ResultOut


class HearingResultView(Schema):
    id: uuid.UUID
    pcr: PcrOut | None = None
    offences: list[OffenceResultOut]
    courtApplicationResults: list[CourtApplicationResultOut]


class ErrorResponse(Schema):
    error: str = Field(description="BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, …")
    message: str
    details: dict[str, Any] | None = None
    timestamp: dt.datetime
    traceId: str
