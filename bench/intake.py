"""Case intake and case search on PostgreSQL, each beside its raw-SQL physical baseline.

    .venv/bin/python bench/intake.py                      # full size: 10,000 cases, 100,000 searchable
    .venv/bin/python bench/intake.py --cases 200 --search-cases 2000     # a quick run

It measures, in one run and on one database (`DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/courts_bench, which it creates, migrates and loads with reference data):

- intake through the JSON API (`POST /api/v1/cases`, Django's test Client in-process with a bearer token:
  the whole request stack without a socket), one case per request, 1-2 defendants with 1-3 offences;
- intake through police SPI XML (`POST /api/v1/spi/cases`), when `courts.cases.spi` exists;
- the physical baseline: the same rows (case, defendants, offences, event) inserted with psycopg, one
  transaction per case, as our service does;
- search latency (median, p95) by URN, ASN, PNC ID and surname prefix with date of birth, with
  `--search-cases` cases loaded by COPY, through the `case_search` selector and the API's
  `POST /api/v1/cases/search` (criteria in the JSON body: a person's name, date of birth, ASN and PNC ID
  never go in a URL), beside the same lookups written as one SQL statement each.

It prints `operation | ours | baseline | ratio`, where the ratio is our time per operation over the
baseline's (2.0 = twice as slow). See bench/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse, urlunparse
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from courts.cases.demo import DemoCases, DemoProsecutor
    from courts.cases.intake import CaseIntake

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/courts_bench"
BENCH_SEED = 4242
PROSECUTOR_NAME = "Metropolitan Police"
# The police force OU that sends the SPI messages (Metropolitan Police: force 01).
POLICE_OU = "01YE000"
# Cases per intake channel sent after the timed ones, to count their SQL statements.
COUNTED = 20


# --- data: plausible cases, as JSON, SPI XML and table rows ---------------------------------------
# Everything here works without a database, so that `courts/cases/tests/test_bench_smoke.py` can
# check that what the benchmark sends is still a valid case.

def bench_prosecutor() -> DemoProsecutor:
    """A police force that charges, requisitions and sends SJP notices, with its own URN units."""
    from courts.cases.demo import CHARGE_OFFENCES, REQUISITION_OFFENCES, DemoProsecutor
    from courts.cases.enums import InitiationType

    return DemoProsecutor(
        name=PROSECUTOR_NAME, authority_code="MPS", urn_force="01", urn_units=("BA", "BB", "BC", "BD"),
        initiations=((InitiationType.CHARGE, 70), (InitiationType.REQUISITION, 15), (InitiationType.SJP_NOTICE, 15)),
        offences={
            InitiationType.CHARGE: CHARGE_OFFENCES,
            InitiationType.REQUISITION: REQUISITION_OFFENCES,
            InitiationType.SJP_NOTICE: (("RR84707", 6), ("RT88191", 3), ("RT88567", 2)),
        },
        share=100,
    )


def bench_generator(seed: int = BENCH_SEED, today: dt.date | None = None) -> DemoCases:
    from courts.cases.demo import DemoCases

    return DemoCases(seed=seed, today=today) if today else DemoCases(seed=seed)


def bench_intakes(generator: DemoCases, numbers: range) -> Iterator[CaseIntake]:
    """Cases numbered `numbers` (each number is a distinct URN): 1-2 defendants, 1-3 offences each."""
    prosecutor = bench_prosecutor()
    for number in numbers:
        yield generator.case(prosecutor, generator.urn(prosecutor, number), max_defendants=2, max_offences=3)


def _iso(value: dt.date | dt.time | None) -> str | None:
    return value.isoformat() if value else None


def intake_json(intake: CaseIntake) -> dict[str, Any]:
    """The `POST /api/v1/cases` body for `intake` (docs/api.md)."""
    from courts.cases.enums import InitiationType

    def offence(o):
        return {k: v for k, v in {
            "offenceCode": o.cjs_code, "wording": o.wording, "startDate": _iso(o.start_date),
            "endDate": _iso(o.end_date), "chargeDate": _iso(o.charge_date), "laidDate": _iso(o.laid_date),
            "location": o.location,
        }.items() if v}

    def defendant(d):
        body = {
            "type": d.kind.upper(), "title": d.title, "firstName": d.first_name, "middleName": d.middle_name,
            "lastName": d.last_name, "dateOfBirth": _iso(d.date_of_birth), "gender": str(d.gender),
            "organisationName": d.organisation_name,
            "address": {"lines": d.address_lines, "postcode": d.postcode},
            "asn": d.asn, "pncId": d.pnc_id, "prosecutorReference": d.prosecutor_reference,
            "bailStatus": d.bail_status, "bailConditions": d.bail_conditions, "custodyReasons": d.custody_reasons,
            "offences": [offence(o) for o in d.offences],
        }
        return {k: v for k, v in body.items() if v}

    hearing = {"courtCentre": intake.court_centre_ou_code, "date": _iso(intake.hearing_date)}
    if intake.hearing_time:
        hearing["time"] = _iso(intake.hearing_time)
    return {
        "urn": intake.urn,
        "initiationType": InitiationType(intake.initiation_type).name,
        "informant": intake.informant,
        "firstHearing": hearing,
        "defendants": [defendant(d) for d in intake.defendants],
    }


SPI_GENDER = {"MALE": "1", "FEMALE": "2", "NOT_KNOWN": "0", "NOT_SPECIFIED": "9"}


def _el(name: str, value: object, ns: str = "") -> str:
    return f"<{ns}{name}>{escape(str(value))}</{ns}{name}>" if value not in (None, "") else ""


def _bs7666(lines: list[str], postcode: str) -> str:
    """address lines like ['Flat 2, 14 Oak Road', 'Clapham', 'London'] as a BS7666 address."""
    first = lines[0] if lines else "NO FIXED ABODE"
    saon, _, rest = first.rpartition(", ")
    number, _, street = rest.partition(" ")
    if not number[:1].isdigit():
        number, street = "", rest
    b = "bsa:"
    # BS7666 primary and secondary addressable objects are fixed-width number ranges then text; like
    # Common Platform's test messages, leave the ranges blank and put the number or name in the text.
    blank = " " * 10
    return (
        _el("SAON", blank + saon if saon else "", b) + _el("PAON", blank + (number or street), b)
        + _el("StreetDescription", street or rest, b)
        + _el("Locality", lines[1] if len(lines) > 1 else "", b) + _el("Town", lines[-1] if len(lines) > 2 else "London", b)
        + _el("PostCode", postcode, b)
    )


def _spi_defendant(d, asn_or_reference: str) -> str:
    from courts.cases.enums import DefendantKind

    offences = "".join(
        "<Offence><BaseOffenceDetails>"
        + _el("OffenceSequenceNumber", j + 1) + _el("OffenceCode", o.cjs_code) + _el("OffenceWording", o.wording)
        + "<OffenceTiming>" + _el("OffenceDateCode", o.date_code or 1)
        + "<OffenceStart>" + _el("OffenceDateStartDate", _iso(o.start_date)) + "</OffenceStart>"
        + ("<OffenceEnd>" + _el("OffenceEndDate", _iso(o.end_date)) + "</OffenceEnd>" if o.end_date else "")
        + "</OffenceTiming>"
        + _el("ChargeDate", _iso(o.charge_date or o.laid_date)) + _el("LocationOfOffence", o.location[:80])
        + "</BaseOffenceDetails></Offence>"
        for j, o in enumerate(d.offences)
    )
    if d.kind == DefendantKind.ORGANISATION:
        party = ("<PoliceCorporateDefendant><OrganisationName>" + _el("OrganisationName", d.organisation_name)
                 + "</OrganisationName>" + "<Address>" + _bs7666(d.address_lines, d.postcode) + "</Address>"
                 + "</PoliceCorporateDefendant>")
    else:
        name = (_el("PersonTitle", d.title) + _el("PersonGivenName1", d.first_name)
                + _el("PersonGivenName2", d.middle_name) + _el("PersonFamilyName", d.last_name))
        party = (
            "<PoliceIndividualDefendant><PersonDefendant><BasePersonDetails>"
            f"<PersonName>{name}</PersonName>" + _el("Birthdate", _iso(d.date_of_birth))
            + _el("Gender", SPI_GENDER[str(d.gender)]) + "</BasePersonDetails>"
            + _el("PNCidentifier", d.pnc_id.replace("/", "")) + _el("BailConditions", d.bail_conditions)
            + "</PersonDefendant>"
            + "<Address>" + _bs7666(d.address_lines, d.postcode) + "</Address>"
            + _el("CustodyStatus", d.bail_status)
            + "<LanguageOptions><DocumentationLanguage>E</DocumentationLanguage>"
            "<HearingLanguage>E</HearingLanguage></LanguageOptions>"
            + "</PoliceIndividualDefendant>"
        )
    return f"<Defendant>{_el('ProsecutorReference', asn_or_reference)}{party}{offences}</Defendant>"


def intake_spi_xml(intake: CaseIntake, *, correlation_id: str = "") -> bytes:
    """`intake` as a police SPI NewCaseMessage (CPP-StdProsPoliceCase-v1-2.xsd) in its CJSE RouteData
    envelope, shaped like Common Platform's SingleDefendantSingeOffenceSJP.xml test message."""
    from courts.cases.enums import InitiationType

    initiation = str(intake.initiation_type)
    start = ("<InitiationCode>S</InitiationCode><SummonsCode>A</SummonsCode>" if initiation == InitiationType.SUMMONS
             else _el("CaseInitiation", initiation))
    officer_name = (intake.informant.split()[-1] if intake.informant else "Officer")
    message = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<NewCaseMessage xmlns="http://www.dca.gov.uk/xmlschemas/libra" '
        'xmlns:bsa="http://www.govtalk.gov.uk/people/bs7666" Flow="NewCasesFromThePolice" '
        'Interface="LibraStandardProsecutorPolice" SchemaVersion="0.6g"><Case>'
        + _el("PTIURN", intake.urn) + _el("OriginatingOrganisation", POLICE_OU) + start
        + _el("Informant", intake.informant[:92])
        + "<InitialHearing>" + _el("CourtHearingLocation", intake.court_centre_ou_code)
        + _el("DateOfHearing", _iso(intake.hearing_date))
        + _el("TimeOfHearing", (intake.hearing_time or dt.time(10, 0)).strftime("%H:%M:%S")) + "</InitialHearing>"
        + "<OtherPartyOfficerInCase><OfficerName>" + _el("PersonFamilyName", officer_name) + "</OfficerName>"
        + _el("PoliceOfficerRank", "Constable") + _el("PoliceWorkerReferenceNumber", "1234")
        + _el("PoliceWorkerLocationCode", POLICE_OU) + "</OtherPartyOfficerInCase>"
        + "".join(_spi_defendant(d, d.asn or d.prosecutor_reference) for d in intake.defendants)
        + "</Case></NewCaseMessage>"
    )
    now = dt.datetime.now(dt.UTC)
    correlation_id = correlation_id or str(uuid.uuid4())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<RouteData xmlns:cjseEntity="http://schemas.cjse.gov.uk/common/businessentities" '
        'xmlns="http://schemas.cjse.gov.uk/common/operations" VersionNumber="1.0" RequestResponse="Request">'
        '<RequestFromSystem VersionNumber="1.0">'
        f"<CorrelationID>{correlation_id}</CorrelationID>"
        '<SystemID literalvalue="String">C00CommonPlatform</SystemID>'
        '<OrganizationalUnitID literalvalue="String">0000000</OrganizationalUnitID>'
        '<DataController literalvalue="String">bench</DataController><User literalvalue="String">bench</User>'
        '<SourceID literalvalue="String">00101PoliceCaseSystem</SourceID>'
        '<DestinationID literalvalue="String">B00LIBRA</DestinationID></RequestFromSystem>'
        '<DataStream VersionNumber="1.0">'
        '<cjseEntity:System literalvalue="String">00101PoliceCaseSystem</cjseEntity:System>'
        '<cjseEntity:DataStreamType literalvalue="String">SPINewCase</cjseEntity:DataStreamType>'
        f"<cjseEntity:SystemDataStreamID>{correlation_id}</cjseEntity:SystemDataStreamID>"
        "<cjseEntity:Name>SPI New Case</cjseEntity:Name>"
        f"<cjseEntity:Reference>{correlation_id}</cjseEntity:Reference>"
        "<cjseEntity:ReferenceType>SPINewCase</cjseEntity:ReferenceType>"
        f"<cjseEntity:Dated>{now:%Y-%m-%d}</cjseEntity:Dated><cjseEntity:Timed>{now:%H:%M:%S}.000Z</cjseEntity:Timed>"
        "<cjseEntity:ContentType>text/plain</cjseEntity:ContentType>"
        f"<cjseEntity:DataStreamContent>{escape(message)}</cjseEntity:DataStreamContent>"
        "</DataStream>"
        '<Routes VersionNumber="1.0"><Route VersionNumber="1.0"><RouteID>001</RouteID>'
        '<RouteSourceSystem literalvalue="String">00101PoliceCaseSystem</RouteSourceSystem>'
        '<RouteDestinationSystem literalvalue="String">B00LIBRA</RouteDestinationSystem>'
        "<Descriptor>String</Descriptor></Route></Routes></RouteData>"
    ).encode()


@dataclass
class RowContext:
    """What turning an intake into rows needs from the database, looked up once."""

    prosecutor_id: int
    prosecutor_name: str
    authority_code: str
    court_ids: dict[str, Any]
    definitions: dict[str, Any]  # cjs_code -> reference Offence
    actor_label: str = "Metropolitan Police (bench)"


@dataclass
class CaseRows:
    case: tuple
    defendants: list[tuple]
    offences: list[tuple]
    event: tuple


@dataclass
class TableShape:
    table: str
    columns: list[str]
    attnames: list[str]
    fields: list[Any]

    @classmethod
    def of(cls, model, *, skip_auto: bool = False) -> TableShape:
        fields = [f for f in model._meta.concrete_fields if not (skip_auto and f.primary_key and f.get_internal_type()
                                                                 in ("AutoField", "BigAutoField"))]
        return cls(model._meta.db_table, [f.column for f in fields], [f.attname for f in fields], fields)

    def row(self, obj, connection) -> tuple:
        return tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in self.fields)

    def insert_sql(self) -> str:
        columns = ", ".join(f'"{c}"' for c in self.columns)
        return f'INSERT INTO "{self.table}" ({columns}) VALUES ({", ".join(["%s"] * len(self.columns))})'  # noqa: S608


def table_shapes() -> dict[str, TableShape]:
    from courts.audit.models import Event
    from courts.cases.models import Defendant, Offence, ProsecutionCase

    return {"case": TableShape.of(ProsecutionCase), "defendant": TableShape.of(Defendant),
            "offence": TableShape.of(Offence), "event": TableShape.of(Event, skip_auto=True)}


def intake_rows(intake: CaseIntake, context: RowContext, shapes: dict[str, TableShape], connection,
                created_at: dt.datetime) -> CaseRows:
    """The rows `case_intake` writes for `intake`, built the same way (model defaults included)."""
    from courts.audit.models import Event
    from courts.cases.enums import IntakeChannel
    from courts.cases.models import Defendant, Offence, ProsecutionCase

    case = ProsecutionCase(
        urn=intake.urn, prosecutor_id=context.prosecutor_id, prosecuting_authority_code=context.authority_code,
        informant=intake.informant, initiation_type=str(intake.initiation_type), channel=IntakeChannel.API,
        requested_court_centre_id=context.court_ids[intake.court_centre_ou_code],
        requested_hearing_date=intake.hearing_date, requested_hearing_time=intake.hearing_time,
        created_at=created_at, updated_at=created_at,
    )
    defendants, offences, summary = [], [], []
    for i, d in enumerate(intake.defendants):
        defendant = Defendant(
            case_id=case.id, sequence=i + 1, kind=d.kind, title=d.title, first_name=d.first_name,
            middle_name=d.middle_name, last_name=d.last_name, date_of_birth=d.date_of_birth, gender=d.gender,
            organisation_name=d.organisation_name, address_lines=d.address_lines, postcode=d.postcode, asn=d.asn,
            pnc_id=d.pnc_id, prosecutor_reference=d.prosecutor_reference, bail_status=d.bail_status,
            bail_conditions=d.bail_conditions, custody_reasons=d.custody_reasons,
        )
        defendants.append(shapes["defendant"].row(defendant, connection))
        for j, o in enumerate(d.offences):
            definition = context.definitions[o.cjs_code]
            offence = Offence(
                defendant_id=defendant.id, sequence=j + 1, definition_id=definition.id, cjs_code=o.cjs_code,
                title=definition.title, mode_of_trial=definition.mode_of_trial, wording=o.wording,
                start_date=o.start_date, end_date=o.end_date, charge_date=o.charge_date, laid_date=o.laid_date,
                date_code=o.date_code, location=o.location,
            )
            offences.append(shapes["offence"].row(offence, connection))
        summary.append({"id": str(defendant.id), "name": defendant.name, "asn": d.asn,
                        "offences": [o.cjs_code for o in d.offences]})
    event = Event(
        type="case.created", occurred_at=created_at, actor_label=context.actor_label,
        actor_organisation_id=context.prosecutor_id, case_id=case.id,
        summary=f"Case {intake.urn} created (JSON API) with {len(defendants)} defendant(s)",
        payload={"urn": intake.urn, "prosecutor": context.prosecutor_name, "channel": "api",
                 "initiation_type": str(intake.initiation_type), "court_centre": intake.court_centre_ou_code,
                 "hearing_date": _iso(intake.hearing_date), "defendants": summary},
    )
    return CaseRows(shapes["case"].row(case, connection), defendants, offences, shapes["event"].row(event, connection))


# --- the run -------------------------------------------------------------------------------------

@dataclass
class Result:
    operation: str
    ours: str
    baseline: str
    ratio: float | None
    note: str = ""
    # SQL statements for one operation, ours / the baseline's, BEGIN and COMMIT aside (noise-free, unlike times).
    queries: str = ""


@dataclass
class Bench:
    args: argparse.Namespace
    database_url: str
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)

    # ---- set-up ----
    def prepare_database(self) -> None:
        import psycopg

        parsed = urlparse(self.database_url)
        name = parsed.path.lstrip("/")
        admin_url = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and self.args.fresh:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
            if not exists:
                print(f"Creating database {name}")
                conn.execute(f'CREATE DATABASE "{name}"')

    def setup_django(self) -> None:
        os.environ["DATABASE_URL"] = self.database_url
        if self.args.conn_max_age is not None:
            os.environ["COURTS_DB_CONN_MAX_AGE"] = str(self.args.conn_max_age)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from courts.reference.models import Offence

        call_command("migrate", verbosity=0, interactive=False)
        if not Offence.objects.exists():
            print("Loading reference data (once per bench database)")
            call_command("load_reference", verbosity=0)

    def reset_case_tables(self) -> None:
        from django.db import connection

        from courts.audit.models import Event
        from courts.cases.models import Defendant, IntakeRequest, Offence, ProsecutionCase

        tables = ", ".join(f'"{m._meta.db_table}"' for m in (Offence, Defendant, IntakeRequest, ProsecutionCase, Event))
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")

    def make_token(self):
        from courts.accounts.enums import OrganisationKind
        from courts.accounts.services import api_token_create, organisation_get_or_create
        from courts.common.actor import Actor

        actor = Actor.system("bench")
        organisation, _ = organisation_get_or_create(name=PROSECUTOR_NAME, kind=OrganisationKind.PROSECUTOR,
                                                     actor=actor, prosecuting_authority_code="MPS")
        api_token, token = api_token_create(organisation=organisation, name="bench", actor=actor)
        return organisation, api_token, token

    def row_context(self, organisation) -> RowContext:
        from courts.cases.demo import DEMO_COURTS, DEMO_OFFENCE_CODES
        from courts.reference.models import CourtCentre
        from courts.reference.selectors import offence_map

        courts = dict(CourtCentre.objects.filter(ou_code__in=[c.ou_code for c in DEMO_COURTS]).values_list("ou_code", "id"))
        return RowContext(organisation.pk, organisation.name, organisation.prosecuting_authority_code, courts,
                          offence_map(cjs_codes=set(DEMO_OFFENCE_CODES)))

    # ---- intake ----
    def run_intake(self, generator, organisation, api_token, token, context, shapes) -> None:
        """Each channel sends its own cases (distinct URNs), one at a time, in alternating blocks, so that
        every channel meets the same machine load and the same table sizes."""
        import psycopg
        from django.db import connections
        from django.test import Client

        from courts.accounts.services import actor_for_token
        from courts.cases.enums import IntakeChannel
        from courts.cases.services import case_intake

        n, warm = self.args.cases, 20
        client = Client()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        actor = actor_for_token(api_token)

        def numbers(start: int, extra: int = 0) -> range:
            return range(start, start + warm + n + extra)

        print(f"Generating {n} cases for each channel")
        # COUNTED more cases per channel than are timed: sent afterwards, one by one, counting their queries.
        bodies = [json.dumps(intake_json(i)).encode() for i in bench_intakes(generator, numbers(1, extra=COUNTED))]
        intakes = list(bench_intakes(generator, numbers(4_000_001, extra=COUNTED)))
        created = dt.datetime.now(dt.UTC)
        connection = connections["default"]  # the object itself, not the thread-local proxy
        rows = [intake_rows(i, context, shapes, connection, created) for i in bench_intakes(generator, numbers(2_000_001, extra=COUNTED))]
        messages = [intake_spi_xml(i) for i in bench_intakes(generator, numbers(1_000_001, extra=COUNTED + 1))]  # +1 probe

        def post_json(body: bytes) -> None:
            response = client.post("/api/v1/cases", body, content_type="application/json", **auth)
            if response.status_code != 201:
                raise SystemExit(f"POST /api/v1/cases answered {response.status_code}: {response.content[:2000]!r}")

        def post_xml(body: bytes) -> None:
            response = client.post("/api/v1/spi/cases", body, content_type="application/xml", **auth)
            if response.status_code not in (200, 201, 202):
                raise SystemExit(f"POST /api/v1/spi/cases answered {response.status_code}: {response.content[:2000]!r}")

        def service(intake) -> None:
            case_intake(intake=intake, prosecutor=organisation, actor=actor, channel=IntakeChannel.API)

        sql = {k: shape.insert_sql() for k, shape in shapes.items()}
        conn = psycopg.connect(self.database_url, autocommit=True)

        def insert(case_rows: CaseRows) -> None:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(sql["case"], case_rows.case)
                cur.executemany(sql["defendant"], case_rows.defendants)
                cur.executemany(sql["offence"], case_rows.offences)
                cur.execute(sql["event"], case_rows.event)

        channels = {"json": (bodies, post_json), "service": (intakes, service), "sql": (rows, insert)}
        spi_skip = self.spi_unavailable(client, auth, messages[0])
        if spi_skip:
            self.results.append(Result("intake: SPI XML", "skipped", "", None, spi_skip))
        else:
            channels["spi"] = (messages[1:], post_xml)
        for items, send in channels.values():
            for item in items[:warm]:
                send(item)
        seconds = dict.fromkeys(channels, 0.0)
        done = 0
        started = time.perf_counter()
        block = 50
        print("Intake: " + ", ".join(channels) + f" in alternating blocks of {block}")
        while done < n:
            upto = min(done + block, n)
            for name, (items, send) in channels.items():
                t = time.perf_counter()
                for item in items[warm + done:warm + upto]:
                    send(item)
                seconds[name] += time.perf_counter() - t
            done = upto
            if done % 1000 == 0 or done == n:
                print(f"  {done} cases per channel: " + ", ".join(f"{k} {done / v:,.0f}/s" for k, v in seconds.items()),
                      flush=True)
            if time.perf_counter() - started > self.args.max_seconds and done < n:
                self.notes.append(f"intake stopped at the {self.args.max_seconds:.0f}s limit after {done} cases per channel")
                break
        queries = {name: mean_queries(items[-COUNTED:], send) for name, (items, send) in channels.items()
                   if name != "sql"}
        for r in rows[-COUNTED:]:
            insert(r)
        conn.close()
        # case, defendants, offences, event
        base_queries = statistics.mean(2 + len(r.defendants) + len(r.offences) for r in rows[-COUNTED:])
        base_ms = seconds["sql"] / done * 1000
        baseline = f"{1000 / base_ms:,.0f}/s ({base_ms:.2f} ms)"
        labels = {"json": ("intake: JSON API POST /api/v1/cases", ""),
                  "spi": ("intake: SPI XML POST /api/v1/spi/cases", ""),
                  "service": ("intake: case_intake service alone", "no HTTP, no JSON, no response")}
        for name, (label, note) in labels.items():
            if name in seconds:
                ms = seconds[name] / done * 1000
                self.results.append(Result(f"{label}, cases/s (ms per case)", f"{1000 / ms:,.0f}/s ({ms:.1f} ms)",
                                           baseline, ms / base_ms, note, f"{queries[name]:.1f}/{base_queries:.1f}"))

    def spi_unavailable(self, client, auth, message: bytes) -> str:
        """Why SPI intake cannot be measured, or "" when it can (the probe message creates a case)."""
        try:
            import courts.cases.spi  # noqa: F401
        except ImportError as error:
            return f"courts.cases.spi cannot be imported ({error})"
        response = client.post("/api/v1/spi/cases", message, content_type="application/xml", **auth)
        if response.status_code == 404:
            return "POST /api/v1/spi/cases is not routed"
        if response.status_code not in (200, 201, 202):
            raise SystemExit(f"POST /api/v1/spi/cases answered {response.status_code}: {response.content[:2000]!r}")
        return ""

    # ---- search ----
    def load_search_cases(self, generator, context, shapes) -> list[dict[str, Any]]:
        """COPY `--search-cases` cases (and their events) in chunks; keep a sample of search targets."""
        import psycopg
        from django.db import connections

        connection = connections["default"]
        total, chunk = self.args.search_cases, 5000
        rng = random.Random(BENCH_SEED)
        targets: list[dict[str, Any]] = []
        created = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
        started = time.perf_counter()
        start = 3_000_001
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            for first in range(start, start + total, chunk):
                numbers = range(first, min(first + chunk, start + total))
                batch = {"case": [], "defendant": [], "offence": [], "event": []}
                for k, intake in enumerate(bench_intakes(generator, numbers)):
                    at = created + dt.timedelta(seconds=first - start + k)
                    r = intake_rows(intake, context, shapes, connection, at)
                    batch["case"].append(r.case)
                    batch["defendant"] += r.defendants
                    batch["offence"] += r.offences
                    batch["event"].append(r.event)
                    if rng.random() < 2000 / total:
                        d = rng.choice([d for d in intake.defendants if d.kind == "person"] or intake.defendants)
                        targets.append({"urn": intake.urn, "asn": d.asn, "pnc_id": d.pnc_id,
                                        "surname": d.last_name[:3], "date_of_birth": d.date_of_birth})
                with conn.transaction(), conn.cursor() as cur:
                    for key in ("case", "defendant", "offence", "event"):
                        shape = shapes[key]
                        columns = ", ".join(f'"{c}"' for c in shape.columns)
                        with cur.copy(f'COPY "{shape.table}" ({columns}) FROM STDIN') as copy:
                            for row in batch[key]:
                                copy.write_row(row)
                done = numbers.stop - start
                print(f"  loaded {done} cases ({done / (time.perf_counter() - started):,.0f}/s)", flush=True)
            conn.execute("ANALYZE")
        return targets

    def run_search(self, generator, organisation, api_token, token, context, shapes) -> None:
        import psycopg
        from django.test import Client

        from courts.accounts.services import actor_for_token
        from courts.cases.models import Defendant, ProsecutionCase
        from courts.cases.selectors import CaseSearch, case_search

        print(f"Loading {self.args.search_cases} searchable cases by COPY")
        targets = self.load_search_cases(generator, context, shapes)
        rng = random.Random(BENCH_SEED + 1)
        actor = actor_for_token(api_token)
        client = Client()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        case_t, def_t, off_t = (ProsecutionCase._meta.db_table, Defendant._meta.db_table,
                                shapes["offence"].table)
        select = (
            f'SELECT c.*, d.*, o.* FROM "{case_t}" c JOIN "{def_t}" d ON d.case_id = c.id '  # noqa: S608
            f'JOIN "{off_t}" o ON o.defendant_id = d.id WHERE c.id IN ('
            f'SELECT c2.id FROM "{case_t}" c2 WHERE c2.prosecutor_id = %s AND {{where}} '
            f"ORDER BY c2.created_at DESC LIMIT 100) ORDER BY c.created_at DESC, d.sequence, o.sequence"
        )
        in_defendants = f'c2.id IN (SELECT case_id FROM "{def_t}" WHERE {{cond}})'  # noqa: S608
        kinds = {
            "URN": (lambda t: {"urn": t["urn"]},
                    select.format(where="UPPER(c2.urn) = UPPER(%s)"), lambda t: (t["urn"],)),
            "ASN": (lambda t: {"asn": t["asn"]},
                    select.format(where=in_defendants.format(cond="asn = %s")), lambda t: (t["asn"],)),
            "PNC ID": (lambda t: {"pnc_id": t["pnc_id"]},
                       select.format(where=in_defendants.format(cond="pnc_id = %s")), lambda t: (t["pnc_id"],)),
            "surname prefix + DOB": (
                lambda t: {"surname": t["surname"], "date_of_birth": t["date_of_birth"]},
                select.format(where=in_defendants.format(cond="UPPER(last_name) LIKE %s AND date_of_birth = %s")),
                lambda t: (t["surname"].upper() + "%", t["date_of_birth"])),
        }
        api_names = {"urn": "urn", "asn": "asn", "pnc_id": "pncId", "surname": "surname", "date_of_birth": "dateOfBirth"}
        n = self.args.searches

        def selector(item) -> None:
            found = case_search(actor=actor, search=CaseSearch(**item[0]))
            assert found, item
            for case in found:  # touch what a page shows
                for d in case.defendants.all():
                    list(d.offences.all())

        def api(item) -> None:
            response = client.post("/api/v1/cases/search", item[1], content_type="application/json", **auth)
            assert response.status_code == 200 and response.json(), (response.status_code, item)

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            def raw(item) -> None:
                assert conn.execute(item[2], item[3]).fetchall(), item

            for kind, (criteria, sql, params) in kinds.items():
                pool = [t for t in targets if all(criteria(t).values())]
                sample = []
                for t in (rng.choice(pool) for _ in range(n + 10)):
                    body = {api_names[k]: (v.isoformat() if isinstance(v, dt.date) else v)
                            for k, v in criteria(t).items()}
                    sample.append((criteria(t), body, sql, (organisation.pk, *params(t))))
                if self.args.explain:
                    plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sample[0][3]).fetchall()
                    self.plans.append(f"-- {kind}\n" + "\n".join(r[0] for r in plan))
                timings = _latencies({"selector": selector, "api": api, "sql": raw}, sample, warm=10)
                queries = {"selector": mean_queries(sample[:10], selector), "api": mean_queries(sample[:10], api)}
                base = timings["sql"]
                for name, label in (("selector", "case_search selector"), ("api", "POST /api/v1/cases/search")):
                    ours = timings[name]
                    self.results.append(Result(
                        f"search {kind}: {label}, median / p95",
                        f"{ours[0]:.2f} / {ours[1]:.2f} ms", f"{base[0]:.2f} / {base[1]:.2f} ms", ours[0] / base[0],
                        queries=f"{queries[name]:.1f}/1",
                    ))

    # ---- report ----
    def report(self) -> str:
        width = max(len(r.operation) for r in self.results)
        lines = [f"{'operation':<{width}} | {'ours':>22} | {'baseline':>22} | ratio | queries",
                 f"{'-' * width}-|-{'-' * 22}-|-{'-' * 22}-|-------|--------"]
        for r in self.results:
            ratio = f"{r.ratio:.1f}x" if r.ratio is not None else "-"
            lines.append(f"{r.operation:<{width}} | {r.ours:>22} | {r.baseline:>22} | {ratio:>5} | {r.queries:>7}"
                         + (f"  ({r.note})" if r.note else ""))
        return "\n".join(lines)


def count_queries(fn: Callable[[], Any]) -> int:
    """How many SQL statements Django sends for `fn()`, across reconnections (BEGIN and COMMIT, which
    psycopg sends by itself, are not counted; the baseline's are not counted either)."""
    from django.db import connections

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(counter):
        fn()
    return count


def mean_queries(items: list, send: Callable[[Any], None]) -> float:
    return statistics.mean(count_queries(lambda item=item: send(item)) for item in items)


def _latencies(functions: dict[str, Callable[[Any], None]], sample: list, *, warm: int
               ) -> dict[str, tuple[float, float]]:
    """Median and p95 in milliseconds of each function over `sample`, calling them in turn on each item
    (so that each meets the same cache and machine load); the first `warm` items are not counted."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for i, item in enumerate(sample):
        for name, fn in functions.items():
            started = time.perf_counter()
            fn(item)
            if i >= warm:
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(t), statistics.quantiles(t, n=20)[18]) for name, t in times.items()}


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def code_version() -> str:
    """The commit the run started from, and whether the working tree differed from it."""
    commit = _run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") or "?"
    dirty = _run("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no")
    return f"Code: commit {commit} at the start" + (" (working tree has uncommitted changes)" if dirty else "")


def hardware() -> list[str]:
    run = _run

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    memory = run("free", "-h").splitlines()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    return [f"CPU: {cpu}, {run('nproc')} cores; load average at the end {load}",
            f"Memory: {memory[1] if len(memory) > 1 else '?'}",
            f"Python {platform.python_version()} on {platform.platform()}"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="cases per intake channel (default 10,000)")
    parser.add_argument("--search-cases", type=int, default=100_000, help="cases loaded for search (default 100,000)")
    parser.add_argument("--searches", type=int, default=200, help="searches timed per kind and path (default 200)")
    parser.add_argument("--max-seconds", type=float, default=1800, help="stop the intake phase after this long")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--conn-max-age", type=int, default=None,
                        help="COURTS_DB_CONN_MAX_AGE for our side (default: the settings' own, 0 unless set)")
    parser.add_argument("--explain", action="store_true", help="print the baseline search statements' plans")
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.search_cases < 1 or args.searches < 20:
        parser.error("--cases and --search-cases must be positive and --searches at least 20")
    return args


def check_database_name(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if name == "courts" or name.startswith("test") or "bench" not in name:
        raise SystemExit(f"Refusing database {name!r}: the benchmark empties its case tables, so its database "
                         "name must contain 'bench' (and is never 'courts' or 'test_*')")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    check_database_name(database_url)
    bench = Bench(args, database_url)
    code = code_version()
    run_started = time.perf_counter()
    bench.prepare_database()
    bench.setup_django()
    bench.reset_case_tables()

    from django.conf import settings
    from django.db import connection

    organisation, api_token, token = bench.make_token()
    context = bench.row_context(organisation)
    shapes = table_shapes()
    generator = bench_generator()
    if not args.skip_intake:
        bench.run_intake(generator, organisation, api_token, token, context, shapes)
    if not args.skip_search:
        bench.run_search(generator, organisation, api_token, token, context, shapes)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print()
    print(f"courts bench/intake.py: {' '.join(sys.argv[1:]) or '(defaults)'}")
    print(code)
    for line in hardware():
        print(line)
    print(f"PostgreSQL {server} at {urlparse(database_url).hostname}; "
          f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}")
    print("Our API path: Django's test Client in-process (full middleware, auth, validation, service and "
          "rendering; no socket, no gunicorn)")
    print()
    print(bench.report())
    for note in bench.notes:
        print(f"note: {note}")
    for plan in bench.plans:
        print(f"\n{plan}")
    print(f"\nTotal run time {time.perf_counter() - run_started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
