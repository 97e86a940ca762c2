import datetime as dt

from django.db.models import QuerySet

from courts.reference.models import BailStatus, BankHoliday, CourtCentre, Offence


def court_centre_exists(*, ou_code: str) -> bool:
    return CourtCentre.objects.filter(ou_code=ou_code.strip().upper()).exists()


def court_centre_get(*, ou_code: str) -> CourtCentre | None:
    return CourtCentre.objects.filter(ou_code=ou_code.strip().upper()).first()


def court_centre_list() -> QuerySet[CourtCentre]:
    return CourtCentre.objects.order_by("name")


def offence_exists(*, cjs_code: str) -> bool:
    return Offence.objects.filter(cjs_code=cjs_code).exists()


def offence_map(*, cjs_codes: set[str]) -> dict[str, Offence]:
    return {o.cjs_code: o for o in Offence.objects.filter(cjs_code__in=cjs_codes)}


def offence_search(*, text: str, limit: int = 20) -> QuerySet[Offence]:
    text = text.strip()
    qs = Offence.objects.all()
    if text.upper() == text and " " not in text:
        return qs.filter(cjs_code__startswith=text.upper()).order_by("cjs_code")[:limit]
    return qs.filter(title__icontains=text).order_by("cjs_code")[:limit]


def bail_status_exists(*, code: str) -> bool:
    return BailStatus.objects.filter(code=code).exists()


def bail_status_list() -> QuerySet[BailStatus]:
    return BailStatus.objects.order_by("code")


def bank_holidays_between(*, start: dt.date, end: dt.date) -> set[dt.date]:
    return set(BankHoliday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def bail_status_descriptions() -> dict[str, str]:
    return dict(BailStatus.objects.values_list("code", "description"))
