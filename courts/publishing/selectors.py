"""Court lists: one court centre's day (or, for the Crown Court warned list, its week) as plain data,
with what the law hides taken out for the list's audience.

Every list is built by `court_list_build`, and every decision about what a list may show is made
by `_disclosure` below: the pages, the API, the JSON formats and the PDF only render what it lets
through, so that no one can forget a restriction in one of them."""

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from courts.cases import selectors as case_selectors
from courts.cases.enums import DefendantKind, OffenceStatus
from courts.cases.restrictions import BASES
from courts.common.clock import now
from courts.common.errors import FieldError, ValidationFailed
from courts.listing import selectors as listing
from courts.listing.conflicts import age_on
from courts.listing.enums import HearingStatus, SittingKind
from courts.listing.models import Hearing, HearingDefendant
from courts.publishing.enums import Audience, CourtListType, ListFormat, list_format
from courts.reference.enums import Jurisdiction
from courts.reference.models import CourtCentre

# --- What the law hides, in one place ------------------------------------------------------------

YOUTH_COURT = "Youth court: closed to the public and not reported (CYPA 1933 s.47 and s.49)"
UNDER_18 = "Under 18 on the hearing date (CYPA 1933 s.49; YJCEA 1999 s.45)"


class Disclosure(enum.Enum):
    """How much of one defendant a list shows."""

    OMIT = "omit"  # not on the list at all
    ANONYMOUS = "anonymous"  # listed (case, time, offence titles) with nothing that identifies them
    MINIMAL = "minimal"  # name, offence titles, prosecutor
    MEDIA = "media"  # and date of birth, age, address, gender and offence wording
    FULL = "full"  # and the police identifiers (ASN, PNC ID); withdrawn offences too


def _disclosure(*, audience: Audience, sitting_kind: str, case_restrictions: Iterable[str],
                date_of_birth: dt.date | None, on: dt.date) -> tuple[Disclosure, tuple[str, ...]]:
    """What a list for `audience` may show of a defendant heard on `on`, and the restrictions that
    apply (RULES.md §B.8). Internal lists show everything and carry the reasons as warnings.

    A person without a date of birth is treated as an adult, as Common Platform does
    (Hearing.emitYouthCourtListRestrictions): a child is listed in the youth court, which is never public.

    Press list decision (HMCTS protocol on sharing court lists with the media; CrimPR r.5.8): verified
    journalists get more than the public (date of birth, age, address, offence wording), so that they
    can report accurately, but never anything that identifies whom the law protects:
    - a youth court sitting is on the press list (the press may attend, CYPA 1933 s.47), with each
      defendant anonymous;
    - a defendant under 18 on the hearing date in an adult court is anonymous (s.49 / s.45 YJCEA 1999);
    - a case with a reporting restriction is on the press list with the restriction's text, so that
      the press know it exists and what they may not report, and its defendants are anonymous
      (no name, date of birth, address or offence wording). We record a restriction as free text
      and cannot tell whom an order protects: a s.11 order may withhold the defendant's own name,
      and in a sexual offence case the defendant's name or address can identify the complainant
      (jigsaw identification). A journalist hears the terms of the order in court and can ask the
      court for more under CrimPR r.5.8.
    Offence titles are on every list; offence wording, which can name a victim or complainant, is
    never on the public list."""
    restrictions = tuple(case_restrictions)
    reasons: list[str] = []
    if sitting_kind == SittingKind.YOUTH:
        reasons.append(YOUTH_COURT)
    if date_of_birth and age_on(date_of_birth, on) < 18:
        reasons.append(UNDER_18)
    reasons.extend(restrictions)
    hidden = tuple(reasons)
    if audience == Audience.INTERNAL:
        return Disclosure.FULL, hidden
    if audience == Audience.PRESS:
        return (Disclosure.ANONYMOUS if hidden else Disclosure.MEDIA), hidden
    # The public list: no youth court sitting, no one under 18 on the hearing date (CYPA 1933 s.49 /
    # YJCEA 1999 s.45) and no case with a reporting restriction.
    return (Disclosure.OMIT if hidden else Disclosure.MINIMAL), ()


@dataclass(frozen=True)
class RecordedRestrictions:
    """The reporting restrictions the court recorded on a case (`courts.cases.ReportingRestriction`),
    as the list's reasons: those on the case or any of its offences cover every defendant of the case
    (an offence's complainant can be identified through any defendant's name: jigsaw identification);
    those on a defendant cover that defendant."""

    case_wide: tuple[str, ...] = ()
    by_defendant: dict | None = None

    def for_defendant(self, defendant_id) -> tuple[str, ...]:
        return (self.by_defendant or {}).get(defendant_id, ())


def _recorded_restrictions(case_ids: Iterable) -> dict:
    """Case id → its `RecordedRestrictions`, in one query."""
    found: dict = {}
    for row in case_selectors.reporting_restrictions_active(case_ids=case_ids):
        basis = BASES.get(row.basis)
        text = f"{basis.label} ({basis.act})" if basis else row.basis
        case_wide, by_defendant = found.setdefault(row.case_id, ([], {}))
        if row.defendant_id is not None and row.offence_id is None:
            by_defendant.setdefault(row.defendant_id, []).append(text)
        else:
            case_wide.append(text)
    return {case_id: RecordedRestrictions(tuple(dict.fromkeys(wide)),
                                          {d: tuple(dict.fromkeys(t)) for d, t in by_defendant.items()})
            for case_id, (wide, by_defendant) in found.items()}


# --- The list, as plain data ---------------------------------------------------------------------


@dataclass(frozen=True)
class ListedOffence:
    sequence: int
    cjs_code: str
    title: str
    wording: str  # empty when the list may not show it
    is_withdrawn: bool = False


@dataclass(frozen=True)
class ListedDefendant:
    disclosure: Disclosure
    is_person: bool
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    organisation_name: str = ""
    date_of_birth: dt.date | None = None
    age: int | None = None
    gender: str = ""
    address_lines: tuple[str, ...] = ()
    postcode: str = ""
    asn: str = ""
    pnc_id: str = ""
    offences: tuple[ListedOffence, ...] = ()
    # Why the public may not see this defendant (on the press list: why their identity is withheld).
    restrictions: tuple[str, ...] = ()

    @property
    def is_anonymous(self) -> bool:
        return self.disclosure == Disclosure.ANONYMOUS

    @property
    def forenames(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name) if p)

    @property
    def name(self) -> str:
        if self.is_anonymous:
            return "Name withheld"
        if not self.is_person:
            return self.organisation_name
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


@dataclass(frozen=True)
class ListedCase:
    urn: str
    prosecutor: str
    reporting_restrictions: tuple[str, ...]
    defendants: tuple[ListedDefendant, ...]

    @property
    def restrictions(self) -> tuple[str, ...]:
        """Every restriction on the case and its defendants, once each, in order."""
        return tuple(dict.fromkeys([*self.reporting_restrictions, *(r for d in self.defendants for r in d.restrictions)]))

    @property
    def is_restricted(self) -> bool:
        return bool(self.restrictions)


@dataclass(frozen=True)
class ListedHearing:
    hearing_id: str
    hearing_type_code: str
    hearing_type: str
    date: dt.date | None  # None on the warned list's hearings without a fixed date
    start_time: dt.time | None
    list_order: int
    duration_minutes: int
    cases: tuple[ListedCase, ...]


@dataclass(frozen=True)
class ListedSitting:
    court_room: str
    court_room_welsh: str
    date: dt.date
    session: str
    session_label: str
    start_time: dt.time
    kind: str
    kind_label: str
    judiciary_type: str
    judiciary: tuple[str, ...]
    hearings: tuple[ListedHearing, ...]


@dataclass(frozen=True)
class ListedVenue:
    ou_code: str
    name: str
    welsh_name: str
    jurisdiction: str
    address_lines: tuple[str, ...]
    postcode: str

    @property
    def is_crown_court(self) -> bool:
        return self.jurisdiction == Jurisdiction.CROWN


HEADINGS = {
    Audience.PUBLIC: "Public list",
    Audience.PRESS: "Press list \N{EM DASH} not for publication",
    Audience.INTERNAL: "Internal list",
}


@dataclass(frozen=True)
class CourtList:
    list_type: CourtListType
    audience: Audience
    format: ListFormat
    venue: ListedVenue
    start_date: dt.date
    end_date: dt.date
    published_at: dt.datetime
    sittings: tuple[ListedSitting, ...]
    # The warned list's hearings waiting for a date in its week ("without fixed date").
    unfixed_hearings: tuple[ListedHearing, ...] = ()

    @property
    def heading(self) -> str:
        return HEADINGS[self.audience]

    @property
    def title(self) -> str:
        return self.list_type.label

    @property
    def hearing_count(self) -> int:
        return sum(len(s.hearings) for s in self.sittings) + len(self.unfixed_hearings)


# --- Building a list -----------------------------------------------------------------------------


def court_list_build(*, court_centre: CourtCentre, date: dt.date, list_type: CourtListType) -> CourtList:
    """The list of `list_type` for the court centre on `date` (the warned list: its Monday-to-Friday
    week). A fixed number of queries for a day whatever its size."""
    list_type = CourtListType(list_type)
    if not list_type.is_for(court_centre.jurisdiction):
        allowed = ", ".join(t.value for t in CourtListType if t.is_for(court_centre.jurisdiction))
        message = (f"A {list_type.label.lower().replace('crown court', 'Crown Court')} is only for a Crown Court "
                   f"centre; {court_centre.name} is a magistrates' court. Choose {allowed}")
        raise ValidationFailed(message, errors=[FieldError("type", message, "wrong_jurisdiction")])
    audience = list_type.audience
    if list_type == CourtListType.CROWN_WARNED:
        start = date - dt.timedelta(days=date.weekday())
        dates = [start + dt.timedelta(days=n) for n in range(5)]
    else:
        dates = [date]
    diary = [entry for day in dates for entry in listing.court_diary(court_centre=court_centre, date=day)]
    unfixed: list[Hearing] = []
    if list_type == CourtListType.CROWN_WARNED:
        unfixed = [h for h in listing.unallocated_worklist(court_centre=court_centre)
                   if h.status == HearingStatus.UNALLOCATED and not h.is_date_to_be_fixed
                   and h.week_commencing == dates[0]]
    hearing_defendants = [hd for entry in diary for day in entry.days for hd in day.hearing.hearing_defendants.all()]
    hearing_defendants += [hd for hearing in unfixed for hd in hearing.hearing_defendants.all()]
    # The diary brings defendants and cases; their offences and prosecutors in one query each.
    prefetch_related_objects(hearing_defendants, "defendant__offences", "case__prosecutor")
    recorded = _recorded_restrictions({hd.case_id for hd in hearing_defendants})

    sittings = []
    for entry in diary:
        sitting = entry.sitting
        hearings = []
        for day in entry.days:
            listed = _hearing(audience, day.hearing, recorded, sitting_kind=sitting.kind, on=day.date, date=day.date,
                              start_time=day.start_time, list_order=day.list_order,
                              duration_minutes=day.duration_minutes)
            if listed is not None:
                hearings.append(listed)
        if not hearings and audience != Audience.INTERNAL:
            continue  # an empty sitting, or one whose every hearing is hidden, is not on the list
        sittings.append(ListedSitting(
            court_room=sitting.court_room.name, court_room_welsh=sitting.court_room.welsh_name, date=sitting.date,
            session=sitting.session, session_label=sitting.get_session_display(), start_time=sitting.start_time,
            kind=sitting.kind, kind_label=sitting.get_kind_display(), judiciary_type=sitting.judiciary_type,
            judiciary=tuple(sitting.judiciary), hearings=tuple(hearings),
        ))
    unfixed_hearings = []
    for position, hearing in enumerate(unfixed, start=1):
        # Waiting for a day in the week: anyone under 18 on its first day may be under 18 when heard.
        listed = _hearing(audience, hearing, recorded, sitting_kind=SittingKind.ADULT, on=dates[0], date=None,
                          start_time=None,
                          list_order=position, duration_minutes=hearing.estimate_minutes)
        if listed is not None:
            unfixed_hearings.append(listed)
    return CourtList(
        list_type=list_type, audience=audience, format=list_format(list_type, court_centre.jurisdiction),
        venue=ListedVenue(ou_code=court_centre.ou_code, name=court_centre.name, welsh_name=court_centre.welsh_name,
                          jurisdiction=court_centre.jurisdiction, address_lines=tuple(court_centre.address_lines),
                          postcode=court_centre.postcode),
        start_date=dates[0], end_date=dates[-1], published_at=now(), sittings=tuple(sittings),
        unfixed_hearings=tuple(unfixed_hearings),
    )


def _hearing(audience: Audience, hearing: Hearing, recorded: dict, *, sitting_kind: str, on: dt.date,
             date: dt.date | None,
             start_time: dt.time | None, list_order: int, duration_minutes: int) -> ListedHearing | None:
    """The hearing as the audience may see it; None when nothing of it may be shown."""
    by_case: dict = {}
    ordered = sorted(hearing.hearing_defendants.all(), key=lambda hd: (hd.case.urn, hd.defendant.sequence))
    for hd in ordered:
        by_case.setdefault(hd.case_id, []).append(hd)
    cases = []
    for group in by_case.values():
        listed = _case(audience, group, recorded.get(group[0].case_id, RecordedRestrictions()),
                       sitting_kind=sitting_kind, on=on)
        if listed is not None:
            cases.append(listed)
    if not cases:
        return None
    return ListedHearing(
        hearing_id=str(hearing.id), hearing_type_code=hearing.hearing_type.code,
        hearing_type=hearing.hearing_type.description, date=date, start_time=start_time, list_order=list_order,
        duration_minutes=duration_minutes, cases=tuple(cases),
    )


def _case(audience: Audience, group: list[HearingDefendant], recorded: RecordedRestrictions, *, sitting_kind: str,
          on: dt.date) -> ListedCase | None:
    case = group[0].case
    # The prosecutor's restrictions given at charge (free text) and those the court recorded.
    restrictions = tuple(dict.fromkeys([*(r for r in (case.reporting_restrictions or []) if r), *recorded.case_wide]))
    defendants = []
    for hd in group:
        disclosure, reasons = _disclosure(audience=audience, sitting_kind=sitting_kind,
                                          case_restrictions=(*restrictions, *recorded.for_defendant(hd.defendant_id)),
                                          date_of_birth=hd.defendant.date_of_birth, on=on)
        if disclosure != Disclosure.OMIT:
            defendants.append(_defendant(hd, disclosure, reasons, on=on))
    if not defendants:
        return None
    shown_restrictions = () if audience == Audience.PUBLIC else restrictions
    return ListedCase(urn=case.urn, prosecutor=case.prosecutor.name, reporting_restrictions=shown_restrictions,
                      defendants=tuple(defendants))


def _defendant(hd: HearingDefendant, disclosure: Disclosure, reasons: tuple[str, ...], *, on: dt.date) -> ListedDefendant:
    d = hd.defendant
    shows_wording = disclosure in (Disclosure.MEDIA, Disclosure.FULL)
    offences = tuple(
        ListedOffence(sequence=o.sequence, cjs_code=o.cjs_code, title=o.title,
                      wording=o.wording if shows_wording else "", is_withdrawn=o.status == OffenceStatus.WITHDRAWN)
        for o in d.offences.all()
        if disclosure == Disclosure.FULL or o.status != OffenceStatus.WITHDRAWN
    )
    is_person = d.kind != DefendantKind.ORGANISATION
    if disclosure == Disclosure.ANONYMOUS:
        return ListedDefendant(disclosure=disclosure, is_person=is_person, offences=offences, restrictions=reasons)
    named = dict(disclosure=disclosure, is_person=is_person, first_name=d.first_name, middle_name=d.middle_name,
                 last_name=d.last_name, organisation_name=d.organisation_name, offences=offences, restrictions=reasons)
    if disclosure == Disclosure.MINIMAL:
        return ListedDefendant(**named)
    details = dict(
        date_of_birth=d.date_of_birth, age=age_on(d.date_of_birth, on) if d.date_of_birth else None,
        gender=d.gender if is_person else "", address_lines=tuple(d.address_lines or ()), postcode=d.postcode,
    )
    if disclosure == Disclosure.MEDIA:
        return ListedDefendant(**named, **details)
    return ListedDefendant(**named, **details, asn=d.asn, pnc_id=d.pnc_id)
