"""Who is doing something: a person, an organisation's system (by API token), or the system itself.

Every service takes an `actor`; the event log records it."""

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None
    organisation_id: int | None = None
    # An HMCTS person or system: works the court's pages and services (a judicial office holder
    # without a staff role is not: the judiciary read, they do not record).
    is_court_staff: bool = False
    # Sees the cases of every court centre: the operator's commands, HMCTS systems, national teams.
    # Other court staff and the judiciary see their centres' cases (`court_centre_ids`).
    national: bool = False
    # The kind of the actor's organisation (`courts.accounts.enums.OrganisationKind`), "" for none.
    organisation_kind: str = ""
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
        return cls(label=label, is_court_staff=True, national=True, is_system=True)

    def works_at(self, court_centre_id: uuid.UUID | None) -> bool:
        """Court staff or judiciary of this court centre (or national)."""
        return (self.is_court_staff or self.is_judiciary) and (
            self.national or court_centre_id in self.court_centre_ids)
