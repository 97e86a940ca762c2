"""Every event type the system records. Values are stable dotted names: never renamed or reused."""

from django.db import models


class EventType(models.TextChoices):
    REFERENCE_LOADED = "reference.loaded", "Reference data loaded"
    ORGANISATION_CREATED = "organisation.created", "Organisation created"
    USER_CREATED = "user.created", "User created"
    API_TOKEN_CREATED = "api_token.created", "API token created"
    API_TOKEN_REVOKED = "api_token.revoked", "API token revoked"
    CASE_CREATED = "case.created", "Case created"
    DEFENDANT_ADDED = "case.defendant_added", "Defendant added"
    DEFENDANT_UPDATED = "case.defendant_updated", "Defendant details amended"
    OFFENCE_ADDED = "case.offence_added", "Offence added"
    OFFENCE_WITHDRAWN = "case.offence_withdrawn", "Offence withdrawn"
    OFFENCE_WORDING_CORRECTED = "case.offence_wording_corrected", "Offence wording corrected"
    COURT_ROOM_CREATED = "listing.court_room_created", "Court room created"
    NON_SITTING_DAY_DECLARED = "listing.non_sitting_day_declared", "Non-sitting day declared"
    SITTING_CREATED = "listing.sitting_created", "Sitting created"
    SITTING_PATTERN_CREATED = "listing.sitting_pattern_created", "Sitting pattern created"
    HEARING_CREATED = "listing.hearing_created", "Hearing created"
    HEARING_LISTED = "listing.hearing_listed", "Hearing listed"
    HEARING_MOVED = "listing.hearing_moved", "Hearing moved"
    HEARING_DAY_ADDED = "listing.hearing_day_added", "Hearing day added"
    HEARING_UNALLOCATED = "listing.hearing_unallocated", "Hearing waiting to be listed"
    HEARING_VACATED = "listing.hearing_vacated", "Hearing vacated"
    SITTING_REORDERED = "listing.sitting_reordered", "Sitting list reordered"
    LISTING_RULES_UPDATED = "listing.rules_updated", "Listing rules changed"
