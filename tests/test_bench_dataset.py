"""bench/dataset.py must keep generating data the application reads: a tiny national data set loaded
by COPY into the PostgreSQL test database (rolled back after the test), checked for its shape and read
back through the pages and the API. Never a check of timings."""

import datetime as dt
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

BENCH = Path(settings.BASE_DIR) / "bench" / "dataset.py"
TODAY = dt.date(2026, 11, 25)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="bench/dataset.py loads by PostgreSQL's COPY; run with DATABASE_URL=postgres://..."),
]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_dataset", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _generate(bench, scale: float):
    import psycopg

    from courts.listing.models import CourtRoom

    assert not CourtRoom.objects.exists()  # the room ids and names are the generator's own
    connection.ensure_connection()
    conn = connection.connection
    # Inside the test's transaction, so that psycopg makes savepoints and the rows are rolled back.
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    return bench.generate([conn], scale=scale, seed=7, today=TODAY, chunk=400)


def test_a_tiny_national_data_set_has_the_national_shape_and_the_application_reads_it(bench, client):
    from courts.accounts.models import Organisation
    from courts.accounts.services import api_token_create
    from courts.accounts.tests.factories import UserFactory
    from courts.cases import identifiers
    from courts.cases.models import Defendant, Offence, ProsecutionCase
    from courts.common.actor import Actor
    from courts.custody.models import CustodyTimeLimit, Remand
    from courts.defence.models import Representation
    from courts.hearings.models import DefendantResulting, JudicialResult, OffenceDecision
    from courts.listing.models import Hearing, HearingDay, HearingDefendant, Sitting
    from courts.reference.models import CourtCentre, ResultDefinition

    stats = _generate(bench, scale=0.0002)  # 1,500 cases

    # Counts: what was copied is what is there, in national proportions.
    cases = ProsecutionCase.objects.count()
    assert cases == 1500 == stats.rows["cases_prosecutioncase"]
    tables = {"cases_defendant": Defendant, "cases_offence": Offence, "listing_hearing": Hearing,
              "listing_hearingday": HearingDay, "listing_hearingdefendant": HearingDefendant,
              "hearings_defendantresulting": DefendantResulting, "hearings_judicialresult": JudicialResult,
              "hearings_offencedecision": OffenceDecision, "custody_remand": Remand,
              "custody_custodytimelimit": CustodyTimeLimit, "defence_representation": Representation}
    for table, model in tables.items():
        assert model.objects.count() == stats.rows[table] > 0, table
    defendants, offences, hearings = (stats.rows[t] for t in ("cases_defendant", "cases_offence", "listing_hearing"))
    assert 1.1 < defendants / cases < 1.35  # 9M defendants for 7.5M cases
    assert 1.9 < offences / defendants < 2.6  # 20M offences
    assert 2.6 < hearings / cases < 3.8  # 25M hearings

    # Multi-defendant cases, hearings per case.
    per_case = Counter(Defendant.objects.values_list("case_id", flat=True))
    multi = sum(1 for n in per_case.values() if n >= 2) / cases
    assert 0.09 < multi < 0.22
    hearings_per_case = Counter(case_id for case_id, _ in set(HearingDefendant.objects.values_list("case_id",
                                                                                                  "hearing_id")))
    spread = Counter(hearings_per_case.values())
    assert set(spread) <= set(range(1, 7)) and spread[2] + spread[3] > spread[1]

    # Custody: about 8% of defendants remanded in custody, each with custody time limits.
    in_custody = Remand.objects.filter(status="C").values("defendant_id").distinct().count()
    assert 0.03 < in_custody / defendants < 0.15
    assert CustodyTimeLimit.objects.filter(defendant__remands__status="C").exists()

    # Results on every heard hearing, none on a listed one; real result definitions.
    heard = Hearing.objects.filter(status="HEARD")
    assert heard.exists() and Hearing.objects.filter(status="LISTED").exists()
    assert not heard.filter(hearing_days__date__gte=TODAY).exists()
    assert not Hearing.objects.filter(status="LISTED", hearing_days__date__lt=TODAY).exists()
    assert not heard.exclude(id__in=JudicialResult.objects.values("hearing_id")).exists()
    assert not JudicialResult.objects.filter(hearing__status="LISTED").exists()
    assert not JudicialResult.objects.exclude(definition_id__in=ResultDefinition.objects.values("id")).exists()
    codes = set(JudicialResult.objects.values_list("short_code", flat=True).distinct())
    assert {"FO", "RU", "NHMC", "FVS", "WDRN"} <= codes, codes
    assert DefendantResulting.objects.filter(shared_at__isnull=False).count() == stats.rows[
        "hearings_defendantresulting"]
    concluded = ProsecutionCase.objects.filter(status="CONCLUDED")
    assert concluded.exists()
    assert not Offence.objects.filter(defendant__case__in=concluded, disposed_on__isnull=True).exists()

    # Sittings: list orders 1..n in each; every hearing day in a sitting of its hearing's court centre.
    orders: dict = {}
    for sitting_id, order in HearingDay.objects.values_list("sitting_id", "list_order"):
        orders.setdefault(sitting_id, []).append(order)
    assert all(sorted(o) == list(range(1, len(o) + 1)) for o in orders.values())
    assert not HearingDay.objects.exclude(sitting__court_centre_id=F("hearing__court_centre_id")).exists()
    assert Sitting.objects.count() == stats.rows["listing_sitting"]

    # Identifiers: valid URNs (unique per prosecutor), ASNs and PNC IDs with their check characters.
    for urn in ProsecutionCase.objects.values_list("urn", flat=True)[:500]:
        assert identifiers.normalise_urn(urn) == urn
    asns = [a for a in Defendant.objects.exclude(asn="").values_list("asn", flat=True)[:500]]
    assert asns and all(identifiers.normalise_asn(a) == a for a in asns)
    pncs = [p for p in Defendant.objects.exclude(pnc_id="").values_list("pnc_id", flat=True)[:500]]
    assert pncs and all(identifiers.normalise_pnc_id(p) == p for p in pncs)
    # Prosecutors: the CPS brings most cases; court centres from the reference data, several of them.
    by_prosecutor = Counter(ProsecutionCase.objects.values_list("prosecutor__name", flat=True))
    assert by_prosecutor.most_common(1)[0][0] == "Crown Prosecution Service"
    assert by_prosecutor["Crown Prosecution Service"] > cases / 2 and len(by_prosecutor) >= 4
    centres = set(ProsecutionCase.objects.values_list("requested_court_centre_id", flat=True))
    assert len(centres) > 50 and centres <= set(CourtCentre.objects.values_list("id", flat=True))

    # The real selectors, the pages and the API read a generated case with its history.
    multi_case = next(case_id for case_id, n in per_case.items() if n >= 2)
    case = ProsecutionCase.objects.get(pk=multi_case)
    assert [line for line in bench.smoke_check(seed=7) if line]
    client.force_login(UserFactory())  # national court staff
    page = client.get(f"/cases/{case.id}/")
    assert page.status_code == 200
    assert case.urn in page.content.decode()
    search = client.post("/search/", {"urn": case.urn})
    assert search.status_code == 200 and case.urn in search.content.decode()
    resulted = JudicialResult.objects.filter(case=case).select_related("hearing").first()
    hearing_page = client.get(f"/court/hearings/{resulted.hearing_id}/")
    assert hearing_page.status_code == 200
    assert Defendant.objects.get(pk=resulted.defendant_id).last_name in hearing_page.content.decode()
    day = HearingDay.objects.filter(hearing_id=resulted.hearing_id).select_related("sitting").first()
    ou_code = CourtCentre.objects.get(pk=day.sitting.court_centre_id).ou_code
    assert client.get(f"/listing/{ou_code}/{day.date.isoformat()}/").status_code == 200
    assert client.get("/court/custody-time-limits/").status_code == 200
    _, token = api_token_create(organisation=case.prosecutor, name="dataset test", actor=Actor.system("test"))
    response = client.get(f"/api/v1/cases/{case.id}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert len(body["defendants"]) == per_case[case.id]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}", str(case.id))
    assert Organisation.objects.filter(kind="defence").count() >= 300
