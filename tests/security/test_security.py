"""What the service enforces against the browser-borne and network-borne attacks a court system meets
(docs/reliability.md, "Security"): security headers on every response, CSRF on every form and on the
API's session cookie, no personal data in URLs or logs, and request size limits that answer 413, never
500. The URL configuration and the templates are walked, so a new page or form is covered as it lands.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from courts.accounts.tests.factories import UserFactory
from courts.api.auth import API_AUTH, StaffSession
from courts.api.tests.test_cases import make_token
from courts.api.urls import api
from courts.web.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "courts"
MB = 1024 * 1024


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


# --- Headers ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/sign-in/", "/api/v1/openapi.json", "/api/v1/cases/no-such-case",
                                  "/static/web/init.js", "/no-such-page/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], "scripts from our origin only: no inline script, no eval"
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    if not path.startswith("/static/"):  # static files are served before Django's X-Frame-Options middleware
        assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response, "HSTS only in production (over HTTP it is ignored)"


def test_the_policy_allows_no_inline_script_or_style_anywhere_but_swagger_styles(client):
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    policy = directives(docs["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    html = docs.content.decode()
    # django-ninja's own static Swagger UI: no CDN, and no inline script (a JSON data block is not run)
    assert "cdn." not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_the_templates_hold_no_inline_script_handler_or_style_the_policy_would_block():
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path}: inline script {tag}")
        for attribute in re.findall(r"\s(on[a-z]+)\s*=", text):
            offenders.append(f"{path}: event handler attribute {attribute}")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path}: inline style")
        if "javascript:" in text:
            offenders.append(f"{path}: javascript: URL")
    assert not offenders, "\n".join(offenders)


def run_settings(env: dict[str, str]) -> dict:
    """The settings module as a fresh process loads it with `env`."""
    code = ("import json; from config import settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
            "['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', "
            "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF']}))")
    clean = {k: v for k, v in os.environ.items() if k not in ("COURTS_ENV", "COURTS_SECRET_KEY")}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, cwd=settings.BASE_DIR,
                         capture_output=True, text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def test_hsts_and_secure_cookies_are_on_in_production_only():
    production = run_settings({"COURTS_ENV": "production", "COURTS_SECRET_KEY": "x" * 50})
    assert production["SECURE_HSTS_SECONDS"] >= 31536000 and production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_SSL_REDIRECT"]
    development = run_settings({"COURTS_ENV": "development"})
    assert not development["SECURE_HSTS_SECONDS"] and not development["SESSION_COOKIE_SECURE"]
    for each in (production, development):
        assert each["X_FRAME_OPTIONS"] == "DENY" and each["SECURE_CONTENT_TYPE_NOSNIFF"]


# --- CSRF ------------------------------------------------------------------------------------------------

def page_views(patterns=None, prefix=""):
    """Every view of the URL configuration outside the API (which django-ninja routes as one)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/"):
                continue
            yield from page_views(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def test_csrf_middleware_is_on_and_no_page_is_exempt():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    views = list(page_views())
    assert len(views) > 20
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    assert not exempt, f"pages exempt from CSRF: {exempt}"


def test_the_api_checks_csrf_for_the_session_cookie_and_exempts_no_operation():
    # Bearer tokens are not sent by browsers on their own, so they need no CSRF token; the session cookie is.
    assert any(isinstance(auth, StaffSession) and auth.csrf for auth in API_AUTH)
    exempt = [op.view_func.__name__ for router in api._routers for path in router[1].path_operations.values()
              for op in path.operations if op.csrf_exempt]
    assert not exempt, f"API operations exempt from CSRF: {exempt}"


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    forms, missing = 0, []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        for attributes, body in FORM.findall(path.read_text(encoding="utf-8")):
            if re.search(r"method\s*=\s*[\"']?post", attributes, re.IGNORECASE):
                forms += 1
                if "{% csrf_token %}" not in body:
                    missing.append(f"{path.relative_to(settings.BASE_DIR)}: <form{attributes}>")
    assert forms > 20
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def test_a_page_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/search/", {"urn": "01AB1234525"})
    assert response.status_code == 403
    page = client.get("/search/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token, "the search form carries its token"
    assert client.post("/search/", {"urn": "01AB1234525", "csrfmiddlewaretoken": token[1].decode()}).status_code != 403


def test_an_api_write_with_the_session_cookie_but_no_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/api/v1/cases", {}, content_type="application/json")
    assert response.status_code == 403
    # the same write with a bearer token is past the CSRF check (and fails on its empty body instead)
    token = make_token()
    response = Client(enforce_csrf_checks=True).post("/api/v1/cases", {}, content_type="application/json",
                                                     HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422


# --- Personal data in URLs and logs ----------------------------------------------------------------------

def test_the_search_page_posts_names_and_dates_of_birth_never_in_the_url(client):
    client.force_login(UserFactory())
    page = client.get("/search/").content.decode()
    [(attributes, _)] = [form for form in FORM.findall(page) if 'name="surname"' in form[1]]
    assert re.search(r"method=\"post\"", attributes, re.IGNORECASE)


# A person's name, date of birth, address or identifiers (ASN, PNC ID, CRO number), as a query or path
# parameter would spell them: lower case, without "_" and "-".
PERSONAL_PARAMETERS = {"surname", "lastname", "firstname", "forename", "middlename", "dateofbirth", "dob",
                       "asn", "pncid", "cronumber", "postcode", "address"}


def test_no_api_operation_takes_personal_data_in_its_url(client):
    spec = client.get("/api/v1/openapi.json").json()
    offenders = [f"{method.upper()} {path}: {parameter['in']} parameter {parameter['name']}"
                 for path, operations in spec["paths"].items() for method, operation in operations.items()
                 for parameter in operation.get("parameters", [])
                 if parameter["name"].lower().replace("_", "").replace("-", "") in PERSONAL_PARAMETERS]
    assert not offenders, "personal data belongs in a request body (POST), not the URL: " + "; ".join(offenders)
    search = spec["paths"]["/api/v1/cases/search"]["post"]["requestBody"]["content"]["application/json"]
    assert search["schema"]  # the person search is documented, with its criteria in the body


@pytest.mark.parametrize("criteria", [{"surname": "Do", "dateOfBirth": "1990-05-17"},
                                      {"asn": "1101ZD0100000448754K"}, {"pncId": "2004/0046583U"}])
def test_the_api_searches_for_a_person_by_a_post_body_and_refuses_the_query_string(client, criteria):
    from courts.api.tests.test_cases import post_case
    from courts.cases.tests.factories import case_payload

    token = make_token()
    payload = case_payload()
    payload["defendants"][0]["asn"] = "1101ZD0100000448754K"
    assert post_case(client, token, payload).status_code == 201
    by_get = client.get("/api/v1/cases", criteria, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(by_get, 400, "personal_data_in_url")
    assert "POST /api/v1/cases/search" in by_get.json()["detail"]
    by_post = client.post("/api/v1/cases/search", criteria, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token}")
    assert by_post.status_code == 200
    assert [c["prosecutionCaseIdentifier"]["caseURN"] for c in by_post.json()] == ["01AB1234525"]


def test_the_access_log_leaves_out_query_strings(monkeypatch):
    from courts.common.management.commands import serve

    calls = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append(argv))
    serve.Command().handle(bind="127.0.0.1:0", workers=1)
    argv = calls[0]
    log_format = argv[argv.index("--access-logformat") + 1]
    assert "%(U)s" in log_format  # the path alone
    assert "%(r)s" not in log_format and "%(q)s" not in log_format and "%(a)s" not in log_format


def test_logging_has_no_handler_that_records_request_bodies():
    handlers = settings.LOGGING["handlers"]
    assert {h["class"] for h in handlers.values()} == {"logging.StreamHandler"}
    assert "%(request)" not in json.dumps(settings.LOGGING)


# --- Request size limits ---------------------------------------------------------------------------------

def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert (body["status"], body["code"]) == (status, code)


def test_a_json_body_over_the_limit_is_a_413_problem():
    token = make_token()
    body = b'{"urn": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = Client().post("/api/v1/cases", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, 413, "payload_too_large")
    assert "Content-Security-Policy" in response


def test_an_spi_message_over_the_limit_is_a_413_problem():
    token = make_token()
    body = b"<NewCaseMessage>" + b" " * (6 * MB) + b"</NewCaseMessage>"
    response = Client().post("/api/v1/spi/cases", body, content_type="application/xml",
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, 413, "payload_too_large")


def test_a_form_over_the_limit_is_refused_before_it_is_read(client):
    response = client.post("/sign-in/", {"username": "x" * (6 * MB), "password": "y"})
    assert response.status_code == 413
    # file parts are outside Django's own limit; the size limit counts them too
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.bin", b"\0" * (6 * MB))
    assert client.post("/sign-in/", {"username": "x", "file": upload}).status_code == 413


def test_a_body_just_under_the_limit_is_read_and_a_query_with_too_many_fields_is_a_400_problem():
    token = make_token()
    body = json.dumps({"urn": "x" * (4 * MB)}).encode()
    response = Client().post("/api/v1/cases", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, 422, "validation_failed")
    query = "&".join(f"urn={i}" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client().get(f"/api/v1/cases?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, 400, "too_many_fields")
