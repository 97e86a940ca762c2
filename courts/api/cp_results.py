"""Shared results in Common Platform's shapes.

- `hearing_resulted_payload`: the hearing-resulted message (LAA `api/hearing-resulted.json`): the hearing
  of `apiHearing.json` with each offence's `judicialResults`, case-level results in the defendant's
  `judicialResults`, defendant-level results in the hearing's `defendantJudicialResults`, and the
  offences' pleas, allocation, verdicts and custody time limits. One function, so that the share's
  outbox can publish exactly what the API shows.
- `hearing_result_view`: the published hearing results contract (`api-cp-crime-hearing-results`,
  `HearingResultView`): one result per offence, with its sentence.

Only current results count: an approved amendment supersedes the rows it replaces."""

import datetime as dt
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model

from courts.api.cp_hearing import court_datetime, hearing_cp, load_case_details
from courts.api.cp_shapes import allocation_decision_cp, plea_cp, reference_uuid, verdict_cp
from courts.cases.services import SENDING_DECISIONS
from courts.common.actor import Actor
from courts.common.clock import LONDON
from courts.custody.models import Remand
from courts.hearings.enums import DecisionKind
from courts.hearings.models import JudicialResult, OffenceDecision, ResultAmendment
from courts.hearings.penalties import SurchargeSentence, surcharge_sentence_for
from courts.hearings.resulting import HEARING_DATE_REF, NEXT_HEARING_CODES
from courts.listing.models import Hearing, HearingDefendant
from courts.reference.selectors import bail_status_descriptions

# apiCourtsDefinitions.json#/definitions/judicialResultCategory
CATEGORIES = {"F": "FINAL", "I": "INTERMEDIARY", "A": "ANCILLARY"}
# Flags of the published result definition copied as they are onto apiJudicialResult.
DEFINITION_FLAGS = ("terminatesOffenceProceedings", "lifeDuration", "publishedAsAPrompt", "excludedFromResults",
                    "alwaysPublished", "urgent", "d20")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DURATION_RE = re.compile(r"(\d+)\s+(Years|Months|Weeks|Days)")


def _yes(value: Any) -> bool:
    return value is True or str(value).strip().upper() in ("Y", "YES", "TRUE")


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _pounds(value: str) -> Decimal:
    try:
        return Decimal(value.replace("£", "").replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        return Decimal(0)


# --- Loading a hearing's current results in a fixed number of queries ----------------------------


@dataclass
class HearingResults:
    """A hearing's current shared results and decisions, and what they refer to."""

    results: list[JudicialResult]
    decisions: list[OffenceDecision]
    next_hearings: dict[Any, Hearing] = field(default_factory=dict)  # result id → the hearing it ordered
    approvers: dict[int, tuple[str, str]] = field(default_factory=dict)  # user id → (first, last name)
    remands: dict[Any, str] = field(default_factory=dict)  # offence (or defendant) id → remand status here

    def remand_status(self, result: JudicialResult) -> str | None:
        return self.remands.get(result.offence_id) or self.remands.get(result.defendant_id)

    @property
    def shared_time(self) -> dt.datetime | None:
        return max((r.shared_at for r in self.results), default=None)


def hearing_results_load(hearing: Hearing, *, visible_case_ids: set | None = None,
                         visible_defendant_ids: set | None = None) -> HearingResults:
    results = JudicialResult.objects.filter(hearing=hearing, is_current=True).select_related(
        "definition", "amendment", "resulting", "offence").order_by("rank", "shared_at")
    decisions = OffenceDecision.objects.filter(hearing=hearing, is_current=True)
    if visible_case_ids is not None:
        results = results.filter(case_id__in=visible_case_ids)
        decisions = decisions.filter(offence__defendant__case_id__in=visible_case_ids)
    if visible_defendant_ids is not None:
        results = results.filter(defendant_id__in=visible_defendant_ids)
        decisions = decisions.filter(offence__defendant_id__in=visible_defendant_ids)
    loaded = HearingResults(list(results), list(decisions))
    loaded.next_hearings = _next_hearings(loaded.results)
    approver_ids = {r.amendment.decided_by_user_id for r in loaded.results
                    if r.amendment and r.amendment.decided_by_user_id}
    if approver_ids:
        loaded.approvers = {u.pk: (u.first_name, u.last_name)
                            for u in get_user_model().objects.filter(pk__in=approver_ids)}
    if any(r.offence_id for r in loaded.results):
        # The remand status decided here: per offence, else for the defendant as a whole.
        for remand in Remand.objects.filter(hearing=hearing, is_current=True):
            loaded.remands[remand.offence_id or remand.defendant_id] = remand.status
    return loaded


def _value(result: JudicialResult, reference: str) -> str:
    return next((p["value"] for p in result.prompts if (p.get("reference") or "").lower() == reference.lower()), "")


def _next_hearings(results: list[JudicialResult]) -> dict[Any, Hearing]:
    """The hearing each next-hearing result created (sharing keeps them in `next_hearing_links`, keyed
    by date, court centre and hearing type)."""
    wanted: dict[Any, str] = {}
    for r in results:
        if r.short_code.upper() not in NEXT_HEARING_CODES:
            continue
        date = _value(r, HEARING_DATE_REF)
        links = [link for link in r.resulting.next_hearing_links if link["key"].startswith(f"{date}|")]
        if date and links:
            wanted[r.id] = links[0]["hearing_id"]
    if not wanted:
        return {}
    hearings = {str(h.id): h for h in Hearing.objects.filter(pk__in=set(wanted.values())).select_related(
        "hearing_type", "court_centre").prefetch_related("hearing_days__sitting__court_centre")}
    return {rid: hearings[hid] for rid, hid in wanted.items() if hid in hearings}


# --- apiJudicialResult -------------------------------------------------------------------------


def _prompt_value(prompt: dict[str, Any]) -> str:
    value = str(prompt.get("value", ""))
    return f"£{value}" if prompt.get("type") == "CURR" and value and not value.startswith("£") else value


def _prompts_cp(result: JudicialResult) -> list[dict[str, Any]]:
    published = {p.get("id"): p for p in (result.definition.definition.get("prompts") or [])}
    prompts = []
    for p in result.prompts:
        spec = published.get(p.get("prompt_id"), {})
        prompts.append(_drop_empty({
            "judicialResultPromptTypeId": p["prompt_id"] if UUID_RE.match(p.get("prompt_id") or "") else None,
            "label": p["label"].replace("\xa0", " "),
            "isAvailableForCourtExtract": _yes(spec.get("courtExtract")),
            "value": _prompt_value(p),
            "promptSequence": spec.get("sequence"),
            "promptReference": p.get("reference"),
            "isFinancialImposition": True if p.get("type") == "CURR" and _yes(spec.get("financial")) else None,
        }) | {"isAvailableForCourtExtract": _yes(spec.get("courtExtract"))})
    return prompts


def _result_text(result: JudicialResult) -> str:
    lines = [result.label] + [f"{p['label'].replace(chr(160), ' ')}: {_prompt_value(p)}" for p in result.prompts]
    return "\n".join(lines)


def _next_hearing_cp(hearing: Hearing) -> dict[str, Any]:
    """apiNextHearing: listed (a start time), waiting for a week, or date to be fixed: exactly one."""
    days = sorted(hearing.hearing_days.all(), key=lambda d: (d.date, d.start_time))
    centre = days[0].sitting.court_centre if days else hearing.court_centre
    data: dict[str, Any] = {
        "type": {"id": str(hearing.hearing_type_id), "description": hearing.hearing_type.description},
        "jurisdictionType": centre.jurisdiction,
        "courtCentre": {"id": str(centre.id), "code": centre.ou_code, "name": centre.name},
        "estimatedMinutes": hearing.estimate_minutes,
        "existingHearingId": str(hearing.id),
    }
    if days:
        data["listedStartDateTime"] = court_datetime(days[0].date, days[0].start_time)
    elif hearing.week_commencing and not hearing.is_date_to_be_fixed:
        data["weekCommencingDate"] = hearing.week_commencing.isoformat()
    else:
        data["dateToBeFixed"] = True
    return data


def _approval_cp(amendment: ResultAmendment, approvers: dict[int, tuple[str, str]]) -> dict[str, Any]:
    """apiDelegatedPowers of the second person: a stable id for our user, and their name."""
    first, last = approvers.get(amendment.decided_by_user_id or -1, ("", ""))
    if not (first and last):
        words = amendment.decided_by.split(" (", 1)[0].split()
        first, last = (words[0], " ".join(words[1:])) if len(words) > 1 else (amendment.decided_by, "-")
    return {"userId": reference_uuid("user", str(amendment.decided_by_user_id or amendment.decided_by)),
            "firstName": first or "-", "lastName": last or "-"}


def judicial_result_cp(result: JudicialResult, loaded: HearingResults) -> dict[str, Any]:
    """The shared result as `apiJudicialResult.json` describes it."""
    published = result.definition.definition or {}
    data: dict[str, Any] = {
        "judicialResultId": str(result.id),
        "judicialResultTypeId": str(result.definition_id),
        "orderedHearingId": str(result.hearing_id),
        "label": result.label,
        "welshLabel": published.get("welshLabel"),
        "isAdjournmentResult": _yes(published.get("adjournment")),
        "isFinancialResult": _yes(published.get("financial")),
        "isConvictedResult": _yes(published.get("convicted")),
        "isAvailableForCourtExtract": _yes(published.get("isAvailableForCourtExtract")),
        "orderedDate": result.ordered_on.isoformat(),
        "category": CATEGORIES[result.category],
        "cjsCode": result.cjs_code,
        "rank": result.rank,
        "resultText": _result_text(result),
        "judicialResultPrompts": _prompts_cp(result),
        "postHearingCustodyStatus": published.get("postHearingCustodyStatus"),
        "lastSharedDateTime": result.shared_at.isoformat(),
        "level": result.level,
        **{flag: _yes(published.get(flag)) for flag in DEFINITION_FLAGS},
    }
    if result.id in loaded.next_hearings:
        data["nextHearing"] = _next_hearing_cp(loaded.next_hearings[result.id])
    amendment = result.amendment
    if amendment is not None:
        decided = (amendment.decided_at or result.shared_at).astimezone(LONDON).date().isoformat()
        data |= {"amendmentReason": amendment.reason, "amendmentDate": decided,
                 "fourEyesApproval": _approval_cp(amendment, loaded.approvers), "approvedDate": decided}
    booleans = {k: v for k, v in data.items() if isinstance(v, bool)}
    return _drop_empty(data) | booleans


# --- The hearing-resulted payload --------------------------------------------------------------


def _decisions_cp(offence_id: str, decisions: list[OffenceDecision], hearing_id: str, *,
                  crown: bool) -> dict[str, Any]:
    """This hearing's plea, indicated plea, allocation and verdict on the offence, naming the hearing."""
    out: dict[str, Any] = {}
    for d in decisions:
        if d.kind == DecisionKind.PLEA:
            out["plea"] = plea_cp(offence_id, d.value, d.decided_on)
        elif d.kind == DecisionKind.INDICATED_PLEA:
            out["indicatedPlea"] = {"offenceId": offence_id, "indicatedPleaDate": d.decided_on.isoformat(),
                                    "indicatedPleaValue": d.value, "source": "IN_COURT"}
        elif d.kind == DecisionKind.ALLOCATION:
            out["allocationDecision"] = allocation_decision_cp(offence_id, d.value, d.decided_on)
        elif d.kind == DecisionKind.VERDICT:
            out["verdict"] = verdict_cp(offence_id, d.value, d.decided_on, crown=crown)
    return {k: v | {"originatingHearingId": hearing_id} for k, v in out.items() if v is not None}


def hearing_resulted_payload(hearing: Hearing, *, shared_time: dt.datetime, visible_case_ids: set | None = None,
                             visible_defendant_ids: set | None = None,
                             bail_descriptions: dict[str, str] | None = None, actor: Actor | None = None) -> dict[str, Any]:
    """The hearing with its current results, as Common Platform publishes a hearing resulted
    (`api/hearing-resulted.json`). `visible_case_ids` limits it to those cases (a prosecutor's),
    `visible_defendant_ids` to those defendants (the defence's own)."""
    load_case_details([hearing])
    body = hearing_cp(hearing, bail_descriptions or bail_status_descriptions(), visible_case_ids,
                      visible_defendant_ids, actor=actor)
    loaded = hearing_results_load(hearing, visible_case_ids=visible_case_ids,
                                  visible_defendant_ids=visible_defendant_ids)
    by_offence: dict[str, list[JudicialResult]] = defaultdict(list)
    by_case_defendant: dict[str, list[JudicialResult]] = defaultdict(list)
    defendant_level: list[JudicialResult] = []
    for r in loaded.results:
        if r.level == "O" and r.offence_id:
            by_offence[str(r.offence_id)].append(r)
        elif r.level == "C":
            by_case_defendant[str(r.defendant_id)].append(r)
        else:
            defendant_level.append(r)
    decisions: dict[str, list[OffenceDecision]] = defaultdict(list)
    for d in loaded.decisions:
        decisions[str(d.offence_id)].append(d)
    for case in body.get("prosecutionCases", []):
        for defendant in case["defendants"]:
            for offence in defendant["offences"]:
                offence.update(_decisions_cp(offence["id"], decisions.get(offence["id"], []), body["id"],
                                             crown=body["jurisdictionType"] == "CROWN"))
                if rows := by_offence.get(offence["id"]):
                    offence["judicialResults"] = [judicial_result_cp(r, loaded) for r in rows]
            if rows := by_case_defendant.get(defendant["id"]):
                defendant["judicialResults"] = [judicial_result_cp(r, loaded) for r in rows]
    if defendant_level:
        body["defendantJudicialResults"] = [
            {"masterDefendantId": str(r.defendant_id), "judicialResult": judicial_result_cp(r, loaded)}
            for r in defendant_level
        ]
    body["hasSharedResults"] = bool(loaded.results)
    return {"hearing": body, "sharedTime": shared_time.isoformat()}


# --- The published hearing results contract (HearingResultView) ----------------------------------


# Surcharge Order disposals → the contract's sentence type.
SENTENCE_TYPES = {
    SurchargeSentence.CUSTODY: "Custodial",
    SurchargeSentence.SUSPENDED: "Suspended",
    SurchargeSentence.COMMUNITY: "Community",
    SurchargeSentence.YOUTH_REHABILITATION: "Community",
    SurchargeSentence.REFERRAL: "Community",
    SurchargeSentence.FINE: "Financial",
    SurchargeSentence.CONDITIONAL_DISCHARGE: "Discharge",
    SurchargeSentence.ABSOLUTE_DISCHARGE: "Discharge",
}


def _published(result: JudicialResult) -> dict[str, Any]:
    return result.definition.definition or {}


def _is_final(result: JudicialResult) -> bool:
    return result.category == "F" or _yes(_published(result).get("terminatesOffenceProceedings"))


def _convicts(result: JudicialResult) -> bool:
    return _is_final(result) and _yes(_published(result).get("convicted"))


def _withdraws(result: JudicialResult) -> bool:
    return result.cjs_code == "2063" or result.label.lower().startswith("withdrawn")


def _acquits(result: JudicialResult) -> bool:
    label = result.label.lower()
    return result.cjs_code in ("2006", "2050") or "dismissed" in label or "not guilty" in label


def _adjourns(result: JudicialResult) -> bool:
    return (_yes(_published(result).get("adjournment")) or result.short_code.upper() in NEXT_HEARING_CODES
            or result.cjs_code.startswith("4"))


def result_type(results: list[JudicialResult], decisions: dict[str, str]) -> str:
    """What the hearing decided for an offence, first that applies: Withdrawn; Acquitted (a not guilty
    verdict, or a final result that dismisses); Convicted (a final result that convicts, or a guilty
    plea or verdict here, even when sentence is adjourned); Sent to Crown Court (allocation); Adjourned
    (a next hearing, an adjournment or a remand); Concluded (another final result); else Other."""
    finals = [r for r in results if _is_final(r)]
    convicted = any(_convicts(r) for r in finals)
    if any(_withdraws(r) for r in finals):
        return "Withdrawn"
    if decisions.get(DecisionKind.VERDICT) == "NOT_GUILTY" or (not convicted and any(_acquits(r) for r in finals)):
        return "Acquitted"
    if convicted or "GUILTY" in (decisions.get(DecisionKind.PLEA), decisions.get(DecisionKind.VERDICT)):
        return "Convicted"
    if decisions.get(DecisionKind.ALLOCATION) in SENDING_DECISIONS:
        return "Sent to Crown Court"
    if any(_adjourns(r) for r in results):
        return "Adjourned"
    return "Concluded" if finals else "Other"


def _period_lengths(result: JudicialResult) -> list[dict[str, int]]:
    """Each duration prompt of the sentence (e.g. the term, the operational period), in prompt order."""
    periods: dict[str, dict[str, int]] = {}
    for p in result.prompts:
        found = DURATION_RE.findall(str(p.get("value", ""))) if p.get("type") == "INT" else []
        for count, unit in found:
            period = periods.setdefault(p["label"], {})
            period[unit.lower()] = period.get(unit.lower(), 0) + int(count)
    return list(periods.values())


def sentence_cp(offence_id: str, results: list[JudicialResult], remand_status: str | None) -> dict[str, Any] | None:
    """The sentence among an offence's results: the convicting final result that is a disposal (the
    lowest rank, i.e. the most serious, when there are several), its type, term and money."""
    convicting = sorted((r for r in results if _convicts(r)), key=lambda r: r.rank)
    if not convicting:
        return None
    disposals = [(r, surcharge_sentence_for(r.short_code, _published(r))) for r in convicting]
    primary, kind = next(((r, k) for r, k in disposals if k is not None), (convicting[0], None))
    sentence_type = SENTENCE_TYPES.get(kind) if kind else (
        "Financial" if _yes(_published(primary).get("financial")) else "Other")
    money = sum((_pounds(p["value"]) for r in results if _yes(_published(r).get("financial"))
                 for p in r.prompts if p.get("type") == "CURR"), Decimal(0))
    status = "C" if sentence_type == "Custodial" else (remand_status or _published(primary).get(
        "postHearingCustodyStatus") or None)
    data: dict[str, Any] = {"id": f"{offence_id}_sentence", "type": sentence_type}
    if status:
        data["custodyStatus"] = status
    if money:
        data["financialAmount"] = float(money)
    data["periodLengths"] = _period_lengths(primary)
    return data


def hearing_result_view(hearing: Hearing, *, visible_defendant_ids: set | None = None) -> dict[str, Any]:
    """The hearing's current offence results as the contract's `HearingResultView`. Court application
    results are always an empty list (we have no court applications yet)."""
    loaded = hearing_results_load(hearing, visible_defendant_ids=visible_defendant_ids)
    offence_rows = [r for r in loaded.results if r.level == "O" and r.offence_id]
    view: dict[str, Any] = {"id": str(hearing.id), "offences": [], "courtApplicationResults": []}
    if not offence_rows:
        return view
    links = list(HearingDefendant.objects.filter(hearing=hearing).select_related("case").order_by("id"))
    cases = {link.case_id: link.case for link in links}
    place = {link.defendant_id: i for i, link in enumerate(links)}
    by_offence: dict[Any, list[JudicialResult]] = defaultdict(list)
    for r in offence_rows:
        by_offence[r.offence_id].append(r)
    decisions: dict[Any, dict[str, str]] = defaultdict(dict)
    for d in loaded.decisions:
        decisions[d.offence_id][d.kind] = d.value
    ordered = sorted(by_offence.values(), key=lambda rows: (place.get(rows[0].defendant_id, len(place)),
                                                             rows[0].offence.sequence))
    case_ids = {rows[0].case_id for rows in ordered}
    first_case = cases.get(ordered[0][0].case_id)
    if first_case is not None:
        view["pcr"] = {"id": str(first_case.id), "reference": first_case.urn}
    for rows in ordered:
        offence = rows[0].offence
        oid = str(offence.id)
        result: dict[str, Any] = {
            "id": f"{oid}_result",
            "type": result_type(rows, decisions.get(offence.id, {})),
            "date": max(r.ordered_on for r in rows).isoformat(),
        }
        if result["type"] == "Convicted" and (sentence := sentence_cp(oid, rows, loaded.remand_status(rows[0]))):
            case = cases.get(rows[0].case_id)
            if len(case_ids) > 1 and case is not None:
                sentence["pcr"] = {"id": str(case.id), "reference": case.urn}
            result["sentence"] = sentence
        view["offences"].append({"id": oid, "code": offence.cjs_code, "result": result})
    return view


def new_trace_id() -> str:
    return uuid.uuid4().hex[:16]
