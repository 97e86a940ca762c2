"""Who outside the court staff has seen a case: its access log, for court staff."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.audit.selectors import access_log_for_case
from courts.web.views.common import case_or_404, staff_actor_of


@never_cache
@login_required
@require_http_methods(["GET"])
def case_access_log(request: HttpRequest, case_id) -> HttpResponse:
    # Court staff for now; narrowed to the case's court administrators when staff roles arrive.
    actor = staff_actor_of(request)
    case = case_or_404(actor, case_id)
    return render(request, "web/case_access_log.html", {
        "case": case, "entries": list(access_log_for_case(case_id=case.id)),
    })
