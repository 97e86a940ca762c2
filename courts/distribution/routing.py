"""Which partner is owed which message for an event, rendered in the partner's format.

One function per format: it decides whether the event concerns the partner (court centre, the
prison named, the kinds of result) and renders the message as the court shared it. A client's
subscription (a partner with an organisation) gets the subscription contract's notification instead
(`distribution.subscriptions`)."""

from collections.abc import Callable
from functools import cached_property
from typing import Any

from courts.audit.event_types import EventType
from courts.audit.models import Event
from courts.distribution.enums import MessageFormat
from courts.distribution.models import Partner
from courts.distribution.services import Message, json_body

JSON = "application/json"
XML = "application/xml"


class Share:
    """What one `hearing.results_shared` event shared: loaded once for every partner."""

    def __init__(self, event: Event):
        from courts.hearings.models import JudicialResult
        from courts.listing.models import Hearing

        self.event = event
        payload = event.payload
        self.hearing = Hearing.objects.select_related("court_centre", "hearing_type").get(pk=payload["hearing_id"])
        self.defendant_id = payload["defendant_id"]
        self.share_number = payload["share_number"]
        self.results = list(JudicialResult.objects.filter(
            hearing=self.hearing, defendant_id=self.defendant_id, share_number=self.share_number)
            .select_related("definition", "offence", "defendant__case"))
        days = list(self.hearing.hearing_days.select_related("sitting__court_centre"))
        self.court_centre = days[0].sitting.court_centre if days else self.hearing.court_centre
        self.defendant = self.results[0].defendant if self.results else None

    @property
    def case_id(self):
        return self.event.case_id

    @cached_property
    def hearing_resulted_body(self) -> str:
        """The hearing-resulted message, rendered once for every partner that takes it (probation, the
        Legal Aid Agency, youth offending teams and subscribers alike): it reads the whole hearing."""
        from courts.api.cp_results import hearing_resulted_payload

        return json_body(hearing_resulted_payload(self.hearing, shared_time=self.event.occurred_at))

    def for_centre(self, partner: Partner) -> bool:
        return not partner.court_centres or self.court_centre.ou_code in partner.court_centres


def _message(share: Share, content_type: str, body: str, *, urgent: bool = False) -> Message:
    return Message(content_type=content_type, body=body, case_id=share.case_id, hearing_id=share.hearing.id,
                   defendant_id=share.defendant_id, urgent=urgent)


def _hearing_resulted(share: Share, partner: Partner) -> list[Message]:
    return [_message(share, JSON, share.hearing_resulted_body)]


def _police(share: Share, partner: Partner) -> list[Message]:
    # Results reach the police national computer for police-originated cases: those with an ASN.
    if share.defendant is None or not share.defendant.asn:
        return []
    from courts.distribution.bichard_checks import bichard_exceptions
    from courts.distribution.spi_results import police_result_event, police_result_validate, police_result_xml

    xml = police_result_xml(police_result_event(hearing=share.hearing, defendant=share.defendant))
    message = _message(share, XML, xml.decode() if isinstance(xml, bytes) else xml)
    # What the XSD or the police national computer's gateway would reject is our defect: held for a
    # person to put right, never sent to fail there.
    message.defects = [*police_result_validate(xml), *bichard_exceptions(xml)]
    return [message]


def _prison_court_register(share: Share, partner: Partner) -> list[Message]:
    from courts.distribution.pcr import prison_court_register_messages

    return prison_court_register_messages(share, partner)


def _result_json(share: Share, results: list[Any], kind: str) -> dict[str, Any]:
    d = share.defendant
    return {
        "kind": kind,
        "hearingId": str(share.hearing.id),
        "sharedAt": share.event.occurred_at.isoformat(),
        "courtCentre": share.court_centre.ou_code,
        "caseUrn": d.case.urn,
        "defendant": {"id": str(d.id), "name": d.name,
                      "dateOfBirth": d.date_of_birth.isoformat() if d.date_of_birth else None,
                      "address": [*d.address_lines, d.postcode], "asn": d.asn or None},
        "results": [
            {"id": str(r.id), "code": r.short_code, "cjsCode": r.cjs_code, "label": r.label,
             "offence": {"code": r.offence.cjs_code, "sequence": r.offence.sequence,
                         "date": r.offence.start_date.isoformat()} if r.offence else None,
             "dvlaCode": (r.definition.definition or {}).get("dvlaCode"),
             "prompts": [{"label": p["label"], "reference": p["reference"], "value": p["value"]} for p in r.prompts],
             "orderedOn": r.ordered_on.isoformat()}
            for r in results
        ],
    }


def _dvla(share: Share, partner: Partner) -> list[Message]:
    endorsable = [r for r in share.results if (r.definition.definition or {}).get("dvlaCode")]
    return [_message(share, JSON, json_body(_result_json(share, endorsable, "DVLA")))] if endorsable else []


def _financial(share: Share, partner: Partner) -> list[Message]:
    money = [r for r in share.results if r.definition.is_financial]
    return [_message(share, JSON, json_body(_result_json(share, money, "FINANCIAL")))] if money else []


MONITORED = ("curfew", "electronic monitoring", "tag")


def _electronic_monitoring(share: Share, partner: Partner) -> list[Message]:
    tagged = [r for r in share.results if any(w in r.label.casefold() for w in MONITORED)]
    return [_message(share, JSON, json_body(_result_json(share, tagged, "ELECTRONIC_MONITORING")), urgent=True)] \
        if tagged else []


RENDERERS: dict[str, Callable[[Share, Partner], list[Message]]] = {
    MessageFormat.HEARING_RESULTED: _hearing_resulted,
    MessageFormat.SPI_RESULTS: _police,
    MessageFormat.PRISON_COURT_REGISTER: _prison_court_register,
    MessageFormat.DVLA_ENDORSEMENT: _dvla,
    MessageFormat.FINANCIAL_IMPOSITIONS: _financial,
    MessageFormat.ELECTRONIC_MONITORING: _electronic_monitoring,
}

def messages_for(*, event: Event, partners: list[Partner]) -> list[tuple[Partner, Message]]:
    """The messages each partner is owed for `event` (none for events it does not take). The event's
    share is loaded once for all partners."""
    if event.type != EventType.RESULTS_SHARED or not partners:
        return []
    share = Share(event)
    if not share.results:
        return []
    owed_messages = []
    for partner in partners:
        if not share.for_centre(partner):
            continue
        if partner.organisation_id:
            # A client's subscription: the contract's notification for the event types it took.
            from courts.distribution.subscriptions import subscription_messages

            owed_messages += [(partner, m) for m in subscription_messages(share, partner)]
        else:
            owed_messages += [(partner, m) for m in RENDERERS[partner.format](share, partner)]
    return owed_messages


def owed(*, event: Event) -> list[tuple[Partner, int]]:
    """For reconciliation: each active partner and how many messages the event owes it."""
    partners = list(Partner.objects.filter(is_active=True))
    counts = {p.id: 0 for p in partners}
    for partner, _ in messages_for(event=event, partners=partners):
        counts[partner.id] += 1
    return [(p, counts[p.id]) for p in partners]
