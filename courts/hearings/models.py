"""In court: who attended, the court log, advocates, and the results of each defendant.

A defendant's results are worked on as a draft (`DefendantResulting.draft`), then shared: sharing
writes the court record (`JudicialResult`, `OffenceDecision`) and its consequences. Two people can
work on two defendants of one hearing at once; two edits of one defendant meet its `version`."""

import uuid

from django.db import models

from courts.cases.models import Defendant, Offence, ProsecutionCase
from courts.hearings.enums import AdvocateRole, AmendmentStatus, AttendanceStatus, CourtLogKind, DecisionKind
from courts.listing.models import Hearing, Sitting
from courts.reference.enums import ResultCategory, ResultLevel
from courts.reference.models import ResultDefinition


class Attendance(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    status = models.CharField(max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint("hearing", "defendant", "date", name="attendance_unique")]


class CourtLogEntry(models.Model):
    """A timestamped entry in a sitting's court log. A correction is a new entry that names the entry
    it corrects, with a reason; the corrected entry stays, no longer current."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="+")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    kind = models.CharField(max_length=16, choices=CourtLogKind.choices)
    occurred_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    correction_reason = models.CharField(max_length=300, blank=True)
    is_current = models.BooleanField(default=True)
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "recorded_at"]
        indexes = [models.Index(fields=["sitting", "occurred_at"], name="court_log_sitting_idx")]


class AdvocateAppearance(models.Model):
    """An advocate checked in to a hearing, for the prosecution or for some of its defendants."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    role = models.CharField(max_length=12, choices=AdvocateRole.choices)
    name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    defendants = models.ManyToManyField(Defendant, blank=True, related_name="+")
    checked_in_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["date", "role", "name"]


class DefendantResulting(models.Model):
    """One defendant's results at one hearing: the working draft, and when it was last shared."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="resultings")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="resultings")
    case = models.ForeignKey(ProsecutionCase, on_delete=models.CASCADE, related_name="+")
    # {"offences": {offence id: {"notepad": str, "results": [...], "plea": …, "indicated_plea": …,
    #   "allocation": …, "verdict": …}}, "defendant": {"notepad": str, "results": [...]}}
    draft = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    draft_saved_by = models.CharField(max_length=200, blank=True)
    # The draft differs from what was last shared (a draft, or a proposed amendment).
    has_unshared_changes = models.BooleanField(default=False)
    # The next hearings the shared results created: [{"key": date|centre|type, "hearing_id"}].
    next_hearing_links = models.JSONField(default=list)
    share_count = models.PositiveIntegerField(default=0)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("hearing", "defendant", name="defendant_resulting_unique")]


class JudicialResult(models.Model):
    """A shared result: part of the court record. An amendment writes new rows and leaves the old
    ones, no longer current, beside them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    resulting = models.ForeignKey(DefendantResulting, on_delete=models.CASCADE, related_name="results")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(ProsecutionCase, on_delete=models.CASCADE, related_name="+")
    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    definition = models.ForeignKey(ResultDefinition, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=1, choices=ResultLevel.choices)
    category = models.CharField(max_length=1, choices=ResultCategory.choices)
    short_code = models.CharField(max_length=20)
    label = models.CharField(max_length=300)
    cjs_code = models.CharField(max_length=8, blank=True)
    # [{"prompt_id", "label", "reference", "type", "value"}] in prompt sequence.
    prompts = models.JSONField(default=list)
    # Worked out by the system, not typed (e.g. the victim surcharge amount).
    is_computed = models.BooleanField(default=False)
    ordered_on = models.DateField()
    share_number = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    amendment = models.ForeignKey("ResultAmendment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    shared_at = models.DateTimeField()
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rank"]
        indexes = [models.Index(fields=["hearing", "is_current"], name="judicial_result_hearing_idx")]


class OffenceDecision(models.Model):
    """A shared plea, indicated plea, allocation decision or verdict on an offence."""

    resulting = models.ForeignKey(DefendantResulting, on_delete=models.CASCADE, related_name="decisions")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    value = models.CharField(max_length=24)
    decided_on = models.DateField()
    share_number = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["offence", "kind", "is_current"], name="offence_decision_idx")]


class ResultAmendment(models.Model):
    """A change to shared results: asked for with a reason, applied only when a second person approves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    resulting = models.ForeignKey(DefendantResulting, on_delete=models.CASCADE, related_name="amendments")
    reason = models.CharField(max_length=500)
    # The draft as it will be shared if approved, and the share it amends.
    proposed = models.JSONField()
    base_share_number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING)
    requested_by = models.CharField(max_length=200)
    requested_by_user_id = models.IntegerField(null=True, blank=True)
    requested_at = models.DateTimeField()
    decided_by = models.CharField(max_length=200, blank=True)
    decided_by_user_id = models.IntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at"]
