"""A court list as a printable A4 PDF (reportlab): for each court room and sitting, a table of times,
cases, defendants and offences, with the list's heading and page numbers on every page.

Like the JSON formats it only renders what `publishing.selectors` decided the audience may see."""

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from courts.common.clock import LONDON
from courts.publishing.enums import Audience, CourtListType
from courts.publishing.selectors import CourtList, ListedCase, ListedDefendant, ListedHearing, ListedSitting

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")

CROWN_LISTS = (CourtListType.CROWN_DAILY, CourtListType.CROWN_FIRM, CourtListType.CROWN_WARNED)
FOOTNOTES = {
    Audience.PUBLIC: "Defendants under 18, youth court sittings and cases with reporting restrictions are not shown.",
    Audience.PRESS: "For verified media only. Not for publication: reporting restrictions apply to the cases "
                    "marked, and names of anyone under 18 and of restricted cases are withheld. "
                    "Contains special category personal data.",
    Audience.INTERNAL: "Court staff only. Contains every case listed, including those hidden from public lists.",
}


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=9, leading=11.5,
                          textColor=BLACK)
    return {
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=24,
                                spaceAfter=4),
        "court": ParagraphStyle("court", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16),
        "meta": ParagraphStyle("meta", parent=body, fontSize=10, leading=13, textColor=GREY),
        "sitting": ParagraphStyle("sitting", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=14,
                                  spaceBefore=10, spaceAfter=2),
        "judiciary": ParagraphStyle("judiciary", parent=body, textColor=GREY, spaceAfter=4),
        "head": ParagraphStyle("head", parent=body, fontName="Helvetica-Bold"),
        "cell": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=GREY),
        "right": ParagraphStyle("right", parent=body, fontSize=8, alignment=TA_RIGHT, textColor=GREY),
    }


def _time(value: dt.time | None) -> str:
    """As the pages write times (courts.web's govuk_time): 10:00am, 2:05pm, midday."""
    if value is None:
        return ""
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def _date(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _dates(court_list: CourtList) -> str:
    if court_list.start_date == court_list.end_date:
        return _date(court_list.start_date)
    return f"Week commencing {_date(court_list.start_date)}"


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)


def _lines(lines: list[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    return [_p(text, styles[style]) for text, style in lines if text]


def _defendant_cell(case: ListedCase, defendant: ListedDefendant,
                    styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    lines = [(defendant.name, "head")]
    # The case's own restrictions are in its cell; the defendant's are the ones about them.
    reasons = [r for r in defendant.restrictions if r not in case.reporting_restrictions]
    if defendant.is_anonymous:
        lines += [(reason, "small") for reason in reasons]
        return _lines(lines, styles)
    if defendant.date_of_birth:
        lines.append((f"Born {defendant.date_of_birth.day} {defendant.date_of_birth:%B %Y} (age {defendant.age})",
                      "small"))
    address = ", ".join([*defendant.address_lines, defendant.postcode] if defendant.postcode
                        else defendant.address_lines)
    lines.append((address, "small"))
    if defendant.asn:
        lines.append((f"ASN {defendant.asn}", "small"))
    if defendant.pnc_id:
        lines.append((f"PNC ID {defendant.pnc_id}", "small"))
    lines += [(f"Hidden from the public list: {reason}", "small") for reason in reasons]
    return _lines(lines, styles)


def _offence_cell(defendant: ListedDefendant, styles: dict[str, ParagraphStyle]) -> list[Paragraph]:
    lines: list[tuple[str, str]] = []
    for offence in defendant.offences:
        lines.append((offence.title + (" (withdrawn)" if offence.is_withdrawn else ""), "cell"))
        lines.append((offence.wording, "small"))
    return _lines(lines, styles) or [_p("", styles["cell"])]


def _case_cell(case: ListedCase, styles: dict[str, ParagraphStyle], audience: Audience) -> list[Paragraph]:
    lines = [(case.urn, "head"), (case.prosecutor, "small")]
    if case.reporting_restrictions and audience != Audience.PUBLIC:
        lines += [(f"Reporting restriction: {r}", "small") for r in case.reporting_restrictions]
    return _lines(lines, styles)


def _hearing_rows(court_list: CourtList, hearing: ListedHearing, styles: dict[str, ParagraphStyle]) -> list[list]:
    rows = []
    first = True
    for case in hearing.cases:
        for defendant in case.defendants:
            when = [_p(_time(hearing.start_time), styles["cell"]), _p(hearing.hearing_type, styles["small"])] \
                if first else ""
            rows.append([when, _case_cell(case, styles, court_list.audience), _defendant_cell(case, defendant, styles),
                         _offence_cell(defendant, styles)])
            first = False
    return rows


def _table(court_list: CourtList, hearings: tuple[ListedHearing, ...], styles: dict[str, ParagraphStyle]) -> Table:
    header = [_p(h, styles["head"]) for h in ("Time", "Case", "Defendant", "Offence")]
    rows = [header]
    starts = []
    for hearing in hearings:
        starts.append(len(rows))
        rows += _hearing_rows(court_list, hearing, styles)
    table = Table(rows, colWidths=[0.14 * WIDTH, 0.18 * WIDTH, 0.30 * WIDTH, 0.38 * WIDTH], repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, BLACK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("LINEABOVE", (0, start), (-1, start), 0.5, RULE) for start in starts[1:]]
    table.setStyle(TableStyle(style))
    return table


def _sitting_heading(sitting: ListedSitting, court_list: CourtList) -> str:
    parts = [sitting.court_room]
    if court_list.start_date != court_list.end_date:
        parts.append(_date(sitting.date))
    parts += [f"{sitting.session_label} from {_time(sitting.start_time)}", sitting.kind_label]
    return " \N{EM DASH} ".join(parts)


def _story(court_list: CourtList) -> list:
    styles = _styles()
    venue = court_list.venue
    story: list = [
        _p(court_list.heading, styles["title"]),
        _p(venue.name, styles["court"]),
        _p(f"{court_list.title}: {_dates(court_list)}" if court_list.list_type in CROWN_LISTS
           else _dates(court_list), styles["meta"]),
        _p(", ".join([*venue.address_lines, venue.postcode]), styles["meta"]),
        _p(FOOTNOTES[court_list.audience], styles["small"]),
        Spacer(1, 4 * mm),
    ]
    for sitting in court_list.sittings:
        heading = [_p(_sitting_heading(sitting, court_list), styles["sitting"])]
        if sitting.judiciary:
            heading.append(_p(", ".join(sitting.judiciary), styles["judiciary"]))
        if sitting.hearings:
            story.append(KeepTogether([*heading, _table(court_list, sitting.hearings, styles)]))
        else:
            story += [*heading, _p("No hearings listed.", styles["cell"])]
    if court_list.unfixed_hearings:
        story.append(_p("Without a fixed date this week", styles["sitting"]))
        story.append(_table(court_list, court_list.unfixed_hearings, styles))
    if not court_list.sittings and not court_list.unfixed_hearings:
        story.append(_p("No hearings are listed.", styles["cell"]))
    return story


def _canvas_maker(court_list: CourtList):
    """A canvas that knows the page count, so that each page says "Page 2 of 5"."""
    published = court_list.published_at.astimezone(LONDON)
    left = f"{court_list.venue.name} \N{EM DASH} {_dates(court_list)}"
    stamp = f"Published {published.day} {published:%B %Y} at {_time(published.time())}"

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = A4
            self.setFillColor(GREY)
            self.setFont("Helvetica-Bold", 8)
            self.drawString(MARGIN, height - 10 * mm, court_list.heading)
            self.setFont("Helvetica", 8)
            self.drawRightString(width - MARGIN, height - 10 * mm, left)
            self.drawString(MARGIN, 9 * mm, stamp)
            self.drawRightString(width - MARGIN, 9 * mm, f"Page {number} of {total}")

    return NumberedCanvas


def court_list_pdf(court_list: CourtList, *, compress: bool = True) -> bytes:
    """The list as an A4 PDF. `compress=False` leaves the page text readable (for tests)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm, bottomMargin=16 * mm,
        title=f"{court_list.heading}: {court_list.venue.name}, {_dates(court_list)}",
        author="HM Courts & Tribunals Service", subject=court_list.title, pageCompression=1 if compress else 0,
        invariant=1,
    )
    document.build(_story(court_list), canvasmaker=_canvas_maker(court_list))
    return buffer.getvalue()


def court_list_filename(court_list: CourtList, extension: str) -> str:
    kind = CourtListType(court_list.list_type).value
    return f"{court_list.venue.ou_code}-{court_list.start_date.isoformat()}-{kind}.{extension}"
