"""Police cases as SPI XML: the message a force sends over the CJSE, posted by the force's own system."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import Organisation
from courts.accounts.selectors import organisation_get
from courts.api.cp_shapes import prosecution_case_cp
from courts.cases import selectors
from courts.cases.spi import MAX_MESSAGE_BYTES, spi_case_intake
from courts.common.actor import Actor
from courts.common.errors import ApplicationError, PermissionDenied
from courts.reference.selectors import bail_status_descriptions

router = Router(tags=["spi"])

XML_MEDIA_TYPES = ("application/xml", "text/xml")


class UnsupportedMediaType(ApplicationError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


class PayloadTooLarge(ApplicationError):
    status = 413
    code = "payload_too_large"
    title = "The message is too large"


def _prosecutor(actor: Actor) -> Organisation:
    # The token's organisation is the prosecutor of record; the message's own codes are not trusted for that.
    if actor.organisation_id is None:
        raise PermissionDenied("SPI cases are sent with a prosecuting organisation's API token")
    organisation = organisation_get(organisation_id=actor.organisation_id)
    if organisation.kind != OrganisationKind.PROSECUTOR:
        raise PermissionDenied(f"{organisation.name} is not a prosecuting organisation")
    return organisation


def _body(request: HttpRequest) -> bytes:
    too_large = PayloadTooLarge(f"Send at most {MAX_MESSAGE_BYTES // (1024 * 1024)} MB")
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_MESSAGE_BYTES:
            raise too_large
    except ValueError:
        pass
    try:
        return request.body
    except RequestDataTooBig as error:
        raise too_large from error


@router.post(
    "/spi/cases",
    response={200: dict, 201: dict},
    operation_id="spi_cases_create",
    summary="Create a police case from an SPI NewCaseMessage (bare, or in a CJSE RouteData envelope)",
    description=(
        "The body is the XML a police force sends over the CJSE (schema CPP-StdProsPoliceCase 0.6g). "
        "201 with the case when it is new; 200 when the prosecutor already has the URN, after adding any "
        "defendants the case did not have. 422 lists each schema or rule error with its XML path and line."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in XML_MEDIA_TYPES},
        }
    },
)
def spi_cases_create(request: HttpRequest, response: HttpResponse):
    actor: Actor = request.auth
    if request.content_type not in XML_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Send the SPI message as {' or '.join(XML_MEDIA_TYPES)}, not {request.content_type or 'no content type'}"
        )
    prosecutor = _prosecutor(actor)
    outcome = spi_case_intake(data=_body(request), prosecutor=prosecutor, actor=actor)
    case = selectors.case_get_for_actor(actor=actor, case_id=outcome.case.id)
    response["Location"] = f"/api/v1/cases/{case.id}"
    return Status(201 if outcome.created else 200, prosecution_case_cp(case, bail_status_descriptions()))
