"""The partner portal for probation, the police, prisons and youth offending teams: the defendants
their role lets them see (`defendant_queryset_for_actor`: probation, defendants with results at
hearings in its area; the police and YOTs, those listed there; a prison, those remanded or committed
to it), each with its shared results, most recent first. Probation and YOTs see the report requests
among the results first.

Reads only. Every page that shows defendants writes their cases to the access log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts.enums import OrganisationKind
from courts.audit.services import access_log_record
from courts.cases.selectors import defendant_queryset_for_actor
from courts.common.actor import Actor
from courts.hearings import portal_selectors as selectors
from courts.web.views.common import actor_of

PARTNER_KINDS = (OrganisationKind.PROBATION, OrganisationKind.POLICE, OrganisationKind.PRISON, OrganisationKind.YOT)
# The agencies that prepare reports for the court.
REPORT_WRITERS = (OrganisationKind.PROBATION, OrganisationKind.YOT)


def _partner_actor(request: HttpRequest) -> Actor:
    organisation = request.user.organisation
    if organisation is None or organisation.kind not in PARTNER_KINDS:
        raise PermissionDenied("The partner portal is for probation, the police, prisons and youth offending teams")
    return actor_of(request)


@never_cache
@login_required
@require_http_methods(["GET"])
def partner_home(request: HttpRequest) -> HttpResponse:
    actor = _partner_actor(request)
    page, rows = selectors.partner_defendant_page(actor=actor, page_number=request.GET.get("page"))
    reports = []
    shows_reports = actor.organisation_kind in REPORT_WRITERS
    if shows_reports:
        reports = selectors.report_requests_for_defendants(
            actor=actor, defendants=defendant_queryset_for_actor(actor=actor))
    case_ids = [row.defendant.case_id for row in rows] + [r.case_id for r in reports]
    access_log_record(actor=actor, case_ids=case_ids, what="web:partner-home")
    return render(request, "web/partner/home.html", {
        "page": page, "rows": rows, "reports": reports, "shows_reports": shows_reports,
        "organisation": request.user.organisation,
        # Only a report writer's results mark the requests for reports it must write.
        "report_codes": selectors.REPORT_REQUEST_CODES if shows_reports else (),
    })


urlpatterns = [
    path("", partner_home, name="partner-home"),
]
