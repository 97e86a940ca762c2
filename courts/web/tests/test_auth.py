import pytest
from django.urls import reverse

from courts.accounts.tests.factories import UserFactory, totp_code_now, totp_enrol
from courts.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("web:login")


def test_every_page_but_sign_in_sends_an_anonymous_visitor_to_sign_in(client, case):
    # given
    defendant = case.defendants.get()
    offence = defendant.offences.get()
    pages = [
        reverse("web:home"),
        reverse("web:case-search"),
        reverse("web:case-create"),
        reverse("web:case-detail", kwargs={"case_id": case.id}),
        reverse("web:defendant-edit", kwargs={"case_id": case.id, "defendant_id": defendant.id}),
        reverse("web:offence-add", kwargs={"case_id": case.id, "defendant_id": defendant.id}),
        reverse("web:offence-withdraw", kwargs={"case_id": case.id, "offence_id": offence.id}),
        reverse("web:offence-wording", kwargs={"case_id": case.id, "offence_id": offence.id}),
    ]
    for page in pages:
        # when
        response = client.get(page)
        # then
        assert response.status_code == 302, page
        assert response["Location"] == f"{SIGN_IN}?next={page}"


def test_a_post_without_signing_in_changes_nothing(client, case):
    offence = case.defendants.get().offences.get()
    response = client.post(reverse("web:offence-withdraw", kwargs={"case_id": case.id, "offence_id": offence.id}),
                           {"reason": "No evidence", "expected_version": case.version})
    assert response.status_code == 302
    offence.refresh_from_db()
    assert offence.status == "ACTIVE"


def test_sign_in_page_is_a_govuk_page_with_a_skip_link(client):
    response = client.get(SIGN_IN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in - Courts</title>" in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert '<label class="govuk-label" for="username">Username</label>' in html
    assert 'autocomplete="current-password"' in html


def test_signing_in_goes_to_the_home_page_which_names_the_user(client, staff_user):
    # given court staff, who sign in with a password and a code
    totp_enrol(staff_user)
    # when
    response = client.post(SIGN_IN, {"username": "adviser", "password": PASSWORD})
    assert response["Location"] == reverse("web:sign-in-code")
    response = client.post(reverse("web:sign-in-code"), {"code": totp_code_now()})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home")).content.decode()
    assert "Signed in as Alex Adviser" in home
    assert reverse("web:case-create") in home
    assert reverse("web:case-search") in home


def test_signing_in_returns_to_the_page_asked_for_but_never_off_the_site(client, staff_user):
    totp_enrol(staff_user)
    client.post(f"{SIGN_IN}?next=/search/", {"username": "adviser", "password": PASSWORD})
    back = client.post(reverse("web:sign-in-code"), {"code": totp_code_now()})
    assert back["Location"] == "/search/"
    client.logout()
    totp_enrol(staff_user)  # so that the same code may be used twice
    client.post(SIGN_IN, {"username": "adviser", "password": PASSWORD, "next": "https://evil.example/"})
    away = client.post(reverse("web:sign-in-code"), {"code": totp_code_now()})
    assert away["Location"] == reverse("web:home")


@pytest.mark.parametrize("username", ["adviser", "nobody"])
def test_a_failed_sign_in_says_the_same_whatever_was_wrong(client, staff_user, username):
    # when
    response = client.post(SIGN_IN, {"username": username, "password": "wrong password here"})
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Sign in - Courts</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#username">Enter a correct username and password</a>' in html
    assert "_auth_user_id" not in client.session
    assert "wrong password here" not in html
    assert f'value="{username}"' in html


def test_an_empty_sign_in_names_both_fields(client):
    html = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<a href="#username">Enter your username</a>' in html
    assert '<a href="#password">Enter your password</a>' in html
    assert 'aria-describedby="password-error"' in html


def test_an_inactive_user_cannot_sign_in(client):
    UserFactory(username="gone", is_active=False)
    response = client.post(SIGN_IN, {"username": "gone", "password": PASSWORD})
    assert response.status_code == 422
    assert "Enter a correct username and password" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(staff_client):
    assert staff_client.get(reverse("web:logout")).status_code == 405
    response = staff_client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert staff_client.get(reverse("web:home")).status_code == 302


def test_pages_load_govuk_frontend_from_static_files_and_no_inline_script(staff_client):
    html = staff_client.get(reverse("web:home")).content.decode()
    assert '<link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">' in html
    assert '<script type="module" src="/static/web/init.js"></script>' in html
    assert "<script>" not in html
    assert " style=" not in html


def test_the_stylesheets_font_addresses_lead_to_the_fonts(client):
    response = client.get("/assets/fonts/bold-b542beb274-v2.woff2")
    assert response.status_code == 301
    assert response["Location"] == "/static/govuk/assets/fonts/bold-b542beb274-v2.woff2"


def test_a_font_fetched_while_sign_in_replaces_the_session_is_still_served(staff_client):
    # Signing in deletes the old session while the page's fonts may still be on their way with its
    # cookie: the font's redirect must not need the session (it was a 400, "session deleted").
    from importlib import import_module

    from django.conf import settings

    old_key = staff_client.session.session_key
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=old_key).delete()
    response = staff_client.get("/assets/fonts/light-94a07e06a1-v2.woff2")
    assert response.status_code == 301


def test_a_prosecutors_person_is_not_offered_case_creation(prosecutor_client):
    html = prosecutor_client.get(reverse("web:home")).content.decode()
    assert reverse("web:case-search") in html
    assert reverse("web:case-create") not in html


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_govuk_page(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("web:case-search"), {"urn": "01AB1234525"})
    assert response.status_code == 403
    assert "Your answers were not saved" in response.content.decode()


def test_the_server_error_page_renders_without_a_request():
    from django.template import Context
    from django.template.loader import get_template

    html = get_template("500.html").template.render(Context())
    assert "Sorry, there is a problem with the service" in html
    assert "Sign out" not in html


def test_pages_with_case_details_are_not_kept_in_the_browser_cache(staff_client, case):
    response = staff_client.get(reverse("web:case-detail", kwargs={"case_id": case.id}))
    assert "no-store" in response["Cache-Control"]
