"""Custody time limits as sharing leaves them: worked dates across Easter 2027 and Christmas 2026
(Prosecution of Offences (Custody Time Limits) Regulations 1987 regs 2(4), 2(5), 4)."""

import datetime as dt

import pytest

from courts.custody.models import CustodyTimeLimit
from courts.custody.selectors import ctl_worklist
from courts.hearings.models import DefendantResulting
from courts.hearings.services import results_draft_save, results_share
from courts.hearings.tests.factories import CLERK, COMMON_ASSAULT, listed_case
from courts.listing.tests.factories import room, sitting

pytestmark = pytest.mark.django_db


def remand_in_custody(day: dt.date, *, plea: str = "NG"):
    """Remanded in custody on `day` for a summary offence, next hearing 7 days on."""
    case, hearing = listed_case(codes=(COMMON_ASSAULT,), bail_status="C", day=day)
    next_day = day + dt.timedelta(days=7)
    sitting(room("Courtroom 9"), next_day, capacity_minutes=600)
    defendant = case.defendants.get()
    offence = defendant.offences.get()
    line = f'plea={plea} RI NHMC {next_day:%d/%m/%Y} htype=PLE hest="20 minutes"'
    draft = {"offences": {str(offence.id): {"notepad": line}}, "defendant": {"prison": "HMP Wandsworth"}}
    resulting, work = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                         actor=CLERK)
    answers = {f"RI:{s.id}": "Fail to surrender" for r in work.offences[0].results for s in r.missing}
    draft["offences"][str(offence.id)]["answers"] = answers
    resulting, work = results_draft_save(hearing=hearing, defendant=defendant, draft=draft,
                                         expected_version=resulting.version, actor=CLERK)
    assert work.can_share, [c.message for c in work.errors]
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)
    return CustodyTimeLimit.objects.get(offence=offence)


def test_56_days_ending_on_easter_monday_2027_falls_back_to_maundy_thursday():
    # Mon 1 Feb 2027 + 56 days = Mon 29 Mar 2027 (Easter Monday); Sun, Sat and Good Friday 26 Mar are
    # not working days either, so the limit expires on Thu 25 Mar 2027.
    ctl = remand_in_custody(dt.date(2027, 2, 1))
    assert ctl.running and ctl.limit_days == 56
    assert ctl.expiry == dt.date(2027, 3, 25)


def test_56_days_ending_on_the_boxing_day_substitute_2026_falls_back_to_christmas_eve():
    # Mon 2 Nov 2026 + 56 = Mon 28 Dec 2026 (Boxing Day substitute); Sun 27, Sat 26, Fri 25 (Christmas
    # Day) are not working days: the limit expires on Thu 24 Dec 2026.
    ctl = remand_in_custody(dt.date(2026, 11, 2))
    assert ctl.expiry == dt.date(2026, 12, 24)


def test_a_guilty_plea_stops_the_clock():
    ctl = remand_in_custody(dt.date(2027, 2, 1), plea="G")
    assert not ctl.running and ctl.expiry is None


def test_the_worklist_shows_limits_expiring_within_28_days():
    ctl = remand_in_custody(dt.date(2027, 2, 1))
    rows = ctl_worklist(today=dt.date(2027, 3, 1))
    assert [r.ctl.pk for r in rows] == [ctl.pk] and rows[0].days_left == 24
    assert ctl_worklist(today=dt.date(2027, 2, 20)) == []


def test_a_stale_share_is_refused_and_shares_nothing():
    from courts.common.errors import Conflict

    case, hearing = listed_case()
    defendant = case.defendants.get()
    offence = defendant.offences.get()
    draft = {"offences": {str(offence.id): {"notepad": "plea=G FO 100 FVS"}}}
    resulting, _ = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                      actor=CLERK)
    with pytest.raises(Conflict):
        results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version - 1, actor=CLERK)
    assert DefendantResulting.objects.get(pk=resulting.pk).share_count == 0
