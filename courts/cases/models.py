import uuid

from django.db import models
from django.db.models.functions import Upper

from courts.accounts.models import Organisation
from courts.cases.enums import (
    AnticipatedPlea,
    CaseStatus,
    DefendantKind,
    Gender,
    InitiationType,
    IntakeChannel,
    OffenceStatus,
    RestrictionKind,
)
from courts.reference.enums import ModeOfTrial
from courts.reference.models import CourtCentre
from courts.reference.models import Offence as OffenceDefinition


class ProsecutionCase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    urn = models.CharField("URN", max_length=20)
    # The organisation of record: it submitted the case and it reads it back.
    prosecutor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="prosecution_cases")
    prosecuting_authority_code = models.CharField(max_length=40)
    originating_organisation = models.CharField(max_length=20, blank=True)
    cps_organisation = models.CharField("CPS unit", max_length=20, blank=True)
    informant = models.CharField(max_length=100, blank=True)
    initiation_type = models.CharField(max_length=1, choices=InitiationType.choices)
    summons_code = models.CharField(max_length=2, blank=True)
    case_markers = models.JSONField(default=list, blank=True)
    # Transforming Summary Justice: decides how soon a bail case's first hearing is listed.
    anticipated_plea = models.CharField(max_length=12, choices=AnticipatedPlea.choices,
                                        default=AnticipatedPlea.UNKNOWN)
    # Statutory restrictions on reporting (e.g. "Sexual Offences (Amendment) Act 1992 s.1"): such a
    # case never appears on a public list.
    reporting_restrictions = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    channel = models.CharField(max_length=8, choices=IntakeChannel.choices)
    # The first hearing the prosecutor asked for; listing turns it into a hearing.
    requested_court_centre = models.ForeignKey(CourtCentre, on_delete=models.PROTECT, related_name="+")
    requested_hearing_date = models.DateField(null=True, blank=True)
    requested_hearing_time = models.TimeField(null=True, blank=True)
    # Optimistic concurrency: every amendment names the version it read.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(Upper("urn"), "prosecutor", name="case_urn_unique_per_prosecutor"),
        ]
        indexes = [models.Index(Upper("urn"), name="case_urn_upper_idx")]

    def __str__(self) -> str:
        return self.urn


class Defendant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    case = models.ForeignKey(ProsecutionCase, on_delete=models.CASCADE, related_name="defendants")
    sequence = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=DefendantKind.choices)
    # Person
    title = models.CharField(max_length=35, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=14, choices=Gender.choices, default=Gender.NOT_KNOWN)
    # Organisation
    organisation_name = models.CharField(max_length=200, blank=True)
    # Both
    address_lines = models.JSONField(default=list, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    asn = models.CharField("ASN", max_length=21, blank=True)
    pnc_id = models.CharField("PNC ID", max_length=13, blank=True)
    cro_number = models.CharField("CRO number", max_length=12, blank=True)
    prosecutor_reference = models.CharField(max_length=30, blank=True)
    # Status at charge, as the prosecutor gave it (remand status after hearings lives in custody).
    bail_status = models.CharField(max_length=2, blank=True)
    bail_conditions = models.TextField(blank=True)
    custody_reasons = models.TextField(blank=True)
    # Every offence finally disposed of or withdrawn.
    proceedings_concluded = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint("case", "sequence", name="defendant_sequence_unique")]
        indexes = [
            models.Index(fields=["asn"], name="defendant_asn_idx"),
            models.Index(fields=["pnc_id"], name="defendant_pnc_idx"),
            # Date of birth first: equality on it, then the surname prefix among a few rows. (A LIKE
            # prefix cannot range-scan UPPER(last_name) under a non-C collation.)
            models.Index("date_of_birth", Upper("last_name"), name="defendant_dob_surname_idx"),
        ]

    def save(self, *args, **kwargs) -> None:
        # A defendant loaded for someone who may not see the restricted parts has them replaced in
        # memory (`restricted_parts_withhold`): such an instance must never be written back.
        if getattr(self, "restricted_parts_withheld", False):
            raise RuntimeError("A defendant with withheld parts is read-only")
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        if self.kind == DefendantKind.ORGANISATION:
            return self.organisation_name
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    def __str__(self) -> str:
        return self.name


class Offence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="offences")
    sequence = models.PositiveSmallIntegerField()
    definition = models.ForeignKey(OffenceDefinition, on_delete=models.PROTECT, related_name="+")
    cjs_code = models.CharField(max_length=12)
    title = models.TextField()
    mode_of_trial = models.CharField(max_length=12, choices=ModeOfTrial.choices)
    wording = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    charge_date = models.DateField(null=True, blank=True)
    laid_date = models.DateField(null=True, blank=True)
    date_code = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=OffenceStatus.choices, default=OffenceStatus.ACTIVE)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    # The outcome so far, as shared results left it (`offence_outcome_record`); history is in hearings.
    plea = models.CharField(max_length=24, blank=True)
    plea_date = models.DateField(null=True, blank=True)
    indicated_plea = models.CharField(max_length=24, blank=True)
    allocation_decision = models.CharField(max_length=24, blank=True)
    allocation_date = models.DateField(null=True, blank=True)
    verdict = models.CharField(max_length=24, blank=True)
    verdict_date = models.DateField(null=True, blank=True)
    conviction_date = models.DateField(null=True, blank=True)
    acquittal_date = models.DateField(null=True, blank=True)
    sent_to_crown_date = models.DateField(null=True, blank=True)
    # The final result that disposed of the offence, e.g. "Fine".
    disposal = models.CharField(max_length=300, blank=True)
    disposed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint("defendant", "sequence", name="offence_sequence_unique")]

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "restricted_parts_withheld", False):
            raise RuntimeError("An offence with withheld wording is read-only")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.cjs_code} {self.title}"


class ReportingRestriction(models.Model):
    """A reporting restriction the court recorded on a case, one of its defendants, or one offence
    (`courts.cases.restrictions.BASES` says which basis may be recorded where). Lifting keeps the row:
    who lifted it, when and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    case = models.ForeignKey(ProsecutionCase, on_delete=models.CASCADE, related_name="restrictions")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="restrictions")
    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="restrictions")
    kind = models.CharField(max_length=28, choices=RestrictionKind.choices)
    basis = models.CharField(max_length=20)  # a key of `restrictions.BASES`
    # The terms of the order as the court made them (never a protected person's name).
    details = models.CharField(max_length=500, blank=True)
    imposed_at = models.DateTimeField()
    imposed_by = models.CharField(max_length=200)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(max_length=200, blank=True)
    lift_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["imposed_at", "id"]
        indexes = [models.Index(fields=["case", "lifted_at"], name="restriction_case_active_idx")]
        constraints = [
            # An offence's restriction also names the offence's defendant.
            models.CheckConstraint(condition=models.Q(offence__isnull=True) | models.Q(defendant__isnull=False),
                                   name="restriction_offence_has_defendant"),
        ]

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"


class IntakeRequest(models.Model):
    """A prosecutor's Idempotency-Key: a retry returns the case the first request created."""

    prosecutor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    case = models.ForeignKey(ProsecutionCase, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint("prosecutor", "key", name="intake_idempotency_key_unique")]


class IntakeRejection(models.Model):
    """A case a prosecutor's system sent (JSON API or police SPI) that was refused, with every error, so
    that the prosecutor's people can see it and fix it at source (Common Platform's SPI error queue).
    Open until the prosecutor's case with that URN arrives (`resolved_case`) or a person marks it dealt
    with. The submission itself is not kept: only its URN and the errors."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    prosecutor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=IntakeChannel.choices)
    urn = models.CharField("URN", max_length=20, blank=True)
    detail = models.CharField(max_length=300)
    # [{"field", "message", "code"}], as the caller was told.
    errors = models.JSONField(default=list)
    submitted_by = models.CharField(max_length=200)
    submitted_at = models.DateTimeField()
    resolved_case = models.ForeignKey(ProsecutionCase, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["prosecutor", "resolved_at", "submitted_at"],
                                name="intake_rejection_open_idx")]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def __str__(self) -> str:
        return f"{self.urn or '(no URN)'} rejected {self.submitted_at:%Y-%m-%d}"
