"""Organisation users: an organisation administrator's joiners, movers and leavers, the set-up code,
and the operator's `courts organisation-admin`."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from courts.accounts import selectors, services
from courts.accounts.enums import OrganisationKind, StaffRoleKind
from courts.accounts.models import User
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.common.actor import Actor
from courts.common.clock import now
from courts.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from courts.defence import services as defence
from courts.defence.models import AdvocateGrant
from courts.defence.tests.factories import DOB, firm

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def chambers():
    return OrganisationFactory(name="Garden Court Chambers", kind=OrganisationKind.DEFENCE,
                               prosecuting_authority_code="")


@pytest.fixture
def admin(chambers):
    return UserFactory(username="clerk", first_name="Chris", last_name="Clerk", organisation=chambers,
                       is_organisation_admin=True)


def as_actor(user) -> Actor:
    return services.actor_for_user(user, ip_address="203.0.113.9")


def add(admin, username="jo.bloggs", **details):
    fields = {"first_name": "Jo", "last_name": "Bloggs", "email": "jo@example.org", **details}
    return services.organisation_user_add(username=username, actor=as_actor(admin), **fields)


def test_given_an_admin_when_a_joiner_is_added_then_they_have_no_password_and_a_code_that_sets_one(admin, chambers):
    # when
    person, code = add(admin, username=" Jo.Bloggs ")
    # then: in the admin's organisation, with no usable password, and only a digest of the code kept
    person.refresh_from_db()
    assert person.username == "jo.bloggs" and person.organisation == chambers and person.is_active
    assert not person.has_usable_password()
    assert len(code) == 24 and code.count("-") == 4
    assert person.setup_code_digest == services.setup_code_digest(code) and code not in person.setup_code_digest
    assert dt.timedelta(days=6, hours=23) < person.setup_code_expires_at - now() <= dt.timedelta(days=7)
    event = Event.objects.get(type=EventType.USER_JOINED)
    assert event.payload["username"] == "jo.bloggs" and event.actor_user_id == admin.pk
    assert code not in str(event.payload) and code.replace("-", "") not in str(event.payload)
    assert authenticate(username="jo.bloggs", password="") is None
    # when they set up their account (spaces, dashes and case of the code ignored)
    user = services.account_set_up(username="jo.bloggs", code=code.lower().replace("-", " "), password=NEW_PASSWORD)
    # then the password works, and the code is spent
    assert authenticate(username="jo.bloggs", password=NEW_PASSWORD) == user
    assert User.objects.get(pk=person.pk).setup_code_digest == ""
    assert Event.objects.filter(type=EventType.ACCOUNT_SET_UP, actor_user_id=person.pk).count() == 1
    with pytest.raises(ValidationFailed) as used_twice:
        services.account_set_up(username="jo.bloggs", code=code, password="another long passphrase")
    assert used_twice.value.errors[0].code == "no_match"


def test_a_wrong_or_expired_code_or_a_weak_password_sets_nothing(admin):
    person, code = add(admin)
    for username, wrong in [("jo.bloggs", "AAAA-AAAA-AAAA-AAAA-AAAA"), ("nobody", code), ("jo.bloggs", "")]:
        with pytest.raises(ValidationFailed) as error:
            services.account_set_up(username=username, code=wrong, password=NEW_PASSWORD)
        assert error.value.errors[0].message == services.SETUP_CODE_FAILED
    with pytest.raises(ValidationFailed) as weak:
        services.account_set_up(username="jo.bloggs", code=code, password="123456789012")
    assert weak.value.errors[0].field == "password"
    User.objects.filter(pk=person.pk).update(setup_code_expires_at=now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as expired:
        services.account_set_up(username="jo.bloggs", code=code, password=NEW_PASSWORD)
    assert expired.value.errors[0].code == "expired"
    person.refresh_from_db()
    assert not person.has_usable_password() and person.setup_code_digest
    assert not Event.objects.filter(type=EventType.ACCOUNT_SET_UP).exists()


def test_bad_joiner_details_name_every_field_and_change_nothing(admin):
    UserFactory(username="taken")
    with pytest.raises(ValidationFailed) as error:
        add(admin, username="Taken", first_name=" ", last_name="x" * 151, email="not-an-email")
    assert {e.field for e in error.value.errors} == {"username", "first_name", "last_name", "email"}
    for bad in ["a", "jo bloggs", "-jo", "jo/bloggs", "x" * 151]:
        with pytest.raises(ValidationFailed):
            add(admin, username=bad)
    assert User.objects.count() == 2
    assert not Event.objects.filter(type=EventType.USER_JOINED).exists()


def test_only_an_organisation_admin_of_that_organisation_manages_its_people(admin, chambers):
    colleague = UserFactory(username="colleague", organisation=chambers)
    other_firm = firm("Other & Co")
    other_admin = UserFactory(username="other-admin", organisation=other_firm, is_organisation_admin=True)
    hmcts_admin = UserFactory(username="court-admin", is_organisation_admin=True)  # HMCTS: not an org admin
    staff = UserFactory(username="court-administrator")
    # Not an administrator (of anything): refused, whoever the person is.
    for actor in [as_actor(colleague), as_actor(hmcts_admin), as_actor(staff)]:
        with pytest.raises(PermissionDenied):
            services.organisation_user_update(user=admin, first_name="X", actor=actor)
        with pytest.raises(PermissionDenied):
            add(colleague if actor.user_id == colleague.pk else hmcts_admin)
        with pytest.raises(PermissionDenied):
            selectors.organisation_users_for_actor(actor=actor)
    # Another organisation's administrator: the person is not found.
    with pytest.raises(NotFound):
        services.organisation_user_update(user=colleague, first_name="X", actor=as_actor(other_admin))
    with pytest.raises(NotFound):
        services.organisation_user_deactivate(user=colleague, actor=as_actor(other_admin))
    with pytest.raises(NotFound):
        selectors.organisation_user_get_for_actor(actor=as_actor(other_admin), user_id=colleague.public_id)
    # A former administrator who has left manages nobody.
    services.organisation_user_update(user=colleague, is_organisation_admin=True, actor=as_actor(admin))
    services.organisation_user_deactivate(user=admin, actor=as_actor(colleague))
    with pytest.raises(PermissionDenied):
        services.organisation_user_update(user=colleague, first_name="X", actor=as_actor(User.objects.get(pk=admin.pk)))
    colleague.refresh_from_db()
    assert colleague.first_name == "Alex"


def test_a_mover_changes_name_email_and_admin_role_with_one_event(admin, chambers):
    person, _ = add(admin)
    services.organisation_user_update(user=person, first_name="Joanna", last_name="Bloggs-Smith",
                                      email="joanna@example.org", is_organisation_admin=True, actor=as_actor(admin))
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email, person.is_organisation_admin) == (
        "Joanna", "Bloggs-Smith", "joanna@example.org", True)
    event = Event.objects.get(type=EventType.USER_CHANGED)
    assert event.payload["changes"]["is_organisation_admin"] == [False, True]
    assert event.payload["changes"]["first_name"] == ["Jo", "Joanna"]
    assert "made an administrator" in event.summary
    # Nothing changed: no event.
    services.organisation_user_update(user=person, first_name="Joanna", actor=as_actor(admin))
    assert Event.objects.filter(type=EventType.USER_CHANGED).count() == 1
    # Bad input: every field named, nothing changed.
    with pytest.raises(ValidationFailed) as error:
        services.organisation_user_update(user=person, first_name="", email="nope", actor=as_actor(admin))
    assert {e.field for e in error.value.errors} == {"first_name", "email"}
    person.refresh_from_db()
    assert person.first_name == "Joanna" and person.email == "joanna@example.org"


def test_the_last_admin_cannot_stand_down_or_leave(admin, chambers):
    # when the only administrator removes their own role
    with pytest.raises(Conflict) as error:
        services.organisation_user_update(user=admin, is_organisation_admin=False, actor=as_actor(admin))
    assert error.value.code == "last_admin"
    # and nobody can mark themselves as left
    with pytest.raises(Conflict):
        services.organisation_user_deactivate(user=admin, actor=as_actor(admin))
    admin.refresh_from_db()
    assert admin.is_organisation_admin and admin.is_active
    # given a second administrator, either may stand down
    second, _ = add(admin, username="second", is_organisation_admin=True)
    services.organisation_user_update(user=admin, is_organisation_admin=False, actor=as_actor(admin))
    # ...but then the second is the last one
    with pytest.raises(Conflict):
        services.organisation_user_update(user=second, is_organisation_admin=False, actor=as_actor(second))
    assert Event.objects.filter(type=EventType.USER_CHANGED).count() == 1


def _granted_advocate(admin):
    """A barrister of the admin's chambers granted access by a firm on record for a listed defendant."""
    from courts.hearings.tests.factories import listed_case

    case, _ = listed_case()
    solicitor = as_actor(UserFactory(username="solicitor", organisation=firm()))
    representation = defence.representation_associate(urn=case.urn, surname="Doe", date_of_birth=DOB,
                                                      actor=solicitor)
    barrister, _ = add(admin, username="barrister")
    grant = defence.advocate_grant(representation=representation, advocate=barrister, actor=solicitor)
    return case, barrister, grant


def test_a_leaver_is_inactive_keeps_no_password_and_loses_their_advocate_grants(admin):
    case, barrister, grant = _granted_advocate(admin)
    services.account_set_up(username="barrister", code=services.organisation_user_setup_code_reissue(
        user=barrister, actor=as_actor(admin))[1], password=NEW_PASSWORD)
    # when
    services.organisation_user_deactivate(user=barrister, actor=as_actor(admin))
    # then
    barrister.refresh_from_db()
    assert not barrister.is_active and barrister.left_at is not None and not barrister.has_usable_password()
    assert User.objects.filter(pk=barrister.pk).exists()  # never deleted
    assert authenticate(username="barrister", password=NEW_PASSWORD) is None
    assert AdvocateGrant.objects.get(pk=grant.pk).revoked_at is not None
    assert Event.objects.get(type=EventType.USER_LEFT).payload["advocate_grants_revoked"] == 1
    revoked = Event.objects.get(type=EventType.ADVOCATE_ACCESS_REVOKED)
    assert revoked.case_id == case.id and revoked.payload["reason"] == "left_organisation"
    with pytest.raises(Conflict):
        services.organisation_user_deactivate(user=barrister, actor=as_actor(admin))
    # The defence service revokes only a leaver's grants, and only for their own organisation.
    with pytest.raises(ValidationFailed):
        defence.advocate_grants_revoke_for_leaver(advocate=admin, actor=as_actor(admin))


def test_a_leaver_reactivated_gets_a_new_code_but_not_their_role_or_grants(admin):
    _, barrister, grant = _granted_advocate(admin)
    services.organisation_user_update(user=barrister, is_organisation_admin=True, actor=as_actor(admin))
    services.organisation_user_deactivate(user=barrister, actor=as_actor(admin))
    # A left person cannot be made an administrator or given a code.
    with pytest.raises(ValidationFailed):
        services.organisation_user_update(user=barrister, is_organisation_admin=True, actor=as_actor(admin))
    with pytest.raises(Conflict):
        services.organisation_user_setup_code_reissue(user=barrister, actor=as_actor(admin))
    # when
    person, code = services.organisation_user_reactivate(user=barrister, actor=as_actor(admin))
    # then
    assert person.is_active and person.left_at is None and not person.is_organisation_admin
    assert AdvocateGrant.objects.get(pk=grant.pk).revoked_at is not None
    assert services.account_set_up(username="barrister", code=code, password=NEW_PASSWORD).pk == barrister.pk
    assert Event.objects.filter(type=EventType.USER_REACTIVATED).count() == 1
    with pytest.raises(Conflict):
        services.organisation_user_reactivate(user=barrister, actor=as_actor(admin))


def test_a_new_code_stops_the_old_password_and_code(admin):
    person, first_code = add(admin)
    services.account_set_up(username="jo.bloggs", code=first_code, password=NEW_PASSWORD)
    _, second_code = services.organisation_user_setup_code_reissue(user=person, actor=as_actor(admin))
    assert authenticate(username="jo.bloggs", password=NEW_PASSWORD) is None
    assert second_code != first_code
    assert Event.objects.filter(type=EventType.SETUP_CODE_ISSUED).count() == 1


def test_hmcts_people_are_not_organisation_users():
    hmcts = OrganisationFactory(name="HMCTS", kind=OrganisationKind.HMCTS)
    person = UserFactory(username="listing", organisation=hmcts)
    with pytest.raises(ValidationFailed):
        services.organisation_user_update(user=person, is_organisation_admin=True, actor=Actor.system())
    with pytest.raises(ValidationFailed):
        services.organisation_user_add(username="new", first_name="A", last_name="B", email="a@example.org",
                                       organisation=hmcts, actor=Actor.system())
    assert StaffRoleKind.COURT_ADMINISTRATOR  # HMCTS people are managed through court roles instead


def test_the_operator_appoints_and_stands_down_an_organisation_admin(chambers):
    person = UserFactory(username="head.clerk", organisation=chambers)
    call_command("organisation_admin", "--user", "Head.Clerk", stderr=StringIO())
    person.refresh_from_db()
    assert person.is_organisation_admin
    event = Event.objects.get(type=EventType.USER_CHANGED)
    assert event.actor_label == "courts organisation-admin"
    # The operator may stand down even the last one.
    call_command("organisation_admin", "--user", "head.clerk", "--remove", stderr=StringIO())
    person.refresh_from_db()
    assert not person.is_organisation_admin
    with pytest.raises(CommandError):
        call_command("organisation_admin", "--user", "nobody", stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("organisation_admin", "--user", UserFactory(username="court").username, stderr=StringIO())


def test_the_operator_creates_a_first_admin_and_prints_their_code_once(chambers):
    out = StringIO()
    call_command("organisation_admin", "--user", "new.admin", "--organisation", "garden court chambers",
                 "--first-name", "Nia", "--last-name", "New", "--email", "nia@example.org", stdout=out,
                 stderr=StringIO())
    code = out.getvalue().strip()
    person = User.objects.get(username="new.admin")
    assert person.organisation == chambers and person.is_organisation_admin
    assert person.setup_code_digest == services.setup_code_digest(code)
    with pytest.raises(CommandError):
        call_command("organisation_admin", "--user", "another", "--organisation", "Nowhere", stderr=StringIO())
