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
