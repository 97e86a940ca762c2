"""Every error the API returns is application/problem+json (RFC 9457) with a field list."""

from typing import Any

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

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, status=exc.status_code, title="Request failed", detail=str(exc),
                       code="http_error")
