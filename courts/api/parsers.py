"""The API's request parser: django-ninja's JSON parser, refusing text no database column can hold.

PostgreSQL text cannot contain the NUL character, and no UTF-8 text can hold a lone surrogate
(`"\\ud800"` is valid JSON). Either, anywhere in a JSON body or a query string, would reach a query or
an insert and fail there as a 500 (found by tests/security/test_api_fuzz.py on PostgreSQL). They are
refused up front as a 422 naming the field.
"""

from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from courts.common.errors import FieldError, ValidationFailed

MESSAGE = "Text may not contain the NUL character or unpaired surrogates"


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check(value: Any, path: str, errors: list[FieldError]) -> None:
    if isinstance(value, str):
        if _unstorable(value):
            errors.append(FieldError(path or "body", MESSAGE, "invalid_characters"))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _unstorable(key):
                errors.append(FieldError(path or "body", "A field name may not contain the NUL character or "
                                         "unpaired surrogates", "invalid_characters"))
                continue
            _check(item, f"{path}/{key}" if path else str(key), errors)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, f"{path}/{i}" if path else str(i), errors)


def storable_errors(value: Any, path: str = "") -> list[FieldError]:
    """A field error for each string (or key) in `value`, a parsed JSON document, that cannot be stored."""
    errors: list[FieldError] = []
    _check(value, path, errors)
    return errors


def _raise_if_any(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed("The request holds characters no record can store", errors=errors[:50])


class StorableTextParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _raise_if_any(storable_errors(data))
        return data

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        errors: list[FieldError] = []
        for key, values in data.lists():
            for value in values:
                _check(value, key if not _unstorable(key) else "query", errors)
        _raise_if_any(errors)
        return super().parse_querydict(data, list_fields, request)
