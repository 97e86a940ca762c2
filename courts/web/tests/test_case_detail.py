import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courts.audit.models import Event
from courts.cases.services import offence_withdraw
from courts.common.actor import Actor
from courts.web.tests.conftest import make_case

pytestmark = pytest.mark.django_db


def page(case) -> str:
    return reverse("web:case-detail", kwargs={"case_id": case.id})


def test_the_case_page_shows_the_case_its_defendant_and_offence(staff_client, case):
    # when
    html = staff_client.get(page(case)).content.decode()
    # then
    defendant = case.defendants.get()
    assert "<title>Case 01AB1234525 - Courts</title>" in html
    assert "Crown Prosecution Service (CPS)" in html
    assert "<dd class=\"govuk-summary-list__value\">Charge</dd>" in html
    assert '<strong class="govuk-tag">Active</strong>' in html
    assert "Lavender Hill Magistrates&#x27; Court (B01LY00)" in html
    assert "<dd class=\"govuk-summary-list__value\">Not known</dd>" in html  # anticipated plea
    assert "<dd class=\"govuk-summary-list__value\">None</dd>" in html  # reporting restrictions
    assert "Jane Doe" in html
    assert defendant.asn in html
    assert "2004/0046583U" in html
    assert "17 May 1990" in html
    assert "1 High Street<br>London<br>SW11 1JU" in html
    assert "Conditional bail (B)" in html
    assert "Not to enter Clapham Junction station" in html
    assert "Offence 1: TH68010 Theft from a shop" in html
    assert "Either way" in html
    assert "stole food to the value of £30" in html


def test_a_withdrawn_offence_shows_its_reason(staff_client, case):
    offence = case.defendants.get().offences.get()
    offence_withdraw(offence=offence, actor=Actor(label="Clerk", is_court_staff=True, national=True),
                     expected_version=case.version, reason="No evidence offered")
    html = staff_client.get(page(case)).content.decode()
    assert "Withdrawn</strong>" in html
    assert "Reason: No evidence offered" in html
    assert reverse("web:offence-withdraw", kwargs={"case_id": case.id, "offence_id": offence.id}) not in html


def test_the_timeline_lists_who_did_what_newest_first_in_london_time(staff_client, case):
    # given: the case was created in winter; an amendment happened in summer (BST)
    Event.objects.filter(case_id=case.id).update(occurred_at=dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.UTC))
    offence = case.defendants.get().offences.get()
    offence_withdraw(offence=offence, actor=Actor(label="Sam Clerk", is_court_staff=True, national=True),
                     expected_version=case.version, reason="No evidence offered")
    Event.objects.filter(type="case.offence_withdrawn").update(
        occurred_at=dt.datetime(2026, 7, 1, 13, 5, tzinfo=dt.UTC))
    # when
    html = staff_client.get(page(case)).content.decode()
    # then
    history = html[html.index('id="history"'):]
    assert history.index("Offence withdrawn") < history.index("Case created")
    assert '<time datetime="2026-07-01T14:05:00+01:00">1 July 2026 at 2:05pm</time>' in history
    assert '<time datetime="2026-01-10T09:30:00+00:00">10 January 2026 at 9:30am</time>' in history
    assert "Sam Clerk" in history
    assert "Test clerk" in history
    assert "Case 01AB1234525 created" in history


def test_the_case_page_costs_the_same_queries_however_many_offences(staff_client, prosecutor,
                                                                    django_assert_max_num_queries):
    # given
    small = make_case(prosecutor=prosecutor, urn="01AB1234525", defendants=1, offences=1)
    big = make_case(prosecutor=prosecutor, urn="01AB1234526", defendants=3, offences=3, asn_sequence=500000)
    staff_client.get(page(small))  # the session's first write is not the page's cost
    with CaptureQueriesContext(connection) as one_by_one:
        staff_client.get(page(small))
    # when / then
    # + custody time limits and remand statuses, + court roles, + the case's reporting restrictions
    with django_assert_max_num_queries(14):
        response = staff_client.get(page(big))
    assert response.content.decode().count('class="govuk-summary-card__title"') == 3
    assert response.content.decode().count('" id="offence-') == 9
    with CaptureQueriesContext(connection) as three_by_three:
        staff_client.get(page(big))
    assert len(three_by_three) == len(one_by_one), [q["sql"][:120] for q in three_by_three.captured_queries]


def test_another_prosecutors_case_is_not_found(client, case, other_prosecutor):
    # given: a person from another prosecutor
    from courts.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(organisation=other_prosecutor))
    # when
    response = client.get(page(case))
    # then
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found - Courts</title>" in html
    assert "01AB1234525" not in html


def test_a_case_that_does_not_exist_is_not_found(staff_client):
    response = staff_client.get(reverse("web:case-detail", kwargs={"case_id": uuid.uuid4()}))
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.content.decode()


def test_a_prosecutor_sees_its_own_case_without_the_means_to_change_it(prosecutor_client, case):
    html = prosecutor_client.get(page(case)).content.decode()
    assert "Jane Doe" in html
    assert "Change details" not in html
    assert "Withdraw" not in html
