"""Finding a case. The form posts (never a query string), so that names and dates of birth stay out
of URLs, browser history and access logs."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.cases import selectors
from courts.cases.models import ProsecutionCase
from courts.common.errors import ValidationFailed
from courts.listing.models import HearingDay
from courts.listing.selectors import next_hearing_for_defendants
from courts.web import forms
from courts.web.views.common import actor_of


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_search(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "GET":
        form = forms.FormState(order=forms.SEARCH_FIELDS)
        return render(request, "web/search.html", {"form": form, "searched": False})
    form = forms.FormState(request.POST.dict(), order=forms.SEARCH_FIELDS)
    search = selectors.CaseSearch(
        urn=form.bounded_text("urn", label="URN", max_length=20),
        asn=form.bounded_text("asn", label="ASN", max_length=25),
        pnc_id=form.bounded_text("pnc_id", label="PNC ID", max_length=14),
        surname=form.bounded_text("surname", label="Surname", max_length=100),
        date_of_birth=form.date("date_of_birth", label="Date of birth"),
    )
    results: list[SearchResult] = []
    if not form.has_errors:
        try:
            results = _with_next_hearings(selectors.case_search(actor=actor, search=search))
        except ValidationFailed as error:
            form.add_service_errors(error, renames=forms.SEARCH_RENAMES)
    return render(request, "web/search.html", {
        "form": form,
        "searched": not form.has_errors,
        "results": results,
        "limit": selectors.SEARCH_LIMIT,
    }, status=422 if form.has_errors else 200)


@dataclass(frozen=True)
class SearchResult:
    case: ProsecutionCase
    # The soonest listed hearing day of any of the case's defendants; None until one is listed, when
    # the page shows the first hearing the prosecutor asked for.
    next_hearing: HearingDay | None


def _with_next_hearings(cases: list[ProsecutionCase]) -> list[SearchResult]:
    days = next_hearing_for_defendants(defendant_ids=[d.id for case in cases for d in case.defendants.all()])
    results = []
    for case in cases:
        listed = [days[d.id] for d in case.defendants.all() if d.id in days]
        results.append(SearchResult(case, min(listed, key=lambda day: (day.date, day.start_time), default=None)))
    return results
