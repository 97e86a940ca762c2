"""Two people resulting at once, on real connections (PostgreSQL): different defendants of one hearing
both succeed; two edits of the same defendant give exactly one conflict, never a silent overwrite."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from courts.common.errors import Conflict
from courts.hearings.models import DefendantResulting, JudicialResult
from courts.hearings.services import results_draft_save, results_share
from courts.hearings.tests.factories import CLERK, SECOND_CLERK, listed_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hearing_of_two():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: concurrency is tested on PostgreSQL")
    call_command("load_reference", verbosity=0)
    case, hearing = listed_case(defendants=2)
    return hearing, list(case.defendants.order_by("sequence"))


def run_together(*jobs):
    """Start every job at the same moment, each on its own connection; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            outcomes[i] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def draft(defendant, line):
    return {"offences": {str(defendant.offences.get().id): {"notepad": line}}}


def save_and_share(hearing, defendant, actor, line):
    def job():
        resulting, _ = results_draft_save(hearing=hearing, defendant=defendant, draft=draft(defendant, line),
                                          expected_version=1, actor=actor)
        return results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=actor)
    return job


def test_two_advisers_share_two_defendants_of_one_hearing_at_once(hearing_of_two):
    hearing, (first, second) = hearing_of_two
    outcomes = run_together(save_and_share(hearing, first, CLERK, "plea=G FO 200 FVS"),
                            save_and_share(hearing, second, SECOND_CLERK, "plea=G FO 300 FVS"))
    assert [type(o).__name__ for o in outcomes] == ["ShareOutcome", "ShareOutcome"], outcomes
    assert JudicialResult.objects.filter(hearing=hearing, is_current=True).count() == 4


def test_two_edits_of_one_defendant_at_once_give_one_conflict(hearing_of_two):
    hearing, (first, _) = hearing_of_two

    def edit(actor, line):
        return lambda: results_draft_save(hearing=hearing, defendant=first, draft=draft(first, line),
                                          expected_version=1, actor=actor)

    outcomes = run_together(edit(CLERK, "plea=G"), edit(SECOND_CLERK, "plea=NG"))
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    saved = [o for o in outcomes if isinstance(o, tuple)]
    assert len(conflicts) == 1 and len(saved) == 1, outcomes
    kept = DefendantResulting.objects.get(defendant=first)
    assert kept.version == 2
    assert kept.draft == saved[0][0].draft
