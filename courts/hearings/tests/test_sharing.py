"""Draft, share and amend: the court record and its consequences, written together or not at all."""

import datetime as dt

import pytest

from courts.audit.models import Event
from courts.cases.enums import CaseStatus
from courts.cases.models import Defendant, Offence
from courts.common.errors import Conflict, PermissionDenied, ValidationFailed
from courts.custody.models import CustodyTimeLimit, Remand, Warrant
from courts.hearings.enums import AmendmentStatus
from courts.hearings.models import DefendantResulting, JudicialResult, OffenceDecision
from courts.hearings.services import (
    amendment_approve,
    amendment_reject,
    amendment_request,
    results_draft_save,
    results_share,
)
from courts.hearings.tests.factories import CLERK, COMMON_ASSAULT, SECOND_CLERK, court_day, listed_case
from courts.listing.enums import HearingStatus
from courts.listing.models import Hearing
from courts.listing.tests.factories import room, sitting
from courts.reference.models import Offence as OffenceDefinition

pytestmark = pytest.mark.django_db


def draft_for(defendant: Defendant, line: str, **extra) -> dict:
    offence = defendant.offences.get()
    entry = {"notepad": line, **{k: v for k, v in extra.items() if k != "prison"}}
    return {"offences": {str(offence.id): entry}, "defendant": {"prison": extra.get("prison", "")}}


def save(hearing, defendant, draft, version=None):
    version = version or (DefendantResulting.objects.filter(hearing=hearing, defendant=defendant)
                          .values_list("version", flat=True).first() or 1)
    return results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=version,
                              actor=CLERK)


def share(hearing, defendant, actor=CLERK):
    resulting = DefendantResulting.objects.get(hearing=hearing, defendant=defendant)
    return results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=actor)


def test_fine_costs_and_surcharge_become_the_record_and_conclude_the_case():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    resulting, work = save(hearing, defendant, draft_for(defendant, "plea=G FO 200 FCPC 85 FVS"))
    assert work.can_share, [c.message for c in work.errors]
    outcome = share(hearing, defendant)

    results = {r.short_code: r for r in JudicialResult.objects.filter(hearing=hearing, is_current=True)}
    assert set(results) == {"FO", "FCPC", "FVS"}
    assert results["FO"].cjs_code == "1015" and results["FO"].prompts[0]["value"] == "200.00"
    assert results["FCPC"].cjs_code == "3011" and results["FCPC"].offence is None
    # Victim surcharge: 40% of a £200 fine (offences on or after 16 June 2022).
    assert results["FVS"].cjs_code == "3117" and results["FVS"].prompts[0]["value"] == "80.00"
    assert results["FVS"].is_computed
    offence = Offence.objects.get(defendant=defendant)
    assert offence.plea == "GUILTY" and offence.conviction_date == outcome.work.hearing_date
    assert offence.disposal == "Fine" and offence.disposed_on == outcome.work.hearing_date
    assert Defendant.objects.get(pk=defendant.pk).proceedings_concluded
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    assert Hearing.objects.get(pk=hearing.pk).status == HearingStatus.HEARD
    assert OffenceDecision.objects.get(offence=offence).value == "GUILTY"
    shared = Event.objects.get(type="hearing.results_shared", case_id=case.id)
    assert shared.payload["share_number"] == 1 and len(shared.payload["results"]) == 3


def test_a_draft_with_problems_is_kept_and_cannot_be_shared():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G FOO 200"))
    assert not work.can_share
    codes = {c.code for c in work.errors}
    assert {"notepad", "not_dealt_with"} <= codes
    assert DefendantResulting.objects.get(defendant=defendant).draft["offences"]
    with pytest.raises(ValidationFailed) as refused:
        share(hearing, defendant)
    assert refused.value.code == "results_not_ready"
    assert not JudicialResult.objects.exists()
    assert Offence.objects.get(defendant=defendant).disposed_on is None


def test_a_conviction_result_without_a_guilty_plea_or_verdict_is_refused():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "FO 200 FVS"))
    assert "no_conviction" in {c.code for c in work.errors}


def test_two_people_result_different_defendants_at_once_but_not_the_same_one():
    case, hearing = listed_case(defendants=2)
    first, second = case.defendants.order_by("sequence")
    save(hearing, first, draft_for(first, "plea=G"), version=1)
    save(hearing, second, draft_for(second, "plea=NG"), version=1)  # no conflict: another defendant
    with pytest.raises(Conflict) as stale:
        save(hearing, first, draft_for(first, "plea=NG"), version=1)  # both opened version 1
    assert stale.value.code == "stale_version"
    assert "Alex Adviser" in stale.value.detail
    assert DefendantResulting.objects.get(defendant=first).draft["offences"][
        str(first.offences.get().id)]["notepad"] == "plea=G"


def test_shared_results_change_only_by_an_approved_amendment():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save(hearing, defendant, draft_for(defendant, "plea=G FO 200 FVS"))
    share(hearing, defendant)
    resulting, _ = save(hearing, defendant, draft_for(defendant, "plea=G FO 150 FVS"))
    with pytest.raises(Conflict):
        share(hearing, defendant)
    amendment = amendment_request(hearing=hearing, defendant=defendant, reason="Fine misheard: £150",
                                  expected_version=resulting.version, actor=CLERK)
    with pytest.raises(PermissionDenied):
        amendment_approve(amendment=amendment, actor=CLERK)
    outcome = amendment_approve(amendment=amendment, actor=SECOND_CLERK)
    assert outcome.share_number == 2
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED and amendment.decided_by == SECOND_CLERK.label
    current = {r.short_code: r.prompts[0]["value"] for r in JudicialResult.objects.filter(is_current=True)}
    assert current == {"FO": "150.00", "FVS": "60.00"}
    # The record keeps both versions.
    old = JudicialResult.objects.get(is_current=False, short_code="FO")
    assert old.prompts[0]["value"] == "200.00" and old.share_number == 1
    assert JudicialResult.objects.get(is_current=True, short_code="FO").amendment == amendment
    types = list(Event.objects.filter(case_id=case.id).values_list("type", flat=True))
    assert "hearing.amendment_requested" in types and "hearing.amendment_approved" in types


def test_an_amendment_can_be_rejected_with_a_reason_and_changes_nothing():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save(hearing, defendant, draft_for(defendant, "plea=G FO 200 FVS"))
    share(hearing, defendant)
    resulting, _ = save(hearing, defendant, draft_for(defendant, "plea=G FO 300 FVS"))
    amendment = amendment_request(hearing=hearing, defendant=defendant, reason="Typo",
                                  expected_version=resulting.version, actor=CLERK)
    with pytest.raises(ValidationFailed):
        amendment_reject(amendment=amendment, actor=SECOND_CLERK, note=" ")
    amendment_reject(amendment=amendment, actor=SECOND_CLERK, note="The bench said £200")
    assert JudicialResult.objects.get(is_current=True, short_code="FO").prompts[0]["value"] == "200.00"
    with pytest.raises(Conflict):
        amendment_approve(amendment=amendment, actor=SECOND_CLERK)


def test_remand_in_custody_lists_the_next_hearing_issues_a_warrant_and_starts_the_ctl():
    day = court_day()
    next_day = day + dt.timedelta(days=7)
    while next_day.weekday() >= 5:
        next_day += dt.timedelta(days=1)
    case, hearing = listed_case(codes=(COMMON_ASSAULT,), bail_status="C", day=day)
    target = sitting(room("Courtroom 2"), next_day, capacity_minutes=600)
    defendant = case.defendants.get()
    line = f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    _, work = save(hearing, defendant, draft_for(defendant, line, prison="HMP Wandsworth"))
    missing = {c.message for c in work.errors}
    # Bail exceptions and the remand basis are the bench's words: they must be given.
    assert any("Bail exception" in m for m in missing)
    answers = {f"RI:{spec.id}": "Fail to surrender" for o in work.offences for r in o.results for spec in r.missing
               if r.short_code == "RI"}
    draft = draft_for(defendant, line, prison="HMP Wandsworth", answers=answers)
    _, work = save(hearing, defendant, draft)
    assert work.can_share, [c.message for c in work.errors]
    outcome = share(hearing, defendant)

    nxt = outcome.next_hearings[0]
    assert nxt.status == HearingStatus.LISTED and nxt.hearing_days.get().sitting == target
    remand = Remand.objects.get(defendant=defendant)
    assert remand.status == "C" and remand.prison == "HMP Wandsworth" and remand.until_hearing == nxt
    warrant = Warrant.objects.get(defendant=defendant)
    assert warrant.kind == "REMAND" and warrant.prison == "HMP Wandsworth"
    ctl = CustodyTimeLimit.objects.get(offence__defendant=defendant)
    assert ctl.running and ctl.limit_days == 56
    assert ctl.expiry <= day + dt.timedelta(days=56)
    assert Offence.objects.get(defendant=defendant).disposed_on is None
    assert not Defendant.objects.get(pk=defendant.pk).proceedings_concluded


def test_a_remand_in_custody_beyond_eight_clear_days_is_refused():
    day = court_day()
    case, hearing = listed_case(codes=(COMMON_ASSAULT,), bail_status="C", day=day)
    defendant = case.defendants.get()
    too_late = day + dt.timedelta(days=21)
    _, work = save(hearing, defendant, draft_for(
        defendant, f'RI NHMC {too_late:%d/%m/%Y} htype=PLE hest="20 minutes"', prison="HMP Leeds"))
    remand = [c for c in work.errors if c.code == "remand_too_long"]
    assert remand and "s.128" in remand[0].source


def test_a_custody_result_must_name_the_prison():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G imp 6m FVS"))
    assert "prison_missing" in {c.code for c in work.errors}
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G imp 6m FVS", prison="HMP Brixton"))
    assert "prison_missing" not in {c.code for c in work.errors}


def test_a_fine_above_the_offences_maximum_is_refused_with_its_source():
    case, hearing = listed_case(codes=(COMMON_ASSAULT,))
    defendant = case.defendants.get()
    OffenceDefinition.objects.filter(cjs_code=COMMON_ASSAULT).update(max_fine_level=3)
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G FO 1500 FVS"))
    fine = [c for c in work.errors if c.code == "fine_maximum"]
    assert fine and "1,000" in fine[0].message
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G FO 1000 FVS"))
    assert not [c for c in work.errors if c.code == "fine_maximum"]


def test_a_missing_victim_surcharge_is_asked_for_with_its_amount():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "plea=G FO 200"))
    surcharge = [c for c in work.errors if c.code == "surcharge_missing"]
    assert surcharge and "£80.00" in surcharge[0].message


def test_non_court_staff_cannot_result():
    from courts.common.actor import Actor

    case, hearing = listed_case()
    defendant = case.defendants.get()
    with pytest.raises(PermissionDenied):
        results_draft_save(hearing=hearing, defendant=defendant, draft={}, expected_version=1,
                           actor=Actor(label="CPS", organisation_id=1))


def test_bad_draft_shapes_are_refused_field_by_field():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    with pytest.raises(ValidationFailed) as bad:
        save(hearing, defendant, {"offences": {"not-an-offence": {"notepad": "FO"}}, "defendant": {"notepad": 3}})
    fields = {e.field for e in bad.value.errors}
    assert fields == {"offences/not-an-offence", "defendant/notepad"}
    assert not DefendantResulting.objects.filter(draft__has_key="offences").exists()


@pytest.mark.parametrize(("line", "surcharge"), [
    ("plea=G imp 6m FVS", "154.00"),  # custody of 6 months or less
    ("plea=G imp 18m FVS", "187.00"),  # more than 6 months, up to 2 years
    ("plea=G CD 12m FVS", "26.00"),  # conditional discharge
])
def test_the_victim_surcharge_follows_the_sentence(line, surcharge):
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, line, prison="HMP Brixton"))
    fvs = next(r for r in work.defendant_results if r.short_code == "FVS")
    assert fvs.value("AOS") == surcharge and fvs.is_computed


def test_an_amendment_that_removes_a_guilty_plea_removes_the_conviction_and_disposal():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    save(hearing, defendant, draft_for(defendant, "plea=G FO 200 FVS"))
    outcome = share(hearing, defendant)
    trial = outcome.work.hearing_date + dt.timedelta(days=28)
    resulting, work = save(hearing, defendant, draft_for(
        defendant, f'plea=NG NHMC {trial:%d/%m/%Y} htype=TRL hest="2 hours"'))
    assert work.can_share, [c.message for c in work.errors]
    amendment = amendment_request(hearing=hearing, defendant=defendant, reason="Plea entered in error",
                                  expected_version=resulting.version, actor=CLERK)
    amendment_approve(amendment=amendment, actor=SECOND_CLERK)
    offence = Offence.objects.get(defendant=defendant)
    assert offence.plea == "NOT_GUILTY"
    assert offence.conviction_date is None and offence.disposal == "" and offence.disposed_on is None
    assert not Defendant.objects.get(pk=defendant.pk).proceedings_concluded
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_a_sending_to_the_crown_court_must_name_the_crown_court():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "alloc=crown NHCCS 3/1 htype=PTP"))
    missing = [s.reference for o in work.offences for r in o.results for s in r.missing if r.short_code == "NHCCS"]
    assert "HCHOUSE" in missing


def test_a_remand_on_two_offences_is_one_warrant_naming_both():
    day = court_day()
    case, hearing = listed_case(codes=(COMMON_ASSAULT, COMMON_ASSAULT), bail_status="C", day=day)
    defendant = case.defendants.get()
    next_day = day + dt.timedelta(days=7)
    line = f'plea=NG RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    offences = list(defendant.offences.order_by("sequence"))
    draft = {"offences": {str(o.id): {"notepad": line} for o in offences}, "defendant": {"prison": "HMP Leeds"}}
    _, work = save(hearing, defendant, draft)
    answers = {f"RI:{s.id}": "Fail to surrender" for o in work.offences for r in o.results for s in r.missing}
    draft["defendant"]["answers"] = answers
    _, work = save(hearing, defendant, draft)
    assert work.can_share, [c.message for c in work.errors]
    share(hearing, defendant)
    warrant = Warrant.objects.get(defendant=defendant)
    assert len(warrant.particulars["results"]) == 2 and warrant.prison == "HMP Leeds"


def test_a_next_hearings_estimate_defaults_to_its_hearing_types_usual_length():
    case, hearing = listed_case()
    defendant = case.defendants.get()
    _, work = save(hearing, defendant, draft_for(defendant, "plea=NG NHMC 3/1 htype=PLE"))
    nhmc = next(r for r in work.offences[0].results if r.short_code == "NHMC")
    assert nhmc.value("HEST") == "20 Minutes" and not [s for s in nhmc.missing if s.reference == "HEST"]
    assert work.next_hearings and work.next_hearings[0].estimate_minutes == 20
