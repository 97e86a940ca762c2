"""Association, the one firm on record, hand-over, advocates' grants and the defence check-in."""

import datetime as dt

import pytest

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.cases import selectors as case_selectors
from courts.common.clock import now
from courts.common.errors import Conflict, NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from courts.defence import selectors, services
from courts.defence.models import AssociationAttempt, Representation
from courts.defence.tests.factories import DOB, actor, firm, person
from courts.hearings.models import AdvocateAppearance
from courts.hearings.tests.factories import CLERK, listed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    return listed_case(defendants=2)  # Jo Doe and Jo Roe on case 01AB1234525, one hearing


@pytest.fixture
def solicitor():
    return actor(person(firm()))


def associate(who, urn="01AB1234525", surname="Doe", date_of_birth=DOB):
    return services.representation_associate(urn=urn, surname=surname, date_of_birth=date_of_birth, actor=who)


def test_given_the_right_details_when_a_firm_associates_then_it_is_on_record_and_sees_the_case(listed, solicitor):
    case, hearing = listed
    # when
    representation = associate(solicitor, urn=" 01ab1234525 ", surname="doe")
    # then
    assert representation.defendant.last_name == "Doe" and representation.case_id == case.id
    assert Event.objects.filter(type=EventType.DEFENCE_ASSOCIATED, case_id=case.id).count() == 1
    assert list(case_selectors.case_queryset_for_actor(actor=solicitor)) == [case]
    # Only its own defendant's details: not the co-defendant's.
    seen = case_selectors.case_get_for_actor(actor=solicitor, case_id=case.id)
    assert [d.last_name for d in seen.defendants.all()] == ["Doe"]
    roe = case.defendants.get(last_name="Roe")
    with pytest.raises(NotFound):
        case_selectors.defendant_get_for_actor(actor=solicitor, defendant_id=roe.id)
    # Associating again is harmless.
    assert associate(solicitor).pk == representation.pk
    assert Representation.objects.count() == 1


@pytest.mark.parametrize("details", [
    {"urn": "01AB1234525", "surname": "Doe", "date_of_birth": dt.date(1985, 2, 4)},  # the case exists
    {"urn": "01AB1234525", "surname": "Smith", "date_of_birth": DOB},
    {"urn": "99ZZ9999999", "surname": "Doe", "date_of_birth": DOB},  # no such case
])
def test_a_wrong_guess_reveals_nothing(listed, solicitor, details):
    with pytest.raises(ValidationFailed) as refused:
        associate(solicitor, **details)
    assert refused.value.detail == services.NO_MATCH and refused.value.errors == []
    assert AssociationAttempt.objects.count() == 1
    assert Event.objects.get(type=EventType.DEFENCE_ASSOCIATION_FAILED).case_id is None
    assert not case_selectors.case_queryset_for_actor(actor=solicitor).exists()


def test_guessing_is_throttled_per_person_then_even_a_right_guess_is_refused(listed, solicitor):
    for _ in range(services.FAILED_ATTEMPTS_PER_USER):
        with pytest.raises(ValidationFailed):
            associate(solicitor, surname="Wrong")
    with pytest.raises(TooManyRequests):
        associate(solicitor)  # right, but throttled
    assert not Representation.objects.exists()
    # Someone else in the firm can still try; an hour later the person can too.
    colleague = actor(person(solicitor_organisation(solicitor), username="colleague"))
    assert associate(colleague).defendant.last_name == "Doe"
    AssociationAttempt.objects.update(attempted_at=now() - dt.timedelta(hours=1, minutes=1))
    assert associate(solicitor, surname="Doe")


def test_guessing_is_throttled_per_firm(listed, solicitor):
    organisation = solicitor_organisation(solicitor)
    for i in range(services.FAILED_ATTEMPTS_PER_ORGANISATION):
        AssociationAttempt.objects.create(organisation=organisation, user_id=10_000 + i, attempted_at=now())
    fresh = actor(person(organisation, username="new-starter"))
    with pytest.raises(TooManyRequests):
        associate(fresh)


def test_missing_details_are_field_errors_and_not_counted(listed, solicitor):
    with pytest.raises(ValidationFailed) as refused:
        services.representation_associate(urn="", surname=" ", date_of_birth=None, actor=solicitor)
    assert [e.field for e in refused.value.errors] == ["urn", "surname", "date_of_birth"]
    assert not AssociationAttempt.objects.exists()


def test_only_a_defence_organisation_can_associate(listed):
    from courts.accounts.tests.factories import OrganisationFactory, UserFactory

    prosecutor_user = actor(UserFactory(organisation=OrganisationFactory()))
    with pytest.raises(PermissionDenied):
        associate(prosecutor_user)


def test_a_second_firm_is_refused_naming_the_hand_over(listed, solicitor):
    associate(solicitor)
    rival = actor(person(firm("Jones Defence LLP"), username="rival"))
    with pytest.raises(Conflict) as refused:
        associate(rival)
    assert refused.value.code == "already_represented"
    assert "Smith & Co Solicitors" in refused.value.detail and "disassociate" in refused.value.detail
    assert "transfer" in refused.value.detail


def test_disassociation_removes_access_at_once_and_lets_another_firm_on(listed, solicitor):
    case, _ = listed
    representation = associate(solicitor)
    services.representation_end(representation=representation, actor=solicitor)
    assert not case_selectors.case_queryset_for_actor(actor=solicitor).exists()
    assert Event.objects.filter(type=EventType.DEFENCE_DISASSOCIATED, case_id=case.id).exists()
    rival = actor(person(firm("Jones Defence LLP"), username="rival"))
    assert associate(rival).organisation.name == "Jones Defence LLP"


def test_court_staff_transfer_the_representation(listed, solicitor):
    case, _ = listed
    representation = associate(solicitor)
    other = firm("Jones Defence LLP")
    with pytest.raises(PermissionDenied):
        services.representation_transfer(defendant=representation.defendant, to_organisation=other,
                                         actor=solicitor, reason="Client's instructions")
    moved = services.representation_transfer(defendant=representation.defendant, to_organisation=other,
                                             actor=CLERK, reason="Client's instructions")
    assert moved.organisation == other
    assert not case_selectors.case_queryset_for_actor(actor=solicitor).exists()
    assert case_selectors.case_queryset_for_actor(actor=actor(person(other, username="jones"))).get() == case
    assert Event.objects.filter(type=EventType.DEFENCE_TRANSFERRED, case_id=case.id).count() == 1


def test_an_advocate_granted_access_sees_the_case_until_revoked(listed, solicitor):
    case, hearing = listed
    representation = associate(solicitor)
    barrister_user = person(firm("Ms A Barrister"), username="barrister", first_name="Ann", last_name="Barrister")
    barrister = actor(barrister_user)
    assert not case_selectors.case_queryset_for_actor(actor=barrister).exists()
    # when
    grant = services.advocate_grant(representation=representation, advocate=barrister_user, actor=solicitor,
                                    hearing=hearing)
    # then
    assert case_selectors.case_queryset_for_actor(actor=barrister).get() == case
    assert selectors.representation_list_for_actor(actor=barrister)[0].pk == representation.pk
    services.advocate_grant_revoke(grant=grant, actor=solicitor)
    assert not case_selectors.case_queryset_for_actor(actor=barrister).exists()
    assert [e.type for e in Event.objects.filter(case_id=case.id, type__startswith="defence.advocate")] == [
        EventType.ADVOCATE_ACCESS_GRANTED, EventType.ADVOCATE_ACCESS_REVOKED]


def test_disassociation_ends_the_advocates_grants(listed, solicitor):
    representation = associate(solicitor)
    barrister_user = person(firm("Ms A Barrister"), username="barrister")
    services.advocate_grant(representation=representation, advocate=barrister_user, actor=solicitor)
    services.representation_end(representation=representation, actor=solicitor)
    assert not case_selectors.case_queryset_for_actor(actor=actor(barrister_user)).exists()


def test_only_the_firm_grants_and_only_to_another_defence_organisation(listed, solicitor):
    representation = associate(solicitor)
    from courts.accounts.tests.factories import UserFactory

    with pytest.raises(ValidationFailed):
        services.advocate_grant(representation=representation, advocate=UserFactory(), actor=solicitor)
    barrister_user = person(firm("Ms A Barrister"), username="barrister")
    with pytest.raises(PermissionDenied):
        services.advocate_grant(representation=representation, advocate=barrister_user,
                                actor=actor(barrister_user))


def test_the_defence_checks_in_to_its_defendants_hearing(listed, solicitor):
    case, hearing = listed
    representation = associate(solicitor)
    # when
    appearance = services.defence_check_in(hearing=hearing, defendant=representation.defendant,
                                           advocate_name="Dana Defender", actor=solicitor)
    # then
    assert appearance.role == "DEFENCE" and appearance.organisation_name == "Smith & Co Solicitors"
    assert list(appearance.defendants.all()) == [representation.defendant]
    assert Event.objects.filter(type=EventType.ADVOCATE_CHECKED_IN, case_id=case.id).count() == 1
    # Not for the co-defendant, and not once off record.
    roe = case.defendants.get(last_name="Roe")
    with pytest.raises(PermissionDenied):
        services.defence_check_in(hearing=hearing, defendant=roe, advocate_name="Dana Defender", actor=solicitor)
    services.representation_end(representation=representation, actor=solicitor)
    with pytest.raises(PermissionDenied):
        services.defence_check_in(hearing=hearing, defendant=representation.defendant,
                                  advocate_name="Dana Defender", actor=solicitor)
    assert AdvocateAppearance.objects.count() == 1


def solicitor_organisation(who):
    from courts.accounts.models import Organisation

    return Organisation.objects.get(pk=who.organisation_id)
