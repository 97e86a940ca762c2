"""Signing in with a password and a code (staff and judiciary), setting up the authenticator, and
failed sign-ins paused."""

import re
import time

import pytest
from django.urls import reverse

from courts.accounts import totp
from courts.accounts.models import SignInFailure
from courts.accounts.services import totp_is_enrolled
from courts.accounts.tests.factories import UserFactory, totp_code_now, totp_enrol
from courts.audit.models import Event
from courts.web.middleware import TWO_FACTOR_KEY
from courts.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("web:login")
CODE = reverse("web:sign-in-code")
SET_UP = reverse("web:two-factor-setup")
HOME = reverse("web:home")
PAUSED = "You have tried to sign in too many times. Wait 15 minutes, then try again"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_given_enrolled_staff_when_the_password_is_right_then_a_code_is_asked_before_any_page(client, staff_user):
    totp_enrol(staff_user)
    response = client.post(SIGN_IN, {"username": "adviser", "password": PASSWORD})
    assert response["Location"] == CODE
    assert not signed_in(client)
    assert client.get(HOME)["Location"].startswith(SIGN_IN)  # the password alone reaches nothing
    page = client.get(CODE).content.decode()
    assert "<title>Enter your security code - Courts</title>" in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    response = client.post(CODE, {"code": totp_code_now()})
    assert response["Location"] == HOME
    assert signed_in(client)
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused_with_a_govuk_error_and_counted(client, staff_user):
    totp_enrol(staff_user)
    client.post(SIGN_IN, {"username": "adviser", "password": PASSWORD})
    right = totp_code_now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Enter your security code - Courts</title>" in html
    assert '<a href="#code">Enter the code your authenticator app shows now</a>' in html
    assert not signed_in(client)
    assert SignInFailure.objects.filter(username="adviser").count() == 1


def test_five_wrong_codes_pause_sign_in_even_with_the_right_code(client, staff_user):
    totp_enrol(staff_user)
    client.post(SIGN_IN, {"username": "adviser", "password": PASSWORD})
    for _ in range(5):
        client.post(CODE, {"code": "00000a"})
    response = client.post(CODE, {"code": totp_code_now()})
    assert response.status_code == 429
    assert PAUSED in response.content.decode()
    assert not signed_in(client)


def test_staff_not_yet_set_up_go_straight_to_set_up_and_finish_signing_in_there(client, staff_user):
    # when
    response = client.post(f"{SIGN_IN}?next=/search/", {"username": "adviser", "password": PASSWORD})
    # then
    assert response["Location"] == SET_UP
    assert client.get(CODE)["Location"] == SET_UP
    html = client.get(SET_UP).content.decode()
    assert "<title>Set up two-factor authentication - Courts</title>" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert f"otpauth://totp/Courts%3Aadviser?secret={secret}&amp;issuer=Courts" in html
    assert totp.secret_grouped(secret) in client.get(SET_UP).content.decode()  # the same key until confirmed
    # a wrong code first
    bad = client.post(SET_UP, {"code": "123"})
    assert bad.status_code == 422 and not totp_is_enrolled(staff_user)
    # when the code from the app is typed
    response = client.post(SET_UP, {"code": totp.totp(secret, time.time())})
    # then
    assert response["Location"] == "/search/"
    assert signed_in(client) and totp_is_enrolled(staff_user)
    assert Event.objects.filter(type="user.totp_enrolled", actor_user_id=staff_user.pk).exists()


def test_the_code_pages_need_the_password_first(client, staff_user):
    assert client.get(CODE)["Location"] == SIGN_IN
    assert client.get(SET_UP)["Location"] == SIGN_IN
    assert client.post(CODE, {"code": "123456"})["Location"] == SIGN_IN


def test_people_outside_hmcts_sign_in_with_a_password(client, prosecutor):
    UserFactory(username="cps-lawyer", organisation=prosecutor)
    response = client.post(SIGN_IN, {"username": "cps-lawyer", "password": PASSWORD})
    assert response["Location"] == HOME
    assert signed_in(client)
    assert client.get(HOME).status_code == 200


def test_a_staff_session_that_skipped_two_factor_is_ended(client, staff_user):
    client.force_login(staff_user)
    session = client.session
    del session[TWO_FACTOR_KEY]
    session.save()
    assert client.get(HOME)["Location"].startswith(SIGN_IN)
    assert not signed_in(client)


@pytest.mark.parametrize("username", ["adviser", "nobody"])
def test_five_wrong_passwords_pause_a_username_with_one_message_whether_or_not_it_exists(
        client, staff_user, username):
    for _ in range(5):
        client.post(SIGN_IN, {"username": username, "password": "wrong password here"})
    # when even the right password is given
    response = client.post(SIGN_IN, {"username": username, "password": PASSWORD})
    # then
    html = response.content.decode()
    assert response.status_code == 429
    assert f'<a href="#username">{PAUSED}</a>' in html
    assert not signed_in(client)
    assert Event.objects.filter(type="user.sign_in_throttled", payload__username=username).count() == 1


def test_a_complete_sign_in_forgets_earlier_failures(client, prosecutor):
    UserFactory(username="cps-lawyer", organisation=prosecutor)
    for _ in range(4):
        client.post(SIGN_IN, {"username": "cps-lawyer", "password": "wrong password here"})
    client.post(SIGN_IN, {"username": "cps-lawyer", "password": PASSWORD})
    assert not SignInFailure.objects.filter(username="cps-lawyer").exists()
