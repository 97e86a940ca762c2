"""The prosecution portal: the organisation's cases (newest first, with next hearing and status), the
cases its systems sent that were refused (to fix at source, or mark as dealt with), and the shared
results of its cases.

For the people of a prosecuting organisation (its systems use the API). Reads go through
`courts.cases.portal_selectors` and `courts.hearings.portal_selectors`; the one write goes through
`courts.cases.services.intake_rejection_close`. Every page that shows cases writes them to the access
log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.accounts.enums import OrganisationKind
from courts.audit.services import access_log_record
from courts.cases import portal_selectors as selectors
from courts.cases.services import intake_rejection_close
from courts.common.actor import Actor
from courts.common.errors import ApplicationError
from courts.hearings.portal_selectors import shared_results_page_for_cases
from courts.web.forms import FormState
from courts.web.views.common import actor_of


def _prosecution_actor(request: HttpRequest) -> Actor:
    """A person of a prosecuting organisation."""
    organisation = request.user.organisation
    if organisation is None or organisation.kind != OrganisationKind.PROSECUTOR:
        raise PermissionDenied("The prosecution portal is for prosecuting organisations")
    return actor_of(request)


def _open_count(actor: Actor) -> int:
    return selectors.intake_rejection_queryset(actor=actor).count()


@never_cache
@login_required
@require_http_methods(["GET"])
def prosecution_home(request: HttpRequest) -> HttpResponse:
    actor = _prosecution_actor(request)
    page, rows = selectors.prosecutor_case_page(actor=actor, page_number=request.GET.get("page"))
    access_log_record(actor=actor, case_ids=[row.case.id for row in rows], what="web:prosecution-home")
    return render(request, "web/prosecution/home.html", {
        "page": page, "rows": rows, "open_errors": _open_count(actor), "section": "cases",
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def prosecution_intake_errors(request: HttpRequest) -> HttpResponse:
    """GET: the refused submissions still to deal with (`?show=all`: every one). POST `rejection`:
    mark one as dealt with."""
    actor = _prosecution_actor(request)
    form = FormState(request.POST.dict() if request.method == "POST" else {}, order=["rejection"])
    status = 200
    if request.method == "POST":
        try:
            rejection = selectors.intake_rejection_get_for_actor(actor=actor, rejection_id=form.text("rejection"))
            intake_rejection_close(rejection=rejection, actor=actor)
            messages.success(request, f"Rejected case {rejection.urn or '(no URN)'} marked as dealt with")
            return redirect("web:prosecution-intake-errors")
        except ApplicationError as error:
            form.add_general("Choose one of your rejected cases" if error.status == 404 else error.detail)
            status = 403 if error.status == 403 else 422
    show_all = request.GET.get("show") == "all"
    page = selectors.intake_rejection_page(actor=actor, page_number=request.GET.get("page"), open_only=not show_all)
    return render(request, "web/prosecution/intake_errors.html", {
        "form": form, "page": page, "show_all": show_all, "open_errors": _open_count(actor),
        "section": "intake-errors",
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def prosecution_results(request: HttpRequest) -> HttpResponse:
    actor = _prosecution_actor(request)
    page = shared_results_page_for_cases(cases=selectors.prosecutor_case_queryset(actor=actor),
                                         page_number=request.GET.get("page"))
    access_log_record(actor=actor, case_ids=[r.case_id for r in page.object_list], what="web:prosecution-results")
    return render(request, "web/prosecution/results.html", {
        "page": page, "open_errors": _open_count(actor), "section": "results",
    })


urlpatterns = [
    path("", prosecution_home, name="prosecution-home"),
    path("intake-errors/", prosecution_intake_errors, name="prosecution-intake-errors"),
    path("results/", prosecution_results, name="prosecution-results"),
]
