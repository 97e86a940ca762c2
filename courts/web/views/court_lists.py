"""Court lists as GOV.UK pages: choose a court centre, a date and a list, then read it by court room
and sitting, with links to its PDF and its JSON (the API's). The public lists are for anyone, without
signing in; press and internal lists are for signed-in court staff.

Included by `courts.web.urls` under `court-lists/`, in the `web:` namespace."""

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from courts.common.clock import court_today
from courts.common.errors import NotFound
from courts.listing.selectors import court_centre_get_or_404
from courts.publishing.enums import CourtListType
from courts.publishing.selectors import court_list_build
from courts.reference import selectors as reference
from courts.reference.models import CourtCentre
from courts.web.forms import FormState, date_values
from courts.web.views.common import actor_of

FIELDS = ["court_centre", "list_date", "list_type"]
API_URL = "/api/v1/court-lists"


def _is_staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and actor_of(request).is_court_staff


def _list_types(request: HttpRequest) -> list[tuple[str, str]]:
    """The lists this person may open: the public ones for anyone, every list for court staff."""
    staff = _is_staff(request)
    return [(t.value, t.label) for t in CourtListType if staff or t.is_public]


@require_http_methods(["GET"])
def court_list_choose(request: HttpRequest) -> HttpResponse:
    """The form sends a GET: a court, a date and a list type are not personal data, and the URL of the
    list it leads to can be bookmarked and shared."""
    centres = list(reference.court_centre_list())
    submitted = "court_centre" in request.GET
    data = request.GET.dict() if submitted else {"list_type": CourtListType.PUBLIC.value,
                                                 **date_values("list_date", court_today())}
    form = FormState(data, order=FIELDS)
    if submitted:
        target = _chosen_list(request, form, {c.ou_code: c for c in centres})
        if target:
            return redirect(target)
    context = {
        "form": form,
        "court_centres": [(c.ou_code, f"{c.name} ({c.ou_code})") for c in centres],
        "list_types": _list_types(request),
    }
    return render(request, "web/court_lists/choose.html", context, status=422 if form.has_errors else 200)


def _chosen_list(request: HttpRequest, form: FormState, centres: dict[str, CourtCentre]) -> str:
    """The chosen list's page, or "" with the form's errors."""
    centre = centres.get(form.text("court_centre"))
    if centre is None:
        form.add("court_centre", "Select a court centre")
    day = form.date("list_date", label="Date")
    if day is None and "list_date" not in form.errors:
        form.add("list_date", "Enter the date of the list")
    allowed = dict(_list_types(request))
    list_type = form.text("list_type")
    if list_type not in allowed:
        form.add("list_type", "Select a list" if list_type not in CourtListType.values
                 else "Sign in as court staff to see press and internal lists")
    elif centre and not CourtListType(list_type).is_for(centre.jurisdiction):
        form.add("list_type", f"{centre.name} is a magistrates' court: select a public, press or internal list")
    if form.has_errors or centre is None or day is None:
        return ""
    return reverse("web:court-list", kwargs={"ou_code": centre.ou_code, "date": day.isoformat(),
                                             "list_type": list_type})


@require_http_methods(["GET"])
def court_list_detail(request: HttpRequest, ou_code: str, date: str, list_type: str) -> HttpResponse:
    try:
        kind = CourtListType(list_type)
        day = dt.date.fromisoformat(date)
        centre = court_centre_get_or_404(ou_code=ou_code)
    except (ValueError, NotFound) as error:
        raise Http404("No such court list") from error
    if not kind.is_public:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _is_staff(request):
            raise PermissionDenied("Press and internal lists are for court staff")
    if not kind.is_for(centre.jurisdiction):
        raise Http404(f"{centre.name} has no {kind.label.lower()}")
    court_list = court_list_build(court_centre=centre, date=day, list_type=kind)
    query = {"courtCentre": centre.ou_code, "date": day.isoformat(), "type": kind.value}
    response = render(request, "web/court_lists/list.html", {
        "court_list": court_list,
        "pdf_url": f"{API_URL}?{urlencode({**query, 'format': 'pdf'})}",
        "json_url": f"{API_URL}?{urlencode(query)}",
        "is_crown_list": kind in (CourtListType.CROWN_DAILY, CourtListType.CROWN_FIRM, CourtListType.CROWN_WARNED),
    })
    if kind.is_public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


urlpatterns = [
    path("", court_list_choose, name="court-lists"),
    path("<str:ou_code>/<str:date>/<str:list_type>/", court_list_detail, name="court-list"),
]
