"""Prisons: a prison court register entry per defendant remanded or sentenced to custody, with the
warrant, to the prison the result names.

- `pcr_entry(warrant)`: the entry as the published contract `api-cp-crime-results-pcr` shapes it
  (`PcrHearingResult`: the case, the defendant, the custody location, the hearing, the offences with
  their results), plus one member of ours, `warrant`: the warrant itself (kind, prison, particulars,
  and `documentId`, the id its PDF is fetched by). The contract has no document field, so the PDF is
  not in the message: staff print it at `/court/warrants/<id>.pdf` and subscribers fetch it from
  `/api/v1/client-subscriptions/{id}/documents/{documentId}`.
- `warrant_pdf(warrant)`: the warrant as an A4 PDF (reportlab, in the style of the court lists).
- `prison_court_register_messages(share, partner)`: the outbox renderer for PRISON_COURT_REGISTER
  partners: one urgent message per warrant of the share whose prison is one the partner receives for
  (`prison_names`, compared without letter case; none named = every prison).

Everything is read as the court shared it: the results of the warrant's own share, not later ones."""

import datetime as dt
import io
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from courts.common.clock import LONDON
from courts.distribution.enums import PartnerKind
from courts.distribution.services import Message, json_body
from courts.hearings.enums import AllocationValue

if TYPE_CHECKING:
    from courts.custody.models import Warrant
    from courts.distribution.models import Partner
    from courts.distribution.routing import Share
    from courts.hearings.models import JudicialResult

JSON = "application/json"
NOT_APPLICABLE = "Not Applicable"
APPEARANCE = {"PRESENT": "In person", "VIDEO": "By video link", "ABSENT": "Absent", "EXCUSED": "Excused attendance"}
VERDICTS = {"GUILTY": "Found guilty", "NOT_GUILTY": "Found not guilty"}
# The subscription contract's event type for each kind of warrant.
WARRANT_EVENT_TYPES = {"REMAND": "WEE_Remand", "COMMITMENT": "WEE_CustodialSentence"}


# --- The register entry (PcrHearingResult) -------------------------------------------------------


def prison_email(prison: str) -> str:
    """The custody establishment's mailbox: the contact email of an active prison partner that receives
    for this prison. Empty when no partner names it."""
    from courts.distribution.models import Partner

    wanted = prison.strip().casefold()
    for partner in Partner.objects.filter(kind=PartnerKind.PRISON, is_active=True).exclude(contact_email=""):
        if wanted in {p.casefold() for p in partner.prison_names}:
            return partner.contact_email
    return ""


def _money(prompt: dict[str, Any]) -> str:
    value = str(prompt.get("value", ""))
    return f"£{value}" if prompt.get("type") == "CURR" and value and not value.startswith("£") else value


def _result_text(result: "JudicialResult", *, prison: str = "", email: str = "") -> dict[str, Any]:
    texts = [{"label": "Result", "value": f"{result.label} ({result.short_code})"}]
    texts += [{"label": p.get("label"), "value": _money(p)} for p in result.prompts]
    if prison:
        texts.append({"label": "Prison organisation name", "value": prison})
        if email:
            texts.append({"label": "Prison email address 1", "value": email})
    return {"resultTexts": texts}


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _address(lines: list[str], postcode: str) -> dict[str, Any]:
    padded = [*lines[:5], *[""] * (5 - len(lines[:5]))]
    return {**{f"address{i}": line for i, line in enumerate(padded, 1)}, "postCode": postcode or None}


def _court(centre) -> dict[str, Any]:
    return {"courtHouseId": str(centre.id), "courtHouseCode": centre.ou_code, "courtHouseName": centre.name}


def _next_hearing(warrant: "Warrant") -> dict[str, Any] | None:
    from courts.custody.models import Remand

    remand = (Remand.objects.filter(defendant=warrant.defendant, hearing=warrant.hearing, is_current=True)
              .exclude(until_hearing=None).select_related("until_hearing__court_centre").first())
    if remand is None:
        return None
    nxt = remand.until_hearing
    day = nxt.hearing_days.select_related("sitting__court_centre").first()
    centre = day.sitting.court_centre if day else nxt.court_centre
    at = dt.datetime.combine(day.date, day.start_time, tzinfo=LONDON) if day else None
    return {"hearingId": str(nxt.id), "dateTime": at.isoformat() if at else None, "court": _court(centre)}


def pcr_entry(warrant: "Warrant") -> dict[str, Any]:
    """The register entry for the hearing and defendant of `warrant`, as the results it came from were
    shared, with the warrant."""
    from courts.custody.models import Remand
    from courts.hearings.models import Attendance, JudicialResult, OffenceDecision

    hearing, defendant = warrant.hearing, warrant.defendant
    source = JudicialResult.objects.filter(pk=warrant.judicial_result_id).first()
    results = list(JudicialResult.objects.filter(
        hearing=hearing, defendant=defendant, share_number=source.share_number if source else 0)
        .select_related("offence").order_by("rank", "shared_at")) if source else []
    days = list(hearing.hearing_days.select_related("sitting__court_centre").order_by("date"))
    centre = days[0].sitting.court_centre if days else hearing.court_centre
    hearing_date = days[0].date if days else warrant.issued_on
    email = prison_email(warrant.prison)

    decisions: dict[Any, dict[str, OffenceDecision]] = {}
    for d in OffenceDecision.objects.filter(hearing=hearing, offence__defendant=defendant, is_current=True):
        decisions.setdefault(d.offence_id, {})[d.kind] = d
    remand = Remand.objects.filter(defendant=defendant, hearing=hearing, is_current=True).exclude(status="").first()
    attendance = Attendance.objects.filter(hearing=hearing, defendant=defendant).order_by("-date").first()

    def texts(rows: list["JudicialResult"]) -> list[dict[str, Any]]:
        return [_result_text(r, prison=warrant.prison if r.id == warrant.judicial_result_id else "",
                             email=email) for r in rows]

    offences = []
    for offence in defendant.offences.all():
        mine = [r for r in results if r.offence_id == offence.id]
        if not mine:
            continue
        decided = decisions.get(offence.id, {})
        plea, indicated = decided.get("PLEA"), decided.get("INDICATED_PLEA")
        verdict, allocation = decided.get("VERDICT"), decided.get("ALLOCATION")
        offences.append({
            "code": offence.cjs_code,
            "title": offence.title,
            "wording": offence.wording,
            "startDate": offence.start_date.isoformat(),
            "endDate": offence.end_date.isoformat() if offence.end_date else None,
            "listingNumber": offence.sequence,
            "convictionDate": offence.conviction_date.isoformat() if offence.conviction_date else None,
            "pleaValue": plea.value if plea else None,
            "pleaDate": plea.decided_on.isoformat() if plea else None,
            "verdict": VERDICTS.get(verdict.value, verdict.value) if verdict else None,
            "allocationDecision": _label(AllocationValue, allocation.value) if allocation else None,
            "indicatedPleaValue": indicated.value if indicated else None,
            "results": texts(mine),
        })
    shared_at = source.shared_at if source else warrant.created_at
    return {
        "prosecutionCase": {"caseURN": defendant.case.urn, "caseMarkers": [],
                            "results": texts([r for r in results if r.level == "C"])},
        "defendant": {
            "id": str(defendant.id),
            "masterDefendantId": str(defendant.id),
            "title": defendant.title or None,
            "firstName": defendant.first_name or None,
            "middleName": defendant.middle_name or None,
            "lastName": defendant.last_name or defendant.organisation_name or None,
            "dateOfBirth": defendant.date_of_birth.isoformat() if defendant.date_of_birth else None,
            "address": _address(defendant.address_lines, defendant.postcode),
            "gender": defendant.gender or None,
            "postHearingCustodyStatus": remand.status if remand else NOT_APPLICABLE,
            "results": texts([r for r in results if r.level not in ("O", "C")]),
        },
        "custodyLocation": {"name": warrant.prison, "custodyType": "Prison"},
        "hearing": {
            "id": str(hearing.id),
            "courtDetails": {"court": _court(centre), "courtAddress": _address(centre.address_lines, centre.postcode),
                             "ljaName": None},
            "hearingDate": hearing_date.isoformat(),
            "hearingType": hearing.hearing_type.description,
            "jurisdiction": centre.jurisdiction or None,
            "defendantAppearanceDetails": APPEARANCE.get(attendance.status) if attendance else None,
            "nextHearing": _next_hearing(warrant),
        },
        "sharedTime": shared_at.isoformat().replace("+00:00", "Z"),
        "offences": offences,
        "courtApplications": [],
        "warrant": {
            "id": str(warrant.id),
            "documentId": str(warrant.id),
            "kind": warrant.kind,
            "title": warrant.get_kind_display(),
            "eventType": WARRANT_EVENT_TYPES.get(warrant.kind),
            "prison": warrant.prison,
            "prisonEmailAddress": email or None,
            # Not in the contract's Defendant, and what a prison matches its records by.
            "pncId": defendant.pnc_id or None,
            "croNumber": defendant.cro_number or None,
            "issuedOn": warrant.issued_on.isoformat(),
            "particulars": warrant.particulars,
        },
    }


# --- The outbox renderer -------------------------------------------------------------------------


def share_warrants(share: "Share") -> list["Warrant"]:
    """The warrants the shared results issued (one per custody result)."""
    from courts.custody.models import Warrant

    return list(Warrant.objects.filter(
        hearing=share.hearing, defendant_id=share.defendant_id, is_current=True,
        judicial_result_id__in=[r.id for r in share.results]).select_related("defendant__case", "hearing__hearing_type",
                                                                             "hearing__court_centre"))


def prison_court_register_messages(share: "Share", partner: "Partner") -> list[Message]:
    wanted = {p.strip().casefold() for p in partner.prison_names}
    messages = []
    for warrant in share_warrants(share):
        if wanted and warrant.prison.strip().casefold() not in wanted:
            continue
        messages.append(Message(content_type=JSON, body=json_body(pcr_entry(warrant)), case_id=share.case_id,
                                hearing_id=share.hearing.id, defendant_id=share.defendant_id, urgent=True))
    return messages


# --- The warrant as a PDF ------------------------------------------------------------------------

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10, leading=13,
                          textColor=BLACK)
    return {
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=24,
                                spaceAfter=4),
        "court": ParagraphStyle("court", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16),
        "meta": ParagraphStyle("meta", parent=body, textColor=GREY),
        "key": ParagraphStyle("key", parent=body, fontName="Helvetica-Bold"),
        "cell": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=GREY),
    }


def _p(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value or "")), style)


def _long_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def warrant_pdf(warrant: "Warrant") -> bytes:
    """The warrant, as fixed when it was issued, on A4: to the governor of the prison it names."""
    styles = _styles()
    hearing, defendant = warrant.hearing, warrant.defendant
    particulars = warrant.particulars or {}
    days = list(hearing.hearing_days.select_related("sitting__court_centre", "sitting__court_room").order_by("date"))
    centre = days[0].sitting.court_centre if days else hearing.court_centre
    named = particulars.get("defendant") or {}
    born = named.get("date_of_birth") or (defendant.date_of_birth.isoformat() if defendant.date_of_birth else "")
    rows: list[tuple[str, str]] = [
        ("To the governor of", warrant.prison),
        ("Defendant", named.get("name") or defendant.name),
        ("Date of birth", _long_date(dt.date.fromisoformat(born)) if born else "Not known"),
        ("Address", ", ".join([*defendant.address_lines, defendant.postcode] if defendant.postcode
                              else defendant.address_lines) or "Not known"),
        ("Case", defendant.case.urn),
    ]
    if particulars.get("offence"):
        rows.append(("Offence", particulars["offence"]))
    rows.append(("Decision", particulars.get("result", "")))
    rows += [(label, value) for label, value in (particulars.get("prompts") or {}).items()]
    rows.append(("Court", str(days[0].sitting.court_room) if days else centre.name))
    rows.append(("Issued", _long_date(warrant.issued_on)))
    nxt = particulars.get("next_hearing") or {}
    if nxt.get("date"):
        rows.append(("To be brought before the court",
                     f"{_long_date(dt.date.fromisoformat(nxt['date']))}, {nxt.get('court', '')}"))
    table = Table([[_p(k, styles["key"]), _p(v, styles["cell"])] for k, v in rows],
                  colWidths=[WIDTH * 0.34, WIDTH * 0.66])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    address = ", ".join([*centre.address_lines, centre.postcode] if centre.postcode else centre.address_lines)
    story = [
        _p(f"{centre.name} ({centre.ou_code})", styles["court"]),
        _p(address, styles["meta"]),
        Spacer(1, 6 * mm),
        _p(warrant.get_kind_display(), styles["title"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        _p("You are commanded to receive the defendant into your custody and keep them there until delivered "
           "in due course of law." if warrant.kind == "COMMITMENT" else
           "You are commanded to receive the defendant into your custody and to bring them before the court "
           "at the time and place above, unless they are released on bail meanwhile.", styles["cell"]),
    ]
    if not warrant.is_current:
        story += [Spacer(1, 4 * mm), _p("This warrant was replaced when the results were amended.", styles["key"])]
    footer = f"Warrant {warrant.id} · issued {_long_date(warrant.issued_on)}"

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 6 * mm, title=f"{warrant.get_kind_display()}: {defendant.name}",
                            author="HM Courts & Tribunals Service", creator="courts")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
