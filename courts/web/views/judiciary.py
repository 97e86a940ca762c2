"""The judiciary portal: today's lists at the court centres where the judicial office holder sits
(each sitting's hearings in list order), and a read-only case at a glance (defendants, offences, pleas
and verdicts, remand status, custody time limits, shared results, next hearing).

For judicial office holders. The judiciary read; they record nothing here (every page that changes a
case is court staff's, `staff_actor_of`). Which cases a judge sees is `case_queryset_for_actor`: the
cases of the centres where they sit. Every page that shows cases writes them to the access log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.audit.services import access_log_record
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.custody import selectors as custody
from courts.hearings.portal_selectors import shared_results_for_defendants
from courts.listing.portal_selectors import court_day_for_centres
from courts.listing.selectors import next_hearing_for_defendants
from courts.reference import selectors as reference
from courts.web.views.common import actor_of, case_or_404
from courts.web.views.listing import judiciary_text


def _judiciary_actor(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if not actor.is_judiciary:
        raise PermissionDenied("The judiciary portal is for judicial office holders")
    return actor


@never_cache
@login_required
@require_http_methods(["GET"])
def judiciary_home(request: HttpRequest) -> HttpResponse:
    actor = _judiciary_actor(request)
    today = court_today()
    sittings = court_day_for_centres(court_centre_ids=actor.court_centre_ids, date=today)
    case_ids = [hd.case_id for s in sittings for day in s.days for hd in day.hearing.hearing_defendants.all()]
    access_log_record(actor=actor, case_ids=case_ids, what="web:judiciary-home")
    centres = reference.court_centre_list().filter(pk__in=list(actor.court_centre_ids)).order_by("name")
    return render(request, "web/judiciary/home.html", {
        "today": today, "centres": list(centres),
        "sittings": [{"sitting": s.sitting, "days": s.days, "judiciary": judiciary_text(s.sitting)} for s in sittings],
    })


@never_cache
@login_required
@require_http_methods(["GET"])
def judiciary_case(request: HttpRequest, case_id) -> HttpResponse:
    actor = _judiciary_actor(request)
    case = case_or_404(actor, case_id)
    access_log_record(actor=actor, case_ids=[case.id], what="web:judiciary-case")
    defendants = list(case.defendants.all())
    ids = [d.id for d in defendants]
    bail = reference.bail_status_descriptions()
    remands = custody.remand_current_for_defendants(defendant_ids=ids)
    ctls = custody.ctl_for_defendants(defendant_ids=ids)
    results = shared_results_for_defendants(defendant_ids=ids)
    next_days = next_hearing_for_defendants(defendant_ids=ids)
    rows = [{
        "defendant": d,
        "remand": remands.get(d.id),
        "remand_description": bail.get(remands[d.id].status, "") if d.id in remands else "",
        "bail_description": bail.get(d.bail_status, ""),
        "offences": [{"offence": o, "ctl": ctls.get(o.id)} for o in d.offences.all()],
        "results": results.get(d.id, []),
        "next_hearing": next_days.get(d.id),
    } for d in defendants]
    return render(request, "web/judiciary/case.html", {"case": case, "defendants": rows})


urlpatterns = [
    path("", judiciary_home, name="judiciary-home"),
    path("cases/<uuid:case_id>/", judiciary_case, name="judiciary-case"),
]
