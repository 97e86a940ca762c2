"""Roles per court centre, judicial offices, two-factor set-up and reset, failed sign-ins, and the
review of inactive accounts."""

import datetime as dt
from unittest import mock

import pytest

from courts.accounts import services
from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind
from courts.accounts.models import SignInFailure, TotpDevice, User
from courts.accounts.tests.factories import OrganisationFactory, UserFactory, totp_code_now, totp_enrol
from courts.audit.models import Event
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import Conflict, PermissionDenied, ValidationFailed
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("test")


@pytest.fixture
def lavender_hill():
    return CourtCentre.objects.get(ou_code="B01LY00")


@pytest.fixture
def westminster():
    return CourtCentre.objects.get(ou_code="B01IX00")


@pytest.fixture
def administrator(lavender_hill):
    user = UserFactory(username="admin-lh")
    services.staff_role_grant(user=user, court_centre=lavender_hill, role=StaffRoleKind.COURT_ADMINISTRATOR,
                              actor=SYSTEM)
    return services.actor_for_user(User.objects.get(pk=user.pk))


def fresh(user):
    return User.objects.get(pk=user.pk)


# --- roles ---

def test_given_a_court_administrator_when_granting_a_role_at_their_centre_then_the_actor_carries_it(
        administrator, lavender_hill):
    adviser = UserFactory(username="adviser")
    services.staff_role_grant(user=adviser, court_centre=lavender_hill, role="legal_adviser", actor=administrator)
    actor = services.actor_for_user(fresh(adviser))
    assert actor.court_centre_ids == frozenset({lavender_hill.pk})
    assert actor.has_role(StaffRoleKind.LEGAL_ADVISER, lavender_hill.pk)
    assert actor.is_court_staff and not actor.is_judiciary
    event = Event.objects.get(type="user.staff_role_granted", payload__username="adviser")
    assert event.payload["court_centre"] == "B01LY00" and event.payload["role"] == "legal_adviser"


def test_a_court_administrator_cannot_grant_roles_at_another_centre(administrator, westminster):
    with pytest.raises(PermissionDenied):
        services.staff_role_grant(user=UserFactory(), court_centre=westminster, role="listing_officer",
                                  actor=administrator)


def test_a_role_without_being_a_court_administrator_grants_nothing(lavender_hill):
    officer = UserFactory()
    services.staff_role_grant(user=officer, court_centre=lavender_hill, role="listing_officer", actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.staff_role_grant(user=UserFactory(), court_centre=lavender_hill, role="listing_officer",
                                  actor=services.actor_for_user(fresh(officer)))


def test_court_roles_are_for_hmcts_staff_only(lavender_hill):
    lawyer = UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.PROSECUTOR))
    with pytest.raises(ValidationFailed):
        services.staff_role_grant(user=lawyer, court_centre=lavender_hill, role="legal_adviser", actor=SYSTEM)


def test_revoking_a_role_takes_it_from_the_next_actor_and_is_recorded(administrator, lavender_hill):
    associate = UserFactory(username="associate")
    services.staff_role_grant(user=associate, court_centre=lavender_hill, role="court_associate",
                              actor=administrator)
    services.staff_role_revoke(user=associate, court_centre=lavender_hill, role="court_associate",
                               actor=administrator)
    assert services.actor_for_user(fresh(associate)).roles == frozenset()
    assert Event.objects.filter(type="user.staff_role_revoked", payload__username="associate").exists()


def test_a_judicial_office_gives_its_centres_and_makes_a_judicial_actor(administrator, lavender_hill):
    dj = UserFactory(username="dj")
    services.judicial_office_grant(user=dj, kind=JudicialOfficeKind.DISTRICT_JUDGE, court_centres=[lavender_hill],
                                   actor=administrator)
    actor = services.actor_for_user(fresh(dj))
    assert actor.judicial_offices == frozenset({"district_judge"})
    assert actor.court_centre_ids == frozenset({lavender_hill.pk})
    assert actor.roles == frozenset()
    services.judicial_office_revoke(user=dj, kind="district_judge", actor=administrator)
    assert services.actor_for_user(fresh(dj)).judicial_offices == frozenset()
    assert Event.objects.filter(type__startswith="user.judicial_office_", payload__username="dj").count() == 2


def test_the_actor_reads_roles_in_one_query(django_assert_num_queries, lavender_hill, westminster):
    user = UserFactory()
    services.staff_role_grant(user=user, court_centre=lavender_hill, role="legal_adviser", actor=SYSTEM)
    services.judicial_office_grant(user=user, kind="magistrate", court_centres=[lavender_hill, westminster],
                                   actor=SYSTEM)
    user = fresh(user)
    with django_assert_num_queries(1):
        actor = services.actor_for_user(user)
        services.actor_for_user(user)
    assert actor.court_centre_ids == frozenset({lavender_hill.pk, westminster.pk})


# --- two-factor ---

def test_enrolment_stores_the_secret_encrypted_and_confirms_with_a_code():
    user = UserFactory(username="new-starter")
    secret = services.totp_enrolment_begin(user=user)
    device = TotpDevice.objects.get(user=user)
    assert secret not in device.secret_encrypted
    assert services.totp_enrolment_begin(user=user) == secret  # the same until confirmed
    assert not services.totp_is_enrolled(user)
    wrong = "000000" if totp_code_now(secret) != "000000" else "111111"
    assert not services.totp_enrolment_confirm(user=user, code=wrong, actor=SYSTEM)
    assert services.totp_enrolment_confirm(user=user, code=totp_code_now(secret), actor=SYSTEM)
    assert services.totp_is_enrolled(user)
    assert Event.objects.filter(type="user.totp_enrolled", payload__username="new-starter").exists()
    with pytest.raises(Conflict):
        services.totp_enrolment_begin(user=user)


def test_a_code_signs_in_once():
    user = UserFactory()
    totp_enrol(user)
    code = totp_code_now()
    assert services.totp_verify(user=user, code=code)
    assert not services.totp_verify(user=user, code=code)


def test_a_court_administrator_resets_two_factor_for_someone_at_their_centre(administrator, lavender_hill,
                                                                              westminster):
    adviser = UserFactory(username="lost-phone")
    services.staff_role_grant(user=adviser, court_centre=lavender_hill, role="legal_adviser", actor=SYSTEM)
    elsewhere = UserFactory()
    services.staff_role_grant(user=elsewhere, court_centre=westminster, role="legal_adviser", actor=SYSTEM)
    totp_enrol(adviser)
    totp_enrol(elsewhere)
    services.totp_reset(user=adviser, actor=administrator)
    assert not services.totp_is_enrolled(adviser)
    assert Event.objects.get(type="user.totp_reset").actor_user_id == administrator.user_id
    with pytest.raises(PermissionDenied):
        services.totp_reset(user=elsewhere, actor=administrator)


def test_staff_and_judiciary_need_two_factor_and_others_do_not(lavender_hill):
    assert services.user_requires_two_factor(UserFactory())
    assert services.user_requires_two_factor(
        UserFactory(organisation=OrganisationFactory(name="HMCTS", kind=OrganisationKind.HMCTS)))
    assert not services.user_requires_two_factor(UserFactory(organisation=OrganisationFactory()))
    assert not services.user_requires_two_factor(
        UserFactory(organisation=OrganisationFactory(name="Probation", kind=OrganisationKind.PROBATION)))


# --- failed sign-ins ---

def test_five_failures_for_a_username_pause_it_whether_or_not_it_exists_and_success_resets():
    for _ in range(4):
        services.sign_in_failure_record(username="Nobody", ip_address="10.0.0.1")
    assert not services.sign_in_throttled(username="nobody", ip_address="10.0.0.2")
    services.sign_in_failure_record(username="nobody", ip_address="10.0.0.1")
    assert services.sign_in_throttled(username="NOBODY", ip_address="10.0.0.2")
    assert Event.objects.filter(type="user.sign_in_throttled", payload__username="nobody").count() == 1
    user = UserFactory(username="nobody")
    services.sign_in_succeeded(user=user)
    assert not services.sign_in_throttled(username="nobody", ip_address="10.0.0.2")


def test_failures_older_than_fifteen_minutes_do_not_count():
    for _ in range(5):
        services.sign_in_failure_record(username="adviser", ip_address=None)
    SignInFailure.objects.update(occurred_at=now() - dt.timedelta(minutes=16))
    assert not services.sign_in_throttled(username="adviser", ip_address=None)


def test_twenty_failures_from_one_address_pause_it_for_every_username():
    for n in range(20):
        services.sign_in_failure_record(username=f"guess{n}", ip_address="192.0.2.7")
    assert services.sign_in_throttled(username="someone-else", ip_address="192.0.2.7")
    assert not services.sign_in_throttled(username="someone-else", ip_address="192.0.2.8")


# --- inactive accounts ---

def at(moment):
    return mock.patch("courts.accounts.services.now", return_value=moment)


def test_inactive_accounts_are_warned_at_60_days_and_disabled_90_days_later_never_deleted():
    start = now()
    active = UserFactory(username="active", last_login=start - dt.timedelta(days=10))
    idle = UserFactory(username="idle", email="idle@justice.gov.uk", last_login=start - dt.timedelta(days=61))
    never = UserFactory(username="never")
    User.objects.filter(pk=never.pk).update(date_joined=start - dt.timedelta(days=70))

    with at(start):
        review = services.accounts_review(actor=SYSTEM)
    assert review.warned == ["idle", "never"] and review.disabled == []
    warning = Event.objects.get(type="user.inactivity_warned", payload__username="idle")
    assert warning.payload["message"]["to"] == "idle@justice.gov.uk"
    assert "sign in before" in warning.payload["message"]["body"]

    with at(start + dt.timedelta(days=30)):  # warned once only
        assert services.accounts_review(actor=SYSTEM).warned == []

    services.sign_in_succeeded(user=fresh(never))  # "never" comes back
    User.objects.filter(pk=never.pk).update(last_login=start + dt.timedelta(days=40))

    with at(start + dt.timedelta(days=91)):
        review = services.accounts_review(actor=SYSTEM)
    assert review.disabled == ["idle"]
    assert not fresh(idle).is_active and fresh(never).is_active and fresh(active).is_active
    assert Event.objects.filter(type="user.disabled_for_inactivity", payload__username="idle").exists()
    assert User.objects.filter(username="idle").exists()


def test_the_commands_review_accounts_and_appoint_a_court_administrator(lavender_hill, capsys):
    from django.core.management import call_command

    UserFactory(username="first-admin")
    call_command("staff_role", "grant", "--user", "first-admin", "--court", "B01LY00",
                 "--role", "court_administrator")
    actor = services.actor_for_user(User.objects.get(username="first-admin"))
    assert actor.has_role("court_administrator", lavender_hill.pk)
    User.objects.filter(username="first-admin").update(last_login=now() - dt.timedelta(days=61))
    call_command("accounts_review")
    assert "warned first-admin" in capsys.readouterr().out


def test_the_operator_grants_and_withdraws_national_access_with_an_event(db):
    from django.core.management import call_command

    from courts.audit.models import Event

    person = UserFactory(username="national-team", national_access=False)
    call_command("staff_role", "national", "--user", "national-team")
    person.refresh_from_db()
    assert person.national_access and services.actor_for_user(person).national
    call_command("staff_role", "national", "--user", "national-team", "--remove")
    person.refresh_from_db()
    assert not person.national_access
    assert Event.objects.filter(type="user.national_access_changed").count() == 2


def test_national_access_is_not_granted_by_a_person(db):
    from courts.accounts.services import national_access_set
    from courts.common.errors import PermissionDenied

    person = UserFactory(username="national-team", national_access=False)
    with pytest.raises(PermissionDenied):
        national_access_set(user=person, national=True, actor=services.actor_for_user(UserFactory(username="admin")))
