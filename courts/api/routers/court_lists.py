"""Court lists: `GET /api/v1/court-lists?courtCentre=OU&date=YYYY-MM-DD&type=…`.

The JSON is the Court and Tribunal Hearings document of the list (CaTH's magistrates' public and
standard lists, the Crown Court's PDDA daily, firm and warned lists); `Accept: application/pdf` or
`format=pdf` gives the printable PDF. Public lists are for anyone, without signing in; press and
internal lists are for court staff (a press list goes to verified media through the publishing
channel, not to whoever asks)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from courts.api.auth import API_AUTH
from courts.common.actor import Actor
from courts.common.errors import PermissionDenied
from courts.listing.selectors import court_centre_get_or_404
from courts.publishing.enums import CourtListType
from courts.publishing.formats import court_list_document
from courts.publishing.pdf import court_list_filename, court_list_pdf
from courts.publishing.selectors import court_list_build

router = Router(tags=["court lists"])

PDF = "application/pdf"


class CourtListQuery(Schema):
    courtCentre: str = Field(..., min_length=1, max_length=8, description="The court centre's OU code, e.g. B01LY00")
    date: dt.date = Field(..., description="The court date (the warned list: any day of its week)")
    type: CourtListType = Field(CourtListType.PUBLIC, description=(
        "public, press or internal at any court; crown-daily, crown-firm or crown-warned at a Crown Court"))
    format: Literal["json", "pdf"] | None = Field(None, description="pdf for the printable list (or Accept: application/pdf)")


def _staff_or_raise(request: HttpRequest) -> Actor:
    """The caller, authenticated as the other endpoints authenticate, if court staff."""
    for authenticator in API_AUTH:
        actor = authenticator(request)
        if actor is not None:
            if not actor.is_court_staff:
                raise PermissionDenied("Press and internal lists are for court staff")
            return actor
    raise AuthenticationError()


def _wants_pdf(request: HttpRequest, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "pdf"
    accept = request.headers.get("Accept", "")
    return PDF in accept and "application/json" not in accept


@router.get(
    "/court-lists", auth=None, response={200: dict[str, Any]}, operation_id="court_lists_get",
    summary="A court centre's list for a day: public (anyone), press or internal (court staff); JSON or PDF",
    openapi_extra={"responses": {200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}}},
)
def court_lists_get(request: HttpRequest, query: Query[CourtListQuery]):
    list_type = CourtListType(query.type)
    if not list_type.is_public:
        _staff_or_raise(request)
    centre = court_centre_get_or_404(ou_code=query.courtCentre)
    court_list = court_list_build(court_centre=centre, date=query.date, list_type=list_type)
    if _wants_pdf(request, query.format):
        response = HttpResponse(court_list_pdf(court_list), content_type=PDF)
        response["Content-Disposition"] = f'inline; filename="{court_list_filename(court_list, "pdf")}"'
    else:
        response = JsonResponse(court_list_document(court_list))
    # Press and internal lists name people the law protects: never kept by a shared cache.
    response["Cache-Control"] = "public, max-age=300" if list_type.is_public else "private, no-store"
    response["Vary"] = "Accept, Cookie, Authorization"
    return response
