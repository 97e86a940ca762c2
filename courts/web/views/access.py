"""Who outside the court staff of a case's court has seen it: its access log, for that court's
court administrators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts.enums import StaffRoleKind
from courts.audit.selectors import access_log_for_case
from courts.cases.selectors import case_court_centre_ids
from courts.web.views.common import case_or_404, staff_actor_of


@never_cache
@login_required
@require_http_methods(["GET"])
def case_access_log(request: HttpRequest, case_id) -> HttpResponse:
    actor = staff_actor_of(request)
    case = case_or_404(actor, case_id)
    centres = case_court_centre_ids(case_id=case.id)
    if not (actor.national or any(actor.has_role(StaffRoleKind.COURT_ADMINISTRATOR, c) for c in centres)):
        raise PermissionDenied("Only a court administrator of the case's court can read its access log")
    return render(request, "web/case_access_log.html", {
        "case": case, "entries": list(access_log_for_case(case_id=case.id)),
    })
