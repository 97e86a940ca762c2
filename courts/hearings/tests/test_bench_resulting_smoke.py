"""bench/resulting.py must keep typing valid results: its outcome lines, the keystrokes it counts and the
drafts it shares are checked here, never its timings."""

import datetime as dt
import importlib.util
import json
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from courts.hearings.notepad import Vocabulary, notepad_parse

BENCH = Path(settings.BASE_DIR) / "bench" / "resulting.py"
DEFINITIONS = (Path(settings.REFERENCE_DIR) / "cpp-context-hearing/hearing-integration-test/src/test/resources/"
               "stub-data/result-definitions.json")
# A Wednesday; weekends are the only days off here (the database's bank holidays are not needed).
DAY = dt.date(2026, 12, 2)


def weekday(day: dt.date) -> bool:
    return day.weekday() < 5


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_resulting", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_definitions(json.loads(DEFINITIONS.read_text())["resultDefinitions"])


def test_ten_common_outcomes_and_a_full_list(bench):
    assert sum(o.common for o in bench.OUTCOMES) == 10
    assert len({o.key for o in bench.OUTCOMES}) == len(bench.OUTCOMES)
    assert sum(o.weight for o in bench.OUTCOMES) == bench.DEFENDANTS == 30
    plan = bench.list_plan(7)
    assert len(plan) == bench.CASES == 20
    people = [d for case in plan for d in case.defendants]
    assert len(people) == 30 and {len(case.defendants) for case in plan} == {1, 2}
    assert Counter(d.outcome.key for d in people) == {o.key: o.weight for o in bench.OUTCOMES}
    assert 1 <= sum(d.offences == 2 for d in people) < 30
    assert bench.list_plan(7) == plan  # the same list for every path of a round


def test_every_line_parses_and_its_answers_are_prompts_it_leaves(bench, vocab):
    dates = bench.next_hearing_dates(DAY, weekday)
    assert all(weekday(d) and d > DAY for d in dates.values())
    for outcome in bench.OUTCOMES:
        for line, answers in bench.typed_lines(outcome, 2, DAY, dates):
            parsed = notepad_parse(line, vocabulary=vocab, hearing_date=DAY)
            assert parsed.ok, (outcome.key, line, [p.message for p in parsed.problems])
            assert "{" not in line, line
            left = {(r.short_code.upper(), m.label) for r in parsed.results for m in r.missing}
            for code, label, value in answers:
                assert (code, label) in left, (outcome.key, code, label)
                bench.prompt_id(vocab, code, label)  # exactly one prompt
                assert value and value == value.strip()


def test_keystrokes_count_every_character_tab_and_share(bench):
    dates = bench.next_hearing_dates(DAY, weekday)
    fine = bench.OUTCOME_BY_KEY["fine"]
    assert bench.keystroke_fields(fine, DAY, dates) == ["plea=g fo 200 fcpc 85 fvs"]
    assert bench.keystrokes(["plea=g fo 200 fcpc 85 fvs"]) == 26
    remand = bench.OUTCOME_BY_KEY["custody-remand"]
    fields = bench.keystroke_fields(remand, DAY, dates)
    assert fields[0] == f"ri nhmc {dates['custody-remand'].day}/{dates['custody-remand'].month} 20min"
    assert fields[-1] == "hmp leeds" and len(fields) == 1 + len(remand.answers) + 1
    assert bench.keystrokes(fields) == sum(map(len, fields)) + len(fields)


@pytest.mark.django_db
def test_each_outcome_shares_from_exactly_what_is_counted(bench):
    """A list with every outcome once, built as the bench builds it: the keystrokes counted leave
    nothing to answer, the draft shares, and the baseline can write the same share."""
    from django.db import connection

    from courts.common.actor import Actor
    from courts.common.clock import court_today, now
    from courts.hearings.models import DefendantResulting
    from courts.hearings.notepad import vocabulary
    from courts.hearings.services import draft_clean, resulting_work, results_draft_save, results_share
    from courts.reference.calendar import on_or_after_working_day
    from courts.reference.models import CourtCentre

    actor = Actor.system("bench smoke")
    system, prosecutor, hmcts, user, staff = bench.Bench(bench.parse_args([]), "").people()
    day = on_or_after_working_day(court_today())
    plan = bench.list_plan(3, defendants=len(bench.OUTCOMES), cases=6)
    bench_list = bench.list_build(name="smoke", centre=CourtCentre.objects.get(ou_code="B13HT00"),
                                  crown_centre=CourtCentre.objects.get(ou_code=bench.CROWN_OU), day=day, plan=plan,
                                  prosecutor=prosecutor, actor=actor, rng=random.Random(3))
    assert {t.outcome.key for t in bench_list.targets} == set(bench.OUTCOME_BY_KEY)
    vocab = vocabulary()
    state = bench.BaselineState()
    for t in bench_list.targets:
        assert bench.keystroke_proof(t, vocab) == [], t.outcome.key
        draft = bench.outcome_draft(t.outcome, t.offence_ids, day, bench_list.dates, vocab)
        clean = draft_clean(draft, list(t.defendant.offences.order_by("sequence")))
        work = resulting_work(DefendantResulting(hearing=t.hearing, defendant=t.defendant, case_id=t.case.pk),
                              draft=clean)
        statements = bench.baseline_share(t, work, state, resulting_id=DefendantResulting().id, at=now(),
                                          connection=connection)
        tables = {s.table for s in statements if s.text.startswith("INSERT")}
        assert {"hearings_judicialresult", "audit_event"} <= tables, t.outcome.key
        assert ("listing_hearing" in tables) == bool(t.outcome.next_days), t.outcome.key
        resulting, work = results_draft_save(hearing=t.hearing, defendant=t.defendant, draft=draft,
                                             expected_version=1, actor=staff)
        assert work.can_share, (t.outcome.key, [c.message for c in work.errors])
        shared = results_share(hearing=t.hearing, defendant=t.defendant, expected_version=resulting.version,
                               actor=staff)
        assert len(shared.next_hearings) == (1 if t.outcome.next_days else 0), t.outcome.key
