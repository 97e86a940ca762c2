from django.db import models


class Jurisdiction(models.TextChoices):
    MAGISTRATES = "MAGISTRATES", "Magistrates' court"
    CROWN = "CROWN", "Crown Court"


class ModeOfTrial(models.TextChoices):
    SUMMARY = "SUMMARY", "Summary only"
    EITHER_WAY = "EITHER_WAY", "Either way"
    INDICTABLE = "INDICTABLE", "Indictable only"
    UNKNOWN = "UNKNOWN", "Not classified"


# CJS offence category (Bichard 7 standing data) → mode of trial.
# CS summary, CM summary motoring, CE either way, CI indictable only.
OFFENCE_CATEGORY_MODE_OF_TRIAL = {
    "CS": ModeOfTrial.SUMMARY,
    "CM": ModeOfTrial.SUMMARY,
    "CE": ModeOfTrial.EITHER_WAY,
    "CI": ModeOfTrial.INDICTABLE,
}


class ResultLevel(models.TextChoices):
    OFFENCE = "O", "Offence"
    DEFENDANT = "D", "Defendant"
    CASE = "C", "Case"


class ResultCategory(models.TextChoices):
    FINAL = "F", "Final"
    INTERMEDIARY = "I", "Intermediary"
    ANCILLARY = "A", "Ancillary"


class ReferenceDataset(models.TextChoices):
    COURT_CENTRES = "court_centres", "Court centres"
    OFFENCES = "offences", "CJS offences"
    RESULT_DEFINITIONS = "result_definitions", "Common Platform result definitions"
    CJS_RESULT_CODES = "cjs_result_codes", "CJS result codes"
    HEARING_TYPES = "hearing_types", "Hearing types"
    PLEA_TYPES = "plea_types", "Plea types"
    BAIL_STATUSES = "bail_statuses", "Bail statuses"
    BANK_HOLIDAYS = "bank_holidays", "Bank holidays (England and Wales)"
