"""The staff pages' forms: the posted strings, their errors, and the intakes built from them.

Templates write every field by hand in GOV.UK Frontend markup. This module turns posted strings into
the plain values that services take (dates from day/month/year boxes, lengths the database holds), and
services' errors back into messages beside the fields. The case rules themselves live in one place,
`courts.cases.intake`, which every channel shares: nothing here decides what a valid case is.
"""

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from courts.cases.enums import DefendantKind, Gender
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.models import Defendant
from courts.common.errors import ApplicationError, ErrorCollector, ValidationFailed

DATE_PARTS = ("day", "month", "year")
MONTH_NUMBERS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


def is_date_name(name: str) -> bool:
    return name.endswith("_date") or name.endswith("date_of_birth")


@dataclass(frozen=True)
class ErrorItem:
    """One line of the error summary: `href` is the field's anchor, or empty when no field shows it."""

    href: str
    message: str


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    error: str

    @property
    def id(self) -> str:
        return self.name


@dataclass(frozen=True)
class DateField:
    name: str
    day: str
    month: str
    year: str
    error: str
    error_parts: frozenset[str]

    @property
    def id(self) -> str:
        return self.name


class FormState:
    """The values of one page's form and its errors, in the order the page shows the fields.

    Templates read a field as `form.urn`; a date field (a name ending in `_date` or `date_of_birth`)
    has `day`, `month` and `year`. `order` lists the page's fields: an error on a field the page does
    not show is still in the summary, without a link."""

    def __init__(self, data: Mapping[str, str] | None = None, *, order: Iterable[str] = ()):
        self.data: dict[str, str] = {key: str(value) for key, value in (data or {}).items()}
        self.order: list[str] = list(order)
        self.errors: dict[str, str] = {}
        self.error_parts: dict[str, frozenset[str]] = {}
        self.general_errors: list[str] = []

    def __getitem__(self, name: str) -> Field | DateField:
        # Templates look names up as keys before attributes: leave the form's own attributes alone.
        if name in self.__dict__ or hasattr(type(self), name):
            raise KeyError(name)
        if is_date_name(name):
            return DateField(
                name=name,
                day=self.value(f"{name}-day"),
                month=self.value(f"{name}-month"),
                year=self.value(f"{name}-year"),
                error=self.errors.get(name, ""),
                error_parts=self.error_parts.get(name, frozenset(DATE_PARTS) if name in self.errors else frozenset()),
            )
        return Field(name=name, value=self.value(name), error=self.errors.get(name, ""))

    def value(self, name: str) -> str:
        return self.data.get(name, "")

    def text(self, name: str) -> str:
        return self.value(name).strip()

    def row(self, prefix: str, number: int = 1) -> "RowView":
        return RowView(self, prefix, number)

    def add(self, name: str, message: str, *, parts: Iterable[str] | None = None) -> None:
        """Record an error on a field. A field shows one message: the first one found."""
        if name in self.errors:
            return
        self.errors[name] = message
        if parts is not None:
            self.error_parts[name] = frozenset(parts)

    def add_general(self, message: str) -> None:
        if message not in self.general_errors:
            self.general_errors.append(message)

    def add_service_errors(
        self, error: ApplicationError, *, fallback: str | None = None, renames: Mapping[str, str] | None = None
    ) -> None:
        """Put a service's errors beside the fields they name; an error naming no field goes on
        `fallback` if the page has one, otherwise at the top of the summary."""
        if not error.errors:
            if fallback:
                self.add(fallback, error.detail)
            else:
                self.add_general(error.detail)
            return
        for field_error in error.errors:
            name = (renames or {}).get(field_error.field, field_error.field)
            if name in self.order:
                self.add(name, field_error.message)
            else:
                self.add_general(field_error.message)

    def add_collected(self, errors: ErrorCollector) -> None:
        """Errors gathered by calling the case rules directly (`validate_case` and friends)."""
        if errors:
            self.add_service_errors(ValidationFailed(errors.errors[0].message, errors=errors.errors))

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.general_errors)

    @property
    def error_summary(self) -> list[ErrorItem]:
        position = {name: i for i, name in enumerate(self.order)}
        fields = sorted(self.errors, key=lambda name: position.get(name, len(position)))
        return [ErrorItem("", message) for message in self.general_errors] + [
            ErrorItem(self._anchor(name) if name in position else "", self.errors[name]) for name in fields
        ]

    def _anchor(self, name: str) -> str:
        if is_date_name(name):
            parts = self.error_parts.get(name) or DATE_PARTS
            return f"#{name}-{next(p for p in DATE_PARTS if p in parts)}"
        return f"#{name}"

    # Reading posted values into the types services take.

    def date(self, name: str, *, label: str) -> dt.date | None:
        """A GOV.UK date input's value: None when left empty, otherwise a real date or an error."""
        day, month, year = (self.text(f"{name}-{part}") for part in DATE_PARTS)
        if not (day or month or year):
            return None
        missing = [part for part, value in zip(DATE_PARTS, (day, month, year), strict=True) if not value]
        if missing:
            self.add(name, f"{label} must include a {' and a '.join(missing)}", parts=missing)
            return None
        month_number = int(month) if month.isdigit() else MONTH_NUMBERS.get(month.lower().rstrip("."))
        if not day.isdigit() or month_number is None or not year.isdigit():
            wrong = [p for p, ok in (("day", day.isdigit()), ("month", month_number is not None),
                                     ("year", year.isdigit())) if not ok]
            self.add(name, f"{label} must be a real date", parts=wrong)
            return None
        if len(year) != 4:
            self.add(name, "Year must include 4 numbers", parts=["year"])
            return None
        try:
            return dt.date(int(year), month_number, int(day))
        except ValueError:
            self.add(name, f"{label} must be a real date", parts=DATE_PARTS)
            return None

    def bounded_text(self, name: str, *, label: str, max_length: int) -> str:
        value = self.text(name)
        if len(value) > max_length:
            self.add(name, f"{label} must be {max_length} characters or fewer")
        return value


@dataclass(frozen=True)
class RowView:
    """One repeated group of fields (an offence row): `row.cjs_code` is `form["<prefix>cjs_code"]`."""

    form: FormState
    prefix: str
    number: int

    def __getitem__(self, name: str) -> Field | DateField:
        if name in ("form", "prefix", "number"):
            raise KeyError(name)
        return self.form[self.prefix + name]


def date_values(name: str, value: dt.date | None) -> dict[str, str]:
    """The three boxes of a date input, filled from a stored date."""
    if value is None:
        return {}
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


# A defendant: the fields, in page order, and what the database holds of each.

ADDRESS_LINES = 5
PERSON_FIELDS = ["title", "first_name", "middle_name", "last_name", "date_of_birth", "gender"]
ORGANISATION_FIELDS = ["organisation_name"]
DEFENDANT_COMMON_FIELDS = [
    *(f"address_line_{i}" for i in range(1, ADDRESS_LINES + 1)),
    "postcode", "asn", "pnc_id", "cro_number", "bail_status", "bail_conditions",
]
LIMITS = {
    "urn": ("URN", 20),
    "title": ("Title", 35),
    "first_name": ("First name", 100),
    "middle_name": ("Middle names", 200),
    "last_name": ("Last name", 100),
    "organisation_name": ("Organisation name", 200),
    "postcode": ("Postcode", 10),
    "asn": ("ASN", 25),
    "pnc_id": ("PNC ID", 14),
    "cro_number": ("CRO number", 12),
    "bail_conditions": ("Bail conditions", 2500),
    "cjs_code": ("Offence code", 12),
    "wording": ("Offence wording", 4000),
    "reason": ("Reason", 300),
    **{f"address_line_{i}": (f"Address line {i}", 200) for i in range(1, ADDRESS_LINES + 1)},
}


def defendant_field_order(kind: str) -> list[str]:
    own = ORGANISATION_FIELDS if kind == DefendantKind.ORGANISATION else PERSON_FIELDS
    return [*own, *DEFENDANT_COMMON_FIELDS]


def _limited(form: FormState, name: str, prefix: str = "") -> str:
    label, max_length = LIMITS[name]
    return form.bounded_text(prefix + name, label=label, max_length=max_length)


def defendant_intake(form: FormState, *, kind: str, offences: list[OffenceIntake] | None = None,
                     offences_field: str = "") -> DefendantIntake:
    """A defendant's details from the form; its errors will name the form's own fields."""
    details = DefendantIntake(
        kind=DefendantKind(kind),
        offences=offences or [],
        address_lines=[line for i in range(1, ADDRESS_LINES + 1) if (line := _limited(form, f"address_line_{i}"))],
        postcode=_limited(form, "postcode"),
        asn=_limited(form, "asn"),
        pnc_id=_limited(form, "pnc_id"),
        cro_number=_limited(form, "cro_number"),
        bail_status=form.text("bail_status"),
        bail_conditions=_limited(form, "bail_conditions"),
        field_names={"offences": offences_field} if offences_field else {},
    )
    if kind == DefendantKind.ORGANISATION:
        details.organisation_name = _limited(form, "organisation_name")
        return details
    details.title = _limited(form, "title")
    details.first_name = _limited(form, "first_name")
    details.middle_name = _limited(form, "middle_name")
    details.last_name = _limited(form, "last_name")
    details.date_of_birth = form.date("date_of_birth", label="Date of birth")
    gender = form.text("gender") or Gender.NOT_KNOWN
    if gender in Gender.values:
        details.gender = Gender(gender)
    else:
        form.add("gender", "Select the defendant's gender, or Not known")
    return details


def defendant_values(defendant: Defendant) -> dict[str, str]:
    """The edit form filled from the stored defendant."""
    values = {name: getattr(defendant, name) or "" for name in (
        "title", "first_name", "middle_name", "last_name", "gender", "organisation_name", "postcode",
        "asn", "pnc_id", "cro_number", "bail_status", "bail_conditions",
    )}
    values.update({f"address_line_{i}": line for i, line in enumerate(defendant.address_lines[:ADDRESS_LINES], 1)})
    values.update(date_values("date_of_birth", defendant.date_of_birth))
    return values


# An offence: one row of fields, named with the row's prefix ("offence-0-") or none on its own page.

OFFENCE_FIELDS = ["cjs_code", "wording", "start_date", "charge_date"]
MAX_OFFENCE_ROWS = 50


def offence_intake(form: FormState, prefix: str = "") -> OffenceIntake:
    return OffenceIntake(
        cjs_code=_limited(form, "cjs_code", prefix),
        wording=_limited(form, "wording", prefix),
        start_date=form.date(f"{prefix}start_date", label="The date the offence started"),
        charge_date=form.date(f"{prefix}charge_date", label="Charge date"),
        field_names={name: prefix + name for name in OFFENCE_FIELDS},
    )


def offence_row_is_blank(form: FormState, prefix: str) -> bool:
    names = [prefix + n for n in ("cjs_code", "wording")] + [
        f"{prefix}{n}-{part}" for n in ("start_date", "charge_date") for part in DATE_PARTS
    ]
    return not any(form.text(name) for name in names)


# Creating a case.

CASE_FIELDS = ["prosecutor", "urn", "initiation_type", "anticipated_plea", "reporting_restrictions", "court_centre",
               "hearing_date"]


def offence_row_prefix(index: int) -> str:
    return f"offence-{index}-"


def case_create_order(rows: int) -> list[str]:
    return [
        *CASE_FIELDS,
        *defendant_field_order(DefendantKind.PERSON),
        *(offence_row_prefix(i) + name for i in range(rows) for name in OFFENCE_FIELDS),
    ]


def offence_row_count(data: Mapping[str, str]) -> int:
    try:
        rows = int(data.get("offence_count", "1"))
    except ValueError:
        rows = 1
    return min(max(rows, 1), MAX_OFFENCE_ROWS)


def offence_rows_without(data: Mapping[str, str], rows: int, removed: int) -> dict[str, str]:
    """The posted values with one offence row taken out and the rows after it moved up."""
    kept = {k: v for k, v in data.items() if not k.startswith("offence-")}
    target = 0
    for index in range(rows):
        if index == removed:
            continue
        old, new = offence_row_prefix(index), offence_row_prefix(target)
        kept.update({new + k[len(old):]: v for k, v in data.items() if k.startswith(old)})
        target += 1
    kept["offence_count"] = str(max(target, 1))
    return kept


def case_intake_from_form(form: FormState, rows: int) -> CaseIntake:
    prefixes = [offence_row_prefix(i) for i in range(rows)]
    offences = [offence_intake(form, prefix) for prefix in prefixes if not offence_row_is_blank(form, prefix)]
    defendant = defendant_intake(form, kind=DefendantKind.PERSON, offences=offences,
                                 offences_field=offence_row_prefix(0) + "cjs_code")
    return CaseIntake(
        urn=_limited(form, "urn"),
        initiation_type=form.text("initiation_type"),
        court_centre_ou_code=form.text("court_centre"),
        hearing_date=form.date("hearing_date", label="First hearing date"),
        anticipated_plea=form.text("anticipated_plea") or "UNKNOWN",
        reporting_restrictions=[line for line in form.text("reporting_restrictions").splitlines() if line.strip()],
        defendants=[defendant],
        field_names={"court_centre_ou_code": "court_centre", "defendants": "last_name"},
    )


# Searching.

SEARCH_FIELDS = ["urn", "asn", "pnc_id", "surname", "date_of_birth"]
# `case_search` names its fields as the API does.
SEARCH_RENAMES = {"pncId": "pnc_id", "dateOfBirth": "date_of_birth"}
