"""Reads of the case record. Every read that serves a user goes through `case_queryset_for_actor`,
the one place that decides which cases an actor may see."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Upper

from courts.cases import identifiers
from courts.cases.enums import DefendantKind
from courts.cases.models import Defendant, Offence, ProsecutionCase, ReportingRestriction
from courts.cases.restrictions import AUTOMATIC_YOUTH_ACTS as YOUTH_ACTS
from courts.cases.restrictions import BASES, initials, withheld_wording
from courts.common.actor import Actor
from courts.common.errors import FieldError, ValidationFailed
from courts.common.ids import get_by_uuid_or_not_found


def case_queryset_for_actor(*, actor: Actor) -> QuerySet[ProsecutionCase]:
    """The cases `actor` may see:

    - court staff and the judiciary: the cases of their court centres (the centre the case was sent
      to) and the cases listed there; national teams, HMCTS systems and the operator: every case;
    - a prosecutor's users and systems: the cases it brought;
    - a defence firm's users and systems: the cases of the defendants it is on record for;
    - an advocate (a user) granted access by the firm on record: that defendant's case;
    - probation, police, prisons and youth offending teams: the cases of the defendants their role
      needs (`_partner_defendant_ids`);
    - anyone else: nothing.

    Within a case, `defendant_visibility_for_actor` decides which defendants' details are shown."""
    cases = ProsecutionCase.objects.all()
    if actor.national and actor.is_court_staff:
        return cases
    visible = Q()
    if actor.is_court_staff or actor.is_judiciary:
        visible |= _court_centre_cases(actor.court_centre_ids)
    if actor.organisation_id is not None:
        visible |= Q(prosecutor_id=actor.organisation_id)
    represented = _represented_case_ids(actor)
    if represented is not None:
        visible |= Q(id__in=represented)
    partner = _partner_defendant_ids(actor)
    if partner is not None:
        visible |= Q(id__in=Defendant.objects.filter(id__in=partner).values("case_id"))
    if not visible:
        return cases.none()
    return cases.filter(visible)


def _court_centre_cases(court_centre_ids: frozenset) -> Q:
    from courts.listing.models import HearingDefendant

    if not court_centre_ids:
        return Q(pk__in=[])
    listed = HearingDefendant.objects.filter(hearing__court_centre_id__in=court_centre_ids).values("case_id")
    return Q(requested_court_centre_id__in=court_centre_ids) | Q(id__in=listed)


def case_court_centre_ids(*, case_id: uuid.UUID) -> set:
    """The court centres a case belongs to: the one it was sent to and every one it is listed at."""
    from courts.listing.models import HearingDefendant

    case = ProsecutionCase.objects.filter(pk=case_id).values_list("requested_court_centre_id", flat=True)
    listed = HearingDefendant.objects.filter(case_id=case_id).values_list("hearing__court_centre_id", flat=True)
    return set(case) | set(listed)


def cases_of_actors_court(*, actor: Actor, case_ids: list) -> set:
    """Of these cases, those belonging to one of the actor's court centres (all of them for national
    court staff): the actor is court staff of that case's court."""
    if not actor.is_court_staff:
        return set()
    if actor.national:
        return set(case_ids)
    return set(ProsecutionCase.objects.filter(_court_centre_cases(actor.court_centre_ids), pk__in=case_ids)
               .values_list("pk", flat=True))


def _represented_case_ids(actor: Actor) -> QuerySet | None:
    # The defence app owns representation; it answers with a subquery, so this stays one SQL query.
    from courts.defence.selectors import represented_case_ids

    return represented_case_ids(actor=actor)


# A youth offending team works with children: under 18 (Crime and Disorder Act 1998 s.39).
YOUTH_AGE = 18


def _partner_defendant_ids(actor: Actor) -> QuerySet | None:
    """The defendants a partner agency's role needs, as a subquery (None for other actors):

    - probation: defendants with shared results at hearings in its area (results, and the
      pre-sentence report requests among them);
    - police: defendants listed at hearings in its area;
    - youth offending team: defendants under 18 listed at hearings in its area;
    - prison: defendants remanded or committed to it (a current remand or warrant naming it)."""
    from courts.accounts.enums import OrganisationKind
    from courts.accounts.models import Organisation
    from courts.listing.models import HearingDefendant

    kind = actor.organisation_kind
    if actor.organisation_id is None or kind not in (OrganisationKind.PROBATION, OrganisationKind.POLICE,
                                                     OrganisationKind.YOT, OrganisationKind.PRISON):
        return None
    if kind == OrganisationKind.PRISON:
        from courts.custody.models import Remand, Warrant

        name = Organisation.objects.filter(pk=actor.organisation_id).values_list("name", flat=True).first() or ""
        remanded = Remand.objects.filter(is_current=True, prison__iexact=name).values("defendant_id")
        committed = Warrant.objects.filter(is_current=True, prison__iexact=name).values("defendant_id")
        return Defendant.objects.filter(Q(id__in=remanded) | Q(id__in=committed)).values("id")
    area = Organisation.court_centres.through.objects.filter(
        organisation_id=actor.organisation_id).values("courtcentre_id")
    if kind == OrganisationKind.PROBATION:
        from courts.hearings.models import JudicialResult

        return JudicialResult.objects.filter(is_current=True, hearing__court_centre_id__in=area).values(
            "defendant_id")
    listed = HearingDefendant.objects.filter(hearing__court_centre_id__in=area)
    if kind == OrganisationKind.YOT:
        from courts.common.clock import court_today

        today = court_today()
        # Born less than 18 years ago (29 February birthdays count from 1 March).
        try:
            eighteenth = today.replace(year=today.year - YOUTH_AGE)
        except ValueError:
            eighteenth = today.replace(year=today.year - YOUTH_AGE, day=28)
        listed = listed.filter(defendant__date_of_birth__gt=eighteenth)
    return listed.values("defendant_id")


def defendant_visibility_for_actor(*, actor: Actor) -> Q | None:
    """Which defendants of a visible case the actor sees: None for all of them (court staff and the
    judiciary, and the prosecutor of the case), otherwise a condition on `Defendant` (the defence
    sees its own defendants, a partner agency those its role needs, not the co-defendants' personal
    details)."""
    if actor.is_court_staff or actor.is_judiciary:
        return None
    from courts.defence.selectors import represented_defendant_ids

    condition = Q()
    if actor.organisation_id is not None:
        condition |= Q(case__prosecutor_id=actor.organisation_id)
    represented = represented_defendant_ids(actor=actor)
    if represented is not None:
        condition |= Q(id__in=represented)
    partner = _partner_defendant_ids(actor)
    if partner is not None:
        condition |= Q(id__in=partner)
    return condition if condition else Q(pk__in=[])


def case_full_view_for_actor(*, actor: Actor, case: ProsecutionCase) -> bool:
    """Whether the actor sees the whole case (every defendant and the case history), or only its own
    defendants' part of it (the defence, partner agencies)."""
    return actor.is_court_staff or actor.is_judiciary or (
        actor.organisation_id is not None and case.prosecutor_id == actor.organisation_id)


def _with_details(cases: QuerySet[ProsecutionCase], actor: Actor | None = None) -> QuerySet[ProsecutionCase]:
    defendants = Defendant.objects.all()
    only = defendant_visibility_for_actor(actor=actor) if actor is not None else None
    if only is not None:
        defendants = defendants.filter(only)
    return cases.select_related("prosecutor", "requested_court_centre").prefetch_related(
        # Every restriction recorded, lifted ones too: the page lists them, withholding uses those in force.
        Prefetch("restrictions", queryset=ReportingRestriction.objects.order_by("imposed_at", "id")),
        Prefetch(
            "defendants",
            queryset=defendants.order_by("sequence").prefetch_related(
                # The offence row carries its code, title and mode of trial: no join to the definition.
                Prefetch("offences", queryset=Offence.objects.order_by("sequence"))
            ),
        )
    )


def case_get_for_actor(*, actor: Actor, case_id: uuid.UUID | str) -> ProsecutionCase:
    """The case with its defendants and offences, or NotFound (also when the actor may not see it:
    a case's existence is itself information). The restricted parts the actor does not need are
    withheld (`restricted_parts_withhold`)."""
    case = get_by_uuid_or_not_found(_with_details(case_queryset_for_actor(actor=actor), actor), case_id, "case")
    cases_restricted_parts_withhold(actor=actor, cases=[case])
    return case


def defendant_queryset_for_actor(*, actor: Actor) -> QuerySet[Defendant]:
    """The defendants whose details the actor may see: of the visible cases, those
    `defendant_visibility_for_actor` allows."""
    visible = Defendant.objects.filter(case__in=case_queryset_for_actor(actor=actor))
    only = defendant_visibility_for_actor(actor=actor)
    return visible if only is None else visible.filter(only)


def defendant_get_for_actor(*, actor: Actor, defendant_id: uuid.UUID | str) -> Defendant:
    return get_by_uuid_or_not_found(defendant_queryset_for_actor(actor=actor).select_related("case"),
                                    defendant_id, "defendant")


def offence_get_for_actor(*, actor: Actor, offence_id: uuid.UUID | str) -> Offence:
    visible = Offence.objects.select_related("defendant__case").filter(
        defendant__case__in=case_queryset_for_actor(actor=actor))
    only = defendant_visibility_for_actor(actor=actor)
    if only is not None:
        visible = visible.filter(defendant__in=Defendant.objects.filter(only))
    return get_by_uuid_or_not_found(visible, offence_id, "offence")


@dataclass(frozen=True)
class CaseSearch:
    urn: str = ""
    asn: str = ""
    pnc_id: str = ""
    surname: str = ""
    date_of_birth: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.urn or self.asn or self.pnc_id or self.surname or self.date_of_birth)


SEARCH_LIMIT = 100


def case_search(*, actor: Actor, search: CaseSearch) -> list[ProsecutionCase]:
    """Find cases by URN (exact, any case), ASN, PNC ID, or surname prefix with date of birth.

    Criteria combine (all must match). A surname needs a date of birth, so that a search cannot list
    everyone called Smith."""
    errors: list[FieldError] = []
    condition = Q()
    if search.urn:
        condition &= Q(urn__iexact=search.urn.strip().replace(" ", ""))
    if search.asn:
        try:
            condition &= _defendant_match(asn=identifiers.normalise_asn(search.asn))
        except ValueError as e:
            errors.append(FieldError("asn", str(e)))
    if search.pnc_id:
        try:
            condition &= _defendant_match(pnc_id=identifiers.normalise_pnc_id(search.pnc_id))
        except ValueError as e:
            errors.append(FieldError("pncId", str(e)))
    if search.surname or search.date_of_birth:
        if not (search.surname.strip() and search.date_of_birth):
            errors.append(FieldError("surname" if not search.surname.strip() else "dateOfBirth",
                                     "Search by surname needs both the start of the surname and the date of birth"))
        else:
            matching = Defendant.objects.annotate(upper_last_name=Upper("last_name")).filter(
                upper_last_name__startswith=search.surname.strip().upper(), date_of_birth=search.date_of_birth
            )
            condition &= Q(id__in=matching.values("case_id"))
    if errors:
        raise ValidationFailed("The search has invalid fields", errors=errors)
    if search.is_empty:
        raise ValidationFailed(
            "Enter a URN, an ASN, a PNC ID, or a surname with a date of birth",
            errors=[FieldError("urn", "Enter at least one search term")],
        )
    cases = list(_with_details(
        case_queryset_for_actor(actor=actor).filter(condition).order_by("-created_at")[:SEARCH_LIMIT], actor))
    cases_restricted_parts_withhold(actor=actor, cases=cases)
    if search.surname.strip() and search.date_of_birth:
        # A defendant whose identity is withheld from the actor is not found by their name either.
        prefix = search.surname.strip().upper()
        cases = [c for c in cases if any(d.last_name.upper().startswith(prefix)
                                         and d.date_of_birth == search.date_of_birth for d in c.defendants.all())]
    return cases


def _defendant_match(**lookups: str) -> Q:
    # A subquery, not a join: a case with two matching defendants is still one result.
    return Q(id__in=Defendant.objects.filter(**lookups).values("case_id"))


def case_prosecutor_list_for_actor(*, actor: Actor) -> QuerySet:
    """The prosecuting organisations (accounts' `Organisation`) on whose behalf `actor` may start a
    case: any of them for court staff, their own for a prosecutor's user, none for anyone else."""
    from courts.accounts.enums import OrganisationKind
    from courts.accounts.models import Organisation

    prosecutors = Organisation.objects.filter(kind=OrganisationKind.PROSECUTOR).order_by("name")
    if actor.is_court_staff:
        return prosecutors
    if actor.organisation_id is not None:
        return prosecutors.filter(pk=actor.organisation_id)
    return prosecutors.none()


# --- Restricted parts: who needs them, and withholding them from everyone else -------------------


@dataclass(frozen=True)
class RestrictedParts:
    """A case's restricted parts: defendant id → the Act that withholds their identity, offence id →
    the Act that withholds its wording."""

    identities: dict
    wordings: dict

    def __bool__(self) -> bool:
        return bool(self.identities or self.wordings)


def reporting_restrictions_active(*, case_ids: Iterable) -> list[ReportingRestriction]:
    """The restrictions in force on these cases, in one query."""
    return list(ReportingRestriction.objects.filter(case_id__in=list(case_ids), lifted_at__isnull=True))


def reporting_restriction_list(*, case_id: uuid.UUID) -> list[ReportingRestriction]:
    """Every restriction recorded on the case, lifted ones too, oldest first."""
    return list(ReportingRestriction.objects.filter(case_id=case_id).select_related("defendant", "offence"))


def _restricted_parts(defendants: list[Defendant], rows: list[ReportingRestriction]) -> dict:
    """Case id → its `RestrictedParts`, from the restrictions in force and the defendants' ages."""
    from courts.common.clock import court_today
    from courts.listing.conflicts import is_youth_on

    today = court_today()
    parts: dict = {}
    for d in defendants:
        # A child or young person: their identity is withheld without a recorded direction (CYPA 1933 s.49; YJCEA 1999 s.45).
        if d.kind != DefendantKind.ORGANISATION and is_youth_on(d, today):
            parts.setdefault(d.case_id, RestrictedParts({}, {})).identities[d.id] = YOUTH_ACTS
    for row in rows:
        basis = BASES.get(row.basis)
        act = basis.act if basis else row.basis
        found = parts.setdefault(row.case_id, RestrictedParts({}, {}))
        if row.offence_id is not None:
            found.wordings.setdefault(row.offence_id, act)
        elif row.defendant_id is not None:
            found.identities.setdefault(row.defendant_id, act)
    return parts


@dataclass(frozen=True)
class RestrictedView:
    """Whose restricted parts an actor needs on one case: every defendant's, or those listed."""

    every_defendant: bool
    defendant_ids: frozenset = frozenset()

    def needs(self, defendant_id) -> bool:
        return self.every_defendant or defendant_id in self.defendant_ids


def restricted_view_for_actor(*, actor: Actor, case_id: uuid.UUID, prosecutor_id: int,
                              defendant_ids: Iterable = ()) -> RestrictedView:
    """The one decision of who needs a restricted case's restricted parts (docs/access.md "Restricted
    cases"): court staff and the judiciary of the case's court (any centre it was sent to or is listed
    at; national teams everywhere) and the case's prosecutor, for every defendant; the defence on record
    (and its advocates), probation, prisons and youth offending teams, for the defendants they deal with.
    Anyone else who can see the case (a police force by area, another partner agency) does not."""
    from courts.accounts.enums import OrganisationKind

    if (actor.is_court_staff or actor.is_judiciary) and (
            actor.national or any(actor.works_at(c) for c in case_court_centre_ids(case_id=case_id))):
        return RestrictedView(every_defendant=True)
    if actor.organisation_id is not None and actor.organisation_id == prosecutor_id:
        return RestrictedView(every_defendant=True)
    defendant_ids = list(defendant_ids)
    if not defendant_ids:
        return RestrictedView(every_defendant=False)
    needed: QuerySet | None = None
    if actor.organisation_kind in (OrganisationKind.DEFENCE, OrganisationKind.CHAMBERS):
        from courts.defence.selectors import represented_defendant_ids

        needed = represented_defendant_ids(actor=actor)
    elif actor.organisation_kind in (OrganisationKind.PROBATION, OrganisationKind.PRISON, OrganisationKind.YOT):
        needed = _partner_defendant_ids(actor)
    if needed is None:
        return RestrictedView(every_defendant=False)
    ids = Defendant.objects.filter(id__in=defendant_ids).filter(id__in=needed).values_list("id", flat=True)
    return RestrictedView(every_defendant=False, defendant_ids=frozenset(ids))


def restricted_parts_withhold(*, actor: Actor, defendants: Iterable[Defendant], prosecutor_ids: dict,
                              rows: list[ReportingRestriction] | None = None) -> None:
    """Replace, in these loaded defendants (and their prefetched offences), the restricted parts the
    actor does not need: a protected defendant's name by initials, their date of birth, address and
    bail conditions by nothing; a protected offence's wording by "Wording withheld: reporting
    restriction (<Act>)". `prosecutor_ids` maps each case id to its prosecutor; `rows`, the
    restrictions in force when the caller has them (else one query).

    Every surface that shows a case's defendants to a person calls this (through `case_get_for_actor`,
    `case_search` or `cases_restricted_parts_withhold`): pages, API, search and hearings alike. The
    instances it changes are read-only from then on (their `save` refuses)."""
    defendants = list(defendants)
    if not defendants:
        return
    case_ids = {d.case_id for d in defendants}
    if rows is None:
        rows = reporting_restrictions_active(case_ids=case_ids)
    parts = _restricted_parts(defendants, rows)
    if not parts:
        return
    views = {
        case_id: restricted_view_for_actor(actor=actor, case_id=case_id, prosecutor_id=prosecutor_ids[case_id],
                                           defendant_ids={d.id for d in defendants if d.case_id == case_id})
        for case_id in parts
    }
    for d in defendants:
        found = parts.get(d.case_id)
        if found is None or views[d.case_id].needs(d.id):
            continue
        if d.id in found.identities:
            _withhold_identity(d, found.identities[d.id])
        offences = getattr(d, "_prefetched_objects_cache", {}).get("offences")
        for o in offences if offences is not None else ():
            if o.id in found.wordings:
                o.wording = withheld_wording(found.wordings[o.id])
                o.restricted_parts_withheld = True


def _withhold_identity(d: Defendant, act: str) -> None:
    if d.kind == DefendantKind.ORGANISATION:
        d.organisation_name = initials(d.organisation_name)
    else:
        d.first_name, d.middle_name, d.last_name = initials(d.first_name, d.middle_name), "", initials(d.last_name)
        d.title = ""
    d.date_of_birth = None
    d.address_lines, d.postcode = [], ""
    d.bail_conditions, d.custody_reasons = "", ""
    d.restricted_parts_withheld = True
    d.withheld_because = act


def cases_restricted_parts_withhold(*, actor: Actor, cases: Iterable[ProsecutionCase]) -> None:
    """`restricted_parts_withhold` for cases loaded with their defendants (and offences)."""
    cases = list(cases)
    rows = None
    if cases and all("restrictions" in getattr(c, "_prefetched_objects_cache", {}) for c in cases):
        rows = [r for c in cases for r in c.restrictions.all() if r.lifted_at is None]
    restricted_parts_withhold(actor=actor, defendants=[d for c in cases for d in c.defendants.all()],
                              prosecutor_ids={c.id: c.prosecutor_id for c in cases}, rows=rows)
