"""The defence in a real browser: a solicitor signs in, associates with a defendant by URN, surname and
date of birth, checks in to the defendant's hearing and reads the results the court shared.

Debian's Chromium, driven by Playwright. The live server's database is flushed after the test, so the
fixture loads the reference data into it first; the court's side (listing, resulting, sharing) is done
through the services, as a legal adviser's pages would."""

import pytest
from django.core.management import call_command

from courts.defence.tests.factories import firm, person
from courts.hearings.models import AdvocateAppearance, DefendantResulting
from courts.hearings.services import results_draft_save, results_share
from courts.hearings.tests.factories import CLERK, listed_case
from courts.web.tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/courts-defence.png"


@pytest.fixture
def shared_case(live_server):
    """Jo Doe's case listed tomorrow (or the next working day), fined £200 with the results shared."""
    call_command("load_reference", verbosity=0)
    case, hearing = listed_case()
    defendant = case.defendants.get()
    offence = defendant.offences.get()
    draft = {"offences": {str(offence.id): {"notepad": "plea=G FO 200 FCPC 85 FVS"}}, "defendant": {}}
    resulting, work = results_draft_save(hearing=hearing, defendant=defendant, draft=draft, expected_version=1,
                                         actor=CLERK)
    assert work.can_share, [c.message for c in work.errors]
    results_share(hearing=hearing, defendant=defendant, expected_version=resulting.version, actor=CLERK)
    assert DefendantResulting.objects.get(hearing=hearing).shared_at is not None
    person(firm(), username="solicitor", first_name="Dana", last_name="Defender")
    return {"url": live_server.url, "case": case, "hearing": hearing}


def test_a_solicitor_associates_checks_in_and_reads_the_results(shared_case, page):
    from playwright.sync_api import expect

    site = shared_case["url"]
    page.goto(f"{site}/sign-in/?next=/defence/")
    page.get_by_label("Username").fill("solicitor")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cases")

    # A wrong guess first: the error summary, and nothing revealed.
    page.get_by_role("link", name="Associate with a defendant").click()
    page.get_by_label("Unique reference number (URN)").fill("01AB1234525")
    page.get_by_label("Defendant's surname").fill("Smith")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("1985")
    page.get_by_role("button", name="Associate").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("No defendant matches these details")
    expect(page).to_have_title("Error: Associate with a defendant - Courts")

    # The right details: on record, and the defendant's page.
    page.get_by_label("Defendant's surname").fill("Doe")
    page.get_by_role("button", name="Associate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo Doe")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You are on record for Jo Doe")

    # Check in to the hearing.
    page.get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in to the hearing")
    page.get_by_label("Advocate's name").fill("Dana Defender")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#check-ins")).to_contain_text("Dana Defender (Smith & Co Solicitors)")
    appearance = AdvocateAppearance.objects.get()
    assert appearance.role == "DEFENCE" and appearance.hearing_id == shared_case["hearing"].id

    # The shared results, read-only.
    results = page.locator("#results + table")
    expect(results).to_contain_text("Fine")
    expect(results).to_contain_text("200.00")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert page.problems == []
