"""bench/intake.py must keep sending valid cases: a check of its data, never of its timings."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from courts.api.schemas.cases import CaseCreateIn
from courts.cases.intake import validate_case
from courts.common.errors import ErrorCollector

pytestmark = pytest.mark.django_db

BENCH = Path(settings.BASE_DIR) / "bench" / "intake.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_intake", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture
def intakes(bench):
    return list(bench.bench_intakes(bench.bench_generator(seed=99), range(1, 41)))


def test_bench_json_bodies_are_valid_cases(bench, intakes):
    for intake in intakes:
        body = bench.intake_json(intake)
        errors = ErrorCollector()
        validate_case(CaseCreateIn(**body).to_intake(), errors)
        assert errors.errors == [], (body["urn"], errors.errors)
        assert 1 <= len(body["defendants"]) <= 2
        assert all(1 <= len(d["offences"]) <= 3 for d in body["defendants"])
    assert len({bench.intake_json(i)["urn"] for i in intakes}) == len(intakes)


def test_bench_spi_messages_are_valid_new_case_messages(bench, intakes):
    spi = pytest.importorskip("courts.cases.spi")
    for intake in intakes:
        parsed = spi.spi_parse(bench.intake_spi_xml(intake))  # schema-validates the message
        errors = ErrorCollector()
        validate_case(parsed, errors)
        assert errors.errors == [], (intake.urn, errors.errors)
        assert parsed.urn == intake.urn
        assert [d.last_name for d in parsed.defendants] == [d.last_name for d in intake.defendants]


def test_bench_rows_fill_every_column_of_the_case_tables(bench, intakes):
    from courts.accounts.enums import OrganisationKind
    from courts.accounts.services import organisation_get_or_create
    from courts.common.actor import Actor
    from courts.common.clock import now

    organisation, _ = organisation_get_or_create(name=bench.PROSECUTOR_NAME, kind=OrganisationKind.PROSECUTOR,
                                                 actor=Actor.system())
    context = bench.Bench(None, "").row_context(organisation)
    shapes = bench.table_shapes()
    rows = bench.intake_rows(intakes[0], context, shapes, connection, now())
    assert len(rows.case) == len(shapes["case"].columns)
    assert len(rows.defendants) == len(intakes[0].defendants)
    assert all(len(r) == len(shapes["offence"].columns) for r in rows.offences)
    assert "id" not in shapes["event"].columns  # the event log's own sequence numbers it
