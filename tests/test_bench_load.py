"""bench/load.py must keep running: its pure helpers, and on PostgreSQL a few seconds of the whole run
(gunicorn, a delivery worker, every operation of the mix on both sides) against a tiny data set from
bench/dataset.py in a database of its own. Never a check of timings."""

import importlib.util
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
BENCH = ROOT / "bench" / "load.py"
DATABASE = "courts_bench_ci_load"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_percentiles_interpolate_and_the_mix_draws_only_what_is_left(load):
    import random

    assert load.percentile([], 50) == 0.0
    assert load.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert load.percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    rng = random.Random(1)
    drawn = {load.pick_operation(rng, {"case page", "intake"}) for _ in range(200)}
    assert drawn == {"case page", "intake"}


def test_the_report_gives_each_operation_its_ratio_to_the_baseline(load):
    ours, baseline = load.Tally(), load.Tally()
    for seconds in (0.010, 0.020, 0.030):
        ours.record("case page", seconds)
        baseline.record("case page", seconds / 10)
    table = load.report(ours, baseline, seconds=3.0)
    (line,) = [row for row in table.splitlines() if row.startswith("case page")]
    assert " 20.0 / 29.0 / 29.8 |" in line and " 2.0 / 2.9 / 3.0 |" in line and " 10.0x |" in line


@pytest.mark.parametrize("name", ["courts", "postgres", "test_courts", "template1"])
def test_it_refuses_a_database_that_is_not_a_bench_one(load, name):
    with pytest.raises(SystemExit):
        load.parse_args(["--database-url", f"postgres://postgres@127.0.0.1:5432/{name}"])


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="bench/load.py runs on a PostgreSQL data set; run with DATABASE_URL=postgres://...")
def test_a_few_seconds_of_the_court_day_run_every_operation_on_both_sides():
    import psycopg

    url = _url(DATABASE)
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    try:
        python = sys.executable
        data = subprocess.run([python, "bench/dataset.py", "--scale", "0.0004", "--today", "2026-11-25",
                               "--database-url", url], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert data.returncode == 0, data.stdout[-4000:] + data.stderr[-4000:]
        run = subprocess.run([python, "bench/load.py", "--database-url", url, "--seconds", "6", "--warm-up", "0",
                              "--clients", "3", "--web-workers", "2", "--delivery-workers", "1", "--max-drain", "60"],
                             cwd=ROOT, capture_output=True, text=True, timeout=400)
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
        rows = {line.split("|")[0].strip(): line for line in run.stdout.splitlines() if "|" in line}
        for operation in ("case page", "search by URN", "defence portal case", "court list", "intake",
                          "listing change", "result and share"):
            assert operation in rows, run.stdout
            assert rows[operation].rstrip().endswith("x"), rows[operation]  # a baseline to compare with
        assert "NOT DELIVERED" not in run.stdout and " 0 delivered" not in run.stdout, run.stdout
        assert "CPU per operation, ours: " in run.stdout and "CPU per operation, baseline: " in run.stdout, run.stdout
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def test_it_refuses_a_database_that_is_not_postgresql(load):
    with pytest.raises(SystemExit):
        load.parse_args(["--database-url", "sqlite:///data/courts_bench.sqlite3"])
