"""Every error the API returns is application/problem+json (RFC 9457) with a field list."""

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from courts.common.errors import ApplicationError, FieldError

PROBLEM_JSON = "application/problem+json"


def problem(
    api: NinjaAPI, request: HttpRequest, *, status: int, title: str, detail: str, code: str,
    errors: list[FieldError] | None = None, headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://courts.example/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message, "code": e.code} for e in errors]
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc: tuple[Any, ...]) -> str:
    # ninja prefixes "body"/"query"/"path"/"header"; the caller knows its own field names.
    parts = [str(p) for p in loc if p not in ("body", "payload")]
    if parts and parts[0] in ("query", "path", "header"):
        parts = parts[1:]
    return "/".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "This field is required"
    if kind == "json_invalid":
        return "The body is not valid JSON"
    msg = str(error.get("msg", "Invalid value"))
    return msg.removeprefix("Value error, ")


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return problem(api, request, status=exc.status, title=exc.title, detail=exc.detail, code=exc.code,
                       errors=exc.errors)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [FieldError(_location(tuple(e.get("loc", ()))), _message(e), e.get("type", "invalid"))
                  for e in exc.errors]
        return problem(api, request, status=422, title="The request has invalid fields",
                       detail="Fix the fields listed and send the request again", code="validation_failed",
                       errors=errors)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(api, request, status=401, title="Not authenticated",
                       detail="Send a valid API token as 'Authorization: Bearer <token>'", code="unauthenticated",
                       headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, title="Not found", detail="Nothing is here", code="not_found")

    @api.exception_handler(RequestDataTooBig)
    def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Refused before the view by its Content-Length (courts.web.security); kept should the order change.
        return problem(api, request, status=413, title="The request is too large",
                       detail="Send at most 5 MB", code="payload_too_large")

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
        return problem(api, request, status=400, title="The request has too many fields",
                       detail="Send fewer fields", code="too_many_fields")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ApplicationError):
            # django-ninja turns any error of the body parser into "Cannot parse request body"; ours
            # (courts.api.parsers) names the fields, so answer with it.
            return application_error(request, exc.__cause__)
        return problem(api, request, status=exc.status_code, title="Request failed", detail=str(exc),
                       code="http_error")


# The published api-cp-crime-hearing-results contract answers its errors as application/json in its own
# ErrorResponse body (courts.api.routers.resulting), so its clients need no change.
JSON_ERROR_TAGS = frozenset({"hearing-results"})


def document_errors_as_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Every other error answer is problem+json (`problem` above, and the subscription contract's): say so
    in the OpenAPI document, where django-ninja lists an operation's error schemas as application/json."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if JSON_ERROR_TAGS.intersection(operation.get("tags") or ()):
                continue
            for status, response in (operation.get("responses") or {}).items():
                content = response.get("content") or {}
                if str(status)[:1] in ("4", "5") and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return schema
