"""Resulting a hearing in a real browser, by keyboard alone: a fine, a community order and a remand in
custody for three defendants of one hearing, each shared with Ctrl+Enter, without the page ever
reloading or jumping to the top.

Debian's Chromium, driven by Playwright (no browser download). The live server's database is flushed
after the test, so the fixture loads the reference data into it first."""

import datetime as dt

import pytest
from django.core.management import call_command

from courts.accounts.tests.factories import UserFactory, totp_enrol
from courts.custody.models import Remand, Warrant
from courts.hearings.models import DefendantResulting, JudicialResult
from courts.hearings.tests.factories import listed_case
from courts.listing.models import HearingDay
from courts.web.tests.conftest import PASSWORD, enter_security_code
from courts.web.tests.test_listing_browser import FOCUS_IS_VISIBLE, tab_to_field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/courts-resulting.png"
# Prompt ids from Common Platform's result definitions (result-definitions.json).
CO_END_DATE = "CO-d6caa3c4-ec9d-41ec-8f86-2c617ef0d5d9"
CO_RESPONSIBLE_OFFICER = "CO-29f5b3c7-8d15-4606-9dcf-23f32a21b5ef"
CO_SUPERVISING_COURT = "CO-f4a4f159-779e-4f35-822a-b559a2415ecb"
RI_REMAND_BASIS = "RI-49f9ee68-3dee-4ed1-8020-377818c3697f"
RI_BAIL_EXCEPTION = "RI-7b2e6219-ddcb-4afa-8615-8de978e60af1"
RI_BAIL_EXCEPTION_REASON = "RI-53ac8d08-49a9-4495-ab3a-0ef94ca9e560"

ACTIVE_ID = "() => document.activeElement && document.activeElement.id"


@pytest.fixture
def hearing_day(live_server):
    """One hearing of a case with three defendants, listed in a sitting on the next working day."""
    call_command("load_reference", verbosity=0)
    totp_enrol(UserFactory(username="adviser", first_name="Alex", last_name="Adviser"))
    case, hearing = listed_case(defendants=3)
    defendants = list(case.defendants.order_by("sequence"))
    return {"url": live_server.url, "hearing": hearing, "defendants": defendants,
            "offences": [d.offences.get() for d in defendants],
            "day": HearingDay.objects.get(hearing=hearing).date}


def press_tab_to(page, element_id: str) -> None:
    """One Tab lands on the field: it comes straight after what was typed."""
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_ID) == element_id
    assert page.evaluate(FOCUS_IS_VISIBLE)


def test_an_adviser_results_three_defendants_by_keyboard(hearing_day, page):
    from playwright.sync_api import expect

    site, hearing, day = hearing_day["url"], hearing_day["hearing"], hearing_day["day"]
    fined, ordered, remanded = hearing_day["defendants"]
    fine_offence, order_offence, remand_offence = hearing_day["offences"]

    page.goto(f"{site}/sign-in/?next=/court/hearings/{hearing.id}/")
    page.get_by_label("Username").fill("adviser")
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    enter_security_code(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results: 01AB1234525")
    page.evaluate("window.__marker = 'the same page'")
    panels = [page.locator(f"#defendant-{d.id}") for d in (fined, ordered, remanded)]

    # A fine, costs and the surcharge, with the guilty plea typed in the notepad; Ctrl+Enter shares.
    tab_to_field(page, f"notepad-{fine_offence.id}")
    page.keyboard.type("FO 200 FCPC 85 FVS plea=G")
    page.keyboard.press("Control+Enter")
    expect(panels[0]).to_contain_text("The court record")
    expect(panels[0]).to_contain_text("£200.00")
    expect(panels[0].locator("[data-save-status]")).to_contain_text("Shared")

    # The next defendant: a community order. Its missing prompts appear under the notepad once the
    # draft has saved itself, and are answered there by Tab and typing.
    page.keyboard.press("Alt+ArrowDown")
    assert page.evaluate(ACTIVE_ID) == f"notepad-{order_offence.id}"
    page.keyboard.type("co plea=G FVS")
    expect(page.locator(f"#answers-{order_offence.id}-{CO_END_DATE}")).to_be_visible()
    expect(panels[1].locator("[data-save-status]")).to_contain_text("Saved")
    press_tab_to(page, f"answers-{order_offence.id}-{CO_END_DATE}")
    page.keyboard.type(f"{day + dt.timedelta(days=365):%d/%m/%Y}")
    press_tab_to(page, f"answers-{order_offence.id}-{CO_RESPONSIBLE_OFFICER}")
    page.keyboard.type("Probation Service")
    press_tab_to(page, f"answers-{order_offence.id}-{CO_SUPERVISING_COURT}")
    page.keyboard.type("Lavender Hill Magistrates' Court")
    page.keyboard.press("Control+Enter")
    expect(panels[1]).to_contain_text("The court record")
    expect(panels[1]).to_contain_text("Community order England / Wales")

    # The third: remanded in custody to a plea hearing within eight clear days, the prison typed once.
    page.keyboard.press("Alt+ArrowDown")
    assert page.evaluate(ACTIVE_ID) == f"notepad-{remand_offence.id}"
    next_day = day + dt.timedelta(days=7)
    page.keyboard.type(f"RI NHMC {next_day:%d/%m/%Y} htype=PLE 20min")
    expect(page.locator(f"#answers-{remand_offence.id}-{RI_REMAND_BASIS}")).to_be_visible()
    press_tab_to(page, f"answers-{remand_offence.id}-{RI_REMAND_BASIS}")
    page.keyboard.type("Substantial grounds to believe the defendant would fail to surrender")
    tab_to_field(page, f"answers-{remand_offence.id}-{RI_BAIL_EXCEPTION}", limit=5)
    page.keyboard.type("Fail to surrender")
    press_tab_to(page, f"answers-{remand_offence.id}-{RI_BAIL_EXCEPTION_REASON}")
    page.keyboard.type("Previous failures to surrender")
    tab_to_field(page, f"prison-{remanded.id}", limit=15)
    page.keyboard.type("HMP Brixton")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    page.keyboard.press("Control+Enter")
    expect(panels[2]).to_contain_text("The court record")
    expect(panels[2]).to_contain_text("Warrant of remand in custody")
    expect(panels[2]).to_contain_text(f"{next_day.day} {next_day:%B %Y}")

    # One page all along, never scrolled back to the top; focus stays in the panel just shared.
    assert page.evaluate("window.__marker") == "the same page"
    assert page.evaluate("window.scrollY") > scrolled / 2
    assert page.evaluate("() => document.activeElement.closest('[data-resulting-panel]').id") \
        == f"defendant-{remanded.id}"
    page.evaluate("document.fonts.ready")
    page.screenshot(path=SCREENSHOT, full_page=True)

    shared = {d.name: set(JudicialResult.objects.filter(defendant=d, is_current=True)
                          .values_list("short_code", flat=True)) for d in (fined, ordered, remanded)}
    assert shared == {fined.name: {"FO", "FCPC", "FVS"}, ordered.name: {"co", "FVS"},
                      remanded.name: {"RI", "NHMC"}}
    assert all(r.share_count == 1 for r in DefendantResulting.objects.filter(hearing=hearing))
    assert Warrant.objects.get(defendant=remanded).prison == "HMP Brixton"
    assert Remand.objects.get(defendant=remanded, is_current=True).status == "C"
    assert page.problems == []
