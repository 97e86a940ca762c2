"""Who is doing something: a person, an organisation's system (by API token), or the system itself.

Every service takes an `actor`; the event log records it."""

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

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        # A command run by the operator on the server acts with the court's authority.
        return cls(label=label, is_court_staff=True)
