"""One journey in a real browser: sign in, create a case, find it, open it.

Debian's Chromium, driven by Playwright (no browser download). The live server's database is flushed
after the test, so the fixture loads the reference data into it first."""

import datetime as dt

import pytest
from django.core.management import call_command

from courts.accounts.tests.factories import OrganisationFactory, UserFactory, totp_enrol
from courts.cases.models import ProsecutionCase
from courts.cases.tests.factories import COURT_OU, THEFT_FROM_SHOP
from courts.common.clock import court_today
from courts.web.tests.conftest import PASSWORD, enter_security_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/courts-case-page.png"


@pytest.fixture
def site(live_server):
    call_command("load_reference", verbosity=0)
    OrganisationFactory(name="Crown Prosecution Service", prosecuting_authority_code="CPS")
    totp_enrol(UserFactory(username="adviser", first_name="Alex", last_name="Adviser"))
    return live_server.url




def fill_date(page, name: str, value: dt.date) -> None:
    page.locator(f"#{name}-day").fill(str(value.day))
    page.locator(f"#{name}-month").fill(str(value.month))
    page.locator(f"#{name}-year").fill(str(value.year))


def test_sign_in_create_a_case_find_it_and_open_it(site, page):
    from playwright.sync_api import expect

    today = court_today()

    # Signing in: every page asks for it first.
    page.goto(f"{site}/")
    expect(page).to_have_title("Sign in - Courts")
    page.get_by_label("Username").fill("adviser")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Enter your security code - Courts")
    enter_security_code(page)
    expect(page.get_by_text("Signed in as Alex Adviser")).to_be_visible()

    # Creating a case, with a mistake first.
    page.get_by_role("link", name="Create a case").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a case")
    page.get_by_label("Prosecutor").select_option(label="Crown Prosecution Service")
    page.get_by_label("Unique reference number (URN)").fill("01AB12345")
    page.get_by_label("Charge", exact=True).check()
    page.get_by_label("Court centre").select_option(COURT_OU)
    fill_date(page, "hearing_date", today + dt.timedelta(days=7))
    page.get_by_label("First name (optional)").fill("Jane")
    page.get_by_label("Last name").fill("Doe")
    fill_date(page, "date_of_birth", dt.date(1990, 5, 17))
    page.get_by_label("Female").check()
    page.get_by_label("Bail status at charge (optional)").select_option("U")
    page.locator("#offence-0-cjs_code").fill(THEFT_FROM_SHOP)
    page.locator("#offence-0-wording").fill("Stole food to the value of £30 belonging to Shop Ltd")
    fill_date(page, "offence-0-start_date", today - dt.timedelta(days=30))
    page.get_by_role("button", name="Add another offence").click()
    expect(page.locator("#offence-1-cjs_code")).to_be_visible()
    expect(page.locator("#offence-0-cjs_code")).to_have_value(THEFT_FROM_SHOP)
    page.get_by_role("button", name="Create case", exact=True).click()

    expect(page).to_have_title("Error: Create a case - Courts")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript ran
    summary.get_by_role("link", name="Enter a URN of 11 characters").click()
    expect(page.locator("#urn")).to_be_focused()
    page.locator("#urn").fill("01AB1234525")
    page.get_by_role("button", name="Create case", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Case 01AB1234525")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Case 01AB1234525 created")
    assert ProsecutionCase.objects.get().defendants.get().offences.count() == 1

    # Finding it by surname and date of birth, and opening it.
    page.get_by_role("link", name="Find a case").first.click()
    page.get_by_label("Surname, or its start").fill("do")
    fill_date(page, "date_of_birth", dt.date(1990, 5, 17))
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 case found")).to_be_visible()
    assert "surname" not in page.url and "1990" not in page.url
    page.get_by_role("link", name="01AB1234525").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Case 01AB1234525")
    expect(page.locator(".govuk-summary-card__title")).to_have_text("1. Jane Doe")
    expect(page.get_by_text(f"Offence 1: {THEFT_FROM_SHOP} Theft from a shop")).to_be_visible()
    expect(page.get_by_text("Unconditional bail (U)")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Case created")).to_contain_text("Alex Adviser")

    # GOV.UK Frontend's styles, fonts and scripts all loaded.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert "GDS Transport" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert page.evaluate("document.fonts.check('19px \"GDS Transport\"')")
    assert page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
    assert page.problems == []
    page.screenshot(path=SCREENSHOT, full_page=True)
