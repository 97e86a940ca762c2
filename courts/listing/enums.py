from django.db import models


class Session(models.TextChoices):
    MORNING = "AM", "Morning"
    AFTERNOON = "PM", "Afternoon"
    ALL_DAY = "DAY", "All day"


class JudiciaryType(models.TextChoices):
    BENCH = "BENCH", "Bench of magistrates"
    DISTRICT_JUDGE = "DISTRICT_JUDGE", "District judge (magistrates' courts)"
    JUDGE = "JUDGE", "Circuit judge"
    RECORDER = "RECORDER", "Recorder"


class SittingKind(models.TextChoices):
    """What a sitting takes: an adult list, a custody court (overnight arrests), a youth court."""

    ADULT = "ADULT", "Adult court"
    CUSTODY = "CUSTODY", "Custody court"
    YOUTH = "YOUTH", "Youth court"


class HearingStatus(models.TextChoices):
    UNALLOCATED = "UNALLOCATED", "Unallocated"
    LISTED = "LISTED", "Listed"
    VACATED = "VACATED", "Vacated"
    HEARD = "HEARD", "Heard"


class ConflictKind(models.TextChoices):
    DEFENDANT_DOUBLE_BOOKED = "defendant_double_booked", "Defendant listed elsewhere at the same time"
    OVER_CAPACITY = "over_capacity", "Sitting over capacity"
    JUDGE_DOUBLE_BOOKED = "judge_double_booked", "Judge sitting in two rooms"
    NON_SITTING_DAY = "non_sitting_day", "Not a sitting day"
    YOUTH_IN_ADULT_COURT = "youth_in_adult_court", "Youth in an adult court list"
    HEARING_TYPE_NOT_TAKEN = "hearing_type_not_taken", "Sitting does not take this hearing type"
