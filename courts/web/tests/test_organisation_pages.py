"""An organisation administrator's people pages, and a joiner's first sign-in with their set-up code,
through the Django test client."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courts.accounts.enums import OrganisationKind
from courts.accounts.models import SignInFailure, User
from courts.accounts.services import SIGN_IN_FAILURES_PER_USERNAME, actor_for_user, organisation_user_add
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.defence import services as defence
from courts.defence.models import AdvocateGrant
from courts.defence.tests.factories import DOB, firm
from courts.hearings.tests.factories import listed_case
from courts.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

USERS = reverse("web:organisation-users")
NEW = reverse("web:organisation-user-add")
SET_UP = reverse("web:account-setup")
NEW_PASSWORD = "a long and unusual passphrase"
JOINER = {"first_name": "Jo", "last_name": "Bloggs", "email": "jo@example.org", "username": "jo.bloggs",
          "is_organisation_admin": "no"}


@pytest.fixture
def chambers():
    return OrganisationFactory(name="Garden Court Chambers", kind=OrganisationKind.DEFENCE,
                               prosecuting_authority_code="")


@pytest.fixture
def admin(chambers):
    return UserFactory(username="clerk", first_name="Chris", last_name="Clerk", organisation=chambers,
                       is_organisation_admin=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def person_url(user) -> str:
    return reverse("web:organisation-user", kwargs={"user_id": user.public_id})


def shown_code(response) -> str:
    return re.search(r'id="setup-code">([A-Z0-9-]+)<', response.content.decode())[1]


def test_the_home_page_links_an_organisation_admin_to_their_people(admin_client, chambers):
    assert USERS in admin_client.get(reverse("web:home")).content.decode()
    client = Client()
    client.force_login(UserFactory(username="colleague", organisation=chambers))
    assert USERS not in client.get(reverse("web:home")).content.decode()


def test_a_joiner_is_added_shown_their_code_once_and_signs_in_after_choosing_a_password(admin_client):
    # when the administrator adds them
    response = admin_client.post(NEW, JOINER)
    # then the code is shown once, on this response, and never cached
    assert response.status_code == 200
    code = shown_code(response)
    assert "no-store" in response["Cache-Control"]
    person = User.objects.get(username="jo.bloggs")
    assert "Not set up yet" in admin_client.get(USERS).content.decode()
    assert code not in admin_client.get(person_url(person)).content.decode()
    # and the joiner cannot sign in with any password yet
    client = Client()
    assert client.post(reverse("web:login"), {"username": "jo.bloggs", "password": PASSWORD}).status_code == 422
    sign_in_page = client.get(reverse("web:login")).content.decode()
    assert SET_UP in sign_in_page
    # when they set up their account
    set_up = client.post(SET_UP, {"username": "jo.bloggs", "code": code, "password": NEW_PASSWORD,
                                  "password_confirm": NEW_PASSWORD})
    # then they are signed in (a password alone: not HMCTS staff or judiciary)
    assert set_up.status_code == 302 and set_up["Location"] == reverse("web:home")
    assert "Signed in as Jo Bloggs" in client.get(reverse("web:home")).content.decode()
    # and sign in with it from then on; the code is spent
    client.logout()
    again = client.post(reverse("web:login"), {"username": "jo.bloggs", "password": NEW_PASSWORD})
    assert again.status_code == 302 and again["Location"] == reverse("web:home")
    client.logout()
    reused = client.post(SET_UP, {"username": "jo.bloggs", "code": code, "password": "yet another passphrase",
                                  "password_confirm": "yet another passphrase"})
    assert reused.status_code == 422


def test_account_set_up_errors_use_the_error_summary_and_wrong_codes_are_throttled(admin, client):
    organisation_user_add(username="jo.bloggs", first_name="Jo", last_name="Bloggs", email="jo@example.org",
                          actor=actor_for_user(admin))
    empty = client.post(SET_UP, {})
    html = empty.content.decode()
    assert empty.status_code == 422 and 'class="govuk-error-summary"' in html
    assert '<a href="#code">Enter the set-up code your administrator gave you</a>' in html
    mismatch = client.post(SET_UP, {"username": "jo.bloggs", "code": "x", "password": NEW_PASSWORD,
                                    "password_confirm": "different"})
    assert mismatch.status_code == 422 and "Enter the same password twice" in mismatch.content.decode()
    for _ in range(SIGN_IN_FAILURES_PER_USERNAME):
        wrong = client.post(SET_UP, {"username": "jo.bloggs", "code": "AAAA-BBBB", "password": NEW_PASSWORD,
                                     "password_confirm": NEW_PASSWORD})
        assert wrong.status_code == 422
        assert "Enter the username and set-up code your administrator gave you" in wrong.content.decode()
    assert SignInFailure.objects.filter(username="jo.bloggs").count() == SIGN_IN_FAILURES_PER_USERNAME
    paused = client.post(SET_UP, {"username": "jo.bloggs", "code": "AAAA-BBBB", "password": NEW_PASSWORD,
                                  "password_confirm": NEW_PASSWORD})
    assert paused.status_code == 429
    assert not User.objects.get(username="jo.bloggs").has_usable_password()


def test_bad_joiner_details_show_the_error_summary_and_add_nobody(admin_client):
    UserFactory(username="taken")
    response = admin_client.post(NEW, {**JOINER, "username": "TAKEN", "email": "nope", "first_name": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Add a person - Courts</title>" in html
    assert '<a href="#first_name">Enter their first name</a>' in html
    assert '<a href="#username">That username is taken: choose another</a>' in html
    assert '<a href="#email">' in html
    crafted = admin_client.post(NEW, {**JOINER, "is_organisation_admin": "maybe"})
    assert crafted.status_code == 422
    assert not User.objects.filter(username="jo.bloggs").exists()
    assert not Event.objects.filter(type=EventType.USER_JOINED).exists()


def test_a_mover_is_changed_and_the_last_admin_cannot_stand_down(admin_client, admin):
    person, _ = organisation_user_add(username="jo.bloggs", first_name="Jo", last_name="Bloggs",
                                      email="jo@example.org", actor=actor_for_user(admin))
    response = admin_client.post(person_url(person), {"action": "change", "first_name": "Joanna",
                                                      "last_name": "Bloggs", "email": "joanna@example.org",
                                                      "is_organisation_admin": "yes"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Joanna" and person.is_organisation_admin
    bad = admin_client.post(person_url(person), {"action": "change", "first_name": "", "last_name": "Bloggs",
                                                 "email": "bad", "is_organisation_admin": "no"})
    assert bad.status_code == 422 and 'class="govuk-error-summary"' in bad.content.decode()
    person.refresh_from_db()
    assert person.is_organisation_admin and person.email == "joanna@example.org"
    # Joanna stands down; then Chris is the last administrator and cannot.
    admin_client.post(person_url(person), {"action": "change", "first_name": "Joanna", "last_name": "Bloggs",
                                           "email": "joanna@example.org", "is_organisation_admin": "no"})
    last = admin_client.post(person_url(admin), {"action": "change", "first_name": "Chris", "last_name": "Clerk",
                                                 "email": "", "is_organisation_admin": "no"})
    assert last.status_code == 409
    assert "the only administrator" in last.content.decode()
    admin.refresh_from_db()
    assert admin.is_organisation_admin
    assert Event.objects.filter(type=EventType.USER_CHANGED).count() == 2


def test_a_leaver_is_signed_out_on_their_next_request_and_loses_their_grants(admin_client, admin):
    case, _ = listed_case()
    solicitor = actor_for_user(UserFactory(username="solicitor", organisation=firm()))
    representation = defence.representation_associate(urn=case.urn, surname="Doe", date_of_birth=DOB,
                                                      actor=solicitor)
    barrister = UserFactory(username="barrister", first_name="Bea", last_name="Barrister",
                            organisation=admin.organisation)
    grant = defence.advocate_grant(representation=representation, advocate=barrister, actor=solicitor)
    defendant = case.defendants.get()
    barrister_client = Client()
    barrister_client.force_login(barrister)
    case_page = reverse("web:defence-case", kwargs={"defendant_id": defendant.id})
    assert barrister_client.get(case_page).status_code == 200
    # when the administrator marks them as left
    response = admin_client.post(person_url(barrister), {"action": "leave"})
    # then
    assert response.status_code == 302 and response["Location"] == USERS
    listing = admin_client.get(USERS).content.decode()
    assert "Left" in listing and "Bea Barrister" in listing
    after = barrister_client.get(case_page)
    assert after.status_code == 302 and after["Location"].startswith(reverse("web:login"))
    assert AdvocateGrant.objects.get(pk=grant.pk).revoked_at is not None
    assert Client().post(reverse("web:login"), {"username": "barrister",
                                                           "password": PASSWORD}).status_code == 422
    # when reactivated they get a new set-up code, and their old session still does not work
    back = admin_client.post(person_url(barrister), {"action": "reactivate"})
    assert back.status_code == 200 and shown_code(back)
    assert barrister_client.get(case_page)["Location"].startswith(reverse("web:login"))
    assert Event.objects.filter(type__in=[EventType.USER_LEFT, EventType.USER_REACTIVATED]).count() == 2


def test_is_active_false_alone_ends_a_session_on_the_next_request(admin_client, admin):
    # Django's authentication backend refuses an inactive user's session; leaving also voids the password.
    assert admin_client.get(USERS).status_code == 200
    User.objects.filter(pk=admin.pk).update(is_active=False)
    response = admin_client.get(USERS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_an_admin_cannot_mark_themselves_as_left(admin_client, admin):
    response = admin_client.post(person_url(admin), {"action": "leave"})
    assert response.status_code == 409 and 'class="govuk-error-summary"' in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_non_admins_are_refused_and_another_organisations_person_is_not_found(admin_client, chambers):
    colleague = UserFactory(username="colleague", organisation=chambers)
    client = Client()
    client.force_login(colleague)
    for page in [USERS, NEW, person_url(colleague)]:
        assert client.get(page).status_code == 403
    assert client.post(NEW, JOINER).status_code == 403
    assert client.post(person_url(colleague), {"action": "leave"}).status_code == 403
    staff = UserFactory(username="hmcts-admin", is_organisation_admin=True)  # HMCTS: not an organisation admin
    client.force_login(staff)
    assert client.get(USERS).status_code == 403
    stranger = UserFactory(username="stranger", organisation=firm("Other & Co"))
    assert admin_client.get(person_url(stranger)).status_code == 404
    assert admin_client.post(person_url(stranger), {"action": "leave"}).status_code == 404
    stranger.refresh_from_db()
    colleague.refresh_from_db()
    assert stranger.is_active and colleague.is_active
    assert not User.objects.filter(username="jo.bloggs").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, admin):
    for page in [USERS, NEW, person_url(admin)]:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == f"{reverse('web:login')}?next={page}"
