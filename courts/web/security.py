"""Security headers on every response, pages, API and static files alike.

Django's own middleware and settings already send X-Frame-Options (DENY), X-Content-Type-Options
(nosniff), Referrer-Policy (same-origin), Cross-Origin-Opener-Policy (same-origin) and, in production
only, Strict-Transport-Security. Django 5.2 has no Content-Security-Policy, so this middleware adds one:

- scripts only from our own origin, never inline and never `eval` (the pages start GOV.UK Frontend from
  `static/web/init.js`, a module file, for that reason);
- styles, fonts, images and fetches from our own origin (images also as `data:` URIs, which GOV.UK
  Frontend's stylesheet uses); no plugins, no `<base>`, forms post only to us, and no page of ours may be
  framed by anyone (`frame-ancestors 'none'`, the CSP form of X-Frame-Options: DENY).

The API's documentation page (`/api/v1/docs`, Swagger UI served from django-ninja's own static files)
is the one exception: Swagger UI writes `style` attributes, so that page alone also allows inline
styles. Inline scripts stay forbidden there too.

A response that already carries a policy keeps it.

`RequestSizeLimitMiddleware` refuses a request whose declared body is larger than
DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads it: 413, as problem+json under /api/ and as a short page
elsewhere. Django's own limit leaves out multipart file parts (no page takes uploads, but a client could
send one to any form), and this one does not.
"""

import json

from django.conf import settings
from django.http import HttpResponse

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
API_DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'",
                                                                   "style-src 'self' 'unsafe-inline'")
# Nothing here uses the camera, the microphone, location, payment or USB: say so, so no embedded code can.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
API_DOCS_PATH = "/api/v1/docs"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = API_DOCS_CONTENT_SECURITY_POLICY if request.path == API_DOCS_PATH else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


API_PREFIX = "/api/"


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for a length it cannot parse
        if limit is not None and length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit: int) -> HttpResponse:
    detail = f"Send at most {limit // (1024 * 1024)} MB"
    if request.path.startswith(API_PREFIX):
        body = {"type": "https://courts.example/problems/payload_too_large", "title": "The request is too large",
                "status": 413, "detail": detail, "code": "payload_too_large", "instance": request.path}
        return HttpResponse(json.dumps(body), status=413, content_type="application/problem+json")
    return HttpResponse(f"<!doctype html><title>Too large</title><h1>The request is too large</h1><p>{detail}.</p>",
                        status=413, content_type="text/html; charset=utf-8")
