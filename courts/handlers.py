"""Which context reacts to which domain event: the one visible map (cosmicpython's EVENT_HANDLERS).

Handlers run synchronously inside the transaction of the change that raised the event, so the
change and its consequences are written together or not at all. Partner messages are not sent
from here: they are written to the outbox and delivered by the worker."""

from collections.abc import Callable
from typing import Any


def _list_first_hearing(event: Any) -> None:
    from courts.common.actor import Actor
    from courts.listing.services import first_hearing_list_for_case

    # The court's listing rules list the hearing, not the prosecutor who sent the case.
    actor = Actor.system(f"Listing rules (case from {event.actor.label})")
    first_hearing_list_for_case(case=event.case, defendants=event.defendants,
                                anticipated_plea=event.case.anticipated_plea, actor=actor)


def _handlers() -> dict[type, list[Callable[[Any], None]]]:
    from courts.cases.events import CaseCreated, DefendantsAdded

    return {
        CaseCreated: [_list_first_hearing],
        # A defendant added to an existing case gets a first hearing by the same rules.
        DefendantsAdded: [_list_first_hearing],
    }


def dispatch(event: Any) -> None:
    for handler in _handlers().get(type(event), []):
        handler(event)
