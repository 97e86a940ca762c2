from django.db import models

from courts.reference.enums import Jurisdiction


class Audience(models.TextChoices):
    """Who a list is for, which decides what it may show (publishing.selectors applies it)."""

    PUBLIC = "PUBLIC", "Public"
    # Verified media under the HMCTS protocol on sharing court lists with the media (CaTH CLASSIFIED).
    PRESS = "PRESS", "Press"
    # Court staff: everything, with the restrictions flagged.
    INTERNAL = "INTERNAL", "Internal"


class CourtListType(models.TextChoices):
    """The `type` of `GET /api/v1/court-lists` and of the court list pages."""

    PUBLIC = "public", "Public list"
    # CaTH's "standard list" for a magistrates' court; the daily list with press details for the Crown Court.
    PRESS = "press", "Press list"
    INTERNAL = "internal", "Internal list"
    CROWN_DAILY = "crown-daily", "Crown Court daily list"
    CROWN_FIRM = "crown-firm", "Crown Court firm list"
    CROWN_WARNED = "crown-warned", "Crown Court warned list"

    @property
    def audience(self) -> Audience:
        return LIST_AUDIENCE[self]

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC

    def is_for(self, jurisdiction: str) -> bool:
        return self in LIST_TYPES_FOR[jurisdiction]


LIST_AUDIENCE = {
    CourtListType.PUBLIC: Audience.PUBLIC,
    CourtListType.PRESS: Audience.PRESS,
    CourtListType.INTERNAL: Audience.INTERNAL,
    # CaTH's sensitivities (pip-frontend listLookup.json): the daily list is PUBLIC, the firm and warned
    # lists CLASSIFIED.
    CourtListType.CROWN_DAILY: Audience.PUBLIC,
    CourtListType.CROWN_FIRM: Audience.PRESS,
    CourtListType.CROWN_WARNED: Audience.PRESS,
}

LIST_TYPES_FOR = {
    Jurisdiction.MAGISTRATES: (CourtListType.PUBLIC, CourtListType.PRESS, CourtListType.INTERNAL),
    Jurisdiction.CROWN: tuple(CourtListType),
}


class ListFormat(models.TextChoices):
    """The Court and Tribunal Hearings (CaTH / PIP) document a list is published as: the value is the
    schema's file name in pip-data-management/src/main/resources/schemas/."""

    MAGISTRATES_PUBLIC = "magistrates_public_list.json", "MAGISTRATES_PUBLIC_LIST"
    MAGISTRATES_STANDARD = "magistrates_standard_list.json", "MAGISTRATES_STANDARD_LIST"
    CROWN_DAILY = "crown_daily_pdda_list.json", "CROWN_DAILY_PDDA_LIST"
    CROWN_FIRM = "crown_firm_pdda_list.json", "CROWN_FIRM_PDDA_LIST"
    CROWN_WARNED = "crown_warned_pdda_list.json", "CROWN_WARNED_PDDA_LIST"


def list_format(list_type: CourtListType, jurisdiction: str) -> ListFormat:
    """The document a list type is published as at a court centre of this jurisdiction. The caller has
    checked `list_type.is_for(jurisdiction)`."""
    if list_type == CourtListType.CROWN_FIRM:
        return ListFormat.CROWN_FIRM
    if list_type == CourtListType.CROWN_WARNED:
        return ListFormat.CROWN_WARNED
    if jurisdiction == Jurisdiction.CROWN:
        return ListFormat.CROWN_DAILY
    if list_type == CourtListType.PUBLIC:
        return ListFormat.MAGISTRATES_PUBLIC
    return ListFormat.MAGISTRATES_STANDARD
