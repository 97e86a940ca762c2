"""The application's errors. Services raise these; the API renders them as problem+json and the
pages as a GOV.UK error summary. Nothing else should reach a user."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One wrong field: a JSON-pointer-like path (`defendants/0/asn`) and why it is wrong."""

    field: str
    message: str
    code: str = "invalid"


class ApplicationError(Exception):
    status = 400
    code = "bad_request"
    title = "The request could not be processed"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        if code:
            self.code = code


class ValidationFailed(ApplicationError):
    status = 422
    code = "validation_failed"
    title = "The request has invalid fields"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class PermissionDenied(ApplicationError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


@dataclass
class ErrorCollector:
    """Gathers every field error of one request so that the user sees them all at once."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, path: str, message: str, code: str = "invalid") -> None:
        self.errors.append(FieldError(path, message, code))

    def raise_if_any(self, detail: str = "The request has invalid fields") -> None:
        if self.errors:
            raise ValidationFailed(detail, errors=self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)


class TooManyRequests(ApplicationError):
    status = 429
    code = "too_many_requests"
    title = "Too many attempts"
