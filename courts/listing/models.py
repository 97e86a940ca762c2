import uuid

from django.db import models

from courts.cases.models import Defendant, ProsecutionCase
from courts.listing.enums import HearingStatus, JudiciaryType, Session, SittingKind
from courts.reference.models import CourtCentre, HearingType


class CourtRoom(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    court_centre = models.ForeignKey(CourtCentre, on_delete=models.PROTECT, related_name="court_rooms")
    name = models.CharField(max_length=60)
    welsh_name = models.CharField(max_length=60, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["court_centre", "name"]
        constraints = [models.UniqueConstraint("court_centre", "name", name="court_room_name_unique")]

    def __str__(self) -> str:
        return f"{self.court_centre.name}, {self.name}"


class NonSittingDay(models.Model):
    """A day a court centre does not sit besides weekends and bank holidays (e.g. a closure)."""

    court_centre = models.ForeignKey(CourtCentre, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint("court_centre", "date", name="non_sitting_day_unique")]


class Sitting(models.Model):
    """One court room on one date for one session, with its judiciary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    court_room = models.ForeignKey(CourtRoom, on_delete=models.PROTECT, related_name="sittings")
    court_centre = models.ForeignKey(CourtCentre, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    session = models.CharField(max_length=3, choices=Session.choices)
    start_time = models.TimeField()
    kind = models.CharField(max_length=8, choices=SittingKind.choices, default=SittingKind.ADULT)
    judiciary_type = models.CharField(max_length=16, choices=JudiciaryType.choices)
    # Names as they appear on lists; for a bench, the chair first.
    judiciary = models.JSONField(default=list, blank=True)
    # Hearing type codes this sitting takes; empty means any.
    hearing_type_codes = models.JSONField(default=list, blank=True)
    capacity_minutes = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "court_room__name", "start_time"]
        constraints = [models.UniqueConstraint("court_room", "date", "session", name="sitting_room_session_unique")]
        indexes = [models.Index(fields=["court_centre", "date"], name="sitting_centre_date_idx")]

    def __str__(self) -> str:
        return f"{self.court_room} {self.date} {self.get_session_display()}"


class Hearing(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    hearing_type = models.ForeignKey(HearingType, on_delete=models.PROTECT, related_name="+")
    court_centre = models.ForeignKey(CourtCentre, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=HearingStatus.choices)
    estimate_minutes = models.PositiveIntegerField()
    # While unallocated: the week it should be heard in, or "date to be fixed".
    week_commencing = models.DateField(null=True, blank=True)
    is_date_to_be_fixed = models.BooleanField(default=False)
    vacated_reason = models.CharField(max_length=200, blank=True)
    listing_note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["court_centre", "status"], name="hearing_centre_status_idx")]


class HearingDefendant(models.Model):
    """A defendant of a case, in a hearing."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="hearing_defendants")
    case = models.ForeignKey(ProsecutionCase, on_delete=models.PROTECT, related_name="hearing_defendants")
    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="hearing_defendants")

    class Meta:
        constraints = [models.UniqueConstraint("hearing", "defendant", name="hearing_defendant_unique")]


class HearingDay(models.Model):
    """One day of a listed hearing: in a sitting, at a time, at a place in its list."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="hearing_days")
    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="hearing_days")
    date = models.DateField()
    start_time = models.TimeField()
    list_order = models.PositiveIntegerField()
    duration_minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ["date", "list_order"]
        indexes = [models.Index(fields=["sitting", "list_order"], name="hearing_day_sitting_idx")]


class ListingRules(models.Model):
    """How intake lists first hearings at a court centre; a listing officer can change them."""

    court_centre = models.OneToOneField(CourtCentre, on_delete=models.CASCADE, related_name="listing_rules")
    # Transforming Summary Justice: guilty anticipated about 14 days after charge, not guilty about 28.
    guilty_anticipated_days = models.PositiveSmallIntegerField(default=14)
    not_guilty_anticipated_days = models.PositiveSmallIntegerField(default=28)
    # A defendant in custody goes to the next sitting day's custody court.
    custody_next_sitting_day = models.BooleanField(default=True)
    # "Plea": a magistrates' first hearing takes the plea (reference data has no "first hearing" type).
    first_hearing_type_code = models.CharField(max_length=8, default="PLE")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
