"""Domain events of the case record, handled in the same transaction (see courts/handlers.py)."""

from dataclasses import dataclass

from courts.cases.models import Defendant, ProsecutionCase
from courts.common.actor import Actor


@dataclass(frozen=True)
class CaseCreated:
    case: ProsecutionCase
    defendants: list[Defendant]
    actor: Actor


@dataclass(frozen=True)
class DefendantsAdded:
    case: ProsecutionCase
    defendants: list[Defendant]
    actor: Actor
