"""Who is doing something: a person, an organisation's system (by API token), or the system itself.

Every service takes an `actor`; the event log records it."""

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None
    organisation_id: int | None = None
    # A person logged in to the staff pages (court staff: full case access for now).
    is_court_staff: bool = False
    # Where the request came from, for the access log.
    ip_address: str | None = None
    # The court centres where this person holds a staff role or sits as a judicial office holder.
    court_centre_ids: frozenset[uuid.UUID] = frozenset()
    # Staff roles as (court centre id, role) pairs: `has_role` asks about one centre.
    roles: frozenset[tuple[uuid.UUID, str]] = frozenset()
    # Judicial offices held (magistrate, district judge, judge, recorder).
    judicial_offices: frozenset[str] = frozenset()
    # A command run by the operator on the server (not a person, not an organisation's system).
    is_system: bool = False

    def has_role(self, role: str, court_centre_id: uuid.UUID) -> bool:
        return (court_centre_id, role) in self.roles

    @property
    def is_judiciary(self) -> bool:
        return bool(self.judicial_offices)

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        # A command run by the operator on the server acts with the court's authority.
        return cls(label=label, is_court_staff=True, is_system=True)
