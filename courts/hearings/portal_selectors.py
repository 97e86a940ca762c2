"""Reads of shared results (the court record, `JudicialResult` with `is_current=True`) for the portals:
a prosecutor's results, a partner agency's defendants and results, a case at a glance. Drafts never
leave the court. Which cases and defendants an actor sees is decided by `courts.cases.selectors`; these
functions are given those querysets."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, QuerySet, Subquery

from courts.cases.models import Defendant, ProsecutionCase
from courts.common.actor import Actor
from courts.hearings.models import JudicialResult

PAGE_SIZE = 25

# Results that ask for a report before sentence or to help the court decide: what probation (and a
# youth offending team) must act on. Common Platform's reference result definitions carry no
# "adjourned for pre-sentence report" result of its own; these are the ones whose label asks for a
# report to be made (found by "report" in the labels of the 540 definitions):
REPORT_REQUEST_CODES: dict[str, str] = {
    "PORAR4": "Report to the local probation office for a report to be made",
    "PORAR5": "Report to a provider of probation services for a report to be made",
    "PORAR6": "Make themselves available for reports to be prepared",
    "PORAR7": "Report to a youth justice team for a report to be made",
    "PORAR3": "Provide pre-sentence drug test samples",
    "REMMED": "Remanded in custody for medical reports",
}


def shared_results() -> QuerySet[JudicialResult]:
    return JudicialResult.objects.filter(is_current=True).select_related(
        "case", "defendant", "offence", "hearing__court_centre")


def _newest_first(results: QuerySet[JudicialResult]) -> QuerySet[JudicialResult]:
    # The latest share first; within one share, the court's own order.
    return results.order_by("-shared_at", "case__urn", "defendant__sequence", "rank", "id")


def shared_results_page_for_cases(*, cases: QuerySet[ProsecutionCase], page_number: object) -> Page:
    """The shared results of these cases, most recent first, one page (two queries)."""
    return Paginator(_newest_first(shared_results().filter(case__in=cases.values("pk"))), PAGE_SIZE
                     ).get_page(page_number)


def shared_results_for_defendants(*, defendant_ids: list) -> dict:
    """Defendant id → their shared results, most recent first (one query)."""
    by_defendant: dict = {d: [] for d in defendant_ids}
    for result in _newest_first(shared_results().filter(defendant_id__in=defendant_ids)):
        by_defendant[result.defendant_id].append(result)
    return by_defendant


def is_report_request(result: JudicialResult) -> bool:
    return result.short_code.upper() in REPORT_REQUEST_CODES


def report_requests_for_defendants(*, actor: Actor, defendants: QuerySet[Defendant], limit: int = 50
                                   ) -> list[JudicialResult]:
    """The most recent report requests among these defendants' shared results (restricted parts the
    actor does not need withheld)."""
    results = list(_newest_first(shared_results().filter(defendant__in=defendants.values("pk"),
                                                         short_code__in=list(REPORT_REQUEST_CODES)))[:limit])
    _withhold(actor, [r.defendant for r in results])
    return results


def _withhold(actor: Actor, defendants: list[Defendant]) -> None:
    # Loaded with `case` (select_related): the one decision of whose restricted parts the actor needs.
    from courts.cases.selectors import restricted_parts_withhold

    restricted_parts_withhold(actor=actor, defendants=defendants,
                              prosecutor_ids={d.case_id: d.case.prosecutor_id for d in defendants})


@dataclass
class DefendantResults:
    defendant: Defendant
    results: list[JudicialResult] = field(default_factory=list)

    @property
    def report_requests(self) -> list[JudicialResult]:
        return [r for r in self.results if is_report_request(r)]


def partner_defendant_page(*, actor: Actor, page_number: object) -> tuple[Page, list[DefendantResults]]:
    """The defendants a partner agency's role lets it see (`defendant_queryset_for_actor`), the one
    with the most recently shared result first (those with none yet last), each with its shared
    results, most recent first; restricted parts the actor does not need are withheld. A fixed number
    of queries whatever the page size."""
    from courts.cases.selectors import defendant_queryset_for_actor

    latest = (JudicialResult.objects.filter(defendant=OuterRef("pk"), is_current=True)
              .order_by("-shared_at").values("shared_at")[:1])
    defendants = (defendant_queryset_for_actor(actor=actor).select_related("case")
                  .annotate(latest_result_at=Subquery(latest))
                  .order_by(F("latest_result_at").desc(nulls_last=True), "case__urn", "sequence", "id"))
    page = Paginator(defendants, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    _withhold(actor, rows)
    results = shared_results_for_defendants(defendant_ids=[d.id for d in rows])
    return page, [DefendantResults(defendant=d, results=results[d.id]) for d in rows]
