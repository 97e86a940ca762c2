"""bench/listing.py must keep generating a consistent day: a check of its rows, never of its timings."""

import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

BENCH = Path(settings.BASE_DIR) / "bench" / "listing.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_listing", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def rows(bench):
    return bench.listing_rows(bench.synthetic_reference(), scale=0.1, seed=7)


def test_counts_follow_the_scale(bench, rows):
    assert len(rows["listing_sitting"]) == 200
    hearings = len(rows["listing_hearing"])
    assert hearings == 2500
    for table in ("cases_prosecutioncase", "cases_defendant", "listing_hearingdefendant", "listing_hearingday"):
        assert len(rows[table]) == hearings, table
    assert hearings <= len(rows["cases_offence"]) <= 2 * hearings
    for table, table_rows in rows.items():
        assert all(len(row) == len(bench.COLUMNS[table]) for row in table_rows), table


def test_every_reference_resolves(bench, rows):
    column = {t: {c: i for i, c in enumerate(cols)} for t, cols in bench.COLUMNS.items()}

    def ids(table, name="id"):
        return {row[column[table][name]] for row in rows[table]}

    sittings, rooms, hearings = ids("listing_sitting"), ids("listing_courtroom"), ids("listing_hearing")
    cases, defendants = ids("cases_prosecutioncase"), ids("cases_defendant")
    assert ids("listing_hearingday", "sitting_id") <= sittings
    assert ids("listing_hearingday", "hearing_id") == hearings
    assert ids("listing_sitting", "court_room_id") <= rooms
    assert ids("listing_hearingdefendant", "defendant_id") == defendants
    assert ids("listing_hearingdefendant", "case_id") == cases
    assert ids("cases_offence", "defendant_id") == defendants
    # One sitting per room and session, and list orders 1..n within each sitting.
    sessions = Counter((r[column["listing_sitting"]["court_room_id"]], r[column["listing_sitting"]["session"]])
                       for r in rows["listing_sitting"])
    assert max(sessions.values()) == 1
    orders: dict = {}
    for r in rows["listing_hearingday"]:
        orders.setdefault(r[column["listing_hearingday"]["sitting_id"]], []).append(r[column["listing_hearingday"]["list_order"]])
    assert all(sorted(o) == list(range(1, len(o) + 1)) for o in orders.values())


def test_a_realistic_mix(bench):
    rows = bench.listing_rows(bench.synthetic_reference(), scale=1.0, seed=7, day=dt.date(2026, 12, 2))
    assert len(rows["listing_sitting"]) == 2000 and len(rows["listing_hearing"]) == 25_000
    sitting = {c: i for i, c in enumerate(bench.COLUMNS["listing_sitting"])}
    assert len({r[sitting["court_centre_id"]] for r in rows["listing_sitting"]}) == 249  # every centre sits
    kinds = Counter(r[sitting["kind"]] for r in rows["listing_sitting"])
    assert set(kinds) == {"ADULT", "CUSTODY", "YOUTH"}
    defendant = {c: i for i, c in enumerate(bench.COLUMNS["cases_defendant"])}
    minors = sum(1 for r in rows["cases_defendant"] if (dt.date(2026, 12, 2) - r[defendant["date_of_birth"]]).days < 18 * 365)
    assert 0 < minors < len(rows["cases_defendant"]) // 2
    case = {c: i for i, c in enumerate(bench.COLUMNS["cases_prosecutioncase"])}
    restricted = sum(1 for r in rows["cases_prosecutioncase"] if r[case["reporting_restrictions"]])
    assert 0 < restricted < len(rows["cases_prosecutioncase"]) // 10
    urns = [r[case["urn"]] for r in rows["cases_prosecutioncase"]]
    assert len(set(urns)) == len(urns)
