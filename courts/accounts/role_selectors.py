"""Reads for a court administrator's page of people and roles at their court centres. (Kept apart
from `selectors.py` while the organisation administrators' reads are written there.)"""

import uuid
from collections.abc import Iterable

from courts.accounts.models import JudicialOffice, StaffRole, User
from courts.reference.models import CourtCentre


def court_centres_by_ids(*, court_centre_ids: Iterable[uuid.UUID]) -> list[CourtCentre]:
    return list(CourtCentre.objects.filter(pk__in=list(court_centre_ids)).order_by("name"))


def staff_roles_at(*, court_centre_ids: Iterable[uuid.UUID]) -> list[StaffRole]:
    """Every staff role held at these court centres, by centre, then person."""
    return list(StaffRole.objects.filter(court_centre_id__in=list(court_centre_ids))
                .select_related("user", "court_centre")
                .order_by("court_centre__name", "user__last_name", "user__first_name", "user__username", "role"))


def judicial_offices_at(*, court_centre_ids: Iterable[uuid.UUID]) -> list[JudicialOffice]:
    """Every judicial office holder sitting at one of these court centres, with all the centres where they
    sit."""
    ids = JudicialOffice.objects.filter(court_centres__in=list(court_centre_ids)).values("id")
    return list(JudicialOffice.objects.filter(id__in=ids).select_related("user").prefetch_related("court_centres")
                .order_by("user__last_name", "user__first_name", "user__username", "kind"))


def active_user_by_username(*, username: str) -> User | None:
    username = username.strip()
    if not username:
        return None
    return User.objects.select_related("organisation").filter(username__iexact=username, is_active=True).first()


def user_by_public_id(*, public_id: str) -> User | None:
    try:
        value = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return User.objects.select_related("organisation").filter(public_id=value).first()
