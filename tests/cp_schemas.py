"""Validate our output against Common Platform's published JSON schemas in ../shared/reference.

`$ref`s to http://justice.gov.uk/core/courts/external/<name>.json resolve to the LAA adaptor's
lib/schemas/global/api<Name>.json (reference/GUIDE.md §1 and §9)."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

LAA_SCHEMAS = "laa-court-data-adaptor/lib/schemas"
EXTERNAL = "http://justice.gov.uk/core/courts/external/"


def _schema_dir() -> Path:
    return Path(settings.REFERENCE_DIR) / LAA_SCHEMAS


def _retrieve(uri: str) -> Resource:
    base = uri.split("#", 1)[0]
    if not base.startswith(EXTERNAL):
        raise LookupError(f"Unresolvable schema reference {uri}")
    name = base.removeprefix(EXTERNAL).removesuffix(".json")
    folder = _schema_dir() / "global"
    if "search" in name:
        folder = folder / "search"
        name = name.rsplit("/", 1)[-1]
    if not name.startswith("api"):
        name = "api" + name[0].upper() + name[1:]
    return Resource.from_contents(json.loads((folder / f"{name}.json").read_text()), default_specification=DRAFT4)


@cache
def validator(relative: str) -> Draft4Validator:
    """A validator for a schema under laa-court-data-adaptor/lib/schemas, e.g. 'global/apiHearing.json'."""
    schema = json.loads((_schema_dir() / relative).read_text())
    return Draft4Validator(schema, registry=Registry(retrieve=_retrieve))


def schema_errors(relative: str, document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(relative).iter_errors(document)]
