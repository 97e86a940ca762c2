"""Reference data: loaded by `courts load-reference` from registry packages and the reference
directory, read by every other app, and written only by the loader."""

import uuid

from django.db import models

from courts.reference.enums import Jurisdiction, ModeOfTrial, ReferenceDataset, ResultCategory, ResultLevel


class CourtCentre(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)  # Common Platform's court centre id
    ou_code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=200)
    welsh_name = models.CharField(max_length=200, blank=True)
    jurisdiction = models.CharField(max_length=12, choices=Jurisdiction.choices)
    lja = models.CharField("local justice area", max_length=8, blank=True)
    region = models.CharField(max_length=100, blank=True)
    address_lines = models.JSONField(default=list)
    welsh_address_lines = models.JSONField(default=list)
    postcode = models.CharField(max_length=10, blank=True)
    is_welsh = models.BooleanField(default=False)
    default_start_time = models.TimeField(null=True, blank=True)
    default_duration_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ou_code})"


class Offence(models.Model):
    """A CJS offence code from the CJS Offence Index (via Bichard 7 standing data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    cjs_code = models.CharField(max_length=12, unique=True)
    title = models.TextField()
    category = models.CharField(max_length=4, blank=True)
    mode_of_trial = models.CharField(max_length=12, choices=ModeOfTrial.choices)
    recordable_on_pnc = models.BooleanField(default=False)
    home_office_classification = models.CharField(max_length=12, blank=True)
    # Maximum fine on summary conviction as a level (1-5) of the standard scale, where the reference
    # data says; None when it does not (the fine check then cannot apply).
    max_fine_level = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.cjs_code} {self.title}"


class ResultDefinition(models.Model):
    """One of Common Platform's result definitions: a short code, its prompts and word groups."""

    id = models.UUIDField(primary_key=True)
    short_code = models.CharField(max_length=20, db_index=True)
    label = models.CharField(max_length=300)
    level = models.CharField(max_length=1, choices=ResultLevel.choices)
    category = models.CharField(max_length=1, choices=ResultCategory.choices)
    cjs_code = models.CharField(max_length=8, blank=True)
    rank = models.IntegerField(null=True, blank=True)
    is_adjournment = models.BooleanField(default=False)
    is_convicted = models.BooleanField(default=False)
    is_financial = models.BooleanField(default=False)
    terminates_offence_proceedings = models.BooleanField(default=False)
    post_hearing_custody_status = models.CharField(max_length=2, blank=True)
    dvla_code = models.CharField(max_length=8, blank=True)
    word_groups = models.JSONField(default=list)
    prompts = models.JSONField(default=list)
    # The whole definition as published, for fields not promoted to columns.
    definition = models.JSONField(default=dict)

    class Meta:
        ordering = ["short_code"]

    def __str__(self) -> str:
        return f"{self.short_code} {self.label}"


class CjsResultCode(models.Model):
    code = models.CharField(max_length=8, unique=True)
    description = models.TextField()
    type = models.CharField(max_length=4, blank=True)

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class HearingType(models.Model):
    id = models.UUIDField(primary_key=True)
    # Not unique: Common Platform has two "PTP" types (a trial type and its XHIBIT twin).
    code = models.CharField(max_length=8, db_index=True)
    description = models.CharField(max_length=200)
    welsh_description = models.CharField(max_length=200, blank=True)
    default_duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    is_trial_type = models.BooleanField(default=False)
    sequence = models.IntegerField(default=0)

    class Meta:
        ordering = ["sequence", "code"]

    def __str__(self) -> str:
        return self.description


class PleaType(models.Model):
    code = models.CharField(max_length=12, unique=True)
    value = models.CharField(max_length=60)  # Common Platform's enum value, e.g. GUILTY
    description = models.CharField(max_length=200)
    is_guilty = models.BooleanField(default=False)
    spi_code = models.CharField(max_length=4, blank=True)
    jurisdiction = models.CharField(max_length=12, blank=True)
    sequence = models.IntegerField(default=0)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return self.description


class BailStatus(models.Model):
    """CJS remand status codes (Bichard 7 standing data) with their SPI single-letter codes."""

    code = models.CharField(max_length=4, unique=True)  # the SPI / Common Platform letter, e.g. C, B, U
    cjs_code = models.CharField(max_length=4, blank=True)
    description = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class BankHoliday(models.Model):
    date = models.DateField(unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]


class ReferenceLoad(models.Model):
    """When each dataset was loaded, from where, and how many rows it holds."""

    dataset = models.CharField(max_length=40, choices=ReferenceDataset.choices)
    source = models.CharField(max_length=500)
    source_version = models.CharField(max_length=100, blank=True)
    loaded_at = models.DateTimeField()
    row_count = models.PositiveIntegerField()
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-loaded_at"]
