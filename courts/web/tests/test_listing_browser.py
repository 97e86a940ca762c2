"""The court diary in a real browser, by keyboard only (Tab, Enter, Space, arrows and typing): open the
worklist, list two hearings into a sitting, see them in the diary, move the first one down, vacate it.

Debian's Chromium, driven by Playwright (no browser download). The live server's database is flushed
after the test, so the fixture loads the reference data into it first."""

import datetime as dt

import pytest
from django.core.management import call_command

from courts.accounts.tests.factories import OrganisationFactory, UserFactory, totp_enrol
from courts.cases.tests.factories import COURT_OU
from courts.common.actor import Actor
from courts.common.clock import court_today
from courts.listing.enums import HearingStatus, JudiciaryType, Session, SittingKind
from courts.listing.models import Hearing, HearingDay, Sitting
from courts.listing.services import SittingSpec, court_room_create, sitting_create
from courts.reference.calendar import next_working_day
from courts.reference.models import CourtCentre
from courts.web.tests.conftest import PASSWORD, enter_security_code, make_case

# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still synchronous.

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/courts-diary.png"
OFFICER = Actor(label="Court administrator", is_court_staff=True, national=True)


@pytest.fixture
def court_day(live_server):
    """Lavender Hill with two rooms sitting on a day a fortnight ahead, and two hearings waiting."""
    call_command("load_reference", verbosity=0)
    prosecutor = OrganisationFactory(name="Crown Prosecution Service", prosecuting_authority_code="CPS")
    totp_enrol(UserFactory(username="officer", first_name="Lee", last_name="Officer"))
    doe = make_case(prosecutor=prosecutor, urn="01AB1234500", last_name="Doe", asn_sequence=400000)
    smith = make_case(prosecutor=prosecutor, urn="01AB1234501", last_name="Smith", asn_sequence=401000)
    day = next_working_day(court_today() + dt.timedelta(days=14))
    centre = CourtCentre.objects.get(ou_code=COURT_OU)
    one = court_room_create(court_centre=centre, name="Courtroom 1", actor=OFFICER)
    two = court_room_create(court_centre=centre, name="Courtroom 2", actor=OFFICER)
    bench = dict(kind=SittingKind.ADULT, judiciary_type=JudiciaryType.BENCH, capacity_minutes=180,
                 judiciary=["Mrs A Chair", "Mr B Winger", "Ms C Winger"])
    morning = sitting_create(court_room=one, date=day, actor=OFFICER,
                             spec=SittingSpec(session=Session.MORNING, **bench))
    sitting_create(court_room=one, date=day, actor=OFFICER, spec=SittingSpec(session=Session.AFTERNOON, **bench))
    sitting_create(court_room=two, date=day, actor=OFFICER,
                   spec=SittingSpec(session=Session.ALL_DAY, kind=SittingKind.CUSTODY, capacity_minutes=300,
                                    judiciary_type=JudiciaryType.DISTRICT_JUDGE, judiciary=["DJ Khan"]))
    hearings = {
        "doe": Hearing.objects.get(hearing_defendants__case=doe),
        "smith": Hearing.objects.get(hearing_defendants__case=smith),
    }
    assert all(h.status == HearingStatus.UNALLOCATED for h in hearings.values())
    return {"url": live_server.url, "day": day, "morning": morning, **hearings}




FOCUSED_TEXT = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  return (e.textContent || e.value || "").replace(/\\s+/g, " ").trim();
}"""

# GOV.UK Frontend shows focus with a yellow outline or a box shadow.
FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
}"""


def tab_to(page, text: str, *, backwards: bool = False, limit: int = 250) -> None:
    """Press Tab (or Shift+Tab) until the focused link, button or field's text starts with `text`; its
    focus must show."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(FOCUSED_TEXT).startswith(text):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"{text!r} has focus that cannot be seen"
            return
    raise AssertionError(f"Tab never reached {text!r}")


def tab_to_field(page, element_id: str, *, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            assert page.evaluate(FOCUS_IS_VISIBLE)
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def show_sittings_on(page, day: dt.date) -> None:
    """On the list page: type the date into the day, month and year boxes, then press Enter."""
    tab_to_field(page, "list_date-day")
    page.keyboard.type(str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**list_date-day={day.day}&*")


def diary_order(morning: Sitting) -> list:
    return list(HearingDay.objects.filter(sitting=morning).order_by("list_order").values_list("hearing_id", flat=True))


def test_a_listing_officer_works_the_diary_by_keyboard(court_day, page):
    from playwright.sync_api import expect

    site, day, morning = court_day["url"], court_day["day"], court_day["morning"]
    doe, smith = court_day["doe"], court_day["smith"]
    heading = f"Court diary: {day:%A} {day.day} {day:%B %Y}"

    page.goto(f"{site}/sign-in/?next=/listing/{COURT_OU}/worklist/")
    page.get_by_label("Username").fill("officer")
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    enter_security_code(page)

    # The worklist: both hearings wait. List Jane Doe's into Courtroom 1's morning.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hearings waiting to be listed")
    tab_to(page, "List 01AB1234500 Jane Doe")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("List a hearing")
    show_sittings_on(page, day)
    expect(page.get_by_role("heading", level=2, name=f"Sittings on {day:%A} {day.day} {day:%B %Y}")).to_be_visible()
    tab_to(page, "List here in Courtroom 1, morning")
    page.keyboard.press("Space")

    # The diary, with the outcome announced.
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "01AB1234500 Jane Doe listed in Courtroom 1")
    expect(page.locator(f"#hearing-{doe.id}")).to_contain_text("10:00am")

    # Back to the worklist for Jane Smith's hearing, into the same sitting.
    tab_to(page, "Hearings waiting to be listed")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hearings waiting to be listed")
    tab_to(page, "List 01AB1234501 Jane Smith")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("List a hearing")
    show_sittings_on(page, day)
    tab_to(page, "List here in Courtroom 1, morning")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("01AB1234501 Jane Smith listed in")
    expect(page.locator(f"#hearing-{smith.id}")).to_contain_text("10:20am")
    assert diary_order(morning) == [doe.id, smith.id]

    # Move Jane Doe's hearing down the list. After a redirect to a hearing, Tab starts from its row:
    # Jane Doe's buttons are just before Jane Smith's row.
    tab_to(page, "Down: move 01AB1234500 Jane Doe down the list", backwards=True, limit=5)
    page.keyboard.press("Space")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "01AB1234500 Jane Doe moved down: now at 10:20am in Courtroom 1")
    expect(page.locator(f"#hearing-{doe.id}")).to_contain_text("10:20am")
    expect(page.locator(f"#hearing-{smith.id}")).to_contain_text("10:00am")
    assert diary_order(morning) == [smith.id, doe.id]
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_TEXT) == "01AB1234500"  # the moved hearing's case, first in its row
    page.evaluate("document.fonts.ready")
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Vacate it: choose the reason with the arrow keys, add the details, confirm.
    tab_to(page, "Vacate 01AB1234500 Jane Doe")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacate a hearing")
    tab_to_field(page, "reason")
    page.keyboard.press("ArrowDown")  # the second reason: "Prosecution not ready"
    expect(page.get_by_label("Prosecution not ready")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Papers not served")
    tab_to(page, "Vacate hearing")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "01AB1234500 Jane Doe vacated (Prosecution not ready: Papers not served)")
    expect(page.locator(f"#hearing-{doe.id}")).to_have_count(0)
    expect(page.locator(f"#hearing-{smith.id}")).to_contain_text("10:00am")
    doe.refresh_from_db()
    assert doe.status == HearingStatus.VACATED and diary_order(morning) == [smith.id]
    assert Sitting.objects.get(pk=morning.pk).version == morning.version + 4  # two listings, a move, a vacate

    # The worklist shows it again, vacated, to be relisted.
    tab_to(page, "Hearings waiting to be listed")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hearings waiting to be listed")
    expect(page.locator(f"#hearing-{doe.id}")).to_contain_text("Prosecution not ready: Papers not served")
    assert page.problems == []
