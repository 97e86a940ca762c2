"""The printable PDF of each list: A4, headed for its audience, numbered, and showing only what the list
may show. Text is read from the uncompressed content streams (no PDF library needed)."""

import re

import pytest

from courts.publishing.enums import CourtListType
from courts.publishing.pdf import court_list_filename, court_list_pdf
from courts.publishing.selectors import court_list_build
from courts.publishing.tests.factories import (
    CROWN_OU,
    HEARING_DAY,
    MAGISTRATES_OU,
    VICTIM,
    crown_day,
    magistrates_day,
)
from courts.reference.models import CourtCentre

pytestmark = pytest.mark.django_db

_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\) Tj")


def pdf_text(data: bytes) -> str:
    """Every string the pages draw, in order, one per line (reportlab writes one per line of text)."""
    def unescape(raw: bytes) -> str:
        raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
        raw = re.sub(rb"\\(.)", rb"\1", raw)
        return raw.decode("cp1252")

    return "\n".join(unescape(m.group(1)) for m in _SHOWN.finditer(data))


def pdf(list_type: CourtListType, ou: str = MAGISTRATES_OU, *, compress: bool = False) -> bytes:
    court_list = court_list_build(court_centre=CourtCentre.objects.get(ou_code=ou), date=HEARING_DAY,
                                  list_type=list_type)
    return court_list_pdf(court_list, compress=compress)


def test_public_pdf_is_an_a4_pdf_headed_public_list_with_the_day_and_page_numbers():
    # given
    magistrates_day()
    # when
    data = pdf(CourtListType.PUBLIC)
    text = pdf_text(data)
    # then
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4
    for expected in ("Public list", "Lavender Hill Magistrates' Court", "Monday 16 March 2026", "Courtroom 1",
                     "10:00am", "10:40am", "01AB1234525", "Jane Doe", "Ella Eighteen", "Assault by beating",
                     "Acme Haulage Ltd", "Transport for London", "Page 1 of 1"):
        assert expected in text, expected


def test_public_pdf_shows_nothing_the_law_hides():
    magistrates_day()
    text = pdf_text(pdf(CourtListType.PUBLIC))
    for hidden in ("Sam Seventeen", "Tom Teen", "Rob Restricted", "Yasmin Youth", "Youth court", "01AB1234528",
                   VICTIM, "17 May 1990", "High Street", "Name withheld"):
        assert hidden not in text, hidden


def test_press_pdf_is_marked_not_for_publication_with_details_and_names_withheld():
    magistrates_day()
    text = pdf_text(pdf(CourtListType.PRESS))
    assert "Press list \N{EM DASH} not for publication" in text
    assert "Born 17 May 1990 (age 35)" in text
    assert "1 High Street, London, SW11 1JU" in text
    assert "Name withheld" in text and "Youth court" in text
    assert "Sam Seventeen" not in text and "Rob Restricted" not in text
    assert f"Sexually assaulted {VICTIM}" not in text


def test_internal_pdf_shows_everyone_with_warnings_and_runs_to_numbered_pages():
    magistrates_day()
    text = pdf_text(pdf(CourtListType.INTERNAL))
    assert "Internal list" in text
    assert "Sam Seventeen" in text and "Yasmin Youth" in text and "Rob Restricted" in text
    assert "Hidden from the public list: Under 18 on" in text
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    assert pages and all(total == pages[-1][1] for _, total in pages)
    assert [int(n) for n, _ in pages] == list(range(1, int(pages[-1][1]) + 1))


def test_crown_warned_list_pdf_says_which_list_and_week():
    crown_day()
    text = pdf_text(pdf(CourtListType.CROWN_WARNED, CROWN_OU))
    assert "Crown Court warned list: Week commencing Monday 16 March 2026" in text
    assert "Press list \N{EM DASH} not for publication" in text


def test_an_empty_day_prints_a_page_that_says_so():
    text = pdf_text(pdf(CourtListType.PUBLIC))
    assert "No hearings are listed." in text


def test_compressed_by_default_and_named_for_the_court_day():
    magistrates_day()
    data = pdf(CourtListType.PUBLIC, compress=True)
    assert data.startswith(b"%PDF") and b"/FlateDecode" in data and b"Jane Doe" not in data
    court_list = court_list_build(court_centre=CourtCentre.objects.get(ou_code=MAGISTRATES_OU), date=HEARING_DAY,
                                  list_type=CourtListType.PRESS)
    assert court_list_filename(court_list, "pdf") == "B01LY00-2026-03-16-press.pdf"
