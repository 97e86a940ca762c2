"""Staff home: each worklist (hearings waiting to be listed, custody time limits, undelivered results,
result amendments to approve) shows the count and first rows of the signed-in person's court centres'
items only; the full worklist pages are narrowed the same way."""

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.urls import reverse

from courts.accounts.enums import StaffRoleKind
from courts.accounts.services import staff_role_grant
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.audit.event_types import EventType
from courts.audit.services import event_record
from courts.cases.enums import IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.services import case_intake
from courts.cases.tests.factories import COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today, now
from courts.custody import selectors as custody
from courts.custody.models import CustodyTimeLimit
from courts.distribution import selectors as distribution
from courts.distribution.enums import DeliveryState, MessageFormat, PartnerKind
from courts.distribution.models import Delivery, Partner
from courts.hearings import selectors as hearings
from courts.hearings.enums import AmendmentStatus
from courts.hearings.models import DefendantResulting, ResultAmendment
from courts.listing import selectors as listing
from courts.listing.models import Hearing
from courts.reference.models import CourtCentre

SYSTEM = Actor.system("staff home test")
# 16 today (session, user, roles, the layout's, two per worklist and the hearings' prefetches), whatever
# the amount of work; a little room for the page's other blocks.
HOME_QUERIES = 20
_asn = itertools.count(610000, 10)


def _centres() -> tuple[CourtCentre, CourtCentre]:
    here = CourtCentre.objects.get(ou_code=COURT_OU)
    there = CourtCentre.objects.filter(jurisdiction=here.jurisdiction).exclude(pk=here.pk).order_by("ou_code").first()
    return here, there


def _case(prosecutor, centre: CourtCentre, urn: str, last_name: str):
    """A case sent to `centre`, with its first hearing waiting to be listed there."""
    offence_date = court_today() - dt.timedelta(days=30)
    intake = CaseIntake(
        urn=urn, initiation_type="C", court_centre_ou_code=centre.ou_code, hearing_date=None,
        defendants=[DefendantIntake(
            kind="person", first_name="Jo", last_name=last_name, date_of_birth=dt.date(1985, 2, 3),
            asn=valid_asn(sequence=next(_asn)), bail_status="B",
            offences=[OffenceIntake(cjs_code=THEFT_FROM_SHOP, wording="Stole food", start_date=offence_date,
                                    charge_date=offence_date + dt.timedelta(days=1))])])
    case = case_intake(intake=intake, prosecutor=prosecutor, actor=SYSTEM, channel=IntakeChannel.API).case
    hearing = Hearing.objects.filter(hearing_defendants__case=case).distinct().get()
    return case, hearing, case.defendants.get()


def _ctl(defendant, days_left: int) -> CustodyTimeLimit:
    return CustodyTimeLimit.objects.create(
        offence=defendant.offences.get(), defendant=defendant, running=True, stage="summary", limit_days=56,
        expiry=court_today() + dt.timedelta(days=days_left), explanation="56 days from first appearance",
        computed_at=now())


def _dead_delivery(partner: Partner, hearing: Hearing, case) -> Delivery:
    with transaction.atomic():
        event = event_record(type=EventType.RESULTS_SHARED, actor=SYSTEM, summary="Results shared", case_id=case.id)
    return Delivery.objects.create(
        partner=partner, event=event, case_id=case.id, hearing_id=hearing.id, content_type="application/json",
        body="{}", state=DeliveryState.DEAD, attempts=12, next_attempt_at=now(),
        deadline=now() - dt.timedelta(hours=1), created_at=now() - dt.timedelta(hours=2))


def _amendment(hearing: Hearing, defendant, asked_by) -> ResultAmendment:
    resulting = DefendantResulting.objects.create(hearing=hearing, defendant=defendant, case=defendant.case,
                                                  share_count=1, shared_at=now(), shared_by="Someone")
    return ResultAmendment.objects.create(
        resulting=resulting, reason=f"Wrong fine for {defendant.last_name}", proposed={}, base_share_number=1,
        requested_by=asked_by.get_full_name(), requested_by_user_id=asked_by.pk, requested_at=now())


@pytest.fixture
def world(db):
    """Two court centres, each with work; the adviser and a colleague work at the first only."""
    here, there = _centres()
    prosecutor = OrganisationFactory(name="Home CPS", prosecuting_authority_code="HCPS")
    adviser = UserFactory(username="home-adviser", first_name="Ada", last_name="Adviser", national_access=False)
    colleague = UserFactory(username="home-colleague", first_name="Col", last_name="League", national_access=False)
    for person in (adviser, colleague):
        staff_role_grant(user=person, court_centre=here, role=StaffRoleKind.LEGAL_ADVISER, actor=SYSTEM)
    mine1 = _case(prosecutor, here, "01HM1111125", "Hereone")
    mine2 = _case(prosecutor, here, "01HM2222225", "Heretwo")
    theirs = _case(prosecutor, there, "01HM3333325", "Thereone")
    partner = Partner.objects.create(name="Home prisons", kind=PartnerKind.PRISON,
                                     format=MessageFormat.PRISON_COURT_REGISTER, url="https://prison.example/",
                                     created_at=now())
    _ctl(mine1[2], 10)
    _ctl(theirs[2], 3)
    _dead_delivery(partner, mine1[1], mine1[0])
    _dead_delivery(partner, theirs[1], theirs[0])
    amendments = {
        "colleague_here": _amendment(mine1[1], mine1[2], colleague),
        "mine_here": _amendment(mine2[1], mine2[2], adviser),
        "colleague_there": _amendment(theirs[1], theirs[2], colleague),
    }
    return {"here": here, "there": there, "adviser": adviser, "colleague": colleague, "mine1": mine1,
            "mine2": mine2, "theirs": theirs, "amendments": amendments, "prosecutor": prosecutor}


def _count(html: str, element_id: str) -> int:
    marker = f'id="{element_id}">'
    start = html.index(marker) + len(marker)
    return int(html[start:html.index("<", start)])


def test_given_work_at_two_centres_when_an_adviser_opens_home_then_each_worklist_shows_their_centre_only(
        client, world):
    client.force_login(world["adviser"])
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _count(html, "unallocated-count") == 2
    assert _count(html, "ctl-count") == 1
    assert _count(html, "home-undelivered-count") == 1
    assert _count(html, "amendments-count") == 1
    assert '<strong id="undelivered-count">1</strong>' in html
    mine1, mine2, theirs = world["mine1"], world["mine2"], world["theirs"]
    assert mine1[0].urn in html and mine2[0].urn in html and theirs[0].urn not in html
    assert f'id="home-hearing-{mine1[1].id}"' in html and f'id="home-hearing-{theirs[1].id}"' not in html
    assert f'id="home-ctl-{mine1[2].offences.get().id}"' in html
    assert reverse("web:listing-worklist", kwargs={"ou_code": world["here"].ou_code}) in html
    assert reverse("web:listing-worklist", kwargs={"ou_code": world["there"].ou_code}) not in html
    amendments = world["amendments"]
    # The colleague's amendment here is offered; the adviser's own is not, nor one at the other centre.
    assert f'id="amendment-{amendments["colleague_here"].id}"' in html
    assert f'id="amendment-{amendments["mine_here"].id}"' not in html
    assert f'id="amendment-{amendments["colleague_there"].id}"' not in html
    assert reverse("web:court-amendments") in html and reverse("web:ctl-worklist") in html
    assert reverse("web:deliveries-undelivered") in html
    # A legal adviser administers nothing: no link to the roles page.
    assert reverse("web:court-administration-roles") not in html


def test_given_national_staff_when_they_open_home_then_they_see_every_centre(client, world):
    client.force_login(UserFactory(username="home-national", national_access=True))
    html = client.get(reverse("web:home")).content.decode()
    assert _count(html, "unallocated-count") >= 3 and world["theirs"][0].urn in html
    assert _count(html, "ctl-count") == 2
    assert _count(html, "home-undelivered-count") == 2
    assert _count(html, "amendments-count") == 3


def test_the_colleague_is_offered_the_advisers_amendment_and_not_their_own(client, world):
    client.force_login(world["colleague"])
    html = client.get(reverse("web:home")).content.decode()
    amendments = world["amendments"]
    assert _count(html, "amendments-count") == 1
    assert f'id="amendment-{amendments["mine_here"].id}"' in html
    assert f'id="amendment-{amendments["colleague_here"].id}"' not in html


def test_someone_outside_the_court_sees_no_worklists(client, world):
    client.force_login(UserFactory(username="home-cps", organisation=world["prosecutor"]))
    response = client.get(reverse("web:home"))
    assert response.status_code == 200 and 'id="staff-worklists"' not in response.content.decode()


def test_the_home_page_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world["adviser"])
    with django_assert_max_num_queries(HOME_QUERIES):
        first = client.get(reverse("web:home"))
    assert first.status_code == 200
    # More work at the adviser's centre costs no more queries.
    for n in range(6):
        case, hearing, defendant = _case(world["prosecutor"], world["here"], f"01HM5{n}00025", f"More{n}")
        _ctl(defendant, n)
        _amendment(hearing, defendant, world["colleague"])
    with django_assert_max_num_queries(HOME_QUERIES):
        again = client.get(reverse("web:home"))
    html = again.content.decode()
    assert _count(html, "unallocated-count") == 8 and _count(html, "amendments-count") == 7
    assert "The first 5 of 8" in html


def test_the_ctl_worklist_page_shows_only_the_advisers_centres(client, world):
    client.force_login(world["adviser"])
    response = client.get(reverse("web:ctl-worklist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world["mine1"][0].urn in html and world["theirs"][0].urn not in html
    # Another centre cannot be chosen (nor is it offered).
    chosen = client.get(reverse("web:ctl-worklist"), {"court_centre": world["there"].ou_code})
    assert chosen.status_code == 422 and "govuk-error-summary" in chosen.content.decode()
    assert world["theirs"][0].urn not in chosen.content.decode()
    here = client.get(reverse("web:ctl-worklist"), {"court_centre": world["here"].ou_code})
    assert here.status_code == 200 and world["mine1"][0].urn in here.content.decode()


def test_the_undelivered_page_shows_only_the_advisers_centres(client, world):
    client.force_login(world["adviser"])
    html = client.get(reverse("web:deliveries-undelivered")).content.decode()
    mine = Delivery.objects.get(hearing_id=world["mine1"][1].id)
    theirs = Delivery.objects.get(hearing_id=world["theirs"][1].id)
    assert f'id="delivery-{mine.id}"' in html and f'id="delivery-{theirs.id}"' not in html


def test_the_amendments_page_offers_others_amendments_and_lists_ones_own_apart(client, world):
    client.force_login(world["adviser"])
    response = client.get(reverse("web:court-amendments"))
    assert response.status_code == 200
    html = response.content.decode()
    amendments = world["amendments"]
    colleague_here, mine_here = amendments["colleague_here"], amendments["mine_here"]
    review = (reverse("web:court-resulting", kwargs={"hearing_id": world["mine1"][1].id})
              + f"#defendant-{world['mine1'][2].id}")
    assert review in html
    assert f'id="amendment-{colleague_here.id}"' in html and f'id="amendment-{mine_here.id}"' in html
    assert f'id="amendment-{amendments["colleague_there"].id}"' not in html
    # One's own amendment is listed under "Asked for by you", with no link to review it.
    assert html.index(f'id="amendment-{mine_here.id}"') > html.index("Asked for by you")
    assert reverse("web:court-resulting", kwargs={"hearing_id": world["mine2"][1].id}) not in html


def test_the_amendments_page_is_court_staffs(client, world):
    client.force_login(UserFactory(username="amend-cps", organisation=world["prosecutor"]))
    assert client.get(reverse("web:court-amendments")).status_code == 403


# --- The selectors' court centre filter ---------------------------------------------------------------


def test_the_selectors_filter_by_court_centre_and_keep_their_old_callers(world):
    here, there = world["here"], world["there"]
    assert {h.id for h in listing.unallocated_worklist(court_centre=here)} == {world["mine1"][1].id,
                                                                              world["mine2"][1].id}
    assert [h.id for h in listing.unallocated_worklist(court_centre_ids=[there.pk])] == [world["theirs"][1].id]
    assert listing.unallocated_worklist(court_centre_ids=[]) == []
    assert len(listing.unallocated_worklist(court_centre_ids=[here.pk], limit=1)) == 1
    assert listing.unallocated_counts(court_centre_ids=[here.pk, there.pk]) == sorted(
        [{"ou_code": here.ou_code, "name": here.name, "count": 2},
         {"ou_code": there.ou_code, "name": there.name, "count": 1}], key=lambda row: row["name"])

    assert len(custody.ctl_worklist()) == 2 and custody.ctl_worklist_count() == 2
    assert [r.ctl.defendant_id for r in custody.ctl_worklist(court_centre_ids=[here.pk])] == [world["mine1"][2].id]
    assert custody.ctl_worklist_count(court_centre_ids=[there.pk]) == 1
    assert [r.ctl.defendant_id for r in custody.ctl_worklist(court_centre_id=there.pk)] == [world["theirs"][2].id]

    assert len(distribution.undelivered_worklist()) == 2 and distribution.undelivered_count() == 2
    assert [d.hearing_id for d in distribution.undelivered_worklist(court_centre_ids=[there.pk])] == [
        world["theirs"][1].id]
    assert distribution.undelivered_count(court_centre_ids=[here.pk]) == 1
    assert distribution.undelivered_count(court_centre_ids=[]) == 0

    adviser = world["adviser"]
    assert hearings.amendments_awaiting_approval_count() == 3
    assert [a.id for a in hearings.amendments_awaiting_approval(court_centre_ids=[here.pk],
                                                                approver_user_id=adviser.pk)] == [
        world["amendments"]["colleague_here"].id]
    assert [a.id for a in hearings.amendments_asked_for_by(user_id=adviser.pk)] == [world["amendments"]["mine_here"].id]
    ResultAmendment.objects.filter(pk=world["amendments"]["colleague_here"].pk).update(status=AmendmentStatus.APPROVED)
    assert hearings.amendments_awaiting_approval_count(court_centre_ids=[here.pk], approver_user_id=adviser.pk) == 0
