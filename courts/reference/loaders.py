"""Load reference data from where an operator keeps it.

Registry packages first (npm @moj-bichard7-developers/bichard7-next-data for offences, CJS result
codes and remand statuses; PyPI govuk-bank-holidays for bank holidays), then the reference directory
(COURTS_REFERENCE_DIR) for what no package carries (court centres, Common Platform result
definitions, hearing and plea types). Every load is idempotent: rows are matched on their natural key,
created or updated, and a dataset whose source has not changed since its last load is skipped.
"""

import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.common.actor import Actor
from courts.common.clock import now
from courts.reference.calendar import bank_holidays_changed
from courts.reference.enums import OFFENCE_CATEGORY_MODE_OF_TRIAL, Jurisdiction, ModeOfTrial, ReferenceDataset
from courts.reference.models import (
    BailStatus,
    BankHoliday,
    CjsResultCode,
    CourtCentre,
    HearingType,
    Offence,
    PleaType,
    ReferenceLoad,
    ResultDefinition,
)

BICHARD_PACKAGE = "@moj-bichard7-developers/bichard7-next-data"
HEARING_STUB_DATA = "cpp-context-hearing/hearing-integration-test/src/test/resources/stub-data"


class ReferenceSourceMissing(Exception):
    pass


@dataclass(frozen=True)
class Source:
    """Where a dataset came from: a human description, a version, and the bytes' digest."""

    description: str
    version: str
    digest: str


@dataclass(frozen=True)
class LoadOutcome:
    dataset: str
    source: str
    row_count: int
    created: int
    updated: int
    skipped: bool


def _reference_dir() -> Path:
    return Path(settings.REFERENCE_DIR)


def _bichard_file(name: str) -> tuple[Path, str]:
    """A Bichard 7 standing-data file: from the npm package if installed, else the reference copy."""
    package = Path(settings.NODE_MODULES_DIR) / BICHARD_PACKAGE
    path = package / "data" / name
    if path.exists():
        version = json.loads((package / "package.json").read_text())["version"]
        return path, f"npm {BICHARD_PACKAGE}@{version}"
    fallback = _reference_dir() / "bichard7-next-data" / "output-data" / "data" / name
    if fallback.exists():
        return fallback, f"reference directory bichard7-next-data/output-data/data/{name}"
    raise ReferenceSourceMissing(
        f"{name} not found: install the npm package {BICHARD_PACKAGE} (make install) or set COURTS_REFERENCE_DIR"
    )


def _reference_file(relative: str) -> Path:
    path = _reference_dir() / relative
    if not path.exists():
        raise ReferenceSourceMissing(f"{relative} not found under COURTS_REFERENCE_DIR ({_reference_dir()})")
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _file_source(path: Path, description: str) -> Source:
    return Source(description=description, version=description, digest=_digest(path))


def _unchanged(dataset: str, source: Source, model: type[models.Model]) -> bool:
    last = ReferenceLoad.objects.filter(dataset=dataset).order_by("-loaded_at", "-id").first()
    return bool(
        last and last.source_version == source.digest[:100] and last.row_count == model.objects.count()
    )


def _upsert(
    model: type[models.Model], key: str, rows: Iterable[dict[str, Any]], *, batch_size: int = 2000
) -> tuple[int, int, int]:
    """Create or update rows matched on `key`. Returns (rows seen, created, updated)."""
    # A source listing the same key twice: the last entry wins, as it would on a re-load.
    rows = list({row[key]: row for row in rows}.values())
    fields = [f for f in rows[0] if f not in (key, "id")] if rows else []
    existing = {str(getattr(obj, key)): obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(str(row[key]))
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=batch_size)
    return len(rows), len(to_create), len(to_update)


def _record(dataset: str, source: Source, counts: tuple[int, int, int], actor: Actor) -> LoadOutcome:
    rows, created, updated = counts
    ReferenceLoad.objects.create(
        dataset=dataset,
        source=source.description[:500],
        source_version=source.digest[:100],
        loaded_at=now(),
        row_count=rows,
        created=created,
        updated=updated,
    )
    event_record(
        type=EventType.REFERENCE_LOADED,
        actor=actor,
        summary=f"{ReferenceDataset(dataset).label}: {rows} rows from {source.description}",
        payload={"dataset": dataset, "source": source.description, "rows": rows, "created": created,
                 "updated": updated, "digest": source.digest},
    )
    return LoadOutcome(dataset, source.description, rows, created, updated, skipped=False)


def _time(value: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _minutes(value: str) -> int | None:
    t = _time(value)
    return t.hour * 60 + t.minute if t else None


def _lines(*values: str) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def court_centre_rows() -> tuple[Source, list[dict[str, Any]]]:
    path = _reference_file("laa-court-data-adaptor/lib/organisation_unit.csv")
    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            # Level 1: B magistrates' courts, C Crown Court; the rest are CPS units and others.
            if r["oucode_l1_code"] not in ("B", "C") or not r["id"] or r["oucode_effective_to_date"]:
                continue
            rows.append(
                {
                    "id": r["id"],
                    "ou_code": r["oucode"],
                    "name": r["oucode_l3_name"].strip(),
                    "welsh_name": r["oucode_l3_welsh_name"].strip(),
                    "jurisdiction": Jurisdiction.MAGISTRATES if r["oucode_l1_code"] == "B" else Jurisdiction.CROWN,
                    "lja": r["lja"],
                    "region": r["region"],
                    "address_lines": _lines(*(r[f"address{i}"] for i in range(1, 6))),
                    "welsh_address_lines": _lines(*(r[f"welsh_address{i}"] for i in range(1, 6))),
                    "postcode": r["postcode"].strip(),
                    "is_welsh": r["iswelsh"].strip().lower() in ("y", "true", "1"),
                    "default_start_time": _time(r["default_start_time"]),
                    "default_duration_minutes": _minutes(r["default_duration_hrs"]),
                }
            )
    return _file_source(path, "reference directory laa-court-data-adaptor/lib/organisation_unit.csv"), rows


# Common Platform offence reference data ("referencedata offences" as its contexts query it): where
# an operator has it, it gives the maximum fine on summary conviction as a standard-scale level.
CP_OFFENCE_DATA_GLOB = "cpp-context-*/**/referencedataoffences*.json"


def _fine_levels() -> tuple[dict[str, int], str]:
    """CJS offence code → standard-scale level (1-5) from `libra.maxfinetypemagct`, and a digest of
    the files read."""
    levels: dict[str, int] = {}
    digests = []
    for path in sorted(_reference_dir().glob(CP_OFFENCE_DATA_GLOB)):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        digests.append(_digest(path))
        for offence in data.get("offences", []) if isinstance(data, dict) else []:
            document = (offence.get("details") or {}).get("document") or {}
            code = offence.get("cjsOffenceCode") or (document.get("codes") or {}).get("cjsoffencecode")
            level = (document.get("libra") or {}).get("maxfinetypemagct")
            level = level.get("code") if isinstance(level, dict) else level
            if code and str(level) in {"1", "2", "3", "4", "5"}:
                levels[code.strip().upper()] = int(level)
    return levels, hashlib.sha256("".join(digests).encode()).hexdigest()


def offence_rows() -> tuple[Source, list[dict[str, Any]]]:
    path, description = _bichard_file("offence-code.json")
    levels, levels_digest = _fine_levels()
    rows = []
    for o in json.loads(path.read_text()):
        category = o.get("offenceCategory") or ""
        rows.append(
            {
                "cjs_code": o["cjsCode"].strip().upper(),
                "title": (o.get("offenceTitle") or o.get("description") or "").strip(),
                "category": category,
                "mode_of_trial": OFFENCE_CATEGORY_MODE_OF_TRIAL.get(category, ModeOfTrial.UNKNOWN),
                "recordable_on_pnc": bool(o.get("recordableOnPnc")),
                "home_office_classification": o.get("homeOfficeClassification") or "",
                "max_fine_level": levels.get(o["cjsCode"].strip().upper()),
            }
        )
    source = _file_source(path, description + f" offence-code.json; fine levels for {len(levels)} offences "
                                "from Common Platform offence reference data")
    return Source(source.description, source.version, source.digest[:32] + levels_digest[:32]), rows


def _yes(value: Any) -> bool:
    return value is True or str(value).upper() in ("Y", "YES", "TRUE")


def result_definition_rows() -> tuple[Source, list[dict[str, Any]]]:
    path = _reference_file(f"{HEARING_STUB_DATA}/result-definitions.json")
    rows = []
    for d in json.loads(path.read_text())["resultDefinitions"]:
        rows.append(
            {
                "id": d["id"],
                "short_code": d.get("shortCode", ""),
                "label": d.get("label", ""),
                "level": d.get("level", ""),
                "category": d.get("category", ""),
                "cjs_code": d.get("cjsCode") or "",
                "rank": d.get("rank"),
                "is_adjournment": _yes(d.get("adjournment")),
                "is_convicted": _yes(d.get("convicted")),
                "is_financial": _yes(d.get("financial")),
                "terminates_offence_proceedings": _yes(d.get("terminatesOffenceProceedings")),
                "post_hearing_custody_status": d.get("postHearingCustodyStatus") or "",
                "dvla_code": d.get("dvlaCode") or "",
                "word_groups": [g.get("wordGroup", []) for g in d.get("wordGroups", [])],
                "prompts": d.get("prompts", []),
                "definition": d,
            }
        )
    return _file_source(path, f"reference directory {HEARING_STUB_DATA}/result-definitions.json"), rows


def cjs_result_code_rows() -> tuple[Source, list[dict[str, Any]]]:
    path, description = _bichard_file("result-code.json")
    rows = [
        {"code": r["cjsCode"], "description": r.get("description", ""), "type": r.get("type") or ""}
        for r in json.loads(path.read_text())
    ]
    return _file_source(path, description + " result-code.json"), rows


def hearing_type_rows() -> tuple[Source, list[dict[str, Any]]]:
    path = _reference_file(f"{HEARING_STUB_DATA}/referencedata.query.hearing-types.json")
    rows = [
        {
            "id": h["id"],
            "code": h["hearingCode"],
            "description": h["hearingDescription"],
            "welsh_description": h.get("welshHearingDescription", ""),
            "default_duration_minutes": h.get("defaultDurationMin"),
            "is_trial_type": bool(h.get("trialTypeFlag")),
            "sequence": h.get("seqId", 0),
        }
        for h in json.loads(path.read_text())["hearingTypes"]
    ]
    return _file_source(path, f"reference directory {HEARING_STUB_DATA}/referencedata.query.hearing-types.json"), rows


def plea_type_rows() -> tuple[Source, list[dict[str, Any]]]:
    path = _reference_file(f"{HEARING_STUB_DATA}/referencedata.query.plea-types.json")
    rows = [
        {
            "code": p["pleaTypeCode"],
            "value": p.get("pleaValue", ""),
            "description": p.get("pleaTypeDescription", ""),
            "is_guilty": _yes(p.get("pleaTypeGuiltyFlag")),
            "spi_code": p.get("pleaStatusCode") or "",
            "jurisdiction": p.get("jurisdiction") or "",
            "sequence": p.get("sequence", 0),
        }
        for p in json.loads(path.read_text())["pleaStatusTypes"]
    ]
    return _file_source(path, f"reference directory {HEARING_STUB_DATA}/referencedata.query.plea-types.json"), rows


# Descriptions as Common Platform words them (its bail-status reference data); codes from Bichard.
BAIL_STATUS_DESCRIPTIONS = {
    "U": "Unconditional bail",
    "B": "Conditional bail",
    "C": "Custody or remanded into custody",
    "P": "Conditional bail with pre-release conditions",
    "A": "Not applicable",
    "L": "Remanded into care of Local Authority",
    "S": "Remanded into secure accommodation",
}


def bail_status_rows() -> tuple[Source, list[dict[str, Any]]]:
    path, description = _bichard_file("remand-status.json")
    rows = [
        {
            "code": r["spiCode"],
            "cjs_code": r.get("cjsCode", ""),
            "description": BAIL_STATUS_DESCRIPTIONS.get(r["spiCode"], r.get("description", "")),
        }
        for r in json.loads(path.read_text())
        if r.get("spiCode")
    ]
    return _file_source(path, description + " remand-status.json"), rows


def bank_holiday_rows() -> tuple[Source, list[dict[str, Any]]]:
    import govuk_bank_holidays
    from govuk_bank_holidays.bank_holidays import BankHolidays

    # The package ships GOV.UK's feed; the cached copy keeps loading offline and repeatable.
    path = Path(govuk_bank_holidays.__file__).parent / "bank-holidays.json"
    holidays = BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    rows = [{"date": h["date"], "title": h["title"]} for h in holidays]
    version = getattr(govuk_bank_holidays, "__version__", "")
    return _file_source(path, f"PyPI govuk-bank-holidays {version}".strip()), rows


DATASETS: dict[str, tuple[Callable[[], tuple[Source, list[dict[str, Any]]]], type[models.Model], str]] = {
    ReferenceDataset.COURT_CENTRES: (court_centre_rows, CourtCentre, "ou_code"),
    ReferenceDataset.OFFENCES: (offence_rows, Offence, "cjs_code"),
    ReferenceDataset.RESULT_DEFINITIONS: (result_definition_rows, ResultDefinition, "id"),
    ReferenceDataset.CJS_RESULT_CODES: (cjs_result_code_rows, CjsResultCode, "code"),
    ReferenceDataset.HEARING_TYPES: (hearing_type_rows, HearingType, "id"),
    ReferenceDataset.PLEA_TYPES: (plea_type_rows, PleaType, "code"),
    ReferenceDataset.BAIL_STATUSES: (bail_status_rows, BailStatus, "code"),
    ReferenceDataset.BANK_HOLIDAYS: (bank_holiday_rows, BankHoliday, "date"),
}


def reference_load(*, actor: Actor, datasets: Iterable[str] | None = None, force: bool = False) -> list[LoadOutcome]:
    """Load each dataset in its own transaction, with its ReferenceLoad row and event."""
    outcomes = []
    for name in datasets or DATASETS:
        read, model, key = DATASETS[name]
        source, rows = read()
        if not force and _unchanged(name, source, model):
            outcomes.append(LoadOutcome(name, source.description, model.objects.count(), 0, 0, skipped=True))
            continue
        with transaction.atomic():
            counts = _upsert(model, key, rows)
            outcomes.append(_record(name, source, counts, actor))
    bank_holidays_changed()
    return outcomes


def reference_dir_status() -> str:
    return f"COURTS_REFERENCE_DIR={_reference_dir()} ({'found' if _reference_dir().exists() else 'missing'})" + (
        "" if os.environ.get("COURTS_REFERENCE_DIR") else " [default]"
    )
