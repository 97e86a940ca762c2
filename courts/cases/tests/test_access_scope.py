"""Case access per court centre and per role (docs/access.md "Case access"): court staff and the judiciary
see their centres' cases and the cases listed there, the judiciary record nothing, partner agencies see
the defendants their role needs, and the hearing APIs show the defence only its own defendants."""

import datetime as dt

import pytest
from django.urls import reverse

from courts.accounts.enums import JudicialOfficeKind, OrganisationKind, StaffRoleKind
from courts.accounts.services import (
    actor_for_user,
    api_token_create,
    judicial_office_grant,
    organisation_get_or_create,
    staff_role_grant,
)
from courts.accounts.tests.factories import UserFactory
from courts.audit.models import AccessLogEntry
from courts.cases.selectors import case_get_for_actor, case_queryset_for_actor, defendant_queryset_for_actor
from courts.cases.tests.factories import COURT_OU
from courts.common.actor import Actor
from courts.common.errors import NotFound, PermissionDenied
from courts.distribution.tests.test_outbox import share_fine
from courts.distribution.tests.test_pcr import imprison
from courts.hearings.services import results_draft_save
from courts.hearings.tests.factories import court_day, listed_case
from courts.listing.tests.factories import room, sitting
from courts.reference.models import CourtCentre

SYSTEM = Actor.system("test")
OTHER_OU = "B01IX00"  # another magistrates' court


@pytest.fixture
def centres(db):
    return CourtCentre.objects.get(ou_code=COURT_OU), CourtCentre.objects.get(ou_code=OTHER_OU)


def staff_at(centre, role=StaffRoleKind.LEGAL_ADVISER, username="adviser-here"):
    user = UserFactory(username=username, national_access=False)
    staff_role_grant(user=user, court_centre=centre, role=role, actor=SYSTEM)
    return user


def judge_at(centre):
    user = UserFactory(username="dj-here", national_access=False)
    judicial_office_grant(user=user, kind=JudicialOfficeKind.DISTRICT_JUDGE, court_centres=[centre], actor=SYSTEM)
    return user


def person_of(kind, name, area=()):
    organisation = organisation_get_or_create(name=name, kind=kind, actor=SYSTEM)[0]
    organisation.court_centres.set(area)
    return UserFactory(username=name.lower().replace(" ", "-"), organisation=organisation)


def test_court_staff_see_their_centres_cases_and_cases_listed_there_only(centres):
    here, there = centres
    at_here, _ = listed_case(urn="01AA1111125")
    listed_there, _ = listed_case(urn="01AA2222225", asn_base=510000,
                                  the_sitting=sitting(room("Court 1", ou=OTHER_OU), court_day(), capacity_minutes=600))
    # Both were sent to Lavender Hill; one is listed at the other court, whose staff see only that one.
    actor = actor_for_user(staff_at(here))
    assert set(case_queryset_for_actor(actor=actor)) == {at_here, listed_there}
    outsider = actor_for_user(staff_at(there, username="adviser-there"))
    assert set(case_queryset_for_actor(actor=outsider)) == {listed_there}
    with pytest.raises(NotFound):
        case_get_for_actor(actor=outsider, case_id=at_here.id)
    # A national team and the operator see everything.
    national = actor_for_user(UserFactory(username="national"))
    assert set(case_queryset_for_actor(actor=national)) == {at_here, listed_there}
    assert national.national and not actor.national and not outsider.national


def test_a_person_without_roles_sees_no_case(centres):
    listed_case()
    actor = actor_for_user(UserFactory(username="newcomer", national_access=False))
    assert actor.is_court_staff and not case_queryset_for_actor(actor=actor).exists()


def test_court_staff_of_another_centre_cannot_result_or_open_the_hearing(client, centres):
    here, there = centres
    case, hearing = listed_case()
    defendant = case.defendants.get()
    outsider = actor_for_user(staff_at(there, username="adviser-there"))
    with pytest.raises(PermissionDenied, match="this hearing's court"):
        results_draft_save(hearing=hearing, defendant=defendant, draft={}, expected_version=1, actor=outsider)
    client.force_login(staff_at(there, username="adviser-there-2"))
    assert client.get(reverse("web:court-resulting", args=[hearing.id])).status_code == 404
    assert client.get(reverse("web:case-detail", args=[case.id])).status_code == 404
    assert client.get(reverse("web:listing-centre", args=[COURT_OU])).status_code == 404
    client.force_login(staff_at(here))
    assert client.get(reverse("web:court-resulting", args=[hearing.id])).status_code == 200


def test_the_judiciary_read_their_centres_cases_and_record_nothing(client, centres):
    here, _ = centres
    case, hearing = listed_case()
    judge = judge_at(here)
    actor = actor_for_user(judge)
    assert actor.is_judiciary and not actor.is_court_staff
    assert case_get_for_actor(actor=actor, case_id=case.id) == case
    with pytest.raises(PermissionDenied):
        results_draft_save(hearing=hearing, defendant=case.defendants.get(), draft={}, expected_version=1,
                           actor=actor)
    client.force_login(judge)
    assert client.get(reverse("web:case-detail", args=[case.id])).status_code == 200
    assert client.get(reverse("web:court-resulting", args=[hearing.id])).status_code == 403
    # The judiciary are not the court staff of the case: their view is in the access log.
    assert AccessLogEntry.objects.filter(case_id=case.id, user_id=judge.pk).count() == 1


def test_probation_sees_defendants_with_shared_results_in_its_area_only(centres):
    here, there = centres
    shared_case, hearing = share_fine()
    # In the area, nothing shared.
    listed_case(urn="01AA3333325", asn_base=520000, the_sitting=hearing.hearing_days.get().sitting)
    in_area = actor_for_user(person_of(OrganisationKind.PROBATION, "Probation South", [here]))
    elsewhere = actor_for_user(person_of(OrganisationKind.PROBATION, "Probation North", [there]))
    assert set(case_queryset_for_actor(actor=in_area)) == {shared_case}
    assert not case_queryset_for_actor(actor=elsewhere).exists()


def test_police_see_cases_listed_in_their_area_and_yot_only_the_youths(centres):
    here, _ = centres
    adult, hearing = listed_case(urn="01AA4444425")
    youth_born = court_day() - dt.timedelta(days=16 * 365)
    youth, _ = listed_case(urn="01AA5555525", asn_base=530000, date_of_birth=youth_born,
                           the_sitting=hearing.hearing_days.get().sitting)
    police = actor_for_user(person_of(OrganisationKind.POLICE, "Met Police", [here]))
    yot = actor_for_user(person_of(OrganisationKind.YOT, "Wandsworth YOT", [here]))
    assert set(case_queryset_for_actor(actor=police)) == {adult, youth}
    assert set(case_queryset_for_actor(actor=yot)) == {youth}


def test_a_prison_sees_the_defendants_committed_to_it(centres):
    case, _, defendant = imprison(prison="HMP Brixton")
    brixton = actor_for_user(person_of(OrganisationKind.PRISON, "HMP Brixton"))
    belmarsh = actor_for_user(person_of(OrganisationKind.PRISON, "HMP Belmarsh"))
    assert list(defendant_queryset_for_actor(actor=brixton)) == [defendant]
    assert not case_queryset_for_actor(actor=belmarsh).exists()


def test_the_hearing_api_shows_the_defence_its_own_defendant_not_the_co_defendant(client, centres):
    from courts.defence.services import representation_associate

    case, hearing = listed_case(defendants=2)
    ours, theirs = case.defendants.order_by("sequence")
    firm = person_of(OrganisationKind.DEFENCE, "Scope Solicitors")
    representation_associate(urn=case.urn, surname=ours.last_name, date_of_birth=ours.date_of_birth,
                             actor=actor_for_user(firm))
    token = api_token_create(organisation=firm.organisation, name="case system", actor=SYSTEM)[1]
    body = client.get(f"/api/v1/hearings/{hearing.id}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    shown = [d["id"] for c in body["prosecutionCases"] for d in c["defendants"]]
    assert shown == [str(ours.id)]
    assert theirs.last_name not in str(body)


def test_only_a_court_administrator_of_the_case_court_reads_its_access_log(client, centres):
    here, there = centres
    case, _ = listed_case()
    url = reverse("web:case-access-log", args=[case.id])
    client.force_login(staff_at(here))
    assert client.get(url).status_code == 403
    client.force_login(staff_at(here, role=StaffRoleKind.COURT_ADMINISTRATOR, username="admin-here"))
    assert client.get(url).status_code == 200
    client.force_login(staff_at(there, role=StaffRoleKind.COURT_ADMINISTRATOR, username="admin-there"))
    assert client.get(url).status_code == 404


def test_a_local_agencys_subscription_hears_only_of_what_its_role_sees(centres):
    # The subscription feed follows the same decision as the pages (courts.distribution.subscriptions).
    from types import SimpleNamespace

    from courts.distribution.models import Partner
    from courts.distribution.subscriptions import _visible

    here, there = centres
    case, hearing = share_fine()
    share = SimpleNamespace(hearing=hearing)
    in_area = person_of(OrganisationKind.PROBATION, "Probation South", [here]).organisation
    elsewhere = person_of(OrganisationKind.PROBATION, "Probation North", [there]).organisation
    national = organisation_get_or_create(name="HMPPS", kind=OrganisationKind.PARTNER, actor=SYSTEM)[0]
    assert _visible(share, Partner(organisation=in_area)) == {case.id}
    assert _visible(share, Partner(organisation=elsewhere)) == set()
    assert _visible(share, Partner(organisation=national)) is None
