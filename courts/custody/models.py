"""Remand status after each hearing, custody time limits per offence, and warrants.

Written only by `courts.custody.services`, which sharing results calls in its own transaction."""

import uuid

from django.db import models

from courts.cases.models import Defendant, Offence
from courts.listing.models import Hearing


class Remand(models.Model):
    """A remand status decided at a hearing (CJS bail codes: U, B, P, C, L, S, A), per offence
    where the result was on an offence, else for the defendant as a whole."""

    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="remands")
    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, null=True, blank=True, related_name="remands")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=2)
    from_date = models.DateField()
    until_hearing = models.ForeignKey(Hearing, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    prison = models.CharField(max_length=100, blank=True)
    conditions = models.TextField(blank=True)
    share_number = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["from_date", "created_at"]
        indexes = [models.Index(fields=["defendant", "is_current"], name="remand_defendant_idx")]


class CustodyTimeLimit(models.Model):
    """An offence's custody time limit as last worked out (Prosecution of Offences (Custody Time
    Limits) Regulations 1987), kept so that the worklist is a query."""

    offence = models.OneToOneField(Offence, on_delete=models.CASCADE, related_name="custody_time_limit")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="+")
    running = models.BooleanField()
    stage = models.CharField(max_length=16, blank=True)
    limit_days = models.PositiveIntegerField(null=True, blank=True)
    expiry = models.DateField(null=True, blank=True)
    days_spent = models.PositiveIntegerField(default=0)
    extended_to = models.DateField(null=True, blank=True)
    explanation = models.CharField(max_length=500)
    source = models.CharField(max_length=100, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["running", "expiry"], name="ctl_worklist_idx")]


class WarrantKind(models.TextChoices):
    REMAND = "REMAND", "Warrant of remand in custody"
    COMMITMENT = "COMMITMENT", "Warrant of commitment to custody"


class Warrant(models.Model):
    """The authority for a prison to hold a defendant, produced from a custody result."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="warrants")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    judicial_result_id = models.UUIDField()
    kind = models.CharField(max_length=12, choices=WarrantKind.choices)
    prison = models.CharField(max_length=100)
    issued_on = models.DateField()
    # What the warrant says, fixed at issue: the offences, result, period and next hearing.
    particulars = models.JSONField(default=dict)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_on", "-created_at"]
