from django.db import models


class InitiationType(models.TextChoices):
    """How proceedings began (Common Platform `initiationCode`)."""

    CHARGE = "C", "Charge"
    REQUISITION = "Q", "Postal requisition"
    SUMMONS = "S", "Summons"
    SJP_NOTICE = "J", "Single Justice Procedure notice"
    REMITTED = "R", "Remitted"
    SJP_REFERRAL = "Z", "SJP referral"
    OTHER = "O", "Other"


class CaseStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    INACTIVE = "INACTIVE", "Inactive"
    # Every defendant's proceedings concluded by shared results.
    CONCLUDED = "CONCLUDED", "Concluded"
    CLOSED = "CLOSED", "Closed"


class DefendantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Gender(models.TextChoices):
    NOT_KNOWN = "NOT_KNOWN", "Not known"
    MALE = "MALE", "Male"
    FEMALE = "FEMALE", "Female"
    NOT_SPECIFIED = "NOT_SPECIFIED", "Not specified"


class OffenceStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


class IntakeChannel(models.TextChoices):
    API = "api", "JSON API"
    SPI = "spi", "Police SPI message"
    STAFF = "staff", "Court staff"
    DEMO = "demo", "Demo data"


class AnticipatedPlea(models.TextChoices):
    GUILTY = "GUILTY", "Guilty anticipated"
    NOT_GUILTY = "NOT_GUILTY", "Not guilty anticipated"
    UNKNOWN = "UNKNOWN", "Not known"


class RestrictionKind(models.TextChoices):
    """What a reporting restriction protects (RULES.md §B.8)."""

    YOUTH = "youth", "Youth"
    ANONYMITY_ORDER = "anonymity_order", "Anonymity order"
    SEXUAL_OFFENCE_COMPLAINANT = "sexual_offence_complainant", "Sexual offence complainant"
    COURT_ORDER = "court_order", "Court order"


class RestrictionTarget(models.TextChoices):
    """What a restriction is recorded on: the whole case, one defendant, or one offence."""

    CASE = "case", "The whole case"
    DEFENDANT = "defendant", "A defendant"
    OFFENCE = "offence", "An offence"
