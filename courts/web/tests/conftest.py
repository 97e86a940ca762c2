"""People, prosecutors and cases for the page tests."""

import datetime as dt
import os

import pytest

from courts.accounts.enums import OrganisationKind
from courts.accounts.tests.factories import OrganisationFactory, UserFactory
from courts.cases.enums import IntakeChannel
from courts.cases.intake import CaseIntake, DefendantIntake, OffenceIntake
from courts.cases.models import ProsecutionCase
from courts.cases.services import case_intake
from courts.cases.tests.factories import COMMON_ASSAULT, COURT_OU, THEFT_FROM_SHOP, valid_asn
from courts.common.actor import Actor
from courts.common.clock import court_today

PASSWORD = "correct horse battery staple"
FIRST_NAMES = ["Jane", "John", "Sam", "Priya", "Owen"]


@pytest.fixture
def prosecutor(db):
    return OrganisationFactory(name="Crown Prosecution Service", prosecuting_authority_code="CPS")


@pytest.fixture
def staff_user(db):
    return UserFactory(username="adviser", first_name="Alex", last_name="Adviser")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def prosecutor_client(client, prosecutor):
    """A person from the prosecutor's own organisation: sees its cases, changes none here."""
    client.force_login(UserFactory(username="cps-lawyer", organisation=prosecutor))
    return client


def make_case(*, prosecutor, urn: str = "01AB1234525", defendants: int = 1, offences: int = 1,
              last_name: str = "Doe", asn_sequence: int = 448754,
              hearing_date: dt.date | None = None) -> ProsecutionCase:
    """A case made through the intake service, as a prosecutor's system would send it: the first
    defendant is Jane <last_name>, the others John, Sam... <last_name>-Brown, -Green..."""
    today = court_today()
    intake = CaseIntake(
        urn=urn,
        initiation_type="C",
        court_centre_ou_code=COURT_OU,
        hearing_date=hearing_date or today + dt.timedelta(days=7),
        defendants=[
            DefendantIntake(
                kind="person",
                first_name=FIRST_NAMES[d % len(FIRST_NAMES)],
                last_name=last_name if d == 0 else f"{last_name}-{['Brown', 'Green', 'Grey', 'White'][(d - 1) % 4]}",
                date_of_birth=dt.date(1990, 5, 17),
                gender="FEMALE",
                address_lines=["1 High Street", "London"],
                postcode="SW11 1JU",
                asn=valid_asn(sequence=asn_sequence + d),
                pnc_id="2004/0046583U",
                bail_status="B",
                bail_conditions="Not to enter Clapham Junction station",
                offences=[
                    OffenceIntake(
                        cjs_code=THEFT_FROM_SHOP if o % 2 == 0 else COMMON_ASSAULT,
                        wording=f"Offence {o + 1}: stole food to the value of £30 belonging to Shop Ltd",
                        start_date=today - dt.timedelta(days=30),
                        charge_date=today - dt.timedelta(days=29),
                    )
                    for o in range(offences)
                ],
            )
            for d in range(defendants)
        ],
    )
    actor = Actor(label="Test clerk", is_court_staff=True, national=True)
    return case_intake(intake=intake, prosecutor=prosecutor, actor=actor, channel=IntakeChannel.API).case


@pytest.fixture
def case(prosecutor):
    return make_case(prosecutor=prosecutor)


@pytest.fixture
def other_prosecutor(db):
    return OrganisationFactory(name="Transport for London", prosecuting_authority_code="TFL",
                               kind=OrganisationKind.PROSECUTOR)


# Browser tests: Debian's Chromium driven by Playwright (no browser download). Playwright's sync API
# runs an event loop in the test thread, which Django would otherwise refuse to run ORM calls from.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def enter_security_code(page) -> None:
    """The second step of a staff sign-in in the browser: the user was enrolled with `totp_enrol`."""
    from courts.accounts.tests.factories import totp_code_now

    # Signing in replaces the session: let the code page's own requests (its fonts) finish first, or
    # they would find their session gone (a 400 for a font, which the tests count as a problem).
    page.locator("#code").wait_for()
    page.wait_for_load_state("networkidle")
    page.locator("#code").fill(totp_code_now())
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        # Console errors, but not Chromium's note on a 4xx document: a form re-rendered with its
        # errors is a 422 page, which is expected; failed sub-resources are caught below.
        page.on("console", lambda message: message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and page.problems.append(message.text))
        page.on("requestfailed", lambda request: page.problems.append(f"failed {request.url}"))
        page.on("response", lambda response: response.status >= 400 and response.request.resource_type != "document"
                and page.problems.append(f"{response.status} {response.url}"))
        yield page
        context.close()
        browser.close()
